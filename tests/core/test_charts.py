"""Chart builders: titled, labelled, with tooltips, one stage palette, on any workspace."""

from __future__ import annotations

import re
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
from infoint_core.network import connections_per_year, top_organisations, top_positions
from infoint_core.records import STAGES
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
}


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


@pytest.mark.parametrize("key", ["funnel", "stage_counts"])
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
