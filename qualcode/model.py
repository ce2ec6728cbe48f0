"""Plain data objects shared by every layer.

Offsets are half-open ranges ``[start, end)`` of Unicode code points into a
transcript's normalised text (BOM removed, CRLF -> LF, NFC); this is what
Python's ``str`` indexes and what REFI-QDA specifies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

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

    @property
    def content_hash(self) -> str:
        return sha256_text(self.text)

    @property
    def word_count(self) -> int:
        return sum(len(self.text[t.start : t.end].split()) for t in self.turns)


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
