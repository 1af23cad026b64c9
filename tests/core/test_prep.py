"""Meeting prep: the question bank, tailoring, AIR at every length, no repeats, saving."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_core.debrief import save_debrief
from infoint_core.errors import InputError, NotFoundError
from infoint_core.gaps import find_gaps
from infoint_core.logbook import add_contact, log_step
from infoint_core.prep import (
    AIR_PARTS,
    PLACEHOLDERS,
    SAFE_DEFAULTS,
    TIARA_TAGS,
    PrepContext,
    bank_problems,
    build_prep_plan,
    compose_plan,
    display_company,
    display_industry,
    first_name,
    list_prep_plans,
    load_question_bank,
    parse_question_bank,
    plan_to_json,
    plan_with_edits,
    prep_contacts_frame,
    question_count,
    question_text,
    resolve_contact,
    save_prep_plan,
    with_article,
)
from infoint_core.prep_export import plan_to_html, plan_to_markdown
from infoint_core.profile import STUDY_LEVELS, Profile, load_profile, save_profile
from infoint_core.records import EventKind
from infoint_core.store import Store
from tests.conftest import AS_OF

THEMES = {"path", "entry", "recruitment", "industry", "development", "networking"}
DAY = timedelta(days=1)

FULL = PrepContext(
    contact_id=1, owner_id=1, name="Freya Conway", company="Northwind Analytics Ltd",
    position="Graduate Recruiter", industry="Data & analytics", source="Family friend",
    referrer="Guido Becker",
    profile=Profile("data analytics", "economics", "final_year", "a summer internship"),
)  # fmt: skip
BARE = PrepContext(contact_id=2, owner_id=1, name="Sam")
AGAIN = replace(FULL, referrer=None, met_before=True)
CHANGER = replace(FULL, profile=Profile("UX design", "nursing", "changer", "change career"))
CONTEXTS = {"full": FULL, "bare": BARE, "again": AGAIN, "changer": CHANGER}


def plan_of(context: PrepContext, minutes: int = 20, **options):
    return compose_plan(context, minutes, as_of=AS_OF, **options)


def every_text(plan) -> list[str]:
    return [plan.opening, *plan.checklist, *(t for q in plan.questions for t in (q.text, q.why))]


# The bank ----------------------------------------------------------------------------


def test_the_bank_has_80_questions_over_every_theme_with_valid_tags() -> None:
    bank = load_question_bank()
    assert len(bank.questions) >= 80
    assert bank_problems(bank) == []
    assert len({q.id for q in bank.questions}) == len(bank.questions)
    assert {q.theme for q in bank.questions} == THEMES == set(bank.themes)
    assert {q.air for q in bank.questions} == set(AIR_PARTS)
    assert {q.tiara for q in bank.questions} == set(TIARA_TAGS)
    for theme in THEMES:  # each theme offers a real choice
        assert sum(q.theme == theme for q in bank.questions) >= 8
    closers = {role: sum(q.role == role for q in bank.questions) for role in ("refer", "again")}
    assert min(closers.values()) >= 5  # enough to end several meetings without repeating


def test_every_question_fills_with_known_and_unknown_values() -> None:
    for context in (FULL, BARE, CHANGER):
        for question in load_question_bank().questions:
            text = question_text(question, context)
            assert not re.search(r"[{}]|None", text), (question.id, text)
            assert "your your" not in text and "  " not in text and text.endswith("?")


def test_a_malformed_bank_is_refused_with_every_problem_named() -> None:
    text = """
[themes]
path = "Their path"
[openings]
default = "Hi {first_name}."
[[question]]
id = "q1"
theme = "nowhere"
air = "wisdom"
tiara = "insights"
min_minutes = 5
weight = 3
text = "What about {position} and {mystery}?"
why = "Because."
"""
    with pytest.raises(ValueError) as raised:
        parse_question_bank(text)
    message = str(raised.value)
    for problem in (
        "unknown theme",
        "unknown AIR tag",
        "mystery",
        "need a fallback",
        "openings missing",
    ):
        assert problem in message


def test_placeholders_are_the_documented_ones() -> None:
    assert set(SAFE_DEFAULTS) <= PLACEHOLDERS
    assert {"company", "field", "position", "referrer", "industry"} <= PLACEHOLDERS


# Length, AIR and the shape of a conversation -----------------------------------------


@pytest.mark.parametrize(("minutes", "low", "high"), [(10, 4, 5), (20, 7, 8), (30, 10, 12)])
def test_minutes_decide_how_many_questions(minutes: int, low: int, high: int) -> None:
    assert low <= question_count(minutes) <= high
    for context in CONTEXTS.values():
        assert len(plan_of(context, minutes).questions) == question_count(minutes)


def test_longer_meetings_never_get_fewer_questions() -> None:
    counts = [question_count(m) for m in range(5, 91)]
    assert counts == sorted(counts) and counts[0] >= 3


@pytest.mark.parametrize("name", sorted(CONTEXTS))
def test_advice_insight_and_referral_at_every_length(name: str) -> None:
    bank = load_question_bank()
    for minutes in range(5, 61):
        plan = plan_of(CONTEXTS[name], minutes)
        assert {q.air for q in plan.questions} == set(AIR_PARTS), minutes
        roles = [bank.get(q.id).role for q in plan.questions]
        if len(roles) >= 4:  # ends by asking for a name, then to stay in touch
            assert roles[-2:] == ["refer", "again"], minutes
        else:
            assert roles[-1] == "combined", minutes
        assert "body" not in roles[-2 if len(roles) >= 4 else -1 :]
        assert len({q.id for q in plan.questions}) == len(plan.questions)


def test_the_conversation_opens_with_their_own_story() -> None:
    first = plan_of(replace(FULL, referrer=None), 10).questions[0]
    assert first.theme == "path" and first.air == "insight"
    again = plan_of(AGAIN, 10).questions[0]
    assert again.id == "path-since-last-time"


def test_a_referred_meeting_can_start_with_how_they_know_the_referrer() -> None:
    texts = [q.text for q in plan_of(FULL, 30).questions]
    assert texts[0] == "How do you know Guido Becker?"


def test_the_plan_is_tailored_to_the_contact_and_the_profile() -> None:
    plan = plan_of(FULL, 20)
    texts = " ".join(q.text for q in plan.questions)
    assert "a Graduate Recruiter at Northwind Analytics" in texts  # no "Ltd", an article
    assert "economics" in texts  # the student's background
    assert any(q.theme == "recruitment" for q in plan.questions)  # ask a recruiter that
    whys = " ".join(q.why for q in plan.questions)
    assert "As a Graduate Recruiter, Freya" in whys
    assert "internship" in whys  # the student's goal


def test_a_career_changer_gets_no_questions_about_studying() -> None:
    plan = plan_of(CHANGER, 45)
    texts = " ".join(q.text for q in plan.questions)
    assert "studying" not in texts and "my course" not in texts
    assert any(q.id in ("entry-transferable", "entry-changer-level") for q in plan.questions)
    assert "after working in nursing" in plan.opening


def test_a_second_meeting_is_framed_as_a_follow_up() -> None:
    plan = plan_of(AGAIN, 20)
    assert plan.opening.startswith("Thank you for making time to talk again, Freya.")
    bank = load_question_bank()
    assert all(bank.get(q.id).meeting != "first" for q in plan.questions)
    assert any(bank.get(q.id).meeting == "again" for q in plan.questions)


# The opening -------------------------------------------------------------------------


def test_the_referral_opener_only_when_there_is_a_referrer() -> None:
    referred = plan_of(FULL)
    assert "Guido Becker suggested I get in touch" in referred.opening
    assert any(item.startswith("Tell Guido Becker how") for item in referred.after)

    for context in (replace(FULL, referrer=None), replace(FULL, referrer="  "), BARE):
        plan = plan_of(context)
        assert "suggested I get in touch" not in plan.opening
        assert not any(item.startswith("Tell ") for item in plan.after)
        assert "Guido" not in " ".join(every_text(plan))


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("Career fair", "meet you at the careers fair"),
        ("Alumni network", "alumni network"),
        ("LinkedIn", "your profile on LinkedIn"),
        ("Professor", "one of my lecturers"),
        ("Family friend", "through my family"),
        ("Something else", "Thank you for making time to talk, Freya. "),
        (None, "Thank you for making time to talk, Freya. "),
    ],
)
def test_the_opening_says_how_the_student_knows_them(source: str | None, words: str) -> None:
    plan = plan_of(replace(FULL, referrer=None, source=source))
    assert words in plan.opening


def test_the_opening_is_not_asking_for_a_job_and_keeps_to_time() -> None:
    for context in CONTEXTS.values():
        for minutes, said in ((10, "the 10 minutes"), (60, "the hour")):
            opening = plan_of(context, minutes).opening
            assert "not asking for a job" in opening
            assert f"I'll keep to {said} we agreed." in opening


def test_the_opening_introduces_the_student_from_their_profile() -> None:
    intro = "I'm in the final year of a degree in economics, and I'm exploring a career in "
    assert intro + "data analytics." in plan_of(FULL).opening
    assert "I'm exploring my career options." in plan_of(BARE).opening
    for level in STUDY_LEVELS:
        opening = plan_of(replace(BARE, profile=Profile(study_level=level.key))).opening
        assert level.says in opening


# Placeholders ------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="{}"),
    max_size=30,
).filter(lambda t: "None" not in t)
_OPTIONAL = st.none() | _TEXT


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=_TEXT.filter(lambda t: t.strip()),
    company=_OPTIONAL, position=_OPTIONAL, industry=_OPTIONAL, source=_OPTIONAL,
    referrer=_OPTIONAL, met_before=st.booleans(),
    profile=st.builds(Profile, _TEXT, _TEXT, st.sampled_from(["", *(s.key for s in STUDY_LEVELS)]),
                      _TEXT),
    minutes=st.integers(5, 90),
    meeting_in=st.none() | st.integers(0, 30),
)  # fmt: skip
def test_placeholders_are_always_filled(
    name, company, position, industry, source, referrer, met_before, profile, minutes, meeting_in
) -> None:
    context = PrepContext(
        contact_id=1, owner_id=1, name=name, company=company, position=position,
        industry=industry, source=source, referrer=referrer, met_before=met_before,
        meeting_on=None if meeting_in is None else AS_OF + meeting_in * DAY, profile=profile,
    )  # fmt: skip
    plan = plan_of(context, minutes)
    for text in every_text(plan):
        assert "{" not in text and "}" not in text and "None" not in text, text
        assert text.strip() == text and text and "  " not in text, text
    assert {q.air for q in plan.questions} == set(AIR_PARTS)


@pytest.mark.parametrize("context", [FULL, BARE], ids=["with everything", "name only"])
def test_no_braces_or_none_with_and_without_company_position_referrer(context) -> None:
    for minutes in (5, 10, 20, 30, 60, 90):
        for text in every_text(plan_of(context, minutes)):
            assert not re.search(r"[{}]|\bNone\b", text), text


def test_the_wording_helpers() -> None:
    assert display_company("Adventure Works Inc.") == "Adventure Works"
    assert display_company("Fabrikam Energy plc") == "Fabrikam Energy"
    assert display_company("Smith & Co") == "Smith & Co"
    assert display_company("Ltd") == "Ltd"
    assert display_company("City of Riverside Council") == "the City of Riverside Council"
    assert display_industry("Public sector") == "the public sector"
    assert display_industry("Non-profit") == "the non-profit sector"
    assert display_industry("Data & Analytics") == "data & analytics"
    assert display_industry("IT services") == "IT services"
    assert [with_article(p) for p in ("HR Partner", "UX Researcher", "Operations Manager",
                                      "Data Analyst", "University Lecturer", "MD")] == [
        "an HR Partner", "a UX Researcher", "an Operations Manager", "a Data Analyst",
        "a University Lecturer", "an MD",
    ]  # fmt: skip
    assert first_name("Dr Amara Okafor") == "Dr Okafor"
    assert first_name("Chloé Becker") == "Chloé"


# Determinism and shuffling -----------------------------------------------------------


def test_the_same_inputs_give_the_same_plan() -> None:
    for context in CONTEXTS.values():
        assert plan_of(context, 25) == plan_of(context, 25)


@pytest.mark.parametrize("minutes", [5, 10, 20, 30])
def test_shuffle_swaps_one_question_for_another_of_the_same_air_part(minutes: int) -> None:
    plan = plan_of(FULL, minutes)
    for index, question in enumerate(plan.questions):
        swapped = plan_of(FULL, minutes, shuffle=question.id).questions
        pairs = zip(plan.questions, swapped, strict=True)
        changed = [i for i, (a, b) in enumerate(pairs) if a != b]
        assert changed == [index], question.id
        assert swapped[index].air == question.air
        assert swapped[index].id not in {q.id for q in plan.questions}


def test_shuffling_again_brings_a_third_question() -> None:
    plan = plan_of(FULL, 20)
    first = plan.questions[2]
    second = plan_of(FULL, 20, shuffle=[first.id]).questions[2]
    third = plan_of(FULL, 20, shuffle=[first.id, second.id]).questions[2]
    assert len({first.id, second.id, third.id}) == 3
    assert first.air == second.air == third.air


def test_shuffling_a_question_not_in_the_plan_changes_nothing() -> None:
    assert plan_of(FULL, shuffle=["no-such-question"]) == plan_of(FULL)


# Earlier plans -----------------------------------------------------------------------


def test_no_question_is_repeated_across_earlier_meetings() -> None:
    asked: set[str] = set()
    for meeting in range(4):
        context = replace(FULL, asked=frozenset(asked), met_before=meeting > 0)
        plan = plan_of(context, 30)
        ids = {q.id for q in plan.questions}
        assert not ids & asked, meeting
        assert {q.air for q in plan.questions} == set(AIR_PARTS)
        asked |= ids


def test_when_every_question_was_asked_the_essentials_come_back_marked() -> None:
    everything = frozenset(q.id for q in load_question_bank().questions)
    plan = plan_of(replace(FULL, asked=everything), 20)
    assert {q.air for q in plan.questions} == set(AIR_PARTS)
    assert all(q.why.startswith("Asked before") for q in plan.questions)


def test_themes_not_yet_covered_at_the_organisation_come_first() -> None:
    covered = replace(
        FULL, org_themes={"path": 3, "recruitment": 3}, org_asked=frozenset({"rec-how-org-hires"})
    )
    plan = plan_of(covered, 20)
    assert "rec-how-org-hires" not in {q.id for q in plan.questions}
    new_ground = "New ground: you haven't asked anyone at Northwind Analytics"
    assert any(q.why.startswith(new_ground) for q in plan.questions)


# The workspace -----------------------------------------------------------------------


@pytest.fixture
def log(store: Store) -> Store:
    """Ada (referred by Charles, meeting in 3 days), Grace (met a month ago), Alan (no
    meeting), two people called Chloé/Chloe at different organisations."""
    add_contact(store, "Sam", name="Charles Babbage", company="Engines Ltd")
    ada = add_contact(
        store,
        "Sam",
        name="Ada Lovelace",
        company="Analytical Engines Ltd",
        position="Engineer",
        industry="Computing",
        referred_by="Charles Babbage",
    )
    log_step(store, ada, EventKind.MEETING, AS_OF + 3 * DAY)
    log_step(store, ada, EventKind.MEETING, AS_OF + 30 * DAY)
    grace = add_contact(store, "Sam", name="Grace Hopper", company="Navy")
    log_step(store, grace, EventKind.MEETING, AS_OF - 30 * DAY)
    add_contact(store, "Sam", name="Alan Turing", company="Bletchley Park")
    add_contact(store, "Sam", name="Chloé Dubois", company="Tailspin")
    add_contact(store, "Sam", name="Chloe Dubois", company="Contoso")
    return store


def ids(store: Store) -> dict[str, int]:
    return {name: cid for cid, name in store.rows("SELECT id, name FROM contacts")}


def test_build_prep_plan_reads_the_contact_from_the_log(log: Store) -> None:
    plan = build_prep_plan(log, ids(log)["Ada Lovelace"], 20, as_of=AS_OF)
    assert plan.meeting_on == AS_OF + 3 * DAY
    assert plan.referrer == "Charles Babbage"
    assert "Charles Babbage suggested" in plan.opening
    assert "an Engineer at Analytical Engines" in plan.opening
    grace = build_prep_plan(log, ids(log)["Grace Hopper"], 20, as_of=AS_OF)
    assert grace.meeting_on is None and "talk again" in grace.opening
    assert grace.before[0].startswith("Arrange the meeting")
    assert build_prep_plan(log, ids(log)["Ada Lovelace"], 20, as_of=AS_OF) == plan


def test_a_follow_up_meeting_builds_on_the_last_debrief(log: Store) -> None:
    grace = ids(log)["Grace Hopper"]
    save_debrief(
        log, grace, AS_OF - 30 * DAY, advice="Learn SQL properly", as_of=AS_OF,
        follow_up_promised="send my CV draft",
        referred_names=["Katherine Johnson", "Dorothy Vaughan"],
    )  # fmt: skip
    plan = build_prep_plan(log, grace, 20, as_of=AS_OF)
    assert "you suggested I speak to Katherine Johnson and Dorothy Vaughan" in plan.opening
    before = " ".join(plan.before)
    assert "Grace advised “Learn SQL properly”" in before
    assert "You promised “send my CV draft”" in before
    assert "how it went with Katherine Johnson and Dorothy Vaughan" in before
    whys = [q.why for q in plan.questions]
    assert any(why.startswith("Last time Grace advised “Learn SQL properly”") for why in whys)


def test_bad_inputs_are_refused(log: Store) -> None:
    with pytest.raises(NotFoundError):
        build_prep_plan(log, 9999, 20, as_of=AS_OF)
    for minutes in (4, 91, 0, -5):
        with pytest.raises(InputError, match="5 to 90 minutes"):
            build_prep_plan(log, ids(log)["Ada Lovelace"], minutes, as_of=AS_OF)


def test_saving_a_plan_closes_the_unprepared_meeting_gap(log: Store) -> None:
    ada = ids(log)["Ada Lovelace"]

    def unprepared() -> list[int]:
        gaps = find_gaps(log, None, AS_OF)
        return gaps.filter(gaps["rule"] == "unprepared_meeting")["contact_id"].to_list()

    assert unprepared() == [ada]
    plan_id = save_prep_plan(log, build_prep_plan(log, ada, 20, as_of=AS_OF))
    assert unprepared() == []
    # saving again for the same meeting replaces the plan
    assert save_prep_plan(log, build_prep_plan(log, ada, 30, as_of=AS_OF)) == plan_id
    (saved,) = list_prep_plans(log, contact_id=ada)
    assert (saved["minutes"], saved["meeting_on"]) == (30, AS_OF + 3 * DAY)
    assert saved["plan"]["contact"] == "Ada Lovelace"


def test_a_saved_plan_is_not_repeated_at_the_next_meeting(log: Store) -> None:
    ada = ids(log)["Ada Lovelace"]
    first = build_prep_plan(log, ada, 30, as_of=AS_OF)
    save_prep_plan(log, first)
    # replanning the same meeting keeps the same plan
    assert build_prep_plan(log, ada, 30, as_of=AS_OF) == first
    later = build_prep_plan(log, ada, 30, as_of=AS_OF + 10 * DAY)  # the second meeting
    assert later.meeting_on == AS_OF + 30 * DAY
    assert not {q.id for q in first.questions} & {q.id for q in later.questions}
    assert "talk again" in later.opening
    assert {q.air for q in later.questions} == set(AIR_PARTS)


def test_a_plan_saved_before_the_meeting_was_logged_is_kept_for_it(log: Store) -> None:
    alan = ids(log)["Alan Turing"]
    undated = build_prep_plan(log, alan, 20, as_of=AS_OF)
    assert undated.meeting_on is None
    save_prep_plan(log, undated)
    log_step(log, alan, EventKind.MEETING, AS_OF + 3 * DAY)
    dated = build_prep_plan(log, alan, 20, as_of=AS_OF)
    assert dated.meeting_on == AS_OF + 3 * DAY
    assert [q.id for q in dated.questions] == [q.id for q in undated.questions]


def test_edits_are_saved_with_the_plan(log: Store) -> None:
    ada = ids(log)["Ada Lovelace"]
    plan = build_prep_plan(log, ada, 10, as_of=AS_OF)
    first = plan.questions[0]
    edited = plan_with_edits(plan, {first.id: "  What got you started?  ", "x": "y"}, "Hi Ada.")
    assert edited.questions[0].text == "What got you started?"
    assert edited.opening == "Hi Ada."
    assert plan_with_edits(plan, {first.id: "   "}, "") == plan
    save_prep_plan(log, edited)
    (saved,) = list_prep_plans(log)
    assert saved["plan"]["questions"][0]["text"] == "What got you started?"


def test_contacts_with_a_meeting_coming_up_are_listed_first(log: Store) -> None:
    listed = prep_contacts_frame(log, None, AS_OF).to_dicts()
    assert listed[0]["name"] == "Ada Lovelace"
    assert listed[0]["meeting_on"] == AS_OF + 3 * DAY and not listed[0]["plan_saved"]
    assert all(c["meeting_on"] is None for c in listed[1:])
    save_prep_plan(log, build_prep_plan(log, listed[0]["id"], 20, as_of=AS_OF))
    assert prep_contacts_frame(log, None, AS_OF)["plan_saved"][0]


def test_contacts_are_found_by_name_tolerantly(log: Store) -> None:
    found = ids(log)
    assert resolve_contact(log, "ada lovelace") == found["Ada Lovelace"]
    assert resolve_contact(log, "  GRACE   hopper ") == found["Grace Hopper"]
    assert resolve_contact(log, "alan") == found["Alan Turing"]
    assert resolve_contact(log, "Chloé Dubois (Tailspin)") == found["Chloé Dubois"]
    with pytest.raises(InputError, match=r"matches 2 contacts: Chlo") as raised:
        resolve_contact(log, "CHLOE DUBOIS")
    assert "Chloé Dubois (Tailspin)" in str(raised.value)
    assert "Chloe Dubois (Contoso)" in str(raised.value)
    with pytest.raises(InputError, match="Ada Lovelace"):
        resolve_contact(log, "a")
    with pytest.raises(NotFoundError, match="no contact called 'Nobody'"):
        resolve_contact(log, "Nobody")
    with pytest.raises(InputError):
        resolve_contact(log, "  ")


# Profile -----------------------------------------------------------------------------


def test_the_profile_is_kept_per_owner(log: Store) -> None:
    owner = log.value("SELECT id FROM owners WHERE name = 'Sam'")
    assert load_profile(log, owner).is_empty
    saved = save_profile(log, owner, field=" data  analytics ", study_level="graduate")
    assert saved == Profile(field="data analytics", study_level="graduate")
    save_profile(log, owner, goals="an internship")
    assert load_profile(log, owner) == Profile("data analytics", "", "graduate", "an internship")
    assert load_profile(log, owner + 1).is_empty
    with pytest.raises(InputError, match="study level"):
        save_profile(log, owner, study_level="wizard")
    with pytest.raises(InputError, match="no field"):
        save_profile(log, owner, favourite_colour="blue")
    with pytest.raises(InputError, match="too long"):
        save_profile(log, owner, goals="x" * 501)
    plan = build_prep_plan(log, ids(log)["Ada Lovelace"], 20, as_of=AS_OF)
    assert "I graduated recently, and I'm exploring a career in data analytics." in plan.opening


# Exports -----------------------------------------------------------------------------


def test_json_has_the_contract_shape() -> None:
    data = plan_to_json(plan_of(FULL, 20))
    assert {"contact", "minutes", "opening", "questions", "checklist"} <= set(data)
    assert data["contact"] == "Freya Conway" and data["minutes"] == 20
    assert isinstance(data["opening"], str) and data["opening"]
    for question in data["questions"]:
        assert {"theme", "air", "text", "why"} <= set(question)
        assert question["air"] in AIR_PARTS and question["theme"] in THEMES
        assert all(isinstance(question[k], str) and question[k] for k in ("text", "why"))
    assert data["checklist"] and all(isinstance(item, str) for item in data["checklist"])
    assert data["checklist"] == data["checklist_before"] + data["checklist_after"]


def test_markdown_and_html_show_everything_and_escape_user_values() -> None:
    hostile = replace(FULL, name="<script>alert(1)</script> *Eve*", company="A&B <i>Co</i>")
    plan = plan_of(hostile, 20)
    page = plan_to_html(plan)
    assert "<script>" not in page and "<i>Co</i>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "A&amp;B" in page
    assert "@media print" in page and "@page" in page
    assert page.count("<li>") >= len(plan.checklist)
    markdown = plan_to_markdown(plan)
    assert "\\*Eve\\*" in markdown and "\\<script\\>" in markdown
    for question in plan_of(FULL, 20).questions:
        assert question.text in plan_to_markdown(plan_of(FULL, 20))
    assert "## Before the meeting" in markdown and "- [ ] " in markdown
