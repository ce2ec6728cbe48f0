"""Segments: respondent sentences, and how codings line up with them."""

from __future__ import annotations

import pytest

from qualcode.model import INTERVIEWER, RESPONDENT, Coding, Transcript, Turn
from qualcode.project import ProjectConfig
from qualcode.suggest.analysis import analyse, pieces_of
from qualcode.suggest.pipeline import load_pipeline
from qualcode.suggest.segments import labels_for, respondent_turns, sentence_bounds, substantial


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


def test_suggest_segments_interviewer_turns_follow_the_configured_rule():
    text = "Q: vraag\nAnna: antwoord\nzonder label"
    turns = [
        Turn(1, "Q", 3, 8, role=RESPONDENT),  # stored role is stale: the rule now says interviewer
        Turn(2, "Anna", 15, 23, role=RESPONDENT),
        Turn(3, None, 24, 36, role=None),
    ]
    config = ProjectConfig(interviewer_speakers=["q"])
    kept = respondent_turns(Transcript("t", text, turns), config.role_of)
    assert [t.index for t in kept] == [2, 3]
    interviewer = Turn(4, None, 0, 2, role=INTERVIEWER)  # unlabelled: the stored role decides
    assert respondent_turns(Transcript("t", text, [interviewer]), config.role_of) == []


def test_suggest_segments_sentences_break_at_paragraphs_and_skip_punctuation_only():
    nlp = load_pipeline(None).nlp
    doc = nlp("Eerste zin. Tweede zin zonder punt\n\n(lacht) Derde zin.\n...")
    texts = [doc[s:e].text.strip() for s, e in sentence_bounds(doc)]
    assert texts == ["Eerste zin.", "Tweede zin zonder punt", "(lacht) Derde zin."]


def test_suggest_segments_analyse_gives_offsets_into_the_transcript_and_skips_questions():
    text = "I: Wat doet u?\nR: Ik help moeders. Elke dag.\nI: Waarom?\nR: Omdat het moet."
    def turn(index: int, speaker: str, content: str) -> Turn:
        start = text.index(content)
        return Turn(index, speaker, start, start + len(content))

    turns = [
        turn(1, "I", "Wat doet u?"),
        turn(2, "R", "Ik help moeders. Elke dag."),
        turn(3, "I", "Waarom?"),
        turn(4, "R", "Omdat het moet."),
    ]
    transcript = Transcript("t", text, turns, id=7)
    ((got, sentences),) = list(analyse(load_pipeline(None), [transcript], ProjectConfig().role_of, words=True))
    assert got is transcript
    assert [s.text for s in sentences] == ["Ik help moeders.", "Elke dag.", "Omdat het moet."]
    assert all(text[s.start : s.end] == s.text for s in sentences)
    assert [s.turn for s in sentences] == [2, 2, 4]
    assert sentences[0].words[0] == "ik" and sentences[0].words[-1] == "moeder"  # lemmas, punctuation left out
    assert {s.transcript_id for s in sentences} == {7}


def test_suggest_segments_long_turns_are_cut_at_line_breaks(monkeypatch):
    import qualcode.suggest.analysis as analysis

    paragraph = "De moeders komen elke week. Ze drinken koffie.\n"
    text = paragraph * 40  # one unlabelled turn of 1,880 characters
    assert pieces_of(text, 0, len(text), limit=500)[0] == (0, text.rfind("\n", 1, 500))
    monkeypatch.setattr(analysis, "MAX_PIECE", 500)
    transcript = Transcript("t", text, [Turn(1, None, 0, len(text))], id=3)
    ((_, sentences),) = list(analyse(load_pipeline(None), [transcript], ProjectConfig().role_of))
    assert [s.text for s in sentences] == ["De moeders komen elke week.", "Ze drinken koffie."] * 40
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_suggest_segments_pieces_without_line_breaks():
    text = "woord " * 100
    pieces = pieces_of(text, 0, len(text), limit=64)
    assert pieces[0][0] == 0 and pieces[-1][1] == len(text)
    assert all(b - a <= 64 for a, b in pieces)
    assert all(pieces[i][1] == pieces[i + 1][0] for i in range(len(pieces) - 1))
