"""The retention schedule (R37b), as pure logic: when each closed record's period ends, what
the schedule says then, and whether a case may be deleted under it.

The schedule is the profile's `[retention]` table, one rule per allegation outcome (R28):
`years` counted `from` the case's closure or the referral's receipt, then `review` or `keep`.

Definitions (the README's "Records: audit and retention" says the same):

* Only **closed** cases are under the schedule. An open case, and an advice-only
  consultation that was never closed, is never listed and never deleted.
* A period of N years ends on the same UK calendar date N years after the closure (or the
  receipt of the referral); 29 February gives 28 February in a year without one. The record
  is **due** from the start of that day.
* A closed case follows the rule of its outcome. An **advice-only consultation** (R37c) has
  no outcome: it follows the rule named `advice-only` if the profile's `[retention]` has one
  (e.g. `advice-only = { years = 6, action = "review", from = "closure" }`); otherwise it is
  kept and never listed as due. The default profile has none.
* A case whose outcome has no rule is kept: never due, never deletable.
* Deletion (`lado retention --delete`) is refused unless the case is closed, its period has
  ended, and nothing is outstanding on it: no duty (R30-R32), no open time limit, no open
  escalation (R39-R40).

Nothing here reads the clock: the moment things are judged at is a parameter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lado_cli.domain.months import add_years  # the same date N years on; 29 Feb -> 28 Feb (R37b)
from lado_cli.domain.profile import Profile, RetentionRule
from lado_cli.errors import LadoError

#: The schedule entry an advice-only consultation (R37c, no outcome) follows, if there is one.
ADVICE_ONLY = "advice-only"
CLOSED = "closed"

#: An assessment's status: the period has ended; it has not; the schedule has no rule.
DUE, NOT_DUE, NO_RULE = "due", "not-due", "no-rule"

#: The tables a deleted case's rows are removed from, in the order they are removed
#: (children of a row before the row); `cases` last. Counted in the audit entry.
DELETION_ORDER: tuple[str, ...] = (
    "amendments", "events", "deadlines", "duties", "known_names", "match_keys", "children", "subjects", "employers", "referrers", "discussions",
    "meetings", "police_updates", "escalation_steps", "escalations", "intake_facts", "other_settings",
    "suspensions", "evidence_consents", "risk_assessments", "child_contacts", "subject_told", "minutes_requests", "complaints",  # R45-R50
    "cases",
)  # fmt: skip

_WORDS = {
    "amendments": ("amendment", "amendments"),
    "events": ("chronology entry", "chronology entries"),
    "deadlines": ("time limit", "time limits"),
    "duties": ("duty", "duties"),
    "known_names": ("known-as name", "known-as names"),
    "match_keys": ("matching key", "matching keys"),
    "children": ("child", "children"),
    "intake_facts": ("intake record", "intake records"),
    "other_settings": ("other place", "other places"),
    "subjects": ("adult", "adults"),
    "employers": ("employer", "employers"),
    "referrers": ("referrer", "referrers"),
    "discussions": ("initial discussion", "initial discussions"),
    "meetings": ("meeting", "meetings"),
    "police_updates": ("police update", "police updates"),
    "escalation_steps": ("escalation step", "escalation steps"),
    "escalations": ("escalation", "escalations"),
    "suspensions": ("suspension decision", "suspension decisions"),  # R45
    "evidence_consents": ("consent to share evidence", "consents to share evidence"),  # R46
    "risk_assessments": ("risk assessment", "risk assessments"),  # R46
    "child_contacts": ("contact decision", "contact decisions"),  # R48
    "subject_told": ("record of what the adult was told", "records of what the adult was told"),  # R48
    "minutes_requests": ("minutes request", "minutes requests"),  # R49
    "complaints": ("complaint", "complaints"),  # R50
    "cases": ("case record", "case records"),
}


@dataclass(frozen=True)
class Assessment:
    """Where one closed record stands under the schedule at a given moment."""

    ref: str
    outcome: str | None  # the allegation outcome (R28); None: an advice-only consultation
    received: datetime
    closed_at: datetime | None
    rule: RetentionRule | None
    start: date | None  # the UK date the period counts from
    ends: date | None  # the UK date the period ends (the record is due from then)
    status: str  # DUE, NOT_DUE or NO_RULE
    reason: str  # in words, citing the rule

    @property
    def due(self) -> bool:
        return self.status == DUE

    @property
    def advice_only(self) -> bool:
        return self.outcome is None

    def as_row(self) -> dict[str, Any]:
        """The machine-readable shape (`lado retention --format json|csv`)."""
        r = self.rule
        return {
            "ref": self.ref, "outcome": self.outcome, "advice_only": self.advice_only,
            "received": self.received, "closed_at": self.closed_at,
            "from": r.start if r else None, "years": r.years if r else None, "action": r.action if r else None,
            "ends": self.ends, "status": self.status, "reason": self.reason,
        }  # fmt: skip


ROW_COLUMNS: list[str] = ["ref", "outcome", "advice_only", "received", "closed_at", "from", "years", "action", "ends", "status", "reason"]


def describe(outcome: str | None, rule: RetentionRule | None) -> str:
    """The schedule's reason in words, e.g. 'unfounded: review 10 years after closure (R37b)'."""
    what = outcome or f"{ADVICE_ONLY} consultation (R37c)"
    if rule is None:
        if outcome is None:
            return f"{what}: the schedule has no '{ADVICE_ONLY}' rule, so it is kept (R37b)"
        return f"{what}: no rule in the retention schedule, so it is kept (R37b)"
    since = "closure" if rule.start == "closure" else "the referral"
    return f"{what}: {rule.action} {rule.years} year{'s' if rule.years != 1 else ''} after {since} (R37b)"


def assess(case: Mapping[str, Any], profile: Profile, as_of: datetime) -> Assessment:
    """Where a closed case (`ref`, `outcome`, `received`, `closed_at`) stands at `as_of`."""
    cal = profile.calendar()
    outcome = case["outcome"]
    rule = profile.retention_for(outcome or ADVICE_ONLY)
    reason = describe(outcome, rule)
    start = ends = None
    status = NO_RULE
    begins = None if rule is None else case["closed_at"] if rule.start == "closure" else case["received"]
    if begins is not None:
        start = cal.local(begins).date()
        ends = add_years(start, rule.years)
        status = DUE if cal.local(as_of).date() >= ends else NOT_DUE
    elif rule is not None:  # a closed case always has its closure time; kept if not
        reason += "; no closure date is recorded, so it is kept"
    return Assessment(case["ref"], outcome, case["received"], case["closed_at"], rule, start, ends, status, reason)


def schedule(cases: Sequence[Mapping[str, Any]], profile: Profile, as_of: datetime, *, every: bool = False) -> list[Assessment]:
    """The closed cases due at `as_of` (with `every`: all closed cases), soonest end first;
    cases with no rule (kept) last."""
    found = [assess(c, profile, as_of) for c in cases if c["status"] == CLOSED]
    if not every:
        found = [a for a in found if a.due]
    return sorted(found, key=lambda a: (a.ends is None, a.ends or date.max, a.ref))


def check_deletion(
    case: Mapping[str, Any],
    a: Assessment | None,
    *,
    outstanding_duties: Sequence[Mapping[str, Any]] = (),
    open_limits: Sequence[Mapping[str, Any]] = (),
    open_escalations: int = 0,
) -> Assessment:
    """Refuse, in one line, the deletion of a case the schedule does not allow to go (R37b);
    returns the assessment that allows it. `a` is None for a case that is not closed."""
    ref, tail = case["ref"], "nothing was deleted"
    if case["status"] != CLOSED or a is None:
        raise LadoError(f"{ref} is {case['status']}: only a closed case can be deleted under the retention schedule (R37b); {tail}")
    if a.status == NO_RULE:
        raise LadoError(f"{ref} cannot be deleted: {a.reason}; {tail}")
    if a.status == NOT_DUE:
        raise LadoError(f"{ref} is kept until {a.ends:%d/%m/%Y}: {a.reason}; {tail}")
    if outstanding_duties:
        names = ", ".join(f"{u['kind']} ({u['rule']})" for u in outstanding_duties)
        raise LadoError(f"{ref} has an outstanding duty: {names}, so it cannot be deleted (R37b); {tail}")
    if open_limits:
        names = ", ".join(f"{d['kind']} ({d['rule']})" for d in open_limits)
        raise LadoError(f"{ref} has an open time limit: {names}, so it cannot be deleted (R37b); {tail}")
    if open_escalations:
        raise LadoError(f"{ref} has an open escalation, so it cannot be deleted (R37b); {tail}")
    return a


def counts_in_words(counts: Mapping[str, int]) -> str:
    """'3 chronology entries, 1 adult, ...' for the tables with rows, in deletion order."""
    parts = []
    for table in DELETION_ORDER:
        n = counts.get(table, 0)
        if n:
            one, many = _WORDS[table]
            parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts) or "nothing"


def deletion_detail(a: Assessment, reason: str, counts: Mapping[str, int]) -> str:
    """The audit-log entry of a deletion: the rule, the dates, the decision's reason and the
    number of rows removed from each table (counts only: no names)."""
    rows = ", ".join(f"{t} {counts.get(t, 0)}" for t in DELETION_ORDER)
    return (f"Retention decision on {a.reason}, counted from {a.start:%d/%m/%Y}, ended {a.ends:%d/%m/%Y}. "
            f"Reason: {reason.strip()}. Rows deleted: {rows}.")  # fmt: skip
