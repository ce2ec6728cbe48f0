"""A name quoted after its kind ("café 'De Rots'") and national companies (PostNL).

Before, the quote before "De Rots" read as a sentence's start (or a capital inside a
word), so "De" was dropped and deduce's surname "Rots" stayed as a person; and "werkt bij
PostNL" proposed PostNL as a person.
"""

from __future__ import annotations

import pytest
from pseudo_support import StubDetector, found


@pytest.mark.parametrize(
    "sentence, name",
    [
        ("Echt, café 'De Rots', daar zitten de oude mannen.", "De Rots"),
        ("Ze zit op basisschool “De Horizon” in de wijk.", "De Horizon"),
        ("Ze werkt bij stichting 'Al Amal' als vrijwilliger.", "Al Amal"),
        ('Hij speelt bij voetbalclub "De Zwaluwen" in de jeugd.', "De Zwaluwen"),
    ],
)
def test_a_name_quoted_after_its_kind_is_the_organisation(sentence, name):
    got = found(sentence, detector=StubDetector({"Rots": "person", "Amal": "person"}))
    assert ("organisation", name) in got
    assert not any(category == "person" for category, _ in got)


@pytest.mark.parametrize(
    "sentence",
    [
        "Hij zei 'Rots is hard' en ging weg.",  # a quote after a verb still starts a sentence
        "Ze zegt: 'De Rots is dicht.'",
    ],
)
def test_a_quoted_sentence_still_starts_with_a_capital(sentence):
    assert found(sentence, detector=StubDetector({})) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Haar man werkt bij PostNL in het sorteercentrum, in de nacht.",
        "Ze rijdt nu voor DHL en soms voor bpost.",
        "Dat stond in Het Parool, en ook bij de NOS.",
        "Hij is apothekersassistent bij de Kruidvat op de hoek.",
    ],
)
def test_national_companies_and_media_are_no_personal_data(sentence):
    assert found(sentence, detector=StubDetector({})) == []
