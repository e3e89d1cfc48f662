"""Amendments that take effect (R37a): a saved fact is corrected, and what follows from it
follows. Pure: the case (as `store.cases.load_case` reads it), the profile and `now` are
parameters; `store.amend.apply_amendment` writes the result in one transaction.

* The current value changes; the chronology gets one `amendment` entry naming each field
  with its old and new value, who and why (R34, R37a), and each change is also kept as a
  row (field, old, new, why, actor, when). Nothing is overwritten silently.
* A corrected start moves the time limits it started (R12, R13 from the concern arising;
  R13 met, R16/R17 and the first R18 review from the initial discussion; R14/R15 from a
  social-care referral dated at the discussion); the old due time is kept in the entry.
* A corrected outcome re-evaluates the profile's duties (R30-R32): those that now apply are
  raised; outstanding ones that no longer apply are withdrawn, the amendment as reason.
* Referral facts are checked again as `lado refer` checks them (R1: the child is under 18 at
  the behaviour, re-checked when a date moves), and every date against `domain.order`.
* `--criteria` corrects the threshold decision: before an initial discussion, none <-> some
  turns an advice-only consultation into a referral (R12/R13 computed from the concern
  arising) or back (its open limits become not applicable). After the discussion it corrects
  the discussion's criteria; moving between none and some there would need routes (R22),
  which an amendment cannot invent, so it is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from lado_cli.domain import deadlines as dl
from lado_cli.domain import fields as f
from lado_cli.domain import intake
from lado_cli.domain import order
from lado_cli.domain.profile import Profile
from lado_cli.domain.referral import NO_CRITERIA, name_key, validate_referral
from lado_cli.errors import FieldError, LadoError

OPEN, ADVICE_ONLY, CLOSED = "open", "advice-only", "closed"

#: The facts `lado amend` corrects: flag -> label. Referral facts first, then the initial
#: discussion's time, the outcome (R28, R29) and the closure.
FACTS: dict[str, str] = {
    "concern-arose": "concern arose", "received": "received", "happened": "behaviour happened",
    "subject-name": "adult's name", "subject-dob": "adult's date of birth", "subject-role": "adult's role",
    "employment-type": "adult's employment", "employer": "employer", "sector": "sector", "category": "category",
    "criteria": "harm criteria", "child-name": "children", "child-dob": "children's dates of birth",
    "held": "initial discussion held", "outcome": "outcome", "employment": "employment outcome", "date": "outcome date",
    "closed": "closed",
    **{s.slug: s.label for s in intake.SPECS},  # R42-R44, R51, the referral-form fields (domain/intake.py)
}  # fmt: skip
REFERRAL_FACTS = ("concern-arose", "received", "happened", "subject-name", "subject-dob", "subject-role", "employment-type",
                  "employer", "sector", "category", "criteria", "child-name", "child-dob", *(s.slug for s in intake.SPECS))  # fmt: skip


@dataclass(frozen=True)
class Change:
    field: str  # the flag, e.g. concern-arose
    old: str | None
    new: str | None


@dataclass
class Amendment:
    changes: list[Change] = field(default_factory=list)
    case_updates: dict[str, Any] = field(default_factory=dict)
    subject_updates: dict[str, Any] = field(default_factory=dict)
    employer_updates: dict[str, Any] = field(default_factory=dict)
    children: list[dict[str, Any]] | None = None  # the new list, replacing the old
    intake: intake.Intake | None = None  # the intake facts and other places, replacing the old (domain/intake.py)
    discussion_updates: dict[str, Any] = field(default_factory=dict)
    deadline_updates: dict[int, dict[str, Any]] = field(default_factory=dict)
    not_applicable: list[int] = field(default_factory=list)
    new_deadlines: list[dl.NewDeadline] = field(default_factory=list)
    new_duties: list[tuple[str, str, str]] = field(default_factory=list)  # kind, rule, reason
    withdrawn_duties: list[int] = field(default_factory=list)
    text: str = ""
    why: str = ""
    corrects_id: int | None = None  # the chronology entry that recorded the (first) corrected fact


def given_facts(raw: Mapping[str, Any]) -> list[str]:
    return [k for k in FACTS if f.text(raw, k) is not None or f.values(raw, k)]


def _show(value: Any, tz) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return f"{value.astimezone(tz):%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value) or "none"
    return str(value)


def _referral_raw(case: Mapping[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The case's referral as `lado refer` answers, with the amended ones put in."""
    s, e, r = case["subject"], case["employer"], case["referrer"]
    iso = lambda v: v.isoformat() if v else None  # noqa: E731
    day = lambda d: d.isoformat() if d else None  # noqa: E731
    out = {
        "subject-name": s["name"], "subject-dob": day(s["dob"]), "subject-role": s["role"], "employment": s["employment"],
        "employer": e["name"], "sector": e["sector"], "concern-arose": iso(case["concern_arose"]), "received": iso(case["received"]),
        "happened": iso(case["happened"]), "source": case["source"], "source-detail": case["source_detail"],
        "category": case["category"], "summary": case["summary"], "criteria": list(case["criteria"]) or [NO_CRITERIA],
        "suitability": list(case["suitability"]), "child-name": [c["name"] for c in case["children"]],
        "child-dob": [day(c["dob"]) or "unknown" for c in case["children"]],
        "referrer-name": r["name"], "referrer-role": r["role"], "referrer-org": r["organisation"], "referrer-contact": r["contact"],
        "subject-status": s["status"], "subject-address": s["address"], "regulator": s["regulator"], "works-in": case["works_in"],
        "immediate-danger": case["immediate_danger"],
    }  # fmt: skip
    from lado_cli.domain.amend_intake import intake_raw

    out.update(intake_raw(case))
    for k in REFERRAL_FACTS:
        if k in raw and (f.text(raw, k) is not None or f.values(raw, k)):
            out["employment" if k == "employment-type" else k] = raw[k]
    if "child-name" in raw and "child-dob" not in raw:
        raise FieldError("child-dob", "", "is missing", "one --child-dob (a date or 'unknown') per --child-name: the children are given again as a whole")
    if "child-dob" in raw and "child-name" not in raw:
        out["child-name"] = [c["name"] for c in case["children"]]
    if "child-name" in raw:  # the children given again: their addresses and social workers with them, when recorded
        for k in ("child-address", "child-social-worker"):
            if k not in raw and all(v == "unknown" for v in out.get(k) or []):
                out.pop(k, None)
    for k in ("other-setting-kind", "other-setting-authority"):  # the places given again as a whole
        if "other-setting" in raw and k not in raw:
            out.pop(k, None)
    return out


def _follow(a: Amendment, case: Mapping[str, Any], kinds: tuple[str, ...], start: datetime, profile: Profile, tz, *,
            met_at: datetime | None = None, only_due: datetime | None = None) -> list[str]:  # fmt: skip
    """Recompute the limits of `kinds` from a corrected start; returns words for the entry."""
    words = []
    for d in case["deadlines"]:
        if d["kind"] not in kinds or (only_due is not None and d["due"] != only_due):
            continue
        new = dl.new_deadline(d["kind"], start, profile) if d["kind"] != "case-review" else _review(start, profile, case)
        values = a.deadline_updates.setdefault(d["id"], {})
        if new.due != d["due"] or new.target != d["target"]:
            values.update(due=new.due, target=new.target)
            moved = [f"due {_show(new.due, tz)}, was {_show(d['due'], tz)}"] if new.due != d["due"] else []
            moved += [f"aim {_show(new.target, tz)}, was {_show(d['target'], tz)}"] if new.target != d["target"] else []
            words.append(f"{d['kind']} ({d['rule']}) " + ", ".join(moved))
        if met_at is not None and d["met_at"] is not None and d["met_at"] != met_at:
            values["met_at"] = met_at
            words.append(f"{d['kind']} ({d['rule']}) met {_show(met_at, tz)}, was {_show(d['met_at'], tz)}")
    return words


def _review(start: datetime, profile: Profile, case: Mapping[str, Any]) -> dl.NewDeadline:
    from lado_cli.domain.workflow import review_deadline

    return review_deadline(start, profile, bool(case["complex"]))


def amend(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime) -> Amendment:
    """Check an amendment against the rules and the date order; return what it changes."""
    given = given_facts(raw)
    if not given:
        raise LadoError("nothing to amend: give one or more of " + ", ".join(f"--{k}" for k in FACTS), usage=True)
    f.require(raw, ["why"])  # R37a: an amendment says why
    cal = profile.calendar()
    tz = cal.tz
    a = Amendment(why=f.text(raw, "why"))
    derived: list[str] = []
    new_facts: list[order.Fact] = []

    if any(k in REFERRAL_FACTS for k in given):
        early = [order.Fact(key, f.not_future(f.instant(raw, k, tz), raw[k], k, now)) for k, key in (("concern-arose", order.CONCERN), ("received", order.RECEIVED),
                                                                       ("happened", order.HAPPENED)) if k in given]  # fmt: skip
        own = [x for x in order.replace(order.facts(case), *early) if x.key in (order.CONCERN, order.RECEIVED, order.HAPPENED)]
        found = order.problem(own, tz, early)  # the referral's own dates, both named, before its other checks
        if found:
            raise LadoError(f"{found}; nothing was saved")
        r = validate_referral(_referral_raw(case, raw), profile, now)
        derived += _referral(a, case, r, given, profile, now, new_facts)
    if "held" in given:
        derived += _held(a, raw, case, profile, now, new_facts)
    if {"outcome", "employment", "date"} & set(given):
        derived += _outcome(a, raw, case, profile, now, new_facts)
    if "closed" in given:
        if case["status"] != CLOSED:
            raise LadoError(f"{case['ref']} is not closed; close it with `lado close {case['ref']}`")
        closed = f.not_future(f.instant(raw, "closed", tz), raw["closed"], "closed", now)
        a.case_updates["closed_at"] = closed
        a.changes.append(Change("closed", _show(case["closed_at"], tz), _show(closed, tz)))
        new_facts.append(order.Fact(order.CLOSED, closed))
    order.check(case, tz, *new_facts, replacing=True)
    a.changes = [c for c in a.changes if c.old != c.new]
    if not a.changes:
        raise LadoError(f"nothing to amend: {case['ref']} already records " + "; ".join(f"--{k} as given" for k in given))
    facts = [c for c in a.changes if c.field in FACTS]
    parts = ["Amended (R37a): " + "; ".join(f"{FACTS[c.field]} {c.new or 'not recorded'}, was {c.old or 'not recorded'}" for c in facts) + "."]
    if derived:
        parts.append("Follows: " + "; ".join(derived) + ".")
    a.text = " ".join(parts)
    a.corrects_id = _recorded_in(case, facts[0].field if facts else given[0])
    return a


def _recorded_in(case: Mapping[str, Any], fact: str) -> int | None:
    """The chronology entry that recorded `fact` (R37a: a correction says what it corrects)."""
    kind = "referral" if fact in REFERRAL_FACTS else "initial-discussion" if fact == "held" else "closed" if fact == "closed" else "outcome"
    found = [e["id"] for e in case.get("events", []) if e["kind"] == kind]
    return (found[0] if kind == "referral" else found[-1]) if found else None


def _referral(a: Amendment, case: Mapping[str, Any], r, given: list[str], profile: Profile, now: datetime, new_facts: list) -> list[str]:
    tz = profile.calendar().tz
    s, e = case["subject"], case["employer"]
    words: list[str] = []
    simple = {  # flag: (old, new, table, column)
        "subject-name": (s["name"], r.subject_name, a.subject_updates, "name"),
        "subject-dob": (s["dob"], r.subject_dob, a.subject_updates, "dob"),
        "subject-role": (s["role"], r.subject_role, a.subject_updates, "role"),
        "employment-type": (s["employment"], r.employment, a.subject_updates, "employment"),
        "employer": (e["name"], r.employer, a.employer_updates, "name"),
        "sector": (e["sector"], r.sector, a.employer_updates, "sector"),
        "category": (case["category"], r.category, a.case_updates, "category"),
        "happened": (case["happened"], r.happened, a.case_updates, "happened"),
    }  # fmt: skip
    for k, (old, new, target, column) in simple.items():
        if k in given and old != new:
            target[column] = new
            a.changes.append(Change(k, _show(old, tz), _show(new, tz)))
    if "name" in a.subject_updates:
        a.subject_updates["name_key"] = name_key(r.subject_name)
    if "happened" in a.case_updates:
        new_facts.append(order.Fact(order.HAPPENED, r.happened))
    if {"child-name", "child-dob", "child-address", "child-social-worker"} & set(given):
        old = [(c["name"], c["dob"]) for c in case["children"]]
        new = [(c.name, c.dob) for c in r.children]
        old_more = [(c.get("address"), c.get("social_worker")) for c in case["children"]]
        new_more = [(c.address, c.social_worker) for c in r.children]
        if old != new or old_more != new_more:
            a.children = [{"name": c.name, "name_key": name_key(c.name), "dob": c.dob, "address": c.address, "social_worker": c.social_worker}
                          for c in r.children]  # fmt: skip
        if old != new:
            show = lambda kids: "; ".join(f"{n} ({_show(d, tz) or 'dob unknown'})" for n, d in kids) or "none"  # noqa: E731
            a.changes.append(Change("child-name", show(old), show(new)))
        for k, i in (("child-address", 0), ("child-social-worker", 1)):
            before, after = [m[i] for m in old_more], [m[i] for m in new_more]
            if before != after:
                a.changes.append(Change(k, "; ".join(v or "unknown" for v in before) or None, "; ".join(v or "unknown" for v in after) or None))
    from lado_cli.domain.amend_intake import amend_intake

    words += amend_intake(a, case, r, given, profile, new_facts)
    if "concern-arose" in given and r.concern_arose != case["concern_arose"]:
        a.case_updates.update(concern_arose=r.concern_arose, out_of_hours=r.out_of_hours)
        a.changes.append(Change("concern-arose", _show(case["concern_arose"], tz), _show(r.concern_arose, tz)))
        new_facts.append(order.Fact(order.CONCERN, r.concern_arose))
        words += _follow(a, case, ("notify-lado", "initial-discussion"), r.clock_start, profile, tz)  # R12, R13 (from first raised, R42)
    if "received" in given and r.received != case["received"]:
        a.case_updates["received"] = r.received
        a.changes.append(Change("received", _show(case["received"], tz), _show(r.received, tz)))
        new_facts.append(order.Fact(order.RECEIVED, r.received))
        words += _follow(a, case, ("notify-lado",), r.clock_start, profile, tz, met_at=r.received)  # R12: met on receipt
    if "criteria" in given:
        words += _criteria(a, case, list(r.criteria), profile, r.clock_start, r.received)
    return words


def _criteria(a: Amendment, case: Mapping[str, Any], criteria: list[str], profile: Profile, concern_arose: datetime, received: datetime) -> list[str]:
    ref, disc = case["ref"], case["discussion"]
    if disc is not None:  # the threshold was decided at the initial discussion (R21)
        if bool(disc["criteria"]) != bool(criteria):
            raise FieldError("criteria", ";".join(criteria) or NO_CRITERIA, f"changes whether {ref} met the threshold at its initial discussion",
                             "criteria that keep the discussion's decision (" + ("some criterion" if disc["criteria"] else "none") + "); "
                             "the routes of R22 cannot be made up by an amendment")  # fmt: skip
        if list(disc["criteria"]) != criteria:
            a.discussion_updates["criteria"] = criteria
            a.changes.append(Change("criteria", _show(disc["criteria"], None), _show(criteria, None)))
        return []
    old = list(case["criteria"])
    if old == criteria:
        return []
    a.case_updates["criteria"] = criteria
    a.changes.append(Change("criteria", _show(old, None), _show(criteria, None)))
    if bool(old) == bool(criteria):
        return []
    if case["status"] == CLOSED:
        raise FieldError("criteria", ";".join(criteria) or NO_CRITERIA, f"turns the closed {ref} between a referral and an advice-only consultation",
                         "criteria that keep it what it was closed as")  # fmt: skip
    words = []
    if not criteria:  # a referral becomes an advice-only consultation (R4, R37c)
        if case["outcome"] or case["employment_outcome"] or case["duties"]:
            raise FieldError("criteria", NO_CRITERIA, f"would make {ref} advice-only, and it has an outcome or duties",
                             "a criterion (an advice-only consultation has no outcome, R37c)")  # fmt: skip
        a.case_updates["status"] = ADVICE_ONLY
        limits = [d for d in case["deadlines"] if d["met_at"] is None and not d["not_applicable"]]
        a.not_applicable += [d["id"] for d in limits]
        words.append("now an advice-only consultation (R4, R37c)" + (": not applicable " + ", ".join(f"{d['kind']} ({d['rule']})" for d in limits) if limits else ""))
        return words
    a.case_updates["status"] = OPEN  # an advice-only consultation becomes a referral: R12, R13 from the concern arising
    words.append("now a referral")
    for kind, met_at in (("notify-lado", received), ("initial-discussion", None)):
        new = dl.new_deadline(kind, concern_arose, profile, met_at=met_at)
        old_limit = next((d for d in case["deadlines"] if d["kind"] == kind), None)
        if old_limit is not None:  # set aside when it became advice-only: it applies again
            a.deadline_updates.setdefault(old_limit["id"], {}).update(due=new.due, target=new.target, met_at=met_at, not_applicable=False)
        else:
            a.new_deadlines.append(new)
        words.append(f"{kind} ({new.rule}) due {_show(new.due, profile.calendar().tz)}" + (f", met {_show(met_at, profile.calendar().tz)}" if met_at else ""))
    return words


def _held(a: Amendment, raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime, new_facts: list) -> list[str]:
    disc, tz = case["discussion"], profile.calendar().tz
    if disc is None:
        raise LadoError(f"{case['ref']} has no initial discussion to amend; record it with `lado discuss {case['ref']}`")
    held = f.not_future(f.instant(raw, "held", tz), raw["held"], "held", now)
    old = disc["held"]
    if held == old:
        return []
    a.discussion_updates["held"] = held
    a.changes.append(Change("held", _show(old, tz), _show(held, tz)))
    new_facts.append(order.Fact(order.DISCUSSION, held))
    words = _follow(a, case, ("initial-discussion",), case.get("first_raised") or case["concern_arose"], profile, tz, met_at=held)  # R13 met at the discussion
    words += _follow(a, case, ("employer-action", "disciplinary-hearing"), held, profile, tz)  # R16, R17
    words += _follow(a, case, ("case-review",), held, profile, tz, only_due=_review(old, profile, case).due)  # the first R18 review
    if disc["social_care_referred"] == old:  # referred to social care at the discussion: R14, R15 move with it
        a.discussion_updates["social_care_referred"] = held
        words += _follow(a, case, ("strategy-discussion", "strategy-meeting"), held, profile, tz)
    return words


def _outcome(a: Amendment, raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, now: datetime, new_facts: list) -> list[str]:
    ref, cal = case["ref"], profile.calendar()
    out, emp = f.text(raw, "outcome"), f.text(raw, "employment")
    if out is not None:
        if not case["outcome"]:
            raise LadoError(f"{ref} has no outcome to amend; record it with `lado outcome {ref} --outcome SLUG --date DATE`")
        out = profile.check_slug("outcomes", "outcome", out)
    if emp is not None:
        if not case["employment_outcome"]:
            raise LadoError(f"{ref} has no employment outcome to amend; record it with `lado outcome {ref} --employment SLUG --date DATE`")
        emp = profile.check_slug("employment_outcomes", "employment", emp)
    when = f.day(raw, "date")
    if when is not None:
        if when > cal.local(now).date():
            raise FieldError("date", raw["date"], "is in the future", "a date that is not in the future")
        # --date goes with --employment when that alone is given; otherwise it dates the outcome (R28).
        column = "employment_outcome_date" if emp is not None and out is None else "outcome_date"
        if column == "outcome_date" and not case["outcome"]:
            raise LadoError(f"{ref} has no outcome to date; give --employment with --date to correct the employment outcome's date")
        if when != case[column]:
            a.case_updates[column] = when
            a.changes.append(Change("date", _show(case[column], None), _show(when, None)))
            new_facts.append(order.Fact(order.OUTCOME if column == "outcome_date" else order.EMPLOYMENT, when))
    for k, column, old in (("outcome", "outcome", case["outcome"]), ("employment", "employment_outcome", case["employment_outcome"])):
        new = out if k == "outcome" else emp
        if new is not None and new != old:
            a.case_updates[column] = new
            a.changes.append(Change(k, old, new))
    # R30-R32: the duties follow the corrected outcome.
    the_out, the_emp = a.case_updates.get("outcome", case["outcome"]), a.case_updates.get("employment_outcome", case["employment_outcome"])
    existing = {u["kind"]: u for u in case["duties"] if u.get("withdrawn_at") is None}
    regulator = bool(case["subject"].get("regulator"))
    words = []
    for kind, rule in profile.duties.items():
        from lado_cli.domain.casework import suspension_state

        applies = rule.applies(the_out, the_emp, regulator, *suspension_state(case))  # R48
        if applies and kind not in existing:
            label = rule.label_for(case["subject"].get("employment"))  # R31: the LADO's for a self-employed adult
            a.new_duties.append((kind, rule.rule, label))
            words.append(f"duty raised: {label} ({rule.rule})")
        elif not applies and kind in existing and existing[kind]["done_at"] is None:
            a.withdrawn_duties.append(existing[kind]["id"])
            a.changes.append(Change(f"duty:{kind}", "outstanding", "withdrawn"))
            words.append(f"duty withdrawn, it no longer applies: {existing[kind]['reason']} ({existing[kind]['rule']})")
    return words

