"""The kinds of personal data detected, and the Dutch word each pseudonym uses.

Category keys are English (the interface speaks English); the pseudonym written into
the Dutch transcript uses the Dutch word: ``[persoon 3]``, ``[plaats 1]``.
"""

from __future__ import annotations

from dataclasses import dataclass

# key -> Dutch word in pseudonyms, in the order reports list them.
CATEGORIES: dict[str, str] = {
    "person": "persoon",
    "place": "plaats",
    "address": "adres",
    "organisation": "organisatie",
    "date": "datum",
    "age": "leeftijd",
    "phone": "telefoonnummer",
    "email": "e-mailadres",
    "postcode": "postcode",
    "id": "nummer",
    "url": "website",
}

# deduce's tags (Dutch) -> our categories. "locatie" is split further by the detector
# (postcode, address or place); deduce's health-care institutions are organisations.
DEDUCE_TAGS: dict[str, str] = {
    "persoon": "person",
    "patient": "person",
    "locatie": "place",
    "ziekenhuis": "organisation",
    "zorginstelling": "organisation",
    "datum": "date",
    "leeftijd": "age",
    "bsn": "id",
    "id": "id",
    "telefoonnummer": "phone",
    "emailadres": "email",
    "url": "url",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    """A span of a transcript's text that may be personal data.

    ``source`` says what found it: ``deduce``, ``pattern`` (our Dutch rules),
    ``context`` (a proper noun in its context), ``known`` (a name the project
    lists or the transcript's labels and front matter tell) or ``speaker``.
    """

    start: int
    end: int
    category: str
    text: str
    source: str
