"""The Overview page: KPI tiles, next steps, activity, the demo banner, the first run."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from infoint_core.store import open_workspace
from tests.app.conftest import ROOT


def test_the_demo_shows_tiles_next_steps_and_activity(page, demo_workspace) -> None:
    at = page("overview").run()
    assert not at.exception
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Contacts"] == "150"
    assert int(tiles["Follow-ups due"]) > 5
    assert tiles["Outreach → interview"].endswith("%")
    assert "demo data" in at.info[0].value
    steps = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(steps) == 5
    assert at.get("vega_lite_chart")


def test_clearing_the_demo_leads_to_the_first_run_screen(page, demo_workspace) -> None:
    at = page("overview").run()
    at.button[0].click().run()
    assert not at.exception
    assert not at.metric
    assert any("what to do next" in m.value for m in at.markdown)
    assert open_workspace(demo_workspace).value("SELECT count(*) FROM contacts") == 0


def test_the_app_opens_on_the_overview_with_the_demo_on_first_start(
    db_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("INFOINT_DB", str(db_path))
    from ui import _cached_read, _workspace

    _workspace.clear()
    _cached_read.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert {m.label: m.value for m in at.metric}["Contacts"] == "150"


def test_a_file_that_is_not_a_workspace_shows_an_error(page, db_path: Path) -> None:
    db_path.write_text("not a database at all\n" * 50)
    at = page("overview").run()
    assert not at.exception
    assert "not an infoint workspace" in at.error[0].value


def test_the_outreach_streak_is_shown(page, demo_workspace) -> None:
    at = page("overview").run()
    assert any("streak" in c.value for c in at.caption)
