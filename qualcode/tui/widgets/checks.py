"""A checkbox and a check list that read the same without colour: ✓ when on, blank when off.

Textual draws both states as ``▐X▌`` and tells them apart by colour only, which a
plain-text terminal, a screen reader or a colour-blind reader cannot. Here the
mark itself changes. The checkbox toggles with Space only: Enter belongs to the
dialog around it (it submits), as in any form.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

ON = "✓"
OFF = " "


class CheckBox(Checkbox, inherit_bindings=False):
    """A checkbox marked ✓ or blank; Space toggles, Enter is left to the dialog."""

    BINDINGS = [Binding("space", "toggle_button", "Toggle", show=False)]

    @property
    def BUTTON_INNER(self) -> str:  # noqa: N802 - Textual's name for the mark
        return ON if self.value else OFF


class CheckList(SelectionList[str]):
    """A selection list whose marked options show ✓ and the others a blank."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2:
            return strip
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:  # past the last option: nothing to mark
            return strip
        mark = ON if option.value in self.selected else OFF
        segments[1] = Segment(mark, segments[1].style)
        return Strip(segments, strip.cell_length)
