"""Cohort scale: a career centre loading its students' shares and reading the statistics.

Run in a process of its own (``bench.worker``). The statistics are timed step by step as
``infoint cohort`` and the Cohort page take them (load the shares, each student's facts,
the protected summary, the JSON), then the student read-outs over every student at once
in the cohort's workspace, then the Cohort page with every share uploaded.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from bench.data import AS_OF
from bench.measure import Figure, Repeats, figure
from bench.pages import clear_caches, dashboard, time_page, uploader
from infoint_core.activity import activity_by_week
from infoint_core.cohort import (
    Cohort,
    CohortFacts,
    cohort_to_json,
    collect_facts,
    load_shares,
    summarise_cohort,
)
from infoint_core.cohort_facts import COHORT_GAP_RULES
from infoint_core.funnel import compute_funnel
from infoint_core.gaps import default_thresholds, gaps_of_rule
from infoint_core.referrals import referral_summary
from infoint_core.store import close_all_workspaces
from infoint_core.targets import target_coverage

LOAD = "shares loaded (load_shares)"
FACTS = "cohort statistics: each student's facts (collect_facts)"
SUMMARY = "cohort statistics: protected summary (summarise_cohort)"
JSON = "cohort statistics: JSON by programme (cohort_to_json)"


def run(folder: Path, repeats: Repeats, *, facts_only: bool = False) -> dict[str, Any]:
    """Every cohort-scale figure for the shares in ``folder`` but the page's;
    ``facts_only`` stops after loading and the facts (for the comparison of share days)."""
    steps = sum(1 for _ in folder.glob("*.parquet"))
    figures: list[Figure] = []

    kept: list[Cohort] = []

    def close_kept() -> None:
        # The last cohort loaded is kept for what follows; an earlier one is closed
        # before the next load, so no two are ever in memory at once.
        while kept:
            kept.pop().close()

    loaded, cohort = figure(
        LOAD,
        "cohort",
        lambda _: load_shares([folder]),
        repeats,
        setup=close_kept,
        teardown=lambda _, c: kept.append(c),
    )
    loaded.extra = {"files": steps}
    figures.append(loaded)
    facts_figure, facts = figure(FACTS, "cohort_readout", lambda _: collect_facts(cohort), repeats)
    figures.append(facts_figure)
    if facts_only:
        cohort.close()
        return {"figures": figures}
    ours = _answers(facts)
    figures += _statistics(facts, repeats)
    figures += _readouts(cohort, repeats)
    cohort.close()
    close_all_workspaces()
    return {"figures": figures, "ours": ours}


def run_page(folder: Path, work: Path, repeats: Repeats) -> dict[str, Any]:
    """The Cohort page with every share in ``folder`` uploaded: run in a process of its
    own, as the dashboard's server is."""
    figures = _page(folder, work, repeats)
    close_all_workspaces()
    return {"figures": figures}


def _answers(facts: CohortFacts) -> dict[str, Any]:
    """The cohort-wide figures the notebook baseline must also arrive at."""
    funnel = facts.reached.group_by("stage", maintain_order=True).agg(pl.col("reached").sum())
    gaps = facts.gaps.group_by("rule").agg(pl.col("gaps").sum())
    return {
        "students": facts.students.height,
        "funnel": funnel["reached"].to_list(),
        "gaps": dict(gaps.iter_rows()),
        "thank_yous": facts.thank_yous.height,
    }


def _statistics(facts: CohortFacts, repeats: Repeats) -> list[Figure]:
    summary_figure, summary = figure(
        SUMMARY, "cohort_readout", lambda _: summarise_cohort(facts), repeats
    )
    json_figure, _ = figure(
        JSON, "cohort_readout", lambda _: cohort_to_json(summary, "programme"), repeats
    )
    return [summary_figure, json_figure]


def _readouts(cohort: Cohort, repeats: Repeats) -> list[Figure]:
    """The student read-outs over every student at once (owner ``None``), in the cohort's
    workspace: what a career centre's own SQL over the same tables costs."""
    store = cohort.store
    thresholds = default_thresholds()

    def every_gap(_: Any) -> int:
        # Each rule once for every student, as collect_facts asks them (find_gaps with
        # no owner runs every rule once per owner: 10,000 queries for 2,000 students).
        return sum(
            gaps_of_rule(store, rule, None, AS_OF, thresholds).height for rule in COHORT_GAP_RULES
        )

    calls = (
        ("funnel (every student)", lambda _: compute_funnel(store, None, AS_OF)),
        ("gaps (every student, each rule once)", every_gap),
        ("referral chains (every student)", lambda _: referral_summary(store, None, AS_OF)),
        ("activity (every student)", lambda _: activity_by_week(store, None, AS_OF)),
        (
            "targets (every student; shares hold none)",
            lambda _: target_coverage(store, None, AS_OF),
        ),
    )
    return [figure(label, "cohort_readout", call, repeats)[0] for label, call in calls]


def _page(folder: Path, work: Path, repeats: Repeats) -> list[Figure]:
    """The Cohort page with every share uploaded at once (a folder's files dropped in)."""
    files = [
        (path.name, path.read_bytes(), "application/octet-stream")
        for path in sorted(folder.glob("*.parquet"))
    ]
    # The page reads only its uploads; an empty workspace stands behind the rest of the app.
    with dashboard(work / "career-centre.duckdb", AS_OF):
        clear_caches()
        return time_page(
            "cohort",
            f"cohort ({len(files):,} shares uploaded)",
            repeats.trimmed(1),
            prepare=uploader(files),
        )
