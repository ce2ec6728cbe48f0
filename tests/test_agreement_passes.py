"""The agreement study read document by document in two passes: the same rows, to the last
bit, as code by code over every document held at once; one document held at a time."""

from __future__ import annotations

import random
import weakref
from array import array
from collections import Counter, defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_team_study import all_spans
from test_team_study import project as project  # noqa: F401 - the team study's fixture

from qualcode.agreement import CHARACTER, SEGMENT, SENTENCE, TURN, CodedSpan, Document, Row, compute
from qualcode.agreement.coefficients import brennan_prediger, cohen_kappa, krippendorff_alpha, pairable_units, percent_agreement
from qualcode.agreement.runs import Regions, Units, character_patterns, union, unit_patterns
from qualcode.agreement.segments import SegmentCount, segment_count
from qualcode.agreement.study import study
from qualcode.errors import QualcodeError
from qualcode.store import CodingFilter


def _row(code, transcript, patterns, coders):
    return Row(
        code,
        transcript,
        int(pairable_units(patterns)),
        percent_agreement(patterns),
        cohen_kappa(patterns) if coders == 2 else None,
        krippendorff_alpha(patterns),
    )


def _segment_row(code, transcript, count, categories):
    return Row(code, transcript, count.total, count.percent, brennan_prediger(count.percent, categories), None, count)


def code_by_code(spans, documents, coders, unit, codes=None, overlap=90):
    """The study as it was computed before the passes: every counted document's units held,
    code by code over all of them (per code summed over the documents in document order, per
    document over the codes in code order). None when no document was coded by two."""
    index = {c: i for i, c in enumerate(coders)}
    wanted = {d.id for d in documents}
    mine = [s for s in spans if s.coder in index and s.transcript in wanted]
    coded_by = defaultdict(set)
    for s in mine:
        coded_by[s.transcript].add(index[s.coder])
    counted = [d for d in documents if len(coded_by[d.id]) >= 2]
    if not counted:
        return None
    codes = list(dict.fromkeys(codes)) if codes else sorted({s.code for s in mine})
    n = len(coders)

    def coded(code, doc):
        found = [[(s.start, s.end) for s in mine if s.transcript == doc.id and s.code == code and s.coder == c] for c in coders]
        return found if any(found) else None

    by_code, by_transcript = [], []
    if unit == SEGMENT:
        per_doc = {d.id: SegmentCount() for d in counted}
        doc_codes = Counter()
        overall, overall_codes = SegmentCount(), set()
        for code in codes:
            per_code = SegmentCount()
            for doc in counted:
                found = coded(code, doc)
                if found is None:
                    continue
                count = segment_count(sorted(set(found[0])), sorted(set(found[1])), overlap / 100)
                if count.total:
                    doc_codes[doc.id] += 1
                    overall_codes.add(code)
                per_code.add(count)
                per_doc[doc.id].add(count)
            by_code.append(_segment_row(code, None, per_code, 1))
        for doc in counted:
            overall.add(per_doc[doc.id])
            by_transcript.append(_segment_row(None, doc.name, per_doc[doc.id], doc_codes[doc.id]))
        return [*by_code, *by_transcript, _segment_row(None, None, overall, len(overall_codes))]
    units = {d.id: Regions(union(d.units)) if unit == CHARACTER else Units(d.units) for d in counted}
    sizes = {i: u.total if isinstance(u, Regions) else len(u) for i, u in units.items()}
    patterns = {d.id: Counter() for d in counted}
    for code in codes:
        per_code = Counter()
        for doc in counted:
            found = coded(code, doc)
            present = coded_by[doc.id]
            if found is None:
                nothing = tuple(0 if i in present else None for i in range(n))
                counts = Counter({nothing: sizes[doc.id]}) if sizes[doc.id] else Counter()
            else:
                coverage = [union(found[i]) if i in present else None for i in range(n)]
                measure = character_patterns if unit == CHARACTER else unit_patterns
                counts = measure(units[doc.id], coverage)
            per_code.update(counts)
            patterns[doc.id].update(counts)
        by_code.append(_row(code, None, per_code, n))
    overall = Counter()
    for doc in counted:
        overall.update(patterns[doc.id])
        by_transcript.append(_row(None, doc.name, patterns[doc.id], n))
    return [*by_code, *by_transcript, _row(None, None, overall, n)]


CODERS = ("anna", "bram", "cor", "dirk")  # with four, alpha's shares (1/3) round: the order of the sums shows


def random_study(seed: int, unit: str, coders: int):
    """A few documents (ids not in name order, some without units), two to four coders who
    code some of them, three codes; spans may reach past the units."""
    rng = random.Random(seed)
    names = [f"doc{i}" for i in range(rng.randint(1, 5))]
    ids = rng.sample(range(1, 50), len(names))
    documents, spans = [], []
    for tid, name in zip(ids, names, strict=True):
        edges = sorted(rng.sample(range(0, 200), 2 * rng.randint(0, 6)))
        bounds = list(zip(edges[::2], edges[1::2], strict=True))
        if unit == CHARACTER and len(bounds) > 1 and rng.random() < 0.3:  # touching content spans
            bounds[1] = (bounds[0][1], bounds[1][1])
        documents.append(Document(tid, name, [] if unit == SEGMENT else bounds))
        for coder in CODERS[:coders]:
            if rng.random() < 0.2:
                continue  # did not code this document: missing
            for _ in range(rng.randint(1, 6)):
                start = rng.randrange(0, 210)
                spans.append(CodedSpan(tid, start, start + rng.randint(1, 50), rng.choice("abc"), coder))
    codes = rng.choice([None, None, ["b", "a"], ["c"], ["d", "a"]])  # "d": a code nobody applied
    return spans, documents, list(CODERS[:coders]), codes


@settings(max_examples=150, deadline=None)
@given(
    st.integers(0, 10**6),
    st.sampled_from([CHARACTER, SENTENCE, TURN, SEGMENT]),
    st.integers(2, 4),
    st.sampled_from([90, 50]),
)
def test_agreement_passes_rows_equal_code_by_code_to_the_last_bit(seed, unit, coders, overlap):
    if unit == SEGMENT:
        coders = 2
    spans, documents, names, codes = random_study(seed, unit, coders)
    expected = code_by_code(spans, documents, names, unit, codes, overlap)
    if expected is None:
        with pytest.raises(QualcodeError):
            compute(spans, documents, names, unit=unit, codes=codes, overlap=overlap)
        return
    result = compute(spans, documents, names, unit=unit, codes=codes, overlap=overlap)
    assert result.rows == expected  # floats too: == on the dataclasses, not approx


@pytest.mark.parametrize("unit", [CHARACTER, SENTENCE, SEGMENT])
def test_agreement_passes_hold_one_document_at_a_time(unit):
    """Each document's units and codings are let go before the next is read, so memory does
    not grow with the documents; the first pass reads the first code alone."""
    rng = random.Random(5)
    documents = [Document(i, f"doc{i:02}", [(k * 20, k * 20 + 15) for k in range(8)]) for i in range(30)]
    coded = {
        d.id: [(code, s, s + 12, coder) for code in "abc" for coder in ("anna", "bram") for s in rng.sample(range(150), 3)]
        for d in documents
    }
    refs: list[weakref.ref] = []

    def alive() -> int:
        return sum(r() is not None for r in refs)

    most = 0
    passes: list[list[str]] = []

    class Codings(list):  # a list that can be watched
        pass

    def held() -> None:
        nonlocal most
        most = max(most, alive())

    def load_units(counted):
        for d in counted:
            held()
            starts, ends = array("i", [s for s, _ in d.units]), array("i", [e for _, e in d.units])
            refs.extend((weakref.ref(starts), weakref.ref(ends)))
            yield starts, ends

    def document_spans(counted, codes):
        passes.append(list(codes))
        for d in counted:
            held()
            found = Codings(row for row in coded[d.id] if row[0] in codes)
            refs.append(weakref.ref(found))
            yield found

    coded_by = {d.id: {0, 1} for d in documents}
    result, rows = study(documents, ["anna", "bram"], coded_by, {"a", "b", "c"}, load_units, document_spans, unit=unit)
    found = list(rows)
    assert len(found) == 3 + len(documents) + 1 and passes == [["a"], ["a", "b", "c"]]
    # While a document is read the one before may still be bound (its bounds and codings):
    # never more than those and the new document's bounds; the segment unit reads no units.
    assert most <= (1 if unit == SEGMENT else 5)
    assert alive() == 0  # nothing of any document kept with the result


def test_agreement_passes_store_reads_units_and_codings_in_the_order_given(project):  # noqa: F811
    store = project.store
    tids = sorted(store.transcripts.names(), reverse=True)
    assert [tid for tid, _, _ in store.transcripts.turn_bounds(tids)] == tids
    assert [tid for tid, _, _ in store.transcripts.sentence_bounds(tids)] == tids
    spans = all_spans(project)
    flt = CodingFilter.of(None, ["rol", "kracht"], ["anna", "chen"])
    got = list(store.codings.coder_spans(tids, flt))
    assert [sorted(rows) for rows in got] == [
        sorted(
            (s.code, s.start, s.end, s.coder)
            for s in spans
            if s.transcript == tid and s.code in ("rol", "kracht") and s.coder in ("anna", "chen")
        )
        for tid in tids
    ]
    assert any(got) and not any(row[0] == "vertrouwen" or row[3] == "bram" for rows in got for row in rows)


def test_agreement_passes_who_coded_where_read_by_seeks_is_every_coder_transcript_pair(project):  # noqa: F811
    store = project.store
    spans = all_spans(project)
    tids = sorted(store.transcripts.names())
    for coders, only in ((["anna", "bram", "chen"], None), (["bram", "nobody"], None), (["anna", "chen"], tids[2:])):
        expected = {(s.transcript, s.coder) for s in spans if s.coder in coders and (only is None or s.transcript in only)}
        found = list(store.codings.coders_by_transcript(CodingFilter.of(only, None, coders)))
        assert sorted(found) == sorted(expected) and len(found) == len(expected)
    everyone = list(store.codings.coders_by_transcript())  # no coders named: read from the codings
    assert sorted(everyone) == sorted({(s.transcript, s.coder) for s in spans})
