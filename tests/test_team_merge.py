"""qualcode merge: another coder's copy (folder or .qdpx) into this project; nothing lost, nothing overwritten."""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner
from test_cli import CODEBOOK, TRANSCRIPT

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.project import Project
from qualcode.team.merge import NO_CODE, NO_TRANSCRIPT, merge_project

SECOND = "I: Nog iets?\nR: Nee, dat was het wel. Dank u.\n"


def at(text, phrase):
    start = text.index(phrase)
    return start, start + len(phrase)


@pytest.fixture
def copies(tmp_path):
    """The same study in two folders: anna's (here) and bram's (there), each coded by its coder."""
    runner = CliRunner()
    base = tmp_path / "base"
    assert runner.invoke(main, ["init", str(base)]).exit_code == 0
    (base / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (base / "transcripts" / "int1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert runner.invoke(main, ["--project", str(base), "import", str(base / "transcripts")]).exit_code == 0
    anna, bram = tmp_path / "anna", tmp_path / "bram"
    shutil.copytree(base, anna)
    shutil.copytree(base, bram)

    def code(root, coder, code_id, phrase, memo=None):
        args = [
            "--project",
            str(root),
            "--coder",
            coder,
            "code",
            "int1",
            code_id,
            "--span",
            "{}:{}".format(*at(TRANSCRIPT, phrase)),
        ]
        result = runner.invoke(main, args + (["--memo", memo] if memo else []))
        assert result.exit_code == 0, result.output

    code(anna, "anna", "rol", "Wij verwachten dat ze ons serieus nemen.")
    code(bram, "bram", "rol", "Wij verwachten dat ze ons serieus nemen.", memo="duidelijk")  # same span and code
    code(bram, "bram", "kracht", "De ouders hebben veel eigen kracht.")
    return anna, bram


def codings(root):
    project = Project.open(root)
    try:
        return sorted((c.coder, c.code_id, c.quote, c.memo) for c in project.store.codings.find())
    finally:
        project.close()


def test_team_merge_brings_the_other_coder_in_and_twice_adds_nothing(copies):
    anna, bram = copies
    project = Project.open(anna)
    result = merge_project(project, bram)
    assert result.matched == [("int1", "int1")]
    assert result.codings_read == 2 and result.codings_added == 2 and not result.aside
    assert not result.codebook
    again = merge_project(project, bram)
    assert again.codings_added == 0 and again.codings_present == 2
    project.close()
    assert codings(anna) == [
        ("anna", "rol", "Wij verwachten dat ze ons serieus nemen.", None),
        ("bram", "kracht", "De ouders hebben veel eigen kracht.", None),
        ("bram", "rol", "Wij verwachten dat ze ons serieus nemen.", "duidelijk"),
    ]


def test_team_merge_dry_run_changes_nothing(copies):
    anna, bram = copies
    before = codings(anna)
    project = Project.open(anna)
    result = merge_project(project, bram, dry_run=True)
    project.close()
    assert result.codings_added == 2
    assert codings(anna) == before


def test_team_merge_keeps_aside_what_has_no_place_and_places_it_later(copies):
    anna, bram = copies
    # bram has another transcript and a code anna's codebook lacks.
    (bram / "transcripts" / "int2.txt").write_text(SECOND, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(bram), "import", str(bram / "transcripts" / "int2.txt")]).exit_code == 0
    book = CODEBOOK + "  - id: extra\n    name: Extra\n"
    (bram / "codebooks" / "codebook.yaml").write_text(book, encoding="utf-8")
    for args in (["int2", "kracht", "--span", "{}:{}".format(*at(SECOND, "Nee, dat was het wel."))],
                 ["int1", "extra", "--span", "{}:{}".format(*at(TRANSCRIPT, "Dat werkt goed"))]):  # fmt: skip
        result = runner.invoke(main, ["--project", str(bram), "--coder", "bram", "code", *args])
        assert result.exit_code == 0, result.output
    project = Project.open(anna)
    result = merge_project(project, bram)
    assert result.missing == ["int2"]
    assert result.aside == {NO_TRANSCRIPT: 1, NO_CODE: 1}
    assert [c.kind for c in result.codebook.changes] == ["added"]
    aside = project.store.team.aside()
    assert sorted((a.transcript_name, a.code_id, a.reason) for a in aside) == [
        ("int1", "extra", NO_CODE),
        ("int2", "kracht", NO_TRANSCRIPT),
    ]
    assert merge_project(project, bram).aside_new == 0  # kept aside once
    from qualcode.health import check_project

    assert any(f.kind == "aside" and "2 merged coding(s) kept aside" in f.message for f in check_project(project).findings)
    # Once anna's codebook has the code, merging again places the coding.
    (anna / "codebooks" / "codebook.yaml").write_text(book, encoding="utf-8")
    project.reload_codebook()
    placed = merge_project(project, bram)
    assert placed.aside_placed == 1
    assert [a.code_id for a in project.store.team.aside()] == ["kracht"]
    project.close()


def test_team_merge_a_changed_transcript_is_reported_not_matched(copies):
    anna, bram = copies
    project = Project.open(bram)
    tid = next(iter(project.store.transcripts.names()))
    project.close()
    # Edit anna's copy of int1: the same name, another text.
    edited = TRANSCRIPT.replace("veel eigen kracht", "heel veel eigen kracht")
    (anna / "transcripts" / "int1.txt").write_text(edited, encoding="utf-8")
    assert CliRunner().invoke(main, ["--project", str(anna), "reimport", "int1"]).exit_code == 0
    project = Project.open(anna)
    result = merge_project(project, bram)
    assert result.matched == [] and [name for name, _ in result.changed] == ["int1"]
    assert result.codings_added == 0 and sum(result.aside.values()) == 2
    project.close()
    assert tid


def test_team_merge_bad_input(copies, tmp_path):
    anna, _ = copies
    project = Project.open(anna)
    with pytest.raises(QualcodeError) as exc:
        merge_project(project, tmp_path)
    assert exc.value.code == "QC907"
    with pytest.raises(QualcodeError) as exc:
        merge_project(project, anna)
    assert exc.value.code == "QC908"
    project.close()


def test_team_merge_qdpx_keeps_coders_and_guids(copies, tmp_path):
    anna, bram = copies
    runner = CliRunner()
    qdpx = tmp_path / "bram.qdpx"
    result = runner.invoke(main, ["--project", str(bram), "export", "qdpx", str(qdpx)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--project", str(anna), "merge", str(qdpx)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "codings: 2 read from bram (2); added 2" in result.stdout
    assert ("bram", "kracht", "De ouders hebben veel eigen kracht.", None) in codings(anna)
    again = runner.invoke(main, ["--project", str(anna), "merge", str(qdpx)])
    assert "added 0, 2 already here" in again.stdout
    # bram's REFI-QDA user GUID came along and goes out again with anna's export.
    from qualcode.refi.guids import derived_guid

    project = Project.open(anna)
    assert project.store.coders.guids()["bram"] == derived_guid("user", "bram")
    project.close()


def test_team_merge_qdpx_without_users_needs_a_coder_name(copies, tmp_path):
    import zipfile

    anna, bram = copies
    qdpx = tmp_path / "bram.qdpx"
    assert CliRunner().invoke(main, ["--project", str(bram), "export", "qdpx", str(qdpx)]).exit_code == 0
    stripped = tmp_path / "nobody.qdpx"
    with zipfile.ZipFile(qdpx) as src, zipfile.ZipFile(stripped, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "project.qde":
                import re

                text = data.decode("utf-8")
                text = re.sub(r"<Users>.*?</Users>", "", text, flags=re.S)
                text = re.sub(r' creatingUser="[^"]*"', "", text)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    before = codings(anna)
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(stripped)])
    assert result.exit_code == 1 and "names no coder" in result.stderr and "--as NAME" in result.stderr
    assert codings(anna) == before
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(stripped), "--as", "bram"])
    assert result.exit_code == 0, result.stderr
    assert ("bram", "kracht", "De ouders hebben veel eigen kracht.", None) in codings(anna)


def test_team_merge_cli_reports_and_lists_aside(copies):
    anna, bram = copies
    runner = CliRunner()
    result = runner.invoke(main, ["--project", str(anna), "merge", str(bram), "--dry-run"])
    assert result.exit_code == 0, result.stderr
    assert "dry run" in result.stdout and "would add 2" in result.stdout
    result = runner.invoke(main, ["--project", str(anna), "merge", str(anna)])
    assert result.exit_code == 1 and "this project itself" in result.stderr
    listed = runner.invoke(main, ["--project", str(anna), "merge", "--aside", "--format", "csv"])
    assert listed.exit_code == 0 and listed.stdout.startswith("transcript,start,end,code,coder,reason")


def test_team_merge_cli_names_the_codes_its_codebook_lacks(copies):
    """The codings kept aside for a code this codebook lacks: the merge names the code (and how
    many), and what to do; it said '1 code not in this project's codebook'."""
    anna, bram = copies
    runner = CliRunner()
    book = CODEBOOK + "  - id: extra\n    name: Extra\n"
    (bram / "codebooks" / "codebook.yaml").write_text(book, encoding="utf-8")
    span = "{}:{}".format(*at(TRANSCRIPT, "Dat werkt goed"))
    result = runner.invoke(main, ["--project", str(bram), "--coder", "bram", "code", "int1", "extra", "--span", span])
    assert result.exit_code == 0, result.output
    result = runner.invoke(main, ["--project", str(anna), "merge", str(bram)])
    assert result.exit_code == 0, result.stderr
    assert "kept aside (not dropped; `qualcode merge --aside`): 1 code not in this project's codebook" in result.stdout
    assert "codes not in this project's codebook: extra (1); add them to it and merge again" in result.stdout


def test_team_merge_cli_a_code_renamed_in_their_copy_lands_on_ours(copies):
    """bram renamed a code's id in his copy (same GUID): his codings go on anna's code, and the
    codebook differences say so; they said '`codebook apply` moves its codings', as if not."""
    anna, bram = copies
    runner = CliRunner()
    assert runner.invoke(main, ["--project", str(bram), "codebook", "rename", "kracht", "eigen_kracht"]).exit_code == 0
    result = runner.invoke(main, ["--project", str(anna), "merge", str(bram)])
    assert result.exit_code == 0, result.stderr
    assert "kept aside" not in result.stdout
    assert "> eigen_kracht  their eigen_kracht is this project's kracht (the same GUID; their codings go on kracht)" in (
        result.stdout
    )
    assert "codebook apply" not in result.stdout
    assert ("bram", "kracht", "De ouders hebben veel eigen kracht.", None) in codings(anna)


def _files(root):
    import hashlib

    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_team_merge_leaves_the_other_coders_folder_as_it_was(copies):
    """Merging reads their database through a copy: not one byte of their folder changes (it was
    upgraded to this qualcode's schema and switched to WAL, so their older qualcode refused it)."""
    import sqlite3

    anna, bram = copies
    conn = sqlite3.connect(bram / "qualcode.db")  # as a database written by another SQLite setup
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = _files(bram)
    project = Project.open(anna)
    try:
        assert merge_project(project, bram).codings_added == 2
    finally:
        project.close()
    assert _files(bram) == before
    assert codings(anna)[1:] == [
        ("bram", "kracht", "De ouders hebben veel eigen kracht.", None),
        ("bram", "rol", "Wij verwachten dat ze ons serieus nemen.", "duidelijk"),
    ]


def test_team_merge_leaves_no_log_files_beside_their_database(copies):
    """Their database in WAL mode (as qualcode writes it), closed: reading it must not leave the
    empty -wal and -shm files a read-only connection makes."""
    anna, bram = copies
    before = _files(bram)
    assert not (bram / "qualcode.db-wal").exists()
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(bram)])
    assert result.exit_code == 0, result.output
    assert _files(bram) == before


def test_team_merge_names_their_file_when_it_is_damaged(copies):
    anna, bram = copies
    (bram / "qualcode.db").write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(bram)])
    assert result.exit_code != 0
    assert str(bram / "qualcode.db") in result.output.replace("\n", "")
    assert "qualcode-merge-" not in result.output and "Traceback" not in result.output


def _rewritten(qdpx, out, project_qde=None, drop=None):
    """A copy of ``qdpx`` with project.qde changed by ``project_qde(text)`` and the entries
    ``drop(name)`` names left out."""
    import zipfile

    with zipfile.ZipFile(qdpx) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if drop and drop(info.filename):
                continue
            data = src.read(info)
            if info.filename == "project.qde" and project_qde:
                data = project_qde(data.decode("utf-8")).encode("utf-8")
            dst.writestr(info, data)
    return out


def test_team_merge_refused_qdpx_says_what_where_and_that_nothing_was_merged(copies, tmp_path):
    """A .qdpx the import refuses: the merge names each problem with its file and line, says that
    nothing was merged (not 'imported'), and its hint names only what merge can do."""
    anna, bram = copies
    qdpx = tmp_path / "bram.qdpx"
    assert CliRunner().invoke(main, ["--project", str(bram), "export", "qdpx", str(qdpx)]).exit_code == 0
    broken = _rewritten(qdpx, tmp_path / "broken.qdpx", project_qde=lambda t: t.replace(' guid="', ' guid="zz', 1))
    missing = _rewritten(qdpx, tmp_path / "missing.qdpx", drop=lambda name: name.startswith("sources/"))
    before = codings(anna)
    for path, what in ((broken, "project.qde:"), (missing, "source 'int1' refers to")):
        result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(path)])
        assert result.exit_code == 1, result.output
        assert what in result.stderr
        assert "Traceback" not in result.stderr
        error_line = next(line for line in result.stderr.splitlines() if line.startswith("error: "))
        assert f"cannot merge {path}" in error_line and error_line.endswith("nothing was merged")
        assert "imported" not in error_line
        hint = next(line for line in result.stderr.splitlines() if line.startswith("hint: "))
        assert "qualcode import --skip-missing-sources " not in hint or "merge" in hint
        assert codings(anna) == before
    # The located problem: file and line.
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(broken)])
    assert f"{broken}/project.qde:" in result.stderr and "is not a GUID" in result.stderr


def test_team_merge_folder_with_a_broken_codebook_says_nothing_was_merged(copies):
    anna, bram = copies
    book = bram / "codebooks" / "codebook.yaml"
    book.write_text("codes: [[\n", encoding="utf-8")
    before = codings(anna)
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(bram)])
    assert result.exit_code == 1 and "Traceback" not in result.stderr
    assert f"{book}:" in result.stderr  # where: their codebook, with its line
    error_line = next(line for line in result.stderr.splitlines() if line.startswith("error: "))
    assert error_line.startswith(f"error: cannot merge {bram}:") and error_line.endswith("nothing was merged")
    assert codings(anna) == before


def _as_another_tool_writes_it(text):
    """project.qde as QualCoder writes back our .qdpx: every code under a new GUID, without the
    qualcode id comments."""
    import re
    import uuid

    for guid in re.findall(r'<Code guid="([^"]+)"', text):
        text = text.replace(guid, str(uuid.uuid4()))
    return re.sub(r"<!--qualcode[^>]*-->", "", text)


def test_team_merge_qdpx_from_another_tool_matches_codes_by_name(copies, tmp_path):
    """A .qdpx that went through another tool (new code GUIDs, no qualcode ids): its codings land
    on our codes of the same name, none kept aside, the merge says they were matched by name, and
    its codebook differences pair them."""
    anna, bram = copies
    qdpx = tmp_path / "bram.qdpx"
    assert CliRunner().invoke(main, ["--project", str(bram), "export", "qdpx", str(qdpx)]).exit_code == 0
    other = _rewritten(
        qdpx, tmp_path / "qualcoder.qdpx", project_qde=_as_another_tool_writes_it, drop=lambda n: n.startswith("qualcode/")
    )
    result = CliRunner().invoke(main, ["--project", str(anna), "merge", str(other)])
    assert result.exit_code == 0, result.output + result.stderr
    assert "codings: 2 read from bram (2); added 2" in result.stdout
    assert "kept aside" not in result.stdout
    assert "matched to this project's codes by name" in result.stderr
    assert ("bram", "kracht", "De ouders hebben veel eigen kracht.", None) in codings(anna)
    # The codebook differences pair the codes matched by name as the codings were placed: not
    # each listed as removed here and added there.
    listed = result.stdout.split("codebook", 1)[1]
    assert "removed:" not in listed and "added:" not in listed, result.stdout
    assert "= rolverwachtingen  their rolverwachtingen is this project's rol" in listed
