"""Settling disagreements into a consensus coder: decide, undo, resume.

A review compares two coders (A and B). Where they agree exactly (same span and
code) the consensus coder gets the coding when the review starts. Every
disagreement (:mod:`.disagreements`) is then settled by a decision:

* ``first`` / ``second`` - keep A's / B's codings there;
* ``both`` - keep both (one coding where they are identical);
* ``neither`` - the consensus has no coding there;
* ``adjusted`` - the team's own span, with the codes in question (or others).

The consensus codings carry the originals' memos (both joined), are saved at
once, each decision in one transaction, and a decision can be undone (exactly
the codings it added are removed). Decisions are keyed by the disagreement's
stable key, so a review resumes at the first place nobody has settled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ..coding import check_code, coding_parts, locate, trim_span
from ..errors import BAD_DECISION, NO_DISAGREEMENT, SPAN_BESIDE_DISAGREEMENT, SPAN_BEYOND_DISAGREEMENT, error
from ..model import MANUAL, Coding
from ..project import Project
from ..store import ConsensusDecision
from .coders import consensus_coder
from .disagreements import Disagreement
from .study import project_disagreements

FIRST = "first"
SECOND = "second"
BOTH = "both"
NEITHER = "neither"
ADJUSTED = "adjusted"
DECISIONS = (FIRST, SECOND, BOTH, NEITHER, ADJUSTED)


@dataclass(slots=True)
class Review:
    """The disagreements of two coders and the decisions taken on them so far."""

    first: str
    second: str
    consensus: str
    items: list[Disagreement]
    decisions: dict[str, ConsensusDecision] = field(default_factory=dict)
    agreed_copied: int = 0  # agreed codings given to the consensus coder when the review opened

    def decision(self, item: Disagreement) -> ConsensusDecision | None:
        return self.decisions.get(item.key)

    @property
    def settled(self) -> int:
        return sum(1 for item in self.items if item.key in self.decisions)

    def next_open(self, after: int = -1) -> int | None:
        """The index of the first unsettled disagreement after ``after`` (wrapping), or None."""
        n = len(self.items)
        for step in range(1, n + 1):
            i = (after + step) % n
            if self.items[i].key not in self.decisions:
                return i
        return None

    def find(self, key: str) -> Disagreement:
        for item in self.items:
            if item.key == key:
                return item
        raise error(NO_DISAGREEMENT, key=key, first=self.first, second=self.second)


def open_review(
    project: Project, *, coders: Sequence[str] = (), transcripts: Sequence[str] = (), codes: Sequence[str] = ()
) -> Review:
    """Find the disagreements, copy the agreed codings to the consensus coder, read the decisions."""
    consensus = consensus_coder(project.store)
    # No coders named: the two with codings, as `disagreements` picks them (not every name in
    # the coders table: whoever settled a disagreement is there too, with no coding).
    (first, second), found = project_disagreements(project, coders=coders, transcripts=transcripts, codes=codes)
    items = list(found)
    review = Review(first, second, consensus, items)
    review.agreed_copied = copy_agreed(project, first, second, consensus, {i.transcript for i in items} or None)
    review.decisions = project.store.team.decisions(first, second)
    return review


def copy_agreed(project: Project, first: str, second: str, consensus: str, transcript_ids=None) -> int:
    """Give the consensus coder every coding both coders made identically; returns how many were new."""
    store = project.store
    a = {(c.transcript_id, c.start, c.end, c.code_id): c for c in store.codings.find(coders=[first])}
    b = {(c.transcript_id, c.start, c.end, c.code_id): c for c in store.codings.find(coders=[second])}
    rows = [_consensus(a[k], consensus, _joined(a[k].memo, b[k].memo)) for k in a.keys() & b.keys()]
    return store.codings.add_many(sorted(rows, key=lambda c: (c.transcript_id, c.start, c.end, c.code_id)))


def settle(
    project: Project,
    review: Review,
    item: Disagreement,
    decision: str,
    *,
    decided_by: str,
    span: tuple[int, int] | None = None,
    codes: Sequence[str] | None = None,
    wider: bool = False,
) -> tuple[ConsensusDecision, list[Coding]]:
    """Record ``decision`` on ``item`` and write its consensus codings (one transaction).

    ``adjusted`` needs ``span``; its codes default to the codes in question. The span may
    reach beyond the disagreement within the turns it is in (:func:`beyond` says how far);
    into other turns only with ``wider`` (a typed '34:2000' for '34:200' coded turns of the
    interviewer's too). Deciding again replaces the earlier decision.
    """
    if decision not in DECISIONS:
        raise error(BAD_DECISION, decision=decision, choices=", ".join(DECISIONS))
    if decision == ADJUSTED and span is None:
        raise error(BAD_DECISION, decision=decision, choices="adjusted needs a span START:END")
    if decision != ADJUSTED and (span is not None or codes):
        raise error(BAD_DECISION, decision=f"{decision} with a span or codes", choices="a span goes with 'adjusted'")
    store = project.store
    originals = {
        (c.coder, c.start, c.end, c.code_id): c
        for c in store.codings.find(item.transcript, coders=[review.first, review.second], overlapping=(item.start, item.end))
    }

    def memo(spans) -> str | None:
        memos = [
            originals[(s.coder, s.start, s.end, s.code)].memo for s in spans if (s.coder, s.start, s.end, s.code) in originals
        ]
        return _joined(*memos)

    wanted: dict[tuple[int, int, str], list] = {}
    if decision in (FIRST, BOTH):
        for s in item.first:
            wanted.setdefault((s.start, s.end, s.code), []).append(s)
    if decision in (SECOND, BOTH):
        for s in item.second:
            wanted.setdefault((s.start, s.end, s.code), []).append(s)
    if decision == ADJUSTED:
        assert span is not None  # refused above
        text = store.transcripts.text(item.transcript)
        # Checked and cut as `qualcode code --span` does it: reversed, negative or too long, each
        # says so; a span over several turns is a coding per turn, never with a speaker label.
        start, end = locate(store, item.transcript, span=span, transcript_text=text)
        parts = [trim_span(text, s, e) for s, e in coding_parts(store, item.transcript, start, end, text=text)]
        if end <= item.start or start >= item.end:  # a typo ('7520:7600' for '752:1116') coded elsewhere
            raise error(
                SPAN_BESIDE_DISAGREEMENT, start=start, end=end, key=item.key, first=item.start, last=item.end,
                transcript=store.transcripts.name(item.transcript),
            )  # fmt: skip
        turns_start, turns_end = turns_of(project, item)
        if not wider and (start < turns_start or end > turns_end):
            raise error(
                SPAN_BEYOND_DISAGREEMENT, start=start, end=end, key=item.key, first=item.start, last=item.end,
                transcript=store.transcripts.name(item.transcript), turns_start=turns_start, turns_end=turns_end,
                parts=len(parts),
            )  # fmt: skip
        for code in codes or ():
            check_code(project.codebook, code)  # the codes in question may have left the codebook since; a new one may not
        for code in codes or item.codes:
            same = [s for s in (*item.first, *item.second) if s.code == code]
            for part in parts:
                wanted[(part[0], part[1], code)] = same
    rows = [
        Coding(None, item.transcript, start, end, code, review.consensus, "", memo=memo(spans), origin=MANUAL)
        for (start, end, code), spans in sorted(wanted.items())
    ]
    decided, added = store.team.decide(item.key, review.first, review.second, item.transcript, decision, rows, decided_by)
    review.decisions[item.key] = decided
    return decided, added


def turns_of(project: Project, item: Disagreement) -> tuple[int, int]:
    """Where the turns a disagreement is in begin and end (its own span where it lies outside
    every turn, e.g. a heading both coded)."""
    touched = [t for t in project.store.transcripts.turns(item.transcript) if t.start < item.end and t.end > item.start]
    return min([item.start, *(t.start for t in touched)]), max([item.end, *(t.end for t in touched)])


def beyond(item: Disagreement, span: tuple[int, int]) -> tuple[int, int]:
    """How many characters a team's span reaches before and after the disagreement (0, 0: within it)."""
    return max(0, item.start - span[0]), max(0, span[1] - item.end)


def undo(project: Project, review: Review, item: Disagreement) -> list[Coding] | None:
    """Take back the decision on ``item``; returns the consensus codings removed (None: nothing to undo)."""
    taken = project.store.team.undecide(item.key, review.first, review.second)
    review.decisions.pop(item.key, None)
    return None if taken is None else taken[1]


def _consensus(c: Coding, consensus: str, memo: str | None) -> Coding:
    return Coding(None, c.transcript_id, c.start, c.end, c.code_id, consensus, c.quote, memo=memo, origin=c.origin)


def _joined(*memos: str | None) -> str | None:
    distinct = list(dict.fromkeys(m.strip() for m in memos if m and m.strip()))
    return "\n\n".join(distinct) or None
