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

from collections.abc import Callable, Iterable, Sequence

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
    return content_spans([(t.start, t.end) for t in turns], len(text))


def content_spans(turns: Iterable[Span], length: int) -> list[Span]:
    """The non-empty turn spans, sorted (``[(0, length)]`` when there are none)."""
    spans = sorted(s for s in turns if s[0] < s[1])
    return spans or ([(0, length)] if length else [])


def document_units(text: str, turns: Sequence[Turn], unit: str) -> list[Span]:
    """Sorted, disjoint units of one transcript (for ``character``: the regions counted)."""
    return units_of(content_spans([(t.start, t.end) for t in turns], len(text)), unit, lambda: text)


def units_of(content: list[Span], unit: str, text: Callable[[], str]) -> list[Span]:
    """A transcript's units from its :func:`content_spans`; ``text()`` is read only to cut sentences."""
    if unit == CHARACTER:
        return union(content)
    if unit == TURN:
        return content
    if unit == SENTENCE:
        whole = text()
        return [s for start, end in content for s in sentence_spans(whole, start, end)]
    if unit == SEGMENT:
        return []
    raise ValueError(f"unknown unit {unit!r}")
