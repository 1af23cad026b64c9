"""LinkedIn's ``messages.csv``: who wrote to whom and when, turned into outreach, response
and inbound steps. Message bodies are never read into any record.

The format grew from 9 columns to 10 (RECIPIENT PROFILE URLS), 11 (ATTACHMENTS) and more
(IS MESSAGE DRAFT, ...), so columns are found by name, ignoring case, and extra ones are
ignored. Since 2026 every field is quoted and bodies span lines; the csv reader copes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from infoint_core.errors import ParseError
from infoint_core.importers.linkedin_common import (
    MESSAGES,
    SOURCE,
    clean,
    data_rows,
    describe_lines,
    misshapen_warning,
    name_key,
    not_a_date,
    parse_timestamp,
    plural,
    require_header,
    url_key,
    was_were,
)
from infoint_core.records import (
    EventKind,
    EventRecord,
    ParsedFile,
    PersonRecord,
    bulk_allocation,
)

MESSAGE_DETAIL = "LinkedIn message"

# Sponsored InMail and LinkedIn's own notices come from this name with no profile URL.
_SPONSORED_NAME = "linkedin member"
_DRAFT_MARKS = frozenset({"yes", "true", "1"})

Party = tuple[str | None, str | None]  # (name, profile URL as written)


@dataclass(slots=True)
class _Message:
    line: int
    conversation: str
    at: datetime
    sender: str | None
    sender_url: str | None
    to: str  # the TO field as written: one name, or several joined by commas
    recipient_urls: list[str]
    recipients: list[Party] = field(default_factory=list)


@bulk_allocation()
def parse_messages(text: str, account_holder: str | None = None) -> ParsedFile:
    """Read a LinkedIn ``messages.csv`` (9, 10, 11 or more columns) into contacts and steps.

    The account holder is ``account_holder`` (from Profile.csv) when given and found in
    the file, else the participant common to most conversations (by profile URL where the
    file has them); it is set on the result and is never one of its people. In each
    conversation, taken in time order:

    - a message from the holder is an outreach to each recipient (group messages too);
    - a message from someone else is a response once the holder has written in that
      conversation, and an inbound step before that.

    Drafts, and sponsored mail from "LinkedIn Member" (no profile URL), are skipped. One
    step per (person, kind, day) is kept. Raises ParseError when the text has no
    messages.csv header, or (with row and column) when a DATE is empty or not a date.
    """
    rows, header = require_header(text, MESSAGES, "messages.csv")
    i_conversation = header.positions["conversation id"]
    i_from = header.positions["from"]
    i_to = header.positions["to"]
    i_date = header.positions["date"]
    i_sender_url = header.find("sender profile url")
    i_recipient_urls = header.find("recipient profile urls")
    i_draft = header.find("is message draft")
    date_label = header.label(i_date)

    result = ParsedFile(kind=MESSAGES)
    misshapen: list[int] = []
    messages: list[_Message] = []
    drafts = sponsored = 0
    anonymous: list[int] = []
    read = 0
    for line, cells in data_rows(rows, len(header.cells), misshapen):
        read += 1
        if i_draft is not None and cells[i_draft].strip().casefold() in _DRAFT_MARKS:
            drafts += 1
            continue
        sender = clean(cells[i_from])
        sender_url = None if i_sender_url is None else clean(cells[i_sender_url])
        if sender_url is None and sender is not None and name_key(sender) == _SPONSORED_NAME:
            sponsored += 1
            continue
        if sender is None and sender_url is None:
            anonymous.append(line)
            continue
        value = cells[i_date]
        if not value.strip():
            raise ParseError("the message has no date", row=line, column=date_label)
        at = parse_timestamp(value)
        if at is None:
            raise not_a_date(value, line, date_label)
        urls = [] if i_recipient_urls is None else cells[i_recipient_urls].split(",")
        messages.append(
            _Message(
                line=line,
                conversation=cells[i_conversation].strip(),
                at=at,
                sender=sender,
                sender_url=sender_url,
                to=cells[i_to],
                recipient_urls=[u for u in (u.strip() for u in urls) if u],
            )
        )

    people = _People(messages)
    holder_keys, holder_name, holder_warning = people.find_holder(messages, account_holder)
    result.account_holder = holder_name
    _add_steps(result, messages, people, holder_keys)

    result.rows = read + len(misshapen)
    warnings = result.warnings
    if holder_warning:
        warnings.append(holder_warning)
    if sponsored:
        warnings.append(
            f"{plural(sponsored, 'message', 'messages')} from 'LinkedIn Member' (sponsored, "
            f"no profile) {was_were(sponsored)} skipped"
        )
    if drafts:
        warnings.append(
            f"{plural(drafts, 'draft message', 'draft messages')} {was_were(drafts)} ignored"
        )
    if anonymous:
        warnings.append(
            f"{plural(len(anonymous), 'message', 'messages')} with no sender "
            f"{was_were(len(anonymous))} skipped ({describe_lines(anonymous)})"
        )
    if people.unnamed:
        warnings.append(
            f"{plural(len(people.unnamed), 'group message', 'group messages')} listed "
            f"recipients whose names could not be matched to their profile URLs; those "
            f"contacts have no name ({describe_lines(people.unnamed)})"
        )
    if warning := misshapen_warning(misshapen, len(header.cells)):
        warnings.append(warning)
    return result


def _is_contact(name: str | None, url: str | None) -> bool:
    if url is not None:
        return True
    return name is not None and name_key(name) != _SPONSORED_NAME


class _People:
    """Who is who in one messages.csv: ties names to profile URLs and gives each
    participant one key (their profile URL where the file shows it, else their name)."""

    def __init__(self, messages: list[_Message]) -> None:
        self.names: dict[str, str] = {}  # key -> display name, first seen
        self.urls: dict[str, str] = {}  # key -> profile URL as first written
        self._name_urls: dict[str, set[str]] = {}  # name key -> URL keys seen with it
        self.unnamed: list[int] = []  # lines of group messages whose names did not pair up
        # The same few parties recur on thousands of rows: work each one out once.
        self._learned: set[Party] = set()
        self._keys: dict[Party, str] = {}
        sender_names = set()
        for msg in messages:
            if msg.sender is not None:
                sender_names.add(name_key(msg.sender))
            self._learn(msg.sender, msg.sender_url)
        unpaired = []
        for msg in messages:
            parties = self._split_recipients(msg, sender_names)
            if parties is None:
                unpaired.append(msg)
                continue
            msg.recipients = parties
            for name, url in parties:
                self._learn(name, url)
        # Names that did not pair up with URLs are taken from where the same URL had a
        # name of its own: as a sender, or in a group whose lists did pair up.
        for msg in unpaired:
            msg.recipients = [(self.names.get(url_key(url)), url) for url in msg.recipient_urls]
            if any(name is None for name, _url in msg.recipients):
                self.unnamed.append(msg.line)

    def _learn(self, name: str | None, url: str | None) -> None:
        if url is None or (name, url) in self._learned:
            return
        self._learned.add((name, url))
        key = url_key(url)
        self.urls.setdefault(key, url)
        if name is not None:
            self.names.setdefault(key, name)
            self._name_urls.setdefault(name_key(name), set()).add(key)

    def _split_recipients(self, msg: _Message, sender_names: set[str]) -> list[Party] | None:
        """The recipients of ``msg`` as (name, URL); None when its names and URLs do not
        pair up (a name with a comma in a group message)."""
        to = msg.to.strip()
        urls = msg.recipient_urls
        if len(urls) <= 1:
            # One recipient, or a 9-column file without URLs. A name with a comma in it
            # ("Jane Doe, PhD") stays whole when someone of that name wrote in the file.
            if not urls and "," in to and name_key(to) not in sender_names:
                return [(name, None) for name in (n.strip() for n in to.split(",")) if name]
            if not to and not urls:
                return []
            return [(to or None, urls[0] if urls else None)]
        names = [n.strip() or None for n in to.split(",")]
        if len(names) == len(urls):
            return list(zip(names, urls, strict=True))
        return None

    def key(self, name: str | None, url: str | None) -> str:
        """One key per person: their URL, or the one URL their name goes with, or the name.

        Only asked once every name and URL has been learnt, so the answer can be kept.
        """
        key = self._keys.get((name, url))
        if key is not None:
            return key
        if url is not None:
            key = url_key(url)
        else:
            nk = name_key(name or "")
            urls = self._name_urls.get(nk)
            if urls is not None and len(urls) == 1:
                key = next(iter(urls))
            else:
                key = f"name:{nk}"
                if name is not None:
                    self.names.setdefault(key, name)
        self._keys[(name, url)] = key
        return key

    def find_holder(
        self, messages: list[_Message], given: str | None
    ) -> tuple[set[str], str | None, str | None]:
        """The account holder's keys, their name, and a warning when unsure.

        ``given`` (from Profile.csv) wins when someone of that name takes part; else the
        holder is the participant in most conversations (then in most messages).
        """
        conversations: dict[str, set[str]] = {}
        mentions: Counter[str] = Counter()
        for msg in messages:
            for name, url in ((msg.sender, msg.sender_url), *msg.recipients):
                if _is_contact(name, url):
                    key = self.key(name, url)
                    conversations.setdefault(key, set()).add(msg.conversation)
                    mentions[key] += 1

        warning = None
        if given is not None and given.strip():
            given = given.strip()
            gk = name_key(given)
            keys = {f"name:{gk}"} | self._name_urls.get(gk, set())
            keys |= {k for k in conversations if name_key(self.names.get(k, "")) == gk}
            if keys & conversations.keys() or not conversations:
                return keys, given, None
            warning = (
                f"the account holder {given!r} takes part in no conversation in this file; "
                "the holder was inferred from the messages instead"
            )
        else:
            given = None

        if not conversations:
            return set(), given, warning
        # dicts keep first-seen order and sorted() is stable: ties go to the first seen.
        ranked = sorted(conversations, key=lambda k: (-len(conversations[k]), -mentions[k]))
        top = ranked[0]
        name = self.names.get(top) or self.urls.get(top)
        if len(ranked) > 1:
            second = ranked[1]
            if (len(conversations[top]), mentions[top]) == (
                len(conversations[second]),
                mentions[second],
            ):
                warning = (
                    f"could not tell for certain whose messages these are; taken to be "
                    f"{name!r}: import Profile.csv with messages.csv to be sure"
                )
        return {top}, given or name, warning


def _add_steps(
    result: ParsedFile, messages: list[_Message], people: _People, holder_keys: set[str]
) -> None:
    """Append the people and steps of ``messages`` (in time order) to ``result``."""
    persons: dict[str, int] = {}
    seen: set[tuple[int, EventKind, date]] = set()
    holder_wrote: set[str] = set()  # conversations the holder has written in so far

    def add(name: str | None, url: str | None, kind: EventKind, msg: _Message) -> None:
        key = people.key(name, url)
        if key in holder_keys or not _is_contact(name, url):
            return
        person = persons.get(key)
        if person is None:
            person = result.add_person(
                PersonRecord(
                    row=msg.line,
                    name=people.names.get(key, name),
                    linkedin_url=url if url is not None else people.urls.get(key),
                    source=SOURCE,
                )
            )
            persons[key] = person
        on = msg.at.date()
        if (person, kind, on) not in seen:
            seen.add((person, kind, on))
            result.events.append(
                EventRecord(person=person, kind=kind, on=on, detail=MESSAGE_DETAIL)
            )

    for msg in sorted(messages, key=lambda m: (m.at, m.line)):
        if people.key(msg.sender, msg.sender_url) in holder_keys:
            for name, url in msg.recipients:
                add(name, url, EventKind.OUTREACH, msg)
            holder_wrote.add(msg.conversation)
        elif msg.conversation in holder_wrote:
            add(msg.sender, msg.sender_url, EventKind.RESPONSE, msg)
        else:
            add(msg.sender, msg.sender_url, EventKind.INBOUND, msg)
