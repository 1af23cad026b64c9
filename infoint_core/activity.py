"""Activity over time: how much networking happens each week, and how steadily.

Networking pays off through regular small efforts rather than bursts, so the read-outs
here show the rhythm of the log: steps per ISO week (quiet weeks included, since the gaps
are the point), the run of consecutive weeks with outreach, and how the network grew.
Everything is judged on ``as_of``: steps dated after it are not yet known, and undated
steps (a thank-you marked "yes") cannot be placed in a week, so they are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from infoint_core.errors import InputError
from infoint_core.records import EventKind
from infoint_core.store import Store

# The steps counted per week, with the label charts and tables show for each.
ACTIVITY_KINDS: dict[str, str] = {
    EventKind.OUTREACH.value: "Outreach",
    EventKind.MEETING.value: "Meetings held",
    EventKind.THANK_YOU.value: "Thank-yous",
}
DEFAULT_WEEKS = 26

# One row per (week, kind) in the window, quiet weeks as 0. Parameters: $first_week and
# $last_week (Mondays), $as_of, $owner_id (NULL for every owner), $kinds (VARCHAR[]).
# A meeting counts once held, i.e. dated on or before as_of, which the window ensures.
ACTIVITY_BY_WEEK_SQL = """
WITH weeks AS (
    SELECT unnest(generate_series($first_week::DATE, $last_week::DATE, INTERVAL 7 DAY))::DATE
           AS week_start
),
kinds AS (
    SELECT unnest($kinds) AS kind, generate_subscripts($kinds, 1) AS kind_order
),
steps AS (
    SELECT date_trunc('week', on_date)::DATE AS week_start, kind, count(*) AS steps
    FROM events
    WHERE kind IN (SELECT kind FROM kinds)
      AND on_date BETWEEN $first_week AND $as_of
      AND ($owner_id IS NULL OR owner_id = $owner_id)
    GROUP BY ALL
)
SELECT w.week_start,
       strftime(w.week_start, '%G-W%V') AS week,
       k.kind,
       coalesce(s.steps, 0)::INTEGER AS count
FROM weeks w
CROSS JOIN kinds k
LEFT JOIN steps s USING (week_start, kind)
ORDER BY w.week_start, k.kind_order
"""

# Runs of consecutive ISO weeks with at least one outreach, up to as_of ("gaps and
# islands": week index minus row number is constant along a run).
# Parameters: $as_of, $owner_id.
OUTREACH_RUNS_SQL = f"""
WITH weeks AS (
    SELECT DISTINCT date_trunc('week', on_date)::DATE AS week_start
    FROM events
    WHERE kind = '{EventKind.OUTREACH}' AND on_date <= $as_of
      AND ($owner_id IS NULL OR owner_id = $owner_id)
),
numbered AS (
    SELECT week_start,
           (week_start - DATE '1970-01-05') // 7 - row_number() OVER (ORDER BY week_start)
               AS island
    FROM weeks
)
SELECT min(week_start) AS first_week, max(week_start) AS last_week,
       count(*)::INTEGER AS weeks
FROM numbered
GROUP BY island
ORDER BY last_week
"""

# Contacts added per month from the first connection month to as_of's month, with the
# running total. Parameters: $as_of, $owner_id.
CONTACTS_OVER_TIME_SQL = """
WITH added AS (
    SELECT date_trunc('month', connected_on)::DATE AS month, count(*) AS added
    FROM contacts
    WHERE connected_on <= $as_of AND ($owner_id IS NULL OR owner_id = $owner_id)
    GROUP BY ALL
),
months AS (
    SELECT unnest(generate_series(
               (SELECT min(month) FROM added),
               date_trunc('month', $as_of::DATE)::DATE,
               INTERVAL 1 MONTH))::DATE AS month
)
SELECT m.month,
       coalesce(a.added, 0)::INTEGER AS added,
       (sum(coalesce(a.added, 0)) OVER (ORDER BY m.month))::INTEGER AS total
FROM months m
LEFT JOIN added a USING (month)
ORDER BY m.month
"""


@dataclass(frozen=True, slots=True)
class Streak:
    """Consecutive ISO weeks with at least one outreach.

    ``current`` is the run that is still alive on ``as_of``: it ends in as_of's week, or
    in the week before (a week still in progress does not break a streak yet).
    ``longest`` is the longest run up to ``as_of``; the latest one wins a tie.
    Weeks are given by their Monday; a run of 0 weeks has no dates.
    """

    current: int
    current_since: date | None
    longest: int
    longest_from: date | None
    longest_to: date | None


def week_start(day: date) -> date:
    """The Monday of ``day``'s ISO week."""
    return day - timedelta(days=day.weekday())


def activity_by_week(
    store: Store, owner_id: int | None, as_of: date, weeks: int = DEFAULT_WEEKS
) -> pl.DataFrame:
    """Outreach, meetings held and thank-yous per ISO week, over the ``weeks`` weeks that
    end with as_of's week (which is counted up to as_of only).

    Columns: ``week_start`` (Monday, date), ``week`` ("2026-W47"), ``kind`` (a key of
    ``ACTIVITY_KINDS``), ``count``. Every week and kind is listed, quiet ones as 0, so a
    chart shows the gaps. Raises InputError when ``weeks`` is below 1.
    """
    if weeks < 1:
        raise InputError(f"the activity window needs at least one week, not {weeks}")
    last_week = week_start(as_of)
    return store.frame(
        ACTIVITY_BY_WEEK_SQL,
        {
            "first_week": last_week - timedelta(weeks=weeks - 1),
            "last_week": last_week,
            "as_of": as_of,
            "owner_id": owner_id,
            "kinds": list(ACTIVITY_KINDS),
        },
    )


def outreach_runs(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Every run of consecutive ISO weeks with outreach up to as_of, oldest first.

    Columns: ``first_week``, ``last_week`` (Mondays), ``weeks``.
    """
    return store.frame(OUTREACH_RUNS_SQL, {"as_of": as_of, "owner_id": owner_id})


def outreach_streak(store: Store, owner_id: int | None, as_of: date) -> Streak:
    """The current and the longest outreach streak on ``as_of`` (see ``Streak``)."""
    runs = outreach_runs(store, owner_id, as_of)
    if runs.is_empty():
        return Streak(0, None, 0, None, None)
    alive_since = week_start(as_of) - timedelta(weeks=1)
    last = runs.row(-1, named=True)
    alive = last["last_week"] >= alive_since
    # Sorted oldest first, so the stable sort keeps the latest of equally long runs last.
    longest = runs.sort("weeks", maintain_order=True).row(-1, named=True)
    return Streak(
        current=last["weeks"] if alive else 0,
        current_since=last["first_week"] if alive else None,
        longest=longest["weeks"],
        longest_from=longest["first_week"],
        longest_to=longest["last_week"],
    )


def contacts_over_time(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """How the network grew: contacts by the month they were connected (``connected_on``).

    Columns: ``month`` (first day, date), ``added``, ``total`` (running sum). Every month
    from the first connection to as_of's month is listed. Contacts with no
    ``connected_on`` (most tracker rows) or one after as_of are not counted: they cannot
    be placed on the time line.
    """
    return store.frame(CONTACTS_OVER_TIME_SQL, {"as_of": as_of, "owner_id": owner_id})
