"""The disagreement review: walk through every place two coders differ and settle it.

Opened from the command palette ("Review disagreements: anna and bram", one
entry per pair of coders who coded a transcript in common, so a team of three
picks the pair; see :func:`qualcode.team.consensus.open_review`); opening it gives the consensus
coder every coding both made identically. Then, one place at a time, the
transcript shows only the two coders' codings (each coder with a margin mark of
its own) with the place selected, and a panel lists both versions:

* ``A`` keeps the first coder's codings, ``B`` the second's, ``K`` both,
  ``X`` neither;
* Enter settles with the selected span instead (move or extend the selection
  with the usual keys first), with the codes in question;
* ``>`` / ``<`` go to the next / previous place; after a decision the review
  moves on to the next unsettled one;
* Ctrl+Z takes back the last decision (and shows its place again).

Each decision is one committed transaction, so nothing is lost when the app
closes; opening the review again resumes at the first unsettled place.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Header, Static
from textual.worker import Worker, WorkerState

from ...display import shorten
from ...errors import QualcodeError
from ...project import Project
from ...team.consensus import ADJUSTED, BOTH, FIRST, NEITHER, SECOND, Review, open_review, settle, undo
from .. import keymap
from .. import strings as S
from ..document.coders import coder_marks
from ..document.model import DocumentModel
from ..document.spans import SpanIndex
from ..widgets.document import DocumentView, Overlay
from ..widgets.footer import KeysFooter
from .base import QualcodeScreen
from .coding import code_infos

OVERLAY = "disagreement"


class DisagreementScreen(QualcodeScreen):
    """Settle two coders' disagreements into the consensus coder."""

    SCREEN = "disagreements"
    CSS_PATH = "disagreements.tcss"
    BINDINGS = keymap.bindings(keymap.DISAGREEMENTS)
    # The decisions first in the footer, before the text's keys (at 80 columns not all fit).
    footer_first = tuple(a.action for a in keymap.ACTIONS if a.scope == keymap.DISAGREEMENTS)

    def __init__(self, project: Project, coders: Sequence[str] = ()) -> None:
        super().__init__(project)
        self.coders = tuple(coders)  # the two to compare (none: the project's only two)
        self.review: Review | None = None
        self.index = 0
        self.model: DocumentModel | None = None
        self.codes = code_infos(project.codebook)
        self.undo_keys: list[str] = []  # decisions of this session, for Ctrl+Z

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="disagreements-main"):
            yield Static("", id="disagreements-title", markup=False)
            yield DocumentView(id="disagreements-document")
            yield Static("", id="disagreements-versions", markup=False)
        yield KeysFooter()

    @property
    def document(self) -> DocumentView:
        return self.query_one(DocumentView)

    def on_mount(self) -> None:
        self.sub_title = S.DISAGREE_TITLE
        try:
            self.review = open_review(self.project, coders=self.coders)
        except QualcodeError as exc:
            self.app.report_error(exc)
            self.query_one("#disagreements-title", Static).update(Text(exc.message, style="bold"))
            return
        review = self.review
        if review.agreed_copied:
            self.app.notify(
                S.DISAGREE_AGREED.format(count=review.agreed_copied, consensus=review.consensus), timeout=5, markup=False
            )
        start = review.next_open()
        self.index = 0 if start is None else start
        self.document.focus()
        self._show()

    # --- showing one place ------------------------------------------------------------

    @property
    def item(self):
        if self.review is None or not self.review.items:
            return None
        return self.review.items[self.index]

    def _show(self) -> None:
        """Show the current place: load its transcript if needed, select it, list the versions."""
        item = self.item
        if item is None:
            self._panels()
            return
        if self.model is None or self.model.transcript_id != item.transcript:
            self.document.loading = True
            self.run_worker(lambda: self._load(item.transcript), thread=True, exclusive=True, group="load")
            return
        self.document.reveal_span(item.start, item.end)
        self.document.select(item.start, item.end)  # after reveal_span, which moves the cursor
        self.document.set_overlay(OVERLAY, _overlay(item.start, item.end))
        self._panels()

    def _load(self, transcript_id: int) -> DocumentModel:
        """In a worker thread: the transcript with the two coders' codings (own connection)."""
        review = self.review
        store = self.project.new_store()
        try:
            return DocumentModel.load(store, transcript_id, self.codes, frozenset({review.first, review.second}))
        finally:
            store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS:
            model = event.worker.result
            review = self.review
            model.coder_marks = coder_marks(review.first, [review.second])
            self.model = model
            self.document.set_model(model)
            self.document.loading = False
            self._show()
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, QualcodeError):
                self.app.report_error(error)
            else:
                raise error

    def _panels(self) -> None:
        review, item = self.review, self.item
        title = Text(no_wrap=True, overflow="ellipsis")
        versions = Text()
        if item is None:
            title.append(S.DISAGREE_NONE.format(first=review.first, second=review.second), style="bold")
        else:
            name = self.model.name if self.model else ""
            title.append(
                S.DISAGREE_HEADER.format(
                    index=self.index + 1,
                    count=len(review.items),
                    kind=S.DISAGREE_KINDS.get(item.kind, item.kind),
                    name=name,
                    settled=review.settled,
                ),
                style="bold",
            )
            marks = coder_marks(review.first, [review.second])
            for coder, spans in ((review.first, item.first), (review.second, item.second)):
                versions.append(f"{marks[coder]} {coder}: ", style="bold")
                if not spans:
                    versions.append(S.DISAGREE_NOTHING, style="dim")
                for i, s in enumerate(spans):
                    info = self.codes.get(s.code)
                    if i:
                        versions.append("; ")
                    versions.append("■ ", style=info.color if info else "")
                    versions.append(f"{info.name if info else s.code} ")
                    quote = self.model.text[s.start : s.end].replace("\n", " ") if self.model else ""
                    versions.append(f"“{shorten(quote, 50)}”", style="italic")
                versions.append("\n")
            decided = review.decision(item)
            if decided is None:
                versions.append(S.DISAGREE_OPEN, style="dim")
            else:
                versions.append(
                    S.DISAGREE_DECIDED.format(
                        decision=S.DISAGREE_DECISIONS[decided.decision].format(first=review.first, second=review.second),
                        by=decided.decided_by,
                        count=len(decided.coding_ids),
                        consensus=review.consensus,
                    ),
                    style="bold",
                )
        self.query_one("#disagreements-title", Static).update(title)
        self.query_one("#disagreements-versions", Static).update(versions)

    def flash(self, text: str) -> None:
        self.app.notify(text, timeout=3, markup=False)

    # --- deciding -------------------------------------------------------------------

    def _decide(self, decision: str) -> None:
        item, review = self.item, self.review
        if item is None:
            return
        span = None
        if decision == ADJUSTED:
            span = self.document.selection
            if span is None:
                self.flash(S.DISAGREE_NO_SELECTION)
                return
        try:
            # The selection is on screen: it may reach into other turns (the CLI asks for --wider).
            decided, added = settle(
                self.project, review, item, decision, decided_by=self.app.coder, span=span, wider=decision == ADJUSTED
            )
        except QualcodeError as exc:
            self.app.report_error(exc)
            return
        self.undo_keys.append(item.key)
        self.app.broadcast(None)  # other screens re-read: the consensus coder has new codings
        self.flash(S.DISAGREE_SAVED.format(count=len(added), consensus=review.consensus))
        following = review.next_open(self.index)
        if following is None:
            self._panels()
            self.flash(S.DISAGREE_ALL_SETTLED.format(count=len(review.items)))
            return
        self.index = following
        self._show()

    def action_settle_first(self) -> None:
        self._decide(FIRST)

    def action_settle_second(self) -> None:
        self._decide(SECOND)

    def action_settle_both(self) -> None:
        self._decide(BOTH)

    def action_settle_neither(self) -> None:
        self._decide(NEITHER)

    def action_settle_span(self) -> None:
        self._decide(ADJUSTED)

    def undo_step(self) -> bool:
        """Ctrl+Z here: take back the last decision of this session (else the one on the place shown)
        and go back to that place. True if there was one."""
        review = self.review
        if review is None or not review.items:
            return False
        while self.undo_keys and self.undo_keys[-1] not in review.decisions:
            self.undo_keys.pop()  # already taken back
        key = self.undo_keys.pop() if self.undo_keys else self.item.key
        if key not in review.decisions:
            return False
        self.index = next(i for i, item in enumerate(review.items) if item.key == key)
        undo(self.project, review, review.items[self.index])
        self.app.broadcast(None)
        self._show()
        self.flash(S.DISAGREE_UNDONE)
        return True

    # --- moving -----------------------------------------------------------------------

    def action_next_disagreement(self) -> None:
        self._step(1)

    def action_previous_disagreement(self) -> None:
        self._step(-1)

    def _step(self, delta: int) -> None:
        if self.item is None:
            return
        self.index = (self.index + delta) % len(self.review.items)
        self._show()

    def action_back(self) -> None:
        self.app.pop_screen()


def _overlay(start: int, end: int) -> Overlay:
    """The place under review, underlined in the margin column with a mark."""
    from rich.segment import Segment

    return Overlay(
        SpanIndex([(start, end, "here")]),
        style=lambda payloads: Style(bold=True),
        order=5,
        margin=lambda payloads: Segment("▶", Style(bold=True)),
    )
