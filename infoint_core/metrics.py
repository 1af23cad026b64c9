"""The ``metrics`` read-out (CONTRACT §6) and the registry of every read-out.

``READOUTS`` lists each read-out once (key, title, description, function), all called
alike as ``function(store, owner_id, as_of) -> polars.DataFrame``, so the CLI, the pages
and the tests loop over one list. ``compute_metrics`` puts the contract's JSON together
from the same functions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.errors import NotFoundError
from infoint_core.funnel import (
    air_referral_share,
    compute_funnel,
    funnel_by_month,
    funnel_by_source,
    stage_durations,
)
from infoint_core.gaps import GAP_RULES, find_gaps, gap_counts
from infoint_core.owners import owner_filter
from infoint_core.referrals import (
    interviews_without_referral,
    referral_chains,
    referral_summary,
    referral_yield,
)
from infoint_core.store import Store

ReadoutFunction = Callable[[Store, int | None, date], pl.DataFrame]


@dataclass(frozen=True, slots=True)
class Readout:
    """One read-out: what it is called, what it tells, and the function that makes it."""

    key: str
    title: str
    description: str
    compute: ReadoutFunction


READOUTS: tuple[Readout, ...] = (
    Readout(
        "funnel", "Funnel",
        "How many contacts reached each stage, and the share of each stage that moved on.",
        compute_funnel,
    ),
    Readout(
        "stage_durations", "Time between stages",
        "Median days from one dated stage to the next (first outreach to first answer...).",
        stage_durations,
    ),
    Readout(
        "funnel_by_month", "Funnel by month of first outreach",
        "The funnel of each month's new outreach, to compare recent months with earlier ones.",
        funnel_by_month,
    ),
    Readout(
        "funnel_by_source", "Funnel by source",
        "The funnel per way of finding people, to see which sources lead to interviews.",
        funnel_by_source,
    ),
    Readout(
        "air_referral_share", "Interviews that led to a referral",
        "The share of interviewed contacts who introduced at least one new person (AIR).",
        air_referral_share,
    ),
    Readout(
        "gaps", "Follow-up gaps",
        "Every step owed to someone on the day: thank-yous, follow-ups, reports, prep.",
        find_gaps,
    ),
    Readout(
        "referral_chains", "Referral chains",
        "Each chain of introductions from its first contact: how many people, how deep.",
        referral_chains,
    ),
    Readout(
        "referral_yield", "Referral yield",
        "Per contact who introduced anyone: how many people, and how far it went from there.",
        referral_yield,
    ),
    Readout(
        "interviews_without_referral", "Interviews without a referral",
        "Interviewed contacts who have not named anyone yet: where chains stop.",
        interviews_without_referral,
    ),
)  # fmt: skip

READOUTS_BY_KEY: dict[str, Readout] = {r.key: r for r in READOUTS}


def readout(key: str) -> Readout:
    """The read-out called ``key``. Raises NotFoundError for an unknown one."""
    try:
        return READOUTS_BY_KEY[key]
    except KeyError:
        known = ", ".join(READOUTS_BY_KEY)
        raise NotFoundError(f"no read-out called {key!r} (known: {known})") from None


def compute_metrics(
    store: Store, owner: str | None = None, as_of: date | None = None
) -> dict[str, Any]:
    """The ``infoint metrics --json`` object of CONTRACT §6, judged on ``as_of`` (default
    today) for ``owner`` (default every owner). Extra fields: ``owner``,
    ``stage_durations`` and ``air_referral_share``.

    Raises NotFoundError for an unknown owner and ReferralCycleError when the referral
    data loops.
    """
    owner_id = owner_filter(store, owner)
    day = as_of or date.today()
    funnel = compute_funnel(store, owner_id, day)
    gaps = find_gaps(store, owner_id, day)
    air = air_referral_share(store, owner_id, day).row(0, named=True)
    return {
        "as_of": day.isoformat(),
        "owner": owner,
        "contacts": int(funnel["reached"][0]),
        "funnel": funnel.to_dicts(),
        "gaps": _gap_items(gaps),
        "gap_counts": gap_counts(gaps),
        "referrals": referral_summary(store, owner_id, day),
        "stage_durations": stage_durations(store, owner_id, day).to_dicts(),
        "air_referral_share": air,
    }


def _gap_items(gaps: pl.DataFrame) -> list[dict[str, Any]]:
    """Gaps as JSON-ready objects: the contract's keys first, dates as YYYY-MM-DD."""
    items = gaps.select(
        "rule", "contact", pl.col("since").dt.strftime("%Y-%m-%d"), "days",
        "severity", "next_step", "about", "owner",
    )  # fmt: skip
    return items.to_dicts()


def format_metrics(metrics: dict[str, Any]) -> str:
    """``compute_metrics``' result as text for a terminal."""
    who = metrics["owner"] or "every owner"
    lines = [f"{who} on {metrics['as_of']}: {metrics['contacts']:,} contacts", "", "Funnel"]
    for row in metrics["funnel"]:
        share = "" if row["conversion"] is None else f"{row['conversion']:7.0%}"
        lines.append(f"  {row['stage']:<12} {row['reached']:>6,} {share}".rstrip())
    titles = {rule.key: rule.title for rule in GAP_RULES}
    counts = ", ".join(f"{titles[k].lower()} {n}" for k, n in metrics["gap_counts"].items())
    lines += ["", f"Follow-up gaps ({len(metrics['gaps'])}): {counts}"]
    several = len({gap["owner"] for gap in metrics["gaps"]}) > 1
    lines += [
        f"  - {gap['owner'] + ': ' if several else ''}{gap['next_step']}" for gap in metrics["gaps"]
    ]
    referrals = metrics["referrals"]
    lines += [
        "",
        f"Referral chains: {referrals['roots']} from {referrals['edges']} introductions, "
        f"up to {referrals['max_depth']} hops deep",
    ]
    lines += [f"  {c['root']}: {c['size']} people, {c['depth']} deep" for c in referrals["chains"]]
    return "\n".join(lines)
