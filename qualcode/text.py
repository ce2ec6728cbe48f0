"""Sentence and word segmentation for moving around a transcript (pure core).

The coding screen needs sentences the moment a transcript opens, so this is a
regex splitter, not spaCy (loading spaCy costs about a second). It follows the
spirit of spaCy's ``sentencizer``: a sentence ends after ``. ! ? …`` (and their
CJK forms) plus any closing quotes or brackets. On top of that it knows what
trips a plain splitter in Dutch interviews:

* abbreviations (``bijv.``, ``o.a.``, ``mevr.``) and initials (``mevrouw B.``)
  do not end a sentence;
* a trailing-off ``...`` followed by a lower-case word (``ik ben nu... acht
  jaar``) does not either;
* a line break always does (paragraphs and speaker turns);
* a transcription mark right after a sentence end (``Bij elkaar. (gelach) Nee,
  echt.``) closes that sentence instead of starting the next one: ``(lacht)``,
  ``(gelach)``, ``(zucht)``, ``(...)`` -- parentheses around lower-case words or
  dots only, so ``(CJG)`` or a bracketed name is left alone.

It also cuts a transcript into blocks (:func:`text_blocks`): its speaker turns,
plus text outside every turn that is not a speaker label (a title, a heading).
Blocks are what the coding screen draws and ``qualcode show`` lists, and a coded
span is cut at their edges (:func:`block_parts`), so no coding ever quotes a
speaker label or a timestamp.

All offsets are code points into the string, half-open ``[start, end)``, like
every offset in qualcode.
"""

from __future__ import annotations

import re
import string
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Turn

# Also Teams' "0:0:3.120": hours, minutes and seconds of one digit, with a fraction.
_TS = r"(?:(?:\d{1,2}:)?\d{1,2}:\d{2}(?:[.,]\d{1,3})?|\d{1,2}:\d{1,2}:\d[.,]\d{1,3})"
_TS_RANGE = rf"{_TS}(?:\s*(?:-->|[-–—])\s*{_TS})?"
# A timestamp as transcribers write it (``[00:01:23]``, ``(01:23)``, f4's ``#00:01:23-4#``,
# ``00:01:23``). Bare ones may not run on into more digits; a bare range only with an
# arrow, as subtitles write it (Teams: "0:0:3.120 --> 0:0:7.450"). The importer reads
# them (qualcode.ingest.labels); here they keep text between turns out of the blocks.
TIMESTAMP = rf"(?:\[\s*{_TS_RANGE}\s*\]|\(\s*{_TS_RANGE}\s*\)|\#{_TS}(?:-\d+)?\#|{_TS}(?:[ \t]*-->[ \t]*{_TS})?(?![\d:]))"
_ONLY_TIMES = re.compile(rf"(?:\s*{TIMESTAMP})+\s*")

# Closing punctuation that belongs to the sentence before it.
_CLOSERS = "\"'”’»)]}"
_CLOSE = re.escape(_CLOSERS)
# Dutch (and a few English) abbreviations that end in a full stop, lower-cased.
ABBREVIATIONS = frozenset(
    """
    bijv bv bijvoorbeeld o.a d.w.z m.a.w mevr dhr drs dr mr ir ing prof ca enz etc evt i.p.v t.a.v t.o.v
    incl excl nl vs resp jl jr sr nr blz p pag e.d e.a z.g.a.n a.u.b s.v.p m.b.t i.v.m n.a.v o.i.d
    """.split()
)


# The first character stands alone (then each branch checks which one it was) so
# that the regex engine can skip ahead to candidates: a pattern that starts with
# alternatives is tried at every position, four times slower. The group ``next`` is
# the character after a Latin end and the spaces or tabs after it (a lower-case word
# goes on with the sentence, a ``(`` may open a transcription mark): the regex finds it
# faster than the splitter's loop.
_END = re.compile(
    rf"""
    [.!?…。！？\n]
    (?: (?<=[.!?…]) [.!?…]* [{_CLOSE}]* (?=\s|$)     # Latin: needs whitespace (or the end) after it
        (?=[ \t]*(?P<next>[^ \t]))?
      | (?<=[。！？]) [。！？]* [{_CLOSE}」』]*          # CJK: no space follows a full stop
      | (?<=\n)                                    # a line break ends a sentence and a paragraph
    )
    """,
    re.VERBOSE,
)
# A transcription mark: "(lacht)", "(gelach)", "(stilte van 3 sec.)", "(...)", "(…)".
_MARK = re.compile(r"[ \t]*\((?:[a-zà-ÿ][a-zà-ÿ .,'’0-9-]{0,38}|[.…]{1,3})\)[{_CLOSE}]?".replace("{_CLOSE}", re.escape(_CLOSERS)))
_WORD = re.compile(r"\w+(?:['’\-]\w+)*", re.UNICODE)

_WORD_WINDOW = 40  # how far back _is_abbreviation looks for the space before a word
# Two lower-case letters (a-z) before a full stop that no abbreviation ends in ("st", "en"):
# that "." closes no abbreviation (the word before it ends in them, so it is none) and no
# initial (a word of two letters at least). Most full stops of Dutch prose are decided so.
_PLAIN_ENDINGS = frozenset(a + b for a in string.ascii_lowercase for b in string.ascii_lowercase) - {
    word[-2:] for word in ABBREVIATIONS
}


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the ``.`` at ``dot`` closes an abbreviation or an initial."""
    # The usual case, a plain word after a space ("gedaan."), with string methods:
    # walking back a character at a time was a third of the splitter's time.
    space = text.rfind(" ", max(0, dot - _WORD_WINDOW), dot)
    if space >= 0:
        word = text[space + 1 : dot]
        if word.isalpha():
            return word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper())
    start = dot
    while start > 0 and (text[start - 1].isalpha() or text[start - 1] == "."):
        start -= 1
    written = text[start:dot]
    if not written:
        return False
    if written.lower() in ABBREVIATIONS:
        return True
    # A single capital letter: an initial ("mevrouw B. zei"; counted as written: 'İ' is two in lower case).
    return len(written) == 1 and written.isupper()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` as spans, without surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    _sentences(text, start, len(text) if end is None else end, spans)
    return spans


def _letters(word: str) -> str:
    """``word`` as a regex matching it in any case of its ASCII letters ("bv" -> "[bB][vV]")."""
    return "".join(f"[{c}{c.upper()}]" for c in word)


def _surely_no_abbreviation() -> str:
    """Lookbehinds at a ``.`` that hold only where :func:`_split` would find no abbreviation
    or initial before it (where none holds, the fast pass below leaves the span to it).

    Two lower-case letters of :data:`_PLAIN_ENDINGS` (the splitter's own shortcut); no
    letter (a digit, a bracket: the splitter finds no word); a word of 1 to 12 letters that
    is no abbreviation nor one capital (an initial), after a character that is neither a
    letter nor a ``.`` or at the start of the text (the word the splitter judges, whether
    it takes the word after the last space or walks back over the letters: the "s" of
    "collega’s"); 13 letters or more (longer than any abbreviation). Letters: those of
    Latin-1, which no abbreviation holds except in ASCII.
    """
    letter = "[A-Za-zÀ-ÖØ-öø-ÿ]"
    endings = sorted({a + b for a in string.ascii_lowercase for b in string.ascii_lowercase} - _PLAIN_ENDINGS)
    tests = [rf"(?<=[a-z][a-z])(?<!{'|'.join(endings)})", r"(?<![^\W\d_])"]
    longest = max(map(len, ABBREVIATIONS))
    for n in range(1, longest + 1):
        words = sorted(w for w in ABBREVIATIONS if len(w) == n and w.isalpha())
        unless = f"(?<!{'|'.join(map(_letters, words))})" if words else ""
        word = "[a-zß-öø-ÿ]" if n == 1 else f"{letter}{{{n}}}"  # one capital is an initial
        tests.append(rf"(?:(?<=[^\w.]{word})|(?<=[\d_]{word})|(?<=\A{word})){unless}")
    tests.append(rf"(?<={letter}{{{longest + 1}}})")
    return "(?:" + "|".join(tests) + ")"


# The splitter's verdicts as one regex, for the usual text: each match is a sentence, as
# :func:`_split` would cut it, for any span of text in which every candidate end is one of
# a few plain kinds (``.``, ``!``, ``?`` runs; a ``.`` after a word that surely is no
# abbreviation; a next character that is an ASCII letter, a digit or punctuation). At the
# first thing it does not judge (``…``, CJK, an abbreviation, a non-ASCII letter after a
# full stop ...) the group ``hard`` takes the rest of the span: the splitter then cuts the
# whole span itself. An import splits every turn: a regex match per sentence costs a
# fraction of the loop's Python per candidate.
_NOT_LOWER = r"[\x00-\x60\x7b-\x7f“‘«„—–À-ÖØ-Þ\xa0]"  # a next character that is surely not lower-case
_FAST = re.compile(
    rf"""
    (?=\S)
    (?: [^\n.!?…。！？]++                              # words and spaces, and what surely ends no sentence:
      | [.!?]++[{_CLOSE}]*+(?!\s|\Z)                # punctuation inside a word ("3.5", "www.nl")
      | [.!?]++(?<=\.)[{_CLOSE}]*+(?=[ \t]+[a-z])   # a full stop before a lower-case word
    )*+
    (?: (?: [.!?]++(?<=[!?])[{_CLOSE}]*+(?=\s|\Z)
          | (?:[.!?]++(?<=[.!?]\.)|{_surely_no_abbreviation()}\.(?![.!?]))
            [{_CLOSE}]*+(?=\s|\Z)(?=[ \t]*+(?:\Z|{_NOT_LOWER}))
        )
        # Transcription marks after the end; one with a full stop inside is the splitter's
        # (it judges that full stop again).
        (?:[ \t]*+\([a-zà-ÿ][a-zà-ÿ ,'’0-9-]{{0,38}}\)[{_CLOSE}]?)*+(?!{_MARK.pattern})
      | (?<=\S)(?=\n|\Z)                              # a line break or the end of the span
      | (?P<hard>[\s\S]*)
    )
    """,
    re.VERBOSE,
)
_span = re.Match.span


def _sentences(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Add the sentences of ``text[start:end]`` to ``out``: :data:`_FAST`'s, unless it
    leaves the span to :func:`_split`."""
    found = list(_FAST.finditer(text, start, end))
    if found and found[-1].lastindex:
        _split(text, start, end, out)
    else:
        out += map(_span, found)


def _split(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Add the sentences of ``text[start:end]`` to ``out`` (the splitter's one loop).

    Every candidate end (a match of ``_END``) is judged in turn: a ``.`` that closes an
    abbreviation or an initial is no end; a ``.`` or ``…`` before a lower-case word
    ("nu... acht jaar", "enz. en toen") is none either; an end takes the transcription
    marks right after it ("Bij elkaar. (gelach) Nee, echt."). Inlined (an import splits
    every turn of every transcript): a call per candidate was most of the splitter's time.
    """
    end = min(end, len(text))  # a turn stored past the end: up to the end
    begin = start
    append = out.append
    for match in _END.finditer(text, start, end):
        dot, stop_at = match.span()
        first = text[dot]
        if first == "\n":
            last = dot  # the sentence ends before the line break and the spaces before it
            while last > begin and text[last - 1].isspace():
                last -= 1
        else:
            stop = first if stop_at - dot == 1 else text[dot:stop_at].rstrip(_CLOSERS)
            following = match.group("next")
            if stop == "." and text[dot - 2 : dot] not in _PLAIN_ENDINGS:
                # _is_abbreviation's usual case inlined: a plain word after a space.
                space = text.rfind(" ", dot - _WORD_WINDOW if dot > _WORD_WINDOW else 0, dot)
                word = text[space + 1 : dot] if space >= 0 else ""
                if word.isalpha():
                    if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isupper()):
                        continue
                elif _is_abbreviation(text, dot):
                    continue
            if following is None and first in "。！？":  # CJK: ``next`` is for Latin ends
                after = stop_at
                while after < end and text[after] in " \t":
                    after += 1
                following = text[after] if after < end else None
            if following is not None:
                if following.islower() and stop[-1] in ".…":
                    continue
                if following == "(":
                    while (found := _MARK.match(text, stop_at, end)) is not None:
                        stop_at = found.end()
            last = stop_at  # an end mark, a closing quote or a transcription mark: no space
        # The sentence [begin, last) without the whitespace before it.
        while begin < last and text[begin].isspace():
            begin += 1
        if begin < last:
            append((begin, last))
        begin = stop_at
    while begin < end and text[begin].isspace():
        begin += 1
    while end > begin and text[end - 1].isspace():
        end -= 1
    if begin < end:
        append((begin, end))


# The version of the rules above: the store keeps every transcript's sentences (migration
# 0012_sentence_bounds) and computes again those split under another version, so raise it
# with any change to what sentence_spans returns.
SENTENCE_RULES = 1


def content_spans(turns: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The non-empty turn spans, sorted (``[(0, length)]`` when there are none): the text a
    transcript's units are counted in."""
    spans = sorted(s for s in turns if s[0] < s[1])
    return spans or ([(0, length)] if length else [])


def sentences_in(text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The sentences of each of ``spans`` (sorted, disjoint), one list in text order."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        _sentences(text, start, end, out)
    return out


_WHOLE = re.compile(r"-?[0-9]{1,18}")


def whole_number(text: str) -> int | None:
    """``text`` (spaces around it allowed) as a whole number written in ASCII digits, with
    at most 18 of them (it fits the store's 64-bit integers), else None: ``int()`` also
    takes ``'1_000'`` and ``'٣'``, and fails on a 5,000-digit number."""
    text = text.strip()
    return int(text) if _WHOLE.fullmatch(text) else None


def word_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The words of ``text[start:end]`` (letters, digits, inner apostrophes and hyphens)."""
    end = len(text) if end is None else end
    return [m.span() for m in _WORD.finditer(text, start, end)]


def next_word_start(text: str, pos: int, end: int | None = None) -> int:
    """The start of the first word after the one at ``pos`` (``end`` if none)."""
    end = len(text) if end is None else end
    here = _WORD.match(text, pos, end)
    if here and here.start() == pos:
        pos = here.end()
    found = _WORD.search(text, pos, end)
    return found.start() if found else end


def word_end(text: str, pos: int, end: int | None = None) -> int:
    """The end of the word at ``pos``, or of the next word if ``pos`` is between words."""
    end = len(text) if end is None else end
    found = _WORD.search(text, pos, end)
    if found is None:
        return end
    if found.end() == pos:  # at the end of a word already: go to the next one
        found = _WORD.search(text, pos + 1, end)
    return found.end() if found else end


def prev_word_start(text: str, pos: int, start: int = 0) -> int:
    """The start of the word before ``pos`` (or of the word ``pos`` is inside)."""
    best = start
    # Search backwards in a window: words are short, so this stays O(word length).
    window = max(start, pos - 200)
    while True:
        for match in _WORD.finditer(text, window, pos):
            if match.start() < pos:
                best = match.start()
        if best > window or window == start:
            return best if best < pos else start
        window = max(start, window - 2000)


@dataclass(frozen=True, slots=True)
class TextBlock:
    """A run of text read together: a speaker turn, or text outside any turn."""

    index: int  # position in the list of blocks
    start: int
    end: int
    turn: Turn | None = None

    @property
    def role(self) -> str | None:
        return self.turn.role if self.turn else None


def text_blocks(text: str, turns: list[Turn]) -> list[TextBlock]:
    """The turns as blocks, plus text between turns that is not a speaker label (headings).

    Text between turns that is only timestamps (f4's ``#00:01:23-4#`` after a turn, a
    ``[00:12:03]`` line before a label) is no block: it belongs to the turns' times, so
    it is neither shown as text nor ever part of a coding."""
    blocks: list[TextBlock] = []
    spans: list[tuple[int, int, Turn | None]] = []
    prev = 0
    for turn in sorted(turns, key=lambda t: t.start):
        gap = text[prev : turn.start].rstrip()
        cut = gap.rfind("\n")  # the last non-empty line of the gap holds the turn's label
        if cut > 0 and gap[:cut].strip() and not _ONLY_TIMES.fullmatch(gap, 0, cut):
            spans.append((prev, prev + cut, None))
        if turn.end > turn.start:
            spans.append((turn.start, turn.end, turn))
        prev = max(prev, turn.end)
    if text[prev:].strip() and not _ONLY_TIMES.fullmatch(text, prev):
        spans.append((prev, len(text), None))
    for start, end, owner in spans:
        if owner is None:  # trim loose text; turns keep their exact stored span
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
            if start == end:
                continue
        blocks.append(TextBlock(len(blocks), start, end, owner))
    return blocks


def block_parts(text: str, blocks: list[TextBlock], start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at block edges: the non-blank pieces inside blocks.

    What lies between two turns (the next speaker's label, a timestamp) is in no
    block, so it never becomes part of a coding's text: a span of nothing else
    has no parts. A text without blocks (all blank) has none either. A span that
    takes in turns leaves out the text outside them it crosses (a title, a heading,
    Teams' "... heeft transcriptie gestopt"): only a span of such text alone codes it.
    """
    out: list[tuple[int, int]] = []
    outside: list[tuple[int, int]] = []
    first = max(bisect_right([b.start for b in blocks], start) - 1, 0)
    for block in blocks[first:]:
        if block.start >= end:
            break
        s, e = max(start, block.start), min(end, block.end)
        if s < e and text[s:e].strip():
            (out if block.turn is not None else outside).append((s, e))
    return out or outside
