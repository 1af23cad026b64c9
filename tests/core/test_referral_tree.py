"""referral_tree: everyone in a chain, parents first, with depth, yield and stage."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from infoint_core.errors import ReferralCycleError
from infoint_core.referrals import referral_tree, referral_yield
from infoint_core.store import Store
from tests.conftest import AS_OF
from tests.samples.referrals import FOREST, put


def test_chain_members_come_chain_by_chain_referrers_first(store: Store) -> None:
    put(store, FOREST, met=("Grace",))
    tree = referral_tree(store, None, AS_OF)
    columns = ["contact", "referred_by", "root", "depth", "introductions", "descendants", "stage"]
    assert tree.select(columns).rows() == [
        ("Ada", None, "Ada", 0, 2, 3, "identified"),
        ("Grace", "Ada", "Ada", 1, 1, 1, "interviewed"),
        ("Katherine", "Ada", "Ada", 1, 0, 0, "identified"),
        ("Alan", "Grace", "Ada", 2, 0, 0, "identified"),
        ("Tim", None, "Tim", 0, 1, 1, "identified"),
        ("Margaret", "Tim", "Tim", 1, 0, 0, "identified"),
    ]  # Linus introduced nobody and was introduced by nobody: in no chain
    ids = dict(tree.select("contact", "contact_id").rows())
    assert dict(tree.select("contact", "referrer_id").rows())["Alan"] == ids["Grace"]
    assert set(tree["root_id"]) == {ids["Ada"], ids["Tim"]}


def test_yield_figures_match_referral_yield(store: Store) -> None:
    put(store, FOREST)
    tree = referral_tree(store, None, AS_OF).filter(pl.col("introductions") > 0)
    fruitful = referral_yield(store, None, AS_OF)
    columns = ["contact", "introductions", "descendants", "reach", "root", "depth"]
    assert sorted(tree.select(columns).rows()) == sorted(fruitful.select(columns).rows())


def test_stages_are_judged_on_as_of(store: Store) -> None:
    put(store, FOREST, met=("Grace",))  # met on 2 November 2026
    before = referral_tree(store, None, date(2026, 11, 1))
    assert dict(before.select("contact", "stage").rows())["Grace"] == "scheduled"


def test_an_empty_log_gives_an_empty_tree(store: Store) -> None:
    tree = referral_tree(store, None, AS_OF)
    assert tree.is_empty()
    assert tree.columns == [
        "contact_id", "contact", "referrer_id", "referred_by", "root_id", "root", "depth",
        "introductions", "descendants", "reach", "stage",
    ]  # fmt: skip


def test_a_cycle_is_an_error_naming_the_people(store: Store) -> None:
    put(store, {"Ada Lovelace": "Grace Hopper", "Grace Hopper": None})
    store.run(
        "UPDATE contacts SET referred_by_id = (SELECT id FROM contacts WHERE name = ?) "
        "WHERE name = ?",
        ["Ada Lovelace", "Grace Hopper"],
    )
    with pytest.raises(ReferralCycleError, match="Ada Lovelace → Grace Hopper → Ada Lovelace"):
        referral_tree(store, None, AS_OF)
