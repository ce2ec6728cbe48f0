"""Split plain transcript text into speaker turns.

The rule
--------
Every line is classified once: blank, structure (a Markdown heading ``# ...``
or a rule ``---``), timestamp only (``[00:12:03]``), or text. A text line may
start with a *candidate* speaker label (see :mod:`qualcode.ingest.labels` for
the shapes recognised). A candidate is **accepted** as a speaker label when

1. it is a capitalised known role, role code or titled name -- ``I``, ``R2``,
   ``P3``, ``Interviewer``, ``Moderator 1``, ``De voorzitter``,
   ``Mevrouw Jansen``, ``Minister De Jonge``, ``De heer Hijink (SP)`` --
   accepted on sight; or
2. it looks like a name (every word capitalised, a number or a particle such
   as ``van``/``de``; or a known role in lower case) and the same label starts
   a line at least twice in the document (``MARVIN``, ``Leerling 4``,
   ``Fatima``, ``interviewer``); or
3. it looks like a name of two or more words (numbers do not count, an
   affiliation does), stands alone on its line and ends in a colon
   (``Jan de Vries:``, ``Mevrouw Bergkamp (D66):``); or
4. it looks like a name, ends in a colon and carries a timestamp
   (``[00:12:40] Zoon: Mam, mag ik ...``): transcribers time turns, not prose.

A capitalised word that occurs once (``Bijvoorbeeld: ...``, ``Voordelen:``,
``Vraag 3:``) is therefore never a speaker, nor is anything in lower case
(``constaterende dat ...;``, ``hij zei: ...``) or a title-block line in
capitals that occurs once (``TRANSCRIPTIE INTERVIEW``). The price: a speaker
with a plain one-word name who speaks only once is not recognised, and that
line stays part of the previous turn.

Then:

* A turn runs from an accepted label to the next accepted label or heading,
  over as many lines and paragraphs as it takes. Its span covers the content
  only: from the first content character (after the label, colon and
  timestamp, or on the first non-blank line below a label that stands alone)
  to the last non-whitespace character, blank lines between paragraphs
  included. Turns without content are dropped.
* Text before the first accepted label (a title block, a preamble) and text
  after a heading but before the next label is not part of any turn.
* A timestamp next to the label sets ``time_start`` (a range also sets
  ``time_end``); a timestamp alone on the line before a label, or the first
  line below a lone label, sets ``time_start`` too; an f4-style ``#00:01:23-4#``
  at the very end of a turn sets ``time_end`` and is left out of the span.
* With no accepted label at all, every paragraph (blank-line separated,
  headings excluded) is one turn with speaker None; a timestamp at the start
  of a paragraph sets its ``time_start`` and is left out of its span.

Offsets are code points into the text given, which must already be
normalised (:func:`qualcode.ingest.decode.normalise`); lines are split on
``\\n`` only, so other line separators count as ordinary characters.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from qualcode.ingest.labels import ALONE_BARE, ALONE_COLON, TIMESTAMP, Candidate, classify_line, seconds
from qualcode.model import Turn

_BLANK, _STRUCTURE, _TIME_ONLY, _TEXT = range(4)

_STRUCTURE_LINE = re.compile(r"[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$)")
_TIME_ONLY_LINE = re.compile(rf"[ \t]*{TIMESTAMP}[ \t]*$")
_LEADING_TIME = re.compile(rf"[ \t]*(?P<ts>{TIMESTAMP})[ \t]*(?:[-–—|][ \t]*)?")
_TRAILING_F4_TIME = re.compile(r"[ \t]*#(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)(?:-\d+)?#$")
# A label is at most 40 characters plus an affiliation and timestamps, so a colon
# further in cannot end one, and a label without a colon is a short line of a few
# words. Lines that are neither skip the label regex (most lines of prose).
_LABEL_REACH = 140
_BARE_LABEL_MAX = 100
_BARE_LABEL_SPACES = 10


@dataclass(slots=True)
class TurnScan:
    """The result of :func:`scan_turns`: the turns and what the reader should know."""

    turns: list[Turn]
    labelled: bool  # False: no speaker labels, one turn per paragraph
    speakers: list[str] = field(default_factory=list)  # in order of first appearance
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    """A turn being built."""

    speaker: str | None
    time_start: float | None
    time_end: float | None
    start: int | None = None
    end: int = 0


def is_time_only(line: str) -> bool:
    """True for a line holding nothing but a timestamp, like ``[00:12:03]``."""
    return _TIME_ONLY_LINE.match(line) is not None


def parse_turns(text: str) -> list[Turn]:
    """Split normalised plain text into speaker turns (see the module docstring)."""
    return scan_turns(text).turns


def scan_turns(text: str) -> TurnScan:
    """Like :func:`parse_turns`, also saying whether labels were found, and warnings."""
    lines = text.split("\n")
    kinds: list[int] = []
    candidates: dict[int, Candidate] = {}
    counts: Counter[str] = Counter()
    for i, line in enumerate(lines):
        if not line or line.isspace():
            kinds.append(_BLANK)
        elif _STRUCTURE_LINE.match(line):
            kinds.append(_STRUCTURE)
        elif _TIME_ONLY_LINE.match(line):
            kinds.append(_TIME_ONLY)
        else:
            kinds.append(_TEXT)
            if ":" in line[:_LABEL_REACH] or (
                len(line) <= _BARE_LABEL_MAX and line.count(" ") <= _BARE_LABEL_SPACES
            ):
                candidate = classify_line(line)
                if candidate is not None:
                    candidates[i] = candidate
                    counts[candidate.key] += 1

    accepted = {i: c for i, c in candidates.items() if _accept(c, counts)}
    builder = _Builder(text, lines)
    if accepted:
        builder.labelled(kinds, accepted)
    else:
        builder.paragraphs(kinds)

    scan = TurnScan(builder.turns, labelled=bool(accepted))
    seen: dict[str, None] = {}
    for turn in scan.turns:
        if turn.speaker is not None:
            seen.setdefault(turn.speaker, None)
    scan.speakers = list(seen)
    if not accepted and len(scan.turns) > 1:
        scan.warnings.append("no speaker labels found: one turn per paragraph")
    if builder.outside:
        several = len(builder.outside) > 1
        scan.warnings.append(
            f"{line_ranges(builder.outside)} {'are' if several else 'is'} not part of any speaker turn "
            "(text before the first speaker label or after a heading)"
        )
    return scan


def _accept(c: Candidate, counts: Counter[str]) -> bool:
    if c.strong:
        return True
    if not c.name_like:
        return False
    if c.form != ALONE_BARE and c.time_start is not None:
        return True
    return counts[c.key] >= 2 or (c.form == ALONE_COLON and c.words >= 2)


class _Builder:
    """Walks the classified lines once, emitting turns with their spans."""

    def __init__(self, text: str, lines: list[str]) -> None:
        self.text = text
        self.lines = lines
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line) + 1
        self.turns: list[Turn] = []
        self.outside: list[int] = []  # 1-based numbers of text lines left out of turns

    def labelled(self, kinds: list[int], accepted: dict[int, Candidate]) -> None:
        current: _Open | None = None
        pending: float | None = None  # a timestamp-only line waiting for its label
        for i, kind in enumerate(kinds):
            label = accepted.get(i)
            if label is not None:
                self._close(current)
                current = _Open(label.speaker, label.time_start, label.time_end)
                if current.time_start is None:
                    current.time_start = pending
                pending = None
                if label.content_col is not None:
                    current.start = self.starts[i] + label.content_col
                    current.end = self.starts[i] + len(self.lines[i].rstrip())
            elif kind == _STRUCTURE:
                self._close(current)
                current = None
            elif kind == _TIME_ONLY:
                pending = seconds(self.lines[i])[0]
                if current is not None and current.start is None and current.time_start is None:
                    current.time_start = pending
            elif kind == _TEXT:
                pending = None
                if current is None:
                    self.outside.append(i + 1)
                else:
                    self._extend(current, i)
        self._close(current)

    def paragraphs(self, kinds: list[int]) -> None:
        current: _Open | None = None
        pending: float | None = None
        for i, kind in enumerate(kinds):
            if kind in (_BLANK, _STRUCTURE):
                self._close(current)
                current = None
            elif kind == _TIME_ONLY:
                if current is None:
                    pending = seconds(self.lines[i])[0]
            elif current is None:
                line = self.lines[i]
                m = _LEADING_TIME.match(line)
                col = len(line) - len(line.lstrip())
                current = _Open(None, pending, None)
                if m is not None and line[m.end() :].strip():
                    current.time_start, current.time_end = seconds(m["ts"])
                    col = len(line) - len(line[m.end() :].lstrip())
                pending = None
                current.start = self.starts[i] + col
                current.end = self.starts[i] + len(line.rstrip())
            else:
                self._extend(current, i)
        self._close(current)

    def _extend(self, current: _Open, i: int) -> None:
        line = self.lines[i]
        if current.start is None:
            current.start = self.starts[i] + len(line) - len(line.lstrip())
        current.end = self.starts[i] + len(line.rstrip())

    def _close(self, current: _Open | None) -> None:
        if current is None or current.start is None:
            return
        start, end = current.start, current.end
        # Only f4 transcripts end a turn in '#'; test that before searching.
        m = _TRAILING_F4_TIME.search(self.text, start, end) if self.text[end - 1] == "#" else None
        if m is not None:
            current.time_end = seconds(m["ts"])[0]
            end = start + len(self.text[start : m.start()].rstrip())
        if end > start:
            self.turns.append(
                Turn(
                    index=len(self.turns) + 1,
                    speaker=current.speaker,
                    start=start,
                    end=end,
                    time_start=current.time_start,
                    time_end=current.time_end,
                )
            )


def line_ranges(numbers: list[int], limit: int = 12) -> str:
    """``[1, 2, 3, 7]`` -> ``"lines 1-3, 7"``; ``[4]`` -> ``"line 4"``.

    At most ``limit`` ranges are listed, then how many lines are left out, so a
    warning about a damaged file stays one readable line.
    """
    runs: list[list[int]] = []
    for n in numbers:
        if runs and n == runs[-1][1] + 1:
            runs[-1][1] = n
        else:
            runs.append([n, n])
    shown = ", ".join(f"{a}-{b}" if b > a else str(a) for a, b in runs[:limit])
    if len(runs) > limit:
        shown += f" and {sum(b - a + 1 for a, b in runs[limit:])} more"
    return f"{'lines' if len(numbers) > 1 else 'line'} {shown}"
