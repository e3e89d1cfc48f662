"""The life of a time limit and of a duty (PROCEDURE §3, R12, R13, R18, R22, R29-R33), as pure
functions used by `lado_cli.domain.workflow`: which limits a route starts, the intake limits of
a contact upgraded from advice-only, routes dropped by a meeting, how late a limit was met,
and which outcomes wait for the employment outcome. No I/O, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lado_cli.domain import deadlines as dl
from lado_cli.domain import fields as f
from lado_cli.domain.profile import Profile
from lado_cli.errors import FieldError, LadoError

OPEN, ADVICE_ONLY = "open", "advice-only"  # case statuses, as in domain.workflow
SOCIAL_CARE, EMPLOYER, POLICE = "social-care", "employer", "police"


def local(profile: Profile, at: datetime) -> str:
    return f"{at.astimezone(profile.calendar().tz):%d/%m/%Y %H:%M}"


def route_limits(route: str, profile: Profile) -> set[str]:
    """The kinds of time limit a route of R22 starts, as `discuss` and `police` start them."""
    return {SOCIAL_CARE: {"strategy-discussion", "strategy-meeting"}, EMPLOYER: set(profile.employer_action_limits.values()),
            POLICE: {"police-review"}}.get(route, set())  # fmt: skip


def outstanding_duties(case: Mapping[str, Any]) -> list[dict]:
    """Duties neither done nor withdrawn."""
    return [u for u in case["duties"] if u["done_at"] is None and u.get("withdrawn_at") is None]


def upgrade_limits(case: Mapping[str, Any], held: datetime, profile: Profile) -> list[dl.NewDeadline]:
    """A contact recorded as advice-only at intake that meets the threshold at the initial
    discussion gets the intake clocks it never had (R12, R13), from when the concern arose,
    met at their real times: the LADO was informed when the contact was received, and the
    initial discussion is this one. Late if late, so it counts in `due` history and R36."""
    if case["status"] != ADVICE_ONLY or any(d["kind"] in ("notify-lado", "initial-discussion") for d in case["deadlines"]):
        return []
    start = case.get("first_raised") or case["concern_arose"]  # R42, PROCEDURE §3: from when it was first raised, when known
    return [dl.new_deadline("notify-lado", start, profile, met_at=case["received"]),
            dl.new_deadline("initial-discussion", start, profile, met_at=held)]  # fmt: skip


def upgrade_text(case: Mapping[str, Any], upgrade: list[dl.NewDeadline], profile: Profile) -> str:
    parts = []
    for d in upgrade:
        late = lateness(d.due, d.met_at, profile)
        parts.append(f"{d.kind} ({d.rule}) due {local(profile, d.due)}, met {local(profile, d.met_at)}" + (f", {late}" if late else ", on time"))
    if case.get("first_raised"):
        start = f"from when the allegation was first raised in the organisation ({local(profile, case['first_raised'])}, R42)"
    else:
        start = f"from when the concern arose ({local(profile, case['concern_arose'])})"
    return f"Upgraded from an advice-only consultation: intake limits {start}: " + "; ".join(parts) + "."


def dropped_routes(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile) -> list[str]:
    """--drop-route: a route of the initial discussion (R22) this meeting decided is no longer
    followed, e.g. a strategy discussion that finds the s47 threshold is not met. Its open
    time limits become not applicable, with --decisions as the reason (R34)."""
    dropped = list(dict.fromkeys(profile.check_slug("routes", "drop-route", r) for r in f.values(raw, "drop-route")))
    if not dropped:
        return []
    routes = (case["discussion"] or {}).get("routes") or []
    for route in dropped:
        if route not in routes:
            raise FieldError("drop-route", route, f"is not a route of {case['ref']}'s initial discussion",
                             "one of " + (", ".join(routes) if routes else "(none: the case has no route)"))  # fmt: skip
    if case["status"] != OPEN:
        raise LadoError(f"{case['ref']} is {case['status']}; only an open case has routes to drop")
    f.require(raw, ["decisions"])  # R34: why the route was dropped
    return dropped


def lateness(due: datetime, met_at: datetime, profile: Profile) -> str | None:
    """How late a limit was met, in words: working days, or hours and minutes on the day."""
    if met_at <= due:  # met at exactly the due instant is on time (PROCEDURE §3; tests/test_edges.py)
        return None
    cal = profile.calendar()
    days = cal.working_days_between(cal.local(due).date(), cal.local(met_at).date())
    if days > 0:
        return f"{days} working day{'s' if days != 1 else ''} late"
    minutes = int((met_at - due).total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min late"


def employment_decides(case: Mapping[str, Any], profile: Profile) -> list[str]:
    """The duties (as 'kind (rule)') whose profile entry says a case with this outcome waits
    for its employment outcome before closing, because that decides them (R29, R30)."""
    return [f"{kind} ({rule.rule})" for kind, rule in profile.duties.items() if case["outcome"] in rule.needs_employment]
