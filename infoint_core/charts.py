"""Chart builders: aggregate frames in, Altair charts out (never Streamlit).

Every chart has a title, titled axes and tooltips, so it reads on its own in the app, in
a saved PNG and to a screen reader's summary. Stages always wear the same colours
(``STAGE_COLORS``) whichever chart shows them. Builders take the frames the read-outs
return (``stage_counts``, ``activity_by_week``, ``target_coverage``…) and work on an
empty frame too, so an empty workspace draws empty charts instead of failing.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import polars as pl

from infoint_core.activity import ACTIVITY_KINDS
from infoint_core.errors import InfointError, InputError
from infoint_core.records import STAGES, Stage

# The Okabe–Ito palette (Okabe & Ito, "Color Universal Design", 2008): seven colours told
# apart with every common colour-vision deficiency. Ordered cool to warm along the path,
# so the later stages stand out.
STAGE_COLORS: dict[str, str] = {
    Stage.IDENTIFIED.value: "#56B4E9",  # sky blue
    Stage.CONTACTED.value: "#0072B2",  # blue
    Stage.RESPONDED.value: "#009E73",  # bluish green
    Stage.SCHEDULED.value: "#F0E442",  # yellow
    Stage.INTERVIEWED.value: "#E69F00",  # orange
    Stage.THANKED.value: "#D55E00",  # vermilion
    Stage.FOLLOWED_UP.value: "#CC79A7",  # reddish purple
}
STAGE_ORDER = [stage.value for stage in STAGES]

# Activity kinds reuse the colour of the stage each one moves a contact to.
ACTIVITY_COLORS: dict[str, str] = {
    "Outreach": STAGE_COLORS[Stage.CONTACTED],
    "Meetings held": STAGE_COLORS[Stage.INTERVIEWED],
    "Thank-yous": STAGE_COLORS[Stage.THANKED],
}
# Target coverage measures, each drawn in the colour of the stage it counts.
COVERAGE_MEASURES: dict[str, Stage] = {
    "Known": Stage.IDENTIFIED,
    "Contacted": Stage.CONTACTED,
    "Interviewed": Stage.INTERVIEWED,
}
AIR_PARTS = ["advice", "insight", "referral"]
NEUTRAL_COLOR = "#0072B2"  # for charts with one series and no stages
# Marks a target with a warm way in on the axis. Plain text: a symbol such as a star
# falls back to another font when rendered to PNG.
WARM_MARK = " (warm)"
_WARM_NOTE = "(warm): a warm way in, someone there answered you or was introduced"

SAVE_FORMATS = (".png", ".svg", ".pdf")


def stage_color(field: str = "stage", *, legend: bool = False) -> alt.Color:
    """The colour channel for a stage field, in the one stage palette."""
    scale = alt.Scale(domain=STAGE_ORDER, range=list(STAGE_COLORS.values()))
    return alt.Color(
        f"{field}:N", scale=scale, title="Stage", legend=alt.Legend() if legend else None
    )


def funnel_chart(funnel: pl.DataFrame) -> alt.Chart:
    """The funnel: contacts that reached each stage, with the conversion from the one before.

    Takes ``stage``, ``reached`` and ``conversion`` (a share, null for the first stage).
    """
    return (
        alt.Chart(funnel, title=_title("Networking funnel", "Contacts that reached each stage"))
        .mark_bar()
        .encode(
            y=alt.Y("stage:N", sort=STAGE_ORDER, title="Stage"),
            x=alt.X("reached:Q", title="Contacts reached"),
            color=stage_color(),
            tooltip=[
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("reached:Q", title="Reached"),
                alt.Tooltip("conversion:Q", title="From previous stage", format=".0%"),
            ],
        )
    )


def stage_counts_chart(counts: pl.DataFrame) -> alt.Chart:
    """Contacts by the furthest stage they stand at (``stage``, ``contacts``)."""
    return (
        alt.Chart(counts, title=_title("Where contacts stand", "By the furthest stage reached"))
        .mark_bar()
        .encode(
            x=alt.X("stage:N", sort=STAGE_ORDER, title="Stage", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("contacts:Q", title="Contacts"),
            color=stage_color(),
            tooltip=[
                alt.Tooltip("stage:N", title="Stage"),
                alt.Tooltip("contacts:Q", title="Contacts"),
            ],
        )
    )


def activity_chart(activity: pl.DataFrame) -> alt.Chart:
    """Outreach, meetings held and thank-yous per week, one line each (quiet weeks at 0).

    Takes ``week_start``, ``week``, ``kind`` and ``count`` from ``activity_by_week``.
    """
    labelled = activity.with_columns(
        pl.col("kind").replace_strict(ACTIVITY_KINDS, default=pl.col("kind")).alias("step")
    )
    return (
        alt.Chart(labelled, title=_title("Activity per week", "ISO weeks, Monday to Sunday"))
        .mark_line(point=True)
        .encode(
            x=alt.X("week_start:T", title="Week starting", axis=alt.Axis(format="%d %b")),
            y=alt.Y("count:Q", title="Steps", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "step:N",
                title="Step",
                scale=alt.Scale(domain=list(ACTIVITY_COLORS), range=list(ACTIVITY_COLORS.values())),
            ),
            tooltip=[
                alt.Tooltip("week:N", title="Week"),
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("count:Q", title="Count"),
            ],
        )
    )


def contacts_over_time_chart(growth: pl.DataFrame) -> alt.Chart:
    """The network's size month by month (``month``, ``added``, ``total``)."""
    return (
        alt.Chart(growth, title=_title("Contacts over time", "By the month of connection"))
        .mark_area(line=True, opacity=0.3, color=NEUTRAL_COLOR)
        .encode(
            x=alt.X("month:T", title="Month"),
            y=alt.Y("total:Q", title="Contacts (cumulative)"),
            tooltip=[
                alt.Tooltip("month:T", title="Month", format="%B %Y"),
                alt.Tooltip("added:Q", title="Added"),
                alt.Tooltip("total:Q", title="Total"),
            ],
        )
    )


def top_organisations_chart(organisations: pl.DataFrame) -> alt.Chart:
    """Organisations with the most contacts (``organisation``, ``contacts``)."""
    return _ranked_bars(organisations, "organisation", "Organisation", "Top organisations")


def top_positions_chart(positions: pl.DataFrame) -> alt.Chart:
    """Positions held by the most contacts (``position``, ``contacts``)."""
    return _ranked_bars(positions, "position", "Position", "Top positions")


def connections_per_year_chart(per_year: pl.DataFrame) -> alt.Chart:
    """New connections each year (``year``, ``connections``)."""
    return (
        alt.Chart(per_year, title=_title("Connections per year", "By the date of connection"))
        .mark_bar(color=NEUTRAL_COLOR)
        .encode(
            x=alt.X("year:O", title="Year", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("connections:Q", title="Connections"),
            tooltip=[
                alt.Tooltip("year:O", title="Year"),
                alt.Tooltip("connections:Q", title="Connections"),
            ],
        )
    )


def target_coverage_chart(coverage: pl.DataFrame) -> alt.Chart:
    """Per target organisation: people known, contacted and interviewed, side by side.

    Takes ``organisation``, ``known``, ``contacted``, ``interviewed`` and ``warm_way_in``
    from ``target_coverage``; targets with a warm way in are marked on the axis.
    """
    long = _coverage_long(coverage)
    measures = list(COVERAGE_MEASURES)
    colors = [STAGE_COLORS[stage] for stage in COVERAGE_MEASURES.values()]
    return (
        alt.Chart(long, title=_title("Target organisations", _WARM_NOTE))
        .mark_bar()
        .encode(
            y=alt.Y("target:N", title="Organisation", sort=None),
            yOffset=alt.YOffset("measure:N", sort=measures),
            x=alt.X("people:Q", title="People", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(
                "measure:N",
                title="People",
                sort=measures,
                scale=alt.Scale(domain=measures, range=colors),
            ),
            tooltip=[
                alt.Tooltip("organisation:N", title="Organisation"),
                alt.Tooltip("measure:N", title="People"),
                alt.Tooltip("people:Q", title="Count"),
                alt.Tooltip("warm:N", title="Warm way in"),
            ],
        )
    )


def air_yield_chart(air: pl.DataFrame) -> alt.Chart:
    """How often interviews yielded Advice, Insight and a Referral (``part``, ``share``)."""
    return (
        alt.Chart(air, title=_title("AIR yield", "Share of interviews that gave each part"))
        .mark_bar(color=NEUTRAL_COLOR)
        .encode(
            x=alt.X("part:N", sort=AIR_PARTS, title="Part", axis=alt.Axis(labelAngle=0)),
            y=alt.Y(
                "share:Q",
                title="Share of interviews",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            tooltip=[
                alt.Tooltip("part:N", title="Part"),
                alt.Tooltip("share:Q", title="Share", format=".0%"),
            ],
        )
    )


def save_chart(chart: alt.TopLevelMixin, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write ``chart`` to ``path`` as PNG, SVG or PDF (by the file's suffix); returns it.

    ``scale`` enlarges PNGs for sharp slides. Needs the ``vl-convert-python`` package.
    Raises InputError for another suffix, InfointError when the chart cannot be rendered
    or written.
    """
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in SAVE_FORMATS:
        raise InputError(f"{target}: save a chart as {', '.join(SAVE_FORMATS)}, not {suffix!r}")
    try:
        import vl_convert
    except ImportError as e:  # optional until it is pinned; say what to install
        raise InfointError("saving charts needs the vl-convert-python package") from e
    spec = chart.to_dict()
    version = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # "v6.4.1" -> "v6_4"
    try:
        if suffix == ".png":
            target.write_bytes(vl_convert.vegalite_to_png(spec, vl_version=version, scale=scale))
        elif suffix == ".svg":
            target.write_text(vl_convert.vegalite_to_svg(spec, vl_version=version), "utf-8")
        else:
            target.write_bytes(vl_convert.vegalite_to_pdf(spec, vl_version=version))
    except (OSError, ValueError) as e:
        raise InfointError(f"{target}: the chart could not be saved: {e}") from e
    return target


def _title(text: str, subtitle: str) -> alt.Title:
    return alt.Title(text, subtitle=subtitle, anchor="start")


def _ranked_bars(frame: pl.DataFrame, field: str, label: str, title: str) -> alt.Chart:
    """Horizontal bars of ``contacts`` per ``field``, longest first."""
    return (
        alt.Chart(frame, title=_title(title, "By number of contacts"))
        .mark_bar(color=NEUTRAL_COLOR)
        .encode(
            y=alt.Y(f"{field}:N", sort="-x", title=label),
            x=alt.X("contacts:Q", title="Contacts", axis=alt.Axis(tickMinStep=1)),
            tooltip=[
                alt.Tooltip(f"{field}:N", title=label),
                alt.Tooltip("contacts:Q", title="Contacts"),
            ],
        )
    )


def _coverage_long(coverage: pl.DataFrame) -> pl.DataFrame:
    """One row per target and measure, with the axis label marking a warm way in."""
    counts = dict(zip(COVERAGE_MEASURES, ("known", "contacted", "interviewed"), strict=True))
    labelled = coverage.select(
        "organisation",
        pl.when(pl.col("warm_way_in"))
        .then(pl.col("organisation") + WARM_MARK)
        .otherwise(pl.col("organisation"))
        .alias("target"),
        pl.when(pl.col("warm_way_in")).then(pl.lit("yes")).otherwise(pl.lit("no")).alias("warm"),
        *(pl.col(column).alias(measure) for measure, column in counts.items()),
    )
    return labelled.unpivot(
        index=["organisation", "target", "warm"],
        on=list(COVERAGE_MEASURES),
        variable_name="measure",
        value_name="people",
    )
