"""import_paths with the inputs people really give it: CSVs of any name, links, odd names, re-imports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode import errors, importing
from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.importing import Imported, import_paths
from qualcode.project import Project

CODEBOOK = "title: T\ncodes:\n  - id: vertrouwen\n    name: Vertrouwen\n    key: v\n"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = Project.init(tmp_path / "studie")
    (project.root / "codebooks" / "codebook.yaml").write_text(CODEBOOK)
    (project.root / "transcripts" / "int1.txt").write_text("I: Hoe gaat het?\nR: Goed, ik vertrouw ze.\n")
    return project


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def counts(project: Project) -> tuple[int, int]:
    store = project.store
    return len(store.transcripts.names()), len(store.codings.find())


# --- CSVs are read by their header, not their name ---------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["file,turn,code,text\nint1.txt,2,vertrouwen,ik vertrouw ze\n", "File;Turn;Code;Text\nint1;2;vertrouwen;ik vertrouw ze\n"],
    ids=["comma", "semicolon-and-stem"],
)
def test_importing_codings_csv_of_any_name(project: Project, text: str) -> None:
    import_paths(project, [project.root / "transcripts"])
    result = import_paths(project, [write(project.root / "mijn_coderingen.csv", text)])
    assert result.codings_added == 1
    [coding] = project.store.codings.find()
    assert (coding.code_id, coding.quote) == ("vertrouwen", "ik vertrouw ze")
    assert import_paths(project, [project.root / "mijn_coderingen.csv"]).codings_added == 0  # twice adds nothing


def test_importing_codings_csv_bad_row_is_located_and_adds_nothing(project: Project) -> None:
    import_paths(project, [project.root / "transcripts"])
    csv = write(project.root / "c.csv", "file,turn,code\nint1.txt,1,vertrouwen\nint1.txt,7,vertrouwen\n")
    with pytest.raises(QualcodeError) as caught:
        import_paths(project, [csv])
    assert caught.value.code == errors.BULK_PROBLEMS.code
    assert [(p.line, p.message) for p in caught.value.problems] == [(3, "transcript 'int1' has no turn 7")]
    assert counts(project) == (1, 0)


def test_importing_csv_that_is_neither_attributes_nor_codings(project: Project) -> None:
    with pytest.raises(QualcodeError) as caught:
        import_paths(project, [write(project.root / "x.csv", "bestand,type\na.txt,b\n")])
    assert "no 'file' column" in caught.value.message and "file,turn,code" in caught.value.hint


# --- attribute CSVs named on the command line ----------------------------------------------------


def test_importing_named_attributes_csv_from_another_folder_applies(project: Project) -> None:
    meta = write(project.root / "meta" / "kenmerken.csv", "file;gemeente\nint1.txt;Gent\n")
    import_paths(project, [project.root / "transcripts" / "int1.txt", meta])
    assert project.store.transcripts.all_attributes() == {1: {"gemeente": "Gent"}}


def test_importing_named_attributes_csv_alone_updates_imported_transcripts(project: Project) -> None:
    import_paths(project, [project.root / "transcripts"])
    meta = write(project.root / "meta.csv", "file,gemeente\nint1,Gent\nint9.txt,Gent\n")
    result = import_paths(project, [meta])
    assert result.attributes_updated == ["int1"]
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f"{meta}: 1 row(s) name no transcript of the project, so their attributes were")
    assert "'int9.txt' (line 3); correct the name in the 'file' column" in result.warnings[0]
    assert project.store.transcripts.attributes(1) == {"gemeente": "Gent"}


def test_importing_named_attributes_csv_matching_nothing_is_refused(project: Project) -> None:
    meta = write(project.root / "meta.csv", "file,gemeente\nint9.txt,Gent\nint8.txt,Gent\n")
    with pytest.raises(QualcodeError) as caught:
        import_paths(project, [project.root / "transcripts" / "int1.txt", meta])
    assert caught.value.code == errors.ATTRIBUTES_UNMATCHED.code
    assert "int9.txt, int8.txt" in caught.value.message
    assert counts(project) == (0, 0)  # the transcript named with it is not imported either


# --- links and files outside the project --------------------------------------------------------


def test_importing_link_to_a_file_outside_the_project(project: Project, tmp_path: Path) -> None:
    target = write(tmp_path / "elders" / "ext.txt", "I: Buiten.\nR: Ja.\n")
    link = project.root / "transcripts" / "link.txt"
    os.symlink(target, link)
    result = import_paths(project, [link])
    assert str(project.store.transcripts.load(1).source_path) == os.path.join("transcripts", "link.txt")
    assert len(result.warnings) == 1
    assert f"transcripts{os.sep}link.txt is a link to {target}, outside the project" in result.warnings[0]


def test_importing_link_inside_the_project_is_quiet(project: Project) -> None:
    os.symlink(project.root / "transcripts" / "int1.txt", project.root / "alias.txt")
    result = import_paths(project, [project.root / "alias.txt"])
    assert result.warnings == []
    assert str(project.store.transcripts.load(1).source_path) == "alias.txt"


def test_importing_file_outside_the_project_says_its_absolute_path_is_stored(project: Project, tmp_path: Path) -> None:
    far = write(tmp_path / "elders" / "far.txt", "I: Ver weg.\nR: Ja.\n")
    result = import_paths(project, [far])
    assert str(project.store.transcripts.load(1).source_path) == str(far)
    assert result.warnings == [
        f"{far} is outside the project folder: its absolute path is stored (copy it into"
        f" {project.root / 'transcripts'} to keep the project self-contained)"
    ]


def test_importing_many_files_outside_the_project_gives_one_warning(project: Project, tmp_path: Path) -> None:
    # A folder of interviews outside the project gave one line per file (1,000 lines for 1,000 files).
    far = [write(tmp_path / "elders" / f"far{n}.txt", f"I: Ver weg {n}.\nR: Ja.\n") for n in range(5)]
    result = import_paths(project, [tmp_path / "elders"])
    assert [str(project.store.transcripts.load(n).source_path) for n in range(1, 6)] == [str(p) for p in far]
    assert result.warnings == [
        f"5 files are outside the project folder ({far[0]}, {far[1]}, {far[2]} and 2 more): their absolute paths"
        f" are stored (copy them into {project.root / 'transcripts'} to keep the project self-contained)"
    ]


# --- names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "name"),
    [("a\tb\nc", "a b c"), ("x\x1b[31my", "x [31my"), ("\u202eevil", "evil"), ("  ruim  ", "ruim"), ("\x07", "transcript")],
    ids=["tab-newline", "escape", "bidi", "spaces", "nothing-left"],
)
def test_importing_names_from_file_names_are_cleaned(project: Project, stem: str, name: str) -> None:
    path = write(project.root / "transcripts" / f"{stem}.txt", "I: Naam?\nR: Ja.\n")
    result = import_paths(project, [path])
    assert [i.name for i in result.imported] == [name]
    assert "imported as" in result.warnings[-1] and "\n" not in result.warnings[-1] and "\x1b" not in result.warnings[-1]


def test_importing_name_option_is_cleaned_too(project: Project) -> None:
    result = import_paths(project, [project.root / "transcripts" / "int1.txt"], name="eerste\ninterview")
    assert project.store.transcripts.names() == {1: "eerste interview"} and result.imported[0].name == "eerste interview"


# --- re-imports are cheap; the result holds no texts ----------------------------------------------


def test_importing_unchanged_file_is_not_read_again(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    first = import_paths(project, [project.root / "transcripts"])
    assert first.imported == [Imported("int1", 2, 7, ("I", "R"))]
    write(project.root / "transcripts" / "attributes.csv", "file,gemeente\nint1.txt,Gent\n")

    def unexpected(*_args, **_kwargs):
        raise AssertionError("an unchanged file was parsed again")

    monkeypatch.setattr(importing, "read_transcript", unexpected)
    again = import_paths(project, [project.root / "transcripts"])
    assert again.imported == [] and again.duplicates == [(project.root / "transcripts" / "int1.txt", "int1")]
    assert again.attributes_updated == ["int1"]  # the sidecar is still applied
    assert project.store.transcripts.attributes(1) == {"gemeente": "Gent"}


def test_importing_same_bytes_with_another_encoding_is_read_again(project: Project) -> None:
    path = project.root / "transcripts" / "oud.txt"
    path.write_bytes("I: Hoe gaat het?\nR: Oké, ’t gaat.\n".encode("cp1252"))
    import_paths(project, [path], encoding="cp1252")
    assert import_paths(project, [path]).duplicates  # no --encoding: the bytes are known
    result = import_paths(project, [path], encoding="latin-1")
    assert result.duplicates == []  # decoded otherwise ('\x92' for '’'): not the same text
    assert any("changed since it was imported" in w for w in result.warnings)


def test_importing_cli_reports_each_case(project: Project, tmp_path: Path) -> None:
    runner = CliRunner()
    root = str(project.root)
    assert runner.invoke(main, ["--project", root, "import", f"{root}/transcripts"]).exit_code == 0
    write(project.root / "codes.csv", "file,turn,code\nint1.txt,2,vertrouwen\n")
    result = runner.invoke(main, ["--project", root, "import", f"{root}/codes.csv"])
    assert result.exit_code == 0 and "added 1 coding(s) from the codings CSV" in result.output
    write(project.root / "meta.csv", "file,gemeente\nint9.txt,Gent\n")
    result = runner.invoke(main, ["--project", root, "import", f"{root}/meta.csv"])
    assert result.exit_code == 1 and "none of its 1 row(s) names a transcript" in result.stderr
    assert "Traceback" not in result.output


def test_importing_from_a_linked_folder_follows_the_link_as_it_is_now(project: Project, tmp_path: Path) -> None:
    # Folders are resolved once per import; a link changed between two imports is seen anew.
    first = write(tmp_path / "eerste" / "a.txt", "I: Eerste map.\nR: Ja.\n")
    second = write(tmp_path / "tweede" / "b.txt", "I: Tweede map.\nR: Nee.\n")
    link = project.root / "transcripts" / "map"
    os.symlink(first.parent, link)
    result = import_paths(project, [link / "a.txt"])
    assert result.warnings == [
        f"transcripts{os.sep}map{os.sep}a.txt is a link to {first}, outside the project: its path inside the project"
        " is stored, so keep the link (or copy the file in) for `qualcode reimport`"
    ]
    link.unlink()
    os.symlink(second.parent, link)
    result = import_paths(project, [link / "b.txt"])
    assert len(result.warnings) == 1 and f"is a link to {second}, outside the project" in result.warnings[0]
    assert [i.name for i in result.imported] == ["b"]


def test_importing_many_files_counts_words_and_speakers_per_file(project: Project) -> None:
    folder = project.root / "veel"
    for n in range(1, 13):
        write(folder / f"f{n:02}.txt", "I: Vraag een.\nR: " + "woord " * n + "\nI: Vraag twee?\nR: Ja.\n")
    result = import_paths(project, [folder])
    assert [(i.name, i.turns, i.words, i.speakers) for i in result.imported] == [
        (f"f{n:02}", 4, 2 + n + 2 + 1, ("I", "R")) for n in range(1, 13)
    ]
    infos = {info.name: info.words for info in project.store.transcripts.infos()}
    assert all(infos[i.name] == i.words for i in result.imported)  # what the result says is what is stored
    roles = {(speaker, role) for _, speaker, role, _ in project.store.transcripts.speakers_by_transcript()}
    assert roles == {("I", "interviewer"), ("R", "respondent")}


# --- the turns' insert triggers, set aside while new transcripts are added ----------------------


def turns_schema(project: Project) -> list[tuple[str, str, str]]:
    rows = project.store._db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'turns' AND sql IS NOT NULL ORDER BY name"
    ).fetchall()
    return [tuple(row) for row in rows]


def test_importing_leaves_the_turns_triggers_as_they_were(project: Project) -> None:
    """An import drops the turns' insert triggers and makes them again at its end: a fresh
    import, one into a project with turns, and the codings CSV of the same import see and leave
    the same schema."""
    before = turns_schema(project)
    assert {"unit_bounds_turn_added", "turns_coding_turn_added"} <= {n for _, n, _ in before}
    import_paths(project, [project.root / "transcripts"])
    assert turns_schema(project) == before
    write(project.root / "transcripts" / "int2.txt", "I: En toen?\nR: Toen vertrouwde ik ze.\n")
    codings = write(project.root / "c.csv", "file,turn,code\nint2.txt,2,vertrouwen\n")
    result = import_paths(project, [project.root / "transcripts" / "int2.txt", codings])
    assert result.codings_added == 1
    assert turns_schema(project) == before
    store = project.store
    tid = store.transcripts.id_by_name("int2")
    assert tid is not None
    assert store.transcripts.stored_units(tid) is not None  # the units written after the turns stay
    assert store.transcripts.label_words("speaker", [tid]) == [("I", tid, 2), ("R", tid, 4)]


def test_importing_that_fails_leaves_the_turns_triggers_and_writes_nothing(project: Project) -> None:
    """A bad file after good ones: nothing is written and the schema is as it was (the rollback
    brings back what the import set aside)."""
    before = turns_schema(project)
    write(project.root / "transcripts" / "zz_bad.txt", "")  # read after int1.txt: empty, refused
    with pytest.raises(QualcodeError):
        import_paths(project, [project.root / "transcripts"])
    assert counts(project) == (0, 0)
    assert project.store._db.scalar("SELECT count(*) FROM turns") == 0
    assert turns_schema(project) == before


def test_importing_sets_aside_only_the_turns_insert_triggers(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the two insert triggers whose work a new transcript makes void are dropped, once an
    import (the indexes stay: rebuilding one holds every turn in memory); an import of files
    already imported drops nothing."""
    dropped: list[str] = []
    db = project.store._db
    execute = db.execute

    def watching(sql: str, *args):
        if sql.startswith("DROP "):
            dropped.append(sql)
        return execute(sql, *args)

    monkeypatch.setattr(db, "execute", watching)
    write(project.root / "transcripts" / "int2.txt", "I: En toen?\nR: Toen.\n")
    import_paths(project, [project.root / "transcripts"])
    assert dropped == ["DROP TRIGGER turns_coding_turn_added", "DROP TRIGGER unit_bounds_turn_added"]
    dropped.clear()
    import_paths(project, [project.root / "transcripts"])
    assert dropped == []
