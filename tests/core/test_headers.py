"""Spreadsheet headers to canonical fields, and the --map overrides."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_core.errors import InputError
from infoint_core.headers import (
    FIELD_LABELS,
    FIELDS,
    SYNONYMS,
    maps_a_log,
    match_header,
    parse_map_option,
    propose_mapping,
)

CONTRACT_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "email",
    "linkedin_url",
    "company",
    "position",
    "industry",
    "source",
    "referred_by",
    "contacted_on",
    "responded_on",
    "meeting_on",
    "thanked_on",
    "followed_up_on",
    "outcome_reported_on",
    "status",
    "notes",
    "owner",
)


def test_fields_are_exactly_the_contract_fields_each_with_a_one_line_label() -> None:
    assert FIELDS == CONTRACT_FIELDS
    assert list(FIELD_LABELS) == list(CONTRACT_FIELDS)
    for label in FIELD_LABELS.values():
        assert label.strip() and "\n" not in label
    assert set(SYNONYMS) == set(FIELDS)


@pytest.mark.parametrize(
    ("header", "field"),
    [
        # The examples of the brief and of CONTRACT §5.
        ("Full name", "name"),
        ("Contact", "name"),
        ("Contact name", "name"),
        ("Person", "name"),
        ("Name", "name"),
        ("Organisation", "company"),
        ("Organization", "company"),
        ("Employer", "company"),
        ("Company name", "company"),
        ("Firm", "company"),
        ("Title", "position"),
        ("Role", "position"),
        ("Job title", "position"),
        ("Interview date", "meeting_on"),
        ("Meeting date", "meeting_on"),
        ("Date of meeting", "meeting_on"),
        ("Informational interview date", "meeting_on"),
        ("Thank-you sent", "thanked_on"),
        ("Thank you note", "thanked_on"),
        ("Thanked", "thanked_on"),
        ("Referred by", "referred_by"),
        ("Introduced by", "referred_by"),
        ("Referral from", "referred_by"),
        ("Referrer", "referred_by"),
        ("Date contacted", "contacted_on"),
        ("Outreach date", "contacted_on"),
        ("First contact", "contacted_on"),
        ("Reached out", "contacted_on"),
        ("Student", "owner"),
        ("Student name", "owner"),
        ("Owner", "owner"),
        ("LinkedIn", "linkedin_url"),
        ("Profile", "linkedin_url"),
        ("LinkedIn URL", "linkedin_url"),
        ("E-mail", "email"),
        ("Email address", "email"),
        ("Response date", "responded_on"),
        ("Replied on", "responded_on"),
        ("Follow-up", "followed_up_on"),
        ("Followed up", "followed_up_on"),
        ("Outcome reported", "outcome_reported_on"),
        ("Told referrer", "outcome_reported_on"),
        ("Sector", "industry"),
        ("Field", "industry"),
        ("How found", "source"),
        ("Source", "source"),
        ("Found via", "source"),
        ("Stage", "status"),
        ("Status", "status"),
        ("Notes", "notes"),
        ("Comments", "notes"),
        ("First name", "first_name"),
        ("Surname", "last_name"),
        # Field names themselves, as a template or an export might write them.
        ("meeting_on", "meeting_on"),
        ("OUTCOME_REPORTED_ON", "outcome_reported_on"),
    ],
)
def test_known_headers(header: str, field: str) -> None:
    assert match_header(header) == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("  THANK-YOU SENT?  ", "thanked_on"),
        ("Date of meeting (dd/mm/yyyy)", "meeting_on"),
        ("Date contacted [DD/MM/YY]", "contacted_on"),
        ("Company / Organisation", "company"),
        ("Organisation or Employer", "company"),
        ("Référé par", None),
        ("Organisátion", "company"),
        ("E\u2011mail", "email"),  # a non-breaking hyphen
        ("Email or LinkedIn", None),  # the two sides disagree
        ("Phone", None),
        ("Date", None),
        ("", None),
        ("Column 3", None),
    ],
)
def test_tolerant_matching(header: str, field: str | None) -> None:
    assert match_header(header) == field


def test_the_first_of_two_headers_claiming_a_field_keeps_it() -> None:
    mapping = propose_mapping(["Name", "Company", "Employer", "Organisation", "Phone"])
    assert mapping == {
        "Name": "name",
        "Company": "company",
        "Employer": None,
        "Organisation": None,
        "Phone": None,
    }


def test_overrides_win_and_match_headers_tolerantly() -> None:
    headers = ["Who", "Org", "Company", "Notes"]
    mapping = propose_mapping(headers, {"who": "name", "ORG ": "company", "notes": ""})
    # "Org" takes company, so the matching "Company" column is left unmapped.
    assert mapping == {"Who": "name", "Org": "company", "Company": None, "Notes": None}


def test_override_fields_are_matched_tolerantly_and_absent_headers_ignored() -> None:
    mapping = propose_mapping(["Uni", "Name"], {"Uni": "Company", "Missing": "email"})
    assert mapping == {"Uni": "company", "Name": "name"}
    assert propose_mapping(["Met"], {"Met": "Meeting on"}) == {"Met": "meeting_on"}


def test_an_override_to_none_ignores_a_matching_column() -> None:
    assert propose_mapping(["Name", "Status"], {"Status": None}) == {
        "Name": "name",
        "Status": None,
    }


def test_an_override_naming_an_unknown_field_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"unknown field 'employer'.*company"):
        propose_mapping(["Org"], {"Org": "employer"})


def test_two_overrides_to_one_field_are_an_input_error_when_both_columns_exist() -> None:
    with pytest.raises(InputError, match="two columns are mapped to company: 'A' and 'B'"):
        propose_mapping(["A", "B"], {"A": "company", "B": "company"})
    # One --map serves every file of an import: file one says "A", file two "B".
    assert propose_mapping(["Name", "A"], {"A": "company", "B": "company"}) == {
        "Name": "name",
        "A": "company",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Org=company", ("Org", "company")),
        (" Date of chat = meeting_on ", ("Date of chat", "meeting_on")),
        ("Uni=Company", ("Uni", "company")),
        ("A=B=notes", ("A=B", "notes")),
        ("Phone=", ("Phone", "")),
        ("Phone=ignore", ("Phone", "")),
    ],
)
def test_parse_map_option(text: str, expected: tuple[str, str]) -> None:
    assert parse_map_option(text) == expected


@pytest.mark.parametrize("text", ["Org", "=company", "  =company", ""])
def test_malformed_map_options(text: str) -> None:
    with pytest.raises(InputError, match="Header=field"):
        parse_map_option(text)


def test_map_option_with_an_unknown_field() -> None:
    with pytest.raises(InputError, match="unknown field 'organisation'"):
        parse_map_option("Org=organisation")


def test_maps_a_log() -> None:
    assert maps_a_log({"Name": "name", "Org": "company"})
    assert maps_a_log({"F": "first_name", "L": "last_name", "Met": "meeting_on"})
    assert not maps_a_log({"Name": "name"})
    assert not maps_a_log({"F": "first_name", "Org": "company"})
    assert not maps_a_log({"Org": "company", "Notes": "notes"})


# ---------------------------------------------------------------------------------------
# Property: any case/space/punctuation/accent variant of every synonym maps to its field

_ALL_SYNONYMS = [(field, s) for field, synonyms in SYNONYMS.items() for s in (field, *synonyms)]
_NOISE = st.text(alphabet=" \t-_./:?!'*#&,\u00a0\u2019", max_size=2)


@st.composite
def header_variant(draw: st.DrawFn, synonym: str) -> str:
    out = [draw(_NOISE)]
    for ch in synonym:
        if ch.isalnum():
            ch = ch.upper() if draw(st.booleans()) else ch.lower()
            if ch.isalpha() and draw(st.integers(0, 5)) == 0:
                ch = unicodedata.normalize("NFC", ch + "\u0301")  # an accent
            out.append(ch)
        out.append(draw(_NOISE))
    return "".join(out)


@given(data=st.data(), pair=st.sampled_from(_ALL_SYNONYMS))
def test_any_variant_of_every_synonym_maps_to_its_field(
    data: st.DataObject, pair: tuple[str, str]
) -> None:
    field, synonym = pair
    assert match_header(data.draw(header_variant(synonym))) == field


@given(data=st.data(), pair=st.sampled_from(_ALL_SYNONYMS))
def test_overrides_match_any_variant_of_a_header(
    data: st.DataObject, pair: tuple[str, str]
) -> None:
    _, synonym = pair
    variant = data.draw(header_variant(synonym))
    assert propose_mapping([synonym], {variant: "notes"}) == {synonym: "notes"}
