"""Lay a document out for one width: wrapped lines and the offset ↔ screen index.

Every block becomes a header line (speaker, turn number, timestamp), its text
wrapped to the width, and a blank line. A text line is a code-point range
``[start, end)`` of the transcript; lines are kept in parallel lists so that
"which line shows offset X" is one bisect and "which offset is at column C of
line L" looks at one line only. Cells, not code points, decide where a line
wraps and where the cursor is drawn: an emoji or a CJK character takes two
cells (``rich.cells``), a combining mark none.

Pure ASCII-width paragraphs (almost all Dutch text) wrap with ``str.rfind`` at C
speed; only paragraphs with wide or zero-width characters are walked per
character. A 100,000-word transcript lays out in tens of milliseconds, so a
resize simply lays out again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from rich.cells import cell_len
from rich.cells import split_graphemes as _split_graphemes  # rich >= 14: ZWJ emoji, flags, VS16 as drawn

from .model import DocumentModel, TextBlock

# Characters that always take one cell: printable ASCII, Latin-1 and Latin Extended
# (Dutch text nearly always), so most lines skip the per-grapheme measuring.
_ONE_CELL = frozenset(map(chr, range(0x20, 0x7F))) | frozenset(map(chr, range(0xA0, 0x300))) - {"\xad"}  # soft hyphen: 0
_single_cells = _ONE_CELL.issuperset


_CONTROL = {i: " " for i in range(32)}


def printable(text: str) -> str:
    """Text as drawn: newlines, tabs and other control characters become one blank each."""
    return text.translate(_CONTROL)


def graphemes(text: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """``(start, end, cells)`` of each grapheme in ``text[start:end]``, in absolute offsets."""
    spans, _ = _split_graphemes(printable(text[start:end]))
    return [(start + a, start + b, w) for a, b, w in spans]


def grapheme_after(text: str, pos: int, end: int) -> int:
    """The offset after the grapheme that starts at ``pos`` (a cursor step right)."""
    if pos >= end:
        return end
    if pos + 1 == end or _single_cells(text[pos : pos + 2]):
        return pos + 1
    return graphemes(text, pos, min(end, pos + 32))[0][1]


def grapheme_before(text: str, pos: int, start: int) -> int:
    """The start of the grapheme that ends at ``pos`` (a cursor step left)."""
    if pos <= start:
        return start
    if pos - 1 == start or _single_cells(text[pos - 2 : pos]):
        return pos - 1
    return graphemes(text, max(start, pos - 32), pos)[-1][0]


HEADER = 0
TEXT = 1
BLANK = 2

MIN_WIDTH = 10


class Layout:
    """The lines of a document at one text width (optionally only some blocks)."""

    def __init__(self, model: DocumentModel, width: int, blocks: Iterable[int] | None = None) -> None:
        self.model = model
        self.width = max(MIN_WIDTH, width)
        self.version = model.version
        self.kinds: list[int] = []
        self.block_of: list[int] = []  # block index per line
        self.starts: list[int] = []  # TEXT lines: first offset; others: the block start
        self.ends: list[int] = []
        self.narrow: list[bool] = []  # every character on the line is one cell wide
        self.last_in_block: list[bool] = []
        self.block_first_line: dict[int, int] = {}
        # TEXT lines only, for bisect: their starts and their line numbers.
        self.text_starts: list[int] = []
        self.text_lines: list[int] = []
        chosen = range(len(model.blocks)) if blocks is None else sorted(set(blocks))
        for i in chosen:
            self._add_block(model.blocks[i])

    @property
    def height(self) -> int:
        return len(self.kinds)

    # --- building -----------------------------------------------------------------

    def _line(self, kind: int, block: int, start: int, end: int, narrow: bool = True) -> None:
        if kind == TEXT:
            self.text_starts.append(start)
            self.text_lines.append(len(self.kinds))
        self.kinds.append(kind)
        self.block_of.append(block)
        self.starts.append(start)
        self.ends.append(end)
        self.narrow.append(narrow)
        self.last_in_block.append(False)

    def _add_block(self, block: TextBlock) -> None:
        self.block_first_line[block.index] = len(self.kinds)
        self._line(HEADER, block.index, block.start, block.start)
        text, pos, end = self.model.text, block.start, block.end
        while pos < end:
            newline = text.find("\n", pos, end)
            para_end = end if newline < 0 else newline
            self._wrap(block.index, pos, para_end, newline >= 0)
            pos = para_end + 1 if newline >= 0 else end
        if block.end > block.start and text[block.end - 1] == "\n":
            self._line(TEXT, block.index, block.end, block.end)  # room for the cursor after it
        self.last_in_block[-1] = True
        self._line(BLANK, block.index, block.end, block.end)

    def _wrap(self, block: int, start: int, end: int, has_newline: bool) -> None:
        """Greedy word wrap of one paragraph ``[start, end)``; the newline joins its last line."""
        text, width = self.model.text, self.width
        tail = 1 if has_newline else 0
        if start == end:
            self._line(TEXT, block, start, end + tail)
            return
        if _single_cells(text[start:end]):
            pos = start
            while end - pos > width:
                cut = text.rfind(" ", pos + 1, pos + width + 1)
                if cut < 0:
                    cut = pos + width  # one word longer than the line: break it
                else:
                    cut += 1
                    while cut < end and text[cut] == " ":
                        cut += 1  # runs of spaces stay at the end of the line
                self._line(TEXT, block, pos, cut)
                pos = cut
            self._line(TEXT, block, pos, end + tail)
            return
        self._wrap_cells(block, start, end, tail)

    def _wrap_cells(self, block: int, start: int, end: int, tail: int) -> None:
        """Word wrap by grapheme and cell width (wide, zero-width and joined characters)."""
        text, width = self.model.text, self.width
        pos, cells, space = start, 0, -1
        for g_start, g_end, w in graphemes(text, start, end):
            if cells + w > width and g_start > pos and text[g_start] != " ":
                cut = space if space > pos else g_start
                self._line(TEXT, block, pos, cut, narrow=False)
                cells = _cells(text, cut, g_start)
                pos, space = cut, -1
            if text[g_start] == " ":
                space = g_end  # a line may break after this blank
            cells += w
        self._line(TEXT, block, pos, end + tail, narrow=False)

    # --- queries ------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """The TEXT line that shows ``offset`` (the nearest one for hidden text)."""
        if not self.text_starts:
            return 0
        k = max(bisect_right(self.text_starts, offset) - 1, 0)
        return self.text_lines[k]

    def max_offset(self, line: int) -> int:
        """The last cursor position on a TEXT line."""
        if self.last_in_block[line]:
            return self.ends[line]
        return max(self.starts[line], self.ends[line] - 1)

    def cell_of(self, line: int, offset: int) -> int:
        """The cell (column in the text area) of ``offset`` on ``line``."""
        start = self.starts[line]
        offset = min(max(offset, start), self.max_offset(line))
        if self.narrow[line]:
            return offset - start
        return _cells(self.model.text, start, offset)

    def position(self, offset: int) -> tuple[int, int]:
        """``(line, cell)`` of an offset."""
        line = self.line_of(offset)
        return line, self.cell_of(line, offset)

    def offset_at(self, line: int, cell: int) -> int:
        """The offset drawn at ``cell`` of ``line`` (clamped to the line)."""
        start, last = self.starts[line], self.max_offset(line)
        if cell <= 0:
            return start
        if self.narrow[line]:
            return min(start + cell, last)
        x = 0
        for g_start, _, w in graphemes(self.model.text, start, last):
            if x + w > cell:
                return g_start
            x += w
        return last

    def next_text_line(self, line: int, step: int) -> int | None:
        """The nearest TEXT line ``step`` (±1) away from ``line``."""
        line += step
        while 0 <= line < self.height:
            if self.kinds[line] == TEXT:
                return line
            line += step
        return None

    def text_line_near(self, line: int) -> int:
        """A TEXT line at or after ``line`` (before, at the end)."""
        line = min(max(line, 0), self.height - 1)
        if self.kinds[line] == TEXT:
            return line
        return self.next_text_line(line, 1) or self.next_text_line(line, -1) or 0

    def shows(self, offset: int) -> bool:
        """Whether ``offset`` lies in a block of this layout."""
        if not self.text_starts:
            return False
        line = self.line_of(offset)
        return self.starts[line] <= offset <= self.max_offset(line)


def _cells(text: str, start: int, end: int) -> int:
    piece = text[start:end]
    if _single_cells(piece):
        return len(piece)
    return cell_len(printable(piece))
