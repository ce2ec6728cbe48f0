"""Word positions, so that coded words are counted without reading or splitting the text.

The statistics count the words of a stretch ``[a, b)`` of a transcript exactly as
``len(text[a:b].split())`` does: runs of non-whitespace, a word cut by the edge of the
stretch counted as a word. For ``a < b`` that number is

    words_through(b) - words_before(a)

where ``words_through(b)`` is the number of words that start before ``b`` and
``words_before(a)`` the number of words that end at or before ``a`` (every such word
also starts before ``b``). The store keeps both numbers with every coding, and a
merged stretch of overlapping codings ``[first start, furthest end)`` takes
``words_before`` of its first coding and the largest ``words_through`` of its codings,
because ``words_through`` never decreases along the text.

Statistics read a coding as two integers that pack its offsets with its positions::

    opening = start * SCALE + PAD + words_before        closing = end * SCALE + words_through

Closings order like their ends (``words_through`` grows with the end and stays below
``PAD``), so the running maximum of closings is the closing of the furthest end; an
opening is at least that maximum exactly when its start is at or after the furthest end
(``words_before`` of a start never exceeds ``words_through`` of a later end); and over
merged stretches ``sum(closing) - sum(opening)`` is ``SCALE * chars + words - PAD *
stretches`` (:func:`chars_and_words`). One number per side halves what is read and
added up. It holds for offsets below 2**30 (SQLite keeps strings of at most 10**9
characters) and fewer than 2**32 - 1 words.

``\\s`` of :mod:`re` and ``str.split()`` share one definition of whitespace (Unicode
``isspace``), so the regex below finds exactly the words that ``split`` returns.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

_WORD = re.compile(r"(\S+)")


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    """The start and the end offset of every word of ``text``, in text order."""
    # Splitting on the words gives whitespace, word, whitespace, ...: their running
    # lengths are the bounds (C-level work, ~3x faster than a Match object per word).
    bounds = list(accumulate(map(len, _WORD.split(text))))
    return bounds[0:-1:2], bounds[1::2]


FEW = 4  # spans marked by counting the words before them; more share one pass over the whole text


def word_marks(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(words_before(start), words_through(end))`` of each ``(start, end)`` in ``text``.

    A few spans (a code key adds one) are marked by splitting the text before each end
    only, a fraction of finding every word's bounds: on a 100,000-word transcript a
    coding cost ~45 ms that way, past the coding screen's 30 ms per key.
    """
    spans = list(spans)
    if len(spans) <= FEW:
        return [(_words_before(text, start), len(text[:end].split())) for start, end in spans]
    return marks_in(word_bounds(text), spans)


def marks_in(bounds: tuple[list[int], list[int]], spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """:func:`word_marks` from the text's :func:`word_bounds` (found once for several uses)."""
    starts, ends = bounds
    return [(bisect_right(ends, start), bisect_left(starts, end)) for start, end in spans]


def _words_before(text: str, at: int) -> int:
    """How many words end at or before ``at``: those of ``text[:at]`` less one cut by ``at``."""
    counted = len(text[:at].split())
    if 0 < at < len(text) and not text[at - 1].isspace() and not text[at].isspace():
        counted -= 1  # the last word of the prefix goes on past ``at``
    return counted


SCALE = 1 << 33  # per character offset in a packed number
PAD = (1 << 32) - 1  # lifts an opening above every closing at the same offset


def packed(start: int, end: int, before: int, through: int) -> tuple[int, int]:
    """The opening and the closing of a span ``[start, end)`` with its word positions."""
    return start * SCALE + PAD + before, end * SCALE + through


def chars_and_words(total: int, stretches: int, scale: int = SCALE, pad: int = PAD) -> tuple[int, int]:
    """Characters and words of merged stretches from ``sum(closings) - sum(openings)``."""
    chars, words = divmod(total + pad * stretches, scale)
    return chars, words


INT64 = (1 << 63) - 1  # the largest integer SQLite computes with


@dataclass(frozen=True, slots=True)
class Packing:
    """Packed numbers of the codings of up to ``span`` consecutive transcript ids at
    once, so that one sorted list holds them all: with ``offset = (transcript_id -
    first) * stride``,

        opening = offset + start * scale + pad + words_before      closing = offset + end * scale + words_through

    No offset and no word position of the codings is above ``chars`` (a word takes at
    least one character). The words of all stretches added up are at most the
    characters they cover, ``span * chars``: ``pad`` is the smallest ``2**k - 1`` not
    below that and ``scale`` is ``2 * (pad + 1)``, so the orderings of the module
    docstring hold, :func:`chars_and_words` splits any sum, and a transcript's numbers
    stay below the next one's offset (``stride``): stretches never run from one
    transcript into the next. SQLite computes in 64 bits: :meth:`fitting` halves
    ``span`` until the largest number fits.
    """

    chars: int
    span: int
    scale: int
    pad: int
    stride: int

    @classmethod
    def of(cls, chars: int, span: int) -> Packing:
        pad = (1 << max(chars * span, 1).bit_length()) - 1
        scale = 2 * (pad + 1)
        return cls(chars, span, scale, pad, (chars + 1) * scale)

    @classmethod
    def fitting(cls, chars: int, span: int) -> Packing:
        """The packing for ``span`` transcript ids or, if its numbers would not fit in 64
        bits, for as many as fit (at least one: SQLite's texts are below 2**30 characters)."""
        packing = cls.of(chars, max(span, 1))
        while packing.span > 1 and packing.span * packing.stride > INT64:
            packing = cls.of(chars, packing.span // 2)
        return packing
