"""The hostile corpus: files a user might upload that infoint must refuse or read safely.

Every file is built on the fly, small and fast (the largest, a million-row CSV, is 7 MB
made in milliseconds). ``REFUSED`` maps a file name to its bytes and a word the error
message must hold; ``TEXT_TRAPS`` are names and notes that must stay inert text.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable
from datetime import date

from tests.samples.linkedin import Connection, connections_csv
from tests.samples.trackers import workbook_bytes

TEXT_TRAPS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "**bold**",
    '"];evil[',
)

GOOD_TRACKER = b"Name,Company,Date contacted\nGrace Hopper,Navy,2026-10-01\n"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zip_of(members: dict[str, bytes]) -> bytes:
    """A deflated zip of ``members``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def password_flagged(data: bytes) -> bytes:
    """``data`` (a zip) with every member marked as encrypted, as a password-protected
    export is (Python's zipfile cannot write one, so the flag bit is set in place)."""
    flagged = bytearray(data)
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = flagged.find(signature)
        while start != -1:
            flagged[start + flags_at] |= 0x1
            start = flagged.find(signature, start + 4)
    return bytes(flagged)


def rewrite_member(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """``data`` (a zip) with member ``name`` passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            target.writestr(info.filename, change(content) if info.filename == name else content)
    return buffer.getvalue()


def small_workbook() -> bytes:
    return workbook_bytes({"Log": [["Name", "Company"], ["Ada Lovelace", "Engines"]]})


def connections() -> bytes:
    return connections_csv([Connection("Alan", "Turing", date(2024, 3, 1))]).encode()


def declared_dimension(data: bytes, ref: str) -> bytes:
    """A workbook whose first sheet declares it spans ``ref`` (e.g. ``A1:B1000000``)."""
    return rewrite_member(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml),
    )


def formula_workbook() -> bytes:
    """A tracker whose Company cell is a formula with a cached value, and whose Notes cell
    is a formula Excel never calculated (no cached value)."""
    book = workbook_bytes(
        {"Log": [["Name", "Company", "Notes"], ["Ada Lovelace", "=1+1", '=HYPERLINK("x")']]}
    )

    def cache(xml: bytes) -> bytes:  # as Excel saves a calculated text formula
        return xml.replace(
            b'<c r="B2"><f>1+1</f><v /></c>',
            b'<c r="B2" t="str"><f>UPPER(&quot;acme&quot;)</f><v>ACME</v></c>',
        )

    return rewrite_member(book, "xl/worksheets/sheet1.xml", cache)


def _export() -> bytes:
    return zip_of({"Connections.csv": connections()})


def _junk() -> bytes:
    return random.Random(7).randbytes(4096)


def _wide_csv() -> bytes:
    header = ",".join(["Name", *(f"Column {i}" for i in range(10_000))])
    row = ",".join(["Ada Lovelace", *("x" for _ in range(10_000))])
    return f"{header}\n{row}\n".encode()


def _wide_workbook() -> bytes:
    return workbook_bytes({"Log": [["Name", *(f"c{i}" for i in range(10_000))], ["Ada"]]})


def _million_rows() -> bytes:
    return b"Name,Company\n" + b"Ada Lovelace,Engines\n" * 1_000_000


def _nested_only() -> bytes:
    return zip_of({"old/export.zip": zip_of({"Connections.csv": connections()})})


def _bomb() -> bytes:
    return zip_of({"Connections.csv": connections(), "messages.csv": b"\0" * (50 * 1024**2)})


def _truncated() -> bytes:
    book = small_workbook()
    return book[: len(book) // 2]


# name -> (builder, a word the one-line error must hold)
REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty.csv": (lambda: b"", "empty"),
    "blank.csv": (lambda: b" \r\n\t\n", "empty"),
    "junk.csv": (_junk, "not a text file"),
    "truncated.xlsx": (_truncated, "damaged"),
    "locked.xlsx": (lambda: _OLE_MAGIC + b"\0" * 4096, "password"),
    "legacy.xls": (lambda: _OLE_MAGIC + b"\0" * 4096, "save it as .xlsx"),
    "bomb.zip": (_bomb, "zip bomb"),
    "nested.zip": (_nested_only, "no Connections.csv"),
    "dotdot.zip": (lambda: zip_of({"../../Connections.csv": connections()}), "outside"),
    "absolute.zip": (lambda: zip_of({"/etc/Connections.csv": connections()}), "outside"),
    "drive.zip": (lambda: zip_of({"C:\\Connections.csv": connections()}), "outside"),
    "locked.zip": (
        lambda: password_flagged(zip_of({"Connections.csv": connections()})),
        "password",
    ),
    "wide.csv": (_wide_csv, "1,000 columns"),
    "wide.xlsx": (_wide_workbook, "1,000 columns"),
    "million.csv": (_million_rows, "200,000 rows"),
    "million.xlsx": (lambda: declared_dimension(small_workbook(), "A1:B1000000"), "200,000 rows"),
    "latin.csv": (lambda: b"Name,Company\nAd\x81\x8d\x8f,X\n", "encoding"),
    "bad-bom.csv": (lambda: b"\xef\xbb\xbfName,Company\nAd\xffa,X\n", "utf-8"),
    "no-header.csv": (lambda: b"hello\nworld\n", "no header row"),
    "Profile.csv": (
        lambda: b"First Name,Last Name,Maiden Name,Address,Birth Date,Headline\nSam,S,,,,x\n",
        "Profile.csv",
    ),
}
