"""The footer every screen and dialog shows: its keys, never cut at the terminal's edge.

Textual's footer lays its keys out on one line and cuts them where the terminal ends:
at 80 columns the statistics screen showed ``u Un`` and nothing after it. This one
shows, in order, the keys that fit whole and always ends with the help key (``?``),
which lists every key of every screen; a screen may name the keys that go first
(``footer_first``: review mode's decisions before the keys of the text), and relabel a key
for what it does while a mode is on (``footer_labels``: E is 'Stop review' while reviewing).

A dialog (a modal screen) has one too, so its own keys are shown, not those of the
screen beneath it, which do nothing while it is open.

What a footer has no room for, the help screen lists first (``left_out``): every key the
screen accepts is one ``?`` away, at any width, without scrolling past other screens' keys.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "app.help"
PALETTE = "-command-palette"  # the class of the command palette's key (Textual's footer)
PALETTE_EDGE = 2  # its border on the left and padding on the right


def key_width(key: FooterKey) -> int:
    """The cells a compact footer key takes, with the space after it."""
    return cell_len(key.key_display) + (1 + cell_len(key.description) if key.description else 0) + 1


def fitting(keys: list[FooterKey], width: int, first: tuple[str, ...] = ()) -> list[FooterKey]:
    """The keys to show in ``width`` cells: those whose action is in ``first`` first (in its order), then the
    others in their order, as many as fit whole; the help key and the command palette's
    (docked right) are kept whatever else is left out."""
    kept = [k for k in keys if k.action == HELP_ACTION or k.has_class(PALETTE)]
    rest = [k for k in keys if k not in kept]
    rest.sort(key=lambda k: first.index(k.action) if k.action in first else len(first))  # stable: the others keep their order
    room = width - sum(key_width(k) + (PALETTE_EDGE if k.has_class(PALETTE) else 0) for k in kept)
    shown = []
    for key in rest:
        if key_width(key) <= room:
            shown.append(key)
            room -= key_width(key)
        else:
            break  # what follows is left out too: the order stays the order of importance
    return shown + kept


class KeysFooter(Footer):
    """A compact footer whose keys all fit (see the module docstring)."""

    def __init__(self, *, palette: bool = False, **options) -> None:
        super().__init__(compact=True, show_command_palette=palette, **options)
        self._laid_out_for = 0

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def compose(self) -> ComposeResult:
        keys = [widget for widget in super().compose() if isinstance(widget, FooterKey)]
        labels = getattr(self.screen, "footer_labels", {})
        for key in keys:
            key.description = labels.get(key.action, key.description)
        self._laid_out_for = self._width()
        yield from fitting(keys, self._laid_out_for, tuple(getattr(self.screen, "footer_first", ())))

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._laid_out_for and self._bindings_ready:
            self._laid_out_for = event.size.width
            self.call_after_refresh(self.recompose)


def left_out(screen) -> list[tuple[str, str]]:
    """The keys ``screen`` accepts now that its footer does not show, as (keys as people write
    them, what they do), in the screen's order, the keys of one action together. Textual's own
    keys (focus, copy, a table's arrows: no description of ours) are left to their widgets."""
    shown = {key.action for key in screen.query(FooterKey)}
    found: dict[str, tuple[list[str], str]] = {}
    for _node, binding, enabled, tooltip in screen.active_bindings.values():
        what = tooltip or binding.tooltip
        if not enabled or not what or binding.action in shown:
            continue
        keys, _ = found.setdefault(binding.action, ([], what))
        shown_as = screen.app.get_key_display(binding)
        if shown_as not in keys:
            keys.append(shown_as)
    return [(", ".join(keys), what) for keys, what in found.values()]
