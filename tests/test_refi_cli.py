"""The exchange and code-maintenance commands through click's runner."""

from __future__ import annotations

import json
import zipfile

import pytest
from test_refi_support import SMALL_CODEBOOK, assert_valid, coded_project, make_qdpx

from qualcode.cli import main


@pytest.fixture
def project(tmp_path):
    return coded_project(tmp_path)


def run(runner, project, *args):
    return runner.invoke(main, ["--project", str(project.root), "--coder", "tester", *args])


def test_refi_cli_codebook_export_to_stdout_and_file(runner, project, tmp_path):
    result = run(runner, project, "codebook", "export")
    assert result.exit_code == 0, result.output
    assert_valid(result.stdout_bytes, "codebook")
    assert "a .qdc cannot hold the codebook's title, version, suggestion hints" in result.stderr
    out = tmp_path / "cb.qdc"
    assert run(runner, project, "codebook", "export", "--format", "qdc", "--out", str(out)).exit_code == 0
    assert out.read_bytes() == result.stdout_bytes
    again = run(runner, project, "codebook", "export", "--out", str(out))
    assert again.exit_code == 1 and "already exists" in again.stderr and "--force" in again.stderr
    assert run(runner, project, "codebook", "export", "--out", str(out), "--force").exit_code == 0


def test_refi_cli_codebook_import_round_trip(runner, project, tmp_path):
    qdc = tmp_path / "cb.qdc"
    run(runner, project, "codebook", "export", "--out", str(qdc))
    result = runner.invoke(main, ["codebook", "import", str(qdc)])
    assert result.exit_code == 0, result.stderr
    assert "id: rol_cjg" in result.stdout and "guid:" in result.stdout
    out = tmp_path / "terug.yaml"
    assert runner.invoke(main, ["codebook", "import", str(qdc), "--out", str(out)]).exit_code == 0
    diff = runner.invoke(main, ["codebook", "diff", str(project.codebook_path), str(out)])
    # Only what a .qdc cannot carry differs.
    assert "changed: hints" in diff.stdout and "codebook field" in diff.stdout
    assert "added" not in diff.stdout and "removed" not in diff.stdout
    refused = runner.invoke(main, ["codebook", "import", str(project.codebook_path)])
    assert refused.exit_code == 1 and "already a qualcode codebook" in refused.stderr


def test_refi_cli_codebook_diff_text_and_json(runner, project, tmp_path):
    other = tmp_path / "ander.yaml"
    other.write_text(SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Veerkracht"), encoding="utf-8")
    result = runner.invoke(main, ["codebook", "diff", str(project.codebook_path), str(other)])
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["~ kracht  renamed: 'Eigen kracht' -> 'Veerkracht'", "1 renamed"]
    as_json = runner.invoke(main, ["codebook", "diff", str(project.codebook_path), str(other), "--format", "json"])
    assert json.loads(as_json.stdout) == [
        {"kind": "renamed", "code": "kracht", "old": "Eigen kracht", "new": "Veerkracht", "fields": []}
    ]
    same = runner.invoke(main, ["codebook", "diff", str(other), str(other)])
    assert same.stdout == "no differences\n"


def test_refi_cli_codebook_merge_conflicts_exit_1_and_write_nothing(runner, tmp_path):
    a, b, out = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "m.yaml"
    a.write_text(SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Kracht A"), encoding="utf-8")
    b.write_text(SMALL_CODEBOOK.replace("name: Eigen kracht", "name: Kracht B"), encoding="utf-8")
    result = runner.invoke(main, ["codebook", "merge", str(a), str(b), "--out", str(out)])
    assert result.exit_code == 1
    assert "conflict: code 'kracht' name: 'Kracht A' in the first file, 'Kracht B' in the second" in result.stderr
    assert "1 conflict(s)" in result.stderr and "Traceback" not in result.output
    assert not out.exists()
    b.write_text(
        SMALL_CODEBOOK.replace("  - id: kracht\n", "  - id: kracht\n    description: Nieuw.\n").replace(
            "name: Eigen kracht", "name: Kracht A"
        ),
        encoding="utf-8",
    )
    merged = runner.invoke(main, ["codebook", "merge", str(b), str(a)])
    assert merged.exit_code == 0, merged.stderr
    assert "name: Kracht A" in merged.stdout and "description: Nieuw." in merged.stdout


def test_refi_cli_codebook_apply_dry_run_then_real(runner, project, tmp_path):
    updated = tmp_path / "nieuw.yaml"
    updated.write_text(
        SMALL_CODEBOOK.replace("  - id: kracht\n", "  - id: veerkracht\n").replace("[rol_cjg, kracht]", "[rol_cjg]"),
        encoding="utf-8",
    )
    before = project.codebook_path.read_text(encoding="utf-8")
    dry = run(runner, project, "codebook", "apply", str(updated), "--merge", "kracht=veerkracht", "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "would move 1 coding(s) of 'kracht' to 'veerkracht' (--merge)" in dry.stdout
    assert project.codebook_path.read_text(encoding="utf-8") == before
    real = run(runner, project, "codebook", "apply", str(updated))
    assert real.exit_code == 0, real.stderr
    assert "code 'kracht' is not in the new codebook: its 1 coding(s) are kept" in real.stderr
    assert "--merge kracht=veerkracht" in real.stderr
    check = run(runner, project, "check")
    assert check.exit_code == 1 and "kracht" in check.stdout
    merged = run(runner, project, "codebook", "merge-codes", "kracht", "--into", "veerkracht")
    assert merged.exit_code == 0 and "1 coding(s) moved" in merged.stdout
    assert run(runner, project, "check").exit_code == 0
    bad = run(runner, project, "codebook", "apply", str(updated), "--merge", "kracht")
    assert bad.exit_code == 1 and "not OLD_ID=NEW_ID" in bad.stderr


def test_refi_cli_rename_merge_codes_move(runner, project):
    result = run(runner, project, "codebook", "rename", "rol_cjg", "rol_jeugd")
    assert result.exit_code == 0, result.stderr
    assert "renamed 'rol_cjg' to 'rol_jeugd'; 1 coding(s) moved" in result.stdout
    codings = run(runner, project, "codings", "--code", "rol_jeugd", "--format", "json")
    assert [c["code"] for c in json.loads(codings.stdout)] == ["rol_jeugd"]
    moved = run(runner, project, "codebook", "move", "rol_jeugd", "--top")
    assert moved.exit_code == 0 and "moved 'rol_jeugd' to the top" in moved.stdout
    neither = run(runner, project, "codebook", "move", "rol_jeugd")
    assert neither.exit_code == 2 and "exactly one of --parent CODE or --top" in neither.stderr
    unknown = run(runner, project, "codebook", "rename", "rol_cjgg", "x")
    assert unknown.exit_code == 1 and "did you mean" in unknown.stderr


def test_refi_cli_export_qdpx_writes_no_user_without_codings(runner, project, tmp_path):
    """Whoever exports without having coded ('tester'; 'root' by default as root) is no <User> of
    the file, and nothing refers to them: QualCoder, ATLAS.ti and NVivo list the users whose work
    is in the file (ATLAS.ti's and NVivo's files refer to no user they do not list). It listed the
    exporter, so a round trip made a coder with no codings."""
    import re

    coders = sorted({c["coder"] for c in json.loads(run(runner, project, "codings", "--format", "json").stdout)})
    assert "tester" not in coders
    path = tmp_path / "studie.qdpx"
    result = run(runner, project, "export", "qdpx", str(path))
    assert result.exit_code == 0, result.stderr
    assert f"{len(coders)} user(s) ({len(coders)} with codings)" in result.stdout
    assert "coder(s)" not in result.stdout
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    users = dict(re.findall(r'<User guid="([^"]+)" name="([^"]+)"', xml))
    assert sorted(users.values()) == coders
    referenced = set(re.findall(r'(?:creatingUser|modifyingUser)(?:GUID)?="([^"]+)"', xml))
    assert referenced and referenced <= set(users)


def test_refi_cli_export_and_import_qdpx(runner, project, tmp_path):
    path = tmp_path / "studie.qdpx"
    result = run(runner, project, "export", "qdpx", str(path))
    assert result.exit_code == 0, result.stderr
    assert "1 transcript(s), 4 coding(s), 2 memo(s)" in result.stdout
    assert run(runner, project, "export", "qdpx", str(path)).exit_code == 1  # exists
    target = tmp_path / "nieuw"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    imported = runner.invoke(main, ["--project", str(target), "import", str(path)])
    assert imported.exit_code == 0, imported.stderr
    assert "imported studie.qdpx (qualcode 0.1.0): 1 transcript(s), 4 coding(s)" in imported.stdout
    assert "codebook: wrote codebooks/codebook.yaml (6 codes)" in imported.stdout
    again = runner.invoke(main, ["--project", str(target), "import", "qdpx", str(path)])
    assert again.exit_code == 0 and "0 coding(s) of 4 read" in again.stdout
    listing = runner.invoke(main, ["--project", str(target), "codings", "--format", "json"])
    assert sorted(c["code"] for c in json.loads(listing.stdout)) == ["kracht", "rol", "rol_cjg", "rol_org"]
    mixed = runner.invoke(main, ["--project", str(target), "import", str(path), str(project.root / "transcripts")])
    assert mixed.exit_code == 2 and "one .qdpx (or .qde) file at a time" in mixed.stderr
    named = runner.invoke(main, ["--project", str(target), "import", "--name", "x", str(path)])
    assert named.exit_code == 2 and "do not apply to a .qdpx" in named.stderr


def test_refi_cli_bad_qdpx_is_an_error_without_traceback(runner, project, tmp_path):
    bomb = make_qdpx(tmp_path / "bom.qdpx", "<Project/>", {"sources/x.txt": b"\0" * (4 * 1024 * 1024)})
    with zipfile.ZipFile(bomb, "a") as archive:
        archive.writestr("../../ontsnapt.txt", "x")
    result = run(runner, project, "import", str(bomb))
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "hint: " in result.stderr
    assert "unsafe path '../../ontsnapt.txt'" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_refi_cli_project_import_reports_progress_per_source(runner, project, tmp_path, monkeypatch):
    """A project import of many sources runs for seconds: on a terminal a bar counts its sources."""
    from qualcode.cli import exchange_cmds

    calls: list[tuple[str, int, int, str]] = []

    class Recording:
        def __init__(self, label: str, *, minimum: int = 0, ending: bool = False) -> None:
            self.label = label

        def __enter__(self):
            return self

        def __exit__(self, *exc: object) -> None:
            pass

        def __call__(self, done: int, total: int, what: str = "") -> None:
            calls.append((self.label, done, total, what))

    path = tmp_path / "studie.qdpx"
    assert run(runner, project, "export", "qdpx", str(path)).exit_code == 0
    target = tmp_path / "nieuw"
    assert runner.invoke(main, ["init", str(target)]).exit_code == 0
    monkeypatch.setattr(exchange_cmds, "Progress", Recording)
    imported = runner.invoke(main, ["--project", str(target), "import", str(path)])
    assert imported.exit_code == 0, imported.stderr
    # The check of the whole file first (MiB of project.qde), then the sources written.
    assert [call[:3] for call in calls] == [("checking (MiB)", 0, 1), ("checking (MiB)", 1, 1), ("importing", 1, 1)]
    assert calls[0][3] == "project.qde" and calls[-1][3]


def test_refi_cli_refused_codebook_file_says_what_the_command_did_not_do(runner, project, tmp_path):
    """A .qdc the reader refuses: each command that reads it names the problem and its line and
    says what it did not do (diff compares, merge writes, apply changes, export exports);
    only `codebook import` says "nothing was imported"."""
    qdc = tmp_path / "cb.qdc"
    run(runner, project, "codebook", "export", "--out", str(qdc))
    bad = tmp_path / "bad.qdc"
    bad.write_text(qdc.read_text(encoding="utf-8").replace(' guid="', ' guid="zz', 1), encoding="utf-8")
    book = str(project.codebook_path)
    before = project.codebook_path.read_bytes()
    for args, outcome in (
        (["codebook", "import", str(bad)], "nothing was imported"),
        (["codebook", "diff", book, str(bad)], "nothing was compared"),
        (["codebook", "merge", book, str(bad)], "nothing was written"),
        (["codebook", "apply", str(bad)], "nothing was changed"),
        (["codebook", "export", str(bad)], "nothing was exported"),
    ):
        result = run(runner, project, *args)
        assert result.exit_code == 1, (args, result.output)
        assert f"{bad}:" in result.stderr and "is not a GUID" in result.stderr  # what and where
        error_line = next(line for line in result.stderr.splitlines() if line.startswith("error: "))
        assert error_line.endswith(outcome), (args, error_line)
    assert project.codebook_path.read_bytes() == before
    new = tmp_path / "nieuw"
    result = runner.invoke(main, ["init", str(new), "--codebook", str(bad)])
    assert result.exit_code == 1 and "is not a GUID" in result.stderr
    assert result.stderr.rstrip().splitlines()[-2].endswith("the project was not created")
    assert not new.exists()
