"""The Referrals page: the chains as a tree, KPIs, who introduced whom, whom to ask next."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from infoint_core.referrals import interviews_without_referral, referral_summary
from infoint_core.store import Store, open_workspace

TREE = "graphviz_chart"


def dot_of(at) -> str:
    (chart,) = at.get(TREE)
    return chart.proto.spec


def add_people(store: Store, people: dict[str, str | None]) -> None:
    """Insert each person (with the name of whoever referred them) straight into the
    workspace, as an older workspace or a hand edit could hold them: import would refuse
    a loop."""
    store.run("INSERT INTO owners (name) VALUES ('me') ON CONFLICT DO NOTHING")
    for name in people:
        store.run(
            "INSERT INTO contacts (owner_id, name, name_key) "
            "SELECT id, ?, lower(?) FROM owners WHERE name = 'me'",
            [name, name],
        )
    for name, referrer in people.items():
        store.run(
            "UPDATE contacts SET referred_by_id = (SELECT id FROM contacts WHERE name = ?) "
            "WHERE name = ?",
            [referrer, name],
        )
    store.mark_changed()


def test_the_demo_draws_its_chains_with_kpis_and_tables(page, demo_workspace: Path) -> None:
    summary = referral_summary(open_workspace(demo_workspace), None, date.today())
    at = page("referrals").run()
    assert not at.exception
    assert at.title[0].value == "Referrals"
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Introductions"] == str(summary["edges"])
    assert tiles["Chains"] == str(summary["roots"])
    assert tiles["Deepest chain"] == str(summary["max_depth"])
    assert tiles["Largest chain"] == str(summary["chains"][0]["size"])
    dot = dot_of(at)
    assert dot.startswith("digraph referrals {")
    assert dot.count("->") == summary["edges"]
    who = at.dataframe[0].value
    assert len(who) == summary["edges"] + summary["roots"]
    assert {"Person", "Introduced by", "Chain started by"} <= set(who.columns)


def test_the_demo_lists_interviews_without_a_referral(page, demo_workspace: Path) -> None:
    without = interviews_without_referral(open_workspace(demo_workspace), None, date.today())
    at = page("referrals").run()
    assert at.subheader[-1].value == "Interviews without a referral"
    listed = at.dataframe[-1].value
    assert listed["Person"].to_list() == without["contact"].to_list()
    assert any("whom else you could talk to" in m.value for m in at.markdown)


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace: Path) -> None:
    at = page("referrals").run()
    assert not at.exception
    assert "No referrals yet" in at.info[0].value
    assert not at.get(TREE) and not at.metric and not at.dataframe


def test_names_that_look_like_dot_are_drawn_as_text(page, empty_workspace: Path) -> None:
    add_people(
        open_workspace(empty_workspace),
        {'Robert "); DROP': None, "<script>alert(1)</script>": 'Robert "); DROP', "}": None,
         "a -> b [label=x]": "}"},
    )  # fmt: skip
    at = page("referrals").run()
    assert not at.exception
    dot = dot_of(at)
    assert 'label="Robert \\"); DROP\\nIdentified"' in dot
    assert 'label="\\<script\\>alert(1)\\</script\\>\\nIdentified"' in dot
    assert 'label="a -\\> b [label=x]\\nIdentified"' in dot
    assert 'label="\\}\\nIdentified"' in dot
    assert "<script>" not in dot and '"); DROP"' not in dot


def test_a_cycle_shows_an_error_naming_the_people(page, empty_workspace: Path) -> None:
    add_people(open_workspace(empty_workspace), {"Ada Lovelace": "Grace Hopper",
                                                 "Grace Hopper": "Ada Lovelace"})  # fmt: skip
    at = page("referrals").run()
    assert not at.exception
    assert "Ada Lovelace → Grace Hopper → Ada Lovelace" in at.error[0].value
    assert "Referred by" in at.info[0].value
    assert not at.get(TREE)
    assert at.subheader[-1].value == "Interviews without a referral"
    assert "No interviews held yet" in at.caption[-1].value


def test_interviews_but_no_referrals_still_lists_whom_to_ask(page, empty_workspace: Path) -> None:
    store = open_workspace(empty_workspace)
    add_people(store, {"Ada Lovelace": None})
    store.run(
        "INSERT INTO events (owner_id, contact_id, kind, on_date, origin) "
        "SELECT owner_id, id, 'meeting', DATE '2026-01-05', 'manual' FROM contacts"
    )
    store.mark_changed()
    at = page("referrals").run()
    assert not at.exception
    assert "No referrals yet" in at.info[0].value
    assert at.dataframe[0].value["Person"].to_list() == ["Ada Lovelace"]


def test_a_file_that_is_not_a_workspace_shows_an_error(page, db_path: Path) -> None:
    db_path.write_text("not a database at all\n" * 50)
    at = page("referrals").run()
    assert not at.exception
    assert "not an infoint workspace" in at.error[0].value
