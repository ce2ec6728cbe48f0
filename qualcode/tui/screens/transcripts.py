"""The transcripts list: attributes, words, codings, how much is coded; Enter opens one.

``G`` asks spaCy for suggestions for the listed transcripts (the filter applies), in
the app's background job; the "Suggested" column counts the pending ones (the
store's count, the one ``qualcode suggestions`` gives); a "Detached" column
appears while some transcript has codings a re-import could not place. The attributes that group
transcripts (a few values each, like ``respondent_type``) come right after the
counts; attributes that name each transcript apart (a date, an organisation) last.
It reads nothing the store does not keep ready (the counts are kept up to date
there), so it opens as fast with 1,000 interviews as with six.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, Input, Static

from ...display import shorten
from ...project import Project
from ...store import TranscriptSummary
from ...termsafe import one_line
from .. import keymap
from .. import strings as S
from ..commands import PaletteCommand
from ..widgets.footer import KeysFooter
from ..widgets.job import JobBar
from ..widgets.rows import Column, RowTable
from .base import QualcodeScreen

if TYPE_CHECKING:
    from ...history import CodingChange

# A name is tried from its first character only: from every character of a long word
# without "=" (a paste into the filter) each try read to the word's end (quadratic).
MEMO_SHOWN = 30  # characters of a transcript's memo in the list
_CONDITION = re.compile(r'(?<![\w.-])([\w.-]+)\s*=\s*("[^"]*"|\S+)')


def parse_filter(query: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``attr=value`` conditions and free words of a filter query (lower-cased)."""
    conditions = [(name.lower(), value.strip('"').lower()) for name, value in _CONDITION.findall(query)]
    words = _CONDITION.sub(" ", query).lower().split()
    return conditions, words


def filter_query(name: str, value: str) -> str:
    """The filter for one attribute value (quoted when it has a space)."""
    return f'{name}="{value}"' if " " in value else f"{name}={value}"


def matches(summary: TranscriptSummary, conditions: list[tuple[str, str]], words: list[str]) -> bool:
    """Whether a transcript passes the filter (values match by prefix, words anywhere)."""
    if not conditions and not words:
        return True
    attributes = {k.lower(): v.lower() for k, v in summary.attributes.items()}
    for name, value in conditions:
        if not attributes.get(name, "").startswith(value):
            return False
    haystack = " ".join([summary.name.lower(), *attributes.values()])
    return all(word in haystack for word in words)


def attribute_order(summaries: list[TranscriptSummary]) -> tuple[list[str], list[str]]:
    """The attribute names that group transcripts (fewest values first), then the rest.

    Grouping: at least two values and fewer values than transcripts that have the
    attribute. The rest: one value for all, or a value of its own for each.
    """
    values: dict[str, set[str]] = {}
    present: Counter[str] = Counter()
    for summary in summaries:
        for name, value in summary.attributes.items():
            values.setdefault(name, set()).add(value)
            present[name] += 1
    grouping = sorted((n for n, v in values.items() if 2 <= len(v) < present[n]), key=lambda n: (len(values[n]), n))
    rest = sorted(n for n in values if n not in grouping)
    return grouping, rest


class TranscriptsScreen(QualcodeScreen):
    """Every transcript with its attributes and coding progress."""

    SCREEN = "transcripts"
    CSS_PATH = "transcripts.tcss"
    BINDINGS = keymap.bindings(keymap.TRANSCRIPTS)

    def __init__(self, project: Project) -> None:
        super().__init__(project)
        self.summaries: list[TranscriptSummary] = []
        self.pending: dict[int, int] = {}  # pending suggestions per transcript
        self.detached: Counter[int] = Counter()  # detached codings per transcript (rare: read whole)
        self.memos: dict[int, str] = {}  # transcripts' own memos (from their index: no text is read)
        self.shown: list[TranscriptSummary] = []
        self._message_timer = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder=S.TRANSCRIPTS_FILTER_PLACEHOLDER.format(example=S.TRANSCRIPTS_FILTER_EXAMPLE), id="transcripts-filter"
        )
        yield RowTable(id="transcripts-table")
        yield JobBar(self.app.jobs.state, id="transcripts-job")
        yield Static("", id="transcripts-summary", markup=False)
        yield KeysFooter(palette=True)

    def on_mount(self) -> None:
        self.reload()
        table = self.query_one(RowTable)
        last = str(self.app.last_opened)  # where the coder left off, also after a restart
        if last in table.keys:
            table.move_cursor(table.keys.index(last))
        table.focus()

    def reload(self, change: CodingChange | None = None) -> None:
        """Read the summaries from the store and show them (two indexed queries)."""
        store = self.project.store
        self.summaries = store.transcripts.summaries()
        self.pending = store.suggestions.pending_by_transcript()
        self.detached = Counter(d.transcript_id for d in store.codings.detached())
        self.memos = store.transcripts.memos()
        self.show()

    def show(self) -> None:
        table = self.query_one(RowTable)
        grouping, rest = attribute_order(self.summaries)
        columns = [
            Column(S.COL_TRANSCRIPT, "name"),
            *(Column(label, label, right=True) for label in (S.COL_CODINGS, S.COL_CODED, S.COL_SUGGESTED)),
            *([Column(S.COL_DETACHED, S.COL_DETACHED, right=True)] if self.detached else []),
            *(Column(name, f"attr:{name}") for name in grouping),
            *(Column(label, label, right=True) for label in (S.COL_WORDS, S.COL_TURNS)),
            *(Column(name, f"attr:{name}") for name in rest),
            *([Column(S.COL_MEMO, S.COL_MEMO)] if self.memos else []),
        ]
        search = self.query_one(Input)
        search.placeholder = S.TRANSCRIPTS_FILTER_PLACEHOLDER.format(example=self._example(grouping or rest))
        conditions, words = parse_filter(search.value)
        shown = self.shown = [s for s in self.summaries if matches(s, conditions, words)]
        rows = [
            (
                s.name,
                str(s.codings),
                f"{s.coded_share:.0%}",
                str(self.pending.get(s.id, "")),
                *([str(self.detached.get(s.id, ""))] if self.detached else []),
                *(s.attributes.get(name, "") for name in grouping),
                str(s.words),
                str(s.turns),
                *(s.attributes.get(name, "") for name in rest),
                *([one_line(shorten(self.memos.get(s.id, ""), MEMO_SHOWN))] if self.memos else []),
            )
            for s in shown
        ]
        table.set_rows(columns, rows, [str(s.id) for s in shown])
        self.query_one("#transcripts-summary", Static).update(self._summary_text())

    def _example(self, names: list[str]) -> str:
        """A filter this project answers (its first attribute and a value of it), for the placeholder."""
        for name in names:
            value = next((s.attributes[name] for s in self.summaries if s.attributes.get(name)), None)
            if value is not None:
                return filter_query(name, value)
        return S.TRANSCRIPTS_FILTER_EXAMPLE

    def _summary_text(self) -> str:
        if not self.summaries:
            return S.NO_TRANSCRIPTS
        # "respondent_type=..." in a project without that attribute: say so, as the CLI's --where does.
        conditions, _ = parse_filter(self.query_one(Input).value)
        known = {k.lower(): k for s in self.summaries for k in s.attributes}
        unknown = next((name for name, _ in conditions if name not in known), None)
        if unknown is not None:
            names = ", ".join(sorted(known.values(), key=str.casefold)) or S.TRANSCRIPTS_NO_ATTRIBUTES
            return S.TRANSCRIPTS_FILTER_UNKNOWN.format(name=one_line(unknown), known=one_line(names))
        detached = sum(self.detached.values())
        return S.TRANSCRIPTS_SUMMARY.format(
            shown=len(self.shown),
            total=len(self.summaries),
            codings=sum(s.codings for s in self.summaries),
            detached=S.TRANSCRIPTS_DETACHED.format(count=detached, key=self.app.key_of("detached")) if detached else "",
            codebook=self.project.codebook.title,
            codes=len(self.project.codebook),
            coder=self.app.coder,
            pending=sum(self.pending.values()),
        )

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(RowTable).focus()

    def action_focus_filter(self) -> None:
        self.set_focus(self.query_one(Input))  # at once: the letters typed right after "/" are for it

    def action_clear_filter(self) -> None:
        search = self.query_one(Input)
        if search.value:
            search.value = ""
        self.query_one(RowTable).focus()

    def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
        event.stop()
        self.app.open_transcript(int(event.key))

    def action_open(self) -> None:
        key = self.query_one(RowTable).cursor_key
        if key is not None:
            self.app.open_transcript(int(key))

    def action_memo(self) -> None:
        """The memo on the highlighted transcript as a whole."""
        from ..widgets.memo import open_transcript_memo  # here: it brings the text area (5 ms of the first screen)

        key = self.query_one(RowTable).cursor_key
        if key is not None:
            open_transcript_memo(self.app, self.project.store, int(key), self._memo_saved)

    def _memo_saved(self, text: str) -> None:
        self.reload()
        self.flash(text)

    def action_suggest(self) -> None:
        """Suggestions for the transcripts in the list (all of them without a filter)."""
        if not self.shown:
            return
        if len(self.shown) == len(self.summaries):
            self.app.start_suggestions(None, S.JOB_SUGGEST_ALL)
        else:
            self.app.start_suggestions([s.id for s in self.shown], S.JOB_SUGGEST_LISTED.format(count=len(self.shown)))

    def flash(self, text: str) -> None:
        """A message in the summary line; it fades after a while."""
        summary = self.query_one("#transcripts-summary", Static)
        summary.update(Text.assemble((text, "italic"), " │ ", self._summary_text()))
        if self._message_timer is not None:
            self._message_timer.stop()
        self._message_timer = self.set_timer(S.MESSAGE_SECONDS, self._fade)

    def _fade(self) -> None:
        self._message_timer = None
        self.query_one("#transcripts-summary", Static).update(self._summary_text())

    def palette_commands(self) -> list[PaletteCommand]:
        """Filter by each attribute value."""
        commands = []
        values = sorted({(k, v) for s in self.summaries for k, v in s.attributes.items()})
        for name, value in values:
            query = filter_query(name, value)
            commands.append(
                PaletteCommand(f"{S.BINDINGS['filter_transcripts']}: {query}", "", lambda q=query: self._set_filter(q))
            )
        return commands

    def _set_filter(self, query: str) -> None:
        self.query_one(Input).value = query
        self.query_one(RowTable).focus()
