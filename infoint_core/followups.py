"""Acting on follow-up gaps: mark one done, list them for a download, remind in a calendar.

``find_gaps`` (in ``gaps``) says what is owed; this module closes a gap by logging the step
that answers it, and turns the open gaps into a table or an iCalendar file of reminders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import polars as pl
from icalendar import Calendar, Event
from icalendar.enums import TRANSP

from infoint_core.errors import InputError
from infoint_core.gaps import GAP_RULES, RULES_BY_KEY
from infoint_core.logbook import log_step
from infoint_core.records import EventKind
from infoint_core.store import Store

# The step that marking a gap "done" logs, per rule. ``None``: no step closes it — a
# meeting is prepared by saving a prep plan for it, not by logging anything.
DONE_STEPS: dict[str, EventKind | None] = {
    "thank_you_overdue": EventKind.THANK_YOU,
    # a follow-up message is another outreach: it restarts the clock of the rule
    "no_response": EventKind.OUTREACH,
    # logged given the person referred: the logbook stores it with their referrer
    "referral_unreported": EventKind.OUTCOME_REPORT,
    "gone_cold": EventKind.FOLLOW_UP,
    "unprepared_meeting": None,
}

# What "done" records, in plain words ({contact}: the gap's contact; {about}: the person
# referred), shown beside the button.
_DONE_HELP: dict[str, str] = {
    "thank_you_overdue": "Logs a thank-you sent to {contact} today.",
    "no_response": "Logs a follow-up message to {contact} today; the wait starts again.",
    "referral_unreported": "Logs that you told {contact} today how it went with {about}.",
    "gone_cold": "Logs a catch-up with {contact} today.",
    "unprepared_meeting": "Save a prep plan for this meeting to close it.",
}

# Human column names of ``gap_table``, in order.
GAP_TABLE_COLUMNS: dict[str, str] = {
    "follow_up": "Follow-up",
    "next_step": "Next step",
    "contact": "Contact",
    "company": "Organisation",
    "about": "Referred person",
    "since": "Since",
    "days": "Days",
}

_PRODID = "-//infoint//Follow-up reminders//EN"
_UID_DOMAIN = "infoint"


def gap_id(gap: Mapping[str, Any]) -> str:
    """A stable name of one gap (a row of ``find_gaps``): its rule, contact(s) and day.

    The same gap gets the same name on every day it stays open, and two open gaps never
    share one (a referrer owed two reports has one per person referred).
    """
    about = gap.get("about_contact_id")
    parts = [gap["rule"], str(gap["contact_id"]), *([] if about is None else [str(about)])]
    return "-".join([*parts, f"{gap['since']:%Y%m%d}"])


def done_help(gap: Mapping[str, Any]) -> str:
    """What marking ``gap`` done records, in plain words (or how else it is closed)."""
    return _DONE_HELP[_rule_key(gap)].format(contact=gap["contact"], about=gap.get("about"))


def mark_done(store: Store, gap: Mapping[str, Any], on: date) -> bool:
    """Log the step that closes ``gap`` (a row of ``find_gaps``), dated ``on``.

    Returns False when that step was already in the log. The gap is gone from
    ``find_gaps`` for any ``as_of`` from ``on`` on (unless a threshold of 0 days reopens a
    no-response gap on the same day). Raises InputError for an unknown rule or a gap no
    step closes (a meeting to prepare), NotFoundError when the contact is gone.
    """
    rule = _rule_key(gap)
    kind = DONE_STEPS[rule]
    if kind is None:
        raise InputError(
            f"“{RULES_BY_KEY[rule].title}” is closed by saving a prep plan, not by logging a step"
        )
    # An outcome report is logged given the person referred (the gap's `about`); the
    # logbook files it with their referrer, who is the gap's contact.
    contact_id = gap["about_contact_id"] if kind == EventKind.OUTCOME_REPORT else gap["contact_id"]
    return log_step(store, contact_id, kind, on)


def remind_on(gap: Mapping[str, Any], as_of: date) -> date:
    """The day to act on ``gap``: ``as_of`` for a step already due, the day before for one
    still ahead (a meeting to prepare), never before ``as_of``."""
    since: date = gap["since"]
    if since > as_of:
        return max(as_of, since - timedelta(days=1))
    return as_of


def gap_table(gaps: pl.DataFrame) -> pl.DataFrame:
    """``gaps`` (from ``find_gaps``) for people to read: rule titles, human column names."""
    titles = {rule.key: rule.title for rule in GAP_RULES}
    table = gaps.with_columns(
        follow_up=pl.col("rule").replace_strict(titles, return_dtype=pl.String)
    )
    return table.select(list(GAP_TABLE_COLUMNS)).rename(GAP_TABLE_COLUMNS)


def reminders_ics(gaps: pl.DataFrame, as_of: date) -> bytes:
    """An iCalendar file with one all-day reminder per gap in ``gaps`` (from ``find_gaps``).

    Each event falls on ``remind_on``; its summary is the next step, its description names
    the rule. Its UID comes from ``gap_id``, so importing a newer file moves a reminder
    instead of adding a second one; DTSTAMP is ``as_of``, so the same gaps on the same day
    always give the same file. Reminders are marked free time, not busy.
    """
    stamp = datetime.combine(as_of, time(), tzinfo=UTC)
    events = [_reminder(gap, as_of, stamp) for gap in gaps.iter_rows(named=True)]
    calendar = Calendar.new(
        prodid=_PRODID,
        name="infoint follow-ups",
        uid=f"follow-ups@{_UID_DOMAIN}",
        subcomponents=events,
    )
    return calendar.to_ical()


def _reminder(gap: Mapping[str, Any], as_of: date, stamp: datetime) -> Event:
    rule = RULES_BY_KEY[_rule_key(gap)]
    day = remind_on(gap, as_of)
    who = ", ".join(part for part in (gap["contact"], gap.get("company")) if part)
    closing = (
        "When it is done, mark it done on infoint's Follow-ups page."
        if DONE_STEPS[rule.key]
        else done_help(gap)
    )
    return Event.new(
        uid=f"{gap_id(gap)}@{_UID_DOMAIN}",
        stamp=stamp,
        start=day,
        end=day + timedelta(days=1),  # an all-day event ends (exclusively) the day after
        summary=gap["next_step"],
        description=f"{rule.title}: {who}\n{closing}",
        categories=[rule.title],
        transparency=TRANSP.TRANSPARENT,
    )


def _rule_key(gap: Mapping[str, Any]) -> str:
    rule = gap.get("rule")
    if rule not in DONE_STEPS:
        raise InputError(f"no gap rule called {rule!r}")
    return rule
