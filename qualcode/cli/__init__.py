"""The command-line interface: thin commands over the core."""

from __future__ import annotations

from . import (  # noqa: F401 - register the commands
    codebook_cmds,
    coding_cmds,
    exchange_cmds,
    export_cmds,
    project_cmds,
    pseudo_cmds,
    stats_cmds,
    suggest_cmds,
    team_cmds,
    transcript_cmds,
    trash_cmds,
)
from .base import main

__all__ = ["main"]
