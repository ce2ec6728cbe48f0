"""Which files an import is about: expanding arguments, reading bytes safely."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from qualcode.errors import (
    FILE_NOT_FOUND,
    FILE_TOO_BIG,
    NOT_UTF8_NAME,
    NOTHING_TO_IMPORT,
    UNREADABLE_FILE,
    UNSUPPORTED_FORMAT,
    QualcodeError,
    Report,
    error,
)
from qualcode.termsafe import normal_name

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".vtt", ".srt", ".rtf")
ATTRIBUTES_SIDECAR = "attributes.csv"
CODINGS_SIDECAR = "codings.csv"
SIDECARS = frozenset({ATTRIBUTES_SIDECAR, CODINGS_SIDECAR})


def expand_paths(paths: Iterable[str | Path], report: Report | None = None) -> tuple[list[Path], list[Path]]:
    """Turn import arguments into ``(transcript files, sidecar CSV files)``.

    A directory contributes its supported files, sorted by name, not recursing;
    its ``attributes.csv`` and ``codings.csv`` are returned as sidecars; hidden
    files and Word lock files (``~$x.docx``) are ignored; any other file is
    skipped with a warning on ``report``. A file named explicitly must be a
    supported transcript or a ``.csv`` (returned as a sidecar: ``codings.csv``
    holds codings, any other name is read as attributes); anything else is an
    UNSUPPORTED_FORMAT error. A missing path is FILE_NOT_FOUND. Duplicates are
    dropped, keeping the first. Sidecar names are matched case-insensitively
    and returned as found on disk.
    """
    transcripts: list[Path] = []
    sidecars: list[Path] = []
    seen: set[Path] = set()

    def add(target: list[Path], path: Path) -> None:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            target.append(path)

    for arg in paths:
        path = Path(arg)
        refuse_non_utf8(str(path), "the file name")
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                if child.name.startswith((".", "~$")):
                    continue
                if not child.is_file():
                    if report is not None:
                        what = (
                            "a folder (sub-folders are not imported: name it to import it)"
                            if child.is_dir()
                            else _not_a_file(child)
                        )
                        report.warn(f"{shown_path(child)}: skipped, {what}")
                    continue
                refuse_non_utf8(str(child), "the file name")
                if child.name.casefold() in SIDECARS:
                    add(sidecars, child)
                elif child.suffix.casefold() in SUPPORTED_SUFFIXES:
                    add(transcripts, child)
                elif report is not None:
                    report.warn(f"{child}: skipped, not a transcript ({_suffix(child)})")
        elif path.is_file():
            suffix = path.suffix.casefold()
            if suffix == ".csv":
                add(sidecars, path)
            elif suffix in SUPPORTED_SUFFIXES:
                add(transcripts, path)
            else:
                raise error(UNSUPPORTED_FORMAT, path=str(path), suffix=_suffix(path))
        elif path.exists() or path.is_symlink():
            raise error(UNREADABLE_FILE, path=str(path), reason=_not_a_file(path))
        else:
            raise error(FILE_NOT_FOUND, path=str(path))
    return transcripts, sidecars


def nothing_to_import(paths: Iterable[str | Path]) -> QualcodeError:
    """The error for import arguments in which :func:`expand_paths` found no file to import."""
    return error(NOTHING_TO_IMPORT, paths=", ".join(shown_path(Path(p)) for p in paths))


def _not_a_file(path: Path) -> str:
    """Why ``path``, which exists or is a link, is not a file qualcode can read."""
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "it is a link that leads back to itself (a loop of links)"
        if path.is_symlink():
            return f"it is a link to {shown_path(os.readlink(path))}, which does not exist"
        return exc.strerror or str(exc)
    return "it is a device, a pipe or a socket, not a file"


def shown_path(path: str | Path) -> str:
    """A path (or name) for messages, with bytes that are not UTF-8 shown as ``\\xe9``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def refuse_non_utf8(text: str, what: str) -> None:
    """NOT_UTF8_NAME when ``text`` (an argument or a file name) holds bytes that are not
    UTF-8 (Python keeps them as lone surrogates, which no database or file can store)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        bad = os.fsencode(text[exc.start])[0]
        raise error(NOT_UTF8_NAME, what=what, shown=shown_path(text), byte=bad) from None


# What one file read whole may hold: far above any real transcript (the longest
# interviews are a few MB) or codings file, far below what exhausts memory once decoded.
TRANSCRIPT_LIMIT = 64 * 1024 * 1024
CODINGS_LIMIT = 256 * 1024 * 1024
SETTINGS_LIMIT = 32 * 1024 * 1024  # a codebook, qualcode.yaml, the keymap, a names file
CODINGS_TOO_BIG_HINT = "split the file into parts and apply them one after another"


class FileTooBig(OSError):
    """A file larger than the reader's limit; ``strerror`` says so for people."""

    def __init__(self, path: Path, limit: int) -> None:
        super().__init__(
            errno.EFBIG, f"it is larger than the {limit // (1024 * 1024)} MB qualcode reads from such a file", str(path)
        )
        self.limit = limit


def open_limited(path: Path, limit: int) -> BinaryIO:
    """A regular file opened for reading, if it holds at most ``limit`` bytes, or an OSError
    whose ``strerror`` says what is wrong for people: a folder (IsADirectoryError), a device,
    pipe or socket (which would block or never end), a file over ``limit`` (:class:`FileTooBig`).
    The caller caps what it reads (the file may grow, or lie about its size as /proc does)."""
    info = os.stat(path)
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise OSError(errno.EINVAL, "it is a device, a pipe or a socket, not a file", str(path))
    if info.st_size > limit:
        raise FileTooBig(path, limit)
    return open(path, "rb")  # noqa: SIM115 - the caller closes it


def read_limited(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` of them (see :func:`open_limited`). The size
    is checked before reading and the read is capped, so neither a huge file nor one that
    grows can exhaust memory."""
    with open_limited(path, limit) as handle:
        # The size it says first (one byte more shows it grew, or lied): read(limit + 1)
        # sized its buffer by the limit, a fifth of an import's reading time.
        size = min(os.fstat(handle.fileno()).st_size, limit)  # it may have grown since
        data = handle.read(size + 1)
        if len(data) > size:
            data += handle.read(limit + 1 - len(data))
    if len(data) > limit:
        raise FileTooBig(path, limit)
    return data


def read_bytes(path: Path, limit: int = TRANSCRIPT_LIMIT, *, noun: str = "a transcript", hint: str = "") -> bytes:
    """Read a whole file (see :func:`read_limited`), turning OS errors into catalogue errors."""
    try:
        return read_limited(Path(path), limit)
    except FileNotFoundError:
        raise error(FILE_NOT_FOUND, path=str(path)) from None
    except FileTooBig as exc:
        hint = hint or "split the transcript into several files, or check that this is the transcript"
        raise error(FILE_TOO_BIG, path=str(path), limit=exc.limit // (1024 * 1024), noun=noun, hint=hint) from None
    except OSError as exc:
        raise error(UNREADABLE_FILE, path=str(path), reason=exc.strerror or str(exc)) from None


def read_stream(stream, name: str, limit: int, *, noun: str, hint: str) -> bytes:
    """At most ``limit`` bytes of a binary stream (stdin), or FILE_TOO_BIG."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise error(FILE_TOO_BIG, path=name, limit=limit // (1024 * 1024), noun=noun, hint=hint)
    return data


def clean_name(raw: str) -> str:
    """A transcript name safe to show in one table cell (:func:`~qualcode.termsafe.normal_name`:
    NFC, no control characters, tabs or newlines); a name with nothing left is ``"transcript"``."""
    return normal_name(raw) or "transcript"


def shown_name(name: str) -> str:
    """A file name for a message: control characters written as escapes (``a\\tb.txt``), never raw."""
    return name if name.isprintable() else repr(name)[1:-1]


def _suffix(path: Path) -> str:
    return path.suffix or "(no suffix)"
