"""The pseudonymisation key: a SQLite file of its own, apart from the shareable project.

``pseudonymisation-key.db`` in the project folder holds what names real people and so
must never travel with the data: the candidates found (their text is personal
data), the decisions, the key itself (original <-> pseudonym) and, once a project
is switched to pseudonymised text, the original texts. ``qualcode.db`` can then be
shared (with a co-coder, an archive) without it. No export reads this file.

Every decision is one journal entry holding what it changed, so ``undo`` restores
exactly the state before it; it is one transaction, or part of one ``batch``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import PSEUDO_NO_CANDIDATE, error
from ..model import ACCEPTED, PENDING, REJECTED
from . import migrations
from .db import Database, inserted_id, now

KEY_NAME = "pseudonymisation-key.db"

KEY_MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_key",
        """
        CREATE TABLE entities (
            id         INTEGER PRIMARY KEY,
            category   TEXT NOT NULL,
            original   TEXT NOT NULL,
            folded     TEXT NOT NULL,
            pseudonym  TEXT NOT NULL,  -- shared by the names of one entity ("Yvonne", "Yvonne van Dijk")
            number     INTEGER NOT NULL,
            chosen     INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (category, folded)
        );
        CREATE TABLE candidates (
            id            INTEGER PRIMARY KEY,
            transcript_id INTEGER NOT NULL,
            start         INTEGER NOT NULL,
            end           INTEGER NOT NULL,
            category      TEXT NOT NULL,
            text          TEXT NOT NULL,
            source        TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'rejected')),
            entity_id     INTEGER REFERENCES entities(id),
            decided_by    TEXT,
            created_at    TEXT NOT NULL,
            decided_at    TEXT,
            CHECK (0 <= start AND start < end),
            UNIQUE (transcript_id, start, end)
        );
        CREATE INDEX candidates_status ON candidates (status);
        CREATE TABLE words (
            folded     TEXT PRIMARY KEY,
            word       TEXT NOT NULL,
            decision   TEXT NOT NULL CHECK (decision IN ('always', 'never')),
            category   TEXT,
            decided_by TEXT,
            decided_at TEXT NOT NULL
        );
        CREATE TABLE originals (
            transcript_id INTEGER PRIMARY KEY,
            name          TEXT NOT NULL,
            text          TEXT NOT NULL,
            turns         TEXT NOT NULL,
            attributes    TEXT NOT NULL,
            memos         TEXT NOT NULL,
            replacements  TEXT NOT NULL,  -- [[start, end, pseudonym], ...] in the original text
            applied_hash  TEXT NOT NULL,
            applied_at    TEXT NOT NULL
        );
        CREATE TABLE journal (
            id      INTEGER PRIMARY KEY,
            action  TEXT NOT NULL,
            payload TEXT NOT NULL,
            at      TEXT NOT NULL
        );
        """,
    ),
    (
        "0002_transcript_memo",
        """
        -- The transcript's own memo as it was, where ``apply`` replaced names in it.
        ALTER TABLE originals ADD COLUMN transcript_memo TEXT;
        """,
    ),
    (
        "0003_source_originals",
        """
        -- The variable values of a source without text (kept by a .qdpx import) as they were
        -- before ``apply --replace-attributes`` replaced names in them: the first values seen.
        CREATE TABLE source_originals (
            guid       TEXT PRIMARY KEY,
            name       TEXT NOT NULL,
            attributes TEXT NOT NULL,
            applied_at TEXT NOT NULL
        );
        """,
    ),
]

_CANDIDATE_COLUMNS = (
    "id, transcript_id, start, end, category, text, source, status, entity_id, decided_by, created_at, decided_at"
)


@dataclass(slots=True)
class CandidateRow:
    id: int
    transcript_id: int
    start: int
    end: int
    category: str
    text: str
    source: str
    status: str
    entity_id: int | None
    decided_by: str | None
    created_at: str
    decided_at: str | None


@dataclass(slots=True)
class EntityRow:
    id: int
    category: str
    original: str
    pseudonym: str
    number: int
    chosen: bool


@dataclass(slots=True)
class OriginalRow:
    transcript_id: int
    name: str
    text: str
    turns: list[dict]
    attributes: dict[str, str]
    memos: dict[int, str | None]
    replacements: list[tuple[int, int, str]]
    applied_hash: str
    applied_at: str
    transcript_memo: str | None = None  # the transcript's memo before, where names in it were replaced


@dataclass(slots=True)
class CandidateChange:
    """One candidate as a decision leaves it (``id`` None: a new candidate)."""

    id: int | None
    transcript_id: int
    start: int
    end: int
    category: str
    text: str
    source: str
    status: str
    entity_id: int | None


class KeyStore:
    """The key database: the project store's connection, transactions and migrations
    (:mod:`.db`, :mod:`.migrations`) with a schema of its own."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self._db = Database(path)
        self._db.conn.row_factory = sqlite3.Row
        try:
            migrations.migrate(self._db, schema=KEY_MIGRATIONS)
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def applied_migrations(self) -> list[str]:
        return migrations.applied(self._db)

    # --- candidates -------------------------------------------------------------------

    @staticmethod
    def _candidate(row) -> CandidateRow:
        return CandidateRow(*[row[k] for k in _CANDIDATE_COLUMNS.split(", ")])

    def add_candidates(self, rows: Iterable[tuple[int, int, int, str, str, str]]) -> int:
        """Insert pending candidates ``(transcript_id, start, end, category, text, source)``;
        a span already known (decided or not) is left as it is. Returns how many are new."""
        stamp = now()
        with self._db.transaction() as c:
            before = self._db.changes
            c.executemany(
                "INSERT OR IGNORE INTO candidates (transcript_id, start, end, category, text, source, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(*r, stamp) for r in rows],
            )
            return self._db.changes - before

    def candidates(self, transcript_id: int | None = None, statuses: Sequence[str] | None = None) -> list[CandidateRow]:
        sql = f"SELECT {_CANDIDATE_COLUMNS} FROM candidates"
        where: list[str] = []
        params: list[object] = []
        if transcript_id is not None:
            where.append("transcript_id = ?")
            params.append(transcript_id)
        if statuses is not None:
            where.append(f"status IN ({','.join('?' * len(statuses))})")
            params.extend(statuses)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [self._candidate(r) for r in self._db.execute(sql + " ORDER BY transcript_id, start, end", params)]

    def drop_candidates(self, ids: Iterable[int]) -> int:
        """Remove candidates (those no longer where they were found); returns how many."""
        with self._db.transaction() as c:
            before = self._db.changes
            c.executemany("DELETE FROM candidates WHERE id = ?", [(i,) for i in ids])
            return self._db.changes - before

    def candidate(self, candidate_id: int) -> CandidateRow | None:
        row = self._db.execute(f"SELECT {_CANDIDATE_COLUMNS} FROM candidates WHERE id = ?", (candidate_id,)).fetchone()
        return self._candidate(row) if row else None

    def candidate_counts(self) -> dict[tuple[int, str, str], int]:
        """(transcript id, category, status) -> count."""
        return {
            (r[0], r[1], r[2]): r[3]
            for r in self._db.execute(
                "SELECT transcript_id, category, status, count(*) FROM candidates GROUP BY transcript_id, category, status"
            )
        }

    # --- entities (the key) ------------------------------------------------------------

    @staticmethod
    def _entity(row) -> EntityRow:
        return EntityRow(row["id"], row["category"], row["original"], row["pseudonym"], row["number"], bool(row["chosen"]))

    def entities(self) -> list[EntityRow]:
        return [self._entity(r) for r in self._db.execute("SELECT * FROM entities ORDER BY category, number")]

    def entity(self, entity_id: int) -> EntityRow | None:
        row = self._db.execute("SELECT * FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return self._entity(row) if row else None

    def find_entity(self, category: str, original: str) -> EntityRow | None:
        row = self._db.execute(
            "SELECT * FROM entities WHERE category = ? AND folded = ?", (category, original.casefold())
        ).fetchone()
        return self._entity(row) if row else None

    def entities_by_pseudonym(self, pseudonym: str) -> list[EntityRow]:
        return [self._entity(r) for r in self._db.execute("SELECT * FROM entities WHERE pseudonym = ?", (pseudonym,))]

    def next_number(self, category: str) -> int:
        row = self._db.execute("SELECT max(number) FROM entities WHERE category = ?", (category,)).fetchone()
        return (row[0] or 0) + 1

    # --- words: always / never in this project -------------------------------------------

    def words(self) -> list[tuple[str, str, str | None]]:
        """(word, decision, category) of every always/never decision."""
        return [(r[0], r[1], r[2]) for r in self._db.execute("SELECT word, decision, category FROM words ORDER BY folded")]

    # --- decisions: one transaction, one journal entry ------------------------------------

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Decisions made inside are committed together (each keeps its journal entry), or
        none is, when one of them fails."""
        with self._db.transaction():
            yield

    def decide(
        self,
        action: str,
        changes: Sequence[CandidateChange],
        *,
        new_entity: tuple[str, str, str, int, bool] | None = None,
        word: tuple[str, str, str | None] | None = None,
        by: str | None = None,
    ) -> list[int]:
        """Apply a decision: optionally create an entity ``(category, original, pseudonym,
        number, chosen)`` (changes with ``entity_id == -1`` point at it), set ``word``
        ``(word, decision, category)``, and write the candidates. Returns the candidate ids."""
        stamp = now()
        with self._db.transaction() as c:
            undo: dict = {"candidates": [], "inserted": [], "entity": None, "word": None}
            entity_id = None
            if new_entity is not None:
                category, original, pseudonym, number, chosen = new_entity
                entity_id = c.execute(
                    "INSERT INTO entities (category, original, folded, pseudonym, number, chosen, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (category, original, original.casefold(), pseudonym, number, int(chosen), stamp),
                ).lastrowid
                undo["entity"] = entity_id
            if word is not None:
                text, decision, word_category = word
                old = c.execute("SELECT word, decision, category FROM words WHERE folded = ?", (text.casefold(),)).fetchone()
                undo["word"] = {"folded": text.casefold(), "old": list(old) if old else None}
                c.execute(
                    "INSERT INTO words (folded, word, decision, category, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(folded) DO UPDATE SET word = excluded.word, decision = excluded.decision,"
                    " category = excluded.category, decided_by = excluded.decided_by, decided_at = excluded.decided_at",
                    (text.casefold(), text, decision, word_category, by, stamp),
                )
            ids = []
            for ch in changes:
                target = entity_id if ch.entity_id == -1 else ch.entity_id
                decided = ch.status != PENDING
                if ch.id is None:
                    cur = c.execute(
                        "INSERT INTO candidates (transcript_id, start, end, category, text, source, status, entity_id,"
                        " decided_by, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            ch.transcript_id,
                            ch.start,
                            ch.end,
                            ch.category,
                            ch.text,
                            ch.source,
                            ch.status,
                            target,
                            by if decided else None,
                            stamp,
                            stamp if decided else None,
                        ),
                    )
                    ids.append(inserted_id(cur))
                    undo["inserted"].append(ids[-1])
                    continue
                candidate = self.candidate(ch.id)
                if candidate is None:  # gone meanwhile (its transcript removed by another process): nothing is written
                    raise error(PSEUDO_NO_CANDIDATE, id=ch.id)
                undo["candidates"].append(asdict(candidate))
                c.execute(
                    "UPDATE candidates SET start = ?, end = ?, category = ?, text = ?, status = ?, entity_id = ?,"
                    " decided_by = ?, decided_at = ? WHERE id = ?",
                    (
                        ch.start,
                        ch.end,
                        ch.category,
                        ch.text,
                        ch.status,
                        target,
                        by if decided else None,
                        stamp if decided else None,
                        ch.id,
                    ),
                )
                ids.append(ch.id)
            c.execute("INSERT INTO journal (action, payload, at) VALUES (?, ?, ?)", (action, json.dumps(undo), stamp))
        return ids

    def undo_last(self) -> str | None:
        """Undo the last decision exactly; returns its action, or None when there is none."""
        with self._db.transaction() as c:
            row = c.execute("SELECT id, action, payload FROM journal ORDER BY id DESC LIMIT 1").fetchone()
            if row is None:
                return None
            undo = json.loads(row["payload"])
            for old in undo["candidates"]:
                c.execute(
                    "UPDATE candidates SET start = ?, end = ?, category = ?, text = ?, status = ?, entity_id = ?,"
                    " decided_by = ?, decided_at = ? WHERE id = ?",
                    (
                        old["start"],
                        old["end"],
                        old["category"],
                        old["text"],
                        old["status"],
                        old["entity_id"],
                        old["decided_by"],
                        old["decided_at"],
                        old["id"],
                    ),
                )
            c.executemany("DELETE FROM candidates WHERE id = ?", [(i,) for i in undo["inserted"]])
            if undo["entity"] is not None:
                c.execute("DELETE FROM entities WHERE id = ?", (undo["entity"],))
            if undo["word"] is not None:
                w = undo["word"]
                if w["old"] is None:
                    c.execute("DELETE FROM words WHERE folded = ?", (w["folded"],))
                else:
                    c.execute("UPDATE words SET word = ?, decision = ?, category = ? WHERE folded = ?", (*w["old"], w["folded"]))
            if "rename" in undo:
                old_pseudonym, rows = undo["rename"]
                c.executemany(
                    "UPDATE entities SET pseudonym = ?, chosen = ? WHERE id = ?", [(old_pseudonym, ch, i) for i, ch in rows]
                )
            c.execute("DELETE FROM journal WHERE id = ?", (row["id"],))
            return str(row["action"])

    def rename_pseudonym(self, old: str, new: str) -> int:
        """The researcher's own replacement for every name of an entity; returns how many names."""
        with self._db.transaction() as c:
            rows = [(r["id"], r["chosen"]) for r in c.execute("SELECT id, chosen FROM entities WHERE pseudonym = ?", (old,))]
            c.execute("UPDATE entities SET pseudonym = ?, chosen = 1 WHERE pseudonym = ?", (new, old))
            payload = {"candidates": [], "inserted": [], "entity": None, "word": None, "rename": [old, rows]}
            c.execute("INSERT INTO journal (action, payload, at) VALUES (?, ?, ?)", ("rename", json.dumps(payload), now()))
        return len(rows)

    # --- originals kept aside after `apply` -------------------------------------------------

    def save_original(self, original: OriginalRow) -> None:
        with self._db.transaction() as c:
            # REPLACE: an apply that stopped before the project's text was switched left a row.
            c.execute(
                "INSERT OR REPLACE INTO originals (transcript_id, name, text, turns, attributes, memos, replacements,"
                " applied_hash, applied_at, transcript_memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    original.transcript_id,
                    original.name,
                    original.text,
                    json.dumps(original.turns),
                    json.dumps(original.attributes),
                    json.dumps(original.memos),
                    json.dumps(original.replacements),
                    original.applied_hash,
                    original.applied_at,
                    original.transcript_memo,
                ),
            )

    def originals(self) -> dict[int, OriginalRow]:
        out = {}
        for r in self._db.execute("SELECT * FROM originals ORDER BY transcript_id"):
            memos = {int(k): v for k, v in json.loads(r["memos"]).items()}
            out[r["transcript_id"]] = OriginalRow(
                r["transcript_id"],
                r["name"],
                r["text"],
                json.loads(r["turns"]),
                json.loads(r["attributes"]),
                memos,
                [tuple(x) for x in json.loads(r["replacements"])],
                r["applied_hash"],
                r["applied_at"],
                r["transcript_memo"],
            )
        return out

    def original_text(self, transcript_id: int) -> str | None:
        """The original text of one transcript kept aside by ``apply`` (None if none is kept)."""
        row = self._db.execute("SELECT text FROM originals WHERE transcript_id = ?", (transcript_id,)).fetchone()
        return row[0] if row else None

    def applied_hashes(self) -> dict[int, str]:
        """Transcript id -> the hash of the text ``apply`` switched it to (without reading the originals)."""
        return {r[0]: r[1] for r in self._db.execute("SELECT transcript_id, applied_hash FROM originals")}

    def drop_original(self, transcript_id: int) -> None:
        with self._db.transaction() as c:
            c.execute("DELETE FROM originals WHERE transcript_id = ?", (transcript_id,))

    def save_source_original(self, guid: str, name: str, attributes: dict[str, str]) -> None:
        """Keep a source without text's values before ``apply`` replaces names in them; values
        kept before stay (they are the originals: a second apply saw pseudonyms)."""
        with self._db.transaction() as c:
            c.execute(
                "INSERT OR IGNORE INTO source_originals (guid, name, attributes, applied_at) VALUES (?, ?, ?, ?)",
                (guid, name, json.dumps(attributes, ensure_ascii=False), now()),
            )

    def source_originals(self) -> dict[str, tuple[str, dict[str, str]]]:
        """GUID -> (name, values before ``apply``) of the sources without text it changed."""
        rows = self._db.execute("SELECT guid, name, attributes FROM source_originals ORDER BY name, guid")
        return {guid: (name, json.loads(values)) for guid, name, values in rows}

    def drop_source_original(self, guid: str) -> None:
        with self._db.transaction() as c:
            c.execute("DELETE FROM source_originals WHERE guid = ?", (guid,))

    def forget_originals(self) -> int:
        """Remove the original texts (and sources' values) kept aside (the key stays); returns how
        many transcripts' and sources' originals were removed."""
        with self._db.transaction() as c:
            n = c.execute("DELETE FROM originals").rowcount
            n += c.execute("DELETE FROM source_originals").rowcount
        self._db.conn.execute("VACUUM")  # so the removed texts do not linger in free pages
        return n


__all__ = [
    "ACCEPTED",
    "KEY_NAME",
    "PENDING",
    "REJECTED",
    "CandidateRow",
    "CandidateChange",
    "EntityRow",
    "KeyStore",
    "OriginalRow",
]
