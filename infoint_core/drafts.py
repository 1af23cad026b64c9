"""Email drafts, filled from the log: plain text a student copies, reads over and sends.

Each kind of draft is one declared ``DraftKind`` in ``DRAFTS``: its key, title, when it is
offered and the function that writes it. ``drafts_for`` gives the drafts that fit where a
contact stands (no thank-you before a meeting, no outcome report without a referrer);
``write_draft`` writes one by key, wherever it can be written at all.

Every sentence is built from what the log actually holds: a missing organisation,
position or source drops the phrase that would name it rather than leaving a gap, so a
draft never shows an empty name, ``None`` or a template placeholder. The words the
student typed into a debrief are quoted as written (first point only), never reworded.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import polars as pl

from infoint_core import identity
from infoint_core.debrief import Debrief, list_debriefs
from infoint_core.errors import InputError, NotFoundError
from infoint_core.owners import DEFAULT_OWNER_NAME
from infoint_core.records import EventKind, Stage
from infoint_core.stages import contact_stages
from infoint_core.store import Store

ASK_MINUTES = 15  # what an outreach asks for: short enough to say yes to


@dataclass(frozen=True, slots=True)
class Draft:
    """One email, ready to copy: ``to`` names the recipient (with the address when the log
    has it); ``tip`` says what would make it better, when something would."""

    key: str
    title: str
    subject: str
    body: str
    to: str = ""
    tip: str | None = None

    @property
    def text(self) -> str:
        """Subject line and body together, as one block to paste."""
        return f"Subject: {self.subject}\n\n{self.body}"


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    name: str
    email: str | None = None
    company: str | None = None
    position: str | None = None
    industry: str | None = None
    source: str | None = None
    connected: bool = False

    @property
    def first_name(self) -> str:
        return first_name(self.name)

    @property
    def to(self) -> str:
        return f"{self.name} <{self.email}>" if identity.email_key(self.email) else self.name


@dataclass(slots=True)
class _Facts:
    """Everything a draft may say about one contact, read from the log on ``as_of``."""

    as_of: date
    contact: _Person
    me: str | None  # the owner's name, unless the workspace only knows the default
    programme: str | None
    graduation_year: int | None
    stage: int
    declined: bool
    referrer: _Person | None = None
    referrer_met: bool = False
    referrer_met_on: date | None = None  # their latest meeting held, when dated
    met_on: list[date] = field(default_factory=list)  # meetings held, oldest first
    upcoming: list[date] = field(default_factory=list)  # meetings still to come
    outreach_on: list[date] = field(default_factory=list)
    thanked_on: list[date | None] = field(default_factory=list)  # None: undated ("yes")
    reported_on: list[date | None] = field(default_factory=list)  # outcome reports
    debrief: Debrief | None = None  # the latest, of a meeting held
    referred_stage: dict[int, int] = field(default_factory=dict)  # named -> stage rank
    minutes: int | None = None  # of the prep plan for the next meeting, when saved

    @property
    def met(self) -> bool:
        return bool(self.met_on) or self.stage >= Stage.INTERVIEWED.rank

    @property
    def last_met(self) -> date | None:
        return self.met_on[-1] if self.met_on else None

    @property
    def thank_you_due(self) -> bool:
        if not self.met:
            return False
        last = self.last_met
        return not any(t is None or last is None or t >= last for t in self.thanked_on)

    @property
    def outcome_due(self) -> bool:
        if self.referrer is None or not (self.met or self.declined):
            return False
        last = self.last_met
        return not any(r is None or last is None or r >= last for r in self.reported_on)


@dataclass(frozen=True, slots=True)
class _Written:
    to: str
    subject: str
    body: str
    tip: str | None = None


@dataclass(frozen=True, slots=True)
class DraftKind:
    """One kind of email: ``offered`` says whether it fits where a contact stands now,
    ``missing`` why it cannot be written at all (``None`` when it can)."""

    key: str
    title: str
    description: str
    offered: Callable[[_Facts], bool]
    missing: Callable[[_Facts], str | None]
    write: Callable[[_Facts], _Written]


def drafts_for(store: Store, contact_id: int, *, as_of: date | None = None) -> list[Draft]:
    """The drafts that fit where the contact stands on ``as_of`` (default today), in the
    order of the process. Raises NotFoundError for an unknown contact."""
    facts = _read_facts(store, contact_id, as_of or date.today())
    return [_draft(kind, facts) for kind in DRAFTS if kind.offered(facts)]


def write_draft(store: Store, contact_id: int, key: str, as_of: date | None = None) -> Draft:
    """The draft ``key`` for the contact, whether or not it is due (a thank-you can be
    written again). Raises NotFoundError for an unknown contact, InputError for an
    unknown key or a draft the log cannot support (an outcome report for someone nobody
    referred, a confirmation with no meeting coming, a thank-you before any meeting)."""
    kinds = {kind.key: kind for kind in DRAFTS}
    if key not in kinds:
        raise InputError(f"no email draft called {key!r}; choose from {', '.join(kinds)}")
    facts = _read_facts(store, contact_id, as_of or date.today())
    if reason := kinds[key].missing(facts):
        raise InputError(reason)
    return _draft(kinds[key], facts)


def _draft(kind: DraftKind, facts: _Facts) -> Draft:
    written = kind.write(facts)
    tips = [written.tip] if written.tip else []
    if facts.me is None:
        tips.append("Sign it with your name before you send it.")
    return Draft(
        kind.key, kind.title, written.subject, written.body, written.to, " ".join(tips) or None
    )


# --- the drafts ------------------------------------------------------------------------


def _outreach(f: _Facts) -> _Written:
    c = f.contact
    earlier = [d for d in f.outreach_on if d < f.as_of]
    opening = " ".join(
        part
        for part in (
            earlier
            and f"I wrote to you {past_when(earlier[-1], f.as_of)} and wanted to follow up, "
            "in case my message got lost in a busy inbox.",
            _how_we_know(f),
            _introduce(f),
        )
        if part
    )
    field_ = field_phrase(c.industry)
    interest = (
        f"I'm exploring a career in {field_}, and I'd really value an insider's view of the "
        f"field and of {role(c)}."
        if field_
        else f"I'm exploring where to take my career next, and I'd really value an insider's "
        f"view of {role(c)}."
    )
    paragraphs = [
        opening,
        interest,
        f"Would you have about {ASK_MINUTES} minutes for a short conversation in the next few "
        "weeks? A phone call, a video call or a coffee would all be wonderful, at whatever "
        "time and place suit you best.",
        "To be clear, I'm not asking for a job: I'm hoping to learn from your experience and "
        "understand the field better before I decide on my next steps.",
        "If now isn't a good time, I'd be just as grateful for a couple of answers by email, "
        "or a word on when to try again. And if you're not the right person to ask, I'd "
        "really appreciate the name of someone who might be.",
        "Thank you for considering it.",
    ]
    if f.referrer:
        subject = f"{f.referrer.name} suggested I get in touch"
    elif c.company:
        subject = f"Could I ask you about your work at {organisation(c.company)}?"
    else:
        subject = f"A request for {ASK_MINUTES} minutes of your advice"
    if earlier:
        subject = f"Following up: {subject}"
    return _Written(c.to, subject, _letter(f"Dear {c.first_name},", paragraphs, f.me))


def _confirmation(f: _Facts) -> _Written:
    c = f.contact
    when = future_when(f.upcoming[0], f.as_of)
    length = f"to about {f.minutes} minutes" if f.minutes else "it brief"
    paragraphs = [
        "Thank you for agreeing to speak with me. I'm really looking forward to it.",
        f"Just to confirm, we're due to speak {when}. If anything changes on your side, "
        "please let me know; I'm happy to find another time.",
        f"I'll keep {length} and come with a few questions about {role(c)}.",
        "Thank you again for your time.",
    ]
    subject = f"Confirming our conversation {when}"
    return _Written(c.to, subject, _letter(f"Dear {c.first_name},", paragraphs, f.me))


def _thank_you(f: _Facts) -> _Written:
    c = f.contact
    when = past_when(f.last_met, f.as_of) if f.last_met else None
    d = f.debrief
    opening = (
        f"Thank you very much for taking the time to speak with me{f' {when}' if when else ''}. "
        f"I really enjoyed hearing about {role(c)}."
    )
    paragraphs = [opening]
    if d and (d.learned or d.advice):
        middle = []
        if d.learned:
            middle.append(f"Something you said has stayed with me: {after_colon(d.learned)}")
        if d.advice:
            middle.append(
                f"Thank you too for your advice: {after_colon(d.advice)} It's the first thing I "
                "plan to act on."
            )
        paragraphs.append(" ".join(middle))
    else:
        picture = field_phrase(c.industry) or "the work"
        paragraphs.append(
            f"Our conversation gave me a much clearer picture of {picture}, and plenty to "
            "think about."
        )
    if d and d.referred:
        names = [p.name for p in d.referred]
        whom = first_name(names[0]) if len(names) == 1 else "them"
        paragraphs.append(
            f"Thank you also for suggesting I speak with {join_names(names)}. I'll get in "
            f"touch with {whom} this week."
        )
    if d and d.follow_up_promised:
        paragraphs.append(
            f"As promised, I'll follow up on what we agreed: {after_colon(d.follow_up_promised)}"
        )
    paragraphs.append("I'll let you know how I get on. Thanks again for your time and generosity.")
    subject = "Thank you for your time" + (f" {when}" if when in ("today", "yesterday") else "")
    tip = (
        None
        if d and (d.learned or d.advice)
        else "Save a debrief of this meeting and this thank-you will mention what you discussed."
    )
    return _Written(c.to, subject, _letter(f"Dear {c.first_name},", paragraphs, f.me), tip)


def _outcome_report(f: _Facts) -> _Written:
    c, referrer = f.contact, f.referrer
    assert referrer is not None
    if not f.met:  # they declined
        paragraphs = [
            f"I wanted to let you know that I got in touch with {c.name}, as you suggested. "
            f"{c.first_name} wasn't able to make time for a conversation just now, but I'm "
            "still very grateful for the introduction.",
            "If anyone else comes to mind who might be happy to talk, I'd love to hear.",
        ]
        subject = f"An update on my message to {c.name}"
    else:
        when = past_when(f.last_met, f.as_of) if f.last_met else "recently"
        paragraphs = [
            f"I wanted to let you know how my conversation with {c.name} went. We spoke "
            f"{when}, and it was really worthwhile."
        ]
        d = f.debrief
        if d and d.learned:
            paragraphs.append(f"One thing that stood out: {after_colon(d.learned)}")
        elif d and d.advice:
            paragraphs.append(f"{c.first_name} gave me some very practical advice: "
                              f"{after_colon(d.advice)}")  # fmt: skip
        if d and d.referred:
            names = join_names([p.name for p in d.referred])
            paragraphs.append(
                f"{c.first_name} also suggested I speak with {names}, so your introduction "
                "is still opening doors."
            )
        paragraphs.append(
            "Thank you so much for the introduction. I'll keep you posted on how things go."
        )
        subject = f"Thank you for introducing me to {c.name}"
    return _Written(referrer.to, subject, _letter(f"Hi {referrer.first_name},", paragraphs, f.me))


def _stay_in_touch(f: _Facts) -> _Written:
    c, d = f.contact, f.debrief
    since = ""
    if f.last_met and (f.as_of - f.last_met).days > 13:
        since = f" in {MONTHS[f.last_met.month - 1]}" + (
            f" {f.last_met.year}" if f.last_met.year != f.as_of.year else ""
        )
    paragraphs = [
        f"I hope you're well. It's been a little while since we spoke{since}, and I wanted "
        "to send you a quick update."
    ]
    news = []
    if d and d.advice:
        news.append(f"Your advice has stayed with me, and I've been putting it into practice: "
                    f"{after_colon(d.advice)}")  # fmt: skip
    if d and d.referred:
        news.append(_referrals_news(f, d))
    if not any(news):
        exploring = field_phrase(c.industry) or "my options"
        news = [
            f"I'm still exploring {exploring}, and our conversation is one I keep coming back to."
        ]
    paragraphs += [
        *news,
        "If there's ever anything I can do in return, such as sharing something from my own "
        "research or helping out at an event, I'd be very glad to.",
        "No need to reply; I just wanted to keep in touch and say thank you again.",
    ]
    subject = f"A quick update since we spoke{since}" if since else "A quick update, and thanks"
    return _Written(c.to, subject, _letter(f"Hi {c.first_name},", paragraphs, f.me))


def _referrals_news(f: _Facts, d: Debrief) -> str:
    """How it went with the people they suggested, as far as the log says."""
    rank = f.referred_stage
    met = [p.name for p in d.referred if rank.get(p.contact_id, 0) >= Stage.INTERVIEWED.rank]
    reached = [p.name for p in d.referred if p.name not in met
               and rank.get(p.contact_id, 0) >= Stage.CONTACTED.rank]  # fmt: skip
    news = []
    if met:
        news.append(
            f"I had a really helpful conversation with {join_names(met)}, whom you suggested "
            "I contact. Thank you again for the introduction."
        )
    if reached:
        also = " also" if met else ""
        news.append(f"I've{also} been in touch with {join_names(reached)}, as you suggested.")
    return " ".join(news)


def _needs_meeting_to_come(f: _Facts) -> str | None:
    if f.upcoming:
        return None
    return f"no meeting with {f.contact.name} is coming up to confirm"


def _needs_meeting_held(f: _Facts) -> str | None:
    if f.met:
        return None
    return f"no meeting with {f.contact.name} has been held yet: log it first"


def _needs_referrer(f: _Facts) -> str | None:
    if f.referrer is None:
        return f"nobody is recorded as having referred {f.contact.name}"
    if not (f.met or f.declined):
        return f"{f.contact.name} has neither met you nor declined yet: nothing to report"
    return None


DRAFTS: tuple[DraftKind, ...] = (
    DraftKind(
        "outreach",
        "Outreach request",
        "Asking for about 15 minutes of their time: offered until they answer.",
        lambda f: not f.declined and f.stage <= Stage.CONTACTED.rank and not f.upcoming,
        lambda f: None,
        _outreach,
    ),
    DraftKind(
        "confirmation",
        "Meeting confirmation",
        "Confirming an agreed meeting by email: offered while one is coming up.",
        lambda f: bool(f.upcoming) and not f.declined,
        _needs_meeting_to_come,
        _confirmation,
    ),
    DraftKind(
        "thank_you",
        "Thank-you",
        "Thanking them straight away after the meeting: offered until a thank-you is logged.",
        lambda f: f.thank_you_due,
        _needs_meeting_held,
        _thank_you,
    ),
    DraftKind(
        "outcome_report",
        "Outcome report to the referrer",
        "Telling the person who referred them how it went: offered once you have met (or "
        "they declined) until the report is logged.",
        lambda f: f.outcome_due,
        _needs_referrer,
        _outcome_report,
    ),
    DraftKind(
        "stay_in_touch",
        "Stay-in-touch update",
        "Sharing your progress some time after the thank-you.",
        lambda f: f.stage >= Stage.THANKED.rank and not f.thank_you_due and not f.upcoming,
        _needs_meeting_held,
        _stay_in_touch,
    ),
)


# --- reading the log -------------------------------------------------------------------

_CONTACT_SQL = """
SELECT c.id, c.owner_id, c.name, c.email, c.company, c.position, c.industry, c.source,
       c.connected_on IS NOT NULL AS connected,
       r.id AS r_id, r.name AS r_name, r.email AS r_email, r.company AS r_company,
       o.name AS owner, o.programme, o.graduation_year
FROM contacts c
JOIN owners o ON o.id = c.owner_id
LEFT JOIN contacts r ON r.id = c.referred_by_id AND r.owner_id = c.owner_id
WHERE c.id = ?
"""


def _read_facts(store: Store, contact_id: int, as_of: date) -> _Facts:
    rows = store.dicts(_CONTACT_SQL, [contact_id])
    if not rows:
        raise NotFoundError(f"no contact with id {contact_id}")
    row = rows[0]
    owner_id = row["owner_id"]
    held = [d for d in list_debriefs(store, contact_id=contact_id) if d.meeting_on <= as_of]
    named = [p.contact_id for p in held[0].referred] if held else []
    stages = _stages(store, owner_id, as_of, [contact_id, row["r_id"], *named])
    stage, declined = stages.get(contact_id, (0, False))
    me = plain(row["owner"])
    contact = _Person(
        contact_id, " ".join(row["name"].split()) or row["name"], plain(row["email"]),
        plain(row["company"]), plain(row["position"]), plain(row["industry"]),
        plain(row["source"]), row["connected"],
    )  # fmt: skip
    facts = _Facts(
        as_of, contact, None if me in (None, DEFAULT_OWNER_NAME) else me,
        plain(row["programme"]), row["graduation_year"], stage, declined,
    )  # fmt: skip
    if row["r_id"] is not None:
        facts.referrer = _Person(
            row["r_id"], " ".join(row["r_name"].split()) or row["r_name"],
            plain(row["r_email"]), plain(row["r_company"]),
        )  # fmt: skip
        facts.referrer_met = stages.get(row["r_id"], (0, False))[0] >= Stage.INTERVIEWED.rank
        facts.referrer_met_on = store.value(
            "SELECT max(on_date) FROM events WHERE contact_id = ? AND kind = ? AND on_date <= ?",
            [row["r_id"], str(EventKind.MEETING), as_of],
        )
    for kind, on in store.rows(
        "SELECT kind, on_date FROM events WHERE contact_id = ? AND owner_id = ? ORDER BY on_date",
        [contact_id, owner_id],
    ):
        if kind == EventKind.MEETING and on is not None:
            (facts.met_on if on <= as_of else facts.upcoming).append(on)
        elif kind == EventKind.OUTREACH and on is not None and on <= as_of:
            facts.outreach_on.append(on)
        elif kind == EventKind.THANK_YOU and (on is None or on <= as_of):
            facts.thanked_on.append(on)
    facts.met_on = sorted(set(facts.met_on))
    facts.upcoming = sorted(set(facts.upcoming))
    facts.reported_on = [
        on
        for (on,) in store.rows(
            "SELECT on_date FROM events WHERE about_contact_id = ? AND kind = ?",
            [contact_id, str(EventKind.OUTCOME_REPORT)],
        )
        if on is None or on <= as_of
    ]
    if held:
        facts.debrief = held[0]
        facts.referred_stage = {
            p.contact_id: stages.get(p.contact_id, (0, False))[0] for p in held[0].referred
        }
    if facts.upcoming:
        facts.minutes = store.value(
            """SELECT minutes FROM prep_plans WHERE contact_id = ? AND meeting_on = ?
               ORDER BY updated_at DESC LIMIT 1""",
            [contact_id, facts.upcoming[0]],
        )
    return facts


def _stages(
    store: Store, owner_id: int, as_of: date, ids: list[int | None]
) -> dict[int, tuple[int, bool]]:
    """Stage rank and declined flag of a few contacts (the stage rules of ``stages``)."""
    rows = contact_stages(store, owner_id, as_of).filter(
        pl.col("contact_id").is_in([i for i in ids if i is not None])
    )
    return {
        cid: (rank, declined)
        for cid, rank, declined in rows.select("contact_id", "stage_rank", "declined").rows()
    }


# --- the words -------------------------------------------------------------------------

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# What a spreadsheet cell holds when it means "nothing": never said in a letter.
_BLANKS = frozenset({"none", "null", "nan", "n/a", "na", "nil", "-", "--", "?", "unknown",
                     "tbc", "tbd"})  # fmt: skip
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "miss", "sir",
                     "dame", "rev", "dr.", "prof.", "mr.", "mrs.", "ms.", "mx."})  # fmt: skip
# Roles usually said without an article: "as Head of Data", "as CEO".
_NO_ARTICLE = ("head of", "chief", "director of", "vice president", "president", "founder",
               "co-founder", "cofounder", "ceo", "cto", "cfo", "coo", "managing director",
               "chair")  # fmt: skip
# Legal forms left out when a letter names an organisation.
_LEGAL_FORMS = frozenset({"inc", "incorporated", "ltd", "limited", "llc", "llp", "plc",
                          "corp", "gmbh", "ag", "sa", "bv", "nv", "pty", "srl", "spa"})  # fmt: skip
_POSITION_SPLIT = re.compile(r"\s+[|•·]\s+|;\s*")
_LIST_MARKER = re.compile(r"^\s*(?:[-*•·–]+|\d+[.)])\s*")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_SENTENCE_LIMIT = 240
_RECENT_DAYS = 90
# Words that open a sentence and are never names, so they can go lower case after a
# colon ("stayed with me: most analysts…"). Anything else keeps the capital it was typed
# with: "Python" or "Deloitte" must stay as they are.
_COMMON_OPENERS = frozenset({
    "a", "about", "after", "all", "also", "always", "an", "and", "any", "apply", "ask",
    "at", "be", "being", "build", "consider", "do", "don't", "each", "employers", "even",
    "every", "experience", "find", "focus", "for", "get", "getting", "go", "graduate",
    "graduates", "have", "having", "hiring", "how", "if", "in", "internships", "it",
    "it's", "join", "just", "keep", "learn", "less", "look", "make", "many", "more",
    "most", "network", "networking", "never", "no", "not", "often", "on", "one", "people",
    "practise", "practice", "reach", "read", "recruitment", "research", "show", "skills",
    "some", "spend", "start", "take", "talk", "teams", "than", "that", "the", "their",
    "there", "there's", "these", "they", "they're", "this", "those", "to", "try", "use",
    "volunteer", "was", "we", "were", "what", "when", "where", "which", "while", "why",
    "with", "work", "write", "you", "you're", "your",
})  # fmt: skip
_DOUBLE_STOP = re.compile(r"(?<!\.)\.\.(?!\.)")


def plain(value: str | None) -> str | None:
    """A field as a letter may say it: spaces tidied, ``None`` when blank or a stand-in
    for blank ("N/A", "none", "-")."""
    if value is None:
        return None
    text = " ".join(str(value).split())
    return None if not text or text.casefold() in _BLANKS else text


def first_name(name: str) -> str:
    """How a letter greets someone: "Dr Ada Lovelace" → "Ada", "Lovelace, Ada" → "Ada"."""
    text = " ".join(name.split())
    if "," in text:
        last, _, rest = text.partition(",")
        text = rest.strip() or last
    words = text.split()
    while len(words) > 1 and words[0].casefold() in _TITLES:
        words.pop(0)
    return words[0] if words else name


def soft(text: str | None) -> str | None:
    """A label as it reads inside a sentence: "Data & analytics" → "data & analytics";
    names and acronyms ("IT services", "Artificial Intelligence") kept as written."""
    if not text:
        return None
    if text[0].isupper() and not any(ch.isupper() for ch in text[1:]):
        return text[0].lower() + text[1:]
    return text


def article(phrase: str) -> str:
    """ "a" or "an" before ``phrase``, by sound where the spelling misleads."""
    word = phrase.split()[0] if phrase.split() else phrase
    if len(word) > 1 and word.isupper():  # an acronym, said letter by letter
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    lower = word.casefold()
    if lower.startswith(("uni", "use", "usu", "ura", "uro", "eu", "one", "once")):
        return "a"
    if lower.startswith(("hour", "honest", "honor", "honour", "heir")):
        return "an"
    return "an" if lower[:1] in tuple("aeiou") else "a"


def position_phrase(position: str | None, company: str | None) -> str | None:
    """A position as said after "as": "a Data Analyst", "an HR Business Partner",
    "Head of Data"; only the first of several roles in a LinkedIn-style headline."""
    if not position:
        return None
    text = _POSITION_SPLIT.split(position)[0].strip(" ,-–")
    for name in {company, organisation(company)} - {None}:
        assert name is not None
        if text.casefold().endswith(f" at {name.casefold()}"):
            text = text[: -len(name) - 4].strip()
            break
    if not text:
        return None
    if text.casefold().startswith(_NO_ARTICLE):
        return text
    return f"{article(text)} {text}"


def organisation(name: str | None) -> str | None:
    """An organisation as people say it: "Northwind Analytics Ltd" → "Northwind Analytics"
    (the legal form dropped; the rest as written)."""
    if not name:
        return None
    words = name.split()
    while len(words) > 1 and words[-1].casefold().strip(".,") in _LEGAL_FORMS:
        words.pop()
    return " ".join(words).rstrip(",") or name


def field_phrase(industry: str | None) -> str | None:
    """An industry as it reads after "a career in": "data & analytics", "the public
    sector"."""
    text = soft(industry)
    if text and text.casefold().endswith(" sector") and not text.casefold().startswith("the "):
        return f"the {text}"
    return text


def role(person: _Person) -> str:
    """ "your work as a Data Analyst at Northwind", or as much of it as the log knows."""
    company = organisation(person.company)
    position = position_phrase(person.position, person.company)
    if position and company:
        return f"your work as {position} at {company}"
    if position:
        return f"your work as {position}"
    if company:
        return f"your work at {company}"
    return "your work and how you got into it"


def sentence(text: str) -> str:
    """The first point of a free-text answer as one sentence, in the student's own words:
    the first line (list marker dropped), cut to its first sentence when long, ending in
    a full stop unless it has its own."""
    lines = [_LIST_MARKER.sub("", line).strip() for line in text.splitlines()]
    first = " ".join(next((line for line in lines if line), "").split())
    if len(first) > _SENTENCE_LIMIT:
        first = _SENTENCE_END.split(first)[0]
    if len(first) > _SENTENCE_LIMIT:
        first = first[:_SENTENCE_LIMIT].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first if first.endswith((".", "!", "?", "…")) else f"{first}."


def after_colon(text: str) -> str:
    """``sentence(text)`` as it reads after a colon: its first word in lower case when it
    is a common word ("Most analysts…" → "most analysts…"), as typed otherwise."""
    said = sentence(text)
    word = said.split()[0] if said.split() else ""
    bare = word.strip(".,;:!?\"'()")
    capitalised = bare[:1].isupper() and (len(bare) == 1 or bare[1:].islower())
    if capitalised and bare.casefold() in _COMMON_OPENERS:
        return said[0].lower() + said[1:]
    return said


def join_names(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def long_day(day: date, as_of: date) -> str:
    """ "Tuesday 24 November", with the year when it is not ``as_of``'s."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return text if day.year == as_of.year else f"{text} {day.year}"


def past_when(day: date, as_of: date) -> str:
    """ "today", "yesterday", "on Thursday" (this past week), else "on 12 November"."""
    days = (as_of - day).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"on {WEEKDAYS[day.weekday()]}"
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"on {text}" if day.year == as_of.year else f"on {text} {day.year}"


def future_when(day: date, as_of: date) -> str:
    """ "today", "tomorrow, Tuesday 24 November", else "on Tuesday 24 November"."""
    days = (day - as_of).days
    if days <= 0:
        return "today"
    if days == 1:
        return f"tomorrow, {long_day(day, as_of)}"
    return f"on {long_day(day, as_of)}"


def _how_we_know(f: _Facts) -> str | None:
    """How the student came to write to this person, from the referrer or the source."""
    c, referrer = f.contact, f.referrer
    if referrer:
        colleague = (
            referrer.company
            and c.company
            and identity.company_key(referrer.company) == identity.company_key(c.company)
        )
        who = f"your colleague {referrer.name}" if colleague else referrer.name
        if f.referrer_met:
            met_on = f.referrer_met_on
            recently = " recently" if met_on and (f.as_of - met_on).days <= _RECENT_DAYS else ""
            return f"I{recently} spoke with {who}, who suggested I get in touch with you."
        return f"{who[0].upper()}{who[1:]} suggested I get in touch with you."
    source = c.source
    if not source:
        return None
    folded = identity.fold(source)
    if "linkedin" in folded:
        if c.connected:
            return "We're connected on LinkedIn, and I hope you don't mind me getting in touch."
        return "I came across your profile on LinkedIn and hope you don't mind me getting in touch."
    if "alumni" in folded:
        return "I found your name through our university's alumni network."
    if "family friend" in folded:
        return "A family friend passed on your name."
    if folded in ("friend", "friends", "a friend"):
        return "A friend passed on your name."
    teachers = {"professor": "professors", "professors": "professors", "lecturer": "lecturers",
                "tutor": "tutors", "teacher": "teachers", "faculty": "lecturers"}  # fmt: skip
    if folded in teachers:
        return f"One of my {teachers[folded]} passed on your name."
    if any(word in folded.split() for word in ("fair", "conference", "meetup", "event", "expo")):
        return f"We met at the {soft(source)}, and I hope you don't mind me following up."
    if "website" in folded or "web site" in folded:
        where = (
            f"the {organisation(c.company)} website" if c.company else "your organisation's website"
        )
        return f"I found your name on {where}."
    if folded in ("referral", "referred", "introduction"):
        return "Your name was passed on to me as someone who would be great to ask."
    if folded in ("other", "manual", "import", "cold", "cold email", "added by hand"):
        return None
    return f"I came across your name through {soft(source)}."


def _introduce(f: _Facts) -> str | None:
    """ "My name is Sam Okafor, and I'm studying Economics and graduate in 2027." """
    study = None
    year = f.graduation_year
    if f.programme and year and year < f.as_of.year:
        study = f"I studied {f.programme} and graduated in {year}"
    elif f.programme and year:
        study = f"I'm studying {f.programme}, graduating in {year}"
    elif f.programme:
        study = f"I'm studying {f.programme}"
    elif year:
        study = f"I graduated in {year}" if year < f.as_of.year else f"I graduate in {year}"
    if f.me and study:
        return f"My name is {f.me}, and {study}."
    if f.me:
        return f"My name is {f.me}."
    return f"{study}." if study else None


def _letter(greeting: str, paragraphs: list[str], me: str | None) -> str:
    sign_off = f"Best wishes,\n{me}" if me else "Best wishes,"
    # A name that ends in a full stop ("Acme Co.") must not end its sentence twice.
    tidy = [_DOUBLE_STOP.sub(".", p) for p in paragraphs if p]
    return "\n\n".join([greeting, *tidy, sign_off])
