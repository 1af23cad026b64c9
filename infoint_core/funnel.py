"""The funnel read-outs: how far contacts get, how fast, and how they differ (CONTRACT §2).

Every read-out judges the log on ``as_of`` through ``stages.contact_stages`` (kept per
workspace version and day), so the furthest stage of a contact means the same thing here
as on every other page. What a read-out needs beside the stages (each contact's source
or cohort month, the referral links) is read from DuckDB on a reader thread while the
stages are worked out, then joined to them in Polars; turning ranks into ``reached``/``conversion``
is done once, in ``_funnel_of``, for the whole log and for each cohort alike.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from infoint_core.records import STAGES, EventKind, Stage
from infoint_core.referrals import referral_links
from infoint_core.stages import contact_stages
from infoint_core.store import Store

_STAGE_TABLE = pl.DataFrame(
    {"stage_rank": [s.rank for s in STAGES], "stage": [s.value for s in STAGES]},
    schema={"stage_rank": pl.Int64, "stage": pl.String},
)
_ALL = "__all__"  # the one group of the whole-log funnel

_SOURCE = "coalesce(nullif(trim(c.source), ''), 'unknown')"  # how the contact was found

# One row per contact of the selected owner(s): the month it joins as a cohort. A cohort
# month is the month of the first dated outreach; a contact whose log shows no outreach
# date but does show later steps (a tracker with only an interview date) falls back to
# the first dated step, so it is not silently left out of every cohort.
CONTACT_COHORTS_SQL = f"""
WITH firsts AS (
    -- steps count only for their contact's owner: checked in the join below, once per
    -- contact rather than once per step
    SELECT contact_id, owner_id,
           min(on_date) FILTER (WHERE kind = '{EventKind.OUTREACH}') AS first_outreach,
           min(on_date) AS first_step
    FROM events
    WHERE on_date <= $as_of AND ($owner_id IS NULL OR owner_id = $owner_id)
    GROUP BY contact_id, owner_id
)
SELECT c.id AS contact_id,
       date_trunc('month', coalesce(f.first_outreach, f.first_step))::DATE AS cohort
FROM contacts c LEFT JOIN firsts f ON f.contact_id = c.id AND f.owner_id = c.owner_id
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
"""
# One row per contact of the selected owner(s): how it was found.
CONTACT_SOURCES_SQL = f"""
SELECT c.id AS contact_id, {_SOURCE} AS source FROM contacts c
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
"""

# The first dated step that shows each dated stage, per contact. 'scheduled' has no step
# of its own: the log records the day of a meeting, not the day it was agreed.
STAGE_DATES_SQL = f"""
WITH known AS (
    SELECT e.contact_id, e.kind, e.on_date
    FROM events e JOIN contacts c ON c.id = e.contact_id AND c.owner_id = e.owner_id
    WHERE e.on_date <= $as_of AND ($owner_id IS NULL OR c.owner_id = $owner_id)
),
firsts AS (
    SELECT contact_id,
           min(on_date) FILTER (WHERE kind = '{EventKind.OUTREACH}') AS contacted,
           min(on_date) FILTER (WHERE kind IN ('{EventKind.RESPONSE}', '{EventKind.DECLINED}'))
               AS responded,
           min(on_date) FILTER (WHERE kind = '{EventKind.MEETING}') AS interviewed,
           min(on_date) FILTER (WHERE kind = '{EventKind.THANK_YOU}') AS thanked
    FROM known GROUP BY contact_id
),
later AS (
    -- as in stages.facts_frame: any other step after the first thank-you is a follow-up
    SELECT f.contact_id, min(k.on_date) AS followed_up
    FROM firsts f JOIN known k USING (contact_id)
    WHERE k.on_date > f.thanked AND k.kind <> '{EventKind.THANK_YOU}'
    GROUP BY f.contact_id
)
SELECT f.*, l.followed_up FROM firsts f LEFT JOIN later l USING (contact_id)
"""

DURATION_STEPS: tuple[tuple[Stage, Stage], ...] = (
    (Stage.CONTACTED, Stage.RESPONDED),
    (Stage.RESPONDED, Stage.INTERVIEWED),
    (Stage.INTERVIEWED, Stage.THANKED),
    (Stage.THANKED, Stage.FOLLOWED_UP),
)


def _params(owner_id: int | None, as_of: date) -> dict[str, object]:
    return {"as_of": as_of, "owner_id": owner_id}


def _ranks_by(
    store: Store, owner_id: int | None, as_of: date, groups_sql: str, params: dict[str, object]
) -> pl.DataFrame:
    """One row per contact: ``contact_id``, ``stage_rank`` and the group columns of
    ``groups_sql`` (run with ``params``). The groups are read on a reader thread while
    the stages are worked out here (when a write has left them to work out again)."""
    reading = store.aside(lambda: store.frame(groups_sql, params))
    ranks = contact_stages(store, owner_id, as_of).select(
        "contact_id", pl.col("stage_rank").cast(pl.Int64)
    )
    return ranks.join(reading.result(), on="contact_id")


def _funnel_of(ranks: pl.DataFrame, by: str) -> pl.DataFrame:
    """``reached`` and ``conversion`` per stage for every value of the column ``by``.

    ``reached[s]`` counts contacts whose furthest stage is at least ``s``; conversion is
    ``reached[s] / reached[s-1]``, null for stage 0 and where ``reached[s-1]`` is 0.
    """
    groups = ranks.select(by).unique()
    at_stage = ranks.group_by(by, "stage_rank").agg(pl.len().cast(pl.Int64).alias("at"))
    previous = pl.col("reached").shift(1).over(by, order_by="stage_rank")
    return (
        groups.join(_STAGE_TABLE, how="cross")
        .join(at_stage, on=[by, "stage_rank"], how="left")
        .with_columns(pl.col("at").fill_null(0))
        .sort(by, "stage_rank")
        .with_columns(
            pl.col("at").cum_sum(reverse=True).over(by, order_by="stage_rank").alias("reached")
        )
        .with_columns(
            pl.when(previous > 0)
            .then(pl.col("reached") / previous)
            .otherwise(None)
            .cast(pl.Float64)
            .alias("conversion")
        )
        .select(by, "stage", "reached", "conversion")
    )


def compute_funnel(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """The funnel of CONTRACT §2: seven rows in stage order, ``stage``/``reached``/``conversion``.

    An empty log gives seven rows of zeros with null conversions.
    """
    ranks = contact_stages(store, owner_id, as_of).select(
        pl.lit(_ALL).alias("group"), pl.col("stage_rank").cast(pl.Int64)
    )
    if ranks.is_empty():  # no group at all, yet every stage is still listed
        return _STAGE_TABLE.select(
            "stage", reached=pl.lit(0, pl.Int64), conversion=pl.lit(None, pl.Float64)
        )
    return _funnel_of(ranks, "group").drop("group")


def funnel_by_month(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """The funnel per cohort: ``cohort`` (first day of the month of first outreach),
    ``stage``, ``reached``, ``conversion``. A contact with no dated outreach joins the
    month of its first dated step; one with no dated step at all is in no cohort.

    Lets a student see whether last month's outreach converts better than earlier months'.
    """
    ranks = _ranks_by(store, owner_id, as_of, CONTACT_COHORTS_SQL, _params(owner_id, as_of))
    return _funnel_of(ranks.filter(pl.col("cohort").is_not_null()), "cohort")


def funnel_by_source(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """The funnel per ``source`` (how the contact was found; 'unknown' when blank):
    ``source``, ``stage``, ``reached``, ``conversion``.

    Shows which ways of finding people lead to interviews, not just to names.
    """
    params = {"owner_id": owner_id}
    return _funnel_of(_ranks_by(store, owner_id, as_of, CONTACT_SOURCES_SQL, params), "source")


def stage_durations(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Median days between consecutive dated stages: ``from_stage``, ``to_stage``,
    ``contacts`` (how many had both dates), ``median_days`` (null when none did).

    Each stage is dated by its first step per contact (outreach, answer, meeting,
    thank-you, later touch). 'identified' and 'scheduled' have no step of their own, so
    the steps are contacted→responded→interviewed→thanked→followed_up. A pair dated in
    the wrong order (a typing slip) is left out rather than counted as negative.
    """
    dates = store.frame(STAGE_DATES_SQL, _params(owner_id, as_of))
    rows = []
    for start, end in DURATION_STEPS:
        days = (
            dates.select((pl.col(end.value) - pl.col(start.value)).dt.total_days().alias("d"))
            .drop_nulls()
            .filter(pl.col("d") >= 0)["d"]
        )
        median = days.median() if len(days) else None
        rows.append((start.value, end.value, len(days), median))
    return pl.DataFrame(
        rows,
        schema={
            "from_stage": pl.String,
            "to_stage": pl.String,
            "contacts": pl.Int64,
            "median_days": pl.Float64,
        },
        orient="row",
    )


def air_referral_share(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """The R of AIR: one row, ``interviewed``, ``referred_someone`` (of those, how many
    introduced at least one person) and ``share`` (null when nobody was interviewed).

    An interview that ends without a new name is where referral chains stop. The links
    are read on a reader thread while the stages are worked out.
    """
    reading = store.aside(lambda: referral_links(store, owner_id))
    interviewed = contact_stages(store, owner_id, as_of).filter(
        pl.col("stage_rank") >= Stage.INTERVIEWED.rank
    )
    referrers = reading.result()["referrer_id"].implode()
    counts = interviewed.select(
        interviewed=pl.len().cast(pl.Int64),
        referred_someone=pl.col("contact_id").is_in(referrers).sum().cast(pl.Int64),
    )
    return counts.with_columns(
        pl.when(pl.col("interviewed") > 0)
        .then(pl.col("referred_someone") / pl.col("interviewed"))
        .otherwise(None)
        .cast(pl.Float64)
        .alias("share")
    )
