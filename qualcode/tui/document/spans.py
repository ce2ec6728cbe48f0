"""An index of possibly overlapping spans with fast point and range queries.

The document view asks, for every visible line, "which codings cover which part
of this line?", and the status line asks "which codings are at the cursor?".
A scan over 5,000 codings per line would not keep a cursor move under a frame,
so the spans are cut once into *elementary segments*: the sorted boundaries of
all spans, and for each gap between two boundaries the spans covering it. A
point query is then one bisect; a range query a bisect plus the segments in it.
Building costs O(n log n + n·depth); adding or removing one span afterwards
touches only the segments it covers (plus a list insert), so applying a code
to a transcript with thousands of codings stays far below a frame.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Hashable, Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class SpanIndex(Generic[T]):
    """Spans ``[start, end)`` with payloads (e.g. coding ids)."""

    __slots__ = ("spans", "starts", "bounds", "active", "span_of")

    def __init__(self, spans: Iterable[tuple[int, int, T]] = ()) -> None:
        self.spans = sorted((s for s in spans if s[0] < s[1]), key=_span_key)
        self.starts = [s[0] for s in self.spans]
        self.span_of = {payload: (start, end) for start, end, payload in self.spans}  # each payload's span
        opening: dict[int, list[T]] = {}
        closing: dict[int, list[T]] = {}
        for start, end, payload in self.spans:
            opening.setdefault(start, []).append(payload)
            closing.setdefault(end, []).append(payload)
        self.bounds = sorted(opening.keys() | closing.keys())
        self.active: list[tuple[T, ...]] = []
        current: dict[T, None] = {}  # ordered set: spans in start order
        for bound in self.bounds:
            for payload in closing.get(bound, ()):
                current.pop(payload, None)
            for payload in opening.get(bound, ()):
                current[payload] = None
            self.active.append(tuple(current))

    def __len__(self) -> int:
        return len(self.spans)

    def at(self, pos: int) -> tuple[T, ...]:
        """Payloads of the spans containing ``pos``."""
        i = bisect_right(self.bounds, pos) - 1
        return self.active[i] if i >= 0 else ()

    def segments(self, start: int, end: int) -> Iterator[tuple[int, int, tuple[T, ...]]]:
        """``(s, e, payloads)`` for the covered parts of ``[start, end)``, clipped, in order."""
        bounds, active = self.bounds, self.active
        i = max(bisect_right(bounds, start) - 1, 0)
        n = len(bounds)
        while i < n - 1 and bounds[i] < end:
            if active[i]:
                s, e = max(bounds[i], start), min(bounds[i + 1], end)
                if s < e:
                    yield s, e, active[i]
            i += 1

    def overlapping(self, start: int, end: int) -> list[T]:
        """Payloads of the spans that overlap ``[start, end)``, each once, in start order."""
        seen: dict[T, None] = {}
        for _, _, payloads in self.segments(start, end):
            for payload in payloads:
                seen[payload] = None
        return list(seen)

    def next_start(self, pos: int) -> tuple[int, int, T] | None:
        """The first span starting after ``pos``."""
        i = bisect_right(self.starts, pos)
        return self.spans[i] if i < len(self.spans) else None

    def prev_start(self, pos: int) -> tuple[int, int, T] | None:
        """The last span starting before ``pos``."""
        i = bisect_left(self.starts, pos) - 1
        return self.spans[i] if i >= 0 else None

    # --- incremental changes --------------------------------------------------------

    def _bound(self, pos: int) -> int:
        """The index of boundary ``pos``, inserting it (splitting a segment) if needed."""
        i = bisect_left(self.bounds, pos)
        if i == len(self.bounds) or self.bounds[i] != pos:
            self.bounds.insert(i, pos)
            self.active.insert(i, self.active[i - 1] if i > 0 else ())
        return i

    def add(self, start: int, end: int, payload: T) -> None:
        """Add one span (its payload must not be in the index yet)."""
        if start >= end or payload in self.span_of:
            return
        insort(self.spans, (start, end, payload), key=_span_key)
        self.starts.insert(bisect_right(self.starts, start), start)
        key = self.span_of[payload] = (start, end)
        first = self._bound(start)
        last = self._bound(end)
        span_of = self.span_of
        for i in range(first, last):
            current = self.active[i]
            at = len(current)  # keep (start, end) order, as a rebuild would
            while at > 0 and span_of[current[at - 1]] > key:
                at -= 1
            self.active[i] = (*current[:at], payload, *current[at:])

    def remove(self, start: int, end: int, payload: T) -> None:
        """Remove a span added before (unknown spans are ignored)."""
        if self.span_of.get(payload) != (start, end):
            return
        i = bisect_left(self.spans, (start, end), key=_span_key)
        while i < len(self.spans) and self.spans[i][2] != payload:
            i += 1
        if i == len(self.spans):
            return
        del self.spans[i]
        del self.starts[bisect_left(self.starts, start)]
        del self.span_of[payload]
        for j in range(bisect_left(self.bounds, start), bisect_left(self.bounds, end)):
            self.active[j] = tuple(p for p in self.active[j] if p != payload)


def _span_key(span: tuple) -> tuple[int, int]:
    return span[0], span[1]
