"""Many Streamlit sessions at once: threads sharing one ``Store`` lose no write.

Streamlit runs every browser session on its own thread against the one ``Store`` of the
process, so logged steps, hand edits, imports and read-outs interleave freely.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date, timedelta

from infoint_core.contacts import list_contacts
from infoint_core.importers import ImportOptions, import_bytes
from infoint_core.logbook import add_contact, log_step, update_contact
from infoint_core.metrics import compute_metrics
from infoint_core.records import EventKind
from infoint_core.store import Store
from tests.conftest import AS_OF

THREADS = 8
OPS = 25
SEEDED = 4  # contacts every thread edits and logs steps for


def _tracker(thread: int, op: int) -> bytes:
    """A one-row tracker naming a person no other operation names."""
    return (
        f"Name,Company,Date contacted\nPerson {thread}-{op},Firm {thread},2026-10-01\n"
    ).encode()


def _run_threads(work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(n)`` on ``THREADS`` threads started together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def guarded(n: int) -> None:
        start.wait()
        try:
            work(n)
        except BaseException as e:  # collected and asserted by the caller
            errors.append(e)

    threads = [threading.Thread(target=guarded, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_sessions_mixing_writes_and_reads_lose_nothing(store: Store) -> None:
    seeded = [add_contact(store, None, name=f"Shared {i}", company="Acme") for i in range(SEEDED)]
    first_day = date(2026, 1, 1)

    def session(n: int) -> None:
        for op in range(OPS):
            contact = seeded[op % SEEDED]
            match op % 5:
                case 0:  # every thread logs its own day, so no two steps are the same
                    day = first_day + timedelta(days=n * OPS + op)
                    assert log_step(store, contact, EventKind.OUTREACH, day)
                case 1:
                    update_contact(store, contact, notes=f"edited by {n} at {op}")
                case 2:
                    result = import_bytes(store, f"t{n}-{op}.csv", _tracker(n, op), ImportOptions())
                    assert result.error is None, result.error
                case 3:
                    add_contact(store, None, name=f"Added {n}-{op}", company="Hand")
                case _:  # a read-out while others write: the contacts table of the page
                    assert len(list_contacts(store, as_of=AS_OF)) >= SEEDED

    assert _run_threads(session) == []
    per_kind = OPS // 5
    outreach = store.value("SELECT count(*) FROM events WHERE kind = 'outreach'")
    assert outreach == THREADS * per_kind * 2  # logged by hand + one per imported tracker row
    assert store.value("SELECT count(*) FROM imports WHERE file_name LIKE 't%'") == (
        THREADS * per_kind
    )
    names = {c["name"] for c in list_contacts(store, as_of=AS_OF)}
    expected = {f"Person {n}-{op}" for n in range(THREADS) for op in range(2, OPS, 5)}
    expected |= {f"Added {n}-{op}" for n in range(THREADS) for op in range(3, OPS, 5)}
    assert expected <= names
    assert len(names) == len(expected) + SEEDED
    assert compute_metrics(store, as_of=AS_OF)["contacts"] == len(names)


def test_the_same_step_logged_by_two_sessions_at_once_is_stored_once(store: Store) -> None:
    contact = add_contact(store, None, name="Ada Lovelace")
    logged: list[bool] = []

    def session(n: int) -> None:
        for op in range(OPS):
            logged.append(log_step(store, contact, EventKind.MEETING, date(2026, 11, 1 + op % 5)))

    assert _run_threads(session) == []
    assert store.value("SELECT count(*) FROM events WHERE kind = 'meeting'") == 5
    assert logged.count(True) == 5
