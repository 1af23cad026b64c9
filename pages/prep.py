"""Meeting prep: pick a contact and the minutes → opening, questions with why, checklists."""

from zlib import crc32

import polars as pl
import streamlit as st

from infoint_core.errors import InfointError
from infoint_core.prep import (
    AIR_LABELS,
    DEFAULT_MINUTES,
    build_prep_plan,
    load_question_bank,
    long_date,
    plan_with_edits,
    prep_contacts_frame,
    save_prep_plan,
)
from infoint_core.prep_export import plan_file_name, plan_to_html, plan_to_markdown
from infoint_core.profile import LEVELS_BY_KEY, load_profile, save_profile
from ui import (
    as_of,
    current_owner,
    escape_markdown,
    get_store,
    note_for_next_run,
    owner_id,
    read,
    show_error,
    show_pending_note,
)
from ui.drafts import show_drafts

MINUTE_CHOICES = [5, 10, 15, 20, 25, 30, 45, 60, 90]
SHUFFLES = "prep_shuffles"  # per contact and length: the questions swapped out, in order

st.title("Meeting prep")
st.write(
    "Pick the person you're meeting and how long they gave you. You get an opening, "
    "questions chosen for them (each with the reason it's there) and what to do before and "
    "after. Edit anything, then save: a saved plan marks the meeting as prepared."
)
show_pending_note()

today = as_of()
try:
    contacts = read(prep_contacts_frame, owner_id(current_owner()), today)
except InfointError as error:
    show_error(error)
    st.stop()

if contacts.is_empty():
    st.info(
        "No contacts yet. Add the person you're meeting on the Contacts page, or import your "
        "log, then come back here to prepare your questions.",
        icon=":material/info:",
    )
    st.page_link(
        "pages/contacts.py", label="Add a person on the Contacts page", icon=":material/person_add:"
    )
    st.page_link("pages/import_files.py", label="Import your log", icon=":material/upload_file:")
    st.stop()


labels = dict(contacts.select("id", "label").iter_rows())
pick, length = st.columns([3, 1])
contact_id = pick.selectbox(
    "Who are you meeting?",
    list(labels),
    format_func=labels.get,
    key="prep_contact",
    help="People with a meeting coming up come first; ✓ marks a meeting already prepared.",
)
minutes = length.select_slider(
    "Minutes they gave you", MINUTE_CHOICES, value=DEFAULT_MINUTES, key="prep_minutes"
)
contact = contacts.row(by_predicate=pl.col("id") == contact_id, named=True)

profile = read(load_profile, contact["owner_id"])
profile_title = "Your profile" + (" — add it to tailor the questions" if profile.is_empty else "")
# No keys on these widgets: a widget's identity then follows its saved value, so the form
# shows the profile of whichever student's contact is picked.
with st.expander(profile_title, icon=":material/person:"), st.form("prep_profile"):
    left, right = st.columns(2)
    levels = ["", *LEVELS_BY_KEY]
    edits = {
        "field": left.text_input(
            "Field you're exploring",
            profile.field,
            placeholder="e.g. data analytics",
        ),
        "background": right.text_input(
            "Your background",
            profile.background,
            placeholder="e.g. economics",
        ),
        "study_level": left.selectbox(
            "Where you are now",
            levels,
            index=levels.index(profile.study_level),
            format_func=lambda key: LEVELS_BY_KEY[key].label if key else "—",
        ),
        "goals": st.text_area(
            "Your goals",
            profile.goals,
            placeholder="e.g. a summer internship next year, then a graduate scheme",
        ),
    }
    if st.form_submit_button("Save profile", key="prep_save_profile"):
        try:
            save_profile(get_store(), contact["owner_id"], **edits)
            note_for_next_run("Profile saved: the questions now use it")
            st.rerun()
        except InfointError as error:
            show_error(error)

shuffles: dict[str, list[str]] = st.session_state.setdefault(SHUFFLES, {})
swap_key = f"{contact_id}-{minutes}"
try:
    plan = build_prep_plan(
        get_store(), contact_id, minutes, as_of=today, shuffle=shuffles.get(swap_key, [])
    )
except InfointError as error:
    show_error(error)
    st.stop()

name = escape_markdown(plan.contact)
if plan.meeting_on:
    days = (plan.meeting_on - today).days
    when = {0: "today", 1: "tomorrow"}.get(days, f"in {days} days")
    st.markdown(f"Meeting with **{name}** on **{long_date(plan.meeting_on)}** ({when}).")
    if contact["plan_saved"]:
        st.success(
            "A plan is saved for this meeting. Saving again replaces it.",
            icon=":material/task_alt:",
        )
else:
    st.info(
        f"No meeting with {name} is in your log yet: this plan is for when you arrange one. "
        "Log the meeting on the Contacts page once it's agreed.",
        icon=":material/event:",
    )

key_stem = f"{contact_id}-{minutes}-{plan.meeting_on}"


def edit_key(kind: str, wording: str) -> str:
    """A text box's key: a new box (showing the new wording) whenever the generated wording
    changes, e.g. after a profile edit; the student's edits last as long as it does not."""
    return f"prep_{kind}-{key_stem}-{crc32(wording.encode()):08x}"


st.subheader("Opening")
opening_key = edit_key("opening", plan.opening)
st.text_area("What to say first", plan.opening, key=opening_key, height=130)

st.subheader("Questions")
air = ", ".join(f"{AIR_LABELS[part]} {n}" for part, n in plan.air_counts.items())
st.caption(
    f"{len(plan.questions)} questions for {minutes} minutes, about 3 minutes each · "
    f"AIR: {air} · it ends by asking for a name and to stay in touch."
)
themes = load_question_bank().themes
text_keys = {}
for number, question in enumerate(plan.questions, start=1):
    with st.container(border=True):
        text, action = st.columns([4, 1])
        text_keys[question.id] = edit_key(f"q-{question.id}", question.text)
        text.text_area(
            f"**{number}** · {AIR_LABELS[question.air]} · {themes[question.theme]}",
            question.text,
            key=text_keys[question.id],
            height=68,
        )
        text.caption(escape_markdown(question.why))
        if action.button(
            "Other question",
            key=f"prep_other-{question.id}",
            icon=":material/shuffle:",
            help=f"Swap it for another {AIR_LABELS[question.air]} question",
        ):
            shuffles.setdefault(swap_key, []).append(question.id)
            st.rerun()

st.subheader("Checklists")
before, after = st.columns(2)
before.markdown(
    "**Before the meeting**\n\n" + "\n".join(f"- {escape_markdown(i)}" for i in plan.before)
)
after.markdown(
    "**After the meeting**\n\n" + "\n".join(f"- {escape_markdown(i)}" for i in plan.after)
)

st.subheader("Save and print")
edited = plan_with_edits(
    plan,
    {qid: st.session_state.get(key, "") for qid, key in text_keys.items()},
    opening=st.session_state.get(opening_key),
)
save, markdown, printable = st.columns(3)
if save.button(
    "Save plan",
    type="primary",
    key="prep_save",
    icon=":material/save:",
    help="Keeps this plan, with your edits, for the meeting; it closes the "
    "“Meeting not prepared” follow-up.",
):
    try:
        save_prep_plan(get_store(), edited)
        when = f" for {long_date(edited.meeting_on)}" if edited.meeting_on else ""
        note_for_next_run(f"Prep plan saved{when}")
        st.rerun()
    except InfointError as error:
        show_error(error)
markdown.download_button(
    "Markdown",
    plan_to_markdown(edited),
    file_name=plan_file_name(edited, "md"),
    mime="text/markdown",
    icon=":material/description:",
    on_click="ignore",
    key="prep_download_md",
)
printable.download_button(
    "Printable page (HTML)",
    plan_to_html(edited),
    file_name=plan_file_name(edited, "html"),
    mime="text/html",
    icon=":material/print:",
    on_click="ignore",
    key="prep_download_html",
    help="Open it in a browser and print it, or save it as a PDF from the print dialogue.",
)

# ── Email drafts ─────────────────────────────────────────────────────────────────────
show_drafts(contact["id"])
