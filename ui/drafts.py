"""The "Email drafts" page section: the drafts that fit a contact now, each ready to copy.

Used by the Debrief page and meant for the Meeting prep page: ``show_drafts(contact_id)``.
"""

from __future__ import annotations

import streamlit as st

from infoint_core.drafts import Draft, drafts_for
from infoint_core.errors import InfointError
from ui import as_of, escape_markdown, get_store, show_error


def show_drafts(contact_id: int, *, heading: str | None = "Email drafts") -> None:
    """Every draft that fits where the contact stands today, one expander each; a short
    note when none does. Errors are shown, not raised."""
    try:
        drafts = drafts_for(get_store(), contact_id, as_of=as_of())
    except InfointError as error:
        show_error(error)
        return
    if heading:
        st.subheader(heading)
    if not drafts:
        st.caption("No email is due to this contact right now.")
        return
    for draft in drafts:
        with st.expander(draft.title, icon=":material/mail:"):
            show_draft(draft)


def show_draft(draft: Draft) -> None:
    """One draft: whom it goes to, then subject and body as plain text, each with a copy
    button; a tip underneath when the log could make it better."""
    if draft.to:
        st.caption(f"To: {escape_markdown(draft.to)}")
    st.code(draft.subject, language=None, wrap_lines=True)
    st.code(draft.body, language=None, wrap_lines=True)
    if draft.tip:
        st.caption(escape_markdown(draft.tip))
