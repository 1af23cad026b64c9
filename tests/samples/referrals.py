"""Logs of referral links for tests: each person with the name of who referred them."""

from __future__ import annotations

import itertools
from datetime import date

from infoint_core.ingest import store_parsed
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord
from infoint_core.store import Store

MET = [(EventKind.MEETING, date(2026, 11, 2))]
_files = itertools.count()


def put(
    store: Store, referred_by: dict[str, str | None], met: tuple[str, ...] = (), owner="me"
) -> None:
    """One file: each person with their referrer; the people in ``met`` were interviewed."""
    log = ParsedFile(kind="tracker", rows=len(referred_by))
    for name, referrer in referred_by.items():
        index = log.add_person(PersonRecord(row=2, name=name, referred_by=referrer))
        if name in met:
            log.events.extend(EventRecord(index, kind, on) for kind, on in MET)
    n = next(_files)
    store_parsed(store, [log], file_name=f"f{n}", sha256=f"f{n}", kind="tracker", owner=owner)


def close_loop(store: Store, name: str, referrer: str) -> None:
    """Link ``name`` to ``referrer`` behind ingest's back (ingest refuses loops), as an
    older workspace or a hand edit could have."""
    store.run(
        "UPDATE contacts SET referred_by_id = (SELECT id FROM contacts WHERE name = ?) "
        "WHERE name = ?",
        [referrer, name],
    )


#   Ada ─┬─ Grace ── Alan          Tim ── Margaret        Linus (alone)
#        └─ Katherine
FOREST = {
    "Ada": None,
    "Grace": "Ada",
    "Alan": "Grace",
    "Katherine": "Ada",
    "Tim": None,
    "Margaret": "Tim",
    "Linus": None,
}
