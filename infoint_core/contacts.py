"""The ``contacts`` read-out: every contact with its furthest stage (CONTRACT §6), and
the lists pages pick a contact from.

A student's log holds tens of thousands of contacts (a LinkedIn export), so these are
Polars frames: the Contacts page filters and pages through one with expressions
(``filter_contacts``), and the pickers read a few columns, instead of turning every
contact into a dict (30,000 dicts take about eight times the memory of their frame, and
the dashboard keeps a frame once where it gives each run its own copy of anything else).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

import polars as pl

from infoint_core.owners import owner_filter
from infoint_core.stages import contact_stages
from infoint_core.store import Store

# The name under which the day's contact stages are shown to CONTACTS_SQL.
_STAGES_TABLE = "contacts_stage_on_day"

CONTACTS_SQL = f"""
SELECT c.id, o.name AS owner, c.name, c.company, c.position, c.email, c.linkedin_url,
       c.industry, c.source, r.name AS referred_by,
       strftime(c.connected_on, '%Y-%m-%d') AS connected_on,
       s.stage, s.declined, c.status, c.notes
FROM contacts c
JOIN owners o ON o.id = c.owner_id
JOIN {_STAGES_TABLE} s ON s.contact_id = c.id
LEFT JOIN contacts r ON r.id = c.referred_by_id
ORDER BY o.name, c.name_key, c.id
"""

# Whom a page can pick: who each person is, not how far they got (no stages needed).
CHOICES_SQL = """
SELECT c.id, concat_ws(' · ', c.name, nullif(c.company, '')) AS label
FROM contacts c
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
ORDER BY c.name_key, c.id
"""

REFERRER_SQL = """
SELECT r.name FROM contacts c JOIN contacts r ON r.id = c.referred_by_id WHERE c.id = ?
"""

# What a search looks in: the words a person remembers someone by.
SEARCHED_FIELDS = ("name", "company", "position")


def contacts_frame(
    store: Store, owner: str | None = None, as_of: date | None = None
) -> pl.DataFrame:
    """Every contact of ``owner`` (every owner when ``None``), one row each, by owner and
    name: ``id``, ``owner``, ``name``, ``company``, ``position``, ``email``,
    ``linkedin_url``, ``industry``, ``source``, ``referred_by`` (name), ``connected_on``
    ("YYYY-MM-DD" or null), ``stage`` (furthest reached by ``as_of``, default today),
    ``declined``, ``status`` and ``notes``.

    Raises NotFoundError for an owner the workspace does not hold.
    """
    owner_id = owner_filter(store, owner)
    stages = contact_stages(store, owner_id, as_of or date.today())
    with store.frame_as_table(_STAGES_TABLE, stages):
        return store.frame(CONTACTS_SQL)


def list_contacts(
    store: Store, owner: str | None = None, as_of: date | None = None
) -> list[dict[str, Any]]:
    """Every contact of ``owner`` (every owner when ``None``) as a plain dict, with the
    fields of ``contacts_frame``.

    Raises NotFoundError for an owner the workspace does not hold.
    """
    return contacts_frame(store, owner, as_of).to_dicts()


def contact_choices(store: Store, owner: str | None = None) -> pl.DataFrame:
    """Every contact of ``owner`` (every owner when ``None``) to pick from, by name:
    ``id`` and ``label`` (name · organisation, the name alone without one).

    Raises NotFoundError for an owner the workspace does not hold.
    """
    return store.frame(CHOICES_SQL, {"owner_id": owner_filter(store, owner)})


def referrer_name(store: Store, contact_id: int) -> str | None:
    """The name of the person who referred ``contact_id`` (``None``: nobody did)."""
    return store.value(REFERRER_SQL, [contact_id])


def filter_contacts(
    contacts: pl.DataFrame, text: str = "", stages: Collection[str] = ()
) -> pl.DataFrame:
    """The rows of ``contacts`` whose name, organisation or position holds ``text`` (case
    ignored; blank: every row) and whose stage is one of ``stages`` (empty: any stage).

    The fields are searched as one line, so "Ada Navy" finds Ada at the Navy.
    """
    wanted = text.strip().lower()
    shown = contacts.filter(pl.col("stage").is_in(list(stages))) if stages else contacts
    if not wanted:
        return shown
    line = pl.concat_str([pl.col(f).fill_null("") for f in SEARCHED_FIELDS], separator=" ")
    return shown.filter(line.str.to_lowercase().str.contains(wanted, literal=True))
