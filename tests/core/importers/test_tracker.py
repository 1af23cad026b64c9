"""A student's own tracker, as a workbook or as CSV/TSV text, to people and dated steps."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from infoint_core.errors import InputError, ParseError
from infoint_core.importers.text import decode_text
from infoint_core.importers.tracker import (
    is_workbook,
    looks_like_tracker,
    parse_tracker_text,
    parse_workbook,
    parse_workbook_sheets,
    preview_tracker,
)
from infoint_core.records import EventKind, ParsedFile, PersonRecord
from infoint_core.template import write_template
from tests.samples.trackers import (
    LOG_HEADERS,
    TEXT_HEADERS,
    TEXT_ROWS,
    TEXT_VARIANTS,
    big_tracker_table,
    delimited_text,
    sample_text_bytes,
    sample_workbook,
    workbook_bytes,
)


def steps(parsed: ParsedFile, person: int) -> list[tuple[EventKind, date | None]]:
    return [(e.kind, e.on) for e in parsed.events if e.person == person]


def person(parsed: ParsedFile, name: str) -> tuple[int, PersonRecord]:
    return next((i, p) for i, p in enumerate(parsed.people) if p.name == name)


# ---------------------------------------------------------------------------------------
# Workbooks


def test_the_sample_workbook_reads_its_log_sheet_only() -> None:
    [(sheet, parsed)] = parse_workbook_sheets(sample_workbook())
    assert sheet == "Log"
    assert parsed.kind == "tracker"
    assert [p.name for p in parsed.people] == [
        "Ada Lovelace",
        "Grace Hopper",
        "Alan Turing",
        "Katherine Johnson",
    ]
    # Title on row 1, blank row 2, headers on row 3: the first person is on row 4.
    assert [p.row for p in parsed.people] == [4, 5, 6, 7]
    assert parsed.rows == 5  # the nameless row counts as read
    assert "sheet 'Instructions' skipped: no header row with a name column in its first rows" in (
        parsed.warnings
    )
    assert any(w.startswith("sheet 'Summary' skipped") for w in parsed.warnings)
    assert "sheet 'Log': 1 row with no name skipped (row 8)" in parsed.warnings


def test_the_sample_workbook_fields_and_steps() -> None:
    [parsed] = parse_workbook(sample_workbook())
    i, ada = person(parsed, "Ada Lovelace")
    assert (ada.company, ada.position, ada.email) == (
        "Analytical Engines",
        "Engineer",
        "ada@example.com",
    )
    assert ada.status == "interviewed"
    assert ada.notes == "Great advice"
    # A real date cell, a date-time cell, and a thank-you ticked "yes" (no date).
    assert steps(parsed, i) == [
        (EventKind.OUTREACH, date(2026, 10, 1)),
        (EventKind.MEETING, date(2026, 10, 8)),
        (EventKind.THANK_YOU, None),
    ]
    i, grace = person(parsed, "Grace Hopper")
    assert grace.referred_by == "Ada Lovelace"
    assert grace.status == "thanked"
    # Text dates beside date cells in the same columns; a dated thank-you.
    assert steps(parsed, i) == [
        (EventKind.OUTREACH, date(2026, 10, 2)),
        (EventKind.MEETING, date(2026, 10, 15)),
        (EventKind.THANK_YOU, date(2026, 10, 16)),
    ]
    i, alan = person(parsed, "Alan Turing")
    assert alan.status == "contacted"
    # 25/10/2026 proves the column day-first; "no" in the thank-you column logs nothing.
    assert steps(parsed, i) == [(EventKind.OUTREACH, date(2026, 10, 25))]
    i, katherine = person(parsed, "Katherine Johnson")
    assert katherine.status == "identified"
    assert steps(parsed, i) == [(EventKind.OUTREACH, date(2025, 12, 9))]  # serial 46000


def test_a_header_row_below_a_title_row_and_a_table_not_at_a1() -> None:
    data = workbook_bytes(
        {"Tracker": [["Networking 2026"], ["Name", "Company"], ["Ada", "Acme"]]},
        start={"Tracker": "C3"},
    )
    [parsed] = parse_workbook(data)
    assert [(p.row, p.name, p.company) for p in parsed.people] == [(5, "Ada", "Acme")]


def test_every_log_sheet_becomes_one_parsed_file() -> None:
    data = workbook_bytes(
        {
            "Autumn": [["Name", "Company"], ["Ada", "Acme"]],
            "Notes": [["Remember to send thank-yous"]],
            "Spring": [
                ["First name", "Last name", "Meeting date"],
                ["Grace", "Hopper", "2026-03-01"],
            ],
            "Empty": [],
        }
    )
    sheets = parse_workbook_sheets(data)
    assert [name for name, _ in sheets] == ["Autumn", "Spring"]
    autumn, spring = (parsed for _, parsed in sheets)
    assert [p.name for p in spring.people] == ["Grace Hopper"]
    assert steps(spring, 0) == [(EventKind.MEETING, date(2026, 3, 1))]
    assert autumn.warnings == [
        "sheet 'Notes' skipped: no header row with a name column in its first rows",
        "sheet 'Empty' skipped: it is empty",
    ]
    assert [len(p.people) for p in parse_workbook(data)] == [1, 1]


def test_a_workbook_with_no_log_sheet_is_a_parse_error() -> None:
    data = workbook_bytes({"Instructions": [["How to use"]], "Summary": [["Total", 3]]})
    with pytest.raises(ParseError, match=r"no sheet looks like a networking log.*'Instructions'"):
        parse_workbook(data)


def test_bytes_that_are_no_workbook_are_a_parse_error() -> None:
    with pytest.raises(ParseError, match="not a readable Excel workbook"):
        parse_workbook(b"PK\x03\x04 this is not really a zip")
    assert not is_workbook(b"Name,Company\r\n")
    assert not is_workbook(b"PK\x03\x04 broken")
    assert is_workbook(sample_workbook())


def test_a_bad_date_names_sheet_row_and_column() -> None:
    data = workbook_bytes(
        {"Log": [["Name", "Meeting date"], ["Ada", "2026-11-03"], ["Bob", "soon"]]}
    )
    with pytest.raises(ParseError) as caught:
        parse_workbook(data)
    assert caught.value.row == 3
    assert caught.value.column == "Meeting date"
    assert "'soon' is not a date" in caught.value.reason
    assert "sheet 'Log'" in caught.value.reason


def test_excel_error_cells_read_as_blank() -> None:
    # Polars hands real error cells over as empty: blank, but with no warning possible.
    data = workbook_bytes(
        {
            "Log": [
                ["Name", "Company", "Meeting date"],
                ["Ada", "#N/A", "#REF!"],
                ["Bob", "Acme", "2026-11-03"],
            ]
        }
    )
    [parsed] = parse_workbook(data)
    assert parsed.people[0].company is None
    assert steps(parsed, 0) == []
    assert steps(parsed, 1) == [(EventKind.MEETING, date(2026, 11, 3))]


def test_excel_error_text_reads_as_blank_with_a_warning() -> None:
    # As a CSV saved from Excel holds them.
    table = [
        ["Name", "Company", "Meeting date"],
        ["Ada", "#N/A", "#REF!"],
        ["Bob", "Acme", "#ref!"],
        ["Cy", "#hashtag", "2026-11-03"],
    ]
    parsed = parse_tracker_text(delimited_text(table))
    assert [p.company for p in parsed.people] == [None, "Acme", "#hashtag"]
    assert [(e.person, e.on) for e in parsed.events] == [(2, date(2026, 11, 3))]
    assert parsed.warnings == [
        "column 'Company': Excel errors (#N/A) read as blank (row 2)",
        "column 'Meeting date': Excel errors (#REF!, #ref!) read as blank (rows 2, 3)",
    ]


def test_formulas_without_a_cached_value_read_as_blank() -> None:
    data = workbook_bytes({"Log": [["Name", "Company"], ["Ada", '=UPPER("acme")']]})
    [parsed] = parse_workbook(data)
    assert parsed.people[0].company is None


def test_booleans_and_numbers_in_a_thank_you_column() -> None:
    data = workbook_bytes(
        {
            "Log": [
                ["Name", "Thank-you sent"],
                ["Ada", True],
                ["Bob", False],
                ["Cy", 1],
                ["Di", 46000],
            ]
        }
    )
    [parsed] = parse_workbook(data)
    assert [steps(parsed, i) for i in range(4)] == [
        [(EventKind.THANK_YOU, None)],
        [],
        [(EventKind.THANK_YOU, None)],
        [(EventKind.THANK_YOU, date(2025, 12, 9))],
    ]


def test_the_template_round_trips(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    path = write_template(tmp_path / "tracker.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Log"]
    headers = [c.value for c in sheet[1]]
    row = {
        "Name": "Ada Lovelace",
        "Organisation": "Acme",
        "Status": "interviewed",
        "Meeting date": datetime(2026, 11, 3),
        "Thank-you sent": "yes",
        "Referred by": "Grace Hopper",
        "Outcome reported": datetime(2026, 11, 20),
    }
    for column, header in enumerate(headers, start=1):
        if header in row:
            sheet.cell(row=2, column=column, value=row[header])
    workbook.save(path)
    [parsed] = parse_workbook(path.read_bytes())
    [ada] = parsed.people
    assert (ada.row, ada.name, ada.company, ada.status, ada.referred_by) == (
        2,
        "Ada Lovelace",
        "Acme",
        "interviewed",
        "Grace Hopper",
    )
    assert steps(parsed, 0) == [
        (EventKind.MEETING, date(2026, 11, 3)),
        (EventKind.THANK_YOU, None),
        (EventKind.OUTCOME_REPORT, date(2026, 11, 20)),
    ]
    assert not any("not imported" in w for w in parsed.warnings)


FIELD_ROW = {
    "name": "Renée O\u2019Neil",
    "email": "renee@example.com",
    "linkedin_url": "https://www.linkedin.com/in/renee",
    "company": "Société Générale",
    "position": "Analyst",
    "industry": "Banking",
    "source": "Careers fair",
    "referred_by": "Ada Lovelace",
    "status": "followed_up",
    "notes": "Line one\nline two",
    "owner": "Sam Student",
}


@pytest.mark.parametrize("as_text", [False, True])
def test_every_field_survives_a_round_trip(as_text: bool) -> None:
    headers = [
        "Name",
        "Email",
        "LinkedIn",
        "Company",
        "Position",
        "Industry",
        "Source",
        "Referred by",
        "Status",
        "Notes",
        "Student",
        "Date contacted",
        "Response date",
        "Meeting date",
        "Thank-you sent",
        "Followed up",
        "Outcome reported",
    ]
    values = [
        *FIELD_ROW.values(),
        date(2026, 10, 1),
        date(2026, 10, 2),
        date(2026, 10, 9),
        date(2026, 10, 9),
        date(2026, 12, 1),
        date(2026, 12, 2),
    ]
    if as_text:
        texts = [v.isoformat() if isinstance(v, date) else v for v in values]
        parsed = parse_tracker_text(delimited_text([headers, texts]))
    else:
        [parsed] = parse_workbook(workbook_bytes({"Log": [headers, values]}))
    [record] = parsed.people
    assert {f: getattr(record, f) for f in FIELD_ROW} == FIELD_ROW
    assert steps(parsed, 0) == [
        (EventKind.OUTREACH, date(2026, 10, 1)),
        (EventKind.RESPONSE, date(2026, 10, 2)),
        (EventKind.MEETING, date(2026, 10, 9)),
        (EventKind.THANK_YOU, date(2026, 10, 9)),
        (EventKind.FOLLOW_UP, date(2026, 12, 1)),
        (EventKind.OUTCOME_REPORT, date(2026, 12, 2)),
    ]
    assert parsed.warnings == []


# ---------------------------------------------------------------------------------------
# Text


@pytest.mark.parametrize(("encoding", "delimiter"), TEXT_VARIANTS)
def test_text_in_every_encoding_and_delimiter(encoding: str, delimiter: str) -> None:
    text = decode_text(sample_text_bytes(encoding, delimiter))
    parsed = parse_tracker_text(text)
    assert [(p.row, p.name, p.company) for p in parsed.people] == [
        (3, "Renée O\u2019Neil", "Société Générale"),
        (4, "Bob Smith", "Acme"),
        (5, "Zoë Adams", "Café Nero"),
    ]
    # 17/11/2026 proves "Meeting date" day-first; "Date contacted" follows it, so no
    # warning about 03/11/2026.
    assert steps(parsed, 0) == [
        (EventKind.OUTREACH, date(2026, 11, 3)),
        (EventKind.MEETING, date(2026, 11, 17)),
        (EventKind.THANK_YOU, None),
    ]
    assert steps(parsed, 1) == [(EventKind.OUTREACH, date(2026, 11, 4))]
    assert steps(parsed, 2) == [
        (EventKind.OUTREACH, date(2026, 11, 5)),
        (EventKind.MEETING, date(2026, 11, 20)),
        (EventKind.THANK_YOU, date(2026, 11, 21)),
    ]
    assert parsed.warnings == []


def test_an_undecidable_column_warns_which_order_was_assumed() -> None:
    text = delimited_text(
        [["Name", "Date contacted"], ["Ada", "03/11/2026"], ["Bob", "04/11/2026"]]
    )
    parsed = parse_tracker_text(text, date_order="MDY")
    assert [e.on for e in parsed.events] == [date(2026, 3, 11), date(2026, 4, 11)]
    assert parsed.warnings == [
        "column 'Date contacted': dates such as '03/11/2026' could be day-first or "
        "month-first; assumed month first (MDY)"
    ]


def test_columns_proving_opposite_orders_each_keep_their_own() -> None:
    text = delimited_text(
        [
            ["Name", "Date contacted", "Meeting date", "Response date"],
            ["Ada", "25/10/2026", "10/25/2026", "01/02/2026"],
        ]
    )
    parsed = parse_tracker_text(text, date_order="MDY")
    assert [e.on for e in parsed.events] == [
        date(2026, 10, 25),
        date(2026, 1, 2),
        date(2026, 10, 25),
    ]
    assert len(parsed.warnings) == 1 and "'Response date'" in parsed.warnings[0]


def test_a_column_mixing_orders_is_an_error() -> None:
    table = [["Name", "Meeting date"], ["Ada", "25/10/2026"], ["Bob", "10/25/2026"]]
    with pytest.raises(ParseError, match="mixes day-first") as caught:
        parse_tracker_text(delimited_text(table))
    assert (caught.value.row, caught.value.column) == (3, "Meeting date")


def test_statuses_map_to_stages_and_unknown_ones_warn() -> None:
    statuses = [
        "To contact",
        "emailed",
        "Replied",
        "booked",
        "Met",
        "thanked",
        "In touch",
        "Not interested",
        "no",
        "maybe later",
        "",
        "maybe later",
    ]
    table = [["Name", "Status"], *([f"P{i}", s] for i, s in enumerate(statuses))]
    parsed = parse_tracker_text(delimited_text(table))
    assert [p.status for p in parsed.people] == [
        "identified",
        "contacted",
        "responded",
        "scheduled",
        "interviewed",
        "thanked",
        "followed_up",
        "declined",
        "declined",
        None,
        None,
        None,
    ]
    assert parsed.warnings == [
        "status 'maybe later' is not a known stage, left empty (rows 11, 13)"
    ]
    assert all(type(p.status) is str for p in parsed.people if p.status)


def test_first_and_last_names_make_the_name() -> None:
    table = [
        ["First name", "Last name", "Company"],
        [" Ada ", "Lovelace", "Acme"],
        ["Grace", "", "Navy"],
        ["", "Turing", ""],
    ]
    parsed = parse_tracker_text(delimited_text(table))
    assert [p.name for p in parsed.people] == ["Ada Lovelace", "Grace", "Turing"]


def test_rows_without_a_name_are_skipped_with_a_count_and_empty_rows_silently() -> None:
    table = [
        ["Name", "Company"],
        ["Ada", "Acme"],
        ["", "Orphan Ltd"],
        ["", ""],
        ["  ", " "],
        ["", "Another"],
        ["Bob", "B"],
        [],
    ]
    parsed = parse_tracker_text(delimited_text(table))
    assert [(p.row, p.name) for p in parsed.people] == [(2, "Ada"), (7, "Bob")]
    assert parsed.rows == 4
    assert parsed.warnings == ["2 rows with no name skipped (rows 3, 6)"]


def test_whitespace_is_stripped_and_single_line_fields_collapsed() -> None:
    table = [["Name", "Company", "Notes"], ["  Ada \u00a0 Lovelace ", " Acme\nLtd ", " a\n b "]]
    [ada] = parse_tracker_text(delimited_text(table)).people
    assert (ada.name, ada.company, ada.notes) == ("Ada Lovelace", "Acme Ltd", "a\n b")


def test_a_ticked_thank_you_has_no_date_and_a_no_mark_logs_nothing() -> None:
    table = [
        ["Name", "Thank you note"],
        ["A", "✓"],
        ["B", "X"],
        ["C", "No"],
        ["D", "n/a"],
        ["E", "Done"],
        ["F", "3 Nov 2026"],
    ]
    parsed = parse_tracker_text(delimited_text(table))
    assert [(e.person, e.on) for e in parsed.events] == [
        (0, None),
        (1, None),
        (4, None),
        (5, date(2026, 11, 3)),
    ]


def test_a_yes_mark_in_another_date_column_is_an_error() -> None:
    table = [["Name", "Date contacted"], ["A", "yes"]]
    with pytest.raises(ParseError, match="yes/no mark") as caught:
        parse_tracker_text(delimited_text(table))
    assert (caught.value.row, caught.value.column) == (2, "Date contacted")


def test_the_garbage_collector_is_left_as_it_was() -> None:
    import gc

    assert gc.isenabled()
    with pytest.raises(ParseError):
        parse_tracker_text(delimited_text([["Name", "Met on"], ["A", "someday"]]))
    assert gc.isenabled()
    gc.disable()
    try:
        parse_tracker_text(delimited_text([["Name", "Company"], ["A", "B"]]))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_text_with_no_header_row_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"no header row naming a contact.*--map"):
        parse_tracker_text("Phone,Colour\r\n123,red\r\n")


def test_the_header_row_is_looked_for_in_the_first_ten_rows_only() -> None:
    preamble = [[f"line {i}"] for i in range(10)]
    with pytest.raises(ParseError):
        parse_tracker_text(delimited_text([*preamble, ["Name", "Company"], ["Ada", "Acme"]]))
    parsed = parse_tracker_text(delimited_text([*preamble[:9], ["Name", "Company"], ["Ada", "A"]]))
    assert [(p.row, p.name) for p in parsed.people] == [(11, "Ada")]


def test_mapping_overrides_name_columns_and_make_a_log() -> None:
    table = [["Nom", "Org", "Company", "Phone"], ["Ada", "Acme", "Ignored Inc", "123"]]
    with pytest.raises(ParseError):
        parse_tracker_text(delimited_text(table))
    parsed = parse_tracker_text(delimited_text(table), mapping={"nom": "name", "Org": "company"})
    assert (parsed.people[0].name, parsed.people[0].company) == ("Ada", "Acme")
    assert parsed.warnings == [
        "columns not imported: 'Company' (company is read from 'Org'), 'Phone'"
    ]


def test_a_mapping_naming_an_absent_column_warns_and_a_bad_field_raises() -> None:
    text = delimited_text([["Name", "Org"], ["Ada", "Acme"]])
    parsed = parse_tracker_text(text, mapping={"Org": "company", "Uni": "notes"})
    assert "the mapping names a column 'Uni' that is not in this table" in parsed.warnings
    with pytest.raises(InputError, match="unknown field"):
        parse_tracker_text(text, mapping={"Org": "employer"})
    with pytest.raises(InputError, match="date order"):
        parse_tracker_text(text, date_order="YMD")


def test_duplicate_headers_keep_the_first() -> None:
    table = [["Name", "Notes", "Notes", "Company", "Employer"], ["Ada", "one", "two", "A", "B"]]
    parsed = parse_tracker_text(delimited_text(table))
    assert (parsed.people[0].notes, parsed.people[0].company) == ("one", "A")
    assert parsed.warnings == [
        "columns not imported: 'Notes (2)' (notes is read from 'Notes'), "
        "'Employer' (company is read from 'Company')"
    ]


def test_short_and_ragged_csv_rows() -> None:
    text = "Name,Company,Meeting date\r\nAda\r\nBob,B,2026-11-03,extra\r\n"
    parsed = parse_tracker_text(text)
    assert [(p.name, p.company) for p in parsed.people] == [("Ada", None), ("Bob", "B")]
    assert steps(parsed, 1) == [(EventKind.MEETING, date(2026, 11, 3))]


# ---------------------------------------------------------------------------------------
# Detection and preview


def test_looks_like_tracker() -> None:
    assert looks_like_tracker(["Full name", "Organisation"])
    assert looks_like_tracker(["First name", "Surname", "Interview date"])
    assert not looks_like_tracker(["Full name"])
    assert not looks_like_tracker(["How to use this tracker"])
    assert not looks_like_tracker(["Nom", "Org"])
    assert looks_like_tracker(["Nom", "Org"], {"Nom": "name"})


def test_preview_of_a_workbook() -> None:
    previews = preview_tracker(sample_workbook(), limit=2)
    assert [(p.sheet, p.is_log) for p in previews] == [
        ("Instructions", False),
        ("Log", True),
        ("Summary", False),
    ]
    log = previews[1]
    assert log.header_row == 3
    assert log.headers == LOG_HEADERS
    assert log.mapping["Full name"] == "name"
    assert log.mapping["Thank-you sent?"] == "thanked_on"
    assert log.mapping["Stage"] == "status"
    assert log.rows == [
        [
            "Ada Lovelace",
            "Analytical Engines",
            "Engineer",
            "ada@example.com",
            None,
            "2026-10-01 00:00:00",
            "2026-10-08 14:30:00",
            "yes",
            "met",
            "Great advice",
        ],
        [
            "Grace Hopper",
            "Navy",
            "Rear Admiral",
            None,
            "Ada Lovelace",
            "2 Oct 2026",
            "Oct 15, 2026",
            "2026-10-16 00:00:00",
            "thanked",
            None,
        ],
    ]
    instructions = previews[0]
    assert instructions.header_row == 1
    assert instructions.headers == ["How to use this tracker"]


def test_preview_of_text_bytes_and_a_corrected_mapping() -> None:
    [preview] = preview_tracker(sample_text_bytes("utf-16", "\t"))
    assert preview.sheet is None
    assert preview.header_row == 2
    assert preview.headers == TEXT_HEADERS
    assert preview.rows == [[cell or None for cell in row] for row in TEXT_ROWS]
    assert preview.mapping["Thank-you"] == "thanked_on"
    table = [["Nom", "Org", "Entreprise"], ["Ada", "Acme", "A"]]
    [guessed] = preview_tracker(delimited_text(table))
    assert not guessed.is_log
    assert guessed.mapping == {"Nom": None, "Org": "company", "Entreprise": None}
    [corrected] = preview_tracker(
        delimited_text(table), mapping={"Nom": "name", "Org": None, "Entreprise": "company"}
    )
    assert corrected.is_log
    assert corrected.mapping == {"Nom": "name", "Org": None, "Entreprise": "company"}


def test_preview_of_a_sheet_with_blank_header_cells() -> None:
    [preview] = preview_tracker(delimited_text([["Name", "", "Company"], ["Ada", "x", "A"]]))
    assert preview.headers == ["Name", "Column 2", "Company"]
    assert preview.mapping == {"Name": "name", "Column 2": None, "Company": "company"}


def test_preview_of_an_empty_sheet() -> None:
    data = workbook_bytes({"Log": [["Name", "Company"], ["Ada", "A"]], "Blank": []})
    assert preview_tracker(data)[1].headers == []


# ---------------------------------------------------------------------------------------
# Size: large inputs parse whole (speed is measured by the benchmark under bench/).


def test_a_large_csv_parses_whole() -> None:
    parsed = parse_tracker_text(delimited_text(big_tracker_table(30_000)))
    assert len(parsed.people) == 30_000


def test_a_2000_row_workbook_parses_whole() -> None:
    [parsed] = parse_workbook(workbook_bytes({"Log": big_tracker_table(2_000, cells=True)}))
    assert len(parsed.people) == 2_000


def test_repeated_and_numbered_headers_all_get_their_own_name() -> None:
    table = [["Name", "Notes", "Notes (2)", "Notes", *["Tag"] * 300], ["Ada", *["x"] * 303]]
    [preview] = preview_tracker(delimited_text(table))
    assert preview.headers[:4] == ["Name", "Notes", "Notes (2)", "Notes (3)"]
    assert preview.headers[-1] == "Tag (300)"
    assert len(set(preview.headers)) == len(preview.headers)
