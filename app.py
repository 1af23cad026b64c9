"""infoint: the dashboard. Run with ``streamlit run app.py``."""

import streamlit as st

st.set_page_config(page_title="infoint", page_icon=":material/handshake:", layout="wide")

navigation = st.navigation(
    [
        st.Page("pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page("pages/import_files.py", title="Import", icon=":material/upload_file:"),
        st.Page("pages/contacts.py", title="Contacts", icon=":material/contacts:"),
    ]
)
navigation.run()
