"""The transcripts list: attributes, words, codings, how much is coded; Enter opens one.

``G`` asks spaCy for suggestions for the listed transcripts (the filter applies), in
the app's background job; the "Suggested" column counts the pending ones.
"""

from __future__ import annotations

import re
from collections import Counter

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from ...history import Change
from ...model import PENDING
from ...project import Project
from ...store import TranscriptSummary
from .. import keymap
from .. import strings as S
from ..commands import PaletteCommand
from ..widgets.job import JobBar

_CONDITION = re.compile(r'([\w.-]+)\s*=\s*("[^"]*"|\S+)')


def parse_filter(query: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``attr=value`` conditions and free words of a filter query (lower-cased)."""
    conditions = [(name.lower(), value.strip('"').lower()) for name, value in _CONDITION.findall(query)]
    words = _CONDITION.sub(" ", query).lower().split()
    return conditions, words


def matches(summary: TranscriptSummary, conditions: list[tuple[str, str]], words: list[str]) -> bool:
    """Whether a transcript passes the filter (values match by prefix, words anywhere)."""
    attributes = {k.lower(): v.lower() for k, v in summary.attributes.items()}
    for name, value in conditions:
        if not attributes.get(name, "").startswith(value):
            return False
    haystack = " ".join([summary.name.lower(), *attributes.values()])
    return all(word in haystack for word in words)


class TranscriptsScreen(Screen):
    """Every transcript with its attributes and coding progress."""

    SCREEN = "transcripts"
    CSS_PATH = "transcripts.tcss"
    BINDINGS = keymap.bindings(keymap.TRANSCRIPTS)

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self.summaries: list[TranscriptSummary] = []
        self.pending: Counter[int] = Counter()  # pending suggestions per transcript
        self.shown: list[TranscriptSummary] = []
        self._stale = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder=S.TRANSCRIPTS_FILTER_PLACEHOLDER, id="transcripts-filter")
        yield DataTable(id="transcripts-table", cursor_type="row", zebra_stripes=True)
        yield JobBar(id="transcripts-job")
        yield Static("", id="transcripts-summary")
        yield Footer()

    def on_mount(self) -> None:
        self.load()
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self._stale:
            self.load()

    def store_changed(self, change: Change | None) -> None:
        """Counts changed: reload now if visible, else when shown again."""
        if self.is_current:
            self.load()
        else:
            self._stale = True

    def load(self) -> None:
        """Read the summaries from the store and show them (fast: one query)."""
        self._stale = False
        store = self.project.store
        self.summaries = store.transcripts.summaries()
        self.pending = Counter(s.transcript_id for s in store.suggestions.find(statuses=(PENDING,)))
        self.show()

    def attribute_names(self) -> list[str]:
        return sorted({name for s in self.summaries for name in s.attributes})

    def show(self) -> None:
        table = self.query_one(DataTable)
        keep = table.cursor_row if table.row_count else 0
        table.clear(columns=True)
        names = self.attribute_names()
        table.add_column(S.COL_TRANSCRIPT, key="name")
        for label in (S.COL_TURNS, S.COL_WORDS, S.COL_CODINGS, S.COL_CODED, S.COL_SUGGESTED):
            table.add_column(label, key=label)
        for name in names:
            table.add_column(name, key=f"attr:{name}")
        conditions, words = parse_filter(self.query_one(Input).value)
        shown = self.shown = [s for s in self.summaries if matches(s, conditions, words)]
        for s in shown:
            table.add_row(
                s.name,
                _right(s.turns),
                _right(s.words),
                _right(s.codings),
                _right(f"{s.coded_share:.0%}"),
                _right(self.pending.get(s.id, "")),
                *(s.attributes.get(name, "") for name in names),
                key=str(s.id),
            )
        if shown:
            table.move_cursor(row=min(keep, len(shown) - 1))
        self.query_one("#transcripts-summary", Static).update(self._summary_text())

    def _summary_text(self) -> str:
        if not self.summaries:
            return S.NO_TRANSCRIPTS
        return S.TRANSCRIPTS_SUMMARY.format(
            shown=len(self.shown),
            total=len(self.summaries),
            codings=sum(s.codings for s in self.summaries),
            codebook=self.project.codebook.title,
            codes=len(self.project.codebook),
            coder=self.app.coder,
            pending=sum(self.pending.values()),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_clear_filter(self) -> None:
        search = self.query_one(Input)
        if search.value:
            search.value = ""
        self.query_one(DataTable).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.app.open_transcript(int(event.row_key.value))

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
            self.app.open_transcript(int(row_key.value))

    def action_suggest(self) -> None:
        """Suggestions for the transcripts in the list (all of them without a filter)."""
        if not self.shown:
            return
        if len(self.shown) == len(self.summaries):
            self.app.start_suggestions(None, S.JOB_SUGGEST_ALL)
        else:
            self.app.start_suggestions([s.id for s in self.shown], S.JOB_SUGGEST_LISTED.format(count=len(self.shown)))

    def flash(self, text: str) -> None:
        """A message in the summary line (until the list is shown again)."""
        summary = self.query_one("#transcripts-summary", Static)
        summary.update(Text.assemble((text, "italic"), " │ ", self._summary_text()))

    def palette_commands(self) -> list[PaletteCommand]:
        """Filter by each attribute value."""
        commands = []
        values = sorted({(k, v) for s in self.summaries for k, v in s.attributes.items()})
        for name, value in values:
            query = f'{name}="{value}"' if " " in value else f"{name}={value}"
            commands.append(PaletteCommand(f"{S.BINDINGS['filter_transcripts']}: {query}", "", lambda q=query: self._set_filter(q)))
        return commands

    def _set_filter(self, query: str) -> None:
        self.query_one(Input).value = query
        self.query_one(DataTable).focus()


def _right(value: object) -> Text:
    return Text(str(value), justify="right")
