"""`qualcode export segments` and `qualcode stats ...` through click's runner."""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from analysis_fixture import build
from click.testing import CliRunner

from qualcode.cli import main


@pytest.fixture
def root(tmp_path):
    return build(tmp_path / "p")


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), *args])


def rows_of(text: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""), delimiter=delimiter))


def test_export_cli_segments_to_stdout_is_clean_csv(root):
    result = run(root, "export", "segments")
    assert result.exit_code == 0, result.output
    rows = rows_of(result.stdout)
    assert len(rows) == 8
    assert "warning" in result.stderr  # the missing code is reported on stderr, not in the data
    assert result.stdout.startswith("coding_id,transcript,type,")


def test_export_cli_segments_out_file_excel_and_filters(root, tmp_path):
    out = tmp_path / "seg.csv"
    result = run(root, "export", "segments", "--out", str(out), "--excel", "--code", "rol", "--where", "type=org")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"wrote 3 row(s) to {out}" in result.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfcoding_id;transcript;")
    assert [r["code_id"] for r in rows_of(data.decode("utf-8"), ";")] == ["rol_org", "rol_prof", "rol_org"]


def test_export_cli_segments_wide(root):
    result = run(root, "export", "segments", "--wide", "--unit", "turn")
    assert result.exit_code == 0, result.output
    assert len(rows_of(result.stdout)) == 10
    assert run(root, "export", "segments", "--unit", "turn").exit_code == 2  # --unit needs --wide


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "segments", "--where", "soort=org"], "no transcript has an attribute 'soort'"),
        (["export", "segments", "--code", "kracth"], "unknown code 'kracth'"),
        (["export", "segments", "--out", "/nonexistent-dir/x.csv"], "cannot write /nonexistent-dir/x.csv"),
        (["stats", "frequencies", "--by", "soort"], "cannot group by 'soort'"),
        (["stats", "matrix", "--by", "soort"], "cannot group by 'soort'"),
        (["stats", "cooccurrence", "--transcript", "t9"], "no transcript named 't9'"),
    ],
)
def test_export_cli_user_errors_without_traceback(root, args, message):
    result = run(root, *args)
    assert result.exit_code == 1
    assert message in result.stderr
    assert "hint:" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.output


def test_export_cli_where_lists_known_attributes(root):
    result = run(root, "stats", "frequencies", "--where", "soort=org")
    assert "known attributes: type" in result.stderr


def test_stats_cli_frequencies_table_is_aligned(root):
    result = run(root, "stats", "frequencies")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["code", "segments", "codings", "transcripts", "share", "words", "chars", "coverage"]
    rol = next(line for line in lines if line.startswith("Rolverwachtingen"))
    assert rol.split()[1:] == ["3", "4", "2/4", "50%", "12", "67", "30.0%"]
    kracht = next(line for line in lines if line.startswith("Eigen kracht"))
    assert len(rol) == len(kracht)  # right-aligned numbers end in the same column
    assert any("(missing from the codebook)" in line for line in lines)


def test_stats_cli_frequencies_by_group_csv_json_and_long(root):
    result = run(root, "stats", "frequencies", "--by", "type", "--format", "csv")
    rows = rows_of(result.stdout)
    rol = rows[0]
    assert (rol["code_id"], rol["segments_org"], rol["transcript_share_prof"], rol["segments_gemengd"]) == (
        "rol",
        "2",
        "0.5",
        "0",
    )

    data = json.loads(run(root, "stats", "frequencies", "--by", "type", "--format", "json").stdout)
    assert [g["name"] for g in data["groups"]] == ["gemengd", "org", "prof"]

    long_rows = rows_of(run(root, "stats", "frequencies", "--by", "type", "--long", "--format", "csv").stdout)
    assert {r["group"] for r in long_rows} == {"gemengd", "org", "prof"}

    table = run(root, "stats", "frequencies", "--by", "type").stdout
    assert "gemengd" in table and "n=2" in table


def test_stats_cli_cooccurrence_and_matrix_csv(root, tmp_path):
    rows = rows_of(run(root, "stats", "cooccurrence", "--format", "csv").stdout)
    assert [r["code_id"] for r in rows] == ["rol_org", "rol_prof", "kracht", "oud"]
    assert rows[1]["kracht"] == "2"
    turn = rows_of(run(root, "stats", "cooccurrence", "--unit", "turn", "--format", "csv").stdout)
    assert turn[0]["kracht"] == "2"

    out = tmp_path / "m.csv"
    result = run(root, "stats", "matrix", "--out", str(out))  # --out alone means CSV
    assert result.exit_code == 0, result.output
    matrix = rows_of(out.read_text(encoding="utf-8"))
    assert (matrix[0]["code_id"], matrix[0]["t1"], matrix[0]["t2"], matrix[0]["t3"]) == ("rol", "2", "1", "0")

    excel = run(root, "stats", "matrix", "--by", "type", "--measure", "coverage", "--excel").stdout
    assert excel.startswith("\ufeffcode_id;code_path;code_name;gemengd;org;prof")
    assert ";0,4348;" in excel  # 'rol' covers 10 of org's 23 words, with a decimal comma


def test_stats_cli_format_conflicts_are_usage_errors(root, tmp_path):
    assert run(root, "stats", "matrix", "--excel", "--format", "json").exit_code == 2
    assert run(root, "stats", "matrix", "--out", str(tmp_path / "x"), "--format", "table").exit_code == 2


def test_stats_cli_progress_only_on_a_terminal(root, monkeypatch):
    from qualcode.cli import export_cmds, render

    monkeypatch.setattr(export_cmds, "PROGRESS_MIN", 1)
    result = run(root, "export", "segments")  # the runner's stderr is not a terminal: no bar
    assert "exporting" not in result.stderr

    with render.progress_bar("exporting") as progress:
        assert progress is None

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with render.progress_bar("exporting", minimum=20) as progress:
        progress(5, 10)  # below the minimum: a run too short for a bar
    assert terminal.getvalue() == ""
    with render.progress_bar("exporting") as progress:
        progress(5, 10)
        progress(10, 10)
    assert "exporting" in terminal.getvalue() and "10/10" in terminal.getvalue()
    # An ending bar ends at its total, so that the next one starts on a line of its own.
    terminal.seek(0)
    terminal.truncate()
    with render.Progress("checking", ending=True) as first, render.Progress("importing") as second:
        first(10, 10)
        first(10, 10)  # ended: nothing more
        second(1, 2)
    shown = terminal.getvalue()
    assert shown.count("10/10") == 1 and "\n" in shown.split("importing")[0]
