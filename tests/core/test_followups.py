"""Acting on follow-up gaps: "done" closes each rule's gap; the reminders calendar."""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl
import pytest
from icalendar import Calendar

from infoint_core.demo import load_demo
from infoint_core.errors import InputError
from infoint_core.followups import (
    DONE_STEPS,
    GAP_TABLE_COLUMNS,
    done_help,
    gap_id,
    gap_table,
    mark_done,
    remind_on,
    reminders_ics,
)
from infoint_core.gaps import GAP_RULES, find_gaps
from infoint_core.ingest import store_parsed
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord
from infoint_core.store import Store
from tests.conftest import AS_OF

OUTREACH, MEETING, THANK_YOU = EventKind.OUTREACH, EventKind.MEETING, EventKind.THANK_YOU
DAY = timedelta(days=1)

# One small log with a gap of every rule on AS_OF (a Saturday).
LOG: dict[str, list[tuple[EventKind, date]]] = {
    "Ada Byron": [(MEETING, AS_OF - 10 * DAY)],  # thank-you overdue; referred Bea and Gus
    "Bea Smith": [(MEETING, AS_OF - 20 * DAY), (THANK_YOU, AS_OF - 19 * DAY)],
    "Gus Grey": [(MEETING, AS_OF - 20 * DAY), (THANK_YOU, AS_OF - 20 * DAY)],
    "Cy Young": [(OUTREACH, AS_OF - 20 * DAY)],  # no response
    "Dee Long": [(MEETING, AS_OF - 200 * DAY), (THANK_YOU, AS_OF - 199 * DAY)],  # gone cold
    "Eve Adams": [(MEETING, AS_OF + 3 * DAY)],  # a meeting to prepare, in three days
    "Fay Wray": [(MEETING, AS_OF)],  # a meeting to prepare, today
}
REFERRED_BY = {"Bea Smith": "Ada Byron", "Gus Grey": "Ada Byron"}


@pytest.fixture
def logged(store: Store) -> Store:
    log = ParsedFile(kind="tracker", rows=len(LOG))
    for row, (name, steps) in enumerate(LOG.items(), start=2):
        person = PersonRecord(row=row, name=name, company="Acme", referred_by=REFERRED_BY.get(name))
        index = log.add_person(person)
        log.events.extend(EventRecord(index, kind, on) for kind, on in steps)
    store_parsed(store, [log], file_name="log", sha256="log", kind="tracker", owner="me")
    return store


@pytest.fixture
def demo(store: Store) -> Store:
    load_demo(store, AS_OF)
    return store


def open_ids(store: Store, as_of: date = AS_OF) -> set[str]:
    return {gap_id(gap) for gap in find_gaps(store, None, as_of).iter_rows(named=True)}


def gaps_of(store: Store, rule: str) -> list[dict]:
    return find_gaps(store, None, AS_OF).filter(pl.col("rule") == rule).to_dicts()


def events(calendar: bytes) -> dict[str, dict]:
    """The calendar's events by UID: start, end, summary, description."""
    parsed = Calendar.from_ical(calendar)
    return {
        str(e["UID"]): {
            "start": e["DTSTART"].dt,
            "end": e["DTEND"].dt,
            "summary": str(e["SUMMARY"]),
            "description": str(e["DESCRIPTION"]),
        }
        for e in parsed.events
    }


# marking done --------------------------------------------------------------------------


def test_every_rule_says_what_done_logs() -> None:
    assert set(DONE_STEPS) == {rule.key for rule in GAP_RULES}


def test_the_small_log_has_a_gap_of_every_rule(logged: Store) -> None:
    counts = find_gaps(logged, None, AS_OF)["rule"].value_counts()
    assert dict(counts.iter_rows()) == {
        "thank_you_overdue": 1,
        "no_response": 1,
        "referral_unreported": 2,
        "gone_cold": 1,
        "unprepared_meeting": 2,
    }


@pytest.mark.parametrize("rule", [key for key, kind in DONE_STEPS.items() if kind])
def test_done_closes_the_gap_and_only_that_one(logged: Store, rule: str) -> None:
    gap = gaps_of(logged, rule)[0]
    before = open_ids(logged)

    assert mark_done(logged, gap, AS_OF) is True

    after = open_ids(logged)
    assert gap_id(gap) not in after
    assert after == before - {gap_id(gap)}


@pytest.mark.parametrize("rule", [key for key, kind in DONE_STEPS.items() if kind])
def test_done_closes_each_rule_on_the_demo(demo: Store, rule: str) -> None:
    gaps = gaps_of(demo, rule)
    assert gaps, f"the demo shows no {rule} gap"
    for gap in gaps:
        mark_done(demo, gap, AS_OF)
    assert not gaps_of(demo, rule)


def test_done_logs_the_step_for_the_right_person(logged: Store) -> None:
    for rule in ("thank_you_overdue", "no_response", "gone_cold"):
        mark_done(logged, gaps_of(logged, rule)[0], AS_OF)
    (bea,) = [g for g in gaps_of(logged, "referral_unreported") if g["about"] == "Bea Smith"]
    mark_done(logged, bea, AS_OF)
    steps = logged.rows(
        """SELECT c.name, e.kind, a.name FROM events e JOIN contacts c ON c.id = e.contact_id
           LEFT JOIN contacts a ON a.id = e.about_contact_id
           WHERE e.on_date = ? AND e.origin = 'manual' ORDER BY c.name, e.kind""",
        [AS_OF],
    )
    assert steps == [
        ("Ada Byron", "outcome_report", "Bea Smith"),  # told the referrer, about Bea
        ("Ada Byron", "thank_you", None),
        ("Cy Young", "outreach", None),  # a follow-up message restarts the clock
        ("Dee Long", "follow_up", None),
    ]


def test_the_other_referral_stays_open_until_reported(logged: Store) -> None:
    bea, _gus = sorted(gaps_of(logged, "referral_unreported"), key=lambda g: g["about"])
    mark_done(logged, bea, AS_OF)
    assert [g["about"] for g in gaps_of(logged, "referral_unreported")] == ["Gus Grey"]


def test_done_twice_on_the_same_day_logs_once(logged: Store) -> None:
    gap = gaps_of(logged, "thank_you_overdue")[0]
    assert mark_done(logged, gap, AS_OF) is True
    assert mark_done(logged, gap, AS_OF) is False


def test_a_meeting_to_prepare_is_not_closed_by_a_step(logged: Store) -> None:
    gap = gaps_of(logged, "unprepared_meeting")[0]
    with pytest.raises(InputError, match="prep plan"):
        mark_done(logged, gap, AS_OF)
    assert "prep plan" in done_help(gap)
    assert gap_id(gap) in open_ids(logged)


def test_an_unknown_rule_is_an_input_error(logged: Store) -> None:
    gap = {**gaps_of(logged, "gone_cold")[0], "rule": "made_up"}
    with pytest.raises(InputError, match="made_up"):
        mark_done(logged, gap, AS_OF)


def test_done_help_names_the_people(logged: Store) -> None:
    gap = gaps_of(logged, "referral_unreported")[0]
    assert done_help(gap) == f"Logs that you told Ada Byron today how it went with {gap['about']}."


# ids and the table ---------------------------------------------------------------------


def test_gap_ids_are_unique_and_stable_over_days(demo: Store) -> None:
    today = find_gaps(demo, None, AS_OF)
    ids = [gap_id(gap) for gap in today.iter_rows(named=True)]
    assert len(ids) == len(set(ids)) == today.height
    # a gap still open a day later (nothing logged) keeps its id
    tomorrow = open_ids(demo, AS_OF + DAY)
    still_open = [g for g in today.iter_rows(named=True) if g["rule"] == "thank_you_overdue"]
    assert still_open and all(gap_id(g) in tomorrow for g in still_open)


def test_the_table_has_human_titles_and_columns(logged: Store) -> None:
    table = gap_table(find_gaps(logged, None, AS_OF))
    assert table.columns == list(GAP_TABLE_COLUMNS.values())
    assert set(table["Follow-up"]) == {rule.title for rule in GAP_RULES}
    assert table.schema["Since"] == pl.Date


# reminders -----------------------------------------------------------------------------


def test_one_all_day_reminder_per_gap_on_the_day_to_act(logged: Store) -> None:
    gaps = find_gaps(logged, None, AS_OF)
    calendar = events(reminders_ics(gaps, AS_OF))
    assert len(calendar) == gaps.height
    for gap in gaps.iter_rows(named=True):
        event = calendar[f"{gap_id(gap)}@infoint"]
        assert type(event["start"]) is date  # all-day: a date, not a date-time
        assert event["end"] == event["start"] + DAY
        assert event["summary"] == gap["next_step"]
        assert next(r.title for r in GAP_RULES if r.key == gap["rule"]) in event["description"]
    start = {
        (gap["rule"], gap["contact"]): calendar[f"{gap_id(gap)}@infoint"]["start"]
        for gap in gaps.iter_rows(named=True)
    }
    assert start["thank_you_overdue", "Ada Byron"] == AS_OF  # overdue: act today
    assert start["no_response", "Cy Young"] == AS_OF
    assert start["unprepared_meeting", "Eve Adams"] == AS_OF + 2 * DAY  # the day before
    assert start["unprepared_meeting", "Fay Wray"] == AS_OF  # a meeting today: not yesterday


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        (AS_OF - 30 * DAY, AS_OF),
        (AS_OF, AS_OF),
        (AS_OF + DAY, AS_OF),
        (AS_OF + 5 * DAY, AS_OF + 4 * DAY),
    ],
)
def test_remind_on(since: date, expected: date) -> None:
    assert remind_on({"since": since}, AS_OF) == expected


def test_reminders_keep_their_uid_and_move_with_the_day(demo: Store) -> None:
    today = reminders_ics(find_gaps(demo, None, AS_OF), AS_OF)
    assert today == reminders_ics(find_gaps(demo, None, AS_OF), AS_OF)  # same day, same file
    later = AS_OF + DAY
    first, second = events(today), events(reminders_ics(find_gaps(demo, None, later), later))
    kept = [uid for uid in first if uid.startswith("thank_you_overdue") and uid in second]
    assert kept
    for uid in kept:
        assert (first[uid]["start"], second[uid]["start"]) == (AS_OF, later)


def test_no_gaps_make_an_empty_but_valid_calendar(store: Store) -> None:
    calendar = Calendar.from_ical(reminders_ics(find_gaps(store, None, AS_OF), AS_OF))
    assert calendar.events == []
    assert str(calendar["PRODID"]).startswith("-//infoint")
