"""Readers for subtitle transcripts: WebVTT (.vtt) and SubRip (.srt), via webvtt-py.

Each cue is split at its voice tags (``<v Name>``). Consecutive cues of the same
voice are merged into one turn: ``time_start`` of its first cue, ``time_end`` of
its last, cue texts joined by ``\\n``. A cue without a voice tag is a turn of its
own; its speaker comes from a ``Name:`` label at the start of its text when
there is one, else it is None.

The stored text is built from the turns, separated by blank lines. A voiced turn
is written ``Name: text`` so that the text alone still says who speaks (as in a
text transcript); the turn's span covers the text only. Other cue tags
(``<i>``, ``<c.x>``, ``<00:00:01.000>``, ``<font>``) are removed and, for
WebVTT, character references (``&amp;``) resolved.
"""

from __future__ import annotations

import html
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from qualcode.errors import BAD_DOCUMENT, error
from qualcode.ingest.decode import decode, normalise
from qualcode.ingest.labels import ALONE_COLON, INLINE, classify_line
from qualcode.model import Transcript, Turn

if TYPE_CHECKING:
    from webvtt import Caption

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>]*)>")
_TAG = re.compile(r"<[^<>\n]*>")
_ASS_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")  # {\an8} and friends in .srt files

_HINTS = {
    "vtt": (
        "WebVTT",
        "a WebVTT file starts with a line 'WEBVTT', then cues like "
        "'00:00:01.000 --> 00:00:04.000' followed by their text",
    ),
    "srt": (
        "SubRip (.srt)",
        "an .srt file holds numbered cues: '1', then '00:00:01,000 --> 00:00:04,000', then the text",
    ),
}


@dataclass(slots=True)
class _Segment:
    """The text of one voice within one cue."""

    voice: str | None
    text: str
    start: float
    end: float


@dataclass(slots=True)
class _Group:
    """Segments that become one turn."""

    speaker: str | None
    voiced: bool
    start: float
    end: float
    texts: list[str] = field(default_factory=list)


def read_vtt(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Read a WebVTT file; see the module docstring for how cues become turns."""
    return _read(data, path, encoding, "vtt")


def read_srt(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Read a SubRip file; see the module docstring for how cues become turns."""
    return _read(data, path, encoding, "srt")


def _read(data: bytes, path: Path, encoding: str | None, fmt: str) -> Transcript:
    raw, used = decode(data, path, encoding)
    source = normalise(raw)
    captions = _parse(source, path, fmt)
    segments = [segment for caption in captions for segment in _segments(caption, fmt)]
    text, turns = _assemble(_group(segments))
    return Transcript(name=path.stem, text=text, turns=turns, encoding=used)


def _parse(source: str, path: Path, fmt: str) -> list[Caption]:
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    kind, hint = _HINTS[fmt]
    try:
        if fmt == "vtt":
            return list(webvtt.from_string(source).captions)
        return list(webvtt.from_buffer(io.StringIO(source), format="srt").captions)
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        reason = str(exc).strip() or "invalid format"
        if reason == "Invalid format":
            reason = "the header or first cue is not in the expected format"
        raise error(BAD_DOCUMENT, path=str(path), kind=kind, reason=reason, hint=hint) from None


def _segments(caption: Caption, fmt: str) -> list[_Segment]:
    start = caption.start_time.in_milliseconds() / 1000
    end = caption.end_time.in_milliseconds() / 1000
    # split() with one group gives [before, voice1, text1, voice2, text2, ...]
    parts = _VOICE.split(caption.raw_text)
    chunks: list[tuple[str | None, str]] = [(None, parts[0])]
    chunks += [(parts[i].strip() or None, parts[i + 1]) for i in range(1, len(parts), 2)]
    segments = []
    for voice, chunk in chunks:
        cleaned = _clean(chunk, fmt)
        if cleaned:
            segments.append(_Segment(voice, cleaned, start, end))
    return segments


def _clean(chunk: str, fmt: str) -> str:
    chunk = _TAG.sub("", chunk)
    if fmt == "vtt":
        chunk = html.unescape(chunk)
    else:
        chunk = _ASS_OVERRIDE.sub("", chunk)
    lines = [line.strip() for line in chunk.split("\n")]
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def _group(segments: list[_Segment]) -> list[_Group]:
    groups: list[_Group] = []
    for seg in segments:
        if seg.voice is None:
            speaker, col = _inline_label(seg.text)
            if speaker is not None:
                seg = _Segment(speaker, seg.text[col:].strip(), seg.start, seg.end)
        last = groups[-1] if groups else None
        if seg.voice is not None and last is not None and last.voiced and last.speaker == seg.voice:
            last.texts.append(seg.text)
            last.end = seg.end
            continue
        groups.append(_Group(seg.voice, seg.voice is not None, seg.start, seg.end, [seg.text]))
    return groups


def _inline_label(text: str) -> tuple[str | None, int]:
    """A ``Name: text`` (or ``NAME:`` then text below) label at the start of a cue."""
    first, _, below = text.partition("\n")
    candidate = classify_line(first)
    if candidate is None or not (candidate.strong or candidate.name_like):
        return None, 0
    if candidate.form == INLINE and candidate.content_col is not None:
        return candidate.speaker, candidate.content_col
    if candidate.form == ALONE_COLON and below:
        return candidate.speaker, len(first) + 1
    return None, 0


def _assemble(groups: list[_Group]) -> tuple[str, list[Turn]]:
    pieces: list[str] = []
    turns: list[Turn] = []
    pos = 0
    for group in groups:
        if pieces:
            pieces.append("\n\n")
            pos += 2
        if group.voiced:
            prefix = f"{group.speaker}: "
            pieces.append(prefix)
            pos += len(prefix)
            body = "\n".join(group.texts)
            start = pos
        else:
            body = group.texts[0]
            start = pos
        pieces.append(body)
        pos += len(body)
        turns.append(Turn(len(turns) + 1, group.speaker, start, pos, group.start, group.end))
    return "".join(pieces), turns
