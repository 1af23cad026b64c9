"""Cohort statistics for a career centre (CONTRACT §7): ``infoint cohort`` and the Cohort page.

The way through, each step its own module:

1. ``load_shares`` (``cohort_shares``): share files, zips and folders → an in-memory
   workspace, one owner per student; bad files become one-line errors.
2. ``collect_facts`` (``cohort_facts``): the read-outs a student sees, per student.
3. ``summarise_cohort`` (here): every figure of every view (``cohort_views``), for the
   whole cohort, each programme and each graduation year, put through small-cell
   protection (``cohort_suppression``) once. Everything shown anywhere (the JSON, the
   page, the charts, the reports) is read from the ``CohortSummary`` it returns, so
   every output withholds exactly the same figures.

A withheld figure is ``null`` with ``"suppressed": true`` in JSON and "fewer than N"
where people read it. Programmes and graduation years are both worked out even when
only one is shown, so no two outputs withhold differently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.cohort_facts import (
    NOT_GIVEN,
    CohortFacts,
    NoShareError,
    collect_facts,
    read_cohort,
)
from infoint_core.cohort_shares import Cohort, FileError, ShareFileError, load_shares
from infoint_core.cohort_suppression import (
    MIN_CELL_DEFAULT,
    MIN_CELL_FLOOR,
    Cell,
    Key,
    Relation,
    check_min_cell,
    suppress,
)
from infoint_core.cohort_views import (
    ALL_STUDENTS,
    BREAKDOWNS,
    OVERALL,
    SECTION,
    STUDENTS,
    VIEWS,
    VIEWS_BY_KEY,
    CohortView,
    FigureKind,
    Format,
    Ref,
    members,
)
from infoint_core.errors import InputError

__all__ = [
    "ALL_STUDENTS",
    "BREAKDOWNS",
    "MIN_CELL_DEFAULT",
    "MIN_CELL_FLOOR",
    "NOT_GIVEN",
    "OVERALL",
    "VIEWS",
    "Cohort",
    "CohortFacts",
    "CohortSummary",
    "FileError",
    "NoShareError",
    "ShareFileError",
    "check_min_cell",
    "cohort_to_json",
    "collect_facts",
    "display_frame",
    "fewer_than",
    "format_cohort",
    "format_figure",
    "load_shares",
    "read_cohort",
    "summarise_cohort",
    "suppression_note",
    "view_frame",
]

_SIZE_FIGURE = ("students", "", "students")  # a group's size: view, row, figure
_FIGURE_COLUMNS = [*SECTION, "view", "row", "figure", "value", "students"]


@dataclass(frozen=True, slots=True)
class CohortSummary:
    """The cohort's figures after small-cell protection: what every output shows.

    ``sections``: breakdown, group, students (null when withheld), suppressed, in the
    order shown (the whole cohort, then programmes, then graduation years).
    ``figures``: breakdown, group, view, row, figure, value, suppressed, students. A
    withheld figure has a null ``value``; ``students`` (how many students a figure rests
    on) is kept for checks and is never shown.
    """

    as_of: date
    min_cell: int
    students: int
    sections: pl.DataFrame
    figures: pl.DataFrame
    rows: dict[str, list[str]]
    errors: tuple[FileError, ...] = ()
    replaced: int = 0

    def groups(self, breakdown: str) -> list[str]:
        """The groups of ``breakdown`` (``programme`` or ``year``), in order."""
        chosen = self.sections.filter(pl.col("breakdown") == _breakdown(breakdown))
        return chosen["group"].to_list()


def summarise_cohort(facts: CohortFacts, min_cell: int = MIN_CELL_DEFAULT) -> CohortSummary:
    """Every view's figures for the cohort, each programme and each graduation year, with
    every figure about fewer than ``min_cell`` students withheld, and every figure that
    could be worked back out from the ones shown beside it withheld too.

    A group too small to show is withheld whole. Raises InputError for a ``min_cell``
    below ``MIN_CELL_FLOOR``.
    """
    check_min_cell(min_cell)
    member_frame = members(facts)
    sections = _sections(member_frame)
    rows = {view.key: view.rows(facts) for view in VIEWS}
    wanted = pl.DataFrame(
        [(key, row) for key, keyed in rows.items() for row in keyed],
        schema={"view": pl.String, "row": pl.String},
        orient="row",
    )
    cells = pl.concat(
        [
            view.cells(facts, member_frame).with_columns(view=pl.lit(view.key))
            .select(_FIGURE_COLUMNS)
            for view in VIEWS
        ]
    ).join(wanted, on=["view", "row"], how="semi")  # fmt: skip
    relations = _relations(sections, rows)
    hidden = _protect(cells, relations, min_cell)
    figures = _figures(cells, hidden, sections, rows)
    size = figures.filter(
        (pl.col("view") == _SIZE_FIGURE[0]) & (pl.col("figure") == _SIZE_FIGURE[2])
    ).select(*SECTION, students=pl.col("value").cast(pl.Int64), suppressed="suppressed")
    order = pl.DataFrame(sections, schema={"breakdown": pl.String, "group": pl.String},
                         orient="row").with_row_index("order")  # fmt: skip
    return CohortSummary(
        as_of=facts.as_of,
        min_cell=min_cell,
        students=facts.students.height,
        sections=order.join(size, on=SECTION).sort("order").drop("order"),
        figures=figures,
        rows=rows,
        errors=facts.errors,
        replaced=facts.replaced,
    )


def view_frame(
    summary: CohortSummary,
    view: str,
    breakdown: str | None = None,
    *,
    with_overall: bool = False,
) -> pl.DataFrame:
    """One view as released: ``breakdown``, ``group``, the view's row (``stage``,
    ``rule``...; none for a one-row view), every figure (counts as integers; null when
    withheld or when there is nothing to work it out from) and ``withheld`` (the figures
    withheld in the row).

    ``breakdown`` None gives the whole cohort; ``programme`` or ``year`` its groups, after
    the whole cohort with ``with_overall``. Raises InputError for an unknown view or
    breakdown.
    """
    spec = _view(view)
    chosen = _chosen(summary, breakdown, with_overall)
    order = pl.DataFrame(chosen, schema={"breakdown": pl.String, "group": pl.String},
                         orient="row").with_row_index("section")  # fmt: skip
    row_order = pl.DataFrame({"row": summary.rows[spec.key]}).with_row_index("row_order")
    figure_order = {f.key: i for i, f in enumerate(spec.figures)}
    long = (
        summary.figures.filter(pl.col("view") == spec.key)
        .join(order, on=SECTION)
        .join(row_order, on="row")
        .with_columns(
            figure_order=pl.col("figure").replace_strict(figure_order, return_dtype=pl.Int64)
        )
    )
    index = ["section", "row_order", *SECTION, "row"]
    wide = long.pivot(on="figure", index=index, values="value")
    withheld = (
        long.sort("figure_order")
        .group_by(index)
        .agg(withheld=pl.col("figure").filter(pl.col("suppressed")))
    )
    typed = [
        pl.col(f.key).cast(pl.Int64 if f.additive else pl.Float64).alias(f.key)
        for f in spec.figures
    ]
    frame = wide.join(withheld, on=index).sort("section", "row_order")
    row = [pl.col("row").alias(spec.row_key)] if spec.row_key else []
    return frame.select(*SECTION, *row, *typed, "withheld")


def cohort_to_json(summary: CohortSummary, by: str | None = None) -> dict[str, Any]:
    """The cohort as CONTRACT §7's JSON: ``students``, the figures of the whole cohort
    (``funnel`` as in §6, summed), and with ``by`` the ``groups`` of that breakdown, each
    with ``group``, ``students`` (null when withheld), ``suppressed`` and its figures.

    Every object holding figures says ``"suppressed": true`` when any is withheld (null)
    and lists them in ``withheld``. Raises InputError for an unknown breakdown.
    """
    result: dict[str, Any] = {
        "as_of": summary.as_of.isoformat(),
        "min_cell": summary.min_cell,
        "students": summary.students,
        "files": {
            "loaded": summary.students,
            "replaced": summary.replaced,
            "errors": [{"file": e.file, "error": e.reason} for e in summary.errors],
        },
    }
    sections = _sections_json(summary, by)
    result |= sections[OVERALL, ALL_STUDENTS]
    if by is not None:
        breakdown = _breakdown(by)
        result["by"] = breakdown
        result["groups"] = [
            {"group": section["group"], "students": section["students"],
             "suppressed": section["suppressed"], **sections[breakdown, section["group"]]}
            for section in summary.sections.filter(pl.col("breakdown") == breakdown)
            .iter_rows(named=True)
        ]  # fmt: skip
    return result


def fewer_than(min_cell: int) -> str:
    """How a withheld figure reads: "fewer than 10"."""
    return f"fewer than {min_cell}"


def suppression_note(min_cell: int) -> str:
    """The sentence shown under every table and chart with withheld figures."""
    return (
        f"“{fewer_than(min_cell)}”: the figure rests on fewer than {min_cell} students, or is "
        f"held back so that one that does cannot be worked out from the totals beside it. "
        f"No figure here is about fewer than {min_cell} students."
    )


def display_frame(
    summary: CohortSummary,
    view: str,
    breakdown: str | None = None,
    *,
    with_overall: bool = True,
) -> pl.DataFrame:
    """One view as text for people: a column per figure under its label, a withheld
    figure as "fewer than N" and a missing one as "–". With a ``breakdown``, a first
    column names the group (the whole cohort first, with ``with_overall``).
    """
    spec = _view(view)
    frame = view_frame(summary, view, breakdown, with_overall=with_overall and bool(breakdown))
    hidden = fewer_than(summary.min_cell)
    columns: dict[str, list[str]] = {}
    if breakdown:
        columns[BREAKDOWNS[_breakdown(breakdown)]] = frame["group"].to_list()
    if spec.row_key:
        columns[spec.row_label] = [spec.row_name(r) for r in frame[spec.row_key]]
    for figure in spec.figures:
        columns[figure.label] = [
            hidden if figure.key in withheld else format_figure(value, figure.format)
            for value, withheld in zip(frame[figure.key], frame["withheld"], strict=True)
        ]
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def format_figure(value: float | None, kind: Format) -> str:
    """A released figure as people read it: 1,234 · 2.5 · 25 %; nothing → "–"."""
    if value is None:
        return "–"
    if kind == Format.SHARE:
        return f"{value:.0%}".replace("%", " %")
    if kind == Format.INTEGER:
        return f"{value:,.0f}"
    text = f"{value:,.1f}"
    return text.removesuffix(".0")


def format_cohort(summary: CohortSummary, by: str | None = None) -> str:
    """The cohort as plain text: every view as a table (and by ``by``, when given)."""
    lines = [
        f"Cohort of {summary.students:,} students, judged on {summary.as_of:%Y-%m-%d}"
        + (f" ({summary.replaced:,} older shares replaced)" if summary.replaced else ""),
    ]
    for spec in VIEWS[1:]:
        lines += ["", spec.title, "-" * len(spec.title)]
        lines += _text_table(display_frame(summary, spec.key, by))
    if summary.figures["suppressed"].any():
        lines += ["", suppression_note(summary.min_cell)]
    return "\n".join(lines)


# Inside --------------------------------------------------------------------------------


def _view(key: str) -> CohortView:
    try:
        return VIEWS_BY_KEY[key]
    except KeyError:
        raise InputError(
            f"no cohort view called {key!r} (known: {', '.join(VIEWS_BY_KEY)})"
        ) from None


def _breakdown(by: str) -> str:
    if by not in BREAKDOWNS:
        raise InputError(f"a cohort is broken down by {' or '.join(BREAKDOWNS)}, not {by!r}")
    return by


def _sections(member_frame: pl.DataFrame) -> list[tuple[str, str]]:
    """The whole cohort, then each breakdown's groups by name ("Not given" last)."""
    sections = [(OVERALL, ALL_STUDENTS)]
    for breakdown in BREAKDOWNS:
        groups = member_frame.filter(pl.col("breakdown") == breakdown)["group"].unique()
        sections += [(breakdown, g) for g in sorted(groups, key=lambda g: (g == NOT_GIVEN, g))]
    return sections


def _chosen(
    summary: CohortSummary, breakdown: str | None, with_overall: bool
) -> list[tuple[str, str]]:
    overall = [(OVERALL, ALL_STUDENTS)]
    if breakdown is None or breakdown == OVERALL:
        return overall
    groups = [(_breakdown(breakdown), g) for g in summary.groups(breakdown)]
    return overall + groups if with_overall else groups


def _relations(sections: list[tuple[str, str]], rows: dict[str, list[str]]) -> list[Relation]:
    """The sums shown side by side: each breakdown's groups add up to the whole cohort,
    figure by figure; a distribution's bins add up to the group's size."""
    groups = {b: [g for s, g in sections if s == b] for b in BREAKDOWNS}
    relations = []
    for view in VIEWS:
        for figure in view.figures:
            if not figure.additive:
                continue
            for row in rows[view.key]:
                total = (OVERALL, ALL_STUDENTS, view.key, row, figure.key)
                relations += [
                    Relation(
                        total,
                        tuple((b, g, view.key, row, figure.key) for g in names),
                        positive=view is STUDENTS,
                    )
                    for b, names in groups.items()
                ]
        if view.sums_to_students:
            relations += [
                Relation(
                    (b, g, *_SIZE_FIGURE),
                    tuple((b, g, view.key, row, "students") for row in rows[view.key]),
                )
                for b, g in sections
            ]
    return relations


def _protect(cells: pl.DataFrame, relations: list[Relation], min_cell: int) -> frozenset[Key]:
    """The figures to withhold. Groups first: a group too small to show (and the
    sibling withheld beside it) is withheld whole; then figure by figure."""
    table = [
        Cell((b, g, v, r, f), value, students, pinned=(b == OVERALL and (v, r, f) == _SIZE_FIGURE))
        for b, g, v, r, f, value, students in cells.iter_rows()
    ]
    sizes = [c for c in table if c.key[2:] == _SIZE_FIGURE]
    size_relations = [r for r in relations if r.total[2:] == _SIZE_FIGURE and r.positive]
    hidden = suppress(sizes, size_relations, min_cell)
    while True:
        out = {k[:2] for k in hidden if k[2:] == _SIZE_FIGURE}
        forced = {c.key for c in table if c.key[:2] in out} | hidden
        hidden = suppress(table, relations, min_cell, forced=forced)
        if {k[:2] for k in hidden if k[2:] == _SIZE_FIGURE} == out:
            return hidden


def _figures(
    cells: pl.DataFrame,
    hidden: frozenset[Key],
    sections: list[tuple[str, str]],
    rows: dict[str, list[str]],
) -> pl.DataFrame:
    """Counts and statistics with withheld values nulled, and every ratio worked out
    from its parts (withheld when either part is)."""
    values: dict[Key, float | None] = {
        (b, g, v, r, f): value for b, g, v, r, f, value, _ in cells.iter_rows()
    }
    out = {k[:2] for k in hidden if k[2:] == _SIZE_FIGURE}
    ratios = []
    for view in VIEWS:
        for figure in view.figures:
            if figure.ratio is None:
                continue
            numerator, denominator = figure.ratio
            for section in sections:
                for row in rows[view.key]:
                    top = _ref(numerator, section, view.key, row, rows)
                    bottom = _ref(denominator, section, view.key, row, rows)
                    # the first stage has no conversion at all: nothing there to withhold
                    withheld = section in out or (
                        bottom is not None and (top in hidden or bottom in hidden)
                    )
                    value = None
                    if top and bottom and not withheld and values[bottom]:
                        value = (values[top] or 0) / values[bottom]  # type: ignore[operator]
                    ratios.append((*section, view.key, row, figure.key, value, withheld, None))
    schema = {**dict.fromkeys([*SECTION, "view", "row", "figure"], pl.String),
              "value": pl.Float64, "suppressed": pl.Boolean, "students": pl.Int64}  # fmt: skip
    keys = pl.concat_list(*SECTION, "view", "row", "figure")
    hidden_keys = pl.Series([list(k) for k in hidden], dtype=pl.List(pl.String))
    counted = cells.with_columns(suppressed=keys.is_in(hidden_keys.implode()))
    released = counted.with_columns(
        value=pl.when(pl.col("suppressed")).then(None).otherwise(pl.col("value")),
        students=pl.when(pl.col("suppressed")).then(None).otherwise(pl.col("students")),
    ).select(list(schema))
    return pl.concat([released, pl.DataFrame(ratios, schema=schema, orient="row")])


def _ref(
    ref: Ref, section: tuple[str, str], view: str, row: str, rows: dict[str, list[str]]
) -> Key | None:
    """The figure ``ref`` points at from ``row`` of ``view`` (None: no previous row)."""
    target = ref.view or view
    if ref.row == "single":
        return (*section, target, "", ref.figure)
    if ref.row == "previous":
        position = rows[view].index(row)
        if position == 0:
            return None
        return (*section, target, rows[target][position - 1], ref.figure)
    return (*section, target, row, ref.figure)


def _sections_json(summary: CohortSummary, by: str | None) -> dict[tuple[str, str], dict[str, Any]]:
    """Per (breakdown, group) of the whole cohort and of ``by``'s groups, its figures as
    JSON objects, one key per view (the size apart)."""
    sections: dict[tuple[str, str], dict[str, Any]] = {}
    for spec in VIEWS:
        if spec is STUDENTS:
            continue
        for row in view_frame(summary, spec.key, by, with_overall=True).iter_rows(named=True):
            item = {
                **({spec.row_key: row[spec.row_key]} if spec.row_key else {}),
                **{f.key: _json_value(row[f.key], f.kind) for f in spec.figures},
                "suppressed": bool(row["withheld"]),
            }
            if row["withheld"]:
                item["withheld"] = row["withheld"]
            group = sections.setdefault((row["breakdown"], row["group"]), {})
            if spec.row_key:
                group.setdefault(spec.key, []).append(item)
            else:
                group[spec.key] = item
    return sections


def _json_value(value: float | None, kind: FigureKind) -> float | int | None:
    if value is None or kind == FigureKind.COUNT:
        return value
    return round(value, 4)


def _text_table(frame: pl.DataFrame) -> list[str]:
    widths = [max(len(c), *(len(v) for v in frame[c])) for c in frame.columns]

    def line(cells: list[str]) -> str:
        first, *rest = (c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(cells, widths, strict=True)))  # fmt: skip
        return "  ".join([first, *rest]).rstrip()

    return [line(frame.columns), *(line(list(r)) for r in frame.iter_rows())]
