"""The command-line interface: thin commands over the core.

The commands' modules are imported when a command is used (see ``COMMAND_MODULES``).
"""

from __future__ import annotations

try:
    from .base import main
except KeyboardInterrupt:  # Ctrl-C while the commands are still loading (the first ~0.2 s): no traceback
    import sys

    sys.stderr.write("interrupted\n")
    raise SystemExit(130) from None

__all__ = ["main"]
