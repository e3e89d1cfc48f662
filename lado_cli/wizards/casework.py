"""Wizards of the case work after the initial discussion (R45-R50). Each asks only for what
its flags did not give (asking a question only where it applies) and returns the answers
keyed by flag name, or None when the user chose not to save."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lado_cli.domain.casework import REMOVED_DECISIONS, SUSPENDED
from lado_cli.domain.profile import Profile
from lado_cli.domain.dates import parse_instant
from lado_cli.domain.fields import not_future
from lado_cli.wizards.common import Clock, Interview, confirm, day, labels, moment, select, text
from lado_cli.wizards.workflow import Notify, _clock, _review, _slug, _when


def _optional(message: str):
    return lambda: text(message, validate=None) or None


def _yes_no(value: Any) -> str:
    return "yes" if value else "no"


def suspension(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
               case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, tz = _clock(now, clock), profile.calendar().tz
    options = profile.options("suspension_decisions")

    def body(ask: Interview) -> None:
        decision = _slug(ask("decision", lambda: select("Suspension decision now (R45):", options), "Decision (R45)", labels(options)))
        ask("at", _when("When was it decided?", "at", profile, clock), "Decided")
        ask("told-lado", lambda: moment("When was the LADO told (P§34; blank if not yet)?", "told-lado", tz, clock, check=lambda t, n: not_future(parse_instant(t, "told-lado", tz), t, "told-lado", n), default=None,
                                        optional=True), "LADO told")  # fmt: skip
        if decision == SUSPENDED:  # P§35: the support of a suspended adult
            ask("named-contact", lambda: text("Named contact supporting the adult while suspended:"), "Named contact")
        if decision in REMOVED_DECISIONS:
            ask("support", _optional("Support offered to the adult:"), "Support")
            ask("updates", _optional("How will the adult be kept updated on progress?"), "Updates")
            ask("union-advised", lambda: confirm("Advised to contact their union or professional association?", default=True), "Union advice", _yes_no)
        ask("why", _optional("Why, and the alternatives considered:"), "Why")

    return _review(Interview(given), body, "Suspension", "Save this suspension decision?", notify,
                   {"decision": ("named-contact", "support", "updates", "union-advised")})  # fmt: skip


def consent(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
            case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, options = _clock(now, clock), profile.options("consent_from")

    def body(ask: Interview) -> None:
        ask("from", lambda: select("Who consented to sharing evidence with the employer (R46)?", options), "From", labels(options))
        ask("at", _when("When was consent given?", "at", profile, clock), "Given")
        ask("by", _optional("Name of the person who gave it:"), "By")
        ask("scope", lambda: text("What may be shared, and for what?"), "Scope")

    return _review(Interview(given), body, "Consent to share evidence", "Save this consent?", notify)


def assessment(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
               case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock = _clock(now, clock)

    def body(ask: Interview) -> None:
        ask("commissioned", _when("When was the risk assessment commissioned (R46)?", "commissioned", profile, clock), "Commissioned")
        ask("by", lambda: text("Who commissioned it?"), "By")
        ask("assessor", _optional("Who carries it out (blank if not known yet)?"), "Assessor")
        ask("note", _optional("Why it is needed, or what it covers:"), "Note")

    return _review(Interview(given), body, "Risk assessment", "Save this risk assessment?", notify)


def contact(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
            case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, options = _clock(now, clock), profile.options("contact_decisions")

    def body(ask: Interview) -> None:
        ask("decision", lambda: select("Contact between the adult and the child (R48):", options), "Decision (R48)", labels(options))
        ask("at", _when("When was it decided?", "at", profile, clock), "Decided")
        ask("arrangements", _optional("Arrangements agreed:"), "Arrangements")

    return _review(Interview(given), body, "Contact with the child", "Save this contact decision?", notify)


def told(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
         case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock = _clock(now, clock)

    def body(ask: Interview) -> None:
        ask("at", _when("When was the adult told?", "at", profile, clock), "When")
        ask("by", lambda: text("Who told them?"), "By")
        ask("what", lambda: text("What were they told?"), "What")

    return _review(Interview(given), body, "What the adult was told (R48)", "Save this?", notify)


def minutes(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
            case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, tz, options = _clock(now, clock), profile.calendar().tz, profile.options("minutes_decisions")
    pending = [str(r["id"]) for r in (case or {}).get("casework", {}).get("minutes_requests", []) if r["decision"] is None]

    def body(ask: Interview) -> None:
        if "request" not in ask.a and not any(k in ask.a for k in ("at", "by", "chair")) and pending:
            if confirm(f"Record the decision on request {pending[-1]}?", default=True):
                ask.a["request"] = pending[-1]
        if "request" not in ask.a:
            ask("at", _when("When was the request for minutes received?", "at", profile, clock), "Received")
            ask("by", lambda: text("Who asked?"), "Asked by")
            ask("chair", lambda: text("Chair it was referred to (R49):"), "Chair")
        ask("redaction", _optional("Redaction needed (blank if none):"), "Redaction")
        ask("ig-advice", _optional("Information Governance advice (blank if none):"), "IG advice")
        decided = "request" in ask.a or ask("decided-yet", lambda: confirm("Has the chair decided?", default=False), "Decided", _yes_no)
        if decided:
            ask("decision", lambda: select("The chair's decision:", options), "Decision (R49)", labels(options))
            ask("decided", lambda: day("Date of the decision:", "decided", tz, clock, default=f"{clock().astimezone(tz):%d/%m/%Y}"), "Decided on")

    answers = _review(Interview(given), body, "Minutes request", "Save this minutes request?", notify, {"decided-yet": ("decision", "decided")})
    if answers is not None:
        answers.pop("decided-yet", None)
    return answers


def complaint(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
              case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock, options = _clock(now, clock), profile.options("complaint_subjects")

    def body(ask: Interview) -> None:
        ask("at", _when("When was the complaint received?", "at", profile, clock), "Received")
        ask("from", lambda: text("Who complained?"), "From")
        ask("about", lambda: select("What is it about (R50)?", options), "About", labels(options))
        ask("summary", lambda: text("What does it say?"), "Summary")
        ask("sent", _when("When was it sent to the complaints team?", "sent", profile, clock), "Sent")

    return _review(Interview(given), body, "Complaint", "Save this complaint?", notify)


def compromise(given: dict[str, Any], *, profile: Profile, now: datetime, notify: Notify, clock: Clock | None = None,
               case: dict[str, Any] | None = None) -> dict[str, Any] | None:  # fmt: skip
    clock = _clock(now, clock)

    def body(ask: Interview) -> None:
        ask("at", _when("When was the compromise agreement proposed?", "at", profile, clock), "Proposed")
        ask("text", lambda: text("What was proposed, and by whom?"), "Proposal")
        ask("response", _optional("What did the LADO advise in reply?"), "LADO's reply")

    return _review(Interview(given), body, "Compromise agreement (must not be used, P§61)", "Record it, with the warning?", notify)
