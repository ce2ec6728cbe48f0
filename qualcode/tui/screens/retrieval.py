"""Retrieval: every segment of one or more codes across transcripts; jump to one.

Marking a parent code includes its sub-codes (as ``qualcode codings --code``
does). Each segment is listed with its code, transcript, turn, speaker, text and
memo; the highlighted one is shown in its context below the list, memo in full
(the context pane scrolls, and Tab reaches it). Opened from the coding screen
(``R``), the list starts at the segment the cursor was on.
"""

from __future__ import annotations

from bisect import bisect_right

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import DataTable, Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...history import CodingChange
from ...model import Coding, Turn
from ...project import Project
from .. import keymap
from .. import strings as S
from ..widgets.checks import CheckList
from ..widgets.code_tree import rolled_up
from ..widgets.footer import KeysFooter
from ..widgets.wide import WideTable
from .base import QualcodeScreen

CONTEXT_CHARS = 300  # of the turn around a segment, each side


class RetrievalScreen(QualcodeScreen):
    """Segments of the marked codes, with context; Enter goes to one."""

    SCREEN = "retrieval"
    CSS_PATH = "retrieval.tcss"
    BINDINGS = keymap.bindings(keymap.RETRIEVAL)

    def __init__(self, project: Project, codes: list[str] | None = None, at: int | None = None) -> None:
        super().__init__(project)
        self.codebook = project.codebook
        self.initial = list(codes or [])
        self.at = at  # the coding to start at (the one the user came from)
        self.segments: list[Coding] = []
        self._names = project.store.transcripts.names()
        self._turns: dict[int, tuple[list[int], list[Turn]]] = {}
        self._texts: dict[int, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="retrieval-body"):
            yield CheckList(id="retrieval-codes")
            with Vertical(id="retrieval-main"):
                yield WideTable(id="retrieval-segments", cursor_type="row", zebra_stripes=True)
                with VerticalScroll(id="retrieval-context-box"):
                    yield Static("", id="retrieval-context", markup=False)
        yield Static("", id="retrieval-summary", markup=False)
        yield KeysFooter(palette=True)

    def on_mount(self) -> None:
        self.sub_title = S.RETRIEVAL_TITLE
        codes = self.query_one(SelectionList)
        codes.border_title = S.RETRIEVAL_CODES
        counts = rolled_up(self.codebook, self.project.store.codings.counts_by_code())  # as the code list counts
        selections = []
        for code in self.codebook.walk():
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("  " * self.codebook.depth(code.id))
            label.append("■ ", style=code.color or "")
            label.append(code.name)
            label.append(f" {counts.get(code.id, 0)}", style="dim")
            selections.append(Selection(label, code.id, code.id in self.initial))
        for row in self.project.store.codes.list(include_missing=True):
            if not row.in_codebook and counts.get(row.id):
                label = Text(f"■ {row.name} ({S.MISSING_CODES.lower()}) {counts[row.id]}", style="dim")
                selections.append(Selection(label, row.id, row.id in self.initial))
        codes.add_options(selections)
        codes.highlighted = 0
        self.query_one("#retrieval-context-box").border_title = S.RETRIEVAL_CONTEXT
        table = self.query_one(DataTable)
        for label in (S.COL_TEXT, S.COL_CODE, S.COL_TRANSCRIPT, S.COL_TURN, S.COL_SPEAKER, S.COL_MEMO):
            table.add_column(label, key=label)
        self.refresh_segments()
        if self.at is not None:
            row = next((i for i, c in enumerate(self.segments) if c.id == self.at), None)
            if row is not None:
                table.move_cursor(row=row)
        (table if self.initial else codes).focus()

    def select_codes(self, codes: list[str]) -> None:
        """Mark exactly these codes."""
        selection = self.query_one(SelectionList)
        selection.deselect_all()
        for code in codes:
            selection.select(code)

    def wanted_codes(self) -> list[str]:
        marked = self.query_one(SelectionList).selected
        wanted = dict.fromkeys(marked)
        for code_id in marked:
            wanted.update(dict.fromkeys(c.id for c in self.codebook.descendants(code_id)))
        return list(wanted)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        self.refresh_segments()

    def store_changed(self, change: CodingChange | None) -> None:
        if change is None:  # changed from outside: texts and turns may be new too
            self._texts.clear()
            self._turns.clear()
        super().store_changed(change)

    def reload(self, change: CodingChange | None = None) -> None:
        self.refresh_segments()

    def refresh_segments(self) -> None:
        """List the segments of the marked codes, from the store."""
        wanted = self.wanted_codes()
        self.segments = self.project.store.codings.find(None, wanted) if wanted else []
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear()
        for i, coding in enumerate(self.segments):
            turn = self._turn(coding)
            code = self.codebook.get(coding.code_id)
            name = Text(no_wrap=True, overflow="ellipsis")
            name.append("■ ", style=(code.color if code else "grey50") or "")
            name.append(code.name if code else S.STATUS_MISSING.format(name=coding.code_id))
            table.add_row(  # the researchers' text, not markup: Text, as a str cell is read as markup
                Text(_one_line(coding.quote, 48)),
                name,
                Text(self._names.get(coding.transcript_id, "?")),
                Text(str(turn.index), justify="right") if turn else "",
                Text((turn.speaker or "") if turn else ""),
                Text(_one_line(coding.memo or "", 30)),
                key=str(i),
            )
        if self.segments:
            table.move_cursor(row=min(keep, len(self.segments) - 1))
        self._show_context()
        transcripts = len({c.transcript_id for c in self.segments})
        marked = len(self.query_one(SelectionList).selected)
        summary = (
            S.RETRIEVAL_SUMMARY.format(count=len(self.segments), codes=marked, transcripts=transcripts)
            if marked
            else S.RETRIEVAL_NONE
        )
        self.query_one("#retrieval-summary", Static).update(summary)

    def _turn(self, coding: Coding) -> Turn | None:
        tid = coding.transcript_id
        if tid not in self._turns:
            turns = self.project.store.transcripts.turns(tid)
            self._turns[tid] = ([t.start for t in turns], turns)
        starts, turns = self._turns[tid]
        i = bisect_right(starts, coding.start) - 1
        return turns[i] if i >= 0 else None

    def _text(self, tid: int) -> str:
        if tid not in self._texts:
            self._texts[tid] = self.project.store.transcripts.text(tid)
        return self._texts[tid]

    def _current(self) -> Coding | None:
        table = self.query_one(DataTable)
        if not self.segments or table.cursor_row is None or table.cursor_row >= len(self.segments):
            return None
        return self.segments[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_context()

    def _show_context(self) -> None:
        coding = self._current()
        context = self.query_one("#retrieval-context", Static)
        if coding is None:
            context.update("")
            return
        text = self._text(coding.transcript_id)
        turn = self._turn(coding)
        lo = max(turn.start if turn else 0, coding.start - CONTEXT_CHARS)
        hi = min(turn.end if turn and turn.end >= coding.end else len(text), coding.end + CONTEXT_CHARS)
        code = self.codebook.get(coding.code_id)
        color = (code.color if code else None) or "grey50"
        body = Text()
        heading = f"{self._names.get(coding.transcript_id, '?')}"
        if turn:
            heading += f" · {turn.speaker or ''} #{turn.index}"
        body.append(heading + "\n", style="bold")
        body.append(("…" if lo > (turn.start if turn else 0) else "") + text[lo : coding.start], style="dim")
        body.append(text[coding.start : coding.end], style=f"bold underline {color}")
        body.append(text[coding.end : hi] + ("…" if turn and hi < turn.end else ""), style="dim")
        body.append("\n\n")
        body.append(S.CONTEXT_CODER.format(code=code.name if code else coding.code_id, coder=coding.coder), style="italic")
        if coding.memo:
            body.append("\n" + S.CONTEXT_MEMO.format(memo=coding.memo))
        context.update(body)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_jump()

    def action_jump(self) -> None:
        coding = self._current()
        if coding is not None:
            self.app.open_transcript(coding.transcript_id, at=(coding.start, coding.end))

    def action_back(self) -> None:
        self.app.pop_screen()


def _one_line(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
