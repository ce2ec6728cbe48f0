"""The transcript view: a Line API scroll view with a cursor, selections and codings.

Only the visible lines are drawn (``render_line``), from a :class:`Layout` made
for the current width, so a 100,000-word transcript scrolls and moves like a
short one. Codings are drawn from the model's span index:

* the text of a coded span gets its code's colour as a tinted background, and is
  underlined where two or more codings overlap;
* the margins (:mod:`~qualcode.tui.document.margin`) say which codes they are:
  left of the text one lane per overlapping coding, with the code's key on the
  coding's first line and a bar below it; right of the text, when the view is
  wide enough, the code's name where the coding starts;
* codings whose code left the codebook are drawn grey (and labelled by the
  status line), never hidden.

Other kinds of spans (search matches, pending suggestions) are drawn through
:class:`Overlay`: a span index plus a function from the payloads under a piece
of text to a style, and optionally a mark for the margin column right of the
lanes on every line the spans touch. ``set_overlay(name, overlay)`` adds or
replaces one; ``next_overlay_span`` moves between its spans.

The cursor sits *between* characters (like an editor) and is drawn on the
character after it; the selection is ``[min(anchor, cursor), max(...))``. Where
a key moves the cursor is the :class:`~qualcode.tui.document.navigator.Navigator`'s
answer; this widget keeps the state and draws it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...model import Coding
from .. import keymap
from .. import strings as S
from ..document.layout import HEADER, TEXT, Layout, grapheme_after, printable
from ..document.margin import LANES, MORE, Label, Margin, default_glyph
from ..document.model import DocumentModel, TextBlock
from ..document.navigator import VERTICAL, Navigator
from ..document.spans import SpanIndex

GUTTER = LANES + 2  # the lanes, a column for overlay marks, then a blank cell before the text
LABELS_FROM = 96  # views at least this wide name the codes right of the text
LABEL_WIDTH = (16, 32)  # the label column: at least, at most (a quarter of the view between)
_NOT_REVERSED = Style(reverse=False)


@dataclass(frozen=True)
class Overlay:
    """A kind of span drawn over the text, e.g. search matches or pending suggestions."""

    spans: SpanIndex[Hashable]
    style: Callable[[tuple[Hashable, ...]], Style]  # style for the payloads over a piece of text
    order: int = 0  # overlays are drawn in this order, after codings and before the selection
    # A mark in the margin (one cell) on lines the spans touch, from the payloads there.
    margin: Callable[[tuple[Hashable, ...]], Segment] | None = None


def label_width(view_width: int) -> int:
    """Cells for code names right of the text in a view this wide (0: none)."""
    if view_width < LABELS_FROM:
        return 0
    low, high = LABEL_WIDTH
    return max(low, min(high, view_width // 4))


class DocumentView(ScrollView, can_focus=True):
    """A transcript as speaker turns, with a cursor, a selection and coloured codings."""

    ALLOW_SELECT = False  # our own selection: exact code points, not terminal cells
    BINDINGS = keymap.bindings(keymap.DOCUMENT)
    COMPONENT_CLASSES = {
        "document--interviewer",
        "document--respondent",
        "document--other",
        "document--header-interviewer",
        "document--header-respondent",
        "document--header-other",
        "document--meta",
        "document--cursor",
        "document--selection",
        "document--dim",
        "document--missing",
        "document--search",
        "document--suggestion",
        "document--suggestion-current",
    }
    DEFAULT_CSS = """
    DocumentView {
        overflow-x: hidden;
        overflow-y: scroll;
        background: $surface;
        color: $foreground;
        & > .document--interviewer { color: $text-muted; text-style: italic; }
        & > .document--respondent { color: $foreground; }
        & > .document--other { color: $text-muted; }
        & > .document--header-interviewer { color: $text-secondary; text-style: bold; }
        & > .document--header-respondent { color: $text-primary; text-style: bold; }
        & > .document--header-other { color: $text-muted; text-style: bold; }
        & > .document--meta { color: $text-muted; }
        & > .document--cursor { background: $foreground; color: $surface; }
        & > .document--selection { text-style: reverse; }
        & > .document--dim { color: $text-disabled; }
        & > .document--missing { background: $panel-lighten-2; color: $text-muted; text-style: strike; }
        & > .document--search { background: $warning; color: $background; text-style: bold; }
        & > .document--suggestion { text-style: underline; }
        & > .document--suggestion-current { background: $panel-lighten-1; text-style: bold underline; }
    }
    """

    class CursorMoved(Message):
        """The cursor or the selection changed.

        Posted straight to the screen (see :meth:`_moved`): bubbling through the
        containers, it arrived after the screen had drawn the move, and the status
        line followed in a second frame a tick later.
        """

        def __init__(self, view: DocumentView) -> None:
            super().__init__()
            self.view = view

        @property
        def control(self) -> DocumentView:
            return self.view

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.model: DocumentModel | None = None
        self.layout_: Layout | None = None
        self.cursor = 0
        self.anchor: int | None = None
        self.overlays: dict[str, Overlay] = {}
        self.filter_spans: SpanIndex[int] | None = None  # show only these spans' blocks
        self._goal_cell: int | None = None  # column kept while moving up and down
        self._dragging = False
        self._code_styles: dict[tuple[str, bool], Style] = {}
        self._chip_styles: dict[str, Style] = {}
        self._to_draw: list[tuple[int, int] | None] = []  # line ranges not drawn yet (None: all)
        self._draw_queued = False
        self.navigator: Navigator | None = None
        self.margin: Margin | None = None
        # The bar of a coding below its first line; a team project gives each coder one.
        self.mark_glyph: Callable[[Coding], str] = self._coder_glyph

    # --- model, layout ------------------------------------------------------------

    def set_loading(self, loading: bool) -> None:
        """Cover the view while its transcript loads (``loading``), uncover it after; the footer follows.

        While a focused widget loads, Textual leaves its keys out of the screen's bindings, but
        nothing told the footer when loading ended: it kept the screen's keys only (no Sentence,
        no Turn) whenever it was drawn before the transcript had loaded (a slow machine, a long
        transcript), until the focus moved."""
        super().set_loading(loading)
        self.screen.refresh_bindings()

    def set_model(self, model: DocumentModel, cursor: int | None = None) -> None:
        """Show a transcript (built in a worker); put the cursor at ``cursor``."""
        self.model = model
        self.cursor = model.clamp(cursor if cursor is not None else (model.blocks[0].start if model.blocks else 0))
        self.anchor = None
        self._relayout()
        self._after_move()

    def _coder_glyph(self, coding: Coding) -> str:
        """The model's mark for the coding's coder (team projects), else the plain bar."""
        marks = self.model.coder_marks if self.model is not None else {}
        return marks.get(coding.coder) or default_glyph(coding)

    @property
    def label_width(self) -> int:
        """Cells right of the text for code names (0 in a narrow view)."""
        return label_width(self.scrollable_content_region.width)

    def _text_width(self) -> int:
        labels = self.label_width
        # One cell for a cursor after the text, and a blank before the labels.
        return self.scrollable_content_region.width - GUTTER - 1 - (labels + 1 if labels else 0)

    def _relayout(self) -> None:
        if self.model is None:
            return
        blocks = None
        if self.filter_spans is not None:
            blocks = {self.model.block_at(s).index for s, _, _ in self.filter_spans.spans}
            blocks |= {self.model.block_at(e - 1).index for _, e, _ in self.filter_spans.spans}
        old = self.layout_
        # Keep the cursor's line where it was on screen (a resize re-wraps everything above it).
        offset = old.line_of(self.cursor) - int(self.scroll_y) if old is not None else None
        self.layout_ = Layout(self.model, self._text_width(), blocks)
        self.navigator = Navigator(self.model, self.layout_)
        self.margin = Margin(self.model, self.layout_, self.mark_glyph)
        self.virtual_size = Size(self.scrollable_content_region.width, self.layout_.height)
        if offset is not None:
            self.scroll_to(y=max(0, self.layout_.line_of(self.cursor) - offset), animate=False)
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self.model is not None and (self.layout_ is None or self.layout_.width != max(10, self._text_width())):
            self._relayout()
            self.call_after_refresh(self.scroll_cursor_visible)

    def codings_changed(self, spans: list[tuple[int, int]] | None = None) -> None:
        """Redraw after the model's codings changed (the layout stays).

        With ``spans`` (where codings came or went) only the turns they touch are
        drawn again: their margin names may restack, nothing else changed.
        """
        self._code_styles.clear()
        self._chip_styles.clear()
        if self.filter_spans is not None:
            self._relayout()
        layout, model = self.layout_, self.model
        if spans and self.filter_spans is None and layout is not None and model is not None:
            for start, end in spans:
                first = layout.block_first_line.get(model.block_at(start).index, 0)
                last_block = model.block_at(max(start, end - 1)).index
                last = layout.block_first_line.get(last_block + 1, layout.height) - 1
                self._to_draw.append((first, max(first, last)))
        else:
            self._to_draw.append(None)
        self._moved()

    def _moved(self) -> None:
        """Tell the screen, then draw: both land in the screen's queue, in that order, so
        the move and the status line the screen writes for it show in one frame."""
        if not self.is_attached:
            self._draw_moves()
            return
        self.screen.post_message(self.CursorMoved(self))
        if not self._draw_queued:
            self._draw_queued = True
            self.screen.call_later(self._draw_moves)

    def set_filter(self, spans: SpanIndex[int] | None) -> None:
        """Show only the blocks with these spans (dimming the rest of their text), or all."""
        self.filter_spans = spans
        self._relayout()
        if spans is not None and len(spans) and not self.shows(self.cursor):
            self.cursor = spans.spans[0][0]
        self.anchor = None
        self._after_move()

    def set_overlay(self, name: str, overlay: Overlay | None) -> None:
        """Add, replace or (with None) remove an overlay of spans drawn over the text."""
        if overlay is None:
            self.overlays.pop(name, None)
        else:
            self.overlays[name] = overlay
        self.refresh()

    def next_overlay_span(self, name: str, forward: bool = True) -> tuple[int, int] | None:
        """Move the cursor to the next (previous) span of an overlay, wrapping around."""
        overlay = self.overlays.get(name)
        if overlay is None or not len(overlay.spans):
            return None
        spans = overlay.spans
        found = spans.next_start(self.cursor) if forward else spans.prev_start(self.cursor)
        if found is None:
            found = spans.spans[0] if forward else spans.spans[-1]
        self.move_to(found[0])
        return found[0], found[1]

    def reveal_span(self, start: int, end: int) -> None:
        """Put the cursor at ``start`` and scroll so that all of ``[start, end)`` shows, with context."""
        self.move_to(start)
        layout = self.layout_
        if layout is None:
            return
        first, last = layout.line_of(start), layout.line_of(max(start, end - 1))
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if first >= top + 1 and last <= top + height - 2:
            return  # already in view, with a line of margin
        target = first - max(1, height // 3)  # some context above, the span in the upper part
        if last - target > height - 2:
            target = min(first - 1, last - height + 2)  # a long span: as much of it as fits
        self.scroll_to(y=max(0, target), animate=False)

    # --- state --------------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected span, or None."""
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def select(self, start: int, end: int) -> None:
        """Select ``[start, end)`` with the cursor at its end."""
        old = self._dirty_lines()
        self.anchor, self.cursor = start, end
        self._goal_cell = None
        self._after_move(old)

    def clear_selection(self) -> bool:
        """Drop the selection; True if there was one."""
        if self.anchor is None:
            return False
        old = self._dirty_lines()
        self.anchor = None
        self._after_move(old)
        return True

    def move_to(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Put the cursor at ``offset``; ``extend`` grows the selection instead of dropping it."""
        if self.model is None:
            return
        old = self._dirty_lines()
        if extend:
            if self.anchor is None:
                self.anchor = self.cursor
        else:
            self.anchor = None
        self.cursor = self.model.clamp(offset)
        if not keep_goal:
            self._goal_cell = None
        self._after_move(old)

    def _dirty_lines(self) -> tuple[int, int]:
        """The range of lines the cursor and selection cover now (to redraw them after)."""
        if self.layout_ is None:
            return 0, 0
        low = min(self.cursor, self.anchor if self.anchor is not None else self.cursor)
        high = max(self.cursor, self.anchor if self.anchor is not None else self.cursor)
        return self.layout_.line_of(low), self.layout_.line_of(high)

    def _after_move(self, old: tuple[int, int] | None = None) -> None:
        if self.layout_ is not None:
            self._to_draw.extend([None] if old is None else [old, self._dirty_lines()])
        self._moved()

    def _draw_moves(self) -> None:
        """Redraw the lines that changed (cursor, selection, codings); keep the cursor in view.

        Run from the screen's queue after the screen has taken in the change, so the
        status line, the code list and these lines reach the screen for one frame.
        """
        self._draw_queued = False
        pending, self._to_draw = self._to_draw, []
        if self.layout_ is None:
            return
        if any(lines is None for lines in pending):
            self.refresh()
        else:
            for first, last in pending:
                self.refresh_lines(first, last - first + 1)
        self.scroll_cursor_visible()

    def scroll_cursor_visible(self) -> None:
        if self.layout_ is None:
            return
        line, cell = self.layout_.position(self.cursor)
        height = self.scrollable_content_region.height
        top = round(self.scroll_y)
        if line < top + 1 or line >= top + height - 1:
            block_start = self.layout_.block_first_line.get(self.model.block_at(self.cursor).index, line)
            # Show the turn's header when the cursor arrives near the top of its turn.
            target = block_start if line - block_start < height // 2 and line < top + 1 else None
            if target is None:
                target = line - 1 if line < top + 1 else line - height + 2
            self.scroll_to(y=max(0, target), animate=False)

    # --- drawing ------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        line = scroll_y + y
        if self.model is None or self.layout_ is None or line >= self.layout_.height:
            return Strip.blank(width, self.rich_style)
        return self.render_document_line(line).crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _style(self, name: str, partial: bool = False) -> Style:
        """A component style; ``partial`` ones only add what they set (to draw over a tint)."""
        return self.get_component_rich_style(f"document--{name}", partial=partial)

    def render_document_line(self, line: int) -> Strip:
        """One line of the document (header, text or blank), uncropped."""
        layout, model = self.layout_, self.model
        assert layout is not None and model is not None
        kind = layout.kinds[line]
        block = model.blocks[layout.block_of[line]]
        if kind == HEADER:
            return Strip([Segment(" " * GUTTER, self.rich_style), *self._header(block)])
        if kind != TEXT:
            return Strip([Segment(" " * GUTTER, self.rich_style)])
        start, end = layout.starts[line], layout.ends[line]
        segments = [*self._gutter(line, start, end), *self._text(line, block, start, end)]
        width = self.label_width
        if width:
            labels = self.margin.labels(line) if self.margin is not None else []
            if labels:
                used = sum(cell_len(segment.text) for segment in segments)
                pad = GUTTER + layout.width + 2 - used  # the cursor cell and a blank
                segments.append(Segment(" " * max(pad, 1), self.rich_style))
                segments.extend(self._labels(labels, width))
        return Strip(segments)

    def _header(self, block: TextBlock) -> list[Segment]:
        role = block.role or "other"
        turn = block.turn
        if turn is None:
            return [Segment(S.OUTSIDE_TURNS, self._style("header-other"))]
        label = S.TURN_HEADER.format(speaker=turn.speaker or S.NO_SPEAKER)
        meta = "  " + S.TURN_NUMBER.format(number=turn.index)
        if turn.time_start is not None:
            meta += "  " + format_time(turn.time_start)
        return [Segment(label, self._style(f"header-{role}")), Segment(meta, self._style("meta"))]

    def _gutter(self, line: int, start: int, end: int) -> list[Segment]:
        """The lanes (code keys and bars), the overlay mark column and a blank."""
        base = self.rich_style
        cells: list[Segment] = [Segment(" ", base)] * LANES
        if self.margin is not None:
            for mark in self.margin.marks(line):
                if mark.coding_id is None:
                    cells[mark.lane] = Segment(MORE, self._style("meta"))
                elif mark.first:
                    cells[mark.lane] = Segment(mark.glyph, self._chip_style(mark.color))
                else:
                    cells[mark.lane] = Segment(mark.glyph, base + Style(color=mark.color))
        mark = Segment(" ", base)
        for overlay in sorted(self.overlays.values(), key=lambda o: o.order):
            if overlay.margin is not None:
                payloads = overlay.spans.overlapping(start, max(end, start + 1))
                if payloads:
                    mark = overlay.margin(tuple(payloads))
        return [*cells, mark, Segment(" ", base)]

    def _chip_style(self, color: str) -> Style:
        """A code's key on the first line of its coding: bold, on the code's colour."""
        style = self._chip_styles.get(color)
        if style is None:
            shade = Color.parse(color)
            style = self.rich_style + Style(bgcolor=shade.rich_color, color=shade.get_contrast_text(1.0).rich_color, bold=True)
            self._chip_styles[color] = style
        return style

    def _labels(self, labels: list[Label], width: int) -> list[Segment]:
        """Code names right of the text: a square in the code's colour, the name, a memo mark."""
        out: list[Segment] = []
        meta = self._style("meta")
        left = width
        for label in labels:
            if left <= 2:
                break
            if label.coding_id is None:  # "+2": names that did not fit in the turn
                out.append(Segment(label.text[:left], meta))
                left -= len(label.text[:left])
                continue
            out.append(Segment("■ ", self.rich_style + Style(color=label.color)))
            text = label.text + (" " + S.STATUS_MEMO if label.memo else "")
            room = left - 2
            if cell_len(text) > room:
                text = _cut(text, room)
            style = meta + Style(italic=True) if label.displaced else meta
            if not label.in_codebook:
                style += Style(strike=True)
            out.append(Segment(text, style))
            left -= 2 + cell_len(text)
            if left > 1:
                out.append(Segment(" ", self.rich_style))
                left -= 1
        return out

    def _code_style(self, code_id: str, overlapping: bool) -> Style:
        """The tint of a coded span: its code's colour over the background (data, not CSS)."""
        key = (code_id, overlapping)
        style = self._code_styles.get(key)
        if style is None:
            assert self.model is not None
            info = self.model.code(code_id)
            if not info.in_codebook:
                style = self._style("missing", True)
            else:
                base = self.background_colors[1]
                tint = base.blend(Color.parse(info.color), 0.45)
                style = Style(bgcolor=tint.rich_color, color=tint.get_contrast_text(0.95).rich_color)
            if overlapping:
                style += Style(underline=True)
            self._code_styles[key] = style
        return style

    def _text(self, line: int, block: TextBlock, start: int, end: int) -> list[Segment]:
        model, layout = self.model, self.layout_
        assert model is not None and layout is not None
        text = model.text
        base = self._style(block.role or "other")
        selection = self.selection
        cursor = self.cursor
        # Cut the line wherever any style can change, then style each piece.
        cuts = {start, end}
        for s, e, _ in model.index.segments(start, end):
            cuts.add(s)
            cuts.add(e)
        overlays = sorted(self.overlays.values(), key=lambda o: o.order)
        for overlay in overlays:
            for s, e, _ in overlay.spans.segments(start, end):
                cuts.add(s)
                cuts.add(e)
        if self.filter_spans is not None:
            for s, e, _ in self.filter_spans.segments(start, end):
                cuts.add(s)
                cuts.add(e)
        if selection:
            cuts.update(p for p in selection if start < p < end)
        if start <= cursor < end:
            cuts.update((cursor, grapheme_after(text, cursor, end)))
        points = sorted(p for p in cuts if start <= p <= end)
        segments: list[Segment] = []
        selected, caret = self._style("selection", True), self._style("cursor", True)
        dim = self._style("dim", True)
        for a, b in itertools.pairwise(points):
            style = base
            if self.filter_spans is not None and not self.filter_spans.at(a):
                style = style + dim  # outside the filter: no tints, only the margin bars
            else:
                ids = model.index.at(a)
                if ids:
                    style = style + self._code_style(model.codings[ids[-1]].code_id, len(ids) > 1)
            for overlay in overlays:
                payloads = overlay.spans.at(a)
                if payloads:
                    style = style + overlay.style(payloads)
            if selection and selection[0] <= a < selection[1]:
                style = style + selected
            if a == cursor:
                style = style + _NOT_REVERSED + caret  # visible inside a (reversed) selection too
            segments.append(Segment(printable(text[a:b]), style))
        if cursor == end and layout.last_in_block[line] and start <= cursor:
            segments.append(Segment(" ", base + caret))
        return segments

    # --- positions ----------------------------------------------------------------

    def offset_at_screen(self, x: int, y: int) -> int | None:
        """The offset shown at widget-relative cell ``(x, y)``."""
        if self.layout_ is None or not self.layout_.height:
            return None
        line = self.layout_.text_line_near(int(self.scroll_y) + y)
        return self.layout_.offset_at(line, x + int(self.scroll_x) - GUTTER)

    def cursor_screen_position(self) -> tuple[int, int] | None:
        """``(line, cell)`` of the cursor in the whole document (cells include the margin)."""
        if self.layout_ is None:
            return None
        line, cell = self.layout_.position(self.cursor)
        return line, cell + GUTTER

    def shows(self, offset: int) -> bool:
        """Whether ``offset`` is in a turn the view shows (a code filter hides the others)."""
        return self.layout_ is not None and self.layout_.shows(offset)

    # --- mouse --------------------------------------------------------------------

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self.offset_at_screen(event.x, event.y)
        if offset is None or event.button != 1:
            return
        self.focus()
        self.move_to(offset, extend=event.shift)
        self._dragging = True
        self.capture_mouse()

    def on_click(self, event: events.Click) -> None:
        """A double click selects the sentence."""
        offset = self.offset_at_screen(event.x, event.y)
        if event.chain == 2 and offset is not None and self.model is not None:
            self.select(*self.model.sentence_at(offset))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            offset = self.offset_at_screen(event.x, event.y)
            if offset is not None and offset != self.cursor:
                self.move_to(offset, extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    # --- movement actions (targets from the navigator) ------------------------------

    def action_move(self, move: str, extend: bool = False) -> None:
        """Move the cursor by ``move`` (:data:`~..document.navigator.MOVES`); ``extend`` selects."""
        if self.navigator is not None:
            target = self.navigator.target(move, self.cursor)
            if target is not None:
                self.move_to(target, extend=extend)

    def action_vertical(self, direction: str, extend: bool = False) -> None:
        """A line ``up`` or ``down`` in the column the cursor started in."""
        self._go_lines(VERTICAL[direction], extend)

    def action_page(self, direction: str) -> None:
        """A screen up or down: the view scrolls and the cursor keeps its place on screen."""
        if self.navigator is None:
            return
        height = max(1, self.scrollable_content_region.height - 2) * VERTICAL[direction]
        self.scroll_to(y=max(0, self.scroll_y + height), animate=False)
        self._go_lines(height, False)

    def _go_lines(self, lines: int, extend: bool) -> None:
        if self.navigator is not None:
            target, self._goal_cell = self.navigator.vertical(self.cursor, lines, self._goal_cell)
            self.move_to(target, extend=extend, keep_goal=True)

    def _coded_spans(self) -> SpanIndex:
        assert self.model is not None
        return self.filter_spans if self.filter_spans is not None else self.model.index

    def action_coded(self, direction: str) -> None:
        """To the start of the next (``down``) or previous (``up``) coded segment."""
        if self.navigator is None:
            return
        spans = self._coded_spans()
        after = VERTICAL[direction] > 0
        target = Navigator.span_after(spans, self.cursor) if after else Navigator.span_before(spans, self.cursor)
        if target is not None:
            self.move_to(target)

    class NothingFound(Message):
        """A move found no target (e.g. no uncoded respondent turn is left)."""

        def __init__(self, what: str) -> None:
            super().__init__()
            self.what = what

    def action_uncoded_next(self) -> None:
        if not self.model:
            return
        block = self.model.next_uncoded_respondent_turn(self.cursor)
        if block is None:
            # Drop the selection anyway: a following "select turn" must not extend the old one.
            self.clear_selection()
            self.post_message(self.NothingFound("uncoded"))
            return
        if self.filter_spans is not None:
            self.set_filter(None)  # an uncoded turn is never inside a code filter
        self.move_to(block.start)

    # --- selection actions ------------------------------------------------------------

    def action_select_sentence(self) -> None:
        """Select the sentence at the cursor; with a selection, extend it by a sentence."""
        if self.model is None or self.navigator is None:
            return
        if self.selection is None:
            self.select(*self.model.sentence_at(self.cursor))
            return
        target = self.navigator.extend_by_sentence(self.anchor, self.cursor)
        if target is not None:
            self.move_to(target, extend=True)

    def action_select_turn(self) -> None:
        """Select the turn at the cursor; with a selection, extend it by a turn."""
        if self.model is None or self.navigator is None:
            return
        if self.selection is None:
            block = self.model.block_at(self.cursor)
            self.select(block.start, block.end)
            return
        target = self.navigator.extend_by_turn(self.anchor, self.cursor)
        if target is not None:
            self.move_to(target, extend=True)

    def target_span(self) -> tuple[int, int] | None:
        """What a code key codes: the selection, else the sentence at the cursor."""
        if self.model is None:
            return None
        return self.selection or self.model.sentence_at(self.cursor)


def _cut(text: str, cells: int) -> str:
    """``text`` cut to ``cells`` cells with an ellipsis."""
    out, used = [], 0
    for ch in text:
        width = cell_len(ch)
        if used + width > cells - 1:
            break
        out.append(ch)
        used += width
    return "".join(out) + "…"


def format_time(seconds: float) -> str:
    """``[hh:]mm:ss`` of a timestamp in seconds."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
