"""`suggestions --order score` streamed by the store, and agreement computed code by code:
the same rows, in the same order, as listing everything and sorting it."""

from __future__ import annotations

import random

from click.testing import CliRunner
from test_suggest_support import make_project
from test_team_study import all_spans
from test_team_study import project as project  # noqa: F401 - the team study's fixture

from qualcode.agreement import CHARACTER, Document, compute, document_units
from qualcode.agreement.study import study
from qualcode.cli import main
from qualcode.model import PENDING
from qualcode.suggest.review import by_score, list_suggestions, pending_suggestions, ranked_suggestions
from qualcode.text import sentence_spans


def scored_project(tmp_path):
    """Suggestions on every respondent sentence with tied, missing, zero and negative scores;
    some accepted or rejected, and a coding covering one pending suggestion."""
    project = make_project(tmp_path)
    project.sync_codebook()
    store = project.store
    rng = random.Random(7)
    codes = ["doorverwijzing", "vertrouwen"]
    for tid in sorted(store.transcripts.names()):
        text = store.transcripts.text(tid)
        spans = [s for t in store.transcripts.turns(tid) for s in sentence_spans(text, t.start, t.end)]
        scores = (None, 0.0, -0.25, 0.5, 0.9, 0.5, rng.random())
        proposals = [
            (start, end, code, "rules", scores[(i + j) % len(scores)], "why")
            for i, (start, end) in enumerate(spans)
            for j, code in enumerate(codes)
        ]
        store.suggestions.replace_pending(tid, proposals)
    rows = store.suggestions.find()
    store.suggestions.accept(rows[0].id, "anna")
    store.suggestions.reject(rows[1].id, "anna")
    covered = rows[2]
    store.codings.add(covered.transcript_id, covered.start, covered.end, covered.code_id, "bram")
    return project, covered


def test_review_order_by_score_streamed_equals_sorting_everything(tmp_path):
    project, covered = scored_project(tmp_path)
    store = project.store
    pending = ranked_suggestions(store)
    assert list(pending) == by_score(pending_suggestions(store))
    assert covered.id not in {r.id for r in ranked_suggestions(store)}
    for statuses in (None, ("accepted",), ("rejected",), ("accepted", "rejected")):
        expected = by_score(list_suggestions(store, statuses=statuses))
        assert list(ranked_suggestions(store, statuses=statuses)) == expected
    tid = covered.transcript_id
    only = list(ranked_suggestions(store, transcript_id=tid, code_ids=["vertrouwen"]))
    assert only == by_score([r for r in pending_suggestions(store, tid) if r.code_id == "vertrouwen"])
    assert {r.score for r in pending_suggestions(store)} >= {None, -0.25, 0.5, 0.9}  # missing, negative, tied
    project.close()


def test_review_order_cli_lists_pending_most_likely_first(tmp_path):
    project, _ = scored_project(tmp_path)
    root = project.root
    expected = by_score(pending_suggestions(project.store))
    project.close()
    result = CliRunner().invoke(main, ["--project", str(root), "suggestions", "--order", "score", "--format", "csv"])
    assert result.exit_code == 0, result.output
    ids = [int(line.split(",", 1)[0]) for line in result.output.splitlines()[1:] if line[:1].isdigit()]
    assert ids == [r.id for r in expected] and len(ids) > 8
    assert PENDING in result.output


def test_review_order_agreement_rows_come_code_by_code(project):  # noqa: F811
    spans = all_spans(project)
    store = project.store
    units = {tid: store.transcripts.turns(tid) for tid in store.transcripts.names()}
    texts = {tid: store.transcripts.text(tid) for tid in store.transcripts.names()}
    documents = [
        Document(tid, name, document_units(texts[tid], units[tid], CHARACTER)) for tid, name in store.transcripts.names().items()
    ]
    coders = ["anna", "bram"]
    expected = compute(spans, documents, coders, unit=CHARACTER)
    read: list[str] = []

    def code_spans(code):
        read.append(code)
        return sorted((s.transcript, s.start, s.end, s.coder) for s in spans if s.code == code)

    coded_by: dict[int, set[int]] = {}
    for s in spans:
        if s.coder in coders:
            coded_by.setdefault(s.transcript, set()).add(coders.index(s.coder))
    result, rows = study(
        documents,
        coders,
        coded_by,
        {s.code for s in spans if s.coder in coders},
        lambda counted: ((d.id, d.units) for d in counted),
        code_spans,
        unit=CHARACTER,
    )
    assert result.unit_total == expected.unit_total and result.statement() == expected.statement()
    first = next(rows)
    assert read == [first.code]  # the first row needed only its own code's codings
    assert [first, *rows] == expected.rows and read == expected.codes
