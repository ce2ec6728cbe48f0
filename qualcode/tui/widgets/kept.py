"""Esc never throws typing away: what a dialog's text box held when Esc closed it is kept for
the session and shown again when the dialog opens next (the export path, the coder's name)."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

from .. import strings as S

R = TypeVar("R")


class KeepsTyping(ModalScreen[R]):
    """A dialog with a text box whose typing Esc keeps. ``keep_as`` names the dialog (one kept
    text per name); the text is kept on the app's ``kept_typing``, so it lives as long as the session."""

    keep_as = ""

    def _kept(self) -> dict[str, str]:
        kept = getattr(self.app, "kept_typing", None)
        return kept if isinstance(kept, dict) else {}

    def kept_text(self, default: str) -> str:
        """What to put in the box: the text kept at the last Esc, or ``default``."""
        return self._kept().get(self.keep_as, default)

    def keep_typing(self, text: str, default: str) -> None:
        """Esc closes the dialog: keep ``text`` if it is typing (not empty, not the default) and say so."""
        kept = self._kept()
        if text.strip() and text != default:
            kept[self.keep_as] = text
            self.notify(S.TYPING_KEPT.format(text=text), timeout=S.MESSAGE_SECONDS, markup=False)
        else:
            kept.pop(self.keep_as, None)

    def forget_typing(self) -> None:
        """The dialog was answered: nothing is kept for its next opening."""
        self._kept().pop(self.keep_as, None)
