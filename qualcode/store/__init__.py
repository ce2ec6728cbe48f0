"""The project store: one SQLite file per project, behind one typed interface.

``Store`` holds one connection and one transaction manager (:mod:`.db`) and a
repository for each kind of data, so callers read ``store.codings.add(...)``,
``store.transcripts.load(tid)`` and never see SQL, a cursor or a row:

=========================  =====================================================
``store.transcripts``      transcripts, their turns, attributes and summaries
``store.codes``            the codebook's codes by id (never deleted while used)
``store.codings``          codings and detached codings
``store.suggestions``      suggestions and the decisions on them
``store.settings``         project settings kept in the database
``store.coders``           everyone who coded or decided, with REFI-QDA GUIDs
``store.team``             consensus decisions, codings a merge kept aside
``store.exchange``         what a REFI-QDA import keeps for the next export
``store.trash``            what was removed, kept until restored or emptied
=========================  =====================================================

Every user action is one call here, which is one committed transaction; several
calls join one with ``with store.transaction():``. Schema changes are named
migrations (:mod:`.migrations`). All SQL of qualcode lives in this package, and
the interface speaks in the typed results of :mod:`.types`, so a second backend
could implement it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..model import Transcript, span_words
from ..words import word_bounds
from . import migrations
from .codes import CodeStore
from .codings import CodingStore, fill_words, refresh_summaries
from .db import Database, now
from .exchange import ExchangeStore
from .settings import CoderStore, SettingStore
from .suggestions import SuggestionStore
from .team import TeamStore
from .transcripts import TranscriptStore, fill_turn_words, fill_unit_bounds
from .trash import Restored, TrashItem, TrashStore
from .types import (
    ALL_CODINGS,
    Added,
    AsideCoding,
    CodeColumnBatch,
    CodeColumns,
    CoderCount,
    CodeRecord,
    CodingFilter,
    CodingRow,
    ConsensusDecision,
    DetachedCoding,
    DocumentSet,
    EmptySource,
    ExchangeCoding,
    ExchangeRow,
    MoveResult,
    SpanColumns,
    Suggestion,
    SyncResult,
    TranscriptInfo,
    TranscriptRef,
    TranscriptSummary,
)

__all__ = [
    "ALL_CODINGS",
    "Added",
    "AsideCoding",
    "CodeColumnBatch",
    "CodeColumns",
    "CodeRecord",
    "CoderCount",
    "CodingFilter",
    "CodingRow",
    "ConsensusDecision",
    "DetachedCoding",
    "DocumentSet",
    "EmptySource",
    "ExchangeCoding",
    "ExchangeRow",
    "MoveResult",
    "Restored",
    "SpanColumns",
    "Store",
    "Suggestion",
    "SyncResult",
    "TranscriptInfo",
    "TranscriptRef",
    "TranscriptSummary",
    "TrashItem",
    "now",
]


class Store:
    """A connection to one project database, with a repository per kind of data."""

    def __init__(self, path: Path | str = ":memory:", *, database: Database | None = None) -> None:
        self._db = database if database is not None else Database(path)
        try:
            migrations.migrate(self._db, after=_after_migration)
        except BaseException:
            self._db.close()
            raise
        self.transcripts = TranscriptStore(self._db)
        self.codes = CodeStore(self._db)
        self.codings = CodingStore(self._db)
        self.suggestions = SuggestionStore(self._db, self.codings)
        self.settings = SettingStore(self._db)
        self.coders = CoderStore(self._db)
        self.team = TeamStore(self._db, self.codings)
        self.exchange = ExchangeStore(self._db)
        self.trash = TrashStore(self._db)

    @classmethod
    def copy_of(cls, source: Path, target: Path) -> Store:
        """A store on a copy of the database ``source`` made at ``target`` (see
        :meth:`Database.copy_of`): ``source`` itself is never written."""
        return cls(database=Database.copy_of(source, target))

    @property
    def path(self) -> str:
        """The database's file as messages name it."""
        return self._db.shown

    @property
    def commits(self) -> int:
        """Transactions this connection committed (see :meth:`Database.transaction`)."""
        return self._db.commits

    @property
    def read_only(self) -> str | None:
        """``"file"`` or ``"folder"`` when the database could only be opened read-only."""
        return self._db.read_only

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[Store]:
        """One atomic unit of work over several calls; nested calls join the outer one.
        ``bulk``: for a transaction that writes many rows (an import), see
        :meth:`Database.transaction`."""
        with self._db.transaction(bulk=bulk):
            yield self

    def data_version(self) -> int:
        """A number that changes when another connection (another process) commits."""
        return self._db.data_version()

    def applied_migrations(self) -> list[str]:
        return migrations.applied(self._db)

    def replace_text(self, tid: int, new: Transcript, placements: list) -> dict[str, int]:
        """Swap in an edited version of a transcript, re-placing its codings.

        ``placements`` come from :func:`qualcode.reanchor.reanchor`; codings that cannot
        be placed are detached (kept, with the reason), pending suggestions dropped
        (they are recomputed) and decided ones moved with their text. One
        transaction: all of it happens, or none.
        """
        with self._db.transaction():
            old_text = self.transcripts.replace_content(tid, new)
            counts = self.codings.relocate(tid, new.text, placements)
            self.suggestions.reanchor(tid, old_text, new.text)
        return counts

    # --- pseudonymisation -----------------------------------------------------------------

    def replace_text_exactly(
        self,
        new: Transcript,
        codings: Iterable[tuple[int, int, int]],
        suggestions: Iterable[tuple[int, int, int]],
        memos: dict[int, str | None] | None = None,
    ) -> None:
        """Swap in a transcript's pseudonymised (or restored) version ``new`` (its id, text,
        turns, attributes) with every coding and suggestion at its given span
        ``(id, start, end)``: offsets known exactly, nothing detached. One transaction."""
        assert new.id is not None
        with self._db.transaction():
            self.transcripts.replace_content(new.id, new)
            self.codings.place(new.id, new.text, codings, memos or {})
            self.suggestions.place(new.id, suggestions)

    def erase_freed_pages(self) -> None:
        """Rewrite the database file so no page keeps text that was replaced or deleted.

        SQLite leaves old content in free pages and in the write-ahead log; after
        pseudonymising, the original names must not survive there.
        """
        self._db.check_writable("rewrite the database")
        self._db.execute("VACUUM")
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def copy_to(self, path: Path | str) -> Store:
        """A consistent copy of this database at ``path`` (SQLite's online backup), opened."""
        self._db.backup_to(Path(path))
        return Store(path)

    # --- a throw-away copy rewritten once (pseudonymised exports) ------------------------

    def scratch_copy(self, path: Path | str) -> Store:
        """A copy as :meth:`copy_to` makes, to be rewritten once by :meth:`rewrite_exactly`
        and then thrown away: written without waiting for the disk, and without the
        triggers that forget word positions when a text or a span changes, as
        :meth:`rewrite_exactly` writes the new ones with the spans. Only for a copy no
        one else opens: a crash leaves it half-written."""
        copy = self.copy_to(path)
        copy._db.execute("PRAGMA synchronous = OFF")
        for trigger in _WORD_TRIGGERS:
            copy._db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        return copy

    def rewrite_exactly(
        self,
        new: Transcript,
        codings: list[tuple[int, int, int]],
        suggestions: list[tuple[int, int, int]],
        memos: dict[int, str | None],
        unchanged_before: int = 0,
    ) -> None:
        """:meth:`replace_text_exactly` in a :meth:`scratch_copy`: the same rows, with the
        codings' word positions written along with their spans (from one pass over the
        text).
        ``unchanged_before``: the text before that offset is as it was, so a coding
        that ends there keeps its row. The copy's agreement units are not split again: an
        export never reads them (and a missing row is computed when read)."""
        assert new.id is not None
        bounds = word_bounds(new.text)
        turn_words = span_words(new.text, [(u.start, u.end) for u in new.turns])
        with self._db.transaction():
            self.transcripts.replace_content(new.id, new, turn_words=turn_words, units=False)
            self.codings.place(new.id, new.text, codings, memos, bounds=bounds, unchanged_before=unchanged_before)
            self.suggestions.place(new.id, suggestions)


# Migration 0008's triggers that set word positions to NULL for fill_words to redo.
_WORD_TRIGGERS = ("codings_words_inserted", "codings_words_moved", "turns_words_moved", "transcripts_words_text")


def _after_migration(db: Database, name: str) -> None:
    if name == "0003_team_and_summaries":
        # Counted in Python: SQLite's length() stops at a NUL character.
        for tid, text in db.execute("SELECT id, text FROM transcripts").fetchall():
            db.execute("UPDATE transcripts SET chars = ? WHERE id = ?", (len(text), tid))
        refresh_summaries(db, words=False)  # the word positions come with 0008
    elif name == "0008_coding_words":
        fill_words(db, turns=False)
        fill_turn_words(db)
    elif name == "0012_sentence_bounds":
        fill_unit_bounds(db)
    elif name == "0013_coding_turn":
        fill_words(db)
