"""A DataTable that says when it is cut: columns out of sight to the right (or left) are
marked in its header row, with the key that gets there (the scrollbar alone said nothing).

The tables are DataTables (WideTable) and the transcripts list (RowTable, with mark_cut)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import DataTable

from .. import strings as S


class WideTable(DataTable):
    """A :class:`DataTable` whose header line ends in ``more →`` while columns are cut off on the
    right (→ scrolls there: the cell cursor moves, a row table scrolls) and starts with ``←`` while
    some are out of sight on the left."""

    def cut(self) -> tuple[bool, bool]:
        """Whether columns are out of sight on the left and on the right."""
        return self.scroll_x > 0, self.scroll_x < self.max_scroll_x

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        if y != 0 or not self.show_header:
            return strip
        left, right = self.cut()
        if not (left or right):
            return strip
        style = self.get_component_rich_style("datatable--header") + self.get_component_rich_style(
            "datatable--cursor", partial=True
        )
        return mark_cut(strip, left, right, style)


def mark_cut(strip: Strip, left: bool, right: bool, style: Style) -> Strip:
    """A table's header line with the marks of columns out of sight (``more →`` at the right
    end, ``←`` at the left) drawn over its ends; also the transcripts list's (RowTable)."""
    width = strip.cell_length
    if right:
        mark = S.TABLE_MORE_RIGHT
        strip = Strip.join([strip.crop(0, max(width - len(mark), 0)), Strip([Segment(mark, style)])])
    if left:
        mark = S.TABLE_MORE_LEFT
        strip = Strip.join([Strip([Segment(mark, style)]), strip.crop(len(mark), width)])
    return strip
