"""Downloads: CSV and XLSX that a spreadsheet never runs as formulas; dates stay dates."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import openpyxl
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_core.errors import InputError
from infoint_core.exports import FORMULA_STARTS, frame_to_csv, frame_to_xlsx, neutralise

ATTACKS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=1", "\r=1"]
FRAME = pl.DataFrame(
    {
        "name": [*ATTACKS, "Chloé", None],
        "number": [-5, 1, 2, 3, 4, 5, 6, 7],
        "on": [date(2026, 11, 21)] * 7 + [None],
    }
)
# Any text, half the time starting with a character a spreadsheet takes for a formula.
CELL_TEXT = st.one_of(st.text(), st.builds(str.__add__, st.sampled_from(FORMULA_STARTS), st.text()))


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM, so Excel reads UTF-8 names right
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def read_xlsx(data: bytes) -> openpyxl.worksheet.worksheet.Worksheet:
    return openpyxl.load_workbook(io.BytesIO(data)).active


def is_safe(cell: object) -> bool:
    return not (isinstance(cell, str) and cell.startswith(FORMULA_STARTS))


def test_neutralise() -> None:
    assert [neutralise(a) for a in ATTACKS] == [f"'{a}" for a in ATTACKS]
    assert neutralise("Ada") == "Ada"
    assert neutralise("") == ""
    assert neutralise(" =1") == " =1"  # only the very first character counts


# CSV -----------------------------------------------------------------------------------


def test_csv_neutralises_text_but_not_numbers_or_dates() -> None:
    header, *rows = read_csv(frame_to_csv(FRAME))
    assert header == ["name", "number", "on"]
    assert [row[0] for row in rows] == [*(f"'{a}" for a in ATTACKS), "Chloé", ""]
    assert rows[0][1:] == ["-5", "2026-11-21"]  # a negative number is a number, not text
    assert rows[-1][2] == ""


def test_csv_neutralises_column_names() -> None:
    header, row = read_csv(frame_to_csv(pl.DataFrame({"=HYPERLINK(1)": ["x"]})))
    assert (header, row) == (["'=HYPERLINK(1)"], ["x"])


def test_csv_of_nested_and_categorical_columns() -> None:
    frame = pl.DataFrame({"tags": [["a", "=b"]], "kind": ["-x"]}).with_columns(
        pl.col("kind").cast(pl.Categorical)
    )
    assert read_csv(frame_to_csv(frame))[1] == ["a; =b", "'-x"]


@settings(max_examples=200, deadline=None)
@given(st.lists(CELL_TEXT, min_size=1, max_size=5))
def test_csv_cells_never_start_a_formula(texts: list[str]) -> None:
    _header, *rows = read_csv(frame_to_csv(pl.DataFrame({"text": texts})))
    cells = [row[0] for row in rows]
    assert cells == [neutralise(t) for t in texts]  # every character kept
    assert all(is_safe(cell) for cell in cells)


# XLSX ----------------------------------------------------------------------------------


def test_xlsx_neutralises_text_and_keeps_numbers_and_dates() -> None:
    sheet = read_xlsx(frame_to_xlsx(FRAME, "Follow-ups"))
    assert sheet.title == "Follow-ups"
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names[: len(ATTACKS) - 1] == [f"'{a}" for a in ATTACKS[:-1]]
    assert names[len(ATTACKS) - 1] == "'\n=1"  # XML keeps a carriage return as a new line
    assert names[-2:] == ["Chloé", None]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"


def test_xlsx_dates_are_date_cells() -> None:
    frame = pl.DataFrame(
        {
            "on": [date(2026, 11, 21)],
            "at": [datetime(2026, 11, 21, 9, 30, tzinfo=UTC)],
        }
    )
    sheet = read_xlsx(frame_to_xlsx(frame, "Dates"))
    on, at = sheet["A2"], sheet["B2"]
    assert on.is_date and on.value.date() == date(2026, 11, 21)
    assert on.number_format == "yyyy-mm-dd"
    assert at.is_date and at.value == datetime(2026, 11, 21, 9, 30)


def test_xlsx_header_is_bold_frozen_and_columns_sized() -> None:
    frame = pl.DataFrame({"Next step": ["x" * 40], "=Days": [3]})
    sheet = read_xlsx(frame_to_xlsx(frame, "Follow-ups"))
    assert [c.value for c in sheet[1]] == ["Next step", "'=Days"]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 42
    assert 8 <= sheet.column_dimensions["B"].width < 42


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Follow-ups", "Follow-ups"),
        ("What: [next]?", "What- -next--"),
        ("'quoted'", "quoted"),
        ("x" * 40, "x" * 31),
        ("", "Sheet1"),
    ],
)
def test_xlsx_sheet_titles_are_tidied(title: str, expected: str) -> None:
    assert read_xlsx(frame_to_xlsx(pl.DataFrame({"a": [1]}), title)).title == expected


def test_an_empty_frame_gives_a_header_only_file() -> None:
    frame = pl.DataFrame(schema={"Contact": pl.String, "Since": pl.Date})
    assert read_csv(frame_to_csv(frame)) == [["Contact", "Since"]]
    sheet = read_xlsx(frame_to_xlsx(frame, "Empty"))
    assert [c.value for c in sheet[1]] == ["Contact", "Since"] and sheet.max_row == 1


def test_too_many_rows_for_a_sheet() -> None:
    with pytest.raises(InputError, match="do not fit"):
        frame_to_xlsx(pl.DataFrame({"n": range(1_048_576)}), "Big")


@settings(max_examples=60, deadline=None)
@given(st.lists(CELL_TEXT, min_size=1, max_size=4))
def test_xlsx_cells_never_start_a_formula(texts: list[str]) -> None:
    sheet = read_xlsx(frame_to_xlsx(pl.DataFrame({"text": texts}), "T"))
    cells = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert len(cells) == len(texts)
    assert all(is_safe(cell) for cell in cells)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)  # no formula
    for text, cell in zip(texts, cells, strict=True):
        if text.startswith(FORMULA_STARTS):
            assert cell.startswith("'")
