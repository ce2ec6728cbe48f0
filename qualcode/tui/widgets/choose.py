"""Choose one of several overlapping codings (to remove, or to write a memo on)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...model import Coding
from ...termsafe import one_line
from .. import strings as S
from ..document.model import CodeStyle
from .footer import KeysFooter

ALL = "all"


QUOTE_LIMIT = 400  # characters of a quote put in a line; the list cuts it (…) where the dialog ends


def coding_label(coding: Coding, info: CodeStyle, width: int = QUOTE_LIMIT, *, coder: bool = False, draft: bool = False) -> Text:
    """``▌ Code name  “quote…”  ✎`` with the code's colour (``coder``: and who coded it;
    ``draft``: that its memo has a draft not saved yet, offered back when it is chosen).

    The quote is not cut to a fixed length: a wide dialog shows as much of it as fits."""
    label = Text(no_wrap=True, overflow="ellipsis")
    label.append("▌ ", style=info.color)
    label.append(info.name if info.in_codebook else S.STATUS_MISSING.format(name=info.name), style="bold")
    if coder:
        label.append(S.CHOOSE_CODER.format(coder=one_line(coding.coder)))
    if coding.memo:  # before the quote, which the line may cut
        label.append(f"  {S.STATUS_MEMO}")
    if draft:
        label.append(f"  {S.CHOOSE_DRAFT}", style="bold")
    quote = coding.quote.replace("\n", " ")
    if len(quote) > width:
        quote = quote[: width - 1] + "…"
    label.append(f"  “{quote}”", style="italic")
    return label


class ChooseCodingModal(ModalScreen[list[int] | None]):
    """Returns the chosen coding ids (all of them with the "all" entry), or None."""

    BINDINGS = [Binding("escape", "cancel", S.CANCEL)]
    DEFAULT_CSS = """
    ChooseCodingModal { align: center middle; }
    ChooseCodingModal > Vertical {
        width: 80%; max-width: 140; height: auto; max-height: 80%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    ChooseCodingModal .choose--title { text-style: bold; margin-bottom: 1; }
    /* one line a coding, its quote cut (…) where the dialog ends, however wide that is */
    ChooseCodingModal OptionList { height: auto; max-height: 16; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(
        self,
        title: str,
        codings: list[Coding],
        codes: dict[str, CodeStyle],
        *,
        offer_all: bool,
        drafts: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__()
        self.title_text = title
        self.codings = codings
        self.codes = codes
        self.offer_all = offer_all
        self.drafts = drafts  # the ids of codings whose memo has an unsaved draft (said on their line)

    def compose(self) -> ComposeResult:
        # Codings of several coders (a merged project) look alike but for who made them.
        several = len({c.coder for c in self.codings}) > 1
        options = [
            Option(
                coding_label(
                    c,
                    self.codes.get(c.code_id) or CodeStyle(c.code_id, c.code_id, "grey50", None, False),
                    coder=several,
                    draft=c.id in self.drafts,
                ),
                id=str(c.id),
            )
            for c in self.codings
        ]
        if self.offer_all:
            options.append(Option(S.CHOOSE_ALL.format(count=len(self.codings)), id=ALL))
        with Vertical():
            yield Label(self.title_text, classes="choose--title", markup=False)
            yield OptionList(*options, id="choose-list")
        yield KeysFooter()  # its own keys, not those of the screen beneath

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == ALL:
            self.dismiss([c.id for c in self.codings])
        else:
            self.dismiss([int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)
