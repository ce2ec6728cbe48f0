"""Text positions as other tools count them, mapped onto qualcode's offsets.

qualcode's offsets are code points into the *normalised* text (BOM dropped, CRLF and
CR as LF, NFC, trailing whitespace dropped; see :func:`qualcode.ingest.normalise`).
REFI-QDA says selections count code points of the source file; not every tool does:

==================  ====================================  =========================
convention          counts                                known producer
==================  ====================================  =========================
``codepoints``      code points, CRLF = 2 (the standard)  qualcode, QualCoder
``codepoints-lf``   code points, CRLF = 1                 ATLAS.ti (per QualCoder)
``utf16``           UTF-16 code units, CRLF = 2           NVivo for Windows (verified)
``utf16-lf``        UTF-16 code units, CRLF = 1           (for completeness)
==================  ====================================  =========================

each counted from the first character after a BOM, or (``+bom`` variants) with the
BOM as position 0. Conventions only differ on files that have CRLF line ends,
characters outside the BMP (emoji) or a BOM, so only then is there anything to decide.

**The rule** (per source file): map every selection under every convention that can
differ, and count how many selection boundaries land on a word boundary (not between
two letters or digits); a position inside a UTF-16 surrogate pair or past the end
counts against. The convention with the most hits wins; on a tie the one the
producing tool is known for (``origin``), else the standard. On the NVivo for Windows
sample this picks ``utf16`` with 302/303 starts on a boundary, against about 80 for
code points.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

STANDARD = "codepoints"
_CRLF = re.compile("\r\n")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


@dataclass(frozen=True, slots=True)
class Convention:
    """One way of counting text positions (see the table above)."""

    name: str
    utf16: bool
    crlf_as_one: bool
    bom_counted: bool = False

    @property
    def label(self) -> str:
        unit = "UTF-16 code units" if self.utf16 else "code points"
        crlf = "CRLF as one" if self.crlf_as_one else "CRLF as two"
        bom = ", the BOM counted" if self.bom_counted else ""
        return f"{unit} ({crlf}{bom})"


BASE_CONVENTIONS = (
    Convention("codepoints", utf16=False, crlf_as_one=False),
    Convention("codepoints-lf", utf16=False, crlf_as_one=True),
    Convention("utf16", utf16=True, crlf_as_one=False),
    Convention("utf16-lf", utf16=True, crlf_as_one=True),
)

# What a qualcode export declares it wrote (qualcode/turns.json "positions"): trusted, not guessed.
KNOWN_CONVENTIONS = {"codepoints": BASE_CONVENTIONS[0], "utf16": BASE_CONVENTIONS[2]}

# The convention a producer is known for, used only to break ties (matched on `origin`).
PRODUCER_PRIORS = (
    ("nvivo for windows", "utf16"),
    ("nvivo", "utf16"),
    ("atlas.ti", "codepoints-lf"),
)


@dataclass(slots=True)
class Mapped:
    """One selection mapped to qualcode offsets, with how well it fits."""

    start: int
    end: int
    inside_char: bool = False  # a position fell inside a surrogate pair
    before_start: bool = False  # a position was negative (cut to 0)
    past_end: bool = False  # a position was beyond the text (cut to its end)

    @property
    def out_of_range(self) -> bool:
        return self.before_start or self.past_end


@dataclass(slots=True)
class Choice:
    """The convention chosen for one source and the evidence for it."""

    convention: Convention
    hits: int
    possible: int
    alternatives: list[tuple[Convention, int]]  # the others, with their hits

    @property
    def share(self) -> float:
        return self.hits / self.possible if self.possible else 1.0


class SourceText:
    """A source's text as the other tool saw it, and the map onto the normalised text.

    Positions are converted one by one (binary search over the few places where the
    conventions differ: CRLF pairs and characters outside the BMP), so a long
    transcript costs two regex scans, not a table per character.
    """

    def __init__(self, raw: str) -> None:
        self.had_bom = raw.startswith("\ufeff")
        self.raw = raw[1:] if self.had_bom else raw
        self._crlf = [m.start() for m in _CRLF.finditer(self.raw)]  # index of each CRLF's CR
        self._astral = [m.start() for m in _ASTRAL.finditer(self.raw)]
        lf_text = self.raw.replace("\r\n", "\n").replace("\r", "\n")
        if unicodedata.is_normalized("NFC", lf_text):
            self._nfc_map = None
            nfc_text = lf_text
        else:
            nfc_text, self._nfc_map = _nfc_with_map(lf_text)
        # The same text qualcode.ingest.normalise gives: trailing whitespace dropped.
        self.text = nfc_text.rstrip()

    def conventions(self) -> list[Convention]:
        """The conventions that can give different results on this text."""
        has_crlf, has_astral = bool(self._crlf), bool(self._astral)
        out = [c for c in BASE_CONVENTIONS if (has_crlf or not c.crlf_as_one) and (has_astral or not c.utf16)]
        if self.had_bom:
            out += [Convention(c.name + "+bom", c.utf16, c.crlf_as_one, True) for c in out]
        return out

    def _units_before(self, index: int, convention: Convention) -> int:
        """How many units of ``convention`` precede raw index ``index``."""
        units = index
        if convention.utf16:
            units += bisect_left(self._astral, index)  # the second half of each surrogate pair
        if convention.crlf_as_one:
            units -= bisect_left(self._crlf, index)  # the CR of a CRLF does not count
        return units

    def _to_norm(self, index: int) -> int:
        """Raw index -> normalised index. A position between CR and LF maps before the newline."""
        lf_index = index - bisect_left(self._crlf, index)
        norm = self._nfc_map[lf_index] if self._nfc_map is not None else lf_index
        return min(norm, len(self.text))

    def map_span(self, convention: Convention, start: int, end: int) -> Mapped:
        """A selection ``[start, end)`` in the convention's units, in qualcode offsets."""
        if (convention.utf16 and self._astral) or (convention.crlf_as_one and self._crlf):
            return self._searched(convention, start, end)
        # A unit is a raw index here (the common case): no search needed.
        shift = 1 if convention.bom_counted else 0
        total = len(self.raw)
        result = Mapped(0, 0)
        bounds = []
        for position in (start - shift, end - shift):
            bounds.append(self._to_norm(_clamped(result, position, total)))
        result.start, result.end = bounds
        return result

    def _searched(self, convention: Convention, start: int, end: int) -> Mapped:
        """:meth:`map_span` by binary search over the raw text (any convention)."""
        shift = 1 if convention.bom_counted else 0
        total = self._units_before(len(self.raw), convention)
        result = Mapped(0, 0)
        bounds = []
        for position, is_end in ((start - shift, False), (end - shift, True)):
            position = _clamped(result, position, total)
            low, high = 0, len(self.raw)  # smallest raw index whose unit position >= position
            while low < high:
                middle = (low + high) // 2
                if self._units_before(middle, convention) < position:
                    low = middle + 1
                else:
                    high = middle
            if self._units_before(low, convention) != position:
                # Inside a surrogate pair: widen the span to whole characters.
                result.inside_char = True
                low = low if is_end else low - 1
            bounds.append(self._to_norm(low))
        result.start, result.end = bounds
        return result

    def at_boundary(self, offset: int) -> bool:
        """True unless ``offset`` splits a word (falls between two letters or digits)."""
        text = self.text
        if offset <= 0 or offset >= len(text):
            return True
        return not (text[offset - 1].isalnum() and text[offset].isalnum())


def choose_convention(source: SourceText, spans: list[tuple[int, int]], origin: str | None) -> Choice:
    """Pick the convention under which the selections fit the text best (see the module rule)."""
    candidates = source.conventions()
    prior = _prior(origin)
    scored = []
    for convention in candidates:
        hits = 0
        for start, end in spans:
            mapped = source.map_span(convention, start, end)
            if mapped.out_of_range:
                hits -= 2
                continue
            if mapped.inside_char:
                hits -= 1
            hits += source.at_boundary(mapped.start) + source.at_boundary(mapped.end)
        # Rank: most hits; then the producer's known convention; then the list order (standard first).
        rank = (-hits, 0 if convention.name == prior else 1, candidates.index(convention))
        scored.append((rank, convention, hits))
    scored.sort(key=lambda item: item[0])
    _, best, hits = scored[0]
    return Choice(best, max(hits, 0), 2 * len(spans), [(c, h) for _, c, h in scored[1:]])


def _prior(origin: str | None) -> str:
    lowered = (origin or "").lower()
    for needle, name in PRODUCER_PRIORS:
        if needle in lowered:
            return name
    return STANDARD


def _nfc_with_map(text: str) -> tuple[str, list[int]]:
    parts: list[str] = []
    mapping: list[int] = []
    out = 0
    start = 0
    n = len(text)
    while start < n:
        end = start + 1
        while end < n and ord(text[end]) >= 128:
            end += 1
        chunk = text[start:end]
        if unicodedata.is_normalized("NFC", chunk):
            mapping.extend(range(out, out + len(chunk)))
            normal = chunk
        else:
            normal = unicodedata.normalize("NFC", chunk)
            # Inside a chunk that changed, a position maps to the length of its normalised prefix.
            previous = 0
            for k in range(len(chunk)):
                here = max(previous, min(len(unicodedata.normalize("NFC", chunk[:k])), len(normal)))
                mapping.append(out + here)
                previous = here
        parts.append(normal)
        out += len(normal)
        start = end
    mapping.append(out)
    return "".join(parts), mapping


def _clamped(result: Mapped, position: int, total: int) -> int:
    """``position`` inside ``[0, total]``; ``result`` notes which side it was off."""
    if position < 0:
        result.before_start = True
        return 0
    if position > total:
        result.past_end = True
        return total
    return position
