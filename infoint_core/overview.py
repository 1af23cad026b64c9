"""The Overview tiles: the few numbers a student checks first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from infoint_core.funnel import compute_funnel
from infoint_core.gaps import find_gaps
from infoint_core.records import EventKind, Stage
from infoint_core.store import Store

INTERVIEWS_IN_MONTH_SQL = f"""
SELECT count(DISTINCT e.contact_id)
FROM events e
WHERE e.kind = '{EventKind.MEETING}'
  AND e.on_date BETWEEN date_trunc('month', $as_of::DATE) AND $as_of
  AND ($owner_id IS NULL OR e.owner_id = $owner_id)
"""


@dataclass(frozen=True, slots=True)
class Overview:
    contacts: int
    interviews_this_month: int
    outreach_to_interview: float | None  # share of contacted people who were interviewed
    open_gaps: int


def compute_overview(store: Store, owner_id: int | None, as_of: date) -> Overview:
    """The KPI tiles of the Overview page, judged on ``as_of``."""
    funnel = {
        row["stage"]: row["reached"] for row in compute_funnel(store, owner_id, as_of).to_dicts()
    }
    contacted = funnel[Stage.CONTACTED]
    interviews = store.value(INTERVIEWS_IN_MONTH_SQL, {"as_of": as_of, "owner_id": owner_id})
    return Overview(
        contacts=funnel[Stage.IDENTIFIED],
        interviews_this_month=interviews,
        outreach_to_interview=funnel[Stage.INTERVIEWED] / contacted if contacted else None,
        open_gaps=find_gaps(store, owner_id, as_of).height,
    )
