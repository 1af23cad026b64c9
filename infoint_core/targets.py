"""Target organisations: where the owner wants to learn about the work, and who they know
there.

Step 2 of the process is choosing organisations; step 3 is finding people in them. A
target list ties the two together: for each organisation, how many people the log
already holds there, how many were contacted and met, and whether there is a warm way
in. Organisations are matched by ``identity.company_key`` ("Acme Inc." finds contacts at
"ACME" and "Acme Ltd"), worked out here when a target is written and stored with it,
since SQL cannot call the Python function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from infoint_core.errors import InputError, NotFoundError
from infoint_core.identity import company_key
from infoint_core.records import Stage
from infoint_core.stages import STAGES_TABLE, stages_as_table
from infoint_core.store import Store

_TARGET_COLUMNS = "id, owner_id, organisation, company_key, notes, origin, added_at"

# A second add of the same organisation keeps the first spelling and takes new notes.
ADD_TARGET_SQL = f"""
INSERT INTO targets (owner_id, organisation, company_key, notes, origin)
VALUES ($owner_id, $organisation, $company_key, $notes, $origin)
ON CONFLICT (owner_id, company_key)
    DO UPDATE SET notes = coalesce(excluded.notes, targets.notes)
RETURNING {_TARGET_COLUMNS}
"""

LIST_TARGETS_SQL = f"""
SELECT {_TARGET_COLUMNS} FROM targets
WHERE $owner_id IS NULL OR owner_id = $owner_id
ORDER BY owner_id, company_key
"""

# One row per target, also those with nobody known there. A warm way in is someone
# there who has answered (and not declined) or who was introduced by a referrer.
# Parameters: $owner_id (NULL for every owner); the stages on the day are STAGES_TABLE.
TARGET_COVERAGE_SQL = f"""
SELECT t.owner_id,
       t.organisation,
       t.company_key,
       count(c.id)::INTEGER AS known,
       (count(c.id) FILTER (WHERE s.stage_rank >= {Stage.CONTACTED.rank}))::INTEGER
           AS contacted,
       (count(c.id) FILTER (WHERE s.stage_rank >= {Stage.INTERVIEWED.rank}))::INTEGER
           AS interviewed,
       coalesce(bool_or((s.stage_rank >= {Stage.RESPONDED.rank} AND NOT s.declined)
                        OR c.referred_by_id IS NOT NULL), false) AS warm_way_in
FROM targets t
LEFT JOIN contacts c ON c.owner_id = t.owner_id AND c.company_key = t.company_key
LEFT JOIN {STAGES_TABLE} s ON s.contact_id = c.id
WHERE $owner_id IS NULL OR t.owner_id = $owner_id
GROUP BY t.owner_id, t.organisation, t.company_key
ORDER BY t.company_key, t.owner_id
"""


@dataclass(frozen=True, slots=True)
class Target:
    """An organisation the owner wants to reach."""

    id: int
    owner_id: int
    organisation: str
    company_key: str
    notes: str | None
    origin: str
    added_at: datetime


def add_target(
    store: Store,
    owner_id: int,
    organisation: str,
    notes: str | None = None,
    *,
    origin: str = "manual",
) -> Target:
    """Add ``organisation`` to the owner's targets and return it.

    Adding one already there (by key: "ACME" when "Acme Inc." is listed) keeps the first
    spelling and updates the notes when new ones are given. Raises InputError for a name
    with no letters or digits, NotFoundError for an owner not in the workspace.
    """
    name, key = _named(organisation)
    _require_owner(store, owner_id)
    row = store.first(
        ADD_TARGET_SQL,
        {
            "owner_id": owner_id,
            "organisation": name,
            "company_key": key,
            "notes": (notes.strip() or None) if notes else None,
            "origin": origin,
        },
    )
    store.mark_changed()
    assert row is not None  # RETURNING always gives the row
    return Target(*row)


def remove_target(store: Store, owner_id: int, organisation: str) -> None:
    """Take ``organisation`` (matched by key) off the owner's targets.

    Raises NotFoundError when it is not one of them, InputError for an empty name.
    """
    name, key = _named(organisation)
    removed = store.first(
        "DELETE FROM targets WHERE owner_id = ? AND company_key = ? RETURNING id",
        [owner_id, key],
    )
    if removed is None:
        raise NotFoundError(f"{name!r} is not one of this owner's target organisations")
    store.mark_changed()


def list_targets(store: Store, owner_id: int | None) -> pl.DataFrame:
    """The target organisations of the owner (every owner for ``None``), by name.

    Columns: ``id``, ``owner_id``, ``organisation``, ``company_key``, ``notes``,
    ``origin``, ``added_at``.
    """
    return store.frame(LIST_TARGETS_SQL, {"owner_id": owner_id})


def target_coverage(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """For each target, who the log holds there on ``as_of``, from any source.

    Columns: ``owner_id``, ``organisation``, ``company_key``, ``known`` (contacts there),
    ``contacted`` and ``interviewed`` (contacts whose furthest stage is at least that),
    ``warm_way_in`` (someone there answered without declining, or was introduced by a
    referrer). Targets with nobody known are listed with zeros.
    """
    with stages_as_table(store, owner_id, as_of):
        return store.frame(TARGET_COVERAGE_SQL, {"owner_id": owner_id})


def _named(organisation: str) -> tuple[str, str]:
    name = " ".join(organisation.split())
    key = company_key(name)
    if key is None:
        raise InputError(f"{organisation!r} is not an organisation name")
    return name, key


def _require_owner(store: Store, owner_id: int) -> None:
    if store.value("SELECT count(*) FROM owners WHERE id = ?", [owner_id]) == 0:
        raise NotFoundError(f"no owner with id {owner_id} in this workspace")
