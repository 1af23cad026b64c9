"""Target organisations: the v2 migration, the list, and who the log holds at each."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from infoint_core import migrations
from infoint_core import store as store_module
from infoint_core.demo import build_demo
from infoint_core.errors import InputError, NotFoundError
from infoint_core.ingest import store_parsed
from infoint_core.owners import ensure_owner
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord
from infoint_core.store import Store, open_workspace, schema_version
from infoint_core.targets import (
    add_target,
    list_targets,
    remove_target,
    target_coverage,
)
from tests.conftest import AS_OF

EARLIER = AS_OF - timedelta(days=10)
V1_TABLES = ("owners", "contacts", "imports", "events", "prep_plans", "settings")


def log(
    store: Store,
    people: list[tuple[str, str | None, list[EventKind]]],
    owner: str = "Ada",
    on: date = EARLIER,
    referred_by: str | None = None,
) -> None:
    """Store (name, company, steps) rows for ``owner``, every step dated ``on``."""
    parsed = ParsedFile(kind="tracker", rows=len(people))
    for row, (name, company, steps) in enumerate(people, start=2):
        person = PersonRecord(row=row, name=name, company=company, referred_by=referred_by)
        index = parsed.add_person(person)
        parsed.events.extend(EventRecord(index, kind, on) for kind in steps)
    file_name = f"{owner}-{people[0][0]}"
    store_parsed(store, [parsed], file_name=file_name, sha256=file_name, kind="tracker",
                 owner=owner)  # fmt: skip


def owner_id(store: Store, name: str = "Ada") -> int:
    return ensure_owner(store, name).id


def coverage_of(store: Store, owner: int | None = None) -> dict[str, tuple]:
    frame = target_coverage(store, owner, AS_OF)
    return {
        r["organisation"]: (r["known"], r["contacted"], r["interviewed"], r["warm_way_in"])
        for r in frame.iter_rows(named=True)
    }


def test_a_v1_workspace_with_data_upgrades_to_v2_keeping_every_row(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS[:1])
    old = open_workspace(db_path)
    assert schema_version(old) == 1
    demo_log = [build_demo(AS_OF)]  # the v1 part of the demo: no targets yet
    store_parsed(old, demo_log, file_name="d", sha256="d", kind="demo", owner=None, origin="demo")
    old.run("INSERT INTO settings VALUES (0, 'theme', '\"dark\"')")
    before = {table: old.rows(f"SELECT * FROM {table} ORDER BY ALL") for table in V1_TABLES}
    old.close()

    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS)
    upgraded = open_workspace(db_path)
    assert schema_version(upgraded) == len(migrations.MIGRATIONS)
    after = {table: upgraded.rows(f"SELECT * FROM {table} ORDER BY ALL") for table in V1_TABLES}
    assert after == before
    assert len(before["contacts"]) > 100
    assert list_targets(upgraded, None).is_empty()
    add_target(upgraded, upgraded.value("SELECT min(id) FROM owners"), "Contoso Health")
    assert coverage_of(upgraded)["Contoso Health"][0] > 0


def test_targets_are_kept_with_their_key(store: Store) -> None:
    target = add_target(store, owner_id(store), "  Acme   Inc. ", "met them at the fair")
    assert (target.organisation, target.company_key) == ("Acme Inc.", "acme")
    assert (target.notes, target.origin) == ("met them at the fair", "manual")
    frame = list_targets(store, None)
    assert frame.columns == [
        "id", "owner_id", "organisation", "company_key", "notes", "origin", "added_at",
    ]  # fmt: skip
    assert frame["organisation"].to_list() == ["Acme Inc."]


def test_adding_the_same_organisation_again_keeps_one_target(store: Store) -> None:
    ada = owner_id(store)
    add_target(store, ada, "Acme Inc.", "first note")
    again = add_target(store, ada, "ACME")
    assert (again.organisation, again.notes) == ("Acme Inc.", "first note")
    renoted = add_target(store, ada, "The Acme Company", "second note")
    assert renoted.notes == "second note"
    assert list_targets(store, ada).height == 1


def test_each_owner_has_their_own_targets(store: Store) -> None:
    ada, bo = owner_id(store, "Ada"), owner_id(store, "Bo")
    add_target(store, ada, "Acme")
    add_target(store, bo, "Acme")
    add_target(store, bo, "Globex")
    assert list_targets(store, ada)["organisation"].to_list() == ["Acme"]
    assert list_targets(store, None).height == 3


def test_removing_a_target_by_any_spelling(store: Store) -> None:
    ada = owner_id(store)
    add_target(store, ada, "Acme Inc.")
    remove_target(store, ada, "acme ltd")
    assert list_targets(store, ada).is_empty()
    with pytest.raises(NotFoundError, match="not one of"):
        remove_target(store, ada, "Acme")


def test_a_name_with_nothing_in_it_is_refused(store: Store) -> None:
    with pytest.raises(InputError):
        add_target(store, owner_id(store), " -- ")


def test_an_unknown_owner_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError):
        add_target(store, 999, "Acme")


def test_coverage_matches_organisations_tolerantly(store: Store) -> None:
    log(
        store,
        [
            ("Amy", "ACME", []),  # identified
            ("Ben", "Acme Ltd", [EventKind.OUTREACH]),  # contacted
            ("Cat", "acme", [EventKind.MEETING]),  # interviewed
            ("Dan", "The Acme Corporation", [EventKind.OUTREACH]),  # contacted
            ("Eve", "Acme Widgets", [EventKind.MEETING]),  # another organisation
            ("Fay", None, [EventKind.MEETING]),
        ],
    )
    ada = owner_id(store)
    add_target(store, ada, "Acme Inc.")
    add_target(store, ada, "Initech")  # nobody there yet
    frame = target_coverage(store, ada, AS_OF)
    assert frame.columns == [
        "owner_id", "organisation", "company_key", "known", "contacted", "interviewed",
        "warm_way_in",
    ]  # fmt: skip
    assert coverage_of(store, ada) == {
        "Acme Inc.": (4, 3, 1, True),
        "Initech": (0, 0, 0, False),
    }


@pytest.mark.parametrize(
    ("steps", "referred", "warm"),
    [
        ([], False, False),
        ([EventKind.OUTREACH], False, False),
        ([EventKind.OUTREACH, EventKind.RESPONSE], False, True),
        ([EventKind.OUTREACH, EventKind.DECLINED], False, False),
        ([EventKind.MEETING], False, True),
        ([], True, True),  # introduced by a referrer, not yet contacted
    ],
)
def test_a_warm_way_in_is_an_answer_or_an_introduction(
    store: Store, steps: list[EventKind], referred: bool, warm: bool
) -> None:
    log(store, [("Amy", "Acme", steps)], referred_by="Rita Referrer" if referred else None)
    add_target(store, owner_id(store), "Acme")
    assert coverage_of(store)["Acme"][3] is warm


def test_a_meeting_still_to_come_is_not_an_interview(store: Store) -> None:
    log(store, [("Amy", "Acme", [EventKind.MEETING])], on=AS_OF + timedelta(days=2))
    add_target(store, owner_id(store), "Acme")
    assert coverage_of(store)["Acme"] == (1, 1, 0, True)


def test_coverage_counts_only_the_owners_own_contacts(store: Store) -> None:
    log(store, [("Amy", "Acme", [EventKind.MEETING])], owner="Ada")
    log(store, [("Bea", "Acme", []), ("Cy", "Acme", [])], owner="Bo")
    ada, bo = owner_id(store, "Ada"), owner_id(store, "Bo")
    add_target(store, ada, "Acme")
    add_target(store, bo, "ACME")
    assert coverage_of(store, ada) == {"Acme": (1, 1, 1, True)}
    assert coverage_of(store, bo) == {"ACME": (2, 0, 0, False)}
    assert target_coverage(store, None, AS_OF).height == 2


def test_a_target_added_before_its_people_picks_them_up(store: Store) -> None:
    add_target(store, owner_id(store), "Globex Corporation")
    assert coverage_of(store)["Globex Corporation"] == (0, 0, 0, False)
    log(store, [("Hank", "Globex", [EventKind.OUTREACH])])
    assert coverage_of(store)["Globex Corporation"] == (1, 1, 0, False)


def test_coverage_of_an_empty_workspace_is_empty(store: Store) -> None:
    assert target_coverage(store, None, AS_OF).is_empty()
