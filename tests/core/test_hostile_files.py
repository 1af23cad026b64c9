"""Hostile and broken files: a clear one-line message naming the file, nothing of it
stored, and a workspace that goes on working (issue 7, item 1)."""

from __future__ import annotations

import itertools

import pytest

from infoint_core import importers
from infoint_core.contacts import list_contacts
from infoint_core.importers import ImportOptions, import_bytes, preview_bytes
from infoint_core.store import Store
from tests.samples.hostile import (
    GOOD_TRACKER,
    REFUSED,
    TEXT_TRAPS,
    declared_dimension,
    formula_workbook,
    zip_of,
)
from tests.samples.trackers import workbook_bytes

OPTIONS = ImportOptions()
TABLES = ("owners", "contacts", "events", "imports")
_NEXT = itertools.count(1)


def counts(store: Store) -> dict[str, int]:
    return {table: store.value(f"SELECT count(*) FROM {table}") for table in TABLES}


@pytest.fixture
def used(store: Store) -> Store:
    """A workspace that already holds a log, so "unchanged" means something."""
    assert import_bytes(store, "log.csv", GOOD_TRACKER, OPTIONS).error is None
    return store


def assert_refused_cleanly(store: Store, name: str, data: bytes, word: str) -> None:
    """Refused with one line naming the file; nothing stored; the next import works."""
    before = counts(store)
    result = import_bytes(store, name, data, OPTIONS)
    assert result.error is not None, f"{name} was not refused"
    assert result.error.startswith(f"{name}:") or result.error.startswith(f"{name} (")
    assert word.lower() in result.error.lower()
    assert "\n" not in result.error
    assert counts(store) == before
    assert preview_bytes(name, data, OPTIONS).error == result.error
    good = workbook_bytes({"Log": [["Name", "Company"], [f"Next Person {next(_NEXT)}", "Firm"]]})
    after = import_bytes(store, "next.xlsx", good, OPTIONS)
    assert after.error is None and after.contacts_added == 1


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_hostile_file_is_refused_cleanly(used: Store, name: str) -> None:
    build, word = REFUSED[name]
    assert_refused_cleanly(used, name, build(), word)


def test_the_row_limit_applies_to_every_kind_of_file(
    used: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_ROWS", 5)
    rows = [["Name", "Company"], *([f"Person {i}", "Firm"] for i in range(6))]
    text = "\n".join(",".join(row) for row in rows).encode()
    assert_refused_cleanly(used, "long.csv", text, "at most 5 rows")
    book = workbook_bytes({"Log": rows})
    assert_refused_cleanly(used, "long.xlsx", book, "at most 5 rows")
    # A workbook that does not declare its size is counted once read, before storing.
    undeclared = declared_dimension(book, "A1")
    assert_refused_cleanly(used, "undeclared.xlsx", undeclared, "at most 5 rows")
    export = zip_of({"Connections.csv": text.replace(b"Name,Company", FIRST_LAST)})
    assert_refused_cleanly(used, "export.zip", export, "Connections.csv: the file holds")


FIRST_LAST = b"First Name,Last Name,Connected On"


def test_a_file_at_the_row_limit_imports(used: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importers, "MAX_ROWS", 5)
    text = b"Name,Company\n" + b"".join(f"Person {i},Firm\n".encode() for i in range(4))
    result = import_bytes(used, "fits.csv", text, OPTIONS)
    assert result.error is None and result.contacts_added == 4


def test_quoted_line_breaks_do_not_count_as_rows(
    used: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importers, "MAX_ROWS", 5)
    note = '"line one\nline two\nline three"'
    text = "Name,Notes\n" + "".join(f"Person {i},{note}\n" for i in range(3))
    result = import_bytes(used, "notes.csv", text.encode(), OPTIONS)
    assert result.error is None and result.contacts_added == 3


def test_formulas_give_their_cached_values_and_are_never_evaluated(store: Store) -> None:
    result = import_bytes(store, "formulas.xlsx", formula_workbook(), OPTIONS)
    assert result.error is None
    (ada,) = list_contacts(store)
    assert ada["company"] == "ACME"  # the value Excel saved, not "=UPPER(...)"
    assert ada["notes"] is None  # never calculated: nothing, not the formula text


def test_windows_1252_text_is_decoded(store: Store) -> None:
    data = "Name,Company\nRenée Côté,Société Générale\n".encode("cp1252")
    assert import_bytes(store, "accents.csv", data, OPTIONS).error is None
    assert [c["name"] for c in list_contacts(store)] == ["Renée Côté"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_markup_in_names_and_notes_is_stored_as_typed(store: Store, kind: str) -> None:
    rows = [["Name", "Company", "Notes"]]
    rows += [[f"{trap} {i}", trap, trap] for i, trap in enumerate(TEXT_TRAPS)]
    if kind == "xlsx":
        data = workbook_bytes({"Log": rows})
    else:
        data = "\n".join(",".join(f'"{c.replace(chr(34), 2 * chr(34))}"' for c in r) for r in rows)
        data = data.encode()
    result = import_bytes(store, f"traps.{kind}", data, OPTIONS)
    assert result.error is None
    stored = {c["name"]: (c["company"], c["notes"]) for c in list_contacts(store)}
    assert stored == {f"{trap} {i}": (trap, trap) for i, trap in enumerate(TEXT_TRAPS)}


SCRIPT_URLS = [
    "javascript:alert(1)",
    "javascript://www.linkedin.com/in/x%0Aalert(1)",
    " JaVa\tScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
]


def test_profile_urls_that_are_not_web_addresses_are_left_out(store: Store) -> None:
    rows = [["Name", "LinkedIn"], ["Ada Lovelace", "https://www.linkedin.com/in/ada"]]
    rows += [[f"Person {i}", url] for i, url in enumerate(SCRIPT_URLS)]
    result = import_bytes(store, "urls.xlsx", workbook_bytes({"Log": rows}), OPTIONS)
    assert result.error is None
    assert any("not web addresses left out (rows 3, 4, 5, 6)" in w for w in result.warnings)
    urls = {c["name"]: c["linkedin_url"] for c in list_contacts(store)}
    assert urls == {
        "Ada Lovelace": "https://www.linkedin.com/in/ada",
        **{f"Person {i}": None for i in range(len(SCRIPT_URLS))},
    }
