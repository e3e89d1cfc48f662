"""Wizards of the case workflow: initial discussion (R21-R24), meeting (R25), police update
(R27), outcome (R28-R29). Each asks only for what its flags did not give and returns the
answers keyed by flag name, or None when the user chose not to save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.dates import parse_date, parse_instant
from lado_cli.domain.fields import not_future
from lado_cli.domain.profile import Profile
from lado_cli.domain.workflow import SOCIAL_CARE, SUSPENDED, parse_action, parse_attendee
from lado_cli.wizards.common import checkbox, checker, confirm, select, text

Notify = Callable[[str, Any], None]
NOT_YET = "__not-yet__"


class _Asker:
    def __init__(self, given: dict[str, Any]) -> None:
        self.a = dict(given)

    def __call__(self, field: str, question: Callable[[], Any]) -> Any:
        if field not in self.a:
            self.a[field] = question()
        return self.a[field]


def _when(message: str, field: str, profile: Profile, now: datetime, default: str = "") -> Callable[[], str]:
    tz = profile.calendar().tz
    valid = checker(lambda t: not_future(parse_instant(t, field, tz), t, field, now))  # refused in place, not after every question
    return lambda: text(f"{message} (dd/mm/yyyy hh:mm)", default=default, validate=valid)


def _slug(value: Any) -> str:
    """A slug as the domain reads it (Profile.check_slug): case and surrounding spaces ignored."""
    return str(value).strip().lower()


def _now_text(profile: Profile, now: datetime) -> str:
    return f"{now.astimezone(profile.calendar().tz):%d/%m/%Y %H:%M}"


def _finish(ask: _Asker, message: str) -> dict[str, Any] | None:
    if ask.a.get("yes"):
        return ask.a
    return ask.a if confirm(message, default=True) else None


def discuss(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify) -> dict[str, Any] | None:
    ask = _Asker(given)
    ask("held", _when("When was the initial discussion held?", "held", profile, now, _now_text(profile, now)))
    ask("with", lambda: text("Who took part?", validate=None) or None)
    if "criteria" not in ask.a and not ask.a.get("no-criteria"):
        while True:
            chosen = checkbox("Which harm criteria are met (R4)?", profile.options("criteria"))
            if chosen or confirm("None met: record this as an advice-only consultation (R37c)?", default=False):
                break
        ask.a["criteria"] = chosen
        ask.a["no-criteria"] = not chosen
    ask("rationale", lambda: text("Rationale for the threshold decision (R21):"))
    if ask.a.get("criteria"):
        routes = [_slug(r) for r in ask("route", lambda: checkbox("Which routes will run (R22)?", profile.options("routes")))]
        if SOCIAL_CARE in routes:
            ask("s47", lambda: confirm("May the s47 significant-harm threshold be met (strategy discussion and meeting, R14, R15)?", default=True))
            ask("social-care-referred", _when("When was it referred to children's social care?", "social-care-referred", profile, now, ask.a["held"]))
        if "employer" in routes:
            ask("employer-action", lambda: select("What will the employer do?", profile.options("employer_actions")))
        if not ask.a.get("s47"):
            ask("pot-meeting", lambda: confirm("Concerns remain below the s47 threshold: convene a position of trust meeting (R22)?", default=False))
        if "consider" not in ask.a:
            notes = []
            for option in profile.options("considerations"):  # R23
                answer = text(f"Consideration - {option.label} (blank to skip):", validate=None)
                if answer:
                    notes.append(f"{option.slug}={answer}")
            ask.a["consider"] = notes
        if "suspension" not in ask.a:
            notify("suspension-triggers", None)  # R24
            ask.a["suspension"] = select("Suspension decision (R24):", profile.options("suspension_decisions"), default="not-suspended")
        ask("suspension-note", lambda: text("Alternatives considered and reasons:", validate=None) or None)
        if _slug(ask.a["suspension"]) == SUSPENDED:
            ask("named-contact", lambda: text("Named contact supporting the adult while suspended:"))
        ask("complex", lambda: confirm("Is the case complex (more frequent reviews, R18)?", default=False))
    return _finish(ask, "Save this initial discussion?")


def meeting(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify) -> dict[str, Any] | None:
    ask = _Asker(given)
    ask("type", lambda: select("Type of meeting (R25):", profile.options("meeting_types"), default="strategy-meeting"))
    held = ask("held", _when("When was it held?", "held", profile, now, _now_text(profile, now)))
    ask("chair", lambda: text("Chair:", validate=None) or None)
    if "attendee" not in ask.a:
        attendees = []
        while item := text("Attendee 'name; role; agency' (blank when done):", validate=checker(parse_attendee, optional=True)):
            attendees.append(item)
        ask.a["attendee"] = attendees
    ask("confidentiality", lambda: confirm("Was confidentiality separation applied?", default=False))
    ask("decisions", lambda: text("Decisions:", validate=None) or None)
    if "action" not in ask.a:
        held_at = parse_instant(held, "held", profile.calendar().tz)
        actions = []
        while item := text("Action 'what; owner; due date' (blank when done):",
                           validate=checker(lambda t: parse_action(t, held_at, profile), optional=True)):  # fmt: skip
            actions.append(item)
        ask.a["action"] = actions
    ask("minutes", lambda: text("Minutes reference:", validate=None) or None)
    ask("next-review", lambda: text("Next review date (dd/mm/yyyy, blank for the usual interval):",
                                    validate=checker(lambda t: parse_date(t, "next-review"), optional=True)) or None)  # fmt: skip
    return _finish(ask, "Save this meeting?")


def police(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify) -> dict[str, Any] | None:
    ask = _Asker(given)
    ask("date", _when("When did the police give this update?", "date", profile, now, _now_text(profile, now)))
    outcome = ask("outcome", lambda: select("Police outcome (R27):", profile.options("police_outcomes"),
                                            extra=[questionary.Choice(title="No outcome yet", value=NOT_YET)]))  # fmt: skip
    if outcome == NOT_YET:
        ask.a["outcome"] = None
    elif _slug(outcome) == "trial-concluded":
        ask("result", lambda: text("Result of the trial:"))
    ask("text", lambda: text("Update:", validate=None) or None)
    ask("review-date", lambda: text("Next police review target date (R19, blank if none):",
                                    validate=checker(lambda t: parse_date(t, "review-date"), optional=True)) or None)  # fmt: skip
    return _finish(ask, "Save this police update?")


def outcome(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify) -> dict[str, Any] | None:
    ask = _Asker(given)
    not_yet = [questionary.Choice(title="Not decided yet", value=NOT_YET)]
    if "outcome" not in ask.a and "employment" not in ask.a:
        value = select("Outcome of the allegation (R28):", profile.options("outcomes"), extra=not_yet)
        ask.a["outcome"] = None if value == NOT_YET else value
        value = select("Employment outcome (R29):", profile.options("employment_outcomes"), extra=not_yet)
        ask.a["employment"] = None if value == NOT_YET else value
    ask("date", lambda: text("Date of the outcome (dd/mm/yyyy):", default=f"{now.astimezone(profile.calendar().tz):%d/%m/%Y}",
                             validate=checker(lambda t: parse_date(t, "date"))))  # fmt: skip
    ask("rationale", lambda: text("How the outcome was reached (R35):", validate=None) or None)
    return _finish(ask, "Save this outcome?")
