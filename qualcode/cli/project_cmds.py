"""Project commands: open, init, import, transcripts, speakers, code, uncode, codings, memo, check."""

from __future__ import annotations

from pathlib import Path

import click

from ..coding import apply_code, expand_codes, parse_span, resolve_transcript, turn_span
from ..errors import NO_CODING, QualcodeError, error
from ..project import Project, sample_project_source
from .base import State, main, pass_state
from .render import emit, format_option, note, shorten, warn


def _where(values: tuple[str, ...]) -> list[tuple[str, str]]:
    out = []
    for value in values:
        if "=" not in value:
            raise click.BadParameter(f"'{value}' is not ATTRIBUTE=VALUE", param_hint="--where")
        name, _, wanted = value.partition("=")
        out.append((name.strip(), wanted.strip()))
    return out


@main.command("open")
@click.argument("project_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@pass_state
def open_(state: State, project_dir: Path | None) -> None:
    """Open the coding screen on a project (default: current folder, else the sample)."""
    if project_dir is not None:
        state.project_dir = project_dir
    project = state.project(fallback_to_sample=True)
    try:
        from ..tui import run_app  # the Textual app (imported only here: it is the slow part)
    except ImportError:
        _print_summary(project)
        return
    # The explicit --coder/$QUALCODE_CODER only: without one the app uses the saved name or asks once.
    run_app(project, coder=state.coder_option)  # pragma: no cover - interactive


def _print_summary(project: Project) -> None:
    book = project.codebook
    summaries = project.store.transcripts.summaries()
    click.echo(f"project {project.root}")
    click.echo(f"codebook {project.relative(project.codebook_path)}: {book.title} ({len(book)} codes)")
    click.echo(f"{len(summaries)} transcript(s), {sum(s.codings for s in summaries)} coding(s)")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--codebook", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="Start from this codebook YAML.")
@click.option("--sample", is_flag=True, help="Copy the bundled Dutch sample codebook and transcripts.")
def init(directory: Path, codebook: Path | None, sample: bool) -> None:
    """Create a new project folder (codebooks/, transcripts/, qualcode.yaml, qualcode.db)."""
    import shutil

    if sample:
        source = sample_project_source()
        directory.mkdir(parents=True, exist_ok=True)
        shutil.copytree(source / "transcripts", directory / "transcripts", dirs_exist_ok=True)
        codebook = next(iter(sorted((source / "codebooks").glob("*.yaml"))), None)
    project = Project.init(directory, codebook=codebook)
    click.echo(f"created project {project.root}")
    note(f"next: put transcripts in {directory / 'transcripts'} and run `qualcode --project {directory} import {directory / 'transcripts'}`")


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--encoding", help="Decode text files with this encoding (e.g. cp1252) instead of detecting UTF-8/UTF-16.")
@click.option("--name", help="Name for the imported transcript (only when importing one file).")
@click.option(
    "--skip-missing-sources",
    is_flag=True,
    help="For a .qdpx or .qde: import what is there when some of its sources are missing (each is named).",
)
@pass_state
def import_(state: State, paths: tuple[Path, ...], encoding: str | None, name: str | None, skip_missing_sources: bool) -> None:
    """Import transcripts (.txt, .md, .docx, .vtt, .srt) or folders of them.

    Speaker turns and timestamps are recognised; case attributes come from YAML
    front matter and an attributes.csv next to the files; a codings.csv sidecar
    (file,turn,code,text,memo) is applied too. Importing the same content twice
    changes nothing. If any file fails, nothing is imported.

    `qualcode import FILE.qdpx` (or `qualcode import qdpx FILE`) imports a whole
    REFI-QDA project from ATLAS.ti, NVivo, MAXQDA, QualCoder or qualcode; so does
    `qualcode import project.qde` for a bare .qde with its sources in a sources/
    folder beside it (as MAXQDA writes it).
    """
    from ..importing import import_paths
    from ..ingest.paths import shown_name
    from .exchange_cmds import import_qdpx_file, is_qdpx_request

    qdpx = is_qdpx_request(paths)
    if qdpx is not None:
        if encoding or name:
            raise click.UsageError("--encoding and --name do not apply to a .qdpx (its sources are UTF-8 and named)")
        import_qdpx_file(state, qdpx, skip_missing=skip_missing_sources)
        return
    if skip_missing_sources:
        raise click.UsageError("--skip-missing-sources applies to a .qdpx or .qde only")

    project = state.project(auto_import=False)
    bar = None

    def progress(done: int, total: int, label: str) -> None:
        nonlocal bar
        if total >= 20 and bar is None and click.get_text_stream("stderr").isatty():
            bar = click.progressbar(length=total, label="importing", file=click.get_text_stream("stderr"))
            bar.__enter__()
        if bar is not None:
            bar.update(1)

    try:
        result = import_paths(project, paths, encoding=encoding, name=name, default_coder=state.coder, progress=progress)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for imported in result.imported:
        speakers = sorted(imported.speakers)
        click.echo(
            f"imported {imported.name}: {imported.turns} turns, {imported.words} words"
            + (f", speakers {', '.join(speakers)}" if speakers else "")
        )
    for path, existing in result.duplicates:
        note(f"skipped {shown_name(path.name)}: same content as '{existing}', already imported")
    for name_ in result.attributes_updated:
        note(f"updated attributes of {name_}")
    if result.codings_added:
        click.echo(f"added {result.codings_added} coding(s) from the codings CSV")
    for message in result.warnings:
        warn(message)


@main.command()
@click.option("--where", multiple=True, metavar="ATTR=VALUE", help="Only transcripts with this attribute value (repeatable).")
@format_option
@pass_state
def transcripts(state: State, where: tuple[str, ...], fmt: str) -> None:
    """List transcripts with turn, word and coding counts and their attributes."""
    conditions = _where(where)
    summaries = [s for s in state.project().store.transcripts.summaries() if all(s.attributes.get(k) == v for k, v in conditions)]
    names = sorted({k for s in summaries for k in s.attributes})
    if fmt == "table":
        rows = [
            (s.name, s.turns, s.words, s.codings, f"{s.coded_share:.0%}", " ".join(f"{k}={v}" for k, v in s.attributes.items()))
            for s in summaries
        ]
        emit(rows, ["transcript", "turns", "words", "codings", "coded", "attributes"], fmt, right=("turns", "words", "codings", "coded"))
    else:
        rows = [(s.name, s.source_path, s.turns, s.words, s.codings, round(s.coded_share, 4), *(s.attributes.get(k) for k in names)) for s in summaries]
        emit(rows, ["transcript", "source", "turns", "words", "codings", "coded_share", *names], fmt)


@main.command()
@click.option("--apply", "apply_", is_flag=True, help="Re-apply interviewer_speakers from qualcode.yaml to every stored turn.")
@format_option
@pass_state
def speakers(state: State, apply_: bool, fmt: str) -> None:
    """List speaker labels with their role (interviewer or respondent) and turns.

    The role is decided once, at import, by the `interviewer_speakers` patterns of
    qualcode.yaml, and every statistic, export, suggestion and the coding screen use
    that stored role. After changing the patterns, `--apply` updates what was
    imported before; the list shows where the stored role and the setting disagree.
    """
    project = state.project()
    store = project.store
    if apply_:
        changed = store.transcripts.apply_roles(project.config.role_of)
        note(f"roles re-applied from {project.relative(project.root / 'qualcode.yaml')}: {changed} turn(s) changed")
    rows = []
    for info in store.transcripts.speakers():
        setting = project.config.role_of(info.speaker)
        rows.append((info.speaker or "(no label)", info.role or "", setting if setting != info.role else "", info.turns, info.transcripts))
    emit(rows, ["speaker", "role", "setting says", "turns", "transcripts"], fmt, right=("turns", "transcripts"))
    if any(row[2] for row in rows):
        warn("the stored role of some speakers differs from interviewer_speakers; `qualcode speakers --apply` updates them")


def _span(store, tid: int, turn: int | None, span: str | None) -> tuple[int, int]:
    if (turn is None) == (span is None):
        raise click.UsageError("give exactly one of --turn N or --span START:END")
    return turn_span(store, tid, turn) if turn is not None else parse_span(span)


@main.command()
@click.argument("transcript")
@click.argument("code")
@click.option("--turn", type=int, help="Code the whole turn N (numbered from 1).")
@click.option("--span", help="Code the characters START:END (code points, end exclusive).")
@click.option("--memo", help="A memo on the new coding.")
@pass_state
def code(state: State, transcript: str, code: str, turn: int | None, span: str | None, memo: str | None) -> None:
    """Apply CODE to a turn or a span of TRANSCRIPT."""
    project = state.project()
    store = project.store
    tid = resolve_transcript(store, transcript)
    start, end = _span(store, tid, turn, span)
    added = apply_code(store, project.codebook, tid, start, end, code, state.coder, memo=memo)
    coding = added.coding
    what = "coding" if added.inserted else "already coded: coding"
    click.echo(f"{what} {coding.id}: {coding.code_id} on {transcript} {coding.start}:{coding.end} {shorten(coding.quote)!r}")


@main.command()
@click.argument("transcript", required=False)
@click.argument("code", required=False)
@click.option("--turn", type=int, help="Remove codings inside turn N.")
@click.option("--span", help="Remove codings inside START:END.")
@click.option("--id", "ids", type=int, multiple=True, help="Remove the coding with this id (repeatable).")
@click.option("--any-coder", is_flag=True, help="With --turn/--span: remove other coders' codings there too (default: only yours).")
@pass_state
def uncode(
    state: State, transcript: str | None, code: str | None, turn: int | None, span: str | None, ids: tuple[int, ...], any_coder: bool
) -> None:
    """Remove codings: by --id, or your codings of CODE (or all codes) inside a turn or span."""
    store = state.project().store
    if ids and (transcript or turn is not None or span):
        raise click.UsageError("use either --id or TRANSCRIPT with --turn/--span, not both")
    if not ids and not transcript:
        raise click.UsageError("give TRANSCRIPT with --turn or --span, or --id")
    with store.transaction():  # what is removed is decided and removed in one step
        if ids:
            targets = [store.codings.get(i) for i in ids]
        else:
            tid = resolve_transcript(store, transcript)
            start, end = _span(store, tid, turn, span)
            coders = None if any_coder else [state.coder]
            targets = [
                c
                for c in store.codings.find(tid, [code] if code else None, coders, overlapping=(start, end))
                if c.start >= start and c.end <= end
            ]
            if not targets:
                raise error(NO_CODING, id=f"{code or 'any code'} inside {start}:{end} of {transcript}")
        for coding in targets:
            store.codings.remove(coding.id)
    for coding in targets:
        click.echo(f"removed coding {coding.id}: {coding.code_id} {coding.start}:{coding.end} {shorten(coding.quote)!r}")


@main.command()
@click.argument("transcript")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--encoding", help="Decode the file with this encoding (e.g. cp1252).")
@click.option("--dry-run", is_flag=True, help="Show where the codings would go; change nothing.")
@pass_state
def reimport(state: State, transcript: str, file: Path | None, encoding: str | None, dry_run: bool) -> None:
    """Replace TRANSCRIPT by the edited version of its file (or FILE), moving codings with their text.

    Each coding is found again by its quoted text near its old place. Codings whose
    text is gone are detached: kept aside and reported by `qualcode check`, never
    dropped.
    """
    from ..reimport import reimport as run_reimport

    project = state.project()
    tid = resolve_transcript(project.store, transcript)
    result = run_reimport(project, tid, file, encoding=encoding, dry_run=dry_run)
    if result.unchanged:
        click.echo(f"{result.name}: the text of {result.source} is unchanged; nothing to do")
        return
    moved = sum(p.how in ("moved", "whitespace") for p in result.placements)
    kept = sum(p.how == "unchanged" for p in result.placements)
    verb = "would move" if dry_run else "moved"
    click.echo(f"{result.name}: {kept} coding(s) in place, {verb} {moved}, {len(result.detached)} cannot be placed")
    for placement in result.detached:
        c = placement.coding
        warn(f"{'would detach' if dry_run else 'detached'} coding {c.id} ({c.code_id}): {shorten(c.quote)!r}")
    if result.detached and not dry_run:
        note("detached codings are kept: see `qualcode check` and `qualcode codings --detached`")


@main.command()
@click.option("--code", "codes", multiple=True, help="Only this code and its sub-codes (repeatable).")
@click.option("--transcript", help="Only this transcript.")
@click.option("--detached", is_flag=True, help="List codings detached by `qualcode reimport` instead.")
@click.option("--coders", "coder_names", multiple=True, metavar="A,B", help="Only these coders' codings (comma-separated or repeated).")
@format_option
@pass_state
def codings(state: State, codes: tuple[str, ...], transcript: str | None, detached: bool, coder_names: tuple[str, ...], fmt: str) -> None:
    """List codings with their span, code, coder, memo and quoted text."""
    project = state.project()
    store = project.store
    tid = resolve_transcript(store, transcript) if transcript else None
    if detached:
        names = store.transcripts.names()
        rows = [
            (d.id, names[d.transcript_id], d.old_start, d.old_end, d.code_id, d.coder, d.memo, d.reason,
             shorten(d.quote) if fmt == "table" else d.quote)
            for d in store.codings.detached(tid)
            if not codes or d.code_id in codes
        ]
        emit(rows, ["id", "transcript", "old_start", "old_end", "code", "coder", "memo", "reason", "text"], fmt)
        return
    wanted = expand_codes(project.codebook, store, codes) if codes else None
    names = store.transcripts.names()
    rows = []
    from ..team.coders import is_blind, resolve_coders, split_names

    coders = resolve_coders(store, split_names(coder_names)) if coder_names else None
    if is_blind(store):
        coders = [state.coder]
        note(f"blind mode: only {state.coder}'s codings are listed (`qualcode blind off` to see everyone's)")
    for c in store.codings.find(tid, wanted, coders=coders):
        quote = shorten(c.quote) if fmt == "table" else c.quote
        rows.append((c.id, names[c.transcript_id], c.start, c.end, c.code_id, c.coder, c.origin, c.memo, quote))
    emit(rows, ["id", "transcript", "start", "end", "code", "coder", "origin", "memo", "text"], fmt, right=("id", "start", "end"))


@main.command()
@click.argument("coding_id", type=int)
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Remove the memo.")
@pass_state
def memo(state: State, coding_id: int, text: str | None, clear: bool) -> None:
    """Show, set or clear the memo of a coding."""
    store = state.project().store
    if clear or text is not None:
        store.codings.set_memo(coding_id, None if clear else text)
    coding = store.codings.get(coding_id)
    click.echo(coding.memo or "")


@main.command()
@pass_state
def check(state: State) -> None:
    """Check the project's health: orphaned codings, changed sources, codebook problems."""
    from ..health import PROBLEM, check_project

    report = check_project(state.project())
    for finding in report.findings:
        label = click.style(finding.severity, fg="red" if finding.severity == PROBLEM else "yellow")
        click.echo(f"{label}: {finding.message}")
        if finding.hint:
            click.echo(f"  hint: {finding.hint}")
    summary = f"{report.transcripts} transcript(s), {report.codings} coding(s), {report.codes} code(s)"
    if report.ok:
        click.echo(f"ok: {summary}")
    else:
        problems = sum(f.severity == PROBLEM for f in report.findings)
        raise QualcodeError(f"{problems} problem(s) found in {summary}", "see the findings above")
