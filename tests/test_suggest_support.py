"""Shared material for the suggestion tests: a tiny Dutch codebook and project builder.

(Named like a test module so it sits with the other suggestion tests; it holds
no tests itself.)
"""

from __future__ import annotations

from pathlib import Path

from qualcode.importing import import_paths
from qualcode.project import Project

CODEBOOK = """\
title: Test
codes:
  - id: doorverwijzing
    name: Doorverwijzing
    key: d
    hints:
      keywords: [wachtlijst]
      lemmas: [doorverwijzen, organisatie, moeder]
      patterns:
        - [{LOWER: warme}, {LOWER: overdracht}]
  - id: vertrouwen
    name: Vertrouwen
    key: v
    hints:
      lemmas: [vertrouwen]
  - id: taart
    name: Taart
    key: t
  - id: map
    name: Map
    codable: false
    children:
      - id: rol
        name: Rol
        key: r
        hints:
          lemmas: [rol]
"""

TRANSCRIPT = """\
I: Hoe verwijst u door, en vertrouwen de moeders u?
R: Ik verwijs de moeder door naar het wijkteam. Soms is er een wachtlijst. Het weer was mooi.
I: En de organisaties?
R: De migrantenorganisaties helpen ons. Daar ging ik vaak heen.
"""


# Before any coding a single hint claims 0.25 (what untried hints deliver), below the
# default threshold; these projects are for runs and their review, so one hint is enough.
REVIEW_CONFIG = "suggestion_threshold: 0.2\n"


def make_project(
    root: Path, transcripts: dict[str, str] | None = None, codebook: str = CODEBOOK, config: str = REVIEW_CONFIG
) -> Project:
    """A project folder with the codebook and transcripts imported (``name.txt`` -> text;
    ``config``: its qualcode.yaml)."""
    (root / "codebooks").mkdir(parents=True, exist_ok=True)
    (root / "codebooks" / "codebook.yaml").write_text(codebook, encoding="utf-8")
    (root / "transcripts").mkdir(exist_ok=True)
    if config:
        (root / "qualcode.yaml").write_text(config, encoding="utf-8")
    files = []
    for name, text in (transcripts if transcripts is not None else {"int1.txt": TRANSCRIPT}).items():
        path = root / "transcripts" / name
        path.write_text(text, encoding="utf-8")
        files.append(path)
    project = Project(root)
    project.sync_codebook()
    if files:
        import_paths(project, files, default_coder="test")
    return project


def span_of(project: Project, transcript: str, text: str) -> tuple[int, int]:
    """The code-point span of ``text`` in a stored transcript."""
    tid = project.store.transcripts.id_by_name(transcript)
    body = project.store.transcripts.text(tid)
    start = body.index(text)
    return start, start + len(text)
