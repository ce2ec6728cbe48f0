"""The attributes.csv sidecar."""

from __future__ import annotations

from pathlib import Path

import pytest

from qualcode import errors
from qualcode.errors import QualcodeError
from qualcode.ingest import lookup_attributes, read_attributes_csv


def write(tmp_path: Path, data: str | bytes, name: str = "attributes.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


@pytest.mark.parametrize(
    "data",
    [
        "file;respondent_type;gemeente\n01.txt;migrantenorganisatie;Utrecht\n02.txt;professional;\n",
        "file,respondent_type,gemeente\r\n01.txt,migrantenorganisatie,Utrecht\r\n02.txt,professional,\r\n",
        "\ufefffile;respondent_type;gemeente\n01.txt;migrantenorganisatie;Utrecht\n\n02.txt;professional\n",
        "File\trespondent_type\tgemeente\n 01.txt \t migrantenorganisatie \tUtrecht\n02.txt\tprofessional\t\n",
        "file;respondent_type;gemeente;;\n01.txt;migrantenorganisatie;Utrecht;;\n02.txt;professional;;;\n",
    ],
    ids=["semicolon", "comma-crlf", "bom-short-row", "tab-padded", "excel-trailing-columns"],
)
def test_ingest_attributes_read(tmp_path: Path, data: str) -> None:
    assert read_attributes_csv(write(tmp_path, data)) == {
        "01.txt": {"respondent_type": "migrantenorganisatie", "gemeente": "Utrecht"},
        "02.txt": {"respondent_type": "professional"},
    }


def test_ingest_attributes_quoted_values_with_separator(tmp_path: Path) -> None:
    data = 'file,organisatie\n01.txt,"Al Amal, Utrecht"\n'
    assert read_attributes_csv(write(tmp_path, data)) == {"01.txt": {"organisatie": "Al Amal, Utrecht"}}


def test_ingest_attributes_cp1252_with_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "file;wijk\n01.txt;Oud-Zuid café\n".encode("cp1252"))
    with pytest.raises(QualcodeError) as info:
        read_attributes_csv(path)
    assert info.value.code == errors.UNDECODABLE.code
    assert read_attributes_csv(path, encoding="cp1252") == {"01.txt": {"wijk": "Oud-Zuid café"}}


@pytest.mark.parametrize(
    ("data", "line", "fragment"),
    [
        ("bestand;type\n01.txt;professional\n", 1, "no 'file' column"),
        ("file;type;type\n01.txt;a;b\n", 1, "'type' appears twice"),
        ("file;;type\n01.txt;a;b\n", 1, "column 2 has no name"),
        ("file;type\n01.txt;a\n02.txt;b\n01.txt;c\n", 4, "'01.txt' is listed twice (first on line 2)"),
        ("file;type\n01.txt;a;extra\n", 2, "3 values but only 2 columns"),
        ("file;type\n;professional\n", 2, "no file name"),
        ('file;type\n01.txt;"a\nb"\n02.txt;c\n02.txt;d\n', 5, "listed twice"),
        ('file;type\n01.txt;a\n01.txt;"x\ny"\n', 3, "listed twice"),
    ],
    ids=[
        "no-file-column",
        "duplicate-column",
        "empty-header-cell",
        "duplicate-file",
        "too-many-values",
        "no-file-name",
        "line-numbers-after-multiline-cell",
        "line-number-of-multiline-row",
    ],
)
def test_ingest_attributes_errors_name_the_line(tmp_path: Path, data: str, line: int, fragment: str) -> None:
    with pytest.raises(QualcodeError) as info:
        read_attributes_csv(write(tmp_path, data))
    assert info.value.code == errors.BAD_ATTRIBUTES.code
    assert f"attributes.csv:{line}: " in info.value.message
    assert fragment in info.value.message


def test_ingest_attributes_empty_or_missing(tmp_path: Path) -> None:
    with pytest.raises(QualcodeError) as info:
        read_attributes_csv(write(tmp_path, ""))
    assert info.value.code == errors.EMPTY_FILE.code
    assert "one column per attribute" in (info.value.hint or "")  # a hint about attributes, not transcripts
    with pytest.raises(QualcodeError) as info:
        read_attributes_csv(write(tmp_path, b"file;x\n\x00\x01\x02"))
    assert info.value.code == errors.BINARY_FILE.code
    assert "not an attributes file (CSV)" in info.value.message and info.value.hint == "save the sheet as CSV (UTF-8)"
    with pytest.raises(QualcodeError) as info:
        read_attributes_csv(tmp_path / "nope.csv")
    assert info.value.code == errors.FILE_NOT_FOUND.code


def test_ingest_attributes_lookup_by_name_then_stem() -> None:
    table = {"01_al_amal.txt": {"type": "migrantenorganisatie"}, "02_cjg": {"type": "professional"}}
    assert lookup_attributes(table, Path("transcripts/01_al_amal.txt")) == {"type": "migrantenorganisatie"}
    assert lookup_attributes(table, Path("02_cjg.docx")) == {"type": "professional"}
    assert lookup_attributes(table, Path("03.txt")) == {}
