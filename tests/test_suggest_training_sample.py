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
