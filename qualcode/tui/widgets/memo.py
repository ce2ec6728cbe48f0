"""Write or edit the memo of a coding, or a transcript's own memo.

Esc on a changed memo asks first (a second Esc discards, Ctrl+S saves): typing is
never thrown away by one key. What is typed is kept as the memo's *draft* in the
store at most :data:`DRAFT_EVERY` seconds after it was typed, so a closed terminal
or a killed process loses no memo text: the next opening of the memo offers it back
(saving or discarding ends the draft). A long paste arrives in one piece when the terminal
sends it as a paste; a terminal that types it out key by key sends thousands of
keys, and the text area, which re-wraps its paragraph on every edit, froze for
seconds on 6,000 characters. :class:`MemoArea` takes a burst of typed characters
in one edit instead.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static, TextArea

from ...errors import MEMO_CHANGED_MEANWHILE, MEMO_CODING_GONE, QualcodeError
from .. import strings as S
from .footer import KeysFooter

if TYPE_CHECKING:
    from ...store import Store
    from ..app import QualcodeApp

DRAFT_EVERY = 1.0  # seconds: typing is kept as the memo's draft at most this long after it was typed


def _local(stamp: str) -> str:
    """A stored time (UTC, ISO 8601) as the local day and time the researcher reads."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%d-%m %H:%M")
    except ValueError:
        return stamp


class MemoArea(TextArea):
    """A text area that inserts characters typed in a burst as one edit."""

    def __init__(self, text: str = "", **options) -> None:
        super().__init__(text, **options)
        self._burst: list[str] = []
        self._flush_queued = False

    async def _on_key(self, event: events.Key) -> None:
        if not self.read_only and event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            self._burst.append(event.character)
            if not self._flush_queued:  # after the keys already waiting: a burst becomes one edit
                self._flush_queued = True
                self.call_later(self.flush)
            return
        self.flush()  # what was typed comes before Enter, a deletion or a move
        await super()._on_key(event)

    def flush(self) -> None:
        """Insert the characters typed so far (over the selection), as one edit."""
        self._flush_queued = False
        if self._burst:
            text = "".join(self._burst)
            self._burst.clear()
            start, end = self.selection
            self.replace(text, start, end, maintain_selection_offset=False)


class MemoModal(ModalScreen[str | None]):
    """Returns the new memo ('' to remove it), or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", S.SAVE, priority=True),
        Binding("escape", "cancel", S.CANCEL),
    ]
    DEFAULT_CSS = """
    MemoModal { align: center middle; }
    MemoModal > Vertical {
        width: 80%; max-width: 100; height: auto; max-height: 90%; padding: 1 2;
        border: thick $primary; background: $surface;
    }
    MemoModal .memo--title { text-style: bold; }
    MemoModal .memo--quote { color: $text-muted; text-style: italic; margin: 1 0; max-height: 6; }
    MemoModal TextArea { height: 8; }
    MemoModal .memo--help { color: $text-muted; margin-top: 1; }
    MemoModal .memo--discard { color: $warning; text-style: bold; margin-top: 1; }
    MemoModal .memo--restored { color: $warning; margin-bottom: 1; }
    """

    def __init__(
        self,
        title: str,
        memo: str | None,
        *,
        quote: str | None = None,
        draft: tuple[str, str] | None = None,
        keep_draft: Callable[[str | None], bool] | None = None,
    ) -> None:
        """``title``: what the memo is on; ``memo``: as saved; ``quote``: the coded text, shown
        above it. ``draft``: the unsaved text of an earlier opening and when it was written,
        shown in place of the memo; ``keep_draft(text)`` keeps what is typed (``None``: ends it)
        and says whether the store has it (not while another process writes: tried again)."""
        super().__init__()
        self.heading, self.memo, self.quote = title, memo or "", quote
        self._asked: str | None = None  # the question shown: "cancel" (Esc) or "leave" (quit, list)
        self._draft = draft
        self._keep_draft = keep_draft
        self._kept: str | None = draft[0] if draft else None  # the draft as the store has it
        self._timer = None  # a pending write of the draft

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.heading, classes="memo--title", markup=False)
            if self.quote is not None:
                yield Static(f"“{self.quote}”", classes="memo--quote", markup=False)
            if self._draft:
                yield Label(S.MEMO_RESTORED.format(when=_local(self._draft[1])), classes="memo--restored", markup=False)
            yield MemoArea(self._draft[0] if self._draft else self.memo, id="memo-text", soft_wrap=True)
            yield Label(S.MEMO_DISCARD, classes="memo--discard hidden", id="memo-discard", markup=False)
            yield Label(S.MEMO_HELP, classes="memo--help", markup=False)
        yield KeysFooter()  # its own keys, not those of the screen beneath

    def on_mount(self) -> None:
        area = self.query_one(MemoArea)
        area.focus()
        area.move_cursor(area.document.end)

    def _text(self) -> str:
        area = self.query_one(MemoArea)
        area.flush()
        return area.text

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self._asked:  # typing again: the question is off
            self._asked = None
            self.query_one("#memo-discard").add_class("hidden")
        if self._keep_draft is not None and self._timer is None:
            self._timer = self.set_timer(DRAFT_EVERY, self.keep_draft)

    def keep_draft(self) -> None:
        """Keep what is typed as the memo's draft (none while it is the memo as saved)."""
        self._timer = None
        text = self._text() if self._changed() else None
        if text != self._kept and self._keep_draft is not None:
            if self._keep_draft(text):
                self._kept = text
            elif self.is_attached:  # the store is busy: again a little later, typing or not
                self._timer = self.set_timer(DRAFT_EVERY, self.keep_draft)

    def _stop_timer(self) -> None:
        """No timed write of the draft is pending any more."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _end_draft(self) -> None:
        """The memo is saved or its changes are discarded: no draft stays."""
        self._stop_timer()
        if self._kept is not None and self._keep_draft is not None:
            self._keep_draft(None)  # a draft left by a busy store is offered back next time: harmless
            self._kept = None

    def action_save(self) -> None:
        self._stop_timer()
        self.keep_draft()  # kept until the memo is written: a save that fails loses nothing
        self._stop_timer()  # not kept (a busy store): the save waits for the store and says if it cannot
        self.dismiss(self._text().strip())

    def _changed(self) -> bool:
        return self._text().strip() != self.memo.strip()

    def _ask(self, what: str, question: str) -> None:
        self._asked = what
        discard = self.query_one("#memo-discard", Label)
        discard.update(question)
        discard.remove_class("hidden")

    def action_cancel(self) -> None:
        """Esc: close; with changes, ask first (Esc again discards them)."""
        if self._changed() and self._asked != "cancel":
            self._ask("cancel", S.MEMO_DISCARD)
            return
        self._end_draft()
        self.dismiss(None)

    def may_leave(self) -> bool:
        """Quit or back to the list (app keys): with changes, ask first (the key again leaves)."""
        if self._changed() and self._asked != "leave":
            self._ask("leave", S.MEMO_LEAVE)
            return False
        self._end_draft()
        return True


def edit_memo(
    app: QualcodeApp,
    title: str,
    memo: str | None,
    *,
    quote: str | None = None,
    draft: tuple[str, str] | None,
    keep: Callable[[str], None],
    drop: Callable[[str], None],
    write: Callable[[str], None],
    saved: Callable[[str], None],
) -> None:
    """Open the memo dialog on a memo (as stored now) and its stored ``draft``.

    ``keep(text)`` keeps the draft and ``drop(text)`` ends it if it is still ``text``
    (another window's newer one stays), neither waiting for another process's write:
    each raises QualcodeError when the store refuses (MEMO_CODING_GONE: what the memo is
    on was removed, said once while typing goes on; else busy or read-only, and the
    dialog tries again). ``write(text)`` saves the memo ('' removes it; it refuses over
    a memo another window saved meanwhile), ``saved(text)`` follows a save. A draft that
    is the memo as saved (qualcode stopped right after saving) is dropped. A save the
    store refuses keeps the text: as a draft, and on screen again (busy, read-only), to
    save again or to copy.
    """
    if draft and draft[0].strip() == (memo or "").strip():
        try:
            drop(draft[0])
        except QualcodeError:
            pass  # dropped another time
        draft = None
    gone: list[QualcodeError] = []  # what the memo is on was removed meanwhile: said once, while typing
    kept: list[str] = [draft[0]] if draft else []  # the draft as this opening last wrote it

    def keep_draft(text: str | None) -> bool:
        """Whether the store has it (False: busy or read-only; the dialog tries again)."""
        try:  # never waiting for another process's write: typing would stop for seconds
            if text is None:  # only this opening's draft: another window's newer one stays
                if kept:
                    drop(kept[0])
                    kept.clear()
            else:
                keep(text)
                kept[:] = [text]
        except QualcodeError as exc:  # saving the memo says what is wrong; typing goes on
            if exc.code != MEMO_CODING_GONE.code:
                return False
            if not gone:
                gone.append(exc)
                app.report_error(exc)
        return True

    def save(text: str | None) -> None:
        if text is None:
            return
        try:
            write(text)
        except QualcodeError as exc:
            app.report_error(exc)  # the draft stays: the next opening offers it back
            if exc.code != MEMO_CHANGED_MEANWHILE.code:  # busy, read-only, removed: what was written stays
                # on screen (a busy store may have kept no draft of it), to save again or to copy
                keep_draft(text)  # kept if the store takes it now
                written = datetime.now(UTC).isoformat(timespec="seconds")
                app.push_screen(MemoModal(title, memo, quote=quote, draft=(text, written), keep_draft=keep_draft), save)
            return
        keep_draft(None)
        saved(text)

    app.push_screen(MemoModal(title, memo, quote=quote, draft=draft, keep_draft=keep_draft), save)


def open_transcript_memo(app: QualcodeApp, store: Store, tid: int, flash: Callable[[str], None]) -> None:
    """The memo dialog on a transcript's own memo (``flash`` says it was saved)."""
    transcripts = store.transcripts
    try:  # as stored now (another window may have written it since)
        name, memo = transcripts.name(tid), transcripts.memo(tid)
    except KeyError:  # removed meanwhile (another window, a command)
        return
    edit_memo(
        app,
        S.TRANSCRIPT_MEMO_TITLE.format(name=name),
        memo,
        draft=transcripts.draft(tid),
        keep=lambda text: transcripts.keep_draft(tid, text, wait=False),
        drop=lambda text: transcripts.drop_draft(tid, text, wait=False),
        write=lambda text: app.broadcast(app.history.set_transcript_memo(tid, text, was=memo)),  # Ctrl+Z takes it back
        saved=lambda text: flash((S.TRANSCRIPT_MEMO_SAVED if text else S.TRANSCRIPT_MEMO_CLEARED).format(name=name)),
    )
