"""Property-based round trips of the REFI-QDA exchange with arbitrary Unicode (hypothesis).

* the XML writer: any text or attribute value comes back from qualcode's reader as
  itself, less only the characters XML 1.0 cannot hold;
* .qdc: a codebook with arbitrary names and definitions exports and imports back
  to the same codes;
* .qdpx: a project with an arbitrary transcript text and arbitrary memos either
  exports and imports back to the same text and codings, or (a text qualcode's
  importer would refuse) is refused at export with QC441 and nothing is written.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qualcode.codebook import Code, Codebook
from qualcode.errors import QualcodeError, Report
from qualcode.ingest import decode, normalise
from qualcode.model import Transcript
from qualcode.project import Project
from qualcode.refi.codebook_xml import codebook_to_qdc, read_qdc, to_codebook
from qualcode.refi.describe import fold, unfold
from qualcode.refi.project_export import export_qdpx
from qualcode.refi.project_import import import_qdpx
from qualcode.refi.xmlsafe import parse_xml
from qualcode.refi.xmlwrite import XmlWriter, xml_safe

# Every code point, surrogates included (they can reach the writer from a decoded file name or a bug).
ANY_TEXT = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)
# What SQLite (and so the store) can hold: no lone surrogates.
STORABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
# A transcript text: no NUL either (SQLite's length() stops at one, so the store would
# misjudge spans; a text with NUL is refused by the export: test_refi_fidelity).
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=80)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _expected(value: str) -> str:
    return xml_safe(value)[0]


@settings(max_examples=500, deadline=None)
@given(text=ANY_TEXT, attribute=ANY_TEXT)
def test_refi_property_xml_writer_gives_back_any_text_less_what_xml_forbids(text, attribute):
    out = io.BytesIO()
    stripped = []
    writer = XmlWriter(out, on_strip=lambda where, n: stripped.append((where, n)))
    writer.start("Root", {"a": attribute}, where="attribute")
    writer.leaf("Text", text=text, where="text")
    writer.end("Root")
    writer.close()
    root = parse_xml(out.getvalue(), "x.xml")
    assert root.get("a") == _expected(attribute)
    node = root.find("Text")
    assert (node.text if node is not None else "") == _expected(text)
    assert sum(n for _, n in stripped) == xml_safe(text)[1] + xml_safe(attribute)[1]


NAME = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30).filter(
    lambda s: _expected(s).strip()
)


@st.composite
def codebooks(draw) -> Codebook:
    n = draw(st.integers(min_value=1, max_value=6))
    codes = []
    for i in range(n):
        code = Code(
            id=f"c{i}",
            name=draw(NAME),
            description=draw(STORABLE),
            key=draw(st.sampled_from([None, "a", "b", "7"])) if i < 1 else None,
        )
        if codes and draw(st.booleans()):
            codes[-1].children.append(code)
        else:
            codes.append(code)
    return Codebook(title="t", codes=codes, language="nl")


@settings(max_examples=200, deadline=None)
@given(book=codebooks())
def test_refi_property_qdc_round_trip_keeps_ids_keys_names_and_definitions(book):
    data = codebook_to_qdc(book, colors=set())
    back = to_codebook(read_qdc(data, "cb.qdc", Report()), title="t", report=Report())
    assert [c.id for c in back.walk()] == [c.id for c in book.walk()]
    assert [c.key for c in back.walk()] == [c.key for c in book.walk()]
    assert [c.parent_id for c in back.walk()] == [c.parent_id for c in book.walk()]
    assert [c.name for c in back.walk()] == [_expected(c.name).strip() for c in book.walk()]
    for original, read in zip(book.walk(), back.walk(), strict=True):
        # The definition comes back as unfold reads the folded text (XML-safe, newlines normalised).
        expected = unfold(_expected(fold(original.description, [], [], [], language="nl")))
        assert (read.description, read.include, read.exclude, read.examples) == (
            expected.description,
            expected.include,
            expected.exclude,
            expected.examples,
        )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp("props")


_COUNTER = iter(range(10**9))


def _project(root, codebook: str | None) -> Project:
    project = Project.init(root / f"p{next(_COUNTER)}")
    if codebook is not None:
        (project.root / "codebooks" / "codebook.yaml").write_text(codebook, encoding="utf-8")
    project.sync_codebook()
    return project


CODEBOOK = "title: t\ncodes:\n  - id: a\n    name: A\n  - id: b\n    name: B\n"


@SLOW
@given(
    text=TEXT.map(normalise).filter(lambda t: t.strip()),
    memos=st.lists(STORABLE, min_size=1, max_size=4),
    data=st.data(),
)
def test_refi_property_qdpx_round_trip_or_a_clear_refusal(workdir, text, memos, data):
    project = _project(workdir, CODEBOOK)
    tid = project.store.transcripts.add(Transcript(name="t", text=text, turns=[]))
    spans = set()
    for memo in memos:
        start = data.draw(st.integers(0, len(text) - 1))
        end = data.draw(st.integers(start + 1, len(text)))
        code = data.draw(st.sampled_from(["a", "b"]))
        if (start, end, code) in spans:
            continue
        spans.add((start, end, code))
        project.store.codings.add(tid, start, end, code, "anna", memo=memo or None)
    path = workdir / f"x{next(_COUNTER)}.qdpx"
    try:
        decode(text.encode("utf-8"), workdir / "t.txt")
        importable = True
    except QualcodeError:
        importable = False
    if not importable:
        with pytest.raises(QualcodeError) as caught:
            export_qdpx(project, path, user="anna")
        assert caught.value.code == "QC441" and not path.exists()
        return
    export_qdpx(project, path, user="anna")
    with zipfile.ZipFile(path) as archive:
        parse_xml(archive.read("project.qde"), "project.qde")  # well-formed whatever the memos held
    target = _project(workdir, None)
    import_qdpx(target, path, default_coder="x")
    (back_id,) = target.store.transcripts.names()
    assert target.store.transcripts.text(back_id) == text
    before = sorted(
        (c.start, c.end, c.code_id, c.coder, _expected(c.memo or "").strip() or None) for c in project.store.codings.find()
    )
    after = sorted((c.start, c.end, c.code_id, c.coder, c.memo) for c in target.store.codings.find())
    assert after == before


def test_refi_property_xml_attribute_fast_check_never_skips_work():
    # XmlWriter.attr_value passes printable text without markup characters untouched;
    # no code point may be printable, not markup, and yet need escaping or stripping.
    from qualcode.refi.xmlwrite import _ATTR_WORK

    needing_work = [
        hex(cp) for cp in range(0x110000) if chr(cp).isprintable() and chr(cp) not in '&<>"' and _ATTR_WORK.search(chr(cp))
    ]
    assert needing_work == []
