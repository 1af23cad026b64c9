"""Overview: how the networking is going, and the next five things to do."""

import streamlit as st

from infoint_core.activity import activity_by_week, outreach_streak
from infoint_core.charts import activity_chart
from infoint_core.demo import clear_demo, has_demo, load_demo
from infoint_core.errors import InfointError
from infoint_core.gaps import find_gaps
from infoint_core.humanize import count, plural
from infoint_core.overview import compute_overview
from infoint_core.template import template_bytes
from ui import (
    as_of,
    current_owner,
    escape_markdown,
    get_store,
    owner_id,
    percent,
    read,
    show_chart,
    show_error,
)

st.title("Overview")
owner = owner_id(current_owner())
try:
    if read(has_demo):
        with st.container(border=True):
            st.info(
                "You are looking at **demo data**: the log of a made-up student, so you can "
                "see what infoint shows. Clear it when you are ready to start your own.",
                icon=":material/science:",
            )
            if st.button("Clear the demo and start my own log", type="primary"):
                clear_demo(get_store())
                st.rerun()
    overview = read(compute_overview, owner, as_of())
    gaps = read(find_gaps, owner, as_of())
    activity = read(activity_by_week, owner, as_of())
    streak = read(outreach_streak, owner, as_of())
except InfointError as error:
    show_error(error)
    st.stop()

if not overview.contacts:
    st.write(
        "**infoint keeps your information-interview log and tells you what to do next.** "
        "Bring in the people you know and the conversations you have had, and it shows how "
        "your networking is going: who answered, whom you met, whom to thank or follow up."
    )
    linkedin, tracker, template, demo = st.columns(4)
    with linkedin.container(border=True, height="stretch"):
        st.markdown("**Your LinkedIn data**")
        st.caption("The export LinkedIn emails you: your connections, invitations and messages.")
        st.page_link("pages/import_files.py", label="Import it", icon=":material/upload_file:")
    with tracker.container(border=True, height="stretch"):
        st.markdown("**Your own tracker**")
        st.caption("The spreadsheet (Excel or CSV) where you already log your networking.")
        st.page_link("pages/import_files.py", label="Import it", icon=":material/upload_file:")
    with template.container(border=True, height="stretch"):
        st.markdown("**No tracker yet?**")
        st.caption("Start one from our template, then import it when it has a few rows.")
        st.download_button(
            "Download the template",
            template_bytes,
            file_name="infoint-tracker.xlsx",
            icon=":material/download:",
            on_click="ignore",
        )
    with demo.container(border=True, height="stretch"):
        st.markdown("**Just looking?**")
        st.caption("Explore the log of a made-up student; clear it whenever you like.")
        if st.button("Load the demo", icon=":material/science:"):
            load_demo(get_store())
            st.rerun()
    st.page_link(
        "pages/contacts.py", label="Or add the first person by hand", icon=":material/person_add:"
    )
    st.stop()

tiles = st.columns(4)
tiles[0].metric("Contacts", count(overview.contacts))
tiles[1].metric("Interviews this month", count(overview.interviews_this_month))
tiles[2].metric("Outreach → interview", percent(overview.outreach_to_interview))
tiles[3].metric("Follow-ups due", count(overview.open_gaps))

st.subheader("Next steps")
if gaps.is_empty():
    st.success("Nothing is overdue. Keep reaching out!", icon=":material/task_alt:")
for gap in gaps.head(5).to_dicts():
    st.markdown(f"- {escape_markdown(gap['next_step'])}")
if gaps.height > 5:
    st.page_link(
        "pages/followups.py",
        label=f"All {count(gaps.height)} follow-ups",
        icon=":material/arrow_forward:",
    )

if streak.current:
    st.caption(
        f"Outreach streak: {plural(streak.current, 'week')} in a row with at least one "
        f"outreach (your longest: {plural(streak.longest, 'week')})."
    )
elif streak.longest:
    st.caption(
        f"No outreach this week or last; your longest streak was {plural(streak.longest, 'week')}."
    )
show_chart(
    activity_chart(activity),
    activity,
    {"week": "Week", "kind": "Step", "count": "Count"},
)
