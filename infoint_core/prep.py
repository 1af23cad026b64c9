"""Meeting prep: a tailored question list for one contact and the minutes they gave.

The questions come from the bank in ``data/questions.toml``. ``build_prep_plan`` reads
what the log knows (the contact, their referrer and source, earlier meetings, questions
already asked of them and of others at the same organisation or in the same field) and
the student's profile into a ``PrepContext``; ``compose_plan`` then works from that alone,
with no database and no randomness, so the same inputs always give the same plan.

A plan opens with the right framing, fits ≈ 3 minutes a question, always covers Advice,
Insight and Referral, and ends with "who else should I talk to?" and "may I get in touch
again?". Saved plans (``save_prep_plan``) close the ``unprepared_meeting`` gap and are
never repeated to the same contact.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import polars as pl

from infoint_core import identity
from infoint_core.debrief import list_debriefs
from infoint_core.errors import InputError, NotFoundError
from infoint_core.profile import Profile, load_profile
from infoint_core.records import EventKind, Stage
from infoint_core.stages import contact_stages
from infoint_core.store import Store

AIR_PARTS = ("advice", "insight", "referral")
TIARA_TAGS = ("trends", "insights", "advice", "resources", "assignments")
AIR_LABELS = {"advice": "Advice", "insight": "Insight", "referral": "Referral"}
CLOSING_ROLES = ("refer", "again", "combined")
MIN_MINUTES, MAX_MINUTES, DEFAULT_MINUTES = 5, 90, 20

# Placeholders that always have a value, with what they say when the log does not know.
SAFE_DEFAULTS = {"company": "your organisation", "field": "your field", "industry": "your industry"}
PLACEHOLDERS = frozenset(
    {*SAFE_DEFAULTS, "position", "a_position", "referrer", "background", "first_name"}
)
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# What each theme is about, for "you haven't asked anyone at X about …" reasons.
_THEME_TOPICS = {
    "path": "what the work is like day to day",
    "entry": "how to get in",
    "recruitment": "how they recruit",
    "industry": "where the industry is heading",
    "development": "how careers develop",
    "networking": "who else to meet",
}
# The order a conversation flows in: their story, their world, how people get in, advice
# for the student, the longer view, and who else to meet.
THEME_ORDER = ("path", "industry", "recruitment", "entry", "development", "networking")

# How the student knows the contact, from words in the source column → opening key.
_SOURCE_KINDS = (
    (("career fair", "careers fair", "job fair", "fair", "expo"), "career_fair"),
    (("alumni", "alumnus", "alumna", "alum"), "alumni"),
    (("professor", "lecturer", "tutor", "teacher", "faculty", "academic"), "professor"),
    (("family", "parent", "relative", "cousin", "aunt", "uncle"), "family_friend"),
    (("friend", "neighbour", "neighbor", "personal"), "personal"),
    (("linkedin",), "linkedin"),
    (("event", "meetup", "conference", "networking", "talk", "workshop"), "event"),
    (("colleague", "former employer", "employer", "coworker", "work", "internship"),
     "colleague"),
    (("front desk", "reception", "cold", "website", "direct"), "direct"),
)  # fmt: skip
# Legal forms dropped from an organisation's name where a person would say it.
_LEGAL_FORMS = frozenset(
    {"inc", "incorporated", "ltd", "limited", "llc", "llp", "lp", "plc", "corp", "corporation",
     "gmbh", "ag", "sa", "sas", "bv", "nv", "pty", "srl", "spa", "ab", "oy", "kk"}
)  # fmt: skip
_TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "mx", "sir", "dame"})


# The bank ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Question:
    """One question of the bank (see the header of ``data/questions.toml``)."""

    id: str
    theme: str
    air: str
    tiara: str
    min_minutes: int
    weight: int
    text: str
    why: str
    fallback: str | None = None
    requires: tuple[str, ...] = ()
    role: str = "body"
    max_minutes: int | None = None
    audience: tuple[str, ...] = ()
    meeting: str | None = None
    keywords: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    opens: bool = False

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(_PLACEHOLDER.findall(self.text))


@dataclass(frozen=True, slots=True)
class RoleGroup:
    """Job titles sharing a vantage point, and the themes they are best placed to answer."""

    key: str
    keywords: tuple[str, ...]
    themes: Mapping[str, int]
    why: str


@dataclass(frozen=True, slots=True)
class QuestionBank:
    questions: tuple[Question, ...]
    themes: Mapping[str, str]  # key → label
    role_groups: tuple[RoleGroup, ...]
    openings: Mapping[str, str]

    def get(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@cache
def load_question_bank() -> QuestionBank:
    """The bank shipped with infoint. Raises ValueError when the file is malformed."""
    text = (resources.files("infoint_core") / "data" / "questions.toml").read_text("utf-8")
    return parse_question_bank(text)


def parse_question_bank(text: str) -> QuestionBank:
    """A bank from TOML text; raises ValueError listing every problem found."""
    raw = tomllib.loads(text)
    tuples = ("requires", "audience", "keywords", "roles")
    questions = tuple(
        Question(**{k: tuple(v) if k in tuples else v for k, v in entry.items()})
        for entry in raw.get("question", [])
    )
    groups = tuple(
        RoleGroup(g["key"], tuple(g["keywords"]), dict(g["themes"]), g["why"])
        for g in raw.get("role_group", [])
    )
    bank = QuestionBank(questions, dict(raw["themes"]), groups, dict(raw["openings"]))
    if problems := bank_problems(bank):
        raise ValueError("question bank: " + "; ".join(problems))
    return bank


def bank_problems(bank: QuestionBank) -> list[str]:
    """Everything wrong with a bank: unknown tags, duplicate ids, unfillable placeholders."""
    problems = []
    seen: set[str] = set()
    for q in bank.questions:
        where = f"question {q.id!r}"
        if q.id in seen:
            problems.append(f"{where} appears twice")
        seen.add(q.id)
        checks = [
            (q.theme in bank.themes, f"unknown theme {q.theme!r}"),
            (q.air in AIR_PARTS, f"unknown AIR tag {q.air!r}"),
            (q.tiara in TIARA_TAGS, f"unknown TIARA tag {q.tiara!r}"),
            (q.role == "body" or q.role in CLOSING_ROLES, f"unknown role {q.role!r}"),
            (q.role == "body" or q.air == "referral", "a closing question must be a referral"),
            (1 <= q.weight <= 5, "weight must be 1 to 5"),
            (MIN_MINUTES <= q.min_minutes <= MAX_MINUTES, "min_minutes out of range"),
            (q.meeting in (None, "first", "again"), f"unknown meeting {q.meeting!r}"),
            (bool(q.why.strip()), "no why"),
        ]
        problems += [f"{where}: {message}" for ok, message in checks if not ok]
        used = q.placeholders | frozenset(_PLACEHOLDER.findall(q.fallback or ""))
        if unknown := used - PLACEHOLDERS:
            problems.append(f"{where}: unknown placeholders {sorted(unknown)}")
        unsafe = q.placeholders - set(SAFE_DEFAULTS) - set(q.requires)
        if unsafe and not q.fallback:
            problems.append(f"{where}: {sorted(unsafe)} need a fallback or requires")
        if q.fallback and (set(_PLACEHOLDER.findall(q.fallback)) - set(SAFE_DEFAULTS)):
            problems.append(f"{where}: a fallback may use only {sorted(SAFE_DEFAULTS)}")
    needed_openings = {"default", "referrer", "again", *(kind for _, kind in _SOURCE_KINDS)}
    if missing := needed_openings - set(bank.openings):
        problems.append(f"openings missing: {sorted(missing)}")
    return problems


# The plan ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    """A question as it stands in a plan: filled in, with the reason it was picked."""

    id: str
    theme: str
    air: str
    tiara: str
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class PrepPlan:
    """What to say and ask in one meeting, and what to do before and after it."""

    owner_id: int
    contact_id: int
    contact: str
    company: str | None
    position: str | None
    referrer: str | None
    meeting_on: date | None  # the contact's next meeting (None: not arranged yet)
    minutes: int
    opening: str
    questions: tuple[PlannedQuestion, ...]
    before: tuple[str, ...]
    after: tuple[str, ...]
    as_of: date

    @property
    def checklist(self) -> tuple[str, ...]:
        return self.before + self.after

    @property
    def air_counts(self) -> dict[str, int]:
        counts = Counter(q.air for q in self.questions)
        return {part: counts[part] for part in AIR_PARTS}


@dataclass(frozen=True)
class PrepContext:
    """Everything the plan is tailored from (gathered by ``gather_context``)."""

    contact_id: int
    owner_id: int
    name: str
    company: str | None = None
    position: str | None = None
    industry: str | None = None
    source: str | None = None
    referrer: str | None = None
    met_before: bool = False
    meeting_on: date | None = None
    asked: frozenset[str] = frozenset()  # question ids of earlier plans for this contact
    org_themes: Mapping[str, int] = field(default_factory=dict)  # others at the same org
    org_asked: frozenset[str] = frozenset()
    field_themes: Mapping[str, int] = field(default_factory=dict)  # others in the industry
    field_asked: frozenset[str] = frozenset()
    profile: Profile = field(default_factory=Profile)
    # from the debrief of the last meeting with them, when there is one
    last_advice: str | None = None
    last_promised: str | None = None
    last_referred: tuple[str, ...] = ()


def question_count(minutes: int) -> int:
    """How many questions fit: ≈ 3 minutes each up to half an hour, 3½ beyond, plus the
    two quick closing questions (10 → 5, 20 → 8, 30 → 11); never fewer than 3."""
    body = (min(minutes, 30) - 2) / 3 + max(0, minutes - 30) / 3.5
    return max(3, math.floor(body + 0.5) + 2)


def build_prep_plan(
    store: Store,
    contact_id: int,
    minutes: int = DEFAULT_MINUTES,
    *,
    as_of: date | None = None,
    shuffle: Iterable[str] | str | None = None,
) -> PrepPlan:
    """A prep plan for a meeting of ``minutes`` with the contact, judged on ``as_of``.

    ``shuffle`` names questions (ids) to swap, each for the best alternative of the same
    AIR part in the same place. Raises NotFoundError for an unknown contact, InputError for
    minutes outside 5-90.
    """
    check_minutes(minutes)
    day = as_of or date.today()
    return compose_plan(gather_context(store, contact_id, day), minutes, as_of=day,
                        shuffle=shuffle)  # fmt: skip


def check_minutes(minutes: Any) -> int:
    """``minutes`` when it is a whole number from 5 to 90; raises InputError otherwise."""
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InputError("the meeting length must be a whole number of minutes")
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise InputError(f"a meeting must be {MIN_MINUTES} to {MAX_MINUTES} minutes long")
    return minutes


def compose_plan(
    context: PrepContext,
    minutes: int,
    *,
    as_of: date,
    shuffle: Iterable[str] | str | None = None,
) -> PrepPlan:
    """The plan for ``context`` (no database involved; deterministic). ``shuffle`` as for
    ``build_prep_plan``."""
    bank = load_question_bank()
    values = _values(context)
    picker = _Picker(bank, context, minutes, values)
    swaps = [shuffle] if isinstance(shuffle, str) else list(shuffle or ())
    base = chosen = picker.pick(question_count(minutes))
    for question_id in swaps:
        chosen = picker.swap(chosen, question_id, excluded=set(swaps))
    questions = tuple(picker.planned(base, chosen))
    before, after = _checklists(context, minutes, as_of, values)
    return PrepPlan(
        owner_id=context.owner_id, contact_id=context.contact_id, contact=context.name,
        company=context.company, position=context.position, referrer=values["referrer"],
        meeting_on=context.meeting_on, minutes=minutes,
        opening=_opening(bank, context, minutes, values), questions=questions,
        before=before, after=after, as_of=as_of,
    )  # fmt: skip


class _Picker:
    """Scores the bank for one context and picks, orders and swaps questions."""

    def __init__(
        self, bank: QuestionBank, context: PrepContext, minutes: int, values: dict[str, Any]
    ) -> None:
        self.bank, self.context, self.minutes, self.values = bank, context, minutes, values
        self.order = {q.id: i for i, q in enumerate(bank.questions)}
        self.group = _role_group(bank, context.position)
        audience = context.profile.level.audience if context.profile.level else "student"
        self.eligible = [q for q in bank.questions if self._suits(q, audience)]
        self.scores = {q.id: self._score(q) for q in self.eligible}

    def _suits(self, q: Question, audience: str) -> bool:
        return (
            all(self.values.get(name) for name in q.requires)
            and q.min_minutes <= self.minutes <= (q.max_minutes or MAX_MINUTES)
            and (not q.audience or audience in q.audience)
            and (q.meeting is None or (q.meeting == "again") == self.context.met_before)
        )

    def _score(self, q: Question) -> tuple[float, list[tuple[tuple[str, ...], str]]]:
        """Points, and the reasons that earned them (key, text), strongest first; each
        reason explains one pick of a plan, the rest keep the question's own why."""
        c, points = self.context, q.weight * 10.0
        reasons: list[tuple[tuple[str, ...], str]] = []
        if q.meeting == "again":
            points += 20
            if q.role == "body" and q.air == "advice" and (advice := _quoted(c.last_advice)):
                reasons.append((("debrief",), f"Last time {self.values['first_name']} "
                                f"advised {advice}: say what you did with it, then ask "
                                "for the next step."))  # fmt: skip
            reasons.append((("again", q.id), q.why))
        if self.group:
            points += self.group.themes.get(q.theme, 0) + (10 if self.group.key in q.roles else 0)
            if q.theme == next(iter(self.group.themes)) and self.group.key in q.roles:
                reasons.append((("role",), _fill(self.group.why, self.values)))
        goals = identity.fold(f"{c.profile.goals} {c.profile.field}")
        if word := next((k for k in q.keywords if _has_words(goals, k)), None):
            points += 8
            reasons.append((("goal", word), f"Ties in with your goals ({word}). {q.why}"))
        if "background" in q.placeholders and (background := self.values["background"]):
            points += 8
            reasons.append((("background",), f"Brings in your background in {background}, "
                            "so the answer is about you."))  # fmt: skip
        for themes, asked, where in (
            (c.org_themes, c.org_asked, f"at {self.values['company'] or 'their organisation'}"),
            (c.field_themes, c.field_asked, f"in {self.values['industry'] or 'their field'}"),
        ):
            if not sum(themes.values()):
                continue
            if themes.get(q.theme, 0) == 0:
                points += 6
                topic = _THEME_TOPICS[q.theme]
                reasons.append((("new", q.theme), f"New ground: you haven't asked anyone "
                                f"{where} about {topic} yet."))  # fmt: skip
            points -= 4 * themes.get(q.theme, 0) + (15 if q.id in asked else 0)
        if {"company", "position", "a_position"} & q.placeholders and c.company:
            points += 2  # the more specific wording
        return points, reasons

    def _rank(self, q: Question) -> tuple[float, int]:
        return -self.scores[q.id][0], self.order[q.id]

    def _best(self, pool: list[Question], **where: Any) -> Question | None:
        fitting = [q for q in pool if all(getattr(q, k) == v for k, v in where.items())]
        return min(fitting, key=self._rank, default=None)

    def pick(self, count: int) -> list[Question]:
        """``count`` questions: the body, in conversation order, then the closers."""
        fresh = [q for q in self.eligible if q.id not in self.context.asked]
        repeats = [q for q in self.eligible if q.id in self.context.asked]
        closers = ["refer", "again"] if count >= 4 else ["combined"]
        body_slots = count - len(closers)
        # Insight and Advice are picked first, so every plan has them: the Insight from
        # their own story where possible (an easy, personal start), then the best Advice.
        firsts = [
            self._best(fresh, role="body", air="insight", theme="path")
            or self._best(fresh, role="body", air="insight", opens=True)
            or self._best(fresh, role="body", air="insight")
            or self._best(repeats, role="body", air="insight"),
            self._best(fresh, role="body", air="advice")
            or self._best(repeats, role="body", air="advice"),
        ]
        body = [q for q in firsts if q]
        themes, parts = Counter(q.theme for q in body), Counter(q.air for q in body)
        pool = [q for q in fresh if q.role == "body" and q not in body]
        while len(body) < body_slots and pool:
            # spread over themes and parts: each repeat of either costs points
            nxt = min(
                pool,
                key=lambda q: (
                    -(self.scores[q.id][0] - 12 * themes[q.theme] - 6 * parts[q.air]),
                    self.order[q.id],
                ),
            )
            body.append(nxt)
            pool.remove(nxt)
            themes[nxt.theme] += 1
            parts[nxt.air] += 1
        # within a theme, the bank's own order: it is written in the order one would ask
        body.sort(key=lambda q: (not q.opens, THEME_ORDER.index(q.theme), self.order[q.id]))
        ends = [self._best(fresh, role=r) or self._best(repeats, role=r) for r in closers]
        return body + [q for q in ends if q]

    def swap(self, chosen: list[Question], question_id: str, excluded: set[str]) -> list[Question]:
        """``chosen`` with ``question_id`` replaced, in place, by the best alternative of the
        same AIR part and role (the same theme preferred); unchanged when there is none."""
        index = next((i for i, q in enumerate(chosen) if q.id == question_id), None)
        if index is None:
            return chosen
        old = chosen[index]
        pool = [
            q for q in self.eligible
            if q.air == old.air and q.role == old.role and q not in chosen
            and q.id not in excluded and q.id not in self.context.asked
        ]  # fmt: skip
        if not pool:
            return chosen
        new = min(pool, key=lambda q: (q.theme != old.theme, *self._rank(q)))
        return [*chosen[:index], new, *chosen[index + 1 :]]

    def planned(self, base: list[Question], final: list[Question]) -> list[PlannedQuestion]:
        """``final`` worded, each with its why. Reasons go to the picks of ``base`` (the plan
        before any swap) first, so swapping one question leaves every other one as it was."""
        used: set[tuple[str, ...]] = set()
        whys: dict[str, str] = {}
        for q in [*base, *(q for q in final if q not in base)]:
            key, why = next(((k, w) for k, w in self.scores[q.id][1] if k not in used),
                            ((), q.why))  # fmt: skip
            used.add(key)
            if q.id in self.context.asked:  # only when nothing new of its part is left
                why = f"Asked before, but worth asking again. {why}"
            whys[q.id] = why
        return [
            PlannedQuestion(q.id, q.theme, q.air, q.tiara, _render(q, self.values), whys[q.id])
            for q in final
        ]


def question_text(question: Question, context: PrepContext) -> str:
    """``question`` worded for ``context`` (its fallback where a placeholder is unknown)."""
    return _render(question, _values(context))


def _render(q: Question, values: Mapping[str, Any]) -> str:
    missing = any(not values.get(name) for name in q.placeholders - set(SAFE_DEFAULTS))
    return _fill(q.fallback if missing and q.fallback else q.text, values)


def _fill(template: str, values: Mapping[str, Any]) -> str:
    """``template`` with each ``{name}`` replaced once (values are never re-read as
    templates, so a name holding braces stays as written)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(values.get(name) or SAFE_DEFAULTS.get(name, ""))

    return _PLACEHOLDER.sub(value, template)


def _has_words(text: str, phrase: str) -> bool:
    return f" {identity.fold(phrase)} " in f" {text} "


def _role_group(bank: QuestionBank, position: str | None) -> RoleGroup | None:
    words = identity.fold(position or "")
    if not words:
        return None
    return next((g for g in bank.role_groups if any(_has_words(words, k) for k in g.keywords)),
                None)  # fmt: skip


# Wording -----------------------------------------------------------------------------


def _values(c: PrepContext) -> dict[str, Any]:
    """The placeholder values for ``c``: ``None`` where the log does not know."""
    company = display_company(c.company)
    position = display_position(c.position)
    industry = display_industry(c.industry)
    return {
        "first_name": first_name(c.name),
        "company": company,
        "position": position,
        "a_position": with_article(position) if position else None,
        "industry": industry,
        "field": display_industry(c.profile.field) or industry,
        "referrer": _one_line(c.referrer),
        "background": _one_line(c.profile.background),
    }


def _one_line(text: str | None) -> str | None:
    return " ".join((text or "").split()) or None


def display_company(name: str | None) -> str | None:
    """An organisation as a person says it: "Adventure Works Inc." → "Adventure Works",
    "City of Riverside Council" → "the City of Riverside Council"."""
    words = (name or "").split()
    while len(words) > 1 and identity.fold(words[-1]) in _LEGAL_FORMS:
        words.pop()
    if words and words[-1] in ("&", "and"):
        words = (name or "").split()
    if len(words) > 2 and words[1] in ("of", "for") and words[0][:1].isupper():
        words.insert(0, "the")  # "at the University of Leeds", "the Department for …"
    return " ".join(words).rstrip(",") or None


def display_position(position: str | None) -> str | None:
    """A job title without a LinkedIn headline's extras ("Analyst at X | Speaker")."""
    text = " ".join((position or "").split())
    for cut in (" | ", " · ", " at ", " @ "):
        head = text.split(cut, 1)[0].strip()
        text = head or text
    return text or None


def display_industry(industry: str | None) -> str | None:
    """An industry as it reads inside a sentence: "Public sector" → "the public sector",
    "Data & Analytics" → "data & analytics" (acronyms such as "IT" kept)."""
    words = (industry or "").split()
    if not words:
        return None
    text = " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words)
    folded = identity.fold(text)
    if folded in ("non profit", "nonprofit", "not for profit", "charity", "voluntary"):
        return f"the {text} sector"
    if folded.endswith("sector") and not folded.startswith("the "):
        return f"the {text}"
    return text


def with_article(noun: str) -> str:
    """``noun`` after "a" or "an" as it is said: "an HR Partner", "a UX Researcher"."""
    first = noun.split()[0].strip("\"'(")
    lower = first.lower()
    if lower in ("a", "an", "the"):
        return noun
    if len(first) > 1 and first.isupper():  # an initialism: said letter by letter
        vowel = first[0] in "AEFHILMNORSX"
    elif lower.startswith(("uni", "use", "usu", "uti", "eu", "one", "once")):
        vowel = False
    elif lower.startswith(("hour", "honest", "honor", "honour", "heir")):
        vowel = True
    else:
        vowel = lower[:1] in ("a", "e", "i", "o", "u")
    return f"{'an' if vowel else 'a'} {noun}"


def first_name(name: str) -> str:
    """How to address someone: "Freya" for "Freya Conway", "Dr Okafor" for "Dr Amara Okafor"."""
    words = name.split()
    if not words:
        return name.strip()
    if identity.fold(words[0]) in _TITLES and len(words) > 1:
        return f"{words[0]} {words[-1]}"
    return words[0]


def _source_kind(source: str | None) -> str:
    folded = identity.fold(source or "")
    for words, kind in _SOURCE_KINDS:
        if any(_has_words(folded, w) for w in words):
            return kind
    return "default"


def _spoken_minutes(minutes: int) -> str:
    return {60: "the hour", 90: "the hour and a half"}.get(minutes, f"the {minutes} minutes")


def _opening(bank: QuestionBank, c: PrepContext, minutes: int, v: Mapping[str, Any]) -> str:
    """What to say first: how they know each other, who the student is, why they asked,
    that this is not a request for a job, and the time agreed."""
    time = f"I'll keep to {_spoken_minutes(minutes)} we agreed."  # said after "and"
    if c.met_before:
        since = (
            f"Last time you suggested I speak to {_and(c.last_referred)}; I'd like to tell you "
            "how that went and pick up where we left off."
            if c.last_referred
            else "Last time you gave me a lot to think about; I'd like to tell you what I've "
            "done since and pick up where we left off."
        )
        return " ".join([
            _fill(bank.openings["again"], v),
            since,
            f"As before, I'm not asking for a job — just your perspective — and {time}",
        ])  # fmt: skip
    kind = "referrer" if v["referrer"] else _source_kind(c.source)
    level, background = c.profile.level, v["background"]
    if level:
        about = level.says_with.replace("{background}", background) if background else level.says
    else:
        about = f"My background is in {background}" if background else ""
    exploring = (
        f"exploring a career in {v['field']}" if v["field"] else "exploring my career options"
    )
    intro = f"{about}, and I'm {exploring}." if about else f"I'm {exploring}."
    work = "your work"
    if v["a_position"]:
        work += f" as {v['a_position']}"
    if v["company"]:
        work += f" at {v['company']}"
    return " ".join([
        _fill(bank.openings[kind], v),
        intro,
        f"I'd really value an insider's view of {work}, and of how people get into it.",
        f"I'm not asking for a job — I'm hoping to learn from your experience, and {time}",
    ])  # fmt: skip


def _checklists(
    c: PrepContext, minutes: int, as_of: date, v: Mapping[str, Any]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    name, company = v["first_name"], v["company"]
    if c.meeting_on:
        when = "today" if (c.meeting_on - as_of).days <= 1 else "a day or two before"
        confirm = (
            f"Confirm by email {when}: {long_date(c.meeting_on)}, the time, the place (or the "
            f"video link), and that you'll keep to {minutes} minutes."
        )
    else:
        confirm = (
            f"Arrange the meeting: ask {name} for about {minutes} minutes at a time and place "
            "that suit them, say you're not asking for a job, then confirm it by email."
        )
    research = f"read up on {company} (website and recent news)" if company else (
        "read up on their organisation")  # fmt: skip
    where = f"people at {company}" if company else "people in their workplace"
    notes = []
    if advice := _quoted(c.last_advice):
        notes.append(f"Re-read your notes from last time: {name} advised {advice}. Be ready "
                     "to say what you did with it.")  # fmt: skip
    if promised := _quoted(c.last_promised):
        notes.append(f"You promised {promised}: do it before you meet, or be ready to say "
                     "where it stands.")  # fmt: skip
    if c.last_referred:
        notes.append(f"Be ready to tell {name} how it went with {_and(c.last_referred)}.")
    if c.met_before:
        homework = [
            f"Look for what's new with {name} and at {company or 'their organisation'} since "
            "you last spoke (LinkedIn, recent news), and note what you've done since then.",
        ]
    else:
        homework = [
            f"Look at {name}'s LinkedIn profile and {research}, so you don't spend the "
            "meeting on what you could have found yourself.",
            f"Practise a 30-second introduction: who you are, what you're exploring and why "
            f"you wanted to talk to {name}.",
        ]
    before = (
        confirm,
        *notes,
        *homework,
        "Write your questions down — this plan — and mark the three that matter most, in "
        "case time runs short.",
        "Bring this question list, a notebook and pen, and your contact details; have a short "
        "CV to hand in case they ask for it, but don't offer it unasked.",
        f"Dress for the setting: a step smarter than {where} usually dress. For a video call, "
        "test your camera, sound and background beforehand.",
    )
    after = [
        f"Send {name} a thank-you email today, the same day: mention one thing you learned "
        "and anything you promised to do.",
    ]
    if v["referrer"]:
        after.append(
            f"Tell {v['referrer']} how the conversation with {name} went, and thank them "
            "again for the introduction."
        )
    after += [
        "Note down while it's fresh what you learned, the advice you were given and any "
        "names you were referred to; log the meeting.",
        f"Get in touch with anyone you were referred to within a week, mentioning {name} "
        "if they agreed.",
        "Reflect: what went well, what you'd ask differently next time, and whether this "
        "field still appeals to you.",
    ]
    return before, tuple(after)


def _quoted(text: str | None, limit: int = 140) -> str | None:
    """Free text from a debrief, on one line, shortened and in quotation marks."""
    line = _one_line(text)
    if not line:
        return None
    return f"“{line if len(line) <= limit else line[: limit - 1].rstrip() + '…'}”"


def _and(names: Iterable[str]) -> str:
    items = list(names)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def long_date(day: date) -> str:
    """A day as people write it: Tuesday 24 November 2026."""
    return f"{day:%A} {day.day} {day:%B %Y}"


# Reading the log ---------------------------------------------------------------------

_CONTACT_SQL = """
SELECT c.id, c.owner_id, c.name, c.company, c.company_key, c.position, c.industry,
       c.source, r.name AS referrer
FROM contacts c LEFT JOIN contacts r ON r.id = c.referred_by_id
WHERE c.id = ?
"""

# Plans for the contact's earlier meetings: dated before this one, or undated (saved before
# a meeting was logged) with a meeting held since they were saved.
_EARLIER_PLANS_SQL = """
SELECT p.plan FROM prep_plans p
WHERE p.contact_id = $contact_id
  AND (p.meeting_on < $before
       OR (p.meeting_on IS NULL AND EXISTS (
           SELECT 1 FROM events e
           WHERE e.contact_id = p.contact_id AND e.kind = $kind
             AND e.on_date >= CAST(p.updated_at AS DATE) AND e.on_date < $before)))
"""

# Plans saved for other contacts at the same organisation or in the same industry.
_NEIGHBOUR_PLANS_SQL = """
SELECT p.plan, coalesce(c.company_key = $company_key, false) AS same_org
FROM prep_plans p JOIN contacts c ON c.id = p.contact_id
WHERE p.owner_id = $owner_id AND p.contact_id <> $contact_id
  AND (c.company_key = $company_key
       OR lower(trim(c.industry)) = lower(trim(CAST($industry AS VARCHAR))))
"""


def gather_context(store: Store, contact_id: int, as_of: date) -> PrepContext:
    """What the log and the profile say about a meeting with the contact on ``as_of``.

    Raises NotFoundError for an unknown contact.
    """
    row = store.dicts(_CONTACT_SQL, [contact_id])
    if not row:
        raise NotFoundError(f"no contact with id {contact_id}")
    c = row[0]
    meetings = sorted(
        on for (on,) in store.rows(
            "SELECT on_date FROM events WHERE contact_id = ? AND kind = ? AND on_date IS NOT NULL",
            [contact_id, str(EventKind.MEETING)],
        )
    )  # fmt: skip
    upcoming = next((on for on in meetings if on >= as_of), None)
    stage_rank = (
        contact_stages(store, c["owner_id"], as_of)
        .filter(pl.col("contact_id") == contact_id)["stage_rank"]
        .first()
    )
    held = any(on < as_of for on in meetings) or (stage_rank or 0) >= Stage.INTERVIEWED.rank
    earlier = store.rows(
        _EARLIER_PLANS_SQL,
        {"contact_id": contact_id, "before": upcoming or as_of, "kind": str(EventKind.MEETING)},
    )
    asked = {q_id for (plan,) in earlier for q_id, _ in _plan_questions(plan)}
    debriefs = list_debriefs(store, contact_id=contact_id)  # the latest meeting first
    last = next((d for d in debriefs if d.meeting_on < (upcoming or as_of)), None)
    org: Counter[str] = Counter()
    fld: Counter[str] = Counter()
    org_ids: set[str] = set()
    fld_ids: set[str] = set()
    neighbours = store.rows(
        _NEIGHBOUR_PLANS_SQL,
        {"owner_id": c["owner_id"], "contact_id": contact_id,
         "company_key": c["company_key"], "industry": c["industry"]},
    )  # fmt: skip
    for plan, same_org in neighbours:
        themes, ids = (org, org_ids) if same_org else (fld, fld_ids)
        for q_id, theme in _plan_questions(plan):
            themes[theme] += 1
            ids.add(q_id)
    return PrepContext(
        contact_id=contact_id, owner_id=c["owner_id"], name=c["name"], company=c["company"],
        position=c["position"], industry=c["industry"], source=c["source"],
        referrer=c["referrer"], met_before=held, meeting_on=upcoming, asked=frozenset(asked),
        org_themes=dict(org), org_asked=frozenset(org_ids), field_themes=dict(fld),
        field_asked=frozenset(fld_ids), profile=load_profile(store, c["owner_id"]),
        last_advice=last.advice if last else None,
        last_promised=last.follow_up_promised if last else None,
        last_referred=tuple(r.name for r in last.referred) if last else (),
    )  # fmt: skip


def _plan_questions(plan: str | dict[str, Any]) -> list[tuple[str, str]]:
    data = json.loads(plan) if isinstance(plan, str) else plan
    return [
        (q["id"], q.get("theme", ""))
        for q in data.get("questions", [])
        if isinstance(q, dict) and q.get("id")
    ]


_CANDIDATES_SQL = f"""
WITH next_meeting AS (
    SELECT contact_id, min(on_date) AS meeting_on FROM events
    WHERE kind = '{EventKind.MEETING}' AND on_date >= $as_of GROUP BY contact_id
)
SELECT c.id, c.owner_id, c.name, c.company, c.position, m.meeting_on,
       EXISTS (SELECT 1 FROM prep_plans p WHERE p.contact_id = c.id
               AND p.meeting_on IS NOT DISTINCT FROM m.meeting_on) AS plan_saved
FROM contacts c LEFT JOIN next_meeting m ON m.contact_id = c.id
WHERE $owner_id IS NULL OR c.owner_id = $owner_id
ORDER BY m.meeting_on NULLS LAST, c.name_key, c.id
"""


def prep_contacts_frame(store: Store, owner_id: int | None, as_of: date) -> pl.DataFrame:
    """Contacts to prepare for, those with a meeting coming up first (soonest first):
    ``id``, ``owner_id``, ``name``, ``company``, ``position``, ``meeting_on`` (their next
    meeting, or None), ``plan_saved`` (a plan is saved for that meeting) and ``label``
    (name · organisation · their next meeting, ✓ when prepared).

    A frame, as the Meeting prep page picks from tens of thousands of contacts: a dict
    each would take several times the memory."""
    meeting = pl.format("meeting {}", pl.col("meeting_on").dt.strftime("%a %d %b"))
    meeting += pl.when(pl.col("plan_saved")).then(pl.lit(" ✓")).otherwise(pl.lit(""))
    company = pl.col("company").replace("", None)
    label = pl.concat_str(pl.col("name"), company, meeting, separator=" · ", ignore_nulls=True)
    candidates = store.frame(_CANDIDATES_SQL, {"as_of": as_of, "owner_id": owner_id})
    return candidates.with_columns(label=label)


def resolve_contact(store: Store, name: str, owner_id: int | None = None) -> int:
    """The id of the contact called ``name``, matched ignoring case and accents.

    A full name wins; otherwise every word given must start a word of the name ("ada" or
    "ada love" finds Ada Lovelace). "Name (Organisation)" picks between namesakes.
    Raises NotFoundError when nobody matches, InputError when several people do.
    """
    wanted = identity.name_key(name)
    if not wanted:
        raise InputError("give the name of a contact")
    rows = store.rows(
        "SELECT id, name, company, name_key FROM contacts "
        "WHERE $owner_id IS NULL OR owner_id = $owner_id ORDER BY name_key, id",
        {"owner_id": owner_id},
    )
    exact = [r for r in rows if r[3] == wanted]
    labelled = [r for r in rows if identity.name_key(_label(r[1], r[2])) == wanted]
    matches = exact or labelled or [r for r in rows if _starts_words(r[3], wanted)]
    if not matches:
        raise NotFoundError(f"no contact called {name.strip()!r}")
    if len(matches) > 1:
        shown = ", ".join(_label(r[1], r[2]) for r in matches[:8])
        more = f" and {len(matches) - 8} more" if len(matches) > 8 else ""
        raise InputError(
            f"{name.strip()!r} matches {len(matches)} contacts: {shown}{more}; say which, "
            f"e.g. {_label(matches[0][1], matches[0][2])!r}"
        )
    return matches[0][0]


def _label(name: str, company: str | None) -> str:
    return f"{name} ({company})" if company else name


def _starts_words(key: str, wanted: str) -> bool:
    words = key.split()
    return all(any(w.startswith(part) for w in words) for part in wanted.split())


# Saving ------------------------------------------------------------------------------


def plan_with_edits(
    plan: PrepPlan, texts: Mapping[str, str], opening: str | None = None
) -> PrepPlan:
    """``plan`` with the student's own wording: question texts by id, and the opening.
    Blank edits keep the wording they would replace."""
    questions = tuple(
        replace(q, text=" ".join(texts[q.id].split())) if (texts.get(q.id) or "").strip() else q
        for q in plan.questions
    )
    new_opening = " ".join(opening.split()) if opening and opening.strip() else plan.opening
    return replace(plan, questions=questions, opening=new_opening)


def save_prep_plan(store: Store, plan: PrepPlan) -> int:
    """Save ``plan`` against its contact and meeting (replacing a plan saved for the same
    meeting) and return its id. This closes the ``unprepared_meeting`` gap for it.

    Raises NotFoundError when the contact is no longer in the log.
    """
    if store.value("SELECT count(*) FROM contacts WHERE id = ?", [plan.contact_id]) == 0:
        raise NotFoundError(f"no contact with id {plan.contact_id}")
    body = json.dumps(plan_to_json(plan), ensure_ascii=False)
    with store.transaction():
        existing = store.value(
            "SELECT id FROM prep_plans WHERE contact_id = ? AND meeting_on IS NOT DISTINCT FROM ?"
            " ORDER BY id LIMIT 1",
            [plan.contact_id, plan.meeting_on],
        )
        if existing is not None:
            store.run(
                "UPDATE prep_plans SET minutes = ?, plan = ?, updated_at = current_timestamp "
                "WHERE id = ?",
                [plan.minutes, body, existing],
            )
            return existing
        return store.value(
            "INSERT INTO prep_plans (owner_id, contact_id, meeting_on, minutes, plan) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            [plan.owner_id, plan.contact_id, plan.meeting_on, plan.minutes, body],
        )


def list_prep_plans(
    store: Store, owner_id: int | None = None, contact_id: int | None = None
) -> list[dict[str, Any]]:
    """Saved plans, latest meeting first: ``id``, ``owner_id``, ``contact_id``,
    ``contact``, ``meeting_on``, ``minutes``, ``plan`` (the ``plan_to_json`` dict),
    ``created_at``, ``updated_at``."""
    rows = store.dicts(
        """SELECT p.id, p.owner_id, p.contact_id, c.name AS contact, p.meeting_on, p.minutes,
                  p.plan, p.created_at, p.updated_at
           FROM prep_plans p JOIN contacts c ON c.id = p.contact_id
           WHERE ($owner_id IS NULL OR p.owner_id = $owner_id)
             AND ($contact_id IS NULL OR p.contact_id = $contact_id)
           ORDER BY p.meeting_on DESC NULLS LAST, p.updated_at DESC, p.id DESC""",
        {"owner_id": owner_id, "contact_id": contact_id},
    )
    return [{**row, "plan": json.loads(row["plan"])} for row in rows]


def plan_to_json(plan: PrepPlan) -> dict[str, Any]:
    """The plan as CONTRACT §6 has it (``contact``, ``minutes``, ``opening``, ``questions``
    of ``theme``/``air``/``text``/``why``, ``checklist``), with a few extra keys."""
    return {
        "contact": plan.contact,
        "minutes": plan.minutes,
        "opening": plan.opening,
        "questions": [
            {
                "theme": q.theme,
                "air": q.air,
                "text": q.text,
                "why": q.why,
                "id": q.id,
                "tiara": q.tiara,
            }
            for q in plan.questions
        ],
        "checklist": list(plan.checklist),
        "checklist_before": list(plan.before),
        "checklist_after": list(plan.after),
        "company": plan.company,
        "position": plan.position,
        "referred_by": plan.referrer,
        "meeting_on": plan.meeting_on.isoformat() if plan.meeting_on else None,
        "as_of": plan.as_of.isoformat(),
        "air": plan.air_counts,
    }
