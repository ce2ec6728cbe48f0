"""A memo quoting a stretch cut inside a place's or an organisation's name ("en Haag" of "Den Haag")."""

from __future__ import annotations

import pytest

from qualcode.pseudonymise.apply import replace_names
from qualcode.store.key import EntityRow

ENTITIES = [
    EntityRow(1, "place", "Den Haag", "[plaats 1]", 1, False),
    EntityRow(2, "organisation", "Kind en Gezin", "[organisatie 1]", 1, False),
    EntityRow(3, "organisation", "Moeders van Morgen", "[organisatie 2]", 2, False),
    EntityRow(4, "place", "Utrecht", "[plaats 2]", 2, False),
    EntityRow(5, "person", "Hatice Yilmaz", "[persoon 1]", 1, False),
]


@pytest.mark.parametrize(
    ("memo", "replaced"),
    [
        ('quote: "en Haag vond ik te druk"', 'quote: "[plaats 1] vond ik te druk"'),
        ("quote: ...ze verhuisde naar Den Ha", "quote: ...ze verhuisde naar [plaats 1]"),
        ("n Haag, zegt ze", "[plaats 1], zegt ze"),
        ("via Kind en Ge", "via [organisatie 1]"),
        ("ind en Gezin belde", "[organisatie 1] belde"),
        ("oeders van Morgen", "[organisatie 2]"),
        ("Den\nHaag en DEN HAAG", "[plaats 1] en [plaats 1]"),  # a line break inside the name; capitals
        ("Hatice Yilmaz uit Den Haag", "[persoon 1] uit [plaats 1]"),
    ],
)
def test_a_name_cut_at_a_quote_s_edge_is_replaced(memo, replaced):
    assert replace_names(memo, ENTITIES)[0] == replaced


@pytest.mark.parametrize(
    "memo",
    [
        "Haag en struiken rond het huis.",  # a part alone: an ordinary word ("haag", a hedge)
        "Kind en ouder samen; Gezin staat centraal.",
        "Moeders vertellen over Morgen.",
        "Kind en Gezondheid is een ander project.",  # the cut form must end where the quote ends
        "Utre en trecht: een enkel woord wordt niet in stukken gezocht.",
        "Tien Haagse scholen.",
    ],
)
def test_ordinary_words_and_parts_of_names_stay(memo):
    assert replace_names(memo, ENTITIES) == (memo, [])
