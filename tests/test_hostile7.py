"""Hostile outputs, damaged projects, killed commands, hostile environments (round 7).

Each test does what a user would through the CLI (or the core, where the job is the
core's) and checks the exit code, a message naming the file and what to do, no
traceback, and that no project file was replaced or half-written. The sweep these
came from (every command that writes, run as an unprivileged user against every
kind of target and damage) is described in the round's report.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_hostile6 import fails, run, small_project
from test_hostile_inputs import CODEBOOK, assert_clean

from qualcode import atomic
from qualcode.cli import main
from qualcode.errors import QualcodeError
from qualcode.project import Project, creating_project
from qualcode.store.key import KeyStore


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = small_project(tmp_path)
    assert run(root, "code", "gewoon", "vertrouwen", "--turn", "2").exit_code == 0
    return root


def digest(path: Path) -> str:
    """The file's bytes; for the project database what it holds (SQLite checkpoints change its bytes)."""
    if path.name == "qualcode.db":
        conn = sqlite3.connect(path)
        try:
            return "\n".join(conn.iterdump())
        finally:
            conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- family 1: where an export may go ------------------------------------------------------

WRITERS = {
    "segments": ["export", "segments"],
    "qdpx": ["export", "qdpx"],
    "qdc": ["codebook", "export"],
    "frequencies": ["stats", "frequencies", "--format", "csv"],
}
PROJECT_FILES = [
    "qualcode.db",
    "qualcode.db-wal",
    "pseudonymisation-key.db",
    "qualcode.yaml",
    "codebooks/codebook.yaml",
    "transcripts/gewoon.txt",
]


@pytest.mark.parametrize("writer", sorted(WRITERS))
@pytest.mark.parametrize("target", PROJECT_FILES)
def test_hostile7_an_export_never_replaces_a_project_file_even_with_force(project: Path, writer: str, target: str) -> None:
    path = project / target
    if target == "pseudonymisation-key.db":
        KeyStore(path).close()
    before = digest(path) if path.exists() else None
    fails(run(project, *WRITERS[writer], "-o", str(path), "--force"), "of the project in", "never replaces it", "exports/")
    if not target.endswith("-wal"):  # SQLite itself empties its WAL at a checkpoint
        assert (digest(path) if path.exists() else None) == before
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize("args", [["-o", "-"], ["-"]])
def test_hostile7_a_qdpx_asked_for_on_stdout_is_refused_by_name_and_nothing_is_written(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]
) -> None:
    here = tmp_path / "here"
    here.mkdir()
    monkeypatch.chdir(here)
    result = run(project, "export", "qdpx", *args)
    assert_clean(result)
    assert result.exit_code == 2, result.output
    assert "cannot go to standard output" in result.output and "-o project.qdpx" in result.output
    assert "name the file to write" not in result.output  # the old, misleading message
    assert not list(here.iterdir()) and not (project / "-").exists()  # no file named "-"


def test_hostile7_a_link_or_a_relative_name_to_a_project_file_is_refused_too(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = tmp_path / "uitvoer.csv"
    link.symlink_to(project / "qualcode.db")
    before = digest(project / "qualcode.db")
    fails(run(project, "export", "segments", "-o", str(link), "--force"), "is the database of the project")
    monkeypatch.chdir(project / "codebooks")
    fails(run(project, "codebook", "export", "-o", "codebook.yaml", "--force"), "is a codebook of the project")
    assert digest(project / "qualcode.db") == before and link.is_symlink()


def test_hostile7_new_files_inside_the_project_are_fine(project: Path) -> None:
    # codebook import -o codebooks/NEW.yaml is the documented way to add a codebook
    (project / "exports").mkdir()
    assert run(project, "export", "segments", "-o", str(project / "exports" / "s.csv")).exit_code == 0
    qdc = project / "exports" / "c.qdc"
    assert run(project, "codebook", "export", "-o", str(qdc)).exit_code == 0
    result = run(project, "codebook", "import", str(qdc), "-o", str(project / "codebooks" / "nieuw.yaml"))
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("name", ["a\nb.csv", "a\x1b[2Jb.csv", "a\u202eb.csv", "a\tb.csv"])
def test_hostile7_an_output_name_with_a_control_character_is_refused(project: Path, tmp_path: Path, name: str) -> None:
    fails(run(project, "export", "segments", "-o", str(tmp_path / name)), "the name holds the control character", "\\")
    assert not (tmp_path / name).exists()


def test_hostile7_missing_folder_and_dangling_link_name_the_folder(project: Path, tmp_path: Path) -> None:
    fails(run(project, "export", "segments", "-o", str(tmp_path / "nergens" / "s.csv")), "nergens does not exist")
    (tmp_path / "los.csv").symlink_to(tmp_path / "weg" / "s.csv")
    fails(run(project, "export", "segments", "-o", str(tmp_path / "los.csv")), "weg does not exist")


def test_hostile7_an_export_through_a_link_replaces_the_link_target(project: Path, tmp_path: Path) -> None:
    shared = tmp_path / "gedeeld"
    shared.mkdir()
    (shared / "s.csv").write_text("oud\n")
    link = tmp_path / "s.csv"
    link.symlink_to(shared / "s.csv")
    assert run(project, "export", "segments", "-o", str(link), "--force").exit_code == 0
    assert link.is_symlink() and "vertrouwen" in (shared / "s.csv").read_text()


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="needs /dev/null")
def test_hostile7_a_device_is_written_in_place_without_force(project: Path) -> None:
    result = run(project, "export", "segments", "-o", "/dev/null")
    assert result.exit_code == 0, result.output
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_hostile7_atomic_write_follows_a_link_and_writes_a_fifo_in_place(tmp_path: Path) -> None:
    target = tmp_path / "echt.txt"
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    atomic.write_text(link, "nieuw")
    assert link.is_symlink() and target.read_text() == "nieuw"
    fifo = tmp_path / "pijp"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        atomic.write_bytes(fifo, b"door de pijp")
        assert os.read(reader, 100) == b"door de pijp"
    finally:
        os.close(reader)
    assert not list(tmp_path.glob(".*.tmp"))


# --- init: all or nothing -----------------------------------------------------------------


def test_hostile7_init_that_fails_half_way_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "nieuw"
    folder.mkdir()
    (folder / "notities.txt").write_text("van mij")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("qualcode.project.Store", full_disk)  # after the folders and files are made
    result = CliRunner().invoke(main, ["init", str(folder)])
    fails(result, "cannot create the project in", "No space left on device", "nothing was left behind")
    assert sorted(p.name for p in folder.iterdir()) == ["notities.txt"]
    result = CliRunner().invoke(main, ["init", str(tmp_path / "vers")])
    fails(result, "No space left on device")
    assert not (tmp_path / "vers").exists()


def test_hostile7_init_on_a_dangling_link_or_a_name_with_a_newline(tmp_path: Path) -> None:
    (tmp_path / "los").symlink_to(tmp_path / "weg")
    fails(CliRunner().invoke(main, ["init", str(tmp_path / "los")]), "is a link to", "which does not exist")
    fails(CliRunner().invoke(main, ["init", str(tmp_path / "a\nb")]), "the control character \\n")
    assert not (tmp_path / "a\nb").exists()


def test_hostile7_init_sample_on_an_existing_project_copies_nothing_into_it(project: Path) -> None:
    before = sorted(p.name for p in (project / "transcripts").iterdir())
    fails(CliRunner().invoke(main, ["init", str(project), "--sample"]), "is already a qualcode project")
    assert sorted(p.name for p in (project / "transcripts").iterdir()) == before


def test_hostile7_creating_project_keeps_what_was_there(tmp_path: Path) -> None:
    (tmp_path / "oud.txt").write_text("x")
    with pytest.raises(QualcodeError, match="Permission denied"), creating_project(tmp_path):
        (tmp_path / "codebooks").mkdir()
        (tmp_path / "qualcode.yaml").write_text("")
        raise PermissionError(13, "Permission denied")
    assert [p.name for p in tmp_path.iterdir()] == ["oud.txt"]


# --- family 2: the project's database damaged ----------------------------------------------


def test_hostile7_an_empty_database_file_is_refused_not_taken_for_a_new_project(project: Path) -> None:
    (project / "qualcode.db").write_bytes(b"")
    for command in (["transcripts"], ["codings"], ["code", "gewoon", "vertrouwen", "--turn", "1"]):
        fails(run(project, *command), "qualcode.db", "is empty (0 bytes)")
    assert (project / "qualcode.db").stat().st_size == 0


def test_hostile7_an_empty_key_file_is_refused(project: Path) -> None:
    (project / "pseudonymisation-key.db").write_bytes(b"")
    fails(run(project, "pseudonymise", "list"), "pseudonymisation-key.db", "is empty (0 bytes)")
    assert (project / "pseudonymisation-key.db").stat().st_size == 0


def _damage_a_page(db: Path) -> None:
    """Overwrite the pages after the first few: the header opens, a query meets the damage."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    page = 4096
    assert len(data) > 6 * page
    for start in range(2 * page, len(data), page):
        data[start : start + 64] = b"\xff" * 64
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["transcripts"], ["codings"], ["check"], ["export", "segments"]])
def test_hostile7_a_damaged_database_is_named_with_what_to_do(project: Path, command: list[str]) -> None:
    _damage_a_page(project / "qualcode.db")
    fails(run(project, *command), "qualcode.db is damaged", "malformed", ".recover")


def test_hostile7_a_truncated_database_is_damaged_not_foreign(project: Path) -> None:
    db = project / "qualcode.db"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])
    fails(run(project, "transcripts"), "qualcode.db is damaged", "backup")


def test_hostile7_a_missing_database_of_an_initialised_project_is_said_once(project: Path) -> None:
    """qualcode.yaml is there (made by `qualcode init`, which made the store too), qualcode.db is
    not: the new, empty store is said, so a moved or lost database is noticed before coding."""
    for name in ("qualcode.db", "qualcode.db-wal", "qualcode.db-shm"):
        (project / name).unlink(missing_ok=True)
    first = run(project, "transcripts")
    assert first.exit_code == 0, first.output
    assert "qualcode.db was not there, so a new, empty store was started" in first.stderr
    assert "put it back in place of the new one" in first.stderr
    again = run(project, "transcripts")
    assert "was not there" not in again.stderr  # said once: the store exists from here on


def test_hostile7_a_bare_folder_gets_its_first_store_without_a_warning(tmp_path: Path) -> None:
    root = tmp_path / "kaal"
    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK)
    result = run(root, "transcripts")
    assert result.exit_code == 0, result.output
    assert "was not there" not in result.stderr and (root / "qualcode.db").exists()


# --- family 4: the environment ---------------------------------------------------------------


@pytest.fixture
def dutch(project: Path) -> Path:
    """The project with a code named in Dutch with letters outside ASCII and Latin-1."""
    book = project / "codebooks" / "codebook.yaml"
    book.write_text(book.read_text().replace("name: Vertrouwen", "name: Vertrouwen – ‘échte’ relatie…"))
    return project


@pytest.mark.parametrize("charset", ["ascii", "latin-1"])
@pytest.mark.parametrize("command", [["stats", "frequencies"], ["stats", "cooccurrence"], ["stats", "matrix"]])
def test_hostile7_tables_on_a_stdout_that_cannot_encode_dutch(dutch: Path, charset: str, command: list[str]) -> None:
    result = CliRunner(charset=charset).invoke(main, ["--project", str(dutch), *command])
    assert_clean(result)
    assert result.exit_code == 0, result.output
    assert "‘échte’" in result.stdout_bytes.decode("utf-8")  # listings are UTF-8, whatever the locale


def test_hostile7_no_color_and_dumb_terminals_get_no_colours(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def error_output() -> str:
        result = CliRunner().invoke(main, ["--project", str(project), "code", "nergens", "x", "--turn", "1"], color=True)
        assert result.exit_code == 1
        return result.stderr

    assert "\x1b[" in error_output()  # colours where the terminal has them
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in error_output() and "error: no transcript named 'nergens'" in error_output()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert "\x1b[" not in error_output()


def test_hostile7_the_app_without_a_terminal_says_so_instead_of_waiting(project: Path) -> None:
    # CliRunner's stdin and stdout are no terminal, as in a pipe or a cron job
    for args in (["open"], []):
        result = CliRunner().invoke(main, ["--project", str(project), *args])
        fails(result, "the coding screen needs a terminal", "stdin is not one", "qualcode --help")
        assert "1 transcript(s)" in result.stdout  # the summary is still shown


@pytest.mark.parametrize("columns", ["20", "40"])
def test_hostile7_a_narrow_terminal_never_cuts_the_counts(project: Path, columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.cli import render

    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("PAGER", "cat")
    monkeypatch.setenv("COLUMNS", columns)
    monkeypatch.setenv("LINES", "200")
    result = CliRunner().invoke(main, ["--project", str(project), "stats", "frequencies"])
    assert result.exit_code == 0, result.output
    # rich cut the numbers to "10…" when the columns did not fit: no cell is cut now
    assert "…" not in result.stdout, result.stdout


# --- family 5: what transcripts hold -----------------------------------------------------------


@pytest.mark.parametrize(("stored", "typed"), [("NFC", "NFD"), ("NFD", "NFC"), ("NFD", "NFD")])
def test_hostile7_a_quote_finds_its_text_whatever_the_unicode_normal_form(tmp_path: Path, stored: str, typed: str) -> None:
    import unicodedata

    root = tmp_path / "studie"
    Project.init(root).close()
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK)
    text = "I: Waar ging het over?\nR: Over het café en de crèche, naïef misschien.\n"
    (root / "transcripts" / "norm.txt").write_bytes(unicodedata.normalize(stored, text).encode())
    assert run(root, "import", str(root / "transcripts")).exit_code == 0
    quote = unicodedata.normalize(typed, "het café en de crèche")
    result = run(root, "code", "norm", "vertrouwen", "--text", quote)
    assert result.exit_code == 0, result.output
    project = Project.open(root)
    try:
        [coding] = project.store.codings.find()
        stored_text = project.store.transcripts.text(coding.transcript_id)
    finally:
        project.close()
    assert stored_text[coding.start : coding.end] == unicodedata.normalize("NFC", "het café en de crèche")


@pytest.mark.parametrize("mark", ["\u200b", "\u202e", "\ufeff", "\u200e", "\u2066"])
def test_hostile7_invisible_characters_around_a_speaker_label(tmp_path: Path, mark: str) -> None:
    from qualcode.ingest.labels import classify_line

    line = f"{mark}Interviewer{mark}: Hoe gaat het?"
    found = classify_line(line)
    assert found is not None and found.speaker == "Interviewer"
    assert line[found.content_col :] == "Hoe gaat het?"  # offsets into the text as it is
    root = tmp_path / "studie"
    Project.init(root).close()
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK)
    (root / "transcripts" / "zw.txt").write_text(f"I{mark}: Hoe gaat het?\nR{mark}: Goed, we vertrouwen elkaar.\n")
    result = run(root, "import", str(root / "transcripts"))
    assert result.exit_code == 0 and "not part of any speaker turn" not in result.output, result.output
    result = run(root, "code", "zw", "vertrouwen", "--turn", "2")
    assert result.exit_code == 0 and "we vertrouwen elkaar" in result.output, result.output
    shown = run(root, "show", "zw").stdout
    assert "\u202e" not in shown and "\u2066" not in shown  # the overrides are shown escaped


def _docx_with(body_xml_edit) -> bytes:
    """A .docx made by python-docx, its document.xml edited as Word would have written it."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph("I: Hoe gaat het?")
    document.add_paragraph("R: PLACEHOLDER")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/document.xml":
                data = body_xml_edit(data.decode()).encode()
            target.writestr(name, data)
    return out.getvalue()


def test_hostile7_docx_tracked_insertions_are_kept_and_deletions_left_out(tmp_path: Path) -> None:
    from qualcode.ingest.word import read_docx

    tracked = (
        '<w:t xml:space="preserve">R: we </w:t></w:r>'
        '<w:del w:id="1" w:author="A"><w:r><w:delText>wantrouwen</w:delText></w:r></w:del>'
        '<w:ins w:id="2" w:author="A"><w:r><w:t>vertrouwen</w:t></w:r></w:ins>'
        '<w:r><w:t xml:space="preserve"> elkaar</w:t></w:r>'
    )
    data = _docx_with(lambda xml: xml.replace("<w:t>R: PLACEHOLDER</w:t></w:r>", tracked))
    transcript = read_docx(data, tmp_path / "bijgehouden.docx", None)
    assert "R: we vertrouwen elkaar" in transcript.text and "wantrouwen" not in transcript.text
    assert any("tracked changes" in w for w in transcript.warnings)


def test_hostile7_docx_text_boxes_and_footnotes_are_reported_not_dropped_silently(tmp_path: Path) -> None:
    from qualcode.ingest.word import read_docx

    box = (
        '<w:t>R: PLACEHOLDER</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>R: tekst in een kader</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    data = _docx_with(lambda xml: xml.replace("<w:t>R: PLACEHOLDER</w:t></w:r>", box))
    transcript = read_docx(data, tmp_path / "kader.docx", None)
    assert any("1 text box(es)" in w for w in transcript.warnings), transcript.warnings
    assert any("1 footnote(s)" in w for w in transcript.warnings), transcript.warnings


def test_hostile7_csv_on_a_terminal_has_no_visible_carriage_returns(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qualcode.cli import render

    monkeypatch.setattr(render, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("PAGER", "cat")
    out = run(project, "codings", "--format", "csv").stdout
    assert out.startswith("id,transcript,") and "\\x0d" not in out and "\r" not in out


# --- family 3: a command killed half-way --------------------------------------------------------


def test_hostile7_code_from_killed_half_way_is_all_or_nothing(project: Path, tmp_path: Path) -> None:
    """SIGKILL during `code --from` of a few thousand rows: then none or all of them are
    stored, `check` is clean and the same command run again completes. (The sweep killed
    import, code --from, pseudonymise apply, suggest and merge 20 times each at random
    moments; this is its cheap sample: two kills, a few seconds.)"""
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "lang.txt").write_text("R: " + "we vertrouwen elkaar " * 130 + "\n")
    assert run(project, "import", str(tmp_path / "lang.txt")).exit_code == 0
    rows = ["transcript,code,span"] + [f"lang,vertrouwen,{s}:{s + 5}" for s in range(3, 2403)]
    source = tmp_path / "veel.csv"
    source.write_text("\n".join(rows) + "\n")

    def count() -> int:
        conn = sqlite3.connect(project / "qualcode.db")
        try:
            return conn.execute("SELECT count(*) FROM codings").fetchone()[0]
        finally:
            conn.close()

    before = count()
    command = [sys.executable, "-m", "qualcode", "--project", str(project), "code", "--from", str(source)]
    for delay in (0.6, 1.0):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert count() in (before, before + 2400)
        assert run(project, "check").exit_code == 0
    finished = subprocess.run(command, capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert count() == before + 2400


def test_hostile7_a_typed_quote_finds_text_with_invisible_characters() -> None:
    from qualcode.coding import find_quote

    full = "R: Goed, we vertr\u200bouwen\u200b elkaar \u202eecht."
    start, end = find_quote(full, "we vertrouwen elkaar", 0, len(full), "zw")
    assert full[start:end] == "we vertr\u200bouwen\u200b elkaar"
    start, end = find_quote(full, "elkaar echt", 0, len(full), "zw")
    assert full[start:end] == "elkaar \u202eecht"
    with pytest.raises(QualcodeError, match="is not in"):
        find_quote(full, "\u200e", 0, len(full), "zw")  # nothing visible: no match everywhere
