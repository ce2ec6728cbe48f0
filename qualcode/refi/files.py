"""Reading a codebook from any file a researcher may hand us: YAML, .qdc, .qdpx, .qde."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..codebook import Codebook, load_codebook
from ..errors import (
    CODEBOOK_FILE_TYPE,
    FILE_NOT_FOUND,
    QDPX_TOO_BIG,
    UNREADABLE_FILE,
    QualcodeError,
    Report,
    error,
    retold,
)
from ..ingest.paths import FileTooBig, read_limited
from .archive import MAX_ENTRY_BYTES, QdpxArchive
from .codebook_xml import read_qdc, title_from_path, to_codebook
from .colors import explicit_yaml_colors
from .project_read import read_project, read_project_sources_dropped

YAML_SUFFIXES = (".yaml", ".yml")
REFI_SUFFIXES = (".qdc", ".qdpx", ".qde")


@dataclass(slots=True)
class CodebookFile:
    """A codebook as read from a file, with what the file said explicitly."""

    path: Path
    book: Codebook
    kind: str  # "yaml", "qdc", "qdpx" or "qde"
    explicit_colors: set[str] = field(default_factory=set)  # ids whose colour the file gives (not the palette's)


def read_file_bytes(path: Path, limit: int = MAX_ENTRY_BYTES) -> bytes:
    """A file's bytes (up to ``limit``), or a catalogue error naming the file."""
    path = Path(path)
    try:
        return read_limited(path, limit)
    except FileNotFoundError:
        raise error(FILE_NOT_FOUND, path=path) from None
    except FileTooBig:
        raise error(QDPX_TOO_BIG, path=path, entry=path.name, size=path.stat().st_size, limit=limit) from None
    except OSError as exc:
        raise error(UNREADABLE_FILE, path=path, reason=exc.strerror or exc) from None


def load_codebook_file(
    path: Path, report: Report, *, known: Codebook | None = None, refused: str = "nothing was imported"
) -> CodebookFile:
    """Load a codebook from YAML or from a REFI-QDA codebook or project.

    ``known``: the codebook REFI codes may have come from; codes found in it by GUID
    keep their id, key and hints (see :func:`.codebook_xml.to_codebook`). ``refused``: what
    the caller did not do if the REFI-QDA file is refused (e.g. "nothing was compared").
    """
    try:
        return _load_codebook_file(Path(path), report, known)
    except QualcodeError as exc:
        raise retold(exc, refused) from None


def _load_codebook_file(path: Path, report: Report, known: Codebook | None) -> CodebookFile:
    suffix = path.suffix.lower()
    if suffix in YAML_SUFFIXES:
        if not path.exists():
            raise error(FILE_NOT_FOUND, path=path)
        book = load_codebook(path)
        return CodebookFile(path, book, "yaml", explicit_yaml_colors(path))
    if suffix == ".qdc":
        refi = read_qdc(read_file_bytes(path), str(path), report)
        title = title_from_path(path)
    elif suffix == ".qdpx":
        with QdpxArchive(path, report) as archive:
            entry = archive.project_entry()
            project = read_project_sources_dropped(lambda: archive.stream(entry), f"{path}/{entry}", report)
        refi, title = project.codebook, project.name or title_from_path(path)
    elif suffix == ".qde":
        project = read_project(read_file_bytes(path), str(path), report)
        refi, title = project.codebook, project.name or title_from_path(path)
    else:
        raise error(CODEBOOK_FILE_TYPE, path=path, suffix=path.suffix or "(no suffix)")
    documents = [s.name for s in refi.sets if s.source_guids and not s.code_guids]
    if documents:
        report.warn(f"{len(documents)} set(s) of documents are not part of a codebook; left out: {', '.join(documents[:5])}")
    book = to_codebook(refi, title=title, report=report, known=known)
    if known is not None:
        # A .qdc has no title, version, authors ...: keep those of the codebook it updates.
        for attr in ("title", "version", "authors", "licence", "description", "guid"):
            setattr(book, attr, getattr(known, attr))
        book.language = book.language or known.language
    colored = {guid for guid in (c.guid for c in refi.walk() if c.color)}
    explicit = {c.id for c in book.walk() if c.guid in colored}
    book.path = path
    return CodebookFile(path, book, suffix[1:], explicit)
