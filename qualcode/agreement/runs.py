"""Interval arithmetic that turns coded spans into value patterns without a per-unit table.

Character agreement over a 200-transcript study means tens of millions of units;
these functions work on the spans' end points instead (run-length), so the cost
grows with the number of codings, not with the length of the text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence

from .coefficients import Pattern

Span = tuple[int, int]

ABSENT = 0
PRESENT = 1


def union(spans: Iterable[Span]) -> list[Span]:
    """The union of half-open spans as sorted, disjoint, non-touching spans."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1][1] = end
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def length(spans: Iterable[Span]) -> int:
    return sum(e - s for s, e in spans)


def character_patterns(regions: Sequence[Span], coverage: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    """Pattern counts of every character inside ``regions``.

    ``coverage[i]`` is coder i's coded spans (a :func:`union`) or ``None`` when the
    coder did not code this document (missing data). Each character of the regions
    is one unit: its pattern holds PRESENT/ABSENT per coder (``None`` if missing).
    A sweep over the sorted end points: O(spans log spans).
    """
    coders = len(coverage)
    events: list[tuple[int, int, int]] = []  # (position, +1 opens / -1 closes, coder or -1 for a region)
    for start, end in regions:
        events.append((start, 1, -1))
        events.append((end, -1, -1))
    for i, spans in enumerate(coverage):
        for start, end in spans or ():
            events.append((start, 1, i))
            events.append((end, -1, i))
    events.sort()
    state = [ABSENT] * coders
    inside = 0
    counts: Counter[Pattern] = Counter()
    missing = tuple(c is None for c in coverage)
    last = None
    for pos, delta, who in events:
        if last is not None and pos > last and inside:
            counts[_pattern(state, missing)] += pos - last
        last = pos
        if who < 0:
            inside += delta
        else:
            state[who] += delta
    return counts


def unit_patterns(units: Sequence[Span], coverage: Sequence[Sequence[Span] | None]) -> Counter[Pattern]:
    """Pattern counts of whole units (sentences, turns): a coder codes a unit when one
    of the coder's spans overlaps it by at least one character.

    ``units`` are sorted and disjoint; ``coverage`` as for :func:`character_patterns`.
    """
    marked: list[set[int] | None] = [None if spans is None else _overlapped(units, spans) for spans in coverage]
    missing = tuple(m is None for m in marked)
    counts: Counter[Pattern] = Counter()
    touched: set[int] = set().union(*(m for m in marked if m))
    for index in touched:
        counts[tuple(None if m is None else (PRESENT if index in m else ABSENT) for m in marked)] += 1
    untouched = len(units) - len(touched)
    if untouched:
        counts[_pattern([ABSENT] * len(coverage), missing)] += untouched
    return counts


def _overlapped(units: Sequence[Span], spans: Sequence[Span]) -> set[int]:
    """Indexes of the units that one of ``spans`` (a union) overlaps.

    Each span's first unit is found by bisection, so a code with a few codings
    costs O(codings log units), not a walk over every unit of the document.
    """
    hit: set[int] = set()
    n = len(units)
    for start, end in spans:
        j = bisect_right(units, start, key=_end)
        while j < n and units[j][0] < end:
            hit.add(j)
            j += 1
    return hit


def _end(unit: Span) -> int:
    return unit[1]


def _pattern(state: Sequence[int], missing: Sequence[bool]) -> Pattern:
    return tuple(None if gone else (PRESENT if on else ABSENT) for on, gone in zip(state, missing, strict=True))
