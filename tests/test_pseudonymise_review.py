"""Review decisions and applying pseudonyms: the key, every occurrence, undo, exact offsets."""

from __future__ import annotations

import pytest
from pseudo_support import StubDetector, make_pseudo_project

from qualcode.errors import QualcodeError
from qualcode.model import ACCEPTED, PENDING, REJECTED
from qualcode.pseudonymise import apply as ap
from qualcode.pseudonymise import review
from qualcode.pseudonymise.report import build_report
from qualcode.pseudonymise.runner import open_key, run_detection
from qualcode.store.key import KEY_NAME

STUB = StubDetector({"Hatice Yilmaz": "person", "Marieke": "person", "06-12345678": "phone"})


@pytest.fixture
def project(tmp_path):
    p = make_pseudo_project(tmp_path / "studie")
    yield p
    p.close()


@pytest.fixture
def key(project):
    k = open_key(project.root)
    yield k
    k.close()


def tid(project, name):
    return project.store.transcripts.id_by_name(name)


def cand(key, text, transcript_id=None):
    return next(c for c in key.candidates(transcript_id) if c.text == text)


def test_review_detect_stores_candidates_in_the_key_not_in_the_project(project, key):
    summary = run_detection(project, STUB)
    assert summary.new["int1"] > 0 and (project.root / KEY_NAME).exists()
    texts = {(c.category, c.text) for c in key.candidates()}
    assert {("person", "Hatice Yilmaz"), ("person", "Marieke"), ("phone", "06-12345678"), ("place", "Overvecht")} <= texts
    assert ("person", "Noor") not in texts  # front matter is no text; she is not named in it
    assert not any("Veilig" in t for _, t in texts)  # a codebook keyword
    assert all(c.status == PENDING for c in key.candidates())


def test_review_accept_gives_a_stable_pseudonym_to_every_occurrence_and_name_part(project, key):
    run_detection(project, STUB)
    d = review.accept(project.store, key, cand(key, "Hatice Yilmaz").id, "anna")
    assert d.entity.pseudonym == "[persoon 1]"
    accepted = {(c.transcript_id, c.text) for c in key.candidates(statuses=[ACCEPTED])}
    # "Hatice" alone, in both transcripts and in capitals, is the same person.
    assert (tid(project, "int1"), "Hatice") in accepted and (tid(project, "int2"), "HATICE") in accepted
    hatice = cand(key, "Hatice", tid(project, "int1"))
    review.accept(project.store, key, hatice.id, "anna") if hatice.status == PENDING else None
    assert key.entity(cand(key, "Hatice", tid(project, "int1")).entity_id).pseudonym == "[persoon 1]"
    d2 = review.accept(project.store, key, cand(key, "Marieke").id, "anna")
    assert d2.entity.pseudonym == "[persoon 2]" and d2.also >= 1  # "Marieke's" too


def test_review_reject_stays_and_is_not_proposed_again(project, key):
    run_detection(project, STUB)
    over = cand(key, "Overvecht", tid(project, "int1"))
    review.reject(project.store, key, over.id, "anna")
    run_detection(project, STUB)
    again = [c for c in key.candidates(tid(project, "int1")) if c.text == "Overvecht"]
    assert [c.status for c in again] == [REJECTED]


def test_review_undo_restores_exactly_the_state_before(project, key):
    run_detection(project, STUB)
    before = [(c.id, c.status, c.entity_id) for c in key.candidates()]
    review.accept(project.store, key, cand(key, "Hatice Yilmaz").id, "anna")
    review.never(project.store, key, "Overvecht", "anna")
    assert review.undo(key) == "never"
    assert review.undo(key) == "accept"
    assert [(c.id, c.status, c.entity_id) for c in key.candidates()] == before
    assert key.entities() == [] and key.words() == []
    with pytest.raises(QualcodeError) as exc:
        review.undo(key)
    assert exc.value.code == "QC961"


def test_review_always_and_never_hold_for_later_runs(project, key):
    run_detection(project, STUB)
    review.never(project.store, key, "Overvecht", "anna")
    review.always(project.store, key, "Al Amal", "organisation", "anna")
    run_detection(project, STUB)
    assert all(c.status == REJECTED for c in key.candidates() if c.text == "Overvecht")
    amal = [c for c in key.candidates() if c.text == "Al Amal"]
    assert amal and all(c.status == ACCEPTED for c in amal)


def test_review_add_change_category_span_and_own_pseudonym(project, key):
    run_detection(project, STUB)
    int1 = tid(project, "int1")
    d = review.add(project.store, key, int1, "anna", category="organisation", text="buurtteam", pseudonym="[het team]")
    assert d.entity.pseudonym == "[het team]"
    text = project.store.transcripts.text(int1)
    c = cand(key, "Marieke", int1)
    start = text.index("Marieke van het")
    d = review.accept(project.store, key, c.id, "anna", span=(start, start + len("Marieke van het buurtteam")), category="person")
    assert key.candidate(c.id).text == "Marieke van het buurtteam"
    with pytest.raises(QualcodeError) as exc:
        review.accept(project.store, key, cand(key, "06-12345678").id, "anna", category="telefoon")
    assert exc.value.code == "QC951"
    with pytest.raises(QualcodeError) as exc:
        review.add(project.store, key, int1, "anna", category="person", text="Nergens")
    assert exc.value.code == "QC955"


def _accept_all(project, key):
    for c in key.candidates(statuses=[PENDING]):
        if key.candidate(c.id).status == PENDING:
            review.accept(project.store, key, c.id, "anna")


def test_apply_moves_every_coding_and_suggestion_exactly(project, key):
    store = project.store
    int1 = tid(project, "int1")
    text = store.transcripts.text(int1)
    s = text.index("Via Hatice")
    whole = store.codings.add(int1, s, text.index("ook.") + 4, "doorverwijzing", "anna", memo="Hatice belde zelf").coding
    at = text.index("atice Yilmaz")
    inside = store.codings.add(int1, at, at + 3, "vertrouwen", "anna").coding
    after = store.codings.add(int1, text.index("Daarna"), text.index("Daarna") + 6, "vertrouwen", "anna").coding
    store.suggestions.replace_pending(int1, [(text.index("Bel"), text.index("Bel") + 3, "vertrouwen", "rules", 1.0, "x")])
    run_detection(project, STUB)
    _accept_all(project, key)
    result = ap.apply(store, key, replace_memos=True)
    new = store.transcripts.text(int1)
    assert "Hatice" not in new and "Marieke" not in new and "06-12345678" not in new
    hatice = key.find_entity("person", "Hatice Yilmaz").pseudonym
    marieke = key.find_entity("person", "Marieke").pseudonym
    assert f"Via {hatice}. {hatice} belde {marieke} van het buurtteam. {marieke}'s collega" in new
    got = {c.id: c for c in store.codings.find(transcript_id=int1)}
    assert len(got) == 3 and result.codings_moved >= 2
    assert got[whole.id].quote.startswith(f"Via {hatice}.") and got[whole.id].quote.endswith("collega ook.")
    assert got[inside.id].quote == hatice  # began inside the name: covers the pseudonym
    assert got[after.id].quote == "Daarna"
    assert got[whole.id].memo == f"{hatice} belde zelf"
    (sugg,) = store.suggestions.find(int1)
    assert new[sugg.start : sugg.end] == "Bel"
    assert result.memos and result.attributes  # "interviewer: Noor Hendriks" is reported
    # the original is kept aside in the key, and comes back exactly
    ap.restore(store, key, int1)
    assert store.transcripts.text(int1) == text
    assert store.codings.find(transcript_id=int1)[0].quote == whole.quote


def test_apply_refuses_while_candidates_are_unreviewed(project, key):
    run_detection(project, STUB)
    text = project.store.transcripts.text(tid(project, "int1"))
    with pytest.raises(QualcodeError) as exc:
        ap.apply(project.store, key)
    assert exc.value.code == "QC957"
    assert project.store.transcripts.text(tid(project, "int1")) == text  # nothing half-written


def test_apply_then_decisions_on_that_transcript_are_refused(project, key):
    run_detection(project, STUB)
    _accept_all(project, key)
    ap.apply(project.store, key)
    assert review.applied_ids(project.store, key) == {tid(project, "int1"), tid(project, "int2")}
    with pytest.raises(QualcodeError) as exc:
        review.reject(project.store, key, key.candidates()[0].id, "anna")
    assert exc.value.code == "QC956"


def test_report_counts_and_a_dmp_list_without_originals(project, key):
    run_detection(project, STUB)
    review.accept(project.store, key, cand(key, "Hatice Yilmaz").id, "anna")
    r = build_report(project.store, key)
    assert r.unreviewed["int1"] > 0
    person = next(c for c in r.counts if c.transcript == "int1" and c.category == "person")
    assert person.accepted >= 3
    (row,) = [d for d in r.dmp if d.pseudonym == "[persoon 1]"]
    assert row.transcripts == ["int1", "int2"] and row.occurrences >= 4
    assert "Hatice" not in repr(r.dmp)


def test_offset_mapper_maps_starts_and_ends_around_replacements():
    m = ap.OffsetMapper([ap.Replacement(4, 10, "[p 1]"), ap.Replacement(20, 22, "[plaats 1]")])
    assert (m.start(0), m.end(4)) == (0, 4)
    assert (m.start(4), m.end(10)) == (4, 9)
    assert (m.start(6), m.end(7)) == (4, 9)  # inside the name: the whole pseudonym
    assert m.start(12) == 11 and m.end(22) == 29 and m.start(25) == 32


def test_review_a_decision_on_a_candidate_gone_meanwhile_is_a_clear_error_and_writes_nothing(project, key):
    from qualcode.store.key import CandidateChange

    run_detection(project, STUB)
    c = cand(key, "Marieke")
    gone = CandidateChange(c.id + 10_000, c.transcript_id, c.start, c.end, c.category, c.text, c.source, ACCEPTED, None)
    other = cand(key, "06-12345678")
    first = CandidateChange(other.id, other.transcript_id, other.start, other.end, other.category, other.text,
                            other.source, REJECTED, None)  # fmt: skip
    with pytest.raises(QualcodeError) as info:
        key.decide("reject", [first, gone], by="anna")
    assert info.value.code == "QC953"
    assert cand(key, "06-12345678").status == PENDING  # the whole decision was rolled back


def _named_draft(project, key):
    """A coding whose memo draft names Hatice Yilmaz, with every candidate accepted."""
    store = project.store
    int1 = tid(project, "int1")
    text = store.transcripts.text(int1)
    coding = store.codings.add(int1, text.index("Daarna"), text.index("Daarna") + 6, "vertrouwen", "anna").coding
    store.codings.keep_draft(coding.id, "Hatice Yilmaz belde terug")
    run_detection(project, STUB)
    _accept_all(project, key)
    return store, coding


def test_apply_replaces_names_in_a_memo_still_being_written(project, key):
    """A memo's draft (kept while the researcher types, see the memo modal) is a memo too:
    a pseudonymised project kept it with the name in it."""
    store, coding = _named_draft(project, key)
    result = ap.apply(store, key, replace_memos=True)
    hatice = key.find_entity("person", "Hatice Yilmaz").pseudonym
    assert store.codings.draft(coding.id)[0] == f"{hatice} belde terug"
    assert any(cid == coding.id for _, cid, _ in result.memos)  # reported with the memos


def test_apply_reports_a_named_draft_it_was_not_asked_to_replace(project, key):
    store, coding = _named_draft(project, key)
    result = ap.apply(store, key)
    assert store.codings.draft(coding.id)[0] == "Hatice Yilmaz belde terug"  # as memos are: reported, left
    assert [(cid, names) for _, cid, names in result.memos if cid == coding.id] == [(coding.id, ["Hatice Yilmaz"])]
