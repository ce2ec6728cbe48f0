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

from collections.abc import Callable, Sequence
from operator import lt

from ..model import Turn
from ..text import content_spans, sentences_in
from .runs import Regions, Span, Units, length, union

CHARACTER = "character"
SENTENCE = "sentence"
TURN = "turn"
SEGMENT = "segment"
UNITS = (CHARACTER, SENTENCE, TURN, SEGMENT)


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
        return sentences_in(text(), content)
    if unit == SEGMENT:
        return []
    raise ValueError(f"unknown unit {unit!r}")


def stored_units(starts: Sequence[int], ends: Sequence[int], unit: str) -> Regions | Units:
    """A transcript's units from the bounds the store keeps: its sentences (``sentence``)
    or its :func:`content_spans` (``character``, ``turn``), as :func:`units_of` gives them.

    Content spans are sorted; only touching ones need merging into character regions,
    and the comparison that says none touch runs in C.
    """
    if unit != CHARACTER:
        return Units.of(starts, ends)
    if all(map(lt, ends, starts[1:])):  # apart: their union is themselves
        return Regions.of(starts, ends)
    return Regions(union(zip(starts, ends, strict=True)))


def units_size(starts: Sequence[int], ends: Sequence[int], unit: str) -> int:
    """How many units :func:`stored_units` gives for these bounds (for ``character``: the
    characters of its regions), without building them."""
    if unit != CHARACTER:
        return len(starts)
    if all(map(lt, ends, starts[1:])):  # apart: the regions are the spans themselves
        return sum(ends) - sum(starts)
    return length(union(zip(starts, ends, strict=True)))
