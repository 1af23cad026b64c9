"""Cohort reports: an Excel workbook and a printable HTML page, from a ``CohortSummary``.

Both show exactly what the page and the JSON show: the figures released by small-cell
protection, a withheld one as "fewer than N", with the note that explains it. Group
names are typed by students, so every text cell of the workbook is neutralised against
formula injection (``exports.neutralise``) and every text of the page is HTML-escaped.
Charts are rendered to PNG with vl-convert (``charts.save_chart``).
"""

from __future__ import annotations

import base64
import html
import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import altair as alt
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from infoint_core.charts import save_chart
from infoint_core.cohort import (
    CohortSummary,
    fewer_than,
    format_figure,
    suppression_note,
    view_frame,
)
from infoint_core.cohort_charts import (
    activity_chart,
    cohort_funnel_chart,
    gaps_chart,
    interviews_chart,
)
from infoint_core.cohort_views import BREAKDOWNS, OVERALL, STUDENTS, VIEWS, CohortView, Format
from infoint_core.errors import InfointError
from infoint_core.exports import neutralise

ChartBuilder = Callable[[CohortSummary], alt.TopLevelMixin]

# The chart drawn beside each view, where there is one.
CHARTS: dict[str, ChartBuilder] = {
    "funnel": cohort_funnel_chart,
    "interviews": interviews_chart,
    "gaps": lambda summary: gaps_chart(summary, "programme"),
    "activity": activity_chart,
}
_NUMBER_FORMATS = {
    Format.INTEGER: "#,##0",
    Format.NUMBER: "0.0",
    Format.DAYS: "0.0",
    Format.SHARE: "0%",
}
_HEADER_FILL = PatternFill("solid", fgColor="1F3B57")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_IMAGE_WIDTH = 640  # pixels the chart takes in the sheet


@dataclass(frozen=True, slots=True)
class _Table:
    """A view's rows for every group, ready to write: headers, then cells with a format;
    a withheld cell is the "fewer than N" text, a missing one None."""

    headers: list[str]
    formats: list[Format | None]
    rows: list[list[Any]]


def cohort_xlsx(summary: CohortSummary) -> bytes:
    """The report as an Excel workbook: a summary sheet, then a sheet per view with every
    group (the whole cohort, each programme, each graduation year) and its chart.

    Raises InfointError when a chart cannot be rendered.
    """
    workbook = Workbook()
    _summary_sheet(workbook.active, summary)
    images = _chart_images(summary)
    for spec in VIEWS[1:]:
        sheet = workbook.create_sheet(_sheet_title(spec.title))
        table = _table(summary, spec)
        _write_table(sheet, table, summary.min_cell, spec)
        if spec.key in images:
            image = Image(io.BytesIO(images[spec.key]))
            ratio = _IMAGE_WIDTH / image.width
            image.width, image.height = _IMAGE_WIDTH, int(image.height * ratio)
            sheet.add_image(image, f"{get_column_letter(len(table.headers) + 2)}1")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def cohort_html(summary: CohortSummary) -> str:
    """The report as one printable HTML page (charts inlined as PNG, nothing fetched).

    Raises InfointError when a chart cannot be rendered.
    """
    images = _chart_images(summary)
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Cohort report</title>",
        f"<style>{_CSS}</style></head><body>",
        "<h1>Cohort report</h1>",
        f"<p class=lead>{_esc(_headline(summary))}</p>",
        f"<p class=note>{_esc(suppression_note(summary.min_cell))}</p>",
    ]
    for spec in VIEWS[1:]:
        parts += [f"<section><h2>{_esc(spec.title)}</h2>", f"<p>{_esc(spec.description)}</p>"]
        if spec.key in images:
            data = base64.b64encode(images[spec.key]).decode("ascii")
            parts.append(f'<img src="data:image/png;base64,{data}" alt="{_esc(spec.title)} chart">')
        parts.append(_html_table(_table(summary, spec), summary.min_cell))
        parts.append("</section>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_xlsx_report(summary: CohortSummary, path: str | Path) -> Path:
    """Write ``cohort_xlsx`` to ``path``; returns it. Raises InfointError when it cannot."""
    return _write(Path(path), cohort_xlsx(summary))


def write_html_report(summary: CohortSummary, path: str | Path) -> Path:
    """Write ``cohort_html`` to ``path``; returns it. Raises InfointError when it cannot."""
    return _write(Path(path), cohort_html(summary).encode("utf-8"))


def chart_png(chart: alt.TopLevelMixin) -> bytes:
    """``chart`` rendered as PNG bytes (via ``charts.save_chart``)."""
    with tempfile.TemporaryDirectory() as folder:
        return save_chart(chart, Path(folder) / "chart.png").read_bytes()


# Inside --------------------------------------------------------------------------------


def _chart_images(summary: CohortSummary) -> dict[str, bytes]:
    return {key: chart_png(build(summary)) for key, build in CHARTS.items()}


def _write(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as e:
        raise InfointError(f"cannot write the report to {path}: {e.strerror or e}") from e
    return path


def _headline(summary: CohortSummary) -> str:
    replaced = f", {summary.replaced:,} older shares replaced" if summary.replaced else ""
    return (
        f"{summary.students:,} students, judged on {summary.as_of:%d %B %Y}{replaced}. "
        f"No figure rests on fewer than {summary.min_cell} students."
    )


def _table(summary: CohortSummary, spec: CohortView) -> _Table:
    """Every group's rows of ``spec``: the whole cohort, then each breakdown's groups."""
    headers = ["Breakdown", "Group"]
    formats: list[Format | None] = [None, None]
    if spec.row_key:
        headers.append(spec.row_label)
        formats.append(None)
    headers += [f.label for f in spec.figures]
    formats += [f.format for f in spec.figures]
    hidden = fewer_than(summary.min_cell)
    frames = [view_frame(summary, spec.key)] + [
        view_frame(summary, spec.key, b) for b in BREAKDOWNS
    ]
    rows = []
    for frame in frames:
        for row in frame.iter_rows(named=True):
            cells: list[Any] = [_breakdown_name(row["breakdown"]), row["group"]]
            if spec.row_key:
                cells.append(spec.row_name(row[spec.row_key]))
            cells += [hidden if f.key in row["withheld"] else row[f.key] for f in spec.figures]
            rows.append(cells)
    return _Table(headers, formats, rows)


def _breakdown_name(breakdown: str) -> str:
    return "Whole cohort" if breakdown == OVERALL else BREAKDOWNS[breakdown]


def _summary_sheet(sheet: Worksheet, summary: CohortSummary) -> None:
    sheet.title = "Summary"
    sheet["A1"] = "Cohort report"
    sheet["A1"].font = Font(bold=True, size=16)
    facts = [
        ("Judged on", summary.as_of),
        ("Students", summary.students),
        ("Older shares replaced", summary.replaced),
        ("Files that could not be read", len(summary.errors)),
        ("Smallest group shown (students)", summary.min_cell),
    ]
    for offset, (label, value) in enumerate(facts, start=3):
        sheet.cell(offset, 1, label).font = Font(bold=True)
        cell = sheet.cell(offset, 2, value)
        if label == "Judged on":
            cell.number_format = "yyyy-mm-dd"
    note = sheet.cell(len(facts) + 4, 1, _cell_text(suppression_note(summary.min_cell)))
    note.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.merge_cells(start_row=note.row, start_column=1, end_row=note.row, end_column=4)
    sheet.row_dimensions[note.row].height = 45
    table = _table(summary, STUDENTS)
    start = note.row + 2
    for column, header in enumerate(table.headers, start=1):
        _header(sheet.cell(start, column, header))
    for offset, row in enumerate(table.rows, start=start + 1):
        for column, value in enumerate(row, start=1):
            sheet.cell(offset, column, _cell_value(value))
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 30
    sheet.column_dimensions["C"].width = 14
    sheet.column_dimensions["D"].width = 14


def _write_table(sheet: Worksheet, table: _Table, min_cell: int, spec: CohortView) -> None:
    for column, header in enumerate(table.headers, start=1):
        _header(sheet.cell(1, column, header))
    for offset, row in enumerate(table.rows, start=2):
        for column, (value, kind) in enumerate(zip(row, table.formats, strict=True), start=1):
            cell = sheet.cell(offset, column, _cell_value(value))
            if kind is not None and isinstance(value, int | float):
                cell.number_format = _NUMBER_FORMATS[kind]
                cell.alignment = Alignment(horizontal="right")
            elif kind is not None:
                cell.alignment = Alignment(horizontal="right")
    notes = [spec.description, suppression_note(min_cell)]
    for offset, text in enumerate(notes, start=len(table.rows) + 3):
        sheet.cell(offset, 1, _cell_text(text)).font = Font(italic=True)
    for column, header in enumerate(table.headers, start=1):
        longest = max([len(header), *(len(str(r[column - 1] or "")) for r in table.rows)])
        sheet.column_dimensions[get_column_letter(column)].width = min(max(longest + 2, 10), 40)
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 30


def _header(cell: Any) -> None:
    cell.value = _cell_text(str(cell.value))
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _cell_value(value: Any) -> Any:
    if isinstance(value, str):
        return _cell_text(value)
    return value


def _cell_text(text: str) -> str:
    """Text as a workbook cell holds it safely: no control characters, no formula."""
    return neutralise(_NOT_IN_XML.sub("", text))


def _sheet_title(title: str) -> str:
    return re.sub(r"[\\/?*\[\]:]", "-", title)[:31]


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def _html_table(table: _Table, min_cell: int) -> str:
    hidden = fewer_than(min_cell)
    head = "".join(f"<th>{_esc(h)}</th>" for h in table.headers)
    body = []
    for row in table.rows:
        cells = []
        for value, kind in zip(row, table.formats, strict=True):
            if kind is None:
                cells.append(f"<td>{_esc(str(value))}</td>")
            elif value == hidden:
                cells.append(f'<td class="num withheld">{_esc(hidden)}</td>')
            else:
                cells.append(f'<td class="num">{_esc(format_figure(value, kind))}</td>')
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto;
       max-width: 60rem; color: #1b1b1b; line-height: 1.4; }
h1 { margin-bottom: 0.2rem; }
h2 { margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: 0.2rem; }
.lead { font-size: 1.1rem; }
.note { color: #555; font-size: 0.9rem; }
img { max-width: 100%; height: auto; display: block; margin: 0.5rem 0 1rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #1f3b57; color: #fff; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.withheld { color: #777; font-style: italic; }
@media print {
  body { margin: 0; max-width: none; }
  section { break-inside: avoid-page; }
  th { background: #ddd; color: #000; -webkit-print-color-adjust: exact; }
}
"""
