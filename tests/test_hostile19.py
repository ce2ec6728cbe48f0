"""Hostile inputs, round 19: what a user can hand the newest entry points (the SVG chart, a
coder's database to merge, a pseudonymisation key, transcript memos, ...). Each case runs
through the CLI and states the exit code, the message and that nothing was written."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from conftest import cli_project

from qualcode.cli import main
from qualcode.store.key import KEY_NAME


def run(runner, root: Path, *args: str):
    return runner.invoke(main, ["--project", str(root), "--coder", "tester", *args])


def _tables(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        return [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs /proc, a folder where no file can be made")
def test_a_chart_the_system_refuses_to_write_is_a_clear_error(runner, small_project):
    result = run(runner, small_project.root, "stats", "frequencies", "--chart", "/proc/chart.svg")
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "error: cannot write /proc/chart.svg" in result.stderr
    assert "Traceback" not in result.output


def _copy_db(source: str | Path, target: Path) -> None:
    """A whole copy of an open database (its last changes may be in its -wal file still)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()


def _other(tmp_path: Path, source: Path) -> Path:
    other = tmp_path / "other"
    shutil.copytree(source, other, ignore=shutil.ignore_patterns("qualcode.db*", KEY_NAME + "*"))
    return other


def test_merge_refuses_another_programs_database_and_adds_nothing_to_it(runner, small_project, tmp_path):
    other = _other(tmp_path, small_project.root)
    with sqlite3.connect(other / "qualcode.db") as conn:
        conn.execute("CREATE TABLE contacts (name TEXT)")
    result = run(runner, small_project.root, "merge", str(other))
    assert result.exit_code == 1, result.output
    assert "is not a qualcode project database: it holds tables (contacts)" in result.stderr
    assert "Traceback" not in result.output
    assert _tables(other / "qualcode.db") == ["contacts"]  # no qualcode table was made beside it


def test_merge_refuses_a_database_whose_record_of_changes_is_gone(runner, small_project, tmp_path):
    other = _other(tmp_path, small_project.root)
    _copy_db(small_project.store.path, other / "qualcode.db")
    with sqlite3.connect(other / "qualcode.db") as conn:
        conn.execute("DROP TABLE schema_migrations")
    result = run(runner, small_project.root, "merge", str(other))
    assert result.exit_code == 1, result.output  # was a traceback: 'table transcripts already exists'
    assert "is not a qualcode project database" in result.stderr and "codings" in result.stderr
    assert "Traceback" not in result.output


def test_a_project_database_in_place_of_the_key_is_named_for_what_it_is(runner, small_project):
    _copy_db(small_project.store.path, small_project.root / KEY_NAME)
    before = _tables(small_project.root / KEY_NAME)
    result = run(runner, small_project.root, "pseudonymise", "list")
    assert result.exit_code == 1, result.output
    # it said "written by a newer qualcode (unknown migration '0001_initial')": upgrading would not help
    assert "is not a pseudonymisation key: it is a qualcode project database" in result.stderr
    assert "newer" not in result.stderr
    assert _tables(small_project.root / KEY_NAME) == before


def test_a_key_in_place_of_the_project_database_is_named_for_what_it_is(runner, small_project, tmp_path):
    key = tmp_path / "key.db"
    from qualcode.store.key import KeyStore

    KeyStore(key).close()
    other = _other(tmp_path, small_project.root)
    _copy_db(key, other / "qualcode.db")
    result = run(runner, other, "transcripts")
    assert result.exit_code == 1, result.output
    assert "is not a qualcode project database: it is a pseudonymisation key" in result.stderr
    assert "newer" not in result.stderr


STALE_BEFORE = "Interviewer: Waar woont u?\nRespondent: Ik woon bij Marieke in Overvecht.\n"
STALE_AFTER = "Interviewer: Goedemiddag, waar woont u precies?\nRespondent: Ik woon bij Marieke in Overvecht.\n"
CODEBOOK = "title: T\ncodes:\n  - id: wonen\n    name: Wonen\n"


def _accepted_then_changed(runner, root: Path, monkeypatch) -> Path:
    """A project whose names were accepted, then its transcript reimported with words put before them."""
    from pseudo_support import StubDetector

    from qualcode.cli import pseudo_cmds

    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({"Marieke": "person", "Overvecht": "place"}))
    cli_project(runner, root, CODEBOOK, {"a.txt": STALE_BEFORE})
    assert run(runner, root, "pseudonymise", "detect").exit_code == 0
    assert run(runner, root, "pseudonymise", "accept", "1", "2").exit_code == 0
    (root / "transcripts" / "a.txt").write_text(STALE_AFTER, encoding="utf-8")
    result = run(runner, root, "reimport", "a")
    assert result.exit_code == 0, result.output
    return root


def _text(root: Path) -> str:
    from qualcode.store import Store

    store = Store(root / "qualcode.db")
    try:
        return store.transcripts.text(next(iter(store.transcripts.names())))
    finally:
        store.close()


def test_apply_refuses_candidates_no_longer_where_they_were_found(runner, tmp_path, monkeypatch):
    root = _accepted_then_changed(runner, tmp_path / "p", monkeypatch)
    result = run(runner, root, "pseudonymise", "apply")
    # was: the pseudonyms went in at the old offsets, cutting words ('h[persoon 1]ima') and leaving the names
    assert result.exit_code == 1, result.output
    assert "2 candidate(s) of transcript 'a' no longer stand where they were found" in result.stderr
    assert "pseudonymise detect a" in result.stderr
    assert _text(root) == STALE_AFTER.rstrip("\n")
    out = tmp_path / "segments.csv"
    result = run(runner, root, "export", "segments", "--pseudonymise", "-o", str(out))
    assert result.exit_code == 1 and "no longer stand where they were found" in result.stderr
    assert not out.exists()


def test_detect_drops_candidates_no_longer_in_place_and_accepts_the_known_names_again(runner, tmp_path, monkeypatch):
    root = _accepted_then_changed(runner, tmp_path / "p", monkeypatch)
    result = run(runner, root, "pseudonymise", "detect", "a")
    assert result.exit_code == 0, result.output
    assert "a: 2 candidate(s) no longer where they were found" in result.stderr
    assert "2 name(s) the key already knew accepted; 0 to review" in result.stdout
    result = run(runner, root, "pseudonymise", "apply")
    assert result.exit_code == 0, result.output
    assert _text(root).endswith("Respondent: Ik woon bij [persoon 1] in [plaats 1].")


def test_a_key_of_another_project_changes_nothing(runner, tmp_path, monkeypatch):
    from pseudo_support import StubDetector

    from qualcode.cli import pseudo_cmds

    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({"Marieke": "person"}))
    theirs = cli_project(runner, tmp_path / "theirs", CODEBOOK, {"a.txt": STALE_BEFORE})
    assert run(runner, theirs, "pseudonymise", "detect").exit_code == 0
    assert run(runner, theirs, "pseudonymise", "accept", "1").exit_code == 0
    ours = cli_project(runner, tmp_path / "ours", CODEBOOK, {"b.txt": "I: Hoe gaat het?\nR: Goed hoor, prima met de kinderen.\n"})
    _copy_db(theirs / KEY_NAME, ours / KEY_NAME)
    before = _text(ours)
    result = run(runner, ours, "pseudonymise", "apply", "--ignore-pending")
    assert result.exit_code == 1 and "no longer stand where they were found" in result.stderr
    assert _text(ours) == before


@pytest.mark.parametrize("what", ["codings", "attributes"])
def test_a_quote_left_open_over_many_lines_is_pointed_out_where_it_opens(runner, small_project, tmp_path, what):
    transcript = next(iter(small_project.store.transcripts.names().values()))
    code = next(iter(small_project.codebook.walk())).id
    if what == "codings":
        lines = ["transcript,code,turn,memo", f'{transcript},{code},1,"een memo']
        lines += [f"{transcript},{code},{i},memo {i} " + "x" * 40 for i in range(4000)]
        path = tmp_path / "codings.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run(runner, small_project.root, "code", "--from", str(path))
    else:
        lines = ["file,stad", 'gesprek.txt,"Utrecht'] + [f"ander{i}.txt,stad {i} " + "x" * 40 for i in range(4000)]
        path = small_project.root / "transcripts" / "attributes.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run(runner, small_project.root, "import", str(small_project.root / "transcripts"))
    assert result.exit_code == 1, result.output
    # was: 'codings.csv:3392: cannot read the CSV: field larger than field limit (131072)', far past the quote
    assert f"{path.name}:2: a value starting on this line runs on past 131,072 characters" in result.stderr
    assert "never closed" in result.stderr
