"""A project import streams its sources (two passes over project.qde, one source at a
time): what it stores, warns and refuses must be what reading the whole file at once gave."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from test_refi_support import SMALL_CODEBOOK, make_qdpx, new_project

from qualcode.errors import QualcodeError
from qualcode.refi import xmlsafe
from qualcode.refi.project_import import import_qdpx
from qualcode.refi.xmlsafe import DETACH, HOLLOW, Shape, StopReading, parse_xml, read_xml

TEXT = "Eerste zin hier. Tweede zin daar. Derde zin."
CODE_X = "c0000001-0000-4000-8000-000000000001"
CODE_Y = "c0000002-0000-4000-8000-000000000002"
ANNA = "0000000a-0000-4000-8000-00000000000a"


def _selection(n: int, start: int, end: int, code: str, memo: str | None) -> str:
    described = f"<Description>{memo}</Description>" if memo else ""
    return (
        f'<PlainTextSelection guid="5e000000-0000-4000-8000-{n:012d}" startPosition="{start}" endPosition="{end}"'
        f' creatingUser="{ANNA}">{described}<Coding guid="d0000000-0000-4000-8000-{n:012d}" creatingUser="{ANNA}">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def _source(n: int, name: str, selections: str, text: str = TEXT) -> str:
    return (
        f'<TextSource guid="aaaaaaaa-0000-4000-8000-{n:012d}" name="{name}"><PlainTextContent>{text}</PlainTextContent>'
        f"{selections}</TextSource>"
    )


def twins_qde(extra: str = "") -> str:
    """Three sources with one text: their codings are joined on one transcript, memos too."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Tweelingen" origin="Hand made 1.0">
  <Users><User guid="{ANNA}" name="Anna"/></Users>
  <CodeBook><Codes>
    <Code guid="{CODE_X}" name="Iks" isCodable="true"/>
    <Code guid="{CODE_Y}" name="Ei" isCodable="true"/>
  </Codes></CodeBook>
  <Sources>
    {_source(1, "een", _selection(1, 0, 5, CODE_X, "een") + _selection(2, 0, 5, CODE_X, "twee"))}
    {_source(2, "twee", _selection(3, 0, 5, CODE_X, "drie") + _selection(4, 0, 5, CODE_X, "een") + _selection(5, 6, 10, CODE_X, "vier") + _selection(6, 6, 10, CODE_X, "vijf") + _selection(7, 0, 5, CODE_Y, None))}
    {_source(3, "drie", _selection(8, 6, 10, CODE_X, "zes") + _selection(9, 0, 5, CODE_X, "twee"))}
    {_source(4, "anders", _selection(10, 0, 5, CODE_X, "eigen"), text="Een andere tekst.")}
    {extra}
  </Sources>
</Project>
"""


def _codings(project) -> list[tuple]:
    db = sqlite3.connect(project.root / "qualcode.db")
    rows = db.execute(
        "SELECT c.transcript_id, c.start, c.end, c.code_id, c.memo, i.selection_guid FROM codings c"
        " LEFT JOIN coding_identity i ON i.coding_id = c.id ORDER BY c.id"
    ).fetchall()
    db.close()
    return rows


def test_sources_with_one_text_join_their_codings_and_memos_across_the_stream(tmp_path: Path) -> None:
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, make_qdpx(tmp_path / "t.qdpx", twins_qde()), default_coder="x")
    assert result.transcripts == ["een", "anders"]
    assert result.codings_added == 4
    assert result.codings_read == 10
    assert result.memos == 3
    rows = _codings(project)
    # One coding per span, code and coder; memos joined in the order the sources give them,
    # a memo already there not repeated; each keeps the identity of its first selection.
    assert [r[:5] for r in rows] == [
        (1, 0, 5, "iks", "een\n\ntwee\n\ndrie"),
        (1, 6, 10, "iks", "vier\n\nvijf\n\nzes"),
        (1, 0, 5, "ei", None),
        (2, 0, 5, "iks", "eigen"),
    ]
    assert [r[5][-2:] for r in rows] == ["01", "05", "07", "10"]
    joined = [w for w in result.warnings if "their codings are joined" in w]
    assert joined == [
        "source 'twee' has the same text as 'een'; their codings are joined",
        "source 'drie' has the same text as 'een'; their codings are joined",
    ]
    # Again: every source has a transcript now; nothing is added or changed.
    again = import_qdpx(project, make_qdpx(tmp_path / "t.qdpx", twins_qde()), default_coder="x")
    assert (again.transcripts, again.codings_added) == ([], 0)
    assert _codings(project) == rows


def test_a_problem_in_the_last_source_stops_the_import_with_its_line_and_writes_nothing(tmp_path: Path) -> None:
    project = new_project(tmp_path)
    codebook = (project.root / "codebooks" / "codebook.yaml").read_text(encoding="utf-8")
    # The sources before it are placed and written while the stream reads on; all is undone.
    bad = '<TextSource guid="not-a-guid" name="kapot"><PlainTextContent>x</PlainTextContent></TextSource>'
    qde = twins_qde(extra=bad)
    line = next(n for n, text in enumerate(qde.splitlines(), 1) if "not-a-guid" in text)
    with pytest.raises(QualcodeError) as caught:
        import_qdpx(project, make_qdpx(tmp_path / "t.qdpx", qde), default_coder="x")
    assert caught.value.code == "QC103" or "not a GUID" in str(caught.value)
    assert f":{line}: <TextSource> guid 'not-a-guid' is not a GUID" in str(caught.value)
    assert project.store.transcripts.names() == {}
    assert _codings(project) == []
    assert (project.root / "codebooks" / "codebook.yaml").read_text(encoding="utf-8") == codebook == SMALL_CODEBOOK


def test_malformed_xml_late_in_a_large_file_names_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    project = new_project(tmp_path, codebook=None)
    many = "\n".join(
        _source(100 + n, f"bron {n}", _selection(100 + n, 0, 5, CODE_X, None), text=f"Tekst {n}.") for n in range(3000)
    )
    qde = twins_qde(extra=many + "\n<Kapot>")
    line = len(qde.splitlines()) - 1  # where </Sources> closes the wrong element
    assert len(qde) > 1 << 20  # read in more than one piece
    with pytest.raises(QualcodeError) as caught:
        import_qdpx(project, make_qdpx(tmp_path / "t.qdpx", qde), default_coder="x")
    assert f"t.qdpx/project.qde:{line}:" in str(caught.value)
    assert "mismatched tag" in str(caught.value)
    assert project.store.transcripts.names() == {}
    assert [p.name for p in (project.root / "codebooks").glob("*.yaml")] == ["codebook.yaml"]  # the starter only


def test_a_missing_code_in_the_stream_is_reported_not_dropped_silently(tmp_path: Path) -> None:
    project = new_project(tmp_path, codebook=None)
    lost = _source(50, "verloren", _selection(50, 0, 5, "c0000009-0000-4000-8000-000000000009", None), text="Weer iets anders.")
    result = import_qdpx(project, make_qdpx(tmp_path / "t.qdpx", twins_qde(extra=lost)), default_coder="x")
    line = next(n for n, text in enumerate(twins_qde(extra=lost).splitlines(), 1) if "verloren" in text)
    assert (
        f"1 coding(s) refer to codes that are not in the project's codebook; left out"
        f" (line {line}: c0000009-0000-4000-8000-000000000009)" in result.warnings
    )


def test_read_xml_in_pieces_gives_the_tree_and_errors_of_one_read() -> None:
    data = b'<?xml version="1.0"?>\n<a x="1"><!--c--><b>t\xc3\xa9kst</b>\n<c><d/></c>staart</a>'
    whole = parse_xml(data, "f.xml")
    pieces = read_xml((data[i : i + 3] for i in range(0, len(data), 3)), "f.xml")
    assert _shape(pieces) == _shape(whole)
    bad = data.replace(b"</c>", b"</x>")
    with pytest.raises(QualcodeError) as one:
        parse_xml(bad, "f.xml")
    with pytest.raises(QualcodeError) as split:
        read_xml((bad[i : i + 2] for i in range(0, len(bad), 2)), "f.xml")
    assert str(one.value) == str(split.value)


def _shape(node) -> tuple:
    return (node.tag, node.attrs, node.line, node.text, node.comments, [_shape(c) for c in node.children])


def test_hollow_parts_are_still_checked_and_detached_parts_handed_over(monkeypatch) -> None:
    monkeypatch.setattr(xmlsafe, "MAX_DEPTH", 5)

    class Parts(Shape):
        shallow = 1

        def __init__(self) -> None:
            self.taken: list[str] = []

        def enter(self, ancestors, node):
            return HOLLOW if node.tag == "h" else DETACH if node.tag == "d" else 0

        def leave(self, node) -> None:
            self.taken.append(node.tag + ":" + node.children[0].tag)
            if node.get("stop"):
                raise StopReading

    parts = Parts()
    root = read_xml([b"<r><h><x>t</x></h><d><e/></d><d stop='1'><f/></d><never/></r>"], "f.xml", parts)
    assert [c.tag for c in root.children] == ["h"] and root.children[0].children == []
    assert parts.taken == ["d:e", "d:f"]  # reading stopped after the second
    with pytest.raises(QualcodeError) as caught:
        read_xml([b"<r><h><a><b><c><d><e/></d></c></b></a></h></r>"], "f.xml", Parts())
    assert "nested more than 5 deep" in str(caught.value)
    with pytest.raises(QualcodeError) as caught:
        read_xml([b'<!DOCTYPE r [<!ENTITY e "x">]><r><h>&e;</h></r>'], "f.xml", Parts())
    assert "DOCTYPE" in str(caught.value)


def test_a_problem_after_the_sources_undoes_what_the_stream_wrote(tmp_path: Path) -> None:
    # <Notes> come after <Sources>: their problem is found once every source is written.
    project = new_project(tmp_path, codebook=None)
    qde = twins_qde().replace("</Project>", '<Notes><Note guid="kapot" name="n"/></Notes></Project>')
    line = next(n for n, text in enumerate(qde.splitlines(), 1) if 'guid="kapot"' in text)
    with pytest.raises(QualcodeError) as caught:
        import_qdpx(project, make_qdpx(tmp_path / "t.qdpx", qde), default_coder="x")
    assert f"project.qde:{line}: <Note> guid 'kapot' is not a GUID" in str(caught.value)
    assert project.store.transcripts.names() == {}
    assert _codings(project) == []
    assert [p.name for p in (project.root / "codebooks").glob("*.yaml")] == ["codebook.yaml"]  # no codebook written
    assert project.store.coders.guids() == {}
