"""Debriefs: what a meeting gave (Advice, Insight, Referral) and the AIR yield of them all.

A debrief is written once per contact and meeting day; saving it again updates it. Saving
is one step, in one transaction: the debrief, the meeting (logged when the log does not
have it yet) and every name the contact suggested, each a contact with this person as
referrer. Either all of it lands or none of it does.

Why not ``logbook.add_contact`` for the names: it stores through ``ingest``, which opens
its own transaction, and DuckDB cannot nest one inside another. A suggested name is the
simplest record ingest knows (a name and a referrer, as a tracker's "Referred by" column
creates), so it is written here with the same identity key and the same rules: an
existing contact of that name is reused (the first known, among namesakes); a new one
starts as ``identified`` with the lowest trust, so any later file with the person's
details corrects it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import polars as pl

from infoint_core import identity
from infoint_core.errors import InputError, NotFoundError
from infoint_core.ingest import REFERRAL_NAME_PRECEDENCE
from infoint_core.records import EventKind
from infoint_core.referrals import load_referral_graph
from infoint_core.store import Store

AIR_PARTS = ("advice", "insight", "referral")
REFERRAL_SOURCE = "referral"  # the source ingest gives a person known from a referral

# A list marker someone may type before a name: "- ", "* ", "• ", "1. ", "2) ".
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·–]+|\d+[.)])\s*")


@dataclass(frozen=True, slots=True)
class ReferredContact:
    """A person named in a debrief, as the log now holds them."""

    contact_id: int
    name: str


@dataclass(frozen=True, slots=True)
class Debrief:
    """What one meeting gave. Blank answers are ``None``."""

    id: int
    owner_id: int
    contact_id: int
    contact: str  # the name of the person met
    meeting_on: date
    learned: str | None  # the Insight
    advice: str | None  # the Advice
    follow_up_promised: str | None
    notes: str | None
    referred: tuple[ReferredContact, ...]  # the names they suggested (the Referral)
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class DebriefResult:
    """What saving a debrief did."""

    debrief: Debrief
    created: bool  # False when an earlier debrief of this meeting was updated
    meeting_logged: bool  # the meeting was not in the log and now is
    added: tuple[ReferredContact, ...]  # new contacts, referred by the person met
    linked: tuple[ReferredContact, ...]  # people already known, now referred by them
    notes: tuple[str, ...]  # names left as they were, each with the reason


_DEBRIEFS_SQL = """
SELECT d.id, d.owner_id, d.contact_id, c.name AS contact, d.meeting_on, d.learned, d.advice,
       d.follow_up_promised, d.notes,
       coalesce((SELECT list(struct_pack(id := r.id, name := r.name) ORDER BY k.i)
                 FROM (SELECT unnest(d.referred_ids) AS id,
                              generate_subscripts(d.referred_ids, 1) AS i) k
                 JOIN contacts r ON r.id = k.id), []) AS referred,
       d.created_at, d.updated_at
FROM debriefs d
JOIN contacts c ON c.id = d.contact_id AND c.owner_id = d.owner_id
WHERE ($owner_id IS NULL OR d.owner_id = $owner_id)
  AND ($contact_id IS NULL OR d.contact_id = $contact_id)
  AND ($meeting_on IS NULL OR d.meeting_on = $meeting_on)
ORDER BY d.meeting_on DESC, c.name, d.id
"""

# Held meetings (one row per contact and day, by as_of), newest first.
HELD_MEETINGS_SQL = f"""
SELECT e.contact_id::BIGINT AS contact_id, c.name AS contact, c.company, c.position,
       e.on_date AS meeting_on, r.name AS referred_by, d.id IS NOT NULL AS debriefed
FROM (SELECT DISTINCT owner_id, contact_id, on_date FROM events
      WHERE kind = '{EventKind.MEETING}' AND on_date <= $as_of) e
JOIN contacts c ON c.id = e.contact_id AND c.owner_id = e.owner_id
LEFT JOIN contacts r ON r.id = c.referred_by_id AND r.owner_id = c.owner_id
LEFT JOIN debriefs d ON d.contact_id = e.contact_id AND d.meeting_on = e.on_date
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
ORDER BY e.on_date DESC, c.name, c.id
"""

# One row per held meeting with what it yielded. A referral link (someone lists the
# contact as referrer) carries no date, so it is credited to the meeting whose debrief
# named that person, else to the contact's first held meeting.
AIR_BY_INTERVIEW_SQL = f"""
WITH held AS (
    SELECT DISTINCT e.contact_id, e.on_date AS meeting_on
    FROM events e JOIN contacts c ON c.id = e.contact_id AND c.owner_id = e.owner_id
    WHERE e.kind = '{EventKind.MEETING}' AND e.on_date <= $as_of
      AND ($owner_id IS NULL OR c.owner_id = $owner_id)
),
first_held AS (
    SELECT contact_id, min(meeting_on) AS first_on FROM held GROUP BY contact_id
),
named AS (
    SELECT contact_id, referred_id, min(meeting_on) AS meeting_on
    FROM (SELECT contact_id, meeting_on, unnest(referred_ids) AS referred_id FROM debriefs)
    GROUP BY contact_id, referred_id
),
credited AS (
    SELECT DISTINCT r.referred_by_id AS contact_id,
           coalesce(n.meeting_on, f.first_on) AS meeting_on
    FROM contacts r
    JOIN contacts c ON c.id = r.referred_by_id AND c.owner_id = r.owner_id
    LEFT JOIN named n ON n.contact_id = r.referred_by_id AND n.referred_id = r.id
    LEFT JOIN first_held f ON f.contact_id = r.referred_by_id
)
SELECT h.contact_id::BIGINT AS contact_id, h.meeting_on,
       coalesce(trim(d.advice) <> '', false) AS advice,
       coalesce(trim(d.learned) <> '', false) AS insight,
       cr.contact_id IS NOT NULL AS referral
FROM held h
LEFT JOIN debriefs d ON d.contact_id = h.contact_id AND d.meeting_on = h.meeting_on
LEFT JOIN credited cr ON cr.contact_id = h.contact_id AND cr.meeting_on = h.meeting_on
ORDER BY h.meeting_on, h.contact_id
"""


def save_debrief(
    store: Store,
    contact_id: int,
    meeting_on: date,
    *,
    learned: str | None = None,
    advice: str | None = None,
    referred_names: list[str] | tuple[str, ...] = (),
    follow_up_promised: str | None = None,
    notes: str | None = None,
    as_of: date | None = None,
) -> DebriefResult:
    """Save the debrief of the meeting with ``contact_id`` on ``meeting_on``, in one step.

    Logs the meeting when the log lacks it, and makes each name in ``referred_names``
    (one person each; list markers and blank lines ignored) a contact referred by this
    person: a new contact, or the existing one of that name, nobody twice. An existing
    person keeps a referrer they already have, and nobody is made to refer someone above
    them in their own chain (that would be a loop); ``notes`` of the result says who was
    left as they were. Saving the same meeting again updates its debrief.

    Raises NotFoundError for an unknown contact, InputError for a meeting after
    ``as_of`` (default today): a debrief looks back on a meeting held.
    """
    day = as_of or date.today()
    if meeting_on > day:
        raise InputError(
            f"the meeting on {meeting_on:%Y-%m-%d} is still to come: debrief it once it is held"
        )
    row = store.first("SELECT owner_id, name FROM contacts WHERE id = ?", [contact_id])
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    owner_id, contact_name = row
    texts = [_clean_text(v) for v in (learned, advice, follow_up_promised, notes)]
    with store.transaction():
        meeting_logged = _log_meeting(store, owner_id, contact_id, meeting_on)
        referrals = _Referrals(store, owner_id, contact_id, contact_name)
        for name in clean_names(referred_names):
            referrals.name(name)
        debrief_id, created = _upsert(
            store, owner_id, contact_id, meeting_on, texts, referrals.named_ids
        )
    (debrief,) = _debriefs(store, None, contact_id, meeting_on)
    assert debrief.id == debrief_id
    return DebriefResult(
        debrief, created, meeting_logged, tuple(referrals.added), tuple(referrals.linked),
        tuple(referrals.notes),
    )  # fmt: skip


def get_debrief(store: Store, contact_id: int, meeting_on: date) -> Debrief | None:
    """The debrief of the meeting with ``contact_id`` on ``meeting_on``, if one was saved."""
    found = _debriefs(store, None, contact_id, meeting_on)
    return found[0] if found else None


def list_debriefs(
    store: Store, owner_id: int | None = None, contact_id: int | None = None
) -> list[Debrief]:
    """Every debrief of ``owner_id`` (every owner when ``None``), or of one contact;
    the most recent meeting first."""
    return _debriefs(store, owner_id, contact_id, None)


def held_meetings(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Every meeting held by ``as_of``, newest first: ``contact_id``, ``contact``,
    ``company``, ``position``, ``meeting_on``, ``referred_by`` and ``debriefed``."""
    return store.frame(HELD_MEETINGS_SQL, {"as_of": as_of, "owner_id": owner_id})


def air_by_interview(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per interview (a meeting held by ``as_of``): ``contact_id``,
    ``meeting_on`` and whether it yielded ``advice``, ``insight`` and a ``referral``.

    Advice and insight come from the meeting's debrief. A referral is someone listing
    the contact as referrer; it is credited to the meeting whose debrief named that
    person, else to the contact's first interview (imported logs do not say which).
    """
    return store.frame(AIR_BY_INTERVIEW_SQL, {"as_of": as_of, "owner_id": owner_id})


def air_yield(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """The AIR yield: one row per ``part`` (advice, insight, referral) with
    ``interviews`` (meetings held by ``as_of``), ``yielded`` (those that gave the part)
    and ``share`` (yielded / interviews; null when there was no interview).

    See ``air_by_interview`` for what counts as yielding each part.
    """
    per_interview = air_by_interview(store, owner_id, as_of)
    interviews = per_interview.height
    yielded = [int(per_interview[part].sum()) for part in AIR_PARTS]
    return pl.DataFrame(
        {
            "part": list(AIR_PARTS),
            "interviews": [interviews] * len(AIR_PARTS),
            "yielded": yielded,
            "share": [n / interviews if interviews else None for n in yielded],
        },
        schema={"part": pl.String, "interviews": pl.Int64, "yielded": pl.Int64,
                "share": pl.Float64},
    )  # fmt: skip


def clean_names(names: list[str] | tuple[str, ...] | str) -> list[str]:
    """The people in ``names``: one a line (a single string may hold several lines), list
    markers and extra spaces dropped, blanks and repeats (same identity key) left out."""
    lines = names.splitlines() if isinstance(names, str) else [
        line for entry in names for line in (entry or "").splitlines()
    ]  # fmt: skip
    seen: set[str] = set()
    cleaned = []
    for line in lines:
        name = " ".join(_LIST_MARKER.sub("", line).split())
        key = identity.name_key(name)
        if key and key not in seen:
            seen.add(key)
            cleaned.append(name)
    return cleaned


class _Referrals:
    """The names one debrief suggests, written as referrals of the person met."""

    def __init__(self, store: Store, owner_id: int, contact_id: int, contact: str) -> None:
        self.store = store
        self.owner_id = owner_id
        self.contact_id = contact_id
        self.contact = contact
        graph = load_referral_graph(store, owner_id)
        self.referrer_names = graph.names
        # Everyone above the person met in their chain: none of them can be referred by
        # them. Walked with a guard, so a loop already in the data cannot hang it.
        self.above: set[int] = set()
        node = graph.referrer.get(contact_id)
        while node is not None and node not in self.above:
            self.above.add(node)
            node = graph.referrer.get(node)
        self.named_ids: list[int] = []
        self.added: list[ReferredContact] = []
        self.linked: list[ReferredContact] = []
        self.notes: list[str] = []

    def name(self, name: str) -> None:
        key = identity.name_key(name)
        known = self.store.first(
            """SELECT id, name, referred_by_id FROM contacts
               WHERE owner_id = ? AND name_key = ? ORDER BY id LIMIT 1""",
            [self.owner_id, key],
        )
        if known is None:
            new_id = self.store.value(
                """INSERT INTO contacts (owner_id, name, name_key, source, referred_by_id,
                                         precedence, origin)
                   VALUES (?, ?, ?, ?, ?, ?, 'manual') RETURNING id""",
                [self.owner_id, name, key, REFERRAL_SOURCE, self.contact_id,
                 REFERRAL_NAME_PRECEDENCE],
            )  # fmt: skip
            self.added.append(ReferredContact(new_id, name))
            self.named_ids.append(new_id)
            return
        known_id, known_name, referrer = known
        if known_id == self.contact_id:
            self.notes.append(f"{known_name} is the person you met, so not their own referral")
            return
        self.named_ids.append(known_id)
        if referrer == self.contact_id:
            return
        if referrer is not None:
            by = self.referrer_names.get(referrer, "someone else")
            self.notes.append(f"{known_name} left as they were: already referred by {by}")
        elif known_id in self.above:
            self.notes.append(
                f"{known_name} left as they were: they come before {self.contact} "
                "in this referral chain"
            )
        else:
            self.store.run(
                """UPDATE contacts SET referred_by_id = ?, updated_at = current_timestamp
                   WHERE id = ?""",
                [self.contact_id, known_id],
            )
            self.linked.append(ReferredContact(known_id, known_name))


def _log_meeting(store: Store, owner_id: int, contact_id: int, meeting_on: date) -> bool:
    """Log the meeting unless the log has it; True when it was added."""
    return bool(
        store.value(
            f"""
            INSERT INTO events (owner_id, contact_id, kind, on_date, origin)
            SELECT ?, ?, '{EventKind.MEETING}', ?, 'manual'
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE contact_id = ?
                              AND kind = '{EventKind.MEETING}' AND on_date = ?)
            """,
            [owner_id, contact_id, meeting_on, contact_id, meeting_on],
        )
    )


def _upsert(
    store: Store,
    owner_id: int,
    contact_id: int,
    meeting_on: date,
    texts: list[str | None],
    referred_ids: list[int],
) -> tuple[int, bool]:
    """Write the debrief; its id, and whether it is new."""
    existing = store.value(
        "SELECT id FROM debriefs WHERE contact_id = ? AND meeting_on = ?",
        [contact_id, meeting_on],
    )
    if existing is not None:
        store.run(
            """UPDATE debriefs SET learned = ?, advice = ?, follow_up_promised = ?, notes = ?,
                                   referred_ids = ?, updated_at = current_timestamp
               WHERE id = ?""",
            [*texts, referred_ids, existing],
        )
        return existing, False
    new_id = store.value(
        """INSERT INTO debriefs (owner_id, contact_id, meeting_on, learned, advice,
                                 follow_up_promised, notes, referred_ids)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id""",
        [owner_id, contact_id, meeting_on, *texts, referred_ids],
    )
    return new_id, True


def _debriefs(
    store: Store, owner_id: int | None, contact_id: int | None, meeting_on: date | None
) -> list[Debrief]:
    params = {"owner_id": owner_id, "contact_id": contact_id, "meeting_on": meeting_on}
    return [_debrief(row) for row in store.dicts(_DEBRIEFS_SQL, params)]


def _debrief(row: dict[str, Any]) -> Debrief:
    referred = tuple(ReferredContact(r["id"], r["name"]) for r in row.pop("referred"))
    return Debrief(**row, referred=referred)


def _clean_text(value: str | None) -> str | None:
    """A free-text answer as kept: trimmed, ``None`` when blank."""
    text = (value or "").strip()
    return text or None
