"""Pilot tests of the other screens: transcripts, retrieval, help, palette, coder name."""

from __future__ import annotations

import io

from rich.console import Console
from test_tui_support import (
    make_app,
    open_transcript,
    settle,
)
from textual.widgets import DataTable, SelectionList

from qualcode.tui.keymap import ACTIONS
from qualcode.tui.screens.help import help_renderable
from qualcode.tui.screens.transcripts import parse_filter
from qualcode.tui.widgets.coder import CoderNameModal
from qualcode.tui.widgets.rows import RowTable
from qualcode.userconfig import stored_coder

SIZE = (100, 30)


def test_tui_transcripts_filter_syntax():
    conditions, words = parse_filter('respondent_type=prof stad="Den Haag" focus')
    assert conditions == [("respondent_type", "prof"), ("stad", "den haag")]
    assert words == ["focus"]


async def test_tui_transcripts_lists_filters_and_opens(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(RowTable)
        assert table.row_count == 6
        assert "Coded" in [c.label for c in table.columns]
        await pilot.press("slash", *"respondent_type=professional", "enter")
        assert table.row_count == 3
        names = [table.get_row_at(i)[0] for i in range(table.row_count)]
        assert names == ["02_cjg_wijkcoach", "04_huis_van_het_kind_gent", "05_opvoedingswinkel_antwerpen"]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.screen.SCREEN == "coding"
        assert app.screen.model.name == "04_huis_van_het_kind_gent"
        await pilot.press("i", "ctrl+o")  # code something, back to the list: counts follow
        assert app.screen.SCREEN == "transcripts"
        await pilot.press("escape")
        row = next(i for i in range(table.row_count) if table.get_row_at(i)[0] == "04_huis_van_het_kind_gent")
        assert str(table.get_row_at(row)[table.get_column_index("Codings")]) == "26"


async def test_tui_retrieval_lists_segments_and_jumps(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        app.action_show_retrieval(["doorverwijzing_warme_overdracht"])
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(DataTable)
        assert table.row_count == 11
        assert "11 segments of 1 marked code(s) in 6 transcript(s)" in str(screen.query_one("#retrieval-summary").render())
        context = str(screen.query_one("#retrieval-context").render())
        first = screen.segments[0]
        assert first.quote.split()[0] in context
        await pilot.press("down", "down", "enter")
        await settle(pilot)
        target = screen.segments[2]
        coding = app.screen
        assert coding.SCREEN == "coding" and coding.transcript_id == target.transcript_id
        assert coding.document.selection == (target.start, target.end)


async def test_tui_retrieval_parent_code_includes_sub_codes_and_marks_more(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        screen = app.screen
        assert screen.SCREEN == "retrieval" and screen.query_one(DataTable).row_count == 0
        codes = screen.query_one(SelectionList)
        codes.focus()
        await pilot.press("space")  # the first code: rolverwachtingen and its three sub-codes
        expected = sum(sample_project.store.codings.counts_by_code().get(c, 0) for c in screen.wanted_codes())
        assert len(screen.wanted_codes()) == 4
        assert screen.query_one(DataTable).row_count == expected
        await pilot.press("escape")
        assert app.screen.SCREEN == "transcripts"


async def test_tui_retrieval_from_coding_screen_uses_code_at_cursor_and_jumps_back(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        coding = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "h", "R")
        assert app.screen.SCREEN == "retrieval"
        assert app.screen.query_one(SelectionList).selected == ["drempels"]
        await pilot.press("enter")
        assert app.screen is coding  # the same coding screen, not a new one
        assert coding.model.text[slice(*coding.document.selection)] == "Eerst was ik bang."


async def test_tui_help_lists_every_binding_and_the_code_keys(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert app.screen.SCREEN == "help"
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(help_renderable(app, small_project.codebook))
        text = console.export_text()

        for action in ACTIONS:
            assert action.id in text
        assert "Drempels voor gezinnen" in text and "keymap.yaml" in text
        await pilot.press("escape")
        assert app.screen.SCREEN == "transcripts"


async def test_tui_command_palette_opens_a_transcript(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"open transcript gesprek")
        await settle(pilot)  # the palette searches in a worker: wait for it, not for a time
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.SCREEN == "coding"


def test_tui_palette_offers_the_main_actions(small_project):
    app = make_app(small_project)
    names = [c.name for c in app.palette_commands(None)]
    assert "Undo" in names and "Open transcript: gesprek" in names
    assert "Segments of code: Vertrouwen" in names


async def test_tui_asks_the_coder_name_once_and_saves_it(small_project):
    from qualcode.tui import build_app

    app = build_app(small_project, watch_store=False)  # no --coder, nothing saved
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, CoderNameModal)
        await pilot.press(*"Hanne Claeys", "enter")
        assert app.coder == "Hanne Claeys"
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v")
    assert stored_coder() == "Hanne Claeys"
    assert [c.coder for c in small_project.store.codings.find()] == ["Hanne Claeys"]
    again = build_app(small_project, watch_store=False)
    assert not again._ask_coder and again.coder == "Hanne Claeys"


async def test_tui_the_coder_dialog_says_its_keys_and_esc_asks_again_later(small_project):
    """At a first start the dialog's footer was empty: Esc (not now) was nowhere to be seen."""
    from qualcode.tui import build_app

    app = build_app(small_project, watch_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CoderNameModal)
        shown = {key.action: key.description for key in app.screen.query("FooterKey")}
        assert shown == {"save": "Save name", "cancel": "Not now"}
        await pilot.press("escape")
        assert not isinstance(app.screen, CoderNameModal)
    assert stored_coder() is None  # nothing saved: the next start asks again
    assert build_app(small_project, watch_store=False)._ask_coder


async def test_tui_esc_in_the_coder_dialog_keeps_a_typed_name_for_its_next_opening(small_project):
    """Esc dropped a name typed in the coder dialog; it is now offered again when it opens next."""
    from qualcode.tui import build_app

    app = build_app(small_project, watch_store=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, CoderNameModal)
        await pilot.press(*"Hanne", "escape")
        await pilot.pause()
        assert not isinstance(app.screen, CoderNameModal)
        assert any("Kept “Hanne”" in n.message for n in app._notifications)
        app.action_change_coder()
        await pilot.pause()
        assert isinstance(app.screen, CoderNameModal)
        assert app.screen.query_one("#coder-name").value == "Hanne"
        await pilot.press("end", *" Claeys", "enter")  # the kept name is selected: End adds to it
        assert app.coder == "Hanne Claeys"
    assert stored_coder() == "Hanne Claeys"


def test_tui_explicit_coder_is_not_asked_or_saved(small_project, monkeypatch):
    from qualcode.tui import build_app

    assert not build_app(small_project, "Karim", watch_store=False)._ask_coder
    monkeypatch.setenv("QUALCODE_CODER", "Noor")
    app = build_app(small_project, watch_store=False)
    assert app.coder == "Noor" and not app._ask_coder
    assert stored_coder() is None


def test_tui_screen_registry_builds_screens_from_the_project(small_project):
    from qualcode.tui.screens import SCREENS, screen_class
    from qualcode.tui.screens.base import QualcodeScreen

    for name in SCREENS:
        cls = screen_class(name)
        assert cls.SCREEN == name and issubclass(cls, QualcodeScreen)


async def test_tui_the_transcripts_list_cut_on_the_right_says_so_and_right_goes_there(sample_project):
    """At 80 columns the list stopped at 'responde' (the attribute columns) with no sign."""
    from qualcode.tui import strings as S
    from qualcode.tui.widgets.rows import RowTable

    app = make_app(sample_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#transcripts-table", RowTable)
        assert table.max_scroll_x > 0
        assert table.render_line(0).text.endswith(S.TABLE_MORE_RIGHT), table.render_line(0).text
        table.focus()
        for _ in range(300):  # → scrolls a column of characters at a time
            if table.scroll_x == table.max_scroll_x:
                break
            await pilot.press("right")
        header = table.render_line(0).text
        assert table.scroll_x == table.max_scroll_x, (table.scroll_x, table.max_scroll_x, table.virtual_size, table.size)
        assert S.TABLE_MORE_RIGHT not in header and header.startswith(S.TABLE_MORE_LEFT), header
