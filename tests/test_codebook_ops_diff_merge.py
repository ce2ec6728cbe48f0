"""codebook diff and merge: what changed, and conflicts reported instead of guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_refi_support import SMALL_CODEBOOK

from qualcode.codebook import dump_codebook, parse_codebook
from qualcode.codebook_ops.diff import diff_codebooks
from qualcode.codebook_ops.merge import merge_codebooks, merged_text
from qualcode.errors import Report
from qualcode.refi.codebook_xml import codebook_to_qdc
from qualcode.refi.files import load_codebook_file

RENAMED_ID = "11111111-2222-4333-8444-555555555555"


def write(tmp_path: Path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_codebook_file(path, Report())


def test_codebook_ops_diff_lists_each_kind_of_change(tmp_path):
    old = write(tmp_path, "old.yaml", SMALL_CODEBOOK.replace("  - id: kracht\n", f"  - id: kracht\n    guid: {RENAMED_ID}\n"))
    new_text = (
        SMALL_CODEBOOK.replace("  - id: kracht\n", f"  - id: eigen_kracht\n    guid: {RENAMED_ID}\n")
        .replace("[rol_cjg, kracht]", "[rol_cjg, eigen_kracht]")
        .replace("name: Van het CJG", "name: Verwachtingen van het CJG")
        .replace("description: Wat partijen van elkaar verwachten.", "description: Wat partijen verwachten.")
        .replace("      - id: rol_org\n        name: Van de organisatie\n", "")
        .replace(
            "      - id: vertrouwen\n        name: Vertrouwen\n",
            "      - id: vertrouwen\n        name: Vertrouwen\n      - id: nieuw\n        name: Nieuw\n",
        )
        .replace('version: "2"', 'version: "3"')
    )
    new = write(tmp_path, "new.yaml", new_text)
    changes = [
        (c.kind, c.code, c.old, c.new, c.fields)
        for c in diff_codebooks(old.book, new.book, colors=(old.explicit_colors, new.explicit_colors)).changes
    ]
    assert changes == [
        ("added", "nieuw", "", "Nieuw (under map)", []),
        ("removed", "rol_org", "Van de organisatie (under rol)", "", []),
        ("id", "eigen_kracht", "kracht", "eigen_kracht", []),
        ("renamed", "rol_cjg", "Van het CJG", "Verwachtingen van het CJG", []),
        ("changed", "rol", "", "", ["description"]),
        ("codebook", "version", "2", "3", []),
    ]


def test_codebook_ops_diff_moved_and_no_differences(tmp_path):
    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK)
    assert not diff_codebooks(a.book, a.book)
    moved = SMALL_CODEBOOK.replace("      - id: vertrouwen\n        name: Vertrouwen\n", "").replace(
        "sets:", "  - id: vertrouwen\n    name: Vertrouwen\nsets:"
    )
    b = write(tmp_path, "b.yaml", moved)
    assert [(c.kind, c.code, c.old, c.new) for c in diff_codebooks(a.book, b.book).changes] == [
        ("moved", "vertrouwen", "map", "(top)")
    ]


def test_codebook_ops_diff_yaml_against_its_own_qdc_export(tmp_path):
    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK)
    qdc = tmp_path / "a.qdc"
    qdc.write_bytes(codebook_to_qdc(a.book))
    b = load_codebook_file(qdc, Report(), known=a.book)
    assert diff_codebooks(a.book, b.book, colors=(a.explicit_colors, b.explicit_colors)).changes == []


def test_codebook_ops_merge_takes_what_only_one_side_says(tmp_path):
    a = write(
        tmp_path,
        "a.yaml",
        SMALL_CODEBOOK.replace(
            "  - id: kracht\n    name: Eigen kracht\n", "  - id: kracht\n    name: Eigen kracht\n    description: Uit A.\n"
        ),
    )
    b = write(
        tmp_path,
        "b.yaml",
        SMALL_CODEBOOK.replace(
            "      - id: rol_org\n        name: Van de organisatie\n",
            '      - id: rol_org\n        name: Van de organisatie\n        color: "#ff0000"\n      - id: rol_gem\n        name: Van de gemeente\n',
        ),
    )
    result = merge_codebooks(a, b)
    assert result.conflicts == []
    book = result.book
    assert book.get("kracht").description == "Uit A."
    assert book.get("rol_org").color == "#ff0000"
    assert [c.id for c in book.get("rol").children] == ["rol_cjg", "rol_org", "rol_gem"]
    assert book.get("rol").hints.keywords == ["verwachten"]
    text = dump_codebook(book)
    assert parse_codebook(text, "m.yaml")[1] == []
    assert "rol_cjg" in text and 'color: "#4e79a7"' in text.replace("'", '"')
    assert "color" not in text.split("id: kracht")[1].split("- id")[0]  # no palette colour baked in


def test_codebook_ops_merge_reports_conflicts_instead_of_guessing(tmp_path):
    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Kracht A").replace("key: k", "key: x"))
    b = write(
        tmp_path,
        "b.yaml",
        SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Kracht B").replace(
            "name: Van het CJG\n        key: c", "name: Van het CJG\n        key: x"
        ),
    )
    result = merge_codebooks(a, b)
    described = [str(c) for c in result.conflicts]
    assert "code 'kracht' name: 'Kracht A' in the first file, 'Kracht B' in the second" in described
    assert "code 'kracht' key: 'x' in the first file, 'k' in the second" in described
    assert "code 'rol_cjg' key: 'c' in the first file, 'x' in the second" in described


def test_codebook_ops_merge_with_a_base_takes_each_sides_changes(tmp_path):
    base = write(tmp_path, "base.yaml", SMALL_CODEBOOK)
    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Kracht (A)"))
    b = write(
        tmp_path,
        "b.yaml",
        SMALL_CODEBOOK.replace("name: Van het CJG", "name: CJG (B)").replace(
            "      - id: vertrouwen\n        name: Vertrouwen\n", "      - id: anders\n        name: Anders\n"
        ),
    )
    result = merge_codebooks(a, b, base)
    assert result.conflicts == []
    book = result.book
    assert (book.get("kracht").name, book.get("rol_cjg").name) == ("Kracht (A)", "CJG (B)")
    assert "vertrouwen" not in book and "anders" in book  # B deleted one and added one
    both = write(tmp_path, "c.yaml", SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Kracht (C)"))
    clash = merge_codebooks(a, both, base)
    assert [str(c) for c in clash.conflicts] == ["code 'kracht' name: 'Kracht (A)' in the first file, 'Kracht (C)' in the second"]


def test_codebook_ops_merge_parent_loop_is_a_conflict(tmp_path):
    base = write(tmp_path, "base.yaml", "title: t\ncodes:\n  - id: a\n    name: A\n  - id: b\n    name: B\n")
    a = write(tmp_path, "a.yaml", "title: t\ncodes:\n  - id: a\n    name: A\n    children:\n      - id: b\n        name: B\n")
    b = write(tmp_path, "b.yaml", "title: t\ncodes:\n  - id: b\n    name: B\n    children:\n      - id: a\n        name: A\n")
    result = merge_codebooks(a, b, base)
    assert any("parent" in str(c) for c in result.conflicts)
    assert {c.id for c in result.book.walk()} == {"a", "b"}


def test_codebook_ops_merge_sets_are_joined(tmp_path):
    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK)
    b = write(
        tmp_path, "b.yaml", SMALL_CODEBOOK.replace("[rol_cjg, kracht]", "[rol_org]") + "  - name: Extra\n    codes: [map]\n"
    )
    result = merge_codebooks(a, b)
    assert [(s.name, s.codes) for s in result.book.sets] == [("Kern", ["rol_cjg", "kracht", "rol_org"]), ("Extra", ["map"])]


@pytest.mark.parametrize("field", ["title", "licence"])
def test_codebook_ops_merge_codebook_fields(tmp_path, field):
    a = write(
        tmp_path,
        "a.yaml",
        SMALL_CODEBOOK.replace("title: Testcodeboek", f"title: Testcodeboek\n{field}: A" if field == "licence" else "title: A"),
    )
    b = write(
        tmp_path,
        "b.yaml",
        SMALL_CODEBOOK.replace("title: Testcodeboek", f"title: Testcodeboek\n{field}: B" if field == "licence" else "title: B"),
    )
    result = merge_codebooks(a, b)
    assert [str(c) for c in result.conflicts] == [f"codebook {field}: 'A' in the first file, 'B' in the second"]


def _changed_lines(before: str, after: str) -> list[str]:
    import difflib

    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_codebook_ops_merge_keeps_comments_and_edits_only_what_changes(tmp_path):
    base = write(tmp_path, "base.yaml", SMALL_CODEBOOK)
    mine = SMALL_CODEBOOK.replace('version: "2"', 'version: "3"').replace("    key: k\n", "    key: e\n")
    theirs = (
        SMALL_CODEBOOK.replace("# Een klein codeboek voor de tests.\n", "")  # the other file lost its comments
        .replace("      keywords: [verwachten]\n", "      keywords: [verwachten, verwachting]\n")
        .replace(
            "      - id: rol_org\n        name: Van de organisatie\n",
            "      - id: rol_org\n        name: Van de organisatie\n      - id: rol_gem\n        name: Van de gemeente\n",
        )
    )
    a, b = write(tmp_path, "a.yaml", mine), write(tmp_path, "b.yaml", theirs)
    result = merge_codebooks(a, b, base)
    assert result.conflicts == []
    text, kept = merged_text(a, b, result)
    assert kept == a.path
    comments = [line for line in text.splitlines() if line.strip().startswith("#")]
    assert comments == [line for line in mine.splitlines() if line.strip().startswith("#")] and len(comments) == 3
    assert _changed_lines(mine, text) == [
        "-      keywords: [verwachten]",
        "+      keywords:",
        "+        - verwachten",
        "+        - verwachting",
        "+      - id: rol_gem",
        "+        name: Van de gemeente",
    ]
    merged, problems = parse_codebook(text, "m.yaml")
    assert problems == [] and merged.version == "3" and merged.get("kracht").key == "e"
    assert "guid:" not in text


def test_codebook_ops_merge_of_two_yaml_files_changes_nothing_when_they_agree(tmp_path):
    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK)
    b = write(tmp_path, "b.yaml", SMALL_CODEBOOK.replace("  # ---- rollen ----\n", ""))
    result = merge_codebooks(a, b)
    text, kept = merged_text(a, b, result)
    assert (text, kept) == (SMALL_CODEBOOK, a.path)


def test_codebook_ops_merge_cli_says_whose_layout_it_kept(tmp_path):
    from click.testing import CliRunner

    from qualcode.cli import main

    a = write(tmp_path, "a.yaml", SMALL_CODEBOOK)
    b = write(
        tmp_path,
        "b.yaml",
        SMALL_CODEBOOK.replace("    name: Eigen kracht\n", "    name: Eigen kracht\n    description: Nieuw.\n"),
    )
    result = CliRunner().invoke(main, ["codebook", "merge", str(a.path), str(b.path)])
    assert result.exit_code == 0, result.stderr
    assert "comments and layout kept" in result.stderr
    assert _changed_lines(SMALL_CODEBOOK, result.stdout) == ["+    description: Nieuw."]
