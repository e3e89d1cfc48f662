"""Case work after the initial discussion (R45-R50): suspension, consent, risk-assessment,
contact, told, minutes, complaint, compromise.

Each command reads the case, asks (on a terminal) for what its flags did not give, checks the
answers with `lado_cli.domain.casework`, and writes the row, its chronology entry and the
duties it raises or withdraws in one transaction.
"""

from __future__ import annotations

from typing import Any

import typer

from lado_cli import saved
from lado_cli.cli.context import app_context, can_prompt
from lado_cli.cli.workflow import NO_INPUT, REF, YES, _given

_DT = "dd/mm/yyyy hh:mm or ISO, UK time; not in the future"
_TABLES = {"suspension": "suspensions", "consent": "evidence_consents", "assessment": "risk_assessments", "contact": "child_contacts",
           "told": "subject_told", "minutes": "minutes_requests", "complaint": "complaints", "compromise": None}  # fmt: skip


def _run(ctx: typer.Context, ref: str, given: dict[str, Any], *, no_input: bool, step: str) -> None:
    from lado_cli.cli import views
    from lado_cli.domain import casework
    from lado_cli.store.casework import save
    from lado_cli.store.workflow import load_state

    app = app_context(ctx)
    profile, now, db = app.profile, app.now(), app.db
    with db.read() as conn:
        case = load_state(conn, ref)
    if can_prompt(no_input):
        from lado_cli.wizards import casework as wizards

        views.err(f"[bold]{views.esc(case['ref'])}[/]")
        given = getattr(wizards, step)(given, profile=profile, now=now, notify=views.Notices(profile), clock=app.now, case=case)
        if given is None:
            views.err("Nothing was saved.")
            raise typer.Exit(0)
        now = app.now()  # answers were checked against the time of each question: save at the time of saving
    result = getattr(casework, step)(given, case, profile, now)
    update_id = None
    if step == "compromise":
        row, plan = None, result
    elif step == "minutes":
        row, update_id, plan = result
    else:
        row, plan = result
    import sqlalchemy as sa

    tz = profile.calendar().tz
    try:
        with db.begin() as conn:
            save(conn, case, _TABLES[step], row, plan, now=now, actor=app.actor(), tz=tz, update_id=update_id)
    except sa.exc.IntegrityError:  # a clash the version check did not foresee: still who and when
        from lado_cli.store.cases import stale_error

        with db.read() as conn:
            raise stale_error(conn, case, tz) from None
    saved.name(case["ref"])
    if step == "compromise":  # P§61: said plainly, where it cannot be missed
        views.err("[bold red]Warning:[/] a compromise agreement must not be used (R33, R50, P§61); the warning is in the chronology.")
    views.step_saved(case["ref"], plan, [], profile, now)


def suspension(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    decision: str = typer.Option(None, "--decision", metavar="SLUG", help="The employer's decision (R45): suspended, alternative-duties, not-suspended, not-applicable, lifted."),
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When it was decided ({_DT}); at or after the initial discussion."),
    told_lado: str = typer.Option(None, "--told-lado", metavar="DATETIME", help=f"When the LADO was told (P§34; {_DT}); at or after the decision."),
    why: str = typer.Option(None, "--why", help="Why, and the alternatives considered."),
    named_contact: str = typer.Option(None, "--named-contact", help="Named contact for the adult (required with suspended, P§35)."),
    support: str = typer.Option(None, "--support", help="Support offered to the adult (P§35)."),
    updates: str = typer.Option(None, "--updates", help="How the adult is kept updated on progress and timescales (P§35)."),
    union_advised: bool = typer.Option(False, "--union-advised", help="The adult was advised to contact their union or professional association (P§35)."),
) -> None:
    """Record a suspension decided, changed or lifted after the initial discussion (R45).

    The latest decision counts in `lado stats`; lifting a suspension (or ending alternative
    duties) raises the return-to-work duty (R48).
    """
    given = _given({"decision": decision, "at": at, "told-lado": told_lado, "why": why, "named-contact": named_contact,
                    "support": support, "updates": updates, "union-advised": union_advised, "yes": yes})  # fmt: skip
    _run(ctx, ref, given, no_input=no_input, step="suspension")


def consent(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    from_: str = typer.Option(None, "--from", metavar="SLUG", help="Who consented (R46): police or social-care."),
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When consent was given ({_DT})."),
    by: str = typer.Option(None, "--by", help="The person who gave it, e.g. the investigating officer."),
    scope: str = typer.Option(None, "--scope", help="What may be shared with the employer, and for what."),
) -> None:
    """Record consent from the police or social care to share statements and evidence with the employer (R46)."""
    _run(ctx, ref, _given({"from": from_, "at": at, "by": by, "scope": scope, "yes": yes}), no_input=no_input, step="consent")


def risk_assessment(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    commissioned: str = typer.Option(None, "--commissioned", metavar="DATETIME", help=f"When it was commissioned ({_DT})."),
    by: str = typer.Option(None, "--by", help="Who commissioned it (usually the employer)."),
    assessor: str = typer.Option(None, "--assessor", help="Who carries it out."),
    note: str = typer.Option(None, "--note", help="Why it was needed, or what it covers."),
) -> None:
    """Record a specialised risk assessment of the adult commissioned (R46)."""
    _run(ctx, ref, _given({"commissioned": commissioned, "by": by, "assessor": assessor, "note": note, "yes": yes}), no_input=no_input, step="assessment")


def contact(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When it was decided ({_DT})."),
    decision: str = typer.Option(None, "--decision", metavar="SLUG", help="Contact with the child (R48): no-contact, supervised, managed, unrestricted."),
    arrangements: str = typer.Option(None, "--arrangements", help="The arrangements agreed."),
) -> None:
    """Record a decision on renewed or future contact between the adult and the child (R48)."""
    _run(ctx, ref, _given({"at": at, "decision": decision, "arrangements": arrangements, "yes": yes}), no_input=no_input, step="contact")


def told(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When the adult was told ({_DT})."),
    by: str = typer.Option(None, "--by", help="Who told them."),
    what: str = typer.Option(None, "--what", help="What they were told."),
) -> None:
    """Record what the adult was told, when and by whom (R48)."""
    _run(ctx, ref, _given({"at": at, "by": by, "what": what, "yes": yes}), no_input=no_input, step="told")


def minutes(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When the request was received ({_DT})."),
    by: str = typer.Option(None, "--by", help="Who asked (the adult, the employer...)."),
    chair: str = typer.Option(None, "--chair", help="The chair of the meeting it was referred to (P§49-50)."),
    redaction: str = typer.Option(None, "--redaction", help="Redaction needed to protect children or others."),
    ig_advice: str = typer.Option(None, "--ig-advice", help="Information Governance advice taken."),
    decision: str = typer.Option(None, "--decision", metavar="SLUG", help="The chair's decision (R49): granted, partly, refused (with --decided)."),
    decided: str = typer.Option(None, "--decided", metavar="DATE", help="Date of the decision (dd/mm/yyyy); not before the request."),
    request: str = typer.Option(None, "--request", metavar="N", help="Record the decision on request N (from `lado show`) instead of a new request."),
) -> None:
    """Record a request for minutes referred to the chair, and the decision on it (R49)."""
    given = _given({"at": at, "by": by, "chair": chair, "redaction": redaction, "ig-advice": ig_advice, "decision": decision,
                    "decided": decided, "request": request, "yes": yes})  # fmt: skip
    _run(ctx, ref, given, no_input=no_input, step="minutes")


def complaint(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When the complaint was received ({_DT})."),
    from_: str = typer.Option(None, "--from", help="Who complained (the adult, a partner agency...)."),
    about: str = typer.Option(None, "--about", metavar="SLUG", help="What it is about (R50): outcome or process."),
    summary: str = typer.Option(None, "--summary", help="What the complaint says."),
    sent: str = typer.Option(None, "--sent", metavar="DATETIME", help=f"When it was sent to the complaints team ({_DT})."),
) -> None:
    """Record a complaint about the outcome or the process, sent to the complaints team (R50, R37)."""
    _run(ctx, ref, _given({"at": at, "from": from_, "about": about, "summary": summary, "sent": sent, "yes": yes}), no_input=no_input, step="complaint")


def compromise(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When it was proposed ({_DT})."),
    text: str = typer.Option(None, "--text", help="What was proposed, and by whom."),
    response: str = typer.Option(None, "--response", help="What the LADO advised in reply."),
) -> None:
    """Record a compromise agreement offered (R50, P§61): a warning is printed and recorded.

    A resignation offered in return for not pursuing discipline is a compromise agreement,
    which must not be used."""
    _run(ctx, ref, _given({"at": at, "text": text, "response": response, "yes": yes}), no_input=no_input, step="compromise")
