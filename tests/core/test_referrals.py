"""Referral chains: roots, sizes, depths, yield, chains that stop, and cycles that must not hang."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_core.errors import ReferralCycleError
from infoint_core.owners import owner_filter
from infoint_core.referrals import (
    ReferralGraph,
    find_referral_cycles,
    interviews_without_referral,
    referral_chains,
    referral_cycles,
    referral_links,
    referral_summaries,
    referral_summary,
    referral_tree,
    referral_yield,
)
from infoint_core.store import Store, open_memory_workspace
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


@pytest.fixture(scope="module")
def memory() -> Iterator[Store]:
    """One in-memory workspace for every example of a property test (each refills it)."""
    store = open_memory_workspace()
    store.run("INSERT INTO owners (id, name) VALUES (1, 'me')")
    yield store
    store.close()


def refill(store: Store, parents: list[int | None]) -> Store:
    """The log of owner 1 becomes: person ``Pi`` (id i + 1) referred by ``parents[i]``."""
    people = pl.DataFrame(
        {
            "id": range(1, len(parents) + 1),
            "name": [f"P{i}" for i in range(len(parents))],
            "referrer": [None if p is None else p + 1 for p in parents],
        },
        schema={"id": pl.Int32, "name": pl.String, "referrer": pl.Int32},
    )
    store.run("DELETE FROM contacts")
    with store.frame_as_table("people", people):
        store.run(
            "INSERT INTO contacts (id, owner_id, name, name_key, referred_by_id) "
            "SELECT id, 1, name, lower(name), referrer FROM people"
        )
    store.mark_changed()  # read-outs keep answers per data version
    return store


def forest_st() -> st.SearchStrategy[list[int | None]]:
    """Each person's referrer comes earlier in the list (or none): always a forest."""
    seeds = st.lists(st.integers(0, 10**6), min_size=1, max_size=30)
    return seeds.map(lambda ss: [None if i == 0 or s % 4 == 0 else s % i for i, s in enumerate(ss)])


@settings(max_examples=60, deadline=None)
@given(forest_st())
def test_the_walk_in_sql_gives_brute_force_figures(
    memory: Store, parents: list[int | None]
) -> None:
    referrer = {i: p for i, p in enumerate(parents) if p is not None}
    linked = set(referrer) | set(referrer.values())
    store = refill(memory, parents)
    tree = referral_tree(store, None, AS_OF)
    summary = referral_summary(store, None, AS_OF)
    ids = [int(name[1:]) for name in tree["contact"]]
    assert sorted(ids) == sorted(linked)
    for row in tree.iter_rows(named=True):
        node = int(row["contact"][1:])
        below = [n for n in linked if n != node and _is_above(referrer, node, n)]
        assert row["depth"] == brute_depth(referrer, node)
        assert row["descendants"] == len(below)
        assert (
            row["reach"]
            == max((brute_depth(referrer, n) for n in below), default=row["depth"]) - row["depth"]
        )
        assert row["introductions"] == sum(1 for p in referrer.values() if p == node)
        if node in referrer:  # everyone comes after the person who introduced them
            assert ids.index(referrer[node]) < ids.index(node)
    assert summary["edges"] == len(referrer)
    assert sum(chain["size"] for chain in summary["chains"]) == len(linked)
    assert summary["max_depth"] == max((brute_depth(referrer, n) for n in linked), default=0)


def _is_above(parent: dict[int, int], top: int, node: int) -> bool:
    while node in parent:
        node = parent[node]
        if node == top:
            return True
    return False


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30).flatmap(parents_st))
def test_the_walk_in_sql_ends_and_names_every_cycle(
    memory: Store, parents: list[int | None]
) -> None:
    graph = graph_of(parents)
    store = refill(memory, parents)
    with within(5):
        if any(has_cycle(graph.referrer, n) for n in graph.names):
            with pytest.raises(ReferralCycleError) as caught:
                referral_chains(store, None, AS_OF)
            for cycle in referral_cycles(graph):
                assert " → ".join(graph.names[c] for c in cycle) in str(caught.value)
        else:
            chains = referral_chains(store, None, AS_OF)
            assert chains["size"].sum() - chains.height == len(graph.referrer)


def test_every_owners_summary_is_their_own(store: Store) -> None:
    put(store, FOREST, owner="Sam")
    put(store, {"Ada": None, "Grace": "Ada"}, owner="Kim")
    put(store, {"Linus": None}, owner="Lee")  # nobody referred anyone
    owners = [owner_filter(store, name) for name in ("Sam", "Kim", "Lee")]
    judged = pl.DataFrame({"student": owners, "judged_on": [AS_OF] * 3})
    summaries = referral_summaries(store, judged, referral_links(store, None))
    assert summaries["student"].to_list() == owners
    for row in summaries.iter_rows(named=True):
        alone = referral_summary(store, row["student"], AS_OF)
        assert (row["edges"], row["roots"]) == (alone["edges"], alone["roots"])
        assert row["max_depth"] == (alone["max_depth"] if alone["roots"] else None)
    assert summaries.select("edges", "roots", "max_depth").rows() == [
        (4, 2, 2),
        (1, 1, 1),
        (0, 0, None),
    ]


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30).flatmap(parents_st))
def test_the_walk_in_polars_agrees_with_the_walk_in_sql(
    memory: Store, parents: list[int | None]
) -> None:
    graph = graph_of(parents)
    store = refill(memory, parents)
    judged = pl.DataFrame({"student": [1], "judged_on": [AS_OF]})
    with within(5):
        if any(has_cycle(graph.referrer, n) for n in graph.names):
            with pytest.raises(ReferralCycleError):
                referral_summaries(store, judged, referral_links(store, None))
            return
        (row,) = referral_summaries(store, judged, referral_links(store, None)).iter_rows(
            named=True
        )
    alone = referral_summary(store, None, AS_OF)
    assert (row["edges"], row["roots"]) == (alone["edges"], alone["roots"])
    assert row["max_depth"] == (alone["max_depth"] if alone["roots"] else None)


def test_every_owners_summary_names_a_cycle(store: Store) -> None:
    put(store, {"Ada": None}, owner="Sam")
    put(store, {"Ada Lovelace": "Grace Hopper", "Grace Hopper": None}, owner="Kim")
    close_loop(store, "Grace Hopper", "Ada Lovelace")
    judged = pl.DataFrame({"student": [owner_filter(store, "Sam")], "judged_on": [AS_OF]})
    with within(5), pytest.raises(ReferralCycleError, match="Ada Lovelace → Grace Hopper"):
        referral_summaries(store, judged, referral_links(store, None))
