"""Debrief: after a meeting, note what it gave (Advice, Insight, Referral), then thank them."""

import polars as pl
import streamlit as st

from infoint_core.charts import air_yield_chart
from infoint_core.contacts import contact_choices, referrer_name
from infoint_core.debrief import (
    DebriefResult,
    air_yield,
    clean_names,
    get_debrief,
    held_meetings,
    save_debrief,
)
from infoint_core.drafts import drafts_for, write_draft
from infoint_core.errors import InfointError
from infoint_core.logbook import log_step
from infoint_core.records import EventKind
from ui import (
    as_of,
    current_owner,
    escape_markdown,
    get_store,
    owner_id,
    owner_name,
    read,
    show_chart,
    show_error,
)
from ui.drafts import show_draft

FIELDS = ("learned", "advice", "referred", "follow_up", "notes")
TARGET, SAVED = "debrief_target", "debrief_saved"  # session keys kept across reruns
AIR_LABELS = {"part": "Part", "interviews": "Interviews", "yielded": "Yielded", "percent": "Share"}

st.title("Debrief")
st.write(
    "Straight after a meeting, note what it gave you: advice, insight into the work, and "
    "the names they suggested. Each name becomes a contact referred by this person, and "
    "your thank-you is drafted, ready to send the same day."
)
owner = current_owner()
today = as_of()
try:
    meetings = read(held_meetings, owner_id(owner), today)
    air = read(air_yield, owner_id(owner), today)
except InfointError as error:
    show_error(error)
    st.stop()


def people() -> dict[int, str]:
    """Everyone in the log, by id, as the picker shows them. Read only for the picker of
    a meeting not logged yet (after a LinkedIn import, 30,000 people): a held meeting
    already means someone to debrief."""
    try:
        return dict(read(contact_choices, owner_name(owner)).iter_rows())
    except InfointError as error:
        show_error(error)
        st.stop()


if meetings.is_empty() and not people():
    st.info(
        "Nobody to debrief yet. Import your LinkedIn export or tracker, or add the people "
        "you meet on Contacts; after each meeting, come back here to note what it gave you.",
        icon=":material/info:",
    )
    st.page_link("pages/import_files.py", label="Import your log", icon=":material/upload_file:")
    st.page_link("pages/contacts.py", label="Add a person", icon=":material/person_add:")
    st.stop()


def describe_meeting(row: dict) -> str:
    parts = [f"{row['meeting_on']:%d %b %Y}", row["contact"], row["company"]]
    label = " · ".join(p for p in parts if p)
    return f"{label} (debriefed)" if row["debriefed"] else label


unlogged = meetings.is_empty() or st.toggle(
    "A meeting not in your log yet",
    key="unlogged",
    help="Pick anyone in your log and the day you met: saving logs the meeting too.",
)
if meetings.is_empty():
    st.caption("No meetings held are in your log yet: pick whom you met and when.")
if unlogged:
    names = people()
    who, when = st.columns([2, 1])
    contact_id = who.selectbox(
        "Whom did you meet?", list(names), format_func=names.get, key="met_contact"
    )
    meeting_on = when.date_input("Met on", value=today, max_value=today, key="met_on")
else:
    rows = meetings.to_dicts()
    picked = st.selectbox(
        "Which meeting? (most recent first)",
        range(len(rows)),
        format_func=lambda i: describe_meeting(rows[i]),
        key="meeting",
    )
    contact_id, meeting_on = rows[picked]["contact_id"], rows[picked]["meeting_on"]

# A new pick fills the form with what was saved for that meeting, or empties it.
target = (contact_id, meeting_on)
if st.session_state.get(TARGET) != target:
    st.session_state[TARGET] = target
    saved_before = read(get_debrief, contact_id, meeting_on)
    values = dict.fromkeys(FIELDS, "")
    if saved_before is not None:
        values = {
            "learned": saved_before.learned or "",
            "advice": saved_before.advice or "",
            "referred": "\n".join(p.name for p in saved_before.referred),
            "follow_up": saved_before.follow_up_promised or "",
            "notes": saved_before.notes or "",
        }
    for name, value in values.items():
        st.session_state[f"debrief_{name}"] = value

with st.form("debrief"):
    st.text_area(
        "What did you learn about the work or the field? (Insight)",
        key="debrief_learned",
        placeholder="e.g. Most analysts start in reporting and move into modelling after a year",
    )
    st.text_area(
        "What advice did they give you? (Advice)",
        key="debrief_advice",
        placeholder="e.g. Build a small portfolio project with public data",
    )
    st.text_area(
        "Whom did they suggest you talk to? One name a line (Referral)",
        key="debrief_referred",
        placeholder="Alan Turing\nKatherine Johnson",
        help="Each becomes a contact referred by this person; someone already in your log is "
        "linked, never added twice.",
    )
    st.text_input(
        "Follow-up you promised",
        key="debrief_follow_up",
        placeholder="e.g. send my portfolio link once it is live",
    )
    st.text_area(
        "Notes for yourself: what to do better next time",
        key="debrief_notes",
        height=80,
    )
    submitted = st.form_submit_button("Save debrief", type="primary", key="save")

if submitted:
    state = st.session_state
    try:
        result = save_debrief(
            get_store(),
            contact_id,
            meeting_on,
            learned=state["debrief_learned"],
            advice=state["debrief_advice"],
            referred_names=clean_names(state["debrief_referred"]),
            follow_up_promised=state["debrief_follow_up"],
            notes=state["debrief_notes"],
            as_of=today,
        )
        state[SAVED] = (target, result)
        st.rerun()
    except InfointError as error:
        show_error(error)


def show_saved(result: DebriefResult) -> None:
    """What the save did, then the emails to send now."""
    debrief = result.debrief
    who = escape_markdown(debrief.contact)
    st.success(
        f"Debrief of your meeting with {who} on {debrief.meeting_on:%d %b %Y} "
        + ("saved." if result.created else "updated."),
        icon=":material/task_alt:",
    )
    if result.meeting_logged:
        st.caption("The meeting was not in your log, so it is now.")
    if result.added:
        added = ", ".join(escape_markdown(p.name) for p in result.added)
        st.markdown(f"**New contacts, referred by {who}:** {added}")
    if result.linked:
        linked = ", ".join(escape_markdown(p.name) for p in result.linked)
        st.markdown(f"**Already in your log, now referred by {who}:** {linked}")
    for note in result.notes:
        st.caption(escape_markdown(note))

    store = get_store()
    st.subheader("Thank them today")
    show_draft(write_draft(store, debrief.contact_id, "thank_you", today))
    if st.button("Sent: log the thank-you for today", key="log_thanks"):
        log_step(store, debrief.contact_id, EventKind.THANK_YOU, today)
        st.toast("Thank-you logged")
    offered = {d.key: d for d in drafts_for(store, debrief.contact_id, as_of=today)}
    if report := offered.get("outcome_report"):
        referrer = read(referrer_name, debrief.contact_id)
        st.subheader(f"Tell {escape_markdown(referrer or 'your referrer')} how it went")
        show_draft(report)
        if st.button("Sent: log the outcome report for today", key="log_report"):
            log_step(store, debrief.contact_id, EventKind.OUTCOME_REPORT, today)
            st.toast("Outcome report logged")


saved = st.session_state.get(SAVED)
if saved and saved[0] == target:
    try:
        show_saved(saved[1])
    except InfointError as error:
        show_error(error)

st.subheader("AIR yield")
interviews = int(air["interviews"][0])
if not interviews:
    st.caption(
        "Once you have held a meeting, this shows how often your interviews give Advice, "
        "Insight and a Referral."
    )
else:
    undebriefed = meetings.filter(~pl.col("debriefed")).height
    st.caption(
        f"Across {interviews:,} interviews held. Advice and insight come from your debriefs "
        f"({undebriefed:,} meetings not debriefed yet); a referral is anyone the person you "
        "met introduced you to. A good interview gives all three."
    )
    table = air.with_columns(
        (pl.col("share") * 100).round(0).cast(pl.Int64).cast(pl.String).add("%").alias("percent")
    )
    show_chart(air_yield_chart(air), table, AIR_LABELS)
