"""The documentation keeps up with the commands (in the manner of datasette's test_docs.py):
every command and option `marsad --help` lists is documented in the README or docs/, and every
command the README names exists."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from marsad.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REFERENCE = ROOT / "docs" / "commands.md"
FIX = "run .venv/bin/python scripts/cli-reference to rewrite docs/commands.md"


def _commands(cmd=main, path=("marsad",)):
    yield " ".join(path), cmd
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            yield from _commands(sub, path + (name,))


COMMANDS = dict(_commands())


def _sections() -> dict[str, str]:
    """docs/commands.md by command: '## `marsad ingest`' -> the text of its section."""
    text = REFERENCE.read_text(encoding="utf-8")
    parts = re.split(r"^## `([^`]+)`$", text, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_and_option_is_documented(name):
    section = _sections().get(name)
    assert section is not None, f"`{name}` is not in docs/commands.md: {FIX}"
    opts = [o for p in COMMANDS[name].params if isinstance(p, click.Option)
            for o in p.opts + p.secondary_opts if o.startswith("--")]
    missing = [o for o in opts if not re.search(rf"(?<![\w-]){re.escape(o)}(?![\w-])", section)]
    assert not missing, f"`{name}` options missing from docs/commands.md: {missing}; {FIX}"


def test_the_reference_lists_no_command_that_is_gone():
    gone = set(_sections()) - set(COMMANDS)
    assert not gone, f"docs/commands.md documents commands that do not exist: {sorted(gone)}; {FIX}"


_MARSAD = re.compile(r"(?<![\w/.-])marsad((?:\s+[a-z][a-z-]*(?:\|[a-z][a-z-]*)*)+)")


def readme_commands() -> set[str]:
    """The command paths the README names: `marsad gazetteer build|info` gives two."""
    found = set()
    for m in _MARSAD.finditer(README):
        path, cmd = "marsad", main
        for word in m.group(1).split():
            if not isinstance(cmd, click.Group):
                break              # the rest are the command's arguments
            names = word.split("|")
            for name in names:
                found.add(f"{path} {name}")
            if len(names) > 1 or names[0] not in cmd.commands:
                break
            path, cmd = f"{path} {names[0]}", cmd.commands[names[0]]
    return found


def test_every_command_the_readme_names_exists():
    named = readme_commands()
    assert {"marsad ingest", "marsad gazetteer lookup", "marsad ner train"} <= named   # the parser works
    assert not named - set(COMMANDS), f"the README names commands that do not exist: {sorted(named - set(COMMANDS))}"
