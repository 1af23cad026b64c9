"""What the LinkedIn export parsers share: rows with their line numbers, finding the header
row by its names, LinkedIn's date formats, and cleaning single values.

Every LinkedIn file is comma-separated text whose header sits after a preamble that has
changed over the years ("Notes:" paragraphs in Connections.csv since 2021), so the header
is found by the names it holds, never by a fixed line skip.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import lru_cache

# Imported for its side effect too: it lifts the csv module's 128 KiB cap on one field,
# which long message bodies can pass.
import infoint_core.importers.text  # noqa: F401
from infoint_core.dates import MONTHS
from infoint_core.errors import ParseError

CONNECTIONS = "linkedin_connections"
INVITATIONS = "linkedin_invitations"
MESSAGES = "linkedin_messages"
PROFILE = "linkedin_profile"

SOURCE = "LinkedIn"

# The header is searched for among this many rows at the top: preambles are a few lines.
HEADER_SEARCH_ROWS = 20

_MESSAGES_NAMES = frozenset({"conversation id", "from", "to", "date"})
_INVITATIONS_NAMES = frozenset({"from", "to", "sent at", "direction"})
_CONNECTIONS_NAMES = frozenset({"first name", "last name", "connected on"})
_PROFILE_NAMES = frozenset({"first name", "last name"})
# Profile.csv has no column of its own that every vintage shares, so one of these suffices.
_PROFILE_MARKERS = frozenset({"maiden name", "birth date", "headline", "geo location", "zip code"})

# How error messages name the columns a header must have.
_REQUIRED_LABELS = {
    MESSAGES: "CONVERSATION ID, FROM, TO and DATE",
    INVITATIONS: "From, To, Sent At and Direction",
    CONNECTIONS: "First Name, Last Name and Connected On",
    PROFILE: "First Name, Last Name and Headline",
}

Row = tuple[int, list[str]]  # (1-based line where the row starts, its fields)


def kind_of_header(names: frozenset[str] | set[str]) -> str | None:
    """The LinkedIn file kind whose header holds ``names`` (normalised), or None."""
    if names >= _MESSAGES_NAMES:
        return MESSAGES
    if names >= _INVITATIONS_NAMES:
        return INVITATIONS
    if names >= _CONNECTIONS_NAMES:
        return CONNECTIONS
    if names >= _PROFILE_NAMES and names & _PROFILE_MARKERS:
        return PROFILE
    return None


def normalise_name(cell: str) -> str:
    """A header cell compared without case, byte-order mark or extra spaces."""
    return " ".join(cell.replace("\ufeff", "").split()).casefold()


def iter_rows(text: str) -> Iterator[Row]:
    """Yield each CSV row of ``text`` with the 1-based line it starts on.

    Quoted fields may span lines, so the line of a row is tracked from the reader rather
    than counted. Raises ParseError (with the line) where the text is not valid CSV.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as e:
        raise ParseError(f"the file is not valid CSV: {e}", row=line) from e


@dataclass(slots=True)
class Header:
    """The header row of a LinkedIn file: where it is, and which column holds what."""

    line: int
    cells: list[str]
    positions: dict[str, int]  # normalised name -> first column that has it

    def find(self, name: str) -> int | None:
        """The column of ``name`` (normalised, e.g. "connected on"), or None."""
        return self.positions.get(name)

    def label(self, position: int) -> str:
        """The column's name as the file writes it, for error messages."""
        return self.cells[position].replace("\ufeff", "").strip()


def find_header(rows: Iterator[Row], kind: str | None = None) -> tuple[str, Header] | None:
    """Consume ``rows`` up to the first header row of a LinkedIn file (of ``kind``, if
    given) and return its kind and ``Header``; None if the top of the file holds none.

    The rest of ``rows`` is left for the caller: the data rows follow the header.
    """
    for count, (line, cells) in enumerate(rows):
        if count >= HEADER_SEARCH_ROWS:
            return None
        names = [normalise_name(c) for c in cells]
        found = kind_of_header(frozenset(names))
        if found is not None and (kind is None or found == kind):
            positions: dict[str, int] = {}
            for i, name in enumerate(names):
                positions.setdefault(name, i)
            return found, Header(line, cells, positions)
    return None


def require_header(text: str, kind: str, what: str) -> tuple[Iterator[Row], Header]:
    """The rows of ``text`` positioned after its header of ``kind``.

    Raises ParseError when no such header is near the top (``what`` names the file).
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    rows = iter_rows(text)
    found = find_header(rows, kind)
    if found is None:
        raise ParseError(
            f"this is not a LinkedIn {what}: no header row with "
            f"{_REQUIRED_LABELS[kind]} in its first {HEADER_SEARCH_ROWS} rows"
        )
    return rows, found[1]


def data_rows(rows: Iterable[Row], width: int, misshapen: list[int]) -> Iterator[Row]:
    """The data rows after a header of ``width`` fields.

    Blank lines are dropped. A row with a different number of fields (a stray comma or
    quote) cannot be read safely: its line is appended to ``misshapen`` and it is dropped.
    Extra trailing fields that are empty are cut off.
    """
    for line, cells in rows:
        if len(cells) == width:
            if not "".join(cells).strip():
                continue
            yield line, cells
            continue
        if not "".join(cells).strip():
            continue
        if len(cells) > width and not "".join(cells[width:]).strip():
            yield line, cells[:width]
            continue
        misshapen.append(line)


def plural(count: int, one: str, many: str) -> str:
    """``"1 row"`` or ``"3 rows"``: the count with the right word."""
    return f"{count} {one if count == 1 else many}"


def was_were(count: int) -> str:
    """The verb that agrees with ``count``."""
    return "was" if count == 1 else "were"


def describe_lines(lines: list[int], limit: int = 5) -> str:
    """``"line 7"``, ``"lines 7, 9"`` or ``"lines 7, 9, 12, 15, 20 and 4 more"``."""
    shown = ", ".join(str(n) for n in lines[:limit])
    more = f" and {len(lines) - limit} more" if len(lines) > limit else ""
    return f"{'line' if len(lines) == 1 else 'lines'} {shown}{more}"


def misshapen_warning(lines: list[int], width: int) -> str | None:
    """One warning summarising the rows ``data_rows`` dropped, or None when there were none."""
    if not lines:
        return None
    return (
        f"{plural(len(lines), 'row', 'rows')} with a number of fields other than the "
        f"header's {width} could not be read and {was_were(len(lines))} "
        f"skipped ({describe_lines(lines)})"
    )


def clean(value: str) -> str | None:
    """The value without surrounding spaces; None when nothing is left."""
    value = value.strip()
    return value or None


def clean_email(value: str) -> str | None:
    """An email address, or None: LinkedIn's 2018 export puts ``urn:li:member:…`` member
    ids in the Email Address column, and those are not addresses."""
    value = value.strip()
    if "@" not in value or value[:7].casefold() == "urn:li:":
        return None
    return value


# --- dates ---------------------------------------------------------------------------------


# A stamp is a day, then optionally a time of day after a comma, spaces or "T". The day
# and the time are parsed (and cached) apart: a 2018 export has a distinct time on almost
# every row but only a few thousand distinct days.
_STAMP = re.compile(
    r"\s*(\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[ -][A-Za-z]{3,9}\.?[ -]\d{4})"
    r"(?:(?:,\s*|\s+|T)(.*?))?\s*"
)
# 1/8/18 (Connections 2018, Invitations): month first, two- or four-digit year.
_US_NUMERIC = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
# 08 Feb 2023 (Connections since 2021).
_DAY_MONTH_NAME = re.compile(r"(\d{1,2})[ -]([A-Za-z]{3,9})\.?[ -](\d{4})")
# 2023-02-07 (messages.csv).
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# 6:14 PM, 14:37:00 UTC, 14:37:00.123Z, or only the zone.
_CLOCK = re.compile(
    r"(?:(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*([AP]M)?)?\s*(?:UTC|GMT|Z|[+-]00:?00)?",
    re.IGNORECASE,
)
_FORMAT_HINT = "LinkedIn writes dates like 08 Feb 2023, 2/7/23 or 2023-02-07"


@lru_cache(maxsize=65536)
def parse_timestamp(value: str) -> datetime | None:
    """A LinkedIn date or date-and-time string as a naive ``datetime`` (midnight when no
    time is given), or None when the string is not one of LinkedIn's date formats.

    Cached per distinct string: an export repeats the same few thousand dates.
    """
    m = _STAMP.fullmatch(value)
    if m is None:
        return None
    day = _parse_day(m[1])
    if day is None:
        return None
    if not m[2]:
        return datetime(day.year, day.month, day.day)
    clock = _parse_clock(m[2])
    return None if clock is None else datetime.combine(day, clock)


@lru_cache(maxsize=16384)
def _parse_day(value: str) -> date | None:
    """The day of a stamp. Two-digit years are 20YY (LinkedIn opened in 2003)."""
    try:
        if m := _US_NUMERIC.fullmatch(value):
            year = int(m[3])
            return date(year + 2000 if len(m[3]) == 2 else year, int(m[1]), int(m[2]))
        if m := _ISO.fullmatch(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _DAY_MONTH_NAME.fullmatch(value):
            month = MONTHS.get(m[2].casefold())
            return None if month is None else date(int(m[3]), month, int(m[1]))
    except ValueError:  # 2/30/23: shaped like a date, but not one
        return None
    return None


@lru_cache(maxsize=16384)
def _parse_clock(value: str) -> time | None:
    """The time of day of a stamp (24-hour, or 12-hour with AM/PM)."""
    m = _CLOCK.fullmatch(value)
    if m is None:
        return None
    hour, minute, second = int(m[1] or 0), int(m[2] or 0), int(m[3] or 0)
    if m[4]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if m[4].upper() == "PM" else 0)
    try:
        return time(hour, minute, second)
    except ValueError:  # 25:00
        return None


@lru_cache(maxsize=65536)
def parse_date(value: str) -> date | None:
    """A LinkedIn date string as a ``date`` (time dropped), or None if it is not one.

    The time, when there is one, must still be a time: "1/8/18, 6:74 PM" is not a date.
    """
    m = _STAMP.fullmatch(value)
    if m is None or (m[2] and _parse_clock(m[2]) is None):
        return None
    return _parse_day(m[1])


def not_a_date(value: str, line: int, column: str) -> ParseError:
    """The error for a value in a date column that is not a date."""
    return ParseError(f"{value.strip()!r} is not a date ({_FORMAT_HINT})", row=line, column=column)


def read_date(value: str, line: int, column: str) -> date | None:
    """The date in a date column: None when empty.

    Raises ParseError (with row and column) when the value is not a date.
    """
    if not value or value.isspace():
        return None
    on = parse_date(value)
    if on is None:
        raise not_a_date(value, line, column)
    return on


def url_key(url: str) -> str:
    """A profile URL compared without case or a trailing slash: only to tell whether two
    mentions in one file are the same person. URLs are stored as written."""
    return url.rstrip("/").casefold()


def name_key(name: str) -> str:
    """A person's name compared without case or extra spaces."""
    return " ".join(name.split()).casefold()
