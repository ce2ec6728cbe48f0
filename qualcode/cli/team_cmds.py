"""Team coding commands: coders, blind, agreement, disagreements, settle, merge.

Each command calls one core function (``qualcode.team``) and renders it. Data go
to stdout; what was counted, and notes, to stderr (except in the table, which is
for people and carries its statement below it, and in JSON, which carries it as
a field).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import click

from ..agreement import DEFAULT_OVERLAP, SEGMENT, UNITS, Agreement, Row
from ..display import shorten
from .base import State, main, pass_state
from .render import data_output, echo, emit, excel_option, format_option, listing_format, note, warn, write_json_streamed

UNDEFINED = "undefined"
NOT_APPLICABLE = "n/a"

coders_option = click.option(
    "--coders",
    "coder_names",
    multiple=True,
    metavar="A,B",
    help="The coders to compare, comma-separated or repeated (default: every coder but the consensus coder).",
)


@main.command()
@format_option
@pass_state
def coders(state: State, fmt: str) -> None:
    """List the coders with their number of codings per transcript."""
    from ..team.coders import coder_counts, consensus_coder, is_blind

    project = state.project()
    store = project.store
    rows = [(r.coder, r.transcript, r.codings) for r in coder_counts(store)]
    emit(rows, ["coder", "transcript", "codings"], fmt, right=("codings",))
    you, consensus = state.coder, consensus_coder(store)
    note(
        f"you code as '{you}'; consensus coder: '{consensus}'; blind mode {'on' if is_blind(store) else 'off'}"
        " (`qualcode blind on|off`)"
    )


@main.command()
@click.argument("switch", required=False, type=click.Choice(["on", "off"]))
@pass_state
def blind(state: State, switch: str | None) -> None:
    """Show or set blind mode: hide other coders' codings in the app and in `qualcode codings`.

    Use it while coders code independently, so nobody sees another's work by
    accident. It is a project setting; turn it off to compare and settle.
    """
    from ..team.coders import is_blind, set_blind

    store = state.project().store
    if switch is not None:
        set_blind(store, switch == "on")
    echo(f"blind mode {'on' if is_blind(store) else 'off'}")


@main.command()
@coders_option
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only this code and its sub-codes (repeatable).")
@click.option("--transcript", "transcripts", multiple=True, metavar="NAME", help="Only this transcript (repeatable).")
@click.option(
    "--unit", type=click.Choice(UNITS), default="character", show_default=True, help="What one decision is about (see below)."
)
@click.option(
    "--overlap",
    type=int,
    default=DEFAULT_OVERLAP,
    show_default=True,
    metavar="P",
    help="--unit segment: a segment matches when the other coder's segment with the same code overlaps it by P percent.",
)
@format_option
@excel_option
@pass_state
def agreement(
    state: State,
    coder_names: tuple[str, ...],
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    unit: str,
    overlap: int,
    fmt: str,
    excel: bool,
) -> None:
    """Inter-coder agreement per code, per transcript and overall.

    \b
    Units:
      character  every character of the turns (labels, timestamps excluded)
      sentence   every sentence of a turn; coded when a coding overlaps it
      turn       every speaker turn; coded when a coding overlaps it
      segment    MAXQDA's criterion: each coded segment is matched or not by
                 the other coder's segment of the same code (--overlap)

    Per code each unit is present or absent for each coder; across codes every
    (unit, code) pair is one decision. Figures: percent agreement, Cohen's kappa
    (two coders) and Krippendorff's alpha (nominal; missing data allowed: a coder
    with no coding in a transcript did not code it). With --unit segment: the
    matched/unmatched table and Brennan & Prediger's kappa, as MAXQDA reports it.
    'undefined' means every value fell in one category or there were too few units.
    """
    from ..team.study import agreement_stream

    fmt = listing_format(fmt, excel)
    project = state.project()
    names = [n for value in coder_names for n in value.split(",")]
    result, found = agreement_stream(project, coders=names, codes=codes, transcripts=transcripts, unit=unit, overlap=overlap)
    columns = agreement_columns(result)
    rows = agreement_rows(result, found, fmt)
    if fmt == "json":
        if result.unit == SEGMENT:
            rows = iter(list(rows))  # the statement (segments per coder) is known at the end
        data = {
            "unit": result.unit,
            "coders": result.coders,
            "overlap_percent": result.overlap,
            "statement": result.statement(),
            "transcripts": result.transcripts,
            "left_out": result.left_out,
        }
        with data_output() as stream:
            write_json_streamed(stream, data, "rows", (dict(zip(columns, row, strict=True)) for row in rows))
        _note_detached(project, codes, transcripts, result.coders)
        return
    # Rows are written as they are computed: every code's, then every transcript's, then overall.
    widths = table_widths(result, columns, project.store.codings.count) if fmt == "table" else None
    right = [c for c in columns if c not in ("scope", "code", "transcript")]
    count = len(result.codes) + len(result.transcripts) + 1  # a row per code, per transcript, and overall
    emit(rows, columns, fmt, right=right, slow=True, widths=widths, exact_widths=widths is not None, count=count, excel=excel)
    if fmt == "table":
        echo()
        echo(click.wrap_text(result.statement(), width=100))
    else:
        note(result.statement())
    _note_detached(project, codes, transcripts, result.coders)


def _note_detached(project, codes: Iterable[str], transcripts: Iterable[str], coders: Iterable[str]) -> None:
    """Say how many detached codings of these coders (codes, transcripts) agreement left out."""
    from ..analysis import select
    from .export_cmds import note_detached

    selection = select(project.store, project.codebook, codes=list(codes), transcripts=list(transcripts), coders=list(coders))
    note_detached(project.store, selection.coding_filter)


def agreement_columns(result: Agreement) -> list[str]:
    """The columns of an agreement listing."""
    if result.unit == SEGMENT:
        first, second = result.coders
        return [
            "scope", "code", "transcript", f"{first}_segments", f"{first}_matched", f"{second}_segments",
            f"{second}_matched", "agreement", "kappa_bp",
        ]  # fmt: skip
    return ["scope", "code", "transcript", "units", "agreement", "cohen_kappa", "krippendorff_alpha"]


def table_widths(result: Agreement, columns: list[str], codings: Callable[[], int]) -> dict[str, int] | None:
    """The widths the table's first rows give its columns (see :data:`~qualcode.cli.table.SAMPLE`),
    known before any figure is computed, so the table streams like the CSV.

    Every unit of a counted transcript is pairable (at least two coders coded there), so a
    code's row counts all units, a transcript's its units times the codes, the overall row
    all units times the codes; agreement, kappa and alpha never outgrow their headings.
    Segment unit: the first row's kappa is 'undefined' (a code's row has one category; with
    no code, a transcript's row has none); a count of segments is at most ``codings()``, all
    the project's codings, so it fits its heading unless that has fewer digits (then None:
    the widths are measured from the first rows).
    """
    from .table import SAMPLE, cell_width

    if result.unit == SEGMENT:
        counts = [c for c in columns if c.endswith(("_segments", "_matched"))]
        if len(str(codings())) > min(map(len, counts)):
            return None
    codes = len(result.codes)
    first_codes = result.codes[:SAMPLE]
    first_docs = result.transcripts[: max(0, SAMPLE - codes)]
    overall = codes + len(result.transcripts) < SAMPLE
    cells: dict[str, list[object]] = {
        "scope": ["code"] * bool(first_codes) + ["transcript"] * bool(first_docs) + ["overall"] * overall,
        "code": list(first_codes),
        "transcript": list(first_docs),
        "units": [result.unit_total] * bool(first_codes)
        + [size * codes for size in result.sizes[: len(first_docs)]]
        + [result.unit_total * codes] * overall,
        "kappa_bp": [UNDEFINED],
    }
    return {column: max([len(column), *map(cell_width, cells.get(column, ()))]) for column in columns}


def agreement_rows(result: Agreement, found: Iterable[Row], fmt: str) -> Iterator[list[object]]:
    """The listing's rows as ``found`` gives them (code rows, transcript rows, overall), values formatted for ``fmt``."""
    segment = result.unit == SEGMENT
    kappa = segment or len(result.coders) == 2  # Cohen's kappa is for two coders
    for row in found:
        scope = "code" if row.code is not None else ("transcript" if row.transcript is not None else "overall")
        yield [scope, row.code or "", row.transcript or "", *_figures(row, segment, fmt, kappa)]


def _figures(row: Row, segment: bool, fmt: str, kappa: bool) -> list[object]:
    def number(value: float | None, percent: bool = False, applies: bool = True) -> object:
        if value is None:
            if not applies:
                return {"table": NOT_APPLICABLE, "csv": "NA"}.get(fmt)
            return {"table": UNDEFINED, "csv": "NA"}.get(fmt)
        if fmt == "table":
            return f"{value:.1%}" if percent else f"{value:.3f}"
        return round(value, 6)

    if segment:
        s = row.segments
        return [s.first, s.first_matched, s.second, s.second_matched, number(row.percent, True), number(row.kappa)]
    return [row.units, number(row.percent, True), number(row.kappa, applies=kappa), number(row.alpha)]


@main.command()
@coders_option
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only places involving this code or its sub-codes.")
@click.option("--transcript", "transcripts", multiple=True, metavar="NAME", help="Only this transcript (repeatable).")
@format_option
@excel_option
@pass_state
def disagreements(
    state: State, coder_names: tuple[str, ...], codes: tuple[str, ...], transcripts: tuple[str, ...], fmt: str, excel: bool
) -> None:
    """List every place where two coders differ, with both versions and the text.

    \b
    Kinds: only-first / only-second (one coded, the other did not), codes (both
    coded, with different codes), boundaries (same code, different spans).
    Settle them in the app (the review mode) or with `qualcode settle KEY`.
    """
    from ..agreement.study import LEFT_OUT_SHOWN
    from ..team.study import coded_by_one, project_disagreements
    from ..termsafe import first_of

    fmt = listing_format(fmt, excel)
    project = state.project()
    names = [n for value in coder_names for n in value.split(",")]
    (first, second), found = project_disagreements(project, coders=names, transcripts=transcripts, codes=codes)
    store = project.store
    titles = store.transcripts.names()
    decided = store.team.decisions(first, second)
    settled = 0

    def rows() -> Iterator[list]:
        nonlocal settled
        text_of: tuple[int | None, str] = (None, "")  # disagreements come transcript by transcript
        for d in found:
            if text_of[0] != d.transcript:
                text_of = (d.transcript, store.transcripts.text(d.transcript))
            quote = text_of[1][d.start : d.end]
            key = d.key  # a hash: computed once
            settled += key in decided
            yield [
                key, titles[d.transcript], d.start, d.end, d.kind, _version(d.first), _version(d.second),
                decided[key].decision if key in decided else "", shorten(quote, 50) if fmt == "table" else quote,
            ]  # fmt: skip

    listed = emit(
        rows(), ["key", "transcript", "start", "end", "kind", first, second, "settled", "text"], fmt, right=("start", "end"),
        excel=excel,
    )  # fmt: skip
    note(f"{listed} disagreement(s) between {first} and {second}, {settled} settled")
    if alone := coded_by_one(project, first, second, transcripts):
        shown = first_of([f"{name} ({coder})" for name, coder in alone], LEFT_OUT_SHOWN)
        note(f"left out, {len(alone)} transcript(s) coded by one of them only (the other has not started there): {shown}")


def _version(spans) -> str:
    return "; ".join(f"{s.code} {s.start}:{s.end}" for s in spans) or "-"


@main.command()
@click.argument("key")
@click.option(
    "--keep",
    type=click.Choice(["first", "second", "both", "neither"]),
    help="Keep the first coder's codings, the second's, both, or neither (the order of --coders).",
)
@click.option(
    "--span",
    metavar="START:END",
    help="Instead of --keep: the consensus span (code points), adjusted by the team. It may reach beyond the"
    " disagreement within its turn(s) (said so); into other turns only with --wider.",
)
@click.option("--wider", is_flag=True, help="With --span: let the span reach into turns other than the disagreement's.")
@click.option(
    "--code", "codes", multiple=True, metavar="CODE", help="With --span: the code(s) to apply (default: the codes in question)."
)
@click.option("--undo", "undo_", is_flag=True, help="Take back the decision on KEY.")
@coders_option
@pass_state
def settle(
    state: State,
    key: str,
    keep: str | None,
    span: str | None,
    wider: bool,
    codes: tuple[str, ...],
    undo_: bool,
    coder_names: tuple[str, ...],
) -> None:
    """Settle the disagreement KEY (from `qualcode disagreements`) into the consensus coder.

    The decision is saved at once; the consensus coder (a project setting,
    default 'consensus') gets the codings kept. Deciding again replaces the
    decision; --undo takes it back. Codings both coders made identically are
    given to the consensus coder when a review starts.
    """
    from ..coding import parse_span
    from ..team.consensus import ADJUSTED, beyond, open_review
    from ..team.consensus import settle as settle_one
    from ..team.consensus import undo as undo_one

    if sum(bool(x) for x in (keep, span, undo_)) != 1:
        raise click.UsageError("give one of --keep, --span or --undo")
    if wider and not span:
        raise click.UsageError("--wider goes with --span")
    project = state.project()
    names = [n for value in coder_names for n in value.split(",")]
    review = open_review(project, coders=names)
    if review.agreed_copied:
        note(f"gave {review.agreed_copied} agreed coding(s) to '{review.consensus}'")
    item = review.find(key)
    if undo_:
        removed = undo_one(project, review, item)
        note("nothing to undo" if removed is None else f"undone: {len(removed)} consensus coding(s) removed")
        return
    if span:
        asked = parse_span(span)
        decided, added = settle_one(
            project, review, item, ADJUSTED, decided_by=state.coder, span=asked, codes=codes or None, wider=wider
        )
        # What the consensus codes (the span cut at turns, its white space off); the span asked
        # for if the consensus coder had every part already (min() of nothing has no answer).
        reach = [(c.start, c.end) for c in added] or [asked]
        before, after = beyond(item, (min(s for s, _ in reach), max(e for _, e in reach)))
        if before or after:  # the team may widen it; said, so that a typo shows
            note(
                f"the span reaches beyond disagreement {key} ({item.start}:{item.end}): {before} character(s) before,"
                f" {after} after; the consensus codes that text too (`qualcode settle {key} --undo` takes it back)"
            )
    else:
        decided, added = settle_one(project, review, item, keep, decided_by=state.coder)
    left = len(review.items) - review.settled
    note(
        f"settled {key} ({decided.decision}): {len(added)} coding(s) for '{review.consensus}';"
        f" {left} disagreement(s) left between {review.first} and {review.second}"
    )


@main.command()
@click.argument("other", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--as", "as_coder", metavar="NAME", help="The coder of a .qdpx's codings that name no user.")
@click.option("--dry-run", is_flag=True, help="Report what would come in; change nothing.")
@click.option("--aside", "show_aside", is_flag=True, help="List the codings earlier merges kept aside, and stop.")
@format_option
@pass_state
def merge(state: State, other: Path | None, as_coder: str | None, dry_run: bool, show_aside: bool, fmt: str) -> None:
    """Bring another coder's codings into this project: from their project folder or a .qdpx.

    Transcripts are matched by their text, not by name. The codebooks are
    compared and the differences listed, never applied. Nothing of this project
    is overwritten, and merging the same thing twice adds nothing. Codings whose
    transcript or code this project lacks are kept aside (see --aside), never
    dropped: merge again once the code or transcript is here.
    """
    project = state.project()
    if show_aside:
        rows = [
            (
                a.transcript_name,
                a.start,
                a.end,
                a.code_id,
                a.coder,
                a.reason,
                shorten(a.quote) if fmt == "table" else a.quote,
                a.origin,
            )
            for a in project.store.team.aside()
        ]
        emit(rows, ["transcript", "start", "end", "code", "coder", "reason", "text", "from"], fmt, right=("start", "end"))
        return
    if other is None:
        raise click.UsageError("give the project folder or .qdpx to merge (or --aside)")
    from ..team.merge import merge_project
    from .exchange_cmds import _MARKS, _describe

    result = merge_project(project, other, as_coder=as_coder, dry_run=dry_run)
    for message in result.warnings:
        warn(message)
    verb = "would add" if dry_run else "added"
    echo(f"{'dry run: ' if dry_run else ''}merging {result.source}")
    echo(f"transcripts: {len(result.matched)} matched by their text")
    for name in result.missing:
        echo(f"  not in this project: {name}")
    for name, why in result.changed:
        echo(f"  {name}: {why}")
    coders = ", ".join(f"{c} ({n})" for c, n in sorted(result.coders.items())) or "none"
    echo(f"codings: {result.codings_read} read from {coders}; {verb} {result.codings_added},"
               f" {result.codings_present} already here")  # fmt: skip
    if result.aside:
        reasons = "; ".join(f"{n} {reason}" for reason, n in sorted(result.aside.items()))
        echo(f"kept aside (not dropped; `qualcode merge --aside`): {reasons}")
    if result.codes_missing:
        missing = ", ".join(f"{code} ({n})" for code, n in sorted(result.codes_missing.items()))
        echo(f"  codes not in this project's codebook: {missing}; add them to it and merge again to place their codings")
    if result.aside_placed:
        echo(f"placed now: {result.aside_placed} coding(s) kept aside by an earlier merge")
    if result.decisions_added:
        echo(f"suggestion decisions: {verb} {result.decisions_added}")
    if result.transcript_memos:
        echo(f"transcript memos: {verb} theirs to {result.transcript_memos} transcript(s)' memo")
    if result.guids:
        echo(f"coders' REFI-QDA GUIDs kept: {', '.join(sorted(result.guids))}")
    if result.codebook:
        echo("codebook differences (this project's codebook -> theirs; not applied, see `qualcode codebook diff`):")
        for change in result.codebook.changes:
            echo(f"  {_MARKS[change.kind]} {change.code}  {_describe(change, merged=True)}")
    else:
        echo("codebook: the same codes")
