"""Where a detached coding probably belongs now (qualcode.reattach): a proposal, never an action."""

from __future__ import annotations

from qualcode.reattach import ALIKE, REACH, exact_place, likely_place
from qualcode.text import sentence_spans

OLD_QUOTE = "Dat ik bereikbaar ben. Dat ik terugbel."
TURNS = [
    "I: En de sleutelpersonen, wat verwachten die van jou?",
    "R: Dat ik bereikbaar blijf en ook echt terugbel. (lacht) Dat klinkt simpel, maar dat lukt niet altijd.",
    "I: Dat was het.",
]


def blocks_of(turns: list[str]) -> tuple[str, list[list[tuple[int, int]]]]:
    """The text and each turn's sentence spans (the turn's label left out, as the app does)."""
    text, blocks = "", []
    for turn in turns:
        start = len(text) + 3
        text += turn + "\n"
        blocks.append(sentence_spans(text, start, len(text) - 1))
    return text, blocks


def test_reattach_exact_quote_nearest_the_old_place():
    text = "ja. nee. ja. misschien. ja."
    assert (exact_place(text, "ja.", 0).start, exact_place(text, "ja.", 12).start, exact_place(text, "ja.", 99).start) == (
        0,
        9,
        24,
    )
    assert exact_place(text, "nooit", 5) is None and exact_place(text, "  ", 5) is None
    assert exact_place(text, "nee.", 0).alike == 1.0


def test_reattach_an_edited_passage_is_proposed_with_how_alike_it_is():
    text, blocks = blocks_of(TURNS)
    guess = likely_place(text, blocks, OLD_QUOTE, 60)
    assert (
        text[guess.start : guess.end] == "Dat ik bereikbaar blijf en ook echt terugbel. (lacht)"
    )  # a mark stays with its sentence
    assert ALIKE <= guess.alike < 1.0


def test_reattach_nothing_alike_enough_is_no_proposal():
    text, blocks = blocks_of(TURNS)
    assert likely_place(text, blocks, "Die schamen zich voor de buren.", 60) is None
    assert likely_place(text, blocks, "   ", 60) is None


def test_reattach_a_proposal_never_runs_over_two_turns():
    turns = ["I: Ik bel je terug.", "R: Dat ik bereikbaar ben voor hen."]
    text, blocks = blocks_of(turns)
    guess = likely_place(text, blocks, "Ik bel je terug. Dat ik bereikbaar ben.", 0)
    assert guess is not None and "\n" not in text[guess.start : guess.end]


def test_reattach_only_the_neighbourhood_of_the_old_place_is_compared():
    far = ["I: " + "Iets anders. " * 40] * ((REACH // 500) + 4) + TURNS
    text, blocks = blocks_of(far)
    at = text.index("Dat ik bereikbaar blijf")
    assert likely_place(text, blocks, OLD_QUOTE, at) is not None
    assert likely_place(text, blocks, OLD_QUOTE, 0) is None  # too far from where it was
