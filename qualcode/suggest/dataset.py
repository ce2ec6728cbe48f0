"""Labelled sentences: the respondent sentences of coded transcripts with their codes.

Shared by training (:mod:`.training`) and evaluation (:mod:`.evaluate`): both see
the same sentences, the same features and the same labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..codebook import Codebook
from ..model import Transcript, Turn
from ..store import Store
from .analysis import analyse, stored_sentences
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import Sentence, labels_for

CODEBOOK_ID = -1  # transcript id of the codebook's own sentences


@dataclass(slots=True)
class Labelled:
    """A sentence and the codes a human gave it (possibly none)."""

    sentence: Sentence
    gold: set[str]

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
) -> list[Labelled]:
    """Every respondent sentence of the (coded) transcripts, with rule hits, lemmas and gold codes.

    Gold labels are limited to ``codes`` (the codable codes of the codebook):
    codings of a code that left the codebook teach nothing. With ``limit``, the
    transcripts are read in :func:`spread` order until they hold ``limit`` sentences
    (those of a whole transcript are never split), so that memory stays bounded however
    large the project; the sentences come back in transcript order either way.
    """
    wanted = set(codes)
    ids = coded_transcripts(store) if transcript_ids is None else list(transcript_ids)
    transcripts = (store.transcripts.load(tid) for tid in (spread(ids) if limit is not None else ids))
    found: dict[int, list[Labelled]] = {}
    count = 0
    for transcript, sentences in analyse(pipeline, transcripts, rules=rules, words=True, known=stored_sentences(store)):
        spans = [(s.start, s.end) for s in sentences]
        gold = labels_for(spans, store.codings.find(transcript.id))
        assert transcript.id is not None  # loaded from the store
        found[transcript.id] = [Labelled(s, g & wanted) for s, g in zip(sentences, gold, strict=True)]
        count += len(sentences)
        if (should_cancel is not None and should_cancel()) or (limit is not None and count >= limit):
            break
    return [item for tid in ids if tid in found for item in found[tid]]  # in transcript order, however read


def spread(ids: Sequence[int]) -> list[int]:
    """``ids`` in an order whose every beginning is spread evenly over all of them (first,
    middle, quarters, eighths...: the van der Corput sequence scaled to the positions), so
    that a sample cut off at any length comes from the whole project, not its first files."""
    if not ids:
        return []
    bits = max(1, (len(ids) - 1).bit_length())  # 2**bits >= len(ids): every position is reached
    fractions = (int(f"{k:0{bits}b}"[::-1], 2) for k in range(2**bits))  # k-th fraction, times 2**bits
    return [ids[i] for i in dict.fromkeys(f * len(ids) >> bits for f in fractions)]
