"""The Meeting prep page: the plan for a contact, other questions, saving, downloads."""

from __future__ import annotations

from pathlib import Path

import pytest

from infoint_core.gaps import find_gaps
from infoint_core.owners import list_owners
from infoint_core.prep import list_prep_plans, prep_contacts_frame
from infoint_core.profile import load_profile
from infoint_core.store import open_workspace
from tests.conftest import AS_OF

pytestmark = pytest.mark.usefixtures("judged_on_as_of")


def unprepared(db_path: Path) -> list[int]:
    gaps = find_gaps(open_workspace(db_path), None, AS_OF)
    return gaps.filter(gaps["rule"] == "unprepared_meeting")["contact_id"].to_list()


def areas(at, prefix: str) -> list:
    return [area for area in at.text_area if (area.key or "").startswith(prefix)]


def questions(at) -> list[str]:
    return [area.value for area in areas(at, "prep_q-")]


def opening(at) -> str:
    return areas(at, "prep_opening-")[0].value


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace) -> None:
    at = page("prep").run()
    assert not at.exception
    assert at.title[0].value == "Meeting prep"
    assert "No contacts yet" in at.info[0].value
    assert not at.download_button


def test_the_demo_shows_a_plan_for_the_next_meeting(page, demo_workspace) -> None:
    at = page("prep").run()
    assert not at.exception
    assert at.title[0].value == "Meeting prep"
    soonest = unprepared(demo_workspace)[0]  # the demo's next meeting, not prepared yet
    assert at.selectbox(key="prep_contact").value == soonest
    assert 7 <= len(questions(at)) <= 8  # 20 minutes by default
    assert "not asking for a job" in opening(at)
    assert any("Before the meeting" in m.value for m in at.markdown)
    labels = {button.key: button.label for button in at.download_button}
    assert set(labels) == {"prep_download_md", "prep_download_html"}


def test_the_picker_shows_the_next_meeting_and_ticks_it_once_prepared(
    page, demo_workspace, judged_on_as_of
) -> None:
    soonest = prep_contacts_frame(open_workspace(demo_workspace), None, AS_OF).row(0, named=True)
    label = f"{soonest['name']} · {soonest['company']} · meeting {soonest['meeting_on']:%a %d %b}"
    at = page("prep").run()
    assert at.selectbox(key="prep_contact").options[0] == label
    at.button(key="prep_save").click().run()
    assert not at.exception
    assert at.selectbox(key="prep_contact").options[0] == f"{label} ✓"
    assert at.selectbox(key="prep_contact").value == soonest["id"]


def test_fewer_minutes_give_fewer_questions(page, demo_workspace) -> None:
    at = page("prep").run()
    at.select_slider(key="prep_minutes").set_value(10).run()
    assert not at.exception
    assert 4 <= len(questions(at)) <= 5


def test_saving_the_plan_closes_the_gap(page, demo_workspace) -> None:
    soonest = unprepared(demo_workspace)[0]
    at = page("prep").run()
    first = areas(at, "prep_q-")[0]
    first.input("What first drew you to this work?")
    at.button(key="prep_save").click().run()
    assert not at.exception
    assert soonest not in unprepared(demo_workspace)
    (saved,) = list_prep_plans(open_workspace(demo_workspace), contact_id=soonest)
    assert saved["plan"]["questions"][0]["text"] == "What first drew you to this work?"
    assert at.success  # the page now says the meeting is prepared


def test_other_question_swaps_just_that_one(page, demo_workspace) -> None:
    at = page("prep").run()
    before = questions(at)
    at.button(key=next(b.key for b in at.button if (b.key or "").startswith("prep_other-")))
    at.button(key=next(b.key for b in at.button if (b.key or "").startswith("prep_other-"))).click()
    at.run()
    assert not at.exception
    after = questions(at)
    assert len(after) == len(before)
    assert after[0] != before[0] and after[1:] == before[1:]


def test_the_profile_form_saves_and_tailors_the_plan(page, demo_workspace) -> None:
    at = page("prep").run()
    field, background = at.text_input  # the profile form's two boxes
    field.input("data analytics")
    background.input("economics")
    at.button(key="prep_save_profile").click().run()
    assert not at.exception
    store = open_workspace(demo_workspace)
    (owner,) = list_owners(store)
    assert load_profile(store, owner.id).field == "data analytics"
    assert "exploring a career in data analytics" in opening(at)


def test_a_file_that_is_not_a_workspace_shows_an_error(page, db_path: Path) -> None:
    db_path.write_text("not a database at all\n" * 50)
    at = page("prep").run()
    assert not at.exception
    assert "not an infoint workspace" in at.error[0].value


def test_the_drafts_for_the_contact_are_offered(page, demo_workspace) -> None:
    at = page("prep").run()
    assert not at.exception
    assert any(s.value == "Email drafts" for s in at.subheader)
