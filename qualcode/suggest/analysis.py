"""Running the pipeline over transcripts: respondent turns in, sentences out.

One ``nlp.pipe`` stream over the respondent turns of all transcripts, regrouped
per transcript as each one finishes, which keeps memory flat over a corpus of
any size and lets the caller store, report progress and check for cancellation
after every transcript.

A turn longer than :data:`MAX_PIECE` characters (an unlabelled transcript is one
turn; a 200,000-word one is over a million characters, spaCy's default limit) is
cut into pieces at line breaks, where sentences are cut anyway.

With a pipeline whose components look at each token on its own
(:attr:`Pipeline.per_token`: the blank pipeline's tokenizer and lookup
lemmatizer), consecutive pieces share one doc of up to :data:`MAX_PIECE`
characters, joined by a line break. A token never spans whitespace, so every
piece gets the tokens and lemmas it would get in a doc of its own, while the cost
that spaCy and the matching pay per doc is paid once per few dozen turns instead
of once per turn (a turn is a few sentences). A trained pipeline (a tagger or
parser reads the neighbouring words) keeps one doc per piece.

Before a doc is made, :meth:`Pipeline.prime` hands the tokenizer each word it has
not seen yet on its own: spaCy's tokenizer stops caching for the rest of a doc
after its first special case, which in a doc of many turns is near its start.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import gt
from typing import Any

from ..model import INTERVIEWER, Transcript, Turn
from ..store import Store
from ..termsafe import first_of
from .pipeline import Pipeline
from .rules import RuleSuggester
from .segments import WORDS, Sentence, is_content, mark_sentence_starts, respondent_turns, sentence_tokens

BATCH_SIZE = 64  # docs per nlp.pipe batch
MAX_PIECE = 100_000  # characters per doc; longer turns are cut at line breaks
JOINER = "\n"  # between the pieces that share a doc: whitespace, so no token crosses it
MIN_QUESTION_WORDS = 3  # lemmas outside the stop list a question needs to stand on its own (see _questions)


@dataclass(slots=True)
class _Job:
    """One transcript on its way through the pipeline."""

    transcript: Transcript
    parts: list[list[Sentence] | None]  # sentences per piece, once analysed
    remaining: int
    labelled: bool  # some turn has a speaker: an unlabelled turn is then a header
    known: tuple[Sequence[int], ...] | None = None  # its sentences' starts and ends, when known (see Known)
    questions: dict[int, list[str]] | None = None  # respondent turn index -> its question's lemmas (see _questions)


@dataclass(slots=True, frozen=True)
class _Piece:
    """A piece of a respondent turn in a doc: ``text[start:end]`` of transcript ``number``
    stands in the doc from character ``offset``."""

    number: int  # the transcript's position in the input
    position: int  # the piece's position among the transcript's pieces
    turn: Turn
    start: int
    end: int
    offset: int
    # Its sentences, when known before analysis: their range in the transcript's known
    # sentences (_Job.known).
    sentences: tuple[int, int] | None


# The sentences of a transcript's turns, when known already (as the store keeps them): a
# function of the transcript giving the starts and ends of every sentence in its content
# spans (:func:`~qualcode.text.sentences_in`) and those spans' starts and ends, or None.
Known = Callable[[Transcript], "tuple[Sequence[int], Sequence[int], Sequence[int], Sequence[int]] | None"]


def interviewer_note(store: Store, transcript_ids: Iterable[int] | None = None) -> str | None:
    """What to say when some transcripts have several speakers but no interviewer: their
    questions are taken for answers (proposed for codes, scored by ``--evaluate``)."""
    names = store.transcripts.without_interviewer(transcript_ids)
    if not names:
        return None
    shown = first_of(names, 5)
    return (
        f"{len(names)} transcript(s) have several speakers and no interviewer ({shown}): their questions are read as"
        " answers; `qualcode speakers --interviewer LABEL` names who asks them (add `--transcript NAME` for a label"
        " such as 'Spreker 1' that is someone else in other transcripts)"
    )


def stored_sentences(store: Store) -> Known:
    """The sentences the store keeps of each transcript (migration 0012_sentence_bounds):
    splitting them again is a tenth of a rules-only suggestion run. None for a transcript
    whose units are not stored (its turns were edited since): its turns are split as before."""

    def known(transcript: Transcript) -> tuple[Sequence[int], Sequence[int], Sequence[int], Sequence[int]] | None:
        units = store.transcripts.stored_units(transcript.id) if transcript.id is not None else None
        if units is None:
            return None
        span_starts, span_ends, starts, ends = units
        if any(map(gt, span_ends[:-1], span_starts[1:])):
            return None  # overlapping turns (sorted by start): a turn's sentences are not simply those in it
        return starts, ends, span_starts, span_ends

    return known


def _known_spans(known: tuple[Sequence[int], ...] | None, start: int, end: int) -> tuple[int, int] | None:
    """The known sentences of ``[start, end)`` if it is one of the (disjoint) content spans,
    whose sentences are those that start in it, as their range in ``known``'s sentences;
    else None (a turn cut into pieces)."""
    if known is None:
        return None
    starts, _, span_starts, span_ends = known
    i = bisect_left(span_starts, start)
    if i == len(span_starts) or span_starts[i] != start or span_ends[i] != end:
        return None
    return bisect_left(starts, start), bisect_left(starts, end)


def _cut(idx: Any, pieces: Sequence[_Piece], jobs: dict[int, _Job]) -> list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]:
    """:func:`~qualcode.suggest.segments.sentence_tokens` of every piece of a doc whose
    tokens start at ``idx`` (numpy): the known sentences of all its pieces looked up in
    ``idx`` at once (a binary search per sentence edge in Python cost a tenth of a
    rules-only run); the others split and looked up piece by piece."""
    import numpy

    out: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = [([], [])] * len(pieces)
    idx_list: list[int] | None = None
    chars: list[int] = []  # the known sentences' starts, then their ends, in the pieces' order
    ends: list[int] = []
    shifts, counts, which = [], [], []
    for n, piece in enumerate(pieces):
        job = jobs[piece.number]
        if piece.sentences is None or job.known is None:
            if idx_list is None:
                idx_list = idx.tolist()
            out[n] = sentence_tokens(idx_list, job.transcript.text, piece.start, piece.end, piece.offset)
            continue
        first, last = piece.sentences
        chars.extend(job.known[0][first:last])
        ends.extend(job.known[1][first:last])
        shifts.append(piece.offset - piece.start)
        counts.append(last - first)
        which.append(n)
    if not which:
        return out
    shift = numpy.repeat(numpy.asarray(shifts, dtype=numpy.int64), counts)
    starts_at, ends_at = numpy.asarray(chars, dtype=numpy.int64), numpy.asarray(ends, dtype=numpy.int64)
    tokens = idx.astype(numpy.int64)
    s, e = numpy.searchsorted(tokens, starts_at + shift), numpy.searchsorted(tokens, ends_at + shift)
    keep = e > s  # a sentence of whitespace tokens only (none start inside it) is left out
    kept = numpy.concatenate(([0], numpy.cumsum(keep))).tolist()  # kept sentences before each one
    edges = numpy.concatenate(([0], numpy.cumsum(counts))).tolist()
    spans = list(zip(starts_at[keep].tolist(), ends_at[keep].tolist(), strict=True))
    bounds = list(zip(s[keep].tolist(), e[keep].tolist(), strict=True))
    for k, n in enumerate(which):
        a, b = kept[edges[k]], kept[edges[k + 1]]
        out[n] = (spans[a:b], bounds[a:b])
    return out


def analyse(
    pipeline: Pipeline,
    transcripts: Iterable[Transcript],
    *,
    rules: RuleSuggester | None = None,
    words: bool = False,
    n_process: int = 1,
    known: Known | None = None,
    near_codes: set[str] | None = None,
    check_content: bool = True,
) -> Iterator[tuple[Transcript, list[Sentence]]]:
    """Yield each transcript with its respondent sentences, in input order.

    ``rules`` fills ``Sentence.hits``; ``words=True`` fills ``Sentence.words`` (one
    lemma per word token, the learned suggester's features). Every sentence gets
    ``content``: whether it is worth a suggestion at all. ``known`` gives the sentences of
    a transcript's turns where they are known already (:func:`stored_sentences`).
    ``near_codes``: the codes whose hints propose the sentences next to them too (a
    calibration's); a rules-only run then reads ``content`` next to those hits only
    (default: next to any hit). ``check_content=False`` reads ``content`` of no sentence
    outside a header turn (those all get False): it stays True, unread, for
    :func:`~qualcode.suggest.segments.check_content` to read where it is needed (a run
    proposes for a few sentences; reading all of them cost a twentieth of the run).
    """
    from spacy.attrs import IDX
    from spacy.lang.nl.stop_words import STOP_WORDS

    mark_starts = rules is not None and rules.needs_sentence_starts
    if near_codes is None:
        near: Callable[[dict[str, list[str]]], bool] = bool
    else:
        codes = near_codes

        def near(hits: dict[str, list[str]]) -> bool:
            return not codes.isdisjoint(hits)

    jobs: dict[int, _Job] = {}
    order: deque[int] = deque()
    limit = MAX_PIECE  # read once: tests lower it

    def items() -> Iterator[tuple[str, tuple[str, list[_Piece]]]]:
        texts: list[str] = []
        pieces: list[_Piece] = []
        size = 0
        for number, transcript in enumerate(transcripts):
            ranges = [
                (turn, start, end)
                for turn in respondent_turns(transcript)
                for start, end in pieces_of(transcript.text, turn.start, turn.end, limit)
            ]
            labelled = any(t.speaker for t in transcript.turns)
            stored = known(transcript) if known is not None else None
            asked = _questions(pipeline, transcript) if words else {}
            jobs[number] = _Job(transcript, [None] * len(ranges), len(ranges), labelled, stored, asked)
            order.append(number)
            for position, (turn, start, end) in enumerate(ranges):
                if pieces and (not pipeline.per_token or size + len(JOINER) + end - start > limit):
                    joined = JOINER.join(texts)
                    pipeline.prime(joined)
                    yield joined, (joined, pieces)
                    texts, pieces, size = [], [], 0
                offset = size + len(JOINER) if pieces else 0
                texts.append(transcript.text[start:end])
                pieces.append(_Piece(number, position, turn, start, end, offset, _known_spans(stored, start, end)))
                size = offset + end - start
        if pieces:
            joined = JOINER.join(texts)
            pipeline.prime(joined)
            yield joined, (joined, pieces)

    def ready() -> Iterator[tuple[Transcript, list[Sentence]]]:
        # Transcripts leave in input order, each as soon as all its pieces are done.
        while order and not jobs[order[0]].remaining:
            job = jobs.pop(order.popleft())
            sentences: list[Sentence] = []
            for part in job.parts:
                assert part is not None  # no piece remaining: every part is filled
                sentences.extend(part)
            yield job.transcript, sentences

    stream = pipeline.nlp.pipe(items(), as_tuples=True, batch_size=BATCH_SIZE, n_process=n_process)
    for doc, (doc_text, pieces) in stream:
        idx = doc.to_array(IDX)
        # The sentences of every piece, as character spans in its transcript and token
        # ranges in the doc: matched all at once (a match across two sentences counts
        # for neither, so one across two pieces cannot count either).
        cut = _cut(idx, pieces, jobs)
        bounds = [b for _, piece_bounds in cut for b in piece_bounds]
        if mark_starts:
            mark_sentence_starts(doc, bounds)
        hits = rules.match(doc, bounds, text=doc_text) if rules is not None else None
        lemmas = _lemmas(pipeline, doc) if words else None
        k = 0
        for piece, (spans, piece_bounds) in zip(pieces, cut, strict=True):
            job = jobs[piece.number]
            text, tid, turn = job.transcript.text, job.transcript.id or 0, piece.turn.index
            header = piece.turn.speaker is None and job.labelled
            sentences = []
            first = k
            # Only what may be proposed or learned from needs the check: a sentence with hits
            # or next to one (proposed for its neighbour's hints), and the sentences at a cut
            # in a turn (their neighbours are in the next piece). That is a quarter to a half
            # of the sentences in a rules-only run; the others keep content=True unread.
            whole = piece.start == piece.turn.start and piece.end == piece.turn.end
            last = first + len(spans) - 1
            for (start, end), (s, e) in zip(spans, piece_bounds, strict=True):
                if hits is not None:  # the matcher's dict, not a new one replaced
                    sentence = Sentence(tid, turn, start, end, text[start:end], [], hits[k])
                else:
                    sentence = Sentence(tid, turn, start, end, text[start:end])
                if not check_content:
                    if header:
                        sentence.content = False
                elif (
                    words
                    or hits is None
                    or sentence.hits
                    or (k > first and near(hits[k - 1]))
                    or (k < last and near(hits[k + 1]))
                    or (not whole and k in (first, last))
                ):
                    sentence.content = is_content(sentence.text, STOP_WORDS, header=header)
                k += 1
                if lemmas is not None:
                    sentence.words = [w for w in lemmas[s:e] if w is not None] or ["_"]
                    if job.questions:
                        sentence.question = job.questions.get(turn, ())
                sentences.append(sentence)
            job.parts[piece.position] = sentences
            job.remaining -= 1
        yield from ready()
    yield from ready()


def _questions(pipeline: Pipeline, transcript: Transcript) -> dict[int, list[str]]:
    """Per respondent turn (its index), the distinct lemmas outside the stop list of the
    interviewer's turn before it: the question it answers (every respondent turn up to
    the next question, as in a focus group). One list per question, shared. A short
    follow-up question (fewer than :data:`MIN_QUESTION_WORDS` such lemmas: "En toen?",
    "Hoe bedoelt u?") keeps the topic of the question before it: their lemmas together.

    The question names the topic that the answer's own words often leave out.
    (Cross-validated on the sample project as learned features, mean of 3, 5 and 6
    folds, with the passages carried on: leaf P/R/F1 0.448/0.395/0.420 ->
    0.488/0.419/0.451, top level 0.503/0.444/0.472 -> 0.545/0.469/0.504; every
    question on its own 0.432 / 0.480; a short one with the one before it below 2, 4
    or 5 lemmas 0.442 / 0.494, 0.439 / 0.494, 0.434 / 0.482; each question with the
    one before it 0.438 / 0.493; the question's hints instead of its lemmas 0.430 /
    0.486, both 0.433 / 0.481.) Only lemmatized, word by word, never matched: a
    question is not proposed for."""
    from spacy.lang.nl.stop_words import STOP_WORDS

    lemma = pipeline.forms.lemma
    out: dict[int, list[str]] = {}
    question: list[str] = []
    for turn in transcript.turns:
        if turn.role == INTERVIEWER:
            if turn.end > turn.start:
                # Word by word (the words of is_content), each the lemma it gets in a doc but for the
                # odd hyphenated one ("ouder- en kindteam"): a doc per question took a twentieth of a run.
                words = WORDS.findall(transcript.text[turn.start : turn.end])
                found = list(dict.fromkeys(w for w in map(lemma, words) if w not in STOP_WORDS))
                question = found if len(found) >= MIN_QUESTION_WORDS else list(dict.fromkeys([*found, *question]))
        elif question:
            out[turn.index] = question
    return out


def _lemmas(pipeline: Pipeline, doc: Any) -> list[str | None]:
    """Per token: its most likely lemma (:meth:`DutchForms.lemma`), None for punctuation and space."""
    from spacy.attrs import ORTH

    # A word's lemma and kind are the same in every doc: each worked out once (see FeatureLemmas).
    return list(map(pipeline.feature_lemmas.__getitem__, doc.to_array(ORTH).tolist()))


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
