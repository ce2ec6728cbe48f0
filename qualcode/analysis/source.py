"""Streaming reads for analyses and exports: one transcript at a time.

Everything here reads transcripts in name order and, per transcript, its codings in
``(start, end, code_id)`` order straight from the ``codings_unique`` index, so no
step ever holds more than one transcript's text, turns and codings: memory stays
flat however large the project is. Rows are plain tuples (not ``Coding`` objects)
because exports touch every one of them and the object per row costs more than the
rest of the work.

The store streams the rows; the selection becomes its :class:`~qualcode.store.CodingFilter`.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator

from ..model import Turn
from ..store import CodingRow, Store
from .selection import ALL, Selection

# progress(done, total): the number of codings handled so far, out of the total.
Progress = Callable[[int, int], None]
# cancelled(): True when the caller (a TUI worker) wants the work to stop.
CancelCheck = Callable[[], bool]

NO_SPEAKER = "(no speaker)"
NO_ROLE = "(unknown)"
OUTSIDE_TURNS = "(outside turns)"  # a heading or title coded alone: nobody's words (as `qualcode show` names it)


_NOWHERE = (None,) * 6  # the place of a span outside every turn


class Cancelled(Exception):
    """Raised inside a long computation when its ``cancelled()`` check says so."""


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
            self._text = self._store.transcripts.text(self.id)
        return self._text

    @property
    def turns(self) -> list[Turn]:
        if self._turns is None:
            self._turns = self._store.transcripts.turns(self.id)
            self._starts = [t.start for t in self._turns]
            self._ends = [t.end for t in self._turns]
        return self._turns

    def place(self, start: int, end: int) -> tuple:
        """``(speaker, role, turn, turn_end, time_start, time_end)`` of a span, blanks outside turns.

        Memoised per pair of turns: most codings of a transcript share a few turns,
        and an export asks for every coding. As turns ascend (starts and ends), the
        span overlaps exactly the turns ``i..j`` found below, or none when ``i > j``.
        """
        turns = self.turns
        i = bisect_right(self._ends, start)  # first turn ending after start
        j = bisect_left(self._starts, end) - 1  # last turn starting before end
        if i > j:
            return _NOWHERE
        found = self._places.get((i, j))
        if found is None:
            first, last = turns[i], turns[j]
            found = self._places[(i, j)] = (
                first.speaker,
                first.role,
                first.index,
                last.index,
                first.time_start,
                last.time_end,
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


def transcripts(store: Store, selection: Selection = ALL) -> Iterator[TranscriptView]:
    """The selected transcripts, by name, each with its attributes."""
    attributes = store.transcripts.all_attributes()
    # A thousand short rows; the texts themselves are read one at a time.
    for info in store.transcripts.infos(selection.transcript_ids):
        yield TranscriptView(store, info.id, info.name, info.words, info.chars, attributes.get(info.id, {}))


def codings(store: Store, tid: int, selection: Selection = ALL, *, named: bool = True) -> Iterator[CodingRow]:
    """The selected codings of one transcript in ``(start, end, code_id, coder)`` order.

    ``named=False`` yields plain tuples in :class:`CodingRow` order (for the export's
    hot loop, where building a named tuple per row is a measurable cost).
    """
    return store.codings.rows(tid, selection.coding_filter, named=named)


def count_codings(store: Store, selection: Selection = ALL) -> int:
    """How many codings the selection holds (the total for progress reports)."""
    return store.codings.count(selection.coding_filter)


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
