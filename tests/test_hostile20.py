"""Hostile inputs, round 20: what earlier rounds left open (regular expressions that backtrack
without end, attribute rows naming no transcript, names shown as internal ids, REFI coder
names) and the newest entry points. Each case runs through the CLI where a user meets it and
states the exit code, the message and that nothing was written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.project import ProjectConfig, load_config


def run(runner, root: Path, *args: str):
    return runner.invoke(main, ["--project", str(root), "--coder", "tester", *args])


# --- 1. user regular expressions that backtrack without end --------------------------------

BACKTRACKING = ["(a+)+$", "(a)(?(1)b+|c)+$", "(?i)(a|aa)+$", r"(\w+\s?)*$", r"(i|in)+x", r"\s*\s*x", r".*\d+x", "(x?)+y"]


@pytest.mark.parametrize("pattern", BACKTRACKING)
def test_a_backtracking_pattern_is_refused_with_what_to_write(pattern):
    from qualcode.regexsafe import regex_problem

    problem = regex_problem(pattern)
    assert problem is not None
    assert "on a long text" in problem and ("repeat it once" in problem or "make the alternatives" in problem
                                            or "join them" in problem)  # fmt: skip


@pytest.mark.parametrize(
    "pattern",
    [
        r"i\s*\d*",
        r"interview(er|ster|eres)?\s*\d*",
        r"(?:er|ster)+",
        "a*+",
        "(?>a+)+",
        r"(\d\d)+",
        r"\d+\s+\d+",
        "^zorg",
        ".*heid$",
    ],
)
def test_the_usual_patterns_are_kept(pattern):
    from qualcode.regexsafe import regex_problem

    assert regex_problem(pattern) is None


def test_interviewer_speakers_that_backtrack_are_refused_by_the_settings(runner, small_project):
    config = small_project.root / "qualcode.yaml"
    config.write_text('# settings\ninterviewer_speakers: ["i", "(a+)+$"]\n', encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        load_config(small_project.root)
    assert caught.value.code == "QC005"
    result = run(runner, small_project.root, "speakers")
    assert result.exit_code == 1, result.output
    assert "qualcode.yaml: line 2: interviewer_speakers: the pattern '(a+)+$' repeats a part" in result.stderr
    assert "Traceback" not in result.output


def test_a_codebook_regex_that_backtracks_is_a_located_problem(runner, small_project):
    book = small_project.root / "codebooks" / "codebook.yaml"
    book.write_text(
        book.read_text(encoding="utf-8").replace(
            "codes:\n",
            'codes:\n  - id: loop\n    name: Loop\n    hints:\n      patterns:\n        - [{TEXT: {REGEX: "(a+)+$"}}]\n',
            1,
        ),
        encoding="utf-8",
    )
    result = run(runner, small_project.root, "codebook", "check")
    assert result.exit_code != 0, result.output
    assert "code 'loop', pattern 1: token 1: TEXT REGEX '(a+)+$' repeats a part" in result.output + result.stderr
    assert "Traceback" not in result.output


def test_a_label_past_the_bound_is_no_interviewer_by_pattern():
    config = ProjectConfig(interviewer_speakers=[".*x.*y.*z"])
    assert config.role_of("ax by cz") == "interviewer"
    assert config.role_of("a" * 300 + "xyz") == "respondent"  # not tried: 'x.*y.*z' on 100,000 letters took minutes
    long = "Mevrouw " + "a" * 300 + " (tolk)"
    config = ProjectConfig(interviewer_speakers=["i", re.escape(long).replace("\\ ", " ")])  # as speakers --interviewer adds it
    assert config.role_of(long.upper()) == "interviewer"


# --- 2. attributes.csv rows that name no transcript ---------------------------------------------


def test_a_folder_attributes_row_naming_no_file_is_reported_with_its_line(runner, tmp_path):
    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "int1.txt").write_text("I: Hoe gaat het?\nR: Goed.\n", encoding="utf-8")
    (root / "transcripts" / "attributes.csv").write_text("file,stad\nint1.txt,Gent\nint_1.txt,Antwerpen\n", encoding="utf-8")
    result = run(runner, root, "import", str(root / "transcripts"))
    assert result.exit_code == 0, result.output
    # it imported int1 with stad=Gent and said nothing of the row for 'int_1.txt'
    assert "attributes.csv: 1 row(s) name no transcript of its folder or of the project" in result.stderr
    assert "'int_1.txt' (line 3); correct the name in the 'file' column" in result.stderr
    listed = run(runner, root, "transcripts", "--format", "csv")
    assert "Gent" in listed.output and "Antwerpen" not in listed.output


def test_a_folder_attributes_row_for_a_file_not_imported_now_is_no_warning(runner, tmp_path):
    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    for name in ("int1.txt", "int2.txt"):
        (root / "transcripts" / name).write_text("I: Hoe gaat het?\nR: Goed.\n" + name, encoding="utf-8")
    (root / "transcripts" / "attributes.csv").write_text("file,stad\nint1.txt,Gent\nint2,Antwerpen\n", encoding="utf-8")
    result = run(runner, root, "import", str(root / "transcripts" / "int1.txt"))
    assert result.exit_code == 0, result.output
    assert "name no transcript" not in result.stderr  # int2 is there, only not imported yet


# --- 3. QC237 names what was removed as the user knows it ---------------------------------------


def test_a_memo_of_a_removed_transcript_or_coding_names_it_and_its_trash_item(small_project):
    store = small_project.store
    tid = store.transcripts.id_by_name("gesprek")
    coding = store.codings.add(tid, 4, 20, "vertrouwen", "tester").coding
    store.trash.put_codings([coding.id], removed_by="bram")
    with pytest.raises(QualcodeError) as caught:
        store.codings.keep_draft(coding.id, "half af")
    item = store.trash.items()[0].id
    assert caught.value.code == "QC237"
    assert caught.value.message.startswith(f"coding {coding.id} of 'gesprek' (trash item {item}) was removed")
    store.trash.put_transcript(tid, removed_by="bram")
    item = store.trash.items()[0].id
    for attempt in (lambda: store.transcripts.keep_draft(tid, "x"), lambda: store.transcripts.set_memo(tid, "x")):
        with pytest.raises(QualcodeError) as caught:
            attempt()
        assert caught.value.message.startswith(f"transcript 'gesprek' (trash item {item}) was removed")  # was 'transcript 1'


# --- 4. QC444 'qualcode added nothing to it' is so ------------------------------------------------


def test_another_programs_database_keeps_its_journal_mode_and_gets_no_log_beside_it(runner, tmp_path):
    import hashlib
    import sqlite3

    root = tmp_path / "p"
    assert runner.invoke(main, ["init", str(root)]).exit_code == 0
    db = root / "qualcode.db"
    for path in root.glob("qualcode.db*"):
        path.unlink()
    with sqlite3.connect(db) as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
        conn.execute("INSERT INTO contacts VALUES ('Hatice')")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    result = run(runner, root, "transcripts")
    assert result.exit_code == 1, result.output
    assert "is not a qualcode project database" in result.stderr and "qualcode added nothing to it" in result.stderr
    assert sorted(p.name for p in root.glob("qualcode.db*")) == ["qualcode.db"]  # no -wal, no -shm left
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before  # its journal mode was switched to WAL
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()


# --- 5. coder names from a .qdpx, a merged copy, --coder: bounded ----------------------------------


def _qdpx_with_user(runner, tmp_path: Path, name: str) -> Path:
    """A .qdpx exported by qualcode whose user 'anna' is called ``name`` (XML-escaped)."""
    import zipfile
    from xml.sax.saxutils import quoteattr

    from test_refi_support import coded_project

    project = coded_project(tmp_path)
    out = tmp_path / "studie.qdpx"
    assert run(runner, project.root, "export", "qdpx", str(out)).exit_code == 0
    project.close()
    with zipfile.ZipFile(out) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    qde = entries["project.qde"].decode("utf-8")
    assert 'name="anna"' in qde
    entries["project.qde"] = qde.replace('name="anna"', f"name={quoteattr(name)}").encode("utf-8")
    hostile = tmp_path / "hostile.qdpx"
    with zipfile.ZipFile(hostile, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    return hostile


def test_a_qdpx_user_name_of_a_megabyte_is_refused_at_its_line(runner, tmp_path):
    hostile = _qdpx_with_user(runner, tmp_path, "A" * 1_000_000)
    target = tmp_path / "doel"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    result = run(runner, target, "import", str(hostile))
    assert result.exit_code == 1, result.output[:500]
    # it was stored with each of anna's codings (a 10 MB name made a 200 MB database)
    assert "project.qde:" in result.stderr and "the coder's name 'AAAA" in result.stderr
    assert "is 1,000,000 characters long; a coder's name is at most 200" in result.stderr
    assert "nothing was imported" in result.stderr and len(result.stderr) < 2_000
    assert "Traceback" not in result.output
    assert "no transcripts yet" in run(runner, target, "transcripts").output


def test_a_qdpx_user_name_with_control_characters_is_one_safe_line(runner, tmp_path):
    hostile = _qdpx_with_user(runner, tmp_path, "Anna\nde\tVries\r\u202eevil")
    target = tmp_path / "doel"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    assert run(runner, target, "import", str(hostile)).exit_code == 0
    coders = run(runner, target, "coders", "--format", "csv").output
    assert "Anna de Vries evil" in coders and "\u202e" not in coders


def test_a_coder_name_past_the_bound_is_refused_where_it_is_given(runner, small_project, monkeypatch):
    long = "x" * 300
    result = run(runner, small_project.root, "--coder", long, "code", "gesprek", "vertrouwen", "--turn", "2")
    assert result.exit_code == 1, result.output
    assert "--coder: the coder's name 'xxxx" in result.stderr and "300 characters long" in result.stderr
    monkeypatch.setenv("QUALCODE_CODER", long)
    result = runner.invoke(main, ["--project", str(small_project.root), "code", "gesprek", "vertrouwen", "--turn", "2"])
    assert result.exit_code == 1, result.output
    assert small_project.store.codings.find() == []


def test_a_qdpx_guid_of_a_megabyte_is_quoted_short(runner, tmp_path):
    from test_refi_support import features_qdpx

    qdpx = features_qdpx(tmp_path)
    import zipfile

    with zipfile.ZipFile(qdpx) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    qde = entries["project.qde"].decode("utf-8")
    start = qde.index('guid="', qde.index("<User")) + len('guid="')
    entries["project.qde"] = (qde[:start] + "G" * 1_000_000 + qde[qde.index('"', start) :]).encode("utf-8")
    with zipfile.ZipFile(qdpx, "w") as archive:
        for entry, data in entries.items():
            archive.writestr(entry, data)
    target = tmp_path / "doel"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    result = run(runner, target, "import", str(qdpx))
    assert result.exit_code == 1, result.output[:300]
    assert "is not a GUID" in result.stderr and "(1,000,000 characters)" in result.stderr
    assert len(result.stderr) < 2_000  # the whole value was the message


# --- the sweep: merge, ... --------------------------------------------------------------------------


def test_merge_names_a_coder_database_that_is_a_folder_for_what_it_is(runner, small_project, tmp_path):
    import shutil

    other = tmp_path / "other"
    shutil.copytree(small_project.root, other, ignore=shutil.ignore_patterns("qualcode.db*"))
    (other / "qualcode.db").mkdir()
    result = run(runner, small_project.root, "merge", str(other))
    assert result.exit_code == 1, result.output
    # it said 'has no qualcode.db: there is no coding in it to merge'
    assert "qualcode.db is not a qualcode database: it is a folder, not a file" in result.stderr
    assert "Traceback" not in result.output


def test_a_codebook_regex_is_not_tried_on_a_word_of_thousands_of_letters():
    from qualcode.codebook import parse_codebook
    from qualcode.suggest.pipeline import load_pipeline
    from qualcode.suggest.rules import RuleSuggester

    text = """\
title: Test
codes:
  - id: vrijheid
    name: Vrijheid
    hints:
      patterns:
        - [{LOWER: {REGEX: "(?i).*heid$"}}]
"""
    codebook, problems = parse_codebook(text, "codebook.yaml")
    assert not problems
    rules = RuleSuggester(load_pipeline(None), codebook)
    found = rules.match(rules.pipeline.nlp("Wij willen vrijheid. Hier staat " + "a" * 20_000 + "heid. Veel gezondheid!"))
    # the 20,004-letter word: '.*heid$' tried it from each of its letters (1.3 s, in every run)
    assert [sorted(f) for f in found] == [["vrijheid"], [], ["vrijheid"]]


def test_a_word_of_thousands_of_letters_is_no_compound_but_a_real_one_still_is():
    from qualcode.suggest.pipeline import load_pipeline

    forms = load_pipeline(None).forms
    assert "migrantenorganisatie" in forms.lemmas("migrantenorganisaties")
    assert forms.compound_heads("migrantenorganisaties", {"organisatie"}) == ("organisatie",)
    blob = "x" * 20_000 + "organisaties"  # each of its cuts was looked up: 60,000 letters took 8 s
    assert forms.lemmas(blob) == (blob,)
    assert forms.compound_heads(blob, {"organisatie"}) == ()
