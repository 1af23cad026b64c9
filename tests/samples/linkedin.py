"""Builders for the files of a LinkedIn data export, in each vintage LinkedIn has written.

Every builder returns the file's text, as ``decode_text`` would hand it to a parser, e.g.
``connections_csv([Connection("Ada", "Lovelace", date(2023, 2, 8))], vintage="2018")``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

# The paragraph LinkedIn has put above the header of Connections.csv since 2021.
CONNECTIONS_NOTE = (
    "When exporting your connection data, you may notice that some of the email addresses "
    "are missing. You will only see email addresses for connections who have allowed their "
    "connections to see or download their email address using this setting "
    "https://www.linkedin.com/psettings/privacy/email. You can learn more here "
    "https://www.linkedin.com/help/linkedin/answer/261"
)

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

MESSAGE_COLUMNS: dict[int, tuple[str, ...]] = {
    9: (
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "DATE",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
    ),
    10: (
        "CONVERSATION ID",
        "CONVERSATION TITLE",
        "FROM",
        "SENDER PROFILE URL",
        "TO",
        "RECIPIENT PROFILE URLS",
        "DATE",
        "SUBJECT",
        "CONTENT",
        "FOLDER",
    ),
}
MESSAGE_COLUMNS[11] = (*MESSAGE_COLUMNS[10], "ATTACHMENTS")
MESSAGE_COLUMNS[12] = (*MESSAGE_COLUMNS[11], "IS MESSAGE DRAFT")


def us_stamp(when: date | datetime) -> str:
    """``2/7/23, 2:37 PM``: Connections.csv of 2018 and Invitations.csv (midnight for a date)."""
    at = when if isinstance(when, datetime) else datetime.combine(when, time(0, 0))
    hour = at.hour % 12 or 12
    return f"{at.month}/{at.day}/{at:%y}, {hour}:{at.minute:02d} {'PM' if at.hour >= 12 else 'AM'}"


def day_month_name(on: date) -> str:
    """``08 Feb 2023``: Connections.csv since 2021."""
    return f"{on.day:02d} {_MONTHS[on.month - 1]} {on.year:04d}"


def iso_stamp(at: datetime) -> str:
    """``2023-02-07 14:37:00 UTC``: messages.csv."""
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at:%H:%M:%S} UTC"


@dataclass(frozen=True)
class Connection:
    """One row of Connections.csv. Empty first and last names make a hidden profile."""

    first: str
    last: str
    connected_on: date
    email: str = ""
    company: str = ""
    position: str = ""
    url: str = ""
    at: time = time(18, 14)  # the time of day the 2018 vintage writes after the date


@dataclass(frozen=True)
class Invitation:
    """One row of Invitations.csv."""

    sender: str  # From
    recipient: str  # To
    sent_at: datetime
    direction: str = "OUTGOING"
    message: str = ""
    sender_url: str = ""
    recipient_url: str = ""


@dataclass(frozen=True)
class Message:
    """One row of messages.csv; ``to`` lists the recipients as (name, profile URL)."""

    conversation: str
    sender: str
    sender_url: str
    to: Sequence[tuple[str, str]]
    at: datetime
    content: str = "Hello!"
    title: str = ""
    subject: str = ""
    folder: str = "INBOX"
    draft: bool = False
    attachments: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _write(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    preamble: Sequence[Sequence[str]] = (),
    quote_all: bool = False,
    newline: str = "\n",
    final_newline: bool = True,
) -> str:
    out = io.StringIO()
    writer = csv.writer(
        out,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    for line in preamble:
        writer.writerow(line)
    writer.writerow(header)
    writer.writerows(rows)
    text = out.getvalue()
    if not final_newline and text.endswith(newline):
        text = text[: -len(newline)]
    return text


def connections_csv(
    rows: Iterable[Connection], vintage: str = "2024", *, newline: str = "\n"
) -> str:
    """Connections.csv as LinkedIn wrote it in ``vintage``:

    - "2018": no preamble; dates like ``1/8/18, 6:14 PM``;
    - "2022": the "Notes:" preamble (note, quoted paragraph, blank line); ``08 Feb 2023``;
    - "2024": as 2022 plus a URL column after Last Name, and no newline after the last row.
    """
    if vintage == "2018":
        header = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
        body = [
            [
                c.first,
                c.last,
                c.email,
                c.company,
                c.position,
                us_stamp(datetime.combine(c.connected_on, c.at)),
            ]
            for c in rows
        ]
        return _write(header, body, newline=newline)
    preamble = [["Notes:"], [CONNECTIONS_NOTE], []]
    if vintage == "2022":
        header = ["First Name", "Last Name", "Email Address", "Company", "Position", "Connected On"]
        body = [
            [c.first, c.last, c.email, c.company, c.position, day_month_name(c.connected_on)]
            for c in rows
        ]
        return _write(header, body, preamble=preamble, newline=newline)
    if vintage == "2024":
        header = [
            "First Name",
            "Last Name",
            "URL",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        ]
        body = [
            [c.first, c.last, c.url, c.email, c.company, c.position, day_month_name(c.connected_on)]
            for c in rows
        ]
        return _write(header, body, preamble=preamble, newline=newline, final_newline=False)
    raise ValueError(f"unknown Connections.csv vintage {vintage!r}")


def invitations_csv(rows: Iterable[Invitation], with_urls: bool = False) -> str:
    """Invitations.csv: 5 columns, or 7 with the inviter's and invitee's profile URLs."""
    header = ["From", "To", "Sent At", "Message", "Direction"]
    if with_urls:
        header += ["inviterProfileUrl", "inviteeProfileUrl"]
    body = []
    for inv in rows:
        row = [inv.sender, inv.recipient, us_stamp(inv.sent_at), inv.message, inv.direction]
        if with_urls:
            row += [inv.sender_url, inv.recipient_url]
        body.append(row)
    return _write(header, body)


def messages_csv(
    messages: Iterable[Message],
    columns: int = 11,
    quote_all: bool = False,
    *,
    extra_columns: Sequence[str] = (),
) -> str:
    """messages.csv with 9 (no recipient URLs), 10 (RECIPIENT PROFILE URLS), 11
    (ATTACHMENTS) or 12 (IS MESSAGE DRAFT) columns, plus ``extra_columns`` (filled from
    ``Message.extra``); ``quote_all`` quotes every field as the exports of 2026 do.
    Recipients' names and URLs are joined by commas."""
    header = (*MESSAGE_COLUMNS[columns], *extra_columns)
    body = []
    for msg in messages:
        values = {
            "CONVERSATION ID": msg.conversation,
            "CONVERSATION TITLE": msg.title,
            "FROM": msg.sender,
            "SENDER PROFILE URL": msg.sender_url,
            "TO": ",".join(name for name, _url in msg.to),
            "RECIPIENT PROFILE URLS": ",".join(url for _name, url in msg.to),
            "DATE": iso_stamp(msg.at),
            "SUBJECT": msg.subject,
            "CONTENT": msg.content,
            "FOLDER": msg.folder,
            "ATTACHMENTS": msg.attachments,
            "IS MESSAGE DRAFT": "Yes" if msg.draft else "No",
            **msg.extra,
        }
        body.append([values.get(name, "") for name in header])
    return _write(header, body, quote_all=quote_all)


def profile_csv(first: str, last: str, headline: str = "Student") -> str:
    """Profile.csv: the account holder's own profile, one row."""
    header = [
        "First Name",
        "Last Name",
        "Maiden Name",
        "Address",
        "Birth Date",
        "Headline",
        "Summary",
        "Industry",
        "Zip Code",
        "Geo Location",
        "Twitter Handles",
        "Websites",
        "Instant Messengers",
    ]
    row = [first, last, "", "", "", headline, "", "Higher Education", "", "Leeds", "", "", ""]
    return _write(header, [row])
