"""`suggestions --order score` streamed by the store, and agreement read in passes:
the same rows, in the same order, as listing everything and sorting it."""

from __future__ import annotations

import io
import random

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from test_suggest_support import make_project
from test_team_study import all_spans
from test_team_study import project as project  # noqa: F401 - the team study's fixture

from qualcode.agreement import CHARACTER, SEGMENT, SENTENCE, TURN, CodedSpan, Document, compute, document_units
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
    read: list[list[str]] = []

    def document_spans(counted, codes):
        read.append(list(codes))
        return ([(s.code, s.start, s.end, s.coder) for s in spans if s.transcript == d.id and s.code in codes] for d in counted)

    coded_by: dict[int, set[int]] = {}
    for s in spans:
        if s.coder in coders:
            coded_by.setdefault(s.transcript, set()).add(coders.index(s.coder))
    result, rows = study(
        documents,
        coders,
        coded_by,
        {s.code for s in spans if s.coder in coders},
        lambda counted: (([a for a, _ in d.units], [b for _, b in d.units]) for d in counted),
        document_spans,
        unit=CHARACTER,
    )
    assert result.unit_total == expected.unit_total and result.statement() == expected.statement()
    first = next(rows)
    assert read == [[first.code]]  # the first row needed only its own code's codings
    assert [first, *rows] == expected.rows and read == [[first.code], expected.codes]


def table_text(result, exact: bool, codings: int = 0) -> str:
    from qualcode.cli.table import SAMPLE, streamed
    from qualcode.cli.team_cmds import agreement_columns, agreement_rows, table_widths

    columns = agreement_columns(result)
    widths = table_widths(result, columns, lambda: codings) if exact else None
    assert widths is not None or not exact
    out = io.StringIO()
    right = [c for c in columns if c not in ("scope", "code", "transcript")]
    streamed(out, agreement_rows(result, iter(result.rows), "table"), columns, None, right, widths or {}, 0 if exact else SAMPLE)
    return out.getvalue()


@pytest.mark.parametrize("documents", [1, 3, 196, 197, 198, 260])
@pytest.mark.parametrize("unit", [CHARACTER, SENTENCE, TURN, SEGMENT])
def test_review_order_agreement_table_widths_known_before_any_figure(documents, unit):
    """The widths given up front are those the first rows would give, whether the sample
    ends among the codes, the transcripts or after the overall row, and whatever comes later."""
    rng = random.Random(documents)
    codes = ["a", "code_met_een_lange_naam", "b\tc"]
    docs, spans = [], []
    for d in range(documents + 1):  # the last one coded by one coder only: left out
        # Later transcripts are longer and have longer names: a row read beyond the
        # first ones would widen a column.
        size = 10 ** (1 + d // 40)
        units = [(0, size)] if unit == CHARACTER else [(i * 10, i * 10 + 5) for i in range(d // 10 * 20 + rng.randrange(5))]
        docs.append(Document(d, f"interview_{d:03}" + "x" * (d // 50), units))
        for coder in ("anna", "bram", "chen")[: rng.randrange(2, 4) if d < documents else 1]:
            for _ in range(rng.randrange(1, 4)):
                start = rng.randrange(0, 300)
                spans.append(CodedSpan(d, start, start + rng.randrange(1, 50), rng.choice(codes), coder))
    for coders in (["anna", "bram"], ["anna", "bram", "chen"])[: 1 if unit == SEGMENT else 2]:
        result = compute(spans, docs, coders, unit=unit)
        assert table_text(result, exact=True, codings=len(spans)) == table_text(result, exact=False)
    only_a = compute(spans, docs, ["anna", "bram"], unit=unit, codes=["a"])
    assert table_text(only_a, exact=True, codings=len(spans)) == table_text(only_a, exact=False)
    assert table_text(only_a, exact=False).count("\n") > 2


def test_review_order_agreement_segment_widths_measured_when_counts_could_outgrow_a_heading():
    """A segment count is at most the project's codings: with more codings than a count
    heading has characters, the widths are measured from the first rows instead."""
    from qualcode.cli.team_cmds import agreement_columns, table_widths

    spans = [CodedSpan(1, 0, 5, "a", "x"), CodedSpan(1, 0, 5, "a", "y")]
    result = compute(spans, [Document(1, "t", [])], ["x", "y"], unit=SEGMENT)
    columns = agreement_columns(result)  # the shortest count heading: "x_matched", 9 characters
    assert table_widths(result, columns, lambda: 999_999_999) is not None
    assert table_widths(result, columns, lambda: 1_000_000_000) is None


_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(st.characters(), max_size=8)
)  # text of any character: line and paragraph separators, quotes, control characters


@given(
    st.dictionaries(st.text(max_size=5), st.one_of(_scalars, st.lists(_scalars, max_size=3)), max_size=4),
    st.lists(st.dictionaries(st.text(max_size=5), _scalars, max_size=4), max_size=4),
)
def test_review_order_json_written_item_by_item_is_the_json_written_at_once(head, items):
    from qualcode.cli.render import write_json, write_json_streamed

    head.pop("rows", None)
    at_once, streamed = io.StringIO(), io.StringIO()
    write_json(at_once, {**head, "rows": items})
    write_json_streamed(streamed, head, "rows", iter(items))
    assert streamed.getvalue() == at_once.getvalue()


def test_review_order_agreement_json_rows_written_as_they_are_computed(project):  # noqa: F811
    """The JSON listing has its first row out before the second is computed (not for the
    segment unit, whose statement needs every row), and equals the whole result."""
    import json

    from qualcode.cli.team_cmds import agreement_columns, agreement_rows
    from qualcode.team.study import agreement_stream, project_agreement

    result, rows = agreement_stream(project, coders=["anna", "bram"], unit=CHARACTER)
    seen: list[str] = []

    class Stream(io.StringIO):
        def flush(self) -> None:
            seen.append(self.getvalue())

    from qualcode.cli.render import write_json_streamed

    out = Stream()
    columns = agreement_columns(result)
    write_json_streamed(
        out, {"unit": result.unit}, "rows", (dict(zip(columns, r, strict=True)) for r in agreement_rows(result, rows, "json"))
    )
    whole = project_agreement(project, coders=["anna", "bram"], unit=CHARACTER)
    assert json.loads(out.getvalue())["rows"] == [
        dict(zip(columns, r, strict=True)) for r in agreement_rows(whole, whole.rows, "json")
    ]
    assert len(seen) == len(whole.rows) > 2 and json.loads(seen[0] + "\n  ]\n}")["rows"][0]["code"] == whole.codes[0]
