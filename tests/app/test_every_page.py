"""Every page of the app renders on the demo log and on an empty workspace."""

from __future__ import annotations

import ast

import pytest

from infoint_core.store import open_workspace
from tests.app.conftest import ROOT


def app_pages() -> list[str]:
    """The page names ``app.py`` registers, read from its source."""
    tree = ast.parse((ROOT / "app.py").read_text())
    return [
        node.args[0].value.removeprefix("pages/").removesuffix(".py")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "Page"
    ]


def test_every_page_file_is_in_the_navigation() -> None:
    files = {p.stem for p in (ROOT / "pages").glob("*.py")}
    assert files == set(app_pages())


@pytest.mark.parametrize("name", app_pages())
def test_the_page_renders_on_the_demo(page, demo_workspace, name: str) -> None:
    at = page(name).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title


@pytest.mark.parametrize("name", app_pages())
def test_the_page_renders_on_an_empty_workspace(page, empty_workspace, name: str) -> None:
    at = page(name).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title


# The Cohort page reads share files in memory and never opens the workspace.
@pytest.mark.parametrize("name", [p for p in app_pages() if p != "cohort"])
def test_the_page_shows_an_error_for_a_broken_workspace(page, db_path, name: str) -> None:
    db_path.write_text("not a database\n" * 50)
    at = page(name).run()
    assert not at.exception, at.exception
    assert "not an infoint workspace" in at.error[0].value


def test_an_import_and_a_logged_step_change_the_read_outs(page, empty_workspace) -> None:
    at = page("import_files").run()
    tracker = b"Name,Organisation,Date contacted\nAda Lovelace,Engines,2026-11-01\n"
    at.get("file_uploader")[0].set_value(("log.csv", tracker, "text/csv"))
    at.run()
    at.button[0].click().run()
    assert not at.exception

    funnel = page("funnel").run()
    before = [m.value for m in funnel.metric]

    contacts = page("contacts").run()
    contacts.selectbox(key="step_kind").set_value("response")
    contacts.button(key="log").click().run()
    assert not contacts.exception

    after = [m.value for m in page("funnel").run().metric]
    assert before != after
    store = open_workspace(empty_workspace)
    assert store.value("SELECT count(*) FROM events WHERE kind = 'response'") == 1
