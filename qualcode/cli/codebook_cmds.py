"""`qualcode codebook ...`: check and show codebooks."""

from __future__ import annotations

from pathlib import Path

import click

from ..codebook import check_codebook, load_codebook
from ..errors import QualcodeError
from .base import State, main, pass_state
from .render import emit, format_option


@main.group()
def codebook() -> None:
    """Codebook commands: check, show, diff, merge, apply, rename, export/import REFI-QDA."""


@codebook.command("check")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@pass_state
def check_cmd(state: State, files: tuple[Path, ...]) -> None:
    """Validate codebook YAML files; print every problem as file:line:column: message.

    Without FILES, checks the project's codebook. Exits 1 if any problem is found.
    """
    if not files:
        files = (state.project(auto_import=False).codebook_path,)
    total = 0
    for path in files:
        if not path.exists():
            raise QualcodeError(f"{path}: no such file", "check the path")
        problems = check_codebook(path)
        for problem in problems:
            click.echo(str(problem))
        if not problems:
            book = load_codebook(path)
            click.echo(f"{path}: ok ({len(book)} codes)")
        total += len(problems)
    if total:
        raise QualcodeError(f"{total} problem(s) in {len(files)} codebook file(s)", "fix the lines listed above")


@codebook.command("show")
@format_option
@pass_state
def show(state: State, fmt: str) -> None:
    """Show the project's code tree with keys and coding counts."""
    project = state.project()
    book = project.codebook
    counts = project.store.codings.counts_by_code()
    rows = []
    for code in book.walk():
        label = "  " * book.depth(code.id) + code.name if fmt == "table" else code.name
        rows.append((code.id, label, code.key or "", code.color, counts.get(code.id, 0), book.path_of(code.id)))
    emit(rows, ["id", "name", "key", "color", "codings", "path"], fmt, right=("codings",))
