"""Overview: how the networking is going, and the next five things to do."""

import streamlit as st

from infoint_core.activity import activity_by_week, outreach_streak
from infoint_core.charts import activity_chart
from infoint_core.demo import clear_demo, has_demo
from infoint_core.errors import InfointError
from infoint_core.gaps import find_gaps
from infoint_core.overview import compute_overview
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
    st.page_link("pages/import_files.py", label="Import your LinkedIn data export", icon="📦")
    st.page_link("pages/import_files.py", label="Import your own tracker spreadsheet", icon="📄")
    st.page_link("pages/contacts.py", label="Add the first person by hand", icon="➕")
    st.stop()

tiles = st.columns(4)
tiles[0].metric("Contacts", f"{overview.contacts:,}")
tiles[1].metric("Interviews this month", f"{overview.interviews_this_month:,}")
tiles[2].metric("Outreach → interview", percent(overview.outreach_to_interview))
tiles[3].metric("Follow-ups due", f"{overview.open_gaps:,}")

st.subheader("Next steps")
if gaps.is_empty():
    st.success("Nothing is overdue. Keep reaching out!", icon=":material/task_alt:")
for gap in gaps.head(5).to_dicts():
    st.markdown(f"- {escape_markdown(gap['next_step'])}")
if gaps.height > 5:
    st.page_link("pages/followups.py", label=f"All {gaps.height:,} follow-ups", icon="➡️")

if streak.current:
    st.caption(
        f"Outreach streak: {streak.current} week(s) in a row with at least one outreach "
        f"(your longest: {streak.longest})."
    )
elif streak.longest:
    st.caption(f"No outreach this week or last; your longest streak was {streak.longest} week(s).")
show_chart(
    activity_chart(activity),
    activity,
    {"week": "Week", "kind": "Step", "count": "Count"},
)
