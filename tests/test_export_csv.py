"""CSV rules: both dialects read back with the csv module, injection guard, atomic files."""

from __future__ import annotations

import csv
import io
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qualcode.errors import QualcodeError
from qualcode.export import CsvStyle, CsvWriter, atomic_output, neutralise

AWKWARD = [
    'Hij zei: "ja"; en toen, nou ja…',
    "twee\nregels",
    "Crème brûlée, één café – ﬁ",
    "emoji 👩🏽‍👧 en tab\tbinnen",
    "",
]

STANDARD = CsvStyle()


def write(rows, style=STANDARD) -> str:
    buffer = io.StringIO(newline="")
    writer = CsvWriter(buffer, style)
    writer.header(["a", "b"])
    writer.rows(rows)
    return buffer.getvalue()


def read(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


@pytest.mark.parametrize("excel", [False, True])
def test_export_csv_awkward_text_survives_a_round_trip(excel):
    text = write([[t, i] for i, t in enumerate(AWKWARD)], CsvStyle(excel=excel))
    if excel:
        assert text.startswith("\ufeffa;b\r\n")
        text = text.removeprefix("\ufeff")
    else:
        assert text.startswith("a,b\r\n")  # RFC 4180: CRLF, no BOM
    rows = read(text, ";" if excel else ",")
    assert rows[1:] == [[t, str(i)] for i, t in enumerate(AWKWARD)]


def test_export_csv_excel_file_reads_back_with_utf8_sig(tmp_path):
    path = tmp_path / "x.csv"
    with atomic_output(path) as handle:
        CsvWriter(handle, CsvStyle(excel=True)).rows([["é;ë", 0.25, 3, None]])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle, delimiter=";")) == [["é;ë", "0,25", "3", ""]]  # decimal comma for Dutch Excel


def test_export_csv_standard_dialect_keeps_decimal_points():
    assert read(write([[0.25, None]]))[1] == ["0.25", ""]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-ja, klopt", "'-ja, klopt"),
        ("@anna", "'@anna"),
        ("\tinspringing", "'\tinspringing"),
        ("\rterug", "'\rterug"),
        ("＝1+1", "'＝1+1"),  # full-width look-alike
        ("gewone tekst = geen formule", "gewone tekst = geen formule"),
        ("", ""),
    ],
)
def test_export_csv_neutralises_formula_cells(cell, written):
    assert neutralise(cell) == written
    assert read(write([[cell, "x"]]))[1][0] == written


def test_export_csv_numbers_are_never_neutralised_and_guard_can_be_off():
    assert read(write([[-3, -0.5]]))[1] == ["-3", "-0.5"]
    assert read(write([["=1+1", "-x"]], CsvStyle(neutralise=False)))[1] == ["=1+1", "-x"]


def test_export_csv_atomic_output_keeps_the_old_file_on_failure(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_output(path) as handle:
        handle.write("half")
        raise RuntimeError("interrupted")
    assert path.read_text(encoding="utf-8") == "old\n"
    assert os.listdir(tmp_path) == ["out.csv"]  # no temporary file left behind


def test_export_csv_atomic_output_replaces_when_done(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old\n", encoding="utf-8")
    with atomic_output(path) as handle:
        handle.write("new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert os.listdir(tmp_path) == ["out.csv"]


@pytest.mark.parametrize("where", ["missing-folder/out.csv", "."])
def test_export_csv_unwritable_target_is_a_clear_error(tmp_path, where):
    with pytest.raises(QualcodeError) as exc, atomic_output(tmp_path / where):
        pass
    assert exc.value.message.startswith("cannot write")
    assert "folder" in exc.value.hint


# --- lines assembled from fields (the segments export's fast path) ----------------------------------

CELL = st.one_of(
    st.none(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.sampled_from(["", "-", "+", "=1+1", '"', ";", ",", "\r", "\n", "'x", "＝"]),
)


@settings(max_examples=400, deadline=None)
@given(rows=st.lists(st.lists(CELL, min_size=2, max_size=6), max_size=5), excel=st.booleans(), guard=st.booleans())
def test_export_csv_lines_from_fields_are_what_csv_writes(rows, excel, guard):
    style = CsvStyle(excel=excel, neutralise=guard)
    expected, built = io.StringIO(newline=""), io.StringIO(newline="")
    CsvWriter(expected, style).rows(rows)
    writer = CsvWriter(built, style)
    # Split each row in two pre-formatted parts, as the export joins cached and per-row fields.
    writer.lines(f"{writer.fields(r[:1])}{style.delimiter}{writer.fields(r[1:])}\r\n" for r in rows)
    assert built.getvalue() == expected.getvalue()


def test_export_csv_field_guards_and_quotes_one_value():
    writer = CsvWriter(io.StringIO(newline=""), CsvStyle(excel=True))
    assert writer.field('=1; "a"') == '"\'=1; ""a"""'
    assert writer.field(0.25) == "0,25"
    assert writer.field(None) == "" and writer.field(7) == "7"
