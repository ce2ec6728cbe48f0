"""Size and ratio limits for zip archives we read (.qdpx projects, .docx transcripts).

An archive from elsewhere may be damaged or made to attack: one small file can
declare (or really hold) gigabytes, or a header can understate what an entry
inflates to. Before anything is decompressed, :class:`ZipGuard` checks what the
central directory declares -- the number of entries, each entry's size, the total,
and how many times an entry expands (a zip bomb does 1000x and more; text
compresses 3-10x and XML up to ~30x) -- and :meth:`ZipGuard.read` never reads more
than an entry declares.

The caller chooses the limits and the catalogue messages, so that each format
says what to do in its own terms. Both messages are filled with ``path``,
``entry`` and ``size``; the too-big one also with ``limit``, the bomb one with
``ratio`` and ``packed``.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .errors import A_LINK, TWICE_NAMED, Msg, QualcodeError, error


def twice_named(names: Iterable[str]) -> str | None:
    """The first name that another entry also has, or None. Names are compared as a reader
    would look them up: ``\\`` as ``/``, empty and ``.`` parts dropped, case ignored. An
    archive made to attack can hold two entries of one name, so that one tool reads one
    and another tool the other."""
    seen: set[str] = set()
    for name in names:
        key = "/".join(p for p in name.replace("\\", "/").split("/") if p not in ("", ".")).casefold()
        if key in seen:
            return name
        seen.add(key)
    return None


def is_link(info: zipfile.ZipInfo) -> bool:
    """Whether an entry is a symbolic link (a Unix zip keeps the file mode in the high 16 bits
    of its external attributes). Its bytes are the path it points to, not a file's content:
    read as a file they are a wrong text, and unpacked it may point anywhere."""
    return stat.S_ISLNK(info.external_attr >> 16)


@dataclass(frozen=True, slots=True)
class ZipLimits:
    """How much one archive may hold."""

    max_entries: int
    max_entry_bytes: int  # one entry, uncompressed
    max_total_bytes: int  # all entries read from one archive, uncompressed
    max_ratio: int = 200  # uncompressed / compressed size of one entry
    ratio_floor: int = 1024 * 1024  # entries smaller than this may compress as well as they like


class ZipGuard:
    """Checks entries of one archive against :class:`ZipLimits`, raising catalogue errors."""

    def __init__(self, shown: str, limits: ZipLimits, too_big: Msg, bomb: Msg, unreadable: Msg, **context: object) -> None:
        """``unreadable`` is filled with ``path`` and ``reason`` (a damaged entry); every
        message also with ``context`` (placeholders a format's messages need besides these)."""
        self.shown = shown
        self.limits = limits
        self.too_big = too_big
        self.bomb = bomb
        self.unreadable = unreadable
        self.context = context
        self.total = 0  # bytes read (or, with check_all, declared) so far

    def _error(self, msg: Msg, **values: object) -> QualcodeError:
        # ``problems`` named so that mypy knows the context cannot fill it
        return error(msg, problems=None, **self.context, path=self.shown, **values)

    def check(self, info: zipfile.ZipInfo, *, total: bool = True) -> None:
        """Refuse an entry that is encrypted, too large, or expands like a zip bomb, or (unless
        ``total`` is False) breaks the total."""
        if info.flag_bits & 0x1:
            raise self._error(
                self.unreadable, reason=f"'{info.filename}' is encrypted (the archive is protected with a password)"
            )
        if is_link(info):
            raise self._error(self.unreadable, reason=f"'{info.filename}' is {A_LINK}")
        limits = self.limits
        size, packed = info.file_size, max(info.compress_size, 1)
        if size > limits.max_entry_bytes:
            raise self._error(self.too_big, entry=info.filename, size=size, limit=limits.max_entry_bytes)
        if size > limits.ratio_floor and size > limits.max_ratio * packed:
            raise self._error(self.bomb, entry=info.filename, ratio=size // packed, packed=info.compress_size, size=size)
        if total and self.total + size > limits.max_total_bytes:
            raise self._error(self.too_big, entry=info.filename, size=self.total + size, limit=limits.max_total_bytes)

    def check_all(self, archive: zipfile.ZipFile) -> None:
        """Check every entry and their sum, for a reader (python-docx) that reads them all;
        refuse a name the archive holds twice."""
        infos = archive.infolist()
        if len(infos) > self.limits.max_entries:
            raise self._error(self.unreadable, reason=f"{len(infos)} entries, more than the {self.limits.max_entries} allowed")
        twice = twice_named(info.filename for info in infos)
        if twice is not None:
            raise self._error(self.unreadable, reason=f"'{twice}': {TWICE_NAMED}")
        for info in infos:
            self.check(info)
            self.total += info.file_size

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        """An entry's bytes after :meth:`check`, never more than its header declares."""
        return b"".join(self.stream(archive, info, piece=info.file_size + 1))

    def stream(
        self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, piece: int = 1 << 20, again: bool = False
    ) -> Iterator[bytes]:
        """An entry's bytes in pieces of ``piece`` bytes, with the checks of :meth:`read`
        (a large entry need not be held at once). ``again``: the entry was read before;
        it is not counted twice towards the total."""
        self.check(info, total=not again)
        left = info.file_size + 1  # one byte more than declared: if it comes, the header lied
        try:
            with archive.open(info) as handle:
                while left > 0:
                    data = handle.read(min(piece, left))
                    if not data:
                        break
                    left -= len(data)
                    if left == 0:
                        raise self._error(
                            self.bomb,
                            entry=info.filename,
                            ratio="?",
                            packed=info.compress_size,
                            size=f"more than the declared {info.file_size}",
                        )
                    if not again:
                        self.total += len(data)
                    yield data
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError) as exc:
            raise self._error(self.unreadable, reason=f"cannot read '{info.filename}': {exc}") from None
