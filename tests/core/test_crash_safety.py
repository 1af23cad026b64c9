"""A process killed in the middle of an import leaves the workspace as it was before the
import began (issue 7, item 4)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

from infoint_core.importers import ImportOptions, import_bytes, import_path
from infoint_core.store import Store, open_workspace
from tests.samples.hostile import GOOD_TRACKER
from tests.samples.linkedin import Connection, connections_csv

ROOT = Path(__file__).parents[2]
PEOPLE = 20_000  # an import that takes a second or more
TABLES = ("owners", "contacts", "events", "imports")

# The importing process. Every row of the file has been written inside the import's
# transaction when COMMIT is reached; there it says so and waits to be killed, so the
# kill always lands at the worst moment, however fast the import has become.
IMPORTER = """
import sys
from infoint_core.importers import ImportOptions, import_path
from infoint_core.store import Store, open_workspace

run = Store.run

def run_until_commit(self, sql, params=None):
    if sql == "COMMIT":
        print("committing", flush=True)
        sys.stdin.read()
    return run(self, sql, params)

Store.run = run_until_commit
import_path(open_workspace(sys.argv[1]), sys.argv[2], ImportOptions())
print("finished", flush=True)
"""


def big_connections(path: Path) -> Path:
    first_day = date(2015, 1, 1)
    people = [
        Connection(
            f"First{i}",
            f"Last{i}",
            first_day + timedelta(days=i % 3000),
            company=f"Company {i % 500}",
            url=f"https://www.linkedin.com/in/person-{i}",
        )
        for i in range(PEOPLE)
    ]
    path.write_text(connections_csv(people), encoding="utf-8")
    return path


def counts(store: Store) -> dict[str, int]:
    return {table: store.value(f"SELECT count(*) FROM {table}") for table in TABLES}


def kill_before_commit(db_path: Path, file: Path) -> None:
    """Import ``file`` in another process and SIGKILL it just before the import commits."""
    importer = subprocess.Popen(
        [sys.executable, "-c", IMPORTER, str(db_path), str(file)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert importer.stdout is not None
        assert importer.stdout.readline().strip() == "committing"
        os.kill(importer.pid, signal.SIGKILL)
    finally:
        importer.kill()
        importer.communicate(timeout=60)
    assert importer.returncode == -signal.SIGKILL


def test_a_kill_mid_import_leaves_nothing_of_the_file(db_path: Path, tmp_path: Path) -> None:
    store = open_workspace(db_path)
    assert import_bytes(store, "log.csv", GOOD_TRACKER, ImportOptions()).error is None
    before = counts(store)
    store.close()  # the workspace is the importer's now, as a second app would hold it
    file = big_connections(tmp_path / "Connections.csv")

    kill_before_commit(db_path, file)

    reopened = open_workspace(db_path)
    assert counts(reopened) == before
    assert reopened.value("SELECT count(*) FROM imports WHERE file_name = ?", [file.name]) == 0
    result = import_path(reopened, file, ImportOptions())
    assert result.error is None and result.warnings == []
    assert result.contacts_added == PEOPLE
    assert counts(reopened)["contacts"] == before["contacts"] + PEOPLE
