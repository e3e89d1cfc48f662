"""The order of a case's dated facts (issue #9: a record never contradicts itself).

No event may be dated before an event it depends on:

* the referral is received at or after the concern arose (R12);
* the concern reaches the senior manager (concern arose) at or after the allegation was first
  raised in the organisation (R42); the referral to police or MASH (R43) is at or after the
  earlier of the two (it may come before the senior manager knew, never before anyone did);
* the behaviour happened on or before the day the concern arose (by calendar day: the
  behaviour's time is often not known);
* the initial discussion is at or after the referral was received (R13, R21);
* meetings (R25), police updates (R27) and the outcome and employment outcome (R28, R29) are
  at or after the initial discussion; the outcome is on or after the day it was received;
* DBS and regulator referrals (R30, R31) are on or after the day of the outcome that called
  for them: the allegation outcome, or an employment outcome (a resignation, R33) recorded
  before it, whichever came first;
* a suspension decision after the initial discussion (R45) is at or after it; the other case
  work of R46-R50 is at or after the referral was received (domain/casework.py);
* the closure is at or after every one of these, but for the DBS and regulator referrals:
  a duty still outstanding when a case was closed (`lado close --force`, or an employment
  outcome recorded on a closed case) is recorded at its real time, after the closure.

Same-instant semantics: **equal instants are in order** (a discussion held at the very
minute the referral arrived is allowed; one minute before is refused). When one side is a
date without a time (the outcome, the employment outcome, the DBS/regulator referral dates)
the two are compared by their calendar day in the profile's time zone, and the same day is in
order.

Pure: every step builds the case's facts (`facts`), adds or replaces the ones it records, and
calls `check`; only rules touching a changed fact are checked, so an older record that is
already out of order does not block an unrelated step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.errors import LadoError

CONCERN, RECEIVED, HAPPENED, DISCUSSION = "concern-arose", "received", "happened", "initial-discussion"
MEETING, POLICE, OUTCOME, EMPLOYMENT = "meeting", "police", "outcome", "employment-outcome"
DBS, REGULATOR, CLOSED = "dbs-referral", "regulator-referral", "closed"
FIRST_RAISED, POLICE_REFERRED = "first-raised", "police-referred"  # R42, R43
SUSPENSION, CASEWORK = "suspension", "case-work"  # R45-R50 (domain/casework.py)

LABELS = {
    CONCERN: "the concern arose", RECEIVED: "the referral was received", HAPPENED: "the behaviour happened",
    DISCUSSION: "the initial discussion", MEETING: "the meeting", POLICE: "the police update", OUTCOME: "the outcome",
    EMPLOYMENT: "the employment outcome", SUSPENSION: "the suspension decision", CASEWORK: "the case work", DBS: "the DBS referral", REGULATOR: "the regulator referral", CLOSED: "the closure",
    FIRST_RAISED: "the allegation was first raised in the organisation", POLICE_REFERRED: "the referral to police or MASH",
}  # fmt: skip

#: (later, earlier keys, by_day): `later` may not be before the earliest fact of `earlier keys`.
#: by_day: compared by calendar day.
RULES: tuple[tuple[str, tuple[str, ...], bool], ...] = (
    (RECEIVED, (CONCERN,), False),
    (CONCERN, (HAPPENED,), True),
    (DISCUSSION, (RECEIVED,), False),
    (MEETING, (DISCUSSION,), False),
    (POLICE, (DISCUSSION,), False),
    (OUTCOME, (DISCUSSION,), False),
    (OUTCOME, (RECEIVED,), False),
    (EMPLOYMENT, (DISCUSSION,), False),
    (EMPLOYMENT, (RECEIVED,), False),
    (DBS, (OUTCOME, EMPLOYMENT), False),
    (REGULATOR, (OUTCOME, EMPLOYMENT), False),
    (FIRST_RAISED, (HAPPENED,), True),  # R42: raised on or after the day of the behaviour, like the concern
    (CONCERN, (FIRST_RAISED,), False),  # R42: it reaches the senior manager when or after it is first raised
    (POLICE_REFERRED, (FIRST_RAISED, CONCERN), False),  # R43: the immediate referral follows the allegation's raising
    (SUSPENSION, (DISCUSSION,), False),  # R45: the discussion's decision (R24) is the first
    (CASEWORK, (RECEIVED,), False),  # R46-R50
) + tuple((CLOSED, (k,), False) for k in (CONCERN, RECEIVED, HAPPENED, DISCUSSION, MEETING, POLICE, OUTCOME, EMPLOYMENT))


_CASEWORK_LABELS = {
    "evidence_consents": "the consent to share evidence", "risk_assessments": "the risk assessment",
    "child_contacts": "the contact decision", "subject_told": "what the adult was told",
    "minutes_requests": "the minutes request", "complaints": "the complaint",
}  # fmt: skip


@dataclass(frozen=True)
class Fact:
    key: str  # one of the names above
    at: datetime | date  # an aware instant, or a day
    label: str | None = None  # e.g. "the strategy meeting"; default LABELS[key]

    @property
    def what(self) -> str:
        return self.label or LABELS[self.key]


def facts(case: Mapping[str, Any]) -> list[Fact]:
    """The dated facts of a case as it stands (plain data: `load_state` or `load_case`)."""
    out = [Fact(CONCERN, case["concern_arose"]), Fact(RECEIVED, case["received"])]
    if case.get("first_raised"):
        out.append(Fact(FIRST_RAISED, case["first_raised"]))
    police_referred = ((case.get("intake") or {}).get("facts") or {}).get("police_referred")
    if police_referred:
        out.append(Fact(POLICE_REFERRED, police_referred))
    if case.get("happened"):
        out.append(Fact(HAPPENED, case["happened"]))
    if case.get("discussion"):
        out.append(Fact(DISCUSSION, case["discussion"]["held"]))
    for m in case.get("meetings") or []:
        out.append(Fact(MEETING, m["held"], f"the meeting ({m['type']})"))
    for p in case.get("police") or []:
        out.append(Fact(POLICE, p["at"]))
    if case.get("outcome_date") and case.get("outcome"):
        out.append(Fact(OUTCOME, case["outcome_date"]))
    if case.get("employment_outcome_date") and case.get("employment_outcome"):
        out.append(Fact(EMPLOYMENT, case["employment_outcome_date"]))
    for u in case.get("duties") or []:
        if u["kind"] in (DBS, REGULATOR) and u["done_at"] is not None and u.get("withdrawn_at") is None:
            out.append(Fact(u["kind"], u["done_at"]))
    casework = case.get("casework") or {}
    out += [Fact(SUSPENSION, r["at"]) for r in casework.get("suspensions", [])]
    out += [Fact(CASEWORK, r["at"], _CASEWORK_LABELS.get(t)) for t, rows in casework.items() if t != "suspensions" for r in rows]
    if case.get("closed_at"):
        out.append(Fact(CLOSED, case["closed_at"]))
    return out


def replace(current: Iterable[Fact], *new: Fact) -> list[Fact]:
    """`current` with the facts of the keys in `new` replaced by `new` (a correction)."""
    keys = {f.key for f in new}
    return [f for f in current if f.key not in keys] + list(new)


def _show(value: datetime | date, tz: ZoneInfo) -> str:
    if isinstance(value, datetime):
        return f"{value.astimezone(tz):%d/%m/%Y %H:%M}"
    return f"{value:%d/%m/%Y}"


def _day_of(value: datetime | date, tz: ZoneInfo) -> date:
    return value.astimezone(tz).date() if isinstance(value, datetime) else value


def _before(later: datetime | date, earlier: datetime | date, by_day: bool, tz: ZoneInfo) -> bool:
    """Is `later` strictly before `earlier`? Equal is in order; a day against an instant, by day."""
    if by_day or not isinstance(later, datetime) or not isinstance(earlier, datetime):
        return _day_of(later, tz) < _day_of(earlier, tz)
    return later < earlier


def problem(all_facts: Iterable[Fact], tz: ZoneInfo, changed: Iterable[Fact]) -> str | None:
    """The first rule broken by a changed fact, in words naming both events and their times."""
    all_facts = list(all_facts)
    changed = list(changed)
    for later_key, earlier_keys, by_day in RULES:
        for later in (f for f in all_facts if f.key == later_key):
            candidates = [f for f in all_facts if f.key in earlier_keys]
            if len(earlier_keys) > 1 and candidates:  # the earliest of them decides
                candidates = [min(candidates, key=lambda f: _day_of(f.at, tz))]
            for earlier in candidates:
                if later not in changed and earlier not in changed and not any(c.key in earlier_keys for c in changed):
                    continue
                if _before(later.at, earlier.at, by_day, tz):
                    return (f"{later.what} ({_show(later.at, tz)}) cannot be dated before {earlier.what} ({_show(earlier.at, tz)})"
                            + (" (compared by day)" if by_day or not (isinstance(later.at, datetime) and isinstance(earlier.at, datetime)) else ""))  # fmt: skip
    return None


def check(case: Mapping[str, Any], tz: ZoneInfo, *new: Fact, replacing: bool = False) -> None:
    """Refuse (one line, nothing saved) when `new` facts would put the case's dates out of
    order. `replacing`: they correct the facts of their keys (an amendment) instead of
    adding to them (a new meeting, a new police update)."""
    current = facts(case)
    everything = replace(current, *new) if replacing else current + list(new)
    found = problem(everything, tz, new)
    if found:
        raise LadoError(f"{found}; nothing was saved")
