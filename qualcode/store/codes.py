"""The codes table: the codebook's codes by id, never deleted while anything refers to them."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .db import Database
from .types import CodeRecord, SyncResult

if TYPE_CHECKING:  # pragma: no cover
    from ..codebook import Codebook


class CodeStore:
    """Codes are synced from the codebook by id. A code that left the codebook is marked
    ``in_codebook = 0`` and its codings stay (reported by ``qualcode check``)."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def sync(self, codebook: Codebook) -> SyncResult:
        """Make the codes table match the codebook, by id; never delete a code.

        The comparison runs inside the write transaction, so two processes syncing at
        once cannot both insert the same code. A read-only store is left as it is
        (``skipped``) when it is out of date: browsing still works.
        """
        planned = self._plan(codebook)
        if not (planned.upserts or planned.newly_missing):
            return planned.result
        if self._db.read_only:
            planned.result.skipped = True
            return planned.result
        with self._db.transaction():
            planned = self._plan(codebook)  # again, under the write lock
            for code, position in planned.upserts:
                self._db.execute(
                    "INSERT INTO codes (id, name, parent_id, color, key, position, guid, in_codebook)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 1) ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                    " parent_id = excluded.parent_id, color = excluded.color, key = excluded.key,"
                    " position = excluded.position, guid = excluded.guid, in_codebook = 1",
                    (code.id, code.name, code.parent_id, code.color, code.key, position, code.stable_guid),
                )
            for code_id in planned.newly_missing:
                self._db.execute("UPDATE codes SET in_codebook = 0, key = NULL WHERE id = ?", (code_id,))
        return planned.result

    def _plan(self, codebook: Codebook) -> _Plan:
        existing = {r.id: r for r in self.list(include_missing=True)}
        plan = _Plan()
        seen = set()
        for position, code in enumerate(codebook.walk()):
            seen.add(code.id)
            old = existing.get(code.id)
            values = (code.name, code.parent_id, code.color, code.key, position, code.stable_guid)
            if old is None:
                plan.result.added.append(code.id)
            elif (old.name, old.parent_id, old.color, old.key, old.position, old.guid) != values or not old.in_codebook:
                plan.result.changed.append(code.id)
            else:
                continue
            plan.upserts.append((code, position))
        for code_id, old in existing.items():
            if code_id not in seen:
                plan.result.missing.append(code_id)
                if old.in_codebook:
                    plan.newly_missing.append(code_id)
        return plan

    def ensure(self, code_id: str, name: str | None = None) -> None:
        """Register a code the codebook does not know (e.g. from an imported coding)."""
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO codes (id, name, position, in_codebook) VALUES (?, ?, 1000000, 0) ON CONFLICT(id) DO NOTHING",
                (code_id, name or code_id),
            )

    def list(self, include_missing: bool = False) -> list[CodeRecord]:
        """The stored codes in codebook order (with those that left it, if asked)."""
        sql = (
            "SELECT id, name, parent_id, color, key, position, guid, in_codebook FROM codes"
            + ("" if include_missing else " WHERE in_codebook = 1")
            + " ORDER BY position, id"
        )
        return [
            CodeRecord(code_id, name, parent_id, color, key, position, guid, bool(in_codebook))
            for code_id, name, parent_id, color, key, position, guid, in_codebook in self._db.execute(sql)
        ]

    def names(self) -> dict[str, str]:
        """Id → name of every stored code, including those no longer in the codebook."""
        return {r[0]: r[1] for r in self._db.execute("SELECT id, name FROM codes")}

    def exists(self, code_id: str) -> bool:
        return self._db.one("SELECT 1 FROM codes WHERE id = ?", (code_id,)) is not None

    def forget(self, code_ids: Iterable[str]) -> builtins.list[str]:  # `list` here is the method above
        """Delete rows of codes that left the codebook and that nothing refers to any more.

        After a rename or merge moved all their codings away such rows would only be
        reported, again and again, as "no longer in the codebook". A code that still
        has a coding or a suggestion is never deleted. Returns the ids deleted.
        """
        gone = []
        with self._db.transaction() as db:
            for code_id in code_ids:
                cur = db.execute(
                    "DELETE FROM codes WHERE id = ? AND in_codebook = 0"
                    " AND NOT EXISTS (SELECT 1 FROM codings WHERE code_id = codes.id)"
                    " AND NOT EXISTS (SELECT 1 FROM detached_codings WHERE code_id = codes.id)"
                    " AND NOT EXISTS (SELECT 1 FROM suggestions WHERE code_id = codes.id)",
                    (code_id,),
                )
                if cur.rowcount:
                    gone.append(code_id)
        return gone


class _Plan:
    __slots__ = ("newly_missing", "result", "upserts")

    def __init__(self) -> None:
        self.result = SyncResult()
        self.upserts: list = []
        self.newly_missing: list[str] = []
