"""Numbers and dates as people read them: "1,234", "12 %", "3 days ago", "2 weeks".

One place for these, so every page, export and message writes figures the same way.
"""

from __future__ import annotations

from datetime import date

NO_FIGURE = "–"  # an en dash: a figure that does not exist (no share of nothing)


def count(n: int) -> str:
    """A count with thousands separated: 1234 → "1,234"."""
    return f"{n:,}"


def percent(share: float | None) -> str:
    """A share as a whole percentage, spaced as in running text: 0.123 → "12 %";
    no share (None) → "–"."""
    return NO_FIGURE if share is None else f"{share:.0%}".replace("%", " %")


def plural(n: int, word: str, many: str | None = None) -> str:
    """``n`` and the word in the right number: (1, "week") → "1 week", (3, "week") →
    "3 weeks", (2, "person", "people") → "2 people". ``many`` is the plural where adding
    an "s" is wrong."""
    return f"{count(n)} {word if n == 1 else many or word + 's'}"


def days_ago(day: date, as_of: date) -> str:
    """How long before ``as_of`` ``day`` was: "today", "yesterday", "3 days ago";
    "tomorrow" and "in 3 days" for a day still to come."""
    days = (as_of - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days == -1:
        return "tomorrow"
    return f"{plural(days, 'day')} ago" if days > 0 else f"in {plural(-days, 'day')}"
