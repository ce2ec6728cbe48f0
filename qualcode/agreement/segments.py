"""MAXQDA's segment criterion for two coders (pure core).

Every coded segment of each coder is checked against the other coder's segments:
it counts as *matched* when the other coder applied the same code to a segment
that overlaps it by at least ``overlap`` percent, where the overlap is the shared
stretch divided by the stretch the two segments cover together (intersection
over union). The code-specific table counts matched and unmatched segments of
both coders (a matched pair therefore counts once for each coder), and kappa is
Brennan & Prediger's with chance agreement 1/q, q = the number of codes in the
table; the cell "coded by neither" does not exist for segments.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from .runs import Span


@dataclass(slots=True)
class SegmentCount:
    """Matched and unmatched segments of both coders (one code, one transcript or a sum)."""

    first: int = 0  # segments of the first coder
    first_matched: int = 0
    second: int = 0
    second_matched: int = 0

    @property
    def agreements(self) -> int:
        return self.first_matched + self.second_matched

    @property
    def disagreements(self) -> int:
        return self.first + self.second - self.agreements

    @property
    def total(self) -> int:
        return self.first + self.second

    @property
    def percent(self) -> float | None:
        """Matched share of all segments (0-1); undefined without any segment."""
        return self.agreements / self.total if self.total else None

    def add(self, other: SegmentCount) -> None:
        self.first += other.first
        self.first_matched += other.first_matched
        self.second += other.second
        self.second_matched += other.second_matched


def overlap_share(a: Span, b: Span) -> float:
    """Intersection over union of two spans (0 when they do not overlap)."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    if shared <= 0:
        return 0.0
    return shared / (max(a[1], b[1]) - min(a[0], b[0]))


def matched(spans: Sequence[Span], others: Sequence[Span], overlap: float) -> list[bool]:
    """For each of ``spans``: does one of ``others`` (same code, other coder) match it?

    ``overlap`` is a fraction (0.9 for 90 %). ``others`` need not be sorted.
    """
    ordered = sorted(others)
    starts = [s for s, _ in ordered]
    longest = max((e - s for s, e in ordered), default=0)
    out = []
    for span in spans:
        # Candidates start before the span ends and no earlier than the longest other could reach.
        lo = bisect_left(starts, span[0] - longest)
        hit = False
        for other in ordered[lo:]:
            if other[0] >= span[1]:
                break
            if overlap_share(span, other) >= overlap - 1e-12:
                hit = True
                break
        out.append(hit)
    return out


def segment_count(first: Sequence[Span], second: Sequence[Span], overlap: float) -> SegmentCount:
    """The matched/unmatched count of two coders' segments of one code in one transcript."""
    return SegmentCount(
        first=len(first),
        first_matched=sum(matched(first, second, overlap)),
        second=len(second),
        second_matched=sum(matched(second, first, overlap)),
    )
