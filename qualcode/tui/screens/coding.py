"""The coding screen: one transcript, the code list, and every coding action.

The transcript loads in a thread worker (its own store connection; the worker
returns a :class:`DocumentModel` and never touches a widget). Every coding
action goes through ``app.history`` — one committed transaction — and the view
then mirrors the :class:`~qualcode.history.CodingChange` the store returned, so what
is drawn is what is stored.

Code keys (a lowercase letter or digit from the codebook) are caught in
``on_key`` before any binding: they apply their code to the selection, or with
nothing selected to the sentence at the cursor. While a review mode is on
(pending suggestions, :mod:`.coding_suggestions`) a key is routed by
:func:`~qualcode.tui.review_mode.route_key`: a code key alone applies nothing.

Esc clears what is active, one thing at a time (the search box, a choice of
code, review mode, focus in the code list, the selection, the code filter, the
search) and never leaves the screen; Ctrl+O goes back to the list, and the
transcript opens again where its cursor was.

Codings detached by a re-import are counted in the status line; ``D`` lists
them to re-attach (re-attach mode: select, Enter) or discard
(:mod:`.coding_detached`).
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.actions import parse as parse_action
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Input, Static, TextArea, Tree
from textual.worker import Worker, WorkerState

from ...codebook import Codebook
from ...display import shorten
from ...errors import QualcodeError
from ...history import CodingChange
from ...model import Coding, stored_id
from ...project import Project
from ...session_history import SuggestionDecision
from ...termsafe import one_line
from .. import keymap
from .. import strings as S
from ..commands import PaletteCommand
from ..document.model import MISSING_COLOR, CodeStyle, DocumentModel, near_duplicate
from ..document.spans import SpanIndex
from ..review_mode import Route, route_key
from ..widgets.choose import ChooseCodingModal
from ..widgets.code_tree import CodeDetails, CodeTree, rolled_up
from ..widgets.document import DocumentView, Overlay
from ..widgets.footer import KeysFooter
from ..widgets.job import JobBar
from ..widgets.memo import edit_memo, open_transcript_memo
from ..widgets.picker import CodePicker
from .base import QualcodeScreen
from .coding_coders import CodingCoders
from .coding_detached import DetachedCodings
from .coding_suggestions import SuggestionReview

COMPACT_BELOW = 90  # columns: the code list shows keys and names only (see coding.tcss)
OFF_WHILE_REATTACHING = keymap.suspended_actions(keymap.REATTACH)  # "pick", "review"
REVIEW_ACTIONS = tuple(a.action for a in keymap.ACTIONS if a.scope == keymap.REVIEW)


def code_infos(codebook: Codebook) -> dict[str, CodeStyle]:
    """What the document needs to know of each code in the codebook."""
    return {c.id: CodeStyle(c.id, c.name, c.color or MISSING_COLOR, c.key, True) for c in codebook.walk()}


class CodingScreen(CodingCoders, QualcodeScreen):
    """Read one transcript and code it (and review the suggestions for it)."""

    SCREEN = "coding"
    CSS_PATH = "coding.tcss"
    BINDINGS = keymap.bindings(keymap.CODING) + keymap.bindings(keymap.REVIEW) + keymap.bindings(keymap.REATTACH)
    # The code list grows with the terminal, shrinks to keys and names at 80 columns
    # and gives way to a one-line strip of keys below 60 (classes -tiny ... -wide).
    HORIZONTAL_BREAKPOINTS = [(0, "-tiny"), (60, "-narrow"), (90, "-medium"), (120, "-wide")]

    def __init__(self, project: Project, transcript_id: int, at: tuple[int, int] | None = None) -> None:
        super().__init__(project)
        self.transcript_id = transcript_id
        self._selecting = False  # a selection is on: the footer says Space and T extend it
        self.codebook = project.codebook
        self.codes = code_infos(self.codebook)
        self.keys = {c.key: c.id for c in self.codebook.walk() if c.key}
        store = project.store
        self.totals = store.codings.counts_by_code()
        self.missing = [
            CodeStyle(row.id, row.name, MISSING_COLOR, None, False)
            for row in store.codes.list(include_missing=True)
            if not row.in_codebook and self.totals.get(row.id)
        ]
        self.codes.update({m.id: m for m in self.missing})
        self.model: DocumentModel | None = None
        self.name_ = store.transcripts.names().get(transcript_id, str(transcript_id))
        self._pending_at = at
        self._message = ""
        self._message_timer = None
        self.search_query = ""
        self.filter_code: str | None = None
        self.suggestions = SuggestionReview(self)
        self.detached = DetachedCodings(self)
        self._loaded_suggestions: list = []  # read by the loading worker with the model

    # --- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="coding-body"):
            with Vertical(id="coding-main"):
                yield DocumentView(id="coding-document")
                yield Input(placeholder=S.SEARCH_PLACEHOLDER, id="coding-search", classes="hidden")
                yield Static("", id="coding-review", classes="hidden", markup=False)
                yield JobBar(self.app.jobs.state, id="coding-job")
                yield Static("", id="coding-keys", markup=False)
                yield Static("", id="coding-here", classes="coding-status", markup=False)
                yield Static("", id="coding-where", classes="coding-status", markup=False)
            with Vertical(id="coding-side"):
                yield Static(S.TREE_HEADER, id="coding-codes-head", markup=False)
                yield CodeTree(self.codebook, self.missing, id="coding-codes")
                yield CodeDetails(self.codebook, id="coding-details")
        yield KeysFooter()

    @property
    def document(self) -> DocumentView:
        return self.query_one(DocumentView)

    @property
    def tree(self) -> CodeTree:
        return self.query_one(CodeTree)

    @property
    def reviewing(self) -> bool:
        return self.suggestions.active

    @property
    def footer_first(self) -> tuple[str, ...]:
        """The keys of the mode that is on, first in the footer (before the text's, which may not fit)."""
        if self.detached.waiting is not None:
            return (keymap.BY_ID["reattach_here"].action,)
        if self.suggestions.active:
            return (*REVIEW_ACTIONS, keymap.BY_ID["review"].action)  # E stops it: said beside the decisions
        return ()

    @property
    def footer_labels(self) -> dict[str, str]:
        """Footer labels for what a key does now: E in review mode stops the review (L: the order
        it switches to); Space and T
        with a selection (kept after coding it) extend it instead of selecting anew."""
        labels = {**(S.FOOTER_REVIEWING if self.suggestions.active else {}), **(S.FOOTER_SELECTING if self._selecting else {})}
        if self.suggestions.active:  # L says the order it switches to
            labels["review_order"] = S.FOOTER_REVIEW_ORDER[self.suggestions.order]
        return {keymap.BY_ID[id].action: label for id, label in labels.items()}

    def on_mount(self) -> None:
        self.sub_title = S.CODING_SUBTITLE.format(name=self.name_, coder=self.app.coder)  # who codes: always shown
        self.init_coders()  # before the load: it reads whose codings to show
        self.detached.reload()
        self.document.loading = True
        self.document.focus()
        self._show_counts()
        self.query_one("#coding-keys", Static).update(self._key_strip())
        self.run_worker(self._load, thread=True, exclusive=True, group="load", name=f"load {self.name_}")

    def _load(self) -> tuple[DocumentModel, list]:
        """In a worker thread: read the transcript and its pending suggestions (own connection)."""
        from ...suggest.review import pending_suggestions  # the suggest package's first import: here, off the UI thread

        store = self.project.new_store()
        try:
            model = DocumentModel.load(store, self.transcript_id, self.codes, self.coder_view.shown)
            return model, pending_suggestions(store, self.transcript_id)
        finally:
            store.close()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "load":
            return
        if event.state == WorkerState.SUCCESS:
            model, self._loaded_suggestions = event.worker.result
            self._loaded(model)  # one argument: benchmarks/bench_tui.py wraps this hook
        elif event.state == WorkerState.ERROR:
            error = event.worker.error
            if isinstance(error, QualcodeError):
                self.app.report_error(error)
            else:
                raise error

    def _loaded(self, model: DocumentModel) -> None:
        self.model = model
        model.coder_marks = self.coder_mark_map
        document = self.document
        at = self._pending_at
        document.set_model(model, cursor=at[0] if at else None)
        self.suggestions.set_rows(self._loaded_suggestions)
        if at and at[1] > at[0]:
            document.select(*at)
        document.loading = False
        self._show_counts()
        self.detached.notice()
        if self.tree.cursor_line < 0:
            self.tree.cursor_line = 0  # show the first code's definition until the cursor is on a coding

    def on_resize(self, event: events.Resize) -> None:
        self.tree.set_compact(event.size.width < COMPACT_BELOW)
        self.call_after_refresh(self.suggestions.show_panel)  # its reason wrapped to the new width

    @property
    def panel_width(self) -> int:
        main = self.query_one("#coding-main")
        return main.size.width - 2  # the review panel's padding

    def go_to(self, start: int, end: int) -> None:
        """Select ``[start, end)`` (e.g. a segment chosen in the retrieval screen)."""
        if self.model is None:
            self._pending_at = (start, end)
            return
        if self.document.filter_spans is not None and not self.document.shows(start):
            self.set_filter(None)
        if end > start:
            self.document.select(start, end)
        else:
            self.document.move_to(start)
        self.document.focus()

    # --- what the suggestions ask of the screen (SuggestionHost) -----------------------

    def show_panel(self, panel: Text | None) -> None:
        review = self.query_one("#coding-review", Static)
        review.set_class(panel is None, "hidden")
        if panel is not None:
            review.update(panel)
        self.refresh_bindings()

    def follow_code(self, code_id: str) -> None:
        if self.focused is not self.tree:
            self.tree.highlight_code(code_id)

    # --- status line --------------------------------------------------------------

    def on_document_view_cursor_moved(self, event: DocumentView.CursorMoved) -> None:
        self.app.cursors[self.transcript_id] = event.view.cursor  # the transcript opens here again
        if self._selecting != (event.view.selection is not None):
            self._selecting = not self._selecting
            self.refresh_bindings()  # the footer: Space and T extend a selection (footer_labels)
        self.show_status()
        if self.focused is self.tree:
            return
        # The code list (and so the details) follows the suggestion under review,
        # else the code under the cursor; the details show the memos there.
        code = self.suggestions.highlight()
        here = self._targets() if code is None else []
        if code is not None or here:
            self.tree.highlight_code(code or here[0].code_id)
        self.query_one(CodeDetails).show_memos(
            [(self.model.code(c.code_id).name, c) for c in here if c.memo] if self.model else []
        )

    def on_document_view_nothing_found(self, event: DocumentView.NothingFound) -> None:
        self.flash(S.NO_UNCODED_TURN)

    def flash(self, text: str) -> None:
        """Show a short message at the end of the status line; it fades after a while."""
        self._message = text
        if self._message_timer is not None:
            self._message_timer.stop()
        self._message_timer = self.set_timer(S.MESSAGE_SECONDS, self._fade)
        self.show_status()

    def _fade(self) -> None:
        self._message = ""
        self._message_timer = None
        self.show_status()

    def show_status(self) -> None:
        """Line 1: the codes at the cursor (or in the selection) and a memo. Line 2: where we are, messages."""
        model, document = self.model, self.document
        codes = Text(no_wrap=True, overflow="ellipsis")
        where = Text(no_wrap=True, overflow="ellipsis", style="dim")
        if model is not None and model.blocks:
            here = self._targets()
            if not here:
                codes.append(S.STATUS_NO_CODES, style="dim")
            # A selection over several turns holds a coding of one code per turn: named once, with a count.
            groups: dict[tuple[str, str], list] = {}
            for coding in here:
                groups.setdefault((coding.code_id, coding.coder), []).append(coding)
            for i, same in enumerate(groups.values()):
                coding = same[0]
                info = model.code(coding.code_id)
                if i:
                    codes.append("   ")
                codes.append("■ ", style=info.color)
                codes.append(info.name if info.in_codebook else S.STATUS_MISSING.format(name=info.name))
                if len(same) > 1:
                    codes.append(" " + S.STATUS_TIMES.format(count=len(same)), style="dim")
                self.coder_label(codes, coding.coder)
                if any(c.memo for c in same):
                    codes.append(" " + S.STATUS_MEMO)
            memos = [c for c in here if c.memo]
            if len(memos) == 1 and len(here) <= 2:  # the memo itself, while there is room for it
                codes.append("  " + " ".join(memos[0].memo.split()), style="italic dim")
            self.suggestions.status(codes, here)
            block = model.block_at(document.cursor)
            if block.turn is not None:
                where.append(S.STATUS_POSITION.format(turn=block.turn.index, turns=model.turn_count))
                where.append(f" {block.turn.speaker or ''}")
            else:  # a title block, a heading: the status line still says where the cursor is
                where.append(S.OUTSIDE_TURNS)
            self.coder_view_status(where)
            self.detached.status(where)
            selection = document.selection
            if selection:
                where.append(" · " + S.STATUS_SELECTION.format(chars=selection[1] - selection[0]))
            if self.filter_code:
                info = model.code(self.filter_code)
                where.append(" · ")
                where.append(S.STATUS_FILTER.format(name=info.name, count=len(document.filter_spans or ())), style="reverse")
            if self.search_query:
                overlay = document.overlays.get("search")
                count = len(overlay.spans) if overlay else 0
                if count:
                    index = sum(1 for s in overlay.spans.starts if s <= document.cursor)
                    where.append(" · " + S.STATUS_SEARCH.format(query=self.search_query, index=max(index, 1), count=count))
                else:
                    where.append(" · " + S.STATUS_SEARCH_NONE.format(query=self.search_query))
        if self._message:  # first: what the last key did matters more than where we are
            where = Text.assemble((self._message, "italic not dim"), (" │ ", "dim"), where, no_wrap=True, overflow="ellipsis")
        # One line each, fixed size: no layout pass for the screen (it cost a frame per key).
        self.query_one("#coding-here", Static).update(codes, layout=False)
        self.query_one("#coding-where", Static).update(where, layout=False)

    def _key_strip(self) -> Text:
        """The code keys in their colours, for a terminal too narrow for the code list."""
        strip = Text(no_wrap=True, overflow="ellipsis")
        for code in self.codebook.walk():
            if code.key:
                strip.append(f" {code.key} ", style=f"bold on {code.color}" if code.color else "bold reverse")
                strip.append(" ")
        return strip

    # --- code keys ----------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        """A key a code could have: handled when its turn comes in the app's queue.

        Bindings (moving, selecting, E for review) run when their key has bubbled up
        to the app; a key handled here at once would overtake them, and "} space h"
        typed fast coded the sentence the cursor had left. Queued behind them on the
        app, the code key sees the cursor, the selection and the mode they left.
        """
        if self.model is None or isinstance(self.focused, (Input, TextArea)):
            return
        if len(event.key) == 1 and event.key in keymap.CODE_KEYS:
            event.stop()
            event.prevent_default()
            self.app.call_later(self.code_key, event.key)

    def code_key(self, key: str) -> None:
        """Apply the code with this key (in review mode: as :func:`route_key` says).

        Only while this screen is the one on top and the transcript has the keys: a key
        typed right after Enter, M or / was on its way to the transcript when the code list,
        the memo or the search box opened, and was meant for that, never for the sentence
        beneath it (:meth:`QualcodeApp.type_ahead` hands it on).
        """
        if self.app.screen is not self or isinstance(self.focused, (Input, TextArea)):
            self.app.type_ahead(key)
            return
        review = self.suggestions
        if self.detached.waiting is not None:
            self.detached.code_keys_off()
        elif review.active:
            decisions = keymap.scope_keys(self.app.user_keymap, keymap.REVIEW)
            route = route_key(key, decision_keys=decisions, code_keys=self.keys, awaiting_code=review.awaiting_code)
            if route is Route.DECISION:
                _, _, (decision,) = parse_action(keymap.BY_ID[decisions[key]].action)
                self.action_decide(decision)
            elif route is Route.CHOOSE_CODE:
                review.choose_code(self.keys[key])
            elif route is Route.ABANDON:
                review.abandon_choice()
            else:  # a code key alone
                name = self.model.code(self.keys[key]).name if key in self.keys else None
                other = self.app.key_of("review_other_code")
                self.flash(
                    S.REVIEW_CODE_KEY.format(other=other, key=key, name=name) if name else S.REVIEW_NOT_A_KEY.format(other=other)
                )
        elif key in self.keys:
            self.apply_codes([self.keys[key]])
        else:
            self.app.check_codebook()
            changed = (
                S.NO_SUCH_KEY_CODEBOOK_CHANGED.format(path=self.app.codebook_name(), quit=self.app.key_of("quit"))
                if self.app.codebook_changed
                else ""
            )
            self.flash(S.NO_SUCH_KEY.format(key=key) + changed)

    # --- coding actions -------------------------------------------------------------

    def apply_codes(self, code_ids: list[str], span: tuple[int, int] | None = None) -> CodingChange | None:
        """Apply codes to ``span`` (default: the selection, else the sentence at the cursor);
        the change, if any.

        A span across turns is cut at their boundaries: a coding never quotes the
        next speaker's label or a timestamp.
        """
        if self.detached.waiting is not None:  # the code list, a palette command: no coding meanwhile
            self.detached.code_keys_off()
            return None
        span = span or self.document.target_span()
        if span is None or not code_ids or self.model is None:
            return None
        parts = self.model.parts(*span)
        if not parts:
            return None
        try:
            change = self.app.history.apply_parts(self.transcript_id, parts, code_ids, self.app.coder)
        except QualcodeError as exc:
            self.app.report_error(exc)
            return None
        self.app.broadcast(change)
        if change.added:
            quote = change.added[0].quote.replace("\n", " ")
            message = S.CODED.format(codes=self._names(change.added), quote=shorten(quote, 40))
            if len(parts) > 1:
                message += S.CODED_PARTS.format(count=len(parts))
            twin = self._near_twin(change.added)
            if twin is not None:
                message = S.NEAR_DUPLICATE.format(
                    code=self.model.code(twin.code_id).name,
                    quote=shorten(twin.quote.replace("\n", " "), 30),
                    undo=self.app.key_of("undo"),
                )
            self.flash(message)
        else:
            self.flash(S.ALREADY_CODED.format(codes=self._names(change.unchanged)))
        return change

    def _near_twin(self, added: tuple[Coding, ...]) -> Coding | None:
        """An older coding of the same code (same coder) nearly on the same span as a new one."""
        model = self.model
        new_ids = {c.id for c in added}
        for coding in added:
            for other in model.codings_in(coding.start, coding.end):
                if other.id not in new_ids and other.code_id == coding.code_id and other.coder == coding.coder:
                    if near_duplicate((coding.start, coding.end), (other.start, other.end)):
                        return other
        return None

    def _names(self, codings) -> str:
        return ", ".join(dict.fromkeys(self.model.code(c.code_id).name for c in codings))

    def store_changed(self, change: CodingChange | None) -> None:
        """Mirror a change of codings (None: re-read this transcript's codings), then of suggestions.

        Always at once, even below another screen: the model is this screen's copy
        of the store and must never lag behind it.
        """
        self._mirror_codings(change)
        if self.model is not None:
            self.suggestions.changed(change)
        self.detached.reload()  # an undo may detach a coding again; a CLI command may re-attach or discard some
        if change is None:
            self.show_status()

    def _mirror_codings(self, change: CodingChange | None) -> None:
        spans = None if change is None else [(c.start, c.end) for c in change.codings]
        if change is None:
            self.totals = self.project.store.codings.counts_by_code()
            if self.model is not None:
                self.model.replace_codings(self.project.store.codings.find(self.transcript_id))
        else:
            for coding in change.added:
                self.totals[coding.code_id] = self.totals.get(coding.code_id, 0) + 1
            for coding in change.removed:
                self.totals[coding.code_id] = self.totals.get(coding.code_id, 0) - 1
            if self.model is None or not self.model.apply_change(change):
                self._show_counts()
                return
        if self.model is not None:
            if self.filter_code:
                self.set_filter(self.filter_code, keep_cursor=True)
            self.document.codings_changed(spans)
            self._show_counts()

    def _show_counts(self) -> None:
        """The code list's counts: here and in the project, parents including their sub-codes."""
        here = self.model.counts() if self.model is not None else {}
        self.tree.set_counts(rolled_up(self.codebook, here), rolled_up(self.codebook, self.totals))

    def reveal(self, change: CodingChange) -> None:
        """Show where an undo or redo happened."""
        if isinstance(change, SuggestionDecision):
            self.suggestions.reveal_decision(change)
            return
        mine = [c for c in change.codings if c.transcript_id == self.transcript_id]
        if mine and self.model is not None:
            first = min(mine, key=lambda c: c.start)
            if self.document.filter_spans is not None and not self.document.shows(first.start):
                self.set_filter(None)
            self.document.move_to(first.start)

    def _targets(self) -> list[Coding]:
        """Codings a remove or memo acts on: in the selection, else at (or just before) the cursor."""
        model, document = self.model, self.document
        if model is None:
            return []
        selection = document.selection
        if selection:
            return model.codings_in(*selection)
        found = model.codings_at(document.cursor)
        if not found and document.cursor > 0:
            found = model.codings_at(document.cursor - 1)
        return found

    def action_pick(self) -> None:
        if self.model is None:
            return
        if self.suggestions.awaiting_code:  # Enter after "other code": the list, for the suggestion
            self.suggestions.code_list()
            return
        span = self.document.target_span()
        self.app.push_screen(
            CodePicker(self.codebook, self._target_named()), lambda ids: self.apply_codes(ids, span) if ids else None
        )

    def _target_named(self) -> str:
        """What a code applied now goes to, for the code list's title: the selection or the sentence."""
        selection = self.document.selection
        return S.WHAT_SELECTION.format(chars=selection[1] - selection[0]) if selection else S.WHAT_SENTENCE

    def action_remove(self) -> None:
        targets = self._targets()
        if not targets:
            self.flash(S.NOTHING_TO_REMOVE)
        elif len(targets) == 1:
            self._remove([targets[0].id])
        else:
            self.app.push_screen(
                ChooseCodingModal(S.CHOOSE_REMOVE, targets, self.codes, offer_all=True, drafts=self._drafted(targets)),
                lambda ids: self._remove(ids) if ids else None,
            )

    def _remove(self, coding_ids: list[int]) -> None:
        try:
            change = self.app.history.remove(coding_ids)
        except QualcodeError as exc:
            self.app.report_error(exc)
            self.app.broadcast(None)
            return
        self.app.broadcast(change)
        message = S.REMOVED.format(codes=self._names(change.removed))
        # Another coder's coding (a merged project) goes as easily as one's own: say whose.
        others = sorted({c.coder for c in change.removed if c.coder != self.app.coder}, key=str.casefold)
        if others:
            message += S.REMOVED_OF.format(coders=", ".join(one_line(c) for c in others))
        self.flash(message)

    def action_memo(self) -> None:
        targets = self._targets()
        if not targets:
            # Nothing to write on: the code list, for the coding the memo goes with. Typing
            # on after M (a memo's first words) then filters the list instead of applying
            # a code per letter to the sentence beneath.
            if self.model is None:
                return
            span = self.document.target_span()

            def coded(ids: list[str] | None) -> None:
                change = self.apply_codes(ids, span) if ids else None
                new = (change.added or change.unchanged) if change is not None else ()
                if new:
                    self._edit_memo([new[0].id])

            self.app.push_screen(CodePicker(self.codebook, S.WHAT_MEMO_FIRST.format(what=self._target_named())), coded)
        elif len(targets) == 1:
            self._edit_memo([targets[0].id])
        else:
            self.app.push_screen(
                ChooseCodingModal(S.CHOOSE_MEMO, targets, self.codes, offer_all=False, drafts=self._drafted(targets)),
                lambda ids: self._edit_memo(ids) if ids else None,
            )

    def _drafted(self, codings: list[Coding]) -> frozenset[int]:
        """Those of ``codings`` whose memo has a draft not saved (after a crash: which one to choose)."""
        return frozenset(c.id for c in codings if self.project.store.codings.draft(stored_id(c)) is not None)

    def _edit_memo(self, coding_ids: list[int]) -> None:
        coding = self.model.codings.get(coding_ids[0]) if self.model else None
        if coding is None:
            return
        name = self.model.code(coding.code_id).name
        codings = self.project.store.codings
        try:  # the memo as stored now (another window may have written one since the screen read it)
            coding = codings.get(stored_id(coding))
        except QualcodeError as exc:  # removed meanwhile
            self.app.report_error(exc)
            return
        cid, was = stored_id(coding), coding.memo

        def write(text: str) -> None:  # not over a memo another window saved while this one was written
            self.app.broadcast(self.app.history.set_memo(cid, text, was=was))

        edit_memo(
            self.app,
            S.MEMO_TITLE.format(code=name),
            coding.memo,
            quote=coding.quote,
            draft=codings.draft(cid),  # what an earlier opening was writing when qualcode stopped
            keep=lambda text: codings.keep_draft(cid, text, wait=False),
            drop=lambda text: codings.drop_draft(cid, text, wait=False),
            write=write,
            saved=lambda text: self.flash((S.MEMO_SAVED if text else S.MEMO_CLEARED).format(code=name)),
        )

    def action_transcript_memo(self) -> None:
        """The memo on this transcript as a whole."""
        if self.model is not None:
            open_transcript_memo(self.app, self.project.store, self.model.transcript_id, self.flash)

    # --- code list ------------------------------------------------------------------

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted) -> None:
        code_id = event.node.data
        missing = next((m for m in self.missing if m.id == code_id), None)
        self.query_one(CodeDetails).show(code_id if isinstance(code_id, str) and code_id != "__missing__" else None, missing)

    def on_code_tree_apply(self, event: CodeTree.Apply) -> None:
        """Enter (or a double click) on a code in the list applies it; a single click only shows it."""
        code = self.codebook.get(event.code_id)
        if code is not None and code.codable:
            self.apply_codes([code.id])
            self.document.focus()

    def on_code_tree_clicked(self, event: CodeTree.Clicked) -> None:
        code = self.codebook.get(event.code_id)
        if code is not None and code.codable:
            self.flash(S.CLICK_TO_APPLY.format(name=code.name))

    def current_code_ids(self) -> list[str]:
        """The code this screen is about: the list's when it has focus, else the one at the cursor."""
        if self.focused is not self.tree and self.model is not None:
            here = self._targets()
            if here:
                return [here[0].code_id]
        code = self.tree.highlighted_code
        return [code] if code else []

    def current_coding_id(self) -> int | None:
        """The coding at the cursor (the segments screen opens at it)."""
        if self.focused is self.tree:
            return None
        here = self._targets()
        return here[0].id if here else None

    def action_segments_of_code(self) -> None:
        self.app.action_show_retrieval(self.current_code_ids(), at=self.current_coding_id())

    # --- filter -------------------------------------------------------------------

    def action_filter_code(self) -> None:
        codes = self.current_code_ids()
        if self.filter_code and (not codes or codes[0] == self.filter_code or self.focused is not self.tree):
            self.set_filter(None)
            self.flash(S.FILTER_OFF)
            return
        if not codes:
            self.flash(S.FILTER_NEEDS_CODE)
            return
        self.set_filter(codes[0])

    def set_filter(self, code_id: str | None, keep_cursor: bool = False) -> None:
        """Show only the segments of ``code_id`` and its sub-codes (None: everything)."""
        document, model = self.document, self.model
        if model is None:
            return
        if code_id is None:
            self.filter_code = None
            document.set_filter(None)
            return
        wanted = {code_id, *(c.id for c in self.codebook.descendants(code_id))}
        spans = SpanIndex((c.start, c.end, c.id) for c in model.codings.values() if c.code_id in wanted)
        if not len(spans):
            self.filter_code = None
            document.set_filter(None)
            self.flash(S.FILTER_EMPTY.format(name=model.code(code_id).name))
            return
        self.filter_code = code_id
        cursor = document.cursor
        document.set_filter(spans)
        if keep_cursor and document.shows(cursor):
            document.move_to(cursor)

    # --- search -------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one("#coding-search", Input)
        search.remove_class("hidden")
        search.value = self.search_query
        self.set_focus(search)  # at once (focus() waits its turn): the letters typed right after "/" are for it

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != "coding-search":
            return
        event.stop()
        self.search(event.value)

    def search(self, query: str) -> None:
        """Highlight every match of ``query`` and go to the first after the cursor."""
        search = self.query_one("#coding-search", Input)
        search.add_class("hidden")
        self.document.focus()
        self.search_query = query.strip()
        if not self.search_query or self.model is None:
            self.document.set_overlay("search", None)
            self.show_status()
            return
        matches = self.model.search(self.search_query)
        highlight = self.document.get_component_rich_style("document--search", partial=True)
        overlay = Overlay(SpanIndex((s, e, i) for i, (s, e) in enumerate(matches)), lambda _: highlight, order=10)
        self.document.set_overlay("search", overlay)
        if matches and self.document.filter_spans is not None:
            self.set_filter(None)
        if matches:
            self.document.next_overlay_span("search")
        self.show_status()

    def action_search_next(self) -> None:
        self.document.next_overlay_span("search", forward=True)

    def action_search_prev(self) -> None:
        self.document.next_overlay_span("search", forward=False)

    # --- suggestions and review mode (the component does the work) ------------------

    def action_suggest(self) -> None:
        self.suggestions.run()

    def action_toggle_suggestions(self) -> None:
        self.suggestions.toggle_shown()

    def action_review(self) -> None:
        self.suggestions.toggle_review()

    def action_decide(self, decision: str) -> None:
        self.suggestions.decide(decision)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "decide":
            return self.suggestions.active  # hidden from the footer (and the keys free) outside review
        if action == "reattach_here":
            return self.detached.waiting is not None  # Enter places the detached coding ...
        if action in OFF_WHILE_REATTACHING:
            return self.detached.waiting is None  # ... instead of opening the code list; no review meanwhile
        return True

    # --- detached codings (the component does the work) -----------------------------------

    def action_detached(self) -> None:
        self.detached.open_list()

    def action_reattach_here(self) -> None:
        self.detached.place()

    def leave_modes(self) -> None:
        """Re-attach mode starts: review mode, if on, stops."""
        if self.suggestions.active:
            self.suggestions.stop(S.REVIEW_STOPPED)

    # --- escape: clear what is active, one thing at a time; never leave -------------------

    def action_back(self) -> None:
        search = self.query_one("#coding-search", Input)
        review = self.suggestions
        if not search.has_class("hidden"):
            search.add_class("hidden")
            self.document.focus()
        elif self.detached.waiting is not None:
            self.detached.cancel()
        elif review.active and review.awaiting_code:
            review.abandon_choice()
        elif review.active:
            review.stop(S.REVIEW_STOPPED)
        elif self.focused is not self.document:
            self.document.focus()
        elif self.document.clear_selection():
            pass
        elif self.filter_code:
            self.set_filter(None)
            self.flash(S.FILTER_OFF)
        elif self.search_query:
            self.search("")
            self.flash(S.SEARCH_CLEARED)
        else:
            self.flash(S.NOTHING_TO_CLEAR.format(key=self.app.key_of("transcripts")))

    # --- palette ------------------------------------------------------------------

    def palette_commands(self) -> list[PaletteCommand]:
        commands = [
            PaletteCommand(S.CMD_SUGGEST_THIS, S.BINDINGS["suggest_transcript"], self.action_suggest),
            PaletteCommand(S.CMD_REVIEW, S.CMD_REVIEW_HELP, self.action_review),
            PaletteCommand(S.CMD_TOGGLE_SUGGESTIONS, S.BINDINGS["toggle_suggestions"], self.action_toggle_suggestions),
        ]
        for code in self.codebook.walk():
            if code.codable:
                key = S.CMD_KEY.format(key=code.key) if code.key else ""
                commands.append(
                    PaletteCommand(
                        S.CMD_APPLY.format(name=code.name) + key, S.CMD_APPLY_HELP, lambda cid=code.id: self.apply_codes([cid])
                    )
                )
        commands += [
            PaletteCommand(S.CMD_FILTER.format(name=code.name), S.CMD_FILTER_HELP, lambda cid=code.id: self.set_filter(cid))
            for code in self.codebook.walk()
        ]
        if self.detached.rows:
            commands.insert(
                0,
                PaletteCommand(
                    S.CMD_DETACHED.format(count=len(self.detached.rows)), S.BINDINGS["detached"], self.action_detached
                ),
            )
        return commands
