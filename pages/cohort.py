"""Cohort: a career centre's view of its students' shares, small groups never shown."""

import functools
import hashlib

import streamlit as st
from streamlit.typing import UploadedFile

from infoint_core.cohort import (
    BREAKDOWNS,
    MIN_CELL_DEFAULT,
    MIN_CELL_FLOOR,
    VIEWS,
    CohortFacts,
    NoShareError,
    display_frame,
    fewer_than,
    read_cohort,
    summarise_cohort,
    suppression_note,
    view_frame,
)
from infoint_core.cohort_charts import (
    activity_chart,
    cohort_funnel_chart,
    gaps_chart,
    interviews_chart,
)
from infoint_core.cohort_report import cohort_html, cohort_xlsx
from infoint_core.errors import InfointError
from ui import percent, show_error

CHARTS = {
    "funnel": cohort_funnel_chart,
    "interviews": interviews_chart,
    "gaps": gaps_chart,
    "activity": activity_chart,
}
WHOLE = "Whole cohort"
UPLOADS = "cohort_uploads"  # the uploader's key in the session state
SPLITS = {WHOLE: None, **{f"By {label.lower()}": key for key, label in BREAKDOWNS.items()}}


@st.cache_data(show_spinner="Reading the shares…", max_entries=4)
def cohort_facts(
    fingerprint: tuple[tuple[str, int, str], ...], _uploads: list[UploadedFile]
) -> CohortFacts:
    """The shares' facts, read once per set of files. Keyed on each file's name, size and
    digest (``fingerprint``), not its bytes: the uploads are read once, never kept."""
    return read_cohort([(upload.name, upload.getvalue()) for upload in _uploads])


def fingerprint(uploads: list[UploadedFile]) -> tuple[tuple[str, int, str], ...]:
    """What tells one set of uploads from another, in a few bytes a file."""
    return tuple(
        (upload.name, upload.size, hashlib.blake2b(upload.getvalue(), digest_size=16).hexdigest())
        for upload in uploads
    )


def tile(column, label: str, frame, figure: str, kind: str, min_cell: int, help_text: str):
    """A metric of the whole cohort, "fewer than N" when withheld."""
    row = frame.row(0, named=True)
    if figure in row["withheld"]:
        shown = fewer_than(min_cell)
    elif row[figure] is None:
        shown = "–"
    elif kind == "share":
        shown = percent(row[figure])
    else:
        shown = f"{row[figure]:,.1f}".removesuffix(".0")
    column.metric(label, shown, help=help_text)


st.title("Cohort")
st.write(
    "How your students network, where they stall, whether they follow up and how far "
    "their referral chains reach, by programme and graduation year, from the shares they "
    "send you. No contact's personal data is in a share, and no figure about fewer than "
    "a handful of students is ever shown."
)
st.file_uploader(
    "Share files, or a zip of them",
    accept_multiple_files=True,
    help="Files named like `s-3f9a….infoint-share.parquet`; a zip may hold many.",
    key=UPLOADS,
)
# The files as Streamlit keeps them, not what the uploader returns: a copy of them made on
# every run (33 MB for 2,000 shares), which added about as much to the dashboard's peak
# while the shares were read, and 30-45 MB more with each run while the page held it.
uploads: list[UploadedFile] = st.session_state[UPLOADS] or []
if not uploads:
    st.info(
        "**What is a share?** A student makes one on the *Share with my career centre* page "
        "(or with `infoint share`): one Parquet file holding their programme, graduation "
        "year and a random code instead of their name, and for each person they network "
        "with only a random code, a broad source and industry, who introduced whom, and "
        "the dated steps (outreach, answers, meetings, thank-yous). Never names, emails, "
        "profile links, organisations, positions or notes.\n\n"
        "Ask your students to send you theirs, then upload them here, several at once or in "
        "a zip. A newer share from the same student replaces the older one.",
        icon=":material/info:",
    )
    st.stop()

min_cell = int(
    st.number_input(
        "Smallest group shown (students)",
        min_value=MIN_CELL_FLOOR,
        value=MIN_CELL_DEFAULT,
        step=1,
        help=f"A figure about fewer students than this is withheld (at least {MIN_CELL_FLOOR}).",
    )
)
try:
    facts = cohort_facts(fingerprint(uploads), uploads)
except NoShareError as error:
    for problem in error.errors:
        show_error(InfointError(str(problem)))
    show_error(error)
    st.stop()
except InfointError as error:
    show_error(error)
    st.stop()
for problem in facts.errors:
    show_error(InfointError(f"{problem} (skipped; the other files are read)"))

try:
    summary = summarise_cohort(facts, min_cell)
except InfointError as error:
    show_error(error)
    st.stop()

about = f"{summary.students:,} students, judged on {summary.as_of:%d %B %Y}."
if summary.replaced:
    about += f" {summary.replaced:,} older shares were replaced by newer ones."
st.caption(about)
active = view_frame(summary, "active")
per_student = view_frame(summary, "per_student").filter(stage="interviewed")
columns = st.columns(5)
columns[0].metric("Students", f"{summary.students:,}", help="Shares loaded (one per student).")
tile(columns[1], "Active", active, "share", "share", min_cell,
     "Students with an outreach in the last 30 days.")  # fmt: skip
tile(columns[2], "Median interviews", per_student, "median", "number", min_cell,
     "Interviews held by the median student.")  # fmt: skip
tile(columns[3], "Days to thank-you", view_frame(summary, "thank_you"), "median_days", "number",
     min_cell, "Median days from an interview to the thank-you.")  # fmt: skip
tile(columns[4], "Led to a referral", view_frame(summary, "referrals"), "referral_rate",
     "share", min_cell, "Interviews after which the contact introduced someone new.")  # fmt: skip

split = st.segmented_control("Show", list(SPLITS), default=WHOLE) or WHOLE
breakdown = SPLITS[split]
for view in VIEWS[1:]:
    st.subheader(view.title)
    st.caption(view.description)
    if view.key in CHARTS:
        st.altair_chart(CHARTS[view.key](summary, breakdown), width="stretch")
    st.dataframe(display_frame(summary, view.key, breakdown), hide_index=True, width="stretch")
if summary.figures["suppressed"].any():
    st.caption(suppression_note(min_cell))

st.subheader("Reports")
left, right = st.columns(2)
left.download_button(
    "Download the report (.xlsx)",
    functools.partial(cohort_xlsx, summary),
    file_name=f"cohort-{summary.as_of:%Y-%m-%d}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    icon=":material/download:",
)
right.download_button(
    "Download a printable summary (.html)",
    functools.partial(cohort_html, summary),
    file_name=f"cohort-{summary.as_of:%Y-%m-%d}.html",
    mime="text/html",
    icon=":material/print:",
)
