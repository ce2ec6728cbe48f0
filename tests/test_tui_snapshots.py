"""Snapshots of every screen in its main states (look at the SVGs before accepting them).

Everything happens in ``run_before`` (open, move, type), waiting for the workers after
every step; cursors never blink in tests (conftest.py), so the pictures never depend on timing.
Update with ``pytest tests/test_tui_snapshots.py --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

from test_tui_support import (
    make_app,
    make_project,
    open_transcript,
    settle,
)
from test_tui_wide import WIDE

from qualcode.store import Store

SIZE = (110, 34)


def steady(*steps):
    """A run_before that performs ``steps`` (callables or key lists), settling the screen after each."""

    async def run_before(pilot):
        await pilot.pause()
        for step in steps:
            if callable(step):
                result = step(pilot)
                if result is not None and hasattr(result, "__await__"):
                    await result
            else:
                await pilot.press(*step)
            await settle(pilot)

    return run_before


def opened(name: str | None = None):
    async def step(pilot):
        await open_transcript(pilot, name)

    return step


def test_tui_snapshot_transcripts(snap_compare, sample_project):
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=steady())


def test_tui_snapshot_transcripts_filtered(snap_compare, sample_project):
    run = steady(["slash", *"respondent_type=professional", "enter"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_coding(snap_compare, sample_project):
    """Turns with speaker, number, timestamp; coded spans tinted, bars in the margin."""
    run = steady(opened("02_cjg_wijkcoach"), ["right_curly_bracket"] * 3)
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def overlap_sentence(pilot):
    """Select the first sentence where two codings overlap (status lists both)."""
    screen = pilot.app.screen
    model = screen.model
    pos = next(p for s, e, ids in model.index.segments(0, len(model.text)) if len(ids) > 1 for p in [s])
    screen.document.select(*model.sentence_at(pos))


def test_tui_snapshot_coding_overlap_and_selection(snap_compare, sample_project):
    run = steady(opened("01_al_amal_vrijwilliger"), overlap_sentence)
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_code_picker(snap_compare, sample_project):
    run = steady(opened("01_al_amal_vrijwilliger"), ["right_curly_bracket", "space", "enter", *"vertr", "tab", "down"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_memo(snap_compare, sample_project):
    run = steady(
        opened("01_al_amal_vrijwilliger"),
        ["right_curly_bracket", "right_curly_bracket", "right_curly_bracket", "space", "g", "M", *"Netwerk als vangnet"],
    )
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_choose_coding_to_remove(snap_compare, sample_project):
    run = steady(opened("01_al_amal_vrijwilliger"), overlap_sentence, ["delete"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_coding_filtered_to_a_code(snap_compare, sample_project):
    def filter_code(pilot):
        pilot.app.screen.set_filter("vertrouwen")  # the parent: its three sub-codes too

    run = steady(opened("01_al_amal_vrijwilliger"), filter_code)
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_coding_search(snap_compare, sample_project):
    run = steady(opened("01_al_amal_vrijwilliger"), ["slash", *"moeder", "enter", "n"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_missing_code_greyed(snap_compare, small_project):
    small_project.store.codes.ensure("oud", "Oude code")
    with Store(small_project.db_path) as other:
        text = other.transcripts.text(1)
        other.codings.add(
            1, text.index("Toen kwam"), text.index("blijven") if "blijven" in text else text.index("komen.") + 6, "oud", "x"
        )
    run = steady(opened(), ["right_curly_bracket", "right_parenthesis", "right_parenthesis"])
    assert snap_compare(make_app(small_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_coding_narrow_terminal(snap_compare, sample_project):
    run = steady(opened("03_focusgroep_sleutelpersonen"), ["right_curly_bracket", "T"])
    assert snap_compare(make_app(sample_project), terminal_size=(72, 26), run_before=run)


def test_tui_snapshot_wide_characters(snap_compare, tmp_path):
    project = make_project(tmp_path / "breed", {"breed.txt": WIDE})
    run = steady(
        opened(),
        ["right_curly_bracket", "right_parenthesis", "space", "h", "escape", "left_curly_bracket", "ctrl+right", "ctrl+right"],
    )
    assert snap_compare(make_app(project), terminal_size=(80, 20), run_before=run)


def test_tui_snapshot_retrieval(snap_compare, sample_project):
    def retrieval(pilot):
        pilot.app.action_show_retrieval(["doorverwijzing_drempels"])

    run = steady(retrieval, ["down", "down"])
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)


def test_tui_snapshot_help(snap_compare, small_project):
    app = make_app(small_project, keymap_file=Path("/home/onderzoeker/.config/qualcode/keymap.yaml"))
    assert snap_compare(app, terminal_size=SIZE, run_before=steady(["question_mark"]))


def test_tui_snapshot_coder_name_question(snap_compare, small_project):
    from qualcode.tui import build_app

    app = build_app(small_project, watch_store=False)
    app.coder = "onderzoeker"  # the login name differs per machine
    assert snap_compare(app, terminal_size=(90, 24), run_before=steady())


def test_tui_snapshot_memo_with_a_restored_draft(snap_compare, sample_project, monkeypatch):
    """What an earlier session was writing when it stopped, offered back (its time fixed)."""
    from qualcode.tui.widgets import memo

    monkeypatch.setattr(memo, "_local", lambda stamp: "07-12 14:48")

    def leave_a_draft(pilot):
        (coding,) = [c for c in sample_project.store.codings.find() if c.memo == "eerst"]
        sample_project.store.codings.keep_draft(coding.id, "Netwerk als vangnet: de buurvrouwen")

    run = steady(
        opened("01_al_amal_vrijwilliger"),
        ["right_curly_bracket", "right_curly_bracket", "right_curly_bracket", "space", "g", "M", *"eerst", "ctrl+s"],
        leave_a_draft,
        ["M"],
    )
    assert snap_compare(make_app(sample_project), terminal_size=SIZE, run_before=run)
