"""Helpers shared by the REFI-QDA and codebook-operation tests (this module has no tests)."""

from __future__ import annotations

import functools
import zipfile
from pathlib import Path

from conftest import REFI_QDA, needs_shared

from qualcode.project import Project

DATA = Path(__file__).parent / "data" / "refi"
SAMPLES = REFI_QDA / "samples"
FEATURES_SOURCE = "sources/aaaaaaaa-0000-4000-8000-000000000001.txt"

SMALL_CODEBOOK = """\
# Een klein codeboek voor de tests.
title: Testcodeboek
version: "2"
language: nl
codes:
  # ---- rollen ----
  - id: rol
    name: Rolverwachtingen
    description: Wat partijen van elkaar verwachten.
    include: [Verwachtingen over taken, "Verwachtingen over houding"]
    exclude:
      - "Formele afspraken: gebruik structuur."
    examples: ["Wij zijn geen hulpverleners."]
    color: "#4e79a7"
    key: r
    hints:
      keywords: [verwachten]
      patterns:
        - [{LOWER: "verwacht"}, {LOWER: "van"}]
    children:
      - id: rol_cjg
        name: Van het CJG
        key: c
      - id: rol_org
        name: Van de organisatie
  # ---- kracht ----
  - id: kracht
    name: Eigen kracht
    key: k
  - id: map
    name: Map
    codable: false
    children:
      - id: vertrouwen
        name: Vertrouwen
sets:
  - name: Kern
    codes: [rol_cjg, kracht]
"""

TRANSCRIPT = """\
I: Wat verwacht u van het CJG?
R: Wij verwachten dat ze ons serieus nemen. 😀 Ze verwijzen ouders soms door naar ons.
Dat werkt goed als we elkaar kennen.
I: En de ouders zelf?
R: De ouders hebben veel eigen kracht.
"""


def without_kracht(codebook: str) -> str:
    """The codebook text with the code 'kracht' taken out (and out of its set)."""
    return codebook.replace("  - id: kracht\n    name: Eigen kracht\n    key: k\n", "").replace("[rol_cjg, kracht]", "[rol_cjg]")


def make_qdpx(path: Path, qde: str | bytes, files: dict[str, bytes | str] | None = None) -> Path:
    """A .qdpx with ``project.qde`` (unless qde is empty) and the given entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        if qde:
            archive.writestr("project.qde", qde)
        for name, data in (files or {}).items():
            archive.writestr(name, data)
    return path


def features_qdpx(tmp_path: Path) -> Path:
    """The hand-made feature project of tests/data/refi as a .qdpx."""
    return make_qdpx(
        tmp_path / "features.qdpx",
        (DATA / "features.qde").read_bytes(),
        {FEATURES_SOURCE: (DATA / "features-1.txt").read_bytes()},
    )


def new_project(tmp_path: Path, codebook: str | None = SMALL_CODEBOOK, name: str = "studie") -> Project:
    """A project with the small codebook (or the untouched starter when codebook is None)."""
    project = Project.init(tmp_path / name)
    if codebook is not None:
        (project.root / "codebooks" / "codebook.yaml").write_text(codebook, encoding="utf-8")
    project.reload_codebook()
    return project


def coded_project(tmp_path: Path, name: str = "studie") -> Project:
    """The small codebook and one transcript (with an emoji) with codings, memos and attributes."""
    from qualcode.importing import import_paths

    project = new_project(tmp_path, name=name)
    source = project.root / "transcripts" / "int1.txt"
    source.write_text(TRANSCRIPT, encoding="utf-8")
    (project.root / "transcripts" / "attributes.csv").write_text(
        "file,respondent_type,stad\nint1.txt,professional,Utrecht\n", encoding="utf-8"
    )
    import_paths(project, [project.root / "transcripts"])
    store = project.store
    tid = store.transcripts.id_by_name("int1")
    text = store.transcripts.text(tid)
    for quote, code, coder, memo in [
        ("Wij verwachten dat ze ons serieus nemen", "rol_cjg", "anna", "sterk citaat"),
        ("😀 Ze verwijzen", "rol_org", "bert", None),
        ("eigen kracht", "kracht", "anna", "let op: 'eigen' & <kracht>"),
        ("Wij verwachten", "rol", "anna", None),
    ]:
        start = text.index(quote)
        store.codings.add(tid, start, start + len(quote), code, coder, memo=memo)
    return project


@functools.cache
def _schema(name: str):
    import xmlschema

    return xmlschema.XMLSchema10(str(REFI_QDA / name))


def assert_valid(xml: bytes, kind: str) -> None:
    """Validate against the official XSD (skips when shared/refi-qda is not there)."""
    needs_shared(REFI_QDA / "Codebook-mrt2019.xsd")
    schema = _schema("Codebook-mrt2019.xsd" if kind == "codebook" else "Project-mrt2019.xsd")
    errors = list(schema.iter_errors(xml.decode("utf-8")))
    assert not errors, errors[0]
