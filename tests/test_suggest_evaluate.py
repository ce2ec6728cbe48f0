"""The evaluation: combined suggester, top-level roll-up and the learning curve (tiny data, no spaCy pipeline)."""

from __future__ import annotations

from qualcode.codebook import parse_codebook
from qualcode.suggest.dataset import Labelled
from qualcode.suggest.evaluate import COMBINED, evaluate
from qualcode.suggest.segments import Sentence

CODEBOOK = """\
title: T
codes:
  - id: eten
    name: Eten
    children:
      - id: taart
        name: Taart
  - id: reizen
    name: Reizen
"""

TAART = [["ik", "bakken", "taart"], ["taart", "met", "room"], ["wij", "eten", "taart"], ["de", "taart", "zijn", "lekker"]]
OTHER = [["het", "regenen"], ["de", "bus", "zijn", "laat"], ["ik", "fietsen", "naar", "huis"], ["de", "school", "zijn", "dicht"]]


def interviews(n: int) -> list[Labelled]:
    out = []
    for tid in range(1, n + 1):
        for i, (t, o) in enumerate(zip(TAART * 3, OTHER * 3, strict=True)):
            out.append(Labelled(Sentence(tid, 2 * i, 0, 1, "t", words=t, hits={"taart": ["r"]} if i % 2 else {}), {"taart"}))
            out.append(Labelled(Sentence(tid, 2 * i + 1, 0, 1, "o", words=o), set()))
    return out


def test_suggest_evaluate_learning_curve_rolls_up_and_abstains_early():
    book, problems = parse_codebook(CODEBOOK)
    assert not problems
    result = evaluate(interviews(3), ["eten", "taart", "reizen"], ["taart"], book, 0.3, folds=3)
    assert result.folds == 3 and result.combined is not None and result.combined.suggester == COMBINED
    # Rolled up: 'taart' counts for 'eten'; the top-level table has the top-level codes only.
    rules_top, combined_top = result.top_level
    assert [s.code for s in combined_top.codes] == ["eten", "reizen"]
    assert combined_top.codes[0].counts.support == result.combined.codes[1].counts.support == 36
    # The curve: one point per number of training interviews, scored on the rest.
    assert [p.transcripts for p in result.curve] == [1, 2]
    assert [p.sentences for p in result.curve] == [24, 48]
    assert result.curve[0].learned_codes == 0  # one interview: no cross-validation, the model abstains
    assert result.curve[-1].learned_codes == 1  # then it beats the half-right hint for 'taart'
    assert result.curve[-1].combined.micro.f1 > result.curve[-1].rules.micro.f1
    assert result.calibration.get("taart").source == "learned"


def test_suggest_evaluate_scores_the_combined_suggester_at_each_threshold():
    from qualcode.suggest.evaluate import TARGETS

    book, _ = parse_codebook(CODEBOOK)
    result = evaluate(interviews(3), ["eten", "taart", "reizen"], ["taart"], book, 0.3, folds=3, curve=False)
    assert [t for t, _, _ in result.targets] == list(TARGETS)
    current = {t: leaf for t, leaf, _ in result.targets}[0.3]
    assert current.counts == result.combined.micro.counts  # the row of the current threshold is the combined report
    # The hint for 'taart' is right in half its sentences: asking more precision than it shows drops it.
    assert {t: leaf.counts.predicted for t, leaf, _ in result.targets}[0.0] >= {
        t: leaf.counts.predicted for t, leaf, _ in result.targets
    }[0.65]


def test_suggest_evaluate_held_out_scores_each_named_transcript_by_a_model_trained_on_all_the_others(monkeypatch):
    import qualcode.suggest.evaluate as evaluation

    trained_on: list[set[int]] = []
    fit = evaluation.fit_with_scores

    def spy(train, *args, **kwargs):
        trained_on.append({d.transcript_id for d in train})
        return fit(train, *args, **kwargs)

    monkeypatch.setattr(evaluation, "fit_with_scores", spy)
    book, _ = parse_codebook(CODEBOOK)
    result = evaluate(interviews(4), ["eten", "taart", "reizen"], ["taart"], book, 0.3, folds=3, held_out={3, 2})
    # One fit per named transcript, on every other transcript (named or not), never on itself.
    assert trained_on == [{1, 3, 4}, {1, 2, 4}]
    assert (result.held_out, result.transcripts, result.sentences) == (2, 2, 48)
    assert result.rules.micro.counts.support == result.combined.micro.counts.support == 24  # the named ones only
    assert not result.curve and result.calibration is None  # no single calibration to show
    assert [t for t, _, _ in result.targets] == list(evaluation.TARGETS)
    # Trained on three interviews, the model beats the hint that is right half the time.
    assert result.combined.micro.f1 > result.rules.micro.f1


def test_suggest_evaluate_learning_curve_pools_draws_from_every_part_of_the_project(monkeypatch):
    """One draw per point said more about which transcripts were left to score than about
    how many were learned from: each point pools draws starting at different transcripts."""
    from qualcode.suggest import evaluate as module

    trained: list[list[int]] = []
    fit = module.fit

    def recording(train, *args, **kwargs):
        trained.append(sorted({d.transcript_id for d in train}))
        return fit(train, *args, **kwargs)

    monkeypatch.setattr(module, "fit", recording)
    curve = module.learning_curve(interviews(3), ["eten", "taart", "reizen"], ["taart"], 0.3)
    assert trained == [[1], [2], [3], [1, 2], [2, 3], [1, 3]]
    assert [(p.transcripts, p.draws, p.sentences) for p in curve] == [(1, 3, 24), (2, 3, 48)]
    # Scored on the others in every draw: 2 transcripts x 12 'taart' sentences x 3 draws.
    assert curve[0].rules.codes[0].counts.support == 72
    monkeypatch.setattr(module, "CURVE_DRAWN_SENTENCES", 10)  # a large project: one draw per point
    trained.clear()
    assert [p.draws for p in module.learning_curve(interviews(3), ["taart"], ["taart"], 0.3)] == [1, 1]
    assert trained == [[1], [1, 2]]


def test_suggest_evaluate_codes_a_score_reaches_are_the_same_from_the_matrix_as_from_its_dicts():
    # The sweep reads the out-of-fold scores as a float32 matrix; what reaches a threshold is
    # what its dicts' floats reach (0.7 in float32 is just below 0.7: it does not reach it).
    import math

    import numpy

    from qualcode.suggest.combined import ScoreMatrix
    from qualcode.suggest.evaluate import _above

    rng = numpy.random.default_rng(0)
    values = rng.random((200, 4)).astype(numpy.float32)
    values[rng.random((200, 4)) < 0.2] = math.nan
    values[0] = [0.7, 0.3, 0.1, math.nan]
    matrix = ScoreMatrix(["a", "b", "c", "d"], values.astype(numpy.float32))
    dicts = list(matrix)
    for t in (0.1, 0.3, 0.5, 0.7, 0.9):
        assert _above(matrix, t) == _above(dicts, t)
    assert _above(matrix, 0.7)[0] == set() and _above(matrix, 0.3)[0] == {"a", "b"}


def test_suggest_evaluate_cross_validates_with_the_assignment_of_transcripts_to_folds_asked(monkeypatch):
    """One split of a few transcripts is noise-prone, so benchmarks average over
    several: ``fold_order`` picks another assignment, the same one every time."""
    import qualcode.suggest.evaluate as evaluation
    from qualcode.suggest.fitting import folds_of

    data = interviews(6)
    usual = folds_of(data, 3)
    assert usual == {1: 0, 2: 1, 3: 2, 4: 0, 5: 1, 6: 2}  # order 0: round robin over the sorted ids, as before
    others = [folds_of(data, 3, order) for order in (1, 2, 3, 4)]
    assert all(other == folds_of(data, 3, order) for order, other in zip((1, 2, 3, 4), others, strict=True))
    assert any(other != usual for other in others)
    for other in others:  # every transcript in one fold, the folds as even as round robin makes them
        assert sorted(other) == [1, 2, 3, 4, 5, 6] and sorted(other.values()) == [0, 0, 1, 1, 2, 2]
    seen: list[dict[int, int]] = []
    out_of_fold = evaluation.out_of_fold

    def spy(data, feats, fold_of, *args, **kwargs):
        seen.append(dict(fold_of))
        return out_of_fold(data, feats, fold_of, *args, **kwargs)

    monkeypatch.setattr(evaluation, "out_of_fold", spy)
    book, _ = parse_codebook(CODEBOOK)
    order = next(order for order, other in zip((1, 2, 3, 4), others, strict=True) if other != usual)
    evaluate(data, ["eten", "taart", "reizen"], ["taart"], book, 0.3, folds=3, curve=False, fold_order=order)
    evaluate(data, ["eten", "taart", "reizen"], ["taart"], book, 0.3, folds=3, curve=False)
    assert seen == [folds_of(data, 3, order), usual]
