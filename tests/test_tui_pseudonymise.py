"""The pseudonymisation review screen: keys decide, the key store holds it, a snapshot of the screen.

Detection is run with a stub before the app starts (what a run stores), so no test
loads deduce.
"""

from __future__ import annotations

import pytest
from pseudo_support import StubDetector, make_pseudo_project
from test_tui_support import make_app, settle

from qualcode.model import ACCEPTED, REJECTED
from qualcode.pseudonymise.runner import open_key, run_detection
from qualcode.tui.screens.pseudonymise import PseudonymiseScreen

SIZE = (100, 24)


@pytest.fixture
def detected(tmp_path):
    project = make_pseudo_project(tmp_path / "studie")
    run_detection(project, StubDetector({"Hatice Yilmaz": "person", "Marieke": "person", "06-12345678": "phone"}))
    yield project
    project.close()


def statuses(project) -> dict[str, str]:
    key = open_key(project.root)
    try:
        return {f"{c.transcript_id}:{c.text}": c.status for c in key.candidates()}
    finally:
        key.close()


async def open_review(pilot) -> PseudonymiseScreen:
    pilot.app.action_show_screen("pseudonymise")
    await settle(pilot)
    assert isinstance(pilot.app.screen, PseudonymiseScreen)
    return pilot.app.screen


async def test_tui_pseudonymise_accept_reject_undo(detected):
    app = make_app(detected)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        first = screen.current
        await pilot.press("a")
        assert statuses(detected)[f"{first.transcript_id}:{first.text}"] == ACCEPTED
        second = screen.current
        assert second.id != first.id
        await pilot.press("r")
        assert statuses(detected)[f"{second.transcript_id}:{second.text}"] == REJECTED
        await pilot.press("u")
        assert screen.current.id == second.id
        await pilot.press("u")
        assert screen.current.id == first.id
        assert "Undone: accept" in str(screen.query_one("#pseudo-message").render())


async def test_tui_pseudonymise_change_category_and_extend_span(detected):
    app = make_app(detected)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        while screen.current.text != "Marieke":
            await pilot.press("j")
        target = screen.current
        await pilot.press("e", "e", "e")  # "Marieke van het buurtteam"
        await pilot.press("c")  # person -> place
        assert screen.category == "place"
        await pilot.press("a")
        key = open_key(detected.root)
        try:
            row = key.candidate(target.id)
            assert (row.text, row.category, row.status) == ("Marieke van het buurtteam", "place", ACCEPTED)
        finally:
            key.close()


async def test_tui_pseudonymise_never_rejects_every_pending_one(detected):
    app = make_app(detected)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_review(pilot)
        while screen.current.text != "Overvecht":
            await pilot.press("j")
        await pilot.press("n")
        assert all(s == REJECTED for k, s in statuses(detected).items() if k.endswith(":Overvecht"))


def test_tui_pseudonymise_snapshot(snap_compare, detected):
    async def run(pilot):
        await open_review(pilot)
        await pilot.press("j")

    assert snap_compare(make_app(detected), terminal_size=SIZE, run_before=run)


async def test_tui_pseudonymise_ctrl_z_takes_back_the_decision_not_a_coding_elsewhere(detected):
    """The footer showed 'u Undo' and '^z Undo'; Ctrl+Z undid the session's last coding, out of sight."""
    from test_tui_support import open_transcript

    app = make_app(detected)
    async with app.run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await pilot.press("right_curly_bracket", "space", "enter", *"vertrouwen", "enter")
        await pilot.pause()
        codings = len(detected.store.codings.find())
        assert codings == 1
        screen = await open_review(pilot)
        first = screen.current
        await pilot.press("a")
        assert statuses(detected)[f"{first.transcript_id}:{first.text}"] == ACCEPTED
        await pilot.press("ctrl+z")
        assert statuses(detected)[f"{first.transcript_id}:{first.text}"] == "pending"
        assert len(detected.store.codings.find()) == codings  # the coding is still there
        assert pilot.app.screen is screen and screen.current.id == first.id
