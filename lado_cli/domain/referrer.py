"""The referrer's side (issue #11): what to do after recording a concern, telling the LADO
(R12), and recording the LADO's advice with the actions agreed (R13, R16, R17, R20, R24).
Pure: the profile and `now` are parameters; the store writes the plans.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lado_cli.domain import deadlines as dl
from lado_cli.domain import fields as f
from lado_cli.domain.limits import lateness, local
from lado_cli.domain.profile import Profile
from lado_cli.domain.workflow import CLOSED, NewEvent, Plan, parse_action
from lado_cli.errors import FieldError, LadoError

NOTIFY = "notify-lado"  # R12
SUSPENDED = "suspended"

#: The flags of the LADO's `lado discuss` that record the LADO's own decisions (R21-R23):
#: refused in referrer mode, where `--advice` records what the LADO advised.
LADO_DECISIONS = ("criteria", "no-criteria", "rationale", "route", "s47", "social-care-referred", "pot-meeting", "consider", "complex", "with")


def _contact(profile: Profile, slug: str) -> str | None:
    try:
        c = profile.contact(slug)
    except KeyError:
        return None
    return f"{c.label}: {c.value}"


def what_to_do_now(profile: Profile, *, notify: dl.NewDeadline | None, told_at: datetime | None, now: datetime,
                   ref: str) -> list[str]:  # fmt: skip
    """The short list printed after a referrer records a concern, in the procedure's order:
    danger (R8, P§16), out of hours (R9), tell the LADO by the due time (R12), do not
    investigate or alert the adult before the LADO advises (P§34), keep a written record,
    preserve evidence. Each item is one paragraph; the caller wraps them."""
    cal = profile.calendar()
    items = []
    danger = "; ".join(f"{c.label}: {c.value}" for c in profile.emergency_contacts)
    items.append(f"If a child is in danger now, call the police or the MASH before anything else (R8): {danger}.")
    ooh = "; ".join(f"{c.label}: {c.value}" for c in profile.out_of_hours_contacts)
    now_ooh = " It is out of hours now." if not cal.is_working_time(now) else ""
    items.append(f"Out of hours (evenings, weekends, bank holidays), advice comes from (R9): {ooh}.{now_ooh}")
    lado = "; ".join(c for c in (_contact(profile, "duty-lado"), _contact(profile, "lado-email")) if c)
    if told_at is not None:
        items.append(f"You told the LADO at {local(profile, told_at)} (R12). Keep to what the LADO advises, and record it with "
                     f"lado discuss {ref}.")  # fmt: skip
    elif notify is not None:
        aim = f"; aim for within 24 hours, by {_when(profile, notify.target)}" if notify.target else ""
        items.append(f"Tell the LADO by {_when(profile, notify.due)}, the end of the next working day (R12){aim}. "
                     f"{lado + '. ' if lado else ''}Then record it: lado told-lado {ref} --at DATETIME.")  # fmt: skip
    else:
        items.append(f"No harm criterion was ticked: ask the LADO for advice if in doubt ({lado or 'see lado profile show'}), "
                     f"and record it with lado told-lado {ref} --at DATETIME.")  # fmt: skip
    items.append("Do not investigate, question the child again, or tell the adult until the LADO has advised: "
                 "an early warning could put a child at risk or let evidence be destroyed (P§34).")  # fmt: skip
    items.append("Keep a written record now: what was seen or said, by whom, when and where, in the words used; "
                 "sign and date it, and note every decision and its reason (R34).")  # fmt: skip
    items.append("Preserve evidence as it is: messages, images, logs, CCTV. Do not copy, forward or delete them.")
    return items


def _when(profile: Profile, at: datetime) -> str:
    """A due time with its weekday, date and time: 'Tue 05/01/2027 10:30', or 'the end of
    Tue 05/01/2027 (23:59)' for a limit due at the end of a day."""
    here = at.astimezone(profile.calendar().tz)
    if (here.hour, here.minute, here.second) == (23, 59, 59):
        return f"the end of {here:%a %d/%m/%Y} (23:59)"
    return f"{here:%a %d/%m/%Y %H:%M}"


def told_lado(case: Mapping[str, Any], *, at: datetime, via: str | None, profile: Profile, now: datetime) -> Plan:
    """Record when the referrer told the LADO (R12): meets notify-lado at `at`. Not in the
    future, not before the concern arose, and only once (a wrong time is corrected by a note,
    R37a, never overwritten)."""
    tz = profile.calendar().tz
    ref = case["ref"]
    if case["status"] == CLOSED:
        raise LadoError(f"{ref} is closed; telling the LADO cannot be recorded on a closed case")
    if case.get("told_lado") is not None:
        raise LadoError(f"{ref}: telling the LADO was already recorded ({local(profile, case['told_lado'])}"
                        + (f", {case['told_lado_via']}" if case.get("told_lado_via") else "") + "); it is recorded once "
                        f"(a correction: lado note {ref} --corrects ID --text TEXT --why TEXT)")  # fmt: skip
    shown = f"{at.astimezone(tz):%d/%m/%Y %H:%M}"
    f.not_future(at, shown, "at", now)
    f.not_before(at, shown, "at", case["concern_arose"], "the concern arose", tz)
    via = " ".join(via.split()) if via and via.strip() else None
    plan = Plan()
    plan.case_updates.update(told_lado=at, told_lado_via=via)
    limits = [d for d in case["deadlines"] if d["kind"] == NOTIFY and d["met_at"] is None and not d["not_applicable"]]
    plan.met += [(d["id"], at, via) for d in limits]
    plan.events.append(NewEvent("told-lado", at, told_text(at, via, [dl.NewDeadline(NOTIFY, d["rule"], d["due"]) for d in limits], profile)))
    return plan


def sent(case: Mapping[str, Any], *, at: datetime, via: str | None, profile: Profile, now: datetime) -> Plan:
    """Record sending the referral files (`lado send`). The first telling of the LADO meets
    notify-lado (R12, `told_lado`); a form sent after the LADO was told (by phone, or an
    earlier sending) is a chronology entry only: R12 stays met at the first time."""
    if case.get("told_lado") is None:
        return told_lado(case, at=at, via=via, profile=profile, now=now)
    shown = f"{at.astimezone(profile.calendar().tz):%d/%m/%Y %H:%M}"
    f.not_future(at, shown, "at", now)
    f.not_before(at, shown, "at", case["concern_arose"], "the concern arose", profile.calendar().tz)
    via = " ".join(via.split()) if via and via.strip() else None
    plan = Plan()
    plan.events.append(NewEvent("told-lado", at, f"Sent the referral to the LADO {local(profile, at)}" + (f" ({via})" if via else "")
                                + f"; the LADO had been told {local(profile, case['told_lado'])} (R12 met then)."))  # fmt: skip
    return plan


def told_text(at: datetime, via: str | None, limits: list[dl.NewDeadline], profile: Profile) -> str:
    """The chronology entry for telling the LADO, with how late notify-lado (R12) was met."""
    text = f"Told the LADO {local(profile, at)}" + (f" ({via})" if via else "") + "."
    for d in limits:
        if d.kind == NOTIFY:
            late = lateness(d.due, at, profile)
            text += f" {NOTIFY} ({d.rule}) met" + (f", {late}." if late else ", on time.")
    return text


def require_told(case: Mapping[str, Any]) -> None:
    """R12: the LADO cannot advise before being told, and when it was told is not guessed."""
    if case.get("told_lado") is None:
        raise LadoError(f"{case['ref']}: record first when you told the LADO (R12): lado told-lado {case['ref']} --at DATETIME")


def advice(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime, *, org: str | None) -> Plan:
    """`lado discuss` in referrer mode: what the LADO advised, when and by whom, and the
    actions agreed (R20, each with an owner and due date). The first advice is the initial
    discussion from the referrer's side (meets R13). --employer-action starts the employer's
    own limit (R16 or R17, owner: my organisation); --suspension records the decision (R24)
    and --suspension-review the date my organisation reviews it."""
    ref = case["ref"]
    for fld in LADO_DECISIONS:
        if raw.get(fld) not in (None, False, [], ""):
            raise FieldError(fld, raw[fld] if not isinstance(raw[fld], list) else ";".join(raw[fld]),
                             "is the LADO's own decision (R21-R23), recorded on the LADO's database",
                             "in referrer mode: --held, --by, --advice, --action, --employer-action, --suspension")  # fmt: skip
    if case["status"] == CLOSED:
        raise LadoError(f"{ref} is closed; advice cannot be recorded on a closed case")
    f.require(raw, ["held", "by", "advice"])
    cal = profile.calendar()
    tz = cal.tz
    held = f.instant(raw, "held", tz)
    f.not_future(held, raw["held"], "held", now)
    require_told(case)
    f.not_before(held, raw["held"], "held", case["told_lado"], "you told the LADO", tz)
    owner = org or "my organisation"
    actions = [parse_action(a, held, profile) for a in f.values(raw, "action")]
    plan = Plan()
    plan.new_deadlines += actions
    first = [d for d in case["deadlines"] if d["kind"] == "initial-discussion" and d["met_at"] is None and not d["not_applicable"]]
    plan.met += [(d["id"], held, None) for d in first]
    parts = [f"Advice from the LADO ({f.name(raw, 'by')}), {local(profile, held)}: {f.text(raw, 'advice').rstrip('.')}."]
    if first:
        late = lateness(first[0]["due"], held, profile)
        parts.append("Initial discussion (R13) met" + (f", {late}." if late else ", on time."))
    employer_action = f.text(raw, "employer-action")
    if employer_action:
        employer_action = profile.check_slug("employer_actions", "employer-action", employer_action)
        parts.append(f"Employer action: {profile.label('employer_actions', employer_action)}.")
        kind = profile.employer_action_limits.get(employer_action)  # R16 / R17, profile data
        if kind:
            limit = dl.new_deadline(kind, held, profile, owner=owner)
            plan.new_deadlines.append(limit)
    suspension = f.text(raw, "suspension")
    review = f.day(raw, "suspension-review")
    if suspension:
        suspension = profile.check_slug("suspension_decisions", "suspension", suspension)
        if suspension == SUSPENDED:
            f.require(raw, ["named-contact"])  # R24: a suspended adult has a named contact
        parts.append(f"Suspension (R24): {profile.label('suspension_decisions', suspension)}"
                     + (f"; named contact {f.name(raw, 'named-contact')}" if f.text(raw, "named-contact") else "") + ".")  # fmt: skip
    if review is not None:
        if suspension != SUSPENDED:
            raise FieldError("suspension-review", raw["suspension-review"], "is given without --suspension suspended", "--suspension suspended with it")
        if review < cal.local(held).date():
            raise FieldError("suspension-review", raw["suspension-review"], "is before the advice", f"a date on or after {cal.local(held):%d/%m/%Y}")
        plan.new_deadlines.append(dl.NewDeadline(kind="suspension-review", rule="R24", due=cal.end_of_day(review), owner=owner,
                                                 title="Review the suspension and update the adult (P§35)"))  # fmt: skip
        parts.append(f"Suspension review by {review:%d/%m/%Y}.")
    if actions:
        parts.append("Actions (R20): " + "; ".join(f"{a.title} ({a.owner}, by {a.due.astimezone(tz):%d/%m/%Y})" for a in actions) + ".")
    plan.events.append(NewEvent("lado-advice", held, " ".join(parts)))
    return plan


#: `lado amend` flags refused on a referrer's database: there the received time is the
#: concern's own (issue #11) and notify-lado (R12) is met only by telling the LADO, which an
#: amendment of these facts would recompute as a LADO's receipt. Not amended, never guessed.
NOT_AMENDED = ("concern-arose", "received", "criteria")


def check_amendment(raw: Mapping[str, Any], ref: str) -> None:
    for fld in NOT_AMENDED:
        if raw.get(fld) not in (None, [], ""):
            value = raw[fld] if not isinstance(raw[fld], list) else ";".join(raw[fld])
            raise FieldError(fld, value, "is not amended on a referrer's database (it decides when the LADO had to be told, R12)",
                             f"a correction in the chronology: lado note {ref} --corrects ID --text TEXT --why TEXT")  # fmt: skip
