"""The statistics screen through Pilot (in a tiny host app) and snapshots.

Every wait is on the screen's workers, never a sleep. The fixture project is the
hand-computed one of analysis_fixture, so the numbers shown can be checked.
"""

from __future__ import annotations

import csv
import io

import pytest
from analysis_fixture import build
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.widgets import Checkbox, DataTable, Input, ProgressBar, Select, Static

from qualcode.analysis import source
from qualcode.project import Project
from qualcode.tui.screens.stats import ExportDialog, StatsScreen
from qualcode.tui.screens.stats_chart import BarChart

SIZE = (120, 34)


class Host(App):
    """Stands in for the main app: pushes the statistics screen on start."""

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.push_screen(StatsScreen(self.project))


@pytest.fixture
def project(tmp_path):
    p = Project.open(build(tmp_path / "p"))
    yield p
    p.close()


async def settle(pilot) -> None:
    """Let the screen mount, its workers finish and their messages be handled."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def cells(grid: DataTable, row_key: str) -> list[str]:
    return [str(c) for c in grid.get_row(row_key)]


async def choose(pilot, select_id: str, value: str) -> None:
    pilot.app.screen.query_one(select_id, Select).value = value
    await settle(pilot)


async def test_stats_screen_counts_in_a_worker_and_fills_the_tables(project):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        grid = screen.query_one("#stats-frequencies", DataTable)
        assert grid.row_count == 8  # 6 codebook codes, (missing) and 'oud'
        #                              segments codings transcripts share words chars coverage
        assert cells(grid, "rol")[1:] == ["3", "4", "2/4", "50%", "12", "67", "30.0%"]
        assert cells(grid, "oud")[0].strip() == "Oude code"
        matrix = screen.query_one("#stats-matrix", DataTable)
        assert cells(matrix, "rol")[1:] == ["2", "1", "·", "·"]  # t1..t4
        assert "4 transcript(s), 40 words" in str(screen.query_one("#stats-message", Static).render())


async def test_stats_screen_groups_side_by_side(project):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await choose(pilot, "#stats-by", "type")
        grid = app.screen.query_one("#stats-frequencies", DataTable)
        labels = [str(c.label) for c in grid.columns.values()]
        assert labels[2:5] == ["gemengd\nsegments", "n=1\ntranscripts", "\ncoverage"]
        # rol: all 3 | gemengd 0, 0 0% | org 2, 1 100% | prof 1, 1 50%
        assert cells(grid, "rol")[1:] == ["3", "0", "0 0%", "0.0%", "2", "1 100%", "43.5%", "1", "1 50%", "14.3%"]
        chart = app.screen.query_one("#stats-chart", BarChart)
        assert [s.name for s in chart.series] == ["gemengd", "org", "prof"]
        assert chart.labels == ["Rolverwachtingen", "Eigen kracht", "Map", "(missing from the codebook)"]


async def test_stats_screen_g_opens_the_grouping_list_and_t_the_chart_level(project):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")  # the list opens: nothing is picked by the key itself
        select = app.screen.query_one("#stats-by", Select)
        assert select.expanded and select.value == ""
        await pilot.press("down", "enter")
        await settle(pilot)
        assert select.value == "type" and not select.expanded
        await pilot.press("g", "escape")  # Esc closes the list, not the screen
        assert isinstance(app.screen, StatsScreen) and not select.expanded
        await pilot.press("1")  # the tab keys take the focus back to the tables
        await pilot.press("t")
        chart = app.screen.query_one("#stats-chart", BarChart)
        assert len(chart.labels) == 8  # every code, not only the top level


async def test_stats_screen_heat_map_shades_by_count(project):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u")  # co-occurrence in the same turn
        await settle(pilot)
        assert app.screen.query_one("#stats-unit", Select).value == "turn"
        grid = app.screen.query_one("#stats-cooccurrence", DataTable)
        row = grid.get_row("rol_org")  # rol_org rol_prof kracht oud: 2 (diagonal), 1, 2, 1
        assert [c.plain.strip() for c in row[1:]] == ["2", "1", "2", "1"]
        primary = Color.parse(app.theme_variables["primary"])

        def distance_to_primary(cell) -> int:
            background = Color.from_rich_color(Style.parse(cell.style).bgcolor)
            return sum(abs(a - b) for a, b in zip(background.rgb, primary.rgb, strict=True))

        # 2 shared turns is shaded nearer the primary colour than 1
        assert distance_to_primary(row[3]) < distance_to_primary(row[2])
        assert "italic" in str(row[1].style)  # the diagonal is not shaded


async def test_stats_screen_exports_the_current_table_and_shows_the_path(project, tmp_path):
    app = Host(project)
    target = tmp_path / "out" / "freq.csv"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == str(project.root / "exports" / "frequencies.csv")
        path_input.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        message = str(app.screen.query_one("#stats-message", Static).render())
        assert f"Exported 8 row(s) to {target}" in message
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    assert [r["code_id"] for r in rows][:2] == ["rol", "rol_org"]
    assert rows[0]["segments"] == "3"


async def test_stats_screen_e_on_the_chart_tab_exports_the_chart_as_svg(project, tmp_path):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and "SVG" in dialog.title_text
        path_input = dialog.query_one("#export-path", Input)
        assert path_input.value == str(project.root / "exports" / "chart.svg")
        await pilot.press("enter")
        await settle(pilot)
        message = str(app.screen.query_one("#stats-message", Static).render())
        assert "Exported the chart" in message
    svg = (project.root / "exports" / "chart.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg" in svg and "Segments per code" in svg


async def test_stats_screen_exports_segments_with_progress(project, tmp_path, monkeypatch):
    monkeypatch.setattr(source.Ticker.__init__, "__defaults__", (1,))  # report after every coding
    app = Host(project)
    target = tmp_path / "segments.csv"
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-excel", Checkbox).value = True
        await pilot.click("#export-ok")
        await settle(pilot)
        bar = app.screen.query_one("#stats-progress", ProgressBar)
        assert (bar.total, bar.progress) == (8, 8)
        assert not bar.display  # hidden again when done
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcoding_id;transcript;")
    assert len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))) == 9


async def test_stats_screen_export_error_is_shown_not_raised(project, tmp_path):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(tmp_path)  # a folder, not a file
        await pilot.press("enter")
        await settle(pilot)
        # Checked as every --out is, in the dialog, which stays open for another name.
        assert isinstance(app.screen, ExportDialog)
        assert "cannot write" in str(app.screen.query_one("#export-warning", Static).render())
        assert any("cannot write" in n.message for n in app._notifications)


async def test_stats_screen_escape_in_dialog_cancels(project):
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)
        assert not (project.root / "exports").exists()


# --- snapshots (look at the SVG before accepting: pytest --snapshot-update) ----------


def test_stats_screen_snapshot_frequencies_by_group(project, snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await choose(pilot, "#stats-by", "type")

    assert snap_compare(Host(project), terminal_size=SIZE, run_before=run_before)


def test_stats_screen_snapshot_cooccurrence_heat_map(project, snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await pilot.press("u", "3")
        await settle(pilot)

    assert snap_compare(Host(project), terminal_size=SIZE, run_before=run_before)


def test_stats_screen_snapshot_group_chart(project, snap_compare):
    async def run_before(pilot) -> None:
        await settle(pilot)
        await choose(pilot, "#stats-by", "type")
        await pilot.press("2")
        await pilot.pause()

    assert snap_compare(Host(project), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("name", ["qualcode.db", "qualcode.yaml", "the codebook"])
async def test_stats_screen_never_exports_over_the_projects_own_files(project, name):
    # The CLI's --out refuses these (output_target); the dialog replaced them after one confirm:
    # the project's database became a CSV file.
    target = project.codebook_path if name == "the codebook" else project.root / name
    if not target.exists():
        target.write_text("# settings\n", encoding="utf-8")
    before = target.read_bytes()
    app = Host(project)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")  # "exists: press again to replace"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)  # open for another name
        assert any("an export never replaces it" in n.message for n in app._notifications)
    assert target.read_bytes() == before
