"""Share with my career centre: a de-identified file of the log, shown before it goes."""

import streamlit as st

from infoint_core.demo import has_demo
from infoint_core.errors import InfointError
from infoint_core.owners import list_owners
from infoint_core.share import (
    FIRST_YEAR,
    LAST_YEAR,
    PARQUET_MIME,
    preview_share,
    save_share_profile,
    share_bytes,
    share_file_name,
)
from ui import as_of, current_owner, escape_markdown, get_store, read, show_error

st.title("Share with my career centre")
st.write(
    "The file tells your career centre how your networking goes: each contact as a random "
    "code, with how you found them, a broad industry, who introduced whom and the dates of "
    "your steps, plus your programme, graduation year and a random code for you. It never "
    "holds a name, email address, profile link, organisation, job title, note or message."
)
owner = current_owner()
try:
    owners = read(list_owners)
    student = owner or (owners[0] if owners else None)
    preview = read(preview_share, student.id, as_of()) if student else None
    demo = read(has_demo)
except InfointError as error:
    show_error(error)
    st.stop()

if student is None or preview is None or not preview.contacts:
    st.info(
        "Nothing to share yet: your log holds no contacts. Import your LinkedIn export or "
        "your tracker first, then come back to see exactly what the file would hold.",
        icon=":material/info:",
    )
    st.page_link("pages/import_files.py", label="Import your log", icon=":material/upload_file:")
    st.stop()

st.subheader("About you")
profile = preview.profile
if profile.complete:
    st.write(
        f"Programme: **{escape_markdown(profile.programme or '')}** · "
        f"Graduation year: **{profile.graduation_year}**"
    )
    where = st.expander("Change your programme or graduation year")
else:
    st.info(
        "Asked once and kept: your career centre groups its figures by programme and "
        "graduation year.",
        icon=":material/school:",
    )
    where = st.container()
with where, st.form("share_profile"):
    programme = st.text_input(
        "Programme", value=profile.programme or "", placeholder="e.g. MSc Data Science",
        key="share_programme",
    )  # fmt: skip
    year = st.number_input(
        "Graduation year", min_value=FIRST_YEAR, max_value=LAST_YEAR,
        value=profile.graduation_year, step=1, placeholder="e.g. 2027", key="share_year",
    )  # fmt: skip
    if st.form_submit_button("Save", type="primary"):
        try:
            save_share_profile(
                get_store(), student.id, programme, None if year is None else int(year)
            )
            st.rerun()
        except InfointError as error:
            show_error(error)

st.subheader("What the file holds")
tiles = st.columns(3)
tiles[0].metric("Contacts", f"{preview.contacts:,}")
tiles[1].metric("Steps", f"{preview.steps:,}")
tiles[2].metric("Referral links", f"{preview.referrals:,}")
st.caption(
    f"{preview.total_rows:,} rows: one for each step, and one for each contact with no step."
)
st.dataframe(
    preview.columns.rename({"column": "Column", "explanation": "What it holds"}),
    hide_index=True, width="stretch",
)  # fmt: skip
st.write("**The first rows, as they are in the file**")
st.dataframe(preview.rows, hide_index=True, width="stretch")
st.write("**The file's header**")
st.dataframe(
    preview.details.rename({"key": "Key", "value": "Value", "explanation": "What it is"}),
    hide_index=True, width="stretch",
)  # fmt: skip

if demo:
    st.warning(
        "Your workspace still holds the demo log: its made-up contacts are in this file "
        "too. Clear the demo on the Overview page before you share.",
        icon=":material/science:",
    )
    st.page_link("pages/overview.py", label="Overview", icon=":material/dashboard:")

if not profile.complete:
    st.info("Save your programme and graduation year above to download the file.")
    st.stop()
try:
    data = share_bytes(get_store(), student.id, as_of=as_of())
    file_name = share_file_name(get_store(), student.id)
except InfointError as error:
    show_error(error)
    st.stop()
st.download_button(
    "Download my share file", data, file_name=file_name, mime=PARQUET_MIME, type="primary",
    icon=":material/download:",
)  # fmt: skip
st.caption(
    "Send it to your career centre the way they ask. Share again whenever you like: "
    "a newer file of yours replaces the older one."
)
