"""Email drafts: filled from the log, offered where they fit, never a gap or a placeholder."""

from __future__ import annotations

import contextlib
import itertools
import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from infoint_core.debrief import save_debrief
from infoint_core.drafts import (
    DRAFTS,
    Draft,
    after_colon,
    article,
    drafts_for,
    first_name,
    organisation,
    past_when,
    position_phrase,
    sentence,
    write_draft,
)
from infoint_core.errors import InputError, NotFoundError
from infoint_core.logbook import add_contact, log_step
from infoint_core.owners import DEFAULT_OWNER_NAME
from infoint_core.records import EventKind
from infoint_core.store import Store
from tests.conftest import AS_OF

OWNER = "Sam Okafor"
LONG_AGO = AS_OF - timedelta(days=60)
YESTERDAY = AS_OF - timedelta(days=1)
_people = itertools.count()  # keeps generated names apart


def contact(store: Store, name: str, *steps: tuple[EventKind, date | None], owner=OWNER,
            **fields) -> int:  # fmt: skip
    """A contact of ``owner`` with ``steps`` logged."""
    contact_id = add_contact(store, owner, name=name, **fields)
    for kind, on in steps:
        log_step(store, contact_id, kind, on)
    return contact_id


def check_filled(draft: Draft) -> None:
    """What no draft may ever hold: placeholders, "None", HTML, an empty name or gap."""
    for text in (draft.subject, draft.body):
        assert "{" not in text and "}" not in text, text
        assert "None" not in text, text
        assert not re.search(r"<[a-zA-Z/!]", text), text
        assert "  " not in text and " ." not in text and " ," not in text, text
    assert re.match(r"^(Dear|Hi) \S[^\n]*,\n\n", draft.body), draft.body
    assert draft.body.rstrip().splitlines()[-1] in ("Best wishes,", OWNER)
    assert draft.subject.strip() and draft.title and draft.to.strip()


@pytest.fixture
def world(store: Store) -> dict[str, int]:
    """Grace (met, thanked) referred Ada (met yesterday, debriefed, who named Alan and
    Katherine); Tommy is a LinkedIn contact; Hedy's meeting is tomorrow."""
    store.run("INSERT INTO owners (name, programme, graduation_year) VALUES (?, ?, ?)",
              [OWNER, "BSc Economics", 2027])  # fmt: skip
    grace = contact(
        store, "Grace Hopper", (EventKind.MEETING, LONG_AGO), (EventKind.THANK_YOU, LONG_AGO),
        company="Woodgrove Bank", email="grace@example.org",
    )  # fmt: skip
    ada = contact(
        store, "Dr Ada Lovelace", (EventKind.MEETING, YESTERDAY), referred_by="Grace Hopper",
        company="Northwind Analytics Ltd", position="Senior Data Analyst | Mentor",
        industry="Data & analytics", email="ada@example.org",
    )  # fmt: skip
    save_debrief(
        store, ada, YESTERDAY, as_of=AS_OF,
        learned="Most analysts start in reporting roles.\nHiring happens in September.",
        advice="- Build a small portfolio project with public data",
        referred_names=["Alan Turing", "Katherine Johnson"],
        follow_up_promised="send my portfolio link once it is live",
    )  # fmt: skip
    tommy = contact(
        store, "Tommy Flowers", company="Bletchley Park", position="Head of Codebreaking",
        source="LinkedIn", linkedin_url="https://www.linkedin.com/in/tommy-flowers",
    )  # fmt: skip
    hedy = contact(store, "Hedy Lamarr", (EventKind.MEETING, AS_OF + timedelta(days=1)),
                   position="Inventor", source="Career fair")  # fmt: skip
    return {"grace": grace, "ada": ada, "tommy": tommy, "hedy": hedy}


def keys(store: Store, contact_id: int, as_of: date = AS_OF) -> list[str]:
    return [d.key for d in drafts_for(store, contact_id, as_of=as_of)]


def test_every_draft_is_filled_from_the_log(store: Store, world: dict[str, int]) -> None:
    written = {
        "outreach": write_draft(store, world["tommy"], "outreach", AS_OF),
        "confirmation": write_draft(store, world["hedy"], "confirmation", AS_OF),
        "thank_you": write_draft(store, world["ada"], "thank_you", AS_OF),
        "outcome_report": write_draft(store, world["ada"], "outcome_report", AS_OF),
        "stay_in_touch": write_draft(store, world["grace"], "stay_in_touch", AS_OF),
    }
    assert list(written) == [kind.key for kind in DRAFTS]
    for draft in written.values():
        check_filled(draft)
        assert draft.body.endswith("Best wishes,\nSam Okafor")
        assert draft.text.startswith(f"Subject: {draft.subject}\n\n")


def test_the_outreach_asks_for_a_short_talk_not_a_job(store: Store, world) -> None:
    draft = write_draft(store, world["tommy"], "outreach", AS_OF)
    assert draft.to == "Tommy Flowers"
    assert draft.subject == "Could I ask you about your work at Bletchley Park?"
    body = draft.body
    assert body.startswith("Dear Tommy,")
    assert "I came across your profile on LinkedIn" in body  # how the student knows them
    assert "My name is Sam Okafor, and I'm studying BSc Economics, graduating in 2027." in body
    assert "your work as Head of Codebreaking at Bletchley Park" in body
    assert "about 15 minutes" in body and "whatever time and place suit you best" in body
    assert "I'm not asking for a job" in body
    assert "a couple of answers by email" in body
    assert "suggested" not in body  # nobody referred Tommy

    log_step(store, world["tommy"], EventKind.OUTREACH, AS_OF - timedelta(days=8))
    again = write_draft(store, world["tommy"], "outreach", AS_OF)
    assert again.subject.startswith("Following up: ")
    assert "I wrote to you on 13 November and wanted to follow up" in again.body


def test_the_referrer_is_mentioned_only_when_there_is_one(store: Store, world) -> None:
    referred = contact(store, "Claude Shannon", referred_by="Dr Ada Lovelace")
    draft = write_draft(store, referred, "outreach", AS_OF)
    assert draft.subject == "Dr Ada Lovelace suggested I get in touch"
    assert "I recently spoke with Dr Ada Lovelace, who suggested I get in touch" in draft.body
    colleague = contact(store, "Joan Clarke", referred_by="Grace Hopper",
                        company="Woodgrove Bank plc")  # fmt: skip
    body = write_draft(store, colleague, "outreach", AS_OF).body
    assert "I recently spoke with your colleague Grace Hopper, who suggested" in body
    for unreferred in (world["tommy"], world["hedy"]):
        body = write_draft(store, unreferred, "outreach", AS_OF).body
        assert "suggested I get in touch" not in body
        assert "Grace" not in body and "Ada" not in body


def test_the_confirmation_gives_the_day_and_the_planned_length(store: Store, world) -> None:
    draft = write_draft(store, world["hedy"], "confirmation", AS_OF)
    assert draft.subject == "Confirming our conversation tomorrow, Sunday 22 November"
    assert "We met at the career fair" not in draft.body  # that belongs to the outreach
    assert "I'll keep it brief and come with a few questions about your work as an Inventor." \
        in draft.body  # fmt: skip
    store.run(
        "INSERT INTO prep_plans (owner_id, contact_id, meeting_on, minutes, plan) "
        "SELECT owner_id, id, ?, 20, '{}' FROM contacts WHERE id = ?",
        [AS_OF + timedelta(days=1), world["hedy"]],
    )
    body = write_draft(store, world["hedy"], "confirmation", AS_OF).body
    assert "I'll keep to about 20 minutes and come with a few questions about your work as an " \
        "Inventor." in body  # fmt: skip


def test_the_thank_you_mentions_what_was_discussed(store: Store, world) -> None:
    draft = write_draft(store, world["ada"], "thank_you", AS_OF)
    assert (draft.subject, draft.to) == ("Thank you for your time yesterday",
                                         "Dr Ada Lovelace <ada@example.org>")  # fmt: skip
    body = draft.body
    assert body.startswith("Dear Ada,")
    assert "speak with me yesterday" in body
    assert "your work as a Senior Data Analyst at Northwind Analytics." in body
    assert "stayed with me: most analysts start in reporting roles." in body
    assert "September" not in body  # the first point only
    assert "for your advice: build a small portfolio project with public data." in body
    assert "suggesting I speak with Alan Turing and Katherine Johnson" in body
    assert "what we agreed: send my portfolio link once it is live." in body
    assert draft.tip is None


def test_a_thank_you_without_a_debrief_stays_general_and_says_how_to_improve(
    store: Store, world
) -> None:
    draft = write_draft(store, world["grace"], "thank_you", AS_OF)
    assert "speak with me on 22 September" in draft.body
    assert "your work at Woodgrove Bank" in draft.body
    assert "a much clearer picture of the work" in draft.body
    assert "debrief" in draft.tip


def test_the_outcome_report_tells_the_referrer_how_it_went(store: Store, world) -> None:
    draft = write_draft(store, world["ada"], "outcome_report", AS_OF)
    assert draft.to == "Grace Hopper <grace@example.org>"
    assert draft.subject == "Thank you for introducing me to Dr Ada Lovelace"
    assert draft.body.startswith("Hi Grace,")
    assert "how my conversation with Dr Ada Lovelace went. We spoke yesterday" in draft.body
    assert "most analysts start in reporting roles." in draft.body
    assert "Ada also suggested I speak with Alan Turing and Katherine Johnson" in draft.body

    declined = contact(store, "Linus Torvalds", (EventKind.OUTREACH, LONG_AGO),
                       (EventKind.DECLINED, LONG_AGO), referred_by="Grace Hopper")  # fmt: skip
    assert keys(store, declined) == ["outcome_report"]
    body = write_draft(store, declined, "outcome_report", AS_OF).body
    assert "Linus wasn't able to make time" in body
    assert "If anyone else comes to mind" in body


def test_the_stay_in_touch_update_shares_progress(store: Store, world) -> None:
    log_step(store, world["ada"], EventKind.THANK_YOU, AS_OF)
    alan, katherine = (store.value("SELECT id FROM contacts WHERE name = ?", [n])
                       for n in ("Alan Turing", "Katherine Johnson"))  # fmt: skip
    log_step(store, alan, EventKind.MEETING, AS_OF + timedelta(days=5))
    log_step(store, katherine, EventKind.OUTREACH, AS_OF + timedelta(days=5))
    later = AS_OF + timedelta(days=40)
    draft = write_draft(store, world["ada"], "stay_in_touch", later)
    assert draft.subject == "A quick update since we spoke in November"
    assert "putting it into practice: build a small portfolio project" in draft.body
    assert "helpful conversation with Alan Turing, whom you suggested" in draft.body
    assert "I've also been in touch with Katherine Johnson, as you suggested." in draft.body
    assert "anything I can do in return" in draft.body


MEETING_HELD = (EventKind.MEETING, LONG_AGO)
THANKED = (EventKind.THANK_YOU, LONG_AGO)
# Where a contact stands → the drafts offered; and whether, when someone referred them,
# the outcome report to that referrer is offered too.
STAGES = {
    "identified": ((), ["outreach"], False),
    "contacted": (((EventKind.OUTREACH, LONG_AGO),), ["outreach"], False),
    "responded": (((EventKind.OUTREACH, LONG_AGO), (EventKind.RESPONSE, LONG_AGO)), [], False),
    "declined": (((EventKind.OUTREACH, LONG_AGO), (EventKind.DECLINED, LONG_AGO)), [], True),
    "scheduled": (((EventKind.MEETING, AS_OF + timedelta(days=3)),), ["confirmation"], False),
    "interviewed": (((EventKind.MEETING, YESTERDAY),), ["thank_you"], True),
    "thanked": ((MEETING_HELD, THANKED), ["stay_in_touch"], True),
    "thanked undated": ((MEETING_HELD, (EventKind.THANK_YOU, None)), ["stay_in_touch"], True),
    "met again": ((MEETING_HELD, THANKED, (EventKind.MEETING, YESTERDAY)), ["thank_you"], True),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_the_drafts_offered_follow_the_stage(store: Store, stage: str) -> None:
    steps, expected, report = STAGES[stage]
    alone = contact(store, "Ada Lovelace", *steps)
    assert keys(store, alone) == expected
    referred = contact(store, "Alan Turing", *steps, referred_by="Grace Hopper")
    order = [kind.key for kind in DRAFTS]
    with_report = sorted([*expected, *(["outcome_report"] if report else [])], key=order.index)
    assert keys(store, referred) == with_report
    if report:  # once the referrer has heard how it went, it is not offered again
        log_step(store, referred, EventKind.OUTCOME_REPORT, AS_OF)
        assert keys(store, referred) == expected


def test_a_draft_the_log_cannot_support_is_refused(store: Store) -> None:
    ada = contact(store, "Ada Lovelace")
    with pytest.raises(InputError, match="nobody is recorded as having referred"):
        write_draft(store, ada, "outcome_report", AS_OF)
    with pytest.raises(InputError, match=r"no meeting .* coming up"):
        write_draft(store, ada, "confirmation", AS_OF)
    with pytest.raises(InputError, match="has been held"):
        write_draft(store, ada, "thank_you", AS_OF)
    with pytest.raises(InputError, match="no email draft called"):
        write_draft(store, ada, "love_letter", AS_OF)
    with pytest.raises(NotFoundError):
        drafts_for(store, 999, as_of=AS_OF)


def test_the_default_owner_signs_nothing_and_is_told_to(store: Store) -> None:
    ada = contact(store, "Ada Lovelace", owner=None)
    (draft,) = drafts_for(store, ada, as_of=AS_OF)
    assert draft.body.endswith("Best wishes,")
    assert "My name is" not in draft.body and " me" not in draft.body.split("\n")[-1]
    assert "Sign it with your name" in draft.tip


@pytest.mark.parametrize(
    ("name", "greeting"),
    [("Dr Ada Lovelace", "Ada"), ("Lovelace, Ada", "Ada"), ("Prof.  Alan Turing", "Alan"),
     ("Cher", "Cher"), ("Dr", "Dr")],
)  # fmt: skip
def test_first_names(name: str, greeting: str) -> None:
    assert first_name(name) == greeting


def test_the_small_words() -> None:
    assert [article(w) for w in ("Analyst", "HR Partner", "UX Researcher", "User researcher",
                                 "Software Engineer", "MBA intern", "hourly planner")] == [
        "an", "an", "a", "a", "a", "an", "an"]  # fmt: skip
    assert position_phrase("Head of Data", None) == "Head of Data"
    assert position_phrase("Data Analyst at Acme Inc", "Acme Inc") == "a Data Analyst"
    assert position_phrase(" | ", None) is None
    assert organisation("Adventure Works Inc.") == "Adventure Works"
    assert organisation("Ltd") == "Ltd"
    assert sentence("  - first point\nsecond") == "first point."
    assert sentence("Really?") == "Really?"
    long = "word " * 80
    assert sentence(long).endswith("…") and len(sentence(long)) <= 241
    assert after_colon("Python matters most") == "Python matters most."
    assert after_colon("The team is small") == "the team is small."
    assert past_when(AS_OF - timedelta(days=3), AS_OF) == "on Wednesday"
    assert past_when(date(2025, 3, 4), AS_OF) == "on 4 March 2025"


_WORD = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÉéøß'-"), min_size=1,
                max_size=12).map(str.capitalize).filter(lambda w: w != "None")  # fmt: skip
_PHRASE = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
_MAYBE = st.one_of(st.none(), st.just(""), st.just("   "), st.just("N/A"), st.just("None"),
                   _PHRASE)  # fmt: skip
_STEPS = st.sampled_from([steps for steps, _, _ in STAGES.values()])


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    name=_PHRASE,
    company=_MAYBE,
    position=_MAYBE,
    industry=_MAYBE,
    source=_MAYBE,
    email=st.one_of(st.none(), st.just("someone@example.org"), st.just("not an email")),
    referrer=st.one_of(st.none(), _PHRASE),
    steps=_STEPS,
    debriefed=st.booleans(),
    owner_named=st.booleans(),
)
def test_any_contact_gets_complete_drafts(
    store: Store, name, company, position, industry, source, email, referrer, steps,
    debriefed, owner_named,
) -> None:  # fmt: skip
    owner = OWNER if owner_named else DEFAULT_OWNER_NAME  # a workspace that knows no name
    fields = {"company": company, "position": position, "industry": industry,
              "source": source, "email": email, "referred_by": referrer}  # fmt: skip
    who = contact(store, f"{name} {next(_people)}", *steps, owner=owner, **fields)
    held = [on for kind, on in steps if kind == EventKind.MEETING and on and on <= AS_OF]
    if debriefed and held:
        save_debrief(store, who, held[-1], as_of=AS_OF, learned=name, advice=name,
                     referred_names=[f"{name} Junior"])  # fmt: skip
    for draft in drafts_for(store, who, as_of=AS_OF):
        check_filled_any(draft)
    for kind in DRAFTS:
        with contextlib.suppress(InputError):  # a draft this log cannot support
            check_filled_any(write_draft(store, who, kind.key, AS_OF))


def check_filled_any(draft: Draft) -> None:
    """``check_filled`` for any owner: signed by them, or unsigned with a tip."""
    for text in (draft.subject, draft.body):
        assert "{" not in text and "}" not in text, text
        assert "None" not in text and "N/A" not in text, text
        assert not re.search(r"<[a-zA-Z/!]", text), text
        assert "  " not in text and " ." not in text and " ," not in text, text
        assert "at ." not in text and "as a ." not in text and "in ." not in text, text
    assert re.match(r"^(Dear|Hi) \S[^\n]*,\n\n", draft.body), draft.body
    assert draft.subject.strip() and draft.to.strip()
