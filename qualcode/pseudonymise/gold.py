"""Gold-annotated test transcripts: personal data marked inline as ``{{text|category}}``.

Used to measure detection (precision and recall per category). The marks are
stripped, the clean text is read like any transcript of its format (so labels,
front matter and WebVTT cues are handled as on import) and each marked text is
found again, in order, in the imported text.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..ingest import read_transcript
from ..model import Transcript

# A mark may cross a line break: a subtitle line that breaks a name ("{{Senait\nGebremeskel|person}}").
MARK = re.compile(r"\{\{([^{}|]+?)\|([a-z]+)\}\}")


@dataclass(frozen=True, slots=True)
class GoldSpan:
    start: int
    end: int
    category: str
    text: str


@dataclass(slots=True)
class GoldTranscript:
    transcript: Transcript
    spans: list[GoldSpan]


def strip_marks(marked: str) -> tuple[str, list[tuple[str, str]]]:
    """The text without marks, and the marked (text, category) pairs in order."""
    return MARK.sub(lambda m: m.group(1), marked), [(m.group(1), m.group(2)) for m in MARK.finditer(marked)]


def read_gold(path: Path) -> GoldTranscript:
    """Read one marked file into a transcript and its gold spans."""
    clean, marks = strip_marks(path.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / path.name
        plain.write_text(clean, encoding="utf-8")
        transcript = read_transcript(plain, name=path.stem)
    spans = []
    pos = 0
    for text, category in marks:
        start = transcript.text.find(text, pos)
        if start < 0:  # a mark in the front matter: not part of the text
            continue
        spans.append(GoldSpan(start, start + len(text), category, text))
        pos = start + len(text)
    return GoldTranscript(transcript, spans)


def read_gold_folder(folder: Path) -> list[GoldTranscript]:
    """Every marked transcript in ``folder``, by name."""
    return [read_gold(p) for p in sorted(folder.iterdir()) if p.suffix in {".txt", ".md", ".vtt", ".srt"}]
