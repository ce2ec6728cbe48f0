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
=========================  =====================================================

Every user action is one call here, which is one committed transaction; several
calls join one with ``with store.transaction():``. Schema changes are named
migrations (:mod:`.migrations`). All SQL of qualcode lives in this package, and
the interface speaks in the typed results of :mod:`.types`, so a second backend
could implement it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..model import Transcript
from . import migrations
from .codes import CodeStore
from .codings import CodingStore, refresh_summaries
from .db import Database, now
from .settings import CoderStore, SettingStore
from .suggestions import SuggestionStore
from .transcripts import TranscriptStore
from .types import (
    ALL_CODINGS,
    Added,
    CodeRecord,
    CoderCount,
    CodingFilter,
    CodingRow,
    DetachedCoding,
    MoveResult,
    SpeakerInfo,
    Suggestion,
    SyncResult,
    TranscriptInfo,
    TranscriptSummary,
)

__all__ = [
    "ALL_CODINGS",
    "Added",
    "CodeRecord",
    "CoderCount",
    "CodingFilter",
    "CodingRow",
    "DetachedCoding",
    "MoveResult",
    "SpeakerInfo",
    "Store",
    "Suggestion",
    "SyncResult",
    "TranscriptInfo",
    "TranscriptSummary",
    "now",
]


class Store:
    """A connection to one project database, with a repository per kind of data."""

    def __init__(self, path: Path | str = ":memory:") -> None:
        self._db = Database(path)
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

    @property
    def path(self) -> str:
        return self._db.path

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
    def transaction(self) -> Iterator[Store]:
        """One atomic unit of work over several calls; nested calls join the outer one."""
        with self._db.transaction():
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


def _after_migration(db: Database, name: str) -> None:
    if name == "0003_team_and_summaries":
        refresh_summaries(db)
