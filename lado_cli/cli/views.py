"""What `refer`, `show` and `list` put on the screen, and their machine-readable shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.markup import escape as _markup_escape

from lado_cli.cli.intake_view import intake_data, intake_rows
from lado_cli.cli import classify_view  # R28, P§55: the outcome classification section of `lado show`
from lado_cli.cli.render import END_OF_DAY, console, err, when  # noqa: F401  (err: re-exported for commands)
from lado_cli.cli import casework_views  # R45-R50: `lado show`
from lado_cli.domain import deadlines as dl
from lado_cli.domain.profile import Profile
from lado_cli.domain.referral import Referral, is_cross_border
from lado_cli.domain.text import visible  # controls, bidi and invisible characters shown, never obeyed (JSON, CSV: as stored)
from lado_cli.domain.workflow import lateness

def esc(text: str) -> str:
    """User text made safe to print with rich markup: markup escaped, control characters made visible."""
    return _markup_escape(visible(text))


STATUS_STYLE = {dl.OVERDUE: "bold red", dl.OPEN: "yellow", dl.MET: "green", dl.NOT_APPLICABLE: "dim"}


def _contacts_panel(title: str, intro: str, contacts, style: str):
    from rich.panel import Panel

    lines = [intro, ""] + [f"[bold]{esc(c.label)}[/]: {esc(c.value)}" for c in contacts]
    return Panel("\n".join(lines), title=title, border_style=style, expand=False)


class Notices:
    """Shows the intake's notices on stderr (stdout stays for the result)."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.last_history: list[dict] = []
        self.out = console(stderr=True)

    def __call__(self, kind: str, payload: Any) -> None:
        p = self.profile
        if kind == "danger":  # R8
            self.out.print(_contacts_panel("Immediate danger (R8)", "Contact the police and/or children's social care now, before anything else (MASH: the Multi-Agency Safeguarding Hub, where referrals about children go).", p.emergency_contacts, "red"))
        elif kind == "out-of-hours":  # R9
            self.out.print(_contacts_panel("Out of hours (R9)", "It is outside working hours: advice comes from the Emergency Duty Service (EDS), the council's out-of-hours social care team.", p.out_of_hours_contacts, "yellow"))
        elif kind == "cross-border" and is_cross_border(payload, p):  # R7
            self.out.print(f"[bold yellow]Cross-border (R7):[/] the adult works in {esc(payload)}; that authority's LADO normally leads. "
                           f"Contact them; this case is recorded as cross-border.")  # fmt: skip
        elif kind == "out-of-scope":  # R1-R3
            self.out.print(_contacts_panel("Outside the LADO procedure (R1-R3)", "The procedure covers adults who work or volunteer with children. For advice, contact:", p.contacts[:2], "blue"))
        elif kind == "history":  # R11a
            self.last_history = payload
            self.out.print(history_table(payload, p) if payload else "No earlier records about this adult or child (R11a).")
        elif kind == "earlier-concerns" and payload:  # the referrer's own knowledge, beside the matches (R11a)
            self.out.print(f"[bold]Earlier concerns known to the referrer (R11a):[/] {esc(payload)}")
        elif kind == "summary":
            self.out.print(summary_table(payload, p))
        elif kind == "problem":
            self.out.print(f"[bold red]{esc(payload)}[/]")
        elif kind == "answers":  # every answer, before "Save?"
            self.out.print(answers_table(*payload))
        elif kind == "suspension-triggers":  # R24
            from rich.panel import Panel

            self.out.print(Panel(
                "Consider suspension if there is cause to suspect a child is at risk of significant harm, "
                "if the allegation warrants a police investigation, or if it is so serious it might be grounds for dismissal. "
                "Consider alternatives first (duties away from children); seek LADO advice before suspending when there will be a "
                "criminal investigation; a suspended adult has a named contact for support.",
                title="Suspension (R24)", border_style="yellow", expand=False,
            ))  # fmt: skip


def history_table(rows: list[dict], profile: Profile):
    from rich.table import Table

    t = Table(title="Earlier records about the same adult or child (R11a)", title_style="bold magenta", title_justify="left")
    for col in ("Case", "About", "Name", "Date of birth", "Received", "Category", "Status", "Match"):
        t.add_column(col, overflow="fold")
    tz = profile.calendar().tz
    for h in rows:
        about = "the adult" if h["match"] == "subject" else "a child"
        dob = when(h["dob"], tz) if h["dob_known"] else "not known: check"
        why = f"{h['band']}: {'; '.join(h['reasons'])}" if h.get("band") else ""  # R11a matcher (lado_cli.store.matching)
        t.add_row(esc(h["ref"]), about, esc(h["name"]), dob, when(h["received"], tz), h["category"], h["status"], esc(why))
    return t


def summary_table(r: Referral, profile: Profile):
    from rich.table import Table

    tz = profile.calendar().tz
    t = Table(title="Referral summary", show_header=False, title_justify="left")
    t.add_column(style="bold")
    t.add_column()
    kids = "; ".join(f"{esc(c.name)} ({when(c.dob, tz) or 'dob unknown'})" for c in r.children) or "none identified"
    criteria = ", ".join(profile.label("criteria", c) for c in r.criteria) or "none: advice-only consultation (R37c)"
    for label, value in [
        ("Adult", f"{esc(r.subject_name)} ({when(r.subject_dob, tz) or 'dob unknown'}), {esc(r.subject_role)}"),
        ("Works with children as", profile.label("employment", r.employment)),
        ("Employer", f"{esc(r.employer or 'none')} ({profile.label('sectors', r.sector)})"),
        ("Works in", esc(r.works_in or profile.name) + ("  [yellow]cross-border (R7)[/]" if r.cross_border else "")),
        ("Children", kids),
        ("Happened", when(r.happened, tz) or "not known"),
        ("Concern arose", when(r.concern_arose, tz)),
        ("Told the LADO (R12)", when(r.told_lado, tz) or "not yet") if r.referrer_side else ("Received", when(r.received, tz)),
        ("Source", profile.label("sources", r.source) + (f": {esc(r.source_detail)}" if r.source_detail else "")),
        ("Category", profile.label("categories", r.category)),
        ("Criteria (R4)", criteria),
        ("Summary", esc(r.summary)),
        ("Referrer", esc(f"{r.referrer_name}, {r.referrer_role}, {r.referrer_org} ({r.referrer_contact})")),
    ]:
        t.add_row(label, value)
    return t


def answers_table(title: str, rows: list[tuple[str, str]]):
    """The answers of a workflow wizard, shown before it asks to save them."""
    from rich.table import Table

    t = Table(title=title, show_header=False, title_justify="left")
    t.add_column(style="bold", overflow="fold")
    t.add_column(overflow="fold")
    for label, value in rows:
        t.add_row(label, esc(value))
    return t


def saved(ref: str, r: Referral, profile: Profile, deadlines: list[dl.NewDeadline], now: datetime, then: str | None = None) -> None:
    """After `refer`: what was saved and its clocks (`then`: plain text after them, e.g. a
    referrer's "What to do now"); the last line is the bare reference."""
    from rich.table import Table

    out = console()
    tz = profile.calendar().tz
    kind = "advice-only consultation (no time limits, R37c)" if r.advice_only else "referral"
    kind = ("your organisation's concern" + (" (no harm criterion ticked)" if r.advice_only else "")) if r.referrer_side else kind  # issue #11
    out.print(f"Saved {kind} {esc(ref)}: {esc(r.subject_name)}, {esc(r.employer or 'no employer')}.")
    if deadlines:
        t = Table("Time limit", "Rule", "Due", "Status")
        for d in deadlines:
            s = dl.status(d.due, d.met_at, False, now)
            due = when(d.due, tz) + (f" (aim: {when(d.target, tz)})" if d.target else "")
            t.add_row(d.kind, d.rule, due, f"[{STATUS_STYLE[s]}]{s}[/]" + (f" {when(d.met_at, tz)}" if d.met_at else ""))
        out.print(t)
    if then:
        out.print(then, markup=False, highlight=False, soft_wrap=True)
    out.print(ref, markup=False, highlight=False)


def step_saved(ref: str, plan, actions: list[dl.NewDeadline], profile: Profile, now: datetime) -> None:
    """After a workflow step: what was recorded, and the clocks it started."""
    from rich.table import Table

    out = console()
    tz = profile.calendar().tz
    for event in plan.events:
        out.print(f"[bold]{esc(ref)}[/] · {esc(event.text)}")
        if event.kind == "not-applicable" and event.rationale:
            out.print(f"Why: {esc(event.rationale)}")
    new = list(plan.new_deadlines) + list(actions)
    if new:
        t = Table("New time limit", "Rule", "Due", "Owner", title_justify="left")
        for d in new:
            met = f" (met {when(d.met_at, tz)})" if d.met_at else ""  # e.g. the intake limits of an upgraded contact
            t.add_row(d.kind + (f": {esc(d.title)}" if d.title else "") + met, d.rule, when(d.due, tz), esc(d.owner or ""))
        out.print(t)


# -- show ---------------------------------------------------------------------------------


def case_data(case: dict, profile: Profile, now: datetime) -> dict[str, Any]:
    """The `show --format json` object (a stable interface: keep names)."""
    s, e, ref = case["subject"], case["employer"], case["referrer"]
    return {
        "ref": case["ref"],
        "status": case["status"],
        "their_ref": case.get("their_ref"), "their_org": case.get("their_org"),  # a referral received as a file (lado-referral/1)
        "subject": {k: s.get(k) for k in ("name", "dob", "role", "employment", "status", "address", "regulator")},
        "employer": {"name": e.get("name"), "sector": e.get("sector")},
        "children": [{"name": c["name"], "dob": c["dob"]} for c in case["children"]],
        "referrer": {"name": ref.get("name"), "role": ref.get("role"), "organisation": ref.get("organisation"), "contact": ref.get("contact")},
        "happened": case["happened"],
        "concern_arose": case["concern_arose"],
        "received": case["received"],
        "told_lado": case.get("told_lado"), "told_lado_via": case.get("told_lado_via"),  # referrer mode (issue #11, R12)
        "recorded_at": case["recorded_at"],
        "source": case["source"],
        "source_detail": case["source_detail"],
        "category": case["category"],
        "criteria": case["criteria"],
        "suitability": case["suitability"],
        "summary": case["summary"],
        "immediate_danger": case["immediate_danger"],
        "out_of_hours": case["out_of_hours"],
        "works_in": case["works_in"],
        "cross_border": case["cross_border"],
        **intake_data(case, profile),  # R42-R44, R51 and the referral-form fields (cli/intake_view.py)
        "closed_at": case["closed_at"],
        "complex": case["complex"],
        "outcome": {"outcome": case["outcome"], "date": case["outcome_date"],
                    "employment": case["employment_outcome"], "employment_date": case["employment_outcome_date"]},  # fmt: skip
        "classification": classify_view.case_part(case, profile),  # R28, P§55
        "discussion": _without(case["discussion"], "id", "case_id"),
        "meetings": [_without(m, "case_id") for m in case["meetings"]],
        "police": [_without(p, "id", "case_id") for p in case["police"]],
        "duties": [{"kind": u["kind"], "rule": u["rule"], "reason": u["reason"], "status": "done" if u["done_at"] else "withdrawn" if u["withdrawn_at"] else "outstanding",
                    "done_at": u["done_at"], "note": u["note"], "withdrawn_at": u["withdrawn_at"], "withdrawn_reason": u["withdrawn_reason"]}
                   for u in case["duties"]],  # fmt: skip
        "escalations": [dict(_without(e, "case_id"), steps=[_without(st, "escalation_id") for st in e["steps"]]) for e in case["escalations"]],
        "casework": casework_views.data(case),  # R45-R50
        "deadlines": [
            {
                "id": d["id"], "kind": d["kind"], "rule": d["rule"], "due": d["due"], "target": d["target"],
                "status": dl.status(d["due"], d["met_at"], d["not_applicable"], now),
                "met_at": d["met_at"], "late": lateness(d["due"], d["met_at"], profile) if d["met_at"] else None,
                "title": d["title"], "owner": d["owner"], "note": d["note"], "meeting_id": d["meeting_id"],
                "reason": d["reason"],  # why it was set aside (status not-applicable), else null
            }  # fmt: skip
            for d in case["deadlines"]
        ],
        "amendments": [{"entry": m["event_id"], "field": m["field"], "old": m["old"], "new": m["new"], "why": m["why"],
                        "actor": m["actor"], "at": m["at"]} for m in case.get("amendments", [])],  # R37a
        "timeline": [
            {"id": ev["id"], "at": ev["at"], "recorded_at": ev["recorded_at"], "actor": ev["actor"], "kind": ev["kind"],
             "text": ev["text"], "rationale": ev["rationale"], "corrects": ev["corrects_id"]}  # fmt: skip
            for ev in case["events"]
        ],
    }


def _without(row: dict | None, *keys: str) -> dict | None:
    return None if row is None else {k: v for k, v in row.items() if k not in keys}


def flatten(data: Any, prefix: str = "") -> list[dict[str, Any]]:
    """`show --format csv`: one `field,value` row per leaf (lists indexed: deadlines[0].kind)."""
    rows: list[dict[str, Any]] = []
    if isinstance(data, dict):
        for k, v in data.items():
            rows += flatten(v, f"{prefix}.{k}" if prefix else k)
    elif isinstance(data, list) and data and isinstance(data[0], dict):
        for i, v in enumerate(data):
            rows += flatten(v, f"{prefix}[{i}]")
    else:
        rows.append({"field": prefix, "value": data})
    return rows


def _detail_table(title: str):
    from rich.table import Table

    t = Table(title=title, title_justify="left", title_style="bold", show_header=False)
    t.add_column(style="bold")
    t.add_column()
    return t


def case_view(data: dict[str, Any], profile: Profile):
    """The rich view of one case: who, what, the clocks and the chronology as a timeline."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table

    tz = profile.calendar().tz
    s, e = data["subject"], data["employer"]
    head = Table(show_header=False, box=None, pad_edge=False)
    head.add_column(style="bold")
    head.add_column()
    kids = "; ".join(f"{esc(c['name'])} ({when(c['dob'], tz) or 'dob unknown'})" for c in data["children"]) or "none identified"
    lab = _labeller(profile)
    criteria = lab("criteria", data["criteria"]) or "none (advice-only, R37c)"
    r = data["referrer"]
    rows = [
        ("Adult", f"{esc(s['name'])} ({when(s['dob'], tz) or 'dob unknown'}), {esc(s['role'])}"),
        ("Works with children as", lab("employment", s["employment"])),
        ("Working now", lab("subject_statuses", s["status"]) if s["status"] else "not recorded"),
        ("Address", esc(s["address"] or "")),
        ("Regulator (R31)", esc(s["regulator"] or "")),
        ("Employer", f"{esc(e['name'] or 'none')} ({lab('sectors', e['sector'])})"),
        ("Works in", esc(data["works_in"] or profile.name) + (" [yellow](cross-border, R7)[/]" if is_cross_border(data["works_in"], profile) else "")),
        ("Children", kids),
        ("Category", lab("categories", data["category"])),
        ("Source (R6)", lab("sources", data["source"]) + (f": {esc(data['source_detail'])}" if data["source_detail"] else "")),
        ("Criteria (R4)", criteria),
        ("Suitability (R5)", lab("suitability_indicators", data["suitability"])),
        ("Immediate danger (R8)", "[bold red]yes[/]" if data["immediate_danger"] else ""),
        ("Out of hours (R9)", "yes" if data["out_of_hours"] else ""),
        ("Happened", when(data["happened"], tz) or "not known"),
        ("Concern arose", when(data["concern_arose"], tz)),
        ("Received", when(data["received"], tz)),
        ("Told the LADO (R12)", when(data.get("told_lado"), tz) + (f" ({esc(data['told_lado_via'])})" if data.get("told_lado_via") else "")),
        ("Recorded", when(data["recorded_at"], tz)),
        ("Referrer", esc(f"{r['name']}, {r['role']}, {r['organisation']} ({r['contact']})")),
        ("Their reference", esc(f"{data['their_ref']} ({data['their_org']})") if data.get("their_ref") else ""),
        ("Summary", esc(data["summary"])),
        ("Complex (R18)", "yes" if data["complex"] else ""),
        ("Closed", when(data["closed_at"], tz)),
        *intake_rows(data, profile, esc),  # R42-R44, R51 and the referral-form fields (cli/intake_view.py)
    ]
    for label, value in rows:
        if value:
            head.add_row(label, value)
    parts: list[Any] = [Panel(head, title=f"[bold]{esc(data['ref'])}[/] · {STATUS_LABELS.get(data['status'], data['status'])}", title_align="left", expand=False)]

    d = data["discussion"]
    if d:  # R21-R24
        t = _detail_table("Initial discussion")
        t.add_row("Held", when(d["held"], tz) + (f" with {esc(d['participants'])}" if d["participants"] else ""))
        t.add_row("Criteria (R21)", lab("criteria", d["criteria"]) or "none: advice-only (R37c)")
        t.add_row("Rationale", esc(d["rationale"]))
        if d["routes"]:
            t.add_row("Routes (R22)", lab("routes", d["routes"]))
        if d["s47"] is not None:
            t.add_row("s47 threshold", "may be met" if d["s47"] else "not met")
        if d["social_care_referred"]:
            t.add_row("Referred to social care", when(d["social_care_referred"], tz))
        if d["employer_action"]:
            t.add_row("Employer action", lab("employer_actions", d["employer_action"]))
        if d["pot_meeting"]:
            t.add_row("Position of trust meeting", "to be convened (R22)")
        for key, value in d["considerations"].items():
            t.add_row(f"Considered: {lab('considerations', key)}", esc(value))
        if d["suspension"]:
            t.add_row("Suspension (R24)", lab("suspension_decisions", d["suspension"]) + "".join(f"; {esc(x)}" for x in (d["suspension_note"], d["named_contact"] and f"contact {d['named_contact']}") if x))
        t.add_row("Recorded", f"{when(d['recorded_at'], tz)} by {esc(d['actor'])}")
        parts.append(t)

    if data["deadlines"]:
        t = Table(title="Time limits", title_justify="left", title_style="bold")
        for col in ("Id", "Kind", "Rule", "Due", "Status", "Met"):
            t.add_column(col)
        for dd in data["deadlines"]:
            due = when(dd["due"], tz) + (f"\n(aim: {when(dd['target'], tz)})" if dd["target"] else "")
            kind = dd["kind"] + (f": {esc(dd['title'])} ({esc(dd['owner'])})" if dd["title"] else "")
            met = when(dd["met_at"], tz) + (f"\n[red]{dd['late']}[/]" if dd["late"] else "")
            if dd["reason"] and dd["status"] == dl.NOT_APPLICABLE:
                met = f"[dim]{esc(dd['reason'])}[/]"
            t.add_row(str(dd["id"]), kind, dd["rule"], due, f"[{STATUS_STYLE[dd['status']]}]{dd['status']}[/]", met)
        parts.append(t)

    if data["meetings"]:  # R25
        t = Table("Held", "Meeting", "Chair", "Attendees", "Decisions", title="Meetings", title_justify="left", title_style="bold")
        for m in data["meetings"]:
            people = "; ".join(", ".join(esc(p) for p in (a["name"], a["role"], a["agency"]) if p) for a in m["attendees"])
            extra = "".join(f"\n{x}" for x in (m["minutes_ref"] and f"minutes: {esc(m['minutes_ref'])}",
                                                m["next_review"] and f"next review: {when(m['next_review'], tz)}") if x)  # fmt: skip
            t.add_row(when(m["held"], tz), lab("meeting_types", m["type"]) + (" (separation applied)" if m["confidentiality"] else "") + extra,
                      esc(m["chair"] or ""), people, esc(m["decisions"] or ""))  # fmt: skip
        parts.append(t)

    if data["police"]:  # R27
        t = Table("When", "Outcome", "Update", "Next review (R19)", title="Police", title_justify="left", title_style="bold")
        for p in data["police"]:
            t.add_row(when(p["at"], tz), (lab("police_outcomes", p["outcome"]) if p["outcome"] else "") + (f": {esc(p['result'])}" if p["result"] else ""),
                      esc(p["text"] or ""), when(p["review_date"], tz))  # fmt: skip
        parts.append(t)

    o = data["outcome"]
    if o["outcome"] or o["employment"] or data["duties"]:  # R28-R32
        t = _detail_table("Outcome")
        t.add_row("Allegation (R28)", f"{lab('outcomes', o['outcome'])} ({when(o['date'], tz)})" if o["outcome"] else "[yellow]not recorded yet[/]")
        if o["employment"]:
            t.add_row("Employment (R29)", f"{lab('employment_outcomes', o['employment'])} ({when(o['employment_date'], tz)})")
        for u in data["duties"]:
            state = (f"[green]done {when(u['done_at'], tz)}[/]" if u["done_at"] else
                     f"[dim]withdrawn {when(u['withdrawn_at'], tz)}: {esc(u['withdrawn_reason'])}[/]" if u["withdrawn_at"] else "[bold yellow]outstanding[/]")  # fmt: skip
            t.add_row(f"Duty {u['kind']} ({u['rule']})", f"{esc(u['reason'])}: {state}")
        parts.append(t)

    parts += classify_view.tables(data, profile)  # R28, P§55
    from lado_cli.cli.escalation_view import escalation_tables

    parts += escalation_tables(data, profile)  # R38-R41
    parts += casework_views.tables(data, profile)  # R45-R50

    tl = Table(title="Chronology", title_justify="left", title_style="bold", box=None, show_header=False)
    tl.add_column(style="cyan", no_wrap=True)
    tl.add_column(justify="center")
    tl.add_column()
    for i, ev in enumerate(data["timeline"]):
        mark = "●" if i == 0 else "│\n●"
        head = f"[bold]{ev['kind']}[/] · {esc(ev['actor'])} · #{ev['id']}" + (f" (corrects #{ev['corrects']})" if ev["corrects"] else "")
        body = esc(ev["text"]) + (f"\n[dim]Why: {esc(ev['rationale'])}[/]" if ev["rationale"] else "")
        tl.add_row(when(ev["at"], tz), mark, f"{head}\n{body}")
    parts.append(tl)
    return Group(*parts)


STATUS_LABELS = {"open": "open", "advice-only": "advice-only consultation (R37c)", "closed": "closed"}


def _labeller(profile: Profile):
    """lab(list, slug or slugs): the profile's labels, as the wizard offered them (not slugs)."""

    def lab(list_name: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, (list, tuple)):
            return "; ".join(esc(profile.label(list_name, v)) for v in value)
        return esc(profile.label(list_name, value))

    return lab


# -- list ---------------------------------------------------------------------------------

LIST_COLUMNS = ["ref", "status", "received", "subject", "subject_dob", "employer", "sector", "category", "next_due", "overdue"]


def list_table(rows: list[dict], profile: Profile):
    from rich import box
    from rich.table import Table

    tz = profile.calendar().tz
    t = Table(title=f"{len(rows)} case{'s' if len(rows) != 1 else ''}", title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("Ref", "Status", "Received", "Next due"):
        t.add_column(col, no_wrap=True)
    t.add_column("Overdue limits", justify="right")
    t.add_column("Adult · employer", min_width=16)
    for r in rows:
        overdue = f"[bold red]{r['overdue']}[/]" if r["overdue"] else ""
        next_due = r["next_due"] and r["next_due"].astimezone(tz)
        due = "" if next_due is None else (f"{next_due:%d/%m/%Y}" if next_due.time() == END_OF_DAY else f"{next_due:%d/%m/%Y %H:%M}")
        t.add_row(esc(r["ref"]), r["status"], f"{r['received'].astimezone(tz):%d/%m/%Y}", due, overdue,
                  f"{esc(r['subject'])} [dim]· {esc(r['employer'] or 'no employer')}[/]")
    return t


# -- profile ------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, dict) and set(value) == {"label", "value"}:  # a contact
        return f"{value['label']}: {value['value']}"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_cell(v)}" for k, v in value.items() if v not in (None, [], {}))
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def profile_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """`profile show --format csv`: section,key,value (top-level settings in section 'general')."""
    rows = []
    for section, value in data.items():
        if isinstance(value, dict):
            rows += [{"section": section, "key": k, "value": _cell(v)} for k, v in value.items()]
        else:
            rows.append({"section": "general", "key": section, "value": _cell(value)})
    return rows


def profile_view(profile: Profile):
    from rich.console import Group
    from rich.table import Table

    tables, general = [], Table(title="Profile", title_justify="left", title_style="bold", show_header=False)
    general.add_column(style="bold")
    general.add_column()
    for section, value in profile.to_dict().items():
        if not isinstance(value, dict):
            general.add_row(section, esc(_cell(value)))
            continue
        t = Table(title=section, title_justify="left", title_style="bold", show_header=False)
        t.add_column(style="cyan")
        t.add_column()
        for k, v in value.items():
            t.add_row(k, esc(_cell(v)))
        tables.append(t)
    return Group(general, *tables)
