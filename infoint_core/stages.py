"""The furthest stage each contact has reached, judged on a day (CONTRACT §2).

A logged step implies every earlier stage; a meeting dated after ``as_of`` is only
scheduled; steps dated after ``as_of`` are not yet known on that day, nor is an undated
step of a contact whose meetings are all still to come. A tracker's status
column counts as evidence too. ``declined`` ends the path at ``responded``.

Nearly every read-out needs these stages, and working them out is the dearest part of
each. So one pass over the steps (``facts_frame``) gives each contact's stage and
the step days the gap rules compare, and ``contact_facts`` keeps that answer per
workspace, ``Store.data_version``, owner and day: the funnel, gaps, targets... of one
page run share one computation, and any committed write (which bumps ``data_version``)
makes the next call compute it afresh. Read-outs join the kept frame in SQL as the table
``STAGES_TABLE`` (``stages_as_table``).
"""

from __future__ import annotations

import itertools
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TypeVar

import polars as pl

from infoint_core.records import DECLINED_STATUS, STAGES, EventKind, Stage
from infoint_core.store import Store

_RANK_OF_KIND = {
    EventKind.OUTREACH.value: Stage.CONTACTED.rank,
    EventKind.RESPONSE.value: Stage.RESPONDED.rank,
    EventKind.DECLINED.value: Stage.RESPONDED.rank,
    EventKind.MEETING.value: Stage.SCHEDULED.rank,  # one more (interviewed) once held
    EventKind.THANK_YOU.value: Stage.THANKED.rank,
    EventKind.FOLLOW_UP.value: Stage.FOLLOWED_UP.rank,
}
_STATUS_RANK = {stage.value: stage.rank for stage in STAGES} | {
    DECLINED_STATUS: Stage.RESPONDED.rank
}
_STAGE_NAME = {stage.rank: stage.value for stage in STAGES}
_ANSWERS = [
    kind.value
    for kind in (EventKind.RESPONSE, EventKind.DECLINED, EventKind.MEETING, EventKind.INBOUND)
]
# Steps' kinds as an enum (``owners_facts`` reads them as categories): a dozen
# comparisons per step cost half as much as on strings.
_KINDS = pl.Enum([kind.value for kind in EventKind])


def facts_frame(
    contacts: pl.DataFrame, events: pl.DataFrame, owner_id: int | None = None
) -> pl.DataFrame:
    """One row per contact of ``owner_id`` (every owner when None), from one pass over
    the steps: the contact's furthest stage (``stage_rank``, ``declined``; its name is
    left to ``contact_stages``, which shows it) and the days the gap rules compare
    (``gaps.GapInputs``).

    ``contacts`` has ``id``, ``owner_id``, ``status`` and ``as_of``, the day each contact
    is judged on (a cohort judges each student on a day of their own); ``events`` has
    ``contact_id``, ``owner_id``, ``kind`` and ``on_date``. Stage evidence is a step of
    the selected owner (``ev``) known on the day: dated by then, a meeting whatever its
    day, or undated unless the contact's only meetings are still to come. The step days
    count only the steps of the contact's own owner (``same``). No per-step comparison
    with the first thank-you is needed: a follow-up is "the last known step other than a
    meeting or thank-you is after the first thank-you".

    Polars, not SQL: the same pass in DuckDB spent longer planning its two dozen
    aggregates than Polars takes to run them (37 ms against 17 ms at 30,000 contacts).
    """
    if owner_id is not None:
        contacts = contacts.filter(pl.col("owner_id") == owner_id)
    per_contact = (
        events.lazy()
        .with_columns(pl.col("kind").cast(_KINDS, strict=False))
        .join(
            contacts.lazy().select("id", "as_of", c_owner="owner_id"),
            left_on="contact_id",
            right_on="id",
        )
        .select("contact_id", **_step_facts(owner_id))
        .group_by("contact_id")
        .agg(pl.col(*_FIRSTS).min(), pl.exclude(*_FIRSTS).max())
    )
    return (
        contacts.lazy()
        .join(per_contact, left_on="id", right_on="contact_id", how="left")
        .select(**_contact_facts())
        .sort("contact_id")
        .collect(engine="in-memory")
    )


# Of the step facts, those whose least value counts (the others: the greatest).
_FIRSTS = ("first_known_thanks", "first_met_on", "first_declined_on", "first_thanked_on")


def _step_facts(owner_id: int | None) -> dict[str, pl.Expr]:
    """Each step's part of its contact's facts: a day where the step counts for it (null
    where not), a rank, or a yes/no; ``_FIRSTS`` take the least per contact, the rest
    the greatest."""
    kind, day = pl.col("kind"), pl.col("on_date")
    ev = pl.lit(True) if owner_id is None else pl.col("owner_id") == owner_id
    same = pl.col("owner_id") == pl.col("c_owner")
    due = (day <= pl.col("as_of")).fill_null(False)
    undated = day.is_null()
    met = kind == EventKind.MEETING.value
    thanks = kind == EventKind.THANK_YOU.value
    declined = kind == EventKind.DECLINED.value
    outreach = kind == EventKind.OUTREACH.value
    answer = kind.is_in(_ANSWERS)
    rank = kind.replace_strict(_RANK_OF_KIND, default=0, return_dtype=pl.Int8)

    def on(counts: pl.Expr) -> pl.Expr:
        return pl.when(counts).then(day)

    return {
        "known_rank": pl.when(ev & (due | met)).then(rank + (met & due).cast(pl.Int8)),
        "undated_rank": pl.when(ev & undated & ~met).then(rank),
        "first_known_thanks": on(ev & thanks & due),
        "last_other_on": on(ev & due & ~met & ~thanks),
        "last_on": on(same & due),
        "first_met_on": on(same & met & due),
        "last_met_on": on(same & met & due),
        "first_declined_on": on(same & declined & due),
        "first_thanked_on": on(same & thanks & due),
        "last_thanked_on": on(same & thanks & due),
        "last_outreach_on": on(same & outreach & due),
        "last_answer_on": on(same & answer & (due | met)),  # a meeting agreed answers
        "declined_dated": ev & due & declined,
        "declined_undated": ev & undated & declined,
        "stepped": same,
        "thanked_undated": same & thanks & undated,
        "answer_undated": same & answer & undated,
        "answer_dated": same & answer & ~undated,
        "has_meeting": met,
        "meeting_not_future": met & (due | undated),
    }


def _contact_facts() -> dict[str, pl.Expr]:
    """The columns of ``facts_frame`` from a contact and its steps' facts."""

    def said(name: str) -> pl.Expr:
        return pl.col(name).fill_null(False)

    only_future = said("has_meeting") & ~said("meeting_not_future")
    followed_up = pl.when(pl.col("last_other_on") > pl.col("first_known_thanks")).then(
        pl.lit(Stage.FOLLOWED_UP.rank, pl.Int8)
    )
    by_steps = pl.max_horizontal(
        "known_rank", pl.when(~only_future).then("undated_rank"), followed_up
    ).fill_null(0)
    by_status = pl.col("status").replace_strict(_STATUS_RANK, default=0, return_dtype=pl.Int8)
    stage_rank = pl.max_horizontal(by_steps, by_status).cast(pl.Int32)
    days = ("last_on", "first_met_on", "last_met_on", "first_declined_on", "first_thanked_on",
            "last_thanked_on")  # fmt: skip
    return {
        "contact_id": pl.col("id"),
        "owner_id": pl.col("owner_id"),
        "stage_rank": stage_rank,
        "declined": said("declined_dated")
        | (said("declined_undated") & ~only_future)
        | (pl.col("status") == DECLINED_STATUS).fill_null(False),
        "status": pl.col("status"),
        "stepped": said("stepped"),
        **{day: pl.col(day) for day in days},
        "thanked_undated": said("thanked_undated"),
        "last_outreach_on": pl.col("last_outreach_on"),
        "last_answer_on": pl.col("last_answer_on"),
        "answer_undated": said("answer_undated"),
        "answer_dated": said("answer_dated"),
    }


_Frame = TypeVar("_Frame", pl.DataFrame, pl.LazyFrame)
# What ``owners_facts`` reads, and how many steps it works on at a time.
# Statuses and kinds come as enums (categories in Polars): a quarter of the memory of
# strings at a cohort's million steps, and quicker to compare. A status or kind this
# version does not know reads as null, which is no evidence of a stage, as before.
_CONTACTS_SQL = f"""
SELECT id, owner_id, TRY_CAST(status AS ENUM({", ".join(f"'{s}'" for s in _STATUS_RANK)})) AS status
FROM contacts
WHERE $owner_id IS NULL OR owner_id = $owner_id
"""
_EVENTS_SQL = f"""
SELECT contact_id, owner_id,
       TRY_CAST(kind AS ENUM({", ".join(f"'{k}'" for k in EventKind)})) AS kind, on_date
FROM events
"""
_RUN_STEPS = 250_000

# The table name under which ``stages_as_table`` shows the kept facts to a query.
STAGES_TABLE = "contact_stages"
_STAGE_COLUMNS = (
    "contact_id",
    "stage_rank",
    "declined",
    pl.col("stage_rank").replace_strict(_STAGE_NAME, return_dtype=pl.String).alias("stage"),
)
_KEPT_PER_STORE = 8  # (owner, day) answers kept per workspace: a page asks for a few
# Per workspace and (data_version, owner, day): the contact facts and their stage columns.
_kept: weakref.WeakKeyDictionary[
    Store, dict[tuple[int, int | None, date], tuple[pl.DataFrame, pl.DataFrame]]
] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()


def contact_facts(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact: the columns of ``facts_frame``.

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
    facts = owners_facts(store, as_of, owner_id)
    answer = (facts, facts.select(_STAGE_COLUMNS))
    with _kept_lock:
        kept = _kept.setdefault(store, {})
        for old in [k for k in kept if k[0] < key[0]]:
            del kept[old]
        kept[key] = answer
        while len(kept) > _KEPT_PER_STORE:
            del kept[next(iter(kept))]
    return answer


def with_days(frame: _Frame, judged: date | pl.DataFrame) -> _Frame:
    """``frame`` (rows with an ``owner_id``) with ``as_of``, the day each is judged on:
    ``judged`` when a day, else its owner's (``judged``: ``owner_id``, ``as_of``; rows of
    other owners left out)."""
    if isinstance(judged, date):
        return frame.with_columns(as_of=pl.lit(judged))
    return frame.join(judged.lazy() if isinstance(frame, pl.LazyFrame) else judged, on="owner_id")


def owners_facts(
    store: Store, judged: date | pl.DataFrame, owner_id: int | None = None
) -> pl.DataFrame:
    """``facts_frame`` of every contact of ``owner_id`` (every owner when None), judged on
    one day, or only those of the owners in ``judged`` (``owner_id``, ``as_of``: the day
    each is judged on).

    Beyond ``_RUN_STEPS`` steps (a cohort's), worked out in runs of about that many: a
    million steps in one pass held more memory at its peak and took longer (in memory)
    or held a few hundred MB more (streaming). A contact's facts come from its own row
    and steps alone, so a run is a range of contact ids, as many contacts in each, and its
    steps are those of its contacts: cut by comparing ids, not by a join.
    """
    contacts = with_days(store.frame(_CONTACTS_SQL, {"owner_id": owner_id}), judged)
    events = store.frame(_EVENTS_SQL)
    if events.height <= _RUN_STEPS or contacts.is_empty():
        return facts_frame(contacts, events, owner_id)
    ids = contacts["id"].sort()
    runs = -(-events.height // _RUN_STEPS)
    edges = [ids[0], *(ids[ids.len() * run // runs] for run in range(1, runs)), ids[-1] + 1]
    parts = [
        facts_frame(
            contacts.filter(pl.col("id").is_between(low, high, closed="left")),
            events.filter(pl.col("contact_id").is_between(low, high, closed="left")),
            owner_id,
        )
        for low, high in itertools.pairwise(edges)
    ]
    return pl.concat(parts).sort("contact_id")


@contextmanager
def stages_as_table(store: Store, owner_id: int | None, as_of: date) -> Iterator[None]:
    """Make ``contact_stages`` of ``owner_id`` on ``as_of`` readable as ``STAGES_TABLE``
    (``contact_id``, ``stage_rank``, ``declined``, ``stage``) in this thread's queries:
    the narrow frame, as handing DuckDB every fact cost more than the query."""
    with store.frame_as_table(STAGES_TABLE, contact_stages(store, owner_id, as_of)):
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
