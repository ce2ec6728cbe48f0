"""The command-line interface: thin commands over the core."""

from __future__ import annotations

from . import codebook_cmds, exchange_cmds, export_cmds, project_cmds, pseudo_cmds, stats_cmds, suggest_cmds  # noqa: F401 - register the commands
from .base import main

__all__ = ["main"]
