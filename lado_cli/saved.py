"""What this command has committed, so that no error printed after a commit says "nothing
was saved" (issue #12: a retry would make a duplicate).

`Database.begin()` calls `committed()` once its transaction has committed; a command that
knows what it saved names it with `name()` (e.g. the new case's reference). `LadoGroup`
(lado_cli/cli/app.py) resets this at the start of each command and words every error with
`phrase()`. Pure standard library, imported by `lado --help` too.
"""

from __future__ import annotations

_commits = 0
_names: list[str] = []


def reset() -> None:
    global _commits
    _commits = 0
    _names.clear()


def committed() -> None:
    """A transaction of this command has just committed."""
    global _commits
    _commits += 1


def name(label: str) -> None:
    """Say what was saved (a case reference), for the messages of `phrase()`."""
    if label not in _names:
        _names.append(label)


def any_saved() -> bool:
    return _commits > 0


def phrase() -> str | None:
    """"Saved LADO-2026-0003" (or "The change was saved"), or None when nothing was committed."""
    if not _commits:
        return None
    return f"Saved {', '.join(_names)}" if _names else "The change was saved"
