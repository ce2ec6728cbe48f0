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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import NOTHING_IN_COMMON, SEGMENT_NEEDS_TWO, TOO_FEW_CODERS, error
from .coefficients import Pattern, brennan_prediger, cohen_kappa, krippendorff_alpha, pairable_units, percent_agreement
from .runs import Regions, Span, character_patterns, length, union, unit_patterns
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


SpansByCode = dict[str, list[list[Span]]]  # code -> coder position -> that coder's spans in one document
Loaded = tuple[Sequence[Span], SpansByCode]  # one document's units and spans, see :func:`study`


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
    per_doc: dict[int, list[CodedSpan]] = defaultdict(list)
    coded_by: dict[int, set[int]] = defaultdict(set)
    used: set[str] = set()
    for s in spans:
        i = index.get(s.coder)
        if i is None or s.transcript not in wanted_docs:
            continue
        coded_by[s.transcript].add(i)
        used.add(s.code)
        per_doc[s.transcript].append(s)
    return study(
        documents,
        coders,
        coded_by,
        used,
        lambda doc: (doc.units, spans_by_code(per_doc.get(doc.id, ()), index)),
        unit=unit,
        codes=codes,
        overlap=overlap,
    )


def spans_by_code(spans: Iterable[CodedSpan], index: Mapping[str, int]) -> SpansByCode:
    """One document's spans per code and coder (``index``: coder -> position); other coders' are ignored."""
    out: SpansByCode = {}
    for s in spans:
        i = index.get(s.coder)
        if i is None:
            continue
        per_coder = out.get(s.code)
        if per_coder is None:
            per_coder = out[s.code] = [[] for _ in index]
        per_coder[i].append((s.start, s.end))
    return out


def study(
    documents: Sequence[Document],
    coders: Sequence[str],
    coded_by: Mapping[int, set[int]],
    used: set[str],
    load: Callable[[Document], Loaded],
    *,
    unit: str,
    codes: Sequence[str] | None = None,
    overlap: int = DEFAULT_OVERLAP,
) -> Agreement:
    """:func:`compute` with each counted document's units and spans loaded by ``load`` when
    its turn comes, so a project's study holds one transcript at a time.

    ``coded_by[document id]`` holds the positions (in ``coders``) of the coders with any
    coding there; ``used`` every code they applied in ``documents`` (the default codes).
    """
    coders = _checked(coders, unit)
    code_list = list(dict.fromkeys(codes)) if codes is not None else sorted(used)
    result = Agreement(unit=unit, coders=coders, overlap=overlap if unit == SEGMENT else None, codes=code_list)
    counted = [d for d in documents if len(coded_by.get(d.id, ())) >= 2]
    result.left_out = [d.name for d in documents if d.id in coded_by and len(coded_by[d.id]) < 2]
    result.transcripts = [d.name for d in counted]
    if not counted:
        raise error(NOTHING_IN_COMMON, coders=", ".join(coders))
    loaded = ((doc, *load(doc)) for doc in counted)
    if unit == SEGMENT:
        _segment_rows(result, loaded, code_list, overlap / 100)
    else:
        _unit_rows(result, loaded, coded_by, code_list)
    return result


def _checked(coders: Sequence[str], unit: str) -> list[str]:
    coders = list(dict.fromkeys(coders))
    if len(coders) < 2:
        raise error(TOO_FEW_CODERS, found=f"got {len(coders)}", known=", ".join(coders) or "none")
    if unit == SEGMENT and len(coders) != 2:
        raise error(SEGMENT_NEEDS_TWO, count=len(coders), coders=", ".join(coders))
    return coders


def _unit_rows(
    result: Agreement, loaded: Iterable[tuple[Document, Sequence[Span], SpansByCode]], coded_by, codes: list[str]
) -> None:
    characters = result.unit == CHARACTER
    per_code: dict[str, Counter[Pattern]] = {c: Counter() for c in codes}
    overall: Counter[Pattern] = Counter()
    n = len(result.coders)
    for doc, units, by_code in loaded:
        present = coded_by[doc.id]
        size = length(units) if characters else len(units)
        result.unit_total += size
        nothing: Pattern = tuple(0 if i in present else None for i in range(n))
        regions = Regions(units) if characters else None
        per_doc: Counter[Pattern] = Counter()
        for code in codes:
            coded = by_code.get(code)
            if coded is None:  # nobody applied the code here: every unit absent (or missing)
                found: Counter[Pattern] = Counter({nothing: size}) if size else Counter()
            else:
                coverage = [union(coded[i]) if i in present else None for i in range(n)]
                found = character_patterns(regions, coverage) if regions else unit_patterns(units, coverage)
            per_code[code].update(found)
            per_doc.update(found)
        overall.update(per_doc)
        result.by_transcript.append(_figures(None, doc.name, per_doc, n))
    result.by_code = [_figures(code, None, per_code[code], n) for code in codes]
    result.overall = _figures(None, None, overall, n)


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
    result: Agreement, loaded: Iterable[tuple[Document, Sequence[Span], SpansByCode]], codes: list[str], overlap: float
) -> None:
    per_code = {c: SegmentCount() for c in codes}
    overall = SegmentCount()
    overall_codes: set[str] = set()
    first, second = result.coders
    for doc, _units, by_code in loaded:
        per_doc = SegmentCount()
        doc_codes = 0
        for code in codes:
            coded = by_code.get(code)
            if coded is None:
                continue
            count = segment_count(sorted(set(coded[0])), sorted(set(coded[1])), overlap)
            if count.total:
                doc_codes += 1
                overall_codes.add(code)
            per_code[code].add(count)
            per_doc.add(count)
        overall.add(per_doc)
        result.by_transcript.append(_segment_row(None, doc.name, per_doc, doc_codes))
    result.by_code = [_segment_row(code, None, per_code[code], 1) for code in codes]
    result.overall = _segment_row(None, None, overall, len(overall_codes))
    result.segments_per_coder = {first: overall.first, second: overall.second}


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
