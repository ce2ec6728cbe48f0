"""A project's agreement and disagreements, read transcript by transcript, against the pure core on all spans."""

from __future__ import annotations

import random

import pytest
from test_team_consensus import CODEBOOK
from test_team_consensus import TEXT as ONE_TURN
from test_tui_support import make_project

from qualcode.agreement import CHARACTER, SEGMENT, SENTENCE, TURN, CodedSpan, Document, compute, document_units
from qualcode.errors import QualcodeError
from qualcode.team.disagreements import find_disagreements
from qualcode.team.study import project_agreement, project_disagreements

TEXT = ONE_TURN + "I: En toen?\nR: Toen kwam de buurvrouw. Zij hielp ons. We gingen samen naar het wijkteam.\n"


@pytest.fixture
def project(tmp_path):
    """Four transcripts: anna, bram and chen code the first three at random; only anna the fourth."""
    texts = {f"t{i}.txt": TEXT + f"I: Dank je wel.\nR: Graag gedaan {i}.\n" for i in range(4)}
    project = make_project(tmp_path / "studie", texts, CODEBOOK)
    rng = random.Random(3)
    store = project.store
    for tid, name in sorted(store.transcripts.names().items()):
        turns = [t for t in store.transcripts.turns(tid) if t.speaker == "R"]
        for coder in ("anna", "bram", "chen") if name != "t3" else ("anna",):
            for _ in range(6):
                turn = rng.choice(turns)
                start = rng.randrange(turn.start, turn.end - 1)
                end = rng.randrange(start + 1, turn.end + 1)
                store.codings.add(tid, start, end, rng.choice(["rol", "kracht", "vertrouwen"]), coder)
    yield project
    project.close()


def all_spans(project) -> list[CodedSpan]:
    return [CodedSpan(c.transcript_id, c.start, c.end, c.code_id, c.coder) for c in project.store.codings.find()]


STUDIES = [
    (unit, coders, codes)
    for unit in (CHARACTER, SENTENCE, TURN, SEGMENT)
    for coders, codes in ((("anna", "bram"), ()), (("anna", "bram", "chen"), ()), (("anna", "bram"), ("rol",)))
    if unit != SEGMENT or len(coders) == 2  # the segment unit compares two coders
]


@pytest.mark.parametrize(("unit", "coders", "codes"), STUDIES)
def test_team_study_agreement_by_transcript_equals_the_core_on_all_spans(project, unit, coders, codes):
    store = project.store
    documents = [
        Document(
            tid, name, [] if unit == SEGMENT else document_units(store.transcripts.text(tid), store.transcripts.turns(tid), unit)
        )
        for tid, name in store.transcripts.names().items()
    ]
    expected = compute(all_spans(project), documents, list(coders), unit=unit, codes=list(codes) or None)
    found = project_agreement(project, coders=coders, codes=codes, unit=unit)
    assert found == expected
    assert found.left_out == ["t3"] and len(found.transcripts) == 3


def test_team_study_agreement_refuses_transcripts_only_one_coder_coded(project):
    with pytest.raises(QualcodeError) as raised:
        project_agreement(project, coders=("anna", "bram"), transcripts=("t3",), unit=CHARACTER)
    assert raised.value.code == "QC904"


def test_team_study_disagreements_stream_in_transcript_order_as_the_core_finds_them(project):
    (first, second), found = project_disagreements(project, coders=("anna", "chen"))
    assert (first, second) == ("anna", "chen")
    expected = find_disagreements(all_spans(project), "anna", "chen")
    assert expected and list(found) == expected
    _, only_rol = project_disagreements(project, coders=("anna", "chen"), codes=("rol",))
    assert list(only_rol) == [d for d in expected if "rol" in d.codes]
