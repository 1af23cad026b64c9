"""No network call leaves the machine while a student uses the dashboard: every request
the browser makes, on every page, goes to the dashboard's own loopback address."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request

from tests.browser.conftest import open_app, rerun_after

pytestmark = pytest.mark.browser
LOCAL_SCHEMES = {"data", "blob", "about"}


def test_every_page_loads_only_from_the_dashboard(demo_app: str, new_page) -> None:
    page: Page = new_page()
    outside: list[str] = []

    def note(request: Request) -> None:
        url = urlsplit(request.url)
        if url.scheme not in LOCAL_SCHEMES and url.hostname != "127.0.0.1":
            outside.append(request.url)

    page.on("request", note)
    open_app(page, demo_app)
    links = page.locator('[data-testid="stSidebarNav"] a')
    assert links.count() >= 10
    for index in range(links.count()):
        rerun_after(page, links.nth(index).click)
    assert outside == []
