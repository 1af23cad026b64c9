"""The tracker template workbook."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from infoint_core.headers import match_header
from infoint_core.template import STATUS_CHOICES, TEMPLATE_COLUMNS, template_bytes


def test_every_column_is_read_back_as_its_field() -> None:
    sheet = load_workbook(io.BytesIO(template_bytes()))["Log"]
    headers = [cell.value for cell in sheet[1]]
    assert [match_header(h) for h in headers] == list(TEMPLATE_COLUMNS)


def test_status_has_a_drop_down_and_dates_a_date_format() -> None:
    book = load_workbook(io.BytesIO(template_bytes()))
    sheet = book["Log"]
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list"
    assert all(choice in validation.formula1 for choice in STATUS_CHOICES)
    status_column = list(TEMPLATE_COLUMNS).index("status") + 1
    assert str(validation.sqref).startswith(sheet.cell(2, status_column).coordinate)
    meeting_column = list(TEMPLATE_COLUMNS).index("meeting_on") + 1
    assert sheet.cell(2, meeting_column).number_format == "yyyy-mm-dd"
    assert book.sheetnames == ["Log", "Instructions"]
    assert "How to use" in book["Instructions"]["A1"].value


def test_every_status_choice_is_understood() -> None:
    from infoint_core.importers.tracker import parse_tracker_text

    rows = "\n".join(f"Person {i},{choice}" for i, choice in enumerate(STATUS_CHOICES))
    parsed = parse_tracker_text(f"Name,Status\n{rows}\n")
    assert not any("status" in w.lower() for w in parsed.warnings), parsed.warnings
    assert all(p.status for p in parsed.people)
