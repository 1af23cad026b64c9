"""The Import page under hostile uploads: one clear error per bad file, the good files
still import, nothing of a bad file lands, and what the user typed shows as text."""

from __future__ import annotations

from pathlib import Path

from infoint_core.contacts import list_contacts
from infoint_core.store import open_workspace
from tests.samples.hostile import GOOD_TRACKER, REFUSED

HOSTILE = ["junk.csv", "legacy.xls", "bomb.zip", "dotdot.zip", "million.csv", "wide.csv"]


def upload(name: str, data: bytes) -> tuple[str, bytes, str]:
    return name, data, "application/octet-stream"


def test_bad_files_get_an_error_each_and_the_good_one_imports(page, empty_workspace: Path) -> None:
    files = [upload(name, REFUSED[name][0]()) for name in HOSTILE]
    at = page("import_files").run()
    at.get("file_uploader")[0].set_value([*files, upload("log.csv", GOOD_TRACKER)])
    at.run()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == len(HOSTILE)
    for name, error in zip(HOSTILE, errors, strict=True):
        shown = name.replace(".", "\\.")  # names are escaped, so shown as typed
        assert error.startswith(shown) and REFUSED[name][1].split()[-1] in error
    assert [s.value for s in at.subheader] == ["log\\.csv"]
    at.button[0].click().run()
    assert not at.exception
    assert len(at.success) == 1
    assert [c["name"] for c in list_contacts(open_workspace(empty_workspace))] == ["Grace Hopper"]


def test_names_in_files_and_file_names_show_as_text(page, empty_workspace: Path) -> None:
    trap_log = b"Name,Company,**bold**,<img src=x onerror=alert(1)>\nAda,Engines,x,y\n"
    at = page("import_files").run()
    at.get("file_uploader")[0].set_value(
        [
            upload("[x](javascript:alert(1)).csv", b""),
            upload("<script>alert(1)</script>.csv", trap_log),
        ]
    )
    at.run()
    assert not at.exception
    assert at.error[0].value.startswith("\\[x\\]\\(javascript:alert\\(1\\)\\)\\.csv: ")
    assert at.subheader[0].value == "\\<script\\>alert\\(1\\)\\</script\\>\\.csv"
    labels = [s.label for s in at.selectbox]
    assert "\\*\\*bold\\*\\*" in labels and "\\<img src=x onerror=alert\\(1\\)\\>" in labels
    assert all(e.proto.label.startswith("Columns of \\<script\\>") for e in at.expander)
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value.startswith("\\<script\\>alert")
