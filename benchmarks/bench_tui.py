"""Benchmark of the coding TUI, each figure next to a baseline measured in the same run.

    python -m benchmarks.bench_tui [--words 100000] [--codings 5000] [--repeat 5]

1. Time to first screen: ``qualcode`` on the sample project (project opened, codebook
   loaded, app built, transcripts list drawn) against a bare Textual app (Header, a
   20-item ListView, Footer). Both start in a fresh Python process the same way and
   run headless until the first screen is up; the median of ``--repeat`` runs.
2. Opening a long transcript (``--words`` words, ``--codings`` codings) in the coding
   screen until its first paint, against pushing a screen with a bare ``TextArea``
   holding the same text until its first paint.
3. Latency inside the app on that transcript (no Pilot in the loop): the action's
   handler plus drawing every visible line of the transcript (a full repaint, the
   worst case) for a cursor move, a sentence selection and applying a code; the
   same on a sample transcript as the baseline.

Aims (issue 3): first screen <= 1.5x the bare app; open < 1 s; each latency < 30 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIZE = (120, 40)

BARE_APP = """
import sys, time
from textual.app import App
from textual.widgets import Footer, Header, Label, ListItem, ListView

class Bare(App):
    def compose(self):
        yield Header()
        yield ListView(*[ListItem(Label(f"transcript {i}")) for i in range(20)])
        yield Footer()

async def ready(pilot):
    print(time.time())
    pilot.app.exit()

Bare().run(headless=True, auto_pilot=ready, size=(120, 40))
"""

QUALCODE_APP = """
import sys, time
from qualcode.project import Project
from qualcode.tui import build_app

project = Project.open(sys.argv[1])
project.sync_codebook()  # what `qualcode` does before the app: open the project, load and sync the codebook

async def ready(pilot):
    print(time.time())
    pilot.app.exit()

build_app(project, "bench", watch_store=False).run(headless=True, auto_pilot=ready, size=(120, 40))
"""


def sample_project(folder: Path) -> Path:
    """A copy of the bundled sample project, imported (as after the first `qualcode`)."""
    from qualcode.importing import auto_import
    from qualcode.project import Project

    for sub in ("codebooks", "transcripts"):
        shutil.copytree(ROOT / sub, folder / sub)
    project = Project.open(folder)
    auto_import(project)
    project.close()
    return folder


def first_screen(code: str, *args: str) -> float:
    """Seconds from starting a Python process to its app's first screen."""
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    )
    return float(out.stdout.strip().splitlines()[-1]) - start


def bench_startup(folder: Path, repeat: int) -> None:
    # pip installs textual with compiled bytecode; an editable checkout of qualcode
    # has none when PYTHONDONTWRITEBYTECODE is set (as on CI machines), and would
    # then compile every module on every start. A user's installation has it after
    # the first run (or at install), so give qualcode the same footing.
    import compileall

    compileall.compile_dir(str(ROOT / "qualcode"), quiet=1)
    first_screen(BARE_APP)  # warm the file cache for both
    first_screen(QUALCODE_APP, str(folder))
    bare, ours = [], []
    for _ in range(repeat):  # interleaved, so machine load hits both alike
        bare.append(first_screen(BARE_APP))
        ours.append(first_screen(QUALCODE_APP, str(folder)))
    b, q = statistics.median(bare), statistics.median(ours)
    print(f"first screen   qualcode {q * 1000:7.0f} ms   bare Textual app {b * 1000:7.0f} ms   ratio {q / b:.2f}x  (aim <= 1.5x)")


def long_project(folder: Path, words: int, codings: int, seed: int = 7) -> tuple[Path, int]:
    """A project with one generated transcript of ``words`` words and ``codings`` codings."""
    from benchmarks.corpus import generate_transcript
    from qualcode.importing import import_paths
    from qualcode.project import Project

    shutil.copytree(ROOT / "codebooks", folder / "codebooks")
    (folder / "transcripts").mkdir()
    path = folder / "transcripts" / "lang.txt"
    path.write_text(generate_transcript(words, seed), encoding="utf-8")
    project = Project.open(folder)
    import_paths(project, [path])
    store = project.store
    tid = next(iter(store.transcripts.names()))
    text = store.transcripts.text(tid)
    codes = [c.id for c in project.codebook.walk() if c.codable]
    rng = random.Random(seed)
    with store.transaction():
        for _ in range(codings):
            start = rng.randrange(len(text) - 400)
            store.codings.add(tid, start, start + rng.randrange(30, 400), rng.choice(codes), "bench")
    project.close()
    return folder, tid


async def open_long(folder: Path, tid: int, repeat: int) -> list[float]:
    """Seconds from asking for the transcript to the coding screen's first paint with it."""
    from qualcode.project import Project
    from qualcode.tui import build_app
    from qualcode.tui.screens.coding import CodingScreen

    project = Project.open(folder)
    app = build_app(project, "bench", watch_store=False)
    times: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(repeat):
            done = asyncio.Event()
            original = CodingScreen._loaded

            def loaded(screen, model, original=original):
                original(screen, model)
                screen.call_after_refresh(lambda: (times.append(time.perf_counter() - start), done.set()))

            CodingScreen._loaded = loaded
            try:
                start = time.perf_counter()
                app.open_transcript(tid)
                await asyncio.wait_for(done.wait(), 60)
            finally:
                CodingScreen._loaded = original
            app.action_show_transcripts()
            await pilot.pause()
    project.close()
    return times


async def open_text_area(text: str, repeat: int) -> list[float]:
    """The baseline: push a screen with a TextArea holding ``text``, until its first paint."""
    from textual.app import App
    from textual.screen import Screen
    from textual.widgets import TextArea

    class Plain(Screen):
        def compose(self):
            yield TextArea(text)

        def on_mount(self) -> None:
            self.call_after_refresh(lambda: (times.append(time.perf_counter() - start), done.set()))

    times: list[float] = []
    app = App()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(repeat):
            done = asyncio.Event()
            start = time.perf_counter()
            await app.push_screen(Plain())
            await asyncio.wait_for(done.wait(), 60)
            app.pop_screen()
            await pilot.pause()
    return times


def repaint(view) -> None:
    """Draw every visible line of the document, as a full refresh does."""
    for y in range(view.scrollable_content_region.height):
        view.render_line(y)


async def latencies(folder: Path, name: str | None, samples: int) -> dict[str, list[float]]:
    """Handler + repaint time of a cursor move, a sentence selection and applying a code."""
    from qualcode.project import Project
    from qualcode.tui import build_app

    project = Project.open(folder)
    app = build_app(project, "bench", watch_store=False)
    out: dict[str, list[float]] = {"cursor move": [], "select sentence": [], "apply code": []}
    rng = random.Random(1)
    async with app.run_test(size=SIZE) as pilot:
        names = project.store.transcripts.names()
        tid = next(t for t, n in names.items() if name is None or n == name)
        app.open_transcript(tid)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        view, model = screen.document, screen.model
        codes = [c.id for c in project.codebook.walk() if c.codable]

        def timed(kind: str, action) -> None:
            start = time.perf_counter()
            action()
            repaint(view)
            out[kind].append(time.perf_counter() - start)

        for i in range(samples):
            block = model.blocks[rng.randrange(len(model.blocks))]
            view.move_to(rng.randrange(block.start, block.end + 1))
            if i % 10 == 0:
                await pilot.pause(0)  # let scrolling and messages settle now and then
            timed("cursor move", view.action_cursor_down if i % 2 else view.action_cursor_right)
            view.clear_selection()
            timed("select sentence", view.action_select_sentence)
            span = view.selection
            timed("apply code", lambda: screen.apply_codes([codes[i % len(codes)]], span))
        for _ in range(samples):  # leave the store as it was
            app.history.undo()
    project.close()
    return out


def report_latency(long: dict[str, list[float]], short: dict[str, list[float]]) -> None:
    for kind in long:
        lm, sm = statistics.median(long[kind]), statistics.median(short[kind])
        p95 = sorted(long[kind])[int(0.95 * (len(long[kind]) - 1))]
        print(
            f"{kind:15s}  long transcript median {lm * 1000:6.2f} ms (p95 {p95 * 1000:6.2f})"
            f"   sample transcript {sm * 1000:6.2f} ms   ratio {lm / sm:.2f}x  (aim < 30 ms)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_tui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=100_000)
    parser.add_argument("--codings", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (medians are printed)")
    parser.add_argument("--samples", type=int, default=60, help="actions per latency figure")
    args = parser.parse_args(argv)
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="qualcode-bench-config-")  # never the user's settings
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-") as tmp:
        base = Path(tmp)
        sample = sample_project(base / "sample")
        print(f"qualcode TUI benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cpu)")
        bench_startup(sample, args.repeat)

        t0 = time.perf_counter()
        folder, tid = long_project(base / "long", args.words, args.codings)
        print(f"(generated and imported {args.words} words with {args.codings} codings in {time.perf_counter() - t0:.1f} s)")
        from qualcode.store import Store

        with Store(folder / "qualcode.db") as store:
            text = store.transcripts.text(tid)
        ours = statistics.median(asyncio.run(open_long(folder, tid, args.repeat)))
        plain = statistics.median(asyncio.run(open_text_area(text, args.repeat)))
        print(
            f"open transcript qualcode coding screen {ours * 1000:7.0f} ms   bare TextArea {plain * 1000:7.0f} ms"
            f"   ratio {ours / plain:.2f}x  (aim < 1 s)"
        )
        long = asyncio.run(latencies(folder, None, args.samples))
        short = asyncio.run(latencies(sample, "02_cjg_wijkcoach", args.samples))
        report_latency(long, short)
    return 0


if __name__ == "__main__":
    sys.exit(main())
