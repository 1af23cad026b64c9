"""The make-up of the network: organisations (grouped tolerantly), positions, years."""

from __future__ import annotations

from datetime import date

import pytest

from infoint_core.errors import InputError
from infoint_core.ingest import store_parsed
from infoint_core.network import connections_per_year, top_organisations, top_positions
from infoint_core.records import ParsedFile, PersonRecord
from infoint_core.store import Store
from tests.conftest import AS_OF


def connect(store: Store, *people: tuple[str | None, str | None, date | None], owner=None):
    """Store one contact per (company, position, connected_on), each a different person."""
    records = [
        PersonRecord(row=n + 2, name=f"{owner} person {n}", company=company, position=position,
                     connected_on=on)
        for n, (company, position, on) in enumerate(people)
    ]  # fmt: skip
    log = ParsedFile(kind="linkedin_connections", rows=len(records), people=records)
    name = f"connections-{owner}"
    store_parsed(store, [log], file_name=name, sha256=name, kind=log.kind, owner=owner)


def test_organisations_are_grouped_by_their_key(store: Store) -> None:
    connect(
        store,
        ("Acme Inc.", None, None),
        ("ACME", None, None),
        ("ACME", None, None),
        ("Acme Ltd", None, None),
        ("Acme Widgets", None, None),  # another organisation
        ("Globex", None, None),
        (None, None, None),  # no organisation: not counted
    )
    frame = top_organisations(store, None, AS_OF)
    assert frame.columns == ["organisation", "company_key", "contacts"]
    assert frame.rows() == [
        ("ACME", "acme", 4),  # shown under its most common spelling
        ("Acme Widgets", "acme widgets", 1),  # ties: by key
        ("Globex", "globex", 1),
    ]


def test_only_the_top_n_are_shown(store: Store) -> None:
    connect(store, *[(f"Org {letter}", None, None) for letter in "ABCDE"], ("Org E", None, None))
    frame = top_organisations(store, None, AS_OF, top=2)
    assert frame["organisation"].to_list() == ["Org E", "Org A"]


def test_contacts_connected_after_as_of_are_not_yet_known(store: Store) -> None:
    connect(store, ("Acme", None, date(2026, 11, 21)), ("Acme", None, date(2026, 11, 22)))
    assert top_organisations(store, None, AS_OF)["contacts"].to_list() == [1]


def test_positions_are_grouped_ignoring_case_spacing_and_punctuation(store: Store) -> None:
    connect(
        store,
        ("A", "Data Analyst", None),
        ("B", "Data Analyst", None),
        ("C", " data  analyst", None),
        ("D", "Data-Analyst", None),
        ("E", "Chargée de projet", None),
        ("F", "Chargee de Projet", None),
        ("G", "Engineer", None),
        ("H", "---", None),  # nothing to group on
        ("I", None, None),
    )
    frame = top_positions(store, None, AS_OF)
    assert frame.columns == ["position", "position_key", "contacts"]
    assert frame.rows() == [
        ("Data Analyst", "data analyst", 4),
        ("Chargee de Projet", "chargee de projet", 2),  # tie between spellings: alphabetical
        ("Engineer", "engineer", 1),
    ]


def test_composition_is_per_owner_or_for_everyone(store: Store) -> None:
    connect(store, ("Acme", "Engineer", None), owner="Ada")
    connect(store, ("Acme", "Engineer", None), ("Globex", "Engineer", None), owner="Bo")
    ada = store.value("SELECT id FROM owners WHERE name = 'Ada'")
    assert top_organisations(store, ada, AS_OF)["contacts"].to_list() == [1]
    assert top_organisations(store, None, AS_OF)["contacts"].to_list() == [2, 1]
    assert top_positions(store, None, AS_OF)["contacts"].to_list() == [3]


def test_connections_per_year_list_quiet_years_up_to_as_of(store: Store) -> None:
    connect(
        store,
        ("A", None, date(2023, 1, 1)),
        ("B", None, date(2023, 12, 31)),
        ("C", None, date(2025, 6, 1)),
        ("D", None, None),
        ("E", None, date(2026, 12, 1)),  # after as_of
    )
    frame = connections_per_year(store, None, AS_OF)
    assert frame.columns == ["year", "connections"]
    assert frame.rows() == [(2023, 2), (2024, 0), (2025, 1), (2026, 0)]


def test_an_empty_workspace_has_an_empty_network(store: Store) -> None:
    assert top_organisations(store, None, AS_OF).is_empty()
    assert top_positions(store, None, AS_OF).is_empty()
    assert connections_per_year(store, None, AS_OF).is_empty()


def test_showing_none_is_refused(store: Store) -> None:
    with pytest.raises(InputError):
        top_positions(store, None, AS_OF, top=0)
