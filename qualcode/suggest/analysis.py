"""Running the pipeline over transcripts: respondent turns in, sentences out.

One ``nlp.pipe`` stream over the respondent turns of all transcripts (so spaCy
batches across short interviews), regrouped per transcript as each one finishes,
which keeps memory flat over a corpus of any size and lets the caller store,
report progress and check for cancellation after every transcript.

A turn longer than :data:`MAX_PIECE` characters (an unlabelled transcript is one
turn; a 200,000-word one is over a million characters, spaCy's default limit) is
cut into pieces at line breaks, where sentences are cut anyway.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..model import Transcript, Turn
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import Sentence, respondent_turns, sentence_bounds

BATCH_SIZE = 64  # turns per nlp.pipe batch: a turn is a few sentences
MAX_PIECE = 100_000  # characters per doc; longer turns are cut at line breaks


@dataclass(slots=True)
class _Job:
    """One transcript on its way through the pipeline."""

    transcript: Transcript
    parts: list[list[Sentence] | None]  # sentences per piece, once analysed
    remaining: int


def analyse(
    pipeline: Pipeline,
    transcripts: Iterable[Transcript],
    role_of: Callable[[str | None], str],
    *,
    rules: RuleSuggester | None = None,
    words: bool = False,
    n_process: int = 1,
) -> Iterator[tuple[Transcript, list[Sentence]]]:
    """Yield each transcript with its respondent sentences, in input order.

    ``rules`` fills ``Sentence.hits``; ``words=True`` fills ``Sentence.words`` (one
    lemma per word token, the learned suggester's features).
    """
    from spacy.attrs import IDX, LENGTH

    forms = pipeline.forms
    jobs: dict[int, _Job] = {}
    order: deque[int] = deque()

    def items() -> Iterator[tuple[str, tuple[int, int, Turn, int]]]:
        for number, transcript in enumerate(transcripts):
            pieces = [
                (turn, start, end)
                for turn in respondent_turns(transcript, role_of)
                for start, end in pieces_of(transcript.text, turn.start, turn.end)
            ]
            jobs[number] = _Job(transcript, [None] * len(pieces), len(pieces))
            order.append(number)
            for position, (turn, start, end) in enumerate(pieces):
                yield transcript.text[start:end], (number, position, turn, start)

    def ready() -> Iterator[tuple[Transcript, list[Sentence]]]:
        # Transcripts leave in input order, each as soon as all its pieces are done.
        while order and not jobs[order[0]].remaining:
            job = jobs.pop(order.popleft())
            yield job.transcript, [s for part in job.parts for s in part]  # type: ignore[union-attr]

    stream = pipeline.nlp.pipe(items(), as_tuples=True, batch_size=BATCH_SIZE, n_process=n_process)
    for doc, (number, position, turn, base) in stream:
        job = jobs[number]
        bounds = sentence_bounds(doc)
        hits = rules.match(doc, bounds) if rules is not None else None
        # Character offsets from two arrays rather than a Span per sentence.
        offsets = doc.to_array([IDX, LENGTH])
        first, size = offsets[:, 0].tolist(), offsets[:, 1].tolist()
        text, tid = job.transcript.text, job.transcript.id or 0
        sentences = []
        for k, (s, e) in enumerate(bounds):
            start, end = _trim(text, base + first[s], base + first[e - 1] + size[e - 1])
            sentence = Sentence(tid, turn.index, start, end, text[start:end])
            if hits is not None:
                sentence.hits = hits[k]
            if words:
                sentence.words = [forms.lemma(t.text) for t in doc[s:e] if not (t.is_punct or t.is_space)] or ["_"]
            sentences.append(sentence)
        job.parts[position] = sentences
        job.remaining -= 1
        yield from ready()
    yield from ready()


def pieces_of(text: str, start: int, end: int, limit: int | None = None) -> list[tuple[int, int]]:
    """``[start, end)`` cut into ranges of at most ``limit`` characters, at line breaks
    (else at a space, else anywhere) so that no sentence is split needlessly."""
    limit = limit or MAX_PIECE
    out = []
    while end - start > limit:
        cut = text.rfind("\n", start + 1, start + limit)
        if cut <= start:
            cut = text.rfind(" ", start + 1, start + limit)
        if cut <= start:
            cut = start + limit
        out.append((start, cut))
        start = cut
    out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
