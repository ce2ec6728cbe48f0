"""The user's own settings (not the project's): the coder name, keymap location.

Kept in the platform's folder for user settings (``platformdirs``):
``~/.config/qualcode/config.yaml`` on Linux (``$XDG_CONFIG_HOME`` respected),
``~/Library/Application Support/qualcode`` on macOS, ``%LOCALAPPDATA%\\qualcode`` on Windows.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs
import yaml

from .atomic import write_text
from .termsafe import coder_name


def config_dir() -> Path:
    return platformdirs.user_config_path("qualcode", appauthor=False)


def data_dir() -> Path:
    """Where qualcode keeps data of its own (a writable copy of the sample project)."""
    return platformdirs.user_data_path("qualcode", appauthor=False)


def config_path() -> Path:
    return config_dir() / "config.yaml"


def load_user_config() -> dict:
    """The user's settings; an unreadable file counts as empty (it is only preferences)."""
    return _read_user_config() or {}


def _read_user_config() -> dict | None:
    """The user's settings ({} without a file), or None when the file cannot be read as settings."""
    try:
        data = yaml.safe_load(config_path().read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    # ValueError: UnicodeDecodeError, a number too long to read; RecursionError: nesting thousands deep
    except (OSError, yaml.YAMLError, ValueError, RecursionError):
        return None
    if data is None:
        return {}
    return data if isinstance(data, dict) else None


def save_user_setting(name: str, value: object) -> Path | None:
    """Keep ``name: value`` in the user's settings. A settings file that cannot be read is
    not overwritten unseen: it is kept beside it first, as ``config.yaml.unreadable``,
    whose path is returned (None when nothing had to be kept)."""
    path = config_path()
    data = _read_user_config()
    kept = None
    if data is None:
        kept = path.with_name(path.name + ".unreadable")
        path.replace(kept)
        data = {}
    data[name] = value
    config_dir().mkdir(parents=True, exist_ok=True)
    write_text(path, yaml.safe_dump(data, allow_unicode=True, sort_keys=True))
    return kept


def stored_coder() -> str | None:
    """The coder name the user chose before, if any."""
    name = load_user_config().get("coder")
    # A list or mapping there is no name (it was saved as text): as if none were saved.
    return str(name) if name and isinstance(name, str | int | float) and not isinstance(name, bool) else None


def resolve_coder(explicit: str | None = None) -> str:
    """``--coder``, else $QUALCODE_CODER, else the saved name, else the login name."""
    sources = ("--coder: ", "QUALCODE_CODER: ", f"the coder saved in {config_path()}: ")
    for candidate, where in zip((explicit, os.environ.get("QUALCODE_CODER"), stored_coder()), sources, strict=True):
        name = coder_name(candidate or "", where=where)
        if name:
            return name
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in some containers
        return "coder"
