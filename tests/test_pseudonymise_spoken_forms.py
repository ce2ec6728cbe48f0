"""What interviews say that earlier rounds missed or misread: ordinal dates, an age after
"mevrouw", service lines, Flemish "'k" and "allé", "ikzelf", large companies."""

from __future__ import annotations

import pytest
from pseudo_support import StubDetector, found

from qualcode.pseudonymise.patterns import find_patterns


def _patterns(text: str) -> list[tuple[str, str]]:
    return [(c.category, c.text) for c in find_patterns(text)]


@pytest.mark.parametrize(
    "said, expected",
    [
        ("'k Zyn geboren den derde oktober '62 in Poperinge.", ("date", "derde oktober '62")),
        ("Op de eenentwintigste juni kwam ze.", ("date", "eenentwintigste juni")),
        ("Een Hindoestaanse mevrouw van tweeëntachtig, met veel kleinkinderen.", ("age", "tweeëntachtig")),
        ("Een cliënt van negentig jaar woont daar alleen.", ("age", "negentig jaar")),
        ("Bel 070-3456789 in Den Haag.", ("phone", "070-3456789")),
    ],
)
def test_patterns_find_ordinal_dates_and_more_ages(said, expected):
    assert expected in _patterns(said)


@pytest.mark.parametrize(
    "said",
    [
        "Eric is een oud-bokser, een goeie.",  # "een" is no age before "oud-"
        "Dan moet ge bellen naar 't nummer 0800 98 809, en wachten.",  # a service line
        "Bel de helpdesk op 0900-1234567 of 0906 12 34 56.",
    ],
)
def test_patterns_leave_service_lines_and_articles(said):
    assert [c for c in _patterns(said) if c[0] in ("age", "phone", "id")] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "'k Zat vroeger in de KVLV, nu heet dat Ferm.",  # Flemish "'k" starts the sentence
        "Allé, 't is eigenlijk zijn vader zijn boerderij.",
        "Ikzelf en de buurvrouw doen dat.",
        "Mijn zoon werkt bij Barco, en zijn vriend bij Bekaert.",
    ],
)
def test_detect_proposes_no_sentence_start_or_company_here(sentence):
    assert found(sentence, detector=StubDetector({})) == []
