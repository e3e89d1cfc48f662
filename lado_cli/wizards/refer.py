"""The intake wizard of `lado refer` (PROCEDURE R1-R11a), in the order the procedure
asks: danger first, then who is on duty, where the adult works, scope, the adult, the
employer, the children, the allegation, the harm criteria, earlier history, the referrer,
and a summary to confirm. Each question is skipped when its flag was given.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.dates import parse_instant, parse_optional_date
from lado_cli.domain.profile import Profile
from lado_cli.domain.referral import NO_CRITERIA, SELF_EMPLOYED, ChildInfo, check_child_dob, validate_referral
from lado_cli.wizards.common import checkbox, checker, confirm, select, text

OUT_OF_SCOPE = "out-of-scope"
DATETIME_HINT = "(dd/mm/yyyy hh:mm)"

# notify(kind, payload) shows the user something: "danger", "out-of-hours", "cross-border",
# "out-of-scope", "history" (rows), "summary" (a Referral). The CLI renders them.
Notify = Callable[[str, Any], None]
History = Callable[[str, Any, list[ChildInfo]], list[dict]]


def run(given: dict[str, Any], *, profile: Profile, now: datetime, history: History, notify: Notify) -> dict[str, Any] | None:
    """Ask for what `given` lacks; return the complete answers, or None when nothing is to be saved."""
    a = dict(given)
    cal = profile.calendar()
    tz = cal.tz

    def ask(field: str, question: Callable[[], Any]) -> Any:
        if field not in a:
            a[field] = question()
        return a[field]

    # R8: immediate danger first; the police/MASH contacts come before anything else.
    if ask("immediate-danger", lambda: confirm("Is a child in immediate danger, or does this need the police now?", default=False)):
        notify("danger", None)
    # R9: out of hours, the Emergency Duty Service gives advice.
    if not cal.is_working_time(now):
        notify("out-of-hours", None)
    # R7: the LADO of the authority where the adult works leads.
    works_in = ask("works-in", lambda: text("Which local authority does the adult work in?", default=profile.name))
    notify("cross-border", works_in)
    # R1-R3: in scope only if the adult works with children (paid, volunteer, carer...).
    employment = ask("employment", lambda: select(
        "How does the adult work with children?", profile.options("employment"), default="paid",
        extra=[questionary.Choice(title="They do not work or volunteer with children", value=OUT_OF_SCOPE)],
    ))  # fmt: skip
    if employment == OUT_OF_SCOPE:
        notify("out-of-scope", None)
        return None

    # The adult (R11)
    ask("subject-name", lambda: text("The adult's full name:"))
    ask("subject-dob", lambda: text("Their date of birth (dd/mm/yyyy, or 'unknown'):", default="unknown",
                                    validate=checker(lambda t: parse_optional_date(t, "subject-dob"))))  # fmt: skip
    ask("subject-role", lambda: text("Their role or job title:"))
    ask("subject-status", lambda: select("Are they working now?", profile.options("subject_statuses")))
    # The employer (R3, R36 sector)
    if employment == SELF_EMPLOYED:
        ask("employer", lambda: text("Employer or commissioning body (blank if none):", validate=None) or None)
    else:
        ask("employer", lambda: text("Employer or organisation:"))
    ask("sector", lambda: select("Sector:", profile.options("sectors"), default="education"))

    # The allegation (R11): dates first, so a child's age can be checked against them (R1)
    concern = ask("concern-arose", lambda: text(f"When did the concern arise (come to your notice)? {DATETIME_HINT}",
                                                validate=checker(lambda t: _past(t, "concern-arose", tz, now))))  # fmt: skip
    arose = parse_instant(concern, "concern-arose", tz)
    ask("received", lambda: text(f"When was it received by the LADO? {DATETIME_HINT}", default=f"{now.astimezone(tz):%d/%m/%Y %H:%M}",
                                 validate=checker(lambda t: _between(t, "received", tz, arose, now))))  # fmt: skip
    happened = ask("happened", lambda: text(f"When did the behaviour happen? {DATETIME_HINT}, blank if not known",
                                            validate=checker(lambda t: _past(t, "happened", tz, arose), optional=True)) or None)  # fmt: skip
    at = cal.local(parse_instant(happened, "happened", tz) if happened else arose).date()

    # The children (R1, R11)
    if "child-name" not in a:
        names, dobs = [], []
        while name := text("A child's name (blank when there are no more children):", validate=None):
            names.append(name)
            dobs.append(text(f"{name}'s date of birth (dd/mm/yyyy, or 'unknown'):", default="unknown",
                             validate=checker(lambda t: check_child_dob(t, at))))  # fmt: skip
        a["child-name"], a["child-dob"] = names, dobs

    source = ask("source", lambda: select("How did the concern arise (source)?", profile.options("sources")))
    if source == "other":
        ask("source-detail", lambda: text("Name the source:"))
    ask("category", lambda: select("Category:", profile.options("categories")))
    ask("summary", lambda: text("What happened? (a short factual summary)"))

    # R4: the four harm criteria, with the R5 checklist for suitability
    if "criteria" not in a:
        while True:
            chosen = checkbox("Which of these may apply? (space to tick, enter to go on)", profile.options("criteria"))
            if chosen or confirm("None ticked: record this as an advice-only consultation, not a LADO case (R4, R37c)?", default=False):
                break
        a["criteria"] = chosen or [NO_CRITERIA]
    if "suitability" in a["criteria"] and "suitability" not in a:
        a["suitability"] = checkbox("Which suitability indicators apply (R5)?", profile.options("suitability_indicators"))

    # R11a: earlier cases about the same adult or child, shown before saving
    kids = [ChildInfo(n, parse_optional_date(d, "child-dob")) for n, d in zip(a["child-name"], a.get("child-dob", []), strict=False)]
    notify("history", history(a["subject-name"], parse_optional_date(a.get("subject-dob"), "subject-dob"), kids))

    # The referrer (R11)
    ask("referrer-name", lambda: text("Your name (the referrer):"))
    ask("referrer-role", lambda: text("Your role:"))
    ask("referrer-org", lambda: text("Your organisation:"))
    ask("referrer-contact", lambda: text("Your phone or email:"))

    notify("summary", validate_referral(a, profile, now))
    if "yes" in a:
        return a
    return a if confirm("Save this referral?", default=True) else None


def _past(text_: str, field: str, tz, latest: datetime) -> datetime:
    from lado_cli.errors import FieldError

    value = parse_instant(text_, field, tz)
    if value > latest:
        raise FieldError(field, text_, "is later than it can be", f"a time on or before {latest.astimezone(tz):%d/%m/%Y %H:%M}")
    return value


def _between(text_: str, field: str, tz, earliest: datetime, latest: datetime) -> datetime:
    from lado_cli.errors import FieldError

    value = _past(text_, field, tz, latest)
    if value < earliest:
        raise FieldError(field, text_, "is before the concern arose", f"a time on or after {earliest.astimezone(tz):%d/%m/%Y %H:%M}")
    return value
