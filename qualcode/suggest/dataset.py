"""Labelled sentences: the respondent sentences of coded transcripts with their codes.

Shared by training (:mod:`.training`) and evaluation (:mod:`.evaluate`): both see
the same sentences, the same features and the same labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..store import Store
from .analysis import analyse
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import Sentence, labels_for


@dataclass(slots=True)
class Labelled:
    """A sentence and the codes a human gave it (possibly none)."""

    sentence: Sentence
    gold: set[str]

    @property
    def transcript_id(self) -> int:
        return self.sentence.transcript_id


def coded_transcripts(store: Store) -> list[int]:
    """Transcripts with at least one coding: only these say what is *not* a code."""
    return [r[0] for r in store.conn.execute("SELECT DISTINCT transcript_id FROM codings ORDER BY transcript_id")]


def labelled_sentences(
    store: Store,
    pipeline: Pipeline,
    rules: RuleSuggester,
    codes: Iterable[str],
    transcript_ids: Sequence[int] | None = None,
    *,
    should_cancel: Callable[[], bool] | None = None,
) -> list[Labelled]:
    """Every respondent sentence of the (coded) transcripts, with rule hits, lemmas and gold codes.

    Gold labels are limited to ``codes`` (the codable codes of the codebook):
    codings of a code that left the codebook teach nothing.
    """
    wanted = set(codes)
    ids = coded_transcripts(store) if transcript_ids is None else list(transcript_ids)
    transcripts = (store.load_transcript(tid) for tid in ids)
    out: list[Labelled] = []
    for transcript, sentences in analyse(pipeline, transcripts, rules=rules, words=True):
        spans = [(s.start, s.end) for s in sentences]
        gold = labels_for(spans, store.codings(transcript.id))
        out.extend(Labelled(s, g & wanted) for s, g in zip(sentences, gold, strict=True))
        if should_cancel is not None and should_cancel():
            break
    return out
