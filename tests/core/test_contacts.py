"""The contacts read-out as a frame, and the search and stage filter the Contacts page uses."""

from __future__ import annotations

from datetime import date

import polars as pl

from infoint_core.contacts import contacts_frame, filter_contacts, list_contacts
from infoint_core.logbook import add_contact, log_step
from infoint_core.records import EventKind
from infoint_core.store import Store
from tests.conftest import AS_OF


def _log(store: Store) -> pl.DataFrame:
    add_contact(store, None, name="Ada Lovelace", company="Analytical Engines", position="Analyst")
    grace = add_contact(store, None, name="Grace Hopper", company="US Navy", position="Admiral")
    add_contact(store, None, name="Alan Turing", position="Navy codebreaker")
    add_contact(store, None, name="Tim Berners-Lee", referred_by="Grace Hopper")
    log_step(store, grace, EventKind.MEETING, date(2026, 11, 2))
    return contacts_frame(store, None, AS_OF)


def test_the_frame_holds_what_list_contacts_gives(store: Store) -> None:
    frame = _log(store)
    assert frame.to_dicts() == list_contacts(store, as_of=AS_OF)
    assert frame["name"].to_list() == ["Ada Lovelace", "Alan Turing", "Grace Hopper",
                                       "Tim Berners-Lee"]  # fmt: skip
    tim = frame.row(3, named=True)
    assert (tim["referred_by"], tim["stage"]) == ("Grace Hopper", "identified")


def test_search_looks_in_name_organisation_and_position_ignoring_case(store: Store) -> None:
    frame = _log(store)
    assert filter_contacts(frame, "navy")["name"].to_list() == ["Alan Turing", "Grace Hopper"]
    assert filter_contacts(frame, "  ANALYST ")["name"].to_list() == ["Ada Lovelace"]
    assert filter_contacts(frame, "Hopper US")["name"].to_list() == ["Grace Hopper"]
    assert filter_contacts(frame, "nobody by that name").is_empty()
    assert filter_contacts(frame, "").equals(frame)


def test_the_stage_filter_keeps_the_stages_asked_for(store: Store) -> None:
    frame = _log(store)
    assert filter_contacts(frame, stages=["interviewed"])["name"].to_list() == ["Grace Hopper"]
    assert filter_contacts(frame, "navy", ["identified"])["name"].to_list() == ["Alan Turing"]
    assert filter_contacts(frame, stages=[]).height == 4
