"""Referral chains: who introduced whom, and how far each introduction went (CONTRACT §4).

Each contact has at most one referrer, so the referrals form a forest: a root is a
contact with no referrer who referred someone, and a contact's depth is its number of
hops from its root. The walk is plain Python over the owner's edge list (one query): it
is small, and a walk that can see the path it is on reports a cycle by name instead of
looping. Every read-out that walks chains raises ``ReferralCycleError`` on a cycle;
``find_referral_cycles`` lets import code check first.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from infoint_core.errors import ReferralCycleError
from infoint_core.records import EventKind, Stage
from infoint_core.stages import CONTACT_STAGES_SQL, contact_stages
from infoint_core.store import Store

# Every contact of the selected owner(s), with its referrer when that is the same owner's.
EDGES_SQL = """
SELECT c.id, c.name,
       CASE WHEN r.owner_id = c.owner_id THEN c.referred_by_id END AS referrer_id
FROM contacts c LEFT JOIN contacts r ON r.id = c.referred_by_id
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
ORDER BY c.id
"""

INTERVIEWS_WITHOUT_REFERRAL_SQL = f"""
WITH stages AS ({CONTACT_STAGES_SQL})
SELECT c.id::BIGINT AS contact_id, c.name AS contact, c.company,
       (SELECT max(e.on_date) FROM events e
        WHERE e.contact_id = c.id AND e.owner_id = c.owner_id
          AND e.kind = '{EventKind.MEETING}' AND e.on_date <= $as_of) AS interviewed_on
FROM stages s JOIN contacts c ON c.id = s.contact_id
WHERE s.stage_rank >= {Stage.INTERVIEWED.rank}
  AND NOT EXISTS (SELECT 1 FROM contacts r
                  WHERE r.referred_by_id = c.id AND r.owner_id = c.owner_id)
ORDER BY interviewed_on DESC NULLS LAST, c.name, c.id
"""


@dataclass(frozen=True, slots=True)
class ReferralGraph:
    """One owner's (or every owner's) referral links, by contact id."""

    names: dict[int, str]
    referrer: dict[int, int]  # referred contact -> the contact who referred them
    referred: dict[int, list[int]]  # referrer -> the contacts they introduced, by id


@dataclass(frozen=True, slots=True)
class _Walk:
    """Where every contact in a chain sits, and what grew below it."""

    order: list[int]  # roots first, then breadth first: parents before their referrals
    root: dict[int, int]
    depth: dict[int, int]
    descendants: dict[int, int]
    reach: dict[int, int]  # hops from the contact to the deepest person below it


def load_referral_graph(store: Store, owner_id: int | None) -> ReferralGraph:
    """The referral links of ``owner_id`` (``None``: every owner)."""
    names: dict[int, str] = {}
    referrer: dict[int, int] = {}
    referred: dict[int, list[int]] = {}
    for contact_id, name, referrer_id in store.rows(EDGES_SQL, {"owner_id": owner_id}):
        names[contact_id] = name
        if referrer_id is not None:
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


def _walk(graph: ReferralGraph) -> _Walk:
    """Depths from the roots down, then descendants and reach from the leaves up.

    Raises ReferralCycleError first, so the walk only ever sees a forest.
    """
    check_no_cycles(graph)
    roots = sorted(c for c in graph.referred if c not in graph.referrer)
    order: list[int] = []
    root: dict[int, int] = {}
    depth: dict[int, int] = {}
    queue = deque((r, r, 0) for r in roots)
    while queue:
        node, top, hops = queue.popleft()
        order.append(node)
        root[node], depth[node] = top, hops
        queue.extend((child, top, hops + 1) for child in graph.referred.get(node, ()))
    descendants = dict.fromkeys(order, 0)
    reach = dict.fromkeys(order, 0)
    for node in reversed(order):
        for child in graph.referred.get(node, ()):
            descendants[node] += descendants[child] + 1
            reach[node] = max(reach[node], reach[child] + 1)
    return _Walk(order, root, depth, descendants, reach)


def referral_chains(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per chain: ``root_id``, ``root`` (name), ``size`` (everyone in it, the root
    included) and ``depth`` (hops to its deepest member); biggest first.

    Referral links carry no date, so ``as_of`` does not change the result; it is taken
    so every read-out is called alike. Raises ReferralCycleError on a cycle.
    """
    del as_of
    return _chains_of(load_referral_graph(store, owner_id))


def _chains_of(graph: ReferralGraph) -> pl.DataFrame:
    walk = _walk(graph)
    rows = [
        (r, graph.names[r], walk.descendants[r] + 1, walk.reach[r])
        for r in walk.order
        if walk.root[r] == r
    ]
    schema = {"root_id": pl.Int64, "root": pl.String, "size": pl.Int64, "depth": pl.Int64}
    chains = pl.DataFrame(rows, schema=schema, orient="row")
    return chains.sort(["size", "depth", "root"], descending=[True, True, False])


def referral_yield(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """One row per contact who introduced anyone: ``contact_id``, ``contact``,
    ``introductions`` (people they named), ``descendants`` (everyone reached through
    them), ``reach`` (hops below them), ``root`` (whose chain) and ``depth`` (their hops
    from it); the most fruitful first.

    ``as_of`` is taken for a uniform call only. Raises ReferralCycleError on a cycle.
    """
    del as_of
    graph = load_referral_graph(store, owner_id)
    walk = _walk(graph)
    rows = [
        (c, graph.names[c], len(graph.referred[c]), walk.descendants[c], walk.reach[c],
         graph.names[walk.root[c]], walk.depth[c])
        for c in walk.order
        if c in graph.referred
    ]  # fmt: skip
    schema = {
        "contact_id": pl.Int64,
        "contact": pl.String,
        "introductions": pl.Int64,
        "descendants": pl.Int64,
        "reach": pl.Int64,
        "root": pl.String,
        "depth": pl.Int64,
    }
    frame = pl.DataFrame(rows, schema=schema, orient="row")
    return frame.sort(["descendants", "introductions", "contact"], descending=[True, True, False])


def referral_tree(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Everyone in a referral chain, one row each: ``contact_id``, ``contact``,
    ``referrer_id`` and ``referred_by`` (null for a root), ``root_id``, ``root``,
    ``depth`` (hops from the root), ``introductions``, ``descendants`` and ``reach`` (as
    in ``referral_yield``, 0 for someone who introduced nobody) and ``stage`` (the
    furthest reached by ``as_of``).

    Chains come biggest first (as in ``referral_chains``), and within a chain everyone
    follows the person who introduced them. Contacts in no chain are left out: this is
    the drawing of the chains, and the table beside it. Raises ReferralCycleError on a
    cycle.
    """
    graph = load_referral_graph(store, owner_id)
    walk = _walk(graph)
    chain_rank = {r: i for i, r in enumerate(_chains_of(graph)["root_id"])}
    order = sorted(walk.order, key=lambda c: chain_rank[walk.root[c]])  # stable: BFS kept
    stages = dict(contact_stages(store, owner_id, as_of).select("contact_id", "stage").rows())
    rows = []
    for c in order:
        referrer = graph.referrer.get(c)
        rows.append((
            c, graph.names[c], referrer, None if referrer is None else graph.names[referrer],
            walk.root[c], graph.names[walk.root[c]], walk.depth[c],
            len(graph.referred.get(c, ())), walk.descendants[c], walk.reach[c], stages.get(c),
        ))  # fmt: skip
    schema = {
        "contact_id": pl.Int64,
        "contact": pl.String,
        "referrer_id": pl.Int64,
        "referred_by": pl.String,
        "root_id": pl.Int64,
        "root": pl.String,
        "depth": pl.Int64,
        "introductions": pl.Int64,
        "descendants": pl.Int64,
        "reach": pl.Int64,
        "stage": pl.String,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def interviews_without_referral(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Interviewed contacts (by ``as_of``) who referred nobody: ``contact_id``, ``contact``,
    ``company``, ``interviewed_on`` (latest interview; null when only a status says so).

    These are where chains stop: the next conversation could ask them for a name.
    """
    return store.frame(INTERVIEWS_WITHOUT_REFERRAL_SQL, {"as_of": as_of, "owner_id": owner_id})


def referral_summary(store: Store, owner_id: int | None, as_of: date) -> dict[str, Any]:
    """The ``referrals`` object of CONTRACT §6: ``edges``, ``roots``, ``max_depth`` and
    ``chains`` (``root``, ``size``, ``depth`` each). Raises ReferralCycleError on a cycle."""
    del as_of  # referral links carry no date
    graph = load_referral_graph(store, owner_id)
    chains = _chains_of(graph)
    return {
        "edges": len(graph.referrer),
        "roots": chains.height,
        "max_depth": int(chains["depth"].max() or 0),
        "chains": chains.select("root", "size", "depth").to_dicts(),
    }
