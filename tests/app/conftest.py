"""AppTest fixtures: each test gets its own workspace, empty or holding the demo log."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from infoint_core.demo import load_demo
from infoint_core.settings import set_setting
from infoint_core.store import open_workspace
from tests.conftest import AS_OF

ROOT = Path(__file__).parents[2]


@pytest.fixture
def page(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], AppTest]:
    """``page("contacts")`` → an AppTest of the app opened on ``pages/contacts.py``, on this
    test's workspace (through ``app.py``, so page links and navigation work)."""
    monkeypatch.setenv("INFOINT_DB", str(db_path))
    from ui import _cached_read, _shared_frame, _workspace

    _workspace.clear()
    _cached_read.clear()
    _shared_frame.clear()

    def make(name: str) -> AppTest:
        app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        app.switch_page(f"pages/{name}.py")
        return app

    return make


@pytest.fixture
def judged_on_as_of(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages judge the log on AS_OF, the day the demo is built for, whatever the clock
    says: for tests of what falls due on a day (follow-ups, meetings to prepare)."""
    import ui

    monkeypatch.setattr(ui, "as_of", lambda: AS_OF)


@pytest.fixture
def empty_workspace(db_path: Path) -> Path:
    """A workspace whose owner cleared the demo: nothing in it, and no demo coming back."""
    set_setting(open_workspace(db_path), "demo_offered", True)
    return db_path


@pytest.fixture
def demo_workspace(db_path: Path) -> Path:
    store = open_workspace(db_path)
    load_demo(store, AS_OF)
    set_setting(store, "demo_offered", True)
    return db_path
