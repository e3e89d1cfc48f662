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
                               help="The ladder: lado-to-agency (R39) or agency-to-lado (R40). With --reason, opens an escalation on it "
                                    "(one open on each ladder at a time); without, names the open one to act on."),
    reason: str = typer.Option(None, "--reason", metavar="SLUG",
                               help="What it is about (R38): timescales, advice-not-followed, risk-not-addressed, unsafe-practice, "
                                    "legislation, threshold-decision."),
    by: str = typer.Option(None, "--by", metavar="TEXT",
                           help="When opening: who escalates (name and role). On agency-to-lado (R40) it owns the step-2 limit; "
                                "default there: the referrer on record."),
    to: str = typer.Option(None, "--to", metavar="TEXT", help="Who was contacted at this step (name and role). Without --reason: goes up one step."),
    date: str = typer.Option(None, "--date", metavar="DATETIME", help=f"When the contact, the reply or the resolution happened: {_DT}"),
    response: str = typer.Option(None, "--response", metavar="TEXT",
                                 help="The reply the current step got (R41). Alone (with --date): recorded without going up; with --to or "
                                      "--resolve: it came by then."),
    no_reply: bool = typer.Option(False, "--no-reply", help="The current step's reply never came: its time limit stays unmet (overdue once due)."),
    skip_step: bool = typer.Option(False, "--skip-step",
                                   help="Skip the next step (one the profile marks optional: R39 step 2, the online meeting) and go to the "
                                        "one after it; give --why."),
    why: str = typer.Option(None, "--why", metavar="TEXT", help="With --skip-step: why the step is skipped."),
    branch: str = typer.Option(None, "--branch", metavar="SLUG",
                               help="From R39 step 3: wider-workforce or childrens-services (the profile's escalation branches)."),
    practice_review: str = typer.Option(None, "--practice-review", metavar="TEXT",
                                        help="From step 3: whether a Child Safeguarding Practice Review referral is being considered (R41), e.g. 'no' or the decision."),
    resolve: bool = typer.Option(False, "--resolve", help="Close the open escalation; give --date and --note."),
    note: str = typer.Option(None, "--note", metavar="TEXT", help="With --resolve: how it was resolved (the outcome)."),
) -> None:
    """Escalate a practice concern or a disagreement about a case, one step at a time.

    The first call opens the escalation (--ladder, --reason, --to, --date); --response or
    --no-reply records the reply the current step got; each later call records the next step
    (--to, --date); --resolve closes it. A case may have one open escalation on each ladder.
    Steps that expect a reply create an escalation-response time limit, and on agency-to-lado
    the reply to step 1 starts the escalating side's escalation-step limit; both are shown by
    `lado due`. Every step goes in the case's chronology.
    """
    from lado_cli.domain import escalation as esc
    from lado_cli.store.cases import case_row, touch_case
    from lado_cli.store.escalations import open_escalations, record, referrer_of

    app = app_context(ctx)
    if ladder is not None and ladder.strip().lower() == "lado-to-agency":
        app.lado_only("lado escalate --ladder lado-to-agency")  # issue #11: a referrer escalates on agency-to-lado (R40)
    profile, now = app.profile, app.now()
    db = app.db
    with db.read() as conn:
        case = case_row(conn, ref)
        opened = open_escalations(conn, case["id"])
        referrer = referrer_of(conn, case["id"])
    ref = case["ref"]

    given: dict[str, Any] = {
        "ladder": ladder, "reason": reason, "by": by, "to": to, "date": date, "response": response, "no-reply": no_reply or None,
        "skip-step": skip_step or None, "why": why, "branch": branch, "practice-review": practice_review, "note": note,
        "resolve": resolve or None,
    }  # fmt: skip
    current = _check_combination(given, ref, case, opened, profile)

    if can_prompt(no_input):
        from lado_cli.wizards import escalate as wizard

        answers = wizard.run({k: v for k, v in given.items() if v is not None}, profile=profile, now=now, opened=opened,
                             status=case["status"], referrer=referrer, earliest=case["concern_arose"], clock=app.now)  # fmt: skip
        now = app.now()  # answers were checked at the time of each question: save at the time of saving
        current = opened.get(answers["ladder"]) if answers["action"] != esc.OPEN else None
    else:
        answers = dict(given)
        answers["action"] = _action(given, current)
        if answers["action"] == esc.ADVANCE:
            esc.check_can_advance(profile, current)
        required = {esc.OPEN: ["ladder", "reason", "to", "date"], esc.ADVANCE: ["to", "date"], esc.RESOLVE: ["date", "note"],
                    esc.REPLY: ["date"]}[answers["action"]]  # fmt: skip
        if answers["action"] == esc.ADVANCE and answers.get("skip-step"):
            required.append("why")
        missing = [f"--{f}" for f in required if answers.get(f) is None]
        if missing:
            raise LadoError(f"missing required flags: {' '.join(missing)} (give them as flags, or run on a terminal without --no-input to be asked)", usage=True)
    if answers["action"] == esc.OPEN:
        esc.check_case(esc.ladder_of(profile, answers.get("ladder")), ref, case["status"])
        if answers.get("by") is None and answers["ladder"] == esc.REFERRER_LADDER:
            answers["by"] = referrer  # R40: the referrer escalates, unless someone else is named

    actor = app.actor()
    with db.begin() as conn:
        touch_case(conn, case, now=now, actor=actor, tz=profile.calendar().tz)  # refused if the case changed since it was read
        case = case_row(conn, ref)
        again = open_escalations(conn, case["id"])
        if again != opened:
            raise LadoError(f"an escalation of {ref} was changed by someone else meanwhile; nothing was saved: run the command again")
        plan = _plan(esc, profile, answers, current, case, now)
        record(conn, case["id"], current, plan, now=now, actor=actor)

    _done(ref, plan, current, profile)


def _action(given: dict[str, Any], current) -> str:
    from lado_cli.domain import escalation as esc

    if given["resolve"]:
        return esc.RESOLVE
    if current is None:
        return esc.OPEN
    if given["to"] is None and given["skip-step"] is None and (given["response"] is not None or given["no-reply"]):
        return esc.REPLY
    return esc.ADVANCE


def _plan(esc, profile, a: dict[str, Any], current, case, now):
    from lado_cli.domain import escalation_plans as plans

    action = a["action"]
    if action == esc.OPEN:
        return plans.plan_open(profile, ladder=a.get("ladder"), reason=a.get("reason"), to=a.get("to"), date=a.get("date"), by=a.get("by"),
                             practice_review=a.get("practice-review"), branch=a.get("branch"), now=now, earliest=case["concern_arose"])  # fmt: skip
    if action == esc.REPLY:
        return plans.plan_reply(profile, current, date=a.get("date"), response=a.get("response"), no_reply=bool(a.get("no-reply")), now=now)
    if action == esc.ADVANCE:
        return plans.plan_advance(profile, current, to=a.get("to"), date=a.get("date"), response=a.get("response"), no_reply=bool(a.get("no-reply")),
                                skip=bool(a.get("skip-step")), why=a.get("why"), branch=a.get("branch"),
                                practice_review=a.get("practice-review"), now=now)  # fmt: skip
    return plans.plan_resolve(profile, current, date=a.get("date"), note=a.get("note"), response=a.get("response"),
                            no_reply=bool(a.get("no-reply")), now=now)  # fmt: skip


def _named(current, profile) -> str:
    ladder = profile.ladders.get(current.ladder)
    return f"{current.ladder}{f' ({ladder.rule})' if ladder else ''}, step {current.step}, opened {current.opened_at.astimezone(profile.calendar().tz):%d/%m/%Y}"


def _check_combination(given: dict[str, Any], ref: str, case: dict[str, Any], opened: dict, profile):
    """Refuse flags that cannot go together, or do not fit the escalations' state. Returns the
    open escalation the call acts on (None: it opens one, or the wizard will ask which)."""
    from lado_cli.domain.escalation import ladder_of

    slug = ladder_of(profile, given["ladder"]).slug if given["ladder"] is not None else None
    if slug is not None:
        current = opened.get(slug)
    elif len(opened) == 1:
        current = next(iter(opened.values()))
    elif len(opened) > 1 and given["reason"] is None and any(given[f] is not None for f in ("to", "response", "no-reply", "resolve", "skip-step")):
        raise LadoError(f"{ref} has an open escalation on each ladder ({'; '.join(_named(c, profile) for c in opened.values())}); "
                        f"name the one to act on with --ladder", usage=True)  # fmt: skip
    else:
        current = None
    if given["resolve"]:
        extra = [f"--{f}" for f in ("reason", "by", "to", "skip-step", "why", "branch", "practice-review") if given[f] is not None]
        if extra:
            raise LadoError(f"--resolve closes the open escalation; it does not take {' '.join(extra)}", usage=True)
        if current is None:
            on = f" on {slug}" if slug else ""
            raise LadoError(f"{ref} has no open escalation{on} to resolve; open one with --ladder, --reason, --to and --date")
        return current
    if given["note"] is not None:
        raise LadoError("--note records how an escalation was resolved; give it with --resolve", usage=True)
    if given["reason"] is not None:  # opening
        if slug is None:
            raise LadoError("--reason opens an escalation; name its ladder with --ladder", usage=True)
        if current is not None:
            raise LadoError(f"{ref} already has an open escalation on that ladder ({_named(current, profile)}); one on each ladder at a time: "
                            f"go up a step with --ladder {slug} --to --date, or close it with --resolve (without --reason)")  # fmt: skip
        current = None
    elif given["by"] is not None and current is not None:
        raise LadoError("--by names who escalates; give it when opening (with --ladder and --reason)", usage=True)
    if current is None:
        for f in ("response", "no-reply", "skip-step"):
            if given[f] is not None:
                raise LadoError(f"--{f} is about a step of an open escalation; there is none open{f' on {slug}' if slug else ''} yet", usage=True)
    return current


def _done(ref: str, plan, current, profile) -> None:
    from lado_cli.cli.render import console, when
    from lado_cli.cli.views import esc as escape  # markup escaped, controls and bidi shown (issue 12)
    from lado_cli.domain import escalation as esc

    out = console()
    tz = profile.calendar().tz
    lad = plan.ladder
    if plan.no_reply:
        due = f" (due by {when(current.reply_due, tz)})" if current.reply_due else ""
        out.print(f"Step {current.step} of {lad.slug} recorded as having had no reply; its time limit{due} stays unmet.")
    elif plan.response is not None:
        out.print(f"Reply to step {current.step} of {lad.slug} recorded, received {when(plan.replied_at, tz)}.")
    if plan.action == esc.RESOLVE:
        out.print(f"Resolved the escalation of {ref} on {lad.slug} ({lad.rule}) at step {plan.step} of {len(lad.steps)}.")
    elif plan.action == esc.REPLY:
        if plan.step_deadline is not None:
            d = plan.step_deadline
            out.print(f"{escape(d.owner)} may escalate to step {plan.step + 1} by {when(d.due, tz)} ({d.kind}, {d.rule}).")
    else:
        verb = "Opened an escalation of" if plan.action == esc.OPEN else "Escalated"
        if plan.no_reply or (current is not None and current.replied == esc.NO_REPLY):
            out.print(f"Moving on after no reply is allowed ({lad.rule}); step {current.step}'s time limit stays unmet.")
        if plan.skipped:
            out.print(f"Step {plan.skipped} skipped: {escape(plan.skip_reason)}.")
        out.print(f"{verb} {ref} to step {plan.step} of {len(lad.steps)} ({lad.rule}): {escape(plan.contacted)}, {when(plan.at, tz)}.")
        if plan.branch:
            out.print(f"Branch: {escape(profile.label('escalation_branches', plan.branch))}.")
        if plan.deadline is not None:
            out.print(f"Reply expected by {when(plan.deadline.due, tz)} ({plan.deadline.kind}, {plan.deadline.rule}).")
        if plan.practice_review:
            out.print(f"Practice review (R41): {escape(plan.practice_review)}.")
        if plan.step < len(lad.steps):
            out.print(f"Next, if it is not resolved: step {plan.step + 1}: {escape(esc.step_of(lad, plan.step + 1).who)}")
        else:
            out.print("This is the last step of the ladder; record the outcome with --resolve.")
    if plan.step_limit_set_aside:
        out.print(f"The escalation-step limit is set aside: {escape(plan.step_limit_set_aside)}.")

