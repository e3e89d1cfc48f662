"""Shared pieces of the questionary wizards.

A wizard asks only for fields not already given as flags, and returns plain answers
keyed by flag name. Ctrl-C raises KeyboardInterrupt (we use `unsafe_ask`), which the CLI
turns into exit 130 with nothing saved; Ctrl-D (end of input) is treated the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import questionary

from lado_cli.domain.profile import Option
from lado_cli.errors import FieldError


def checker(parse: Callable[[str], Any], optional: bool = False) -> Callable[[str], bool | str]:
    """A questionary validator built from a domain parser: True, or the problem in words."""

    def check(text: str) -> bool | str:
        if optional and not text.strip():
            return True
        try:
            parse(text)
        except FieldError as err:
            return f"'{err.value}' {err.problem}; expected {err.expected}"
        return True

    return check


def _ask(question: questionary.Question) -> Any:
    """Ask; Ctrl-D / end of input cancels like Ctrl-C (prompt_toolkit raises EOFError)."""
    try:
        return question.unsafe_ask()
    except EOFError:
        raise KeyboardInterrupt from None


def required(text: str) -> bool | str:
    return True if text.strip() else "This is needed."


def choices(options: Sequence[Option]) -> list[questionary.Choice]:
    return [questionary.Choice(title=o.label, value=o.slug) for o in options]


def select(message: str, options: Sequence[Option], default: str | None = None, extra: Sequence[questionary.Choice] = ()) -> Any:
    cs = choices(options) + list(extra)
    default_choice = next((c for c in cs if c.value == default), None)
    return _ask(questionary.select(message, choices=cs, default=default_choice, use_search_filter=True, use_jk_keys=False))


def text(message: str, *, default: str = "", validate: Callable[[str], bool | str] | None = required, instruction: str | None = None) -> str:
    answer = _ask(questionary.text(message, default=default, validate=validate, instruction=instruction))
    return answer.strip()


def confirm(message: str, default: bool = True) -> bool:
    return _ask(questionary.confirm(message, default=default))


def checkbox(message: str, options: Sequence[Option]) -> list[str]:
    return _ask(questionary.checkbox(message, choices=choices(options)))
