"""``infoint cohort``: CONTRACT §7's JSON, per-file errors, reports, and 60 demo students."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from infoint_core.cohort import ALL_STUDENTS
from infoint_core.records import STAGES
from tests.samples.shares import DEMO_PROGRAMMES, demo_workspace_shares, random_log, share_bytes


def write_shares(folder: Path, sizes: dict[str, int]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    i = 0
    for programme, size in sizes.items():
        for _ in range(size):
            i += 1
            data = share_bytes(random_log(i), student=f"s-{i:016x}", programme=programme,
                               graduation_year=2026 + i % 2)  # fmt: skip
            (folder / f"s{i}.infoint-share.parquet").write_bytes(data)
    return folder


@pytest.fixture
def shares(tmp_path: Path) -> Path:
    return write_shares(tmp_path / "shares", {"MSc A": 14, "MSc B": 12, "MSc C": 3})


def test_the_json_has_the_contract_shape(cli, shares: Path) -> None:
    result = cli("cohort", str(shares), "--as-of", "2026-11-21", "--json")
    assert result.code == 0, result.err
    body = result.json()
    assert body["students"] == 29 and body["as_of"] == "2026-11-21"
    assert [row["stage"] for row in body["funnel"]] == [s.value for s in STAGES]
    for row in body["funnel"]:
        assert {"stage", "reached", "conversion", "suppressed"} <= set(row)
        assert isinstance(row["reached"], int)
    assert body["funnel"][0]["conversion"] is None
    assert "groups" not in body
    assert body["min_cell"] == 10 and body["files"]["errors"] == []


def test_by_programme_withholds_the_small_group_and_its_complement(cli, shares: Path) -> None:
    body = cli("cohort", str(shares), "--by", "programme", "--json").json()
    groups = {g["group"]: g for g in body["groups"]}
    assert list(groups) == ["MSc A", "MSc B", "MSc C"]
    assert groups["MSc A"]["students"] == 14 and groups["MSc A"]["suppressed"] is False
    for name in ("MSc B", "MSc C"):  # C has 3; B is withheld beside it, or C = 29 - 14 - B
        assert groups[name]["students"] is None and groups[name]["suppressed"] is True
        assert all(row["reached"] is None for row in groups[name]["funnel"])
    assert sum(1 for row in groups["MSc A"]["funnel"] if row["reached"] is not None) >= 1


def test_by_year_and_a_smaller_min_cell(cli, shares: Path) -> None:
    body = cli("cohort", str(shares), "--by", "year", "--min-cell", "5", "--json").json()
    assert [g["group"] for g in body["groups"]] == ["2026", "2027"]
    assert all(g["students"] >= 5 for g in body["groups"])


def test_a_min_cell_below_five_is_refused(cli, shares: Path) -> None:
    result = cli("cohort", str(shares), "--min-cell", "4", "--json")
    assert result.code == 1
    assert result.err.strip() == (
        "infoint: error: the smallest group shown must be at least 5 students, not 4"
    )
    assert result.out == ""


def test_bad_files_get_a_line_each_and_the_rest_still_count(cli, shares: Path) -> None:
    (shares / "notes.csv").write_text("name\nAda\n")
    (shares / "future.parquet").write_bytes(share_bytes([], version="99"))
    result = cli("cohort", str(shares), "--json")
    assert result.code == 0
    lines = result.err.strip().splitlines()
    assert len(lines) == 2
    assert any("notes.csv: not a share" in line for line in lines)
    assert any("future.parquet: share version '99'" in line for line in lines)
    body = result.json()
    assert body["students"] == 29
    assert {e["file"].rsplit("/", 1)[-1] for e in body["files"]["errors"]} == {
        "notes.csv", "future.parquet"}  # fmt: skip


def test_nothing_readable_exits_1(cli, tmp_path: Path) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("name\nAda\n")
    result = cli("cohort", str(bad), str(tmp_path / "missing"), "--json")
    assert result.code == 1
    lines = result.err.strip().splitlines()
    assert len(lines) == 3
    assert "notes.csv" in lines[0] and "missing: no such file or folder" in lines[1]
    assert lines[2] == "infoint: error: no share could be read (2 files refused)"


def test_text_output_and_the_html_report(cli, shares: Path, tmp_path: Path) -> None:
    report = tmp_path / "cohort.html"
    result = cli("cohort", str(shares), "--by", "programme", "--html", str(report))
    assert result.code == 0
    assert "Cohort of 29 students" in result.out
    assert "fewer than 10" in result.out
    assert f"report written to {report}" in result.out
    assert "<h1>Cohort report</h1>" in report.read_text()


def test_cohort_needs_no_workspace(cli, shares: Path, db_path: Path) -> None:
    assert cli("cohort", str(shares), "--json").code == 0
    assert not db_path.exists()  # shares are worked on in memory only


# End to end: 60 demo students through the student's writer ------------------------------


@pytest.fixture(scope="session")
def demo_cohort(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Sixty demo students' shares over four programmes, written once per session."""
    folder = tmp_path_factory.mktemp("demo-cohort")
    demo_workspace_shares(folder)
    return folder


def test_sixty_demo_students_by_programme_end_to_end(cli, demo_cohort: Path, tmp_path) -> None:
    workbook = tmp_path / "cohort.xlsx"
    result = cli("cohort", str(demo_cohort), "--json", "--by", "programme", "--xlsx", str(workbook))
    assert result.code == 0, result.err
    body = result.json()
    assert body["students"] == 60 and body["files"]["errors"] == []
    assert body["funnel"][0]["reached"] == 60 * 150
    assert body["active"]["active_students"] == 60
    assert body["thank_you"]["median_days"] is not None
    assert body["referrals"]["referral_rate"] > 0
    assert len(body["activity"]) == 12
    sizes = dict(DEMO_PROGRAMMES)
    groups = {g["group"]: g for g in body["groups"]}
    assert set(groups) == set(sizes)
    # MEng Robotics (4) is too small, BSc Economics (11) the next smallest beside it
    for name in ("MEng Robotics", "BSc Economics"):
        assert groups[name]["suppressed"] and groups[name]["students"] is None
        assert groups[name]["referrals"]["suppressed"]
    for name in ("MSc Data Science", "MA International Relations"):
        group = groups[name]
        assert group["students"] == sizes[name] and not group["suppressed"]
        assert group["funnel"][0]["reached"] == sizes[name] * 150
        assert not any(row["suppressed"] for row in group["funnel"])
    assert "report written to" in result.err  # stdout stays pure JSON
    book = openpyxl.load_workbook(workbook)
    assert sum(len(sheet._images) for sheet in book) == 4
    funnel = [[c.value for c in row] for row in book["Funnel"].iter_rows(min_row=2)]
    assert next(r[3] for r in funnel if r[1] == ALL_STUDENTS) == 60 * 150
    assert {r[3] for r in funnel if r[1] == "MEng Robotics"} == {"fewer than 10"}
