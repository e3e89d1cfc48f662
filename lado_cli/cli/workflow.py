"""The case workflow commands: discuss, meeting, done, police, outcome, close, note.

Each one reads the case, asks (on a terminal) for what its flags did not give, checks the
answers with `lado_cli.domain.workflow`, and writes the result in one transaction.
"""

from __future__ import annotations

from typing import Any

import typer

from lado_cli import saved
from lado_cli.cli.context import app_context, can_prompt
from lado_cli.errors import LadoError

_DT = "dd/mm/yyyy hh:mm or ISO, UK time"
REF = typer.Argument(..., metavar="REF", help="Case reference, e.g. LADO-2026-0001.")
NO_INPUT = typer.Option(False, "--no-input", help="Never prompt (also env LADO_NO_INPUT=1); missing required fields are an error naming their flags.")
YES = typer.Option(False, "--yes", "-y", help="Save without the final confirmation question.")


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None and v != [] and v is not False}


def _run(ctx: typer.Context, ref: str, given: dict[str, Any], *, no_input: bool, step: str, wizard: str | None = None) -> None:
    """Load the case, ask, check with domain.workflow.<step>, save, and show what changed."""
    from lado_cli.cli import views
    from lado_cli.domain import workflow
    from lado_cli.store.workflow import apply_plan, load_state

    app = app_context(ctx)
    profile, now, actor, db = app.profile, app.now(), app.actor(), app.db
    with db.read() as conn:
        case = load_state(conn, ref)
    if wizard and can_prompt(no_input):
        from lado_cli.wizards import workflow as wizards

        views.err(f"[bold]{views.esc(case['ref'])}[/]")
        given = getattr(wizards, wizard)(given, profile=profile, now=now, notify=views.Notices(profile), clock=app.now, case=case)
        if given is None:
            views.err("Nothing was saved.")
            raise typer.Exit(0)
        now = app.now()  # answers were checked against the time of each question: save at the time of saving
    result = getattr(workflow, step)(given, case, profile, now)
    row, actions, table = None, [], None
    if step == "meeting":
        row, actions, plan = result
        table = "meetings"
    elif step in ("discuss", "police"):
        row, plan = result
        table = {"discuss": "discussions", "police": "police_updates"}[step]
    else:
        plan = result
    import sqlalchemy as sa

    try:
        with db.begin() as conn:
            apply_plan(conn, case, plan, now=now, actor=actor, actions=actions, row=(table, row) if table else None, tz=profile.calendar().tz)
    except sa.exc.IntegrityError:  # a clash the version check did not foresee: still who and when, never a driver error
        from lado_cli.store.cases import stale_error

        with db.read() as conn:
            raise stale_error(conn, case, profile.calendar().tz) from None
    saved.name(case["ref"])
    views.step_saved(case["ref"], plan, actions, profile, now)


def discuss(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    held: str = typer.Option(None, "--held", metavar="DATETIME", help=f"When the initial discussion was held ({_DT}). Meets initial-discussion (R13)."),
    with_: str = typer.Option(None, "--with", help="Who took part."),
    criteria: list[str] = typer.Option(None, "--criteria", metavar="SLUG", help="Harm criterion met (R4, R21), repeatable: harm, offence, risk, suitability."),
    no_criteria: bool = typer.Option(False, "--no-criteria", help="No criterion met: the case becomes an advice-only consultation (R4, R37c)."),
    rationale: str = typer.Option(None, "--rationale", help="Why the threshold decision was made (R21, R34)."),
    route: list[str] = typer.Option(None, "--route", metavar="SLUG", help="Route that will run (R22), repeatable: police, social-care, employer."),
    s47: bool = typer.Option(None, "--s47/--no-s47", help="With social-care: may the s47 threshold be met? Default yes: starts strategy-discussion (R14, 24 h) and strategy-meeting (R15, 7 working days)."),
    social_care_referred: str = typer.Option(None, "--social-care-referred", metavar="DATETIME", help=f"When it was referred to children's social care (default: --held; {_DT})."),
    employer_action: str = typer.Option(None, "--employer-action", metavar="SLUG", help="With employer: management (starts employer-action, R16, 3 working days), investigation, or hearing (starts disciplinary-hearing, R17, 15 working days)."),
    pot_meeting: bool = typer.Option(False, "--pot-meeting", help="Convene a position of trust meeting: concerns remain below the s47 threshold (R22)."),
    consider: list[str] = typer.Option(None, "--consider", metavar="KEY=TEXT", help="An R23 consideration, repeatable; KEY is suspension, other-children, parents, subject, media or timescales."),
    suspension: str = typer.Option(None, "--suspension", metavar="SLUG", help="Suspension decision (R24): suspended, alternative-duties, not-suspended, not-applicable."),
    suspension_note: str = typer.Option(None, "--suspension-note", help="Alternatives considered and reasons (R24)."),
    named_contact: str = typer.Option(None, "--named-contact", help="Named contact for a suspended adult (required with --suspension suspended, R24)."),
    complex_: bool = typer.Option(False, "--complex", help="A complex case: reviewed every 10 working days instead of 20 (R18)."),
    by: str = typer.Option(None, "--by", help="Referrer: who at the LADO service advised you."),
    advice: str = typer.Option(None, "--advice", help="Referrer: what the LADO advised."),
    action: list[str] = typer.Option(None, "--action", metavar="'TEXT; OWNER; DUE'", help="Referrer: an action agreed with the LADO, with its owner and due date, repeatable (R20)."),
    suspension_review: str = typer.Option(None, "--suspension-review", metavar="DATE", help="Referrer, with --suspension suspended: when your organisation reviews the suspension (R24)."),
) -> None:
    """Record the initial discussion (R21-R24) and start the time limits that follow it.

    Starts case-review (R18), and as the routes require strategy-discussion (R14),
    strategy-meeting (R15), employer-action (R16) or disciplinary-hearing (R17).
    On a referrer's database it records the LADO's advice instead: --held, --by, --advice,
    --action, and --employer-action / --suspension for your organisation's own duties.
    """
    given = _given({"held": held, "with": with_, "criteria": criteria, "no-criteria": no_criteria, "rationale": rationale,
                    "route": route, "social-care-referred": social_care_referred, "employer-action": employer_action,
                    "pot-meeting": pot_meeting, "consider": consider, "suspension": suspension, "suspension-note": suspension_note,
                    "named-contact": named_contact, "complex": complex_, "yes": yes})  # fmt: skip
    if s47 is not None:
        given["s47"] = s47
    referrer = _given({"by": by, "advice": advice, "action": action, "suspension-review": suspension_review})
    if app_context(ctx).installation.referrer:  # issue #11: the LADO's advice, from the referrer's side
        from lado_cli.cli.referrer import discuss as advice_from_lado

        return advice_from_lado(ctx, ref, {**given, **referrer}, no_input=no_input)
    if referrer:
        name = next(iter(referrer))
        raise LadoError(f"--{name} is for a referrer's database (lado init --role referrer); a LADO records the discussion with --criteria, --route, --rationale", usage=True)
    _run(ctx, ref, given, no_input=no_input, step="discuss", wizard="discuss")


def meeting(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    type_: str = typer.Option(None, "--type", metavar="SLUG", help="initial-discussion, strategy-discussion, strategy-meeting, pot-meeting, review, escalation, disciplinary-hearing or other (R25)."),
    held: str = typer.Option(None, "--held", metavar="DATETIME", help=f"When it was held ({_DT}); not in the future."),
    chair: str = typer.Option(None, "--chair", help="Who chaired it."),
    attendee: list[str] = typer.Option(None, "--attendee", metavar="'NAME; ROLE; AGENCY'", help="An attendee, repeatable; role and agency optional."),
    confidentiality: bool = typer.Option(False, "--confidentiality", help="Confidentiality separation was applied (R25)."),
    decisions: str = typer.Option(None, "--decisions", help="What was decided."),
    action: list[str] = typer.Option(None, "--action", metavar="'TEXT; OWNER; DUE'", help="An agreed action with its owner and due date, repeatable; each becomes an `action` time limit (R20)."),
    minutes: str = typer.Option(None, "--minutes", help="Minutes reference."),
    next_review: str = typer.Option(None, "--next-review", metavar="DATE", help="Date of the next case review (R18); default for a review meeting: the profile's interval."),
    drop_route: list[str] = typer.Option(None, "--drop-route", metavar="SLUG", help="A route of the initial discussion this meeting decided not to follow (needs --decisions); its open time limits become not applicable, repeatable."),
) -> None:
    """Log a meeting (R25): attendees, decisions and actions with owners and due dates.

    A strategy discussion or meeting, a review or a disciplinary hearing meets its open time
    limit; a review schedules the next one (R18).
    """
    app_context(ctx).lado_only("lado meeting")  # issue #11: the LADO logs the meetings it holds (R25)
    given = _given({"type": type_, "held": held, "chair": chair, "attendee": attendee, "confidentiality": confidentiality,
                    "decisions": decisions, "action": action, "minutes": minutes, "next-review": next_review, "drop-route": drop_route, "yes": yes})  # fmt: skip
    _run(ctx, ref, given, no_input=no_input, step="meeting", wizard="meeting")


def done(
    ctx: typer.Context,
    ref: str = REF,
    target: str = typer.Argument(..., metavar="KIND|ID", help="The open time limit (its kind, e.g. strategy-meeting, or its id from `lado show`), or a duty such as dbs-referral."),
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When it was really done (default: now; {_DT}). Late is still met: the record keeps how late."),
    note: str = typer.Option(None, "--note", help="A note, e.g. what was done."),
    not_applicable: bool = typer.Option(False, "--not-applicable", help="Set the time limit aside instead: its route was dropped (needs --why). It leaves `lado due` and counts as N/A in `lado stats`."),
    why: str = typer.Option(None, "--why", help="Why the time limit is not applicable (required with --not-applicable)."),
) -> None:
    """Mark a time limit, an action or a duty as met, with its real date, or set a limit aside.

    Meeting a case review while the case is open schedules the next one (R18).
    """
    _run(ctx, ref, _given({"target": target, "at": at, "note": note, "not-applicable": not_applicable, "why": why}), no_input=True, step="done")


def police(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    date: str = typer.Option(None, "--date", metavar="DATETIME", help=f"When the police gave the update ({_DT})."),
    outcome: str = typer.Option(None, "--outcome", metavar="SLUG", help="Police outcome (R27): charged, continuing, no-further-action, trial-concluded."),
    result: str = typer.Option(None, "--result", help="The trial's result (required with trial-concluded)."),
    text: str = typer.Option(None, "--text", help="What the police said."),
    review_date: str = typer.Option(None, "--review-date", metavar="DATE", help="The police's next review target date (R19): becomes a police-review time limit."),
) -> None:
    """Record a police update or outcome (R27); it meets an open police-review (R19)."""
    app_context(ctx).lado_only("lado police")  # issue #11: the LADO follows the police (R19, R27)
    given = _given({"date": date, "outcome": outcome, "result": result, "text": text, "review-date": review_date, "yes": yes})
    _run(ctx, ref, given, no_input=no_input, step="police", wizard="police")


def outcome(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    yes: bool = YES,
    outcome_: str = typer.Option(None, "--outcome", metavar="SLUG", help="Outcome of the allegation (R28): substantiated, unsubstantiated, false, malicious, unfounded."),
    employment: str = typer.Option(None, "--employment", metavar="SLUG", help="Employment outcome (R29), e.g. dismissed, resigned, no-action."),
    date: str = typer.Option(None, "--date", metavar="DATE", help="Date of the outcome (dd/mm/yyyy)."),
    dbs_referred: str = typer.Option(None, "--dbs-referred", metavar="DATE", help="Date the employer referred the adult to the DBS (R30)."),
    regulator_referred: str = typer.Option(None, "--regulator-referred", metavar="DATE", help="Date of the referral to the adult's regulator (R31)."),
    rationale: str = typer.Option(None, "--rationale", help="How the outcome was reached (R35)."),
    proves: str = typer.Option(None, "--evidence-proves", metavar="yes|no", help="Is there sufficient evidence to prove the allegation (R28)? yes implies substantiated."),
    disproves: str = typer.Option(None, "--evidence-disproves", metavar="yes|no", help="Sufficient evidence to disprove it? Needed after --evidence-proves no."),
    deceit: str = typer.Option(None, "--deliberate-deceit", metavar="yes|no", help="Was it a deliberate act to deceive? Needed after --evidence-disproves yes: yes implies malicious, no false."),
    no_basis: str = typer.Option(None, "--no-basis", metavar="yes|no", help="No evidence or proper basis at all? Needed after --evidence-disproves no: yes implies unfounded, no unsubstantiated."),
    why: str = typer.Option(None, "--why", help="Why the --outcome differs from the one the evidence answers imply (required then, R28)."),
) -> None:
    """Record the outcome (R28) and/or employment outcome (R29), and the duties they raise.

    The evidence answers (--evidence-proves, --evidence-disproves, --deliberate-deceit,
    --no-basis; asked in that order on a terminal) imply the outcome; without --outcome it is
    the one recorded, and an --outcome that differs needs --why. Duties: DBS referral (R30),
    regulator referral (R31), feedback, return to work, lessons learned (R32). A resignation
    keeps the case open until there is an outcome (R33).
    """
    given = _given({"outcome": outcome_, "employment": employment, "date": date, "dbs-referred": dbs_referred,
                    "regulator-referred": regulator_referred, "rationale": rationale, "yes": yes, "evidence-proves": proves,
                    "evidence-disproves": disproves, "deliberate-deceit": deceit, "no-basis": no_basis, "why": why})  # fmt: skip
    _run(ctx, ref, given, no_input=no_input, step="outcome", wizard="outcome")


def close(
    ctx: typer.Context,
    ref: str = REF,
    no_input: bool = NO_INPUT,
    date: str = typer.Option(None, "--date", metavar="DATETIME", help=f"When the case closed (default: now; {_DT})."),
    note: str = typer.Option(None, "--note", help="Why; required with --force."),
    force: bool = typer.Option(False, "--force", help="Close although duties other than the DBS referral (R30) are outstanding; needs --note."),
) -> None:
    """Close a case; refused, naming what is missing, while the outcome or a duty is outstanding.

    A due DBS referral (R30) can never be skipped, not even with --force.
    """
    given = _given({"date": date, "note": note, "force": force})
    if can_prompt(no_input):
        from lado_cli.wizards.common import confirm

        if not confirm(f"Close {ref.upper()}? Its open time limits become not applicable.", default=False):
            raise typer.Exit(0)
    _run(ctx, ref, given, no_input=True, step="close")


def note(
    ctx: typer.Context,
    ref: str = REF,
    text: str = typer.Option(..., "--text", help="The note, or the corrected information."),
    at: str = typer.Option(None, "--at", metavar="DATETIME", help=f"When it happened (default: now; {_DT})."),
    corrects: str = typer.Option(None, "--corrects", metavar="ID", help="Chronology entry this corrects (#N in `lado show`); the original stays (R37a)."),
    why: str = typer.Option(None, "--why", help="Why (required with --corrects, R37a)."),
) -> None:
    """Add a note to the chronology, or a correction of an earlier entry (R37a).

    Nothing is overwritten: a correction is a new entry that points at what it corrects.
    A wrong fact (a date, a name, the outcome...) is corrected with `lado amend`, which changes
    the value and what follows from it.
    """
    _run(ctx, ref, _given({"text": text, "at": at, "corrects": corrects, "why": why}), no_input=True, step="note")
