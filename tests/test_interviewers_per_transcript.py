"""Interviewers per transcript: speech recognition numbers whoever speaks, so 'Spreker 1'
asks the questions in one transcript and answers them in the next. Making the label an
interviewer everywhere (what `import` used to propose) turned the other transcripts'
respondent into an interviewer: their answers left suggestions and statistics by role."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.project import INTERVIEWER, RESPONDENT, ProjectConfig, load_config
from qualcode.store import Store

CODEBOOK = "title: Rollen\ncodes:\n  - id: rol\n    name: Rol\n"

# Spreker 1 asks in a; in b the respondent speaks first and Spreker 2 asks.
A = """\
Spreker 1: Hoe lang werkt u al bij het wijkteam?
Spreker 2: Ongeveer zes jaar. Daarvoor zat ik in de jeugdzorg.
Spreker 1: En hoe is het contact met de moskee?
Spreker 2: Goed, we hebben elke maand overleg met de voorzitter.
Spreker 1: Wat verwacht u van hen?
Spreker 2: Dat ze signalen doorgeven als een gezin het moeilijk heeft.
"""
B = """\
Spreker 1: Goedemorgen! Kom binnen.
Spreker 2: Dank u. Mag ik beginnen met de eerste vraag: wat doet uw stichting?
Spreker 1: Wij organiseren koffieochtenden voor moeders uit de buurt.
Spreker 2: Hoe werkt u samen met het consultatiebureau?
Spreker 1: Soms komt de verpleegkundige langs om iets te vertellen.
Spreker 2: En wat zou beter kunnen?
Spreker 1: Dat ze ons serieus nemen als partner.
"""


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    return root


def run(project: Path, *args: str):
    return CliRunner().invoke(main, ["--project", str(project), *args])


def roles(project: Path) -> dict[tuple[str, str], str]:
    with Store(project / "qualcode.db") as store:
        return {(name, speaker): role for name, speaker, role, _ in store.transcripts.speakers_by_transcript()}


def import_ab(project: Path):
    (project / "transcripts" / "a.txt").write_text(A, encoding="utf-8")
    (project / "transcripts" / "b.txt").write_text(B, encoding="utf-8")
    result = run(project, "import", str(project / "transcripts"))
    assert result.exit_code == 0, result.output
    return result


def test_role_of_reads_a_transcripts_own_interviewers_first():
    config = ProjectConfig(interviewers={"b": ["spreker 2 "]})
    assert config.role_of("Spreker 2", "b") == INTERVIEWER and config.role_of("Spreker 1", "b") == RESPONDENT
    assert config.role_of("I", "b") == RESPONDENT  # the transcript's own list is the whole answer there
    assert config.role_of("I", "a") == INTERVIEWER and config.role_of("Spreker 2", "a") == RESPONDENT  # the patterns
    assert config.role_of(None, "b") == RESPONDENT and config.role_of("I") == INTERVIEWER


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("interviewers: [Spreker 1]", "interviewers must map a transcript's name to a list of speaker labels"),
        ("interviewers: {a: Spreker 1}", "interviewers of 'a' must be a list of speaker labels, e.g. [Spreker 1]"),
        ("interviewers: {a: [1, 2]}", "interviewers of 'a': the label 1 must be text: write it in quotes"),
        ("interviewers: {3: [x]}", "interviewers: the transcript name 3 must be text: write it in quotes ('3')"),
    ],
)
def test_a_malformed_interviewers_setting_is_a_clear_error(tmp_path, value, said):
    (tmp_path / "qualcode.yaml").write_text(f"suggestion_threshold: 0.3\n{value}\n", encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        load_config(tmp_path)
    assert f"line 2: {said}" in caught.value.message


def test_an_empty_interviewers_setting_is_none(tmp_path):
    (tmp_path / "qualcode.yaml").write_text("interviewers:\n", encoding="utf-8")
    assert load_config(tmp_path).interviewers == {}


def test_import_proposes_the_interviewer_of_each_transcript_for_numbered_labels(project):
    result = import_ab(project)
    assert "run `qualcode speakers --interviewer 'Spreker 1' --transcript a`" in result.stderr
    assert "run `qualcode speakers --interviewer 'Spreker 2' --transcript b`" in result.stderr
    # What it proposes gives each transcript its own interviewer.
    assert run(project, "speakers", "--interviewer", "Spreker 1", "--transcript", "a").exit_code == 0
    result = run(project, "speakers", "--interviewer", "spreker 2", "--transcript", "b", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Spreker 2 is an interviewer in b from now on" in result.stderr
    assert roles(project) == {
        ("a", "Spreker 1"): INTERVIEWER,
        ("a", "Spreker 2"): RESPONDENT,
        ("b", "Spreker 1"): RESPONDENT,
        ("b", "Spreker 2"): INTERVIEWER,
    }
    assert load_config(project).interviewers == {"a": ["Spreker 1"], "b": ["Spreker 2"]}
    rows = {(r["speaker"], r["role"]): r for r in json.loads(result.stdout)}
    assert rows["Spreker 1", INTERVIEWER]["transcripts"] == 1 and rows["Spreker 1", RESPONDENT]["transcripts"] == 1
    assert all(r["setting says"] == "" for r in rows.values())
    listing = run(project, "speakers")
    assert "differs" not in listing.stderr


def test_a_named_interviewer_is_still_proposed_for_every_transcript(project):
    (project / "transcripts" / "t.txt").write_text(A.replace("Spreker 1", "Lotte Jansen"), encoding="utf-8")
    result = run(project, "import", str(project / "transcripts"))
    assert "run `qualcode speakers --interviewer 'Lotte Jansen'`" in result.stderr


def test_a_numbered_label_made_interviewer_everywhere_is_pointed_out(project):
    import_ab(project)
    result = run(project, "speakers", "--interviewer", "Spreker 1")
    assert result.exit_code == 0
    assert "it is now the interviewer in all 2 transcript(s)" in result.stderr and "--transcript NAME" in result.stderr
    # The transcript where someone else asks: named there, the number the patterns gave is not kept.
    assert run(project, "speakers", "--interviewer", "Spreker 2", "--transcript", "b").exit_code == 0
    assert roles(project)[("b", "Spreker 1")] == RESPONDENT and roles(project)[("b", "Spreker 2")] == INTERVIEWER
    assert roles(project)[("a", "Spreker 1")] == INTERVIEWER


def test_a_transcripts_first_entry_keeps_the_interviewers_the_patterns_gave_it(project):
    (project / "transcripts" / "c.txt").write_text("I: Wie bent u?\nSpreker 2: Ook een vraag: mag ik?\nR: Ik ben Els.\n")
    assert run(project, "import", str(project / "transcripts")).exit_code == 0
    assert run(project, "speakers", "--interviewer", "Spreker 2", "--transcript", "c").exit_code == 0
    assert load_config(project).interviewers == {"c": ["I", "Spreker 2"]}
    assert roles(project)[("c", "I")] == INTERVIEWER and roles(project)[("c", "R")] == RESPONDENT


def test_a_reimport_keeps_the_transcripts_own_interviewer(project):
    import_ab(project)
    assert run(project, "speakers", "--interviewer", "Spreker 2", "--transcript", "b").exit_code == 0
    path = project / "transcripts" / "b.txt"
    path.write_text(B.replace("partner.", "volwaardige partner."), encoding="utf-8")
    assert run(project, "reimport", "b").exit_code == 0
    assert roles(project)[("b", "Spreker 2")] == INTERVIEWER and roles(project)[("b", "Spreker 1")] == RESPONDENT


def test_speakers_transcript_errors(project):
    import_ab(project)
    alone = run(project, "speakers", "--transcript", "a")
    assert alone.exit_code == 2 and "give --interviewer too" in alone.output
    unknown = run(project, "speakers", "--interviewer", "Spreker 1", "--transcript", "zz")
    assert unknown.exit_code == 1 and "no transcript named 'zz'" in unknown.stderr and "Traceback" not in unknown.output
    nobody = run(project, "speakers", "--interviewer", "Spreker 3", "--transcript", "a")
    assert nobody.exit_code == 1 and "no speaker 'Spreker 3'" in nobody.stderr and "Spreker 2" in nobody.stderr
    assert load_config(project).interviewers == {}  # nothing written


def test_a_renamed_transcript_keeps_its_own_interviewers(project):
    import_ab(project)
    assert run(project, "speakers", "--interviewer", "Spreker 2", "--transcript", "b").exit_code == 0
    assert run(project, "transcripts", "rename", "b", "interview_02").exit_code == 0
    assert load_config(project).interviewers == {"interview_02": ["Spreker 2"]}
    assert run(project, "speakers", "--apply").exit_code == 0
    assert roles(project)[("interview_02", "Spreker 2")] == INTERVIEWER


def test_import_points_to_guess_when_several_transcripts_lack_an_interviewer(project):
    result = import_ab(project)
    assert "2 transcripts have no interviewer: `qualcode speakers --guess`" in result.stderr


def test_guess_shows_asks_and_sets_each_transcripts_interviewer(project):
    import_ab(project)
    (project / "transcripts" / "c.txt").write_text(A.replace("Spreker 1", "Lotte Jansen"), encoding="utf-8")
    (project / "transcripts" / "d.txt").write_text("Spreker 1: Ja.\nSpreker 2: Nee.\n", encoding="utf-8")
    assert run(project, "import", str(project / "transcripts")).exit_code == 0
    refused = CliRunner().invoke(main, ["--project", str(project), "speakers", "--guess"], input="n\n")
    assert refused.exit_code == 1 and load_config(project).interviewers == {}  # asked: nothing written
    assert "a: Spreker 1 asks questions in 3 of 3 turns -> interviewer in this transcript only" in refused.stderr
    assert "c: Lotte Jansen asks questions in 3 of 3 turns -> interviewer in every transcript" in refused.stderr
    assert "d: no speaker clearly asks the questions" in refused.stderr
    result = run(project, "speakers", "--guess", "--yes")
    assert result.exit_code == 0, result.output
    assert load_config(project).interviewers == {"a": ["Spreker 1"], "b": ["Spreker 2"]}
    assert "Lotte Jansen" in load_config(project).interviewer_speakers
    got = roles(project)
    assert got[("a", "Spreker 1")] == got[("b", "Spreker 2")] == got[("c", "Lotte Jansen")] == INTERVIEWER
    assert got[("a", "Spreker 2")] == got[("b", "Spreker 1")] == got[("c", "Spreker 2")] == RESPONDENT
    again = run(project, "speakers", "--guess", "--yes")
    assert again.exit_code == 0 and "d: no speaker clearly asks" in again.stderr  # only the unclear one is left
    both = run(project, "speakers", "--guess", "--interviewer", "Spreker 1")
    assert both.exit_code == 2 and "leave out --interviewer" in both.output


HEADED = """\
Interview 4 – Project Wonen
Interviewer: Sanne de Vries
Respondent: Yusuf (m, 34)

Sanne: Hoe woon je nu?
Yusuf: Klein. Te klein.
Sanne: Wat zou je willen?
Yusuf: Een tuin.
"""


def test_a_header_naming_the_interviewer_gives_the_roles_of_name_labelled_turns(project: Path) -> None:
    (project / "transcripts" / "wonen.txt").write_text(HEADED, encoding="utf-8")
    result = run(project, "import", str(project / "transcripts" / "wonen.txt"))
    assert result.exit_code == 0, result.output
    assert "wonen: Sanne is the interviewer, as its header says ('Interviewer: Sanne de Vries')" in result.output
    assert roles(project) == {("wonen", "Sanne"): INTERVIEWER, ("wonen", "Yusuf"): RESPONDENT}
    assert load_config(project).interviewers == {"wonen": ["Sanne"]}  # `speakers --apply` keeps it
    assert run(project, "speakers", "--apply").exit_code == 0
    assert roles(project)[("wonen", "Sanne")] == INTERVIEWER
    assert "no speaker is an interviewer" not in result.output


def test_a_header_naming_the_interviewer_does_not_overrule_the_settings(project: Path) -> None:
    text = HEADED.replace("Sanne:", "I:").replace("Yusuf:", "R:")
    (project / "transcripts" / "wonen.txt").write_text(text, encoding="utf-8")
    result = run(project, "import", str(project / "transcripts" / "wonen.txt"))
    assert result.exit_code == 0, result.output
    assert roles(project) == {("wonen", "I"): INTERVIEWER, ("wonen", "R"): RESPONDENT}
    assert "as its header says" not in result.output and load_config(project).interviewers == {}
