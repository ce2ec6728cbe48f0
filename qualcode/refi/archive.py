"""Reading and writing .qdpx archives safely.

A .qdpx is a zip with ``project.qde`` and a flat ``sources/`` folder (NVivo for
Windows writes ``Sources/``, the spec's own example upper-case file names, so look-ups
ignore case). Nothing is ever extracted to disk: entries are read into memory (or streamed
in pieces: a large ``project.qde``), only those the project refers to, and only after these
checks, which guard against
damaged and hostile archives:

* every entry name must stay inside the archive (no ``..``, no absolute paths or
  drive letters) -- checked for all entries, used or not;
* declared sizes are capped per entry and in total, and an entry that expands more
  than :data:`MAX_RATIO` times its compressed size is refused (a zip bomb);
* reads are capped at the declared size, so a header that lies cannot make us read more.

The size and ratio checks are :class:`qualcode.zipsafe.ZipGuard`'s, shared with the
.docx reader. A bare ``.qde`` with its sources in a folder beside it (as MAXQDA 24
leaves them) is read through the same interface (:class:`QdeFolder`), with the same limits.

Writing is :mod:`.project_export`'s (streamed, through :mod:`qualcode.atomic`), into a
:class:`DeflatingZip`: the entries are compressed on a second thread.
"""

from __future__ import annotations

import queue
import sys
import threading
import zipfile
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from ..errors import (
    A_LINK,
    QDPX_BOMB,
    QDPX_MISSING_SOURCE,
    QDPX_NO_PROJECT,
    QDPX_NOT_ZIP,
    QDPX_TOO_BIG,
    QDPX_UNSAFE_PATH,
    TWICE_NAMED,
    Report,
    error,
)
from ..ingest.paths import FileTooBig, open_limited
from ..zipsafe import ZipGuard, ZipLimits, is_link, twice_named

MAX_ENTRIES = 50_000
MAX_ENTRY_BYTES = 512 * 1024 * 1024  # project.qde or one text source
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024  # what we read from one archive, all together
MAX_RATIO = 200  # text compresses 3-10x and XML up to ~30x; bombs do 1000x and more
RATIO_FLOOR = 1024 * 1024  # small entries may compress as well as they like
PROJECT_QDE = "project.qde"
INTERNAL = "internal://"
# qualcode's own extra: speaker turns (with their timestamps) per source, so that a
# qualcode -> qualcode round trip keeps them. Other tools ignore unknown entries.
TURNS_ENTRY = "qualcode/turns.json"
# ... and the codebook YAML itself (comments, title, hints), used when nobody changed the codes.
CODEBOOK_ENTRY_PREFIX = "qualcode/codebooks/"


class ProjectFiles:
    """What an import reads a REFI-QDA project from: named members, looked up ignoring case."""

    path: Path
    shown: str
    report: Report
    entries: Mapping[str, object]  # name -> what each kind reads it from
    missing_hint: str  # where missing sources belong, for the error that lists them

    def _index(self) -> None:
        self._folded: dict[str, list[str]] = {}
        for name in self.entries:
            self._folded.setdefault(name.casefold(), []).append(name)

    def __enter__(self) -> ProjectFiles:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release what was opened (nothing, by default)."""

    def project_entry(self) -> str:
        """The name of the project's .qde entry (``project.qde``, or the only .qde there is)."""
        found = self._folded.get(PROJECT_QDE)
        if found:
            return found[0]
        others = [n for n in self.entries if "/" not in n and n.casefold().endswith(".qde")]
        if len(others) == 1:
            self.report.warn(f"{self.shown}: no project.qde; reading {others[0]} instead")
            return others[0]
        listing = ", ".join(sorted(self.entries)[:8]) or "nothing"
        raise error(QDPX_NO_PROJECT, path=self.shown, entries=listing)

    def find_internal(self, ref: str, source_name: str) -> str:
        """The entry an ``internal://`` reference names (``sources/`` or ``Sources/``, any case)."""
        relative = ref[len(INTERNAL) :].lstrip("/")
        relative = _safe_name(relative, self.shown, what=f"reference '{ref}' of source '{source_name}'")
        for candidate in (f"sources/{relative}", relative):
            found = self._folded.get(candidate.casefold())
            if found:
                return found[0]
        # Some tools put sources elsewhere in the archive: accept a unique file name match.
        base = PurePosixPath(relative).name.casefold()
        matches = [n for n in self.entries if PurePosixPath(n).name.casefold() == base]
        if len(matches) == 1:
            return matches[0]
        raise error(QDPX_MISSING_SOURCE, path=self.shown, name=source_name, ref=ref)

    def read(self, name: str) -> bytes:  # pragma: no cover - every kind reads its own way
        raise NotImplementedError

    def size(self, name: str) -> int:  # pragma: no cover - every kind knows its own way
        """A member's size in bytes as stated (for progress: reading checks the real size)."""
        raise NotImplementedError

    def stream(self, name: str) -> Iterator[bytes]:  # pragma: no cover - every kind reads its own way
        """A member's bytes in pieces, within the limits of :meth:`read` (read it as often as
        needed: it counts once towards the total)."""
        raise NotImplementedError


class QdpxArchive(ProjectFiles):
    """An opened .qdpx: checked entry names, capped reads, case-insensitive look-ups."""

    def __init__(self, path: Path, report: Report) -> None:
        self.path = Path(path)
        self.shown = str(path)
        self.report = report
        self.missing_hint = "the archive's sources/ folder"
        # Limits read when the archive is opened, so that tests can lower them.
        limits = ZipLimits(MAX_ENTRIES, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES, MAX_RATIO, RATIO_FLOOR)
        self._guard = ZipGuard(self.shown, limits, QDPX_TOO_BIG, QDPX_BOMB, QDPX_NOT_ZIP)
        self._streamed: set[str] = set()
        try:
            # A regular file only: a pipe or a device (/dev/zero) would block the zip reader for ever.
            handle = open_limited(self.path, sys.maxsize)
        except FileNotFoundError:
            raise error(QDPX_NOT_ZIP, path=self.shown, reason="no such file") from None
        except OSError as exc:
            raise error(QDPX_NOT_ZIP, path=self.shown, reason=exc.strerror or str(exc)) from None
        try:
            self._handle = handle
            self.zip = zipfile.ZipFile(handle)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            handle.close()
            raise error(QDPX_NOT_ZIP, path=self.shown, reason=str(exc) or type(exc).__name__) from None
        if len(infos) > MAX_ENTRIES:
            raise error(QDPX_NOT_ZIP, path=self.shown, reason=f"{len(infos)} entries, more than the {MAX_ENTRIES} allowed")
        self.entries: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            if info.is_dir():
                continue
            name = _safe_name(info.filename, self.shown)
            if is_link(info):
                raise error(QDPX_UNSAFE_PATH, path=self.shown, entry=info.filename, reason=A_LINK)
            self.entries[name] = info
        twice = twice_named(info.filename for info in infos if not info.is_dir())
        if twice is not None:
            raise error(QDPX_UNSAFE_PATH, path=self.shown, entry=twice, reason=TWICE_NAMED)
        self._index()

    def close(self) -> None:
        self.zip.close()
        self._handle.close()

    def read(self, name: str) -> bytes:
        """An entry's bytes, within the size, ratio and total limits."""
        return self._guard.read(self.zip, self.entries[name])

    def stream(self, name: str) -> Iterator[bytes]:
        again = name in self._streamed
        self._streamed.add(name)
        return self._guard.stream(self.zip, self.entries[name], again=again)

    def size(self, name: str) -> int:
        return self.entries[name].file_size


class QdeFolder(ProjectFiles):
    """A bare ``.qde`` with its sources in a ``sources/`` folder beside it (MAXQDA 24 writes this).

    The same look-ups and limits as an archive; only files in the .qde's folder are
    read (its ``sources/`` and ``qualcode/`` folders), never through a link that leads out.
    """

    def __init__(self, path: Path, report: Report) -> None:
        self.path = Path(path)
        self.shown = str(path)
        self.report = report
        self._read_total = 0
        self._streamed: set[str] = set()
        root = self.path.parent
        if not self.path.is_file():
            reason = "no such file" if not self.path.exists() else "it is a folder, a device or a pipe, not a file"
            raise error(QDPX_NOT_ZIP, path=self.shown, reason=reason)
        inside = root.resolve()
        self.entries: dict[str, Path] = {self.path.name: self.path}
        folders = [c for c in root.iterdir() if c.is_dir() and c.name.casefold() in ("sources", "qualcode")]
        self.missing_hint = str(folders[0] if folders else root / "sources")
        for folder in folders:
            for file in sorted(folder.rglob("*")):
                if len(self.entries) > MAX_ENTRIES:
                    raise error(QDPX_NOT_ZIP, path=self.shown, reason=f"more than {MAX_ENTRIES} files beside it")
                if not file.is_file():
                    continue
                if not file.resolve().is_relative_to(inside):
                    report.warn(f"{self.shown}: {file} links outside the project's folder; not read")
                    continue
                self.entries[file.relative_to(root).as_posix()] = file
        self._index()

    def read(self, name: str) -> bytes:
        """A file's bytes, within the size limits of an archive entry."""
        return b"".join(self._pieces(name, count=True))

    def stream(self, name: str) -> Iterator[bytes]:
        """A file's bytes in pieces, within the size limits of an archive entry (see :meth:`read`)."""
        again = name in self._streamed
        self._streamed.add(name)
        return self._pieces(name, count=not again)

    def size(self, name: str) -> int:
        try:
            return self.entries[name].stat().st_size
        except OSError:
            return 0  # reading it says what is wrong

    def _pieces(self, name: str, *, count: bool) -> Iterator[bytes]:
        """A file's bytes in pieces, checked against the entry limit and (if ``count``, adding
        to it) the total; capped even if the file grew since its size was read."""
        file = self.entries[name]
        assert isinstance(file, Path)
        read = size = 0
        try:
            size = file.stat().st_size
            if size > MAX_ENTRY_BYTES:
                raise FileTooBig(file, MAX_ENTRY_BYTES)
            if count and self._read_total + size > MAX_TOTAL_BYTES:
                raise error(QDPX_TOO_BIG, path=self.shown, entry=name, size=self._read_total + size, limit=MAX_TOTAL_BYTES)
            with open_limited(file, MAX_ENTRY_BYTES) as handle:
                while data := handle.read(1 << 20):
                    read += len(data)
                    if read > MAX_ENTRY_BYTES:  # it grew since
                        raise FileTooBig(file, MAX_ENTRY_BYTES)
                    if count:
                        self._read_total += len(data)
                    yield data
        except FileTooBig:
            raise error(QDPX_TOO_BIG, path=self.shown, entry=name, size=max(read, size), limit=MAX_ENTRY_BYTES) from None
        except OSError as exc:
            raise error(QDPX_NOT_ZIP, path=self.shown, reason=f"cannot read '{name}': {exc.strerror or exc}") from None


def open_project_file(path: Path, report: Report) -> ProjectFiles:
    """A .qdpx archive, or a bare .qde with its sources beside it."""
    if Path(path).suffix.casefold() == ".qde":
        return QdeFolder(path, report)
    return QdpxArchive(path, report)


def _safe_name(name: str, shown: str, what: str | None = None) -> str:
    """A '/'-separated relative name inside the archive, or QDPX_UNSAFE_PATH."""
    label = what or name
    normal = name.replace("\\", "/")
    parts = normal.split("/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise error(QDPX_UNSAFE_PATH, path=shown, entry=label, reason="an absolute path")
    if ".." in parts:
        raise error(QDPX_UNSAFE_PATH, path=shown, entry=label, reason="it climbs out of the archive with '..'")
    if "\x00" in normal:
        raise error(QDPX_UNSAFE_PATH, path=shown, entry=label, reason="a NUL character in the name")
    return "/".join(p for p in parts if p not in ("", "."))


class DeflatingZip:
    """A zip archive written on a second thread, entry after entry, as its bytes arrive.

    zlib (compressing) and the CRC release the GIL on large buffers, so the archive
    is deflated while the caller's Python makes the next bytes: an export takes the
    longer of the two instead of their sum. Hand it data in large pieces (a megabyte),
    so the thread rarely needs the GIL. At most ``limit`` bytes wait at a time (and
    always one piece, however large), so memory stays flat however large the archive
    grows; many small entries (an export's texts) need not wait for each other.

    Use it as a context manager: a clean exit writes the end of the archive, an
    exception stops the thread at once (the caller discards the half-written file).
    An error in the thread (a full disk) is raised in the caller at its next write.
    The archive's bytes are those ``zipfile`` writes given the same calls.
    """

    def __init__(self, handle: IO[bytes], *, level: int, limit: int = 4 << 20) -> None:
        self._zip = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=level)
        self._queue: queue.Queue[tuple[str, str, bytes] | None] = queue.Queue()
        self._limit = limit
        self._waiting = 0  # bytes handed over and not yet written
        self._room = threading.Condition()
        self._error: BaseException | None = None
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="qualcode-deflate", daemon=True)
        self._thread.start()

    def __enter__(self) -> DeflatingZip:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self._finish()
        else:
            self._stop = True
            self._finish(raising=False)

    def writestr(self, name: str, data: bytes) -> None:
        """A whole entry."""
        self._put("entry", name, data)

    def open(self, name: str) -> _Entry:
        """An entry written piece by piece (``force_zip64``: its size is not known ahead)."""
        self._put("open", name, b"")
        return _Entry(self)

    def _put(self, what: str, name: str, data: bytes) -> None:
        if self._error is not None:
            raise self._error
        with self._room:
            while self._waiting and self._waiting + len(data) > self._limit:
                self._room.wait()
            self._waiting += len(data)
        self._queue.put((what, name, data))

    def _written(self, size: int) -> None:
        with self._room:
            self._waiting -= size
            self._room.notify()

    def _finish(self, *, raising: bool = True) -> None:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None and raising:
            raise self._error

    def _run(self) -> None:
        entry: IO[bytes] | None = None
        while (item := self._queue.get()) is not None:
            what, name, data = item
            if self._stop or self._error is not None:
                self._written(len(data))
                continue  # drain, so the caller's put never blocks
            try:
                if what == "write" and entry is not None:
                    entry.write(data)
                elif what == "entry":
                    self._zip.writestr(name, data)
                elif what == "open":
                    entry = self._zip.open(name, "w", force_zip64=True)
                elif entry is not None:  # "close"
                    opened: IO[bytes] = entry
                    entry = None
                    opened.close()
            except BaseException as exc:  # handed to the caller's thread
                self._error = exc
            self._written(len(data))
        # Closed even after an error, as ``with ZipFile(...)`` would, so nothing is left to a finaliser.
        try:
            try:
                if entry is not None:
                    entry.close()
            finally:
                self._zip.close()
        except BaseException as exc:
            if self._error is None and not self._stop:
                self._error = exc


class _Entry:
    """One entry of a :class:`DeflatingZip` being written (a binary stream; close it)."""

    def __init__(self, archive: DeflatingZip) -> None:
        self._archive = archive

    def __enter__(self) -> _Entry:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()

    def write(self, data: bytes) -> int:
        """Queue ``data`` (keep it: the bytes are deflated later)."""
        self._archive._put("write", "", data)
        return len(data)

    def close(self) -> None:
        """End the entry."""
        self._archive._put("close", "", b"")
