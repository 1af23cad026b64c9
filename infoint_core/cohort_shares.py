"""Reading share files into a cohort: the career centre's side of docs/share-format.md.

Shares come as files, zips of them and folders of either. Each one is checked on its
own: a file that is not a share, or of a version this infoint does not know, becomes a
one-line ``FileError`` and the rest still load. When a student sent several shares, the
newest (by ``created_at``) replaces the older ones, so nobody is counted twice.

The shares are then rebuilt into an in-memory workspace, one owner per student, with the
contacts and steps of each, so the very same stage, funnel, gap and referral read-outs
run on a cohort as on one student's log.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from infoint_core.errors import FileImportError
from infoint_core.records import DECLINED_STATUS, STAGES, EventKind
from infoint_core.referrals import ReferralGraph, referral_cycles
from infoint_core.store import Store, open_memory_workspace

SHARE_VERSIONS = frozenset({"1"})  # the share versions this infoint reads
VERSION_KEY = "infoint_share_version"
COLUMNS = ("contact", "source_category", "industry", "referred_by", "status", "kind",
           "on_date", "about")  # fmt: skip
MAX_FILE_BYTES = 64 * 2**20  # a share is a few kB per hundred contacts
MAX_ZIP_MEMBERS = 10_000
_MAX_ZIP_DEPTH = 2  # a zip of zips of shares, no deeper
_PARQUET_MAGIC = b"PAR1"
_ZIP_MAGIC = b"PK\x03\x04"
_KINDS = frozenset(k.value for k in EventKind)
_STATUSES = frozenset({*(s.value for s in STAGES), DECLINED_STATUS})
_TEXT_LIMIT = 200  # characters kept of a programme

Source = str | os.PathLike[str] | tuple[str, bytes]


class ShareFileError(FileImportError):
    """A file given as a share is not one, or is of a share version this infoint cannot read."""


@dataclass(frozen=True, slots=True)
class FileError:
    """A file that could not be read as a share, and why (one line)."""

    file: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Share:
    """One student's share as read: who, as of when, and its rows (``COLUMNS``)."""

    file: str
    student: str
    programme: str | None
    graduation_year: int | None
    as_of: date
    created_at: datetime
    rows: pl.DataFrame


@dataclass(slots=True)
class Cohort:
    """The shares loaded (the newest of each student), rebuilt as an in-memory workspace.

    ``owner_ids`` maps each student's pseudonym to their owner id in ``store``;
    ``replaced`` counts the older shares a newer one of the same student replaced.
    Close it (or use it in a ``with``) to free the workspace.
    """

    store: Store
    shares: list[Share]
    owner_ids: dict[str, int]
    errors: list[FileError] = field(default_factory=list)
    replaced: int = 0

    @property
    def as_of(self) -> date | None:
        """The newest day any share describes (None when nothing loaded)."""
        return max((s.as_of for s in self.shares), default=None)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Cohort:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def load_shares(sources: Sequence[Source]) -> Cohort:
    """Read every share in ``sources`` (files, zips of shares, folders; or ``(name,
    bytes)`` pairs as uploaded) into a new in-memory cohort.

    Never raises for a bad file: each becomes a ``FileError`` in ``Cohort.errors`` and the
    rest load. The newest share of a student (by ``created_at``; on a tie, the one given
    last) replaces the older ones.
    """
    shares: list[Share] = []
    errors: list[FileError] = []
    for source in sources:
        for item in _files_in(source):
            if isinstance(item, FileError):
                errors.append(item)
                continue
            try:
                shares.append(read_share(*item))
            except ShareFileError as e:
                errors.append(FileError(e.path, _reason(e)))
    newest: dict[str, Share] = {}
    for share in shares:
        known = newest.get(share.student)
        if known is None or share.created_at >= known.created_at:
            newest[share.student] = share
    kept = sorted(newest.values(), key=lambda s: s.student)
    store = open_memory_workspace()
    owner_ids = _store_shares(store, kept)
    return Cohort(store, kept, owner_ids, errors, replaced=len(shares) - len(kept))


def read_share(name: str, data: bytes) -> Share:
    """One share from the bytes of a file called ``name``.

    Raises ShareFileError saying what is wrong: not a Parquet file, a Parquet file that
    is not a share, an unknown share version, missing details or columns, a row with a
    value the format does not allow, or referral links that loop.
    """
    if not (data.startswith(_PARQUET_MAGIC) and data.endswith(_PARQUET_MAGIC)):
        raise ShareFileError(name, "not a share: an infoint share is a Parquet file")
    try:
        parquet = pq.ParquetFile(io.BytesIO(data))
        metadata = {
            k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
            for k, v in (parquet.metadata.metadata or {}).items()
        }
    except (pa.ArrowException, OSError, ValueError) as e:
        raise ShareFileError(name, "not a share: the Parquet file cannot be read") from e
    version = metadata.get(VERSION_KEY)
    if version is None:
        raise ShareFileError(name, "not an infoint share: the Parquet file has no share details")
    if version.strip() not in SHARE_VERSIONS:
        known = ", ".join(sorted(SHARE_VERSIONS))
        raise ShareFileError(
            name,
            f"share version {version.strip()[:20]!r} is not one this infoint reads "
            f"(it reads version {known}): upgrade infoint, or ask for a new share",
        )
    student = metadata.get("student", "").strip()
    if not student:
        raise ShareFileError(name, "the share names no student")
    try:
        table = parquet.read()
    except (pa.ArrowException, OSError, ValueError) as e:
        raise ShareFileError(name, "the share's rows cannot be read") from e
    return Share(
        file=name,
        student=student[:_TEXT_LIMIT],
        programme=_programme(metadata.get("programme")),
        graduation_year=_year(name, metadata.get("graduation_year")),
        as_of=_day(name, "as_of", metadata.get("as_of")),
        created_at=_moment(name, metadata.get("created_at")),
        rows=_rows(name, table),
    )


# Finding the files ---------------------------------------------------------------------


def _files_in(source: Source, depth: int = 0) -> Iterator[tuple[str, bytes] | FileError]:
    """Every candidate file in ``source`` as ``(name, bytes)``, or why it cannot be read."""
    if isinstance(source, tuple):
        name, data = source
        yield from _unpacked(name, data, depth)
        return
    path = Path(source)
    if path.is_dir():
        found = False
        for child in sorted(path.rglob("*")):
            if child.is_file() and not _hidden(child.relative_to(path).parts):
                found = True
                yield from _files_in(child, depth)
        if not found:
            yield FileError(str(path), "the folder holds no files")
        return
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield FileError(str(path), f"too large for a share (over {_mib(MAX_FILE_BYTES)})")
            return
        data = path.read_bytes()
    except FileNotFoundError:
        yield FileError(str(path), "no such file or folder")
        return
    except OSError as e:
        yield FileError(str(path), f"cannot be read: {e.strerror or e}")
        return
    yield from _unpacked(str(path), data, depth)


def _unpacked(name: str, data: bytes, depth: int) -> Iterator[tuple[str, bytes] | FileError]:
    """``(name, data)`` itself, or each file inside it when it is a zip."""
    if not data.startswith(_ZIP_MAGIC):
        yield name, data
        return
    if depth >= _MAX_ZIP_DEPTH:
        yield FileError(name, "a zip inside a zip inside a zip is not read")
        return
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = [
                m
                for m in archive.infolist()
                if not m.is_dir() and not _hidden(PurePosixPath(m.filename).parts)
            ]
            if len(members) > MAX_ZIP_MEMBERS:
                yield FileError(name, f"holds over {MAX_ZIP_MEMBERS:,} files")
                return
            if not members:
                yield FileError(name, "the zip holds no files")
            for member in members:
                inner = f"{name}/{member.filename}"
                if member.file_size > MAX_FILE_BYTES:
                    yield FileError(inner, f"too large for a share (over {_mib(MAX_FILE_BYTES)})")
                    continue
                yield from _unpacked(inner, archive.read(member), depth + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, RuntimeError, OSError, EOFError) as e:
        yield FileError(name, f"the zip cannot be read ({e})")


def _reason(error: ShareFileError) -> str:
    """What is wrong, with the row and column when known, without the file's name."""
    where = [f"row {error.row}"] if error.row else []
    where += [f"column {error.column!r}"] if error.column else []
    return f"{', '.join(where)}: {error.reason}" if where else error.reason


def _hidden(parts: Sequence[str]) -> bool:
    """Files a system leaves beside real ones: dot files, macOS ``__MACOSX`` folders."""
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _mib(size: int) -> str:
    return f"{size // 2**20} MB"


# Checking a share ----------------------------------------------------------------------


def _programme(text: str | None) -> str | None:
    cleaned = " ".join("".join(ch for ch in (text or "") if ch.isprintable()).split())
    return cleaned[:_TEXT_LIMIT] or None


def _year(name: str, text: str | None) -> int | None:
    cleaned = (text or "").strip()
    if not cleaned or cleaned.casefold() in {"none", "null"}:
        return None
    if not cleaned.isdigit() or not 1900 <= int(cleaned) <= 2200:
        raise ShareFileError(name, f"graduation_year {cleaned[:20]!r} is not a year")
    return int(cleaned)


def _day(name: str, key: str, text: str | None) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise ShareFileError(name, f"{key} {(text or '')[:30]!r} is not a date") from None


def _moment(name: str, text: str | None) -> datetime:
    try:
        moment = datetime.fromisoformat((text or "").strip())
    except ValueError:
        raise ShareFileError(name, f"created_at {(text or '')[:40]!r} is not a time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _rows(name: str, table: pa.Table) -> pl.DataFrame:
    """The share's rows, typed and checked (row numbers count from 1)."""
    missing = [c for c in COLUMNS if c not in table.column_names]
    if missing:
        raise ShareFileError(name, f"the share lacks the column(s) {', '.join(missing)}")
    frame = pl.from_arrow(table.select(list(COLUMNS)))
    assert isinstance(frame, pl.DataFrame)
    texts = [c for c in COLUMNS if c != "on_date"]
    for column in texts:
        if frame.schema[column] not in (pl.String, pl.Null, pl.Categorical):
            raise ShareFileError(name, "holds something other than text", column=column)
    frame = frame.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in texts
    ).with_columns(on_date=_as_dates(name, frame["on_date"]))
    _check(name, frame, pl.col("contact").is_null(), "contact", "a row without a contact")
    _check(name, frame, ~_allowed("kind", _KINDS), "kind", "a step kind the format lacks")
    _check(name, frame, ~_allowed("status", _STATUSES), "status", "a status the format lacks")
    _check_no_loops(name, frame)
    return frame


def _allowed(column: str, values: frozenset[str]) -> pl.Expr:
    return pl.col(column).is_null() | pl.col(column).is_in(sorted(values))


def _check(name: str, frame: pl.DataFrame, bad: pl.Expr, column: str, what: str) -> None:
    rows = frame.with_row_index("row", offset=1).filter(bad)
    if rows.height:
        first = rows.row(0, named=True)
        shown = "" if first[column] is None else f": {str(first[column])[:30]!r}"
        raise ShareFileError(name, f"{what}{shown}", row=first["row"], column=column)


def _as_dates(name: str, column: pl.Series) -> pl.Series:
    """``on_date`` as dates: dates, date-times or ISO text are all read."""
    if column.dtype == pl.Date:
        return column
    if column.dtype == pl.Null:
        return column.cast(pl.Date)
    if isinstance(column.dtype, pl.Datetime):
        return column.dt.date()
    if column.dtype == pl.String:
        parsed = column.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
        bad = parsed.is_null() & column.is_not_null() & (column.str.strip_chars() != "")
        if bad.any():
            row = int(bad.arg_true()[0]) + 1
            raise ShareFileError(name, "a step date that is not a date", row=row, column="on_date")
        return parsed
    raise ShareFileError(name, "holds something other than dates", column="on_date")


def _check_no_loops(name: str, frame: pl.DataFrame) -> None:
    """Refuse referral links that go round in a circle (the read-outs walk chains)."""
    links = frame.filter(pl.col("referred_by").is_not_null()).unique("contact", keep="first")
    ids = {c: i for i, c in enumerate(sorted({*frame["contact"], *links["referred_by"]}))}
    referrer = {ids[c]: ids[r] for c, r in links.select("contact", "referred_by").iter_rows()}
    referred: dict[int, list[int]] = {}
    for child, parent in referrer.items():
        referred.setdefault(parent, []).append(child)
    graph = ReferralGraph({i: str(i) for i in ids.values()}, referrer, referred)
    if referral_cycles(graph):
        raise ShareFileError(name, "its referral links go round in a circle", column="referred_by")


# Rebuilding the workspace --------------------------------------------------------------

_INSERT_OWNERS = """
INSERT INTO owners (id, name, programme, graduation_year)
SELECT id, name, programme, graduation_year FROM share_owners
"""
_INSERT_CONTACTS = """
INSERT INTO contacts (id, owner_id, name, name_key, source, industry, referred_by_id,
                      status, origin)
SELECT id, owner_id, contact, contact, source_category, industry, referred_by_id,
       status, 'share'
FROM share_contacts
"""
_INSERT_EVENTS = """
INSERT INTO events (owner_id, contact_id, kind, on_date, about_contact_id, origin)
SELECT owner_id, contact_id, kind, on_date, about_contact_id, 'share' FROM share_events
"""


def _store_shares(store: Store, shares: list[Share]) -> dict[str, int]:
    """Put ``shares`` into ``store``, one owner per student; returns pseudonym → owner id.

    A referrer or an outcome report's subject that has no row of its own becomes a
    contact with nothing but its id, as an import does with a referrer's name.
    """
    owner_ids = {share.student: i for i, share in enumerate(shares, start=1)}
    owners = pl.DataFrame(
        {
            "id": list(owner_ids.values()),
            "name": list(owner_ids),
            "programme": [s.programme for s in shares],
            "graduation_year": [s.graduation_year for s in shares],
        },
        schema={"id": pl.Int32, "name": pl.String, "programme": pl.String,
                "graduation_year": pl.Int32},
    )  # fmt: skip
    rows = pl.concat(
        [
            pl.DataFrame(schema={"owner_id": pl.Int32, **{c: pl.String for c in COLUMNS}})
            .with_columns(on_date=pl.lit(None, pl.Date)),
            *(s.rows.with_columns(owner_id=pl.lit(owner_ids[s.student], pl.Int32)) for s in shares),
        ],
        how="diagonal_relaxed",
    )  # fmt: skip
    contacts = _contacts(rows)
    ids = contacts.select("owner_id", "contact", "id")
    contacts = contacts.join(
        ids.rename({"contact": "referred_by", "id": "referred_by_id"}),
        on=["owner_id", "referred_by"],
        how="left",
    )
    events = (
        rows.filter(pl.col("kind").is_not_null())
        .join(ids.rename({"id": "contact_id"}), on=["owner_id", "contact"])
        .join(
            ids.rename({"contact": "about", "id": "about_contact_id"}),
            on=["owner_id", "about"],
            how="left",
        )
    )
    with (
        store.transaction(),
        store.frame_as_table("share_owners", owners),
        store.frame_as_table("share_contacts", contacts),
        store.frame_as_table("share_events", events),
    ):
        store.run(_INSERT_OWNERS)
        store.run(_INSERT_CONTACTS)
        store.run(_INSERT_EVENTS)
    return owner_ids


def _contacts(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per (owner, opaque id), with the first value each column gives it, and an
    id in the workspace."""
    first = [
        pl.col(c).drop_nulls().first().alias(c)
        for c in ("source_category", "industry", "referred_by", "status")
    ]
    own = rows.group_by("owner_id", "contact", maintain_order=True).agg(first)
    named = pl.concat(
        [
            rows.select("owner_id", contact="referred_by"),
            rows.filter(pl.col("kind") == EventKind.OUTCOME_REPORT).select(
                "owner_id", contact="about"
            ),
        ]
    ).drop_nulls()
    bare = named.unique(maintain_order=True).join(own, on=["owner_id", "contact"], how="anti")
    return (
        pl.concat([own, bare], how="diagonal_relaxed")
        .with_columns(pl.col("source_category").fill_null("unknown"))
        .with_row_index("id", offset=1)
        .with_columns(pl.col("id").cast(pl.Int32))
    )
