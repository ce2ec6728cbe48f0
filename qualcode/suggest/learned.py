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
  :func:`sentence_features` adds the hints of the previous sentence of the turn.
* **Model.** spaCy's ``textcat_multilabel`` with the bag-of-words architecture
  (``TextCatBOW``): a linear model that is CPU-only, trains in seconds, needs no
  word vectors and is deterministic with a fixed seed. The hashed feature table is
  kept small (:data:`LENGTH`) because the optimiser updates all of it on every
  batch: 2**18 buckets made training ten times slower for no better scores.
* **Imbalance.** A code is typically found in a few percent of the sentences, so
  scores stay low; each code gets its own threshold from cross-validation
  (:mod:`.combined`). (Repeating the coded sentences during training was tried
  on the sample project and changed cross-validated F1 by less than 0.02, so it
  is not done.)
* **Training** updates the component directly (see :func:`train`), not through
  ``Language.update``, which copies every doc: from each sentence's hashed
  features, encoded once (:func:`encode`) and shared by the models of a fit.
* **On disk.** ``.qualcode/model/`` next to ``qualcode.db`` (git-ignored): the spaCy
  pipeline and ``meta.json`` (codes, example counts, the codings it saw, its
  calibration). It is
  retrained on request and when :data:`RETRAIN_AFTER` codings were added or
  removed since (see :func:`needs_training`).
"""

from __future__ import annotations

import json
import math
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..atomic import atomic_directory
from ..errors import MODEL_UNREADABLE, NOTHING_TO_TRAIN, error
from ..store import now

if TYPE_CHECKING:  # pragma: no cover
    from spacy.pipeline import MultiLabel_TextCategorizer

NAME = "learned"
MIN_EXAMPLES = 8  # positive sentences a code needs before it is learned
RETRAIN_AFTER = 10  # codings added or removed since the last training
MODEL_DIR = Path(".qualcode") / "model"
FEATURES = "lemma-stop-rules-previous-bow-5"  # change when features or calibration change: old models are retrained
SEED = 0
EPOCHS = 12
MIN_UPDATES = 200  # small projects get more epochs, so a few dozen sentences still train
MAX_EPOCHS = 100
BATCH = 32
MAX_BATCHES = 50  # per epoch: larger projects get larger batches (see train)
MAX_PASSES = 100_000  # sentences seen in all epochs together: big projects get fewer epochs
NGRAMS = 1
LENGTH = 2**14  # hashed feature buckets
LEARN_RATE = 0.02
RULE_FEATURE = "rule:"
PREVIOUS_FEATURE = "prev:"  # a hint that matched the previous sentence of the same turn


@dataclass(slots=True)
class ModelInfo:
    """What a trained model knows about its training (saved as meta.json)."""

    codes: dict[str, int]  # code id -> positive sentences
    sentences: int
    transcripts: int
    codings: int  # codings in the store when it was trained
    max_coding_id: int
    trained_at: str = ""
    seconds: float = 0.0
    features: str = FEATURES
    spacy: str = ""
    skipped: dict[str, int] = field(default_factory=dict)  # codes with too few examples
    calibration: dict[str, Any] = field(default_factory=dict)  # Calibration.to_dict(): per-code source and threshold
    sampled_from: int = 0  # coded transcripts in the project when training took a spread sample of them (0: all)


class LearnedModel:
    """A trained classifier: sentence lemmas in, a score per learned code out."""

    name = NAME

    def __init__(self, nlp: Any, info: ModelInfo) -> None:
        self.nlp = nlp
        self.info = info

    @property
    def codes(self) -> list[str]:
        return list(self.info.codes)

    def scores(self, sentences: Sequence[Sequence[str]]) -> list[dict[str, float]]:
        """One ``{code: score}`` per sentence, given as its :func:`features`."""
        return self.scores_of(encode(sentences, self.nlp.vocab))

    def scores_of(self, rows: Sequence[Row]) -> list[dict[str, float]]:
        """:meth:`scores` for sentences already encoded (:func:`encode`)."""
        from spacy.util import minibatch

        # The classifier's own predict per batch, read as one list: writing each
        # score into doc.cats and reading it back cost a quarter.
        textcat = self.nlp.get_pipe("textcat_multilabel")
        labels = list(textcat.labels)
        model = _reading_rows(textcat.model)
        out: list[dict[str, float]] = []
        for batch in minibatch(rows, size=256):
            out.extend(dict(zip(labels, row, strict=True)) for row in model.predict(batch).tolist())
        return out

    def explain(
        self,
        sentence: Sequence[str],
        code: str,
        top: int = 3,
        scored: tuple[dict[str, float], list[dict[str, float]]] | None = None,
    ) -> list[str]:
        """The features of ``sentence`` that raise ``code``'s score most: each one
        left out in turn, the largest drops first (a linear model: this is exact
        enough, and cheap for the few sentences that are proposed). ``scored``: the
        sentence's :meth:`left_out` scores, when computed with others in one batch."""
        words = list(sentence)
        if len(words) < 2:
            return []
        first, without = scored if scored is not None else self.left_out([words])[0]
        base = first.get(code, 0.0)
        drops = sorted(((base - s.get(code, 0.0), w) for w, s in zip(words, without, strict=True)), reverse=True)
        return [w for drop, w in drops[:top] if drop > 0.01]

    def left_out(self, sentences: Sequence[Sequence[str]]) -> list[tuple[dict[str, float], list[dict[str, float]]]]:
        """Per sentence: its scores, and its scores with each feature left out in turn.

        All sentences in one batch (scores of a doc do not depend on the others in
        its batch): a model call per explained sentence cost a third of a run.
        """
        variants = [[list(words)] + [list(words[:i]) + list(words[i + 1 :]) for i in range(len(words))] for words in sentences]
        found = iter(self.scores([v for group in variants for v in group]))
        out = []
        for group in variants:
            first, *without = (next(found) for _ in group)
            out.append((first, without))
        return out

    def save(self, folder: Path) -> None:
        """Write the model to ``folder`` via a temporary folder: never half a model."""
        with atomic_directory(Path(folder)) as tmp:
            self.nlp.to_disk(tmp / "textcat")
            (tmp / "meta.json").write_text(json.dumps(asdict(self.info), indent=2, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> LearnedModel:
        """Load a saved model or raise a clear error (the caller may retrain instead)."""
        import spacy

        folder = Path(folder)
        try:
            info = ModelInfo(**json.loads((folder / "meta.json").read_text(encoding="utf-8")))
            # The model never tokenizes (it is given Docs of features): its saved
            # tokenizer is left unread and a bare one stands in for the Dutch one,
            # whose exceptions took nine tenths of the load.
            _register_bare_tokenizer()
            nlp = spacy.load(
                folder / "textcat", exclude=["tokenizer"], config={"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}}
            )
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise error(MODEL_UNREADABLE, path=folder, reason=exc) from None
        return cls(nlp, info)


BARE_TOKENIZER = "qualcode.bare_tokenizer.v1"


def _register_bare_tokenizer() -> None:
    """A tokenizer that splits on spaces only, with nothing to build (for loading the model)."""
    from spacy.tokenizer import Tokenizer
    from spacy.util import registry

    if BARE_TOKENIZER not in registry.tokenizers:
        registry.tokenizers.register(BARE_TOKENIZER, func=lambda: lambda nlp: Tokenizer(nlp.vocab))


Row = tuple[Any, Any]  # one sentence as the classifier reads it: hashed feature ids and their counts (numpy)


def encode(sentences: Sequence[Sequence[str]], vocab: Any = None) -> list[Row]:
    """Each sentence's features (:func:`features`) as the classifier's first layer
    (spaCy's ``extract_ngrams``: unigrams of ORTH) reads them from its Doc: the
    distinct hashed ids, sorted, with their counts.

    That layer redid this for every batch of every epoch (a quarter of training);
    encoded once, the rows are shared by all models of a fit (:mod:`.fitting`).
    The ids are string hashes, the same in every vocabulary.
    """
    import numpy
    from spacy.attrs import ORTH
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    vocab = vocab if vocab is not None else Vocab()
    return [numpy.unique(Doc(vocab, words=list(words) or ["_"]).to_array([ORTH]), return_counts=True) for words in sentences]


def _reading_rows(model: Any) -> Any:
    """The classifier ``model`` reading encoded rows (:func:`encode`) instead of Docs:
    the same layers (and weights) after its first, which a layer stands in for
    that joins a batch's rows as that first layer would have returned them.
    Updating it updates ``model``."""
    import numpy
    from thinc.api import Model, chain

    # spacy.TextCatBOW.v3: with_cpu(extract_ngrams >> resizable(SparseLinear)) >> with_cpu(Logistic)
    cpu, output = model.layers
    extract, linear = cpu.layers[0].layers
    if extract.name != "extract_ngrams":  # pragma: no cover - another spaCy's architecture
        raise TypeError(f"unexpected text classifier layers: {model.name}")

    def forward(_: Any, rows: Sequence[Row], is_train: bool) -> tuple[Any, Callable]:
        lengths = numpy.asarray([keys.shape[0] for keys, _ in rows], dtype="int32")
        keys = numpy.concatenate([keys for keys, _ in rows])
        counts = numpy.asarray(numpy.concatenate([counts for _, counts in rows]), dtype="f")
        return (keys, counts, lengths), lambda d: []

    return chain(Model("rows", forward), linear, output)


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
    """
    out = []
    previous = None
    for sentence in sentences:
        context: list[str] = []
        if previous is not None and previous.turn == sentence.turn and previous.transcript_id == sentence.transcript_id:
            context.extend(PREVIOUS_FEATURE + RULE_FEATURE + code for code in sorted(previous.hits))
        out.append(features(sentence.words, sentence.hits, context))
        previous = sentence
    return out


def code_counts(labels: Sequence[set[str]]) -> Counter:
    return Counter(code for label in labels for code in label)


def train(
    sentences: Sequence[Sequence[str]],
    labels: Sequence[set[str]],
    *,
    minimum: int = MIN_EXAMPLES,
    seed: int = SEED,
    epochs: int | None = None,
    transcripts: int = 0,
    codings: int = 0,
    max_coding_id: int = 0,
    should_cancel: Callable[[], bool] | None = None,
    rows: Sequence[Row] | None = None,
) -> LearnedModel:
    """Train a classifier on feature lists and their code sets; codes below ``minimum`` are left out.

    ``rows``: the sentences already encoded (:func:`encode`). Deterministic: the same
    data and seed give the same model.
    """
    import numpy
    import spacy
    from spacy.tokens import Doc
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch
    from thinc.api import Adam

    started = time.perf_counter()
    counts = code_counts(labels)
    codes = sorted(code for code, n in counts.items() if n >= minimum)
    if not codes:
        raise error(NOTHING_TO_TRAIN, minimum=minimum)
    fix_random_seed(seed)
    # The model never tokenizes (it is given features): the bare tokenizer spares
    # building the Dutch one's exceptions, half a second per model.
    _register_bare_tokenizer()
    nlp = spacy.blank("nl", config={"nlp": {"tokenizer": {"@tokenizers": BARE_TOKENIZER}}})
    textcat = cast(
        "MultiLabel_TextCategorizer",
        nlp.add_pipe(
            "textcat_multilabel",
            config={
                "model": {
                    "@architectures": "spacy.TextCatBOW.v3",
                    "exclusive_classes": False,
                    "ngram_size": NGRAMS,
                    "no_output_layer": False,
                    "length": LENGTH,
                }
            },
        ),
    )
    for code in codes:
        textcat.add_label(code)

    def example(i: int) -> Example:
        doc = Doc(nlp.vocab, words=list(sentences[i]) or ["_"])
        doc.cats = {code: float(code in labels[i]) for code in codes}
        return Example(doc, doc)

    first = [example(i) for i in range(min(len(sentences), 200))]
    nlp.initialize(lambda: first)
    # The component is updated directly, as TextCategorizer.update would (its loss:
    # scores minus the truth, every label present), from rows encoded once and a
    # truth table made once: update's Examples, Docs and checks per batch were
    # most of the time, and Language.update copies every doc besides.
    if rows is None:
        rows = encode(sentences, nlp.vocab)
    truth = numpy.zeros((len(sentences), len(textcat.labels)), dtype="f")
    for j, code in enumerate(textcat.labels):
        truth[:, j] = [code in label for label in labels]
    model = _reading_rows(textcat.model)
    # Adam at a higher rate than spaCy's default: a sparse linear model on a few
    # hundred sentences otherwise needs many more epochs to move off 0.5. Its
    # parameter averages are never used (nothing calls use_params): not kept.
    optimizer = Adam(LEARN_RATE, use_averages=False)
    pool = list(range(len(sentences)))
    rng = random.Random(seed)
    # Each update touches the whole hashed weight table, so the number of updates,
    # not of sentences, sets the training time: past MAX_BATCHES per epoch the
    # batches grow instead (4,700 sentences: 6 s -> 4 s).
    size = max(BATCH, math.ceil(len(pool) / MAX_BATCHES))
    if epochs is None:
        batches = math.ceil(len(pool) / size)
        epochs = max(EPOCHS, min(MAX_EPOCHS, math.ceil(MIN_UPDATES / batches)))
        # A big project: every sentence seen a few times is enough for a linear model.
        epochs = max(2, min(epochs, math.ceil(MAX_PASSES / len(pool))))
    for _ in range(epochs):
        if should_cancel is not None and should_cancel():
            break
        rng.shuffle(pool)
        for batch in minibatch(pool, size=size):
            scores, backprop = model.begin_update([rows[i] for i in batch])
            backprop(scores - truth[batch])
            textcat.finish_update(optimizer)
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
    return LearnedModel(nlp, info)


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
