"""Property-based fuzzing of every parser entry point: whatever bytes or text arrive, a
parser returns or raises an ``InfointError`` subclass, never anything else (issue 7,
item 1). Examples are few per test so the suite stays fast; the generators lean towards
input that looks almost right (real headers, date-like cells), which reaches furthest in.
"""

from __future__ import annotations

import contextlib
import csv
import io
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from infoint_core import dates, headers
from infoint_core.errors import InfointError
from infoint_core.importers import (
    ImportOptions,
    export_zip,
    linkedin,
    linkedin_common,
    preview_bytes,
    read_file,
    text,
    tracker,
)
from tests.samples.hostile import zip_of
from tests.samples.linkedin import CONNECTIONS_NOTE, MESSAGE_COLUMNS
from tests.samples.trackers import LOG_HEADERS, workbook_bytes

LINKEDIN_KINDS = {
    None,
    linkedin_common.CONNECTIONS,
    linkedin_common.INVITATIONS,
    linkedin_common.MESSAGES,
    linkedin_common.PROFILE,
}
FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)

HEADERS = [
    *LOG_HEADERS,
    *MESSAGE_COLUMNS[12],
    "First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On",
    "From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl",
    "Name", "Student", "Date contacted", "Meeting date", "Thank-you sent", "Referred by",
    "Maiden Name", "Headline", "", "Notes:",
]  # fmt: skip
DATE_FORMATS = ["%d/%m/%Y", "%m/%d/%y", "%Y-%m-%d", "%d %b %Y", "%b %d, %Y", "%d.%m.%Y"]
CELLS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["", " ", "yes", "no", "✓", "x", "N/A", "#REF!", "=1+1", "INCOMING",
                     "OUTGOING", "https://www.linkedin.com/in/ada", "ada@example.com"]),
    st.tuples(st.dates(), st.sampled_from(DATE_FORMATS)).map(lambda p: p[0].strftime(p[1])),
    st.from_regex(r"\d{1,4}[/.\- ]\d{1,2}[/.\- ]\d{1,4}( \d{1,2}:\d{2}( [AP]M)?)?", fullmatch=True),
    st.from_regex(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}( UTC)?", fullmatch=True),
    st.integers(-1000, 100_000).map(str),
)  # fmt: skip


@st.composite
def tables(draw: st.DrawFn) -> list[list[str]]:
    """A header row of real header names (some preamble lines above it) and rows of
    plausible cells, ragged on purpose."""
    header = draw(st.lists(st.sampled_from(HEADERS), min_size=1, max_size=12))
    preamble = draw(st.lists(st.lists(CELLS, max_size=2), max_size=3))
    width = st.integers(0, len(header) + 2)
    body = draw(st.lists(width.flatmap(lambda n: st.lists(CELLS, min_size=n, max_size=n)),
                         max_size=8))  # fmt: skip
    return [*preamble, header, *body]


def delimited(table: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerows(table)
    return out.getvalue()


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Delimited text that looks almost right, or any text at all."""
    if draw(st.booleans()):
        return draw(st.text(max_size=300))
    table = draw(tables())
    written = delimited(table, draw(st.sampled_from([",", ";", "\t"])))
    if draw(st.booleans()):  # cut it anywhere, as a truncated download is
        written = written[: draw(st.integers(0, len(written)))]
    return written


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252"]
blobs = st.one_of(
    st.binary(max_size=400),
    st.tuples(texts(), st.sampled_from(ENCODINGS)).map(
        lambda pair: pair[0].encode(pair[1], errors="replace")
    ),
)


def only_infoint_errors(call: Callable[[], Any]) -> None:
    """Run ``call``; an InfointError is an answer, anything else fails the test."""
    with contextlib.suppress(InfointError):
        call()


@FUZZ
@given(blobs)
def test_decoding_any_bytes(data: bytes) -> None:
    only_infoint_errors(lambda: text.decode_text(data))


@FUZZ
@given(texts(), st.sampled_from([",", ";", "\t"]))
def test_sniffing_and_splitting_any_text(value: str, delimiter: str) -> None:
    assert text.sniff_delimiter(value) in {",", ";", "\t"}
    only_infoint_errors(lambda: text.read_rows(value, delimiter))
    only_infoint_errors(lambda: text.count_records(value, 5))
    only_infoint_errors(lambda: text.widest_record(value, 5))


@FUZZ
@given(st.text(max_size=60))
def test_header_matching_any_text(header: str) -> None:
    headers.normalize_header(header)
    field = headers.match_header(header)
    assert field is None or field in headers.FIELD_LABELS
    only_infoint_errors(lambda: headers.parse_map_option(header))
    only_infoint_errors(lambda: headers.check_field(header))


@FUZZ
@given(st.lists(st.sampled_from(HEADERS) | st.text(max_size=15), max_size=12),
       st.dictionaries(st.text(max_size=10), st.sampled_from(["name", "notes", "x", ""]),
                       max_size=3))  # fmt: skip
def test_proposing_a_mapping_for_any_headers(names: list[str], overrides: dict[str, str]) -> None:
    only_infoint_errors(lambda: headers.propose_mapping(names, overrides))


@FUZZ
@given(st.lists(CELLS | st.none(), max_size=10), st.sampled_from(["DMY", "MDY", "YMD"]))
def test_reading_any_column_of_dates(values: list[str | None], order: str) -> None:
    only_infoint_errors(lambda: dates.parse_date_column(values, column="Date", default_order=order))
    only_infoint_errors(lambda: dates.infer_date_order(values))
    only_infoint_errors(lambda: dates.parse_date(values[0] if values else None, order))
    for value in values:
        dates.parse_yes_mark(value)
        linkedin_common.parse_timestamp(value or "")
        only_infoint_errors(lambda v=value: linkedin_common.parse_date(v or ""))


@FUZZ
@given(texts())
def test_tracker_rows_from_any_text(value: str) -> None:
    only_infoint_errors(lambda: tracker.parse_tracker_text(value))
    only_infoint_errors(lambda: tracker.preview_tracker(value))


@FUZZ
@given(texts(), st.sampled_from([None, "Sam Student"]))
def test_linkedin_shapes_from_any_text(value: str, holder: str | None) -> None:
    assert linkedin.detect_linkedin_kind(value) in LINKEDIN_KINDS
    only_infoint_errors(lambda: linkedin.parse_connections(value))
    only_infoint_errors(lambda: linkedin.parse_invitations(value, holder))
    only_infoint_errors(lambda: linkedin.parse_messages(value, holder))
    only_infoint_errors(lambda: linkedin.read_profile_name(value))
    with_note = f"Notes:\n{CONNECTIONS_NOTE}\n\n{value}"
    only_infoint_errors(lambda: linkedin.parse_connections(with_note))


@settings(FUZZ, max_examples=15)
@given(tables())
def test_any_workbook(table: list[list[str]]) -> None:
    cells = [[ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in row] for row in table]
    data = workbook_bytes({"Log": cells, "Other": cells[:2]})
    only_infoint_errors(lambda: tracker.parse_workbook(data))
    only_infoint_errors(lambda: tracker.preview_tracker(data))


@FUZZ
@given(st.dictionaries(st.sampled_from(["Connections.csv", "messages.csv", "Invitations.csv",
                                        "Profile.csv", "a/b.csv", "x.zip", "notes.txt"]),
                       blobs, max_size=4))  # fmt: skip
def test_any_export_zip(members: dict[str, bytes]) -> None:
    data = zip_of(members)
    only_infoint_errors(lambda: export_zip.read_csv_members(data))
    only_infoint_errors(lambda: read_file(data, ImportOptions()))


@FUZZ
@given(blobs, st.sampled_from(["DMY", "MDY"]))
def test_recognising_any_file(data: bytes, order: str) -> None:
    options = ImportOptions(date_order=order)
    only_infoint_errors(lambda: read_file(data, options))
    preview_bytes("fuzz.csv", data, options)
