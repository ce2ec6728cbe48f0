"""Helpers for the TUI tests (no tests here): projects, the app, waiting for workers.

The fixtures built on them (``sample_project``, ``small_project``) are in conftest.py."""

from __future__ import annotations

from pathlib import Path

from qualcode.importing import auto_import
from qualcode.project import Project

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


def make_project(folder: Path, transcripts: dict[str, str], codebook: str = SMALL_CODEBOOK, config: str = "") -> Project:
    """A project folder with these transcripts imported (``config``: its qualcode.yaml)."""
    (folder / "codebooks").mkdir(parents=True)
    if config:
        (folder / "qualcode.yaml").write_text(config, encoding="utf-8")
    (folder / "codebooks" / "codebook.yaml").write_text(codebook, encoding="utf-8")
    (folder / "transcripts").mkdir()
    for name, text in transcripts.items():
        (folder / "transcripts" / name).write_text(text, encoding="utf-8")
    project = Project.open(folder)
    auto_import(project)
    return project


def make_app(project: Project, coder: str = "tester", **options):
    """The app as the CLI builds it, without the store polling timer."""
    from qualcode.tui import build_app

    return build_app(project, coder, watch_store=False, **options)


async def settle(pilot) -> None:
    """Wait for workers (transcript loading) and the messages they post."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(pilot, check) -> None:
    """Pause until ``check()`` is true (a timer, a worker or another process's write), at most
    10 s on a loaded machine; fails the test when it never is."""
    for _ in range(500):
        await pilot.pause(0.02)
        if check():
            return
    raise AssertionError("never happened")


async def open_transcript(pilot, name: str | None = None):
    """Open a transcript (the first by default) in the coding screen; returns the screen."""
    app = pilot.app
    names = app.project.store.transcripts.names()
    tid = next(t for t, n in names.items() if name is None or n == name)
    app.open_transcript(tid)
    await pilot.pause()
    await settle(pilot)
    return app.screen
