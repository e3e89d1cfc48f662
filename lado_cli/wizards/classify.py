"""The outcome classification of `lado outcome` on a terminal (R28, P§55): the profile's
definitions, then the evidence questions in order (domain/classify.py decides which comes
next), then the outcome, offered with the one the answers imply as its default; choosing
another asks why. Answers are keyed by flag name, like every wizard's."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lado_cli.domain import classify as c
from lado_cli.domain.profile import Profile
from lado_cli.wizards.common import Interview, confirm, labels, select, text

DECIDED = "decided"  # the wizard's own question: is there an outcome to record yet? (not a flag)

#: What to ask again when an answer is changed at the review (Interview.change).
FOLLOWS: dict[str, tuple[str, ...]] = {
    DECIDED: (*c.FLAGS, "outcome", "why"),
    c.PROVES: (c.DISPROVES, c.DECEIT, c.NO_BASIS, "outcome", "why"),
    c.DISPROVES: (c.DECEIT, c.NO_BASIS, "outcome", "why"),
    c.DECEIT: ("outcome", "why"),
    c.NO_BASIS: ("outcome", "why"),
    "outcome": ("why",),
}


def ask_outcome(ask: Interview, profile: Profile, notify: Callable[[str, Any], None]) -> None:
    """Ask for the outcome of the allegation by its evidence (R28), or record that it is not
    decided yet (the outcome is then None, as `lado outcome --employment` alone leaves it)."""
    given_answers = any(ask.a.get(flag) is not None for flag in c.FLAGS)
    if not given_answers and not ask(DECIDED, lambda: confirm("Is the outcome of the allegation decided (R28)?", default=True), "Outcome decided"):
        return  # no outcome yet: only the employment outcome is recorded (R33 keeps the case open)
    options = profile.options("outcomes")
    offered = [o.slug for o in options]
    if not any(f in ask.a for f in c.FLAGS):  # once, before the first question (P§55)
        definitions = profile.outcome_definitions
        notify("answers", ("Outcomes of an allegation (R28)", [(o.label, definitions.get(o.slug, "")) for o in options]))
    while (flag := c.next_question(c.parse_answers(ask.a), offered)) is not None:
        ask(flag, lambda flag=flag: confirm(c.QUESTIONS[flag], default=False), c.LABELS[flag])
    proposal = c.implied(c.parse_answers(ask.a), offered)
    implied = profile.label("outcomes", proposal) if proposal else "none of this profile's outcomes"
    chosen = ask("outcome", lambda: select(f"Outcome of the allegation (R28): the answers imply {implied}", options, default=proposal),
                 "Outcome (R28)", labels(options))  # fmt: skip
    if chosen != proposal:
        ask("why", lambda: text(f"Why this outcome and not the one the answers imply ({implied})?"), "Why not the implied outcome")
    else:
        ask.a.pop("why", None)  # changed back to the implied outcome at the review: no reason to give
