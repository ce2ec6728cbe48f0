"""Ask for the coder's name once (first start without --coder or a saved name)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from ...termsafe import CODER_NAME_LIMIT
from .. import strings as S
from .footer import KeysFooter
from .kept import KeepsTyping


class CoderNameModal(KeepsTyping[str | None]):
    """Returns the name typed (stripped; empty: the default), or None when cancelled (a name
    typed is then kept: the dialog shows it again when it next opens, Ctrl+P > coder)."""

    keep_as = "coder name"

    # In its footer: a first start showed an empty one, so Esc (not now: asked again at the next
    # start) was nowhere. Enter is the screen's (before the text box's, which the footer hides).
    BINDINGS = [
        Binding("enter", "save", S.CODER_KEY_SAVE, priority=True),
        Binding("escape", "cancel", S.CODER_KEY_LATER),
    ]
    DEFAULT_CSS = """
    CoderNameModal { align: center middle; }
    CoderNameModal > Vertical {
        width: 64; height: auto; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    CoderNameModal .coder--title { text-style: bold; margin-bottom: 1; }
    CoderNameModal .coder--prompt { color: $text-muted; margin-bottom: 1; }
    """

    def __init__(self, default: str = "") -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(S.CODER_TITLE, classes="coder--title", markup=False)
            yield Static(S.CODER_PROMPT, classes="coder--prompt", markup=False)
            # The login name is the default, not pre-typed text: typing a name just works.
            placeholder = S.CODER_PLACEHOLDER_DEFAULT.format(name=self.default) if self.default else S.CODER_PLACEHOLDER
            kept = self.kept_text("")
            yield Input(kept, placeholder=placeholder, id="coder-name", max_length=CODER_NAME_LIMIT)
        yield KeysFooter()  # its own keys, not those of the screen beneath

    def action_save(self) -> None:
        self.forget_typing()
        self.dismiss(self.query_one(Input).value.strip() or self.default or None)

    def action_cancel(self) -> None:
        self.keep_typing(self.query_one(Input).value, "")
        self.dismiss(None)
