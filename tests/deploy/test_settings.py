"""The deployment settings issue 7 asks for: an upload limit, no usage statistics, and
workspaces kept out of git."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).parents[2]


def config() -> dict:
    return tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_uploads_are_limited() -> None:
    assert 0 < config()["server"]["maxUploadSize"] <= 200  # MB: far above any real export


def test_streamlit_sends_no_usage_statistics() -> None:
    assert config()["browser"]["gatherUsageStats"] is False


def test_workspaces_and_secrets_are_ignored_by_git() -> None:
    for path in ("data/infoint.duckdb", "data/users/0123abcd.duckdb", ".streamlit/secrets.toml"):
        ignored = subprocess.run(
            ["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, check=False
        )
        assert ignored.returncode == 0, f"{path} is not ignored by git"
