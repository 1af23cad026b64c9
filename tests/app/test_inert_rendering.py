"""User data is shown as text on every page, never as HTML, Markdown or a live link
(issue 7, item 2).

A workspace whose names, organisations, notes, targets, profile and debriefs hold markup
is opened on every page; every string an element renders as Markdown (bodies, labels,
help, captions) must hold the markup only escaped, no element that allows HTML may hold
user data, link cells must be web links, and Graphviz labels must be quoted.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from infoint_core.contacts import list_contacts
from infoint_core.debrief import save_debrief
from infoint_core.importers import ImportOptions, import_bytes
from infoint_core.owners import list_owners
from infoint_core.profile import save_profile
from infoint_core.settings import set_setting
from infoint_core.store import open_workspace
from infoint_core.targets import add_target
from tests.app.conftest import ROOT
from tests.app.test_every_page import app_pages
from tests.samples.hostile import TEXT_TRAPS
from tests.samples.trackers import workbook_bytes

# Each trap as it would render: its first special character not backslash-escaped.
LIVE_FORM = re.compile(r"(?<!\\)(<script|<img src=x|\]\(javascript:|\*\*bold)")
DOT_TRAP = '"];evil['
MARKDOWN_FIELDS = {"body", "label", "help", "captions", "caption", "placeholder"}
# A script URL that still has the shape of a profile address, so it is kept as one.
EVIL_URL = "javascript://www.linkedin.com/in/x%0Aalert(1)"


def trap_log(today: date) -> bytes:
    """A tracker where every person's name, organisation, role and notes is a trap, each
    referred by the one before, met recently or soon, so every page has them to show."""
    rows: list[list[object]] = [
        ["Name", "Company", "Position", "Notes", "LinkedIn", "Referred by", "Date contacted",
         "Meeting date", "Status"]
    ]  # fmt: skip
    previous = None
    for i, trap in enumerate(TEXT_TRAPS):
        name = f"{trap} {i}"
        met = today - timedelta(days=10 + i) if i % 2 == 0 else today + timedelta(days=2 + i)
        url = EVIL_URL if i == 2 else None
        rows.append([name, trap, trap, trap, url, previous, today - timedelta(days=40), met, trap])
        previous = name
    return workbook_bytes({"Log": rows})


@pytest.fixture
def trap_workspace(db_path: Path) -> Path:
    store = open_workspace(db_path)
    set_setting(store, "demo_offered", True)
    today = date.today()  # the pages judge on today
    result = import_bytes(store, "traps.xlsx", trap_log(today), ImportOptions())
    assert result.error is None, result.error
    owner = list_owners(store)[0]
    for trap in TEXT_TRAPS:
        add_target(store, owner.id, f"{trap} Org", notes=trap)
    save_profile(
        store, owner.id, field=TEXT_TRAPS[0], background=TEXT_TRAPS[2], goals=TEXT_TRAPS[3]
    )
    store.run("UPDATE owners SET programme = ?", [TEXT_TRAPS[1]])
    met = next(c for c in list_contacts(store, as_of=today) if c["stage"] == "interviewed")
    save_debrief(
        store, met["id"], today - timedelta(days=10), learned=TEXT_TRAPS[1],
        advice=TEXT_TRAPS[2], referred_names=[f"{TEXT_TRAPS[3]} referred"],
        follow_up_promised=TEXT_TRAPS[4], notes=TEXT_TRAPS[0], as_of=today,
    )  # fmt: skip
    return db_path


def rendered_strings(node: Any, field: str = "") -> Iterator[tuple[str, str]]:
    """Every (field name, string) in an element's message, nested ones included."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from rendered_strings(value, key)
    elif isinstance(node, list):
        for item in node:
            yield from rendered_strings(item, field)
    elif isinstance(node, str):
        yield field, node


def elements(at: AppTest) -> Iterator[Any]:
    """Every element the run drew, in the main area and the sidebar."""
    stack = list(at._tree.children.values())
    while stack:
        node = stack.pop()
        stack.extend(getattr(node, "children", {}).values())
        if getattr(node, "proto", None) is not None:
            yield node


def problems(at: AppTest) -> list[str]:
    """What on this run would render user markup live; empty when all is inert."""
    found = []
    for element in elements(at):
        message = MessageToDict(element.proto, preserving_proto_field_name=True)
        strings = list(rendered_strings(message))
        if message.get("allow_html") and any(
            trap.split()[0] in text for _, text in strings for trap in TEXT_TRAPS
        ):
            found.append(f"{element.type}: user data where HTML is allowed")
        for field, text in strings:
            if field in MARKDOWN_FIELDS and LIVE_FORM.search(text):
                found.append(f"{element.type}.{field} renders {text!r}")
            if field == "spec" and element.type == "graphviz_chart":
                found.extend(unquoted_dot(text))
        found.extend(live_link_cells(element))
    return found


def unquoted_dot(spec: str) -> list[str]:
    """Places where the DOT trap leaves its quoted label (its quote not escaped)."""
    at = spec.find(DOT_TRAP)
    places = []
    while at != -1:
        if spec[at - 1] != "\\":
            places.append(f"graphviz label breaks out of its quotes: {spec[at - 20 : at + 20]!r}")
        at = spec.find(DOT_TRAP, at + 1)
    return places


def live_link_cells(element: Any) -> list[str]:
    """Cells of a link column whose target is not a web address."""
    if element.type not in {"dataframe", "arrow_data_frame"}:
        return []
    config = json.loads(element.proto.columns or "{}")
    links = [name for name, c in config.items() if c.get("type_config", {}).get("type") == "link"]
    frame = element.value
    return [
        f"dataframe link cell {value!r}"
        for name in links
        if name in frame.columns
        for value in frame[name].dropna()
        if not str(value).startswith(("https://", "http://"))
    ]


@pytest.mark.parametrize("name", app_pages())
def test_user_markup_renders_as_text_on_every_page(page, trap_workspace, name: str) -> None:
    at = page(name).run()
    assert not at.exception, at.exception
    assert problems(at) == []


def test_referral_tree_labels_keep_dot_syntax_inside_quotes(page, trap_workspace) -> None:
    specs = [e.proto.spec for e in elements(page("referrals").run()) if e.type == "graphviz_chart"]
    assert any(DOT_TRAP in spec for spec in specs)  # the trap is drawn, so the check is real
    assert [place for spec in specs for place in unquoted_dot(spec)] == []


def test_the_checks_catch_live_markup(page, trap_workspace) -> None:
    """The inspection itself works: an element that renders a trap is reported."""
    at = page("overview").run()
    assert problems(at) == []
    at.markdown[0].proto.body = TEXT_TRAPS[2]
    at.markdown[0].proto.allow_html = True
    assert len(problems(at)) == 2
    at.markdown[0].proto.body = "\\<img src=x onerror=alert\\(1\\)\\>"
    at.markdown[0].proto.allow_html = False
    assert problems(at) == []
    assert unquoted_dot(f'digraph {{ a [label="{DOT_TRAP}"] }}')
    assert not unquoted_dot('digraph { a [label="\\"];evil["] }')


def _maybe_true(value: ast.expr) -> bool:
    return not (isinstance(value, ast.Constant) and not value.value)


def html_calls(tree: ast.AST) -> Iterator[ast.Call]:
    """Calls that pass ``unsafe_allow_html=True`` or go to ``st.html``/``components.html``."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        unsafe = any(k.arg == "unsafe_allow_html" and _maybe_true(k.value) for k in node.keywords)
        if unsafe or ast.unparse(node.func).endswith(("st.html", "components.html")):
            yield node


def test_html_is_only_ever_constant_text() -> None:
    sources = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
               *sorted((ROOT / "ui").glob("*.py"))]  # fmt: skip
    offending = []
    for path in sources:
        tree = ast.parse(path.read_text())
        for call in html_calls(tree):
            if not all(isinstance(arg, ast.Constant) for arg in call.args):
                offending.append(f"{path.name}:{call.lineno}: {ast.unparse(call)[:80]}")
    assert offending == []


def test_the_html_check_finds_user_text() -> None:
    risky = ast.parse("st.markdown(f'<b>{name}</b>', unsafe_allow_html=True)\nst.html(name)")
    assert len(list(html_calls(risky))) == 2
    safe = ast.parse("st.markdown(name)\nst.markdown('<hr>', unsafe_allow_html=False)")
    assert list(html_calls(safe)) == []
