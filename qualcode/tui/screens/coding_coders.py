"""Coders in the coding screen: whose codings are shown, and whose is under the cursor.

Mixed into :class:`~qualcode.tui.screens.coding.CodingScreen`. What it adds:

* ``O`` cycles the coder view: everyone's codings, only mine, each other coder's;
  in blind mode (``qualcode blind on``) only mine are ever read or drawn;
* once two coders have coded in the project, each coder's codings have their own
  mark in the margin (mine a full bar) and the status line names the coder of
  every coding at the cursor that is not mine;
* the status line says which view is on; the header always shows who I code as.
"""

from __future__ import annotations

from rich.text import Text

from ...team.coders import is_blind, known_coders
from .. import strings as S
from ..document.coders import CoderView, coder_marks, coder_views


class CodingCoders:
    """The coder half of the coding screen (a mixin: see the module docstring)."""

    def init_coders(self) -> None:
        store = self.project.store
        me = self.app.coder
        others = known_coders(store)
        self.blind = is_blind(store)
        self.coder_view_list = coder_views(me, others, blind=self.blind)
        self.coder_view_index = 0
        # Marks and names only once two coders have coded: a solo project looks as it always did.
        self.team = len(others) >= 2
        self.coder_mark_map = coder_marks(me, others) if self.team else {}

    def coder_changed(self) -> None:
        """The user changed their coder name: say so, and mark codings as mine or not anew."""
        self.sub_title = S.CODING_SUBTITLE.format(name=self.name_, coder=self.app.coder)
        self.init_coders()
        if self.model is not None:
            self.model.shown_coders = self.coder_view.shown
            self.model.coder_marks = self.coder_mark_map
            self.model.replace_codings(self.project.store.codings.find(self.transcript_id))
            self.document.codings_changed()

    @property
    def coder_view(self) -> CoderView:
        return self.coder_view_list[self.coder_view_index]

    def action_coder_view(self) -> None:
        """Show everyone's codings, only mine, or one other coder's (not in blind mode)."""
        if self.blind:
            self.flash(S.CODERS_BLIND)
            return
        self.coder_view_index = (self.coder_view_index + 1) % len(self.coder_view_list)
        if self.model is not None:
            self.model.shown_coders = self.coder_view.shown
            self.model.replace_codings(self.project.store.codings.find(self.transcript_id))
            self.document.codings_changed()
            self.tree.set_counts(self.model.counts(), self.totals)
        self.flash(self.coder_view_text())

    def coder_view_text(self) -> str:
        who = self.coder_view.who
        if who == "all":
            return S.CODERS_ALL
        if who == "mine":
            return S.CODERS_BLIND if self.blind else S.CODERS_MINE.format(coder=self.app.coder)
        return S.CODERS_ONE.format(coder=who)

    def coder_label(self, text: Text, coder: str) -> None:
        """After a coding's name in the status line: whose it is, when not mine."""
        if self.team and coder != self.app.coder:
            text.append(" " + S.STATUS_CODER.format(mark=self.coder_mark_map.get(coder, ""), coder=coder), style="italic")

    def coder_view_status(self, where: Text) -> None:
        """In the position line: which coders are shown, when not everyone."""
        if self.coder_view.who != "all":
            where.append(" · ")
            where.append(self.coder_view_text(), style="bold")
