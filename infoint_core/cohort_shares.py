"""Reading share files into a cohort: the career centre's side of docs/share-format.md.

Shares come as files, zips of them and folders of either. A file that is not a share, or
of a version this infoint does not know, or with a row the format does not allow, becomes
a one-line ``FileError`` naming it, and the rest still load. When a student sent several
shares, the newest (by ``created_at``) replaces the older ones, so nobody is counted twice.

Thousands of shares are read as one: each file's details (its Parquet footer) are checked
on their own, which is cheap, but the rows of every file are read in one Parquet scan and
checked once, with expressions over all of them; a problem found is traced back to the
file and row it came from. The rows are then rebuilt into an in-memory workspace, one
owner per student, so the very same stage, funnel, gap and referral read-outs run on a
cohort as on one student's log. Its contacts and steps are kept compressed (a tenth of
their plain size), and are stored by a second thread while the next batch is read.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from infoint_core.cohort_checks import row_problems
from infoint_core.errors import FileImportError
from infoint_core.records import EventKind
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
_TEXT_LIMIT = 200  # characters kept of a programme
_TEXTS = tuple(c for c in COLUMNS if c != "on_date")
_WORDS = ("source_category", "industry", "status", "kind")  # a few distinct values each
_ROW_SCHEMA = pl.Schema({c: pl.Date if c == "on_date" else pl.String for c in COLUMNS})
# The Arrow types infoint's writer gives each column: files with them are read together.
_WRITTEN_TYPES = {c: (pa.date32(),) if c == "on_date" else (pa.string(), pa.large_string())
                  for c in COLUMNS}  # fmt: skip
_PLACE = {"file": pl.UInt32, "row": pl.UInt32}  # where a row came from (row counts from 1)
_KEY = ("owner_id", "contact")  # a contact in the rows: its student and opaque id

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
    """One student's share as read: which file, who, and as of when (its rows are in the
    cohort's workspace)."""

    file: str
    student: str
    programme: str | None
    graduation_year: int | None
    as_of: date
    created_at: datetime


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


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A file whose details make a share: where it came in the input (errors are listed in
    that order), its share, how many rows it holds, and whether its columns have the types
    infoint writes (``written``: read with the others) or need converting (read alone)."""

    given: int
    share: Share
    rows: int
    written: bool


def load_shares(sources: Sequence[Source]) -> Cohort:
    """Read every share in ``sources`` (files, zips of shares, folders; or ``(name,
    bytes)`` pairs as uploaded) into a new in-memory cohort.

    Never raises for a bad file: each becomes a ``FileError`` in ``Cohort.errors`` (in the
    order the files were given) and the rest load. The newest share of a student (by
    ``created_at``; on a tie, the one given last) replaces the older ones.
    """
    # The rows are stored on a second thread (see ``_store_batches``), which first opens
    # the workspace while the files' details are read here.
    with ThreadPoolExecutor(1, thread_name_prefix="cohort-store") as storing:
        opening = storing.submit(_opened_workspace)
        try:
            errors, found = _candidates(sources)
        except BaseException:
            opening.result().close()
            raise
        loading = _Loading(opening.result(), errors=errors)
        try:
            _store_batches(loading, _batches(found), storing)
        except BaseException:
            loading.store.close()
            raise
    shares = loading.shares
    return Cohort(
        loading.store,
        shares,
        {s.student: owner for owner, s in enumerate(shares, start=1)},
        [e for _, e in sorted(loading.errors, key=lambda e: e[0])],
        replaced=loading.replaced,
    )


def _candidates(
    sources: Sequence[Source],
) -> tuple[list[tuple[int, FileError]], list[tuple[_Candidate, bytes]]]:
    """Every file in ``sources`` whose details make a share, with its bytes, in student
    order; and why each other file is not one (with its place among the files given)."""
    errors: list[tuple[int, FileError]] = []
    found: list[tuple[_Candidate, bytes]] = []
    for given, item in enumerate(item for source in sources for item in _files_in(source)):
        if isinstance(item, FileError):
            errors.append((given, item))
            continue
        try:
            found.append((_candidate(given, *item), item[1]))
        except ShareFileError as e:
            errors.append((given, FileError(e.path, _reason(e))))
    # In student order: owner ids are given in that order, and each batch holds whole
    # students, so the workspace keeps each student's rows together.
    found.sort(key=lambda c: (c[0].share.student, c[0].share.created_at, c[0].given))
    return errors, found


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


# A file's details ----------------------------------------------------------------------


def _candidate(given: int, name: str, data: bytes) -> _Candidate:
    """The share a file's details (its Parquet footer) describe; its rows are not read.

    Raises ShareFileError saying what is wrong: not a Parquet file, a Parquet file that
    is not a share, an unknown share version, or missing details or columns.
    """
    if not (data.startswith(_PARQUET_MAGIC) and data.endswith(_PARQUET_MAGIC)):
        raise ShareFileError(name, "not a share: an infoint share is a Parquet file")
    try:
        footer = pq.read_metadata(pa.BufferReader(data))
        schema = footer.schema.to_arrow_schema()
        metadata = {
            k.decode("utf-8", "replace"): v.decode("utf-8", "replace")
            for k, v in (footer.metadata or {}).items()
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
    share = Share(
        file=name,
        student=student[:_TEXT_LIMIT],
        programme=_programme(metadata.get("programme")),
        graduation_year=_year(name, metadata.get("graduation_year")),
        as_of=_day(name, "as_of", metadata.get("as_of")),
        created_at=_moment(name, metadata.get("created_at")),
    )
    names = schema.names  # built anew at each use
    missing = [c for c in COLUMNS if c not in names]
    if missing:
        raise ShareFileError(name, f"the share lacks the column(s) {', '.join(missing)}")
    written = all(
        names.count(c) == 1 and schema.field(c).type in _WRITTEN_TYPES[c] for c in COLUMNS
    )
    return _Candidate(given, share, footer.num_rows, written)


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


# Reading the rows ----------------------------------------------------------------------


def _read_rows(
    found: Sequence[tuple[_Candidate, bytes]],
) -> tuple[pl.DataFrame, dict[int, ShareFileError]]:
    """Every candidate's rows, typed (``COLUMNS``, text stripped, "" as null) and placed
    (``file``: the candidate's position in ``found``; ``row``, from 1), with the files
    refused for their rows, by position.

    The files with the column types infoint writes are read in one scan; a file with
    other types is converted on its own, and so is every file when the scan fails (a
    damaged file among them), to tell which one it was.
    """
    together = [i for i, (c, _) in enumerate(found) if c.written]
    alone = [i for i, (c, _) in enumerate(found) if not c.written]
    parts = [pl.DataFrame(schema=_PLACE | _ROW_SCHEMA)]
    try:
        parts.append(_scan([found[i] for i in together], together))
    except (pl.exceptions.PolarsError, OSError):
        alone = list(range(len(found)))
    refused: dict[int, ShareFileError] = {}
    for i in alone:
        candidate, data = found[i]
        try:
            parts.append(_placed(_converted(candidate.share.file, data), i))
        except ShareFileError as e:
            refused[i] = e
    rows = pl.concat(parts)
    if len(parts) > 2:  # files read alone come after the scan: back in file order
        rows = rows.sort("file", "row")
    rows = _cleaned(rows)
    for i, problem in row_problems(rows).items():
        name = found[i][0].share.file
        error = ShareFileError(name, problem.reason, row=problem.row, column=problem.column)
        refused.setdefault(i, error)
    return rows, refused


def _cleaned(rows: pl.DataFrame) -> pl.DataFrame:
    """``rows`` with their text stripped and "" as null.

    A column of a few words (``_WORDS``) is stripped word by word, over its distinct
    values, and left alone when none needs it (as in every file infoint writes): cheaper
    than stripping a million rows.
    """
    cleaned = [pl.col(c).str.strip_chars().replace("", None) for c in _TEXTS if c not in _WORDS]
    distinct = rows.select(pl.col(_WORDS).unique().implode())  # every column at once
    for column in _WORDS:
        words = distinct[column].explode().drop_nulls()
        clean = words.str.strip_chars().replace("", None)
        changed = words.ne_missing(clean)
        if changed.any():
            cleaned.append(pl.col(column).replace(words.filter(changed), clean.filter(changed)))
    return rows.with_columns(cleaned)


def _scan(found: Sequence[tuple[_Candidate, bytes]], files: list[int]) -> pl.DataFrame:
    """The rows of ``found`` (files with the written column types) in one Parquet scan,
    placed: ``files`` are their positions."""
    if not found:
        return pl.DataFrame(schema=_PLACE | _ROW_SCHEMA)
    rows = pl.scan_parquet(
        [data for _, data in found], schema=_ROW_SCHEMA, extra_columns="ignore",
        row_index_name="at",
    ).collect()  # fmt: skip
    counts = pl.DataFrame(
        {"file": files, "rows": [c.rows for c, _ in found]},
        schema={"file": pl.UInt32, "rows": pl.UInt32},
    ).with_columns(start=pl.col("rows").cum_sum() - pl.col("rows"))
    spread = counts.filter(pl.col("rows") > 0).select(
        pl.col("file", "start").repeat_by("rows").explode()
    )
    if spread.height != rows.height:  # rows would be put down to the wrong files
        raise pl.exceptions.ComputeError("the files hold other row counts than they say")
    return rows.select(
        spread["file"], (rows["at"] - spread["start"] + 1).cast(pl.UInt32).alias("row"), *COLUMNS
    )


def _converted(name: str, data: bytes) -> pl.DataFrame:
    """The rows of a file whose columns have other types than infoint writes: text of any
    kind as text; dates, date-times or ISO text as dates.

    Raises ShareFileError when the rows cannot be read, or a column holds other things.
    """
    try:
        table = pq.ParquetFile(pa.BufferReader(data)).read().select(list(COLUMNS))
    except (pa.ArrowException, OSError, ValueError, KeyError) as e:
        raise ShareFileError(name, "the share's rows cannot be read") from e
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    for column in _TEXTS:
        if frame.schema[column] not in (pl.String, pl.Null, pl.Categorical):
            raise ShareFileError(name, "holds something other than text", column=column)
    return frame.select(
        *(pl.col(c).cast(pl.String) if c in _TEXTS else _as_dates(name, frame[c]) for c in COLUMNS)
    )


def _placed(frame: pl.DataFrame, file: int) -> pl.DataFrame:
    return frame.select(
        pl.lit(file, pl.UInt32).alias("file"),
        pl.int_range(1, pl.len() + 1, dtype=pl.UInt32).alias("row"),
        *COLUMNS,
    )


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


# Rebuilding the workspace --------------------------------------------------------------

# A cohort's contacts and steps. The workspace is read, never written after loading, and a
# share fills few of a workspace's columns: only those are stored, in plain tables (no
# keys or indexes: DuckDB's keys cost more to keep up on a million-row insert than all the
# rest of the load, and the read-outs scan, never look one row up). The views ``contacts``
# and ``events`` give the read-outs every column of a workspace, the others empty or the
# same for every row, at no cost in memory: the rows take half what full rows took.
#
# The two tables live in a database of their own, in memory but compressed: 2,000
# students' contacts and steps take 9 MB there instead of 88 MB. Each batch is stored in
# a transaction of its own, whose commit is large enough for DuckDB to checkpoint, which
# compresses the batch's rows: a load holds no more than a batch of them plain.
# ``_COMPRESS`` compresses at the end whatever a commit left plain (a batch of over
# 122,880 steps can be). Compressing costs about 0.4 s of processor time per 2,000
# students, spent on the thread that stores the rows while the next batch is read.
_ROWS_DB = "cohort_rows"
_ROWS_TABLES = (
    f"ATTACH ':memory:' AS {_ROWS_DB} (COMPRESS)",
    f"""CREATE TABLE {_ROWS_DB}.cohort_contacts (
            id INTEGER, owner_id INTEGER, name VARCHAR, industry VARCHAR, source VARCHAR,
            referred_by_id INTEGER, status VARCHAR)""",
    f"""CREATE TABLE {_ROWS_DB}.cohort_events (
            id BIGINT, owner_id INTEGER, contact_id INTEGER, kind VARCHAR, on_date DATE,
            about_contact_id INTEGER)""",
)
_NARROW_VIEWS = (
    "CREATE TABLE cohort_loaded AS SELECT current_timestamp::TIMESTAMP AS at",
    "DROP TABLE contacts",
    "DROP TABLE events",
    f"""
CREATE VIEW contacts AS
SELECT c.id, c.owner_id, c.name, NULL::VARCHAR AS email, NULL::VARCHAR AS linkedin_url,
       NULL::VARCHAR AS company, NULL::VARCHAR AS position, c.industry, c.source,
       c.referred_by_id, NULL::DATE AS connected_on, c.status, NULL::VARCHAR AS notes,
       NULL::VARCHAR AS url_key, NULL::VARCHAR AS email_key, c.name AS name_key,
       NULL::VARCHAR AS company_key, 0::SMALLINT AS precedence, 'share' AS origin,
       l.at AS created_at, l.at AS updated_at
FROM {_ROWS_DB}.cohort_contacts c, cohort_loaded l
""",
    f"""
CREATE VIEW events AS
SELECT e.id, e.owner_id, e.contact_id, e.kind, e.on_date, e.about_contact_id,
       NULL::VARCHAR AS detail, 'share' AS origin, NULL::INTEGER AS import_id,
       l.at AS created_at
FROM {_ROWS_DB}.cohort_events e, cohort_loaded l
""",
)
_BATCH_ROWS = 125_000  # rows read, checked and stored at a time: bounds a load's memory
_INSERT_OWNERS = """
INSERT INTO owners (id, name, programme, graduation_year)
SELECT id, name, programme, graduation_year FROM share_owners
"""
_INSERT_CONTACTS = f"""
INSERT INTO {_ROWS_DB}.cohort_contacts
    (id, owner_id, name, industry, source, referred_by_id, status)
SELECT id + $contacts, owner_id, contact, industry, source_category,
       referred_by_id + $contacts, status
FROM share_contacts
"""
_INSERT_EVENTS = f"""
INSERT INTO {_ROWS_DB}.cohort_events
    (id, owner_id, contact_id, kind, on_date, about_contact_id)
SELECT id + $events, owner_id, contact_id + $contacts, kind, on_date,
       about_contact_id + $contacts
FROM share_events
"""
_COMPRESS = f"CHECKPOINT {_ROWS_DB}"  # a no-op when every commit compressed its rows


def _batches(found: list[tuple[_Candidate, bytes]]) -> Iterator[list[tuple[_Candidate, bytes]]]:
    """``found`` (emptied: each file's bytes are let go once its batch is done) in runs
    of about ``_BATCH_ROWS`` rows, a student's files never split between two."""
    pending = found[::-1]
    found.clear()
    while pending:
        batch = [pending.pop()]
        rows = batch[0][0].rows
        while pending and (
            rows < _BATCH_ROWS or pending[-1][0].share.student == batch[-1][0].share.student
        ):
            batch.append(pending.pop())
            rows += batch[-1][0].rows
        yield batch


def _opened_workspace() -> Store:
    """A new in-memory workspace whose ``contacts`` and ``events`` are views over
    ``_ROWS_TABLES``, made before any row goes in.

    A transaction writes to one database only: the tables are made first, the views in a
    transaction of their own.
    """
    store = open_memory_workspace()
    try:
        for statement in _ROWS_TABLES:
            store.run(statement)
        with store.transaction():
            for statement in _NARROW_VIEWS:
                store.run(statement)
    except BaseException:
        store.close()
        raise
    return store


def _store_batches(
    loading: _Loading,
    batches: Iterator[Sequence[tuple[_Candidate, bytes]]],
    storing: ThreadPoolExecutor,
) -> None:
    """Read every batch into ``loading`` on this thread while the one before is stored on
    ``storing`` (Polars and DuckDB both let go of Python's lock as they work), then store
    the owners; every row ends up compressed.

    DuckDB stores on one thread: spread over more, an insert costs more CPU time and
    saves no wall time. Setting the threads back afterwards also makes DuckDB hand the
    memory the load freed back to the system.
    """
    loading.store.run("SET threads = 1")
    stored: Future[None] | None = None
    for batch in batches:
        rows = loading.read(batch)
        if stored is not None:
            stored.result()  # one batch stored at a time, in order
        stored = storing.submit(loading.store_rows, rows)
    if stored is not None:
        stored.result()
    storing.submit(loading.finish).result()
    loading.store.run("RESET threads")  # the read-outs use every core


@dataclass(frozen=True, slots=True)
class _Rows:
    """A batch read and ready to store: its contacts and steps, ids counting from 1, and
    the ids given before them (the batch's are shifted past those)."""

    contacts: pl.DataFrame
    events: pl.DataFrame
    contacts_before: int
    events_before: int


@dataclass(slots=True)
class _Loading:
    """A cohort being loaded, batch by batch: its workspace and what it holds so far.

    ``read`` runs on the loading thread, ``store_rows`` and ``finish`` on the storing one.
    """

    store: Store
    shares: list[Share] = field(default_factory=list)
    errors: list[tuple[int, FileError]] = field(default_factory=list)  # by file given
    replaced: int = 0
    contacts: int = 0  # the ids given so far
    events: int = 0
    owners: list[pl.DataFrame] = field(default_factory=list)  # stored last

    def read(self, batch: Sequence[tuple[_Candidate, bytes]]) -> _Rows:
        """Read and check ``batch`` (whole students): the contacts and steps of the newest
        valid share of each of its students, one owner each."""
        rows, refused = _read_rows(batch)
        self.errors += [
            (batch[i][0].given, FileError(e.path, _reason(e))) for i, e in refused.items()
        ]
        valid = [i for i in range(len(batch)) if i not in refused]
        newest = {batch[i][0].share.student: i for i in valid}  # the last: the newest
        files = [newest[student] for student in sorted(newest)]
        shares = [batch[i][0].share for i in files]
        owners = _owners(shares, first=len(self.shares) + 1)
        owner_ids = pl.col("file").replace_strict(files, owners["id"], default=None)
        rows = rows.select(owner_ids.alias("owner_id"), *COLUMNS).drop_nulls("owner_id")
        contacts, events = _contacts_and_events(rows)
        read = _Rows(contacts, events, self.contacts, self.events)
        self.owners.append(owners)
        self.shares += shares
        self.replaced += len(valid) - len(files)
        self.contacts += contacts.height
        self.events += events.height
        return read

    def store_rows(self, rows: _Rows) -> None:
        """Store a batch's contacts and steps, in a transaction of their own (whose commit
        compresses them: see ``_ROWS_TABLES``)."""
        with (
            self.store.frame_as_table("share_contacts", rows.contacts),
            self.store.frame_as_table("share_events", rows.events),
            self.store.transaction(),
        ):
            self.store.run(_INSERT_CONTACTS, {"contacts": rows.contacts_before})
            self.store.run(
                _INSERT_EVENTS, {"contacts": rows.contacts_before, "events": rows.events_before}
            )

    def finish(self) -> None:
        """Store the owners, and make sure every row is compressed."""
        if self.owners:
            with (
                self.store.frame_as_table("share_owners", pl.concat(self.owners)),
                self.store.transaction(),
            ):
                self.store.run(_INSERT_OWNERS)
        self.store.run(_COMPRESS)


def _owners(shares: Sequence[Share], first: int) -> pl.DataFrame:
    """The owners ``shares`` become, with ids from ``first``."""
    return pl.DataFrame(
        {
            "id": range(first, first + len(shares)),
            "name": [s.student for s in shares],
            "programme": [s.programme for s in shares],
            "graduation_year": [s.graduation_year for s in shares],
        },
        schema={"id": pl.Int32, "name": pl.String, "programme": pl.String,
                "graduation_year": pl.Int32},
    )  # fmt: skip


def _contacts_and_events(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """One contact per (owner, opaque id), with the first value each column gives it and
    an id in the workspace; and the steps, with the ids of their contacts.

    A referrer or an outcome report's subject without a row of its own becomes a contact
    with nothing but its id, as an import does with a referrer's name. ``rows`` are
    grouped by owner, so ids go owner by owner, each owner's contacts in the order they
    first appear, then the contacts only named (in the order they are first named).

    The rows' contacts get their ids without grouping on the opaque ids (see
    ``_contact_ids``); only the few referrers and subjects are looked up by id.
    """
    referrers = rows["referred_by"].is_not_null()
    subjects = rows["about"].is_not_null()
    ids, keys = _contact_ids(rows)
    mentions = pl.concat(
        [
            rows.filter(referrers).select("owner_id", contact="referred_by", named=pl.lit(True)),
            # Only an outcome report makes a contact of its subject; other steps' are looked up.
            rows.filter(subjects).select(
                "owner_id", contact="about", named=pl.col("kind") == EventKind.OUTCOME_REPORT
            ),
        ]
    ).join(keys.with_row_index("id", offset=1), on=_KEY, how="left", maintain_order="left")
    only_named = (
        mentions.filter(pl.col("id").is_null())
        .group_by(*_KEY, maintain_order=True)
        .agg(pl.col("named").any())
        .filter("named")
        .select(*_KEY, id=pl.int_range(pl.len(), dtype=pl.Int32) + (keys.height + 1))
    )
    mentioned = mentions.join(
        only_named, on=_KEY, how="left", suffix="_named", maintain_order="left"
    ).select(pl.coalesce(pl.col("id").cast(pl.Int32), "id_named"))["id"]
    firsts = (
        rows.select(
            ids, "source_category", "industry", "status",
            referred_by_id=mentioned.gather(_positions(referrers, 0)),
        )
        .group_by("id", maintain_order=True)
        .agg(pl.all().drop_nulls().first())
    )  # fmt: skip
    contacts = pl.concat(
        [
            pl.concat([firsts.select("id"), keys, firsts.drop("id")], how="horizontal"),
            only_named.select("id", *_KEY),
        ],
        how="diagonal_relaxed",
    ).with_columns(pl.col("source_category").fill_null("unknown"))
    events = (
        rows.select(
            "owner_id", "kind", "on_date",
            contact_id=ids,
            about_contact_id=mentioned.gather(_positions(subjects, referrers.sum())),
        )
        .filter(pl.col("kind").is_not_null())
        .with_row_index("id", offset=1)
    )  # fmt: skip
    return contacts, events


def _contact_ids(rows: pl.DataFrame) -> tuple[pl.Series, pl.DataFrame]:
    """Each row's contact id (``id``, from 1, in the order contacts first appear), and
    each contact's (owner, opaque id) in id order.

    A share lists a contact's rows together, so the ids are counted where the contact
    changes from one row to the next: no grouping on a million text ids. Only when a
    contact comes back later (never in a share infoint writes; its hash met twice) are
    the rows grouped by contact.
    """
    changes = pl.col("owner_id").ne_missing(pl.col("owner_id").shift()) | pl.col(
        "contact"
    ).ne_missing(pl.col("contact").shift())
    first = rows.select(changes).to_series()
    keys = rows.select(*_KEY).filter(first)
    if not keys.select(
        pl.struct("owner_id", pl.col("contact").hash()).is_duplicated().any()
    ).item():
        return first.cum_sum().cast(pl.Int32).alias("id").set_sorted(), keys
    first_at = rows.select(*_KEY).with_row_index("at").select(pl.col("at").first().over(*_KEY))
    ids = first_at.to_series().rank("dense").cast(pl.Int32).alias("id")
    return ids, rows.select(*_KEY).filter(ids.is_first_distinct())


def _positions(mask: pl.Series, start: int) -> pl.Series:
    """For each true in ``mask``, its place among them counted from ``start``; else null."""
    return pl.select(pl.when(mask).then(mask.cum_sum().cast(pl.Int64) + (start - 1))).to_series()
