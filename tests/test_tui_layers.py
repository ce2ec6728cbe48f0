"""Layers: the new core modules stay pure; the app starts and codes without spaCy."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(code: str, cwd: Path) -> str:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=True, cwd=cwd
    ).stdout


def _run_app(tmp_path: Path, transcript: str, steps: str, after: str = "") -> str:
    """Run the app in a fresh process on a folder of a one-code codebook and one transcript
    (imported on first use): ``steps`` inside ``run_test()`` (``app``, ``pilot``), ``after``
    once it has stopped; returns what they printed."""
    folder = tmp_path / "p"
    (folder / "codebooks").mkdir(parents=True)
    (folder / "transcripts").mkdir()
    (folder / "codebooks" / "c.yaml").write_text("title: t\ncodes:\n  - id: a\n    name: A\n    key: a\n", encoding="utf-8")
    (folder / "transcripts" / "t.txt").write_text(transcript, encoding="utf-8")
    script = f"""
import asyncio, sys
from qualcode.project import Project
from qualcode.importing import auto_import
from qualcode.tui import build_app

project = Project.open({str(folder)!r})
auto_import(project)

async def main():
    app = build_app(project, "tester", watch_store=False)
    async with app.run_test() as pilot:
{textwrap.indent(textwrap.dedent(steps), " " * 8)}
{textwrap.indent(textwrap.dedent(after), " " * 4)}

asyncio.run(main())
"""
    return run(script, tmp_path)


def test_tui_layers_history_and_text_are_pure_core(tmp_path):
    out = run(
        """
        import sys
        import qualcode.history, qualcode.text
        print(sorted(m for m in ("textual", "rich", "click", "spacy") if m in sys.modules))
        """,
        ROOT,
    )
    assert out.strip() == "[]"


def test_tui_layers_app_starts_and_opens_a_transcript_without_spacy(tmp_path):
    out = _run_app(
        tmp_path,
        "I: Vraag?\nR: Antwoord. Nog een zin.\n",
        """
        app.open_transcript(1)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("right_curly_bracket", "space", "a")
        """,
        """print(len(project.store.codings.find()), "spacy" in sys.modules, "thinc" in sys.modules)""",
    )
    assert out.split() == ["1", "False", "False"]


def test_tui_layers_the_first_screen_loads_no_text_area(tmp_path):
    """The text area (Textual's document model, ~5 ms) comes with the first dialog that has one
    (a memo), not with the transcripts list: the first screen at 1,000 interviews is 1.45x a
    bare Textual app, and this was a tenth of the margin left."""
    out = _run_app(
        tmp_path,
        "I: Vraag?\nR: Antwoord.\n",
        """
        await pilot.pause()
        print(type(app.screen).__name__, any(m.endswith("_text_area") for m in sys.modules))
        await pilot.press("M")
        await pilot.pause()
        print(type(app.screen).__name__, any(m.endswith("_text_area") for m in sys.modules))
        """,
    )
    assert out.split() == ["TranscriptsScreen", "False", "MemoModal", "True"]
