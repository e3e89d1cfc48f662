"""`lado escalate REF`: open, climb and resolve an escalation ladder (PROCEDURE R38-R41)."""

from __future__ import annotations

from typing import Any

import typer

from lado_cli.cli.context import app_context, can_prompt
from lado_cli.errors import LadoError

_DT = "dd/mm/yyyy hh:mm or ISO (UK time); not in the future."


def escalate(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help="Case reference, e.g. LADO-2026-0001 (any letter case)."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt (also env LADO_NO_INPUT=1); missing flags are an error naming them."),
    ladder: str = typer.Option(None, "--ladder", metavar="LADDER",
                               help="Opens an escalation on this ladder: lado-to-agency (R39) or agency-to-lado (R40)."),
    reason: str = typer.Option(None, "--reason", metavar="SLUG",
                               help="What it is about (R38): timescales, advice-not-followed, risk-not-addressed, unsafe-practice, legislation."),
    to: str = typer.Option(None, "--to", metavar="TEXT", help="Who was contacted at this step (name and role). Without --ladder: goes up one step."),
    date: str = typer.Option(None, "--date", metavar="DATETIME", help=f"When the contact (or the resolution) happened: {_DT}"),
    response: str = typer.Option(None, "--response", metavar="TEXT", help="The reply the previous step got (R41), when going up a step or resolving."),
    practice_review: str = typer.Option(None, "--practice-review", metavar="TEXT",
                                        help="From step 3: whether a Child Safeguarding Practice Review referral is being considered (R41), e.g. 'no' or the decision."),
    resolve: bool = typer.Option(False, "--resolve", help="Close the open escalation; give --date and --note."),
    note: str = typer.Option(None, "--note", metavar="TEXT", help="With --resolve: how it was resolved (the outcome)."),
) -> None:
    """Escalate a practice concern or a disagreement about a case, one step at a time.

    The first call opens the escalation (--ladder, --reason, --to, --date); each later call
    records the next step (--to, --date, and the --response the previous step got); --resolve
    closes it. Steps that expect a reply within working days create an escalation-response
    time limit, shown by `lado due`. Every step goes in the case's chronology.
    """
    from lado_cli.domain import escalation as esc
    from lado_cli.store.cases import case_row, touch_case
    from lado_cli.store.escalations import open_escalation, record

    app = app_context(ctx)
    if ladder is not None and ladder.strip().lower() == "lado-to-agency":
        app.lado_only("lado escalate --ladder lado-to-agency")  # issue #11: a referrer escalates on agency-to-lado (R40)
    profile, now = app.profile, app.now()
    db = app.db
    with db.read() as conn:
        case = case_row(conn, ref)
        current = open_escalation(conn, case["id"])
    ref = case["ref"]

    given: dict[str, Any] = {
        "ladder": ladder, "reason": reason, "to": to, "date": date, "response": response,
        "practice-review": practice_review, "note": note, "resolve": resolve or None,
    }  # fmt: skip
    _check_combination(given, ref, case, current, profile)

    if can_prompt(no_input):
        from lado_cli.wizards import escalate as wizard

        answers = wizard.run({k: v for k, v in given.items() if v is not None}, profile=profile, now=now,
                             current=current, earliest=case["concern_arose"], clock=app.now)  # fmt: skip
        now = app.now()  # answers were checked at the time of each question: save at the time of saving
    else:
        answers = dict(given)
        answers["action"] = esc.RESOLVE if resolve else esc.OPEN if current is None else esc.ADVANCE
        if answers["action"] == esc.ADVANCE:
            esc.check_can_advance(profile, current)
        required = {esc.OPEN: ["ladder", "reason", "to", "date"], esc.ADVANCE: ["to", "date"], esc.RESOLVE: ["date", "note"]}[answers["action"]]
        missing = [f"--{f}" for f in required if answers.get(f) is None]
        if missing:
            raise LadoError(f"missing required flags: {' '.join(missing)} (give them as flags, or run on a terminal without --no-input to be asked)", usage=True)

    actor = app.actor()
    with db.begin() as conn:
        touch_case(conn, case, now=now, actor=actor, tz=profile.calendar().tz)  # refused if the case changed since it was read
        case = case_row(conn, ref)
        again = open_escalation(conn, case["id"])
        if (again and (again.id, again.step)) != (current and (current.id, current.step)):
            raise LadoError(f"the escalation of {ref} was changed by someone else meanwhile; nothing was saved: run the command again")
        action = answers["action"]
        if action == esc.OPEN:
            plan = esc.plan_open(profile, ladder=answers.get("ladder"), reason=answers.get("reason"), to=answers.get("to"), date=answers.get("date"),
                                 practice_review=answers.get("practice-review"), now=now, earliest=case["concern_arose"])  # fmt: skip
        elif action == esc.ADVANCE:
            plan = esc.plan_advance(profile, current, to=answers.get("to"), date=answers.get("date"), response=answers.get("response"),
                                    practice_review=answers.get("practice-review"), now=now)  # fmt: skip
        else:
            plan = esc.plan_resolve(profile, current, date=answers.get("date"), note=answers.get("note"), response=answers.get("response"), now=now)
        record(conn, case["id"], current, plan, now=now, actor=actor)

    _done(ref, plan, profile)


def _check_combination(given: dict[str, Any], ref: str, case: dict[str, Any], current, profile) -> None:
    """Refuse flags that cannot go together, or do not fit the escalation's state."""
    opening = [f"--{f}" for f in ("ladder", "reason") if given[f] is not None]
    if given["resolve"]:
        extra = [f"--{f}" for f in ("ladder", "reason", "to", "practice-review") if given[f] is not None]
        if extra:
            raise LadoError(f"--resolve closes the open escalation; it does not take {' '.join(extra)}", usage=True)
        if current is None:
            raise LadoError(f"{ref} has no open escalation to resolve; open one with --ladder, --reason, --to and --date")
        return
    if given["note"] is not None:
        raise LadoError("--note records how an escalation was resolved; give it with --resolve", usage=True)
    if current is not None and opening:
        ladder = profile.ladders.get(current.ladder)
        rule = f" ({ladder.rule})" if ladder else ""
        raise LadoError(
            f"{ref} already has an open escalation ({current.ladder}{rule}, step {current.step}); one at a time: "
            f"go up a step with --to and --date, or close it with --resolve (without {' '.join(opening)})"
        )
    if current is None:
        if given["response"] is not None:
            raise LadoError("--response is the reply a previous step got; there is no open escalation yet", usage=True)
        if case["status"] != "open":
            raise LadoError(f"{ref} is {case['status']}; escalations are opened on open cases, where their time limits are tracked")


def _done(ref: str, plan, profile) -> None:
    from lado_cli.cli.render import console, when
    from lado_cli.cli.views import esc as escape  # markup escaped, controls and bidi shown (issue 12)
    from lado_cli.domain import escalation as esc

    out = console()
    tz = profile.calendar().tz
    lad = plan.ladder
    if plan.action == esc.RESOLVE:
        out.print(f"Resolved the escalation of {ref} ({lad.rule}) at step {plan.step} of {len(lad.steps)}.")
    else:
        verb = "Opened an escalation of" if plan.action == esc.OPEN else "Escalated"
        out.print(f"{verb} {ref} to step {plan.step} of {len(lad.steps)} ({lad.rule}): {escape(plan.contacted)}, {when(plan.at, tz)}.")
        if plan.deadline is not None:
            out.print(f"Reply expected by {when(plan.deadline.due, tz)} ({plan.deadline.kind}, {plan.deadline.rule}).")
        if plan.practice_review:
            out.print(f"Practice review (R41): {escape(plan.practice_review)}.")
        if plan.step < len(lad.steps):
            out.print(f"Next, if it is not resolved: step {plan.step + 1}: {escape(esc.step_of(lad, plan.step + 1).who)}")
        else:
            out.print("This is the last step of the ladder; record the outcome with --resolve.")
