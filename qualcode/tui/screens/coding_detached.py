"""Detached codings in the coding screen: see them, give each a place again, or discard it.

A coding is detached when its transcript was re-imported with changed text and
its passage could not be found again (:mod:`qualcode.reanchor`); it is kept, with
its code, coder, memo and earlier quote. :class:`DetachedCodings` belongs to a
:class:`~qualcode.tui.screens.coding.CodingScreen`. What it adds:

* the count: a notice when the transcript opens and, while any are left, a
  mark in the position line (``2 detached (D)``);
* ``D`` lists them (:class:`~qualcode.tui.widgets.detached.DetachedListModal`):
  code and colour, the earlier quote, coder, memo, where and why;
* Enter on one starts *re-attach mode*: a panel names the coding and says what
  to do; the cursor goes where it was (its earlier text selected if it is found
  again word for word); the researcher selects the passage with the usual keys
  and presses Enter (``reattach_here``), which puts it on the selection through
  ``store.codings.reattach`` (one committed transaction: the coding comes back
  with its id, code, coder and memo). Esc cancels and nothing changes; while the
  mode is on, the code keys, the code list (Enter) and review mode are off;
* X in the list, pressed twice (the question is on screen), puts it in the trash
  (``store.trash.put_detached``); ``qualcode trash restore`` brings it back.

Neither step is in the session's Ctrl+Z: undoing a re-attach would have to detach
the coding again, which the store offers only to a re-import. The messages say
what was done and how to take it back (Del uncodes; the trash restores).
In a read-only project the list still shows; re-attach and discard say why not.
In blind mode only the researcher's own detached codings are listed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.text import Text

from ...coding import trim_span
from ...errors import NO_DETACHED, STORE_READ_ONLY, QualcodeError, error
from ...reattach import REACH, Guess, likely_place
from ...store import DetachedCoding
from .. import strings as S
from ..document.model import MISSING_COLOR, CodeStyle
from ..widgets.detached import DetachedListModal, one_line

if TYPE_CHECKING:
    from ...project import Project
    from ..app import QualcodeApp
    from ..document.model import DocumentModel
    from ..widgets.document import DocumentView


class DetachedHost(Protocol):
    """What the detached codings need of the coding screen (attributes down, one place)."""

    project: Project
    transcript_id: int
    name_: str
    codes: dict[str, CodeStyle]
    model: DocumentModel | None
    blind: bool

    @property
    def app(self) -> QualcodeApp: ...

    @property
    def document(self) -> DocumentView: ...

    def flash(self, text: str) -> None:
        """A message in the status line."""

    def show_status(self) -> None:
        """Redraw the status lines (they count the detached codings)."""

    def show_panel(self, panel: Text | None) -> None:
        """Show the mode's panel (None: hide it) and update the footer's keys."""

    def leave_modes(self) -> None:
        """End review mode, if on (re-attach mode takes its place)."""


class DetachedCodings:
    """The detached codings of one coding screen, and re-attach mode."""

    def __init__(self, host: DetachedHost) -> None:
        self.host = host
        self.rows: list[DetachedCoding] = []
        self.waiting: DetachedCoding | None = None  # re-attach mode: the coding waiting for its place

    @property
    def app(self) -> QualcodeApp:
        return self.host.app

    def code(self, code_id: str) -> CodeStyle:
        return self.host.codes.get(code_id) or CodeStyle(code_id, code_id, MISSING_COLOR, None, False)

    # --- what is detached -------------------------------------------------------------

    def reload(self) -> None:
        """Read this transcript's detached codings (in blind mode: only mine); end the mode if its one is gone."""
        rows = self.host.project.store.codings.detached(self.host.transcript_id)
        if self.host.blind:
            rows = [r for r in rows if r.coder == self.app.coder]
        self.rows = rows
        if self.waiting is not None and all(r.id != self.waiting.id for r in rows):
            self._end()
            self.host.flash(S.REATTACH_GONE)

    def notice(self) -> None:
        """Say on opening that there are detached codings here, and the key that lists them."""
        if self.rows:
            self.host.flash(S.DETACHED_NOTICE.format(count=len(self.rows), key=self.app.key_of("detached")))

    def status(self, where: Text) -> None:
        """In the position line: how many are detached here, and the key (while any are)."""
        if self.rows:
            where.append(" · ")
            where.append(S.STATUS_DETACHED.format(count=len(self.rows), key=self.app.key_of("detached")), style="bold yellow")

    # --- the list ---------------------------------------------------------------------

    def open_list(self) -> None:
        self.reload()
        if not self.rows:
            self.host.flash(S.NO_DETACHED_HERE)
            return
        modal = DetachedListModal(self.host.name_, self.rows, self.code, self.app.coder, self.discard)
        self.app.push_screen(modal, lambda chosen: self.begin(chosen) if chosen is not None else None)

    def discard(self, row: DetachedCoding) -> bool:
        """Put one detached coding in the trash (the list's X, confirmed); True if it went."""
        store = self.host.project.store
        try:
            item = store.trash.put_detached([row.id], removed_by=self.app.coder)
        except QualcodeError as exc:
            self.app.report_error(exc)
            if exc.code == NO_DETACHED.code:
                self.reload()
            return False
        self.reload()
        self.host.show_status()
        for screen in self.app.screens():  # the transcripts list counts detached codings too
            if screen is not self.host:
                screen.store_changed(None)
        self.host.flash(
            S.DISCARDED.format(code=self.code(row.code_id).name, quote=one_line(row.quote, 30), item=item.id, left=len(self.rows))
        )
        return True

    # --- re-attach mode ---------------------------------------------------------------

    def begin(self, detached_id: int) -> None:
        """Wait for the researcher to select the new place of this detached coding."""
        model, store = self.host.model, self.host.project.store
        row = next((r for r in self.rows if r.id == detached_id), None)
        if model is None or row is None:
            return
        if store.read_only:  # refuse now, not after the passage was selected
            self.app.report_error(error(STORE_READ_ONLY, path=store.path, what=store.read_only, action="re-attach a coding"))
            return
        self.host.leave_modes()
        self.waiting = row
        document = self.host.document
        guess = self._guess(row)
        if guess is not None:
            document.select(guess.start, guess.end)
        else:
            document.clear_selection()
            document.move_to(min(row.old_start, max(len(model.text) - 1, 0)))  # about where it was
        self.host.show_panel(self._panel(guess))
        self.host.show_status()
        self.app.call_after_refresh(self._reveal, guess)  # the panel took lines from the text: scroll then

    def _reveal(self, guess: Guess | None) -> None:
        """Scroll the proposed passage (or the cursor) into view, the text being as high as it is now."""
        document = self.host.document
        if guess is None:
            document.scroll_cursor_visible()
        elif document.selection == (guess.start, guess.end):  # unless the researcher moved on already
            document.reveal_span(guess.start, guess.end)
            document.select(guess.start, guess.end)

    def _guess(self, row: DetachedCoding) -> Guess | None:
        """Where it probably belongs now (:mod:`qualcode.reattach`), inside one turn; None: no idea."""
        model = self.host.model
        near = row.old_start
        blocks = (model.sentences(b) for b in model.blocks if b.end >= near - REACH and b.start <= near + REACH)
        guess = likely_place(model.text, blocks, row.quote, near)
        return guess if guess is not None and len(model.parts(guess.start, guess.end)) == 1 else None

    def _keys(self) -> dict[str, str]:
        key = self.app.key_of
        return {
            "place": key("reattach_here"),
            "cancel": key("back"),
            "sentence": key("select_sentence"),
            "turn": key("select_turn"),
        }

    def _panel(self, guess: Guess | None) -> Text:
        """Three lines: which coding, what the keys do now (first: they must show at 80 columns), its earlier text."""
        row = self.waiting
        info = self.code(row.code_id)
        panel = Text()
        panel.append("■ ", style=info.color)
        panel.append(S.REATTACH_HEADER.format(code=info.name), style="bold")
        if row.coder != self.app.coder:
            panel.append(S.REATTACH_OTHER_CODER.format(coder=row.coder))
        if guess is None:
            how = S.REATTACH_SELECT.format(**self._keys())
        elif guess.alike == 1.0:
            how = S.REATTACH_FOUND.format(**self._keys())
        else:
            how = S.REATTACH_ALIKE.format(alike=guess.alike, **self._keys())
        panel.append("\n" + how)
        panel.append("\n" + S.REATTACH_OLD.format(quote=" ".join(row.quote.split())), style="italic")
        return panel

    def code_keys_off(self) -> None:
        """A code key while re-attaching: say what the keys do now."""
        self.host.flash(S.REATTACH_CODE_KEYS_OFF.format(code=self.code(self.waiting.code_id).name, **self._keys()))

    def cancel(self) -> None:
        """Esc: leave re-attach mode; the coding stays detached, nothing changes."""
        row = self.waiting
        self._end()
        self.host.flash(S.REATTACH_CANCELLED.format(code=self.code(row.code_id).name, key=self.app.key_of("detached")))

    def _end(self) -> None:
        self.waiting = None
        self.host.show_panel(None)

    def place(self) -> None:
        """Enter: put the waiting coding on the selection (never on a guess: nothing selected, nothing done)."""
        row, model, document = self.waiting, self.host.model, self.host.document
        if row is None or model is None:
            return
        span = document.selection
        if span is None:
            self.host.flash(S.REATTACH_SELECT_FIRST.format(**self._keys()))
            return
        parts = model.parts(*span)
        if not parts:
            self.host.flash(S.REATTACH_NOTHING)
            return
        if len(parts) > 1:
            self.host.flash(S.REATTACH_ONE_TURN.format(count=len(parts)))
            return
        start, end = trim_span(model.text, *parts[0])
        try:
            change, inserted = self.app.history.reattach(row.id, start, end)  # one undo step
        except QualcodeError as exc:
            self.app.report_error(exc)
            if exc.code == NO_DETACHED.code:
                self._end()
                self.reload()
                self.host.show_status()
            return
        self._end()
        self.reload()
        coding = change.codings[0]
        self.app.broadcast(change)  # this screen draws it; the lists count it
        document.clear_selection()
        document.move_to(coding.start)
        name = self.code(coding.code_id).name
        if inserted:
            turn = model.block_at(coding.start).turn
            message = S.REATTACHED.format(
                code=name, quote=one_line(coding.quote, 40), turn=turn.index if turn else "-", left=len(self.rows)
            )
        else:
            message = S.REATTACHED_JOINED.format(code=name, left=len(self.rows))
        self.host.flash(message)
