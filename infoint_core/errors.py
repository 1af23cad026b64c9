"""The one exception family of infoint.

Library errors (DuckDB, Polars, zipfile, openpyxl...) are wrapped where they enter the
core, so callers only ever catch ``InfointError``. The CLI turns one into a single line
and exit status 1; the pages show it with ``st.error``.
"""

from __future__ import annotations


class InfointError(Exception):
    """Something the user can fix went wrong; the message says what."""


class WorkspaceError(InfointError):
    """The workspace database cannot be opened, read or upgraded."""


class NotFoundError(InfointError):
    """A named owner, contact or record does not exist."""


class InputError(InfointError):
    """A value given by the user (a date, a mapping, an option) is not valid."""


class ReferralCycleError(InfointError):
    """The referral data loops back on itself."""


class FileImportError(InfointError):
    """A file could not be imported; nothing of it was stored.

    The message names the file and, where known, the row and the column.
    """

    def __init__(
        self,
        path: str,
        reason: str,
        *,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.path = path
        self.reason = reason
        self.row = row
        self.column = column
        super().__init__(self.describe())

    def describe(self) -> str:
        where = []
        if row := self.row:
            where.append(f"row {row}")
        if self.column:
            where.append(f"column {self.column!r}")
        place = f" ({', '.join(where)})" if where else ""
        return f"{self.path}{place}: {self.reason}"


class ParseError(InfointError):
    """A parser could not read part of a file; turned into ``FileImportError`` by the caller
    that knows the file name."""

    def __init__(self, reason: str, *, row: int | None = None, column: str | None = None):
        self.reason = reason
        self.row = row
        self.column = column
        super().__init__(reason)
