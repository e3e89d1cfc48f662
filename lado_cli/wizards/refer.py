"""The intake wizard of `lado refer` (PROCEDURE R1-R11a), in the order the procedure
asks: danger first, then who is on duty, where the adult works, scope, the adult, the
employer, the children, the allegation, the harm criteria, earlier history, the referrer,
and a summary to confirm. Each question is skipped when its flag was given. At "Save?",
"No" lets the user pick an answer to change (the rest are kept).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.dates import parse_instant, parse_optional_date
from lado_cli.domain.profile import Profile
from lado_cli.domain.referral import NO_CRITERIA, SELF_EMPLOYED, ChildInfo, check_child_dob, missing_fields, validate_referral
from lado_cli.errors import FieldError, LadoError
from lado_cli.wizards.common import Clock, Interview, checkbox, confirm, day, labels, moment, select, text

OUT_OF_SCOPE = "out-of-scope"

# notify(kind, payload) shows the user something: "danger", "out-of-hours", "cross-border",
# "out-of-scope", "history" (rows), "summary" (a Referral), "problem" (a sentence). The CLI renders them.
Notify = Callable[[str, Any], None]
History = Callable[[str, Any, list[ChildInfo], list[str]], list[dict]]  # name, dob, children, known-as names

# Changing one answer drops the answers that depend on it; they are asked again.
FOLLOWS = {
    "employment": ("employer", "supervising-social-worker", "placement-social-worker", "placement-social-workers-told"),  # R44
    "concern-arose": ("received", "told-lado", "happened", "child-name", "child-dob", "first-raised", "child-address", "child-social-worker"),
    "happened": ("child-name", "child-dob", "first-raised", "child-address", "child-social-worker"),
    "child-name": ("child-address", "child-social-worker"),
    "source": ("source-detail",),
    "criteria": ("suitability",),
}


def run(given: dict[str, Any], *, profile: Profile, now: datetime, history: History, notify: Notify,
        clock: Clock | None = None, referrer: bool = False) -> dict[str, Any] | None:  # fmt: skip
    """Ask for what `given` lacks; return the complete answers, or None when nothing is to be saved.
    `clock` gives the time at each question (default: `now` throughout). `referrer`: a
    referrer's database (issue #11): "Have you told the LADO yet?" instead of "received"."""
    from lado_cli.wizards import intake as extra

    clock = clock or (lambda: now)
    # The optional intake facts (wizards/intake.py) are asked beside the question they belong
    # to, when that question is asked: a part given by flags is not interviewed for extras.
    interviewing = bool(missing_fields(given))
    asking = lambda field: interviewing and field not in given  # noqa: E731
    cal = profile.calendar()
    tz = cal.tz
    shown: set[str] = set()

    def once(kind: str, payload: Any) -> None:  # a notice is not repeated after an answer is changed
        key = f"{kind}:{payload!r}"
        if key not in shown:
            shown.add(key)
            notify(kind, payload)

    def body(ask: Interview) -> bool:
        # R8: immediate danger first; the police/MASH contacts come before anything else.
        if ask("immediate-danger", lambda: confirm("Is a child in immediate danger, or does this need the police now?", default=False),
               "Immediate danger (R8)"):  # fmt: skip
            once("danger", None)
        # R9: out of hours, the Emergency Duty Service gives advice.
        if not cal.is_working_time(now):
            once("out-of-hours", None)
        # R7: the LADO of the authority where the adult works leads.
        works_in = ask("works-in", lambda: text("Which local authority does the adult work in?", default=profile.name,
                                                instruction="(LADO: the council's Local Authority Designated Officer)"), "Works in")  # fmt: skip
        once("cross-border", works_in)
        # R1-R3: in scope only if the adult works with children (paid, volunteer, carer...).
        employment = ask("employment", lambda: select(
            "How does the adult work with children?", profile.options("employment"), default="paid",
            extra=[questionary.Choice(title="They do not work or volunteer with children", value=OUT_OF_SCOPE)],
        ), "Works with children as", labels(profile.options("employment")))  # fmt: skip
        if employment == OUT_OF_SCOPE:
            notify("out-of-scope", None)
            return False

        # The adult (R11)
        ask("subject-name", lambda: text("The adult's full name:"), "Adult")
        if asking("subject-name"):  # R11a: matched like the name
            ask("known-as", lambda: [n.strip() for n in text("Other names they are or were known by (e.g. a previous surname; "
                                                                "separate with ';', blank if none):", validate=None).split(";") if n.strip()],
                "Known as", lambda v: "; ".join(v or []) or "none")  # fmt: skip
        ask("subject-dob", lambda: day("Their date of birth:", "subject-dob", tz, clock, unknown=True,
                                       check=lambda t: parse_optional_date(t, "subject-dob")), "Date of birth")  # fmt: skip
        ask("subject-role", lambda: text("Their role or job title:"), "Role")
        ask("subject-status", lambda: select("Are they working now?", profile.options("subject_statuses")),
            "Working now", labels(profile.options("subject_statuses")))  # fmt: skip
        # The employer (R3, R36 sector)
        if employment == SELF_EMPLOYED:
            ask("employer", lambda: text("Employer or commissioning body (blank if none):", validate=None) or None, "Employer")
        else:
            ask("employer", lambda: text("Employer or organisation:"), "Employer")
        ask("sector", lambda: select("Sector:", profile.options("sectors"), default="education"), "Sector", labels(profile.options("sectors")))

        # The allegation (R11): times first, so a child's age can be checked against them (R1)
        concern = ask("concern-arose", lambda: moment("When did the concern arise (come to your notice)?", "concern-arose", tz, clock,
                                                      default=None, check=lambda t, n: _past(t, "concern-arose", tz, n)),
                      "Concern arose")  # fmt: skip
        arose = parse_instant(concern, "concern-arose", tz)
        if referrer:  # R12: never assumed; no default time (issue #11)
            def told() -> str | None:
                if not confirm("Have you told the LADO yet?", default=False):
                    return None
                return moment("When did you tell the LADO?", "told-lado", tz, clock, default=None,
                              check=lambda t, n: _between(t, "told-lado", tz, arose, n))  # fmt: skip

            ask("told-lado", told, "Told the LADO (R12)", lambda v: v or "not yet")
        else:
            ask("received", lambda: moment("When was it received by the LADO?", "received", tz, clock,
                                           check=lambda t, n: _between(t, "received", tz, arose, n)), "Received")  # fmt: skip
        happened = ask("happened", lambda: moment("When did the behaviour happen? Blank if not known.", "happened", tz, clock, default=None,
                                                  optional=True, check=lambda t, n: _past(t, "happened", tz, arose, "the concern arose")),
                       "Happened")  # fmt: skip
        at = cal.local(parse_instant(happened, "happened", tz) if happened else arose).date()
        raised = extra.first_raised(ask, tz, clock, arose) if asking("concern-arose") else arose  # R42

        # The children (R1, R11)
        def children() -> list[str]:
            names, dobs = [], []
            while name := text("A child's name (blank when there are no more children):", validate=None):
                names.append(name)
                dobs.append(day(f"{name}'s date of birth:", "child-dob", tz, clock, unknown=True, check=lambda t: check_child_dob(t, at)))
            ask.a["child-dob"] = dobs
            return names

        ask("child-name", children, "Children", lambda names: "; ".join(
            f"{n} ({d})" for n, d in zip(names or [], ask.a.get("child-dob") or [], strict=False)) or "none identified")  # fmt: skip
        if asking("employment"):
            extra.foster(ask, employment, tz, clock, raised)  # R44

        source = ask("source", lambda: select("How did the concern arise (source)?", profile.options("sources")),
                     "Source", labels(profile.options("sources")))  # fmt: skip
        if source == "other":
            ask("source-detail", lambda: text("Name the source:"), "Source detail")
        ask("category", lambda: select("Category:", profile.options("categories")), "Category", labels(profile.options("categories")))
        ask("summary", lambda: text("What happened? (a short factual summary)"), "Summary")

        # R4: the four harm criteria, with the R5 checklist for suitability
        def criteria() -> list[str]:
            while True:
                chosen = checkbox("Which of these may apply? (space to tick, enter to go on)", profile.options("criteria"))
                if chosen or confirm("None ticked: record this as an advice-only consultation, not a LADO case (R4, R37c)?", default=False):
                    return chosen or [NO_CRITERIA]

        ask("criteria", criteria, "Criteria (R4)", labels(profile.options("criteria")))
        if "suitability" in ask.a["criteria"]:
            ask("suitability", lambda: checkbox("Which suitability indicators apply (R5)?", profile.options("suitability_indicators")),
                "Suitability (R5)", labels(profile.options("suitability_indicators")))  # fmt: skip

        # R11a: earlier cases about the same adult or child, shown before saving
        kids = [ChildInfo(n, parse_optional_date(d, "child-dob")) for n, d in zip(ask.a["child-name"], ask.a.get("child-dob", []), strict=False)]
        once("history", history(ask.a["subject-name"], parse_optional_date(ask.a.get("subject-dob"), "subject-dob"), kids, ask.a.get("known-as") or []))
        if asking("subject-name"):  # the referrer's own knowledge, beside the matches (R11a)
            ask("earlier-concerns", lambda: text("What do you know of earlier concerns about the adult or the child? (blank if nothing)",
                                                 validate=None) or None, "Earlier concerns (R11a)")  # fmt: skip

        # The referrer (R11)
        ask("referrer-name", lambda: text("Your name (the referrer):"), "Referrer")
        ask("referrer-role", lambda: text("Your role:"), "Referrer's role")
        ask("referrer-org", lambda: text("Your organisation:"), "Referrer's organisation")
        ask("referrer-contact", lambda: text("Your phone or email:"), "Referrer's phone or email")
        if asking("summary"):
            extra.details(ask, profile, tz, clock, raised)
        return True

    ask = Interview(given)
    if not body(ask):
        return None
    while True:
        try:
            notify("summary", validate_referral(ask.a, profile, clock(), referrer=referrer))
            if "yes" in ask.a or confirm("Save this referral?", default=True):
                return extra.drop_wizard_keys(ask.a)
        except (FieldError, LadoError) as err:  # after a changed answer: say which, and let it be changed
            if "yes" in ask.a:
                raise
            notify("problem", f"{err}: change that answer, or discard them all.")
        if not ask.change(FOLLOWS) or not body(ask):
            return None


def _past(text_: str, field: str, tz, latest: datetime, what: str = "now") -> datetime:
    value = parse_instant(text_, field, tz)
    if value > latest:
        raise FieldError(field, text_, f"is later than {what}", f"a time on or before {latest.astimezone(tz):%d/%m/%Y %H:%M}")
    return value


def _between(text_: str, field: str, tz, earliest: datetime, latest: datetime) -> datetime:
    value = _past(text_, field, tz, latest)
    if value < earliest:
        raise FieldError(field, text_, "is before the concern arose", f"a time on or after {earliest.astimezone(tz):%d/%m/%Y %H:%M}")
    return value
