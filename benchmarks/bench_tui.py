"""Benchmark of the coding TUI, each figure next to a baseline measured in the same run.

    python -m benchmarks.bench_tui [--words 100000] [--codings 5000] [--repeat 5]
                                   [--interviews 1000] [--keys 30] [--skip-large]

1. Time to first screen: ``qualcode`` (project opened, codebook loaded, app built,
   transcripts list drawn) against a bare Textual app (Header, a 20-item ListView,
   Footer), on the sample project and on ``--interviews`` generated interviews
   (``benchmarks/corpus.py``, 200 codings each, as ``bench_export`` builds them).
   Both start in a fresh Python process the same way and run headless until the
   first screen is up; the median of ``--repeat`` interleaved runs.
2. Opening a long transcript (``--words`` words, ``--codings`` codings) in the coding
   screen until its first paint, against pushing a screen with a bare ``TextArea``
   holding the same text until its first paint.
3. Latency inside the app on that transcript (no Pilot in the loop): the action's
   handler plus drawing every visible line of the transcript (a full repaint, the
   worst case) for a cursor move, a sentence selection and applying a code; the
   same on a sample transcript as the baseline.
4. Key to screen, as a user sees it: the app runs in a pseudo-terminal (as in tmux)
   and the time is taken from writing a key to the end of the last frame it causes
   (the terminal answers that it supports synchronized output, so every frame ends
   with a mark); a code key and a cursor move in a sample transcript and in the long
   one, against typing a letter into a bare Textual ``TextArea`` the same way.

Aims: first screen <= 1.5x the bare app (also at 1,000 interviews); open < 1 s;
each in-app latency < 30 ms; key to screen < 50 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import pty
import random
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
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
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    return float(out.stdout.strip().splitlines()[-1]) - start


def bench_startup(folder: Path, repeat: int, label: str = "sample project") -> None:
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
    print(
        f"first screen ({label})  qualcode {q * 1000:6.0f} ms   bare Textual app {b * 1000:6.0f} ms"
        f"   ratio {q / b:.2f}x  (aim <= 1.5x)"
    )


def large_project(folder: Path, interviews: int) -> Path:
    """``interviews`` generated transcripts of 5,000 words with 200 codings each."""
    from benchmarks.bench_export import build_project

    build_project(folder, interviews, interviews * 200)
    return folder


# --- 4. key to screen in a pseudo-terminal -----------------------------------------------

KEY_QUALCODE = """
import sys
from qualcode.project import Project
from qualcode.tui import build_app

project = Project.open(sys.argv[1])
project.sync_codebook()
build_app(project, "bench", watch_store=False).run()
"""

KEY_BARE = """
import sys
from textual.app import App
from textual.widgets import Footer, Header, TextArea

class Bare(App):
    def compose(self):
        yield Header()
        yield TextArea(open(sys.argv[1], encoding="utf-8").read(), soft_wrap=True)
        yield Footer()

Bare().run()
"""

FRAME_END = b"\x1b[?2026l"  # the end of a synchronized update: one frame
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_ANSWER = b"\x1b[?2026;2$y"  # "supported" (not set): the app then marks every frame
DOWN, ENTER, NEXT_SENTENCE = b"\x1b[B", b"\r", b")"


class Terminal:
    """A child process in a pseudo-terminal, and the frames it draws."""

    def __init__(self, code: str, *args: str) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # the child
            os.execvpe(sys.executable, [sys.executable, "-c", code, *args], {**os.environ, "TERM": "xterm-256color"})
        width, height = SIZE
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))

    def drain(self, quiet: float, limit: float = 120.0) -> float | None:
        """Read until ``quiet`` seconds pass without output; the time the last frame ended."""
        last = None
        deadline = time.perf_counter() + limit
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.fd], [], [], quiet)
            if not ready:
                return last
            try:
                chunk = os.read(self.fd, 1 << 16)
            except OSError:
                return last
            if SYNC_QUERY in chunk:
                os.write(self.fd, SYNC_ANSWER)
            if FRAME_END in chunk:
                last = time.perf_counter()
        return last

    def key(self, key: bytes, quiet: float = 0.25) -> float | None:
        """Seconds from writing ``key`` to the end of the last frame it caused."""
        start = time.perf_counter()
        os.write(self.fd, key)
        end = self.drain(quiet)
        return None if end is None else end - start

    def close(self) -> None:
        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


def keys_to_screen(folder: Path, opening: list[bytes], code_key: bytes, samples: int) -> dict[str, list[float]]:
    """Key-to-screen times of a code key and a sentence move in the transcript ``opening`` opens."""
    term = Terminal(KEY_QUALCODE, str(folder))
    out: dict[str, list[float]] = {"code key": [], "cursor move": []}
    try:
        term.drain(2.0)
        for key in opening:
            os.write(term.fd, key)
            term.drain(1.0)
        for _ in range(samples):
            moved = term.key(NEXT_SENTENCE)
            coded = term.key(code_key)
            if moved is not None:
                out["cursor move"].append(moved)
            if coded is not None:
                out["code key"].append(coded)
    finally:
        term.close()
    return out


def typing_baseline(text_file: Path, samples: int) -> list[float]:
    """Key-to-screen times of typing a letter into a bare Textual TextArea."""
    term = Terminal(KEY_BARE, str(text_file))
    times: list[float] = []
    try:
        term.drain(2.0)
        for _ in range(samples):
            found = term.key(b"a")
            if found is not None:
                times.append(found)
    finally:
        term.close()
    return times


def report_keys(label: str, figures: dict[str, list[float]], baseline: list[float]) -> None:
    base = statistics.median(baseline)
    for kind, times in figures.items():
        if not times:
            print(f"key to screen ({label}) {kind}: no frame seen")
            continue
        median = statistics.median(times)
        p95 = sorted(times)[int(0.95 * (len(times) - 1))]
        print(
            f"key to screen ({label}) {kind:11s} median {median * 1000:6.1f} ms (p95 {p95 * 1000:6.1f})"
            f"   bare TextArea typing {base * 1000:6.1f} ms   ratio {median / base:.2f}x  (aim < 50 ms)"
        )


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

            def loaded(screen, model, original=original, done=done):
                original(screen, model)
                screen.call_after_refresh(lambda: (times.append(time.perf_counter() - start), done.set()))  # noqa: B023 - start is set before the screen loads

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
            timed("cursor move", (lambda: view.action_vertical("down")) if i % 2 else (lambda: view.action_move("char_right")))
            view.clear_selection()
            timed("select sentence", view.action_select_sentence)
            span = view.selection
            timed("apply code", lambda i=i, span=span: screen.apply_codes([codes[i % len(codes)]], span))
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
    parser.add_argument("--interviews", type=int, default=1000, help="generated interviews for the large first screen")
    parser.add_argument("--keys", type=int, default=30, help="key presses per key-to-screen figure")
    parser.add_argument("--skip-large", action="store_true", help="leave out the first screen at --interviews")
    parser.add_argument(
        "--large",
        type=Path,
        metavar="PROJECT",
        help="time the large first screen on this project (e.g. bench_cli's DIR/pN) instead of generating --interviews",
    )
    args = parser.parse_args(argv)
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="qualcode-bench-config-")  # never the user's settings
    with tempfile.TemporaryDirectory(prefix="qualcode-bench-") as tmp:
        base = Path(tmp)
        sample = sample_project(base / "sample")
        print(f"qualcode TUI benchmark (python {sys.version.split()[0]}, {os.cpu_count()} cpu)")
        bench_startup(sample, args.repeat)
        if args.large is not None and not args.skip_large:
            bench_startup(args.large, args.repeat, f"{args.large}")
        elif not args.skip_large:
            t0 = time.perf_counter()
            large = large_project(base / "large", args.interviews)
            print(
                f"(generated {args.interviews} interviews with {args.interviews * 200} codings in {time.perf_counter() - t0:.1f} s)"
            )
            bench_startup(large, args.repeat, f"{args.interviews} interviews")

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

        text_file = base / "typing.txt"
        text_file.write_text((ROOT / "transcripts" / "02_cjg_wijkcoach.txt").read_text(encoding="utf-8"), encoding="utf-8")
        baseline = typing_baseline(text_file, args.keys)
        report_keys("sample transcript", keys_to_screen(sample, [DOWN, ENTER], b"h", args.keys), baseline)
        report_keys(f"{args.words} words", keys_to_screen(folder, [ENTER], b"h", args.keys), baseline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
