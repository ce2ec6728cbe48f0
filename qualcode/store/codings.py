"""Codings (a code on a span, by a coder) and detached codings (whose text is gone)."""

from __future__ import annotations

import json
import sqlite3
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import astuple
from itertools import groupby, islice
from operator import itemgetter, le

from ..errors import CODING_EXISTS, MEMO_CODING_GONE, NO_CODING, NO_DETACHED, error, span_error
from ..model import MANUAL, Coding, stored_id
from ..words import PAD, SCALE, Packing, marks_in, packed, word_bounds, word_marks
from .db import PARK, Database, inserted_id, json_ids, json_ints, now
from .drafts import UNCHECKED, DraftTable, refuse_changed_meanwhile
from .trashed import removed
from .types import (
    ALL_CODINGS,
    Added,
    CodeColumnBatch,
    CodeColumns,
    CoderCount,
    CodingFilter,
    CodingRow,
    DetachedCoding,
    MoveResult,
    SpanColumns,
)

_COLUMNS = "id, transcript_id, start, end, code_id, coder, quote, memo, origin, created_at, updated_at, suggestion_id"  # Coding's field order
_OPENING = itemgetter(0)  # of a packed_spans row
_ROW_COLUMNS = "id, start, end, code_id, coder, origin, memo, quote, created_at"  # CodingRow's field order
_INSERT_NEW = (  # a coding as it came from elsewhere; one already there is left as it is
    "INSERT INTO codings (transcript_id, start, end, code_id, coder, memo, origin, quote,"
    " suggestion_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT(transcript_id, start, end, code_id, coder) DO NOTHING"
)
_INSERT_PLACED = (  # the same, with its word positions and turn (see CodingStore.new_codings)
    "INSERT INTO codings (transcript_id, start, end, code_id, coder, memo, origin, quote, suggestion_id,"
    " created_at, updated_at, words_before, words_through, turn_fit, turn_speaker, turn_role)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(transcript_id, start, end, code_id, coder) DO NOTHING"
)
_ORDER = "transcript_id, start, end, code_id, coder"
_COLUMN_BATCH = 100  # transcript ids per code_columns batch: memory stays flat however many there are
_DETACHED_COLUMNS = (
    "id, transcript_id, old_start, old_end, code_id, coder, memo, origin, quote, created_at, updated_at,"
    " detached_at, reason, coding_id"
)

# Characters covered by at least one coding (overlaps once): with the codings in
# start order, each adds what reaches past the furthest end before it.
_REFRESH_SUMMARY = """
UPDATE transcripts SET
    coding_count = (SELECT count(*) FROM codings WHERE transcript_id = transcripts.id),
    coded_chars = (
        SELECT coalesce(sum(max(0, end - max(start, coalesce(reach, start)))), 0) FROM (
            SELECT start, end, max(end) OVER (ORDER BY start, end ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                AS reach
            FROM codings WHERE transcript_id = transcripts.id))
"""


def refresh_summaries(db: Database, transcript_ids: Iterable[int] | None = None, *, words: bool = True) -> None:
    """Recount the codings and coded characters the transcripts list shows (and give new
    or moved codings their word positions, unless ``words`` is False: before migration 0008)."""
    if transcript_ids is None:
        db.execute(_REFRESH_SUMMARY)
    else:
        transcript_ids = list(transcript_ids)
        db.execute(_REFRESH_SUMMARY + " WHERE id IN (SELECT value FROM json_each(?))", (json_ids(transcript_ids),))
    if words:
        fill_words(db, transcript_ids)


def fill_words(db: Database, transcript_ids: Iterable[int] | None = None, *, turns: bool = True) -> None:
    """Compute the word positions (:mod:`qualcode.words`) and, unless ``turns`` is False
    (before migration 0013), the turn (:func:`turn_places`) of codings that lack them.

    Called wherever the codings' summaries are kept up to date (every write that adds
    or moves a coding does that), so they are NULL only in between; the triggers of
    migrations 0008 and 0013 make them NULL whenever a span, a text or a turn changes.
    """
    if transcript_ids is None:
        sql = "SELECT DISTINCT transcript_id FROM codings WHERE words_before IS NULL OR words_through IS NULL"
        transcript_ids = [r[0] for r in db.execute(sql + (" OR turn_fit IS NULL" if turns else ""))]
    for tid in transcript_ids:
        rows = db.execute(
            "SELECT id, start, end FROM codings WHERE transcript_id = ? AND (words_before IS NULL OR words_through IS NULL)",
            (tid,),
        ).fetchall()
        words: dict[int, tuple[int, int]] = {}
        if rows:
            text = db.scalar("SELECT text FROM transcripts WHERE id = ?", (tid,), "")
            words = dict(zip((r[0] for r in rows), word_marks(text, [(start, end) for _, start, end in rows]), strict=True))
        places: dict[int, tuple[int, str | None, str | None]] = {}
        if turns:
            rows = db.execute(
                "SELECT id, start, end FROM codings WHERE transcript_id = ? AND turn_fit IS NULL", (tid,)
            ).fetchall()
            if rows:
                spans = [(start, end) for _, start, end in rows]
                places = dict(zip((r[0] for r in rows), turn_places(_turn_labels(db, tid), spans), strict=True))
        # A new coding lacks both: one write of its row (and of its index entries), not two.
        for sql, values in (
            (
                "UPDATE codings SET words_before = ?, words_through = ?, turn_fit = ?, turn_speaker = ?, turn_role = ?"
                " WHERE id = ?",
                [(*words[cid], *place, cid) for cid, place in places.items() if cid in words],
            ),
            (
                "UPDATE codings SET words_before = ?, words_through = ? WHERE id = ?",
                [(*marks, cid) for cid, marks in words.items() if cid not in places],
            ),
            (
                "UPDATE codings SET turn_fit = ?, turn_speaker = ?, turn_role = ? WHERE id = ?",
                [(*place, cid) for cid, place in places.items() if cid not in words],
            ),
        ):
            if values:  # before migration 0013 the turn's columns do not exist
                db.executemany(sql, values)


def _turn_labels(db: Database, tid: int) -> list[tuple[int, int, str | None, str | None]]:
    """``(start, end, speaker, role)`` of a transcript's turns, by index."""
    return db.execute("SELECT start, end, speaker, role FROM turns WHERE transcript_id = ? ORDER BY idx", (tid,)).fetchall()


def turn_places(
    turns: list[tuple[int, int, str | None, str | None]], spans: Iterable[tuple[int, int]]
) -> list[tuple[int, str | None, str | None]]:
    """``(fit, speaker, role)`` of the turn each span ``(start, end)`` is counted in: the first
    turn it overlaps (the first turn, by index, ending after its start, if that turn starts
    before its end), or no turn (speaker and role None). ``turns``: ``(start, end, speaker,
    role)`` by index.

    ``fit`` is 1 when the span lies within its turn, or between two turns, and the turns'
    ends ascend: a span counted in turn ``i`` then lies after the end of turn ``i - 1``,
    so spans that fit and are counted in different turns never overlap, and statistics
    may add up per speaker what they count per turn.
    """
    place = turn_placer(turns)
    return [place(start, end) for start, end in spans]


def turn_placer(turns: list[tuple[int, int, str | None, str | None]]) -> Callable[[int, int], tuple[int, str | None, str | None]]:
    """:func:`turn_places` of one span ``(start, end)`` at a time, the turns looked at once."""
    starts, ends = [t[0] for t in turns], [t[1] for t in turns]
    ordered = all(map(le, ends, islice(ends, 1, None)))
    count = len(turns)

    def place(start: int, end: int) -> tuple[int, str | None, str | None]:
        i = bisect_right(ends, start)
        if i < count and starts[i] < end:
            return (int(ordered and starts[i] <= start and end <= ends[i]), turns[i][2], turns[i][3])
        return (int(ordered), None, None)

    return place


def adjust_summary(db: Database, tid: int, start: int, end: int, coding_id: int, sign: int) -> None:
    """Count one coding in (``sign`` 1) or out (-1) of its transcript's summary without a recount.

    The coded characters change by what ``[start, end)`` covers that no other coding
    covers; only the codings overlapping the span are read, so a code key costs the
    same on a transcript with 5,000 codings as on one with 5 (a full recount sorts
    them all). ``coding_id`` is left out of "the others" (it may be stored already).
    """
    others = db.execute(
        "SELECT start, end FROM codings WHERE transcript_id = ? AND start < ? AND end > ? AND id != ? ORDER BY start",
        (tid, end, start, coding_id),
    )
    covered, reach = 0, start
    for a, b in others:
        a, b = max(a, reach), min(b, end)
        if b > a:
            covered += b - a
            reach = b
    db.execute(
        "UPDATE transcripts SET coding_count = coding_count + ?, coded_chars = coded_chars + ? WHERE id = ?",
        (sign, sign * (end - start - covered), tid),
    )
    if sign > 0:
        fill_words(db, (tid,))


def _where(flt: CodingFilter, prefix: str = "") -> tuple[str, list]:
    """SQL conditions and parameters for a filter (an empty string when it has none)."""
    where, params = [], []
    for column, values in (("transcript_id", flt.transcript_ids), ("code_id", flt.code_ids), ("coder", flt.coders)):
        if values is not None:
            where.append(f"{prefix}{column} IN (SELECT value FROM json_each(?))")
            params.append(json_ids(values))
    return " AND ".join(where), params


class CodingStore:
    """Every change is one transaction; the transcript's counts are kept up to date with it."""

    def __init__(self, db: Database) -> None:
        self._db = db
        self._drafts = DraftTable(db, "memo_drafts", "coding_id", "codings")
        self._placing = False  # add_many writes word positions and turns with each coding (see new_codings)

    # --- writing ----------------------------------------------------------------------

    def _text(self, tid: int) -> tuple[str, str]:
        row = self._db.one("SELECT text, name FROM transcripts WHERE id = ?", (tid,))
        if row is None:
            raise KeyError(tid)
        return row

    def _checked_quote(self, tid: int, start: int, end: int, known: tuple[str, str] | None = None) -> str:
        # Sliced in Python: SQLite's length() and substr() stop at a NUL character.
        text, name = known or self._text(tid)
        if not (0 <= start < end <= len(text)):
            raise span_error(start, end, name, len(text))
        return text[start:end]

    def _note_coder(self, coder: str, stamp: str) -> None:
        self._db.execute("INSERT INTO coders (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING", (coder, stamp))

    def add(
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
    ) -> Added:
        """Apply a code to ``[start, end)`` as ``coder``; the same coder, code and span again is a no-op.

        Returns the coding and whether it was inserted (False: it was already there,
        and is returned as it is).
        """
        with self._db.transaction() as db:
            quote = self._checked_quote(transcript_id, start, end)
            stamp = now()
            cur = db.execute(
                "INSERT INTO codings (transcript_id, start, end, code_id, coder, memo, origin, quote,"
                " suggestion_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT(transcript_id, start, end, code_id, coder) DO NOTHING",
                (transcript_id, start, end, code_id, coder, memo, origin, quote, suggestion_id, stamp, stamp),
            )
            if cur.rowcount == 0:
                row = db.one(
                    f"SELECT {_COLUMNS} FROM codings WHERE transcript_id = ? AND start = ? AND end = ?"
                    " AND code_id = ? AND coder = ?",
                    (transcript_id, start, end, code_id, coder),
                )
                assert row is not None  # the insert just conflicted with it
                return Added(Coding(*row), inserted=False)
            self._note_coder(coder, stamp)
            coding_id = inserted_id(cur)
            adjust_summary(db, transcript_id, start, end, coding_id, 1)
            return Added(self.get(coding_id), inserted=True)

    def add_many(self, codings: Iterable[Coding]) -> int:
        """Insert codings as they came from elsewhere (their own coder, memo, origin and dates).

        A coding already present (same transcript, span, code and coder) is left as it
        is, so adding the same ones twice adds nothing. Spans are checked as in
        :meth:`add`. Returns the number added.
        """
        added = 0
        touched: set[int] = set()
        texts: dict[int, tuple[str, str]] = {}  # one read per transcript, not per coding
        noted: set[str] = set()
        # Rows go in batches (one statement for many), in their order: a batch holds one
        # transcript's codings by coders already noted, so that what it added is known per
        # transcript; a coder's first coding goes on its own (if it is added, it dates the coder).
        batch: list[tuple] = []
        batch_tid = -1
        insert = _INSERT_PLACED if self._placing else _INSERT_NEW
        # A transcript's word bounds and the place of a span among its turns (when placing).
        places: tuple[tuple[list[int], list[int]], Callable[[int, int], tuple]] | None = None
        with self._db.transaction() as db:

            def flush() -> None:
                nonlocal added
                if batch:
                    rows = batch.copy()
                    batch.clear()
                    count = db.executemany(insert, rows).rowcount
                    if count:
                        added += count
                        touched.add(batch_tid)

            try:
                for coding in codings:
                    tid = coding.transcript_id
                    if tid not in texts:
                        texts.clear()  # codings come transcript by transcript: keep one text at a time
                        texts[tid] = self._text(tid)
                        places = (word_bounds(texts[tid][0]), turn_placer(_turn_labels(db, tid))) if self._placing else None
                    quote = self._checked_quote(tid, coding.start, coding.end, texts[tid])
                    created = coding.created_at or now()
                    row: tuple = (
                        tid,
                        coding.start,
                        coding.end,
                        coding.code_id,
                        coding.coder,
                        coding.memo,
                        coding.origin,
                        quote,
                        coding.suggestion_id,
                        created,
                        coding.updated_at or created,
                    )
                    if places is not None:  # what fill_words would give it
                        row += (*marks_in(places[0], ((coding.start, coding.end),))[0], *places[1](coding.start, coding.end))
                    if coding.coder in noted:
                        if tid != batch_tid:
                            flush()
                            batch_tid = tid
                        batch.append(row)
                        continue
                    flush()
                    if db.execute(insert, row).rowcount:
                        added += 1
                        touched.add(tid)
                        noted.add(coding.coder)  # the first of a coder's codings dates the coder
                        self._note_coder(coding.coder, created)
            except BaseException:
                flush()  # the codings before the one that failed are written, as one by one
                raise
            flush()
            if touched:
                refresh_summaries(db, touched)
        return added

    def restore(self, coding: Coding) -> Coding:
        """Put back a removed coding exactly as it was (same id), e.g. for undo."""
        with self._db.transaction() as db:
            stamp = now()
            try:
                cur = db.execute(
                    f"INSERT INTO codings ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        coding.id,
                        coding.transcript_id,
                        coding.start,
                        coding.end,
                        coding.code_id,
                        coding.coder,
                        coding.quote,
                        coding.memo,
                        coding.origin,
                        coding.created_at or stamp,
                        coding.updated_at or stamp,
                        coding.suggestion_id,
                    ),
                )
            except sqlite3.IntegrityError:  # an undo or a trash restore finds it there again
                raise error(CODING_EXISTS, id=coding.id) from None
            self._note_coder(coding.coder, stamp)
            coding_id = coding.id if coding.id is not None else inserted_id(cur)  # (benchmarks restore codings without ids)
            adjust_summary(db, coding.transcript_id, coding.start, coding.end, coding_id, 1)
        return coding

    def remove(self, coding_id: int) -> Coding:
        """Delete one coding; returns it so the caller can undo."""
        with self._db.transaction() as db:
            coding = self.get(coding_id)
            db.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", (coding_id,))
            db.execute("DELETE FROM codings WHERE id = ?", (coding_id,))
            adjust_summary(db, coding.transcript_id, coding.start, coding.end, coding_id, -1)
        return coding

    def set_memo(self, coding_id: int, memo: str | None, *, was: object = UNCHECKED) -> Coding:
        """Set (or clear, with None or '') the memo of a coding; returns the coding as it was.
        ``was``: the memo the writer started from; MEMO_CHANGED_MEANWHILE (nothing written) when
        the stored one is another (written meanwhile in another window or by a command)."""
        with self._db.transaction() as db:
            before = self.get(coding_id)
            refuse_changed_meanwhile(before.memo, was, what=f"coding {coding_id}", key="M")
            db.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?", (memo or None, now(), coding_id))
        return before

    # --- memo drafts: the unsaved text of a memo being written -----------------------

    def keep_draft(self, coding_id: int, text: str, *, wait: bool = True) -> None:
        """Keep what is being written in a coding's memo (replacing the draft before);
        MEMO_CODING_GONE when the coding was removed meanwhile (another window, a command).
        ``wait=False``: STORE_BUSY at once while another process writes (the app tries again)."""
        if not self._drafts.keep(coding_id, text, wait=wait):
            raise error(MEMO_CODING_GONE, what=removed(self._db, "codings", coding_id))

    def draft(self, coding_id: int) -> tuple[str, str] | None:
        """The memo draft of a coding, as ``(text, written_at)``, if there is one."""
        return self._drafts.get(coding_id)

    def drop_draft(self, coding_id: int, text: str | None = None, *, wait: bool = True) -> None:
        """End a coding's memo draft (the memo was saved or its changes discarded); with
        ``text``, only if the draft is still that text (not another window's since).
        ``wait``: as for :meth:`keep_draft`."""
        self._drafts.drop(coding_id, text, wait=wait)

    def drafts(self, tid: int | None = None) -> list[tuple[int, str]]:
        """``(coding id, text)`` of the memo drafts (of one transcript's codings), by coding id."""
        if tid is None:
            return self._drafts.all()
        sql = "SELECT d.coding_id, d.text FROM memo_drafts d JOIN codings c ON c.id = d.coding_id"
        return [(cid, text) for cid, text in self._db.execute(sql + " WHERE c.transcript_id = ? ORDER BY d.coding_id", (tid,))]

    def set_drafts(self, drafts: dict[int, str]) -> None:
        """Give memo drafts new texts (pseudonymisation replacing names in them too)."""
        self._drafts.set(drafts)

    def move(self, old_id: str, new_id: str) -> MoveResult:
        """Give every coding (and suggestion) of ``old_id`` the code ``new_id``.

        Where the same coder already has ``new_id`` on the same span, the two codings
        become one: the existing one stays and the moved one's memo is added to it, so
        nothing a researcher wrote is lost. ``new_id`` must exist in the codes table
        (sync the codebook first). Joins the caller's transaction.
        """
        result = MoveResult()
        with self._db.transaction() as db:
            cur = db.execute(
                "UPDATE codings SET code_id = ?, updated_at = ? WHERE code_id = ? AND NOT EXISTS (SELECT 1 FROM codings o"
                " WHERE o.transcript_id = codings.transcript_id AND o.start = codings.start AND o.end = codings.end"
                " AND o.code_id = ? AND o.coder = codings.coder)",
                (new_id, now(), old_id, new_id),
            )
            result.moved = cur.rowcount
            for row in db.execute(f"SELECT {_COLUMNS} FROM codings WHERE code_id = ?", (old_id,)).fetchall():
                moved = Coding(*row)
                twin_row = db.one(
                    f"SELECT {_COLUMNS} FROM codings WHERE transcript_id = ? AND start = ? AND end = ?"
                    " AND code_id = ? AND coder = ?",
                    (moved.transcript_id, moved.start, moved.end, new_id, moved.coder),
                )
                assert twin_row is not None  # a coding left on the old code is one the update found a twin for
                twin = Coding(*twin_row)
                memo = joined_memo(twin.memo, moved.memo)
                if memo != twin.memo:
                    db.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?", (memo, now(), twin.id))
                self._carry_draft(stored_id(moved), twin)
                db.execute("UPDATE suggestions SET coding_id = ? WHERE coding_id = ?", (twin.id, moved.id))
                db.execute("DELETE FROM codings WHERE id = ?", (moved.id,))
                result.merged += 1
            db.execute(
                "UPDATE suggestions SET code_id = ? WHERE code_id = ? AND NOT EXISTS (SELECT 1 FROM suggestions o"
                " WHERE o.transcript_id = suggestions.transcript_id AND o.start = suggestions.start"
                " AND o.end = suggestions.end AND o.code_id = ?)",
                (new_id, old_id, new_id),
            )
            # A suggestion already made for the target on the same span stands; the moved one goes.
            db.execute("DELETE FROM suggestions WHERE code_id = ?", (old_id,))
            db.execute("UPDATE detached_codings SET code_id = ? WHERE code_id = ?", (new_id, old_id))
            if result.merged:
                refresh_summaries(db)
        return result

    def relocate(self, tid: int, new_text: str, placements: Iterable) -> dict[str, int]:
        """Give a re-imported transcript's codings their places in ``new_text``.

        ``placements`` come from :func:`qualcode.reanchor.reanchor`. Placed codings get
        their new span and quote; unplaced ones (or ones that would duplicate another
        coding of the same code and coder on the same span) move to the detached
        codings with the reason. Joins the caller's transaction.
        """
        counts = {"unchanged": 0, "moved": 0, "whitespace": 0, "edited": 0, "detached": 0}
        stamp = now()
        with self._db.transaction() as db:
            # Park every coding far beyond any text first, so the unique index cannot
            # trip over a coding that has not been moved yet.
            db.execute("UPDATE codings SET start = start + ?, end = end + ? WHERE transcript_id = ?", (PARK, PARK, tid))
            taken: set[tuple] = set()
            for placement in placements:
                coding = placement.coding
                key = (placement.start, placement.end, coding.code_id, coding.coder)
                if placement.start is None or key in taken:
                    reason = "text not found in the new version" if placement.start is None else "duplicate of another coding"
                    self._detach(coding, reason, stamp)
                    counts["detached"] += 1
                    continue
                taken.add(key)
                db.execute(
                    "UPDATE codings SET start = ?, end = ?, quote = ? WHERE id = ?",
                    (placement.start, placement.end, new_text[placement.start : placement.end], coding.id),
                )
                counts[placement.how] += 1
            refresh_summaries(db, (tid,))
        return counts

    # --- pseudonymisation: exact re-placement --------------------------------------------

    def place(
        self,
        tid: int,
        new_text: str,
        spans: Iterable[tuple[int, int, int]],
        memos: dict[int, str | None],
        *,
        bounds: tuple[list[int], list[int]] | None = None,
        unchanged_before: int = 0,
    ) -> None:
        """Give every coding of a transcript its new span ``(id, start, end)`` in ``new_text``
        (quotes from the new text) and the given memos. Replacing names by pseudonyms
        maps every offset exactly, so nothing is detached; a coding left without a span
        is a caller's bug and fails the transaction. Joins the caller's transaction.

        With ``bounds`` (the new text's :func:`~qualcode.words.word_bounds`; only in a copy
        without the word triggers, :meth:`Store.scratch_copy`) each coding's word positions
        are written with its span, and a coding that ends at or before ``unchanged_before``
        (the text before it is as it was) keeps its row as it is."""
        stamp = now()
        spans = list(spans)
        with self._db.transaction() as db:
            old = {
                cid: (start, end, code_id, coder)
                for cid, start, end, code_id, coder in db.execute(
                    "SELECT id, start, end, code_id, coder FROM codings WHERE transcript_id = ?", (tid,)
                )
            }
            left = len(set(old) - {cid for cid, _, _ in spans})
            if left:
                raise RuntimeError(f"{left} coding(s) of transcript {tid} got no new span")
            # Moving one coding onto the span another still holds (same code and coder)
            # breaks the unique key until that one moves too; only then are all parked first.
            taken = set(old.values())
            parked = any(
                (start, end, *old[cid][2:]) in taken and (start, end) != old[cid][:2] for cid, start, end in spans if cid in old
            )
            if parked:
                db.execute("UPDATE codings SET start = start + ?, end = end + ? WHERE transcript_id = ?", (PARK, PARK, tid))
            if bounds is None:
                db.executemany(
                    "UPDATE codings SET start = ?, end = ?, quote = ? WHERE id = ? AND transcript_id = ?",
                    [(start, end, new_text[start:end], cid, tid) for cid, start, end in spans],
                )
            else:
                moved = spans if parked else [(cid, start, end) for cid, start, end in spans if old[cid][1] > unchanged_before]
                db.executemany(
                    "UPDATE codings SET start = ?, end = ?, quote = ?, words_before = ?, words_through = ?"
                    " WHERE id = ? AND transcript_id = ?",
                    [
                        (start, end, new_text[start:end], before, through, cid, tid)
                        for (cid, start, end), (before, through) in zip(
                            moved, marks_in(bounds, [(start, end) for _, start, end in moved]), strict=True
                        )
                    ],
                )
            db.executemany(
                "UPDATE codings SET memo = ?, updated_at = ? WHERE id = ? AND transcript_id = ?",
                [(memo or None, stamp, cid, tid) for cid, memo in memos.items()],
            )
            refresh_summaries(db, (tid,), words=bounds is None)

    @contextmanager
    def new_codings(self) -> Iterator[None]:
        """Add many codings by :meth:`add_many` (an import), each written once: with its word
        positions and its turn (what :func:`fill_words` would give it after), the insert
        triggers that clear those set aside (they would clear what is right) and made
        again at the end. Only :meth:`add_many` may add codings inside. Joins the caller's
        transaction; on an error the triggers come back with the rollback."""
        with self._db.set_aside("trigger", "codings", ("codings_words_inserted", "codings_turn_inserted")):
            self._placing = True
            try:
                yield
            finally:
                self._placing = False

    @contextmanager
    def word_indexes_set_aside(self) -> Iterator[None]:
        """Rewrite many codings (a scratch copy's, :meth:`Store.rewrite_exactly`) with the
        statistics' covering indexes of their word positions dropped, and built again
        once at the end: a moved coding then updates one index instead of three. Joins
        the caller's transaction; on an error the indexes come back with the rollback."""
        with self._db.set_aside("index", "codings", ("codings_words", "codings_code_words")):
            yield

    def spans_with_memos(self, tid: int) -> list[tuple[int, int, int, str, str, str | None]]:
        """``(id, start, end, code_id, coder, memo)`` of a transcript's codings in position
        order: what re-placing them needs, without their quotes."""
        sql = f"SELECT id, start, end, code_id, coder, memo FROM codings WHERE transcript_id = ? ORDER BY {_ORDER}"
        return self._db.execute(sql, (tid,)).fetchall()

    def span_keys(self, tid: int) -> list[tuple[int, int, int, str, str]]:
        """``(id, start, end, code_id, coder)`` of a transcript's codings in position order,
        read from a covering index (no table rows): a pseudonymised export checks that no
        two of one code and coder fall on one span."""
        sql = f"SELECT id, start, end, code_id, coder FROM codings WHERE transcript_id = ? ORDER BY {_ORDER}"
        return self._db.execute(sql, (tid,)).fetchall()

    def memos(self, tid: int) -> list[tuple[int, str]]:
        """``(id, memo)`` of a transcript's codings that have a memo, in position order
        (a pseudonymised export checks them even where the text has no name to replace)."""
        sql = f"SELECT id, memo FROM codings WHERE transcript_id = ? AND memo != '' ORDER BY {_ORDER}"
        return [(cid, memo) for cid, memo in self._db.execute(sql, (tid,))]

    def set_memos(self, tid: int, memos: dict[int, str | None]) -> None:
        """Give codings of a transcript new memos (as :meth:`place` does, spans unchanged)."""
        stamp = now()
        with self._db.transaction() as db:
            db.executemany(
                "UPDATE codings SET memo = ?, updated_at = ? WHERE id = ? AND transcript_id = ?",
                [(memo or None, stamp, cid, tid) for cid, memo in memos.items()],
            )

    def join_memos(self, memos: dict[int, str]) -> None:
        """Give codings the memos they gathered after :meth:`add_many` added them (an import
        joining the codings of two sources with one text), as if they had come with them."""
        with self._db.transaction() as db:
            db.executemany("UPDATE codings SET memo = ? WHERE id = ?", [(memo, cid) for cid, memo in memos.items()])

    def _carry_draft(self, gone_id: int, twin: Coding) -> None:
        """The memo draft of coding ``gone_id``, merged into ``twin`` (its memo, as it was, joined
        with the other's), goes with it: a draft is the whole memo being written, so the twin's
        draft is its own draft (or memo) joined with this one. The cascade lost it."""
        gone = self.draft(gone_id)
        if gone is not None:
            own = self.draft(stored_id(twin))
            self.keep_draft(stored_id(twin), joined_memo(own[0] if own else twin.memo, gone[0]) or "")

    def _detach(self, coding: Coding, reason: str, stamp: str) -> None:
        # A memo being written when qualcode stopped (its draft) goes along in the memo (the
        # draft row goes with the coding's). The draft is the memo as last edited, so it stands
        # for the memo when it holds all of it; else both are kept.
        memo, draft = coding.memo, self.draft(stored_id(coding))
        if draft and draft[0].strip() and draft[0].strip() != (memo or "").strip():
            memo = draft[0] if not memo or memo.strip() in draft[0] else joined_memo(memo, draft[0])
        self._db.execute(
            "INSERT INTO detached_codings (transcript_id, old_start, old_end, code_id, coder, memo, origin,"
            " quote, created_at, updated_at, detached_at, reason, coding_id)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                coding.transcript_id,
                coding.start,
                coding.end,
                coding.code_id,
                coding.coder,
                memo,
                coding.origin,
                coding.quote,
                coding.created_at,
                coding.updated_at,
                stamp,
                reason,
                coding.id,
            ),
        )
        self._db.execute("UPDATE suggestions SET coding_id = NULL WHERE coding_id = ?", (coding.id,))
        self._db.execute("DELETE FROM codings WHERE id = ?", (coding.id,))

    def reattach(self, detached_id: int, start: int, end: int) -> Added:
        """Give a detached coding a place again: ``[start, end)`` of its transcript, as it now reads.

        It becomes a coding with its own code, coder, memo, origin and dates, and the
        id it had before it was detached (ids are never reused, so it is free). Where
        the same coder already has the code on that span, the two become one: the
        memo is added to the existing coding (``inserted`` is False).
        """
        with self._db.transaction() as db:
            detached = self.detached_one(detached_id)
            quote = self._checked_quote(detached.transcript_id, start, end)
            twin = db.one(
                f"SELECT {_COLUMNS} FROM codings WHERE transcript_id = ? AND start = ? AND end = ? AND code_id = ? AND coder = ?",
                (detached.transcript_id, start, end, detached.code_id, detached.coder),
            )
            db.execute("DELETE FROM detached_codings WHERE id = ?", (detached_id,))
            if twin is not None:
                existing = Coding(*twin)
                memo = joined_memo(existing.memo, detached.memo)
                if memo != existing.memo:
                    db.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?", (memo, now(), existing.id))
                return Added(self.get(stored_id(existing)), inserted=False)
            free = detached.coding_id is not None and db.one("SELECT 1 FROM codings WHERE id = ?", (detached.coding_id,)) is None
            cur = db.execute(
                "INSERT INTO codings (id, transcript_id, start, end, code_id, coder, memo, origin, quote,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (detached.coding_id if free else None, detached.transcript_id, start, end, detached.code_id,
                 detached.coder, detached.memo, detached.origin, quote, detached.created_at, now()),
            )  # fmt: skip
            coding_id = inserted_id(cur)
            adjust_summary(db, detached.transcript_id, start, end, coding_id, 1)
            return Added(self.get(coding_id), inserted=True)

    def detach_again(self, detached: DetachedCoding, coding: Coding, *, inserted: bool, memo_before: str | None) -> None:
        """Undo :meth:`reattach`: ``detached`` goes back exactly as it was (same id), and the
        coding it became is removed -- or, where it joined an existing coding
        (``inserted`` False), that coding gets back its memo from before."""
        with self._db.transaction() as db:
            if inserted:
                self.remove(stored_id(coding))
            else:
                db.execute("UPDATE codings SET memo = ?, updated_at = ? WHERE id = ?", (memo_before, now(), coding.id))
            db.execute(f"INSERT INTO detached_codings ({_DETACHED_COLUMNS}) VALUES ({', '.join('?' * 14)})", astuple(detached))

    # --- reading ----------------------------------------------------------------------

    def get(self, coding_id: int) -> Coding:
        row = self._db.one(f"SELECT {_COLUMNS} FROM codings WHERE id = ?", (coding_id,))
        if row is None:
            raise error(NO_CODING, id=coding_id)
        return Coding(*row)

    def find(
        self,
        transcript_id: int | None = None,
        code_ids: Iterable[str] | None = None,
        coders: Iterable[str] | None = None,
        *,
        overlapping: tuple[int, int] | None = None,
    ) -> list[Coding]:
        """Codings in transcript and position order, optionally of one transcript, some
        codes, some coders, or overlapping a span ``(start, end)`` of the transcript."""
        flt = CodingFilter.of(None if transcript_id is None else (transcript_id,), code_ids, coders)
        where, params = _where(flt)
        if overlapping is not None:
            where = " AND ".join(filter(None, [where, "start < ? AND end > ?"]))
            params += [overlapping[1], overlapping[0]]
        sql = f"SELECT {_COLUMNS} FROM codings" + (f" WHERE {where}" if where else "")
        return [Coding(*r) for r in self._db.execute(f"{sql} ORDER BY {_ORDER}", params)]

    def rows(self, tid: int, flt: CodingFilter = ALL_CODINGS, *, named: bool = True) -> Iterator[CodingRow]:
        """The filtered codings of one transcript in ``(start, end, code_id, coder)`` order, streamed.

        ``named=False`` yields plain tuples in :class:`CodingRow` order (for an export's
        hot loop, where building a named tuple per row is a measurable cost).
        """
        where, params = _where(CodingFilter(None, flt.code_ids, flt.coders))
        sql = f"SELECT {_ROW_COLUMNS} FROM codings WHERE transcript_id = ?" + (f" AND {where}" if where else "")
        cursor = self._db.execute(sql + " ORDER BY start, end, code_id, coder", [tid, *params])
        return map(CodingRow._make, cursor) if named else cursor

    def listing(self, flt: CodingFilter = ALL_CODINGS) -> Iterator[tuple]:
        """Codings as ``qualcode codings`` lists them, streamed straight from the database:
        ``(id, transcript name, start, end, code_id, coder, origin, memo, quote)`` in
        transcript and position order (the unique index's order: no sort)."""
        where, params = _where(flt, "c.")
        sql = (
            "SELECT c.id, t.name, c.start, c.end, c.code_id, c.coder, c.origin, c.memo, c.quote"
            " FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
            + (f" WHERE {where}" if where else "")
            + " ORDER BY c.transcript_id, c.start, c.end, c.code_id, c.coder"
        )
        return self._db.execute(sql, params)

    def count(self, flt: CodingFilter = ALL_CODINGS) -> int:
        where, params = _where(flt)
        return self._db.scalar("SELECT count(*) FROM codings" + (f" WHERE {where}" if where else ""), params, 0)

    def counts_by_code(self, transcript_id: int | None = None, coders: Iterable[str] | None = None) -> dict[str, int]:
        """Codings per code id (of one transcript, of some coders)."""
        flt = CodingFilter.of(None if transcript_id is None else (transcript_id,), None, coders)
        where, params = _where(flt)
        sql = "SELECT code_id, count(*) FROM codings" + (f" WHERE {where}" if where else "") + " GROUP BY code_id"
        return {r[0]: r[1] for r in self._db.execute(sql, params)}

    def orphaned(self) -> list[Coding]:
        """Codings whose code is no longer in the codebook (kept, never deleted)."""
        cols = ", ".join(f"c.{c.strip()}" for c in _COLUMNS.split(","))
        return [
            Coding(*r)
            for r in self._db.execute(
                f"SELECT {cols} FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.in_codebook = 0"
                " ORDER BY c.code_id, c.transcript_id, c.start"
            )
        ]

    def orphan_counts(self) -> dict[str, int]:
        """How many codings each code that is no longer in the codebook still has (no rows read)."""
        sql = (
            "SELECT c.code_id, count(*) FROM codings c JOIN codes k ON k.id = c.code_id WHERE k.in_codebook = 0"
            " GROUP BY c.code_id"
        )
        return dict(self._db.execute(sql).fetchall())

    def code_ids(self, flt: CodingFilter = ALL_CODINGS) -> list[str]:
        """Ids of every code that has at least one of the filtered codings, sorted."""
        # One index seek per code (until its first coding) instead of reading every coding.
        where, params = _where(flt, "c.")
        sql = "SELECT id FROM codes WHERE EXISTS (SELECT 1 FROM codings c WHERE c.code_id = codes.id"
        return [r[0] for r in self._db.execute(sql + (f" AND {where}" if where else "") + ") ORDER BY id", params)]

    def transcript_ids(self) -> list[int]:
        """Transcripts with at least one coding."""
        return [r[0] for r in self._db.execute("SELECT DISTINCT transcript_id FROM codings ORDER BY transcript_id")]

    def state(self, since_id: int = 0) -> tuple[int, int, int]:
        """``(codings, codings with id > since_id, highest coding id)``: has the coding changed?"""
        row = self._db.one("SELECT count(*), coalesce(sum(id > ?), 0), coalesce(max(id), 0) FROM codings", (since_id,))
        assert row is not None  # an aggregate query always yields one row
        total, new, top = row
        return int(total), int(new), int(top)

    def coder_counts(self) -> list[CoderCount]:
        """Codings per coder and transcript."""
        rows = self._db.execute(
            "SELECT c.coder, c.transcript_id, t.name, count(*) FROM codings c JOIN transcripts t ON t.id = c.transcript_id"
            " GROUP BY c.coder, c.transcript_id ORDER BY c.coder, c.transcript_id"
        )
        return [CoderCount(*r) for r in rows]

    # --- lean reads for statistics (stats-speed branch) ---------------------------------------

    def spans(self, tid: int, flt: CodingFilter = ALL_CODINGS) -> list[tuple[int, int, str]]:
        """``(start, end, code_id)`` of the filtered codings of one transcript, by start.

        Read from the covering ``codings_unique`` index without a sort; three columns
        instead of a whole row, because counting touches every coding.
        """
        where, params = _where(CodingFilter(None, flt.code_ids, flt.coders))
        sql = "SELECT start, end, code_id FROM codings WHERE transcript_id = ?" + (f" AND {where}" if where else "")
        return self._db.execute(sql + " ORDER BY start, end, code_id, coder", [tid, *params]).fetchall()

    def packed_spans(self, tid: int, flt: CodingFilter = ALL_CODINGS) -> list[tuple[int, int, str]]:
        """``(opening, closing, code_id)`` of the filtered codings of one transcript, by start:
        offsets packed with word positions (:func:`qualcode.words.packed`), for statistics.

        Read from the covering ``codings_words`` index. Positions the store has not
        computed (NULL) are computed here from the text.
        """
        where, params = _where(CodingFilter(None, flt.code_ids, flt.coders))
        rest = (
            " FROM codings WHERE transcript_id = ?" + (f" AND {where}" if where else "") + " ORDER BY start, end, code_id, coder"
        )
        sql = f"SELECT start * {SCALE} + {PAD} + words_before, end * {SCALE} + words_through, code_id" + rest
        rows = self._db.execute(sql, [tid, *params]).fetchall()
        if None in map(_OPENING, rows):
            plain = self._db.execute("SELECT start, end, code_id" + rest, [tid, *params]).fetchall()
            marks = word_marks(self._text(tid)[0], [(start, end) for start, end, _ in plain])
            return [(*packed(start, end, *m), code_id) for (start, end, code_id), m in zip(plain, marks, strict=True)]
        return rows

    # --- column reads for statistics ------------------------------------------------------------

    def code_columns(self, flt: CodingFilter = ALL_CODINGS, *, turn_label: str | None = None) -> Iterator[CodeColumnBatch]:
        """The filtered codings per code as packed numbers (:class:`~qualcode.words.Packing`),
        in batches of at most ``_COLUMN_BATCH`` consecutive transcript ids (fewer when
        transcripts are so long that the numbers would not fit SQLite's 64 bits).

        SQLite packs and joins the numbers into one text per code, read from the
        ``codings_code_words`` index without a sort: a Python object per coding made
        the reading cost more than the counting. The packing is sized from the longest
        transcript and checked against the codings' own offsets; positions the store has
        not computed (NULL) are computed from the text, as :meth:`packed_spans` does.

        ``turn_label`` (``"speaker"`` or ``"role"``): each coding's turn's label comes
        along (:attr:`CodeColumns.labels`), kept with the coding by the store (migration
        0013) or, where it is not computed, found from the turns.
        """
        if turn_label not in (None, "speaker", "role"):
            raise ValueError(f"no turn label {turn_label!r}")
        ids = [r[0] for r in self._db.execute("SELECT id FROM transcripts ORDER BY id")]
        if not ids:
            return
        span = min(ids[-1] - ids[0] + 1, _COLUMN_BATCH)
        packing = Packing.fitting(self._db.scalar("SELECT max(chars) FROM transcripts", (), 0), span)
        at = 0
        while at < len(ids):
            first = ids[at]
            last_at = bisect_right(ids, first + packing.span - 1, at) - 1
            last = ids[last_at]
            batch = self._code_columns(flt, first, last, packing, turn_label)
            if batch is None:  # an offset or a word position beyond the longest transcript's length
                packing = Packing.fitting(self._largest_position(flt), span)
                continue  # the same transcripts again, in a batch that fits the new packing
            yield batch
            at = last_at + 1

    def _code_columns(
        self, flt: CodingFilter, first: int, last: int, packing: Packing, label: str | None
    ) -> CodeColumnBatch | None:
        where, params = _where(flt)
        # Integers of our own making, not user input: in the text, so the filter keeps its ``?``s.
        # One seek per code into the index (``code_id IN``), then the batch's range of transcripts.
        where = f"code_id IN (SELECT id FROM codes) AND transcript_id BETWEEN {first:d} AND {last:d}" + (
            f" AND {where}" if where else ""
        )
        offset = f"(transcript_id - {first:d}) * {packing.stride:d}"
        # Outside every turn (no speaker, no role: import gives every turn a role) NULL; a turn
        # without this label "" (see CodeColumns.labels).
        labelled = f"CASE WHEN turn_speaker IS NULL AND turn_role IS NULL THEN NULL ELSE coalesce(turn_{label}, '') END"
        turns = f", count(*) - count(turn_fit), json_group_array({labelled}), sum(turn_fit = 0)" if label else ""
        rows = self._db.execute(
            f"SELECT code_id, count(*), json_group_array({offset} + start * {packing.scale:d} + {packing.pad:d} + words_before),"
            f" json_group_array({offset} + end * {packing.scale:d} + words_through), max(end), max(words_through),"
            f" 2 * count(*) - count(words_before) - count(words_through){turns}"
            # The planner would rather follow the transcript range, then sort by code.
            f" FROM codings INDEXED BY codings_code_words WHERE {where} GROUP BY code_id",
            params,
        ).fetchall()
        if any(max(r[4], r[5] or 0) > packing.chars for r in rows):
            return None
        # Some word positions (or turns) are not computed yet (NULL).
        if any(r[6] or (label and r[7]) for r in rows):
            return CodeColumnBatch(first, last, packing, self._code_columns_computed(where, params, first, packing, label))
        columns = [CodeColumns(r[0], r[1], json_ints(r[2]), json_ints(r[3])) for r in rows]
        if label:
            for column, r in zip(columns, rows, strict=True):
                column.labels, column.reaching = json.loads(r[8]), r[9]
        return CodeColumnBatch(first, last, packing, columns)

    def _code_columns_computed(
        self, where: str, params: list, first: int, packing: Packing, label: str | None
    ) -> list[CodeColumns]:
        """The columns of :meth:`_code_columns` with the missing word positions computed from
        the texts (and, with ``label``, the missing turns from the turns)."""
        rows = self._db.execute(
            f"SELECT transcript_id, start, end, code_id, words_before, words_through, turn_fit, turn_speaker, turn_role"
            f" FROM codings WHERE {where} ORDER BY transcript_id",
            params,
        ).fetchall()
        columns: dict[str, CodeColumns] = {}
        which = 7 if label == "speaker" else 8
        for tid, group in groupby(rows, itemgetter(0)):
            spans = list(group)
            if any(r[4] is None or r[5] is None for r in spans):
                marks = word_marks(self._text(tid)[0], [(r[1], r[2]) for r in spans])
                spans = [(*r[:4], *m, *r[6:]) for r, m in zip(spans, marks, strict=True)]
            if label and any(r[6] is None for r in spans):
                places = turn_places(_turn_labels(self._db, tid), [(r[1], r[2]) for r in spans])
                spans = [(*r[:6], *place) for r, place in zip(spans, places, strict=True)]
            offset = (tid - first) * packing.stride
            for r in spans:
                _, start, end, code_id, before, through = r[:6]
                column = columns.get(code_id) or columns.setdefault(
                    code_id, CodeColumns(code_id, 0, [], [], [] if label else None)
                )
                column.codings += 1
                column.openings.append(offset + start * packing.scale + packing.pad + before)
                column.closings.append(offset + end * packing.scale + through)
                if column.labels is not None:  # as the query's
                    column.labels.append(None if r[7] is None and r[8] is None else r[which] or "")
                    column.reaching += r[6] == 0
        return [columns[code_id] for code_id in sorted(columns)]

    def span_columns(self, flt: CodingFilter = ALL_CODINGS) -> Iterator[SpanColumns]:
        """The filtered codings in batches of at most ``_COLUMN_BATCH`` consecutive transcript
        ids, each as three columns in transcript and start order: openings ``offset + start``,
        closings ``offset + end`` and code ids, where ``offset = (transcript_id - first) *
        stride`` keeps the transcripts of a batch apart (no span reaches the next offset).

        SQLite joins each column into one JSON text, read from the ``codings_words`` index
        without a sort: a row object per coding cost more than the counting (co-occurrence).
        """
        ids = [r[0] for r in self._db.execute("SELECT id FROM transcripts ORDER BY id")]
        stride = self._db.scalar("SELECT max(chars) FROM transcripts", (), 0) + 1
        where, params = _where(flt)
        at = 0
        while at < len(ids):
            first = ids[at]
            last_at = bisect_right(ids, first + _COLUMN_BATCH - 1, at) - 1
            last = ids[last_at]
            offset = f"(transcript_id - {first:d}) * {stride:d}"  # integers of our own making
            row = self._db.one(
                f"SELECT json_group_array({offset} + start), json_group_array({offset} + end), json_group_array(code_id),"
                f" max(end) FROM codings INDEXED BY codings_words WHERE transcript_id BETWEEN {first:d} AND {last:d}"
                + (f" AND {where}" if where else ""),
                params,
            )
            assert row is not None  # an aggregate query always yields one row
            if (row[3] or 0) >= stride:  # a span beyond the longest transcript's length
                stride = self._largest_position(flt) + 1
                continue  # the same transcripts again, further apart
            openings, closings, codes = json_ints(row[0]), json_ints(row[1]), json_ints(row[2])
            if not all(map(le, openings, islice(openings, 1, None))):  # the index's order, unless SQLite chose another
                order = sorted(range(len(openings)), key=openings.__getitem__)
                openings, closings, codes = ([column[i] for i in order] for column in (openings, closings, codes))
            yield SpanColumns(openings, closings, codes, stride)
            at = last_at + 1

    def _largest_position(self, flt: CodingFilter) -> int:
        """The largest offset or word position of the filtered codings."""
        where, params = _where(flt)
        sql = "SELECT max(max(end), max(coalesce(words_through, 0))) FROM codings" + (f" WHERE {where}" if where else "")
        return self._db.scalar(sql, params, 0)

    def coders(self, transcript_ids: Iterable[int] | None = None) -> list[str]:
        """Every coder with codings (in these transcripts), from the index: no per-transcript counting."""
        if transcript_ids is None:
            # One seek per coder (the next name after the last), not a walk over every coding's entry.
            sql = (
                "WITH RECURSIVE found(coder) AS (SELECT min(coder) FROM codings UNION ALL"
                " SELECT (SELECT min(coder) FROM codings WHERE coder > found.coder) FROM found WHERE coder IS NOT NULL)"
                " SELECT coder FROM found WHERE coder IS NOT NULL"
            )
            return [r[0] for r in self._db.execute(sql)]
        where, params = _where(CodingFilter.of(transcript_ids, None, None))
        return [r[0] for r in self._db.execute(f"SELECT DISTINCT coder FROM codings WHERE {where} ORDER BY coder", params)]

    # --- lean reads: agreement, disagreements, the health check ------------------------------------

    def coded_spans(self, flt: CodingFilter = ALL_CODINGS) -> list[tuple[int, int, int, str, str]]:
        """``(transcript_id, start, end, code_id, coder)`` of the filtered codings, in transcript
        and position order: five columns from the ``codings_unique`` index, no ``Coding`` objects."""
        where, params = _where(flt)
        sql = "SELECT transcript_id, start, end, code_id, coder FROM codings" + (f" WHERE {where}" if where else "")
        return self._db.execute(f"{sql} ORDER BY {_ORDER}", params).fetchall()

    # --- agreement, transcript by transcript (from the indexes of migrations 0009 and 0010) -------------

    def coders_by_transcript(self, flt: CodingFilter = ALL_CODINGS) -> Iterator[tuple[int, str]]:
        """Distinct ``(transcript_id, coder)`` of the filtered codings: who coded where, from
        the ``codings_by_coder`` index alone; streamed."""
        if flt.coders is not None and flt.code_ids is None:
            # One index seek per transcript and coder, not a read of every coding (half the time
            # at 5,000 interviews).
            sql = (
                "SELECT t.id, c.value FROM json_each(?) c, transcripts t"
                " WHERE EXISTS (SELECT 1 FROM codings WHERE coder = c.value AND transcript_id = t.id)"
            )
            params = [json_ids(flt.coders)]
            if flt.transcript_ids is not None:
                sql += " AND t.id IN (SELECT value FROM json_each(?))"
                params.append(json_ids(flt.transcript_ids))
            return self._db.execute(sql, params)
        where, params = _where(flt)
        sql = "SELECT DISTINCT transcript_id, coder FROM codings" + (f" WHERE {where}" if where else "")
        return self._db.execute(sql, params)

    def coder_spans(
        self, transcript_ids: Iterable[int], flt: CodingFilter = ALL_CODINGS
    ) -> Iterator[list[tuple[str, int, int, str]]]:
        """``(code_id, start, end, coder)`` of the filtered codings of each of ``transcript_ids``
        (in no particular order), a list per transcript in the order given, read as the caller
        goes: an agreement study reads its transcripts one at a time (from the
        ``codings_code_words`` index alone when codes are given)."""
        where, params = _where(CodingFilter(None, flt.code_ids, flt.coders))
        sql = "SELECT code_id, start, end, coder FROM codings WHERE transcript_id = ?" + (f" AND {where}" if where else "")
        for tid in transcript_ids:
            yield self._db.execute(sql, [tid, *params]).fetchall()

    def quotes(self, tid: int) -> list[tuple[int, str, int, int, str]]:
        """``(id, code_id, start, end, quote)`` of one transcript's codings in position order:
        what the health check compares with the text, without ``Coding`` objects."""
        sql = f"SELECT id, code_id, start, end, quote FROM codings WHERE transcript_id = ? ORDER BY {_ORDER}"
        return self._db.execute(sql, (tid,)).fetchall()

    # --- lean reads for the segments export (export5 branch) --------------------------------------

    def span_quotes(self, tid: int, flt: CodingFilter = ALL_CODINGS) -> Iterator[tuple[int, int, str, str]]:
        """``(start, end, code_id, quote)`` of the filtered codings of one transcript in
        ``(start, end, code_id, coder)`` order, streamed: the wide export by span reads no
        more (a row per coding of nine columns cost it a third more than these four)."""
        where, params = _where(CodingFilter(None, flt.code_ids, flt.coders))
        sql = "SELECT start, end, code_id, quote FROM codings WHERE transcript_id = ?" + (f" AND {where}" if where else "")
        return self._db.execute(sql + " ORDER BY start, end, code_id, coder", [tid, *params])

    def detached_one(self, detached_id: int) -> DetachedCoding:
        row = self._db.one(f"SELECT {_DETACHED_COLUMNS} FROM detached_codings WHERE id = ?", (detached_id,))
        if row is None:
            raise error(NO_DETACHED, id=detached_id)
        return DetachedCoding(*row)

    def detached_count(self, flt: CodingFilter = ALL_CODINGS) -> int:
        """How many codings re-imports detached, of the filtered transcripts, codes and coders:
        kept aside, so in no count or export until they are re-attached."""
        where, params = _where(flt)
        return self._db.scalar("SELECT count(*) FROM detached_codings" + (f" WHERE {where}" if where else ""), params, 0)

    def detached(self, tid: int | None = None) -> list[DetachedCoding]:
        """Codings detached by re-imports (of one transcript, or all)."""
        sql = f"SELECT {_DETACHED_COLUMNS} FROM detached_codings"
        params: tuple[int, ...] = ()
        if tid is not None:
            sql, params = sql + " WHERE transcript_id = ?", (tid,)
        return [DetachedCoding(*r) for r in self._db.execute(sql + " ORDER BY transcript_id, old_start", params)]


def joined_memo(kept: str | None, added: str | None) -> str | None:
    """Two memos of codings that become one: both kept, the first first."""
    if not added or added == kept:
        return kept
    if not kept:
        return added
    return f"{kept}\n\n{added}"
