"""`export qdpx --pseudonymise` without a copy: the project read a transcript at a time
(:class:`PseudonymisedStore`) writes the .qdpx the pseudonymised copy writes, member by
member, byte for byte (the clock stopped: the copy dates what it rewrites when it
rewrites it, the stream when the export starts). The project of the segments stream tests
(names in the text, at the edges of turns, in a speaker label, in memos and attributes;
overlapping codings, codings across a name's edge, a transcript ``apply`` switched
already), with a transcript holding emoji (UTF-16 positions) and identities an import
keeps (a selection of two codings, a source's creator, a source without text, a set)."""

from __future__ import annotations

import sys
import zipfile

import pytest
from test_pseudonymise_export_names import ORIGINALS, run
from test_pseudonymise_stream import _both, _project

from qualcode.errors import QualcodeError
from qualcode.project import Project
from qualcode.pseudonymise import stream
from qualcode.pseudonymise.apply import pseudonymised_copy
from qualcode.pseudonymise.runner import open_key
from qualcode.refi.archive import DeflatingZip
from qualcode.refi.project_export import export_qdpx
from qualcode.store import EmptySource, Store
from qualcode.store import db as store_db
from qualcode.store.types import DocumentSet

STOPPED = "2026-03-04T05:06:07+00:00"  # the clock, stopped
EMOJI = "R: Marieke 😀 zei het 👍, Jan ook.\nI: En in Den Haag 🙂?\nR: Ja, Den Haag. Jansen 😀 ook.\n"
SELECTION = "a1b2c3d4-0000-4000-8000-00000000000{}"


def _identities(store: Store) -> None:
    """What an import keeps: one selection of two codings (across a name, with a memo that
    names someone), who made a source and when, a source without text, a set of documents."""
    tid = store.transcripts.id_by_name("vol")
    text = store.transcripts.text(tid)
    a = text.index("Marieke")
    span = (a - 4, a + 12)
    for code, coder in (("vertrouwen", "imp1"), ("doorverwijzing", "imp2")):
        store.codings.add(tid, *span, code, coder, memo="Marieke belde")
    store.coders.ensure("imp1", SELECTION.format(9))
    store.exchange.keep_coding_identities(
        [(tid, *span, "vertrouwen", "imp1", SELECTION.format(1), SELECTION.format(2), "imp1")]
        + [(tid, *span, "doorverwijzing", "imp2", SELECTION.format(1), SELECTION.format(3), "imp1")]
    )
    store.exchange.keep_transcript_identity(tid, "2024-05-01T10:00:00+00:00", "imp1")
    # Its case's values name someone: an export pseudonymises them as a transcript's.
    values = {"interviewer": "Noor Hendriks", "opmerking": "gesprek met Marieke"}
    store.exchange.keep_empty_source(
        EmptySource(SELECTION.format(4), "leeg bestand", "2024-05-01T10:00:00+00:00", "imp2", values)
    )
    store.exchange.keep_document_set(DocumentSet(SELECTION.format(5), "set", "een set", [SELECTION.format(4)]))


@pytest.fixture
def root(tmp_path, monkeypatch):
    return _project(tmp_path / "studie", monkeypatch, texts={"emoji.txt": EMOJI}, extra=_identities)


@pytest.fixture
def stopped(monkeypatch):
    """Every ``now`` of qualcode's gives :data:`STOPPED`. Ask for it before the project's
    fixture: a project made before the clock stopped holds times later than STOPPED, and a
    copy that stamps moved codings with it then reads an older last change than the stream
    (which assumes, as is true outside tests, that the stamp is the latest time there is):
    the two exports differed whenever making the project crossed a second."""
    clock = store_db.now
    for name, module in list(sys.modules.items()):
        if name.startswith("qualcode") and getattr(module, "now", None) is clock:
            monkeypatch.setattr(module, "now", lambda: STOPPED)


def _members(path) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as z:
        return [(n, z.read(n)) for n in z.namelist()]


def _by_copy(root, target, positions="codepoints"):
    project = Project(root)
    key = open_key(root)
    try:
        with pseudonymised_copy(project, key) as copy:
            export_qdpx(copy, target, positions=positions, user="anna")
    finally:
        key.close()
        project.close()
    return _members(target)


def _leaks(members) -> dict[str, list[str]]:
    found = {}
    for name, data in members:
        text = data.decode("utf-8")
        hits = ORIGINALS.findall(text) + [w for w in ("Noor", "Hendriks") if w in text]
        if hits:
            found[name] = hits
    return found


@pytest.mark.parametrize("positions", ["codepoints", "utf16"])
def test_stream_writes_the_qdpx_the_copy_writes(stopped, root, tmp_path, positions):
    expected = _by_copy(root, tmp_path / "copy.qdpx", positions)
    project, key, view = _both(root)
    try:
        result = export_qdpx(view, tmp_path / "stream.qdpx", positions=positions, user="anna")
        plain = export_qdpx(project, tmp_path / "plain.qdpx", positions=positions, user="anna")
    finally:
        key.close()
        project.close()
    got = _members(tmp_path / "stream.qdpx")
    assert [n for n, _ in got] == [n for n, _ in expected]
    for (name, data), (_, want) in zip(got, expected, strict=True):
        assert data == want, name
    assert _leaks(got) == {}
    assert _leaks(_members(tmp_path / "plain.qdpx"))  # the names were there to replace
    assert result.codings == plain.codings and result.memos == plain.memos and result.transcripts == 4
    qde = dict(got)["project.qde"].decode("utf-8")
    assert 'modifiedDateTime="2026-03-04T05:06:07Z"' in qde  # dated as the copy dates what it rewrites
    assert SELECTION.format(1) in qde and "[persoon" in qde
    assert f'<SourceRef targetGUID="{SELECTION.format(4)}"' in qde  # the empty source's case, its values pseudonymised
    # The sources are those of the new texts (their GUIDs derived from them), not the old.
    assert {n for n, _ in got if n.startswith("sources/")} != {n for n, _ in _members(tmp_path / "plain.qdpx")}


def test_stream_looks_for_the_names_once_per_text_as_its_source_is_written(root, tmp_path, monkeypatch):
    looked: list[int] = []
    written: list[tuple[str, int]] = []  # (member, transcripts looked at by then)
    find, writestr = stream.find_replacements, DeflatingZip.writestr

    def counted(tid, *args):
        looked.append(tid)
        return find(tid, *args)

    def noted(self, name, data):
        written.append((name, len(looked)))
        return writestr(self, name, data)

    monkeypatch.setattr(stream, "find_replacements", counted)
    monkeypatch.setattr(DeflatingZip, "writestr", noted)
    project, key, view = _both(root)
    try:
        export_qdpx(view, tmp_path / "stream.qdpx", user="anna")
        names = project.store.transcripts.names()
        applied = project.store.transcripts.id_by_name("leeg")
    finally:
        key.close()
        project.close()
    assert sorted(looked) == sorted(set(names) - {applied})  # once each; the applied one has none to look for
    # Each text is read as its source is written, not all of them first (first output comes early).
    expected, seen = [], 0
    for tid in names:  # by name, as the sources are written
        seen += tid != applied
        expected.append(seen)
    assert [seen for name, seen in written if name.startswith("sources/")] == [*expected, seen]  # and the empty source


def test_cli_qdpx_pseudonymise_streams_and_writes_what_the_copy_writes(stopped, root, tmp_path, monkeypatch):
    expected = _by_copy(root, tmp_path / "copy.qdpx")

    def no_copy(*args, **kwargs):
        raise AssertionError("export qdpx --pseudonymise made a copy of the project")

    monkeypatch.setattr(Store, "scratch_copy", no_copy)
    target = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 0, r.output
    assert _members(target) == expected
    assert "rest: attribute 'respondent' is personal data: exported as its pseudonym" in r.output
    assert "wrote" in r.output and not ORIGINALS.search(r.output.split("wrote", 1)[1])


def test_cli_qdpx_refuses_codings_falling_on_one_span_as_the_copy_does(tmp_path, monkeypatch):
    root = _project(tmp_path / "studie", monkeypatch, collapse=True)
    project = Project(root)
    key = open_key(root)
    try:
        with pytest.raises(QualcodeError) as copied:
            with pseudonymised_copy(project, key):
                pass
    finally:
        key.close()
        project.close()
    target = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 1
    assert str(copied.value) in r.output and copied.value.code == "QC958"
    assert not target.exists() and list(tmp_path.iterdir()) == [root]  # nothing half-written


def test_cli_qdpx_refuses_unreviewed_candidates_before_writing(root, tmp_path):
    key = open_key(root)
    key.add_candidates([(1, 0, 1, "person", "-", "deduce")])
    key.close()
    target = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 1 and "not reviewed yet" in r.output
    assert not target.exists() and "attribute" not in r.output


def test_stream_offers_only_what_the_qdpx_export_reads(root):
    project, key, view = _both(root)
    try:
        for reading in ("keep_coding_identities", "keep_document_set", "keep_empty_source"):
            with pytest.raises(AttributeError):
                getattr(view.store.exchange, reading)
        for reading in ("load", "text_and_turns", "replace_content"):
            with pytest.raises(AttributeError):
                getattr(view.store.transcripts, reading)
        with pytest.raises(AttributeError):
            view.store.coders.ensure  # noqa: B018
        ref = view.store.transcripts.refs()[0]
        with pytest.raises(AttributeError):
            ref.text  # noqa: B018
    finally:
        key.close()
        project.close()
