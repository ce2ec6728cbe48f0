"""Settling disagreements into the consensus coder: decisions, memos, undo, resume."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError
from qualcode.project import Project
from qualcode.team.consensus import ADJUSTED, BOTH, FIRST, NEITHER, SECOND, open_review, settle, undo
from qualcode.team.disagreements import BOUNDARIES, CODES

CODEBOOK = """\
title: Test
codes:
  - id: rol
    name: Rol
  - id: kracht
    name: Kracht
  - id: vertrouwen
    name: Vertrouwen
"""
TEXT = "I: Hoe ging het?\nR: Eerst was ik bang. Ik kende niemand. Nu vertrouw ik haar.\n"


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "studie"
    project = Project.init(root)
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts" / "een.txt").write_text(TEXT, encoding="utf-8")
    from qualcode.importing import import_paths

    import_paths(project, [root / "transcripts" / "een.txt"])
    project.reload_codebook()
    yield project
    project.close()


def at(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def code(project, phrase, code_id, coder, memo=None):
    tid = next(iter(project.store.transcripts.names()))
    s, e = at(phrase)
    return project.store.codings.add(tid, s, e, code_id, coder, memo=memo).coding


def coded(project, coder):
    return sorted((c.quote, c.code_id, c.memo) for c in project.store.codings.find(coders=[coder]))


@pytest.fixture
def study(project):
    code(project, "Eerst was ik bang.", "rol", "anna", memo="angst")
    code(project, "Eerst was ik bang.", "rol", "bram", memo="spanning")  # agreed
    code(project, "Ik kende niemand.", "kracht", "anna")  # codes: anna kracht, bram vertrouwen
    code(project, "Ik kende niemand.", "vertrouwen", "bram")
    code(project, "Nu vertrouw ik haar.", "vertrouwen", "anna")  # boundaries
    code(project, "vertrouw ik haar.", "vertrouwen", "bram")
    return project


def test_team_consensus_review_copies_agreed_codings_with_both_memos(study):
    review = open_review(study)
    assert (review.first, review.second, review.consensus) == ("anna", "bram", "consensus")
    assert [i.kind for i in review.items] == [CODES, BOUNDARIES]
    assert review.agreed_copied == 1
    assert coded(study, "consensus") == [("Eerst was ik bang.", "rol", "angst\n\nspanning")]
    # Opening again adds nothing.
    assert open_review(study).agreed_copied == 0


@pytest.mark.parametrize(
    ("decision", "expected"),
    [
        (FIRST, [("Ik kende niemand.", "kracht")]),
        (SECOND, [("Ik kende niemand.", "vertrouwen")]),
        (BOTH, [("Ik kende niemand.", "kracht"), ("Ik kende niemand.", "vertrouwen")]),
        (NEITHER, []),
    ],
)
def test_team_consensus_decisions_write_the_consensus_coder(study, decision, expected):
    review = open_review(study)
    item = review.items[0]
    settle(study, review, item, decision, decided_by="anna")
    got = [(q, c) for q, c, _ in coded(study, "consensus") if q != "Eerst was ik bang."]
    assert got == expected
    assert review.decision(item).decision == decision
    assert coded(study, "anna") and coded(study, "bram")  # the coders' own codings stay


def test_team_consensus_adjusted_span_and_undo(study):
    review = open_review(study)
    item = review.items[1]  # boundaries of vertrouwen
    settle(study, review, item, ADJUSTED, decided_by="bram", span=at("vertrouw ik"))
    assert ("vertrouw ik", "vertrouwen", None) in coded(study, "consensus")
    removed = undo(study, review, item)
    assert [c.quote for c in removed] == ["vertrouw ik"]
    assert ("vertrouw ik", "vertrouwen", None) not in coded(study, "consensus")
    assert review.decision(item) is None


def test_team_consensus_adjusted_span_over_two_turns_is_a_coding_per_turn_without_the_label(study):
    """As `qualcode code --span` and the coding screen do it: the settled span from the question
    into the answer gave one consensus coding with "R: " (the next speaker's label) inside."""
    review = open_review(study)
    item = review.items[0]  # "Ik kende niemand."
    start, end = TEXT.index("Hoe ging"), TEXT.index("niemand.") + len("niemand.")
    # Into the question's turn: the team says so (wider, as the disagreement screen's selection does).
    settle(study, review, item, ADJUSTED, decided_by="bram", span=(start, end), codes=["vertrouwen"], wider=True)
    quotes = [q for q, code, _ in coded(study, "consensus") if code == "vertrouwen"]
    assert sorted(quotes) == ["Eerst was ik bang. Ik kende niemand.", "Hoe ging het?"]
    assert not any("R:" in q for q in quotes)
    assert sorted(c.quote for c in undo(study, review, item)) == ["Eerst was ik bang. Ik kende niemand.", "Hoe ging het?"]


def test_team_consensus_adjusted_span_of_only_a_speaker_label_is_refused(study):
    review = open_review(study)
    before = coded(study, "consensus")
    with pytest.raises(QualcodeError) as caught:
        settle(study, review, review.items[0], ADJUSTED, decided_by="anna", span=at("R: "))
    assert caught.value.code == "QC330"
    assert coded(study, "consensus") == before and review.decision(review.items[0]) is None


def test_team_consensus_undo_never_removes_an_agreed_coding(study):
    review = open_review(study)
    # Deciding 'both' on a place whose codings the consensus already has adds none.
    tid = review.items[0].transcript
    s, e = at("Ik kende niemand.")
    study.store.codings.add(tid, s, e, "kracht", "consensus")
    settle(study, review, review.items[0], BOTH, decided_by="anna")
    undo(study, review, review.items[0])
    assert ("Ik kende niemand.", "kracht", None) in coded(study, "consensus")


def test_team_consensus_review_resumes_where_it_stopped(study):
    review = open_review(study)
    assert review.next_open() == 0
    settle(study, review, review.items[0], FIRST, decided_by="anna")
    again = open_review(study)
    assert again.settled == 1 and again.next_open() == 1
    settle(study, again, again.items[1], SECOND, decided_by="anna")
    assert open_review(study).next_open() is None


def test_team_consensus_deciding_again_replaces_the_decision(study):
    review = open_review(study)
    item = review.items[0]
    settle(study, review, item, FIRST, decided_by="anna")
    settle(study, review, item, SECOND, decided_by="anna")
    got = [c for q, c, _ in coded(study, "consensus") if q == "Ik kende niemand."]
    assert got == ["vertrouwen"]


def test_team_consensus_bad_decisions(study):
    review = open_review(study)
    with pytest.raises(QualcodeError):
        settle(study, review, review.items[0], "maybe", decided_by="anna")
    with pytest.raises(QualcodeError):
        settle(study, review, review.items[0], ADJUSTED, decided_by="anna")
    with pytest.raises(QualcodeError):
        review.find("nope")


def test_team_consensus_agreement_against_the_consensus(study):
    from qualcode.team.study import project_agreement

    review = open_review(study)
    for item in review.items:
        settle(study, review, item, FIRST, decided_by="anna")
    result = project_agreement(study, coders=["anna", "consensus"], unit="character")
    assert result.overall.percent == pytest.approx(1.0)
    assert result.overall.kappa == pytest.approx(1.0)


def test_team_consensus_review_opens_again_after_someone_without_codings_settled(study):
    # The one who settles is recorded as a coder (with no coding): the next review still
    # compares the two coders with codings, as `disagreements` does (it raised "no coder 'lead'").
    review = open_review(study)
    settle(study, review, review.items[0], FIRST, decided_by="lead")
    again = open_review(study)
    assert (again.first, again.second) == ("anna", "bram") and again.settled == 1


@pytest.mark.parametrize(("span", "code"), [((5, 10_000), "QC300"), ((-3, 5), "QC223"), ((9, 4), "QC224")])
def test_team_consensus_adjusted_span_outside_the_text_is_refused_and_nothing_decided(study, span, code):
    review = open_review(study)
    before = coded(study, "consensus")
    with pytest.raises(QualcodeError) as caught:
        settle(study, review, review.items[1], ADJUSTED, decided_by="anna", span=span)
    assert caught.value.code == code
    assert coded(study, "consensus") == before and review.decision(review.items[1]) is None


@pytest.mark.parametrize(("code", "expected"), [("nope", "QC102"), ("vertrouw", "QC102")])
def test_team_consensus_adjusted_with_a_code_not_in_the_codebook_is_refused(study, code, expected):
    review = open_review(study)
    before = coded(study, "consensus")
    with pytest.raises(QualcodeError) as caught:
        settle(study, review, review.items[1], ADJUSTED, decided_by="anna", span=at("vertrouw ik"), codes=[code])
    assert caught.value.code == expected and code in caught.value.message
    assert coded(study, "consensus") == before and review.decision(review.items[1]) is None
