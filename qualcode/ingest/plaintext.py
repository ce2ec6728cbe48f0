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
    normalised = normalise(raw)
    attributes, text, warnings = split_front_matter(normalised, path)
    # Warnings name lines of the file: the front matter came before the text.
    skipped = normalised[: len(normalised) - len(text)].count("\n")
    scan = scan_turns(text, line_numbers=range(skipped + 1, skipped + 2 + text.count("\n")) if skipped else None)
    return scan.transcript(path, text, used, warnings, attributes)
