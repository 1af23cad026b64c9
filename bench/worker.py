"""One side of the benchmark at one scale, in a process of its own.

``python -m bench.worker student|cohort|baselines --data DIR --out FILE [...]`` writes
its figures as JSON. The parent (``bench.run``) starts one per side and scale, so each
has a clean memory high-water mark and a cold start of its own.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

import infoint_core  # noqa: F401  (first, as in the CLI and app.py: Polars' allocator)
from bench import baselines
from bench.data import AS_OF
from bench.measure import Figure, Repeats, figure, max_rss_mib


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    parser.add_argument("side", choices=["student", "cohort", "baselines"])
    parser.add_argument("--data", type=Path, required=True, help="student files folder")
    parser.add_argument("--shares", type=Path, help="share files folder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--min-runs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=10.0)
    parser.add_argument(
        "--pages-only", action="store_true", help="the dashboard's pages, in this process alone"
    )
    parser.add_argument("--facts-only", action="store_true")
    parser.add_argument("--python-heap", action="store_true")
    parser.add_argument("--loop-sample", type=int, default=0)
    args = parser.parse_args(argv)
    repeats = Repeats(args.runs, args.min_runs, args.budget)
    work = Path(tempfile.mkdtemp(prefix="infoint-bench-"))
    started = time.perf_counter()
    try:
        if args.side == "student":
            from bench import student

            if args.pages_only:
                result = student.run_pages(args.data, repeats)
            else:
                result = student.run(args.data, work, repeats)
            if args.python_heap:
                result["figures"] += student.python_heap(args.data)
        elif args.side == "cohort":
            from bench import cohort

            if args.pages_only:
                result = cohort.run_page(args.shares, work, repeats)
            else:
                result = cohort.run(args.shares, repeats, facts_only=args.facts_only)
        else:
            result = run_baselines(args.data, args.shares, repeats, args.loop_sample)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result["max_rss_mib"] = round(max_rss_mib(), 1)
    result["wall_s"] = round(time.perf_counter() - started, 1)
    result["figures"] = [f.as_dict() for f in result["figures"]]
    args.out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    return 0


def run_baselines(
    data: Path, shares: Path | None, repeats: Repeats, loop_sample: int = 0
) -> dict[str, Any]:
    """The notebook's funnel, gaps and tracker read (student scale), and its cohort
    statistics (cohort scale), each checked against our answer."""
    figures: list[Figure] = []
    agreement: dict[str, Any] = {}
    contacts = pd.read_parquet(data / "log-contacts.parquet")
    events = pd.read_parquet(data / "log-events.parquet")
    ours_funnel = pd.read_parquet(data / "ours-funnel.parquet")["reached"].tolist()
    ours_gaps = dict(pd.read_parquet(data / "ours-gaps.parquet").itertuples(index=False))

    found, funnel = figure(
        "funnel",
        "baseline",
        lambda _: baselines.notebook_funnel(contacts, events, AS_OF),
        repeats.trimmed(1),
        note="pandas, row by row (iterrows)",
    )
    figures.append(found)
    agreement["funnel"] = {"ours": ours_funnel, "baseline": funnel}
    found, gaps = figure(
        "gaps",
        "baseline",
        lambda _: baselines.notebook_gaps(contacts, events, AS_OF),
        repeats.trimmed(1),
        note="pandas, contact by contact (groupby, then a loop)",
    )
    figures.append(found)
    agreement["gaps"] = {"ours": ours_gaps, "baseline": gaps}
    tracker = (data / "tracker.xlsx").read_bytes()
    found, table = figure(
        "tracker .xlsx",
        "baseline",
        lambda _: baselines.openpyxl_tracker(tracker),
        repeats,
        note="openpyxl (read-only) into a pandas DataFrame",
    )
    found.rows = len(table)
    figures.append(found)
    if shares is not None:
        paths = sorted(shares.glob("*.parquet"))
        found, stats = figure(
            "cohort statistics",
            "baseline",
            lambda _: baselines.cohort_statistics(paths, per_student=False),
            repeats.trimmed(1),
            note="pandas, vectorised over every student (files read one by one)",
        )
        figures.append(found)
        agreement["cohort statistics"] = {k: v for k, v in stats.items() if k != "by_programme"}
        rows, info = baselines.read_share_files(paths)
        found, _ = figure(
            "cohort statistics, shares already read",
            "baseline",
            lambda _: baselines.statistics_of(rows, info, per_student=False),
            repeats.trimmed(1),
            note="pandas, vectorised over every student, from the rows already in memory",
        )
        figures.append(found)
        del rows, info
        if loop_sample:
            # One student at a time, as a notebook loops over files: too slow to run on
            # them all, so timed on the first students and scaled up (it is linear).
            sample = paths[:loop_sample]
            found, _ = figure(
                "cohort statistics, one student at a time",
                "baseline",
                lambda _: baselines.cohort_statistics(sample, per_student=True),
                Repeats(1, 1, 0),
            )
            factor = len(paths) / len(sample)
            found.note = (
                f"pandas, a loop over students: timed on {len(sample):,} of {len(paths):,} "
                f"students and multiplied by {factor:,.0f}"
            )
            found.median_s *= factor
            found.min_s *= factor
            found.cpu_s = None if found.cpu_s is None else found.cpu_s * factor
            figures.append(found)
    return {"figures": figures, "agreement": agreement}


if __name__ == "__main__":
    sys.exit(main())
