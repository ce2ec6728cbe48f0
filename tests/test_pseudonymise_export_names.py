"""`export ... --pseudonymise` where names crowd an interview: a name inside another, names
at the edges of turns and as a speaker label, the same name many times, codings that
start or end inside names (a stub for deduce)."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pytest
from click.testing import CliRunner
from pseudo_support import CODEBOOK, StubDetector

from qualcode.cli import main, pseudo_cmds

INTERVIEW = """\
---
interviewer: Jan de Vries
---
I: Jan de Vries hier. Kent u Jan?
JAN: Jan? Ja, Jan de Vries en Marieke Jansen. Marieke en Jansen, Jansen en Marieke, in Den Haag
R: Den Haag Den Haag, Marieke's zus Jan
I: Marieke
R: Jansen! Jan de Vries, Jan, Jan.
JAN: Jan de Vries
"""

INTERVIEW2 = """\
R: Niemand hier, alleen Den Haag en Jan.
"""

FLAGS = {"Jan de Vries": "person", "Marieke Jansen": "person", "Marieke": "person", "Jansen": "person", "Jan": "person"}
FLAGS |= {"Den Haag": "place"}
# Every original as it may be written; "JAN" is the speaker label.
ORIGINALS = re.compile(r"Jan|JAN|Marieke|Jansen|Vries|Haag", re.IGNORECASE)


def imported(root, texts):
    """A project at ``root`` with the test codebook and ``texts`` (file name -> text) imported."""
    from qualcode.importing import import_paths
    from qualcode.project import Project

    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts").mkdir()
    files = []
    for name, text in texts.items():
        path = root / "transcripts" / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    project = Project(root)
    import_paths(project, files, default_coder="test")
    project.sync_codebook()
    return project


@pytest.fixture
def root(tmp_path, monkeypatch):
    root = tmp_path / "studie"
    project = imported(root, {"vol.md": INTERVIEW, "leeg.txt": INTERVIEW2})
    store = project.store
    for name in ("vol", "leeg"):
        tid = store.transcripts.id_by_name(name)
        text = store.transcripts.text(tid)
        turns = store.transcripts.turns(tid)
        # Whole turns (names at both edges), and spans that start or end inside names, each
        # by its own coder (two codings of a coder that fall on one pseudonym are refused).
        spans = [(u.start, u.end) for u in turns]
        for m in re.finditer(r"Jan de Vries|Marieke|Den Haag|Jansen", text):
            spans += [(m.start() + 1, m.end() + 4), (max(0, m.start() - 3), m.end() - 1), (m.start() + 2, m.end() - 1)]
        for i, (start, end) in enumerate(sorted(set(spans))):
            end = min(end, len(text))
            if start < end:
                memo = "Marieke zegt het, en Jan de Vries in Den Haag ook; JAN niet" if i % 3 else None
                store.codings.add(tid, start, end, "vertrouwen", f"coder{i}", memo=memo)
    project.close()
    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector(FLAGS))
    return root


def run(root, *args):
    return CliRunner().invoke(main, ["--project", str(root), "--coder", "anna", *args])


def accept_all(root):
    while True:
        out = run(root, "pseudonymise", "list", "--format", "csv").output
        pending = [int(r["id"]) for r in csv.DictReader(io.StringIO(out))]
        if not pending:
            return
        assert run(root, "pseudonymise", "accept", str(pending[0])).exit_code == 0


def test_export_pseudonymise_leaves_no_original_where_names_crowd(root, tmp_path):
    assert run(root, "pseudonymise", "detect").exit_code == 0
    accept_all(root)
    from qualcode.project import Project

    project = Project(root)
    codings = project.store.codings.count()
    project.close()

    target = tmp_path / "segments.csv"
    r = run(root, "export", "segments", "-o", str(target), "--pseudonymise")
    assert r.exit_code == 0, r.output
    content = target.read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content)))
    assert len(rows) == codings  # every coding, none lost on a shared span
    assert [line for line in content.splitlines() if ORIGINALS.search(line)] == []
    assert sum("[persoon" in row["text"] for row in rows) > len(rows) // 2
    labels = {row["speaker"] for row in rows} - {"I", "R"}
    assert len(labels) == 1 and labels.pop().startswith("[persoon ")  # JAN: the label too

    qdpx = tmp_path / "shared.qdpx"
    r = run(root, "export", "qdpx", "-o", str(qdpx), "--pseudonymise")
    assert r.exit_code == 0, r.output
    with zipfile.ZipFile(qdpx) as z:
        members = {n: z.read(n).decode("utf-8", "replace") for n in z.namelist()}
    assert {n: ORIGINALS.findall(text) for n, text in members.items() if ORIGINALS.search(text)} == {}

    # The project keeps its names.
    plain = tmp_path / "plain.csv"
    assert run(root, "export", "segments", "-o", str(plain)).exit_code == 0
    assert "Jan de Vries" in plain.read_text(encoding="utf-8-sig")
