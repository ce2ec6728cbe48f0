"""Helpers for the pseudonymisation tests: a stub detector and transcripts from text."""

from __future__ import annotations

import re

from qualcode.ingest import parse_turns
from qualcode.model import Transcript
from qualcode.pseudonymise import Candidate, DetectionContext, detect


class StubDetector:
    """Stands in for deduce: flags the given words with the given category (as deduce tags them)."""

    def __init__(self, flags: dict[str, str] | None = None) -> None:
        self.flags = flags or {}
        self.calls = 0

    def __call__(self, text: str) -> list[Candidate]:
        self.calls += 1
        out = []
        for word, category in self.flags.items():
            for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text):
                out.append(Candidate(m.start(), m.end(), category, word, "deduce"))
        return sorted(out, key=lambda c: c.start)


def transcript(text: str, name: str = "t", attributes: dict[str, str] | None = None) -> Transcript:
    return Transcript(name=name, text=text, turns=parse_turns(text), attributes=attributes or {})


def found(text: str, context: DetectionContext | None = None, detector=None, attributes=None) -> list[tuple[str, str]]:
    """(category, text) of every candidate in ``text``."""
    t = transcript(text, attributes=attributes)
    cands = detect(t.text, t.turns, context or DetectionContext.build(), detector, attributes=t.attributes)
    return [(c.category, c.text) for c in cands]


CODEBOOK = """\
title: Test
codes:
  - id: doorverwijzing
    name: Doorverwijzing
  - id: vertrouwen
    name: Vertrouwen
    hints:
      keywords: [veilig thuis]
"""

INTERVIEW = """\
---
interviewer: Noor Hendriks
stad: Utrecht
---
I: Hoe kwam je bij Al Amal?
R: Via Hatice Yilmaz. Hatice belde Marieke van het buurtteam. Marieke's collega ook.
I: En daarna?
R: Daarna ging ik met Hatice naar Veilig Thuis in Overvecht. Bel 06-12345678.
"""

INTERVIEW2 = """\
I: Ken je Hatice?
R: Ja, HATICE ken ik. Mevrouw Yilmaz woont in Overvecht.
"""


def make_pseudo_project(root):
    """A project with two interviews (names in both) and nothing detected yet."""
    from qualcode.importing import import_paths
    from qualcode.project import Project

    (root / "codebooks").mkdir(parents=True)
    (root / "codebooks" / "codebook.yaml").write_text(CODEBOOK, encoding="utf-8")
    (root / "transcripts").mkdir()
    files = []
    for name, text in (("int1.md", INTERVIEW), ("int2.txt", INTERVIEW2)):
        path = root / "transcripts" / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    project = Project(root)
    import_paths(project, files, default_coder="test")
    return project


def cli(root, *args):
    """``qualcode [--project ROOT] --coder anna ARGS`` through the CLI's runner."""
    from click.testing import CliRunner

    from qualcode.cli import main

    return CliRunner().invoke(main, [*(["--project", str(root)] if root else []), "--coder", "anna", *args])


def cli_project(tmp_path, monkeypatch, text: str):
    """A project folder ``studie`` made through the CLI, with one interview ``gesprek`` (``text``)
    imported; deduce stands in with a detector that flags nothing (the project's names do)."""
    from qualcode.cli import pseudo_cmds

    monkeypatch.setattr(pseudo_cmds, "load_detector", lambda: StubDetector({}))
    root = tmp_path / "studie"
    assert cli(None, "init", str(root)).exit_code == 0
    (root / "transcripts" / "gesprek.txt").write_text(text, encoding="utf-8")
    assert cli(root, "import", str(root / "transcripts")).exit_code == 0
    return root
