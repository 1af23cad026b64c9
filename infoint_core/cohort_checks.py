"""The share format's rules for rows, checked over the rows of every file at once.

A cohort's shares are checked together (``cohort_shares`` reads them in one scan): each
rule is one expression over all the rows, and what it finds is put down to the file and
row it came from, so a bad file is still refused alone, with the first thing wrong in it.
Rows come placed: ``file`` (an index) and ``row`` (from 1) beside the share's columns,
text already stripped, "" as null.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from infoint_core.records import DECLINED_STATUS, STAGES, EventKind

_KINDS = frozenset(k.value for k in EventKind)
_STATUSES = frozenset({*(s.value for s in STAGES), DECLINED_STATUS})


@dataclass(frozen=True, slots=True)
class RowProblem:
    """The first thing wrong with a file's rows, and where (``row`` None: no one row)."""

    reason: str
    column: str
    row: int | None = None


@dataclass(frozen=True, slots=True)
class _RowCheck:
    """Rows the format does not allow: which column, and how the problem reads.

    ``words``: the column holds a few distinct values, so the check is tried on those
    first, and the rows are only searched when one of them is bad (never in a file
    infoint writes): cheaper than testing a million rows.
    """

    column: str
    bad: pl.Expr
    what: str
    words: bool = False


def _allowed(column: str, values: frozenset[str]) -> pl.Expr:
    return pl.col(column).is_null() | pl.col(column).is_in(sorted(values))


# In the order a file's problems are reported: only its first is.
_ROW_CHECKS = (
    _RowCheck("contact", pl.col("contact").is_null(), "a row without a contact"),
    _RowCheck("kind", ~_allowed("kind", _KINDS), "a step kind the format lacks", words=True),
    _RowCheck("status", ~_allowed("status", _STATUSES), "a status the format lacks", words=True),
)
_LOOP = RowProblem("its referral links go round in a circle", "referred_by")


def row_problems(rows: pl.DataFrame) -> dict[int, RowProblem]:
    """The first problem of each file whose rows break the format, by file: a row check
    failing (at its first row, in the order of ``_ROW_CHECKS``), or referral links that
    go round in a circle (the read-outs walk chains)."""
    problems: dict[int, RowProblem] = {}
    for check in _ROW_CHECKS:
        if check.words and rows.select(pl.col(check.column).unique()).filter(check.bad).is_empty():
            continue
        found = rows.filter(check.bad).unique("file", keep="first", maintain_order=True)
        for file, row, value in found.select("file", "row", check.column).iter_rows():
            shown = "" if value is None else f": {str(value)[:30]!r}"
            problems.setdefault(file, RowProblem(f"{check.what}{shown}", check.column, row))
    for file in _looping_files(rows):
        problems.setdefault(file, _LOOP)
    return problems


def _looping_files(rows: pl.DataFrame) -> list[int]:
    """Files whose referral links (each contact's first referrer) go round in a circle.

    Every file at once, by pointer doubling: each contact's referrer is replaced by the
    referrer's referrer, then that one's, the distance doubling each round. A chain ends
    within a few rounds; one still going after more steps than its file has links has
    come back on itself.
    """
    links = (
        rows.filter(pl.col("referred_by").is_not_null())
        .unique(["file", "contact"], keep="first", maintain_order=True)
        .select("file", "contact", up="referred_by")
    )
    sizes = links.group_by("file").agg(links=pl.len())
    looping: list[int] = []
    reach = links  # each contact and the one ``steps`` referrals above it
    steps = 1
    while reach.height:
        stuck = reach.join(sizes, on="file").filter(pl.col("links") < steps)
        looping += stuck["file"].unique().to_list()
        reach = reach.join(stuck.select("file").unique(), on="file", how="anti")
        above = reach.select("file", up="contact", further="up")
        reach = reach.join(above, on=["file", "up"]).select("file", "contact", up="further")
        steps *= 2
    return sorted(looping)
