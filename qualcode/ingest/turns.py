"""Split plain transcript text into speaker turns.

The rule
--------
Every line is classified once: blank, structure (a Markdown heading ``# ...``,
a rule ``---``, or the line Teams writes where its transcription starts or stops),
timestamp only (``[00:12:03]``), or text. A text line may
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
   A name alone on its line right below a timestamp line (Teams: ``0:0:3.120 -->
   0:0:7.450``, then ``Lotte Jansen``, then the text) counts as carrying it, and a
   name in square brackets with a timestamp (``[Lotte Jansen] 10:02:11``) is a
   speaker on sight.

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
  after a heading but before the next label is not part of any turn; nor is a
  header of labelled fields naming who took part (``Interviewer: Sanne de Vries``,
  ``Respondent: R07``; see :func:`_header_block`).
* A page number or running footer line (``Pagina 2 van 9``, ``- 2 -``, a lone ``2``,
  ``Project X<tab>Pagina 3``) is left out of the turns; inside a turn (its text goes on
  below) it stays in the span, a turn being one span, and a warning names its line.
* Where names alone on their line with a time (``Sanne 00:00:01``) or in capitals
  (``MARIEKE``) are the labels, such a name seen once after the first label is accepted
  too, with a warning (see :func:`_names_seen_once`).
* A line inside a turn that starts like a label seen once (``Dochter: Ik ...``) stays
  in that turn, with a warning naming its line.
* A timestamp next to the label sets ``time_start`` (a range also sets
  ``time_end``); a timestamp alone on the line before a label, or the first
  line below a lone label, sets ``time_start`` too; an f4-style ``#00:01:23-4#``
  at the very end of a turn sets ``time_end`` and is left out of the span, and a
  turn without a time of its own starts when the one before it ended.
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
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from pathlib import Path

from qualcode.ingest.labels import (
    ALONE_BARE,
    ALONE_COLON,
    INLINE,
    TIMESTAMP,
    LabelCandidate,
    classify_line,
    interviewer_role,
    seconds,
    written_name,
)
from qualcode.model import Transcript, Turn

_BLANK, _STRUCTURE, _TIME_ONLY, _TEXT, _PAGE = range(5)

_STRUCTURE_LINE = re.compile(r"[ \t]{0,3}(?:#{1,6}(?:[ \t]|$)|(?:[-*_][ \t]*){3,}$)")
_TIME_ONLY_LINE = re.compile(rf"[ \t]*{TIMESTAMP}[ \t]*$")
_LEADING_TIME = re.compile(rf"[ \t]*(?P<ts>{TIMESTAMP})[ \t]*(?:[-–—|][ \t]*)?")
# Matched from the turn's last '#' but one (no '#' inside): searching for it with the spaces
# before it tried every space of a long run (quadratic); the spaces are rstripped instead.
_F4_TIME = re.compile(r"#(?P<ts>(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?)(?:-\d+)?#")
# A label is at most 40 characters plus an affiliation and timestamps, so a colon
# further in cannot end one, and a label without a colon is a short line of a few
# words. Lines that are neither skip the label regex (most lines of prose).
_LABEL_REACH = 140
# A page number or a running header/footer a Word or PDF export left in the text: "Pagina 2 van
# 9", "- 2 -", "2", "3/10", "Blz. 5", or text then a tab or two spaces then "Pagina 3" ("Project X
# -- vertrouwelijk      Pagina 1"). Only lines ending in a digit, a dash or a space are tried.
_PAGE_WORD = r"(?:[Pp]agina|[Pp]age|[Pp]ag\.|[Bb]lz\.?|[Pp]\.)"
_PAGE_NUMBER = r"\d{1,3}(?:[ \t]*(?:van|of|/)[ \t]*\d{1,3})?"
_PAGE_LINE = re.compile(
    rf"[ \t]*(?:[-–—][ \t]*)?(?:{_PAGE_WORD}[ \t]*)?{_PAGE_NUMBER}[ \t]*(?:[-–—][ \t]*)?"
    rf"|[^:\n]{{1,100}}?(?:\t|[ \t]{{2,}}|[-–—|][ \t]*)(?:Pagina|Page|Blz\.?)[ \t]*{_PAGE_NUMBER}[ \t]*"
)
_PAGE_LINE_MAX = 140
_PAGE_END = frozenset(" \t-–—0123456789")  # what a page line may end in
_BARE_LABEL_MAX = 100
_BARE_LABEL_SPACES = 10


@dataclass(slots=True)
class TurnScan:
    """The result of :func:`scan_turns`: the turns and what the reader should know."""

    turns: list[Turn]
    labelled: bool  # False: no speaker labels, one turn per paragraph
    speakers: list[str] = field(default_factory=list)  # in order of first appearance
    warnings: list[str] = field(default_factory=list)
    # Speakers a header line names as the interviewer ("Interviewer: Sanne de Vries" where
    # "Sanne:" speaks), with that line as written (see :func:`_named_in_header`).
    interviewers: dict[str, str] = field(default_factory=dict)

    def transcript(
        self, path: Path, text: str, encoding: str | None, warnings: Sequence[str] = (), attributes: dict[str, str] | None = None
    ) -> Transcript:
        """The transcript of ``path`` read as ``text`` with these turns: the reader's own
        ``warnings`` first, then the scan's."""
        return Transcript(
            name=path.stem,
            text=text,
            turns=self.turns,
            attributes=attributes if attributes is not None else {},
            encoding=encoding,
            warnings=[*warnings, *self.warnings],
            header_interviewers=self.interviewers,
        )


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


def scan_turns(text: str, *, structure: AbstractSet[int] = frozenset(), line_numbers: Sequence[int] | None = None) -> TurnScan:
    """Like :func:`parse_turns`, also saying whether labels were found, and warnings.

    ``structure``: 0-based numbers of lines that are structure whatever they say
    (a reader that knows the format, such as Markdown's title block, marks them).
    ``line_numbers``: the file's line number of each line of ``text``, for warnings
    (default: 1, 2, 3 ...).
    """
    lines = text.split("\n")
    kinds, candidates, counts, short = _classify(lines, structure)
    running = _running_lines(lines, kinds, candidates, short) if len(short) >= _RUNNING_TIMES else set()
    accepted = {i: c for i, c in candidates.items() if _accept(c, counts)}
    once_more: dict[int, LabelCandidate] = {}
    if accepted and len(accepted) < len(candidates):
        once_more = _names_seen_once(candidates, accepted)
        if once_more:
            accepted = dict(sorted({**accepted, **once_more}.items()))
    header = _header_block(lines, kinds, accepted)
    in_header = {i: accepted.pop(i) for i in header}
    builder = _Builder(text, lines)
    if accepted:
        builder.labelled(kinds, accepted)
    else:
        builder.paragraphs(kinds)

    _start_where_the_last_ended(builder.turns)
    scan = TurnScan(builder.turns, labelled=bool(accepted))
    scan.speakers = list(dict.fromkeys(turn.speaker for turn in scan.turns if turn.speaker is not None))
    if in_header:
        scan.interviewers = _named_in_header(lines, in_header, scan.speakers)
    if not accepted and len(scan.turns) > 1:
        scan.warnings.append("no speaker labels found: one turn per paragraph")
    if once_more:
        numbers = [line_numbers[i] for i in once_more] if line_numbers is not None else [i + 1 for i in once_more]
        names = ", ".join(f"'{c.speaker}'" for c in list(once_more.values())[:_ONCE_SHOWN])
        scan.warnings.append(
            f"{line_ranges(numbers)}: {names}{' ...' if len(once_more) > _ONCE_SHOWN else ''} "
            f"{'speak' if len(once_more) > 1 else 'speaks'} only once, taken as a speaker as the labels here are written "
            "(if it is part of the turn before, join it to that line and reimport)"
        )
    once = _once_labels(lines, candidates, accepted, line_numbers)
    if once:
        scan.warnings.append(once)
    if header:
        numbers = [line_numbers[i] for i in header] if line_numbers is not None else [i + 1 for i in header]
        first = lines[header[0]].strip()
        scan.warnings.append(
            f"{line_ranges(numbers)} {'name' if len(header) > 1 else 'names'} who took part ('{first[:60]}'): "
            "taken as a header, not as turns (a turn there: end it in '.', '?' or '!' and reimport)"
        )
    if running:
        left_out = [n for n in builder.pages if n - 1 in running]
        builder.pages = [n for n in builder.pages if n - 1 not in running]
        if left_out:
            numbers = [line_numbers[n - 1] for n in left_out] if line_numbers is not None else left_out
            first = lines[left_out[0] - 1].strip()
            scan.warnings.append(
                f"{line_ranges(numbers)}: '{first[:60]}' is repeated on every page and nobody says it: taken for a "
                "running header or footer, left out of the turns (if someone says it, put their label before it and reimport)"
            )
    if builder.pages:
        pages = [line_numbers[n - 1] for n in builder.pages] if line_numbers is not None else builder.pages
        scan.warnings.append(
            f"{line_ranges(pages)} {'look' if len(pages) > 1 else 'looks'} like a page number or a running "
            "header or footer: left out of the turns"
        )
    if builder.inside:
        inside = [line_numbers[n - 1] for n in builder.inside] if line_numbers is not None else builder.inside
        scan.warnings.append(
            f"{line_ranges(inside)} {'look' if len(inside) > 1 else 'looks'} like a page number or a running "
            "header or footer inside a turn: kept in that turn's text (delete it from the file and reimport "
            "to take it out)"
        )
    if builder.outside:
        outside = [line_numbers[n - 1] for n in builder.outside] if line_numbers is not None else builder.outside
        several = len(outside) > 1
        scan.warnings.append(
            f"{line_ranges(outside)} {'are' if several else 'is'} not part of any speaker turn "
            "(text before the first speaker label or after a heading)"
        )
    return scan


# In a value, these make it something said ('#': an f4 time ends a turn: "Wie geht het? #00:00:05-6#").
def _shape(c: LabelCandidate) -> tuple[bool, bool] | None:
    """The convention of a label alone on its line without a colon: (timed, in capitals), or
    None for other labels."""
    if c.form != ALONE_BARE:
        return None
    return c.time_start is not None, c.speaker.isupper()


def _names_seen_once(candidates: dict[int, LabelCandidate], accepted: dict[int, LabelCandidate]) -> dict[int, LabelCandidate]:
    """Where names alone on their line with a time ("Sanne 00:00:01", Otter's and Amberscript's
    way) or in capitals ("MARIEKE") are the labels, a name so written that occurs once inside
    the interview is a speaker too ("Pieter 00:00:03", "PARTNER", who say one thing): read
    into the turn before, it would be lost. The title block above the first label is not.
    Returns those lines' candidates (the import names them: a shouted "NOOIT" alone on its line
    is taken for a speaker too)."""
    shapes = {_shape(c) for c in accepted.values()} - {None, (False, False)}
    if not shapes:
        return {}
    first = next(iter(accepted))
    return {i: c for i, c in candidates.items() if i > first and i not in accepted and c.name_like and _shape(c) in shapes}


_ONCE_SHOWN = 3
# A header's field line ("Duur: 52 minuten", "Locatie: bibliotheek"): a short key, a colon.
_FIELD = re.compile(r"[ \t]*[^\W\d][\w .'’-]{0,30}:[ \t]")


def _names_a_speaker(value: str, later: AbstractSet[str]) -> bool:
    """Whether a header's value is a speaker's label: one used later ("Respondent: R07") or a
    role code ("Interviewer: IV")."""
    if value.casefold() in later:
        return True
    candidate = classify_line(value + ": x")
    return candidate is not None and candidate.strong and candidate.speaker == value


def _once_labels(
    lines: list[str],
    candidates: dict[int, LabelCandidate],
    accepted: dict[int, LabelCandidate],
    line_numbers: Sequence[int] | None,
) -> str | None:
    """A warning for lines inside turns that start like a speaker label seen only once
    ("Dochter: Ik ben hier even."): read as part of the turn before (a one-word name that
    speaks once is not told from "Voordelen: ..."), said so with the line, and how to make it
    a speaker. Only a capitalised name with a capitalised sentence after it ("Nou: dat is
    lastig" and "Ze zei: ik kom niet" are speech)."""
    if not accepted or len(accepted) == len(candidates):
        return None  # every candidate is a speaker (most transcripts): nothing to look at
    first = next(iter(accepted))
    found: list[tuple[int, str]] = []
    for i, c in candidates.items():
        if i <= first or i in accepted or c.form != INLINE or c.content_col is None or not c.name_like:
            continue
        line = lines[i]
        if line[c.content_col : c.content_col + 1].isupper() and line.lstrip()[:1].isupper():
            found.append((line_numbers[i] if line_numbers is not None else i + 1, c.speaker))
    if not found:
        return None
    shown = ", ".join(f"'{speaker}:'" for _, speaker in found[:_ONCE_SHOWN]) + (" ..." if len(found) > _ONCE_SHOWN else "")
    several = len(found) > 1
    return (
        f"{line_ranges([n for n, _ in found])} {'start' if several else 'starts'} like a speaker label that occurs only "
        f"once ({shown}): read as part of the turn before; if someone else speaks there, put the label with a second "
        "word on a line of its own ('Dochter Els:', the text below) and reimport"
    )


_SENTENCE_MARKS = frozenset("?!…#")
_HEADER_MAX_WORDS = 6


def _header_block(lines: list[str], kinds: list[int], accepted: dict[int, LabelCandidate]) -> list[int]:
    """The lines of a header that names who took part, before the interview starts:
    "Interviewer: Sanne de Vries", "Respondent: R1 (vrouw, 54)", "Moderator: Marloes, notulist:
    Kees". They are the first labelled lines, each label once, with a short value on its own
    line (a blank, a label or another field below it) that is no
    sentence (no '?', '!' or '...', nor a '.' at its end), and either the label is not used again (the
    interview says "I:" and "R1:"), the value holds a ':' or '(' (a second field, an age) or
    the value is a speaker's label ("Interviewer: IV", "Respondent: R07");
    turns must follow. 'I: Goedemiddag' before 'R: Hallo' stays a turn: I speaks again."""
    block: list[int] = []
    seen: set[str] = set()
    for i, c in accepted.items():
        if c.form != INLINE or c.content_col is None or c.key in seen:
            break
        value = lines[i][c.content_col :].strip()
        if not value or value[-1] == "." or value.count(" ") >= _HEADER_MAX_WORDS or not _SENTENCE_MARKS.isdisjoint(value):
            break
        below = i + 1
        if below < len(lines) and kinds[below] == _TEXT and below not in accepted and not _FIELD.match(lines[below]):
            break  # the value goes on below: a turn, not a field
        seen.add(c.key)
        block.append(i)
    if not block or len(block) == len(accepted):
        return []  # no turns after it: these are the turns
    after = {c.key for i, c in accepted.items() if i > block[-1]}
    header: list[int] = []
    for i in block:
        c = accepted[i]
        value = lines[i][c.content_col :] if c.content_col is not None else ""
        if c.key in after and ":" not in value and "(" not in value and not _names_a_speaker(value, after):
            break  # the label speaks again and the value is plain: an opening turn
        header.append(i)
    return header


# A running header or footer without a page number ("Project X – vertrouwelijk") that a Word or
# PDF export left on every page: a short line, the same at least _RUNNING_TIMES times, each
# at least _RUNNING_GAP lines after the one before (a page, not a refrain), that is no label
# and nobody's words: it ends in no '.', '?' or '!' (a repeated "Ja." or "Oké." is speech) and
# is not the first line below a label alone on its line or below a time (what they say).
_RUNNING_TIMES = 3
_RUNNING_GAP = 8
_RUNNING_MAX = 100
_RUNNING_MIN_WORDS = 2
_SAID_END = frozenset(".?!…:;,")


def _running_lines(lines: list[str], kinds: list[int], candidates: dict[int, LabelCandidate], short: list[int]) -> set[int]:
    """The 0-based numbers of running header or footer lines without a page number (see
    above) among ``short`` (text lines of at most _RUNNING_MAX characters that are no label);
    their kind is made a page line's."""
    repeated = {
        line
        for line, n in Counter([lines[i] for i in short]).items()
        if n >= _RUNNING_TIMES
        and len(line) <= _RUNNING_MAX
        and line.rstrip()[-1:] not in _SAID_END
        and len(line.split()) >= _RUNNING_MIN_WORDS
    }
    if not repeated:
        return set()
    found: set[int] = set()
    where: dict[str, list[int]] = {}
    for i in short:
        if lines[i] in repeated:
            where.setdefault(lines[i], []).append(i)
    for places in where.values():
        if len(places) < _RUNNING_TIMES or any(b - a < _RUNNING_GAP for a, b in pairwise(places)):
            continue
        if any(_below_a_lone_label(lines, kinds, candidates, i) for i in places):
            continue
        found.update(places)
    for i in found:
        kinds[i] = _PAGE
    return found


def _below_a_lone_label(lines: list[str], kinds: list[int], candidates: dict[int, LabelCandidate], i: int) -> bool:
    """Whether the line above ``i`` (blank lines skipped) is a label alone on its line or a
    time alone: line ``i`` is then what the speaker says."""
    above = i - 1
    while above >= 0 and kinds[above] == _BLANK:
        above -= 1
    if above < 0:
        return False
    label = candidates.get(above)
    return kinds[above] == _TIME_ONLY or (label is not None and label.form != INLINE)


def _named_in_header(lines: list[str], header: dict[int, LabelCandidate], speakers: list[str]) -> dict[str, str]:
    """The speakers a header line names as the interviewer: "Interviewer: Sanne de Vries" (or
    "Moderator: Marloes (UU)") where one speaker's label is that name or its first word(s)
    ("Sanne", "Sanne de Vries"), the speaker no role label itself. Each with its line."""
    named: dict[str, str] = {}
    for i, c in header.items():
        if c.content_col is None or not interviewer_role(c.speaker):
            continue
        line = lines[i].strip()
        for value in re.split(r"[,;]", lines[i][c.content_col :]):
            name = " ".join(value.split("(")[0].split())
            if not name:
                continue
            folded = name.casefold()
            matches = [
                s
                for s in speakers
                if not interviewer_role(s) and (s.casefold() == folded or folded.startswith(s.casefold() + " "))
            ]
            if len(matches) == 1:
                named.setdefault(matches[0], line)
    return named


def _start_where_the_last_ended(turns: list[Turn]) -> None:
    """A turn with no start time of its own starts when the turn before it ended: f4 times
    a turn at its end (``... #00:01:23-4#``), so its next turn's start is that time."""
    for before, turn in pairwise(turns):
        if turn.time_start is None and before.time_end is not None:
            if turn.time_end is not None and turn.time_end < before.time_end:
                continue  # a mistyped or restarted time ('#00:00:03-0#' after 0:12): no turn ends before it starts
            turn.time_start = before.time_end


# The lines Teams writes where the transcription starts and stops (in a Dutch or an English
# Teams): structure, so the last turn does not end with "... heeft transcriptie gestopt".
_SYSTEM_LINE = re.compile(
    r"[ \t]*([^\s:][^:\n]*?)[ \t]+(?:heeft[ \t]+transcriptie[ \t]+(?:gestart|gestopt)|(?:started|stopped)[ \t]+transcription)[ \t]*$"
)
_SYSTEM_LINE_MAX = 120


def _system_line(line: str) -> bool:
    """Whether ``line`` is Teams' own 'NAME heeft transcriptie gestopt': a name and the words
    alone ('R: Toen zei ze: Lotte heeft transcriptie gestopt' is someone's turn; 'Ik denk dat
    Lotte heeft transcriptie gestopt' someone's words)."""
    m = _SYSTEM_LINE.match(line)
    return m is not None and written_name(m[1])


# Only a line starting with one of these can be structure or a lone timestamp.
_SPECIAL_START = frozenset(" \t#-*_[(0123456789")
# After "Label: ", these could start a timestamp (or move the content): not the fast path.
_NOT_FAST = frozenset("[(#0123456789")
_SLOW = LabelCandidate("", "", "", None, None, None, False, False, 0)  # "classify the whole line"
_HEADS: dict[str, LabelCandidate | None] = {}  # "Label" of a "Label: text" line -> its candidate
_MAX_HEADS = 50_000


def _classify(
    lines: list[str], structure: AbstractSet[int]
) -> tuple[list[int], dict[int, LabelCandidate], Counter[str], list[int]]:
    """Each line's kind, the candidate labels (by line), how often each label occurs and the
    text lines of at most _RUNNING_MAX characters that are no candidate (a running header?).

    Transcripts are mostly ``Label: text`` lines with a few labels: the candidate of
    such a line depends on ``Label`` alone (see :func:`_head_candidate`), so it is
    judged once per label, not once per line. Other lines get the full regexes.
    """
    kinds: list[int] = []
    add = kinds.append
    candidates: dict[int, LabelCandidate] = {}
    counts: Counter[str] = Counter()
    short: list[int] = []
    heads = _HEADS
    timed = -1  # the line after a timestamp line (blank lines skipped): a name there carries its time
    if len(heads) > _MAX_HEADS:
        heads.clear()
    for i, line in enumerate(lines):
        if not line or line.isspace():
            add(_BLANK)
            continue
        if structure and i in structure:
            add(_STRUCTURE)
            continue
        if line[0] in _SPECIAL_START:
            if _STRUCTURE_LINE.match(line):
                add(_STRUCTURE)
                continue
            if _TIME_ONLY_LINE.match(line):
                add(_TIME_ONLY)
                timed = _next_text(lines, i + 1)
                continue
        if "transcri" in line and len(line) < _SYSTEM_LINE_MAX and _system_line(line):
            add(_STRUCTURE)  # "Lotte Jansen heeft transcriptie gestopt": Teams' own line, nobody said it
            continue
        if line[-1] in _PAGE_END:
            if len(line) <= _PAGE_LINE_MAX and _PAGE_LINE.fullmatch(line):
                add(_PAGE)  # "Pagina 2 van 9": the page, not what anyone said
                continue
        add(_TEXT)
        head, colon, rest = line.partition(": ")
        if colon and rest and len(head) < _LABEL_REACH and rest[0] not in _NOT_FAST and not rest[0].isspace():
            candidate = heads.get(head, _SLOW)
            if candidate is _SLOW and head not in heads:
                candidate = heads[head] = _head_candidate(head)
            if candidate is not _SLOW:
                if candidate is not None:
                    candidates[i] = candidate
                    counts[candidate.key] += 1
                elif len(line) <= _RUNNING_MAX:
                    short.append(i)
                continue
        if ":" in line[:_LABEL_REACH] or (len(line) <= _BARE_LABEL_MAX and line.count(" ") <= _BARE_LABEL_SPACES):
            candidate = classify_line(line, timed=timed == i)
            if candidate is not None:
                candidates[i] = candidate
                counts[candidate.key] += 1
                continue
        if len(line) <= _RUNNING_MAX:
            short.append(i)
    return kinds, candidates, counts, short


def _next_text(lines: list[str], i: int) -> int:
    """The number of the first line from ``i`` on that is not blank (a Word file's
    paragraphs come with a blank line between them)."""
    while i < len(lines) and (not lines[i] or lines[i].isspace()):
        i += 1
    return i


def _head_candidate(head: str) -> LabelCandidate | None:
    """The candidate of every line ``head + ": " + rest`` whose rest starts with neither a
    space nor a timestamp character; :data:`_SLOW` when that does not hold for this head.

    The label regex reads ``head`` and the colon the same way whatever follows, and then
    takes everything after ``": "`` as content (a timestamp there would be ``ts3``): so a
    probe line with ``"x"`` as content gives the same candidate. If the label ends at an
    earlier colon (inside a timestamp) the content column differs: the slow path then.
    """
    candidate = classify_line(head + ": x")
    if candidate is None:
        return None
    if candidate.form != INLINE or candidate.content_col != len(head) + 2:
        return _SLOW
    return candidate


def _accept(c: LabelCandidate, counts: Counter[str]) -> bool:
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
        self.starts: list[int] = [0, *accumulate(len(line) + 1 for line in lines[:-1])]
        self.turns: list[Turn] = []
        self.outside: list[int] = []  # 1-based numbers of text lines left out of turns
        self.pages: list[int] = []  # 1-based numbers of page lines left out of turns
        self.inside: list[int] = []  # ... and of those inside a turn (text of the turn follows)
        self.held: list[int] = []  # page lines after a turn's text so far: out if the turn ends here

    def labelled(self, kinds: list[int], accepted: dict[int, LabelCandidate]) -> None:
        # The turn being built is kept in locals (this loop runs once per line of every
        # transcript imported); ``speaking`` says whether there is one.
        lines, starts, text, turns = self.lines, self.starts, self.text, self.turns
        pages = self.pages
        held: list[int] = []  # page lines after the turn's text so far
        speaking = False
        speaker: str | None = None
        time_start = time_end = pending = None  # pending: a timestamp-only line waiting for its label
        start: int | None = None
        end = 0
        for i, kind in enumerate(kinds):
            label = accepted.get(i)
            if kind == _PAGE and speaking and start is None:
                kind = _TEXT  # "R:" then "3" below it: the answer, not a page number
            if label is not None or kind == _STRUCTURE:
                if held:
                    pages += held
                    held.clear()
                if speaking and start is not None:
                    if text[end - 1] == "#":  # only f4 transcripts end a turn in '#'
                        end, time_end = self._f4_end(start, end, time_end)
                    if end > start:
                        turns.append(Turn(len(turns) + 1, speaker, start, end, time_start, time_end))
                if label is None:
                    speaking = False
                    continue
                speaking, speaker, time_end = True, label.speaker, label.time_end
                time_start = label.time_start if label.time_start is not None else pending
                pending = start = None
                if label.content_col is not None:
                    line = lines[i]
                    start = starts[i] + label.content_col
                    end = starts[i] + (len(line.rstrip()) if line[-1].isspace() else len(line))
            elif kind == _TEXT:
                pending = None
                if not speaking:
                    self.outside.append(i + 1)
                    continue
                if held:
                    self.inside += held
                    held.clear()
                line = lines[i]
                if start is None:
                    start = starts[i] + len(line) - len(line.lstrip())
                end = starts[i] + (len(line.rstrip()) if line[-1].isspace() else len(line))
            elif kind == _TIME_ONLY:
                pending = seconds(lines[i])[0]
                if speaking and start is None and time_start is None:
                    time_start = pending
            elif kind == _PAGE:
                (held if speaking else pages).append(i + 1)
        pages += held
        if speaking and start is not None:
            self._emit(speaker, start, end, time_start, time_end)

    def paragraphs(self, kinds: list[int]) -> None:
        current: _Open | None = None
        pending: float | None = None
        for i, kind in enumerate(kinds):
            if kind in (_BLANK, _STRUCTURE):
                self._close(current)
                current = None
            elif kind == _PAGE:
                (self.held if current is not None else self.pages).append(i + 1)
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
        if self.held:
            self.inside += self.held
            self.held = []
        line = self.lines[i]
        if current.start is None:
            current.start = self.starts[i] + len(line) - len(line.lstrip())
        current.end = self.starts[i] + len(line.rstrip())

    def _close(self, current: _Open | None) -> None:
        if self.held:
            self.pages += self.held
            self.held = []
        if current is not None and current.start is not None:
            self._emit(current.speaker, current.start, current.end, current.time_start, current.time_end)

    def _emit(self, speaker: str | None, start: int, end: int, time_start: float | None, time_end: float | None) -> None:
        """Add the turn ``[start, end)`` (an f4 end time taken off its end), unless it is empty."""
        if self.text[end - 1] == "#":
            end, time_end = self._f4_end(start, end, time_end)
        if end > start:
            self.turns.append(Turn(len(self.turns) + 1, speaker, start, end, time_start, time_end))

    def _f4_end(self, start: int, end: int, time_end: float | None) -> tuple[int, float | None]:
        """A turn ending in an f4 timestamp ``#00:01:23-4#``: the span without it, and its time."""
        opening = self.text.rfind("#", start, end - 1)
        m = _F4_TIME.fullmatch(self.text, opening, end) if opening >= 0 else None
        if m is None:
            return end, time_end
        return start + len(self.text[start:opening].rstrip()), seconds(m["ts"])[0]


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
