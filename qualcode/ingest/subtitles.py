"""Readers for subtitle transcripts: WebVTT (.vtt) and SubRip (.srt).

Reading is lenient because the words matter more than the timing: the file is cut
into blocks at blank lines and every block that holds text ends up in the
transcript. What the formats call invalid is read as well as it can be and
reported in a warning that names the lines:

* a cue time that cannot be read (``00:00:0X.000``, ``-00:00:01.000``, minutes or
  seconds past 59) or a timing line without ``-->``: the text is kept without
  that time;
* a cue that ends before it starts: the end time is left out;
* a cue of the same voice as the turn above that starts before that turn does (cues out
  of order): a turn of its own, not merged into one that would end before it starts;
* text outside any cue (a blank line inside a cue splits it in two): kept as a
  turn of its own, without a time;
* two cues without a blank line between them are still two cues.

``NOTE``, ``STYLE`` and ``REGION`` blocks, the ``WEBVTT`` header, cue numbers and
identifiers and cue settings (``align:start``) are not text; a cue without text
is skipped. A file without a single ``-->`` timing line is not a subtitle file
(BAD_DOCUMENT).

Each cue is split at its voice tags (``<v Name>``). Consecutive cues of the same
voice are merged into one turn: ``time_start`` of its first cue, ``time_end`` of
its last, cue texts joined by ``\\n``. A cue without a voice tag is a turn of its
own; its speaker comes from a ``Name:`` label at the start of its text when
there is one, else it is None.

The stored text is built from the turns, separated by blank lines. A voiced turn
is written ``Name: text`` so that the text alone still says who speaks (as in a
text transcript); the turn's span covers the text only. Markup tags
(``<i>``, ``<c.x>``, ``<00:00:01.000>``, ``<font color=red>``) are removed -- but
not a ``<`` that starts no tag, as in ``a < b`` -- and, for WebVTT, character
references (``&amp;``) resolved.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from qualcode.errors import BAD_DOCUMENT, error
from qualcode.ingest.decode import decode, normalise
from qualcode.ingest.labels import ALONE_COLON, INLINE, classify_line
from qualcode.ingest.turns import line_ranges
from qualcode.model import Transcript, Turn

_VOICE = re.compile(r"<v(?:\.[^\s>]*)?[ \t]+([^>\n]*)>")
# A tag starts with a letter (after an optional '/'), or is a cue timestamp.
_TAG = re.compile(r"<(?:/?[A-Za-z][\w.\-]*(?:[ \t][^<>\n]*)?|/?|\d[\d:.]*)>")
_ASS_OVERRIDE = re.compile(r"\{\\[^{}\n]*\}")  # {\an8} and friends in .srt files
# hh:mm:ss.ttt or mm:ss.ttt; ',' too (SubRip), fraction optional; hours any width up to 9 digits.
_TIME = re.compile(r"(?:(\d{1,9}):)?(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?")
# A line of digits, colons and separators only: a timing line that lost its arrow. The
# "\d:\d" is looked for ahead, not between two runs of the same characters (which tried
# every split of a long "1:1:1:...x" line: quadratic).
_TIMEISH = re.compile(r"(?=(?s:.)*?\d:\d)[\d:.,\s\-–>]*+")
_NON_TEXT_BLOCK = re.compile(r"(?:NOTE|STYLE|REGION)(?:[ \t]|$)")
_HEADER = re.compile(r"WEBVTT(?:[ \t]|$)")

_HINTS = {
    "vtt": (
        "WebVTT",
        "a WebVTT file starts with a line 'WEBVTT', then cues like '00:00:01.000 --> 00:00:04.000' followed by their text",
    ),
    "srt": (
        "SubRip (.srt)",
        "an .srt file holds numbered cues: '1', then '00:00:01,000 --> 00:00:04,000', then the text",
    ),
}

# What a damaged cue becomes, by kind of damage: (message after the line numbers).
_PROBLEMS = {
    "time": "a cue time cannot be read: the text is kept, without that time",
    "arrow": "a cue timing line has no '-->': read as timing, the text is kept",
    "reversed": "a cue ends before it starts: its end time is left out",
    "backwards": "a cue starts before the turn of the same voice above it: kept as a turn of its own",
    "stray": "text outside any cue (a blank line inside a cue?): kept as a turn of its own, without a time",
    "header": "no blank line after the WEBVTT header: the cue below it is read anyway",
}


@dataclass(slots=True)
class _Cue:
    """One cue as read from the file: its times (None if unreadable) and text lines."""

    start: float | None
    end: float | None
    lines: list[str]
    line: int = 0  # the file's line of its timing line


@dataclass(slots=True)
class _Segment:
    """The text of one voice within one cue."""

    voice: str | None
    text: str
    start: float | None
    end: float | None
    line: int = 0


@dataclass(slots=True)
class _Group:
    """Segments that become one turn."""

    speaker: str | None
    voiced: bool
    start: float | None
    end: float | None
    texts: list[str] = field(default_factory=list)


def read_vtt(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Read a WebVTT file; see the module docstring for how cues become turns."""
    return _read(data, path, encoding, "vtt")


def read_srt(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Read a SubRip file; see the module docstring for how cues become turns."""
    return _read(data, path, encoding, "srt")


def _read(data: bytes, path: Path, encoding: str | None, fmt: str) -> Transcript:
    raw, used = decode(data, path, encoding)
    parser = _Parser(normalise(raw), path, fmt)
    cues = parser.cues()
    segments = [segment for cue in cues for segment in _segments(cue, fmt)]
    text, turns = _assemble(_group(segments, parser))
    return Transcript(name=path.stem, text=text, turns=turns, encoding=used, warnings=parser.warnings())


def parse_time(value: str) -> float | None:
    """Seconds of a cue time (``01:02:03.500``, ``02:03,5``), or None if it is not one."""
    m = _TIME.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, secs, fraction = m.groups()
    if int(secs) > 59 or int(minutes) > 59:
        return None  # minutes and seconds run to 59, with hours written or not (WebVTT's 'mm:ss.ttt')
    value_s = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    return value_s + (int(fraction) / 10 ** len(fraction) if fraction else 0.0)


class _Parser:
    """Cuts normalised subtitle text into cues, noting every damaged line."""

    def __init__(self, source: str, path: Path, fmt: str) -> None:
        self.source = source
        self.path = path
        self.fmt = fmt
        self.problems: dict[str, list[int]] = {}
        self.shown: dict[str, str] = {}  # kind -> what its first line says and why it is wrong

    def note(self, kind: str, line: int, what: str = "") -> None:
        self.problems.setdefault(kind, []).append(line)
        if what and kind not in self.shown:
            self.shown[kind] = what

    def warnings(self) -> list[str]:
        said = []
        for kind, lines in self.problems.items():
            what = self.shown.get(kind)
            where = f"line {lines[0]}: " if what and len(lines) > 1 else ""
            said.append(f"{line_ranges(lines)}: {_PROBLEMS[kind]}{f' ({where}{what})' if what else ''}")
        return said

    def fail(self, reason: str) -> Exception:
        kind, hint = _HINTS[self.fmt]
        return error(BAD_DOCUMENT, path=str(self.path), kind=kind, reason=reason, hint=hint)

    def cues(self) -> list[_Cue]:
        blocks = _blocks(self.source)
        if self.fmt == "vtt" and blocks:
            blocks = [(n, b) for n, b in self._header(blocks) if not _NON_TEXT_BLOCK.match(b[0])]
        if blocks and all(_timing_index(lines) is None for _, lines in blocks):
            raise self.fail("no cue timing line ('00:00:01.000 --> 00:00:04.000') in the file")
        return [cue for first, lines in blocks for cue in self._block(first, lines)]

    def _header(self, blocks: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
        """Check and drop the ``WEBVTT`` header block (keeping a cue glued to it)."""
        first, lines = blocks[0]
        if not _HEADER.match(lines[0]) or first != 1:
            raise self.fail("line 1 is not 'WEBVTT'")
        arrow = next((i for i, line in enumerate(lines) if "-->" in line), None)
        if arrow is None:
            return blocks[1:]
        self.note("header", first + arrow)
        return [(first + arrow, lines[arrow:]), *blocks[1:]]

    def _block(self, first: int, lines: list[str]) -> list[_Cue]:
        """The cues in one blank-line separated block (usually one)."""
        timing = _timing_index(lines)
        if timing is None:
            self.note("stray", first)
            return [_Cue(None, None, lines)]
        # A line above the timing line is the cue's number or identifier, whatever it says.
        cues: list[_Cue] = []
        while True:
            # Two cues glued together: the next '-->' line starts a cue (its number is not text).
            glued = next((i for i in range(timing + 1, len(lines)) if "-->" in lines[i]), len(lines))
            stop = glued - 1 if glued < len(lines) and glued - 1 > timing and _is_number(lines[glued - 1]) else glued
            start, end = self._times(first + timing, lines[timing])
            cues.append(_Cue(start, end, lines[timing + 1 : stop], first + timing))
            if glued == len(lines):
                return cues
            timing = glued

    def _times(self, line_no: int, line: str) -> tuple[float | None, float | None]:
        left, arrow, right = line.partition("-->")
        if not arrow:
            self.note("arrow", line_no)
            times = [parse_time(m.group()) for m in _TIME.finditer(line)][:2]
            start, end = (times + [None, None])[:2]
        else:
            start = parse_time(left)
            fields = right.split()
            end = parse_time(fields[0]) if fields else None
            if start is None or end is None:
                bad = left.strip() if start is None else (fields[0] if fields else "")
                self.note("time", line_no, f"'{bad[:40]}': {_unreadable(bad)}" if bad else "no end time after '-->'")
        if start is not None and end is not None and end < start:
            self.note("reversed", line_no, " ".join(line.split())[:80])
            end = None
        return start, end


def _unreadable(value: str) -> str:
    """Why ``value`` is no cue time: a minute or second past 59 is named, else its shape."""
    m = _TIME.fullmatch(value)
    if m is not None:
        for unit, number in (("minute", m[2]), ("second", m[3])):
            if int(number) > 59:
                return f"{unit} {int(number)}, where minutes and seconds run from 00 to 59"
    return "not a time like 00:01:02.500"


def _clock(value: float) -> str:
    """Seconds as a cue time: 3723.5 -> '01:02:03.500'."""
    whole, millis = divmod(round(value * 1000), 1000)
    minutes, secs = divmod(whole, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{millis:03d}"


def _blocks(source: str) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines with the 1-based number of their first line."""
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    for number, line in enumerate(source.split("\n"), start=1):
        if line.strip():
            if not current:
                blocks.append((number, current))
            current.append(line)
        elif current:
            current = []
    return blocks


def _timing_index(lines: list[str]) -> int | None:
    """Which line of a block is its timing line: 0, 1 (after a cue number or id), or None."""
    for i in (0, 1):
        if i < len(lines) and "-->" in lines[i]:
            return i
    for i in (0, 1):
        # The arrow is missing: a timing line still if text follows, or if it holds two times.
        if i < len(lines) and _TIMEISH.fullmatch(lines[i]) and (i < len(lines) - 1 or len(_TIME.findall(lines[i])) >= 2):
            return i
    return None


def _is_number(line: str) -> bool:
    return line.strip().isdigit()


def _segments(cue: _Cue, fmt: str) -> list[_Segment]:
    # split() with one group gives [before, voice1, text1, voice2, text2, ...]
    parts = _VOICE.split("\n".join(cue.lines))
    chunks: list[tuple[str | None, str]] = [(None, parts[0])]
    chunks += [(parts[i].strip() or None, parts[i + 1]) for i in range(1, len(parts), 2)]
    segments = []
    for voice, chunk in chunks:
        cleaned = _clean(chunk, fmt)
        if cleaned:
            segments.append(_Segment(voice, cleaned, cue.start, cue.end, cue.line))
    return segments


def _clean(chunk: str, fmt: str) -> str:
    chunk = _TAG.sub("", chunk)
    if fmt == "vtt":
        chunk = html.unescape(chunk)
    else:
        chunk = _ASS_OVERRIDE.sub("", chunk)
    lines = [line.strip() for line in chunk.split("\n")]
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def _group(segments: list[_Segment], parser: _Parser) -> list[_Group]:
    groups: list[_Group] = []
    for seg in segments:
        if seg.voice is None:
            speaker, col = _inline_label(seg.text)
            if speaker is not None:
                seg = _Segment(speaker, seg.text[col:].strip(), seg.start, seg.end, seg.line)
        last = groups[-1] if groups else None
        if seg.voice is not None and last is not None and last.voiced and last.speaker == seg.voice:
            if seg.start is not None and last.start is not None and seg.start < last.start:
                # Merged, the turn would end before it starts: cues out of order stay apart.
                parser.note("backwards", seg.line, f"{_clock(seg.start)}, the turn above at {_clock(last.start)}")
                groups.append(_Group(seg.voice, True, seg.start, seg.end, [seg.text]))
                continue
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
