"""`export segments --pseudonymise` without a copy: the project read a transcript at a time
(:class:`PseudonymisedStore`) exports exactly what the pseudonymised copy exports (a stub
for deduce). The project has names in the text, at the edges of turns, in a speaker label,
in memos and in attributes; overlapping codings, codings that start or end inside names,
and a transcript that ``apply`` switched already."""

from __future__ import annotations

import io
import random
import re

import pytest
from pseudo_support import StubDetector
from test_pseudonymise_export_names import FLAGS, INTERVIEW, ORIGINALS, accept_all, imported, run

from qualcode.analysis.selection import select
from qualcode.cli import pseudo_cmds
from qualcode.errors import QualcodeError
from qualcode.export import CsvStyle, CsvWriter, export_segments, export_wide
from qualcode.project import Project
from qualcode.pseudonymise.apply import OffsetMapper, Replacement, pseudonymised_copy
from qualcode.pseudonymise.context import KnownNames
from qualcode.pseudonymise.runner import open_key
from qualcode.pseudonymise.stream import PseudonymisedStore

INTERVIEW2 = """\
R: Niemand hier, alleen Den Haag en Jan.
I: En verder?
R: Marieke belde.
"""

INTERVIEW3 = """\
I: Hoe gaat het?
R: Goed, het buurtteam helpt.
"""


def _codings(store, tid, text, *, collapse=False):
    """Whole turns, spans starting or ending inside names or at their edges, overlapping
    ones, and one before any name, each by its own coder (two codings of one code and
    coder falling on one pseudonym are refused: ``collapse`` makes such a pair)."""
    spans = [(u.start, u.end) for u in store.transcripts.turns(tid)] + [(0, 2), (3, 30), (5, 31)]
    for m in re.finditer(r"Jan de Vries|Marieke|Den Haag|Jansen", text):
        a, b = m.start(), m.end()
        spans += [(a, b), (a + 1, b + 4), (max(0, a - 3), b - 1), (a + 2, b - 1), (max(0, a - 8), b + 8)]
    memos = ["Marieke zegt het, en Jan de Vries in Den Haag ook; JAN niet", None, "Noor Hendriks belde", "", "niets"]
    for i, (start, end) in enumerate(sorted(set(spans))):
        end = min(end, len(text))
        if start < end:
            code = "vertrouwen" if i % 2 else "doorverwijzing"
            store.codings.add(tid, start, end, code, f"coder{i}", memo=memos[i % 5] or None)
    if collapse:
        a = text.index("Marieke")
        store.codings.add(tid, a + 1, a + 20, "vertrouwen", "twice")
        store.codings.add(tid, a + 3, a + 20, "vertrouwen", "twice")


def _project(root, monkeypatch, *, collapse=False, texts=None, extra=None):
    """The project of these tests at ``root`` (``texts``: more files to import; ``extra``:
    called with the store before the detection)."""
    project = imported(root, {"vol.md": INTERVIEW, "leeg.txt": INTERVIEW2, "rest.txt": INTERVIEW3, **(texts or {})})
    store = project.store
    for name in store.transcripts.names().values():
        tid = store.transcripts.id_by_name(name)
        _codings(store, tid, store.transcripts.text(tid), collapse=collapse and name == "vol")
        # An attribute that names someone (replaced), one that does not, and a personal one
        # the key has no name for (written as its category).
        values = {"notitie": "gesproken met Marieke", "groep": "a" if name == "vol" else "b"}
        store.transcripts.set_attributes(tid, values | ({"respondent": "Noor Hendriks"} if name == "rest" else {}))
    if extra is not None:
        extra(store)
    project.close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector(FLAGS))
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    if not collapse:
        # Switched before the export: its text stays, its memos and attributes are replaced.
        assert run(root, "pseudonymise", "apply", "leeg").exit_code == 0
    return root


@pytest.fixture
def root(tmp_path, monkeypatch):
    return _project(tmp_path / "studie", monkeypatch)


SELECTIONS = [
    {},
    {"coders": ["coder3", "coder7", "coder12"]},
    {"codes": ["vertrouwen"]},
    {"transcripts": ["leeg"]},
    {"transcripts": ["vol", "rest"]},
    {"where": ["notitie=gesproken met [persoon 2]"]},  # the attribute's pseudonymised value
    {"where": ["respondent=[persoon A]"]},
]


def _export(project, *, wide=False, unit="span", excel=False, **filters):
    out = io.StringIO()
    writer = CsvWriter(out, CsvStyle(excel=excel))
    selection = select(project.store, project.codebook, **filters)
    if wide:
        export_wide(project.store, project.codebook, writer, selection, unit=unit)
    else:
        export_segments(project.store, project.codebook, writer, selection)
    return out.getvalue()


def _both(root):
    """(the copy, the stream) of the project, each a Project to export from."""
    project = Project(root)
    key = open_key(root)
    view = Project(root)
    view.__dict__["store"] = PseudonymisedStore(project.store, key)
    return project, key, view


@pytest.mark.parametrize("filters", SELECTIONS, ids=lambda f: ",".join(f) or "all")
@pytest.mark.parametrize("form", [{}, {"wide": True}, {"wide": True, "unit": "turn"}, {"excel": True}])
def test_stream_exports_what_the_copy_exports(root, form, filters):
    project, key, view = _both(root)
    try:
        with pseudonymised_copy(project, key) as copy:
            expected = _export(copy, **form, **filters)
            reported = copy.pseudonymised.attributes
        got = _export(view, **form, **filters)
    finally:
        key.close()
        project.close()
    assert got == expected
    assert view.store.reported == reported
    assert not ORIGINALS.search(got) and "Noor" not in got
    assert got.count("\n") > 1


def test_stream_cli_output_is_the_copy_export_and_the_notes_come_first(root, tmp_path):
    project, key, _ = _both(root)
    with pseudonymised_copy(project, key) as copy:
        expected = _export(copy, excel=True, wide=True)
    key.close()
    project.close()
    target = tmp_path / "wide.csv"
    r = run(root, "export", "segments", "--pseudonymise", "--wide", "--excel", "-o", str(target))
    assert r.exit_code == 0, r.output
    assert target.read_bytes() == expected.encode("utf-8")
    r = run(root, "export", "segments", "--pseudonymise")
    notes = r.output[: r.output.index("coding_id,")]
    assert "rest: attribute 'respondent' is personal data: exported as its pseudonym" in notes
    assert "vol: attribute 'notitie' is personal data" in notes
    assert "leeg" in r.output and not ORIGINALS.search(r.output[len(notes) :])


def test_stream_moves_codings_across_names_and_keeps_the_switched_transcript(root):
    project, key, view = _both(root)
    try:
        tid = project.store.transcripts.id_by_name("vol")
        stored = {r.id: r for r in project.store.codings.rows(tid)}
        moved = list(view.store.codings.rows(tid))
        text = view.store.transcripts.text(tid)
        assert len(moved) == len(stored)
        assert all(r.quote == text[r.start : r.end] for r in moved)
        assert any((r.start, r.end) != (stored[r.id].start, stored[r.id].end) for r in moved)
        assert [(r.start, r.end, r.code_id, r.coder) for r in moved] == sorted(
            (r.start, r.end, r.code_id, r.coder) for r in moved
        )
        labels = {u.speaker for u in view.store.transcripts.turns(tid)} - {"I", "R"}
        assert len(labels) == 1 and labels.pop().startswith("[persoon ")  # JAN
        leeg = project.store.transcripts.id_by_name("leeg")
        assert view.store.transcripts.text(leeg) == project.store.transcripts.text(leeg)  # applied already
        assert all("Marieke" not in (r.memo or "") for r in view.store.codings.rows(leeg))
        assert view.store.transcripts.attributes(leeg)["notitie"].startswith("gesproken met [persoon")
    finally:
        key.close()
        project.close()


def test_stream_refuses_codings_falling_on_one_span_as_the_copy_does(tmp_path, monkeypatch):
    root = _project(tmp_path / "studie", monkeypatch, collapse=True)
    project, key, view = _both(root)
    try:
        with pytest.raises(QualcodeError) as copied:
            with pseudonymised_copy(project, key):
                pass
        tid = project.store.transcripts.id_by_name("vol")
        readings = [
            lambda f: list(view.store.codings.rows(tid, f)),
            lambda f: list(view.store.codings.span_quotes(tid, f)),
            lambda f: view.store.codings.spans(tid, f),
        ]
        for read in readings:
            for flt in (select(project.store, project.codebook), select(project.store, project.codebook, coders=["coder1"])):
                fresh = PseudonymisedStore(project.store, key)
                with pytest.raises(QualcodeError) as streamed:
                    view.store = fresh
                    read(flt.coding_filter)
                assert str(streamed.value) == str(copied.value)
                assert streamed.value.code == copied.value.code == "QC958"
    finally:
        key.close()
        project.close()
    target = tmp_path / "out.csv"
    r = run(root, "export", "segments", "--pseudonymise", "-o", str(target))
    assert r.exit_code == 1 and "would end up on the same span" in r.output and not target.exists()  # nothing half-written


def test_stream_refuses_unreviewed_candidates_before_any_row(root):
    key = open_key(root)
    key.add_candidates([(1, 0, 1, "person", "-", "deduce")])
    key.close()
    r = run(root, "export", "segments", "--pseudonymise")
    assert r.exit_code == 1
    assert "not reviewed yet" in r.output and "coding_id" not in r.output and "attribute" not in r.output


def test_stream_offers_only_what_an_export_reads(root):
    project, key, view = _both(root)
    try:
        for reading in ("find", "quotes", "listing", "get"):
            with pytest.raises(AttributeError):
                getattr(view.store.codings, reading)
        with pytest.raises(AttributeError):
            view.store.transcripts.load  # noqa: B018
    finally:
        key.close()
        project.close()


def test_offset_mapper_maps_many_spans_as_one_at_a_time():
    rng = random.Random(7)
    for _ in range(200):
        at, reps = 0, []
        for _ in range(rng.randint(0, 6)):
            start = at + rng.randint(0, 5)
            end = start + rng.randint(1, 6)
            reps.append(Replacement(start, end, "x" * rng.randint(1, 9)))
            at = end
        mapper = OffsetMapper(reps)
        spans = [tuple(sorted((rng.randint(0, at + 5), rng.randint(0, at + 5)))) for _ in range(30)]
        moved, inside = mapper.spans(spans)
        assert moved == [(mapper.start(s), mapper.end(e)) for s, e in spans]
        strictly = any(r.start < x < r.end for r in reps for span in spans for x in span)
        assert inside == strictly
        if not inside:  # no two spans change places: an export need not sort them again
            by_position = sorted(range(len(spans)), key=lambda k: spans[k])
            assert [moved[k] for k in by_position] == sorted(moved)
            assert len(set(moved)) == len(set(spans))


def _find_within_at_every_position(names: KnownNames, text: str, stretches):
    """find_within as it tried every position before skipping to where a name can start."""
    pattern = names._compiled()
    out = []
    for at, end in stretches:
        while at < end:
            m = pattern.match(text, at)
            if m is None:
                at += 1
                continue
            if (c := names._candidate(text, m)) is not None:
                out.append(c)
            at = m.end()
    return out


def test_find_within_skips_only_where_no_name_can_start():
    names = KnownNames()
    for name in ("Jan de Vries", "de Boer", "van Dijk", "Özil", "ßtraße", "Ådne", "JAN", "'t Hart"):
        names.add(name, "person")
    rng = random.Random(3)
    words = [
        "Jan",
        "de",
        "De",
        "DE",
        "Vries",
        "boer",
        "Boer",
        "van",
        "VAN",
        "Dijk",
        "ÖZIL",
        "Özil",
        "SStraSSE",
        "ådne",
        "'t",
        "Hart",
        ":",
        "\n",
    ]
    for _ in range(300):
        text = " ".join(rng.choice(words) for _ in range(20))
        cuts = sorted(rng.sample(range(len(text) + 1), 6))
        stretches = list(zip(cuts[::2], cuts[1::2], strict=True))
        assert names.find_within(text, stretches) == _find_within_at_every_position(names, text, stretches)
