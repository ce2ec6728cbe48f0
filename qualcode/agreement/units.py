"""The units of an agreement study: what one decision of a coder is about.

* ``character`` - every code point of the turns' content (speaker labels,
  timestamps and text outside turns excluded), as NVivo's coding comparison does;
* ``sentence`` - every sentence of a turn (the regex splitter the coding screen uses);
* ``turn`` - every speaker turn;
* ``segment`` - no fixed units: each coded segment is checked against the other
  coder's (MAXQDA's criterion, :mod:`qualcode.agreement.segments`).

A transcript without recognised turns counts as one turn: its whole text.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model import Turn
from ..text import sentence_spans
from .runs import Span, union

CHARACTER = "character"
SENTENCE = "sentence"
TURN = "turn"
SEGMENT = "segment"
UNITS = (CHARACTER, SENTENCE, TURN, SEGMENT)


def turn_spans(text: str, turns: Sequence[Turn]) -> list[Span]:
    """The content spans of the turns (the whole text when there are none)."""
    spans = sorted((t.start, t.end) for t in turns if t.start < t.end)
    return spans or ([(0, len(text))] if text else [])


def document_units(text: str, turns: Sequence[Turn], unit: str) -> list[Span]:
    """Sorted, disjoint units of one transcript (for ``character``: the regions counted)."""
    if unit == CHARACTER:
        return union(turn_spans(text, turns))
    if unit == TURN:
        return turn_spans(text, turns)
    if unit == SENTENCE:
        return [s for start, end in turn_spans(text, turns) for s in sentence_spans(text, start, end)]
    if unit == SEGMENT:
        return []
    raise ValueError(f"unknown unit {unit!r}")
