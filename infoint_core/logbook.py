"""Logging steps and editing contacts by hand (the Contacts page and the CLI).

A person added by hand goes through the same ingest path as a file, so identity and
referrers work the same way; a step logged for a known contact is written directly.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from infoint_core import identity
from infoint_core.errors import InputError, NotFoundError
from infoint_core.ingest import PRECEDENCE, store_parsed
from infoint_core.records import EventKind, ParsedFile, PersonRecord
from infoint_core.store import Store

# What a person can log, in the words the app shows.
STEP_LABELS: dict[EventKind, str] = {
    EventKind.OUTREACH: "Reached out",
    EventKind.RESPONSE: "Got a response",
    EventKind.MEETING: "Meeting (agreed or held)",
    EventKind.THANK_YOU: "Sent a thank-you",
    EventKind.FOLLOW_UP: "Followed up",
    EventKind.OUTCOME_REPORT: "Told their referrer how it went",
    EventKind.DECLINED: "They declined",
}
EDITABLE_FIELDS = ("name", "email", "linkedin_url", "company", "position", "industry",
                   "source", "notes")  # fmt: skip
_KEY_OF = {"name": "name_key", "email": "email_key", "linkedin_url": "url_key",
           "company": "company_key"}  # fmt: skip


def add_contact(store: Store, owner: str | None, **fields: Any) -> int:
    """Add a person by hand (``name`` required; ``referred_by`` a name) and return their id.

    Someone already in the log (same profile, email or name and organisation) is updated
    instead of duplicated. Raises InputError without a name.
    """
    name = (fields.get("name") or "").strip()
    if not name:
        raise InputError("a contact needs a name")
    _check_url(fields.get("linkedin_url"))
    person = PersonRecord(row=1, owner=owner, **{k: v or None for k, v in fields.items()})
    log = ParsedFile(kind="manual", rows=1, people=[person])
    store_parsed(
        store, [log], file_name="added by hand", sha256="manual", kind="manual", owner=owner,
        origin="manual",
    )  # fmt: skip
    return _find_added(store, person)


def _find_added(store: Store, person: PersonRecord) -> int:
    row = store.first(
        """SELECT c.id FROM contacts c
           WHERE c.name_key = ? AND c.company_key IS NOT DISTINCT FROM ?
           ORDER BY c.updated_at DESC, c.id DESC LIMIT 1""",
        [identity.name_key(person.name or ""), identity.company_key(person.company)],
    )
    if row is None:  # matched an existing contact by URL or email under another name
        row = store.first(
            "SELECT id FROM contacts WHERE url_key = ? OR email_key = ? ORDER BY id LIMIT 1",
            [identity.url_key(person.linkedin_url), identity.email_key(person.email)],
        )
    assert row is not None
    return row[0]


def log_step(
    store: Store, contact_id: int, kind: EventKind, on: date | None, detail: str | None = None
) -> bool:
    """Log a step for a contact; False when the same step was already logged.

    An outcome report is stored as a touch with the contact's referrer, about this
    contact. Raises NotFoundError for an unknown contact, InputError for an outcome
    report on a contact nobody referred.
    """
    owner_id, referrer = _contact_owner_and_referrer(store, contact_id)
    target, about = contact_id, None
    if kind == EventKind.OUTCOME_REPORT:
        if referrer is None:
            raise InputError("nobody is recorded as having referred this contact")
        target, about = referrer, contact_id
    with store.transaction():
        added = store.rows(
            """
            INSERT INTO events (owner_id, contact_id, kind, on_date, about_contact_id, detail,
                                origin)
            SELECT ?, ?, ?, ?, ?, ?, 'manual'
            WHERE NOT EXISTS (
                SELECT 1 FROM events WHERE contact_id = ? AND kind = ?
                  AND on_date IS NOT DISTINCT FROM ? AND about_contact_id IS NOT DISTINCT FROM ?)
            """,
            [owner_id, target, str(kind), on, about, detail, target, str(kind), on, about],
        )[0][0]
    return bool(added)


def update_contact(store: Store, contact_id: int, **fields: Any) -> None:
    """Change a contact's fields (blank values clear a field, except the name).

    Raises NotFoundError for an unknown contact, InputError for an unknown field, a
    blank name or a profile URL that is not a web address.
    """
    _contact_owner_and_referrer(store, contact_id)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise InputError(f"these fields cannot be edited: {', '.join(sorted(unknown))}")
    values = {k: (v.strip() if isinstance(v, str) else v) or None for k, v in fields.items()}
    if "name" in values and not values["name"]:
        raise InputError("a contact needs a name")
    _check_url(values.get("linkedin_url"))
    assignments, params = [], []
    for column, value in values.items():
        assignments.append(f"{column} = ?")
        params.append(value)
        if column in _KEY_OF:
            assignments.append(f"{_KEY_OF[column]} = ?")
            params.append(_key(column, value))
    if not assignments:
        return
    with store.transaction():
        # A hand edit outranks every file, so a later import cannot undo it.
        store.run(
            f"UPDATE contacts SET {', '.join(assignments)}, precedence = ?, "
            "updated_at = current_timestamp WHERE id = ?",
            [*params, PRECEDENCE["manual"], contact_id],
        )


def _check_url(url: str | None) -> None:
    if url and not identity.is_web_url(url.strip()):
        raise InputError("a profile URL must be a web address (https://…)")


def _key(column: str, value: str | None) -> str | None:
    if value is None:
        return None
    return {
        "name": identity.name_key,
        "email": identity.email_key,
        "linkedin_url": identity.url_key,
        "company": identity.company_key,
    }[column](value)


def _contact_owner_and_referrer(store: Store, contact_id: int) -> tuple[int, int | None]:
    row = store.first("SELECT owner_id, referred_by_id FROM contacts WHERE id = ?", [contact_id])
    if row is None:
        raise NotFoundError(f"no contact with id {contact_id}")
    return row[0], row[1]
