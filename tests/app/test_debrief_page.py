"""The Debrief page: pick a meeting, save what it gave, copy the thank-you; AIR yield."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import infoint_core.debrief
from infoint_core.contacts import list_contacts
from infoint_core.errors import InputError
from infoint_core.logbook import add_contact
from infoint_core.store import open_workspace
from tests.conftest import AS_OF
from ui import escape_markdown


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace) -> None:
    at = page("debrief").run()
    assert not at.exception
    assert at.title[0].value == "Debrief"
    assert "Nobody to debrief yet" in at.info[0].value


def test_the_demo_lists_meetings_newest_first_and_draws_the_air_yield(page, demo_workspace) -> None:
    at = page("debrief").run()
    assert not at.exception
    meetings = at.selectbox(key="meeting")
    labels = list(meetings.options)
    days = [date.fromisoformat(_iso(label)) for label in labels]
    assert len(days) > 20
    assert days == sorted(days, reverse=True)
    assert any(h.value == "AIR yield" for h in at.subheader)
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")


def test_saving_a_debrief_with_two_names_adds_them_and_drafts_the_thank_you(
    page, demo_workspace
) -> None:
    store = open_workspace(demo_workspace)
    before = len(list_contacts(store))
    at = page("debrief").run()
    met_name = at.selectbox(key="meeting").options[0].split(" · ")[1]  # picked first

    at.text_area(key="debrief_learned").input("Most analysts start in reporting roles")
    at.text_area(key="debrief_advice").input("Build a portfolio project with public data")
    at.text_area(key="debrief_referred").input("Alan Brandnew\nKatherine Brandnew")
    at.button(key="save").click().run()
    assert not at.exception

    contacts = {c["name"]: c for c in list_contacts(open_workspace(demo_workspace))}
    assert len(contacts) == before + 2
    for name in ("Alan Brandnew", "Katherine Brandnew"):
        assert contacts[name]["referred_by"] == met_name
        assert contacts[name]["stage"] == "identified"
    assert any("Alan Brandnew, Katherine Brandnew" in m.value for m in at.markdown)
    drafts = [c.value for c in at.code]
    thank_you = next(body for body in drafts if body.startswith("Dear "))
    assert "most analysts start in reporting roles" in thank_you
    assert "Alan Brandnew and Katherine Brandnew" in thank_you

    # Picking the same meeting again shows what was saved, and saving again adds nobody.
    at.button(key="save").click().run()
    assert not at.exception
    assert at.text_area(key="debrief_referred").value == "Alan Brandnew\nKatherine Brandnew"
    assert len(list_contacts(open_workspace(demo_workspace))) == before + 2


def test_a_meeting_not_in_the_log_is_logged_by_its_debrief(page, empty_workspace) -> None:
    add_contact(open_workspace(empty_workspace), None, name="Grace Hopper", company="Navy")
    at = page("debrief").run()
    assert not at.exception
    at.date_input(key="met_on").set_value(date(2026, 11, 2)).run()  # a new pick empties the form
    at.text_area(key="debrief_learned").input("Compilers are for people")
    at.button(key="save").click().run()
    assert not at.exception
    (grace,) = list_contacts(open_workspace(empty_workspace), as_of=AS_OF)
    assert grace["stage"] == "interviewed"
    assert any("Compilers are for people" in c.value for c in at.code)


def test_an_error_is_shown_not_raised(
    page, demo_workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):
        raise InputError("the meeting is still to come")

    monkeypatch.setattr(infoint_core.debrief, "save_debrief", refuse)
    at = page("debrief").run()
    at.button(key="save").click().run()
    assert not at.exception
    assert "still to come" in at.error[0].value


def _iso(label: str) -> str:
    return datetime.strptime(label.split(" · ")[0], "%d %b %Y").date().isoformat()


def test_a_meeting_not_in_the_log_is_picked_from_everyone_and_its_referrer_is_named(
    page, demo_workspace
) -> None:
    everyone = list_contacts(open_workspace(demo_workspace))
    referred = next(c for c in everyone if c["referred_by"] and c["stage"] != "interviewed")
    at = page("debrief").run()
    at.toggle(key="unlogged").set_value(True).run()
    picker = at.selectbox(key="met_contact")
    assert len(picker.options) == len(everyone)
    assert f"{referred['name']} · {referred['company']}" in picker.options

    picker.set_value(referred["id"]).run()
    at.date_input(key="met_on").set_value(date(2026, 11, 2)).run()
    at.text_area(key="debrief_learned").input("Most of the job is talking to people")
    at.text_area(key="debrief_referred").input("Hedy Brandnew")
    at.button(key="save").click().run()
    assert not at.exception
    assert "The meeting was not in your log, so it is now." in [c.value for c in at.caption]
    # A new name is a new option; the pick stays on the person met, so the result shows.
    assert len(at.selectbox(key="met_contact").options) == len(everyone) + 1
    assert at.selectbox(key="met_contact").value == referred["id"]
    heading = f"Tell {escape_markdown(referred['referred_by'])} how it went"
    assert any(h.value == heading for h in at.subheader)
