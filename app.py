"""infoint: the dashboard. Run with ``streamlit run app.py``."""

from pathlib import Path

import streamlit as st

ICON = Path(__file__).parent / "assets" / "icon.png"  # local: the app makes no network calls

st.set_page_config(page_title="infoint", page_icon=str(ICON), layout="wide")

PAGES = {
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
    "Career centre": [
        st.Page("pages/cohort.py", title="Cohort", icon=":material/groups:"),
    ],
}
st.navigation(PAGES).run()
