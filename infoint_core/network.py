"""The make-up of the network: where contacts work, what they do, when they were added.

A LinkedIn export is mostly people met along the way; seeing which organisations and
roles it already reaches shows where information interviews are within easy reach.
Organisations are grouped by ``company_key`` so "Acme Inc.", "ACME" and "Acme Ltd" are
one; positions by a folded title so "Data analyst" and "Data Analyst " are one. A contact
counts once known on ``as_of``: connected on or before it, or with no connection date.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from infoint_core.errors import InputError
from infoint_core.store import Store

DEFAULT_TOP = 10

# SQL's stand-in for identity.fold on a title: accents stripped, lower case, runs of
# anything but letters and digits (in any script) to one space.
_POSITION_KEY = r"trim(regexp_replace(lower(strip_accents(position)), '[^\pL\pN]+', ' ', 'g'))"

_KNOWN_CONTACTS = """
    SELECT * FROM contacts
    WHERE ($owner_id IS NULL OR owner_id = $owner_id)
      AND (connected_on IS NULL OR connected_on <= $as_of)
"""

# Each group is shown under its most common spelling (ties: the first alphabetically).
# Parameters: $as_of, $owner_id, $top.
TOP_ORGANISATIONS_SQL = f"""
WITH spellings AS (
    SELECT company_key, company, count(*) AS n
    FROM ({_KNOWN_CONTACTS})
    WHERE company_key IS NOT NULL
    GROUP BY ALL
)
SELECT first(company ORDER BY n DESC, company) AS organisation,
       company_key,
       sum(n)::INTEGER AS contacts
FROM spellings
GROUP BY company_key
ORDER BY contacts DESC, company_key
LIMIT $top
"""

TOP_POSITIONS_SQL = f"""
WITH spellings AS (
    SELECT {_POSITION_KEY} AS position_key, trim(position) AS position, count(*) AS n
    FROM ({_KNOWN_CONTACTS})
    WHERE position IS NOT NULL
    GROUP BY ALL
)
SELECT first(position ORDER BY n DESC, position) AS position,
       position_key,
       sum(n)::INTEGER AS contacts
FROM spellings
WHERE position_key <> ''
GROUP BY position_key
ORDER BY contacts DESC, position_key
LIMIT $top
"""

# Every year from the first connection to as_of's year, quiet years as 0.
# Parameters: $as_of, $owner_id.
CONNECTIONS_PER_YEAR_SQL = """
WITH added AS (
    SELECT year(connected_on) AS year, count(*) AS connections
    FROM contacts
    WHERE connected_on <= $as_of AND ($owner_id IS NULL OR owner_id = $owner_id)
    GROUP BY ALL
),
years AS (
    SELECT unnest(range((SELECT min(year) FROM added), year($as_of::DATE) + 1)) AS year
)
SELECT y.year::INTEGER AS year, coalesce(a.connections, 0)::INTEGER AS connections
FROM years y
LEFT JOIN added a USING (year)
ORDER BY y.year
"""


def top_organisations(
    store: Store, owner_id: int | None, as_of: date, top: int = DEFAULT_TOP
) -> pl.DataFrame:
    """The ``top`` organisations with the most contacts, most first.

    Columns: ``organisation`` (most common spelling), ``company_key``, ``contacts``.
    Contacts with no organisation are not counted. Raises InputError when ``top`` < 1.
    """
    return store.frame(TOP_ORGANISATIONS_SQL, _params(owner_id, as_of, top))


def top_positions(
    store: Store, owner_id: int | None, as_of: date, top: int = DEFAULT_TOP
) -> pl.DataFrame:
    """The ``top`` positions (job titles) held by the most contacts, most first.

    Columns: ``position`` (most common spelling), ``position_key``, ``contacts``.
    Raises InputError when ``top`` < 1.
    """
    return store.frame(TOP_POSITIONS_SQL, _params(owner_id, as_of, top))


def connections_per_year(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Contacts by the year they were connected (``connected_on``), quiet years as 0.

    Columns: ``year``, ``connections``; empty when no contact has a connection date.
    """
    return store.frame(CONNECTIONS_PER_YEAR_SQL, {"as_of": as_of, "owner_id": owner_id})


def _params(owner_id: int | None, as_of: date, top: int) -> dict[str, object]:
    if top < 1:
        raise InputError(f"show at least one, not {top}")
    return {"as_of": as_of, "owner_id": owner_id, "top": top}
