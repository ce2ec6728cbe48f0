"""The disagreement finder: one coded and the other not, different codes, different boundaries."""

from __future__ import annotations

from qualcode.agreement import CodedSpan
from qualcode.team.disagreements import BOUNDARIES, CODES, ONLY_FIRST, ONLY_SECOND, find_disagreements


def span(start, end, code, coder, tid=1):
    return CodedSpan(tid, start, end, code, coder)


def test_team_disagreements_identical_codings_agree():
    spans = [span(0, 10, "x", "a"), span(0, 10, "x", "b")]
    assert find_disagreements(spans, "a", "b") == []


def test_team_disagreements_kinds():
    spans = [
        span(0, 10, "x", "a"),
        span(0, 10, "x", "b"),  # agreed
        span(20, 30, "x", "a"),  # only a
        span(40, 60, "x", "a"),
        span(42, 60, "x", "b"),  # boundaries
        span(70, 80, "y", "a"),
        span(70, 85, "z", "b"),  # codes
        span(90, 95, "y", "b"),  # only b
    ]
    found = find_disagreements(spans, "a", "b")
    assert [(d.kind, d.start, d.end) for d in found] == [
        (ONLY_FIRST, 20, 30),
        (BOUNDARIES, 40, 60),
        (CODES, 70, 85),
        (ONLY_SECOND, 90, 95),
    ]
    codes = found[2]
    assert [s.code for s in codes.first] == ["y"] and [s.code for s in codes.second] == ["z"]
    assert found[1].codes == ["x"]


def test_team_disagreements_extra_code_on_an_agreed_passage_is_only_one_coder():
    # Both coded y; a also coded x there: b's y is agreed, so the x is a's alone.
    spans = [span(0, 10, "y", "a"), span(0, 10, "y", "b"), span(0, 10, "x", "a")]
    [d] = find_disagreements(spans, "a", "b")
    assert d.kind == ONLY_FIRST and d.second == []


def test_team_disagreements_transcripts_one_coder_did_not_code_are_skipped():
    spans = [span(0, 10, "x", "a", tid=1), span(0, 10, "x", "a", tid=2), span(5, 10, "x", "b", tid=2)]
    found = find_disagreements(spans, "a", "b")
    assert [d.transcript for d in found] == [2]


def test_team_disagreements_keys_are_stable_and_distinct():
    spans = [span(20, 30, "x", "a"), span(40, 60, "x", "a"), span(42, 60, "x", "b")]
    first = [d.key for d in find_disagreements(spans, "a", "b")]
    again = [d.key for d in find_disagreements(list(reversed(spans)), "a", "b")]
    assert first == again and len(set(first)) == 2
    moved = [span(20, 31, "x", "a"), *spans[1:]]
    assert find_disagreements(moved, "a", "b")[0].key != first[0]


def test_team_disagreements_other_coders_are_ignored():
    spans = [span(0, 10, "x", "a"), span(0, 10, "x", "b"), span(50, 60, "x", "consensus")]
    assert find_disagreements(spans, "a", "b") == []
