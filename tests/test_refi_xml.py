"""Reading REFI-QDA XML safely: malformed files, DOCTYPE/entities, namespaces, roots."""

from __future__ import annotations

import pytest

from qualcode.errors import QualcodeError, Report
from qualcode.refi.codebook_xml import read_qdc
from qualcode.refi.project_read import read_project
from qualcode.refi.xmlsafe import MAX_DEPTH, parse_xml

CODEBOOK = '<CodeBook xmlns="{ns}"><Codes><Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55294" name="a" isCodable="true"/></Codes></CodeBook>'


def test_refi_xml_keeps_line_numbers_and_text():
    root = parse_xml(b'<?xml version="1.0"?>\n<a x="1">\n  <b>hallo &amp; dag</b>\n</a>', "f.xml")
    assert (root.tag, root.get("x"), root.line) == ("a", "1", 2)
    b = root.find("b")
    assert (b.line, b.text) == (3, "hallo & dag")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CodeBook><Codes></CodeBook>", "f.qdc:1:20: not well-formed XML: mismatched tag"),
        (b"", "f.qdc:1:1: not well-formed XML: no element found"),
        (b"\xff\xfe\x00garbage", "not well-formed XML"),
        (b"<a>\n<b></a>", "f.qdc:2:"),
    ],
)
def test_refi_xml_malformed_is_a_located_error(data, message):
    with pytest.raises(QualcodeError) as caught:
        parse_xml(data, "f.qdc")
    assert message in str(caught.value)
    assert caught.value.code == "QC400"


@pytest.mark.parametrize(
    "data",
    [
        b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>\n<CodeBook>&lol2;</CodeBook>',
        b'<?xml version="1.0"?>\n<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>',
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ],
)
def test_refi_xml_refuses_doctype_and_entities(data):
    with pytest.raises(QualcodeError) as caught:
        parse_xml(data, "evil.qdc")
    assert caught.value.code == "QC401"
    assert "refuses for safety" in caught.value.message


def test_refi_xml_refuses_absurd_nesting():
    data = b"<a>" * (MAX_DEPTH + 5) + b"</a>" * (MAX_DEPTH + 5)
    with pytest.raises(QualcodeError, match="nested more than"):
        parse_xml(data, "deep.xml")


@pytest.mark.parametrize(
    ("ns", "tolerated"),
    [
        ("urn:QDA-XML:codebook:1.0", None),
        ("urn:QDA-XML:codebook:0:4", "ATLAS.ti"),
        ("urn:QDA-XML:codebook:1:0", "NVivo for Mac"),
        ("urn:QDA-XML:codebook:2.0", "unknown REFI-QDA namespace version"),
        ("", "no XML namespace"),
    ],
)
def test_refi_xml_tolerated_namespaces_are_reported(ns, tolerated):
    report = Report()
    book = read_qdc(CODEBOOK.format(ns=ns).replace(' xmlns=""', "").encode(), "cb.qdc", report)
    assert [c.name for c in book.codes] == ["a"]
    if tolerated is None:
        assert report.warnings == []
    else:
        assert any(tolerated in w for w in report.warnings), report.warnings


def test_refi_xml_unknown_namespace_is_an_error():
    with pytest.raises(QualcodeError) as caught:
        read_qdc(CODEBOOK.format(ns="http://example.com/other").encode(), "cb.qdc", Report())
    assert caught.value.code == "QC403"
    assert "http://example.com/other" in caught.value.message


@pytest.mark.parametrize(
    ("reader", "data", "expected"),
    [
        (
            read_qdc,
            b'<Project xmlns="urn:QDA-XML:project:1.0" name="p"/>',
            "expected a REFI-QDA codebook (<CodeBook>), found <Project>",
        ),
        (
            read_project,
            CODEBOOK.format(ns="urn:QDA-XML:codebook:1.0").encode(),
            "expected a REFI-QDA project (<Project>), found <CodeBook>",
        ),
        (read_qdc, b"<html><body/></html>", "found <html>"),
    ],
)
def test_refi_xml_wrong_root_says_what_was_expected(reader, data, expected):
    with pytest.raises(QualcodeError) as caught:
        reader(data, "x", Report())
    assert expected in caught.value.message
    assert caught.value.code == "QC402"


def test_refi_xml_foreign_elements_are_skipped_with_a_note():
    data = (
        b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0" xmlns:x="urn:other"><Codes>'
        b'<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55294" name="a" isCodable="true"><x:Extra/></Code>'
        b"</Codes></CodeBook>"
    )
    report = Report()
    book = read_qdc(data, "cb.qdc", report)
    assert len(book.codes) == 1
    assert any("<Extra>" in w and "skipped" in w for w in report.warnings)


def test_refi_xml_problems_are_all_listed_with_lines():
    data = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="not-a-guid" name="a" isCodable="true"/>
<Code name="b" isCodable="true"/>
<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55294" name="" isCodable="true"/>
</Codes></CodeBook>"""
    with pytest.raises(QualcodeError) as caught:
        read_qdc(data, "cb.qdc", Report())
    problems = [str(p) for p in caught.value.problems]
    assert caught.value.code == "QC404"
    assert problems[0].startswith("cb.qdc:2: <Code> guid 'not-a-guid' is not a GUID")
    assert problems[1].startswith("cb.qdc:3: <Code> has no guid attribute")
    assert problems[2].startswith("cb.qdc:4: <Code> has no name")


def test_refi_xml_duplicate_code_guid_is_an_error_naming_both_lines():
    data = b"""<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>
<Code guid="1ff58b12-6f6f-4b0c-8be5-bbdc91f55294" name="a" isCodable="true"/>
<Code guid="{1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294}" name="b" isCodable="true"/>
</Codes></CodeBook>"""
    with pytest.raises(QualcodeError) as caught:
        read_qdc(data, "cb.qdc", Report())
    (problem,) = caught.value.problems
    assert problem.line == 3
    assert "is also the GUID of code 'a' (line 2)" in problem.message
