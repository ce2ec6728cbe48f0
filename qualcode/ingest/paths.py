"""Which files an import is about: expanding arguments, reading bytes safely."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from qualcode.errors import FILE_NOT_FOUND, UNREADABLE_FILE, UNSUPPORTED_FORMAT, Report, error

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".md", ".docx", ".vtt", ".srt")
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
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda p: p.name):
                if not child.is_file() or child.name.startswith((".", "~$")):
                    continue
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
        else:
            raise error(FILE_NOT_FOUND, path=str(path))
    return transcripts, sidecars


def read_bytes(path: Path) -> bytes:
    """Read a whole file, turning OS errors into catalogue errors."""
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise error(FILE_NOT_FOUND, path=str(path)) from None
    except IsADirectoryError:
        raise error(UNREADABLE_FILE, path=str(path), reason="it is a directory") from None
    except OSError as exc:
        raise error(UNREADABLE_FILE, path=str(path), reason=exc.strerror or str(exc)) from None


# Control characters (C0, DEL, C1), line and paragraph separators, bidi controls and
# zero-width characters: none belongs in a name shown in tables and lists.
_NOT_IN_NAMES = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]+")


def clean_name(raw: str) -> str:
    """A transcript name safe to show in one table cell: no control characters, tabs or newlines.

    Runs of them become one space, other whitespace is collapsed, the ends are
    trimmed; a name with nothing left is ``"transcript"``.
    """
    return " ".join(_NOT_IN_NAMES.sub(" ", raw).split()) or "transcript"


def shown_name(name: str) -> str:
    """A file name for a message: control characters written as escapes (``a\\tb.txt``), never raw."""
    return name if name.isprintable() else repr(name)[1:-1]


def _suffix(path: Path) -> str:
    return path.suffix or "(no suffix)"
