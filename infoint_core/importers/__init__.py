"""Import: any file a student has, recognised by its content, stored as one transaction.

``import_file`` is what the CLI and the Import page call; it never raises for a bad file
but reports the error in the result, so one bad file among several does not stop the rest.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from infoint_core.errors import FileImportError, InfointError, ParseError
from infoint_core.importers import export_zip, linkedin, tracker
from infoint_core.importers.text import decode_text
from infoint_core.ingest import previous_import, sha256_of, store_parsed
from infoint_core.records import ParsedFile
from infoint_core.store import Store

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
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
    if export_zip.is_zip(data):
        if export_zip.is_workbook(data):
            parts = tracker.parse_workbook(
                data, mapping=options.mapping, date_order=options.date_order
            )
            return "tracker", parts
        return "linkedin_export", _read_export(data, options)
    text = decode_text(data)
    kind = linkedin.detect_linkedin_kind(text)
    if kind == "linkedin_profile":
        raise ParseError("this is LinkedIn's Profile.csv, which lists no contacts")
    if kind is not None:
        return kind, [_parse_linkedin(kind, text, None)]
    return "tracker", [
        tracker.parse_tracker_text(text, mapping=options.mapping, date_order=options.date_order)
    ]


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
