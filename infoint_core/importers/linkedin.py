"""Parsers for the files of a LinkedIn data export: Connections.csv, Invitations.csv,
messages.csv (in ``linkedin_messages``) and the owner's name from Profile.csv.

Each parser takes decoded text (see ``text.decode_text``) and returns a ``ParsedFile``; it
knows nothing of the database. The kind of a file is told by its header, never its name,
and every vintage of each file since 2018 is read.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from infoint_core.errors import ParseError
from infoint_core.importers.linkedin_common import (
    CONNECTIONS,
    INVITATIONS,
    PROFILE,
    SOURCE,
    clean,
    clean_email,
    data_rows,
    describe_lines,
    find_header,
    iter_rows,
    misshapen_warning,
    name_key,
    plural,
    read_date,
    require_header,
    url_key,
    was_were,
)
from infoint_core.importers.linkedin_messages import parse_messages
from infoint_core.records import EventKind, EventRecord, ParsedFile, PersonRecord, bulk_allocation

__all__ = [
    "detect_linkedin_kind",
    "parse_connections",
    "parse_invitations",
    "parse_messages",
    "read_profile_name",
]

INVITATION_DETAIL = "LinkedIn invitation"
# Detection reads this much of a text first: the header is within its first rows.
_DETECT_HEAD_CHARS = 64 * 1024


def detect_linkedin_kind(text: str) -> str | None:
    """Which LinkedIn export file ``text`` is, judged by its header row (after any preamble):
    "linkedin_connections", "linkedin_invitations", "linkedin_messages",
    "linkedin_profile", or None for anything else. Never raises for odd text.
    """
    if text.startswith("\ufeff"):
        text = text[1:]
    head = text[:_DETECT_HEAD_CHARS]
    found = _find_kind(head)
    if found is None and len(head) < len(text):
        found = _find_kind(text)  # a preamble or first rows longer than the head
    return found


def _find_kind(text: str) -> str | None:
    try:
        found = find_header(iter_rows(text))
    except ParseError:
        return None
    return None if found is None else found[0]


@bulk_allocation()
def parse_connections(text: str) -> ParsedFile:
    """Read a LinkedIn ``Connections.csv`` of any vintage into people (no events: being
    connected is not an outreach).

    Rows of hidden profiles (no name) are skipped with one warning, as are rows whose
    number of fields is wrong. Raises ParseError when the text has no Connections header,
    or (with row and column) when a Connected On value is not a date.
    """
    rows, header = require_header(text, CONNECTIONS, "Connections.csv")
    i_first = header.positions["first name"]
    i_last = header.positions["last name"]
    i_connected = header.positions["connected on"]
    i_url = header.find("url")
    i_email = header.find("email address")
    i_company = header.find("company")
    i_position = header.find("position")
    connected_label = header.label(i_connected)

    result = ParsedFile(kind=CONNECTIONS)
    people = result.people
    misshapen: list[int] = []
    hidden = 0
    read = 0
    for line, cells in data_rows(rows, len(header.cells), misshapen):
        read += 1
        first = cells[i_first].strip()
        last = cells[i_last].strip()
        if not first and not last:
            hidden += 1
            continue
        people.append(
            PersonRecord(
                row=line,
                name=f"{first} {last}" if first and last else first or last,
                email=None if i_email is None else clean_email(cells[i_email]),
                linkedin_url=None if i_url is None else clean(cells[i_url]),
                company=None if i_company is None else clean(cells[i_company]),
                position=None if i_position is None else clean(cells[i_position]),
                connected_on=read_date(cells[i_connected], line, connected_label),
                source=SOURCE,
            )
        )
    result.rows = read + len(misshapen)
    if hidden:
        result.warnings.append(
            f"{plural(hidden, 'row', 'rows')} with no name "
            f"({'a hidden profile' if hidden == 1 else 'hidden profiles'}) "
            f"{was_were(hidden)} skipped"
        )
    if warning := misshapen_warning(misshapen, len(header.cells)):
        result.warnings.append(warning)
    return result


@dataclass(slots=True)
class _Invitation:
    line: int
    owner_side: str  # the name on the account holder's side of the invitation
    owner_url: str | None  # and their profile URL, in the 7-column vintage
    name: str | None
    url: str | None
    kind: EventKind
    on: date


@bulk_allocation()
def parse_invitations(text: str, account_holder: str | None = None) -> ParsedFile:
    """Read a LinkedIn ``Invitations.csv`` (5 columns, or 7 with profile URLs).

    An OUTGOING invitation makes its invitee a contact with an outreach on the day sent;
    an INCOMING one makes its inviter a contact with an inbound step. The account holder
    (``account_holder`` if given, else the From of outgoing / To of incoming rows) is set
    on the result and is never one of its people. Rows with another Direction, or with no
    one on the far side, are skipped with a warning. Raises ParseError when the text has
    no Invitations header, or (with row and column) when Sent At is not a date.
    """
    rows, header = require_header(text, INVITATIONS, "Invitations.csv")
    i_from = header.positions["from"]
    i_to = header.positions["to"]
    i_sent = header.positions["sent at"]
    i_direction = header.positions["direction"]
    i_inviter_url = header.find("inviterprofileurl")
    i_invitee_url = header.find("inviteeprofileurl")
    sent_label = header.label(i_sent)

    result = ParsedFile(kind=INVITATIONS)
    misshapen: list[int] = []
    unknown: dict[str, list[int]] = {}
    nameless: list[int] = []
    invitations: list[_Invitation] = []
    read = 0
    for line, cells in data_rows(rows, len(header.cells), misshapen):
        read += 1
        direction = cells[i_direction].strip().upper()
        if direction == "OUTGOING":
            i_owner, i_owner_url, kind = i_from, i_inviter_url, EventKind.OUTREACH
            i_name, i_url = i_to, i_invitee_url
        elif direction == "INCOMING":
            i_owner, i_owner_url, kind = i_to, i_invitee_url, EventKind.INBOUND
            i_name, i_url = i_from, i_inviter_url
        else:
            unknown.setdefault(cells[i_direction].strip(), []).append(line)
            continue
        name = clean(cells[i_name])
        url = None if i_url is None else clean(cells[i_url])
        if name is None and url is None:
            nameless.append(line)
            continue
        on = read_date(cells[i_sent], line, sent_label)
        if on is None:
            raise ParseError("the invitation has no date", row=line, column=sent_label)
        owner_url = None if i_owner_url is None else clean(cells[i_owner_url])
        invitations.append(
            _Invitation(line, cells[i_owner].strip(), owner_url, name, url, kind, on)
        )

    holder = account_holder.strip() if account_holder and account_holder.strip() else None
    if holder is None:
        votes = Counter(inv.owner_side for inv in invitations if inv.owner_side)
        holder = votes.most_common(1)[0][0] if votes else None
    result.account_holder = holder
    holder_key = name_key(holder) if holder else None
    holder_urls = {url_key(inv.owner_url) for inv in invitations if inv.owner_url}

    people: dict[str, int] = {}
    seen: set[tuple[int, EventKind, date]] = set()
    for inv in invitations:
        # The holder is never their own contact.
        if inv.url is None:
            if inv.name is not None and name_key(inv.name) == holder_key:
                continue
            key = f"name:{name_key(inv.name or '')}"
        else:
            key = url_key(inv.url)
            if key in holder_urls:
                continue
        person = people.get(key)
        if person is None:
            person = result.add_person(
                PersonRecord(row=inv.line, name=inv.name, linkedin_url=inv.url, source=SOURCE)
            )
            people[key] = person
        if (person, inv.kind, inv.on) not in seen:
            seen.add((person, inv.kind, inv.on))
            result.events.append(
                EventRecord(person=person, kind=inv.kind, on=inv.on, detail=INVITATION_DETAIL)
            )

    result.rows = read + len(misshapen)
    for value, lines in unknown.items():
        result.warnings.append(
            f"{plural(len(lines), 'row', 'rows')} with Direction {value!r} (neither OUTGOING "
            f"nor INCOMING) {was_were(len(lines))} skipped ({describe_lines(lines)})"
        )
    if nameless:
        result.warnings.append(
            f"{plural(len(nameless), 'row', 'rows')} naming no one on the other side "
            f"{was_were(len(nameless))} skipped ({describe_lines(nameless)})"
        )
    if warning := misshapen_warning(misshapen, len(header.cells)):
        result.warnings.append(warning)
    return result


def read_profile_name(text: str) -> str | None:
    """The account holder's "First Last" from LinkedIn's ``Profile.csv``; None when the
    text is not a Profile.csv or its first row has no name."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        rows = iter_rows(text)
        found = find_header(rows, PROFILE)
        if found is None:
            return None
        header = found[1]
        for _line, cells in rows:
            if not "".join(cells).strip():
                continue
            parts = [
                cells[i].strip()
                for i in (header.positions["first name"], header.positions["last name"])
                if i < len(cells)
            ]
            return " ".join(p for p in parts if p) or None
    except ParseError:
        return None
    return None
