"""rename / merge-codes / move: the YAML changes only where it must, codings follow, nothing is lost."""

from __future__ import annotations

import difflib

import pytest
from test_refi_support import coded_project

from qualcode.codebook import read_codebook_text
from qualcode.codebook_ops.maintenance import merge_codes, move_code, rename_code
from qualcode.errors import QualcodeError
from qualcode.health import check_project
from qualcode.yamledit import YamlText


@pytest.fixture
def project(tmp_path):
    return coded_project(tmp_path)


def yaml_text(project) -> str:
    return read_codebook_text(project.codebook_path)


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def codes_of_codings(project) -> dict[str, int]:
    return project.store.codings.counts_by_code()


def test_codebook_ops_rename_moves_codings_and_pins_the_guid(project):
    before = yaml_text(project)
    guid = project.codebook.get("rol_cjg").stable_guid
    result = rename_code(project, "rol_cjg", "rol_jeugd")
    after = yaml_text(project)
    assert changed_lines(before, after) == [
        "-      - id: rol_cjg",
        "+      - id: rol_jeugd",
        f"+        guid: {guid}",
        "-    codes: [rol_cjg, kracht]",
        "+    codes: [rol_jeugd, kracht]",
    ]
    assert result.moved == 1
    counts = codes_of_codings(project)
    assert counts.get("rol_jeugd") == 1 and "rol_cjg" not in counts
    assert project.codebook.get("rol_jeugd").stable_guid == guid
    assert "rol_cjg" not in {r.id for r in project.store.codes.list(include_missing=True)}  # no stale row left
    assert check_project(project).ok


def test_codebook_ops_rename_and_merge_point_at_the_text_that_still_names_the_old_id(project):
    """A criterion "gebruik rol_cjg" in another code stays the researcher's text: it is not
    changed, but the rename names its line (it went unmentioned, pointing at a code that is gone)."""
    path = project.codebook_path
    text = yaml_text(project).replace("  - id: kracht\n", '  - id: kracht\n    description: "Niet de rol: gebruik rol_cjg."\n', 1)
    path.write_text(text, encoding="utf-8")
    project.reload_codebook()
    result = rename_code(project, "rol_cjg", "rol_jeugd")
    assert "gebruik rol_cjg." in yaml_text(project)
    line = next(n for n, t in enumerate(yaml_text(project).splitlines(), 1) if "gebruik rol_cjg" in t)
    assert any(f"'rol_cjg' is still named in the text of {path.name}, line(s) {line}" in n for n in result.notes)
    # Whole ids only: 'rol_jeugd' is named nowhere but in its own lines, so nothing more is said.
    assert not any("rol_jeugd' is still" in n for n in result.notes)
    result = merge_codes(project, ["rol_jeugd"], "kracht")
    assert not any("still named" in n for n in result.notes)


def test_codebook_ops_rename_keeps_quotes_and_an_existing_guid(project):
    path = project.codebook_path
    path.write_text(
        yaml_text(project).replace("  - id: kracht\n", '  - id: "kracht"\n    guid: 11111111-2222-4333-8444-555555555555\n'),
        encoding="utf-8",
    )
    project.reload_codebook()
    rename_code(project, "kracht", "eigen_kracht")
    text = yaml_text(project)
    assert '  - id: "eigen_kracht"\n    guid: 11111111-2222-4333-8444-555555555555\n' in text
    assert text.count("guid:") == 1


@pytest.mark.parametrize(
    ("old", "new", "code", "message"),
    [
        ("rol_cjg", "Rol CJG", "QC422", "not a valid code id"),
        ("rol_cjg", "kracht", "QC421", "already used"),
        ("bestaat_niet", "iets", "QC425", "not in the codebook and no coding uses it"),
    ],
)
def test_codebook_ops_rename_refusals_change_nothing(project, old, new, code, message):
    before = (yaml_text(project), codes_of_codings(project))
    with pytest.raises(QualcodeError) as caught:
        rename_code(project, old, new)
    assert caught.value.code == code and message in caught.value.message
    assert (yaml_text(project), codes_of_codings(project)) == before


def test_codebook_ops_rename_finishes_a_run_that_stopped_half_way(project):
    """A crash after the YAML was written: the codings are orphaned, not lost; run again."""
    path = project.codebook_path
    path.write_text(yaml_text(project).replace("rol_cjg", "rol_jeugd"), encoding="utf-8")
    project.reload_codebook()
    assert [c.code_id for c in project.store.codings.orphaned()] == ["rol_cjg"]
    assert not check_project(project).ok
    result = rename_code(project, "rol_cjg", "rol_jeugd")
    assert result.moved == 1 and not result.yaml_changed
    assert check_project(project).ok


def test_codebook_ops_merge_codes_moves_codings_children_and_set_members(project):
    store = project.store
    tid = 1
    text = store.transcripts.text(tid)
    # The same coder already has the target on this span: the two codings become one, memos joined.
    start = text.index("eigen kracht")
    store.codings.add(tid, start, start + len("eigen kracht"), "rol_org", "anna", memo="tweede memo")
    before = yaml_text(project)
    result = merge_codes(project, ["kracht", "map", "rol_cjg"], "rol_org")
    after = yaml_text(project)
    assert codes_of_codings(project) == {"rol_org": 3, "rol": 1}
    assert (result.moved, result.merged) == (1, 1)
    merged = [c for c in store.codings.find() if c.code_id == "rol_org" and c.start == start][0]
    assert merged.memo == "tweede memo\n\nlet op: 'eigen' & <kracht>"
    book = project.codebook
    assert not {"kracht", "map", "rol_cjg"} & {c.id for c in book.walk()}
    # map's sub-code moved under the target; the set now names the target once.
    assert [c.id for c in book.get("rol_org").children] == ["vertrouwen"]
    assert [s.codes for s in book.sets] == [["rol_org"]]
    assert "# Een klein codeboek voor de tests." in after and "# ---- kracht ----" not in after
    assert len(after) < len(before)
    assert check_project(project).ok


@pytest.mark.parametrize(
    ("sources", "target", "code", "message"),
    [
        (["kracht"], "map", "QC304", "is a folder"),
        (["kracht"], "kracht", "QC424", "cannot be merged into itself"),
        (["rol"], "rol_cjg", "QC424", "is one of its sub-codes"),
        (["nergens"], "kracht", "QC425", "not in the codebook"),
        (["kracht"], "nergens", "QC102", "unknown code"),
    ],
)
def test_codebook_ops_merge_codes_refusals_change_nothing(project, sources, target, code, message):
    before = (yaml_text(project), codes_of_codings(project))
    with pytest.raises(QualcodeError) as caught:
        merge_codes(project, sources, target)
    assert caught.value.code == code and message in caught.value.message
    assert (yaml_text(project), codes_of_codings(project)) == before


def test_codebook_ops_merge_codes_takes_codes_that_already_left_the_codebook(project):
    path = project.codebook_path
    path.write_text(
        yaml_text(project)
        .replace("  - id: kracht\n    name: Eigen kracht\n    key: k\n", "")
        .replace("[rol_cjg, kracht]", "[rol_cjg]"),
        encoding="utf-8",
    )
    project.reload_codebook()
    assert not check_project(project).ok  # kracht's coding is orphaned
    result = merge_codes(project, ["kracht"], "rol_org")
    assert result.moved == 1
    assert check_project(project).ok


def test_codebook_ops_move_keeps_comments_in_place(project):
    before = yaml_text(project)
    move_code(project, "rol_org", None)
    after = yaml_text(project)
    assert project.codebook.get("rol_org").parent_id is None
    assert after.index("# ---- kracht ----") < after.index("  - id: kracht")  # the header stayed with kracht
    assert "\n  - id: rol_org\n    name: Van de organisatie\n" in after
    move_code(project, "rol_org", "map")
    assert project.codebook.get("rol_org").parent_id == "map"
    move_code(project, "rol_org", "rol")
    assert yaml_text(project).count("rol_org") == before.count("rol_org")
    assert codes_of_codings(project)["rol_org"] == 1  # codings refer to ids: untouched


def test_codebook_ops_move_under_a_code_without_children_adds_the_key(project):
    move_code(project, "vertrouwen", "kracht")
    text = yaml_text(project)
    assert "  - id: kracht\n    name: Eigen kracht\n    key: k\n    children:\n      - id: vertrouwen\n" in text
    assert "children:\n  - id" not in text
    move_code(project, "vertrouwen", "map")  # kracht's list is empty again: the key goes
    assert "    key: k\n    children:" not in yaml_text(project)


@pytest.mark.parametrize(
    ("code", "parent", "message"),
    [("rol", "rol_cjg", "is one of its sub-codes"), ("rol", "rol", "cannot be its own parent")],
)
def test_codebook_ops_move_refuses_loops(project, code, parent, message):
    with pytest.raises(QualcodeError, match=message):
        move_code(project, code, parent)


def test_codebook_ops_store_failure_puts_the_yaml_back(project, monkeypatch):
    before = (yaml_text(project), codes_of_codings(project))

    def broken(*_args, **_kwargs):
        raise RuntimeError("database is locked")

    monkeypatch.setattr(type(project.store.codings), "move", broken)
    with pytest.raises(RuntimeError):
        rename_code(project, "rol_cjg", "rol_jeugd")
    assert (yaml_text(project), codes_of_codings(project)) == before
    assert "rol_cjg" in project.codebook


def test_codebook_ops_yaml_text_refuses_flow_style_code_lists():
    doc = YamlText("title: t\ncodes: [{id: a, name: A}, {id: b, name: B}]\n", "cb.yaml")
    with pytest.raises(QualcodeError) as caught:
        doc.cut("a")
    assert caught.value.code == "QC430"


_KILLED_RENAME = """
import os, sys
from qualcode.project import Project
from qualcode.codebook_ops.maintenance import rename_code
project = Project.open(sys.argv[1])
codings = type(project.store.codings)
move = codings.move
def killed(self, *args):
    move(self, *args)  # the codings move inside the transaction ...
    os._exit(9)  # ... and the process dies before it commits (as SIGKILL would)
codings.move = killed
rename_code(project, "rol_cjg", "rol_jeugd")
"""


def test_codebook_ops_killed_before_the_commit_leaves_yaml_and_codings_as_they_were(project):
    import subprocess
    import sys

    before = (yaml_text(project), codes_of_codings(project))
    project.store.close()
    done = subprocess.run([sys.executable, "-c", _KILLED_RENAME, str(project.root)], capture_output=True)
    assert done.returncode == 9, done.stderr
    reopened = type(project).open(project.root)
    assert (yaml_text(reopened), codes_of_codings(reopened)) == before
    assert check_project(reopened).ok
    result = rename_code(reopened, "rol_cjg", "rol_jeugd")  # run again: done, and the leftover file cleaned
    assert result.moved == 1 and result.yaml_changed
    assert not [p for p in reopened.codebook_path.parent.iterdir() if p.name.startswith(".")]


class _InterruptedAfterCommit:
    """A connection whose COMMIT commits, then raises KeyboardInterrupt: a Ctrl-C pressed while
    SQLite committed is raised as the statement returns (Python checks signals between steps)."""

    def __init__(self, conn) -> None:
        self._conn = conn

    def execute(self, sql, *args):
        result = self._conn.execute(sql, *args)
        if sql == "COMMIT":
            raise KeyboardInterrupt
        return result

    def __getattr__(self, name):
        return getattr(self._conn, name)


@pytest.mark.parametrize("change", ["rename", "merge", "move"])
def test_codebook_ops_ctrl_c_as_the_commit_returns_still_writes_the_yaml(project, change):
    # Before: the store had committed the codings under the new code, and the interrupt kept the
    # YAML as it was, so the codings named a code the codebook lacked (found on 1,000 interviews).
    before = codes_of_codings(project)
    db = project.store._db
    db.conn = _InterruptedAfterCommit(db.conn)
    with pytest.raises(KeyboardInterrupt):
        if change == "rename":
            rename_code(project, "rol_cjg", "rol_jeugd")
        elif change == "merge":
            merge_codes(project, ["rol_cjg"], "kracht")
        else:
            move_code(project, "rol_cjg", None)
    db.conn = db.conn._conn
    reopened = type(project).open(project.root)
    assert set(codes_of_codings(reopened)) <= {c.id for c in reopened.codebook.walk()}  # every coding's code is in the file
    if change == "move":
        assert reopened.codebook.get("rol_cjg").parent_id is None  # the store's tree is the file's
    else:
        assert codes_of_codings(reopened) != before and "rol_cjg" not in reopened.codebook
    assert not [p for p in reopened.codebook_path.parent.iterdir() if p.name.startswith(".")]


def test_codebook_ops_rename_names_a_dozen_lines_that_still_name_the_old_id_and_counts_the_rest(project):
    path = project.codebook_path
    comments = "".join(f"# zie rol_cjg ({n})\n" for n in range(30))  # hostile17: every line was listed
    path.write_text(comments + yaml_text(project), encoding="utf-8")
    project.reload_codebook()
    result = rename_code(project, "rol_cjg", "rol_jeugd")
    note = next(n for n in result.notes if "'rol_cjg' is still named" in n)
    assert f"line(s) {', '.join(str(n) for n in range(1, 13))} and 18 more (a definition" in note
