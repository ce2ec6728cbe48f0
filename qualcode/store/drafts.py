"""The drafts of memos being written: a coding's (``memo_drafts``) and a transcript's own
(``transcript_memo_drafts``), one table each, keyed by what the memo is on.

What a researcher types in a memo is kept here while they type, so a closed terminal or
a killed process loses none of it; saving or discarding the memo ends its draft.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager, nullcontext

from ..display import shorten
from ..errors import MEMO_CHANGED_MEANWHILE, error
from ..termsafe import one_line
from .db import Database, now

UNCHECKED = object()  # a memo writer's ``was`` when it did not start from a memo it read


def refuse_changed_meanwhile(stored: str | None, was: object, *, what: str, key: str) -> None:
    """MEMO_CHANGED_MEANWHILE when the memo ``stored`` now is not the one ``was`` the writer
    started from (another window or a command saved one meanwhile); ``key``: what opens it."""
    if was is not UNCHECKED and (stored or "").strip() != str(was or "").strip():
        raise error(
            MEMO_CHANGED_MEANWHILE, what=what, key=key, theirs=one_line(shorten(stored or "", 120, count=True)) or "(none)"
        )


class DraftTable:
    """One table of memo drafts: ``(key, text, written_at)``, a draft per key at most;
    ``owners``: the table whose row (``id``) the key names."""

    def __init__(self, db: Database, table: str, key: str, owners: str) -> None:
        self._db, self._table, self._key, self._owners = db, table, key, owners

    @contextmanager
    def _writing(self, wait: bool) -> Iterator[Database]:
        # wait=False: STORE_BUSY at once while another process writes (the app tries again
        # later) instead of holding the app still for the store's busy timeout.
        with self._db.not_waiting() if not wait else nullcontext(), self._db.transaction() as db:
            yield db

    def keep(self, owner: int, text: str, *, wait: bool = True) -> bool:
        """Keep what is being written (replacing the draft before); False when the owner
        was removed meanwhile (another window, a command): nothing is kept then."""
        with self._writing(wait) as db:
            return bool(
                db.execute(
                    f"INSERT INTO {self._table} ({self._key}, text, written_at)"
                    f" SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM {self._owners} WHERE id = ?)"
                    f" ON CONFLICT ({self._key}) DO UPDATE SET text = excluded.text, written_at = excluded.written_at",
                    (owner, text, now(), owner),
                ).rowcount
            )

    def get(self, owner: int) -> tuple[str, str] | None:
        """The draft, as ``(text, written_at)``, if there is one."""
        row = self._db.one(f"SELECT text, written_at FROM {self._table} WHERE {self._key} = ?", (owner,))
        return (row[0], row[1]) if row else None

    def drop(self, owner: int, text: str | None = None, *, wait: bool = True) -> None:
        """End the draft (the memo was saved or its changes discarded); with ``text``, only
        if the draft is still that text (not another window's since)."""
        with self._writing(wait) as db:
            if text is None:
                db.execute(f"DELETE FROM {self._table} WHERE {self._key} = ?", (owner,))
            else:
                db.execute(f"DELETE FROM {self._table} WHERE {self._key} = ? AND text = ?", (owner, text))

    def all(self) -> list[tuple[int, str]]:
        """``(key, text)`` of every draft, by key."""
        return [(k, text) for k, text in self._db.execute(f"SELECT {self._key}, text FROM {self._table} ORDER BY {self._key}")]

    def set(self, drafts: Mapping[int, str]) -> None:
        """Give drafts new texts (pseudonymisation replacing names in them too)."""
        stamp = now()
        with self._db.transaction() as db:
            db.executemany(
                f"UPDATE {self._table} SET text = ?, written_at = ? WHERE {self._key} = ?",
                [(text, stamp, owner) for owner, text in drafts.items()],
            )
