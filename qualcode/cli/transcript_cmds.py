"""Transcript commands: transcripts (list, remove) and show (turns, offsets and codings)."""

from __future__ import annotations

import click

from ..coding import parse_turns, resolve_transcript, resolve_transcripts
from ..display import shorten
from ..termsafe import one_line
from .base import State, main, pass_state
from .render import (
    MEMO_TEXT,
    data_output,
    echo,
    emit,
    excel_option,
    format_option,
    guard_option,
    listing_format,
    memo_command,
    note,
    write_csv,
    write_json,
)


@main.group(invoke_without_command=True)
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only transcripts with this attribute value (repeatable).")
@format_option
@excel_option
@guard_option
@click.pass_context
def transcripts(ctx: click.Context, where: tuple[str, ...], fmt: str, excel: bool, raw: bool) -> None:
    """List transcripts with turn, word and coding counts and their attributes.

    words: the words of the turns (speaker labels and timestamps are not counted);
    codings: every coder's codings; coded (coded_share in CSV/JSON): the share of the
    turns' characters at least one coding covers, overlapping codings counted once.

    \b
    qualcode transcripts --where respondent_type=professional
    qualcode transcripts remove NAME     (to the trash: `qualcode trash` restores it)
    """
    if ctx.invoked_subcommand is not None:
        return
    from ..analysis import select

    fmt = listing_format(fmt, excel)
    project = ctx.ensure_object(State).project()
    store = project.store
    wanted = select(store, project.codebook, where=where).transcript_ids if where else None
    summaries = [s for s in store.transcripts.summaries() if wanted is None or s.id in wanted]
    if fmt == "table":
        rows = (
            (s.name, s.turns, s.words, s.codings, f"{s.coded_share:.0%}", " ".join(f"{k}={v}" for k, v in s.attributes.items()))
            for s in summaries
        )
        emit(
            rows,
            ["transcript", "turns", "words", "codings", "coded", "attributes"],
            fmt,
            right=("turns", "words", "codings", "coded"),
        )
        if not summaries:
            note("no transcripts" + (" match --where" if where else " yet: import some with `qualcode import FILE...`"))
        return
    names = sorted({k for s in summaries for k in s.attributes})
    memos = store.transcripts.memos()
    rows = (
        (
            s.name,
            s.source_path,
            s.turns,
            s.words,
            s.codings,
            round(s.coded_share, 4),
            memos.get(s.id),
            *(s.attributes.get(k) for k in names),
        )
        for s in summaries
    )
    columns = ["transcript", "source", "turns", "words", "codings", "coded_share", "transcript_memo", *names]
    emit(rows, columns, fmt, neutralise=not raw, excel=excel)


@transcripts.command("remove")
@click.argument("names", nargs=-1, required=True)
@pass_state
def remove_cmd(state: State, names: tuple[str, ...]) -> None:
    """Remove transcripts (e.g. a wrongly imported one) with their codings, memos and suggestions.

    Everything goes to the trash as it was: `qualcode trash restore N` puts it back
    (its codings with their ids). The source file is not touched.
    """
    store = state.project().store
    tids = resolve_transcripts(store, names)  # all names checked first
    with store.transaction():
        items = [store.trash.put_transcript(tid, removed_by=state.coder) for tid in tids]
    for item in items:
        echo(f"removed transcript {item.transcript} ({item.codings} coding(s)) to the trash as item {item.id}")
    note(f"`qualcode trash restore {' '.join(str(i.id) for i in items)}` puts {'it' if len(items) == 1 else 'them'} back")


@transcripts.command("rename")
@click.argument("name")
@click.argument("new_name")
@pass_state
def rename_cmd(state: State, name: str, new_name: str) -> None:
    """Give a transcript another name (e.g. one that names no participant).

    Its text, codings, memos and source file stay as they are; a re-import of the
    source file still finds it, and other coders' projects merge with it by its text.
    """
    from ..errors import RENAME_ONTO_INTERVIEWERS, TRANSCRIPT_BAD_NAME, TRANSCRIPT_NAME_TAKEN, error
    from ..project import CONFIG_NAME
    from ..termsafe import control_in_name, nfc

    project = state.project()
    store = project.store
    tid = resolve_transcript(store, name)
    new = nfc(new_name.strip())
    bad = control_in_name(new)
    if not new or bad:
        reason = "the name is empty" if not new else f"the name holds the control character {bad}"
        raise error(TRANSCRIPT_BAD_NAME, shown=one_line(new_name), reason=reason)
    old = store.transcripts.name(tid)
    if new == old:
        note(f"'{old}' is called that already")
        return
    other = store.transcripts.id_by_name(new)
    if other is not None and other != tid:
        raise error(TRANSCRIPT_NAME_TAKEN, name=new)
    if new in project.config.interviewers:  # an entry for a name no transcript has: it would take it
        raise error(RENAME_ONTO_INTERVIEWERS, name=new, path=project.root / CONFIG_NAME)
    with store.transaction():  # the store's name and qualcode.yaml's entry change together, or neither
        store.transcripts.rename(tid, new)
        if old in project.config.interviewers:  # its own interviewers go with it (`speakers --transcript`)
            project.rename_in_settings(old, new)
    echo(f"renamed transcript '{old}' to '{new}'")


@transcripts.command("memo", context_settings=MEMO_TEXT)
@click.argument("name")
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Remove the memo (asks first).")
@click.option("--yes", "-y", is_flag=True, help="With --clear: do not ask.")
@pass_state
def memo_cmd(state: State, name: str, text: str | None, clear: bool, yes: bool) -> None:
    """Show, set or clear a transcript's own memo (about the interview as a whole).

    \b
    qualcode transcripts memo 01_moeders "Afgenomen in het buurthuis; tolk aanwezig."
    qualcode transcripts memo 01_moeders            (shows it)

    It goes to REFI-QDA exports as the source's description (a document memo in
    ATLAS.ti, NVivo, MAXQDA and QualCoder) and comes back from their exports.
    A coding's memo: `qualcode memo ID`.
    """
    store = state.project().store
    tid = resolve_transcript(store, name)
    memo_command(
        f"transcript '{store.transcripts.name(tid)}'",
        store.transcripts.memo(tid),
        text,
        clear=clear,
        yes=yes,
        set_memo=lambda new: store.transcripts.set_memo(tid, new),
        draft=store.transcripts.draft(tid),
        where="I in the transcript, or M in the list",
    )


# --- show -------------------------------------------------------------------------------------


@main.command()
@click.argument("transcript")
@click.option("--turns", "turn_range", metavar="N|A-B", help="Only these turns (e.g. 4 or 3-7).")
@click.option("--codes", "with_codes", is_flag=True, help="With the codings of each turn: id, code, span, coder, memo, text.")
@format_option
@guard_option
@pass_state
def show(state: State, transcript: str, turn_range: str | None, with_codes: bool, fmt: str, raw: bool) -> None:
    """Show a transcript's numbered turns with speakers, times and offsets (and --codes: its codings).

    The numbers are what `qualcode code TRANSCRIPT CODE --turn N` and `--span
    START:END` take. Text outside any turn (a title, a heading) is shown as turn 0.
    """
    from ..turnview import turn_views

    store = state.project().store
    tid = resolve_transcript(store, transcript)
    first, last = parse_turns(turn_range) if turn_range else (None, None)
    views = turn_views(store, tid, first, last, codings=with_codes)
    if fmt == "table":
        from ..termsafe import terminal_safe

        with data_output(paged=True) as stream:
            for line in _show_lines(store.transcripts.name(tid), views, with_codes, store.transcripts.memo(tid)):
                stream.write(terminal_safe(line) + "\n")  # for people: safe in a pipe too
        return
    columns = ["turn", "speaker", "role", "time_start", "time_end", "start", "end", "text"]
    if fmt == "json":
        data = [
            {
                **dict(
                    zip(columns, (v.number, v.speaker, v.role, v.time_start, v.time_end, v.start, v.end, v.text), strict=True)
                ),
                **({"codings": [_coding_dict(c) for c in v.codings]} if with_codes else {}),
            }
            for v in views
        ]
        with data_output(paged=True) as stream:
            write_json(stream, data)
        return
    rows = (
        (v.number, v.speaker, v.role, v.time_start, v.time_end, v.start, v.end, v.text,
         *(["; ".join(f"{c.id} {c.code_id} {c.start}:{c.end}" for c in v.codings)] if with_codes else []))
        for v in views
    )  # fmt: skip
    with data_output(paged=True) as stream:
        write_csv(stream, columns + (["codings"] if with_codes else []), rows, neutralise=not raw)


def _coding_dict(c) -> dict:
    return {"id": c.id, "code": c.code_id, "start": c.start, "end": c.end, "coder": c.coder, "memo": c.memo, "text": c.quote}


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _show_lines(name: str, views, with_codes: bool, memo: str | None = None):
    total = sum(len(v.codings) for v in views)
    yield f"{one_line(name)}: {sum(v.number > 0 for v in views)} turn(s)" + (f", {total} coding(s)" if with_codes else "")
    if memo:  # the interview's own memo (`qualcode transcripts memo NAME` shows it whole)
        yield f"memo: {shorten(memo, 100)}"
    for v in views:
        times = f"  {_clock(v.time_start)}–{_clock(v.time_end)}" if v.time_start is not None else ""
        who = v.speaker or ("(outside turns)" if v.number == 0 else "(no speaker)")
        yield ""
        yield f"{v.number:>4}  {who}{times}  [{v.start}:{v.end}]"
        for line in v.text.split("\n"):
            yield f"      {line}" if line else ""
        for c in v.codings:
            memo = f"  memo: {shorten(c.memo, 40)!r}" if c.memo else ""
            yield f"      ▸ {c.id} {c.code_id} {c.start}:{c.end} ({c.coder}) {shorten(c.quote, 50)!r}{memo}"
