"""The furthest stage each contact has reached, judged on a day (CONTRACT §2).

A logged step implies every earlier stage; a meeting dated after ``as_of`` is only
scheduled; steps dated after ``as_of`` are not yet known on that day, nor is an undated
step of a contact whose meetings are all still to come. A tracker's status
column counts as evidence too. ``declined`` ends the path at ``responded``.

Nearly every read-out needs these stages, and working them out is the dearest query of
each. So one pass over the steps (``CONTACT_FACTS_SQL``) gives each contact's stage and
the step days the gap rules compare, and ``contact_facts`` keeps that answer per
workspace, ``Store.data_version``, owner and day: the funnel, gaps, targets... of one
page run share one computation, and any committed write (which bumps ``data_version``)
makes the next call compute it afresh. Read-outs join the kept frame in SQL as the table
``STAGES_TABLE`` (``stages_as_table``).
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import polars as pl

from infoint_core.records import DECLINED_STATUS, STAGES, EventKind, Stage
from infoint_core.store import Store

_RANK_OF_KIND = {
    EventKind.OUTREACH: Stage.CONTACTED.rank,
    EventKind.RESPONSE: Stage.RESPONDED.rank,
    EventKind.DECLINED: Stage.RESPONDED.rank,
    EventKind.THANK_YOU: Stage.THANKED.rank,
    EventKind.FOLLOW_UP: Stage.FOLLOWED_UP.rank,
}
_STATUS_RANK = {stage.value: stage.rank for stage in STAGES} | {
    DECLINED_STATUS: Stage.RESPONDED.rank
}


def _case(column: str, mapping: dict[str, int]) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {rank}" for key, rank in mapping.items())
    return f"CASE {column} {whens} ELSE 0 END"


_MEETING = f"'{EventKind.MEETING}'"
_THANK_YOU = f"'{EventKind.THANK_YOU}'"
_DECLINED = f"'{EventKind.DECLINED}'"
_ANSWERS = ", ".join(
    f"'{kind}'"
    for kind in (EventKind.RESPONSE, EventKind.DECLINED, EventKind.MEETING, EventKind.INBOUND)
)

# Bits of ``flags`` in ``CONTACT_FACTS_SQL``: a rank r known on the day sets bit r, an
# undated one bit UNDATED + r; the rest are yes/no facts. One bit_or per contact holds
# them all, where a max or bool_or each would cost the cohort's million steps once more.
_UNDATED = 8
# A meeting's rank in ``flagged``: scheduled, one more (interviewed) once held.
_MEETING_RANK = {EventKind.MEETING: Stage.SCHEDULED.rank}
_FLAG_BITS = {
    "declined_dated": 16,
    "declined_undated": 17,
    "stepped": 18,
    "thanked_undated": 19,
    "answer_undated": 20,
    "answer_dated": 21,
    "has_meeting": 22,
    "meeting_not_future": 23,
}


def _bit(name: str) -> int:
    return 1 << _FLAG_BITS[name]


def _highest_rank(flags: str, offset: int) -> str:
    """The highest rank whose bit (``offset`` + rank) is set in ``flags``, else NULL."""
    whens = " ".join(
        f"WHEN {flags} & {1 << (offset + s.rank)} <> 0 THEN {s.rank}" for s in reversed(STAGES)
    )
    return f"CASE {whens} END"


def _has(flags: str, name: str) -> str:
    return f"({flags} & {_bit(name)} <> 0)"


# Each yes/no fact of ``_FLAG_BITS`` as a column of its name, read from ``flags``.
_FLAG_COLUMNS = ", ".join(_has("flags", name) + f" AS {name}" for name in _FLAG_BITS)


# One row per contact of the selected owner(s), from one pass over their steps: the
# contact's furthest stage (``stage_rank``, ``declined``) and the days the gap rules
# compare (``gaps.SHARED_SQL``). Parameters: $as_of (DATE) and $owner_id (INTEGER or NULL
# for every owner).
#
# Stage evidence is a step of the selected owner (``ev``) known on $as_of: dated by then,
# a meeting whatever its day, or undated unless the contact's only meetings are still to
# come. The stage needs no per-step comparison with the first thank-you: a follow-up is
# "the last known step other than a meeting or thank-you is after the first thank-you".
# The step days count only the steps of the contact's own owner (``same``).
CONTACT_FACTS_SQL = f"""
WITH per_step AS (
    -- each step's kind and day tested once, not once per aggregate
    SELECT e.contact_id, e.on_date,
           $owner_id IS NULL OR e.owner_id = $owner_id AS ev,
           e.owner_id = c.owner_id AS same,
           e.on_date <= $as_of AS due,  -- null for an undated step
           e.kind = {_MEETING} AS met,
           e.kind = {_THANK_YOU} AS thanks,
           e.kind = {_DECLINED} AS declined,
           e.kind = '{EventKind.OUTREACH}' AS outreach,
           e.kind IN ({_ANSWERS}) AS answer,
           {_case("e.kind", _RANK_OF_KIND | _MEETING_RANK)} AS kind_rank
    FROM events e JOIN contacts c ON c.id = e.contact_id
    WHERE $owner_id IS NULL OR c.owner_id = $owner_id
),
flagged AS (
    -- the bits as arithmetic on 0/1 (a CASE per bit costs more than the whole count)
    SELECT *,
           i_known * (1 << (kind_rank + i_met * i_dated))
           + i_ev * i_undated * (1 - i_met) * (1 << ({_UNDATED} + kind_rank))
           + i_ev * i_dated * i_declined * {_bit("declined_dated")}
           + i_ev * i_undated * i_declined * {_bit("declined_undated")}
           + i_same * {_bit("stepped")}
           + i_same * i_thanks * i_undated * {_bit("thanked_undated")}
           + i_same * i_answer * i_undated * {_bit("answer_undated")}
           + i_same * i_answer * (1 - i_undated) * {_bit("answer_dated")}
           + i_met * {_bit("has_meeting")}
           + i_met * (i_dated + i_undated) * {_bit("meeting_not_future")}
           AS step_flags
    FROM (
        SELECT *,
               ev::INTEGER AS i_ev, same::INTEGER AS i_same, met::INTEGER AS i_met,
               thanks::INTEGER AS i_thanks, declined::INTEGER AS i_declined,
               answer::INTEGER AS i_answer, coalesce(due, false)::INTEGER AS i_dated,
               (on_date IS NULL)::INTEGER AS i_undated,
               (ev AND coalesce(due OR met, false))::INTEGER AS i_known
        FROM per_step
    )
),
facts AS (
    SELECT contact_id,
           bit_or(step_flags) AS flags,
           min(on_date) FILTER (WHERE ev AND thanks AND due) AS first_known_thanks,
           max(on_date) FILTER (WHERE ev AND due AND NOT met AND NOT thanks) AS last_other_on,
           max(on_date) FILTER (WHERE same AND due) AS last_on,
           min(on_date) FILTER (WHERE same AND met AND due) AS first_met_on,
           max(on_date) FILTER (WHERE same AND met AND due) AS last_met_on,
           min(on_date) FILTER (WHERE same AND declined AND due) AS first_declined_on,
           min(on_date) FILTER (WHERE same AND thanks AND due) AS first_thanked_on,
           max(on_date) FILTER (WHERE same AND thanks AND due) AS last_thanked_on,
           max(on_date) FILTER (WHERE same AND outreach AND due) AS last_outreach_on,
           -- a meeting agreed answers whatever its day
           max(on_date) FILTER (WHERE same AND answer AND (due OR met)) AS last_answer_on
    FROM flagged
    GROUP BY contact_id
),
f AS (
    SELECT * EXCLUDE (flags),
           {_highest_rank("flags", 0)} AS known_rank,
           {_highest_rank("flags", _UNDATED)} AS undated_rank,
           {_has("flags", "has_meeting")} AND NOT {_has("flags", "meeting_not_future")}
               AS only_future,
           {_FLAG_COLUMNS}
    FROM facts
)
SELECT c.id AS contact_id, c.owner_id,
       greatest(coalesce(greatest(
                    f.known_rank,
                    CASE WHEN NOT f.only_future THEN f.undated_rank END,
                    CASE WHEN f.last_other_on > f.first_known_thanks
                         THEN {Stage.FOLLOWED_UP.rank} END), 0),
                {_case("c.status", _STATUS_RANK)}) AS stage_rank,
       coalesce(f.declined_dated OR (f.declined_undated AND NOT f.only_future), false)
           OR coalesce(c.status = '{DECLINED_STATUS}', false) AS declined,
       c.status, coalesce(f.stepped, false) AS stepped,
       f.last_on, f.first_met_on, f.last_met_on, f.first_declined_on, f.first_thanked_on,
       f.last_thanked_on, coalesce(f.thanked_undated, false) AS thanked_undated,
       f.last_outreach_on, f.last_answer_on,
       coalesce(f.answer_undated, false) AS answer_undated,
       coalesce(f.answer_dated, false) AS answer_dated
FROM contacts c LEFT JOIN f ON f.contact_id = c.id
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
"""

# A CTE body, one row per contact of the selected owner(s): contact_id, stage_rank,
# declined. Parameters: as ``CONTACT_FACTS_SQL``.
CONTACT_STAGES_SQL = f"SELECT contact_id, stage_rank, declined FROM ({CONTACT_FACTS_SQL})"

STAGE_NAME_SQL = (
    "CASE stage_rank " + " ".join(f"WHEN {s.rank} THEN '{s.value}'" for s in STAGES) + " END"
)


# The table name under which ``stages_as_table`` shows the kept facts to a query.
STAGES_TABLE = "contact_stages"
_STAGE_COLUMNS = ("contact_id", "stage_rank", "declined", "stage")
_KEPT_PER_STORE = 8  # (owner, day) answers kept per workspace: a page asks for a few
# Per workspace and (data_version, owner, day): the contact facts and their stage columns.
_kept: weakref.WeakKeyDictionary[
    Store, dict[tuple[int, int | None, date], tuple[pl.DataFrame, pl.DataFrame]]
] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def contact_facts(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact: the columns of ``CONTACT_FACTS_SQL`` and ``stage``.

    Computed once per ``store.data_version``, owner and day and then shared (the frame
    must not be changed in place). The version is read before the query runs, so a write
    committed meanwhile can only make the kept answer newer than its key, never older.
    """
    return _kept_facts(store, owner_id, as_of)[0]


def contact_stages(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact: ``contact_id``, ``stage_rank``, ``stage``, ``declined``
    (kept and shared like ``contact_facts``)."""
    return _kept_facts(store, owner_id, as_of)[1]


def _kept_facts(
    store: Store, owner_id: int | None, as_of: date
) -> tuple[pl.DataFrame, pl.DataFrame]:
    key = (store.data_version, owner_id, as_of)
    with _kept_lock:
        found = _kept.get(store, {}).get(key)
    if found is not None:
        return found
    facts = store.frame(
        f"SELECT *, {STAGE_NAME_SQL} AS stage FROM ({CONTACT_FACTS_SQL}) ORDER BY contact_id",
        {"as_of": as_of, "owner_id": owner_id},
    )
    answer = (facts, facts.select(_STAGE_COLUMNS))
    with _kept_lock:
        kept = _kept.setdefault(store, {})
        for old in [k for k in kept if k[0] < key[0]]:
            del kept[old]
        kept[key] = answer
        while len(kept) > _KEPT_PER_STORE:
            del kept[next(iter(kept))]
    return answer


@contextmanager
def stages_as_table(store: Store, owner_id: int | None, as_of: date) -> Iterator[None]:
    """Make ``contact_facts`` of ``owner_id`` on ``as_of`` readable as ``STAGES_TABLE``
    (``contact_id``, ``stage_rank``, ``declined``, ``stage`` and the step days the gap
    rules compare) in this thread's queries."""
    with store.frame_as_table(STAGES_TABLE, contact_facts(store, owner_id, as_of)):
        yield


def stage_counts(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """How many contacts stand at each stage (furthest reached), every stage listed."""
    stages = pl.DataFrame(
        {"stage_rank": [s.rank for s in STAGES], "stage": [s.value for s in STAGES]},
        schema={"stage_rank": pl.Int32, "stage": pl.String},
    )
    counts = (
        contact_stages(store, owner_id, as_of)
        .group_by(pl.col("stage_rank").cast(pl.Int32))
        .agg(contacts=pl.len().cast(pl.Int32))
    )
    return (
        stages.join(counts, on="stage_rank", how="left")
        .with_columns(pl.col("contacts").fill_null(0))
        .sort("stage_rank")
    )
