"""The statistics screen inside the app: its key, the palette, help, and staying current."""

from __future__ import annotations

import io

from rich.console import Console
from test_tui_support import (
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
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v", "ctrl+t")
        await settle(pilot)
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
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v", "ctrl+t")
        await settle(pilot)
        assert "coders" not in str(app.screen.query_one("#stats-message", Static).render())
        await pilot.press("escape")
        app.coder = "annelies"
        await pilot.press("v", "ctrl+t")
        await settle(pilot)
        assert str(app.screen.query_one("#stats-frequencies", DataTable).get_row("vertrouwen")[2]) == "2"  # codings
        message = str(app.screen.query_one("#stats-message", Static).render())
        assert "the codings of 2 coders (annelies, pieter)" in message
        # Two codings of one passage: 2 codings, 1 segment; the line said "a passage once per coder".
        assert str(app.screen.query_one("#stats-frequencies", DataTable).get_row("vertrouwen")[1]) == "1"  # segments
        assert "codings and pairs count each coder's, segments and words once" in message
