"""Sentence and word segmentation for navigation (pure core, no spaCy)."""

from __future__ import annotations

import pytest

from qualcode.text import content_spans, sentence_spans, sentences_in


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ja, natuurlijk. Eh, ik ben nu... acht jaar? Ja!", ["Ja, natuurlijk.", "Eh, ik ben nu... acht jaar?", "Ja!"]),
        ("Ik noem haar mevrouw B., haar zoon. Hij is dertien.", ["Ik noem haar mevrouw B., haar zoon.", "Hij is dertien."]),
        ("Bijv. het CJG, o.a. de school. Daarna niks.", ["Bijv. het CJG, o.a. de school.", "Daarna niks."]),
        ('Ze zei: "Kom maar." Toen ging ik.', ['Ze zei: "Kom maar."', "Toen ging ik."]),
        ("Eerste regel zonder punt\nTweede regel", ["Eerste regel zonder punt", "Tweede regel"]),
        ("Wat nu… Ik weet het niet.", ["Wat nu…", "Ik weet het niet."]),
        ("今日は晴れ。明日は雨！", ["今日は晴れ。", "明日は雨！"]),
        ("   ", []),
        ("Geen eindpunt", ["Geen eindpunt"]),
        # A transcription mark after a sentence end closes that sentence, never opens the next one.
        ("Bij elkaar. (gelach) Nee, echt.", ["Bij elkaar. (gelach)", "Nee, echt."]),
        ("Dat is begonnen. (lacht) In 2019 ging het mis.", ["Dat is begonnen. (lacht)", "In 2019 ging het mis."]),
        ("Ja. (lacht) (zucht) Goed.", ["Ja. (lacht) (zucht)", "Goed."]),
        ("Dit. (...) Dat.", ["Dit. (...)", "Dat."]),
        ("Er is thee, (lacht) dat is fijn.", ["Er is thee, (lacht) dat is fijn."]),
        ("Dat is het CJG. (CJG) staat erop.", ["Dat is het CJG.", "(CJG) staat erop."]),  # not a mark
        ("(lacht) Ja, dat klopt.", ["(lacht) Ja, dat klopt."]),  # at the start there is nothing to close
    ],
)
def test_text_sentence_spans(text, expected):
    assert sentences(text) == expected


def test_text_sentence_spans_respect_bounds():
    text = "A: Eén. Twee.\nB: Drie."
    assert sentence_spans(text, 3, 13) == [(3, 7), (8, 13)]


def test_text_sentence_spans_stop_at_the_end_of_the_text():
    # A turn stored past the end of its text (an older project's): split up to the end, not an IndexError.
    text = "I: Hoe gaat het?\nR: Goed, dank je."
    assert sentence_spans(text, 20, 35) == sentence_spans(text, 20, len(text)) == [(20, 34)]
    assert sentence_spans("Ja. Nou", 0, 99) == [(0, 3), (4, 7)]


def test_text_sentences_in_the_content_spans_of_the_turns_or_of_the_whole_text():
    text = "I: Eén. Twee.\nR: Drie. Vier.\n"
    content = content_spans([(17, 28), (3, 13), (14, 14)], len(text))
    assert content == [(3, 13), (17, 28)]  # sorted, the empty turn left out
    assert sentences_in(text, content) == [(3, 7), (8, 13), (17, 22), (23, 28)]
    assert sentences_in(text, content_spans([], len(text))) == sentence_spans(text)
    assert content_spans([], 0) == []
