"""Real crashes: qualcode processes killed with SIGKILL at random moments.

Each case starts a real ``qualcode`` process (or a script using the core API, for
a stream of codings), kills it at a random moment, and then checks what a
researcher relies on: the database is intact, every coding reported as committed
before the kill is there, the codebook is valid YAML, no half-written output file
stands where the output should be, and after running the same command again
`qualcode check` is clean. The moments are drawn from a fixed seed, so a failure
can be replayed.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from contextlib import closing
from pathlib import Path

import pytest
import yaml

from qualcode.project import sample_project_source

pytestmark = [pytest.mark.processes, pytest.mark.skipif(os.name != "posix", reason="SIGKILL")]

KILLS_PER_ACTION = 3
SEED = 20261206


def qualcode(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "qualcode", "--project", str(project), "--coder", "crash", *args]


@pytest.fixture
def project(tmp_path) -> Path:
    root = tmp_path / "p"
    source = sample_project_source()
    for sub in ("codebooks", "transcripts"):
        (root / sub).mkdir(parents=True)
    (root / "codebooks" / "samenwerking.yaml").write_bytes((source / "codebooks" / "samenwerking.yaml").read_bytes())
    for path in (source / "transcripts").iterdir():
        if path.name != "codings.csv":
            (root / "transcripts" / path.name).write_bytes(path.read_bytes())
    done = subprocess.run(qualcode(root, "transcripts"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return root


CODING_STREAM = """
import sys
from qualcode.project import Project
project = Project.open(sys.argv[1])
project.sync_codebook()
store = project.store
codes = [c.id for c in project.codebook.walk() if c.codable]
n = 0
for tid in store.transcripts.names():
    for turn in store.transcripts.turns(tid):
        added = store.codings.add(tid, turn.start, turn.end, codes[n % len(codes)], "stream")
        n += 1
        print(added.coding.id, flush=True)  # committed: the store returned after COMMIT
"""


def kill_at_random(command: list[str], delay: float) -> str:
    """Run ``command``, SIGKILL it after ``delay`` seconds (if still running); its stdout so far."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    out, _ = proc.communicate(timeout=60)
    return out


def assert_intact(project: Path) -> None:
    with closing(sqlite3.connect(project / "qualcode.db")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    for path in (project / "codebooks").glob("*.yaml"):
        assert isinstance(yaml.safe_load(path.read_text(encoding="utf-8")), dict)
    check = subprocess.run(qualcode(project, "codebook", "check"), capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def coding_ids(project: Path) -> set[int]:
    with closing(sqlite3.connect(project / "qualcode.db")) as conn:
        return {row[0] for row in conn.execute("SELECT id FROM codings")}


def delays(action: str, duration: float) -> list[float]:
    """Kill moments spread over the run: from start-up (imports) to the last writes."""
    rng = random.Random(f"{SEED}-{action}")
    return [rng.uniform(0.25, 1.0) * duration for _ in range(KILLS_PER_ACTION)]


def duration(project: Path, tmp_path: Path, command) -> float:
    """How long ``command(root)`` runs to the end, measured on a copy of the project."""
    copy = tmp_path / f"copy-{time.monotonic_ns()}"
    shutil.copytree(project, copy)
    started = time.perf_counter()
    subprocess.run(command(copy), capture_output=True)
    return time.perf_counter() - started


def test_crash_while_coding_loses_nothing_committed(project):
    for delay in [0.8 + d for d in delays("coding", 1.5)]:  # start-up, then a stream of codings
        committed = {int(line) for line in kill_at_random([sys.executable, "-c", CODING_STREAM, str(project)], delay).split()}
        assert_intact(project)
        assert committed <= coding_ids(project)


def test_crash_while_importing_writes_all_or_nothing(project, tmp_path):
    extra = tmp_path / "extra"
    extra.mkdir()
    for n in range(40):
        extra.joinpath(f"gesprek_{n:02d}.txt").write_text(
            "".join(f"I: Vraag {n}.{k}?\nR: Antwoord {n}.{k} over de wijk en de moskee.\n" for k in range(200)),
            encoding="utf-8",
        )
    before = subprocess.run(qualcode(project, "transcripts", "--format", "csv"), capture_output=True, text=True).stdout
    for delay in delays("import", duration(project, tmp_path, lambda root: qualcode(root, "import", str(extra)))):
        kill_at_random(qualcode(project, "import", str(extra)), delay)
        assert_intact(project)
        now = subprocess.run(qualcode(project, "transcripts", "--format", "csv"), capture_output=True, text=True).stdout
        assert now.count("\n") in (before.count("\n"), before.count("\n") + 40)  # one transaction: none or all
    done = subprocess.run(qualcode(project, "import", str(extra)), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert subprocess.run(qualcode(project, "check"), capture_output=True).returncode == 0


@pytest.mark.parametrize("action", ["rename", "apply"])
def test_crash_while_changing_the_codebook_keeps_it_consistent(project, tmp_path, action):
    coded = subprocess.run(qualcode(project, "code", "01", "eigen_kracht_gezin", "--turn", "2"), capture_output=True, text=True)
    assert coded.returncode == 0, coded.stderr
    new_codebook = project / "nieuw.yaml"
    text = (project / "codebooks" / "samenwerking.yaml").read_text(encoding="utf-8")
    new_codebook.write_text(text.replace("vertrouwen_opbouwen", "vertrouwen_groeit"), encoding="utf-8")
    commands = {
        "rename": lambda root: qualcode(root, "codebook", "rename", "eigen_kracht_gezin", "kracht_van_het_gezin"),
        "apply": lambda root: qualcode(root, "codebook", "apply", str(new_codebook)),
    }
    command = commands[action](project)
    total = len(coding_ids(project))
    for delay in delays(action, duration(project, tmp_path, commands[action])):
        kill_at_random(command, delay)
        assert_intact(project)
        assert len(coding_ids(project)) == total  # moved or not yet, never lost
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    check = subprocess.run(qualcode(project, "check"), capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("kind", ["segments", "qdpx"])
def test_crash_while_exporting_leaves_no_partial_file(project, tmp_path, kind):
    out = tmp_path / f"uit.{'csv' if kind == 'segments' else 'qdpx'}"

    def make(root: Path) -> list[str]:
        target = out if root == project else root / out.name
        if kind == "segments":
            return qualcode(root, "export", "segments", "--out", str(target))
        return qualcode(root, "export", "qdpx", str(target))

    subprocess.run([sys.executable, "-c", CODING_STREAM, str(project)], capture_output=True, check=True)  # rows to export
    command = make(project)
    reference = None
    if kind == "segments":  # what a complete export holds
        subprocess.run(command, capture_output=True, check=True)
        reference = out.read_text(encoding="utf-8")
        assert reference.count("\n") > 100
    for delay in delays(f"export-{kind}", duration(project, tmp_path, make)):
        if out.exists():
            out.unlink()
        kill_at_random(command, delay)
        assert_intact(project)
        if out.exists():  # finished before the kill (a busy machine): then complete
            if kind == "qdpx":
                with zipfile.ZipFile(out) as archive:
                    assert archive.testzip() is None and "project.qde" in archive.namelist()
            else:
                assert out.read_text(encoding="utf-8") == reference
    if out.exists():
        out.unlink()
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert list(out.parent.glob(f".{out.name}*")) == []  # temporary files of killed runs cleaned up
