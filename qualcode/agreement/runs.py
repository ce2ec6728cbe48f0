"""Interval arithmetic that turns coded spans into value patterns without a per-unit table.

Character agreement over a 200-transcript study means tens of millions of units;
these functions work on the spans' end points instead (run-length), so the cost
grows with the number of codings, not with the length of the text.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from itertools import accumulate
from operator import itemgetter, sub

from .coefficients import Pattern

Span = tuple[int, int]

ABSENT = 0
PRESENT = 1


def union(spans: Iterable[Span]) -> list[Span]:
    """The union of half-open spans as sorted, disjoint, non-touching spans."""
    out: list[Span] = []
    first = last = -1  # the span being extended (none yet)
    for start, end in sorted(spans):
        if start >= end:
            continue
        if last >= 0 and start <= last:
            if end > last:
                last = end
        else:
            if last >= 0:
                out.append((first, last))
            first, last = start, end
    if last >= 0:
        out.append((first, last))
    return out


def length(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)


class Regions:
    """Sorted, disjoint spans with their running lengths, to measure how much of any
    span lies inside them in O(log regions)."""

    __slots__ = ("ends", "first", "last", "before", "starts", "total")

    def __init__(self, regions: Sequence[Span]) -> None:
        # Arrays, not lists: compact, and bisected in C.
        self._set(array("q", map(itemgetter(0), regions)), array("q", map(itemgetter(1), regions)))

    @classmethod
    def of(cls, starts: Sequence[int], ends: Sequence[int]) -> Regions:
        """The regions with these starts and ends (sorted, disjoint, not touching)."""
        regions = cls(())
        if isinstance(starts, array) and isinstance(ends, array) and starts.typecode == ends.typecode == "i":
            # As the store keeps them (int32, never changed): taken as they are, not copied.
            # Their running lengths fit too, being at most the last end.
            regions._set(starts, ends)
        else:
            regions._set(array("q", starts), array("q", ends))
        return regions

    def _set(self, starts: array, ends: array) -> None:
        self.starts, self.ends = starts, ends
        self.before = array(starts.typecode, accumulate(map(sub, ends, starts), initial=0))  # in regions[:k]
        self.total = self.before[-1]
        self.first = starts[0] if starts else 0
        self.last = ends[-1] if ends else 0

    def upto(self, pos: int) -> int:
        """Characters of the regions before ``pos``."""
        k = bisect_right(self.starts, pos)
        return self.before[k] - max(0, self.ends[k - 1] - pos) if k else 0

    def inside(self, start: int, end: int) -> int:
        """Characters of ``[start, end)`` inside the regions."""
        return self.upto(end) - self.upto(start)


class Units:
    """Sorted, disjoint units (sentences, turns) as two arrays: compact, and bisected by
    their ends directly."""

    __slots__ = ("ends", "starts")

    def __init__(self, units: Iterable[Span]) -> None:
        self.starts = array("q")
        self.ends = array("q")
        for s, e in units:
            self.starts.append(s)
            self.ends.append(e)

    @classmethod
    def of(cls, starts: Sequence[int], ends: Sequence[int]) -> Units:
        """The units with these starts and ends (an array is taken, not copied)."""
        units = cls(())
        units.starts = starts if isinstance(starts, array) else array("q", starts)
        units.ends = ends if isinstance(ends, array) else array("q", ends)
        return units

    def __len__(self) -> int:
        return len(self.ends)


def character_patterns(regions: Sequence[Span] | Regions, coverage: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    """Pattern counts of every character inside ``regions``.

    ``regions`` are sorted and disjoint (or a :class:`Regions` of them, built once per
    document). ``coverage[i]`` is coder i's coded spans (a :func:`union`) or ``None``
    when the coder did not code this document (missing data). Each character of the
    regions is one unit: its pattern holds PRESENT/ABSENT per coder (``None`` if
    missing). A sweep over the coded spans' end points only, measuring each stretch
    inside the regions by bisection: O(spans log regions), however many turns the
    document has. The stretch nobody coded is the rest of the regions.
    """
    within = regions if isinstance(regions, Regions) else Regions(regions)
    events: list[tuple[int, int, int]] = []  # (position, +1 opens / -1 closes, coder)
    for i, spans in enumerate(coverage):
        for start, end in spans or ():
            events.append((start, 1, i))
            events.append((end, -1, i))
    events.sort()
    events.append((within.last, 0, 0))  # closes the last stretch
    depth = [0] * len(coverage)
    mask = 0  # bit i: coder i codes the current stretch
    # Keyed by mask, in the order a pattern first occurs along the text (the order the
    # coefficients then sum in); the nobody-coded mask 0 is filled in at the end.
    found: dict[int, int] = {}
    last = within.first
    for pos, delta, who in events:
        if pos > last:
            if mask:
                n = within.inside(last, pos)
                if n:
                    found[mask] = found.get(mask, 0) + n
            elif 0 not in found and within.inside(last, pos):
                found[0] = 0
            last = pos
        if delta:
            depth[who] += delta
            mask = mask | (1 << who) if depth[who] else mask & ~(1 << who)
    if 0 in found:
        found[0] = within.total - sum(found.values())
    missing = [c is None for c in coverage]
    return Counter(
        {
            tuple(None if gone else (PRESENT if m >> i & 1 else ABSENT) for i, gone in enumerate(missing)): n
            for m, n in found.items()
        }
    )


def unit_patterns(units: Sequence[Span] | Units, coverage: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    """Pattern counts of whole units (sentences, turns): a coder codes a unit when one
    of the coder's spans overlaps it by at least one character.

    ``units`` are sorted and disjoint (or a :class:`Units` of them); ``coverage`` as for
    :func:`character_patterns`.
    """
    within = units if isinstance(units, Units) else Units(units)
    marked: list[set[int] | None] = [None if spans is None else _overlapped(within, spans) for spans in coverage]
    missing = tuple(m is None for m in marked)
    counts: Counter[Pattern] = Counter()
    touched: set[int] = set().union(*(m for m in marked if m))
    # Each touched unit's coders as a bit mask; masks (one per pattern) are counted in the
    # order their units come in `touched`, the order the patterns are then summed in.
    masks = dict.fromkeys(touched, 0)
    for i, m in enumerate(marked):
        if m:
            bit = 1 << i
            for index in m:
                masks[index] |= bit
    for mask, weight in Counter(masks.values()).items():
        counts[_mask_pattern(mask, missing)] = weight
    untouched = len(units) - len(touched)
    if untouched:
        counts[_pattern([ABSENT] * len(coverage), missing)] += untouched
    return counts


def _overlapped(units: Units, spans: Sequence[Span]) -> set[int]:
    """Indexes of the units that one of ``spans`` (a union) overlaps.

    Each span's first unit (the first ending after its start) is found by bisection,
    so a code with a few codings costs O(codings log units), not a walk over every
    unit of the document.
    """
    hit: set[int] = set()
    starts, ends = units.starts, units.ends
    n = len(ends)
    for start, end in spans:
        j = bisect_right(ends, start)
        while j < n and starts[j] < end:
            hit.add(j)
            j += 1
    return hit


@lru_cache(maxsize=1024)
def _mask_pattern(mask: int, missing: tuple[bool, ...]) -> Pattern:
    """The pattern of a unit that the coders in bit mask ``mask`` code (the same few, again and again)."""
    return _pattern([mask >> i & 1 for i in range(len(missing))], missing)


def _pattern(state: Sequence[int], missing: Sequence[bool]) -> Pattern:
    return tuple(None if gone else (PRESENT if on else ABSENT) for on, gone in zip(state, missing, strict=True))
