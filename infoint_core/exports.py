"""Downloads: a frame as CSV or as an Excel workbook, safe to open in a spreadsheet.

Every page's download goes through here, so every file gets the same protection against
formula injection: a text cell that a spreadsheet would read as a formula (it starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written with a single quote in
front, as OWASP advises for CSV injection. Names and notes come from imported files, so
they are never trusted to be plain text. Numbers and dates are left as they are: they are
values, not text a spreadsheet could run.
"""

from __future__ import annotations

import io
import math
import re
from datetime import datetime
from typing import Any

import polars as pl
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from infoint_core.errors import InputError

# The characters a spreadsheet may take as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_START_RE = r"^[=+\-@\t\r]"

# Characters an .xlsx file (XML 1.0) cannot hold: dropped, or openpyxl refuses the file.
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\\/?*\[\]:]")
_EXCEL_MAX_ROWS = 1_048_576
_WIDTH_SAMPLE = 1_000  # rows looked at to size a column
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: a quote in front of a formula start."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def frame_to_csv(frame: pl.DataFrame) -> bytes:
    """``frame`` as UTF-8 CSV with a header row, text cells neutralised.

    The file starts with a byte-order mark so that Excel reads accented names correctly.
    Dates are written as YYYY-MM-DD, times as YYYY-MM-DD HH:MM:SS, missing values as
    empty cells; lists are joined with ``"; "``.
    """
    safe = _neutralised(_flat(frame))
    return safe.write_csv(
        include_bom=True, date_format="%Y-%m-%d", datetime_format="%Y-%m-%d %H:%M:%S"
    ).encode("utf-8")


def frame_to_xlsx(frame: pl.DataFrame, sheet_title: str) -> bytes:
    """``frame`` as an Excel workbook of one sheet called ``sheet_title``.

    The header row is bold and stays in view, columns are sized to their contents, dates
    are real date cells, and text cells are neutralised. Characters a workbook cannot
    hold (control characters) are dropped and an unusable sheet title is tidied.
    Raises InputError when the frame has more rows than a sheet can hold.
    """
    if frame.height >= _EXCEL_MAX_ROWS:
        raise InputError(f"{frame.height:,} rows do not fit in one Excel sheet")
    flat = _flat(frame)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(sheet_title)
    sheet.append([_xlsx_value(name) for name in flat.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in flat.iter_rows():
        sheet.append([_xlsx_value(value) for value in row])
    for index, name in enumerate(flat.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(name, flat[name])
    sheet.freeze_panes = "A2"
    if flat.width:
        sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _flat(frame: pl.DataFrame) -> pl.DataFrame:
    """Categories as text and nested values (lists, structs) as one line of text."""
    columns = []
    for name, dtype in frame.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.Categorical | pl.Enum):
            column = column.cast(pl.String)
        elif isinstance(dtype, pl.List | pl.Array):
            column = column.cast(pl.List(pl.String)).list.join("; ")
        elif isinstance(dtype, pl.Struct):
            column = column.struct.json_encode()
        elif dtype == pl.Object:
            column = column.map_elements(str, return_dtype=pl.String)
        columns.append(column.alias(name))
    return frame.select(columns)


def _neutralised(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text cell, and every column name, neutralised."""
    safe = frame.with_columns(
        pl.when(pl.col(name).str.contains(_FORMULA_START_RE))
        .then(pl.lit("'") + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )
    return safe.rename({name: neutralise(name) for name in frame.columns})


def _xlsx_value(value: Any) -> Any:
    """One value as an openpyxl cell takes it: text cleaned and neutralised."""
    if isinstance(value, str):
        return neutralise(_NOT_IN_XML.sub("", value))
    if isinstance(value, float) and not math.isfinite(value):
        return None  # NaN and infinity have no cell; an empty one is the honest answer
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # Excel has no time zones: keep the wall clock
    return value


def _width(name: str, column: pl.Series) -> float:
    """Characters wide: the longest of the header and the first rows, within bounds."""
    sample = column.head(_WIDTH_SAMPLE)
    if sample.dtype == pl.Date:
        longest = 10  # YYYY-MM-DD
    elif sample.dtype == pl.Datetime:
        longest = 19  # YYYY-MM-DD HH:MM:SS
    else:
        lengths = sample.cast(pl.String, strict=False).str.len_chars()
        longest = int(lengths.max() or 0)  # type: ignore[arg-type]
    return float(min(max(longest, len(name), _MIN_WIDTH) + 2, _MAX_WIDTH))


def _sheet_title(title: str) -> str:
    """A title Excel accepts: no ``\\ / ? * [ ] :``, no quote at either end, ≤ 31 chars."""
    cleaned = _SHEET_TITLE_FORBIDDEN.sub("-", _NOT_IN_XML.sub("", title)).strip().strip("'")
    return cleaned[:31].strip() or "Sheet1"
