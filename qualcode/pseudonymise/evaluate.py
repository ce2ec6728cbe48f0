"""Precision and recall of detection against gold-annotated transcripts.

A gold span counts as *found* when a candidate overlaps it (whatever category the
candidate has: the text gets replaced either way) and as *found in its category*
when an overlapping candidate also has the gold category. A candidate counts as
*correct* when it overlaps a gold span. Speaker labels and codebook words must never
be candidates: they are counted separately.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .categories import CATEGORIES, Candidate
from .context import Region
from .gold import GoldTranscript


@dataclass(slots=True)
class DetectionScore:
    gold: int = 0
    found: int = 0  # gold spans overlapped by any candidate
    found_in_category: int = 0
    predicted: int = 0
    correct: int = 0  # candidates overlapping a gold span

    @property
    def recall(self) -> float | None:
        return self.found / self.gold if self.gold else None

    @property
    def category_recall(self) -> float | None:
        return self.found_in_category / self.gold if self.gold else None

    @property
    def precision(self) -> float | None:
        return self.correct / self.predicted if self.predicted else None


@dataclass(slots=True)
class DetectionEvaluation:
    scores: dict[str, DetectionScore] = field(default_factory=lambda: {c: DetectionScore() for c in CATEGORIES})
    label_hits: list[str] = field(default_factory=list)  # candidates inside speaker labels
    vocabulary_hits: list[str] = field(default_factory=list)  # candidates that are codebook words
    misses: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    @property
    def total(self) -> DetectionScore:
        t = DetectionScore()
        for s in self.scores.values():
            t.gold += s.gold
            t.found += s.found
            t.found_in_category += s.found_in_category
            t.predicted += s.predicted
            t.correct += s.correct
        return t


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def evaluate(
    golds: Iterable[GoldTranscript],
    run: Callable[[GoldTranscript], list[Candidate]],
    vocabulary: frozenset[str] = frozenset(),
) -> DetectionEvaluation:
    """Score ``run`` (a transcript's candidates) against the gold spans."""
    ev = DetectionEvaluation()
    for g in golds:
        t = g.transcript
        candidates = run(g)
        region = Region.of(t.text, t.turns)
        for span in g.spans:
            score = ev.scores[span.category]
            score.gold += 1
            hits = [c for c in candidates if _overlaps(c.start, c.end, span.start, span.end)]
            if hits:
                score.found += 1
            else:
                ev.misses.append(f"{t.name}: {span.category} {span.text!r}")
            if any(c.category == span.category for c in hits):
                score.found_in_category += 1
        for c in candidates:
            score = ev.scores[c.category]
            score.predicted += 1
            if any(_overlaps(c.start, c.end, s.start, s.end) for s in g.spans):
                score.correct += 1
            else:
                ev.false_positives.append(f"{t.name}: {c.category} {c.text!r} ({c.source})")
            if not region.contains(c.start, c.end):
                ev.label_hits.append(f"{t.name}: {c.text!r}")
            if c.text.casefold() in vocabulary:
                ev.vocabulary_hits.append(f"{t.name}: {c.text!r}")
    return ev


def format_evaluation(ev: DetectionEvaluation) -> list[str]:
    """A plain table: category, gold, recall, recall in category, precision."""

    def pct(x: float | None) -> str:
        return "   -" if x is None else f"{x:4.2f}"

    lines = [f"{'category':<13} {'gold':>4} {'recall':>6} {'in cat.':>7} {'precision':>9} {'flagged':>7}"]
    for name, s in [*ev.scores.items(), ("all", ev.total)]:
        if s.gold or s.predicted:
            lines.append(
                f"{name:<13} {s.gold:>4} {pct(s.recall):>6} {pct(s.category_recall):>7} {pct(s.precision):>9} {s.predicted:>7}"
            )
    lines.append(f"speaker labels flagged: {len(ev.label_hits)}; codebook words flagged: {len(ev.vocabulary_hits)}")
    return lines
