"""Re-anchoring codings when a transcript's text is replaced by an edited version.

A coding keeps its quoted text. When the source file was corrected (a typo, a name
anonymised, a paragraph added or moved), each coding is placed again on the new
text, on its *own* text only:

1. The two texts are aligned word by word: lines that did not change map to each
   other (a line diff), and within the lines that changed the words are aligned
   (a word diff). A coding whose words all survived, in one run, next to at least
   one of their old neighbours, lands on them — however often the same words
   occur elsewhere ("school", "ja").
2. A coding whose words did not survive in place may have moved with its
   paragraph: the quote is looked for in the new text's *inserted* stretches, and
   taken there only if the words around it are its old neighbours (a long quote
   that occurs once there is recognised by itself).
3. A coding edited inside -- a typo corrected, a word changed, a name anonymised within
   it -- whose first and last words survived, in order, with most of its words between
   them and among its old neighbours, keeps its place: from its first word to its last
   in the new text (``edited``: the caller shows the old and the new quote).
4. Otherwise the coding cannot be placed. It is never dropped or put on another
   occurrence of the same words: the caller keeps it aside (detached) and reports it.
"""

from __future__ import annotations

import bisect
import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .model import Coding

_TOKEN = re.compile(r"\w+|[^\w\s]")
CONTEXT_WORDS = 5  # words on each side that must still surround a moved quote
CONTEXT_SHARE = 0.6  # share of those words, nearest first, that must still be there
LONG_QUOTE = 40  # characters from which a moved quote that occurs once is recognised by itself


@dataclass(slots=True)
class Placement:
    coding: Coding
    start: int | None  # None: could not be placed
    end: int | None
    how: str  # "unchanged", "moved", "whitespace", "edited", "not found"


def _line_starts(text: str) -> list[int]:
    starts = [0]
    starts.extend(m.end() for m in re.finditer("\n", text))
    return starts


class OffsetMap:
    """Maps offsets in an old text to the corresponding offsets in a new text (by lines)."""

    def __init__(self, old: str, new: str) -> None:
        self.old_lines = old.split("\n")
        self.new_lines = new.split("\n")
        self.old_starts = _line_starts(old)
        self.new_starts = _line_starts(new)
        matcher = difflib.SequenceMatcher(None, self.old_lines, self.new_lines, autojunk=False)
        self.opcodes = matcher.get_opcodes()
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


# Changed lines holding more words than this on either side (a transcript written as one
# long line) are aligned past their common first and last words first: the word matcher
# compares every word with every word, hours on 100,000 words for one corrected typo.
TRIM_OVER = 2_000


def _word_pairs(old: list[str], new: list[str]) -> Iterator[tuple[int, int]]:
    """The (old, new) positions of the words of changed lines that stayed, in order."""
    head = tail = 0
    if max(len(old), len(new)) > TRIM_OVER:
        most = min(len(old), len(new))
        while head < most and old[head] == new[head]:
            head += 1
        while tail < most - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
    yield from ((k, k) for k in range(head))
    middle = difflib.SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=False)
    for block in middle.get_matching_blocks():
        yield from ((head + block.a + k, head + block.b + k) for k in range(block.size))
    yield from ((len(old) - tail + k, len(new) - tail + k) for k in range(tail))


class _Alignment:
    """Which word of the old text is which word of the new text (None: changed or gone)."""

    def __init__(self, old: str, new: str) -> None:
        self.old_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(old)]
        self.new_tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(new)]
        self._old_starts = [s for s, _ in self.old_tokens]
        self.to_new: list[int | None] = [None] * len(self.old_tokens)
        self.inserted = [True] * len(self.new_tokens)  # new words no old word became
        lines = OffsetMap(old, new)
        for tag, a0, a1, b0, b1 in lines.opcodes:
            if tag == "delete" or tag == "insert":
                continue
            old_words = self._tokens_in(self.old_tokens, lines.old_starts, lines.old_lines, a0, a1)
            new_words = self._tokens_in(self.new_tokens, lines.new_starts, lines.new_lines, b0, b1)
            pairs: Iterable[tuple[int, int]]
            if tag == "equal":
                pairs = zip(range(*old_words), range(*new_words), strict=True)
            else:  # changed lines: align their words
                old_text = [old[s:e] for s, e in self.old_tokens[slice(*old_words)]]
                new_text = [new[s:e] for s, e in self.new_tokens[slice(*new_words)]]
                pairs = ((old_words[0] + a, new_words[0] + b) for a, b in _word_pairs(old_text, new_text))
            for i, j in pairs:
                self.to_new[i] = j
                self.inserted[j] = False

    @staticmethod
    def _tokens_in(tokens, starts, lines, first: int, stop: int) -> tuple[int, int]:
        """The range of token numbers on lines ``first`` to ``stop`` (exclusive)."""
        if first >= stop:
            return (0, 0)
        begin = starts[first]
        end = starts[stop - 1] + len(lines[stop - 1])
        lo = bisect.bisect_left(tokens, (begin, -1))
        hi = bisect.bisect_left(tokens, (end, -1))
        return (lo, hi)

    def neighbour_kept(self, first: int, last: int) -> bool:
        """True if the word before ``first`` or the word after ``last`` (old numbers) still
        stands right before or after where those words went (or both are at an edge)."""
        new_first, new_last = self.to_new[first], self.to_new[last]
        assert new_first is not None and new_last is not None
        if first == 0 and new_first == 0:
            return True
        if last == len(self.old_tokens) - 1 and new_last == len(self.new_tokens) - 1:
            return True
        before = self.to_new[first - 1] if first > 0 else None
        after = self.to_new[last + 1] if last + 1 < len(self.old_tokens) else None
        return (before is not None and before == new_first - 1) or (after is not None and after == new_last + 1)

    def words(self, start: int, end: int) -> range:
        """Numbers of the old words that ``[start, end)`` overlaps."""
        lo = bisect.bisect_right(self._old_starts, start) - 1
        if lo < 0 or self.old_tokens[lo][1] <= start:
            lo += 1
        hi = bisect.bisect_left(self._old_starts, end)
        return range(lo, hi)


def _collapsed_pattern(quote: str) -> re.Pattern | None:
    words = quote.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


def reanchor(old_text: str, new_text: str, codings: Iterable[Coding]) -> list[Placement]:
    """Where each coding's quote lands in ``new_text`` (see the module docstring)."""
    if old_text == new_text:
        return [Placement(c, c.start, c.end, "unchanged") for c in codings]
    alignment = _Alignment(old_text, new_text)
    placements = []
    for coding in codings:
        placed = _in_place(alignment, old_text, new_text, coding) or _moved(alignment, old_text, new_text, coding)
        edited = None if placed else _edited(alignment, coding)
        if edited is not None:
            placements.append(Placement(coding, *edited, "edited"))
            continue
        if placed is None:
            placements.append(Placement(coding, None, None, "not found"))
            continue
        start, end = placed
        if new_text[start:end] != coding.quote:
            how = "whitespace"
        elif (start, end) == (coding.start, coding.end):
            how = "unchanged"
        else:
            how = "moved"
        placements.append(Placement(coding, start, end, how))
    return placements


def _same_text(quote: str, text: str) -> bool:
    return quote == text or quote.split() == text.split()


def _in_place(alignment: _Alignment, old_text: str, new_text: str, coding: Coding) -> tuple[int, int] | None:
    """The coding's own words in the new text, if they all survived in one run."""
    words = alignment.words(coding.start, coding.end)
    if not words:
        return None  # only white space: nothing to recognise it by
    mapped = [j for i in words if (j := alignment.to_new[i]) is not None]
    if len(mapped) < len(words) or mapped != list(range(mapped[0], mapped[0] + len(mapped))):
        return None
    if len(coding.quote.strip()) < LONG_QUOTE and not alignment.neighbour_kept(words[0], words[-1]):
        return None  # the same words, but not among the words they stood among
    (old_first, _), (new_first, _) = alignment.old_tokens[words[0]], alignment.new_tokens[mapped[0]]
    (_, old_last), (_, new_last) = alignment.old_tokens[words[-1]], alignment.new_tokens[mapped[-1]]
    # A span may start or end inside a word: keep the same distance from its edges.
    start = new_first + max(0, coding.start - old_first)
    end = new_last - max(0, old_last - coding.end)
    return (start, end) if start < end and _same_text(coding.quote, new_text[start:end]) else None


EDITED_MIN_WORDS = 4  # words a coding needs before an edit inside it keeps its place
EDITED_KEPT = 0.6  # share of its words that must survive between its first and last


def _edited(alignment: _Alignment, coding: Coding) -> tuple[int, int] | None:
    """The coding's place when it was edited inside: its first and last words survived, in
    order, and enough of the words between them (see the module doc)."""
    words = alignment.words(coding.start, coding.end)
    if len(words) < EDITED_MIN_WORDS:
        return None  # too short: an edit may change what it says
    first, last = alignment.to_new[words[0]], alignment.to_new[words[-1]]
    if first is None or last is None or last <= first:
        return None
    mapped = [j for i in words if (j := alignment.to_new[i]) is not None]
    in_order = all(a < b for a, b in zip(mapped, mapped[1:], strict=False))
    if not in_order or len(mapped) < EDITED_KEPT * len(words) or last - first + 1 > 2 * len(words):
        return None
    if not alignment.neighbour_kept(words[0], words[-1]):
        return None
    (old_first, _), (new_first, _) = alignment.old_tokens[words[0]], alignment.new_tokens[first]
    (_, old_last), (_, new_last) = alignment.old_tokens[words[-1]], alignment.new_tokens[last]
    start = new_first + max(0, coding.start - old_first)
    end = new_last - max(0, old_last - coding.end)
    return (start, end) if start < end else None


def edits(old: str, new: str) -> list[tuple[str, str]]:
    """The words that differ between an edited coding's old and new text, as (old, new)
    pairs of stretches ("" where words were only removed or only added)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(" ".join(a[i0:i1]), " ".join(b[j0:j1])) for tag, i0, i1, j0, j1 in matcher.get_opcodes() if tag != "equal"]


def _moved(alignment: _Alignment, old_text: str, new_text: str, coding: Coding) -> tuple[int, int] | None:
    """The quote in a stretch of new text that no old text became, next to its old neighbours."""
    pattern = re.compile(re.escape(coding.quote)) if coding.quote.strip() else None
    spans = [m.span() for m in pattern.finditer(new_text)] if pattern else []
    if not spans:
        loose = _collapsed_pattern(coding.quote)
        spans = [m.span() for m in loose.finditer(new_text)] if loose else []
    new_starts = [s for s, _ in alignment.new_tokens]
    fresh = [
        (s, e)
        for s, e in spans
        if all(alignment.inserted[j] for j in range(bisect.bisect_left(new_starts, s), bisect.bisect_left(new_starts, e)))
    ]
    if len(fresh) == 1 and len(coding.quote.strip()) >= LONG_QUOTE:
        return fresh[0]
    context = _context(old_text, coding.start, coding.end)
    good = [span for span in fresh if _neighbours_kept(context, new_text, *span)]
    return good[0] if len(good) == 1 else None  # two equally good places: not ours to guess


def _context(text: str, start: int, end: int) -> tuple[list[str], list[str]]:
    """The words before (nearest first) and after a span."""
    reach = 20 * CONTEXT_WORDS
    left = _TOKEN.findall(text[max(0, start - reach) : start])[-CONTEXT_WORDS:]
    right = _TOKEN.findall(text[end : end + reach])[:CONTEXT_WORDS]
    return left[::-1], right


def _neighbours_kept(old_context: tuple[list[str], list[str]], new_text: str, start: int, end: int) -> bool:
    """True if, nearest first, most of the quote's old neighbours still surround ``[start, end)``."""
    old_left, old_right = old_context
    total = len(old_left) + len(old_right)
    if total == 0:
        return True  # the quote was the whole text
    new_left, new_right = _context(new_text, start, end)
    kept = _run(old_left, new_left) + _run(old_right, new_right)
    return kept / total >= CONTEXT_SHARE


def _run(old: list[str], new: list[str]) -> int:
    """How many words, from the quote outward, are the same."""
    count = 0
    for a, b in zip(old, new, strict=False):
        if a != b:
            break
        count += 1
    return count
