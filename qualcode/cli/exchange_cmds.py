"""Sharing and maintaining codebooks: REFI-QDA exchange and code maintenance.

Adds to the existing groups: ``codebook export|import|diff|merge|apply|rename|
merge-codes|move`` and ``export qdpx``; ``qualcode import`` hands .qdpx files to
:func:`import_qdpx_file`. Code maintenance lives under ``codebook`` because
``qualcode code TRANSCRIPT CODE`` already applies a code.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ALREADY_YAML, NOTHING_TO_EXPORT, Report, error
from .base import State, pass_state
from .codebook_cmds import codebook
from .export_cmds import export, note_detached, pseudonymise_option
from .render import (
    NO_STDOUT,
    Progress,
    check_out,
    data_output,
    echo,
    file_out_option,
    force_option,
    note,
    out_option,
    stdout_is_terminal,
    warn,
    write_json,
)


def _warn_all(report: Report | list[str]) -> None:
    for message in report.warnings if isinstance(report, Report) else report:
        warn(message)


def _write_codebook(book, out: Path | None, force: bool) -> None:
    """The codebook as YAML on stdout, or saved to ``out`` (refused if it exists, unless ``force``)."""
    from ..codebook import dump_codebook

    _write_codebook_text(dump_codebook(book), len(book), out, force)


def _write_codebook_text(text: str, codes: int, out: Path | None, force: bool) -> None:
    """Codebook YAML text on stdout, or written to ``out`` atomically (refused if it exists, unless ``force``)."""
    from ..atomic import write_text
    from ..errors import OUTPUT_UNWRITABLE, write_error

    check_out(out, force)
    if out is None:
        with data_output() as stream:
            stream.write(text)
        return
    try:
        write_text(out, text)
    except OSError as exc:
        raise write_error(OUTPUT_UNWRITABLE, out, exc) from None
    note(f"wrote {out} ({codes} codes)")


def _project_codebook(state: State):
    """The project's codebook, read without opening the store.

    Why: the first command in a fresh project creates the store and imports
    transcripts/ (see State.project); merely exporting the codebook must not create
    an empty store, or that import would never happen.
    """
    from ..codebook import load_codebook
    from ..project import Project

    return load_codebook(Project.open(state.project_dir).codebook_path)


# --- codebook export / import ---------------------------------------------------------------


@codebook.command("export")
@click.argument("source", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["qdc"]), default="qdc", show_default=True, help="REFI-QDA codebook (.qdc).")
@out_option
@force_option
@pass_state
def codebook_export(state: State, source: Path | None, fmt: str, out: Path | None, force: bool) -> None:
    """Export a codebook as REFI-QDA .qdc (for ATLAS.ti, NVivo, MAXQDA, QualCoder ...).

    SOURCE is a codebook file (default: the project's codebook). Definitions,
    inclusion and exclusion criteria and examples go into each code's description;
    the code's id and key travel in an XML comment other tools do not show, so
    importing the file back gives the same codebook.
    """
    from ..refi.codebook_xml import codebook_to_qdc, qdc_losses
    from ..refi.files import load_codebook_file

    report = Report()
    if source:
        loaded = load_codebook_file(source, report, refused="nothing was exported")
        book, colors = loaded.book, loaded.explicit_colors
    else:
        book, colors = _project_codebook(state), None
    if not book.codes:
        raise error(NOTHING_TO_EXPORT, path=source or book.path)
    check_out(out, force)
    data = codebook_to_qdc(book, colors, report)
    lost = qdc_losses(book)
    if lost:
        report.warn(f"a .qdc cannot hold the codebook's {', '.join(lost)}; they stay in the YAML")
    if out is None:
        _stdout_bytes(data)
    else:
        _write_bytes(out, data)
        note(f"wrote {out} ({len(book)} codes)")
    _warn_all(report)


def _stdout_bytes(data: bytes) -> None:
    """Bytes as they are to a file or pipe (the XML declares its encoding); made terminal-safe on a terminal."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or stdout_is_terminal():
        with data_output() as stream:
            stream.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    buffer.write(data)
    buffer.flush()


def _write_bytes(path: Path, data: bytes) -> None:
    from ..atomic import write_bytes
    from ..errors import QDPX_WRITE_FAILED

    try:
        write_bytes(path, data)
    except OSError as exc:
        raise error(QDPX_WRITE_FAILED, path=path, reason=exc.strerror or exc) from None


def converted_codebook(path: Path, report: Report, refused: str = "nothing was imported"):
    """A REFI-QDA codebook (.qdc, or a .qdpx's) as a qualcode Codebook, with only the colours the file states;
    ``refused``: what the caller did not do if the file is refused."""
    from ..refi.colors import drop_unstated
    from ..refi.files import load_codebook_file

    loaded = load_codebook_file(path, report, refused=refused)
    if loaded.kind == "yaml":
        raise error(ALREADY_YAML, path=path)
    drop_unstated(loaded.book.walk(), loaded.explicit_colors)  # palette colours are not the file's: leave them out
    return loaded.book


@codebook.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@out_option
@force_option
@click.option("--use", is_flag=True, help="Make it the project's codebook (default --out: codebooks/FILE.yaml).")
@pass_state
def codebook_import(state: State, file: Path, out: Path | None, force: bool, use: bool) -> None:
    """Convert a REFI-QDA codebook (.qdc or a .qdpx's) to qualcode YAML.

    
    qualcode codebook import codeboek.qdc --use       the project's codebook from now on
    qualcode codebook import codeboek.qdc -o codebooks/codeboek.yaml
    qualcode codebook import codeboek.qdc > codeboek.yaml

    Ids come from the descriptions qualcode wrote, else from the code names. The
    REFI GUIDs are kept (`guid:`), so exporting again gives the same codes. To update
    a project's codebook and its codings from the file, use `qualcode codebook apply`.
    """
    from ..project import CODEBOOK_DIR, Project, is_project

    report = Report()
    book = converted_codebook(file, report)
    project = Project.open(state.project_dir) if use else None
    if use and out is None:
        out = project.root / CODEBOOK_DIR / f"{file.stem}.yaml"
    _write_codebook(book, out, force)
    _warn_all(report)
    if out is None:
        return
    root = out.resolve().parent.parent
    if out.resolve().parent.name != CODEBOOK_DIR or not is_project(root):
        return
    project = project if project is not None and project.root == root else Project(root)
    _settle_codebooks(project, out, file, use)


def _settle_codebooks(project, out: Path, source: Path, use: bool) -> None:
    """After a codebook was written into a project's codebooks/: make the natural next command work.

    The untouched starter of `qualcode init` goes (it holds nothing of the user's);
    with --use the new codebook becomes the project's; otherwise, if codebooks/
    now holds several, say how to pick one.
    """
    from ..project import is_untouched_starter

    for path in project.codebook_files():
        if path.resolve() != out.resolve() and is_untouched_starter(path):
            path.unlink()
            note(f"removed the unused starter codebook {project.relative(path)}")
    if use:
        value = project.use_codebook(out)
        note(f"the project's codebook is now {value} (`codebook:` in qualcode.yaml)")
        return
    others = [p for p in project.codebook_files() if p.resolve() != out.resolve()]
    if others and not project.config.codebook:
        warn(
            f"codebooks/ holds {len(others) + 1} codebooks and a project uses one: pick it with"
            f" `qualcode codebook use {out.name}` (or another); to update the project's codebook and"
            f" its codings from {source.name} instead, use `qualcode codebook apply {source}`"
        )


# --- diff / merge -------------------------------------------------------------------------------

_MARKS = {
    "added": "+",
    "removed": "-",
    "id": ">",
    "matched": "=",
    "renamed": "~",
    "moved": "^",
    "changed": "~",
    "set": "*",
    "codebook": "*",
}


@codebook.command("diff")
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True, help="Readable lines or JSON."
)
def codebook_diff(old: Path, new: Path, fmt: str) -> None:
    """Show what changed between two codebooks (.yaml, .qdc, .qdpx).

    From OLD to NEW.
    Lists added and removed codes, changed ids (same GUID), new names, moved codes,
    changed definitions, sets and codebook fields.
    """
    from ..codebook_ops.diff import diff_codebooks
    from ..refi.files import load_codebook_file

    compared = "nothing was compared"

    report = Report()
    a = load_codebook_file(old, report, refused=compared)
    b = load_codebook_file(new, report, known=a.book if a.kind == "yaml" else None, refused=compared)
    result = diff_codebooks(a.book, b.book, colors=(a.explicit_colors, b.explicit_colors))
    _warn_all(report)
    if fmt == "json":
        with data_output() as stream:
            write_json(stream, [c.as_dict() for c in result.changes])
        return
    if not result:
        echo("no differences")
        return
    width = max(len(c.code) for c in result.changes)
    for change in result.changes:
        echo(f"{_MARKS[change.kind]} {change.code:<{width}}  {_describe(change)}")
    counts = {}
    for change in result.changes:
        counts[change.kind] = counts.get(change.kind, 0) + 1
    echo(", ".join(f"{n} {kind}" for kind, n in counts.items()))


def _describe(change, *, merged: bool = False) -> str:
    """One change in words; ``merged``: as ``merge`` lists them (their codings are placed on
    the code paired with theirs, so an id change needs no ``codebook apply``)."""
    if change.kind == "id" and merged:
        return f"their {change.new} is this project's {change.old} (the same GUID; their codings go on {change.old})"
    if change.kind == "added":
        return f"added: {change.new}"
    if change.kind == "removed":
        return f"removed: {change.old}"
    if change.kind == "id":
        return f"id {change.old} -> {change.new} (same GUID; `codebook apply` moves its codings)"
    if change.kind == "matched":
        return f"their {change.new} is this project's {change.old} (the same name; their codings go on {change.old})"
    if change.kind == "renamed":
        return f"renamed: '{change.old}' -> '{change.new}'"
    if change.kind == "moved":
        return f"moved: under {change.old} -> under {change.new}"
    if change.kind == "changed":
        return "changed: " + ", ".join(change.fields)
    if change.kind == "set":
        return "set " + " ".join(x for x in (change.old, change.new) if x)
    return f"codebook field: '{change.old}' -> '{change.new}'"


@codebook.command("merge")
@click.argument("first", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("second", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--base", type=click.Path(dir_okay=False, path_type=Path), help="The version both files started from (a three-way merge)."
)
@out_option
@force_option
def codebook_merge(first: Path, second: Path, base: Path | None, out: Path | None, force: bool) -> None:
    """Merge two codebook files into one; conflicts are listed, not guessed.

    Codes are matched by GUID and id. What only one file says is taken; where the two
    files say different things, that is a conflict: nothing is written and the exit
    status is 1. With --base, a change made in only one file wins. The result is the
    first YAML file with only the merged changes edited in: its comments stay.
    """
    from ..codebook_ops.merge import merge_codebooks, merged_text
    from ..errors import MERGE_CONFLICTS
    from ..refi.files import load_codebook_file

    report = Report()
    written = "nothing was written"
    a = load_codebook_file(first, report, refused=written)
    b = load_codebook_file(second, report, known=a.book if _is_refi(second) else None, refused=written)
    c = load_codebook_file(base, report, known=a.book if _is_refi(base) else None, refused=written) if base else None
    result = merge_codebooks(a, b, c)
    _warn_all(report)
    for message in result.notes:
        note(message)
    if result.conflicts:
        for conflict in result.conflicts:
            echo(f"conflict: {conflict}", err=True)
        raise error(MERGE_CONFLICTS, count=len(result.conflicts), a=first, b=second)
    text, kept = merged_text(a, b, result)
    if kept is None and "yaml" in (a.kind, b.kind):
        note("the merged codebook is written anew: the comments and layout of the YAML are not kept")
    elif kept is not None:
        note(f"the merge is {kept}, edited where the files differ (its comments and layout kept)")
    _write_codebook_text(text, len(result.book), out, force)


def _is_refi(path: Path | None) -> bool:
    """A REFI-QDA file: its codes get the first file's ids where their GUIDs match."""
    return path is not None and path.suffix.lower() in (".qdc", ".qdpx", ".qde")


# --- apply / rename / merge-codes / move ---------------------------------------------------------


def _merge_options(values: tuple[str, ...]) -> dict[str, str]:
    from ..errors import BAD_MERGE_OPTION

    out = {}
    for value in values:
        old, sep, new = value.partition("=")
        if not sep or not old.strip() or not new.strip():
            raise error(BAD_MERGE_OPTION, value=value, reason="not OLD_ID=NEW_ID")
        out[old.strip()] = new.strip()
    return out


@codebook.command("apply")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--merge", "merges", multiple=True, metavar="OLD=NEW", help="Code OLD was merged into NEW: move its codings (repeatable)."
)
@click.option("--dry-run", is_flag=True, help="Say what would happen; change nothing.")
@pass_state
def codebook_apply(state: State, file: Path, merges: tuple[str, ...], dry_run: bool) -> None:
    """Update the project to a new codebook FILE, keeping every coding.

    FILE is .yaml, .qdc or .qdpx.
    FILE replaces the project's codebook. Codes with a new id but the same GUID keep
    their codings (they move to the new id); --merge OLD=NEW moves the codings of a
    code that was merged away. Codings of removed codes are kept and listed: decide
    later with `qualcode codebook merge-codes`.
    """
    project = state.project()  # a fresh project imports its transcripts (and their codings) first
    with project.codebook_lock(f"codebook apply {file.name}"):  # plan and write from the same codebook
        _apply(project, file, merges, dry_run)


def _apply(project, file: Path, merges: tuple[str, ...], dry_run: bool) -> None:
    from ..codebook_ops.apply import plan_apply, run_apply

    report = Report()
    plan = plan_apply(project, file, _merge_options(merges), report)
    _warn_all(report)
    target = project.relative(plan.target)
    for change in plan.diff.changes:
        echo(f"{_MARKS[change.kind]} {change.code}  {_describe(change)}")
    for old, new, n in plan.renames:
        echo(f"{'would move' if dry_run else 'moving'} {n} coding(s) of '{old}' to '{new}' (same GUID)")
    for old, new, n in plan.merges:
        echo(f"{'would move' if dry_run else 'moving'} {n} coding(s) of '{old}' to '{new}' (--merge)")
    if dry_run:
        echo(f"dry run: {target} and the codings were not changed")
    else:
        result = run_apply(project, plan)
        if plan.rewritten:
            note(f"{target} was written anew from {file.name}: its comments are not kept (git has the old file)")
        done = f"{target} updated from {file}" if plan.new_text is not None else f"{target} applied"
        moved = result.moved + result.merged
        echo(f"{done}; {moved} coding(s) moved" + (f" ({result.merged} joined an identical coding)" if result.merged else ""))
    for code_id, n in plan.removed:
        likely = plan.likely.get(code_id)
        hint = f"; if it became '{likely}': --merge {code_id}={likely}" if likely else ""
        warn(f"code '{code_id}' is not in the new codebook: its {n} coding(s) are kept (see `qualcode check`){hint}")
    if plan.removed:
        note("decide about them with `qualcode codebook merge-codes OLD --into NEW`, or add the codes back")


def _print_result(result, what: str) -> None:
    for message in result.notes:
        note(message)
    moved = result.moved + result.merged
    extra = f" ({result.merged} joined an identical coding)" if result.merged else ""
    echo(f"{what}; {moved} coding(s) moved{extra}")


@codebook.command("rename")
@click.argument("old_id")
@click.argument("new_id")
@pass_state
def codebook_rename(state: State, old_id: str, new_id: str) -> None:
    """Change a code's id; its codings follow.

    OLD_ID becomes NEW_ID in the codebook and on all its codings.
    The code keeps its GUID (written into the YAML if it had none), so other tools and
    `codebook apply` still recognise it. To change only the displayed name, edit
    `name:` in the YAML: codings refer to ids.
    """
    from ..codebook_ops.maintenance import rename_code

    project = state.project()
    result = rename_code(project, old_id, new_id)
    _print_result(result, f"renamed '{old_id}' to '{new_id}'")


@codebook.command("merge-codes")
@click.argument("sources", nargs=-1, required=True)
@click.option("--into", "target", required=True, help="The code that takes over the codings.")
@pass_state
def codebook_merge_codes(state: State, sources: tuple[str, ...], target: str) -> None:
    """Merge codes into another: their codings and sub-codes move there.

    SOURCES leave the codebook; --into takes over their codings and sub-codes.
    Also takes codes that already left the codebook but still have codings.
    Where the target already codes the same span, the two codings become one and
    the memos are joined.
    """
    from ..codebook_ops.maintenance import merge_codes

    project = state.project()
    result = merge_codes(project, list(sources), target)
    _print_result(result, f"merged {', '.join(sources)} into '{target}'")


@codebook.command("move")
@click.argument("code_id")
@click.option("--parent", help="The new parent code.")
@click.option("--top", is_flag=True, help="Move to the top level.")
@pass_state
def codebook_move(state: State, code_id: str, parent: str | None, top: bool) -> None:
    """Move a code (with its sub-codes) under --parent, or to the --top."""
    from ..codebook_ops.maintenance import move_code

    if (parent is None) == (not top):
        raise click.UsageError("give exactly one of --parent CODE or --top")
    project = state.project()
    result = move_code(project, code_id, None if top else parent)
    for message in result.notes:
        note(message)
    if result.yaml_changed:
        echo(f"moved '{code_id}' {'to the top' if top else 'under ' + str(parent)}")


# --- projects ---------------------------------------------------------------------------------


@export.command("qdpx")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@file_out_option
@force_option
@click.option(
    "--positions",
    type=click.Choice(["codepoints", "utf16"]),
    default="codepoints",
    show_default=True,
    help="How selection positions count: code points (the REFI-QDA standard) or UTF-16 units (as NVivo for Windows counts).",
)
@pseudonymise_option
@pass_state
def export_qdpx_cmd(state: State, file: Path | None, out: Path | None, force: bool, positions: str, pseudonymise: bool) -> None:
    """Export the whole project as a REFI-QDA project: `qualcode export qdpx -o FILE.qdpx`.

    Transcripts, codes, codings, coders, memos and case attributes, for ATLAS.ti,
    NVivo, MAXQDA, QualCoder or another qualcode project. (`qualcode export qdpx
    FILE.qdpx` works too.) An existing file is replaced only with --force. Positions
    differ between the two counts only after emoji and other characters outside the
    Basic Multilingual Plane; use --positions utf16 for NVivo.
    """
    from ..refi.project_export import export_qdpx
    from .pseudo_cmds import export_view, exported_coder

    if file is not None and out is not None:
        raise click.UsageError("give the file once: FILE or --out FILE")
    file = file or out
    if file is not None and str(file) == "-":
        raise click.UsageError(NO_STDOUT)
    if file is None:
        raise click.UsageError("name the file to write: qualcode export qdpx --out FILE.qdpx")
    check_out(file, force)
    with export_view(state, pseudonymise) as project:
        result = export_qdpx(project, file, positions=positions, user=exported_coder(project, state.coder))
    echo(
        f"wrote {file}: {result.transcripts} transcript(s), {result.codings} coding(s), {result.memos} memo(s),"
        f" {result.codes} code(s), {result.users} user(s) ({result.coders} with codings)"
        + (f", {result.transcript_memos} transcript memo(s)" if result.transcript_memos else "")
    )
    _warn_all(result.warnings)
    note_detached(project.store, left_out="in the file")


def is_qdpx_request(paths: tuple[Path, ...]) -> Path | None:
    """The REFI-QDA project to import for `qualcode import qdpx FILE` or `qualcode import FILE.qdpx|.qde`, else None."""
    if len(paths) == 2 and str(paths[0]) == "qdpx" and not paths[0].exists():
        return paths[1]
    qdpx = [p for p in paths if p.suffix.lower() in (".qdpx", ".qde")]
    if not qdpx:
        return None
    if len(paths) > 1:
        raise click.UsageError("import one .qdpx (or .qde) file at a time, on its own")
    return qdpx[0]


def import_qdpx_file(state: State, path: Path, *, skip_missing: bool = False) -> None:
    """`qualcode import FILE.qdpx`: a whole REFI-QDA project into this project."""
    from ..refi.project_import import import_qdpx

    project = state.project(auto_import=False)
    # A large file is read and checked whole before anything is written (MiB), then imported (sources).
    with Progress("checking (MiB)", minimum=8, ending=True) as checking, Progress("importing", minimum=20) as progress:
        result = import_qdpx(
            project, path, default_coder=state.coder, skip_missing=skip_missing, progress=progress, checking=checking
        )
    origin = f" ({result.origin})" if result.origin else ""
    echo(
        f"imported {path.name}{origin}: {len(result.transcripts)} transcript(s), {result.codings_added} coding(s)"
        + (f" of {result.codings_read} read" if result.codings_read != result.codings_added else "")
        + (f", {result.transcript_memos} transcript memo(s)" if result.transcript_memos else "")
    )
    if result.codebook is not None:
        where = project.relative(result.codebook)
        if result.codebook_created:
            echo(f"codebook: wrote {where} ({result.codes_added} codes)")
        elif result.codes_added:
            echo(f"codebook: added {result.codes_added} code(s) to {where}")
    _warn_all(result.warnings)
