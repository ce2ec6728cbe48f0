"""Segments: the sentences of respondents' turns, and how codings line up with them.

The unit of a suggestion is a sentence, or a run of adjacent sentences, inside one
respondent turn. Interviewer turns are skipped: questions are not data. Which turns are the
interviewer's is the role stored on each turn at import (``Turn.role``): the one
source that statistics, export and the coding screen use too. Turns without a
role are the respondent's.

Sentences are cut by :func:`qualcode.text.sentence_spans`, the splitter of the
coding screen, so a suggestion covers exactly what pressing a code's key on a
sentence would code (and ``(gelach)`` closes a sentence instead of opening one).

A coding and a sentence *line up* when they overlap by at least half of the
shorter of the two (:func:`substantial`). That one rule decides which sentences a
human coding makes positive examples (training, evaluation) and which sentences
are already coded and need no suggestion. It accepts both a coding of a few words
inside a long sentence and a coding of a whole turn over each of its sentences.

:func:`is_content` tells the sentences worth a suggestion from backchannels
("Ja precies."), headers, timestamps and metadata lines.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..coding import SPAN_OVERLAP as OVERLAP  # share of the shorter span two spans must share to line up
from ..model import INTERVIEWER, Coding, Transcript, Turn
from ..text import sentence_spans

MIN_CONTENT_WORDS = 2  # words outside the stop list a sentence needs to be worth a suggestion ...
MIN_CLAUSE = 3  # ... or one, in a sentence of at least this many words ("Ze vertrouwen ons.")

# "Datum: 12 maart", "Aanwezig: ...", "Duur: 45 min": metadata lines of a transcript header.
METADATA = re.compile(
    r"^\W*(?:datum|tijd|duur|locatie|plaats|aanwezig|aanwezigen|deelnemers?|interviewer|"
    r"respondent|transcriptie|transcribent|opname|bestand|project|codenaam|versie|date|time|location)\s*:",
    re.IGNORECASE,
)
# Words of backchannels and fillers that the stop list lacks ("Mm-hm.", "Oké, precies.").
FILLERS = frozenset(
    "mm hm mmm mhm uh uhm eh ehm hè he oké okay ok precies klopt inderdaad prima juist zeker tja nou goh "
    "ah oh o jawel jazeker absoluut helemaal dank bedankt graag gedaan welkom".split()
)
_MARKS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
WORDS = re.compile(r"[^\W\d_]{2,}")  # words of two letters or more
_EDGES = ".,!?;:\"'()[]…“”‘’«»-–—/"  # punctuation often found before or after a word


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
    content: bool = True  # False: a backchannel, header, timestamp or metadata line
    # The lemmas of the interviewer's question before its turn (learned features), one
    # sequence shared by the sentences of the turn; empty without one (or without words).
    question: Sequence[str] = ()


def respondent_turns(transcript: Transcript) -> list[Turn]:
    """The turns that are not the interviewer's (by the role stored at import)."""
    return [turn for turn in transcript.turns if turn.role != INTERVIEWER and turn.end > turn.start]


def is_content(text: str, stop_words: Iterable[str] | frozenset[str], *, header: bool = False) -> bool:
    """Whether a sentence says something a code could be about.

    Not content: a turn outside any speaker's turns in a labelled transcript
    (``header``: a title, an attendance list), a metadata line (``Datum: ...``),
    and anything with fewer than :data:`MIN_CONTENT_WORDS` words outside the stop
    list (one will do in a clause of :data:`MIN_CLAUSE` words or more) --
    backchannels (``Ja precies.``, ``Mm-hm.``), a name alone (``Voorzitter.``),
    timestamps, numbers, stage directions (``(lacht)``).
    """
    if header or (":" in text and METADATA.match(text)):  # a metadata line has its colon
        return False
    stripped = _MARKS.sub(" ", text) if "(" in text or "[" in text else text  # "(lacht)", "[naam]"
    content = found = 0
    # The words of WORDS, found faster: a piece between spaces that is all letters once its
    # punctuation is off is one word (most are); the regex reads only the others ("mm-hm").
    for piece in stripped.lower().split():
        piece = piece.strip(_EDGES)
        if piece.isalpha():
            if len(piece) < 2:
                continue
            found += 1
            if piece not in stop_words and piece not in FILLERS:
                content += 1
                if content == MIN_CONTENT_WORDS:
                    return True  # most sentences: no need to read on
            continue
        for word in WORDS.findall(piece) if piece else ():
            found += 1
            if word not in stop_words and word not in FILLERS:
                content += 1
                if content == MIN_CONTENT_WORDS:
                    return True
    return content >= 1 and found >= MIN_CLAUSE


def check_content(sentences: Sequence[Sentence], indices: Iterable[int]) -> None:
    """Read ``content`` of the sentences at ``indices`` that an analysis left unread
    (``analyse(..., check_content=False)``: True outside header turns): :func:`is_content`
    outside a header. A sentence already read keeps what it has (it would get the same)."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    for i in indices:
        sentence = sentences[i]
        if sentence.content:
            sentence.content = is_content(sentence.text, STOP_WORDS)


def token_bounds(
    doc: Any, text: str, base: int, end: int | None = None, *, mark_starts: bool = False
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The sentences of a doc made of ``text[base:end]``: character spans
    (by :func:`~qualcode.text.sentence_spans`) and the token range of each.

    ``mark_starts`` also writes the sentence starts into the doc (``SENT_START``),
    for token patterns that ask for them; never on a parsed doc, whose parser set
    them already.
    """
    from spacy.attrs import IDX

    # `end` from the caller: Doc.text is rebuilt from every token on each access.
    end = base + len(doc.text) if end is None else end
    if not len(doc):
        return [], []
    spans, bounds = sentence_tokens(doc.to_array(IDX).tolist(), text, base, end)
    if mark_starts:
        mark_sentence_starts(doc, bounds)
    return spans, bounds


def sentence_tokens(
    idx: list[int],
    text: str,
    start: int,
    end: int,
    offset: int = 0,
    spans: Iterable[tuple[int, int]] | None = None,
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """The sentences of ``text[start:end]``, which a doc holds from character ``offset``
    (its tokens start at ``idx``): their character spans and token ranges.

    ``spans`` are those sentences when the caller has them already
    (:func:`~qualcode.text.sentence_spans` of the range, as the store keeps them).
    A sentence of whitespace tokens only (none start inside it) is left out.
    """
    kept_spans, bounds = [], []
    # bisect on a list, not numpy: arrays of a few dozen tokens cost more to set up than to search
    shift = offset - start
    for s_char, e_char in sentence_spans(text, start, end) if spans is None else spans:
        s, e = bisect_left(idx, s_char + shift), bisect_left(idx, e_char + shift)
        if e > s:
            kept_spans.append((s_char, e_char))
            bounds.append((s, e))
    return kept_spans, bounds


def mark_sentence_starts(doc: Any, bounds: list[tuple[int, int]]) -> None:
    """Write the sentence starts into the doc (``SENT_START``), unless a parser set them."""
    if doc.has_annotation("DEP") or not len(doc):
        return
    import numpy
    from spacy.attrs import SENT_START

    flags = numpy.full((len(doc), 1), 2**64 - 1, dtype="uint64")  # -1 (not a start) as spaCy stores it
    flags[[s for s, _ in bounds], 0] = 1
    doc.from_array([SENT_START], flags)


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
        if active:  # most sentences of a transcript have no coding near them
            active = [c for c in active if c.end > start]
            out[i] = {c.code_id for c in active if substantial(start, end, c.start, c.end)}
    return out
