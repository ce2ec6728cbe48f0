"""Reader for plain-text transcripts (.txt), with optional YAML front matter."""

from __future__ import annotations

from pathlib import Path

from qualcode.ingest.decode import decode, normalise
from qualcode.ingest.frontmatter import split_front_matter
from qualcode.ingest.turns import scan_turns
from qualcode.model import Transcript


def read_plain(data: bytes, path: Path, encoding: str | None) -> Transcript:
    """Decode, normalise, take off the front matter and find the turns."""
    raw, used = decode(data, path, encoding)
    attributes, text, warnings = split_front_matter(normalise(raw), path)
    scan = scan_turns(text)
    return Transcript(
        name=path.stem,
        text=text,
        turns=scan.turns,
        attributes=attributes,
        encoding=used,
        warnings=warnings + scan.warnings,
    )
