"""Suggestion runs and their review: provenance, rejection memory, human codings untouched."""

from __future__ import annotations

import threading

import pytest
from test_suggest_support import CODEBOOK, REVIEW_CONFIG, make_project, span_of

from qualcode.errors import QualcodeError
from qualcode.model import ACCEPTED, MANUAL, PENDING, REJECTED, SUGGESTED
from qualcode.suggest import accept, pending_suggestions, reject, run_suggestions, skip, undo
from qualcode.suggest.learned import MODEL_DIR, RETRAIN_AFTER
from qualcode.suggest.pipeline import BLANK


def by_code(project, transcript="int1"):
    tid = project.store.transcripts.id_by_name(transcript)
    text = project.store.transcripts.text(tid)
    return {(r.code_id, text[r.start : r.end]): r for r in pending_suggestions(project.store, tid)}


def test_suggest_run_proposes_respondent_sentences_with_reasons(tmp_path):
    project = make_project(tmp_path, config="")  # the default threshold, 0.3
    summary = run_suggestions(project, learned=False)
    assert summary.transcripts == 1 and summary.pipeline == BLANK
    found = by_code(project)
    # Before any coding, a sentence with one hint (0.25) waits for coding to check it; one
    # with two is proposed, and carries its passage on over the next one's hint.
    assert set(found) == {("doorverwijzing", "Ik verwijs de moeder door naar het wijkteam. Soms is er een wachtlijst.")}
    run = found[("doorverwijzing", "Ik verwijs de moeder door naar het wijkteam. Soms is er een wachtlijst.")]
    assert run.suggester == "rules" and run.status == PENDING
    assert "rule: matched lemma 'doorverwijzen' in \"verwijs … door\"" in run.reason
    assert "rule: matched lemma 'moeder' in \"moeder\"" in run.reason
    # The next sentence's one hint joins the run as its passage, and says so.
    assert run.reason.endswith("continues the passage proposed next to it: keyword 'wachtlijst', too weak alone (score 0.25)")
    assert "no coded sentence to check this hint against yet" in run.reason
    # Before any coding a hint counts as what untried hints deliver (0.25); two in one sentence add up.
    assert run.score == pytest.approx(1 - 0.75 * 0.75)
    assert summary.added == 1 and summary.pending == 1
    # ... and the run says so, and how to see every hint.
    (note,) = [n for n in summary.notes if "checked the codebook's hints" in n]
    assert "one hint alone scores 0.25, below suggestion_threshold 0.3" in note
    assert "(suggestion_threshold: 0.20 in qualcode.yaml proposes every hint)" in note
    low = make_project(tmp_path / "low")  # suggestion_threshold 0.2: every hint, and no such note
    assert not [n for n in run_suggestions(low, learned=False).notes if "checked the codebook's hints" in n]
    assert ("doorverwijzing", "De migrantenorganisaties helpen ons.") in by_code(low)


def test_suggest_run_skips_interviewer_turns(tmp_path):
    # Only the interviewer speaks of 'vertrouwen'; the default rule makes 'I' the interviewer.
    project = make_project(tmp_path)
    run_suggestions(project, learned=False)
    assert not [r for r in pending_suggestions(project.store) if r.code_id == "vertrouwen"]


def test_suggest_run_follows_a_configured_interviewer_rule(tmp_path):
    text = "Onderzoeker: Vertrouwen de moeders u?\nAnna: Ze vertrouwen ons.\nOnderzoeker: Waarom?\nAnna: Omdat we er zijn.\n"
    project = make_project(tmp_path, {"int2.txt": text}, config=REVIEW_CONFIG + "interviewer_speakers: ['onderzoeker']\n")
    run_suggestions(project, learned=False)
    found = by_code(project, "int2")
    assert set(found) == {("vertrouwen", "Ze vertrouwen ons.")}


def test_suggest_accept_creates_a_coding_with_provenance_in_one_step(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    start, end = span_of(project, "int1", "Het weer was mooi.")
    tid = store.transcripts.id_by_name("int1")
    human = store.codings.add(tid, start, end, "taart", "anna").coding
    run_suggestions(project, learned=False)
    row = by_code(project)[("doorverwijzing", "De migrantenorganisaties helpen ons.")]
    coding = accept(store, row.id, "bert")
    assert coding.origin == SUGGESTED and coding.suggestion_id == row.id and coding.coder == "bert"
    assert (coding.start, coding.end, coding.code_id) == (row.start, row.end, "doorverwijzing")
    decided = store.suggestions.get(row.id)
    assert decided.status == ACCEPTED and decided.coding_id == coding.id and decided.decided_by == "bert"
    assert store.codings.get(human.id) == human  # the human coding is untouched
    with pytest.raises(QualcodeError) as caught:
        accept(store, row.id, "bert")
    assert caught.value.code == "QC704"


def test_suggest_rejected_is_never_proposed_again(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    run_suggestions(project, learned=False)
    row = by_code(project)[("doorverwijzing", "De migrantenorganisaties helpen ons.")]
    rejected = reject(store, row.id, "anna")
    assert rejected.status == REJECTED and rejected.decided_by == "anna"
    summary = run_suggestions(project, learned=False)
    assert summary.added == 0 and summary.kept == 1
    assert ("doorverwijzing", "De migrantenorganisaties helpen ons.") not in by_code(project)
    assert store.suggestions.get(row.id).status == REJECTED


def test_suggest_nothing_proposed_where_a_human_coded_the_same_code(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    tid = store.transcripts.id_by_name("int1")
    start, end = span_of(project, "int1", "migrantenorganisaties helpen")  # part of the sentence
    store.codings.add(tid, start, end, "doorverwijzing", "anna")
    run_suggestions(project, learned=False)
    assert ("doorverwijzing", "De migrantenorganisaties helpen ons.") not in by_code(project)


def test_suggest_pending_hides_what_was_coded_by_hand_since(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    run_suggestions(project, learned=False)
    row = by_code(project)[("doorverwijzing", "De migrantenorganisaties helpen ons.")]
    store.codings.add(row.transcript_id, row.start, row.end, "doorverwijzing", "anna")
    assert row.id not in {r.id for r in pending_suggestions(store)}


def test_suggest_accept_with_another_code(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    run_suggestions(project, learned=False)
    row = by_code(project)[("doorverwijzing", "De migrantenorganisaties helpen ons.")]
    with pytest.raises(QualcodeError) as caught:
        accept(store, row.id, "anna", "map", codebook=project.codebook)
    assert caught.value.code == "QC304"  # a folder
    with pytest.raises(QualcodeError):
        accept(store, row.id, "anna", "nope", codebook=project.codebook)
    assert store.suggestions.get(row.id).status == PENDING  # refused before anything was written
    coding = accept(store, row.id, "anna", "vertrouwen", codebook=project.codebook)
    assert coding.code_id == "vertrouwen" and coding.suggestion_id == row.id
    summary = run_suggestions(project, learned=False)
    assert summary.added == 0  # the original code is not proposed again either


def test_suggest_undo_removes_only_the_coding_the_acceptance_made(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    run_suggestions(project, learned=False)
    first, second = sorted(by_code(project).values(), key=lambda r: r.start)
    made = accept(store, first.id, "anna")
    assert undo(store, first.id).status == PENDING
    with pytest.raises(QualcodeError):
        store.codings.get(made.id)
    # accepting where the same coding already exists links to it; undo keeps it
    existing = store.codings.add(second.transcript_id, second.start, second.end, second.code_id, "anna").coding
    linked = store.suggestions.accept(second.id, "anna")
    assert linked.id == existing.id and linked.origin == MANUAL
    undo(store, second.id)
    assert store.codings.get(existing.id).origin == MANUAL
    reject(store, first.id, "anna")
    assert undo(store, first.id).status == PENDING


def test_suggest_skip_walks_pending_in_reading_order_without_writing(tmp_path):
    project = make_project(tmp_path)
    store = project.store
    run_suggestions(project, learned=False)
    first, second = pending_suggestions(store)
    before = store.suggestions.find()
    assert skip(store, first.id) == second
    assert skip(store, second.id) is None
    assert store.suggestions.find() == before


def test_suggest_rerun_keeps_ids_and_drops_what_is_no_longer_proposed(tmp_path):
    project = make_project(tmp_path)
    run_suggestions(project, learned=False)
    ids = {r.id for r in pending_suggestions(project.store)}
    again = run_suggestions(project, learned=False)
    assert {r.id for r in pending_suggestions(project.store)} == ids and again.kept == 2
    path = project.codebook_path
    path.write_text(CODEBOOK.replace("lemmas: [doorverwijzen, organisatie, moeder]", "lemmas: [doorverwijzen, moeder]"), "utf-8")
    project.reload_codebook()
    changed = run_suggestions(project, learned=False)
    assert changed.removed == 1
    assert ("doorverwijzing", "De migrantenorganisaties helpen ons.") not in by_code(project)


def test_suggest_run_can_be_cancelled_between_transcripts(tmp_path):
    project = make_project(tmp_path, {"a.txt": "R: De organisaties helpen.\n", "b.txt": "R: De organisaties helpen niet.\n"})
    seen = []
    summary = run_suggestions(
        project,
        learned=False,
        progress=lambda done, total, what: seen.append((done, total, what)),
        should_cancel=lambda: bool([s for s in seen if s[0] == 1]),
    )
    assert summary.cancelled and summary.transcripts == 1
    assert len(pending_suggestions(project.store)) == 1
    assert seen[0] == (0, 2, "loading the spaCy pipeline")


def test_suggest_run_in_a_worker_thread_with_its_own_connection(tmp_path):
    project = make_project(tmp_path)
    project.close()
    result = {}
    worker = threading.Thread(target=lambda: result.update(summary=run_suggestions(tmp_path, learned=False)))
    worker.start()
    worker.join()
    assert result["summary"].added == 2


def test_suggest_missing_spacy_model_names_the_fallback(tmp_path):
    project = make_project(tmp_path, config="spacy_model: nl_core_news_zz\n")
    with pytest.raises(QualcodeError) as caught:
        run_suggestions(project)
    assert caught.value.code == "QC700"
    assert "nl_core_news_zz" in caught.value.message
    assert "remove spacy_model" in caught.value.hint and BLANK in caught.value.hint


TAART = [
    "Ik bak graag taart met appels.",
    "De taart was op tijd klaar.",
    "Mijn zus eet altijd taart.",
    "Zonder taart is het geen feest.",
    "Die taart met room is lekker.",
    "We delen de taart met de buren.",
    "Een taart bakken kost een uur.",
    "Oma bakte elke zondag taart.",
    "Taart met slagroom blijft het lekkerst.",
    "De kinderen vragen om taart.",
]
OTHER = [
    "Het regent al de hele week.",
    "De bus kwam te laat.",
    "We gaan morgen naar het strand.",
    "De school is vandaag dicht.",
    "Mijn fiets heeft een lekke band.",
    "Het park ligt achter het station.",
    "De winkel sluit om zes uur.",
    "Ik lees graag een boek.",
    "Het concert begint om acht uur.",
    "De trein stopt in Utrecht.",
    "Morgen wordt het warm.",
    "We wonen al jaren in deze straat.",
]


def test_suggest_learned_suggestions_from_own_coding_and_retraining(tmp_path):
    coded = "".join(f"R: {s}\n" for pair in zip(TAART, OTHER, strict=False) for s in pair) + "".join(
        f"R: {s}\n" for s in OTHER[10:]
    )
    fresh = "R: Zij bakt vandaag een taart. Het station is groot.\n"
    project = make_project(tmp_path, {"coded.txt": coded, "fresh.txt": fresh})
    store = project.store
    tid = store.transcripts.id_by_name("coded")
    for sentence in TAART:
        store.codings.add(tid, *span_of(project, "coded", sentence), "taart", "anna")

    # One coded interview: nothing to cross-validate on, so the learned part abstains.
    summary = run_suggestions(project)
    assert summary.trained and summary.model.codes == {"taart": 10}
    assert (tmp_path / MODEL_DIR / "meta.json").exists()
    assert ("taart", "Zij bakt vandaag een taart.") not in by_code(project, "fresh")
    assert any("the learned model proposes nothing yet" in n and "it needs 2+ coded transcripts" in n for n in summary.notes)

    # A second coded interview: cross-validation shows the model beats the (absent) hints for 'taart'.
    second = make_project(tmp_path, {"coded2.txt": coded.replace("R: ", "R: Nou. ")})
    tid2 = store.transcripts.id_by_name("coded2")
    for sentence in TAART:
        store.codings.add(tid2, *span_of(second, "coded2", sentence), "taart", "anna")
    summary = run_suggestions(project)
    assert summary.trained and summary.model.codes == {"taart": 20}
    found = by_code(project, "fresh")
    row = found[("taart", "Zij bakt vandaag een taart.")]
    assert row.suggester == "learned" and row.score >= 0.15
    assert row.reason.startswith("learned from 20 coded sentences: 'taart'")  # the word that drove the score
    assert ("taart", "Het station is groot.") not in found

    assert not run_suggestions(project).trained  # nothing changed: the saved model is reused
    for sentence in OTHER[:RETRAIN_AFTER]:
        store.codings.add(tid, *span_of(project, "coded", sentence), "vertrouwen", "anna")
    assert run_suggestions(project).trained  # enough new codings: retrained
    assert run_suggestions(project, train=True).trained  # on request


def test_suggest_run_loads_the_lemma_dictionary_with_the_model_only(tmp_path, monkeypatch):
    """simplemma's dictionary (the learned features' lemmas) is loaded while the run loads
    its model, once, not on the first sentence; a rules-only run and a run without a
    model never ask for it."""
    from qualcode.suggest.pipeline import Pipeline

    asked: list[str] = []
    monkeypatch.setattr(Pipeline, "load_lemma_dictionary", lambda self: asked.append(self.name))
    coded = "".join(f"R: {s}\n" for pair in zip(TAART, OTHER, strict=False) for s in pair)
    project = make_project(tmp_path, {"coded.txt": coded, "fresh.txt": "R: Zij bakt vandaag een taart.\n"})
    run_suggestions(project)  # nothing coded: no model
    run_suggestions(project, learned=False)
    assert asked == []
    tid = project.store.transcripts.id_by_name("coded")
    for sentence in TAART:
        project.store.codings.add(tid, *span_of(project, "coded", sentence), "taart", "anna")
    assert run_suggestions(project).model is not None
    assert asked == [BLANK]


def test_suggest_pipeline_lemma_dictionary_is_asked_once_for_a_word():
    """load_lemma_dictionary hands the dictionary one word (simplemma reads its data on
    the first); a pipeline without a dictionary has nothing to load."""
    import dataclasses

    from qualcode.suggest.dutch import DutchForms
    from qualcode.suggest.pipeline import load_pipeline

    asked: list[str] = []
    pipeline = dataclasses.replace(
        load_pipeline(None), forms=DutchForms({}, (), (), dictionary=lambda word: asked.append(word) or word)
    )
    pipeline.load_lemma_dictionary()
    assert len(asked) == 1
    dataclasses.replace(pipeline, forms=DutchForms({}, (), ())).load_lemma_dictionary()
    assert len(asked) == 1


def test_suggest_run_says_why_the_model_abstains_with_enough_coding(tmp_path):
    """With two coded interviews and 10 coded sentences per interview, the learned model
    has what it needs, yet the hints are right every time: the note says so, with what the
    model was trained on, instead of asking for more coding."""
    codebook = CODEBOOK.replace(
        "    name: Taart\n    key: t\n", "    name: Taart\n    key: t\n    hints:\n      keywords: [taart]\n"
    )
    coded = "".join(f"R: {s}\n" for pair in zip(TAART, OTHER, strict=False) for s in pair)
    project = make_project(tmp_path, {"a.txt": coded, "b.txt": coded.replace("R: ", "R: Nou. ")}, codebook=codebook)
    store = project.store
    for name in ("a", "b"):
        tid = store.transcripts.id_by_name(name)
        for sentence in TAART:
            store.codings.add(tid, *span_of(project, name, sentence), "taart", "anna")
    summary = run_suggestions(project)
    assert summary.model is not None and summary.model.codes == {"taart": 20}
    (note,) = [n for n in summary.notes if "the learned model proposes nothing yet" in n]
    assert "of 2 coded transcripts; checked again as you code" in note and "it needs" not in note


def test_suggest_run_of_sentences_gives_the_reasons_of_its_best_sentence_first():
    """Adjacent sentences proposing one code are one suggestion with the best score; the
    reasons of the sentence with that score come first (the others follow, and what is
    cut by MAX_REASONS is theirs), whichever sentence of the run it is."""
    from qualcode.suggest.combined import RULES, Proposal
    from qualcode.suggest.runner import MAX_REASONS, _merge_runs
    from qualcode.suggest.segments import Sentence

    sentences = [Sentence(1, 4, 0, 10, "a"), Sentence(1, 4, 11, 20, "b"), Sentence(1, 4, 21, 30, "c")]
    weak = Proposal(0.3, {RULES}, ["rule: matched keyword 'x'", "this hint was right in 0 of 1 coded sentences"])
    strong = Proposal(0.8, {RULES}, ["rule: matched keyword 'y'", "rule: matched keyword 'z'", "this hint was right in 5 of 6"])
    other = Proposal(0.5, {RULES}, ["rule: matched keyword 'w'"])
    ((start, end, code, suggester, score, reason),) = _merge_runs(sentences, [{"k": weak}, {"k": strong}, {"k": other}])
    assert (start, end, code, suggester, score) == (0, 30, "k", RULES, 0.8)
    shown = reason.split("; ")
    assert shown[:3] == strong.reasons and shown[3] == weak.reasons[0]
    assert MAX_REASONS == 4 and shown[-1] == "and 2 more"


def test_suggest_run_lets_its_sentences_go_before_the_collector_is_back(tmp_path, monkeypatch):
    # A run pauses the cyclic collector while it analyses; a sentence still alive when the
    # collector resumes is walked by its next collections (3-10 ms of a run at 50,000 words).
    import contextlib
    import gc

    import qualcode.suggest.runner as runner_module
    from qualcode.suggest.segments import Sentence

    def alive() -> int:
        return sum(isinstance(o, Sentence) for o in gc.get_objects())

    counts: list[tuple[int, int]] = []
    paused = runner_module.paused_collector

    @contextlib.contextmanager
    def watched():
        with paused():
            before = alive()
            yield
            counts.append((before, alive()))

    monkeypatch.setattr(runner_module, "paused_collector", watched)
    project = make_project(tmp_path)
    summary = run_suggestions(project, learned=False)
    assert summary.sentences > 0 and summary.added > 0
    assert counts and all(after <= before for before, after in counts), counts
