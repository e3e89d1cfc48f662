"""The README cannot drift: its set-up commands are CI's; every console example is marked
`<!-- run: LADO_NOW -->` and is real output, re-run here in order in one database at 80 columns
as LADO_USER=a.officer, or is marked `<!-- not run: WHY -->` (a server, a terminal, a key);
and every `lado ...` command line anywhere in it, run or not, parses exactly: each command
and subcommand exists and each --flag is an option of that very command.

To refresh those examples after a deliberate change of output:
    .venv/bin/python tests/test_docs.py --write
"""

from __future__ import annotations

import contextlib
import os
import re
import shlex
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_PATH = ROOT / "README.md"
README = README_PATH.read_text(encoding="utf-8")
#: `<!-- run: NOW -->`, or `<!-- run on SQLite: NOW -->` for output only a SQLite file gives (on
#: PostgreSQL its commands still run, in order, but their output is not compared), or
#: `<!-- run as referrer[ on SQLite]: NOW -->` for a referrer's database (issue #11), a second
#: one, run in order too.
RUN_BLOCK = re.compile(r"<!-- (?P<run>run|run on SQLite|run as referrer|run as referrer on SQLite): (?P<now>[^>]+?) -->\n```console\n(?P<body>.*?)```", re.S)
CONSOLE_BLOCK = re.compile(r"(?P<mark><!-- (?:run|run on SQLite|run as referrer|run as referrer on SQLite|not run): [^>]+? -->\n)?```console\n(?P<body>.*?)```", re.S)
#: The environment of every example: the actor and the terminal width are set, never inherited.
EXAMPLE_ENV = {"LADO_USER": "a.officer", "COLUMNS": "80", "TERM": "dumb", "LADO_PROFILE": None, "LADO_NO_INPUT": None, "LADO_KEY": None}


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


def _workdir(tmp: str) -> Path:
    """The examples' working folder: a new one (files they write, such as `lado send --out
    outbox`, stay out of the repository) where `examples/` is the repository's."""
    work = Path(tmp) / "work"
    work.mkdir()
    (work / "examples").symlink_to(ROOT / "examples")
    return work


#: How the README names the referrer's database, wherever the examples really keep it.
REFERRER_DB = "~/school/lado.db"


def _shown(url: str) -> str:
    from lado_cli.store.db import display_url, resolve_url

    return display_url(resolve_url(url))


def run_examples(write: bool = False, db: str | None = None, referrer_db: str | None = None) -> list[tuple[str, str, str]]:
    """Run every marked example in one new database (`db`, else a file in a temporary
    directory; the referrer's examples in `referrer_db`, likewise); return (command, shown,
    real) for each that differs."""
    from typer.testing import CliRunner

    from conftest import after_first_run_notice

    from lado_cli.cli.app import app

    runner, diffs, text = CliRunner(), [], README
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(_workdir(tmp)):
        env = {"LADO_DB": db or str(Path(tmp) / "readme.db"), **EXAMPLE_ENV}
        referrer_env = {**env, "LADO_DB": referrer_db or str(Path(tmp) / "referrer.db")}
        for match in RUN_BLOCK.finditer(README):
            new_body = []
            for written, argv, shown in _commands(match["body"]):
                r = runner.invoke(app, argv, env={**(referrer_env if match["run"].startswith("run as referrer") else env), "LADO_NOW": match["now"]})
                real = _norm(r.stderr + r.stdout).replace(_shown(referrer_env["LADO_DB"]), REFERRER_DB)
                server = "://" in env["LADO_DB"]
                # A server database exists before the first command, which then gives the
                # first-run notice at once rather than when it saves (tests/test_setup.py).
                same = _norm(after_first_run_notice(real + "\n")) == _norm(after_first_run_notice(_norm(shown) + "\n")) if server else False
                if real != _norm(shown) and not same and not (match["run"].endswith("on SQLite") and server):
                    diffs.append((shlex.join(["lado", *argv]), shown, real))
                new_body.append(written + "\n" + real)
            if write:
                text = text.replace(match.group(0), f"<!-- {match['run']}: {match['now']} -->\n```console\n" + "\n".join(new_body) + "\n```")
    if write:
        README_PATH.write_text(text, encoding="utf-8")
    return diffs


def test_ci_runs_the_readme_install_and_test_commands():
    install, tests = blocks("sh")[:2]
    ci = (ROOT / ".ci" / "run").read_text()
    install_cmd = install.strip().removesuffix("&& .venv/bin/lado refer").strip()
    assert install_cmd in ci
    assert tests.strip() in ci


# -- every lado command line parses ------------------------------------------------------------

_STOP = {"|", ">", "<", "&&", "||", ";", "#", "2>", ">>"}


def command_lines(text: str = README) -> list[str]:
    """Every `lado ...` command line of the README: in code blocks (console `$ lado`, sh lines,
    continued with a backslash) and in inline code spans, run or not."""
    lines = []
    for body in re.findall(r"```[a-z]*\n(.*?)```", text, flags=re.S):
        joined = re.sub(r"\s*\\\n\s*", " ", body)
        for line in joined.splitlines():
            line = line.removeprefix("$ ")
            if re.match(r"^(?:[A-Z_]+=\S* )*(?:\.venv/bin/)?lado(?: |$)", line) or " && .venv/bin/lado " in line + " ":
                lines.append(line)
    prose = re.sub(r"```.*?```", "", text, flags=re.S)
    lines += [span for span in re.findall(r"`([^`\n]+)`", prose) if re.match(r"^(?:[A-Z_]+=\S* )*lado ", span)]
    return lines


def check_command_line(line: str) -> list[str]:
    """Problems with one command line: an unknown command, or a --flag the command does not have."""
    import typer
    import typer.main

    from lado_cli.cli.app import app

    try:
        tokens = shlex.split(line, comments=True)
    except ValueError as err:
        return [f"{line}: cannot be split ({err})"]
    start = next((i for i, tok in enumerate(tokens) if tok.endswith("bin/lado") or tok == "lado"), None)
    if start is None:
        return [f"{line}: no lado command"]
    tokens = tokens[start + 1 :]
    for i, tok in enumerate(tokens):
        if tok in _STOP or tok.startswith((">", "<", "2>")):
            tokens = tokens[:i]
            break
    command = typer.main.get_command(app)
    ctx = typer.Context(command, info_name="lado")
    names, problems, i = ["lado"], [], 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.startswith("-") and tok not in ("-", "..."):
            flag = tok.split("=", 1)[0]
            option = next((p for p in command.params if p.param_type_name == "option" and flag in p.opts + p.secondary_opts), None)
            if flag in ("--help", "-h"):
                continue
            if option is None:
                problems.append(f"{line}: {' '.join(names)} has no option {flag}")
            elif not option.is_flag and not option.count and "=" not in tok:
                i += 1  # its value
        elif hasattr(command, "get_command"):  # a group: the token names its command
            sub = command.get_command(ctx, tok)
            if sub is None:
                problems.append(f"{line}: {' '.join(names)} has no command {tok!r}")
                break
            names.append(tok)
            command, ctx = sub, typer.Context(sub, info_name=tok, parent=ctx)
    return problems


def test_every_lado_command_line_in_the_readme_parses():
    lines = command_lines()
    assert len(lines) > 60
    problems = [p for line in lines for p in check_command_line(line)]
    assert not problems, "\n".join(problems)


def test_the_command_line_check_can_fail():
    assert check_command_line("lado refer --subject-name X --no-input") == []
    assert check_command_line("lado --profile examples/p.toml profile show --format json") == []
    assert check_command_line("LADO_KEY= lado list < /dev/null") == []
    assert check_command_line("lado refer --subject-nam X") == ["lado refer --subject-nam X: lado refer has no option --subject-nam"]
    assert check_command_line("lado db inti") == ["lado db inti: lado db has no command 'inti'"]
    assert check_command_line("lado list --fail-on-overdue") == ["lado list --fail-on-overdue: lado list has no option --fail-on-overdue"]
    assert check_command_line("lado due --format html --fail-on-overdue") == []
    # A flag of the root is not one of a command's, and the other way round.
    assert check_command_line("lado list --db x.db") == ["lado list --db x.db: lado list has no option --db"]
    assert command_lines("```sh\nlado db init \\\n   --encrypt\n```\nthen `lado rules R12` and `lado`.") == [
        "lado db init --encrypt", "lado rules R12"]


def test_every_console_block_is_run_or_says_why_not():
    blocks = list(CONSOLE_BLOCK.finditer(README))
    assert blocks
    unmarked = [m["body"].splitlines()[0] for m in blocks if not m["mark"]]
    assert not unmarked, unmarked
    not_run = [m for m in blocks if m["mark"].startswith("<!-- not run")]
    assert len(not_run) <= 3, [m["mark"] for m in not_run]  # the exceptions stay few


def test_readme_examples_are_real_output(monkeypatch, new_db):
    monkeypatch.chdir(ROOT)  # examples name files such as examples/referrals.csv
    for var in ("LADO_DB", "LADO_NOW", "LADO_USER", "COLUMNS"):
        monkeypatch.delenv(var, raising=False)
    assert RUN_BLOCK.search(README)
    from conftest import login_as

    diffs = run_examples(db=login_as(new_db("readme"), "a.officer"),  # on PostgreSQL the actor is the login role
                         referrer_db=login_as(new_db("referrer"), "a.officer"))  # fmt: skip
    assert not diffs, "\n\n".join(f"$ {cmd}\n--- README:\n{shown}\n--- real:\n{real}" for cmd, shown, real in diffs)


if __name__ == "__main__":
    if "--write" in sys.argv:
        from lado_cli.cli import context

        # As under pytest (conftest.py): the examples' officer is the OS login too, so SQLite
        # records "a.officer", not "root (as a.officer)".
        context.os_user = lambda: (os.environ.get("LADO_USER") or "").strip() or "a.officer"
        os.environ.pop("LADO_DB", None)
        os.chdir(ROOT)
        left = run_examples(write=True)
        print(f"README examples refreshed ({len(left)} changed).")
