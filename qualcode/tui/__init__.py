"""The terminal UI: ``run_app`` opens a project in the Textual app.

Imported only by ``qualcode open`` (and tests): Textual is the slow import of
the CLI, and spaCy is never imported here (the suggestion worker does that).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..userconfig import resolve_coder, stored_coder

if TYPE_CHECKING:
    from ..project import Project
    from .app import QualcodeApp


def build_app(
    project: Project,
    coder: str | None = None,
    *,
    keymap_file: Path | None = None,
    watch_store: bool = True,
    notices: Sequence[str] = (),
) -> QualcodeApp:
    """The app for ``project``; the one factory used by the CLI, tests and benchmarks.

    ``coder`` is the name given explicitly (``--coder``); without it the app uses
    $QUALCODE_CODER or the saved name, and when there is neither it asks once at
    start and saves the answer. ``notices`` (what opening the project did) are
    shown as the app starts.

    The garbage collector is off from here until the first screen is up
    (``QualcodeApp.settle_memory``): building the screens makes tens of thousands
    of objects, and the collections they set off took a third of the start.
    """
    gc.disable()
    from .app import QualcodeApp

    explicit = coder or os.environ.get("QUALCODE_CODER")
    ask = not explicit and stored_coder() is None
    return QualcodeApp(
        project, resolve_coder(explicit), ask_coder=ask, keymap_file=keymap_file, watch_store=watch_store, notices=notices
    )


def run_app(project: Project, coder: str | None = None, notices: Sequence[str] = ()) -> None:
    """Run the app on ``project`` until the user quits."""
    build_app(project, coder, notices=notices).run()
