"""`qualcode pseudonymise ...` and `export --pseudonymise` through click's runner (a stub for deduce)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from pseudo_support import StubDetector, make_pseudo_project

from qualcode.cli import main, pseudo_cmds

NAMES = ("Hatice", "Marieke", "Yilmaz", "HATICE", "06-12345678", "Noor Hendriks")


@pytest.fixture
def root(tmp_path, monkeypatch):
    make_pseudo_project(tmp_path / "studie").close()
    stub = StubDetector({"Hatice Yilmaz": "person", "Marieke": "person", "06-12345678": "phone"})
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: stub)
    return tmp_path / "studie"


def run(root, *args, input=None):
    return CliRunner().invoke(main, ["--project", str(root), "--coder", "anna", *args], input=input)


def ids(root, *args):
    out = run(root, "pseudonymise", "list", "--format", "csv", *args).output
    return [int(r["id"]) for r in csv.DictReader(io.StringIO(out))]


def accept_all(root):
    while pending := ids(root):
        assert run(root, "pseudonymise", "accept", str(pending[0])).exit_code == 0


def test_cli_detect_list_accept_apply_report(root):
    r = run(root, "pseudonymise", "detect")
    assert r.exit_code == 0, r.output
    assert "to review" in r.output
    listed = run(root, "pseudonymise", "list").output
    assert "Hatice Yilmaz" in listed and "[persoon" not in listed
    accept_all(root)
    r = run(root, "pseudonymise", "apply")
    assert r.exit_code == 0, r.output
    assert "none detached" in r.output
    assert "attribute 'interviewer'" in r.output  # reported, not replaced without --replace-attributes
    shown = run(root, "transcripts").output
    report = run(root, "pseudonymise", "report", "--dmp", "--format", "csv").output
    assert "[persoon 1]" in report and not any(n in report for n in NAMES)
    assert "int1" in shown
    # Nor do the database's bytes (only the reported attribute still names the interviewer).
    stored = b"".join(p.read_bytes() for p in root.glob("qualcode.db*"))
    assert [n for n in NAMES if n.encode("utf-8") in stored] == ["Noor Hendriks"]


def test_cli_apply_refuses_with_unreviewed_candidates(root):
    run(root, "pseudonymise", "detect")
    r = run(root, "pseudonymise", "apply")
    assert r.exit_code == 1
    assert "QC957" not in r.output and "not reviewed yet" in r.output and "Traceback" not in r.output
    assert "--ignore-pending" in r.output


def test_cli_export_pseudonymise_refuses_unreviewed_candidates_without_offering_a_missing_flag(root, tmp_path):
    run(root, "pseudonymise", "detect")
    target = tmp_path / "out.csv"
    r = run(root, "export", "segments", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 1
    assert "not reviewed yet" in r.output and "pseudonymise accept" in r.output
    assert "--ignore-pending" not in r.output  # export has no such option
    assert not target.exists() and "Traceback" not in r.output


def test_cli_export_pseudonymise_contains_no_original_name_and_no_key(root, tmp_path):
    run(root, "pseudonymise", "detect")
    accept_all(root)
    plain = run(root, "export", "segments")
    assert "still read their original names" in plain.output  # the warning (stderr mixed in by the runner)
    r = run(root, "export", "segments", "--pseudonymise")
    assert r.exit_code == 0, r.output
    body = r.stdout if hasattr(r, "stdout") else r.output
    rows = list(csv.DictReader(io.StringIO(body[body.index("coding_id") :])))
    assert all(not any(n in v for n in NAMES for v in row.values() if v) for row in rows)
    target = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", str(target), "--pseudonymise")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(target) as z:
        content = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert not any(n in content for n in NAMES)
    # the project itself is unchanged by an export
    assert "Hatice" in run(root, "pseudonymise", "list", "--status", "all").output


def test_cli_key_warns_and_undo_and_rename(root):
    run(root, "pseudonymise", "detect")
    first = ids(root, "--category", "person")[0]
    assert run(root, "pseudonymise", "accept", str(first)).exit_code == 0
    r = run(root, "pseudonymise", "rename", "[persoon 1]", "Fenna")
    assert r.exit_code == 0 and "is now Fenna" in r.output
    r = run(root, "pseudonymise", "key")
    assert "this is the key" in r.output and "Fenna" in r.output
    assert "undone: rename" in run(root, "pseudonymise", "undo").output
    assert "undone: accept" in run(root, "pseudonymise", "undo").output
    r = run(root, "pseudonymise", "undo")
    assert r.exit_code == 1 and "no pseudonymisation decision to undo" in r.output


def test_cli_errors_are_clear(root):
    run(root, "pseudonymise", "detect")
    r = run(root, "pseudonymise", "accept", "999")
    assert r.exit_code == 1 and "no candidate with id 999" in r.output and "Traceback" not in r.output
    r = run(root, "pseudonymise", "add", "int1", "Nergens", "--category", "person")
    assert r.exit_code == 1 and "does not occur" in r.output
    r = run(root, "pseudonymise", "accept", str(ids(root)[0]), "--span", "a:b")
    assert r.exit_code == 2 and "START:END" in r.output
    (root / "pseudonymise.yaml").write_text("person: [Hatice]\nplaatsen: [Gent]\n", encoding="utf-8")
    r = run(root, "pseudonymise", "detect")
    assert r.exit_code == 1 and "pseudonymise.yaml:2: unknown category 'plaatsen'" in r.output


def test_cli_every_pseudonymise_command_has_help(root):
    for name, command in pseudo_cmds.pseudonymise.commands.items():
        assert command.help, name


INTERVIEW3 = """\
---
interviewer: Noor Hendriks
---
I: Hoe gaat het nu?
R: Goed. Het buurtteam helpt.
"""


def _coded_project(root):
    """The sample with a third interview (no name in its text, one in its front matter) and
    codings whose quotes and memos hold names, in all three."""
    from qualcode.importing import import_paths
    from qualcode.project import Project

    (root / "transcripts" / "int3.md").write_text(INTERVIEW3, encoding="utf-8")
    project = Project(root)
    import_paths(project, [root / "transcripts" / "int3.md"], default_coder="test")
    project.sync_codebook()
    store = project.store
    for name, phrase, memo in (
        ("int1", "Via Hatice Yilmaz. Hatice belde Marieke", "Hatice is de sleutel"),
        ("int1", "Veilig Thuis in Overvecht", None),
        ("int2", "HATICE ken ik", "zegt Marieke ook, net als Noor Hendriks"),
        ("int3", "Het buurtteam helpt", "Marieke? vroeg door"),
    ):
        tid = store.transcripts.id_by_name(name)
        start = store.transcripts.text(tid).index(phrase)
        store.codings.add(tid, start, start + len(phrase), "vertrouwen", "anna", memo=memo)
        store.codings.add(tid, start, start + 3, "doorverwijzing", "bram")
    project.close()


def test_cli_export_pseudonymise_leaves_no_name_in_quotes_memos_or_attributes(root, tmp_path):
    _coded_project(root)
    run(root, "pseudonymise", "detect")
    accept_all(root)
    target = tmp_path / "segments.csv"
    r = run(root, "export", "segments", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 0, r.output
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == 8  # every coding, in every transcript (one without a name in its text too)
    assert [row for row in rows if any(n in v for n in NAMES for v in row.values() if v)] == []
    assert all(not any(n in v for n in NAMES for v in row.values() if v) for row in rows)
    memos = sorted(row["memo"] for row in rows if row["memo"])
    # Noor Hendriks is named only in int3's front matter (interviewer): her name goes from
    # int2's memo too, as the attribute's own label (the key has no pseudonym for her yet).
    assert [re.sub(r"\[persoon \d\]", "[p]", m) for m in memos] == [
        "[p] is de sleutel",
        "[p]? vroeg door",
        "zegt [p] ook, net als [persoon A]",
    ]
    qdpx = tmp_path / "shared.qdpx"
    assert run(root, "export", "qdpx", "-o", str(qdpx), "--pseudonymise").exit_code == 0
    with zipfile.ZipFile(qdpx) as z:
        content = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    assert not any(n in content for n in NAMES)
    assert "vroeg door" in content  # int3's memo is there, its names replaced
    # The project keeps its names (the export worked on a copy).
    plain = tmp_path / "plain.csv"
    assert run(root, "export", "segments", "-o", str(plain)).exit_code == 0
    assert "Hatice is de sleutel" in plain.read_text(encoding="utf-8-sig")


def test_cli_apply_replaces_a_name_given_only_as_an_attribute_in_every_memo(root):
    _coded_project(root)
    run(root, "pseudonymise", "detect")
    accept_all(root)
    r = run(root, "pseudonymise", "apply", "--replace-memos", "--replace-attributes")
    assert r.exit_code == 0, r.output
    from qualcode.project import Project

    project = Project(root)
    memos = [c.memo for c in project.store.codings.find() if c.memo]
    interviewer = project.store.transcripts.attributes(project.store.transcripts.id_by_name("int3"))["interviewer"]
    project.close()
    assert not any(n in m for n in NAMES for m in memos)
    # int2's memo read before int3's front matter, and still gets her pseudonym from the key.
    assert any(m.endswith(f"net als {interviewer}") for m in memos), memos
    assert interviewer.startswith("[persoon ")


def test_cli_a_command_before_any_detection_leaves_no_key_file_behind(root):
    """`accept 5` or `list` before `detect` made an empty pseudonymisation-key.db."""
    from qualcode.store.key import KEY_NAME

    failed = run(root, "pseudonymise", "accept", "5")
    assert failed.exit_code == 1 and "no candidate with id 5" in failed.output
    assert run(root, "pseudonymise", "list").exit_code == 0
    assert not [p.name for p in root.iterdir() if p.name.startswith(KEY_NAME)]
    assert run(root, "pseudonymise", "never", "Mooi").exit_code == 0  # a decision: the key is kept
    assert (root / KEY_NAME).exists()


def test_cli_apply_keeps_a_source_without_texts_values_and_restore_sources_puts_them_back(root):
    from qualcode.project import Project
    from qualcode.store import EmptySource

    guid = "aaaaaaaa-0000-4000-8000-000000000009"
    values = {"respondent": "Hatice Yilmaz", "leeftijd": "42"}
    project = Project(root)
    project.store.exchange.keep_empty_source(EmptySource(guid, "opname 3", "2024-05-01T10:00:00+00:00", "anna", values))
    project.close()
    run(root, "pseudonymise", "detect")
    accept_all(root)
    r = run(root, "pseudonymise", "apply", "--replace-attributes")
    assert r.exit_code == 0, r.output

    def source_values() -> dict[str, str]:
        project = Project(root)
        try:
            return project.store.exchange.empty_sources()[0].attributes
        finally:
            project.close()

    changed = source_values()
    assert changed["leeftijd"] == "42" and "Hatice" not in changed["respondent"]
    assert run(root, "pseudonymise", "apply", "--replace-attributes").exit_code == 0  # again: the first values stay kept
    r = run(root, "pseudonymise", "restore")
    assert r.exit_code != 0 and "--sources" in r.output  # nothing named: says what it takes
    r = run(root, "pseudonymise", "restore", "--sources")
    assert r.exit_code == 0, r.output
    assert "opname 3: original values restored" in r.output
    assert source_values() == values
    r = run(root, "pseudonymise", "restore", "--sources")
    assert r.exit_code == 0 and "no source without text" in r.output


def test_cli_forget_originals_also_removes_a_source_without_texts_values(root):
    from qualcode.project import Project
    from qualcode.store import EmptySource
    from qualcode.store.key import KEY_NAME, KeyStore

    project = Project(root)
    project.store.exchange.keep_empty_source(
        EmptySource(
            "aaaaaaaa-0000-4000-8000-000000000009", "opname 3", "2024-05-01T10:00:00+00:00", "anna", {"r": "Hatice Yilmaz"}
        )
    )
    project.close()
    run(root, "pseudonymise", "detect")
    accept_all(root)
    assert run(root, "pseudonymise", "apply", "--replace-attributes").exit_code == 0
    assert run(root, "pseudonymise", "forget-originals", "--yes").exit_code == 0
    key = KeyStore(root / KEY_NAME)
    try:
        assert key.source_originals() == {}
    finally:
        key.close()
