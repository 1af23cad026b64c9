"""Contacts: find people, log a step in a couple of clicks, edit, add someone by hand.

A log can hold tens of thousands of people, so the table shows one page of the search at
a time and the step is logged for a person on that page: search, pick, log.
"""

import math
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from infoint_core.contacts import contacts_frame, filter_contacts
from infoint_core.errors import InfointError
from infoint_core.logbook import STEP_LABELS, add_contact, log_step, update_contact
from infoint_core.records import STAGE_LABELS, STAGES
from infoint_core.template import TEMPLATE_COLUMNS
from ui import as_of, current_owner, escape_markdown, get_store, owner_name, read, show_error

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
STAGE_NAMES = {stage.value: label for stage, label in STAGE_LABELS.items()}
PAGE_SIZE = 50  # rows drawn at a time: the table stays quick however long the log is
VIEW = "contacts_view"  # counts the searches and filters; each has its own page buttons
TABLE = "contacts_table"
NO_SELECTION = {"selection": {"rows": [], "columns": [], "cells": []}}
EDITED = {  # the edit form's fields, named as in the tracker template
    field: TEMPLATE_COLUMNS[field]
    for field in ("name", "company", "position", "industry", "email", "linkedin_url", "source")
}


def start_over() -> None:
    """A new search or stage filter starts at its first page (page buttons of their own),
    with no row picked: a picked row is a position in the table, which now shows others."""
    st.session_state[VIEW] = st.session_state.get(VIEW, 0) + 1
    unpick()


def unpick() -> None:
    st.session_state[TABLE] = NO_SELECTION


def describe(contact: dict[str, Any]) -> str:
    return " · ".join(v for v in (contact["name"], contact["company"]) if v)


st.title("Contacts")
owner = owner_name(current_owner())
try:
    contacts = read(contacts_frame, owner, as_of())
except InfointError as error:
    show_error(error)
    st.stop()

if contacts.is_empty():
    st.info(
        "No contacts yet. Import your LinkedIn export or tracker on the Import page, "
        "or add someone below.",
        icon=":material/info:",
    )

search, stage_filter = st.columns([2, 1])
query = search.text_input(
    "Search by name, organisation or position", placeholder="e.g. Navy", on_change=start_over
)
stages = stage_filter.multiselect(
    "Stage", [s.value for s in STAGES], format_func=STAGE_NAMES.get, on_change=start_over
)
found = filter_contacts(contacts, query, stages)
pages = max(1, math.ceil(found.height / PAGE_SIZE))
table = st.container()  # drawn once the page to show is known, above its page buttons
page = (
    st.pagination(pages, key=f"contacts_page_{st.session_state.get(VIEW, 0)}", on_change=unpick)
    if pages > 1
    else 1
)
first = (page - 1) * PAGE_SIZE
rows = found.slice(first, PAGE_SIZE)
picked = table.dataframe(
    rows.select(list(COLUMNS))
    .with_columns(pl.col("stage").replace_strict(STAGE_NAMES))
    .rename(COLUMNS),
    hide_index=True,
    on_select="rerun",
    selection_mode="single-row",
    column_config={"LinkedIn": st.column_config.LinkColumn("LinkedIn", display_text="profile")},
    key=TABLE,
)
showing = f" · showing {first + 1:,}–{first + rows.height:,}" if pages > 1 else ""
table.caption(
    f"{found.height:,} of {contacts.height:,} contacts{showing} · pick a row to log a step or edit"
)

by_id = {contact["id"]: contact for contact in rows.to_dicts()}
ids = list(by_id)
selected = [ids[i] for i in (picked.selection.rows if picked else []) if i < len(ids)]
chosen = by_id[selected[0]] if selected else None

if ids:
    st.subheader("Log a step")
    with st.form("log_step", clear_on_submit=False):
        who = st.selectbox(
            "Contact (search above for someone not on this page)",
            ids,
            index=ids.index(selected[0]) if selected else 0,
            format_func=lambda contact_id: describe(by_id[contact_id]),
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

if chosen:
    st.subheader(f"Edit {escape_markdown(chosen['name'])}")
    with st.form("edit_contact"):
        left, right = st.columns(2)
        # Keyed by the contact, so picking someone else shows their values, not the last.
        edits = {
            field: (left, right)[i % 2].text_input(
                label, chosen[field] or "", key=f"edit-{field}-{chosen['id']}"
            )
            for i, (field, label) in enumerate(EDITED.items())
        }
        edits["notes"] = st.text_area(
            "Notes", chosen["notes"] or "", key=f"edit-notes-{chosen['id']}"
        )
        if st.form_submit_button("Save changes", key="save"):
            try:
                update_contact(get_store(), chosen["id"], **edits)
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
        "referred_by": right.text_input(
            "Referred by",
            key="add_referred_by",
            help="The name of the person who introduced them. Someone not in your log yet "
            "is added too.",
        ),
    }
    if st.form_submit_button("Add person", key="add"):
        try:
            add_contact(get_store(), owner, **fields)
            st.toast(f"Added {escape_markdown(fields['name'])}")
            st.rerun()
        except InfointError as error:
            show_error(error)
