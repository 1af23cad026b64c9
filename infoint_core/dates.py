"""Dates as students write them in a tracker, and the yes/no marks that stand in for them.

A spreadsheet column can mix real date cells (which Polars hands over as
``2026-11-03 00:00:00``), Excel serial numbers, ISO dates, numeric dates such as
``03/11/2026`` and text such as ``Nov 3, 2026``. Numeric dates are ambiguous, so the
day/month order is decided once per column from the values themselves (a first part
above 12 means day first, a second part above 12 means month first) and only falls back
to a default, with a warning, when the column cannot tell.

Every distinct string is classified once (cached), so a column of thousands of rows with a
few hundred distinct values costs a few hundred parses.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal, TypeAlias

from dateutil import parser as dateutil_parser

from infoint_core.errors import InputError, ParseError

DateOrder: TypeAlias = Literal["DMY", "MDY"]
DATE_ORDERS: tuple[DateOrder, ...] = ("DMY", "MDY")

# Excel's day 0 as counted from 1 March 1900 on: Excel counts a fictional 1900-02-29, so
# counting from 1899-12-30 gives the right day for every serial from 61 (1900-03-01) on.
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIAL_MAX = 2958466  # exclusive: serial 2958465 is 9999-12-31

BLANK_MARKS = frozenset(
    {"", "-", "--", "---", "\u2013", "\u2014", "?", "??"}
    | {"n/a", "na", "n.a.", "tbd", "tba", "none", "null"}
)
YES_MARKS = frozenset({"yes", "y", "x", "✓", "✔", "✅", "☑", "true", "done", "sent", "1", "ok"})
NO_MARKS = frozenset({"no", "n", "false", "0", "not yet", "not sent", "✗", "✘", "❌"})

# Month names and abbreviations (English, as LinkedIn and most trackers write them).
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = frozenset(
    {
        *("mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    }
)
_ORDINALS = frozenset({"st", "nd", "rd", "th"})
_NOISE_WORDS = frozenset({"of", "the"})

_ISO = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ].*)?")
_NUMERIC = re.compile(
    r"(\d{1,2})([-/.])(\d{1,2})\2(\d{2}|\d{4})\.?"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]\.?m\.?)?)?",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d+(?:\.\d*)?")
_TOKENS = re.compile(r"\d+|[^\W\d_]+")


@dataclass(slots=True)
class DateColumn:
    """A parsed column: one value per input value, the order used, and what to tell the user."""

    values: list[date | None]
    order: DateOrder | None = None  # the day/month order applied to numeric dates, if any
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------
# Yes/no marks


def _mark_key(value: str | None) -> str:
    return (value or "").strip().rstrip(".!").strip().casefold().replace("\ufe0f", "")


def parse_yes_mark(value: str | None) -> bool:
    """True for a yes-like mark (yes, y, x, ✓, ✔, true, done, sent, 1; any case).

    Everything else — no, n, false, 0, blank, or any other text — is False.
    """
    return _mark_key(value) in YES_MARKS


def is_no_mark(value: str | None) -> bool:
    """True for an explicit no-like mark (no, n, false, 0, not yet, ✗); blank is not one."""
    return _mark_key(value) in NO_MARKS


def is_blank(value: str | None) -> bool:
    """True for an empty cell or a placeholder that means "no date" (-, n/a, tbd, ?, none)."""
    return value is None or value.strip().casefold() in BLANK_MARKS


# ---------------------------------------------------------------------------------------
# One string at a time (cached)

# A classified string is one of:
#   None                    blank
#   date                    a date whatever the day/month order
#   (first, second, year)   a numeric date whose day/month order the column decides
#   str                     text only dateutil may read (the order matters to it too)
_Classified: TypeAlias = date | tuple[int, int, int] | str | None


def _expand_year(text: str) -> int:
    year = int(text)
    if len(text) <= 2:  # the POSIX pivot, as strptime's %y: 69-99 → 1900s, 00-68 → 2000s
        year += 1900 if year >= 69 else 2000
    return year


@lru_cache(maxsize=65536)
def _classify(text: str) -> _Classified:
    """Classify one stripped, non-empty string. Raises ValueError for an impossible date."""
    if text.casefold() in BLANK_MARKS:
        return None
    if m := _ISO.fullmatch(text):
        return date(int(m[1]), int(m[3]), int(m[4]))
    if m := _NUMERIC.fullmatch(text):
        return (int(m[1]), int(m[3]), _expand_year(m[4]))
    if _NUMBER.fullmatch(text):
        serial = float(text)
        if not 1 <= serial < EXCEL_SERIAL_MAX:
            raise ValueError("out of the range of Excel date serial numbers")
        return EXCEL_EPOCH + timedelta(days=int(serial))
    if (found := _month_name_date(text)) is not None:
        return found
    return text


def _month_name_date(text: str) -> date | None:
    """Fast path for "3 Nov 2026", "Nov 3, 2026", "Tuesday, November 3rd, 2026"."""
    tokens = _TOKENS.findall(_strip_accents(text).casefold())
    kept: list[str] = []
    for token in tokens:
        if token in _WEEKDAYS or token in _NOISE_WORDS:
            continue
        if token in _ORDINALS and kept and kept[-1].isdigit():
            continue
        kept.append(token)
    if len(kept) != 3 or sum(t in MONTHS for t in kept) != 1:
        return None
    if not all(t.isdigit() or t in MONTHS for t in kept):
        return None
    a, b, c = kept
    if b in MONTHS and a.isdigit() and len(a) == 4 and len(c) <= 2:  # 2026 Nov 3
        return date(int(a), MONTHS[b], int(c))
    if b in MONTHS and len(a) <= 2 and len(c) in (2, 4):  # 3 Nov 2026
        return date(_expand_year(c), MONTHS[b], int(a))
    if a in MONTHS and len(b) <= 2 and len(c) in (2, 4):  # Nov 3 2026
        return date(_expand_year(c), MONTHS[a], int(b))
    return None


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Two defaults that differ in year, month and day: a string that leaves any of them out
# parses differently under each, and is refused rather than silently completed.
_DEFAULT_A = datetime(1901, 1, 1)
_DEFAULT_B = datetime(1902, 2, 2)


@lru_cache(maxsize=4096)
def _parse_with_dateutil(text: str, dayfirst: bool) -> date:
    """Last resort for text formats the fast paths do not know. Raises ValueError."""
    try:
        first = dateutil_parser.parse(text, dayfirst=dayfirst, default=_DEFAULT_A)
        second = dateutil_parser.parse(text, dayfirst=dayfirst, default=_DEFAULT_B)
    except (ValueError, OverflowError) as e:  # ParserError is a ValueError
        raise ValueError(str(e)) from e
    if first.date() != second.date():
        raise ValueError("the day, month or year is missing")
    return first.date()


def _resolve(found: _Classified, order: DateOrder) -> date | None:
    """The date a classified string stands for under ``order``. Raises ValueError."""
    if found is None or isinstance(found, date):
        return found
    if isinstance(found, tuple):
        first, second, year = found
        day, month = (first, second) if order == "DMY" else (second, first)
        return date(year, month, day)
    return _parse_with_dateutil(found, order == "DMY")


# ---------------------------------------------------------------------------------------
# Public API


def check_date_order(order: str) -> DateOrder:
    """``order`` as a DateOrder ("DMY" or "MDY", any case). Raises InputError otherwise."""
    upper = order.strip().upper()
    if upper == "DMY":
        return "DMY"
    if upper == "MDY":
        return "MDY"
    raise InputError(f"unknown date order {order!r}: use DMY (day first) or MDY (month first)")


def parse_date(value: str | None, order: str = "DMY") -> date | None:
    """One date, with numeric dates read in ``order``; None for a blank-like value.

    Raises ParseError when the value is not a date, InputError for an unknown order.
    """
    return parse_date_column([value], order=order).values[0]


def infer_date_order(
    values: Sequence[str | None],
    *,
    column: str | None = None,
    rows: Sequence[int] | None = None,
) -> DateOrder | None:
    """The day/month order the numeric dates in ``values`` prove, or None if they do not.

    A first part above 12 (``25/01/2026``) proves DMY; a second part above 12
    (``01/25/2026``) proves MDY. Raises ParseError when the column proves both, or for a
    value that is no date under any order.
    """
    return _infer(_Column(values, column, rows))


def parse_date_column(
    values: Sequence[str | None],
    *,
    column: str | None = None,
    rows: Sequence[int] | None = None,
    order: str | None = None,
    default_order: str = "DMY",
) -> DateColumn:
    """Parse a column of strings into dates (None for blank-like values).

    Numeric dates are read in ``order`` if given, else in the order the column proves
    (see ``infer_date_order``), else in ``default_order`` with a warning naming the
    assumption (only when some value would actually read differently). ``rows`` gives the
    1-based spreadsheet row of each value for messages (default: position + 1).

    Raises ParseError naming the row and column of the first value that is not a date,
    or when the column mixes day-first and month-first dates; InputError for an unknown
    order.
    """
    fallback = check_date_order(default_order)
    col = _Column(values, column, rows)
    chosen = check_date_order(order) if order else _infer(col)
    return _parse(col, chosen, fallback)


def parse_date_columns(
    columns: Mapping[str, Sequence[str | None]],
    *,
    rows: Sequence[int] | None = None,
    default_order: str = "DMY",
) -> dict[str, DateColumn]:
    """Parse the date columns of one table (column name → values), as
    ``parse_date_column`` does each, except that a column which cannot tell day from month
    follows the order the other columns prove when they all agree: one student writes
    dates one way. Only when they prove nothing (or disagree) is ``default_order`` assumed.

    Raises ParseError and InputError as ``parse_date_column`` does.
    """
    fallback = check_date_order(default_order)
    cols = {name: _Column(values, name, rows) for name, values in columns.items()}
    proven = {name: _infer(col) for name, col in cols.items()}
    agreed = {o for o in proven.values() if o}
    shared = agreed.pop() if len(agreed) == 1 else None
    return {name: _parse(col, proven[name] or shared, fallback) for name, col in cols.items()}


def _parse(col: _Column, chosen: DateOrder | None, fallback: DateOrder) -> DateColumn:
    warnings: list[str] = []
    if chosen is None:
        chosen = fallback
        ambiguous = next(
            (
                text
                for text in col.texts
                if isinstance(found := col.classify(text), tuple) and found[0] != found[1]
            ),
            None,
        )
        if ambiguous is not None:
            where = f"column {col.column!r}" if col.column else "the dates"
            reading = "day first (DMY)" if fallback == "DMY" else "month first (MDY)"
            warnings.append(
                f"{where}: dates such as {ambiguous!r} could be day-first or month-first; "
                f"assumed {reading}"
            )
    by_raw: dict[str | None, date | None] = {}  # keyed by the value as given
    for raw, text in col.raw_texts.items():
        try:
            by_raw[raw] = _resolve(col.classify(text), chosen)
        except ValueError as e:
            raise col.not_a_date(text, e) from e
    out = list(map(by_raw.get, col.values))  # a blank or None value is not in by_raw
    return DateColumn(values=out, order=chosen, warnings=warnings)


class _Column:
    """One column's distinct values, with the row of each for messages.

    Works on distinct raw strings (``dict.fromkeys`` runs at C speed) and strips each only
    once; the row of a value is looked up only when a message needs it.
    """

    def __init__(
        self, values: Sequence[str | None], column: str | None, rows: Sequence[int] | None
    ) -> None:
        self.values = values
        self.column = column
        self.rows = rows
        self.raw_texts: dict[str, str] = {}  # raw value → stripped text, non-empty only
        self.texts: dict[str, str] = {}  # stripped text → its first raw value
        for raw in dict.fromkeys(values):
            if raw is None:
                continue
            text = raw.strip()
            if text:
                self.raw_texts[raw] = text
                self.texts.setdefault(text, raw)

    def row_of(self, text: str) -> int:
        index = self.values.index(self.texts[text])
        return self.rows[index] if self.rows is not None else index + 1

    def classify(self, text: str) -> _Classified:
        try:
            return _classify(text)
        except ValueError as e:
            raise self.not_a_date(text, e) from e

    def not_a_date(self, text: str, cause: ValueError) -> ParseError:
        reason = f"{text!r} is not a date"
        if _mark_key(text) in YES_MARKS | NO_MARKS:
            reason += " (only a thank-you column may hold a yes/no mark)"
        elif str(cause) and "Unknown string format" not in str(cause):
            reason += f" ({cause})"
        return ParseError(reason, row=self.row_of(text), column=self.column)


def _infer(col: _Column) -> DateOrder | None:
    proofs: dict[DateOrder, str] = {}
    for text in col.texts:
        found = col.classify(text)
        if not isinstance(found, tuple):
            continue
        first, second, _ = found
        if first > 12 and second <= 12:
            proofs.setdefault("DMY", text)
        elif second > 12 and first <= 12:
            proofs.setdefault("MDY", text)
    if len(proofs) == 2:
        dmy, mdy = proofs["DMY"], proofs["MDY"]
        dmy_row, mdy_row = col.row_of(dmy), col.row_of(mdy)
        raise ParseError(
            f"the column mixes day-first ({dmy!r}, row {dmy_row}) and "
            f"month-first ({mdy!r}, row {mdy_row}) dates",
            row=max(dmy_row, mdy_row),
            column=col.column,
        )
    return next(iter(proofs), None)
