"""An agreement study over plain data: documents x coders x codes (pure core).

:func:`compute` takes the coders' coded spans and each document's units and
returns per code, per transcript and overall: percent agreement, Cohen's kappa
(two coders), Krippendorff's alpha (nominal), or for the segment unit MAXQDA's
matched/unmatched table with Brennan & Prediger's kappa. It also says exactly
what was counted, so the figure can be reported.

* Per code, each unit is *present* or *absent* for a coder (did the coder apply
  this exact code there; sub-codes are codes of their own).
* Across codes (the per-transcript and overall rows) every (unit, code) pair is
  one present/absent decision, pooled over the codes.
* A coder without a single coding in a transcript did not code it: missing data
  there (left out of kappa and percent agreement; alpha allows it). A transcript
  coded by fewer than two of the coders is left out and named.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import repeat

from ..errors import NOTHING_IN_COMMON, SEGMENT_NEEDS_TWO, TOO_FEW_CODERS, error
from ..termsafe import first_of
from .coefficients import Pattern, brennan_prediger, cohen_kappa, krippendorff_alpha, pairable_units, percent_agreement
from .runs import Regions, Span, Units, character_patterns, union, unit_patterns
from .segments import SegmentCount, segment_count
from .units import CHARACTER, SEGMENT, SENTENCE, TURN, stored_units, units_size

DEFAULT_OVERLAP = 90


LEFT_OUT_SHOWN = 10  # names of left-out transcripts in the statement


@dataclass(frozen=True, slots=True)
class CodedSpan:
    """One coding as the study sees it."""

    transcript: int
    start: int
    end: int
    code: str
    coder: str


@dataclass(frozen=True, slots=True)
class Document:
    """One transcript: its id, name and units (see :func:`~qualcode.agreement.units.document_units`)."""

    id: int
    name: str
    units: Sequence[Span]


@dataclass(slots=True)
class Row:
    """The figures for one code, one transcript, or everything (``None`` = all)."""

    code: str | None
    transcript: str | None
    units: int  # pairable units (segment unit: segments of both coders)
    percent: float | None
    kappa: float | None  # Cohen's (segment unit: Brennan & Prediger's)
    alpha: float | None  # Krippendorff's nominal alpha (None for the segment unit)
    segments: SegmentCount | None = None


@dataclass(slots=True)
class Agreement:
    """The result of :func:`compute`: rows and the facts needed to report them."""

    unit: str
    coders: list[str]
    overlap: int | None  # percent, segment unit only
    codes: list[str]
    by_code: list[Row] = field(default_factory=list)
    by_transcript: list[Row] = field(default_factory=list)
    overall: Row | None = None
    transcripts: list[str] = field(default_factory=list)  # counted
    left_out: list[str] = field(default_factory=list)  # coded by fewer than two of the coders
    unit_total: int = 0  # units (characters, sentences, turns) in the counted transcripts
    sizes: list[int] = field(default_factory=list)  # the units of each counted transcript (as ``transcripts``)
    segments_per_coder: dict[str, int] = field(default_factory=dict)

    @property
    def rows(self) -> list[Row]:
        return [*self.by_code, *self.by_transcript, *([self.overall] if self.overall else [])]

    def statement(self) -> str:
        """What was counted, in words fit for a methods section."""
        coders = " and ".join([", ".join(self.coders[:-1]), self.coders[-1]]) if len(self.coders) > 1 else self.coders[0]
        docs = f"{len(self.transcripts)} transcript(s)"
        if self.unit == SEGMENT:
            counts = ", ".join(f"{self.segments_per_coder.get(c, 0):,} by {c}" for c in self.coders)
            text = (
                f"Unit: coded segment ({counts}) in {docs} coded by {coders}. A segment counts as matched when the"
                f" other coder applied the same code to a segment overlapping it by at least {self.overlap}%"
                " (shared characters / characters covered by either segment). Percent = matched segments of both"
                " coders / all their segments. Kappa after Brennan & Prediger (1981), as MAXQDA reports it:"
                " chance agreement 1/q, q = the number of codes compared (undefined for a single code)."
            )
        else:
            what = {
                CHARACTER: "character (code point of turn text; speaker labels and timestamps excluded)",
                SENTENCE: "sentence of a turn (a coder codes a sentence when a coding overlaps it)",
                TURN: "speaker turn (a coder codes a turn when a coding overlaps it)",
            }[self.unit]
            kappa = "Cohen's kappa" if len(self.coders) == 2 else "kappa not shown (more than two coders)"
            text = (
                f"Unit: {what}; {self.unit_total:,} units in {docs} coded by {coders}. Per code each unit is present"
                " or absent for each coder (sub-codes count as codes of their own); across codes every (unit, code)"
                f" pair is one decision. Percent agreement (pairwise), {kappa}, Krippendorff's alpha (nominal)."
            )
        if self.left_out:
            # A team double-codes a share of the interviews: the rest can be hundreds of names
            # (the JSON's left_out has them all).
            left_out = first_of(self.left_out, LEFT_OUT_SHOWN)
            text += f" Left out, {len(self.left_out):,} transcript(s) coded by fewer than two of the coders: {left_out}."
        return text + " 'undefined': every value in one category, or too few units."


def compute(
    spans: Iterable[CodedSpan],
    documents: Sequence[Document],
    coders: Sequence[str],
    *,
    unit: str,
    codes: Sequence[str] | None = None,
    overlap: int = DEFAULT_OVERLAP,
) -> Agreement:
    """Agreement of ``coders`` on ``documents``; ``codes`` default to every code a coder used.

    ``spans`` may hold other coders' and other documents' codings: they are ignored.
    Which transcripts a coder coded is judged from all of that coder's spans, so
    restricting ``codes`` never turns "absent" into "missing".
    """
    coders = _checked(coders, unit)
    wanted_docs = {d.id for d in documents}
    index = {c: i for i, c in enumerate(coders)}
    coded_by: dict[int, set[int]] = defaultdict(set)
    by_document: dict[int, list[tuple[str, int, int, str]]] = defaultdict(list)
    used: set[str] = set()
    for s in spans:
        i = index.get(s.coder)
        if i is None or s.transcript not in wanted_docs:
            continue
        coded_by[s.transcript].add(i)
        used.add(s.code)
        by_document[s.transcript].append((s.code, s.start, s.end, s.coder))
    units = {d.id: d.units for d in documents}

    def load_units(counted: Sequence[Document]) -> Iterator[Bounds]:
        for d in counted:
            yield [s for s, _ in units[d.id]], [e for _, e in units[d.id]]

    result, found = study(
        documents,
        coders,
        coded_by,
        used,
        load_units,
        lambda counted, _codes: (by_document.get(d.id, ()) for d in counted),
        unit=unit,
        codes=codes,
        overlap=overlap,
    )
    for _row in found:  # each row is kept in the result
        pass
    return result


Bounds = tuple[Sequence[int], Sequence[int]]  # a document's units: their starts and ends
UnitsLoader = Callable[[Sequence[Document]], Iterable[Bounds]]
# Each document's codings with these codes, in order: (code, start, end, coder).
DocumentSpans = Callable[[Sequence[Document], Sequence[str]], Iterable[Iterable[tuple[str, int, int, str]]]]
CoderSpans = dict[str, list[list[Span]]]  # code -> each coder's spans (by position in the coders)


def study(
    documents: Sequence[Document],
    coders: Sequence[str],
    coded_by: Mapping[int, AbstractSet[int]],
    used: set[str],
    load_units: UnitsLoader,
    document_spans: DocumentSpans,
    *,
    unit: str,
    codes: Sequence[str] | None = None,
    overlap: int = DEFAULT_OVERLAP,
) -> tuple[Agreement, Iterator[Row]]:
    """:func:`compute` as the rows are read: the result's facts (what was counted, the
    statement) at once, and its rows - every code's, every transcript's, the overall one -
    as they are computed, in that order (each is also kept in the result).

    ``coded_by[document id]`` holds the positions (in ``coders``) of the coders with any
    coding there; ``used`` every code they applied in ``documents`` (the default codes).
    ``load_units(counted documents)`` gives each one's unit bounds, in that order (unused for
    the segment unit); ``document_spans(counted documents, codes)`` the codings of each with
    those codes, in that order (others, and other coders', are ignored).

    Documents are read one at a time and nothing of one is kept past it, so memory stays
    flat however many there are. The first pass reads the first code alone (and counts the
    units: the statement needs their total), so its row comes at once; the second reads
    every code and gives the other codes' rows and the transcripts' at its end (with a
    single code the first pass is the whole study). What is held throughout is a few
    pattern counts per code and the rows.
    """
    coders = _checked(coders, unit)
    code_list = list(dict.fromkeys(codes)) if codes is not None else sorted(used)
    result = Agreement(unit=unit, coders=coders, overlap=overlap if unit == SEGMENT else None, codes=code_list)
    counted = [d for d in documents if len(coded_by.get(d.id, ())) >= 2]
    result.left_out = [d.name for d in documents if d.id in coded_by and len(coded_by[d.id]) < 2]
    result.transcripts = [d.name for d in counted]
    if not counted:
        raise error(NOTHING_IN_COMMON, coders=", ".join(coders))
    index = {c: i for i, c in enumerate(coders)}

    def spans_of(wanted: Sequence[str]) -> Iterator[CoderSpans]:
        """Each counted document's codings of ``wanted``, in order, per code and coder position."""
        if not wanted:
            yield from ({} for _ in counted)
            return
        keep = set(wanted)
        for coded in document_spans(counted, wanted):
            out: CoderSpans = {}
            for code, start, end, coder in coded:
                i = index.get(coder)
                if i is None or code not in keep:
                    continue
                per_coder = out.get(code)
                if per_coder is None:
                    per_coder = out[code] = [[] for _ in coders]
                per_coder[i].append((start, end))
            yield out

    if unit == SEGMENT:
        return result, _segment_rows(result, code_list, spans_of, overlap / 100)
    return result, _unit_rows(result, counted, coded_by, code_list, load_units, spans_of)


def _checked(coders: Sequence[str], unit: str) -> list[str]:
    coders = list(dict.fromkeys(coders))
    if len(coders) < 2:
        raise error(TOO_FEW_CODERS, found=f"got {len(coders)}", known=", ".join(coders) or "none")
    if unit == SEGMENT and len(coders) != 2:
        raise error(SEGMENT_NEEDS_TWO, count=len(coders), coders=", ".join(coders))
    return coders


def _passes(codes: list[str]) -> tuple[list[str], list[str]]:
    """Segment unit: the codes of the first pass (the first code alone, so its row comes at
    once) and those whose rows the second pass gives (every other; it reads them all)."""
    return (codes[:1], codes[1:]) if len(codes) > 1 else ([], codes)


def _unit_rows(
    result: Agreement,
    counted: Sequence[Document],
    coded_by: Mapping[int, AbstractSet[int]],
    codes: list[str],
    load_units: UnitsLoader,
    spans_of: Callable[[Sequence[str]], Iterator[CoderSpans]],
) -> Iterator[Row]:
    """The first pass now (every document's units counted, and the first code's patterns:
    ``result.unit_total`` is known when this returns), the rows as they are read."""
    # Per document, patterns are summed over the codes in code order, and per code over the
    # documents in document order: the order the transcript-by-transcript sums had, so
    # every figure comes out the same to the last bit.
    n = len(result.coders)
    unit = result.unit

    def found_in(wanted: list[str], sizes: Iterable[int | None]) -> Iterator[tuple[Document, int, list[Counter[Pattern]]]]:
        """Each counted document, its number of units (counted where ``sizes`` has None) and
        the pattern counts of each of ``wanted`` there."""
        documents = zip(counted, sizes, load_units(counted), spans_of(wanted), strict=True)
        for doc, size, (starts, ends), spans in documents:
            present = coded_by[doc.id]
            nothing = tuple(0 if i in present else None for i in range(n))
            # Built only where one of the codes was applied; counted without building them elsewhere.
            units = stored_units(starts, ends, unit) if spans else None
            if size is None:
                size = units_size(starts, ends, unit) if units is None else _size(units)
            counts: list[Counter[Pattern]] = []
            for code in wanted:
                coded = spans.get(code)
                if coded is None:  # nobody applied the code here: every unit absent (or missing)
                    counts.append(Counter({nothing: size}) if size else Counter())
                    continue
                assert units is not None  # a code was applied here
                coverage = [union(coded[i]) if i in present else None for i in range(n)]
                if isinstance(units, Regions):
                    counts.append(character_patterns(units, coverage))
                else:
                    counts.append(unit_patterns(units, coverage))
            yield doc, size, counts

    overall: Counter[Pattern] = Counter()
    by_transcript: list[Row] = []

    def add(doc: Document, counts: list[Counter[Pattern]]) -> None:
        """A document's patterns of every code (in code order): its row, and the overall sum."""
        per_doc: Counter[Pattern] = Counter()
        for found in counts:
            per_doc.update(found)
        overall.update(per_doc)
        by_transcript.append(_figures(None, doc.name, per_doc, n))

    first, rest = codes[:1], codes[1:]
    head: Counter[Pattern] = Counter()
    for doc, size, counts in found_in(first, repeat(None, len(counted))):
        result.sizes.append(size)
        if first:
            head.update(counts[0])
        if not rest:  # one code (or none): this pass was the whole study
            add(doc, counts)
    result.unit_total = sum(result.sizes)

    def rows() -> Iterator[Row]:
        if first:
            row = _figures(first[0], None, head, n)
            result.by_code.append(row)
            yield row
        if rest:
            per_codes: list[Counter[Pattern]] = [Counter() for _ in rest]
            for doc, _size, counts in found_in(codes, result.sizes):
                for per, found in zip(per_codes, counts[1:], strict=True):
                    per.update(found)
                add(doc, counts)
            for code, per in zip(rest, per_codes, strict=True):
                row = _figures(code, None, per, n)
                result.by_code.append(row)
                yield row
        for row in by_transcript:
            result.by_transcript.append(row)
            yield row
        result.overall = _figures(None, None, overall, n)
        yield result.overall

    return rows()


def _size(units: Regions | Units) -> int:
    return units.total if isinstance(units, Regions) else len(units)


def _figures(code: str | None, transcript: str | None, patterns: Counter[Pattern], coders: int) -> Row:
    return Row(
        code=code,
        transcript=transcript,
        units=int(pairable_units(patterns)),
        percent=percent_agreement(patterns),
        kappa=cohen_kappa(patterns) if coders == 2 else None,
        alpha=krippendorff_alpha(patterns),
    )


def _segment_rows(
    result: Agreement,
    codes: list[str],
    spans_of: Callable[[Sequence[str]], Iterator[CoderSpans]],
    overlap: float,
) -> Iterator[Row]:
    def counts_in(wanted: list[str]) -> Iterator[list[SegmentCount | None]]:
        """Each counted document's count of each of ``wanted`` (None: not applied there)."""
        for spans in spans_of(wanted):
            yield [
                None if coded is None else segment_count(sorted(set(coded[0])), sorted(set(coded[1])), overlap)
                for coded in map(spans.get, wanted)
            ]

    first, rest = _passes(codes)
    if first:
        per_code = SegmentCount()
        for (count,) in counts_in(first):
            if count is not None:
                per_code.add(count)
        row = _segment_row(first[0], None, per_code, 1)
        result.by_code.append(row)
        yield row
    per_codes = [SegmentCount() for _ in rest]
    overall = SegmentCount()
    overall_codes: set[str] = set()
    by_transcript: list[Row] = []
    for doc, counts in zip(result.transcripts, counts_in(codes), strict=True):
        per_doc = SegmentCount()
        doc_codes = 0
        for code, count in zip(codes, counts, strict=True):
            if count is None:
                continue
            if count.total:
                doc_codes += 1
                overall_codes.add(code)
            per_doc.add(count)
        for per, count in zip(per_codes, counts[len(first) :], strict=True):
            if count is not None:
                per.add(count)
        overall.add(per_doc)
        by_transcript.append(_segment_row(None, doc, per_doc, doc_codes))
    for code, per in zip(rest, per_codes, strict=True):
        row = _segment_row(code, None, per, 1)
        result.by_code.append(row)
        yield row
    for row in by_transcript:
        result.by_transcript.append(row)
        yield row
    result.overall = _segment_row(None, None, overall, len(overall_codes))
    result.segments_per_coder = {result.coders[0]: overall.first, result.coders[1]: overall.second}
    yield result.overall


def _segment_row(code: str | None, transcript: str | None, count: SegmentCount, categories: int) -> Row:
    return Row(
        code=code,
        transcript=transcript,
        units=count.total,
        percent=count.percent,
        kappa=brennan_prediger(count.percent, categories),
        alpha=None,
        segments=count,
    )
