"""The plans of `lado escalate` (PROCEDURE §8, R38-R41): what each call records. Pure: time,
the profile and the escalation's stored state are parameters; the rules themselves (which
step may be skipped, when a reply or a branch is required, the limits) are in
lado_cli.domain.escalation, whose docstring tells the procedure."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from lado_cli.domain.escalation import (
    ADVANCE, NO_REPLY, OPEN, REPLY, RESOLVE, Current, Plan, branch_of, escalate_deadline, check_can_advance, check_date, day_text,
    end_of_day_text, expects_text, ladder_of, practice_review_of, reply_deadline, reply_of, required_text, step_of,
)  # fmt: skip
from lado_cli.domain.profile import Profile
from lado_cli.errors import LadoError


def plan_open(
    profile: Profile,
    *,
    ladder: str | None,
    reason: str | None,
    to: str | None,
    date: str | None,
    practice_review: str | None,
    branch: str | None = None,
    by: str | None = None,
    now: datetime,
    earliest: datetime,
) -> Plan:
    """Open an escalation at step 1 of `ladder` (R38-R40). `earliest`: when the case's
    concern arose (an escalation about a case cannot come before it). `by`: who raises it."""
    tz = profile.calendar().tz
    lad = ladder_of(profile, ladder)
    why = profile.check_slug("escalation_reasons", "reason", reason)
    contacted = required_text("to", to)
    raised_by = None if by is None else required_text("by", by)
    at = check_date(date, tz=tz, now=now, earliest=earliest, earliest_what="the concern arose")
    review = practice_review_of(lad, 1, practice_review)
    chosen = branch_of(profile, lad, 1, branch)
    deadline = reply_deadline(lad, 1, at, contacted, profile)
    text = f"Escalation opened on the ladder '{lad.label}' ({lad.rule}); reason: {profile.label('escalation_reasons', why)} (R38)."
    if raised_by:
        text += f" Raised by {raised_by}."
    text += f" Step 1 of {len(lad.steps)}: {contacted} contacted on {day_text(at, tz)}.{expects_text(deadline, tz)}"
    if review:
        text += f" Child Safeguarding Practice Review referral considered (R41): {review}."
    return Plan(OPEN, lad, 1, at, text, reason=why, raised_by=raised_by, contacted=contacted, practice_review=review, branch=chosen,
                deadline=deadline)  # fmt: skip


def plan_reply(profile: Profile, current: Current, *, date: str | None, response: str | None, no_reply: bool, now: datetime) -> Plan:
    """Record the reply the current step got, at `date`, or that none came (R41), without
    going up. On R40, a reply to step 1 starts the escalating side's step-2 limit."""
    tz = profile.calendar().tz
    lad = ladder_of(profile, current.ladder)
    if not no_reply and response is None:
        raise LadoError("missing required flags: --response TEXT or --no-reply (the reply the step got, or that none came)", usage=True)
    got = reply_of(lad, current, response, no_reply, required=True, tz=tz)
    what = "noted" if no_reply else "received"
    at = check_date(date, tz=tz, now=now, earliest=current.last_at, earliest_what=f"step {current.step} was taken")
    text = f"Escalation ({lad.rule}) step {current.step} of {len(lad.steps)}: reply {what} on {day_text(at, tz)}.{got.text}"
    step_deadline = None if no_reply else escalate_deadline(lad, current.step, at, current.raised_by, profile)
    if step_deadline is not None:
        text += f" {step_deadline.owner} may escalate to step {current.step + 1} by {end_of_day_text(step_deadline.due, tz)} ({lad.rule})."
    return Plan(REPLY, lad, current.step, at, text, response=got.response, no_reply=got.no_reply,
                replied_at=None if no_reply else at, step_deadline=step_deadline)  # fmt: skip


def plan_advance(
    profile: Profile,
    current: Current,
    *,
    to: str | None,
    date: str | None,
    response: str | None,
    practice_review: str | None,
    no_reply: bool = False,
    skip: bool = False,
    why: str | None = None,
    branch: str | None = None,
    now: datetime,
) -> Plan:
    """Take the open escalation one step up its ladder (R39-R41), or two with `skip` (the
    next step, if the profile lets it be skipped, is skipped for reason `why`)."""
    tz = profile.calendar().tz
    lad = check_can_advance(profile, current)
    skipped = skip_reason = None
    if skip:
        nxt = current.step + 1
        if not step_of(lad, nxt).optional:
            raise LadoError(f"--skip-step: step {nxt} of {lad.slug} ({lad.rule}) may not be skipped; only a step the profile marks optional may be")
        if nxt + 1 > len(lad.steps):
            raise LadoError(f"--skip-step: step {nxt} is the last of {lad.slug}; there is no step after it to go to")
        skipped, skip_reason = nxt, required_text("why", why)
    elif why is not None:
        raise LadoError("--why gives the reason a step is skipped; give it with --skip-step", usage=True)
    step = current.step + (2 if skip else 1)
    contacted = required_text("to", to)
    got = reply_of(lad, current, response, no_reply, required=True, tz=tz)
    at = check_date(date, tz=tz, now=now, earliest=current.last_at, earliest_what=f"step {current.step} was taken")
    review = practice_review_of(lad, step, practice_review)
    chosen = branch_of(profile, lad, step, branch)
    deadline = reply_deadline(lad, step, at, contacted, profile)
    text = f"Escalation ({lad.rule}) moved to step {step} of {len(lad.steps)}: {contacted} contacted on {day_text(at, tz)}."
    if got.text:
        text += got.text
    elif current.replied == NO_REPLY:
        text += f" Step {current.step} had no reply; its time limit stays unmet."
    elif current.replied is None:
        text += f" No reply to step {current.step} recorded."
    if got.no_reply or current.replied == NO_REPLY:
        text += f" Moving on after no reply is allowed ({lad.rule})."
    if skipped:
        text += f" Step {skipped} skipped: {skip_reason}."
    if chosen:
        text += f" Branch: {profile.label('escalation_branches', chosen)}."
    text += expects_text(deadline, tz)
    if review:
        text += f" Child Safeguarding Practice Review referral considered (R41): {review}."
    # R40 step 2: a reply recorded with this step starts (and this step meets) the limit.
    step_deadline = None
    if got.response and not skipped:
        step_deadline = escalate_deadline(lad, current.step, at, current.raised_by, profile)
    if step_deadline is not None:
        step_deadline = replace(step_deadline, met_at=at)
    return Plan(
        ADVANCE, lad, step, at, text, contacted=contacted, response=got.response, no_reply=got.no_reply,
        replied_at=at if got.response else None, skipped=skipped, skip_reason=skip_reason, branch=chosen,
        practice_review=review, deadline=deadline, step_deadline=step_deadline,
        step_limit_met=current.step_due is not None and not skipped,
        step_limit_set_aside=f"step {skipped} skipped: {skip_reason}" if skipped and current.step_due is not None else None,
    )  # fmt: skip


def plan_resolve(
    profile: Profile, current: Current, *, date: str | None, note: str | None, response: str | None, no_reply: bool = False, now: datetime
) -> Plan:
    """Close the open escalation with its outcome (R41: whether it resolved the matter)."""
    tz = profile.calendar().tz
    lad = ladder_of(profile, current.ladder)
    got = reply_of(lad, current, response, no_reply, required=True, tz=tz)
    at = check_date(date, tz=tz, now=now, earliest=current.last_at, earliest_what=f"step {current.step} was taken")
    outcome = required_text("note", note)
    text = f"Escalation ({lad.rule}) resolved at step {current.step} of {len(lad.steps)} on {day_text(at, tz)}.{got.text}"
    text += f" Outcome: {outcome}"
    if not text.endswith((".", "!", "?")):
        text += "."
    aside = f"the escalation was resolved at step {current.step} on {day_text(at, tz)}" if current.step_due is not None else None
    return Plan(RESOLVE, lad, current.step, at, text, response=got.response, no_reply=got.no_reply,
                replied_at=at if got.response else None, resolution=outcome, step_limit_set_aside=aside)  # fmt: skip
