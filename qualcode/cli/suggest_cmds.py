"""`qualcode suggest` and `qualcode suggestions`: spaCy proposes, the researcher decides."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..coding import check_code, expand_codes, resolve_transcript, resolve_transcripts
from ..display import shorten
from ..errors import ALREADY_DECIDED, error
from ..model import ACCEPTED, PENDING, REJECTED
from .base import State, main, pass_state
from .render import ID, Progress, check_out, data_output, distinct, echo, emit, format_option, note, warn, write_csv

if TYPE_CHECKING:
    from ..store import Suggestion

STATUSES = (PENDING, ACCEPTED, REJECTED, "all")
ORDERS = ("position", "score")
TEXTS_KEPT = 8  # texts kept while listing by score: rows of one score come in reading order
EVALUATION_COLUMNS = (
    "suggester", "code", "coded", "suggested", "tp", "fp", "fn", "precision", "recall", "f1", "kappa",
)  # fmt: skip


@main.command()
@click.argument("transcripts", nargs=-1)
@click.option("--rules-only", is_flag=True, help="Use the codebook hints only, not the learned model.")
@click.option("--train", "train_only", is_flag=True, help="(Re)train the learned model on the project's coding now, then stop.")
@click.option("--evaluate", is_flag=True, help="Score both suggesters against the human coding instead of suggesting.")
@click.option(
    "--folds",
    type=click.IntRange(min=2),
    default=5,
    show_default=True,
    help="Cross-validation folds for --evaluate (by transcript).",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --evaluate: also write the table to this CSV file.",
)
@click.option(
    "--no-curve", is_flag=True, help="With --evaluate: leave out the learning curve (it trains once per coded transcript)."
)
@pass_state
def suggest(
    state: State,
    transcripts: tuple[str, ...],
    rules_only: bool,
    train_only: bool,
    evaluate: bool,
    folds: int,
    csv_path: Path | None,
    no_curve: bool,
) -> None:
    """Let spaCy propose codes for sentences of respondents' turns (default: all transcripts).

    The codebook's hints (keywords, lemmas, token patterns) and a model learned
    from your own coding give one score per sentence and code. Per code, the
    model speaks only once cross-validation on your coding shows it beats the
    hints (8+ coded sentences, 2+ coded transcripts; retrained when 10+ codings
    changed), and a hint you keep disagreeing with stops being proposed. Every
    suggestion says why. Suggestions wait for review: list them with
    `qualcode suggestions --order score`, then `qualcode suggestions accept|reject ID...`.
    Nothing you coded is changed, and a rejected suggestion is never proposed again.

    With --evaluate, nothing is proposed: the suggesters are scored against your
    coding, cross-validated by transcript. Name coded TRANSCRIPTs to score only
    those, each by a model trained and calibrated on all the other coded
    transcripts (e.g. interviews you set aside to check the suggestions on).
    """
    if evaluate and train_only:
        raise click.UsageError("use --evaluate or --train, not both")
    if (csv_path or no_curve) and not evaluate:
        raise click.UsageError("--csv and --no-curve go with --evaluate")
    project = state.project()
    if evaluate:
        held_out = sorted({resolve_transcript(project.store, t) for t in transcripts}) if transcripts else None
        _evaluate(project, folds, csv_path, curve=not no_curve, held_out=held_out)
        return
    if train_only:
        _train(project)
        return
    from ..suggest import run_suggestions

    store = project.store
    ids = resolve_transcripts(store, transcripts) if transcripts else None
    with Progress("suggesting") as progress:
        summary = run_suggestions(project, ids, learned=not rules_only, progress=progress)
    for message in summary.warnings:
        warn(message)
    for message in summary.notes:
        note(message)
    if summary.trained and summary.model:
        note(_trained_line(summary.model))
    sources = ", ".join(f"{n} by {name}" for name, n in sorted(summary.by_suggester.items()))
    echo(
        f"{summary.added + summary.kept} suggestion(s) in {summary.transcripts} transcript(s)"
        + (f" ({sources})" if sources else "")
        + f": {summary.added} new, {summary.kept} already pending"
        + (f", {summary.removed} withdrawn" if summary.removed else "")
        + f"; {summary.pending} pending in total"
        + ("; cancelled" if summary.cancelled else "")
    )
    if summary.pending:
        note(
            "review them with `qualcode suggestions --order score` (the most likely first) or in the coding screen (E),"
            " then `qualcode suggestions accept|reject ID...`"
        )
    elif not summary.transcripts:
        note("no transcripts yet: import some with `qualcode import FILE...`")


def _trained_line(info) -> str:
    sample = (
        f" (a sample spread over the {info.sampled_from} coded transcripts: more would add little and need more memory)"
        if info.sampled_from
        else ""
    )
    return (
        f"trained the learned model on {info.sentences} sentences of {info.transcripts} transcript(s)"
        f" in {info.seconds:.1f} s: {len(info.codes)} code(s){sample}"
    )


def _train(project) -> None:
    from ..suggest.learned import MIN_EXAMPLES
    from ..suggest.training import train_model

    with Progress("training") as progress:
        info = train_model(project, progress=progress)
    echo(_trained_line(info))
    emit(sorted(info.codes.items()), ["code", "coded sentences"], "table", right=("coded sentences",))
    if info.skipped:
        note(
            f"not learned (fewer than {MIN_EXAMPLES} coded sentences): "
            + ", ".join(f"{code} ({n})" for code, n in info.skipped.items())
        )


def _evaluate(project, folds: int, csv_path: Path | None, *, curve: bool = True, held_out: list[int] | None = None) -> None:
    from ..suggest.evaluate import evaluate_project

    check_out(csv_path, True)  # before the evaluation's seconds or minutes, not after them
    with Progress("evaluating") as progress:
        result = evaluate_project(project, folds=folds, curve=curve, held_out=held_out, progress=progress)
    show_evaluation(result)
    if csv_path is not None:
        rows = evaluation_rows(result)
        with data_output(csv_path) as handle:
            write_csv(handle, EVALUATION_COLUMNS, ([round(v, 4) if isinstance(v, float) else v for v in row] for row in rows))
        note(f"wrote {csv_path}")
    if result.held_out:
        note(
            f"{result.sentences} respondent sentences of the {result.transcripts} transcript(s) named, each scored by"
            f" a model trained and calibrated on all the other coded transcripts; suggestion_threshold {result.threshold:g}"
            + (f", {result.folds}-fold cross-validation by transcript inside each" if result.folds else "")
        )
    else:
        note(
            f"{result.sentences} respondent sentences of {result.transcripts} coded transcript(s);"
            f" suggestion_threshold {result.threshold:g}"
            + (f", {result.folds}-fold cross-validation by transcript" if result.folds else "")
        )
    for message in result.notes:
        note(message)


def show_evaluation(result) -> None:
    """The evaluation as tables on stdout: per code, top level, thresholds, calibration, learning curve."""
    right = EVALUATION_COLUMNS[2:]
    emit([[_fmt(v) for v in row] for row in evaluation_rows(result, top_level=False)], EVALUATION_COLUMNS, "table", right=right)
    if result.top_level:
        echo()
        emit(
            [[_fmt(v) for v in row] for row in _rows(result.top_level)],
            EVALUATION_COLUMNS,
            "table",
            title="top level: every code rolled up to its top-level code",
            right=right,
        )
    if result.combined is not None:
        micro = result.combined.micro
        echo(
            f"\nat the current settings (suggestion_threshold {result.threshold:g}, per-code thresholds below):"
            f" precision {_fmt(micro.precision)}, recall {_fmt(micro.recall)}, f1 {_fmt(micro.f1)}"
            f" ({micro.counts.predicted} suggestions, {micro.counts.tp} right)"
        )
    if result.targets:
        echo()
        emit(
            [
                (
                    f"{t:.2f}" + (" *" if t == result.threshold else ""),
                    _fmt(leaf.precision),
                    _fmt(leaf.recall),
                    _fmt(leaf.f1),
                    leaf.counts.predicted,
                    _fmt(top.precision),
                    _fmt(top.recall),
                    _fmt(top.f1),
                )
                for t, leaf, top in result.targets
            ],  # fmt: skip
            ["threshold", "precision", "recall", "f1", "suggested", "top P", "top R", "top f1"],
            "table",
            title="combined, by suggestion_threshold (the precision each code must show in cross-validation; * current)",
            right=("threshold", "precision", "recall", "f1", "suggested", "top P", "top R", "top f1"),
        )
    if result.calibration is not None and result.calibration.codes:
        echo()
        emit(
            [
                (
                    c.code,
                    c.source + (" (top level)" if c.protected else " (shared)" if c.shared else ""),
                    "–" if c.rule_threshold is None else f"{c.rule_threshold:.2f}",
                    f"{c.near:.2f}" if c.near <= 1 else "–",
                    f"{c.threshold:.2f}" if c.threshold <= 1 else "–",
                    f"{c.veto:.2f}" if c.veto else "–",
                    f"{c.rule_precision:.2f}",
                    c.positives,
                    _fmt(c.rules_f1),
                    _fmt(c.learned_f1),
                )
                for c in result.calibration.codes.values()
                if c.positives or c.rule_right or c.rule_wrong
            ],
            [
                "code",
                "proposed by",
                "rule score",
                "next to",
                "learned adds",
                "veto",
                "hint trust",
                "coded",
                "rules f1",
                "learned f1",
            ],
            "table",
            title=(
                "what a suggestion run would use, from cross-validation on all coded transcripts"
                " (next to: the rule score of a neighbour's hints that proposes a sentence too;"
                " top level: back to its bare hints, which the top-level figures need;"
                " shared: the settings of all codes like it, chosen together, which proposed better"
                " than each code's own on transcripts they were not chosen on)"
            ),
            right=("rule score", "next to", "learned adds", "veto", "hint trust", "coded", "rules f1", "learned f1"),
        )
    if result.sweep:
        echo()
        emit(
            [(f"{t:.1f}", _fmt(p), _fmt(r), _fmt(f)) for t, p, r, f in result.sweep],
            ["threshold", "precision", "recall", "f1"],
            "table",
            title="learned alone, micro average by threshold",
            right=("threshold", "precision", "recall", "f1"),
        )
    if result.curve:
        echo()
        emit(
            [
                (
                    p.transcripts,
                    p.sentences,
                    p.learned_codes,
                    _fmt(p.combined.micro.precision),
                    _fmt(p.combined.micro.recall),
                    _fmt(p.combined.micro.f1),
                    _fmt(p.rules.micro.precision),
                    _fmt(p.rules.micro.recall),
                    _fmt(p.rules.micro.f1),
                )  # fmt: skip
                for p in result.curve
            ],
            ["trained on", "sentences", "learned codes", "precision", "recall", "f1", "rules P", "rules R", "rules f1"],
            "table",
            title="learning curve: trained on n coded transcripts, scored on the others"
            + (f" ({result.curve[0].draws} draws of n pooled)" if result.curve[0].draws > 1 else ""),
            right=("trained on", "sentences", "learned codes", "precision", "recall", "f1", "rules P", "rules R", "rules f1"),
        )


def evaluation_rows(result, *, top_level: bool = True) -> list[list]:
    """The evaluation as rows of EVALUATION_COLUMNS (numbers unformatted)."""
    reports = [r for r in (result.rules, result.learned, result.combined) if r is not None]
    rows = _rows(reports)
    if top_level:
        rows += [[f"{row[0]} (top level)", *row[1:]] for row in _rows(result.top_level)]
    return rows


def _rows(reports) -> list[list]:
    rows = []
    for rep in reports:
        for score in [*rep.codes, rep.micro, rep.macro]:
            c = score.counts
            is_macro = score.code == "macro"
            rows.append(
                [
                    rep.suggester,
                    score.code,
                    c.support,
                    c.predicted,
                    None if is_macro else c.tp,
                    None if is_macro else c.fp,
                    None if is_macro else c.fn,
                    score.precision,
                    score.recall,
                    score.f1,
                    score.kappa,
                ]
            )
    return rows


def _fmt(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


@main.group(invoke_without_command=True)
@click.option("--status", type=click.Choice(STATUSES), default=PENDING, show_default=True, help="Which suggestions to list.")
@click.option("--transcript", help="Only this transcript.")
@click.option("--code", "codes", multiple=True, help="Only this code and its sub-codes (repeatable).")
@click.option(
    "--order",
    type=click.Choice(ORDERS),
    default="position",
    show_default=True,
    help="position: reading order; score: the most likely first.",
)
@format_option
@click.pass_context
def suggestions(ctx: click.Context, status: str, transcript: str | None, codes: tuple[str, ...], order: str, fmt: str) -> None:
    """List suggestions (default: pending ones); accept or reject them by id.

    \b
    qualcode suggestions                       the pending ones, in reading order
    qualcode suggestions --order score         the most likely first
    qualcode suggestions accept 12 13          accept: codings with origin 'suggested'
    qualcode suggestions accept 14 --code X    accept with another code
    qualcode suggestions reject 15             never proposed again
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..suggest.review import list_suggestions, pending_suggestions, ranked_suggestions

    state = ctx.ensure_object(State)
    project = state.project()
    store = project.store
    tid = resolve_transcript(store, transcript) if transcript else None
    wanted = expand_codes(project.codebook, store, codes) if codes else None
    # Transcript by transcript: each one's suggestions (and for pending ones its codings, to
    # leave out what they cover) are read, listed and dropped before the next, so the first
    # rows appear at once and memory stays flat; one query for all gives the same order.
    names = store.transcripts.names()
    tids = [tid] if tid is not None else sorted(names)
    statuses = None if status == "all" else (status,)
    if order == "score":  # streamed in that order by the store
        rows: Iterable[Suggestion] = ranked_suggestions(store, statuses=statuses, transcript_id=tid, code_ids=wanted)
    elif status == PENDING:
        rows = (r for t in tids for r in pending_suggestions(store, t) if wanted is None or r.code_id in wanted)
    else:
        rows = (r for t in tids for r in list_suggestions(store, statuses=statuses, transcript_id=t, code_ids=wanted))
    listed = emit(
        _suggestion_rows(store, rows, names, fmt, in_reading_order=order != "score"),
        ["id", "transcript", "start", "end", "code", "suggester", "score", "status", "reason", "text"],
        fmt,
        right=("id", "start", "end", "score"),
    )
    if fmt == "table" and not listed:
        note("no suggestions" + (" pending; run `qualcode suggest`" if status == PENDING else ""))


def _suggestion_rows(
    store, rows: Iterable[Suggestion], names: dict[int, str], fmt: str, *, in_reading_order: bool
) -> Iterator[tuple]:
    """The listing's rows with each suggestion's text; in reading order one transcript's
    text is kept at a time, by score the few read last (memory stays flat)."""
    text = lru_cache(maxsize=1 if in_reading_order else TEXTS_KEPT)(store.transcripts.text)
    for r in rows:
        quote = text(r.transcript_id)[r.start : r.end]
        reason: str | None
        if fmt == "table":
            quote, reason = shorten(quote), shorten(r.reason or "", 70)
        else:
            reason = r.reason
        score = None if r.score is None else (f"{r.score:.2f}" if fmt == "table" else round(r.score, 4))
        yield (r.id, names.get(r.transcript_id), r.start, r.end, r.code_id, r.suggester, score, r.status, reason, quote)


def _pending(store, ids: tuple[int, ...]) -> None:
    """Refuse the whole command before changing anything if an id is unknown or decided."""
    for suggestion_id in ids:
        row = store.suggestions.get(suggestion_id)  # raises "no suggestion with id"
        if row.status != PENDING:
            raise error(ALREADY_DECIDED, id=suggestion_id, status=row.status)


@suggestions.command("accept")
@click.argument("ids", nargs=-1, type=ID, required=True, callback=distinct)
@click.option("--code", "code_id", help="Accept the span with this code instead of the suggested one.")
@pass_state
def accept_cmd(state: State, ids: tuple[int, ...], code_id: str | None) -> None:
    """Accept suggestions: each becomes a coding (origin 'suggested', linked to its suggestion)."""
    from ..suggest.review import accept

    project = state.project()
    store = project.store
    if code_id is not None:
        check_code(project.codebook, code_id)
    _pending(store, ids)
    names = store.transcripts.names()
    for suggestion_id in ids:
        coding = accept(store, suggestion_id, state.coder, code_id, codebook=project.codebook)
        echo(
            f"accepted suggestion {suggestion_id} as coding {coding.id}: {coding.code_id} on"
            f" {names.get(coding.transcript_id)} {coding.start}:{coding.end} {shorten(coding.quote)!r}"
        )


@suggestions.command("reject")
@click.argument("ids", nargs=-1, type=ID, required=True, callback=distinct)
@pass_state
def reject_cmd(state: State, ids: tuple[int, ...]) -> None:
    """Reject suggestions: the same span and code will not be proposed again."""
    from ..suggest.review import reject

    store = state.project().store
    _pending(store, ids)
    for suggestion_id in ids:
        row = reject(store, suggestion_id, state.coder)
        echo(f"rejected suggestion {suggestion_id}: {row.code_id} {row.start}:{row.end}")
