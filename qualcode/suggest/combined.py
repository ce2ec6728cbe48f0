"""One ranked list: the rules and the learned model combined into one score per sentence and code.

What the researcher's own coding decides, per code (:func:`calibrate`, by
cross-validation by transcript, so every figure is measured on interviews the
model did not see):

* **Which source speaks.** The learned model proposes a code only when it has at
  least :data:`~qualcode.suggest.learned.MIN_EXAMPLES` coded sentences *and* its
  cross-validated F1 for that code beats the rules' F1 on the same sentences.
  Otherwise the code's hints do (or nothing, for a code without hints). While
  little is coded, the learned model abstains.
* **How far a hint is trusted.** A hint's score is its precision on the coded
  sentences, smoothed towards :data:`PRIOR` (one right and one wrong guess
  before any coding: 0.5), so a hint the researcher keeps disagreeing with sinks
  below the threshold and stops being proposed. Several hints matching one
  sentence add up (``1 - (1 - p)^n``).
* **The threshold.** A learned code gets the threshold that gave it the best
  cross-validated F1 (:data:`THRESHOLDS`); a rule code the project's
  ``suggestion_threshold``.

The learned model itself sees the hints as features, so a hint it has learned
to distrust lowers its score: evidence from both sources ends in one number.

Never proposed: non-content sentences (:func:`~qualcode.suggest.segments.is_content`),
and more than :data:`MAX_PER_TURN` suggestions in one turn (the best ones stay).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .metrics import Counts, f1

LEARNED = "learned"
RULES = "rules"
PRIOR = (1.0, 1.0)  # (right, wrong) guesses a hint starts with: precision 0.5 before any coding
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)
MAX_PER_TURN = 3  # suggestions kept per turn (runs of sentences count once)
MIN_GAIN = 0.05  # the learned F1 must be above the rules' F1 by more than this (noise on a few interviews)


@dataclass(slots=True)
class CodeCalibration:
    """What cross-validation on the researcher's coding said about one code."""

    code: str
    source: str = RULES  # RULES or LEARNED: who proposes this code
    threshold: float = 0.3
    rule_right: int = 0  # coded sentences where a hint matched and the code was given
    rule_wrong: int = 0  # ... and it was not
    positives: int = 0  # coded sentences with this code
    rules_f1: float | None = None
    learned_f1: float | None = None

    @property
    def rule_precision(self) -> float:
        right, wrong = PRIOR
        return (self.rule_right + right) / (self.rule_right + self.rule_wrong + right + wrong)


@dataclass(slots=True)
class Calibration:
    """Per code: source, threshold and hint precision (saved with the model)."""

    codes: dict[str, CodeCalibration] = field(default_factory=dict)
    folds: int = 0

    def get(self, code: str) -> CodeCalibration:
        found = self.codes.get(code)
        return found if found is not None else CodeCalibration(code)

    @property
    def learned(self) -> list[str]:
        return sorted(c for c, cal in self.codes.items() if cal.source == LEARNED)

    def to_dict(self) -> dict[str, Any]:
        return {"folds": self.folds, "codes": {c: asdict(cal) for c, cal in self.codes.items()}}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> Calibration:
        if not data:
            return cls()
        return cls({c: CodeCalibration(**v) for c, v in data.get("codes", {}).items()}, int(data.get("folds", 0)))


@dataclass(slots=True)
class Proposal:
    """One code proposed for one sentence: its combined score and why."""

    score: float
    sources: set[str]
    reasons: list[str]


def calibration_from(
    gold: Sequence[set[str]],
    content: Sequence[bool],
    hits: Sequence[Iterable[str]],
    scores: Sequence[Mapping[str, float]] | None,
    codes: Iterable[str],
    learnable: Iterable[str],
    threshold: float,
    folds: int = 0,
) -> Calibration:
    """The calibration from held-out predictions: ``scores`` are out-of-fold learned
    scores (None: no model), ``learnable`` the codes with enough examples."""
    learnable = set(learnable)
    out = Calibration(folds=folds)
    codes = list(codes)
    cals = {code: CodeCalibration(code, threshold=threshold) for code in codes}
    rule = {code: Counts() for code in codes}
    # One pass over the sentences, touching only the codes each one has (a pass
    # per code and threshold took most of an evaluation at 72,000 sentences).
    learned_scores: dict[str, list[tuple[float, bool]]] = {code: [] for code in codes if scores is not None and code in learnable}
    for i, (g, c, h) in enumerate(zip(gold, content, hits, strict=True)):
        for code in g:
            if code in cals:
                cals[code].positives += 1
                if not (c and code in h):
                    rule[code].fn += 1
        if c:
            for code in h:
                if code in rule:
                    if code in g:
                        rule[code].tp += 1
                    else:
                        rule[code].fp += 1
            if scores is not None:
                for code, value in scores[i].items():
                    if code in learned_scores and value >= THRESHOLDS[0]:
                        learned_scores[code].append((value, code in g))
    for code in codes:
        cal, counts = cals[code], rule[code]
        cal.rule_right, cal.rule_wrong = counts.tp, counts.fp
        # The rules as they would propose: only while the hint's precision clears the threshold.
        cal.rules_f1 = f1(counts) if cal.rule_precision >= threshold else f1(Counts(fn=counts.tp + counts.fn))
        if code in learned_scores:
            best: tuple[float, float] | None = None
            for t in THRESHOLDS:
                tp = sum(1 for value, positive in learned_scores[code] if value >= t and positive)
                fp = sum(1 for value, positive in learned_scores[code] if value >= t and not positive)
                value = f1(Counts(tp=tp, fp=fp, fn=cal.positives - tp)) or 0.0
                if best is None or value > best[0]:
                    best = (value, t)
            assert best is not None
            cal.learned_f1 = best[0]
            if best[0] > (cal.rules_f1 or 0.0) + MIN_GAIN:
                cal.source, cal.threshold = LEARNED, best[1]
        out.codes[code] = cal
    return out


def combine(
    hits: Mapping[str, list[str]],
    content: bool,
    scores: Mapping[str, float] | None,
    calibration: Calibration,
    threshold: float,
    codable: set[str],
    *,
    explain: Callable[[str], str] | None = None,
) -> dict[str, Proposal]:
    """The codes proposed for one sentence, each with one score and its reasons.

    ``explain(code)`` gives the words behind a learned score (optional: it costs
    a few model calls, so it is asked only for what is proposed).
    """
    if not content:
        return {}
    out: dict[str, Proposal] = {}
    for code, reasons in hits.items():
        cal = calibration.get(code)
        if code not in codable or cal.source == LEARNED:
            continue
        p = cal.rule_precision
        score = 1 - (1 - p) ** len(reasons)
        if score >= threshold:
            seen = cal.rule_right + cal.rule_wrong
            trust = (
                f"this hint was right in {cal.rule_right} of {seen} coded sentences"
                if seen
                else "no coded sentence to check this hint against yet"
            )
            out[code] = Proposal(score, {RULES}, [f"rule: {r}" for r in reasons] + [trust])
    for code, score in (scores or {}).items():
        cal = calibration.get(code)
        if code not in codable or cal.source != LEARNED or score < cal.threshold:
            continue
        why = explain(code) if explain is not None else ""
        reason = f"learned from {cal.positives} coded sentences" + (f": {why}" if why else "") + f" (score {score:.2f})"
        sources = {LEARNED} | ({RULES} if code in hits else set())
        rule_reasons = [f"rule: {r}" for r in hits.get(code, ())]
        out[code] = Proposal(score, sources, [reason, *rule_reasons])
    return out


def cap_per_turn(
    turns: Sequence[Hashable], proposed: Sequence[dict[str, Proposal]], limit: int = MAX_PER_TURN
) -> list[dict[str, Proposal]]:
    """Keep at most ``limit`` suggestions per turn, the highest scores first.

    A run of adjacent sentences proposing the same code is one suggestion (it is
    stored as one), scored by its best sentence.
    """
    out: list[dict[str, Proposal]] = [dict(p) if p else p for p in proposed]
    runs: dict[Hashable, list[tuple[float, str, list[int]]]] = {}
    open_runs: dict[str, tuple[Hashable, list[int], float]] = {}  # code -> (turn, sentences, best)

    def close(code: str) -> None:
        turn, members, best = open_runs.pop(code)
        runs.setdefault(turn, []).append((best, code, members))

    for i, (turn, found) in enumerate(zip(turns, proposed, strict=True)):
        if not found and not open_runs:
            continue  # most sentences propose nothing
        if open_runs:
            for code in [c for c, (t, members, _) in open_runs.items() if t != turn or members[-1] != i - 1 or c not in found]:
                close(code)
        for code, proposal in found.items():
            if code in open_runs:
                t, members, best = open_runs[code]
                open_runs[code] = (t, [*members, i], max(best, proposal.score))
            else:
                open_runs[code] = (turn, [i], proposal.score)
    for code in list(open_runs):
        close(code)
    for candidates in runs.values():
        candidates.sort(key=lambda r: (-r[0], r[2][0], r[1]))
        for _, code, members in candidates[limit:]:
            for i in members:
                out[i].pop(code, None)
    return out
