"""`lado show`: the case work after the initial discussion (R45-R50), as json and as tables."""

from __future__ import annotations

from typing import Any

from lado_cli.domain.profile import Profile

#: json name -> (table, columns shown; `id` numbers a minutes request for `lado minutes --request N`)
_FIELDS = {
    "suspensions": ("suspensions", ("at", "decision", "told_lado", "why", "named_contact", "support", "updates", "union_advised")),
    "evidence_consents": ("evidence_consents", ("at", "agency", "given_by", "scope")),
    "risk_assessments": ("risk_assessments", ("at", "commissioned_by", "assessor", "note")),
    "child_contacts": ("child_contacts", ("at", "decision", "arrangements")),
    "subject_told": ("subject_told", ("at", "told_by", "what")),
    "minutes_requests": ("minutes_requests", ("id", "at", "requested_by", "chair", "redaction", "ig_advice", "decision", "decided_on")),
    "complaints": ("complaints", ("at", "complainant", "about", "summary", "sent_at")),
}


def data(case: dict[str, Any]) -> dict[str, Any]:
    """The `casework` object of `show --format json` (a stable interface: keep names), with
    the latest suspension decision (R45: the discussion's, or a later one)."""
    from lado_cli.domain.casework import suspension_state

    rows = case.get("casework") or {}
    out: dict[str, Any] = {name: [{k: r[k] for k in cols} | {"recorded_at": r["recorded_at"], "actor": r["actor"]} for r in rows.get(table, [])]
                           for name, (table, cols) in _FIELDS.items()}  # fmt: skip
    latest, removed = suspension_state(case)
    out["latest_suspension"] = latest
    out["removed_from_duties"] = removed
    return out


def tables(data: dict[str, Any], profile: Profile) -> list:
    """The rich tables of the case work that was recorded (none: nothing shown)."""
    from rich.table import Table

    from lado_cli.cli.views import esc, when

    tz = profile.calendar().tz
    cw = data["casework"]

    def lab(list_name: str, slug: str | None) -> str:
        return esc(profile.label(list_name, slug)) if slug else ""

    def table(title: str, *columns: str) -> Table:
        return Table(*columns, title=title, title_justify="left", title_style="bold")

    parts = []
    if cw["suspensions"]:
        t = table(f"Suspension after the discussion (R45); latest: {lab('suspension_decisions', cw['latest_suspension'])}",
                  "Decided", "Decision", "LADO told", "Support (P§35)", "Why")  # fmt: skip
        for r in cw["suspensions"]:
            support = "; ".join(x for x in (r["named_contact"] and f"contact {r['named_contact']}", r["support"], r["updates"] and f"updates: {r['updates']}",
                                            r["union_advised"] and "advised to contact their union") if x)  # fmt: skip
            t.add_row(when(r["at"], tz), lab("suspension_decisions", r["decision"]), when(r["told_lado"], tz) or "[yellow]not recorded[/]", esc(support), esc(r["why"] or ""))
        parts.append(t)
    if cw["evidence_consents"]:
        t = table("Consent to share evidence with the employer (R46)", "Given", "By", "Scope")
        for r in cw["evidence_consents"]:
            t.add_row(when(r["at"], tz), lab("consent_from", r["agency"]) + (f" ({esc(r['given_by'])})" if r["given_by"] else ""), esc(r["scope"]))
        parts.append(t)
    if cw["risk_assessments"]:
        t = table("Specialised risk assessment (R46)", "Commissioned", "By", "Carried out by", "Note")
        for r in cw["risk_assessments"]:
            t.add_row(when(r["at"], tz), esc(r["commissioned_by"]), esc(r["assessor"] or "not recorded yet"), esc(r["note"] or ""))
        parts.append(t)
    if cw["child_contacts"]:
        t = table("Contact with the child (R48)", "Decided", "Decision", "Arrangements")
        for r in cw["child_contacts"]:
            t.add_row(when(r["at"], tz), lab("contact_decisions", r["decision"]), esc(r["arrangements"] or ""))
        parts.append(t)
    if cw["subject_told"]:
        t = table("What the adult was told (R48)", "When", "By", "What")
        for r in cw["subject_told"]:
            t.add_row(when(r["at"], tz), esc(r["told_by"]), esc(r["what"]))
        parts.append(t)
    if cw["minutes_requests"]:
        t = table("Minutes requests (R49)", "No.", "Received", "From", "Chair", "Redaction; IG advice", "Decision")
        for r in cw["minutes_requests"]:
            decided = f"{lab('minutes_decisions', r['decision'])} ({when(r['decided_on'], tz)})" if r["decision"] else "[yellow]to follow[/]"
            t.add_row(str(r["id"]), when(r["at"], tz), esc(r["requested_by"]), esc(r["chair"]),
                      esc("; ".join(x for x in (r["redaction"], r["ig_advice"] and f"IG: {r['ig_advice']}") if x)), decided)  # fmt: skip
        parts.append(t)
    if cw["complaints"]:
        t = table("Complaints (R50, R37)", "Received", "From", "About", "Complaint", "Sent to complaints team")
        for r in cw["complaints"]:
            t.add_row(when(r["at"], tz), esc(r["complainant"]), lab("complaint_subjects", r["about"]), esc(r["summary"]), when(r["sent_at"], tz))
        parts.append(t)
    return parts
