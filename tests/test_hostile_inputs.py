"""The hostile-input corpus (tests/data/hostile/), each file through the CLI as a user would run it.

For every file: the exit code, a clear error or warning that names the file (and line
where there is one), no traceback, and -- on an error -- nothing written: the store,
the codebook and the project folder are as they were. Large hostile inputs (a .docx
zip bomb, a code tree 600 levels deep, names with control characters, links out of
the project) are made by the tests here instead of being committed.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner, Result

from qualcode.cli import main
from qualcode.project import Project

HOSTILE = Path(__file__).parent / "data" / "hostile"
CODEBOOK = "title: T\ncodes:\n  - id: vertrouwen\n    name: Vertrouwen\n    key: v\n"


@dataclass(frozen=True)
class Expect:
    """What running a hostile file must give."""

    exit_code: int
    says: tuple[str, ...]  # fragments of the output (stderr and stdout together)
    args: tuple[str, ...] = ()  # extra arguments to `import`
    codebook: bool = False  # the file is a codebook: put it in place and run `codebook check`


EXPECTATIONS: dict[str, Expect] = {
    "cue_time_0X.vtt": Expect(
        0, ("imported cue_time_0X: 3 turns", "cue_time_0X.vtt: line 6: a cue time cannot be read: the text is kept")
    ),
    "cue_reversed.srt": Expect(0, ("imported cue_reversed: 2 turns", "cue_reversed.srt: line 2: a cue ends before it starts")),
    "cue_without_arrow.vtt": Expect(0, ("imported cue_without_arrow: 2 turns", "lines 3, 6: a cue timing line has no '-->'")),
    "cue_family.vtt": Expect(
        0, ("imported cue_family: 4 turns", "line 14: a cue time cannot be read", "line 23: text outside any cue")
    ),
    "srt_bad_cue_numbers.srt": Expect(0, ("imported srt_bad_cue_numbers: 3 turns",)),
    "not_subtitles.srt": Expect(1, ("not_subtitles.srt: cannot read this SubRip (.srt) file: no cue timing line", "hint: ")),
    "vtt_without_header.vtt": Expect(1, ("vtt_without_header.vtt: cannot read this WebVTT file: line 1 is not 'WEBVTT'",)),
    "codebook_alias_cycle.yaml": Expect(1, ("codebook.yaml:3:36: alias *A is inside the value it refers to",), codebook=True),
    "codebook_alias_bomb.yaml": Expect(
        1, ("codebook.yaml:3:10: aliases (*a0 ...) make this file expand to more than",), codebook=True
    ),
    "codebook_huge_numbers.yaml": Expect(
        1,
        ("codebook.yaml:5:12: invalid colour '99999", "(5,000 characters)", "codebook.yaml:6:10: invalid shortcut key"),
        codebook=True,
    ),
    "codebook_repeated_code.yaml": Expect(
        1, ("codebook.yaml:3:5: the code at line 3 appears again through the alias *B",), codebook=True
    ),
    "codings_any_name.csv": Expect(0, ("added 1 coding(s) from the codings CSV",)),
    "attributes_matching_nothing.csv": Expect(
        1, ("attributes_matching_nothing.csv: none of its 1 row(s) names a transcript", "bestaat_niet.txt")
    ),
    "neither_attributes_nor_codings.csv": Expect(1, ("neither_attributes_nor_codings.csv:1: no 'file' column", "file,turn,code")),
    "markdown_markup.md": Expect(0, ("imported markdown_markup: 2 turns, 13 words, speakers I, R3",)),
    "utf8_for_cp1252.txt": Expect(
        1,
        (
            "utf8_for_cp1252.txt: the file is UTF-8 text, and --encoding cp1252 would misread it (line 2: 'OkÃ©,' instead of 'Oké,')",
        ),
        args=("--encoding", "cp1252"),
    ),
    "frontmatter_alias_cycle.md": Expect(
        1, ("frontmatter_alias_cycle.md:2: front matter", "alias *g is inside the value it refers to")
    ),
    "frontmatter_huge_number.txt": Expect(0, ("imported frontmatter_huge_number: 2 turns",)),
}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "studie"
    Project.init(root).close()
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK)
    (root / "transcripts" / "gewoon.txt").write_text("I: Hoe gaat het?\nR: Goed, ik vertrouw ze.\n")
    assert run(root, "import", str(root / "transcripts")).exit_code == 0
    return root


def run(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(root), *args])


def snapshot(root: Path) -> dict[str, str]:
    """Every file of the project, and what the store holds (its file's bytes change as SQLite
    checkpoints), to prove nothing was written."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith("qualcode.db"):
            out[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    with opened(root) as project:
        store = project.store
        out["(store)"] = repr(
            (
                store.transcripts.names(),
                store.codings.find(),
                store.transcripts.all_attributes(),
                store.transcripts.source_paths(),
            )
        )
    return out


@contextmanager
def opened(root: Path) -> Iterator[Project]:
    project = Project.open(root)
    try:
        yield project
    finally:
        project.close()


def assert_clean(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception


def test_hostile_every_file_has_an_expectation() -> None:
    # (subfolders hold other areas' hostile inputs, tested where they are used)
    assert sorted(p.name for p in HOSTILE.iterdir() if p.is_file() and p.name != "README.md") == sorted(EXPECTATIONS)


@pytest.mark.parametrize("name", sorted(EXPECTATIONS))
def test_hostile_file(project: Path, name: str) -> None:
    expect = EXPECTATIONS[name]
    source = HOSTILE / name
    if expect.codebook:
        target = project / "codebooks" / "codebook.yaml"
        shutil.copy(source, target)
        before = snapshot(project)
        for args in (("codebook", "check"), ("codings",), ("codebook", "rename", "a", "b"), ()):
            result = run(project, *args)
            assert result.exit_code == expect.exit_code, (args, result.output)
            assert_clean(result)
            for fragment in expect.says:
                assert fragment in result.output, (args, result.output)
        assert snapshot(project) == before
        return
    target = project / "transcripts" / name
    shutil.copy(source, target)
    before = snapshot(project)
    result = run(project, "import", str(target), *expect.args)
    assert result.exit_code == expect.exit_code, result.output
    assert_clean(result)
    for fragment in expect.says:
        assert fragment in result.output, result.output
    if expect.exit_code:
        assert snapshot(project) == before


def test_hostile_frontmatter_values_are_stored_as_written(project: Path) -> None:
    shutil.copy(HOSTILE / "frontmatter_huge_number.txt", project / "transcripts")
    assert run(project, "import", str(project / "transcripts" / "frontmatter_huge_number.txt")).exit_code == 0
    with opened(project) as found:
        attributes = found.store.transcripts.attributes(found.store.transcripts.id_by_name("frontmatter_huge_number"))
    assert attributes == {"leeftijd": "9" * 5000, "datum": "2024-13-45", "code": "007"}


def test_hostile_docx_zip_bomb(project: Path) -> None:
    document = docx.Document()
    document.add_paragraph("I: Hallo.")
    buffer = io.BytesIO()
    document.save(buffer)
    bomb = project / "transcripts" / "bom.docx"
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/document.xml":
                content = content.replace(b"<w:body>", b"<w:body>" + b" " * (16 * 1024 * 1024), 1)
            target.writestr(item.filename, content)
    assert bomb.stat().st_size < 200_000
    before = snapshot(project)
    result = run(project, "import", str(bomb))
    assert result.exit_code == 1 and "bom.docx: 'word/document.xml' inside this Word file expands" in result.output
    assert_clean(result)
    assert snapshot(project) == before


def test_hostile_deep_code_tree(project: Path) -> None:
    lines = ["title: Diep", "codes:"]
    for i in range(600):
        pad = "  " * (2 * i + 1)
        lines += [f"{pad}- id: c{i}", f"{pad}  name: C{i}", f"{pad}  children:"]
    (project / "codebooks" / "codebook.yaml").write_text("\n".join(lines[:-1]) + "\n")
    before = snapshot(project)
    for args in (("codebook", "check"), ("codebook", "rename", "c5", "c5b"), ("codebook", "move", "c599", "--top")):
        result = run(project, *args)
        assert result.exit_code == 1 and "codebook.yaml:" in result.output, result.output
        assert_clean(result)
    assert snapshot(project) == before


@pytest.mark.parametrize("stem", ["a\tb\nc", "x\x1b[2Jy", "\u202etxt.exe"])
def test_hostile_file_names_with_control_characters(project: Path, stem: str) -> None:
    path = project / "transcripts" / f"{stem}.txt"
    path.write_text("I: Naam?\nR: Ja.\n")
    result = run(project, "import", str(path))
    assert result.exit_code == 0
    assert_clean(result)
    assert "\x1b" not in result.output and "\u202e" not in result.output
    with opened(project) as found:
        names = set(found.store.transcripts.names().values())
    assert all(name.isprintable() for name in names)


def test_hostile_link_out_of_the_project(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elders.txt"
    outside.write_text("I: Buiten.\nR: Ja.\n")
    link = project / "transcripts" / "link.txt"
    os.symlink(outside, link)
    result = run(project, "import", str(link))
    assert result.exit_code == 0
    assert f"is a link to {outside}, outside the project" in result.output
    with opened(project) as found:
        stored = found.store.transcripts.load(found.store.transcripts.id_by_name("link")).source_path
    assert not stored.is_absolute()
