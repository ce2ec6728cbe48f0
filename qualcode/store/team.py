"""Team coding in the store: consensus decisions, and codings a merge had to keep aside.

* A *consensus decision* settles one disagreement between two coders (keyed by the
  disagreement's stable key and the two coders). It records which consensus codings
  it created, so undoing it removes exactly those (and no coding that was there
  before, such as an agreed coding copied earlier).
* A coding *kept aside* by ``qualcode merge`` is one whose transcript or code this
  project does not have: it is stored whole (transcript name and content hash,
  span, code, coder, memo, quote, dates) with the reason, never dropped, so a later
  merge - after the code or transcript was added - can bring it in.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..model import Coding, stored_id
from .codings import CodingStore
from .db import Database, now
from .types import AsideCoding, ConsensusDecision, Suggestion

_DECISION_COLUMNS = "key, first_coder, second_coder, transcript_id, decision, coding_ids, decided_by, decided_at"
_ASIDE_COLUMNS = (
    "id, origin, transcript_name, content_hash, start, end, code_id, coder, memo, quote, created_at, reason, set_aside_at"
)


class TeamStore:
    def __init__(self, db: Database, codings: CodingStore) -> None:
        self._db = db
        self._codings = codings

    # --- consensus decisions ------------------------------------------------------------

    def decisions(self, first: str, second: str) -> dict[str, ConsensusDecision]:
        """Every decision taken on disagreements between ``first`` and ``second``, by key."""
        rows = self._db.execute(
            f"SELECT {_DECISION_COLUMNS} FROM consensus_decisions WHERE first_coder = ? AND second_coder = ?",
            (first, second),
        )
        return {r[0]: _decision(r) for r in rows}

    def decide(
        self,
        key: str,
        first: str,
        second: str,
        transcript_id: int,
        decision: str,
        codings: Iterable[Coding],
        decided_by: str,
    ) -> tuple[ConsensusDecision, list[Coding]]:
        """Record a decision and add its consensus codings, in one transaction.

        A decision already taken on the same disagreement is undone first (its codings
        removed), so deciding again replaces it. Returns the decision and the codings
        it added (an identical consensus coding already present is not added again,
        and not counted as this decision's).
        """
        with self._db.transaction() as db:
            self.undecide(key, first, second)
            added: list[Coding] = []
            for c in codings:
                result = self._codings.add(c.transcript_id, c.start, c.end, c.code_id, c.coder, memo=c.memo, origin=c.origin)
                if result.inserted:
                    added.append(result.coding)
            stamp = now()
            db.execute(
                f"INSERT INTO consensus_decisions ({_DECISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key, first, second, transcript_id, decision, json.dumps([stored_id(c) for c in added]), decided_by, stamp),
            )
            self._db.execute(
                "INSERT INTO coders (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING", (decided_by, stamp)
            )
        return ConsensusDecision(
            key, first, second, transcript_id, decision, [stored_id(c) for c in added], decided_by, stamp
        ), added

    def undecide(self, key: str, first: str, second: str) -> tuple[ConsensusDecision, list[Coding]] | None:
        """Take a decision back: its row and the consensus codings it added (those still there)."""
        with self._db.transaction() as db:
            row = db.one(
                f"SELECT {_DECISION_COLUMNS} FROM consensus_decisions WHERE key = ? AND first_coder = ? AND second_coder = ?",
                (key, first, second),
            )
            if row is None:
                return None
            decision = _decision(row)
            removed = []
            for coding_id in decision.coding_ids:
                if db.one("SELECT 1 FROM codings WHERE id = ?", (coding_id,)) is not None:
                    removed.append(self._codings.remove(coding_id))
            db.execute(
                "DELETE FROM consensus_decisions WHERE key = ? AND first_coder = ? AND second_coder = ?",
                (key, first, second),
            )
        return decision, removed

    # --- suggestion decisions brought by a merge ----------------------------------------

    def add_decided_suggestions(self, rows: Iterable[Suggestion]) -> int:
        """Add accepted/rejected suggestions where this project has none for the span and code.

        An accepted one is linked to the coding its decider has there, if any. Nothing
        here is overwritten (a pending suggestion stays pending). Returns the number added.
        """
        added = 0
        with self._db.transaction() as db:
            for s in rows:
                coding_id = db.scalar(
                    "SELECT id FROM codings WHERE transcript_id = ? AND start = ? AND end = ? AND code_id = ? AND coder = ?",
                    (s.transcript_id, s.start, s.end, s.code_id, s.decided_by),
                ) if s.status == "accepted" else None  # fmt: skip
                cur = db.execute(
                    "INSERT INTO suggestions (transcript_id, start, end, code_id, suggester, score, reason, status,"
                    " coding_id, decided_by, created_at, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(transcript_id, start, end, code_id) DO NOTHING",
                    (s.transcript_id, s.start, s.end, s.code_id, s.suggester, s.score, s.reason, s.status, coding_id,
                     s.decided_by, s.created_at or now(), s.decided_at),
                )  # fmt: skip
                added += cur.rowcount
        return added

    # --- codings kept aside by a merge ----------------------------------------------------

    def put_aside(self, rows: Iterable[AsideCoding]) -> int:
        """Keep codings a merge could not place; the same one twice is kept once. Returns the number new."""
        added = 0
        with self._db.transaction() as db:
            stamp = now()
            for r in rows:
                cur = db.execute(
                    "INSERT INTO merge_aside (origin, transcript_name, content_hash, start, end, code_id, coder, memo,"
                    " quote, created_at, reason, set_aside_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(content_hash, start, end, code_id, coder) DO NOTHING",
                    (r.origin, r.transcript_name, r.content_hash, r.start, r.end, r.code_id, r.coder, r.memo, r.quote,
                     r.created_at, r.reason, stamp),
                )  # fmt: skip
                added += cur.rowcount
        return added

    def aside(self) -> list[AsideCoding]:
        """Codings kept aside by merges, by transcript and position."""
        rows = self._db.execute(f"SELECT {_ASIDE_COLUMNS} FROM merge_aside ORDER BY transcript_name, start, end, code_id")
        return [AsideCoding(*r) for r in rows]

    def take_back(self, aside_ids: Iterable[int]) -> None:
        """Forget codings kept aside once they have been placed (by a later merge)."""
        with self._db.transaction() as db:
            db.executemany("DELETE FROM merge_aside WHERE id = ?", [(i,) for i in aside_ids])


def _decision(row: tuple) -> ConsensusDecision:
    key, first, second, tid, decision, ids, by, at = row
    return ConsensusDecision(key, first, second, tid, decision, list(json.loads(ids)), by, at)
