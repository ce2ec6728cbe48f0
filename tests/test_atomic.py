"""The one atomic-write helper: umask mode, no half files, no stale temporary files."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from qualcode.atomic import atomic_directory, atomic_open, clean_stale, staged_text, temp_path, write_bytes, write_text


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("umask, expected", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_atomic_write_mode_follows_the_umask(tmp_path: Path, umask: int, expected: int) -> None:
    old = os.umask(umask)
    try:
        write_bytes(tmp_path / "out.qdpx", b"data")
    finally:
        os.umask(old)
    assert (tmp_path / "out.qdpx").stat().st_mode & 0o777 == expected


def test_atomic_write_failure_keeps_the_old_file_and_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "codebook.yaml"
    write_text(target, "old\n")
    with pytest.raises(RuntimeError), atomic_open(target, "w", encoding="utf-8") as handle:
        handle.write("half of the new")
        raise RuntimeError("disk on fire")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _leftovers(tmp_path) == []


def test_atomic_write_text_keeps_newlines_as_given(tmp_path: Path) -> None:
    write_text(tmp_path / "a.txt", "x\ny\r\nz")
    assert (tmp_path / "a.txt").read_bytes() == b"x\ny\r\nz"


def test_atomic_stale_temp_files_of_dead_processes_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "export.qdpx"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True)
    stale = tmp_path / f".export.qdpx.{dead.stdout.strip()}.abcd1234.tmp"
    stale.write_bytes(b"half")
    mine = temp_path(target)  # a write in progress in this (living) process
    mine.write_bytes(b"busy")
    other = tmp_path / ".other.qdpx.1.abcd1234.tmp"  # another target's: not touched
    other.write_bytes(b"x")
    write_bytes(target, b"new")
    assert not stale.exists()
    assert mine.exists() and other.exists()
    assert clean_stale(target) == []


def test_atomic_directory_replaces_a_folder_whole(tmp_path: Path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "old.bin").write_bytes(b"old")
    with atomic_directory(folder) as tmp:
        (tmp / "new.bin").write_bytes(b"new")
        assert (folder / "old.bin").exists()  # the old model stays until the new one is complete
    assert sorted(p.name for p in folder.iterdir()) == ["new.bin"]
    assert _leftovers(tmp_path) == []
    with pytest.raises(KeyError), atomic_directory(folder) as tmp:
        (tmp / "half.bin").write_bytes(b"?")
        raise KeyError("failed")
    assert sorted(p.name for p in folder.iterdir()) == ["new.bin"]
    assert _leftovers(tmp_path) == []


_SLOW_WRITER = textwrap.dedent(
    """
    import signal, sys, time
    from pathlib import Path
    from qualcode.atomic import atomic_open
    # As in a terminal (a background job inherits an ignored SIGINT): Ctrl-C raises KeyboardInterrupt.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    with atomic_open(Path(sys.argv[1]), "wb") as handle:
        handle.write(b"partial")
        handle.flush()
        print("writing", flush=True)
        time.sleep(60)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_atomic_write_interrupted_by_a_signal_leaves_no_temp_file(tmp_path: Path, signum: int) -> None:
    target = tmp_path / "out.qdpx"
    target.write_bytes(b"previous")
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    assert len(_leftovers(tmp_path)) == 1
    proc.send_signal(signum)
    proc.wait(timeout=30)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr.read() or signum == signal.SIGINT
    assert _leftovers(tmp_path) == []
    assert target.read_bytes() == b"previous"


def test_atomic_write_killed_hard_is_cleaned_by_the_next_write(tmp_path: Path) -> None:
    target = tmp_path / "out.qdpx"
    proc = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(target)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout.readline().strip() == "writing"
    proc.kill()
    proc.wait(timeout=30)
    assert len(_leftovers(tmp_path)) == 1  # SIGKILL cannot be caught ...
    assert not target.exists()  # ... but the target was never half-written
    write_bytes(target, b"done")
    assert _leftovers(tmp_path) == []
    assert target.read_bytes() == b"done"


def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    """An export or a codebook made readable to its owner only became readable to all (0644)
    when qualcode replaced it."""
    path = tmp_path / "codebook.yaml"
    path.write_text("oud", encoding="utf-8")
    path.chmod(0o600)
    write_text(path, "nieuw")
    assert path.read_text(encoding="utf-8") == "nieuw" and stat.S_IMODE(path.stat().st_mode) == 0o600
    with staged_text(path, "nieuwer"):
        pass
    assert path.read_text(encoding="utf-8") == "nieuwer" and stat.S_IMODE(path.stat().st_mode) == 0o600
