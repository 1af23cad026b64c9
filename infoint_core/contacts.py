"""The ``contacts`` read-out: every contact with its furthest stage (CONTRACT §6)."""

from __future__ import annotations

from datetime import date
from typing import Any

from infoint_core.owners import owner_filter
from infoint_core.stages import CONTACT_STAGES_SQL, STAGE_NAME_SQL
from infoint_core.store import Store

CONTACTS_SQL = f"""
WITH stages AS ({CONTACT_STAGES_SQL})
SELECT c.id, o.name AS owner, c.name, c.company, c.position, c.email, c.linkedin_url,
       c.industry, c.source, r.name AS referred_by,
       strftime(c.connected_on, '%Y-%m-%d') AS connected_on,
       {STAGE_NAME_SQL} AS stage, s.declined, c.status, c.notes
FROM contacts c
JOIN owners o ON o.id = c.owner_id
JOIN stages s ON s.contact_id = c.id
LEFT JOIN contacts r ON r.id = c.referred_by_id
ORDER BY o.name, c.name_key, c.id
"""


def list_contacts(
    store: Store, owner: str | None = None, as_of: date | None = None
) -> list[dict[str, Any]]:
    """Every contact of ``owner`` (every owner when ``None``) as a plain dict.

    Raises NotFoundError for an owner the workspace does not hold.
    """
    params = {"as_of": as_of or date.today(), "owner_id": owner_filter(store, owner)}
    return store.dicts(CONTACTS_SQL, params)
