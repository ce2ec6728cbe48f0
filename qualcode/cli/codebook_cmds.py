"""`qualcode codebook ...`: check, show and pick the project's codebook."""

from __future__ import annotations

from pathlib import Path

import click

from ..codebook import check_codebook, load_codebook
from ..errors import CODEBOOKS_PROBLEMS, FILE_NOT_FOUND, NOT_A_CODEBOOK_HERE, QualcodeError, error
from ..suggest.patterns import pattern_problems
from .base import State, main, pass_state
from .render import echo, emit, format_option, guard_option, note


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
            raise error(FILE_NOT_FOUND, path=path)
        problems = check_codebook(path)
        if not problems:
            book = load_codebook(path)
            problems = pattern_problems(book)
        for problem in problems:
            echo(str(problem))
        if not problems:
            echo(f"{path}: ok ({len(book)} codes)")
        total += len(problems)
    if total:
        raise error(CODEBOOKS_PROBLEMS, total=total, files=len(files))


@codebook.command("show")
@format_option
@guard_option
@pass_state
def show(state: State, fmt: str, raw: bool) -> None:
    """Show the project's code tree with keys and coding counts.

    codings: every coder's codings of the code and its sub-codes, as the app's code
    list and `qualcode stats frequencies` count them; own: of the code itself.
    """
    project = state.project()
    book = project.codebook
    own = project.store.codings.counts_by_code()
    counts = book.rolled_up(own)
    rows = []
    for code in book.walk():
        label = "  " * book.depth(code.id) + code.name if fmt == "table" else code.name
        n = counts.get(code.id, 0)
        rows.append((code.id, label, code.key or "", code.color, n, own.get(code.id, 0), book.path_of(code.id)))
    emit(rows, ["id", "name", "key", "color", "codings", "own", "path"], fmt, right=("codings", "own"), neutralise=not raw)


@codebook.command("use")
@click.argument("file", required=False)
@pass_state
def use(state: State, file: str | None) -> None:
    """Pick the project's codebook when codebooks/ holds several (writes `codebook:` in qualcode.yaml).

    FILE is a file name in codebooks/ (e.g. codeboek.yaml) or a path inside the
    project. Without FILE: list the codebooks and say which one is used.
    """
    from ..project import Project

    project = Project.open(state.project_dir)  # the store is not needed (nor created) for this
    files = project.codebook_files()
    if file is None:
        try:
            current = project.codebook_path
        except QualcodeError as exc:
            current = None
            note(exc.message)
        for path in files:
            echo(f"{'*' if current is not None and path.resolve() == current.resolve() else ' '} {project.relative(path)}")
        return
    path = next((p for p in files if file in (p.name, p.stem)), None) or (project.root / file)
    if not path.is_file() and Path(file).is_file():
        path = Path(file)
    if not path.is_file():
        raise error(NOT_A_CODEBOOK_HERE, path=file, names=", ".join(p.name for p in files) or "none")
    value = project.use_codebook(path)
    echo(f"the project's codebook is now {value}")
