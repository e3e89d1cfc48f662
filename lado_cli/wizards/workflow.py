"""Wizards of the case workflow: initial discussion (R21-R24), meeting (R25), police update
(R27), outcome (R28-R29). Each asks only for what its flags did not give and returns the
answers keyed by flag name, or None when the user chose not to save."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.dates import parse_instant
from lado_cli.domain.fields import not_future
from lado_cli.domain.profile import Profile
from lado_cli.domain.workflow import SOCIAL_CARE, SUSPENDED, parse_action, parse_attendee
from lado_cli.wizards.common import Clock, Interview, checkbox, checker, confirm, day, labels, moment, select, text

Notify = Callable[[str, Any], None]
NOT_YET = "__not-yet__"


def _when(message: str, field: str, profile: Profile, clock: Clock, default: str | None = "now") -> Callable[[], str]:
    tz = profile.calendar().tz

    def check(strict: str, now: datetime) -> None:  # refused in place, not after every question
        not_future(parse_instant(strict, field, tz), strict, field, now)

    return lambda: moment(message, field, tz, clock, check=check, default=default)


def _slug(value: Any) -> str:
    """A slug as the domain reads it (Profile.check_slug): case and surrounding spaces ignored."""
    return str(value).strip().lower()


def _clock(now: datetime, clock: Clock | None) -> Clock:
    return clock or (lambda: now)


def _review(ask: Interview, body: Callable[[Interview], None], title: str, message: str, notify: Notify,
            follows: dict[str, tuple[str, ...]] | None = None) -> dict[str, Any] | None:  # fmt: skip
    """Ask, show every answer, then "Save?"; "No" lets the user pick an answer to change."""
    body(ask)
    while True:
        notify("answers", (title, ask.rows()))
        if ask.a.get("yes") or confirm(message, default=True):
            return ask.a
        if not ask.change(follows):
            return None
        body(ask)  # anything the changed answer now needs


# R24: the suspension decision the adult's recorded status (R11) points to.
_SUSPENSION_FROM_STATUS = {"suspended": "suspended", "working-with-changes": "alternative-duties", "working": "not-suspended", "left": "not-applicable"}
_DISCUSS_FOLLOWS = {
    "criteria": ("route", "s47", "social-care-referred", "employer-action", "pot-meeting", "consider", "suspension", "suspension-note", "named-contact", "complex"),
    "route": ("s47", "social-care-referred", "employer-action", "pot-meeting"),
    "s47": ("pot-meeting",),
    "suspension": ("named-contact",),
}


def discuss(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
            case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    """The initial discussion (R21-R24). Defaults come from the case: the referral's criteria
    start ticked, and the suspension decision follows the adult's recorded status."""
    clock, case = _clock(now, clock), case or {}
    criteria_options = profile.options("criteria")

    def body(ask: Interview) -> None:
        ask("held", _when("When was the initial discussion held?", "held", profile, clock), "Held")
        ask("with", lambda: text("Who took part?", validate=None) or None, "Who took part")
        if "criteria" in ask.asked or ("criteria" not in ask.a and not ask.a.get("no-criteria")):
            ask("criteria", lambda: _criteria(profile, case), "Criteria met (R4)", labels(criteria_options))
            ask.a["no-criteria"] = not ask.a["criteria"]
        ask("rationale", lambda: text("Rationale for the threshold decision (R21):"), "Rationale")
        if not ask.a.get("criteria"):
            return
        routes = [_slug(r) for r in ask("route", lambda: checkbox("Which routes will run (R22)?", profile.options("routes")),
                                        "Routes (R22)", labels(profile.options("routes")))]  # fmt: skip
        if SOCIAL_CARE in routes:
            ask("s47", lambda: confirm("May the s47 significant-harm threshold be met (s47: a child protection enquiry; R14, R15)?",
                                       default=True), "s47 threshold may be met")  # fmt: skip
            ask("social-care-referred", _when("When was it referred to children's social care?", "social-care-referred", profile, clock, ask.a["held"]),
                "Referred to social care")  # fmt: skip
        if "employer" in routes:
            ask("employer-action", lambda: select("What will the employer do?", profile.options("employer_actions")),
                "Employer action", labels(profile.options("employer_actions")))  # fmt: skip
        if not ask.a.get("s47"):
            ask("pot-meeting", lambda: confirm("Concerns remain below the s47 threshold: convene a position of trust meeting (POT meeting, R22)?",
                                               default=False), "POT meeting")  # fmt: skip
        ask("consider", lambda: _considerations(profile), "Considerations (R23)")
        if "suspension" not in ask.a:
            notify("suspension-triggers", None)  # R24
        status = case.get("subject_status")
        ask("suspension", lambda: select("Suspension decision (R24):" + (f" (the adult is recorded as: {profile.label('subject_statuses', status)})" if status else ""),
                                         profile.options("suspension_decisions"), default=_SUSPENSION_FROM_STATUS.get(status or "", "not-suspended")),
            "Suspension (R24)", labels(profile.options("suspension_decisions")))  # fmt: skip
        ask("suspension-note", lambda: text("Alternatives considered and reasons:", validate=None) or None, "Alternatives and reasons")
        if _slug(ask.a["suspension"]) == SUSPENDED:
            ask("named-contact", lambda: text("Named contact supporting the adult while suspended:"), "Named contact")
        ask("complex", lambda: confirm("Is the case complex (more frequent reviews, R18)?", default=False), "Complex (R18)")

    return _review(Interview(given), body, "Initial discussion", "Save this initial discussion?", notify, _DISCUSS_FOLLOWS)


def _criteria(profile: Profile, case: dict[str, Any]) -> list[str]:
    ticked = case.get("criteria") or ()  # the referral's criteria (R4) start ticked; then what was chosen
    while True:
        chosen = ticked = checkbox("Which harm criteria are met (R4)?", profile.options("criteria"), ticked=ticked)
        if chosen or confirm("None met: record this as an advice-only consultation (R37c)?", default=False):
            return chosen


def _considerations(profile: Profile) -> list[str]:
    notes = []
    for option in profile.options("considerations"):  # R23
        answer = text(f"Consideration - {option.label} (blank to skip):", validate=None)
        if answer:
            notes.append(f"{option.slug}={answer}")
    return notes


def meeting(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
            case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, tz = _clock(now, clock), profile.calendar().tz

    def body(ask: Interview) -> None:
        ask("type", lambda: select("Type of meeting (R25):", profile.options("meeting_types"), default="strategy-meeting"),
            "Type", labels(profile.options("meeting_types")))  # fmt: skip
        held = ask("held", _when("When was it held?", "held", profile, clock), "Held")
        ask("chair", lambda: text("Chair:", validate=None) or None, "Chair")
        ask("attendee", lambda: _list("Attendee 'name; role; agency' (blank when done):", parse_attendee), "Attendees")
        ask("confidentiality", lambda: confirm("Was confidentiality separation applied?", default=False), "Confidentiality separation")
        ask("decisions", lambda: text("Decisions:", validate=None) or None, "Decisions")
        held_at = parse_instant(held, "held", tz)
        ask("action", lambda: _list("Action 'what; owner; due date' (blank when done):", lambda t: parse_action(t, held_at, profile)), "Actions")
        ask("minutes", lambda: text("Minutes reference:", validate=None) or None, "Minutes")
        ask("next-review", lambda: day("Next review date (blank for the usual interval):", "next-review", tz, clock, optional=True), "Next review")

    return _review(Interview(given), body, "Meeting", "Save this meeting?", notify, {"held": ("action",)})


def _list(message: str, parse: Callable[[str], Any]) -> list[str]:
    items = []
    while item := text(message, validate=checker(parse, optional=True)):
        items.append(item)
    return items


def police(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
           case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, tz = _clock(now, clock), profile.calendar().tz
    outcomes = profile.options("police_outcomes")

    def body(ask: Interview) -> None:
        ask("date", _when("When did the police give this update?", "date", profile, clock), "Date")
        outcome = ask("outcome", lambda: _not_yet(select("Police outcome (R27):", outcomes, extra=[questionary.Choice(title="No outcome yet", value=NOT_YET)])),
                      "Outcome (R27)", labels(outcomes))  # fmt: skip
        if outcome is not None and _slug(outcome) == "trial-concluded":
            ask("result", lambda: text("Result of the trial:"), "Result")
        ask("text", lambda: text("Update:", validate=None) or None, "Update")
        ask("review-date", lambda: day("Next police review target date (R19, blank if none):", "review-date", tz, clock, optional=True),
            "Next police review (R19)")  # fmt: skip

    return _review(Interview(given), body, "Police update", "Save this police update?", notify, {"outcome": ("result",)})


def _not_yet(value: Any) -> Any:
    return None if value == NOT_YET else value


def outcome(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
            case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, tz = _clock(now, clock), profile.calendar().tz
    not_yet = [questionary.Choice(title="Not decided yet", value=NOT_YET)]
    asks_both = "outcome" not in given and "employment" not in given
    from lado_cli.wizards.classify import FOLLOWS, ask_outcome

    def body(ask: Interview) -> None:
        if asks_both and not (case or {}).get("outcome"):
            ask_outcome(ask, profile, notify)  # R28, P§55: by the evidence questions
        if asks_both:
            ask("employment", lambda: _not_yet(select("Employment outcome (R29):", profile.options("employment_outcomes"), extra=not_yet)),
                "Employment outcome (R29)", labels(profile.options("employment_outcomes")))  # fmt: skip
        ask("date", lambda: day("Date of the outcome:", "date", tz, clock, default=f"{clock().astimezone(tz):%d/%m/%Y}"), "Date")
        ask("rationale", lambda: text("How the outcome was reached (R35):", validate=None) or None, "How it was reached (R35)")

    return _review(Interview(given), body, "Outcome", "Save this outcome?", notify, FOLLOWS)
