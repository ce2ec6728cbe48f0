"""Suggestions: spans and codes proposed by a suggester, and the researcher's decisions.

A suggestion row is kept forever once decided: the unique (transcript, start, end,
code) index then stops the same span and code from being proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from ..errors import ALREADY_DECIDED, NO_SUGGESTION, error
from ..model import ACCEPTED, PENDING, REJECTED, SUGGESTED, Coding
from .codings import CodingStore
from .db import PARK, Database, json_ids, now
from .types import Suggestion

_COLUMNS = (
    "id, transcript_id, start, end, code_id, suggester, score, reason, status, coding_id, decided_by,"
    " created_at, decided_at"
)  # Suggestion's field order

Proposal = tuple[int, int, str, str, "float | None", str]  # (start, end, code_id, suggester, score, reason)


class SuggestionStore:
    def __init__(self, db: Database, codings: CodingStore) -> None:
        self._db = db
        self._codings = codings

    def replace_pending(self, transcript_id: int, proposals: Iterable[Proposal]) -> tuple[int, int, int]:
        """Make the transcript's pending suggestions exactly ``proposals``, in one transaction.

        Pending rows that are proposed again keep their id (their score and reason are
        refreshed); pending rows not proposed any more are removed; decided rows
        (accepted, rejected) are never touched, so a proposal for a decided span and
        code is ignored. Returns ``(added, kept, removed)``.
        """
        with self._db.transaction() as db:
            old = {
                (start, end, code_id): (sid, suggester, score, reason)
                # `+status`: look rows up by transcript (the unique index), not by status,
                # which would scan every pending suggestion of the project per transcript.
                for sid, start, end, code_id, suggester, score, reason in db.execute(
                    "SELECT id, start, end, code_id, suggester, score, reason FROM suggestions"
                    " WHERE transcript_id = ? AND +status = ?",
                    (transcript_id, PENDING),
                )
            }
            stamp = now()
            new, changed, seen = [], [], set()
            for start, end, code_id, suggester, score, reason in proposals:
                key = (start, end, code_id)
                if key in seen:
                    continue
                seen.add(key)
                before = old.get(key)
                if before is None:
                    new.append((transcript_id, start, end, code_id, suggester, score, reason, PENDING, stamp))
                elif before[1:] != (suggester, score, reason):
                    changed.append((suggester, score, reason, before[0]))
            # A run again over unchanged text proposes what is stored already: only what
            # differs is written. A new row that meets a decided one is ignored.
            before_insert = db.changes
            db.executemany(
                "INSERT INTO suggestions (transcript_id, start, end, code_id, suggester, score, reason, status,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(transcript_id, start, end, code_id) DO NOTHING",
                new,
            )
            added = db.changes - before_insert
            db.executemany("UPDATE suggestions SET suggester = ?, score = ?, reason = ? WHERE id = ?", changed)
            kept = sum(1 for key in seen if key in old)
            stale = [row[0] for key, row in old.items() if key not in seen]
            db.executemany("DELETE FROM suggestions WHERE id = ? AND status = 'pending'", [(sid,) for sid in stale])
        return added, kept, len(stale)

    def find(
        self,
        transcript_id: int | None = None,
        statuses: Sequence[str] | None = None,
        code_ids: Sequence[str] | None = None,
    ) -> list[Suggestion]:
        """Suggestions in transcript order, optionally only some transcripts, statuses or codes."""
        where: list[str] = []
        params: list[object] = []
        if transcript_id is not None:
            where.append("transcript_id = ?")
            params.append(transcript_id)
        if statuses is not None:
            # With a transcript, its index is the selective one (see replace_pending).
            column = "+status" if transcript_id is not None else "status"
            where.append(f"{column} IN (SELECT value FROM json_each(?))")
            params.append(json_ids(statuses))
        if code_ids is not None:
            where.append("code_id IN (SELECT value FROM json_each(?))")
            params.append(json_ids(code_ids))
        sql = f"SELECT {_COLUMNS} FROM suggestions" + (" WHERE " + " AND ".join(where) if where else "")
        return [Suggestion(*r) for r in self._db.execute(sql + " ORDER BY transcript_id, start, end, code_id", params)]

    def ranked(
        self,
        statuses: Sequence[str] | None = None,
        transcript_id: int | None = None,
        code_ids: Sequence[str] | None = None,
        *,
        overlapping: bool = False,
    ) -> Iterator[tuple[Suggestion, list[tuple[int, int]]]]:
        """Suggestions the most likely first (no score counts as 0), then in reading order,
        read as they are listed: for one status, straight from the ``suggestions_review_order``
        index. With ``overlapping``, each comes with the spans of the codings (any coder)
        with its code that overlap it, found per row in the ``codings_code_words`` index."""
        where: list[str] = []
        params: list[object] = []
        if statuses is not None:
            where.append("s.status IN (SELECT value FROM json_each(?))" if len(statuses) != 1 else "s.status = ?")
            params.append(json_ids(statuses) if len(statuses) != 1 else statuses[0])
        if transcript_id is not None:
            where.append("s.transcript_id = ?")
            params.append(transcript_id)
        if code_ids is not None:
            where.append("s.code_id IN (SELECT value FROM json_each(?))")
            params.append(json_ids(code_ids))
        covers = (
            ", (SELECT group_concat(c.start || ',' || c.end, ';') FROM codings c WHERE c.code_id = s.code_id"
            " AND c.transcript_id = s.transcript_id AND c.start < s.end AND c.end > s.start)"
            if overlapping
            else ", NULL"
        )
        columns = ", ".join(f"s.{c.strip()}" for c in _COLUMNS.split(","))
        sql = f"SELECT {columns}{covers} FROM suggestions s" + (" WHERE " + " AND ".join(where) if where else "")
        order = " ORDER BY coalesce(s.score, 0.0) DESC, s.transcript_id, s.start, s.end, s.code_id"
        for *row, found in self._db.execute(sql + order, params):
            spans = [] if found is None else [(int(a), int(b)) for a, b in (p.split(",") for p in found.split(";"))]
            yield Suggestion(*row), spans

    def get(self, suggestion_id: int) -> Suggestion:
        row = self._db.one(f"SELECT {_COLUMNS} FROM suggestions WHERE id = ?", (suggestion_id,))
        if row is None:
            raise error(NO_SUGGESTION, id=suggestion_id)
        return Suggestion(*row)

    def _pending(self, suggestion_id: int) -> Suggestion:
        s = self.get(suggestion_id)
        if s.status != PENDING:
            raise error(ALREADY_DECIDED, id=suggestion_id, status=s.status)
        return s

    def accept(self, suggestion_id: int, coder: str, code_id: str | None = None) -> Coding:
        """Accept a pending suggestion (optionally with another code): one transaction.

        The new coding has origin ``suggested`` and points back at the suggestion. If
        the coder already has that code on the same span, the existing coding is kept
        as it is (a human coding is never changed) and the suggestion points at it.
        """
        with self._db.transaction() as db:
            s = self._pending(suggestion_id)
            coding = self._codings.add(
                s.transcript_id, s.start, s.end, code_id or s.code_id, coder, origin=SUGGESTED, suggestion_id=s.id
            ).coding
            db.execute(
                "UPDATE suggestions SET status = ?, coding_id = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (ACCEPTED, coding.id, coder, now(), suggestion_id),
            )
        return coding

    def reject(self, suggestion_id: int, coder: str) -> Suggestion:
        """Reject a pending suggestion: it stays, so the span and code are never proposed again."""
        with self._db.transaction() as db:
            self._pending(suggestion_id)
            db.execute(
                "UPDATE suggestions SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                (REJECTED, coder, now(), suggestion_id),
            )
        return self.get(suggestion_id)

    def reopen(self, suggestion_id: int) -> Suggestion:
        """Undo a decision: the suggestion is pending again.

        Undoing an acceptance removes the coding that acceptance created, and only that
        one (origin ``suggested``, pointing at this suggestion); a human coding it was
        linked to stays.
        """
        with self._db.transaction() as db:
            s = self.get(suggestion_id)
            if s.status == ACCEPTED and s.coding_id is not None:
                row = db.one("SELECT origin, suggestion_id FROM codings WHERE id = ?", (s.coding_id,))
                if row is not None and row[0] == SUGGESTED and row[1] == suggestion_id:
                    self._codings.remove(s.coding_id)
            db.execute(
                "UPDATE suggestions SET status = ?, coding_id = NULL, decided_by = NULL, decided_at = NULL WHERE id = ?",
                (PENDING, suggestion_id),
            )
        return self.get(suggestion_id)

    # --- suggestions a coding settles --------------------------------------------------

    def settle_covered(self, coding: Coding, share: float) -> list[int]:
        """Accept the pending suggestions of ``coding``'s code that it covers, pointing at it.

        Covered: the two spans share at least ``share`` of the shorter one (the
        suggester's rule, passed in). Decided by the coding's coder, now. Returns the
        settled suggestions' ids; joins the caller's transaction.
        """
        with self._db.transaction() as db:
            ids = [
                row[0]
                for row in db.execute(
                    "SELECT id FROM suggestions WHERE transcript_id = ? AND code_id = ? AND +status = ?"
                    " AND start < ? AND end > ? AND min(end, ?) - max(start, ?) >= ? * min(end - start, ? - ?)",
                    (coding.transcript_id, coding.code_id, PENDING, coding.end, coding.start, coding.end, coding.start,
                     share, coding.end, coding.start),
                )
            ]  # fmt: skip
            stamp = now()
            db.executemany(
                "UPDATE suggestions SET status = ?, coding_id = ?, decided_by = ?, decided_at = ? WHERE id = ?",
                [(ACCEPTED, coding.id, coding.coder, stamp, sid) for sid in ids],
            )
        return ids

    def counts(self) -> dict[str, int]:
        """Suggestions per status."""
        return {r[0]: r[1] for r in self._db.execute("SELECT status, count(*) FROM suggestions GROUP BY status")}

    def pending_by_transcript(self) -> dict[int, int]:
        """Pending suggestions per transcript id."""
        return {
            r[0]: r[1]
            for r in self._db.execute(
                "SELECT transcript_id, count(*) FROM suggestions WHERE status = ? GROUP BY transcript_id", (PENDING,)
            )
        }

    def place(self, tid: int, spans: Iterable[tuple[int, int, int]]) -> None:
        """Give every suggestion of a transcript its new span ``(id, start, end)``, pending
        ones too (pseudonymisation maps offsets exactly). Joins the caller's transaction."""
        with self._db.transaction() as db:
            db.execute("UPDATE suggestions SET start = start + ?, end = end + ? WHERE transcript_id = ?", (PARK, PARK, tid))
            db.executemany(
                "UPDATE suggestions SET start = ?, end = ? WHERE id = ? AND transcript_id = ?",
                [(start, end, sid, tid) for sid, start, end in spans],
            )
            left = db.scalar("SELECT count(*) FROM suggestions WHERE transcript_id = ? AND start >= ?", (tid, PARK), 0)
            if left:
                raise RuntimeError(f"{left} suggestion(s) of transcript {tid} got no new span")

    def reanchor(self, tid: int, old_text: str, new_text: str) -> None:
        """After a re-import: drop pending suggestions (they are recomputed) and move decided
        ones with their text, or drop them with it. Joins the caller's transaction."""
        from ..reanchor import reanchor  # the diff machinery is only needed here

        with self._db.transaction() as db:
            db.execute("DELETE FROM suggestions WHERE transcript_id = ? AND status = 'pending'", (tid,))
            rows = db.execute("SELECT id, start, end, code_id FROM suggestions WHERE transcript_id = ?", (tid,)).fetchall()
            db.execute("UPDATE suggestions SET start = start + ?, end = end + ? WHERE transcript_id = ?", (PARK, PARK, tid))
            proxies = [Coding(sid, tid, start, end, code_id, "", old_text[start:end]) for sid, start, end, code_id in rows]
            taken: set[tuple[int, int, str]] = set()
            for placement in reanchor(old_text, new_text, proxies):
                start, end = placement.start, placement.end
                if start is None or end is None or (start, end, placement.coding.code_id) in taken:
                    db.execute("DELETE FROM suggestions WHERE id = ?", (placement.coding.id,))
                    continue
                taken.add((start, end, placement.coding.code_id))
                db.execute("UPDATE suggestions SET start = ?, end = ? WHERE id = ?", (start, end, placement.coding.id))
