"""Candidates left pending by `apply --ignore-pending` are shown in the text they were found in.

Their offsets count in the original text; the list and the review screen took the context
from the pseudonymised text, so every name shifted ("va[Info Support]rt", the review
screen highlighting the wrong words).
"""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from pseudo_support import StubDetector, make_pseudo_project
from test_tui_support import make_app, settle

from qualcode.cli import main
from qualcode.pseudonymise import apply as ap
from qualcode.pseudonymise import review
from qualcode.pseudonymise.runner import open_key, run_detection
from qualcode.tui.screens.pseudonymise import PseudonymiseScreen

STUB = StubDetector({"Hatice Yilmaz": "person", "Marieke": "person", "06-12345678": "phone"})


@pytest.fixture
def applied(tmp_path):
    """Hatice accepted and applied; Marieke left pending."""
    project = make_pseudo_project(tmp_path / "studie")
    run_detection(project, STUB)
    key = open_key(project.root)
    try:
        hatice = next(c for c in key.candidates() if c.text == "Hatice Yilmaz")
        review.accept(project.store, key, hatice.id, "anna")
        ap.apply(project.store, key, ignore_pending=True)
    finally:
        key.close()
    yield project
    project.close()


def marieke_context(root) -> str:
    out = (
        CliRunner()
        .invoke(main, ["--project", str(root), "pseudonymise", "list", "--transcript", "int1", "--format", "csv"])
        .output
    )
    return next(r["context"] for r in csv.DictReader(io.StringIO(out)) if r["text"] == "Marieke")


def test_list_shows_a_pending_candidate_of_an_applied_transcript_in_its_original_text(applied):
    assert "Hatice belde [Marieke] van het buurtteam" in marieke_context(applied.root)


def test_list_shows_the_candidate_alone_once_the_originals_are_forgotten(applied):
    key = open_key(applied.root)
    try:
        ap.forget_originals(key)
    finally:
        key.close()
    assert marieke_context(applied.root) == "[Marieke]"


async def test_review_screen_highlights_the_candidate_itself_after_apply(applied):
    app = make_app(applied)
    async with app.run_test(size=(100, 24)) as pilot:
        pilot.app.action_show_screen("pseudonymise")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PseudonymiseScreen)
        while screen.current.text != "Marieke":
            await pilot.press("j")
        body = screen.query_one("#pseudo-context").render()
        highlighted = [body.plain[s.start : s.end] for s in body.spans if "reverse" in repr(s.style)]
        assert highlighted == ["Marieke"]
        assert "belde Marieke van het buurtteam" in body.plain
