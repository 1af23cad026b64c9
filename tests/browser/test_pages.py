"""Every page in a real browser: drawn without an error, every chart drawn, accessible.

One server per workspace (the demo log, an empty workspace, a fresh clone) serves every
page, each opened in a fresh browser context. Per page: no exception box, no browser
console error, a canvas or SVG inside every Vega chart, and no serious or critical axe-core
violation that is ours to fix. Each page's screenshot is saved as a test artefact; with
``INFOINT_SCREENSHOTS=docs`` the README's set in ``docs/screenshots/`` is written too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.browser.conftest import (
    APP_ROOT,
    VIEWPORT,
    ConsoleErrors,
    _prepared,
    open_app,
    rerun_after,
    screenshot,
    wait_for_app,
)
from tests.browser.server import ROOT, streamlit_server
from tests.samples.shares import demo_workspace_shares

pytestmark = pytest.mark.browser

# Every page by its URL path, and the name of its README screenshot where it has one.
PAGES: dict[str, str | None] = {
    "": "overview",
    "followups": "followups",
    "contacts": "contacts",
    "prep": "prep",
    "debrief": None,
    "import_files": None,
    "share": None,
    "funnel": "funnel",
    "referrals": "referrals",
    "network": None,
    "targets": None,
    "cohort": None,
}
README_SHOTS = ROOT / "docs" / "screenshots"
SCREENSHOTS_VARIABLE = "INFOINT_SCREENSHOTS"
EXCEPTION = '[data-testid="stException"]'
CHART = '[data-testid="stVegaLiteChart"]'
BLOCKING_IMPACTS = {"serious", "critical"}
# Violations inside Streamlit's own widgets, which the app cannot change: each is matched
# by rule id AND by the widget it sits in, so the same rule on our own content still fails.
STREAMLIT_OWN: dict[str, str] = {
    # st.navigation's sidebar list puts each section's heading straight inside the <ul>,
    # beside the <li> items: a list with a non-item child, and items axe then disowns.
    "list": '[data-testid="stSidebarNavItems"]',
    "listitem": '[data-testid="stSidebarNavItems"]',
}


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One dashboard on the demo log for every page of this module (they only read)."""
    folder = tmp_path_factory.mktemp("demo")
    with streamlit_server(_prepared(folder / "demo.duckdb", demo=True)) as url:
        yield url


@pytest.fixture(scope="module")
def empty_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One dashboard on an empty workspace whose owner already declined the demo."""
    folder = tmp_path_factory.mktemp("empty")
    with streamlit_server(_prepared(folder / "empty.duckdb", demo=False)) as url:
        yield url


@pytest.fixture(scope="module")
def sample_shares(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Real share files of sixty demo students in four programmes."""
    return demo_workspace_shares(tmp_path_factory.mktemp("shares"))


@pytest.fixture
def page(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    console_errors.listen(opened)
    yield opened
    context.close()


def open_page(page: Page, base_url: str, path: str = "") -> None:
    """Open the app, then the page at ``path`` from the sidebar, as a student would.

    Not by its own URL: loaded at a deeper path, Streamlit's frontend first asks for its
    server endpoints under that path, and the 404s it gets back are console errors.
    """
    open_app(page, base_url)
    if path:
        link = page.locator(f'[data-testid="stSidebarNav"] a[href$="/{path}"]')
        rerun_after(page, link.click)


def check_page(page: Page, console_errors: ConsoleErrors, name: str, readme: str | None) -> None:
    """Everything a page must pass (its screenshots taken first, to see any failure)."""
    save_screenshots(page, name, readme)
    assert page.locator(EXCEPTION).count() == 0, page.locator(EXCEPTION).first.inner_text()
    assert_charts_drawn(page)
    assert_accessible(page)
    assert console_errors == [], console_errors


def assert_charts_drawn(page: Page) -> None:
    """Every Vega chart holds what Vega draws into: a canvas or an SVG."""
    charts = page.locator(CHART)
    for index in range(charts.count()):
        chart = charts.nth(index)
        chart.scroll_into_view_if_needed()
        chart.locator("canvas, svg").first.wait_for(state="attached", timeout=15_000)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation outside Streamlit's own widgets."""
    results = Axe().run(page, context=APP_ROOT)
    found = [
        f"{violation['id']} ({violation['impact']}): {node['target']} {node['html'][:200]}"
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
        for node in violation["nodes"]
        if not _streamlit_own(page, violation["id"], node["target"])
    ]
    assert found == [], "\n".join(found)


def _streamlit_own(page: Page, rule: str, target: list[str]) -> bool:
    """Whether the element axe flagged sits inside the widget excused for ``rule``."""
    widget = STREAMLIT_OWN.get(rule)
    return widget is not None and page.evaluate(
        "([target, widget]) => !!document.querySelector(target)?.closest(widget)",
        [target[-1], widget],
    )


def save_screenshots(page: Page, name: str, readme: str | None) -> None:
    """A screenshot of the whole page (the viewport grown to the page's height), as an
    artefact and, when asked for with ``INFOINT_SCREENSHOTS=docs``, for the README."""
    height = page.evaluate(
        "document.querySelector('[data-testid=\"stMainBlockContainer\"]').scrollHeight"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
    page.wait_for_timeout(500)  # charts redraw at the new size
    path = screenshot(page, name)
    if readme and os.environ.get(SCREENSHOTS_VARIABLE) == "docs":
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        (README_SHOTS / f"{readme}.png").write_bytes(path.read_bytes())


@pytest.mark.parametrize("path", list(PAGES))
def test_demo_page(page: Page, console_errors: ConsoleErrors, demo_url: str, path: str) -> None:
    open_page(page, demo_url, path)
    check_page(page, console_errors, f"demo-{path or 'overview'}", PAGES[path])


def test_cohort_page_with_shares(
    page: Page, console_errors: ConsoleErrors, demo_url: str, sample_shares: list[Path]
) -> None:
    open_page(page, demo_url, "cohort")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(sample_shares)
    page.locator(CHART).first.wait_for()
    wait_for_app(page)
    assert page.locator(CHART).count() == 4
    check_page(page, console_errors, "cohort-with-shares", "cohort")


@pytest.mark.parametrize("path", list(PAGES))
def test_empty_workspace_page(
    page: Page, console_errors: ConsoleErrors, empty_url: str, path: str
) -> None:
    open_page(page, empty_url, path)
    check_page(page, console_errors, f"empty-{path or 'overview'}", None)


def test_first_screen_of_an_empty_workspace_offers_every_way_in(
    page: Page, console_errors: ConsoleErrors, empty_url: str
) -> None:
    open_page(page, empty_url)
    main = page.locator('[data-testid="stMain"]')
    assert "tells you what to do next" in main.inner_text()
    for way_in in ("Your LinkedIn data", "Your own tracker", "No tracker yet?", "Just looking?"):
        assert main.get_by_text(way_in).is_visible()
    assert main.get_by_role("button", name="Download the template").is_visible()
    assert main.get_by_role("button", name="Load the demo").is_visible()
    check_page(page, console_errors, "first-run", "first-run")


def test_a_fresh_clone_opens_on_the_demo(
    page: Page, console_errors: ConsoleErrors, first_start_app: str
) -> None:
    open_page(page, first_start_app)
    assert page.get_by_text("You are looking at demo data").is_visible()
    check_page(page, console_errors, "fresh-clone-overview", None)
