"""The ``qualcode`` command group, its shared options and its error handling."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from .. import __version__
from ..errors import QualcodeError
from ..project import CONFIG_NAME, Project, find_project, sample_project_dir
from .render import note, warn


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

    def project(self, *, auto_import: bool = True, fallback_to_sample: bool = False) -> Project:
        """Open the project (``--project``, else the folder around the current one)."""
        if self._project is None:
            root = self.project_dir
            if root is None and fallback_to_sample and find_project() is None:
                root = sample_project_dir()
            self._project = Project.open(root)
            self._project.on_lock_wait = note
            # A bare folder of codebooks/ and transcripts/ (like the bundled sample) is
            # imported on first use; a project made with `qualcode init` (it has a
            # qualcode.yaml) imports only when asked to.
            bare = not (self._project.root / CONFIG_NAME).exists()
            if bare and auto_import:
                from ..importing import auto_import as run_auto_import

                result = run_auto_import(self._project)
                if result is not None:
                    note(
                        f"created {self._project.relative(self._project.db_path)} and imported"
                        f" {len(result.imported)} transcript(s) and {result.codings_added} coding(s) from transcripts/"
                    )
                    for message in result.warnings:
                        warn(message)
            sync = self._project.sync_codebook()
            if sync.missing:
                warn(
                    f"{len(sync.missing)} code(s) in the store are no longer in the codebook: {', '.join(sync.missing)};"
                    " their codings are kept (see `qualcode check`)"
                )
        return self._project


pass_state = click.make_pass_decorator(State, ensure=True)


def report_error(exc: QualcodeError) -> None:
    for problem in exc.problems:
        click.echo(str(problem), err=True)
    click.echo(click.style("error: ", fg="red", bold=True) + exc.message, err=True)
    if exc.hint:
        click.echo(click.style("hint: ", fg="cyan") + exc.hint, err=True)


class QualcodeGroup(click.Group):
    """A click group that prints user errors without a traceback and accepts ``qualcode DIR``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # `qualcode mystudy` opens the project in mystudy (the TUI), like `qualcode open mystudy`.
        if args and not args[0].startswith("-") and args[0] not in self.commands and Path(args[0]).is_dir():
            args = ["open", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except QualcodeError as exc:
            report_error(exc)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            # `qualcode codings | head`: the reader left; not an error of ours.
            sys.stderr.close()
            ctx.exit(0)


@click.group(cls=QualcodeGroup, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="QUALCODE_PROJECT",
    help="Project folder (default: the folder around the current one; env QUALCODE_PROJECT).",
)
@click.option("--coder", "coder", envvar="QUALCODE_CODER", help="Coder name recorded on new codings (default: the saved name).")
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
        ctx.invoke(main.commands["open"])
