"""Writing files atomically: the one way qualcode replaces a file (or a folder).

Every write goes to a temporary file in the target's own folder (so the final
``os.replace`` is an atomic rename on one file system), named
``.<name>.<pid>.<random>.tmp``: unique, hidden, and telling which process made it.
The temporary file is created like any new file, so the user's umask decides its
mode (``mkstemp`` would make it 0600); a file it replaces keeps its own mode (a codebook
or an export made readable to its owner only stays so). It is flushed and fsynced before the rename,
and removed if anything fails -- also on Ctrl-C and, in the main thread, on SIGTERM.
A process killed outright (SIGKILL, power cut) can still leave one behind: the next
write to the same target removes temporary files whose process is gone.

The module is imported when a project is opened (:func:`leftovers`): what only a write
needs (``secrets``, ``signal``, ``shutil``) is imported by the write.

A link is followed: its target is replaced (see :func:`target`). A device or a pipe
(``-o /dev/null``) is written in place.

Errors are ``OSError`` as the operating system gives them; callers turn them into
their own catalogue message (which names what was being written).
"""

from __future__ import annotations

import os
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

SUFFIX = ".tmp"


def temp_path(path: Path) -> Path:
    """A new temporary name next to ``path`` (see the module docstring)."""
    import secrets

    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}{SUFFIX}")


def leftovers(path: Path) -> list[Path]:
    """Temporary files of earlier writes to ``path`` whose process is gone."""
    import glob

    path = Path(path)
    return _of_dead_processes(path.parent, f".{glob.escape(path.name)}.*{SUFFIX}", path.name)


def leftovers_in(folder: Path, endings: tuple[str, ...]) -> list[Path]:
    """Temporary files of earlier writes to a file in ``folder`` whose name has one of the
    ``endings``, whose process is gone."""
    return _of_dead_processes(Path(folder), f".*{SUFFIX}", None, endings)


def _of_dead_processes(folder: Path, pattern: str, name: str | None, endings: tuple[str, ...] = ("",)) -> list[Path]:
    found = []
    for candidate in folder.glob(pattern):
        # ".<name>.<pid>.<random>.tmp": the name may hold dots, the two parts after it do not
        rest, _, token = candidate.name[1 : -len(SUFFIX)].rpartition(".")
        written, _, pid_text = rest.rpartition(".")
        if not written or (name is not None and written != name) or not written.endswith(endings) or not token:
            continue
        if pid_text.isascii() and pid_text.isdigit() and not _alive(int(pid_text)):
            found.append(candidate)
    return found


def clean_stale(path: Path) -> list[Path]:
    """Remove temporary files of earlier writes to ``path`` whose process is gone."""
    return remove_leftovers(leftovers(path))


def remove_leftovers(found: list[Path]) -> list[Path]:
    """Remove the temporary files (or folders) :func:`leftovers` found; those removed."""
    import shutil

    removed = []
    for candidate in found:
        try:
            if candidate.is_dir() and not candidate.is_symlink():
                shutil.rmtree(candidate)
            else:
                candidate.unlink()
            removed.append(candidate)
        except OSError:
            pass  # another process cleans it up as well, or we may not: not our problem here
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists (someone else's): leave its file alone
    return True


class _Terminated(BaseException):
    """SIGTERM arrived during a write: unwind (removing the temporary file), then exit."""


@contextmanager
def _unwind_on_sigterm() -> Iterator[None]:
    """In the main thread, make SIGTERM unwind like Ctrl-C does, so clean-up runs."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (ValueError, OSError):  # pragma: no cover - no signals here
        yield
        return
    if previous not in (signal.SIG_DFL, None):
        yield  # someone else handles SIGTERM: leave it to them
        return

    def handler(signum: int, _frame: object) -> None:
        raise _Terminated(signum)

    signal.signal(signal.SIGTERM, handler)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def atomic_open(path: Path, mode: str = "wb", *, encoding: str | None = None, newline: str | None = None) -> Iterator[IO[Any]]:
    """A file handle whose content replaces ``path`` when the block ends without error."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes new content ('w' or 'wb'), not mode {mode!r}")
    path = target(path)
    if is_stream(path):
        with open(path, mode, encoding=encoding if "b" not in mode else None, newline=newline) as handle:
            yield handle
        return
    clean_stale(path)
    tmp = temp_path(path)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
    try:
        _keep_mode(fd, path)
        with _unwind_on_sigterm():
            with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None, newline=newline) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


@contextmanager
def staged_text(path: Path, text: str, *, committed: Callable[[], bool] | None = None) -> Iterator[Path]:
    """``text`` written beside ``path`` and synced now; it replaces ``path`` when the block
    ends without error, and is removed if the block raises. Yields the staged file.

    ``committed()``: whether the work the file goes with (a store transaction inside the
    block) was committed when the block raised. Then the file is put in place all the same
    and the error (a Ctrl-C that arrived as the commit returned) goes on: file and store
    never disagree. Only the rename is left for after the block, so that moment is short;
    a process killed in it leaves the staged file, for the store to finish the rename with
    (see :meth:`.project.Project.staged_codebook`).
    """
    path = target(path)
    clean_stale(path)
    tmp = temp_path(path)
    try:
        with _unwind_on_sigterm():
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies
            _keep_mode(fd, path)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            try:
                yield tmp
            except BaseException:
                if committed is not None and committed():
                    put_in_place(tmp, path)
                raise
            os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _keep_mode(fd: int, path: Path) -> None:
    """Give the new file (open as ``fd``) the permission bits of the file ``path`` it will
    replace, if there is one: replacing a file never makes it readable to more people."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return
    if stat.S_ISREG(mode):
        os.fchmod(fd, stat.S_IMODE(mode))


def put_in_place(staged: Path, path: Path) -> None:
    """Rename the synced file ``staged`` over ``path`` (beside it), durably."""
    os.replace(staged, path)
    _sync_folder(Path(path).parent)


def target(path: Path) -> Path:
    """The file a write to ``path`` replaces: a link's target (links followed, also a
    dangling one), so that a link to a shared folder keeps pointing at the new content
    instead of being replaced by a file of its own."""
    path = Path(path)
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def is_stream(path: Path) -> bool:
    """``path`` is a device or a pipe (``/dev/null``, a FIFO): written in place, as there
    is no file to replace (and no folder a temporary file could go in)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically."""
    with atomic_open(path, "wb") as handle:
        handle.write(data)


def write_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, newlines as given) atomically."""
    with atomic_open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)


@contextmanager
def atomic_directory(path: Path) -> Iterator[Path]:
    """A fresh temporary folder that replaces the folder ``path`` when the block succeeds.

    A folder cannot be renamed over a non-empty one, so the old folder is first
    renamed aside and removed after the new one is in place: at every moment either
    the old or the new folder is complete.
    """
    import shutil

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean_stale(path)
    tmp = temp_path(path)
    tmp.mkdir()
    try:
        with _unwind_on_sigterm():
            yield tmp
            old = None
            if path.exists():
                old = temp_path(path)
                os.replace(path, old)
            os.replace(tmp, path)
            if old is not None:
                if old.is_dir() and not old.is_symlink():
                    shutil.rmtree(old, ignore_errors=True)
                else:  # a file or link where the folder belongs (rmtree would leave it)
                    old.unlink(missing_ok=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where folders cannot be opened, skip."""
    try:
        fd = os.open(folder if str(folder) else ".", os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. Windows
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover
        pass
    finally:
        os.close(fd)
