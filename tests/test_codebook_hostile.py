"""Hostile codebooks: alias loops and bombs, scalars Python cannot construct, trees too deep.

Each gives located problems (file:line:column) -- never a traceback -- in the parser,
in every command and when the app starts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from qualcode.cli import main
from qualcode.codebook import MAX_DEPTH, Code, Codebook, dump_codebook, load_codebook, parse_codebook
from qualcode.errors import CODEBOOK_INVALID, CODEBOOK_TOO_DEEP, QualcodeError
from qualcode.yamlsafe import MAX_EXPANDED

BIG = "9" * 5000  # more digits than Python's int-string limit (4,300)


def problems_of(text: str) -> list:
    book, problems = parse_codebook(text, "cb.yaml")
    assert (book is None) == bool(problems)
    return problems


def deep_yaml(depth: int) -> str:
    lines = ["title: Diep", "codes:"]
    for i in range(depth):
        pad = "  " * (2 * i + 1)
        lines += [f"{pad}- id: c{i}", f"{pad}  name: Code {i}"] + ([f"{pad}  children:"] if i < depth - 1 else [])
    return "\n".join(lines) + "\n"


# --- aliases -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("title: T\ncodes:\n  - &A {id: a, name: A, children: [*A]}\n", 3, 36),
        ("title: T\ncodes:\n  - &A\n    id: a\n    name: A\n    children:\n      - *A\n", 7, 9),
        # a loop through two codes
        (
            "title: T\ncodes:\n  - &A\n    id: a\n    name: A\n    children:\n      - id: b\n        name: B\n        children: [*A]\n",
            9,
            20,
        ),
        # a loop outside the codes
        ("title: T\ndescription: &d [x, *d]\ncodes: []\n", 2, 21),
    ],
    ids=["flow", "block", "two-codes", "description"],
)
def test_codebook_hostile_alias_cycle_is_located(text: str, line: int, column: int) -> None:
    problems = problems_of(text)
    assert len(problems) == 1
    assert (problems[0].line, problems[0].column) == (line, column)
    assert "repeat forever" in problems[0].message and problems[0].hint


def test_codebook_hostile_code_repeated_through_an_alias() -> None:
    problems = problems_of("title: T\ncodes:\n  - &B\n    id: b\n    name: B\n  - *B\n")
    assert [p.message for p in problems] == ["the code at line 3 appears again through the alias *B"]


def test_codebook_hostile_alias_bomb_is_refused_without_expanding() -> None:
    lines = ["title: T", "x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"x{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 30)]  # 9**30 values
    lines.append("codes:\n  - id: a\n    name: A\n    examples: *a29")
    problems = problems_of("\n".join(lines) + "\n")
    assert len(problems) == 1 and f"more than {MAX_EXPANDED:,} values" in problems[0].message
    assert problems[0].line == 3  # the first alias


def test_codebook_hostile_harmless_aliases_still_work() -> None:
    text = "title: T\ncodes:\n  - id: a\n    name: A\n    examples: &ex [een, twee]\n  - id: b\n    name: B\n    examples: *ex\n"
    book, problems = parse_codebook(text, "cb.yaml")
    assert problems == [] and book.get("b").examples == ["een", "twee"]


# --- scalars -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("color", BIG, "invalid colour '999"),
        ("key", BIG, "invalid shortcut key '999"),
        ("key", "0x" + "f" * 5000, "invalid shortcut key '0xfff"),
        ("id", "-" + BIG, "invalid id '-999"),
        ("codable", BIG, "'codable' must be true or false"),
        ("guid", "!!binary aGVsbG8=", "unsupported YAML value"),
        ("hints", f"{{patterns: [[{{LENGTH: {BIG}}}]]}}", "a number with too many digits"),
        ("name", "!!python/object/apply:os.system ['echo hi']", "unsupported YAML value"),
    ],
    ids=["color-digits", "key-digits", "key-hex", "id-digits", "codable-digits", "guid-binary", "pattern-digits", "name-python"],
)
def test_codebook_hostile_scalars_give_located_problems(field: str, value: str, message: str) -> None:
    lines = {"id": "a", "name": "A", field: value}
    text = "title: T\ncodes:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in lines.items()) + "\n"
    problems = problems_of(text)
    assert len(problems) == 1, problems
    assert message in problems[0].message
    assert problems[0].line == 3 + list(lines).index(field)
    assert len(str(problems[0])) < 300  # a 5,000-character value is cut in the message


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", BIG), ("id", BIG), ("name", "2024-13-45"), ("name", "0o" + "7" * 9000), ("description", "1e999999")],
    ids=["digits", "id-digits", "no-date", "octal", "float-overflow"],
)
def test_codebook_hostile_numbers_and_dates_are_text_as_written(field: str, value: str) -> None:
    lines = {"id": "a", "name": "A", field: value}
    text = "codes:\n  - " + "\n    ".join(f"{k}: {v}" for k, v in lines.items()) + "\n"
    book, problems = parse_codebook(f"title: {BIG}\nversion: 1.10\n{text}", "cb.yaml")
    assert problems == []
    assert getattr(next(book.walk()), field) == value
    assert book.title == BIG and book.version == "1.10"


def test_codebook_hostile_key_that_is_no_name() -> None:
    problems = problems_of(f"title: T\ncodes:\n  - id: a\n    name: A\n    ? {BIG}\n    : x\n")
    assert len(problems) == 1 and "a key that is not a name: 999" in problems[0].message
    assert "(5,000 characters)" in problems[0].message


# --- depth ---------------------------------------------------------------------------------


def test_codebook_hostile_tree_at_the_depth_limit_loads_and_writes(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(deep_yaml(MAX_DEPTH))
    book = load_codebook(path)
    assert len(book) == MAX_DEPTH and book.depth(f"c{MAX_DEPTH - 1}") == MAX_DEPTH - 1
    again, problems = parse_codebook(dump_codebook(book), "again.yaml")
    assert problems == [] and len(again) == MAX_DEPTH


@pytest.mark.parametrize(
    ("depth", "line", "message"), [(MAX_DEPTH + 1, None, "nested more than 100 levels"), (600, None, "nesting depth")]
)
def test_codebook_hostile_tree_too_deep_is_located(depth: int, line: int | None, message: str) -> None:
    problems = problems_of(deep_yaml(depth))
    assert len(problems) == 1 and message in problems[0].message and problems[0].line is not None


def test_codebook_hostile_dump_refuses_a_tree_too_deep() -> None:
    top = code = Code(id="c0", name="C0")
    for i in range(1, MAX_DEPTH + 50):
        code.children.append(Code(id=f"c{i}", name=f"C{i}"))
        code = code.children[0]
    with pytest.raises(QualcodeError) as caught:
        dump_codebook(Codebook(title="x", codes=[top]))
    assert caught.value.code == CODEBOOK_TOO_DEEP.code and f"code 'c{MAX_DEPTH}'" in caught.value.message


# --- every command, and the app's start ------------------------------------------------------

LOOP = "title: T\ncodes:\n  - &A {id: a, name: A, key: a, children: [*A]}\n"


@pytest.fixture
def looped(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "t.txt").write_text("I: Hallo.\nR: Dag.\n")
    assert CliRunner().invoke(main, ["--project", str(root), "import", str(root / "transcripts")]).exit_code == 0
    (root / "codebooks" / "codebook.yaml").write_text(LOOP)
    return root


@pytest.mark.parametrize(
    "args",
    [
        [],  # the app's start (`qualcode` alone opens the coding screen)
        ["open"],
        ["check"],
        ["codings"],
        ["transcripts"],
        ["stats", "frequencies"],
        ["codebook", "check"],
        ["codebook", "show"],
        ["codebook", "rename", "a", "b"],
        ["codebook", "move", "a", "--top"],
        ["codebook", "merge-codes", "a", "--into", "a"],
        ["codebook", "export", "--out", "x.qdc"],
        ["code", "t", "a", "--turn", "1"],
        ["export", "segments"],
        ["suggest"],
    ],
    ids=lambda a: " ".join(a) or "app",
)
def test_codebook_hostile_alias_loop_in_every_command(looped: Path, args: list[str]) -> None:
    before = (looped / "codebooks" / "codebook.yaml").read_text()
    result = CliRunner().invoke(main, ["--project", str(looped), *args])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert f"{looped / 'codebooks' / 'codebook.yaml'}:3:" in result.output and "repeat forever" in result.output
    assert (looped / "codebooks" / "codebook.yaml").read_text() == before
    assert not (looped / "x.qdc").exists()


def test_codebook_hostile_load_error_lists_the_problem(tmp_path: Path) -> None:
    path = tmp_path / "cb.yaml"
    path.write_text(LOOP)
    with pytest.raises(QualcodeError) as caught:
        load_codebook(path)
    assert caught.value.code == CODEBOOK_INVALID.code and "repeat forever" in str(caught.value.problems[0])


@pytest.mark.parametrize(
    "args",
    [
        ["codebook", "rename", "c5", "c5_nieuw"],
        ["codebook", "move", f"c{MAX_DEPTH - 1}", "--top"],
        ["codebook", "merge-codes", f"c{MAX_DEPTH - 1}", "--into", f"c{MAX_DEPTH - 2}"],
    ],
    ids=["rename", "move", "merge"],
)
def test_codebook_hostile_maintenance_on_the_deepest_tree(tmp_path: Path, args: list[str]) -> None:
    root = tmp_path / "p"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "codebooks" / "codebook.yaml").write_text(deep_yaml(MAX_DEPTH))
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output
    assert len(load_codebook(root / "codebooks" / "codebook.yaml")) == MAX_DEPTH - (args[1] == "merge-codes")
