"""Pending suggestions in the coding screen, and reviewing them (a component of the screen).

:class:`SuggestionReview` belongs to a :class:`~qualcode.tui.screens.coding.CodingScreen`
and uses only what :class:`SuggestionHost` declares of it. What it adds:

* the transcript's pending suggestions drawn as an overlay: text underlined in
  the suggested code's colour, never filled like a coding, and a ``┆`` in the
  margin; the status line names the suggestion at the cursor (code, score, why);
  ``P`` shows or hides them;
* ``G`` runs suggestions for this transcript (a thread worker of the app, see
  :mod:`qualcode.tui.jobs`); the screen re-reads its suggestions when it ends;
* review mode (``E``): walks through the pending suggestions in reading order,
  the current one highlighted and scrolled into view, with a panel saying which
  one of how many, its code, score and reason, and the keys. ``A`` accepts,
  ``X`` rejects, ``>`` skips, ``<`` goes back, ``C`` and a code's key accepts
  with that code (``C`` again or Enter: the code list), ``L`` switches between
  reading order and the most likely first; the letters work in either case and
  a code key alone applies nothing (:mod:`qualcode.tui.review_mode`).
  Each decision is one committed transaction through the session history
  (``app.history``), so Ctrl+Z takes it back like any coding action.

The suggestions shown are always re-read from the store (``pending_suggestions``)
after a change, never patched by guesswork.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color

from ...display import shorten
from ...errors import QualcodeError
from ...history import CodingChange
from ...session_history import ACCEPT, SuggestionDecision
from ...store import Suggestion
from .. import strings as S
from ..document.spans import SpanIndex
from ..widgets.document import Overlay
from ..widgets.picker import CodePicker

if TYPE_CHECKING:
    from ...codebook import Codebook
    from ...project import Project
    from ..app import QualcodeApp
    from ..document.model import DocumentModel
    from ..widgets.document import DocumentView

OVERLAY = "suggestions"
CURRENT = "review"
MARK = "┆"  # the margin mark of a line with a pending suggestion
CURRENT_MARK = "▶"
WHY_LINES = 3  # the reason is wrapped onto at most this many lines of the panel, the last cut with "…"
DECISIONS = ("accept", "reject", "skip", "previous", "other_code", "order")
ORDERS = ("position", "score")  # reading order, or the most likely first


class SuggestionHost(Protocol):
    """What the suggestions need of the coding screen (attributes down, one place)."""

    project: Project
    transcript_id: int
    name_: str
    codebook: Codebook
    model: DocumentModel | None

    @property
    def app(self) -> QualcodeApp: ...

    @property
    def document(self) -> DocumentView: ...

    def flash(self, text: str) -> None:
        """A message in the status line."""

    def show_status(self) -> None:
        """Redraw the status lines (they name the suggestion at the cursor)."""

    def set_filter(self, code_id: str | None, keep_cursor: bool = False) -> None:
        """Show only one code's segments (None: everything)."""

    def show_panel(self, panel: Text | None) -> None:
        """Show the review panel (None: hide it) and update the footer's keys."""

    @property
    def panel_width(self) -> int:
        """How many cells a line of the review panel has (its reason is wrapped to it)."""

    def follow_code(self, code_id: str) -> None:
        """Show this code's definition (unless the user is browsing the code list)."""


class SuggestionReview:
    """The suggestions of one coding screen, and review mode over them."""

    DECISIONS = DECISIONS

    def __init__(self, host: SuggestionHost) -> None:
        self.host = host
        self.rows: list[Suggestion] = []
        self.spans: SpanIndex[int] = SpanIndex()
        self.by_id: dict[int, Suggestion] = {}
        self.active = False  # review mode on
        self.awaiting_code = False  # after "other code": the next code key picks the code
        self.review_id: int | None = None  # the suggestion under review
        self.tally = {"accepted": 0, "rejected": 0}
        self.order = ORDERS[0]
        self._key: tuple = (-1, -1, "")  # order key (see order_key) of the last one reviewed
        self._styles: dict[tuple[str, bool], Style] = {}

    @property
    def app(self) -> QualcodeApp:
        return self.host.app

    # --- what is pending ------------------------------------------------------------

    def set_rows(self, rows: list[Suggestion]) -> None:
        """Show these pending suggestions (reading order) and keep review mode in step."""
        self.rows = rows
        self.by_id = {r.id: r for r in rows}
        self.spans = SpanIndex((r.start, r.end, r.id) for r in rows)
        self.draw()
        if self.active:
            if not rows:
                self.stop(S.REVIEW_FINISHED)
            elif self.review_id not in self.by_id:
                self._go(self._following(self._key))
            else:
                self._go(self.by_id[self.review_id])

    def reload(self) -> None:
        """Re-read the pending suggestions from the store (UI thread: one fast query)."""
        from ...suggest.review import pending_suggestions  # imported by the loading worker already

        self.set_rows(pending_suggestions(self.host.project.store, self.host.transcript_id))

    def at(self, pos: int) -> list[Suggestion]:
        """Pending suggestions containing ``pos`` (none when they are hidden)."""
        if not self.app.show_suggestions:
            return []
        return [self.by_id[i] for i in self.spans.at(pos)]

    def changed(self, change: CodingChange | None) -> None:
        """After a change of codings or decisions: re-read what is pending when it can differ."""
        if change is None or isinstance(change, SuggestionDecision) or change.removed or self.rows:
            self.reload()

    # --- drawing ----------------------------------------------------------------------

    def draw(self) -> None:
        self._styles.clear()
        document = self.host.document
        if not self.app.show_suggestions or not self.rows:
            document.set_overlay(OVERLAY, None)
        else:
            document.set_overlay(OVERLAY, Overlay(self.spans, self._pending_style, order=5, margin=self._mark))
        current = self.current()
        if current is None:
            document.set_overlay(CURRENT, None)
        else:
            spans = SpanIndex([(current.start, current.end, current.id)])
            document.set_overlay(
                CURRENT, Overlay(spans, lambda ids: self._pending_style(ids, True), order=6, margin=self._current_mark)
            )

    def _color(self, suggestion_id: int) -> str:
        return self.host.model.code(self.by_id[suggestion_id].code_id).color

    def _pending_style(self, ids: tuple, current: bool = False) -> Style:
        """Underlined text in the (first) suggested code's colour: visibly not a coding."""
        color = self._color(ids[0])
        key = (color, current)
        style = self._styles.get(key)
        if style is None:
            document = self.host.document
            base = document.background_colors[1]
            # Lifted towards the foreground when too dark to read on the background.
            shade = Color.parse(color)
            if base.get_contrast_text(1.0).brightness > 0.5 and shade.brightness < 0.35:
                shade = shade.blend(Color(255, 255, 255), 0.35)
            component = "suggestion-current" if current else "suggestion"
            style = document.get_component_rich_style(f"document--{component}", partial=True) + Style(color=shade.rich_color)
            if current:  # the one under review: bold on a lifted background (not the code's tint)
                style += Style(bgcolor=base.blend(Color.parse(document.styles.color.hex), 0.14).rich_color)
            self._styles[key] = style
        return style

    def _mark(self, ids: tuple) -> Segment:
        return Segment(MARK, Style(color=self._color(ids[0])))

    def _current_mark(self, ids: tuple) -> Segment:
        return Segment(CURRENT_MARK, Style(color=self._color(ids[0]), bold=True))

    def status(self, codes: Text, here: list) -> None:
        """Line 1 of the status: append the suggestion(s) at the cursor."""
        model = self.host.model
        if model is None:
            return
        found = self.at(self.host.document.cursor)
        if not found:
            return
        current = self.current()
        if current in found:  # while reviewing, the one under review first
            found.remove(current)
            found.insert(0, current)
        first = found[0]
        info = model.code(first.code_id)
        codes.append("   " if here else " ")
        codes.append(f"{MARK} ", style=info.color)
        codes.append(S.STATUS_SUGGESTED.format(name=info.name), style="italic")
        if first.score is not None:
            codes.append(" · " + S.SUGGESTION_SCORE.format(score=first.score), style="dim")
        if first.reason:
            codes.append(" · " + first.reason, style="dim")
        if len(found) > 1:
            codes.append(S.STATUS_SUGGESTED_MORE.format(count=len(found) - 1), style="dim")

    def highlight(self) -> str | None:
        """While reviewing with the cursor on the suggestion: its code (for the code panel)."""
        row = self.current()
        if row is not None and row.start <= self.host.document.cursor < row.end:
            return row.code_id
        return None

    # --- run, show/hide ------------------------------------------------------------------

    def run(self) -> None:
        """Run suggestions for this transcript in the background."""
        self.app.start_suggestions([self.host.transcript_id], S.JOB_SUGGEST_ONE.format(name=self.host.name_))

    def toggle_shown(self) -> None:
        app = self.app
        app.show_suggestions = not app.show_suggestions
        if not app.show_suggestions and self.active:
            self.stop(S.REVIEW_STOPPED)
        self.draw()
        self.host.show_status()
        if app.show_suggestions:
            self.host.flash(S.SUGGESTIONS_SHOWN.format(count=len(self.rows)))
        else:
            self.host.flash(S.SUGGESTIONS_HIDDEN.format(key=app.key_of("toggle_suggestions")))

    # --- review mode ----------------------------------------------------------------------

    def toggle_review(self) -> None:
        """Start reviewing at the first pending suggestion from the cursor on (again: stop)."""
        if self.host.model is None:
            return
        if self.active:
            self.stop(S.REVIEW_STOPPED)
            return
        if not self.rows:
            self.host.flash(S.NO_SUGGESTIONS.format(key=self.app.key_of("suggest_transcript")))
            return
        self.app.show_suggestions = True
        self.active = True
        self.awaiting_code = False
        self.tally = {"accepted": 0, "rejected": 0}
        cursor = self.host.document.cursor
        here = self.at(cursor)
        start = here[0] if here else next((r for r in self.rows if r.start >= cursor), self.rows[0])
        if self.order == "score":
            start = min(self.rows, key=self.order_key)  # the most likely one first
        self._go(start)
        self.host.flash(S.REVIEW_STARTED.format(count=len(self.rows)))

    def stop(self, message: str) -> None:
        self.active = False
        self.awaiting_code = False
        self.review_id = None
        self.draw()
        self.host.show_panel(None)
        self.host.flash(message.format(left=len(self.rows), **self.tally))

    def current(self) -> Suggestion | None:
        return self.by_id.get(self.review_id) if self.active else None

    def order_key(self, row: Suggestion) -> tuple:
        """Where a suggestion comes in the review: reading order, or the highest score first."""
        if self.order == "score":
            return (-(row.score or 0.0), row.start, row.end, row.code_id)
        return (row.start, row.end, row.code_id)

    def _following(self, key: tuple, step: int = 1) -> Suggestion | None:
        """The pending suggestion after (``step`` -1: before) ``key`` in the review order, wrapping."""
        rows = sorted(self.rows, key=self.order_key)
        if not rows:
            return None
        if step > 0:
            found = next((r for r in rows if self.order_key(r) > key), None)
            if found is None:
                self.host.flash(S.REVIEW_WRAPPED)
                return rows[0]
            return found
        found = next((r for r in reversed(rows) if self.order_key(r) < key), None)
        if found is None:
            self.host.flash(S.REVIEW_WRAPPED_BACK)
            return rows[-1]
        return found

    def _go(self, row: Suggestion | None) -> None:
        """Make ``row`` the suggestion under review: highlight it, scroll to it, describe it."""
        if row is None:
            return
        self.review_id = row.id
        self._key = self.order_key(row)
        self.draw()
        self.reveal(row)
        self.show_panel()

    def reveal(self, row: Suggestion) -> None:
        """Scroll to a suggestion (dropping a code filter that hides it)."""
        document = self.host.document
        if document.filter_spans is not None and not document.shows(row.start):
            self.host.set_filter(None)
        document.reveal_span(row.start, row.end)

    def show_panel(self) -> None:
        """The review panel: which one of how many, its code, score and why; the keys."""
        row = self.current()
        model = self.host.model
        if row is None or model is None:
            return
        info = model.code(row.code_id)
        index = sorted(self.rows, key=self.order_key).index(row) + 1
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(S.REVIEW_HEADER.format(index=index, count=len(self.rows)), style="bold")
        head.append("   ■ ", style=info.color)
        head.append(info.name, style="bold")
        head.append(f"  {row.suggester}", style="dim")
        if row.score is not None:
            head.append(" · " + S.SUGGESTION_SCORE.format(score=row.score), style="dim")
        why = wrapped(
            Text(S.REVIEW_WHY.format(reason=row.reason or "-"), style="italic"), self.host.panel_width, WHY_LINES, self.app
        )
        key = self.app.key_of
        if self.awaiting_code:
            keys = Text(no_wrap=True, overflow="ellipsis", style="bold")
            keys.append(S.REVIEW_WHICH_CODE.format(other=key("review_other_code")))
        else:
            keys = Text(no_wrap=True, overflow="ellipsis", style="dim")
            keys.append(
                S.REVIEW_KEYS.format(
                    accept=key("review_accept"),
                    reject=key("review_reject"),
                    skip=key("review_skip"),
                    previous=key("review_previous"),
                    other=key("review_other_code"),
                    stop=key("back"),
                    order=key("review_order"),
                    other_order=S.REVIEW_OTHER_ORDER[self.order],
                )
            )
            keys.append(" │ " + S.REVIEW_TALLY.format(**self.tally))
        # One Text: the first and last line are cut with an ellipsis on their own (no_wrap); the
        # reason, what one decides by, comes wrapped to the panel's width.
        self.host.show_panel(Text("\n", no_wrap=True, overflow="ellipsis").join([head, why, keys]))
        self.host.follow_code(row.code_id)  # its definition in the details panel, to decide by

    # --- decisions ------------------------------------------------------------------------

    def decide(self, decision: str) -> None:
        """Run one of :data:`DECISIONS` on the suggestion under review."""
        row = self.current()
        if row is None:
            return
        if self.awaiting_code and decision != "other_code":  # another decision key: the choice is off
            self.abandon_choice()
            return
        if decision == "skip":
            self._go(self._following(self.order_key(row)))
        elif decision == "previous":
            self._go(self._following(self.order_key(row), step=-1))
        elif decision == "order":  # reading order / the most likely first; the current one stays
            self.order = ORDERS[(ORDERS.index(self.order) + 1) % len(ORDERS)]
            self._key = self.order_key(row)
            self.show_panel()
            self.host.flash(S.REVIEW_ORDER[self.order])
        elif decision == "accept":
            self.accept(row)
        elif decision == "reject":
            self._reject(row)
        elif decision == "other_code":
            if self.awaiting_code:
                self.code_list()
            else:
                self.awaiting_code = True
                self.show_panel()
        else:
            raise ValueError(f"unknown decision {decision!r}")

    def _reject(self, row: Suggestion) -> None:
        try:
            change = self.app.history.reject(row.id, self.app.coder)
        except QualcodeError as exc:
            self._failed(exc)
            return
        self.tally["rejected"] += 1
        self.host.flash(S.REJECTED.format(code=self.host.model.code(row.code_id).name))
        self.app.broadcast(change)  # re-reads what is pending and moves on (its messages win)

    def choose_code(self, code_id: str) -> None:
        """The code key after "other code": accept the suggestion with that code."""
        self.awaiting_code = False
        row = self.current()
        if row is not None:
            self.accept(row, code_id)

    def abandon_choice(self) -> None:
        """Leave "other code" without choosing (Esc, or a key that is not a code's)."""
        self.awaiting_code = False
        self.show_panel()
        self.host.flash(S.REVIEW_CHOICE_DROPPED)

    def code_list(self) -> None:
        """Choose the other code from the list (the picker)."""
        self.awaiting_code = False
        row = self.current()
        if row is None:
            return
        self.show_panel()
        what = S.WHAT_SUGGESTION.format(chars=row.end - row.start, code=self.host.model.code(row.code_id).name)

        def chosen(ids: list[str] | None) -> None:
            if ids and self.current() is not None and self.review_id == row.id:
                self.accept(row, ids[0], also=ids[1:])

        self.app.push_screen(CodePicker(self.host.codebook, what), chosen)

    def accept(self, row: Suggestion, code_id: str | None = None, also: list[str] = ()) -> None:
        """Accept ``row`` (with ``code_id`` instead of its own); ``also`` codes the span too."""
        if code_id == row.code_id:
            code_id = None
        app, model = self.app, self.host.model
        try:
            change = app.history.accept(row.id, app.coder, code_id)
        except QualcodeError as exc:
            self._failed(exc)
            return
        self.tally["accepted"] += 1
        name = model.code(change.code_id).name
        if change.added:
            message = S.ACCEPTED.format(code=name, quote=shorten(change.added[0].quote.replace("\n", " "), 40))
        else:
            message = S.ACCEPTED_EXISTING.format(code=name)
        extra = None
        if also:
            try:
                extra = app.history.apply(self.host.transcript_id, row.start, row.end, list(also), app.coder)
            except QualcodeError as exc:
                app.report_error(exc)
            else:
                message += S.ALSO_CODED.format(codes=", ".join(model.code(c).name for c in also))
        self.host.flash(message)
        app.broadcast(change)  # re-reads what is pending and moves on (its messages win)
        if extra is not None:
            app.broadcast(extra)

    def _failed(self, exc: QualcodeError) -> None:
        """Someone else decided (or a run withdrew) the suggestion: say so, show the store."""
        self.app.report_error(exc)
        self.reload()

    def reveal_decision(self, change: SuggestionDecision) -> None:
        """After an undo or redo of a decision: go to its suggestion (under review again if pending)."""
        row = change.suggestion
        if row is None or row.transcript_id != self.host.transcript_id:
            return
        if self.active:  # keep the tally of this review true
            tally = "accepted" if change.kind == ACCEPT else "rejected"
            self.tally[tally] = max(0, self.tally[tally] + (-1 if change.undo else 1))
        if self.active and row.id in self.by_id:
            self._go(self.by_id[row.id])
        else:
            self.reveal(row)


def wrapped(text: Text, width: int, most: int, app: QualcodeApp) -> Text:
    """``text`` wrapped to ``width`` cells on at most ``most`` lines, the last cut with "…" if it goes on."""
    width = max(width, 10)
    lines = list(text.wrap(app.console, width))
    for line in lines:
        line.rstrip()  # the space a line was broken at
    if len(lines) > most:
        last = Text(" ").join(lines[most - 1 :])
        last.truncate(width, overflow="ellipsis")
        lines = [*lines[: most - 1], last]
    return Text("\n").join(lines)
