"""The Contacts page: table, search, logging a step, editing, adding a person."""

from __future__ import annotations

from datetime import date

from infoint_core.contacts import list_contacts
from infoint_core.logbook import add_contact
from infoint_core.records import EventKind
from infoint_core.store import open_workspace
from tests.conftest import AS_OF


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace) -> None:
    at = page("contacts").run()
    assert not at.exception
    assert "No contacts yet" in at.info[0].value


def test_the_demo_log_is_listed_and_searchable(page, demo_workspace) -> None:
    at = page("contacts").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 150
    at.text_input[0].input("Navy").run()
    assert "of 150 contacts" in at.caption[0].value


def test_add_a_person_then_log_a_step(page, empty_workspace) -> None:
    at = page("contacts").run()
    at.text_input(key="add_name").input("Ada Lovelace")
    at.text_input(key="add_company").input("Analytical Engines")
    at.button(key="add").click().run()
    assert not at.exception
    (ada,) = list_contacts(open_workspace(empty_workspace))
    assert (ada["company"], ada["stage"]) == ("Analytical Engines", "identified")

    at.selectbox(key="step_kind").set_value(EventKind.MEETING)
    at.date_input(key="step_on").set_value(date(2026, 11, 2))
    at.button(key="log").click().run()
    assert not at.exception
    (ada,) = list_contacts(open_workspace(empty_workspace), as_of=AS_OF)
    assert ada["stage"] == "interviewed"


def test_pick_a_row_and_edit_it(page, empty_workspace) -> None:
    add_contact(open_workspace(empty_workspace), None, name="Grace Hopper", company="Navy")
    at = page("contacts").run()
    at.session_state["contacts_table"] = {"selection": {"rows": [0], "columns": []}}
    at.run()
    assert not at.exception
    at.text_input(key="edit_position").input("Rear Admiral")
    at.button(key="save").click().run()
    assert not at.exception
    (grace,) = list_contacts(open_workspace(empty_workspace))
    assert grace["position"] == "Rear Admiral"
