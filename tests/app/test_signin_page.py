"""Sign-in switched on: a visitor gets the sign-in screen and nothing else, and a broken
configuration stops the app instead of opening the shared workspace (the signed-in paths
run against a real provider in tests/browser/test_signin.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import ROOT

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-secret-that-is-long-enough",
    "client_id": "infoint-test",
    "client_secret": "infoint-test-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def run_app(db_path: Path, monkeypatch: pytest.MonkeyPatch, **secrets: Any) -> AppTest:
    monkeypatch.setenv("INFOINT_DB", str(db_path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for name, section in secrets.items():
        app.secrets[name] = section
    return app.run()


def test_a_visitor_gets_only_the_sign_in_screen(db_path: Path, monkeypatch) -> None:
    at = run_app(db_path, monkeypatch, auth=AUTH, infoint={"sign_in": True})
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["infoint"]
    assert [b.label for b in at.button] == ["Sign in"]
    for page in ("contacts", "cohort", "overview"):
        with pytest.raises(ValueError, match="Known pages: \\['Sign in'\\]"):
            at.switch_page(f"pages/{page}.py")
    assert not db_path.exists()  # the single-user workspace is never opened


@pytest.mark.parametrize(
    ("secrets", "message"),
    [
        ({"infoint": {"sign_in": True}}, "needs an [auth] section"),
        ({"auth": AUTH, "infoint": {"sign_in": True, "advisors": []}}, "Unknown setting"),
        ({"auth": AUTH, "infoint": {"sign_in": "true"}}, "must be true or false"),
    ],
)
def test_a_broken_configuration_stops_the_app(
    db_path: Path, monkeypatch, secrets: dict[str, Any], message: str
) -> None:
    at = run_app(db_path, monkeypatch, **secrets)
    assert not at.exception, at.exception
    assert len(at.error) == 1
    assert not at.title
    assert message in at.error[0].value.replace("\\", "")  # shown Markdown-escaped
    assert not db_path.exists()
