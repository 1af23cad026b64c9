"""Funnel: how far contacts get, how fast, and which months and sources convert best."""

from itertools import pairwise

import polars as pl
import streamlit as st

from infoint_core.charts import (
    funnel_by_month_chart,
    funnel_by_source_chart,
    funnel_chart,
    stage_durations_chart,
)
from infoint_core.errors import InfointError
from infoint_core.funnel import (
    air_referral_share,
    compute_funnel,
    funnel_by_month,
    funnel_by_source,
    stage_durations,
)
from infoint_core.records import STAGE_LABELS, Stage
from ui import as_of, current_owner, owner_id, percent, read, show_chart, show_error

NAMES = {stage.value: label for stage, label in STAGE_LABELS.items()}


def stage_names(*columns: str) -> list[pl.Expr]:
    """The stage columns given, as people read them ("followed_up" -> "Followed up")."""
    return [pl.col(c).replace_strict(NAMES, return_dtype=pl.String) for c in columns]


st.title("Funnel")
st.write(
    "How far your contacts get: from a name on your list to an interview, a thank-you and "
    "a follow-up. See where people drop out, how long each step takes, and which ways of "
    "finding people lead to conversations."
)
day = as_of()
try:
    owner = owner_id(current_owner())
    funnel = read(compute_funnel, owner, day)
    durations = read(stage_durations, owner, day)
    by_month = read(funnel_by_month, owner, day)
    by_source = read(funnel_by_source, owner, day)
    air = read(air_referral_share, owner, day).row(0, named=True)
except InfointError as error:
    show_error(error)
    st.stop()

steps = funnel.to_dicts()
if not steps[0]["reached"]:
    st.info(
        "No contacts yet, so there is no funnel to show. Import your LinkedIn data or your "
        "own tracker, or add people by hand, and log each step as it happens.",
        icon=":material/info:",
    )
    st.page_link("pages/import_files.py", label="Import your data", icon=":material/upload_file:")
    st.page_link("pages/contacts.py", label="Add a person by hand", icon=":material/person_add:")
    st.stop()

st.subheader("From one stage to the next")
st.caption("Of the contacts who reached a stage, the share who went on to the next one.")
# Two rows of three: in one row of six, the stage names were cut short.
tiles = [tile for _ in range(2) for tile in st.columns(3)]
for tile, (before, step) in zip(tiles, pairwise(steps), strict=True):
    tile.metric(
        f"{NAMES[before['stage']]} → {NAMES[step['stage']]}",
        percent(step["conversion"]),
        help=f"{step['reached']:,} of the {before['reached']:,} contacts who reached "
        f"'{NAMES[before['stage']]}' went on to '{NAMES[step['stage']]}'.",
    )
left, right = st.columns(2)
with left:
    show_chart(
        funnel_chart(funnel),
        funnel.with_columns(
            *stage_names("stage"),
            pl.col("conversion").map_elements(percent, return_dtype=pl.String).fill_null("–"),
        ),
        {"stage": "Stage", "reached": "Contacts reached", "conversion": "From previous stage"},
    )
with right:
    show_chart(
        stage_durations_chart(durations),
        durations.with_columns(*stage_names("from_stage", "to_stage")),
        {
            "from_stage": "From",
            "to_stage": "To",
            "median_days": "Median days",
            "contacts": "Contacts with both dates",
        },
    )
    if not durations["contacts"].sum():
        st.caption("Log dated steps (outreach, answers, meetings) to see how long each takes.")

st.subheader("The R of AIR: referrals")
share_tile, advice = st.columns([1, 2])
share_tile.metric(
    "Interviews that led to a referral",
    percent(air["share"]),
    help="The R of AIR (Advice, Insight, Referral): the share of the people you interviewed "
    "who introduced you to at least one more person.",
)
if air["interviewed"]:
    advice.write(
        f"{air['referred_someone']:,} of the {air['interviewed']:,} people you interviewed "
        "introduced you to someone else. A good interview ends with a name: ask each person "
        "whom else you could talk to."
    )
    advice.page_link(
        "pages/referrals.py", label="See your referral chains", icon=":material/account_tree:"
    )
else:
    advice.write(
        "No interviews held yet. When you hold one, end it by asking whom else to talk to."
    )

st.subheader("By source")
st.caption("How you found people, and how far the people from each source got.")
show_chart(
    funnel_by_source_chart(by_source),
    by_source.pivot(on="stage", index="source", values="reached").sort(
        Stage.IDENTIFIED.value, descending=True
    ),
    {"source": "Source"} | NAMES,
)

st.subheader("By month of first outreach")
if by_month.is_empty():
    st.caption("Log the day of each outreach to compare one month's outreach with another's.")
else:
    show_chart(
        funnel_by_month_chart(by_month),
        by_month.pivot(on="stage", index="cohort", values="reached")
        .sort("cohort")
        .with_columns(pl.col("cohort").dt.strftime("%B %Y")),
        {"cohort": "Month"} | NAMES,
    )
