"""The agreement study: run-length units against a brute-force per-unit table, segments, statements."""

from __future__ import annotations

import random

import pytest

from qualcode.agreement import (
    CHARACTER,
    SEGMENT,
    SENTENCE,
    TURN,
    CodedSpan,
    Document,
    compute,
    document_units,
    krippendorff_alpha,
    overlap_share,
    patterns_of,
)
from qualcode.agreement.runs import Regions, character_patterns, union, unit_patterns
from qualcode.errors import QualcodeError
from qualcode.model import Turn


def brute_character_table(regions, coverage):
    """One row per character: the slow, obvious definition."""
    rows = []
    for start, end in regions:
        for pos in range(start, end):
            rows.append(tuple(None if spans is None else int(any(s <= pos < e for s, e in spans)) for spans in coverage))
    return patterns_of(rows)


def random_spans(rng, size, n):
    out = []
    for _ in range(n):
        s = rng.randrange(size - 1)
        out.append((s, min(size, s + rng.randint(1, 40))))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_agreement_character_runs_equal_brute_force(seed):
    rng = random.Random(seed)
    size = 400
    regions = union([(0, 120), (130, 260), (262, 400)])
    coverage = [union(random_spans(rng, size, rng.randint(0, 8))) for _ in range(rng.randint(2, 4))]
    if seed % 3 == 0:
        coverage[-1] = None  # a coder who did not code this document
    assert character_patterns(regions, coverage) == brute_character_table(regions, coverage)


@pytest.mark.parametrize("seed", range(12))
def test_agreement_character_runs_count_in_reading_order_with_spans_outside_the_regions(seed):
    # Patterns come out in the order they first occur along the text, as in the per-character
    # table: the coefficients sum floats in that order, so figures stay identical to the digit.
    rng = random.Random(100 + seed)
    regions = union(random_spans(rng, 500, rng.randint(0, 12)))
    coverage = [union(random_spans(rng, 520, rng.randint(0, 10))) for _ in range(rng.randint(2, 4))]
    if seed % 4 == 1:
        coverage[0] = None
    expected = brute_character_table(regions, coverage)
    for found in (character_patterns(regions, coverage), character_patterns(Regions(regions), coverage)):
        assert found == expected
        assert list(found) == list(expected)


def test_agreement_regions_measure_the_characters_inside():
    regions = Regions([(10, 20), (30, 35)])
    assert regions.total == 15
    assert [regions.inside(s, e) for s, e in [(0, 10), (0, 15), (15, 32), (20, 30), (34, 99), (0, 99)]] == [0, 5, 7, 0, 1, 15]
    assert Regions([]).inside(0, 10) == 0


@pytest.mark.parametrize("seed", range(8))
def test_agreement_unit_runs_equal_brute_force(seed):
    rng = random.Random(seed)
    units = [(i * 20, i * 20 + 15) for i in range(20)]
    coverage = [union(random_spans(rng, 400, rng.randint(0, 6))) for _ in range(3)]
    rows = [tuple(int(any(s < ue and e > us for s, e in spans)) for spans in coverage) for us, ue in units]
    assert unit_patterns(units, coverage) == patterns_of(rows)


def test_agreement_character_alpha_equals_krippendorff_package_on_the_full_matrix():
    krippendorff = pytest.importorskip("krippendorff")
    np = pytest.importorskip("numpy")
    rng = random.Random(3)
    text = "x" * 3000
    turns = [Turn(1, "I", 0, 900), Turn(2, "R", 910, 3000)]
    docs = [Document(1, "een", document_units(text, turns, CHARACTER))]
    spans = []
    for coder in ("anna", "bram"):
        for s, e in random_spans(rng, 3000, 30):
            spans.append(CodedSpan(1, s, e, rng.choice(["a", "b"]), coder))
    result = compute(spans, docs, ["anna", "bram"], unit=CHARACTER)
    # The reliability matrix the package needs: coders x (character, code) pairs.
    columns = []
    for code in ("a", "b"):
        for pos in [p for s, e in docs[0].units for p in range(s, e)]:
            columns.append(
                [int(any(x.coder == c and x.code == code and x.start <= pos < x.end for x in spans)) for c in ("anna", "bram")]
            )
    matrix = np.array(columns, dtype=float).T
    assert result.overall.alpha == pytest.approx(krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal"))
    assert result.overall.units == len(columns)


def small_study():
    """Two transcripts, hand-checkable. Text positions only matter through the units."""
    docs = [Document(1, "een", [(0, 100)]), Document(2, "twee", [(0, 50)])]
    spans = [
        CodedSpan(1, 0, 10, "x", "anna"),
        CodedSpan(1, 0, 10, "x", "bram"),  # identical: 10 chars both
        CodedSpan(1, 20, 40, "x", "anna"),
        CodedSpan(1, 30, 40, "x", "bram"),  # 10 both, 10 only anna
        CodedSpan(1, 60, 70, "y", "bram"),  # 10 only bram
        CodedSpan(2, 0, 50, "y", "anna"),
        CodedSpan(2, 0, 50, "y", "bram"),
    ]
    return spans, docs


def test_agreement_character_study_by_hand():
    spans, docs = small_study()
    result = compute(spans, docs, ["anna", "bram"], unit=CHARACTER)
    x = next(r for r in result.by_code if r.code == "x")
    # Code x over 150 chars: both 20, only anna 10, neither 120 (transcript 2: 50 x absent for both).
    assert x.units == 150
    assert x.percent == pytest.approx(140 / 150)
    p_o, p_e = 140 / 150, (30 / 150) * (20 / 150) + (120 / 150) * (130 / 150)
    assert x.kappa == pytest.approx((p_o - p_e) / (1 - p_e))
    assert x.alpha == pytest.approx(krippendorff_alpha({(1, 1): 20, (1, 0): 10, (0, 0): 120}))
    een = next(r for r in result.by_transcript if r.transcript == "een")
    assert een.units == 200  # 100 chars x 2 codes
    assert een.percent == pytest.approx(180 / 200)
    assert result.overall.units == 300
    assert result.unit_total == 150
    assert "150 units in 2 transcript(s)" in result.statement()


def test_agreement_a_coder_without_codings_in_a_transcript_is_missing_there():
    spans, docs = small_study()
    spans = [s for s in spans if not (s.transcript == 2 and s.coder == "bram")]
    result = compute(spans, docs, ["anna", "bram"], unit=CHARACTER)
    assert result.left_out == ["twee"]
    assert result.transcripts == ["een"]
    assert "Left out, 1 transcript(s)" in result.statement() and "twee" in result.statement()
    x = next(r for r in result.by_code if r.code == "x")
    assert x.units == 100


def test_agreement_restricting_codes_keeps_absent_as_absent():
    spans, docs = small_study()
    result = compute(spans, docs, ["anna", "bram"], unit=CHARACTER, codes=["x"])
    # Transcript 2 has only y codings, yet both coders coded it: x is absent there, not missing.
    assert result.transcripts == ["een", "twee"]
    assert [r.code for r in result.by_code] == ["x"]
    assert result.overall.units == 150


def test_agreement_turn_and_sentence_units():
    text = "Ja. Dat klopt.\nNee hoor. Echt niet."
    turns = [Turn(1, "R", 0, 14), Turn(2, "R", 15, len(text))]
    assert document_units(text, turns, TURN) == [(0, 14), (15, len(text))]
    sentences = document_units(text, turns, SENTENCE)
    assert [text[s:e] for s, e in sentences] == ["Ja.", "Dat klopt.", "Nee hoor.", "Echt niet."]
    docs = [Document(1, "een", sentences)]
    spans = [CodedSpan(1, 0, 3, "x", "anna"), CodedSpan(1, 1, 8, "x", "bram"), CodedSpan(1, 25, 27, "x", "bram")]
    result = compute(spans, docs, ["anna", "bram"], unit=SENTENCE)
    # Sentences: 1 both, 2 only bram (overlap at 4..8), 3 neither, 4 only bram.
    assert result.overall.units == 4
    assert result.overall.percent == pytest.approx(2 / 4)


def test_agreement_segment_unit_maxqda_table():
    docs = [Document(1, "een", [])]
    spans = [
        CodedSpan(1, 0, 100, "x", "anna"),
        CodedSpan(1, 0, 95, "x", "bram"),  # 95 % overlap: matched both ways
        CodedSpan(1, 200, 300, "x", "anna"),
        CodedSpan(1, 200, 250, "x", "bram"),  # 50 %: unmatched both ways
        CodedSpan(1, 400, 420, "y", "anna"),
        CodedSpan(1, 400, 420, "z", "bram"),  # different codes: unmatched
    ]
    result = compute(spans, docs, ["anna", "bram"], unit=SEGMENT)
    x = next(r for r in result.by_code if r.code == "x")
    assert (x.segments.first, x.segments.first_matched, x.segments.second, x.segments.second_matched) == (2, 1, 2, 1)
    assert x.percent == pytest.approx(0.5)
    assert x.kappa is None  # one code: chance agreement 1, undefined
    overall = result.overall
    assert overall.segments.agreements == 2 and overall.segments.disagreements == 4
    assert overall.percent == pytest.approx(2 / 6)
    # Three codes in the table: chance 1/3.
    assert overall.kappa == pytest.approx((2 / 6 - 1 / 3) / (1 - 1 / 3))
    assert overall.alpha is None
    assert "at least 90%" in result.statement()
    loose = compute(spans, docs, ["anna", "bram"], unit=SEGMENT, overlap=50)
    assert loose.overall.segments.agreements == 4


def test_agreement_overlap_share_is_intersection_over_union():
    assert overlap_share((0, 100), (0, 95)) == pytest.approx(0.95)
    assert overlap_share((0, 10), (5, 15)) == pytest.approx(5 / 15)
    assert overlap_share((0, 10), (10, 20)) == 0.0


def test_agreement_refuses_bad_coder_sets():
    spans, docs = small_study()
    with pytest.raises(QualcodeError) as exc:
        compute(spans, docs, ["anna"], unit=CHARACTER)
    assert exc.value.code == "QC900"
    with pytest.raises(QualcodeError) as exc:
        compute(spans, docs, ["anna", "bram", "cor"], unit=SEGMENT)
    assert exc.value.code == "QC902"
    with pytest.raises(QualcodeError) as exc:
        compute(spans, docs, ["anna", "cor"], unit=CHARACTER)
    assert exc.value.code == "QC904"


def test_agreement_three_coders_have_alpha_but_no_cohen_kappa():
    spans, docs = small_study()
    spans += [CodedSpan(1, 0, 10, "x", "cor"), CodedSpan(2, 0, 50, "y", "cor")]
    result = compute(spans, docs, ["anna", "bram", "cor"], unit=TURN)
    assert result.overall.kappa is None
    assert result.overall.alpha is not None
    assert "more than two coders" in result.statement()


@pytest.mark.parametrize("seed", range(4))
def test_regions_of_the_stores_int32_bounds_keep_them_and_measure_as_any_regions(seed):
    # A study holds every counted transcript's regions: those of the store's int32 bounds
    # are kept as they are (half the memory of int64 copies) and measure the same.
    from array import array

    rng = random.Random(seed)
    edges = sorted(rng.sample(range(1, 5_000), 40))
    spans = list(zip(edges[::2], edges[1::2], strict=True))
    starts, ends = array("i", [s for s, _ in spans]), array("i", [e for _, e in spans])
    stored, plain = Regions.of(starts, ends), Regions(spans)
    assert stored.starts is starts and stored.ends is ends and stored.before.typecode == "i"
    assert plain.starts.typecode == "q" and list(stored.before) == list(plain.before) and stored.total == plain.total
    for _ in range(200):
        a, b = sorted(rng.sample(range(0, 5_100), 2))
        assert stored.inside(a, b) == plain.inside(a, b)
    coverage = [union([(a, a + 300)]) for a in (100, 2_000)]
    assert character_patterns(stored, coverage) == character_patterns(plain, coverage)


def test_agreement_statement_names_ten_left_out_transcripts_and_counts_the_rest():
    """A team double-codes 20 of 200 interviews: the statement listed all 180 others by name."""
    docs = [Document(i, f"int{i:03}", [(0, 10)]) for i in range(200)]
    spans = [CodedSpan(i, 0, 5, "x", coder) for i in range(200) for coder in ("anna", "bram") if i < 20 or coder == "anna"]
    result = compute(spans, docs, ["anna", "bram"], unit=CHARACTER)
    assert len(result.left_out) == 180  # all of them for JSON and programs
    statement = result.statement()
    assert "Left out, 180 transcript(s) coded by fewer than two of the coders: int020, int021" in statement
    assert "int029 and 170 more." in statement and "int030" not in statement
