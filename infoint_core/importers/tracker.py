"""A student's own tracker: an Excel workbook or a CSV/TSV text, one contact a row.

The header row may sit below a title (it is looked for in the first rows), its headers
are matched to canonical fields (``infoint_core.headers``), and each row becomes one
``PersonRecord`` plus an ``EventRecord`` for every dated step. Work is done column by
column so that dates are classified once per distinct string, not once per cell.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import compress, zip_longest
from operator import attrgetter

import fastexcel
import polars as pl

from infoint_core.dates import (
    DateOrder,
    check_date_order,
    is_no_mark,
    parse_date_columns,
    parse_yes_mark,
)
from infoint_core.errors import ParseError
from infoint_core.headers import maps_a_log, match_header, normalize_header, propose_mapping
from infoint_core.importers.text import decode_text, read_rows, sniff_delimiter
from infoint_core.records import (
    DECLINED_STATUS,
    EventKind,
    EventRecord,
    ParsedFile,
    PersonRecord,
    Stage,
    bulk_allocation,
)

KIND = "tracker"
HEADER_SEARCH_ROWS = 10  # non-empty rows looked at for the header row

# Dated fields, in the order their events are emitted for a row.
EVENT_FIELDS: dict[str, EventKind] = {
    "contacted_on": EventKind.OUTREACH,
    "responded_on": EventKind.RESPONSE,
    "meeting_on": EventKind.MEETING,
    "thanked_on": EventKind.THANK_YOU,
    "followed_up_on": EventKind.FOLLOW_UP,
    "outcome_reported_on": EventKind.OUTCOME_REPORT,
}
# Only a thank-you is commonly ticked rather than dated (CONTRACT §5).
MARK_FIELDS = frozenset({"thanked_on"})
TEXT_FIELDS = ("email", "linkedin_url", "company", "position", "industry", "source",
               "referred_by", "owner")  # fmt: skip

STATUS_SYNONYMS: dict[str, tuple[str, ...]] = {
    Stage.IDENTIFIED: (
        "identified", "to contact", "new", "not contacted", "not yet contacted", "to do",
        "todo", "prospect", "researching", "planned", "target", "lead", "not started",
        "shortlisted", "found", "to reach out", "to email",
    ),
    Stage.CONTACTED: (
        "contacted", "emailed", "reached out", "messaged", "called", "invited",
        "outreach sent", "message sent", "email sent", "awaiting reply", "awaiting response",
        "waiting", "no response", "no reply", "no answer", "pending", "connection sent",
        "invitation sent",
    ),
    Stage.RESPONDED: (
        "responded", "replied", "answered", "heard back", "got reply", "in conversation",
        "response received",
    ),
    Stage.SCHEDULED: (
        "scheduled", "booked", "meeting scheduled", "interview scheduled", "confirmed",
        "arranged", "upcoming", "set up", "meeting booked", "agreed", "call scheduled",
    ),
    Stage.INTERVIEWED: (
        "interviewed", "met", "done", "completed", "complete", "held", "meeting held",
        "interview done", "had meeting", "had call", "spoke", "talked", "chatted",
        "meeting done", "call done",
    ),
    Stage.THANKED: (
        "thanked", "thank you sent", "sent thank you", "ty sent", "thanks sent",
    ),
    Stage.FOLLOWED_UP: (
        "followed up", "in touch", "following up", "keeping in touch", "stayed in touch",
        "kept in touch", "ongoing", "outcome reported", "reported back", "maintained",
    ),
    DECLINED_STATUS: (
        "declined", "no", "not interested", "rejected", "refused", "turned down", "said no",
        "unavailable", "not available", "no thanks", "cannot help", "can't help", "unable",
    ),
}  # fmt: skip
_STATUS_INDEX: dict[str, str] = {
    normalize_header(synonym): str(status)  # plain strings: "interviewed", not Stage.INTERVIEWED
    for status, synonyms in STATUS_SYNONYMS.items()
    for synonym in (status, *synonyms)
}

EXCEL_ERRORS = frozenset(
    {
        *("#N/A", "#N/A!", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NULL!", "#NUM!"),
        *("#SPILL!", "#CALC!", "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!"),
        *("#BUSY!", "#UNKNOWN!"),
    }
)

_Cell = str | None
_Rows = Sequence[Sequence[_Cell]]


@dataclass(slots=True)
class TrackerPreview:
    """What a page shows before an import so the user can correct the mapping."""

    sheet: str | None  # None for a CSV/TSV text
    header_row: int | None  # 1-based spreadsheet row of the headers; None if no row at all
    headers: list[str]
    mapping: dict[str, str | None]  # header → canonical field (None: not imported)
    rows: list[list[str | None]]  # the first data rows, one cell per header
    is_log: bool  # the mapping reads a name and at least one more field


@dataclass(slots=True)
class _Header:
    index: int  # 0-based index of the header row in the table
    headers: list[str]  # unique display names, one per column
    mapping: dict[str, str | None]
    blank: set[int]  # columns whose header cell was empty


# ---------------------------------------------------------------------------------------
# Public API


def looks_like_tracker(
    headers: list[str], overrides: Mapping[str, str | None] | None = None
) -> bool:
    """True when ``headers`` map a name (or first and last name) and one more field."""
    return maps_a_log(propose_mapping(headers, overrides))


def is_workbook(data: bytes) -> bool:
    """True when ``data`` is an Excel workbook (.xlsx/.xlsm/.xlsb zip, or a legacy .xls)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return True
    if not data.startswith(b"PK"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return bool(names & {"xl/workbook.xml", "xl/workbook.bin"})


def parse_tracker_text(
    text: str,
    *,
    mapping: Mapping[str, str | None] | None = None,
    date_order: str = "DMY",
) -> ParsedFile:
    """Parse a CSV/TSV tracker (delimiter sniffed). ``mapping`` overrides header matching
    as ``--map`` does; ``date_order`` is assumed for numeric dates the column cannot
    decide. ``PersonRecord.row`` is the 1-based record number, as a spreadsheet shows it.

    Raises ParseError for a text with no recognisable header row or with a bad date,
    InputError for a bad mapping or date order.
    """
    order = check_date_order(date_order)
    with bulk_allocation():
        rows = read_rows(text, sniff_delimiter(text))
        header = _find_header(rows, mapping)
        if header is None:
            raise ParseError(_NO_HEADER)
        return _parse_table(rows, header, mapping, order, sheet=None)


def parse_workbook(
    data: bytes,
    *,
    mapping: Mapping[str, str | None] | None = None,
    date_order: str = "DMY",
) -> list[ParsedFile]:
    """Parse every sheet of a workbook that looks like a log, one ParsedFile each.

    Other sheets (instructions, summaries, empty ones) are skipped with a warning (on the
    first ParsedFile) naming the sheet; warnings and errors inside a sheet name it too.
    Raises ParseError when the data is not a readable workbook, when no sheet looks like a
    log, or for a bad date; InputError for a bad mapping or date order.
    """
    return [
        parsed for _, parsed in parse_workbook_sheets(data, mapping=mapping, date_order=date_order)
    ]


def parse_workbook_sheets(
    data: bytes,
    *,
    mapping: Mapping[str, str | None] | None = None,
    date_order: str = "DMY",
) -> list[tuple[str, ParsedFile]]:
    """``parse_workbook`` with each ParsedFile's sheet name beside it."""
    order = check_date_order(date_order)
    with bulk_allocation():
        return _parse_sheets(_read_workbook(data), mapping, order)


def _parse_sheets(
    sheets: dict[str, _Rows], mapping: Mapping[str, str | None] | None, order: DateOrder
) -> list[tuple[str, ParsedFile]]:
    parsed: list[tuple[str, ParsedFile]] = []
    skipped: list[str] = []
    for name, rows in sheets.items():
        header = _find_header(rows, mapping)
        if header is None:
            why = "it is empty" if not any(map(_has_content, rows)) else _NO_HEADER_SHORT
            skipped.append(f"sheet {name!r} skipped: {why}")
            continue
        parsed.append((name, _parse_table(rows, header, mapping, order, sheet=name)))
    if not parsed:
        names = ", ".join(repr(name) for name in sheets) or "none"
        raise ParseError(f"no sheet looks like a networking log (sheets: {names}); {_NO_HEADER}")
    parsed[0][1].warnings[:0] = skipped
    return parsed


def preview_tracker(
    data: bytes | str,
    *,
    mapping: Mapping[str, str | None] | None = None,
    limit: int = 5,
) -> list[TrackerPreview]:
    """Headers, proposed mapping and the first ``limit`` data rows of a tracker: one
    preview per sheet of a workbook (bytes), or one for a CSV/TSV (bytes or text).

    A sheet with no recognisable header row is previewed from its first non-empty row
    with ``is_log`` False, so the user can still map it by hand. Raises ParseError for
    data that is neither a workbook nor text, InputError for a bad mapping.
    """
    if isinstance(data, bytes) and is_workbook(data):
        tables: dict[str | None, _Rows] = dict(_read_workbook(data))
    else:
        text = data if isinstance(data, str) else decode_text(data)
        tables = {None: read_rows(text, sniff_delimiter(text))}
    previews = []
    for name, rows in tables.items():
        header = _find_header(rows, mapping)
        is_log = header is not None
        if header is None:
            first = next((i for i, row in enumerate(rows) if _has_content(row)), None)
            header = _make_header(rows, first, mapping) if first is not None else None
        if header is None:
            previews.append(TrackerPreview(name, None, [], {}, [], False))
            continue
        width = len(header.headers)
        sample = [
            [_clean_cell(row[j]) if j < len(row) else None for j in range(width)]
            for row in rows[header.index + 1 :]
            if _has_content(row)
        ][:limit]
        previews.append(
            TrackerPreview(name, header.index + 1, header.headers, header.mapping, sample, is_log)
        )
    return previews


# ---------------------------------------------------------------------------------------
# Reading

_NO_HEADER_SHORT = "no header row with a name column in its first rows"
_NO_HEADER = (
    f"no header row naming a contact (a Name, or First and Last name, column beside at "
    f"least one other known column) in the first {HEADER_SEARCH_ROWS} rows; "
    f'name the columns with --map "Header=field"'
)


def _read_workbook(data: bytes) -> dict[str, _Rows]:
    """Every sheet as rows of string cells; ``rows[i]`` is spreadsheet row ``i + 1``."""
    try:
        frames = pl.read_excel(
            io.BytesIO(data),
            sheet_id=0,
            engine="calamine",
            infer_schema_length=0,
            has_header=False,
            # Keep leading and inner empty rows so that indices stay spreadsheet rows.
            read_options={"skip_rows": 0},
            drop_empty_rows=False,
            raise_if_empty=False,
        )
    except (fastexcel.FastExcelError, pl.exceptions.PolarsError) as e:
        first_line = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ParseError(f"this is not a readable Excel workbook ({first_line})") from e
    return {name: frame.rows() for name, frame in frames.items()}


def _has_content(row: Sequence[_Cell]) -> bool:
    return bool("".join(filter(None, row)).strip())


def _clean_cell(cell: _Cell) -> str | None:
    if cell is None:
        return None
    return cell.strip() or None


def _find_header(rows: _Rows, overrides: Mapping[str, str | None] | None) -> _Header | None:
    """The first of the first non-empty rows whose headers map a log, or None."""
    looked = 0
    for index, row in enumerate(rows):
        if looked == HEADER_SEARCH_ROWS:
            break
        if not _has_content(row):
            continue
        looked += 1
        header = _make_header(rows, index, overrides)
        if maps_a_log(header.mapping):
            return header
    return None


def _make_header(rows: _Rows, index: int, overrides: Mapping[str, str | None] | None) -> _Header:
    headers: list[str] = []
    blank: set[int] = set()
    seen: set[str] = set()
    repeats: dict[str, int] = {}  # the last number given to each repeated header
    for j, cell in enumerate(rows[index]):
        text = " ".join((cell or "").split())
        if not text:
            blank.add(j)
            text = f"Column {j + 1}"
        unique = text
        while unique in seen:
            repeats[text] = repeats.get(text, 1) + 1
            unique = f"{text} ({repeats[text]})"
        seen.add(unique)
        headers.append(unique)
    mapping = propose_mapping(headers, overrides)
    forced = _override_keys(overrides)
    for j in blank:  # an unlabelled column is never guessed at, only mapped by hand
        if normalize_header(headers[j]) not in forced:
            mapping[headers[j]] = None
    return _Header(index, headers, mapping, blank)


def _override_keys(overrides: Mapping[str, str | None] | None) -> set[str]:
    return {normalize_header(h) for h in overrides or {}}


# ---------------------------------------------------------------------------------------
# Building records


def _parse_table(
    rows: _Rows,
    header: _Header,
    overrides: Mapping[str, str | None] | None,
    order: DateOrder,
    *,
    sheet: str | None,
) -> ParsedFile:
    try:
        parsed = _build(rows, header, overrides, order)
    except ParseError as e:
        if sheet is None:
            raise
        raise ParseError(f"{e.reason} (sheet {sheet!r})", row=e.row, column=e.column) from e
    if sheet is not None:
        parsed.warnings = [f"sheet {sheet!r}: {w}" for w in parsed.warnings]
    return parsed


class _Columns:
    """The cleaned cells of the mapped columns of a table's data rows.

    The rows are transposed once and every mapped column is then handled whole, so the
    per-cell work is a few list comprehensions.
    """

    def __init__(
        self, header: _Header, rows: list[Sequence[_Cell]], numbers: list[int], warnings: list[str]
    ) -> None:
        self.header = header
        self.index = {f: j for j, h in enumerate(header.headers) if (f := header.mapping[h])}
        # One transposition at C speed (zip_longest pads short CSV rows with None); the
        # cost is touching every cell once, which no per-column gather does cheaper.
        transposed = list(zip_longest(*rows)) if rows else []
        self.cells: dict[int, Sequence[_Cell]] = {
            j: transposed[j] for j in self.index.values() if j < len(transposed)
        }
        self.numbers = numbers  # the spreadsheet row of each data row
        self.warnings = warnings

    def header_of(self, field: str) -> str:
        return self.header.headers[self.index[field]]

    def select(self, keep: list[bool]) -> None:
        """Read only the rows where ``keep`` is true from now on."""
        self.cells = {j: list(compress(cells, keep)) for j, cells in self.cells.items()}
        self.numbers = list(compress(self.numbers, keep))

    def values(self, field: str, *, one_line: bool = False) -> list[_Cell]:
        """The cells of ``field``: stripped (whitespace runs collapsed when ``one_line``),
        None when empty or an Excel error such as ``#N/A``."""
        j = self.index.get(field)
        cells = self.cells.get(j) if j is not None else None
        if cells is None:
            return [None] * len(self.numbers)
        if one_line:
            values = [" ".join(c.split()) or None if c else None for c in cells]
        else:
            values = [c.strip() or None if c else None for c in cells]
        # Errors are rare: look for a cell starting with "#" at C speed before scanning.
        if "\x00#" in "\x00" + "\x00".join(filter(None, values)):
            errors = {v for v in values if v and v.upper() in EXCEL_ERRORS}
            if errors:
                values = [None if v in errors else v for v in values]
                self._warn_errors(j, cells, errors)
        return values

    def _warn_errors(self, j: int, cells: Sequence[_Cell], errors: set[str]) -> None:
        kinds = ", ".join(sorted(errors))
        rows = [n for n, c in zip(self.numbers, cells, strict=True) if c and c.strip() in errors]
        self.warnings.append(
            f"column {self.header.headers[j]!r}: Excel errors ({kinds}) read as blank "
            f"({_rows_text(rows)})"
        )


def _build(
    rows: _Rows,
    header: _Header,
    overrides: Mapping[str, str | None] | None,
    order: DateOrder,
) -> ParsedFile:
    result = ParsedFile(kind=KIND)
    after = rows[header.index + 1 :]
    first_number = header.index + 2  # rows[i] is spreadsheet row i + 1
    numbers = list(range(first_number, first_number + len(after)))
    columns = _Columns(header, after, numbers, result.warnings)
    all_names = _names(
        columns.values("name", one_line=True),
        columns.values("first_name", one_line=True),
        columns.values("last_name", one_line=True),
    )
    names = [name for name in all_names if name is not None]
    nameless: list[int] = []
    if len(names) < len(all_names):
        keep = [name is not None for name in all_names]
        # A row with no name is skipped: silently when it is empty, else with a warning.
        nameless = [
            number
            for number, row, kept in zip(numbers, after, keep, strict=True)
            if not kept and _has_content(row)
        ]
        columns.select(keep)
    numbers = columns.numbers
    result.rows = len(names) + len(nameless)

    _warn_unmapped(header, overrides, result.warnings)
    if nameless:
        plural = "s" if len(nameless) > 1 else ""
        result.warnings.append(
            f"{len(nameless)} row{plural} with no name skipped ({_rows_text(nameless)})"
        )

    texts = [columns.values(field, one_line=True) for field in TEXT_FIELDS]
    statuses = _statuses(columns.values("status"), numbers, result.warnings)
    notes = columns.values("notes")
    for number, name, status, note, (email, url, company, position, industry, source,
         referred_by, owner) in zip(numbers, names, statuses, notes, zip(*texts, strict=True),
                                    strict=True):  # fmt: skip
        result.people.append(
            PersonRecord(
                row=number,
                name=name,
                email=email,
                linkedin_url=url,
                company=company,
                position=position,
                industry=industry,
                source=source,
                referred_by=referred_by,
                status=status,
                notes=note,
                owner=owner,
            )
        )

    # Step by step, then into person order (a stable sort keeps the steps' order).
    # EventRecord(person, kind, on) positionally: this makes one object per step.
    for kind, days, ticked in _event_columns(columns, order, result.warnings):
        result.events.extend(
            [EventRecord(k, kind, day) for k, day in enumerate(days) if day is not None]
        )
        result.events.extend([EventRecord(k, kind, None) for k in ticked])
    result.events.sort(key=attrgetter("person"))
    return result


def _names(
    full: list[str | None], first: list[str | None], last: list[str | None]
) -> list[str | None]:
    """The name of each row: the full-name cell, else first and last name joined."""
    return [
        whole or (f"{given} {family}" if given and family else given or family)
        for whole, given, family in zip(full, first, last, strict=True)
    ]


def _statuses(
    values: list[str | None], numbers: list[int], warnings: list[str]
) -> list[str | None]:
    """Each status cell as a Stage value or DECLINED_STATUS; unknown ones None, warned."""
    known = {v: _STATUS_INDEX.get(normalize_header(v)) for v in dict.fromkeys(values) if v}
    out = [known[v] if v else None for v in values]
    unknown: dict[str, list[int]] = {}
    for value, status, number in zip(values, out, numbers, strict=True):
        if value and status is None:
            unknown.setdefault(value, []).append(number)
    for value, rows in unknown.items():
        warnings.append(f"status {value!r} is not a known stage, left empty ({_rows_text(rows)})")
    return out


def _event_columns(
    columns: _Columns, order: DateOrder, warnings: list[str]
) -> list[tuple[EventKind, list[date | None], list[int]]]:
    """For each mapped dated field: its kind, the date of each row (None: no date), and
    the rows ticked as done without a date (a thank-you marked "yes")."""
    raw: dict[str, list[_Cell]] = {}
    ticked: dict[str, list[int]] = {}
    for field in EVENT_FIELDS:
        if field not in columns.index:
            continue
        values = columns.values(field)
        if field in MARK_FIELDS:
            # A yes-mark is done on an unknown day; a no-mark is nothing; else a date.
            tick_of = {v: _tick(v) for v in dict.fromkeys(values) if v}
            if any(t is not None for t in tick_of.values()):
                ticked[field] = [k for k, v in enumerate(values) if v and tick_of[v]]
                values = [None if v and tick_of[v] is not None else v for v in values]
        raw[field] = values
    headers = {field: columns.header_of(field) for field in raw}
    parsed = parse_date_columns(
        {headers[field]: values for field, values in raw.items()},
        rows=columns.numbers,
        default_order=order,
    )
    out: list[tuple[EventKind, list[date | None], list[int]]] = []
    for field in raw:
        dates = parsed[headers[field]]
        warnings.extend(dates.warnings)
        out.append((EVENT_FIELDS[field], dates.values, ticked.get(field, [])))
    return out


def _tick(value: _Cell) -> bool | None:
    if value is None:
        return None
    if parse_yes_mark(value):
        return True
    if is_no_mark(value):
        return False
    return None


def _warn_unmapped(
    header: _Header, overrides: Mapping[str, str | None] | None, warnings: list[str]
) -> None:
    used = {field: h for h, field in header.mapping.items() if field}
    ignored = []
    for j, h in enumerate(header.headers):
        if header.mapping[h] or j in header.blank:
            continue
        if (field := match_header(h)) and field in used:
            ignored.append(f"{h!r} ({field} is read from {used[field]!r})")
        elif normalize_header(h) not in _override_keys(overrides):
            ignored.append(repr(h))
    if ignored:
        warnings.append(f"columns not imported: {', '.join(ignored)}")
    present = {normalize_header(h) for h in header.headers}
    for key in overrides or {}:
        if normalize_header(key) not in present:
            warnings.append(f"the mapping names a column {key!r} that is not in this table")


def _rows_text(numbers: list[int], shown: int = 8) -> str:
    head = ", ".join(str(n) for n in numbers[:shown])
    more = f" and {len(numbers) - shown} more" if len(numbers) > shown else ""
    return f"row{'s' if len(numbers) > 1 else ''} {head}{more}"
