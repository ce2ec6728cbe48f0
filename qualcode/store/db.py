"""The one connection to a project database and its transaction manager.

* WAL journal, foreign keys on, ``synchronous=FULL``: every committed transaction
  survives a killed process (and a power cut).
* Every write happens inside :meth:`Database.transaction` (``BEGIN IMMEDIATE``, so
  two processes writing at once queue instead of failing half-way); nested calls
  join the outer transaction.
* A database whose file or folder may not be written is opened read-only: browsing
  and exports work, and the first write raises :data:`~qualcode.errors.STORE_READ_ONLY`
  saying which of the two is read-only, instead of SQLite's "attempt to write a
  readonly database" traceback.

Everything SQLite-specific lives in this package; the repositories above it speak
in typed results, so another backend could implement the same interface.
Connections are per thread (SQLite's rule): a worker thread opens its own store.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from ..errors import STORE_BUSY, STORE_DAMAGED, STORE_READ_ONLY, STORE_UNREADABLE, QualcodeError, error

BUSY_TIMEOUT = 10.0  # seconds a writer waits for another process's transaction
PARK = 10**12  # an offset no text reaches: parks rows while their spans are rewritten


def now() -> str:
    """The current time as stored: UTC, ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def json_ids(ids: Iterable) -> str:
    """Ids as one JSON array, bound as a single parameter and read back with ``json_each``.

    A filter on a thousand transcripts is then one parameter, not a thousand.
    """
    return json.dumps(sorted(ids))


def json_ints(array: str | None) -> list:
    """The values of a ``json_group_array`` of integers (none when it had no rows: NULL);
    a NULL value is ``None``.

    Statistics read a column of integers as one text: SQLite builds it at C speed, and
    ``json.loads`` parses it at C speed too (half the time of splitting a
    ``group_concat`` and converting each number), far less than a row object per value.
    """
    return json.loads(array) if array else []


def inserted_id(cur: sqlite3.Cursor) -> int:
    """The id of the row that the INSERT just run on ``cur`` added."""
    # typeshed allows None (a cursor that has inserted nothing); after an INSERT it is set
    assert cur.lastrowid is not None
    return cur.lastrowid


def read_only_reason(path: Path) -> str | None:
    """Why ``path`` cannot be written as a database ("file", "folder"), or None if it can."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        return "file"
    # WAL mode writes qualcode.db-wal and -shm next to the database, and a new
    # database is a new file: both need a writable folder.
    if not os.access(folder, os.W_OK):
        return "folder"
    return None


def _read_only_uri(path: Path) -> str:
    """SQLite's URI that opens ``path`` for reading only."""
    return f"file:{quote(str(path.resolve()))}?mode=ro"


def _refuse_special_file(path: str) -> None:
    """STORE_UNREADABLE for a database path that is a folder, a device or a pipe (even
    behind a link): SQLite would fail on it later, or read a device without end."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # nothing there yet (created), or a problem SQLite reports itself
    if not stat.S_ISREG(mode):
        what = "a folder" if stat.S_ISDIR(mode) else "a device, a pipe or a socket"
        raise error(STORE_UNREADABLE, path=path, reason=f"it is {what}, not a file")
    if os.stat(path).st_size == 0:
        # SQLite would take it for a new database and fill it with empty tables: the
        # project (or the key) would look empty, its loss unnoticed. qualcode never
        # leaves a database of 0 bytes (the first statement writes its header); a
        # failed copy or a full disk does.
        raise error(STORE_UNREADABLE, path=path, reason="the file is empty (0 bytes), e.g. a copy that failed")


def damage_error(exc: BaseException, path: str) -> QualcodeError | None:
    """:data:`~qualcode.errors.STORE_DAMAGED` for SQLite's report of a damaged file
    ("database disk image is malformed", "file is not a database"), else None.

    Damage shows only when a query reaches the broken page, often long after the file
    was opened: every statement is translated here, and the CLI translates what rows
    read later from a cursor raise.
    """
    if not isinstance(exc, sqlite3.DatabaseError) or isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError):
        return None
    text = str(exc)
    if any(sign in text.lower() for sign in ("malformed", "not a database", "corrupt")):
        return error(STORE_DAMAGED, path=path, name=Path(path).name, reason=text)
    # A table, column or index the migrations made is gone: the file was changed by hand or
    # by another program (a statement of ours naming a wrong table fails every test first).
    if isinstance(exc, sqlite3.OperationalError) and text.startswith(MISSING_PARTS):
        reason = f"{text} (a part every qualcode database has is missing: was the file changed by another program?)"
        return error(STORE_DAMAGED, path=path, name=Path(path).name, reason=reason)
    return None


MISSING_PARTS = ("no such table", "no such column", "no such index")


def _checked(conn: sqlite3.Connection) -> sqlite3.Connection:
    """``conn`` once it read the schema (foreign keys on); closed if that fails."""
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


class Database:
    """One SQLite connection with the project's settings and one transaction manager."""

    def __init__(self, path: Path | str = ":memory:", *, shown: Path | str | None = None) -> None:
        self.path = str(path)
        # The file messages name: another one than ``path`` for a copy read in its place
        # (a coder's database merged from, see :func:`copy_database`).
        self.shown = str(shown) if shown is not None else self.path
        self.read_only: str | None = None  # "file" or "folder" when opened read-only
        memory = self.path == ":memory:"
        if not memory:
            _refuse_special_file(self.path)
            self.read_only = read_only_reason(Path(self.path))
        try:
            if self.read_only:
                self.conn = self._connect_read_only(Path(self.path))
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=BUSY_TIMEOUT)
                self.conn.execute("PRAGMA foreign_keys = ON")
                if not memory and not self._another_programs():
                    self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            opened = getattr(self, "conn", None)
            if opened is not None:  # connected, then refused: closed here, not left to the collector
                opened.close()
            if "malformed" in str(exc):  # a SQLite file, damaged (e.g. cut short)
                raise error(STORE_DAMAGED, path=self.shown, name=Path(self.shown).name, reason=exc) from None
            raise error(STORE_UNREADABLE, path=self.shown, reason=exc) from None
        self._depth = 0
        # Transactions committed on this connection: a file staged to go with one (the codebook,
        # see codebook.staged_codebook) is put in place once it committed, even on Ctrl-C.
        self.commits = 0

    def _another_programs(self) -> bool:
        """Whether the file holds tables but not qualcode's record of changes: another program's
        database, which the migrations refuse (STORE_FOREIGN). Its journal mode is left as it
        is: switched to WAL, it was changed (and had a -wal and -shm beside it) before the refusal
        said 'qualcode added nothing to it'."""
        names = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        return "schema_migrations" not in names and any(not n.startswith("sqlite_") for n in names)

    @staticmethod
    def _connect_read_only(path: Path) -> sqlite3.Connection:
        if not path.exists():
            raise error(STORE_READ_ONLY, path=path, what="folder", action="create the database")
        uri = _read_only_uri(path)
        try:
            conn = _checked(sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT))
        except sqlite3.OperationalError:
            # A WAL database in a read-only folder without its -shm file cannot be
            # opened with mode=ro; nobody can write there, so read it as immutable.
            conn = _checked(sqlite3.connect(uri + "&immutable=1", uri=True, isolation_level=None, timeout=BUSY_TIMEOUT))
        return conn

    def close(self) -> None:
        self.conn.close()

    @classmethod
    def copy_of(cls, source: Path, target: Path) -> Database:
        """A copy of the database ``source`` made at ``target`` (SQLite's online backup API,
        ``source`` read without being written: no upgrade, no change of its journal mode) and
        opened; its messages name ``source``. For reading another coder's project, whose file is
        theirs: merging from it must leave it as it was (their qualcode may be older)."""
        _refuse_special_file(str(source))
        if not source.is_file():
            raise error(STORE_UNREADABLE, path=source, reason="no such file")
        # Read-only; and where no write-ahead log is beside it (closed cleanly: nobody has it
        # open), as immutable: a read-only connection to a WAL database would leave an empty log
        # and its index (-wal, -shm) in their folder. A log there is read with the database.
        wal = source.with_name(source.name + "-wal").exists()
        uri = _read_only_uri(source) + ("" if wal else "&immutable=1")
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=BUSY_TIMEOUT)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                copy = sqlite3.connect(str(target))
                try:
                    conn.backup(copy)
                finally:
                    copy.close()
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            raise damage_error(exc, str(source)) or error(STORE_UNREADABLE, path=source, reason=exc) from None
        return cls(target, shown=source)

    def backup_to(self, path: Path) -> None:
        """Copy the whole database to a new file ``path`` (SQLite's online backup API)."""
        target = sqlite3.connect(str(path))
        try:
            self.conn.backup(target)
        finally:
            target.close()

    # --- statements -----------------------------------------------------------------

    def execute(self, sql: str, params: Iterable = ()) -> sqlite3.Cursor:
        try:
            return self.conn.execute(sql, tuple(params) if not isinstance(params, (tuple, dict)) else params)
        except sqlite3.DatabaseError as exc:
            raise self._translated(exc) from None

    def executemany(self, sql: str, rows: Iterable) -> sqlite3.Cursor:
        try:
            return self.conn.executemany(sql, rows)
        except sqlite3.DatabaseError as exc:
            raise self._translated(exc) from None

    def one(self, sql: str, params: Iterable = ()) -> tuple | None:
        return self.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Iterable = (), default=None):
        row = self.one(sql, params)
        return default if row is None or row[0] is None else row[0]

    @property
    def changes(self) -> int:
        """Rows changed by the connection so far (to learn what an upsert did)."""
        return self.conn.total_changes

    def data_version(self) -> int:
        """Changes when another connection commits (SQLite's ``PRAGMA data_version``)."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # --- transactions ---------------------------------------------------------------

    @contextmanager
    def not_waiting(self) -> Iterator[None]:
        """Statements that do not wait for another process's write (STORE_BUSY at once): for a
        write that can come again later (a memo's draft while the researcher types), which
        would otherwise hold the app still for :data:`BUSY_TIMEOUT` seconds."""
        if self.read_only or self._depth:  # nothing to write, or the outer transaction holds the lock
            yield
            return
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT * 1000)}")

    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Database]:
        """One atomic unit of work; nested calls join the outer transaction.

        ``bulk``: a transaction of many statements that each write through triggers (an
        import: a row per turn), whose statement journals SQLite then keeps in memory.
        Each such statement journals the pages it changes, to undo just that statement
        if it fails; once one journal outgrew SQLite's 64 KiB in memory, every later
        statement of the transaction wrote its journal to a temporary file (600,000
        writes importing 1,000 interviews, a tenth of the time). A statement's journal
        is a few pages, and the transaction's own journal (the WAL) is unchanged: a
        killed process still loses nothing committed.
        """
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.check_writable("save changes")
        temp_store = self._bulk_journals() if bulk else None
        committing = False
        try:
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise self._translated(exc) from None
            self._depth = 1
            try:
                yield self
            except BaseException:
                self._depth = 0
                self.conn.execute("ROLLBACK")
                raise
            self._depth = 0
            committing = True
            try:
                self.conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                committing = False
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise self._translated(exc) from None
        finally:
            # Counted here: a Ctrl-C that arrives while COMMIT runs is raised as it returns,
            # and SQLite has committed (nothing is open any more, nothing was rolled back).
            if committing and not self.conn.in_transaction:
                self.commits += 1
            if temp_store is not None:
                self.conn.execute(f"PRAGMA temp_store = {int(temp_store)}")

    @contextmanager
    def set_aside(self, kind: str, table: str, names: Iterable[str]) -> Iterator[None]:
        """Drop the ``kind`` (``index`` or ``trigger``) ``names`` of ``table`` while the
        block runs and make them again from their stored SQL at its end: many rows
        written at once then skip the work they do per row. Joins the caller's
        transaction; on an error they come back with the rollback."""
        with self.transaction() as db:
            wanted = list(names)
            marks = ", ".join("?" * len(wanted))
            found = db.execute(
                f"SELECT name, sql FROM sqlite_master WHERE type = ? AND tbl_name = ? AND name IN ({marks}) ORDER BY name",
                (kind, table, *wanted),
            ).fetchall()
            for name, _ in found:
                db.execute(f"DROP {kind.upper()} {name}")
            yield
            for _, sql in found:
                db.execute(sql)

    def _bulk_journals(self) -> int:
        """Keep statement journals in memory (``temp_store = MEMORY``, set outside a
        transaction: SQLite reads it when one begins); returns the setting to restore."""
        before = self.conn.execute("PRAGMA temp_store").fetchone()[0]
        self.conn.execute("PRAGMA temp_store = MEMORY")
        return before

    @property
    def in_transaction(self) -> bool:
        return self._depth > 0

    def check_writable(self, action: str) -> None:
        """Raise the read-only error (naming ``action``) if this database may not be written."""
        if self.read_only:
            raise error(STORE_READ_ONLY, path=self.shown, what=self.read_only, action=action)

    def _translated(self, exc: sqlite3.DatabaseError) -> Exception:
        damaged = damage_error(exc, self.shown)
        if damaged is not None:
            return damaged
        if not isinstance(exc, sqlite3.OperationalError):
            return exc  # a constraint or a programming error: a bug, not the user's file
        text = str(exc).lower()
        if "readonly" in text or "read-only" in text:
            what = read_only_reason(Path(self.path)) or "file"
            return error(STORE_READ_ONLY, path=self.shown, what=what, action="save changes")
        if "locked" in text or "busy" in text:
            return error(STORE_BUSY, path=self.shown, seconds=int(BUSY_TIMEOUT))
        return exc
