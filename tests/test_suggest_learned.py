"""The learned suggester: trains on a small separable set, deterministically, and round-trips."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError
from qualcode.suggest.learned import (
    RETRAIN_AFTER,
    LearnedModel,
    ModelInfo,
    features,
    needs_training,
    train,
)

# Sentences as lemma lists. 'taart' only in code a, 'bus' only in code b.
A = [["ik", "bak", "taart"], ["de", "taart", "zijn", "lekker"], ["taart", "met", "room"], ["wij", "eten", "taart"]] * 3
B = [["de", "bus", "zijn", "laat"], ["met", "de", "bus", "naar", "school"], ["bus", "rijden", "niet"]] * 3
NONE = [["het", "regenen", "vandaag"], ["wij", "gaan", "naar", "huis"], ["de", "school", "zijn", "dicht"], ["ik", "fietsen"]] * 4


def data():
    sentences = [*A, *B, *NONE]
    labels = [{"a"}] * len(A) + [{"b"}] * len(B) + [set()] * len(NONE)
    return sentences, labels


@pytest.fixture(scope="module")
def model() -> LearnedModel:
    return train(*data(), codings=30, max_coding_id=30)


def test_suggest_learned_separates_a_small_set(model):
    taart, bus, neither = model.scores([["een", "taart"], ["de", "bus"], ["ik", "gaan", "fietsen"]])
    assert taart["a"] > 0.5 > taart["b"]
    assert bus["b"] > 0.5 > bus["a"]
    assert neither["a"] < 0.5 and neither["b"] < 0.5


def test_suggest_learned_is_deterministic(model):
    again = train(*data())
    probe = [["een", "taart"], ["de", "bus"], ["school"]]
    assert again.scores(probe) == model.scores(probe)


def test_suggest_learned_only_codes_with_enough_examples():
    sentences, labels = data()
    sentences.append(["zeldzaam"])
    labels.append({"rare"})
    trained = train(sentences, labels)
    assert trained.codes == ["a", "b"]
    assert trained.info.skipped == {"rare": 1}
    assert trained.info.codes == {"a": 12, "b": 9}


def test_suggest_learned_nothing_to_train_is_a_clear_error():
    with pytest.raises(QualcodeError) as caught:
        train([["x"]] * 20, [{"a"}] * 3 + [set()] * 17)
    assert caught.value.code == "QC705"
    assert "8 coded sentences" in caught.value.message


def test_suggest_learned_saves_and_loads(model, tmp_path):
    folder = tmp_path / ".qualcode" / "model"
    model.save(folder)
    model.save(folder)  # saving over an existing model replaces it
    loaded = LearnedModel.load(folder)
    assert loaded.info == model.info
    probe = [["een", "taart"], ["de", "bus"]]
    assert loaded.scores(probe) == pytest.approx(model.scores(probe))


def test_suggest_learned_unreadable_model_is_a_clear_error(model, tmp_path):
    (tmp_path / "meta.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        LearnedModel.load(tmp_path)
    assert caught.value.code == "QC706"
    assert "qualcode suggest --train" in caught.value.hint
    # Weights that are no archive, or do not fit the codes: the same clear error.
    model.save(tmp_path / "m")
    (tmp_path / "m" / "weights.npz").write_bytes(b"not a zip")
    with pytest.raises(QualcodeError) as caught:
        LearnedModel.load(tmp_path / "m")
    assert caught.value.code == "QC706"
    model.save(tmp_path / "m")
    meta = tmp_path / "m" / "meta.json"
    meta.write_text(meta.read_text(encoding="utf-8").replace('"b": 9', '"b": 9, "c": 8'), encoding="utf-8")
    with pytest.raises(QualcodeError) as caught:
        LearnedModel.load(tmp_path / "m")
    assert caught.value.code == "QC706" and "3 codes" in caught.value.message


def test_suggest_learned_retrains_after_enough_coding_changes(model):
    info = model.info  # trained with 30 codings
    assert needs_training(None, 30, 0)
    assert not needs_training(info, 30, 0)
    assert not needs_training(info, 30 + RETRAIN_AFTER - 1, RETRAIN_AFTER - 1)
    assert needs_training(info, 30 + RETRAIN_AFTER, RETRAIN_AFTER)  # added
    assert needs_training(info, 30 - RETRAIN_AFTER, 0)  # removed
    assert not needs_training(info, 30, 4)  # 4 added and 4 removed: 8 changes
    assert needs_training(info, 30, 5)  # 5 added and 5 removed: 10 changes
    stale = ModelInfo(**{**_as_dict(info), "features": "old"})
    assert needs_training(stale, 30, 0)


def test_suggest_learned_features_drop_stop_words_and_add_hint_evidence():
    assert features(["de", "moeder", "zijn", "bang"], {"vertrouwen", "drempels"}) == [
        "moeder",
        "bang",
        "rule:drempels",
        "rule:vertrouwen",
    ]
    assert features(["de", "het"]) == ["_"]


def _as_dict(info: ModelInfo) -> dict:
    from dataclasses import asdict

    return asdict(info)


def test_suggest_learned_explains_a_score_by_the_words_that_raise_it(model):
    assert model.explain(["ik", "eten", "taart", "vandaag"], "a")[0] == "taart"
    assert "taart" not in model.explain(["ik", "eten", "taart", "vandaag"], "b")
    assert model.explain(["taart"], "a") == []  # one word: nothing to compare it with
    assert model.explain(["ik", "eten", "taart"], "not learned") == []


@pytest.mark.parametrize("code", ["a", "b"])
def test_suggest_learned_explanation_is_what_scoring_without_each_feature_gives(model, code):
    """The drops worked out from the weights are those of scoring the sentence again
    with each feature left out (a feature given twice leaves nothing out)."""
    import random

    vocabulary = ["ik", "eten", "taart", "vandaag", "bus", "fiets", "rule:a", "rule:b", "nooit", "gezien"]
    pick = random.Random(5)
    explained = 0
    for _ in range(50):
        words = pick.choices(vocabulary, k=pick.randint(2, 7))
        base = model.scores([words])[0][code]
        without = model.scores([words[:i] + words[i + 1 :] for i in range(len(words))])
        drops = sorted(((base - s[code], w) for w, s in zip(words, without, strict=True)), reverse=True)
        assert model.explain(words, code) == [w for drop, w in drops[:3] if drop > 0.01]
        explained += bool(drops[0][0] > 0.01)
    assert explained > 10  # the sentences drawn do have words that raise the score


def test_suggest_learned_context_features_come_from_the_previous_sentence_of_the_same_turn():
    from qualcode.suggest.learned import sentence_features
    from qualcode.suggest.segments import Sentence

    first = Sentence(1, 3, 0, 10, "x", words=["wachtlijst"], hits={"drempels": ["r"]})
    second = Sentence(1, 3, 11, 20, "y", words=["wachten"], hits={})
    other_turn = Sentence(1, 4, 21, 30, "z", words=["wachten"], hits={})
    feats = sentence_features([first, second, other_turn])
    assert feats[1] == ["wachten", "prev:rule:drempels"]
    assert feats[2] == ["wachten"]  # a new turn starts without context
    assert feats[0] == features(first.words, first.hits)  # what features() gives, and the context after it
    stop_only = Sentence(1, 4, 31, 40, "z", words=["de", "het"], hits={})
    assert sentence_features([other_turn, stop_only])[1] == ["_"]  # nothing left: the placeholder
    both = Sentence(1, 3, 11, 20, "y", words=["de", "wachten"], hits={"vertrouwen": ["r"], "aanbod": ["s"]})
    assert sentence_features([first, both])[1] == ["wachten", "rule:aanbod", "rule:vertrouwen", "prev:rule:drempels"]


def test_suggest_learned_the_interviewers_question_is_a_feature_of_every_sentence_of_its_answer():
    from qualcode.suggest.learned import sentence_features, sentence_ids
    from qualcode.suggest.segments import Sentence

    question = ["wachtlijst", "huisarts"]
    first = Sentence(1, 3, 0, 10, "x", words=["wachten"], question=question)
    second = Sentence(1, 3, 11, 20, "y", words=["_"], question=question)
    feats = sentence_features([first, second, Sentence(1, 5, 21, 30, "z", words=["wachten"])])
    assert feats == [["wachten", "q:wachtlijst", "q:huisarts"], ["_", "q:wachtlijst", "q:huisarts"], ["wachten"]]
    ids = sentence_ids([first, second])
    assert ids[0] == {learned_id(f) for f in feats[0]} and learned_id("q:huisarts") in ids[1]


def test_suggest_learned_sentence_ids_of_new_words_and_past_the_words_kept(monkeypatch):
    # Ids of words, question lemmas and codes never seen in the process are worked out as
    # they are met; past the words a process keeps, a run works with ids of its own.
    import qualcode.suggest.learned as learned
    from qualcode.suggest.segments import Sentence

    def probe() -> list:
        first = Sentence(1, 3, 0, 10, "x", words=["zorgmijding", "de"], hits={"nieuwe_code": ["r"]}, question=["nachtdienst"])
        second = Sentence(1, 3, 11, 20, "y", words=["de", "het"], question=["nachtdienst"])
        return [first, second]

    for kept in (learned._MAX_WORDS, 0):
        monkeypatch.setattr(learned, "_MAX_WORDS", kept)
        sentences = probe()
        assert learned.sentence_ids(sentences) == [
            {learned_id(f) for f in features} for features in learned.sentence_features(sentences)
        ]
    assert learned._WORD_IDS["de"] is None and learned._WORD_IDS["zorgmijding"] == learned_id("zorgmijding")


def test_suggest_learned_questions_come_from_the_interviewer_turn_before_each_answer():
    from qualcode.model import INTERVIEWER, RESPONDENT, Transcript, Turn
    from qualcode.suggest.analysis import analyse
    from qualcode.suggest.pipeline import load_pipeline

    lines = [
        ("Intro van de tekst.", None),
        ("Duurt de wachtlijst bij de organisatie?", INTERVIEWER),
        ("Heel lang.", RESPONDENT),
        ("Wij wachten ook.", RESPONDENT),
        ("En de huisarts?", INTERVIEWER),  # a short follow-up: the topic of the question before it too
        ("Die helpt.", RESPONDENT),
        ("Welke rol speelt de gemeente?", INTERVIEWER),  # a question of its own
        ("Geen.", RESPONDENT),
    ]
    text = "\n".join(line for line, _ in lines)
    turns, start = [], 0
    for i, (line, role) in enumerate(lines):
        turns.append(Turn(i + 1, role and role[0].upper(), start, start + len(line), role=role))
        start += len(line) + 1
    transcript = Transcript("t", text, turns, id=1)
    pipeline = load_pipeline(None)
    ((_, sentences),) = analyse(pipeline, [transcript], words=True)
    asked = {s.text: list(s.question) for s in sentences}
    # Both answers to the first question (a focus group) have it; the header before any
    # question has none. Stop words are left out.
    first = ["duren", "wachtlijst", "organisatie"]
    assert asked == {
        "Intro van de tekst.": [],
        "Heel lang.": first,
        "Wij wachten ook.": first,
        "Die helpt.": ["huisarts", *first],
        "Geen.": ["rol", "spelen", "gemeente"],
    }
    by_text = {s.text: s for s in sentences}
    assert by_text["Heel lang."].question is by_text["Wij wachten ook."].question  # one list per question
    ((_, without),) = analyse(pipeline, [transcript])  # no words asked for (a rules-only run): no questions either
    assert all(s.question == () for s in without)


def test_suggest_learned_a_word_seen_often_weighs_more_than_one_seen_once():
    """Full-batch steps move a weight by how often its feature occurs: a word in one
    sentence of a code stays a weaker sign than the word in all of them (the reason
    it replaced spaCy's minibatch Adam, which let rare words grow as fast)."""
    sentences, labels = data()
    sentences, labels = [*sentences, ["taart", "slagroom"]], [*labels, {"a"}]
    model = train(sentences, labels)
    taart, slagroom, alone = model.scores([["taart"], ["slagroom"], ["onbekend"]])
    assert taart["a"] > slagroom["a"] > alone["a"]


def test_suggest_learned_a_big_project_steps_through_parts_of_its_sentences(monkeypatch, model):
    from qualcode.suggest import learned

    monkeypatch.setattr(learned, "BATCH_LIMIT", 10)  # 37 sentences: four parts of 9 or 10, one per step in turn
    parted = train(*data())
    probe = [["een", "taart"], ["de", "bus"], ["ik", "gaan", "fietsen"]]
    taart, bus, neither = parted.scores(probe)
    assert taart["a"] > 0.5 > taart["b"] and bus["b"] > 0.5 > bus["a"] and max(neither.values()) < 0.5
    assert parted.scores(probe) == train(*data()).scores(probe)  # deterministic
    assert parted.scores(probe) != model.scores(probe)  # not the full-batch steps


def test_suggest_learned_scores_encoded_rows_as_it_scores_features(model):
    from qualcode.suggest.learned import encode

    probe = [["een", "taart", "taart"], ["de", "bus"], ["onbekend"], [], ["_"]]
    assert model.scores_of(encode(probe)) == model.scores(probe)
    assert model.scores_of([]) == []
    # A feature counts once; features never seen in training add nothing (the bias alone).
    assert model.scores([["taart", "taart"]]) == model.scores([["taart"]])
    assert model.scores([["onbekend"]]) == model.scores([["ook", "onbekend"]]) == model.scores([[]])
    (row,) = encode([["taart", "bus", "taart"]])
    assert len(row) == 2 and list(row) == sorted(row)  # one id per distinct feature, sorted
    assert encode([["taart"]])[0][0] in encode([["bus", "taart"]])[0]  # the same id in every call: string hashes


def test_suggest_learned_out_of_fold_scores_come_from_a_model_without_the_transcript():
    """Cross-validation encodes the sentences once for all folds: each score must
    still be the one a model trained on the other transcripts alone gives."""
    from qualcode.suggest.dataset import Labelled
    from qualcode.suggest.fitting import features_of, fit_with_scores, folds_of, train_on
    from qualcode.suggest.segments import Sentence

    sentences, labels = data()
    rows = [
        Labelled(Sentence(1 + i % 3, i, 0, 1, "x", words=w), set(g))
        for i, (w, g) in enumerate(zip(sentences, labels, strict=True))
    ]
    extra = [Labelled(Sentence(-1, 0, 0, 1, "x", words=["taartje", "bakken"]), {"a"})]
    model, calibration, scores = fit_with_scores(rows, ["a", "b"], 0.5, extra=extra, folds=3)
    assert model is not None and calibration.folds == 3 and scores is not None
    fold_of = folds_of(rows, 3)
    for fold in range(3):
        inside = [i for i, d in enumerate(rows) if fold_of[d.transcript_id] == fold]
        train_rows = [d for d in rows if fold_of[d.transcript_id] != fold]
        alone = train_on(train_rows, features_of(train_rows), extra, features_of(extra))
        assert alone is not None
        assert alone.scores(features_of([rows[i] for i in inside])) == [scores[i] for i in inside]


def test_suggest_learned_scores_sentence_ids_to_the_bit_as_it_scores_their_features():
    """A run scores sentences by their feature ids in one sort (score_ids), not by
    writing their features out (sentence_features, score_matrix): the same float32 sums,
    in the same order -- numpy's sums are blocked, so even where a feature unseen in
    training adds its zero row changes the last bit of some scores."""
    import random

    import numpy

    from qualcode.suggest.learned import sentence_features, sentence_ids
    from qualcode.suggest.segments import Sentence

    rng = random.Random(7)
    vocabulary = [f"woord{n}" for n in range(80)]
    sentences = [rng.sample(vocabulary, 12) for _ in range(120)]
    labels = [{"a"} if "woord1" in s or "woord2" in s else {"b"} if "woord3" in s else set() for s in sentences]
    wide = train([[*s, "rule:a", "q:woord1"] if n % 3 == 0 else s for n, s in enumerate(sentences)], labels)
    unseen = [f"nieuw{n}" for n in range(40)]
    probe = []
    asked = {turn: rng.sample(vocabulary[:5] + unseen[:5], turn % 4) for turn in range(100)}  # shared by a turn
    for n in range(300):  # 10-30 features each: seen and unseen words, stop words, hints, context
        words = rng.sample(vocabulary, rng.randint(5, 20)) + rng.sample(unseen, rng.randint(0, 8)) + ["de", "het"]
        rng.shuffle(words)
        hits = {"a": ["r"]} if n % 4 == 0 else {"b": ["s"], "c": ["t"]} if n % 7 == 0 else {}
        probe.append(Sentence(1, n // 3, n, n + 1, "x", words=words, hits=hits, question=asked[n // 3]))
    probe.append(Sentence(1, 500, 0, 1, "x", words=["de"], hits={}))  # stop words only: the placeholder
    probe.append(Sentence(1, 501, 0, 1, "x", words=["_"], hits={}))
    by_features = wide.score_matrix(sentence_features(probe))
    by_ids = wide.score_ids(sentence_ids(probe))
    assert by_ids.dtype == by_features.dtype and numpy.array_equal(by_ids.view(numpy.uint32), by_features.view(numpy.uint32))
    assert [set(map(learned_id, f)) for f in sentence_features(probe)] == sentence_ids(probe)
    assert wide.score_ids([]).shape == (0, len(wide.codes))


def learned_id(feature: str) -> int:
    from qualcode.suggest.learned import _feature_id

    return _feature_id(feature)
