"""Case work after the initial discussion (PROCEDURE R45-R50), as pure functions.

Each step checks its answers against the case as it stands and returns the row to store
(its table's name and values) and a `Plan` (chronology entry, duties raised or withdrawn),
written by `lado_cli.store.casework.save` in one transaction. Nothing here reads the clock.

Dates, decided here (equal instants are in order, as in domain/order.py):

* every time is not in the future and not before the referral was received (R12);
* a suspension decision (R45) is at or after the initial discussion, whose decision (R24) is
  the first; and at or after the latest decision recorded before it, so that "the latest
  decision" is never in doubt (a same-instant decision recorded later is the latest). The
  LADO is told at or after the decision;
* a complaint (R50) is sent to the complaints team at or after it was received; one about the
  outcome needs the outcome, and is received on or after its day;
* a minutes decision (R49) is on or after the day of the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lado_cli.domain import fields as f
from lado_cli.domain import order
from lado_cli.domain.profile import Profile
from lado_cli.domain.workflow import CLOSED, NewDuty, NewEvent, Plan
from lado_cli.errors import FieldError, LadoError

#: R48: decisions (R24, R45) and intake statuses (R11) that take the adult away from routine duties.
REMOVED_DECISIONS = ("suspended", "alternative-duties")
REMOVED_STATUSES = ("suspended", "working-with-changes")
SUSPENDED, LIFTED = "suspended", "lifted"


def _local(profile: Profile, at: datetime) -> str:
    return f"{at.astimezone(profile.calendar().tz):%d/%m/%Y %H:%M}"


def _rows(case: Mapping[str, Any], table: str) -> list[dict[str, Any]]:
    return list((case.get("casework") or {}).get(table) or [])


def _active(case: Mapping[str, Any], what: str) -> None:
    if case["status"] == CLOSED:
        raise LadoError(f"{case['ref']} is closed; {what} cannot be recorded on a closed case")


def _time(raw: Mapping[str, Any], fld: str, case: Mapping[str, Any], profile: Profile, now: datetime, *, required: bool = True) -> datetime | None:
    """A time of this case's work: not in the future, not before the referral was received."""
    tz = profile.calendar().tz
    at = f.instant(raw, fld, tz)
    if at is None:
        if required:
            f.require(raw, [fld])
        return None
    f.not_future(at, raw[fld], fld, now)
    return f.not_before(at, raw[fld], fld, case["received"], "the referral was received", tz)


def _after(at: datetime, raw: Mapping[str, Any], fld: str, earliest: datetime, what: str, profile: Profile) -> None:
    f.not_before(at, raw[fld], fld, earliest, what, profile.calendar().tz)


# -- the suspension over time (R24, R45, R48) ----------------------------------------------------


def suspension_state(case: Mapping[str, Any]) -> tuple[str | None, bool]:
    """(the latest suspension decision, whether the adult was ever removed from routine duties).

    The initial discussion's decision (R24) is the first; later ones (R45) follow in date
    order, a same-instant one recorded later winning. Removed (R48): any decision suspended or
    alternative duties, or the status given at intake (R11) suspended or working with changes.
    """
    decisions = [case["discussion"]["suspension"]] if case.get("discussion") and case["discussion"].get("suspension") else []
    decisions += [r["decision"] for r in sorted(_rows(case, "suspensions"), key=lambda r: (r["at"], r["id"]))]
    status = case.get("subject_status", (case.get("subject") or {}).get("status"))
    removed = any(d in REMOVED_DECISIONS for d in decisions) or status in REMOVED_STATUSES
    return (decisions[-1] if decisions else None), removed


def duty_changes(case: Mapping[str, Any], profile: Profile, plan: Plan, at: datetime, *, latest: str | None, removed: bool) -> list[str]:
    """Raise the duties that now apply and withdraw the outstanding ones that no longer do
    (R30-R32, R48), as the outcome step does; returns the words for the chronology."""
    existing = {u["kind"]: u for u in case["duties"] if u.get("withdrawn_at") is None}
    words = []
    for kind, rule in profile.duties.items():
        applies = rule.applies(case["outcome"], case["employment_outcome"], bool(case.get("regulator")), latest, removed)
        if applies and kind not in existing:
            plan.new_duties.append(NewDuty(kind, rule.rule, rule.label))
            words.append(f"Duty raised: {rule.label} ({rule.rule}).")
        elif not applies and kind in existing and existing[kind]["done_at"] is None:
            why = f"no longer applies with the latest suspension decision '{latest or 'none'}' (profile [duties.{kind}], {rule.rule})"
            plan.duties_withdrawn.append((existing[kind]["id"], at, why))
            words.append(f"Duty withdrawn: {existing[kind]['reason']} ({existing[kind]['rule']}): {why}.")
    return words


def suspension(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """`lado suspension`: a decision after the initial discussion (R45), the LADO told (P§34),
    and a suspended adult's named contact, support, updates and union advice (P§35)."""
    _active(case, "a suspension decision")
    ref = case["ref"]
    if not case.get("discussion"):
        raise LadoError(f"{ref} has no initial discussion yet; its suspension decision is recorded with `lado discuss {ref} --suspension SLUG` (R24)")
    f.require(raw, ["decision", "at"])
    decision = profile.check_slug("suspension_decisions", "decision", f.text(raw, "decision"))
    at = _time(raw, "at", case, profile, now)
    tz = profile.calendar().tz
    order.check(case, tz, order.Fact(order.SUSPENSION, at))
    previous = sorted(_rows(case, "suspensions"), key=lambda r: (r["at"], r["id"]))
    if previous and at < previous[-1]["at"]:
        raise FieldError("at", raw["at"], f"is before the latest suspension decision ({_local(profile, previous[-1]['at'])})",
                         f"a time on or after {_local(profile, previous[-1]['at'])}: decisions are recorded in the order they were made")  # fmt: skip
    latest_before, removed_before = suspension_state(case)
    if decision == LIFTED and not removed_before:
        raise FieldError("decision", decision, f"lifts a suspension {ref} never had", "a decision after suspended or alternative-duties (R45)")
    if decision == latest_before:
        raise FieldError("decision", decision, f"is already the latest suspension decision of {ref}",
                         "a different decision (a change of support alone: `lado note`)")  # fmt: skip
    told = _time(raw, "told-lado", case, profile, now, required=False)
    if told is not None:
        _after(told, raw, "told-lado", at, "the decision", profile)
    named_contact = f.text(raw, "named-contact")
    if decision == SUSPENDED and not named_contact:  # P§35, as R24 at the discussion
        f.require(raw, ["named-contact"])
    row = dict(at=at, decision=decision, told_lado=told, why=f.text(raw, "why"), named_contact=named_contact,
               support=f.text(raw, "support"), updates=f.text(raw, "updates"), union_advised=bool(raw.get("union-advised")))  # fmt: skip
    plan = Plan()
    latest, removed = suspension_state({**case, "casework": {**(case.get("casework") or {}), "suspensions": previous + [dict(row, id=10**12)]}})
    parts = [f"Suspension (R45): {profile.label('suspension_decisions', decision)}, decided {_local(profile, at)}."]
    parts.append(f"LADO told {_local(profile, told)}." if told else "The LADO was not recorded as told (P§34).")
    if named_contact:
        parts.append(f"Named contact: {named_contact}.")
    if row["support"]:
        parts.append(f"Support: {row['support'].rstrip('.')}.")
    if row["updates"]:
        parts.append(f"Updates: {row['updates'].rstrip('.')}.")
    if row["union_advised"]:
        parts.append("Advised to contact their union or professional association.")
    parts += duty_changes(case, profile, plan, at, latest=latest, removed=removed)
    plan.events.append(NewEvent("suspension", at, " ".join(parts), rationale=row["why"]))
    return row, plan


# -- evidence and assessment (R46) ---------------------------------------------------------------


def consent(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """`lado consent`: the police or social care agree to share statements and evidence with the employer (P§33)."""
    _active(case, "a consent to share evidence")
    f.require(raw, ["from", "at", "scope"])
    agency = profile.check_slug("consent_from", "from", f.text(raw, "from"))
    at = _time(raw, "at", case, profile, now)
    row = dict(agency=agency, at=at, given_by=f.text(raw, "by"), scope=f.text(raw, "scope"))
    who = profile.label("consent_from", agency) + (f" ({row['given_by']})" if row["given_by"] else "")
    plan = Plan(events=[NewEvent("consent", at, f"Consent to share with the employer (R46) given by {who} {_local(profile, at)}: {row['scope'].rstrip('.')}.")])
    return row, plan


def assessment(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """`lado risk-assessment`: a specialised assessment of the adult commissioned (P§52)."""
    _active(case, "a risk assessment")
    f.require(raw, ["commissioned", "by"])
    at = _time(raw, "commissioned", case, profile, now)
    row = dict(at=at, commissioned_by=f.text(raw, "by"), assessor=f.text(raw, "assessor"), note=f.text(raw, "note"))
    text = f"Specialised risk assessment (R46) commissioned {_local(profile, at)} by {row['commissioned_by']}"
    text += f", carried out by {row['assessor']}." if row["assessor"] else "; who carries it out is not recorded yet."
    return row, Plan(events=[NewEvent("risk-assessment", at, text, rationale=row["note"])])


# -- afterwards (R48) ----------------------------------------------------------------------------


def contact(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """`lado contact`: renewed or future contact between the adult and the child (P§57)."""
    f.require(raw, ["at", "decision"])
    decision = profile.check_slug("contact_decisions", "decision", f.text(raw, "decision"))
    at = _time(raw, "at", case, profile, now)
    row = dict(at=at, decision=decision, arrangements=f.text(raw, "arrangements"))
    text = f"Contact with the child (R48), decided {_local(profile, at)}: {profile.label('contact_decisions', decision)}."
    if row["arrangements"]:
        text += f" Arrangements: {row['arrangements'].rstrip('.')}."
    return row, Plan(events=[NewEvent("child-contact", at, text)])


def told(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """`lado told`: what the adult was told, when and by whom (R48)."""
    f.require(raw, ["at", "by", "what"])
    at = _time(raw, "at", case, profile, now)
    row = dict(at=at, told_by=f.text(raw, "by"), what=f.text(raw, "what"))
    return row, Plan(events=[NewEvent("subject-told", at, f"The adult was told by {row['told_by']} {_local(profile, at)} (R48): {row['what'].rstrip('.')}.")])


# -- minutes requests (R49) ----------------------------------------------------------------------


def minutes(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], int | None, Plan]:
    """`lado minutes`: a request for minutes referred to the chair (P§49-50), with or without
    the decision; `--request N` records the decision on request N later. Returns the row (the
    new request, or the decision's columns), the id of the request decided (None: new) and the plan."""
    cal = profile.calendar()
    decision = f.text(raw, "decision")
    if decision:
        decision = profile.check_slug("minutes_decisions", "decision", decision)
    request = f.text(raw, "request")
    if request is not None:
        rows = {str(r["id"]): r for r in _rows(case, "minutes_requests")}
        if request not in rows:
            raise FieldError("request", request, f"is not a minutes request of {case['ref']}",
                             "a request number shown by `lado show` (" + (", ".join(rows) or "none recorded") + ")")  # fmt: skip
        old = rows[request]
        if old["decision"]:
            raise LadoError(f"minutes request {request} of {case['ref']} already has its decision ({old['decision']}, {old['decided_on']:%d/%m/%Y})")
        extra = [k for k in ("by", "chair", "at") if f.text(raw, k)]
        if extra:
            raise LadoError(f"--request records a decision: --{extra[0]} belongs to a new request", usage=True)
        f.require(raw, ["decision", "decided"])
        requested = old["at"]
    else:
        f.require(raw, ["at", "by", "chair"])
        requested = _time(raw, "at", case, profile, now)
        if bool(decision) != bool(f.text(raw, "decided")):
            f.require(raw, ["decision", "decided"])
    decided_on = f.day(raw, "decided")
    if decided_on is not None:
        if decided_on > cal.local(now).date():
            raise FieldError("decided", raw["decided"], "is in the future", "a date that is not in the future")
        if decided_on < cal.local(requested).date():
            raise FieldError("decided", raw["decided"], "is before the request", f"a date on or after {cal.local(requested):%d/%m/%Y}")
    said = f"{profile.label('minutes_decisions', decision)} on {decided_on:%d/%m/%Y}" if decision else ""
    if request is not None:
        update = dict(decision=decision, decided_on=decided_on, redaction=f.text(raw, "redaction") or old["redaction"],
                      ig_advice=f.text(raw, "ig-advice") or old["ig_advice"])  # fmt: skip
        text = f"Minutes request {request} (R49), from {old['requested_by']}: {said}."
        for k, label in (("redaction", "Redaction"), ("ig-advice", "Information Governance advice")):
            if f.text(raw, k):
                text += f" {label}: {f.text(raw, k).rstrip('.')}."
        at = cal.end_of_day(decided_on) if decided_on < cal.local(now).date() else now
        return update, int(request), Plan(events=[NewEvent("minutes-request", at, text)])
    row = dict(at=requested, requested_by=f.text(raw, "by"), chair=f.text(raw, "chair"), redaction=f.text(raw, "redaction"),
               ig_advice=f.text(raw, "ig-advice"), decision=decision, decided_on=decided_on)  # fmt: skip
    text = f"Minutes requested by {row['requested_by']} {_local(profile, requested)}, referred to the chair {row['chair']} (R49)."
    if row["redaction"]:
        text += f" Redaction: {row['redaction'].rstrip('.')}."
    if row["ig_advice"]:
        text += f" Information Governance advice: {row['ig_advice'].rstrip('.')}."
    text += f" Decision: {said}." if decision else " Decision to follow."
    return row, None, Plan(events=[NewEvent("minutes-request", requested, text)])


# -- complaints, compromise agreements (R50) -----------------------------------------------------


def complaint(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """`lado complaint`: about the outcome or the process, sent to the complaints team (P§70, R37)."""
    f.require(raw, ["at", "from", "about", "summary", "sent"])
    about = profile.check_slug("complaint_subjects", "about", f.text(raw, "about"))
    at = _time(raw, "at", case, profile, now)
    cal = profile.calendar()
    if about == "outcome":
        if not case["outcome"]:
            raise FieldError("about", about, f"is about an outcome {case['ref']} does not have yet", "process, or record the outcome first (R28)")
        if cal.local(at).date() < case["outcome_date"]:
            raise FieldError("at", raw["at"], f"is before the outcome ({case['outcome_date']:%d/%m/%Y})", f"a time on or after {case['outcome_date']:%d/%m/%Y}")
    sent = _time(raw, "sent", case, profile, now)
    _after(sent, raw, "sent", at, "the complaint was received", profile)
    row = dict(at=at, complainant=f.text(raw, "from"), about=about, summary=f.text(raw, "summary"), sent_at=sent)
    text = (f"Complaint (R50, R37) from {row['complainant']} received {_local(profile, at)} (about: {profile.label('complaint_subjects', about)}): "
            f"{row['summary'].rstrip('.')}. Sent to the complaints team {_local(profile, sent)}.")  # fmt: skip
    return row, Plan(events=[NewEvent("complaint", at, text)])


COMPROMISE_WARNING = ("A resignation offered in return for not pursuing discipline is a compromise agreement: it must not be used "
                      "(R33, R50, P§61). The disciplinary process goes on, even in the worker's absence, and the DBS duty stays with the employer (R30).")  # fmt: skip


def compromise(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> Plan:
    """`lado compromise`: a compromise agreement offered or proposed (P§61): recorded, with the warning."""
    _active(case, "a compromise agreement")
    f.require(raw, ["at", "text"])
    at = _time(raw, "at", case, profile, now)
    text = f"Compromise agreement proposed (R50): {f.text(raw, 'text').rstrip('.')}. Warning given: {COMPROMISE_WARNING}"
    return Plan(events=[NewEvent("compromise-agreement", at, text, rationale=f.text(raw, "response"))])
