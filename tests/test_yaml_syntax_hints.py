"""A YAML syntax error's hint says what to do, not what the parser was doing.

Found editing a copy of the sample codebook: a misindented line gave "hint: while parsing
a block collection (line 45)", a tab "hint: while scanning a plain scalar (line 632)".
The codebook, qualcode.yaml, keymap.yaml and pseudonymise.yaml share the one helper.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from qualcode.cli import main

GOOD = "title: T\ncodes:\n  - id: a\n    name: A\n"


@pytest.mark.parametrize(
    ("text", "place", "hint"),
    [
        (GOOD + "  - id: b\n   name: B\n", ":6:4:", "indent this line as the other lines of the list that starts on line 3"),
        (GOOD + "\tkey: x\n", ":5:1:", "indent with spaces: YAML does not allow a tab here"),
        ("title: T\ncodes: [a, b\n", ":3:1:", "close the '[' opened on line 2 with ']'"),
        ("title: 'open\ncodes: []\n", ":3:1:", "close the quote opened on line 1"),
        (GOOD + "    description: *nieuw\n", ":5:18:", "put a value that starts with '*' in quotes"),
        ("title: T\ncodes: 1\n- id: a\n", ":3:1:", "indent this line as the other keys of the mapping that starts on line 1"),
        (
            "title: T: x\ncodes: []\n",
            ":1:9:",
            "check the indentation on this line, and put a value holding ': ' or ' #' in quotes",
        ),
    ],
)
def test_codebook_check_hints_say_what_to_do(tmp_path, text, place, hint):
    path = tmp_path / "codeboek.yaml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["codebook", "check", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    [line] = [x for x in result.stdout.splitlines() if "YAML syntax error" in x]
    assert place in line and f"(hint: {hint}" in line
    assert "while parsing" not in line and "while scanning" not in line


def test_a_configuration_with_a_tab_says_to_indent_with_spaces(tmp_path):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "qualcode.yaml").write_text("interviewer_speakers:\n  - i\n\t- interviewer\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "transcripts"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "indent with spaces" in result.stderr and "while scanning" not in result.stderr


@pytest.mark.parametrize(
    ("front", "hint"),
    [
        ("respondent_type: professional\ntalen: [nl, fr\n", "close the '[' opened on line 3 with ']'"),  # lines of the file
        ("respondent_type: 'professional\n", "close the quote opened on line 2"),
        ("- een lijst\n", "front matter is a YAML mapping between two '---' lines"),
    ],
)
def test_front_matter_errors_say_what_to_do_on_the_files_lines(tmp_path, front, hint):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "fm.md").write_text(f"---\n{front}---\nI: Hoi.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "import", str(root / "transcripts")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"hint: {hint}" in result.stderr or f"(hint: {hint}" in result.stderr, result.stderr


def test_a_codebook_that_cannot_be_read_says_what_to_give(tmp_path):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "codebooks" / "map.yaml").mkdir()
    (root / "qualcode.yaml").write_text("codebook: codebooks/map.yaml\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "transcripts"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "cannot read codebook" in result.stderr and "it is a folder, not a file" in result.stderr
    assert "hint: give the path of the codebook's YAML file" in result.stderr


@pytest.mark.parametrize(
    ("text", "place", "hint"),
    [
        # A tab that starts the line is "a character that cannot start any token" to the
        # parser: the hint for '@' and '`' sent people looking for a character they never typed.
        ("title: T\ncodes:\n\t- id: a\n", ":3:1:", "indent with spaces: YAML does not allow a tab here"),
        ("\ttitle: T\n", ":1:1:", "indent with spaces: YAML does not allow a tab here"),
        # A Windows path in double quotes: the quote is closed, the backslash is the matter.
        ('title: "C:\\Users\\lotte"\ncodes: []\n', ":1:", "write a backslash in double quotes as '\\\\'"),
        ('title: "a\\q"\ncodes: []\n', ":1:", "write a backslash in double quotes as '\\\\'"),
        ("title: T\n---\ncodes: []\n", ":2:1:", "a file holds one YAML document: remove the '---' or '...' on line 2"),
        ("title: T\ncodes: [@a]\n", ":2:9:", "put a value that starts with '@', '`' or '%' in quotes"),  # unchanged
    ],
)
def test_hints_name_the_tab_the_backslash_and_the_second_document(tmp_path, text, place, hint):
    test_codebook_check_hints_say_what_to_do(tmp_path, text, place, hint)


def test_a_tab_before_a_list_item_in_the_configuration_says_to_indent_with_spaces(tmp_path):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "qualcode.yaml").write_text("interviewer_speakers:\n\t- interviewer\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "transcripts"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "line 2, column 1" in result.stderr and "indent with spaces" in result.stderr
    assert "'@'" not in result.stderr


def test_a_tab_in_front_matter_says_to_indent_with_spaces(tmp_path):
    root = tmp_path / "studie"
    assert CliRunner().invoke(main, ["init", str(root)]).exit_code == 0
    (root / "transcripts" / "fm.md").write_text("---\nland: NL\n\ttalen: nl\n---\nI: Hoi.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(root), "import", str(root / "transcripts")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "fm.md:3" in result.stderr and "hint: indent with spaces" in result.stderr, result.stderr
