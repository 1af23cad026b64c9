"""Dates as trackers hold them: one column at a time, day/month order decided by the column."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from infoint_core.dates import (
    EXCEL_EPOCH,
    check_date_order,
    infer_date_order,
    is_blank,
    is_no_mark,
    parse_date,
    parse_date_column,
    parse_date_columns,
    parse_yes_mark,
)
from infoint_core.errors import InputError, ParseError

NOV_3 = date(2026, 11, 3)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-03 00:00:00",  # a real date cell, as Polars hands it over
        "2026-11-03 14:30:00",
        "2026-11-03",
        "2026-11-03T09:15:00Z",
        "2026/11/03",
        "3 Nov 2026",
        "03 Nov 2026",
        "3-Nov-2026",
        "3-Nov-26",
        "Nov 3, 2026",
        "November 3rd, 2026",
        "3rd November 2026",
        "the 3rd of November 2026",
        "Tuesday, 3 November 2026",
        "Tue Nov 3 2026",
        "03/11/2026",
        "3.11.2026",
        "3.11.2026.",
        "03-11-2026",
        "03/11/26",
        "03/11/2026 10:30",
        "46329",  # an Excel serial number
        "46329.5",
        "Tuesday 3 November 2026 10:00",  # dateutil's territory
        "  3 Nov 2026  ",
    ],
)
def test_every_supported_format_reads_as_the_day(text: str) -> None:
    assert parse_date_column([text]).values == [NOV_3]


def test_excel_serial_numbers_use_the_1899_12_30_epoch() -> None:
    column = parse_date_column(["46000", "1", "2958465", "61"])
    assert column.values == [
        date(2025, 12, 9),
        date(1899, 12, 31),
        date(9999, 12, 31),
        date(1900, 3, 1),
    ]


@pytest.mark.parametrize("text", ["0", "2958466", "99999999"])
def test_serials_out_of_range_are_refused(text: str) -> None:
    with pytest.raises(ParseError, match="not a date"):
        parse_date_column([text], column="Met")


def test_a_first_part_above_12_makes_the_column_day_first() -> None:
    column = parse_date_column(["03/11/2026", "25/12/2026"], default_order="MDY")
    assert column.order == "DMY"
    assert column.values == [NOV_3, date(2026, 12, 25)]
    assert column.warnings == []


def test_a_second_part_above_12_makes_the_column_month_first() -> None:
    column = parse_date_column(["11/03/2026", "12/25/2026"], default_order="DMY")
    assert column.order == "MDY"
    assert column.values == [NOV_3, date(2026, 12, 25)]
    assert column.warnings == []


def test_a_column_proving_both_orders_is_an_error_naming_rows_and_column() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_column(["25/12/2026", None, "12/25/2026"], column="Meeting date", rows=[4, 5, 6])
    error = caught.value
    assert error.column == "Meeting date"
    assert error.row == 6
    assert "day-first" in error.reason and "month-first" in error.reason
    assert "row 4" in error.reason


@pytest.mark.parametrize(
    ("default", "expected", "said"),
    [("DMY", NOV_3, "day first (DMY)"), ("MDY", date(2026, 3, 11), "month first (MDY)")],
)
def test_an_undecidable_column_uses_the_default_and_says_so(
    default: str, expected: date, said: str
) -> None:
    column = parse_date_column(
        ["03/11/2026", "2026-12-01"], column="Date contacted", default_order=default
    )
    assert column.values == [expected, date(2026, 12, 1)]
    assert column.order == default
    assert len(column.warnings) == 1
    assert "'Date contacted'" in column.warnings[0]
    assert said in column.warnings[0]
    assert "03/11/2026" in column.warnings[0]


def test_no_warning_when_the_order_makes_no_difference() -> None:
    column = parse_date_column(["03/03/2026", "3 Nov 2026", "2026-11-03"])
    assert column.values == [date(2026, 3, 3), NOV_3, NOV_3]
    assert column.warnings == []


def test_a_forced_order_wins_over_the_values() -> None:
    assert parse_date_column(["01/02/2026"], order="MDY").values == [date(2026, 1, 2)]
    with pytest.raises(ParseError, match=r"month must be in 1\.\.12"):
        parse_date_column(["25/12/2026"], order="MDY")


def test_two_digit_years_pivot_like_strptime() -> None:
    assert parse_date_column(["25/12/26", "25/12/68", "25/12/69", "25/12/99"]).values == [
        date(2026, 12, 25),
        date(2068, 12, 25),
        date(1969, 12, 25),
        date(1999, 12, 25),
    ]


def test_text_dates_mix_with_date_cells_in_one_column() -> None:
    values = ["2026-10-01 00:00:00", "2 Oct 2026", None, "46300", "25/10/2026", ""]
    assert parse_date_column(values).values == [
        date(2026, 10, 1),
        date(2026, 10, 2),
        None,
        date(2026, 10, 5),
        date(2026, 10, 25),
        None,
    ]


@pytest.mark.parametrize("blank", ["", "   ", "-", "—", "n/a", "N/A", "tbd", "TBD", "?", "none"])
def test_blank_like_values_are_none(blank: str) -> None:
    assert parse_date_column([blank, None]).values == [None, None]
    assert is_blank(blank)


@pytest.mark.parametrize(
    "text",
    ["soon", "Nov 2026", "31/02/2026", "2026-13-01", "13/13/2026", "yes", "next week", "10:30"],
)
def test_anything_else_is_an_error_naming_row_and_column(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_column(["2026-11-03", None, text, text], column="Met on", rows=[7, 8, 9, 10])
    assert caught.value.row == 9
    assert caught.value.column == "Met on"
    assert repr(text) in caught.value.reason


def test_a_yes_in_a_date_column_explains_itself() -> None:
    with pytest.raises(ParseError, match="yes/no mark"):
        parse_date_column(["yes"], column="Date contacted")


def test_rows_default_to_positions() -> None:
    with pytest.raises(ParseError) as caught:
        parse_date_column(["2026-11-03", "bad"])
    assert caught.value.row == 2


def test_infer_date_order() -> None:
    assert infer_date_order(["03/11/2026", "2026-01-01"]) is None
    assert infer_date_order(["13/11/2026"]) == "DMY"
    assert infer_date_order(["11/13/2026"]) == "MDY"
    assert infer_date_order(["13/13/2026"]) is None  # no date at all: proves nothing


def test_columns_of_one_table_share_the_order_one_of_them_proves() -> None:
    parsed = parse_date_columns(
        {"Contacted": ["03/11/2026", "04/11/2026"], "Met": ["17/11/2026", None]},
        default_order="MDY",
    )
    assert parsed["Contacted"].values == [NOV_3, date(2026, 11, 4)]
    assert parsed["Contacted"].order == "DMY"
    assert parsed["Contacted"].warnings == []
    assert parsed["Met"].values == [date(2026, 11, 17), None]


def test_columns_proving_different_orders_leave_the_others_to_the_default() -> None:
    parsed = parse_date_columns(
        {"A": ["25/10/2026"], "B": ["10/25/2026"], "C": ["01/02/2026"]}, rows=[9]
    )
    assert [parsed[c].values for c in "ABC"] == [
        [date(2026, 10, 25)], [date(2026, 10, 25)], [date(2026, 2, 1)],
    ]  # fmt: skip
    assert parsed["C"].warnings and "'C'" in parsed["C"].warnings[0]
    with pytest.raises(ParseError) as caught:
        parse_date_columns({"A": ["2026-01-01"], "B": ["someday"]}, rows=[9])
    assert (caught.value.row, caught.value.column) == (9, "B")


def test_parse_date_and_orders() -> None:
    assert parse_date("3/11/2026") == NOV_3
    assert parse_date("3/11/2026", "mdy") == date(2026, 3, 11)
    assert parse_date("n/a") is None
    assert check_date_order(" dmy ") == "DMY"
    with pytest.raises(InputError, match="YMD"):
        check_date_order("YMD")
    with pytest.raises(InputError):
        parse_date_column(["1/2/2026"], default_order="YDM")


@pytest.mark.parametrize(
    "mark",
    [
        "yes",
        "Yes",
        "YES",
        "y",
        "x",
        "X",
        "✓",
        "✔",
        "✔️",
        "true",
        "TRUE",
        "done",
        "sent",
        "1",
        " yes ",
        "Yes!",
        "ok",
    ],
)
def test_yes_marks(mark: str) -> None:
    assert parse_yes_mark(mark) is True
    assert not is_no_mark(mark)


@pytest.mark.parametrize("mark", ["no", "No", "n", "false", "FALSE", "0", "not yet", "✗"])
def test_no_marks(mark: str) -> None:
    assert parse_yes_mark(mark) is False
    assert is_no_mark(mark)


@pytest.mark.parametrize("value", [None, "", "  ", "maybe", "2026-11-03", "yesterday", "10"])
def test_other_values_are_not_yes(value: str | None) -> None:
    assert parse_yes_mark(value) is False


# ---------------------------------------------------------------------------------------
# Properties

_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_FULL = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _ordinal(n: int) -> str:
    suffix = "th" if 11 <= n % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# Formats whose reading does not depend on the day/month order.
_ORDER_FREE = {
    "cell": lambda d: f"{d.isoformat()} 00:00:00",
    "iso": lambda d: d.isoformat(),
    "iso_slash": lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    "d_mon_y": lambda d: f"{d.day} {_MONTH_ABBR[d.month - 1]} {d.year}",
    "dd-mon-yy": lambda d: f"{d.day:02d}-{_MONTH_ABBR[d.month - 1]}-{d:%y}",
    "mon_d_y": lambda d: f"{_MONTH_ABBR[d.month - 1]} {d.day}, {d.year}",
    "month_ordinal": lambda d: f"{_MONTH_FULL[d.month - 1]} {_ordinal(d.day)}, {d.year}",
    "weekday_time": lambda d: (
        f"{_WEEKDAYS[d.weekday()]} {d.day} {_MONTH_FULL[d.month - 1]} {d.year} 10:00"
    ),
    "serial": lambda d: str((d - EXCEL_EPOCH).days),
}
_TWO_DIGIT_YEAR = {"dd-mon-yy"}

any_date = st.dates(min_value=date(1900, 3, 1), max_value=date(2199, 12, 31))
pivot_date = st.dates(min_value=date(1969, 1, 1), max_value=date(2068, 12, 31))


@given(
    d=pivot_date, name=st.sampled_from(sorted(_ORDER_FREE)), default=st.sampled_from(["DMY", "MDY"])
)
def test_order_free_formats_round_trip(d: date, name: str, default: str) -> None:
    column = parse_date_column([_ORDER_FREE[name](d)], default_order=default)
    assert column.values == [d]
    assert column.warnings == []


@given(d=any_date, name=st.sampled_from(sorted(set(_ORDER_FREE) - _TWO_DIGIT_YEAR)))
def test_four_digit_year_formats_round_trip_over_centuries(d: date, name: str) -> None:
    assert parse_date_column([_ORDER_FREE[name](d)]).values == [d]


@st.composite
def numeric_style(draw: st.DrawFn) -> tuple[str, str, bool, bool]:
    order = draw(st.sampled_from(["DMY", "MDY"]))
    sep = draw(st.sampled_from(["/", ".", "-"]))
    return order, sep, draw(st.booleans()), draw(st.booleans())  # zero-padded, 2-digit year


def _numeric(d: date, order: str, sep: str, padded: bool, short_year: bool) -> str:
    day, month = (f"{d.day:02d}", f"{d.month:02d}") if padded else (str(d.day), str(d.month))
    year = f"{d:%y}" if short_year else str(d.year)
    first, second = (day, month) if order == "DMY" else (month, day)
    return sep.join((first, second, year))


@given(d=pivot_date, style=numeric_style(), wrong_default=st.booleans())
def test_numeric_dates_round_trip_where_the_column_decides(
    d: date, style: tuple[str, str, bool, bool], wrong_default: bool
) -> None:
    order = style[0]
    # A day above 12 elsewhere in the column decides the order, whatever the default.
    anchor = date(2026, 1, 25)
    values = [_numeric(d, *style), _numeric(anchor, *style)]
    default = ({"DMY", "MDY"} - {order}).pop() if wrong_default else order
    column = parse_date_column(values, default_order=default)
    assert column.values == [d, anchor]
    assert column.order == order
    assert column.warnings == []


@given(d=pivot_date, style=numeric_style())
def test_numeric_dates_round_trip_alone_under_their_own_default(
    d: date, style: tuple[str, str, bool, bool]
) -> None:
    column = parse_date_column([_numeric(d, *style)], default_order=style[0])
    assert column.values == [d]


@given(
    serial=st.integers(min_value=1, max_value=2958465),
    fraction=st.sampled_from(["", ".0", ".25", ".999"]),
)
def test_serial_numbers_round_trip(serial: int, fraction: str) -> None:
    expected = EXCEL_EPOCH + timedelta(days=serial)
    assert parse_date_column([f"{serial}{fraction}"]).values == [expected]


_YES = ["yes", "y", "x", "✓", "✔", "true", "done", "sent", "1"]
_NO = ["no", "n", "false", "0"]


def _variant(draw: st.DrawFn, mark: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(mark), max_size=len(mark)))
    cased = "".join(c.upper() if flip else c.lower() for c, flip in zip(mark, flips, strict=True))
    pad = st.text(alphabet=" \t", max_size=3)
    return draw(pad) + cased + draw(pad)


@given(data=st.data(), mark=st.sampled_from(_YES))
def test_yes_marks_in_any_case_and_padding(data: st.DataObject, mark: str) -> None:
    assert parse_yes_mark(_variant(data.draw, mark)) is True


@given(data=st.data(), mark=st.sampled_from([*_NO, ""]))
def test_no_marks_and_blanks_are_never_yes(data: st.DataObject, mark: str) -> None:
    assert parse_yes_mark(_variant(data.draw, mark)) is False


@given(text=st.text(max_size=12))
def test_yes_only_for_the_listed_marks(text: str) -> None:
    key = text.strip().rstrip(".!").strip().casefold().replace("\ufe0f", "")
    assert parse_yes_mark(text) is (key in {*_YES, "✅", "☑", "ok"})


_DATEISH = st.sampled_from(
    [*"0123456789/.-: ,", "Nov", "March", "th", "Tue", "am", "T", "  ", "é", "of"]
)


@given(text=st.one_of(st.text(max_size=30), st.lists(_DATEISH, max_size=10).map("".join)))
def test_any_text_is_a_date_none_or_a_parse_error(text: str) -> None:
    try:
        [value] = parse_date_column([text], column="C").values
    except ParseError as e:
        assert (e.row, e.column) == (1, "C")
    else:
        assert value is None or isinstance(value, date)
