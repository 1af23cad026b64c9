"""Import: any file a student has, recognised by its content, stored as one transaction.

``import_bytes`` is what the CLI and the Import page call; it never raises for a bad file
but reports the error in the result, so one bad file among several does not stop the rest.

A file larger than any real log (``MAX_ROWS`` rows, ``MAX_COLUMNS`` columns) is refused
from a cheap look at its shape before it is parsed, so a hostile upload cannot tie up the
app for minutes or exhaust its memory.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from infoint_core.errors import FileImportError, InfointError, ParseError
from infoint_core.identity import is_web_url
from infoint_core.importers import export_zip, linkedin, tracker
from infoint_core.importers.text import count_records, decode_text, widest_record
from infoint_core.ingest import previous_import, sha256_of, store_parsed
from infoint_core.records import ParsedFile
from infoint_core.store import Store

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

MAX_ROWS = 200_000
"""The most rows (header included) one file, sheet or export member may hold: LinkedIn caps
connections at 30,000, and a student's tracker holds hundreds, so this leaves room for
the longest message history while keeping an import to seconds."""
MAX_COLUMNS = 1_000
"""The most columns a file's first rows may hold; a log needs a couple of dozen."""
MAX_WORKBOOK_BYTES = 512 * 1024 * 1024
"""The most a workbook may expand to (its sheets' XML); a million-row sheet is ~100 MB."""
_SHAPE_ROWS = 20  # records looked at for the column count: the header is among them
# Excel writes the range a sheet uses near the start of its XML: <dimension ref="A1:K2001"/>.
_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"'
)
_SHEET_HEAD_BYTES = 4096
# A profile address is shown as a link, so one that names a scheme must be a web one:
# "javascript://www.linkedin.com/in/x%0Aalert(1)" has the shape of a profile but runs code.
# Browsers ignore control characters and spaces in a scheme, so they are dropped first.
# The order export members are stored in: the profile first (it names the account holder).
_EXPORT_ORDER = (
    "linkedin_profile",
    "linkedin_connections",
    "linkedin_invitations",
    "linkedin_messages",
)


# What each kind of file is called where people read it.
KIND_LABELS = {
    "linkedin_export": "LinkedIn data export (zip)",
    "linkedin_connections": "LinkedIn connections",
    "linkedin_invitations": "LinkedIn invitations",
    "linkedin_messages": "LinkedIn messages",
    "tracker": "Your tracker spreadsheet",
}


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to read files: whose log they go to, header overrides, ambiguous date order."""

    owner: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    date_order: str = "DMY"


@dataclass(slots=True)
class FileResult:
    """What importing one file did (CONTRACT §5 ``--json``)."""

    path: str
    kind: str | None = None
    rows: int = 0
    contacts_added: int = 0
    contacts_updated: int = 0
    events_added: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def import_path(store: Store, path: str | Path, options: ImportOptions) -> FileResult:
    """Import the file at ``path``; see ``import_bytes``."""
    name = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        return FileResult(name, error=f"{name}: cannot be read ({e.strerror or e})")
    return import_bytes(store, name, data, options)


def import_bytes(store: Store, name: str, data: bytes, options: ImportOptions) -> FileResult:
    """Recognise, parse and store one file. Errors land in ``FileResult.error`` (one line
    naming the file) and leave the workspace unchanged."""
    result = FileResult(name)
    try:
        kind, parts = read_file(data, options)
        result.kind = kind
        result.rows = sum(p.rows for p in parts)
        digest = sha256_of(data)
        if when := previous_import(store, digest, options.owner):
            result.warnings.append(f"already imported on {when}: nothing changed")
            return result
        counts = store_parsed(
            store, parts, file_name=Path(name).name, sha256=digest, kind=kind,
            owner=options.owner,
        )  # fmt: skip
    except ParseError as e:
        result.error = FileImportError(name, e.reason, row=e.row, column=e.column).describe()
        return result
    except InfointError as e:
        result.error = f"{name}: {e}"
        return result
    result.contacts_added = counts.contacts_added
    result.contacts_updated = counts.contacts_updated
    result.events_added = counts.events_added
    result.warnings = counts.warnings
    return result


def read_file(data: bytes, options: ImportOptions) -> tuple[str, list[ParsedFile]]:
    """Recognise a file by its content and parse it: its kind and its parts.

    Raises ParseError when the file is not one infoint can read.
    """
    if not data.strip():
        raise ParseError("the file is empty")
    if data.startswith(_OLE_MAGIC):
        raise ParseError(
            "this is a legacy .xls or a password-protected workbook: "
            "open it in your spreadsheet program and save it as .xlsx without a password"
        )
    kind, parts = _parse(data, options)
    # The backstop for a workbook that does not declare its size: counted once read,
    # still before anything is stored. Each part is one file of an export or one sheet.
    if (rows := max((p.rows for p in parts), default=0)) > MAX_ROWS:
        raise ParseError(_too_many_rows(f"{rows:,} rows"))
    for part in parts:
        drop_script_urls(part)
    return kind, parts


def drop_script_urls(part: ParsedFile) -> None:
    """Leave out every profile URL whose scheme is not http(s), with a warning naming the
    rows: the app shows profile URLs as links, and a ``javascript:`` one would run."""
    dropped = []
    for person in part.people:
        if person.linkedin_url and not is_web_url(person.linkedin_url):
            person.linkedin_url = None
            dropped.append(person.row)
    if dropped:
        rows = ", ".join(map(str, dropped[:5])) + (" …" if len(dropped) > 5 else "")
        part.warnings.append(f"profile URLs that are not web addresses left out (rows {rows})")


def _parse(data: bytes, options: ImportOptions) -> tuple[str, list[ParsedFile]]:
    if export_zip.is_zip(data):
        if export_zip.is_workbook(data):
            check_workbook_shape(data)
            parts = tracker.parse_workbook(
                data, mapping=options.mapping, date_order=options.date_order
            )
            return "tracker", parts
        return "linkedin_export", _read_export(data, options)
    text = decode_text(data)
    check_text_shape(data, text)
    kind = linkedin.detect_linkedin_kind(text)
    if kind == "linkedin_profile":
        raise ParseError("this is LinkedIn's Profile.csv, which lists no contacts")
    if kind is not None:
        return kind, [_parse_linkedin(kind, text, None)]
    return "tracker", [
        tracker.parse_tracker_text(text, mapping=options.mapping, date_order=options.date_order)
    ]


def check_text_shape(data: bytes, text: str) -> None:
    """Refuse a delimited text with more than ``MAX_ROWS`` records or ``MAX_COLUMNS``
    columns, before it is parsed.

    Counting line breaks in the bytes is nearly free and bounds the record count from
    above; records are counted properly only when that bound is over the limit.
    Raises ParseError naming the limit.
    """
    if data.count(b"\n") > MAX_ROWS and count_records(text, MAX_ROWS) > MAX_ROWS:
        raise ParseError(_too_many_rows(f"more than {MAX_ROWS:,} rows"))
    if (width := widest_record(text, _SHAPE_ROWS)) > MAX_COLUMNS:
        raise ParseError(_too_many_columns(f"{width:,} columns"))


def check_workbook_shape(data: bytes) -> None:
    """Refuse a workbook that expands too far or whose sheets span more than ``MAX_ROWS``
    rows or ``MAX_COLUMNS`` columns, from its zip directory and the head of each sheet,
    before the workbook is read.

    Raises ParseError naming the sheet file and the limit.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if sum(i.file_size for i in infos) > MAX_WORKBOOK_BYTES:
                raise ParseError(
                    f"the workbook expands to more than {MAX_WORKBOOK_BYTES // 1024**2:,} MB; "
                    "that is not a tracker"
                )
            for info in infos:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with archive.open(info) as stream:
                        _check_dimension(info.filename, stream.read(_SHEET_HEAD_BYTES))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as e:
        raise ParseError(f"this is not a readable Excel workbook ({e})") from e


def _check_dimension(sheet: str, head: bytes) -> None:
    if (found := _DIMENSION.search(head)) is None:
        return  # not declared: the row count is checked once the sheet is read
    first_col, first_row, last_col, last_row = found.groups()
    rows = int(last_row or first_row) - int(first_row) + 1
    columns = _column_number(last_col or first_col) - _column_number(first_col) + 1
    where = sheet.removeprefix("xl/worksheets/")
    if rows > MAX_ROWS:
        raise ParseError(_too_many_rows(f"{rows:,} rows in {where}"))
    if columns > MAX_COLUMNS:
        raise ParseError(_too_many_columns(f"{columns:,} columns in {where}"))


def _column_number(letters: bytes) -> int:
    """``b"A"`` → 1, ``b"Z"`` → 26, ``b"AA"`` → 27."""
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _too_many_rows(found: str) -> str:
    return (
        f"the file holds {found}; infoint reads at most {MAX_ROWS:,} rows a file: "
        "split it into smaller files"
    )


def _too_many_columns(found: str) -> str:
    return (
        f"the file holds {found}; infoint reads at most {MAX_COLUMNS:,} columns: "
        "keep only the columns of your log"
    )


@dataclass(slots=True)
class FilePreview:
    """What a file looks like before it is imported: its kind and, for a tracker, each
    sheet's headers, proposed mapping and first rows (so the mapping can be corrected)."""

    name: str
    kind: str | None = None
    rows: int = 0
    sheets: list[tracker.TrackerPreview] = field(default_factory=list)
    error: str | None = None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind or "", "Not recognised")


def preview_bytes(name: str, data: bytes, options: ImportOptions) -> FilePreview:
    """Recognise and read a file without storing anything; errors land in ``error``."""
    preview = FilePreview(name)
    try:
        kind, parts = read_file(data, options)
        preview.kind, preview.rows = kind, sum(p.rows for p in parts)
        if kind == "tracker":
            preview.sheets = tracker.preview_tracker(data, mapping=options.mapping or None)
    except ParseError as e:
        preview.error = FileImportError(name, e.reason, row=e.row, column=e.column).describe()
    except InfointError as e:
        preview.error = f"{name}: {e}"
    return preview


def _parse_linkedin(kind: str, text: str, account_holder: str | None) -> ParsedFile:
    if kind == "linkedin_connections":
        return linkedin.parse_connections(text)
    if kind == "linkedin_invitations":
        return linkedin.parse_invitations(text, account_holder)
    return linkedin.parse_messages(text, account_holder)


def _read_export(data: bytes, options: ImportOptions) -> list[ParsedFile]:
    members, warnings = export_zip.read_csv_members(data)
    recognised: list[tuple[str, str, str]] = []
    for member in members:
        try:
            text = decode_text(member.data)
        except ParseError:
            continue
        if kind := linkedin.detect_linkedin_kind(text):
            try:
                check_text_shape(member.data, text)
            except ParseError as e:
                raise ParseError(f"{member.name}: {e.reason}") from e
            recognised.append((kind, member.name, text))
    if not any(kind != "linkedin_profile" for kind, _, _ in recognised):
        raise ParseError(
            "no Connections.csv, Invitations.csv or messages.csv found in this zip; "
            "is it a LinkedIn data export?"
        )
    recognised.sort(key=lambda item: _EXPORT_ORDER.index(item[0]))
    holder, parts = None, []
    for kind, name, text in recognised:
        if kind == "linkedin_profile":
            holder = linkedin.read_profile_name(text)
            continue
        try:
            part = _parse_linkedin(kind, text, holder)
        except ParseError as e:
            raise ParseError(f"{name}: {e.reason}", row=e.row, column=e.column) from e
        holder = holder or part.account_holder
        parts.append(part)
    if parts:
        parts[0].warnings[:0] = warnings
    return parts
