"""The Import page: upload, preview with a correctable mapping, import, summary."""

from __future__ import annotations

from infoint_core.contacts import list_contacts
from infoint_core.store import open_workspace

TRACKER = (
    b"Who,Org,Interview date,Fav colour\n"
    b"Ada Lovelace,Analytical Engines,2026-10-20,blue\n"
    b"Grace Hopper,Navy,2026-11-02,green\n"
)
CONNECTIONS = (
    b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
    b"Alan,Turing,https://www.linkedin.com/in/alan-turing,,Bletchley Park,Analyst,01 Mar 2024\n"
)


def test_the_page_offers_the_template_and_an_uploader(page, empty_workspace) -> None:
    at = page("import_files").run()
    assert not at.exception
    assert at.get("download_button")[0].proto.label.startswith("Download the tracker template")
    assert at.get("file_uploader")


def test_upload_correct_a_mapping_and_import(page, empty_workspace) -> None:
    at = page("import_files").run()
    at.get("file_uploader")[0].set_value(
        [("log.csv", TRACKER, "text/csv"), ("Connections.csv", CONNECTIONS, "text/csv")]
    )
    at.run()
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert subheaders == ["log\\.csv", "Connections\\.csv"]  # names shown as typed
    assert any("Your tracker spreadsheet" in m.value for m in at.markdown)
    assert any("LinkedIn connections" in m.value for m in at.markdown)
    who = at.selectbox(key="map:log.csv:None:Who")
    assert who.value == "name"
    at.selectbox(key="map:log.csv:None:Fav colour").set_value("notes")
    at.button[0].click().run()
    assert not at.exception
    assert len(at.success) == 2
    contacts = {c["name"]: c for c in list_contacts(open_workspace(empty_workspace))}
    assert set(contacts) == {"Ada Lovelace", "Grace Hopper", "Alan Turing"}
    assert contacts["Ada Lovelace"]["notes"] == "blue"


def test_a_bad_file_gets_a_clear_error_and_nothing_lands(page, empty_workspace) -> None:
    at = page("import_files").run()
    at.get("file_uploader")[0].set_value(("photo.csv", bytes(range(256)) * 4, "text/csv"))
    at.run()
    assert not at.exception
    assert "photo\\.csv" in at.error[0].value and "not a text file" in at.error[0].value
    assert not at.button
    assert list_contacts(open_workspace(empty_workspace)) == []
