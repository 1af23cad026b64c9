"""The ``infoint`` command: JSON shapes, exit codes, one-line errors, help everywhere."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from infoint_core.cli import build_parser
from tests.conftest import AS_OF, write

TRACKER = """Name,Organisation,Role,Date contacted,Interview date,Thank-you sent,Referred by
Ada Lovelace,Analytical Engines,Engineer,2026-10-01,2026-10-20,yes,Charles Babbage
Grace Hopper,Navy,Admiral,2026-11-01,,,
"""

CONNECTIONS = (
    "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    "Ada,Lovelace,https://www.linkedin.com/in/ada-lovelace,,Analytical Engines,Engineer,"
    "08 Feb 2023\n"
    "Alan,Turing,https://www.linkedin.com/in/alan-turing,alan@example.org,Bletchley Park,"
    "Cryptanalyst,01 Mar 2024"  # LinkedIn writes no newline after the last row
)

FILE_KEYS = {
    "path",
    "kind",
    "rows",
    "contacts_added",
    "contacts_updated",
    "events_added",
    "warnings",
    "error",
}


def test_import_json_has_the_contract_shape(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", TRACKER)
    result = cli("import", str(path), "--json")
    assert result.code == 0, result.err
    (entry,) = result.json()["files"]
    assert set(entry) == FILE_KEYS
    assert entry["kind"] == "tracker"
    assert entry["rows"] == 2
    assert entry["contacts_added"] == 3  # Charles Babbage from the referral
    assert entry["events_added"] == 4
    assert entry["error"] is None


def test_contacts_json_lists_every_contact_with_its_stage(cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, "log.csv", TRACKER)))
    cli("import", str(write(tmp_path, "Connections.csv", CONNECTIONS)))
    result = cli("contacts", "--json", "--as-of", AS_OF.isoformat())
    assert result.code == 0, result.err
    by_name = {c["name"]: c for c in result.json()}
    assert set(by_name) == {"Ada Lovelace", "Alan Turing", "Charles Babbage", "Grace Hopper"}
    ada = by_name["Ada Lovelace"]
    assert ada["stage"] == "thanked"
    assert ada["referred_by"] == "Charles Babbage"
    assert ada["connected_on"] == "2023-02-08"
    assert ada["linkedin_url"] == "https://www.linkedin.com/in/ada-lovelace"
    assert by_name["Grace Hopper"]["stage"] == "contacted"
    assert by_name["Alan Turing"]["stage"] == "identified"
    assert by_name["Alan Turing"]["email"] == "alan@example.org"
    required = {
        "name",
        "company",
        "position",
        "email",
        "linkedin_url",
        "source",
        "referred_by",
        "connected_on",
        "stage",
    }
    assert all(required <= set(c) for c in result.json())


def test_a_meeting_after_as_of_is_only_scheduled(cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, "log.csv", TRACKER)))
    early = cli("contacts", "--json", "--as-of", "2026-10-19").json()
    assert {c["name"]: c["stage"] for c in early}["Ada Lovelace"] == "scheduled"


def test_importing_the_same_file_twice_changes_nothing(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", TRACKER)
    cli("import", str(path))
    before = cli("contacts", "--json").json()
    again = cli("import", str(path), "--json").json()["files"][0]
    assert (again["contacts_added"], again["contacts_updated"], again["events_added"]) == (
        0,
        0,
        0,
    )
    assert any("already imported" in w for w in again["warnings"])
    assert cli("contacts", "--json").json() == before


def test_a_bad_file_is_one_line_exit_1_and_an_untouched_workspace(cli, tmp_path: Path) -> None:
    cli("import", str(write(tmp_path, "good.csv", TRACKER)))
    before = cli("contacts", "--json").json()
    bad = write(tmp_path, "bad.csv", "Name,Meeting date\nAda Lovelace,2026-10-20\nBob,soonish\n")
    result = cli("import", str(bad))
    assert result.code == 1
    assert result.out == ""
    lines = result.err.strip().splitlines()
    assert len(lines) == 1, result.err
    assert "bad.csv" in lines[0] and "row 3" in lines[0] and "Meeting date" in lines[0]
    assert "Traceback" not in result.err
    assert cli("contacts", "--json").json() == before


def test_one_bad_file_does_not_stop_the_others(cli, tmp_path: Path) -> None:
    junk = write(tmp_path, "photo.csv", bytes(range(256)) * 8)
    good = write(tmp_path, "log.csv", TRACKER)
    result = cli("import", str(junk), str(good), "--json")
    assert result.code == 1
    first, second = result.json()["files"]
    assert "photo.csv" in first["error"] and second["error"] is None
    assert second["contacts_added"] == 3


def test_a_missing_file_is_reported(cli, tmp_path: Path) -> None:
    result = cli("import", str(tmp_path / "nowhere.csv"))
    assert result.code == 1
    assert "nowhere.csv" in result.err and "cannot be read" in result.err


def test_map_overrides_a_header(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "Who,Place,When we met\nAda Lovelace,Engines,2026-10-20\n")
    result = cli("import", str(path), "--map", "Place=company", "--map", "When we met=meeting_on")
    assert result.code == 0, result.err
    (ada,) = cli("contacts", "--json", "--as-of", AS_OF.isoformat()).json()
    assert ada["company"] == "Engines" and ada["stage"] == "interviewed"


def test_a_bad_map_option_is_a_clear_error(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", TRACKER)
    result = cli("import", str(path), "--map", "Place=shoe_size")
    assert result.code == 1
    assert "shoe_size" in result.err and "Traceback" not in result.err


def test_date_order_decides_ambiguous_dates(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", "Name,Interview date\nAda Lovelace,03/04/2026\n")
    cli("import", str(path), "--date-order", "MDY", "--owner", "us")
    cli("import", str(path), "--owner", "uk")
    us = cli("contacts", "--owner", "us", "--json", "--as-of", "2026-03-10").json()
    uk = cli("contacts", "--owner", "uk", "--json", "--as-of", "2026-03-10").json()
    assert us[0]["stage"] == "interviewed"  # 4 March
    assert uk[0]["stage"] == "scheduled"  # 3 April


def test_owners_keep_separate_logs(cli, tmp_path: Path) -> None:
    path = write(tmp_path, "log.csv", TRACKER)
    cli("import", str(path), "--owner", "Ada's student")
    cli("import", str(path), "--owner", "Another student")
    assert len(cli("contacts", "--owner", "Another student", "--json").json()) == 3
    assert len(cli("contacts", "--json").json()) == 6
    missing = cli("contacts", "--owner", "Nobody")
    assert missing.code == 1 and "Nobody" in missing.err


def test_demo_and_clear(cli) -> None:
    assert cli("demo", "--as-of", AS_OF.isoformat()).code == 0
    assert len(cli("contacts", "--json").json()) == 150
    assert "150 demo contacts removed" in cli("demo", "--clear").out
    assert cli("contacts", "--json").json() == []


def test_template_round_trips(cli, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "tracker.xlsx"
    assert cli("template", str(out)).code == 0
    book = load_workbook(out)
    log = book["Log"]
    headers = [cell.value for cell in log[1]]
    row = {
        "Name": "Ada Lovelace",
        "Organisation": "Analytical Engines",
        "Position": "Engineer",
        "Email": "ada@example.org",
        "Referred by": "Charles Babbage",
        "Status": "thanked",
        "Followed up": date(2026, 11, 5),
        "Response date": date(2026, 10, 3),
        "Date contacted": date(2026, 10, 1),
        "Meeting date": date(2026, 10, 20),
        "Thank-you sent": "yes",
        "Outcome reported": date(2026, 10, 25),
        "LinkedIn URL": "https://www.linkedin.com/in/ada-lovelace",
        "Source": "Career fair",
    }
    for column, header in enumerate(headers, start=1):
        log.cell(row=2, column=column, value=row.get(header))
    book.save(out)
    result = cli("import", str(out), "--json")
    assert result.code == 0, result.err
    entry = result.json()["files"][0]
    assert entry["kind"] == "tracker" and entry["error"] is None
    assert any("Instructions" in w for w in entry["warnings"])
    by_name = {c["name"]: c for c in cli("contacts", "--json", "--as-of", "2026-11-21").json()}
    ada = by_name["Ada Lovelace"]
    assert (ada["company"], ada["position"], ada["email"], ada["source"]) == (
        "Analytical Engines",
        "Engineer",
        "ada@example.org",
        "Career fair",
    )
    assert ada["referred_by"] == "Charles Babbage" and ada["stage"] == "followed_up"


def test_template_must_be_xlsx(cli, tmp_path: Path) -> None:
    result = cli("template", str(tmp_path / "tracker.csv"))
    assert result.code == 1 and ".xlsx" in result.err


def _subcommands():
    parser = build_parser()
    (action,) = [a for a in parser._subparsers._group_actions]
    return action.choices


@pytest.mark.parametrize("name", sorted(_subcommands()))
def test_every_command_has_help_with_an_example(name: str) -> None:
    sub = _subcommands()[name]
    assert sub.description and sub.epilog.startswith("Example: infoint ")


def test_python_dash_m_and_the_environment_variable(tmp_path: Path) -> None:
    env = {**os.environ, "INFOINT_DB": str(tmp_path / "env.duckdb")}
    run = subprocess.run(
        [sys.executable, "-m", "infoint_core", "contacts", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"
    assert (tmp_path / "env.duckdb").exists()


def test_a_file_that_closes_a_referral_loop_is_refused(cli, tmp_path: Path) -> None:
    first = write(tmp_path, "a.csv", "Name,Referred by\nAda Lovelace,Grace Hopper\n")
    assert cli("import", str(first)).code == 0
    loop = write(tmp_path, "b.csv", "Name,Referred by\nGrace Hopper,Ada Lovelace\n")
    result = cli("import", str(loop))
    assert result.code == 1
    assert "b.csv" in result.err and "Ada Lovelace → Grace Hopper" in result.err
    assert cli("contacts", "--json").json()[1]["referred_by"] is None  # Grace: unchanged
