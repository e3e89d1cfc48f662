"""`lado refer`: record a referral (or an advice-only consultation) and start its clocks."""

from __future__ import annotations

from typing import Any

import typer

from lado_cli import saved
from lado_cli.cli.context import app_context, can_prompt
from lado_cli.cli.intake_flags import with_intake_flags

_DT = "Date and time, dd/mm/yyyy hh:mm or ISO (UK time)."


@with_intake_flags()
def refer(
    ctx: typer.Context,
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt (also env LADO_NO_INPUT=1); missing required fields are an error naming their flags."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Save without the final 'Save this referral?' question."),
    immediate_danger: bool = typer.Option(None, "--immediate-danger/--no-immediate-danger", help="A child is in immediate danger or the police are needed now (R8): the police/MASH contacts are shown first."),
    works_in: str = typer.Option(None, "--works-in", metavar="AUTHORITY", help="Local authority where the adult works (R7). Another authority than the profile's marks the case cross-border."),
    employment: str = typer.Option(None, "--employment", metavar="SLUG", help="How the adult works with children (R2), e.g. paid, volunteer, agency, foster-carer (`lado profile show`)."),
    subject_name: str = typer.Option(None, "--subject-name", help="The adult's full name."),
    subject_dob: str = typer.Option(None, "--subject-dob", metavar="DATE", help="The adult's date of birth (dd/mm/yyyy or ISO), or 'unknown'."),
    subject_role: str = typer.Option(None, "--subject-role", help="Their role or job title."),
    subject_status: str = typer.Option(None, "--subject-status", metavar="SLUG", help="Whether they are working now, e.g. working, suspended (R11)."),
    subject_address: str = typer.Option(None, "--subject-address", help="Their home address (optional)."),
    regulator: str = typer.Option(None, "--regulator", help="Their regulator or registering body, if any (R31), e.g. 'Teaching Regulation Agency'."),
    employer: str = typer.Option(None, "--employer", help="Employer or organisation (R3). Optional when --employment self-employed."),
    sector: str = typer.Option(None, "--sector", metavar="SLUG", help="Employer's sector (R36), e.g. education, sport, health."),
    concern_arose: str = typer.Option(None, "--concern-arose", metavar="DATETIME", help=f"When the concern came to the referrer's notice; starts the R12/R13 clocks. {_DT}"),
    received: str = typer.Option(None, "--received", metavar="DATETIME", help=f"LADO: when the LADO received the referral (default: now). {_DT}"),
    told_lado: str = typer.Option(None, "--told-lado", metavar="DATETIME", help=f"Referrer: when you told the LADO (R12); leave it out if not yet, and notify-lado stays open. {_DT}"),
    happened: str = typer.Option(None, "--happened", metavar="DATETIME", help=f"When the behaviour happened, if known; a child's age is checked at this time (R1). {_DT}"),
    source: str = typer.Option(None, "--source", metavar="SLUG", help="How the concern arose (R6), e.g. child, parent-carer, colleague, police, other."),
    source_detail: str = typer.Option(None, "--source-detail", help="Names the source; required with --source other (R6)."),
    category: str = typer.Option(None, "--category", metavar="SLUG", help="physical, emotional, sexual, neglect or conduct."),
    summary: str = typer.Option(None, "--summary", help="What happened, briefly and factually."),
    criteria: list[str] = typer.Option(None, "--criteria", metavar="SLUG", help="Harm criterion that may apply (R4), repeatable: harm, offence, risk, suitability; or 'none' for an advice-only consultation (R37c)."),
    suitability: list[str] = typer.Option(None, "--suitability", metavar="SLUG", help="Suitability indicator (R5), repeatable (`lado profile show`)."),
    child_name: list[str] = typer.Option(None, "--child-name", help="A child's name, repeatable; paired in order with --child-dob."),
    child_dob: list[str] = typer.Option(None, "--child-dob", metavar="DATE", help="That child's date of birth or 'unknown', repeatable; must be under 18 at the time (R1)."),
    referrer_name: str = typer.Option(None, "--referrer-name", help="Who is referring (the senior or case manager)."),
    referrer_role: str = typer.Option(None, "--referrer-role", help="Their role, e.g. Head teacher."),
    referrer_org: str = typer.Option(None, "--referrer-org", help="Their organisation."),
    referrer_contact: str = typer.Option(None, "--referrer-contact", help="Their phone or email."),
    known_as: list[str] = typer.Option(None, "--known-as", help="Another name the adult is or was known by (a previous surname, a short form), repeatable (R11a)."),
    intake: dict[str, Any] | None = None,  # the intake facts' flags (cli/intake_flags.py, domain/intake.py)
) -> None:
    """Record a referral about an adult who works with children, and start its time limits.

    On a terminal it asks for whatever the flags did not give; the last line printed is the
    new case reference. Time limits created: notify-lado (R12) and initial-discussion (R13).
    """
    from lado_cli.cli import views
    from lado_cli.domain.referral import referral_deadlines, referral_text, validate_referral
    from lado_cli.cli.match import hit_line, matches_for
    from lado_cli.domain.matching import Identity
    from lado_cli.store.cases import insert_referral

    app = app_context(ctx)
    profile, now = app.profile, app.now()
    fields = {
        "immediate-danger": immediate_danger, "works-in": works_in, "employment": employment,
        "subject-name": subject_name, "subject-dob": subject_dob, "subject-role": subject_role,
        "subject-status": subject_status, "subject-address": subject_address, "regulator": regulator,
        "employer": employer, "sector": sector, "concern-arose": concern_arose, "received": received,
        "happened": happened, "source": source, "source-detail": source_detail, "category": category,
        "summary": summary, "criteria": criteria, "suitability": suitability,
        "child-name": child_name, "child-dob": child_dob, "referrer-name": referrer_name,
        "referrer-role": referrer_role, "referrer-org": referrer_org, "referrer-contact": referrer_contact,
        "told-lado": told_lado,
    }  # fmt: skip
    given: dict[str, Any] = {k: v for k, v in fields.items() if v is not None and v != []}
    given.update(intake or {})
    if known_as:
        given["known-as"] = list(known_as)
    if yes:
        given["yes"] = True
    notify = views.Notices(profile)
    new_file = _new_database_file(app.url)  # a bad --db URL fails here, at once
    if not new_file:
        _ = app.db  # opened (key asked, schema checked) before any question, so a bad --db fails at once
    referrer = app.installation.referrer  # issue #11: a referrer's database records when the LADO is told
    if referrer and app.installation.org and "referrer-org" not in given:
        given["referrer-org"] = app.installation.org

    hits: list[dict] = []

    def history(name: str, dob: Any, kids: list, names: list[str] | None = None) -> list[dict]:  # R11a: the explainable matcher
        if new_file:  # no database yet, so no earlier records (R11a); it is created at the first save
            return []
        with app.db.read() as conn:
            found, hits[:] = matches_for(conn, profile, Identity((name, *(names or known_as or [])), dob, employer),
                                         [Identity((k.name,), k.dob) for k in kids])  # fmt: skip
        for h in hits:
            views.err(views.esc(hit_line(h)))  # another authority's text: shown, never obeyed
        return found

    if can_prompt(no_input):
        from lado_cli.wizards import refer as wizard

        answers = wizard.run(given, profile=profile, now=now, history=history, notify=notify, clock=app.now, referrer=referrer)
        if answers is None:
            views.err("Nothing was saved.")
            raise typer.Exit(0)
        now = app.now()  # the answers were checked against the time of each question: save at the time of saving
        r = validate_referral(answers, profile, now, referrer=referrer)
        _check_associated(app, new_file, r)
        known_as = answers.get("known-as") or known_as
    else:
        if immediate_danger:  # R8: the contacts come before anything else, even before a missing-fields error
            notify("danger", None)
        r = validate_referral(given, profile, now, referrer=referrer)
        _check_associated(app, new_file, r)  # before any other notice: a wrong reference is the one line
        if not profile.calendar().is_working_time(now):
            notify("out-of-hours", None)
        notify("cross-border", r.works_in)
        notify("history", history(r.subject_name, r.subject_dob, list(r.children)))
        notify("earlier-concerns", r.intake.facts.get("earlier_concerns"))  # R11a: the referrer's own knowledge, beside the matches

    found = notify.last_history
    chronology = [("referral", r.received, referral_text(r, profile))]
    if r.told_lado is not None:  # issue #11: the referrer had told the LADO before recording it
        from lado_cli.domain.referrer import told_text

        chronology.append(("told-lado", r.told_lado, told_text(r.told_lado, None, referral_deadlines(r, profile), profile) + " Recorded at intake."))
    if found:
        refs = ", ".join(sorted({h["ref"] for h in found}))
        chronology.append(("history-check", now, f"Earlier records about the same adult or child shown at intake (R11a): {refs}."))
    if hits:
        chronology.append(("history-check", now, "Other authorities' indexes showed a hit at intake (R11a): " + "; ".join(hit_line(h) for h in hits) + "."))
    new_deadlines = referral_deadlines(r, profile)
    if referrer:  # issue #11: telling the LADO is my organisation's duty (R12)
        from dataclasses import replace

        new_deadlines = [replace(d, owner=app.installation.org) if d.kind == "notify-lado" else d for d in new_deadlines]
    year = r.received.astimezone(profile.calendar().tz).year
    with app.db.begin() as conn:
        association = r.intake.facts.get("association")
        ref = insert_referral(conn, r, ref_prefix=profile.ref_prefix, year=year, new_deadlines=new_deadlines,
                              chronology=chronology, now=now, actor=app.actor(),
                              association_label=association and profile.label("associations", association))  # fmt: skip
        if known_as:
            from lado_cli.store.cases import case_row
            from lado_cli.store.matching import add_known_names

            add_known_names(conn, case_row(conn, ref)["id"], known_as, now=now)
    saved.name(ref)
    then = None
    if referrer:  # issue #11: what to do now, drawn from the procedure and the profile
        from lado_cli.cli.referrer import what_to_do

        then = what_to_do(app, ref, next((d for d in new_deadlines if d.kind == "notify-lado"), None), r.told_lado, now)
    views.saved(ref, r, profile, new_deadlines, now, then=then)


def _check_associated(app, new_file: bool, r) -> None:
    """P§68: --associated-with names a case in this database (checked again when saving)."""
    ref = r.intake.facts.get("associated_with")
    if not ref:
        return
    from lado_cli.errors import FieldError
    from lado_cli.store.intake import check_associated

    if new_file:  # no database yet, so no case to link to
        raise FieldError("associated-with", ref, "is not a case in this database (it has none yet)", "the reference of the worker's own case")
    with app.db.read() as conn:
        check_associated(conn, ref)


def _new_database_file(url: str) -> bool:
    """True when `url` is an SQLite file that does not exist yet and could be created: it is
    then created only when the referral is saved, so a first run cancelled leaves no file."""
    import os
    from pathlib import Path

    from lado_cli.files import check_database
    from lado_cli.store.db import sqlite_path

    path = sqlite_path(url)
    if path is None or path.is_symlink() or check_database(path):  # the file, its folder and sidecars vetted now (issue #12)
        return False
    parent = Path(path).parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
