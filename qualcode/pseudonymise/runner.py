"""Running detection over a project's transcripts and storing the candidates in the key.

Slow only through deduce (loaded once per process, see :mod:`.engine`); call it from
a worker thread with the project *folder*, so the run opens its own connections.
A name the key already holds (an accepted entity, an "always" word) is accepted at
once wherever it is found again; a "never" word is not proposed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..model import ACCEPTED, PENDING
from ..project import Project, opened
from ..store.key import KEY_NAME, CandidateChange, KeyStore
from .detect import Detector, detect
from .project import project_context
from .review import applied_ids, decided_names, stale_candidates

Progress = Callable[[int, int, str], None]


@dataclass(slots=True)
class DetectSummary:
    new: dict[str, int] = field(default_factory=dict)  # transcript name -> candidates found for the first time
    accepted: dict[str, int] = field(default_factory=dict)  # transcript name -> names the key already knew
    pending: dict[str, int] = field(default_factory=dict)  # transcript name -> candidates to review
    skipped: list[str] = field(default_factory=list)  # transcripts already pseudonymised
    dropped: dict[str, int] = field(default_factory=dict)  # transcript name -> candidates no longer at their place
    cancelled: bool = False


def open_key(root: Path) -> KeyStore:
    """The project's key store (created on first use)."""
    return KeyStore(Path(root) / KEY_NAME)


def run_detection(
    project: Project | Path,
    detector: Detector | None,
    *,
    transcript_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    should_cancel: Callable[[], bool] | None = None,
) -> DetectSummary:
    """Detect candidates in the given transcripts (default: all) and store them."""
    summary = DetectSummary()
    with opened(project) as p:
        store = p.store
        key = open_key(p.root)
        try:
            names, never_words = decided_names(key)
            context = project_context(p.root, p.codebook, decided_names=names, never=never_words)
            entities = {e.original.casefold(): e for e in key.entities()}
            applied = applied_ids(store, key)
            wanted = list(transcript_ids) if transcript_ids is not None else list(store.transcripts.names())
            all_names = store.transcripts.names()
            for i, tid in enumerate(wanted, start=1):
                if should_cancel and should_cancel():
                    summary.cancelled = True
                    break
                name = all_names[tid]
                if progress:
                    progress(i, len(wanted), name)
                if tid in applied:
                    summary.skipped.append(name)
                    continue
                t = store.transcripts.load(tid)
                # Candidates no longer where they were found (the transcript was reimported since,
                # or the key came from another project) go: their names are found again below,
                # at their new places, and those the key knows are accepted again.
                stale = stale_candidates(t.text, key.candidates(tid))
                if stale:
                    summary.dropped[name] = key.drop_candidates(c.id for c in stale)
                found = detect(t.text, t.turns, context, detector, attributes=t.attributes)
                decided = [c for c in key.candidates(tid) if c.status != PENDING]
                fresh = [c for c in found if not any(d.start < c.end and c.start < d.end for d in decided)]
                summary.new[name] = key.add_candidates((tid, c.start, c.end, c.category, c.text, c.source) for c in fresh)
                # Names the key knows are accepted at once, with their entity's pseudonym.
                known = [
                    CandidateChange(
                        c.id,
                        tid,
                        c.start,
                        c.end,
                        entities[c.text.casefold()].category,
                        c.text,
                        c.source,
                        ACCEPTED,
                        entities[c.text.casefold()].id,
                    )
                    for c in key.candidates(tid, [PENDING])
                    if c.text.casefold() in entities
                ]
                if known:
                    key.decide("known names", known, by="qualcode")
                    summary.accepted[name] = len(known)
                summary.pending[name] = len(key.candidates(tid, [PENDING]))
        finally:
            key.close()
    return summary
