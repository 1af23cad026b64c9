"""Timing and memory: medians of repeated runs, and the peak memory while they ran.

``time_runs`` repeats a call until it has ``max_runs`` timings, or enough of them
(``Repeats.needed``) once ``budget_s`` seconds have gone, so a call of a few milliseconds
gets many runs and one of a minute gets one, and the whole benchmark fits in the time a
person waits.
Every figure says how many runs it is the median of.
"""

from __future__ import annotations

import gc
import os
import resource
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
MIB = 2**20


@dataclass(slots=True)
class Figure:
    """One measured figure: the median and fastest of ``runs`` timings, in seconds.

    ``cpu_s`` is the median processor time the process spent per run (every thread, so
    DuckDB's parallel work can make it exceed the wall time): unlike the wall time it
    hardly moves when other programs share the machine.

    ``rows`` (when the call processed rows) gives rows per second; ``peak_rss_mib`` is the
    most memory the process held while the runs went on; ``note`` says what to know.
    """

    key: str
    group: str
    median_s: float
    min_s: float
    runs: int
    rows: int | None = None
    cpu_s: float | None = None
    peak_rss_mib: float | None = None
    python_peak_mib: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def rows_per_s(self) -> float | None:
        if not self.rows or not self.median_s:
            return None
        return self.rows / self.median_s

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"rows_per_s": self.rows_per_s}


@dataclass(frozen=True, slots=True)
class Repeats:
    """How often to repeat a call: see the module docstring."""

    max_runs: int = 5
    min_runs: int = 3
    budget_s: float = 10.0

    def trimmed(self, min_runs: int) -> Repeats:
        return Repeats(self.max_runs, min(self.min_runs, min_runs), self.budget_s)

    def needed(self, first_s: float) -> int:
        """Runs needed once the budget is spent: ``min_runs`` for a call under a second,
        at most two under thirty seconds, one beyond (a minute-long call is timed once)."""
        if first_s >= 30:
            return 1
        if first_s >= 1:
            return min(self.min_runs, 2)
        return self.min_runs


def time_runs(
    call: Callable[[Any], Any],
    repeats: Repeats,
    setup: Callable[[], Any] | None = None,
    teardown: Callable[[Any, Any], None] | None = None,
) -> tuple[list[float], Any, float, list[float]]:
    """Time ``call(setup())`` repeatedly; return the wall timings, the last result, the
    peak RSS (MiB) seen while it ran and the processor timings. Only ``call`` is timed:
    ``setup`` makes what each run needs (a fresh workspace), ``teardown(prepared,
    result)`` tidies after it."""
    timings: list[float] = []
    cpu: list[float] = []
    result: Any = None
    started = time.perf_counter()
    with rss_peak() as peak:
        while len(timings) < repeats.max_runs:
            prepared = setup() if setup else None
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            result = call(prepared)
            timings.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            if teardown:
                teardown(prepared, result)
            spent = time.perf_counter() - started
            if len(timings) >= repeats.needed(timings[0]) and spent >= repeats.budget_s:
                break
    return timings, result, peak.mib, cpu


def figure(
    key: str,
    group: str,
    call: Callable[[Any], Any],
    repeats: Repeats,
    *,
    setup: Callable[[], Any] | None = None,
    teardown: Callable[[Any, Any], None] | None = None,
    rows: int | Callable[[Any], int] | None = None,
    note: str = "",
) -> tuple[Figure, Any]:
    """Measure ``call`` as ``time_runs`` does and describe it as a ``Figure``; also return
    the last run's result. ``rows`` may be worked out from that result."""
    timings, result, peak, cpu = time_runs(call, repeats, setup, teardown)
    counted = rows(result) if callable(rows) else rows
    return (
        Figure(
            key=key,
            group=group,
            median_s=statistics.median(timings),
            min_s=min(timings),
            runs=len(timings),
            rows=counted,
            cpu_s=statistics.median(cpu),
            peak_rss_mib=round(peak, 1),
            note=note,
        ),
        result,
    )


def python_peak_mib(call: Callable[[], Any]) -> float:
    """The most memory Python objects held during one ``call`` (tracemalloc; memory
    that DuckDB, Polars and Arrow allocate outside Python is not in it: see RSS)."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return round(peak / MIB, 1)


def rss_mib() -> float:
    """The resident memory of this process now."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE / MIB
    except OSError:  # not Linux: the high-water mark is the best there is
        return max_rss_mib()


def max_rss_mib() -> float:
    """The most resident memory this process has held since it started.

    Linux's ``VmHWM``, not ``getrusage``'s ``ru_maxrss``: that one survives ``exec``, so
    a worker started by a parent holding 700 MB reported 700 MB whatever it held itself.
    """
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:  # not Linux: the high-water mark getrusage keeps
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kib) / 1024


class _Peak:
    mib: float = 0.0


@contextmanager
def rss_peak(interval_s: float = 0.005) -> Iterator[_Peak]:
    """The peak RSS while the block runs, sampled every ``interval_s`` by a thread (the
    process high-water mark cannot tell one step from the one before)."""
    peak = _Peak()
    peak.mib = rss_mib()
    done = threading.Event()

    def sample() -> None:
        while not done.wait(interval_s):
            peak.mib = max(peak.mib, rss_mib())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield peak
    finally:
        done.set()
        sampler.join()
        peak.mib = max(peak.mib, rss_mib())
