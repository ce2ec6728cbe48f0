"""Clean layers: the core imports no UI or CLI library, and spaCy only when suggesting."""

from __future__ import annotations

import subprocess
import sys

import pytest

CORE_MODULES = [
    "qualcode.model",
    "qualcode.errors",
    "qualcode.codebook",
    "qualcode.store",
    "qualcode.project",
    "qualcode.ingest",
    "qualcode.importing",
    "qualcode.coding",
    "qualcode.health",
    "qualcode.userconfig",
    "qualcode.reanchor",
    "qualcode.reimport",
    "qualcode.session_history",
    "qualcode.analysis",
    "qualcode.export",
    "qualcode.agreement",
    "qualcode.team.disagreements",
]
FORBIDDEN = ["textual", "rich", "click", "typer", "spacy", "thinc", "docx", "lxml"]


def loaded_after_import(modules: list[str]) -> set[str]:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print('\\n'.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_layers_core_imports_no_ui_cli_or_nlp_library():
    loaded = loaded_after_import(CORE_MODULES)
    assert not (loaded & set(FORBIDDEN)), sorted(loaded & set(FORBIDDEN))


@pytest.mark.parametrize("forbidden", ["textual", "spacy"])
def test_layers_cli_help_does_not_load_textual_or_spacy(forbidden):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom qualcode.cli import main\n"
        "r = CliRunner().invoke(main, ['--help'])\nassert r.exit_code == 0\n"
        f"print({forbidden!r} in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
