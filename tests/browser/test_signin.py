"""The shared deployment with sign-in, end to end (issue 7, item 6).

One dashboard with sign-in switched on, against a mock OpenID Connect provider on
loopback. Two students sign in and each imports a log; then every test checks that nobody
reaches what is not theirs: a visitor who is not signed in, a student editing URLs and
query parameters, an adviser who must get the Cohort page only, a forged cookie, and
a student who signs out.
"""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeTimedSerializer
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import VIEWPORT, rerun_after, screenshot, wait_for_app
from tests.browser.server import ROOT, free_port, streamlit_server

pytestmark = pytest.mark.browser

ADVISER_EMAIL = "adviser@uni.example"
STUDENTS = {
    "student-a": ("Ada Student", "ada@uni.example", "Zebulon Quackenbush"),
    "student-b": ("Bo Student", "bo@uni.example", "Yolanda Brightwater"),
}
USERS = [
    *(User(sub=sub, claims={"name": n, "email": e}) for sub, (n, e, _) in STUDENTS.items()),
    User(sub="adviser-1", claims={"name": "Adam Adviser", "email": ADVISER_EMAIL}),
]
COOKIE = "_streamlit_user"  # Streamlit's signed cookie holding the ID token's claims
# The provider and the app talk plain HTTP on loopback; Authlib refuses that unless told so.
INSECURE_HTTP = {"AUTHLIB_INSECURE_TRANSPORT": "1"}


@dataclass(frozen=True)
class Deployment:
    url: str
    folder: Path
    shared_workspace: Path
    cookie_secret: str
    sessions: dict[str, dict[str, Any]]  # a signed-in browser's cookies, by subject

    @property
    def workspaces(self) -> list[Path]:
        return sorted((self.folder / "data" / "users").glob("*.duckdb"))


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The mock OpenID Connect provider, offering the three users above by a click."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in INSECURE_HTTP.items():
            patch.setenv(name, value)
        with run_server_in_thread(user_claims=USERS) as server:
            yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def deployment(
    provider: str, browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Deployment]:
    """The dashboard with sign-in on, after each student signed in and imported a log."""
    folder = tmp_path_factory.mktemp("deployment")
    port = free_port()
    cookie_secret = secrets.token_hex(32)
    write_settings(folder, provider, port, cookie_secret)
    shared = folder / "shared.duckdb"  # $INFOINT_DB: sign-in mode must never open it
    with streamlit_server(shared, env=INSECURE_HTTP, cwd=folder, port=port) as url:
        sessions = {}
        for subject, (_, _, contact) in STUDENTS.items():
            sessions[subject] = sign_in_and_import(browser, url, subject, contact)
        sessions["adviser-1"] = sign_in(browser, url, "adviser-1")
        yield Deployment(url, folder, shared, cookie_secret, sessions)


def write_settings(folder: Path, provider: str, port: int, cookie_secret: str) -> None:
    settings = folder / ".streamlit"
    settings.mkdir()
    shutil.copy(ROOT / ".streamlit" / "config.toml", settings / "config.toml")
    (settings / "secrets.toml").write_text(
        f"""\
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{cookie_secret}"
client_id = "infoint-test"
client_secret = "infoint-test-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[infoint]
sign_in = true
advisers = ["{ADVISER_EMAIL}"]
"""
    )


def sign_in(browser: Browser, url: str, subject: str) -> dict[str, Any]:
    """Sign in as ``subject`` through the provider's form; the signed-in cookies."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=subject, exact=True).click()  # on the provider's form
    page.wait_for_url(f"{url}/**")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as")
    state = context.storage_state()
    context.close()
    return state


def sign_in_and_import(browser: Browser, url: str, subject: str, contact: str) -> dict[str, Any]:
    """Sign in, import a one-row tracker naming ``contact``, then read the Follow-ups page.

    Both students do exactly the same steps, so their workspaces reach the same data
    version: a read-out cache keyed on the version alone would hand the second student
    the first one's follow-ups.
    """
    state = sign_in(browser, url, subject)
    with opened(browser, state, url) as page:
        open_page(page, "Import")
        contacted = date.today() - timedelta(days=14)
        tracker = f"Name,Organisation,Date contacted\n{contact},Acme,{contacted}\n".encode()
        upload = {"name": "log.csv", "mimeType": "text/csv", "buffer": tracker}
        rerun_after(page, lambda: page.locator("input[type=file]").set_input_files(upload))
        rerun_after(page, page.get_by_role("button", name="Import 1 file").click)
        expect(main(page).get_by_text("log.csv: 1 contact added")).to_be_visible()
        open_page(page, "Follow-ups")
        expect(main(page).get_by_text(f"Follow up once with {contact}")).to_be_visible()
    return state


@contextmanager
def opened(
    browser: Browser, state: dict[str, Any] | None, url: str, path: str = ""
) -> Iterator[Page]:
    """A fresh browser context carrying ``state``'s cookies (None: a stranger), on
    ``url/path`` once the app has drawn."""
    context = browser.new_context(viewport=VIEWPORT, storage_state=state)
    try:
        page = context.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/{path}")
        wait_for_app(page)
        yield page
    finally:
        context.close()


def open_page(page: Page, title: str) -> None:
    link = page.get_by_test_id("stSidebar").get_by_role("link", name=title, exact=True)
    rerun_after(page, link.click)


def main(page: Page):
    return page.get_by_test_id("stMain")


def title(page: Page) -> str:
    return main(page).locator("h1").first.inner_text()


def sidebar_links(page: Page) -> list[str]:
    return page.get_by_test_id("stSidebarNav").get_by_role("link").all_inner_texts()


@pytest.mark.parametrize("path", ["", "contacts", "cohort?owner=1"])
def test_a_visitor_not_signed_in_sees_only_the_sign_in_screen(
    deployment: Deployment, browser: Browser, path: str
) -> None:
    with opened(browser, None, deployment.url, path) as page:
        expect(main(page).get_by_role("button", name="Sign in")).to_be_visible()
        assert title(page) == "infoint"
        for _, _, contact in STUDENTS.values():
            expect(page.get_by_text(contact)).to_have_count(0)
        screenshot(page, f"signin-stranger-{path.partition('?')[0] or 'home'}")


def test_each_student_sees_their_own_log_in_their_own_workspace_file(
    deployment: Deployment, browser: Browser
) -> None:
    for subject, (name, _, contact) in STUDENTS.items():
        others = [c for s, (_, _, c) in STUDENTS.items() if s != subject]
        with opened(browser, deployment.sessions[subject], deployment.url, "followups") as page:
            assert title(page) == "Follow-ups"
            expect(page.get_by_test_id("stSidebar")).to_contain_text(f"Signed in as {name}")
            expect(main(page).get_by_text(f"Follow up once with {contact}")).to_be_visible()
            for other in others:
                expect(page.get_by_text(other)).to_have_count(0)
            assert "Cohort" not in sidebar_links(page)
            screenshot(page, f"signin-{subject}-followups")
    assert len(deployment.workspaces) == 2  # one file each, named by neither
    assert not deployment.shared_workspace.exists()


@pytest.mark.parametrize(
    "path",
    [
        "cohort?owner=1",
        "followups?sub=student-a&email=ada@uni.example&workspace=../../shared.duckdb",
        "contacts?owner=Ada%20Student&owner_id=1",
    ],
)
def test_editing_the_url_takes_a_student_nowhere_else(
    deployment: Deployment, browser: Browser, path: str
) -> None:
    with opened(browser, deployment.sessions["student-b"], deployment.url, path) as page:
        assert title(page) != "Cohort"
        expect(page.get_by_text("Zebulon Quackenbush")).to_have_count(0)
        if path.startswith("followups"):  # the page itself, on B's own log only
            expect(main(page).get_by_text("Yolanda Brightwater").first).to_be_visible()
        assert "Cohort" not in sidebar_links(page)
    assert not deployment.shared_workspace.exists()


@pytest.mark.parametrize("path", ["", "contacts", "followups?owner=1&sub=student-a"])
def test_the_adviser_gets_the_cohort_page_and_no_workspace(
    deployment: Deployment, browser: Browser, path: str
) -> None:
    before = deployment.workspaces
    with opened(browser, deployment.sessions["adviser-1"], deployment.url, path) as page:
        assert title(page) == "Cohort"
        expect(page.get_by_test_id("stSidebar")).to_contain_text("Signed in as Adam Adviser")
        for _, _, contact in STUDENTS.values():
            expect(page.get_by_text(contact)).to_have_count(0)
        for log_page in ("Overview", "Contacts", "Follow-ups", "Import"):
            expect(page.get_by_role("link", name=log_page, exact=True)).to_have_count(0)
        screenshot(page, f"signin-adviser-{path.partition('?')[0] or 'home'}")
    assert deployment.workspaces == before
    assert not deployment.shared_workspace.exists()


def test_an_identity_cookie_forged_without_the_secret_is_refused(
    deployment: Deployment, browser: Browser
) -> None:
    """The identity lives in a cookie signed with the operator's secret. Student A's own
    claims, signed again with any other key, leave the browser signed out; signed with the
    operator's key (the control), they open A's log."""
    real = next(c for c in deployment.sessions["student-a"]["cookies"] if c["name"] == COOKIE)
    claims = signer(deployment.cookie_secret).loads(real["value"])
    for secret, signed_in in (("a guess", False), (deployment.cookie_secret, True)):
        cookie = {**real, "value": signer(secret).dumps(claims)}
        state = {"cookies": [cookie], "origins": []}
        with opened(browser, state, deployment.url, "followups") as page:
            sign_in_button = main(page).get_by_role("button", name="Sign in")
            expect(sign_in_button).to_have_count(0 if signed_in else 1)
            zebulon = page.get_by_text("Follow up once with Zebulon Quackenbush")
            expect(zebulon).to_have_count(1 if signed_in else 0)


def signer(secret: str) -> URLSafeTimedSerializer:
    """How Streamlit signs its identity cookie (itsdangerous, salted with the name)."""
    return URLSafeTimedSerializer(secret, salt=COOKIE)


def test_signing_out_leads_back_to_the_sign_in_screen(
    deployment: Deployment, browser: Browser
) -> None:
    with opened(browser, deployment.sessions["student-a"], deployment.url) as page:
        page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()  # on the provider's page
        page.wait_for_url(f"{deployment.url}/**")
        wait_for_app(page)
        expect(main(page).get_by_role("button", name="Sign in")).to_be_visible()
        assert COOKIE not in {c["name"] for c in page.context.cookies()}
        page.goto(f"{deployment.url}/followups")
        wait_for_app(page)
        expect(main(page).get_by_role("button", name="Sign in")).to_be_visible()
        expect(page.get_by_text("Zebulon Quackenbush")).to_have_count(0)
