"""The combined suggester: abstention, per-code calibration, hint trust, caps, explanations."""

from __future__ import annotations

import pytest

from qualcode.suggest.combined import (
    LEARNED,
    MAX_PER_TURN,
    RULES,
    Calibration,
    CodeCalibration,
    calibration_from,
    cap_per_turn,
    combine,
)
from qualcode.suggest.review import by_score


def calibrate(gold, hits, scores=None, learnable=("a",), threshold=0.3, content=None):
    content = content if content is not None else [True] * len(gold)
    return calibration_from(gold, content, hits, scores, ["a", "b"], learnable, threshold)


def test_suggest_combined_learned_abstains_without_a_model_or_examples():
    gold = [{"a"}, set(), {"a"}, set()]
    hits = [{"a": ["x"]}, {}, {}, {"a": ["x"]}]
    no_model = calibrate(gold, hits, scores=None)
    assert no_model.get("a").source == RULES
    scores = [{"a": 0.9}, {"a": 0.1}, {"a": 0.9}, {"a": 0.1}]  # perfect, but too few examples to count
    too_few = calibrate(gold, hits, scores=scores, learnable=())
    assert too_few.get("a").source == RULES and too_few.get("a").learned_f1 is None


def test_suggest_combined_learned_speaks_only_where_it_beat_the_rules_with_its_own_threshold():
    gold = [{"a"}, set(), {"a"}, set(), {"b"}, set()]
    hits = [{"a": ["x"], "b": ["y"]}, {"a": ["x"]}, {}, {}, {"b": ["y"]}, {}]
    scores = [{"a": 0.7, "b": 0.2}, {"a": 0.1}, {"a": 0.6}, {"a": 0.2}, {"b": 0.1}, {"b": 0.9}]
    cal = calibrate(gold, hits, scores=scores, learnable=("a", "b"))
    a, b = cal.get("a"), cal.get("b")
    assert a.source == LEARNED and a.learned_f1 == 1.0 and 0.2 < a.threshold <= 0.6  # separates a at its best threshold
    assert b.source == RULES  # the hint for b was right; the model was not better
    assert (a.rule_right, a.rule_wrong) == (1, 1) and (b.rule_right, b.rule_wrong) == (1, 1)


def test_suggest_combined_a_distrusted_hint_stops_being_proposed():
    cal = Calibration({"a": CodeCalibration("a", rule_right=1, rule_wrong=9)})
    assert cal.get("a").rule_precision == pytest.approx(2 / 12)  # smoothed: (1 + 1) / (10 + 2)
    assert combine({"a": ["matched keyword 'x'"]}, True, None, cal, 0.3, {"a"}) == {}
    trusted = Calibration({"a": CodeCalibration("a", rule_right=8, rule_wrong=2)})
    found = combine({"a": ["matched keyword 'x'"]}, True, None, trusted, 0.3, {"a"})
    assert found["a"].score == pytest.approx(0.75) and found["a"].sources == {RULES}
    assert found["a"].reasons == ["rule: matched keyword 'x'", "this hint was right in 8 of 10 coded sentences"]


def test_suggest_combined_hints_add_up_and_nothing_for_non_content_or_uncodable():
    cal = Calibration()  # nothing coded yet: every hint starts at 0.5
    one = combine({"a": ["r1"]}, True, None, cal, 0.3, {"a"})["a"].score
    two = combine({"a": ["r1", "r2"]}, True, None, cal, 0.3, {"a"})["a"].score
    assert one == pytest.approx(0.5) and two == pytest.approx(0.75)
    assert combine({"a": ["r1"]}, False, None, cal, 0.3, {"a"}) == {}  # "Ja precies."
    assert combine({"a": ["r1"]}, True, None, cal, 0.3, set()) == {}  # already coded, or not codable


def test_suggest_combined_learned_proposal_explains_its_words_and_keeps_the_hint():
    cal = Calibration({"a": CodeCalibration("a", source=LEARNED, threshold=0.4, positives=12)})
    found = combine(
        {"a": ["matched lemma 'wachtlijst' in \"wachtlijsten\""]},
        True,
        {"a": 0.72},
        cal,
        0.3,
        {"a"},
        explain=lambda code: "'wachtlijst', 'wachten'",
    )
    proposal = found["a"]
    assert proposal.sources == {LEARNED, RULES} and proposal.score == 0.72
    assert proposal.reasons[0] == "learned from 12 coded sentences: 'wachtlijst', 'wachten' (score 0.72)"
    assert proposal.reasons[1].startswith("rule: matched lemma 'wachtlijst'")
    assert combine({}, True, {"a": 0.39}, cal, 0.3, {"a"}) == {}  # below the code's own threshold


def test_suggest_combined_cap_per_turn_keeps_the_best_and_counts_runs_once():
    def p(score):
        from qualcode.suggest.combined import Proposal

        return Proposal(score, {RULES}, [])

    turns = [1, 1, 1, 2]
    proposed = [
        {"a": p(0.9), "b": p(0.4), "c": p(0.5)},
        {"a": p(0.6), "d": p(0.45)},  # a continues its run: still one suggestion
        {"e": p(0.3)},
        {"b": p(0.2)},  # another turn, its own cap
    ]
    kept = cap_per_turn(turns, proposed, limit=3)
    assert [set(k) for k in kept] == [{"a", "c"}, {"a", "d"}, set(), {"b"}]
    assert MAX_PER_TURN >= 1


def test_suggest_combined_review_order_most_likely_first():
    from qualcode.store import Suggestion

    def row(i, start, score):
        return Suggestion(i, 1, start, start + 5, "a", "rules", score, "", "pending", None, None, "", None)

    rows = [row(1, 0, 0.4), row(2, 10, 0.9), row(3, 20, None), row(4, 30, 0.9)]
    assert [r.id for r in by_score(rows)] == [2, 4, 1, 3]  # ties in reading order, no score last


def test_suggest_combined_calibration_round_trips():
    cal = Calibration({"a": CodeCalibration("a", source=LEARNED, threshold=0.25, rule_right=3)}, folds=4)
    again = Calibration.from_dict(cal.to_dict())
    assert again == cal and Calibration.from_dict({}) == Calibration()
