"""The REFI-QDA and codebook-operation modules are pure core: no click, rich, textual or lxml."""

from __future__ import annotations

import subprocess
import sys

MODULES = [
    "qualcode.refi.project_import",
    "qualcode.refi.project_export",
    "qualcode.refi.files",
    "qualcode.codebook_ops.apply",
    "qualcode.codebook_ops.merge",
    "qualcode.codebook_ops.diff",
    "qualcode.codebook_ops.maintenance",
]
FORBIDDEN = {"textual", "rich", "click", "spacy", "lxml", "xmlschema"}


def test_refi_layers_core_loads_no_ui_cli_or_xml_library():
    code = "import sys\n" + "".join(f"import {m}\n" for m in MODULES) + "print(' '.join({n.split('.')[0] for n in sys.modules}))"
    loaded = set(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split())
    assert not loaded & FORBIDDEN, sorted(loaded & FORBIDDEN)
