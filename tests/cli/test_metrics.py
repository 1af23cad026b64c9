"""``infoint metrics``: the CONTRACT §6 JSON on a built log, the demo and an empty workspace."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from infoint_core.cli import build_parser
from infoint_core.demo import load_demo
from infoint_core.errors import NotFoundError
from infoint_core.gaps import GAP_RULES
from infoint_core.metrics import READOUTS, compute_metrics, readout
from infoint_core.records import STAGES
from infoint_core.store import Store, open_workspace
from tests.conftest import AS_OF, write
from tests.samples.referrals import close_loop

RULES = [rule.key for rule in GAP_RULES]
STAGE_NAMES = [stage.value for stage in STAGES]

# Judged on AS_OF, Saturday 2026-11-21.
HEADER = (
    "Name,Organisation,Source,Referred by,Date contacted,Responded on,Interview date,"
    "Thank-you sent,Followed up on\n"
)
TRACKER = (
    HEADER
    + """\
Ada Lovelace,Engines,LinkedIn,,2026-10-01,2026-10-03,2026-10-20,2026-10-20,2026-11-01
Grace Hopper,Navy,Referral,Ada Lovelace,2026-11-02,2026-11-03,2026-11-10,,
Alan Turing,Bletchley,Alumni,,2026-11-13,,,,
Katherine Johnson,NASA,Alumni,,2026-11-02,,,,
Tim Berners-Lee,CERN,Career fair,,2026-11-05,2026-11-06,2026-11-24,,
Margaret Hamilton,MIT,Professor,,2026-06-01,2026-06-02,2026-06-10,2026-06-10,
Linus Torvalds,,Referral,Grace Hopper,,,,,
"""
)


def check_contract_shape(metrics: dict) -> None:
    """The keys and types CONTRACT §6 promises (extra keys are allowed)."""
    assert {"as_of", "contacts", "funnel", "gaps", "gap_counts", "referrals"} <= set(metrics)
    assert isinstance(metrics["as_of"], str) and isinstance(metrics["contacts"], int)
    assert [row["stage"] for row in metrics["funnel"]] == STAGE_NAMES
    for row in metrics["funnel"]:
        assert isinstance(row["reached"], int)
        assert row["conversion"] is None or isinstance(row["conversion"], float)
    assert metrics["funnel"][0]["conversion"] is None
    for gap in metrics["gaps"]:
        assert {"rule", "contact", "since", "days"} <= set(gap)
        assert gap["rule"] in RULES and isinstance(gap["contact"], str)
        assert len(gap["since"]) == 10 and isinstance(gap["days"], int)
    assert list(metrics["gap_counts"]) == RULES
    for rule in RULES:
        assert metrics["gap_counts"][rule] == sum(g["rule"] == rule for g in metrics["gaps"])
    referrals = metrics["referrals"]
    assert {"edges", "roots", "max_depth", "chains"} <= set(referrals)
    for chain in referrals["chains"]:
        assert set(chain) >= {"root", "size", "depth"}
    assert referrals["roots"] == len(referrals["chains"])


@pytest.fixture
def built(cli, tmp_path: Path):
    result = cli("import", str(write(tmp_path, "log.csv", TRACKER)), "--owner", "Sam")
    assert result.code == 0, result.err
    return cli


def test_metrics_json_on_a_built_log(built) -> None:
    result = built("metrics", "--json", "--as-of", AS_OF.isoformat())
    assert result.code == 0, result.err
    metrics = result.json()
    check_contract_shape(metrics)
    assert metrics["as_of"] == "2026-11-21"
    assert metrics["contacts"] == 7
    assert [(r["reached"], r["conversion"]) for r in metrics["funnel"]] == [
        (7, None), (6, 6 / 7), (4, 4 / 6), (4, 1.0), (3, 3 / 4), (2, 2 / 3), (1, 1 / 2),
    ]  # fmt: skip
    gaps = [
        (g["rule"], g["contact"], g["since"], g["days"], g["severity"]) for g in metrics["gaps"]
    ]
    assert gaps == [
        ("unprepared_meeting", "Tim Berners-Lee", "2026-11-24", 3, "prepare"),
        ("thank_you_overdue", "Grace Hopper", "2026-11-10", 11, "overdue"),
        ("no_response", "Katherine Johnson", "2026-11-02", 14, "follow_up"),
        ("referral_unreported", "Ada Lovelace", "2026-11-10", 11, "report_back"),
        ("no_response", "Alan Turing", "2026-11-13", 5, "try_another"),
        ("gone_cold", "Margaret Hamilton", "2026-06-10", 164, "reconnect"),
    ]
    assert metrics["gaps"][1]["next_step"] == (
        "Send Grace Hopper a thank-you note — the interview was 11 days ago."
    )
    assert metrics["gaps"][3]["about"] == "Grace Hopper"
    assert metrics["gap_counts"] == {
        "thank_you_overdue": 1, "no_response": 2, "referral_unreported": 1, "gone_cold": 1,
        "unprepared_meeting": 1,
    }  # fmt: skip
    assert metrics["referrals"] == {
        "edges": 2,
        "roots": 1,
        "max_depth": 2,
        "chains": [{"root": "Ada Lovelace", "size": 3, "depth": 2}],
    }


def test_metrics_for_a_named_owner_and_the_day_before(built) -> None:
    metrics = built("metrics", "--json", "--owner", "Sam", "--as-of", "2026-11-09").json()
    check_contract_shape(metrics)
    assert metrics["owner"] == "Sam"
    assert metrics["gap_counts"]["thank_you_overdue"] == 0  # Grace is met on the 10th
    assert metrics["gap_counts"]["referral_unreported"] == 0


def test_metrics_json_on_the_demo_has_every_rule(cli, store: Store) -> None:
    load_demo(store, AS_OF)
    result = cli("metrics", "--json", "--as-of", AS_OF.isoformat())
    assert result.code == 0, result.err
    metrics = result.json()
    check_contract_shape(metrics)
    assert metrics["contacts"] == 150
    assert all(metrics["gap_counts"][rule] >= 1 for rule in RULES), metrics["gap_counts"]
    assert metrics["referrals"]["max_depth"] == 3


def test_metrics_on_an_empty_workspace(cli) -> None:
    result = cli("metrics", "--json", "--as-of", AS_OF.isoformat())
    assert result.code == 0, result.err
    metrics = result.json()
    check_contract_shape(metrics)
    assert metrics["contacts"] == 0
    assert metrics["funnel"] == [
        {"stage": name, "reached": 0, "conversion": None} for name in STAGE_NAMES
    ]
    assert metrics["gaps"] == [] and set(metrics["gap_counts"].values()) == {0}
    assert metrics["referrals"] == {"edges": 0, "roots": 0, "max_depth": 0, "chains": []}


def test_metrics_as_text(built) -> None:
    result = built("metrics", "--as-of", AS_OF.isoformat())
    assert result.code == 0, result.err
    assert "7 contacts" in result.out
    assert "interviewed" in result.out and "75%" in result.out
    assert "Send Grace Hopper a thank-you note" in result.out
    assert "Ada Lovelace: 3 people, 2 deep" in result.out


def test_an_unknown_owner_is_one_line_and_exit_1(built) -> None:
    result = built("metrics", "--owner", "Nobody")
    assert result.code == 1 and result.out == ""
    assert result.err.strip() == "infoint: error: no owner called 'Nobody' in this workspace"


def test_a_referral_cycle_is_one_line_naming_the_people(cli, tmp_path: Path, db_path) -> None:
    chain = "Name,Referred by\nAda Lovelace,Grace Hopper\nGrace Hopper,\n"
    assert cli("import", str(write(tmp_path, "chain.csv", chain))).code == 0
    close_loop(open_workspace(db_path), "Grace Hopper", "Ada Lovelace")
    result = cli("metrics", "--json", "--as-of", AS_OF.isoformat())
    assert result.code == 1 and result.out == ""
    assert result.err.strip() == (
        "infoint: error: referral cycle: Ada Lovelace → Grace Hopper → Ada Lovelace"
    )


def test_metrics_help_ends_with_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["metrics", "--help"])
    text = capsys.readouterr().out
    assert "--as-of" in text and "--json" in text and "--owner" in text
    assert text.strip().splitlines()[-1].startswith("Example: infoint metrics")


def test_every_readout_is_described_and_runs_on_the_demo(store: Store) -> None:
    load_demo(store, AS_OF)
    assert len({r.key for r in READOUTS}) == len(READOUTS)
    for item in READOUTS:
        assert item.title and item.description.endswith("."), item.key
        frame = item.compute(store, None, AS_OF)
        assert isinstance(frame, pl.DataFrame) and not frame.is_empty(), item.key
        assert readout(item.key) is item
    with pytest.raises(NotFoundError):
        readout("no_such_readout")


def test_compute_metrics_defaults_to_every_owner(store: Store) -> None:
    load_demo(store, AS_OF)
    assert compute_metrics(store, as_of=AS_OF)["contacts"] == 150
