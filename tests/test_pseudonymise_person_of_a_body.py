"""A person named with the body they work for ("mevrouw Jansen van het CJG").

Found coding Flemish and Dutch interviews: the run of capitalised words took in "van het
CJG", and accepting it made "CJG" a part of the person's name, so every "CJG" of the
project became "[persoon 1]"; "meneer Van den Berg" came up as a place for its ending.
"""

from __future__ import annotations

import pytest
from pseudo_support import StubDetector, found

from qualcode.importing import import_paths
from qualcode.model import ACCEPTED
from qualcode.project import Project
from qualcode.pseudonymise import review
from qualcode.pseudonymise.context import KnownNames
from qualcode.pseudonymise.runner import open_key, run_detection


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gisteren belde mevrouw Jansen van het CJG me op.", ("person", "Jansen")),
        ("We luisteren naar mevrouw Hermans van de VVD vandaag.", ("person", "Hermans")),
        ("Ik ken Jan van de GGD al lang.", ("person", "Jan")),
        ("Daar was meneer Van den Berg ook.", ("person", "Van den Berg")),
        ("Ik sprak Roos van der Heijden gisteren.", ("person", "Roos van der Heijden")),  # a surname stays whole
    ],
)
def test_a_person_of_a_body_is_the_name_before_van(sentence, expected):
    assert expected in found(f"I: Vertel.\nR: {sentence}\n")


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Jansen van het CJG", {"Jansen van het CJG", "Jansen"}),
        ("Jan van de GGD", {"Jan van de GGD", "Jan"}),
        ("JAN BOS", {"JAN BOS", "JAN", "BOS"}),  # in capitals a short word is no acronym
    ],
)
def test_a_part_that_is_no_name_is_not_a_name_of_the_person(full, parts):
    known = KnownNames()
    known.add_person(full)
    assert set(known.names) == parts


def test_accepting_a_person_with_their_body_leaves_the_body_elsewhere(tmp_path):
    root = tmp_path / "studie"
    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "codebook.yaml").write_text("title: T\ncodes:\n  - id: a\n    name: A\n", encoding="utf-8")
    (root / "transcripts").mkdir()
    path = root / "transcripts" / "int1.txt"
    path.write_text(
        "I: En de samenwerking met het CJG?\nR: Mevrouw Jansen van het CJG belt me soms. Jansen is fijn.\n",
        encoding="utf-8",
    )
    project = Project(root)
    try:
        import_paths(project, [path], default_coder="test")
        key = open_key(project.root)
        try:
            # deduce takes in the body too ("Jan Peeters van de Kind"); detection cuts it off, and
            # a researcher who accepts the name with its body (--span) still leaves the body elsewhere.
            run_detection(project, StubDetector({"Jansen van het CJG": "person"}))
            first = min((c for c in key.candidates() if c.text == "Jansen"), key=lambda c: c.start)
            review.accept(project.store, key, first.id, "anna", span=(first.start, first.start + len("Jansen van het CJG")))
            accepted = [c.text for c in key.candidates(statuses=[ACCEPTED])]
        finally:
            key.close()
    finally:
        project.close()
    assert "CJG" not in accepted  # "met het CJG" is no person
    assert sorted(accepted) == ["Jansen", "Jansen van het CJG"]
