"""Long jobs of the app: suggestion runs and training, one at a time, in a thread worker.

spaCy is imported and loaded inside the worker (about 1-2 s on the first run of
a session), never on the UI thread. The worker calls the same core functions as
the CLI (:func:`~qualcode.suggest.run_suggestions`, :func:`~qualcode.suggest.train_model`)
with the project *folder*, so they open their own store connection, and it never
touches a widget: it posts :class:`JobProgress` and, last of all,
:class:`JobFinished` to the app, whose handlers hand them back to :class:`Jobs`
on the UI thread, which updates every :class:`~qualcode.tui.widgets.job.JobBar`
of the screen stack and says what the job did.

Cancelling sets a flag the core polls between transcripts and steps (a
transcript being stored is finished first, so the store never holds half a
transcript's suggestions). The job counts as running until the worker has
really stopped, which is when it posts :class:`JobFinished`.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message
from textual.worker import get_current_worker

from ..atomic import write_text
from ..errors import JOB_FAILED, QualcodeError, error
from ..termsafe import one_line
from . import strings as S

if TYPE_CHECKING:  # pragma: no cover
    from .app import QualcodeApp

SUGGEST = "suggest"
TRAIN = "train"
LAST_ERROR = "last-error.txt"  # in the project's .qualcode folder: the traceback of a job that failed


@dataclass(slots=True)
class JobState:
    """What the running job is doing, for the progress bars."""

    kind: str  # SUGGEST or TRAIN
    label: str  # e.g. "Suggesting codes for 02_cjg_wijkcoach"
    transcript_ids: list[int] | None = None  # None: every transcript (or not a suggestion run)
    done: int = 0
    total: int = 0
    what: str = ""  # the step or transcript the core reports
    cancel: threading.Event = field(default_factory=threading.Event)
    started: float = field(default_factory=time.perf_counter)

    @property
    def cancelling(self) -> bool:
        return self.cancel.is_set()


class JobProgress(Message):
    """The worker reports progress (``done`` of ``total``, and what it is doing)."""

    def __init__(self, done: int, total: int, what: str) -> None:
        super().__init__()
        self.done, self.total, self.what = done, total, what


class JobFinished(Message):
    """The worker stopped: with a result (a ``RunSummary`` or ``ModelInfo``) or an error."""

    def __init__(self, kind: str, result: Any = None, error: QualcodeError | None = None) -> None:
        super().__init__()
        self.kind, self.result, self.error = kind, result, error


class Jobs:
    """Starts, tracks and cancels the app's one long job."""

    def __init__(self, app: QualcodeApp) -> None:
        self.app = app
        self.state: JobState | None = None

    @property
    def running(self) -> bool:
        return self.state is not None

    def suggest(self, transcript_ids: Sequence[int] | None, label: str) -> bool:
        """Start a suggestion run for ``transcript_ids`` (None: all); False (and a message) if a job runs."""
        if self._busy():
            return False
        ids = list(transcript_ids) if transcript_ids is not None else None
        self.state = JobState(SUGGEST, label, ids)
        self._start(self._suggest, self.app.project.root, ids, self.state.cancel)
        return True

    def train(self, label: str) -> bool:
        """Start (re)training the learned model; False (and a message) if a job runs."""
        if self._busy():
            return False
        self.state = JobState(TRAIN, label)
        self._start(self._train, self.app.project.root, self.state.cancel)
        return True

    def cancel(self) -> bool:
        """Ask the running job to stop at its next check; False if none is running."""
        if self.state is None or self.state.cancelling:
            return False
        self.state.cancel.set()
        self.show()
        return True

    def _busy(self) -> bool:
        if self.state is None:
            return False
        self.app.flash(S.JOB_BUSY.format(label=self.state.label, key=self.app.key_of("cancel_job")))
        return True

    def _start(self, work, *args) -> None:
        self.app.run_worker(lambda: work(*args), thread=True, group="job", name=self.state.label)
        self.show()

    # --- in the worker thread (no widgets, no reactives: messages only) ---------------

    def _progress(self, done: int, total: int, what: str) -> None:
        self.app.post_message(JobProgress(done, total, what))

    def _suggest(self, root: Path, ids: list[int] | None, cancel: threading.Event) -> None:
        from ..suggest import run_suggestions  # spaCy itself is imported inside, in this thread

        worker = get_current_worker()
        try:
            summary = run_suggestions(
                root, ids, progress=self._progress, should_cancel=lambda: cancel.is_set() or worker.is_cancelled
            )
        except Exception as exc:  # noqa: BLE001 - a job's failure must never end the coding session
            self.app.post_message(JobFinished(SUGGEST, error=_job_error(exc, S.JOB_SUGGEST, root)))
            return
        self.app.post_message(JobFinished(SUGGEST, result=summary))

    def _train(self, root: Path, cancel: threading.Event) -> None:
        from ..suggest import train_model

        worker = get_current_worker()
        try:
            info = train_model(root, progress=self._progress, should_cancel=lambda: cancel.is_set() or worker.is_cancelled)
        except Exception as exc:  # noqa: BLE001 - as in _suggest
            self.app.post_message(JobFinished(TRAIN, error=_job_error(exc, S.JOB_TRAIN, root)))
            return
        self.app.post_message(JobFinished(TRAIN, result=None if cancel.is_set() else info))

    # --- on the UI thread ---------------------------------------------------------------

    def show(self) -> None:
        """Show the job (or that there is none) on every job bar of the screen stack."""
        from .widgets.job import JobBar

        for screen in self.app.screen_stack:
            for bar in screen.query(JobBar):
                bar.show_job(self.state)
        self.app.refresh_bindings()  # the cancel key comes and goes

    def progressed(self, message: JobProgress) -> None:
        if self.state is not None:
            self.state.done, self.state.total, self.state.what = message.done, message.total, message.what
            self.show()

    def finished(self, message: JobFinished) -> None:
        """The worker stopped: forget the job, let the screens re-read the store, say what happened."""
        app = self.app
        self.state = None
        self.show()
        app.store_settled()  # re-read codings and suggestions: the screens show the store
        if message.error is not None:
            app.report_error(message.error)
            return
        if message.kind == SUGGEST:
            summary = message.result
            app.flash(run_text(summary, app.key_of("review")))
            if summary.warnings:
                app.notify("\n".join(summary.warnings), severity="warning", timeout=15, markup=False)
            if summary.notes:  # what the run could not do yet, and why (e.g. hints not checked yet)
                app.notify("\n".join(summary.notes), timeout=12, markup=False)
        elif message.result is None:
            app.flash(S.TRAIN_CANCELLED)
        else:
            info = message.result
            app.flash(
                S.TRAINED.format(
                    sentences=info.sentences, transcripts=info.transcripts, seconds=info.seconds, codes=len(info.codes)
                )
            )


def _job_error(exc: Exception, job: str, root: Path) -> QualcodeError:
    """A job's error as the app shows it: a user error as it is; anything else (a bug, a
    full disk, memory) as JOB_FAILED, its traceback written to the project's
    ``.qualcode/last-error.txt`` (the app keeps running: every coding is in the store)."""
    if isinstance(exc, QualcodeError):
        return exc
    log = root / ".qualcode" / LAST_ERROR
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        write_text(log, "".join(traceback.format_exception(exc)))
    except OSError:
        log = Path("(not written: the project folder cannot be written)")
    return error(JOB_FAILED, job=job, detail=one_line(detail), log=log)


def run_text(summary, review_key: str) -> str:
    """What a suggestion run did, in one line."""
    if summary.cancelled:
        return S.RUN_CANCELLED.format(done=summary.transcripts)
    text = S.RUN_DONE.format(
        count=summary.added + summary.kept, new=summary.added, transcripts=summary.transcripts, seconds=summary.seconds
    )
    if summary.removed:
        text += S.RUN_WITHDRAWN.format(count=summary.removed)
    return text + (S.RUN_REVIEW_HINT.format(key=review_key) if summary.added + summary.kept else "")
