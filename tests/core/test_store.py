"""The workspace file: creation, versioned upgrades, threads and a second process."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from infoint_core import migrations
from infoint_core import store as store_module
from infoint_core.errors import WorkspaceError
from infoint_core.store import Store, open_workspace, schema_version, workspace_path


def test_a_new_workspace_is_at_the_newest_schema(store: Store) -> None:
    assert schema_version(store) == len(migrations.MIGRATIONS)
    tables = {row[0] for row in store.rows("SELECT table_name FROM information_schema.tables")}
    assert {"owners", "contacts", "events", "imports", "prep_plans", "settings"} <= tables


def test_one_store_per_file_per_process(db_path: Path) -> None:
    assert open_workspace(db_path) is open_workspace(db_path)


def test_reopening_does_not_migrate_again(db_path: Path) -> None:
    open_workspace(db_path).close()
    again = open_workspace(db_path)
    assert again.value("SELECT count(*) FROM schema_version") == len(migrations.MIGRATIONS)


def test_an_upgrade_keeps_every_row(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = open_workspace(db_path)
    old.run("INSERT INTO owners (name) VALUES ('Ada')")
    old.run(
        "INSERT INTO contacts (owner_id, name, name_key) SELECT id, 'Grace Hopper', "
        "'grace hopper' FROM owners"
    )
    old.close()
    newer = [*migrations.MIGRATIONS, ["ALTER TABLE contacts ADD COLUMN pronouns VARCHAR"]]
    monkeypatch.setattr(store_module, "MIGRATIONS", newer)
    upgraded = open_workspace(db_path)
    assert schema_version(upgraded) == len(newer)
    assert upgraded.rows("SELECT name, pronouns FROM contacts") == [("Grace Hopper", None)]


def test_a_failed_migration_leaves_the_previous_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_workspace(db_path).close()
    broken = [*migrations.MIGRATIONS, ["ALTER TABLE contacts ADD COLUMN x INT", "NOT SQL"]]
    monkeypatch.setattr(store_module, "MIGRATIONS", broken)
    with pytest.raises(WorkspaceError):
        open_workspace(db_path)
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS)
    reopened = open_workspace(db_path)
    columns = [row[0] for row in reopened.rows("DESCRIBE contacts")]
    assert "x" not in columns


def test_a_workspace_from_a_newer_infoint_is_refused(db_path: Path) -> None:
    workspace = open_workspace(db_path)
    workspace.run("INSERT INTO schema_version (version) VALUES (999)")
    workspace.close()
    with pytest.raises(WorkspaceError, match="newer infoint"):
        open_workspace(db_path)


def test_threads_each_get_a_cursor(store: Store) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for i in range(20):
                with store.transaction():
                    store.run("INSERT INTO owners (name) VALUES (?)", [f"owner {n}-{i}"])
                assert store.value("SELECT count(*) FROM owners") >= 1
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert store.value("SELECT count(*) FROM owners") == 80


def test_a_second_process_gets_a_clear_message(store: Store) -> None:
    code = (
        "from infoint_core.store import open_workspace\n"
        "from infoint_core.errors import WorkspaceError\n"
        f"try:\n    open_workspace({str(store.path)!r})\n"
        "except WorkspaceError as e:\n    print(e)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "in use by another infoint process" in out.stdout


def test_a_file_that_is_not_a_workspace_is_refused(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.duckdb"
    bogus.write_text("these are my notes, not a database\n" * 100)
    with pytest.raises(WorkspaceError):
        open_workspace(bogus)


def test_the_workspace_path_comes_from_flag_then_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("INFOINT_DB", raising=False)
    assert workspace_path(None) == Path("data/infoint.duckdb")
    monkeypatch.setenv("INFOINT_DB", "/tmp/elsewhere.duckdb")
    assert workspace_path(None) == Path("/tmp/elsewhere.duckdb")
    assert workspace_path("mine.duckdb") == Path("mine.duckdb")


def test_database_errors_are_workspace_errors(store: Store) -> None:
    with pytest.raises(WorkspaceError, match="database error"):
        store.rows("SELECT * FROM no_such_table")


def test_memory_workspaces_are_separate_and_current() -> None:
    from infoint_core.store import open_memory_workspace

    first, second = open_memory_workspace(), open_memory_workspace()
    first.run("INSERT INTO owners (name) VALUES ('Ada')")
    assert second.value("SELECT count(*) FROM owners") == 0
    assert schema_version(first) == len(migrations.MIGRATIONS)


def test_a_read_aside_runs_on_a_reader_thread_and_sees_what_is_committed(store: Store) -> None:
    store.run("INSERT INTO owners (id, name) VALUES (90, 'Aside')")
    reading = store.aside(lambda: (threading.current_thread(), store.value(_OWNER_90)))
    thread, name = reading.result()
    assert thread is not threading.current_thread()
    assert name == "Aside"


def test_a_read_aside_inside_a_transaction_sees_its_writes(store: Store) -> None:
    with store.transaction():
        store.run("INSERT INTO owners (id, name) VALUES (90, 'Not yet committed')")
        assert store.aside(lambda: store.value(_OWNER_90)).result() == "Not yet committed"
    # once committed, it reads aside again
    assert store.aside(threading.current_thread).result() is not threading.current_thread()


def test_a_read_aside_hands_its_error_back(store: Store) -> None:
    reading = store.aside(lambda: store.value("SELECT * FROM no_such_table"))
    with pytest.raises(WorkspaceError, match="no_such_table"):
        reading.result()


_OWNER_90 = "SELECT name FROM owners WHERE id = 90"
