"""Pilot tests of coders in the coding screen: marks per coder, whose coding, coder views, blind mode."""

from __future__ import annotations

from test_tui_coding import SIZE, status_of
from test_tui_support import (
    SMALL_TRANSCRIPT,
    make_app,
    open_transcript,
)

from qualcode.team.coders import set_blind
from qualcode.tui.document.coders import MY_MARK, coder_marks, coder_views

TEXT = SMALL_TRANSCRIPT
BANG = TEXT.index("Eerst was ik bang.")


def two_coders(project) -> None:
    """anna and bram coded the same sentence with different codes."""
    store = project.store
    tid = next(iter(store.transcripts.names()))
    end = BANG + len("Eerst was ik bang.")
    store.codings.add(tid, BANG, end, "vertrouwen", "anna")
    store.codings.add(tid, BANG, end - 1, "drempels", "bram")


def test_tui_coders_views_cycle_and_blind_mode_has_one():
    views = coder_views("anna", ["anna", "bram", "cor"], blind=False)
    assert [v.who for v in views] == ["all", "mine", "bram", "cor"]
    assert views[1].shows("anna") and not views[1].shows("bram")
    assert [v.who for v in coder_views("anna", ["bram"], blind=True)] == ["mine"]
    marks = coder_marks("anna", ["bram", "cor"])
    assert marks["anna"] == MY_MARK and len({marks["bram"], marks["cor"], MY_MARK}) == 3


async def test_tui_coders_whose_coding_is_under_the_cursor(small_project):
    two_coders(small_project)
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        screen.document.move_to(BANG + 2)
        await pilot.pause()
        here = status_of(screen).splitlines()[0]
        assert "bram" in here and "anna" not in here  # mine are not labelled, the other's are
        marks = {screen.model.coder_marks[c.coder] for c in screen.model.codings_at(BANG + 2)}
        assert MY_MARK in marks and len(marks) == 2
        assert "coding as anna" in str(screen.sub_title)  # who I code as, always in the header
        pilot.app.set_coder("bram")
        await pilot.pause()
        assert "coding as bram" in str(screen.sub_title)
        assert "anna" in status_of(screen).splitlines()[0]  # now anna's coding is another's


async def test_tui_coders_view_shows_mine_then_the_others(small_project):
    two_coders(small_project)
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        coders = lambda: sorted(c.coder for c in screen.model.codings.values())  # noqa: E731
        assert coders() == ["anna", "bram"]
        await pilot.press("O")
        assert coders() == ["anna"]
        assert "only my codings" in status_of(screen)
        await pilot.press("O")
        assert coders() == ["bram"]
        assert "only bram's codings" in status_of(screen)
        await pilot.press("O")
        assert coders() == ["anna", "bram"]
        # Coding while another's view is on still codes as me.
        await pilot.press("O", "O")
        screen.document.move_to(TEXT.index("Die schamen"))
        await pilot.press("space", "v")
        assert any(c.coder == "anna" and c.quote.startswith("Die schamen") for c in small_project.store.codings.find())


async def test_tui_coders_blind_mode_hides_other_coders(small_project):
    two_coders(small_project)
    set_blind(small_project.store, True)
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        assert sorted(c.coder for c in screen.model.codings.values()) == ["anna"]
        await pilot.press("O")
        assert sorted(c.coder for c in screen.model.codings.values()) == ["anna"]
        assert "blind mode" in status_of(screen)


async def test_tui_coders_no_coder_is_marked_as_a_pending_suggestion_is(small_project):
    """user19: with three other coders (a merge, then `consensus`) the third's codings had the
    margin mark ┆ of a pending suggestion: a coded passage read as one waiting for review."""
    from qualcode.tui.screens.coding_suggestions import MARK

    store = small_project.store
    tid = next(iter(store.transcripts.names()))
    start = TEXT.index("Eerst was ik bang.")
    for coder in ["bram", "consensus", "Lotte Verhoeven"]:  # each over several lines (a bar below the key)
        store.codings.add(tid, start, len(TEXT.rstrip()), "vertrouwen", coder)
    async with make_app(small_project, coder="anna").run_test(size=SIZE) as pilot:
        screen = await open_transcript(pilot)
        assert screen.suggestions.rows == []  # nothing pending
        document = screen.document
        lines = [document.render_document_line(n).text for n in range(document.layout_.line_of(start), 12)]
        assert any(len(set(line[:4]) - {" "}) >= 3 for line in lines)  # the three coders' bars side by side
        assert not any(MARK in line[:6] for line in lines)
    marks = coder_marks("anna", [f"coder{i}" for i in range(12)])
    assert MARK not in marks.values()
