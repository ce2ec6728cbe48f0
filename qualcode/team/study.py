"""Agreement and disagreements of a project's coders: reads the store, calls the pure core."""

from __future__ import annotations

from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator, Sequence
from itertools import combinations
from typing import Any

from ..agreement import DEFAULT_OVERLAP, Agreement, CodedSpan, Document, Row
from ..agreement.study import study
from ..agreement.units import SENTENCE
from ..coding import expand_codes, resolve_transcript
from ..errors import BAD_OVERLAP, ONE_CODER_SO_FAR, TOO_FEW_CODERS, TWO_CODERS_ONLY, error
from ..project import Project
from ..store import CodingFilter
from .coders import consensus_coder, known_coders, resolve_coders
from .disagreements import Disagreement, find_disagreements


def choose_coders(project: Project, names: Sequence[str], *, exactly_two: bool = False) -> list[str]:
    """The coders to compare: those named, or every coder but the consensus coder."""
    store = project.store
    if names:
        coders = resolve_coders(store, names)
    else:
        consensus = consensus_coder(store)
        coders = [c for c in known_coders(store) if c != consensus]
    if exactly_two and len(coders) > 2:
        raise error(TWO_CODERS_ONLY, count=len(coders), coders=", ".join(coders), example=",".join(coders[:2]))
    if len(coders) < 2 and not names:
        raise error(ONE_CODER_SO_FAR, count=len(coders), coders=f" ({coders[0]})" if coders else "")
    if len(coders) < 2:
        raise error(TOO_FEW_CODERS, found=f"got {len(coders)}", known=", ".join(known_coders(store)) or "none yet")
    return coders


def coder_pairs(project: Project) -> list[tuple[str, str]]:
    """The pairs of coders (the consensus coder left out) who coded at least one transcript
    in common: the reviews of disagreements there are to choose from, in name order."""
    store = project.store
    consensus = consensus_coder(store)
    coders = [c for c in known_coders(store) if c != consensus]
    if len(coders) < 2:
        return []
    by_transcript: dict[int, set[str]] = defaultdict(set)
    for tid, coder in store.codings.coders_by_transcript(CodingFilter.of(None, None, coders)):
        by_transcript[tid].add(coder)
    order = {c: i for i, c in enumerate(coders)}
    pairs = {pair for found in by_transcript.values() for pair in combinations(sorted(found, key=order.__getitem__), 2)}
    return sorted(pairs, key=lambda pair: (order[pair[0]], order[pair[1]]))


def coded_spans(project: Project, coders: Sequence[str], transcript_ids: Iterable[int] | None = None) -> list[CodedSpan]:
    """Every coding of ``coders`` (in the given transcripts) as plain spans, in transcript and position order."""
    rows = project.store.codings.coded_spans(CodingFilter.of(transcript_ids, None, coders))
    return [CodedSpan(*row) for row in rows]


def transcript_ids(project: Project, refs: Sequence[str]) -> set[int] | None:
    return {resolve_transcript(project.store, ref) for ref in refs} if refs else None


def project_agreement(project: Project, **options: Any) -> Agreement:
    """``qualcode agreement``'s whole result at once: :func:`agreement_stream` (same
    options) with every row computed."""
    result, rows = agreement_stream(project, **options)
    deque(rows, maxlen=0)
    return result


def agreement_stream(
    project: Project,
    *,
    coders: Sequence[str] = (),
    codes: Sequence[str] = (),
    transcripts: Sequence[str] = (),
    unit: str,
    overlap: int = DEFAULT_OVERLAP,
) -> tuple[Agreement, Iterator[Row]]:
    """:func:`project_agreement` with its rows as they are computed (see :func:`~qualcode.agreement.study.study`).

    Which coders coded where, and with which codes, come from the indexes; then the
    counted transcripts are read one at a time, for each pass of the study.
    """
    if not 1 <= overlap <= 100:
        raise error(BAD_OVERLAP, value=overlap)
    chosen = list(dict.fromkeys(choose_coders(project, coders)))
    tids = transcript_ids(project, transcripts)
    code_ids = expand_codes(project.codebook, project.store, codes) if codes else None
    store = project.store
    flt = CodingFilter.of(tids, None, chosen)
    index = {c: i for i, c in enumerate(chosen)}
    masks: dict[int, int] = defaultdict(int)  # bit i: coder i coded there
    for tid, coder in store.codings.coders_by_transcript(flt):
        masks[tid] |= 1 << index[coder]
    # The same few sets for thousands of transcripts: one of each, shared.
    sets = {mask: frozenset(i for i in range(len(chosen)) if mask >> i & 1) for mask in set(masks.values())}
    coded_by = {tid: sets[mask] for tid, mask in masks.items()}
    used = set(store.codings.code_ids(flt)) if code_ids is None else set()
    documents = [Document(tid, name, ()) for tid, name in store.transcripts.names().items() if tids is None or tid in tids]

    def load_units(counted: Sequence[Document]) -> Iterator[tuple[array, array]]:
        # Kept by the store: no turn is read or split.
        bounds = store.transcripts.sentence_bounds if unit == SENTENCE else store.transcripts.turn_bounds
        for _tid, starts, ends in bounds([d.id for d in counted]):
            yield starts, ends

    def document_spans(counted: Sequence[Document], codes: Sequence[str]) -> Iterator[list[tuple[str, int, int, str]]]:
        # Every code the coders used: no filter on codes (the index of a transcript's codings is read straight).
        every = code_ids is None and len(set(codes)) == len(used)
        return store.codings.coder_spans([d.id for d in counted], CodingFilter.of(None, None if every else codes, chosen))

    return study(documents, chosen, coded_by, used, load_units, document_spans, unit=unit, codes=code_ids, overlap=overlap)


def coded_by_one(project: Project, first: str, second: str, transcripts: Sequence[str] = ()) -> list[tuple[str, str]]:
    """(transcript name, coder) of the transcripts only one of the two coded: disagreements
    leaves them out (the other has not started there), so the listing says which."""
    tids = transcript_ids(project, transcripts)
    who: dict[int, set[str]] = defaultdict(set)
    for tid, coder in project.store.codings.coders_by_transcript(CodingFilter.of(tids, None, [first, second])):
        who[tid].add(coder)
    names = project.store.transcripts.names()
    return sorted((names[tid], next(iter(coders))) for tid, coders in who.items() if len(coders) == 1)


def project_disagreements(
    project: Project, *, coders: Sequence[str] = (), transcripts: Sequence[str] = (), codes: Sequence[str] = ()
) -> tuple[list[str], Iterator[Disagreement]]:
    """The two coders compared and every place where they differ, in transcript and text order.

    Found transcript by transcript as the caller reads them, so a listing starts at once
    and only one transcript's codings are held at a time.
    """
    first, second = choose_coders(project, coders, exactly_two=True)
    tids = transcript_ids(project, transcripts)
    wanted = set(expand_codes(project.codebook, project.store, codes)) if codes else None

    def found() -> Iterator[Disagreement]:
        for tid in sorted(tids) if tids is not None else project.store.codings.transcript_ids():
            for d in find_disagreements(coded_spans(project, [first, second], [tid]), first, second):
                if wanted is None or wanted & set(d.codes):
                    yield d

    return [first, second], found()
