"""Where each cursor movement and selection step leads (pure: no Textual).

Like Textual's own ``DocumentNavigator``, the :class:`Navigator` answers "from
here, where does this key go?" for one :class:`DocumentModel` laid out at one
width (:class:`Layout`); the :class:`~qualcode.tui.widgets.document.DocumentView`
keeps the cursor and the selection and only asks. Offsets are code points into
the transcript; blocks the layout leaves out (a code filter shows only some turns)
are skipped, so every answer is a place the view shows.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...text import next_word_start, prev_word_start, word_end
from .layout import Layout, grapheme_after, grapheme_before
from .model import DocumentModel, TextBlock
from .spans import SpanIndex

# The moves a key can make, by name (the keymap's ``move('…')`` actions).
MOVES = (
    "char_left",
    "char_right",
    "word_left",
    "word_right",
    "word_end",
    "sentence_prev",
    "sentence_next",
    "turn_prev",
    "turn_next",
    "line_start",
    "line_end",
    "document_start",
    "document_end",
)
VERTICAL = {"up": -1, "down": 1}  # lines; page moves are a screen's height


class Navigator:
    """Cursor targets in one laid-out document."""

    def __init__(self, model: DocumentModel, layout: Layout) -> None:
        self.model = model
        self.layout = layout

    def target(self, move: str, pos: int) -> int | None:
        """Where ``move`` (one of :data:`MOVES`) leads from ``pos``; None: nowhere."""
        if move not in MOVES:
            raise ValueError(f"unknown move {move!r}")
        return getattr(self, move)(pos)

    # --- blocks ---------------------------------------------------------------------

    def shown(self, offset: int) -> bool:
        return self.layout.shows(offset)

    def visible_blocks(self, start: int, step: int) -> Iterator[TextBlock]:
        """Blocks from index ``start`` in direction ``step`` that the layout shows."""
        blocks, first_lines = self.model.blocks, self.layout.block_first_line
        i = start
        while 0 <= i < len(blocks):
            if i in first_lines:
                yield blocks[i]
            i += step

    # --- characters, words, lines -----------------------------------------------------

    def char_right(self, pos: int) -> int:
        block = self.model.block_at(pos)
        if pos < block.end:
            return grapheme_after(self.model.text, pos, block.end)
        following = next(self.visible_blocks(block.index + 1, 1), None)
        return following.start if following else pos

    def char_left(self, pos: int) -> int:
        block = self.model.block_at(pos)
        if pos > block.start:
            return grapheme_before(self.model.text, pos, block.start)
        previous = next(self.visible_blocks(block.index - 1, -1), None)
        return previous.end if previous else pos

    def word_right(self, pos: int) -> int:
        block = self.model.block_at(pos)
        if pos >= block.end:
            return self.char_right(pos)
        return next_word_start(self.model.text, pos, block.end)

    def word_left(self, pos: int) -> int:
        block = self.model.block_at(pos)
        if pos <= block.start:
            return self.char_left(pos)
        return prev_word_start(self.model.text, pos, block.start)

    def word_end(self, pos: int) -> int:
        """The end of the word at or after ``pos`` (extending a selection by a word)."""
        block = self.model.block_at(pos)
        return word_end(self.model.text, pos, block.end) if pos < block.end else self.char_right(pos)

    def line_start(self, pos: int) -> int:
        return self.layout.starts[self.layout.line_of(pos)]

    def line_end(self, pos: int) -> int:
        return self.layout.max_offset(self.layout.line_of(pos))

    def vertical(self, pos: int, lines: int, goal: int | None) -> tuple[int, int]:
        """The offset ``lines`` text lines away in the goal column; returns it and the goal."""
        layout = self.layout
        line, cell = layout.position(pos)
        goal = cell if goal is None else goal
        step = 1 if lines > 0 else -1
        for _ in range(abs(lines)):
            following = layout.next_text_line(line, step)
            if following is None:
                break
            line = following
        return layout.offset_at(line, goal), goal

    # --- sentences, turns, the document -------------------------------------------------

    def sentence_next(self, pos: int) -> int | None:
        found = self.model.next_sentence(pos)
        while found is not None and not self.shown(found[0]):
            found = self.model.next_sentence(found[0])
        return found[0] if found else None

    def sentence_prev(self, pos: int) -> int | None:
        target = self.model.prev_sentence_start(pos)
        while target is not None and not self.shown(target):
            target = self.model.prev_sentence_start(target)
        return target

    def turn_next(self, pos: int) -> int | None:
        following = next(self.visible_blocks(self.model.block_at(pos).index + 1, 1), None)
        return following.start if following else None

    def turn_prev(self, pos: int) -> int | None:
        """The start of this turn, or of the previous one when already there."""
        block = self.model.block_at(pos)
        if pos > block.start and block.index in self.layout.block_first_line:
            return block.start
        previous = next(self.visible_blocks(block.index - 1, -1), None)
        return previous.start if previous else None

    def document_start(self, pos: int) -> int | None:
        first = next(self.visible_blocks(0, 1), None)
        return first.start if first else None

    def document_end(self, pos: int) -> int | None:
        last = next(self.visible_blocks(len(self.model.blocks) - 1, -1), None)
        return last.end if last else None

    @staticmethod
    def span_after(spans: SpanIndex, pos: int) -> int | None:
        """The start of the first span starting after ``pos`` (coded segments, matches)."""
        found = spans.next_start(pos)
        return found[0] if found else None

    @staticmethod
    def span_before(spans: SpanIndex, pos: int) -> int | None:
        found = spans.prev_start(pos)
        return found[0] if found else None

    # --- growing a selection -------------------------------------------------------------

    def extend_by_sentence(self, anchor: int, cursor: int) -> int | None:
        """The new cursor when a selection grows by a sentence (away from its anchor)."""
        model = self.model
        if cursor >= anchor:
            found = model.next_sentence(cursor - 1)
            while found is not None and found[1] <= cursor:
                found = model.next_sentence(found[0])
            return found[1] if found else None
        return model.prev_sentence_start(cursor)

    def extend_by_turn(self, anchor: int, cursor: int) -> int | None:
        """The new cursor when a selection grows by a turn (away from its anchor)."""
        block = self.model.block_at(cursor)
        if cursor >= anchor:
            target = block if cursor < block.end else next(self.visible_blocks(block.index + 1, 1), None)
            return target.end if target else None
        target = block if cursor > block.start else next(self.visible_blocks(block.index - 1, -1), None)
        return target.start if target else None
