"""Storing parsed files: identity, merging, idempotency, order independence, atomicity."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from infoint_core import ingest
from infoint_core.errors import InfointError, WorkspaceError
from infoint_core.ingest import store_parsed
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord
from infoint_core.store import Store, open_memory_workspace, open_workspace


def parsed(kind: str, *people: PersonRecord, events=()) -> ParsedFile:
    log = ParsedFile(kind=kind, rows=len(people))
    for person in people:
        log.add_person(person)
    log.events.extend(events)
    return log


def put(store: Store, log: ParsedFile, name: str = "file", owner: str | None = None):
    return store_parsed(store, [log], file_name=name, sha256=name, kind=log.kind, owner=owner)


def contacts(store: Store) -> list[tuple]:
    return store.rows(
        """SELECT c.name, c.email, c.linkedin_url, c.company, c.position, c.source,
                  r.name AS referrer, c.connected_on, c.status
           FROM contacts c LEFT JOIN contacts r ON r.id = c.referred_by_id
           ORDER BY c.name_key, c.company_key NULLS FIRST"""
    )


def events(store: Store) -> list[tuple]:
    return store.rows(
        """SELECT c.name, e.kind, e.on_date, a.name FROM events e
           JOIN contacts c ON c.id = e.contact_id
           LEFT JOIN contacts a ON a.id = e.about_contact_id
           ORDER BY ALL"""
    )


ADA_LINKEDIN = PersonRecord(
    row=5,
    name="Ada Lovelace",
    linkedin_url="https://www.linkedin.com/in/ada-lovelace/",
    company="Analytical Engines Ltd",
    position="Engineer",
    source="LinkedIn",
    connected_on=date(2023, 2, 8),
)
ADA_TRACKER = PersonRecord(
    row=2,
    name="Ada Lovelace",
    email="ada@example.org",
    company="Analytical Engines",
    position="Lead Engineer",
    source="Career fair",
    referred_by="Charles Babbage",
)


def test_same_person_from_two_files_is_one_contact(store: Store) -> None:
    put(store, parsed("linkedin_connections", ADA_LINKEDIN), "a")
    counts = put(store, parsed("tracker", ADA_TRACKER), "b")
    names = [row[0] for row in contacts(store)]
    assert names == ["Ada Lovelace", "Charles Babbage"]
    assert counts.contacts_added == 1  # Charles, created from the referral name
    assert counts.contacts_updated == 1


def test_files_fill_fields_in_and_never_blank_them(store: Store) -> None:
    put(store, parsed("linkedin_connections", ADA_LINKEDIN), "a")
    bare = PersonRecord(row=2, name="Ada Lovelace", company="Analytical Engines Ltd")
    put(store, parsed("tracker", bare), "b")
    (ada,) = [c for c in contacts(store) if c[0] == "Ada Lovelace"]
    assert ada[2] == "https://www.linkedin.com/in/ada-lovelace/"
    assert ada[4] == "Engineer"
    assert ada[7] == date(2023, 2, 8)


def test_the_tracker_wins_over_linkedin_whatever_the_order(tmp_path) -> None:
    first = open_workspace(tmp_path / "a.duckdb")
    put(first, parsed("linkedin_connections", ADA_LINKEDIN), "a")
    put(first, parsed("tracker", ADA_TRACKER), "b")
    second = open_workspace(tmp_path / "b.duckdb")
    put(second, parsed("tracker", ADA_TRACKER), "b")
    put(second, parsed("linkedin_connections", ADA_LINKEDIN), "a")
    assert contacts(first) == contacts(second)
    (ada,) = [c for c in contacts(first) if c[0] == "Ada Lovelace"]
    assert ada[4] == "Lead Engineer" and ada[5] == "Career fair"


def test_a_later_file_of_the_same_kind_corrects_an_earlier_one(store: Store) -> None:
    put(store, parsed("tracker", ADA_TRACKER), "a")
    moved = PersonRecord(row=2, name="Ada Lovelace", email="ADA@example.org", position="CTO")
    counts = put(store, parsed("tracker", moved), "b")
    assert counts.contacts_updated == 1
    (ada,) = [c for c in contacts(store) if c[0] == "Ada Lovelace"]
    assert ada[4] == "CTO"


def test_importing_the_same_records_again_changes_nothing(store: Store) -> None:
    log = parsed(
        "tracker",
        ADA_TRACKER,
        events=[
            EventRecord(0, EventKind.MEETING, date(2026, 11, 3)),
            EventRecord(0, EventKind.THANK_YOU, None),
        ],
    )
    put(store, log, "a")
    before = (contacts(store), events(store))
    counts = put(store, log, "b")
    assert (counts.contacts_added, counts.contacts_updated, counts.events_added) == (0, 0, 0)
    assert (contacts(store), events(store)) == before


def test_a_referral_name_becomes_an_identified_contact(store: Store) -> None:
    put(store, parsed("tracker", ADA_TRACKER))
    charles = store.first(
        "SELECT source, referred_by_id FROM contacts WHERE name = ?", ["Charles Babbage"]
    )
    assert charles == ("referral", None)
    assert store.value("SELECT count(*) FROM events") == 0


def test_a_referrer_met_later_is_the_same_contact(store: Store) -> None:
    put(store, parsed("tracker", ADA_TRACKER), "a")
    charles = PersonRecord(row=3, name="Charles Babbage", company="Difference Engines")
    put(store, parsed("tracker", charles), "b")
    assert [c[0] for c in contacts(store)] == ["Ada Lovelace", "Charles Babbage"]


def test_an_outcome_report_is_a_touch_with_the_referrer(store: Store) -> None:
    log = parsed(
        "tracker",
        ADA_TRACKER,
        events=[EventRecord(0, EventKind.OUTCOME_REPORT, date(2026, 11, 10))],
    )
    put(store, log)
    assert events(store) == [
        ("Charles Babbage", "outcome_report", date(2026, 11, 10), "Ada Lovelace")
    ]


def test_an_outcome_report_without_a_referrer_is_a_warning(store: Store) -> None:
    alone = PersonRecord(row=7, name="Grace Hopper")
    log = parsed("tracker", alone, events=[EventRecord(0, EventKind.OUTCOME_REPORT, None)])
    counts = put(store, log)
    assert counts.events_added == 0
    assert any("row 7" in w and "Grace Hopper" in w for w in counts.warnings)


def test_identity_by_url_email_then_name_and_company(store: Store) -> None:
    people = [
        PersonRecord(row=2, name="Ada L.", linkedin_url="HTTPS://linkedin.com/in/Ada-Lovelace"),
        PersonRecord(
            row=3,
            name="Ada Lovelace",
            email="Ada@Example.org",
            linkedin_url="https://www.linkedin.com/in/ada-lovelace/",
        ),
        PersonRecord(row=4, name="A. Lovelace", email="ada@example.org"),
        PersonRecord(row=5, name="Grace Hopper", company="Navy"),
        PersonRecord(row=6, name="grace  hopper", company="NAVY"),
        PersonRecord(row=7, name="Grace Hopper", company="Remington Rand"),
    ]
    put(store, parsed("tracker", *people))
    assert store.value("SELECT count(*) FROM contacts") == 3


def test_namesakes_with_different_profiles_stay_apart(store: Store) -> None:
    people = [
        PersonRecord(row=2, name="Sam Lee", linkedin_url="linkedin.com/in/sam-lee-1"),
        PersonRecord(row=3, name="Sam Lee", linkedin_url="linkedin.com/in/sam-lee-2"),
    ]
    put(store, parsed("linkedin_connections", *people))
    assert store.value("SELECT count(*) FROM contacts") == 2


def test_a_name_only_record_joins_the_one_contact_of_that_name(store: Store) -> None:
    put(store, parsed("linkedin_connections", ADA_LINKEDIN), "a")
    invited = PersonRecord(row=2, name="Ada Lovelace")
    log = parsed(
        "linkedin_invitations",
        invited,
        events=[EventRecord(0, EventKind.OUTREACH, date(2023, 2, 1))],
    )
    put(store, log, "b")
    assert events(store) == [("Ada Lovelace", "outreach", date(2023, 2, 1), None)]


def test_owners_from_a_student_column_keep_separate_logs(store: Store) -> None:
    people = [
        PersonRecord(row=2, name="Ada Lovelace", owner="Student A"),
        PersonRecord(row=3, name="Ada Lovelace", owner="Student B"),
    ]
    put(store, parsed("tracker", *people))
    assert store.rows(
        "SELECT o.name, count(*) FROM contacts c JOIN owners o ON o.id = c.owner_id "
        "GROUP BY 1 ORDER BY 1"
    ) == [("Student A", 1), ("Student B", 1)]


def test_a_failure_half_way_through_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    put(store, parsed("tracker", PersonRecord(row=2, name="Grace Hopper")), "before")
    before = (contacts(store), events(store), store.value("SELECT count(*) FROM imports"))

    def fail(*args, **kwargs):
        raise WorkspaceError("disk full")

    monkeypatch.setattr(ingest._Batch, "_insert_events", fail)
    log = parsed("tracker", ADA_TRACKER, events=[EventRecord(0, EventKind.OUTREACH, None)])
    with pytest.raises(WorkspaceError):
        put(store, log, "after")
    after = (contacts(store), events(store), store.value("SELECT count(*) FROM imports"))
    assert after == before
    assert store.value("SELECT count(*) FROM owners") == 1


# Each name stands for one person with one organisation; a record may leave it out.
# (Namesakes at two organisations plus records naming neither is ambiguous in any order.)
PEOPLE = {"Ada Lovelace": "Analytical Engines", "Grace Hopper": "Navy", "Alan Turing": None}
person_st = st.builds(
    lambda name, with_company, position: PersonRecord(
        row=2, name=name, company=PEOPLE[name] if with_company else None, position=position
    ),
    st.sampled_from(sorted(PEOPLE)),
    st.booleans(),
    st.sampled_from([None, "Engineer"]),
)
kinds = st.sampled_from(["tracker", "linkedin_connections", "linkedin_messages"])
days = st.dates(date(2025, 1, 1), date(2026, 12, 31))
file_st = st.tuples(kinds, st.lists(person_st, min_size=1, max_size=4), days)


@settings(max_examples=20, deadline=None)
@given(a=file_st, b=file_st)
def test_a_then_b_equals_b_then_a_when_files_agree(a, b) -> None:
    """Files that do not contradict each other commute, whatever their kinds."""

    def log_of(spec):
        kind, people, day = spec
        return parsed(kind, *people, events=[EventRecord(0, EventKind.OUTREACH, day)])

    def build(order):
        workspace = open_memory_workspace()
        for index, spec in enumerate(order):
            put(workspace, log_of(spec), f"f{index}")
        result = (contacts(workspace), events(workspace))
        workspace.close()
        return result

    if a[0] == b[0]:  # two files of one kind that disagree: the later is a correction
        b = (b[0], [PersonRecord(row=2, name=p.name) for p in b[1]], b[2])
    assert build([a, b]) == build([b, a])


def test_a_person_known_only_by_profile_url_gets_a_stand_in_name(store: Store) -> None:
    put(
        store,
        parsed(
            "linkedin_messages", PersonRecord(row=4, linkedin_url="linkedin.com/in/alan-turing-77")
        ),
    )
    assert store.rows("SELECT name FROM contacts") == [("Alan Turing",)]


def test_a_person_with_no_name_and_no_url_is_an_error_naming_the_row(store: Store) -> None:
    from infoint_core.errors import ParseError

    with pytest.raises(ParseError) as error:
        put(store, parsed("tracker", PersonRecord(row=9, company="Navy")))
    assert error.value.row == 9
    assert store.value("SELECT count(*) FROM contacts") == 0


# Rows whose keys nothing else in the file or the log holds skip the row-by-row matching
# (``matching.mark_isolated``). That shortcut must be invisible: the same files give the same
# log, ids and warnings when every row is matched one by one.
NAMES = ["Ada Lovelace", "ada  lovelace", "Grace Hopper", "Alan Turing", "Edsger Dijkstra"]
tangled_person = st.builds(
    PersonRecord,
    row=st.integers(2, 40),
    name=st.sampled_from([*NAMES, None, " "]),
    email=st.sampled_from([None, "ada@example.org", "ADA@example.org ", "g@navy.mil", "x"]),
    linkedin_url=st.sampled_from(
        [None, "linkedin.com/in/ada", "https://www.linkedin.com/in/Ada/", "linkedin.com/in/gh"]
    ),
    company=st.sampled_from([None, "Navy", "navy inc", "Analytical Engines", ""]),
    position=st.sampled_from([None, "Engineer", "CTO"]),
    referred_by=st.sampled_from([None, None, *NAMES[2:], "Charles Babbage"]),
    connected_on=st.sampled_from([None, date(2024, 5, 1)]),
    owner=st.sampled_from([None, None, "Student B"]),
)


@st.composite
def tangled_part(draw):
    people = draw(st.lists(tangled_person, min_size=1, max_size=6))
    kind = draw(st.sampled_from(["tracker", "linkedin_connections", "linkedin_messages"]))
    steps = st.builds(
        EventRecord,
        person=st.integers(0, len(people) - 1),
        kind=st.sampled_from([EventKind.OUTREACH, EventKind.MEETING, EventKind.OUTCOME_REPORT]),
        on=st.sampled_from([None, date(2026, 3, 1)]),
    )
    return parsed(kind, *people, events=draw(st.lists(steps, max_size=4)))


@settings(max_examples=40, deadline=None)
@given(
    earlier=st.lists(tangled_part(), max_size=2),
    parts=st.lists(tangled_part(), min_size=1, max_size=3),
)
def test_rows_matched_in_bulk_land_as_if_matched_one_by_one(earlier, parts) -> None:
    def build(shortcut: bool):
        workspace = open_memory_workspace()
        results = []
        with pytest.MonkeyPatch.context() as patch:
            if not shortcut:
                patch.setattr(
                    ingest, "mark_isolated", lambda people, _: people.with_columns(isolated=False)
                )
            for index, log in enumerate([*earlier, None]):
                logs = [log] if log is not None else parts
                try:
                    counts = store_parsed(
                        workspace, logs, file_name=f"f{index}", sha256=f"f{index}",
                        kind=logs[0].kind, owner="Student A",
                    )  # fmt: skip
                    results.append((counts.contacts_added, counts.contacts_updated,
                                    counts.events_added, counts.warnings))  # fmt: skip
                except InfointError as e:  # the same refusal either way
                    results.append(repr(e))
        log = (
            workspace.rows("SELECT * EXCLUDE (created_at, updated_at) FROM contacts ORDER BY id"),
            workspace.rows("SELECT * EXCLUDE (id, created_at) FROM events ORDER BY ALL"),
        )
        workspace.close()
        return results, log

    assert build(shortcut=True) == build(shortcut=False)
