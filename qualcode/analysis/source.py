"""Streaming reads for analyses and exports: one transcript at a time.

Everything here reads transcripts in name order and, per transcript, its codings in
``(start, end, code_id)`` order straight from the ``codings_unique`` index, so no
step ever holds more than one transcript's text, turns and codings: memory stays
flat however large the project is. Rows are plain tuples (not ``Coding`` objects)
because exports touch every one of them and the object per row costs more than the
rest of the work.

The selection's id sets are passed to SQLite as one JSON array (``json_each``), so
a filter on a thousand transcripts is still a single bound parameter.
"""

from __future__ import annotations

import json
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from typing import NamedTuple

from ..model import Turn
from ..store import Store
from .selection import ALL, Selection

# progress(done, total): the number of codings handled so far, out of the total.
Progress = Callable[[int, int], None]
# cancelled(): True when the caller (a TUI worker) wants the work to stop.
CancelCheck = Callable[[], bool]

NO_SPEAKER = "(no speaker)"
NO_ROLE = "(unknown)"


class Cancelled(Exception):
    """Raised inside a long computation when its ``cancelled()`` check says so."""


class CodingRow(NamedTuple):
    id: int
    start: int
    end: int
    code_id: str
    coder: str
    origin: str
    memo: str | None
    quote: str
    created_at: str


CODING_COLUMNS = "id, start, end, code_id, coder, origin, memo, quote, created_at"


class TranscriptView:
    """One transcript with its turns, loaded lazily, and position look-ups."""

    __slots__ = (
        "_ends", "_newlines", "_places", "_starts", "_store", "_text", "_turns",
        "attributes", "chars", "id", "name", "words",
    )  # fmt: skip

    def __init__(self, store: Store, tid: int, name: str, words: int, chars: int, attributes: dict[str, str]) -> None:
        self.id, self.name, self.words, self.chars, self.attributes = tid, name, words, chars, attributes
        self._store = store
        self._text: str | None = None
        self._turns: list[Turn] | None = None
        self._starts: list[int] = []
        self._ends: list[int] = []
        self._newlines: list[int] | None = None
        self._places: dict[tuple, tuple] = {}

    @property
    def text(self) -> str:
        if self._text is None:
            self._text = self._store.transcript_text(self.id)
        return self._text

    @property
    def turns(self) -> list[Turn]:
        if self._turns is None:
            # The same rows as Store.turns, built positionally: half the cost for big exports.
            rows = self._store.conn.execute(
                "SELECT idx, speaker, start, end, time_start, time_end, role FROM turns WHERE transcript_id = ? ORDER BY idx",
                (self.id,),
            )
            self._turns = [Turn(*row) for row in rows]
            self._starts = [t.start for t in self._turns]
            self._ends = [t.end for t in self._turns]
        return self._turns

    def turn_span(self, start: int, end: int) -> tuple[Turn | None, Turn | None]:
        """The first and the last turn that ``[start, end)`` overlaps (None if none does)."""
        turns = self.turns
        i = bisect_right(self._ends, start)  # first turn ending after start
        first = turns[i] if i < len(turns) and turns[i].start < end else None
        j = bisect_left(self._starts, end) - 1  # last turn starting before end
        last = turns[j] if j >= 0 and turns[j].end > start else None
        return first, last

    def place(self, start: int, end: int) -> tuple:
        """``(speaker, role, turn, turn_end, time_start, time_end)`` of a span, blanks outside turns.

        Memoised per pair of turns: most codings of a transcript share a few turns,
        and an export asks for every coding.
        """
        first, last = self.turn_span(start, end)
        key = (first.index if first else None, last.index if last else None)
        found = self._places.get(key)
        if found is None:
            found = self._places[key] = (
                first.speaker if first else None,
                first.role if first else None,
                key[0],
                key[1],
                first.time_start if first else None,
                last.time_end if last else None,
            )
        return found

    def turn_indexes(self, start: int, end: int) -> range:
        """Positions (in ``turns``) of every turn that ``[start, end)`` overlaps."""
        if self._turns is None:
            self.turns  # noqa: B018 - loads the turns and their start/end lists
        return range(bisect_right(self._ends, start), bisect_left(self._starts, end))

    def line(self, offset: int) -> int:
        """1-based line number of the character at ``offset`` in the stored text."""
        if self._newlines is None:
            text, found, at = self.text, [], -1
            while (at := text.find("\n", at + 1)) >= 0:
                found.append(at)
            self._newlines = found
        return bisect_left(self._newlines, offset) + 1


def _json_ids(ids) -> str:
    return json.dumps(sorted(ids))


def transcripts(store: Store, selection: Selection = ALL) -> Iterator[TranscriptView]:
    """The selected transcripts, by name, each with its attributes."""
    attributes = store.all_attributes()
    sql = "SELECT id, name, words, length(text) FROM transcripts"
    params: tuple = ()
    if selection.transcript_ids is not None:
        sql += " WHERE id IN (SELECT value FROM json_each(?))"
        params = (_json_ids(selection.transcript_ids),)
    # fetchall: a thousand short rows; the texts themselves are read one at a time.
    for tid, name, words, chars in store.conn.execute(sql + " ORDER BY name", params).fetchall():
        yield TranscriptView(store, tid, name, words, chars, attributes.get(tid, {}))


def codings(store: Store, tid: int, selection: Selection = ALL, *, named: bool = True) -> Iterator[CodingRow]:
    """The selected codings of one transcript in ``(start, end, code_id)`` order.

    ``named=False`` yields plain tuples in :class:`CodingRow` order (for the export's
    hot loop, where building a named tuple per row is a measurable cost).
    """
    sql = f"SELECT {CODING_COLUMNS} FROM codings WHERE transcript_id = ?"
    params: tuple = (tid,)
    if selection.code_ids is not None:
        sql += " AND code_id IN (SELECT value FROM json_each(?))"
        params = (tid, _json_ids(selection.code_ids))
    cursor = store.conn.execute(sql + " ORDER BY start, end, code_id", params)
    return map(CodingRow._make, cursor) if named else cursor


def count_codings(store: Store, selection: Selection = ALL) -> int:
    """How many codings the selection holds (the total for progress reports)."""
    sql, where, params = "SELECT count(*) FROM codings", [], []
    if selection.transcript_ids is not None:
        where.append("transcript_id IN (SELECT value FROM json_each(?))")
        params.append(_json_ids(selection.transcript_ids))
    if selection.code_ids is not None:
        where.append("code_id IN (SELECT value FROM json_each(?))")
        params.append(_json_ids(selection.code_ids))
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.conn.execute(sql, params).fetchone()[0]


class Ticker:
    """Calls ``progress`` every ``every`` items and checks for cancellation."""

    __slots__ = ("_next", "cancelled", "done", "every", "progress", "total")

    def __init__(self, progress: Progress | None, cancelled: CancelCheck | None, total: int, every: int = 2000) -> None:
        self.progress, self.cancelled, self.total, self.every = progress, cancelled, total, every
        self.done = 0
        self._next = every

    def add(self, n: int = 1) -> None:
        self.done += n
        if self.done >= self._next:
            self._next = self.done + self.every
            self.report()

    def report(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise Cancelled
        if self.progress is not None:
            self.progress(self.done, self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.done, self.total)
