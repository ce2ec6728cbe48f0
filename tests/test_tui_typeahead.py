"""Keys typed ahead on the coding screen: a fast typist, or a busy machine that lags behind.

A key that opens a dialog (Enter: the code list, M: a memo, Del: which coding) is followed at
once by the letters meant for that dialog. Those letters were already on their way to the
transcript when the dialog opened; they must not code the sentence beneath it. And a key that
undoes a coding must not do so while the researcher is typing in a text box.
"""

from __future__ import annotations

from test_tui_support import SMALL_TRANSCRIPT, make_app, make_project, open_transcript
from textual import events
from textual.keys import _character_to_key
from textual.widgets import Input, TextArea

from qualcode.store import Store
from qualcode.tui.widgets.memo import MemoModal
from qualcode.tui.widgets.picker import CodePicker
from qualcode.tui.widgets.rows import RowTable

SIZE = (96, 28)


def stored(project) -> list[tuple[str, str]]:
    """(quote, code) of every coding, read through a second connection."""
    with Store(project.db_path) as other:
        return sorted((c.quote, c.code_id) for c in other.codings.find())


def type_ahead(app, keys: str) -> None:
    """Queue these keys as a terminal sends them, all at once, without waiting for the app."""
    for key in keys:
        name = "enter" if key == "\r" else key if key.isalnum() else _character_to_key(key)
        event = events.Key(name, key)
        event.set_sender(app)
        app.post_message(event)


async def test_letters_typed_after_enter_never_code_the_sentence_beneath_the_code_list(small_project):
    """Enter, then "vertr" typed at once: 'v' (Vertrouwen's key) and 'h' coded the sentence at the cursor
    while the code list opened empty above it."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space")
        type_ahead(app, "\rvh2o")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        assert stored(small_project) == []
        assert screen.model.codings == {}
        assert app.screen.query_one("#picker-query", Input).value == "vh2o"  # the letters went where they were meant


async def test_letters_typed_after_m_never_code_the_sentence_beneath_the_memo(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "v")
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]
        type_ahead(app, "Mhoi")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, MemoModal)
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]
        assert app.screen.query_one(TextArea).text == "hoi"


async def test_letters_typed_after_slash_go_into_the_search_box_in_order(small_project):
    """ "/vhX o" typed at once: 'v' and 'h' coded the sentence and the search box opened empty."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        type_ahead(app, "/vhX o")
        for _ in range(5):
            await pilot.pause()
        assert stored(small_project) == []
        assert screen.query_one("#coding-search", Input).value == "vhX o"


async def test_keys_typed_after_the_dialog_closes_code_again(small_project):
    """The guard is about the dialog only: back on the transcript, a code key codes at once."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "enter", "escape", "escape")
        type_ahead(app, "h")
        for _ in range(5):
            await pilot.pause()
        assert [code for _, code in stored(small_project)] == ["drempels"]


async def test_ctrl_z_in_the_search_box_does_not_undo_a_coding(small_project):
    """Typing a search, Ctrl+Z took back the last coding behind the box (and a new coding then lost
    the redo): in a text box the key belongs to the typing."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "v", "escape")
        await pilot.press("slash", *"bang", "ctrl+z")
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]
        await pilot.press("ctrl+y")
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]
        await pilot.press("escape", "ctrl+z")  # out of the box, the key undoes again
        assert stored(small_project) == []
        await pilot.press("ctrl+y")
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]


async def test_ctrl_z_in_the_transcripts_filter_does_not_undo_a_coding(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "v", "ctrl+o")
        await pilot.pause()
        await pilot.press("slash", *"abc", "ctrl+z")
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]


async def test_a_codebook_edited_while_the_app_runs_is_pointed_out(small_project):
    """A code added in an editor while the app ran: its key said only "No code has the key 'k'",
    with nothing telling that the app still used the codebook it had loaded."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        path = small_project.codebook_path
        original = path.read_text(encoding="utf-8")
        app.check_codebook()
        assert not app.codebook_changed  # nothing changed yet
        path.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")  # saved, not changed
        app.check_codebook()
        assert not app.codebook_changed
        path.write_text(
            path.read_text(encoding="utf-8") + "  - id: kinderen\n    name: Kinderen\n    key: k\n",
            encoding="utf-8",
        )
        await pilot.press("right_curly_bracket", "k")
        status = str(screen.query_one("#coding-where").render())
        assert "No code has the key 'k'" in status
        assert "codebooks/codebook.yaml changed on disk" in status and "restart" in status
        assert any("changed on disk since qualcode started" in n.message for n in app._notifications)
        assert stored(small_project) == []
        path.write_text(path.read_text(encoding="utf-8") + "  - id: Fout\n    name: F\n", encoding="utf-8")
        app.check_codebook()  # a change that breaks the file: named at once, not at the next start
        await pilot.pause()  # a notification is a message: shown when its turn comes
        assert any(
            "changed on disk and has 1 problem(s)" in n.message and "invalid id 'Fout'" in n.message for n in app._notifications
        )
        path.write_text(original, encoding="utf-8")  # undone in the editor: as the app opened it again
        app.check_codebook()
        await pilot.pause()
        assert not app.codebook_changed
        assert any("is again as the app opened it" in n.message for n in app._notifications)


LONG = "03_TK-handelingen_2018-04-12_Wmo-mantelzorg-hulpmiddelen"  # a real file's name, 56 characters


async def test_long_transcript_names_are_whole_on_a_wide_terminal_and_cut_on_a_narrow_one(tmp_path):
    """The name column stopped at 40 cells on a 160-column terminal with 90 free:
    '03_TK-handelingen_2018-04-12_Wmo-mantel…' hid what told two interviews apart."""
    project = make_project(
        tmp_path / "p", {f"{LONG}.txt": SMALL_TRANSCRIPT, f"{LONG}_deel2.txt": SMALL_TRANSCRIPT + "I: En verder?\n"}
    )
    app = make_app(project)
    async with app.run_test(size=(160, 20)) as pilot:
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        lines = [line.text for line in (table.render_line(y) for y in range(3))]
        assert any(f"{LONG}_deel2 " in line for line in lines)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        lines = [line.text for line in (table.render_line(y) for y in range(3))]
        assert all(f"{LONG}_deel2" not in line for line in lines)
        assert any(line.lstrip().startswith(LONG[:39] + "…") for line in lines)


async def test_the_footer_says_enter_applies_the_highlighted_code_in_the_code_list(small_project):
    """With the code list focused, Enter applies the highlighted code, but the footer showed no Enter."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "tab")
        await pilot.pause()
        assert screen.focused is screen.tree
        footer = {(key.key, key.description) for key in screen.query("FooterKey")}
        assert ("enter", "Apply code") in footer
        code = screen.tree.highlighted_code
        await pilot.press("enter")
        assert stored(small_project) == [("Eerst was ik bang.", code)]


async def test_enter_on_a_text_no_code_matches_keeps_the_code_list_open_and_says_so(small_project):
    """'zzzz' and Enter closed the code list as if a code had been applied, without a word."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "enter", *"[b]zzzz", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker)
        assert "No code matches “[b]zzzz”" in str(app.screen.query_one("#picker-help").render())
        await pilot.press(*["backspace"] * 7, *"vertr", "enter")
        await pilot.pause()
        assert app.screen is screen
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]


async def test_the_status_line_says_where_the_cursor_is_in_text_outside_the_turns(tmp_path):
    """In a title block the status line read 'Nothing to undo │ ' and nothing after the bar."""
    text = "TRANSCRIPTIE INTERVIEW\nversie 0.2\n\nI: Hoe begon het?\nR: Eerst was ik bang.\n"
    project = make_project(tmp_path / "p", {"titel.txt": text})
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("ctrl+home", "ctrl+z")
        status = str(screen.query_one("#coding-where").render())
        assert "Nothing to undo in this session │ (text outside the turns)" in status
        await pilot.press("right_curly_bracket")
        assert "turn 1/2 I" in str(screen.query_one("#coding-where").render())


async def test_the_status_line_names_a_code_once_for_a_selection_over_several_turns(small_project):
    """T T and a code: one coding per turn, and the status line listed the code's name once per coding."""
    app = make_app(small_project)
    async with app.run_test(size=(140, 28)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("T", "T", "T", "h")
        assert len(stored(small_project)) == 3
        here = str(screen.query_one("#coding-here").render())
        assert here.count("Drempels voor gezinnen") == 1 and "×3" in here


async def test_m_where_nothing_is_coded_opens_the_code_list_for_the_memo(small_project):
    """M on an uncoded sentence only said "No coding at the cursor", and the memo's first
    words typed on after it applied a code per letter ('v', 'h') to the sentence. Now M
    there opens the code list (the letters filter it); the chosen code's memo follows."""
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket")
        type_ahead(app, "Mvh")
        for _ in range(5):
            await pilot.pause()
        assert isinstance(app.screen, CodePicker) and stored(small_project) == []
        assert app.screen.query_one(Input).value == "vh"
        assert "then write its memo" in str(app.screen.query_one(".picker--title").render())
        await pilot.press("escape")
        assert stored(small_project) == []  # nothing coded
        await pilot.press("M", *"vertrouwen", "enter")
        for _ in range(3):
            await pilot.pause()
        assert stored(small_project) == [("Eerst was ik bang.", "vertrouwen")]
        assert isinstance(app.screen, MemoModal)
        await pilot.press(*"spannend begin", "ctrl+s")
    with Store(small_project.db_path) as other:
        assert [c.memo for c in other.codings.find()] == ["spannend begin"]
