"""The workspace: one DuckDB file. The only module that imports ``duckdb``.

Streamlit serves every browser session on its own thread, and a DuckDB file can be
opened by only one process at a time. So a process holds one connection per file
(``open_workspace`` hands back the same ``Store``) and each thread works through its own
cursor. Writes are serialised within the process (see ``Store.transaction``); reads run
side by side. Every ``duckdb.Error`` is re-raised as ``WorkspaceError``.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import polars as pl

from infoint_core.errors import WorkspaceError
from infoint_core.migrations import MIGRATIONS

DEFAULT_DB = Path("data") / "infoint.duckdb"
ENV_VAR = "INFOINT_DB"

Params = Sequence[Any] | Mapping[str, Any] | None
T = TypeVar("T")
_READERS = 2  # reader threads per workspace (``Store.aside``), shared by every session

# Statements that change the database: outside a transaction they still wait for the
# write lock, so they never collide with another session's transaction.
_WRITE_STATEMENT = re.compile(
    r"^\s*(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|COPY|CHECKPOINT)\b", re.IGNORECASE
)


def workspace_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """Where the workspace lives: ``--db``, else ``$INFOINT_DB``, else ``data/infoint.duckdb``."""
    if explicit:
        return Path(explicit)
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    return DEFAULT_DB


class Store:
    """A workspace database. Use ``open_workspace`` rather than building one directly."""

    def __init__(self, path: Path, connection: duckdb.DuckDBPyConnection) -> None:
        self.path = path
        self._connection = connection
        self._local = threading.local()
        # DuckDB fails the second of two transactions that touch the same row ("Conflict
        # on update") and lets two check-then-insert transactions both insert; writers
        # take turns so that every session's write lands once.
        self._write_lock = threading.RLock()
        self._version_lock = threading.Lock()
        self._data_version = 0
        self._readers: ThreadPoolExecutor | None = None
        self._readers_lock = threading.Lock()

    @property
    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._connection.cursor()
        return cursor

    @contextmanager
    def _statement(self, sql: str, *, write: bool = False) -> Iterator[None]:
        """Run one statement: writes wait for the write lock; every error is wrapped."""
        if write or _WRITE_STATEMENT.match(sql):
            with self._write_lock, _wrapped():
                yield
        else:
            with _wrapped():
                yield

    def rows(self, sql: str, params: Params = None) -> list[tuple[Any, ...]]:
        """Run a query and return every row as a tuple."""
        with self._statement(sql):
            return self._cursor.execute(sql, params).fetchall()

    def dicts(self, sql: str, params: Params = None) -> list[dict[str, Any]]:
        """Run a query and return every row as a dict keyed by column name."""
        with self._statement(sql):
            result = self._cursor.execute(sql, params)
            names = [d[0] for d in result.description or ()]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def first(self, sql: str, params: Params = None) -> tuple[Any, ...] | None:
        """The first row of a query, or ``None`` when it returns none."""
        rows = self.rows(sql, params)
        return rows[0] if rows else None

    def value(self, sql: str, params: Params = None) -> Any:
        """The single value of a one-row, one-column query (``None`` when no row)."""
        row = self.first(sql, params)
        return row[0] if row else None

    def frame(self, sql: str, params: Params = None) -> pl.DataFrame:
        """Run a query and return its result as a Polars frame."""
        with self._statement(sql):
            return self._cursor.sql(sql, params=params).pl()

    def run(self, sql: str, params: Params = None) -> None:
        """Run a statement that returns nothing of interest (taken to be a write)."""
        with self._statement(sql, write=True):
            self._cursor.execute(sql, params).fetchall()

    @contextmanager
    def frame_as_table(self, name: str, frame: pl.DataFrame) -> Iterator[None]:
        """Make ``frame`` readable as the table ``name`` in this thread's queries."""
        with _wrapped():
            self._cursor.register(name, frame)
        try:
            yield
        finally:
            self._cursor.unregister(name)

    def aside(self, read: Callable[[], T]) -> Future[T]:
        """Start ``read`` (queries through this store) on a reader thread and return its
        future, so that this thread can work out something else meanwhile: DuckDB and
        Polars both let go of Python while they work, so a read and a Polars pass run
        on two cores at once.

        Inside a transaction ``read`` runs here and now instead: another thread's cursor
        would not see the transaction's writes. ``read`` must not itself wait for a read
        aside: the reader threads are few, and waiting on each other they would stop.
        """
        if getattr(self._local, "in_transaction", False):
            done: Future[T] = Future()
            try:
                done.set_result(read())
            except Exception as error:
                done.set_exception(error)
            return done
        with self._readers_lock:
            if self._readers is None:
                self._readers = ThreadPoolExecutor(_READERS, thread_name_prefix="infoint-read")
            return self._readers.submit(read)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All statements inside land together or not at all.

        One transaction at a time per process: another thread's transaction or write
        waits until this one has committed or rolled back (reads do not wait).
        """
        with self._write_lock:
            self.run("BEGIN TRANSACTION")
            outer = getattr(self._local, "in_transaction", False)
            self._local.in_transaction = True
            try:
                yield
            except BaseException:
                self.run("ROLLBACK")
                raise
            finally:
                self._local.in_transaction = outer
            self.run("COMMIT")
        self.mark_changed()

    def mark_changed(self) -> None:
        """Note a write, so caches keyed on ``data_version`` know to refresh."""
        with self._version_lock:
            self._data_version += 1

    @property
    def data_version(self) -> int:
        """A counter that grows with every committed write made through this process."""
        return self._data_version

    def close(self) -> None:
        """Close the connection; the ``Store`` cannot be used afterwards."""
        if _open_stores.get(self.path.resolve()) is self:
            del _open_stores[self.path.resolve()]
        with self._readers_lock:
            if self._readers is not None:
                self._readers.shutdown()
                self._readers = None
        self._connection.close()


_open_stores: dict[Path, Store] = {}
_open_lock = threading.Lock()


def open_workspace(path: str | os.PathLike[str] | None = None) -> Store:
    """Open (creating and upgrading as needed) the workspace at ``path``.

    The same ``Store`` is returned for the same file within a process.
    Raises WorkspaceError when the file is in use by another process or is not a
    workspace.
    """
    target = workspace_path(path)
    key = target.resolve()
    with _open_lock:
        if key in _open_stores:
            return _open_stores[key]
        target.parent.mkdir(parents=True, exist_ok=True)
        store = Store(target, _connect(target))
        try:
            upgrade(store)
        except BaseException:
            store.close()
            raise
        _open_stores[key] = store
        return store


def open_memory_workspace() -> Store:
    """A fresh, empty workspace in memory, at the newest schema: for computing over data
    that must not touch a file (a career centre's cohort of shares)."""
    store = Store(Path(":memory:"), duckdb.connect(":memory:"))
    upgrade(store)
    return store


def close_all_workspaces() -> None:
    """Close every workspace this process has open (tests, and a clean shutdown)."""
    with _open_lock:
        stores = list(_open_stores.values())
    for store in stores:
        store.close()


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    try:
        return duckdb.connect(str(path))
    except duckdb.Error as e:
        message = str(e).lower()
        if "lock" in message:
            reason = "is in use by another infoint process; close it and try again"
        elif "not a valid duckdb database" in message or not isinstance(e, duckdb.IOException):
            reason = "is not an infoint workspace"
        else:
            reason = f"cannot be opened: {_first_line(e)}"
        raise WorkspaceError(f"{path} {reason}") from e


def schema_version(store: Store) -> int:
    """The schema version the workspace is at (0 for a new, empty file)."""
    exists = store.value(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    )
    if not exists:
        return 0
    return store.value("SELECT coalesce(max(version), 0) FROM schema_version")


def upgrade(store: Store) -> None:
    """Bring the schema to the newest version, one migration per transaction.

    Migrations only ever add or transform; a failed one rolls back and leaves the
    workspace at the version before it.
    """
    current = schema_version(store)
    if current > len(MIGRATIONS):
        raise WorkspaceError(
            f"{store.path} was written by a newer infoint (schema {current}); upgrade infoint"
        )
    for version, statements in enumerate(MIGRATIONS[current:], start=current + 1):
        with store.transaction():
            for statement in statements:
                store.run(statement)
            store.run("INSERT INTO schema_version (version) VALUES (?)", [version])


@contextmanager
def _wrapped() -> Iterator[None]:
    try:
        yield
    except duckdb.Error as e:
        raise WorkspaceError(f"database error: {_first_line(e)}") from e


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
