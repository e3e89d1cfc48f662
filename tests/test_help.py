"""`lado --help` and every `lado <cmd> --help` read by a person at an 80-column terminal
(issue #13, item 2): commands grouped by what they are for, plain wrapped option help with
readable metavars (never Python type names), and one line naming the accepted values for a
bad option value, never a library's message."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len

from lado_cli.cli.app import PANELS, app

PYTHON_TYPES = re.compile(r"<(str|bool|int|float|path|list\[[^\]]*\]|datetime)>|\[x[<>]=?|\[\d+<=x")


def commands() -> list[list[str]]:
    import typer.main

    root = typer.main.get_command(app)
    out = []
    for name, cmd in root.commands.items():
        out.append([name])
        for sub in getattr(cmd, "commands", {}):
            out.append([name, sub])
    return out


@pytest.fixture
def at_80(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")


def test_every_command_has_a_help_panel_and_help_groups_them(lado, at_80):
    out = lado("--help").stdout
    for panel in PANELS:
        assert f"─ {panel} ─" in out, panel
    listed = {name for names in PANELS.values() for name in names}
    assert {c[0] for c in commands()} == listed  # a new command must be given a group
    # In the order of PANELS: intake first, set-up last.
    positions = [out.index(f"─ {panel} ─") for panel in PANELS]
    assert positions == sorted(positions)
    assert "<bool>" not in out


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_help_fits_80_columns_without_python_type_names(lado, at_80, command):
    r = lado(*command, "--help")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line for line in lines if cell_len(line) > 80] == []
    assert PYTHON_TYPES.findall(r.stdout) == []
    assert "…" not in r.stdout  # no option name or value cut short
    for line in lines:  # a flag's option name is never shown with a value placeholder
        assert not re.search(r"--(yes|no-input|complex|mine|all) [A-Z<]", line), line


def test_refer_help_is_short_enough_to_read(lado, at_80):
    lines = lado("refer", "--help").stdout.splitlines()
    core = lines[: lines.index("The concern (R42, R43):")]  # the referral itself; the optional intake facts follow in sections
    assert len(core) <= 80  # was 151 in a boxed five-column table
    assert len(lines) <= 140  # with the intake facts of R42-R44, R51 and the referral form, each section under its heading
    text = " ".join(lado("refer", "--help").stdout.split())
    assert "the last line printed is the new case reference" in text  # the docstring's sentence, rewrapped whole


@pytest.mark.parametrize("args, option, accepted", [
    (["list", "--status", "pending"], "--status", "'open', 'advice-only', 'closed'"),
    (["due", "--format", "xml"], "--format", "'table', 'json', 'csv'"),
    (["due", "--within", "-1"], "--within", "expected 0 or more"),
    (["due", "--within", "week"], "--within", "expected a whole number"),
])  # fmt: skip
def test_a_bad_option_value_is_one_line_naming_the_option(lado, args, option, accepted):
    r = lado(*args)
    assert r.exit_code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith(f"Error: {option}: ")
    assert accepted in lines[0]
    assert "Value error" not in r.stderr and "pydantic" not in r.stderr.lower()
