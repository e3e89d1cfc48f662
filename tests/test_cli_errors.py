"""How failures reach the user: one line on stderr, the right exit status, no traceback."""

from __future__ import annotations

import sqlite3

import pytest
import sqlalchemy as sa
import typer
from typer.testing import CliRunner

from lado_cli.cli.app import LadoGroup
from lado_cli.errors import LadoError


def run(exc: BaseException):
    app = typer.Typer(cls=LadoGroup)

    @app.command()
    def boom() -> None:
        raise exc

    @app.command()
    def other() -> None:  # two commands, so `boom` is a subcommand as in lado
        pass

    return CliRunner().invoke(app, ["boom"])


def test_busy_database_is_a_clear_line():
    r = run(sa.exc.OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked")))
    assert r.exit_code == 1
    assert r.stderr == "Error: busy: the database is locked by another user's change; nothing was saved: try again in a moment\n"


def test_unexpected_errors_name_no_data():
    r = run(KeyError("Jane Doe, 03/04/2016"))
    assert r.exit_code == 1 and "Jane Doe" not in r.stderr and "Traceback" not in r.stderr
    assert r.stderr.startswith("Error: unexpected KeyError; nothing was saved.")


def test_error_text_cannot_drive_the_terminal():
    r = run(LadoError("--subject-name: 'A\x1b[2J\x07B' is not valid"))
    assert "\x1b" not in r.stderr and "\x07" not in r.stderr and "␛" in r.stderr


@pytest.mark.parametrize("exc,code", [(LadoError("x", usage=True), 2), (KeyboardInterrupt(), 130)])
def test_exit_codes(exc, code):
    assert run(exc).exit_code == code
