"""Reading a LinkedIn data export ``.zip`` safely.

Members are read into memory (never extracted to disk), and the archive is refused
before anything is read when it could be a zip bomb or names paths outside its folder.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from infoint_core.errors import ParseError

MAX_MEMBER_BYTES = 256 * 1024 * 1024
MAX_TOTAL_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed: text compresses ~10 times, bombs ~1000
MAX_MEMBERS = 10_000
_RATIO_FLOOR = 1024 * 1024  # small members may compress well without being suspect


@dataclass(frozen=True, slots=True)
class Member:
    name: str
    data: bytes


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


def is_workbook(data: bytes) -> bool:
    """An Office Open XML workbook (.xlsx/.xlsm) is a zip with a ``xl/workbook.xml``."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "[Content_Types].xml" in names and any(n.startswith("xl/workbook") for n in names)


def read_csv_members(data: bytes) -> tuple[list[Member], list[str]]:
    """The ``.csv`` members of an export zip, and warnings about what was left out.

    Raises ParseError for an archive that is damaged, a likely zip bomb, or one whose
    member paths leave the folder.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as e:
        raise ParseError(f"this zip file is damaged: {e}") from e
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        _check_safe(infos)
        members, warnings = [], []
        for info in infos:
            if info.filename.lower().endswith(".zip"):
                warnings.append(f"{info.filename}: a zip inside the zip was not opened")
            elif info.filename.lower().endswith(".csv"):
                members.append(Member(info.filename, _read(archive, info)))
        return members, warnings


def _check_safe(infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise ParseError(f"the zip holds {len(infos):,} files, more than an export has")
    for info in infos:
        name = info.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/") or (len(name) > 1 and name[1] == ":"):
            raise ParseError(f"the zip names a path outside its folder: {info.filename!r}")
        if info.flag_bits & 0x1:
            raise ParseError(f"{info.filename} in the zip is password-protected")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER_BYTES or (
            info.file_size > _RATIO_FLOOR and ratio > MAX_RATIO
        ):
            raise ParseError(f"the zip looks like a zip bomb ({info.filename} expands too far)")
    if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
        raise ParseError("the zip expands to more than 1 GiB; that is not a LinkedIn export")


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read a member, never more than its declared size (headers can lie)."""
    try:
        with archive.open(info) as stream:
            data = stream.read(info.file_size + 1)
    except (zipfile.BadZipFile, OSError, EOFError) as e:
        raise ParseError(f"{info.filename} in the zip is damaged: {e}") from e
    if len(data) > info.file_size:
        raise ParseError(f"the zip looks like a zip bomb ({info.filename} expands too far)")
    return data
