"""Speaker labels with what Dutch transcripts add to a role: "I.:"/"R.:", "Interviewer (Lotte):".

Found importing transcripts in these conventions: "R.:" said once was no label (its answer
became part of the question before it), and "I." and "Interviewer (Lotte)" were taken for
respondents, so the interviewer's questions were counted and proposed as answers.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.ingest import parse_turns
from qualcode.model import INTERVIEWER, RESPONDENT
from qualcode.project import ProjectConfig


def test_a_one_letter_role_with_a_full_stop_is_a_label_on_sight():
    turns = parse_turns("I.: Hoe gaat het?\nR.: Goed.\nI.: En verder?\n")
    assert [t.speaker for t in turns] == ["I.", "R.", "I."]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("I.", INTERVIEWER),
        ("V.", INTERVIEWER),
        ("Interviewer (Lotte)", INTERVIEWER),
        ("Moderator 2 (Noor)", INTERVIEWER),
        ("I", INTERVIEWER),
        ("R.", RESPONDENT),
        ("Respondent (Fatima)", RESPONDENT),
        ("Mevrouw Bergkamp (D66)", RESPONDENT),
        ("Iris", RESPONDENT),
        # Two interviewers, and the other abbreviations transcribers write for one.
        ("I1", INTERVIEWER),
        ("I 2", INTERVIEWER),
        ("INT2", INTERVIEWER),
        ("IV", INTERVIEWER),
        ("Researcher", INTERVIEWER),
        ("R1", RESPONDENT),
        ("Ik", RESPONDENT),
    ],
)
def test_the_default_interviewer_patterns_see_through_a_full_stop_and_a_name_in_brackets(label, role):
    assert ProjectConfig().role_of(label) == role


def test_a_pattern_written_for_the_whole_label_still_matches_it():
    config = ProjectConfig(interviewer_speakers=[r"lotte \(onderzoeker\)"])
    assert config.role_of("Lotte (onderzoeker)") == INTERVIEWER
    assert config.role_of("Lotte") == RESPONDENT


def test_import_gives_the_interviewer_role_to_such_labels(tmp_path):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "a.txt").write_text(
        "Interviewer (Lotte): Hoe gaat het?\nRespondent (Fatima): Goed.\nI.: En verder?\nR.: Ook goed.\n", encoding="utf-8"
    )
    assert CliRunner().invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0
    result = CliRunner().invoke(main, ["--project", str(root), "speakers", "--format", "csv"])
    roles = {row.split(",")[0]: row.split(",")[1] for row in result.stdout.splitlines()[1:]}
    assert roles == {
        "I.": INTERVIEWER,
        "Interviewer (Lotte)": INTERVIEWER,
        "R.": RESPONDENT,
        "Respondent (Fatima)": RESPONDENT,
    }


@pytest.mark.parametrize("label", ["I. (Lotte)", "I. (Lotte).", "Interviewer (Lotte).", "V. (Noor)"])
def test_a_full_stop_before_or_after_the_name_in_brackets_is_seen_through_too(label):
    # "I. (Lotte):" is a label as the import reads it: it was a respondent's, where "I." and
    # "Interviewer (Lotte)" are the interviewer's.
    assert ProjectConfig().role_of(label) == INTERVIEWER


def test_a_label_with_a_full_stop_and_a_name_in_brackets_is_read_as_such():
    turns = parse_turns("I. (Lotte): Hoe gaat het?\nR. (Fatima): Goed.\nI. (Lotte): En?\n")
    assert [t.speaker for t in turns] == ["I. (Lotte)", "R. (Fatima)", "I. (Lotte)"]
