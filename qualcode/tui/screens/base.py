"""What every qualcode screen offers the app, declared once (attributes down).

The app talks to its screens only through these methods: it tells every screen on
the stack that the store changed, asks the current one to show a message, to
reveal where an undo happened, which codes it is about and which palette
commands it adds. Widgets talk to their screen with messages (messages up).

Only the screen on top re-reads the store at once. Textual counts the screen
just below the top one as "current" too (it may show through a transparent
screen), so ``Screen.is_current`` would make the transcripts list rebuild its
table behind the coding screen on every key: a screen that is not on top marks
itself stale instead and re-reads when it is shown again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.screen import Screen

from .. import strings as S

if TYPE_CHECKING:
    from ...history import CodingChange
    from ...project import Project
    from ..commands import PaletteCommand


class QualcodeScreen(Screen):
    """A screen of the app: a project view that follows the store."""

    SCREEN: ClassVar[str] = ""  # its name in the registry (screens/__init__.py)
    transcript_id: int | None = None  # the transcript it shows, if it shows one

    def __init__(self, project: Project) -> None:
        super().__init__()
        self.project = project
        self._stale = False

    @property
    def on_top(self) -> bool:
        """Whether this screen is the one the user sees and types into."""
        return self.app.screen is self

    # --- the store changed ------------------------------------------------------------

    def store_changed(self, change: CodingChange | None) -> None:
        """Codings changed (``None``: changed outside, re-read everything): re-read now if on top."""
        if self.on_top:
            self.reload(change)
        else:
            self._stale = True

    def reload(self, change: CodingChange | None = None) -> None:
        """Re-read what this screen shows from the store (nothing by default)."""

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload(None)

    # --- asked by the app ---------------------------------------------------------------

    def flash(self, text: str) -> None:
        """A short message for the user (a notification unless the screen has a status line)."""
        self.notify(text, timeout=S.MESSAGE_SECONDS, markup=False)

    def reveal(self, change: CodingChange) -> None:
        """Show where an undo or redo happened (nothing by default)."""

    def undo_step(self) -> bool:
        """Take back a step of this screen's own (before the session's undo); True if one was."""
        return False

    def coder_changed(self) -> None:
        """The user now codes under another name (nothing by default)."""

    def current_code_ids(self) -> list[str]:
        """The codes this screen is about (the segments screen opens on them)."""
        return []

    def current_coding_id(self) -> int | None:
        """The coding this screen is at (the segments screen highlights it)."""
        return None

    def palette_commands(self) -> list[PaletteCommand]:
        """The command palette entries this screen adds to the app's."""
        return []
