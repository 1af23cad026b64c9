"""``ui.read``: one cached answer per workspace version; frames shared, the rest copied."""

from __future__ import annotations

from datetime import date

from infoint_core.contacts import contacts_frame
from infoint_core.logbook import add_contact, log_step
from infoint_core.owners import list_owners
from infoint_core.records import EventKind
from infoint_core.store import open_workspace
from tests.conftest import AS_OF


def test_a_frame_is_shared_and_any_other_answer_is_a_copy(page, empty_workspace) -> None:
    import ui

    add_contact(open_workspace(empty_workspace), None, name="Grace Hopper", company="Navy")
    frame = ui.read(contacts_frame, None, AS_OF)
    assert ui.read(contacts_frame, None, AS_OF) is frame  # no copy made on each run
    owners = ui.read(list_owners)
    again = ui.read(list_owners)
    assert again == owners
    assert again is not owners  # a page may change a list it was given


def test_a_write_makes_the_next_read_fresh(page, empty_workspace) -> None:
    import ui

    store = open_workspace(empty_workspace)
    grace = add_contact(store, None, name="Grace Hopper", company="Navy")
    assert ui.read(contacts_frame, None, AS_OF)["stage"].to_list() == ["identified"]
    log_step(store, grace, EventKind.MEETING, date(2026, 11, 2))
    assert ui.read(contacts_frame, None, AS_OF)["stage"].to_list() == ["interviewed"]
