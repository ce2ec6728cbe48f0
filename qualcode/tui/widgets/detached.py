"""The list of a transcript's detached codings: pick one to re-attach, or discard one.

A dialog over the coding screen. Each row shows the code (name and colour), the
earlier quote, the coder and a memo mark; below the list, the highlighted one in
full (where it was, when and why it was detached, its memo). Enter returns it to
the screen, which then asks for its new place; X asks on screen first and, pressed
again, has the screen put it in the trash (the list stays open on the rest).
Esc takes a question back, then closes. The dialog itself writes nothing: the
screen does (``discard`` is the screen's, passed down).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...store import DetachedCoding
from .. import keymap
from .. import strings as S
from ..document.model import CodeStyle
from .footer import KeysFooter

MAX_WIDTH = 110  # of the dialog (and 90% of the terminal at most: see DEFAULT_CSS)
ROW_FRAME = 14  # cells of a row that are not its quote: borders, padding, the bar, the quotation marks


def one_line(text: str, width: int) -> str:
    """``text`` on one line (whitespace collapsed), cut to ``width`` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def quote_cells(terminal_width: int) -> int:
    """How much of a quote fits on a row's second line in a terminal this wide."""
    return max(min(terminal_width * 9 // 10, MAX_WIDTH) - ROW_FRAME, 12)


def detached_label(row: DetachedCoding, info: CodeStyle, mine: str, width: int) -> Text:
    """Two lines: ``▌ Code  coder ✎`` in the code's colour (the coder when not ``mine``), then
    ``▌ “earlier quote…”`` cut to ``width`` characters."""
    label = Text()
    label.append("▌ ", style=info.color)
    label.append(info.name if info.in_codebook else S.STATUS_MISSING.format(name=info.name), style="bold")
    if row.coder != mine:
        label.append(f"  {row.coder}", style="dim")
    if row.memo:
        label.append(f"  {S.STATUS_MEMO}")
    label.append("\n▌ ", style=info.color)
    label.append(f"“{one_line(row.quote, width)}”", style="italic")
    return label


class DetachedListModal(ModalScreen[int | None]):
    """Returns the id of the detached coding to re-attach, or None (closed)."""

    BINDINGS = keymap.bindings(keymap.DETACHED)
    DEFAULT_CSS = """
    DetachedListModal { align: center middle; }
    DetachedListModal > Vertical {
        width: 90%; max-width: MAX_WIDTH; height: auto; max-height: 100%; padding: 0 1;
        border: thick $warning; background: $surface;
    }
    DetachedListModal #detached-title { text-style: bold; }
    DetachedListModal #detached-intro { color: $text-muted; }
    DetachedListModal OptionList { height: auto; max-height: 12; }
    DetachedListModal #detached-details { height: auto; max-height: 6; margin-top: 1; }
    DetachedListModal #detached-question { height: auto; color: $warning; text-style: bold; margin-top: 1; }
    """.replace("MAX_WIDTH", str(MAX_WIDTH))

    def __init__(
        self,
        name: str,
        rows: list[DetachedCoding],
        codes: Callable[[str], CodeStyle],
        coder: str,
        discard: Callable[[DetachedCoding], bool],
    ) -> None:
        super().__init__()
        self.transcript_name = name
        self.rows = list(rows)
        self.codes = codes
        self.coder = coder
        self.discard_row = discard
        self._asked: int | None = None  # the detached coding X asked about (X again discards it)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("", id="detached-title", markup=False)
            yield Static(self._intro(), id="detached-intro", markup=False)
            yield OptionList(*self._options(), id="detached-list")
            yield Static("", id="detached-details", markup=False)
            yield Static("", id="detached-question", classes="hidden", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_title()
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()
        self._show_details()

    def _options(self) -> list[Option]:
        width = quote_cells(self.app.size.width)
        return [Option(detached_label(r, self.codes(r.code_id), self.coder, width), id=str(r.id)) for r in self.rows]

    def _show_title(self) -> None:
        self.query_one("#detached-title", Static).update(S.DETACHED_TITLE.format(name=self.transcript_name, count=len(self.rows)))

    def _intro(self) -> str:
        return S.DETACHED_INTRO.format(reattach=self.app.key_of("detached_reattach"), discard=self.app.key_of("detached_discard"))

    @property
    def highlighted(self) -> DetachedCoding | None:
        index = self.query_one(OptionList).highlighted
        return self.rows[index] if index is not None and 0 <= index < len(self.rows) else None

    def _show_details(self) -> None:
        row = self.highlighted
        details = Text()
        if row is not None:
            info = self.codes(row.code_id)
            details.append("■ ", style=info.color)
            details.append(info.name, style="bold")
            details.append("  " + S.DETACHED_BY.format(coder=row.coder), style="dim")
            details.append("\n" + S.DETACHED_WAS.format(start=row.old_start, end=row.old_end), style="dim")
            details.append(
                " · " + S.DETACHED_WHEN.format(when=row.detached_at[:16].replace("T", " "), reason=row.reason), style="dim"
            )
            details.append(f"\n“{' '.join(row.quote.split())}”", style="italic")
            if row.memo:
                details.append("\n" + S.DETACHED_MEMO.format(memo=" ".join(row.memo.split())))
        self.query_one("#detached-details", Static).update(details)

    def _ask(self, row: DetachedCoding | None) -> None:
        """Show the discard question about ``row`` (None: take it back)."""
        self._asked = row.id if row is not None else None
        question = self.query_one("#detached-question", Static)
        question.set_class(row is None, "hidden")
        self.query_one("#detached-details").set_class(row is not None, "hidden")  # the question says which one
        if row is not None:
            question.update(
                S.DETACHED_CONFIRM.format(
                    code=self.codes(row.code_id).name,
                    quote=one_line(row.quote, 40),
                    discard=self.app.key_of("detached_discard"),
                    close=self.app.key_of("detached_close"),
                )
            )

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if self._asked is not None and event.option.id != str(self._asked):
            self._ask(None)  # the question was about another row
        self._show_details()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_reattach()

    def action_reattach(self) -> None:
        row = self.highlighted
        if row is not None:
            self.dismiss(row.id)

    def action_discard(self) -> None:
        row = self.highlighted
        if row is None:
            return
        if self._asked != row.id:
            self._ask(row)
            return
        self._ask(None)
        if not self.discard_row(row):
            return
        index = self.rows.index(row)
        self.rows.remove(row)
        if not self.rows:
            self.dismiss(None)
            return
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        options.highlighted = min(index, len(self.rows) - 1)
        self._show_title()
        self._show_details()

    def action_close(self) -> None:
        if self._asked is not None:
            self._ask(None)  # Esc first takes the question back
            return
        self.dismiss(None)
