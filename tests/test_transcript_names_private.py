"""A transcript's own name can name a participant ("interview_marieke_jansen"): `qualcode
transcripts rename` gives it another, a pseudonymised export refuses while a name holds
an accepted name (it would show it whatever the text says), and `pseudonymise apply` warns."""

from __future__ import annotations

import zipfile

import pytest
from click.testing import CliRunner
from pseudo_support import StubDetector
from test_pseudonymise_export_names import FLAGS, INTERVIEW, ORIGINALS, accept_all, imported

from qualcode.cli import main, pseudo_cmds


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), "--coder", "anna", *args])


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = tmp_path / "studie"
    project = imported(root, {"interview_marieke_jansen.md": INTERVIEW, "gewoon.txt": "R: Niemand hier.\n"})
    project.close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector(FLAGS))
    assert run(root, "code", "interview_marieke_jansen", "vertrouwen", "--turn", "3").exit_code == 0
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    return root


@pytest.mark.parametrize("export", [["export", "segments"], ["export", "qdpx"]])
def test_a_pseudonymised_export_refuses_while_a_transcript_name_holds_an_accepted_name(root, tmp_path, export):
    out = tmp_path / ("uit.qdpx" if export[1] == "qdpx" else "uit.csv")
    result = run(root, *export, "--pseudonymise", "-o", str(out))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "1 transcript name(s) hold a name accepted for pseudonymisation: 'interview_marieke_jansen' (Marieke" in result.output
    assert "qualcode transcripts rename interview_marieke_jansen" in result.output
    assert not out.exists()
    assert run(root, "transcripts", "rename", "interview_marieke_jansen", "interview_01").exit_code == 0
    result = run(root, *export, "--pseudonymise", "-o", str(out))
    assert result.exit_code == 0, result.output
    if export[1] == "qdpx":
        with zipfile.ZipFile(out) as z:
            text = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    else:
        text = out.read_text(encoding="utf-8")
    assert "interview_01" in text and not ORIGINALS.search(text.replace("interview_01", ""))


def test_apply_warns_of_a_transcript_name_that_holds_an_accepted_name(root):
    result = run(root, "pseudonymise", "apply")
    assert result.exit_code == 0, result.output
    assert "the transcript's name 'interview_marieke_jansen' holds" in result.stderr
    assert "qualcode transcripts rename interview_marieke_jansen NEW" in result.stderr


def test_rename_keeps_codings_and_a_changed_source_file_is_still_recognised(tmp_path):
    root = tmp_path / "p"
    imported(root, {"interview_marieke.txt": "I: Vraag?\nR: Antwoord over vertrouwen.\n"}).close()
    assert run(root, "code", "interview_marieke", "vertrouwen", "--turn", "2").exit_code == 0
    result = run(root, "transcripts", "rename", "interview_marieke", "interview_02")
    assert result.exit_code == 0 and "renamed transcript 'interview_marieke' to 'interview_02'" in result.stdout
    listed = run(root, "codings", "--format", "csv").stdout
    assert "interview_02" in listed and "vertrouwen" in listed and "interview_marieke" not in listed
    # The source file changed since: recognised by its path, not imported again under its old name.
    (root / "transcripts" / "interview_marieke.txt").write_text("I: Vraag?\nR: Ander antwoord.\n", encoding="utf-8")
    again = run(root, "import", str(root / "transcripts"))
    assert again.exit_code == 0, again.output
    assert "changed since it was imported as 'interview_02'" in again.output
    rows = run(root, "transcripts", "--format", "csv").stdout.splitlines()[1:]
    assert [r.split(",")[0] for r in rows] == ["interview_02"]  # no second transcript under the old name


@pytest.mark.parametrize(
    ("new", "says"),
    [("gewoon", "another transcript is called 'gewoon'"), ("  ", "the name is empty"), ("a\nb", "control character \\n")],
)
def test_rename_refuses_a_taken_empty_or_multi_line_name(tmp_path, new, says):
    root = tmp_path / "p"
    imported(root, {"een.txt": "R: Eén.\n", "gewoon.txt": "R: Twee.\n"}).close()
    result = run(root, "transcripts", "rename", "een", new)
    assert result.exit_code == 1 and says in result.output and "Traceback" not in result.output
    assert "een" in run(root, "transcripts", "--format", "csv").stdout
