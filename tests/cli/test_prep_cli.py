"""``infoint prep``: the CONTRACT §6 JSON, Markdown, saving, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import AS_OF, write

# Judged on AS_OF (2026-11-21): Ada meets the student in three days, referred by Charles.
TRACKER = """\
Name,Organisation,Role,Industry,Source,Referred by,Date contacted,Interview date
Ada Lovelace,Analytical Engines Ltd,Engineer,Computing,,Charles Babbage,2026-11-10,2026-11-24
Ada Byron,Navy,Analyst,Defence,Career fair,,2026-11-01,
Charles Babbage,Difference Engines,Professor,Academia,Professor,,,
Zoë Renée,,,,,,,
"""
CONTRACT_KEYS = {"contact", "minutes", "opening", "questions", "checklist"}


@pytest.fixture
def logged(cli, tmp_path: Path):
    result = cli("import", str(write(tmp_path, "log.csv", TRACKER)), "--owner", "Sam")
    assert result.code == 0, result.err
    return cli


def prep(cli, *args: str):
    return cli("prep", *args, "--as-of", AS_OF.isoformat())


def test_json_has_exactly_the_contract_shape(logged) -> None:
    result = prep(logged, "Ada Lovelace", "--minutes", "30", "--format", "json")
    assert result.code == 0, result.err
    plan = result.json()
    assert set(plan) >= CONTRACT_KEYS
    assert plan["contact"] == "Ada Lovelace" and plan["minutes"] == 30
    assert isinstance(plan["opening"], str) and "Charles Babbage suggested" in plan["opening"]
    assert 10 <= len(plan["questions"]) <= 12
    for question in plan["questions"]:
        assert {"theme", "air", "text", "why"} <= set(question)
        assert all(isinstance(question[key], str) for key in ("theme", "air", "text", "why"))
        assert question["air"] in ("advice", "insight", "referral")
    assert {q["air"] for q in plan["questions"]} == {"advice", "insight", "referral"}
    assert isinstance(plan["checklist"], list) and plan["checklist"]
    assert all(isinstance(item, str) for item in plan["checklist"])
    assert plan["meeting_on"] == "2026-11-24"


def test_minutes_default_to_20(logged) -> None:
    plan = prep(logged, "ada lovelace", "--format", "json").json()
    assert plan["minutes"] == 20 and 7 <= len(plan["questions"]) <= 8


def test_markdown_is_the_default_format(logged) -> None:
    result = prep(logged, "Ada Lovelace", "--minutes", "10")
    assert result.code == 0, result.err
    assert result.out.startswith("# Meeting prep: Ada Lovelace\n")
    assert "## Opening" in result.out and "## Before the meeting" in result.out
    assert "\n1. **" in result.out and "\n5. **" in result.out and "\n6. **" not in result.out
    assert "- [ ] Tell Charles Babbage how the conversation with Ada went" in result.out


def test_html_is_a_printable_page(logged) -> None:
    result = prep(logged, "Ada Lovelace", "--format", "html")
    assert result.code == 0, result.err
    assert result.out.startswith("<!doctype html>") and "@media print" in result.out


def test_names_match_ignoring_case_and_accents(logged) -> None:
    result = prep(logged, "ZOE RENEE", "--format", "json")
    assert result.code == 0, result.err
    plan = result.json()
    assert plan["contact"] == "Zoë Renée"
    assert all("{" not in q["text"] and "None" not in q["text"] for q in plan["questions"])


def test_save_closes_the_unprepared_meeting_gap(logged) -> None:
    def unprepared() -> int:
        metrics = logged("metrics", "--json", "--as-of", AS_OF.isoformat()).json()
        return metrics["gap_counts"]["unprepared_meeting"]

    assert unprepared() == 1
    result = prep(logged, "Ada Lovelace", "--save", "--format", "json")
    assert result.code == 0, result.err
    assert result.json()["contact"] == "Ada Lovelace"  # stdout stays pure JSON
    assert "saved for Ada Lovelace, the meeting on Tuesday 24 November 2026" in result.err
    assert unprepared() == 0


def test_an_ambiguous_name_lists_the_candidates_on_one_line(logged) -> None:
    result = prep(logged, "ada")
    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1
    assert result.err.startswith("infoint: error: 'ada' matches 2 contacts: ")
    assert (
        "Ada Byron (Navy)" in result.err and "Ada Lovelace (Analytical Engines Ltd)" in result.err
    )
    assert prep(logged, "Ada Byron (Navy)").code == 0


def test_an_unknown_name_is_a_one_line_error(logged) -> None:
    result = prep(logged, "Grace Hopper")
    assert result.code == 1 and result.out == ""
    assert result.err == "infoint: error: no contact called 'Grace Hopper'\n"


def test_bad_minutes_and_unknown_owner_are_one_line_errors(logged) -> None:
    result = prep(logged, "Ada Lovelace", "--minutes", "200")
    assert result.code == 1
    assert result.err == "infoint: error: a meeting must be 5 to 90 minutes long\n"
    result = prep(logged, "Ada Lovelace", "--owner", "Nobody")
    assert result.code == 1 and result.err.count("\n") == 1 and "Nobody" in result.err
    assert prep(logged, "Ada Lovelace", "--owner", "Sam").code == 0
