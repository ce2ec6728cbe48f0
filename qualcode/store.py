"""The project store: one SQLite file per project.

* WAL journal, foreign keys on, ``synchronous=FULL``: every committed transaction
  survives a killed process (and a power cut).
* Schema changes are named migrations recorded in ``schema_migrations``; each runs
  in its own transaction, so a database is never left half-migrated.
* Every user action is one call here, which is one committed transaction.
* Codes are synced from the codebook by id and never deleted: a code that left the
  codebook is marked ``in_codebook = 0`` and its codings stay (reported by
  ``qualcode check``), so a coding is never silently dropped.

Connections are per thread (SQLite's rule); open another ``Store`` on the same file
in a worker thread.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .errors import ALREADY_DECIDED, BAD_SPAN, NO_CODING, NO_SUGGESTION, STORE_NEWER, STORE_UNREADABLE, error
from .model import ACCEPTED, MANUAL, PENDING, REJECTED, SUGGESTED, Coding, Transcript, Turn, count_words, sha256_text

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_initial",
        """
        CREATE TABLE transcripts (
            id            INTEGER PRIMARY KEY,
            name          TEXT NOT NULL UNIQUE,
            source_path   TEXT,
            source_format TEXT NOT NULL,
            source_hash   TEXT,
            content_hash  TEXT NOT NULL UNIQUE,
            encoding      TEXT,
            text          TEXT NOT NULL,
            words         INTEGER NOT NULL DEFAULT 0,
            guid          TEXT,
            imported_at   TEXT NOT NULL
        );
        CREATE TABLE turns (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            idx           INTEGER NOT NULL,
            speaker       TEXT,
            role          TEXT,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            time_start    REAL,
            time_end      REAL,
            PRIMARY KEY (transcript_id, idx),
            CHECK (0 <= start AND start <= end)
        ) WITHOUT ROWID;
        CREATE TABLE attributes (
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            name          TEXT NOT NULL,
            value         TEXT NOT NULL,
            PRIMARY KEY (transcript_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE codes (
            id          TEXT PRIMARY KEY,
            name        TEXT NOT NULL,
            parent_id   TEXT,
            color       TEXT,
            key         TEXT,
            position    INTEGER NOT NULL DEFAULT 0,
            guid        TEXT,
            in_codebook INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE codings (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE RESTRICT,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            coder         TEXT NOT NULL,
            memo          TEXT,
            origin        TEXT NOT NULL DEFAULT 'manual' CHECK (origin IN ('manual', 'suggested')),
            quote         TEXT NOT NULL,
            suggestion_id INTEGER,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            CHECK (0 <= start AND start < end)
        );
        CREATE UNIQUE INDEX codings_unique ON codings (transcript_id, start, end, code_id);
        CREATE INDEX codings_code ON codings (code_id);
        CREATE TABLE suggestions (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE CASCADE,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            suggester     TEXT NOT NULL,
            score         REAL,
            reason        TEXT,
            status        TEXT NOT NULL DEFAULT 'pending'
                          CHECK (status IN ('pending', 'accepted', 'rejected')),
            coding_id     INTEGER REFERENCES codings(id) ON DELETE SET NULL,
            decided_by    TEXT,
            created_at    TEXT NOT NULL,
            decided_at    TEXT
        );
        -- One row per span and code ever proposed: a rejected one is never proposed again.
        CREATE UNIQUE INDEX suggestions_unique ON suggestions (transcript_id, start, end, code_id);
        CREATE INDEX suggestions_status ON suggestions (status);
        CREATE TABLE settings (
            name  TEXT PRIMARY KEY,
            value TEXT
        );
        """,
    ),
    (
        "0002_detached_codings",
        """
        -- Codings whose text disappeared when a transcript was re-imported: kept, never dropped.
        CREATE TABLE detached_codings (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL REFERENCES transcripts(id) ON DELETE RESTRICT,
            old_start     INTEGER NOT NULL,
            old_end       INTEGER NOT NULL,
            code_id       TEXT NOT NULL REFERENCES codes(id) ON UPDATE CASCADE ON DELETE RESTRICT,
            coder         TEXT NOT NULL,
            memo          TEXT,
            origin        TEXT NOT NULL,
            quote         TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            detached_at   TEXT NOT NULL,
            reason        TEXT NOT NULL
        );
        ALTER TABLE transcripts ADD COLUMN updated_at TEXT;
        """,
    ),
]


_PARK = 10**12  # an offset no text reaches: parks rows while spans are rewritten


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(slots=True)
class TranscriptSummary:
    id: int
    name: str
    source_path: str | None
    source_format: str
    turns: int
    words: int
    chars: int
    codings: int
    coded_chars: int
    imported_at: str
    source_hash: str | None
    attributes: dict[str, str] = field(default_factory=dict)

    @property
    def coded_share(self) -> float:
        return self.coded_chars / self.chars if self.chars else 0.0


@dataclass(slots=True)
class CodeRow:
    id: str
    name: str
    parent_id: str | None
    color: str | None
    key: str | None
    position: int
    guid: str | None
    in_codebook: bool


@dataclass(slots=True)
class SyncResult:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the store, no longer in the codebook


class Store:
    """A connection to one project database, with the operations on it."""

    # The schema of another kind of database (the pseudonymisation key store's);
    # None: the project's, MIGRATIONS.
    migrations: list[tuple[str, str]] | None = None

    def __init__(self, path: Path | str = ":memory:") -> None:
        self.path = str(path)
        try:
            self.conn = sqlite3.connect(self.path, isolation_level=None, timeout=10.0)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA foreign_keys = ON")
            if self.path != ":memory:":
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.DatabaseError as exc:
            raise error(STORE_UNREADABLE, path=self.path, reason=exc) from None
        self._depth = 0
        self.migrate()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- transactions and migrations ------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    def applied_migrations(self) -> list[str]:
        self.conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
        return [r[0] for r in self.conn.execute("SELECT name FROM schema_migrations ORDER BY name")]

    def migrate(self) -> list[str]:
        """Apply the migrations this database lacks; return their names."""
        schema = MIGRATIONS if self.migrations is None else self.migrations
        applied = self.applied_migrations()
        known = {name for name, _ in schema}
        for name in applied:
            if name not in known:
                raise error(STORE_NEWER, path=self.path, name=name)
        done = []
        for name, sql in schema:
            if name in applied:
                continue
            try:
                # executescript runs the whole script; BEGIN/COMMIT make it atomic.
                self.conn.executescript(
                    f"BEGIN IMMEDIATE;\n{sql}\n"
                    f"INSERT INTO schema_migrations (name, applied_at) VALUES ('{name}', '{now()}');\nCOMMIT;"
                )
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            done.append(name)
        return done

    def setting(self, name: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return row[0] if row else default

    def set_setting(self, name: str, value: str | None) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    # --- transcripts ----------------------------------------------------------------

    def add_transcript(self, t: Transcript) -> int:
        """Insert a transcript with its turns and attributes; returns its id."""
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO transcripts (name, source_path, source_format, source_hash, content_hash, encoding,"
                " text, words, guid, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    t.name,
                    str(t.source_path) if t.source_path else None,
                    t.source_format,
                    t.source_hash,
                    t.content_hash,
                    t.encoding,
                    t.text,
                    t.word_count,
                    t.guid,
                    now(),
                ),
            )
            tid = int(cur.lastrowid)
            c.executemany(
                "INSERT INTO turns (transcript_id, idx, speaker, role, start, end, time_start, time_end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(tid, u.index, u.speaker, u.role, u.start, u.end, u.time_start, u.time_end) for u in t.turns],
            )
            self._write_attributes(tid, t.attributes)
        t.id = tid
        return tid

    def _write_attributes(self, tid: int, attributes: dict[str, str]) -> None:
        self.conn.executemany(
            "INSERT INTO attributes (transcript_id, name, value) VALUES (?, ?, ?)"
            " ON CONFLICT(transcript_id, name) DO UPDATE SET value = excluded.value",
            [(tid, k, str(v)) for k, v in attributes.items()],
        )

    def set_attributes(self, tid: int, attributes: dict[str, str]) -> None:
        with self.transaction():
            self._write_attributes(tid, attributes)

    def transcript_id_by_hash(self, content_hash: str) -> int | None:
        row = self.conn.execute("SELECT id FROM transcripts WHERE content_hash = ?", (content_hash,)).fetchone()
        return row[0] if row else None

    def transcript_id_by_name(self, name: str) -> int | None:
        row = self.conn.execute("SELECT id FROM transcripts WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def transcript_names(self) -> dict[int, str]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, name FROM transcripts ORDER BY name")}

    def source_paths(self) -> dict[int, str | None]:
        return {r[0]: r[1] for r in self.conn.execute("SELECT id, source_path FROM transcripts")}

    def attributes(self, tid: int) -> dict[str, str]:
        return {
            r[0]: r[1]
            for r in self.conn.execute("SELECT name, value FROM attributes WHERE transcript_id = ? ORDER BY name", (tid,))
        }

    def all_attributes(self) -> dict[int, dict[str, str]]:
        out: dict[int, dict[str, str]] = {}
        for tid, name, value in self.conn.execute("SELECT transcript_id, name, value FROM attributes ORDER BY name"):
            out.setdefault(tid, {})[name] = value
        return out

    def turns(self, tid: int) -> list[Turn]:
        return [
            Turn(r["idx"], r["speaker"], r["start"], r["end"], r["time_start"], r["time_end"], r["role"])
            for r in self.conn.execute("SELECT * FROM turns WHERE transcript_id = ? ORDER BY idx", (tid,))
        ]

    def load_transcript(self, tid: int) -> Transcript:
        """The stored transcript with its text, turns and attributes."""
        row = self.conn.execute("SELECT * FROM transcripts WHERE id = ?", (tid,)).fetchone()
        if row is None:
            raise KeyError(tid)
        return Transcript(
            name=row["name"],
            text=row["text"],
            turns=self.turns(tid),
            attributes=self.attributes(tid),
            source_path=Path(row["source_path"]) if row["source_path"] else None,
            source_format=row["source_format"],
            source_hash=row["source_hash"],
            encoding=row["encoding"],
            id=tid,
            guid=row["guid"],
        )

    def transcript_text(self, tid: int) -> str:
        row = self.conn.execute("SELECT text FROM transcripts WHERE id = ?", (tid,)).fetchone()
        if row is None:
            raise KeyError(tid)
        return row[0]

    def summaries(self) -> list[TranscriptSummary]:
        """Every transcript with its turn, word and coding counts, by name."""
        rows = self.conn.execute(
            """
            SELECT t.id, t.name, t.source_path, t.source_format, t.words, length(t.text) AS chars,
                   t.imported_at, t.source_hash,
                   (SELECT count(*) FROM turns u WHERE u.transcript_id = t.id) AS turns,
                   (SELECT count(*) FROM codings c WHERE c.transcript_id = t.id) AS codings
            FROM transcripts t ORDER BY t.name
            """
        ).fetchall()
        attrs = self.all_attributes()
        coded = self._coded_chars()
        return [
            TranscriptSummary(
                id=r["id"],
                name=r["name"],
                source_path=r["source_path"],
                source_format=r["source_format"],
                turns=r["turns"],
                words=r["words"],
                chars=r["chars"],
                codings=r["codings"],
                coded_chars=coded.get(r["id"], 0),
                imported_at=r["imported_at"],
                source_hash=r["source_hash"],
                attributes=attrs.get(r["id"], {}),
            )
            for r in rows
        ]

    def _coded_chars(self) -> dict[int, int]:
        """Characters covered by at least one coding, per transcript (overlaps once)."""
        out: dict[int, int] = {}
        current, reach, total = None, -1, 0
        for tid, start, end in self.conn.execute("SELECT transcript_id, start, end FROM codings ORDER BY transcript_id, start"):
            if tid != current:
                if current is not None:
                    out[current] = total
                current, reach, total = tid, -1, 0
            if end > reach:
                total += end - max(start, reach)
                reach = end
        if current is not None:
            out[current] = total
        return out

    # --- codes ----------------------------------------------------------------------

    def sync_codes(self, codebook) -> SyncResult:  # codebook: qualcode.codebook.Codebook
        """Make the codes table match the codebook, by id; never delete a code."""
        result = SyncResult()
        existing = {r.id: r for r in self.codes(include_missing=True)}
        with self.transaction() as c:
            seen = set()
            for position, code in enumerate(codebook.walk()):
                seen.add(code.id)
                values = (code.name, code.parent_id, code.color, code.key, position, code.stable_guid)
                old = existing.get(code.id)
                if old is None:
                    result.added.append(code.id)
                elif (old.name, old.parent_id, old.color, old.key, old.position, old.guid) != values or not old.in_codebook:
                    result.changed.append(code.id)
                else:
                    continue
                c.execute(
                    "INSERT INTO codes (id, name, parent_id, color, key, position, guid, in_codebook)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    " parent_id = excluded.parent_id, color = excluded.color, key = excluded.key,"
                    " position = excluded.position, guid = excluded.guid, in_codebook = 1",
                    (code.id, *values),
                )
            for code_id, old in existing.items():
                if code_id not in seen:
                    result.missing.append(code_id)
                    if old.in_codebook:
                        c.execute("UPDATE codes SET in_codebook = 0, key = NULL WHERE id = ?", (code_id,))
        return result

    def ensure_code(self, code_id: str, name: str | None = None) -> None:
        """Register a code the codebook does not know (e.g. from an imported coding)."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO codes (id, name, position, in_codebook) VALUES (?, ?, 1000000, 0) ON CONFLICT(id) DO NOTHING",
                (code_id, name or code_id),
            )

    def codes(self, include_missing: bool = False) -> list[CodeRow]:
        sql = "SELECT * FROM codes" + ("" if include_missing else " WHERE in_codebook = 1") + " ORDER BY position, id"
        return [
            CodeRow(r["id"], r["name"], r["parent_id"], r["color"], r["key"], r["position"], r["guid"], bool(r["in_codebook"]))
            for r in self.conn.execute(sql)
        ]

    def code_exists(self, code_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM codes WHERE id = ?", (code_id,)).fetchone() is not None

    # --- codings --------------------------------------------------------------------

    @staticmethod
    def _coding(row: sqlite3.Row) -> Coding:
        return Coding(
            id=row["id"],
            transcript_id=row["transcript_id"],
            start=row["start"],
            end=row["end"],
            code_id=row["code_id"],
            coder=row["coder"],
            quote=row["quote"],
            memo=row["memo"],
            origin=row["origin"],
            created_at=row["created_at"],
            updated_at=row["updated_at"],
            suggestion_id=row["suggestion_id"],
        )

    def add_coding(
        self,
        transcript_id: int,
        start: int,
        end: int,
        code_id: str,
        coder: str,
        *,
        memo: str | None = None,
        origin: str = MANUAL,
        suggestion_id: int | None = None,
    ) -> Coding:
        """Apply a code to ``[start, end)``; applying the same code to the same span again is a no-op."""
        with self.transaction() as c:
            text = self.transcript_text(transcript_id)
            if not (0 <= start < end <= len(text)):
                name = self.transcript_names().get(transcript_id, str(transcript_id))
                raise error(BAD_SPAN, start=start, end=end, name=name, length=len(text))
            stamp = now()
            cur = c.execute(
                "INSERT INTO codings (transcript_id, start, end, code_id, coder, memo, origin, quote,"
                " suggestion_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(transcript_id, start, end, code_id) DO NOTHING",
                (transcript_id, start, end, code_id, coder, memo, origin, text[start:end], suggestion_id, stamp, stamp),
            )
            if cur.rowcount == 0:
                row = c.execute(
                    "SELECT * FROM codings WHERE transcript_id = ? AND start = ? AND end = ? AND code_id = ?",
                    (transcript_id, start, end, code_id),
                ).fetchone()
                return self._coding(row)
            return self.get_coding(int(cur.lastrowid))

    def restore_coding(self, coding: Coding) -> Coding:
        """Put back a removed coding exactly as it was (same id), e.g. for undo."""
        with self.transaction() as c:
            c.execute(
                "INSERT INTO codings (id, transcript_id, start, end, code_id, coder, memo, origin, quote,"
                " suggestion_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    coding.id,
                    coding.transcript_id,
                    coding.start,
                    coding.end,
                    coding.code_id,
                    coding.coder,
                    coding.memo,
                    coding.origin,
                    coding.quote,
                    coding.suggestion_id,
                    coding.created_at or now(),
                    coding.updated_at or now(),
                ),
            )
        return coding

    def get_coding(self, coding_id: int) -> Coding:
        row = self.conn.execute("SELECT * FROM codings WHERE id = ?", (coding_id,)).fetchone()
        if row is None:
            raise error(NO_CODING, id=coding_id)
        return self._coding(row)

    def remove_coding(self, coding_id: int) -> Coding:
        """Delete one coding; returns it so the caller can undo."""
        with self.transaction() as c:
            coding = self.get_coding(coding_id)
            c.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", (coding_id,))
            c.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
        return coding

    def set_memo(self, coding_id: int, memo: str | None) -> Coding:
        """Set (or clear, with None or '') the memo of a coding; returns the coding as it was."""
        with self.transaction() as c:
            before = self.get_coding(coding_id)
            c.execute(
                "UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?", (memo or None, now(), coding_id)
            )
        return before

    def codings(
        self,
        transcript_id: int | None = None,
        code_ids: Sequence[str] | None = None,
        *,
        order: str = "transcript_id, start, end, code_id",
    ) -> list[Coding]:
        sql, params = "SELECT * FROM codings", []
        where = []
        if transcript_id is not None:
            where.append("transcript_id = ?")
            params.append(transcript_id)
        if code_ids is not None:
            where.append(f"code_id IN ({','.join('?' * len(code_ids))})")
            params.extend(code_ids)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [self._coding(r) for r in self.conn.execute(f"{sql} ORDER BY {order}", params)]

    def replace_text(self, tid: int, new: Transcript, placements: list, *, keep_name: bool = True) -> dict[str, int]:
        """Swap in an edited version of a transcript, re-placing its codings.

        ``placements`` come from :func:`qualcode.reanchor.reanchor`. Placed codings
        get their new span and quote; unplaced ones (or ones that would duplicate
        another coding of the same code on the same span) move to
        ``detached_codings`` with the reason. Pending suggestions are dropped (they
        are recomputed); decided ones follow their text or are dropped with it.
        One transaction: all of it happens, or none.
        """
        counts = {"unchanged": 0, "moved": 0, "whitespace": 0, "detached": 0}
        stamp = now()
        with self.transaction() as c:
            old_text = self.transcript_text(tid)
            c.execute(
                "UPDATE transcripts SET text = ?, content_hash = ?, source_hash = ?, encoding = ?, words = ?,"
                " updated_at = ? WHERE id = ?",
                (new.text, new.content_hash, new.source_hash, new.encoding, new.word_count, stamp, tid),
            )
            c.execute("DELETE FROM turns WHERE transcript_id = ?", (tid,))
            c.executemany(
                "INSERT INTO turns (transcript_id, idx, speaker, role, start, end, time_start, time_end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(tid, u.index, u.speaker, u.role, u.start, u.end, u.time_start, u.time_end) for u in new.turns],
            )
            self._write_attributes(tid, new.attributes)
            # Park every coding far beyond any text first, so the unique index cannot
            # trip over a coding that has not been moved yet.
            c.execute("UPDATE codings SET start = start + ?, end = end + ? WHERE transcript_id = ?", (_PARK, _PARK, tid))
            taken: set[tuple[int, int, str]] = set()
            for placement in placements:
                coding = placement.coding
                key = (placement.start, placement.end, coding.code_id)
                if placement.start is None or key in taken:
                    reason = "text not found in the new version" if placement.start is None else "duplicate of another coding"
                    c.execute(
                        "INSERT INTO detached_codings (transcript_id, old_start, old_end, code_id, coder, memo, origin,"
                        " quote, created_at, updated_at, detached_at, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (tid, coding.start, coding.end, coding.code_id, coding.coder, coding.memo, coding.origin,
                         coding.quote, coding.created_at, coding.updated_at, stamp, reason),
                    )
                    c.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", (coding.id,))
                    c.execute("DELETE FROM codings WHERE id = ?", (coding.id,))
                    counts["detached"] += 1
                    continue
                taken.add(key)
                c.execute(
                    "UPDATE codings SET start = ?, end = ?, quote = ? WHERE id = ?",
                    (placement.start, placement.end, new.text[placement.start : placement.end], coding.id),
                )
                counts[placement.how] += 1
            self._reanchor_suggestions(tid, old_text, new.text)
        return counts

    def set_source_hash(self, tid: int, source_hash: str | None) -> None:
        with self.transaction() as c:
            c.execute("UPDATE transcripts SET source_hash = ?, updated_at = ? WHERE id = ?", (source_hash, now(), tid))

    def _reanchor_suggestions(self, tid: int, old_text: str, new_text: str) -> None:
        from .reanchor import reanchor  # the diff machinery is only needed here

        c = self.conn
        c.execute("DELETE FROM suggestions WHERE transcript_id = ? AND status = 'pending'", (tid,))
        rows = c.execute("SELECT id, start, end, code_id FROM suggestions WHERE transcript_id = ?", (tid,)).fetchall()
        c.execute("UPDATE suggestions SET start = start + ?, end = end + ? WHERE transcript_id = ?", (_PARK, _PARK, tid))
        proxies = [Coding(r["id"], tid, r["start"], r["end"], r["code_id"], "", old_text[r["start"] : r["end"]]) for r in rows]
        taken: set[tuple[int, int, str]] = set()
        for placement in reanchor(old_text, new_text, proxies):
            key = (placement.start, placement.end, placement.coding.code_id)
            if placement.start is None or key in taken:
                c.execute("DELETE FROM suggestions WHERE id = ?", (placement.coding.id,))
                continue
            taken.add(key)
            c.execute("UPDATE suggestions SET start = ?, end = ? WHERE id = ?", (placement.start, placement.end, placement.coding.id))

    def detached_codings(self, tid: int | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM detached_codings"
        params: tuple = ()
        if tid is not None:
            sql += " WHERE transcript_id = ?"
            params = (tid,)
        return self.conn.execute(sql + " ORDER BY transcript_id, old_start", params).fetchall()

    def orphaned_codings(self) -> list[Coding]:
        """Codings whose code is no longer in the codebook (kept, never deleted)."""
        return [
            self._coding(r)
            for r in self.conn.execute(
                "SELECT c.* FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.in_codebook = 0"
                " ORDER BY c.code_id, c.transcript_id, c.start"
            )
        ]

    def coding_counts(self, transcript_id: int | None = None) -> dict[str, int]:
        sql = "SELECT code_id, count(*) FROM codings"
        params: Iterable = ()
        if transcript_id is not None:
            sql += " WHERE transcript_id = ?"
            params = (transcript_id,)
        return {r[0]: r[1] for r in self.conn.execute(sql + " GROUP BY code_id", params)}

    # --- REFI-QDA import and code maintenance -------------------------------------------

    def import_codings(self, codings: Iterable[Coding]) -> int:
        """Insert codings as they came from another tool (their own coder and dates).

        A coding already present (same transcript, span and code) is left as it is, so
        importing the same file twice adds nothing. Returns the number added. Spans
        are checked like :meth:`add_coding` does.
        """
        added = 0
        with self.transaction() as c:
            texts: dict[int, str] = {}
            for coding in codings:
                if coding.transcript_id not in texts:
                    texts[coding.transcript_id] = self.transcript_text(coding.transcript_id)
                text = texts[coding.transcript_id]
                if not (0 <= coding.start < coding.end <= len(text)):
                    name = self.transcript_names().get(coding.transcript_id, str(coding.transcript_id))
                    raise error(BAD_SPAN, start=coding.start, end=coding.end, name=name, length=len(text))
                stamp = now()
                cur = c.execute(
                    "INSERT INTO codings (transcript_id, start, end, code_id, coder, memo, origin, quote,"
                    " suggestion_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)"
                    " ON CONFLICT(transcript_id, start, end, code_id) DO NOTHING",
                    (
                        coding.transcript_id,
                        coding.start,
                        coding.end,
                        coding.code_id,
                        coding.coder,
                        coding.memo,
                        coding.origin,
                        text[coding.start : coding.end],
                        coding.created_at or stamp,
                        coding.updated_at or coding.created_at or stamp,
                    ),
                )
                added += cur.rowcount
        return added

    def move_codings(self, old_id: str, new_id: str) -> MoveResult:
        """Give every coding (and suggestion) of ``old_id`` the code ``new_id``.

        Where ``new_id`` already codes the same span, the two codings become one: the
        existing one stays and the moved one's memo is added to it, so nothing a
        researcher wrote is lost. ``new_id`` must exist in the codes table (sync the
        codebook first). Joins the caller's transaction.
        """
        result = MoveResult()
        with self.transaction() as c:
            same_span = (
                "EXISTS (SELECT 1 FROM {t} o WHERE o.transcript_id = {t}.transcript_id AND o.start = {t}.start"
                " AND o.end = {t}.end AND o.code_id = ?)"
            )
            cur = c.execute(
                f"UPDATE codings SET code_id = ?, updated_at = ? WHERE code_id = ? AND NOT {same_span.format(t='codings')}",
                (new_id, now(), old_id, new_id),
            )
            result.moved = cur.rowcount
            for row in c.execute("SELECT * FROM codings WHERE code_id = ?", (old_id,)).fetchall():
                twin = c.execute(
                    "SELECT * FROM codings WHERE transcript_id = ? AND start = ? AND end = ? AND code_id = ?",
                    (row["transcript_id"], row["start"], row["end"], new_id),
                ).fetchone()
                memo = _joined_memo(twin["memo"], row["memo"])
                if memo != twin["memo"]:
                    c.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?", (memo, now(), twin["id"]))
                c.execute("UPDATE suggestions SET coding_id = ? WHERE coding_id = ?", (twin["id"], row["id"]))
                c.execute("DELETE FROM codings WHERE id = ?", (row["id"],))
                result.merged += 1
            c.execute(
                f"UPDATE suggestions SET code_id = ? WHERE code_id = ? AND NOT {same_span.format(t='suggestions')}",
                (new_id, old_id, new_id),
            )
            # A suggestion already made for the target on the same span stands; the moved one goes.
            c.execute("DELETE FROM suggestions WHERE code_id = ?", (old_id,))
        return result

    def forget_codes(self, code_ids: Iterable[str]) -> list[str]:
        """Delete rows of codes that left the codebook and that nothing refers to any more.

        After a rename or merge moved all their codings away such rows would only be
        reported, again and again, as "no longer in the codebook". A code that still
        has a coding or a suggestion is never deleted. Returns the ids deleted.
        """
        gone = []
        with self.transaction() as c:
            for code_id in code_ids:
                cur = c.execute(
                    "DELETE FROM codes WHERE id = ? AND in_codebook = 0"
                    " AND NOT EXISTS (SELECT 1 FROM codings WHERE code_id = codes.id)"
                    " AND NOT EXISTS (SELECT 1 FROM suggestions WHERE code_id = codes.id)",
                    (code_id,),
                )
                if cur.rowcount:
                    gone.append(code_id)
        return gone

    # --- suggestions ------------------------------------------------------------------
    # A suggestion row is kept forever once decided: the unique (transcript, start,
    # end, code) index then stops the same span and code from being proposed again.

    @staticmethod
    def _suggestion(row: sqlite3.Row) -> SuggestionRow:
        return SuggestionRow(
            id=row["id"],
            transcript_id=row["transcript_id"],
            start=row["start"],
            end=row["end"],
            code_id=row["code_id"],
            suggester=row["suggester"],
            score=row["score"],
            reason=row["reason"],
            status=row["status"],
            coding_id=row["coding_id"],
            decided_by=row["decided_by"],
            created_at=row["created_at"],
            decided_at=row["decided_at"],
        )

    def replace_pending_suggestions(
        self, transcript_id: int, proposals: Iterable[tuple[int, int, str, str, float | None, str]]
    ) -> tuple[int, int, int]:
        """Make the transcript's pending suggestions exactly ``proposals``, in one transaction.

        A proposal is ``(start, end, code_id, suggester, score, reason)``. Pending rows
        that are proposed again keep their id (their score and reason are refreshed);
        pending rows not proposed any more are removed; decided rows (accepted,
        rejected) are never touched, so a proposal for a decided span and code is
        ignored. Returns ``(added, kept, removed)``.
        """
        with self.transaction() as c:
            old = {
                (r["start"], r["end"], r["code_id"]): r["id"]
                # `+status`: look rows up by transcript (the unique index), not by status,
                # which would scan every pending suggestion of the project per transcript.
                for r in c.execute(
                    "SELECT id, start, end, code_id FROM suggestions WHERE transcript_id = ? AND +status = ?",
                    (transcript_id, PENDING),
                )
            }
            stamp = now()
            rows, seen = [], set()
            for start, end, code_id, suggester, score, reason in proposals:
                if (start, end, code_id) not in seen:
                    seen.add((start, end, code_id))
                    rows.append((transcript_id, start, end, code_id, suggester, score, reason, PENDING, stamp))
            before = self.conn.total_changes
            c.executemany(
                "INSERT INTO suggestions (transcript_id, start, end, code_id, suggester, score, reason, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(transcript_id, start, end, code_id) DO UPDATE SET suggester = excluded.suggester,"
                " score = excluded.score, reason = excluded.reason WHERE suggestions.status = 'pending'",
                rows,
            )
            # Every pending row proposed again was updated; the other changes are new rows.
            kept = sum(1 for key in seen if key in old)
            added = self.conn.total_changes - before - kept
            stale = [sid for key, sid in old.items() if key not in seen]
            c.executemany("DELETE FROM suggestions WHERE id = ? AND status = 'pending'", [(sid,) for sid in stale])
        return added, kept, len(stale)

    def suggestions(
        self,
        transcript_id: int | None = None,
        statuses: Sequence[str] | None = None,
        code_ids: Sequence[str] | None = None,
    ) -> list[SuggestionRow]:
        """Suggestions in transcript order, optionally only some transcripts, statuses or codes."""
        sql, params, where = "SELECT * FROM suggestions", [], []
        if transcript_id is not None:
            where.append("transcript_id = ?")
            params.append(transcript_id)
        if statuses is not None:
            # With a transcript, its index is the selective one (see replace_pending_suggestions).
            column = "+status" if transcript_id is not None else "status"
            where.append(f"{column} IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        if code_ids is not None:
            where.append(f"code_id IN ({','.join('?' * len(code_ids))})")
            params.extend(code_ids)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [self._suggestion(r) for r in self.conn.execute(sql + " ORDER BY transcript_id, start, end, code_id", params)]

    def get_suggestion(self, suggestion_id: int) -> SuggestionRow:
        row = self.conn.execute("SELECT * FROM suggestions WHERE id = ?", (suggestion_id,)).fetchone()
        if row is None:
            raise error(NO_SUGGESTION, id=suggestion_id)
        return self._suggestion(row)

    def accept_suggestion(self, suggestion_id: int, coder: str, code_id: str | None = None) -> Coding:
        """Accept a pending suggestion (optionally with another code): one transaction.

        The new coding has origin ``suggested`` and points back at the suggestion.
        If the same span already has that code, the existing coding is kept as it
        is (a human coding is never changed) and the suggestion points at it.
        """
        with self.transaction() as c:
            s = self.get_suggestion(suggestion_id)
            if s.status != PENDING:
                raise error(ALREADY_DECIDED, id=suggestion_id, status=s.status)
            coding = self.add_coding(
                s.transcript_id, s.start, s.end, code_id or s.code_id, coder, origin=SUGGESTED, suggestion_id=s.id
            )
            c.execute(
                "UPDATE suggestions SET status = ?, coding_id = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (ACCEPTED, coding.id, coder, now(), suggestion_id),
            )
        return coding

    def reject_suggestion(self, suggestion_id: int, coder: str) -> SuggestionRow:
        """Reject a pending suggestion: it stays, so the span and code are never proposed again."""
        with self.transaction() as c:
            s = self.get_suggestion(suggestion_id)
            if s.status != PENDING:
                raise error(ALREADY_DECIDED, id=suggestion_id, status=s.status)
            c.execute(
                "UPDATE suggestions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (REJECTED, coder, now(), suggestion_id),
            )
        return self.get_suggestion(suggestion_id)

    def reopen_suggestion(self, suggestion_id: int) -> SuggestionRow:
        """Undo a decision: the suggestion is pending again.

        Undoing an acceptance removes the coding that acceptance created, and only
        that one (origin ``suggested``, pointing at this suggestion); a human coding
        it was linked to stays.
        """
        with self.transaction() as c:
            s = self.get_suggestion(suggestion_id)
            if s.status == ACCEPTED and s.coding_id is not None:
                row = c.execute("SELECT origin, suggestion_id FROM codings WHERE id = ?", (s.coding_id,)).fetchone()
                if row is not None and row["origin"] == SUGGESTED and row["suggestion_id"] == suggestion_id:
                    c.execute("DELETE FROM codings WHERE id = ?", (s.coding_id,))
            c.execute(
                "UPDATE suggestions SET status = ?, coding_id = NULL, decided_by = NULL, decided_at = NULL WHERE id = ?",
                (PENDING, suggestion_id),
            )
        return self.get_suggestion(suggestion_id)

    def suggestion_counts(self) -> dict[str, int]:
        """Suggestions per status."""
        return {r[0]: r[1] for r in self.conn.execute("SELECT status, count(*) FROM suggestions GROUP BY status")}

    # --- pseudonymisation (issue 15) -----------------------------------------------------

    def copy_to(self, path: Path | str) -> Store:
        """A consistent copy of this database at ``path`` (SQLite's online backup), opened."""
        target = sqlite3.connect(str(path))
        try:
            self.conn.backup(target)
        finally:
            target.close()
        return Store(path)

    # Replacing personal data by pseudonyms changes a transcript's text at known spans,
    # so every offset is mapped exactly (qualcode.pseudonymise.apply) instead of being
    # searched for again by its quote: no coding is detached, no suggestion dropped.

    def replace_text_exactly(
        self,
        tid: int,
        text: str,
        turns: Sequence[Turn],
        codings: Sequence[tuple[int, int, int]],
        suggestions: Sequence[tuple[int, int, int]],
        *,
        memos: dict[int, str | None] | None = None,
        attributes: dict[str, str] | None = None,
    ) -> None:
        """Swap in ``text`` with every coding and suggestion at its given new span ``(id, start, end)``.

        One transaction. Quotes are taken from the new text. ``memos`` (coding id ->
        memo) and ``attributes`` replace those given; the others stay.
        """
        with self.transaction() as c:
            c.execute(
                "UPDATE transcripts SET text = ?, content_hash = ?, words = ?, updated_at = ? WHERE id = ?",
                (text, sha256_text(text), count_words(text[u.start : u.end] for u in turns), now(), tid),
            )
            c.execute("DELETE FROM turns WHERE transcript_id = ?", (tid,))
            c.executemany(
                "INSERT INTO turns (transcript_id, idx, speaker, role, start, end, time_start, time_end)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(tid, u.index, u.speaker, u.role, u.start, u.end, u.time_start, u.time_end) for u in turns],
            )
            # Park first, so that the unique indexes never see a half-moved state.
            c.execute("UPDATE codings SET start = start + ?, end = end + ? WHERE transcript_id = ?", (_PARK, _PARK, tid))
            c.execute("UPDATE suggestions SET start = start + ?, end = end + ? WHERE transcript_id = ?", (_PARK, _PARK, tid))
            c.executemany(
                "UPDATE codings SET start = ?, end = ?, quote = ? WHERE id = ? AND transcript_id = ?",
                [(start, end, text[start:end], cid, tid) for cid, start, end in codings],
            )
            c.executemany(
                "UPDATE suggestions SET start = ?, end = ? WHERE id = ? AND transcript_id = ?",
                [(start, end, sid, tid) for sid, start, end in suggestions],
            )
            stamp = now()
            c.executemany(
                "UPDATE codings SET memo = ?, updated_at = ? WHERE id = ? AND transcript_id = ?",
                [(memo or None, stamp, cid, tid) for cid, memo in (memos or {}).items()],
            )
            if attributes:
                self._write_attributes(tid, attributes)
            parked = c.execute(
                "SELECT (SELECT count(*) FROM codings WHERE transcript_id = ? AND start >= ?)"
                " + (SELECT count(*) FROM suggestions WHERE transcript_id = ? AND start >= ?)",
                (tid, _PARK, tid, _PARK),
            ).fetchone()[0]
            if parked:  # a coding or suggestion without a new span: a caller's bug, never a silent loss
                raise RuntimeError(f"{parked} coding(s) or suggestion(s) of transcript {tid} got no new span")

@dataclass(slots=True)
class MoveResult:
    moved: int = 0  # codings that changed code
    merged: int = 0  # codings folded into an existing coding of the target on the same span

    @property
    def total(self) -> int:
        return self.moved + self.merged


def _joined_memo(kept: str | None, added: str | None) -> str | None:
    if not added or added == kept:
        return kept
    if not kept:
        return added
    return f"{kept}\n\n{added}"

@dataclass(slots=True)
class SuggestionRow:
    """One stored suggestion: a span and code proposed by a suggester, and its fate."""

    id: int
    transcript_id: int
    start: int
    end: int
    code_id: str
    suggester: str  # "rules", "learned" or "rules+learned"
    score: float | None  # the learned model's score (None for rules alone)
    reason: str | None
    status: str  # pending, accepted, rejected
    coding_id: int | None = None
    decided_by: str | None = None
    created_at: str | None = None
    decided_at: str | None = None
