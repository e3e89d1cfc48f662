"""Escalating a practice concern or a professional disagreement up a ladder (PROCEDURE §8).

Pure logic: time, the profile and the escalation's stored state are parameters. Each
function checks raw answers (flag values or wizard answers, as typed) and returns a `Plan`:
what the store must write. Nothing is written unless every check passes.

* R38: an escalation has a reason from the profile's `escalation_reasons`.
* R39 / R40: it climbs one of the profile's two ladders, one step per call; a step with
  `response_working_days` expects a reply within that many working days of the contact,
  tracked as an `escalation-response` time limit (due at the end of the last working day).
* R41: every step records who was contacted, when, and the reply to the step before;
  from the ladder's `practice_review_from_step` on, whether a referral for a Child
  Safeguarding Practice Review is being considered must be recorded.
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
#: The chronology entries' kind.
EVENT_KIND = "escalation"

OPEN, ADVANCE, RESOLVE = "open", "advance", "resolve"


@dataclass(frozen=True)
class Current:
    """The open escalation of a case, as stored."""

    id: int
    ladder: str
    reason: str
    step: int  # the step reached (1 = the first contact)
    opened_at: datetime
    last_at: datetime  # when the latest step was taken
    practice_review: str | None = None


@dataclass(frozen=True)
class Plan:
    """What to record. `step` is the new step (open, advance) or the one reached (resolve)."""

    action: str  # OPEN, ADVANCE or RESOLVE
    ladder: Ladder
    step: int
    at: datetime
    text: str  # the chronology entry (R41)
    reason: str | None = None  # OPEN only
    contacted: str | None = None  # OPEN, ADVANCE
    response: str | None = None  # the reply to the step before (ADVANCE, RESOLVE)
    practice_review: str | None = None  # R41, from practice_review_from_step on
    resolution: str | None = None  # RESOLVE only
    deadline: NewDeadline | None = None  # the reply expected to this step


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


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(str(value).split())
    return value or None


def _required(field: str, value: str | None) -> str:
    text = _text(value)
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


def _practice_review(ladder: Ladder, step: int, value: str | None) -> str | None:
    """R41: required from the ladder's practice-review step on; refused before it."""
    text = _text(value)
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


def _deadline(ladder: Ladder, step: int, at: datetime, contacted: str, profile: Profile) -> NewDeadline | None:
    """R39/R40: the reply a step expects, within N working days of the contact."""
    n = step_of(ladder, step).response_working_days
    if n is None:
        return None
    due = profile.calendar().due_in_working_days(at, n)
    title = f"Reply from {contacted} (step {step})"
    return NewDeadline(kind=RESPONSE_KIND, rule=ladder.rule, due=due, owner=contacted, title=title)


def _day(instant: datetime, tz: ZoneInfo) -> str:
    return f"{instant.astimezone(tz):%a %d/%m/%Y %H:%M}"


def _expects(deadline: NewDeadline | None, tz: ZoneInfo) -> str:
    if deadline is None:
        return ""
    return f" Reply expected by the end of {deadline.due.astimezone(tz):%a %d/%m/%Y} ({deadline.rule})."


def check_can_advance(profile: Profile, current: Current) -> Ladder:
    """The escalation's ladder, if it has a step above the current one (R39, R40)."""
    lad = ladder_of(profile, current.ladder)
    if current.step >= len(lad.steps):
        raise LadoError(
            f"the escalation is at step {current.step}, the last of the ladder {lad.slug} ({lad.rule}); "
            f"nothing is higher: record how it ended with --resolve --date DATETIME --note TEXT"
        )
    return lad


# -- plans --------------------------------------------------------------------------------


def plan_open(
    profile: Profile,
    *,
    ladder: str | None,
    reason: str | None,
    to: str | None,
    date: str | None,
    practice_review: str | None,
    now: datetime,
    earliest: datetime,
) -> Plan:
    """Open an escalation at step 1 of `ladder` (R38-R40). `earliest`: when the case's
    concern arose (an escalation about a case cannot come before it)."""
    tz = profile.calendar().tz
    lad = ladder_of(profile, ladder)
    why = profile.check_slug("escalation_reasons", "reason", reason)
    contacted = _required("to", to)
    at = check_date(date, tz=tz, now=now, earliest=earliest, earliest_what="the concern arose")
    review = _practice_review(lad, 1, practice_review)
    deadline = _deadline(lad, 1, at, contacted, profile)
    text = (
        f"Escalation opened on the ladder '{lad.label}' ({lad.rule}); reason: {profile.label('escalation_reasons', why)} (R38). "
        f"Step 1 of {len(lad.steps)}: {contacted} contacted on {_day(at, tz)}.{_expects(deadline, tz)}"
    )
    if review:
        text += f" Child Safeguarding Practice Review referral considered (R41): {review}."
    return Plan(OPEN, lad, 1, at, text, reason=why, contacted=contacted, practice_review=review, deadline=deadline)


def plan_advance(
    profile: Profile,
    current: Current,
    *,
    to: str | None,
    date: str | None,
    response: str | None,
    practice_review: str | None,
    now: datetime,
) -> Plan:
    """Take the open escalation one step up its ladder (R39-R41)."""
    tz = profile.calendar().tz
    lad = check_can_advance(profile, current)
    step = current.step + 1
    contacted = _required("to", to)
    at = check_date(date, tz=tz, now=now, earliest=current.last_at, earliest_what=f"step {current.step} was taken")
    reply = _text(response)
    review = _practice_review(lad, step, practice_review)
    deadline = _deadline(lad, step, at, contacted, profile)
    text = f"Escalation ({lad.rule}) moved to step {step} of {len(lad.steps)}: {contacted} contacted on {_day(at, tz)}."
    text += f" Reply to step {current.step}: {reply}." if reply else f" No reply to step {current.step} recorded."
    text += _expects(deadline, tz)
    if review:
        text += f" Child Safeguarding Practice Review referral considered (R41): {review}."
    return Plan(ADVANCE, lad, step, at, text, contacted=contacted, response=reply, practice_review=review, deadline=deadline)


def plan_resolve(profile: Profile, current: Current, *, date: str | None, note: str | None, response: str | None, now: datetime) -> Plan:
    """Close the open escalation with its outcome (R41: whether it resolved the matter)."""
    tz = profile.calendar().tz
    lad = ladder_of(profile, current.ladder)
    at = check_date(date, tz=tz, now=now, earliest=current.last_at, earliest_what=f"step {current.step} was taken")
    outcome = _required("note", note)
    reply = _text(response)
    text = f"Escalation ({lad.rule}) resolved at step {current.step} of {len(lad.steps)} on {_day(at, tz)}."
    if reply:
        text += f" Reply to step {current.step}: {reply}."
    text += f" Outcome: {outcome}"
    if not text.endswith((".", "!", "?")):
        text += "."
    return Plan(RESOLVE, lad, current.step, at, text, response=reply, resolution=outcome)
