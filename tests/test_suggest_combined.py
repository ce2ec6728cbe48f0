"""The combined suggester: abstention, per-code calibration, hint trust, caps, explanations."""

from __future__ import annotations

import pytest

from qualcode.suggest.combined import (
    LEARNED,
    MAX_PER_TURN,
    OFF,
    RULES,
    Calibration,
    CodeCalibration,
    Proposal,
    calibration_from,
    cap_per_turn,
    combine,
    context_of,
    hint_key,
    neighbour_hits,
    neighbours_of,
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
    assert cal.get("a").rule_precision == pytest.approx(2 / 14)  # smoothed: (1 + 1) / (10 + 1 + 3)
    assert combine({"a": ["matched keyword 'x'"]}, True, None, cal, 0.3, {"a"}) == {}
    trusted = Calibration({"a": CodeCalibration("a", rule_right=8, rule_wrong=2)})
    found = combine({"a": ["matched keyword 'x'"]}, True, None, trusted, 0.3, {"a"})
    assert found["a"].score == pytest.approx(9 / 14) and found["a"].sources == {RULES}
    assert found["a"].reasons == ["rule: matched keyword 'x'", "this code's hints were right in 8 of 10 coded sentences"]


def test_suggest_combined_each_hint_earns_its_own_trust():
    # Code a: 'x' was wrong in all 12 coded sentences it matched, 'y' right in 5 of 6.
    hints = {"matched keyword 'x'": [0, 12], "matched lemma 'y'": [5, 1]}
    cal = Calibration({"a": CodeCalibration("a", rule_right=5, rule_wrong=13, hints=hints)})
    assert combine({"a": ["matched keyword 'x'"]}, True, None, cal, 0.3, {"a"}) == {}
    found = combine({"a": ["matched lemma 'y' in \"ys\"", "matched keyword 'x'"]}, True, None, cal, 0.3, {"a"})
    assert found["a"].score > 0.6  # the trusted hint carries the sentence, with its own record
    assert found["a"].reasons[-1] == "this hint was right in 5 of 6 coded sentences"
    assert combine({"a": ["r1"]}, False, None, Calibration(), 0.3, {"a"}) == {}  # "Ja precies."
    assert combine({"a": ["r1"]}, True, None, Calibration(), 0.3, set()) == {}  # already coded, or not codable
    # Nothing coded yet: a hint claims what unchecked hints deliver (0.25), below the default
    # threshold alone; two hints in one sentence add up and reach it.
    assert combine({"a": ["r1"]}, True, None, Calibration(), 0.3, {"a"}) == {}
    assert combine({"a": ["r1"]}, True, None, Calibration(), 0.2, {"a"})["a"].score == pytest.approx(0.25)
    assert combine({"a": ["r1", "r2"]}, True, None, Calibration(), 0.3, {"a"})["a"].score == pytest.approx(1 - 0.75 * 0.75)


def test_suggest_combined_proposes_one_code_per_sentence_the_best_scored():
    # Researchers give a sentence one code: of two proposals only the better one stays.
    cal = Calibration(
        {
            "a": CodeCalibration("a", rule_right=8, rule_wrong=2),  # hints right in 8 of 10: 0.75
            "b": CodeCalibration("b", rule_right=2, rule_wrong=2),  # 2 of 4: 0.5
            "c": CodeCalibration("c", source=LEARNED, threshold=0.4, positives=9),
        }
    )
    hits = {"a": ["matched keyword 'x'"], "b": ["matched keyword 'y'"]}
    assert set(combine(hits, True, None, cal, 0.3, {"a", "b", "c"})) == {"a"}
    assert set(combine(hits, True, None, cal, 0.3, {"b", "c"})) == {"b"}  # a already coded: b is next best
    assert set(combine(hits, True, {"c": 0.9}, cal, 0.3, {"a", "b", "c"})) == {"c"}  # the model's surer
    # A tie goes to the first code by name, whatever the order of the hits.
    tie = Calibration(
        {"b": CodeCalibration("b", rule_right=8, rule_wrong=2), "a": CodeCalibration("a", rule_right=8, rule_wrong=2)}
    )
    assert set(combine({"b": ["y"], "a": ["x"]}, True, None, tie, 0.3, {"a", "b"})) == {"a"}


@pytest.mark.parametrize(
    ("reason", "key"),
    [
        ("matched keyword ''s avonds'", "matched keyword ''s avonds'"),
        ("matched lemma 'meegaan' in \"ging … mee\"", "matched lemma 'meegaan'"),
        ('matched pattern 2 "verwijst haar door"', "matched pattern 2"),
    ],
)
def test_suggest_combined_hint_key_leaves_out_the_matched_words(reason, key):
    assert hint_key(reason) == key


def test_suggest_combined_learned_proposal_explains_its_words_and_keeps_the_hint():
    # The hint alone is not enough for this code (rule score 0.5 < 0.9); the model adds the sentence.
    cal = Calibration({"a": CodeCalibration("a", source=LEARNED, threshold=0.4, rule_threshold=0.9, positives=12)})
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


def test_suggest_combined_the_model_vetoes_a_hit_only_where_calibrated_to():
    cal = Calibration({"a": CodeCalibration("a", source=LEARNED, veto=0.1)})  # its unchecked hint: 0.25
    assert combine({"a": ["r"]}, True, {"a": 0.05}, cal, 0.2, {"a"}) == {}
    assert set(combine({"a": ["r"]}, True, {"a": 0.15}, cal, 0.2, {"a"})) == {"a"}
    rules_code = Calibration({"a": CodeCalibration("a")})  # the model has no say for a rules code
    assert set(combine({"a": ["r"]}, True, {"a": 0.0}, rules_code, 0.2, {"a"})) == {"a"}


def test_suggest_combined_a_hit_the_model_lets_pass_says_whether_it_agrees_or_only_does_not_object():
    cal = Calibration({"a": CodeCalibration("a", source=LEARNED, veto=0.1, threshold=0.4)})
    passed = combine({"a": ["r"]}, True, {"a": 0.15}, cal, 0.2, {"a"})["a"]  # its unchecked hint: 0.25
    assert passed.reasons[-1].endswith("; the learned model does not object (score 0.15)")
    agreed = combine({"a": ["r"]}, True, {"a": 0.55}, cal, 0.2, {"a"})["a"]
    assert agreed.reasons[-1].endswith("; the learned model agrees (score 0.55)")


def _two_codes_hit_one_sentence():
    """Code a (the model has a say, no veto, never adds; its hints count from 0.2) and code b (rules only)
    both hinted in one sentence; b's hint has the better record (5/12 against a's unchecked 0.25)."""
    hits = {"a": ["matched keyword 'x'"], "b": ["matched keyword 'y'"]}
    cal = Calibration(
        {
            "a": CodeCalibration("a", source=LEARNED, threshold=1.01, positives=12, rule_threshold=0.2),
            "b": CodeCalibration("b", rule_right=1, rule_wrong=1, hints={"matched keyword 'y'": [1, 1]}),
        }
    )
    return hits, cal


def test_suggest_combined_the_models_score_adds_to_the_hints_of_its_code():
    hits, cal = _two_codes_hit_one_sentence()
    assert set(combine(hits, True, None, cal, 0.3, {"a", "b"})) == {"b"}  # hints alone: b's is better
    assert set(combine(hits, True, {"a": 0.1}, cal, 0.3, {"a", "b"})) == {"b"}  # 1 - 0.75 x 0.9 = 0.325 < 5/12
    proposal = combine(hits, True, {"a": 0.6}, cal, 0.3, {"a", "b"})["a"]  # 1 - 0.75 x 0.4 = 0.7 > 5/12
    assert proposal.score == pytest.approx(0.7) and proposal.sources == {RULES}
    assert proposal.reasons[-1].endswith("; the learned model adds its score (score 0.60)")
    rules_code = Calibration({"a": CodeCalibration("a")})  # a code the model has no say in: its hints' score alone
    assert combine({"a": ["r"]}, True, {"a": 0.9}, rules_code, 0.2, {"a"})["a"].score == pytest.approx(0.25)


def test_suggest_run_reads_the_models_score_where_it_adds_to_a_hint():
    # A run scores a sentence with hits of a learned code even where the model can
    # neither veto nor add: its score still decides which code the sentence gets.
    from qualcode.suggest.learned import sentence_features, train
    from qualcode.suggest.runner import propose
    from qualcode.suggest.segments import Sentence

    hits, cal = _two_codes_hit_one_sentence()
    examples = [Sentence(1, 2 * i, 0, 5, "x", words=[w]) for i, w in enumerate(["wachtlijst"] * 6 + ["koffie"] * 6)]
    model = train(sentence_features(examples), [{"a"}] * 6 + [set()] * 6, minimum=1)
    sentence = Sentence(1, 2, 0, 20, "Een wachtlijst x y.", words=["wachtlijst"], hits=hits)
    score = model.scores(sentence_features([sentence]))[0]["a"]
    assert score > 0.45  # enough to win: 1 - 0.75 x (1 - score) above b's 5/12 (see above)
    ((_, _, code, suggester, found, reason),) = propose([sentence], model, cal, 0.3, {"a", "b"})
    assert (code, suggester) == ("a", RULES) and found == pytest.approx(1 - 0.75 * (1 - score), abs=1e-4)
    assert "the learned model adds its score" in reason


def _in_sample_f1(cal, gold, hits, scores, threshold, code):
    tp = fp = fn = 0
    for g, h, s in zip(gold, hits, scores, strict=True):
        proposed = code in combine(h, True, s, cal, threshold, {code})
        tp += proposed and code in g
        fp += proposed and code not in g
        fn += not proposed and code in g
    return 2 * tp / (2 * tp + fp + fn)


@pytest.mark.parametrize("seed", range(5))
def test_suggest_combined_never_below_the_rules_on_the_sentences_it_was_calibrated_on(seed):
    import random

    rng = random.Random(seed)
    gold, hits, scores = [], [], []
    for _ in range(120):
        coded = rng.random() < 0.3
        gold.append({"a"} if coded else set())
        found = {}
        if rng.random() < (0.6 if coded else 0.2):
            found["a"] = [rng.choice(["matched keyword 'x'", "matched keyword 'y'", "matched keyword 'z'"])]
        hits.append(found)
        scores.append({"a": min(1.0, max(0.0, rng.gauss(0.5 if coded else 0.3, 0.25)))})  # a weak, noisy model
    cal = calibration_from(gold, [True] * 120, hits, scores, ["a"], ["a"], 0.0)
    rules = [{"a"} if "a" in h else set() for h in hits]
    tp = sum("a" in g and "a" in r for g, r in zip(gold, rules, strict=True))
    rules_f1 = 2 * tp / (sum(map(len, gold)) + sum(map(len, rules)))
    assert _in_sample_f1(cal, gold, hits, scores, 0.0, "a") >= rules_f1 - 1e-9
    assert cal.get("a").source in (RULES, LEARNED)


def test_suggest_combined_abstains_for_a_code_that_never_reaches_the_precision_asked():
    gold = [{"a"}, set(), set(), set(), {"b"}, set()]
    hits = [{"a": ["x"]}, {"a": ["x"]}, {"a": ["x"]}, {"a": ["x"]}, {"b": ["y"]}, {"b": ["y"]}]
    cal = calibration_from(gold, [True] * 6, hits, None, ["a", "b"], [], 0.4)
    assert cal.get("a").source == OFF and cal.get("b").source == RULES  # a: right in 1 of 4; b: 1 of 2
    assert combine({"a": ["x"]}, True, None, cal, 0.4, {"a"}) == {}
    assert set(combine({"b": ["y"]}, True, None, cal, 0.4, {"b"})) == {"b"}
    loose = calibration_from(gold, [True] * 6, hits, None, ["a", "b"], [], 0.2)
    assert loose.get("a").source == RULES  # asking less precision keeps it


def test_suggest_combined_hint_trust_is_measured_on_the_other_transcripts():
    # Hint 'x' is right only in transcript 1; 'y' is right in every transcript. By transcript,
    # 'x' scores low where it is tested, so the code keeps 'y' and drops 'x' at precision 0.6.
    gold, hits, groups = [], [], []
    for t in range(4):
        for _ in range(3):
            gold.append({"a"} if t == 1 else set())
            hits.append({"a": ["x"]})
            groups.append(t)
        gold.append({"a"})
        hits.append({"a": ["y"]})
        groups.append(t)
    cal = calibration_from(gold, [True] * len(gold), hits, None, ["a"], [], 0.6, groups=groups)
    a = cal.get("a")
    assert a.source == RULES and a.rule_threshold is not None
    assert a.hint_precision("x") < a.rule_threshold <= a.hint_precision("y")
    assert a.precision == pytest.approx(1.0)


def _passages(spill: bool) -> tuple[list[set[str]], list[dict], list[int], list[tuple[int, int]]]:
    """Eight transcripts of turns of three sentences, the hint 'x' in the middle one;
    with ``spill`` the researcher coded the whole turn, otherwise the hit alone."""
    gold, hits, groups, keys = [], [], [], []
    for t in range(8):
        for turn in range(3):
            for k in range(3):
                gold.append({"a"} if k == 1 or spill else set())
                hits.append({"a": ["x"]} if k == 1 else {})
                groups.append(t)
                keys.append((t, turn))
    return gold, hits, groups, keys


@pytest.mark.parametrize("spill", [True, False])
def test_suggest_combined_neighbours_of_a_hint_are_proposed_only_where_passages_run_on(spill):
    gold, hits, groups, keys = _passages(spill)
    near = neighbours_of(keys)
    assert near[:4] == [(1,), (0, 2), (1,), (4,)]  # a turn's first, middle and last sentence; a new turn
    cal = calibration_from(gold, [True] * len(gold), hits, None, ["a"], [], 0.3, groups=groups, neighbours=near)
    a = cal.get("a")
    assert (a.near <= 1) == spill and a.precision == pytest.approx(1.0)
    found = combine({}, True, None, cal, 0.3, {"a"}, near=[{"a": ["matched keyword 'x'"]}])
    assert bool(found) == spill
    if spill:
        assert found["a"].sources == {RULES}
        # 8 transcripts x 3 turns x 2 neighbours, all coded: right in 48 of 48, scored (48 + 1) / (48 + 1 + 3)
        assert (a.near_right, a.near_wrong) == (48, 0) and found["a"].score == pytest.approx(49 / 52)
        assert found["a"].reasons == [
            "next to a sentence that matched keyword 'x'",
            "this code's coded passages run over several sentences: right in 48 of 48 coded sentences",
        ]
    assert combine({}, False, None, cal, 0.3, {"a"}, near=[{"a": ["x"]}]) == {}  # "Ja precies." next to it
    assert combine({}, True, None, cal, 0.3, set(), near=[{"a": ["x"]}]) == {}  # already coded


def test_suggest_combined_context_of_takes_content_sentences_of_the_same_turn():
    class S:
        def __init__(self, turn, hits, content=True):
            self.transcript_id, self.turn, self.hits, self.content = 1, turn, hits, content

    sentences = [S(1, {"a": ["x"]}), S(1, {}), S(1, {"b": ["y"]}, content=False), S(2, {"c": ["z"]})]
    assert context_of(sentences) == [[], [{"a": ["x"]}], [], []]


@pytest.mark.parametrize("families", [True, False])
def test_suggest_combined_never_costs_the_top_level_what_the_hints_found(families):
    # Hint 'x' of a1 is right for a1 in 2 of 12 sentences, but the other 10 are coded a2,
    # its sibling: wrong leaf, right family. Precision 0.3 switches a1 off, which lifts the
    # leaf F1 (b's hint is right everywhere) but would lose the family's top-level hits:
    # with the families known, a1 goes back to its bare hints. (No transcripts given: by
    # transcript, settings shared by a1 and b would keep a1's hints for the same reason.)
    gold = [{"a1"}] * 2 + [{"a2"}] * 10 + [{"b"}] * 10 + [set()] * 4
    hits = [{"a1": ["x"]}] * 12 + [{"b": ["y"]}] * 10 + [{}] * 4
    family = {"a1": "a", "a2": "a", "b": "b"} if families else None
    codes = ["a1", "a2", "b"]
    cal = calibration_from(gold, [True] * 26, hits, None, codes, [], 0.3, family=family)
    a1 = cal.get("a1")
    assert a1.protected == families
    assert a1.source == (RULES if families else OFF)
    assert bool(combine({"a1": ["x"]}, True, None, cal, 0.3, {"a1"})) == families
    assert set(combine({"b": ["y"]}, True, None, cal, 0.3, {"b"})) == {"b"}


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
    cal = Calibration(
        {
            "a": CodeCalibration(
                "a", source=LEARNED, threshold=0.25, veto=0.1, rule_right=3, hints={"matched keyword 'x'": [3, 1]}
            )
        },
        folds=4,
    )
    again = Calibration.from_dict(cal.to_dict())
    assert again == cal and Calibration.from_dict({}) == Calibration()
    older = {"folds": 2, "codes": {"a": {"code": "a", "source": "rules", "threshold": 0.3, "retired": 1}}}
    assert Calibration.from_dict(older).get("a").source == RULES  # a model saved by an older version still reads


def test_suggest_run_proposes_the_neighbours_of_a_hint_where_the_code_runs_on():
    from qualcode.suggest.runner import propose
    from qualcode.suggest.segments import Sentence

    hit = {"a": ["matched keyword 'x'"]}
    sentences = [
        Sentence(1, 2, 0, 10, "Eerste zin."),
        Sentence(1, 2, 11, 20, "Tweede x."),
        Sentence(1, 2, 21, 30, "Derde zin."),
        Sentence(1, 4, 31, 40, "Ander beurt."),  # another turn: not a neighbour
    ]
    sentences[1].hits = hit
    # The hint is untried (0.25): proposed at a project threshold of 0.2, its neighbours at near 0.2.
    runs_on = Calibration({"a": CodeCalibration("a", near=0.2, near_right=3, near_wrong=1)})
    ((start, end, code, suggester, score, reason),) = propose(sentences, None, runs_on, 0.2, {"a"})
    assert (start, end, code, suggester) == (0, 30, "a", RULES)  # the three sentences of the turn, as one run
    # Scored by its best sentence: a neighbour, right in 3 of 4 ((3 + 1) / (4 + 1 + 3)), above the untried hint (0.25).
    assert score == pytest.approx(4 / 8, abs=1e-4)
    # The run's own hint comes first; what its neighbours contributed after it.
    assert reason.startswith("rule: matched keyword 'x'; no coded sentence to check this hint against yet; next to a sentence")
    single = Calibration({"a": CodeCalibration("a")})  # the default: no neighbours
    assert [(s, e) for s, e, *_ in propose(sentences, None, single, 0.2, {"a"})] == [(11, 20)]


def test_suggest_combined_one_coded_transcript_chooses_no_settings_but_ranks_by_the_hints_record():
    # Hint 'x' of code a is wrong in 9 of 10 sentences of the only coded transcript.
    gold = [{"a"}] + [set()] * 9
    hits = [{"a": ["x"]}] * 10
    one = calibration_from(gold, [True] * 10, hits, None, ["a"], [], 0.3, groups=[1] * 10)
    a = one.get("a")
    assert a.source == RULES and a.rule_threshold == 0.0 and a.near > 1  # nothing switched off or spread
    assert (a.rule_right, a.rule_wrong) == (1, 9)
    proposal = combine({"a": ["x"]}, True, None, one, 0.3, {"a"})["a"]
    assert proposal.score < 0.3  # proposed, and ranked low by its record
    two = calibration_from(gold * 2, [True] * 20, hits * 2, None, ["a"], [], 0.3, groups=[1] * 10 + [2] * 10)
    assert not a.protected  # nothing was chosen, so nothing had to be undone
    # With a second transcript settings are chosen out of sample: the hint is too
    # rarely right to reach 0.3 and the code is switched off, which only the
    # top-level guard undoes (its bare hints are all the top level has).
    assert two.get("a").protected


def test_suggest_combined_context_of_gives_both_neighbours_in_order_within_one_transcript():
    class S:
        def __init__(self, tid, turn, hits):
            self.transcript_id, self.turn, self.hits, self.content = tid, turn, hits, True

    sentences = [S(1, 1, {"a": ["x"]}), S(1, 1, {}), S(1, 1, {"b": ["y"]}), S(2, 1, {})]
    assert context_of(sentences) == [[], [{"a": ["x"]}, {"b": ["y"]}], [], []]


def test_suggest_combined_cap_per_turn_a_run_broken_by_a_sentence_without_proposals_counts_twice():
    from qualcode.suggest.combined import Proposal

    def p(score):
        return Proposal(score, {RULES}, [])

    proposed = [{"a": p(0.9)}, {}, {"a": p(0.8)}, {"b": p(0.7)}, {"c": p(0.6)}]
    kept = cap_per_turn([1] * 5, proposed, limit=3)
    assert [set(k) for k in kept] == [{"a"}, set(), {"a"}, {"b"}, set()]  # two runs of a, then b: c is the fourth


def _protect_by_recounting(out, items, where, tops, rules_found, family, threshold):
    """_protect_top_level as first written: every trial recounts every code's proposals."""
    from qualcode.suggest.combined import RULES, CodeCalibration, _proposes

    def top_f1(found):
        tp = sum(len(f & g) for f, g in zip(found, tops, strict=True))
        return 2 * tp / (sum(map(len, found)) + sum(map(len, tops)) or 1)

    def proposed(cals):
        found = [set() for _ in tops]
        for code, cal in cals.items():
            for i, item in zip(where.get(code, ()), items.get(code, ()), strict=True):
                if _proposes(cal, item, threshold):
                    found[i].add(family.get(code, code))
        return found

    floor, current = top_f1(rules_found), top_f1(proposed(out.codes))
    changed = {c for c, cal in out.codes.items() if cal.rule_threshold is not None or cal.source != RULES}
    while current < floor and changed:
        trials = {code: top_f1(proposed({**out.codes, code: CodeCalibration(code, rule_threshold=0.0)})) for code in changed}
        code = max(sorted(trials), key=trials.__getitem__)
        if trials[code] <= current:
            break
        cal = out.codes[code]
        cal.source, cal.rule_threshold, cal.veto, cal.threshold, cal.near = RULES, 0.0, 0.0, 1.01, 1.01
        cal.protected = True
        current = trials[code]
        changed.discard(code)


def test_suggest_combined_top_level_protection_counts_each_trial_from_its_own_code():
    """The protection counts a trial from the tried code's items only: on random
    calibrations it must undo exactly the codes, in the same order, as recounting
    everything for every trial does (several rounds included)."""
    import copy
    import random

    from qualcode.suggest.combined import LEARNED, RULES, Calibration, CodeCalibration, _columns, _protect_top_level

    rng = random.Random(7)
    rounds = []
    for _ in range(300):
        n, families = 12, ["f1", "f2"]
        codes = [f"c{k}" for k in range(7)]
        family = {c: rng.choice(families) for c in codes}
        tops = [set(rng.sample(families, rng.randint(0, 2))) for _ in range(n)]
        rules_found = [set(rng.sample(families, rng.randint(0, 2))) for _ in range(n)]
        out, items, where = Calibration(), {}, {}
        for code in codes:
            where[code] = sorted(rng.sample(range(n), rng.randint(0, n // 2)))
            items[code] = [
                (
                    rng.choice([None, rng.random()]),
                    rng.choice([None, rng.random()]),
                    rng.choice([None, rng.random()]),
                    rng.random() < 0.5,
                    rng.random() < 0.5,
                )
                for _ in where[code]
            ]
            cal = CodeCalibration(code, source=rng.choice([RULES, LEARNED]), rule_threshold=rng.choice([None, 0.3, 0.6, 0.9]))
            cal.veto, cal.threshold, cal.near = rng.random() * 0.5, rng.random(), rng.choice([0.4, 1.01])
            out.codes[code] = cal
        expected = copy.deepcopy(out)
        _protect_by_recounting(expected, items, where, tops, rules_found, family, 0.5)
        _protect_top_level(out, {c: _columns(where[c], items[c]) for c in codes}, tops, rules_found, family, 0.5)
        assert repr(out) == repr(expected)
        rounds.append(sum(c.protected for c in out.codes.values()))
    assert max(rounds) >= 2 and rounds.count(0) < len(rounds)  # several rounds happened, and not never


def _best_item_by_item(items, positives, family_positives, target, with_model, near):
    """_best as first written: every setting counted over the items one by one."""
    from qualcode.suggest.combined import RULE_THRESHOLDS, THRESHOLDS, TOP_WEIGHT, VETOES, Setting
    from qualcode.suggest.metrics import Counts, f1, precision

    best = None
    for t in RULE_THRESHOLDS:
        for w in near:
            for v in VETOES if with_model else (0.0,):
                for u in (1.01, *THRESHOLDS) if with_model else (1.01,):
                    tp = fp = kin_tp = 0
                    for rule, learned, beside, positive, kin in items:
                        spread = (rule is not None and rule >= t) or (beside is not None and beside >= w)
                        if (
                            spread
                            and max(learned if learned is not None else -1.0, 0.0) >= v
                            or (learned is not None and learned >= u)
                        ):
                            tp, fp, kin_tp = tp + positive, fp + (not positive), kin_tp + kin
                    counts = Counts(tp=tp, fp=fp, fn=positives - tp)
                    p = precision(counts)
                    if p is None or p < target:
                        continue
                    value = f1(counts) or 0.0
                    family = Counts(tp=kin_tp, fp=tp + fp - kin_tp, fn=family_positives - kin_tp)
                    score = value + TOP_WEIGHT * (f1(family) or 0.0)
                    if best is None or score > best.value:
                        best = Setting(score, value, t, v, u, w, p)
    return best


def test_suggest_combined_best_setting_is_the_one_counted_item_by_item():
    """_best counts every setting at once over the kinds of items (numpy): on random
    items, scores on and between the grids' values, it must choose the same setting
    with the same figures, to the bit, as counting each setting item by item."""
    import random

    from qualcode.suggest.combined import NEAR_THRESHOLDS, THRESHOLDS, _best, _columns, _Tally

    rng = random.Random(11)
    on_grid = [0.0, *THRESHOLDS, 0.03, 0.05, 0.1, 0.45, 1.0]

    def score():
        return rng.choice([None, rng.random(), rng.choice(on_grid)])

    chosen = set()
    for _ in range(120):
        n = rng.randint(1, 40)
        items = [(score(), score(), score(), rng.random() < 0.4, rng.random() < 0.6) for _ in range(n)]
        positives = sum(x[3] for x in items) + rng.randint(0, 5)
        family_positives = positives + rng.randint(0, 5)
        tally = _Tally(_columns(range(n), items))
        for target in (0.0, 0.3, 0.65):
            for with_model, near in ((False, NEAR_THRESHOLDS), (True, (rng.choice(NEAR_THRESHOLDS),))):
                expected = _best_item_by_item(items, positives, family_positives, target, with_model, near)
                got = _best(tally, positives, family_positives, target, with_model, near=near)
                assert repr(got) == repr(expected)
                chosen.add(got is None)
    assert chosen == {True, False}  # both a choice and no setting reaching the target happened


def test_suggest_combined_neighbour_hits_lists_only_the_sentences_with_neighbours():
    class S:
        def __init__(self, turn, hits, content=True):
            self.transcript_id, self.turn, self.hits, self.content = 1, turn, hits, content

    sentences = [S(1, {}), S(1, {"a": ["x"]}), S(1, {}), S(1, {"b": ["y"]}), S(2, {})]
    near = neighbour_hits(sentences)
    assert near == {0: [{"a": ["x"]}], 2: [{"a": ["x"]}, {"b": ["y"]}]}  # the one before first; not across turns
    assert context_of(sentences) == [near.get(i, []) for i in range(len(sentences))]


def test_suggest_combined_cap_per_turn_leaves_what_it_was_given_unchanged():
    def p(score):
        return Proposal(score, {RULES}, [])

    proposed = [{"a": p(0.9), "b": p(0.4)}, {"c": p(0.5)}, {}]
    before = [dict(found) for found in proposed]
    kept = cap_per_turn([1, 1, 1], proposed, limit=2)
    assert [set(k) for k in kept] == [{"a"}, {"c"}, set()]
    assert proposed == before  # the sentence that lost a code got a copy


def _p(score, *reasons):
    return Proposal(score, {RULES}, list(reasons))


def test_suggest_combined_extend_runs_carries_a_passage_over_weak_hints_of_its_code():
    from qualcode.suggest.combined import CONTINUES_REASON, extend_runs

    weak = {"a": ["matched keyword 'w'"]}
    turns = [1, 1, 1, 1, 1, 1, 2]
    hits = [weak, {}, weak, weak, {}, weak, weak]
    proposed = [{}, {"a": _p(0.8, "rule: strong")}, {}, {}, {}, {}, {}]
    # A hint of 'w' was wrong in 4 of 4 coded sentences: too weak alone (below 0.3), enough to go on.
    cal = Calibration({"a": CodeCalibration("a", hints={"matched keyword 'w'": [0, 4]})})
    out = extend_runs(turns, hits, proposed, cal, lambda i: True)
    # Backwards to sentence 0 (its weak hint); forwards over 2 and 3, stopped by 4 (no hint);
    # 5 is not reached, 6 is another turn.
    assert [set(found) for found in out] == [{"a"}, {"a"}, {"a"}, {"a"}, set(), set(), set()]
    added = out[2]["a"]
    assert added.score < 0.3 and added.sources == {RULES}
    assert added.reasons == [f"{CONTINUES_REASON}keyword 'w', too weak alone (score {added.score:.2f})"]
    assert proposed[2] == {} and proposed[1]["a"].reasons == ["rule: strong"]  # what it was given is unchanged
    # Not over a sentence that is no content, nor where the code may not be proposed (coded already).
    assert [set(f) for f in extend_runs(turns, hits, proposed, cal, lambda i: i != 2)][:4] == [{"a"}, {"a"}, set(), set()]
    fenced = extend_runs(turns, hits, proposed, cal, lambda i: True, allowed=lambda i, code: i != 0)
    assert [set(f) for f in fenced][:4] == [set(), {"a"}, {"a"}, {"a"}]
    # Nor over a sentence proposing another code: the passage ends there.
    other = [{}, {"a": _p(0.8)}, {"b": _p(0.5)}, {}, {}, {}, {}]
    assert [set(f) for f in extend_runs(turns, hits, other, cal, lambda i: True)][:4] == [{"a"}, {"a"}, {"b"}, set()]


def test_suggest_combined_extend_runs_bridges_one_sentence_between_two_of_a_passage():
    from qualcode.suggest.combined import BRIDGES_REASON, extend_runs

    turns = [1, 1, 1, 1, 2, 2]
    hits: list[dict[str, list[str]]] = [{}] * 6
    proposed = [{"a": _p(0.7)}, {}, {"a": _p(0.5)}, {}, {"b": _p(0.6)}, {}]
    cal = Calibration()
    out = extend_runs(turns, hits, proposed, cal, lambda i: True)
    assert [set(f) for f in out] == [{"a"}, {"a"}, {"a"}, set(), {"b"}, set()]
    assert out[1]["a"].score == 0.5 and out[1]["a"].reasons == [BRIDGES_REASON]
    # Never a backchannel ("Ja precies.") in between, nor across turns.
    assert extend_runs(turns, hits, proposed, cal, lambda i: i != 1)[1] == {}
    assert extend_runs([1, 2, 2], [{}] * 3, [{"a": _p(0.7)}, {}, {"a": _p(0.5)}], cal, lambda i: True)[1] == {}


def test_suggest_run_carries_a_proposed_passage_over_the_weak_hints_next_to_it():
    from qualcode.suggest.runner import propose
    from qualcode.suggest.segments import Sentence

    sentences = [
        Sentence(1, 2, 0, 20, "Het wachtlijst duurt."),
        Sentence(1, 2, 21, 40, "Dan wachten ze lang."),
        Sentence(1, 2, 41, 60, "Het weer was mooi."),
    ]
    sentences[0].hits = {"a": ["matched keyword 'wachtlijst'"]}
    sentences[1].hits = {"a": ["matched keyword 'wachten'"]}
    # 'wachtlijst' right in 4 of 4 coded sentences; 'wachten' in 1 of 5: too weak to propose alone.
    cal = Calibration(
        {
            "a": CodeCalibration(
                "a", rule_threshold=0.3, hints={"matched keyword 'wachtlijst'": [4, 0], "matched keyword 'wachten'": [1, 4]}
            )
        }
    )
    assert cal.get("a").rule_score(sentences[1].hits["a"]) < 0.3
    ((start, end, code, suggester, score, reason),) = propose(sentences, None, cal, 0.3, {"a"})
    assert (start, end, code, suggester) == (0, 40, "a", RULES)  # one run over both sentences, not the third
    assert reason.startswith("rule: matched keyword 'wachtlijst'; this hint was right in 4 of 4 coded sentences; ")
    assert reason.endswith("continues the passage proposed next to it: keyword 'wachten', too weak alone (score 0.21)")
    # Coded already for the code there: the suggestion keeps to its own sentence.
    from qualcode.model import Coding

    coded = [Coding(None, 1, 21, 40, "a", "anna", "Dan wachten ze lang.")]
    assert [(s, e) for s, e, *_ in propose(sentences, None, cal, 0.3, {"a"}, covered=coded)] == [(0, 20)]


def test_suggest_run_explains_a_word_of_the_question_as_such():
    from qualcode.suggest.runner import _readable

    assert _readable("q:wachtlijst", "a") == "'wachtlijst' in the question"
    assert _readable("wachtlijst", "a") == "'wachtlijst'" and _readable("rule:a", "a") == "its hint"


def test_suggest_run_a_coding_of_a_sub_code_covers_its_parents_but_a_decision_does_not():
    """A passage coded with a sub-code is coded for its family too: the parent is not
    proposed there (a researcher rejects it as said already); a rejected suggestion of
    the sub-code says nothing about its parent."""
    from qualcode.model import Coding
    from qualcode.suggest.runner import propose
    from qualcode.suggest.segments import Sentence

    sentences = [Sentence(1, 2, 0, 25, "Ik vertrouw de instanties."), Sentence(1, 2, 26, 50, "Ze vertrouwen ons niet.")]
    for sentence in sentences:
        sentence.hits = {"vertrouwen": ["matched keyword 'vertrouw'"]}
    cal = Calibration(
        {"vertrouwen": CodeCalibration("vertrouwen", rule_threshold=0.3, hints={"matched keyword 'vertrouw'": [4, 0]})}
    )
    codable = {"vertrouwen", "vertrouwen_instanties"}
    broader = {"vertrouwen_instanties": ["vertrouwen"]}
    coded = [Coding(None, 1, 0, 25, "vertrouwen_instanties", "anna", "Ik vertrouw de instanties.")]
    found = propose(sentences, None, cal, 0.3, codable, covered=coded, broader=broader)
    assert [(s, e, code) for s, e, code, *_ in found] == [(26, 50, "vertrouwen")]
    # Without the hierarchy the parent was proposed on the passage coded with its sub-code.
    unaware = propose(sentences, None, cal, 0.3, codable, covered=coded)
    assert [(s, e) for s, e, *_ in unaware] == [(0, 50)]
    rejected = [Coding(None, 1, 0, 25, "vertrouwen_instanties", "anna", "")]
    kept = propose(sentences, None, cal, 0.3, codable, decided=rejected, broader=broader)
    assert [(s, e) for s, e, *_ in kept] == [(0, 50)]


def _few_examples_of_alike_codes(seed, transcripts):
    """Six codes alike (a hint in 7 of 10 of a code's sentences and 1 in 25 of the others,
    a weak model), 40 sentences per transcript: a few coded sentences per code and transcript."""
    import random

    rng = random.Random(seed)
    codes = ["a", "b", "c", "d", "e", "f"]
    gold, hits, scores, groups = [], [], [], []
    for t in range(transcripts):
        for _ in range(40):
            code = rng.choice(codes) if rng.random() < 0.4 else None
            gold.append({code} if code else set())
            hits.append(
                {c: [f"matched keyword '{c}{rng.randrange(3)}'"] for c in codes if rng.random() < (0.7 if c == code else 0.04)}
            )
            scores.append({c: min(1.0, max(0.0, rng.gauss(0.35 if c == code else 0.2, 0.15))) for c in codes})
            groups.append(t)
    return codes, gold, hits, scores, groups


def test_suggest_combined_codes_share_their_settings_where_their_own_do_not_hold_on_other_transcripts(monkeypatch):
    from qualcode.suggest import combined

    codes, gold, hits, scores, groups = _few_examples_of_alike_codes(0, 4)
    cal = calibration_from(gold, [True] * len(gold), hits, scores, codes, codes, 0.3, groups=groups)
    assert all(cal.get(c).shared for c in codes)
    settings = {
        (cal.get(c).source, cal.get(c).rule_threshold, cal.get(c).veto, cal.get(c).threshold, cal.get(c).near) for c in codes
    }
    assert len({s[0] for s in settings}) == len(settings)  # one setting for the codes the model has a say in, one for the others
    monkeypatch.setattr(combined, "_shared_is_better", lambda *args: False)
    own = calibration_from(gold, [True] * len(gold), hits, scores, codes, codes, 0.3, groups=groups)
    assert not any(own.get(c).shared for c in codes)
    assert len({(own.get(c).rule_threshold, own.get(c).veto, own.get(c).threshold) for c in codes}) > 1

    def f1(calibration, data):
        _, gold, hits, scores, _ = data
        tp = proposed = 0
        for g, h, s in zip(gold, hits, scores, strict=True):
            found = set(combine(h, True, s, calibration, 0.3, set(codes)))
            tp, proposed = tp + len(found & g), proposed + len(found)
        return 2 * tp / (proposed + sum(map(len, gold)))

    new = _few_examples_of_alike_codes(100, 8)  # interviews neither was chosen on
    assert f1(cal, new) > f1(own, new) + 0.04  # 0.65 against 0.59


def test_suggest_combined_each_code_keeps_its_own_settings_where_they_differ_for_a_reason():
    # Code a is coded over whole turns (its hint in the middle one): the sentences next to
    # its hint are a too. Code b is coded in its hinted sentence only. One setting for both
    # would propose b's neighbours or miss a's, in every transcript.
    gold, hits, keys, groups = [], [], [], []
    for t in range(4):
        for turn in range(6):
            code = "a" if turn % 2 else "b"
            for k in range(3):
                gold.append({code} if code == "a" or k == 1 else set())
                hits.append({code: [f"matched keyword '{code}'"]} if k == 1 else {})
                keys.append((t, turn))
                groups.append(t)
    neighbours = neighbours_of(keys)
    cal = calibration_from(gold, [True] * len(gold), hits, None, ["a", "b"], [], 0.3, groups=groups, neighbours=neighbours)
    a, b = cal.get("a"), cal.get("b")
    assert not a.shared and not b.shared
    assert a.near <= 1 < b.near  # a's hints propose the sentences next to them, b's do not


def test_suggest_combined_a_score_matrix_calibrates_as_its_dicts_do():
    # Out-of-fold scores come as one matrix (NaN: no score: a fold whose model lacked the
    # code, or had no model); calibrating from it must choose what the dicts would choose.
    import math

    import numpy

    from qualcode.suggest.combined import ScoreMatrix, calibration_data

    codes, gold, hits, scores, groups = _few_examples_of_alike_codes(3, 6)
    for i, found in enumerate(scores):
        if groups[i] == 0:
            del found["f"]  # this fold's model did not learn f
        if i % 17 == 0:
            found.clear()  # nor any code
    content = [i % 5 != 0 for i in range(len(gold))]
    neighbours = neighbours_of([(g, i // 4) for i, g in enumerate(groups)])
    family = {"a": "a", "b": "a", "c": "c", "d": "c", "e": "e", "f": "e"}
    learnable = ["a", "b", "c", "d", "e"]  # f is scored but not learnable: its scores count for nothing
    matrix = numpy.asarray([[found.get(c, math.nan) for c in codes] for found in scores])
    as_matrix = ScoreMatrix(codes, matrix)
    assert list(as_matrix) == scores and as_matrix[3] == scores[3] and as_matrix[:2] == scores[:2]
    assert [list(d) for d in as_matrix] == [list(d) for d in scores]  # the keys in the same order
    context = {"groups": groups, "neighbours": neighbours, "family": family}
    for threshold in (0.2, 0.3, 0.5):
        want = calibration_from(gold, content, hits, scores, codes, learnable, threshold, 5, **context)
        got = calibration_from(gold, content, hits, as_matrix, codes, learnable, threshold, 5, **context)
        assert got.to_dict() == want.to_dict()
    from_dicts = calibration_data(gold, content, hits, scores, codes, learnable, **context)
    from_matrix = calibration_data(gold, content, hits, as_matrix, codes, learnable, **context)
    for code in codes:
        for a, b in zip(from_dicts.columns[code], from_matrix.columns[code], strict=True):
            assert a.dtype == b.dtype and numpy.array_equal(a, b)
    assert any(len(from_matrix.columns[c].where) for c in codes)
    assert (from_matrix.columns["f"].learned == -math.inf).all()  # not learnable
    assert from_matrix.columns["a"].where.tolist() != [i for i, c in enumerate(content) if c]  # not every sentence


@pytest.mark.parametrize("seed", [0, 1])
def test_suggest_combined_items_no_setting_proposes_are_counted_not_kept(monkeypatch, seed):
    # A learned code's items are mostly sentences with only a low learned score: no setting
    # proposes them, so a calibration keeps them out of its columns (a first run's memory at
    # 100,000 sentences) and must choose exactly what it chose with them. Code f is learnable
    # with no hint and every score below every addition: all its items left out.
    import math

    import numpy

    from qualcode.suggest import combined
    from qualcode.suggest.combined import ScoreMatrix, calibrated, calibration_data

    codes, gold, hits, scores, groups = _few_examples_of_alike_codes(seed, 6)
    for i, (found, given) in enumerate(zip(scores, hits, strict=True)):
        found["f"] = 0.1 * found["f"]
        given.pop("f", None)
        if i % 13 == 0:
            found.clear()  # not scored
    content = [i % 7 != 0 for i in range(len(gold))]
    neighbours = neighbours_of([(g, i // 4) for i, g in enumerate(groups)])
    family = {"a": "a", "b": "a", "c": "c", "d": "c", "e": "e", "f": "e"}
    matrix = ScoreMatrix(codes, numpy.asarray([[found.get(c, math.nan) for c in codes] for found in scores]))
    context = {"groups": groups, "neighbours": neighbours, "family": family}

    def calibrations():
        data = calibration_data(gold, content, hits, matrix, codes, codes, **context)
        return data, [calibrated(data, t, 5).to_dict() for t in (0.0, 0.3, 0.5, 0.65)]

    lean, got = calibrations()
    monkeypatch.setattr(combined, "ITEM_FLOOR", -math.inf)  # every item kept
    whole, want = calibrations()
    assert got == want
    assert lean.items == whole.items and lean.item_folds == whole.item_folds
    assert len(lean.columns["f"].where) == 0 < lean.items["f"] == len(whole.columns["f"].where)
    assert sum(len(c.where) for c in lean.columns.values()) < sum(len(c.where) for c in whole.columns.values())


def test_suggest_combined_hints_that_found_the_same_words_are_one_piece_of_evidence():
    # The sample codebook's keyword 'naar ons toe' and its pattern 2 both find "naar ons toe":
    # one piece of evidence (0.25 before any coding), not two that add up to 0.44.
    same = ["matched keyword 'naar ons toe'", 'matched pattern 2 "Naar ons toe"']
    assert CodeCalibration("a").rule_score(same) == pytest.approx(0.25)
    assert combine({"a": same}, True, None, Calibration(), 0.3, {"a"}) == {}
    # Two hints on other words still add up; one hint matching twice still counts once.
    other = ["matched keyword 'naar ons toe'", "matched lemma 'moeder' in \"moeders\"", "matched lemma 'moeder' in \"moeder\""]
    assert CodeCalibration("a").rule_score(other) == pytest.approx(1 - 0.75 * 0.75)
    # Words within the other's are the same evidence too (the keyword 'gemeente' inside the pattern
    # "van de gemeente"), but words that only share a small word are not.
    within = ["matched keyword 'gemeente'", 'matched pattern 1 "van de gemeente"']
    assert CodeCalibration("a").rule_score(within) == pytest.approx(0.25)
    apart = ['matched pattern 1 "van de gemeente"', 'matched pattern 2 "de moeders"']
    assert CodeCalibration("a").rule_score(apart) == pytest.approx(1 - 0.75 * 0.75)
    # Of the same words, the better record counts.
    cal = CodeCalibration(
        "a", rule_right=4, rule_wrong=4, hints={"matched pattern 2": [6, 0], "matched keyword 'naar ons toe'": [0, 6]}
    )
    assert cal.rule_score(same) == pytest.approx(cal.hint_precision('matched pattern 2 "naar ons toe"'))
