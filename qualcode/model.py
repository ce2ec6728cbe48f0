"""Plain data objects shared by every layer.

Offsets are half-open ranges ``[start, end)`` of Unicode code points into a
transcript's normalised text (BOM removed, CRLF -> LF, NFC); this is what
Python's ``str`` indexes and what REFI-QDA specifies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

INTERVIEWER = "interviewer"
RESPONDENT = "respondent"

MANUAL = "manual"
SUGGESTED = "suggested"

PENDING = "pending"
ACCEPTED = "accepted"
REJECTED = "rejected"


def sha256_text(text: str) -> str:
    """Content hash of a normalised text (used to recognise duplicate imports)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def memo_with(memo: str | None, added: str | None) -> str | None:
    """``memo`` with ``added`` after it (a blank line between), or None when ``added`` says
    nothing ``memo`` does not hold already (a second import or merge of the same memo)."""
    added = (added or "").strip()
    if not added or (memo and added in memo):
        return None
    return f"{memo}\n\n{added}" if memo else added


class _Identified(Protocol):
    @property
    def id(self) -> int | None: ...


def stored_id(item: _Identified) -> int:
    """The id of a transcript, coding... read from the store (only one not yet added has none)."""
    if item.id is None:
        raise ValueError(f"this {type(item).__name__} has not been stored yet")
    return item.id


# Every Latin-1 character as b" " (whitespace to str.split()) or b"x"; a wider character
# is encoded as b"?" (errors="replace"), one byte per code point, so byte offsets are offsets.
_LATIN1_SPACE_TABLE = bytes(32 if chr(b).isspace() else 120 for b in range(256))
# The whitespace beyond Latin-1 (str.split() separates words on it). ``in`` costs nothing for
# them on a text of Latin-1 characters only (CPython knows no wider character can be in it).
_WIDE_SPACES = "\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"


def span_words(text: str, spans: Iterable[tuple[int, int]]) -> list[int]:
    """``len(text[start:end].split())`` of each ``(start, end)``, without splitting.

    An import counts the words of every turn: the text is mapped once to one byte per
    character (whitespace or not) and each span's word starts are counted in it by
    ``bytes.count``, ~5x faster than splitting each turn.
    """
    if not text.isascii() and any(space in text for space in _WIDE_SPACES):  # rare: split
        return [len(text[start:end].split()) for start, end in spans]
    # marks[i + 1] is character i; a word starts at i where marks[i:i + 2] == b" x".
    marks = (b" " + text.encode("latin-1", "replace")).translate(_LATIN1_SPACE_TABLE)
    count, size = marks.count, len(text)
    counts = []
    for start, end in spans:
        if start < 0 or end < 0 or end > size:  # as slicing reads them
            start, end, _ = slice(start, end).indices(size)
        if start >= end:
            counts.append(0)
        else:  # word starts inside, plus a word the span's start cuts
            counts.append(count(b" x", start, end + 1) + (marks[start] == marks[start + 1] == 120))
    return counts


@dataclass(slots=True)
class Turn:
    """One speaker turn: the span of its content (label and timestamp excluded)."""

    index: int  # 1-based turn number within the transcript
    speaker: str | None
    start: int
    end: int
    time_start: float | None = None  # seconds from the start of the recording
    time_end: float | None = None
    role: str | None = None  # INTERVIEWER, RESPONDENT or None (unknown)


@dataclass(slots=True)
class Transcript:
    """A decoded, normalised transcript with its turns, before or after storing."""

    name: str
    text: str
    turns: list[Turn]
    attributes: dict[str, str] = field(default_factory=dict)
    source_path: Path | None = None
    source_format: str = "txt"
    source_hash: str | None = None  # sha256 of the raw bytes read from disk
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)
    id: int | None = None  # set once stored
    guid: str | None = None  # REFI-QDA GUID, kept across exports
    memo: str | None = None  # a memo on the transcript as a whole (a REFI-QDA source's <Description>)
    # Speaker labels its header names as the interviewer ("Interviewer: Sanne de Vries" where
    # "Sanne:" speaks), each with that header line: the import's roles where nothing else says.
    header_interviewers: dict[str, str] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return sha256_text(self.text)

    @property
    def word_count(self) -> int:
        """Words inside the turns (labels, timestamps and text outside turns not counted)."""
        return sum(span_words(self.text, [(t.start, t.end) for t in self.turns]))


@dataclass(slots=True)
class Coding:
    """One code applied to one span of one transcript."""

    id: int | None
    transcript_id: int
    start: int
    end: int
    code_id: str
    coder: str
    quote: str
    memo: str | None = None
    origin: str = MANUAL
    created_at: str | None = None
    updated_at: str | None = None
    suggestion_id: int | None = None
