"""Student scale: importing each kind of file, every read-out, and every page.

Run in a process of its own (``bench.worker``), so its peak memory is the product's
alone. Imports go each into a fresh workspace file (importing a file twice does
nothing); read-outs and pages use one workspace holding the whole export and the
tracker, as a student's would.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from bench.data import AS_OF
from bench.measure import Figure, Repeats, figure, python_peak_mib
from bench.pages import app_pages, clear_caches, dashboard, first_view, time_page, uploader
from infoint_core.activity import activity_by_week
from infoint_core.funnel import compute_funnel
from infoint_core.gaps import find_gaps, gap_counts
from infoint_core.importers import FileResult, ImportOptions, import_bytes, read_file
from infoint_core.metrics import READOUTS, compute_metrics
from infoint_core.network import top_organisations
from infoint_core.overview import compute_overview
from infoint_core.owners import owner_for_writes
from infoint_core.referrals import referral_summary
from infoint_core.settings import set_setting
from infoint_core.store import Store, close_all_workspaces, open_workspace
from infoint_core.targets import add_target, target_coverage

# (figure key, file in the data folder) for each kind of file imported.
IMPORTS = (
    ("LinkedIn Connections.csv", "Connections.csv"),
    ("LinkedIn Invitations.csv", "Invitations.csv"),
    ("LinkedIn messages.csv", "messages.csv"),
    ("LinkedIn export .zip (all three + Profile.csv)", "export.zip"),
    ("tracker .xlsx", "tracker.xlsx"),
)
TARGETS = 12  # target organisations the student lists
ReadoutCall = Callable[[Store, int | None, date], Any]


def readouts() -> list[tuple[str, ReadoutCall]]:
    """Every read-out to time: those the issue names first, then every other one in the
    registry (``metrics.READOUTS``), the Overview tiles and the ``metrics --json`` object."""
    named: list[tuple[str, ReadoutCall]] = [
        ("funnel", compute_funnel),
        ("gaps", find_gaps),
        ("referral chains (§6 summary)", referral_summary),
        ("activity", activity_by_week),
        ("targets", target_coverage),
        ("network (top organisations)", top_organisations),
    ]
    covered = {compute_funnel, find_gaps}
    named += [(r.key.replace("_", " "), r.compute) for r in READOUTS if r.compute not in covered]
    named += [
        ("overview tiles", compute_overview),
        ("metrics --json (all of §6)", lambda s, _o, d: compute_metrics(s, None, d)),
    ]
    return named


WORKSPACE = "workspace.duckdb"  # the student's workspace, left in the data folder


def run(data: Path, work: Path, repeats: Repeats) -> dict[str, Any]:
    """Every student-scale figure for the files in ``data`` but the pages; scratch files
    go in ``work``.

    Also leaves in ``data`` the student's workspace (``WORKSPACE``), which the pages are
    timed on, and what the notebook baselines start from: the log's contacts and events
    as Parquet, and our own answers to check theirs against.
    """
    figures: list[Figure] = []
    figures += _imports(data, work, repeats)
    store = _student_workspace(data, data / WORKSPACE)
    figures += _readouts(store, repeats)
    _leave_for_baselines(store, data)
    close_all_workspaces()
    return {"figures": figures}


def run_pages(data: Path, repeats: Repeats) -> dict[str, Any]:
    """Every page of the dashboard on the workspace ``run`` left in ``data``: run in a
    process of its own, as the dashboard's server is."""
    figures = _pages(data / WORKSPACE, data, repeats)
    close_all_workspaces()
    return {"figures": figures}


def _imports(data: Path, work: Path, repeats: Repeats) -> list[Figure]:
    figures = []
    counter = itertools.count()

    def fresh() -> Store:
        return open_workspace(work / f"import-{next(counter)}.duckdb")

    def discard(store: Store, _result: Any) -> None:
        store.close()
        store.path.unlink(missing_ok=True)
        Path(f"{store.path}.wal").unlink(missing_ok=True)

    for label, name in IMPORTS:
        blob = (data / name).read_bytes()

        def call(store: Store, blob: bytes = blob, name: str = name) -> FileResult:
            result = import_bytes(store, name, blob, ImportOptions())
            if result.error:
                raise RuntimeError(result.error)
            return result

        found, result = figure(
            label,
            "import",
            call,
            repeats,
            setup=fresh,
            teardown=discard,
            rows=lambda r: r.rows,
        )
        found.extra = {
            "contacts_added": result.contacts_added,
            "events_added": result.events_added,
            "bytes": len(blob),
        }
        figures.append(found)
    tracker = (data / "tracker.xlsx").read_bytes()
    # The tracker imported into a log that already holds the export, as a student's
    # second import is: each row is matched against every contact already there.
    base = work / "with-export.duckdb"
    store = open_workspace(base)
    import_bytes(store, "export.zip", (data / "export.zip").read_bytes(), ImportOptions())
    store.close()

    def with_export() -> Store:
        copy = work / f"import-{next(counter)}.duckdb"
        shutil.copyfile(base, copy)
        return open_workspace(copy)

    second, result = figure(
        "tracker .xlsx into a log holding the export",
        "import",
        lambda store: import_bytes(store, "tracker.xlsx", tracker, ImportOptions()),
        repeats,
        setup=with_export,
        teardown=discard,
        rows=lambda r: r.rows,
    )
    second.extra = {"contacts_added": result.contacts_added, "bytes": len(tracker)}
    figures.append(second)
    parsed, _ = figure(
        "tracker .xlsx read only (no store)",
        "import",
        lambda _: read_file(tracker, ImportOptions()),
        repeats,
        rows=lambda r: sum(p.rows for p in r[1]),
    )
    figures.append(parsed)
    return figures


def _student_workspace(data: Path, path: Path) -> Store:
    """A student's workspace: the whole export, then the tracker, and target organisations
    taken from the organisations the log holds; no demo."""
    store = open_workspace(path)
    for name in ("export.zip", "tracker.xlsx"):
        result = import_bytes(store, name, (data / name).read_bytes(), ImportOptions())
        if result.error:
            raise RuntimeError(result.error)
    owner = owner_for_writes(store, None)
    for row in top_organisations(store, owner.id, AS_OF, top=TARGETS).iter_rows(named=True):
        add_target(store, owner.id, row["organisation"])
    set_setting(store, "demo_offered", True)  # the dashboard must not add the demo
    return store


def _readouts(store: Store, repeats: Repeats) -> list[Figure]:
    """Each read-out twice: repeated on an unchanged log (the contact facts that
    ``stages`` keeps per workspace version are shared), and as the first read-out after a
    change (``mark_changed`` before each run, as an import or a logged step does), which
    pays for those facts too."""
    figures = []
    for label, compute in readouts():
        found, _ = figure(label, "readout", lambda _, c=compute: c(store, None, AS_OF), repeats)
        fresh, _ = figure(
            label,
            "readout_fresh",
            lambda _, c=compute: c(store, None, AS_OF),
            repeats,
            setup=store.mark_changed,
        )
        figures += [found, fresh]
    return figures


def _leave_for_baselines(store: Store, data: Path) -> None:
    store.frame("SELECT * FROM contacts").write_parquet(data / "log-contacts.parquet")
    store.frame("SELECT * FROM events").write_parquet(data / "log-events.parquet")
    funnel = compute_funnel(store, None, AS_OF)
    counts = gap_counts(find_gaps(store, None, AS_OF))
    pl.DataFrame({"stage": funnel["stage"], "reached": funnel["reached"]}).write_parquet(
        data / "ours-funnel.parquet"
    )
    pl.DataFrame({"rule": list(counts), "gaps": list(counts.values())}).write_parquet(
        data / "ours-gaps.parquet"
    )


def _pages(db_path: Path, data: Path, repeats: Repeats) -> list[Figure]:
    figures = []
    export = (data / "export.zip").read_bytes()
    with dashboard(db_path, AS_OF):
        clear_caches()
        figures.append(first_view("overview"))
        for name in app_pages():
            if name == "cohort":  # a career centre's page: timed at cohort scale
                continue
            figures += time_page(name, name, repeats.trimmed(1))
        figures += time_page(
            "import_files",
            "import_files (export .zip uploaded)",
            repeats.trimmed(1),
            prepare=uploader([("export.zip", export, "application/zip")]),
        )
    return figures


def python_heap(data: Path) -> list[Figure]:
    """Python's own peak while importing the export and the tracker (tracemalloc; slow,
    so measured once at the smallest scale)."""
    figures = []
    work = Path(tempfile.mkdtemp(prefix="infoint-bench-heap-"))
    try:
        for label, name in IMPORTS[3:]:
            store = open_workspace(work / f"{name}.duckdb")
            blob = (data / name).read_bytes()
            peak = python_peak_mib(
                lambda s=store, b=blob, n=name: import_bytes(s, n, b, ImportOptions())
            )
            store.close()
            figures.append(Figure(label, "python_heap", 0.0, 0.0, 1, python_peak_mib=peak))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return figures
