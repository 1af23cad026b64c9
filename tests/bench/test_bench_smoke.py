"""The benchmark's quick mode end to end, so it never rots. No timing is asserted: only
that every side ran, every page rendered, every target was judged and every notebook
baseline reached our answer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return out


def test_the_quick_run_writes_the_report(quick_run: Path) -> None:
    report = (quick_run / "RESULTS.md").read_text(encoding="utf-8")
    for heading in ("## Machine", "## Targets (issue 6)", "## Student scale", "## Cohort scale",
                    "## Against the notebook", "## How it grows", "## Memory"):  # fmt: skip
        assert heading in report
    for target in ("30,000 connections imported", "2,000 shares loaded", "peak memory",
                   "faster than the pandas baseline"):  # fmt: skip
        assert target in report


def test_every_side_measured_something(quick_run: Path) -> None:
    results = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))
    (runs,) = results["runs"].values()
    groups = {f["group"] for side in runs.values() for f in side["figures"]}
    assert {"import", "readout", "page_cold", "page_warm", "cohort", "cohort_readout",
            "baseline"} <= groups  # fmt: skip
    assert all(f["median_s"] >= 0 and f["runs"] >= 1 for f in runs["student"]["figures"])


def test_every_page_rendered_without_an_error(quick_run: Path) -> None:
    results = json.loads((quick_run / "results.json").read_text(encoding="utf-8"))
    (runs,) = results["runs"].values()
    pages = [f for side in ("student", "cohort") for f in runs[side]["figures"]
             if f["group"].startswith("page")]  # fmt: skip
    assert pages
    assert [(f["key"], f["note"]) for f in pages if f["note"]] == []


def test_the_baselines_reach_our_answers(quick_run: Path) -> None:
    report = (quick_run / "RESULTS.md").read_text(encoding="utf-8")
    section = report.split("## Against the notebook")[1].split("## How it grows")[0]
    assert "| yes |" in section
    assert "**no**" not in section
