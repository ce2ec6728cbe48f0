"""A suggestion run: transcripts in, pending suggestions stored, a summary out.

:func:`run_suggestions` is what ``qualcode suggest`` and the coding screen's worker
call. It reports progress through a callback and polls a cancellation callback
between transcripts; each transcript's suggestions are stored in one transaction,
so a cancelled or killed run leaves every transcript either done or untouched.

What gets proposed, per respondent sentence and code: one combined score from
the rules and the learned model (:mod:`.combined`: which source speaks for a
code, its threshold and how far its hints are trusted all come from
cross-validation on the researcher's own coding), with a line that says why;

* nothing for non-content sentences, and at most ``MAX_PER_TURN`` per turn;
* never a code that a coding of the same code already covers (the
  :func:`~qualcode.suggest.segments.substantial` overlap rule), nor one decided
  before (accepted or rejected) for a span that lines up with it;
* a run of a code is carried on over the passage around it in its turn: a next
  sentence with a hint of the code too weak alone, or one between two sentences
  proposing the code (:func:`~qualcode.suggest.combined.extend_runs`), says so;
* adjacent sentences of one turn proposing the same code become one suggestion
  over the run of sentences, with the reasons of all of them.

Human codings are never changed: suggestions live in their own table until a
researcher accepts one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from types import SimpleNamespace

from ..collector import paused_collector
from ..model import Transcript, stored_id
from ..project import Project, opened
from ..store import Store
from .analysis import analyse, interviewer_note, stored_sentences
from .combined import (
    LEARNED,
    MAX_PER_TURN,
    RULES,
    UNTRIED_HINT,
    Calibration,
    Proposal,
    capped_runs,
    combine,
    extend_runs,
    is_neighbour_reason,
    neighbour_hits,
)
from .learned import (
    MIN_EXAMPLES,
    PREVIOUS_FEATURE,
    QUESTION_FEATURE,
    RULE_FEATURE,
    LearnedModel,
    ModelInfo,
    sentence_features,
    sentence_ids,
)
from .pipeline import load_pipeline
from .rules import RuleSuggester, rule_suggester
from .segments import Sentence, check_content, labels_for
from .training import codable_codes, prepare_model, read_saved

Progress = Callable[[int, int, str], None]  # (done, total, what): same shape as importing's
Cancel = Callable[[], bool]

MAX_REASONS = 4  # reasons kept per suggestion (a long run of sentences has many)


@dataclass(slots=True)
class RunSummary:
    """What a suggestion run did."""

    transcripts: int = 0  # transcripts processed
    sentences: int = 0  # respondent sentences looked at
    added: int = 0  # new pending suggestions
    kept: int = 0  # pending suggestions proposed again (same id)
    removed: int = 0  # pending suggestions no longer proposed
    by_suggester: Counter = field(default_factory=Counter)  # proposals per suggester
    pending: int = 0  # pending suggestions in the project after the run
    cancelled: bool = False
    pipeline: str = ""
    model: ModelInfo | None = None
    trained: bool = False
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run_suggestions(
    project: Project | Path | str,
    transcript_ids: Sequence[int] | None = None,
    *,
    learned: bool = True,
    train: bool = False,
    progress: Progress | None = None,
    should_cancel: Cancel | None = None,
) -> RunSummary:
    """Compute and store suggestions for ``transcript_ids`` (default: all transcripts).

    ``project`` is an open :class:`Project`, or a project folder: then the run opens
    (and closes) its own store connection, which is what a thread worker needs.
    ``learned=False`` uses the codebook hints only; ``train=True`` retrains the
    learned model first even if it is not stale.
    ``progress(done, total, what)`` is called as the run goes (``done`` counts
    transcripts); ``should_cancel()`` is polled between transcripts and steps.
    """
    started = time.perf_counter()
    with opened(project) as proj:
        return _run(proj, transcript_ids, learned, train, progress or _quiet, should_cancel or _never, started)


def _run(
    project: Project,
    transcript_ids: Sequence[int] | None,
    learned: bool,
    train: bool,
    progress: Progress,
    should_cancel: Cancel,
    started: float,
) -> RunSummary:
    summary = RunSummary()
    store = project.store
    codebook = project.codebook
    config = project.config
    ids = list(transcript_ids) if transcript_ids is not None else list(store.transcripts.names())
    total = len(ids)

    progress(0, total, "loading the spaCy pipeline")
    pipeline = load_pipeline(config.spacy_model)
    rules = rule_suggester(pipeline, codebook)
    summary.pipeline = pipeline.name
    summary.warnings.extend(rules.warnings)
    if should_cancel():
        summary.cancelled = True
        return summary

    model = None
    model_note = ""  # why there is no learned model yet (from prepare_model)
    # Hint precisions: the saved model's calibration, also for --rules-only (a run with the
    # learned model takes the one prepare_model gives: meta.json read once, not twice).
    calibration = Calibration()
    if not learned:
        saved = read_saved(project.root)
        calibration = saved.calibration
        if saved.problem:
            summary.warnings.append(
                f"{saved.problem}; its hint precisions are not used (`qualcode suggest --train` trains a new model)"
            )
    analysed: dict[int, list[Sentence]] = {}
    if learned:
        progress(0, total, "checking the learned model")
        prepared = prepare_model(
            project.root,
            store,
            codebook,
            pipeline,
            rules,
            config.suggestion_threshold,
            force=train,
            should_cancel=should_cancel,
            keep=set(ids),
        )
        model = prepared.model
        calibration = prepared.calibration
        if model is not None:
            pipeline.load_lemma_dictionary()  # its features' lemmas: loaded with the model, once per process
        if model is not None and not calibration.learned:
            info = model.info
            enough = info.transcripts >= 2 and any(n >= MIN_EXAMPLES for n in info.codes.values())
            summary.notes.append(
                "the learned model proposes nothing yet: cross-validation on your coding does not show it beating"
                " the hints for any code"
                + (
                    f" ({info.sentences} sentences of {info.transcripts} coded transcripts; checked again as you code)"
                    if enough
                    else f" (it needs 2+ coded transcripts and {MIN_EXAMPLES}+ coded sentences per code)"
                )
            )
        summary.trained = prepared.trained
        summary.warnings.extend(prepared.warnings)
        summary.model = model.info if model else None
        model_note = prepared.note
        analysed = prepared.sentences  # reuse the sentences training just analysed
        del prepared
        if should_cancel():
            summary.cancelled = True
            return summary

    if not calibration.codes and UNTRIED_HINT < config.suggestion_threshold:  # says why there is no model too
        summary.notes.append(
            "there is no learned model yet and your coding has not checked the codebook's hints (both start once"
            f" 2+ transcripts are coded, with {MIN_EXAMPLES}+ coded sentences of a code): one hint alone scores"
            f" {UNTRIED_HINT:.2f}, below suggestion_threshold {config.suggestion_threshold:g}, so only sentences where 2+"
            " hints agree are proposed, with their passages"
            f" (suggestion_threshold: {UNTRIED_HINT - 0.05:.2f} in qualcode.yaml proposes every hint)"
        )
    elif model_note:
        summary.notes.append(model_note)
    asked = interviewer_note(store, ids)
    if asked:
        summary.notes.append(asked)
    codable = set(codable_codes(codebook))
    broader = {c.id: [a.id for a in codebook.ancestors(c.id)] for c in codebook.walk() if c.parent_id is not None}
    threshold = config.suggestion_threshold

    def suggest_each() -> None:
        # The codes whose hints also propose the sentences next to them (see propose):
        # only beside their hits does a rules-only run need to know what is content.
        sentences_of = _sentences(store, pipeline, rules, ids, analysed, model is not None, calibration.near_codes())
        for done, (transcript, sentences) in enumerate(sentences_of, 1):
            proposals = propose(
                sentences,
                model,
                calibration,
                threshold,
                codable,
                covered=store.codings.find(transcript.id),
                broader=broader,
                decided=store.suggestions.find(transcript.id, statuses=("accepted", "rejected")),
                unread=True,
            )
            added, kept, removed = store.suggestions.replace_pending(stored_id(transcript), proposals)
            summary.transcripts += 1
            summary.sentences += len(sentences)
            summary.added += added
            summary.kept += kept
            summary.removed += removed
            summary.by_suggester.update(p[3] for p in proposals)
            progress(done, total, transcript.name)
            if should_cancel():
                summary.cancelled = done < total
                break

    # A function of its own, so that the last transcript's sentences and proposals are let
    # go before the collector is back: its first collection would walk them all (and move
    # them to an older generation, walked again by a later one), 3-10 ms of a run.
    with paused_collector():
        suggest_each()
    summary.pending = store.suggestions.counts().get("pending", 0)
    summary.seconds = round(time.perf_counter() - (started or 0), 2)
    return summary


def _sentences(
    store: Store,
    pipeline,
    rules: RuleSuggester,
    ids: list[int],
    analysed: dict[int, list[Sentence]],
    words: bool,
    near_codes: set[str],
) -> Iterator[tuple[Transcript, list[Sentence]]]:
    """The sentences of each transcript, in order: reused from training or analysed now."""
    todo = [tid for tid in ids if tid not in analysed]
    fresh = analyse(
        pipeline,
        (store.transcripts.load(tid) for tid in todo),
        rules=rules,
        words=words,
        known=stored_sentences(store),
        near_codes=near_codes,
        check_content=False,  # propose reads it for the few sentences it may propose
    )
    for tid in ids:
        if tid in analysed:
            yield store.transcripts.load(tid), analysed.pop(tid)  # let each go once proposed for
        else:
            yield next(fresh)


def propose(
    sentences: Sequence[Sentence],
    model: LearnedModel | None,
    calibration: Calibration,
    threshold: float,
    codable: set[str],
    *,
    covered: Iterable = (),
    broader: Mapping[str, Sequence[str]] | None = None,
    decided: Iterable = (),
    unread: bool = False,
) -> list[tuple[int, int, str, str, float | None, str]]:
    """Proposals ``(start, end, code, suggester, score, reason)`` for one transcript's sentences.

    ``covered`` are the transcript's codings and ``decided`` its accepted and
    rejected suggestions (anything with ``start``, ``end`` and ``code_id``): a
    sentence that lines up with one of those for a code gets no proposal for it.
    ``broader``: per code, its parent codes, nearest first: a coding of a code covers
    them too (a passage coded "trust in institutions" is not proposed for "trust"),
    while a decision on a suggestion stays with its own code.
    ``unread``: the sentences' ``content`` is left unread outside header turns
    (``analyse(..., check_content=False)``); it is read here for those that may be proposed.
    """
    covered = list(covered)
    lined_up = [*covered, *decided]
    if broader:
        lined_up += [
            SimpleNamespace(start=c.start, end=c.end, code_id=parent)
            for c in covered
            if c.code_id in broader
            for parent in broader[c.code_id]
        ]
    # Per sentence, the codes it is coded or decided for already (none for a transcript
    # without codings or decisions: no set per sentence to work out).
    done = labels_for([(s.start, s.end) for s in sentences], lined_up) if lined_up else None
    scored = model is not None and bool(calibration.learned)
    # (Unread, a sentence that is no content is scored too: combine, which reads it first, gives it nothing.)
    wanted = [i for i, s in enumerate(sentences) if s.content] if scored else []
    hit = {i for i, s in enumerate(sentences) if s.hits}
    if unread:
        check_content(sentences, hit)  # neighbour_hits reads it
    near = neighbour_hits(sentences)  # hits of the sentences around each one in its turn (run-on passages)
    # Without hits in or next to it, a sentence is proposed only for a learned code whose
    # score reaches its threshold (combine's additions): most sentences, with or without a model.
    adds = {c: calibration.get(c).threshold for c in calibration.learned} if scored else {}
    scores: list[dict[str, float] | None] = [None] * len(sentences)
    # The strong sentences (a score that reaches its code's threshold), each with the
    # learned codes whose score reaches it: combine's additions, picked out here at once.
    strong: dict[int, dict[str, float]] = {}
    if model is not None and wanted:  # only content sentences are worth scoring
        import numpy

        # combine reads the learned codes' scores only (a veto or an addition, both theirs):
        # the other columns are left out before any becomes a Python float.
        columns = [j for j, c in enumerate(model.codes) if c in adds]
        codes = [model.codes[j] for j in columns]
        ids = sentence_ids(sentences)  # features as hashed ids: written out only for what is explained
        matrix = model.score_ids([ids[i] for i in wanted])[:, columns]
        reached = matrix >= numpy.array([adds[c] for c in codes], dtype=numpy.float64)
        rows = numpy.asarray(wanted)
        up = reached.any(axis=1)
        for i, flags in zip(rows[up].tolist(), reached[up].tolist(), strict=True):
            strong[i] = {c: adds[c] for c, flag in zip(codes, flags, strict=True) if flag}
        # Scores as dicts only where combine reads them: the strong sentences (for their
        # additions), and those with hits in or next to them of a learned code (its veto,
        # and its score added to the hints').
        learned = set(codes)
        read = numpy.zeros(len(sentences), dtype=bool)
        read[list(strong)] = True
        if learned:
            apart_ = learned.isdisjoint
            read[[i for i in hit if not apart_(sentences[i].hits)]] = True
            read[[i for i, found in near.items() if not all(map(apart_, found))]] = True
        keep = read[rows]
        for i, row in zip(rows[keep].tolist(), matrix[keep].tolist(), strict=True):
            scores[i] = dict(zip(codes, row, strict=True))

    def explain(i: int, code: str) -> str:
        if model is None or not scored:
            return ""
        feats = sentence_features(sentences[max(0, i - 1) : i + 1])[-1]  # with the previous sentence's hints
        return ", ".join(_readable(w, code) for w in model.explain(feats, code))

    # Nor for a neighbour's hints of a code not calibrated to propose next to them (near
    # above 1: every code in a run without a calibration).
    beside = calibration.near_codes()
    # Only sentences with hits, with neighbours' hits of such codes or with a score that
    # reaches its threshold can be worth it, taken in order. The others share one empty
    # dict, never changed (nothing is taken out of them).
    apart = beside.isdisjoint
    worth = hit.union(strong, (i for i, found in near.items() if not all(map(apart, found))))
    if unread:
        check_content(sentences, worth.difference(hit))
    nothing: dict[str, Proposal] = {}
    none: dict[str, float] = {}
    memo: dict = {}  # rule scores and reasons, each worked out once for the transcript (see combine)
    per_sentence: list[dict[str, Proposal]] = [nothing] * len(sentences)
    for i in sorted(worth):
        sentence = sentences[i]
        per_sentence[i] = combine(
            sentence.hits,
            sentence.content,
            scores[i],
            calibration,
            threshold,
            codable - done[i] if done is not None else codable,  # combine only reads it
            near=near.get(i, ()),
            explain=partial(explain, i),
            learned_codes=strong.get(i, none),
            memo=memo,
        )
    if any(per_sentence):

        def is_content(j: int) -> bool:
            if unread:
                check_content(sentences, (j,))  # a sentence between two proposals may be unread
            return sentences[j].content

        def allowed(j: int, code: str) -> bool:
            return code in codable and (done is None or code not in done[j])

        turns = [s.turn for s in sentences]
        per_sentence = extend_runs(
            turns, [s.hits for s in sentences], per_sentence, calibration, is_content, allowed, scores=scores
        )
    return _merge_runs(sentences, per_sentence, MAX_PER_TURN)


def _readable(feature: str, code: str) -> str:
    """A model feature as a researcher reads it: 'wachtlijst', 'its hint', 'a hint for X',
    'wachtlijst' in the question."""
    # (PREVIOUS_FEATURE and RULE_FEATURE imported with the module: an import statement
    # per call cost a quarter of a run's explanations.)
    if feature.startswith(PREVIOUS_FEATURE + RULE_FEATURE):
        other = feature[len(PREVIOUS_FEATURE + RULE_FEATURE) :]
        return "its hint in the previous sentence" if other == code else f"a hint for {other} in the previous sentence"
    if feature.startswith(QUESTION_FEATURE):
        return f"'{feature[len(QUESTION_FEATURE) :]}' in the question"
    if feature.startswith(RULE_FEATURE):
        other = feature[len(RULE_FEATURE) :]
        return "its hint" if other == code else f"a hint for {other}"
    return f"'{feature}'"


def _merge_runs(
    sentences: Sequence[Sentence], per_sentence: Sequence[dict[str, Proposal]], limit: int | None = None
) -> list[tuple[int, int, str, str, float | None, str]]:
    """Join adjacent sentences of one turn that propose the same code: the best score, and
    all reasons, those of the sentence that has that score first (the reason a researcher
    reads first explains the score: not "right in 0 of 1" next to 0.80). ``limit``: at
    most that many per turn, as :func:`~qualcode.suggest.combined.cap_per_turn` keeps them
    (the runs found once for both)."""
    if len(sentences) != len(per_sentence):
        raise ValueError("_merge_runs: one proposal dict per sentence")
    out = []
    told: dict[tuple[str, ...], str] = {}  # reasons -> the line of them (most runs repeat another's)
    for _, code, members in capped_runs([s.turn for s in sentences], per_sentence, limit)[0]:
        proposal = per_sentence[members[0]][code]
        names, score, reasons = proposal.sources, proposal.score, list(proposal.reasons)
        if len(members) > 1:
            names = set(names)
            for i in members[1:]:
                proposal = per_sentence[i][code]
                names |= proposal.sources
                if proposal.score > score:  # the reasons of the sentence that gives the score first
                    score, reasons = proposal.score, [*proposal.reasons, *reasons]
                else:
                    reasons.extend(proposal.reasons)
        key = tuple(reasons)
        reason = told.get(key)
        if reason is None:
            unique = list(dict.fromkeys(reasons))
            if any(map(is_neighbour_reason, unique)):
                unique.sort(key=is_neighbour_reason)  # its own words first (a stable sort)
            reason = told[key] = "; ".join(unique[:MAX_REASONS]) + (
                f"; and {len(unique) - MAX_REASONS} more" if len(unique) > MAX_REASONS else ""
            )
        suggester = next(iter(names)) if len(names) == 1 else "+".join(sorted(names, key=(RULES, LEARNED).index))
        out.append((sentences[members[0]].start, sentences[members[-1]].end, code, suggester, round(score, 4), reason))
    return sorted(out)


def _quiet(done: int, total: int, what: str) -> None:
    """No progress reporting."""


def _never() -> bool:
    return False
