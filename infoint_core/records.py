"""What a parser hands to the store: people and dated steps, as one file describes them.

Parsers know file formats and nothing of the database; ``ingest`` knows the database and
nothing of file formats. These plain records are the only thing that passes between them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class EventKind(StrEnum):
    """A step in the log. Each maps onto the stages of CONTRACT §2."""

    OUTREACH = "outreach"  # the owner reached out: call, email, message, invitation
    RESPONSE = "response"  # any answer from the contact
    DECLINED = "declined"  # the contact said no: ends the path at 'responded'
    MEETING = "meeting"  # a meeting agreed for that day (held once the day has passed)
    THANK_YOU = "thank_you"  # a thank-you sent after the interview
    FOLLOW_UP = "follow_up"  # a later touch: progress update, catch-up
    OUTCOME_REPORT = "outcome_report"  # the referrer told how a referral went
    INBOUND = "inbound"  # the contact reached out first (incoming invitation or message)


class Stage(StrEnum):
    """The ordered stages of CONTRACT §2."""

    IDENTIFIED = "identified"
    CONTACTED = "contacted"
    RESPONDED = "responded"
    SCHEDULED = "scheduled"
    INTERVIEWED = "interviewed"
    THANKED = "thanked"
    FOLLOWED_UP = "followed_up"

    @property
    def rank(self) -> int:
        return STAGES.index(self)


STAGES: tuple[Stage, ...] = tuple(Stage)

# How a stage is called where people read it.
STAGE_LABELS: dict[Stage, str] = {
    Stage.IDENTIFIED: "Identified",
    Stage.CONTACTED: "Contacted",
    Stage.RESPONDED: "Responded",
    Stage.SCHEDULED: "Scheduled",
    Stage.INTERVIEWED: "Interviewed",
    Stage.THANKED: "Thanked",
    Stage.FOLLOWED_UP: "Followed up",
}

# A tracker's free "status" may also say the contact declined; that is not a stage.
DECLINED_STATUS = "declined"


@dataclass(slots=True)
class PersonRecord:
    """One person as one row of a file describes them. Empty fields are ``None``."""

    row: int  # 1-based row (or line) in the file, for warnings and errors
    name: str | None = None
    email: str | None = None
    linkedin_url: str | None = None
    company: str | None = None
    position: str | None = None
    industry: str | None = None
    source: str | None = None
    referred_by: str | None = None  # the referrer's name, as written
    connected_on: date | None = None
    status: str | None = None  # a Stage value or DECLINED_STATUS
    notes: str | None = None
    owner: str | None = None  # the student whose log this row belongs to, when the file says


@dataclass(slots=True)
class EventRecord:
    """A dated step with the person at ``people[person]`` of the same ``ParsedFile``."""

    person: int
    kind: EventKind
    on: date | None  # None: known to have happened, date unknown (a thank-you marked "yes")
    detail: str | None = None


@dataclass(slots=True)
class ParsedFile:
    """Everything one file (or one sheet, or one member of an export zip) holds."""

    kind: str  # e.g. "linkedin_connections", "linkedin_invitations", "linkedin_messages", "tracker"
    rows: int = 0  # data rows read, skipped ones included
    people: list[PersonRecord] = field(default_factory=list)
    events: list[EventRecord] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    account_holder: str | None = None  # the LinkedIn export's owner: never a contact

    def add_person(self, person: PersonRecord) -> int:
        """Append ``person`` and return its index, for ``EventRecord.person``."""
        self.people.append(person)
        return len(self.people) - 1


@contextmanager
def bulk_allocation() -> Iterator[None]:
    """Pause the cyclic garbage collector while a file becomes records (also usable as a
    decorator).

    A 30,000-row file makes about a million small acyclic objects (cells, records); each
    allocation burst triggers collections that rescan all of them, which costs a third of
    the parse. Nothing here makes cycles, so collection can wait until the end.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
