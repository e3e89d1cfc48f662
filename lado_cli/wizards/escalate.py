"""The questions of `lado escalate` (PROCEDURE R38-R41), for whatever the flags did not give.

Without --ladder it first asks which escalation: an open one to continue, or a new one on a
ladder with none open (one on each ladder at a time; an advice-only consultation offers the
referrer's ladder only, R37c). A new one asks the reason (R38), who escalates (on the
referrer's ladder, R40: the referrer on record is offered), who was contacted and when. An
open one asks what now: record the reply the current step got, go up a step, skip an
optional step (R39 step 2) with its reason, or record that it is resolved; then the reply
(blank when none came, where a reply was expected: its limit stays unmet), who was contacted
next and when (or the outcome). From the ladder's branch step the branch (R39 steps 3-4),
and from its practice-review step whether a Child Safeguarding Practice Review referral is
being considered (R41). Answers come back keyed by flag name, as typed; the command checks
them again with the same domain rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lado_cli.domain.escalation import (
    ADVANCE, OPEN, REFERRER_LADDER, REPLY, RESOLVE, Current, asks_branch, asks_practice_review, awaits_reply, can_skip_next, check_date,
    ladder_of, step_of,
)  # fmt: skip
from lado_cli.domain.profile import Option, Profile
from lado_cli.wizards.common import Clock, confirm, moment, select, text

SKIP = "skip"


def run(given: dict[str, Any], *, profile: Profile, now: datetime, opened: dict[str, Current], status: str, referrer: str | None,
        earliest: datetime, clock: Clock | None = None) -> dict[str, Any]:  # fmt: skip
    """Ask for what `given` lacks; returns the answers with `action` (open/reply/advance/resolve)
    and `ladder` set. `clock` gives the time at each question (default: `now` throughout)."""
    a = dict(given)
    tz = profile.calendar().tz
    clock = clock or (lambda: now)

    def ask(field: str, question) -> Any:
        if a.get(field) is None:
            a[field] = question()
        return a[field]

    def date_question(message: str, after: datetime, after_what: str) -> str:
        def check(t: str, at: datetime) -> datetime:
            return check_date(t, tz=tz, now=at, earliest=after, earliest_what=after_what)

        return moment(message, "date", tz, clock, check=check)

    if a.get("ladder") is None:
        if len(opened) == 1 and a.get("reason") is None and (a.get("resolve") or a.get("to") is not None):
            a["ladder"] = next(iter(opened))
        else:
            which = _which(profile, opened, status)
            a["ladder"] = which[0].slug if len(which) == 1 else select("Which escalation?", which)  # one choice: nothing to ask
    ladder = ladder_of(profile, a["ladder"])
    a["ladder"] = ladder.slug
    current = opened.get(ladder.slug)

    if current is None:
        a["action"] = OPEN
        ask("reason", lambda: select("What is it about (R38)?", profile.options("escalation_reasons")))
        if ladder.slug == REFERRER_LADDER:
            ask("by", lambda: text("Who escalates (name and role)? They must take step 2 in time (R40).", default=referrer or ""))
        first = step_of(ladder, 1)
        ask("to", lambda: text(f"Step 1 of {len(ladder.steps)}: {first.who}\nWho was contacted (name and role)?"))
        ask("date", lambda: date_question("When?", earliest, "the concern arose"))
        _practice_review(a, ladder, 1)
        return a

    last = current.step >= len(ladder.steps)
    if a.get("action") is None:
        if a.get("resolve"):
            a["action"] = RESOLVE
        elif a.get("to") is not None or a.get("skip-step"):
            a["action"] = ADVANCE
        elif a.get("response") is not None or a.get("no-reply"):
            a["action"] = REPLY
        elif last and not awaits_reply(ladder, current):  # nowhere higher to go: only the outcome is left to record
            a["action"] = RESOLVE
        else:
            a["action"] = _what_now(ladder, current)
    if a["action"] == SKIP:
        a["action"], a["skip-step"] = ADVANCE, True
    after_what = f"step {current.step} was taken"
    if current.replied is None and a.get("response") is None and not a.get("no-reply"):
        if awaits_reply(ladder, current) or a["action"] == REPLY:
            answer = text(f"What reply did step {current.step} get? (blank: none came, and its time limit stays unmet)", validate=None)
            if answer:
                a["response"] = answer
            else:
                a["no-reply"] = True
        elif a["action"] != REPLY:
            a["response"] = text(f"What reply did step {current.step} get? (blank if none)", validate=None) or None
    if a["action"] == REPLY:
        ask("date", lambda: date_question("When did the reply come (or when was it noted that none came)?", current.last_at, after_what))
        return a
    if a["action"] == RESOLVE:
        ask("date", lambda: date_question("When was it resolved?", current.last_at, after_what))
        ask("note", lambda: text("How was it resolved (the outcome)?"))
        return a
    step = current.step + (2 if a.get("skip-step") else 1)
    if a.get("skip-step"):
        ask("why", lambda: text(f"Why is step {current.step + 1} ({step_of(ladder, current.step + 1).who}) skipped?"))
    nxt = step_of(ladder, step)
    ask("to", lambda: text(f"Step {step} of {len(ladder.steps)}: {nxt.who}\nWho was contacted (name and role)?"))
    ask("date", lambda: date_question("When?", current.last_at, after_what))
    if asks_branch(ladder, step):
        ask("branch", lambda: select(f"Step {step}: which branch ({ladder.rule})?", profile.options("escalation_branches"), default=current.branch))
    _practice_review(a, ladder, step)
    return a


def _which(profile: Profile, opened: dict[str, Current], status: str) -> list[Option]:
    """Open escalations first (to continue), then the ladders a new one may be opened on."""
    out = [Option(slug, f"Continue the escalation on {slug} ({profile.ladders[slug].rule}), at step {c.step}")
           for slug, c in opened.items() if slug in profile.ladders]  # fmt: skip
    for slug, lad in profile.ladders.items():
        if slug not in opened and (status == "open" or slug == REFERRER_LADDER):
            out.append(Option(slug, f"Open an escalation: {lad.label} ({lad.rule})"))
    return out


def _what_now(ladder, current: Current) -> str:
    options = []
    last = current.step >= len(ladder.steps)
    if current.replied is None:
        options.append(Option(REPLY, f"Record the reply step {current.step} got (or that none came), staying at step {current.step}"))
    if not last:
        options.append(Option(ADVANCE, f"Go to step {current.step + 1}: {step_of(ladder, current.step + 1).who}"))
        if can_skip_next(ladder, current):
            options.append(Option(SKIP, f"Skip step {current.step + 1} and go to step {current.step + 2}: {step_of(ladder, current.step + 2).who}"))
    options.append(Option(RESOLVE, "Record that it is resolved, and how"))
    return select(f"The escalation ({ladder.rule}) is at step {current.step} of {len(ladder.steps)}. What now?", options,
                  default=ADVANCE if not last else RESOLVE)  # fmt: skip


def _practice_review(a: dict[str, Any], ladder, step: int) -> None:
    """R41: from the ladder's practice-review step on, record the decision."""
    if not asks_practice_review(ladder, step) or a.get("practice-review") is not None:
        return
    if confirm("Is a referral to the safeguarding partnership for a Child Safeguarding Practice Review being considered (R41)?", default=False):
        a["practice-review"] = "yes: " + text("What has been decided, or what happens next?")
    else:
        a["practice-review"] = "no"
