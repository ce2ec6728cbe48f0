"""The ingest layer is pure core: no UI, CLI or NLP imports, heavy readers loaded lazily."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path


def test_ingest_hygiene_imports_no_ui_cli_or_nlp(tmp_path: Path) -> None:
    (tmp_path / "t.txt").write_text("I: Hoi.\nR: Dag.\n")
    code = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        import qualcode.ingest as ingest
        lazy = sorted(m for m in ("docx", "lxml") if m in sys.modules)
        ingest.read_transcript(Path({str(tmp_path / "t.txt")!r}))
        banned = sorted(m for m in ("textual", "rich", "click", "spacy") if m in sys.modules)
        print(lazy, banned)
        """
    )
    repo = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=repo)
    assert result.stdout.strip() == "[] []"
