"""The statistics return (R36, with the resolution targets of R28a), as pure arithmetic.

`lado_cli.store.stats` counts in SQL; this module turns those counts into the report:
percentages, calendar-month spans, and the profile's labels. It never reads the clock:
"now" and the moments the report is taken at are parameters.

Definitions (the README's "Statistics" section says the same):

* A **contact** is a case received in the period: its `received` falls on one of the
  period's days, UK local dates, both ends included.
* A contact is an **advice-only consultation** (R37c) when its status is advice-only, or when
  the threshold decision found no harm criterion (R4): the initial discussion's criteria
  (R21) when there has been one, else the referral's. This catches a consultation that was
  later closed. Every other contact is a **referral**, and every breakdown counts referrals.
* **Criteria** (R4) are the same threshold criteria; a referral counts under each one met.
* **Routes** (R22) come from the initial discussion, a referral under each route taken, plus
  "strategy discussion/meeting" (social care with the s47 threshold possibly met), "internal
  only" (the employer route and no other) and "no initial discussion yet".
* **Historic**: the behaviour happened more than 12 calendar months before the referral was
  received (local dates). When it happened is unknown, the allegation counts as current.
* **Timeliness** (R12-R17) counts the time limits of the period's referrals: met on time
  (met at or before due), met late, still open (of which overdue at the `as_of` moment),
  not applicable. The on-time rate is met on time / (met on time + met late + overdue):
  limits still within time are not yet decided and are left out.
* **Resolution** (R28a): from the local date received to the outcome date. Within one week
  means at most 7 days later; within N months means on or before the same day N calendar
  months later (the last day of a shorter month). Exactly 7 days, or exactly one calendar
  month, is within.
* **Open longer than** 1, 3 and 12 months: every referral open at the `open_at` moment
  (received by then and not closed by then), whenever it was received, that was received
  more than that many calendar months before that moment's local date. This is the caseload
  figure, so it is not limited to the period's contacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.domain.dates import parse_date
from lado_cli.domain.months import add_months
from lado_cli.domain.profile import Profile
from lado_cli.errors import FieldError, LadoError

#: The time limits the return reports on (R12-R17); the case review (R18) is not one.
TIMELINESS_KINDS: tuple[str, ...] = (
    "notify-lado", "initial-discussion", "strategy-discussion", "strategy-meeting", "employer-action", "disciplinary-hearing",
)  # fmt: skip

#: R28a: outcomes that, when the allegation is clearly so, should be resolved within a week.
QUICK_OUTCOMES: tuple[str, ...] = ("unsubstantiated", "unfounded", "false", "malicious")

#: Months for "open longer than" (R36).
OPEN_MONTHS: tuple[int, ...] = (1, 3, 12)

#: An allegation about behaviour more than this many months before the referral is historic (R36).
HISTORIC_MONTHS = 12

#: R22 routes the return adds to the profile's own.
STRATEGY, INTERNAL_ONLY, NOT_YET, NOT_RECORDED = "strategy", "internal-only", "not-yet", "not-recorded"
EMPLOYER, SOCIAL_CARE = "employer", "social-care"

_END_OF_DAY = time(23, 59, 59)


# -- the period and the moments ------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The days of the return, both included."""

    first: date
    last: date

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) as instants: 00:00 local on the first day, 00:00 local after the last."""
        return _midnight(self.first, tz), _midnight(self.last + timedelta(days=1), tz)

    def end(self, tz: ZoneInfo) -> datetime:
        """The last moment of the period: 23:59:59 local on its last day."""
        return datetime.combine(self.last, _END_OF_DAY, tzinfo=tz)


def parse_period(first: str | None, last: str | None) -> Period:
    """`--from` and `--to` as a Period: both required, UK or ISO dates, --from not after --to."""
    missing = [flag for flag, value in (("--from", first), ("--to", last)) if value is None]
    if missing:
        raise LadoError(f"missing required flags: {' '.join(missing)} (the period of the return, e.g. --from 01/04/2026 --to 31/03/2027)", usage=True)
    start, end = parse_date(first, "from"), parse_date(last, "to")
    if start > end:
        raise FieldError("from", first, f"is after --to {end:%d/%m/%Y}", "a date on or before --to")
    return Period(start, end)


def moments(period: Period, tz: ZoneInfo, now: datetime, as_of: datetime | None) -> tuple[datetime, datetime]:
    """(overdue_at, open_at): when open limits are judged overdue, and when the caseload is
    taken. With --as-of both are that moment; without, overdue is judged now and the caseload
    at the end of the period, or now if the period has not ended yet."""
    if as_of is not None:
        return as_of, as_of
    return now, min(period.end(tz), now)


def open_cutoffs(open_at: datetime, tz: ZoneInfo) -> dict[int, datetime]:
    """For each of OPEN_MONTHS, the instant before which a case received has been open longer
    than that many months at `open_at`: 00:00 local on the day N calendar months earlier."""
    day = open_at.astimezone(tz).date()
    return {n: _midnight(add_months(day, -n), tz) for n in OPEN_MONTHS}


# -- calendar arithmetic --------------------------------------------------------------------


# add_months (lado_cli.domain.months, python-dateutil): the same day N calendar months
# later or earlier, the month's last day when it is shorter (31 January + 1 month = 28 or 29
# February).


def is_historic(happened: datetime | None, received: datetime, tz: ZoneInfo) -> bool:
    """R36: the behaviour happened more than 12 calendar months before the referral was
    received. Unknown (None) counts as current."""
    if happened is None:
        return False
    return happened.astimezone(tz).date() < add_months(received.astimezone(tz).date(), -HISTORIC_MONTHS)


#: R28a spans: item, label, the last day still "within" for a referral received on day d.
SPANS: tuple[tuple[str, str, Any], ...] = (
    ("1-week", "Within 1 week", lambda d: d + timedelta(days=7)),
    ("1-month", "Within 1 month", lambda d: add_months(d, 1)),
    ("3-months", "Within 3 months", lambda d: add_months(d, 3)),
    ("12-months", "Within 12 months", lambda d: add_months(d, 12)),
)
_SPAN_LIMIT = {item: limit for item, _label, limit in SPANS}


def within(span: str, received: date, resolved: date) -> bool:
    """Was an allegation received on `received` resolved on `resolved` within `span` (R28a)?"""
    return resolved <= _SPAN_LIMIT[span](received)


@dataclass(frozen=True)
class Target:
    """A resolution target of R28a: `goal` percent of `outcomes` (None: all) within `span`."""

    item: str
    label: str
    span: str
    goal: int
    outcomes: tuple[str, ...] | None = None


TARGETS: tuple[Target, ...] = (
    Target("1-month", "80% within 1 month", "1-month", 80),
    Target("3-months", "90% within 3 months", "3-months", 90),
    Target("12-months", "All within 12 months", "12-months", 100),
    Target("quick-1-week", "Unsubstantiated/unfounded/false/malicious: all in 1 week", "1-week", 100, QUICK_OUTCOMES),
)


def percent(count: int, total: int) -> float | None:
    """count / total as a percentage with one decimal (halves rounded up); None when total is 0."""
    if not total:
        return None
    return float((Decimal(count) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def target_met(within_count: int, cases: int, goal: int) -> bool | None:
    """Whether `within_count` of `cases` reaches `goal` percent (exactly, not the rounded figure);
    None when there is nothing to measure."""
    if not cases:
        return None
    return within_count * 100 >= goal * cases


# -- the report ------------------------------------------------------------------------------


def _row(item: str, label: str, count: int, total: int) -> dict[str, Any]:
    return {"item": item, "label": label, "count": count, "percent": percent(count, total)}


def _breakdown(profile: Profile, list_name: str, counts: Mapping[str | None, int], total: int,
               extra: Iterable[tuple[str, str]] = ()) -> dict[str, Any]:  # fmt: skip
    """Every option of a profile list in its order (zeros included), then any slug the profile
    no longer offers (old records), then `extra` (item, label) rows, e.g. "not yet"."""
    counts = dict(counts)
    rows = [_row(o.slug, o.label, counts.pop(o.slug, 0), total) for o in profile.options(list_name)]
    extra = list(extra)
    extra_items = {item for item, _ in extra}
    rows += [_row(slug, slug, n, total) for slug, n in sorted(counts.items(), key=lambda kv: str(kv[0])) if slug is not None and slug not in extra_items]
    rows += [_row(item, label, counts.get(item, 0), total) for item, label in extra]
    return {"total": total, "rows": rows}


def build_report(profile: Profile, period: Period, *, overdue_at: datetime, open_at: datetime, counts: Mapping[str, Any]) -> dict[str, Any]:
    """The return as one JSON-ready object (stable snake_case keys; counts are ints; percentages
    have one decimal, or are None when there is nothing to divide by).

    `counts` is what `lado_cli.store.stats.count_return` gives.
    """
    tz = profile.calendar().tz
    referrals, advice = counts["referrals"], counts["advice_only"]
    contacts = referrals + advice
    grouped = counts["grouped"]
    rows = counts["rows"]  # one per referral of the period

    # R4: the threshold criteria, several per referral.
    criteria: dict[str | None, int] = {}
    # R22: routes taken at the initial discussion, plus the return's own.
    routes: dict[str | None, int] = {STRATEGY: 0, INTERNAL_ONLY: 0, NOT_YET: 0}
    historic = 0
    for r in rows:
        for c in dict.fromkeys(r["criteria"] or ()):
            criteria[c] = criteria.get(c, 0) + 1
        if not r["discussed"]:
            routes[NOT_YET] += 1
        else:
            taken = list(dict.fromkeys(r["routes"] or ()))
            for route in taken:
                routes[route] = routes.get(route, 0) + 1
            if SOCIAL_CARE in taken and r["s47"]:
                routes[STRATEGY] += 1
            if taken == [EMPLOYER]:
                routes[INTERNAL_ONLY] += 1
        historic += is_historic(r["happened"], r["received"], tz)

    report: dict[str, Any] = {
        "authority": profile.name,
        "period": {"from": period.first, "to": period.last},
        "as_of": overdue_at,
        "open_at": open_at,
        "contacts": {"total": contacts, "rows": [
            _row("referrals", "Referrals (a harm criterion met, R4)", referrals, contacts),
            _row("advice-only", "Advice-only consultations (R37c)", advice, contacts),
        ]},  # fmt: skip
        "source": _breakdown(profile, "sources", grouped.get("source", {}), referrals),
        "sector": _breakdown(profile, "sectors", grouped.get("sector", {}), referrals),
        "category": _breakdown(profile, "categories", grouped.get("category", {}), referrals),
        "criteria": _breakdown(profile, "criteria", criteria, referrals),
        "route": _breakdown(profile, "routes", routes, referrals, [
            (STRATEGY, "Strategy discussion/meeting (s47 threshold may be met)"),
            (INTERNAL_ONLY, "Internal only (employer route alone)"),
            (NOT_YET, "No initial discussion yet"),
        ]),  # fmt: skip
        "outcome": _breakdown(profile, "outcomes", {k or NOT_YET: v for k, v in grouped.get("outcome", {}).items()}, referrals,
                              [(NOT_YET, "No outcome yet")]),  # fmt: skip
        "historic": {"total": referrals, "rows": [
            _row("historic", f"Historic (happened over {HISTORIC_MONTHS} months before)", historic, referrals),
            _row("current", f"Current (within {HISTORIC_MONTHS} months, or not known)", referrals - historic, referrals),
        ]},  # fmt: skip
        "timeliness": _timeliness(profile, counts["timeliness"]),
        "resolution": _resolution(rows, tz),
        "open_longer_than": _open_longer(counts["open"]),
        "suspension": _breakdown(profile, "suspension_decisions", {k or NOT_RECORDED: v for k, v in grouped.get("suspension", {}).items()},
                                 referrals, [(NOT_RECORDED, "No decision recorded (or no initial discussion yet)")]),  # fmt: skip
        "delay_inside_organisation": delay_inside(rows, profile),
        "dbs_referrals": _duty(counts["duties"].get("dbs-referral", {})),
        "regulator_referrals": _duty(counts["duties"].get("regulator-referral", {})),
    }
    return report


#: R36, R42: how long an allegation took to reach the senior manager after it was first raised
#: in the organisation, in working days (the calendar days after the first, PROCEDURE §3):
#: (item, label, most working days). A referral without a first-raised time (one time serves) is
#: counted as the same day.
DELAYS = (("same-day", "Same working day (or first raised with the senior manager)", 0), ("1-working-day", "1 working day", 1),
          ("2-5-working-days", "2 to 5 working days", 5))  # fmt: skip


def delay_inside(rows: Iterable[Mapping[str, Any]], profile: Profile) -> dict[str, Any]:
    """R36, R42: the referrals of the period by the delay inside the organisation."""
    cal = profile.calendar()
    days = [cal.working_days_between(cal.local(r["first_raised"] or r["concern_arose"]).date(), cal.local(r["concern_arose"]).date())
            for r in rows]  # fmt: skip
    total, out, low = len(days), [], -1
    for item, label, most in DELAYS:
        out.append(_row(item, label, sum(low < d <= most for d in days), total))
        low = most
    out.append(_row("over-5-working-days", "More than 5 working days", sum(d > low for d in days), total))
    return {"total": total, "rows": out}


def _timeliness(profile: Profile, by_kind: Mapping[str, Mapping[str, int]]) -> list[dict[str, Any]]:
    """R12-R17: one entry per kind, in the procedure's order."""
    out = []
    for kind in TIMELINESS_KINDS:
        c = {k: int(v or 0) for k, v in by_kind.get(kind, {}).items()}
        on_time, late, still_open, overdue, na = (c.get(k, 0) for k in ("on_time", "late", "open", "overdue", "not_applicable"))
        try:
            limit = profile.time_limit(kind)
            rule, label = limit.rule, limit.label
        except KeyError:
            rule, label = "", kind
        out.append({
            "kind": kind, "rule": rule, "label": label,
            "total": on_time + late + still_open + na,
            "met_on_time": on_time, "met_late": late, "open": still_open, "overdue": overdue, "not_applicable": na,
            "on_time_percent": percent(on_time, on_time + late + overdue),
        })  # fmt: skip
    return out


def _resolution(rows: Iterable[Mapping[str, Any]], tz: ZoneInfo) -> dict[str, Any]:
    """R28a: how long referrals with an outcome took, and the targets."""
    done = [(r["received"].astimezone(tz).date(), r["outcome_date"], r["outcome"]) for r in rows if r["outcome"] and r["outcome_date"]]
    total = len(done)
    spans = []
    for item, label, _limit in SPANS:
        spans.append(_row(item, label, sum(within(item, rec, res) for rec, res, _ in done), total))
    spans.append(_row("over-12-months", "Over 12 months", sum(not within("12-months", rec, res) for rec, res, _ in done), total))
    targets = []
    for t in TARGETS:
        cases = [(rec, res) for rec, res, outcome in done if t.outcomes is None or outcome in t.outcomes]
        hit = sum(within(t.span, rec, res) for rec, res in cases)
        targets.append({"item": t.item, "label": t.label, "goal_percent": float(t.goal), "cases": len(cases), "within": hit,
                        "percent": percent(hit, len(cases)), "met": target_met(hit, len(cases), t.goal)})  # fmt: skip
    return {"total": total, "rows": spans, "targets": targets}


def _open_longer(open_counts: Mapping[Any, int]) -> dict[str, Any]:
    total = int(open_counts.get("open") or 0)
    rows = []
    for n in OPEN_MONTHS:
        unit = "month" if n == 1 else "months"
        rows.append(_row(f"{n}-{unit}", f"Open longer than {n} {unit}", int(open_counts.get(n) or 0), total))
    return {"total": total, "rows": rows}


def _duty(c: Mapping[str, int]) -> dict[str, Any]:
    """R30 / R31: duties raised on the period's referrals, and how many are done."""
    raised, done = int(c.get("raised") or 0), int(c.get("done") or 0)
    return {"total": raised, "rows": [_row("done", "Referral made", done, raised), _row("outstanding", "Not made yet", raised - done, raised)]}


def _midnight(d: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(d, time(0), tzinfo=tz)
