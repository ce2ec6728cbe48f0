"""One writer of a project's codebook at a time.

Every command that edits the codebook file (rename, move, merge-codes, apply, a
``.qdpx`` import that adds codes) holds this lock from reading the file to writing
it back and moving the codings, so two such commands run one after the other and
neither loses the other's edit. The lock is an OS file lock (``filelock``) on
``.qualcode/codebook.lock``: a killed process releases it at once, so it is never
left stale. Who holds it is written next to it, for the waiting command's message.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import PROJECT_LOCK_FAILED, PROJECT_LOCKED, error

if TYPE_CHECKING:
    from filelock import FileLock

LOCK_WAIT = 60.0  # seconds a command waits for another one before giving up
LOCK_DIR = ".qualcode"


class ProjectLock:
    """The codebook lock of one project folder (re-entrant within this process)."""

    def __init__(self, root: Path, wait: float = LOCK_WAIT) -> None:
        folder = Path(root) / LOCK_DIR
        self.path = folder / "codebook.lock"
        self.info = folder / "codebook.lock.json"
        self.wait = wait
        self._file_lock: FileLock | None = None

    @property
    def _lock(self) -> FileLock:
        # Made on first use: filelock (with logging and decimal) costs ~13 ms to import,
        # and most commands (listings, statistics) never take the lock.
        if self._file_lock is None:
            from filelock import FileLock

            self._file_lock = FileLock(str(self.path))
        return self._file_lock

    @property
    def held(self) -> bool:
        return self._file_lock is not None and self._file_lock.is_locked

    def holder(self) -> str:
        """Who holds the lock, as far as its note says (for the waiting command's message)."""
        try:
            note = json.loads(self.info.read_text(encoding="utf-8"))
            return f"`qualcode {note['action']}`, process {note['pid']}, since {note['since']}"
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return "another qualcode command"

    def _why(self, exc: OSError) -> str:
        """Why the lock could not be taken: a file or folder in the wrong place says which (the
        system's 'File exists' or 'Is a directory' alone names nothing to move away)."""
        folder = self.path.parent
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, where qualcode keeps a folder of its own: move the file away"
        if self.path.is_dir():
            return f"{self.path} is a folder, where qualcode keeps its lock file: move the folder away"
        return exc.strerror or str(exc)

    @contextmanager
    def hold(self, action: str, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the lock for ``action``; tell ``waiting`` once if another command has it."""
        from filelock import Timeout

        outermost = not self._lock.is_locked
        try:
            self.path.parent.mkdir(exist_ok=True)
            try:
                self._lock.acquire(timeout=0)
            except Timeout:
                if waiting is not None:
                    waiting(f"waiting for {self.holder()} to finish changing the codebook ...")
                self._lock.acquire(timeout=self.wait)
        except Timeout:
            raise error(PROJECT_LOCKED, holder=self.holder(), seconds=int(self.wait)) from None
        except OSError as exc:
            raise error(PROJECT_LOCK_FAILED, path=self.path, reason=self._why(exc)) from None
        with self._taken(outermost, action):
            yield

    @contextmanager
    def hold_if_free(self, action: str) -> Iterator[bool]:
        """Hold the lock for ``action`` if no other command holds it (True), else go on at
        once without it (False); also False when the lock cannot be taken at all (a
        read-only folder)."""
        from filelock import Timeout

        outermost = not self._lock.is_locked
        try:
            self.path.parent.mkdir(exist_ok=True)
            self._lock.acquire(timeout=0)
        except (Timeout, OSError):
            yield False
            return
        with self._taken(outermost, action):
            yield True

    @contextmanager
    def _taken(self, outermost: bool, action: str) -> Iterator[None]:
        """The lock, just acquired: the outermost hold notes who holds it (for a waiting
        command's message); released when the block ends."""
        try:
            if outermost:
                note = {"action": action, "pid": os.getpid(), "since": time.strftime("%H:%M:%S")}
                try:
                    self.info.write_text(json.dumps(note), encoding="utf-8")
                except OSError:
                    pass  # only the message of a waiting command suffers
            yield
        finally:
            self._lock.release()
