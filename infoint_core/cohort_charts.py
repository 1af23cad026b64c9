"""Charts of a cohort, drawn only from released figures (``cohort.view_frame``).

A withheld figure has no bar or point: it is written in instead as "fewer than N", so a
chart never shows what the tables withhold, and never hides that something is withheld.
Stages wear the one stage palette; groups (programmes, years) the colour-blind-safe
Okabe–Ito colours.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from infoint_core.charts import NEUTRAL_COLOR, STAGE_COLORS, STAGE_ORDER
from infoint_core.cohort import CohortSummary, fewer_than, view_frame
from infoint_core.cohort_views import ALL_STUDENTS, FUNNEL, GAPS, INTERVIEW_BINS
from infoint_core.records import STAGE_LABELS

_STAGE_NAMES = {stage.value: label for stage, label in STAGE_LABELS.items()}
_GROUP_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
                 "#000000"]  # fmt: skip
_MUTED = "#888888"


def cohort_funnel_chart(summary: CohortSummary, breakdown: str | None = None) -> alt.LayerChart:
    """Contacts of all students together that reached each stage (one bar per group)."""
    frame = view_frame(summary, FUNNEL.key, breakdown).with_columns(
        category=pl.col("stage").replace_strict(_STAGE_NAMES, return_dtype=pl.String)
    )
    return _bars(
        frame, "reached", summary.min_cell,
        title="Networking funnel", subtitle="Contacts of all students that reached each stage",
        category_title="Stage", value_title="Contacts reached",
        order=[_STAGE_NAMES[s] for s in STAGE_ORDER], by_stage=breakdown is None,
    )  # fmt: skip


def interviews_chart(summary: CohortSummary, breakdown: str | None = None) -> alt.LayerChart:
    """How many students have held how many interviews."""
    frame = view_frame(summary, "interviews", breakdown).with_columns(category=pl.col("interviews"))
    return _bars(
        frame, "students", summary.min_cell,
        title="Interviews per student", subtitle="Students by the interviews they have held",
        category_title="Interviews held", value_title="Students",
        order=[b[0] for b in INTERVIEW_BINS], horizontal=False,
    )  # fmt: skip


def gaps_chart(summary: CohortSummary, breakdown: str | None = None) -> alt.LayerChart:
    """The share of students with each kind of follow-up gap."""
    frame = view_frame(summary, GAPS.key, breakdown, with_overall=breakdown is not None)
    frame = frame.with_columns(category=pl.col("rule").map_elements(GAPS.row_name, pl.String))
    return _bars(
        frame, "share", summary.min_cell,
        title="Follow-up gaps", subtitle="Share of students with at least one gap of each kind",
        category_title="Gap", value_title="Share of students", share=True,
        order=[GAPS.row_name(r) for r in summary.rows[GAPS.key]],
    )  # fmt: skip


def activity_chart(summary: CohortSummary, breakdown: str | None = None) -> alt.LayerChart:
    """Outreach per month: all students' steps together (one line per group)."""
    frame = view_frame(summary, "activity", breakdown).with_columns(
        month=(pl.col("month") + "-01").str.to_date()
    )
    withheld = frame.filter(pl.col("withheld").list.contains("outreach"))
    groups = frame["group"].unique(maintain_order=True).to_list()
    base = alt.Chart(frame, title=alt.Title(
        "Outreach per month",
        subtitle=f"All students' outreach steps; a grey + marks a month with "
        f"{fewer_than(summary.min_cell)} students", anchor="start"))  # fmt: skip
    color = _group_color(groups)
    lines = base.mark_line(point=True).encode(
        x=alt.X("month:T", title="Month", axis=alt.Axis(format="%b %Y")),
        y=alt.Y("outreach:Q", title="Outreach steps", axis=alt.Axis(tickMinStep=1)),
        color=color,
        tooltip=[
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("month:T", title="Month", format="%B %Y"),
            alt.Tooltip("outreach:Q", title="Outreach"),
            alt.Tooltip("active_students:Q", title="Students with outreach"),
        ],
    )
    marks = (
        alt.Chart(withheld.with_columns(note=pl.lit(fewer_than(summary.min_cell) + " students")))
        # Hidden from screen readers: an empty layer of marks would be an unnamed image,
        # and the table beside the chart names every withheld month already.
        .mark_point(shape="cross", color=_MUTED, size=60, aria=False)
        .encode(
            x="month:T",
            y=alt.datum(0),
            tooltip=[alt.Tooltip("group:N", title="Group"),
                     alt.Tooltip("month:T", title="Month", format="%B %Y"),
                     alt.Tooltip("note:N", title="Outreach")],
        )
    )  # fmt: skip
    return alt.layer(lines, marks)


def _bars(
    frame: pl.DataFrame,
    value: str,
    min_cell: int,
    *,
    title: str,
    subtitle: str,
    category_title: str,
    value_title: str,
    order: list[str],
    horizontal: bool = True,
    share: bool = False,
    by_stage: bool = False,
) -> alt.LayerChart:
    """Bars of ``value`` per ``category`` (and group, side by side); a withheld value is
    written as "fewer than N" where its bar would start."""
    hidden = fewer_than(min_cell)
    data = frame.with_columns(
        label=pl.when(pl.col("withheld").list.contains(value)).then(pl.lit(hidden)),
    ).select("group", "category", value, "label")
    groups = data["group"].unique(maintain_order=True).to_list()
    several = len(groups) > 1 or groups != [ALL_STUDENTS]
    value_axis = alt.Axis(format="%") if share else alt.Axis(tickMinStep=1)
    value_scale = alt.Scale(domain=[0, 1]) if share else alt.Undefined
    category = alt.Y if horizontal else alt.X
    amount = alt.X if horizontal else alt.Y
    offset = alt.YOffset if horizontal else alt.XOffset
    encoding = {
        ("y" if horizontal else "x"): category("category:N", sort=order, title=category_title,
                                                axis=alt.Axis(labelAngle=0) if not horizontal
                                                else alt.Undefined),
        ("x" if horizontal else "y"): amount(f"{value}:Q", title=value_title, axis=value_axis,
                                              scale=value_scale),
    }  # fmt: skip
    if several:
        encoding["yOffset" if horizontal else "xOffset"] = offset("group:N", sort=groups)
        color: alt.Color = _group_color(groups)
    elif by_stage:
        names = [_STAGE_NAMES[s] for s in STAGE_ORDER]
        color = alt.Color("category:N", scale=alt.Scale(domain=names,
                          range=list(STAGE_COLORS.values())), legend=None)  # fmt: skip
    else:
        color = alt.Color("group:N", scale=alt.Scale(range=[NEUTRAL_COLOR]), legend=None)
    tooltip = [
        alt.Tooltip("group:N", title="Group"),
        alt.Tooltip("category:N", title=category_title),
        alt.Tooltip(f"{value}:Q", title=value_title, format=".0%" if share else ","),
    ]
    base = alt.Chart(data, title=alt.Title(title, subtitle=subtitle, anchor="start"))
    bars = base.mark_bar().encode(**encoding, color=color, tooltip=tooltip)
    text = (
        base.transform_filter("datum.label != null")
        .mark_text(align="left", baseline="middle", dx=4, angle=0 if horizontal else 270,
                   color=_MUTED, fontSize=10)
        .encode(
            **{k: v for k, v in encoding.items() if k != ("x" if horizontal else "y")},
            **{("x" if horizontal else "y"): alt.datum(0)},
            text="label:N",
            tooltip=[alt.Tooltip("group:N", title="Group"),
                     alt.Tooltip("category:N", title=category_title),
                     alt.Tooltip("label:N", title=value_title)],
        )
    )  # fmt: skip
    return alt.layer(bars, text)


def _group_color(groups: list[str]) -> alt.Color:
    palette = (_GROUP_COLORS * (len(groups) // len(_GROUP_COLORS) + 1))[: len(groups)]
    return alt.Color("group:N", title="Group", sort=groups,
                     scale=alt.Scale(domain=groups, range=palette))  # fmt: skip
