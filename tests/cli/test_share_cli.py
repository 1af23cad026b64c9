"""``infoint share``: one share, one per owner with ``--all``, the profile kept, one-line
errors."""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import pyarrow.parquet as pq
import pytest

from tests.conftest import AS_OF, write

TRACKER = """\
Name,Organisation,Industry,Source,Referred by,Date contacted,Interview date,Notes
Ada Lovelace,Analytical Engines Ltd,Computing,Professor,,2026-10-01,2026-10-09,Met at the pub
Charles Babbage,Difference Engines,Engineering,,Ada Lovelace,2026-10-12,,
Grace Hopper,,,,,,,
"""
COMBINED = """\
Student,Name,Organisation,Date contacted
Sam Student,Ada Lovelace,Engines,2026-10-01
Sam Student,Grace Hopper,Navy,2026-10-03
Kim Student,Alan Turing,Bletchley,2026-11-01
"""


def metadata_of(path: Path) -> dict[str, str]:
    raw = pq.read_metadata(io.BytesIO(path.read_bytes())).metadata or {}
    return {k.decode(): v.decode() for k, v in raw.items()}


@pytest.fixture
def logged(cli, tmp_path: Path):
    result = cli("import", str(write(tmp_path, "log.csv", TRACKER)))
    assert result.code == 0, result.err
    return cli


def test_share_writes_a_file_and_keeps_the_programme(logged, tmp_path: Path) -> None:
    out = tmp_path / "me.infoint-share.parquet"
    result = logged(
        "share", "--out", str(out), "--programme", "MSc Data Science", "--year", "2027",
        "--as-of", AS_OF.isoformat(),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.out.strip() == f"share written to {out}"
    metadata = metadata_of(out)
    assert metadata["programme"] == "MSc Data Science"
    assert metadata["graduation_year"] == "2027"
    assert metadata["as_of"] == AS_OF.isoformat()
    rows = pl.read_parquet(out)
    assert rows["contact"].n_unique() == 3
    raw = out.read_bytes()
    for text in (b"Ada", b"Lovelace", b"Babbage", b"Engines", b"pub", b"Hopper"):
        assert text not in raw

    again = tmp_path / "again.parquet"
    result = logged("share", "--out", str(again))  # asked once: kept
    assert result.code == 0, result.err
    assert metadata_of(again)["student"] == metadata["student"]
    assert metadata_of(again)["programme"] == "MSc Data Science"
    assert pl.read_parquet(again)["contact"].sort().equals(rows["contact"].sort())


def test_share_without_a_programme_is_a_one_line_error(logged, tmp_path: Path) -> None:
    out = tmp_path / "me.parquet"
    result = logged("share", "--out", str(out), "--year", "2027")
    assert result.code == 1
    assert result.err.startswith("infoint: error: ") and result.err.count("\n") == 1
    assert "programme" in result.err
    assert not out.exists()


def test_share_all_writes_one_file_per_student(cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, "cohort.csv", COMBINED))).code == 0
    out = tmp_path / "shares"
    result = cli(
        "share", "--all", "--out", str(out), "--programme", "MSc Management", "--year", "2026"
    )
    assert result.code == 0, result.err
    files = sorted(out.iterdir())
    assert len(files) == 2 and len(result.out.splitlines()) == 2
    students = {metadata_of(f)["student"] for f in files}
    assert len(students) == 2
    assert sorted(pl.read_parquet(f)["contact"].n_unique() for f in files) == [1, 2]
    assert all(b"Student" not in f.read_bytes() and "Student" not in f.name for f in files)


def test_several_owners_need_owner_or_all(cli, tmp_path: Path) -> None:
    assert cli("import", str(write(tmp_path, "cohort.csv", COMBINED))).code == 0
    out = tmp_path / "one.parquet"
    result = cli("share", "--out", str(out), "--programme", "BA", "--year", "2026")
    assert result.code == 1 and "--all" in result.err
    result = cli(
        "share", "--owner", "Kim Student", "--out", str(out), "--programme", "BA", "--year",
        "2026",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert pl.read_parquet(out)["contact"].n_unique() == 1


def test_an_unknown_owner_is_a_one_line_error(logged, tmp_path: Path) -> None:
    result = logged("share", "--owner", "Nobody", "--out", str(tmp_path / "x.parquet"))
    assert result.code == 1
    assert result.err == "infoint: error: no owner called 'Nobody' in this workspace\n"


def test_a_bad_year_is_a_one_line_error(logged, tmp_path: Path) -> None:
    result = logged("share", "--out", str(tmp_path / "x"), "--programme", "BA", "--year", "27")
    assert result.code == 1 and "graduation year" in result.err
    assert result.err.count("\n") == 1


def test_owner_and_all_do_not_go_together(logged, tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        logged("share", "--all", "--owner", "me", "--out", str(tmp_path))
    assert exit_info.value.code == 2


def test_the_demo_log_is_noted(cli, tmp_path: Path) -> None:
    assert cli("demo", "--as-of", AS_OF.isoformat()).code == 0
    result = cli("share", "--out", str(tmp_path), "--programme", "BA", "--year", "2026")
    assert result.code == 0, result.err
    assert "demo" in result.err
    assert len(list(tmp_path.glob("*.infoint-share.parquet"))) == 1


def test_share_has_help_with_an_example(cli, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli("share", "--help")
    help_text = capsys.readouterr().out
    assert "Example: infoint share" in help_text
    for option in ("--owner", "--all", "--out", "--programme", "--year", "--as-of"):
        assert option in help_text
