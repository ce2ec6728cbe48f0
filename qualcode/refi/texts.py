"""The plain text of REFI-QDA sources and notes, as the producing tool wrote it."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import (
    EMPTY_FILE,
    QDPX_EXTERNAL_SOURCE,
    QDPX_SOURCE_REFUSED,
    QDPX_SOURCE_UNDECODABLE,
    UNDECODABLE,
    QualcodeError,
    Report,
    error,
)
from ..ingest import decode
from .archive import INTERNAL, ProjectFiles

# The byte-order marks qualcode.ingest.decode recognises (its text comes without them).
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decode_text(data: bytes, shown: str, name: str, entry: str) -> str:
    """Decode a text source as the .txt importer decodes a transcript.

    The same rules (:func:`qualcode.ingest.decode`): strict UTF-8 (or UTF-16/32 with a
    BOM), NUL and binary data refused with the byte offset. Unlike a transcript, a
    BOM is kept as U+FEFF (some tools count positions from it) and an empty source is
    text too (NVivo for Mac writes them).
    """
    bom = next((b for b in _BOMS if data.startswith(b)), None)
    try:
        text, _ = decode(data, Path(entry))
    except QualcodeError as exc:
        reason = exc.message.split(": ", 1)[-1]
        if exc.code == EMPTY_FILE.code:
            return "\ufeff" if bom else ""
        if exc.code == UNDECODABLE.code:
            raise error(QDPX_SOURCE_UNDECODABLE, path=shown, name=name, entry=entry, reason=reason) from None
        raise error(QDPX_SOURCE_REFUSED, path=shown, name=name, entry=entry, reason=reason) from None
    return "\ufeff" + text if bom else text


def read_plain_text(archive: ProjectFiles, ref: str, name: str, report: Report) -> tuple[str, bytes]:
    """The raw text behind a ``plainTextPath``, and its bytes.

    Only sources inside the archive are read: ``relative://`` and ``absolute://``
    would make an import depend on (and read from) places outside the file.
    """
    if ref.startswith(("relative://", "absolute://")):
        raise error(QDPX_EXTERNAL_SOURCE, path=archive.shown, name=name, ref=ref)
    if not ref.startswith(INTERNAL):
        report.warn(f"{archive.shown}: source '{name}': path '{ref}' has no internal:// scheme; looked up in the archive")
        ref = INTERNAL + ref
    entry = archive.find_internal(ref, name)
    data = archive.read(entry)
    return decode_text(data, archive.shown, name, entry), data
