"""`lado amend`: correct a saved fact so that the correction takes effect (R37a)."""

from __future__ import annotations

import typer

from lado_cli.cli.context import app_context, can_prompt
from lado_cli.cli.intake_flags import with_intake_flags

_DT = "dd/mm/yyyy hh:mm or ISO, UK time"


@with_intake_flags(amend=True)
def amend(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help="Case reference, e.g. LADO-2026-0001."),
    why: str = typer.Option(None, "--why", help="Why the record was wrong (required, R37a)."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt (also env LADO_NO_INPUT=1)."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Save without the final confirmation question."),
    concern_arose: str = typer.Option(None, "--concern-arose", metavar="DATETIME", help=f"When the concern arose ({_DT}); R12/R13 limits are recomputed."),
    received: str = typer.Option(None, "--received", metavar="DATETIME", help=f"When the LADO received the referral ({_DT}); meets R12 then."),
    happened: str = typer.Option(None, "--happened", metavar="DATETIME", help=f"When the behaviour happened ({_DT}); children's ages are checked again (R1)."),
    subject_name: str = typer.Option(None, "--subject-name", help="The adult's full name."),
    subject_dob: str = typer.Option(None, "--subject-dob", metavar="DATE", help="The adult's date of birth, or 'unknown'."),
    subject_role: str = typer.Option(None, "--subject-role", help="The adult's role or job title."),
    employment_type: str = typer.Option(None, "--employment-type", metavar="SLUG", help="How the adult works with children (R2): `lado refer --employment`."),
    employer: str = typer.Option(None, "--employer", help="Employer or organisation (R3)."),
    sector: str = typer.Option(None, "--sector", metavar="SLUG", help="Employer's sector (R36)."),
    category: str = typer.Option(None, "--category", metavar="SLUG", help="Category of the allegation."),
    criteria: list[str] = typer.Option(None, "--criteria", metavar="SLUG", help="Harm criteria (R4), repeatable, or 'none'; none <-> some before the initial discussion turns advice-only <-> referral."),
    child_name: list[str] = typer.Option(None, "--child-name", help="The children again, all of them, repeatable; paired in order with --child-dob."),
    child_dob: list[str] = typer.Option(None, "--child-dob", metavar="DATE", help="Each child's date of birth or 'unknown', repeatable (R1)."),
    held: str = typer.Option(None, "--held", metavar="DATETIME", help=f"When the initial discussion was held ({_DT}); the limits it started move with it."),
    outcome: str = typer.Option(None, "--outcome", metavar="SLUG", help="The allegation outcome (R28); duties (R30-R32) follow."),
    employment: str = typer.Option(None, "--employment", metavar="SLUG", help="The employment outcome (R29); duties (R30-R32) follow."),
    date: str = typer.Option(None, "--date", metavar="DATE", help="The outcome's date (with --employment alone: the employment outcome's date)."),
    closed: str = typer.Option(None, "--closed", metavar="DATETIME", help=f"When the case closed ({_DT}); retention follows."),
    intake: dict | None = None,  # the intake facts' flags (cli/intake_flags.py, domain/intake.py)
) -> None:
    """Correct a saved fact (R37a): the current value changes and what follows from it follows.

    The chronology keeps an entry naming each field with its old and new value, who and why.
    Time limits are recomputed from a corrected start (the old due time stays in the entry),
    duties follow a corrected outcome, and every date is checked against the others.
    For free-text corrections use `lado note REF --corrects ID`.
    """
    from lado_cli.cli import views
    from lado_cli.domain.amend import amend as check
    from lado_cli.domain.amend import given_facts
    from lado_cli.store.amend import apply_amendment
    from lado_cli.store.cases import load_case

    raw = {"concern-arose": concern_arose, "received": received, "happened": happened, "subject-name": subject_name,
           "subject-dob": subject_dob, "subject-role": subject_role, "employment-type": employment_type, "employer": employer,
           "sector": sector, "category": category, "criteria": criteria, "child-name": child_name, "child-dob": child_dob,
           "held": held, "outcome": outcome, "employment": employment, "date": date, "closed": closed, "why": why}  # fmt: skip
    raw = {k: v for k, v in raw.items() if v is not None and v != []}
    raw.update(intake or {})
    app = app_context(ctx)
    profile, now, actor, db = app.profile, app.now(), app.actor(), app.db
    with db.read() as conn:
        case = load_case(conn, ref)
    prompt = can_prompt(no_input)
    if prompt and (not given_facts(raw) or "why" not in raw):
        from lado_cli.wizards.amend import run

        views.err(f"[bold]{views.esc(case['ref'])}[/]")
        raw = run(raw, case=case, profile=profile, now=now)
        if raw is None:
            views.err("Nothing was saved.")
            raise typer.Exit(0)
    if app.installation.referrer:  # issue #11: the intake facts that decide R12 on a referrer's database
        from lado_cli.domain.referrer import check_amendment

        check_amendment(raw, case["ref"])
    a = check(raw, case, profile, now)
    if prompt and not yes and not raw.get("yes"):
        from lado_cli.wizards.common import confirm

        views.err(views.esc(a.text))
        if not confirm(f"Save this amendment to {case['ref']}?", default=True):
            views.err("Nothing was saved.")
            raise typer.Exit(0)
    with db.begin() as conn:
        event_id = apply_amendment(conn, case, a, now=now, actor=actor, tz=profile.calendar().tz)
    out = views.console()
    out.print(f"Saved amendment #{event_id} to [bold]{views.esc(case['ref'])}[/]: {views.esc(a.text)}")
    out.print(f"Why: {views.esc(a.why)}")
