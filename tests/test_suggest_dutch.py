"""Dutch word forms: the fallback for what spaCy's lemma lookup table misses."""

from __future__ import annotations

import pytest

from qualcode.suggest.dutch import DutchForms
from qualcode.suggest.pipeline import load_pipeline


@pytest.fixture(scope="module")
def forms() -> DutchForms:
    return load_pipeline(None).forms


def tiny() -> DutchForms:
    """A hand-made dictionary: the rules alone, no lookup table."""
    return DutchForms(
        lookup={},
        nouns={"moeder", "rol", "taak", "persoon", "organisatie", "ochtend", "brief", "kind"},
        verbs={"bellen", "maken", "verwijzen", "doorverwijzen", "sturen", "doorsturen", "gaan", "meegaan", "signaleren"},
    )


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("moeders", "moeder"),  # -s plural
        ("rollen", "rol"),  # doubled consonant undone
        ("taken", "taak"),  # open syllable: vowel doubled back
        ("personen", "persoon"),
        ("brieven", "brief"),  # v -> f
        ("kinderen", "kind"),  # -eren plural
        ("belt", "bellen"),  # present tense, consonant doubled for the infinitive
        ("maakt", "maken"),  # long vowel spelled single in the infinitive
        ("gesignaleerd", "signaleren"),  # participle ge-...-d
        ("doorgestuurd", "doorsturen"),  # participle after a particle
        ("meegegaan", "meegaan"),
        ("koffieochtenden", "koffieochtend"),  # unknown compound: lemmatised on its tail
        ("migrantenorganisaties", "migrantenorganisatie"),
    ],
)
def test_suggest_dutch_rules_find_lemmas_without_a_lookup_table(word, lemma):
    assert lemma in tiny().lemmas(word)


@pytest.mark.parametrize(
    ("word", "lemma"),
    [
        ("doorverwezen", "doorverwijzen"),
        ("verwezen", "verwijzen"),
        ("verwijst", "verwijzen"),
        ("doorverwees", "doorverwijzen"),
        ("moeders", "moeder"),  # missing from the lookup table
        ("organisaties", "organisatie"),  # missing from the lookup table
        ("migrantenorganisaties", "migrantenorganisatie"),  # missing from the lookup table
        ("afspraken", "afspraak"),
        ("rollen", "rol"),
        ("sleutelpersonen", "sleutelpersoon"),
        ("gebeld", "bellen"),
        ("heb", "hebben"),
    ],
)
def test_suggest_dutch_real_tables_cover_inflections_and_plurals(forms, word, lemma):
    assert lemma in forms.lemmas(word)


def test_suggest_dutch_never_invents_words(forms):
    # every candidate beyond the word itself is a known lemma
    for word in ("controle", "kantoor", "xyzzyen"):
        assert all(forms.is_lemma(c) or c == word for c in forms.lemmas(word))
    assert tiny().lemmas("xyzzyen") == ("xyzzyen",)


def test_suggest_dutch_single_best_lemma_for_features(forms):
    assert forms.lemma("Moeders") == "moeder"
    assert forms.lemma("doorverwezen") == "doorverwijzen"
    assert forms.lemma("organisaties") == "organisatie"


@pytest.mark.parametrize(
    ("lemma", "split"),
    [
        ("doorverwijzen", ("door", "verwijzen")),
        ("meegaan", ("mee", "gaan")),
        ("kennismaken", ("kennis", "maken")),
        ("verwijzen", None),  # ver- is not separable
        ("overleg", None),  # too short a verb part
    ],
)
def test_suggest_dutch_separable_verbs(forms, lemma, split):
    assert forms.separable(lemma) == split


def test_suggest_dutch_compound_heads_need_a_real_front_and_tail(forms):
    assert forms.compound_heads("migrantenorganisaties", {"organisatie"}) == ("organisatie",)
    assert forms.compound_heads("controle", {"rol"}) == ()  # tail too short
    assert forms.compound_heads("ongeduld", {"geduld"}) == ()  # front too short


def test_suggest_dutch_lemma_asks_the_dictionary_first_and_the_rules_for_what_it_does_not_know():
    known = {"rollen": "rol", "uitgelegd": "uit_leggen"}
    with_dictionary = DutchForms(
        lookup={"rollen": "rollen"},  # spaCy's table reads 'rollen' as the verb
        nouns={"rol", "ochtend"},
        verbs={"rollen"},
        dictionary=lambda word: known.get(word, word),
    )
    assert with_dictionary.lemma("Rollen") == "rol"
    assert with_dictionary.lemma("uitgelegd") == "uitleggen"  # separable verb joined again
    assert with_dictionary.lemma("koffieochtenden") == "koffieochtend"  # unknown to it: the compound rule
    assert tiny().lemma("rollen") == "rol"  # and without a dictionary the rules alone


def test_suggest_dutch_plurals_of_the_interviews_get_their_lemma(forms):
    """The evidence behind the choice of lemmatizer, on words from the sample and held-out interviews."""
    plurals = {
        "moeders": "moeder", "organisaties": "organisatie", "rollen": "rol", "taken": "taak", "afspraken": "afspraak",
        "kinderen": "kind", "migrantenorganisaties": "migrantenorganisatie", "gezinnen": "gezin", "brieven": "brief",
        "sleutelpersonen": "sleutelpersoon", "wachtlijsten": "wachtlijst", "koffieochtenden": "koffieochtend",
    }  # fmt: skip
    assert {w: forms.lemma(w) for w in plurals} == plurals
