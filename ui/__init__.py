"""Streamlit helpers shared by the pages: the cached workspace and error display.

Pages import from here and from ``infoint_core``; nothing here holds SQL or rules.
"""

from __future__ import annotations

import streamlit as st

from infoint_core.demo import seed_on_first_start
from infoint_core.errors import InfointError
from infoint_core.store import Store, open_workspace


@st.cache_resource(show_spinner=False)
def _workspace() -> Store:
    store = open_workspace()
    seed_on_first_start(store)
    return store


def get_store() -> Store:
    """The workspace of this process (``$INFOINT_DB`` or ``data/infoint.duckdb``), opened
    once and shared by every session; the demo log is loaded on the very first start."""
    return _workspace()


def show_error(error: InfointError) -> None:
    """Show a core error as one clear message."""
    st.error(str(error), icon=":material/error:")
