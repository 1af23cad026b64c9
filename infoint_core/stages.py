"""The furthest stage each contact has reached, judged on a day (CONTRACT §2).

A logged step implies every earlier stage; a meeting dated after ``as_of`` is only
scheduled; steps dated after ``as_of`` are not yet known on that day, nor is an undated
step of a contact whose meetings are all still to come. A tracker's status
column counts as evidence too. ``declined`` ends the path at ``responded``.

Nearly every read-out needs these stages, and working them out is the dearest query of
each. So ``contact_stages`` keeps its answer per workspace, ``Store.data_version``, owner
and day: the funnel, gaps, targets... of one page run share one computation, and any
committed write (which bumps ``data_version``) makes the next call compute it afresh.
Read-outs join the kept frame in SQL as the table ``STAGES_TABLE`` (``stages_as_table``).
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


# A CTE body, one row per contact of the selected owner(s): contact_id, stage_rank,
# declined. Parameters: $as_of (DATE) and $owner_id (INTEGER or NULL for every owner).
CONTACT_STAGES_SQL = f"""
WITH meetings AS (
    SELECT contact_id, bool_and(coalesce(on_date > $as_of, false)) AS only_future
    FROM events WHERE kind = '{EventKind.MEETING}' GROUP BY contact_id
),
known AS (
    -- An undated step (a thank-you marked "yes") is known, unless the only meetings
    -- are still to come on that day.
    SELECT e.contact_id, e.kind, e.on_date
    FROM events e LEFT JOIN meetings m USING (contact_id)
    WHERE (e.on_date <= $as_of OR e.kind = '{EventKind.MEETING}'
           OR (e.on_date IS NULL AND NOT coalesce(m.only_future, false)))
      AND ($owner_id IS NULL OR e.owner_id = $owner_id)
),
first_thanks AS (
    SELECT contact_id, min(on_date) AS thanked_on
    FROM known WHERE kind = '{EventKind.THANK_YOU}' GROUP BY contact_id
),
evidence AS (
    SELECT k.contact_id,
           max(CASE
                 WHEN k.kind = '{EventKind.MEETING}' THEN
                      CASE WHEN k.on_date <= $as_of THEN {Stage.INTERVIEWED.rank}
                           ELSE {Stage.SCHEDULED.rank} END
                 WHEN t.thanked_on IS NOT NULL AND k.on_date > t.thanked_on
                      AND k.kind <> '{EventKind.THANK_YOU}' THEN {Stage.FOLLOWED_UP.rank}
                 ELSE {_case("k.kind", _RANK_OF_KIND)}
               END) AS rank,
           bool_or(k.kind = '{EventKind.DECLINED}') AS declined
    FROM known k LEFT JOIN first_thanks t USING (contact_id)
    GROUP BY k.contact_id
)
SELECT c.id AS contact_id,
       greatest(coalesce(ev.rank, 0), {_case("c.status", _STATUS_RANK)}) AS stage_rank,
       coalesce(ev.declined, false) OR coalesce(c.status = '{DECLINED_STATUS}', false)
           AS declined
FROM contacts c LEFT JOIN evidence ev ON ev.contact_id = c.id
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
"""

STAGE_NAME_SQL = (
    "CASE stage_rank " + " ".join(f"WHEN {s.rank} THEN '{s.value}'" for s in STAGES) + " END"
)


# The table name under which ``stages_as_table`` shows the kept stages to a query.
STAGES_TABLE = "contact_stages"
_KEPT_PER_STORE = 8  # (owner, day) answers kept per workspace: a page asks for a few
_kept: weakref.WeakKeyDictionary[Store, dict[tuple[int, int | None, date], pl.DataFrame]] = (
    weakref.WeakKeyDictionary()
)
_kept_lock = threading.Lock()


def contact_stages(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact: ``contact_id``, ``stage_rank``, ``stage``, ``declined``.

    Computed once per ``store.data_version``, owner and day and then shared (the frame
    must not be changed in place). The version is read before the query runs, so a write
    committed meanwhile can only make the kept answer newer than its key, never older.
    """
    key = (store.data_version, owner_id, as_of)
    with _kept_lock:
        found = _kept.get(store, {}).get(key)
    if found is not None:
        return found
    stages = store.frame(
        f"SELECT *, {STAGE_NAME_SQL} AS stage FROM ({CONTACT_STAGES_SQL}) ORDER BY contact_id",
        {"as_of": as_of, "owner_id": owner_id},
    )
    with _kept_lock:
        kept = _kept.setdefault(store, {})
        for old in [k for k in kept if k[0] < key[0]]:
            del kept[old]
        kept[key] = stages
        while len(kept) > _KEPT_PER_STORE:
            del kept[next(iter(kept))]
    return stages


@contextmanager
def stages_as_table(store: Store, owner_id: int | None, as_of: date) -> Iterator[None]:
    """Make ``contact_stages`` of ``owner_id`` on ``as_of`` readable as ``STAGES_TABLE``
    (``contact_id``, ``stage_rank``, ``declined``, ``stage``) in this thread's queries."""
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
