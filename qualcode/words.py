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
from itertools import accumulate

_WORD = re.compile(r"(\S+)")


def word_bounds(text: str) -> tuple[list[int], list[int]]:
    """The start and the end offset of every word of ``text``, in text order."""
    # Splitting on the words gives whitespace, word, whitespace, ...: their running
    # lengths are the bounds (C-level work, ~3x faster than a Match object per word).
    bounds = list(accumulate(map(len, _WORD.split(text))))
    return bounds[0:-1:2], bounds[1::2]


def word_marks(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(words_before(start), words_through(end))`` of each ``(start, end)`` in ``text``."""
    starts, ends = word_bounds(text)
    return [(bisect_right(ends, start), bisect_left(starts, end)) for start, end in spans]


SCALE = 1 << 33  # per character offset in a packed number
PAD = (1 << 32) - 1  # lifts an opening above every closing at the same offset


def packed(start: int, end: int, before: int, through: int) -> tuple[int, int]:
    """The opening and the closing of a span ``[start, end)`` with its word positions."""
    return start * SCALE + PAD + before, end * SCALE + through


def chars_and_words(total: int, stretches: int) -> tuple[int, int]:
    """Characters and words of merged stretches from ``sum(closings) - sum(openings)``."""
    chars, words = divmod(total + PAD * stretches, SCALE)
    return chars, words
