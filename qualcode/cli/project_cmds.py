"""Project commands: open, init, import, speakers, reimport, check."""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

import click

from ..analysis.selection import did_you_mean
from ..coding import resolve_transcript
from ..display import shorten
from ..errors import APP_NEEDS_TERMINAL, CHECK_PROBLEMS, UNKNOWN_SPEAKER, error
from ..project import Project, creating_project, is_project, numbered_speaker, sample_project_source
from ..termsafe import first_of
from .base import State, main, pass_state
from .render import Progress, confirm, echo, emit, format_option, note, styled, warn

_SPEAKER_WIDTH = 40  # characters of a speaker label shown in the import summary
_SPEAKERS_SHOWN = 12  # speakers named in it, then "and N more"


@main.command("open")
@click.argument("project_dir", required=False, type=click.Path(file_okay=False, path_type=Path))
@pass_state
def open_(state: State, project_dir: Path | None) -> None:
    """Open the coding screen on a project (default: current folder, else the sample)."""
    if project_dir is not None:
        state.project_dir = project_dir
    notices: list[str] = []  # what opening the project did: shown in the app, as it starts
    project = state.project(fallback_to_sample=True, notices=notices)
    try:
        from ..tui import run_app  # the Textual app (imported only here: it is the slow part)
    except ImportError:
        for notice in notices:
            note(notice)
        _print_summary(project)
        return
    reason = _no_terminal()
    if reason:  # the app would wait for keys that never come (a pipe, cron) or draw garbage
        for notice in notices:
            note(notice)
        _print_summary(project)
        raise error(APP_NEEDS_TERMINAL, reason=reason)
    # The explicit --coder/$QUALCODE_CODER only: without one the app uses the saved name or asks once.
    run_app(project, coder=state.coder_option, notices=notices)  # pragma: no cover - interactive


def _no_terminal() -> str | None:
    """Why the app cannot run here (stdin or stdout not a terminal, TERM=dumb), or None."""
    import os

    if not sys.stdin.isatty():
        return "stdin is not one (input comes from a file or a pipe)"
    if not sys.stdout.isatty():
        return "stdout is not one (output goes to a file or a pipe)"
    if os.environ.get("TERM") == "dumb":
        return "TERM=dumb says this one cannot draw a screen"
    return None


def _print_summary(project: Project) -> None:
    book = project.codebook
    summaries = project.store.transcripts.summaries()
    echo(f"project {project.root}")
    echo(f"codebook {project.relative(project.codebook_path)}: {book.title} ({len(book)} codes)")
    echo(f"{len(summaries)} transcript(s), {sum(s.codings for s in summaries)} coding(s)")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--codebook",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Start from this codebook: a qualcode YAML, or a REFI-QDA .qdc/.qdpx (converted to YAML).",
)
@click.option("--sample", is_flag=True, help="Copy the bundled Dutch sample codebook and transcripts.")
def init(directory: Path, codebook: Path | None, sample: bool) -> None:
    """Create a new project folder (codebooks/, transcripts/, qualcode.yaml, qualcode.db)."""
    import shutil

    from ..errors import Report

    if sample and codebook is not None:
        raise click.UsageError("--sample brings its own codebook: leave out --codebook")
    converted, report = None, Report()
    if codebook is not None and codebook.suffix.lower() not in (".yaml", ".yml"):
        from .exchange_cmds import converted_codebook

        converted = converted_codebook(codebook, report, refused="the project was not created")
    if is_project(directory):  # before the sample's files are copied into it
        from ..errors import PROJECT_EXISTS

        raise error(PROJECT_EXISTS, path=directory)
    with creating_project(directory):  # all or nothing
        if sample:
            source = sample_project_source()
            directory.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source / "transcripts", directory / "transcripts", dirs_exist_ok=True)
            codebook = next(iter(sorted((source / "codebooks").glob("*.yaml"))), None)
        project = Project.init(directory, codebook=codebook, converted=converted)
    click.get_current_context().call_on_close(project.close)  # its store, opened to create it or by the sample's import
    for message in report.warnings:
        warn(message)
    echo(f"created project {project.root}" + (f" with the codebook of {codebook.name}" if codebook else ""))
    if sample:  # the sample is ready to code: its transcripts, attributes and seed codings imported
        from ..importing import import_paths

        result = import_paths(project, [directory / "transcripts"], default_coder="import")  # as a bare sample folder is
        echo(f"imported {len(result.imported)} sample transcript(s) and {result.codings_added} coding(s)")
        for message in result.warnings:
            warn(message)
        note(f"next: `qualcode --project {directory}` opens it")
        return
    note(
        f"next: put transcripts in {directory / 'transcripts'} and run `qualcode --project {directory} import {directory / 'transcripts'}`"
    )


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
    """Import transcripts (.txt, .md, .docx, .vtt, .srt, .rtf) or folders of them.

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
    with Progress("importing", minimum=20) as progress:
        result = import_paths(project, paths, encoding=encoding, name=name, default_coder=state.coder, progress=progress)
    for imported in result.imported:
        # A speaker label has no length limit (a VTT voice tag, a .qdpx turn) and a file may
        # have thousands: the summary line shows the first few, each shortened.
        speakers = [shorten(s, _SPEAKER_WIDTH) for s in sorted(imported.speakers)]
        echo(
            f"imported {imported.name}: {imported.turns} turns, {imported.words} words"
            + (f", speakers {first_of(speakers, _SPEAKERS_SHOWN)}" if speakers else "")
        )
    for path, existing in result.duplicates:
        note(f"skipped {shown_name(path.name)}: same content as '{existing}', already imported")
    for name_ in result.attributes_updated:
        note(f"updated attributes of {name_}")
    if result.codings_added:
        echo(f"added {result.codings_added} coding(s) from the codings CSV")
    for message in result.warnings:
        warn(message)
    if len(result.without_interviewer) > 1:
        note(
            f"{len(result.without_interviewer)} transcripts have no interviewer: `qualcode speakers --guess` shows who asks"
            " the questions in each and makes them interviewers"
        )


@main.command()
@click.option("--apply", "apply_", is_flag=True, help="Re-apply interviewer_speakers from qualcode.yaml to every stored turn.")
@click.option(
    "--interviewer",
    "interviewers",
    metavar="LABEL",
    multiple=True,
    help="Make the speaker LABEL an interviewer: added to interviewer_speakers in qualcode.yaml and applied (repeatable).",
)
@click.option(
    "--transcript",
    "transcripts",
    metavar="NAME",
    multiple=True,
    help="With --interviewer: in this transcript only (repeatable), for labels such as 'Spreker 1' that name"
    " another speaker elsewhere; written to interviewers in qualcode.yaml.",
)
@click.option(
    "--guess",
    is_flag=True,
    help="In every transcript with several speakers and no interviewer, make the one who asks the questions"
    " the interviewer (shown first; asks before writing).",
)
@click.option("--yes", "-y", is_flag=True, help="With --guess: do not ask.")
@format_option
@pass_state
def speakers(
    state: State, apply_: bool, interviewers: tuple[str, ...], transcripts: tuple[str, ...], guess: bool, yes: bool, fmt: str
) -> None:
    """List speaker labels with their role (interviewer or respondent) and turns.

    The role is decided once, at import, by the `interviewer_speakers` patterns of
    qualcode.yaml (or, for a transcript listed under `interviewers` there, by its own
    labels), and every statistic, export, suggestion and the coding screen use that
    stored role. After changing the setting, `--apply` updates what was imported
    before; the list shows where the stored role and the setting disagree.
    `--interviewer LABEL` adds a label (e.g. the interviewer's name in a Teams
    transcript) to the patterns and applies them; with `--transcript NAME`, in that
    transcript only (speech recognition's 'Spreker 1' is whoever spoke first).
    `--guess` does that for every transcript without an interviewer, naming the
    speaker who asks the questions there (a named speaker everywhere, a numbered one
    in that transcript only).
    """
    project = state.project()
    store = project.store
    spoken = store.transcripts.speakers_by_transcript()
    if transcripts and not interviewers:
        raise click.UsageError("--transcript says where --interviewer LABEL applies: give --interviewer too")
    if guess and (interviewers or transcripts):
        raise click.UsageError("--guess names the interviewers itself: leave out --interviewer and --transcript")
    if guess:
        apply_ = _guess_interviewers(project, yes) or apply_
    if interviewers:
        names = store.transcripts.names()
        chosen = [names[resolve_transcript(store, ref)] for ref in dict.fromkeys(transcripts)]
        there = {name: [s for n, s, _, _ in spoken if n == name and s is not None] for name in chosen}
        known = {s for n, s, _, _ in spoken if s is not None and (not chosen or n in there)}
        folded = {speaker.casefold(): speaker for speaker in known}
        for label in interviewers:
            if label.casefold() not in folded:
                listed = first_of(sorted(known), 12) or "none"
                raise error(UNKNOWN_SPEAKER, speaker=label, known=listed, suggestion=did_you_mean(label, known))
        labels = [folded[label.casefold()] for label in interviewers]
        wanted: dict[str, tuple[list[str], list[str]]] = {}
        for name in chosen:
            mine = {s.casefold(): s for s in there[name]}
            for label in labels:
                if label.casefold() not in mine:
                    raise error(UNKNOWN_SPEAKER, speaker=label, known=f"{first_of(there[name], 12) or 'none'} in {name}",
                                suggestion=did_you_mean(label, there[name]))  # fmt: skip
            wanted[name] = ([mine[label.casefold()] for label in labels], there[name])
        for name, label in project.make_interviewers_in(wanted):
            note(f"{label} is an interviewer in {name} from now on: added to interviewers in qualcode.yaml")
        if not chosen:
            for label in project.make_interviewers(labels):
                note(f"{label} is an interviewer from now on: added to interviewer_speakers in qualcode.yaml")
            for label in labels:
                if numbered_speaker(label):
                    count = len({n for n, s, _, _ in spoken if s == label})
                    warn(
                        f"{label} is a number speech recognition gives whoever speaks: it is now the interviewer in all"
                        f" {count} transcript(s) it speaks in; in one where someone else asks the questions, name them"
                        " there: `qualcode speakers --interviewer LABEL --transcript NAME` (that transcript's interviewers"
                        " are then the ones named for it)"
                    )
        apply_ = True
    if apply_:
        changed = store.transcripts.apply_roles(project.config.role_of)
        note(f"roles re-applied from {project.relative(project.root / 'qualcode.yaml')}: {changed} turn(s) changed")
        spoken = store.transcripts.speakers_by_transcript()
    rows = []
    for (speaker, role), group in groupby(sorted(spoken, key=_by_label), key=_by_label):
        group = list(group)
        says = sorted({s for name, *_ in group if (s := project.config.role_of(speaker, name)) != role})
        turns = sum(n for *_, n in group)
        rows.append((speaker or "(no label)", role or "", "/".join(says), turns, len(group)))
    emit(rows, ["speaker", "role", "setting says", "turns", "transcripts"], fmt, right=("turns", "transcripts"))
    if any(row[2] for row in rows):
        warn(
            "the stored role of some speakers differs from the setting in qualcode.yaml; `qualcode speakers --apply` updates them"
        )


def _guess_interviewers(project: Project, yes: bool) -> bool:
    """``speakers --guess``: show who asks the questions in each transcript without an
    interviewer, ask, and write them; whether anything was written."""
    from ..importing import interviewer_guesses

    guesses, unclear = interviewer_guesses(project.store)
    for name in unclear:
        warn(
            f"{name}: no speaker clearly asks the questions; name them: `qualcode speakers --interviewer LABEL --transcript NAME`"
        )
    if not guesses:
        note("no transcript without an interviewer has a speaker who clearly asks the questions" if unclear else
             "every transcript of several speakers has an interviewer already")  # fmt: skip
        return False
    for g in guesses:
        where = "in this transcript only" if g.numbered else "in every transcript"
        echo(f"{g.transcript}: {g.speaker} asks questions in {g.asked} of {g.turns} turns -> interviewer {where}", err=True)
    if not yes:
        confirm(f"make these {len(guesses)} speaker(s) interviewers?", what="making them interviewers")
    wanted = {g.transcript: ([g.speaker], g.speakers) for g in guesses if g.numbered}
    for name, label in project.make_interviewers_in(wanted):
        note(f"{label} is an interviewer in {name} from now on: added to interviewers in qualcode.yaml")
    for label in project.make_interviewers(g.speaker for g in guesses if not g.numbered):
        note(f"{label} is an interviewer from now on: added to interviewer_speakers in qualcode.yaml")
    return True


def _by_label(row: tuple[str, str | None, str | None, int]) -> tuple[str, str]:
    """A speakers row's label and stored role, for grouping (no label sorts first)."""
    return (row[1] or "", row[2] or "")


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
    from ..reanchor import edits
    from ..reimport import reimport as run_reimport

    project = state.project()
    tid = resolve_transcript(project.store, transcript)
    result = run_reimport(project, tid, file, encoding=encoding, dry_run=dry_run)
    if result.unchanged:
        echo(f"{result.name}: the text of {result.source} is unchanged; nothing to do")
        return
    moved = sum(p.how in ("moved", "whitespace") for p in result.placements)
    kept = sum(p.how == "unchanged" for p in result.placements)
    edited = [p for p in result.placements if p.how == "edited"]
    verb = "would move" if dry_run else "moved"
    inside = f", {len(edited)} edited inside kept" if edited else ""
    echo(f"{result.name}: {kept} coding(s) in place, {verb} {moved}{inside}, {len(result.detached)} cannot be placed")
    for placement in edited:
        c = placement.coding
        assert placement.start is not None and placement.end is not None  # placed
        changes = edits(c.quote, result.new_text[placement.start : placement.end])
        shown = "; ".join(f"{shorten(old) or '(added)'} -> {shorten(new) or '(removed)'}" for old, new in changes[:3])
        more = f" and {len(changes) - 3} more" if len(changes) > 3 else ""
        keeps = "would keep" if dry_run else "keeps"
        warn(f"coding {c.id} ({c.code_id}) {keeps} its place, edited inside ({shown}{more}): {shorten(c.quote)!r}")
    detached_ids = {} if dry_run else {d.coding_id: d.id for d in project.store.codings.detached(tid)}
    for placement in result.detached:
        c = placement.coding
        if dry_run:
            warn(f"would detach coding {c.id} ({c.code_id}): {shorten(c.quote)!r}")
        else:
            warn(
                f"coding {c.id} ({c.code_id}) is detached as detached coding {detached_ids.get(c.id, '?')}: {shorten(c.quote)!r}"
            )
    if result.detached and not dry_run:
        note(
            "detached codings are kept: `qualcode codings --detached` lists them; give each a place with"
            " `qualcode codings reattach ID --text QUOTE` (or --turn/--span), or `qualcode codings discard ID`"
        )


@main.command()
@pass_state
def check(state: State) -> None:
    """Check the project's health: orphaned codings, changed sources, codebook problems."""
    from ..health import PROBLEM, Finding, check_project

    def show(finding: Finding) -> None:  # as soon as it is found: the whole check reads every text
        styled(f"{finding.severity}: ", finding.message, fg="red" if finding.severity == PROBLEM else "yellow")
        if finding.hint:
            echo(f"  hint: {finding.hint}")

    report = check_project(state.project(), show)
    summary = f"{report.transcripts} transcript(s), {report.codings} coding(s), {report.codes} code(s)"
    if report.ok:
        echo(f"ok: {summary}")
    else:
        raise error(CHECK_PROBLEMS, count=sum(f.severity == PROBLEM for f in report.findings), summary=summary)
