"""End-to-end flows in a real browser (issue 8): a new user imports a LinkedIn export and a
tracker, logs an interview and a thank-you, and prepares a meeting.

The dashboard judges every read-out on today, so the sample files are dated from today.
Locators go by what a person sees (labels, roles, text), not by CSS classes, so wording
kept the same survives a page being rebuilt.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from infoint_core.importers import ImportOptions, import_bytes
from infoint_core.settings import set_setting
from infoint_core.store import close_all_workspaces, open_workspace
from tests.browser.conftest import ConsoleErrors, open_app, rerun_after, screenshot
from tests.browser.server import streamlit_server
from tests.samples.linkedin import (
    Connection,
    Invitation,
    Message,
    connections_csv,
    invitations_csv,
    messages_csv,
)
from tests.samples.trackers import workbook_bytes

pytestmark = pytest.mark.browser

TODAY = date.today()
ME = ("Sam Student", "https://www.linkedin.com/in/sam-student")
ADA = ("Ada Lovelace", "https://www.linkedin.com/in/ada-lovelace")
ALAN = ("Alan Turing", "https://www.linkedin.com/in/alan-turing")
# A header the Import page cannot place by itself: the user maps it to "Referred by".
UNKNOWN_HEADER = "Put in touch by"
REFERRED_BY_LABEL = "Name of the contact who referred you to this one"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour))


def linkedin_export() -> bytes:
    """An export zip: Ada answered our message; Alan never answered his (12 days ago, so
    at least 8 business days: "follow up once")."""
    connections = connections_csv(
        [
            Connection("Ada", "Lovelace", days_ago(60), company="Analytical Engines", url=ADA[1]),
            Connection("Alan", "Turing", days_ago(40), company="Bletchley Park", url=ALAN[1]),
        ]
    )
    invitations = invitations_csv(
        [Invitation(ME[0], ALAN[0], at(days_ago(41), 9), sender_url=ME[1], recipient_url=ALAN[1])],
        with_urls=True,
    )
    messages = messages_csv(
        [
            Message("c1", ME[0], ME[1], [ADA], at(days_ago(20), 10)),
            Message("c1", ADA[0], ADA[1], [ME], at(days_ago(19), 16)),
            Message("c2", ME[0], ME[1], [ALAN], at(days_ago(12), 11)),
        ]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("Connections.csv", connections)
        archive.writestr("Invitations.csv", invitations)
        archive.writestr("messages.csv", messages)
    return buffer.getvalue()


def import_tracker() -> bytes:
    """The user's own tracker: Ada met and thanked; Grace, whom Ada put us in touch with,
    met five days ago and not yet thanked."""
    return workbook_bytes(
        {
            "Log": [
                ["Full name", "Organisation", "Interview date", "Thank-you sent?", UNKNOWN_HEADER],
                [ADA[0], "Analytical Engines", days_ago(10), "yes", None],
                ["Grace Hopper", "Navy", days_ago(5), None, ADA[0]],
            ]
        }
    )


def upload(name: str, data: bytes, mime: str) -> dict[str, Any]:
    """A file for ``set_input_files``, straight from memory."""
    return {"name": name, "mimeType": mime, "buffer": data}


@pytest.fixture
def seeded_app(tmp_path: Path) -> Iterator[str]:
    """The dashboard on a log imported before: Grace, reached out to 14 days ago, has not
    answered ("follow up once"); the meeting with Katherine in 3 days has no questions
    prepared."""
    tracker = workbook_bytes(
        {
            "Log": [
                ["Full name", "Organisation", "Date contacted", "Meeting date"],
                ["Grace Hopper", "Navy", days_ago(14), None],
                ["Katherine Johnson", "NASA", days_ago(9), TODAY + timedelta(days=3)],
            ]
        }
    )
    path = tmp_path / "seeded.duckdb"
    store = open_workspace(path)
    result = import_bytes(store, "tracker.xlsx", tracker, ImportOptions())
    assert result.error is None, result.error
    set_setting(store, "demo_offered", True)
    close_all_workspaces()  # the server must be the only process holding the file
    with streamlit_server(path) as url:
        yield url


def open_page(page: Page, title: str) -> None:
    """Go to a page through the sidebar, as a person would (the session carries on)."""
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)
    rerun_after(page, link.click)


def choose(page: Page, label: str, option: str) -> None:
    """Pick ``option`` in the select box labelled ``label``, typing to narrow the list as
    a person would in a long one."""
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    rerun_after(page, page.get_by_role("option", name=option).first.click)


def main_area(page: Page):
    return page.get_by_test_id("stMain")


def finish(page: Page, console_errors: ConsoleErrors, name: str) -> None:
    """Every flow ends the same way: a screenshot, no exception box, no console error."""
    screenshot(page, name)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert list(console_errors) == []


def test_a_new_user_imports_an_export_and_a_tracker_and_sees_every_view_change(
    empty_app: str, new_page, console_errors: ConsoleErrors
) -> None:
    page = open_app(new_page(), empty_app)

    open_page(page, "Funnel")
    expect(main_area(page).get_by_text("No contacts yet, so there is no funnel")).to_be_visible()
    open_page(page, "Referrals")
    expect(main_area(page).get_by_text("No referrals yet.")).to_be_visible()
    open_page(page, "Follow-ups")
    expect(main_area(page).get_by_text("No follow-ups due")).to_be_visible()

    open_page(page, "Import")
    files = page.locator("input[type=file]")
    rerun_after(
        page,
        lambda: files.set_input_files(upload("export.zip", linkedin_export(), "application/zip")),
    )
    expect(main_area(page).get_by_role("heading", name="export.zip")).to_be_visible()
    rerun_after(page, lambda: files.set_input_files(upload("tracker.xlsx", import_tracker(), XLSX)))
    expect(main_area(page).get_by_role("heading", name="tracker.xlsx")).to_be_visible()
    expect(page.get_by_label(UNKNOWN_HEADER, exact=True)).to_have_value("Not imported")
    choose(page, UNKNOWN_HEADER, REFERRED_BY_LABEL)
    expect(page.get_by_label(UNKNOWN_HEADER, exact=True)).to_have_value(REFERRED_BY_LABEL)
    rerun_after(page, page.get_by_role("button", name="Import 2 files").click)
    expect(main_area(page).get_by_text("export.zip: 2 contacts added")).to_be_visible()
    expect(main_area(page).get_by_text("tracker.xlsx: 1 contact added")).to_be_visible()
    screenshot(page, "flow-import-done")

    open_page(page, "Funnel")
    expect(main_area(page).get_by_text("Identified → Contacted")).to_be_visible()
    expect(main_area(page).get_by_text("1 of the 2 people you interviewed")).to_be_visible()
    screenshot(page, "flow-import-funnel")

    open_page(page, "Referrals")
    tree = main_area(page).get_by_test_id("stGraphVizChart")
    expect(tree.get_by_text(ADA[0])).to_be_visible()
    expect(tree.get_by_text("Grace Hopper")).to_be_visible()
    screenshot(page, "flow-import-referrals")

    open_page(page, "Follow-ups")
    followups = main_area(page)
    expect(followups.get_by_text("Send Grace Hopper a thank-you note")).to_be_visible()
    expect(followups.get_by_text("Tell Ada Lovelace how it went with Grace Hopper")).to_be_visible()
    expect(followups.get_by_text("Follow up once with Alan Turing")).to_be_visible()
    finish(page, console_errors, "flow-import-followups")


def log_a_step(page: Page, who: str, step: str, on: date) -> None:
    """On the Contacts page: search for ``who``, pick the step and its day, log it."""
    search = page.get_by_label("Search by name, organisation or position")
    search.fill(who)
    rerun_after(page, lambda: search.press("Enter"))
    picker = page.get_by_label("Contact (search above for someone not on this page)")
    expect(picker).to_have_value(re.compile(re.escape(who)))
    choose(page, "Step", step)
    # The date is a field of year, month and day parts: type into the first, and each
    # part moves on to the next when full, as a person types "20261118".
    page.get_by_test_id("stDateInput").get_by_role("spinbutton").first.click()
    page.keyboard.type(f"{on:%Y%m%d}")
    rerun_after(page, page.get_by_role("button", name="Log step").click)


def test_logging_an_interview_and_a_thank_you_on_contacts_closes_the_gaps(
    seeded_app: str, new_page, console_errors: ConsoleErrors
) -> None:
    page = open_app(new_page(), seeded_app)
    open_page(page, "Follow-ups")
    no_answer = main_area(page).get_by_text("Follow up once with Grace Hopper")
    expect(no_answer).to_be_visible()

    open_page(page, "Contacts")
    log_a_step(page, "Grace Hopper", "Meeting (agreed or held)", days_ago(3))
    open_page(page, "Follow-ups")
    expect(no_answer).to_have_count(0)
    thank_her = main_area(page).get_by_text("Send Grace Hopper a thank-you note")
    expect(thank_her).to_be_visible()
    screenshot(page, "flow-contacts-interviewed")

    open_page(page, "Contacts")
    log_a_step(page, "Grace Hopper", "Sent a thank-you", days_ago(2))
    open_page(page, "Follow-ups")
    expect(thank_her).to_have_count(0)
    expect(main_area(page).get_by_text("Katherine Johnson")).to_be_visible()
    finish(page, console_errors, "flow-contacts-thanked")


def test_preparing_a_meeting_saves_the_plan_downloads_it_and_closes_the_gap(
    seeded_app: str, new_page, console_errors: ConsoleErrors
) -> None:
    page = open_app(new_page(), seeded_app)
    open_page(page, "Follow-ups")
    unprepared = main_area(page).get_by_text(
        "Prepare your questions for the meeting with Katherine Johnson in 3 days"
    )
    expect(unprepared).to_be_visible()

    open_page(page, "Meeting prep")
    choose(page, "Who are you meeting?", "Katherine Johnson")
    expect(main_area(page).get_by_text("Meeting with Katherine Johnson on")).to_be_visible()
    opening = page.get_by_label("What to say first")
    opening.fill("Thank you for the time: I'm exploring careers in space science.")
    rerun_after(page, lambda: opening.press("Control+Enter"))
    rerun_after(page, page.get_by_role("button", name="Save plan").click)
    expect(main_area(page).get_by_text("A plan is saved for this meeting")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("button", name="Markdown").click()
    meeting_on = TODAY + timedelta(days=3)
    assert download.value.suggested_filename == f"prep-katherine-johnson-{meeting_on}.md"
    plan = Path(download.value.path()).read_text(encoding="utf-8")
    assert plan.startswith("# Meeting prep: Katherine Johnson")
    assert "I'm exploring careers in space science." in plan
    assert "## Questions" in plan and "\n1. **" in plan
    screenshot(page, "flow-prep-saved")

    open_page(page, "Follow-ups")
    expect(main_area(page).get_by_text("Follow up once with Grace Hopper")).to_be_visible()
    expect(unprepared).to_have_count(0)
    finish(page, console_errors, "flow-prep-followups")
