"""The ``qualcode`` command group, its shared options and its error handling."""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

import click

from .. import __version__
from ..errors import QualcodeError
from ..project import CONFIG_NAME, Project, find_project, sample_project_dir
from ..termsafe import one_line
from .render import echo, note, styled, warn


@dataclass
class State:
    """What every command needs: where the project is and who is coding."""

    project_dir: Path | None = None
    coder_option: str | None = None
    _project: Project | None = None

    @property
    def coder(self) -> str:
        from ..userconfig import resolve_coder

        return resolve_coder(self.coder_option)

    def project(self, *, auto_import: bool = True, fallback_to_sample: bool = False, notices: list[str] | None = None) -> Project:
        """Open the project (``--project``, else the folder around the current one).

        What opening it did (a first import, codes gone from the codebook) is printed
        on stderr, or collected in ``notices`` for the app to show when it starts
        (printed before the app, it would be seen only after quitting).
        """
        say = note if notices is None else notices.append
        caution = warn if notices is None else (lambda text: notices.append("warning: " + text))
        if self._project is None:
            root = self.project_dir
            if root is None and fallback_to_sample and find_project() is None:
                root = sample_project_dir()
            self._project = Project.open(root)
            context = click.get_current_context(silent=True)
            if context is not None:  # closed when the command ends, however it ends (not left to the collector)
                context.find_root().call_on_close(self.close)
            self._project.on_lock_wait = note
            # A bare folder of codebooks/ and transcripts/ (like the bundled sample) is
            # imported on first use; a project made with `qualcode init` (it has a
            # qualcode.yaml) imports only when asked to.
            bare = not (self._project.root / CONFIG_NAME).exists()
            if not bare and not self._project.db_path.exists():  # made by `qualcode init`, which made its store too
                caution(STORE_MISSING.format(db=self._project.db_path))
            if bare and auto_import and self._project.awaits_first_import():
                # Checked first: the import machinery costs ~30 ms to load.
                from ..importing import auto_import as run_auto_import

                result = run_auto_import(self._project)
                if result is not None:
                    say(
                        f"created {self._project.relative(self._project.db_path)} and imported"
                        f" {len(result.imported)} transcript(s) and {result.codings_added} coding(s) from transcripts/"
                    )
                    for message in result.warnings:
                        caution(message)
            sync = self._project.sync_codebook()
            for message in self._project.warnings:  # what opening the store found (a codebook change it could not finish)
                caution(message)
            self._project.warnings.clear()
            if sync.missing:
                caution(
                    f"{len(sync.missing)} code(s) in the store are no longer in the codebook: {', '.join(sync.missing)};"
                    " their codings are kept (see `qualcode check`)"
                )
        return self._project

    def close(self) -> None:
        """Close the project's store (its SQLite connection), if one was opened."""
        if self._project is not None:
            self._project.close()
            self._project = None


pass_state = click.make_pass_decorator(State, ensure=True)


def report_error(exc: QualcodeError) -> None:
    """Each problem, the message and the hint on a line of its own: a line break inside one (a
    file name, a quote, a name typed with one) is shown as ``\\n``, not as a new line that
    reads as a message of its own."""
    for problem in exc.problems:
        echo(one_line(str(problem)), err=True)
    styled("error: ", one_line(exc.message), err=True, fg="red", bold=True)
    if exc.hint:
        styled("hint: ", one_line(exc.hint), err=True, fg="cyan")


STORE_MISSING = (
    "{db} was not there, so a new, empty store was started: codings and memos live only in that"
    " file; if it was moved or lost, put it back in place of the new one before you code"
)
PROJECT_HELP = "Project folder (default: the folder around the current one; env QUALCODE_PROJECT)."
CODER_HELP = "Coder name recorded on new codings (default: the saved name; env QUALCODE_CODER)."


def _set_project(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(State).project_dir = value


def _set_coder(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.ensure_object(State).coder_option = value
        ctx.meta[_CODER_GIVEN] = value


CODERS_KEY = "qualcode.coders"  # the --coders filter of the commands that take it (export_cmds.coders_filter_option)
_CODER_GIVEN = "qualcode.coder_given"  # --coder after a command's name (not the top-level option or QUALCODE_CODER)
CODER_IS_NO_FILTER = "--coder names who makes new codings; to see only {name}'s codings, use --coders {name}"


def _say_coder_is_no_filter(ctx: click.Context) -> None:
    """``qualcode codings --coder anna`` reads as a filter but names the coder of new codings:
    said when the command has a --coders filter and none was given (else anna's codings look like everyone's)."""
    name = ctx.meta.get(_CODER_GIVEN)
    if name is None or not any("--coders" in getattr(p, "opts", ()) for p in ctx.command.params):
        return
    if ctx.params.get("coder_names") or ctx.meta.get(CODERS_KEY):
        return
    note(CODER_IS_NO_FILTER.format(name=name))


def _shared_options(params: list[click.Parameter]) -> None:
    """Add ``--project`` and ``--coder`` to a command that lacks them.

    The README promises both "with every command": `qualcode transcripts --project X`
    works as well as `qualcode --project X transcripts`. The environment variables
    are read by the top-level options only, so an option given here always wins.
    """
    taken = {opt for p in params for opt in getattr(p, "opts", ())}
    if "--project" not in taken:
        params.append(
            click.Option(
                ["--project"], type=click.Path(file_okay=False, path_type=Path), expose_value=False,
                callback=_set_project, help=PROJECT_HELP,
            )
        )  # fmt: skip
    if "--coder" not in taken:
        params.append(click.Option(["--coder"], expose_value=False, callback=_set_coder, help=CODER_HELP))


class _Shared:
    """What every qualcode command and sub-group shares: ``--project`` and ``--coder``
    after its name, and the word on a ``--coder`` that reads as a filter."""

    params: list[click.Parameter]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _shared_options(self.params)

    def invoke(self, ctx: click.Context):
        _say_coder_is_no_filter(ctx)
        return super().invoke(ctx)  # type: ignore[misc]  # click's Command or Group, next in the MRO


class QualcodeCommand(_Shared, click.Command):
    """Every qualcode command: also accepts ``--project`` and ``--coder`` after its name."""


class QualcodeSubgroup(_Shared, click.Group):
    """A command group under ``qualcode`` (``stats``, ``codebook``, ...), with the shared options."""

    command_class = QualcodeCommand
    group_class = type  # groups inside it are of this class too

    def resolve_command(self, ctx: click.Context, args: list[str]):
        """A listing group given a transcript's name (``qualcode codings 02_cjg``, as ``show``
        and ``code`` take it) says how to name one, instead of only "No such command"."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            name = args[0] if args else ""
            if not name or name.startswith("-") or not any("--transcript" in getattr(p, "opts", ()) for p in self.params):
                raise
            raise click.UsageError(
                f"{exc.message} To list one transcript's {self.name}: "
                f"qualcode {self.name} --transcript {shlex.quote(one_line(name))}",
                ctx,
            ) from exc


# Each command and the modules (of qualcode.cli) that define it or add sub-commands to it.
# Only the invoked command's modules are imported: importing all of them (and what they
# import) cost ~0.2 s before every command. `qualcode --help` and shell completion list
# every command, which imports them all. tests/test_cli_lazy.py checks this table.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "agreement": ("team_cmds",),
    "blind": ("team_cmds",),
    "check": ("project_cmds",),
    "code": ("coding_cmds",),
    "codebook": ("codebook_cmds", "exchange_cmds"),
    "coders": ("team_cmds",),
    "codings": ("coding_cmds",),
    "disagreements": ("team_cmds",),
    "export": ("export_cmds", "exchange_cmds"),
    "import": ("project_cmds",),
    "init": ("project_cmds",),
    "memo": ("coding_cmds",),
    "merge": ("team_cmds",),
    "open": ("project_cmds",),
    "pseudonymise": ("pseudo_cmds",),
    "reimport": ("project_cmds",),
    "settle": ("team_cmds",),
    "show": ("transcript_cmds",),
    "speakers": ("project_cmds",),
    "stats": ("stats_cmds",),
    "suggest": ("suggest_cmds",),
    "suggestions": ("suggest_cmds",),
    "transcripts": ("transcript_cmds",),
    "trash": ("trash_cmds",),
    "uncode": ("coding_cmds",),
}


class QualcodeGroup(click.Group):
    """The ``qualcode`` group: loads a command's module when it is used, prints user errors
    without a traceback and accepts ``qualcode DIR``."""

    command_class = QualcodeCommand
    group_class = QualcodeSubgroup

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *COMMAND_MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        # Every module of the command, even when it is registered already: another module
        # may have imported the one that defines it but not the one that adds to it.
        for module in COMMAND_MODULES.get(cmd_name, ()):
            import_module(f"{__package__}.{module}")
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            _refuse_non_utf8(args)
        except QualcodeError as exc:
            report_error(exc)
            ctx.exit(1)
        # `qualcode mystudy` opens the project in mystudy (the TUI), like `qualcode open mystudy`.
        if args and not args[0].startswith("-") and args[0] not in self.list_commands(ctx) and Path(args[0]).is_dir():
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            report_error(exc)
            ctx.exit(1)
        except KeyboardInterrupt:
            echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `qualcode codings | head`: the reader left; not an error of ours.
            sys.stderr.close()
            ctx.exit(0)
        except Exception as exc:
            # A damaged database shows when a query reaches the broken page, which may be
            # while rows are read, outside the store's statements.
            from ..store.db import damage_error

            state = ctx.find_object(State)
            opened = state._project if state is not None else None
            damaged = damage_error(exc, str(opened.db_path) if opened is not None else "the project database")
            if damaged is None:
                raise
            report_error(damaged)
            ctx.exit(1)


def _refuse_non_utf8(args: list[str]) -> None:
    """Refuse an argument holding bytes that are not UTF-8 (a name, memo or coder typed in
    another encoding): stored, it would fail deep inside. A path that exists, or the file
    --out names, may have such a name: files are found by their bytes."""
    from ..ingest.paths import refuse_non_utf8

    for before, arg in zip(["", *args], args, strict=False):
        if before in ("-o", "--out") or arg.startswith("--out=") or os.path.lexists(arg):
            continue
        refuse_non_utf8(arg, "the argument")


@click.group(cls=QualcodeGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project", "project_dir", type=click.Path(file_okay=False, path_type=Path), envvar="QUALCODE_PROJECT", help=PROJECT_HELP
)
@click.option("--coder", "coder", envvar="QUALCODE_CODER", help=CODER_HELP)
@click.version_option(__version__, prog_name="qualcode")
@click.pass_context
def main(ctx: click.Context, project_dir: Path | None, coder: str | None) -> None:
    """qualcode: keyboard-first qualitative coding of interview transcripts.

    Run without a command to open the coding screen on the project in the current
    folder (or the bundled Dutch sample project). `qualcode DIR` opens DIR.
    """
    state = ctx.ensure_object(State)
    state.project_dir = project_dir
    state.coder_option = coder
    if ctx.invoked_subcommand is None:
        command = main.get_command(ctx, "open")
        assert command is not None  # listed in COMMAND_MODULES
        ctx.invoke(command)
