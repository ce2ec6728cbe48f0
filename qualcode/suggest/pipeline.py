"""The spaCy pipeline behind suggestions: built lazily, once per process.

spaCy is imported inside :func:`load_pipeline` only. Importing it costs about a
second and a blank Dutch pipeline with its lemma tables another two, which is
why ``qualcode --help`` and the coding screen never do it; the TUI calls this from
a worker thread.

Which pipeline:

* the project's ``spacy_model`` (``nl_core_news_sm/md/lg``) when it is set: it must
  be installed, or the user gets a clear error that names the fallback (never a
  download);
* otherwise ``spacy.blank("nl")`` + a lookup lemmatizer over the ``lemma_lookup``
  table of ``spacy-lookups-data`` (held as numpy arrays: :mod:`.tables`): spaCy's own
  ``lemmatizer`` in lookup mode gives the same lemmas but visits every token in
  Python (80 % of the pipeline's time); :func:`_lookup_lemmatizer` looks each
  distinct word up once and writes the lemmas in one array.

No sentencizer: sentences are cut by :func:`qualcode.text.sentence_spans`, the
splitter the coding screen uses (see :mod:`.segments`).

Either way the word lists of ``spacy-lookups-data`` and simplemma's dictionary
feed :class:`DutchForms`, which catches the plurals and inflections the lemma
table misses (see :mod:`.dutch` for the measurements).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..collector import paused_collector
from ..errors import LOOKUPS_MISSING, SPACY_MODEL_BROKEN, SPACY_MODEL_MISSING, error
from ..project import names_a_path
from .dutch import DutchForms

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

BLANK = "blank nl + lookup lemmatizer"
LEMMATIZER = "qualcode_lookup_lemmatizer"

# Components a trained pipeline does not need for suggestions: named entities
# cost time and are not used by any hint.
TRAINED_EXCLUDE = ("ner",)

_LOCK = threading.Lock()
_CACHE: dict[str | None, Pipeline] = {}


class FeatureLemmas(dict[int, "str | None"]):
    """ORTH hash -> the learned suggester's lemma of the word (:meth:`DutchForms.lemma`;
    None for punctuation and space), worked out when the word first turns up
    (``dict.__missing__``): a doc's lemmas are one look-up per token, with no pass first
    to find the words not seen yet (a process's first docs have hundreds)."""

    def __init__(self, vocab: Any, lemma: Callable[[str], str]) -> None:
        super().__init__()
        self.vocab = vocab
        self.lemma = lemma

    def __missing__(self, orth: int) -> str | None:
        lexeme = self.vocab[orth]
        found = self[orth] = None if lexeme.is_punct or lexeme.is_space else self.lemma(lexeme.orth_)
        return found


@dataclass(slots=True, eq=False)
class Pipeline:
    """A loaded spaCy pipeline plus the Dutch word-form helper built from its tables."""

    nlp: Language
    forms: DutchForms
    name: str  # the model name, or BLANK
    annotations: frozenset[str] = field(default_factory=frozenset)  # e.g. {"POS", "LEMMA"}
    # Every component analyses each token on its own, never from its neighbours (the
    # blank pipeline): pieces of text may then share a doc (see .analysis).
    per_token: bool = False
    # ORTH hash -> the learned suggester's lemma of the word (None: punctuation or
    # space), worked out as words turn up (see FeatureLemmas).
    feature_lemmas: FeatureLemmas = field(init=False)
    # The whitespace-separated chunks of text given to the tokenizer so far (see prime).
    primed: set[str] = field(default_factory=set)
    # hash() of the texts whose every chunk is in `primed`: the same text again (a
    # re-run in the same process) is not split into its chunks again.
    primed_texts: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.feature_lemmas = FeatureLemmas(self.nlp.vocab, self.forms.lemma)

    @property
    def vocab(self) -> Any:
        return self.nlp.vocab

    def load_lemma_dictionary(self) -> None:
        """Load the dictionary behind :meth:`DutchForms.lemma` (simplemma's: 0.25 s) now.

        The learned suggester's features need it, and simplemma reads it on its first
        word: a one-time load of the process that would otherwise land inside the first
        transcript's analysis. A run that scores sentences calls this while it loads its
        model; a rules-only run never needs the dictionary.
        """
        if self.forms.dictionary is not None:
            self.forms.dictionary("huizen")

    def prime(self, text: str) -> None:
        """Put every chunk of ``text`` between whitespace into the tokenizer's cache
        before ``text`` is tokenized: each new one is tokenized on its own, once.

        spaCy's tokenizer caches how it split a chunk, but stops doing so for the rest
        of a doc after the first special case in it (Dutch has ``'s``, ``best.``,
        ``dat.``): in a doc of many turns (see :mod:`.analysis`) nearly every word was
        split again by the prefix, suffix and infix rules, every time. A chunk is split
        the same way wherever it stands, so the tokens do not change.
        """
        key = hash(text)  # a few microseconds per 100,000 characters; a collision only costs speed
        if key in self.primed_texts:
            return
        tokenizer = self.nlp.tokenizer
        room = getattr(tokenizer, "max_cache_size", 0) - len(self.primed)
        if room <= 0:
            return  # the cache is full: what is not in it stays out
        new = set(text.split()).difference(self.primed)
        if len(new) > room:
            new = set(sorted(new)[:room])
        else:
            self.primed_texts.add(key)
        for chunk in new:
            tokenizer(chunk)
        self.primed.update(new)


def load_pipeline(model: str | None = None) -> Pipeline:
    """The pipeline for ``model`` (None: the blank Dutch fallback), cached per process.

    Thread-safe: two workers asking at once build it once.
    """
    with _LOCK:
        pipeline = _CACHE.get(model)
        if pipeline is None:
            # The lemma tables are hundreds of thousands of objects without cycles: the
            # cyclic collector's full collections while they grow took 0.15-0.2 s of a
            # 0.9 s load. Paused, then one full collection, so that the collections it
            # missed do not come due in the first run instead.
            with paused_collector():
                pipeline = _CACHE[model] = _build(model)
            gc.collect()
        return pipeline


def _build(model: str | None) -> Pipeline:
    import spacy  # deferred: ~1 s import, never needed by `qualcode --help` or the TUI

    if model:
        package = spacy.util.is_package(model)
        if not package and not _is_path(model):
            if _looks_like_path(model):  # `python -m spacy download ./x` is no way out
                reason = "it is a file, not a pipeline folder" if Path(model).exists() else "there is no such folder"
                raise error(SPACY_MODEL_BROKEN, name=model, reason=reason, fallback=BLANK)
            raise error(SPACY_MODEL_MISSING, name=model, fallback=BLANK)
        try:
            nlp = spacy.load(model, exclude=list(TRAINED_EXCLUDE))
        except OSError as exc:
            if package:
                raise error(SPACY_MODEL_MISSING, name=model, fallback=BLANK) from exc
            raise error(SPACY_MODEL_BROKEN, name=model, reason=_one_line(exc), fallback=BLANK) from None
        # A folder or package whose config.cfg or meta.json is damaged or incomplete (confection's
        # and catalogue's errors are ValueErrors), or whose code does not import.
        except (ValueError, KeyError, ImportError) as exc:
            raise error(SPACY_MODEL_BROKEN, name=model, reason=_one_line(exc), fallback=BLANK) from None
        if not (nlp.has_pipe("parser") or nlp.has_pipe("senter") or nlp.has_pipe("sentencizer")):
            nlp.add_pipe("sentencizer", first=True)
        annotations = _annotations(nlp)
        name = model
    else:
        nlp = spacy.blank("nl")
        try:
            table = _lemma_table()
        except (ValueError, ImportError) as exc:
            raise error(LOOKUPS_MISSING, reason=exc) from None
        _register_lemmatizer()
        nlp.add_pipe(LEMMATIZER)
        cast(_LookupLemmatizer, nlp.get_pipe(LEMMATIZER)).table = table
        annotations = frozenset({"LEMMA", "SENT_START"})
        name = BLANK
    return Pipeline(nlp=nlp, forms=_forms(nlp), name=name, annotations=annotations, per_token=not model)


def _lemma_table() -> Any:
    from .tables import lemma_table

    return lemma_table()


class _LookupLemmatizer:
    """spaCy's Dutch lookup lemmatizer (lower-cased form -> table, else the form), once per word.

    The words seen so far are kept as a sorted array of ORTH hashes with their LEMMA
    hashes beside them: a doc's lemmas are one numpy search of its tokens (a Python
    step per token was most of this component's time).
    """

    def __init__(self, vocab: Any) -> None:
        import numpy
        from spacy.attrs import LEMMA, ORTH

        self.vocab = vocab
        self.table: Any = None
        self.lookups = None  # set by _build; read by _forms to share the table
        self._orths = numpy.zeros(0, dtype="uint64")  # sorted ORTH hashes of the words seen
        self._lemmas = numpy.zeros(0, dtype="uint64")  # ... and the LEMMA hash of each
        self._numpy, self._lemma, self._orth = numpy, [LEMMA], ORTH  # imported once, not per doc

    def __call__(self, doc: Any) -> Any:
        numpy = self._numpy
        orths = doc.to_array(self._orth)
        if not len(orths):
            return doc
        where = self._where(orths)
        if where is None:  # new words: looked up once each, then merged into the sorted arrays
            strings, table = self.vocab.strings, self.table
            new = self._new_words(orths)
            lemmas = []
            for orth in new.tolist():
                lower = strings[orth].lower()
                lemmas.append(strings.add(table.get(lower, lower)))
            known = numpy.concatenate([self._orths, new])
            order = known.argsort(kind="stable")
            self._orths = known[order]
            self._lemmas = numpy.concatenate([self._lemmas, numpy.array(lemmas, dtype="uint64")])[order]
            where = self._where(orths)
            assert where is not None  # every word is known now
        doc.from_array(self._lemma, self._lemmas[where].reshape(-1, 1))
        return doc

    def _new_words(self, orths: Any) -> Any:
        """The distinct ORTH hashes in ``orths`` not known yet, sorted (what
        ``numpy.setdiff1d`` gives, which imports ``numpy.ma``: see :func:`distinct_sorted`)."""
        words = distinct_sorted(orths)
        known = self._orths
        if not len(known):
            return words
        where = known.searchsorted(words)
        where[where == len(known)] = 0
        return words[known[where] != words]

    def _where(self, orths: Any) -> Any:
        """Each token's position in the sorted known words, or None if a word is new."""
        known = self._orths
        if not len(known):
            return None
        where = known.searchsorted(orths)
        where[where == len(known)] = 0
        if not (known[where] == orths).all():
            return None
        return where


def distinct_sorted(values: Any) -> Any:
    """The distinct values of a 1-d numpy array, sorted: ``numpy.unique(values)``.

    ``numpy.unique`` (and ``setdiff1d``) import ``numpy.ma`` on their first call
    (to ask whether the array is masked): 10-13 ms of a `qualcode suggest` process's
    first run, which nothing else in a run imports.
    """
    import numpy

    ordered = numpy.sort(values)
    return ordered[numpy.concatenate(([True], ordered[1:] != ordered[:-1]))]


def _register_lemmatizer() -> None:
    from spacy.language import Language

    if not Language.has_factory(LEMMATIZER):
        Language.factory(LEMMATIZER, func=lambda nlp, name: _LookupLemmatizer(nlp.vocab))


def _is_path(model: str) -> bool:
    return Path(model).is_dir()


def _looks_like_path(model: str) -> bool:
    """A name of a file or folder rather than of a package (see :func:`~qualcode.project.names_a_path`)."""
    return names_a_path(model) or Path(model).exists()


def _one_line(exc: BaseException, limit: int = 160) -> str:
    """spaCy's and confection's errors span lines (a table of fields): one line, cut short."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _annotations(nlp: Language) -> frozenset[str]:
    """Token attributes the pipeline sets (what Matcher patterns may rely on)."""
    out = {"SENT_START"}
    for name in nlp.pipe_names:
        if name in ("tagger", "morphologizer"):
            out |= {"TAG", "POS", "MORPH"}
        elif name == "attribute_ruler":
            out |= {"POS"}
        elif name in ("parser",):
            out |= {"DEP"}
        elif name == "lemmatizer" or name.endswith("lemmatizer"):
            out |= {"LEMMA"}
        elif name == "ner":
            out |= {"ENT_TYPE", "ENT_IOB"}
    return frozenset(out)


def _forms(nlp: Language) -> DutchForms:
    """DutchForms from the Dutch tables of spacy-lookups-data (loaded once, ~0.5 s)."""
    from .tables import language_data, lemma_table

    lookup = None
    if nlp.has_pipe(LEMMATIZER):  # the blank pipeline's table, already loaded
        lookup = cast(_LookupLemmatizer, nlp.get_pipe(LEMMATIZER)).table
    elif nlp.has_pipe("lemmatizer"):  # reuse the table the trained pipeline already loaded
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_lookup"):
            lookup = lookups.get_table("lemma_lookup")
    try:
        if lookup is None:
            lookup = lemma_table()
        index = language_data("lemma_index")
        exc_table = language_data("lemma_exc")
    except (ValueError, ImportError) as exc:
        raise error(LOOKUPS_MISSING, reason=exc) from None

    exceptions: dict[str, list[str]] = {}
    for pos in ("verb", "noun", "adj"):
        for form, lemmas in exc_table.get(pos, {}).items():
            exceptions.setdefault(form, []).extend(lemmas)
    return DutchForms(
        lookup=lookup.get,
        nouns=frozenset(index.get("noun", ())),
        verbs=frozenset(index.get("verb", ())),
        adjectives=frozenset(index.get("adj", ())),
        exceptions=exceptions,
        dictionary=_simplemma(),
    )


def _simplemma() -> Any:
    """simplemma's Dutch lemmatizer (its dictionary loads on the first word, ~0.2 s).

    Not ``low_memory`` (the dictionary kept as the front-coded stream simplemma ships:
    5 MB instead of a 40 MB dict, the same lemmas): its look-ups cost 9.0 µs a word
    instead of 1.7, and a process asks once per word it meets. Measured on the
    50,000-word run (``bench_suggest``, fresh processes): its first run 1.31-1.43x the
    bare pipeline's first pass with the stream, 1.24-1.25x with the dict; the first
    `suggest` at 1,000 interviews peaks at 310 MB with the stream, 350 MB with the dict.
    """
    import simplemma

    return lambda word: simplemma.lemmatize(word, lang="nl")
