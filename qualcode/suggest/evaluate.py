"""How far to trust suggestions: both suggesters scored against the human coding.

The unit is the respondent sentence of a coded transcript; a sentence is
positive for a code when a coding of that code lines up with it
(:func:`~qualcode.suggest.segments.labels_for`). Scores are from :mod:`.metrics`.

* **Rules** are evaluated as they are: the codebook's hints against every coded
  sentence, for the codes that have hints.
* **Learned** is cross-validated in k folds *by transcript*: the model is trained
  on the other transcripts' sentences and tested on the held-out ones, and the
  predictions of all folds are scored together. Folds by transcript, not by
  sentence, because sentences of one interview share a speaker, a topic and
  often one coding: a model tested on sentences from interviews it has seen
  would look better than it will on the next interview. With fewer transcripts
  than folds there are as many folds as transcripts (leave-one-out); with one
  coded transcript there is no cross-validation.

The learned report also sweeps the threshold, so a researcher can see what
``suggestion_threshold`` in ``qualcode.yaml`` would buy.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NOTHING_TO_EVALUATE, NOTHING_TO_TRAIN, QualcodeError, error
from ..project import Project, opened
from .dataset import Labelled, labelled_sentences
from .learned import MIN_EXAMPLES, LearnedModel, code_counts, features, train
from .metrics import Report, report
from .pipeline import load_pipeline
from .rules import NAME as RULES, RuleSuggester
from .training import codable_codes

SWEEP = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(slots=True)
class Evaluation:
    """The result of ``qualcode suggest --evaluate``."""

    rules: Report | None
    learned: Report | None
    folds: int
    sentences: int
    transcripts: int
    threshold: float
    sweep: list[tuple[float, float | None, float | None, float | None]] = field(default_factory=list)  # (t, P, R, F1)
    notes: list[str] = field(default_factory=list)


def evaluate_project(
    project: Project | Path,
    *,
    folds: int = 5,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> Evaluation:
    """Evaluate the rule suggester and cross-validate the learned one on the project's coding."""
    with opened(project) as proj:
        progress = progress or (lambda done, total, what: None)
        progress(0, 1, "loading the spaCy pipeline")
        pipeline = load_pipeline(proj.config.spacy_model)
        rules = RuleSuggester(pipeline, proj.codebook)
        progress(0, 1, "analysing the coded transcripts")
        codes = codable_codes(proj.codebook)
        data = labelled_sentences(proj.store, pipeline, rules, codes, should_cancel=should_cancel)
        if not any(d.gold for d in data):
            raise error(NOTHING_TO_EVALUATE)
        result = Evaluation(
            rules=evaluate_rules(data, rules.codes),
            learned=None,
            folds=0,
            sentences=len(data),
            transcripts=len({d.transcript_id for d in data}),
            threshold=proj.config.suggestion_threshold,
        )
        result.notes.extend(rules.warnings)
        no_hints = [c for c in codes if c not in rules.codes and c in code_counts([d.gold for d in data])]
        if no_hints:
            result.notes.append(f"rules: no hints for {', '.join(no_hints)} (not in the rules table)")
        cross_validate(data, result, folds, progress=progress, should_cancel=should_cancel)
        return result


def evaluate_rules(data: Sequence[Labelled], codes: Sequence[str]) -> Report:
    """The rule suggester's hits against the human codes, per code with hints."""
    return report(RULES, [d.gold for d in data], [set(d.sentence.hits) for d in data], codes)


def learned_codes(data: Sequence[Labelled]) -> list[str]:
    """Codes with enough coded sentences to be learned at all."""
    return sorted(code for code, n in code_counts([d.gold for d in data]).items() if n >= MIN_EXAMPLES)


def cross_validate(
    data: Sequence[Labelled],
    result: Evaluation,
    folds: int,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> None:
    """k-fold cross-validation by transcript of the learned suggester; fills ``result``."""
    transcripts = sorted({d.transcript_id for d in data})
    k = min(folds, len(transcripts))
    codes = learned_codes(data)
    if k < 2:
        result.notes.append("learned: cross-validation needs at least 2 coded transcripts")
        return
    if not codes:
        result.notes.append(f"learned: no code has {MIN_EXAMPLES} coded sentences yet")
        return
    fold_of = {tid: i % k for i, tid in enumerate(transcripts)}
    scores: list[dict[str, float]] = [{} for _ in data]
    trained_in: dict[str, int] = {}
    for fold in range(k):
        if progress:
            progress(fold, k, f"cross-validation fold {fold + 1} of {k}")
        if should_cancel is not None and should_cancel():
            result.notes.append("learned: cancelled")
            return
        train_idx = [i for i, d in enumerate(data) if fold_of[d.transcript_id] != fold]
        test_idx = [i for i, d in enumerate(data) if fold_of[d.transcript_id] == fold]
        try:
            model = _train_on([data[i] for i in train_idx])
        except QualcodeError as exc:
            if exc.code != NOTHING_TO_TRAIN.code:
                raise
            continue  # this fold's training part has no code with enough examples
        for code in model.codes:
            trained_in[code] = trained_in.get(code, 0) + 1
        for i, s in zip(test_idx, _scores(model, [data[i] for i in test_idx]), strict=True):
            scores[i] = s
    result.folds = k
    result.learned = _learned_report(data, scores, codes, result)
    short = [f"{c} ({trained_in.get(c, 0)}/{k})" for c in codes if trained_in.get(c, 0) < k]
    result.learned.note = f"{k} folds by transcript"
    if short:
        result.notes.append(
            "learned: too few examples to train in every fold for " + ", ".join(short) + " (folds trained / folds)"
        )


def train_and_test(train_data: Sequence[Labelled], test_data: Sequence[Labelled], threshold: float) -> Evaluation:
    """Train on one set of sentences and score on another (e.g. held-out transcripts)."""
    codes = learned_codes(train_data)
    result = Evaluation(
        rules=None,
        learned=None,
        folds=1,
        sentences=len(test_data),
        transcripts=len({d.transcript_id for d in test_data}),
        threshold=threshold,
    )
    model = _train_on(train_data)
    result.learned = _learned_report(test_data, _scores(model, test_data), codes, result)
    result.learned.note = "trained on other transcripts"
    return result


def _train_on(data: Sequence[Labelled]) -> LearnedModel:
    return train([features(d.sentence.words, d.sentence.hits) for d in data], [d.gold for d in data])


def _scores(model: LearnedModel, data: Sequence[Labelled]) -> list[dict[str, float]]:
    return model.scores([features(d.sentence.words, d.sentence.hits) for d in data])


def _learned_report(data: Sequence[Labelled], scores: Sequence[dict[str, float]], codes: list[str], result: Evaluation) -> Report:
    gold = [d.gold for d in data]

    def predicted(threshold: float) -> list[set[str]]:
        return [{c for c, v in s.items() if v >= threshold} for s in scores]

    for threshold in SWEEP:
        micro = report("learned", gold, predicted(threshold), codes).micro
        result.sweep.append((threshold, micro.precision, micro.recall, micro.f1))
    return report("learned", gold, predicted(result.threshold), codes)
