"""Chart builders: aggregate frames in, Altair charts out (never Streamlit).

Every chart has a title, titled axes and tooltips, so it reads on its own in the app, in
a saved PNG and to a screen reader's summary. Stages always wear the same colours
(``STAGE_COLORS``) whichever chart shows them. Builders take the frames the read-outs
return (``stage_counts``, ``activity_by_week``, ``target_coverage``…) and work on an
empty frame too, so an empty workspace draws empty charts instead of failing. The
referral tree is the one drawing that is not Altair: a Graphviz DOT string
(``referral_tree_dot``) in the same stage colours, every name escaped.
"""

from __future__ import annotations

import re
from pathlib import Path

import altair as alt
import polars as pl

from infoint_core.activity import ACTIVITY_KINDS
from infoint_core.errors import InfointError, InputError
from infoint_core.records import STAGE_LABELS, STAGES, Stage

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
_STAGE_NAMES = {stage.value: label for stage, label in STAGE_LABELS.items()}
# A Vega expression that names a stage value on an axis or a legend ("Followed up").
_STAGE_LABEL_EXPR = (
    "".join(f"datum.value === '{value}' ? '{label}' : " for value, label in _STAGE_NAMES.items())
    + "datum.label"
)

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
# Widest axis label in pixels before Vega cuts it with "…": a step such as "Responded →
# Scheduled" or an organisation's name should be read whole (Vega's default is 180).
LABEL_LIMIT = 260
_CAPITALISED = "upper(slice(datum.label, 0, 1)) + slice(datum.label, 1)"
# Marks a target with a warm way in on the axis. Plain text: a symbol such as a star
# falls back to another font when rendered to PNG.
WARM_MARK = " (warm)"
_WARM_NOTE = "(warm): a warm way in, someone there answered you or was introduced"

SAVE_FORMATS = (".png", ".svg", ".pdf")

OTHER_SOURCES = "Other sources"  # the smaller sources, drawn together past the limit
# The referral tree stays readable (and quick to lay out) up to about this many people.
TREE_MAX_PEOPLE = 150
_TREE_LINE_COLOR = "#888888"  # mid grey: visible on the light and the dark theme
# In a DOT quoted string a double quote ends the string and a backslash starts an escape
# (backslash-N is the node's ID, backslash-n a line break...); {, }, |, < and > are syntax
# in record labels, and & starts an HTML entity in every label. Each is escaped, so a
# name is drawn exactly as typed and can never add to the graph.
_DOT_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "{": "\\{",
    "}": "\\}",
    "|": "\\|",
    "<": "\\<",
    ">": "\\>",
    "&": "&amp;",
    "\n": "\\n",
}
_DOT_SPECIAL = re.compile(r'[\\"{}|<>&\n]')
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f\u2028\u2029]")


def stage_color(
    field: str = "stage", *, legend: bool = False, shown: list[str] | None = None
) -> alt.Color:
    """The colour channel for a stage field, in the one stage palette. A legend, when
    asked for, names the stages as people read them: all of them, or those ``shown``."""
    scale = alt.Scale(domain=STAGE_ORDER, range=list(STAGE_COLORS.values()))
    key = alt.Legend(labelExpr=_STAGE_LABEL_EXPR, values=shown or STAGE_ORDER)
    return alt.Color(f"{field}:N", scale=scale, title="Stage", legend=key if legend else None)


def funnel_chart(funnel: pl.DataFrame) -> alt.Chart:
    """The funnel: contacts that reached each stage, with the conversion from the one before.

    Takes ``stage``, ``reached`` and ``conversion`` (a share, null for the first stage).
    """
    named = funnel.with_columns(_stage_label("stage").alias("stage_name"))
    return (
        alt.Chart(named, title=_title("Networking funnel", "Contacts that reached each stage"))
        .mark_bar()
        .encode(
            y=alt.Y(
                "stage:N",
                sort=STAGE_ORDER,
                title="Stage",
                axis=alt.Axis(labelExpr=_STAGE_LABEL_EXPR),
            ),
            x=alt.X("reached:Q", title="Contacts reached"),
            color=stage_color(),
            tooltip=[
                alt.Tooltip("stage_name:N", title="Stage"),
                alt.Tooltip("reached:Q", title="Reached"),
                alt.Tooltip("conversion:Q", title="From previous stage", format=".0%"),
            ],
        )
    )


def stage_durations_chart(durations: pl.DataFrame) -> alt.Chart:
    """Median days for each step from one dated stage to the next, one bar per step in
    the colour of the stage it arrives at.

    Takes ``from_stage``, ``to_stage``, ``contacts`` and ``median_days`` from
    ``stage_durations``; a step nobody has dated both ends of has no bar.
    """
    steps = durations.with_columns(
        (_stage_label("from_stage") + pl.lit(" → ") + _stage_label("to_stage")).alias("step")
    )
    return (
        alt.Chart(steps, title=_title("Time between stages", "Median days, per step"))
        .mark_bar()
        .encode(
            y=alt.Y("step:N", sort=None, title="Step", axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X("median_days:Q", title="Median days"),
            color=stage_color("to_stage"),
            tooltip=[
                alt.Tooltip("step:N", title="Step"),
                alt.Tooltip("median_days:Q", title="Median days", format=".1f"),
                alt.Tooltip("contacts:Q", title="Contacts with both dates"),
            ],
        )
    )


def funnel_by_month_chart(by_month: pl.DataFrame) -> alt.Chart:
    """Each month's new outreach followed down the funnel: one line per stage, the
    contacts of that month's cohort that reached it.

    Takes ``cohort`` (first day of the month), ``stage``, ``reached`` and ``conversion``
    from ``funnel_by_month``. 'Identified' is left out: a month's cohort is the people
    first contacted in it, so that line would only hide the 'contacted' one.
    """
    cohorts = by_month.filter(pl.col("stage") != Stage.IDENTIFIED.value).with_columns(
        _stage_label("stage").alias("stage_name")
    )
    return (
        alt.Chart(
            cohorts,
            title=_title(
                "Funnel by month", "Contacts reaching each stage, by month of first outreach"
            ),
        )
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "yearmonth(cohort):O",
                title="Month of first outreach",
                axis=alt.Axis(format="%b %Y", labelAngle=0),
            ),
            y=alt.Y("reached:Q", title="Contacts reached", axis=alt.Axis(tickMinStep=1)),
            color=stage_color(legend=True, shown=STAGE_ORDER[1:]),
            tooltip=[
                alt.Tooltip("cohort:T", title="Month", format="%B %Y"),
                alt.Tooltip("stage_name:N", title="Stage"),
                alt.Tooltip("reached:Q", title="Reached"),
                alt.Tooltip("conversion:Q", title="From previous stage", format=".0%"),
            ],
        )
    )


def funnel_by_source_chart(by_source: pl.DataFrame, *, limit: int = 8) -> alt.Chart:
    """The funnel of each source side by side: per source, the contacts that reached each
    stage, in stage colours; the sources with most contacts first.

    Takes ``source``, ``stage``, ``reached`` and ``conversion`` from ``funnel_by_source``.
    Beyond ``limit`` sources, the smaller ones are drawn together as "Other sources", so
    a tracker with many one-off sources still gives a readable chart.
    """
    grouped = _top_sources(by_source, limit).with_columns(_stage_label("stage").alias("stage_name"))
    order = (
        grouped.filter(pl.col("stage") == Stage.IDENTIFIED.value)
        .sort(pl.col("source") == OTHER_SOURCES, -pl.col("reached"), "source")["source"]
        .to_list()
    )
    return (
        alt.Chart(grouped, title=_title("Funnel by source", "Contacts reaching each stage"))
        .mark_bar()
        .properties(height=alt.Step(6))  # per bar: a source's seven stay one compact group
        .encode(
            y=alt.Y("source:N", sort=order, title="Source"),
            yOffset=alt.YOffset("stage:N", sort=STAGE_ORDER),
            x=alt.X("reached:Q", title="Contacts reached", axis=alt.Axis(tickMinStep=1)),
            color=stage_color(legend=True),
            tooltip=[
                alt.Tooltip("source:N", title="Source"),
                alt.Tooltip("stage_name:N", title="Stage"),
                alt.Tooltip("reached:Q", title="Reached"),
                alt.Tooltip("conversion:Q", title="From previous stage", format=".0%"),
            ],
        )
    )


def stage_counts_chart(counts: pl.DataFrame) -> alt.Chart:
    """Contacts by the furthest stage they stand at (``stage``, ``contacts``)."""
    named = counts.with_columns(_stage_label("stage").alias("stage_name"))
    return (
        alt.Chart(named, title=_title("Where contacts stand", "By the furthest stage reached"))
        .mark_bar()
        .encode(
            x=alt.X(
                "stage:N",
                sort=STAGE_ORDER,
                title="Stage",
                axis=alt.Axis(labelAngle=0, labelExpr=_STAGE_LABEL_EXPR),
            ),
            y=alt.Y("contacts:Q", title="Contacts", axis=alt.Axis(tickMinStep=1)),
            color=stage_color(),
            tooltip=[
                alt.Tooltip("stage_name:N", title="Stage"),
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
            y=alt.Y(
                "target:N", title="Organisation", sort=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)
            ),
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
            x=alt.X(
                "part:N",
                sort=AIR_PARTS,
                title="Part",
                axis=alt.Axis(labelAngle=0, labelExpr=_CAPITALISED),
            ),
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


def referral_tree_dot(tree: pl.DataFrame, *, max_people: int = TREE_MAX_PEOPLE) -> str:
    """The referral chains as a Graphviz DOT digraph (for ``st.graphviz_chart``): a box per
    person, labelled with their name and stage and filled in their stage's colour, and an
    arrow from each referrer to each person they introduced.

    Takes ``contact_id``, ``contact``, ``referrer_id``, ``root_id``, ``depth`` and
    ``stage`` from ``referral_tree`` (people in no chain are not in it). Node IDs are
    contact ids; a name only ever appears inside an escaped, quoted label, so no name can
    break or add to the graph. At most ``max_people`` are drawn: the largest chains whole
    (when even the largest is too big, its people nearest the root), and the graph's own
    label says how many were left out.
    """
    shown = _largest_chains(tree, max_people)
    graph = {"rankdir": "LR", "bgcolor": "transparent", "fontname": "Helvetica"}
    if shown.height < tree.height:
        graph |= {
            "label": f"Showing {shown.height:,} of {tree.height:,} people: the largest chains",
            "labelloc": "t",
            "labeljust": "l",
            "fontcolor": _TREE_LINE_COLOR,
        }
    lines = [
        "digraph referrals {",
        f"  graph {_dot_attrs(graph)};",
        "  node "
        + _dot_attrs(
            {"shape": "box", "style": "rounded,filled", "fontname": "Helvetica"}
            | {"fontsize": "11", "color": _TREE_LINE_COLOR}
        )
        + ";",
        f"  edge {_dot_attrs({'color': _TREE_LINE_COLOR, 'arrowsize': '0.7'})};",
    ]
    for person in shown.iter_rows(named=True):
        stage = person["stage"] or Stage.IDENTIFIED.value
        fill = STAGE_COLORS.get(stage, "#FFFFFF")
        stage_name = _STAGE_NAMES.get(stage, stage)
        node = {
            "label": [person["contact"], stage_name],  # two lines: the name, then the stage
            "tooltip": f"{person['contact']} ({stage_name})",
            "fillcolor": fill,
            "fontcolor": _text_color(fill),
        }
        lines.append(f"  {_dot_id(person['contact_id'])} {_dot_attrs(node)};")
    drawn = set(shown["contact_id"])
    lines.extend(
        f"  {_dot_id(person['referrer_id'])} -> {_dot_id(person['contact_id'])};"
        for person in shown.iter_rows(named=True)
        if person["referrer_id"] in drawn
    )
    lines.append("}")
    return "\n".join(lines) + "\n"


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


def _stage_label(column: str) -> pl.Expr:
    """The stage in ``column`` as people read it ("followed_up" -> "Followed up")."""
    return pl.col(column).replace_strict(
        _STAGE_NAMES, default=pl.col(column), return_dtype=pl.String
    )


def _top_sources(by_source: pl.DataFrame, limit: int) -> pl.DataFrame:
    """``by_source`` with every source past the ``limit - 1`` biggest summed into one.

    ``reached`` adds up across sources; ``conversion`` is worked out again from the sums,
    as CONTRACT §2 defines it (null for the first stage and after a stage nobody reached).
    """
    sizes = by_source.filter(pl.col("stage") == Stage.IDENTIFIED.value)
    if sizes.height <= limit:
        return by_source
    keep = sizes.sort(-pl.col("reached"), "source").head(limit - 1)["source"].to_list()
    rank = pl.col("stage").replace_strict(
        {stage: i for i, stage in enumerate(STAGE_ORDER)}, return_dtype=pl.Int64
    )
    previous = pl.col("reached").shift(1)
    other = (
        by_source.filter(~pl.col("source").is_in(keep))
        .group_by("stage")
        .agg(pl.col("reached").sum())
        .sort(rank)
        .select(
            pl.lit(OTHER_SOURCES).alias("source"),
            "stage",
            "reached",
            pl.when(previous > 0)
            .then(pl.col("reached") / previous)
            .otherwise(None)
            .cast(pl.Float64)
            .alias("conversion"),
        )
    )
    kept = by_source.filter(pl.col("source").is_in(keep))
    return pl.concat([kept, other.cast(kept.schema)])


def _largest_chains(tree: pl.DataFrame, max_people: int) -> pl.DataFrame:
    """The people of the largest chains that fit in ``max_people``, referrers before the
    people they introduced; a first chain too big on its own is cut by depth, so what is
    drawn stays connected to its root."""
    sizes = tree.group_by("root_id", maintain_order=True).len().sort("len", descending=True)
    roots: list[int] = []
    room = max_people
    for root, size in sizes.iter_rows():
        if size > room:
            break
        roots.append(root)
        room -= size
    if not roots and sizes.height:  # the largest chain alone is too big: keep its top
        largest = tree.filter(pl.col("root_id") == sizes["root_id"][0])
        return largest.sort("depth", maintain_order=True).head(max_people)
    order = {root: i for i, root in enumerate(roots)}
    chosen = tree.filter(pl.col("root_id").is_in(roots))
    chain = pl.col("root_id").replace_strict(order, return_dtype=pl.Int64)
    return chosen.sort(chain, "depth", maintain_order=True)


def _dot_escape(text: str) -> str:
    """``text`` made safe inside a DOT quoted string and drawn exactly as typed: a line
    break stays a break, any other control character becomes a space."""
    text = _CONTROL.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _DOT_SPECIAL.sub(lambda m: _DOT_ESCAPES[m.group()], text)


def _dot_attrs(attrs: dict[str, str | list[str]]) -> str:
    """``[key="value", ...]``, every value escaped and quoted; a list is drawn as lines."""

    def quoted(value: str | list[str]) -> str:
        lines = [value] if isinstance(value, str) else value
        return '"' + "\\n".join(_dot_escape(line) for line in lines) + '"'

    return "[" + ", ".join(f"{key}={quoted(value)}" for key, value in attrs.items()) + "]"


def _dot_id(contact_id: int) -> str:
    """A node's ID, made from the contact id and never from a name."""
    return f'"c{int(contact_id)}"'


def _text_color(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (WCAG contrast ratio)."""
    channels = [int(fill[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def _title(text: str, subtitle: str) -> alt.Title:
    return alt.Title(text, subtitle=subtitle, anchor="start")


def _ranked_bars(frame: pl.DataFrame, field: str, label: str, title: str) -> alt.Chart:
    """Horizontal bars of ``contacts`` per ``field``, longest first."""
    return (
        alt.Chart(frame, title=_title(title, "By number of contacts"))
        .mark_bar(color=NEUTRAL_COLOR)
        .encode(
            y=alt.Y(f"{field}:N", sort="-x", title=label, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
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
