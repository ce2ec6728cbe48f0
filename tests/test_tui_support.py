"""Helpers for the TUI tests (no tests here): projects, the app, waiting for workers."""

from __future__ import annotations

import asyncio
import functools
import inspect
import shutil
from pathlib import Path

import pytest

from qualcode.importing import auto_import
from qualcode.project import Project

ROOT = Path(__file__).resolve().parents[1]

SMALL_CODEBOOK = """\
title: Klein codeboek
codes:
  - id: vertrouwen
    name: Vertrouwen
    description: Uitspraken over vertrouwen tussen mensen en instanties.
    include: [Vertrouwen winnen of verliezen]
    exclude: [Vertrouwen in jezelf]
    examples: ["Ze kennen mij al jaren."]
    color: "#c77dff"
    key: v
  - id: drempels
    name: Drempels voor gezinnen
    description: Wat gezinnen tegenhoudt om hulp te zoeken, zoals schaamte of angst.
    color: "#ff6b6b"
    key: h
  - id: kracht
    name: Eigen kracht
    description: Wat ouders zelf al kunnen.
    color: "#5fd068"
    key: "2"
    children:
      - id: kracht_gezin
        name: Kracht van het gezin
        description: Ouders lossen het zelf op.
        color: "#b5e655"
        key: o
"""

SMALL_TRANSCRIPT = """\
I: Hoe begon het? Vertel eens.
R: Eerst was ik bang. Ik kende niemand bij het wijkteam. Toen kwam Marieke langs en ze bleef komen.

Nu vertrouw ik haar. Ze kennen mij al jaren.
I: En de andere moeders?
R: Die schamen zich. Ze willen niet dat het in de computer komt.
"""


def make_project(folder: Path, transcripts: dict[str, str], codebook: str = SMALL_CODEBOOK) -> Project:
    """A project folder with these transcripts imported."""
    (folder / "codebooks").mkdir(parents=True)
    (folder / "codebooks" / "codebook.yaml").write_text(codebook, encoding="utf-8")
    (folder / "transcripts").mkdir()
    for name, text in transcripts.items():
        (folder / "transcripts" / name).write_text(text, encoding="utf-8")
    project = Project.open(folder)
    auto_import(project)
    return project


@pytest.fixture(autouse=True, scope="session")
def _quick_pilot():
    """Pilot waits for "idle" after every key by sleeping in 20 ms steps (about 90 ms a key);
    finer steps make a key ~15 ms. Textual's Pilot still waits for the screen after each key."""
    import textual._wait as wait

    saved = wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE
    wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = 0.004, 0.0002
    yield
    wait.SLEEP_GRANULARITY, wait.SLEEP_IDLE = saved


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    for sub in ("codebooks", "transcripts"):
        shutil.copytree(ROOT / sub, folder / sub)
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


def make_app(project: Project, coder: str = "tester", **options):
    """The app as the CLI builds it, without the store polling timer."""
    from qualcode.tui import build_app

    return build_app(project, coder, watch_store=False, **options)


async def settle(pilot) -> None:
    """Wait for workers (transcript loading) and the messages they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_transcript(pilot, name: str | None = None):
    """Open a transcript (the first by default) in the coding screen; returns the screen."""
    app = pilot.app
    names = app.project.store.transcripts.names()
    tid = next(t for t, n in names.items() if name is None or n == name)
    app.open_transcript(tid)
    await pilot.pause()
    await settle(pilot)
    return app.screen


def run_async_tests(namespace: dict) -> None:
    """Make the module's ``async def test_*`` runnable without an async pytest plugin.

    Each coroutine test becomes a plain function running it with ``asyncio.run``
    (``functools.wraps`` keeps the signature, so fixtures still arrive).
    """
    for name, fn in list(namespace.items()):
        if name.startswith("test_") and inspect.iscoroutinefunction(fn):

            def make(fn):
                @functools.wraps(fn)
                def test(*args, **kwargs):
                    asyncio.run(fn(*args, **kwargs))

                return test

            namespace[name] = make(fn)
