"""The case workflow after intake (PROCEDURE §4-§7, R21-R37a), as pure functions.

Each step checks its answers against the case as it stands and returns a `Plan`: the
chronology entries to add, time limits to start, meet or set aside, duties to raise or
discharge, and case columns to change. `lado_cli.store.workflow.apply_plan` writes a plan in
one transaction. Nothing here reads the clock: `now` is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lado_cli.domain import deadlines as dl
from lado_cli.domain import fields as f
from lado_cli.domain import order
from lado_cli.domain import limits as lm
from lado_cli.domain.limits import lateness, outstanding_duties  # noqa: F401 - lateness: also used by cli.views
from lado_cli.domain.profile import Profile
from lado_cli.errors import FieldError, LadoError

OPEN, ADVICE_ONLY, CLOSED = "open", "advice-only", "closed"

SOCIAL_CARE, EMPLOYER = "social-care", "employer"
SUSPENDED = "suspended"


@dataclass(frozen=True)
class NewEvent:
    kind: str
    at: datetime
    text: str
    rationale: str | None = None
    corrects_id: int | None = None


@dataclass(frozen=True)
class NewDuty:
    kind: str
    rule: str
    reason: str
    done_at: datetime | None = None
    note: str | None = None


@dataclass
class Plan:
    events: list[NewEvent] = field(default_factory=list)
    new_deadlines: list[dl.NewDeadline] = field(default_factory=list)
    met: list[tuple[int, datetime, str | None]] = field(default_factory=list)  # deadline id, when, note
    not_applicable: list[int] = field(default_factory=list)
    na_reasons: dict[int, str] = field(default_factory=dict)  # deadline id -> why it was set aside (PROCEDURE §3)
    new_duties: list[NewDuty] = field(default_factory=list)
    duties_done: list[tuple[int, datetime, str | None]] = field(default_factory=list)  # duty id, when, note
    duties_withdrawn: list[tuple[int, datetime, str]] = field(default_factory=list)  # duty id, when, why (R30, R33)
    case_updates: dict[str, Any] = field(default_factory=dict)


# -- shared checks ------------------------------------------------------------------------


def _open_limits(case: Mapping[str, Any], kind: str | None = None) -> list[dict]:
    return [d for d in case["deadlines"] if d["met_at"] is None and not d["not_applicable"] and (kind is None or d["kind"] == kind)]


def _set_aside(plan: Plan, limits: list[dict], reason: str) -> None:
    """Limits whose route was dropped or whose case ended: not applicable, with why (PROCEDURE §3)."""
    for d in limits:
        if d["id"] not in plan.not_applicable:
            plan.not_applicable.append(d["id"])
            plan.na_reasons[d["id"]] = reason


def _require_active(case: Mapping[str, Any], what: str) -> None:
    if case["status"] == CLOSED:
        raise LadoError(f"{case['ref']} is closed; {what} cannot be recorded on a closed case")


def _event_time(raw: Mapping[str, Any], fld: str, case: Mapping[str, Any], profile: Profile, now: datetime, *, default_now: bool = False) -> datetime:
    """A time something happened on this case: not in the future, not before the concern arose."""
    tz = profile.calendar().tz
    at = f.instant(raw, fld, tz)
    if at is None:
        if not default_now:
            f.require(raw, [fld])
        return now
    f.not_future(at, raw[fld], fld, now)
    return f.not_before(at, raw[fld], fld, case["concern_arose"], "the concern arose", tz)


def _day(raw: Mapping[str, Any], fld: str, earliest: date | None, what: str = "") -> date | None:
    value = f.day(raw, fld)
    if value is not None and earliest is not None and value < earliest:
        raise FieldError(fld, raw[fld], f"is before {what}", f"a date on or after {earliest:%d/%m/%Y}")
    return value


def review_deadline(start: datetime, profile: Profile, complex_case: bool) -> dl.NewDeadline:
    """The next LADO case review (R18): every N working days, fewer for complex cases."""
    limit = profile.time_limit("case-review")
    days = limit.complex_working_days if complex_case and limit.complex_working_days else limit.working_days
    return dl.NewDeadline(kind="case-review", rule=limit.rule, due=profile.calendar().due_in_working_days(start, days))


def _local(profile: Profile, at: datetime) -> str:
    return f"{at.astimezone(profile.calendar().tz):%d/%m/%Y %H:%M}"


# -- lado discuss (R21-R24) ----------------------------------------------------------------


def discuss(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    """The initial discussion: threshold (R21), routes (R22), considerations (R23), suspension (R24)."""
    _require_active(case, "an initial discussion")
    if case["discussion"] is not None:
        raise LadoError(f"{case['ref']} already has its initial discussion; correct it with `lado amend {case['ref']} --held DATETIME --why TEXT`")
    no_criteria = bool(raw.get("no-criteria"))
    criteria = [profile.check_slug("criteria", "criteria", c) for c in f.values(raw, "criteria")]
    if no_criteria and criteria:
        raise LadoError("give either --criteria or --no-criteria, not both", usage=True)
    required = ["held", "rationale"] + ([] if no_criteria else ["criteria"])
    f.require(raw, required)
    held = _event_time(raw, "held", case, profile, now)
    tz = profile.calendar().tz
    order.check(case, tz, order.Fact(order.DISCUSSION, held))

    routes = list(dict.fromkeys(profile.check_slug("routes", "route", r) for r in f.values(raw, "route")))
    if no_criteria and routes:
        raise FieldError("route", ";".join(routes), "is given with --no-criteria", "no route: an advice-only consultation starts none (R4)")
    if criteria and not routes:
        f.require(raw, ["route"])

    s47 = raw.get("s47")
    social_care_referred = None
    if SOCIAL_CARE in routes:
        s47 = True if s47 is None else bool(s47)  # R14/R15 clocks unless told the s47 threshold is not met
        social_care_referred = f.instant(raw, "social-care-referred", tz) or held
        f.not_future(social_care_referred, raw.get("social-care-referred"), "social-care-referred", now)
        f.not_before(social_care_referred, raw.get("social-care-referred"), "social-care-referred", case["concern_arose"], "the concern arose", tz)
    elif s47 is not None or f.text(raw, "social-care-referred"):
        raise FieldError("route", ";".join(routes), "does not include social-care", "--route social-care with --s47/--social-care-referred")

    employer_action = f.text(raw, "employer-action")
    if EMPLOYER in routes:
        f.require(raw, ["employer-action"])
        employer_action = profile.check_slug("employer_actions", "employer-action", employer_action)
    elif employer_action:
        raise FieldError("employer-action", employer_action, "is given without --route employer", "--route employer with it")

    pot = bool(raw.get("pot-meeting"))
    if pot and s47:  # R22: a POT meeting is for concerns below the s47 threshold
        raise FieldError("pot-meeting", "yes", "is for concerns below the s47 threshold", "--no-s47 (or no social-care route) with --pot-meeting")

    considerations: dict[str, str] = {}
    for item in f.values(raw, "consider"):
        key, sep, text = item.partition("=")
        if not sep or not text.strip():
            raise FieldError("consider", item, "is not KEY=TEXT", "e.g. --consider \"parents=Mother told by the head on 24/12\"")
        considerations[profile.check_slug("considerations", "consider", key)] = text.strip()

    suspension = f.text(raw, "suspension")
    if suspension:
        suspension = profile.check_slug("suspension_decisions", "suspension", suspension)
    named_contact = f.text(raw, "named-contact")
    if suspension == SUSPENDED and not named_contact:  # R24: a suspended adult has a named contact
        f.require(raw, ["named-contact"])
    complex_case = bool(raw.get("complex"))

    row = dict(
        held=held, participants=f.text(raw, "with"), criteria=criteria, rationale=f.text(raw, "rationale"), routes=routes,
        s47=s47 if SOCIAL_CARE in routes else None, social_care_referred=social_care_referred,
        employer_action=employer_action, pot_meeting=pot, considerations=considerations, suspension=suspension,
        suspension_note=f.text(raw, "suspension-note"), named_contact=named_contact,
    )  # fmt: skip
    plan = Plan()
    plan.met += [(d["id"], held, None) for d in _open_limits(case, "initial-discussion")]
    if not criteria:  # R4, R37c
        plan.case_updates["status"] = ADVICE_ONLY
        _set_aside(plan, [d for d in _open_limits(case) if d["kind"] != "initial-discussion"],
                   f"advice-only: no harm criterion met at the initial discussion of {_local(profile, held)} (R4)")
        text = f"Initial discussion held {_local(profile, held)}: no harm criterion met, so this is an advice-only consultation (R4, R37c)."
    else:
        plan.case_updates.update(status=OPEN, complex=complex_case)
        upgrade = lm.upgrade_limits(case, held, profile)
        plan.new_deadlines += upgrade
        if SOCIAL_CARE in routes and s47:
            plan.new_deadlines += [dl.new_deadline("strategy-discussion", social_care_referred, profile),  # R14
                                   dl.new_deadline("strategy-meeting", social_care_referred, profile)]  # R15  # fmt: skip
        if employer_action in profile.employer_action_limits:  # R16 / R17, profile data
            plan.new_deadlines.append(dl.new_deadline(profile.employer_action_limits[employer_action], held, profile))
        plan.new_deadlines.append(review_deadline(held, profile, complex_case))  # R18
        parts = [f"Initial discussion held {_local(profile, held)}" + (f" with {row['participants']}" if row["participants"] else "") + ".",
                 f"Criteria met (R21): {', '.join(criteria)}.", f"Routes (R22): {', '.join(routes)}."]  # fmt: skip
        if SOCIAL_CARE in routes:
            parts.append(f"s47 threshold {'may be met' if s47 else 'not met'}; referred to social care {_local(profile, social_care_referred)}.")
        if employer_action:
            parts.append(f"Employer: {profile.label('employer_actions', employer_action)}.")
        if pot:
            parts.append("A position of trust meeting is to be convened (R22).")
        if suspension:
            parts.append(f"Suspension (R24): {profile.label('suspension_decisions', suspension)}"
                         + (f"; named contact {named_contact}" if named_contact else "") + ".")  # fmt: skip
        if upgrade:
            parts.append(lm.upgrade_text(case, upgrade, profile))
        text = " ".join(parts)
    plan.events.append(NewEvent("initial-discussion", held, text, rationale=row["rationale"]))
    return row, plan


# -- lado meeting (R25, R20) ---------------------------------------------------------------


def parse_attendee(item: str) -> dict[str, str | None]:
    name, role, agency = ([p.strip() for p in item.split(";")] + ["", ""])[:3]
    if not name or item.count(";") > 2:
        raise FieldError("attendee", item, "is not 'name; role; agency'", "a name, optionally with role and agency separated by ';'")
    return {"name": name, "role": role or None, "agency": agency or None}


def parse_action(item: str, held: datetime, profile: Profile) -> dl.NewDeadline:
    """'text; owner; due' (R20): every action has an owner and a due date."""
    parts = [p.strip() for p in item.split(";")]
    expected = "'what; owner; due date', e.g. 'Send minutes; A. Officer; 05/01/2027'"
    if len(parts) != 3 or not parts[0]:
        raise FieldError("action", item, "is not 'text; owner; due'", expected)
    if not parts[1]:
        raise FieldError("action", item, "has no owner", expected)
    from lado_cli.domain.dates import parse_date

    try:
        due = parse_date(parts[2], "action")
    except FieldError as err:
        raise FieldError("action", item, f"has a due date that {err.problem}", expected) from None
    cal = profile.calendar()
    if due < cal.local(held).date():
        raise FieldError("action", item, "is due before the meeting", "a due date on or after the meeting")
    return dl.NewDeadline(kind="action", rule="R20", due=cal.end_of_day(due), owner=parts[1], title=parts[0])


def meeting(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], list[dl.NewDeadline], Plan]:
    """Log a meeting (R25). Returns the meeting row, its actions (R20) and the plan."""
    _require_active(case, "a meeting")
    f.require(raw, ["type", "held"])
    kind = profile.check_slug("meeting_types", "type", f.text(raw, "type"))
    held = _event_time(raw, "held", case, profile, now)
    cal = profile.calendar()
    order.check(case, cal.tz, order.Fact(order.MEETING, held, f"the meeting ({kind})"))
    attendees = [parse_attendee(a) for a in f.values(raw, "attendee")]
    actions = [parse_action(a, held, profile) for a in f.values(raw, "action")]
    next_review = _day(raw, "next-review", cal.local(held).date(), "the meeting")
    dropped = lm.dropped_routes(raw, case, profile)
    row = dict(type=kind, held=held, chair=f.text(raw, "chair"), attendees=attendees, confidentiality=bool(raw.get("confidentiality")),
               decisions=f.text(raw, "decisions"), minutes_ref=f.text(raw, "minutes"), next_review=next_review)  # fmt: skip

    plan = Plan()
    met_kind = profile.meeting_limits.get(kind)  # R25: profile data
    meets = _open_limits(case, met_kind) if met_kind else []
    plan.met += [(d["id"], held, None) for d in meets]
    if case["status"] == OPEN and (met_kind == "case-review" or next_review):  # R18: the next review
        _set_aside(plan, [d for d in _open_limits(case, "case-review") if d not in meets],
                   f"replaced by the next review set at the {profile.label('meeting_types', kind).lower()} of {_local(profile, held)} (R18)")
        nxt = review_deadline(held, profile, case["complex"])
        plan.new_deadlines.append(dl.NewDeadline(kind="case-review", rule=nxt.rule, due=cal.end_of_day(next_review)) if next_review else nxt)
    label = profile.label("meeting_types", kind)
    parts = [f"{label} held {_local(profile, held)}" + (f", chaired by {row['chair']}" if row["chair"] else "") + "."]
    if attendees:
        parts.append("Attendees: " + "; ".join(", ".join(p for p in (a["name"], a["role"], a["agency"]) if p) for a in attendees) + ".")
    if row["confidentiality"]:
        parts.append("Confidentiality separation applied.")
    if row["decisions"]:
        parts.append(f"Decisions: {row['decisions'].rstrip('.')}.")
    if actions:
        parts.append("Actions (R20): " + "; ".join(f"{a.title} ({a.owner}, by {a.due.astimezone(cal.tz):%d/%m/%Y})" for a in actions) + ".")
    if meets:
        parts.append(f"Meets the {met_kind} time limit.")
    for route in dropped:  # PROCEDURE §3: a dropped route's limits are not applicable
        limits = [d for d in _open_limits(case) if d["kind"] in lm.route_limits(route, profile) and d not in meets]
        _set_aside(plan, limits, f"route {route} dropped at the {label.lower()} of {_local(profile, held)}: {row['decisions'].rstrip('.')}")
        parts.append(f"Route dropped: {profile.label('routes', route)}" + (f"; not applicable: {', '.join(d['kind'] for d in limits)}" if limits else "") + ".")
    plan.events.append(NewEvent("meeting", held, " ".join(parts)))
    return row, actions, plan


# -- lado done ------------------------------------------------------------------------------


def done(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> Plan:
    """Mark one open time limit (by kind or id) or an outstanding duty as met, at its real time,
    or (--not-applicable --why) set a limit aside (PROCEDURE §3). A duty left outstanding
    when a case was closed with --force can still be recorded. Meeting a case review while the
    case is open schedules the next one (R18)."""
    target = f.text(raw, "target") or ""
    set_aside, why = bool(raw.get("not-applicable")), f.text(raw, "why")
    if why and not set_aside:
        raise LadoError("--why goes with --not-applicable (a note on a met limit is --note)", usage=True)
    if set_aside:
        f.require(raw, ["why"])  # PROCEDURE §3, R34: a limit is set aside for a recorded reason
    if set_aside or case["status"] == CLOSED and not any(u["kind"] == target.lower() for u in outstanding_duties(case)):
        _require_active(case, "a time limit")
    at = _event_time(raw, "at", case, profile, now, default_now=True)
    note = f.text(raw, "note")
    plan = Plan()
    if target.isdigit():
        matches = [d for d in case["deadlines"] if d["id"] == int(target)]
    else:
        matches = _open_limits(case, target.lower())
    if len(matches) > 1:
        ids = ", ".join(str(d["id"]) for d in matches)
        raise LadoError(f"{case['ref']} has {len(matches)} open '{target}' limits (ids {ids}); give the id instead of the kind")
    if matches:
        d = matches[0]
        if d["met_at"] is not None or d["not_applicable"]:
            raise LadoError(f"time limit {d['id']} ({d['kind']}) of {case['ref']} is already {'met' if d['met_at'] else 'not applicable'}")
        what = d["kind"] + (f" '{d['title']}'" if d.get("title") else "")
        if set_aside:
            if d["kind"] == "case-review" and case["status"] == OPEN:  # R18: reviewed while open
                raise LadoError(f"the case review (R18) runs while {case['ref']} is open; record it met, "
                                f"or set its date with `lado meeting {case['ref']} --type review --next-review DATE`")  # fmt: skip
            _set_aside(plan, [d], why)
            plan.events.append(NewEvent("not-applicable", at, f"{what} ({d['rule']}) set aside as not applicable.", rationale=why))
            return plan
        plan.met.append((d["id"], at, note))
        late = lateness(d["due"], at, profile)
        text = f"{what} ({d['rule']}) met {_local(profile, at)}" + (f", {late}" if late else ", on time") + "."
        if d["kind"] == "case-review" and case["status"] == OPEN:  # R18: the cycle goes on while the case is open
            nxt = review_deadline(at, profile, case["complex"])
            plan.new_deadlines.append(nxt)
            text += f" Next case review (R18) due {_local(profile, nxt.due)}."
    else:
        duty = next((u for u in outstanding_duties(case) if u["kind"] == target.lower()), None)
        if duty is None or set_aside:
            if duty is not None:
                raise FieldError("target", target, "is a duty; --not-applicable sets aside a time limit",
                                 "a time limit; a duty lapses only when the facts that raised it change (R30)")  # fmt: skip
            open_kinds = sorted({d["kind"] for d in _open_limits(case)} | ({u["kind"] for u in outstanding_duties(case)} if not set_aside else set()))
            raise FieldError("target", target, f"is not an open time limit or duty of {case['ref']}",
                             "one of " + (", ".join(open_kinds) if open_kinds else "(none open)") + ", or a time limit id")  # fmt: skip
        if duty["kind"] in (order.DBS, order.REGULATOR):
            order.check(case, profile.calendar().tz, order.Fact(duty["kind"], at))
        plan.duties_done.append((duty["id"], at, note))
        text = f"Duty {duty['kind']} ({duty['rule']}) done {_local(profile, at)}."
    plan.events.append(NewEvent("met", at, text + (f" {note}" if note else "")))
    return plan


# -- lado police (R27, R19) -------------------------------------------------------------------


def police(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> tuple[dict[str, Any], Plan]:
    _require_active(case, "a police update")
    at = _event_time(raw, "date", case, profile, now)
    order.check(case, profile.calendar().tz, order.Fact(order.POLICE, at))
    outcome = f.text(raw, "outcome")
    if outcome:
        outcome = profile.check_slug("police_outcomes", "outcome", outcome)
    result, text = f.text(raw, "result"), f.text(raw, "text")
    if outcome == "trial-concluded" and not result:
        f.require(raw, ["result"])
    cal = profile.calendar()
    review = _day(raw, "review-date", cal.local(at).date(), "the update")
    if not (outcome or text or review or result):
        raise LadoError("nothing to record: give --outcome, --text and/or --review-date", usage=True)
    row = dict(at=at, outcome=outcome, result=result, text=text, review_date=review)
    plan = Plan()
    plan.met += [(d["id"], at, None) for d in _open_limits(case, "police-review")]  # an update answers the review
    if review:  # R19: the police set the target date
        plan.new_deadlines.append(dl.NewDeadline(kind="police-review", rule="R19", due=cal.end_of_day(review)))
    follow_up = dl.new_deadline("police-follow-up", at, profile) if outcome in profile.police_follow_up else None
    if follow_up:  # R47: the police concluded: discuss further action with the employer
        plan.new_deadlines.append(follow_up)
    parts = [f"Police update {_local(profile, at)}."]
    if outcome:
        parts.append(f"Outcome (R27): {profile.label('police_outcomes', outcome)}" + (f": {result}" if result else "") + ".")
    if text:
        parts.append(text if text.endswith((".", "!", "?")) else text + ".")  # a sentence of its own before what follows
    if review:
        parts.append(f"Next police review (R19) by {review:%d/%m/%Y}.")
    if follow_up:
        parts.append(f"Further action to be discussed with the employer (R47) by {_local(profile, follow_up.due)}.")
    plan.events.append(NewEvent("police", at, " ".join(parts)))
    return row, plan


# -- lado outcome (R28-R33) -------------------------------------------------------------------


def outcome(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> Plan:
    if not (case["status"] == CLOSED and case["outcome"] and not case["employment_outcome"] and not f.text(raw, "outcome")):
        _require_active(case, "an outcome")
    # else: a case closed before its employment outcome was known (records made before `lado
    # close` waited for it): the employment outcome can still be recorded, and the duties it
    # raises (R30) recorded with `lado done`, so the case is never stuck without its DBS referral.
    if case["status"] == ADVICE_ONLY:
        raise LadoError(f"{case['ref']} is an advice-only consultation (R37c); it has no allegation outcome")
    new_outcome, new_employment = f.text(raw, "outcome"), f.text(raw, "employment")
    from lado_cli.domain.classify import outcome_step

    new_outcome, classified, evidence = outcome_step(raw, case, profile, new_outcome)  # R28, P§55: the evidence questions
    if not (new_outcome or new_employment):
        f.require(raw, ["outcome", "employment"])
    f.require(raw, ["date"])
    cal = profile.calendar()
    today = cal.local(now).date()
    when = _day(raw, "date", cal.local(case["received"]).date(), "the referral")
    if when > today:
        raise FieldError("date", raw["date"], "is in the future", "a date that is not in the future")
    plan = Plan()
    if new_outcome:
        new_outcome = profile.check_slug("outcomes", "outcome", new_outcome)
        if case["outcome"]:
            raise LadoError(f"{case['ref']} already has the outcome '{case['outcome']}'; correct it with `lado amend {case['ref']} --outcome SLUG --why TEXT`")
        plan.case_updates.update(outcome=new_outcome, outcome_date=when, **classified)
    if new_employment:
        new_employment = profile.check_slug("employment_outcomes", "employment", new_employment)
        if case["employment_outcome"]:
            raise LadoError(f"{case['ref']} already has the employment outcome '{case['employment_outcome']}'; correct it with `lado amend {case['ref']} --employment SLUG --why TEXT`")
        plan.case_updates.update(employment_outcome=new_employment, employment_outcome_date=when)
    the_outcome = new_outcome or case["outcome"]
    the_employment = new_employment or case["employment_outcome"]

    existing = {u["kind"]: u for u in case["duties"] if u.get("withdrawn_at") is None}
    raised: dict[str, NewDuty] = {}
    referred_at: dict[str, datetime] = {}
    withdrawn: list[str] = []
    for kind, rule in profile.duties.items():
        applies = rule.applies(the_outcome, the_employment, bool(case["regulator"]), *_suspension_state(case))  # R48
        if kind not in existing and applies:
            raised[kind] = NewDuty(kind, rule.rule, rule.label_for(case.get("employment_type")))  # R31: the LADO's if self-employed
        elif kind in existing and existing[kind]["done_at"] is None and not applies:
            # R30, R33: e.g. raised on a resignation while the investigation could not be completed,
            # and the completed investigation found the allegation false: the duty no longer
            # applies. It is withdrawn with the reason, never left to be cleared by an untrue entry.
            why = (f"no longer applies with outcome '{the_outcome or 'none'}' and employment outcome '{the_employment or 'none'}' "
                   f"(profile [duties.{kind}], {rule.rule})")  # fmt: skip
            plan.duties_withdrawn.append((existing[kind]["id"], cal.end_of_day(when) if when < today else now, why))
            withdrawn.append(f"Duty withdrawn: {existing[kind]['reason']} ({existing[kind]['rule']}): {why}.")
    for fld, kind in (("dbs-referred", "dbs-referral"), ("regulator-referred", "regulator-referral")):
        referred = _day(raw, fld, cal.local(case["received"]).date(), "the referral")
        if referred is None:
            continue
        if referred > today:
            raise FieldError(fld, raw[fld], "is in the future", "a date that is not in the future")
        at = cal.end_of_day(referred) if referred < today else now
        referred_at[kind] = at
        if kind in raised:
            raised[kind] = NewDuty(kind, raised[kind].rule, raised[kind].reason, done_at=at)
        elif kind in existing and existing[kind]["done_at"] is None and existing[kind]["id"] not in {w[0] for w in plan.duties_withdrawn}:
            plan.duties_done.append((existing[kind]["id"], at, None))
        elif kind not in existing:  # made although the profile did not call for it: still recorded
            rule = profile.duties.get(kind)
            raised[kind] = NewDuty(kind, rule.rule if rule else "R30", rule.label_for(case.get("employment_type")) if rule else kind, done_at=at)
    plan.new_duties = list(raised.values())
    dated = [order.Fact(order.OUTCOME, when)] if new_outcome else []
    dated += [order.Fact(order.EMPLOYMENT, when)] if new_employment else []
    dated += [order.Fact(k, cal.local(at).date()) for k, at in referred_at.items()]
    order.check(case, cal.tz, *dated)

    parts = []
    if new_outcome:
        parts.append(f"Outcome (R28): {profile.label('outcomes', new_outcome)}, {when:%d/%m/%Y}.")
        if evidence:
            parts.append(evidence)
    if new_employment:
        parts.append(f"Employment outcome (R29): {profile.label('employment_outcomes', new_employment)}.")
    if the_outcome is None:
        parts.append("No allegation outcome yet: the case stays open until one is recorded (R33).")
    for duty in plan.new_duties:
        parts.append(f"Duty raised: {duty.reason} ({duty.rule})" + (f", done {_local(profile, duty.done_at)}" if duty.done_at else "") + ".")
    parts += withdrawn
    plan.events.append(NewEvent("outcome", cal.end_of_day(when) if when < today else now, " ".join(parts), rationale=f.text(raw, "rationale")))
    return plan


def _suspension_state(case: Mapping[str, Any]) -> tuple[str | None, bool]:
    from lado_cli.domain.casework import suspension_state  # (imports this module)

    return suspension_state(case)


# -- lado close ------------------------------------------------------------------------------


def close(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> Plan:
    """Close a case: refused while the outcome or a duty is outstanding (R30, R33)."""
    if case["status"] == CLOSED:
        raise LadoError(f"{case['ref']} is already closed")
    ref = case["ref"]
    if case["status"] == OPEN and not case["outcome"]:
        raise LadoError(f"{ref} has no allegation outcome yet (R28, R33); record it with `lado outcome {ref} --outcome SLUG --date DATE`")
    if case["open_escalation"]:
        raise LadoError(f"{ref} has an open escalation; resolve it with `lado escalate {ref} --resolve` first")
    decides = lm.employment_decides(case, profile) if case["status"] == OPEN and not case["employment_outcome"] else []
    if decides:
        raise LadoError(f"{ref} has the outcome '{case['outcome']}' but no employment outcome (R29), which decides {', '.join(decides)}; "
                        f"record it with `lado outcome {ref} --employment SLUG --date DATE`")  # fmt: skip
    outstanding = outstanding_duties(case)
    blocking = [u for u in outstanding if not (profile.duties.get(u["kind"]) and profile.duties[u["kind"]].forceable)]
    if blocking:  # R30: never closed while a due DBS referral is unrecorded
        names = ", ".join(f"{u['kind']} ({u['rule']})" for u in blocking)
        raise LadoError(f"{ref} cannot be closed while {names} is outstanding; record it with `lado done {ref} {blocking[0]['kind']} --at DATE`")
    force = bool(raw.get("force"))
    if outstanding and not force:
        names = ", ".join(f"{u['kind']} ({u['rule']})" for u in outstanding)
        raise LadoError(f"{ref} has outstanding duties: {names}; record them with `lado done {ref} KIND`, or close with --force --note WHY")
    note = f.text(raw, "note")
    if outstanding and not note:
        f.require(raw, ["note"])
    at = _event_time(raw, "date", case, profile, now, default_now=True)
    order.check(case, profile.calendar().tz, order.Fact(order.CLOSED, at))
    plan = Plan()
    _set_aside(plan, _open_limits(case), f"case closed {_local(profile, at)}")
    plan.case_updates.update(status=CLOSED, closed_at=at)
    text = f"Case closed {_local(profile, at)}."
    if outstanding:
        text += " Closed with outstanding duties: " + ", ".join(u["kind"] for u in outstanding) + "."
    plan.events.append(NewEvent("closed", at, text, rationale=note))
    return plan


# -- lado note (R34, R37a) ---------------------------------------------------------------------


def note(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> Plan:
    """A note, or a correction of an earlier entry (R37a): a new entry, nothing overwritten."""
    f.require(raw, ["text"])
    at = _event_time(raw, "at", case, profile, now, default_now=True)
    corrects = f.text(raw, "corrects")
    why = f.text(raw, "why")
    plan = Plan()
    if corrects is None:
        plan.events.append(NewEvent("note", at, f.text(raw, "text"), rationale=why))
        return plan
    ids = {e["id"] for e in case["events"]}
    if not corrects.isdigit() or int(corrects) not in ids:
        raise FieldError("corrects", corrects, f"is not an entry of {case['ref']}'s chronology", "an entry id shown by `lado show REF` (#N)")
    f.require(raw, ["why"])  # R37a: a correction says why
    plan.events.append(NewEvent("correction", at, f"Corrects entry #{corrects}: {f.text(raw, 'text')}", rationale=why, corrects_id=int(corrects)))
    return plan
