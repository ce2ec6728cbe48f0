"""Pending suggestions in the coding screen, and review mode.

Mixed into :class:`~qualcode.tui.screens.coding.CodingScreen` (kept apart because
it is a feature of its own). What it adds:

* the transcript's pending suggestions drawn as an overlay: text underlined in
  the suggested code's colour, never filled like a coding, and a ``┆`` in the
  margin; the status line names the suggestion at the cursor (code, score, why);
  ``P`` shows or hides them;
* ``G`` runs suggestions for this transcript (a thread worker of the app, see
  :mod:`qualcode.tui.jobs`); the screen re-reads its suggestions when it ends;
* review mode (``E``): walks through the pending suggestions in reading order,
  the current one highlighted and scrolled into view, with a panel saying which
  one of how many, its code, score and reason. ``A`` accepts, ``X`` rejects,
  ``>`` skips, ``<`` goes back, ``C`` accepts with another code from the picker,
  and a code's key accepts with that code. Each decision is one committed
  transaction through the session history (``app.history``), so Ctrl+Z takes
  it back like any coding action.

The suggestions shown are always re-read from the store (``pending_suggestions``:
one indexed query, plus the transcript's codings when there are any) after a
change, never patched by guesswork.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.widgets import Static

from ...errors import QualcodeError
from ...history import Change
from ...store import Suggestion
from .. import strings as S
from ..document.spans import SpanIndex
from ...session_history import ACCEPT, Decision
from ..widgets.document import Overlay
from ..widgets.picker import CodePicker

OVERLAY = "suggestions"
CURRENT = "review"
MARK = "┆"  # the margin mark of a line with a pending suggestion
CURRENT_MARK = "▶"
REVIEW_ACTIONS = {"review_accept", "review_reject", "review_skip", "review_previous", "review_other_code", "review_order"}
ORDERS = ("position", "score")  # reading order, or the most likely first


class CodingSuggestions:
    """The suggestion half of the coding screen (a mixin: see the module docstring)."""

    def init_suggestions(self) -> None:
        self.suggestions: list[Suggestion] = []
        self.suggestion_spans: SpanIndex[int] = SpanIndex()
        self.suggestion_by_id: dict[int, Suggestion] = {}
        self.reviewing = False
        self.review_id: int | None = None  # the suggestion under review
        self.review_tally = {"accepted": 0, "rejected": 0}
        self.review_order = ORDERS[0]
        self._review_key: tuple = (-1, -1, "")  # order key (see _order_key) of the last one reviewed
        self._suggestion_styles: dict[tuple[str, bool], Style] = {}

    # --- what is pending ------------------------------------------------------------

    def set_suggestions(self, rows: list[Suggestion]) -> None:
        """Show these pending suggestions (reading order) and keep review mode in step."""
        self.suggestions = rows
        self.suggestion_by_id = {r.id: r for r in rows}
        self.suggestion_spans = SpanIndex((r.start, r.end, r.id) for r in rows)
        self._draw_suggestions()
        if self.reviewing:
            if not rows:
                self._stop_review(S.REVIEW_FINISHED)
            elif self.review_id not in self.suggestion_by_id:
                self._review_go(self._following(self._review_key))
            else:
                self._review_go(self.suggestion_by_id[self.review_id])

    def reload_suggestions(self) -> None:
        """Re-read the pending suggestions from the store (UI thread: one fast query)."""
        from ...suggest.review import pending_suggestions  # imported by the loading worker already

        self.set_suggestions(pending_suggestions(self.project.store, self.transcript_id))

    def suggestions_at(self, pos: int) -> list[Suggestion]:
        """Pending suggestions containing ``pos`` (none when they are hidden)."""
        if not self.app.show_suggestions:
            return []
        return [self.suggestion_by_id[i] for i in self.suggestion_spans.at(pos)]

    def _draw_suggestions(self) -> None:
        self._suggestion_styles.clear()
        document = self.document
        if not self.app.show_suggestions or not self.suggestions:
            document.set_overlay(OVERLAY, None)
        else:
            document.set_overlay(OVERLAY, Overlay(self.suggestion_spans, self._pending_style, order=5, margin=self._mark))
        current = self.suggestion_by_id.get(self.review_id) if self.reviewing else None
        if current is None:
            document.set_overlay(CURRENT, None)
        else:
            spans = SpanIndex([(current.start, current.end, current.id)])
            document.set_overlay(CURRENT, Overlay(spans, lambda ids: self._pending_style(ids, True), order=6, margin=self._current_mark))

    def _color(self, suggestion_id: int) -> str:
        return self.model.code(self.suggestion_by_id[suggestion_id].code_id).color

    def _pending_style(self, ids: tuple, current: bool = False) -> Style:
        """Underlined text in the (first) suggested code's colour: visibly not a coding."""
        color = self._color(ids[0])
        key = (color, current)
        style = self._suggestion_styles.get(key)
        if style is None:
            document = self.document
            base = document.background_colors[1]
            # Lifted towards the foreground when too dark to read on the background.
            shade = Color.parse(color)
            if base.get_contrast_text(1.0).brightness > 0.5 and shade.brightness < 0.35:
                shade = shade.blend(Color(255, 255, 255), 0.35)
            component = "suggestion-current" if current else "suggestion"
            style = document._style(component, True) + Style(color=shade.rich_color)
            if current:  # the one under review: bold on a lifted background (not the code's tint)
                style += Style(bgcolor=base.blend(Color.parse(document.styles.color.hex), 0.14).rich_color)
            self._suggestion_styles[key] = style
        return style

    def _mark(self, ids: tuple) -> Segment:
        return Segment(MARK, Style(color=self._color(ids[0])))

    def _current_mark(self, ids: tuple) -> Segment:
        return Segment(CURRENT_MARK, Style(color=self._color(ids[0]), bold=True))

    def suggestion_status(self, codes: Text, here: list) -> None:
        """Line 1 of the status: append the suggestion(s) at the cursor."""
        if self.model is None:
            return
        found = self.suggestions_at(self.document.cursor)
        if not found:
            return
        current = self._current()
        if current in found:  # while reviewing, the one under review first
            found.remove(current)
            found.insert(0, current)
        first = found[0]
        info = self.model.code(first.code_id)
        codes.append("   " if here else " ")
        codes.append(f"{MARK} ", style=info.color)
        codes.append(S.STATUS_SUGGESTED.format(name=info.name), style="italic")
        if first.score is not None:
            codes.append(" · " + S.SUGGESTION_SCORE.format(score=first.score), style="dim")
        if first.reason:
            codes.append(" · " + first.reason, style="dim")
        if len(found) > 1:
            codes.append(S.STATUS_SUGGESTED_MORE.format(count=len(found) - 1), style="dim")

    def review_highlight(self) -> str | None:
        """While reviewing with the cursor on the suggestion: its code (for the code panel)."""
        row = self._current() if self.reviewing else None
        if row is not None and row.start <= self.document.cursor < row.end:
            return row.code_id
        return None

    def suggestions_changed(self, change: Change | None) -> None:
        """After a change of codings or decisions: re-read what is pending when it can differ."""
        if change is None or isinstance(change, Decision) or change.removed or self.suggestions:
            self.reload_suggestions()

    # --- actions: run, show/hide ------------------------------------------------------

    def action_suggest(self) -> None:
        """Run suggestions for this transcript in the background."""
        self.app.start_suggestions([self.transcript_id], S.JOB_SUGGEST_ONE.format(name=self.name_))

    def action_toggle_suggestions(self) -> None:
        self.app.show_suggestions = not self.app.show_suggestions
        if not self.app.show_suggestions and self.reviewing:
            self._stop_review(S.REVIEW_STOPPED)
        self._draw_suggestions()
        self._show_status()
        if self.app.show_suggestions:
            self.flash(S.SUGGESTIONS_SHOWN.format(count=len(self.suggestions)))
        else:
            self.flash(S.SUGGESTIONS_HIDDEN.format(key=self.app.key_of("toggle_suggestions")))

    # --- review mode ------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in REVIEW_ACTIONS:
            return self.reviewing  # hidden from the footer (and the keys free) outside review
        return True

    def action_review(self) -> None:
        """Start reviewing at the first pending suggestion from the cursor on (again: stop)."""
        if self.model is None:
            return
        if self.reviewing:
            self._stop_review(S.REVIEW_STOPPED)
            return
        if not self.suggestions:
            self.flash(S.NO_SUGGESTIONS.format(key=self.app.key_of("suggest_transcript")))
            return
        if not self.app.show_suggestions:
            self.app.show_suggestions = True
        self.reviewing = True
        self.review_tally = {"accepted": 0, "rejected": 0}
        cursor = self.document.cursor
        here = self.suggestions_at(cursor)
        start = here[0] if here else next((r for r in self.suggestions if r.start >= cursor), self.suggestions[0])
        if self.review_order == "score":
            start = min(self.suggestions, key=self._order_key)  # the most likely one first
        self.query_one("#coding-review", Static).remove_class("hidden")
        self.refresh_bindings()
        self._review_go(start)
        self.flash(S.REVIEW_STARTED.format(count=len(self.suggestions)))

    def _stop_review(self, message: str) -> None:
        self.reviewing = False
        self.review_id = None
        self.query_one("#coding-review", Static).add_class("hidden")
        self._draw_suggestions()
        self.refresh_bindings()
        self.flash(message.format(left=len(self.suggestions), **self.review_tally))

    def _order_key(self, row: Suggestion) -> tuple:
        """Where a suggestion comes in the review: reading order, or highest score first."""
        if self.review_order == "score":
            return (-(row.score or 0.0), row.start, row.end, row.code_id)
        return (row.start, row.end, row.code_id)

    def action_review_order(self) -> None:
        """Review in reading order or the most likely first (the current one stays)."""
        self.review_order = ORDERS[(ORDERS.index(self.review_order) + 1) % len(ORDERS)]
        row = self._current()
        if row is not None:
            self._review_key = self._order_key(row)
            self._show_review()
        self.flash(S.REVIEW_ORDER[self.review_order])

    def _following(self, key: tuple, step: int = 1) -> Suggestion | None:
        """The pending suggestion after (``step`` -1: before) ``key`` in the review order, wrapping."""
        rows = sorted(self.suggestions, key=self._order_key)
        if not rows:
            return None
        if step > 0:
            found = next((r for r in rows if self._order_key(r) > key), None)
            if found is None:
                self.flash(S.REVIEW_WRAPPED)
                return rows[0]
            return found
        found = next((r for r in reversed(rows) if self._order_key(r) < key), None)
        return found or rows[-1]

    def _review_go(self, row: Suggestion | None) -> None:
        """Make ``row`` the suggestion under review: highlight it, scroll to it, describe it."""
        if row is None:
            return
        self.review_id = row.id
        self._review_key = self._order_key(row)
        self._draw_suggestions()
        self._reveal(row)
        self._show_review()

    def _reveal(self, row: Suggestion) -> None:
        """Scroll to a suggestion (dropping a code filter that hides it)."""
        document = self.document
        if document.filter_spans is not None and not document._shown(row.start):
            self._set_filter(None)
        document.reveal_span(row.start, row.end)

    def _show_review(self) -> None:
        """The review panel: which one of how many, its code, score and why; the keys."""
        row = self.suggestion_by_id.get(self.review_id)
        if row is None or self.model is None:
            return
        info = self.model.code(row.code_id)
        index = sorted(self.suggestions, key=self._order_key).index(row) + 1
        head = Text(no_wrap=True, overflow="ellipsis")
        head.append(S.REVIEW_HEADER.format(index=index, count=len(self.suggestions)), style="bold")
        head.append("   ■ ", style=info.color)
        head.append(info.name, style="bold")
        head.append(f"  {row.suggester}", style="dim")
        if row.score is not None:
            head.append(" · " + S.SUGGESTION_SCORE.format(score=row.score), style="dim")
        why = Text(S.REVIEW_WHY.format(reason=row.reason or "-"), style="italic", no_wrap=True, overflow="ellipsis")
        key = self.app.key_of
        keys = Text(no_wrap=True, overflow="ellipsis", style="dim")
        keys.append(
            S.REVIEW_KEYS.format(
                accept=key("review_accept"),
                reject=key("review_reject"),
                skip=key("review_skip"),
                other=key("review_other_code"),
                stop=key("review"),
            )
        )
        keys.append(" │ " + S.REVIEW_TALLY.format(**self.review_tally))
        # One Text: each line is cut with an ellipsis on its own (no_wrap), never wrapped.
        panel = Text("\n", no_wrap=True, overflow="ellipsis").join([head, why, keys])
        self.query_one("#coding-review", Static).update(panel)
        if self.focused is not self.tree:
            self.tree.highlight_code(row.code_id)  # its definition in the details panel, to decide by

    def _current(self) -> Suggestion | None:
        return self.suggestion_by_id.get(self.review_id) if self.reviewing else None

    def action_review_skip(self) -> None:
        row = self._current()
        if row is not None:
            self._review_go(self._following(self._order_key(row)))

    def action_review_previous(self) -> None:
        row = self._current()
        if row is not None:
            self._review_go(self._following(self._order_key(row), step=-1))

    def action_review_accept(self) -> None:
        row = self._current()
        if row is not None:
            self.accept_suggestion(row)

    def action_review_reject(self) -> None:
        row = self._current()
        if row is None:
            return
        try:
            change = self.app.history.reject(row.id, self.app.coder)
        except QualcodeError as exc:
            self._decision_failed(exc)
            return
        self.review_tally["rejected"] += 1
        self.flash(S.REJECTED.format(code=self.model.code(row.code_id).name))
        self.app.broadcast(change)  # re-reads what is pending and moves on (its messages win)

    def action_review_other_code(self) -> None:
        row = self._current()
        if row is None:
            return
        what = S.WHAT_SUGGESTION.format(chars=row.end - row.start, code=self.model.code(row.code_id).name)

        def chosen(ids: list[str] | None) -> None:
            if ids and self._current() is not None and self.review_id == row.id:
                self.accept_suggestion(row, ids[0], also=ids[1:])

        self.app.push_screen(CodePicker(self.codebook, what), chosen)

    def accept_suggestion(self, row: Suggestion, code_id: str | None = None, also: list[str] = ()) -> None:
        """Accept ``row`` (with ``code_id`` instead of its own); ``also`` codes the span too."""
        if code_id == row.code_id:
            code_id = None
        try:
            change = self.app.history.accept(row.id, self.app.coder, code_id)
        except QualcodeError as exc:
            self._decision_failed(exc)
            return
        self.review_tally["accepted"] += 1
        name = self.model.code(change.code_id).name
        if change.added:
            message = S.ACCEPTED.format(code=name, quote=_shorten(change.added[0].quote.replace("\n", " "), 40))
        else:
            message = S.ACCEPTED_EXISTING.format(code=name)
        extra = None
        if also:
            try:
                extra = self.app.history.apply(self.transcript_id, row.start, row.end, list(also), self.app.coder)
            except QualcodeError as exc:
                self.app.report_error(exc)
            else:
                message += S.ALSO_CODED.format(codes=", ".join(self.model.code(c).name for c in also))
        self.flash(message)
        self.app.broadcast(change)  # re-reads what is pending and moves on (its messages win)
        if extra is not None:
            self.app.broadcast(extra)

    def _decision_failed(self, exc: QualcodeError) -> None:
        """Someone else decided (or a run withdrew) the suggestion: say so, show the store."""
        self.app.report_error(exc)
        self.reload_suggestions()

    def review_code_key(self, code_id: str) -> None:
        """A code's key while reviewing: accept the suggestion with that code."""
        row = self._current()
        if row is not None:
            self.accept_suggestion(row, code_id)

    def reveal_decision(self, change: Decision) -> None:
        """After an undo or redo of a decision: go to its suggestion (under review again if pending)."""
        row = change.suggestion
        if row is None or row.transcript_id != self.transcript_id:
            return
        if self.reviewing:  # keep the tally of this review true
            tally = "accepted" if change.kind == ACCEPT else "rejected"
            self.review_tally[tally] = max(0, self.review_tally[tally] + (-1 if change.undo else 1))
        if self.reviewing and row.id in self.suggestion_by_id:
            self._review_go(self.suggestion_by_id[row.id])
        else:
            self._reveal(row)


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
