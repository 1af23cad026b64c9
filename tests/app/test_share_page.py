"""The Share page: what the file holds, the programme asked once, then the download."""

from __future__ import annotations

from infoint_core.owners import list_owners
from infoint_core.share import SHARE_COLUMNS, save_share_profile, share_profile
from infoint_core.store import open_workspace


def test_an_empty_workspace_explains_what_to_do(page, empty_workspace) -> None:
    at = page("share").run()
    assert not at.exception
    assert at.title[0].value == "Share with my career centre"
    assert "Nothing to share yet" in at.info[0].value
    assert not at.get("download_button")


def test_the_demo_asks_the_programme_first_and_shows_the_file(page, demo_workspace) -> None:
    at = page("share").run()
    assert not at.exception
    assert not at.error
    assert any("Asked once" in i.value for i in at.info)
    assert not at.get("download_button")
    assert [m.value for m in at.metric][:1] == ["150"]
    columns, first_rows, header = at.dataframe
    assert columns.value["Column"].to_list() == [c.name for c in SHARE_COLUMNS]
    assert list(first_rows.value.columns) == [c.name for c in SHARE_COLUMNS]
    assert len(first_rows.value) == 10
    assert "student" in header.value["Key"].to_list()
    assert "demo log" in at.warning[0].value


def test_saving_the_programme_and_year_brings_the_download(page, demo_workspace) -> None:
    at = page("share").run()
    at.text_input(key="share_programme").input("MSc Data Science")
    at.number_input(key="share_year").set_value(2027)
    at.button[0].click().run()
    assert not at.exception
    assert not at.error
    store = open_workspace(demo_workspace)
    owner_id = list_owners(store)[0].id
    assert share_profile(store, owner_id).programme == "MSc Data Science"
    assert share_profile(store, owner_id).graduation_year == 2027
    assert at.get("download_button")
    assert any("MSc Data Science" in m.value for m in at.markdown)


def test_a_stored_profile_goes_straight_to_the_download(page, demo_workspace) -> None:
    store = open_workspace(demo_workspace)
    save_share_profile(store, list_owners(store)[0].id, "BA History", 2028)
    at = page("share").run()
    assert not at.exception
    assert at.get("download_button")
    assert at.text_input(key="share_programme").value == "BA History"  # editable


def test_a_blank_programme_is_a_clear_error(page, demo_workspace) -> None:
    at = page("share").run()
    at.text_input(key="share_programme").input("   ")
    at.number_input(key="share_year").set_value(2027)
    at.button[0].click().run()
    assert not at.exception
    assert "programme" in at.error[0].value
    assert not at.get("download_button")
