"""The Contacts page: table page by page, search, logging a step, editing, adding a person."""

from __future__ import annotations

from datetime import date

from infoint_core.contacts import list_contacts
from infoint_core.logbook import add_contact
from infoint_core.records import EventKind
from infoint_core.store import open_workspace
from tests.conftest import AS_OF
from ui import escape_markdown

PICK_FIRST_ROW = {"selection": {"rows": [0], "columns": []}}


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace) -> None:
    at = page("contacts").run()
    assert not at.exception
    assert "No contacts yet" in at.info[0].value


def test_the_demo_log_is_listed_page_by_page(page, demo_workspace) -> None:
    at = page("contacts").run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 50
    assert at.caption[0].value.startswith("150 of 150 contacts · showing 1–50")
    first_page = list(at.dataframe[0].value["Name"])

    at.pagination[0].set_value(3).run()
    assert not at.exception
    assert len(at.dataframe[0].value) == 50
    assert "showing 101–150" in at.caption[0].value
    assert not set(at.dataframe[0].value["Name"]) & set(first_page)


def test_search_and_stage_filter_narrow_the_table(page, demo_workspace) -> None:
    at = page("contacts").run()
    at.pagination[0].set_value(2).run()  # the search below has two pages too
    at.text_input[0].input("AN").run()
    assert not at.exception
    found = int(at.caption[0].value.split(" of ")[0])
    assert 50 < found < 150
    assert at.caption[0].value.startswith(f"{found} of 150 contacts · showing 1–50")  # page 1
    assert at.pagination[0].value == 1
    for row in at.dataframe[0].value[["Name", "Organisation", "Position"]].itertuples():
        assert "an" in " ".join(str(v) for v in row[1:]).lower()

    at.text_input[0].input("").run()
    at.multiselect[0].set_value(["interviewed"]).run()
    assert not at.exception
    assert set(at.dataframe[0].value["Stage"]) == {"Interviewed"}


def test_add_a_person_then_log_a_step(page, empty_workspace) -> None:
    at = page("contacts").run()
    at.text_input(key="add_name").input("Ada Lovelace")
    at.text_input(key="add_company").input("Analytical Engines")
    at.text_input(key="add_referred_by").input("Charles Babbage")
    at.button(key="add").click().run()
    assert not at.exception
    contacts = {c["name"]: c for c in list_contacts(open_workspace(empty_workspace))}
    ada = contacts["Ada Lovelace"]
    assert (ada["company"], ada["stage"], ada["referred_by"]) == (
        "Analytical Engines",
        "identified",
        "Charles Babbage",
    )
    assert "Charles Babbage" in contacts  # a referrer not yet known is added too

    at.session_state["contacts_table"] = PICK_FIRST_ROW  # Ada, before Charles by name
    at.run()
    at.selectbox(key="step_kind").set_value(EventKind.MEETING)
    at.date_input(key="step_on").set_value(date(2026, 11, 2))
    at.button(key="log").click().run()
    assert not at.exception
    stages = {
        c["name"]: c["stage"] for c in list_contacts(open_workspace(empty_workspace), as_of=AS_OF)
    }
    assert stages == {"Ada Lovelace": "interviewed", "Charles Babbage": "identified"}


def test_a_step_is_logged_for_the_row_picked_on_a_later_page(page, demo_workspace) -> None:
    at = page("contacts").run()
    at.pagination[0].set_value(2).run()
    picked = at.dataframe[0].value["Name"].iloc[0]
    at.session_state["contacts_table"] = PICK_FIRST_ROW
    at.run()
    assert at.subheader[1].value == f"Edit {escape_markdown(picked)}"
    at.selectbox(key="step_kind").set_value(EventKind.OUTREACH)
    at.date_input(key="step_on").set_value(date(2026, 11, 20))
    at.button(key="log").click().run()
    assert not at.exception
    store = open_workspace(demo_workspace)
    logged = store.rows(
        "SELECT c.name FROM events e JOIN contacts c ON c.id = e.contact_id "
        "WHERE e.origin = 'manual' AND e.kind = ? AND e.on_date = ?",
        [EventKind.OUTREACH.value, date(2026, 11, 20)],
    )
    assert logged == [(picked,)]


def test_pick_a_row_and_edit_it(page, empty_workspace) -> None:
    grace_id = add_contact(
        open_workspace(empty_workspace), None, name="Grace Hopper", company="Navy"
    )
    at = page("contacts").run()
    at.session_state["contacts_table"] = PICK_FIRST_ROW
    at.run()
    assert not at.exception
    at.text_input(key=f"edit-position-{grace_id}").input("Rear Admiral")
    at.button(key="save").click().run()
    assert not at.exception
    (grace,) = list_contacts(open_workspace(empty_workspace))
    assert grace["position"] == "Rear Admiral"


def test_a_new_search_lets_go_of_the_picked_row(page, demo_workspace) -> None:
    at = page("contacts").run()
    at.session_state["contacts_table"] = PICK_FIRST_ROW
    at.run()
    assert any(s.value.startswith("Edit ") for s in at.subheader)
    at.text_input[0].input("a").run()
    assert not at.exception
    assert not any(s.value.startswith("Edit ") for s in at.subheader)
