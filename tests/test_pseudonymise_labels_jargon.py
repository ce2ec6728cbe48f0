"""Names found from speaker labels, surnames with an interfix, and capitalised jargon.

Found on real transcripts (``shared/corpus-nl``): the parliamentary label "De voorzitter"
made "de" a known name (184 candidates in one transcript), accepting "Da Silva" replaced
"Da's" and every "ter"/"le", and a stage interview's "Slack", "Scrum" and "Library" came
up as persons.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from pseudo_support import found

from qualcode.pseudonymise.apply import replace_names
from qualcode.pseudonymise.context import KnownNames, label_names
from qualcode.store.key import EntityRow


@pytest.mark.parametrize(
    ("label", "names"),
    [
        ("De voorzitter", set()),  # a role with its article
        ("De interviewer", set()),
        ("De minister", set()),
        ("De heer Hijink (SP)", {"Hijink"}),  # title and party left out
        ("Mevrouw Bergkamp (D66)", {"Bergkamp"}),
        ("Staatssecretaris Blokhuis", {"Blokhuis"}),  # after a title an ordinary word is a name
        ("Minister De Jonge", {"De Jonge"}),
        ("de heer Van Dijk", {"Van Dijk"}),  # ordinary words, but a surname with its interfix
        ("De Smet", {"De Smet"}),
        ("Moeder", set()),
        ("Leerling 3", set()),
        ("MARVIN", {"Marvin"}),
    ],
)
def test_label_names_leave_out_articles_titles_parties_and_roles(label, names):
    assert label_names([SimpleNamespace(speaker=label)]) == names


def test_a_surname_with_an_interfix_never_makes_the_interfix_a_name():
    for full, parts in [
        ("De Smet", {"De Smet", "Smet"}),
        ("Da Silva", {"Da Silva", "Silva"}),
        ("Roos van der Heijden", {"Roos van der Heijden", "Roos", "van der Heijden", "Heijden"}),
    ]:
        known = KnownNames()
        known.add_person(full)
        assert set(known.names) == parts, full


def test_accepting_a_surname_with_an_interfix_replaces_it_and_not_the_interfix_elsewhere():
    entities = [
        EntityRow(1, "person", "Da Silva", "[persoon 1]", 1, False),
        EntityRow(2, "person", "Ter Horst", "[persoon 2]", 2, False),
        EntityRow(3, "person", "Le Roux", "[persoon 3]", 3, False),
    ]
    text, replaced = replace_names(
        "Da's goed, zei mevrouw Da Silva ter plaatse; le moment, zei Le Roux. Ter Horst ook.", entities
    )
    assert text == "Da's goed, zei mevrouw [persoon 1] ter plaatse; le moment, zei [persoon 3]. [persoon 2] ook."
    assert sorted(replaced) == ["Da Silva", "Le Roux", "Ter Horst"]


def test_a_label_with_an_article_does_not_flag_every_article():
    text = (
        "De voorzitter: Het woord is aan de heer Hijink.\nDe heer Hijink (SP): Dank u, voorzitter. De motie gaat over de zorg.\n"
    )
    assert found(text) == [("person", "Hijink")]


@pytest.mark.parametrize(
    "sentence",
    [
        "We praten de hele dag via Slack met elkaar.",  # English words Dutch speakers capitalise
        "Ik werk volgens Scrum in sprints van twee weken.",
        "Ik heb gebruik gemaakt van een Library voor de koppeling.",
        "Ik koos voor een Blockchain applicatie, want blockchain is nieuw.",  # lower case elsewhere too
    ],
)
def test_capitalised_jargon_alone_is_no_person(sentence):
    assert found(f"R: {sentence}\n") == []


@pytest.mark.parametrize(
    ("sentence", "name"),
    [
        ("Ik sprak gisteren met Mark over de opvang.", "Mark"),  # an English word, but a first name
        ("Toen belde Bakker van het wijkteam, de bakker zelf kwam later.", "Bakker"),  # a surname, lower case elsewhere
        ("Daarna hebben we Tesfay gebeld.", "Tesfay"),
        ("Toen kwam meneer Slack binnen.", "Slack"),  # after a title: a name
    ],
)
def test_a_name_that_is_also_a_word_is_still_found(sentence, name):
    assert ("person", name) in found(f"R: {sentence}\n")


def test_a_name_in_a_hyphenated_compound_is_replaced_but_not_inside_another_name():
    """Dutch joins a name and an ordinary word with a hyphen ("de Yilmaz-zaak"): the name
    is still the name (it used to stay, in the text and in every export). A capital after
    the hyphen makes another name ("Jan-Willem"), except a direction ("Overvecht-Noord")."""
    entities = [
        EntityRow(1, "person", "Hatice Yilmaz", "[persoon 1]", 1, False),
        EntityRow(2, "place", "Overvecht", "[plaats 1]", 1, False),
        EntityRow(3, "organisation", "Al Amal", "[organisatie 1]", 1, False),
        EntityRow(4, "person", "Jan", "[persoon 2]", 2, False),
    ]
    text, _ = replace_names(
        "De Hatice-groep, de Yilmaz-zaak, Overvecht-Noord, Overvecht-oost, de Al Amal-ochtend, ex-Yilmaz, Jan-Willem, Jan.",
        entities,
    )
    assert text == (
        "De [persoon 1]-groep, de [persoon 1]-zaak, [plaats 1]-Noord, [plaats 1]-oost, de [organisatie 1]-ochtend,"
        " ex-[persoon 1], Jan-Willem, [persoon 2]."
    )
