"""Spreadsheet headers to the canonical fields of a tracker (CONTRACT §5).

Students name their columns every which way ("Date of meeting", "Thank-you sent?",
"Organisation"). Headers are compared after folding case and accents and dropping
spaces and punctuation, against a generous table of synonyms per field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from infoint_core.errors import InputError

# The canonical fields in the order a template lays them out, each with a one-line label.
FIELD_LABELS: dict[str, str] = {
    "name": "Full name of the contact",
    "first_name": "First name of the contact (when there is no full-name column)",
    "last_name": "Last name of the contact (when there is no full-name column)",
    "email": "Email address of the contact",
    "linkedin_url": "LinkedIn profile URL of the contact",
    "company": "Organisation the contact works for",
    "position": "The contact's job title",
    "industry": "Industry or career field",
    "source": "How you found the contact (LinkedIn, event, professor...)",
    "referred_by": "Name of the contact who referred you to this one",
    "contacted_on": "Date you first reached out",
    "responded_on": "Date the contact answered",
    "meeting_on": "Date of the information interview",
    "thanked_on": "Date the thank-you was sent (or yes/no)",
    "followed_up_on": "Date of a later follow-up (progress update, catch-up)",
    "outcome_reported_on": "Date you told this contact's referrer how it went",
    "status": "Where things stand (to contact, emailed, met, declined...)",
    "notes": "Anything else: takeaways, advice, names to contact",
    "owner": "The student whose log this is",
}
FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)

# Every field's own name (e.g. "meeting_on" → "meetingon") matches too.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": (
        "Name", "Full name", "Contact", "Contact name", "Person", "Person name",
        "Name of contact", "Contact person", "Contact full name", "Name of person",
        "Interviewee", "Who", "Contact's name", "Full name of contact", "Networking contact",
    ),
    "first_name": ("First name", "Firstname", "Given name", "Forename", "First"),
    "last_name": ("Last name", "Lastname", "Surname", "Family name", "Last"),
    "email": (
        "Email", "E-mail", "Email address", "E-mail address", "Mail", "Contact email",
        "Email ID", "Emails",
    ),
    "linkedin_url": (
        "LinkedIn", "LinkedIn URL", "LinkedIn profile", "Profile", "Profile URL",
        "LinkedIn link", "Profile link", "LinkedIn page", "URL", "LinkedIn profile URL",
    ),
    "company": (
        "Company", "Organisation", "Organization", "Employer", "Company name", "Firm",
        "Org", "Organisation name", "Organization name", "Business", "Institution",
        "Agency", "Workplace", "Company/Organisation", "Company/Organization",
    ),
    "position": (
        "Position", "Title", "Role", "Job title", "Job", "Position title", "Job role",
        "Occupation", "Job position", "Designation", "Current role", "Current position",
    ),
    "industry": (
        "Industry", "Sector", "Field", "Career field", "Industry/Field", "Industry/Sector",
        "Area", "Field of work",
    ),
    "source": (
        "Source", "How found", "Found via", "How I found them", "How did you find them",
        "Found through", "Lead source", "Where found", "Found on", "Connection source",
        "How met", "Where met", "Channel", "How I know them",
    ),
    "referred_by": (
        "Referred by", "Introduced by", "Referral from", "Referrer", "Referred from",
        "Introduction from", "Intro from", "Intro by", "Introducer", "Who referred",
        "Who referred you", "Who introduced", "Referral source",
    ),
    "contacted_on": (
        "Date contacted", "Outreach date", "First contact", "Reached out", "Contacted",
        "Reached out on", "Date reached out", "Outreach", "First contacted",
        "Date of outreach", "Initial contact", "Contact date", "First outreach",
        "Date emailed", "Emailed", "Emailed on", "Date of first contact", "Outreach sent",
        "Date of contact", "Initial outreach",
    ),
    "responded_on": (
        "Response date", "Replied on", "Replied", "Responded", "Reply date",
        "Date responded", "Date replied", "Response received", "Date of response",
        "Heard back", "Heard back on", "Date of reply",
    ),
    "meeting_on": (
        "Interview date", "Meeting date", "Date of meeting", "Informational interview date",
        "Information interview date", "Info interview date", "Date of interview",
        "Interview", "Meeting", "Meeting day", "Interview on", "Met on", "Date met",
        "Call date", "Coffee chat date", "Chat date", "Scheduled for", "Meeting scheduled",
        "Date of informational interview", "Date of information interview",
        "Informational interview", "Information interview", "Interview scheduled",
    ),
    "thanked_on": (
        "Thank-you sent", "Thank you note", "Thanked", "Thank you", "Thank-you",
        "Thank you email", "Thank-you date", "Date thanked", "Thank you note sent",
        "Thank-you email sent", "TY sent", "Thank you sent on", "Thanks sent",
        "Thank-you note", "Thank you letter",
    ),
    "followed_up_on": (
        "Follow-up", "Followed up", "Follow-up date", "Date followed up", "Follow-up sent",
        "Last follow-up", "Kept in touch",
        "Follow-up on", "Followup",
    ),
    "outcome_reported_on": (
        "Outcome reported", "Told referrer", "Referrer told", "Referrer updated",
        "Reported back", "Reported to referrer", "Updated referrer", "Outcome report",
        "Referrer informed", "Outcome reported to referrer", "Thanked referrer",
        "Referrer thanked", "Closed loop",
    ),
    "status": (
        "Status", "Stage", "Current status", "Current stage", "Progress", "State",
        "Pipeline stage",
    ),
    "notes": (
        "Notes", "Comments", "Note", "Comment", "Remarks", "Details", "Takeaways",
        "Key takeaways", "Summary", "Notes/Comments", "Observations", "Next steps",
    ),
    "owner": (
        "Owner", "Student", "Student name", "Student's name", "Mentee", "Prepared by",
        "Log owner", "My name",
    ),
}  # fmt: skip

_IGNORE_WORDS = frozenset({"", "-", "ignore", "skip", "none"})
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_ALTERNATIVES = re.compile(r"/|\bor\b|&|\band\b", re.IGNORECASE)


def normalize_header(text: str) -> str:
    """``text`` folded for matching: no accents, no case, no spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum()).casefold()


def _build_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for name, synonyms in SYNONYMS.items():
        for synonym in (name, *synonyms):
            key = normalize_header(synonym)
            if index.setdefault(key, name) != name:  # a clash would make matching arbitrary
                raise AssertionError(f"synonym {synonym!r} names two fields")
    return index


_INDEX = _build_index()
_FIELD_INDEX = {normalize_header(name): name for name in FIELDS}


def match_header(header: str) -> str | None:
    """The canonical field a spreadsheet header names, or None when it names none.

    Tries the whole header, then without any parenthesised hint ("Meeting date
    (dd/mm/yyyy)"), then each side of a slash or "or" when all sides agree.
    """
    if found := _INDEX.get(normalize_header(header)):
        return found
    bare = _PARENTHESES.sub(" ", header)
    if bare != header and (found := _INDEX.get(normalize_header(bare))):
        return found
    parts = [p for p in _ALTERNATIVES.split(bare) if normalize_header(p)]
    if len(parts) > 1:
        matches = {_INDEX.get(normalize_header(p)) for p in parts}
        if len(matches) == 1:
            return matches.pop()
    return None


def check_field(name: str) -> str:
    """The canonical field ``name`` denotes (tolerant of case, spaces, punctuation).

    Raises InputError naming the valid fields when it denotes none.
    """
    if found := _FIELD_INDEX.get(normalize_header(name)):
        return found
    raise InputError(f"unknown field {name!r}: use one of {', '.join(FIELDS)}")


def parse_map_option(text: str) -> tuple[str, str]:
    """Split a ``--map "Header=field"`` option into (header, field).

    The field is returned in its canonical spelling; an empty field (``"Header="``) or
    ``ignore`` returns ``""``, meaning "do not import this column". Raises InputError when
    there is no ``=``, the header is empty or the field is unknown.
    """
    header, sep, name = text.rpartition("=")
    if not sep or not header.strip():
        raise InputError(f'--map {text!r} is not of the form "Header=field"')
    name = name.strip()
    if name.casefold() in _IGNORE_WORDS:
        return header.strip(), ""
    return header.strip(), check_field(name)


def propose_mapping(
    headers: list[str], overrides: Mapping[str, str | None] | None = None
) -> dict[str, str | None]:
    """Map each header to the canonical field it holds, or None.

    ``overrides`` (header → field, as from ``--map``; a field of ``""`` or None means
    "ignore this column") win over matching; their headers are matched against
    ``headers`` ignoring case, spaces and punctuation, and overrides naming no header
    present are ignored (one ``--map`` serves every file of an import). When two headers
    claim the same field the first keeps it and the others stay unmapped.

    Raises InputError when an override names an unknown field, or when two overrides give
    the same field to two headers that are both present.
    """
    forced: dict[str, str | None] = {}
    for header, name in (overrides or {}).items():
        ignore = name is None or name.strip().casefold() in _IGNORE_WORDS
        forced.setdefault(normalize_header(header), None if ignore else check_field(name or ""))
    mapping: dict[str, str | None] = {}
    taken: dict[str, str] = {}  # field → the header it is read from
    # Overrides first, so a field they claim is not also given to a matching header.
    for header in headers:
        key = normalize_header(header)
        if key not in forced or header in mapping:
            continue
        field = mapping[header] = forced.pop(key)
        if field is None:
            continue
        if field in taken:
            raise InputError(f"two columns are mapped to {field}: {taken[field]!r} and {header!r}")
        taken[field] = header
    for header in headers:
        if header in mapping:
            continue
        found = match_header(header)
        if found in taken:
            found = None
        mapping[header] = found
        if found:
            taken[found] = header
    return {header: mapping[header] for header in headers}


def maps_a_log(mapping: Mapping[str, str | None]) -> bool:
    """True when a mapping reads a name (or first and last name) and one more field."""
    fields = {f for f in mapping.values() if f}
    named = "name" in fields or {"first_name", "last_name"} <= fields
    return named and bool(fields - {"name", "first_name", "last_name"})
