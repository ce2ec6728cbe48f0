"""``qualcode reimport``: replace a transcript by an edited version of its file."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import DUPLICATE_TEXT, FILE_NOT_FOUND, error
from .ingest import read_transcript
from .project import Project
from .reanchor import Placement, reanchor


@dataclass(slots=True)
class ReimportResult:
    name: str
    source: Path
    unchanged: bool  # the file's text is the stored text: nothing to do
    new_text: str = ""  # the file's text (the placements' offsets count in it)
    placements: list[Placement] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def detached(self) -> list[Placement]:
        return [p for p in self.placements if p.start is None]


def reimport(
    project: Project, tid: int, path: Path | None = None, *, encoding: str | None = None, dry_run: bool = False
) -> ReimportResult:
    """Read the transcript's (edited) file again and re-anchor its codings.

    Nothing is written with ``dry_run``; otherwise the new text, turns and coding
    positions are stored in one transaction and codings that cannot be placed are
    detached (kept in ``detached_codings`` and reported by ``qualcode check``).
    """
    store = project.store
    stored = store.transcripts.load(tid)
    if path is None:
        if stored.source_path is None:
            raise error(FILE_NOT_FOUND, path=f"(no source file recorded for '{stored.name}')")
        path = stored.source_path if stored.source_path.is_absolute() else project.root / stored.source_path
    if not Path(path).exists():
        raise error(FILE_NOT_FOUND, path=path)
    new = read_transcript(Path(path), encoding=encoding, name=stored.name)
    attributes = dict(stored.attributes)
    attributes.update(new.attributes)
    new.attributes = attributes
    for turn in new.turns:
        turn.role = project.config.role_of(turn.speaker, stored.name)
    result = ReimportResult(stored.name, Path(path), unchanged=new.text == stored.text)
    if result.unchanged:
        if not dry_run and new.source_hash != stored.source_hash:
            store.transcripts.set_source_hash(tid, new.source_hash)  # same text, re-saved file
        return result
    other = store.transcripts.id_by_hash(new.content_hash)
    if other is not None and other != tid:
        raise error(DUPLICATE_TEXT, path=path, name=store.transcripts.names()[other])
    result.new_text = new.text
    result.placements = reanchor(stored.text, new.text, store.codings.find(tid))
    if not dry_run:
        result.counts = store.replace_text(tid, new, result.placements)
    return result
