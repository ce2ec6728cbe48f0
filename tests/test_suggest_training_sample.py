"""Training on a bounded sample of a large project: transcripts spread over it, whole."""

from __future__ import annotations

import pytest
from test_suggest_support import TRANSCRIPT, make_project

from qualcode.cli.suggest_cmds import _trained_line
from qualcode.suggest import training
from qualcode.suggest.dataset import coded_transcripts, labelled_sentences, spread
from qualcode.suggest.pipeline import load_pipeline
from qualcode.suggest.rules import RuleSuggester


@pytest.mark.parametrize("n", [0, 1, 2, 5, 8, 13, 100])
def test_spread_orders_every_id_once_and_each_beginning_covers_the_whole(n):
    ids = list(range(10, 10 + n))
    order = spread(ids)
    assert sorted(order) == ids and order[:1] == ids[:1]
    for k in range(2, n + 1):  # the first k reach across: no gap wider than about n/k * 2
        chosen = sorted(order[:k])
        gaps = [b - a for a, b in zip([ids[0] - 1, *chosen], [*chosen, ids[-1] + 1], strict=True)]
        assert max(gaps) <= 2 * n / k + 1, (k, chosen)


def test_spread_of_eight_is_bit_reversed():
    assert spread(list(range(8))) == [0, 4, 2, 6, 1, 5, 3, 7]


@pytest.fixture
def five(tmp_path):
    texts = {f"int{i}.txt": TRANSCRIPT.replace("wijkteam", f"wijkteam {i}") for i in range(1, 6)}
    project = make_project(tmp_path / "p", texts)
    for name in texts:
        tid = project.store.transcripts.id_by_name(name[:-4])
        project.store.codings.add_many([_coding(tid)])
    yield project
    project.close()


def _coding(tid):
    from qualcode.model import Coding

    return Coding(id=None, transcript_id=tid, start=0, end=10, code_id="vertrouwen", coder="test", quote="", memo=None)


def test_labelled_sentences_with_a_limit_reads_whole_transcripts_spread_over_the_project(five):
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, five.codebook)
    store = five.store
    ids = coded_transcripts(store)
    everything = labelled_sentences(store, pipeline, rules, ["vertrouwen"], ids)
    per_transcript = len(everything) // len(ids)
    assert per_transcript > 1
    # A limit above the total changes nothing (same sentences, same order).
    same = labelled_sentences(store, pipeline, rules, ["vertrouwen"], ids, limit=len(everything) + 1)
    assert [(d.transcript_id, d.sentence.start, d.gold) for d in same] == [
        (d.transcript_id, d.sentence.start, d.gold) for d in everything
    ]
    # Just over one transcript's worth: two whole transcripts, the first and the middle one, in order.
    some = labelled_sentences(store, pipeline, rules, ["vertrouwen"], ids, limit=per_transcript + 1)
    taken = list(dict.fromkeys(d.transcript_id for d in some))
    assert taken == sorted(spread(ids)[:2]) == [ids[0], ids[len(ids) // 2]]
    assert len(some) == 2 * per_transcript


def test_a_project_over_the_limit_trains_on_a_sample_and_says_so(sample_project, monkeypatch):
    monkeypatch.setattr(training, "MAX_TRAINING_SENTENCES", 400)
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, sample_project.codebook)
    model, _, data = training.train_project(
        sample_project.root, sample_project.store, sample_project.codebook, pipeline, rules, 0.3
    )
    coded = len(coded_transcripts(sample_project.store))
    assert 1 < model.info.transcripts < coded and model.info.sampled_from == coded
    assert len({d.transcript_id for d in data}) == model.info.transcripts and len(data) >= 400
    assert f"a sample spread over the {coded} coded transcripts" in _trained_line(model.info)
    saved = training.saved_info(sample_project.root)
    assert saved is not None and saved.sampled_from == coded


def test_evaluating_a_project_over_the_limit_uses_the_same_spread_sample_and_says_so(sample_project, monkeypatch):
    from qualcode.suggest import evaluate

    monkeypatch.setattr(evaluate, "MAX_TRAINING_SENTENCES", 400)
    result = evaluate.evaluate_project(sample_project, curve=False)
    coded = len(coded_transcripts(sample_project.store))
    assert 1 < result.transcripts < coded
    [note] = [n for n in result.notes if "coded transcripts, spread over the project" in n]
    assert note.startswith(f"evaluated on {result.transcripts} of the {coded} coded transcripts")


def test_named_transcripts_are_evaluated_even_when_the_sample_would_leave_them_out(sample_project, monkeypatch):
    from qualcode.suggest import evaluate

    monkeypatch.setattr(evaluate, "MAX_TRAINING_SENTENCES", 400)
    coded = coded_transcripts(sample_project.store)
    left_out_by_spread = coded[-1]  # the spread order reaches the last transcript last
    result = evaluate.evaluate_project(sample_project, curve=False, held_out=[left_out_by_spread])
    assert result.transcripts == 1  # scored: the named one
    assert any("coded transcripts, spread over the project" in n for n in result.notes)


def test_training_on_slim_sentences_gives_the_model_and_calibration_whole_ones_give(sample_project):
    # A first run keeps of the transcripts it does not propose for only what training reads:
    # their features encoded as each transcript is read, not their text and lemmas.
    import numpy

    from qualcode.suggest.dataset import codebook_sentences
    from qualcode.suggest.fitting import features_of, fit, rows_of
    from qualcode.suggest.learned import encode

    store, codebook = sample_project.store, sample_project.codebook
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, codebook)
    codes = training.codable_codes(codebook)
    ids = coded_transcripts(store)
    keep = {ids[1]}
    whole = labelled_sentences(store, pipeline, rules, codes, ids)
    slim = labelled_sentences(store, pipeline, rules, codes, ids, keep=keep)
    assert [(d.transcript_id, d.sentence.start, d.gold) for d in slim] == [
        (d.transcript_id, d.sentence.start, d.gold) for d in whole
    ]
    assert all(not d.sentence.text and not d.sentence.words for d in slim if d.transcript_id not in keep)
    kept = [(a.sentence, b.sentence) for a, b in zip(whole, slim, strict=True) if a.transcript_id in keep]
    assert kept and all(a == b and b.words for a, b in kept)
    assert [r.tolist() for r in rows_of(slim)] == [r.tolist() for r in encode(features_of(whole))]
    for d in whole:
        d.row = None  # fit encodes their features itself
    extra = codebook_sentences(codebook, pipeline, rules)
    options = {"extra": extra, "family": training.top_level(codebook)}
    model, calibration = fit(whole, codes, 0.3, **options)
    lean, lean_calibration = fit(slim, codes, 0.3, release_rows=True, **options)
    assert model is not None and lean is not None and calibration.learned
    assert lean_calibration.to_dict() == calibration.to_dict()
    for a, b in ((model.keys, lean.keys), (model.weights, lean.weights), (model.bias, lean.bias)):
        assert a.dtype == b.dtype and numpy.array_equal(a, b)
    assert all(d.row is None for d in slim)  # let go once the models were trained


def test_passages_are_the_neighbours_of_each_sentence_in_its_turn(five):
    from qualcode.suggest.combined import neighbours_of
    from qualcode.suggest.fitting import passages_of

    pipeline = load_pipeline(None)
    data = labelled_sentences(five.store, pipeline, RuleSuggester(pipeline, five.codebook), ["vertrouwen"], keep=())
    want = list(neighbours_of([(d.transcript_id, d.sentence.turn) for d in data]))
    passages = passages_of(data)
    assert len(passages) == len(want) and list(passages) == want and any(want)
    assert passages[-1] == want[-1] and passages[2:5] == want[2:5]
    with pytest.raises(IndexError):
        passages[len(want)]
