"""Upgrading a workspace written by an older infoint keeps every row (issue 7, item 4)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from infoint_core import migrations
from infoint_core import store as store_module
from infoint_core.contacts import list_contacts
from infoint_core.metrics import compute_metrics
from infoint_core.store import Store, open_workspace, schema_version
from tests.conftest import AS_OF

# Rows of every table the first schema had, written as that version's code wrote them.
V1_ROWS = [
    "INSERT INTO owners (name, programme, graduation_year) VALUES ('Sam Student', 'MBA', 2027)",
    """INSERT INTO contacts (owner_id, name, email, linkedin_url, company, position, source,
                            connected_on, notes, url_key, email_key, name_key, company_key)
       VALUES (1, 'Ada Lovelace', 'ada@example.com', 'https://www.linkedin.com/in/ada',
               'Analytical Engines', 'Engineer', 'LinkedIn', DATE '2023-02-08', 'met at a talk',
               'linkedin.com/in/ada', 'ada@example.com', 'ada lovelace', 'analytical engines')""",
    """INSERT INTO contacts (owner_id, name, name_key, referred_by_id, source)
       VALUES (1, 'Grace Hopper', 'grace hopper', 1, 'referral')""",
    """INSERT INTO imports (owner_id, file_name, sha256, kind, rows, contacts_added,
                           contacts_updated, events_added, warnings)
       VALUES (1, 'Connections.csv', repeat('a', 64), 'linkedin_connections', 2, 2, 0, 3,
               ['a warning'])""",
    """INSERT INTO events (owner_id, contact_id, kind, on_date, import_id)
       VALUES (1, 1, 'outreach', DATE '2026-10-01', 1), (1, 1, 'meeting', DATE '2026-10-08', 1),
              (1, 2, 'outreach', DATE '2026-10-02', 1)""",
    """INSERT INTO prep_plans (owner_id, contact_id, meeting_on, minutes, plan)
       VALUES (1, 2, DATE '2026-11-25', 30, '{"questions": []}')""",
    """INSERT INTO settings (owner_id, key, value) VALUES (0, 'demo_offered', 'true')""",
]
V2_ROWS = [
    """INSERT INTO targets (owner_id, organisation, company_key, notes)
       VALUES (1, 'Analytical Engines', 'analytical engines', 'dream job')""",
]
ROWS_BY_VERSION = {1: V1_ROWS, 2: [*V1_ROWS, *V2_ROWS]}


def tables(store: Store) -> list[str]:
    names = store.rows(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_name <> 'schema_version' ORDER BY table_name"
    )
    return [name for (name,) in names]


def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    return {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in tables(store)}


def old_workspace(path: Path, version: int, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A workspace file at schema ``version`` holding rows in every table; its contents."""
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS[:version])
    old = open_workspace(path)
    for statement in ROWS_BY_VERSION[version]:
        old.run(statement)
    assert schema_version(old) == version
    contents = snapshot(old)
    old.close()
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS)
    return contents


@pytest.mark.parametrize("version", sorted(ROWS_BY_VERSION))
def test_an_older_workspace_upgrades_keeping_every_row(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, version: int
) -> None:
    before = old_workspace(db_path, version, monkeypatch)
    assert all(before[t] for t in before), "every table of the old schema holds a row"
    upgraded = open_workspace(db_path)
    assert schema_version(upgraded) == len(migrations.MIGRATIONS)
    after = snapshot(upgraded)
    for table, rows in before.items():
        assert after[table] == rows, table
    assert set(after) > set(before)  # the newer tables were added, empty
    assert all(not after[t] for t in set(after) - set(before))


def test_an_upgraded_workspace_reads_and_writes_as_a_new_one(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_workspace(db_path, 1, monkeypatch)
    upgraded = open_workspace(db_path)
    contacts = {c["name"]: c for c in list_contacts(upgraded, as_of=AS_OF)}
    assert contacts["Ada Lovelace"]["stage"] == "interviewed"
    assert contacts["Grace Hopper"]["referred_by"] == "Ada Lovelace"
    assert compute_metrics(upgraded, as_of=AS_OF)["contacts"] == 2
    # Sequences carry on past the old rows: a new contact gets a fresh id.
    new_id = upgraded.value(
        "INSERT INTO contacts (owner_id, name, name_key) VALUES (1, 'Alan', 'alan') RETURNING id"
    )
    assert new_id == 3
    assert upgraded.value("SELECT count(*) FROM debriefs") == 0
    assert date(2026, 10, 1) in upgraded.value("SELECT list(on_date) FROM events")
