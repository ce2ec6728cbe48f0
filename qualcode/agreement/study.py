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
from dataclasses import dataclass, field

from ..errors import NOTHING_IN_COMMON, SEGMENT_NEEDS_TWO, TOO_FEW_CODERS, error
from .coefficients import Pattern, brennan_prediger, cohen_kappa, krippendorff_alpha, pairable_units, percent_agreement
from .runs import Regions, Span, Units, character_patterns, length, union, unit_patterns
from .segments import SegmentCount, segment_count
from .units import CHARACTER, SEGMENT, SENTENCE, TURN

DEFAULT_OVERLAP = 90


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
            text += f" Left out, coded by fewer than two of the coders: {', '.join(self.left_out)}."
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
    by_code: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for s in spans:
        i = index.get(s.coder)
        if i is None or s.transcript not in wanted_docs:
            continue
        coded_by[s.transcript].add(i)
        by_code[s.code].append((s.transcript, s.start, s.end, s.coder))
    for rows in by_code.values():
        rows.sort()
    units = {d.id: d.units for d in documents}
    result, found = study(
        documents,
        coders,
        coded_by,
        set(by_code),
        lambda counted: ((d.id, units[d.id]) for d in counted),
        lambda code: by_code.get(code, ()),
        unit=unit,
        codes=codes,
        overlap=overlap,
    )
    for _row in found:  # each row is kept in the result
        pass
    return result


CodeSpans = Iterable[tuple[int, int, int, str]]  # (document id, start, end, coder) in document order
UnitsLoader = Callable[[Sequence[Document]], Iterable[tuple[int, Sequence[Span] | Regions | Units]]]


def study(
    documents: Sequence[Document],
    coders: Sequence[str],
    coded_by: Mapping[int, set[int]],
    used: set[str],
    load_units: UnitsLoader,
    code_spans: Callable[[str], CodeSpans],
    *,
    unit: str,
    codes: Sequence[str] | None = None,
    overlap: int = DEFAULT_OVERLAP,
) -> tuple[Agreement, Iterator[Row]]:
    """:func:`compute` code by code, as the rows are read: the result's facts (what was
    counted, the statement) at once, and its rows - every code's, every transcript's, the
    overall one - as they are computed, in that order (each is also kept in the result).

    ``coded_by[document id]`` holds the positions (in ``coders``) of the coders with any
    coding there; ``used`` every code they applied in ``documents`` (the default codes).
    ``load_units(counted documents)`` gives each one's units (unused for the segment
    unit); ``code_spans(code)`` the codings of ``coders`` with that code, of any document,
    in document order. Codes are read one at a time; what is held throughout is every
    counted document's units (as arrays) and its running pattern counts.
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

    def by_document(code: str) -> dict[int, list[list[Span]]]:
        """The code's spans per counted document and coder position."""
        out: dict[int, list[list[Span]]] = {}
        wanted = {d.id for d in counted}
        for doc, start, end, coder in code_spans(code):
            i = index.get(coder)
            if i is None or doc not in wanted:
                continue
            per_coder = out.get(doc)
            if per_coder is None:
                per_coder = out[doc] = [[] for _ in coders]
            per_coder[i].append((start, end))
        return out

    if unit == SEGMENT:
        return result, _segment_rows(result, counted, code_list, by_document, overlap / 100)
    prepared = _prepared(result, counted, load_units)
    return result, _unit_rows(result, counted, prepared, coded_by, code_list, by_document)


def _checked(coders: Sequence[str], unit: str) -> list[str]:
    coders = list(dict.fromkeys(coders))
    if len(coders) < 2:
        raise error(TOO_FEW_CODERS, found=f"got {len(coders)}", known=", ".join(coders) or "none")
    if unit == SEGMENT and len(coders) != 2:
        raise error(SEGMENT_NEEDS_TWO, count=len(coders), coders=", ".join(coders))
    return coders


Prepared = dict[int, tuple[Regions | Units, int]]  # document id -> its units (as searched) and how many


def _prepared(result: Agreement, counted: Sequence[Document], load_units: UnitsLoader) -> Prepared:
    """Every counted document's units, compact, with their number; sets ``result.unit_total``."""
    characters = result.unit == CHARACTER
    prepared: Prepared = {}
    for doc_id, units in load_units(counted):
        if isinstance(units, Regions | Units):  # built already (see units.stored_units)
            size = units.total if isinstance(units, Regions) else len(units)
            prepared[doc_id] = (units, size)
        else:
            size = length(units) if characters else len(units)
            prepared[doc_id] = (Regions(units) if characters else Units(units), size)
        result.unit_total += size
    result.sizes = [prepared[d.id][1] for d in counted]
    return prepared


def _unit_rows(
    result: Agreement,
    counted: Sequence[Document],
    prepared: Prepared,
    coded_by: Mapping[int, set[int]],
    codes: list[str],
    by_document: Callable[[str], dict[int, list[list[Span]]]],
) -> Iterator[Row]:
    # Per document, patterns are summed over the codes in code order, and per code over the
    # documents in document order: the order the transcript-by-transcript sums had, so
    # every figure comes out the same to the last bit.
    n = len(result.coders)
    per_doc: dict[int, Counter[Pattern]] = {d.id: Counter() for d in counted}
    nothing = {d.id: tuple(0 if i in coded_by[d.id] else None for i in range(n)) for d in counted}
    for code in codes:
        spans = by_document(code)
        per_code: Counter[Pattern] = Counter()
        for doc in counted:
            units, size = prepared[doc.id]
            present = coded_by[doc.id]
            coded = spans.get(doc.id)
            if coded is None:  # nobody applied the code here: every unit absent (or missing)
                found: Counter[Pattern] = Counter({nothing[doc.id]: size}) if size else Counter()
            else:
                coverage = [union(coded[i]) if i in present else None for i in range(n)]
                if isinstance(units, Regions):
                    found = character_patterns(units, coverage)
                else:
                    found = unit_patterns(units, coverage)
            per_code.update(found)
            per_doc[doc.id].update(found)
        row = _figures(code, None, per_code, n)
        result.by_code.append(row)
        yield row
    overall: Counter[Pattern] = Counter()
    for doc in counted:
        overall.update(per_doc[doc.id])
        row = _figures(None, doc.name, per_doc.pop(doc.id), n)
        result.by_transcript.append(row)
        yield row
    result.overall = _figures(None, None, overall, n)
    yield result.overall


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
    counted: Sequence[Document],
    codes: list[str],
    by_document: Callable[[str], dict[int, list[list[Span]]]],
    overlap: float,
) -> Iterator[Row]:
    per_doc = {d.id: SegmentCount() for d in counted}
    doc_codes = dict.fromkeys(per_doc, 0)
    overall = SegmentCount()
    overall_codes: set[str] = set()
    first, second = result.coders
    for code in codes:
        per_code = SegmentCount()
        for doc_id, coded in by_document(code).items():
            count = segment_count(sorted(set(coded[0])), sorted(set(coded[1])), overlap)
            if count.total:
                doc_codes[doc_id] += 1
                overall_codes.add(code)
            per_code.add(count)
            per_doc[doc_id].add(count)
        row = _segment_row(code, None, per_code, 1)
        result.by_code.append(row)
        yield row
    for doc in counted:
        overall.add(per_doc[doc.id])
        row = _segment_row(None, doc.name, per_doc[doc.id], doc_codes[doc.id])
        result.by_transcript.append(row)
        yield row
    result.overall = _segment_row(None, None, overall, len(overall_codes))
    result.segments_per_coder = {first: overall.first, second: overall.second}
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
