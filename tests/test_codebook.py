"""Codebook YAML: loading, every validation error with its position, writing back."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qualcode.codebook import (
    PALETTE,
    Code,
    Codebook,
    check_codebook,
    dump_codebook,
    load_codebook,
    parse_codebook,
)
from qualcode.errors import QualcodeError

GOOD = textwrap.dedent(
    """\
    # Codeboek voor de test
    title: Testcodeboek
    version: "1.0"
    language: nl
    authors: [A. Onderzoeker]
    licence: CC-BY-4.0
    codes:
      - id: rol
        name: Rolverwachtingen
        description: Verwachtingen over elkaars rol.
        include: [verwachtingen over taken]
        exclude: Algemene tevredenheid
        examples: ["Wij verwachten dat het CJG ons belt."]
        color: "#1F77B4"
        key: r
        hints:
          keywords: [verwachten]
          lemmas: [verwachting]
          patterns:
            - [{LOWER: verwijst}, {LOWER: door}]
        children:
          - id: rol_professional
            name: Van professionals
            color: "#abc"
            key: p
      - id: map
        name: Map
        codable: false
        children:
          - id: kracht
            name: Eigen kracht
            key: "1"
    sets:
      - name: Alles
        codes: [rol, kracht]
    """
)


def write(tmp_path: Path, text: str, name: str = "cb.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(text: str) -> list:
    _, problems = parse_codebook(textwrap.dedent(text), "cb.yaml")
    return problems


def test_codebook_loads_hierarchy_and_metadata(tmp_path):
    book = load_codebook(write(tmp_path, GOOD))
    assert book.title == "Testcodeboek"
    assert book.authors == ["A. Onderzoeker"]
    assert [c.id for c in book.walk()] == ["rol", "rol_professional", "map", "kracht"]
    assert book.get("rol_professional").parent_id == "rol"
    assert book.path_of("rol_professional") == "rol/rol_professional"
    assert book.get("rol").exclude == ["Algemene tevredenheid"]  # a single string becomes a list
    assert book.get("rol").color == "#1f77b4"
    assert book.get("rol_professional").color == "#aabbcc"  # short hex expanded
    assert book.get("kracht").color  # a missing colour gets a palette colour
    assert book.get("kracht").key == "1"
    assert book.get("map").codable is False
    assert book.get("rol").hints.patterns == [[{"LOWER": "verwijst"}, {"LOWER": "door"}]]
    assert book.by_key()["p"].id == "rol_professional"
    assert [c.id for c in book.descendants("rol")] == ["rol_professional"]
    assert book.sets[0].codes == ["rol", "kracht"]
    assert book.get("rol").line == 8


@pytest.mark.parametrize(
    ("snippet", "line", "col", "message", "hint"),
    [
        # unknown key, with the closest valid key as hint
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n    colour: '#ffffff'\n",
            5,
            5,
            "unknown key 'colour'",
            "did you mean 'color'?",
        ),
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n    children:\n      - id: b\n        nmae: B\n",
            7,
            9,
            "unknown key 'nmae'",
            "did you mean 'name'?",
        ),
        ("titel: T\ncodes: []\n", 1, 1, "unknown key 'titel'", "did you mean 'title'?"),
        # duplicate id, naming the first
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n  - id: a\n    name: B\n",
            5,
            9,
            "duplicate code id 'a' (first defined at line 3)",
            "own id",
        ),
        # duplicate shortcut key
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n    key: x\n  - id: b\n    name: B\n    key: x\n",
            8,
            10,
            "duplicate shortcut key 'x': also used by 'a' (line 5)",
            None,
        ),
        # invalid colour
        ("title: T\ncodes:\n  - id: a\n    name: A\n    color: blauw\n", 5, 12, "invalid colour 'blauw'", "#RRGGBB"),
        # missing name
        ("title: T\ncodes:\n  - id: a\n    key: a\n", 3, 5, "code 'a' has no name", "name:"),
        # missing id
        ("title: T\ncodes:\n  - name: A\n", 3, 5, "the code at line 3 has no id", "id:"),
        # wrong types
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n    include: {x: 1}\n",
            5,
            14,
            "'include' must be a list of texts or one text, not a mapping",
            None,
        ),
        ("title: T\ncodes: hallo\n", 2, 8, "'codes' must be a list of codes", None),
        ("title: T\ncodes:\n  - id: a\n    name: [A]\n", 4, 11, "'name' must be text, not a list", None),
        ("title: T\ncodes:\n  - id: a\n    name: A\n    codable: misschien\n", 5, 14, "'codable' must be true or false", None),
        # invalid id and key
        ("title: T\ncodes:\n  - id: Rol Verwachting\n    name: A\n", 3, 9, "invalid id 'Rol Verwachting'", "'rol_verwachting'"),
        # an id with an accent: the hint drops the accent (as REFI-QDA imports make ids), no '_' for it
        ("title: T\ncodes:\n  - id: financiën\n    name: A\n", 3, 9, "invalid id 'financiën'", "e.g. 'financien'"),
        ("title: T\ncodes:\n  - id: a\n    name: A\n    key: n\n", 5, 10, "shortcut key 'n' of code 'a' is reserved", None),
        ("title: T\ncodes:\n  - id: a\n    name: A\n    key: ab\n", 5, 10, "invalid shortcut key 'ab'", None),
        # duplicate YAML key inside one mapping
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n    name: B\n",
            5,
            5,
            "duplicate key 'name' in a code (first at line 4)",
            None,
        ),
        # a set naming a code that does not exist
        (
            "title: T\ncodes:\n  - id: alpha\n    name: A\nsets:\n  - name: S\n    codes: [alpa]\n",
            7,
            13,
            "set 'S' names unknown code 'alpa'",
            "did you mean 'alpha'?",
        ),
        # bad token pattern
        (
            "title: T\ncodes:\n  - id: a\n    name: A\n    hints:\n      patterns: [verwijzen]\n",
            6,
            18,
            "a token pattern must be a non-empty list",
            None,
        ),
        # no title
        ("codes:\n  - id: a\n    name: A\n", 1, 1, "the codebook has no title", None),
    ],
)
def test_codebook_validation_reports_position_message_and_hint(snippet, line, col, message, hint):
    problems = problems_of(snippet)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert (problem.line, problem.column) == (line, col)
    assert message in problem.message
    if hint:
        assert hint in problem.hint
    assert str(problem).startswith(f"cb.yaml:{line}:{col}: ")


def test_codebook_validation_reports_every_problem_at_once():
    problems = problems_of(
        "title: T\ncodes:\n  - id: a\n    name: A\n    colour: rood\n  - id: a\n    key: a\n  - id: b\n    name: B\n    key: a\n"
    )
    messages = [p.message for p in problems]
    assert len(problems) == 4
    assert any("unknown key 'colour'" in m for m in messages)
    assert any("duplicate code id 'a'" in m for m in messages)
    assert any("has no name" in m for m in messages)
    assert any("duplicate shortcut key 'a'" in m for m in messages)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("title: T\ncodes:\n  - id: a\n   name: A\n", 4, "YAML syntax error"),
        ("title: 'open\ncodes: []\n", 3, "YAML syntax error"),
        ("title: T\ncodes: [a, b\n", 3, "YAML syntax error"),
    ],
)
def test_codebook_yaml_syntax_errors_have_a_line(text, line, message):
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].line == line
    assert message in problems[0].message


def test_codebook_refuses_unsafe_yaml_tags():
    problems = problems_of("title: !!python/object/apply:os.system ['echo hi']\ncodes: []\n")
    assert problems and "tag" in str(problems[0]).lower()


def test_codebook_empty_file_is_a_problem(tmp_path):
    problems = check_codebook(write(tmp_path, ""))
    assert problems[0].message == "the codebook is empty"


def test_codebook_load_raises_with_all_problems(tmp_path):
    path = write(tmp_path, "title: T\ncodes:\n  - id: a\n  - id: a\n")
    with pytest.raises(QualcodeError) as info:
        load_codebook(path)
    assert len(info.value.problems) == 3
    assert "3 problem(s)" in info.value.message


def test_codebook_not_utf8_is_a_clear_error(tmp_path):
    path = tmp_path / "cb.yaml"
    path.write_bytes("title: Caf\xe9\ncodes: []\n".encode("cp1252"))
    with pytest.raises(QualcodeError, match="byte offset 10"):
        load_codebook(path)


def test_codebook_dump_round_trips(tmp_path):
    book = load_codebook(write(tmp_path, GOOD))
    again, problems = parse_codebook(dump_codebook(book), "x.yaml")
    assert problems == []
    assert [(c.id, c.name, c.key, c.color, c.codable, c.parent_id) for c in again.walk()] == [
        (c.id, c.name, c.key, c.color, c.codable, c.parent_id) for c in book.walk()
    ]
    assert again.get("rol").hints.patterns == book.get("rol").hints.patterns
    assert again.sets[0].codes == book.sets[0].codes


def test_codebook_stable_guid_is_derived_from_id():
    a = Code(id="rol", name="Rol")
    b = Code(id="rol", name="Andere naam")
    assert a.stable_guid == b.stable_guid
    assert Code(id="rol", name="R", guid="X").stable_guid == "X"


def test_codebook_ancestors_and_suggestions():
    book = Codebook(
        title="T", codes=[Code(id="a", name="A", children=[Code(id="b", name="B", children=[Code(id="c", name="C")])])]
    )
    assert [c.id for c in book.ancestors("c")] == ["b", "a"]
    assert book.depth("c") == 2
    assert book.suggest_id("bb") == "b" or book.suggest_id("bb") is None
    assert book.suggest_id("zzz") is None


def test_codebook_display_colours_pass_over_the_colours_codes_state(tmp_path):
    """A code without a colour got the palette's colour of its position even when another code
    stated that colour: two codes in one green in the margin and the code list."""
    path = tmp_path / "c.yaml"
    path.write_text(
        textwrap.dedent(
            """\
            title: T
            codes:
              - id: a
                name: A
                color: "#4E79A7"
              - id: b
                name: B
              - id: c
                name: C
                color: "#59a14f"
              - id: d
                name: D
              - id: e
                name: E
            """
        ),
        encoding="utf-8",
    )
    colours = [c.color.lower() for c in load_codebook(path).walk()]
    assert len(set(colours)) == len(colours)
    assert colours[1] == "#f28e2b"  # its own palette colour, stated by no code: kept


def test_codebook_display_colours_of_a_codebook_without_colours_are_the_palette_in_order(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("title: T\ncodes:\n" + "".join(f"  - id: c{i}\n    name: C{i}\n" for i in range(12)), encoding="utf-8")
    colours = [c.color for c in load_codebook(path).walk()]
    assert colours == [*PALETTE, *PALETTE[:2]]
