"""The code picker: fuzzy search over name, id and definition; apply one or more codes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ...codebook import Code, Codebook
from ...termsafe import one_line
from .. import strings as S
from .footer import KeysFooter


@dataclass(frozen=True, slots=True)
class PickerItem:
    code: Code
    path: str  # "Parent › Child" for the list


def candidates(codebook: Codebook) -> list[PickerItem]:
    """Every codable code, in codebook order, with its parents' names."""
    out = []
    for code in codebook.walk():
        if code.codable:
            parents = [a.name for a in reversed(codebook.ancestors(code.id))]
            out.append(PickerItem(code, " › ".join(parents)))
    return out


def rank(query: str, items: list[PickerItem]) -> list[PickerItem]:
    """Items matching ``query`` best first: fuzzy on name and id, words in the definition."""
    query = query.strip()
    if not query:
        return list(items)
    matcher = Matcher(query)
    words = query.lower().split()
    scored = []
    for position, item in enumerate(items):
        code = item.code
        score = max(matcher.match(code.name), 0.9 * matcher.match(code.id))
        if not score:
            definition = " ".join([code.description, *code.include, *code.examples]).lower()
            if all(w in definition for w in words):
                score = 0.3  # found in the definition only: below any name match
        if score:
            scored.append((-score, position, item))
    return [item for _, _, item in sorted(scored, key=lambda s: (s[0], s[1]))]


class CodePicker(ModalScreen[list[str] | None]):
    """Returns the ids of the codes to apply, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", S.CANCEL),
        Binding("down", "move(1)", show=False, priority=True),
        Binding("up", "move(-1)", show=False, priority=True),
        Binding("tab", "mark", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    CodePicker { align: center top; }
    CodePicker > Vertical {
        width: 80%; max-width: 110; height: auto; max-height: 90%; margin-top: 2; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    CodePicker .picker--title { text-style: bold; }
    CodePicker .picker--help { color: $text-muted; }
    CodePicker OptionList { height: auto; max-height: 16; margin: 1 0; }
    """

    def __init__(self, codebook: Codebook, what: str) -> None:
        super().__init__()
        self.items = candidates(codebook)
        self.what = what
        self.marked: list[str] = []
        self.shown: list[PickerItem] = list(self.items)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(S.PICKER_TITLE.format(what=self.what), classes="picker--title", markup=False)
            yield Input(placeholder=S.PICKER_PLACEHOLDER, id="picker-query")
            yield OptionList(id="picker-options")
            yield Label(S.PICKER_HELP, classes="picker--help", id="picker-help", markup=False)
        yield KeysFooter()  # its own keys, not those of the screen beneath

    def on_mount(self) -> None:
        self._fill()
        self.query_one(Input).focus()

    def _label(self, item: PickerItem) -> Text:
        code = item.code
        label = Text(no_wrap=True, overflow="ellipsis")
        label.append("✓ " if code.id in self.marked else "  ", style="bold")
        label.append("■ ", style=code.color or "")
        label.append(f"{code.key or ' '} ", style="bold")
        label.append(code.name)
        label.append(f"  {code.id}", style="dim")
        if item.path:
            label.append(f"  ({item.path})", style="dim italic")
        return label

    def _fill(self, keep: str | None = None) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options([Option(self._label(item), id=item.code.id) for item in self.shown])
        if self.shown:
            index = next((i for i, item in enumerate(self.shown) if item.code.id == keep), 0)
            options.highlighted = index
        help_text = S.PICKER_HELP
        if self.marked:
            help_text += "  ·  " + S.PICKER_MARKED.format(count=len(self.marked))
        self.query_one("#picker-help", Label).update(help_text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.shown = rank(event.value, self.items)
        self._fill()

    def _highlighted(self) -> str | None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.shown:
            return None
        return self.shown[options.highlighted].code.id

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if self.shown:
            current = options.highlighted or 0
            options.highlighted = max(0, min(len(self.shown) - 1, current + step))

    def action_mark(self) -> None:
        code_id = self._highlighted()
        if code_id is None:
            return
        if code_id in self.marked:
            self.marked.remove(code_id)
        else:
            self.marked.append(code_id)
        self._fill(keep=code_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._apply()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._apply()

    def _apply(self) -> None:
        chosen = list(self.marked)
        if not chosen:
            current = self._highlighted()
            chosen = [current] if current else []
        if not chosen:  # Enter on a text no code matches: say so, rather than close as if applied
            query = self.query_one("#picker-query", Input).value
            self.query_one("#picker-help", Label).update(Text(S.PICKER_NO_MATCH.format(query=one_line(query))))
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        """Esc: drop the marks first (they are work), then close without applying."""
        if self.marked:
            self.marked.clear()
            self._fill(keep=self._highlighted())
            return
        self.dismiss(None)
