"""Follow-up gaps: every rule's boundaries, business days, thresholds, owners, the demo."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_core.demo import load_demo
from infoint_core.errors import InputError
from infoint_core.gaps import (
    GAP_RULES,
    GAP_SCHEMA,
    business_days,
    count_gaps,
    default_thresholds,
    find_gaps,
    gap_counts,
    gap_thresholds,
    read_gap_inputs,
    save_gap_thresholds,
)
from infoint_core.ingest import store_parsed
from infoint_core.owners import owner_filter
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord
from infoint_core.stages import contact_facts
from infoint_core.store import Store
from tests.conftest import AS_OF

OUTREACH, RESPONSE, DECLINED = EventKind.OUTREACH, EventKind.RESPONSE, EventKind.DECLINED
MEETING, THANK_YOU, REPORT = EventKind.MEETING, EventKind.THANK_YOU, EventKind.OUTCOME_REPORT
FOLLOW_UP, INBOUND = EventKind.FOLLOW_UP, EventKind.INBOUND

WED = date(2026, 11, 25)  # a Wednesday; the Friday before is 2026-11-20
_files = itertools.count()

Steps = list[tuple[EventKind, date | None]]


def put(store: Store, people: dict[str, Steps], owner: str = "me", **referrers: str) -> None:
    """Store one tracker-like file: ``people`` by name with their steps; ``referrers`` maps a
    person's name, spaces as underscores, to who referred them."""
    log = ParsedFile(kind="tracker", rows=len(people))
    refs = {k.replace("_", " "): v for k, v in referrers.items()}
    for name, steps in people.items():
        index = log.add_person(
            PersonRecord(row=index_row(log), name=name, company="Acme", referred_by=refs.get(name))
        )
        log.events.extend(EventRecord(index, kind, on) for kind, on in steps)
    n = next(_files)
    store_parsed(store, [log], file_name=f"f{n}", sha256=f"f{n}", kind="tracker", owner=owner)


def index_row(log: ParsedFile) -> int:
    return len(log.people) + 2


def gaps(store: Store, as_of: date, rule: str, owner: str | None = None) -> list[tuple]:
    """(contact, since, days, severity) of one rule's gaps, by contact."""
    frame = find_gaps(store, owner_filter(store, owner), as_of).filter(pl.col("rule") == rule)
    return sorted(frame.select("contact", "since", "days", "severity").iter_rows())


def save_plan(store: Store, name: str, meeting_on: date | None) -> None:
    store.run(
        """INSERT INTO prep_plans (owner_id, contact_id, meeting_on, minutes, plan)
           SELECT owner_id, id, ?, 20, '{}' FROM contacts WHERE name = ?""",
        [meeting_on, name],
    )


# business days -----------------------------------------------------------------------


def brute_business_days(start: date, end: date) -> int:
    days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
    return sum(1 for d in days if d.weekday() < 5)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    start=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 1, 1)),
    span=st.integers(min_value=-10, max_value=800),
)
def test_business_days_match_a_brute_force_count(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    counted = pl.select(business_days(pl.lit(start), pl.lit(end))).item()
    assert counted == brute_business_days(start, end)


def test_a_friday_outreach_is_three_business_days_old_on_wednesday(store: Store) -> None:
    assert date(2026, 11, 20).strftime("%a") == "Fri" and WED.strftime("%a") == "Wed"
    put(store, {"Ada Lovelace": [(OUTREACH, date(2026, 11, 20))]})
    assert gaps(store, WED, "no_response") == [
        ("Ada Lovelace", date(2026, 11, 20), 3, "try_another")
    ]


# no_response -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outreach", "expected"),
    [
        (date(2026, 11, 23), None),  # Mon: 2 business days, the day before the rule
        (date(2026, 11, 20), (3, "try_another")),  # Fri: 3, the day of
        (date(2026, 11, 19), (4, "try_another")),  # Thu: 4, the day after
        (date(2026, 11, 21), (3, "try_another")),  # Sat: the weekend does not count
        (date(2026, 11, 22), (3, "try_another")),  # Sun
        (date(2026, 11, 17), (6, "try_another")),  # Tue a week before: 6, still try another
        (date(2026, 11, 16), (7, "follow_up")),  # Mon a week before: 7, follow up
        (date(2026, 11, 13), (8, "follow_up")),
        (WED, None),  # the same day
        (WED + timedelta(days=1), None),  # not yet on that day
    ],
)
def test_no_response_counts_business_days(store: Store, outreach: date, expected) -> None:
    put(store, {"Ada Lovelace": [(OUTREACH, outreach)]})
    want = [] if expected is None else [("Ada Lovelace", outreach, *expected)]
    assert gaps(store, WED, "no_response") == want


def test_no_response_judged_on_a_saturday(store: Store) -> None:
    put(store, {"Ada Lovelace": [(OUTREACH, date(2026, 11, 18))]})  # Wed
    assert gaps(store, date(2026, 11, 21), "no_response") == []  # Thu, Fri: 2
    assert gaps(store, date(2026, 11, 22), "no_response") == []
    assert gaps(store, date(2026, 11, 23), "no_response")[0][2] == 3  # Mon


@pytest.mark.parametrize(
    ("answer", "closed"),
    [
        ((RESPONSE, date(2026, 11, 18)), True),
        ((RESPONSE, date(2026, 11, 16)), True),  # the same day as the outreach
        ((DECLINED, date(2026, 11, 17)), True),
        ((INBOUND, date(2026, 11, 17)), True),
        ((MEETING, date(2026, 12, 3)), True),  # a meeting agreed for later
        ((RESPONSE, None), True),  # a tracker's "yes"
        ((RESPONSE, date(2026, 11, 13)), False),  # before the last outreach
        ((RESPONSE, date(2026, 11, 26)), False),  # not yet known on the day
        ((THANK_YOU, date(2026, 11, 18)), False),  # the owner's own step is no answer
    ],
)
def test_an_answer_since_the_outreach_closes_no_response(store: Store, answer, closed) -> None:
    put(store, {"Ada Lovelace": [(OUTREACH, date(2026, 11, 16)), answer]})
    assert (gaps(store, WED, "no_response") == []) is closed


def test_only_the_last_outreach_counts(store: Store) -> None:
    steps = [(OUTREACH, date(2026, 10, 1)), (RESPONSE, date(2026, 10, 2))]
    put(store, {"Ada Lovelace": [*steps, (OUTREACH, date(2026, 11, 20))]})
    assert gaps(store, WED, "no_response") == [
        ("Ada Lovelace", date(2026, 11, 20), 3, "try_another")
    ]


def test_a_status_saying_they_answered_closes_no_response(store: Store) -> None:
    log = ParsedFile(kind="tracker", rows=1)
    log.add_person(PersonRecord(row=2, name="Ada Lovelace", status="responded"))
    log.events.append(EventRecord(0, OUTREACH, date(2026, 11, 2)))
    store_parsed(store, [log], file_name="s", sha256="s", kind="tracker", owner="me")
    assert gaps(store, WED, "no_response") == []


# thank_you_overdue -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("met_on", "days"),
    [
        (WED + timedelta(days=1), None),  # a meeting still to come
        (WED, None),  # today
        (WED - timedelta(days=1), None),  # yesterday: as_of = d + 1 is still in time
        (WED - timedelta(days=2), 2),  # the first day it is overdue
        (WED - timedelta(days=3), 3),
    ],
)
def test_thank_you_overdue_boundary(store: Store, met_on: date, days: int | None) -> None:
    put(store, {"Ada Lovelace": [(MEETING, met_on)]})
    want = [] if days is None else [("Ada Lovelace", met_on, days, "overdue")]
    assert gaps(store, WED, "thank_you_overdue") == want


@pytest.mark.parametrize(
    ("thanked_on", "closed"),
    [
        (date(2026, 11, 14), True),  # the same day
        (date(2026, 11, 20), True),  # late, but sent
        (None, True),  # only marked "yes"
        (date(2026, 11, 13), False),  # before the interview
        (date(2026, 11, 26), False),  # after the day judged
    ],
)
def test_a_thank_you_closes_the_gap(store: Store, thanked_on: date | None, closed: bool) -> None:
    put(store, {"Ada Lovelace": [(MEETING, date(2026, 11, 14)), (THANK_YOU, thanked_on)]})
    assert (gaps(store, WED, "thank_you_overdue") == []) is closed


def test_the_latest_interview_needs_its_own_thank_you(store: Store) -> None:
    steps = [(MEETING, date(2026, 10, 1)), (THANK_YOU, date(2026, 10, 1))]
    put(store, {"Ada Lovelace": [*steps, (MEETING, date(2026, 11, 14))]})
    (gap,) = find_gaps(store, None, WED).filter(rule="thank_you_overdue").to_dicts()
    assert (gap["since"], gap["days"]) == (date(2026, 11, 14), 11)
    assert gap["next_step"] == "Send Ada Lovelace a thank-you note — the interview was 11 days ago."


# referral_unreported ------------------------------------------------------------------


def referral(store: Store, *b_steps: tuple[EventKind, date | None]) -> None:
    put(store, {"Alan Turing": [], "Grace Hopper": list(b_steps)}, Grace_Hopper="Alan Turing")


@pytest.mark.parametrize(
    ("as_of", "days"),
    [(date(2026, 11, 9), None), (date(2026, 11, 10), 0), (date(2026, 11, 11), 1)],
)
def test_referral_unreported_from_the_interview_on(store: Store, as_of: date, days) -> None:
    referral(store, (MEETING, date(2026, 11, 10)))
    want = [] if days is None else [("Alan Turing", date(2026, 11, 10), days, "report_back")]
    assert gaps(store, as_of, "referral_unreported") == want


def test_the_referral_gap_names_both_people(store: Store) -> None:
    referral(store, (MEETING, date(2026, 11, 10)))
    (gap,) = find_gaps(store, None, WED).filter(rule="referral_unreported").to_dicts()
    assert (gap["contact"], gap["about"]) == ("Alan Turing", "Grace Hopper")
    assert "Tell Alan Turing how it went with Grace Hopper" in gap["next_step"]


@pytest.mark.parametrize(
    ("reported_on", "closed"),
    [
        (date(2026, 11, 10), True),  # the day of the interview
        (date(2026, 11, 20), True),
        (None, True),  # a tracker's "yes"
        (date(2026, 11, 9), False),  # before the interview
        (date(2026, 11, 30), False),  # after the day judged
    ],
)
def test_an_outcome_report_closes_the_gap(store: Store, reported_on, closed: bool) -> None:
    referral(store, (MEETING, date(2026, 11, 10)), (REPORT, reported_on))
    assert (gaps(store, WED, "referral_unreported") == []) is closed


def test_a_declined_referral_is_reported_too(store: Store) -> None:
    referral(store, (OUTREACH, date(2026, 11, 2)), (DECLINED, date(2026, 11, 4)))
    assert gaps(store, WED, "referral_unreported") == [
        ("Alan Turing", date(2026, 11, 4), 21, "report_back")
    ]


def test_a_referral_not_yet_met_needs_no_report(store: Store) -> None:
    referral(store, (OUTREACH, date(2026, 11, 2)), (RESPONSE, date(2026, 11, 3)))
    assert gaps(store, WED, "referral_unreported") == []


def test_a_report_about_someone_else_does_not_count(store: Store) -> None:
    put(
        store,
        {
            "Alan Turing": [],
            "Grace Hopper": [(MEETING, date(2026, 11, 10))],
            "Ada Lovelace": [(MEETING, date(2026, 11, 10)), (REPORT, date(2026, 11, 12))],
        },
        Grace_Hopper="Alan Turing",
        Ada_Lovelace="Alan Turing",
    )
    assert gaps(store, WED, "referral_unreported") == [
        ("Alan Turing", date(2026, 11, 10), 15, "report_back")
    ]


# gone_cold ---------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "cold"), [(89, False), (90, True), (91, True)])
def test_gone_cold_after_90_days(store: Store, days: int, cold: bool) -> None:
    last = WED - timedelta(days=days)
    put(store, {"Ada Lovelace": [(MEETING, last - timedelta(days=1)), (THANK_YOU, last)]})
    want = [("Ada Lovelace", last, days, "reconnect")] if cold else []
    assert gaps(store, WED, "gone_cold") == want


def test_any_touch_keeps_a_contact_warm(store: Store) -> None:
    old = WED - timedelta(days=200)
    put(store, {"Ada Lovelace": [(MEETING, old), (THANK_YOU, old), (FOLLOW_UP, WED)]})
    assert gaps(store, WED, "gone_cold") == []
    assert gaps(store, WED - timedelta(days=1), "gone_cold")[0][2] == 199  # not yet then


def test_only_interviewed_contacts_go_cold(store: Store) -> None:
    old = WED - timedelta(days=200)
    put(store, {"Ada Lovelace": [(OUTREACH, old), (RESPONSE, old)]})
    assert gaps(store, WED, "gone_cold") == []


# unprepared_meeting ------------------------------------------------------------------


@pytest.mark.parametrize(("ahead", "flagged"), [(-1, False), (0, True), (7, True), (8, False)])
def test_unprepared_meeting_within_a_week(store: Store, ahead: int, flagged: bool) -> None:
    on = WED + timedelta(days=ahead)
    put(store, {"Ada Lovelace": [(MEETING, on)]})
    want = [("Ada Lovelace", on, ahead, "prepare")] if flagged else []
    assert gaps(store, WED, "unprepared_meeting") == want


def test_a_prep_plan_for_that_meeting_closes_it(store: Store) -> None:
    on = WED + timedelta(days=3)
    put(store, {"Ada Lovelace": [(MEETING, on)], "Grace Hopper": [(MEETING, on)]})
    save_plan(store, "Ada Lovelace", on)
    save_plan(store, "Grace Hopper", on - timedelta(days=30))  # a plan for another meeting
    assert [g[0] for g in gaps(store, WED, "unprepared_meeting")] == ["Grace Hopper"]


# every rule together -----------------------------------------------------------------


def test_an_empty_workspace_has_no_gaps(store: Store) -> None:
    frame = find_gaps(store, None, AS_OF)
    assert frame.is_empty() and dict(frame.schema) == GAP_SCHEMA
    assert gap_counts(frame) == dict.fromkeys((r.key for r in GAP_RULES), 0)


def test_gaps_are_sorted_by_urgency(store: Store) -> None:
    put(
        store,
        {
            "Cold Case": [(MEETING, WED - timedelta(days=120)), (THANK_YOU, None)],
            "Quiet One": [(OUTREACH, date(2026, 11, 20))],
            "Silent Two": [(OUTREACH, date(2026, 11, 2))],
            "Late Thanks": [(MEETING, WED - timedelta(days=4))],
            "Later Thanks": [(MEETING, WED - timedelta(days=9))],
            "Soon Meeting": [(MEETING, WED + timedelta(days=2))],
        },
    )
    order = find_gaps(store, None, WED).select("rule", "contact").rows()
    assert order == [
        ("unprepared_meeting", "Soon Meeting"),
        ("thank_you_overdue", "Later Thanks"),
        ("thank_you_overdue", "Late Thanks"),
        ("no_response", "Silent Two"),
        ("no_response", "Quiet One"),
        ("gone_cold", "Cold Case"),
    ]


def test_one_owners_log_never_makes_gaps_for_another(store: Store) -> None:
    put(store, {"Ada Lovelace": [(MEETING, date(2026, 11, 10))]}, owner="Sam")
    put(store, {"Ada Lovelace": [(OUTREACH, date(2026, 11, 2))]}, owner="Kim")
    assert [g[0] for g in gaps(store, WED, "thank_you_overdue", "Sam")] == ["Ada Lovelace"]
    assert gaps(store, WED, "thank_you_overdue", "Kim") == []
    assert gaps(store, WED, "no_response", "Sam") == []
    everyone = find_gaps(store, None, WED).select("owner", "rule").sort("owner").rows()
    assert everyone == [("Kim", "no_response"), ("Sam", "thank_you_overdue")]


def test_the_demo_has_a_gap_of_every_rule(store: Store) -> None:
    load_demo(store, AS_OF)
    counts = gap_counts(find_gaps(store, None, AS_OF))
    assert all(counts[rule.key] >= 1 for rule in GAP_RULES), counts
    severities = set(find_gaps(store, None, AS_OF).filter(rule="no_response")["severity"])
    assert severities == {"try_another", "follow_up"}


def test_gaps_counted_per_owner_are_the_gaps_found(store: Store) -> None:
    load_demo(store, AS_OF)
    put(store, {"Ada Lovelace": [(MEETING, AS_OF - timedelta(days=5))]}, owner="Kim")
    put(store, {"Alan Turing": [(OUTREACH, AS_OF - timedelta(days=20))]}, owner="Kim")
    inputs = read_gap_inputs(store, None, contact_facts(store, None, AS_OF), AS_OF)
    counted = count_gaps(inputs, GAP_RULES, default_thresholds())
    names = dict(store.rows("SELECT id, name FROM owners"))
    found = find_gaps(store, None, AS_OF).group_by("owner", "rule").len()
    assert sorted((names[o], r, n) for o, r, n in counted.iter_rows()) == sorted(found.rows())
    assert {"Kim"} < {owner for owner, _, _ in found.rows()}


def test_every_rule_is_declared_fully_and_reads_each_of_its_thresholds(store: Store) -> None:
    inputs = read_gap_inputs(store, None, contact_facts(store, None, AS_OF), AS_OF)
    for rule in GAP_RULES:
        assert rule.title and rule.description and rule.urgency
        assert set(rule.threshold_help) == set(rule.thresholds)
        assert rule.find(inputs, rule.thresholds).collect().is_empty()
        for name in rule.thresholds:
            with pytest.raises(KeyError, match=name):
                rule.find(inputs, {k: v for k, v in rule.thresholds.items() if k != name})


# thresholds --------------------------------------------------------------------------


def test_thresholds_default_to_the_contract(store: Store) -> None:
    assert gap_thresholds(store, None) == default_thresholds()
    assert default_thresholds()["no_response"] == {"try_another_days": 3, "follow_up_days": 7}
    assert default_thresholds()["gone_cold"] == {"cold_days": 90}


def test_saved_thresholds_change_the_gaps(store: Store) -> None:
    put(store, {"Ada Lovelace": [(OUTREACH, date(2026, 11, 20))]})
    save_gap_thresholds(store, None, {"no_response": {"try_another_days": 4}})
    assert gap_thresholds(store, None)["no_response"] == {
        "try_another_days": 4,
        "follow_up_days": 7,
    }
    assert gaps(store, WED, "no_response") == []
    save_gap_thresholds(store, None, {"no_response": {"try_another_days": 2, "follow_up_days": 3}})
    assert gaps(store, WED, "no_response")[0][3] == "follow_up"


def test_an_owners_thresholds_apply_to_that_owner_only(store: Store) -> None:
    put(store, {"Ada Lovelace": [(MEETING, WED - timedelta(days=3))]}, owner="Sam")
    put(store, {"Ada Lovelace": [(MEETING, WED - timedelta(days=3))]}, owner="Kim")
    sam = owner_filter(store, "Sam")
    save_gap_thresholds(store, sam, {"thank_you_overdue": {"grace_days": 5}})
    assert gap_thresholds(store, sam)["thank_you_overdue"] == {"grace_days": 5}
    assert gap_thresholds(store, None)["thank_you_overdue"] == {"grace_days": 1}
    owners = find_gaps(store, None, WED).filter(rule="thank_you_overdue")["owner"].to_list()
    assert owners == ["Kim"]


@pytest.mark.parametrize(
    "bad",
    [
        {"no_such_rule": {"days": 1}},
        {"gone_cold": {"no_such_threshold": 1}},
        {"gone_cold": {"cold_days": -1}},
        {"gone_cold": {"cold_days": "90"}},
        {"gone_cold": {"cold_days": True}},
        {"no_response": {"try_another_days": 9}},  # after follow-up (7)
    ],
)
def test_bad_thresholds_are_refused_and_nothing_is_kept(store: Store, bad) -> None:
    with pytest.raises(InputError):
        save_gap_thresholds(store, None, bad)
    assert gap_thresholds(store, None) == default_thresholds()
