"""A table of plain-text rows that draws only what is on screen (the transcripts list).

Textual's ``DataTable`` measures every cell of every row when rows are added: at
1,000 transcripts that took longer than the rest of the app's start together.
Here a column's width is the length of its longest value (one ``max`` over
strings), and ``render_line`` draws the visible rows only, so 1,000 rows cost what
20 do. What the list needs of a table is here: a header, a row cursor, zebra
stripes, a double click to choose a row (Enter belongs to the screen's keymap),
scrolling both ways.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from .wide import mark_cut

MAX_WIDTH = 40  # a column grows no wider than this (longer values end in "…"), but for the first: see _fit
GAP = 2  # cells between columns


@dataclass(frozen=True, slots=True)
class Column:
    """A column: its header, a key, and whether numbers line up on the right."""

    label: str
    key: str
    right: bool = False


class RowTable(ScrollView, can_focus=True):
    """Rows of strings with a header line and a row cursor."""

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "edge(-1)", show=False),
        Binding("end", "edge(1)", show=False),
    ]  # Enter is the screen's (its keymap binding, shown in the footer); see action_choose
    COMPONENT_CLASSES = {"rows--header", "rows--cursor", "rows--odd"}
    DEFAULT_CSS = """
    RowTable {
        background: $surface;
        color: $foreground;
        overflow: auto auto;
        & > .rows--header { text-style: bold; color: $text-primary; background: $panel; }
        & > .rows--cursor { background: $block-cursor-blurred-background; }
        & > .rows--odd { background: $boost; }
        &:focus > .rows--cursor { background: $block-cursor-background; color: $block-cursor-foreground; text-style: bold; }
    }
    """

    cursor_row: reactive[int] = reactive(0, init=False, always_update=True)

    class RowSelected(Message):
        """A double click on a row (or ``action_choose``)."""

        def __init__(self, table: RowTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns: list[Column] = []
        self.rows: list[tuple[str, ...]] = []
        self.keys: list[str] = []
        self.widths: list[int] = []
        self.natural: list[int] = []  # each column's longest value

    # --- content ------------------------------------------------------------------------

    def set_rows(self, columns: Sequence[Column], rows: Sequence[Sequence[str]], keys: Sequence[str]) -> None:
        """Show these rows (``keys`` name them), keeping the cursor where it was if it can."""
        self.columns = list(columns)
        self.rows = [tuple(row) for row in rows]
        self.keys = list(keys)
        self.natural = [
            max([cell_len(column.label), *(len(row[i]) for row in self.rows)]) for i, column in enumerate(self.columns)
        ]
        self._fit()
        self.cursor_row = min(self.cursor_row, max(len(self.rows) - 1, 0))
        self.refresh()

    def _fit(self) -> None:
        """Column widths: each up to ``MAX_WIDTH``; the first (the names) wider when the
        screen has room for it, so long transcript names are not cut on a wide terminal."""
        self.widths = [min(MAX_WIDTH, width) for width in self.natural]
        if self.widths:
            room = self.scrollable_content_region.width - (sum(self.widths) + GAP * len(self.widths) + 1)
            self.widths[0] += max(0, min(room, self.natural[0] - self.widths[0]))
        total = sum(self.widths) + GAP * len(self.widths) + 1
        self.virtual_size = Size(total, len(self.rows) + 1)

    def on_resize(self, event: events.Resize) -> None:
        if self.natural:
            self._fit()
            self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def get_row_at(self, index: int) -> tuple[str, ...]:
        return self.rows[index]

    def get_row(self, key: str) -> tuple[str, ...]:
        return self.rows[self.keys.index(key)]

    def get_column_index(self, label: str) -> int:
        return next(i for i, column in enumerate(self.columns) if column.label == label)

    @property
    def cursor_key(self) -> str | None:
        return self.keys[self.cursor_row] if self.rows else None

    def move_cursor(self, row: int) -> None:
        self.cursor_row = max(0, min(row, len(self.rows) - 1))

    # --- drawing -------------------------------------------------------------------------

    def watch_cursor_row(self, old: int, new: int) -> None:
        self.refresh()
        self._scroll_to_cursor()

    def _scroll_to_cursor(self) -> None:
        body = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False)
        elif self.cursor_row >= top + body:
            self.scroll_to(y=self.cursor_row - body + 1, animate=False)

    def _cells(self, values: Sequence[str], style: Style) -> list[Segment]:
        segments = [Segment(" ", style)]
        for value, width, column in zip(values, self.widths, self.columns, strict=False):
            text = value if len(value) <= width else value[: width - 1] + "…"
            pad = " " * (width - cell_len(text))
            segments.append(Segment(pad + text if column.right else text + pad, style))
            segments.append(Segment(" " * GAP, style))
        return segments

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:  # the header stays on top
            style = self.get_component_rich_style("rows--header")
            segments = self._cells([c.label for c in self.columns], style)
        else:
            index = scroll_y + y - 1
            if index >= len(self.rows):
                return Strip.blank(width, base)
            style = base
            if index % 2:
                style = style + self.get_component_rich_style("rows--odd")
            if index == self.cursor_row:
                style = style + self.get_component_rich_style("rows--cursor")
            segments = self._cells(self.rows[index], style)
        strip = Strip(segments).crop_extend(scroll_x, scroll_x + width, style)
        if y == 0 and (scroll_x > 0 or scroll_x < self.max_scroll_x):  # columns out of sight: said
            cursor = self.get_component_rich_style("rows--cursor", partial=True)
            strip = mark_cut(strip, scroll_x > 0, scroll_x < self.max_scroll_x, style + cursor)
        return strip

    # --- keys and the mouse -----------------------------------------------------------------

    def action_cursor(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step)

    def action_page(self, step: int) -> None:
        self.move_cursor(self.cursor_row + step * max(1, self.scrollable_content_region.height - 2))

    def action_edge(self, step: int) -> None:
        self.move_cursor(0 if step < 0 else len(self.rows) - 1)

    def action_choose(self) -> None:
        if self.rows:
            self.post_message(self.RowSelected(self, self.keys[self.cursor_row]))

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= index < len(self.rows):
            self.move_cursor(index)
            if event.chain >= 2:
                self.action_choose()
