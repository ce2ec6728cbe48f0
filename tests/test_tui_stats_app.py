"""The statistics screen inside the app: its key, the palette, help, and staying current."""

from __future__ import annotations

import io

from rich.console import Console
from test_tui_support import (
    SMALL_TRANSCRIPT,
    make_app,
    open_transcript,
    settle,
)
from textual.widgets import DataTable

from qualcode.tui.screens.help import help_renderable
from qualcode.tui.screens.stats import StatsScreen

SIZE = (110, 30)


def segments_of(screen: StatsScreen, code_id: str) -> str:
    return str(screen.query_one("#stats-frequencies", DataTable).get_row(code_id)[1])


async def code_and_count(pilot) -> None:
    """Open the first transcript, select the next turn (``}``), code it ``v`` (vertrouwen) and
    open the statistics screen (Ctrl+T) on it."""
    await open_transcript(pilot)
    await pilot.press("right_curly_bracket", "v", "ctrl+t")
    await settle(pilot)


async def test_tui_stats_app_key_opens_the_counted_screen_and_escape_returns(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v")  # one coding to count
        await pilot.press("ctrl+t")
        await settle(pilot)
        stats = app.screen
        assert isinstance(stats, StatsScreen)
        assert segments_of(stats, "vertrouwen") == "1"
        await pilot.press("ctrl+t")  # already there: no second copy
        assert len([s for s in app.screen_stack if isinstance(s, StatsScreen)]) == 1
        await pilot.press("escape")
        assert app.screen is screen


async def test_tui_stats_app_recounts_after_an_undo(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await code_and_count(pilot)
        stats = app.screen
        assert segments_of(stats, "vertrouwen") == "1"
        await pilot.press("ctrl+z")  # undo works everywhere; the counts follow
        await settle(pilot)
        assert segments_of(stats, "vertrouwen") == "0"
        await pilot.press("escape", "ctrl+y", "ctrl+t")
        await settle(pilot)
        assert segments_of(app.screen, "vertrouwen") == "1"


async def test_tui_stats_app_from_the_palette(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"statistics")
        await settle(pilot)  # the palette searches in a worker: wait for it, not for a time
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen)


def test_tui_stats_app_help_lists_its_key_and_its_own_keys(small_project):
    app = make_app(small_project)
    console = Console(file=io.StringIO(), width=120, record=True)
    console.print(help_renderable(app, small_project.codebook))
    text = console.export_text()
    assert "statistics" in text and "^t" in text
    assert "Statistics screen" in text and "Export every coded segment as CSV" in text


async def test_tui_stats_app_says_whose_codings_it_counts_when_several_coders_coded(small_project):
    """After a merge the frequencies count every coder's codings: the screen says so, as the CLI does."""
    from textual.widgets import Static

    app = make_app(small_project, coder="pieter")
    async with app.run_test(size=SIZE) as pilot:
        await code_and_count(pilot)
        assert "coders" not in str(app.screen.query_one("#stats-message", Static).render())
        await pilot.press("escape")
        app.coder = "annelies"
        await pilot.press("v", "ctrl+t")
        await settle(pilot)
        assert str(app.screen.query_one("#stats-frequencies", DataTable).get_row("vertrouwen")[2]) == "2"  # codings
        message = str(app.screen.query_one("#stats-message", Static).render())
        assert "the codings of 2 coders (annelies, pieter; c: one coder's)" in message
        # Two codings of one passage: 2 codings, 1 segment; the line said "a passage once per coder".
        assert str(app.screen.query_one("#stats-frequencies", DataTable).get_row("vertrouwen")[1]) == "1"  # segments
        assert "codings and pairs count each coder's, segments and words once" in message


async def test_tui_stats_app_counts_one_coders_codings_on_c(small_project, tmp_path):
    """The CLI's --coders in the app: c counts one coder's codings at a time (the consensus
    coder's for the report), then everyone's again; the segments export follows. The screen
    could only count every coder's codings together."""
    import csv

    from textual.widgets import Static

    from qualcode.tui.screens.stats import ExportRequest

    store = small_project.store
    tid = next(iter(store.transcripts.names()))
    start = SMALL_TRANSCRIPT.index("Eerst was ik bang.")
    store.codings.add(tid, start, start + len("Eerst was ik bang."), "vertrouwen", "anna")
    store.codings.add(tid, start, start + len("Eerst was ik bang."), "vertrouwen", "bram")
    store.codings.add(tid, start, start + len("Eerst was ik"), "drempels", "bram")
    app = make_app(small_project, coder="anna")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        stats = app.screen
        table = stats.query_one("#stats-frequencies", DataTable)

        def codings(code_id: str) -> str:
            return str(table.get_row(code_id)[2])

        def message() -> str:
            return str(stats.query_one("#stats-message", Static).render())

        assert (codings("vertrouwen"), codings("drempels")) == ("2", "1")
        assert "2 coders (anna, bram; c: one coder's)" in message()
        await pilot.press("c")
        await settle(pilot)
        assert (codings("vertrouwen"), codings("drempels")) == ("1", "0")
        assert "only the codings of anna" in message()
        assert [c.id for c in stats.result.cooccurrence.rows] == ["vertrouwen"]
        await pilot.press("c")
        await settle(pilot)
        assert (codings("vertrouwen"), codings("drempels")) == ("1", "1")
        assert "only the codings of bram" in message()
        assert stats.result.cooccurrence.value("vertrouwen", "drempels") == 1
        assert stats._default_path("segments.csv").name == "segments_bram.csv"  # beside everyone's segments.csv
        out = tmp_path / "bram.csv"
        stats._export_segments(ExportRequest(out, ticked=False))
        await settle(pilot)
        assert {r["coder"] for r in csv.DictReader(out.open(encoding="utf-8"))} == {"bram"}
        await pilot.press("c")
        await settle(pilot)
        assert (codings("vertrouwen"), codings("drempels")) == ("2", "1")
        assert "2 coders" in message()
        assert stats._default_path("segments.csv").name == "segments.csv"
        assert stats.result.cooccurrence.value("vertrouwen", "drempels") == 2  # bram's drempels with each vertrouwen


async def test_tui_stats_app_says_what_the_matrix_cells_count(small_project):
    """The co-occurrence and codes x transcripts tabs share rows indented alike, but one
    counts codes as applied and the other rolls parents up: each says what its cells count."""
    from textual.widgets import Static

    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await code_and_count(pilot)
        stats = app.screen

        def legend(name: str) -> str:
            return str(stats.query_one(f"#stats-{name}-legend", Static).render())

        assert "pairs of overlapping codings" in legend("cooccurrence")
        assert "diagonal: codings of the code" in legend("cooccurrence")
        assert "a parent's row does not count its sub-codes" in legend("cooccurrence")
        assert "segments" in legend("matrix") and "a parent's row counts its sub-codes" in legend("matrix")
        await pilot.press("u")  # co-occurrence in the same turn
        await settle(pilot)
        assert "diagonal: turns with the code" in legend("cooccurrence")


async def test_tui_stats_app_exports_the_project_as_qdpx_with_the_csv_exports_dialog(small_project, tmp_path):
    """There was no REFI-QDA export in the app: q on the statistics screen (and the palette) asks
    for the file as the CSV exports do, asks before replacing one, and shows a problem in the dialog."""
    import zipfile

    from textual.widgets import Input, Static

    from qualcode.tui.screens.stats import ExportDialog

    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await code_and_count(pilot)
        stats = app.screen
        await pilot.press("q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog) and "REFI-QDA" in dialog.title_text
        default = small_project.root / "exports" / "small.qdpx"
        assert dialog.query_one("#export-path", Input).value == str(default)
        dialog.query_one("#export-path", Input).value = str(tmp_path)  # a folder: said in the dialog
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog and "cannot write" in str(dialog.query_one("#export-warning", Static).render())
        target = tmp_path / "studie.qdpx"
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is stats
        message = str(stats.query_one("#stats-message", Static).render())
        assert f"1 coding(s) of 1 coder(s) to {target}" in message
        with zipfile.ZipFile(target) as archive:
            assert archive.read("project.qde").decode("utf-8").count("<Coding ") == 1
            assert 'name="tester"' in archive.read("project.qde").decode("utf-8")  # who coded, and who exported
        before = target.read_bytes()
        app.action_export("qdpx")  # the palette's command: the same dialog
        await pilot.pause()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path", Input).value = str(target)
        await pilot.press("enter")  # it exists: asked first, nothing written
        await settle(pilot)
        assert app.screen is dialog and "exists" in str(dialog.query_one("#export-warning", Static).render())
        assert target.read_bytes() == before
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)


async def test_tui_stats_app_exports_say_when_they_carry_names_the_key_holds(tmp_path, monkeypatch):
    """`qualcode export` warns when the pseudonymisation key holds names the exported text still
    has; the app's exports (segments, .qdpx) wrote them without a word."""
    from click.testing import CliRunner
    from pseudo_support import StubDetector, make_pseudo_project
    from textual.widgets import Input

    from qualcode.cli import main, pseudo_cmds
    from qualcode.project import Project

    root = tmp_path / "studie"
    make_pseudo_project(root).close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({"Hatice Yilmaz": "person"}))
    cli = CliRunner()
    assert cli.invoke(main, ["--project", str(root), "pseudonymise", "detect"]).exit_code == 0
    project = Project.open(root)
    app = make_app(project)

    async def export_both(pilot, suffix: str) -> None:
        for key, name in (("s", f"segments{suffix}.csv"), ("q", f"studie{suffix}.qdpx")):
            await pilot.press(key)
            await pilot.pause()
            app.screen.query_one("#export-path", Input).value = str(tmp_path / name)
            await pilot.press("enter")
            await settle(pilot)
            assert (tmp_path / name).exists()

    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        await export_both(pilot, "")
        assert not [n for n in app._notifications if "original names" in n.message]  # nothing accepted yet
        assert cli.invoke(main, ["--project", str(root), "pseudonymise", "accept", "1"]).exit_code == 0
        await export_both(pilot, "2")
        said = [n.message for n in app._notifications if "original names" in n.message]
        assert len(said) == 2 and said[0].startswith("2 transcript(s) still read their original names")


async def test_tui_stats_app_at_80_columns_cuts_nothing_without_a_sign(small_project):
    """At 80 columns the co-occurrence list was cut at the screen's edge ('overla') and the status
    line stopped mid-sentence ('... of a branch count'), neither with a sign."""
    from textual.widgets import Select, Static

    app = make_app(small_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await code_and_count(pilot)
        screen = app.screen
        for select in screen.query(Select):
            assert select.region.right <= 80, (select.id, select.region)
        message = screen.query_one("#stats-message", Static)
        said = str(message.render())
        assert len(said) > message.size.width  # the sentence is longer than the line ...
        shown = message.render_line(0).text.rstrip()
        assert shown.endswith("…"), shown  # ... and says it is cut


async def test_tui_stats_app_opens_again_as_it_was_left(small_project):
    """Esc to code a little, Ctrl+T again: the statistics screen came back with no grouping, its
    unit reset, on the first tab; a researcher comparing groups had to set it all up again."""
    from textual.widgets import Select, TabbedContent

    from qualcode.analysis.matrices import TURN
    from qualcode.tui.screens.stats import SPEAKER

    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await code_and_count(pilot)
        app.screen.query_one("#stats-by", Select).value = SPEAKER
        await pilot.press("u", "t", "2")  # the same turn; every code in the chart; the chart tab
        await settle(pilot)
        await pilot.press("escape", "ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)
        assert (screen.by, screen.unit, screen.all_codes_in_chart) == (SPEAKER, TURN, True)
        assert screen.query_one("#stats-tabs", TabbedContent).active == "chart"
        assert screen._counted_with == (SPEAKER, TURN, None)  # and counted so


async def test_tui_stats_app_esc_in_the_export_dialog_keeps_the_typed_path(small_project, tmp_path):
    """Esc in the export dialog dropped a path typed into it, without a word."""
    from textual.widgets import Input

    from qualcode.tui.screens.stats import ExportDialog

    app = make_app(small_project)
    typed = str(tmp_path / "voor-het-team" / "frequenties.csv")
    async with app.run_test(size=(80, 24)) as pilot:
        await code_and_count(pilot)
        await pilot.press("e")
        await pilot.pause()
        box = app.screen.query_one("#export-path", Input)
        default = box.value
        box.value = typed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatsScreen)
        assert any(typed in n.message and "Kept" in n.message for n in app._notifications)
        await pilot.press("s")  # another kind of export: its own default
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value != typed
        await pilot.press("escape")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#export-path", Input).value == typed  # offered again
        await pilot.press("enter")  # written: the next opening offers the default again
        await settle(pilot)
        assert (tmp_path / "voor-het-team" / "frequenties.csv").is_file()
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#export-path", Input).value == default


def header_line(table) -> str:
    return table.render_line(0).text


async def test_tui_stats_app_a_table_cut_on_the_right_says_so_and_which_key_goes_there(sample_project):
    """The frequencies table and the segments list at 80 columns were cut on the right with only
    a scrollbar as a sign."""
    from qualcode.tui import strings as S

    app = make_app(sample_project)
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_show_screen("stats")
        await settle(pilot)
        table = app.screen.query_one("#stats-frequencies", DataTable)
        assert table.max_scroll_x > 0  # wider than the screen: the case at hand
        assert header_line(table).endswith(S.TABLE_MORE_RIGHT), header_line(table)
        assert not header_line(table).startswith(S.TABLE_MORE_LEFT)
        table.focus()
        for _ in range(100):  # → (what the mark shows) scrolls the table to its last column
            if table.scroll_x == table.max_scroll_x:
                break
            await pilot.press("right")
            await pilot.pause()
        assert table.scroll_x == table.max_scroll_x
        assert S.TABLE_MORE_RIGHT not in header_line(table)
        assert header_line(table).startswith(S.TABLE_MORE_LEFT), header_line(table)
        app.pop_screen()
        app.action_show_retrieval(["rolverwachtingen_professional"])
        await settle(pilot)
        segments = app.screen.query_one("#retrieval-segments", DataTable)
        assert segments.max_scroll_x > 0
        assert header_line(segments).endswith(S.TABLE_MORE_RIGHT), header_line(segments)
