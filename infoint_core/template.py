"""The tracker template: a workbook a student can start their log in.

Written with openpyxl: the canonical columns with their labels as comments, a Status
drop-down, date-formatted date columns and a short instructions sheet.
Importing the filled-in template back reads every column (round trip).
"""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from infoint_core.errors import InputError
from infoint_core.headers import FIELD_LABELS

# The columns of the template, by canonical field, with the header a person reads.
TEMPLATE_COLUMNS: dict[str, str] = {
    "name": "Name",
    "company": "Organisation",
    "position": "Position",
    "industry": "Industry",
    "email": "Email",
    "linkedin_url": "LinkedIn URL",
    "source": "Source",
    "referred_by": "Referred by",
    "status": "Status",
    "contacted_on": "Date contacted",
    "responded_on": "Response date",
    "meeting_on": "Meeting date",
    "thanked_on": "Thank-you sent",
    "followed_up_on": "Followed up",
    "outcome_reported_on": "Outcome reported",
    "notes": "Notes",
}
STATUS_CHOICES = (
    "to contact", "contacted", "responded", "scheduled", "interviewed", "thanked",
    "followed up", "declined",
)  # fmt: skip
DATE_FIELDS = frozenset(f for f in TEMPLATE_COLUMNS if f.endswith("_on"))
_ROWS_PREPARED = 500

INSTRUCTIONS = (
    "How to use this tracker",
    "",
    "1. One row per person: someone you have found, contacted or met.",
    "2. Fill in dates as you go: contacted, response, meeting, thank-you, follow-up.",
    "3. 'Thank-you sent' takes a date, or simply 'yes'.",
    "4. 'Referred by' takes the name of the contact who introduced you.",
    "5. 'Outcome reported' is the day you told that referrer how the meeting went.",
    "6. Pick a Status from the list, or leave it blank: the dates tell the story.",
    "7. Import the file into infoint whenever you like; importing again only adds what is new.",
)
_HEADER_FILL = PatternFill("solid", fgColor="1F4E79")


def template_bytes() -> bytes:
    """The tracker template workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    _build_workbook().save(buffer)
    return buffer.getvalue()


def _build_workbook() -> Workbook:
    workbook = Workbook()
    _write_log_sheet(workbook.worksheets[0])
    _write_instructions(workbook.create_sheet("Instructions"))
    return workbook


def write_template(path: str | Path) -> Path:
    """Write the tracker template workbook to ``path`` (.xlsx) and return the path.

    Raises InputError when the path does not end in .xlsx or cannot be written.
    """
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise InputError(f"{target}: the template is an .xlsx workbook; name it so")
    try:
        _build_workbook().save(target)
    except OSError as e:
        raise InputError(f"{target}: cannot be written ({e.strerror or e})") from e
    return target


def _write_log_sheet(sheet: Worksheet) -> None:
    sheet.title = "Log"
    sheet.freeze_panes = "A2"
    for column, (field, header) in enumerate(TEMPLATE_COLUMNS.items(), start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        cell.comment = Comment(FIELD_LABELS[field], "infoint")
        letter = get_column_letter(column)
        sheet.column_dimensions[letter].width = 16 if field in DATE_FIELDS else 24
        if field in DATE_FIELDS and field != "thanked_on":
            for row in range(2, _ROWS_PREPARED + 2):
                sheet.cell(row=row, column=column).number_format = "yyyy-mm-dd"
    status_column = get_column_letter(list(TEMPLATE_COLUMNS).index("status") + 1)
    choices = DataValidation(
        type="list", formula1=f'"{",".join(STATUS_CHOICES)}"', allow_blank=True,
        showErrorMessage=True, errorTitle="Status", error="Pick a status from the list.",
    )  # fmt: skip
    choices.add(f"{status_column}2:{status_column}{_ROWS_PREPARED + 1}")
    sheet.add_data_validation(choices)


def _write_instructions(sheet: Worksheet) -> None:
    for row, line in enumerate(INSTRUCTIONS, start=1):
        sheet.cell(row=row, column=1, value=line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 100
