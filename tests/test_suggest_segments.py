"""Segments: respondent sentences, and how codings line up with them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.model import INTERVIEWER, RESPONDENT, Coding, Transcript, Turn
from qualcode.suggest.analysis import analyse, pieces_of
from qualcode.suggest.pipeline import load_pipeline
from qualcode.suggest.segments import is_content, labels_for, respondent_turns, substantial, token_bounds


def coding(start: int, end: int, code: str = "a") -> Coding:
    return Coding(None, 1, start, end, code, "x", "")


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 100), (10, 20), True),  # a short coding inside a long sentence
        ((10, 20), (0, 100), True),  # a sentence inside a long coding
        ((0, 10), (5, 30), True),  # half of the shorter one
        ((0, 10), (6, 30), False),  # less than half
        ((0, 10), (10, 20), False),  # touching is not overlapping
    ],
)
def test_suggest_segments_substantial_overlap(a, b, expected):
    assert substantial(*a, *b) is expected


def test_suggest_segments_labels_for_sweeps_sorted_spans():
    spans = [(0, 10), (11, 20), (21, 40), (41, 50)]
    codings = [coding(0, 20, "a"), coding(25, 30, "b"), coding(45, 60, "c"), coding(100, 120, "d")]
    assert labels_for(spans, codings) == [{"a"}, {"a"}, {"b"}, {"c"}]
    assert labels_for([], codings) == []


def test_suggest_segments_respondent_turns_use_the_role_stored_at_import():
    """One source for a speaker's role: the stored one, not interviewer_speakers recomputed."""
    text = "Q: vraag\nAnna: antwoord\nzonder label"
    turns = [
        Turn(1, "Q", 3, 8, role=INTERVIEWER),
        Turn(2, "I", 15, 23, role=RESPONDENT),  # a label that looks like an interviewer's, stored as respondent
        Turn(3, None, 24, 36, role=None),  # unknown role: the respondent's
    ]
    assert [t.index for t in respondent_turns(Transcript("t", text, turns))] == [2, 3]


def test_suggest_segments_sentences_are_the_coding_screens_and_marks_close_a_sentence():
    from qualcode.text import sentence_spans

    nlp = load_pipeline(None).nlp
    text = "Eerste zin. Tweede zin zonder punt\n\nBij elkaar. (gelach) Nee, echt.\n..."
    doc = nlp(text)
    spans, bounds = token_bounds(doc, text, 0)
    assert [text[s:e] for s, e in spans] == ["Eerste zin.", "Tweede zin zonder punt", "Bij elkaar. (gelach)", "Nee, echt.", "..."]
    assert spans == sentence_spans(text)  # the same sentences as the coding screen
    assert [doc[s:e].text for s, e in bounds][2] == "Bij elkaar. (gelach)"


@pytest.mark.parametrize(
    ("text", "header", "expected"),
    [
        ("Ja precies.", False, False),  # backchannel
        ("Mm-hm.", False, False),
        ("Oké, dank je wel.", False, False),
        ("(lacht)", False, False),  # stage direction
        ("00:12:31", False, False),  # timestamp
        ("2019", False, False),
        ("Datum: 12 maart 2024, Utrecht", False, False),  # metadata line
        ("Interview met de voorzitter van Al Amal", True, False),  # outside the speakers' turns
        ("Voorzitter.", False, False),  # a name or title alone
        ("> Final", False, False),
        ("Ze vertrouwen ons.", False, True),  # one content word in a clause
        ("Zes jaar wachten op een brief.", False, True),
        ("Wij zijn de brug, niet de hulpverlener.", False, True),
    ],
)
def test_suggest_segments_non_content_sentences(text, header, expected):
    from spacy.lang.nl.stop_words import STOP_WORDS

    assert is_content(text, STOP_WORDS, header=header) is expected


def test_suggest_segments_analyse_gives_offsets_into_the_transcript_and_skips_questions():
    text = "I: Wat doet u?\nR: Ik help moeders. Elke dag.\nI: Waarom?\nR: Omdat het moet."

    def turn(index: int, speaker: str, content: str, role: str = RESPONDENT) -> Turn:
        start = text.index(content)
        return Turn(index, speaker, start, start + len(content), role=role)

    turns = [
        turn(1, "I", "Wat doet u?", INTERVIEWER),
        turn(2, "R", "Ik help moeders. Elke dag."),
        turn(3, "I", "Waarom?", INTERVIEWER),
        turn(4, "R", "Omdat het moet."),
    ]
    transcript = Transcript("t", text, turns, id=7)
    ((got, sentences),) = list(analyse(load_pipeline(None), [transcript], words=True))
    assert got is transcript
    assert [s.text for s in sentences] == ["Ik help moeders.", "Elke dag.", "Omdat het moet."]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.turn for s in sentences] == [2, 2, 4]
    assert sentences[0].words[0] == "ik" and sentences[0].words[-1] == "moeder"  # lemmas, punctuation left out
    assert {s.transcript_id for s in sentences} == {7}
    # "Elke dag." and "Omdat het moet." say too little to be coded on their own
    assert [s.content for s in sentences] == [True, False, False]


def test_suggest_segments_long_turns_are_cut_at_line_breaks(monkeypatch):
    import qualcode.suggest.analysis as analysis

    paragraph = "De moeders komen elke week. Ze drinken koffie.\n"
    text = paragraph * 40  # one unlabelled turn of 1,880 characters
    assert pieces_of(text, 0, len(text), limit=500)[0] == (0, text.rfind("\n", 1, 500))
    monkeypatch.setattr(analysis, "MAX_PIECE", 500)
    transcript = Transcript("t", text, [Turn(1, None, 0, len(text))], id=3)
    ((_, sentences),) = list(analyse(load_pipeline(None), [transcript]))
    assert [s.text for s in sentences] == ["De moeders komen elke week.", "Ze drinken koffie."] * 40
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_suggest_segments_pieces_without_line_breaks():
    text = "woord " * 100
    pieces = pieces_of(text, 0, len(text), limit=64)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= 64 for a, b in pieces)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))


def test_suggest_segments_turns_sharing_a_doc_give_what_a_doc_each_gives(monkeypatch):
    """With the blank pipeline, turns are analysed together in one doc: every sentence,
    hit, lemma and content flag is the same as with one doc per turn, and no hint is
    found across two turns ("warme" ending one turn, "overdracht" starting the next)."""
    import dataclasses
    from pathlib import Path

    import qualcode.suggest.analysis as analysis
    from qualcode.codebook import load_codebook
    from qualcode.suggest.rules import RuleSuggester

    repo = Path(__file__).resolve().parents[1]
    lines = (repo / "transcripts" / "01_al_amal_vrijwilliger.txt").read_text(encoding="utf-8").splitlines()
    lines[5:5] = ["  Het ging om een warme", "overdracht naar het wijkteam", "Warme overdracht dus."]
    text = "\n".join(lines)
    turns, position = [], 0
    for number, line in enumerate(lines, 1):
        if line.strip():
            turns.append(Turn(number, "R", position, position + len(line), role=RESPONDENT))
        position += len(line) + 1
    transcript = Transcript("t", text, turns, id=5)
    pipeline = load_pipeline(None)
    assert pipeline.per_token
    rules = RuleSuggester(pipeline, load_codebook(repo / "codebooks" / "samenwerking.yaml"))
    monkeypatch.setattr(analysis, "MAX_PIECE", 2000)  # several docs, and long turns in pieces

    def sentences(p):
        ((_, found),) = list(analyse(p, [transcript], rules=rules, words=True))
        return [(s.turn, s.start, s.end, s.text, s.hits, s.words, s.content) for s in found]

    together = sentences(pipeline)
    apart = sentences(dataclasses.replace(pipeline, per_token=False))
    assert together == apart
    assert len({turn for turn, *_ in together}) > 20 and sum(bool(hits) for *_, hits, _, _ in together) > 10
    warm = [hits for _, _, _, sentence, hits, _, _ in together if "warme" in sentence.lower()]
    assert [bool(h.get("doorverwijzing_warme_overdracht")) for h in warm][-2:] == [False, True]


def test_suggest_segments_primed_tokenizer_splits_as_before():
    """Priming tokenizes each new chunk on its own once (the cache then holds it even
    after a special case such as "'s" or "best."): the tokens of the text do not change,
    and no more chunks are primed than the tokenizer's cache can hold."""
    import spacy

    from qualcode.suggest.pipeline import Pipeline

    text = "'s Avonds (lacht) komen de moeders, best. dat. Ze drinken koffie... enz. bij 't CJG!\nJa, z'n tante."
    plain = spacy.blank("nl")
    primed = Pipeline(nlp=spacy.blank("nl"), forms=load_pipeline(None).forms, name="test")
    primed.prime(text)
    assert primed.primed == set(text.split())
    for _ in range(2):  # the second time from the cache
        assert [(t.text, t.whitespace_) for t in primed.nlp(text)] == [(t.text, t.whitespace_) for t in plain(text)]

    small = Pipeline(nlp=spacy.blank("nl"), forms=primed.forms, name="test")
    small.nlp.tokenizer.max_cache_size = 3
    small.prime(text)
    small.prime("nog meer nieuwe woorden")
    assert len(small.primed) == 3 and small.primed < set(text.split())


def test_suggest_segments_a_text_primed_whole_is_not_split_again():
    """A text primed before (a re-run in the same process) costs no tokenizer call;
    a new text only its new chunks; a text that did not fit is tried again."""
    import spacy

    from qualcode.suggest.pipeline import Pipeline

    class Counting:
        def __init__(self, inner):
            self.inner, self.max_cache_size, self.calls = inner, inner.max_cache_size, 0

        def __call__(self, text):
            self.calls += 1
            return self.inner(text)

    pipeline = Pipeline(nlp=spacy.blank("nl"), forms=load_pipeline(None).forms, name="test")
    counting = Counting(pipeline.nlp.tokenizer)
    pipeline.nlp.tokenizer = counting
    text = "De moeders komen, best. dat. Ze drinken koffie bij 't CJG."
    pipeline.prime(text)
    assert counting.calls == len(set(text.split()))
    pipeline.prime(text)
    assert counting.calls == len(set(text.split()))
    pipeline.prime(text + " Nieuw woord")
    assert counting.calls == len(set(text.split())) + 2

    counting.max_cache_size = len(pipeline.primed) + 1  # room for one more chunk only
    pipeline.prime("twee nieuwe")
    pipeline.prime("twee nieuwe")
    assert counting.calls == len(set(text.split())) + 2 + 1 + 0  # the first chunk, then the cache is full
    assert hash("twee nieuwe") not in pipeline.primed_texts


def test_suggest_segments_lookup_lemmatizer_gives_the_table_lemma_doc_after_doc():
    """Words new in each doc join the known ones: every token's lemma is the lemma
    table's entry for its lower-case form (else that form), in every doc."""
    from qualcode.suggest.pipeline import LEMMATIZER

    pipeline = load_pipeline(None)
    table = pipeline.nlp.get_pipe(LEMMATIZER).table
    texts = [
        "De moeders gingen gisteren naar de vrouwengroep.",
        "MOEDERS en vaders gingen; Zij Werden Doorverwezen!",
        "",
        "gingen gingen moeders",
        "Een woord als qzxvyk staat niet in de tabel, 12 ook niet.",
    ]
    for doc in pipeline.nlp.pipe(texts):
        assert [t.lemma_ for t in doc] == [table.get(t.text.lower(), t.text.lower()) for t in doc]
    assert [t.lemma_ for t in pipeline.nlp("moeders gingen")][1] != "gingen"  # the table knows it


def test_suggest_pipeline_is_built_with_the_cyclic_collector_paused(monkeypatch):
    """The lemma tables are built without the cyclic collector's full collections over
    them (a fifth of the load), which is on again afterwards; built once per process."""
    import gc

    from qualcode.suggest import pipeline as pipeline_module

    seen: list[bool] = []
    built = load_pipeline(None)

    def build(model):
        seen.append(gc.isenabled())
        return built

    monkeypatch.setattr(pipeline_module, "_CACHE", {})
    monkeypatch.setattr(pipeline_module, "_build", build)
    assert gc.isenabled()
    assert load_pipeline(None) is built and load_pipeline(None) is built
    assert seen == [False] and gc.isenabled()


def test_suggest_segments_stored_sentences_give_what_splitting_gives(sample_project):
    """A suggestion run reads each turn's sentences from the store instead of splitting
    the turn again: every sentence, hit and lemma is the same either way."""
    from qualcode.suggest.analysis import stored_sentences
    from qualcode.suggest.rules import RuleSuggester

    store = sample_project.store
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, sample_project.codebook)
    transcripts = [store.transcripts.load(tid) for tid in store.transcripts.names()]

    def sentences(**known):
        return [
            [(s.turn, s.start, s.end, s.hits, s.words, s.content) for s in found]
            for _, found in analyse(pipeline, transcripts, rules=rules, words=True, **known)
        ]

    known = stored_sentences(store)
    assert all(known(t) is not None for t in transcripts)  # the sample's turns do not overlap
    assert sentences(known=known) == sentences()
    assert sum(len(found) for found in sentences()) > 300


def test_suggest_segments_known_sentences_stand_for_whole_turns_only(monkeypatch):
    """Known sentences are used for a turn that is one of the known spans (here they
    differ from the splitter's on purpose, to show they are read); a turn cut into
    pieces, or one that is not a known span, is split as before."""
    import qualcode.suggest.analysis as analysis

    text = "Ik help moeders. Elke dag weer.\nWij helpen vaders. Soms ook opa's."
    first, second = Turn(1, "R", 0, 31), Turn(2, "R", 32, len(text))
    transcript = Transcript("t", text, [first, second], id=4)
    # one sentence for the whole first turn, the second turn not a known span
    known = ([0], [31], [0, 40], [31, len(text)])
    ((_, found),) = list(analyse(load_pipeline(None), [transcript], known=lambda t: known))
    assert [s.text for s in found] == [text[0:31], "Wij helpen vaders.", "Soms ook opa's."]
    monkeypatch.setattr(analysis, "MAX_PIECE", 20)  # the first turn in pieces: split, not read
    ((_, found),) = list(analyse(load_pipeline(None), [transcript], known=lambda t: known))
    assert [s.text for s in found][:2] == ["Ik help moeders.", "Elke dag weer."]


def test_suggest_segments_overlapping_turns_are_split_on_their_own(tmp_path):
    """Where stored turns overlap, a turn's sentences are not simply the stored ones that
    start in it: the store's sentences are not used for that transcript."""
    from qualcode.store import Store
    from qualcode.suggest.analysis import stored_sentences

    store = Store(tmp_path / "qualcode.db")
    text = "Ik help moeders. Elke dag weer. Wij helpen vaders."
    overlapping = Transcript("t", text, [Turn(1, "R", 0, 31), Turn(2, "R", 17, len(text))])
    tid = store.transcripts.add(overlapping)
    transcript = store.transcripts.load(tid)
    assert stored_sentences(store)(transcript) is None
    ((_, found),) = list(analyse(load_pipeline(None), [transcript], known=stored_sentences(store)))
    assert [s.text for s in found] == ["Ik help moeders.", "Elke dag weer.", "Elke dag weer.", "Wij helpen vaders."]
    apart = Transcript("u", text + "\n", [Turn(1, "R", 0, 16), Turn(2, "R", 17, len(text))])  # another text: one per hash
    assert stored_sentences(store)(store.transcripts.load(store.transcripts.add(apart))) is not None


def test_suggest_segments_transcript_without_stored_units_is_split_as_before(tmp_path):
    """Units not stored (a scratch copy replaced without them): nothing is read, and
    nothing is worked out for the whole transcript either; its turns are split."""
    from qualcode.store import Store
    from qualcode.suggest.analysis import stored_sentences

    store = Store(tmp_path / "qualcode.db")
    text = "Ik help moeders. Elke dag weer."
    tid = store.transcripts.add(Transcript("t", text, [Turn(1, "R", 0, len(text))]))
    assert store.transcripts.stored_units(tid) is not None
    store.transcripts.replace_content(tid, Transcript("t", text + " Echt.", [Turn(1, "R", 0, len(text) + 6)]), units=False)
    transcript = store.transcripts.load(tid)
    assert store.transcripts.stored_units(tid) is None
    assert stored_sentences(store)(transcript) is None
    ((_, found),) = list(analyse(load_pipeline(None), [transcript], known=stored_sentences(store)))
    assert [s.text for s in found] == ["Ik help moeders.", "Elke dag weer.", "Echt."]


def _content_by_regex(text: str, stop_words) -> bool:
    """is_content as first written: every word by the regex (the faster path must agree)."""
    from qualcode.suggest import segments

    if segments.METADATA.match(text):
        return False
    stripped = segments._MARKS.sub(" ", text) if "(" in text or "[" in text else text
    found = segments.WORDS.findall(stripped.lower())
    content = [w for w in found if w not in stop_words and w not in segments.FILLERS]
    return len(content) >= segments.MIN_CONTENT_WORDS or (len(content) == 1 and len(found) >= segments.MIN_CLAUSE)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abé ikmhuwl1_2'-.,()[]…ß²Ⅻ\t\nXYZ中\u0301\u00a0")), max_size=40))
def test_suggest_segments_is_content_reads_words_as_the_regex_does(text):
    from spacy.lang.nl.stop_words import STOP_WORDS

    assert is_content(text, STOP_WORDS) == _content_by_regex(text, STOP_WORDS)


def test_suggest_segments_is_content_agrees_with_the_regex_on_the_sample(sample_project):
    from spacy.lang.nl.stop_words import STOP_WORDS

    store = sample_project.store
    sentences = [s for tid in store.transcripts.names() for s in _sentences_of(store.transcripts.load(tid))]
    assert len(sentences) > 500
    assert [is_content(s, STOP_WORDS) for s in sentences] == [_content_by_regex(s, STOP_WORDS) for s in sentences]


def _sentences_of(transcript):
    from qualcode.text import sentence_spans

    return [transcript.text[a:b] for turn in transcript.turns for a, b in sentence_spans(transcript.text, turn.start, turn.end)]


def test_suggest_segments_rules_only_reads_content_next_to_hits(monkeypatch):
    """A rules-only run reads `content` where a proposal can land: a sentence with hits,
    one next to it (proposed for its neighbour's hints) and the sentences at a cut in a
    long turn. Those agree with a run that reads every sentence, so a backchannel
    next to a hint ("Nee.") is never proposed for it."""
    from pathlib import Path

    import qualcode.suggest.analysis as analysis
    from qualcode.codebook import load_codebook
    from qualcode.suggest.combined import neighbour_hits
    from qualcode.suggest.rules import RuleSuggester

    repo = Path(__file__).resolve().parents[1]
    text = (
        "Nee. Het ging om een warme overdracht naar het wijkteam. Ja precies. Mm-hm.\n"
        + "Dat was een lange middag met veel koffie. " * 80
        + "Ja. Warme overdracht dus. Oké."
    )
    transcript = Transcript("t", text, [Turn(1, "R", 0, len(text), role=RESPONDENT)], id=5)
    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, load_codebook(repo / "codebooks" / "samenwerking.yaml"))
    monkeypatch.setattr(analysis, "MAX_PIECE", 2000)  # the turn in pieces: cuts next to a hit
    ((_, every),) = list(analyse(pipeline, [transcript], rules=rules, words=True))
    ((_, rules_only),) = list(analyse(pipeline, [transcript], rules=rules))
    assert [s.text for s in every] == [s.text for s in rules_only]
    reached = {i for i, s in enumerate(rules_only) if s.hits} | set(neighbour_hits(rules_only))
    assert {"Nee.", "Ja precies.", "Ja.", "Oké."} <= {rules_only[i].text for i in reached}
    for i in reached:
        assert rules_only[i].content == every[i].content, rules_only[i].text
    assert not any(rules_only[i].content for i in reached if rules_only[i].text in {"Nee.", "Ja precies.", "Ja.", "Oké."})
    # Only next to the hits of codes that propose their neighbours (a calibration's
    # near_codes) is content read; next to other codes' hits it is not needed.
    hit_codes = set().union(*(s.hits for s in rules_only))
    ((_, beside),) = list(analyse(pipeline, [transcript], rules=rules, near_codes=hit_codes))
    assert [s.content for s in beside] == [s.content for s in rules_only]
    ((_, alone),) = list(analyse(pipeline, [transcript], rules=rules, near_codes=set()))
    assert "Ja precies." in [s.text for s in alone if not s.hits and s.content]  # unread: never proposed
    assert [s.content for s in alone if s.hits] == [s.content for s in every if s.hits]


def test_suggest_run_reads_content_only_where_it_proposes_and_proposes_the_same(sample_project):
    """A run analyses with check_content=False (only header turns are read: False) and
    propose(unread=True) reads `content` of the sentences it may propose. Its proposals
    are those of an analysis that reads every sentence, and sentences that are no content
    (backchannels) are left unread (True) where nothing can be proposed for them."""
    from qualcode.suggest import training
    from qualcode.suggest.rules import RuleSuggester
    from qualcode.suggest.runner import propose

    pipeline = load_pipeline(None)
    rules = RuleSuggester(pipeline, sample_project.codebook)
    store = sample_project.store
    model, calibration, _ = training.train_project(sample_project.root, store, sample_project.codebook, pipeline, rules, 0.3)
    codable = set(training.codable_codes(sample_project.codebook))
    transcripts = [store.transcripts.load(tid) for tid in store.transcripts.names()]
    # And one whose first turn, outside the speakers' turns, is a header: never content.
    header = "Verslag: een warme overdracht naar het wijkteam besproken met de buurtcoach.\n"
    text = header + "Het ging om een warme overdracht naar het wijkteam. Ja precies."
    turns = [Turn(0, None, 0, len(header) - 1), Turn(1, "R", len(header), len(text), role=RESPONDENT)]
    transcripts.append(Transcript("kop", text, turns, id=10_000))
    every = list(analyse(pipeline, transcripts, rules=rules, words=True))
    lazy = list(analyse(pipeline, transcripts, rules=rules, words=True, check_content=False))
    unread = proposed = 0
    for (transcript, read), (_, left) in zip(every, lazy, strict=True):
        assert [(s.start, s.end, s.words, s.hits) for s in read] == [(s.start, s.end, s.words, s.hits) for s in left]
        unread += sum(1 for a, b in zip(read, left, strict=True) if b.content and not a.content)
        for m in (model, None):  # with the learned model and rules only
            found = propose(read, m, calibration, 0.3, codable, covered=store.codings.find(transcript.id))
            assert propose(left, m, calibration, 0.3, codable, covered=store.codings.find(transcript.id), unread=True) == found
            proposed += len(found)
        assert all(a.content == b.content for a, b in zip(read, left, strict=True) if not b.content)
    assert unread and proposed  # the comparison means something: unread sentences, and proposals
    (_, headed), (_, headed_lazy) = every[-1], lazy[-1]
    assert [s.content for s in headed if s.turn == 0] == [s.content for s in headed_lazy if s.turn == 0] == [False]
