"""Fixtures shared by every test: a fresh workspace per test, and a CLI runner."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from infoint_core.cli import main
from infoint_core.store import Store, close_all_workspaces, open_workspace

# Every test that judges by a day uses this one, so results never depend on the clock.
AS_OF = date(2026, 11, 21)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "workspace.duckdb"


@pytest.fixture
def store(db_path: Path) -> Store:
    return open_workspace(db_path)


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(db_path: Path, capsys: pytest.CaptureFixture[str]):
    """Run ``infoint --db <this test's workspace> ARGS...`` in-process."""

    def run(*args: str) -> CliResult:
        code = main(["--db", str(db_path), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture(autouse=True)
def _close_workspaces() -> Iterator[None]:
    """Each test starts and ends with no workspace open in the process."""
    yield
    close_all_workspaces()


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    """Write a fixture file under ``tmp_path`` and return its path."""
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path
