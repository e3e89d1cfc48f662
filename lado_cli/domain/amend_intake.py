"""Amendments of the intake facts (domain/intake.py, R37a): the case's facts as `lado refer`
answers, and the changes an amendment makes to them. Part of domain/amend.py."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from lado_cli.domain import intake, order
from lado_cli.domain.amend import Amendment, Change, _follow, _show
from lado_cli.domain.profile import Profile


def intake_raw(case: Mapping[str, Any]) -> dict[str, Any]:
    """The case's intake facts as `lado refer` answers (domain/intake.py)."""
    got = case.get("intake") or {"facts": {}, "other_settings": []}
    out: dict[str, Any] = {"first-raised": case["first_raised"].isoformat() if case.get("first_raised") else None}
    for s in intake.FACT_SPECS:
        v = got["facts"].get(s.col)
        out[s.slug] = v.isoformat() if isinstance(v, datetime) else str(v) if s.kind == "count" and v is not None else v
    kids = case["children"]
    if kids:
        out["child-address"] = [c.get("address") or "unknown" for c in kids]
        out["child-social-worker"] = [c.get("social_worker") or "unknown" for c in kids]
    places = got["other_settings"]
    if places:
        out["other-setting"] = [p["name"] for p in places]
        out["other-setting-kind"] = [p["kind"] or "unknown" for p in places]
        out["other-setting-authority"] = [p["authority"] or "unknown" for p in places]
    return out


def amend_intake(a: Amendment, case: Mapping[str, Any], r, given: list[str], profile: Profile, new_facts: list) -> list[str]:
    """R42-R44, R51 and the form fields (domain/intake.py): the facts replaced as a whole, each
    change named; a corrected first-raised moves R12/R13 (R42); the cross-border flag follows."""
    tz = profile.calendar().tz
    words: list[str] = []
    if "first-raised" in given and r.first_raised != case.get("first_raised"):
        a.case_updates["first_raised"] = r.first_raised
        a.changes.append(Change("first-raised", _show(case.get("first_raised"), tz), _show(r.first_raised, tz)))
        new_facts.append(order.Fact(order.FIRST_RAISED, r.first_raised))
        if "concern-arose" not in given:  # (else moved there, from the same start)
            words += _follow(a, case, ("notify-lado", "initial-discussion"), r.clock_start, profile, tz)  # R12, R13
    got = case.get("intake") or {"facts": {}, "other_settings": []}
    for s in intake.FACT_SPECS:
        old, new = got["facts"].get(s.col), r.intake.facts.get(s.col)
        if s.slug in given and old != new and not (old in (None, []) and new in (None, [])):
            a.changes.append(Change(s.slug, _fact(s, old, profile, tz), _fact(s, new, profile, tz)))
            a.intake = r.intake
            if s.slug == "police-referred" and new is not None:
                new_facts.append(order.Fact(order.POLICE_REFERRED, new))
    old_places = [(p["name"], p["kind"], p["authority"]) for p in got["other_settings"]]
    new_places = [(p.name, p.kind, p.authority) for p in r.intake.settings]
    if {"other-setting", "other-setting-kind", "other-setting-authority"} & set(given) and old_places != new_places:
        show = lambda ps: "; ".join(n + "".join(f", {x}" for x in (k, au) if x) for n, k, au in ps) or None  # noqa: E731
        a.changes.append(Change("other-setting", show(old_places), show(new_places)))
        a.intake = r.intake
    if a.intake is not None and r.cross_border != case["cross_border"]:
        a.case_updates["cross_border"] = r.cross_border  # R7, R51: derived from the places
        words.append("now cross-border (R7, R51)" if r.cross_border else "no longer cross-border (R7, R51)")
    return words


def _fact(spec, value: Any, profile: Profile, tz) -> str | None:
    if value is None or value == []:
        return None
    if spec.kind == "bool":
        return "yes" if value else "no"
    if spec.kind == "slug":
        return profile.label(spec.list_name, value)
    return _show(value, tz)
