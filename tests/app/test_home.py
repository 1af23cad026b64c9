"""The landing page, through Streamlit's AppTest."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from infoint_core.store import open_workspace

APP = str(Path(__file__).parents[2] / "app.py")


@pytest.fixture
def app(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("INFOINT_DB", str(db_path))
    from ui import _workspace

    _workspace.clear()
    return AppTest.from_file(APP, default_timeout=60)


def test_the_first_start_shows_the_demo_log(app: AppTest) -> None:
    app.run()
    assert not app.exception
    assert app.metric[0].value == "150"
    assert "demo data" in app.info[0].value


def test_clearing_the_demo_leaves_an_empty_log_that_stays_empty(app: AppTest, db_path) -> None:
    app.run()
    app.button[0].click().run()
    assert not app.exception
    assert app.metric[0].value == "0"
    assert not app.info
    app.run()
    assert app.metric[0].value == "0"
    assert open_workspace(db_path).value("SELECT count(*) FROM contacts") == 0


def test_a_file_that_is_not_a_workspace_shows_an_error(app: AppTest, db_path: Path) -> None:
    db_path.write_text("not a database at all\n" * 50)
    app.run()
    assert not app.exception
    assert "not an infoint workspace" in app.error[0].value
