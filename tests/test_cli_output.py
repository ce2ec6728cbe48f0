"""What the CLI prints: one safe CSV writer, terminal-safe text, streamed listings, the pager.

Hostile inputs come from tests/data/hostile/cli-polish/ (memos that try formula
injection, row splitting, ESC sequences and bidi overrides).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import cli_project

from qualcode.cli import main, render
from qualcode.cli.render import write_table
from qualcode.cli.table import SAMPLE
from qualcode.export import CsvWriter
from qualcode.termsafe import one_line, terminal_safe

HOSTILE = Path(__file__).parent / "data" / "hostile" / "cli-polish"

TRANSCRIPT = "I: Vraag een?\nR: " + " ".join(f"woord{i}" for i in range(60)) + "\nI: Vraag twee?\nR: Antwoord twee.\n"
CODEBOOK = 'title: T\ncodes:\n  - id: kracht\n    name: Eigen kracht\n  - id: rol\n    name: "=Rol\\u001b[31m"\n'


@pytest.fixture
def project(tmp_path, runner) -> Path:
    root = cli_project(runner, tmp_path / "p", CODEBOOK, {"int1.txt": TRANSCRIPT, "attributes.csv": "file,type\nint1.txt,=1+1\n"})
    result = runner.invoke(
        main, ["--project", str(root), "--coder", "anna", "code", "--from", str(HOSTILE / "hostile_memos.csv")]
    )
    assert result.exit_code == 0, result.output
    return root


def run(runner, project, *args):
    result = runner.invoke(main, ["--project", str(project), *args])
    assert result.exit_code == 0, result.output
    return result


def memos(project, runner) -> dict[int, str]:
    rows = json.loads(run(runner, project, "codings", "--format", "json").stdout)
    return {r["id"]: r["memo"] for r in rows}


# --- one safe CSV writer ------------------------------------------------------------------------


def test_csv_writer_quotes_bare_cr_and_lf_and_guards_formulas():
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.header(["a", "b"])
    assert writer.rows([["\rcrmemo", "x\ny"], ["=1+1", -3], ["@x", "\tt"], ["+1", "-1"], ["-", "+"]]) == 5
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert rows == [["a", "b"], ["'\rcrmemo", "x\ny"], ["'=1+1", "-3"], ["'@x", "'\tt"], ["'+1", "'-1"], ["-", "+"]]


@pytest.mark.parametrize(
    "command",
    [
        ["codings", "--format", "csv"],
        ["transcripts", "--format", "csv"],
        ["codebook", "show", "--format", "csv"],
        ["stats", "frequencies", "--format", "csv"],
        ["export", "segments"],
        ["show", "int1", "--format", "csv"],
    ],
)
def test_every_csv_listing_neutralises_formulas_and_keeps_one_row_per_record(runner, project, command):
    text = run(runner, project, *command).stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    width = len(rows[0])
    assert all(len(r) == width for r in rows)  # nothing split a row
    cells = [c for r in rows[1:] for c in r]
    assert not any(c[:1] in ("=", "+", "@", "\t", "\r") for c in cells)
    assert not any(c.startswith("-") and c != "-" and not c.lstrip("-").replace(".", "").isdigit() for c in cells)


def test_bare_cr_in_a_memo_never_splits_a_csv_row(runner, project):
    run(runner, project, "memo", "2", "\rcrmemo")
    rows = list(csv.reader(io.StringIO(run(runner, project, "codings", "--format", "csv").stdout, newline="")))
    assert len(rows) == 1 + 8 and {len(r) for r in rows} == {9}
    assert [r[7] for r in rows if r[0] == "2"] == ["'\rcrmemo"]
    raw = run(runner, project, "codings", "--format", "csv", "--no-neutralise").stdout
    assert [r[7] for r in csv.reader(io.StringIO(raw, newline="")) if r[0] == "2"] == ["\rcrmemo"]


def test_suggestion_listing_csv_goes_through_the_safe_writer(runner, project):
    data = run(runner, project, "suggestions", "--status", "all", "--format", "csv").stdout_bytes
    assert data.startswith(b"id,transcript,start,end,code,suggester,score,status,reason,text\r\n")  # RFC 4180 line ends


# --- terminal-safe output ------------------------------------------------------------------------------


def test_terminal_safe_makes_controls_visible_and_keeps_text():
    assert terminal_safe("a\x1b[2Jb\x07c") == "a\\x1b[2Jb\\x07c"
    assert terminal_safe("\u202egnp.exe") == "\\u202egnp.exe"
    assert terminal_safe("r\x9bx\x7f") == "r\\x9bx\\x7f"
    assert terminal_safe("regel\n\tnieuw é ☃ \u200f") == "regel\n\tnieuw é ☃ \u200f"
    assert one_line("a\nb\tc\rd") == "a\\nb\\tc\\x0dd"


def test_tables_notes_and_errors_never_print_control_characters(runner, project, tmp_path):
    table = run(runner, project, "codings").stdout + run(runner, project, "codebook", "show").stdout
    assert "\x1b" not in table and "\u202e" not in table and "\r" not in table
    assert "\\x1b[2J" in table and "\\u202e" in table
    evil = tmp_path / "evil\x1b]0;pwned\x07.yaml"
    result = runner.invoke(main, ["codebook", "check", str(evil)])
    assert result.exit_code == 1 and "\x1b]0" not in result.stderr and "\\x1b]0;pwned\\x07" in result.stderr


def test_csv_and_json_to_a_pipe_stay_exact(runner, project):
    data = json.loads(run(runner, project, "codings", "--format", "json").stdout)
    assert "\x1b[2J\x1b]0;pwned\x07clears the screen" in [r["memo"] for r in data]
    raw = run(runner, project, "codings", "--format", "csv").stdout
    assert "\x1b[2J" in raw and "\u202e" in raw


def test_out_dash_writes_to_stdout_not_to_a_file_named_dash(runner, project, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    to_stdout = run(runner, project, "export", "segments").stdout
    assert run(runner, project, "export", "segments", "-o", "-").stdout == to_stdout
    assert run(runner, project, "stats", "frequencies", "--format", "csv", "--out", "-").stdout.startswith("code_id,")
    assert not (tmp_path / "-").exists() and not (project / "-").exists()


def test_csv_on_a_terminal_is_made_safe(runner, project, monkeypatch):
    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("PAGER", "cat")  # paging off: the pager path itself is tested below
    out = run(runner, project, "codings", "--format", "csv").stdout
    assert "\x1b" not in out and "\u202e" not in out and "\\x1b[2J" in out


# --- streaming -----------------------------------------------------------------------------------------


class Recorder(io.StringIO):
    """A stream that notes how many rows had been pulled when each line was written."""

    def __init__(self, pulled: list[int]) -> None:
        super().__init__()
        self.pulled = pulled
        self.seen: list[int] = []

    def write(self, text: str) -> int:
        self.seen.append(self.pulled[0])
        return super().write(text)


def test_a_long_table_is_written_while_its_rows_are_still_coming(monkeypatch):
    pulled = [0]

    def rows():
        for i in range(5000):
            pulled[0] += 1
            yield (i, f"transcript_{i % 7}", "x" * (i % 13))

    stream = Recorder(pulled)
    monkeypatch.setattr(render, "data_output", lambda **_: _nullcontext(stream))
    assert write_table(rows(), ["id", "transcript", "text"], right=("id",)) == 5000
    assert stream.seen[0] <= SAMPLE + 1  # the header went out after the sample, not after 5,000 rows
    lines = stream.getvalue().splitlines()
    assert len(lines) == 5001 and lines[0].split() == ["id", "transcript", "text"]
    # widths come from the sample: a later, wider id pushes its line right instead of being cut
    assert lines[1] == "  0  transcript_0" and lines[-1].startswith("4999  transcript_1  xxxx")


def _nullcontext(value):
    from contextlib import nullcontext

    return nullcontext(value)


@pytest.mark.parametrize("count", [None, 200])
def test_a_table_known_to_be_longer_than_the_screen_starts_at_once_on_a_terminal(monkeypatch, count):
    """Without a count a terminal table reads a screenful of rows to see whether it fits;
    with one that says it will not, the first row is written before the second is read."""
    pulled = [0]

    def rows():
        for i in range(200):
            pulled[0] += 1
            yield (i, f"transcript_{i}")

    stream = Recorder(pulled)
    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(render.shutil, "get_terminal_size", lambda: os.terminal_size((100, 30)))
    monkeypatch.setattr(render, "data_output", lambda **_: _nullcontext(stream))
    widths = {"id": 3, "transcript": 14}
    assert write_table(rows(), ["id", "transcript"], widths=widths, exact_widths=True, slow=True, count=count) == 200
    assert stream.seen[0] == (0 if count else 28)  # the header: before any row, or after a screenful and one
    assert len(stream.getvalue().splitlines()) == 201


def test_a_table_counted_to_fit_the_screen_is_still_drawn_whole(monkeypatch):
    printed = []
    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)
    monkeypatch.setattr(render.shutil, "get_terminal_size", lambda: os.terminal_size((100, 30)))
    monkeypatch.setattr(render, "print_rich", lambda table, width: printed.append(table.row_count))
    assert write_table(iter([(1, "a"), (2, "b")]), ["id", "name"], count=2) == 2
    assert printed == [2]


def test_wide_stats_fall_back_to_one_line_per_cell(runner, project):
    result = run(runner, project, "stats", "matrix")
    assert "Eigen kracht" in result.stdout
    # many transcripts: too wide for a matrix, listed one line per code and transcript
    for i in range(45):
        Path(project / "transcripts" / f"t{i}.txt").write_text(TRANSCRIPT.replace("twee", f"twee {i}"), encoding="utf-8")
    run(runner, project, "import", str(project / "transcripts"))
    wide = run(runner, project, "stats", "matrix")
    assert wide.stdout.splitlines()[0].split() == ["code", "column", "segments"]
    assert "one line per cell" in wide.stderr
    long = run(runner, project, "stats", "frequencies", "--by", "transcript")
    assert long.stdout.splitlines()[0].split()[:3] == ["code", "transcript", "segments"]


def test_stats_matrix_of_shares_prints_percentages(runner, project):
    # The cell formatter's flag once shadowed the percent() helper: a traceback instead of a table.
    for measure in ("coverage", "transcript_share"):
        result = run(runner, project, "stats", "matrix", "--measure", measure)
        assert result.exit_code == 0, result.output
        assert "%" in result.stdout


def test_stats_matrix_on_screen_says_what_a_cell_counts(runner, project):
    """A matrix on screen names its measure and says whether a parent's row counts its
    sub-codes: `stats matrix` rolls up, co-occurrence counts codes as applied. Without
    it the two tables (same rows, indented alike) read as the same kind of count."""
    for measure, said in (("words", "cells: coded words"), ("codings", "cells: codings"), ("coverage", "cells: coverage")):
        out = run(runner, project, "stats", "matrix", "--measure", measure).stdout
        assert said in out and "rolled up: a parent's row counts its sub-codes" in out, out
    for unit, said in (("overlap", "diagonal: codings of the code"), ("turn", "diagonal: turns with the code")):
        out = run(runner, project, "stats", "cooccurrence", "--unit", unit).stdout
        assert said in out and "codes as applied: a parent's row does not count its sub-codes" in out, out


def test_stats_frequencies_help_says_which_words_coverage_divides_by(runner, project):
    """Coverage divides by the words of the turns (a transcript's 'words' in `transcripts`),
    not by every word of the file: the help said 'all words of the group'."""
    text = " ".join(run(runner, project, "stats", "frequencies", "--help").stdout.split())
    assert "coverage = coded words / the words of the group's turns" in text
    assert "A word is a run of non-space characters" in text


# --- the pager and pipes (real processes) ----------------------------------------------------------------


def _qualcode(*args: str) -> list[str]:
    return [sys.executable, "-c", "from qualcode.cli import main; main()", *args]


def test_long_listing_on_a_terminal_goes_through_the_pager(project, tmp_path):
    seen = tmp_path / "paged.txt"
    pager = tmp_path / "pager.py"
    pager.write_text(
        f"import os, sys\nopen({str(seen)!r}, 'w').write(os.environ.get('LESS', '') + '\\n' + sys.stdin.read())\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PAGER": f"{sys.executable} {pager}", "LINES": "10", "COLUMNS": "100"}
    env.pop("LESS", None)
    master, slave = pty.openpty()
    proc = subprocess.Popen(_qualcode("--project", str(project), "codings"), stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    while True:  # drain the terminal until the process is done
        ready, _, _ = select.select([master], [], [], 30)
        try:
            if not ready or not os.read(master, 65536):
                break
        except OSError:
            break
    assert proc.wait(timeout=60) == 0
    os.close(master)
    less, *lines = seen.read_text(encoding="utf-8").splitlines()
    assert less == "FRX"  # as git sets it: quit if it fits one screen, keep colours, leave the text
    assert lines[0].split()[:3] == ["id", "transcript", "start"] and len(lines) == 9
    assert "\x1b[2J" not in "".join(lines) and "\\x1b[2J" in "".join(lines)


def test_listing_into_a_closed_pipe_ends_quietly(project):
    head = subprocess.run(
        f"{' '.join(map(repr, _qualcode('--project', str(project), 'codings', '--format', 'csv')))} | head -c 10",
        shell=True, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert head.stdout == "id,transcr"
    assert "Traceback" not in head.stderr


def test_every_cli_module_prints_through_the_one_helper():
    """render.py holds the only print path (echo/note/warn, data_output); table.py hands rich
    cells it made safe. A bare click.echo or print elsewhere would bypass the terminal guard."""
    import qualcode.cli

    folder = Path(qualcode.cli.__file__).parent
    for path in sorted(folder.glob("*.py")):
        if path.name == "render.py":
            continue
        text = path.read_text(encoding="utf-8")
        assert "click.echo" not in text and "click.secho" not in text and "print(" not in text.replace(".print(", ""), path.name


def test_every_command_takes_project_and_coder_after_its_name():
    from qualcode.cli import main as group

    def walk(cmd, path=()):
        yield path, cmd
        for name, sub in getattr(cmd, "commands", {}).items():
            yield from walk(sub, (*path, name))

    for path, command in walk(group):
        options = {o for p in command.params for o in getattr(p, "opts", ())}
        assert {"--project", "--coder"} <= options, " ".join(path)


def test_names_with_control_characters_stay_on_one_visible_line(runner, project):
    with sqlite3.connect(project / "qualcode.db") as conn:
        conn.execute("UPDATE transcripts SET name = ? WHERE name = 'int1'", ("evil\x1b[2J\nname\u202e",))
    table = run(runner, project, "transcripts").stdout
    assert "evil\\x1b[2J\\nname\\u202e" in table and "\x1b" not in table and len(table.splitlines()) == 2
    shown = run(runner, project, "show", "evil").stdout
    assert shown.startswith("evil\\x1b[2J\\nname\\u202e: 4 turn(s)") and "\x1b" not in shown
    listed = run(runner, project, "codings").stdout
    assert "\x1b" not in listed and "evil\\x1b[2J\\nname" in listed
