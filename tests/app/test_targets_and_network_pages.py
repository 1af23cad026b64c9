"""The Targets and Network pages."""

from __future__ import annotations

from infoint_core.store import open_workspace


def test_the_demo_targets_show_coverage_and_a_cold_target(page, demo_workspace) -> None:
    at = page("targets").run()
    assert not at.exception
    assert at.get("vega_lite_chart")
    assert "Globex Corporation" in at.warning[0].value


def test_add_and_remove_a_target(page, empty_workspace) -> None:
    at = page("targets").run()
    assert "No targets yet" in at.info[0].value
    at.text_input[0].input("Acme Inc.")
    at.button[0].click().run()
    assert not at.exception
    store = open_workspace(empty_workspace)
    assert store.rows("SELECT organisation FROM targets") == [("Acme Inc.",)]
    assert "Acme Inc\\." in at.warning[0].value  # nobody known there yet (name escaped)
    next(b for b in at.button if b.label == "Remove").click().run()
    assert store.value("SELECT count(*) FROM targets") == 0


def test_a_blank_target_is_a_clear_error(page, empty_workspace) -> None:
    at = page("targets").run()
    at.text_input[0].input("  !!  ")
    at.button[0].click().run()
    assert not at.exception
    assert at.error


def test_the_network_of_the_demo_has_four_charts(page, demo_workspace) -> None:
    at = page("network").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 4


def test_an_empty_network_explains_what_to_import(page, empty_workspace) -> None:
    at = page("network").run()
    assert "LinkedIn connections" in at.info[0].value
