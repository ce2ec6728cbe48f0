"""Running the pipeline over transcripts: respondent turns in, sentences out.

One ``nlp.pipe`` stream over the respondent turns of all transcripts (so spaCy
batches across short interviews), regrouped per transcript as each one finishes,
which keeps memory flat over a corpus of any size and lets the caller store,
report progress and check for cancellation after every transcript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from ..model import Transcript
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import Sentence, respondent_turns, sentence_bounds

BATCH_SIZE = 64  # turns per nlp.pipe batch: a turn is a few sentences


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
    forms = pipeline.forms
    # number -> (transcript, its respondent turns, sentences per turn once done)
    pending: dict[int, tuple[Transcript, list, list[list[Sentence] | None]]] = {}
    order: list[int] = []

    def items() -> Iterator[tuple[str, tuple[int, int]]]:
        for number, transcript in enumerate(transcripts):
            turns = respondent_turns(transcript, role_of)
            pending[number] = (transcript, turns, [None] * len(turns))
            order.append(number)
            if not turns:
                continue
            for position, turn in enumerate(turns):
                yield transcript.text[turn.start : turn.end], (number, position)

    def ready() -> Iterator[tuple[Transcript, list[Sentence]]]:
        # Transcripts leave in input order, each as soon as all its turns are done.
        while order:
            transcript, _, parts = pending[order[0]]
            if any(p is None for p in parts):
                return
            del pending[order.pop(0)]
            yield transcript, [s for part in parts for s in part]  # type: ignore[union-attr]

    stream = pipeline.nlp.pipe(items(), as_tuples=True, batch_size=BATCH_SIZE, n_process=n_process)
    for doc, (number, position) in stream:
        transcript, turns, parts = pending[number]
        turn = turns[position]
        bounds = sentence_bounds(doc)
        hits = rules.match(doc, bounds) if rules is not None else None
        sentences = []
        for k, (s, e) in enumerate(bounds):
            span = doc[s:e]
            start, end = _trim(transcript.text, turn.start + span.start_char, turn.start + span.end_char)
            sentence = Sentence(transcript.id or 0, turn.index, start, end, transcript.text[start:end])
            if hits is not None:
                sentence.hits = hits[k]
            if words:
                sentence.words = [forms.lemma(t.text) for t in span if not (t.is_punct or t.is_space)] or ["_"]
            sentences.append(sentence)
        parts[position] = sentences
        yield from ready()
    yield from ready()


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
