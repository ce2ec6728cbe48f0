"""Coding operations shared by the CLI and the TUI: resolve, apply, remove, memo."""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable

from .codebook import Codebook
from .errors import (
    AMBIGUOUS_TRANSCRIPT,
    BAD_TURN,
    LOCATION_CHOICE,
    NOT_CODABLE,
    NOTHING_TO_CODE,
    QUOTE_AMBIGUOUS,
    QUOTE_NOT_FOUND,
    SPAN_SYNTAX,
    TURNS_SYNTAX,
    UNKNOWN_CODE,
    UNKNOWN_TRANSCRIPT,
    error,
    span_error,
)
from .model import MANUAL, Coding, Turn
from .store import Added, Store
from .termsafe import INVISIBLE, nfc
from .text import TextBlock, block_parts, text_blocks


def resolve_transcript(store: Store, ref: str) -> int:
    """A transcript id from its name, its file name, its number or a unique prefix."""
    return TranscriptLookup(store)(ref)


def resolve_transcripts(store: Store, refs: Iterable[str]) -> list[int]:
    """:func:`resolve_transcript` of each reference, every one checked first; each transcript
    once, in the order first named (``suggest A A`` worked through A twice and counted it twice)."""
    lookup = TranscriptLookup(store)
    return list(dict.fromkeys(lookup(ref) for ref in refs))


class TranscriptLookup:
    """:func:`resolve_transcript` for many references (a bulk file's lines): a name is one
    indexed look-up; the names and file names the other forms are matched against are read
    once, when one first needs them (the project's transcripts do not change meanwhile)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._names: dict[int, str] | None = None
        self._files: dict[str, list[int]] | None = None
        self._by_name: dict[str, int] = {}

    def __call__(self, ref: str) -> int:
        tid = self.store.transcripts.id_by_name(ref)
        if tid is not None:
            return tid
        names = self._names
        if names is None:
            # 'é' typed as e + a combining accent is the stored 'é' (names are NFC; older ones may not be)
            names = self._names = {tid: nfc(name) for tid, name in self.store.transcripts.names().items()}
            self._by_name = {name: tid for tid, name in names.items()}
        ref = nfc(ref)
        if ref in self._by_name:
            return self._by_name[ref]
        files = self._files
        if files is None:
            files = self._files = {}
            for source_tid, source in self.store.transcripts.source_paths().items():
                if source:
                    files.setdefault(source.replace("\\", "/").rsplit("/", 1)[-1], []).append(source_tid)
                    files.setdefault(source, []).append(source_tid)
        if len(files.get(ref, [])) == 1:
            return files[ref][0]
        if ref.isascii() and ref.isdigit() and int(ref) in names:
            return int(ref)
        matches = [tid for tid, name in names.items() if name.startswith(ref)] or [
            tid for tid, name in names.items() if ref.lower() in name.lower()
        ]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            raise error(AMBIGUOUS_TRANSCRIPT, name=ref, matches=", ".join(sorted(names[m] for m in matches)))
        close = difflib.get_close_matches(ref, list(self._by_name), n=1)
        raise error(UNKNOWN_TRANSCRIPT, name=ref, suggestion=f"; did you mean '{close[0]}'?" if close else "")


def parse_span(value: str) -> tuple[int, int]:
    """``START:END`` (code points) to a pair of ints (whether it fits a transcript is checked by the caller)."""
    try:
        start_text, end_text = value.split(":")
        return int(start_text), int(end_text)
    except ValueError:
        raise error(SPAN_SYNTAX, value=value) from None


def parse_turns(value: str) -> tuple[int, int]:
    """``N`` or ``A-B`` (turn numbers, inclusive) to ``(first, last)``."""
    first, sep, last = value.partition("-")
    try:
        a = int(first)
        b = int(last) if sep else a
    except ValueError:
        raise error(TURNS_SYNTAX, value=value) from None
    if a < 1 or b < a:
        raise error(TURNS_SYNTAX, value=value)
    return a, b


def turn_span(store: Store, tid: int, number: int, turns: list[Turn] | None = None) -> tuple[int, int]:
    """Start and end of turn ``number`` (``turns``: the transcript's, if already read)."""
    turns = store.transcripts.turns(tid) if turns is None else turns
    for turn in turns:
        if turn.index == number:
            return turn.start, turn.end
    raise error(BAD_TURN, name=store.transcripts.name(tid), turn=number, count=len(turns))


def locate(
    store: Store,
    tid: int,
    *,
    turn: int | None = None,
    span: str | tuple[int, int] | None = None,
    text: str | None = None,
    transcript_text: str | None = None,
    turns: list[Turn] | None = None,
) -> tuple[int, int]:
    """The span a request names: a whole turn, ``START:END``, or a quoted text (inside the turn if given).

    One function for ``qualcode code``, ``uncode``, ``codings reattach`` and
    ``code --from``, so all of them check alike. ``transcript_text`` and ``turns``
    may be passed by a caller that already read them (bulk coding).
    """
    if span is not None and (turn is not None or text is not None):
        raise error(LOCATION_CHOICE, problem="--span names the characters itself; leave out --turn and --text")
    if span is not None:
        start, end = parse_span(span) if isinstance(span, str) else span
        length = len(transcript_text) if transcript_text is not None else store.transcripts.infos([tid])[0].chars
        if not 0 <= start < end <= length:  # reversed, empty, negative or too long: each says so
            raise span_error(start, end, store.transcripts.name(tid), length)
        return start, end
    if turn is None and text is None:
        raise error(LOCATION_CHOICE, problem="no turn, span or text given")
    lo, hi = (0, None) if turn is None else turn_span(store, tid, turn, turns)
    if text is None:
        assert hi is not None  # no text, so a turn was given
        return lo, hi
    full = store.transcripts.text(tid) if transcript_text is None else transcript_text
    return find_quote(full, text, lo, len(full) if hi is None else hi, store.transcripts.name(tid), turn)


def find_quote(full: str, quote: str, lo: int, hi: int, name: str, turn: int | None = None) -> tuple[int, int]:
    """The one place of ``quote`` in ``full[lo:hi]``: exactly, else with any run of whitespace matching any other."""
    where = f"turn {turn} of '{name}'" if turn is not None else f"'{name}'"
    shown = repr(quote if len(quote) <= 60 else quote[:59] + "…")
    words = quote.split()
    if not words:
        raise error(LOCATION_CHOICE, problem="--text is empty")
    found = _places(full, quote, lo, hi)
    if not found and not unicodedata.is_normalized("NFC", quote):
        # Transcripts are stored in NFC (see ingest.decode.normalise); a quote typed or
        # pasted from a Mac (NFD: "e" + combining accent) names the same letters.
        quote = unicodedata.normalize("NFC", quote)
        words = quote.split()
        found = _places(full, quote, lo, hi)
    if not found:  # quotes copied from a PDF or an e-mail have other line breaks and spaces
        pattern = re.compile(r"\s+".join(map(re.escape, words)))
        found = [(m.start(), m.end()) for m in pattern.finditer(full, lo, hi)]
    visible = [w for w in map(_visible, words) if w]
    if not found and visible and _INVISIBLE.search(full, lo, hi):
        # The transcript holds zero-width or direction characters (pasted from Word or a
        # web page) that the quote, typed by hand, cannot show: let them come anywhere.
        gap = _INVISIBLE.pattern + "*"
        between = r"(?:\s|" + _INVISIBLE.pattern + ")+"
        pattern = re.compile(between.join(gap.join(map(re.escape, word)) for word in visible))
        found = [(m.start(), m.end()) for m in pattern.finditer(full, lo, hi)]
    if not found:
        raise error(QUOTE_NOT_FOUND, quote=shown, where=where, name=name)
    if len(found) > 1:
        places = ", ".join(f"{s}:{e}" for s, e in found[:5]) + (", ..." if len(found) > 5 else "")
        raise error(QUOTE_AMBIGUOUS, quote=shown, count=len(found), where=where, places=places)
    return found[0]


_INVISIBLE = re.compile(INVISIBLE)


def _visible(word: str) -> str:
    return _INVISIBLE.sub("", word)


def _places(full: str, quote: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out = []
    at = full.find(quote, lo, hi)
    while at >= 0:
        out.append((at, at + len(quote)))
        at = full.find(quote, at + 1, hi)
    return out


def check_code(codebook: Codebook, code_id: str) -> None:
    """Refuse unknown codes (with a suggestion) and folders that are not codable."""
    code = codebook.get(code_id)
    if code is None:
        close = codebook.suggest_id(code_id)
        raise error(UNKNOWN_CODE, code=code_id, suggestion=f"; did you mean '{close}'?" if close else "")
    if not code.codable:
        raise error(NOT_CODABLE, code=code_id, children=", ".join(c.id for c in code.children) or "none")


def expand_codes(codebook: Codebook, store: Store, codes: Iterable[str]) -> list[str]:
    """The given codes with all their sub-codes, for filtering by ``--code``.

    A code that left the codebook but still has codings in the store is kept as it
    is (its codings must stay findable); an unknown code raises with a suggestion.
    """
    wanted: list[str] = []
    for code_id in codes:
        if code_id in codebook:
            wanted += [code_id, *(c.id for c in codebook.descendants(code_id))]
        elif store.codes.exists(code_id):
            wanted.append(code_id)
        else:
            check_code(codebook, code_id)  # raises "unknown code"
    return wanted


def apply_code(
    store: Store,
    codebook: Codebook,
    tid: int,
    start: int,
    end: int,
    code_id: str,
    coder: str,
    *,
    memo: str | None = None,
    origin: str = MANUAL,
) -> Added:
    """Apply a codebook code to a span (one committed transaction); says whether it is new."""
    check_code(codebook, code_id)
    text = store.transcripts.text(tid)
    if 0 <= start < end <= len(text):  # out-of-range spans are refused by the store
        start, end = trim_span(text, start, end)
    return store.codings.add(tid, start, end, code_id, coder, memo=memo, origin=origin)


def coding_parts(
    store: Store, tid: int, start: int, end: int, *, text: str | None = None, blocks: list[TextBlock] | None = None
) -> list[tuple[int, int]]:
    """``[start, end)`` cut at turn edges (:func:`qualcode.text.block_parts`): one coding per
    turn, never a speaker label or a timestamp in a coding's text. Raises NOTHING_TO_CODE
    for a span that holds nothing else. A caller coding many spans of one transcript
    passes its ``text`` and ``blocks`` (:func:`qualcode.text.text_blocks`) once."""
    text = store.transcripts.text(tid) if text is None else text
    blocks = text_blocks(text, store.transcripts.turns(tid)) if blocks is None else blocks
    parts = block_parts(text, blocks, start, end)
    if not parts:
        raise error(NOTHING_TO_CODE, start=start, end=end, name=store.transcripts.name(tid))
    return parts


SPAN_OVERLAP = 0.5  # share of the shorter span two spans must share to count as the same passage


def settle_suggestions(store: Store, codings: Iterable[Coding]) -> list[int]:
    """Accept the pending suggestions these new codings make redundant (decided by the
    coding's coder); their ids.

    Joins the caller's transaction. A suggestion of the same code that a coding covers
    by :data:`SPAN_OVERLAP` is the one the suggester itself would no longer propose.
    """
    settled: list[int] = []
    for coding in codings:
        settled += store.suggestions.settle_covered(coding, SPAN_OVERLAP)
    return settled


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends in whitespace (if anything is left)."""
    s, e = start, end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else (start, end)


def codings_at(store: Store, tid: int, start: int, end: int | None = None, code_id: str | None = None) -> list[Coding]:
    """Codings overlapping ``[start, end)`` (or containing ``start`` when end is None)."""
    stop = start + 1 if end is None else end
    return store.codings.find(tid, [code_id] if code_id else None, overlapping=(start, stop))
