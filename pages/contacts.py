"""Contacts: find people, log a step in a couple of clicks, edit, add someone by hand."""

from datetime import date

import streamlit as st

from infoint_core.contacts import list_contacts
from infoint_core.errors import InfointError
from infoint_core.logbook import STEP_LABELS, add_contact, log_step, update_contact
from infoint_core.records import STAGE_LABELS, STAGES, Stage
from ui import as_of, current_owner, get_store, owner_name, read, show_error

COLUMNS = {
    "name": "Name",
    "company": "Organisation",
    "position": "Position",
    "stage": "Stage",
    "source": "Source",
    "referred_by": "Referred by",
    "connected_on": "Connected on",
    "email": "Email",
    "linkedin_url": "LinkedIn",
}

st.title("Contacts")
owner = owner_name(current_owner())
try:
    contacts = read(list_contacts, owner, as_of())
except InfointError as error:
    show_error(error)
    st.stop()

if not contacts:
    st.info(
        "No contacts yet. Import your LinkedIn export or tracker on the Import page, "
        "or add someone below.",
        icon=":material/info:",
    )

search, stage_filter = st.columns([2, 1])
query = search.text_input("Search by name, organisation or position", placeholder="e.g. Navy")
stages = stage_filter.multiselect(
    "Stage", [s.value for s in STAGES], format_func=lambda s: STAGE_LABELS[Stage(s)]
)
shown = [
    c
    for c in contacts
    if (not stages or c["stage"] in stages)
    and query.casefold()
    in " ".join(str(c[k] or "") for k in ("name", "company", "position")).casefold()
]
table = [
    {label: (STAGE_LABELS[Stage(c[k])] if k == "stage" else c[k]) for k, label in COLUMNS.items()}
    for c in shown
]
picked = st.dataframe(
    table,
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    column_config={"LinkedIn": st.column_config.LinkColumn("LinkedIn", display_text="profile")},
    key="contacts_table",
)
st.caption(f"{len(shown):,} of {len(contacts):,} contacts · pick a row to log a step or edit")

selected_rows = picked.selection.rows if picked else []
by_id = {c["id"]: c for c in shown}
default = shown[selected_rows[0]]["id"] if selected_rows else None


def describe(contact_id: int) -> str:
    contact = by_id[contact_id]
    return " · ".join(v for v in (contact["name"], contact["company"]) if v)


if shown:
    st.subheader("Log a step")
    with st.form("log_step", clear_on_submit=False):
        ids = list(by_id)
        who = st.selectbox(
            "Contact", ids, index=ids.index(default) if default else 0, format_func=describe
        )
        what_col, when_col = st.columns(2)
        kind = what_col.selectbox(
            "Step", list(STEP_LABELS), format_func=STEP_LABELS.get, key="step_kind"
        )
        when = when_col.date_input("On", value=date.today(), key="step_on")
        if st.form_submit_button("Log step", type="primary", key="log"):
            try:
                added = log_step(get_store(), who, kind, when)
                st.toast("Step logged" if added else "That step was already in the log")
                st.rerun()
            except InfointError as error:
                show_error(error)

if default:
    contact = by_id[default]
    st.subheader(f"Edit {contact['name']}")
    with st.form("edit_contact"):
        left, right = st.columns(2)
        edits = {
            "name": left.text_input("Name", contact["name"]),
            "company": right.text_input("Organisation", contact["company"] or ""),
            "position": left.text_input("Position", contact["position"] or "", key="edit_position"),
            "industry": right.text_input("Industry", contact["industry"] or ""),
            "email": left.text_input("Email", contact["email"] or ""),
            "linkedin_url": right.text_input("LinkedIn URL", contact["linkedin_url"] or ""),
            "source": left.text_input("Source", contact["source"] or ""),
            "notes": st.text_area("Notes", contact["notes"] or ""),
        }
        if st.form_submit_button("Save changes", key="save"):
            try:
                update_contact(get_store(), default, **edits)
                st.toast("Saved")
                st.rerun()
            except InfointError as error:
                show_error(error)

st.subheader("Add a person")
with st.form("add_contact", clear_on_submit=True):
    left, right = st.columns(2)
    fields = {
        "name": left.text_input("Name", key="add_name"),
        "company": right.text_input("Organisation", key="add_company"),
        "position": left.text_input("Position"),
        "email": right.text_input("Email"),
        "source": left.text_input("How you found them", placeholder="e.g. career fair"),
        "referred_by": right.selectbox(
            "Referred by",
            [None, *sorted({c["name"] for c in contacts})],
            format_func=lambda n: "Nobody" if n is None else n,
            accept_new_options=True,
        ),
    }
    if st.form_submit_button("Add person", key="add"):
        try:
            add_contact(get_store(), owner, **fields)
            st.toast(f"Added {fields['name']}")
            st.rerun()
        except InfointError as error:
            show_error(error)
