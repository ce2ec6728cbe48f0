"""Where two coders differ: the disagreement finder (pure core).

Codings that both coders made identically (same span, same code) agree and are
not listed. Everything else is grouped into places to settle:

* ``only-first`` / ``only-second`` - one coder applied a code where the other
  applied nothing that differs (it is the other's omission);
* ``codes`` - both coded the place, with different codes;
* ``boundaries`` - both applied the same code to overlapping but different spans.

Per code, the remaining codings of both coders are grouped by overlap; a group
with both coders is a boundary difference. Groups of one coder that overlap a
group of the other coder (another code) become one ``codes`` disagreement, so a
passage that A coded X and B coded Y is listed once, with both versions.

Each disagreement has a stable ``key`` (a hash of its transcript and codings) so
a review can record decisions and resume where it stopped.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..agreement.study import CodedSpan

ONLY_FIRST = "only-first"
ONLY_SECOND = "only-second"
CODES = "codes"
BOUNDARIES = "boundaries"
KINDS = (ONLY_FIRST, ONLY_SECOND, CODES, BOUNDARIES)


@dataclass(slots=True)
class Disagreement:
    """One place where the two coders differ, with both versions."""

    transcript: int
    kind: str
    first: list[CodedSpan] = field(default_factory=list)  # the first coder's codings here
    second: list[CodedSpan] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(s.start for s in (*self.first, *self.second))

    @property
    def end(self) -> int:
        return max(s.end for s in (*self.first, *self.second))

    @property
    def codes(self) -> list[str]:
        return sorted({s.code for s in (*self.first, *self.second)})

    @property
    def key(self) -> str:
        """Stable identity: the transcript and both sides' spans and codes."""
        parts = [str(self.transcript)]
        for side, spans in (("1", self.first), ("2", self.second)):
            parts += [f"{side}:{s.start}:{s.end}:{s.code}" for s in sorted(spans, key=_order)]
        return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()[:12]


def find_disagreements(spans: Iterable[CodedSpan], first: str, second: str) -> list[Disagreement]:
    """Every place where coder ``first`` and coder ``second`` differ, in text order.

    Only transcripts both coders coded (at least one coding each) are compared:
    elsewhere one of them simply has not started.
    """
    per_doc: dict[int, tuple[list[CodedSpan], list[CodedSpan]]] = defaultdict(lambda: ([], []))
    for s in spans:
        if s.coder == first:
            per_doc[s.transcript][0].append(s)
        elif s.coder == second:
            per_doc[s.transcript][1].append(s)
    out: list[Disagreement] = []
    for tid in sorted(per_doc):
        a, b = per_doc[tid]
        if a and b:
            out += _in_document(tid, a, b)
    return out


def _in_document(tid: int, first: Sequence[CodedSpan], second: Sequence[CodedSpan]) -> list[Disagreement]:
    identical = {(s.start, s.end, s.code) for s in first} & {(s.start, s.end, s.code) for s in second}
    by_code: dict[str, list[tuple[int, CodedSpan]]] = defaultdict(list)
    for side, spans in ((0, first), (1, second)):
        for s in spans:
            if (s.start, s.end, s.code) not in identical:
                by_code[s.code].append((side, s))
    groups: list[list[tuple[int, CodedSpan]]] = []
    for code in sorted(by_code):
        groups += _overlap_groups(by_code[code])
    mixed = [g for g in groups if len({side for side, _ in g}) == 2]
    single = [g for g in groups if len({side for side, _ in g}) == 1]
    found = [_disagreement(tid, BOUNDARIES, g) for g in mixed]
    found += [_disagreement(tid, None, g) for g in _join_across_coders(single)]
    return sorted(found, key=lambda d: (d.start, d.end, d.codes))


def _overlap_groups(items: list[tuple[int, CodedSpan]]) -> list[list[tuple[int, CodedSpan]]]:
    """Connected groups of overlapping spans (one code), by a sweep over the starts."""
    groups: list[list[tuple[int, CodedSpan]]] = []
    reach = -1
    for item in sorted(items, key=lambda it: (it[1].start, it[1].end, it[0])):
        span = item[1]
        if groups and span.start < reach:
            groups[-1].append(item)
            reach = max(reach, span.end)
        else:
            groups.append([item])
            reach = span.end
    return groups


def _join_across_coders(groups: list[list[tuple[int, CodedSpan]]]) -> list[list[tuple[int, CodedSpan]]]:
    """Merge one-coder groups that overlap a one-coder group of the other coder."""
    parent = list(range(len(groups)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    extents = [(min(s.start for _, s in g), max(s.end for _, s in g), g[0][0], i) for i, g in enumerate(groups)]
    extents.sort()
    # A sweep: each group is compared with the open groups it overlaps.
    open_groups: list[tuple[int, int, int, int]] = []
    for start, end, side, i in extents:
        open_groups = [o for o in open_groups if o[1] > start]
        for _o_start, _o_end, o_side, j in open_groups:
            if o_side != side:
                parent[root(i)] = root(j)
        open_groups.append((start, end, side, i))
    joined: dict[int, list[tuple[int, CodedSpan]]] = defaultdict(list)
    for i, g in enumerate(groups):
        joined[root(i)].extend(g)
    return list(joined.values())


def _disagreement(tid: int, kind: str | None, group: list[tuple[int, CodedSpan]]) -> Disagreement:
    first = sorted((s for side, s in group if side == 0), key=_order)
    second = sorted((s for side, s in group if side == 1), key=_order)
    if kind is None:
        kind = CODES if first and second else (ONLY_FIRST if first else ONLY_SECOND)
    return Disagreement(tid, kind, first, second)


def _order(s: CodedSpan) -> tuple[int, int, str]:
    return (s.start, s.end, s.code)
