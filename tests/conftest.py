"""Shared fixtures: every test runs with its own user config and data folders."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS_NL = SHARED / "corpus-nl"
REFI_QDA = SHARED / "refi-qda"


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Never read or write the real ~/.config/qualcode or ~/.local/share/qualcode."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("QUALCODE_CODER", raising=False)
    monkeypatch.delenv("QUALCODE_PROJECT", raising=False)


def needs_shared(path: Path) -> None:
    """Skip (with the reason) when the shared reference data is not next to the repo."""
    if not path.exists():
        pytest.skip(f"reference data not available: {path}")
