"""Figures as people read them."""

from datetime import date

import pytest

from infoint_core.humanize import count, days_ago, percent, plural

TODAY = date(2026, 11, 21)


def test_counts_have_thousands_separators() -> None:
    assert [count(0), count(999), count(1234), count(1_234_567)] == [
        "0",
        "999",
        "1,234",
        "1,234,567",
    ]


@pytest.mark.parametrize(
    ("share", "shown"), [(0.123, "12 %"), (0.0, "0 %"), (1.0, "100 %"), (0.005, "0 %"), (None, "–")]
)
def test_percentages_are_whole_and_spaced(share: float | None, shown: str) -> None:
    assert percent(share) == shown


def test_plurals_follow_the_number() -> None:
    assert plural(1, "week") == "1 week"
    assert plural(0, "week") == "0 weeks"
    assert plural(2, "person", "people") == "2 people"
    assert plural(1, "person", "people") == "1 person"
    assert plural(1500, "contact") == "1,500 contacts"


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (TODAY, "today"),
        (date(2026, 11, 20), "yesterday"),
        (date(2026, 11, 18), "3 days ago"),
        (date(2026, 11, 22), "tomorrow"),
        (date(2026, 11, 25), "in 4 days"),
    ],
)
def test_days_are_told_relative_to_the_day_judged_on(day: date, shown: str) -> None:
    assert days_ago(day, TODAY) == shown
