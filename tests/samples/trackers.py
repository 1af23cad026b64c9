"""Builders for students' own trackers: small .xlsx workbooks written with openpyxl, and
CSV/TSV texts in the encodings and delimiters Excel saves.

Workbook builders return the file's bytes, e.g. ``workbook_bytes({"Log": [["Name"], ["Ada"]]})``;
a cell may be a ``date``/``datetime`` (a real date cell), a number, a string, or None.
Text builders return ``str``; ``encode`` turns one into the bytes Excel would write.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from openpyxl import Workbook

Cell = object
Table = Sequence[Sequence[Cell]]

# The sample log: one header row and five people, in the forms students really use.
LOG_HEADERS = [
    "Full name",
    "Organisation",
    "Job title",
    "Email address",
    "Referred by",
    "Date contacted",
    "Interview date",
    "Thank-you sent?",
    "Stage",
    "Comments",
]


def log_rows() -> list[list[Cell]]:
    """The sample log's data rows: real date cells, text dates, a serial number, marks."""
    return [
        [
            "Ada Lovelace",
            "Analytical Engines",
            "Engineer",
            "ada@example.com",
            None,
            date(2026, 10, 1),
            datetime(2026, 10, 8, 14, 30),
            "yes",
            "met",
            "Great advice",
        ],
        [
            "Grace Hopper",
            "Navy",
            "Rear Admiral",
            None,
            "Ada Lovelace",
            "2 Oct 2026",
            "Oct 15, 2026",
            date(2026, 10, 16),
            "thanked",
            None,
        ],
        [
            "Alan Turing",
            "Bletchley",
            None,
            None,
            "Ada Lovelace",
            "25/10/2026",
            None,
            "no",
            "emailed",
            None,
        ],
        [
            "Katherine Johnson",
            "NASA",
            "Mathematician",
            None,
            None,
            46000,
            None,
            None,
            "to contact",
            None,
        ],
        [None, "Nobody Ltd", None, None, None, None, None, None, None, "a stray note"],
    ]


def workbook_bytes(sheets: Mapping[str, Table], *, start: Mapping[str, str] | None = None) -> bytes:
    """An .xlsx with one sheet per entry, in order; ``start`` gives a sheet's top-left
    cell (e.g. ``{"Log": "B3"}``) when its table should not start at A1.

    Strings starting with "=" become formulas (with no cached value, as openpyxl saves).
    """
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, table in sheets.items():
        sheet = workbook.create_sheet(name)
        origin = sheet[(start or {}).get(name, "A1")]
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.cell(row=origin.row + r, column=origin.column + c, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def save_workbook(path: Path, sheets: Mapping[str, Table]) -> Path:
    """``workbook_bytes`` written to ``path``."""
    path.write_bytes(workbook_bytes(sheets))
    return path


def sample_workbook() -> bytes:
    """A realistic tracker: an instructions sheet first, then the log with a title row
    and a blank row above its headers (headers on row 3), then a summary of formulas."""
    return workbook_bytes(
        {
            "Instructions": [
                ["How to use this tracker"],
                [],
                ["Add one row per person you contact."],
            ],
            "Log": [["My networking log 2026"], [], LOG_HEADERS, *log_rows()],
            "Summary": [["Contacts", "=COUNTA(Log!A4:A100)"], ["Met", 3]],
        }
    )


def delimited_text(table: Table, delimiter: str = ",") -> str:
    """``table`` as Excel writes delimited text (CRLF line ends, minimal quoting)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in table:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def encode(text: str, encoding: str) -> bytes:
    """The bytes Excel writes for ``text``: "utf-8", "utf-8-sig" (CSV UTF-8),
    "utf-16" (Unicode text: little-endian with BOM) or "cp1252" (CSV on Western Windows)."""
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(encoding)


# Text versions of the sample, with characters cp1252 can hold: "é" and a curly apostrophe.
TEXT_HEADERS = ["Name", "Company", "Position", "Date contacted", "Meeting date", "Thank-you"]
TEXT_ROWS = [
    ["Renée O\u2019Neil", "Société Générale", "Analyst", "03/11/2026", "17/11/2026", "yes"],
    ["Bob Smith", "Acme", "Engineer", "4 Nov 2026", "", "no"],
    ["Zoë Adams", "Café Nero", "Manager", "2026-11-05", "2026-11-20", "21/11/2026"],
]

# (encoding, delimiter) as Excel's "Save as" offers them.
TEXT_VARIANTS = [
    ("utf-8", ","),
    ("utf-8-sig", ","),
    ("utf-8-sig", ";"),
    ("utf-16", "\t"),
    ("cp1252", ","),
    ("cp1252", ";"),
    ("utf-8", "\t"),
]


def sample_text_bytes(encoding: str, delimiter: str) -> bytes:
    """The text sample (title row above the headers) saved in ``encoding``."""
    table = [["Networking tracker"], TEXT_HEADERS, *TEXT_ROWS]
    return encode(delimited_text(table, delimiter), encoding)


def big_tracker_table(n: int, *, seed: int = 7, cells: bool = False) -> list[list[Cell]]:
    """Headers and ``n`` generated rows; dates as real date cells when ``cells`` (for a
    workbook), else as the mix of text forms a CSV holds."""
    rng = random.Random(seed)
    start = date(2024, 1, 1)
    rows: list[list[Cell]] = [
        [
            "Name",
            "Company",
            "Position",
            "Email",
            "Referred by",
            "Status",
            "Date contacted",
            "Response date",
            "Meeting date",
            "Thank-you sent",
            "Notes",
        ],
    ]

    def day(offset: int) -> Cell:
        d = start + timedelta(days=offset)
        if cells:
            return d
        return rng.choice((f"{d:%d/%m/%Y}", d.isoformat(), f"{d.day} {d:%b %Y}"))

    for i in range(n):
        base = rng.randrange(900)
        rows.append(
            [
                f"Person {i}",
                f"Company {i % 300}",
                rng.choice(("Analyst", "Engineer", None)),
                f"p{i}@example.com",
                f"Person {i - 1}" if i % 5 == 0 and i else None,
                rng.choice(("contacted", "met", "thanked", None)),
                day(base),
                day(base + 3) if i % 2 else None,
                day(base + 10) if i % 3 else None,
                "yes" if i % 4 == 0 else (day(base + 11) if i % 4 == 1 else None),
                "some notes" if i % 7 == 0 else None,
            ]
        )
    return rows
