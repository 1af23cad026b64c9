"""The furthest stage each contact has reached, judged on a day (CONTRACT §2).

A logged step implies every earlier stage; a meeting dated after ``as_of`` is only
scheduled; steps dated after ``as_of`` are not yet known on that day, nor is an undated
step of a contact whose meetings are all still to come. A tracker's status
column counts as evidence too. ``declined`` ends the path at ``responded``.
"""

from __future__ import annotations

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


def contact_stages(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact: ``contact_id``, ``stage_rank``, ``stage``, ``declined``."""
    return store.frame(
        f"SELECT *, {STAGE_NAME_SQL} AS stage FROM ({CONTACT_STAGES_SQL}) ORDER BY contact_id",
        {"as_of": as_of, "owner_id": owner_id},
    )


def stage_counts(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """How many contacts stand at each stage (furthest reached), every stage listed."""
    stages = pl.DataFrame(
        {"stage_rank": [s.rank for s in STAGES], "stage": [s.value for s in STAGES]},
        schema={"stage_rank": pl.Int32, "stage": pl.String},
    )
    counts = store.frame(
        f"""SELECT stage_rank::INTEGER AS stage_rank, count(*)::INTEGER AS contacts
            FROM ({CONTACT_STAGES_SQL}) GROUP BY stage_rank""",
        {"as_of": as_of, "owner_id": owner_id},
    )
    return (
        stages.join(counts, on="stage_rank", how="left")
        .with_columns(pl.col("contacts").fill_null(0))
        .sort("stage_rank")
    )
