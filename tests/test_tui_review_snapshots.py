"""Snapshots of the coding screen with pending suggestions, and of review mode.

The suggestions are stored directly (what a run stores), so the pictures never
depend on spaCy. Update with ``pytest tests/test_tui_review_snapshots.py
--snapshot-update`` and look at the SVGs before accepting them.
"""

from __future__ import annotations

from test_tui_snapshots import SIZE, opened, steady
from test_tui_support import (
    make_app,
)

NAME = "02_cjg_wijkcoach"
SUGGESTIONS = (  # (first words, last words, code, score, reason): the coded sentence of turn 2, turn 4
    ("Mijn caseload is", "vijfentwintig.", "rolverwachtingen_professional", 0.74, "learned from 12 coded sentences (score 0.74)"),
    ("We hebben in de wijk", "geleden.", "rolverwachtingen_migrantenorg", None, "matched keyword 'sleutelpersonen'"),
    ("We hebben in de wijk", "geleden.", "randvoorwaarden_structuur", None, "matched lemma 'project'"),
    ("Daar zitten mensen", "sleutelpersonen.", "eigen_kracht_gemeenschap", None, "matched keyword 'gemeenschap'"),
    ("Die hebben een training", "activiteit.", "randvoorwaarden_financiering", None, "matched keyword 'vergoeding'"),
)


def store_suggestions(project) -> None:
    store = project.store
    tid = store.transcripts.id_by_name(NAME)
    text = store.transcripts.text(tid)
    proposals = []
    for opening, closing, code, score, reason in SUGGESTIONS:
        start = text.index(opening)
        end = text.index(closing, start) + len(closing)
        proposals.append((start, end, code, "rules" if score is None else "learned", score, reason))
    store.suggestions.replace_pending(tid, proposals)


def to_turn_4(pilot):
    screen = pilot.app.screen
    screen.document.move_to(screen.model.text.index("Ehm, op verschillende"))


def test_tui_review_snapshot_pending_suggestions(snap_compare, sample_project):
    """Underlined in the code's colour with a ┆ in the margin; the one at the cursor in the status."""
    store_suggestions(sample_project)

    def on_the_first(pilot):
        screen = pilot.app.screen
        screen.document.move_to(screen.model.text.index("Mijn caseload is") + 5)

    run = steady(opened(NAME), on_the_first)
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_review_snapshot_review_mode(snap_compare, sample_project):
    """The one under review highlighted, the panel with n of N, code, score, why and the keys."""
    store_suggestions(sample_project)
    run = steady(opened(NAME), to_turn_4, ["E", "X", "greater_than_sign"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_review_snapshot_after_accepting(snap_compare, sample_project):
    """An accepted suggestion is a coding like any other (tinted, a bar in the margin)."""
    store_suggestions(sample_project)
    run = steady(opened(NAME), to_turn_4, ["E", "greater_than_sign", "greater_than_sign", "A"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_review_snapshot_a_long_reason_wrapped(snap_compare, sample_project):
    """A reason longer than the panel is wide wraps (three lines at most); the keys line stays below it."""
    store = sample_project.store
    tid = store.transcripts.id_by_name(NAME)
    text = store.transcripts.text(tid)
    start = text.index("Ehm, op verschillende")
    end = text.index(".", start) + 1
    reason = (
        "rule: matched keyword 'wijk'; this hint was right in 2 of 4 coded sentences; the learned model adds its"
        " score (score 0.04); next to a sentence that matched keyword 'bereiken'; this code's coded passages run"
        " over several sentences: right in 3 of 5 coded sentences; the learned model adds its score"
    )
    store.suggestions.replace_pending(tid, [(start, end, "eigen_kracht_gemeenschap", "rules+learned", 0.41, reason)])
    run = steady(opened(NAME), to_turn_4, ["E"])
    assert snap_compare(make_app(sample_project), terminal_size=(160, 40), run_before=run)
