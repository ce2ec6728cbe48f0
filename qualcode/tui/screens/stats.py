"""The statistics screen: frequency tables, charts, co-occurrence heat map, CSV export.

``StatsScreen(project)`` is a standalone screen; the app pushes it. All counting
and exporting runs in thread workers over their own store connection (SQLite
connections belong to one thread). Workers never touch widgets: they post
``Progress``, ``Computed``, ``Exported`` or ``Failed`` messages and the handlers,
on the UI thread, update the screen. The numbers come from the same core functions
as ``qualcode stats`` and ``qualcode export segments``.

``g`` opens the list of groupings (attributes, transcript, speaker, role) to pick
from; the tabs have number keys, shown on the tabs and in the footer. The export
dialog exports on Enter wherever the focus is (Space toggles its checkbox, which
reads ✓ or blank) and asks before replacing a file that exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, DataTable, Header, Input, Label, ProgressBar, Select, Static, TabbedContent, TabPane
from textual.worker import get_current_worker

from ...analysis import (
    ALL,
    ROLE,
    SPEAKER,
    TRANSCRIPT,
    Cancelled,
    CodeMatrix,
    FrequencyTable,
    code_matrix,
    cooccurrence,
    frequencies,
    frequency_rows,
    matrix_rows,
    select,
)
from ...analysis.chart import Chart, frequency_chart
from ...analysis.matrices import OVERLAP, TURN, cells_caption
from ...display import percent
from ...errors import QualcodeError
from ...project import Project
from ...refi.ids import slugify
from ...team.coders import coders_in
from ...termsafe import one_line
from ..widgets.checks import CheckBox
from ..widgets.footer import KeysFooter
from ..widgets.kept import KeepsTyping
from ..widgets.wide import WideTable
from . import stats_strings as S
from .base import QualcodeScreen
from .stats_chart import BarChart

NO_GROUPING = ""  # the Select's value for "no grouping"
HEAT_MAX = 0.85  # the strongest shade: the primary colour almost fully over the surface


@dataclass(slots=True)
class StatsResult:
    """Everything one count produced (computed in a worker, shown by the screen)."""

    table: FrequencyTable
    cooccurrence: CodeMatrix
    matrix: CodeMatrix
    coders: list[str]  # whose codings were counted


@dataclass(slots=True)
class ExportRequest:
    """What the export dialog returns: the file, and whether its box was ticked (a CSV for
    Excel with a Dutch locale; a .qdpx with positions as NVivo for Windows counts them)."""

    path: Path
    ticked: bool


class ExportDialog(KeepsTyping[ExportRequest | None]):
    """Ask where to write a file (a CSV, an SVG, a .qdpx) and the one choice its box offers;
    dismiss with the answer or None.

    A file that exists is replaced only after a second Enter, with the warning on screen. A path
    typed and left with Esc is kept: the next export of the same kind offers it again.
    """

    CSS_PATH = "stats.tcss"
    BINDINGS = [
        Binding("escape", "cancel", S.EXPORT_CANCEL, id="stats.export.cancel"),
        Binding("enter", "submit", S.EXPORT_OK, id="stats.export.ok"),
    ]

    def __init__(self, title: str, default: Path, box: str = S.EXPORT_EXCEL) -> None:
        super().__init__()
        self.title_text = title
        self.default = default
        self.keep_as = f"export: {title}"  # a path typed for one kind of export is offered for that kind
        self.box = box  # what ticking the box asks for
        self._confirmed: Path | None = None  # the existing file the user agreed to replace

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog"):
            yield Label(self.title_text, id="export-title", markup=False)
            yield Label(S.EXPORT_PATH_LABEL, markup=False)
            yield Input(self.kept_text(str(self.default)), id="export-path")
            yield CheckBox(self.box, id="export-excel")
            yield Static("", id="export-warning", classes="hidden", markup=False)
            with Horizontal(id="export-buttons"):
                yield Button(S.EXPORT_OK, variant="primary", id="export-ok")
                yield Button(S.EXPORT_CANCEL, id="export-cancel")
            yield Label(S.EXPORT_HELP, id="export-help", markup=False)
        yield KeysFooter()  # its own keys, not those of the screen beneath

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._confirmed = None
        self.query_one("#export-warning").add_class("hidden")
        self.query_one("#export-ok", Button).label = S.EXPORT_OK

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-ok")
    def action_submit(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            self.notify(S.EXPORT_NO_PATH, severity="warning", markup=False)
            return
        path = Path(text).expanduser()
        from ...output_target import check_output

        try:  # as every --out: never the project's own files, a folder or a read-only file
            check_output(path, True, makes_folder=True)
        except QualcodeError as exc:  # said in the dialog, which stays open for another name
            self._warn(exc.message)
            self.notify(exc.message, title=exc.code, severity="error", markup=False)
            return
        if path.is_file() and self._confirmed != path:
            self._confirmed = path
            self._warn(S.EXPORT_EXISTS.format(path=path))
            self.query_one("#export-ok", Button).label = S.EXPORT_REPLACE
            return
        self.forget_typing()
        self.dismiss(ExportRequest(path, self.query_one("#export-excel", CheckBox).value))

    def _warn(self, text: str) -> None:
        """Show ``text`` in the dialog's warning line (hidden again when the name changes)."""
        warning = self.query_one("#export-warning", Static)
        warning.update(text)
        warning.remove_class("hidden")

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.keep_typing(self.query_one("#export-path", Input).value, str(self.default))
        self.dismiss(None)


class StatsScreen(QualcodeScreen):
    """Frequencies (by group), a chart, co-occurrence and the code x transcript matrix."""

    SCREEN = "stats"  # its name in the app's screen registry
    CSS_PATH = "stats.tcss"
    # The tab keys are on the tabs; the footer shows the others, those used most first, as many as
    # fit (at 80 columns not all do: every one is in the help screen, ?).
    BINDINGS = [
        Binding("e", "export_table", S.BIND_EXPORT, tooltip=S.HELP_EXPORT, id="stats.export_table"),
        Binding("s", "export_segments", S.BIND_SEGMENTS, tooltip=S.HELP_SEGMENTS, id="stats.export_segments"),
        Binding("q", "export_qdpx", S.BIND_QDPX, tooltip=S.HELP_QDPX, id="stats.export_qdpx"),
        Binding("c", "next_coder", S.BIND_CODERS, tooltip=S.HELP_CODERS, id="stats.coder"),
        Binding("g", "choose_grouping", S.BIND_GROUP, tooltip=S.HELP_GROUP, id="stats.group"),
        Binding("escape", "close", S.BIND_CLOSE, tooltip=S.HELP_CLOSE, id="stats.close"),
        Binding("u", "toggle_unit", S.BIND_UNIT, tooltip=S.HELP_UNIT, id="stats.unit"),
        Binding("t", "toggle_chart_level", S.BIND_LEVEL, tooltip=S.HELP_LEVEL, id="stats.chart_level"),
        Binding("r", "recount", S.BIND_REFRESH, tooltip=S.HELP_REFRESH, id="stats.recount"),
        *(
            Binding(
                str(key), f"show_tab('{tab}')", label, tooltip=S.HELP_TAB.format(name=name), show=False, id=f"stats.tab.{tab}"
            )
            for key, tab, label, name in (
                (1, "frequencies", S.KEY_FREQUENCIES, S.TAB_FREQUENCIES),
                (2, "chart", S.KEY_CHART, S.TAB_CHART),
                (3, "cooccurrence", S.KEY_COOCCURRENCE, S.TAB_COOCCURRENCE),
                (4, "matrix", S.KEY_MATRIX, S.TAB_MATRIX),
            )
        ),
    ]

    class Progress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Computed(Message):
        def __init__(self, result: StatsResult) -> None:
            super().__init__()
            self.result = result

    class Exported(Message):
        def __init__(self, path: Path, rows: int, said: str = S.EXPORTED, **more: object) -> None:
            super().__init__()
            self.path, self.rows, self.said, self.more = path, rows, said, more  # more: said's other fields

    class Failed(Message):
        def __init__(self, error: QualcodeError) -> None:
            super().__init__()
            self.error = error

    class Warned(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, project: Project, export: str | None = None) -> None:
        """``export``: open an export dialog at once (``"segments"``, or ``"table"`` once counted)."""
        super().__init__(project)
        self.export = export
        self.result: StatsResult | None = None
        self.view: dict = {}  # as left this session: grouping, unit, coder, tab, chart level (see compose)
        self.all_codes_in_chart = False
        self.coder: str | None = None  # count only this coder's codings (None: everyone's)
        self._counted_with: tuple[str | None, str, str | None] | None = None

    # --- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # As the researcher left the screen this session (Esc, then Ctrl+T again opened it with
        # no grouping, on the first tab).
        self.view = dict(getattr(self.app, "stats_view", {}))
        self.all_codes_in_chart = bool(self.view.get("all_codes", False))
        self.coder = self.view.get("coder")
        yield Header()
        with Horizontal(id="stats-controls"):
            yield Label(S.BY_LABEL, classes="stats-label", markup=False)
            groupings = self._grouping_options()
            by = self.view.get("by", NO_GROUPING)
            by = by if by in {value for _, value in groupings} else NO_GROUPING  # an attribute gone since
            yield Select(groupings, value=by, allow_blank=False, id="stats-by")
            yield Label(S.UNIT_LABEL, classes="stats-label", markup=False)
            unit = self.view.get("unit") if self.view.get("unit") in (OVERLAP, TURN) else OVERLAP
            yield Select([(S.UNIT_OVERLAP, OVERLAP), (S.UNIT_TURN, TURN)], value=unit, allow_blank=False, id="stats-unit")
        with TabbedContent(id="stats-tabs"):
            with TabPane(S.TAB_KEY.format(key=1, name=S.TAB_FREQUENCIES), id="frequencies"):
                yield WideTable(id="stats-frequencies", cursor_type="row", zebra_stripes=True, header_height=2)
            with TabPane(S.TAB_KEY.format(key=2, name=S.TAB_CHART), id="chart"), VerticalScroll(id="stats-chart-scroll"):
                yield BarChart(id="stats-chart")
            with TabPane(S.TAB_KEY.format(key=3, name=S.TAB_COOCCURRENCE), id="cooccurrence"):
                yield Static("", id="stats-cooccurrence-legend", markup=False)
                yield WideTable(id="stats-cooccurrence", cursor_type="cell")
            with TabPane(S.TAB_KEY.format(key=4, name=S.TAB_MATRIX), id="matrix"):
                yield Static("", id="stats-matrix-legend", markup=False)
                yield WideTable(id="stats-matrix", cursor_type="cell", zebra_stripes=True)
        with Horizontal(id="stats-status"):
            yield Static("", id="stats-message", markup=False)
            yield ProgressBar(id="stats-progress", show_eta=False)
        yield KeysFooter()

    def _grouping_options(self) -> list[tuple[Text, str]]:
        # all_attributes is one small query; the screen is built on the UI thread. Text, not
        # str: an attribute's name is no markup ('[/b]' in one stopped the app).
        names = sorted({n for values in self.project.store.transcripts.all_attributes().values() for n in values})
        return [
            (Text(S.BY_NONE), NO_GROUPING),
            *((Text(S.BY_ATTRIBUTE.format(name=n)), n) for n in names),
            (Text(S.BY_TRANSCRIPT), TRANSCRIPT),
            (Text(S.BY_SPEAKER), SPEAKER),
            (Text(S.BY_ROLE), ROLE),
        ]

    def on_mount(self) -> None:
        self.title = S.TITLE
        self.sub_title = self.project.root.name
        # Load (and sync into the store) on this thread; workers only read this object.
        self.codebook = self.project.codebook
        self.query_one("#stats-progress").display = False
        self.query_one("#stats-frequencies").focus()
        self.recount()
        if self.view.get("tab") not in (None, "frequencies"):
            self.action_show_tab(self.view["tab"])
        if self.export in ("segments", "qdpx"):
            export, self.export = self.export, None
            self.call_after_refresh(self.action_export_segments if export == "segments" else self.action_export_qdpx)

    # --- counting in a worker -------------------------------------------------------

    @property
    def by(self) -> str | None:
        return self.query_one("#stats-by", Select).value or None

    @property
    def unit(self) -> str:
        return self.query_one("#stats-unit", Select).value

    def _remember(self, **changed: object) -> None:
        """Keep the view for the next opening in this session (see ``__init__``)."""
        self.view.update(changed)
        self.app.stats_view = dict(self.view)

    @on(TabbedContent.TabActivated, "#stats-tabs")
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._remember(tab=event.pane.id)

    def recount(self) -> None:
        self._remember(by=self.by or NO_GROUPING, unit=self.unit, coder=self.coder)
        self._counted_with = (self.by, self.unit, self.coder)
        self._set_message(S.COUNTING)
        self._count(self.by, self.unit, self.coder)

    @work(thread=True, exclusive=True, group="stats-count", name="count codings")
    def _count(self, by: str | None, unit: str, coder: str | None) -> None:
        worker = get_current_worker()
        store = self.project.new_store()
        book = self.codebook
        # Three passes over the codings; progress runs over all three.
        passes = 3 if by != TRANSCRIPT else 2

        def progress_for(step: int):
            def progress(done: int, total: int) -> None:
                self.post_message(self.Progress(step * total + done, passes * total))

            return progress

        def cancelled() -> bool:
            return worker.is_cancelled

        try:
            chosen = _of_coder(store, book, coder)
            table = frequencies(store, book, chosen, by=by, progress=progress_for(0), cancelled=cancelled)
            co = cooccurrence(store, book, chosen, unit=unit, progress=progress_for(1), cancelled=cancelled)
            if by == TRANSCRIPT:
                matrix = _matrix_from(table)
            else:
                matrix = code_matrix(store, book, chosen, by=TRANSCRIPT, progress=progress_for(2), cancelled=cancelled)
            self.post_message(self.Computed(StatsResult(table, co, matrix, coders_in(store, None, chosen.coders))))
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
        except Cancelled:
            pass
        finally:
            store.close()

    def reload(self, change: object = None) -> None:
        """Codings changed (an undo, another window): count again (the base class waits until shown)."""
        self.recount()

    def on_stats_screen_progress(self, message: Progress) -> None:
        bar = self.query_one("#stats-progress", ProgressBar)
        bar.display = message.done < message.total
        bar.update(total=message.total, progress=message.done)

    def on_stats_screen_computed(self, message: Computed) -> None:
        self.result = message.result
        if self.export == "table":
            self.export = None
            self.call_after_refresh(self.action_export_table)
        self.query_one("#stats-progress").display = False
        table = message.result.table
        if not any(row.total.codings for row in table.rows):
            self._set_message(S.NO_CODINGS)
        else:
            ready = S.READY.format(transcripts=table.total.transcripts, words=table.total.words)
            coders = message.result.coders
            if self.coder is not None:
                ready = S.READY_ONE_CODER.format(coder=one_line(self.coder)) + ready
            elif len(coders) > 1:  # as the CLI says it (its --coders is the key c here)
                ready = S.READY_CODERS.format(count=len(coders), names=", ".join(one_line(c) for c in coders)) + ready
            self._set_message(ready)
        self._fill_frequencies(table)
        self._fill_heat_map(message.result.cooccurrence)
        self._fill_matrix(message.result.matrix)
        self._draw_chart()

    def on_stats_screen_failed(self, message: Failed) -> None:
        self.query_one("#stats-progress").display = False
        error = message.error
        self._set_message(error.message)
        self.notify(f"{error.message}\n{error.hint or ''}".strip(), severity="error", timeout=8, markup=False)

    def _set_message(self, text: str) -> None:
        self.query_one("#stats-message", Static).update(text)

    # --- tables ---------------------------------------------------------------------

    def _fill_frequencies(self, table: FrequencyTable) -> None:
        total = table.total
        if not table.groups:
            labels = [
                S.COL_CODE,
                S.COL_SEGMENTS,
                S.COL_CODINGS,
                S.COL_TRANSCRIPTS,
                S.COL_SHARE,
                S.COL_WORDS,
                S.COL_CHARS,
                S.COL_COVERAGE,
            ]
            rows = []
            for row in table.rows:
                m = row.total
                rows.append(
                    [_code_label(row.code),
                     *_right(m.segments, m.codings, f"{m.transcripts}/{total.transcripts}", percent(total.share(m)),
                             m.words, m.chars, percent(total.coverage(m), 1))]
                )  # fmt: skip
        else:
            labels = [S.COL_CODE, S.COL_ALL_SEGMENTS]
            for g in table.groups:
                labels += [
                    S.COL_GROUP_SEGMENTS.format(group=g.name),
                    S.COL_GROUP_TRANSCRIPTS.format(size=g.transcripts),
                    S.COL_GROUP_COVERAGE,
                ]
            rows = []
            for row in table.rows:
                cells = [row.total.segments]
                for g in table.groups:
                    m = row.in_group(g.name)
                    cells += [m.segments, f"{m.transcripts} {percent(g.share(m))}", percent(g.coverage(m), 1)]
                rows.append([_code_label(row.code), *_right(*cells)])
        _fill(self.query_one("#stats-frequencies", DataTable), labels, rows, [r.code.id for r in table.rows])

    def _fill_heat_map(self, matrix: CodeMatrix) -> None:
        """Cells shaded from the surface colour to the primary colour by their count."""
        variables = self.app.theme_variables
        surface, primary = Color.parse(variables["surface"]), Color.parse(variables["primary"])
        top = matrix.maximum or 1
        rows = []
        for i, (code, cells) in enumerate(zip(matrix.rows, matrix.cells, strict=True)):
            row = [Text(f"{i + 1:>2} ") + _code_label(code)]
            for j, value in enumerate(cells):
                if i == j:  # the diagonal counts codings (or turns) of one code: not shaded
                    row.append(Text(str(value), style="italic dim", justify="right"))
                    continue
                shade = surface.blend(primary, HEAT_MAX * value / top) if value else surface
                style = f"{shade.get_contrast_text(1.0).hex} on {shade.hex}"
                row.append(Text(str(value) if value else "·", style=style, justify="right"))
            rows.append(row)
        labels = [S.COL_CODE, *(str(i) for i in range(1, len(matrix.columns) + 1))]
        _fill(self.query_one("#stats-cooccurrence", DataTable), labels, rows, [c.id for c in matrix.rows])
        caption = cells_caption(matrix)
        self.query_one("#stats-cooccurrence-legend", Static).update(caption[:1].upper() + caption[1:])

    def _fill_matrix(self, matrix: CodeMatrix) -> None:
        """Numbered transcript columns (narrow, so many fit), their names in a legend above."""
        rows = [
            [_code_label(code), *_right(*(v if v else "·" for v in cells))]
            for code, cells in zip(matrix.rows, matrix.cells, strict=True)
        ]
        labels = [S.COL_CODE, *(str(i) for i in range(1, len(matrix.columns) + 1))]
        _fill(self.query_one("#stats-matrix", DataTable), labels, rows, [c.id for c in matrix.rows])
        legend = "  ".join(f"{i} {name}" for i, name in enumerate(matrix.columns, 1))
        self.query_one("#stats-matrix-legend", Static).update(S.MATRIX_LEGEND.format(columns=legend))

    # --- chart ----------------------------------------------------------------------

    def _draw_chart(self) -> None:
        """Segments per code; grouped, each group's coverage (comparable across group sizes)."""
        if self.result is None:
            return
        chart = frequency_chart(self.result.table, all_codes=self.all_codes_in_chart)
        labels = [("  " * depth) + label for label, depth in zip(chart.labels, chart.depths, strict=True)]
        self.query_one("#stats-chart", BarChart).plot(chart.title, labels, chart.series, chart.value_format)

    # --- actions --------------------------------------------------------------------

    @on(Select.Changed, "#stats-by")
    @on(Select.Changed, "#stats-unit")
    def _options_changed(self, event: Select.Changed) -> None:
        # Selects also report their first value; count again only for a real change
        # (a count still running is cancelled: the worker group is exclusive).
        if (self.by, self.unit, self.coder) != self._counted_with:
            self.recount()

    def action_next_coder(self) -> None:
        """Count every coder's codings, then each coder's alone in turn (as ``--coders``)."""
        coders = coders_in(self.project.store)  # from the index: a small query on the UI thread
        if len(coders) < 2 and self.coder is None:
            self.notify(S.ONE_CODER_ONLY, markup=False)
            return
        cycle: list[str | None] = [None, *coders]
        at = cycle.index(self.coder) if self.coder in cycle else 0
        self.coder = cycle[(at + 1) % len(cycle)]
        self.recount()

    def action_choose_grouping(self) -> None:
        """Open the list of groupings (Enter picks one, Esc closes the list)."""
        select = self.query_one("#stats-by", Select)
        select.focus()
        select.expanded = True

    @on(DataTable.CellHighlighted, "#stats-matrix")
    def _matrix_cell(self, event: DataTable.CellHighlighted) -> None:
        """Name the transcript and code of the cell at the cursor (the columns are numbered)."""
        matrix = self.result.matrix if self.result is not None else None
        row, column = event.coordinate.row, event.coordinate.column
        if matrix is None or column == 0 or row >= len(matrix.rows) or column > len(matrix.columns):
            return
        value = matrix.cells[row][column - 1]
        self._set_message(S.MATRIX_CELL.format(code=matrix.rows[row].name, transcript=matrix.columns[column - 1], value=value))

    def action_toggle_unit(self) -> None:
        select = self.query_one("#stats-unit", Select)
        select.value = TURN if select.value == OVERLAP else OVERLAP

    def action_toggle_chart_level(self) -> None:
        self.all_codes_in_chart = not self.all_codes_in_chart
        self._remember(all_codes=self.all_codes_in_chart)
        self._draw_chart()

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#stats-tabs", TabbedContent).active = tab
        widget = next((w for w in self.query_one(f"#{tab}").query("*") if w.can_focus), None)
        if widget is not None:
            widget.focus()

    def action_recount(self) -> None:
        self.recount()

    def action_close(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_export_table(self) -> None:
        if self.result is None:
            return
        tab = self.query_one("#stats-tabs", TabbedContent).active or "frequencies"
        kind = "frequencies" if tab == "chart" else tab
        chart = None
        if tab == "chart":  # the chart as shown (its level of codes), as an SVG
            chart = frequency_chart(self.result.table, all_codes=self.all_codes_in_chart)
            suffix = f"_by_{self.result.table.by}" if self.result.table.by else ""
            name, title = S.DEFAULT_NAMES["chart"].format(suffix=suffix), S.EXPORT_CHART_TITLE
            columns, rows = frequency_rows(self.result.table)
        elif kind == "frequencies":
            suffix = f"_by_{self.result.table.by}" if self.result.table.by else ""
            name, title = S.DEFAULT_NAMES[kind].format(suffix=suffix), S.TAB_FREQUENCIES
            columns, rows = frequency_rows(self.result.table)
        elif kind == "cooccurrence":
            name = S.DEFAULT_NAMES[kind].format(unit=self.result.cooccurrence.unit)
            title = S.TAB_COOCCURRENCE
            columns, rows = matrix_rows(self.result.cooccurrence)
        else:
            name, title = S.DEFAULT_NAMES[kind], S.TAB_MATRIX
            columns, rows = matrix_rows(self.result.matrix)

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self._set_message(S.EXPORTING.format(path=request.path))
                if chart is not None and request.path.suffix.lower() == ".svg":
                    self._export_chart(request, chart)
                else:
                    self._export_table(request, columns, rows)

        heading = title if chart is not None else S.EXPORT_TABLE_TITLE.format(table=title)
        self.app.push_screen(ExportDialog(heading, self._default_path(name)), chosen)

    def action_export_segments(self) -> None:
        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self._set_message(S.EXPORTING.format(path=request.path))
                self._export_segments(request)

        self.app.push_screen(ExportDialog(S.EXPORT_SEGMENTS_TITLE, self._default_path(S.DEFAULT_NAMES["segments"])), chosen)

    def action_export_qdpx(self) -> None:
        """The whole project as REFI-QDA (what ``qualcode export qdpx`` writes), in a worker."""

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                self._set_message(S.EXPORTING.format(path=request.path))
                self._export_qdpx(request)

        default = self.project.root / S.EXPORT_FOLDER / S.DEFAULT_NAMES["qdpx"].format(project=slugify(self.project.root.name))
        self.app.push_screen(ExportDialog(S.EXPORT_QDPX_TITLE, default, S.EXPORT_UTF16), chosen)

    def _default_path(self, name: str) -> Path:
        if self.coder is not None:  # one coder's figures: the file says whose, beside everyone's
            stem, _, suffix = name.rpartition(".")
            name = f"{stem}_{slugify(self.coder, fallback='coder')}.{suffix}"
        return self.project.root / S.EXPORT_FOLDER / name

    @work(thread=True, exclusive=True, group="stats-export", name="export table")
    def _export_table(self, request: ExportRequest, columns: list[str], rows: list[list]) -> None:
        from ...export import CsvStyle, CsvWriter, atomic_output

        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_output(request.path) as handle:
                writer = CsvWriter(handle, CsvStyle(excel=request.ticked))
                writer.header(columns)
                writer.rows(rows)
            self.post_message(self.Exported(request.path, len(rows)))
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
        except OSError as exc:  # the folder could not be made
            self.post_message(self.Failed(_unwritable(request.path, exc)))

    @work(thread=True, exclusive=True, group="stats-export", name="export chart")
    def _export_chart(self, request: ExportRequest, chart: Chart) -> None:
        from ...export.chart_svg import write_chart_svg

        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            write_chart_svg(chart, request.path)
            self.post_message(self.Exported(request.path, len(chart.labels), S.EXPORTED_CHART))
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
        except OSError as exc:  # the folder could not be made, or the file written
            self.post_message(self.Failed(_unwritable(request.path, exc)))

    @work(thread=True, exclusive=True, group="stats-export", name="export segments")
    def _export_segments(self, request: ExportRequest) -> None:
        from ...export import CsvStyle, CsvWriter, atomic_output, export_segments

        worker = get_current_worker()
        store = self.project.new_store()
        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            self._warn_of_names(store)
            with atomic_output(request.path) as handle:
                chosen = _of_coder(store, self.codebook, self.coder)
                rows = export_segments(
                    store,
                    self.codebook,
                    CsvWriter(handle, CsvStyle(excel=request.ticked)),
                    chosen,
                    progress=lambda done, total: self.post_message(self.Progress(done, total)),
                    cancelled=lambda: worker.is_cancelled,
                )
            self.post_message(self.Exported(request.path, rows))
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
        except OSError as exc:
            self.post_message(self.Failed(_unwritable(request.path, exc)))
        except Cancelled:
            pass  # atomic_output removed the partial file
        finally:
            store.close()

    @work(thread=True, exclusive=True, group="stats-export", name="export qdpx")
    def _export_qdpx(self, request: ExportRequest) -> None:
        from ...project import opened
        from ...refi.project_export import export_qdpx

        try:
            request.path.parent.mkdir(parents=True, exist_ok=True)
            with opened(self.project.root) as project:  # its own connection: this is a worker thread
                self._warn_of_names(project.store)
                result = export_qdpx(
                    project,
                    request.path,
                    positions="utf16" if request.ticked else "codepoints",
                    user=self.app.coder,
                    progress=lambda done, total, _name: self.post_message(self.Progress(done, total)),
                )
            self.post_message(
                self.Exported(
                    request.path, result.codings, S.EXPORTED_QDPX,
                    transcripts=result.transcripts, codes=result.codes, coders=result.coders,
                )
            )  # fmt: skip
            for warning in result.warnings:
                self.post_message(self.Warned(warning))
        except QualcodeError as exc:
            self.post_message(self.Failed(exc))
        except OSError as exc:
            self.post_message(self.Failed(_unwritable(request.path, exc)))

    def _warn_of_names(self, store) -> None:
        """In a worker: say when the export will carry names the pseudonymisation key holds (as
        the CLI's exports say it)."""
        from ...pseudonymise.review import still_named

        count = still_named(store, self.project.root)
        if count:
            self.post_message(self.Warned(S.EXPORT_STILL_NAMED.format(count=count)))

    def on_stats_screen_warned(self, message: Warned) -> None:
        self.notify(message.text, severity="warning", timeout=10, markup=False)

    def on_stats_screen_exported(self, message: Exported) -> None:
        self.query_one("#stats-progress").display = False
        text = message.said.format(rows=message.rows, path=message.path, **message.more)
        self._set_message(text)
        self.notify(text, markup=False)


def _fill(grid: DataTable, labels: list[str], rows: list[list[Text]], keys: list[str]) -> None:
    """Replace a table's content. Column widths are set here, from the content: the
    table's own auto-width is settled only when it is idle, and a render in between
    leaves cells cut to the header's width in its cache."""
    grid.clear(columns=True)
    for i, label in enumerate(labels):
        width = max([cell_len(line) for line in label.split("\n")] + [row[i].cell_len for row in rows])
        grid.add_column(Text(label), width=width, key=f"col{i}")  # a transcript's or a value's name: no markup
    for key, row in zip(keys, rows, strict=True):
        grid.add_row(*row, key=key)


def _matrix_from(table: FrequencyTable) -> CodeMatrix:
    """The code x transcript matrix (segments) out of a table already grouped by transcript."""
    cells = [[row.in_group(g.name).segments for g in table.groups] for row in table.rows]
    return CodeMatrix([r.code for r in table.rows], [g.name for g in table.groups], cells, "matrix", "segments")


def _unwritable(path: Path, exc: OSError) -> QualcodeError:
    from ...errors import OUTPUT_UNWRITABLE, write_error

    return write_error(OUTPUT_UNWRITABLE, path, exc)


def _code_label(code) -> Text:
    text = Text("  " * code.depth + code.name)
    if code.depth == 0:
        text.stylize("bold")
    if code.missing:
        text.stylize("italic")
    return text


def _right(*values) -> list[Text]:
    return [Text(f"{v:,}" if isinstance(v, int) else str(v), justify="right") for v in values]


__all__ = ["ExportDialog", "ExportRequest", "StatsResult", "StatsScreen"]


def _of_coder(store, book, coder: str | None):
    """What the screen counts: every coding, or one coder's (the key c)."""
    return ALL if coder is None else select(store, book, coders=[coder])
