"""Storing parsed files: people matched to contacts, steps to events, in one transaction.

The rules that keep a log clean whatever arrives, in whatever order:
- the same person from several files is one contact (see ``identity``);
- a file fills fields in and never blanks them; where two files disagree, the more
  trusted kind of file wins (the user's own tracker over LinkedIn over messages), and
  between files of the same kind the later one is taken as a correction;
- a step already in the log (same contact, kind, day) is not added again.

A record known only by its name joins the contact of that name whose other keys do not
contradict it; among namesakes at different organisations it joins the first one known.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

import polars as pl

from infoint_core import identity
from infoint_core.errors import ParseError
from infoint_core.matching import (
    EXISTING_SCHEMA,
    EXISTING_SQL,
    ContactIndex,
    key_rows,
    mark_isolated,
)
from infoint_core.owners import ensure_owner, owner_for_writes
from infoint_core.records import EventKind, ParsedFile, bulk_allocation
from infoint_core.referrals import check_no_cycles, load_referral_graph
from infoint_core.store import Store

# How far a kind of file is trusted when two disagree about a field.
PRECEDENCE = {
    "manual": 4,
    "tracker": 3,
    "demo": 3,
    "linkedin_connections": 2,
    "linkedin_invitations": 1,
    "linkedin_messages": 1,
}
REFERRAL_NAME_PRECEDENCE = 0

# Contact fields a file can set, with the identity key that follows each.
FIELDS = (
    "name", "email", "linkedin_url", "company", "position", "industry", "source",
    "referred_by_id", "connected_on", "status", "notes",
)  # fmt: skip
KEY_OF = {"name": "name_key", "email": "email_key", "linkedin_url": "url_key",
          "company": "company_key"}  # fmt: skip

_CONTACT_SCHEMA: dict[str, Any] = {
    "id": pl.Int32, "owner_id": pl.Int32, "name": pl.String, "email": pl.String,
    "linkedin_url": pl.String, "company": pl.String, "position": pl.String,
    "industry": pl.String, "source": pl.String, "referred_by_id": pl.Int32,
    "connected_on": pl.Date, "status": pl.String, "notes": pl.String,
    "url_key": pl.String, "email_key": pl.String, "name_key": pl.String,
    "company_key": pl.String, "precedence": pl.Int16,
}  # fmt: skip
_EVENT_SCHEMA: dict[str, Any] = {
    "owner_id": pl.Int32, "contact_id": pl.Int32, "kind": pl.String, "on_date": pl.Date,
    "about_contact_id": pl.Int32, "detail": pl.String,
}  # fmt: skip


# What the batch reads of each PersonRecord.
_PERSON_SCHEMA: dict[str, Any] = {
    "row": pl.Int64, "name": pl.String, "email": pl.String, "linkedin_url": pl.String,
    "company": pl.String, "position": pl.String, "industry": pl.String, "source": pl.String,
    "referred_by": pl.String, "connected_on": pl.Date, "status": pl.String, "notes": pl.String,
    "owner": pl.String,
}  # fmt: skip
_PERSON_FIELDS = tuple(_PERSON_SCHEMA)
# The identity keys of a row, from its (stripped) values.
_PERSON_KEYS: dict[str, tuple[str, identity.KeyKind]] = {
    "name_key": ("name", "name"), "url_key": ("linkedin_url", "url"),
    "email_key": ("email", "email"), "company_key": ("company", "company"),
    "referral_key": ("referred_by", "name"),
}  # fmt: skip
# Text fields offered stripped, a blank offering nothing.
_OFFERED_TEXTS = ("email", "linkedin_url", "company", "position", "industry", "source",
                  "status", "notes")  # fmt: skip
# What a referrer named for the first time is offered (at REFERRAL_NAME_PRECEDENCE).
_REFERRER_OFFER_SCHEMA: dict[str, Any] = {
    "cid": pl.Int64, "pos": pl.Int64, "owner_id": pl.Int32, "name": pl.String,
    "name_key": pl.String, "source": pl.String,
}  # fmt: skip

# What the row-by-row matching reads of a row.
_LOOP_COLUMNS = ("part", "pos", "row", "owner_id", "raw_name", "name", "name_rank", "name_key",
                 "url_key", "email_key", "company_key", "referred_by", "referral_key")  # fmt: skip


@dataclass(slots=True)
class IngestCounts:
    """What storing one file changed."""

    contacts_added: int = 0
    contacts_updated: int = 0
    events_added: int = 0
    warnings: list[str] = field(default_factory=list)
    owner_ids: set[int] = field(default_factory=set)  # whose logs the file went to


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def previous_import(store: Store, sha256: str, owner: str | None) -> str | None:
    """When a file with this content was already imported for this owner (the named one,
    else the workspace's only owner), the time it was; else ``None``."""
    return store.value(
        """
        SELECT strftime(max(i.imported_at), '%Y-%m-%d %H:%M')
        FROM imports i JOIN owners o ON o.id = i.owner_id
        WHERE i.sha256 = ?
          AND o.name = coalesce(?, (SELECT any_value(name) FROM owners HAVING count(*) = 1))
        """,
        [sha256, owner],
    )


def store_parsed(
    store: Store,
    parts: list[ParsedFile],
    *,
    file_name: str,
    sha256: str,
    kind: str,
    owner: str | None,
    origin: str = "import",
) -> IngestCounts:
    """Store every part of one file in a single transaction and record the import.

    Either all of it lands or, on any error, none of it does.
    """
    with store.transaction(), bulk_allocation():
        default_owner = owner_for_writes(store, owner).id if _needs_default(parts) else None
        import_id = store.value("SELECT nextval('import_ids')")
        batch = _Batch(store, default_owner, origin)
        counts = batch.apply(parts, import_id)
        for owner_id in counts.owner_ids if batch.has_referrals() else ():
            # A file that closes a referral loop is refused whole, naming who is in it.
            check_no_cycles(load_referral_graph(store, owner_id))
        rows = sum(p.rows for p in parts)
        store.run(
            """
            INSERT INTO imports (id, owner_id, file_name, sha256, kind, rows, contacts_added,
                                 contacts_updated, events_added, warnings)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [import_id, default_owner or min(counts.owner_ids), file_name, sha256, kind, rows,
             counts.contacts_added, counts.contacts_updated, counts.events_added,
             counts.warnings],
        )  # fmt: skip
    return counts


def _needs_default(parts: list[ParsedFile]) -> bool:
    return any(not p.owner for part in parts for p in part.people) or not any(
        part.people for part in parts
    )


class _Batch:
    """One file's worth of people and steps on their way into the store.

    Everything is done on whole columns except matching people to contacts, which is
    order-dependent (the first contact to claim a key keeps it), so it runs as a loop,
    but only over the rows that share a key with another row, a referral name or a
    contact already in the log. Every other row is a new contact of its own.

    Each row has a place ``pos`` in the order in which the rules read the file: the rows
    of a part, then the referrers its rows name, then the next part. A new contact's
    temporary id is ``-1 - pos`` of the row that made it, so ids are given out in that
    order, and "the later file wins at equal trust" is "the greater ``pos`` wins".
    """

    def __init__(self, store: Store, default_owner: int | None, origin: str) -> None:
        self.store = store
        self.default_owner = default_owner
        self.origin = origin
        self.indexes: dict[int, ContactIndex] = {}
        self.warnings: list[str] = []
        # Only for contacts the loop touches: the rank of the name this file gave them,
        # that name, and the referrer this file gave them with its rank.
        self.name_ranks: dict[int, int] = {}
        self.names: dict[int, str] = {}
        self.referrers: dict[int, tuple[int, int]] = {}
        self.referrer_offers: list[dict[str, Any]] = []

    def apply(self, parts: list[ParsedFile], import_id: int) -> IngestCounts:
        people = self._people(parts)
        existing = self._existing(people)
        for owner_id in people["owner_id"].unique():
            self.indexes[owner_id] = ContactIndex()
        for cid, owner_id, *keys in existing.iter_rows():
            self.indexes[owner_id].add(cid, *keys)
        people = mark_isolated(people, existing).with_columns(
            cid=pl.when("isolated").then(-1 - pl.col("pos"))
        )
        linked = people.filter(~pl.col("isolated")).select(_LOOP_COLUMNS)
        found: dict[int, int] = {}  # pos -> contact of the rows matched one by one
        events = [pl.DataFrame(schema=_EVENT_SCHEMA)]
        for part_no, part in enumerate(parts):
            self.warnings.extend(part.warnings)
            rows = linked.filter(pl.col("part") == part_no).iter_rows(named=True)
            mine = [(row, self._resolve(row)) for row in rows]
            found.update((row["pos"], cid) for row, cid in mine)
            for row, cid in mine:
                if row["referred_by"] is not None:
                    self._link_referrer(row, cid, len(part.people))
            part_people = _with_found(people.filter(pl.col("part") == part_no), found)
            events.append(self._event_rows(part, part_people))
        contacts = self._merged(_with_found(people, found))
        temp_to_real = self._allocate_ids(contacts)
        added = self._insert_new(contacts, temp_to_real)
        updated = self._update_existing(contacts, temp_to_real)
        events_added = self._insert_events(pl.concat(events), temp_to_real, import_id)
        owners = set(people["owner_id"].unique().to_list())
        return IngestCounts(added, updated, events_added, self.warnings, owners)

    def has_referrals(self) -> bool:
        """Whether this file set any referral link (only then can it close a loop)."""
        return bool(self.referrers)

    # --- the people of the file, as columns ----------------------------------------------

    def _people(self, parts: list[ParsedFile]) -> pl.DataFrame:
        """One row per person of every part, with owner, rank, place and identity keys.

        Raises ParseError for a person with neither a name nor a profile URL.
        """
        columns: dict[str, list[Any]] = {f: [] for f in _PERSON_FIELDS}
        part_no: list[int] = []
        pos: list[int] = []
        rank: list[int] = []
        offset = 0
        for number, part in enumerate(parts):
            people = part.people
            for name in _PERSON_FIELDS:
                columns[name].extend(map(attrgetter(name), people))
            part_no.extend([number] * len(people))
            pos.extend(range(offset, offset + len(people)))
            rank.extend([PRECEDENCE.get(part.kind, 1)] * len(people))
            offset += 2 * len(people)  # room for a referrer per row after the part
        frame = pl.DataFrame(columns, schema=_PERSON_SCHEMA).with_columns(
            part=pl.Series(part_no, dtype=pl.Int32),
            pos=pl.Series(pos, dtype=pl.Int64),
            rank=pl.Series(rank, dtype=pl.Int16),
            raw_name=pl.col("name"),
            owner=pl.when(pl.col("owner") != "").then("owner"),
        )
        # Keys of stripped values are the keys of the values as written: each key
        # function strips (or folds whitespace away) first.
        frame = frame.with_columns(
            identity.stripped(f) for f in (*_OFFERED_TEXTS, "name", "referred_by")
        )
        frame = self._with_stand_in_names(frame)
        return identity.with_keys(
            frame.with_columns(owner_id=self._owner_ids(frame)), _PERSON_KEYS
        ).with_columns(
            email=pl.when(pl.col("email_key").is_not_null()).then("email"),
            linkedin_url=pl.when(pl.col("url_key").is_not_null()).then("linkedin_url"),
        )

    def _with_stand_in_names(self, frame: pl.DataFrame) -> pl.DataFrame:
        """A person with no name is named from their profile URL, at the lowest trust (a
        stand-in yields to any other name). Raises ParseError when there is no URL either."""
        name_rank = (
            pl.when(pl.col("name").is_not_null())
            .then("rank")
            .otherwise(pl.lit(REFERRAL_NAME_PRECEDENCE, pl.Int16))
        )
        frame = frame.with_columns(name_rank=name_rank)
        nameless = frame.with_row_index("at").filter(pl.col("name").is_null())
        if nameless.is_empty():
            return frame
        stand_ins = [identity.name_from_url(url) for url in nameless["linkedin_url"]]
        if None in stand_ins:
            first = stand_ins.index(None)
            # Owners up to that row are made first, as reading row by row would.
            self._owner_ids(frame.head(nameless["at"][first] + 1))
            raise ParseError(
                "a person with neither a name nor a profile URL", row=nameless["row"][first]
            )
        named = nameless.select("pos").with_columns(stand_in=pl.Series(stand_ins))
        return (
            frame.join(named, on="pos", how="left", maintain_order="left")
            .with_columns(name=pl.coalesce("name", "stand_in"))
            .drop("stand_in")
        )

    def _owner_ids(self, frame: pl.DataFrame) -> pl.Series:
        """Whose log each row goes to: its owner (created when new), else the default."""
        ids: dict[str, int] = {}
        for name in frame["owner"].drop_nulls().unique(maintain_order=True):
            ids[name] = ensure_owner(self.store, name).id
        if not ids:
            return pl.Series("owner_id", [self.default_owner] * frame.height, dtype=pl.Int32)
        return frame["owner"].replace_strict(
            list(ids), list(ids.values()), default=self.default_owner, return_dtype=pl.Int32
        )

    # --- matching ------------------------------------------------------------------------

    def _existing(self, people: pl.DataFrame) -> pl.DataFrame:
        """The contacts already in the log that share an identity key with the file, in
        the order they were added (none asked for when the owners have no contacts)."""
        owners = people["owner_id"].unique().to_list()
        if not self.store.value(
            "SELECT count(*) FROM contacts WHERE list_contains(?, owner_id)", [owners]
        ):
            return pl.DataFrame(schema=EXISTING_SCHEMA)
        with self.store.frame_as_table("incoming_keys", key_rows(people)):
            return self.store.frame(EXISTING_SQL)

    def _resolve(self, row: dict[str, Any]) -> int:
        """The contact the person of ``row`` is, existing or new."""
        keys = (row["name_key"], row["url_key"], row["email_key"], row["company_key"])
        index = self.indexes[row["owner_id"]]
        cid = index.find(*keys)
        if cid is None:
            cid = -1 - row["pos"]
        index.add(cid, *keys)
        if row["name_rank"] >= self.name_ranks.get(cid, -1):
            self.name_ranks[cid] = row["name_rank"]
            self.names[cid] = row["name"]
        return cid

    def _link_referrer(self, row: dict[str, Any], cid: int, part_size: int) -> None:
        """Point ``cid`` at its referrer, creating the referrer when not yet known."""
        index = self.indexes[row["owner_id"]]
        referrer = index.find_by_name(row["referral_key"])
        if referrer == cid:
            self.warnings.append(f"row {row['row']}: {row['raw_name']} cannot refer themselves")
            return
        if referrer is None:
            pos = row["pos"] + part_size
            referrer = -1 - pos
            index.add(referrer, row["referral_key"], None, None, None)
            self.name_ranks[referrer] = REFERRAL_NAME_PRECEDENCE
            self.names[referrer] = row["referred_by"]
            self.referrer_offers.append(
                {"cid": referrer, "pos": pos, "owner_id": row["owner_id"],
                 "name": row["referred_by"], "name_key": row["referral_key"],
                 "source": "referral"}
            )  # fmt: skip
        rank = self.name_ranks.get(cid, REFERRAL_NAME_PRECEDENCE)
        if rank >= self.referrers.get(cid, (None, -1))[1]:
            self.referrers[cid] = (referrer, rank)
        index.referrer[cid] = self.referrers[cid][0]

    def _event_rows(self, part: ParsedFile, people: pl.DataFrame) -> pl.DataFrame:
        """The steps of ``part`` (whose people are ``people``) against their contacts."""
        contacts = people["cid"].to_list()
        owners = people["owner_id"].to_list()
        persons = [e.person for e in part.events]
        events = pl.DataFrame(
            {"owner_id": [owners[p] for p in persons], "contact_id": [contacts[p] for p in persons],
             "kind": [str(e.kind) for e in part.events], "on_date": [e.on for e in part.events],
             "about_contact_id": None, "detail": [e.detail for e in part.events]},
            schema=_EVENT_SCHEMA,
        )  # fmt: skip
        if not any(e.kind == EventKind.OUTCOME_REPORT for e in part.events):
            return events
        return self._outcome_reports(events, part, people)

    def _outcome_reports(
        self, events: pl.DataFrame, part: ParsedFile, people: pl.DataFrame
    ) -> pl.DataFrame:
        """An outcome report is a touch with the referrer, about the referred person; one
        about a person nobody is recorded as having referred is skipped with a warning."""
        contact_ids = events["contact_id"].to_list()
        owners = events["owner_id"].to_list()
        about: list[int | None] = [None] * events.height
        keep = [True] * events.height
        for i, event in enumerate(part.events):
            if event.kind != EventKind.OUTCOME_REPORT:
                continue
            cid = contact_ids[i]
            referrer = self.indexes[owners[i]].referrer.get(cid)
            if referrer is None:
                name = self.names.get(cid, people["name"][event.person])
                self.warnings.append(
                    f"row {people['row'][event.person]}: an outcome report for {name} "
                    "was skipped: nobody is recorded as having referred them"
                )
                keep[i] = False
                continue
            contact_ids[i], about[i] = referrer, cid
        return events.with_columns(
            contact_id=pl.Series(contact_ids, dtype=pl.Int32),
            about_contact_id=pl.Series(about, dtype=pl.Int32),
        ).filter(pl.Series(keep))

    # --- storing ---------------------------------------------------------------------------

    def _merged(self, people: pl.DataFrame) -> pl.DataFrame:
        """One row per contact the file touches: for each field the value of the most
        trusted row that gives one, the later at equal trust (each key beside the value it
        is the key of); precedence the highest trust. Most contacts have one row: only
        the others are grouped."""
        offers = pl.concat(
            [people, pl.DataFrame(self.referrer_offers, schema=_REFERRER_OFFER_SCHEMA)],
            how="diagonal_relaxed",
        ).with_columns(pl.col("rank", "name_rank").fill_null(REFERRAL_NAME_PRECEDENCE))
        fields = [f for f in FIELDS if f not in ("name", "referred_by_id")]
        alone = pl.col("cid").is_unique()
        single = offers.filter(alone).select(
            "cid", "owner_id", "name", "name_key", *fields, "url_key", "email_key",
            "company_key", precedence="rank",
        )  # fmt: skip
        by_name = ("name_rank", "pos")
        grouped = (
            offers.filter(~alone)
            .sort("rank", "pos")
            .group_by("cid")
            .agg(
                pl.col("owner_id").first(),
                pl.col("name").sort_by(by_name).last(),
                pl.col("name_key").sort_by(by_name).last(),
                *(pl.col(f).drop_nulls().last() for f in fields),
                # A key is null where its value is: they come from the same row.
                pl.col("url_key", "email_key").drop_nulls().last(),
                pl.col("company_key").filter(pl.col("company").is_not_null()).last(),
                precedence=pl.col("rank").max(),
            )
        )
        referrers = pl.DataFrame(
            {
                "cid": list(self.referrers),
                "referred_by_id": [r for r, _ in self.referrers.values()],
            },
            schema={"cid": pl.Int64, "referred_by_id": pl.Int64},
        )
        return pl.concat([single, grouped], how="vertical_relaxed").join(
            referrers, on="cid", how="left"
        )

    def _allocate_ids(self, contacts: pl.DataFrame) -> pl.DataFrame:
        """Real ids for the new contacts, given out in the order they were met."""
        temps = contacts.filter(pl.col("cid") < 0).select(temp="cid").sort("temp", descending=True)
        real = self.store.frame(
            "SELECT nextval('contact_ids') AS id FROM range(?) ORDER BY id", [temps.height]
        )
        return temps.with_columns(real=real["id"].cast(pl.Int64))

    def _frame(self, contacts: pl.DataFrame, temp_to_real: pl.DataFrame, new: bool) -> pl.DataFrame:
        """The contacts this file touches, new or existing, as columns for DuckDB."""
        chosen = contacts.filter((pl.col("cid") < 0) == new)
        chosen = chosen.with_columns(
            id=_real_ids(chosen["cid"], temp_to_real),
            referred_by_id=_real_ids(chosen["referred_by_id"], temp_to_real),
        )
        return chosen.select(pl.col(name).cast(dtype) for name, dtype in _CONTACT_SCHEMA.items())

    def _insert_new(self, contacts: pl.DataFrame, temp_to_real: pl.DataFrame) -> int:
        frame = self._frame(contacts, temp_to_real, new=True)
        if frame.is_empty():
            return 0
        columns = ", ".join(_CONTACT_SCHEMA)
        with self.store.frame_as_table("incoming_contacts", frame):
            self.store.run(
                f"INSERT INTO contacts ({columns}, origin) "
                f"SELECT {columns}, ? FROM incoming_contacts",
                [self.origin],
            )
        return frame.height

    def _update_existing(self, contacts: pl.DataFrame, temp_to_real: pl.DataFrame) -> int:
        frame = self._frame(contacts, temp_to_real, new=False)
        if frame.is_empty():
            return 0
        with self.store.frame_as_table("incoming_contacts", frame):
            changed = self.store.rows(_UPDATE_CONTACTS_SQL)[0][0]
            self.store.run(
                """UPDATE contacts AS c SET precedence = u.precedence
                   FROM incoming_contacts u WHERE c.id = u.id AND u.precedence > c.precedence"""
            )
        return changed

    def _insert_events(self, events: pl.DataFrame, temp_to_real: pl.DataFrame,
                       import_id: int) -> int:  # fmt: skip
        if events.is_empty():
            return 0
        frame = events.with_columns(
            contact_id=_real_ids(events["contact_id"], temp_to_real).cast(pl.Int32),
            about_contact_id=_real_ids(events["about_contact_id"], temp_to_real).cast(pl.Int32),
        ).unique(
            ["contact_id", "kind", "on_date", "about_contact_id"], keep="first",
            maintain_order=True,
        )  # fmt: skip
        with self.store.frame_as_table("incoming_events", frame):
            return self.store.rows(_INSERT_EVENTS_SQL, [self.origin, import_id])[0][0]


def _real_ids(ids: pl.Series, temp_to_real: pl.DataFrame) -> pl.Series:
    """``ids`` with each temporary (negative) id replaced by the real one given out."""
    real = ids.cast(pl.Int64).replace(temp_to_real["temp"], temp_to_real["real"])
    return real.alias(ids.name)


def _with_found(people: pl.DataFrame, found: dict[int, int]) -> pl.DataFrame:
    """``people`` with the contact of each row matched one by one (``found``) filled in."""
    table = pl.DataFrame(
        {"pos": list(found), "found": list(found.values())},
        schema={"pos": pl.Int64, "found": pl.Int64},
    )
    return (
        people.join(table, on="pos", how="left", maintain_order="left")
        .with_columns(cid=pl.coalesce("cid", "found"))
        .drop("found")
    )


def _chosen(column: str) -> str:
    """The value a field takes: the incoming one where it is trusted at least as much."""
    return (
        f"CASE WHEN u.precedence >= c.precedence THEN coalesce(u.{column}, c.{column}) "
        f"ELSE coalesce(c.{column}, u.{column}) END"
    )


_UPDATE_CONTACTS_SQL = (
    "UPDATE contacts AS c SET "
    + ", ".join(f"{col} = {_chosen(col)}" for col in (*FIELDS, *KEY_OF.values()))
    + ", updated_at = current_timestamp FROM incoming_contacts u WHERE c.id = u.id AND ("
    + " OR ".join(f"({_chosen(col)}) IS DISTINCT FROM c.{col}" for col in FIELDS)
    + ")"
)

_INSERT_EVENTS_SQL = """
INSERT INTO events (owner_id, contact_id, kind, on_date, about_contact_id, detail, origin,
                    import_id)
SELECT e.owner_id, e.contact_id, e.kind, e.on_date, e.about_contact_id, e.detail, ?, ?
FROM incoming_events e
WHERE NOT EXISTS (
    SELECT 1 FROM events x
    WHERE x.contact_id = e.contact_id
      AND x.kind = e.kind
      AND x.on_date IS NOT DISTINCT FROM e.on_date
      AND x.about_contact_id IS NOT DISTINCT FROM e.about_contact_id
)
"""
