"""The Funnel page: stage conversion, time between stages, by source and month, AIR."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from infoint_core.funnel import air_referral_share
from infoint_core.logbook import add_contact
from infoint_core.store import open_workspace

CHART = "vega_lite_chart"  # what st.altair_chart is called in the element tree


def test_the_demo_shows_every_chart_and_step_figure(page, demo_workspace: Path) -> None:
    at = page("funnel").run()
    assert not at.exception
    assert at.title[0].value == "Funnel"
    assert len(at.get(CHART)) == 4  # funnel, time between stages, by source, by month
    tiles = {m.label: m.value for m in at.metric}
    assert "Identified → Contacted" in tiles and "Thanked → Followed up" in tiles
    assert all(value.endswith(" %") for value in tiles.values())


def test_the_air_share_is_shown_for_people(page, demo_workspace: Path) -> None:
    today = date.today()  # the page judges on today
    air = air_referral_share(open_workspace(demo_workspace), None, today).row(0, named=True)
    at = page("funnel").run()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Interviews that led to a referral"] == f"{round(air['share'] * 100)} %"
    said = " ".join(m.value for m in at.markdown)
    assert f"{air['referred_someone']} of the {air['interviewed']} people you interviewed" in said


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace: Path) -> None:
    at = page("funnel").run()
    assert not at.exception
    assert "No contacts yet" in at.info[0].value
    assert not at.get(CHART) and not at.metric


def test_contacts_with_no_dated_step_still_get_a_funnel(page, empty_workspace: Path) -> None:
    add_contact(open_workspace(empty_workspace), None, name="Ada Lovelace")
    at = page("funnel").run()
    assert not at.exception
    assert len(at.get(CHART)) == 3  # no month of first outreach yet
    assert {m.label: m.value for m in at.metric}["Identified → Contacted"] == "0 %"
    captions = " ".join(c.value for c in at.caption)
    assert "Log the day of each outreach" in captions
    assert "No interviews held yet" in " ".join(m.value for m in at.markdown)


def test_a_file_that_is_not_a_workspace_shows_an_error(page, db_path: Path) -> None:
    db_path.write_text("not a database at all\n" * 50)
    at = page("funnel").run()
    assert not at.exception
    assert "not an infoint workspace" in at.error[0].value
