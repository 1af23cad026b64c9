"""Debriefs: one step that stores what a meeting gave and grows the referral chain; AIR yield."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from infoint_core import debrief as debrief_module
from infoint_core import migrations
from infoint_core import store as store_module
from infoint_core.contacts import list_contacts
from infoint_core.debrief import (
    air_by_interview,
    air_yield,
    clean_names,
    get_debrief,
    held_meetings,
    list_debriefs,
    save_debrief,
)
from infoint_core.demo import build_demo
from infoint_core.errors import InputError, NotFoundError, WorkspaceError
from infoint_core.ingest import store_parsed
from infoint_core.logbook import add_contact, log_step
from infoint_core.records import EventKind
from infoint_core.referrals import referral_chains, referral_summary
from infoint_core.store import Store, open_workspace, schema_version
from infoint_core.targets import add_target
from tests.conftest import AS_OF

MET = AS_OF - timedelta(days=1)
V2_TABLES = ("owners", "contacts", "imports", "events", "prep_plans", "settings", "targets")


def met(store: Store, name: str, on: date = MET, owner: str | None = None, **fields) -> int:
    """A contact interviewed on ``on``."""
    contact = add_contact(store, owner, name=name, **fields)
    log_step(store, contact, EventKind.MEETING, on)
    return contact


def people(store: Store) -> dict[str, dict]:
    return {c["name"]: c for c in list_contacts(store, as_of=AS_OF)}


def save(store: Store, contact: int, on: date = MET, **answers) -> debrief_module.DebriefResult:
    return save_debrief(store, contact, on, as_of=AS_OF, **answers)


def test_a_debrief_with_two_names_adds_two_referred_contacts(store: Store) -> None:
    add_contact(store, None, name="Grace Hopper")
    ada = met(store, "Ada Lovelace", referred_by="Grace Hopper")
    assert referral_summary(store, None, AS_OF)["max_depth"] == 1

    result = save(
        store, ada, learned="Most analysts start in reporting", advice="Build a portfolio",
        referred_names=["Alan Turing", "Katherine Johnson"], follow_up_promised="send my CV",
    )  # fmt: skip

    assert [p.name for p in result.added] == ["Alan Turing", "Katherine Johnson"]
    assert (result.created, result.linked, result.notes) == (True, (), ())
    everyone = people(store)
    for name in ("Alan Turing", "Katherine Johnson"):
        assert everyone[name]["referred_by"] == "Ada Lovelace"
        assert (everyone[name]["stage"], everyone[name]["source"]) == ("identified", "referral")
    # The chain Grace → Ada now reaches one hop further.
    summary = referral_summary(store, None, AS_OF)
    assert (summary["edges"], summary["max_depth"]) == (3, 2)
    assert referral_chains(store, None, AS_OF).row(0)[1:] == ("Grace Hopper", 4, 2)
    saved = result.debrief
    assert (saved.contact, saved.meeting_on) == ("Ada Lovelace", MET)
    assert saved.learned == "Most analysts start in reporting"
    assert (saved.advice, saved.follow_up_promised) == ("Build a portfolio", "send my CV")
    assert [p.name for p in saved.referred] == ["Alan Turing", "Katherine Johnson"]


def test_saving_again_updates_the_debrief_and_duplicates_nobody(store: Store) -> None:
    ada = met(store, "Ada Lovelace")
    first = save(store, ada, learned="first", referred_names=["Alan Turing", "Katherine Johnson"])
    again = save(
        store, ada, learned="  second  ", notes="ask about mentoring",
        referred_names=["- alan  TURING", "", "Katherine Johnson", "Katherine Johnson"],
    )  # fmt: skip

    assert (again.created, again.added, again.linked) == (False, (), ())
    assert again.debrief.id == first.debrief.id
    assert (again.debrief.learned, again.debrief.notes) == ("second", "ask about mentoring")
    assert again.debrief.advice is None
    assert again.debrief.updated_at >= again.debrief.created_at
    assert store.value("SELECT count(*) FROM debriefs") == 1
    assert store.value("SELECT count(*) FROM contacts") == 3
    assert len(list_debriefs(store)) == 1


def test_someone_already_known_gets_the_referrer_and_keeps_an_earlier_one(store: Store) -> None:
    add_contact(store, None, name="Grace Hopper")
    ada = met(store, "Ada Lovelace", referred_by="Grace Hopper")
    alan = add_contact(store, None, name="Alan Turing", company="Bletchley Park")
    add_contact(store, None, name="Hedy Lamarr", referred_by="Grace Hopper")

    result = save(
        store, ada,
        referred_names=["alan turing", "Hedy Lamarr", "Grace Hopper", "Ada Lovelace"],
    )  # fmt: skip

    assert result.added == ()
    assert [(p.contact_id, p.name) for p in result.linked] == [(alan, "Alan Turing")]
    everyone = people(store)
    assert everyone["Alan Turing"]["referred_by"] == "Ada Lovelace"
    assert everyone["Alan Turing"]["company"] == "Bletchley Park"
    assert everyone["Hedy Lamarr"]["referred_by"] == "Grace Hopper"  # the first introduction
    assert everyone["Grace Hopper"]["referred_by"] is None  # no loop Grace → Ada → Grace
    assert result.notes == (
        "Hedy Lamarr left as they were: already referred by Grace Hopper",
        "Grace Hopper left as they were: they come before Ada Lovelace in this referral chain",
        "Ada Lovelace is the person you met, so not their own referral",
    )
    # Everyone they named is on the debrief (for the thank-you), but the person met.
    named = [p.name for p in result.debrief.referred]
    assert named == ["Alan Turing", "Hedy Lamarr", "Grace Hopper"]
    assert len(everyone) == 4


def test_the_meeting_is_logged_when_the_log_lacks_it(store: Store) -> None:
    grace = add_contact(store, None, name="Grace Hopper")
    assert people(store)["Grace Hopper"]["stage"] == "identified"
    assert save(store, grace, learned="compilers").meeting_logged
    assert people(store)["Grace Hopper"]["stage"] == "interviewed"
    assert not save(store, grace, learned="compilers!").meeting_logged
    ada = met(store, "Ada Lovelace")
    assert not save(store, ada).meeting_logged
    meetings = "SELECT count(*) FROM events WHERE kind = 'meeting'"
    assert store.value(meetings) == 2


def test_a_meeting_still_to_come_or_an_unknown_contact_is_refused(store: Store) -> None:
    ada = add_contact(store, None, name="Ada Lovelace")
    with pytest.raises(InputError, match="still to come"):
        save_debrief(store, ada, AS_OF + timedelta(days=1), as_of=AS_OF)
    with pytest.raises(NotFoundError):
        save_debrief(store, 999, MET, as_of=AS_OF)
    assert store.value("SELECT count(*) FROM debriefs") == 0


def test_a_failure_part_way_leaves_nothing_half_done(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    grace = add_contact(store, None, name="Grace Hopper")
    alan = add_contact(store, None, name="Alan Turing")

    def broken(*args, **kwargs):
        raise WorkspaceError("disk full")

    monkeypatch.setattr(debrief_module, "_upsert", broken)
    with pytest.raises(WorkspaceError):
        save(store, grace, learned="x", referred_names=["Alan Turing", "Katherine Johnson"])
    assert store.value("SELECT count(*) FROM contacts") == 2
    assert store.value("SELECT count(*) FROM events") == 0
    assert store.value("SELECT referred_by_id FROM contacts WHERE id = ?", [alan]) is None


def test_air_yield_is_the_share_of_interviews_giving_each_part(store: Store) -> None:
    day = date(2026, 11, 2)
    ada = met(store, "Ada Lovelace", day)
    save(store, ada, day, learned="insight", advice="advice", referred_names=["Alan Turing"])
    grace = met(store, "Grace Hopper", day + timedelta(days=1))
    save(store, grace, day + timedelta(days=1), learned="insight only", advice="   ")
    # Hedy was referred in an imported log: the referral is credited to her first meeting.
    hedy = met(store, "Hedy Lamarr", day + timedelta(days=2))
    log_step(store, hedy, EventKind.MEETING, day + timedelta(days=9))
    add_contact(store, None, name="Claude Shannon", referred_by="Hedy Lamarr")
    later = met(store, "Barbara Liskov", AS_OF + timedelta(days=3))  # still to come
    add_contact(store, None, name="Ken Thompson", referred_by="Barbara Liskov")
    met(store, "Tim Berners-Lee", day, owner="someone else")  # another student's log

    me = store.value("SELECT id FROM owners WHERE name = 'me'")
    air = air_yield(store, me, AS_OF)
    assert air.columns == ["part", "interviews", "yielded", "share"]
    assert air.rows() == [
        ("advice", 4, 1, 0.25),
        ("insight", 4, 2, 0.5),
        ("referral", 4, 2, 0.5),  # Ada's debrief and Hedy's first meeting
    ]
    per_meeting = {
        (row["contact_id"], row["meeting_on"]): (row["advice"], row["insight"], row["referral"])
        for row in air_by_interview(store, me, AS_OF).iter_rows(named=True)
    }
    assert per_meeting == {
        (ada, day): (True, True, True),
        (grace, day + timedelta(days=1)): (False, True, False),
        (hedy, day + timedelta(days=2)): (False, False, True),
        (hedy, day + timedelta(days=9)): (False, False, False),
    }
    # Judged on an earlier day, only the meetings held by then count.
    assert air_yield(store, me, day).rows() == [
        ("advice", 1, 1, 1.0), ("insight", 1, 1, 1.0), ("referral", 1, 1, 1.0),
    ]  # fmt: skip
    assert air_yield(store, None, AS_OF)["interviews"][0] == 5  # every owner
    assert later not in air_by_interview(store, None, AS_OF)["contact_id"].to_list()


def test_air_yield_of_an_empty_log_has_no_share(store: Store) -> None:
    air = air_yield(store, None, AS_OF)
    assert air.rows() == [("advice", 0, 0, None), ("insight", 0, 0, None),
                          ("referral", 0, 0, None)]  # fmt: skip


def test_held_meetings_newest_first_marked_when_debriefed(store: Store) -> None:
    ada = met(store, "Ada Lovelace", date(2026, 11, 2), company="Engines")
    grace = met(store, "Grace Hopper", date(2026, 11, 5), referred_by="Ada Lovelace")
    met(store, "Alan Turing", AS_OF + timedelta(days=2))
    save(store, ada, date(2026, 11, 2), learned="x")
    frame = held_meetings(store, None, AS_OF)
    assert frame.select("contact_id", "meeting_on", "referred_by", "debriefed").rows() == [
        (grace, date(2026, 11, 5), "Ada Lovelace", False),
        (ada, date(2026, 11, 2), None, True),
    ]
    assert get_debrief(store, ada, date(2026, 11, 2)).learned == "x"
    assert get_debrief(store, grace, date(2026, 11, 5)) is None


def test_clean_names_one_a_line() -> None:
    assert clean_names("1. Ada Lovelace\n\n  * grace   hopper \n• Ada  lovelace\n-") == [
        "Ada Lovelace",
        "grace hopper",
    ]
    assert clean_names(["Alan Turing\nHedy Lamarr", "", "2) Claude Shannon"]) == [
        "Alan Turing", "Hedy Lamarr", "Claude Shannon",
    ]  # fmt: skip


def test_a_v2_workspace_with_data_upgrades_to_v3_keeping_every_row(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS[:2])
    old = open_workspace(db_path)
    assert schema_version(old) == 2
    store_parsed(old, [build_demo(AS_OF)], file_name="d", sha256="d", kind="demo", owner=None,
                 origin="demo")  # fmt: skip
    add_target(old, old.value("SELECT min(id) FROM owners"), "Contoso Health")
    old.run("INSERT INTO settings VALUES (0, 'theme', '\"dark\"')")
    before = {table: old.rows(f"SELECT * FROM {table} ORDER BY ALL") for table in V2_TABLES}
    old.close()

    monkeypatch.setattr(store_module, "MIGRATIONS", migrations.MIGRATIONS)
    upgraded = open_workspace(db_path)
    assert schema_version(upgraded) == 3
    after = {table: upgraded.rows(f"SELECT * FROM {table} ORDER BY ALL") for table in V2_TABLES}
    assert after == before
    assert len(before["contacts"]) > 100 and before["targets"]
    assert list_debriefs(upgraded) == []
    contact_id, meeting_on = held_meetings(upgraded, None, AS_OF).row(0)[0::4]
    result = save_debrief(upgraded, contact_id, meeting_on, learned="x", as_of=AS_OF,
                          referred_names=["Someone New"])  # fmt: skip
    assert [p.name for p in result.added] == ["Someone New"]
