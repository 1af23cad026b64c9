"""infoint: the dashboard. Run with ``streamlit run app.py``.

Single-user by default; with sign-in switched on (see SECURITY.md) a student gets the log
pages on their own workspace and a career centre adviser gets the Cohort page only.
"""

from pathlib import Path

import streamlit as st

import infoint_core  # noqa: F401  (first: it sets Polars' allocator up before ui loads Polars)
from ui import pages_for_session

ICON = Path(__file__).parent / "assets" / "icon.png"  # local: the app makes no network calls

st.set_page_config(page_title="infoint", page_icon=str(ICON), layout="wide")

LOG_PAGES = {
    "Your log": [
        st.Page("pages/overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page("pages/followups.py", title="Follow-ups", icon=":material/notifications:"),
        st.Page("pages/contacts.py", title="Contacts", icon=":material/contacts:"),
        st.Page("pages/prep.py", title="Meeting prep", icon=":material/checklist:"),
        st.Page("pages/debrief.py", title="Debrief", icon=":material/rate_review:"),
        st.Page("pages/import_files.py", title="Import", icon=":material/upload_file:"),
        st.Page("pages/share.py", title="Share", icon=":material/share:"),
    ],
    "Insights": [
        st.Page("pages/funnel.py", title="Funnel", icon=":material/filter_alt:"),
        st.Page("pages/referrals.py", title="Referrals", icon=":material/account_tree:"),
        st.Page("pages/network.py", title="Network", icon=":material/hub:"),
        st.Page("pages/targets.py", title="Targets", icon=":material/flag:"),
    ],
}
CAREER_CENTRE_PAGES = {
    "Career centre": [
        st.Page("pages/cohort.py", title="Cohort", icon=":material/groups:"),
    ],
}
st.navigation(pages_for_session(LOG_PAGES, CAREER_CENTRE_PAGES)).run()
