"""LinkedIn export parsers: every vintage of Connections.csv, Invitations.csv and
messages.csv, detection by content, and the account holder's name from Profile.csv."""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_core.errors import ParseError
from infoint_core.importers.linkedin import (
    detect_linkedin_kind,
    parse_connections,
    parse_invitations,
    parse_messages,
    read_profile_name,
)
from infoint_core.importers.linkedin_common import parse_date, parse_timestamp
from infoint_core.records import EventKind, ParsedFile
from tests.samples.linkedin import (
    MESSAGE_COLUMNS,
    Connection,
    Invitation,
    Message,
    connections_csv,
    day_month_name,
    invitations_csv,
    iso_stamp,
    messages_csv,
    profile_csv,
    us_stamp,
)

ME = ("Sam Student", "https://www.linkedin.com/in/sam-student")
ANA = ("Ana Analyst", "https://www.linkedin.com/in/ana-analyst")
BEN = ("Ben Builder", "https://www.linkedin.com/in/ben-builder-1a2b3c/")
CAL = ("Cal Coder", "https://www.linkedin.com/in/cal")
DEE = ("Dee Designer", "https://www.linkedin.com/in/dee")
VINTAGES = ("2018", "2022", "2024")
TRACKER_CSV = "Name,Company,Date contacted,Interview date,Thank-you sent\nAna,Acme,3/2/2023,,\n"


def feb(day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(2023, 2, day, hour, minute)


def steps(parsed: ParsedFile) -> set[tuple[str | None, EventKind, date | None]]:
    """Each event as (person's name, kind, day)."""
    return {(parsed.people[e.person].name, e.kind, e.on) for e in parsed.events}


def names(parsed: ParsedFile) -> list[str | None]:
    return [p.name for p in parsed.people]


# --- detection -----------------------------------------------------------------------------


@pytest.mark.parametrize("vintage", VINTAGES)
def test_detects_connections_of_every_vintage(vintage: str) -> None:
    text = connections_csv([Connection("Ana", "Analyst", date(2023, 2, 8))], vintage=vintage)
    assert detect_linkedin_kind(text) == "linkedin_connections"


@pytest.mark.parametrize("with_urls", [False, True])
def test_detects_invitations(with_urls: bool) -> None:
    text = invitations_csv([Invitation(ME[0], ANA[0], feb(7))], with_urls=with_urls)
    assert detect_linkedin_kind(text) == "linkedin_invitations"


@pytest.mark.parametrize("columns", sorted(MESSAGE_COLUMNS))
@pytest.mark.parametrize("quote_all", [False, True])
def test_detects_messages(columns: int, quote_all: bool) -> None:
    text = messages_csv([Message("c1", *ME, [ANA], feb(7))], columns=columns, quote_all=quote_all)
    assert detect_linkedin_kind(text) == "linkedin_messages"


def test_detects_profile() -> None:
    assert detect_linkedin_kind(profile_csv("Sam", "Student")) == "linkedin_profile"


@pytest.mark.parametrize(
    "text",
    [
        TRACKER_CSV,
        "First name,Last name,Company,Date contacted\nAna,Analyst,Acme,2023-02-07\n",
        "",
        "just some words\nand more\n",
        '"unterminated,\n',
    ],
    ids=["tracker", "tracker-first-last", "empty", "prose", "broken-quote"],
)
def test_detection_says_none_for_other_files(text: str) -> None:
    assert detect_linkedin_kind(text) is None


def test_detection_reads_header_names_without_case_or_bom() -> None:
    text = messages_csv([Message("c1", *ME, [ANA], feb(7))], columns=10)
    header, rest = text.split("\n", 1)
    assert detect_linkedin_kind("\ufeff" + header.lower() + "\n" + rest) == "linkedin_messages"


def test_detection_looks_past_a_long_first_stretch_of_text() -> None:
    # A preamble far longer than the head of the text the detector reads first.
    text = f'Notes:\n"{"x" * 100_000}"\n\n' + connections_csv([], vintage="2018")
    assert detect_linkedin_kind(text) == "linkedin_connections"


def test_detection_gives_up_on_a_header_buried_under_many_rows() -> None:
    text = "junk\n" * 30 + connections_csv([], vintage="2018")
    assert detect_linkedin_kind(text) is None


# --- Connections.csv ---------------------------------------------------------------------


def test_connections_2018_drops_urn_emails_and_reads_us_dates() -> None:
    text = connections_csv(
        [
            Connection(
                "Ana", "Analyst", date(2018, 1, 8), email="urn:li:member:12345", company="Acme"
            ),
            Connection("Ben", "Builder", date(2018, 12, 31), email=" ben@example.com "),
        ],
        vintage="2018",
    )
    assert text.startswith("First Name,Last Name,Email Address,Company,Position,Connected On\n")
    assert '"1/8/18, 6:14 PM"' in text

    parsed = parse_connections(text)

    assert parsed.kind == "linkedin_connections"
    assert parsed.rows == 2
    assert parsed.events == []
    assert parsed.warnings == []
    assert parsed.account_holder is None
    ana, ben = parsed.people
    assert (ana.row, ana.name, ana.email, ana.company) == (2, "Ana Analyst", None, "Acme")
    assert ana.connected_on == date(2018, 1, 8)
    assert ana.linkedin_url is None
    assert ana.source == "LinkedIn"
    assert (ben.email, ben.connected_on, ben.company) == (
        "ben@example.com",
        date(2018, 12, 31),
        None,
    )


def test_connections_2022_finds_the_header_after_the_notes_preamble() -> None:
    text = connections_csv(
        [
            Connection("Ana", "Analyst", date(2023, 2, 8), company="Acme", position="Analyst"),
            Connection("Ben", "Builder", date(2021, 11, 1)),
        ],
        vintage="2022",
    )
    assert text.startswith("Notes:\n")
    assert "08 Feb 2023" in text

    parsed = parse_connections(text)

    assert [(p.row, p.name, p.connected_on) for p in parsed.people] == [
        (5, "Ana Analyst", date(2023, 2, 8)),
        (6, "Ben Builder", date(2021, 11, 1)),
    ]
    assert parsed.people[0].position == "Analyst"
    assert parsed.rows == 2


def test_connections_2024_keeps_profile_urls_as_written_and_reads_the_unterminated_last_row() -> (
    None
):
    text = connections_csv(
        [
            Connection("Ana", "Analyst", date(2023, 2, 8), url=ANA[1]),
            Connection("Ben", "Builder", date(2024, 3, 1), url=BEN[1], email="ben@example.com"),
        ],
        vintage="2024",
    )
    assert not text.endswith("\n")
    assert "First Name,Last Name,URL,Email Address" in text

    parsed = parse_connections(text)

    assert [(p.name, p.linkedin_url, p.email) for p in parsed.people] == [
        ("Ana Analyst", ANA[1], None),
        ("Ben Builder", BEN[1], "ben@example.com"),
    ]
    assert parsed.people[-1].connected_on == date(2024, 3, 1)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_connections_keep_quoted_commas_emoji_and_strip_spaces(vintage: str) -> None:
    text = connections_csv(
        [
            Connection(
                " Zoë 🚀 ",
                'O"Brien, Jr. ',
                date(2023, 2, 8),
                email="   ",
                company="Smith, Jones & Co., Ltd ",
                position=' Lead "Data" Engineer, EMEA',
            ),
            Connection("Cher", "", date(2023, 2, 8), company="  "),
        ],
        vintage=vintage,
    )

    zoe, cher = parse_connections(text).people

    assert zoe.name == 'Zoë 🚀 O"Brien, Jr.'
    assert zoe.company == "Smith, Jones & Co., Ltd"
    assert zoe.position == 'Lead "Data" Engineer, EMEA'
    assert zoe.email is None
    assert (cher.name, cher.company) == ("Cher", None)


@pytest.mark.parametrize("vintage", VINTAGES)
def test_connections_skip_hidden_profiles_with_one_warning(vintage: str) -> None:
    hidden = Connection("", "", date(2023, 2, 8))
    text = connections_csv(
        [
            Connection("Ana", "Analyst", date(2023, 2, 8)),
            hidden,
            hidden,
            Connection("Ben", "Builder", date(2023, 2, 9)),
            replace(hidden, first="  "),
        ],
        vintage=vintage,
    )

    parsed = parse_connections(text)

    assert names(parsed) == ["Ana Analyst", "Ben Builder"]
    assert parsed.rows == 5
    assert parsed.warnings == ["3 rows with no name (hidden profiles) were skipped"]


def test_connections_one_hidden_profile_is_told_in_the_singular() -> None:
    text = connections_csv([Connection("", "", date(2023, 2, 8))], vintage="2022")
    assert parse_connections(text).warnings == ["1 row with no name (a hidden profile) was skipped"]


@pytest.mark.parametrize(("vintage", "line"), [("2018", 4), ("2022", 7), ("2024", 7)])
def test_connections_bad_date_names_row_and_column(vintage: str, line: int) -> None:
    good = Connection("Ana", "Analyst", date(2023, 2, 8))
    text = connections_csv([good, good, replace(good, first="Bad")], vintage=vintage)
    date_text = us_stamp(datetime(2023, 2, 8, 18, 14)) if vintage == "2018" else "08 Feb 2023"
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1].replace(f'"{date_text}"', "soon").replace(date_text, "soon")
    assert lines[line - 1].startswith("Bad,") and lines[line - 1].endswith("soon")

    with pytest.raises(ParseError) as caught:
        parse_connections("\n".join(lines))

    assert caught.value.row == line
    assert caught.value.column == "Connected On"
    assert "'soon' is not a date" in caught.value.reason


def test_connections_empty_date_is_none_not_an_error() -> None:
    text = "First Name,Last Name,Connected On\nAna,Analyst,\n"
    (ana,) = parse_connections(text).people
    assert ana.connected_on is None


def test_connections_without_url_or_email_columns() -> None:
    text = "First Name,Last Name,Company,Position,Connected On\nAna,Analyst,Acme,Lead,08 Feb 2023\n"
    (ana,) = parse_connections(text).people
    assert (ana.name, ana.email, ana.linkedin_url, ana.company) == (
        "Ana Analyst",
        None,
        None,
        "Acme",
    )


def test_connections_with_windows_line_ends_and_blank_lines() -> None:
    rows = [
        Connection("Ana", "Analyst", date(2023, 2, 8)),
        Connection("Ben", "B", date(2023, 2, 9)),
    ]
    text = connections_csv(rows, vintage="2022", newline="\r\n") + "\r\n\r\n"

    parsed = parse_connections(text)

    assert [(p.row, p.name) for p in parsed.people] == [(5, "Ana Analyst"), (6, "Ben B")]
    assert parsed.rows == 2


def test_connections_skip_misshapen_rows_with_a_warning() -> None:
    text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ana,Analyst,,Acme,Lead,08 Feb 2023\n"
        "Ben,Builder,,Smith, Jones,Lead,08 Feb 2023\n"  # an unquoted comma
        "Cal,Coder,,Acme\n"  # cut short
        "Dee,Dev,,Acme,Lead,08 Feb 2023,,\n"  # empty trailing fields are harmless
    )

    parsed = parse_connections(text)

    assert names(parsed) == ["Ana Analyst", "Dee Dev"]
    assert parsed.rows == 4
    assert parsed.warnings == [
        "2 rows with a number of fields other than the header's 6 could not be read and "
        "were skipped (lines 3, 4)"
    ]


def test_connections_with_an_unterminated_quote_do_not_crash() -> None:
    text = (
        "First Name,Last Name,Email Address,Company,Position,Connected On\n"
        "Ana,Analyst,,Acme,Lead,08 Feb 2023\n"
        'Ben,Builder,,"Acme,Lead,08 Feb 2023\n'
        "Cal,Coder,,Acme,Lead,08 Feb 2023\n"
    )

    parsed = parse_connections(text)

    assert names(parsed) == ["Ana Analyst"]
    assert "line 3" in parsed.warnings[0]


@pytest.mark.parametrize(
    "text",
    [TRACKER_CSV, "", invitations_csv([Invitation(ME[0], ANA[0], feb(7))])],
    ids=["tracker", "empty", "invitations"],
)
def test_connections_parser_refuses_other_files(text: str) -> None:
    with pytest.raises(ParseError, match=r"not a LinkedIn Connections\.csv"):
        parse_connections(text)


# --- Invitations.csv ---------------------------------------------------------------------


@pytest.mark.parametrize("with_urls", [False, True])
def test_invitations_outgoing_is_outreach_and_incoming_is_inbound(with_urls: bool) -> None:
    text = invitations_csv(
        [
            Invitation(
                ME[0],
                ANA[0],
                feb(7, 14, 37),
                message="Hi Ana",
                sender_url=ME[1],
                recipient_url=ANA[1],
            ),
            Invitation(
                BEN[0],
                ME[0],
                feb(9, 9, 5),
                direction="INCOMING",
                sender_url=BEN[1],
                recipient_url=ME[1],
            ),
        ],
        with_urls=with_urls,
    )
    assert '"2/7/23, 2:37 PM"' in text

    parsed = parse_invitations(text)

    assert parsed.kind == "linkedin_invitations"
    assert parsed.account_holder == ME[0]
    assert names(parsed) == [ANA[0], BEN[0]]
    assert steps(parsed) == {
        (ANA[0], EventKind.OUTREACH, date(2023, 2, 7)),
        (BEN[0], EventKind.INBOUND, date(2023, 2, 9)),
    }
    assert {e.detail for e in parsed.events} == {"LinkedIn invitation"}
    urls = [p.linkedin_url for p in parsed.people]
    assert urls == ([ANA[1], BEN[1]] if with_urls else [None, None])
    assert "Hi Ana" not in repr(parsed)
    assert parsed.rows == 2


def test_invitations_holder_given_wins_and_is_never_a_contact() -> None:
    text = invitations_csv(
        [
            Invitation(ME[0], ANA[0], feb(7)),
            Invitation(BEN[0], ME[0], feb(8), direction="INCOMING"),
        ]
    )
    parsed = parse_invitations(text, account_holder="Samantha Student")
    assert parsed.account_holder == "Samantha Student"
    assert ME[0] not in names(parsed)


def test_invitations_skip_other_directions_with_a_warning() -> None:
    text = invitations_csv(
        [
            Invitation(ME[0], ANA[0], feb(7)),
            Invitation(ME[0], BEN[0], feb(8), direction="PENDING"),
            Invitation(ME[0], CAL[0], feb(8), direction="PENDING"),
        ]
    )

    parsed = parse_invitations(text)

    assert names(parsed) == [ANA[0]]
    assert parsed.rows == 3
    assert parsed.warnings == [
        "2 rows with Direction 'PENDING' (neither OUTGOING nor INCOMING) were skipped (lines 3, 4)"
    ]


def test_invitations_one_person_one_step_a_day() -> None:
    text = invitations_csv(
        [
            Invitation(ME[0], ANA[0], feb(7, 9)),
            Invitation(ME[0], ANA[0], feb(7, 17)),
            Invitation(ME[0], ANA[0], feb(20)),
        ]
    )

    parsed = parse_invitations(text)

    assert names(parsed) == [ANA[0]]
    assert sorted(e.on for e in parsed.events) == [date(2023, 2, 7), date(2023, 2, 20)]


def test_invitations_tell_people_apart_by_profile_url() -> None:
    text = invitations_csv(
        [
            Invitation(ME[0], ANA[0], feb(7), sender_url=ME[1], recipient_url=ANA[1]),
            # Ana again, her URL with a trailing slash; then the holder under another name.
            Invitation("Ana A.", ME[0], feb(9), "INCOMING", "", ANA[1] + "/", ME[1]),
            Invitation("Sam S.", ME[0], feb(9), "INCOMING", "", ME[1], ME[1]),
            Invitation(ME[0], "", feb(10), sender_url=ME[1]),
        ],
        with_urls=True,
    )

    parsed = parse_invitations(text)

    assert [(p.name, p.linkedin_url) for p in parsed.people] == [(ANA[0], ANA[1])]
    assert steps(parsed) == {
        (ANA[0], EventKind.OUTREACH, date(2023, 2, 7)),
        (ANA[0], EventKind.INBOUND, date(2023, 2, 9)),
    }
    assert parsed.rows == 4
    assert parsed.warnings == ["1 row naming no one on the other side was skipped (line 5)"]


def test_invitations_bad_date_names_row_and_column() -> None:
    text = invitations_csv([Invitation(ME[0], ANA[0], feb(7)), Invitation(ME[0], BEN[0], feb(8))])
    text = text.replace('"2/8/23, 12:00 PM"', "tomorrow")

    with pytest.raises(ParseError) as caught:
        parse_invitations(text)

    assert (caught.value.row, caught.value.column) == (3, "Sent At")


# --- messages.csv ------------------------------------------------------------------------


def conversation() -> list[Message]:
    """Ana writes first (inbound); Sam answers (outreach); Ana replies (response); and a
    group message from Sam to Ana and Ben, which Ben answers; Cal writes and hears nothing."""
    return [
        Message("c1", *ANA, [ME], feb(6, 9), content="Saw your post — happy to chat"),
        Message("c1", *ME, [ANA], feb(7, 14, 37), content="Thanks!\nCould we talk, Ana?"),
        Message("c1", *ANA, [ME], feb(8, 8), content="Sure: Thursday?"),
        Message("c2", *ME, [ANA, BEN], feb(10), title="Intro", content="Meet Ben"),
        Message("c2", *BEN, [ME, ANA], feb(11), content="Hi both"),
        Message("c3", *CAL, [ME], feb(12), content="Are you hiring?"),
    ]


EXPECTED_STEPS = {
    (ANA[0], EventKind.INBOUND, date(2023, 2, 6)),
    (ANA[0], EventKind.OUTREACH, date(2023, 2, 7)),
    (ANA[0], EventKind.RESPONSE, date(2023, 2, 8)),
    (ANA[0], EventKind.OUTREACH, date(2023, 2, 10)),
    (BEN[0], EventKind.OUTREACH, date(2023, 2, 10)),
    (BEN[0], EventKind.RESPONSE, date(2023, 2, 11)),
    (CAL[0], EventKind.INBOUND, date(2023, 2, 12)),
}


@pytest.mark.parametrize("columns", sorted(MESSAGE_COLUMNS))
@pytest.mark.parametrize("quote_all", [False, True])
def test_messages_of_every_vintage_give_the_same_steps(columns: int, quote_all: bool) -> None:
    text = messages_csv(conversation(), columns=columns, quote_all=quote_all)

    parsed = parse_messages(text)

    assert parsed.kind == "linkedin_messages"
    assert parsed.rows == 6
    assert parsed.account_holder == ME[0]
    assert sorted(names(parsed)) == [ANA[0], BEN[0], CAL[0]]
    assert steps(parsed) == EXPECTED_STEPS
    assert len(parsed.events) == len(EXPECTED_STEPS)
    assert {e.detail for e in parsed.events} == {"LinkedIn message"}
    assert parsed.warnings == []


@pytest.mark.parametrize("columns", [10, 11, 12])
def test_messages_keep_profile_urls(columns: int) -> None:
    parsed = parse_messages(messages_csv(conversation(), columns=columns))
    assert {p.name: p.linkedin_url for p in parsed.people} == {
        ANA[0]: ANA[1],
        BEN[0]: BEN[1],
        CAL[0]: CAL[1],
    }


def test_messages_never_store_bodies() -> None:
    messages = [
        replace(m, content=f"SECRET BODY {i}\nline two") for i, m in enumerate(conversation())
    ]
    parsed = parse_messages(messages_csv(messages, columns=11, quote_all=True))
    assert "SECRET BODY" not in repr(parsed)
    assert parsed.events


def test_messages_order_by_time_not_by_file_order() -> None:
    text = messages_csv(list(reversed(conversation())), columns=11)  # newest first
    assert steps(parse_messages(text)) == EXPECTED_STEPS


def test_messages_a_reply_in_another_conversation_does_not_count_as_response() -> None:
    text = messages_csv(
        [
            Message("c1", *ME, [ANA], feb(7)),
            Message("c2", *ANA, [ME], feb(9)),  # a new thread, started by Ana
            Message("c9", *ME, [BEN], feb(9)),
        ],
        columns=10,
    )
    assert steps(parse_messages(text)) == {
        (ANA[0], EventKind.OUTREACH, date(2023, 2, 7)),
        (ANA[0], EventKind.INBOUND, date(2023, 2, 9)),
        (BEN[0], EventKind.OUTREACH, date(2023, 2, 9)),
    }


def test_messages_keep_one_step_per_person_kind_and_day() -> None:
    text = messages_csv(
        [
            Message("c1", *ME, [ANA], feb(7, 9)),
            Message("c1", *ME, [ANA], feb(7, 10)),
            Message("c1", *ANA, [ME], feb(7, 11)),
            Message("c1", *ANA, [ME], feb(7, 12)),
            Message("c1", *ME, [ANA], feb(8, 10)),
        ],
        columns=11,
    )

    parsed = parse_messages(text)

    assert sorted((e.kind, e.on) for e in parsed.events) == [
        (EventKind.OUTREACH, date(2023, 2, 7)),
        (EventKind.OUTREACH, date(2023, 2, 8)),
        (EventKind.RESPONSE, date(2023, 2, 7)),
    ]


@pytest.mark.parametrize("columns", [9, 11])
def test_messages_skip_sponsored_mail_from_linkedin_member(columns: int) -> None:
    text = messages_csv(
        [
            Message("s1", "LinkedIn Member", "", [ME], feb(5), subject="Grow your career"),
            Message("s2", "LinkedIn Member", "", [ME], feb(6)),
            *conversation(),
        ],
        columns=columns,
    )

    parsed = parse_messages(text)

    assert "LinkedIn Member" not in names(parsed)
    assert steps(parsed) == EXPECTED_STEPS
    assert parsed.rows == 8
    assert parsed.warnings == [
        "2 messages from 'LinkedIn Member' (sponsored, no profile) were skipped"
    ]


def test_messages_ignore_drafts() -> None:
    text = messages_csv(
        [*conversation(), Message("c4", *ME, [DEE], feb(12), draft=True)], columns=12
    )
    assert "IS MESSAGE DRAFT" in text

    parsed = parse_messages(text)

    assert DEE[0] not in names(parsed)
    assert steps(parsed) == EXPECTED_STEPS
    assert parsed.rows == 7
    assert parsed.warnings == ["1 draft message was ignored"]


def test_messages_use_the_account_holder_given() -> None:
    # Only one conversation: on its own the file cannot say whose it is.
    text = messages_csv(
        [Message("c1", *ANA, [ME], feb(6)), Message("c1", *ME, [ANA], feb(7))], columns=10
    )

    mine = parse_messages(text, account_holder=ME[0])
    anas = parse_messages(text, account_holder=ANA[0])

    assert mine.account_holder == ME[0]
    assert steps(mine) == {
        (ANA[0], EventKind.INBOUND, date(2023, 2, 6)),
        (ANA[0], EventKind.OUTREACH, date(2023, 2, 7)),
    }
    assert mine.warnings == []
    assert anas.account_holder == ANA[0]
    assert steps(anas) == {
        (ME[0], EventKind.OUTREACH, date(2023, 2, 6)),
        (ME[0], EventKind.RESPONSE, date(2023, 2, 7)),
    }


def test_messages_warn_when_the_holder_cannot_be_told() -> None:
    text = messages_csv(
        [Message("c1", *ANA, [ME], feb(6)), Message("c1", *ME, [ANA], feb(7))], columns=10
    )

    parsed = parse_messages(text)

    assert parsed.account_holder in {ME[0], ANA[0]}
    assert len(parsed.people) == 1
    assert parsed.people[0].name != parsed.account_holder
    assert len(parsed.warnings) == 1
    assert "Profile.csv" in parsed.warnings[0]


def test_messages_infer_the_holder_when_the_given_name_is_absent() -> None:
    parsed = parse_messages(messages_csv(conversation(), columns=10), account_holder="Nobody")

    assert parsed.account_holder == "Nobody"
    assert steps(parsed) == EXPECTED_STEPS
    assert parsed.warnings == [
        "the account holder 'Nobody' takes part in no conversation in this file; "
        "the holder was inferred from the messages instead"
    ]


def test_messages_infer_the_holder_by_profile_url_when_names_vary() -> None:
    # The holder's display name changed between conversations; the profile URL did not.
    me_then = ("Sam S.", ME[1])
    text = messages_csv(
        [
            Message("c1", *me_then, [ANA], feb(7)),
            Message("c2", *ME, [BEN], feb(8)),
            Message("c3", *CAL, [ME], feb(9)),
        ],
        columns=11,
    )

    parsed = parse_messages(text)

    assert sorted(names(parsed)) == [ANA[0], BEN[0], CAL[0]]
    assert parsed.account_holder in {ME[0], me_then[0]}


def test_messages_with_headers_in_any_case_and_extra_columns() -> None:
    messages = [replace(m, extra={"SENT VIA": "web, mobile"}) for m in conversation()]
    text = messages_csv(messages, columns=12, extra_columns=["SENT VIA"])
    header, rest = text.split("\n", 1)
    assert header.endswith(",SENT VIA")

    assert steps(parse_messages(header.lower() + "\n" + rest)) == EXPECTED_STEPS


def test_messages_bad_date_names_the_line_after_multiline_bodies() -> None:
    messages = conversation()
    messages[0] = replace(messages[0], content="one\ntwo\nthree")  # rows 2-4
    text = messages_csv(messages, columns=11, quote_all=True)
    text = text.replace(f'"{iso_stamp(feb(7, 14, 37))}"', '"next week"')
    # Line 1 header, 2-4 the first message, 5-6 the second (its body has two lines).

    with pytest.raises(ParseError) as caught:
        parse_messages(text)

    assert (caught.value.row, caught.value.column) == (5, "DATE")


def test_messages_empty_date_is_an_error() -> None:
    text = messages_csv(conversation(), columns=10).replace(iso_stamp(feb(8, 8)), "")
    # Line 1 header, 2 the first message, 3-4 the second (its body has two lines).
    with pytest.raises(ParseError) as caught:
        parse_messages(text)
    assert (caught.value.row, caught.value.column) == (5, "DATE")


def test_messages_names_with_commas_stay_whole() -> None:
    doc = ("Jo Doe, PhD", "https://www.linkedin.com/in/jodoe")
    text9 = messages_csv(
        [Message("c1", *ME, [doc], feb(7)), Message("c1", *doc, [ME], feb(8))], columns=9
    )
    text10 = messages_csv(
        [Message("c1", *ME, [doc], feb(7)), Message("c2", *ME, [ANA], feb(8))], columns=10
    )

    for text in (text9, text10):
        parsed = parse_messages(text, account_holder=ME[0])
        assert doc[0] in names(parsed)
        assert "PhD" not in names(parsed)


def test_messages_group_names_that_do_not_pair_with_urls_come_from_senders() -> None:
    doc = ("Jo Doe, PhD", "https://www.linkedin.com/in/jodoe")
    text = messages_csv(
        [
            Message("c1", *ME, [doc, ANA], feb(7)),  # TO "Jo Doe, PhD,Ana Analyst": 3 names
            Message("c1", *doc, [ME, ANA], feb(8)),
            Message("c2", *ME, [BEN, CAL], feb(9)),
        ],
        columns=10,
    )
    text = text.replace(f"{BEN[0]},{CAL[0]}", "Ben, the builder,Cal")  # names no one gave

    parsed = parse_messages(text, account_holder=ME[0])

    # Ana's name pairs with her URL in the second message, where the lists match.
    assert {p.linkedin_url: p.name for p in parsed.people} == {
        doc[1]: doc[0],
        ANA[1]: ANA[0],
        BEN[1]: None,
        CAL[1]: None,
    }
    assert parsed.warnings == [
        "1 group message listed recipients whose names could not be matched to their "
        "profile URLs; those contacts have no name (line 4)"
    ]


def test_messages_group_recipients_without_urls_are_split_by_commas() -> None:
    text = messages_csv([Message("c1", *ME, [ANA, BEN, CAL], feb(7))], columns=9)
    parsed = parse_messages(text, account_holder=ME[0])
    assert sorted(names(parsed)) == [ANA[0], BEN[0], CAL[0]]
    assert {e.kind for e in parsed.events} == {EventKind.OUTREACH}


def test_messages_skip_misshapen_rows_with_a_warning() -> None:
    text = messages_csv(conversation(), columns=9)
    text += "c9,,Eve,\n"

    parsed = parse_messages(text)

    assert steps(parsed) == EXPECTED_STEPS
    assert parsed.rows == 7
    assert parsed.warnings == [
        "1 row with a number of fields other than the header's 9 could not be read and "
        "was skipped (line 9)"
    ]


def test_messages_parser_refuses_other_files() -> None:
    with pytest.raises(ParseError, match=r"not a LinkedIn messages\.csv"):
        parse_messages(connections_csv([], vintage="2024"))


# --- Profile.csv -------------------------------------------------------------------------


def test_profile_name() -> None:
    assert read_profile_name(profile_csv(" Sam ", "Student ")) == "Sam Student"
    assert read_profile_name("\ufeff" + profile_csv("Sam", "")) == "Sam"


@pytest.mark.parametrize(
    "text",
    [
        "",
        TRACKER_CSV,
        connections_csv([Connection("Ana", "Analyst", date(2023, 2, 8))], vintage="2018"),
        profile_csv("", ""),
        profile_csv("Sam", "Student").split("\n", 1)[0],  # header only
    ],
)
def test_profile_name_is_none_without_one(text: str) -> None:
    assert read_profile_name(text) is None


# --- properties --------------------------------------------------------------------------

# Any text on one line: commas, quotes, emoji and spaces included; control characters
# (newlines among them) and line separators left out, as LinkedIn's own fields have none.
one_line = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")),
    max_size=30,
)
emails = st.one_of(
    st.just(""),
    st.from_regex(r"urn:li:member:[0-9]{1,9}", fullmatch=True),
    st.from_regex(r"[a-z0-9.]{1,10}@[a-z]{1,10}\.(org|com|ac\.uk)", fullmatch=True),
)
connections = st.builds(
    Connection,
    first=one_line,
    last=one_line,
    connected_on=st.dates(date(2003, 5, 5), date(2099, 12, 31)),
    email=emails,
    company=one_line,
    position=one_line,
    url=st.from_regex(r"(https://www\.linkedin\.com/in/[a-z0-9-]{3,20}/?)?", fullmatch=True),
    at=st.times(),
)


@given(rows=st.lists(connections, max_size=8), vintage=st.sampled_from(VINTAGES))
def test_any_connections_round_trip(rows: list[Connection], vintage: str) -> None:
    parsed = parse_connections(connections_csv(rows, vintage=vintage))

    expected = []
    for c in rows:
        first, last = c.first.strip(), c.last.strip()
        if not (first or last):
            continue
        expected.append(
            (
                " ".join(p for p in (first, last) if p),
                c.company.strip() or None,
                c.position.strip() or None,
                c.email if "@" in c.email else None,
                (c.url or None) if vintage == "2024" else None,
                c.connected_on,
            )
        )
    got = [
        (p.name, p.company, p.position, p.email, p.linkedin_url, p.connected_on)
        for p in parsed.people
    ]
    assert got == expected
    assert parsed.rows == len(rows)
    assert bool(parsed.warnings) == (len(expected) < len(rows))


@given(st.dates())
def test_any_date_round_trips_in_the_day_month_name_format(on: date) -> None:
    assert parse_date(day_month_name(on)) == on


@given(st.datetimes(datetime(2000, 1, 1), datetime(2099, 12, 31, 23, 59)))
def test_any_date_round_trips_in_the_us_format(at: datetime) -> None:
    stamp = us_stamp(at)
    assert parse_date(stamp) == at.date()
    assert parse_timestamp(stamp) == at.replace(second=0, microsecond=0)
    assert parse_date(f"{at.month}/{at.day}/{at.year}") == at.date()


@given(st.datetimes())
def test_any_date_round_trips_in_the_iso_format(at: datetime) -> None:
    assert parse_timestamp(iso_stamp(at)) == at.replace(microsecond=0)
    assert parse_date(iso_stamp(at)) == at.date()


@given(st.text(string.ascii_letters + string.digits + " ,:/-.", max_size=24))
def test_any_text_in_a_date_column_is_a_date_or_none(value: str) -> None:
    parsed = parse_date(value)
    assert parsed is None or type(parsed) is date
    if parsed is None and value.strip():
        with pytest.raises(ParseError):
            parse_connections(f'First Name,Last Name,Connected On\nAna,Analyst,"{value}"\n')


@given(
    timeline=st.lists(
        st.tuples(st.sampled_from([ME, ANA]), st.integers(0, 20 * 24)),
        min_size=1,
        max_size=12,
        unique_by=lambda item: item[1],  # no two messages in the same second
    ),
    body=one_line,
)
def test_any_two_party_exchange(timeline: list[tuple[tuple[str, str], int]], body: str) -> None:
    start = datetime(2023, 1, 1)
    messages = [
        Message(
            "c1",
            *who,
            [ANA if who == ME else ME],
            start.replace(day=1 + hours // 24, hour=hours % 24),
            content=f"BODY:{body}",
        )
        for who, hours in timeline
    ]

    parsed = parse_messages(messages_csv(messages, columns=11, quote_all=True), ME[0])

    first_mine = min((m.at for m in messages if m.sender == ME[0]), default=None)
    want = set()
    for m in messages:
        if m.sender == ME[0]:
            want.add((ANA[0], EventKind.OUTREACH, m.at.date()))
        elif first_mine is not None and m.at > first_mine:
            want.add((ANA[0], EventKind.RESPONSE, m.at.date()))
        else:
            want.add((ANA[0], EventKind.INBOUND, m.at.date()))
    assert steps(parsed) == want
    assert len(parsed.events) == len(want)
    assert "BODY:" not in repr(parsed)
    assert names(parsed) == [ANA[0]]


@pytest.mark.parametrize(
    ("text", "parse"),
    [
        (connections_csv([], vintage="2024"), parse_connections),
        (invitations_csv([], with_urls=True), parse_invitations),
        (messages_csv([], columns=12, quote_all=True), parse_messages),
    ],
    ids=["connections", "invitations", "messages"],
)
def test_a_file_with_only_its_header_is_empty(
    text: str, parse: Callable[[str], ParsedFile]
) -> None:
    parsed = parse(text)
    assert (parsed.rows, parsed.people, parsed.events, parsed.warnings) == (0, [], [], [])
    assert parsed.account_holder is None
