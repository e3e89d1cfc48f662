"""Where the key of an encrypted database comes from: an environment variable, else a
hidden prompt on a terminal. Never a command-line argument: other users of the machine can
read a process's arguments (`ps`), and shells keep them in their history.

Keys are used exactly as given (no stripping). A new key is asked twice, so a typing
mistake cannot lock the records away for good.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from lado_cli.errors import LadoError

KEY_ENV = "LADO_KEY"
NEW_KEY_ENV = "LADO_NEW_KEY"
MIN_NEW_KEY = 12  # a stolen file can be attacked offline: a passphrase of several words is best


def _valid(key: str, where: str) -> str:
    if not key:
        raise LadoError(f"{where}: the key is empty")
    if "\x00" in key:
        raise LadoError(f"{where}: the key contains a NUL character")
    return key


def check_new_key(key: str, where: str) -> str:
    _valid(key, where)
    if len(key) < MIN_NEW_KEY:
        raise LadoError(f"{where}: a new key must be at least {MIN_NEW_KEY} characters (a passphrase of several words is best)")
    return key


def _terminal() -> bool:
    from lado_cli.cli.context import can_prompt

    return can_prompt(False)


def _ask_hidden(message: str) -> str:
    import questionary

    from lado_cli.wizards.common import _ask

    return _ask(questionary.password(message, validate=lambda t: True if t else "The key cannot be empty."))


def current_key(path: object, check: Callable[[str], None] | None = None) -> str:
    """The key of the encrypted database at `path`: env LADO_KEY, else asked (hidden). A key
    typed at the prompt is tried with `check` (raising LadoError when wrong), and asked
    again, three times at most, so a typing slip does not end the command."""
    key = os.environ.get(KEY_ENV)
    if key:
        return _valid(key, f"env {KEY_ENV}")
    if not _terminal():
        raise LadoError(f"{path} is encrypted; set {KEY_ENV} to its key (or run lado on a terminal to be asked for it)")
    for attempt in range(3):
        key = _valid(_ask_hidden(f"Key for {path}:"), "the key")
        try:
            if check is not None:
                check(key)
            return key
        except LadoError:
            if attempt == 2:
                raise
            print("Wrong key; try again.")
    raise AssertionError("unreachable")


def new_key(env: str, purpose: str) -> str:
    """A new key: env `env`, else asked twice (hidden) on a terminal."""
    key = os.environ.get(env)
    if key:
        return check_new_key(key, f"env {env}")
    if not _terminal():
        raise LadoError(f"{purpose} needs a new key: set {env} (or run lado on a terminal to be asked for it)")
    for _ in range(3):
        first = _ask_hidden(f"New key (at least {MIN_NEW_KEY} characters):")
        try:
            check_new_key(first, "the new key")
        except LadoError as err:
            print(str(err).removeprefix("the new key: ").capitalize())
            continue
        if _ask_hidden("The same key again:") == first:
            return first
        print("The two keys differ; try again.")
    raise LadoError("no new key was agreed; nothing was changed")
