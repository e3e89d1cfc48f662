"""Shared pieces of the questionary wizards.

A wizard asks only for fields not already given as flags, and returns plain answers
keyed by flag name. Ctrl-C raises KeyboardInterrupt (we use `unsafe_ask`), which the CLI
turns into exit 130 with nothing saved; Ctrl-D (end of input) is treated the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

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


def checkbox(message: str, options: Sequence[Option], ticked: Sequence[str] = ()) -> list[str]:
    """Tick boxes; `ticked` slugs start ticked (e.g. the referral's criteria at the discussion)."""
    cs = [questionary.Choice(title=o.label, value=o.slug, checked=o.slug in ticked) for o in options]
    return _ask(questionary.checkbox(message, choices=cs))


# -- dates and times ------------------------------------------------------------------------
# Every question about a moment that can start or stop a clock wants a time: a date alone
# would be read as midnight and move a time limit hours early (R12, R13). Friendly words
# (today 09:15, 1 Sept 2026 10:30) are read by lado_cli.domain.friendly, day first; the
# answer comes back in the strict form the domain parsers read (dd/mm/yyyy hh:mm).

Clock = Callable[[], datetime]
MOMENT_HINT = "(dd/mm/yyyy hh:mm, or today 09:15)"
DAY_HINT = "(dd/mm/yyyy, or 1 Sept 2026)"


def moment(message: str, field: str, tz: ZoneInfo, clock: Clock, *, check: Callable[[str, datetime], Any] | None = None,
           default: str | None = "now", optional: bool = False) -> str | None:  # fmt: skip
    """Ask for a date and time. `clock` is read when the question is shown (the default
    'now') and again at each check, so 'now' is never the time the wizard started.
    `check(strict_text, now)` raises FieldError for a time the question cannot accept."""
    from lado_cli.domain.friendly import friendly_instant

    def parse(t: str) -> str:
        strict = friendly_instant(t, field, tz, clock())
        if check is not None:
            check(strict, clock())
        return strict

    prefill = f"{clock().astimezone(tz):%d/%m/%Y %H:%M}" if default == "now" else (default or "")
    answer = text(message, default=prefill, validate=checker(parse, optional=optional), instruction=MOMENT_HINT)
    return parse(answer) if answer else None


def day(message: str, field: str, tz: ZoneInfo, clock: Clock, *, check: Callable[[str], Any] | None = None,
        default: str = "", optional: bool = False, unknown: bool = False) -> str | None:  # fmt: skip
    """Ask for a calendar date. With `unknown`, a blank answer means 'not known' (the answer
    'unknown'): offered in the instruction, never pre-filled as text to be typed over."""
    from lado_cli.domain.friendly import friendly_date

    def parse(t: str) -> str:
        if unknown and t.strip().lower() in ("", "unknown", "not known"):
            return "unknown"
        strict = friendly_date(t, field, tz, clock())
        if check is not None:
            check(strict)
        return strict

    hint = "(dd/mm/yyyy; blank if not known)" if unknown else DAY_HINT
    answer = text(message, default=default, validate=checker(parse, optional=optional or unknown), instruction=hint)
    return parse(answer) if (answer or unknown) else None


# -- review before saving ----------------------------------------------------------------------


DISCARD = "__discard__"  # (a Choice valued None would answer its title)


class Interview:
    """The answers of one wizard, and how each was asked, so that at "Save?" the user can
    pick an answer to change instead of starting again. Answers given as flags are kept."""

    def __init__(self, given: dict[str, Any]) -> None:
        self.a = dict(given)
        self.asked: dict[str, Callable[[], Any]] = {}  # the questions asked (not the flags given)
        self.labels: dict[str, tuple[str, Callable[[Any], str]]] = {}  # every answer's label, given or asked

    def __call__(self, field: str, question: Callable[[], Any], label: str | None = None, show: Callable[[Any], str] | None = None) -> Any:
        self.labels[field] = (label or field, show or shown)
        if field not in self.a:
            self.a[field] = question()
            self.asked[field] = question
        return self.a[field]

    def rows(self) -> list[tuple[str, str]]:
        """(label, answer) for every answer, given as a flag or asked, in the order asked."""
        return [(label, show(self.a.get(f))) for f, (label, show) in self.labels.items() if f in self.a]

    def change(self, follows: dict[str, Sequence[str]] | None = None) -> bool:
        """Ask which answer to change and ask it again; False when the user discards them all.
        Answers that depend on the one changed (`follows`) are dropped, to be asked again."""
        options = []
        for f in self.asked:
            label, show = self.labels[f]
            title = f"{label}: {show(self.a.get(f))}"
            options.append(questionary.Choice(title=title if len(title) <= 56 else title[:55] + "…", value=f))  # the whole answer is in the table above
        options.append(questionary.Choice(title="None of them: discard these answers (nothing is saved)", value=DISCARD))
        field = _ask(questionary.select("Which answer do you want to change?", choices=options, use_search_filter=True, use_jk_keys=False))
        if field == DISCARD:
            return False
        for dep in (follows or {}).get(field, ()):
            if dep in self.asked:
                self.a.pop(dep, None)
                self.asked.pop(dep, None)
        self.a[field] = self.asked[field]()
        return True


def shown(value: Any) -> str:
    """An answer as the review shows it."""
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return str(value)


def labels(options: Sequence[Option]) -> Callable[[Any], str]:
    """Shows slugs (one or a list) by their labels, as the question offered them."""
    by_slug = {o.slug: o.label for o in options}

    def show(value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return "; ".join(by_slug.get(v, str(v)) for v in value) or "(none)"
        return "(none)" if value is None else by_slug.get(value, str(value))

    return show
