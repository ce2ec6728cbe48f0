"""A one-line progress bar for the app's long job (suggestions, training).

Screens that want one compose a :class:`JobBar` with the job running then (if
any); the app calls :meth:`JobBar.show_job` on every bar of the screen stack when
the job starts, progresses or ends. Hidden when no job runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from .. import strings as S

if TYPE_CHECKING:
    from ..jobs import JobState


class JobBar(Horizontal):
    """What the running job is doing, a bar, and how to cancel it."""

    DEFAULT_CSS = """
    JobBar {
        height: 1;
        display: none;
        background: $panel;
        padding: 0 1;
    }
    JobBar.-active { display: block; }
    JobBar > .job--label { width: 1fr; text-wrap: nowrap; text-overflow: ellipsis; color: $text; }
    JobBar > ProgressBar { width: auto; margin: 0 1; }
    JobBar > ProgressBar > Bar { width: 20; }
    JobBar > .job--hint { width: auto; text-wrap: nowrap; color: $text-muted; }
    """

    def __init__(self, state: JobState | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._initial = state

    def on_mount(self) -> None:
        self.show_job(self._initial)

    def _parts(self) -> None:
        """The label, bar and hint, made when a job first shows (most sessions run none)."""
        if not self.children:
            self.mount_all(
                [
                    Static("", classes="job--label", markup=False),
                    ProgressBar(show_eta=False, show_percentage=False, id="job-progress"),
                    Static("", classes="job--hint", markup=False),
                ]
            )

    def show_job(self, state: JobState | None) -> None:
        """Show ``state`` (None: hide the bar)."""
        self.set_class(state is not None, "-active")
        if state is None:
            return
        self._parts()
        label = Text(state.label, style="bold")
        if state.what:
            label.append(" · " + state.what, style="not bold")
        self.query_one(".job--label", Static).update(label)
        bar = self.query_one(ProgressBar)
        # Nothing done yet (spaCy loading, training): an indeterminate bar says "working".
        bar.update(total=state.total if state.done else None, progress=state.done)
        hint = S.JOB_CANCELLING if state.cancelling else S.JOB_CANCEL_HINT.format(key=self.app.key_of("cancel_job"))
        self.query_one(".job--hint", Static).update(hint)
