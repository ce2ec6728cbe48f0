"""Names that look the same are the same name: a transcript's or a coder's name is kept in NFC
without control characters, wherever it comes from (a file name, --name, --coder, a --from
file's coder column, a .qdpx's users, merge --as), and a name typed in another form finds it."""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from conftest import cli_project
from test_refi_support import DATA, FEATURES_SOURCE, make_qdpx, new_project

from qualcode.cli import main
from qualcode.refi.project_import import import_qdpx

NFC = "José"
NFD = unicodedata.normalize("NFD", NFC)
TRANSCRIPT = "I: Wat verwacht u?\nR: Dat ze ons serieus nemen.\n"
CODEBOOK = "title: T\ncodes:\n  - id: kracht\n    name: Eigen kracht\n"


@pytest.fixture
def project(tmp_path, runner) -> Path:
    return cli_project(runner, tmp_path / "p", CODEBOOK, {"int1.txt": TRANSCRIPT})


def invoke(runner, project: Path, *args: str):
    return runner.invoke(main, ["--project", str(project), *args])


def column(project: Path, sql: str) -> list[str]:
    with sqlite3.connect(project / "qualcode.db") as conn:
        return [row[0] for row in conn.execute(sql)]


def test_names_a_decomposed_file_name_is_the_composed_transcript_name(runner, project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{NFD}.txt").write_text(TRANSCRIPT.replace("serieus", "echt"), encoding="utf-8")
    result = invoke(runner, project, "import", str(folder / f"{NFD}.txt"))
    assert result.exit_code == 0, result.output
    assert "control characters" not in result.output  # NFC alone is no change worth a warning
    assert NFC in column(project, "SELECT name FROM transcripts")
    shown = invoke(runner, project, "show", NFD)  # typed decomposed, found all the same
    assert shown.exit_code == 0 and f"{NFC}: 2 turn(s)" in shown.output


def test_names_two_files_that_look_alike_are_not_two_alike_transcripts(runner, project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{NFC}.txt").write_text(TRANSCRIPT.replace("serieus", "echt"), encoding="utf-8")
    (folder / f"{NFD}.txt").write_text(TRANSCRIPT.replace("serieus", "heel"), encoding="utf-8")
    result = invoke(runner, project, "import", str(folder))
    assert result.exit_code == 0, result.output
    names = column(project, "SELECT name FROM transcripts ORDER BY id")
    assert sorted(names[1:]) == [NFC, f"{NFC}-2"] and f"another transcript is called '{NFC}'" in result.output


def test_names_rename_to_a_decomposed_name_stores_it_composed(runner, project):
    result = invoke(runner, project, "transcripts", "rename", "int1", NFD)
    assert result.exit_code == 0, result.output
    assert column(project, "SELECT name FROM transcripts") == [NFC]


@pytest.mark.parametrize("given", [NFD, f" {NFD}\t", f"{NFC}\x01"])
def test_names_a_coder_is_one_coder_however_the_name_was_typed(runner, project, tmp_path, given):
    assert invoke(runner, project, "--coder", NFC, "code", "int1", "kracht", "--turn", "1").exit_code == 0
    result = invoke(runner, project, "--coder", given, "code", "int1", "kracht", "--turn", "2")
    assert result.exit_code == 0, result.output
    source = tmp_path / "c.csv"
    source.write_text(f"transcript,code,span,coder\nint1,kracht,3:10,{given}\n", encoding="utf-8")
    result = invoke(runner, project, "--coder", "anna", "code", "--from", str(source))
    assert result.exit_code == 0, result.output
    assert set(column(project, "SELECT coder FROM codings")) == {NFC}
    listed = invoke(runner, project, "codings", "--coders", NFD, "--format", "csv")
    assert listed.exit_code == 0 and listed.output.count(NFC) == 3


def test_names_a_qdpx_user_and_source_are_kept_composed(tmp_path):
    qde = (DATA / "features.qde").read_text(encoding="utf-8")
    assert 'name="Anna"' in qde and 'name="interview 1"' in qde
    named = qde.replace('name="Anna"', f'name="{NFD}&#9;"', 1).replace('name="interview 1"', f'name="{NFD}&#9;1"', 1)
    path = make_qdpx(tmp_path / "x.qdpx", named, {FEATURES_SOURCE: (DATA / "features-1.txt").read_bytes()})
    project = new_project(tmp_path)
    import_qdpx(project, path, default_coder="tester")
    coders = set(column(project.root, "SELECT coder FROM codings"))
    assert NFC in coders and NFD not in coders and not any("\t" in c for c in coders)
    assert f"{NFC} 1" in column(project.root, "SELECT name FROM transcripts")


def test_names_a_merged_copy_that_wrote_a_coder_decomposed_adds_no_second_coder(runner, project, tmp_path):
    """Their copy (made before names were kept in NFC) wrote 'José' decomposed: merged, it is
    the 'José' of this project, not a second coder who looks the same."""
    other = tmp_path / "kopie"
    shutil.copytree(project, other)
    assert invoke(runner, project, "--coder", NFC, "code", "int1", "kracht", "--turn", "1").exit_code == 0
    assert invoke(runner, other, "--coder", "bram", "code", "int1", "kracht", "--turn", "2").exit_code == 0
    with sqlite3.connect(other / "qualcode.db") as conn:
        conn.execute("UPDATE codings SET coder = ?", (NFD,))
    result = invoke(runner, project, "merge", str(other))
    assert result.exit_code == 0, result.output
    assert set(column(project, "SELECT coder FROM codings")) == {NFC}
    assert invoke(runner, project, "merge", str(other)).exit_code == 0  # twice adds nothing
    assert len(column(project, "SELECT coder FROM codings")) == 2
