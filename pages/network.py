"""Network: who the LinkedIn network is made of, and how it grew."""

import streamlit as st

from infoint_core.activity import contacts_over_time
from infoint_core.charts import (
    connections_per_year_chart,
    contacts_over_time_chart,
    top_organisations_chart,
    top_positions_chart,
)
from infoint_core.errors import InfointError
from infoint_core.network import connections_per_year, top_organisations, top_positions
from ui import as_of, current_owner, owner_id, read, show_chart, show_error

st.title("Network")
st.write("Where the people you know work, what they do, and how your network grew.")
owner = owner_id(current_owner())
try:
    organisations = read(top_organisations, owner, as_of())
    positions = read(top_positions, owner, as_of())
    per_year = read(connections_per_year, owner, as_of())
    growth = read(contacts_over_time, owner, as_of())
except InfointError as error:
    show_error(error)
    st.stop()

if organisations.is_empty() and per_year.is_empty():
    st.info(
        "Nothing to show yet: import your LinkedIn connections (Import page) to see "
        "your network's make-up.",
        icon=":material/info:",
    )
    st.stop()

left, right = st.columns(2)
with left:
    show_chart(
        top_organisations_chart(organisations),
        organisations,
        {"organisation": "Organisation", "contacts": "Contacts"},
    )
with right:
    show_chart(
        top_positions_chart(positions), positions, {"position": "Position", "contacts": "Contacts"}
    )
left, right = st.columns(2)
with left:
    show_chart(
        connections_per_year_chart(per_year),
        per_year,
        {"year": "Year", "connections": "New connections"},
    )
with right:
    show_chart(
        contacts_over_time_chart(growth),
        growth,
        {"month": "Month", "added": "Added", "total": "Total contacts"},
    )
