"""Suggestions: spaCy proposes segments, the researcher decides.

The API the CLI and the coding screen use (importing it does not load spaCy;
only running suggestions or an evaluation does, inside the call):

Running (slow: call it from a thread worker, passing the project *folder* so the
run opens its own database connection)::

    summary = run_suggestions(project_root, transcript_ids=None,
                              progress=lambda done, total, what: ...,
                              should_cancel=lambda: worker.is_cancelled)

Reviewing (fast, no spaCy; each decision is one committed transaction)::

    rows = pending_suggestions(store, transcript_id)      # Suggestion list, reading order
    rows = by_score(rows)                                 # ... or the most likely first
    coding = accept(store, row.id, coder)                 # coding with origin 'suggested'
    coding = accept(store, row.id, coder, "other_code", codebook=book)  # accept with another code
    reject(store, row.id, coder)                          # never proposed again
    following = skip(store, row.id)                       # next pending one, nothing written
    undo(store, row.id)                                   # back to pending (removes its coding)

Training and evaluating (slow, like running)::

    info = train_model(project_root, progress=..., should_cancel=...)   # ModelInfo
    evaluation = evaluate_project(project_root, folds=5)                # rules, learned, combined, learning curve

Modules: ``pipeline`` (spaCy, lazily), ``dutch`` (word forms), ``segments``
(sentences and overlap), ``rules``, ``learned``/``training`` (the classifier),
``analysis`` (pipeline over transcripts), ``runner``, ``review``, ``metrics``,
``evaluate``, ``combined`` (one score per sentence and code, per-code
calibration), ``fitting`` (model plus calibration from cross-validation).
"""

from __future__ import annotations

from .evaluate import SuggestEvaluation, evaluate_project
from .review import accept, by_score, list_suggestions, pending_suggestions, reject, skip, undo
from .runner import RunSummary, run_suggestions
from .training import train_model

__all__ = [
    "SuggestEvaluation",
    "RunSummary",
    "accept",
    "by_score",
    "evaluate_project",
    "list_suggestions",
    "pending_suggestions",
    "reject",
    "run_suggestions",
    "skip",
    "train_model",
    "undo",
]
