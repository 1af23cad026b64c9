"""Dashboard pages timed through Streamlit's ``AppTest``, as the tests run them.

Each page's script runs through ``app.py`` (so navigation works) on the benchmark's
workspace. *Cold*: Streamlit's caches emptied first, as on the first view after a
change to the log. *Warm*: the same page run again, its reads cached, as on every
click after that. The first run of the process (imports included) is timed apart.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from bench.measure import Figure, Repeats, figure

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
TIMEOUT_S = 900  # AppTest's own limit per run; the slowest page must fit in it

Upload = tuple[str, bytes, str]  # (file name, content, MIME type) as AppTest takes them


def app_pages() -> list[str]:
    """The page names ``app.py`` registers, in its order (read from its source)."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    return [
        node.args[0].value.removeprefix("pages/").removesuffix(".py")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "attr", "") == "Page"
        and node.args
        and isinstance(node.args[0], ast.Constant)
    ]


@contextmanager
def dashboard(db_path: Path, as_of: date) -> Iterator[None]:
    """Point the app at ``db_path`` and judge every page on ``as_of``.

    Pages judge on "today" through ``ui.as_of``; the benchmark's data is made for a fixed
    day, so the pages are shown that day as the read-outs are (otherwise figures would
    drift as the calendar moves on and runs on different days would not compare).
    """
    import ui

    os.environ["INFOINT_DB"] = str(db_path)
    original = ui.as_of
    ui.as_of = lambda: as_of
    try:
        yield
    finally:
        ui.as_of = original


def clear_caches() -> None:
    """Empty Streamlit's data and resource caches (a cold start of every read)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def open_page(name: str) -> Any:
    """An ``AppTest`` of the app opened on ``pages/<name>.py`` (not yet run)."""
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    app.switch_page(f"pages/{name}.py")
    return app


def problems(app: Any) -> str:
    """What went wrong on the page's last run ('' when nothing did)."""
    found = [str(e.value)[:120] for e in app.exception] + [str(e.value)[:120] for e in app.error]
    return "; ".join(found)


def first_view(name: str) -> Figure:
    """The first page shown by a fresh process: imports, workspace and reads included."""
    app = open_page(name)
    result, _ = figure(f"first view ({name})", "page", lambda _: app.run(), Repeats(1, 1, 0))
    result.note = problems(app)
    return result


def time_page(
    name: str,
    label: str,
    repeats: Repeats,
    prepare: Callable[[Any], None] | None = None,
) -> list[Figure]:
    """Cold and warm figures of one page. ``prepare(app)`` acts on the page once it has
    run, before the timed run (e.g. puts files in an uploader); the page then runs with
    that state, cold and again warm."""
    try:
        return _time_page(name, label, repeats, prepare)
    except PageNotReady as problem:
        # The page could not be brought to the state to time (it failed first): say so
        # in the report instead of stopping the whole benchmark.
        return [Figure(label, "page_cold", 0.0, 0.0, 0, note=f"not timed: {problem}")]


class PageNotReady(Exception):
    """The page did not show what the benchmark needs to act on (it failed first)."""


def _time_page(
    name: str,
    label: str,
    repeats: Repeats,
    prepare: Callable[[Any], None] | None,
) -> list[Figure]:
    apps: list[Any] = []

    def cold_setup() -> Any:
        app = open_page(name)
        if prepare:
            app.run()
            prepare(app)
        clear_caches()
        apps.append(app)
        return app

    # A cold run builds a new AppTest and empties every cache: three are plenty.
    cold_repeats = Repeats(min(repeats.max_runs, 3), repeats.min_runs, repeats.budget_s)
    cold, _ = figure(label, "page_cold", lambda app: app.run(), cold_repeats, setup=cold_setup)
    app = apps[-1]
    cold.note = problems(app)
    warm, _ = figure(f"{label}", "page_warm", lambda _: app.run(), repeats)
    warm.note = problems(app)
    return [cold, warm]


def uploader(files: Sequence[Upload]) -> Callable[[Any], None]:
    """A ``prepare`` that puts ``files`` into the page's first file uploader."""

    def put(app: Any) -> None:
        found = app.get("file_uploader")
        if not found:
            raise PageNotReady(problems(app) or "the page shows no file uploader")
        found[0].set_value(list(files))

    return put
