"""Import end to end: kind by content, the export zip, refusals, one transaction a file."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

import pytest

from infoint_core.contacts import list_contacts
from infoint_core.importers import ImportOptions, import_bytes
from infoint_core.store import Store
from tests.conftest import AS_OF
from tests.samples.linkedin import (
    Connection,
    Invitation,
    Message,
    connections_csv,
    invitations_csv,
    messages_csv,
    profile_csv,
)

OPTIONS = ImportOptions()
ME = ("Sam Student", "https://www.linkedin.com/in/sam-student")
ADA_URL = "https://www.linkedin.com/in/ada-lovelace"
CONNECTIONS = connections_csv(
    [
        Connection(
            "Ada",
            "Lovelace",
            date(2023, 2, 8),
            company="Analytical Engines",
            position="Engineer",
            url=ADA_URL,
        ),
        Connection(
            "Alan",
            "Turing",
            date(2024, 3, 1),
            company="Bletchley Park",
            url="https://www.linkedin.com/in/alan-turing",
        ),
    ],
    vintage="2024",
)
INVITATIONS = invitations_csv(
    [
        Invitation(
            ME[0],
            "Ada Lovelace",
            datetime(2023, 2, 1, 9, 30),
            "OUTGOING",
            sender_url=ME[1],
            recipient_url=ADA_URL,
        ),
        Invitation(
            "Linus Torvalds",
            ME[0],
            datetime(2023, 5, 2, 14, 0),
            "INCOMING",
            sender_url="https://www.linkedin.com/in/linus",
            recipient_url=ME[1],
        ),
    ],
    with_urls=True,
)
MESSAGES = messages_csv(
    [
        Message("c1", ME[0], ME[1], [("Ada Lovelace", ADA_URL)], datetime(2026, 10, 1, 10)),
        Message("c1", "Ada Lovelace", ADA_URL, [ME], datetime(2026, 10, 3, 16)),
        Message("c2", "LinkedIn Member", "", [ME], datetime(2026, 10, 5, 8)),
    ],
    columns=12,
    quote_all=True,
)


def export_zip(members: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


FULL_EXPORT = {
    "Connections.csv": CONNECTIONS,
    "Invitations.csv": INVITATIONS,
    "messages.csv": MESSAGES,
    "Profile.csv": profile_csv("Sam", "Student"),
    "Skills.csv": "Name\nPython\n",
    "Rich_Media.csv": "Date/Time,Media Description,Media Link\n",
}


def stages(store: Store) -> dict[str, str]:
    return {c["name"]: c["stage"] for c in list_contacts(store, as_of=AS_OF)}


def test_the_whole_export_zip_imports_every_file_it_holds(store: Store) -> None:
    result = import_bytes(store, "Basic_LinkedInDataExport.zip", export_zip(FULL_EXPORT), OPTIONS)
    assert result.error is None, result.error
    assert result.kind == "linkedin_export"
    assert stages(store) == {
        "Ada Lovelace": "responded",  # invited, messaged, answered
        "Alan Turing": "identified",
        "Linus Torvalds": "identified",  # an incoming invitation is not our outreach
    }
    kinds = store.rows("SELECT kind, count(*) FROM events GROUP BY kind ORDER BY kind")
    assert kinds == [("inbound", 1), ("outreach", 2), ("response", 1)]


def test_the_account_holder_and_linkedin_member_are_never_contacts(store: Store) -> None:
    import_bytes(store, "export.zip", export_zip(FULL_EXPORT), OPTIONS)
    names = set(stages(store))
    assert "Sam Student" not in names and "LinkedIn Member" not in names


def test_files_are_recognised_by_content_not_name(store: Store) -> None:
    misnamed = {
        "a.txt": CONNECTIONS,
        "b.xlsx": INVITATIONS,
        "Connections.csv": MESSAGES,
    }
    kinds = [
        import_bytes(store, name, text.encode(), OPTIONS).kind for name, text in misnamed.items()
    ]
    assert kinds == ["linkedin_connections", "linkedin_invitations", "linkedin_messages"]


def test_export_members_in_any_order_and_folder_give_the_same_log(tmp_path) -> None:
    from infoint_core.store import open_workspace

    first = open_workspace(tmp_path / "one.duckdb")
    import_bytes(first, "one.zip", export_zip(FULL_EXPORT), OPTIONS)
    reordered = {f"export/{name}": text for name, text in reversed(FULL_EXPORT.items())}
    second = open_workspace(tmp_path / "two.duckdb")
    import_bytes(second, "two.zip", export_zip(reordered), OPTIONS)
    assert list_contacts(first, as_of=AS_OF) == list_contacts(second, as_of=AS_OF)


def test_a_zip_without_linkedin_files_is_refused(store: Store) -> None:
    result = import_bytes(store, "holiday.zip", export_zip({"photo.csv": "a,b\n1,2\n"}), OPTIONS)
    assert result.error and "holiday.zip" in result.error and "LinkedIn" in result.error


def test_a_zip_member_path_outside_the_folder_is_refused(store: Store) -> None:
    evil = export_zip({"../../etc/Connections.csv": CONNECTIONS})
    result = import_bytes(store, "evil.zip", evil, OPTIONS)
    assert result.error and "outside" in result.error
    absolute = export_zip({"/tmp/Connections.csv": CONNECTIONS})
    assert "outside" in (import_bytes(store, "abs.zip", absolute, OPTIONS).error or "")
    assert store.value("SELECT count(*) FROM contacts") == 0


def test_a_zip_bomb_is_refused_before_it_is_read(store: Store) -> None:
    bomb = export_zip({"Connections.csv": CONNECTIONS, "messages.csv": b"\0" * (50 * 1024**2)})
    assert len(bomb) < 1024**2
    result = import_bytes(store, "bomb.zip", bomb, OPTIONS)
    assert result.error and "zip bomb" in result.error
    assert store.value("SELECT count(*) FROM contacts") == 0


def test_a_nested_zip_is_left_closed_with_a_warning(store: Store) -> None:
    inner = export_zip({"Connections.csv": CONNECTIONS})
    outer = export_zip({"Connections.csv": CONNECTIONS, "old/archive.zip": inner})
    result = import_bytes(store, "outer.zip", outer, OPTIONS)
    assert result.error is None
    assert any("archive.zip" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.csv", b"", "empty"),
        ("blank.csv", b"  \n\n", "empty"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "save it as .xlsx"),
        ("junk.csv", bytes(range(256)) * 4, "not a text file"),
        ("broken.xlsx", b"PK\x03\x04" + b"\0" * 100, "damaged"),
    ],
)
def test_unreadable_files_get_one_clear_line(store: Store, name, data, message) -> None:
    result = import_bytes(store, name, data, OPTIONS)
    assert result.error is not None
    assert result.error.startswith(name) and message in result.error
    assert "\n" not in result.error
    assert store.value("SELECT count(*) FROM imports") == 0


def test_a_bad_row_in_a_zip_member_names_the_member_and_row(store: Store) -> None:
    bad = CONNECTIONS.replace("08 Feb 2023", "someday")
    result = import_bytes(store, "export.zip", export_zip({"Connections.csv": bad}), OPTIONS)
    assert result.error and "export.zip" in result.error and "Connections.csv" in result.error
    assert "row" in result.error
    assert store.value("SELECT count(*) FROM contacts") == 0


def test_every_import_is_recorded(store: Store) -> None:
    import_bytes(store, "Connections.csv", CONNECTIONS.encode(), OPTIONS)
    assert store.rows("SELECT file_name, kind, rows, contacts_added FROM imports") == [
        ("Connections.csv", "linkedin_connections", 2, 2)
    ]
    assert len(store.value("SELECT sha256 FROM imports")) == 64
