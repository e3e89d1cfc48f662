"""The README cannot drift: its set-up commands are CI's, and every console example marked
`<!-- run: LADO_NOW -->` is real output, re-run here in order in one database.

To refresh those examples after a deliberate change of output:
    .venv/bin/python tests/test_docs.py --write
"""

from __future__ import annotations

import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
RUN_BLOCK = re.compile(r"<!-- run: (?P<now>[^>]+?) -->\n```console\n(?P<body>.*?)```", re.S)


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def _commands(body: str) -> list[tuple[str, list[str], str]]:
    """(command as written, argv, printed text) for each `$ lado ...` of a console block."""
    lines, out, i = body.splitlines(), [], 0
    while i < len(lines):
        first, cmd, i = i, lines[i][2:], i + 1
        while cmd.endswith("\\"):
            cmd, i = cmd[:-1] + lines[i].strip(), i + 1
        written, start = "\n".join(lines[first:i]), i
        while i < len(lines) and not lines[i].startswith("$ "):
            i += 1
        out.append((written, shlex.split(cmd)[1:], "\n".join(lines[start:i])))
    return out


def _norm(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def run_examples(write: bool = False, db: str | None = None) -> list[tuple[str, str, str]]:
    """Run every marked example in one new database (`db`, else a file in a temporary
    directory); return (command, shown, real) for each that differs."""
    from typer.testing import CliRunner

    from lado_cli.cli.app import app

    runner, diffs, text = CliRunner(), [], README
    with tempfile.TemporaryDirectory() as tmp:
        env = {"LADO_DB": db or str(Path(tmp) / "readme.db"), "LADO_USER": "a.officer", "COLUMNS": "90", "TERM": "dumb", "LADO_PROFILE": None, "LADO_NO_INPUT": None}
        for match in RUN_BLOCK.finditer(README):
            new_body = []
            for written, argv, shown in _commands(match["body"]):
                r = runner.invoke(app, argv, env={**env, "LADO_NOW": match["now"]})
                real = _norm(r.stderr + r.stdout)
                if real != _norm(shown):
                    diffs.append((shlex.join(["lado", *argv]), shown, real))
                new_body.append(written + "\n" + real)
            if write:
                text = text.replace(match.group(0), f"<!-- run: {match['now']} -->\n```console\n" + "\n".join(new_body) + "\n```")
    if write:
        README_PATH.write_text(text, encoding="utf-8")
    return diffs


def test_ci_runs_the_readme_install_and_test_commands():
    install, tests = blocks("sh")[:2]
    ci = (ROOT / ".ci" / "run").read_text()
    install_cmd = install.strip().removesuffix("&& .venv/bin/lado refer").strip()
    assert install_cmd in ci
    assert tests.strip() in ci


def test_every_command_in_the_readme_exists(lado):
    names = set(re.findall(r"^\$ lado (?:--\S+ \S+ )?([a-z]+)(?: ([a-z]+))?", README, flags=re.M))
    assert names
    for name, sub in names:
        r = lado(name, sub, "--help") if sub and lado(name, sub, "--help").exit_code == 0 else lado(name, "--help")
        assert r.exit_code == 0, name


def test_every_refer_flag_in_the_readme_is_real(lado):
    help_text = lado("refer", "--help").stdout
    section = README.split("## Recording a referral")[1].split("## Looking at cases")[0]
    for flag in set(re.findall(r"(--[a-z-]+)", section)):
        assert flag in help_text, flag


def test_readme_examples_are_real_output(monkeypatch, new_db):
    monkeypatch.chdir(ROOT)  # examples name files such as examples/referrals.csv
    for var in ("LADO_DB", "LADO_NOW", "LADO_USER", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    assert RUN_BLOCK.search(README)
    from conftest import login_as

    diffs = run_examples(db=login_as(new_db("readme"), "a.officer"))  # on PostgreSQL the actor is the login role
    assert not diffs, "\n\n".join(f"$ {cmd}\n--- README:\n{shown}\n--- real:\n{real}" for cmd, shown, real in diffs)


if __name__ == "__main__":
    if "--write" in sys.argv:
        os.environ.pop("LADO_DB", None)
        os.chdir(ROOT)
        left = run_examples(write=True)
        print(f"README examples refreshed ({len(left)} changed).")
