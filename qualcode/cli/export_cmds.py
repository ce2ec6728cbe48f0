"""`qualcode export ...`: coded data out of the project.

Also the pieces the ``stats`` commands share: the selection options
(``--transcript``, ``--where``), ``--excel`` and a progress bar on stderr for
long runs. Output goes through :func:`qualcode.cli.render.data_output`.
"""

from __future__ import annotations

from pathlib import Path

import click

from .base import CODERS_KEY, State, main, pass_state
from .render import data_output, excel_option, force_option, guard_option, note, out_option, progress_bar

# Below this many codings a run takes well under a second: no progress bar.
PROGRESS_MIN = 20_000


@main.group()
def export() -> None:
    """Export coded data (segments as CSV, whole projects as REFI-QDA .qdpx)."""


# --- shared options and output ------------------------------------------------------


def selection_options(codes: bool = True):
    """``--transcript`` and ``--where`` (and ``--code``) as one decorator."""

    def decorate(f):
        f = click.option(
            "--where",
            multiple=True,
            metavar="ATTR=VALUE",
            help="Only transcripts with this case attribute value (repeatable: the same attribute"
            " means either value, different attributes must all match).",
        )(f)
        f = click.option("--transcript", "transcripts", multiple=True, metavar="NAME", help="Only this transcript (repeatable).")(
            f
        )
        f = coders_filter_option(f)
        if codes:
            f = click.option(
                "--code",
                "codes",
                multiple=True,
                metavar="CODE",
                help="Only this code and its sub-codes (repeatable); '(missing)' for codes no longer in the codebook.",
            )(f)
        return f

    return decorate


def _remember_coders(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> None:
    ctx.meta[CODERS_KEY] = [n.strip() for value in values for n in value.split(",") if n.strip()]


# Kept in the context (not a parameter of every command) and read by resolve_selection.
coders_filter_option = click.option(
    "--coders",
    multiple=True,
    metavar="A,B",
    expose_value=False,
    callback=_remember_coders,
    help="Only these coders' codings (comma-separated or repeated; e.g. --coders consensus).",
)


# What several coders' codings do to a command's figures, for the note that names the coders.
EVERY_CODING = "a row per coding, so a passage two coders coded is there once per coder"
ANY_CODER = "a code's column is 1 where any of them coded it"
COUNTED_ONCE = "codings count each coder's coding, segments, words and coverage count text that several coders coded once"
DETACHED_LEFT_OUT = (
    "{count} detached coding(s) (set aside by a re-import: their text changed) are not {left_out};"
    " `qualcode codings --detached` lists them, `qualcode codings reattach` gives them a place again"
)


def note_detached(store, flt=None, *, left_out: str = "counted here") -> None:
    """Say on stderr that the detached codings (of ``flt``, a CodingFilter) are in no figure or row."""
    count = store.codings.detached_count() if flt is None else store.codings.detached_count(flt)
    if count:
        note(DETACHED_LEFT_OUT.format(count=count, left_out=left_out))


def resolve_selection(project, codes=(), transcripts=(), where=(), counts=EVERY_CODING):
    """The user's filters resolved; says on stderr whose codings are counted when several coders
    coded, and (``counts``) what that does to the figures."""
    from ..analysis import select
    from ..team.coders import coders_in
    from .pseudo_cmds import exported_coders

    coders = exported_coders(project, click.get_current_context().meta.get(CODERS_KEY, []))
    selection = select(project.store, project.codebook, codes=codes, transcripts=transcripts, where=where, coders=coders)
    counted = coders_in(project.store, selection.transcript_ids, selection.coders)
    if selection.coders is not None:
        note(f"counting the codings of: {', '.join(sorted(selection.coders))}")
    elif len(counted) > 1:
        note(
            f"counting the codings of {len(counted)} coders ({', '.join(counted)}): {counts};"
            " restrict with --coders (e.g. --coders consensus)"
        )
    note_detached(project.store, selection.coding_filter)
    return selection


pseudonymise_option = click.option(
    "--pseudonymise",
    is_flag=True,
    help="Replace the personal data accepted in `qualcode pseudonymise` by its pseudonyms (the project is not changed).",
)


# --- export segments ------------------------------------------------------------------


@export.command("segments")
@out_option
@force_option
@selection_options()
@excel_option
@click.option("--wide", is_flag=True, help="One row per segment with a 0/1 column per code (see --unit).")
@click.option(
    "--unit",
    type=click.Choice(["span", "turn"]),
    help="With --wide: a row per distinct coded span (default) or per speaker turn.",
)
@guard_option
@pseudonymise_option
@pass_state
def segments(
    state: State,
    out: Path | None,
    force: bool,
    codes: tuple[str, ...],
    transcripts: tuple[str, ...],
    where: tuple[str, ...],
    excel: bool,
    wide: bool,
    unit: str | None,
    raw: bool,
    pseudonymise: bool,
) -> None:
    """Coded segments as CSV: one row per coding, for R, SPSS, Excel or pandas.

    \b
    Columns: coding_id, transcript, one column per case attribute, speaker, role,
    turn, turn_end, time_start, time_end (seconds), start, end (code points),
    line_start, line_end, code_id, code_path (parent/child), code_name, coder,
    origin (manual/suggested), memo, text, created_at. Codings of codes that left
    the codebook are included with code_path '(missing)/<id>'.

    \b
    --wide writes one row per segment with a 0/1 column per code (a parent is 1
    when any of its sub-codes is): a segment is a distinct coded span (all codings
    with the same transcript, start and end), or with --unit turn every speaker
    turn, coded or not.

    Text cells starting with = + - @ (or a tab or CR) get a leading ' so that a
    spreadsheet shows them instead of running them as formulas.
    """
    from ..export import CsvStyle, CsvWriter, export_segments, export_wide
    from .pseudo_cmds import export_view

    if unit is not None and not wide:
        raise click.UsageError("--unit applies to --wide")
    style = CsvStyle(excel=excel, neutralise=not raw)
    # Pseudonymised a transcript at a time as the rows are written, not in a copy made first.
    with export_view(state, pseudonymise) as project:
        selection = resolve_selection(project, codes, transcripts, where, counts=ANY_CODER if wide else EVERY_CODING)
        with progress_bar("exporting", minimum=PROGRESS_MIN) as progress, data_output(out, force=force, paged=True) as stream:
            writer = CsvWriter(stream, style)
            if wide:
                rows = export_wide(project.store, project.codebook, writer, selection, unit=unit or "span", progress=progress)
            else:
                rows = export_segments(project.store, project.codebook, writer, selection, progress=progress)
    if out is not None:
        note(f"wrote {rows} row(s) to {out}")
    elif rows == 0:
        note("no codings match the filters (only the header was written)")
