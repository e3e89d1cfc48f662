"""The referrer's `lado discuss` wizard (issue #11): the LADO's advice, when and by whom, the
actions agreed (R20) and the organisation's own part (R16, R17, R24). Asks only for what the
flags did not give; returns the answers keyed by flag name, or None when not to be saved."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.dates import parse_instant
from lado_cli.domain.profile import Profile
from lado_cli.domain.workflow import SUSPENDED, parse_action
from lado_cli.wizards.common import Clock, Interview, day, labels, select, text
from lado_cli.wizards.workflow import Notify, _clock, _list, _review, _when

NONE = "__none__"


def advice(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None) -> dict[str, Any] | None:
    clock, tz = _clock(now, clock), profile.calendar().tz
    skip = [questionary.Choice(title="None decided", value=NONE)]

    def body(ask: Interview) -> None:
        held = ask("held", _when("When did the LADO advise you?", "held", profile, clock, default=None), "Advised")
        ask("by", lambda: text("Who advised you (name and role at the LADO service)?"), "By")
        ask("advice", lambda: text("What did the LADO advise?"), "Advice")
        held_at = parse_instant(held, "held", tz)
        ask("action", lambda: _list("Action agreed 'what; owner; due date' (blank when done):",
                                    lambda t: parse_action(t, held_at, profile)), "Actions (R20)")  # fmt: skip
        ask("employer-action", lambda: _none(select("What will your organisation do (R16, R17)?", profile.options("employer_actions"),
                                                             extra=skip)), "Employer action", labels(profile.options("employer_actions")))  # fmt: skip
        suspension = ask("suspension", lambda: _none(select("Suspension (R24):", profile.options("suspension_decisions"), extra=skip)),
                         "Suspension (R24)", labels(profile.options("suspension_decisions")))  # fmt: skip
        if suspension == SUSPENDED:
            ask("named-contact", lambda: text("Named contact for the adult (R24):"), "Named contact")
            ask("suspension-review", lambda: day("When will you review the suspension? (blank: not set)", "suspension-review", tz, clock,
                                                 optional=True), "Suspension review")  # fmt: skip

    follows = {"held": ("action", "suspension-review"), "suspension": ("named-contact", "suspension-review")}
    return _review(Interview(given), body, "The LADO's advice", "Save this advice?", notify, follows)


def _none(value: Any) -> Any:
    return None if value == NONE else value
