"""Activity per week, outreach streaks and network growth, on small hand-built logs.

AS_OF (2026-11-21) is a Saturday; its ISO week 2026-W47 starts on Monday 2026-11-16.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import polars as pl
import pytest

from infoint_core.activity import (
    ACTIVITY_KINDS,
    Streak,
    activity_by_week,
    contacts_over_time,
    outreach_streak,
    week_start,
)
from infoint_core.errors import InputError
from infoint_core.ingest import store_parsed
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord
from infoint_core.store import Store
from tests.conftest import AS_OF

THIS_WEEK = date(2026, 11, 16)
_people = itertools.count(1)


def log_steps(
    store: Store, steps: list[tuple[EventKind, date | None]], owner: str | None = None
) -> None:
    """Store one contact per step, so every step stands on its own."""
    log = ParsedFile(kind="tracker", rows=len(steps))
    for row, (kind, on) in enumerate(steps, start=2):
        index = log.add_person(PersonRecord(row=row, name=f"Person {next(_people)}"))
        log.events.append(EventRecord(index, kind, on))
    name = f"steps-{next(_people)}"
    store_parsed(store, [log], file_name=name, sha256=name, kind="tracker", owner=owner)


def outreach_in_weeks(store: Store, *weeks_ago: int) -> None:
    """One outreach on the Wednesday of each week, counted back from AS_OF's week."""
    wednesday = THIS_WEEK + timedelta(days=2)
    log_steps(store, [(EventKind.OUTREACH, wednesday - timedelta(weeks=w)) for w in weeks_ago])


def counts(frame: pl.DataFrame) -> dict[tuple[str, str], int]:
    return {(r["week"], r["kind"]): r["count"] for r in frame.iter_rows(named=True)}


def test_week_start_is_the_iso_monday() -> None:
    assert week_start(AS_OF) == THIS_WEEK
    assert week_start(THIS_WEEK) == THIS_WEEK
    assert week_start(date(2026, 11, 15)) == date(2026, 11, 9)  # a Sunday


def test_every_week_and_kind_is_listed_quiet_weeks_as_zero(store: Store) -> None:
    log_steps(
        store,
        [
            (EventKind.OUTREACH, date(2026, 11, 16)),  # Monday of W47
            (EventKind.OUTREACH, date(2026, 11, 21)),  # as_of itself
            (EventKind.OUTREACH, date(2026, 11, 22)),  # after as_of: not yet known
            (EventKind.OUTREACH, date(2026, 11, 1)),  # a Sunday: W44
            (EventKind.MEETING, date(2026, 11, 10)),  # held, W46
            (EventKind.MEETING, date(2026, 11, 25)),  # still to come: not held
            (EventKind.THANK_YOU, date(2026, 11, 11)),  # W46
            (EventKind.THANK_YOU, None),  # undated: cannot be placed
            (EventKind.RESPONSE, date(2026, 11, 12)),  # not an activity kind
            (EventKind.OUTREACH, date(2026, 10, 25)),  # the Sunday before the window
        ],
    )
    frame = activity_by_week(store, None, AS_OF, weeks=4)
    assert frame.columns == ["week_start", "week", "kind", "count"]
    assert frame["week"].unique(maintain_order=True).to_list() == [
        "2026-W44", "2026-W45", "2026-W46", "2026-W47",
    ]  # fmt: skip
    assert frame["week_start"].unique(maintain_order=True).to_list() == [
        date(2026, 10, 26), date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16),
    ]  # fmt: skip
    assert frame.filter(pl.col("week") == "2026-W45")["kind"].to_list() == list(ACTIVITY_KINDS)
    found = {key: n for key, n in counts(frame).items() if n}
    assert found == {
        ("2026-W44", "outreach"): 1,
        ("2026-W46", "meeting"): 1,
        ("2026-W46", "thank_you"): 1,
        ("2026-W47", "outreach"): 2,
    }
    assert frame.height == 4 * len(ACTIVITY_KINDS)


def test_the_window_defaults_to_26_weeks_ending_with_as_ofs_week(store: Store) -> None:
    frame = activity_by_week(store, None, AS_OF)
    assert frame.height == 26 * len(ACTIVITY_KINDS)
    assert frame["week_start"].max() == THIS_WEEK
    assert frame["week_start"].min() == THIS_WEEK - timedelta(weeks=25)
    assert frame["count"].sum() == 0


def test_activity_is_per_owner_or_for_everyone(store: Store) -> None:
    log_steps(store, [(EventKind.OUTREACH, THIS_WEEK)], owner="Ada")
    log_steps(store, [(EventKind.OUTREACH, THIS_WEEK), (EventKind.OUTREACH, THIS_WEEK)], "Bo")
    ada = store.value("SELECT id FROM owners WHERE name = 'Ada'")
    assert counts(activity_by_week(store, ada, AS_OF, 1))[("2026-W47", "outreach")] == 1
    assert counts(activity_by_week(store, None, AS_OF, 1))[("2026-W47", "outreach")] == 3


def test_a_window_of_no_weeks_is_refused(store: Store) -> None:
    with pytest.raises(InputError, match="at least one week"):
        activity_by_week(store, None, AS_OF, weeks=0)


def test_no_outreach_is_no_streak(store: Store) -> None:
    log_steps(store, [(EventKind.MEETING, AS_OF)])
    assert outreach_streak(store, None, AS_OF) == Streak(0, None, 0, None, None)


def test_a_streak_running_into_this_week(store: Store) -> None:
    outreach_in_weeks(store, 0, 1, 2)
    streak = outreach_streak(store, None, AS_OF)
    assert (streak.current, streak.current_since) == (3, THIS_WEEK - timedelta(weeks=2))
    assert (streak.longest, streak.longest_to) == (3, THIS_WEEK)


def test_a_week_in_progress_does_not_break_the_streak_yet(store: Store) -> None:
    outreach_in_weeks(store, 1, 2)
    assert outreach_streak(store, None, AS_OF).current == 2


def test_a_whole_quiet_week_ends_the_streak(store: Store) -> None:
    outreach_in_weeks(store, 2, 3)
    streak = outreach_streak(store, None, AS_OF)
    assert (streak.current, streak.current_since) == (0, None)
    assert streak.longest == 2


def test_the_longest_run_and_the_current_one_are_told_apart(store: Store) -> None:
    outreach_in_weeks(store, 0, 1, 7, 8, 9, 9)  # two steps in one week count once
    streak = outreach_streak(store, None, AS_OF)
    assert streak.current == 2
    assert streak.longest == 3
    assert streak.longest_from == THIS_WEEK - timedelta(weeks=9)
    assert streak.longest_to == THIS_WEEK - timedelta(weeks=7)


def test_of_equally_long_runs_the_latest_is_the_longest(store: Store) -> None:
    outreach_in_weeks(store, 2, 3, 6, 7)
    streak = outreach_streak(store, None, AS_OF)
    assert streak.longest == 2
    assert streak.longest_to == THIS_WEEK - timedelta(weeks=2)


def test_sunday_then_monday_are_two_consecutive_weeks(store: Store) -> None:
    log_steps(store, [(EventKind.OUTREACH, date(2026, 11, 15)), (EventKind.OUTREACH, THIS_WEEK)])
    assert outreach_streak(store, None, AS_OF).current == 2


def test_outreach_after_as_of_does_not_count(store: Store) -> None:
    log_steps(store, [(EventKind.OUTREACH, AS_OF + timedelta(days=1))])
    assert outreach_streak(store, None, AS_OF).longest == 0


def test_contacts_over_time_by_month_with_a_running_total(store: Store) -> None:
    people = [
        PersonRecord(row=2, name="Ada", connected_on=date(2026, 8, 15)),
        PersonRecord(row=3, name="Bo", connected_on=date(2026, 8, 31)),
        PersonRecord(row=4, name="Cy", connected_on=date(2026, 10, 1)),
        PersonRecord(row=5, name="Di"),  # no connection date
        PersonRecord(row=6, name="Ed", connected_on=date(2026, 11, 25)),  # after as_of
    ]
    log = ParsedFile(kind="linkedin_connections", rows=len(people), people=people)
    store_parsed(store, [log], file_name="c", sha256="c", kind=log.kind, owner=None)
    frame = contacts_over_time(store, None, AS_OF)
    assert frame.rows() == [
        (date(2026, 8, 1), 2, 2),
        (date(2026, 9, 1), 0, 2),
        (date(2026, 10, 1), 1, 3),
        (date(2026, 11, 1), 0, 3),
    ]
    assert frame.columns == ["month", "added", "total"]


def test_contacts_over_time_of_an_empty_workspace_is_empty(store: Store) -> None:
    frame = contacts_over_time(store, None, AS_OF)
    assert frame.is_empty()
    assert frame.columns == ["month", "added", "total"]
