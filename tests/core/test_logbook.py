"""Logging steps and editing contacts by hand."""

from __future__ import annotations

from datetime import date

import pytest

from infoint_core.contacts import list_contacts
from infoint_core.errors import InputError, NotFoundError
from infoint_core.logbook import add_contact, log_step, update_contact
from infoint_core.records import EventKind
from infoint_core.store import Store
from tests.conftest import AS_OF


def stage_of(store: Store, name: str) -> str:
    return {c["name"]: c["stage"] for c in list_contacts(store, as_of=AS_OF)}[name]


def test_add_a_person_with_a_referrer(store: Store) -> None:
    ada = add_contact(
        store, None, name="Ada Lovelace", company="Engines", referred_by="Charles Babbage"
    )
    contacts = {c["name"]: c for c in list_contacts(store, as_of=AS_OF)}
    assert contacts["Ada Lovelace"]["referred_by"] == "Charles Babbage"
    assert contacts["Charles Babbage"]["stage"] == "identified"
    assert store.value("SELECT origin FROM contacts WHERE id = ?", [ada]) == "manual"


def test_adding_someone_already_known_updates_them(store: Store) -> None:
    first = add_contact(store, None, name="Ada Lovelace", email="ada@example.org")
    again = add_contact(store, None, name="Ada King", email="ADA@example.org", position="CTO")
    assert first == again
    assert store.value("SELECT count(*) FROM contacts") == 1


def test_a_name_is_required(store: Store) -> None:
    with pytest.raises(InputError):
        add_contact(store, None, name="  ")


def test_logging_steps_moves_the_stage(store: Store) -> None:
    ada = add_contact(store, None, name="Ada Lovelace")
    log_step(store, ada, EventKind.OUTREACH, date(2026, 11, 1))
    assert stage_of(store, "Ada Lovelace") == "contacted"
    log_step(store, ada, EventKind.MEETING, date(2026, 11, 10))
    assert stage_of(store, "Ada Lovelace") == "interviewed"
    log_step(store, ada, EventKind.THANK_YOU, date(2026, 11, 10))
    assert stage_of(store, "Ada Lovelace") == "thanked"


def test_the_same_step_twice_is_logged_once(store: Store) -> None:
    ada = add_contact(store, None, name="Ada Lovelace")
    assert log_step(store, ada, EventKind.OUTREACH, date(2026, 11, 1))
    assert not log_step(store, ada, EventKind.OUTREACH, date(2026, 11, 1))
    assert store.value("SELECT count(*) FROM events") == 1


def test_an_outcome_report_goes_to_the_referrer(store: Store) -> None:
    ada = add_contact(store, None, name="Ada Lovelace", referred_by="Charles Babbage")
    log_step(store, ada, EventKind.OUTCOME_REPORT, date(2026, 11, 12))
    assert store.rows(
        "SELECT c.name, a.name FROM events e JOIN contacts c ON c.id = e.contact_id "
        "JOIN contacts a ON a.id = e.about_contact_id"
    ) == [("Charles Babbage", "Ada Lovelace")]
    grace = add_contact(store, None, name="Grace Hopper")
    with pytest.raises(InputError, match="referred"):
        log_step(store, grace, EventKind.OUTCOME_REPORT, date(2026, 11, 12))


def test_edits_stick_even_against_a_later_import(store: Store) -> None:
    from infoint_core.ingest import store_parsed
    from infoint_core.records import ParsedFile, PersonRecord

    ada = add_contact(store, None, name="Ada Lovelace", company="Engines")
    update_contact(store, ada, position="Chief Engineer", notes="")
    intern = PersonRecord(row=2, name="Ada Lovelace", position="Intern")
    log = ParsedFile(kind="tracker", rows=1, people=[intern])
    store_parsed(store, [log], file_name="t", sha256="t", kind="tracker", owner=None)
    assert store.value("SELECT position FROM contacts WHERE id = ?", [ada]) == "Chief Engineer"


def test_bad_edits_are_refused(store: Store) -> None:
    ada = add_contact(store, None, name="Ada Lovelace")
    with pytest.raises(InputError):
        update_contact(store, ada, name="")
    with pytest.raises(InputError):
        update_contact(store, ada, shoe_size="42")
    with pytest.raises(NotFoundError):
        update_contact(store, 999, name="Nobody")
    with pytest.raises(NotFoundError):
        log_step(store, 999, EventKind.OUTREACH, None)


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", " JavaScript://www.linkedin.com/in/x%0Aalert(1)", "data:,hi"]
)
def test_a_profile_url_must_be_a_web_address(store: Store, url: str) -> None:
    with pytest.raises(InputError, match="web address"):
        add_contact(store, None, name="Ada Lovelace", linkedin_url=url)
    ada = add_contact(store, None, name="Ada Lovelace", linkedin_url="linkedin.com/in/ada")
    with pytest.raises(InputError, match="web address"):
        update_contact(store, ada, linkedin_url=url)
    assert store.value("SELECT linkedin_url FROM contacts") == "linkedin.com/in/ada"
