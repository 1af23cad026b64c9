"""The student's profile: what they are exploring and where they come from.

Kept in the workspace settings, one per owner, and used to tailor prep plans: the field
fills ``{field}`` in questions, the background ``{background}``, the study level picks
questions that suit a student or a career changer, and words in the goals favour the
questions that serve them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from infoint_core.errors import InputError
from infoint_core.settings import get_setting, set_setting
from infoint_core.store import Store

PROFILE_KEY = "profile"
MAX_LENGTH = 500  # characters a profile field may hold


@dataclass(frozen=True, slots=True)
class StudyLevel:
    """One choice of "where are you now": how it reads in a list and in an opening."""

    key: str
    label: str  # in the profile form
    says: str  # the opening's "I'm …" sentence, without a background
    says_with: str  # the same with the background, "{background}" marking its place
    audience: str  # "student" or "changer": which audience-specific questions suit


STUDY_LEVELS: tuple[StudyLevel, ...] = (
    StudyLevel("undergraduate", "Undergraduate student", "I'm an undergraduate student",
               "I'm an undergraduate studying {background}", "student"),
    StudyLevel("final_year", "Final-year undergraduate", "I'm in the final year of my degree",
               "I'm in the final year of a degree in {background}", "student"),
    StudyLevel("postgraduate", "Postgraduate student", "I'm a postgraduate student",
               "I'm a postgraduate student in {background}", "student"),
    StudyLevel("phd", "PhD researcher", "I'm a PhD researcher",
               "I'm a PhD researcher in {background}", "student"),
    StudyLevel("graduate", "Recent graduate", "I graduated recently",
               "I graduated recently in {background}", "graduate"),
    StudyLevel("changer", "Changing career", "I'm planning a change of career",
               "I'm planning a move into a new career after working in {background}",
               "changer"),
)  # fmt: skip
LEVELS_BY_KEY: dict[str, StudyLevel] = {level.key: level for level in STUDY_LEVELS}


@dataclass(frozen=True, slots=True)
class Profile:
    """What the student told us about themselves; empty strings where they did not say.

    ``field``: the career field they are exploring ("data analytics"); ``background``:
    what they study or did before ("economics"); ``study_level``: a ``STUDY_LEVELS`` key
    or ""; ``goals``: free text ("a summer internship, then a graduate scheme").
    """

    field: str = ""
    background: str = ""
    study_level: str = ""
    goals: str = ""

    @property
    def level(self) -> StudyLevel | None:
        """The study level chosen, or ``None``."""
        return LEVELS_BY_KEY.get(self.study_level)

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())


def load_profile(store: Store, owner_id: int) -> Profile:
    """The profile of ``owner_id`` (an empty ``Profile`` when none was saved).

    Values left by another version (unknown keys, a level no longer offered) are ignored.
    """
    stored = get_setting(store, PROFILE_KEY, {}, owner_id=owner_id)
    if not isinstance(stored, dict):
        return Profile()
    values = {f.name: _clean(stored.get(f.name)) for f in fields(Profile)}
    if values["study_level"] not in LEVELS_BY_KEY:
        values["study_level"] = ""
    return Profile(**values)


def save_profile(store: Store, owner_id: int, **values: Any) -> Profile:
    """Store the profile fields given (others keep their saved value); returns the result.

    Blank values clear a field. Raises InputError for an unknown field, an unknown study
    level or a value longer than ``MAX_LENGTH`` characters.
    """
    known = {f.name for f in fields(Profile)}
    unknown = set(values) - known
    if unknown:
        raise InputError(f"a profile has no field {', '.join(sorted(unknown))}")
    current = asdict(load_profile(store, owner_id))
    for name, value in values.items():
        text = _clean(value)
        if len(text) > MAX_LENGTH:
            raise InputError(f"the profile's {name} is too long (at most {MAX_LENGTH} characters)")
        current[name] = text
    if current["study_level"] and current["study_level"] not in LEVELS_BY_KEY:
        choices = ", ".join(LEVELS_BY_KEY)
        raise InputError(f"unknown study level {current['study_level']!r} (one of: {choices})")
    set_setting(store, PROFILE_KEY, current, owner_id=owner_id)
    return Profile(**current)


def _clean(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""
