"""The `lado amend` wizard: which fact to correct, its new value, and why (R37a). Every
question is also a flag of `lado amend`; answers are returned keyed by flag name."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import questionary

from lado_cli.domain.amend import FACTS, given_facts
from lado_cli.domain.dates import parse_date, parse_instant, parse_optional_date
from lado_cli.domain.profile import Profile
from lado_cli.wizards.common import _ask, checkbox, checker, select, text

_SLUGS = {"sector": "sectors", "category": "categories", "employment-type": "employment", "outcome": "outcomes", "employment": "employment_outcomes"}
_INSTANTS = ("concern-arose", "received", "happened", "held", "closed")


def _choices(case: dict[str, Any]) -> list[questionary.Choice]:
    """The facts this case has to correct, labelled as `lado show` names them."""
    skip = {"child-dob"}
    if case["discussion"] is None:
        skip.add("held")
    if not case["outcome"]:
        skip |= {"outcome", "date"}
    if not case["employment_outcome"]:
        skip.add("employment")
    if case["status"] != "closed":
        skip.add("closed")
    return [questionary.Choice(title=f"{label} (--{k})", value=k) for k, label in FACTS.items() if k not in skip]


def run(given: dict[str, Any], *, case: dict[str, Any], profile: Profile, now: datetime) -> dict[str, Any] | None:
    a = dict(given)
    tz = profile.calendar().tz
    if not given_facts(a):
        k = _ask(questionary.select("Which fact is to be corrected?", choices=_choices(case), use_search_filter=True, use_jk_keys=False))
        if k in _SLUGS:
            a[k] = select(f"The correct {FACTS[k]}:", profile.options(_SLUGS[k]))
        elif k == "criteria":
            chosen = checkbox("The harm criteria met (R4); none ticked: an advice-only consultation", profile.options("criteria"))
            a[k] = chosen or ["none"]
        elif k == "child-name":
            names = text("The children's names, all of them, separated by ';'")
            a[k] = [n.strip() for n in names.split(";") if n.strip()]
            dobs = text(f"Their dates of birth in the same order ({len(a[k])}), separated by ';' ('unknown' allowed)",
                        validate=checker(lambda t: [parse_optional_date(d, "child-dob") for d in t.split(";")]))  # fmt: skip
            a["child-dob"] = [d.strip() for d in dobs.split(";")]
        elif k in _INSTANTS:
            a[k] = text(f"The correct time: {FACTS[k]} (dd/mm/yyyy hh:mm)", validate=checker(lambda t, k=k: parse_instant(t, k, tz)))
        elif k in ("subject-dob", "date"):
            a[k] = text(f"The correct {FACTS[k]} (dd/mm/yyyy)", validate=checker(lambda t, k=k: parse_date(t, k)))
        else:
            a[k] = text(f"The correct {FACTS[k]}:")
    if "why" not in a:
        a["why"] = text("Why was the record wrong? (kept with the amendment, R37a)")
    return a
