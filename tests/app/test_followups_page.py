"""The Follow-ups page: counts, the list, one-click done, downloads, thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from infoint_core.gaps import GAP_RULES, gap_thresholds
from infoint_core.store import open_workspace

TITLES = [rule.title for rule in GAP_RULES]
pytestmark = pytest.mark.usefixtures("judged_on_as_of")


def done_keys(at) -> list[str]:
    return [b.key for b in at.button if b.key and b.key.startswith("done-")]


def test_an_empty_workspace_says_all_is_done_and_what_is_watched(page, empty_workspace) -> None:
    at = page("followups").run()
    assert not at.exception
    assert "No follow-ups due — nice work" in at.success[0].value
    watched = "\n".join(m.value for m in at.markdown)
    assert all(title in watched for title in TITLES)
    assert not done_keys(at)
    assert not at.download_button


def test_the_demo_shows_counts_per_rule_and_the_list(page, demo_workspace) -> None:
    at = page("followups").run()
    assert not at.exception
    assert [m.label for m in at.metric] == TITLES  # human titles, never rule keys
    total = sum(int(m.value) for m in at.metric)
    assert total > 0
    assert f"{total} of {total} follow-ups" in at.caption[0].value
    assert done_keys(at)
    assert len(set(done_keys(at))) == len(done_keys(at))
    # a meeting to prepare has a hint instead of a button
    assert any("prep plan" in c.value for c in at.caption)


def test_downloads_are_offered(page, demo_workspace) -> None:
    at = page("followups").run()
    labels = {b.key: b.label for b in at.download_button}
    assert set(labels) == {"download_ics", "download_csv", "download_xlsx"}
    assert ".ics" in labels["download_ics"]


def test_done_removes_the_gap(page, demo_workspace) -> None:
    at = page("followups").run()
    total = lambda: int(at.caption[0].value.split(" of ")[1].split()[0])  # noqa: E731
    before = total()
    for rule in ("thank_you_overdue", "referral_unreported"):
        key = next(k for k in done_keys(at) if k.startswith(f"done-{rule}-"))
        at.button(key=key).click().run()
        assert not at.exception
        assert not at.error
        assert key not in done_keys(at)
    assert total() <= before - 2  # a thank-you may also warm a contact gone cold
    assert at.toast  # says what was logged


def test_filter_by_rule(page, demo_workspace) -> None:
    at = page("followups").run()
    at.pills(key="rules").set_value(["gone_cold"]).run()
    assert not at.exception
    keys = done_keys(at)
    assert keys and all(k.startswith("done-gone_cold-") for k in keys)
    cold = int(at.metric[TITLES.index("Gone cold")].value)
    assert at.caption[0].value.startswith(f"{cold} of ")


def test_thresholds_are_saved(page, demo_workspace) -> None:
    at = page("followups").run()
    cold_before = int(at.metric[TITLES.index("Gone cold")].value)
    at.number_input(key="threshold-gone_cold-cold_days").set_value(3650)
    at.button(key="save_thresholds").click().run()
    assert not at.exception
    assert not at.error
    assert gap_thresholds(open_workspace(demo_workspace), None)["gone_cold"]["cold_days"] == 3650
    assert int(at.metric[TITLES.index("Gone cold")].value) < cold_before
    assert at.number_input(key="threshold-gone_cold-cold_days").value == 3650

    at.button(key="reset_thresholds").click().run()
    assert gap_thresholds(open_workspace(demo_workspace), None)["gone_cold"]["cold_days"] == 90
    assert at.number_input(key="threshold-gone_cold-cold_days").value == 90


def test_thresholds_out_of_order_show_an_error(page, empty_workspace) -> None:
    at = page("followups").run()
    at.number_input(key="threshold-no_response-try_another_days").set_value(10)
    at.button(key="save_thresholds").click().run()
    assert not at.exception
    assert "No response" in at.error[0].value
    assert gap_thresholds(open_workspace(empty_workspace), None)["no_response"] == {
        "try_another_days": 3,
        "follow_up_days": 7,
    }


def test_a_file_that_is_not_a_workspace_shows_an_error(page, db_path: Path) -> None:
    db_path.write_text("not a database at all\n" * 50)
    at = page("followups").run()
    assert not at.exception
    assert "not an infoint workspace" in at.error[0].value


def test_a_long_list_is_shown_a_page_at_a_time(page, demo_workspace) -> None:
    from infoint_core.gaps import save_gap_thresholds

    store = open_workspace(demo_workspace)
    save_gap_thresholds(store, None, {"gone_cold": {"cold_days": 0}})  # every met contact
    at = page("followups").run()
    assert not at.exception
    shown = lambda: len([b for b in at.button if b.label == "Done"])  # noqa: E731
    first = shown()
    assert 20 <= first <= 25  # a page of 25, meetings to prepare have no Done button
    at.button(key="show_more").click().run()
    assert shown() > first
