"""Labelled sentences: the respondent sentences of coded transcripts with their codes.

Shared by training (:mod:`.training`) and evaluation (:mod:`.evaluate`): both see
the same sentences, the same features and the same labels.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..codebook import Codebook
from ..model import Transcript, Turn
from ..store import Store
from .analysis import analyse, stored_sentences
from .learned import encode, sentence_features
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import Sentence, labels_for

CODEBOOK_ID = -1  # transcript id of the codebook's own sentences


@dataclass(slots=True)
class Labelled:
    """A sentence and the codes a human gave it (possibly none)."""

    sentence: Sentence
    gold: set[str]
    # Its learned features encoded (:func:`~.learned.encode`), when read by
    # :func:`labelled_sentences`: worked out per transcript, from its whole turns.
    row: Any = None

    @property
    def transcript_id(self) -> int:
        return self.sentence.transcript_id


def codebook_sentences(codebook: Codebook, pipeline: Pipeline, rules: RuleSuggester) -> list[Labelled]:
    """The codebook's own words as training sentences: each codable code's
    description, inclusion criteria and examples, positive for that code.

    They let the model know a code's vocabulary before much is coded; they are
    used for training only, never scored in an evaluation.
    """
    texts: list[tuple[str, str]] = []
    for code in codebook.walk():
        if code.codable:
            for text in [code.description or "", *code.include, *code.examples]:
                if text.strip():
                    texts.append((code.id, " ".join(text.split())))
    transcripts = [
        Transcript(f"codebook:{i}", text, [Turn(1, None, 0, len(text))], id=CODEBOOK_ID) for i, (_, text) in enumerate(texts)
    ]
    out: list[Labelled] = []
    for (code_id, _), (_, sentences) in zip(texts, analyse(pipeline, transcripts, rules=rules, words=True), strict=True):
        out.extend(Labelled(s, {code_id}) for s in sentences)
    return out


def coded_transcripts(store: Store) -> list[int]:
    """Transcripts with at least one coding: only these say what is *not* a code."""
    return store.codings.transcript_ids()


def labelled_sentences(
    store: Store,
    pipeline: Pipeline,
    rules: RuleSuggester,
    codes: Iterable[str],
    transcript_ids: Sequence[int] | None = None,
    *,
    limit: int | None = None,
    should_cancel: Callable[[], bool] | None = None,
    keep: Collection[int] | None = None,
) -> list[Labelled]:
    """Every respondent sentence of the (coded) transcripts, with rule hits, lemmas and gold codes.

    Gold labels are limited to ``codes`` (the codable codes of the codebook):
    codings of a code that left the codebook teach nothing. With ``limit``, the
    transcripts are read in :func:`spread` order until they hold ``limit`` sentences
    (those of a whole transcript are never split), so that memory stays bounded however
    large the project; the sentences come back in transcript order either way.

    Each transcript's features are encoded (``row``) as it is read. With ``keep``, the
    sentences of the transcripts not in it keep only what training, calibration and
    evaluation read (span, turn, hits, content): their text and lemmas are let go as
    each transcript is encoded, so that memory holds compact rows, not every lemma of
    100,000 sentences (a first run at 1,000 interviews: a third of its memory).
    """
    wanted = set(codes)
    ids = coded_transcripts(store) if transcript_ids is None else list(transcript_ids)
    transcripts = (store.transcripts.load(tid) for tid in (spread(ids) if limit is not None else ids))
    found: dict[int, list[Labelled]] = {}
    count = 0
    cache: dict[str, int] = {}  # feature -> its hashed id, for every transcript
    golds: dict[frozenset[str], set[str]] = {}  # one set per distinct gold (see _gold)
    for transcript, sentences in analyse(pipeline, transcripts, rules=rules, words=True, known=stored_sentences(store)):
        spans = [(s.start, s.end) for s in sentences]
        gold = labels_for(spans, store.codings.find(transcript.id))
        assert transcript.id is not None  # loaded from the store
        rows = encode(sentence_features(sentences), cache)
        if keep is not None and transcript.id not in keep:
            for s in sentences:
                _slim(s)
        found[transcript.id] = [
            Labelled(s, _gold(g & wanted, golds), row) for s, g, row in zip(sentences, gold, rows, strict=True)
        ]
        count += len(sentences)
        if (should_cancel is not None and should_cancel()) or (limit is not None and count >= limit):
            break
    return [item for tid in ids if tid in found for item in found[tid]]  # in transcript order, however read


_NO_HITS: dict[str, list[str]] = {}  # the hits of a slimmed sentence without any: one for all, never changed
_NO_WORDS: list[str] = []  # the lemmas of a slimmed sentence: one list for all, never changed


def _gold(codes: set[str], golds: dict[frozenset[str], set[str]]) -> set[str]:
    """One set for every sentence with the same codes (a few dozen distinct ones in
    100,000 sentences, most of them none); gold is read, never changed."""
    key = frozenset(codes)
    found = golds.get(key)
    if found is None:
        found = golds[key] = codes
    return found


def _slim(sentence: Sentence) -> None:
    """Let go of what only features and suggesting read (its features are encoded)."""
    sentence.text = ""
    sentence.words = _NO_WORDS
    sentence.question = ()
    if not sentence.hits:
        sentence.hits = _NO_HITS


def spread(ids: Sequence[int]) -> list[int]:
    """``ids`` in an order whose every beginning is spread evenly over all of them (first,
    middle, quarters, eighths...: the van der Corput sequence scaled to the positions), so
    that a sample cut off at any length comes from the whole project, not its first files."""
    if not ids:
        return []
    bits = max(1, (len(ids) - 1).bit_length())  # 2**bits >= len(ids): every position is reached
    fractions = (int(f"{k:0{bits}b}"[::-1], 2) for k in range(2**bits))  # k-th fraction, times 2**bits
    return [ids[i] for i in dict.fromkeys(f * len(ids) >> bits for f in fractions)]
