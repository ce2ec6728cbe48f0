"""`qualcode trash`: what was removed, restored on request, deleted only when emptied."""

from __future__ import annotations

import click

from .base import State, main, pass_state
from .render import ID, confirm, distinct, echo, emit, format_option, note

KINDS = {"transcript": "transcript", "codings": "codings (uncode)", "detached": "detached codings (discard)"}


@main.group(invoke_without_command=True)
@format_option
@click.pass_context
def trash(ctx: click.Context, fmt: str) -> None:
    """List what was removed: transcripts (`transcripts remove`), codings (`uncode`), detached codings (`codings discard`).

    \b
    qualcode trash restore 4      put item 4 back as it was (codings keep their ids)
    qualcode trash empty          delete everything in the trash for good (asks first)
    """
    if ctx.invoked_subcommand is not None:
        return
    store = ctx.ensure_object(State).project().store
    items = store.trash.items()
    rows = ((i.id, KINDS[i.kind], i.transcript, i.codings, i.removed_by, i.removed_at) for i in items)
    emit(rows, ["id", "what", "transcript", "codings", "removed_by", "removed_at"], fmt, right=("id", "codings"))
    if not items and fmt == "table":
        note("the trash is empty")


@trash.command("restore")
@click.argument("item_ids", nargs=-1, type=ID, required=True, callback=distinct)
@pass_state
def restore_cmd(state: State, item_ids: tuple[int, ...]) -> None:
    """Put trash items back as they were (all of them, or none)."""
    store = state.project().store
    with store.transaction():
        results = [store.trash.restore(i) for i in dict.fromkeys(item_ids)]
    for r in results:
        what = KINDS[r.item.kind]
        parts = [f"{r.codings} coding(s)"] + ([f"{r.detached} detached"] if r.detached else [])
        echo(f"restored {what} of {r.item.transcript} (item {r.item.id}): {', '.join(parts)}")
        if r.skipped:
            note(f"{r.skipped} coding(s) of item {r.item.id} were there again already (same span, code and coder)")
        if r.renumbered:
            note(f"new ids for rows whose ids were taken meanwhile: {', '.join(r.renumbered)}")


@trash.command("empty")
@click.argument("item_ids", nargs=-1, type=ID, callback=distinct)
@click.option("--yes", "-y", is_flag=True, help="Do not ask.")
@pass_state
def empty_cmd(state: State, item_ids: tuple[int, ...], yes: bool) -> None:
    """Delete trash items for good (all of them, or the ITEM_IDS given). Asks first."""
    store = state.project().store
    items = [store.trash.get(i) for i in item_ids] if item_ids else store.trash.items()
    if not items:
        echo("the trash is empty")
        return
    codings = sum(i.codings for i in items)
    if not yes:
        echo(f"{len(items)} item(s) with {codings} coding(s) will be deleted for good", err=True)
        confirm("empty the trash?", what="emptying the trash")
    deleted = store.trash.purge([i.id for i in items] if item_ids else None)
    echo(f"deleted {deleted} item(s) from the trash for good")
