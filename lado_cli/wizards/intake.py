"""The intake wizard's questions about the facts of domain/intake.py (R42-R44, R51, the
referral-form fields of R11), each asked only where it applies and skipped when its flag
was given. Every answer is optional; blank means not known or none."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.dates import parse_instant
from lado_cli.domain.intake import BY_SLUG, is_foster_carer
from lado_cli.domain.profile import Profile
from lado_cli.errors import FieldError
from lado_cli.wizards.common import Clock, Interview, _ask, confirm, labels, moment, select, text

_SKIP = "__skip__"  # (a Choice valued None would answer its title)


def _optional(message: str) -> str | None:
    return text(message, validate=None) or None


def _maybe_select(message: str, profile: Profile, list_name: str) -> str | None:
    answer = select(message, profile.options(list_name), extra=[questionary.Choice(title="Not known / skip", value=_SKIP)])
    return None if answer == _SKIP else answer


def _yes_no(message: str) -> bool | None:
    cs = [questionary.Choice("Yes", value="yes"), questionary.Choice("No", value="no"), questionary.Choice("Not known", value=_SKIP)]
    answer = _ask(questionary.select(message, choices=cs, use_jk_keys=False))
    return None if answer == _SKIP else answer == "yes"


def _many(first: str, more: str) -> list[str]:
    items: list[str] = []
    while item := text(more if items else first, validate=None):
        items.append(item)
    return items


def _not_after(text_: str, field: str, tz, latest: datetime, what: str) -> None:
    if parse_instant(text_, field, tz) > latest:
        raise FieldError(field, text_, f"is later than {what}", f"a time on or before {latest.astimezone(tz):%d/%m/%Y %H:%M}")


def _not_before(text_: str, field: str, tz, earliest: datetime, latest: datetime) -> None:
    value = parse_instant(text_, field, tz)
    if value > latest:
        raise FieldError(field, text_, "is later than now", f"a time on or before {latest.astimezone(tz):%d/%m/%Y %H:%M}")
    if value < earliest:
        raise FieldError(field, text_, "is before the allegation was first raised", f"a time on or after {earliest.astimezone(tz):%d/%m/%Y %H:%M}")


def _label(slug: str) -> str:
    return BY_SLUG[slug].label


def first_raised(ask: Interview, tz, clock: Clock, arose: datetime) -> datetime:
    """R42: when the allegation was first raised in the organisation; the clocks run from it."""
    answer = ask("first-raised", lambda: moment("Was it first raised with someone else in the organisation before it reached you? When? "
                                                "Blank if it was not.", "first-raised", tz, clock, default=None, optional=True,
                                                check=lambda t, n: _not_after(t, "first-raised", tz, arose, "the concern arose")),
                 _label("first-raised"))  # fmt: skip
    return parse_instant(answer, "first-raised", tz) if answer else arose


def foster(ask: Interview, employment: str, tz, clock: Clock, raised: datetime) -> None:
    """R44: for a foster carer, the supervising social worker and the placement's social workers."""
    if not is_foster_carer(employment):
        return
    ask("supervising-social-worker", lambda: _optional("The foster carer's supervising social worker (blank if not known):"),
        _label("supervising-social-worker"))  # fmt: skip
    workers = ask("placement-social-worker", lambda: _many("A social worker of a child in the placement (blank when none):",
                                                           "Another social worker of a child in the placement (blank when no more):"),
                  _label("placement-social-worker"), lambda v: "; ".join(v or []) or "none")  # fmt: skip
    if workers:
        ask("placement-social-workers-told", lambda: moment("When were they told? Blank if not yet.", "placement-social-workers-told", tz, clock,
                                                            default=None, optional=True,
                                                            check=lambda t, n: _not_before(t, "placement-social-workers-told", tz, raised, n)),
            _label("placement-social-workers-told"))  # fmt: skip


def details(ask: Interview, profile: Profile, tz, clock: Clock, raised: datetime) -> None:
    """The optional facts of the referral form and R43, R51, behind one question."""
    if not ask("more-details", lambda: confirm("Add more details (police or MASH referral, other places, the referral form's questions)?",
                                               default=False), "More details"):  # fmt: skip
        return
    when = ask("police-referred", lambda: moment("When did you refer it to the police or MASH (R43)? Blank if you have not.", "police-referred",
                                                 tz, clock, default=None, optional=True,
                                                 check=lambda t, n: _not_before(t, "police-referred", tz, raised, n)),
               _label("police-referred"))  # fmt: skip
    if when:
        ask("police-referred-to", lambda: _optional("To whom (the force, MASH, the officer)?"), _label("police-referred-to"))
    kids = ask.a.get("child-name") or []
    if kids and "child-address" not in ask.a and "child-social-worker" not in ask.a:
        ask("child-address", lambda: [text(f"{k}'s address (blank if not known):", validate=None) or "unknown" for k in kids],
            "Children's addresses", lambda v: "; ".join(v or []))  # fmt: skip
        ask("child-social-worker", lambda: [text(f"{k}'s allocated social worker (blank if none or not known):", validate=None) or "unknown" for k in kids],
            "Children's social workers", lambda v: "; ".join(v or []))  # fmt: skip
    ask("subject-sex", lambda: _maybe_select("The adult's sex:", profile, "subject_sexes"), _label("subject-sex"))
    ask("service-length", lambda: _optional("How long have they worked there (e.g. 3 years)?"), _label("service-length"))
    ask("own-children", lambda: _yes_no("Do they have children of their own at home?"), _label("own-children"))
    _places(ask, profile)
    _associated(ask, profile)
    ask("incidents", lambda: _optional("How many incidents (blank if not known)?"), _label("incidents"))
    ask("place", lambda: _optional("Where did it happen?"), _label("place"))
    ask("injury", lambda: _optional("Any injury?"), _label("injury"))
    if ask.a.get("category") == "physical":
        ask("physical-intervention", lambda: _yes_no("Did it follow an authorised physical intervention (restraint)?"), _label("physical-intervention"))
    ask("others-told", lambda: _optional("Who else has been told?"), _label("others-told"))
    ask("action-taken", lambda: _optional("What has been done so far?"), _label("action-taken"))
    ask("adult-knows", lambda: _yes_no("Does the adult know of the allegation?"), _label("adult-knows"))


def _places(ask: Interview, profile: Profile) -> None:
    """R51: other work or volunteering with children, or a commissioning body, each with its authority."""
    def places() -> list[str]:
        names, kinds, authorities = [], [], []
        while name := text("Another place the adult works or volunteers with children (blank when none):", validate=None):
            names.append(name)
            kinds.append(_maybe_select(f"What is {name}?", profile, "setting_kinds") or "unknown")
            authorities.append(text(f"Which local authority is {name} in?", default=profile.name, validate=None) or "unknown")
        ask.a["other-setting-kind"], ask.a["other-setting-authority"] = kinds, authorities
        return names

    if "other-setting" not in ask.a:
        ask("other-setting", places, "Other places (R51)", lambda v: "; ".join(v or []) or "none")


def _associated(ask: Interview, profile: Profile) -> None:
    """P§68: an allegation about a person closely associated with a worker."""
    if "association" in ask.a or not ask("is-associated", lambda: confirm(
            "Is the adult closely associated with someone who works with children (e.g. their partner)?", default=False), "Associated person"):
        return
    ask("association", lambda: select("How are they associated?", profile.options("associations")), _label("association"),
        labels(profile.options("associations")))  # fmt: skip
    ask("associated-worker", lambda: text("The worker's name:"), _label("associated-worker"))
    ask("associated-employer", lambda: _optional("The worker's employer:"), _label("associated-employer"))
    ask("associated-with", lambda: _optional("The worker's own case reference here, if any (blank if none):"), _label("associated-with"))


def drop_wizard_keys(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers without the wizard's own yes/no gates."""
    return {k: v for k, v in answers.items() if k not in ("more-details", "is-associated")}
