"""The `qualcode` group imports only the module of the command that runs (COMMAND_MODULES)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from importlib import import_module

import click

import qualcode.cli
from qualcode.cli.base import COMMAND_MODULES, main


def _defining_modules(command: click.Command) -> set[str]:
    """The qualcode.cli modules that define a command and every sub-command under it."""
    found = {command.callback.__module__.rsplit(".", 1)[-1]} if command.callback else set()
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found |= _defining_modules(sub)
    return found


def test_cli_lazy_table_names_every_command_and_its_modules():
    for info in pkgutil.iter_modules(qualcode.cli.__path__):
        import_module(f"qualcode.cli.{info.name}")
    assert set(main.commands) == set(COMMAND_MODULES)
    for name, command in main.commands.items():
        assert _defining_modules(command) <= set(COMMAND_MODULES[name]), name


def test_cli_lazy_help_lists_every_command(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line.strip()}
    assert listed == set(COMMAND_MODULES)


def test_cli_lazy_sub_commands_added_by_another_module_are_there(runner):
    # `export qdpx` and `codebook diff` come from exchange_cmds, not the group's own module.
    assert "qdpx" in runner.invoke(main, ["export", "--help"]).output
    assert "diff" in runner.invoke(main, ["codebook", "--help"]).output


def test_cli_lazy_a_command_loads_only_its_modules():
    script = (
        "import sys, json\n"
        "from qualcode.cli import main\n"
        "try:\n    main(['stats', 'frequencies', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('qualcode.cli.', 'rich', 'textual', 'spacy')))))"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    loaded = set(json.loads(out.splitlines()[-1]))
    assert {"qualcode.cli.base", "qualcode.cli.stats_cmds"} <= loaded
    assert not loaded & {"qualcode.cli.pseudo_cmds", "qualcode.cli.team_cmds", "qualcode.cli.suggest_cmds"}
    assert not any(m.startswith(("rich", "textual", "spacy")) for m in loaded)
