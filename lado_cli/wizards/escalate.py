"""The questions of `lado escalate` (PROCEDURE R38-R41), for whatever the flags did not give.

With no open escalation it opens one: ladder (R39/R40), reason (R38), who was contacted and
when. With one open it asks whether to go up a step or record that it is resolved, then
the reply the last step got, who was contacted next and when (or the outcome). From the
ladder's practice-review step on it asks whether a Child Safeguarding Practice Review
referral is being considered (R41). Answers come back keyed by flag name, as typed; the
command checks them again with the same domain rules.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lado_cli.domain.escalation import ADVANCE, OPEN, RESOLVE, Current, asks_practice_review, check_date, ladder_of, step_of
from lado_cli.domain.profile import Option, Profile
from lado_cli.wizards.common import Clock, confirm, moment, select, text


def run(given: dict[str, Any], *, profile: Profile, now: datetime, current: Current | None, earliest: datetime,
        clock: Clock | None = None) -> dict[str, Any]:  # fmt: skip
    """Ask for what `given` lacks; returns the answers with `action` set (open/advance/resolve).
    `clock` gives the time at each question (default: `now` throughout)."""
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

    if current is None:
        a["action"] = OPEN
        ladders = [Option(slug, f"{lad.label} ({lad.rule})") for slug, lad in profile.ladders.items()]
        slug = ask("ladder", lambda: select("Which escalation ladder?", ladders))
        ladder = ladder_of(profile, slug)
        ask("reason", lambda: select("What is it about (R38)?", profile.options("escalation_reasons")))
        first = step_of(ladder, 1)
        ask("to", lambda: text(f"Step 1 of {len(ladder.steps)}: {first.who}\nWho was contacted (name and role)?"))
        ask("date", lambda: date_question("When?", earliest, "the concern arose"))
        _practice_review(a, ladder, 1)
        return a

    ladder = ladder_of(profile, current.ladder)
    last = current.step >= len(ladder.steps)
    if a.get("action") is None:
        if a.get("resolve"):
            a["action"] = RESOLVE
        elif a.get("to") is not None:
            a["action"] = ADVANCE
        elif last:  # nowhere higher to go: only the outcome is left to record
            a["action"] = RESOLVE
        else:
            nxt = step_of(ladder, current.step + 1)
            a["action"] = select(
                f"The escalation ({ladder.rule}) is at step {current.step} of {len(ladder.steps)}. What now?",
                [Option(ADVANCE, f"Go to step {current.step + 1}: {nxt.who}"), Option(RESOLVE, "Record that it is resolved, and how")],
            )
    after_what = f"step {current.step} was taken"
    ask("response", lambda: text(f"What reply did step {current.step} get? (blank if none)", validate=None) or "")
    if a["action"] == RESOLVE:
        ask("date", lambda: date_question("When was it resolved?", current.last_at, after_what))
        ask("note", lambda: text("How was it resolved (the outcome)?"))
        return a
    step = current.step + 1
    nxt = step_of(ladder, step)
    ask("to", lambda: text(f"Step {step} of {len(ladder.steps)}: {nxt.who}\nWho was contacted (name and role)?"))
    ask("date", lambda: date_question("When?", current.last_at, after_what))
    _practice_review(a, ladder, step)
    return a


def _practice_review(a: dict[str, Any], ladder, step: int) -> None:
    """R41: from the ladder's practice-review step on, record the decision."""
    if not asks_practice_review(ladder, step) or a.get("practice-review") is not None:
        return
    if confirm("Is a referral to the safeguarding partnership for a Child Safeguarding Practice Review being considered (R41)?", default=False):
        a["practice-review"] = "yes: " + text("What has been decided, or what happens next?")
    else:
        a["practice-review"] = "no"

