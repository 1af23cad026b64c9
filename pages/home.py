"""Home: what infoint is, and where the workspace stands."""

from datetime import date

import altair as alt
import streamlit as st

from infoint_core.demo import clear_demo, has_demo
from infoint_core.errors import InfointError
from infoint_core.ingest import list_imports
from infoint_core.stages import stage_counts
from ui import get_store, show_error

st.title("infoint")
st.write(
    "Your information-interview log in one place: who you have found, contacted and met, "
    "and what to do next. Import a LinkedIn data export or your own tracker to begin."
)

try:
    store = get_store()
    if has_demo(store):
        with st.container(border=True):
            st.info("You are looking at **demo data**: a made-up student's log.", icon="🧪")
            if st.button("Clear the demo and start my own log", type="primary"):
                clear_demo(store)
                st.rerun()
    counts = stage_counts(store, None, date.today())
    imports = list_imports(store)
except InfointError as error:
    show_error(error)
    st.stop()

total = int(counts["contacts"].sum())
st.metric("Contacts", f"{total:,}")
if total:
    chart = (
        alt.Chart(counts, title="Contacts by the furthest stage reached")
        .mark_bar()
        .encode(
            x=alt.X("stage:N", sort=list(counts["stage"]), title="Stage"),
            y=alt.Y("contacts:Q", title="Contacts"),
            tooltip=[alt.Tooltip("stage:N", title="Stage"), alt.Tooltip("contacts:Q")],
        )
    )
    st.altair_chart(chart, width="stretch")
    st.dataframe(counts.select("stage", "contacts"), hide_index=True)
else:
    st.write(
        "No contacts yet. Import your LinkedIn export or tracker with "
        "`infoint import PATH`, or start from the template: `infoint template tracker.xlsx`."
    )

if imports:
    st.subheader("Recent imports")
    st.dataframe(imports, hide_index=True)
