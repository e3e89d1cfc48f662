"""Outcome classification (R28, P§55): the evidence questions, in order, and the outcome their
answers imply. Pure: no I/O, no clock.

The questions, each answered yes or no, asked only where the answers before leave it open:

  1. evidence-proves     Is there sufficient evidence to prove the allegation?
                         yes: substantiated (nothing more is asked).
  2. evidence-disproves  Is there sufficient evidence to disprove it?
  3. deliberate-deceit   (only after 2 = yes) Was it a deliberate act to deceive?
                         yes: malicious; no: false.
  4. no-basis            (only after 2 = no, and only if the profile offers "unfounded")
                         Was there no evidence or proper basis at all supporting it?
                         yes: unfounded; no: unsubstantiated (neither proved nor disproved).

Answers that contradict each other are refused, naming the flag: evidence cannot both prove
and disprove an allegation; a deliberate act to deceive is a finding about a disproved
allegation (malicious), so it needs 2 = yes; an allegation proved has a basis. An answer the
order never reaches but which agrees with the others is kept as given (e.g. --no-basis yes
beside --evidence-disproves yes: the disproof decides, false or malicious).

The implied outcome is one of the canonical slugs below; a profile whose outcome list does
not offer it (another nation's set) gets no proposal, and the officer chooses with a reason.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from lado_cli.domain import fields as f
from lado_cli.domain.profile import Profile
from lado_cli.errors import FieldError, LadoError

SUBSTANTIATED, UNSUBSTANTIATED, FALSE, MALICIOUS, UNFOUNDED = "substantiated", "unsubstantiated", "false", "malicious", "unfounded"

PROVES, DISPROVES, DECEIT, NO_BASIS = "evidence-proves", "evidence-disproves", "deliberate-deceit", "no-basis"
FLAGS = (PROVES, DISPROVES, DECEIT, NO_BASIS)  # in the order they are asked

QUESTIONS = {
    PROVES: "Is there sufficient evidence to prove the allegation?",
    DISPROVES: "Is there sufficient evidence to disprove the allegation?",
    DECEIT: "Was the allegation a deliberate act to deceive?",
    NO_BASIS: "Was there no evidence or proper basis at all supporting the allegation?",
}
#: Short labels of the answers, for the chronology, `lado show` and the wizard's review.
LABELS = {PROVES: "Evidence proves it", DISPROVES: "Evidence disproves it", DECEIT: "Deliberate act to deceive", NO_BASIS: "No evidence or proper basis"}
#: The store's column of each answer (cases table).
COLUMNS = {PROVES: "outcome_proves", DISPROVES: "outcome_disproves", DECEIT: "outcome_deceit", NO_BASIS: "outcome_no_basis"}

_YES, _NO = ("yes", "y", "true"), ("no", "n", "false")


@dataclass(frozen=True)
class Answers:
    """The answers given; None: not given (or not asked)."""

    proves: bool | None = None
    disproves: bool | None = None
    deceit: bool | None = None
    no_basis: bool | None = None

    def by_flag(self) -> dict[str, bool | None]:
        return {PROVES: self.proves, DISPROVES: self.disproves, DECEIT: self.deceit, NO_BASIS: self.no_basis}

    def any(self) -> bool:
        return any(v is not None for v in self.by_flag().values())


def yes_no(value: Any, field: str) -> bool | None:
    """A yes/no answer as a flag gives it (yes, no, any case) or a wizard does (a bool)."""
    if value is None or isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise FieldError(field, value, "is not yes or no", "yes or no")


def parse_answers(raw: Mapping[str, Any]) -> Answers:
    return Answers(*(yes_no(raw.get(flag), flag) for flag in FLAGS))


def check(a: Answers) -> None:
    """Refuse answers that contradict each other, naming the flag that does."""
    if a.proves and a.disproves:
        raise FieldError(DISPROVES, "yes", "contradicts --evidence-proves yes", "no: evidence cannot both prove and disprove the allegation")
    if a.proves and a.no_basis:
        raise FieldError(NO_BASIS, "yes", "contradicts --evidence-proves yes", "no: an allegation proved has a basis")
    if a.deceit and not a.disproves:
        raise FieldError(DECEIT, "yes", "needs --evidence-disproves yes",
                         "no, unless the evidence disproves the allegation (malicious: disproved and a deliberate act to deceive, R28)")  # fmt: skip


def next_question(a: Answers, offered: Collection[str]) -> str | None:
    """The flag of the next question the answers so far leave open, or None when they decide."""
    if a.proves is None:
        return PROVES
    if a.proves:
        return None
    if a.disproves is None:
        return DISPROVES
    if a.disproves:
        return DECEIT if a.deceit is None else None
    if a.no_basis is None and UNFOUNDED in offered:
        return NO_BASIS
    return None


def implied(a: Answers, offered: Collection[str]) -> str | None:
    """The outcome complete, consistent answers imply (R28), or None when the profile's
    outcomes (`offered`) do not include it. Call `check` and `next_question` first."""
    if a.proves:
        slug = SUBSTANTIATED
    elif a.disproves:
        slug = MALICIOUS if a.deceit else FALSE
    elif a.no_basis and UNFOUNDED in offered:
        slug = UNFOUNDED
    else:
        slug = UNSUBSTANTIATED  # neither proved nor disproved: implies neither guilt nor innocence
    return slug if slug in offered else None


def answers_text(a: Answers) -> str:
    """The answers in words, in the order asked: 'Evidence proves it: no; ...'."""
    return "; ".join(f"{LABELS[f]}: {'yes' if v else 'no'}" for f, v in a.by_flag().items() if v is not None)


def outcome_step(raw: Mapping[str, Any], case: Mapping[str, Any], profile: Profile, new_outcome: str | None) -> tuple[str | None, dict[str, Any], str | None]:
    """`lado outcome` with evidence answers (R28, P§55): check them, propose the outcome they
    imply, and refuse a chosen --outcome that differs without --why. Returns the outcome to
    record (the chosen one, else the proposal), the case columns to store (the answers and the
    reason), and the sentence for the chronology. Without answers: the outcome as given."""
    a, why = parse_answers(raw), f.text(raw, "why")
    if not a.any():
        if why:
            raise LadoError("--why goes with the evidence answers (--evidence-proves ...): it is the reason for an --outcome other than the one they imply", usage=True)
        return new_outcome, {}, None
    ref = case["ref"]
    if case["outcome"]:
        raise LadoError(f"{ref} already has the outcome '{case['outcome']}'; the evidence answers classify a new one (R28); "
                        f"correct the outcome with `lado amend {ref} --outcome SLUG --why TEXT`")  # fmt: skip
    offered = profile.slugs("outcomes")
    if a.no_basis is not None and UNFOUNDED not in offered:
        raise FieldError(NO_BASIS, raw[NO_BASIS], "is not asked: the profile has no 'unfounded' outcome", "no --no-basis")
    check(a)
    missing = next_question(a, offered)
    if missing:
        f.require(raw, [missing])
    proposal = implied(a, offered)
    chosen = profile.check_slug("outcomes", "outcome", new_outcome) if new_outcome else proposal
    if chosen is None:
        f.require(raw, ["outcome"])
    shown = profile.label("outcomes", proposal) if proposal else "an outcome this profile does not offer"
    if chosen != proposal and not why:
        raise LadoError(f"--outcome {chosen} is not the outcome the evidence answers imply ({shown}); give the reason with --why TEXT (R28)", usage=True)
    if chosen == proposal and why:
        raise LadoError(f"--why is the reason for an --outcome other than the one the answers imply; {chosen} is the one they imply, so leave --why out", usage=True)
    columns = {COLUMNS[flag]: v for flag, v in a.by_flag().items()}
    columns["outcome_why"] = why
    text = f"Evidence (R28): {answers_text(a)}. The answers imply: {shown}."
    if why:
        text += f" Outcome chosen against them, because: {why.rstrip('.')}."
    return chosen, columns, text


def recorded(case: Mapping[str, Any], profile: Profile) -> dict[str, Any] | None:
    """The answers stored on a case, with the outcome they imply under this profile and the
    reason for a different outcome: `lado show` (json and table). None when none were recorded."""
    a = Answers(*(case.get(COLUMNS[flag]) for flag in FLAGS))
    if not a.any():
        return None
    offered = profile.slugs("outcomes")
    out: dict[str, Any] = {flag.replace("-", "_"): v for flag, v in a.by_flag().items()}
    out["implies"] = implied(a, offered) if next_question(a, offered) is None else None
    out["why"] = case.get("outcome_why")
    return out
