"""Referrals: who introduced you to whom, how far each chain reached, and whom to ask next."""

import polars as pl
import streamlit as st

from infoint_core.charts import referral_tree_dot
from infoint_core.errors import InfointError, ReferralCycleError
from infoint_core.funnel import air_referral_share
from infoint_core.records import STAGE_LABELS
from infoint_core.referrals import interviews_without_referral, referral_summary, referral_tree
from ui import as_of, current_owner, owner_id, read, show_error

NAMES = {stage.value: label for stage, label in STAGE_LABELS.items()}

st.title("Referrals")
st.write(
    "Every person who introduced you to someone starts or continues a chain. See how far "
    "your chains reach, who opened the most doors, and whom you met but have not yet asked "
    "for a name."
)
day = as_of()
try:
    owner = owner_id(current_owner())
    without = read(interviews_without_referral, owner, day)
    interviewed = read(air_referral_share, owner, day)["interviewed"][0]
except InfointError as error:
    show_error(error)
    st.stop()

try:
    summary = read(referral_summary, owner, day)
    tree = read(referral_tree, owner, day)
except ReferralCycleError as error:
    # Bad data, not a bug: say who is in the loop, and still show whom to ask next.
    show_error(error)
    st.info(
        "Each of these people is down as introduced by the next, round in a loop. Open "
        "Contacts and correct or clear 'Referred by' for one of them; the chains are drawn "
        "again as soon as the loop is gone.",
        icon=":material/info:",
    )
    summary = tree = None
except InfointError as error:
    show_error(error)
    st.stop()

if summary is not None and not summary["edges"] and not interviewed:
    st.info(
        "No referrals yet. When someone introduces you to a person, add that person on "
        "Contacts with 'Referred by', or fill in the 'Referred by' column of your tracker: "
        "the chains of introductions appear here.",
        icon=":material/info:",
    )
    st.page_link("pages/contacts.py", label="Add a person by hand", icon=":material/person_add:")
    st.stop()

if summary is None or tree is None:
    pass  # a loop: the error above says what to fix
elif summary["edges"]:
    tiles = st.columns(4)
    tiles[0].metric("Introductions", f"{summary['edges']:,}", help="People introduced to you")
    tiles[1].metric("Chains", f"{summary['roots']:,}", help="People who started a chain")
    tiles[2].metric(
        "Deepest chain",
        f"{summary['max_depth']:,}",
        help="The most introductions in a row, from the person who started the chain",
    )
    tiles[3].metric(
        "Largest chain", f"{summary['chains'][0]['size']:,}", help="People in the largest chain"
    )
    st.graphviz_chart(referral_tree_dot(tree))
    st.caption(
        "An arrow runs from the person who introduced to the person introduced; each box "
        "wears the colour of the furthest stage that person reached."
    )
    st.subheader("Who introduced whom, and how far it went")
    st.dataframe(
        tree.with_columns(pl.col("stage").replace_strict(NAMES, return_dtype=pl.String))
        .select("contact", "referred_by", "root", "depth", "introductions", "descendants", "stage")
        .rename(
            {
                "contact": "Person",
                "referred_by": "Introduced by",
                "root": "Chain started by",
                "depth": "Introductions from the start",
                "introductions": "People they introduced",
                "descendants": "People reached through them",
                "stage": "Stage",
            }
        ),
        hide_index=True,
        width="stretch",
    )
else:
    st.info(
        "No referrals yet: nobody is down as introduced by someone else. Add 'Referred by' "
        "on Contacts when someone puts you in touch.",
        icon=":material/info:",
    )

st.subheader("Interviews without a referral")
if not interviewed:
    st.caption("No interviews held yet. End each one by asking whom else you could talk to.")
elif without.is_empty():
    st.success("Every interview so far led to a new name.", icon=":material/task_alt:")
else:
    st.write(
        "You met these people, but they have not introduced you to anyone yet: the R of "
        "AIR (Advice, Insight, Referral) is missing. Get back in touch and ask whom else "
        "you could talk to, and whether you may mention their name."
    )
    st.dataframe(
        without.select("contact", "company", "interviewed_on").rename(
            {"contact": "Person", "company": "Organisation", "interviewed_on": "Interviewed on"}
        ),
        hide_index=True,
        width="stretch",
    )
