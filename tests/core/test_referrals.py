"""Referral chains: roots, sizes, depths, yield, chains that stop, and cycles that must not hang."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_core.errors import ReferralCycleError
from infoint_core.owners import owner_filter
from infoint_core.referrals import (
    ReferralGraph,
    _walk,
    find_referral_cycles,
    interviews_without_referral,
    referral_chains,
    referral_cycles,
    referral_summary,
    referral_yield,
)
from infoint_core.store import Store
from tests.conftest import AS_OF
from tests.samples.referrals import FOREST, close_loop, put


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: a cycle must never loop forever."""

    def give_up(*_: object) -> None:
        raise TimeoutError(f"took more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_chains_have_a_root_a_size_and_a_depth(store: Store) -> None:
    put(store, FOREST)
    assert referral_chains(store, None, AS_OF).select("root", "size", "depth").rows() == [
        ("Ada", 4, 2),
        ("Tim", 2, 1),
    ]
    assert referral_summary(store, None, AS_OF) == {
        "edges": 4,
        "roots": 2,
        "max_depth": 2,
        "chains": [
            {"root": "Ada", "size": 4, "depth": 2},
            {"root": "Tim", "size": 2, "depth": 1},
        ],
    }


def test_referral_yield_per_contact(store: Store) -> None:
    put(store, FOREST)
    rows = referral_yield(store, None, AS_OF).drop("contact_id").rows()
    assert rows == [
        # contact, introductions, descendants, reach, root, depth
        ("Ada", 2, 3, 2, "Ada", 0),
        ("Grace", 1, 1, 1, "Ada", 1),
        ("Tim", 1, 1, 1, "Tim", 0),
    ]


def test_interviews_without_a_referral(store: Store) -> None:
    put(store, FOREST, met=("Ada", "Alan", "Linus", "Margaret"))
    names = interviews_without_referral(store, None, AS_OF)["contact"].to_list()
    assert sorted(names) == ["Alan", "Linus", "Margaret"]
    assert interviews_without_referral(store, None, date(2026, 11, 1)).is_empty()


def test_no_referrals_gives_zeros(store: Store) -> None:
    assert referral_summary(store, None, AS_OF) == {
        "edges": 0,
        "roots": 0,
        "max_depth": 0,
        "chains": [],
    }
    put(store, {"Ada": None})
    assert referral_chains(store, None, AS_OF).is_empty()
    assert referral_yield(store, None, AS_OF).is_empty()


def test_chains_are_per_owner(store: Store) -> None:
    put(store, FOREST, owner="Sam")
    put(store, {"Ada": None, "Grace": "Ada"}, owner="Kim")
    kim = owner_filter(store, "Kim")
    assert referral_summary(store, kim, AS_OF)["chains"] == [{"root": "Ada", "size": 2, "depth": 1}]
    assert referral_summary(store, None, AS_OF)["edges"] == 5


def test_a_two_person_cycle_is_named_and_never_hangs(store: Store) -> None:
    put(store, {"Ada Lovelace": "Grace Hopper", "Grace Hopper": None})
    close_loop(store, "Grace Hopper", "Ada Lovelace")
    assert find_referral_cycles(store, None) == [["Ada Lovelace", "Grace Hopper"]]
    for read_out in (referral_chains, referral_yield):
        with within(5), pytest.raises(ReferralCycleError) as caught:
            read_out(store, None, AS_OF)
        assert str(caught.value) == "referral cycle: Ada Lovelace → Grace Hopper → Ada Lovelace"
    with within(5), pytest.raises(ReferralCycleError):
        referral_summary(store, None, AS_OF)


def test_a_longer_cycle_with_a_tail_and_a_self_referral(store: Store) -> None:
    # Ada referred Grace, Grace referred Alan, Alan referred Ada; Tim hangs off Alan.
    put(
        store,
        {"Ada": "Alan", "Grace": "Ada", "Alan": None, "Tim": "Alan", "Linus": None},
    )
    close_loop(store, "Alan", "Grace")
    store.run("UPDATE contacts SET referred_by_id = id WHERE name = 'Linus'")  # ingest refuses
    assert find_referral_cycles(store, None) == [["Ada", "Grace", "Alan"], ["Linus"]]
    with within(5), pytest.raises(ReferralCycleError) as caught:
        referral_chains(store, None, AS_OF)
    assert str(caught.value) == ("referral cycles: Ada → Grace → Alan → Ada; Linus → Linus")


def test_interviews_without_referral_do_not_need_a_walk(store: Store) -> None:
    put(store, {"Ada": "Grace", "Grace": None, "Alan": None}, met=("Alan",))
    close_loop(store, "Grace", "Ada")
    assert interviews_without_referral(store, None, AS_OF)["contact"].to_list() == ["Alan"]


def brute_depth(parent: dict[int, int], node: int) -> int:
    hops = 0
    while node in parent:
        node, hops = parent[node], hops + 1
    return hops


def has_cycle(parent: dict[int, int], node: int) -> bool:
    seen = set()
    while node in parent:
        if node in seen:
            return True
        seen.add(node)
        node = parent[node]
    return False


def graph_of(parents: list[int | None]) -> ReferralGraph:
    referrer = {i: p for i, p in enumerate(parents) if p is not None}
    referred: dict[int, list[int]] = {}
    for child, parent in referrer.items():
        referred.setdefault(parent, []).append(child)
    return ReferralGraph({i: f"P{i}" for i in range(len(parents))}, referrer, referred)


def parents_st(n: int) -> st.SearchStrategy[list[int | None]]:
    """Each of ``n`` people referred by anyone (themselves included) or nobody."""
    return st.lists(st.none() | st.integers(0, n - 1), min_size=n, max_size=n)


@given(st.integers(1, 40).flatmap(parents_st))
def test_cycles_are_found_exactly_and_the_walk_ends(parents: list[int | None]) -> None:
    graph = graph_of(parents)
    cycles = referral_cycles(graph)
    in_cycles = {node for cycle in cycles for node in cycle}
    assert in_cycles == {n for n in graph.names if n in graph.referrer and _on_cycle(graph, n)}
    for cycle in cycles:  # each referred the next, and the last referred the first
        for referrer, referred in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            assert graph.referrer[referred] == referrer
    assert bool(cycles) == any(has_cycle(graph.referrer, n) for n in graph.names)


def _on_cycle(graph: ReferralGraph, node: int) -> bool:
    current, steps = graph.referrer.get(node), 0
    while current is not None and steps <= len(graph.names):
        if current == node:
            return True
        current, steps = graph.referrer.get(current), steps + 1
    return False


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=40))
def test_a_forest_walks_to_brute_force_depths(seeds: list[int]) -> None:
    # each person's referrer comes earlier in the list (or none): always a forest
    parents = [None if i == 0 or s % 4 == 0 else s % i for i, s in enumerate(seeds)]
    graph = graph_of(parents)
    walk = _walk(graph)
    for node in walk.order:
        assert walk.depth[node] == brute_depth(graph.referrer, node)
    roots = [n for n in walk.order if walk.root[n] == n]
    assert sum(walk.descendants[r] for r in roots) == len(graph.referrer)
