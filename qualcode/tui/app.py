"""The qualcode Textual app: global keys, undo/redo, screens and the palette.

Deliberately small: screens live in ``screens/`` (registered in
``screens/__init__.py``), widgets in ``widgets/``, keys in ``keymap.py``,
strings in ``strings.py``. What is here is what every screen shares:

* ``app.project`` (the open :class:`~qualcode.project.Project`), ``app.coder``
  and ``app.history`` (session undo/redo over the store);
* :meth:`QualcodeApp.broadcast`: after any change to codings, every screen on
  the stack gets ``store_changed(change)`` (``None``: re-read everything) so
  none of them shows something the store does not hold. The app calls its
  screens only through what :class:`~.screens.base.QualcodeScreen` declares
  (attributes down); widgets tell their screen with messages (messages up);
* a one-second check of SQLite's ``data_version``, which changes when another
  connection (a CLI command in another terminal) commits: the screens re-read;
* the coder-name question at first start, and the user keymap;
* ``app.jobs``: the one long job (a suggestion run or training) in a thread
  worker, with a progress bar on the screens that show one.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import App, SystemCommand
from textual.keys import _character_to_key
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input

from ..display import shorten
from ..errors import QualcodeError
from ..project import Project
from ..team.study import coder_pairs
from ..termsafe import one_line
from ..userconfig import save_user_setting
from . import keymap
from . import strings as S
from .commands import PaletteCommand, QualcodeCommands
from .jobs import JobFinished, JobProgress, Jobs
from .screens import make_screen
from .screens.base import QualcodeScreen
from .widgets.footer import left_out

if TYPE_CHECKING:
    from ..history import CodingChange
    from ..session_history import SessionHistory
    from .screens.coding import CodingScreen

STORE_CHECK_SECONDS = 1.0
UNDONE_QUOTE = 40  # characters of the text an undo out of sight names
TYPE_AHEAD_TRIES = 10  # refreshes to wait for a dialog to focus its text box (keys typed ahead for it)


CURSORS_SETTING = "tui.cursors.{coder}"  # a setting: {transcript id: cursor offset} as the coder left them


class QualcodeApp(App[None]):
    """Code interview transcripts with the keyboard."""

    TITLE = S.APP_TITLE
    BINDINGS = keymap.bindings(keymap.APP)
    COMMANDS = App.COMMANDS | {QualcodeCommands}
    CSS = """
    Screen .hidden { display: none; }
    ModalScreen Label { width: 100%; }  /* a dialog's line wraps at its edge (at 80 columns too), never cut */
    """

    def __init__(
        self,
        project: Project,
        coder: str,
        *,
        ask_coder: bool = False,
        keymap_file: Path | None = None,
        watch_store: bool = True,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__()
        self.project = project
        self.coder = coder
        self.codebook = project.codebook  # loaded once, here
        if project.sync is None:
            project.sync_codebook()  # codings need their codes in the store
        self._history: SessionHistory | None = None
        self._undo_explained = False  # what undo covers was said (once a session, at the first empty undo)
        # What was typed in a dialog's text box that Esc closed, by dialog: the next opening shows it again.
        self.kept_typing: dict[str, str] = {}
        self.jobs = Jobs(self)
        self.show_suggestions = True  # pending suggestions drawn in the coding screen (P toggles)
        self.keymap_file = keymap_file or keymap.keymap_path()
        self.user_keymap, self.keymap_error = keymap.load_keymap(self.keymap_file)
        self._ask_coder = ask_coder
        self._watch_store = watch_store
        self._notices = list(notices)  # what opening the project did (an import), shown at start
        self._typed_ahead: list[str] = []  # characters waiting for the text box of a dialog that is opening
        self.stats_view: dict = {}  # the statistics screen as left this session (it opens so again)
        self.cursors: dict[int, int] = self._saved_cursors()  # where the cursor was left in each transcript
        self._cursors_kept = dict(self.cursors)  # as the store has them
        self._data_version = self._store_version()
        self._codebook_seen: tuple[int, int, bytes] | None = None
        self._codebook_seen = self._codebook_file()  # the codebook file as last seen (checked every second)
        self._codebook_loaded = self._codebook_seen[2] if self._codebook_seen else None  # as loaded
        self.codebook_changed = False  # the file changed on disk since (said at each change, and by NO_SUCH_KEY)
        self.base_depth = 2  # Textual's blank default screen, then the transcripts list
        self.sub_title = f"{project.root.name} · {coder}" + (S.READ_ONLY_TITLE if project.store.read_only else "")

    @property
    def history(self) -> SessionHistory:
        """The session's undo/redo (made at the first coding action: the list needs none)."""
        if self._history is None:
            from ..session_history import SessionHistory

            self._history = SessionHistory(self.project.store, self.codebook)
        return self._history

    def on_mount(self) -> None:
        self.set_keymap(keymap.textual_keymap(self.user_keymap))
        # Pushed rather than returned by get_default_screen(): only pushed screens load their .tcss.
        self.push_screen(make_screen("transcripts", self.project))
        self.base_depth = len(self.screen_stack)
        for notice in self._notices:
            self.notify(notice, timeout=S.NOTICE_SECONDS, markup=False)
        if self.keymap_error is not None:
            self.report_error(self.keymap_error, timeout=30)
        if self._ask_coder:
            from .widgets.coder import CoderNameModal

            self.push_screen(CoderNameModal(self.coder), self._coder_chosen)
        if self._watch_store:
            self.set_interval(STORE_CHECK_SECONDS, self.check_store)
        self.call_after_refresh(self.settle_memory)

    def settle_memory(self) -> None:
        """Move the app's own objects (alive for the whole session) out of the collector's way.

        A full collection walks every object: the app's tens of thousands made it
        0.3 s on a busy machine, at an unforeseeable key. Frozen objects are left out
        of later collections, so those stay short (``gc.freeze`` itself costs next to
        nothing). A transcript's model is not frozen: it goes when its screen goes
        (with a 100,000-word one loaded a full collection takes some 30 ms). The
        collector, off while the app was built (``build_app``), runs again from here.
        """
        gc.freeze()
        gc.enable()

    def on_unmount(self) -> None:
        # Whatever happened before the first screen: the collector runs again, and what
        # was frozen can go (an app made again in the same process, as tests do, starts clean).
        gc.unfreeze()
        gc.enable()

    # --- keys typed ahead -------------------------------------------------------------

    def type_ahead(self, character: str) -> None:
        """Hand a character typed ahead to the text box it was meant for.

        "/stage" or "Enter stag" typed fast (or on a busy machine): the letters after
        the first key were on their way to the transcript when the search box or the
        code list opened. They go into that box, in the order typed: at once when it has
        the focus, else once the dialog that is opening has focused it. They are dropped
        when it has none (a list), and never applied as code keys.
        """
        if not self._typed_ahead and self._text_box(self.focused):
            self._hand_on(character)
        elif isinstance(self.screen, ModalScreen) and (self.focused is None or self._typed_ahead):
            self._typed_ahead.append(character)
            if len(self._typed_ahead) == 1:
                self.call_after_refresh(self._flush_typed_ahead, TYPE_AHEAD_TRIES)

    def _text_box(self, widget) -> bool:
        from textual.widgets import TextArea  # here, not at start: it brings the document model (5 ms)

        return isinstance(widget, (Input, TextArea)) and not getattr(widget, "read_only", False)

    def _hand_on(self, character: str) -> None:
        event = events.Key(_character_to_key(character), character)
        event.set_sender(self)
        event.typed_ahead = True  # type: ignore[attr-defined]  # not handed on twice (on_key)
        cast(Widget, self.focused).post_message(event)

    def _flush_typed_ahead(self, tries: int) -> None:
        if self.focused is None and tries > 0:  # the dialog has not focused its text box yet
            self.call_after_refresh(self._flush_typed_ahead, tries - 1)
            return
        typed, self._typed_ahead = self._typed_ahead, []
        if self._text_box(self.focused):
            for character in typed:
                self._hand_on(character)

    def on_key(self, event: events.Key) -> None:
        """A printable key no widget took while a text box has (or is about to get) the focus:
        typed ahead for it."""
        if getattr(event, "typed_ahead", False) or not (event.is_printable and event.character):
            return
        if self._text_box(self.focused) or self._typed_ahead or (isinstance(self.screen, ModalScreen) and self.focused is None):
            self.type_ahead(event.character)

    # --- coder ----------------------------------------------------------------------

    def _coder_chosen(self, name: str | None) -> None:
        if name:
            self.set_coder(name)

    def set_coder(self, name: str) -> None:
        """Use ``name`` on new codings from now on and keep it in the user's settings."""
        self.keep_cursors()  # the positions so far are the coder's before
        self.coder = name
        self._cursors_kept = {}  # kept as the new coder's at the next keep
        kept = save_user_setting("coder", name)
        self.sub_title = f"{self.project.root.name} · {name}"
        for screen in self.screens():  # the coding screens show who codes
            screen.coder_changed()
        self.flash(S.CODER_SAVED.format(name=name) + (S.USER_CONFIG_KEPT.format(path=kept) if kept else ""))

    # --- where each transcript was left (it opens there again, also after a restart) -------

    def _cursors_setting(self) -> str:
        return CURSORS_SETTING.format(coder=self.coder)

    def _saved_cursors(self) -> dict[int, int]:
        """The cursors this coder left in the project's transcripts (a bad value: none)."""
        try:
            saved = json.loads(self.project.store.settings.get(self._cursors_setting()) or "{}")
            return {int(tid): int(offset) for tid, offset in saved.items() if int(offset) >= 0}
        except (ValueError, TypeError, AttributeError):
            return {}

    @property
    def last_opened(self) -> int | None:
        """The transcript this coder opened last (also before a restart), if any."""
        return next(reversed(self.cursors), None)

    def keep_cursors(self) -> None:
        """Keep where the cursor is in each transcript, for the next start (when a transcript
        is left and at quitting; a position is no work: a killed app opens where it last kept)."""
        if list(self.cursors.items()) == list(self._cursors_kept.items()) or self.project.store.read_only:
            return
        try:  # in the order opened: the last is the transcript the list highlights at the next start
            self.project.store.settings.set(self._cursors_setting(), json.dumps(self.cursors))
        except QualcodeError:
            return  # a busy or read-only project: the positions are kept another time
        self._cursors_kept = dict(self.cursors)

    def action_change_coder(self) -> None:
        from .widgets.coder import CoderNameModal

        self.push_screen(CoderNameModal(self.coder), self._coder_chosen)

    # --- messages to the user ---------------------------------------------------------

    def report_error(self, exc: QualcodeError, timeout: float = 10) -> None:
        """Show a user error (message, located problems, hint) without a traceback."""
        lines = [str(p) for p in exc.problems[:8]]
        lines.append(exc.message)
        if exc.hint:
            lines.append(f"hint: {exc.hint}")
        self.notify("\n".join(lines), title=exc.code, severity="error", timeout=timeout, markup=False)

    def flash(self, text: str) -> None:
        """A short message in the current screen's status line (or a notification)."""
        screen = self.screen
        if isinstance(screen, QualcodeScreen):
            screen.flash(text)
        else:
            self.notify(text, timeout=S.MESSAGE_SECONDS, markup=False)

    def screens(self) -> list[QualcodeScreen]:
        """Our screens on the stack, bottom first (modal dialogs are not screens of the app)."""
        return [screen for screen in self.screen_stack if isinstance(screen, QualcodeScreen)]

    # --- store changes ----------------------------------------------------------------

    def broadcast(self, change: CodingChange | None) -> None:
        """Tell every screen the codings changed (``None``: changed from outside)."""
        for screen in self.screens():
            screen.store_changed(change)

    def _store_version(self) -> int:
        return self.project.store.data_version()

    def store_settled(self) -> None:
        """Our own background job wrote to the store: take the new version and re-read quietly."""
        self._data_version = self._store_version()
        self.broadcast(None)

    def check_store(self) -> None:
        """Re-read the screens if another connection committed since the last check.

        While our own job runs, its commits (suggestions) are not news: the screens
        re-read once when it finishes, which also catches anything else meanwhile.
        """
        self.check_codebook()
        if self.jobs.running:
            return
        version = self._store_version()
        if version != self._data_version:
            self._data_version = version
            self.broadcast(None)
            self.flash(S.STORE_CHANGED)

    def _codebook_file(self) -> tuple[int, int, bytes] | None:
        """The codebook file's modification time, size and content (None: unreadable)."""
        try:
            path = self.project.codebook_path
            stat = path.stat()
            if self._codebook_seen is not None and self._codebook_seen[:2] == (stat.st_mtime_ns, stat.st_size):
                return self._codebook_seen  # unchanged: not read again (checked every second)
            return stat.st_mtime_ns, stat.st_size, path.read_bytes()
        except (OSError, QualcodeError):
            return None

    def check_codebook(self) -> None:
        """Say that the codebook file changed on disk (an editor, a ``qualcode codebook``
        command), at each change: the app keeps coding with the codebook it loaded, so a
        new code's key would otherwise just be "No code has the key". A change that breaks
        the file is named with its first problem, so a restart is not where it shows."""
        now = self._codebook_file()
        if now is None or self._codebook_seen is None or now[2] == self._codebook_seen[2]:
            self._codebook_seen = now or self._codebook_seen  # touched, not changed: remember the new time
            return
        self._codebook_seen = now
        if now[2] == self._codebook_loaded:  # changed back: the app's codebook is the file's again
            self.codebook_changed = False
            self.notify(S.CODEBOOK_BACK.format(path=self.codebook_name()), timeout=S.MESSAGE_SECONDS, markup=False)
            return
        self.codebook_changed = True
        from ..codebook import check_codebook

        problems: list[object]
        try:
            problems = list(check_codebook(self.project.codebook_path))
        except QualcodeError as exc:  # unreadable (not UTF-8, ...)
            problems = list(exc.problems) or [exc.message]
        text = S.CODEBOOK_CHANGED.format(path=self.codebook_name(), quit=self.key_of("quit"))
        if problems:
            text = S.CODEBOOK_CHANGED_INVALID.format(
                path=self.codebook_name(), count=len(problems), first=one_line(str(problems[0]))
            )
        self.notify(text, severity="warning", timeout=S.NOTICE_SECONDS, markup=False)

    def codebook_name(self) -> str:
        """The codebook file as the researcher knows it: relative to the project folder."""
        try:
            return self.project.relative(self.project.codebook_path)
        except QualcodeError:
            return "the codebook"

    def describe(self, change: CodingChange) -> tuple[str, str]:
        """What a change did ("coding with Vertrouwen") and where, if not on screen (" in 02_cjg").

        The transcript is named when it is not the one on screen: an undo never
        changes something out of sight without saying where.
        """
        from ..history import APPLY, MEMO, REMOVE, TRANSCRIPT_MEMO
        from ..session_history import ACCEPT, SuggestionDecision

        if isinstance(change, SuggestionDecision):
            code_id = change.code_id or (change.suggestion.code_id if change.suggestion else "-")
            template = S.WHAT_ACCEPT if change.kind == ACCEPT else S.WHAT_REJECT
            text = template.format(codes=self._code_name(code_id))
            where = {change.suggestion.transcript_id} if change.suggestion else set()
        elif change.kind == TRANSCRIPT_MEMO:
            text = S.WHAT_TRANSCRIPT_MEMO
            where = {change.transcript_id}
        else:
            names = sorted({self._code_name(c.code_id) for c in change.codings})
            codes = ", ".join(names) if names else "-"
            template = {APPLY: S.WHAT_APPLY, REMOVE: S.WHAT_REMOVE, MEMO: S.WHAT_MEMO}[change.kind]
            text = template.format(codes=codes)
            where = {c.transcript_id for c in change.codings}
        here = self.screen.transcript_id if isinstance(self.screen, QualcodeScreen) else None
        elsewhere = where - {here}
        if not elsewhere:
            return text, ""
        quotes = [c.quote for c in change.codings if c.quote.strip()]
        if quotes:  # out of sight: which text, not only which code (the transcripts list, the statistics)
            text += S.WHERE_QUOTE.format(quote=shorten(one_line(quotes[0]), UNDONE_QUOTE))
        names = self.project.store.transcripts.names()
        return text, S.WHERE.format(transcripts=", ".join(sorted(names.get(t, str(t)) for t in elsewhere)))

    def key_of(self, binding_id: str) -> str:
        """How the (first) key of a binding is written, after the user's keymap ("Ctrl+G")."""
        from .screens.help import key_display

        return key_display(self, keymap.effective_keys(self.user_keymap)[binding_id][0])

    def _code_name(self, code_id: str) -> str:
        code = self.codebook.get(code_id)
        return code.name if code else code_id

    # --- undo / redo --------------------------------------------------------------------

    def action_undo(self) -> None:
        # A screen with undo of its own (the disagreement review) takes it back there first.
        if isinstance(self.screen, QualcodeScreen) and self.screen.undo_step():
            return
        if not self.history.can_undo and not self._undo_explained:
            # Once a session: what undo covers and where earlier work is (after a restart the
            # researcher met a bare 'Nothing to undo' for the coding of yesterday).
            self._undo_explained = True
            remove = self.key_of("remove_coding")
            self.notify(S.UNDO_COVERS.format(remove=remove), timeout=S.NOTICE_SECONDS, markup=False)
        self._replay(self.history.undo, S.UNDONE, S.NOTHING_TO_UNDO, S.UNDO_OFFER.format(key=self.key_of("redo")))

    def action_redo(self) -> None:
        self._replay(self.history.redo, S.REDONE, S.NOTHING_TO_REDO, S.REDO_OFFER.format(key=self.key_of("undo")))

    def _replay(self, step, done: str, nothing: str, way_back: str) -> None:
        """Undo or redo one step; out of sight (another transcript, a list) the notice says
        where, on which text, and the key that goes back (``way_back``)."""
        try:
            change = step()
        except QualcodeError as exc:
            self.report_error(exc)
            self.broadcast(None)
            return
        if change is None:
            self.flash(nothing)
            return
        self.broadcast(change)
        if isinstance(self.screen, QualcodeScreen):
            self.screen.reveal(change)
        what, where = self.describe(change)
        if not where:  # on screen, where the cursor went: the status line says it
            self.flash(done.format(what=what, where=where))
            return
        # Out of sight: a notice that wraps (a status line of 80 columns cut it), naming the
        # transcript and the text, with the key that goes back.
        self.notify(done.format(what=what, where=where) + way_back, timeout=S.NOTICE_SECONDS, markup=False)

    # --- long jobs: suggestion runs and training (see jobs.py) --------------------------

    def start_suggestions(self, transcript_ids: list[int] | None, label: str) -> bool:
        """Run suggestions for these transcripts (None: all) in a worker; False if a job runs."""
        return self.jobs.suggest(transcript_ids, label)

    def action_train(self) -> None:
        """Retrain the learned model on the project's coding, in a worker."""
        self.jobs.train(S.JOB_TRAINING)

    def action_suggest_all(self) -> None:
        self.jobs.suggest(None, S.JOB_SUGGEST_ALL)

    def action_cancel_job(self) -> None:
        self.jobs.cancel()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if isinstance(self.screen, ModalScreen) and action != "quit":
            return False  # a dialog is open: its own keys (in its footer), not the app's screens or undo
        if action == "cancel_job":
            return self.jobs.running  # the key (and its footer entry) only while a job runs
        if action == "show_transcripts":
            return len(self.screen_stack) > self.base_depth  # shown where it leads somewhere
        if action in ("undo", "redo") and isinstance(self.focused, Input):
            return False  # typing a search or a filter: the key is not for the codings behind the box
        return True

    def on_job_progress(self, message: JobProgress) -> None:
        self.jobs.progressed(message)

    def on_job_finished(self, message: JobFinished) -> None:
        self.jobs.finished(message)

    def _may_leave(self) -> bool:
        """Whether the screen on top lets the app leave it: a memo being written asks first
        (its ``may_leave``), as Esc does there, so no key throws typing away unasked."""
        guard = getattr(self.screen, "may_leave", None)
        return guard is None or bool(guard())

    async def action_quit(self) -> None:
        if not self._may_leave():
            return
        self.keep_cursors()
        self.jobs.cancel()  # the worker stops at its next check instead of keeping Python alive
        await super().action_quit()

    # --- screens ------------------------------------------------------------------------

    def action_help(self) -> None:
        if _name(self.screen) != "help":
            came_from = self.screen
            self.push_screen(make_screen("help", self.project, came_from=_name(came_from), left_out=left_out(came_from)))

    def action_show_transcripts(self) -> None:
        """Back to the transcripts list (the bottom screen); a transcript left keeps its cursor."""
        if not self._may_leave():
            return
        while len(self.screen_stack) > self.base_depth:
            self.pop_screen()
        self.keep_cursors()

    def action_show_retrieval(self, codes: Iterable[str] | None = None, at: int | None = None) -> None:
        """The segments of codes across transcripts (the current screen's code if any).

        ``at``: the coding to highlight in the list (the one the user came from).
        """
        screen = self.screen
        if codes is None and isinstance(screen, QualcodeScreen):
            codes = screen.current_code_ids()
            at = at if at is not None else screen.current_coding_id()
        codes = list(codes or [])
        if _name(screen) == "retrieval":
            screen.select_codes(codes)  # type: ignore[attr-defined]
            return
        self.push_screen(make_screen("retrieval", self.project, codes=codes, at=at))

    def action_show_screen(self, name: str) -> None:
        """Push a registered screen by name (e.g. ``stats``); on it already, stay."""
        if _name(self.screen) != name:
            self.push_screen(make_screen(name, self.project))

    def action_review_disagreements(self, first: str, second: str) -> None:
        """The disagreement review of two coders (another pair's review open is closed first)."""
        if _name(self.screen) == "disagreements":
            self.pop_screen()
        self.push_screen(make_screen("disagreements", self.project, coders=(first, second)))

    def _review_commands(self) -> list[PaletteCommand]:
        """One review of disagreements per pair of coders who coded a transcript in common (a
        team of three has three); with no such pair the review opens to say why."""
        pairs = coder_pairs(self.project)
        if not pairs:
            return [
                PaletteCommand(S.CMD_DISAGREEMENTS, S.CMD_DISAGREEMENTS_HELP, lambda: self.action_show_screen("disagreements"))
            ]
        return [
            PaletteCommand(
                S.CMD_DISAGREEMENTS_PAIR.format(first=one_line(first), second=one_line(second)),
                S.CMD_DISAGREEMENTS_HELP,
                lambda a=first, b=second: self.action_review_disagreements(a, b),
            )
            for first, second in pairs
        ]

    def action_export(self, what: str) -> None:
        """The statistics screen with its export dialog open: ``segments``, the frequency ``table``
        or the whole project as ``qdpx``."""
        self.push_screen(make_screen("stats", self.project, export=what))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's own palette commands, without its "Keys" (ours shows every binding and the code keys)."""
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command

    def open_transcript(self, transcript_id: int, at: tuple[int, int] | None = None) -> None:
        """Show a transcript in the coding screen, at a span if given (reusing an open one).

        Without ``at`` a transcript opened before in this session opens where its
        cursor was left.
        """
        for screen in self.screens():
            if screen.transcript_id == transcript_id:
                while self.screen is not screen:
                    self.pop_screen()
                if at is not None:
                    cast("CodingScreen", screen).go_to(*at)
                return
        self.action_show_transcripts()
        cursor = self.cursors.pop(transcript_id, None)
        self.cursors[transcript_id] = cursor or 0  # the last one opened: highlighted in the list at the next start
        if at is None and cursor is not None:
            at = (cursor, cursor)
        self.push_screen(make_screen("coding", self.project, transcript_id=transcript_id, at=at))

    # --- command palette ----------------------------------------------------------------

    def palette_commands(self, screen: Screen) -> list[PaletteCommand]:
        """The palette's commands: the app's, then the current screen's."""
        commands = [
            PaletteCommand(S.CMD_TRANSCRIPTS, S.CMD_TRANSCRIPTS_HELP, self.action_show_transcripts),
            PaletteCommand(S.CMD_HELP, S.CMD_HELP_HELP, self.action_help),
            PaletteCommand(S.CMD_UNDO, S.CMD_UNDO_HELP, self.action_undo),
            PaletteCommand(S.CMD_REDO, S.CMD_REDO_HELP, self.action_redo),
            PaletteCommand(S.CMD_CODER, S.CMD_CODER_HELP.format(coder=self.coder), self.action_change_coder),
            PaletteCommand(S.CMD_STATS, S.CMD_STATS_HELP, lambda: self.action_show_screen("stats")),
            PaletteCommand(S.CMD_EXPORT_SEGMENTS, S.CMD_EXPORT_SEGMENTS_HELP, lambda: self.action_export("segments")),
            PaletteCommand(S.CMD_EXPORT_TABLE, S.CMD_EXPORT_TABLE_HELP, lambda: self.action_export("table")),
            PaletteCommand(S.CMD_EXPORT_QDPX, S.CMD_EXPORT_QDPX_HELP, lambda: self.action_export("qdpx")),
            PaletteCommand(S.CMD_SUGGEST_ALL, S.CMD_SUGGEST_ALL_HELP, self.action_suggest_all),
            PaletteCommand(S.CMD_TRAIN, S.CMD_TRAIN_HELP, self.action_train),
            PaletteCommand(S.CMD_PSEUDO, S.CMD_PSEUDO_HELP, lambda: self.action_show_screen("pseudonymise")),
        ]
        commands.extend(self._review_commands())
        if self.jobs.running:
            commands.append(PaletteCommand(S.CMD_CANCEL_JOB.format(label=self.jobs.state.label), "", self.action_cancel_job))
        for summary in self.project.store.transcripts.summaries():
            commands.append(
                PaletteCommand(
                    S.CMD_OPEN.format(name=summary.name),
                    S.CMD_OPEN_HELP.format(words=summary.words, codings=summary.codings),
                    lambda tid=summary.id: self.open_transcript(tid),
                )
            )
        for code in self.codebook.walk():
            commands.append(
                PaletteCommand(
                    S.CMD_SEGMENTS.format(name=code.name),
                    S.CMD_SEGMENTS_HELP,
                    lambda cid=code.id: self.action_show_retrieval([cid]),
                )
            )
        if isinstance(screen, QualcodeScreen):
            commands.extend(screen.palette_commands())
        return commands


def _name(screen: Screen) -> str | None:
    """The registry name of one of our screens (None for Textual's and dialogs)."""
    return screen.SCREEN if isinstance(screen, QualcodeScreen) else None
