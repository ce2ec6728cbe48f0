"""A name said only as a speaker label ("HATICE:", "Respondent (Fatima):") in a pseudonymised export.

Labels are never candidates, so a name that is only a label had no pseudonym: the
export's speaker column (and a .qdpx's turns) carried it with no word of warning.
"""

from __future__ import annotations

import csv
import io
import shlex
from types import SimpleNamespace

import pytest
from pseudo_support import StubDetector, cli_project
from pseudo_support import cli as run

from qualcode.cli import pseudo_cmds
from qualcode.pseudonymise.context import label_names

TEXT = "HATICE: Ik werk al lang als vrijwilliger.\nI: Mooi.\nHATICE: Ja.\n"


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = cli_project(tmp_path, monkeypatch, TEXT)
    assert run(root, "code", "gesprek", "voorbeeld", "--turn", "1").exit_code == 0
    assert run(root, "pseudonymise", "detect").exit_code == 0
    return root


@pytest.mark.parametrize(
    ("label", "names"),
    [
        ("Respondent (Fatima)", {"Fatima"}),  # after a role the brackets hold the name
        ("Interviewer (Lotte van Dijk)", {"Lotte van Dijk"}),
        ("Respondent (R1)", set()),
        ("Deelnemer (moeder)", set()),
        ("Mevrouw Bergkamp (D66)", {"Bergkamp"}),  # after a name they hold a party
        # A role with a full stop: "R." was taken for a name of its own (none: too short), so
        # Fatima went out unnoticed; "Interviewer." was a name.
        ("R. (Fatima)", {"Fatima"}),
        ("I. (Lotte).", {"Lotte"}),
        ("Interviewer (Lotte).", {"Lotte"}),
        ("Jansen.", {"Jansen"}),
        (".", set()),
    ],
)
def test_a_name_in_brackets_after_a_role_is_a_label_name(label, names):
    assert label_names([SimpleNamespace(speaker=label)]) == names


def test_export_refuses_a_label_that_names_someone_and_says_how_to_mark_it(root):
    result = run(root, "export", "segments", "--pseudonymise")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "'HATICE' (gesprek)" in result.stderr and "would show them" in result.stderr
    hint = "qualcode pseudonymise add gesprek --span 0:6 --category person"
    assert hint in result.stderr
    assert run(root, *hint.removeprefix("qualcode ").split()).exit_code == 0  # as the hint says
    result = run(root, "export", "segments", "--pseudonymise")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["speaker"] for r in rows] == ["[persoon 1]"]
    assert "hatice" not in result.stdout.casefold()


def test_a_label_the_researcher_says_is_no_name_is_exported_as_it_is(root):
    assert run(root, "pseudonymise", "never", "Hatice").exit_code == 0
    result = run(root, "export", "segments", "--pseudonymise")
    assert result.exit_code == 0, result.output
    assert "HATICE" in result.stdout


def test_apply_says_a_label_name_stays_and_how_to_replace_it(root):
    result = run(root, "pseudonymise", "apply")
    assert result.exit_code == 0, result.output
    assert "gesprek: the speaker label 'HATICE' names someone no accepted name covers: it stays as it is" in result.stderr
    steps = ["pseudonymise restore gesprek", "pseudonymise add gesprek --span 0:6 --category person"]
    assert all(f"`qualcode {step}`" in result.stderr for step in steps)
    for step in [*steps, "pseudonymise apply"]:  # the way it says works
        again = run(root, *step.split())
        assert again.exit_code == 0, (step, again.output)
    assert "HATICE" not in again.stderr
    assert run(root, "export", "segments", "--pseudonymise").exit_code == 0


def test_export_refuses_a_name_after_a_role_with_a_full_stop(tmp_path, monkeypatch):
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({}))
    root = tmp_path / "studie"
    assert run(None, "init", str(root)).exit_code == 0
    text = "I. (Lotte): Hoe gaat het?\nR. (Fatima): Goed.\n"
    (root / "transcripts" / "gesprek.txt").write_text(text, encoding="utf-8")
    assert run(root, "import", str(root / "transcripts")).exit_code == 0
    assert run(root, "code", "gesprek", "voorbeeld", "--turn", "2").exit_code == 0
    assert run(root, "pseudonymise", "detect").exit_code == 0
    result = run(root, "export", "segments", "--pseudonymise")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "Fatima" in result.stderr and "Lotte" in result.stderr, result.stderr


def test_the_hint_s_span_counts_in_the_text_itself_when_case_folding_changes_lengths(tmp_path, monkeypatch):
    # The span was found in a case-folded copy: a "ß" before the label (two letters folded) put it off.
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({}))
    root = tmp_path / "studie"
    assert run(None, "init", str(root)).exit_code == 0
    text = "Gesprek in de Hauptstraße\n\n" + TEXT
    (root / "transcripts" / "gesprek.txt").write_text(text, encoding="utf-8")
    assert run(root, "import", str(root / "transcripts")).exit_code == 0
    assert run(root, "code", "gesprek", "voorbeeld", "--turn", "1").exit_code == 0
    assert run(root, "pseudonymise", "detect").exit_code == 0
    result = run(root, "export", "segments", "--pseudonymise")
    at = text.index("HATICE")
    assert f"--span {at}:{at + 6} " in result.stderr


def test_the_hints_commands_for_a_label_of_two_words_run_as_shown(tmp_path, monkeypatch):
    # refi19: "Mevrouw De Smet:" gave `qualcode pseudonymise never De Smet`, which click refuses (exit 2).
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({}))
    root = tmp_path / "studie"
    assert run(None, "init", str(root)).exit_code == 0
    (root / "transcripts" / "gesprek in gent.txt").write_text("Mevrouw De Smet: Goeiemiddag.\nI: Dag.\n", encoding="utf-8")
    assert run(root, "import", str(root / "transcripts")).exit_code == 0
    assert run(root, "pseudonymise", "detect").exit_code == 0
    result = run(root, "export", "segments", "--pseudonymise")
    assert result.exit_code == 1
    assert "`qualcode pseudonymise never 'De Smet'`" in result.stderr
    add = "qualcode pseudonymise add 'gesprek in gent' --span 8:15 --category person"
    assert f"`{add}`" in result.stderr
    assert run(root, *shlex.split(add)[1:]).exit_code == 0  # as the hint says
    assert run(root, "export", "segments", "--pseudonymise").exit_code == 0
