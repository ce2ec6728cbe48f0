"""Shared fixtures: every test runs with its own user config and data folders."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from test_tui_support import SMALL_TRANSCRIPT, make_project

from qualcode.importing import auto_import
from qualcode.project import Project

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS_NL = SHARED / "corpus-nl"
REFI_QDA = SHARED / "refi-qda"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the real ~/.config/qualcode or ~/.local/share/qualcode."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)


@pytest.fixture(autouse=True)
def _notifications_kept(monkeypatch):
    """Tests read what the app notified (``app._notifications``); Textual forgets a
    notification once its few seconds are up, so on a loaded machine a test that took
    longer than that to reach its assertion saw none (a flaky failure). The toasts on
    screen still go away on their own timers."""
    from textual.notifications import Notifications

    monkeypatch.setattr(Notifications, "_reap", lambda self: self)


def database_before(path: Path, migration: str) -> sqlite3.Connection:
    """A database as qualcode wrote it before ``migration`` (every migration before it applied),
    left open so that the test can add rows of that time (commit and close it then)."""
    from qualcode.store import migrations

    names = [name for name, _ in migrations.MIGRATIONS]
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, sql in migrations.MIGRATIONS[: names.index(migration)]:
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 'then')", (name,))
    return conn


def needs_shared(path: Path) -> None:
    """Skip (with the reason) when the shared reference data is not next to the repo."""
    if not path.exists():
        pytest.skip(f"reference data not available: {path}")


# --- the TUI tests' fixtures (their helpers are in test_tui_support.py) -------------------------------


@pytest.fixture(autouse=True, scope="session")
def _quick_pilot():
    """Pilot waits for "idle" after every key by sleeping in 20 ms steps (about 90 ms a key);
    finer steps make a key ~15 ms. Textual's Pilot still waits for the screen after each key."""
    import textual._wait as wait

    saved = wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE
    wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = 0.004, 0.0002
    yield
    wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = saved


@pytest.fixture(autouse=True, scope="session")
def _steady_cursors():
    """Text fields' cursors never blink in tests: a picture taken in the blink's dark half lost its cursor.

    Switching the blink off after the field had focus was not enough: a TextArea keeps the line it
    drew in the dark half and shows it again once blinking is off (the cursor stayed away), so
    how long a test took decided whether a snapshot showed the memo's cursor."""
    from textual.widgets import Input, TextArea

    saved = {cls: cls.__init__ for cls in (Input, TextArea)}
    for cls, init in saved.items():

        def steady_init(self, *args, _init=init, **kwargs):
            _init(self, *args, **kwargs)
            self.cursor_blink = False

        cls.__init__ = steady_init
    yield
    for cls, init in saved.items():
        cls.__init__ = init


@pytest.fixture(autouse=True)
def _messages_held_for_snapshots(request, monkeypatch):
    """A snapshot's status message ('Accepted: …', 'Rejected: …') stays until the picture is taken.

    Messages fade after ``MESSAGE_SECONDS`` (8 s) on a real timer: a snapshot test slower than
    that from its message to its picture (a loaded machine) showed the line without it."""
    if "snap_compare" in request.fixturenames:
        from qualcode.tui import strings

        monkeypatch.setattr(strings, "MESSAGE_SECONDS", 24 * 3600)


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    for sub in ("codebooks", "transcripts"):
        shutil.copytree(REPO / sub, folder / sub)
    project = Project.open(folder)
    auto_import(project)
    codebook = project.codebook
    project.close()
    return folder, codebook


@pytest.fixture
def sample_project(_sample_template, tmp_path) -> Project:
    """A fresh copy of the bundled sample project, already imported."""
    template, codebook = _sample_template
    folder = tmp_path / "sample"
    shutil.copytree(template, folder)
    project = Project.open(folder)
    # The copied store is synced already; parsing the 20-code YAML again costs ~0.2 s a test.
    project.__dict__["codebook"] = codebook
    yield project
    project.close()


@pytest.fixture
def small_project(tmp_path) -> Project:
    project = make_project(tmp_path / "small", {"gesprek.txt": SMALL_TRANSCRIPT})
    yield project
    project.close()


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()  # click >= 8.2 keeps stderr apart from stdout


def cli_project(runner: CliRunner, root: Path, codebook: str, files: dict[str, str]) -> Path:
    """A project made as a user makes one: ``init``, a codebook, files in transcripts/, ``import``."""
    from qualcode.cli import main

    result = runner.invoke(main, ["init", str(root)])
    assert result.exit_code == 0, result.output
    (root / "codebooks" / "codebook.yaml").write_text(codebook, encoding="utf-8")
    for name, text in files.items():
        (root / "transcripts" / name).write_text(text, encoding="utf-8")
    result = runner.invoke(main, ["--project", str(root), "import", str(root / "transcripts")])
    assert result.exit_code == 0, result.output
    return root


@pytest.fixture
def often(monkeypatch):
    """Memo drafts kept 0.05 s after typing instead of 1 s (qualcode.tui.widgets.memo.DRAFT_EVERY)."""
    from qualcode.tui.widgets import memo

    monkeypatch.setattr(memo, "DRAFT_EVERY", 0.05)
