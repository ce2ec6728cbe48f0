"""The learned suggester: a small text classifier trained on the project's own coding.

* **Data.** Every respondent sentence of every transcript that has at least one
  coding is an example (a transcript nobody has coded yet says nothing about what
  is *not* a code). A sentence is positive for each code whose coding lines up
  with it (:func:`~qualcode.suggest.segments.labels_for`); all other sentences are
  its negatives. Only codes with at least :data:`MIN_EXAMPLES` positive sentences
  are learned. The codebook's descriptions, criteria and examples are added as
  positive sentences of their code (:func:`~qualcode.suggest.dataset.codebook_sentences`:
  cross-validated F1 on the sample project 0.22 -> 0.27).
* **Features** (:func:`features`): the sentence's *lemmas* without stop words, so
  ``moeders`` and ``moeder`` are one feature, plus one ``rule:<code>`` feature per
  code whose codebook hints matched the sentence. With the few dozen examples a
  project has, the hints are the strongest evidence there is; the model learns
  how far this researcher agrees with each of them, and which other words go
  with each code. (Cross-validated on the sample project, adding the hint
  features roughly doubled micro F1 over lemmas alone; bigrams did not help.)
  :func:`sentence_features` adds the hints of the previous sentence of the turn and
  the lemmas of the interviewer's question the turn answers (``q:<lemma>``: the
  question names the topic that an answer's own words often leave out).
* **Model.** One logistic regression per code over the sentence's binary
  features (a linear model: CPU-only, trains in a second, needs no word vectors,
  deterministic), fitted by full-batch gradient descent with momentum and a
  light L2 penalty (:func:`train`), in numpy. Full-batch steps move a feature's
  weight by how often it occurs, so a word seen once or twice stays small. It
  replaced spaCy's ``textcat_multilabel`` (``TextCatBOW``, minibatch Adam), whose
  per-weight step sizes let rare words grow as fast as common ones: cross-validated
  on the sample project (5 folds by transcript), the learned part alone went from
  micro F1 0.31 to 0.40 at its best threshold, the combined suggester 0.395 -> 0.405
  (leaf) and 0.443 -> 0.453 (top level), its precision 0.40 -> 0.42. (300 steps with
  momentum scored as 1,000 plain ones; L2 1e-5 to 1e-3 alike.)
* **Imbalance.** A code is typically found in a few percent of the sentences, so
  scores stay low; each code gets its own threshold from cross-validation
  (:mod:`.combined`). (Weighting the coded sentences up or down in training moved
  cross-validated F1 by less than 0.02 either way, so it is not done. Measured again
  with the question's lemmas, combined leaf / top-level F1, mean of 3, 5 and 6 folds,
  against 0.451 / 0.504: coded sentences weighted 0.5, 2 and 4 times 0.442 / 0.494,
  0.444 / 0.501, 0.444 / 0.502 -- the learned part alone gains recall, 0.18 -> 0.22-0.25,
  which the combined list does not keep; L2 1e-3 and 1e-5 0.452 / 0.506, 0.447 /
  0.500; 100 and 1,000 steps 0.452 / 0.505, 0.443 / 0.498; a naive Bayes model in
  place of the regression, tempered or not, 0.415-0.431 / 0.467-0.477.)
* **Training** reads each sentence's features as hashed ids, encoded once
  (:func:`encode`) and shared by the models of a fit.
* **On disk.** ``.qualcode/model/`` next to ``qualcode.db`` (git-ignored): the
  weights (``weights.npz``: the hashed features seen in training, a weight per
  feature and code, a bias per code) and ``meta.json`` (codes, example counts, the
  codings it saw, its calibration). It is
  retrained on request and when :data:`RETRAIN_AFTER` codings were added or
  removed since (see :func:`needs_training`).
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from itertools import accumulate, chain, pairwise
from pathlib import Path
from typing import Any

from ..atomic import atomic_directory
from ..errors import MODEL_UNREADABLE, NOTHING_TO_TRAIN, error
from ..store import now

NAME = "learned"
MIN_EXAMPLES = 8  # positive sentences a code needs before it is learned
RETRAIN_AFTER = 10  # codings added or removed since the last training
MODEL_DIR = Path(".qualcode") / "model"
FEATURES = "lemma-stop-rules-previous-question-logreg-8"  # change when features or calibration change: old models are retrained
STEPS = 300  # full-batch gradient steps (with MOMENTUM: as good as 1,000 plain ones on the sample project)
LEARN_RATE = 0.5  # per step, on the mean gradient
MOMENTUM = 0.9
L2 = 1e-4  # penalty on the weights (not the biases)
BATCH_LIMIT = 6_000  # sentences per gradient step at most (bigger projects: parts in turn)
WEIGHTS = "weights.npz"
RULE_FEATURE = "rule:"
PREVIOUS_FEATURE = "prev:"  # a hint that matched the previous sentence of the same turn
QUESTION_FEATURE = "q:"  # a lemma of the interviewer's question before the turn


@dataclass(slots=True)
class ModelInfo:
    """What a trained model knows about its training (saved as meta.json)."""

    codes: dict[str, int]  # code id -> positive sentences
    sentences: int
    transcripts: int
    codings: int  # codings in the store when it was trained
    max_coding_id: int
    trained_at: str = ""
    seconds: float = 0.0  # the whole training of a project's model (see training.train_project), else train()'s
    features: str = FEATURES
    spacy: str = ""
    skipped: dict[str, int] = field(default_factory=dict)  # codes with too few examples
    calibration: dict[str, Any] = field(default_factory=dict)  # Calibration.to_dict(): per-code source and threshold
    sampled_from: int = 0  # coded transcripts in the project when training took a spread sample of them (0: all)


class LearnedModel:
    """A trained classifier: sentence features in, a score per learned code out.

    ``keys``: the hashed features seen in training, sorted; ``weights``: one row per
    key and a last row of zeros for any other feature, one column per code;
    ``bias``: one per code.
    """

    name = NAME

    def __init__(self, keys: Any, weights: Any, bias: Any, info: ModelInfo) -> None:
        self.keys = keys
        self.weights = weights
        self.bias = bias
        self.info = info
        self._columns = {code: i for i, code in enumerate(info.codes)}  # each code's column in ``weights``
        self._row_of: dict[int, int] | None = None  # hashed feature id -> its row (for explain)
        self._column_weights: dict[int, list[float]] = {}  # column -> its weights as floats (for explain)

    @property
    def codes(self) -> list[str]:
        return list(self.info.codes)

    def scores(self, sentences: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """One ``{code: score}`` per sentence, given as its :func:`features`: the rows of
        :func:`encode`, joined without an array per sentence."""

        if not sentences:
            return []
        return self._dicts(self.score_matrix(sentences))

    def score_matrix(self, sentences: Sequence[Sequence[str]]) -> Any:
        """:meth:`scores` as an array: a row per sentence, a column per code (:attr:`codes`)."""
        import numpy

        rows = _distinct_ids(sentences)
        flat = numpy.fromiter(chain.from_iterable(rows), dtype=numpy.uint64, count=sum(map(len, rows)))
        return self._matrix(flat, _starts(rows))

    def score_ids(self, sentences: Sequence[Collection[int]]) -> Any:
        """:meth:`score_matrix` for sentences given as their distinct hashed feature ids
        in any order (:func:`sentence_ids`): the same scores to the bit.

        The ids of all sentences are put in order (by sentence, then id) by one sort
        of whole numbers, not one sort per sentence: each id stands for its place among
        the sorted ``keys`` (a feature seen in training: twice its row plus one; an
        unseen one, which adds the row of zeros: twice the row of the next key). So each
        sentence's rows are summed in the order :meth:`score_matrix` sums them.
        """
        import numpy

        lengths = numpy.fromiter(map(len, sentences), dtype=numpy.int64, count=len(sentences))
        if not len(lengths):
            return numpy.zeros((0, len(self.info.codes)), dtype=self.weights.dtype)
        flat = numpy.fromiter(chain.from_iterable(sentences), dtype=numpy.uint64, count=int(lengths.sum()))
        n = len(self.keys)
        at = numpy.searchsorted(self.keys, flat).astype(numpy.int64)
        seen = self.keys[numpy.minimum(at, n - 1)] == flat if n else numpy.zeros(len(flat), dtype=bool)
        width = 2 * n + 2
        order = numpy.sort(numpy.repeat(numpy.arange(len(lengths), dtype=numpy.int64) * width, lengths) + 2 * at + seen)
        place = order % width
        rows = numpy.where(place % 2 == 1, place // 2, n)
        starts = numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))
        return _sigmoid(numpy.add.reduceat(self.weights[rows], starts, axis=0) + self.bias)

    def scores_of(self, rows: Sequence[Row]) -> list[dict[str, float]]:
        """:meth:`scores` for sentences already encoded (:func:`encode`)."""
        return self._dicts(self.matrix_of(rows)) if rows else []

    def matrix_of(self, rows: Sequence[Row]) -> Any:
        """:meth:`scores_of` as a matrix: a row per sentence, a column per code of :attr:`codes`."""
        import numpy

        if not rows:
            return numpy.zeros((0, len(self.info.codes)), dtype=self.weights.dtype)
        return self._matrix(numpy.concatenate(rows), _starts(rows))

    def _matrix(self, flat: Any, starts: Any) -> Any:
        """The scores of sentences whose feature ids are joined in ``flat``, each one
        beginning at its entry of ``starts``: a row per sentence, a column per code."""
        import numpy

        return _sigmoid(numpy.add.reduceat(self.weights[self._rows(flat)], starts, axis=0) + self.bias)

    def _dicts(self, matrix: Any) -> list[dict[str, float]]:
        codes = self.codes
        return [dict(zip(codes, row, strict=True)) for row in matrix.tolist()]

    def explain(self, sentence: Sequence[str], code: str, top: int = 3) -> list[str]:
        """The features of ``sentence`` that raise ``code``'s score most: the largest drops
        of its score when each one is left out in turn (a feature that occurs twice
        leaves nothing out), at most ``top`` of them, each a drop of more than 0.01.

        The model being linear, leaving feature *f* out takes its weight *w* off the
        sum *z* the score is ``sigmoid(z)`` of: the drop is ``sigmoid(z) - sigmoid(z - w)``,
        worked out here instead of scoring the sentence again once per feature.
        """
        words = list(sentence)
        column = self._columns.get(code)
        if len(words) < 2 or column is None:
            return []
        ids = [_feature_id(w) for w in words]
        seen = Counter(ids)
        # The weights looked up in plain lists (a run explains a few hundred sentences:
        # numpy's per-call cost was most of it), built at the first explanation.
        if self._row_of is None:
            self._row_of = {key: row for row, key in enumerate(self.keys.tolist())}
        weights = self._column_weights.get(column)
        if weights is None:
            weights = self._column_weights[column] = self.weights[:, column].tolist()
        row_of, unseen = self._row_of, len(self.keys)  # unseen in training: the row of zeros
        weight = {i: weights[row_of.get(i, unseen)] for i in sorted(seen)}
        z = sum(weight.values()) + float(self.bias[column])
        base = _logistic(z)
        # Only drops of more than 0.01 are told, and those come first in any order by drop:
        # a feature of weight 0 or less (no drop) or one that occurs twice is not worked out.
        drops = sorted(
            (
                (drop, w)
                for w, i in zip(words, ids, strict=True)
                if seen[i] == 1 and weight[i] > 0 and (drop := base - _logistic(z - weight[i])) > 0.01
            ),
            reverse=True,
        )
        return [w for _, w in drops[:top]]

    def _rows(self, flat: Any) -> Any:
        """The row of ``weights`` for each hashed feature id (the row of zeros if unseen in training)."""
        import numpy

        if not len(self.keys):
            return numpy.zeros(len(flat), dtype=numpy.int64)
        at = numpy.minimum(numpy.searchsorted(self.keys, flat), len(self.keys) - 1)
        return numpy.where(self.keys[at] == flat, at, len(self.keys))

    def save(self, folder: Path) -> None:
        """Write the model to ``folder`` via a temporary folder: never half a model."""
        import numpy

        with atomic_directory(Path(folder)) as tmp:
            with (tmp / WEIGHTS).open("wb") as handle:
                numpy.savez(handle, keys=self.keys, weights=self.weights, bias=self.bias)
            (tmp / "meta.json").write_text(json.dumps(asdict(self.info), indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path, *, info: ModelInfo | None = None) -> LearnedModel:
        """Load a saved model or raise a clear error (the caller may retrain instead);
        ``info``: its meta data, if the caller read it already (:func:`read_info`)."""
        import numpy

        folder = Path(folder)
        info = read_info(folder) if info is None else info
        try:
            with numpy.load(folder / WEIGHTS, allow_pickle=False) as saved:
                keys, weights, bias = saved["keys"], saved["weights"], saved["bias"]
            if keys.dtype != numpy.uint64 or keys.ndim != 1:  # hashed feature ids, sorted (see encode)
                raise ValueError(f"its feature ids are {keys.dtype} of {keys.ndim} dimension(s), not 64-bit whole numbers")
            if not (numpy.issubdtype(weights.dtype, numpy.floating) and numpy.issubdtype(bias.dtype, numpy.floating)):
                raise ValueError(f"its weights are {weights.dtype} and {bias.dtype}, not numbers")
            if weights.shape != (len(keys) + 1, len(info.codes)) or bias.shape != (len(info.codes),):
                raise ValueError(f"weights of shape {weights.shape} for {len(keys)} features and {len(info.codes)} codes")
            if not (numpy.isfinite(weights).all() and numpy.isfinite(bias).all()):  # training makes none
                raise ValueError("some of its weights are not numbers (NaN) or infinite")
        # EOFError: numpy's word for an empty file (uncaught, click would print a bare "Aborted!")
        except (OSError, EOFError, ValueError, TypeError, KeyError, zipfile.BadZipFile) as exc:
            raise error(MODEL_UNREADABLE, path=folder, reason=exc) from None
        return cls(keys, weights, bias, info)


def read_info(folder: Path) -> ModelInfo:
    """The meta data saved with the model in ``folder`` (``meta.json``), every value of the
    type it must have; else the MODEL_UNREADABLE error (the caller may retrain instead)."""
    from .saved import from_saved

    path = Path(folder) / "meta.json"
    try:
        return from_saved(ModelInfo, json.loads(path.read_text(encoding="utf-8")), what="meta.json")
    except (OSError, ValueError, RecursionError) as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise error(MODEL_UNREADABLE, path=folder, reason=exc) from None


Row = Any  # one sentence as the classifier reads it: its distinct hashed feature ids, sorted (numpy uint64)


def encode(sentences: Sequence[Sequence[str]], cache: dict[str, int] | None = None) -> list[Row]:
    """Each sentence's features (:func:`features`) as distinct hashed ids, sorted.

    Encoded once, the rows are shared by all models of a fit (:mod:`.fitting`). The
    ids are 64-bit BLAKE2 hashes of the features: the same in every process (a saved
    model keeps them). A feature counts once however often it occurs (counts scored
    no better on the sample project). ``cache``: each feature's id, kept by a caller
    that encodes many parts.
    """
    import numpy

    ids = _distinct_ids(sentences, cache)
    # One array for all, each sentence's row a view of it: an array of its own per
    # sentence (its data apart) was most of the memory of 100,000 encoded sentences.
    lengths = [len(row) for row in ids]
    flat = numpy.fromiter(chain.from_iterable(ids), dtype=numpy.uint64, count=sum(lengths))
    edges = list(accumulate(lengths, initial=0))
    return [flat[a:b] for a, b in pairwise(edges)]


def _distinct_ids(sentences: Sequence[Sequence[str]], cache: dict[str, int] | None = None) -> list[list[int]]:
    """Each sentence's hashed feature ids, distinct and sorted (as plain ints: a small
    numpy array per sentence costs more than the sorting)."""
    if cache is None:
        cache = {}
    out = []
    for words in sentences:
        ids = set()
        for w in words or ["_"]:
            h = cache.get(w)
            if h is None:
                h = cache[w] = _feature_id(w)
            ids.add(h)
        out.append(sorted(ids))
    return out


@lru_cache(maxsize=1 << 16)  # explaining a run's scores asks for the same few thousand again and again
def _feature_id(feature: str) -> int:
    """A feature's hashed id (64-bit BLAKE2: the same in every process)."""
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest(), "little")


def _logistic(z: float) -> float:
    """:func:`_sigmoid` of one number."""
    return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0


def _starts(rows: Sequence[Row]) -> Any:
    """Where each row begins in the rows joined (every row has at least one id)."""
    import numpy

    lengths = numpy.fromiter((len(r) for r in rows), dtype=numpy.int64, count=len(rows))
    return numpy.concatenate(([0], numpy.cumsum(lengths)[:-1]))


class _Part:
    """Some of the training sentences (``which``) as a gradient step reads them:
    their features' columns (indices into ``keys``) joined, where each sentence
    starts, the features present, and the joined features sorted by column."""

    __slots__ = ("columns", "starts", "present", "sentence_of", "key_starts", "truth")

    def __init__(self, rows: Sequence[Row], truth: Any, which: Any, keys: Any) -> None:
        import numpy

        chosen = [rows[i] for i in which.tolist()]
        flat = numpy.concatenate(chosen)
        # Positions as int32 (a model's features and a part's sentences are far fewer than
        # 2**31): every part of a model is held while it trains, half the memory of int64.
        self.columns = numpy.searchsorted(keys, flat).astype(numpy.int32)
        self.starts = _starts(chosen)
        order = numpy.argsort(self.columns, kind="stable")
        ordered = self.columns[order]
        self.key_starts = numpy.flatnonzero(numpy.r_[True, ordered[1:] != ordered[:-1]]).astype(numpy.int32)
        self.present = ordered[self.key_starts]
        lengths = numpy.diff(numpy.append(self.starts, len(flat)))
        self.sentence_of = numpy.repeat(numpy.arange(len(chosen), dtype=numpy.int32), lengths)[order]
        self.truth = truth[which]


def _sigmoid(z: Any) -> Any:
    import numpy

    return 1.0 / (1.0 + numpy.exp(-z))


def features(words: Sequence[str], rule_codes: Iterable[str] = (), context: Iterable[str] = ()) -> list[str]:
    """The classifier's input for one sentence: content lemmas, hint features and
    ``context`` features (already prefixed, see :func:`sentence_features`)."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    out = [w for w in words if w not in STOP_WORDS]
    out.extend(RULE_FEATURE + code for code in sorted(rule_codes))
    out.extend(context)
    return out or ["_"]


def sentence_features(sentences: Sequence[Any]) -> list[list[str]]:
    """:func:`features` for a transcript's sentences in order, with their context:
    the hints that matched the previous sentence of the same turn
    (``prev:rule:...``), since a coded passage often runs over several sentences.

    Measured by cross-validation on the sample project (micro F1 of the learned
    part at its best threshold): lemmas and hints 0.27; plus the previous
    sentence's hints 0.30; plus the lemmas of the interviewer's question 0.24;
    plus the hints of the whole turn 0.24. So the question and the turn are left out.
    Measured again (combined micro F1 leaf / top level, mean of 3, 5 and 6 folds).
    With the logistic regression and one code per sentence (0.410 / 0.458): the next
    sentence's hints 0.414 / 0.461, the turn's hints 0.393 / 0.439, the turn's
    top-level families 0.405 / 0.453, the previous sentence's lemmas 0.409 / 0.454.
    With the logistic regression alone (0.405 / 0.454): five-letter endings of long
    words (compound heads) 0.402 / 0.447. With the spaCy model (0.396 / 0.444): the
    interviewer's question's hints 0.392 / 0.442, their top-level families
    0.405 / 0.449. Noise at best (a few sentences either way): left out.
    Measured again (mean of 3, 5 and 6 folds; kept: 0.410 / 0.458): the lemmas of the
    whole turn 0.419 / 0.464; each coded passage of 2+ sentences as one more example
    0.412 / 0.459; the codebook's sentences three times 0.414 / 0.462 (none: 0.389 /
    0.439); uncoded sentences next to a coded one left out of training 0.398 / 0.442;
    in place of the model, a softmax over the codes and "none" 0.387 / 0.432 (5 folds),
    the 10 nearest coded sentences by tf-idf 0.417 / 0.467 (averaged with the model:
    0.414 / 0.458). Left out.
    Measured again with the passages carried on (:func:`~.combined.extend_runs`; 0.420
    / 0.472, precision 0.448): the lemmas of the interviewer's question before the
    turn 0.432 / 0.480 at precision 0.466 (3, 5 and 6 folds each at least as good);
    the question's hints instead 0.430 / 0.486 (they need the rules run over the
    questions too), both 0.433 / 0.481. Kept: the question's lemmas (``q:``), a short
    follow-up's with those of the question before it (0.451 / 0.504 at precision 0.488;
    see :func:`~.analysis._questions`).
    Measured again on that (0.451 / 0.504): the lemmas of the whole turn (``t:``) 0.435
    / 0.488; the previous sentence's lemmas 0.423 / 0.476; compounds split into known
    words (the longest known noun or verb at the end of a word of 8+ letters, its front
    too when it is one, with or without a linking ``-en``/``-s``; as features of their
    own or as lemmas) 0.443-0.454 / 0.497-0.505; the first 5, 6 or 7 letters of each
    word (a crude stem) 0.443-0.448 / 0.495-0.500. Noise at best: left out. (Of the
    sentences the combined list misses, 134 of 174 have no proposal at all, and there
    the model's best code is rarely the coded one: 13 of 52 at a score of 0.1 or more.)
    Measured again (combined leaf / top-level F1, mean of 3, 5 and 6 folds, sample
    codebook; then the definitions codebook; against 0.457 / 0.501 and 0.349 / 0.386;
    in brackets the learned part's own best F1 over its threshold sweep, against 0.382
    and 0.302). Sub-words of the content lemmas: their first 5 or 6 letters (``p:``)
    0.456 / 0.496, 0.341 / 0.386 (0.385, 0.304) and 0.455 / 0.497, 0.333 / 0.372; the
    4-, 5- and 6-letter pieces inside words of 8+ letters (``g:``) 0.448 / 0.489, 0.330 /
    0.370 (0.361, 0.272); 0.452 / 0.491, 0.341 / 0.376 (0.357, 0.284); 0.457 / 0.495,
    0.334 / 0.374; 5-letter pieces of words of 10+ letters 0.458 / 0.489, 0.347 / 0.383;
    a word's compound tail (its longest known noun of 4+ letters after a front of 3+,
    ``h:``) 0.446 / 0.489, 0.353 / 0.386 (0.390, 0.298); each of these learned at a tenth
    of the pace of the others (as a feature worth about 0.3) 0.456-0.459 / 0.498-0.501,
    0.339-0.342 / 0.373-0.379. The lemmas of the rest of the turn (``t:``) 0.427 / 0.468,
    0.333 / 0.360 (0.314, 0.249), at a hundredth to a fifth of the pace 0.451-0.457 /
    0.490-0.499, 0.341-0.345 / 0.370-0.381. The codebook's sentences as nearest
    neighbours (``nn:<code>`` where the sentence shares 1, 2 or 3+ content lemmas with
    one of the code's description, criteria or examples) 0.458 / 0.502, 0.325 / 0.365;
    0.454 / 0.496, 0.337 / 0.385; 0.456 / 0.500, 0.350 / 0.387 (4+: never). The
    question's lemmas only for the first 2, 4 or 8 sentences of a turn 0.430 / 0.474,
    0.336 / 0.385; 0.450 / 0.485, 0.332 / 0.381; 0.456 / 0.496, 0.333 / 0.383 (the
    model's own best 0.389-0.392, 0.309-0.315: a better ranking the combined list does
    not keep). A feature for a turn's first sentence 0.457 / 0.502, 0.338 / 0.367. The
    transcript's attributes (``a:respondent_type=professional``...) 0.464 / 0.513,
    0.335 / 0.374; only those shared by several transcripts 0.453 / 0.496, 0.338 /
    0.370. Features of fewer than 2, 3 or 5 training sentences left out 0.459 / 0.498,
    0.334 / 0.374; 0.452 / 0.489, 0.333 / 0.371; 0.439 / 0.483, 0.342 / 0.386; of fewer
    than 2 or 3 coded transcripts 0.449 / 0.494, 0.338 / 0.387; 0.453 / 0.502, 0.343 /
    0.395 (the learned part's F1 at its default threshold rose, 0.273 -> 0.330: its
    scores moved, its best over the sweep did not, 0.377 and 0.300). None lifts both
    codebooks: left out. Over four other assignments of the transcripts to folds (leaf
    F1 0.452 and 0.336 without them: the usual split is a lucky one for the definitions
    codebook) the attributes 0.460, 0.328; the tail 0.443, 0.342; the first 5 letters
    0.449, 0.338; the 5-letter pieces at a tenth of the pace 0.456, 0.339 (the only one
    up on both there, by less than the folds move it; on the usual split 0.341).
    Word meaning (bundled word vectors: a sentence's nearest codes by its codebook text)
    as features: see :mod:`.combined`'s "Tried and left out" (0.437 / 0.478). Left out.
    """
    from spacy.lang.nl.stop_words import STOP_WORDS

    # features() written out. A run scores sentence_ids instead, the same features as ids:
    # change both together (test_suggest_learned holds them to each other).
    before = PREVIOUS_FEATURE + RULE_FEATURE
    out = []
    previous = None
    for sentence in sentences:
        found = [w for w in sentence.words if w not in STOP_WORDS]
        if sentence.hits:
            found += [RULE_FEATURE + code for code in sorted(sentence.hits)]
        if (
            previous is not None
            and previous.hits
            and previous.turn == sentence.turn
            and previous.transcript_id == sentence.transcript_id
        ):
            found += [before + code for code in sorted(previous.hits)]
        if sentence.question:
            found += [QUESTION_FEATURE + w for w in sentence.question]
        out.append(found or ["_"])
        previous = sentence
    return out


class _FeatureIds(dict[str, Any]):
    """Feature -> its hashed id (:func:`_feature_id` of ``prefix`` + the feature), worked out
    when first asked for (``dict.__missing__``): a run's look-ups never fail, and a process's
    first run hashes its few hundred new words without first gathering every word of
    every sentence to find them (1.5-2 ms of a first run at 50,000 words). ``words``: the
    stop words get None (no feature)."""

    def __init__(self, prefix: str = "", *, words: bool = False) -> None:
        super().__init__()
        self.prefix = prefix
        self.words = words
        self.stop_words: Collection[str] | None = None

    def __missing__(self, key: str) -> int | None:
        if self.words:
            stop = self.stop_words
            if stop is None:
                from spacy.lang.nl.stop_words import STOP_WORDS

                stop = self.stop_words = STOP_WORDS
            if key in stop:
                self[key] = None
                return None
        found = self[key] = _feature_id(self.prefix + key)
        return found

    def fresh(self) -> _FeatureIds:
        """An empty one of the same kind."""
        return _FeatureIds(self.prefix, words=self.words)


# Each word's hashed feature id (None: a stop word, no feature), and the ids of each
# code's hint features (rule:<code>, prev:rule:<code>): the same in every process and
# for every model, so kept for the process's later runs.
_WORD_IDS = _FeatureIds(words=True)
_RULE_IDS = _FeatureIds(RULE_FEATURE)
_PREVIOUS_IDS = _FeatureIds(PREVIOUS_FEATURE + RULE_FEATURE)
_QUESTION_IDS = _FeatureIds(QUESTION_FEATURE)  # a question's lemma -> the id of its feature (q:<lemma>)
_MAX_WORDS = 1_000_000  # words kept at most


def sentence_ids(sentences: Sequence[Any]) -> list[set[Any]]:
    """:func:`sentence_features` of each sentence as the set of its hashed feature ids
    (what :meth:`LearnedModel.score_ids` reads), without writing the features out."""
    # Past _MAX_WORDS words (a vast project in a long-lived process) a run keeps its own.
    words = _WORD_IDS if len(_WORD_IDS) < _MAX_WORDS else _WORD_IDS.fresh()
    questions = _QUESTION_IDS if len(_QUESTION_IDS) < _MAX_WORDS else _QUESTION_IDS.fresh()
    return _sentence_ids(sentences, words, questions)


def _sentence_ids(sentences: Sequence[Any], words: _FeatureIds, questions: _FeatureIds) -> list[set[Any]]:
    """:func:`sentence_ids` with the ids of the words and question lemmas from ``words``
    and ``questions``."""
    empty = _feature_id("_")
    word_id, rule_id, previous_id = words.__getitem__, _RULE_IDS.__getitem__, _PREVIOUS_IDS.__getitem__
    out: list[set[Any]] = []
    previous = None
    asked: Sequence[str] = ()  # the sentences of a turn share their question: its ids worked out once
    asked_ids: set[int] = set()
    for sentence in sentences:
        found = set(map(word_id, sentence.words))
        found.discard(None)
        if sentence.hits:
            found.update(map(rule_id, sentence.hits))
        if (
            previous is not None
            and previous.hits
            and previous.turn == sentence.turn
            and previous.transcript_id == sentence.transcript_id
        ):
            found.update(map(previous_id, previous.hits))
        if sentence.question:
            if sentence.question is not asked:
                asked, asked_ids = sentence.question, set(map(questions.__getitem__, sentence.question))
            found.update(asked_ids)
        out.append(found or {empty})
        previous = sentence
    return out


def code_counts(labels: Sequence[set[str]]) -> Counter:
    return Counter(code for label in labels for code in label)


def train(
    sentences: Sequence[Sequence[str]],
    labels: Sequence[set[str]],
    *,
    minimum: int = MIN_EXAMPLES,
    steps: int = STEPS,
    transcripts: int = 0,
    codings: int = 0,
    max_coding_id: int = 0,
    should_cancel: Callable[[], bool] | None = None,
    rows: Sequence[Row] | None = None,
) -> LearnedModel:
    """Train a classifier on feature lists and their code sets; codes below ``minimum`` are left out.

    ``rows``: the sentences already encoded (:func:`encode`). Deterministic: the same
    data give the same model.
    """
    import numpy
    import spacy

    started = time.perf_counter()
    counts = code_counts(labels)
    codes = sorted(code for code, n in counts.items() if n >= minimum)
    if not codes:
        raise error(NOTHING_TO_TRAIN, minimum=minimum)
    if rows is None:
        rows = encode(sentences)
    n = len(rows)
    keys = numpy.unique(numpy.concatenate(rows))
    truth = numpy.zeros((n, len(codes)), dtype=numpy.float32)
    # From the codes each sentence has (most have none): a pass per code over every
    # sentence took half a second of a first run's six trainings at 100,000 sentences.
    column = {code: j for j, code in enumerate(codes)}
    coded = [(i, column[code]) for i, label in enumerate(labels) if label for code in label if code in column]
    if coded:
        truth[tuple(numpy.asarray(coded, dtype=numpy.int64).T)] = 1.0
    share = truth.mean(axis=0)
    # Past BATCH_LIMIT sentences each step takes one part of them (every k-th
    # sentence, in turn): a step then costs the same however big the project, and
    # the mean gradient of a few thousand sentences is as good as all of them's.
    parts = [_Part(rows, truth, numpy.arange(c, n, k), keys) for k in [math.ceil(n / BATCH_LIMIT)] for c in range(k)]
    weights = numpy.zeros((len(keys) + 1, len(codes)), dtype=numpy.float32)  # the last row: unknown features
    bias = numpy.log((share + 1e-3) / (1 - share + 1e-3)).astype(numpy.float32)  # starts at each code's share
    w, moved_w, moved_b = weights[:-1], numpy.zeros_like(weights[:-1]), numpy.zeros_like(bias)
    for step in range(steps):
        if should_cancel is not None and step % 50 == 0 and should_cancel():
            break
        part = parts[step % len(parts)]
        error_ = (_sigmoid(numpy.add.reduceat(w[part.columns], part.starts, axis=0) + bias) - part.truth) / len(part.truth)
        gradient = L2 * w
        gradient[part.present] += numpy.add.reduceat(error_[part.sentence_of], part.key_starts, axis=0)
        moved_w *= MOMENTUM
        moved_w -= LEARN_RATE * gradient
        moved_b *= MOMENTUM
        moved_b -= LEARN_RATE * error_.sum(axis=0)
        w += moved_w
        bias += moved_b
    info = ModelInfo(
        codes={code: counts[code] for code in codes},
        sentences=len(sentences),
        transcripts=transcripts,
        codings=codings,
        max_coding_id=max_coding_id,
        trained_at=now(),
        seconds=round(time.perf_counter() - started, 2),
        spacy=spacy.__version__,
        skipped={code: n for code, n in sorted(counts.items()) if n < minimum},
    )
    return LearnedModel(keys, weights, bias, info)


def needs_training(info: ModelInfo | None, codings: int, new_codings: int) -> bool:
    """Whether a saved model is stale: none yet, other features, or enough coding changed.

    ``new_codings`` counts codings made since the model was trained; the
    difference in totals adds the ones removed since.
    """
    import spacy

    if info is None or info.features != FEATURES or info.spacy != spacy.__version__:
        return True
    removed = max(0, info.codings - (codings - new_codings))
    return new_codings + removed >= RETRAIN_AFTER
