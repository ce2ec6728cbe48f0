"""Re-anchoring codings when a transcript's text is replaced by an edited version.

A coding keeps its quoted text. When the source file was corrected (a typo, a name
anonymised, a paragraph added), each coding is placed again on the new text:

1. The old offset is mapped to the new text through a line-level diff (lines that
   did not change keep their relative position).
2. The quote is searched for in the new text; of all its occurrences the one
   nearest to the mapped position wins.
3. A quote that no longer occurs verbatim is matched with its whitespace collapsed
   (a re-wrapped line); failing that, the coding cannot be placed.

Codings that cannot be placed are never dropped or moved to a guessed spot: the
caller keeps them aside (detached) and reports them.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Coding


@dataclass(slots=True)
class Placement:
    coding: Coding
    start: int | None  # None: could not be placed
    end: int | None
    how: str  # "unchanged", "moved", "whitespace", "not found"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


class OffsetMap:
    """Maps offsets in an old text to the corresponding offsets in a new text."""

    def __init__(self, old: str, new: str) -> None:
        self.old_lines = old.split("\n")
        new_lines = new.split("\n")
        self.old_starts = _line_starts(old)
        self.new_starts = _line_starts(new)
        matcher = difflib.SequenceMatcher(None, self.old_lines, new_lines, autojunk=False)
        # Old line number -> new line number, for lines equal in both texts.
        self.blocks = [b for b in matcher.get_matching_blocks() if b.size]

    def __call__(self, offset: int) -> int:
        line = bisect.bisect_right(self.old_starts, offset) - 1
        column = offset - self.old_starts[line]
        for block in self.blocks:
            if block.a <= line < block.a + block.size:
                return self.new_starts[block.b + line - block.a] + column
        # A changed line: take the nearest preceding unchanged line as the anchor.
        before = [b for b in self.blocks if b.a + b.size <= line]
        if not before:
            return column
        last = before[-1]
        anchor_old = last.a + last.size - 1
        anchor_new = last.b + last.size - 1
        return self.new_starts[anchor_new] + (offset - self.old_starts[anchor_old])


def _collapsed_pattern(quote: str) -> re.Pattern | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def reanchor(old_text: str, new_text: str, codings: Iterable[Coding]) -> list[Placement]:
    """Where each coding's quote lands in ``new_text`` (see the module docstring)."""
    mapping = OffsetMap(old_text, new_text)
    placements = []
    for coding in codings:
        if new_text[coding.start : coding.end] == coding.quote and mapping(coding.start) == coding.start:
            placements.append(Placement(coding, coding.start, coding.end, "unchanged"))
            continue
        target = mapping(coding.start)
        spans = [(m.start(), m.start() + len(coding.quote)) for m in re.finditer(re.escape(coding.quote), new_text)]
        how = "moved"
        if not spans:
            pattern = _collapsed_pattern(coding.quote)
            spans = [m.span() for m in pattern.finditer(new_text)] if pattern else []
            how = "whitespace"
        if not spans:
            placements.append(Placement(coding, None, None, "not found"))
            continue
        start, end = min(spans, key=lambda span: abs(span[0] - target))
        if (start, end) == (coding.start, coding.end) and new_text[start:end] == coding.quote:
            how = "unchanged"
        placements.append(Placement(coding, start, end, how))
    return placements
