"""Targets: the organisations the student wants to work for, and the way in to each."""

import streamlit as st

from infoint_core.charts import target_coverage_chart
from infoint_core.errors import InfointError
from infoint_core.targets import add_target, remove_target, target_coverage
from ui import (
    as_of,
    current_owner,
    escape_markdown,
    get_store,
    owner_id,
    owner_id_for_writes,
    read,
    show_chart,
    show_error,
)

st.title("Targets")
st.write(
    "Keep your list of employers here. For each one you see the people you already know "
    "there, whom you have contacted and whom you have met: where you have a warm way in, "
    "and where you still need to find someone."
)
owner = current_owner()

with st.form("add_target", clear_on_submit=True):
    organisation = st.text_input("Add an organisation", placeholder="e.g. Contoso Health")
    if st.form_submit_button("Add target", type="primary"):
        try:
            add_target(get_store(), owner_id_for_writes(owner), organisation)
            st.rerun()
        except InfointError as error:
            show_error(error)

try:
    coverage = read(target_coverage, owner_id(owner), as_of())
except InfointError as error:
    show_error(error)
    st.stop()

if coverage.is_empty():
    st.info("No targets yet: add the organisations you would like to work for.")
    st.stop()

show_chart(
    target_coverage_chart(coverage),
    coverage,
    {
        "organisation": "Organisation",
        "known": "People known",
        "contacted": "Contacted",
        "interviewed": "Met",
        "warm_way_in": "Warm way in",
    },
)
cold = coverage.filter(coverage["known"] == 0)["organisation"].to_list()
if cold:
    st.warning(
        "Nobody known yet at: "
        + ", ".join(map(escape_markdown, cold))
        + ". Look for alumni or ask your "
        "contacts whom they know there.",
        icon=":material/person_search:",
    )

with st.form("remove_target"):
    chosen = st.selectbox("Remove a target", coverage["organisation"].to_list())
    if st.form_submit_button("Remove"):
        try:
            remove_target(get_store(), owner_id_for_writes(owner), chosen)
            st.rerun()
        except InfointError as error:
            show_error(error)
