"""The CLI through click's runner: every command, its output streams and exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from conftest import cli_project

from qualcode.cli import main
from qualcode.project import sample_project_source

TRANSCRIPT = """\
I: Wat verwacht u van het CJG?
R: Wij verwachten dat ze ons serieus nemen. Ze verwijzen ouders soms door naar ons.
Dat werkt goed als we elkaar kennen.
I: En de ouders zelf?
R: De ouders hebben veel eigen kracht.
"""

CODEBOOK = """\
title: Test
codes:
  - id: rol
    name: Rolverwachtingen
    key: r
    children:
      - id: rol_cjg
        name: Van het CJG
        key: c
  - id: kracht
    name: Eigen kracht
    key: k
  - id: map
    name: Map
    codable: false
"""


@pytest.fixture
def project(tmp_path, runner) -> Path:
    attributes = "file,respondent_type,stad\nint1.txt,professional,Utrecht\n"
    return cli_project(runner, tmp_path / "studie", CODEBOOK, {"int1.txt": TRANSCRIPT, "attributes.csv": attributes})


def run(runner: CliRunner, project: Path, *args: str, coder: str = "anna"):
    return runner.invoke(main, ["--project", str(project), "--coder", coder, *args])


def all_commands(group: click.Group, prefix=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # loads the lazily imported commands too
        command = group.get_command(ctx, name)
        assert command is not None, name
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*prefix, name))


def test_cli_every_command_has_help(runner):
    commands = list(all_commands(main))
    assert len(commands) >= 10
    for path, command in commands:
        assert command.help, f"`qualcode {' '.join(path)}` has no help text"
        result = runner.invoke(main, [*path, "--help"])
        assert result.exit_code == 0, path
        assert "Usage:" in result.output


def test_cli_init_creates_a_project_and_refuses_twice(tmp_path, runner):
    root = tmp_path / "nieuw"
    result = runner.invoke(main, ["init", str(root)])
    assert result.exit_code == 0
    assert (root / "codebooks" / "codebook.yaml").exists()
    assert (root / "qualcode.db").exists()
    assert "pseudonymisation-key.db" in (root / ".gitignore").read_text(encoding="utf-8")  # never committed by accident
    result = runner.invoke(main, ["codebook", "check", str(root / "codebooks" / "codebook.yaml")])
    assert result.exit_code == 0
    again = runner.invoke(main, ["init", str(root)])
    assert again.exit_code == 1
    assert "already a qualcode project" in again.stderr


def test_cli_init_sample_is_ready_to_code(tmp_path, runner):
    root = tmp_path / "voorbeeld"
    result = runner.invoke(main, ["init", str(root), "--sample"])
    assert result.exit_code == 0, result.output
    assert "imported 6 sample transcript(s)" in result.output
    listed = runner.invoke(main, ["--project", str(root), "transcripts", "--format", "csv"])
    assert listed.exit_code == 0
    assert len(listed.output.strip().splitlines()) == 1 + 6
    codings = runner.invoke(main, ["--project", str(root), "codings", "--format", "csv"])
    assert len(codings.output.strip().splitlines()) > 1  # the sample's seed codings came along


def test_cli_import_reports_turns_and_skips_duplicates(project, runner):
    result = run(runner, project, "import", str(project / "transcripts" / "int1.txt"))
    assert result.exit_code == 0
    assert "same content as 'int1', already imported" in result.stderr
    listing = run(runner, project, "transcripts", "--format", "json")
    rows = json.loads(listing.stdout)
    assert rows == [
        {
            "transcript": "int1",
            "source": "transcripts/int1.txt",
            "turns": 4,
            "words": 37,
            "codings": 0,
            "coded_share": 0.0,
            "transcript_memo": None,
            "respondent_type": "professional",
            "stad": "Utrecht",
        }
    ]


def test_cli_transcripts_filter_by_attribute(project, runner):
    assert "int1" in run(runner, project, "transcripts", "--where", "stad=Utrecht").stdout
    # --where checks as `export` and `stats` do: unknown values, attributes and syntax are errors.
    for where, message in (("stad=Gent", "no transcript has stad=Gent"), ("stadd=Utrecht", "no transcript has an attribute 'stadd'"),
                           ("stad", "cannot read --where 'stad'")):  # fmt: skip
        bad = run(runner, project, "transcripts", "--where", where)
        assert bad.exit_code == 1 and bad.stdout == ""
        assert message in bad.stderr and "Traceback" not in bad.output
    assert "did you mean 'stad'" in run(runner, project, "transcripts", "--where", "stadd=Utrecht").stderr


def test_cli_code_turn_and_span_then_list_and_uncode(project, runner):
    result = run(runner, project, "code", "int1", "rol_cjg", "--turn", "2", "--memo", "belangrijk")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("coding 1: rol_cjg")
    text_start = TRANSCRIPT.index("De ouders")
    result = run(runner, project, "code", "int1", "kracht", "--span", f"{text_start}:{text_start + 35}")
    assert result.exit_code == 0, result.output

    out = run(runner, project, "codings", "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["code"], r["coder"], r["memo"]) for r in rows] == [("rol_cjg", "anna", "belangrijk"), ("kracht", "anna", "")]
    assert rows[0]["text"].startswith("Wij verwachten") and rows[0]["text"].endswith("elkaar kennen.")
    assert rows[1]["text"] == "De ouders hebben veel eigen kracht."

    # --code includes the sub-codes
    out = run(runner, project, "codings", "--code", "rol", "--format", "json").stdout
    assert [r["code"] for r in json.loads(out)] == ["rol_cjg"]

    result = run(runner, project, "uncode", "int1", "--turn", "2")
    assert result.exit_code == 0
    assert "removed coding 1: rol_cjg" in result.stdout
    result = run(runner, project, "uncode", "--id", "2")
    assert result.exit_code == 0
    assert json.loads(run(runner, project, "codings", "--format", "json").stdout) == []


def test_cli_memo_show_set_clear(project, runner):
    run(runner, project, "code", "int1", "kracht", "--turn", "4")
    assert run(runner, project, "memo", "1", "eerste indruk").stdout == "eerste indruk\n"
    assert run(runner, project, "memo", "1").stdout == "eerste indruk\n"
    # --clear asks first; "no" (or no answer) keeps the memo and exits non-zero
    kept = runner.invoke(main, ["--project", str(project), "memo", "1", "--clear"], input="n\n")
    assert kept.exit_code == 1 and "eerste indruk" in kept.stderr
    assert run(runner, project, "memo", "1").stdout == "eerste indruk\n"
    cleared = runner.invoke(main, ["--project", str(project), "memo", "1", "--clear"], input="y\n")
    assert cleared.exit_code == 0 and cleared.stdout == "cleared the memo of coding 1\n"
    assert run(runner, project, "memo", "1").stdout == "\n"
    run(runner, project, "memo", "1", "tweede")
    assert run(runner, project, "memo", "1", "--clear", "--yes").exit_code == 0
    assert run(runner, project, "memo", "1", "--clear").stdout == "coding 1 has no memo; nothing to clear\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["code", "int1", "rol", "--turn", "9"], "has no turn 9"),
        (["code", "int1", "roll", "--turn", "2"], "unknown code 'roll'"),
        (["code", "int1", "map", "--turn", "2"], "is a folder"),
        (["code", "nergens", "rol", "--turn", "2"], "no transcript named 'nergens'"),
        (["code", "int1", "rol", "--span", "5-9"], "cannot read span"),
        (["code", "int1", "rol", "--span", "0:99999"], "span 0:99999 reaches past the end of transcript 'int1'"),
        (["code", "int1", "rol", "--span=-5:10"], "span -5:10 starts before the beginning of transcript 'int1'"),
        (["code", "int1", "rol", "--span", "30:20"], "span 30:20 is reversed: its end must come after its start"),
        (["code", "int1", "rol", "--span", "20:20"], "span 20:20 is empty"),
        (["code", "int1", "rol", "--span", f"0:{'9' * 5000}"], "cannot read span"),
        (["uncode", "--id", "42"], "no coding with id 42"),
        (["memo", "42", "x"], "no coding with id 42"),
    ],
)
def test_cli_user_errors_are_one_line_without_traceback(project, runner, args, message):
    result = run(runner, project, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert result.stdout == ""
    assert "hint:" in result.stderr


def test_cli_code_needs_turn_or_span(project, runner):
    result = run(runner, project, "code", "int1", "rol_cjg")
    assert result.exit_code == 1
    assert "say where to code: no turn, span or text given" in result.stderr
    both = run(runner, project, "code", "int1", "rol_cjg", "--turn", "2", "--span", "1:5")
    assert both.exit_code == 1 and "--span names the characters itself" in both.stderr


def test_cli_no_project_is_a_clear_error(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["transcripts"])
    assert result.exit_code == 1
    assert "no qualcode project" in result.stderr
    assert "qualcode init" in result.stderr


def test_cli_codebook_check_exit_codes(tmp_path, runner):
    good = tmp_path / "good.yaml"
    good.write_text(CODEBOOK, encoding="utf-8")
    result = runner.invoke(main, ["codebook", "check", str(good)])
    assert result.exit_code == 0
    assert "ok (4 codes)" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "title: T\ncodes:\n  - id: a\n    name: A\n    colr: '#fff'\n    key: k\n  - id: a\n    name: B\n    key: k\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["codebook", "check", str(bad)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        f"{bad}:5:5: unknown key 'colr' in a code (hint: did you mean 'color'?)",
        f"{bad}:7:9: duplicate code id 'a' (first defined at line 3) (hint: every code needs its own id)",
        f"{bad}:9:10: duplicate shortcut key 'k': also used by 'a' (line 6) (hint: give each code its own key, or none)",
    ]
    assert "3 problem(s)" in result.stderr


def test_cli_codebook_check_reports_a_misspelt_token_pattern_without_spacy(tmp_path, runner):
    book = tmp_path / "hints.yaml"
    book.write_text(
        "title: T\ncodes:\n  - id: a\n    name: A\n    hints:\n      patterns:\n"
        "        - [{LOWER: verwijst}, {IS_PUNKT: false, OP: '*'}, {LOWER: door}]\n",
        encoding="utf-8",
    )
    result = runner.invoke(main, ["codebook", "check", str(book)])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{book}:3: code 'a', pattern 1: token 2: unknown attribute 'IS_PUNKT' (did you mean IS_PUNCT?)"
    ]
    assert "1 problem(s)" in result.stderr


def test_cli_codebook_check_reads_utf16_and_locates_a_cp1252_byte(tmp_path, runner):
    book = tmp_path / "book.yaml"
    book.write_bytes(CODEBOOK.encode("utf-16"))
    assert runner.invoke(main, ["codebook", "check", str(book)]).exit_code == 0
    book.write_bytes("title: T\ncodes:\n  - id: a\n    name: Café\n".encode("cp1252"))
    result = runner.invoke(main, ["codebook", "check", str(book)])
    assert result.exit_code == 1
    assert "line 4, column 14: not valid UTF-8 (byte 0xe9" in result.stderr


def test_cli_check_reports_orphans_and_changed_sources(project, runner):
    run(runner, project, "code", "int1", "kracht", "--turn", "4")
    assert run(runner, project, "check").exit_code == 0
    # The code leaves the codebook: the coding is kept and reported.
    (project / "codebooks" / "codebook.yaml").write_text(
        CODEBOOK.replace("  - id: kracht\n    name: Eigen kracht\n    key: k\n", ""), encoding="utf-8"
    )
    result = run(runner, project, "check")
    assert result.exit_code == 1
    assert "1 coding(s) of code 'kracht', which is not in the codebook any more (kept, not deleted)" in result.stdout
    assert "no longer in the codebook: kracht" in result.stderr
    assert len(json.loads(run(runner, project, "codings", "--code", "kracht", "--format", "json").stdout)) == 1
    assert "merge-codes kracht --into CODE" in result.stdout
    # Its id edited in the YAML (same name): the hint names the code to move the codings into.
    (project / "codebooks" / "codebook.yaml").write_text(
        CODEBOOK.replace("  - id: kracht\n    name: Eigen kracht\n", "  - id: eigen_kracht\n    name: Eigen  kracht\n"),
        encoding="utf-8",
    )
    result = run(runner, project, "check")
    assert "'eigen_kracht' has its name now" in result.stdout
    assert "`qualcode codebook merge-codes kracht --into eigen_kracht`" in result.stdout
    # The source changes on disk.
    (project / "transcripts" / "int1.txt").write_text(TRANSCRIPT + "R: Nog iets.\n", encoding="utf-8")
    result = run(runner, project, "check")
    assert "changed on disk since it was imported" in result.stdout


def test_cli_check_reports_a_coding_whose_span_no_longer_covers_its_quote(project, runner):
    import sqlite3

    run(runner, project, "code", "int1", "kracht", "--turn", "4")
    coding = json.loads(run(runner, project, "codings", "--format", "json").stdout)[0]
    with sqlite3.connect(project / "qualcode.db") as conn:  # an edit outside qualcode
        conn.execute("UPDATE codings SET start = start + 2 WHERE id = ?", (coding["id"],))
    result = run(runner, project, "check")
    assert result.exit_code == 1
    assert f"int1: coding {coding['id']} (kracht) at {coding['start'] + 2}:{coding['end']} no longer covers" in result.stdout
    assert "restore it from a backup" in result.stdout


def test_cli_import_failure_writes_nothing(project, runner, tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("I: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("R: Café “quote”\n".encode("cp1252"))
    result = run(runner, project, "import", str(good), str(bad))
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "byte offset 6" in result.stderr
    assert "--encoding cp1252" in result.stderr
    assert "nothing was imported" in result.stderr
    names = [r["transcript"] for r in json.loads(run(runner, project, "transcripts", "--format", "json").stdout)]
    assert names == ["int1"]
    result = run(runner, project, "import", "--encoding", "cp1252", str(bad))
    assert result.exit_code == 0, result.output
    out = run(runner, project, "codings", "--format", "json")
    assert out.exit_code == 0
    text = run(runner, project, "transcripts", "--format", "json").stdout
    assert "bad" in text


def test_cli_sample_project_opens_with_no_arguments(tmp_path, runner, monkeypatch):
    copy = tmp_path / "sample"
    shutil.copytree(sample_project_source() / "codebooks", copy / "codebooks")
    shutil.copytree(sample_project_source() / "transcripts", copy / "transcripts")
    monkeypatch.chdir(copy)
    result = runner.invoke(main, ["transcripts", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) >= 6
    assert "imported" in result.stderr
    assert {r["respondent_type"] for r in rows} >= {"migrantenorganisatie", "professional"}
    assert sum(r["codings"] for r in rows) >= 100


def test_cli_bare_folder_imports_on_first_use_even_after_a_store_only_command(tmp_path, runner, monkeypatch):
    copy = tmp_path / "sample"
    shutil.copytree(sample_project_source() / "codebooks", copy / "codebooks")
    shutil.copytree(sample_project_source() / "transcripts", copy / "transcripts")
    monkeypatch.chdir(copy)
    assert runner.invoke(main, ["codebook", "check"]).exit_code == 0
    assert runner.invoke(main, ["codebook", "export", "--out", str(tmp_path / "x.qdc")]).exit_code == 0
    rows = json.loads(runner.invoke(main, ["transcripts", "--format", "json"]).stdout)
    assert len(rows) == 6


def test_cli_initialised_project_does_not_import_behind_the_users_back(tmp_path, runner):
    root = tmp_path / "p"
    runner.invoke(main, ["init", str(root)])
    (root / "transcripts" / "a.txt").write_text("I: Vraag?\nR: Antwoord.\n", encoding="utf-8")
    rows = json.loads(runner.invoke(main, ["--project", str(root), "transcripts", "--format", "json"]).stdout)
    assert rows == []


def test_cli_speakers_lists_stored_roles_and_re_applies_a_changed_setting(project, runner):
    listed = json.loads(run(runner, project, "speakers", "--format", "json").stdout)
    assert {(r["speaker"], r["role"], r["turns"]) for r in listed} == {("I", "interviewer", 2), ("R", "respondent", 2)}
    (project / "qualcode.yaml").write_text("interviewer_speakers: ['r']\n", encoding="utf-8")
    result = run(runner, project, "speakers", "--format", "json")
    stale = {r["speaker"]: r["setting says"] for r in json.loads(result.stdout)}
    assert stale == {"I": "respondent", "R": "interviewer"}  # stored roles are kept until applied
    assert "speakers --apply" in result.stderr
    result = run(runner, project, "speakers", "--apply", "--format", "json")
    assert "4 turn(s) changed" in result.stderr
    assert {(r["speaker"], r["role"], r["setting says"]) for r in json.loads(result.stdout)} == {
        ("I", "respondent", ""),
        ("R", "interviewer", ""),
    }


def test_cli_write_on_a_read_only_project_says_so_and_listing_still_works(project, runner, monkeypatch):
    import os

    from qualcode.store import db

    real = os.access
    monkeypatch.setattr(
        db.os, "access", lambda p, mode: False if mode == os.W_OK and str(p).endswith("qualcode.db") else real(p, mode)
    )
    assert run(runner, project, "transcripts").exit_code == 0
    result = run(runner, project, "code", "int1", "kracht", "--turn", "4")
    assert result.exit_code == 1
    assert "read-only" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    "config",
    ["suggestion_threshold: " + "9" * 5000 + "\n", "spacy_model: " + "[" * 5000 + "]" * 5000 + "\n", "codebook: [unclosed\n"],
)
def test_cli_hostile_configuration_is_a_located_error_not_a_traceback(project, runner, config):
    (project / "qualcode.yaml").write_text(config, encoding="utf-8")
    result = run(runner, project, "transcripts")
    assert result.exit_code == 1
    assert "qualcode.yaml" in result.stderr and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("data", "located"),
    [
        (b"codebook: x\n: : :\n", "line 2, column 1: YAML syntax error: did not find expected key"),
        (b"suggestion_threshold: [0.3\n", "YAML syntax error: did not find expected ',' or ']'"),
        (b"spacy_model: caf\xe9\n", "line 1, column 17: not valid UTF-8 (byte 0xe9"),
    ],
)
def test_cli_broken_configuration_says_where_in_one_line(project, runner, data, located):
    """The configuration's YAML errors read like the codebook's: line, column, what is
    wrong and what the parser was reading, on one line (not PyYAML's raw message)."""
    (project / "qualcode.yaml").write_bytes(data)
    result = run(runner, project, "transcripts")
    assert result.exit_code == 1 and "Traceback" not in result.output
    [message, hint] = result.stderr.strip().splitlines()
    assert message.startswith(f"error: {project / 'qualcode.yaml'}: ") and located in message
    assert "<unicode string>" not in message and hint.startswith("hint: ")


def test_cli_a_configuration_key_given_twice_is_refused(project, runner):
    (project / "qualcode.yaml").write_text("suggestion_threshold: 0.3\nspacy_model: x\nsuggestion_threshold: 0.9\n")
    result = run(runner, project, "transcripts")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "line 3: 'suggestion_threshold' is given twice (first on line 1)" in result.stderr


def test_cli_span_across_turns_becomes_one_coding_per_turn_without_labels(project, runner):
    text = TRANSCRIPT
    start, end = text.index("Dat werkt goed"), text.index("veel eigen kracht") + 5
    result = run(runner, project, "code", "int1", "kracht", "--span", f"{start}:{end}")
    assert result.exit_code == 0, result.output
    quotes = [r["text"] for r in json.loads(run(runner, project, "codings", "--format", "json").stdout)]
    assert quotes == ["Dat werkt goed als we elkaar kennen.", "En de ouders zelf?", "De ouders hebben veel"]
    assert not any(q.startswith(("I:", "R:")) or "\nR:" in q or "\nI:" in q for q in quotes)
    label = text.index("R: De")
    only_label = run(runner, project, "code", "int1", "kracht", "--span", f"{label}:{label + 2}")
    assert only_label.exit_code == 1 and "QC330" not in only_label.stderr and "holds no transcript text" in only_label.stderr


def test_cli_code_settles_the_pending_suggestion_it_covers(project, runner):
    from qualcode.project import Project

    p = Project.open(project)
    p.sync_codebook()
    tid = p.store.transcripts.id_by_name("int1")
    start = TRANSCRIPT.index("De ouders hebben")
    p.store.suggestions.replace_pending(
        tid, [(start, start + len("De ouders hebben veel eigen kracht."), "kracht", "rules", 0.6, "r")]
    )
    p.close()
    assert run(runner, project, "code", "int1", "kracht", "--turn", "4").exit_code == 0
    listed = json.loads(run(runner, project, "suggestions", "--status", "all", "--format", "json").stdout)
    assert [s["status"] for s in listed] == ["accepted"]  # settled by the coding, not left pending


@pytest.mark.parametrize(
    "command",
    [["codings", "--format", "csv"], ["stats", "frequencies"], ["export", "segments"]],
)
def test_coder_after_a_listing_is_said_not_to_filter(runner, project, command):
    """`qualcode codings --coder bob` reads as "bob's codings" but names the coder of new
    codings: with no --coders given, the command says so (and lists what it always lists)."""
    assert run(runner, project, "code", "int1", "kracht", "--turn", "2").exit_code == 0
    result = runner.invoke(main, ["--project", str(project), *command, "--coder", "bob"])
    assert result.exit_code == 0, result.output
    assert "--coder names who makes new codings; to see only bob's codings, use --coders bob" in result.stderr
    if command[0] == "codings":
        assert "anna" in result.stdout  # not a filter: anna's coding is listed
    given = runner.invoke(main, ["--project", str(project), *command, "--coder", "bob", "--coders", "anna"])
    assert "--coder names" not in given.stderr  # a filter was given: nothing to say
    plain = runner.invoke(main, ["--project", str(project), "--coder", "bob", *command])
    assert "--coder names" not in plain.stderr  # the top-level option is the usual way to say who codes


def test_coder_after_a_command_that_codes_is_not_questioned(runner, project):
    result = runner.invoke(main, ["--project", str(project), "code", "int1", "kracht", "--turn", "2", "--coder", "bob"])
    assert result.exit_code == 0 and "--coder names" not in result.stderr
    assert "bob" in runner.invoke(main, ["--project", str(project), "codings", "--format", "csv"]).stdout


TEAMS_TRANSCRIPT = """\
Lotte Jansen   0:03
Goedemiddag. Kun je vertellen wat je doet?

Samira El Amrani   0:09
Ik ben vrijwilliger bij een vrouwenorganisatie.

Lotte Jansen   1:02
Hoe ben je daar terechtgekomen?

Samira El Amrani   1:05
Via mijn buurvrouw. Zij vroeg: kom je ook?
"""


def test_cli_import_names_the_likely_interviewer_when_no_label_is_one(project, runner):
    path = project / "transcripts" / "teams.txt"
    path.write_text(TEAMS_TRANSCRIPT, encoding="utf-8")
    result = run(runner, project, "import", str(path))
    assert result.exit_code == 0, result.output
    assert (
        "teams: no speaker is an interviewer by interviewer_speakers (speakers Lotte Jansen, Samira El Amrani)" in result.stderr
    )
    # Samira asks once in two turns (a quoted question), Lotte in both: Lotte is named.
    assert "Lotte Jansen asks questions in 2 of 2 turns" in result.stderr
    assert "`qualcode speakers --interviewer 'Lotte Jansen'`" in result.stderr


def test_cli_import_says_nothing_of_interviewers_for_one_speaker_or_a_recognised_one(project, runner):
    one = project / "transcripts" / "monoloog.txt"
    one.write_text("Fatima: Ik vertel over mijn werk.\n\nFatima: En nog meer.\n", encoding="utf-8")
    result = run(runner, project, "import", str(one))
    assert result.exit_code == 0 and "interviewer" not in result.stderr


def test_likely_interviewer_needs_a_clear_asker():
    from qualcode.importing import likely_interviewer
    from qualcode.model import Transcript, Turn

    def transcript(*turns: tuple[str, str]) -> Transcript:
        text, made = "", []
        for i, (speaker, said) in enumerate(turns, 1):
            made.append(Turn(i, speaker, len(text), len(text) + len(said)))
            text += said + "\n"
        return Transcript(name="t", text=text, turns=made)

    asked = transcript(("A", "Wat doe je?"), ("B", "Veel?"), ("A", "En verder?"), ("B", "Niets?"), ("B", "Nee."))
    assert likely_interviewer(asked) is None  # B asks in 2 of its 3 turns: more than half as often as A
    clear = transcript(("A", "Wat doe je?"), ("B", "Veel."), ("A", "En verder?"), ("B", "Niets."), ("B", "Echt."))
    assert likely_interviewer(clear) == ("A", 2, 2)
    once = transcript(("A", "Wat doe je?"), ("B", "Veel."))
    assert likely_interviewer(once) is None  # one question is no pattern


def test_cli_speakers_interviewer_adds_the_label_keeps_the_patterns_and_applies(project, runner):
    path = project / "transcripts" / "teams.txt"
    path.write_text(TEAMS_TRANSCRIPT, encoding="utf-8")
    assert run(runner, project, "import", str(path)).exit_code == 0
    config = project / "qualcode.yaml"
    config.write_text(
        "# mijn instellingen\ninterviewer_speakers:\n  - i\n  - 'moderator'\nsuggestion_threshold: 0.4\n", encoding="utf-8"
    )
    result = run(runner, project, "speakers", "--apply", "--interviewer", "lotte jansen", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Lotte Jansen is an interviewer from now on" in result.stderr
    roles = {r["speaker"]: (r["role"], r["setting says"]) for r in json.loads(result.stdout)}
    assert roles["Lotte Jansen"] == ("interviewer", "") and roles["Samira El Amrani"] == ("respondent", "")
    assert roles["I"] == ("interviewer", "")  # the patterns already there still hold
    assert config.read_text(encoding="utf-8") == (
        "# mijn instellingen\ninterviewer_speakers:\n  - i\n  - 'moderator'\n  - \"Lotte Jansen\"\nsuggestion_threshold: 0.4\n"
    )
    again = run(runner, project, "speakers", "--interviewer", "Lotte Jansen")
    assert again.exit_code == 0 and "from now on" not in again.stderr  # already one: nothing written
    unknown = run(runner, project, "speakers", "--interviewer", "Lotte Janssen")
    assert unknown.exit_code == 1 and "no speaker 'Lotte Janssen'" in unknown.stderr
    assert "did you mean 'Lotte Jansen'?" in unknown.stderr and "Traceback" not in unknown.output


def test_cli_speakers_interviewer_writes_the_default_patterns_when_the_file_has_none(project, runner):
    from qualcode.project import DEFAULT_INTERVIEWER_SPEAKERS, load_config

    path = project / "transcripts" / "teams.txt"
    path.write_text(TEAMS_TRANSCRIPT, encoding="utf-8")
    assert run(runner, project, "import", str(path)).exit_code == 0
    assert run(runner, project, "speakers", "--interviewer", "Lotte Jansen").exit_code == 0
    assert load_config(project).interviewer_speakers == [*DEFAULT_INTERVIEWER_SPEAKERS, "Lotte Jansen"]


def test_cli_a_listing_given_a_transcript_name_says_how_to_name_one(runner, project):
    """`qualcode codings int1` (as `show int1` and `code int1 ...` take it) said only "No such command"."""
    result = run(runner, project, "codings", "int1")
    assert result.exit_code == 2
    assert "No such command 'int1'" in result.output
    assert "qualcode codings --transcript int1" in result.output
    result = run(runner, project, "suggestions", "mijn interview")
    assert "qualcode suggestions --transcript 'mijn interview'" in result.output
    result = run(runner, project, "trash", "int1")  # no --transcript there: click's message alone
    assert result.exit_code == 2 and "--transcript" not in result.output
    result = run(runner, project, "codings", "--transcript", "int1", "--format", "csv")
    assert result.exit_code == 0 and result.output.startswith("id,transcript")
