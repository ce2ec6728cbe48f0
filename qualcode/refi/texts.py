"""The plain text of REFI-QDA sources and notes, as the producing tool wrote it."""

from __future__ import annotations

import codecs

from ..errors import QDPX_EXTERNAL_SOURCE, QDPX_SOURCE_UNDECODABLE, Report, error
from .archive import INTERNAL, QdpxArchive

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_text(data: bytes, shown: str, name: str, entry: str) -> str:
    """Decode a text source; a BOM is kept as U+FEFF (offsets may count from after it)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return "\ufeff" + data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise error(QDPX_SOURCE_UNDECODABLE, path=shown, name=name, entry=entry, reason=_where(exc, len(bom))) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(QDPX_SOURCE_UNDECODABLE, path=shown, name=name, entry=entry, reason=_where(exc, 0)) from None


def _where(exc: UnicodeDecodeError, skip: int) -> str:
    return f"bad byte 0x{exc.object[exc.start]:02x} at byte offset {skip + exc.start}"


def read_plain_text(archive: QdpxArchive, ref: str, name: str, report: Report) -> tuple[str, bytes]:
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
