"""Pilot tests of the coding screen and the other screens for daily use (issue 13, items 1-11).

Each test names the slip it guards against. Store checks go through a second
connection; waits are on the app's workers.
"""

from __future__ import annotations

from test_tui_support import SMALL_TRANSCRIPT, make_app, open_transcript, settle
from textual.widgets import DataTable, Input, Label

from qualcode.model import ACCEPTED, PENDING
from qualcode.store import Store
from qualcode.tui import strings as S
from qualcode.tui.screens.transcripts import attribute_order
from qualcode.tui.widgets.checks import OFF, ON, CheckBox, CheckList
from qualcode.tui.widgets.code_tree import CodeDetails, rolled_up
from qualcode.tui.widgets.memo import MemoArea, MemoModal
from qualcode.tui.widgets.rows import RowTable

SIZE = (96, 28)
TEXT = SMALL_TRANSCRIPT


def span(sentence: str) -> tuple[int, int]:
    start = TEXT.index(sentence)
    return start, start + len(sentence)


def stored(project) -> list[tuple[str, str]]:
    with Store(project.db_path) as other:
        return [(c.quote, c.code_id) for c in other.codings.find()]


async def resize(pilot, width: int, height: int) -> None:
    """Resize the terminal and wait until the screen has taken the new size (its width classes too)."""
    await pilot.resize_terminal(width, height)
    for _ in range(100):  # within about two seconds, also on a loaded machine
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if screen.size.width == width and screen.document.size.width and screen.document.layout_ is not None:
            if screen.document.layout_.width == max(10, screen.document._text_width()):
                return


def status_of(screen) -> str:
    return "\n".join(str(screen.query_one(f"#coding-{part}").render()) for part in ("here", "where"))


# --- keys typed faster than the screen draws keep their order ----------------------------------


async def test_tui_polish_a_burst_of_keys_codes_where_the_keys_before_it_moved(small_project):
    """ "} space h" arriving together coded the sentence the cursor had left: the code key overtook the moves."""
    from textual import events

    store = small_project.store
    store.suggestions.replace_pending(1, [(*span("Die schamen zich."), "drempels", "rules", None, "r")])
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        for key, char in (("right_curly_bracket", "}"), ("space", " "), ("h", "h")):
            app.post_message(events.Key(key, char))  # all queued before any is handled
        await pilot.pause()
        assert stored(small_project) == [("Eerst was ik bang.", "drempels")]
        for key, char in (("E", "E"), ("a", "a")):  # review on, then lower-case a: accept, not a code key
            app.post_message(events.Key(key, char))
        await pilot.pause()
        assert ("Die schamen zich.", "drempels") in stored(small_project) and not screen.reviewing


# --- 2. Esc clears what is active and never leaves the transcript ------------------------


async def test_tui_polish_escape_clears_one_thing_at_a_time_and_never_leaves(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "slash", *"bang", "enter")  # a coding, a search
        await pilot.press("F")  # filter to the code at the cursor
        await pilot.press("space")  # a selection
        assert screen.document.selection and screen.filter_code and screen.search_query
        await pilot.press("escape")
        assert screen.document.selection is None and screen.filter_code
        await pilot.press("escape")
        assert screen.filter_code is None and screen.search_query
        await pilot.press("escape")
        assert screen.search_query == "" and "Search cleared" in status_of(screen)
        await pilot.press("escape", "escape", "ctrl+z", "escape", "ctrl+y", "escape")  # after undo and redo too
        assert app.screen is screen  # still here
        cursor = screen.document.cursor
        assert "Nothing to clear (^o: the transcripts list)" in status_of(screen)
        await pilot.press("ctrl+o")  # leaving is its own key
        assert app.screen.SCREEN == "transcripts"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.SCREEN == "coding" and app.screen.document.cursor == cursor  # back where it was


async def test_tui_polish_escape_stops_a_review_but_stays(small_project):
    store = small_project.store
    store.suggestions.replace_pending(1, [(*span("Eerst was ik bang."), "drempels", "rules", None, "r")])
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "escape")
        assert not screen.reviewing and "Review stopped" in status_of(screen)
        await pilot.press("escape")
        assert app.screen is screen


async def test_tui_polish_escape_in_the_picker_drops_the_marks_before_closing(small_project):
    from qualcode.tui.widgets.picker import CodePicker

    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("enter", "tab", "down", "tab")
        picker = pilot.app.screen
        assert isinstance(picker, CodePicker) and len(picker.marked) == 2
        await pilot.press("escape")
        assert pilot.app.screen is picker and picker.marked == []
        await pilot.press("escape")
        assert pilot.app.screen is screen and stored(small_project) == []


# --- 3. suggestion bookkeeping: one count everywhere ----------------------------------------


async def test_tui_polish_a_coding_resolves_the_suggestions_it_makes_redundant_and_counts_agree(small_project):
    store = small_project.store
    bang = span("Eerst was ik bang.")
    store.suggestions.replace_pending(
        1,
        [
            (*bang, "drempels", "rules", None, "r"),
            (*bang, "vertrouwen", "learned", 0.7, "l"),
            (*span("Die schamen zich."), "drempels", "rules", None, "r"),
        ],
    )
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "greater_than_sign")  # to the vertrouwen suggestion on the same sentence
        assert "Suggestion 2 of 3" in str(screen.query_one("#coding-review").render())
        await pilot.press("C", "h")  # accepted as drempels: the drempels suggestion there is settled too
        with Store(small_project.db_path) as other:
            assert {(s.code_id, s.start): s.status for s in other.suggestions.find()} == {
                ("drempels", bang[0]): ACCEPTED,
                ("vertrouwen", bang[0]): ACCEPTED,
                ("drempels", TEXT.index("Die")): PENDING,
            }
            pending_in_store = other.suggestions.pending_by_transcript()
        assert len(screen.suggestions.rows) == pending_in_store[1] == 1
        assert "Suggestion 1 of 1" in str(screen.query_one("#coding-review").render())
        await pilot.press("escape", "ctrl+o")
        table = app.screen.query_one(RowTable)
        assert str(table.get_row("1")[table.get_column_index("Suggested")]) == "1"
        assert "1 pending suggestions" in str(app.screen.query_one("#transcripts-summary").render())


# --- 4. code names beside the text -----------------------------------------------------------


async def test_tui_polish_the_margin_names_overlapping_codes(small_project):
    async with make_app(small_project).run_test(size=(160, 30)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "h", "space", "v")  # two codes on one sentence
        doc = screen.document
        line = doc.render_document_line(doc.layout_.line_of(TEXT.index("Eerst"))).text
        assert line[:2] == "hv"  # both keys side by side in the lanes
        assert "■ Drempels voor gezinnen" in line  # the names right of the text (a wide view)
        following = doc.render_document_line(doc.layout_.line_of(TEXT.index("Eerst")) + 1).text
        assert "■ Vertrouwen" in following  # stacked below, not overwritten
        await resize(pilot, 80, 24)
        for _ in range(50):  # the margin takes the narrow layout on a later refresh
            line = doc.render_document_line(doc.layout_.line_of(TEXT.index("Eerst"))).text
            if "Drempels" not in line:
                break
            await pilot.pause(0.02)
        assert line[:2] == "hv" and "Drempels" not in line  # narrow: the keys only


# --- 5. the code list at 80 columns and on wide terminals --------------------------------------


async def test_tui_polish_the_code_list_stays_at_80_columns_and_grows_when_wide(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_transcript(pilot, "02_cjg_wijkcoach")
        side = screen.query_one("#coding-side")
        assert side.display and side.size.width >= 20
        label = screen.tree.nodes_by_code["randvoorwaarden_capaciteit"].label.plain
        assert label.startswith("■ c Tijd") and "/" not in label  # compact: key and name, no counts
        await resize(pilot, 220, 50)
        for _ in range(50):  # the side panel takes its width from the screen's width class (a later refresh)
            if side.size.width > 60:
                break
            await pilot.pause(0.02)
        assert side.size.width > 60  # room for "Tijd, capaciteit en continuïteit"
        assert "Tijd, capaciteit en continuïteit" in screen.tree.nodes_by_code["randvoorwaarden_capaciteit"].label.plain
        assert "here/all" in str(screen.query_one("#coding-codes-head").render())
        await resize(pilot, 50, 20)
        assert not side.display and screen.query_one("#coding-keys").display  # the strip of keys


def test_tui_polish_parent_counts_include_their_sub_codes(sample_project):
    book = sample_project.codebook
    counts = {"eigen_kracht": 1, "eigen_kracht_gezin": 2, "eigen_kracht_gemeenschap": 3, "vervallen": 4}
    rolled = rolled_up(book, counts)
    assert rolled["eigen_kracht"] == 6 and rolled["eigen_kracht_gezin"] == 2 and rolled["vervallen"] == 4


# --- 6. memos -------------------------------------------------------------------------------


async def test_tui_polish_the_memo_at_the_cursor_is_shown(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "M", *"eerste contact", "ctrl+s")
        await pilot.press("right")
        assert "eerste contact" in status_of(screen).split("\n")[0]
        details = screen.query_one(CodeDetails)
        assert "eerste contact" in str(details.memos.render()) and details.memos.display


async def test_tui_polish_escape_on_an_edited_memo_asks_first(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "M", *"werk", "escape")
        modal = pilot.app.screen
        assert isinstance(modal, MemoModal) and modal.query_one("#memo-discard").display  # asked, still open
        await pilot.press("escape")
        assert pilot.app.screen is screen and screen.model.codings_at(TEXT.index("Eerst"))[0].memo is None
        await pilot.press("M", "escape")  # nothing typed: Esc closes at once
        assert pilot.app.screen is screen


async def test_tui_polish_quit_with_an_edited_memo_asks_first(small_project):
    """Ctrl+Q quit at once with a memo typed and not saved: the text was gone."""
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "M", *"werk", "ctrl+q")
        modal = pilot.app.screen
        assert isinstance(modal, MemoModal) and pilot.app.is_running  # asked, still open
        assert "Leave without saving" in str(modal.query_one("#memo-discard", Label).render())
        await pilot.press("escape")  # Esc asks its own question: the memo is not dropped on the way
        assert pilot.app.screen is modal and "Esc again" in str(modal.query_one("#memo-discard", Label).render())
        await pilot.press("ctrl+s")
        assert pilot.app.screen is screen and screen.model.codings_at(TEXT.index("Eerst"))[0].memo == "werk"
        await pilot.press("M", "ctrl+q")  # nothing changed: the key quits at once
        assert not pilot.app.is_running


async def test_tui_polish_the_second_quit_leaves_without_the_memo(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "M", *"werk", "ctrl+q")
        assert pilot.app.is_running
        await pilot.press("ctrl+q")
        assert not pilot.app.is_running


async def test_tui_polish_a_burst_of_typed_characters_is_one_edit(small_project):
    """A paste typed out key by key (no bracketed paste) re-wrapped the memo once per key: 15 s for 6,000."""
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "h", "M")
        area = pilot.app.screen.query_one(MemoArea)
        edits: list[str] = []
        original = type(area).replace

        def counted(self, text, *args, **kwargs):
            edits.append(text)
            return original(self, text, *args, **kwargs)

        area.replace = counted.__get__(area)
        typed = "Een lange memo die in een keer binnenkomt. " * 40
        for ch in typed:  # all queued before the area handles any
            area.post_message(__import__("textual").events.Key("space" if ch == " " else ch, ch))
        await pilot.pause()
        assert area.text == typed and len(edits) < 10
        await pilot.press("ctrl+s")
        with Store(pilot.app.project.db_path) as other:
            assert other.codings.find()[0].memo == typed.strip()


async def test_tui_polish_the_segments_context_scrolls_a_long_memo(small_project):
    memo = "begin " + "lang " * 1200 + "EINDE"
    with Store(small_project.db_path) as other:
        coding = other.codings.add(1, *span("Eerst was ik bang."), "drempels", "x").coding
        other.codings.set_memo(coding.id, memo)
    app = make_app(small_project)
    app.animation_level = "none"  # scrolling at once, nothing to wait for
    async with app.run_test(size=SIZE) as pilot:
        app.action_show_retrieval(["drempels"])
        await pilot.pause()
        screen = app.screen
        assert "EINDE" in str(screen.query_one("#retrieval-context").render())  # the memo in full
        box = screen.query_one("#retrieval-context-box")
        await pilot.press("tab")
        assert app.focused is box  # Tab reaches the context
        await pilot.press("end")
        for _ in range(50):  # the scroll happens after a refresh: wait for it, not for a time
            if box.scroll_y:
                break
            await pilot.pause()
        assert box.scroll_y > 0 and box.scroll_y == box.max_scroll_y, (box.scroll_y, box.max_scroll_y, box.virtual_size, box.size)


# --- 7. undo in another transcript names it ------------------------------------------------------


async def test_tui_polish_undo_names_the_transcript_it_changes_out_of_sight(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot, "01_al_amal_vrijwilliger")
        await pilot.press("right_curly_bracket", "h")
        await pilot.press("ctrl+o")
        await open_transcript(pilot, "02_cjg_wijkcoach")
        await pilot.press("ctrl+z")
        notices = [n.message for n in app._notifications]
        assert any("Undone in 01_al_amal_vrijwilliger: coding with Drempels voor gezinnen" in n for n in notices)


def _notices(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_tui_polish_undo_on_the_transcripts_list_or_the_statistics_names_transcript_quote_and_redo(
    small_project,
):
    """Ctrl+Z on the transcripts list undid a coding the researcher could not see; the one-line
    summary named the code only, cut at 80 columns. Now a notice says which transcript, which
    text, and the key that puts it back -- which it does."""
    app = make_app(small_project)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v")  # Vertrouwen on 'Eerst was ik bang.'
        for screen in ("transcripts", "stats"):
            if screen == "transcripts":
                app.action_show_transcripts()
            else:
                app.action_show_screen("stats")
            await settle(pilot)
            await pilot.press("ctrl+z")
            await pilot.pause()
            assert stored(small_project) == []
            said = _notices(app)[-1]
            assert "Undone in " in said and "coding with Vertrouwen" in said, said
            assert "“Eerst was ik bang.”" in said and f"{app.key_of('redo')} redoes it" in said, said
            await pilot.press("ctrl+y")
            await pilot.pause()
            assert [code for _, code in stored(small_project)] == ["vertrouwen"]
            assert f"{app.key_of('undo')} undoes it again" in _notices(app)[-1]


async def test_tui_polish_an_empty_undo_says_it_covers_this_session_and_where_earlier_work_is(small_project):
    """After a restart Ctrl+Z said only 'Nothing to undo'."""
    app = make_app(small_project)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert "Nothing to undo in this session" in status_of(screen)
        (said,) = [n for n in _notices(app) if "Undo takes back" in n]
        assert "since qualcode started" in said and "qualcode trash" in said, said
        assert f"{app.key_of('remove_coding')} on the coding screen removes one" in said, said
        await pilot.press("ctrl+z")  # said once a session, not at every press
        await pilot.pause()
        assert len([n for n in _notices(app) if "Undo takes back" in n]) == 1


# --- 8. selections across turns, near duplicates ------------------------------------------------


async def test_tui_polish_a_selection_across_turns_never_quotes_a_speaker_label(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        doc = screen.document
        doc.select(TEXT.index("Vertel eens."), TEXT.index("Eerst was ik bang.") + len("Eerst was"))
        await pilot.press("v")
        assert stored(pilot.app.project) == [("Vertel eens.", "vertrouwen"), ("Eerst was", "vertrouwen")]
        assert "in 2 turns" in status_of(screen)
        await pilot.press("ctrl+z")  # one step takes both back
        assert stored(pilot.app.project) == []


async def test_tui_polish_a_near_duplicate_of_a_coding_is_pointed_out(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "h")  # "Eerst was ik bang."
        screen.document.select(TEXT.index("Eerst"), TEXT.index("bang.") + 4)  # nearly the same text again
        await pilot.press("h")
        assert "Note: Drempels voor gezinnen is already on nearly the same text" in status_of(screen)
        assert len(stored(pilot.app.project)) == 2  # applied all the same: the note says how to undo it


# --- 9. export dialog, check marks ------------------------------------------------------------


async def test_tui_polish_export_dialog_enter_exports_from_the_checkbox_and_asks_before_replacing(sample_project):
    from qualcode.tui.screens.stats import ExportDialog, StatsScreen

    app = make_app(sample_project)
    target = sample_project.root / "segments.csv"
    target.write_text("oud\n", encoding="utf-8")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one(Input).value = str(target)
        box = dialog.query_one(CheckBox)
        box.focus()
        await pilot.press("space")
        assert box.value and box.BUTTON_INNER == ON
        await pilot.press("enter")  # on the checkbox: exports, does not toggle; the file exists: asks
        assert box.value and app.screen is dialog and dialog.query_one("#export-warning").display
        assert target.read_text(encoding="utf-8") == "oud\n"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, StatsScreen) and target.read_bytes().startswith(b"\xef\xbb\xbf")


async def test_tui_polish_check_marks_read_without_colour(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        app.action_show_retrieval(["drempels"])
        await pilot.pause()
        codes = app.screen.query_one(CheckList)
        marks = [codes.render_line(y).text[1] for y in range(3)]
        assert marks == [OFF, ON, OFF]  # only the marked code looks marked


# --- 10. statistics screen and the transcripts list ---------------------------------------------


async def test_tui_polish_statistics_has_a_title_and_its_tab_keys_on_the_tabs(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+t")
        await settle(pilot)
        screen = app.screen
        assert screen.query("Header")
        shown = {b.binding.key for b in screen.active_bindings.values() if b.binding.show}
        assert "g" in shown  # the tab keys are on the tabs (the footer has no room for them at 80 columns)
        tabs = [str(tab.label) for tab in screen.query("Tab")]
        assert [label.split()[0] for label in tabs] == ["1", "2", "3", "4"]
        await pilot.press("4")
        await pilot.press("right")  # the cell names its transcript (the columns are numbered)
        assert "× 01_al_amal_vrijwilliger" in str(screen.query_one("#stats-message").render())


async def test_tui_polish_the_transcripts_table_draws_only_what_shows_and_follows_the_cursor():
    from textual.app import App

    from qualcode.tui.widgets.rows import Column

    class Host(App):
        chosen: list[str] = []

        def compose(self):
            yield RowTable(id="rows")

        def on_row_table_row_selected(self, event: RowTable.RowSelected) -> None:
            self.chosen.append(event.key)

    app = Host()
    app.animation_level = "none"
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        rows = [(f"interview_{i:04d}", str(i * 3)) for i in range(1000)]
        table.set_rows([Column("Transcript", "name"), Column("Codings", "n", right=True)], rows, [str(i) for i in range(1000)])
        table.focus()
        await pilot.pause()
        assert table.render_line(0).text.split() == ["Transcript", "Codings"]  # the header stays on top
        assert table.render_line(1).text.split() == ["interview_0000", "0"]
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 999 and table.cursor_key == "999"
        last = table.scrollable_content_region.height - 1
        assert table.render_line(last).text.split() == ["interview_0999", "2997"]  # scrolled to it
        await pilot.press("pageup", "home")
        assert table.cursor_row == 0 and table.scroll_y == 0
        await pilot.click(table, offset=(3, 3), times=2)  # a double click chooses the row
        await pilot.pause()
        assert table.cursor_row == 2 and app.chosen == ["2"]


def test_tui_polish_attributes_that_group_transcripts_come_first(sample_project):
    grouping, rest = attribute_order(sample_project.store.transcripts.summaries())
    assert grouping == ["land", "respondent_type", "interviewer"]
    assert rest == ["interviewdatum", "organisatie", "stad"]


# --- 11. smaller ones ------------------------------------------------------------------------------


async def test_tui_polish_palette_offers_apply_and_export_once_each(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        names = [c.name for c in app.palette_commands(screen)]
        assert "Apply code: Drempels voor gezinnen (h)" in names
        assert S.CMD_EXPORT_SEGMENTS in names and S.CMD_EXPORT_TABLE in names
        assert len(names) == len(set(names))
        system = [c.title for c in app.get_system_commands(screen)]
        assert "Keys" not in system  # ours ("Keys and help") is the one
        next(c for c in app.palette_commands(screen) if c.name.startswith("Apply code: Vertrouwen")).run()
        assert stored(app.project)[0][1] == "vertrouwen"


async def test_tui_polish_segments_open_at_the_coding_at_the_cursor(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, "03_focusgroep_sleutelpersonen")
        await pilot.press("right_square_bracket", "right_square_bracket", "right_square_bracket")
        coding = screen.model.codings_at(screen.document.cursor)[0]
        await pilot.press("R")
        retrieval = app.screen
        table = retrieval.query_one(DataTable)
        assert retrieval.segments[table.cursor_row].id == coding.id


async def test_tui_polish_status_messages_fade(small_project, monkeypatch):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("x")
        assert "No code has the key 'x'" in status_of(screen)
        # A new message restarts the fade timer; shortened here so the test need not wait 8 s.
        monkeypatch.setattr(S, "MESSAGE_SECONDS", 0.05)
        await pilot.press("x")
        for _ in range(100):
            await pilot.pause(0.05)
            if "No code has the key" not in status_of(screen):
                break
        assert "No code has the key" not in status_of(screen)


async def test_tui_polish_what_opening_the_project_did_is_shown_in_the_app(small_project):
    app = make_app(small_project, notices=["created qualcode.db and imported 1 transcript(s)"])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("created qualcode.db" in n.message for n in app._notifications)


async def test_tui_polish_review_says_when_it_wraps_around_backwards(small_project):
    small_project.store.suggestions.replace_pending(1, [(*span("Eerst was ik bang."), "drempels", "rules", None, "r"),
                                                        (*span("Die schamen zich."), "drempels", "rules", None, "r")])  # fmt: skip
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("E", "less_than_sign")
        assert "on to the last pending suggestion" in status_of(screen)
        assert screen.document.cursor == span("Die schamen zich.")[0]


async def test_tui_polish_a_single_click_in_the_code_list_applies_nothing(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket")
        tree = screen.tree
        line = tree.nodes_by_code["drempels"].line
        await pilot.click(tree, offset=(6, line))
        assert stored(pilot.app.project) == [] and "Enter or a double click applies it" in status_of(screen)
        assert tree.highlighted_code == "drempels"
        await pilot.click(tree, offset=(6, line), times=2)
        assert stored(pilot.app.project) == [("Eerst was ik bang.", "drempels")]


async def test_tui_polish_the_filter_names_an_attribute_the_project_lacks(sample_project):
    """The placeholder's example named an attribute a new project lacks, and filtering by it
    showed '0 of 6 transcripts' with no word why (the CLI's --where says so)."""
    async with make_app(sample_project).run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        search = pilot.app.screen.query_one("#transcripts-filter", Input)
        assert "e.g. land=Nederland" in search.placeholder  # an attribute of this project
        await pilot.press("slash", *"groep=prof")
        summary = str(pilot.app.screen.query_one("#transcripts-summary").render())
        assert "No transcript has an attribute 'groep'" in summary and "respondent_type" in summary
        await pilot.press("ctrl+u", *"respondent_type=prof")
        summary = str(pilot.app.screen.query_one("#transcripts-summary").render())
        assert summary.startswith("3 of 6 transcripts")


# --- a dialog's lines wrap at 80 columns, never cut (user19: "Ctrl+S sav", "empty remov") ---------------


def labels_cut(dialog) -> list[str]:
    """The texts of the dialog's shown labels that are not drawn whole (cut at its edge)."""
    cut = []
    for label in dialog.query(Label):
        if not label.display:
            continue
        want = " ".join(str(label.render()).split())
        shown = " ".join(" ".join(label.render_line(y).text for y in range(label.size.height)).split())
        if shown != want or label.region.right > label.parent.content_region.right:  # wider than the dialog
            cut.append(want)
    return cut


async def test_tui_polish_dialogs_wrap_their_lines_at_80_columns(sample_project):
    from qualcode.tui.screens.stats import ExportDialog
    from qualcode.tui.widgets.picker import CodePicker

    app = make_app(sample_project)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("I", *"rumoerig", "escape")  # the transcript's memo, asking before it discards
        await pilot.pause()  # the question shown is laid out (wrapped) before it is measured
        dialog = app.screen
        assert isinstance(dialog, MemoModal) and dialog.query_one("#memo-discard").display
        assert labels_cut(dialog) == []
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CodePicker) and labels_cut(app.screen) == []
        await pilot.press("escape", "escape")
        assert app.screen is screen
        await pilot.press("ctrl+t")
        await settle(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and labels_cut(app.screen) == []
