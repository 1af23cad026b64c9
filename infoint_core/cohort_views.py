"""The cohort's statistics, declared once: what each view shows and how it is counted.

A ``CohortView`` is one table of figures (the funnel, the gaps, activity per month...).
Each ``Figure`` in it is one of three kinds, and the kind is what small-cell protection
needs to know:

- a **count** adds up across groups (students, contacts, steps): the groups of a
  breakdown sum to the whole cohort, so complementary suppression applies;
- a **statistic** (a median, a quartile) does not add up; it is shown only when it
  rests on enough students;
- a **ratio** is one count over another: it is shown only when both are.

Every figure also says how many students it rests on: a count of steps rests on the
students who took any of those steps. The CLI, the page and the reports all loop over
``VIEWS``, so a new view is one entry here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import polars as pl

from infoint_core.cohort_facts import (
    COHORT_GAP_RULES,
    STAGE_NAMES,
    CohortFacts,
    activity_months,
)
from infoint_core.records import STAGE_LABELS, Stage

OVERALL = "overall"  # the breakdown of the whole cohort, with one group:
ALL_STUDENTS = "All students"
BREAKDOWNS: dict[str, str] = {"programme": "Programme", "year": "Graduation year"}
SECTION = ["breakdown", "group"]
# Interviews per student, binned: (row, lowest, highest or None).
INTERVIEW_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("0", 0, 0), ("1-2", 1, 2), ("3-5", 3, 5), ("6-10", 6, 10), ("11-20", 11, 20),
    ("21+", 21, None),
)  # fmt: skip


class FigureKind(StrEnum):
    COUNT = "count"
    STATISTIC = "statistic"
    RATIO = "ratio"


class Format(StrEnum):
    INTEGER = "integer"
    NUMBER = "number"  # a median or quartile: one decimal at most
    SHARE = "share"  # 0.25 → 25 %
    DAYS = "days"


@dataclass(frozen=True, slots=True)
class Ref:
    """A figure a ratio is made of: in this view (or ``view``), in the same row, the
    previous row (a stage's conversion) or the only row of a one-row view."""

    figure: str
    view: str | None = None
    row: str = "same"  # "same" | "previous" | "single"


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str
    kind: FigureKind
    format: Format = Format.INTEGER
    ratio: tuple[Ref, Ref] | None = None  # numerator, denominator

    @property
    def additive(self) -> bool:
        return self.kind == FigureKind.COUNT


Cells = Callable[[CohortFacts, pl.DataFrame], pl.DataFrame]


@dataclass(frozen=True, slots=True)
class CohortView:
    """One table of the cohort statistics.

    ``row_key`` names a row in JSON (``stage``, ``rule``...; None: a one-row view).
    ``cells(facts, members)`` gives every count and statistic for every group: columns
    ``breakdown``, ``group``, ``row``, ``figure``, ``value``, ``students``.
    ``sums_to_students``: the view's ``students`` figures add up to each group's size.
    """

    key: str
    title: str
    description: str
    row_key: str | None
    row_label: str
    figures: tuple[Figure, ...]
    cells: Cells
    rows: Callable[[CohortFacts], list[str]]
    row_name: Callable[[str], str] = str
    sums_to_students: bool = False


# Counting -------------------------------------------------------------------------------


def members(facts: CohortFacts) -> pl.DataFrame:
    """student, breakdown, group: each student once in the whole cohort, once in their
    programme and once in their graduation year."""
    students = facts.students
    return pl.concat(
        [
            students.select("student", breakdown=pl.lit(OVERALL), group=pl.lit(ALL_STUDENTS)),
            *(students.select("student", breakdown=pl.lit(b), group=b) for b in BREAKDOWNS),
        ]
    )


def _figures(
    frame: pl.DataFrame, by: list[str], figures: dict[str, tuple[pl.Expr, pl.Expr]]
) -> pl.DataFrame:
    """Long rows (``by``, figure, value, students) of each figure's value and the number
    of students it rests on, per group of ``by``: every figure in one grouping, then
    turned long (a grouping per figure cost a pass over the rows each)."""
    wide = frame.group_by(by).agg(
        pl.struct(value=value.cast(pl.Float64), students=students.cast(pl.Int64)).alias(key)
        for key, (value, students) in figures.items()
    )
    return pl.concat(
        wide.select(*by, figure=pl.lit(key), cell=key).unnest("cell") for key in figures
    )


def _sum(column: str) -> tuple[pl.Expr, pl.Expr]:
    """A count summed over students, resting on those who contributed to it."""
    return pl.col(column).sum(), (pl.col(column) > 0).sum()


def _students_where(condition: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """A number of students, which rests on exactly those students."""
    return condition.sum(), condition.sum()


def _quantile(column: str, q: float, where: pl.Expr | None = None) -> tuple[pl.Expr, pl.Expr]:
    values = pl.col(column) if where is None else pl.col(column).filter(where)
    return values.quantile(q, "linear"), values.count()


def _with_row(frame: pl.DataFrame, row: str = "") -> pl.DataFrame:
    return frame.with_columns(row=pl.lit(row))


def _complete(
    cells: pl.DataFrame, member_frame: pl.DataFrame, rows: list[str], figures: tuple[Figure, ...]
) -> pl.DataFrame:
    """Every group × row × figure, a missing count as 0 and a missing statistic as null,
    both resting on nobody."""
    grid = (
        member_frame.select(SECTION).unique()
        .join(pl.DataFrame({"row": rows}), how="cross")
        .join(pl.DataFrame({"figure": [f.key for f in figures if f.kind != FigureKind.RATIO],
                            "is_count": [f.additive for f in figures
                                         if f.kind != FigureKind.RATIO]}), how="cross")
    )  # fmt: skip
    return (
        grid.join(cells, on=[*SECTION, "row", "figure"], how="left")
        .with_columns(
            value=pl.when(pl.col("value").is_null() & pl.col("is_count"))
            .then(0.0)
            .otherwise(pl.col("value")),
            students=pl.col("students").fill_null(0),
        )
        .select(*SECTION, "row", "figure", "value", "students")
    )


def _students_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.students, on="student")
    return _with_row(_figures(joined, SECTION, {"students": (pl.len(), pl.len())}))


def _active_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.students, on="student")
    figures = {"active_students": _students_where(pl.col("active"))}
    return _with_row(_figures(joined, SECTION, figures))


def _funnel_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.reached, on="student").rename({"stage": "row"})
    return _figures(joined, [*SECTION, "row"], {"reached": _sum("reached")})


def _per_student_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.reached, on="student").rename({"stage": "row"})
    figures = {
        "median": _quantile("reached", 0.5),
        "q1": _quantile("reached", 0.25),
        "q3": _quantile("reached", 0.75),
    }
    return _figures(joined, [*SECTION, "row"], figures)


def _interview_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    interviews = facts.reached.filter(pl.col("stage") == Stage.INTERVIEWED.value)
    binned = interviews.with_columns(row=_interview_bin(pl.col("reached")))
    joined = m.join(binned, on="student")
    cells = _figures(joined, [*SECTION, "row"], {"students": (pl.len(), pl.len())})
    return _complete(cells, m, [b[0] for b in INTERVIEW_BINS], INTERVIEWS.figures)


def _interview_bin(count: pl.Expr) -> pl.Expr:
    expr = pl.lit(INTERVIEW_BINS[-1][0])
    for row, _, highest in reversed(INTERVIEW_BINS[:-1]):
        expr = pl.when(count <= highest).then(pl.lit(row)).otherwise(expr)
    return expr


def _thank_you_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.thank_yous, on="student")
    quick = pl.col("days") <= 1
    figures = {
        "thank_yous": (pl.len(), pl.col("student").n_unique()),
        "within_one_day": (quick.sum(), pl.col("student").filter(quick).n_unique()),
        "median_days": (pl.col("days").median(), pl.col("student").n_unique()),
    }
    cells = _with_row(_figures(joined, SECTION, figures))
    return _complete(cells, m, [""], THANK_YOU.figures)


def _gap_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.gaps, on="student").rename({"rule": "row"})
    figures = {"students": _students_where(pl.col("gaps") > 0), "gaps": _sum("gaps")}
    return _figures(joined, [*SECTION, "row"], figures)


def _referral_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.referrals, on="student")
    chained = pl.col("max_depth").is_not_null()
    figures = {
        "interviewed": _sum("interviewed"),
        "referred_someone": _sum("referred_someone"),
        "introductions": _sum("introductions"),
        "students_with_chains": _students_where(chained),
        "depth_median": _quantile("max_depth", 0.5, chained),
        "depth_q3": _quantile("max_depth", 0.75, chained),
    }
    return _with_row(_figures(joined, SECTION, figures))


def _activity_cells(facts: CohortFacts, m: pl.DataFrame) -> pl.DataFrame:
    joined = m.join(facts.activity, on="student").rename({"month": "row"})
    figures = {
        "active_students": _students_where(pl.col("outreach") > 0),
        "outreach": _sum("outreach"),
        "meetings": _sum("meetings"),
        "thank_yous": _sum("thank_yous"),
    }
    return _figures(joined, [*SECTION, "row"], figures)


def _month_name(month: str) -> str:
    return date.fromisoformat(f"{month}-01").strftime("%b %Y")


_STAGE_NAMES = {stage.value: label for stage, label in STAGE_LABELS.items()}
_RULE_TITLES = {rule.key: rule.title for rule in COHORT_GAP_RULES}
_SIZE = Ref("students", view="students", row="single")


def _one_row(_: CohortFacts) -> list[str]:
    return [""]


def _stages(_: CohortFacts) -> list[str]:
    return list(STAGE_NAMES)


def _stage_name(stage: str) -> str:
    return _STAGE_NAMES.get(stage, stage)


# The views ------------------------------------------------------------------------------

STUDENTS = CohortView(
    "students", "Students", "How many students shared their log.",
    None, "", (Figure("students", "Students", FigureKind.COUNT),),
    _students_cells, _one_row,
)  # fmt: skip
ACTIVE = CohortView(
    "active", "Active students",
    "Students with at least one outreach in the 30 days up to the day of the report.",
    None, "",
    (
        Figure("active_students", "Active students", FigureKind.COUNT),
        Figure("share", "Share of students", FigureKind.RATIO, Format.SHARE,
               (Ref("active_students"), _SIZE)),
    ),
    _active_cells, _one_row,
)  # fmt: skip
FUNNEL = CohortView(
    "funnel", "Funnel",
    "Contacts of all students together that reached each stage, and the share of the "
    "stage before that moved on.",
    "stage", "Stage",
    (
        Figure("reached", "Contacts reached", FigureKind.COUNT),
        Figure("conversion", "From previous stage", FigureKind.RATIO, Format.SHARE,
               (Ref("reached"), Ref("reached", row="previous"))),
    ),
    _funnel_cells, _stages, _stage_name,
)  # fmt: skip
PER_STUDENT = CohortView(
    "per_student", "Contacts per student",
    "How many contacts a typical student has at each stage or further: the median "
    "student, and the quartiles around them.",
    "stage", "Stage",
    (
        Figure("median", "Median", FigureKind.STATISTIC, Format.NUMBER),
        Figure("q1", "Lower quartile", FigureKind.STATISTIC, Format.NUMBER),
        Figure("q3", "Upper quartile", FigureKind.STATISTIC, Format.NUMBER),
    ),
    _per_student_cells, _stages, _stage_name,
)  # fmt: skip
INTERVIEWS = CohortView(
    "interviews", "Interviews per student",
    "How many students have held how many interviews.",
    "interviews", "Interviews",
    (Figure("students", "Students", FigureKind.COUNT),),
    _interview_cells, lambda _: [b[0] for b in INTERVIEW_BINS],
    sums_to_students=True,
)  # fmt: skip
THANK_YOU = CohortView(
    "thank_you", "Days to thank-you",
    "Days from an interview to the thank-you for it (thank-yous marked only 'yes' have "
    "no date and are left out). Thank people the same or the next day.",
    None, "",
    (
        Figure("thank_yous", "Dated thank-yous", FigureKind.COUNT),
        Figure("median_days", "Median days", FigureKind.STATISTIC, Format.DAYS),
        Figure("within_one_day", "Within one day", FigureKind.COUNT),
        Figure("share_within_one_day", "Share within one day", FigureKind.RATIO, Format.SHARE,
               (Ref("within_one_day"), Ref("thank_yous"))),
    ),
    _thank_you_cells, _one_row,
)  # fmt: skip
GAPS = CohortView(
    "gaps", "Follow-up gaps",
    "Students with at least one gap of each kind on the day, and gaps per student. "
    "(Meetings not prepared are left out: shares carry no prep plans.)",
    "rule", "Gap",
    (
        Figure("students", "Students with the gap", FigureKind.COUNT),
        Figure("share", "Share of students", FigureKind.RATIO, Format.SHARE,
               (Ref("students"), _SIZE)),
        Figure("gaps", "Gaps", FigureKind.COUNT),
        Figure("per_student", "Gaps per student", FigureKind.RATIO, Format.NUMBER,
               (Ref("gaps"), _SIZE)),
    ),
    _gap_cells, lambda _: [r.key for r in COHORT_GAP_RULES],
    lambda rule: _RULE_TITLES.get(rule, rule),
)  # fmt: skip
REFERRALS = CohortView(
    "referrals", "Referrals",
    "How often an interview ends with a new name (the R of AIR), how many introductions "
    "each interview yields, and how deep the students' referral chains go.",
    None, "",
    (
        Figure("interviewed", "Contacts interviewed", FigureKind.COUNT),
        Figure("referred_someone", "Of them, introduced someone", FigureKind.COUNT),
        Figure("referral_rate", "Referral rate", FigureKind.RATIO, Format.SHARE,
               (Ref("referred_someone"), Ref("interviewed"))),
        Figure("introductions", "Introductions", FigureKind.COUNT),
        Figure("referral_yield", "Introductions per interview", FigureKind.RATIO,
               Format.NUMBER, (Ref("introductions"), Ref("interviewed"))),
        Figure("students_with_chains", "Students with a chain", FigureKind.COUNT),
        Figure("depth_median", "Deepest chain, median", FigureKind.STATISTIC, Format.NUMBER),
        Figure("depth_q3", "Deepest chain, upper quartile", FigureKind.STATISTIC,
               Format.NUMBER),
    ),
    _referral_cells, _one_row,
)  # fmt: skip
ACTIVITY = CohortView(
    "activity", "Activity per month",
    "Students with outreach in each month, and the outreach, meetings held and "
    "thank-yous of all students together.",
    "month", "Month",
    (
        Figure("active_students", "Students with outreach", FigureKind.COUNT),
        Figure("outreach", "Outreach", FigureKind.COUNT),
        Figure("meetings", "Meetings held", FigureKind.COUNT),
        Figure("thank_yous", "Thank-yous", FigureKind.COUNT),
    ),
    _activity_cells, lambda facts: activity_months(facts.as_of), _month_name,
)  # fmt: skip

VIEWS: tuple[CohortView, ...] = (
    STUDENTS, ACTIVE, FUNNEL, PER_STUDENT, INTERVIEWS, THANK_YOU, GAPS, REFERRALS, ACTIVITY,
)  # fmt: skip
VIEWS_BY_KEY: dict[str, CohortView] = {view.key: view for view in VIEWS}
