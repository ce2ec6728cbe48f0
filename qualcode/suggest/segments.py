"""Segments: the sentences of respondents' turns, and how codings line up with them.

The unit of a suggestion is a sentence, or a run of adjacent sentences, inside one
respondent turn. Interviewer turns are skipped: questions are not data. Which turns
are the interviewer's follows the project's speaker rule
(``ProjectConfig.role_of``, i.e. ``interviewer_speakers`` in ``qualcode.yaml``)
applied now, so fixing that rule takes effect without re-importing. Turns without
a speaker label are the respondent's.

A coding and a sentence *line up* when they overlap by at least half of the
shorter of the two (:func:`substantial`). That one rule decides which sentences a
human coding makes positive examples (training, evaluation) and which sentences
are already coded and need no suggestion. It accepts both a coding of a few words
inside a long sentence and a coding of a whole turn over each of its sentences.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..model import INTERVIEWER, Coding, Transcript, Turn

OVERLAP = 0.5  # share of the shorter span two spans must share to line up


@dataclass(slots=True)
class Sentence:
    """One respondent sentence: its span in the transcript and what was found in it."""

    transcript_id: int
    turn: int  # Turn.index
    start: int  # code points into the transcript text, whitespace trimmed
    end: int
    text: str
    words: list[str] = field(default_factory=list)  # lemma per token (learned features)
    hits: dict[str, list[str]] = field(default_factory=dict)  # code id -> rule reasons


def respondent_turns(transcript: Transcript, role_of) -> list[Turn]:
    """The turns that are not the interviewer's (by the project's speaker rule)."""
    out = []
    for turn in transcript.turns:
        role = role_of(turn.speaker) if turn.speaker is not None else turn.role
        if role != INTERVIEWER and turn.end > turn.start:
            out.append(turn)
    return out


def sentence_bounds(doc: Any) -> list[tuple[int, int]]:
    """Token ranges ``[start, end)`` of the sentences of a spaCy doc.

    A sentence is also cut at a line break: transcripts use blank lines between
    paragraphs of one turn, and a stage direction such as ``(lacht)`` before one
    must not glue two paragraphs into one sentence. Ranges of punctuation and
    white space only (``...``) are dropped.
    """
    from spacy.attrs import IS_PUNCT, IS_SPACE, SENT_START

    # numpy over whole columns, not Token objects: this runs on every turn of a corpus.
    flags = doc.to_array([SENT_START, IS_SPACE, IS_PUNCT])
    n = len(flags)
    starts = set((flags[:, 0] == 1).nonzero()[0].tolist())
    breaks = {i for i in flags[:, 1].nonzero()[0].tolist() if "\n" in doc[i].text}
    # words[i] = number of word tokens before i, to test a range for words in O(1)
    words = [0, *(((flags[:, 1] == 0) & (flags[:, 2] == 0)).cumsum().tolist())]
    out = []
    start = 0
    for cut in sorted((starts | breaks) - {0}):
        if cut in breaks:  # a line break token belongs to neither side
            out.append((start, cut))
            start = cut + 1
        elif cut > start:
            out.append((start, cut))
            start = cut
    out.append((start, n))
    return [(s, e) for s, e in out if e > s and words[e] > words[s]]


def substantial(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """True when two spans overlap by at least half of the shorter one."""
    shared = min(a_end, b_end) - max(a_start, b_start)
    if shared <= 0:
        return False
    return shared >= OVERLAP * min(a_end - a_start, b_end - b_start)


def labels_for(spans: Sequence[tuple[int, int]], codings: Iterable[Coding]) -> list[set[str]]:
    """For each span (sorted by start), the codes of the codings that line up with it.

    A sweep over both lists sorted by start, so thousands of sentences and codings
    cost n log n, not n times m.
    """
    ordered = sorted(codings, key=lambda c: (c.start, c.end))
    out: list[set[str]] = [set() for _ in spans]
    active: list[Coding] = []
    position = 0
    for i, (start, end) in enumerate(spans):
        while position < len(ordered) and ordered[position].start < end:
            active.append(ordered[position])
            position += 1
        active = [c for c in active if c.end > start]
        out[i] = {c.code_id for c in active if substantial(start, end, c.start, c.end)}
    return out
