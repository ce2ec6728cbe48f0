"""Coding commands: code (one, or many --from a file), uncode, memo, codings (list, reattach, discard)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import click

from ..coding import (
    coding_parts,
    codings_at,
    expand_codes,
    locate,
    resolve_transcript,
    trim_span,
)
from ..display import shorten
from ..errors import (
    CODING_IN_TRASH,
    LOCATION_CHOICE,
    NOTHING_TO_UNCODE,
    REATTACH_ONE_TURN,
    QualcodeError,
    error,
)
from ..history import History
from .base import State, main, pass_state
from .render import (
    ID,
    MEMO_TEXT,
    distinct,
    echo,
    emit,
    excel_option,
    format_option,
    guard_option,
    listing_format,
    memo_command,
    note,
)
from .trash_cmds import KINDS

location_options = [
    click.option("--turn", type=ID, help="The whole turn N (numbered from 1; `qualcode show` lists them)."),
    click.option("--span", metavar="START:END", help="The characters START:END (code points, end exclusive)."),
    click.option("--text", "quote", metavar="QUOTE", help="The place where QUOTE stands (inside --turn N if given)."),
]


def with_location(f):
    for option in reversed(location_options):
        f = option(f)
    return f


def get_coding(store, coding_id: int):
    """The coding with this id; if it was removed, the error says which trash item holds it."""
    try:
        return store.codings.get(coding_id)
    except QualcodeError as exc:
        item = store.trash.holding_coding(coding_id)
        if item is None:
            raise
        raise error(CODING_IN_TRASH, id=coding_id, item=item.id, what=KINDS[item.kind]) from exc


def _describe(coding, name: str) -> str:
    return f"{coding.id}: {coding.code_id} on {name} {coding.start}:{coding.end} {shorten(coding.quote)!r}"


@main.command()
@click.argument("transcript", required=False)
@click.argument("code", required=False)
@with_location
@click.option("--memo", help="A memo on the new coding.")
@click.option(
    "--from",
    "source",
    type=click.Path(dir_okay=False, path_type=Path, allow_dash=True),
    help="Apply every coding listed in FILE (CSV or JSON lines; - for stdin), all or nothing.",
)
@pass_state
def code(
    state: State, transcript: str | None, code: str | None, turn: int | None, span: str | None, quote: str | None,
    memo: str | None, source: Path | None,
) -> None:  # fmt: skip
    """Apply CODE to a turn, a span or a quoted text of TRANSCRIPT; or many codings --from a file.

    \b
    qualcode code 02_cjg_wijkcoach doorverwijzing --turn 4
    qualcode code 02_cjg_wijkcoach doorverwijzing --span 1200:1345 --memo "..."
    qualcode code 02_cjg_wijkcoach vertrouwen --text "we kennen elkaar"
    qualcode code --from codings.csv        (or .jsonl; - reads stdin)

    \b
    A --from file has a header line (CSV) or one JSON object per line, with
    transcript, code and where: turn, span (START:END), start and end, or text
    (a quote; inside the turn if turn is given too); memo and coder are optional,
    other columns are ignored. Every line is checked first: on any problem the
    lines are listed as FILE:LINE and nothing is coded. Lines already coded are
    skipped, so the same file can be applied twice.
    """
    project = state.project()
    store = project.store
    if source is not None:
        if transcript or code or turn is not None or span or quote or memo:
            raise click.UsageError("--from FILE takes everything from the file: leave out TRANSCRIPT, CODE and the other options")
        _code_from(state, project, source)
        return
    if not transcript or not code:
        raise click.UsageError("give TRANSCRIPT and CODE (or --from FILE)")
    tid = resolve_transcript(store, transcript)
    start, end = locate(store, tid, turn=turn, span=span, text=quote)
    # The coding screen's path: one coding per turn the span crosses, and the pending
    # suggestions the new codings cover settled in the same transaction.
    change = History(store, project.codebook).apply_parts(
        tid, coding_parts(store, tid, start, end), [code], state.coder, memo=memo
    )
    name = store.transcripts.name(tid)
    for coding in change.added:
        echo(f"coding {_describe(coding, name)}")
    for coding in change.unchanged:
        echo(f"already coded: coding {_describe(coding, name)}")


def _code_from(state: State, project, source: Path) -> None:
    from ..bulk import code_from_text, decode_source
    from ..ingest.paths import CODINGS_LIMIT, CODINGS_TOO_BIG_HINT, read_bytes, read_stream

    name = str(source)
    what = {"noun": "a codings file", "hint": CODINGS_TOO_BIG_HINT}
    data = (
        read_stream(sys.stdin.buffer, "<stdin>", CODINGS_LIMIT, **what)
        if name == "-"
        else read_bytes(source, CODINGS_LIMIT, **what)
    )
    text = decode_source(data, "<stdin>" if name == "-" else name)
    result = code_from_text(project.store, project.codebook, text, "<stdin>" if name == "-" else name, coder=state.coder)
    echo(
        f"{result.lines:,} coding(s) from {name} in {result.transcripts} transcript(s):"
        f" {result.added:,} added, {result.existing:,} already there"
    )
    if result.ignored_columns:
        note(f"ignored column(s): {', '.join(result.ignored_columns)}")


@main.command()
@click.argument("transcript", required=False)
@click.argument("code", required=False)
@with_location
@click.option("--id", "ids", type=ID, multiple=True, help="Remove the coding with this id (repeatable).")
@click.option(
    "--any-coder", is_flag=True, help="With a turn, span or text: remove other coders' codings there too (default: only yours)."
)
@pass_state
def uncode(
    state: State, transcript: str | None, code: str | None, turn: int | None, span: str | None, quote: str | None,
    ids: tuple[int, ...], any_coder: bool,
) -> None:  # fmt: skip
    """Remove codings: by --id, or your codings of CODE (or of any code) lying inside a turn, span or quoted text.

    Removed codings go to the trash: `qualcode trash restore N` puts them back.
    """
    project = state.project()
    store = project.store
    if ids and (transcript or turn is not None or span or quote):
        raise click.UsageError("use either --id or TRANSCRIPT with --turn/--span/--text, not both")
    if not ids and not transcript:
        raise click.UsageError("give TRANSCRIPT with --turn, --span or --text, or --id")
    with store.transaction():  # what is removed is decided and removed in one step
        if ids:
            targets = [get_coding(store, i) for i in dict.fromkeys(ids)]
        else:
            targets = _inside(state, project, transcript, code, turn, span, quote, any_coder)
        item = store.trash.put_codings([c.id for c in targets], removed_by=state.coder)
    names = store.transcripts.names()
    for coding in targets:
        echo(f"removed coding {_describe(coding, names.get(coding.transcript_id, '?'))}")
    note(f"kept in the trash: `qualcode trash restore {item.id}` puts {'it' if len(targets) == 1 else 'them'} back")


def _inside(state: State, project, transcript: str, code: str | None, turn, span, quote, any_coder: bool) -> list:
    """The codings ``uncode`` removes: of CODE (any), by this coder (any with --any-coder), inside the place."""
    store = project.store
    if code is not None:
        expand_codes(project.codebook, store, [code])  # an unknown code is an error, not "nothing to remove"
    tid = resolve_transcript(store, transcript)
    start, end = locate(store, tid, turn=turn, span=span, text=quote)
    around = codings_at(store, tid, start, end, code)
    mine = [c for c in around if any_coder or c.coder == state.coder]
    targets = [c for c in mine if c.start >= start and c.end <= end]
    if targets:
        return targets
    partly = [str(c.id) for c in mine]
    others = len(around) - len(mine)
    overlapping = f" ({len(partly)} coding(s) overlap it without lying inside: {', '.join(partly[:10])})" if partly else ""
    if others:
        overlapping += f"; {others} coding(s) of other coders are there (--any-coder removes those too)"
    raise error(
        NOTHING_TO_UNCODE, what=f"'{code}'" if code else "any code", start=start, end=end,
        name=store.transcripts.name(tid), overlapping=overlapping,
    )  # fmt: skip


@main.command(context_settings=MEMO_TEXT)
@click.argument("coding_id", type=ID)
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Remove the memo (asks first).")
@click.option("--yes", "-y", is_flag=True, help="With --clear: do not ask.")
@pass_state
def memo(state: State, coding_id: int, text: str | None, clear: bool, yes: bool) -> None:
    """Show, set or clear the memo of a coding.

    A transcript's own memo: `qualcode transcripts memo NAME [TEXT]`.
    """
    store = state.project().store
    coding = get_coding(store, coding_id)
    memo_command(
        f"coding {coding_id}",
        coding.memo,
        text,
        clear=clear,
        yes=yes,
        set_memo=lambda new: store.codings.set_memo(coding_id, new),
        draft=store.codings.draft(coding_id),
        where="M on the coding",
    )


# --- codings: list, reattach, discard ----------------------------------------------------------


CODING_COLUMNS = ["id", "transcript", "start", "end", "code", "coder", "origin", "memo", "text"]
DETACHED_COLUMNS = ["id", "transcript", "old_start", "old_end", "code", "coder", "memo", "reason", "text"]


@main.group(invoke_without_command=True)
@click.option("--code", "codes", multiple=True, metavar="CODE", help="Only this code and its sub-codes (repeatable).")
@click.option("--transcript", "transcripts", multiple=True, metavar="NAME", help="Only this transcript (repeatable).")
@click.option(
    "--where", multiple=True, metavar="ATTR=VALUE", help="Only transcripts with this case attribute value (repeatable)."
)
@click.option("--detached", is_flag=True, help="List codings detached by `qualcode reimport` instead.")
@click.option(
    "--coders", "coder_names", multiple=True, metavar="A,B", help="Only these coders' codings (comma-separated or repeated)."
)
@format_option
@excel_option
@guard_option
@click.pass_context
def codings(
    ctx: click.Context, codes: tuple[str, ...], transcripts: tuple[str, ...], where: tuple[str, ...], detached: bool,
    coder_names: tuple[str, ...], fmt: str, excel: bool, raw: bool,
) -> None:  # fmt: skip
    """List codings with their span, code, coder, memo and quoted text (streamed; paged on a terminal).

    \b
    qualcode codings --code doorverwijzing --format csv > doorverwijzing.csv
    qualcode codings --detached                 codings whose text a re-import lost
    qualcode codings reattach 3 --text "..."    give detached coding 3 a place again
    qualcode codings discard 3                  or put it in the trash
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..analysis import select

    fmt = listing_format(fmt, excel)
    state = ctx.ensure_object(State)
    project = state.project()
    store = project.store
    from ..team.coders import is_blind, split_names

    coders = split_names(coder_names)
    if is_blind(store):
        coders = [state.coder]
        note(f"blind mode: only {state.coder}'s codings are listed (`qualcode blind off` to see everyone's)")
    selection = select(store, project.codebook, codes=codes, transcripts=transcripts, where=where, coders=coders)
    if detached:
        emit(
            _detached_rows(store, selection, fmt), DETACHED_COLUMNS, fmt, right=("id", "old_start", "old_end"),
            neutralise=not raw, excel=excel,
        )  # fmt: skip
        return
    infos = store.transcripts.infos(selection.transcript_ids)
    widths = {
        "id": len(str(store.codings.state()[2])),
        "transcript": max((len(i.name) for i in infos), default=0),
        "start": len(str(max((i.chars for i in infos), default=0))),
        "code": max(map(len, store.codes.names()), default=0),
    }
    widths["end"] = widths["start"]
    count = emit(
        _coding_rows(store, selection, fmt), CODING_COLUMNS, fmt, right=("id", "start", "end"), widths=widths,
        neutralise=not raw, excel=excel,
    )  # fmt: skip
    if count == 0 and fmt == "table":
        note("no codings" + (" match the filters" if codes or transcripts or where else " yet"))


def _coding_rows(store, selection, fmt: str) -> Iterator[tuple]:
    """Rows streamed from the database, never all in memory (shortened for the table)."""
    rows = store.codings.listing(selection.coding_filter)
    if fmt != "table":
        return rows
    return (
        (cid, name, start, end, code_id, coder, origin, shorten(memo, 30) if memo else "", shorten(quote))
        for cid, name, start, end, code_id, coder, origin, memo, quote in rows
    )


def _detached_rows(store, selection, fmt: str) -> Iterator[tuple]:
    names = store.transcripts.names()
    for d in store.codings.detached():
        if (
            not selection.wants_transcript(d.transcript_id)
            or (selection.code_ids is not None and d.code_id not in selection.code_ids)
            or (selection.coders is not None and d.coder not in selection.coders)
        ):
            continue
        table = fmt == "table"
        yield (
            d.id, names.get(d.transcript_id), d.old_start, d.old_end, d.code_id, d.coder,
            shorten(d.memo, 30) if table and d.memo else d.memo, d.reason, shorten(d.quote) if table else d.quote,
        )  # fmt: skip


@codings.command("reattach")
@click.argument("detached_id", type=ID)
@with_location
@pass_state
def reattach_cmd(state: State, detached_id: int, turn: int | None, span: str | None, quote: str | None) -> None:
    """Give a detached coding a place again: a turn, a span or a quoted text of its transcript as it reads now.

    It becomes a coding again, with its code, coder, memo and its old id.
    `qualcode codings --detached` lists them; `qualcode show TRANSCRIPT` gives turns and offsets.
    """
    store = state.project().store
    detached = store.codings.detached_one(detached_id)
    if turn is None and span is None and quote is None:
        raise error(LOCATION_CHOICE, problem=f"where does detached coding {detached_id} ({detached.quote[:40]!r}) go now?")
    start, end = locate(store, detached.transcript_id, turn=turn, span=span, text=quote)
    text = store.transcripts.text(detached.transcript_id)
    # As the app re-attaches: inside one turn, never with a speaker label or a timestamp.
    parts = coding_parts(store, detached.transcript_id, start, end, text=text)
    if len(parts) > 1:
        name = store.transcripts.name(detached.transcript_id)
        raise error(REATTACH_ONE_TURN, start=start, end=end, count=len(parts), name=name)
    start, end = trim_span(text, *parts[0])
    added = store.codings.reattach(detached_id, start, end)
    name = store.transcripts.name(detached.transcript_id)
    if added.inserted:
        echo(f"re-attached detached coding {detached_id} as coding {_describe(added.coding, name)}")
    else:
        echo(f"detached coding {detached_id} joined coding {_describe(added.coding, name)} (same code, coder and span)")


@codings.command("discard")
@click.argument("detached_ids", nargs=-1, type=ID, callback=distinct)
@click.option("--all", "all_", is_flag=True, help="Every detached coding (of --transcript, if given).")
@click.option("--transcript", help="With --all: only this transcript's.")
@pass_state
def discard_cmd(state: State, detached_ids: tuple[int, ...], all_: bool, transcript: str | None) -> None:
    """Put detached codings in the trash (`qualcode trash restore N` brings them back)."""
    store = state.project().store
    if all_ == bool(detached_ids):
        raise click.UsageError("give the ids of detached codings, or --all")
    if transcript and not all_:
        raise click.UsageError("--transcript goes with --all")
    if all_:
        tid = resolve_transcript(store, transcript) if transcript else None
        detached_ids = tuple(d.id for d in store.codings.detached(tid))
        if not detached_ids:
            echo("no detached codings; nothing to discard")
            return
    item = store.trash.put_detached(dict.fromkeys(detached_ids), removed_by=state.coder)
    echo(f"discarded {item.codings} detached coding(s) of {item.transcript}")
    note(f"kept in the trash: `qualcode trash restore {item.id}` puts {'it' if item.codings == 1 else 'them'} back")
