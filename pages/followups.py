"""Follow-ups: what is owed to whom, most urgent first, each done in one click."""

import streamlit as st

from infoint_core.errors import InfointError
from infoint_core.exports import frame_to_csv, frame_to_xlsx
from infoint_core.followups import (
    DONE_STEPS,
    done_help,
    gap_id,
    gap_table,
    mark_done,
    reminders_ics,
)
from infoint_core.gaps import (
    GAP_RULES,
    default_thresholds,
    find_gaps,
    gap_counts,
    gap_thresholds,
    save_gap_thresholds,
)
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

TITLES = {rule.key: rule.title for rule in GAP_RULES}
PAGE_SIZE = 25  # follow-ups drawn at a time: a long list stays quick to show
LIMIT = "followups_limit"

st.title("Follow-ups")
st.write(
    "The steps you owe people, most urgent first: thank-yous, answers to chase, referrers "
    "to tell how it went, contacts gone quiet and meetings to prepare. Mark one done and "
    "it is logged for today."
)
show_pending_note()

today = as_of()
try:
    owner = owner_id(current_owner())
    gaps = read(find_gaps, owner, today)
    thresholds = read(gap_thresholds, owner)
except InfointError as error:
    show_error(error)
    st.stop()

if gaps.is_empty():
    st.success("No follow-ups due — nice work.", icon=":material/task_alt:")
    st.write("This page watches your log for:")
    st.markdown("\n".join(f"- **{rule.title}**: {rule.description}" for rule in GAP_RULES))
    st.page_link(
        "pages/contacts.py", label="Log a step on the Contacts page", icon=":material/add:"
    )
else:
    counts = gap_counts(gaps)
    for column, rule in zip(st.columns(len(GAP_RULES)), GAP_RULES, strict=True):
        column.metric(rule.title, f"{counts[rule.key]:,}", help=rule.description)

    chosen = st.pills(
        "Show only",
        [rule.key for rule in GAP_RULES if counts[rule.key]],
        selection_mode="multi",
        format_func=lambda key: f"{TITLES[key]} ({counts[key]:,})",
        key="rules",
    )
    shown = gaps.filter(gaps["rule"].is_in(chosen)) if chosen else gaps
    st.caption(f"{shown.height:,} of {gaps.height:,} follow-ups, most urgent first")

    limit = st.session_state.get(LIMIT, PAGE_SIZE)
    for gap in shown.head(limit).iter_rows(named=True):
        with st.container(border=True):
            text, action = st.columns([5, 1], vertical_alignment="center")
            text.markdown(escape_markdown(gap["next_step"]))
            where = " · ".join(part for part in (TITLES[gap["rule"]], gap["company"]) if part)
            text.caption(escape_markdown(where))
            if DONE_STEPS[gap["rule"]] is None:
                action.caption(done_help(gap))
            elif action.button(
                "Done",
                key=f"done-{gap_id(gap)}",
                help=escape_markdown(done_help(gap)),
                icon=":material/check:",
            ):
                try:
                    mark_done(get_store(), gap, today)
                    note_for_next_run(f"Done: {escape_markdown(done_help(gap))}")
                    st.rerun()
                except InfointError as error:
                    show_error(error)

    if shown.height > limit:
        more = min(PAGE_SIZE, shown.height - limit)
        if st.button(f"Show {more} more", key="show_more", icon=":material/expand_more:"):
            st.session_state[LIMIT] = limit + PAGE_SIZE
            st.rerun()

    # The files are made only when a button is clicked: a long list stays quick to show.
    st.subheader("Download")
    ics, csv, xlsx = st.columns(3)
    ics.download_button(
        "Calendar reminders (.ics)",
        lambda: reminders_ics(shown, today),
        file_name=f"follow-ups-{today}.ics",
        mime="text/calendar",
        icon=":material/event:",
        on_click="ignore",
        key="download_ics",
        help="One all-day reminder per follow-up, on the day to act. Importing a newer "
        "file updates the reminders instead of adding them twice.",
    )
    csv.download_button(
        "List as CSV",
        lambda: frame_to_csv(gap_table(shown)),
        file_name=f"follow-ups-{today}.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
        key="download_csv",
    )
    xlsx.download_button(
        "List as Excel",
        lambda: frame_to_xlsx(gap_table(shown), "Follow-ups"),
        file_name=f"follow-ups-{today}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/grid_on:",
        on_click="ignore",
        key="download_xlsx",
    )

with st.expander("When is a follow-up due?", icon=":material/tune:"):
    threshold_keys = []
    with st.form("thresholds"):
        values: dict[str, dict[str, int]] = {}
        for rule in GAP_RULES:
            st.markdown(f"**{rule.title}**")
            values[rule.key] = {}
            for name in rule.thresholds:
                key = f"threshold-{rule.key}-{name}"
                threshold_keys.append(key)
                values[rule.key][name] = int(
                    st.number_input(
                        rule.threshold_help[name].capitalize(),
                        min_value=0,
                        max_value=3650,
                        value=thresholds[rule.key][name],
                        step=1,
                        key=key,
                    )
                )
        save, reset = st.columns(2)
        saved = save.form_submit_button("Save", type="primary", key="save_thresholds")
        restored = reset.form_submit_button("Restore the defaults", key="reset_thresholds")
    if saved or restored:
        try:
            save_gap_thresholds(get_store(), owner, default_thresholds() if restored else values)
            for key in threshold_keys:  # show the values now in force on the rerun
                st.session_state.pop(key, None)
            note_for_next_run("Thresholds saved")
            st.rerun()
        except InfointError as error:
            show_error(error)
