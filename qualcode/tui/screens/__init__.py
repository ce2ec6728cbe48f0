"""The app's screens, registered in one place.

Each entry maps a screen name to ``"module:Class"``; the module is imported on
first use, so startup loads only the transcripts list. Every screen's
constructor takes the :class:`~qualcode.project.Project` first (the app also
exposes ``app.project``, ``app.coder`` and ``app.history``). To add a screen,
add a line here and, if it needs a key, a binding in ``keymap.ACTIONS`` whose
action is ``app.show_screen('name')``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from textual.screen import Screen

SCREENS: dict[str, str] = {
    "transcripts": "qualcode.tui.screens.transcripts:TranscriptsScreen",
    "coding": "qualcode.tui.screens.coding:CodingScreen",
    "retrieval": "qualcode.tui.screens.retrieval:RetrievalScreen",
    "help": "qualcode.tui.screens.help:HelpScreen",
    "stats": "qualcode.tui.screens.stats:StatsScreen",  # statistics (analysis issue)
    "disagreements": "qualcode.tui.screens.disagreements:DisagreementScreen",  # team coding
    "pseudonymise": "qualcode.tui.screens.pseudonymise:PseudonymiseScreen",  # issue 15
}


def screen_class(name: str) -> type[Screen]:
    """The class registered under ``name`` (imported now)."""
    module, _, cls = SCREENS[name].partition(":")
    return getattr(import_module(module), cls)


def make_screen(name: str, project: Any, **options: Any) -> Screen:
    """A new screen ``name`` for ``project``."""
    return screen_class(name)(project, **options)


def available(name: str) -> bool:
    """Whether the screen's module exists (e.g. ``stats`` before it is written)."""
    module = SCREENS.get(name, "").partition(":")[0]
    try:
        import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return False
        raise
    return True
