"""The README cannot drift: its set-up commands are CI's, its examples are real output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_install_and_test_commands():
    install, tests = blocks("sh")[:2]
    ci = (ROOT / ".ci" / "run").read_text()
    install_cmd = install.strip().removesuffix("&& .venv/bin/lado refer").strip()
    assert install_cmd in ci
    assert tests.strip() in ci


def test_every_command_in_the_readme_exists(lado):
    commands = set(re.findall(r"^\$ lado ((?:--\S+ \S+ )?[a-z]+(?: [a-z]+)?)", README, flags=re.M))
    assert commands
    for cmd in commands:
        words = [w for w in cmd.split() if not w.startswith("--") and "/" not in w and not w.endswith(".toml")]
        r = lado(*words[:2], "--help")
        if r.exit_code != 0:  # a one-word command followed by an argument word
            r = lado(words[0], "--help")
        assert r.exit_code == 0, cmd


def test_every_refer_flag_in_the_readme_is_real(lado):
    help_text = lado("refer", "--help").stdout
    section = README.split("## Recording a referral")[1].split("## Looking at cases")[0]
    for flag in set(re.findall(r"`(--[a-z-]+)", section)) | set(re.findall(r"(--[a-z-]+)", section)):
        assert flag in help_text, flag


def _example(start: str) -> tuple[list[str], str]:
    """The console example `$ lado <start>...`: its argv and the lines it printed."""
    for block in blocks("console"):
        lines = block.splitlines()
        for n, line in enumerate(lines):
            if line.startswith(f"$ lado {start}"):
                cmd, i = line[2:], n + 1
                while cmd.endswith("\\"):
                    cmd = cmd[:-1] + lines[i].strip()
                    i += 1
                end = next((j for j in range(i, len(lines)) if lines[j].startswith("$ ")), len(lines))
                return shlex.split(cmd)[1:], "\n".join(lines[i:end]) + "\n"
    raise AssertionError(f"no example for lado {start}")


def test_readme_referral_example_is_real_output(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-24 11:00")
    monkeypatch.setenv("LADO_USER", "a.officer")
    monkeypatch.setenv("COLUMNS", "90")
    argv, shown = _example("refer --no-input \\")
    r = lado(*argv)
    assert r.exit_code == 0
    assert r.stderr + r.stdout == shown
    for start in ("show LADO-2026-0001", "list"):
        argv, shown = _example(start)
        out = lado(*argv).stdout
        assert [ln.rstrip() for ln in out.strip().splitlines()] == [ln.rstrip() for ln in shown.strip().splitlines()], start
