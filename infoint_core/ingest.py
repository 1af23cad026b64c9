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
from typing import Any

import polars as pl

from infoint_core import identity
from infoint_core.errors import ParseError
from infoint_core.owners import ensure_owner, owner_for_writes
from infoint_core.records import EventKind, ParsedFile, PersonRecord
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
    with store.transaction():
        default_owner = owner_for_writes(store, owner).id if _needs_default(parts) else None
        import_id = store.value("SELECT nextval('import_ids')")
        counts = _Batch(store, default_owner, origin).apply(parts, import_id)
        for owner_id in counts.owner_ids:
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


class _Contact:
    """A contact as this file sees it: the fields it sets and how trusted each is."""

    __slots__ = ("id", "owner_id", "precedence", "ranks", "values")

    def __init__(self, contact_id: int, owner_id: int) -> None:
        self.id = contact_id
        self.owner_id = owner_id
        self.values: dict[str, Any] = {}
        self.ranks: dict[str, int] = {}
        self.precedence = REFERRAL_NAME_PRECEDENCE

    def offer(self, field_name: str, value: Any, rank: int) -> None:
        if value is None or value == "":
            return
        if field_name not in self.values or rank >= self.ranks[field_name]:
            self.values[field_name] = value
            self.ranks[field_name] = rank
        self.precedence = max(self.precedence, rank)

    def offer_all(self, texts: dict[str, str | None], rank: int) -> None:
        """``offer`` for many text fields at once (stripped; blanks ignored)."""
        values, ranks = self.values, self.ranks
        for field_name, value in texts.items():
            if value and (text := value.strip()) and ranks.get(field_name, -1) <= rank:
                values[field_name] = text
                ranks[field_name] = rank
        self.precedence = max(self.precedence, rank)


class _Index:
    """One owner's contacts by identity key, existing and new in this file alike."""

    def __init__(self) -> None:
        self.by_url: dict[str, int] = {}
        self.by_email: dict[str, int] = {}
        self.by_name: dict[str, list[int]] = {}
        self.keys: dict[int, tuple[str | None, str | None, str | None]] = {}
        self.referrer: dict[int, int | None] = {}

    def add(self, cid: int, name_key: str, url: str | None, email: str | None,
            company: str | None, referrer: int | None = None) -> None:  # fmt: skip
        if url:
            self.by_url.setdefault(url, cid)
        if email:
            self.by_email.setdefault(email, cid)
        ids = self.by_name.setdefault(name_key, [])
        if cid not in ids:
            ids.append(cid)
        old_url, old_email, old_company = self.keys.get(cid, (None, None, None))
        self.keys[cid] = (old_url or url, old_email or email, old_company or company)
        if referrer is not None:
            self.referrer[cid] = referrer

    def find(self, name_key: str, url: str | None, email: str | None,
             company: str | None) -> int | None:  # fmt: skip
        if url and url in self.by_url:
            return self.by_url[url]
        if email and email in self.by_email:
            return self.by_email[email]
        namesakes = self.by_name.get(name_key)
        if not namesakes:
            return None
        fits = [c for c in namesakes if self._fits(c, url, email, company)]
        same_company = [c for c in fits if company and self.keys[c][2] == company]
        return (same_company or fits or [None])[0]

    def _fits(self, cid: int, url: str | None, email: str | None, company: str | None) -> bool:
        """Could a record with these keys be contact ``cid``? Not when a key both have differs."""
        known = self.keys[cid]
        return all(
            not (a and b and a != b) for a, b in zip(known, (url, email, company), strict=True)
        )

    def find_by_name(self, name_key: str) -> int | None:
        ids = self.by_name.get(name_key)
        return ids[0] if ids else None


class _Batch:
    """One file's worth of people and steps on their way into the store."""

    def __init__(self, store: Store, default_owner: int | None, origin: str) -> None:
        self.store = store
        self.default_owner = default_owner
        self.origin = origin
        self.indexes: dict[int, _Index] = {}
        self.contacts: dict[int, _Contact] = {}
        self.owner_ids: dict[str, int] = {}
        self.next_temp = -1
        self.warnings: list[str] = []

    def apply(self, parts: list[ParsedFile], import_id: int) -> IngestCounts:
        events: list[dict[str, Any]] = []
        for part in parts:
            self.warnings.extend(part.warnings)
            ids = [self._resolve(p, PRECEDENCE.get(part.kind, 1)) for p in part.people]
            for person, cid in zip(part.people, ids, strict=True):
                self._link_referrer(person, cid)
            events.extend(self._event_rows(part, ids))
        temp_to_real = self._allocate_ids()
        added = self._insert_new(temp_to_real)
        updated = self._update_existing(temp_to_real)
        events_added = self._insert_events(events, temp_to_real, import_id)
        return IngestCounts(added, updated, events_added, self.warnings, set(self.indexes))

    def _owner_id(self, person: PersonRecord) -> int:
        if not person.owner:
            assert self.default_owner is not None
            return self.default_owner
        if person.owner not in self.owner_ids:
            self.owner_ids[person.owner] = ensure_owner(self.store, person.owner).id
        return self.owner_ids[person.owner]

    def _index(self, owner_id: int) -> _Index:
        if owner_id not in self.indexes:
            index = self.indexes[owner_id] = _Index()
            for row in self.store.rows(
                """SELECT id, name_key, url_key, email_key, company_key, referred_by_id
                   FROM contacts WHERE owner_id = ? ORDER BY id""",
                [owner_id],
            ):
                index.add(*row)
        return self.indexes[owner_id]

    def _resolve(self, person: PersonRecord, rank: int) -> int:
        """The contact ``person`` is, existing or new, with the person's fields offered."""
        owner_id = self._owner_id(person)
        name = (person.name or "").strip()
        name_rank = rank if name else REFERRAL_NAME_PRECEDENCE  # a stand-in yields to any other
        name = name or identity.name_from_url(person.linkedin_url) or ""
        if not name:
            raise ParseError("a person with neither a name nor a profile URL", row=person.row)
        keys = (
            identity.name_key(name),
            identity.url_key(person.linkedin_url),
            identity.email_key(person.email),
            identity.company_key(person.company),
        )
        index = self._index(owner_id)
        cid = index.find(*keys)
        if cid is None:
            cid = self._new_contact(owner_id)
        index.add(cid, *keys)
        contact = self._contact(cid, owner_id)
        contact.offer("name", name, name_rank)
        offered = {
            "email": person.email if keys[2] else None,
            "linkedin_url": person.linkedin_url if keys[1] else None,
            "company": person.company,
            "position": person.position,
            "industry": person.industry,
            "source": person.source,
            "status": person.status,
            "notes": person.notes,
        }
        contact.offer_all(offered, rank)
        contact.offer("connected_on", person.connected_on, rank)
        return cid

    def _new_contact(self, owner_id: int) -> int:
        cid = self.next_temp
        self.next_temp -= 1
        self._contact(cid, owner_id)
        return cid

    def _contact(self, cid: int, owner_id: int) -> _Contact:
        if cid not in self.contacts:
            self.contacts[cid] = _Contact(cid, owner_id)
        return self.contacts[cid]

    def _link_referrer(self, person: PersonRecord, cid: int) -> None:
        """Point ``cid`` at its referrer, creating the referrer when not yet known."""
        if not person.referred_by or not person.referred_by.strip():
            return
        contact = self.contacts[cid]
        index = self._index(contact.owner_id)
        key = identity.name_key(person.referred_by)
        referrer = index.find_by_name(key)
        if referrer == cid:
            self.warnings.append(f"row {person.row}: {person.name} cannot refer themselves")
            return
        if referrer is None:
            referrer = self._new_contact(contact.owner_id)
            index.add(referrer, key, None, None, None)
            self._contact(referrer, contact.owner_id).offer(
                "name", person.referred_by.strip(), REFERRAL_NAME_PRECEDENCE
            )
            self.contacts[referrer].offer("source", "referral", REFERRAL_NAME_PRECEDENCE)
        rank = contact.ranks.get("name", REFERRAL_NAME_PRECEDENCE)
        contact.offer("referred_by_id", referrer, rank)
        index.referrer[cid] = contact.values["referred_by_id"]

    def _event_rows(self, part: ParsedFile, ids: list[int]) -> list[dict[str, Any]]:
        rows = []
        for event in part.events:
            cid = ids[event.person]
            contact, about = self.contacts[cid], None
            if event.kind == EventKind.OUTCOME_REPORT:
                # The report is a touch with the referrer, about the referred person.
                referrer = self._index(contact.owner_id).referrer.get(cid)
                if referrer is None:
                    row = part.people[event.person].row
                    self.warnings.append(
                        f"row {row}: an outcome report for {contact.values.get('name')} "
                        "was skipped: nobody is recorded as having referred them"
                    )
                    continue
                cid, about = referrer, cid
            rows.append(
                {"owner_id": contact.owner_id, "contact_id": cid, "kind": str(event.kind),
                 "on_date": event.on, "about_contact_id": about, "detail": event.detail}
            )  # fmt: skip
        return rows

    def _allocate_ids(self) -> dict[int, int]:
        temps = sorted((cid for cid in self.contacts if cid < 0), reverse=True)
        if not temps:
            return {}
        real = self.store.rows("SELECT nextval('contact_ids') FROM range(?)", [len(temps)])
        return {temp: row[0] for temp, row in zip(temps, real, strict=True)}

    def _frame(self, temp_to_real: dict[int, int], new: bool) -> pl.DataFrame:
        """The contacts this file touches, new or existing, as columns for DuckDB."""
        chosen = [c for cid, c in self.contacts.items() if (cid < 0) == new]
        columns: dict[str, list[Any]] = {
            name: [c.values.get(name) for c in chosen] for name in FIELDS
        }
        columns["referred_by_id"] = [
            None if ref is None else temp_to_real.get(ref, ref) for ref in columns["referred_by_id"]
        ]
        columns["url_key"] = [identity.url_key(v) for v in columns["linkedin_url"]]
        columns["email_key"] = [identity.email_key(v) for v in columns["email"]]
        columns["name_key"] = [v and identity.name_key(v) for v in columns["name"]]
        columns["company_key"] = [identity.company_key(v) for v in columns["company"]]
        columns["id"] = [temp_to_real.get(c.id, c.id) for c in chosen]
        columns["owner_id"] = [c.owner_id for c in chosen]
        columns["precedence"] = [c.precedence for c in chosen]
        return pl.DataFrame(columns, schema=_CONTACT_SCHEMA)

    def _insert_new(self, temp_to_real: dict[int, int]) -> int:
        frame = self._frame(temp_to_real, new=True)
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

    def _update_existing(self, temp_to_real: dict[int, int]) -> int:
        frame = self._frame(temp_to_real, new=False)
        if frame.is_empty():
            return 0
        with self.store.frame_as_table("incoming_contacts", frame):
            changed = self.store.rows(_UPDATE_CONTACTS_SQL)[0][0]
            self.store.run(
                """UPDATE contacts AS c SET precedence = u.precedence
                   FROM incoming_contacts u WHERE c.id = u.id AND u.precedence > c.precedence"""
            )
        return changed

    def _insert_events(self, rows: list[dict[str, Any]], temp_to_real: dict[int, int],
                       import_id: int) -> int:  # fmt: skip
        if not rows:
            return 0
        for row in rows:
            row["contact_id"] = temp_to_real.get(row["contact_id"], row["contact_id"])
            if row["about_contact_id"] is not None:
                row["about_contact_id"] = temp_to_real.get(
                    row["about_contact_id"], row["about_contact_id"]
                )
        frame = pl.DataFrame(rows, schema=_EVENT_SCHEMA, orient="row").unique(
            ["contact_id", "kind", "on_date", "about_contact_id"], keep="first",
            maintain_order=True,
        )  # fmt: skip
        with self.store.frame_as_table("incoming_events", frame):
            return self.store.rows(_INSERT_EVENTS_SQL, [self.origin, import_id])[0][0]


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


def list_imports(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The most recent imports, newest first."""
    return store.dicts(
        """SELECT file_name, kind, rows, contacts_added, contacts_updated, events_added,
                  imported_at
           FROM imports WHERE kind NOT IN ('demo', 'manual')
           ORDER BY imported_at DESC, id DESC LIMIT ?""",
        [limit],
    )
