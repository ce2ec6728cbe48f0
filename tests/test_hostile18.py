"""Round 18's hostile inputs: memo drafts, interviewers per transcript, REFI-QDA both ways."""

from __future__ import annotations

import pytest
from test_memo_drafts import SIZE, _coding, _memo_open
from test_tui_support import make_app, open_transcript

from qualcode.errors import QualcodeError
from qualcode.store import Store
from qualcode.tui.widgets import memo as memo_widget
from qualcode.tui.widgets.memo import MemoModal


@pytest.fixture
def often(monkeypatch):
    monkeypatch.setattr(memo_widget, "DRAFT_EVERY", 0.05)


async def test_typing_in_the_memo_of_a_coding_another_process_removed(small_project, often):
    async with make_app(small_project).run_test(size=SIZE) as pilot:
        await open_transcript(pilot)
        await _memo_open(pilot)
        with Store(small_project.store.path) as other:
            other.codings.remove(_coding(small_project).id)
        await pilot.press(*"half af")
        for _ in range(500):  # the draft's write comes after DRAFT_EVERY (late on a loaded machine)
            await pilot.pause(0.02)
            if any(n.title == "QC237" for n in pilot.app._notifications):
                break
        said = [n.message for n in pilot.app._notifications if n.title == "QC237"]
        assert len(said) == 1 and "was removed while its memo was being written" in said[0]
        assert isinstance(pilot.app.screen, MemoModal)  # what is typed stays on screen to copy
        await pilot.press(*" en verder")
        await pilot.pause(0.2)
        assert len([n for n in pilot.app._notifications if n.title == "QC237"]) == 1  # said once
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert any(n.title == "QC302" for n in pilot.app._notifications)  # the save says so too


def test_the_store_keeps_no_draft_for_a_removed_coding(small_project):
    store = small_project.store
    (tid,) = list(store.transcripts.names())
    coding = store.codings.add(tid, 0, 5, "drempels", "anna").coding
    store.codings.remove(coding.id)
    with pytest.raises(QualcodeError) as caught:
        store.codings.keep_draft(coding.id, "half af")
    assert caught.value.code == "QC237" and store.codings.drafts() == []
