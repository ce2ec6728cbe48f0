"""Round 21b: the gold sets evaluated without the benchmark's codebook vocabulary
(an unseen project's codebook does not know the interviews' words), and organisations'
categories.

Before: a capitalised compound of two Dutch words at a sentence's start, before a comma
or a verb, was a person ("Opvoedcursus, taalcursus, cursus omgaan met geld",
"Toestemmingsformulieren, dat soort dingen"): hidden in the benchmark by the
samenwerking codebook, whose keywords hold "opvoedcursus".
"""

from __future__ import annotations

from pseudo_support import StubDetector, found


def test_a_compound_of_two_dutch_words_starting_a_sentence_is_no_name():
    text = (
        "R: Alles is een cursus in Nederland. Opvoedcursus, taalcursus, cursus omgaan met geld.\n"
        "R: Toestemmingsformulieren, dat soort dingen. Koffieochtend is op dinsdag.\n"
    )
    assert found(text, detector=StubDetector({})) == []
    # A name no list has and no word is stays a name there.
    assert found("R: Tesfay kwam later.\n", detector=StubDetector({})) == [("person", "Tesfay")]
