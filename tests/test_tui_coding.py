"""Pilot tests of the coding screen: move, select, code, uncode, memo, undo, filter, search."""

from __future__ import annotations

from test_tui_support import (
    SMALL_TRANSCRIPT,
    make_app,
    open_transcript,
    settle,
)

from qualcode.store import Store
from qualcode.tui.widgets.choose import ChooseCodingModal
from qualcode.tui.widgets.memo import MemoModal
from qualcode.tui.widgets.picker import CodePicker

SIZE = (96, 28)
TEXT = SMALL_TRANSCRIPT


def stored(project) -> list[tuple[str, str, str]]:
    """(quote, code, coder) of every coding, read through a second connection."""
    with Store(project.db_path) as other:
        return [(c.quote, c.code_id, c.coder) for c in other.codings.find()]


def status_of(screen) -> str:
    """Both status lines: the codes at the cursor, then position and messages."""
    return "\n".join(str(screen.query_one(f"#coding-{part}").render()) for part in ("here", "where"))


def selected_text(screen) -> str | None:
    selection = screen.document.selection
    return screen.model.text[slice(*selection)] if selection else None


def at_cursor(screen, length: int = 12) -> str:
    doc = screen.document
    return screen.model.text[doc.cursor : doc.cursor + length]


async def test_tui_coding_opens_at_the_first_turn(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        assert screen.model.turn_count == 4
        assert at_cursor(screen) == "Hoe begon he"


async def test_tui_coding_footer_shows_the_document_keys_once_a_slow_transcript_has_loaded(small_project, monkeypatch):
    """The footer drawn while the transcript loaded (Textual leaves a loading view's keys out) was
    never drawn again: on a busy machine the screen showed no Sentence, no Turn until the focus moved."""
    import threading

    from qualcode.tui.screens.coding import CodingScreen

    release = threading.Event()
    load = CodingScreen._load

    def held_load(screen):  # the worker thread waits until the footer has been drawn
        release.wait(30)
        return load(screen)

    monkeypatch.setattr(CodingScreen, "_load", held_load)

    def footer_actions() -> set[str]:
        return {key.action for key in app.screen.query("FooterKey")}

    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        try:
            app.open_transcript(1)
            for _ in range(100):  # the footer is drawn after a refresh: wait for that, not for a time
                await pilot.pause()
                if footer_actions():
                    break
            assert "pick" in footer_actions() and "select_sentence" not in footer_actions()  # while loading
        finally:
            release.set()
        await settle(pilot)
        for _ in range(100):
            if "select_sentence" in footer_actions():
                break
            await pilot.pause()
        assert {"select_sentence", "select_turn", "pick"} <= footer_actions()


async def test_tui_coding_moves_by_turn_sentence_word_and_char(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket")
        assert at_cursor(screen) == "Eerst was ik"
        await pilot.press("right_parenthesis")
        assert at_cursor(screen) == "Ik kende nie"
        await pilot.press("ctrl+right", "ctrl+right")
        assert at_cursor(screen) == "niemand bij "
        await pilot.press("right")
        assert at_cursor(screen) == "iemand bij h"
        await pilot.press("left_parenthesis")
        assert at_cursor(screen) == "Ik kende nie"
        await pilot.press("left_curly_bracket")
        assert at_cursor(screen) == "Eerst was ik"
        await pilot.press("left_curly_bracket")
        assert at_cursor(screen) == "Hoe begon he"
        await pilot.press("ctrl+end")
        assert screen.document.cursor == TEXT.rindex("komt.") + len("komt.")
        await pilot.press("ctrl+home", "down")
        assert screen.model.block_at(screen.document.cursor).turn.index == 2  # past the header line


async def test_tui_coding_selects_sentence_and_turn_and_extends(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space")
        assert selected_text(screen) == "Eerst was ik bang."
        await pilot.press("space")
        assert selected_text(screen) == "Eerst was ik bang. Ik kende niemand bij het wijkteam."
        await pilot.press("ctrl+shift+right")
        assert selected_text(screen).endswith("wijkteam. Toen")
        await pilot.press("escape", "T")
        assert selected_text(screen).startswith("Eerst was ik bang.") and selected_text(screen).endswith("al jaren.")
        await pilot.press("T")  # extend by the next turn
        assert selected_text(screen).endswith("En de andere moeders?")


async def test_tui_coding_selects_any_range_with_shift_arrows(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", *["shift+right"] * 5)
        assert selected_text(screen) == "Eerst"
        await pilot.press("shift+left")
        assert selected_text(screen) == "Eers"
        await pilot.press("shift+down")
        assert len(selected_text(screen)) > 20
        await pilot.press("right")
        assert screen.document.selection is None


async def test_tui_coding_code_key_applies_to_the_selection_and_is_stored_at_once(small_project):
    app = make_app(small_project, coder="Ilse")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "h")
        assert stored(small_project) == [("Eerst was ik bang.", "drempels", "Ilse")]
        assert [c.code_id for c in screen.model.codings_at(screen.document.cursor - 1)] == ["drempels"]
        assert "Drempels voor gezinnen" in status_of(screen)


async def test_tui_coding_is_in_the_store_before_the_next_key_is_handled(small_project):
    """The coding is committed inside the key's handler: the next key already finds it."""
    app = make_app(small_project)
    seen: list[list] = []
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        original = type(screen.document).action_move

        def spy(view, move, extend=False):
            if move == "char_right":
                seen.append(stored(small_project))
            original(view, move, extend)

        screen.document.action_move = spy.__get__(screen.document)
        await pilot.press("right_curly_bracket", "space", "v", "right")
    assert seen == [[("Eerst was ik bang.", "vertrouwen", "tester")]]


async def test_tui_coding_code_key_without_selection_codes_the_sentence(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "right_parenthesis", "ctrl+right", "o")
        assert stored(small_project) == [("Ik kende niemand bij het wijkteam.", "kracht_gezin", "tester")]
        await pilot.press("x")  # not a code key: nothing happens but a message
        assert len(stored(small_project)) == 1
        assert "No code has the key 'x'" in status_of(screen)


async def test_tui_coding_overlapping_codes_are_all_listed(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T", "v", "escape", "space", "h", "escape", "left")
        here = screen.model.codings_at(screen.document.cursor)
        assert sorted(c.code_id for c in here) == ["drempels", "vertrouwen"]
        status = status_of(screen)
        assert "Vertrouwen" in status and "Drempels voor gezinnen" in status
        lanes = {screen.model.lanes[c.id] for c in here}
        assert len(lanes) == 2  # two margin bars side by side


async def test_tui_coding_picker_applies_several_codes(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "enter")
        assert isinstance(pilot.app.screen, CodePicker)
        await pilot.press(*"schaamte")  # a word from the definition only
        await pilot.press("tab")
        await pilot.press("ctrl+u", *"vertr", "tab", "enter")
        await pilot.pause()
        assert pilot.app.screen is screen
        assert sorted(code for _, code, _ in stored(small_project)) == ["drempels", "vertrouwen"]


async def test_tui_coding_picker_enter_applies_the_best_match(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "enter", *"het gezin", "enter")
        await pilot.pause()
        assert [code for _, code, _ in stored(small_project)] == ["kracht_gezin"]


async def test_tui_coding_remove_asks_which_when_codings_overlap(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T", "v", "escape", "space", "h", "escape", "left")
        await pilot.press("delete")
        assert isinstance(pilot.app.screen, ChooseCodingModal)
        await pilot.press("down", "enter")  # the second: drempels (sentence starts later)
        await pilot.pause()
        assert [code for _, code, _ in stored(small_project)] == ["vertrouwen"]
        assert [c.code_id for c in screen.model.codings_at(screen.document.cursor)] == ["vertrouwen"]


async def test_tui_coding_remove_single_coding_directly(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v", "delete")
        assert stored(small_project) == []


async def test_tui_coding_memo_add_edit_and_undo(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "v", "M")
        assert isinstance(pilot.app.screen, MemoModal)
        await pilot.press(*"sterk voorbeeld", "ctrl+s")
        await pilot.pause()
        with Store(small_project.db_path) as other:
            assert [c.memo for c in other.codings.find()] == ["sterk voorbeeld"]
        assert "✎" in status_of(screen)
        await pilot.press("M", "f7", "backspace", *"anders", "ctrl+s")
        await pilot.pause()
        with Store(small_project.db_path) as other:
            assert [c.memo for c in other.codings.find()] == ["anders"]
        await pilot.press("ctrl+z")
        with Store(small_project.db_path) as other:
            assert [c.memo for c in other.codings.find()] == ["sterk voorbeeld"]


async def test_tui_coding_undo_redo_apply_and_remove(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "v", "h", "escape", "delete")
        await pilot.press("down", "enter")  # remove drempels
        await pilot.pause()
        assert [code for _, code, _ in stored(small_project)] == ["vertrouwen"]
        await pilot.press("ctrl+z")  # the removal
        assert sorted(code for _, code, _ in stored(small_project)) == ["drempels", "vertrouwen"]
        await pilot.press("ctrl+z", "ctrl+z")  # both applies
        assert stored(small_project) == []
        assert screen.model.codings == {}
        await pilot.press("ctrl+y")
        assert [code for _, code, _ in stored(small_project)] == ["vertrouwen"]
        assert len(screen.model.codings) == 1
        assert "Redone" in status_of(screen)


async def test_tui_coding_filter_to_one_code(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "right_parenthesis", "right_parenthesis", "right_parenthesis", "v")
        await pilot.press("right_curly_bracket", "right_curly_bracket", "h")
        await pilot.press("F")  # the code at the cursor: drempels
        layout = screen.document.layout_
        shown = {layout.block_of[i] for i in range(layout.height)}
        assert [screen.model.blocks[b].turn.index for b in sorted(shown)] == [4]
        await pilot.press("ctrl+home")
        assert at_cursor(screen) == "Die schamen "
        await pilot.press("F")  # off again
        assert screen.document.filter_spans is None and screen.filter_code is None


async def test_tui_coding_filter_from_the_code_tree(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "o")
        screen.tree.focus()
        screen.tree.highlight_code("kracht")  # the parent: includes its sub-code
        await pilot.press("F")
        assert screen.filter_code == "kracht"
        assert at_cursor(screen) == "Eerst was ik"


async def test_tui_coding_search_and_next_previous(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("slash", *"ze ", "enter")
        assert at_cursor(screen, 3).lower() == "ze "
        first = screen.document.cursor
        await pilot.press("n")
        assert screen.document.cursor > first
        await pilot.press("N")
        assert screen.document.cursor == first
        assert "/ze" in status_of(screen)
        await pilot.press("escape")  # clears the search
        assert "search" not in screen.document.overlays


async def test_tui_coding_next_uncoded_respondent_turn(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T", "v", "ctrl+home", "U")
        assert at_cursor(screen) == "Die schamen "
        await pilot.press("T", "h", "U")  # none left: says so, and drops the selection
        assert screen.document.selection is None
        assert "Every respondent turn has at least one coding" in status_of(screen)
        await pilot.press("T")  # a fresh turn, not the old selection extended
        assert selected_text(screen).startswith("Die schamen")


async def test_tui_coding_mouse_drag_selects(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        doc = screen.document
        line, cell = doc.cursor_screen_position()
        start = TEXT.index("Eerst")
        line = doc.layout_.line_of(start)
        y = line - int(doc.scroll_y)
        await pilot.mouse_down(doc, offset=(6, y))
        await pilot.hover(doc, offset=(11, y))
        await pilot.mouse_up(doc, offset=(11, y))
        assert selected_text(screen) == "Eerst"


async def test_tui_coding_missing_code_is_shown_grey_and_labelled(small_project):
    small_project.store.codes.ensure("oud", "Oude code")
    with Store(small_project.db_path) as other:
        other.codings.add(1, TEXT.index("Eerst"), TEXT.index("Eerst") + 5, "oud", "x")
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket")
        status = status_of(screen)
        assert "Oude code (not in codebook)" in status
        assert "oud" in screen.tree.nodes_by_code
        style = screen.document._code_style("oud", False)
        assert style == screen.document.get_component_rich_style("document--missing", partial=True)


async def test_tui_coding_missing_code_shows_its_id_beside_a_name_a_code_has_now(small_project):
    """An id renamed in the YAML ('vertrouwen_oud' -> 'vertrouwen', the name kept): the code
    list showed the old id's codings under "Not in the codebook" with the very name of the
    code that has it now, and nothing to tell them apart."""
    small_project.store.codes.ensure("vertrouwen_oud", "Vertrouwen")
    with Store(small_project.db_path) as other:
        other.codings.add(1, TEXT.index("Eerst"), TEXT.index("Eerst") + 5, "vertrouwen_oud", "x")
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        label = str(screen.tree.nodes_by_code["vertrouwen_oud"].label)
        assert "Vertrouwen" in label and "vertrouwen_oud" in label
        assert "vertrouwen" not in str(screen.tree.nodes_by_code["vertrouwen"].label).replace("Vertrouwen", "")


async def test_tui_coding_shows_changes_made_outside(small_project):
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        with Store(small_project.db_path) as other:  # e.g. `qualcode code` in another terminal
            other.codings.add(1, TEXT.index("Eerst"), TEXT.index("Eerst") + 5, "vertrouwen", "cli")
        app.check_store()
        await pilot.pause()
        assert [c.coder for c in screen.model.codings.values()] == ["cli"]


async def test_tui_coding_sample_interview_undo_100_steps(sample_project):
    app = make_app(sample_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot, "01_al_amal_vrijwilliger")
        before = stored(sample_project)
        sentences = [s for b in screen.model.blocks for s in screen.model.sentences(b)]
        for i, span in enumerate(sentences[:100]):  # the key handler's work, without 100 key round trips
            screen.apply_codes(["eigen_kracht_gemeenschap" if i % 2 else "randvoorwaarden_capaciteit"], span)
        assert len(stored(sample_project)) >= len(before) + 95
        for _ in range(99):
            app.action_undo()
        await pilot.press("ctrl+z")  # the 100th through the key
        assert sorted(stored(sample_project)) == sorted(before)
        assert len(screen.model.codings) == len(sample_project.store.codings.find(screen.transcript_id))


async def test_tui_coding_resize_rewraps_and_keeps_the_cursor_in_view(sample_project):
    async with make_app(sample_project).run_test(size=(120, 40)) as pilot:
        screen = await open_transcript(pilot, "02_cjg_wijkcoach")
        await pilot.press(*["right_curly_bracket"] * 23)
        doc = screen.document
        wide_lines = doc.layout_.height
        await pilot.resize_terminal(80, 30)

        def in_view() -> bool:
            line = doc.layout_.line_of(doc.cursor)
            return doc.scroll_y <= line < doc.scroll_y + doc.scrollable_content_region.height

        # The re-wrap and the scroll that follows it take a few refreshes; on a busy
        # machine more than one pause, so wait for them (bounded) instead of once.
        for _ in range(100):  # within about two seconds
            await pilot.pause(0.02)
            if doc.layout_.height != wide_lines and in_view():
                break
        assert doc.layout_.height != wide_lines  # re-wrapped (at 80 columns the code panel is hidden)
        assert in_view()


async def test_tui_coding_overlay_hook_draws_a_second_kind_of_span(small_project):
    """What suggestion review will use: spans drawn over the text, apart from codings."""
    from rich.style import Style

    from qualcode.tui.document.spans import SpanIndex
    from qualcode.tui.widgets.document import Overlay

    async with make_app(small_project).run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        doc = screen.document
        start = TEXT.index("Toen kwam")
        pending = Style(underline2=True, italic=True)
        doc.set_overlay("suggestions", Overlay(SpanIndex([(start, start + 9, "s1")]), lambda ids: pending))
        line = doc.layout_.line_of(start)
        drawn = "".join(seg.text for seg in doc.render_document_line(line) if seg.style and seg.style.underline2)
        assert drawn == "Toen kwam"
        assert doc.next_overlay_span("suggestions") == (start, start + 9) and doc.cursor == start
        assert screen.model.codings == {}  # drawn only: nothing stored
        doc.set_overlay("suggestions", None)
        assert "suggestions" not in doc.overlays


async def test_tui_coding_on_a_read_only_project_says_so_and_keeps_running(small_project, monkeypatch):
    import os

    from qualcode.project import Project
    from qualcode.store import db

    real = os.access
    monkeypatch.setattr(
        db.os, "access", lambda p, mode: False if mode == os.W_OK and str(p).endswith("qualcode.db") else real(p, mode)
    )
    project = Project.open(small_project.root)  # opened afresh: read-only now
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        assert "read-only" in app.sub_title
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "right_parenthesis", "o")
        assert any(n.title == "QC008" for n in app._notifications)
        assert app.is_running and stored(small_project) == []
    project.close()


async def test_tui_coding_which_coding_names_the_coders_when_several_coded_there(small_project):
    """A merged project: Pieter's and Annelies's codings of one code on one span looked alike."""
    async with make_app(small_project, coder="pieter").run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T", "v", "escape")
        pilot.app.coder = "annelies"
        await pilot.press("T", "v", "escape", "left")
        assert sorted(coder for _, _, coder in stored(small_project)) == ["annelies", "pieter"]
        for key in ("M", "delete"):
            await pilot.press(key)
            modal = pilot.app.screen
            assert isinstance(modal, ChooseCodingModal)
            shown = [str(o.prompt) for o in modal.query_one("#choose-list").options]
            assert any("· annelies" in s for s in shown) and any("· pieter" in s for s in shown), shown
            await pilot.press("escape")
        assert len(stored(small_project)) == 2
        assert screen is pilot.app.screen


async def test_tui_coding_which_coding_leaves_out_the_coder_when_all_are_yours(small_project):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T", "v", "escape", "space", "h", "escape", "left", "M")
        modal = pilot.app.screen
        assert isinstance(modal, ChooseCodingModal)
        assert not any("·" in str(o.prompt) for o in modal.query_one("#choose-list").options)


async def test_tui_coding_removing_another_coders_coding_says_whose(small_project):
    """In a merged project Del took Annelies's coding as quietly as one's own."""
    async with make_app(small_project, coder="annelies").run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "v")
        pilot.app.coder = "pieter"
        await pilot.press("delete")
        assert stored(small_project) == []
        assert "Uncoded: " in status_of(screen) and "coded by annelies; Ctrl+Z brings it back" in status_of(screen)
        await pilot.press("ctrl+z")
        assert [coder for _, _, coder in stored(small_project)] == ["annelies"]
        pilot.app.coder = "annelies"
        await pilot.press("delete")  # her own: no word of whose
        assert stored(small_project) == [] and "coded by" not in status_of(screen)


async def test_tui_coding_which_coding_shows_as_much_of_the_quote_as_the_dialog_is_wide(small_project):
    """The quotes were cut at 50 characters even in a dialog of 100 columns."""
    async with make_app(small_project).run_test(size=(160, 45)) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "T", "v", "escape", "space", "h", "escape", "left", "delete")
        modal = pilot.app.screen
        assert isinstance(modal, ChooseCodingModal)
        await pilot.pause()
        options = modal.query_one("#choose-list")
        shown = "\n".join(options.render_line(y).text for y in range(options.size.height))
        # 90 characters of the turn's quote and more, where 50 were shown; cut where the line ends
        assert "Toen kwam Marieke langs en ze bleef komen." in shown, shown
        assert shown.splitlines()[0].rstrip().endswith("…"), shown
        assert len(shown.splitlines()) == 3, shown  # one line a coding (and "all")
