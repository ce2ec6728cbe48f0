"""Agreement between suggestions and human coding: precision, recall, F1, Cohen's kappa.

Pure Python, no spaCy. The unit is a sentence; for each code, every sentence is a
2x2 case (coded by the human or not, suggested or not).

* precision = tp / (tp + fp): how many suggestions were right;
* recall = tp / (tp + fn): how much of the human coding was found;
* F1 = 2 tp / (2 tp + fp + fn);
* Cohen's kappa = (po - pe) / (1 - pe), with po the observed agreement and pe the
  agreement expected by chance from both sides' rates: agreement beyond chance,
  which matters when a code is rare and "never suggest" already agrees 95 %.

A figure that is undefined (no suggestions: no precision; no human codings: no
recall; both never say yes: no kappa) is ``None``, shown as a dash, never a
made-up 0 or 1.

Micro averages pool the counts of all codes (frequent codes weigh more); macro
averages are the plain mean over the codes whose figure is defined.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass


@dataclass(slots=True)
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def support(self) -> int:
        """Sentences the human coded with the code."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        return self.tp + self.fp


def precision(c: Counts) -> float | None:
    return c.tp / (c.tp + c.fp) if c.tp + c.fp else None


def recall(c: Counts) -> float | None:
    return c.tp / (c.tp + c.fn) if c.tp + c.fn else None


def f1(c: Counts) -> float | None:
    denominator = 2 * c.tp + c.fp + c.fn
    return 2 * c.tp / denominator if denominator else None


def kappa(c: Counts) -> float | None:
    """Cohen's kappa of the 2x2 table (None when chance agreement is already total)."""
    n = c.n
    if n == 0:
        return None
    observed = (c.tp + c.tn) / n
    yes = ((c.tp + c.fp) / n) * ((c.tp + c.fn) / n)
    no = ((c.fn + c.tn) / n) * ((c.fp + c.tn) / n)
    expected = yes + no
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


@dataclass(slots=True)
class Score:
    """The figures of one code (or of an average row)."""

    code: str
    counts: Counts
    precision: float | None
    recall: float | None
    f1: float | None
    kappa: float | None

    @classmethod
    def of(cls, code: str, counts: Counts) -> Score:
        return cls(code, counts, precision(counts), recall(counts), f1(counts), kappa(counts))


@dataclass(slots=True)
class SuggesterReport:
    """Per-code scores plus the micro and macro averages of one suggester."""

    suggester: str
    codes: list[Score]
    micro: Score
    macro: Score
    sentences: int
    note: str = ""


def report(
    suggester: str,
    gold: Sequence[AbstractSet[str]],
    predicted: Sequence[AbstractSet[str]],
    codes: Iterable[str],
    note: str = "",
) -> SuggesterReport:
    """Score ``predicted`` against ``gold`` (one label set per sentence) for ``codes``.

    One pass over the sentences touching only the codes each one has (a pass per
    code cost minutes at 72,000 sentences); true negatives are what is left.
    """
    codes = list(codes)
    tally = {code: Counts() for code in codes}
    for g, p in zip(gold, predicted, strict=True):
        for code in g | p if p else g:
            c = tally.get(code)
            if c is None:
                continue
            if code in g:
                if code in p:
                    c.tp += 1
                else:
                    c.fn += 1
            else:
                c.fp += 1
    n = len(gold)
    for c in tally.values():
        c.tn = n - c.tp - c.fp - c.fn
    scores = [Score.of(code, tally[code]) for code in codes]
    pooled = Counts()
    for s in scores:
        pooled.add(s.counts)
    macro = Score(
        "macro",
        pooled,
        _mean(s.precision for s in scores),
        _mean(s.recall for s in scores),
        _mean(s.f1 for s in scores),
        _mean(s.kappa for s in scores),
    )
    return SuggesterReport(suggester, scores, Score.of("micro", pooled), macro, len(gold), note)


def _mean(values: Iterable[float | None]) -> float | None:
    defined = [v for v in values if v is not None]
    return sum(defined) / len(defined) if defined else None
