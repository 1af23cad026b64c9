"""The funnel read-outs on small hand-built logs, an empty workspace and random logs."""

from __future__ import annotations

import itertools
from datetime import date

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_core.funnel import (
    air_referral_share,
    compute_funnel,
    funnel_by_month,
    funnel_by_source,
    stage_durations,
)
from infoint_core.ingest import store_parsed
from infoint_core.logbook import log_step
from infoint_core.owners import owner_filter
from infoint_core.records import STAGES, EventKind, EventRecord, ParsedFile, PersonRecord, Stage
from infoint_core.stages import contact_stages
from infoint_core.store import Store

OUTREACH, RESPONSE, DECLINED = EventKind.OUTREACH, EventKind.RESPONSE, EventKind.DECLINED
MEETING, THANK_YOU, FOLLOW_UP = EventKind.MEETING, EventKind.THANK_YOU, EventKind.FOLLOW_UP
AS_OF = date(2026, 11, 21)
STAGE_NAMES = [s.value for s in STAGES]
_files = itertools.count()


def put(store: Store, people: list[tuple[PersonRecord, list]], owner: str = "me") -> None:
    log = ParsedFile(kind="tracker", rows=len(people))
    for person, steps in people:
        index = log.add_person(person)
        log.events.extend(EventRecord(index, kind, on) for kind, on in steps)
    n = next(_files)
    store_parsed(store, [log], file_name=f"f{n}", sha256=f"f{n}", kind="tracker", owner=owner)


def person(name: str, source: str | None = None, referred_by: str | None = None) -> PersonRecord:
    return PersonRecord(row=2, name=name, source=source, referred_by=referred_by)


def d(day: int, month: int = 11) -> date:
    return date(2026, month, day)


# A: followed up · B: scheduled (meeting to come) · C: declined · D: contacted
# E: identified only · F: interviewed (only a meeting logged) · H: referred by A
ADA_STEPS = [(OUTREACH, d(1)), (RESPONSE, d(3)), (MEETING, d(10)), (THANK_YOU, d(10))]
SMALL_LOG = [
    (person("Ada Lovelace", "LinkedIn"), [*ADA_STEPS, (FOLLOW_UP, d(15))]),
    (person("Grace Hopper", "LinkedIn"), [(OUTREACH, d(2)), (RESPONSE, d(6)), (MEETING, d(25))]),
    (person("Alan Turing", "Alumni"), [(OUTREACH, d(5)), (DECLINED, d(7))]),
    (person("Katherine Johnson"), [(OUTREACH, d(12))]),
    (person("Tim Berners-Lee"), []),
    (person("Margaret Hamilton"), [(MEETING, d(18))]),
]


def funnel_rows(frame: pl.DataFrame) -> list[tuple]:
    return frame.select("stage", "reached", "conversion").rows()


def test_a_small_log_gives_the_hand_computed_funnel(store: Store) -> None:
    put(store, SMALL_LOG)
    assert funnel_rows(compute_funnel(store, None, AS_OF)) == [
        ("identified", 6, None),
        ("contacted", 5, 5 / 6),
        ("responded", 4, 4 / 5),
        ("scheduled", 3, 3 / 4),
        ("interviewed", 2, 2 / 3),
        ("thanked", 1, 1 / 2),
        ("followed_up", 1, 1.0),
    ]


def test_a_meeting_counts_as_interviewed_from_its_day(store: Store) -> None:
    put(store, SMALL_LOG)
    reached = dict(compute_funnel(store, None, d(25)).select("stage", "reached").rows())
    assert reached["interviewed"] == 3
    reached = dict(compute_funnel(store, None, d(24)).select("stage", "reached").rows())
    assert reached["interviewed"] == 2


def test_conversion_is_null_after_a_stage_nobody_reached(store: Store) -> None:
    put(store, [(person("Ada Lovelace"), []), (person("Grace Hopper"), [(OUTREACH, d(1))])])
    assert funnel_rows(compute_funnel(store, None, AS_OF)) == [
        ("identified", 2, None),
        ("contacted", 1, 0.5),
        ("responded", 0, 0.0),
        ("scheduled", 0, None),
        ("interviewed", 0, None),
        ("thanked", 0, None),
        ("followed_up", 0, None),
    ]


def test_an_empty_workspace_gives_zeros_and_nulls(store: Store) -> None:
    funnel = compute_funnel(store, None, AS_OF)
    assert funnel.columns == ["stage", "reached", "conversion"]
    assert funnel_rows(funnel) == [(name, 0, None) for name in STAGE_NAMES]
    assert funnel_by_month(store, None, AS_OF).is_empty()
    assert funnel_by_source(store, None, AS_OF).is_empty()
    durations = stage_durations(store, None, AS_OF)
    assert durations["contacts"].to_list() == [0, 0, 0, 0]
    assert durations["median_days"].null_count() == 4
    assert air_referral_share(store, None, AS_OF).row(0) == (0, 0, None)


def test_the_funnel_is_per_owner(store: Store) -> None:
    put(store, SMALL_LOG, owner="Sam")
    put(store, [(person("Ada Lovelace"), [])], owner="Kim")
    kim = owner_filter(store, "Kim")
    assert compute_funnel(store, kim, AS_OF)["reached"].to_list() == [1, 0, 0, 0, 0, 0, 0]
    assert compute_funnel(store, None, AS_OF)["reached"][0] == 7


def test_stage_durations_are_medians_of_first_dated_steps(store: Store) -> None:
    put(store, SMALL_LOG)
    rows = stage_durations(store, None, AS_OF).rows()
    assert rows == [
        ("contacted", "responded", 3, 2.0),  # A 2, B 4, C 2
        ("responded", "interviewed", 1, 7.0),  # A only: B's meeting is still to come
        ("interviewed", "thanked", 1, 0.0),
        ("thanked", "followed_up", 1, 5.0),
    ]


def test_a_step_dated_before_the_one_it_follows_is_left_out(store: Store) -> None:
    put(store, [(person("Ada Lovelace"), [(OUTREACH, d(10)), (RESPONSE, d(5))])])
    assert stage_durations(store, None, AS_OF).row(0) == ("contacted", "responded", 0, None)


def test_funnel_by_source(store: Store) -> None:
    put(store, SMALL_LOG)
    frame = funnel_by_source(store, None, AS_OF)
    assert set(frame["source"]) == {"LinkedIn", "Alumni", "unknown"}
    linkedin = frame.filter(source="LinkedIn")
    assert funnel_rows(linkedin)[:5] == [
        ("identified", 2, None),
        ("contacted", 2, 1.0),
        ("responded", 2, 1.0),
        ("scheduled", 2, 1.0),
        ("interviewed", 1, 0.5),
    ]
    assert frame.filter(source="unknown")["reached"].to_list() == [3, 2, 1, 1, 1, 0, 0]


def test_funnel_by_month_of_first_outreach(store: Store) -> None:
    october = [(person("Linus Torvalds"), [(OUTREACH, d(20, 10)), (RESPONSE, d(22, 10))])]
    put(store, [*SMALL_LOG, *october])
    frame = funnel_by_month(store, None, AS_OF)
    assert frame["cohort"].unique().sort().to_list() == [d(1, 10), d(1, 11)]
    assert frame.filter(cohort=d(1, 10))["reached"].to_list() == [1, 1, 1, 0, 0, 0, 0]
    # Margaret (only a meeting logged) falls back to that day's month; Tim is in no cohort.
    november = frame.filter(cohort=d(1, 11))
    assert november["reached"].to_list() == [5, 5, 4, 3, 2, 1, 1]
    assert november["stage"].to_list() == STAGE_NAMES


def test_air_referral_share(store: Store) -> None:
    put(store, [*SMALL_LOG, (person("Barbara Liskov", referred_by="Ada Lovelace"), [])])
    assert air_referral_share(store, None, AS_OF).row(0) == (2, 1, 0.5)


STEP_KINDS = [OUTREACH, RESPONSE, DECLINED, MEETING, THANK_YOU, FOLLOW_UP]
step_st = st.tuples(st.sampled_from(STEP_KINDS), st.none() | st.dates(d(1, 1), d(31, 12)))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(logs=st.lists(st.lists(step_st, max_size=5), min_size=1, max_size=8))
def test_reached_never_grows_and_conversion_is_its_ratio(store: Store, logs) -> None:
    owner = f"owner {next(_files)}"
    put(store, [(person(f"Person {i}"), steps) for i, steps in enumerate(logs)], owner=owner)
    funnel = compute_funnel(store, owner_filter(store, owner), AS_OF)
    reached = funnel["reached"].to_list()
    assert reached[0] == len(logs)
    assert reached == sorted(reached, reverse=True)
    for before, (_, now, conversion) in zip(reached, funnel_rows(funnel)[1:], strict=False):
        assert conversion == (now / before if before else None)


def test_stages_are_kept_per_day_until_the_next_write(store: Store) -> None:
    put(store, [(person("Ada Lovelace"), [(OUTREACH, date(2026, 11, 2))])])
    kept = contact_stages(store, None, AS_OF)
    assert contact_stages(store, None, AS_OF) is kept  # worked out once, then shared
    assert contact_stages(store, None, date(2026, 11, 1))["stage"].to_list() == ["identified"]
    (ada,) = kept["contact_id"].to_list()
    log_step(store, ada, MEETING, date(2026, 11, 10))
    assert contact_stages(store, None, AS_OF)["stage"].to_list() == ["interviewed"]
    assert compute_funnel(store, None, AS_OF)["reached"].to_list() == [1, 1, 1, 1, 1, 0, 0]
    assert air_referral_share(store, None, AS_OF)["interviewed"].to_list() == [1]


_KIND_RANK = {OUTREACH: 1, RESPONSE: 2, DECLINED: 2, THANK_YOU: 5, FOLLOW_UP: 6}


def brute_stage(steps: list[tuple[EventKind, date | None]], as_of: date) -> tuple[str, bool]:
    """CONTRACT §2 read step by step: the furthest stage and whether the contact declined."""
    meetings = [on for kind, on in steps if kind == MEETING]
    only_future = bool(meetings) and all(on is not None and on > as_of for on in meetings)
    known = [
        (kind, on)
        for kind, on in steps
        if kind == MEETING or (on <= as_of if on is not None else not only_future)
    ]
    thanks = [on for kind, on in known if kind == THANK_YOU and on is not None]
    thanked_on = min(thanks, default=None)

    def rank(kind: EventKind, on: date | None) -> int:
        if kind == MEETING:
            return 4 if on is not None and on <= as_of else 3
        if thanked_on and on and on > thanked_on and kind != THANK_YOU:
            return 6
        return _KIND_RANK[kind]

    furthest = max((rank(kind, on) for kind, on in known), default=0)
    return STAGE_NAMES[furthest], any(kind == DECLINED for kind, _ in known)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    logs=st.lists(st.lists(step_st, max_size=6), min_size=1, max_size=8),
    as_of=st.sampled_from([d(1, 1), AS_OF, d(31, 12)]),
)
def test_stages_from_one_pass_match_the_contract_step_by_step(
    store: Store, logs, as_of: date
) -> None:
    owner = f"owner {next(_files)}"
    put(store, [(person(f"Person {i}"), steps) for i, steps in enumerate(logs)], owner=owner)
    owner_id = owner_filter(store, owner)
    names = dict(store.rows("SELECT id, name FROM contacts WHERE owner_id = ?", [owner_id]))
    stages = contact_stages(store, owner_id, as_of)
    found = {
        names[c]: (s, dec) for c, s, dec in stages.select("contact_id", "stage", "declined").rows()
    }
    assert found == {f"Person {i}": brute_stage(steps, as_of) for i, steps in enumerate(logs)}


def test_facts_worked_out_in_runs_of_contacts_are_the_facts_of_one_pass(
    store: Store, monkeypatch
) -> None:
    import infoint_core.stages as stages

    for owner in ("Ann", "Ben", "Cy"):
        put(
            store,
            [
                (
                    person(f"{owner} {i}"),
                    [(EventKind.OUTREACH, d(i + 1)), (EventKind.MEETING, d(9))],
                )
                for i in range(3)
            ],
            owner=owner,
        )
    judged = pl.DataFrame(
        {"owner_id": [owner_filter(store, o) for o in ("Ann", "Ben", "Cy")],
         "as_of": [d(1), AS_OF, d(30, 12)]},
        schema={"owner_id": pl.Int32, "as_of": pl.Date},
    )  # fmt: skip
    whole = stages.owners_facts(store, judged)
    ben = judged["owner_id"][1]
    bens = stages.owners_facts(store, AS_OF, ben)
    for steps in (1, 2, 5, 8):  # more runs than contacts, down to three runs of three
        monkeypatch.setattr(stages, "_RUN_STEPS", steps)
        assert stages.owners_facts(store, judged).equals(whole)
        assert stages.owners_facts(store, AS_OF, ben).equals(bens)
    # each owner judged on their own day: Ann's meetings are still to come on hers
    scheduled, interviewed = Stage.SCHEDULED.rank, Stage.INTERVIEWED.rank
    assert whole["stage_rank"].to_list() == [scheduled] * 3 + [interviewed] * 6


def test_a_kind_or_status_this_version_does_not_know_is_no_evidence(store: Store) -> None:
    put(store, [(person("Ada"), [(OUTREACH, d(1))]), (person("Bo"), [])])
    # as a newer version's log might hold them
    store.run("UPDATE events SET kind = 'carrier_pigeon'")
    store.run("UPDATE contacts SET status = 'befriended'")
    store.mark_changed()
    stages = contact_stages(store, None, AS_OF)
    assert stages["stage_rank"].to_list() == [Stage.IDENTIFIED.rank] * 2
