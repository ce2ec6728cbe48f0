"""The pseudonymisation review screen: candidates in reading order, decided with one key.

Like suggestion review: the candidate is shown in its context, highlighted; ``a``
accepts (every other occurrence of the name follows, with the same pseudonym),
``r`` rejects, ``c`` changes the category, ``e``/``E`` extend the span by a word
to the right/left, ``w``/``n`` decide the word for the whole project (always /
never), ``u`` undoes the last decision. Each decision is one committed
transaction in the key store (``qualcode.pseudonymise.review``).

``D`` runs detection in a thread worker: deduce is loaded there (built into the
user cache the first time on a machine, with its progress shown), never on the
UI thread.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Header, Static

from ...errors import QualcodeError
from ...model import PENDING
from ...project import Project
from ...pseudonymise import review
from ...pseudonymise.categories import CATEGORIES
from ...pseudonymise.runner import open_key
from .. import strings as S
from ..widgets.footer import KeysFooter
from .base import QualcodeScreen

CONTEXT = 400  # characters shown before and after the candidate


class PseudonymiseScreen(QualcodeScreen):
    """Review the personal data found in the project's transcripts."""

    SCREEN = "pseudonymise"  # its name in the app's screen registry
    CSS_PATH = "pseudonymise.tcss"
    BINDINGS = [
        Binding("a", "accept", S.BIND_PSEUDO_ACCEPT, id="pseudo.accept"),
        Binding("r", "reject", S.BIND_PSEUDO_REJECT, id="pseudo.reject"),
        Binding("c", "category", S.BIND_PSEUDO_CATEGORY, id="pseudo.category"),
        Binding("e", "extend(1)", S.BIND_PSEUDO_EXTEND, id="pseudo.extend"),
        Binding("E", "extend(-1)", S.BIND_PSEUDO_EXTEND_LEFT, show=False, id="pseudo.extend_left"),
        Binding("w", "always", S.BIND_PSEUDO_ALWAYS, id="pseudo.always"),
        Binding("n", "never", S.BIND_PSEUDO_NEVER, id="pseudo.never"),
        Binding("u", "undo", S.BIND_PSEUDO_UNDO, id="pseudo.undo"),
        Binding("j,down", "move(1)", S.BIND_PSEUDO_NEXT, show=False, id="pseudo.next"),
        Binding("k,up", "move(-1)", S.BIND_PSEUDO_PREV, show=False, id="pseudo.prev"),
        Binding("D", "detect", S.BIND_PSEUDO_DETECT, id="pseudo.detect"),
        Binding("escape", "close", S.BIND_PSEUDO_CLOSE, id="pseudo.close"),
    ]

    class Progress(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Detected(Message):
        def __init__(self, new: int, pending: int) -> None:
            super().__init__()
            self.new, self.pending = new, pending

    class Failed(Message):
        def __init__(self, error: QualcodeError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.key = open_key(project.root)
        self.index = 0
        self.category: str | None = None  # a category chosen with `c` before accepting
        self.span: tuple[int, int] | None = None  # a span changed with `e`/`E` before accepting
        self.queue: list = []
        self.applied: set[int] = set()  # transcripts switched to their pseudonymised text

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="pseudo-status", markup=False)
        with VerticalScroll(id="pseudo-body"):
            yield Static(id="pseudo-context", markup=False)
        yield Static(id="pseudo-message", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.reload()

    def on_unmount(self) -> None:
        self.key.close()

    def store_changed(self, change: object) -> None:
        """Codings changed: the candidates (in the key store) did not."""

    # --- state ----------------------------------------------------------------------

    def reload(self, keep: int | None = None) -> None:
        """Re-read the pending candidates (reading order), staying near the current one."""
        self.queue = self.key.candidates(statuses=[PENDING])
        self.applied = review.applied_ids(self.project.store, self.key)
        if keep is not None:
            self.index = min(keep, max(len(self.queue) - 1, 0))
        self.category = None
        self.span = None
        self.refresh_view()

    @property
    def current(self):
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    def refresh_view(self) -> None:
        counts = self.key.candidate_counts()
        total = sum(counts.values())
        done = total - sum(n for (_, _, status), n in counts.items() if status == PENDING)
        self.title = S.PSEUDO_TITLE.format(done=done, total=total)
        status = self.query_one("#pseudo-status", Static)
        body = self.query_one("#pseudo-context", Static)
        c = self.current
        if c is None:
            status.update(S.PSEUDO_ALL_DONE.format(total=total) if total else S.PSEUDO_NONE)
            body.update("")
            return
        names = self.project.store.transcripts.names()
        status.update(
            S.PSEUDO_CANDIDATE.format(
                index=self.index + 1,
                count=len(self.queue),
                transcript=names.get(c.transcript_id, "?"),
                category=self.category or c.category,
                source=c.source,
                status=c.status,
            )
        )
        text = self._detected(c.transcript_id)
        if text is None or text[c.start : c.end] != c.text:  # applied, its original forgotten
            body.update(Text(c.text, style="reverse bold"))
            return
        start, end = self.span or (c.start, c.end)
        lo, hi = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
        shown = Text()
        shown.append(("…" if lo else "") + text[lo:start])
        shown.append(text[start:end], style="reverse bold")
        shown.append(text[end:hi] + ("…" if hi < len(text) else ""))
        body.update(shown)

    def _detected(self, tid: int) -> str | None:
        """The text the candidates' offsets count in (the original once applied)."""
        return review.detected_text(self.project.store, self.key, tid, self.applied)

    def say(self, message: str) -> None:
        self.query_one("#pseudo-message", Static).update(message)

    def _decide(self, fn, message: str | None = None) -> None:
        """Make a decision (``fn``), then show ``message`` (or what ``fn`` returned) and move on."""
        try:
            result = fn()
            message = message if message is not None else result
        except QualcodeError as exc:
            self.notify(exc.message + (f"\n{exc.hint}" if exc.hint else ""), severity="error", markup=False)
            return
        self.say(message)
        self.reload(keep=self.index)

    # --- actions ---------------------------------------------------------------------

    def action_accept(self) -> None:
        c = self.current
        if c is None:
            return

        def run() -> str:
            d = review.accept(self.project.store, self.key, c.id, self.app.coder, category=self.category, span=self.span)
            text = self.project.store.transcripts.text(c.transcript_id)[slice(*(self.span or (c.start, c.end)))]
            pseudonym = d.entity.pseudonym if d.entity else "?"
            if d.also:
                return S.PSEUDO_ACCEPTED_ALSO.format(text=text, pseudonym=pseudonym, also=d.also)
            return S.PSEUDO_ACCEPTED.format(text=text, pseudonym=pseudonym)

        self._decide(run)

    def action_reject(self) -> None:
        c = self.current
        if c is not None:
            self._decide(
                lambda: review.reject(self.project.store, self.key, c.id, self.app.coder), S.PSEUDO_REJECTED.format(text=c.text)
            )

    def action_category(self) -> None:
        c = self.current
        if c is None:
            return
        order = list(CATEGORIES)
        now = self.category or c.category
        self.category = order[(order.index(now) + 1) % len(order)]
        self.say(S.PSEUDO_CATEGORY.format(category=self.category))
        self.refresh_view()

    def action_extend(self, direction: int) -> None:
        c = self.current
        if c is None:
            return
        text = self._detected(c.transcript_id)
        if text is None or text[c.start : c.end] != c.text:
            return
        start, end = self.span or (c.start, c.end)
        if direction > 0:
            m = re.compile(r"\s*[\w'’-]+").match(text, end)
            end = m.end() if m else end
        else:
            m = re.search(r"[\w'’-]+\s*$", text[max(0, start - 60) : start])
            start = start - len(m.group()) if m else start
        self.span = (start, end)
        self.refresh_view()

    def action_always(self) -> None:
        c = self.current
        if c is not None:
            category = self.category or c.category
            self._decide(
                lambda: review.always(self.project.store, self.key, c.text, category, self.app.coder),
                S.PSEUDO_ALWAYS.format(text=c.text),
            )

    def action_never(self) -> None:
        c = self.current
        if c is not None:
            self._decide(
                lambda: review.never(self.project.store, self.key, c.text, self.app.coder), S.PSEUDO_NEVER.format(text=c.text)
            )

    def action_undo(self) -> None:
        self._decide(lambda: S.PSEUDO_UNDONE.format(action=review.undo(self.key)))

    def undo_step(self) -> bool:
        """Ctrl+Z here takes back a decision, as `u` does: never a coding made on another
        screen, out of sight (the session's undo waits until the review is closed)."""
        self.action_undo()
        return True

    def action_move(self, step: int) -> None:
        if self.queue:
            self.index = (self.index + step) % len(self.queue)
            self.category = None
            self.span = None
            self.refresh_view()

    def action_close(self) -> None:
        self.dismiss()

    # --- detection in a worker ---------------------------------------------------------

    def action_detect(self) -> None:
        self.run_detection()

    @work(thread=True, exclusive=True, group="pseudo-detect", name="detect personal data")
    def run_detection(self) -> None:
        from ...pseudonymise import engine
        from ...pseudonymise.runner import run_detection

        building = not engine.tables_built()

        def loading(done: int, total: int, what: str) -> None:
            template = S.PSEUDO_LOADING_BUILD if building else S.PSEUDO_LOADING
            self.post_message(self.Progress(template.format(what=what)))

        def detecting(done: int, total: int, what: str) -> None:
            self.post_message(self.Progress(S.PSEUDO_DETECTING.format(what=what, done=done, total=total)))

        try:
            detector = engine.DeduceDetector(engine.load(loading))
            # The project *folder*: the run opens its own connections in this thread.
            summary = run_detection(self.project.root, detector, progress=detecting)
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
            return
        self.post_message(self.Detected(sum(summary.new.values()), sum(summary.pending.values())))

    def on_pseudonymise_screen_progress(self, message: Progress) -> None:
        self.say(message.text)

    def on_pseudonymise_screen_detected(self, message: Detected) -> None:
        self.say(S.PSEUDO_DETECTED.format(new=message.new, pending=message.pending))
        self.reload(keep=0)

    def on_pseudonymise_screen_failed(self, message: Failed) -> None:
        self.notify(message.error.message, severity="error", markup=False)
