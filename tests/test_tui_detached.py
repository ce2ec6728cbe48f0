"""Detached codings in the app (issue #13 item 13): seen, re-attached by selecting, discarded to the trash."""

from __future__ import annotations

import pytest
from test_tui_support import SMALL_TRANSCRIPT, make_app, open_transcript, settle

from qualcode.reanchor import Placement
from qualcode.reimport import reimport
from qualcode.store import Store
from qualcode.tui.widgets.detached import DetachedListModal
from qualcode.tui.widgets.picker import CodePicker

SIZE = (100, 30)
OLD = "Die schamen zich."
NEW = "Ze voelen zich schuldig."
TEXT = SMALL_TRANSCRIPT.replace(OLD, NEW)  # the transcript as the re-import left it


def detach(project, coder: str = "tester", memo: str | None = "mooi") -> int:
    """Code ``OLD`` (drempels), change it in the source and re-import: the coding is detached."""
    store = project.store
    start = SMALL_TRANSCRIPT.index(OLD)
    coding = store.codings.add(1, start, start + len(OLD), "drempels", coder, memo=memo).coding
    (project.root / "transcripts" / "gesprek.txt").write_text(TEXT, encoding="utf-8")
    assert reimport(project, 1).counts["detached"] == 1
    (row,) = store.codings.detached(1)
    assert row.coding_id == coding.id
    return row.id


def detach_by_hand(store, *coding_ids: int) -> None:
    """Detach these codings as a re-import does when their text is gone (the others stay put)."""
    placements = [
        Placement(c, None, None, "not found") if c.id in coding_ids else Placement(c, c.start, c.end, "unchanged")
        for c in store.codings.find(1)
    ]
    store.codings.relocate(1, store.transcripts.text(1), placements)


def stored(project) -> list[tuple]:
    """(id, quote, code, coder, memo) of every coding, read through a second connection."""
    with Store(project.db_path) as other:
        return [(c.id, c.quote, c.code_id, c.coder, c.memo) for c in other.codings.find()]


def detached_ids(project) -> list[int]:
    with Store(project.db_path) as other:
        return [d.id for d in other.codings.detached()]


def status_of(screen) -> str:
    return "\n".join(str(screen.query_one(f"#coding-{part}").render()) for part in ("here", "where"))


def panel_of(screen) -> str:
    panel = screen.query_one("#coding-review")
    return "" if panel.has_class("hidden") else str(panel.render())


async def open_list(pilot) -> DetachedListModal:
    await pilot.press("D")
    await pilot.pause()
    modal = pilot.app.screen
    assert isinstance(modal, DetachedListModal)
    return modal


async def test_tui_detached_count_is_shown_on_opening_and_the_list_shows_them(small_project):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        status = status_of(screen)
        assert "1 detached (D)" in status
        assert "1 detached coding(s): D to re-attach or discard them" in status
        modal = await open_list(pilot)
        assert [r.quote for r in modal.rows] == [OLD]
        option = str(modal.query_one("#detached-list").get_option_at_index(0).prompt)
        assert "Drempels voor gezinnen" in option and OLD in option and "✎" in option
        details = str(modal.query_one("#detached-details").render())
        assert "coded by tester" in details and "Memo: mooi" in details and "text not found in the new version" in details
        await pilot.press("escape")  # closes the list, and only the list
        assert app.screen is screen
        assert "Detached codings of this transcript (1)" in [c.name for c in screen.palette_commands()]


async def test_tui_detached_reattach_puts_it_on_the_selection_and_it_is_no_longer_detached(small_project):
    detached = detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await open_list(pilot)
        await pilot.press("enter")
        assert app.screen is screen and screen.detached.waiting.id == detached
        panel = panel_of(screen)
        assert "Re-attaching Drempels voor gezinnen" in panel and "⏎ puts it on the selection · esc cancels" in panel
        assert f"earlier text: “{OLD}”" in panel and screen.document.selection is None  # nothing alike enough to propose
        assert stored(small_project) == []  # nothing happens before it is placed
        screen.document.move_to(TEXT.index(NEW) + 3)
        await pilot.press("enter")  # nothing selected: nothing done (never the sentence at the cursor by surprise)
        assert "Nothing selected: select its passage first" in status_of(screen) and stored(small_project) == []
        await pilot.press("space", "enter")  # the usual selection keys, then Enter
        await settle(pilot)
        start = TEXT.index(NEW)
        assert stored(small_project) == [(1, NEW, "drempels", "tester", "mooi")]  # its id, coder and memo back
        (coding,) = small_project.store.codings.find(1)
        assert (coding.start, coding.end) == (start, start + len(NEW))
        assert detached_ids(small_project) == []
        assert screen.detached.waiting is None and panel_of(screen) == ""
        assert [c.code_id for c in screen.model.codings_at(start)] == ["drempels"]  # drawn at once
        status = status_of(screen)
        assert "Re-attached: Drempels voor gezinnen → “Ze voelen zich schuldig.”" in status and "0 detached left" in status
        assert "detached (D)" not in status
        await pilot.press("D")
        assert "No detached codings in this transcript" in status_of(screen)


async def test_tui_detached_reattach_is_one_undo_step(small_project):
    detached = detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await open_list(pilot)
        await pilot.press("enter")
        screen.document.move_to(TEXT.index(NEW) + 3)
        await pilot.press("space", "enter")
        await settle(pilot)
        assert stored(small_project) == [(1, NEW, "drempels", "tester", "mooi")]
        await pilot.press("ctrl+z")  # detached again, exactly as it was
        await settle(pilot)
        assert stored(small_project) == [] and detached_ids(small_project) == [detached]
        assert screen.model.codings_at(TEXT.index(NEW)) == [] and "1 detached (D)" in status_of(screen)
        assert "Undone: coding with Drempels voor gezinnen" in status_of(screen)
        await pilot.press("ctrl+y")  # and back on the same passage
        await settle(pilot)
        assert stored(small_project) == [(1, NEW, "drempels", "tester", "mooi")] and detached_ids(small_project) == []


async def test_tui_detached_reattach_selection_over_two_turns_is_refused(small_project):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await open_list(pilot)
        await pilot.press("enter")
        screen.document.select(TEXT.index("En de andere"), TEXT.index(NEW) + 5)
        await pilot.press("enter")
        assert "the selection runs over 2 turns" in status_of(screen)
        assert stored(small_project) == [] and len(detached_ids(small_project)) == 1
        assert screen.detached.waiting is not None  # still waiting for a place


async def test_tui_detached_escape_cancels_reattach_mode_and_changes_nothing(small_project):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await open_list(pilot)
        await pilot.press("enter")
        await pilot.press("space", "h")  # a code key while re-attaching codes nothing
        assert stored(small_project) == []
        assert "code keys are off meanwhile" in status_of(screen)
        await pilot.press("escape")
        assert screen.detached.waiting is None and panel_of(screen) == ""
        assert "Re-attaching cancelled: Drempels voor gezinnen is still detached" in status_of(screen)
        assert app.screen is screen and len(detached_ids(small_project)) == 1 and stored(small_project) == []
        await pilot.press("enter")  # Enter is the code list again
        assert isinstance(app.screen, CodePicker)


async def test_tui_detached_discard_asks_then_goes_to_the_trash_and_is_restorable(small_project):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        modal = await open_list(pilot)
        await pilot.press("x")
        question = modal.query_one("#detached-question")
        assert not question.has_class("hidden")
        assert "X again discards it" in str(question.render())
        assert len(detached_ids(small_project)) == 1  # asked, not done
        await pilot.press("escape")  # takes the question back; the list stays
        assert app.screen is modal and question.has_class("hidden")
        await pilot.press("x", "x")
        await pilot.pause()
        assert app.screen is screen  # the last one went: the list closed
        assert detached_ids(small_project) == []
        (item,) = small_project.store.trash.items()
        assert (item.kind, item.codings, item.removed_by) == ("detached", 1, "tester")
        assert f"qualcode trash restore {item.id}" in status_of(screen)
        assert "detached (D)" not in status_of(screen)
        small_project.store.trash.restore(item.id)  # what `qualcode trash restore` does
        screen.store_changed(None)  # as the app's store check does after a command in another terminal
        assert detached_ids(small_project) == [1]
        assert "1 detached (D)" in status_of(screen)


async def test_tui_detached_discard_keeps_the_list_open_on_the_rest(small_project):
    detach(small_project)
    start = TEXT.index("Eerst was ik bang.")
    added = small_project.store.codings.add(1, start, start + 5, "vertrouwen", "tester").coding
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        with Store(small_project.db_path) as other:  # one more detached coding, from another connection
            detach_by_hand(other, added.id)
        modal = await open_list(pilot)
        assert len(modal.rows) == 2
        await pilot.press("X", "X")
        assert app.screen is modal and len(modal.rows) == 1
        assert "(1)" in str(modal.query_one("#detached-title").render())


async def test_tui_detached_read_only_project_lists_but_refuses_to_change(small_project, monkeypatch):
    import os

    from qualcode.project import Project
    from qualcode.store import db

    detach(small_project)
    real = os.access
    monkeypatch.setattr(
        db.os, "access", lambda p, mode: False if mode == os.W_OK and str(p).endswith("qualcode.db") else real(p, mode)
    )
    project = Project.open(small_project.root)
    app = make_app(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await open_list(pilot)
        await pilot.press("enter")
        assert screen.detached.waiting is None  # refused before the passage is selected
        assert [n.title for n in app._notifications] == ["QC008"]
        assert "cannot re-attach a coding" in list(app._notifications)[0].message
        await open_list(pilot)
        await pilot.press("x", "x")
        assert [n.title for n in app._notifications] == ["QC008", "QC008"]
        assert app.is_running and len(detached_ids(project)) == 1
    project.close()


async def test_tui_detached_blind_mode_lists_only_mine(small_project):
    from qualcode.team.coders import set_blind

    detach(small_project, coder="bram")
    set_blind(small_project.store, True)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        assert "detached" not in status_of(screen)
        await pilot.press("D")
        assert app.screen is screen and "No detached codings in this transcript" in status_of(screen)


async def test_tui_detached_another_coders_coding_stays_theirs(small_project):
    detach(small_project, coder="bram", memo=None)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        modal = await open_list(pilot)
        assert "bram" in str(modal.query_one("#detached-list").get_option_at_index(0).prompt)
        await pilot.press("enter")
        assert "it stays bram's coding" in panel_of(screen)
        start = TEXT.index(NEW)
        screen.document.select(start, start + len(NEW))
        await pilot.press("enter")
        assert [(c[2], c[3]) for c in stored(small_project)] == [("drempels", "bram")]


async def test_tui_detached_found_word_for_word_is_selected_for_confirmation(small_project):
    """A detached coding whose earlier text is still there (elsewhere) starts selected there."""
    start = TEXT.index("Nu vertrouw ik haar.")
    added = small_project.store.codings.add(1, start, start + 20, "vertrouwen", "tester").coding
    detach_by_hand(small_project.store, added.id)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        await open_list(pilot)
        await pilot.press("enter")
        assert screen.document.selection == (start, start + 20)
        assert "selected: its earlier text, found again" in panel_of(screen)
        await pilot.press("enter")
        assert [c[1] for c in stored(small_project)] == ["Nu vertrouw ik haar."]


async def test_tui_detached_review_mode_stops_when_reattaching_starts(small_project):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        screen.suggestions.active = True  # as if reviewing (no spaCy run in this test)
        await open_list(pilot)
        await pilot.press("enter")
        assert not screen.suggestions.active and screen.detached.waiting is not None
        await pilot.press("E")  # review cannot start meanwhile
        assert not screen.suggestions.active


async def test_tui_detached_transcripts_list_counts_them(small_project):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#transcripts-table")
        assert "Detached" in [c.label for c in table.columns]
        assert "codings (1 detached: open the transcript, D)" in str(app.screen.query_one("#transcripts-summary").render())


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_tui_detached_list_fits_small_and_large_terminals(small_project, size):
    detach(small_project)
    app = make_app(small_project)
    async with app.run_test(size=size) as pilot:
        await open_transcript(pilot)
        modal = await open_list(pilot)
        box = modal.query_one("Vertical").region
        for part in ("#detached-title", "#detached-intro", "#detached-list", "#detached-details"):
            region = modal.query_one(part).region
            assert region.height >= 1 and box.contains_region(region), (part, region, box)
        footer = {b.binding.id for b in modal.active_bindings.values() if b.binding.show}
        assert {"detached_reattach", "detached_discard", "detached_close"} <= footer  # Enter too, over the list's own


def test_tui_snapshot_detached_list(snap_compare, small_project, monkeypatch):
    """The list over the coding screen: two detached codings (one by another coder), the first in full."""
    from qualcode.store import codings

    monkeypatch.setattr(codings, "now", lambda: "2026-03-02T10:15:00+00:00")  # the date shown in the details
    detach(small_project)
    start = TEXT.index("Ze willen niet")
    added = small_project.store.codings.add(1, start, start + 30, "vertrouwen", "bram", memo="Wantrouwen tegenover registratie.")
    detach_by_hand(small_project.store, added.coding.id)

    async def run_before(pilot):
        await open_transcript(pilot)
        await pilot.press("D")
        await settle(pilot)

    assert snap_compare(make_app(small_project), terminal_size=(110, 34), run_before=run_before)
