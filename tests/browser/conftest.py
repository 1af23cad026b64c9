"""Browser fixtures: Debian's Chromium driven by Playwright against a real dashboard.

Playwright's own browser download does not work here, so the tests launch the system
Chromium (``/usr/bin/chromium``, installed by ``scripts/test.sh``) with the flags that keep
it off the network.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from infoint_core.demo import load_demo
from infoint_core.settings import set_setting
from infoint_core.store import close_all_workspaces, open_workspace
from tests.browser.server import streamlit_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
ARTIFACTS = Path(__file__).parents[2] / "test-artifacts" / "screenshots"
APP_TIMEOUT_MS = 60_000
VIEWPORT = {"width": 1280, "height": 900}
APP_ROOT = '[data-testid="stApp"]'

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is missing: scripts/test.sh installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield launched
        launched.close()


class ConsoleErrors(list[str]):
    """Every console error and uncaught page error a test's page raised."""

    def listen(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.append(f"page error: {error}"))

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.append(message.text)


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def new_page(browser: Browser, console_errors: ConsoleErrors) -> Iterator[Callable[[], Page]]:
    """``new_page()`` → a fresh page in its own context (own cookies), 1280×900, whose
    console errors are collected in ``console_errors``."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(APP_TIMEOUT_MS)
        console_errors.listen(page)
        return page

    yield make
    for context in contexts:
        context.close()


def _prepared(path: Path, demo: bool) -> Path:
    store = open_workspace(path)
    if demo:
        load_demo(store)
    set_setting(store, "demo_offered", True)
    close_all_workspaces()  # the server process must be the only one holding the file
    return path


@pytest.fixture
def demo_app(tmp_path: Path) -> Iterator[str]:
    """The dashboard on a workspace holding the demo log (judged on today)."""
    with streamlit_server(_prepared(tmp_path / "demo.duckdb", demo=True)) as url:
        yield url


@pytest.fixture
def empty_app(tmp_path: Path) -> Iterator[str]:
    """The dashboard on an empty workspace whose owner already declined the demo."""
    with streamlit_server(_prepared(tmp_path / "empty.duckdb", demo=False)) as url:
        yield url


@pytest.fixture
def first_start_app(tmp_path: Path) -> Iterator[str]:
    """The dashboard exactly as on a fresh clone: no workspace file yet."""
    with streamlit_server(tmp_path / "fresh.duckdb") as url:
        yield url


def wait_for_app(page: Page) -> None:
    """Wait until the script run has finished and the page is drawn (Streamlit marks its
    root with ``data-test-script-state``: "initial", "running", then "notRunning")."""
    page.wait_for_selector(f"{APP_ROOT}[data-test-script-state='notRunning']")
    page.wait_for_timeout(300)  # charts and tables draw just after the run ends


def open_app(page: Page, url: str) -> Page:
    """Open the dashboard at ``url`` and wait for its first script run to end."""
    page.goto(url)
    wait_for_app(page)
    return page


def rerun_after(page: Page, action: Callable[[], object]) -> None:
    """Do ``action`` (a click, a keypress) and wait for the rerun it starts to end."""
    action()
    with suppress(PlaywrightTimeout):  # the rerun may be over before we look
        page.wait_for_selector(f"{APP_ROOT}[data-test-script-state='running']", timeout=2_000)
    wait_for_app(page)


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot as a test artefact (``test-artifacts/screenshots``)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
