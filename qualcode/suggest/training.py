"""The project's learned model: where it lives, when it is (re)trained, loading it.

The model sits in ``.qualcode/model/`` next to ``qualcode.db``. It is trained on
request (``qualcode suggest --train``, :func:`train_project`) and, during a
suggestion run, automatically when there is none yet or when enough codings were
made or removed since it was trained (:func:`~qualcode.suggest.learned.needs_training`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..codebook import Codebook
from ..errors import MODEL_NOT_SAVED, MODEL_UNREADABLE, NOTHING_TO_TRAIN, QualcodeError, error
from ..store import Store
from ..termsafe import first_of
from .combined import Calibration
from .dataset import Labelled, codebook_sentences, coded_transcripts, labelled_sentences
from .fitting import fit
from .learned import MIN_EXAMPLES, MODEL_DIR, LearnedModel, ModelInfo, code_counts, needs_training, read_info
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import Sentence

if TYPE_CHECKING:  # pragma: no cover
    from ..project import Project


def model_dir(root: Path) -> Path:
    return Path(root) / MODEL_DIR


def codable_codes(codebook: Codebook) -> list[str]:
    return [c.id for c in codebook.walk() if c.codable]


def top_level(codebook: Codebook) -> dict[str, str]:
    """Code id -> the id of its top-level ancestor (itself for a top-level code)."""
    out = {}
    for code in codebook.walk():
        ancestors = codebook.ancestors(code.id)
        out[code.id] = ancestors[-1].id if ancestors else code.id
    return out


@dataclass(slots=True)
class Saved:
    """What the project's saved model says about itself (meta.json), read once."""

    info: ModelInfo | None = None
    calibration: Calibration = field(default_factory=Calibration)
    problem: str = ""  # why the saved model cannot be used: damaged, cut short, edited ("": fine, or none saved)


def read_saved(root: Path) -> Saved:
    """The saved model's meta data and calibration; none if there is no model folder, and
    the reason if there is one that cannot be read (a suggestion run trains a new one)."""
    folder = model_dir(root)
    if not os.path.lexists(folder):
        return Saved()
    try:
        info = read_info(folder)
        return Saved(info, Calibration.from_dict(info.calibration))
    except QualcodeError as exc:
        return Saved(problem=exc.message)
    except ValueError as exc:  # the calibration
        return Saved(problem=error(MODEL_UNREADABLE, path=folder, reason=exc).message)


def saved_info(root: Path) -> ModelInfo | None:
    """The meta data of the saved model, or None if there is none (or it is unreadable)."""
    return read_saved(root).info


@dataclass(slots=True)
class Prepared:
    """The model a suggestion run will use, and what happened to get it."""

    model: LearnedModel | None
    calibration: Calibration = field(default_factory=Calibration)
    trained: bool = False
    note: str = ""
    warnings: list[str] = field(default_factory=list)  # a saved model that could not be read, or a new one not saved
    # The analysed sentences of the transcripts asked for (``keep``) that it was trained
    # on, when trained now: a run proposes for them without analysing them again.
    sentences: dict[int, list[Sentence]] = field(default_factory=dict)


# The sentences a project's model is trained (and calibrated) on at most: beyond some
# tens of thousands of coded sentences the model gains little, while training's memory
# grows with every sentence (about 7 KB each with the calibration's cross-validation).
# A larger project trains on a spread sample of whole transcripts (dataset.spread).
MAX_TRAINING_SENTENCES = 100_000


def train_project(
    root: Path,
    store: Store,
    codebook: Codebook,
    pipeline: Pipeline,
    rules: RuleSuggester,
    threshold: float,
    *,
    should_cancel: Callable[[], bool] | None = None,
    keep: Collection[int] = (),
    on_unsaved: Callable[[str], None] | None = None,
) -> tuple[LearnedModel, Calibration, list[Labelled]]:
    """Train and calibrate on every coded transcript, save the model in the project,
    return it, its calibration and its data: whole sentences for the transcripts in
    ``keep``, the others' only as training reads them (:func:`~.dataset.labelled_sentences`).

    A model that cannot be saved raises MODEL_NOT_SAVED, or with ``on_unsaved`` is
    told to it (a suggestion run goes on with the model it trained).
    """
    started = time.perf_counter()
    codes = codable_codes(codebook)
    coded = coded_transcripts(store)
    data = labelled_sentences(
        store, pipeline, rules, codes, coded, limit=MAX_TRAINING_SENTENCES, should_cancel=should_cancel, keep=keep
    )
    total, _, top = store.codings.state()
    model, calibration = fit(
        data,
        codes,
        threshold,
        extra=codebook_sentences(codebook, pipeline, rules),
        family=top_level(codebook),
        should_cancel=should_cancel,
        transcripts=len({d.transcript_id for d in data}),
        codings=total,
        max_coding_id=top,
        release_rows=True,
    )
    if model is None:
        raise error(NOTHING_TO_TRAIN, minimum=MIN_EXAMPLES)
    if model.info.transcripts < len(coded):
        model.info.sampled_from = len(coded)
    # What the researcher waited for: reading the coded transcripts and the cross-validation
    # as well as the final model (which alone took about a tenth of it at 1,000 interviews).
    model.info.seconds = round(time.perf_counter() - started, 2)
    if should_cancel is None or not should_cancel():
        try:
            model.save(model_dir(root))
        except OSError as exc:  # e.g. .qualcode is a file, or the folder is read-only
            reason = f"{exc.strerror} ({exc.filename})" if exc.strerror and exc.filename else str(exc)
            unsaved = error(MODEL_NOT_SAVED, path=model_dir(root), reason=reason)
            if on_unsaved is None:
                raise unsaved from None
            on_unsaved(f"{unsaved.message} ({unsaved.hint})")
    return model, calibration, data


def prepare_model(
    root: Path,
    store: Store,
    codebook: Codebook,
    pipeline: Pipeline,
    rules: RuleSuggester,
    threshold: float,
    *,
    force: bool = False,
    should_cancel: Callable[[], bool] | None = None,
    keep: Collection[int] = (),
) -> Prepared:
    """The saved model, retrained first when asked (``force``) or when it is stale;
    trained now, with the sentences it read of the transcripts in ``keep``.

    Not enough coding yet is no error here (the rules still suggest): the result
    then has no model and a note saying why.
    """
    saved = read_saved(root)
    info, problem, note = saved.info, saved.problem, ""
    total, new, _ = store.codings.state(info.max_coding_id if info else 0)
    if not force and info is not None and not needs_training(info, total, new):
        # Codes renamed or removed in the codebook since: the model's columns and calibration
        # would speak for codes that are gone, and the renamed code would have none.
        codable = set(codable_codes(codebook))
        gone = sorted({*info.codes, *saved.calibration.codes} - codable)
        if gone:
            note = (
                f"the codebook changed since the learned model was trained ({_listed(gone)} no longer a code): trained it again"
            )
        else:
            try:
                return Prepared(LearnedModel.load(model_dir(root), info=info), saved.calibration)
            except QualcodeError as exc:  # the weights cut short or damaged
                problem = exc.message
    warnings = [f"{problem}; trained a new one"] if problem else []
    try:
        model, calibration, data = train_project(
            root,
            store,
            codebook,
            pipeline,
            rules,
            threshold,
            should_cancel=should_cancel,
            keep=keep,
            on_unsaved=warnings.append,
        )
    except QualcodeError as exc:
        if exc.code != NOTHING_TO_TRAIN.code or force:
            raise
        return Prepared(
            None,
            note=f"no learned suggestions yet: a code needs {MIN_EXAMPLES} coded sentences",
            warnings=[f"{problem}; not used (too little coding to train a new one)"] if problem else [],
        )
    wanted = set(keep)
    sentences: dict[int, list[Sentence]] = {}
    for item in data:
        if item.transcript_id in wanted:
            sentences.setdefault(item.transcript_id, []).append(item.sentence)
    return Prepared(model, calibration, trained=True, note=note, sentences=sentences, warnings=warnings)


def _listed(codes: list[str]) -> str:
    return first_of([f"'{c}'" for c in codes], 3) + (" is" if len(codes) == 1 else " are")


def train_model(
    project: Project | Path,
    *,
    progress: Callable[[int, int, str], None] | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> ModelInfo:
    """Retrain the project's model now (``qualcode suggest --train``) and return what it learned.

    Like :func:`~qualcode.suggest.runner.run_suggestions`, ``project`` may be a
    folder, for a thread worker with its own connection.
    """
    from ..project import opened
    from .pipeline import load_pipeline

    with opened(project) as proj:
        report = progress or (lambda done, total, what: None)
        report(0, 2, "loading the spaCy pipeline")
        pipeline = load_pipeline(proj.config.spacy_model)
        rules = RuleSuggester(pipeline, proj.codebook)
        report(1, 2, "training")
        model, _, _ = train_project(
            proj.root, proj.store, proj.codebook, pipeline, rules, proj.config.suggestion_threshold, should_cancel=should_cancel
        )
        report(2, 2, "done")
        return model.info


__all__ = [
    "Prepared",
    "Saved",
    "code_counts",
    "model_dir",
    "prepare_model",
    "read_saved",
    "saved_info",
    "train_model",
    "train_project",
]
