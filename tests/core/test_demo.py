"""The demo log: deterministic, about 150 contacts, every stage, deep chains, removable."""

from __future__ import annotations

from collections import Counter

from infoint_core.contacts import list_contacts
from infoint_core.demo import build_demo, clear_demo, has_demo, load_demo, seed_on_first_start
from infoint_core.records import STAGES
from infoint_core.store import Store
from tests.conftest import AS_OF


def test_the_same_day_and_seed_give_the_same_log() -> None:
    assert build_demo(AS_OF) == build_demo(AS_OF)
    assert build_demo(AS_OF, seed=8) != build_demo(AS_OF)


def test_about_150_contacts_across_every_stage(store: Store) -> None:
    load_demo(store, AS_OF)
    stages = Counter(c["stage"] for c in list_contacts(store, as_of=AS_OF))
    assert 140 <= sum(stages.values()) <= 160
    assert set(stages) == {s.value for s in STAGES}
    assert any(c["status"] == "declined" for c in list_contacts(store, as_of=AS_OF))


def test_referral_chains_reach_three_hops(store: Store) -> None:
    load_demo(store, AS_OF)
    depth = store.value(
        """WITH RECURSIVE chain(id, depth) AS (
               SELECT id, 0 FROM contacts WHERE referred_by_id IS NULL
               UNION ALL
               SELECT c.id, chain.depth + 1 FROM contacts c JOIN chain
                 ON c.referred_by_id = chain.id)
           SELECT max(depth) FROM chain"""
    )
    assert depth == 3


def test_every_kind_of_gap_has_a_case(store: Store) -> None:
    load_demo(store, AS_OF)
    dated = store.rows(
        """SELECT c.name, e.kind, e.on_date FROM events e JOIN contacts c ON c.id = e.contact_id
           WHERE e.on_date IS NOT NULL"""
    )
    meetings = [on for _, kind, on in dated if kind == "meeting"]
    assert any(0 < (on - AS_OF).days <= 7 for on in meetings)  # unprepared meeting
    assert any((AS_OF - on).days > 90 for on in meetings)  # gone cold
    outreach_days = [(AS_OF - on).days for _, kind, on in dated if kind == "outreach"]
    assert 5 in outreach_days and 12 in outreach_days  # no response, both severities


def test_loading_twice_changes_nothing(store: Store) -> None:
    load_demo(store, AS_OF)
    again = load_demo(store, AS_OF)
    assert (again.contacts_added, again.contacts_updated, again.events_added) == (0, 0, 0)


def test_clearing_removes_the_demo_and_nothing_else(store: Store) -> None:
    load_demo(store, AS_OF)
    store.run(
        "INSERT INTO contacts (owner_id, name, name_key, origin) "
        "SELECT min(id), 'My Own Contact', 'my own contact', 'import' FROM owners"
    )
    assert clear_demo(store) == 150
    assert not has_demo(store)
    assert store.rows("SELECT name FROM contacts") == [("My Own Contact",)]
    assert store.value("SELECT count(*) FROM targets") == 0
    assert store.value("SELECT count(*) FROM events") == 0


def test_the_first_start_seeds_once(store: Store) -> None:
    assert seed_on_first_start(store, AS_OF)
    clear_demo(store)
    assert not seed_on_first_start(store, AS_OF)
    assert not has_demo(store)


def test_the_demo_student_has_targets_with_and_without_people(store: Store) -> None:
    from infoint_core.targets import target_coverage

    load_demo(store, AS_OF)
    coverage = {
        row["organisation"]: row["known"] for row in target_coverage(store, None, AS_OF).to_dicts()
    }
    assert coverage["Globex Corporation"] == 0
    assert coverage["Northwind Analytics"] > 0
