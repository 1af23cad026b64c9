"""Chart builders: titled, labelled, with tooltips, one stage palette, on any workspace."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import pytest

from infoint_core import charts
from infoint_core.activity import activity_by_week, contacts_over_time
from infoint_core.demo import load_demo
from infoint_core.errors import InputError
from infoint_core.funnel import funnel_by_month, funnel_by_source, stage_durations
from infoint_core.network import connections_per_year, top_organisations, top_positions
from infoint_core.records import STAGE_LABELS, STAGES
from infoint_core.referrals import referral_tree
from infoint_core.stages import stage_counts
from infoint_core.store import Store
from infoint_core.targets import add_target, target_coverage
from tests.conftest import AS_OF

Builder = Callable[[pl.DataFrame], alt.Chart]


def funnel_frame(store: Store) -> pl.DataFrame:
    """A stand-in for compute_funnel (stage, reached, conversion), from stage_counts."""
    counts = stage_counts(store, None, AS_OF)
    reached = counts.select("stage", pl.col("contacts").reverse().cum_sum().reverse())
    previous = pl.col("reached").shift(1)
    return reached.rename({"contacts": "reached"}).with_columns(
        pl.when(previous > 0).then(pl.col("reached") / previous).alias("conversion")
    )


def air_frame(_: Store | None = None) -> pl.DataFrame:
    return pl.DataFrame({"part": ["advice", "insight", "referral"], "share": [0.9, 0.7, 0.4]})


# Each builder with the read-out that feeds it.
BUILDERS: dict[str, tuple[Builder, Callable[[Store], pl.DataFrame]]] = {
    "funnel": (charts.funnel_chart, funnel_frame),
    "stage_counts": (charts.stage_counts_chart, lambda s: stage_counts(s, None, AS_OF)),
    "activity": (charts.activity_chart, lambda s: activity_by_week(s, None, AS_OF)),
    "growth": (charts.contacts_over_time_chart, lambda s: contacts_over_time(s, None, AS_OF)),
    "organisations": (
        charts.top_organisations_chart,
        lambda s: top_organisations(s, None, AS_OF),
    ),
    "positions": (charts.top_positions_chart, lambda s: top_positions(s, None, AS_OF)),
    "per_year": (
        charts.connections_per_year_chart,
        lambda s: connections_per_year(s, None, AS_OF),
    ),
    "coverage": (charts.target_coverage_chart, lambda s: target_coverage(s, None, AS_OF)),
    "air": (charts.air_yield_chart, air_frame),
    "durations": (charts.stage_durations_chart, lambda s: stage_durations(s, None, AS_OF)),
    "by_month": (charts.funnel_by_month_chart, lambda s: funnel_by_month(s, None, AS_OF)),
    "by_source": (charts.funnel_by_source_chart, lambda s: funnel_by_source(s, None, AS_OF)),
}
STAGE_CHARTS = ["funnel", "stage_counts", "durations", "by_month", "by_source"]


@pytest.fixture
def demo(store: Store) -> Store:
    load_demo(store, AS_OF)
    owner = store.value("SELECT min(id) FROM owners")
    for organisation in ("Contoso Health", "Woodgrove Bank plc", "Initech"):
        add_target(store, owner, organisation)
    return store


def built(store: Store, key: str) -> dict[str, Any]:
    builder, read_out = BUILDERS[key]
    chart = builder(read_out(store))
    assert isinstance(chart, alt.Chart)
    return chart.to_dict()


def rows_of(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["datasets"][spec["data"]["name"]] if "datasets" in spec else spec["data"]["values"]


def test_the_stage_palette_covers_every_stage_once() -> None:
    assert list(charts.STAGE_COLORS) == [stage.value for stage in STAGES]
    colours = list(charts.STAGE_COLORS.values())
    assert len(set(colours)) == len(colours)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in colours)


@pytest.mark.parametrize("key", BUILDERS)
def test_every_chart_has_a_title_axis_titles_and_tooltips(demo: Store, key: str) -> None:
    spec = built(demo, key)
    assert spec["title"]["text"]
    encoding = spec["encoding"]
    assert encoding["x"]["title"] and encoding["y"]["title"]
    assert encoding["tooltip"]
    assert all(tip.get("title") for tip in encoding["tooltip"])


@pytest.mark.parametrize("key", BUILDERS)
def test_every_chart_draws_from_the_demo_log(demo: Store, key: str) -> None:
    assert rows_of(built(demo, key))


@pytest.mark.parametrize("key", BUILDERS)
def test_every_chart_draws_from_an_empty_workspace(store: Store, key: str) -> None:
    built(store, key)


@pytest.mark.parametrize("key", STAGE_CHARTS)
def test_stage_charts_wear_the_stage_palette(demo: Store, key: str) -> None:
    scale = built(demo, key)["encoding"]["color"]["scale"]
    assert dict(zip(scale["domain"], scale["range"], strict=True)) == charts.STAGE_COLORS


@pytest.mark.parametrize("key", ["activity", "coverage"])
def test_charts_of_steps_reuse_stage_colours(demo: Store, key: str) -> None:
    scale = built(demo, key)["encoding"]["color"]["scale"]
    assert set(scale["range"]) <= set(charts.STAGE_COLORS.values())


def test_activity_is_labelled_by_step(demo: Store) -> None:
    steps = {row["step"] for row in rows_of(built(demo, "activity"))}
    assert steps == {"Outreach", "Meetings held", "Thank-yous"}


def test_coverage_marks_a_warm_way_in_and_keeps_empty_targets(demo: Store) -> None:
    rows = rows_of(built(demo, "coverage"))
    targets = {row["target"] for row in rows}
    assert "Contoso Health (warm)" in targets
    assert "Initech" in targets
    assert {row["measure"] for row in rows} == {"Known", "Contacted", "Interviewed"}


@pytest.mark.parametrize(
    ("suffix", "magic"), [(".png", b"\x89PNG"), (".svg", b"<svg"), (".pdf", b"%PDF")]
)
def test_charts_are_saved_as_png_svg_and_pdf(
    demo: Store, tmp_path: Path, suffix: str, magic: bytes
) -> None:
    pytest.importorskip("vl_convert")
    chart = charts.stage_counts_chart(stage_counts(demo, None, AS_OF))
    path = charts.save_chart(chart, tmp_path / f"stages{suffix}")
    assert path.read_bytes().startswith(magic)


def test_saving_in_another_format_is_refused(tmp_path: Path) -> None:
    chart = charts.air_yield_chart(air_frame())
    with pytest.raises(InputError, match="save a chart as"):
        charts.save_chart(chart, tmp_path / "chart.jpg")


# --- the funnel charts ------------------------------------------------------------------


def test_durations_are_labelled_by_step(demo: Store) -> None:
    steps = [row["step"] for row in rows_of(built(demo, "durations"))]
    assert steps[0] == "Contacted → Responded"
    assert steps[-1] == "Thanked → Followed up"


@pytest.mark.parametrize("key", ["by_month", "by_source"])
def test_stage_legends_name_stages_as_people_read_them(demo: Store, key: str) -> None:
    legend = built(demo, key)["encoding"]["color"]["legend"]
    assert "'Followed up'" in legend["labelExpr"]
    assert {row["stage_name"] for row in rows_of(built(demo, key))} >= {"Followed up"}


def test_the_month_chart_leaves_out_identified(demo: Store) -> None:
    spec = built(demo, "by_month")
    assert "identified" not in {row["stage"] for row in rows_of(spec)}
    assert spec["encoding"]["color"]["legend"]["values"] == charts.STAGE_ORDER[1:]


def source_funnel(sizes: dict[str, int]) -> pl.DataFrame:
    """A funnel_by_source frame: each source's contacts reach stage k while k < size."""
    rows = [
        (source, stage, max(size - rank, 0))
        for source, size in sizes.items()
        for rank, stage in enumerate(charts.STAGE_ORDER)
    ]
    frame = pl.DataFrame(rows, schema=["source", "stage", "reached"], orient="row")
    previous = pl.col("reached").shift(1).over("source")
    return frame.with_columns(
        pl.when(previous > 0).then(pl.col("reached") / previous).alias("conversion")
    )


def test_many_sources_are_capped_with_the_rest_summed() -> None:
    sizes = {f"source {i:02}": 20 + i for i in range(12)}
    rows = rows_of(charts.funnel_by_source_chart(source_funnel(sizes), limit=5).to_dict())
    sources = {row["source"] for row in rows}
    assert sources == {"source 11", "source 10", "source 09", "source 08", charts.OTHER_SOURCES}
    other = {row["stage"]: row for row in rows if row["source"] == charts.OTHER_SOURCES}
    assert other["identified"]["reached"] == sum(20 + i for i in range(8))
    assert other["identified"]["conversion"] is None
    contacted = sum(19 + i for i in range(8))
    assert other["contacted"]["reached"] == contacted
    assert other["contacted"]["conversion"] == pytest.approx(
        contacted / sum(20 + i for i in range(8))
    )


def test_few_sources_are_drawn_as_they_are() -> None:
    rows = rows_of(
        charts.funnel_by_source_chart(source_funnel({"LinkedIn": 3, "Fair": 1})).to_dict()
    )
    assert {row["source"] for row in rows} == {"LinkedIn", "Fair"}


# --- the referral tree as Graphviz DOT --------------------------------------------------

HOSTILE = [
    'Robert "); DROP TABLE contacts;--',
    "<script>alert(1)</script>",
    "a -> b [label=x]",
    "}",
    "first line\nsecond line",
    'back\\slash \\N \\G \\" \\',
    "pipe | {brace} <port> &amp; & \\n",
    '}; digraph evil { "c1" -> "c2"',
    "tab\tand\x00nul",
]
TREE_SCHEMA = {
    "contact_id": pl.Int64,
    "contact": pl.String,
    "referrer_id": pl.Int64,
    "root_id": pl.Int64,
    "depth": pl.Int64,
    "stage": pl.String,
}
# Outside quoted strings a DOT from referral_tree_dot holds only these words.
DOT_WORDS = {"digraph", "referrals", "graph", "node", "edge"} | {
    "rankdir", "bgcolor", "fontname", "label", "labelloc", "labeljust", "fontcolor", "shape",
    "style", "fontsize", "color", "arrowsize", "tooltip", "fillcolor",
}  # fmt: skip
DOT_TOKEN = re.compile(
    r'(?P<string>"(?:[^"\\\n]|\\[^\n])*")|(?P<arrow>->)|(?P<punct>[{}\[\];,=])'
    r"|(?P<word>[A-Za-z_]\w*)|(?P<space>\s+)|(?P<bad>.)",
    re.S,
)


def star(names: list[str]) -> pl.DataFrame:
    """A one-chain tree: the first name introduced every other one."""
    rows = [
        (i + 1, name, None if i == 0 else 1, 1, min(i, 1), charts.STAGE_ORDER[i % 7])
        for i, name in enumerate(names)
    ]
    return pl.DataFrame(rows, schema=TREE_SCHEMA, orient="row")


def lines_of(chains: list[int]) -> pl.DataFrame:
    """Chains of the given sizes, each a line: root, the one it introduced, and so on."""
    rows = []
    for k, size in enumerate(chains):
        root = 100 * (k + 1)
        for depth in range(size):
            parent = None if depth == 0 else root + depth - 1
            rows.append((root + depth, f"P{root + depth}", parent, root, depth, "identified"))
    return pl.DataFrame(rows, schema=TREE_SCHEMA, orient="row")


def unquote(token: str) -> str:
    """A DOT label as Graphviz draws it: \\n breaks the line, \\x is x, then entities."""
    text = re.sub(r"\\(.)", lambda m: "\n" if m[1] == "n" else m[1], token[1:-1], flags=re.S)
    return html.unescape(text)


def parse_dot(dot: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str]]]:
    """Nodes (ID -> decoded attributes) and edges of a DOT digraph, failing on anything
    outside the small grammar referral_tree_dot writes."""
    tokens = []
    for match in DOT_TOKEN.finditer(dot):
        kind = match.lastgroup
        assert kind != "bad", f"stray {match.group()!r} outside a quoted string"
        if kind == "word":
            assert match.group() in DOT_WORDS, f"unexpected bare word {match.group()!r}"
        if kind != "space":
            tokens.append((kind, match.group()))
    assert [t for _, t in tokens[:3]] == ["digraph", "referrals", "{"]
    assert tokens[-1] == ("punct", "}")
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str]] = []
    rest = tokens[3:-1]
    while rest:
        (kind, head), rest = rest[0], rest[1:]
        if rest[0][1] == "->":
            assert kind == "string" and rest[1][0] == "string" and rest[2][1] == ";"
            edges.append((unquote(head), unquote(rest[1][1])))
            rest = rest[3:]
            continue
        assert rest[0][1] == "[", f"a statement must be an edge or have attributes: {head}"
        end = next(i for i, (_, t) in enumerate(rest) if t == "]")
        attrs = {}
        for i in range(1, end, 4):  # key = "value" ,
            key, eq, value = rest[i], rest[i + 1], rest[i + 2]
            assert key[0] == "word" and eq[1] == "=" and value[0] == "string"
            attrs[key[1]] = unquote(value[1])
        assert rest[end + 1][1] == ";"
        rest = rest[end + 2 :]
        if kind == "string":
            assert re.fullmatch(r'"c\d+"', head), f"node IDs come from contact ids: {head}"
            nodes[unquote(head)] = attrs
        else:
            assert head in {"graph", "node", "edge"}
    return nodes, edges


def test_every_name_is_escaped_and_drawn_exactly_as_typed() -> None:
    dot = charts.referral_tree_dot(star(HOSTILE))
    nodes, edges = parse_dot(dot)
    assert list(nodes) == [f"c{i + 1}" for i in range(len(HOSTILE))]
    assert edges == [("c1", f"c{i + 1}") for i in range(1, len(HOSTILE))]
    for i, name in enumerate(HOSTILE):
        drawn = name.replace("\t", " ").replace("\x00", " ")
        stage = charts.STAGE_ORDER[i % 7]
        assert nodes[f"c{i + 1}"]["label"] == f"{drawn}\n{STAGE_LABELS[stage]}"
    assert "\n" not in "".join(re.findall(r'"(?:[^"\\]|\\.)*"', dot, re.S))  # no raw breaks


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_name_never_shows_unescaped(name: str) -> None:
    dot = charts.referral_tree_dot(star(["Ada", name]))
    for special in '"<>{}|':
        if special in name:  # each special character only ever appears escaped
            quoted = "".join(re.findall(r'"(?:[^"\\]|\\.)*"', dot, re.S))
            assert quoted.count("\\" + special) >= name.count(special)
    assert dot.count("{") - dot.count("\\{") == 1 and dot.count("}") - dot.count("\\}") == 1


def test_nodes_wear_their_stage_colour_with_readable_text() -> None:
    nodes, _ = parse_dot(charts.referral_tree_dot(star([f"P{i}" for i in range(7)])))
    for i, stage in enumerate(charts.STAGE_ORDER):
        assert nodes[f"c{i + 1}"]["fillcolor"] == charts.STAGE_COLORS[stage]
    assert nodes["c2"]["fontcolor"] == "#FFFFFF"  # on the dark blue of 'contacted'
    assert nodes["c4"]["fontcolor"] == "#000000"  # on the yellow of 'scheduled'


def test_large_trees_keep_the_largest_chains_whole() -> None:
    tree = lines_of([5, 3, 2])
    nodes, edges = parse_dot(charts.referral_tree_dot(tree, max_people=8))
    assert sorted(nodes) == sorted(f"c{i}" for i in [100, 101, 102, 103, 104, 200, 201, 202])
    assert len(edges) == 6
    graph = re.search(r"graph \[(.*)\];", charts.referral_tree_dot(tree, max_people=8))
    assert graph and "Showing 8 of 10 people" in graph.group(1)
    assert "Showing" not in charts.referral_tree_dot(tree)


def test_a_chain_too_big_on_its_own_is_cut_by_depth() -> None:
    nodes, edges = parse_dot(charts.referral_tree_dot(lines_of([5, 3]), max_people=3))
    assert sorted(nodes) == ["c100", "c101", "c102"]
    assert edges == [("c100", "c101"), ("c101", "c102")]


def test_an_empty_tree_is_an_empty_digraph() -> None:
    nodes, edges = parse_dot(charts.referral_tree_dot(pl.DataFrame(schema=TREE_SCHEMA)))
    assert nodes == {} and edges == []


def test_the_demo_tree_draws_every_chain(demo: Store) -> None:
    tree = referral_tree(demo, None, AS_OF)
    nodes, edges = parse_dot(charts.referral_tree_dot(tree))
    assert len(nodes) == tree.height and len(edges) == tree.height - tree["root_id"].n_unique()
    for person in tree.iter_rows(named=True):
        assert (
            nodes[f"c{person['contact_id']}"]["fillcolor"] == charts.STAGE_COLORS[person["stage"]]
        )


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz (dot) is not installed")
def test_graphviz_draws_the_hostile_names_as_text() -> None:
    dot = charts.referral_tree_dot(star(HOSTILE))
    drawn = subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True, check=True)
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", drawn.stdout)]
    assert "<script>alert(1)</script>" in texts
    assert 'Robert "); DROP TABLE contacts;--' in texts
    assert "pipe | {brace} <port> &amp; & \\n" in texts
    assert len(re.findall(r'class="node"', drawn.stdout)) == len(HOSTILE)
