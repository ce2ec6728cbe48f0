"""Hostile inputs, round 11: what a sweep of every command with bad input still found.

Each test runs what a user would and checks the exit code, a clear message that
names the file, no traceback, and nothing written (see tests/test_hostile6.py).
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_hostile6 import TEXT, fails, run, small_project
from test_hostile_inputs import snapshot


class Stuck(Exception):
    """The command did not come back: it was reading something that never ends."""


@contextmanager
def bounded(seconds: int = 60) -> Iterator[None]:
    """Turn a command that blocks for ever into a failure instead of a hung test run (this
    bounds a hang; it asserts nothing about speed)."""

    def stuck(signum, frame):  # noqa: ANN001 - a signal handler
        raise Stuck

    previous = signal.signal(signal.SIGALRM, stuck)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def kept(root: Path) -> dict[str, str]:
    """:func:`snapshot` without the codebook lock's files (taken before the file is opened)."""
    return {name: value for name, value in snapshot(root).items() if not name.startswith(".qualcode")}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return small_project(tmp_path)


@pytest.mark.parametrize("kind", ["pipe", "device"])
@pytest.mark.parametrize("suffix", [".qdpx", ".qde"])
def test_hostile11_a_project_file_that_is_a_pipe_or_device_is_named_not_read(project, tmp_path, kind, suffix):
    """A .qdpx that is a pipe or /dev/zero blocked the zip reader for ever (import, codebook
    import, init --codebook); now it is refused as every other reader refuses one."""
    path = tmp_path / f"project{suffix}"
    if kind == "pipe":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    before = kept(project)
    with bounded():
        fails(run(project, "import", str(path)), f"{path}: not a .qdpx archive", "not a file")
        fails(run(project, "codebook", "import", str(path), "-o", str(tmp_path / "cb.yaml")), str(path), "not a file")
        fails(run(project, "init", str(tmp_path / "nieuw"), "--codebook", str(path)), str(path), "not a file")
    assert kept(project) == before
    assert not (tmp_path / "cb.yaml").exists() and not (tmp_path / "nieuw").exists()


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("add", "gewoon", "samenwerking", "--category", "organisation", "--as", "X\nI: nep"), "the pseudonym 'X\\nI: nep'"),
        (("add", "gewoon", "samenwerking", "--category", "organisation", "--as", " "), "the pseudonym ' '"),
        (("always", "  "), "the word '  '"),
        (("always", "a\tb"), "the word 'a\\tb'"),
        (("never", ""), "the word ''"),
        (("never", "Mooi\x1b[31m"), "the word 'Mooi\\x1b[31m'"),
    ],
)
def test_hostile11_a_pseudonym_or_word_that_is_not_one_line_of_text_is_refused(project, args, shown):
    """A pseudonym goes into the transcripts: a line break in it made a line that reads as a
    turn of its own ("X" then "I: nep") in a respondent's answer; a blank word was kept as a
    rule that matches nothing. Refused, saying why, and the key is left as it was."""
    before = run(project, "pseudonymise", "key", "--format", "csv").output
    fails(run(project, "pseudonymise", *args), f"cannot use {shown}")
    assert run(project, "pseudonymise", "key", "--format", "csv").output == before
    assert "I: nep" not in run(project, "show", "gewoon").output


def test_hostile11_a_pseudonym_renamed_to_a_control_sequence_is_refused(project):
    assert (
        run(project, "pseudonymise", "add", "gewoon", "samenwerking", "--category", "organisation", "--as", "Zon").exit_code == 0
    )
    fails(run(project, "pseudonymise", "rename", "Zon", "\x1b[31mRood"), "cannot use the pseudonym '\\x1b[31mRood'")
    assert "Zon" in run(project, "pseudonymise", "key").output


def test_hostile11_a_file_name_with_a_line_break_stays_on_one_line_in_the_warning(project, tmp_path):
    """The warning about a file outside the project printed its path raw: a line break in the
    file name split it over two lines (and one line looked like a message of its own)."""
    path = tmp_path / "nieuw\nregel.txt"
    path.write_text(TEXT.replace("Goed", "Prima"), encoding="utf-8")
    result = run(project, "import", str(path))
    assert result.exit_code == 0, result.output
    warning = next(line for line in result.output.splitlines() if "outside the project folder" in line)
    assert "nieuw\\nregel.txt is outside the project folder" in warning
    assert "imported nieuw regel" in result.output


def test_hostile11_an_error_about_a_file_name_with_a_line_break_is_one_line(project, tmp_path):
    """Every error is printed as `error: ...` and `hint: ...`, a line each: a line break in a
    value (here a file name) is shown as \\n instead of starting a line of its own."""
    path = tmp_path / "bin\nair.txt"
    path.write_bytes(b"\x00\x01\x02" * 50)
    result = run(project, "import", str(path))
    fails(result, "bin\\nair.txt: looks like a binary file")
    assert [line.split(":")[0] for line in result.output.splitlines()] == ["error", "hint"]


SHARED_NAMES = """\
title: T
codes:
  - id: thema_a
    name: Thema A
    children:
      - id: a_overig
        name: Overig
  - id: thema_b
    name: Thema B
    children:
      - id: b_overig
        name: Overig
"""


def test_hostile11_codes_that_share_a_name_are_named_on_export(project, tmp_path):
    """QualCoder's REFI-QDA import keys codes by name: of two codes called 'Overig' it kept one
    and the other's codings came in without a code. Both exports say which codes share a name."""
    (project / "codebooks" / "codebook.yaml").write_text(SHARED_NAMES, encoding="utf-8")
    assert run(project, "code", "gewoon", "b_overig", "--turn", "2").exit_code == 0
    for args in (("export", "qdpx", "-o", str(tmp_path / "p.qdpx")), ("codebook", "export", "-o", str(tmp_path / "c.qdc"))):
        result = run(project, *args)
        assert result.exit_code == 0, result.output
        assert "1 name(s) are shared by several codes: 'Overig' (a_overig, b_overig)" in result.output
    plain = SHARED_NAMES.replace("        name: Overig\n  - id: thema_b", "        name: Overig A\n  - id: thema_b")
    (tmp_path / "own.yaml").write_text(plain, encoding="utf-8")
    result = run(project, "codebook", "export", str(tmp_path / "own.yaml"), "-o", str(tmp_path / "own.qdc"))
    assert result.exit_code == 0 and "shared by several codes" not in result.output


def attributes_of(root: Path) -> dict[str, str]:
    with sqlite3.connect(root / "qualcode.db") as conn:
        return dict(conn.execute("SELECT name, value FROM attributes"))


def test_hostile11_attribute_names_and_values_are_one_line_of_text(project, tmp_path):
    """A spreadsheet cell or front matter that held a control character or a line break made an
    attribute nobody could name in --by or --where ('st\\x01ad'), or a value split over two lines
    in every listing. Both are kept as names are: one line, no control characters."""
    folder = tmp_path / "map"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT.replace("Goed", "Prima"), encoding="utf-8")
    (folder / "attributes.csv").write_text('file,st\x01ad,"re\ngio"\na.txt,"Den\x02 Haag","Rand\nstad"\n', encoding="utf-8")
    result = run(project, "import", str(folder))
    assert result.exit_code == 0, result.output
    assert attributes_of(project) == {"st ad": "Den Haag", "re gio": "Rand stad"}
    assert run(project, "stats", "frequencies", "--by", "st ad").exit_code == 0
    (tmp_path / "b.md").write_text('---\n"na\\tme": "Zo\\x01e"\nstad: "Den\\nHaag"\n---\nI: Hallo.\nR: Dag.\n', encoding="utf-8")
    result = run(project, "import", str(tmp_path / "b.md"))
    assert result.exit_code == 0, result.output
    assert {"na me": "Zo e", "stad": "Den Haag"}.items() <= attributes_of(project).items()
