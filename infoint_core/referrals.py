"""Referral chains: who introduced whom, and how far each introduction went (CONTRACT §4).

Each contact has at most one referrer, so the referrals form a forest: a root is a
contact with no referrer who referred someone, and a contact's depth is its number of
hops from its root. The chains are walked in SQL, down from the roots (``WALK_SQL``): a
walk down from a root never enters a cycle, so it always ends, and a link it does not
reach can only hang below a cycle. Every read-out that walks chains then raises
``ReferralCycleError`` naming the people in the loop; ``find_referral_cycles`` and
``check_no_cycles`` let import code check first. Only the few contacts in a link are
read, never the whole log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.errors import ReferralCycleError
from infoint_core.records import EventKind, Stage
from infoint_core.stages import contact_stages
from infoint_core.store import Store

# Every referral link of the selected owner(s) ($owner_id NULL: every owner). A referrer
# who is another owner's contact makes no link in this owner's chains. (Saying that a
# link needs a referrer halves the query: the join alone left the few referred people
# to be found among every contact.)
_LINKS_SQL = """
SELECT c.owner_id, c.id, c.name, r.id AS referrer_id, r.name AS referrer
FROM contacts c JOIN contacts r ON r.id = c.referred_by_id AND r.owner_id = c.owner_id
WHERE ($owner_id IS NULL OR c.owner_id = $owner_id) AND c.referred_by_id IS NOT NULL
"""

# The same links by id alone, for the figures that need no name.
_LINK_IDS_SQL = f"SELECT owner_id, referrer_id, id AS referred_id FROM ({_LINKS_SQL})"

# Everyone in a chain, walked down from the roots: owner_id, contact_id, contact (name),
# referrer_id, root_id, depth and path (ids from the root down to the contact). Links the
# walk does not reach come last, with a null root_id: they sit on or below a cycle.
WALK_SQL = f"""
WITH RECURSIVE links AS ({_LINKS_SQL}),
roots AS (
    SELECT DISTINCT owner_id, referrer_id AS id, referrer AS name FROM links
    WHERE referrer_id NOT IN (SELECT id FROM links)
),
walk AS (
    SELECT owner_id, id, name, NULL::INTEGER AS referrer_id, id AS root_id, 0 AS depth,
           [id] AS path
    FROM roots
    UNION ALL
    SELECT l.owner_id, l.id, l.name, l.referrer_id, w.root_id, w.depth + 1,
           list_append(w.path, l.id)
    FROM walk w JOIN links l ON l.referrer_id = w.id
)
SELECT owner_id, id AS contact_id, name AS contact, referrer_id, root_id, depth, path
FROM walk
UNION ALL
SELECT owner_id, id, name, referrer_id, NULL, NULL, NULL FROM links
WHERE id NOT IN (SELECT id FROM walk)
"""

# Interviewed contacts (their ids in the frame ``interviewed_contacts``) who referred
# nobody of their owner's, with their latest interview by $as_of.
_WITHOUT_REFERRAL_SQL = f"""
SELECT c.id::BIGINT AS contact_id, c.name AS contact, c.company,
       max(e.on_date) AS interviewed_on
FROM interviewed_contacts i
JOIN contacts c ON c.id = i.contact_id
LEFT JOIN events e ON e.contact_id = c.id AND e.owner_id = c.owner_id
     AND e.kind = '{EventKind.MEETING}' AND e.on_date <= $as_of
WHERE NOT EXISTS (SELECT 1 FROM contacts r
                  WHERE r.referred_by_id = c.id AND r.owner_id = c.owner_id)
GROUP BY c.id, c.name, c.company
ORDER BY interviewed_on DESC NULLS LAST, c.name, c.id
"""

_IDS = ("owner_id", "contact_id", "referrer_id", "root_id")
_CHAIN_SCHEMA = {"root_id": pl.Int64, "root": pl.String, "size": pl.Int64, "depth": pl.Int64}


@dataclass(frozen=True, slots=True)
class ReferralGraph:
    """One owner's (or every owner's) referral links, by contact id: only the people in a
    link (as referrer or referred) are in it."""

    names: dict[int, str]
    referrer: dict[int, int]  # referred contact -> the contact who referred them
    referred: dict[int, list[int]]  # referrer -> the contacts they introduced, by id


def load_referral_graph(store: Store, owner_id: int | None) -> ReferralGraph:
    """The referral links of ``owner_id`` (``None``: every owner)."""
    names: dict[int, str] = {}
    referrer: dict[int, int] = {}
    referred: dict[int, list[int]] = {}
    links = store.rows(
        f"SELECT id, name, referrer_id, referrer FROM ({_LINKS_SQL}) ORDER BY id",
        {"owner_id": owner_id},
    )
    for contact_id, name, referrer_id, referrer_name in links:
        names[contact_id], names[referrer_id] = name, referrer_name
        referrer[contact_id] = referrer_id
        referred.setdefault(referrer_id, []).append(contact_id)
    return ReferralGraph(names, referrer, referred)


def referral_cycles(graph: ReferralGraph) -> list[list[int]]:
    """Every cycle as contact ids in referral order (each referred the next, the last the
    first), starting from its lowest id. Walks up each referrer path once, so it ends."""
    done: set[int] = set()
    cycles = []
    for start in sorted(graph.names):
        path: list[int] = []
        position: dict[int, int] = {}
        node: int | None = start
        while node is not None and node not in done:
            if node in position:
                cycle = path[position[node] :][::-1]  # walked upwards; read it downwards
                turn = cycle.index(min(cycle))
                cycles.append(cycle[turn:] + cycle[:turn])
                break
            position[node] = len(path)
            path.append(node)
            node = graph.referrer.get(node)
        done.update(path)
    return cycles


def find_referral_cycles(store: Store, owner_id: int | None) -> list[list[str]]:
    """Every referral cycle as the names of the people in it, in referral order
    (each referred the next; the last referred the first). Empty when there is none."""
    graph = load_referral_graph(store, owner_id)
    return [[graph.names[c] for c in cycle] for cycle in referral_cycles(graph)]


def describe_cycles(cycles: list[list[str]]) -> str:
    """``referral cycle: Ada Lovelace → Grace Hopper → Ada Lovelace`` (several: ``; ``)."""
    loops = "; ".join(" → ".join([*names, names[0]]) for names in cycles)
    return f"referral cycle{'s' if len(cycles) > 1 else ''}: {loops}"


def check_no_cycles(graph: ReferralGraph) -> None:
    """Raises ReferralCycleError naming everyone in each cycle, when there is one."""
    if cycles := referral_cycles(graph):
        raise ReferralCycleError(
            describe_cycles([[graph.names[c] for c in cycle] for cycle in cycles])
        )


def chain_members(store: Store, owner_id: int | None) -> pl.DataFrame:
    """Everyone in a referral chain of ``owner_id`` (``None``: every owner), one row each:
    ``owner_id``, ``contact_id``, ``contact``, ``referrer_id`` (null for a root),
    ``root_id``, ``depth`` and ``path`` (contact ids from the root down to them).

    One recursive query. Raises ReferralCycleError naming the people in each cycle.
    """
    members = store.frame(WALK_SQL, {"owner_id": owner_id})
    if members["root_id"].has_nulls():
        raise ReferralCycleError(describe_cycles(find_referral_cycles(store, owner_id)))
    return members.with_columns(
        pl.col(*_IDS).cast(pl.Int64),
        pl.col("depth").cast(pl.Int64),
        pl.col("path").cast(pl.List(pl.Int64)),
    )


def _with_yield(members: pl.DataFrame) -> pl.DataFrame:
    """``members`` with ``introductions`` (people they named), ``descendants`` (everyone
    reached through them), ``reach`` (hops to the deepest of those) and ``root`` (name).

    Each member's path lists everyone above them, so exploding it counts each member once
    under themselves and once under each person above them.
    """
    below = (
        members.select("depth", contact_id=pl.col("path"))
        .explode("contact_id")
        .group_by("contact_id")
        .agg(descendants=pl.len().cast(pl.Int64) - 1, deepest=pl.col("depth").max())
    )
    named = (
        members.group_by("referrer_id")
        .agg(introductions=pl.len().cast(pl.Int64))
        .rename({"referrer_id": "contact_id"})
    )
    roots = members.select(root_id="contact_id", root="contact")
    return (
        members.join(below, on="contact_id")
        .join(named, on="contact_id", how="left")
        .join(roots, on="root_id")
        .with_columns(
            pl.col("introductions").fill_null(0), reach=pl.col("deepest") - pl.col("depth")
        )
        .drop("deepest")
    )


def _chains_of(members: pl.DataFrame) -> pl.DataFrame:
    """One row per chain (``root_id``, ``root``, ``size``, ``depth``), biggest first."""
    chains = members.group_by("root_id").agg(
        size=pl.len().cast(pl.Int64),
        depth=pl.col("depth").max(),
        root=pl.col("contact").filter(pl.col("depth") == 0).first(),
    )
    return (
        chains.select(*_CHAIN_SCHEMA)
        .cast(_CHAIN_SCHEMA)
        .sort(["size", "depth", "root", "root_id"], descending=[True, True, False, False])
    )


def referral_chains(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per chain: ``root_id``, ``root`` (name), ``size`` (everyone in it, the root
    included) and ``depth`` (hops to its deepest member); biggest first.

    Referral links carry no date, so ``as_of`` does not change the result; it is taken
    so every read-out is called alike. Raises ReferralCycleError on a cycle.
    """
    del as_of
    return _chains_of(chain_members(store, owner_id))


def referral_yield(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact who introduced anyone: ``contact_id``, ``contact``,
    ``introductions`` (people they named), ``descendants`` (everyone reached through
    them), ``reach`` (hops below them), ``root`` (whose chain) and ``depth`` (their hops
    from it); the most fruitful first.

    ``as_of`` is taken for a uniform call only. Raises ReferralCycleError on a cycle.
    """
    del as_of
    fruitful = _with_yield(chain_members(store, owner_id)).filter(pl.col("introductions") > 0)
    return fruitful.select(
        "contact_id", "contact", "introductions", "descendants", "reach", "root", "depth"
    ).sort(
        ["descendants", "introductions", "contact", "contact_id"],
        descending=[True, True, False, False],
    )


def referral_tree(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Everyone in a referral chain, one row each: ``contact_id``, ``contact``,
    ``referrer_id`` and ``referred_by`` (null for a root), ``root_id``, ``root``,
    ``depth`` (hops from the root), ``introductions``, ``descendants`` and ``reach`` (as
    in ``referral_yield``, 0 for someone who introduced nobody) and ``stage`` (the
    furthest reached by ``as_of``).

    Chains come biggest first (as in ``referral_chains``), and within a chain level by
    level, everyone after the person who introduced them (siblings by id, under their
    referrers' order). Contacts in no chain are left out: this is the drawing of the
    chains, and the table beside it. Raises ReferralCycleError on a cycle.
    """
    members = chain_members(store, owner_id)
    rank = _chains_of(members).select("root_id", chain=pl.int_range(pl.len(), dtype=pl.Int64))
    referrers = members.select(referrer_id="contact_id", referred_by="contact")
    stages = contact_stages(store, owner_id, as_of).select(
        pl.col("contact_id").cast(pl.Int64), "stage"
    )
    tree = (
        _with_yield(members)
        .join(rank, on="root_id")
        .join(referrers, on="referrer_id", how="left")
        .join(stages, on="contact_id", how="left")
        # The path from the root orders a level as a breadth-first walk would.
        .sort("chain", "depth", "path")
    )
    return tree.select(
        "contact_id", "contact", "referrer_id", "referred_by", "root_id", "root", "depth",
        "introductions", "descendants", "reach", "stage",
    )  # fmt: skip


def interviews_without_referral(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Interviewed contacts (by ``as_of``) who referred nobody: ``contact_id``, ``contact``,
    ``company``, ``interviewed_on`` (latest interview; null when only a status says so).

    These are where chains stop: the next conversation could ask them for a name.
    """
    stages = contact_stages(store, owner_id, as_of)
    interviewed = stages.filter(pl.col("stage_rank") >= Stage.INTERVIEWED.rank).select("contact_id")
    with store.frame_as_table("interviewed_contacts", interviewed):
        return store.frame(_WITHOUT_REFERRAL_SQL, {"as_of": as_of})


def referral_summary(store: Store, owner_id: int | None, as_of: date) -> dict[str, Any]:
    """The ``referrals`` object of CONTRACT §6: ``edges``, ``roots``, ``max_depth`` and
    ``chains`` (``root``, ``size``, ``depth`` each). Raises ReferralCycleError on a cycle."""
    del as_of  # referral links carry no date
    members = chain_members(store, owner_id)
    chains = _chains_of(members)
    return {
        "edges": members.height - chains.height,
        "roots": chains.height,
        "max_depth": int(chains["depth"].max() or 0),
        "chains": chains.select("root", "size", "depth").to_dicts(),
    }


def referral_links(store: Store, owner_id: int | None) -> pl.DataFrame:
    """Every referral link of ``owner_id`` (``None``: every owner) by id alone:
    ``owner_id``, ``referrer_id``, ``referred_id``. As in the chains, a referrer who is
    another owner's contact makes no link."""
    return store.frame(_LINK_IDS_SQL, {"owner_id": owner_id})


def referral_summaries(store: Store, judged: pl.DataFrame, links: pl.DataFrame) -> pl.DataFrame:
    """Every owner's ``referral_summary`` figures at once: for each ``student`` (owner id)
    in ``judged``, ``edges``, ``roots`` and ``max_depth`` (null for an owner with no
    chain), from every owner's ``links`` (``referral_links``).

    The figures need neither names nor paths, so the links a cohort has already read are
    walked in Polars, a level at a time, instead of once more in SQL. ``judged`` also
    says each owner's day (``judged_on``), as the cohort's other facts take it; referral
    links carry no date, so the day changes nothing. Raises ReferralCycleError on a
    cycle in anyone's log.
    """
    depths = _link_depths(links)
    if depths.height < links.height:
        raise ReferralCycleError(describe_cycles(find_referral_cycles(store, None)))
    figures = depths.group_by(student=pl.col("owner_id").cast(pl.Int64)).agg(
        edges=pl.len().cast(pl.Int64),
        roots=pl.col("referrer_id").filter(pl.col("depth") == 1).n_unique().cast(pl.Int64),
        max_depth=pl.col("depth").max(),
    )
    return (
        judged.select(pl.col("student").cast(pl.Int64))
        .join(figures, on="student", how="left", maintain_order="left")
        .with_columns(pl.col("edges", "roots").fill_null(0))
    )


def _link_depths(links: pl.DataFrame) -> pl.DataFrame:
    """The links reached walking down from the roots (referrers nobody referred), each
    with ``depth``: hops from the root to the person referred. One join per level of the
    deepest chain. Everyone has one referrer at most, so a walk down never enters a
    cycle: a link left out sits on or below one."""
    level = links.filter(~pl.col("referrer_id").is_in(links["referred_id"].implode()))
    levels = []
    while level.height:
        levels.append(level.with_columns(depth=pl.lit(len(levels) + 1, pl.Int64)))
        level = links.join(level.select(referrer_id="referred_id"), on="referrer_id")
    return pl.concat([links.clear().with_columns(depth=pl.lit(0, pl.Int64)), *levels])
