"""Streamlit helpers shared by the pages: the workspace, cached reads, errors, owners.

Pages import from here and from ``infoint_core``; nothing here holds SQL or rules.
"""

from __future__ import annotations

import functools
import importlib
import re
import typing
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import altair as alt
import polars as pl
import streamlit as st

from infoint_core import humanize
from infoint_core.access import AccessConfig, AccessError, Role, Viewer, access_config, viewer_for
from infoint_core.demo import seed_on_first_start
from infoint_core.errors import InfointError
from infoint_core.importers import FilePreview, ImportOptions, preview_bytes
from infoint_core.owners import Owner, list_owners, owner_for_writes
from infoint_core.store import Store, open_workspace, workspace_path

T = TypeVar("T")


@st.cache_resource(show_spinner=False)
def _workspace(path: str) -> Store:
    """The workspace at ``path``, opened once per process and file: keyed by the path, so
    that with sign-in every student's sessions share their own file and nobody else's."""
    store = open_workspace(path)
    seed_on_first_start(store)
    return store


def get_store() -> Store:
    """The workspace this session works on; the demo log is loaded on its very first start.

    Single-user: ``$INFOINT_DB`` or ``data/infoint.duckdb``, shared by every session. With
    sign-in: the signed-in student's own file. Raises AccessError for anyone who has none
    (an adviser, a visitor not signed in), so no page can open a workspace for them.
    """
    return _workspace(str(session_workspace()))


def read(func: Callable[..., T], *args: Any) -> T:
    """``func(store, *args)``, cached until the workspace next changes.

    The cache key holds the workspace's path (the cache is shared by every session, and
    with sign-in each student has their own file) and its data version, so any write (an
    import, a logged step) makes every page read fresh data on its next run.

    A Polars frame (``func`` annotated to return ``pl.DataFrame``) is kept as it is and
    every run is handed that same frame, which must not be changed in place (Polars
    operations make new frames). Any other result is kept pickled and each run gets its
    own copy, free to change.
    """
    name = f"{func.__module__}:{func.__qualname__}"
    store = get_store()
    cached = _shared_frame if _returns_frame(func) else _cached_read
    return cached(name, str(store.path), store.data_version, args)


@functools.cache
def _returns_frame(func: Callable[..., Any]) -> bool:
    try:
        return typing.get_type_hints(func).get("return") is pl.DataFrame
    except (NameError, TypeError):  # an annotation Python cannot resolve: copy to be safe
        return False


# Why frames are not kept as data: a pickled frame is a second copy, larger than the
# frame (9 MB for the 3.7 MB of 30,000 contacts), and every run unpickles a third; on a
# student's log that took the Contacts page ~50 MB higher. 64 frames are those of every
# page for a few versions of a log; the least recently read go first.
@st.cache_resource(show_spinner=False, max_entries=64)
def _shared_frame(name: str, workspace: str, version: int, args: tuple[Any, ...]) -> Any:
    return _compute(name, workspace, args)


# The other answers are small (counts, settings, one debrief: kilobytes); the byte cap
# keeps a large one, or many stale versions of them, from growing the process unseen.
@st.cache_data(show_spinner=False, max_entries=256, max_size="32MiB")
def _cached_read(name: str, workspace: str, version: int, args: tuple[Any, ...]) -> Any:
    return _compute(name, workspace, args)


def _compute(name: str, workspace: str, args: tuple[Any, ...]) -> Any:
    module, _, qualname = name.partition(":")
    func = getattr(importlib.import_module(module), qualname)
    return func(_workspace(workspace), *args)


def sign_in_config() -> AccessConfig:
    """The ``[infoint]`` section of the secrets: the single-user default when there is none.

    Fails closed: a secrets file that exists but cannot be read, or sign-in switched on
    without Streamlit's ``[auth]`` section, stops the app (AccessError) rather than opening
    the single shared workspace to everyone.
    """
    try:
        section = st.secrets.get("infoint")
        has_auth = "auth" in st.secrets
    except FileNotFoundError as error:  # Streamlit's "no secrets" and "unreadable secrets"
        if any(Path(path).is_file() for path in st.get_option("secrets.files")):
            raise AccessError(f"The secrets file cannot be read: {error}") from error
        return AccessConfig()
    config = access_config(section)
    if config.sign_in and not has_auth:
        raise AccessError("[infoint] sign_in = true needs an [auth] section in the secrets")
    return config


def current_viewer(config: AccessConfig) -> Viewer | None:
    """Who is signed in to this session (None: nobody), from the ID token's claims that
    Streamlit keeps in its signed cookie; never from the URL or its query parameters."""
    if not st.user.get("is_logged_in"):  # missing too when Streamlit found no [auth]
        return None
    return viewer_for(config, st.user.to_dict())


def session_workspace() -> Path:
    """The workspace file of this session (see ``get_store``)."""
    config = sign_in_config()
    if not config.sign_in:
        return workspace_path()
    viewer = current_viewer(config)
    if viewer is None or viewer.workspace is None:
        raise AccessError("Only a signed-in student has a networking log here")
    return viewer.workspace


def pages_for_session(
    log: dict[str, list[Any]], career_centre: dict[str, list[Any]]
) -> dict[str, list[Any]]:
    """The navigation this session may use: everything in the single-user default; with
    sign-in, a sign-in screen for visitors, the ``log`` pages for a student and the
    ``career_centre`` pages for an adviser. A page left out cannot be reached by URL."""
    try:
        config = sign_in_config()
        viewer = current_viewer(config) if config.sign_in else None
    except AccessError as error:
        show_error(error)
        st.stop()
    if not config.sign_in:
        return {**log, **career_centre}
    if viewer is None:
        screen = st.Page(lambda: _sign_in_screen(config), title="Sign in", url_path="sign-in")
        return {"": [screen]}
    _show_signed_in(viewer)
    return career_centre if viewer.role is Role.ADVISER else log


def _sign_in_screen(config: AccessConfig) -> None:
    st.title("infoint")
    st.write("Sign in with your organisation's account to open your networking log.")
    provider = (config.provider,) if config.provider else ()  # else the plain [auth] section
    st.button("Sign in", type="primary", on_click=st.login, args=provider)


def _show_signed_in(viewer: Viewer) -> None:
    role = "career centre adviser" if viewer.role is Role.ADVISER else "student"
    st.sidebar.caption(f"Signed in as {escape_markdown(viewer.name)} ({role})")
    st.sidebar.button("Sign out", on_click=st.logout)


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
    return humanize.percent(share)


def as_of() -> date:
    """The day every read-out is judged on: today."""
    return date.today()
