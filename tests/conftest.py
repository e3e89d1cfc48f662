"""Shared fixtures: every test gets its own database file, a fixed "now" and a fixed
terminal width, so output is the same on every machine."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

# Wednesday 23 December 2026, 10:00 UK time: the Christmas bank holidays are two days away.
NOW = "2026-12-23 10:00"

REFERRAL = [
    "--subject-name", "John Smith", "--subject-dob", "01/02/1980", "--subject-role", "PE teacher",
    "--employment", "paid", "--employer", "Oak Primary School", "--sector", "education",
    "--concern-arose", "22/12/2026 16:30", "--received", "23/12/2026 09:15",
    "--source", "parent-carer", "--category", "physical", "--criteria", "harm", "--criteria", "risk",
    "--summary", "Grabbed a pupil by the arm in a PE lesson.",
    "--child-name", "Amy Jones", "--child-dob", "03/04/2016",
    "--referrer-name", "Ann Head", "--referrer-role", "Head teacher",
    "--referrer-org", "Oak Primary School", "--referrer-contact", "01632 960001",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("LADO_DB", str(tmp_path / "lado.db"))
    monkeypatch.setenv("LADO_NOW", NOW)
    monkeypatch.setenv("LADO_USER", "tester")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    for var in ("LADO_PROFILE", "LADO_NO_INPUT", "LADO_DEBUG", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def lado():
    """Run `lado ARGS...` in-process; returns the click Result (exit_code, stdout, stderr)."""
    from lado_cli.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


def with_flags(base: list[str], **changes: str | None) -> list[str]:
    """`base` with some flags replaced (value None: removed). Keys use _ for -."""
    out, i = [], 0
    changes = {f"--{k.replace('_', '-')}": v for k, v in changes.items()}
    while i < len(base):
        flag, value = base[i], base[i + 1]
        if flag in changes:
            if changes[flag] is not None and flag not in out:
                out += [flag, changes[flag]]
        else:
            out += [flag, value]
        i += 2
    out += [x for k, v in changes.items() if k not in base and v is not None for x in (k, v)]
    return out
