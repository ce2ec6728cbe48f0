"""`qualcode code --from FILE`: many codings in one transaction, checked like single ones."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import cli_project

from qualcode.bulk import code_from_text, read_requests
from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.project import Project

HOSTILE = Path(__file__).parent / "data" / "hostile" / "cli-polish"

TRANSCRIPT = """\
I: Wat verwacht u van het CJG?
R: Wij verwachten dat ze ons serieus nemen. Ze verwijzen ouders soms door naar ons.
I: En de ouders zelf?
R: De ouders hebben veel eigen kracht. Echt veel kracht.
"""
CODEBOOK = """\
title: T
codes:
  - id: rol
    name: Rol
    codable: false
    children:
      - id: rol_cjg
        name: Van het CJG
  - id: kracht
    name: Eigen kracht
"""


@pytest.fixture
def project(tmp_path, runner) -> Path:
    return cli_project(
        runner, tmp_path / "p", CODEBOOK, {"int1.txt": TRANSCRIPT, "int2.txt": TRANSCRIPT.replace("CJG", "wijkteam")}
    )


def code_from(runner, project, path: Path | str, input: str | None = None):
    return runner.invoke(main, ["--project", str(project), "--coder", "anna", "code", "--from", str(path)], input=input)


def stored(project: Path) -> list[tuple]:
    with sqlite3.connect(project / "qualcode.db") as conn:
        return conn.execute("SELECT transcript_id, start, end, code_id, coder, memo, quote FROM codings ORDER BY id").fetchall()


def test_bulk_csv_by_turn_span_start_end_and_text(runner, project, tmp_path):
    start = TRANSCRIPT.index("veel eigen kracht")
    start2 = TRANSCRIPT.replace("CJG", "wijkteam").index("veel eigen kracht")
    source = tmp_path / "mijn_coderingen.csv"  # any name
    source.write_text(
        "transcript;code;turn;span;start;end;text;memo;coder;extra\n"
        "int1;rol_cjg;2;;;;;belangrijk;;x\n"
        f"int1;kracht;;{start}:{start + 17};;;;;bob;\n"
        f"int2.txt;kracht;;;{start2};{start2 + 4};;;;\n"
        'int2;kracht;4;;;;"Echt veel kracht";;;\n',
        encoding="utf-8",
    )
    result = code_from(runner, project, source)
    assert result.exit_code == 0, result.output
    assert "4 coding(s) from" in result.stdout and "4 added, 0 already there" in result.stdout
    assert "ignored column(s): extra" in result.stderr
    rows = stored(project)
    assert [(r[3], r[4], r[5], r[6]) for r in rows] == [
        ("rol_cjg", "anna", "belangrijk", "Wij verwachten dat ze ons serieus nemen. Ze verwijzen ouders soms door naar ons."),
        ("kracht", "bob", None, "veel eigen kracht"),
        ("kracht", "anna", None, "veel"),
        ("kracht", "anna", None, "Echt veel kracht"),
    ]
    again = code_from(runner, project, source)
    assert "0 added, 4 already there" in again.stdout  # running the same file twice adds nothing
    assert len(stored(project)) == 4


def test_bulk_json_lines_and_stdin(runner, project):
    lines = [
        {"transcript": "int1", "code": "kracht", "turn": 4, "memo": "via json"},
        {"file": "int2.txt", "code_id": "rol_cjg", "quote": "serieus nemen"},
    ]
    result = code_from(runner, project, "-", input="\n".join(json.dumps(x) for x in lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "2 added" in result.stdout
    assert [(r[0], r[3], r[6]) for r in stored(project)] == [
        (1, "kracht", "De ouders hebben veel eigen kracht. Echt veel kracht."),
        (2, "rol_cjg", "serieus nemen"),
    ]


def test_bulk_problems_are_located_and_nothing_is_written(runner, project):
    result = code_from(runner, project, HOSTILE / "bad_codings.jsonl")
    assert result.exit_code == 1 and "Traceback" not in result.output
    err = result.stderr
    where = str(HOSTILE / "bad_codings.jsonl")
    for line, message in [
        (2, "unknown code 'krachtt'"),
        (3, "no transcript named 'nergens'"),
        (4, "not valid JSON"),
        (5, "not a JSON object"),
        (10, "'turn' holds a dict"),
    ]:
        assert f"{where}:{line}" in err and message in err, (line, message)
    assert "nothing was coded" in err
    assert stored(project) == []  # line 1 was fine, but nothing is written when any line is wrong


def test_bulk_problems_in_lines_that_parse(runner, project, tmp_path):
    source = tmp_path / "c.jsonl"
    bad = HOSTILE / "bad_codings.jsonl"
    source.write_text(
        "\n".join(line for i, line in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1) if i not in (4, 5, 10)) + "\n",
        encoding="utf-8",
    )
    result = code_from(runner, project, source)
    err = result.stderr
    for message in [
        ":4: span 300:200 is reversed",
        ":5: transcript 'int1' has no turn 99",
        ":6: the text 'bestaat niet' is not in 'int1'",
        ":7: no end given",
        ":8: say where to code: no turn, span or text given",
        ":9: span 0:99999 reaches past the end of transcript 'int1'",
    ]:
        assert message in err, message
    assert "9 problem(s)" not in err and "8 problem(s)" in err
    assert stored(project) == []


def test_bulk_text_and_span_must_agree(runner, project, tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("transcript,code,start,end,text\nint1,kracht,0,5,iets anders\n", encoding="utf-8")
    result = code_from(runner, project, source)
    assert result.exit_code == 1 and "the span 0:5 holds" in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "the file is empty"),
        ("code,turn\nkracht,2\n", "names no transcript or no code column"),
        ("transcript,code,turn\nint1,kracht,2,oeps,meer\n", "5 values but 3 columns"),
    ],
)
def test_bulk_unreadable_files(runner, project, tmp_path, content, message):
    source = tmp_path / "c.csv"
    source.write_text(content, encoding="utf-8")
    result = code_from(runner, project, source)
    assert result.exit_code == 1 and message in result.stderr and "Traceback" not in result.output
    assert stored(project) == []


@pytest.mark.parametrize(
    ("content", "message", "hint"),
    [
        (b"", "the file is empty", "then one coding per line"),
        (b"transcript,code\x00\x01", "not a codings file (CSV or JSON lines)", "save the codings as CSV"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a PNG image, not a codings file", "save the codings as CSV"),
        (
            "transcript,code,turn\nint1,kracht,2\n".encode("utf-16-le"),
            "UTF-16 text without a byte-order mark",
            "save it again as UTF-8",
        ),
    ],
)
def test_bulk_empty_or_binary_file_is_named_a_codings_file(runner, project, tmp_path, content, message, hint):
    """A codings file that is empty or not text is called what it should be (a codings
    file), with a hint about codings, not about importing transcripts."""
    source = tmp_path / "c.csv"
    source.write_bytes(content)
    result = code_from(runner, project, source)
    assert result.exit_code == 1 and message in result.stderr and hint in result.stderr
    assert ".vtt" not in result.stderr and "export the transcript again" not in result.stderr  # no import hints
    assert "Traceback" not in result.output
    assert stored(project) == []


def test_bulk_missing_file_and_folder(runner, project, tmp_path):
    assert "no such file" in code_from(runner, project, tmp_path / "weg.csv").stderr
    assert code_from(runner, project, tmp_path).exit_code != 0


def test_bulk_from_excludes_the_single_coding_arguments(runner, project, tmp_path):
    result = runner.invoke(main, ["--project", str(project), "code", "int1", "kracht", "--from", str(tmp_path / "x.csv")])
    assert result.exit_code == 2


def test_bulk_reads_back_an_export(runner, project, tmp_path):
    """A `qualcode export segments` file codes another project with the same transcripts."""
    runner.invoke(main, ["--project", str(project), "--coder", "anna", "code", "int1", "kracht", "--turn", "4", "--memo", "m"])
    export = tmp_path / "segments.csv"
    assert runner.invoke(main, ["--project", str(project), "export", "segments", "-o", str(export)]).exit_code == 0
    other = tmp_path / "q"
    assert runner.invoke(main, ["init", str(other)]).exit_code == 0
    (other / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (other / "transcripts" / "int1.txt").write_text(TRANSCRIPT, encoding="utf-8")
    assert runner.invoke(main, ["--project", str(other), "import", str(other / "transcripts")]).exit_code == 0
    result = code_from(runner, other, export)
    assert result.exit_code == 0, result.output
    assert [(r[3], r[4], r[5]) for r in stored(other)] == [("kracht", "anna", "m")]


def test_bulk_core_reads_csv_and_jsonl():
    requests, ignored, problems = read_requests("transcript,code,turn,note\nint1,kracht,2,x\n\n", "f.csv")
    assert [(r.line, r.fields) for r in requests] == [(2, {"transcript": "int1", "code": "kracht", "turn": "2"})]
    assert (ignored, problems) == (["note"], [])
    requests, _, _ = read_requests('\n{"transcript": "a", "code": "b", "turn": 3}\n', "f.jsonl")
    assert [(r.line, r.fields["turn"]) for r in requests] == [(2, "3")]
    _, _, problems = read_requests('{"transcript": 1}\n{oops\n', "f.jsonl")
    assert [(p.file, p.line) for p in problems] == [("f.jsonl", 2)]
    with pytest.raises(QualcodeError):
        read_requests("alleen,kolommen\n", "f.csv")


def test_bulk_core_many_codings_in_one_transaction(project):
    p = Project.open(project)
    p.sync_codebook()
    first = TRANSCRIPT.index("Wij verwachten")  # 60 spans inside one turn
    lines = "".join(f"int1,kracht,,{i}:{i + 3}\n" for i in range(first, first + 60))
    result = code_from_text(p.store, p.codebook, "transcript,code,turn,span\n" + lines, "f.csv", coder="anna")
    assert (result.lines, result.added, result.transcripts) == (60, len({(c[1], c[2]) for c in stored(project)}), 1)
    p.close()


def test_bulk_codes_of_another_codebook_are_named_all_at_once(runner, project, tmp_path):
    """A file made with another codebook: every unknown code named in one line (the located
    lines stop after the first few), with what to do; the hint names no list it does not show."""
    source = tmp_path / "andere.csv"
    others = [f"code_{i:02}" for i in range(30)]
    source.write_text("transcript,code,turn\n" + "".join(f"int1,{c},2\n" for c in others) + "int1,kracht,4\n", encoding="utf-8")
    result = code_from(runner, project, source)
    assert result.exit_code == 1 and "Traceback" not in result.output
    err = result.stderr
    assert f"30 code(s) named in {source} are not in the codebook (code_00, code_01," in err
    assert "(22 more)" in err and "`qualcode codebook use FILE`" in err
    assert "did you mean one of the listed ids" not in err and "unknown code 'code_00' (hint: list the codes" in err
    assert stored(project) == []


def test_bulk_a_near_miss_still_gets_its_did_you_mean_and_no_summary_when_codes_are_known(runner, project, tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("transcript,code,turn\nint1,krachtt,2\nint1,kracht,99\n", encoding="utf-8")
    err = code_from(runner, project, source).stderr
    assert "unknown code 'krachtt' (hint: list the codes with `qualcode codebook show`; did you mean 'kracht'?)" in err
    assert "1 code(s) named in" in err and "(krachtt)" in err
    source.write_text("transcript,code,turn\nint1,kracht,99\n", encoding="utf-8")
    err = code_from(runner, project, source).stderr
    assert "has no turn 99" in err and "not in the codebook" not in err


def test_bulk_transcripts_by_name_file_number_and_prefix_read_the_list_once(project, tmp_path):
    """Each line's transcript is found as `qualcode code` finds it; a name is looked up in the
    index, and the project's names and file names are read once however many other
    references the file holds (not once per transcript: quadratic at thousands of interviews)."""
    text = "transcript,code,turn\nint1,kracht,4\nint2.txt,kracht,4\n2,rol_cjg,2\nint,kracht,2\n"
    p = Project.open(project)
    try:
        conn = p.store._db.conn
        statements: list[str] = []
        conn.set_trace_callback(statements.append)
        with pytest.raises(QualcodeError, match="int1, int2"):  # a prefix of both: ambiguous, as for `qualcode code`
            code_from_text(p.store, p.codebook, text, "f.csv", coder="anna")
        conn.set_trace_callback(None)
        listings = [s for s in statements if s.startswith("SELECT id, name FROM transcripts")]
        assert len(listings) == 1
        result = code_from_text(p.store, p.codebook, text.replace("int,", "int2,"), "f.csv", coder="anna")
        assert result.added == 4
    finally:
        p.close()
    assert [(tid, code) for tid, _, _, code, *_ in stored(project)] == [
        (1, "kracht"),
        (2, "kracht"),
        (2, "rol_cjg"),
        (2, "kracht"),
    ]
