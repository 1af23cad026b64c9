"""Streamlit helpers shared by the pages: the workspace, cached reads, errors, owners.

Pages import from here and from ``infoint_core``; nothing here holds SQL or rules.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

import altair as alt
import polars as pl
import streamlit as st

from infoint_core.demo import seed_on_first_start
from infoint_core.errors import InfointError
from infoint_core.importers import FilePreview, ImportOptions, preview_bytes
from infoint_core.owners import Owner, list_owners, owner_for_writes
from infoint_core.store import Store, open_workspace

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _workspace() -> Store:
    store = open_workspace()
    seed_on_first_start(store)
    return store


def get_store() -> Store:
    """The workspace of this process (``$INFOINT_DB`` or ``data/infoint.duckdb``), opened
    once and shared by every session; the demo log is loaded on the very first start."""
    return _workspace()


def read(func: Callable[..., T], *args: Any) -> T:
    """``func(store, *args)``, cached until the workspace next changes.

    The cache key holds the workspace's data version, so any write (an import, a logged
    step) makes every page read fresh data on its next run.
    """
    name = f"{func.__module__}:{func.__qualname__}"
    return _cached_read(name, get_store().data_version, args)


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_read(name: str, version: int, args: tuple[Any, ...]) -> Any:
    module, _, qualname = name.partition(":")
    func = getattr(importlib.import_module(module), qualname)
    return func(get_store(), *args)


@st.cache_data(show_spinner="Reading the file…", max_entries=32)
def preview_upload(name: str, data: bytes, owner: str | None, date_order: str) -> FilePreview:
    """What an uploaded file holds, read once per file rather than on every rerun."""
    return preview_bytes(name, data, ImportOptions(owner=owner, date_order=date_order))


def show_error(error: InfointError) -> None:
    """Show a core error as one clear message (names in it are shown as typed)."""
    st.error(escape_markdown(str(error)), icon=":material/error:")


def current_owner() -> Owner | None:
    """The student whose log the pages show, or None for the whole workspace: asked in
    the sidebar only when the workspace holds several (a career centre's workspace)."""
    try:
        owners = read(list_owners)
    except InfointError as error:  # the workspace itself cannot be read: nothing to show
        show_error(error)
        st.stop()
    if len(owners) <= 1:
        return None
    return st.sidebar.selectbox("Whose log", owners, format_func=lambda o: o.name, key="owner")


def owner_id(owner: Owner | None) -> int | None:
    return owner.id if owner else None


def owner_name(owner: Owner | None) -> str | None:
    return owner.name if owner else None


def owner_id_for_writes(owner: Owner | None) -> int:
    """The owner new data goes to: the one shown, else the workspace's only owner."""
    return owner.id if owner else owner_for_writes(get_store(), None).id


def show_chart(chart: alt.Chart, frame: pl.DataFrame, labels: dict[str, str]) -> None:
    """Draw ``chart`` with its numbers in a table beside it (a text alternative).

    ``labels`` names the frame's columns to show, in the words people read.
    """
    st.altair_chart(chart, width="stretch")
    with st.expander("Show the numbers"):
        st.dataframe(frame.select(list(labels)).rename(labels), hide_index=True, width="stretch")


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def escape_markdown(text: str) -> str:
    """``text`` shown as itself in Markdown: a name like ``[x](javascript:…)`` stays text."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


_NOTE = "ui_note"  # a message kept across the rerun that follows a click


def note_for_next_run(text: str) -> None:
    """Keep ``text`` to show as a toast after the ``st.rerun()`` that follows a change."""
    st.session_state[_NOTE] = text


def show_pending_note() -> None:
    """Show the note left by ``note_for_next_run`` on the run before, if any."""
    if note := st.session_state.pop(_NOTE, None):
        st.toast(note, icon=":material/task_alt:")


def percent(share: float | None) -> str:
    """A share as people read it: 0.123 → "12 %"; no share → "–"."""
    return "–" if share is None else f"{share:.0%}".replace("%", " %")


def as_of() -> date:
    """The day every read-out is judged on: today."""
    return date.today()
