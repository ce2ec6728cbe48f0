"""Write or edit the memo of a coding."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from ...model import Coding
from .. import strings as S


class MemoModal(ModalScreen[str | None]):
    """Returns the new memo ('' to remove it), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", S.SAVE, priority=True),
        Binding("escape", "cancel", S.CANCEL),
    ]
    DEFAULT_CSS = """
    MemoModal { align: center middle; }
    MemoModal > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 80%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    MemoModal .memo--title { text-style: bold; }
    MemoModal .memo--quote { color: $text-muted; text-style: italic; margin: 1 0; max-height: 6; }
    MemoModal TextArea { height: 8; }
    MemoModal .memo--help { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, coding: Coding, code_name: str) -> None:
        super().__init__()
        self.coding = coding
        self.code_name = code_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(S.MEMO_TITLE.format(code=self.code_name), classes="memo--title")
            yield Static(f"“{self.coding.quote}”", classes="memo--quote", markup=False)
            yield TextArea(self.coding.memo or "", id="memo-text", soft_wrap=True)
            yield Label(S.MEMO_HELP, classes="memo--help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
