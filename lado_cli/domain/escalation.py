"""Escalating a practice concern or a professional disagreement up a ladder (PROCEDURE §8).

Pure logic: time, the profile and the escalation's stored state are parameters. Each
function checks raw answers (flag values or wizard answers, as typed) and returns a `Plan`:
what the store must write. Nothing is written unless every check passes.

* R38: an escalation has a reason from the profile's `escalation_reasons`.
* R39 / R40: it climbs one of the profile's two ladders, one step per call. A case may have
  one open escalation on each ladder. A step with `response_working_days` expects a reply
  within that many working days of the contact, tracked as an `escalation-response` time
  limit (due at the end of the last working day). The reply is recorded with its time
  (`--response`), or recorded as never having come (`--no-reply`): then the limit stays
  unmet (overdue once its time has passed); going up a step does not meet it.
* R40 step 2: a step with `escalate_within_working_days` binds the side that escalates: it
  takes the step within that many working days of the reply to the step before, tracked as
  an `escalation-step` limit owned by who raised the escalation (counted from the reply, so
  none when no reply came). Going up meets it; resolving or skipping sets it aside.
* R39 step 2 (the online meeting) is `optional`: it may be skipped with a reason; a limit
  that was waiting for it is set aside with that reason.
* R39 steps 3-4: from the ladder's `branch_from_step` the branch (profile list
  `escalation_branches`: wider workforce or children's services) is recorded, and refused
  before it.
* R41: every step records who was contacted, when, and its reply; from the ladder's
  `practice_review_from_step` on, whether a referral for a Child Safeguarding Practice
  Review is being considered must be recorded.
* R37c: an advice-only consultation may be escalated by the referrer on the agency-to-lado
  ladder (e.g. the threshold decision); the LADO's own ladder needs an open case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from lado_cli.domain.dates import parse_instant
from lado_cli.domain.deadlines import NewDeadline
from lado_cli.domain.profile import Ladder, LadderStep, Profile
from lado_cli.errors import FieldError, LadoError

#: The kind of time limit a step's expected reply creates.
RESPONSE_KIND = "escalation-response"
#: The kind of time limit binding the escalating side to take the next step (R40 step 2).
STEP_KIND = "escalation-step"
#: The chronology entries' kind.
EVENT_KIND = "escalation"
#: The referrer's ladder (R40): the one an advice-only consultation may use (R37c).
REFERRER_LADDER = "agency-to-lado"

OPEN, REPLY, ADVANCE, RESOLVE = "open", "reply", "advance", "resolve"
#: What the current step's reply is: recorded, recorded as never come, or not yet known.
REPLIED, NO_REPLY = "reply", "no-reply"


@dataclass(frozen=True)
class Current:
    """An open escalation of a case, as stored."""

    id: int
    ladder: str
    reason: str
    step: int  # the step reached (1 = the first contact)
    opened_at: datetime
    last_at: datetime  # the latest time recorded on it (a step taken, a reply received)
    practice_review: str | None = None
    raised_by: str | None = None
    replied: str | None = None  # REPLIED, NO_REPLY or None: the current step's reply
    reply_due: datetime | None = None  # the current step's reply limit, while unmet
    step_due: datetime | None = None  # the escalating side's limit for the next step, while open
    branch: str | None = None  # the latest branch recorded (R39 steps 3-4)


@dataclass(frozen=True)
class Plan:
    """What to record. `step` is the new step (open, advance) or the one reached (reply, resolve)."""

    action: str  # OPEN, REPLY, ADVANCE or RESOLVE
    ladder: Ladder
    step: int
    at: datetime
    text: str  # the chronology entry (R41)
    reason: str | None = None  # OPEN only
    raised_by: str | None = None  # OPEN only
    contacted: str | None = None  # OPEN, ADVANCE
    response: str | None = None  # the reply the current step got (REPLY, ADVANCE, RESOLVE)
    no_reply: bool = False  # the current step's reply never came: its limit stays unmet
    replied_at: datetime | None = None  # when the reply came
    skipped: int | None = None  # ADVANCE: the step skipped on the way (R39 step 2)
    skip_reason: str | None = None
    branch: str | None = None  # R39 steps 3-4
    practice_review: str | None = None  # R41, from practice_review_from_step on
    resolution: str | None = None  # RESOLVE only
    deadline: NewDeadline | None = None  # the reply expected to the new step
    step_deadline: NewDeadline | None = None  # R40: the escalating side's limit for the next step
    step_limit_met: bool = False  # the escalating side's open limit is met by this step
    step_limit_set_aside: str | None = None  # ... or set aside, with this reason


# -- checks -------------------------------------------------------------------------------


def ladder_of(profile: Profile, value: object) -> Ladder:
    """The profile's ladder named `value` (any case), else a FieldError naming the ladders."""
    slug = str(value).strip().lower() if value is not None else ""
    if slug in profile.ladders:
        return profile.ladders[slug]
    raise FieldError("ladder", value, "is not one of the profile's escalation ladders", "one of " + ", ".join(profile.ladders))


def step_of(ladder: Ladder, number: int) -> LadderStep:
    return ladder.steps[number - 1]


def asks_practice_review(ladder: Ladder, step: int) -> bool:
    """R41: from this step on, the practice-review decision is recorded."""
    return ladder.practice_review_from_step is not None and step >= ladder.practice_review_from_step


def asks_branch(ladder: Ladder, step: int) -> bool:
    """R39 steps 3-4: from this step on, the branch is recorded."""
    return ladder.branch_from_step is not None and step >= ladder.branch_from_step


def awaits_reply(ladder: Ladder, current: Current) -> bool:
    """The current step expects a reply (R39/R40) and none is recorded either way yet."""
    return current.replied is None and step_of(ladder, current.step).response_working_days is not None


def can_skip_next(ladder: Ladder, current: Current) -> bool:
    """The next step may be skipped (profile `optional`) and there is a step after it."""
    nxt = current.step + 1
    return nxt + 1 <= len(ladder.steps) and step_of(ladder, nxt).optional


def check_case(ladder: Ladder, ref: str, status: str) -> None:
    """Which cases an escalation may be opened on: open cases, and advice-only consultations
    (R37c) on the referrer's ladder only (R40: e.g. disagreeing with the threshold decision)."""
    if status == "open" or (status == "advice-only" and ladder.slug == REFERRER_LADDER):
        return
    if status == "advice-only":
        raise LadoError(
            f"{ref} is an advice-only consultation (R37c); only the referrer's ladder {REFERRER_LADDER} may be opened on it: "
            f"the ladder {ladder.slug} ({ladder.rule}) needs an open case"
        )
    raise LadoError(f"{ref} is {status}; escalations are opened on open cases (and, on {REFERRER_LADDER}, advice-only consultations)")


def clean_text(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def required_text(field: str, value: str | None) -> str:
    text = clean_text(value)
    if text is None:
        raise FieldError(field, value, "is empty", "some text")
    return text


def check_date(value: str | None, *, tz: ZoneInfo, now: datetime, earliest: datetime, earliest_what: str) -> datetime:
    """`--date`: a real date and time, not in the future, not before `earliest`."""
    at = parse_instant("" if value is None else value, "date", tz)
    if at > now:
        raise FieldError("date", value, "is in the future", f"a time on or before {now.astimezone(tz):%d/%m/%Y %H:%M}")
    if at < earliest:
        raise FieldError("date", value, f"is before {earliest_what}", f"a time on or after {earliest.astimezone(tz):%d/%m/%Y %H:%M}")
    return at


def practice_review_of(ladder: Ladder, step: int, value: str | None) -> str | None:
    """R41: required from the ladder's practice-review step on; refused before it."""
    text = clean_text(value)
    if asks_practice_review(ladder, step):
        if text is None:
            raise LadoError(
                f"--practice-review: step {step} of {ladder.slug} ({ladder.rule}) must record whether a Child Safeguarding "
                f"Practice Review referral is being considered (R41); expected e.g. 'no' or the decision",
                usage=True,
            )
        return text
    if text is not None:
        start = ladder.practice_review_from_step
        when = f"from step {start}" if start else "never, on this ladder"
        raise LadoError(f"--practice-review: is recorded {when} (R41); this is step {step} of {ladder.slug}", usage=True)
    return None


def branch_of(profile: Profile, ladder: Ladder, step: int, value: str | None) -> str | None:
    """R39 steps 3-4: the branch, required from the ladder's branch step on; refused before it."""
    if asks_branch(ladder, step):
        if clean_text(value) is None:
            raise LadoError(
                f"--branch: step {step} of {ladder.slug} ({ladder.rule}) goes to the wider children's workforce or to children's "
                f"services; expected one of {', '.join(o.slug for o in profile.options('escalation_branches'))}",
                usage=True,
            )
        return profile.check_slug("escalation_branches", "branch", value)
    if value is not None:
        start = ladder.branch_from_step
        when = f"from step {start}" if start else "never, on this ladder"
        raise LadoError(f"--branch: is recorded {when} ({ladder.rule}); this is step {step} of {ladder.slug}", usage=True)
    return None


def reply_deadline(ladder: Ladder, step: int, at: datetime, contacted: str, profile: Profile) -> NewDeadline | None:
    """R39/R40: the reply a step expects, within N working days of the contact."""
    n = step_of(ladder, step).response_working_days
    if n is None:
        return None
    due = profile.calendar().due_in_working_days(at, n)
    title = f"Reply from {contacted} (step {step})"
    return NewDeadline(kind=RESPONSE_KIND, rule=ladder.rule, due=due, owner=contacted, title=title)


def escalate_deadline(ladder: Ladder, step: int, replied_at: datetime, raised_by: str | None, profile: Profile) -> NewDeadline | None:
    """R40 step 2: the escalating side takes step `step + 1` within N working days of the
    reply to `step` (a limit on it, not a reply)."""
    if step + 1 > len(ladder.steps):
        return None
    n = step_of(ladder, step + 1).escalate_within_working_days
    if n is None:
        return None
    due = profile.calendar().due_in_working_days(replied_at, n)
    title = f"Escalate to step {step + 1} within {n} working days of the reply to step {step}, if still unresolved"
    return NewDeadline(kind=STEP_KIND, rule=ladder.rule, due=due, owner=raised_by or "the side that escalates", title=title)


def day_text(instant: datetime, tz: ZoneInfo) -> str:
    return f"{instant.astimezone(tz):%a %d/%m/%Y %H:%M}"


def end_of_day_text(instant: datetime, tz: ZoneInfo) -> str:
    return f"the end of {instant.astimezone(tz):%a %d/%m/%Y}"


def expects_text(deadline: NewDeadline | None, tz: ZoneInfo) -> str:
    if deadline is None:
        return ""
    return f" Reply expected by {end_of_day_text(deadline.due, tz)} ({deadline.rule})."


def check_can_advance(profile: Profile, current: Current) -> Ladder:
    """The escalation's ladder, if it has a step above the current one (R39, R40)."""
    lad = ladder_of(profile, current.ladder)
    if current.step >= len(lad.steps):
        raise LadoError(
            f"the escalation on {lad.slug} is at step {current.step}, the last of the ladder {lad.slug} ({lad.rule}); "
            f"nothing is higher: record how it ended with --resolve --date DATETIME --note TEXT"
        )
    return lad


@dataclass(frozen=True)
class Reply:
    response: str | None
    no_reply: bool
    text: str  # the chronology's words about it ("" when nothing is said)


def reply_of(lad: Ladder, current: Current, response: str | None, no_reply: bool, *, required: bool, tz: ZoneInfo) -> Reply:
    """The reply the current step got (R41): its text, or that none came (its limit then
    stays unmet). Required when the step expects a reply and none is recorded yet."""
    reply = clean_text(response)
    if response is not None and reply is None:
        raise FieldError("response", response, "is empty", "the reply in words, or --no-reply if none came")
    if reply and no_reply:
        raise LadoError(f"--response and --no-reply: give one, the reply step {current.step} got or that none came", usage=True)
    if current.replied is not None and (reply or no_reply):
        said = "that no reply came" if current.replied == NO_REPLY else "its reply"
        raise LadoError(f"step {current.step} of {lad.slug} has {said} recorded already; a saved record is not overwritten (R37a)")
    if required and not reply and not no_reply and awaits_reply(lad, current):
        due = f" (due by {end_of_day_text(current.reply_due, tz)})" if current.reply_due else ""
        raise LadoError(
            f"missing required flags: --response TEXT or --no-reply: step {current.step} of {lad.slug} expected a reply{due}; "
            f"say what came back, or that nothing did",
            usage=True,
        )
    if no_reply:
        due = f" (due by {end_of_day_text(current.reply_due, tz)})" if current.reply_due else ""
        return Reply(None, True, f" No reply came to step {current.step}: its time limit{due} stays unmet (R41).")
    if reply:
        return Reply(reply, False, f" Reply to step {current.step}: {reply}.")
    return Reply(None, False, "")
