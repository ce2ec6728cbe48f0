"""The command-line interface: thin commands over the core.

The commands' modules are imported when a command is used (see ``COMMAND_MODULES``).
"""

from __future__ import annotations

from .base import main

__all__ = ["main"]
