"""How far to trust suggestions: every suggester scored against the human coding.

The unit is the respondent sentence of a coded transcript; a sentence is
positive for a code when a coding of that code lines up with it
(:func:`~qualcode.suggest.segments.labels_for`). Scores are from :mod:`.metrics`.

* **Rules** as they are: the codebook's hints against every coded sentence.
* **Learned** and **combined** are cross-validated in k folds *by transcript*:
  each fold's model is trained on the other transcripts and scored on the
  held-out one. Folds by transcript, because sentences of one interview share a
  speaker, a topic and often one coding: a model tested on interviews it has
  seen would look better than it will on the next one. The combined suggester
  is what ``qualcode suggest`` proposes: its per-code choices (learned or rules,
  thresholds, hint trust) for a fold are made from the out-of-fold scores of
  the *other* folds, never from the fold being scored.
* **Top level**: the same predictions with every code rolled up to its top-level
  code (a sentence coded ``doorverwijzing_drempels`` counts for ``doorverwijzing``).
* **Learning curve**: trained (and calibrated) on 1, 2, 3, … coded transcripts,
  scored on all the others, so a researcher sees when the learned part starts to
  help. Each point pools up to :data:`CURVE_DRAWS` draws (the transcripts taken in
  turn from different places in their order): with one draw a point says more about
  which transcripts were left to score than about how many were learned from.

The learned report also sweeps the threshold over its raw scores, and the
combined suggester is scored at each ``suggestion_threshold`` in :data:`TARGETS`
(recalibrated for each, by the same folds): the precision a researcher can ask
for and the recall it costs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Codebook
from ..errors import NOT_CODED_FOR_EVALUATION, NOTHING_TO_EVALUATE, error
from ..project import Project, opened
from ..store import Store
from .analysis import interviewer_note
from .combined import Calibration, ScoreMatrix, calibrated, cap_per_turn, combine, context_of, extend_runs
from .dataset import Labelled, codebook_sentences, coded_transcripts, labelled_sentences
from .fitting import calibrate, fit, fit_with_scores, folds_of, learnable, out_of_fold, prepare, rows_of
from .metrics import Score, SuggesterReport, report
from .pipeline import Pipeline, load_pipeline
from .rules import NAME as RULES
from .rules import RuleSuggester
from .training import MAX_TRAINING_SENTENCES, codable_codes, top_level

TARGETS = (0.0, 0.2, 0.3, 0.4, 0.5, 0.65)  # suggestion_threshold values the combined suggester is scored at
SWEEP = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
COMBINED = "combined"
CURVE_POINTS = 8  # at most this many points on the learning curve
CURVE_FOLDS = 3  # calibration folds inside each learning-curve step
CURVE_DRAWS = 3  # draws of n transcripts pooled in a learning-curve point (projects up to CURVE_DRAWN_SENTENCES)
CURVE_DRAWN_SENTENCES = 5_000  # larger projects draw once per point: each draw trains CURVE_FOLDS + 1 models
# The curve trains (CURVE_FOLDS + 1) models per point: past this many sentences it
# would take minutes, and a project that size is past the point where it matters.
CURVE_MAX_SENTENCES = 20_000


@dataclass(slots=True)
class CurvePoint:
    """The figures after training on ``transcripts`` coded transcripts (``draws`` draws pooled)."""

    transcripts: int
    sentences: int  # training sentences (the mean of the draws)
    learned_codes: int  # codes the combined suggester lets the model propose (the mean of the draws)
    combined: SuggesterReport
    rules: SuggesterReport
    draws: int = 1


@dataclass(slots=True)
class SuggestEvaluation:
    """The result of ``qualcode suggest --evaluate``."""

    rules: SuggesterReport | None
    learned: SuggesterReport | None
    folds: int
    sentences: int
    transcripts: int
    threshold: float
    sweep: list[tuple[float, float | None, float | None, float | None]] = field(default_factory=list)  # (t, P, R, F1)
    notes: list[str] = field(default_factory=list)
    combined: SuggesterReport | None = None
    top_level: list[SuggesterReport] = field(default_factory=list)  # rules and combined, rolled up
    curve: list[CurvePoint] = field(default_factory=list)
    calibration: Calibration | None = None  # from all coded transcripts: what a run would use
    targets: list[tuple[float, Score, Score]] = field(default_factory=list)  # (threshold, leaf micro, top-level micro)
    held_out: int = 0  # transcripts scored each by a model trained and calibrated on all the others (0: not so)


def evaluate_project(
    project: Project | Path,
    *,
    folds: int = 5,
    curve: bool = True,
    held_out: Collection[int] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    fold_order: int = 0,
) -> SuggestEvaluation:
    """Evaluate rules, learned and combined suggesters on the project's coding.

    ``held_out``: score only these (coded) transcripts, each by a model trained and
    calibrated on all the other coded transcripts (see :func:`evaluate`);
    ``fold_order``: which assignment of the transcripts to folds cross-validates
    (:func:`~.fitting.folds_of`'s ``order``; 0: the usual one)."""
    with opened(project) as proj:
        coded = coded_transcripts(proj.store)
        if held_out is not None:
            names = proj.store.transcripts.names()
            for tid in set(held_out) - set(coded):
                raise error(NOT_CODED_FOR_EVALUATION, name=names.get(tid, tid))
        progress = progress or (lambda done, total, what: None)
        progress(0, 1, "loading the spaCy pipeline")
        pipeline = load_pipeline(proj.config.spacy_model)
        rules = RuleSuggester(pipeline, proj.codebook)
        progress(0, 1, "analysing the coded transcripts")
        codes = codable_codes(proj.codebook)
        data = _bounded_data(proj.store, pipeline, rules, codes, coded, held_out or (), should_cancel)
        if not any(d.gold for d in data):
            raise error(NOTHING_TO_EVALUATE)
        extra = codebook_sentences(proj.codebook, pipeline, rules)
        result = evaluate(
            data, codes, rules.codes, proj.codebook, proj.config.suggestion_threshold,
            extra=extra, folds=folds, curve=curve, held_out=held_out, progress=progress, should_cancel=should_cancel,
            fold_order=fold_order,
        )  # fmt: skip
        result.notes[:0] = rules.warnings
        asked = interviewer_note(proj.store, {d.transcript_id for d in data})
        if asked:
            result.notes.append(asked)
        taken = len({d.transcript_id for d in data})
        if taken < len(coded):
            result.notes.append(
                f"evaluated on {taken} of the {len(coded)} coded transcripts, spread over the project:"
                f" {len(data):,} sentences, as many as training reads (more would add little and need more memory)"
            )
        no_hints = [c for c in codes if c not in rules.codes and any(c in d.gold for d in data)]
        if no_hints:
            result.notes.append(f"rules: no hints for {', '.join(no_hints)} (not in the rules table)")
        return result


def _bounded_data(
    store: Store,
    pipeline: Pipeline,
    rules: RuleSuggester,
    codes: Sequence[str],
    coded: Sequence[int],
    held_out: Collection[int],
    should_cancel: Callable[[], bool] | None,
) -> list[Labelled]:
    """The labelled sentences of the coded transcripts, as many as training reads at most
    (:data:`~.training.MAX_TRAINING_SENTENCES`, a sample spread over the project): the
    ``held_out`` ones always, the others up to the limit; in transcript order either way."""
    first = [t for t in coded if t in held_out]
    data = labelled_sentences(store, pipeline, rules, codes, first, should_cancel=should_cancel, keep=()) if first else []
    room = MAX_TRAINING_SENTENCES - len(data)
    others = [t for t in coded if t not in held_out]
    if room > 0 and others:
        data += labelled_sentences(store, pipeline, rules, codes, others, limit=room, should_cancel=should_cancel, keep=())
    if first:
        position = {tid: i for i, tid in enumerate(coded)}
        data.sort(key=lambda d: position[d.transcript_id])  # stable: a transcript's sentences stay in order
    return data


def evaluate(
    data: Sequence[Labelled],
    codes: Sequence[str],
    rule_codes: Sequence[str],
    codebook: Codebook,
    threshold: float,
    *,
    extra: Sequence[Labelled] = (),
    folds: int = 5,
    curve: bool = True,
    test: Sequence[Labelled] | None = None,
    held_out: Collection[int] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    fold_order: int = 0,
) -> SuggestEvaluation:
    """The evaluation of labelled sentences: cross-validated on ``data``; or, with
    ``test``, trained and calibrated on ``data`` and scored on ``test`` (held-out
    transcripts); or, with ``held_out`` (transcript ids), only those transcripts of
    ``data`` scored, each by a model trained and calibrated on all the others
    (folds by transcript, one fit each; no learning curve). ``fold_order``: the
    assignment of transcripts to the cross-validation's folds (:func:`~.fitting.folds_of`)."""
    if test is not None and held_out is not None:
        raise ValueError("evaluate: test or held_out, not both")
    if held_out is not None:
        by_transcript: dict[int, list[Labelled]] = {}
        for d in data:
            if d.transcript_id in held_out:
                by_transcript.setdefault(d.transcript_id, []).append(d)
        scored = [d for tid in sorted(by_transcript) for d in by_transcript[tid]]
    else:
        scored = list(test) if test is not None else list(data)
    result = SuggestEvaluation(
        rules=evaluate_rules(scored, rule_codes),
        learned=None,
        folds=0,
        sentences=len(scored),
        transcripts=len({d.transcript_id for d in scored}),
        threshold=threshold,
    )
    codable = set(codes)
    top = top_level(codebook)
    tops = sorted(set(top.values()), key=[c.id for c in codebook.walk()].index)
    gold = [d.gold for d in scored]
    gold_top = _roll(gold, top)  # read by every top-level report

    def at_targets(predict_at: Callable[[float], list[set[str]]]) -> None:
        for target in TARGETS:
            found = predict_at(target)
            result.targets.append(
                (
                    target,
                    report(COMBINED, gold, found, codes).micro,
                    report(COMBINED, gold_top, _roll(found, top), tops).micro,
                )
            )

    if test is not None or held_out is not None:
        # Each part of ``scored`` from a model trained and calibrated on the rest:
        # ``test`` as a whole on ``data``; each ``held_out`` transcript on all the others.
        parts = [(list(data), scored)] if test is not None else [
            ([d for d in data if d.transcript_id != tid], by_transcript[tid]) for tid in sorted(by_transcript)
        ]  # fmt: skip
        scores: Sequence[dict[str, float]]
        collected: list[dict[str, float]] = []
        predicted: list[set[str]] = []
        found: dict[float, list[set[str]]] = {t: [] for t in TARGETS}
        for n, (train, part) in enumerate(parts):
            if should_cancel is not None and should_cancel():
                break  # what is left proposes nothing: the caller discards a cancelled evaluation
            if progress is not None and test is None:
                progress(n, len(parts), f"held-out transcript {n + 1} of {len(parts)}: training on the others")
            model, calibration, oof = fit_with_scores(
                train, codes, threshold, extra=extra, folds=folds, family=top, should_cancel=should_cancel
            )
            part_scores = model.scores_of(rows_of(part)) if model is not None else [{} for _ in part]
            collected.extend(part_scores)
            predicted.extend(predict(part, part_scores, calibration, threshold, codable))
            prepared = prepare(train, oof, codes, top)  # once for every target
            for t in TARGETS:
                found[t].extend(predict(part, part_scores, calibrated(prepared, t, calibration.folds), t, codable))
            result.folds = calibration.folds
            if test is not None:
                result.calibration = calibration  # what a run trained on ``data`` would use
        left = len(scored) - len(collected)  # cancelled: the rest proposes nothing
        collected.extend({} for _ in range(left))
        scores = collected
        for proposed in (predicted, *found.values()):
            proposed.extend(set() for _ in range(left))
        if held_out is not None:
            result.held_out = len(parts)
        note = "trained on other transcripts"
        at_targets(found.__getitem__)
    else:
        fold_of = folds_of(data, folds, fold_order)
        learn = learnable(data)
        scores = [{} for _ in data]
        if not fold_of:
            result.notes.append("learned: cross-validation needs at least 2 coded transcripts")
        elif not learn:
            result.notes.append("learned: no code has enough coded sentences yet")
        else:
            # One matrix, each sentence's dict made when read (a dict per sentence was most
            # of the memory of an evaluation at 1,000 interviews); each fold's taken apart.
            scores = out_of_fold(
                data,
                [()] * len(data),  # encoded below: the models only count them
                fold_of,
                extra,
                [()] * len(extra),
                progress=progress,
                should_cancel=should_cancel,
                rows=[*rows_of(data), *rows_of(extra)],
            )
        result.folds = len(set(fold_of.values()))

        def cross_validated(targets: Sequence[float]) -> list[dict[int, set[str]]]:
            """Per target, what is proposed for each sentence that has proposals (by index),
            calibrated on the other folds."""
            found: list[dict[int, set[str]]] = [{} for _ in targets]
            fold_ids: list[int | None] = [*sorted(set(fold_of.values()))]
            for fold in fold_ids or [None]:  # None: no folds, everything at once
                inside = [i for i, d in enumerate(data) if fold is None or fold_of[d.transcript_id] == fold]
                outside = [i for i, d in enumerate(data) if fold is not None and fold_of[d.transcript_id] != fold]
                # What the calibrations are chosen from, worked out once for every target.
                prepared = prepare([data[i] for i in outside], _taken(scores, outside), codes, top)
                # The fold's scores as dicts once, read by every target's prediction.
                held_out, held_out_scores = [data[i] for i in inside], list(_taken(scores, inside))
                for target, into in zip(targets, found, strict=True):
                    proposed = predict(held_out, held_out_scores, calibrated(prepared, target), target, codable)
                    into.update((i, p) for i, p in zip(inside, proposed, strict=True) if p)
                del prepared  # before the next fold's: one at a time in memory
            return found

        def every(found: dict[int, set[str]]) -> list[set[str]]:
            return [found.get(i) or set() for i in range(len(data))]

        first, *at = cross_validated([threshold, *TARGETS])
        predicted = every(first)
        at_targets(lambda t: every(at[TARGETS.index(t)]))
        result.calibration = calibrate(data, scores if fold_of and learn else None, codes, threshold, result.folds, top)
        note = f"{result.folds} folds by transcript"
    learn_codes = learnable(data)
    if any(scores):
        _sweep(result, gold, scores, learn_codes)
        result.learned = report("learned", gold, _above(scores, threshold), learn_codes, note)
    result.combined = report(COMBINED, gold, predicted, codes, note)
    result.top_level = [
        report(RULES, gold_top, _roll([d.sentence.hits.keys() for d in scored], top), tops, "top level"),
        report(COMBINED, gold_top, _roll(predicted, top), tops, "top level"),
    ]
    if curve and test is None and held_out is None:
        if len(data) > CURVE_MAX_SENTENCES:
            result.notes.append(
                f"learning curve left out: {len(data):,} coded-transcript sentences (it is drawn up to {CURVE_MAX_SENTENCES:,})"
            )
        else:
            result.curve = learning_curve(
                data, codes, rule_codes, threshold, extra=extra, family=top, should_cancel=should_cancel
            )
    return result


def predict(
    data: Sequence[Labelled], scores: Sequence[dict[str, float]], calibration: Calibration, threshold: float, codable: set[str]
) -> list[set[str]]:
    """What the combined suggester proposes for each sentence (its runs carried on over
    their passages, :func:`~.combined.extend_runs`; then the cap per turn)."""
    near = context_of([d.sentence for d in data])
    # As a suggestion run does: each code's learned threshold read once, and each hint's
    # rule score and reasons worked out once for the calibration (combine's memo).
    learned_codes = {c: calibration.get(c).threshold for c in calibration.learned}
    memo: dict = {}
    proposed = [
        combine(
            d.sentence.hits,
            d.sentence.content,
            s,
            calibration,
            threshold,
            codable,
            near=n,
            learned_codes=learned_codes,
            memo=memo,
        )  # fmt: skip
        for d, s, n in zip(data, scores, near, strict=True)
    ]
    turns: list[Hashable] = [(d.transcript_id, d.sentence.turn) for d in data]
    hits = [d.sentence.hits for d in data]
    proposed = extend_runs(turns, hits, proposed, calibration, lambda i: data[i].sentence.content, scores=scores)
    return [set(p) for p in cap_per_turn(turns, proposed)]


def learning_curve(
    data: Sequence[Labelled],
    codes: Sequence[str],
    rule_codes: Sequence[str],
    threshold: float,
    *,
    extra: Sequence[Labelled] = (),
    family: Mapping[str, str] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> list[CurvePoint]:
    """Train and calibrate on n coded transcripts, score on the others; each point pools
    up to :data:`CURVE_DRAWS` draws of n transcripts (consecutive in their order, each
    draw starting at another place of it), one for projects past :data:`CURVE_DRAWN_SENTENCES`."""
    transcripts = sorted({d.transcript_id for d in data})
    steps = list(range(1, len(transcripts)))
    if len(steps) > CURVE_POINTS:
        steps = sorted({round(1 + i * (len(steps) - 1) / (CURVE_POINTS - 1)) for i in range(CURVE_POINTS)})
    draws = min(CURVE_DRAWS, len(transcripts)) if len(data) <= CURVE_DRAWN_SENTENCES else 1
    out: list[CurvePoint] = []
    for n in steps:
        scored: list[Labelled] = []  # every draw's test sentences, in turn
        predicted: list[set[str]] = []
        sentences = learned = 0
        for draw in range(draws):
            if should_cancel is not None and should_cancel():
                return out
            first = draw * len(transcripts) // draws
            seen = {transcripts[(first + i) % len(transcripts)] for i in range(n)}
            train = [d for d in data if d.transcript_id in seen]
            test = [d for d in data if d.transcript_id not in seen]
            model, calibration = fit(train, codes, threshold, extra=extra, folds=CURVE_FOLDS, family=family)
            scores = model.scores_of(rows_of(test)) if model is not None else [{} for _ in test]
            scored += test
            predicted += predict(test, scores, calibration, threshold, set(codes))
            sentences += len(train)
            learned += len(calibration.learned)
        combined = report(COMBINED, [d.gold for d in scored], predicted, codes)
        out.append(
            CurvePoint(n, round(sentences / draws), round(learned / draws), combined, evaluate_rules(scored, rule_codes), draws)
        )
    return out


def evaluate_rules(data: Sequence[Labelled], codes: Sequence[str]) -> SuggesterReport:
    """The rule suggester's hits against the human codes, per code with hints."""
    return report(RULES, [d.gold for d in data], [set(d.sentence.hits) for d in data], codes)


def _taken(scores: Sequence[dict[str, float]], indices: list[int]) -> Sequence[dict[str, float]]:
    """The scores of the sentences at ``indices``: a :class:`~.combined.ScoreMatrix`'s rows
    as one (its dicts made when read), else the dicts themselves."""
    if isinstance(scores, ScoreMatrix):
        return ScoreMatrix(scores.codes, scores.matrix[indices])
    return [scores[i] for i in indices]


def _above(scores: Sequence[dict[str, float]], threshold: float) -> list[set[str]]:
    """Per sentence, the codes whose learned score reaches ``threshold``. Of a
    :class:`~.combined.ScoreMatrix`, read from the matrix, the many sentences with none
    sharing one empty set (read only): a set and a dict per sentence and threshold were
    the peak of an evaluation's memory at 1,000 interviews."""
    if not isinstance(scores, ScoreMatrix):
        return [{c for c, v in s.items() if v >= threshold} for s in scores]
    import numpy

    with numpy.errstate(invalid="ignore"):  # NaN: no score, reaches nothing
        reached = scores.matrix >= numpy.float64(threshold)  # compared as the dicts' floats are
    none: set[str] = set()
    out = [none] * len(scores)
    codes = scores.codes
    rows, columns = numpy.nonzero(reached)
    for i, j in zip(rows.tolist(), columns.tolist(), strict=True):  # by row, then column: the codes' order
        if out[i] is none:
            out[i] = set()
        out[i].add(codes[j])
    return out


def _sweep(result: SuggestEvaluation, gold: list[set[str]], scores: Sequence[dict[str, float]], codes: list[str]) -> None:
    for t in SWEEP:
        micro = report("learned", gold, _above(scores, t), codes).micro
        result.sweep.append((t, micro.precision, micro.recall, micro.f1))


def _roll(labels: Sequence, top: dict[str, str]) -> list[AbstractSet[str]]:
    """Each sentence's codes rolled up to their top-level codes (read only: the sentences
    without codes, most of them, share one empty set, and the same codes one rolled set)."""
    none: AbstractSet[str] = frozenset()
    rolled: dict[frozenset[str], AbstractSet[str]] = {}
    out: list[AbstractSet[str]] = []
    for label in labels:
        if not label:
            out.append(none)
            continue
        key = frozenset(label)
        families = rolled.get(key)
        if families is None:
            families = rolled[key] = frozenset(top.get(c, c) for c in key)
        out.append(families)
    return out
