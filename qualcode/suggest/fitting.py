"""Fitting the combined suggester to a researcher's coding: model plus calibration.

:func:`fit` trains the learned model on all coded sentences (plus the codebook's
own sentences) and calibrates it (:mod:`.combined`) on out-of-fold predictions:
k folds by transcript, each model trained on the other transcripts and scored
on the held-out one. With fewer than two coded transcripts there is nothing to
cross-validate, and the learned model abstains.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from ..errors import NOTHING_TO_TRAIN, QualcodeError
from .combined import Calibration, CalibrationData, Neighbours, ScoreMatrix, calibrated, calibration_data
from .dataset import Labelled
from .learned import MIN_EXAMPLES, LearnedModel, Row, code_counts, encode, sentence_features, train

FOLDS = 5


def features_of(data: Sequence[Labelled]) -> list[list[str]]:
    """The learned model's features for labelled sentences (in transcript order)."""
    return sentence_features([d.sentence for d in data])


def rows_of(data: Sequence[Labelled]) -> list[Row]:
    """The labelled sentences' features encoded (:func:`~.learned.encode`): as
    :func:`~.dataset.labelled_sentences` encoded them, else from their features (their
    sentences in transcript order, whole turns, as the features read them)."""
    if all(d.row is not None for d in data):
        return [d.row for d in data]
    return encode(features_of(data))


def learnable(data: Sequence[Labelled], minimum: int = MIN_EXAMPLES) -> list[str]:
    """Codes with enough coded sentences to be learned at all."""
    return sorted(code for code, n in code_counts([d.gold for d in data]).items() if n >= minimum)


def folds_of(data: Sequence[Labelled], folds: int, order: int = 0) -> dict[int, int]:
    """Transcript id -> fold number (round robin over the sorted ids).

    ``order``: 0, the ids in their order; another number, shuffled by it first (the same
    shuffle every time), another assignment of the transcripts to folds. With a handful
    of coded transcripts the split alone moves cross-validated figures by more than
    many an idea does (on the sample project's six, leaf F1 0.330-0.349 over five
    assignments under the definitions codebook), so benchmarks average over several."""
    transcripts = sorted({d.transcript_id for d in data})
    if order:
        random.Random(order).shuffle(transcripts)
    k = min(folds, len(transcripts))
    return {tid: i % k for i, tid in enumerate(transcripts)} if k >= 2 else {}


def train_on(
    data: Sequence[Labelled],
    feats: Sequence[Sequence[str]],
    extra: Sequence[Labelled] = (),
    extra_feats: Sequence[Sequence[str]] = (),
    rows: Sequence[Row] | None = None,
    **kwargs,
) -> LearnedModel | None:
    """Train on coded sentences plus the codebook's, or None when no code has enough examples.

    Which codes are learned is decided by the researcher's coding alone: the
    codebook's sentences add vocabulary, not codes. ``rows``: all of those
    sentences encoded (:func:`~.learned.encode`), when already done.
    """
    codes = set(learnable(data))
    if not codes:
        return None
    sentences = [*feats, *extra_feats]
    labels = [d.gold for d in data] + [d.gold & codes for d in extra]
    try:
        return train(sentences, labels, rows=rows, **kwargs)
    except QualcodeError as exc:
        if exc.code != NOTHING_TO_TRAIN.code:
            raise
        return None


def out_of_fold(
    data: Sequence[Labelled],
    feats: Sequence[Sequence[str]],
    fold_of: dict[int, int],
    extra: Sequence[Labelled] = (),
    extra_feats: Sequence[Sequence[str]] = (),
    *,
    should_cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    rows: Sequence[Row] | None = None,
) -> ScoreMatrix:
    """Learned scores for every sentence from a model that did not see its transcript.

    ``rows``: ``feats`` then ``extra_feats`` encoded (:func:`~.learned.encode`), when
    already done; encoded once, they serve every fold.
    """
    if rows is None:
        rows = encode([*feats, *extra_feats])
    extra_rows = rows[len(data) :]
    found: list[tuple[list[int], list[str], Any]] = []  # per fold: its sentences, its model's codes, their scores
    k = len(set(fold_of.values()))
    for fold in range(k):
        if should_cancel is not None and should_cancel():
            break
        if progress is not None:
            progress(fold, k, f"cross-validation fold {fold + 1} of {k}")
        train_idx = [i for i, d in enumerate(data) if fold_of[d.transcript_id] != fold]
        test_idx = [i for i, d in enumerate(data) if fold_of[d.transcript_id] == fold]
        model = train_on(
            [data[i] for i in train_idx],
            [feats[i] for i in train_idx],
            extra,
            extra_feats,
            rows=[*(rows[i] for i in train_idx), *extra_rows],
        )
        if model is None:
            continue
        found.append((test_idx, model.codes, model.matrix_of([rows[i] for i in test_idx])))
    import numpy

    # One matrix, not a dict per sentence: a tenth of the memory (the codes sorted, as
    # each model's are, so that every sentence's dict has its keys in the model's order).
    codes = sorted({code for _, learned, _ in found for code in learned})
    place = {code: j for j, code in enumerate(codes)}
    # The models score in float32: kept so (exactly), half the memory of float64.
    exact = all(scores.dtype == numpy.float32 for _, _, scores in found)
    matrix = numpy.full((len(data), len(codes)), numpy.nan, dtype=numpy.float32 if exact else numpy.float64)
    for test_idx, learned, scores in found:
        matrix[numpy.ix_(test_idx, [place[c] for c in learned])] = scores
    return ScoreMatrix(codes, matrix)


def calibrate(
    data: Sequence[Labelled],
    scores: Sequence[dict[str, float]] | None,
    codes: Iterable[str],
    threshold: float,
    folds: int = 0,
    family: Mapping[str, str] | None = None,
) -> Calibration:
    """:func:`~qualcode.suggest.combined.calibration_from` for labelled sentences."""
    return calibrated(prepare(data, scores, codes, family), threshold, folds)


def prepare(
    data: Sequence[Labelled],
    scores: Sequence[dict[str, float]] | None,
    codes: Iterable[str],
    family: Mapping[str, str] | None = None,
) -> CalibrationData:
    """What :func:`calibrate` needs before the threshold, for calibrating the same
    sentences at several (:func:`~qualcode.suggest.combined.calibrated`)."""
    return calibration_data(
        [d.gold for d in data],
        [d.sentence.content for d in data],
        [d.sentence.hits for d in data],
        scores,
        codes,
        learnable(data),
        groups=[d.transcript_id for d in data],
        neighbours=passages_of(data),
        family=family,
    )


def passages_of(data: Sequence[Labelled]) -> Neighbours:
    """:class:`~.combined.Neighbours` of the labelled sentences: those of their turn."""
    return Neighbours(len(data), lambda i: (data[i].transcript_id, data[i].sentence.turn))


def fit(data: Sequence[Labelled], codes: Iterable[str], threshold: float, **options) -> tuple[LearnedModel | None, Calibration]:
    """The model trained on everything and its calibration from cross-validation
    (:func:`fit_with_scores`, same options, without the scores)."""
    model, calibration, _ = fit_with_scores(data, codes, threshold, **options)
    return model, calibration


def fit_with_scores(
    data: Sequence[Labelled],
    codes: Iterable[str],
    threshold: float,
    *,
    extra: Sequence[Labelled] = (),
    folds: int = FOLDS,
    family: Mapping[str, str] | None = None,
    should_cancel: Callable[[], bool] | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    release_rows: bool = False,
    **info,
) -> tuple[LearnedModel | None, Calibration, ScoreMatrix | None]:
    """:func:`fit`, also returning the out-of-fold scores its calibration came from
    (None without cross-validation), so that other thresholds can be calibrated too.
    ``release_rows``: the data's encoded features (``row``) are let go once read (a
    caller that fits on them once)."""
    codes = list(codes)
    rows = [*rows_of(data), *rows_of(extra)]  # once for all the models below
    # Encoded, the features written out are read no more: the models below only count them
    # (a list of strings per sentence was a tenth of a first run's memory at 100,000 sentences).
    feats: list[Sequence[str]] = [()] * len(data)
    extra_feats: list[Sequence[str]] = [()] * len(extra)
    fold_of = folds_of(data, folds)
    scores = None
    if fold_of and learnable(data):
        scores = out_of_fold(data, feats, fold_of, extra, extra_feats, should_cancel=should_cancel, progress=progress, rows=rows)
    # The final model before the calibration, which then has the memory to itself: the
    # rows go (with ``release_rows``, the data's too), and so do the model's training arrays.
    model = train_on(data, feats, extra, extra_feats, rows=rows, should_cancel=should_cancel, **info)
    del rows
    if release_rows:
        for d in data:
            d.row = None
    calibration = calibrate(data, scores, codes, threshold, len(set(fold_of.values())), family)
    if model is not None:
        model.info.calibration = calibration.to_dict()
    return model, calibration, scores
