"""The intake facts in `lado show` (domain/intake.py): the JSON object `intake` and the
rows of the table, labelled from the one table of specs."""

from __future__ import annotations

from typing import Any

from lado_cli.cli.render import when
from lado_cli.domain.intake import FACT_SPECS, same_authority
from lado_cli.domain.profile import Profile


def intake_data(case: dict[str, Any], profile: Profile) -> dict[str, Any]:
    """`show --format json`: `first_raised` and `intake` (every fact by its column, null when
    not recorded; each child's address and social worker, in the order of `children`; other
    places with their cross-border flag; the cases linked by association)."""
    got = case.get("intake") or {"facts": {s.col: None for s in FACT_SPECS}, "other_settings": [], "associated": []}
    places = [dict(p, cross_border=bool(p["authority"]) and not same_authority(p["authority"], profile.name)) for p in got["other_settings"]]
    return {
        "first_raised": case.get("first_raised"),
        "intake": dict(got["facts"], children=[{"name": c["name"], "address": c.get("address"), "social_worker": c.get("social_worker")}
                                               for c in case["children"]],
                       other_settings=places, associated_cases=got["associated"]),  # fmt: skip
    }


def _shown(spec, value: Any, profile: Profile, tz) -> str:
    if value is None or value == []:
        return ""
    if spec.kind == "instant":
        return when(value, tz)
    if spec.kind == "bool":
        return "yes" if value else "no"
    if spec.kind == "slug":
        return profile.label(spec.list_name, value)
    if spec.kind == "texts":
        return "; ".join(value)
    return str(value)


def intake_rows(data: dict[str, Any], profile: Profile, esc) -> list[tuple[str, str]]:
    """(label, value) rows for the case table, only the facts recorded."""
    tz = profile.calendar().tz
    rows: list[tuple[str, str]] = []
    if data.get("first_raised"):
        rows.append(("First raised (R42)", when(data["first_raised"], tz)))
    facts = data["intake"]
    for spec in FACT_SPECS:
        value = _shown(spec, facts.get(spec.col), profile, tz)
        if value:
            rows.append((spec.label, esc(value) if spec.kind in ("text", "texts") else value))
    for i, c in enumerate(facts["children"], 1):
        extra = "; ".join(x for x in (c.get("address") and f"address {c['address']}", c.get("social_worker") and f"social worker {c['social_worker']}") if x)
        if extra:
            rows.append((f"Child {i}: {esc(c['name'])}", esc(extra)))
    for p in facts["other_settings"]:
        kind = profile.label("setting_kinds", p["kind"]) if p["kind"] else "other place"
        where = f", {esc(p['authority'])}" if p["authority"] else ""
        rows.append(("Other place (R51)", f"{esc(p['name'])} ({kind}{where})" + (" [yellow](cross-border, R7)[/]" if p["cross_border"] else "")))
    for a in facts["associated_cases"]:
        how = profile.label("associations", a["association"]) if a["association"] else "associated"
        rows.append(("Linked case (P§68)", f"{esc(a['ref'])}: {esc(a['subject'])}, {how} of this case's worker"))
    return rows
