"""The whole benchmark: make the data for every scale, run each side in its own process,
write the report.

``python -m bench`` runs ¼, ½, 1× and 2× of both scales (about a quarter of an hour on
two cores) and writes ``bench/RESULTS.md``, ``bench/results.json`` and
``bench/growth.png``; ``--quick`` runs one tiny scale in well under a minute and writes
into a temporary folder (or ``--out``), so the full results stay as they are.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import data, machine, report

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
FULL_SCALES = (0.25, 0.5, 1.0, 2.0)
QUICK_SCALE = 0.01
LOOP_SAMPLE = 40  # students the one-at-a-time notebook is timed on (at 1× only)
SPREAD_DAYS = 14  # shares made over a fortnight, for the comparison with one day


@dataclass(frozen=True, slots=True)
class Plan:
    """What one run measures and how often it repeats each call."""

    scales: tuple[float, ...]
    runs: int
    min_runs: int
    budget_s: float
    big_min_runs: int  # at scales above 1×, where one run can take a minute
    loop_sample: int
    spread_scale: float
    page_max_scale: float = 1.0  # pages above it are not run (see the report)


FULL = Plan(
    FULL_SCALES,
    runs=5,
    min_runs=3,
    budget_s=5.0,
    big_min_runs=1,
    loop_sample=LOOP_SAMPLE,
    spread_scale=0.25,
)
QUICK = Plan(
    (QUICK_SCALE,),
    runs=1,
    min_runs=1,
    budget_s=0.0,
    big_min_runs=1,
    loop_sample=3,
    spread_scale=QUICK_SCALE,
)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmark infoint at student and career-centre scale, against pandas "
        "and openpyxl baselines, and write bench/RESULTS.md.",
        epilog="Example: .venv/bin/python -m bench --quick --out /tmp/bench",
    )
    parser.add_argument("--quick", action="store_true", help="one tiny scale, in seconds")
    parser.add_argument("--out", type=Path, help="folder for RESULTS.md (default: bench/)")
    parser.add_argument(
        "--scales", help="comma-separated scale factors (default 0.25,0.5,1,2)", default=None
    )
    parser.add_argument(
        "--report-only",
        type=Path,
        metavar="RESULTS_JSON",
        help="write the report again from a results.json, measuring nothing",
    )
    args = parser.parse_args(argv)
    if args.report_only:
        results = json.loads(args.report_only.read_text(encoding="utf-8"))
        out = args.out or args.report_only.parent
        out.mkdir(parents=True, exist_ok=True)
        written = report.write(results, out)
        print(report.console_table(results))
        print(f"\nWrote {', '.join(str(p) for p in written)}")
        return 0
    plan = QUICK if args.quick else FULL
    if args.scales:
        scales = tuple(float(s) for s in args.scales.split(","))
        plan = Plan(
            scales,
            plan.runs,
            plan.min_runs,
            plan.budget_s,
            plan.big_min_runs,
            plan.loop_sample,
            min(scales),
            plan.page_max_scale,
        )
    out = args.out or (Path(tempfile.mkdtemp(prefix="infoint-bench-")) if args.quick else BENCH)
    out.mkdir(parents=True, exist_ok=True)
    results = run(plan, quick=args.quick)
    written = report.write(results, out)
    print(report.console_table(results))
    print(f"\nWrote {', '.join(str(p) for p in written)}")
    return 0


def run(plan: Plan, quick: bool = False) -> dict[str, Any]:
    """Every figure of ``plan``; see the module docstring."""
    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": machine.describe(),
        "plan": {
            "scales": list(plan.scales),
            "runs": plan.runs,
            "min_runs": plan.min_runs,
            "budget_s": plan.budget_s,
            "big_min_runs": plan.big_min_runs,
            "page_max_scale": plan.page_max_scale,
        },
        "sizes": {},
        "runs": {},
    }
    work = Path(tempfile.mkdtemp(prefix="infoint-bench-data-"))
    try:
        for scale in plan.scales:
            key = report.scale_key(scale)
            _say(started, f"scale {key}: making the data")
            sizes, student_dir, shares_dir = _make_data(work, scale)
            results["sizes"][key] = sizes
            flags = _repeat_flags(plan, scale)
            # Above 1× the pages would take minutes (the Follow-ups page alone over a minute
            # a run at 2×): their growth shows from ¼ to 1×, and the run stays near 15 min.
            pages = scale <= plan.page_max_scale
            runs: dict[str, Any] = {}
            _say(started, f"scale {key}: student side")
            heap = ["--python-heap"] if scale == plan.scales[0] else []
            runs["student"] = _side(work, "student", student_dir, shares_dir, flags, pages, heap)
            _say(started, f"scale {key}: cohort side")
            runs["cohort"] = _side(work, "cohort", student_dir, shares_dir, flags, pages)
            _say(started, f"scale {key}: notebook baselines")
            sample = plan.loop_sample if scale == _headline(plan) else 0
            runs["baselines"] = _worker(
                work, "baselines", student_dir, shares_dir, [*flags, "--loop-sample", str(sample)]
            )
            results["runs"][key] = runs
            shutil.rmtree(shares_dir, ignore_errors=True)
            shutil.rmtree(student_dir, ignore_errors=True)
        if not quick:  # the same worker as above with other data: not worth a smoke run
            _say(started, f"shares made over {SPREAD_DAYS} days, at scale {plan.spread_scale:g}")
            results["spread"] = _spread(work, plan)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["wall_s"] = round(time.perf_counter() - started, 1)
    results["load_average_after"] = machine.load_average()
    _say(started, "done")
    return results


def _headline(plan: Plan) -> float:
    """The scale the targets are judged at: 1×, or the largest when a run has no 1×."""
    return 1.0 if 1.0 in plan.scales else max(plan.scales)


def _repeat_flags(plan: Plan, scale: float) -> list[str]:
    min_runs = plan.min_runs if scale <= 1.0 else plan.big_min_runs
    return ["--runs", str(plan.runs), "--min-runs", str(min_runs), "--budget", str(plan.budget_s)]


def _make_data(work: Path, scale: float) -> tuple[dict[str, Any], Path, Path]:
    key = report.scale_key(scale)
    student_dir = work / f"student-{key}"
    student_dir.mkdir()
    files = data.student_files(scale)
    for name, blob in (
        ("Connections.csv", files.connections),
        ("Invitations.csv", files.invitations),
        ("messages.csv", files.messages),
        ("export.zip", files.export_zip),
        ("tracker.xlsx", files.tracker_xlsx),
    ):
        (student_dir / name).write_bytes(blob)
    shares = data.write_shares(work / f"shares-{key}", scale)
    sizes = {
        **files.counts,
        "export_zip_bytes": len(files.export_zip),
        "shares": shares.students,
        "share_contacts": shares.contacts,
        "share_rows": shares.rows,
        "share_steps": shares.steps,
        "share_bytes": sum(p.stat().st_size for p in shares.paths),
    }
    return sizes, student_dir, shares.folder


def _spread(work: Path, plan: Plan) -> dict[str, Any]:
    """Load and facts of shares made over ``SPREAD_DAYS`` days (each student is judged on
    the day of their share), to set beside the same cohort made on one day."""
    folder = work / "shares-spread"
    shares = data.write_shares(folder, plan.spread_scale, share_days=SPREAD_DAYS)
    flags = ["--runs", "1", "--min-runs", "1", "--budget", "0", "--facts-only"]
    result = _worker(work, "cohort", folder, folder, flags)
    shutil.rmtree(folder, ignore_errors=True)
    return {
        "scale": plan.spread_scale,
        "days": SPREAD_DAYS,
        "shares": shares.students,
        "result": result,
    }


def _side(
    work: Path,
    side: str,
    student_dir: Path,
    shares_dir: Path,
    flags: list[str],
    pages: bool,
    library_flags: Sequence[str] = (),
) -> dict[str, Any]:
    """One side's figures: the library's calls in one worker process, then (``pages``)
    the dashboard's pages in another, as the dashboard's server is a process of its own.
    Each process's peak memory and time are kept: ``max_rss_mib`` and ``wall_s``, and
    ``pages_max_rss_mib`` and ``pages_wall_s``."""
    found = _worker(work, side, student_dir, shares_dir, [*flags, *library_flags])
    if pages:
        pages = _worker(work, side, student_dir, shares_dir, [*flags, "--pages-only"])
        found["figures"] += pages["figures"]
        found["pages_max_rss_mib"] = pages["max_rss_mib"]
        found["pages_wall_s"] = pages["wall_s"]
    return found


def _worker(
    work: Path, side: str, student_dir: Path, shares_dir: Path, flags: list[str]
) -> dict[str, Any]:
    out = work / f"{side}-{time.monotonic_ns()}.json"
    log = work / f"{side}.log"
    command = [
        sys.executable,
        "-m",
        "bench.worker",
        side,
        "--data",
        str(student_dir),
        "--shares",
        str(shares_dir),
        "--out",
        str(out),
        *flags,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("w") as sink:
        done = subprocess.run(command, cwd=ROOT, env=env, stdout=sink, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        tail = log.read_text(errors="replace").splitlines()[-30:]
        raise RuntimeError(f"the {side} worker failed:\n" + "\n".join(tail))
    return json.loads(out.read_text())


def _say(started: float, text: str) -> None:
    print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)
