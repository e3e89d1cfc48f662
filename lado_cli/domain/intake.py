"""The intake facts beyond the core referral (issue #10 item 1, the form fields of #11):
R42 first raised, R43 the immediate referral to police or MASH, R44 foster carers, R11 the
child's address and social worker and the fields published referral forms ask, R51 other
places and an associated person. Pure: `now` and the profile are parameters.

One table of field specs (`SPECS`) gives each fact its flag (= CSV column), label, kind and
profile list; `lado refer`, `lado amend`, `lado show`, `lado export`/`import` read it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from lado_cli.domain.authority import same_authority  # noqa: F401  (R7, R51: one rule; re-exported)
from lado_cli.domain import fields as f
from lado_cli.domain.profile import Profile
from lado_cli.errors import FieldError

# Where a fact is kept: the one `intake_facts` row of the case, the case row, the children
# rows, or the `other_settings` rows.
FACT, CASE, CHILD, SETTING = "fact", "case", "child", "setting"
PANELS = {
    "concern": "The concern (R42, R43)", "adult": "The adult (referral form, R11)", "children": "The children (R11, R44)",
    "foster": "Foster carers (R44)", "places": "Other places (R51)", "associated": "Associated person (P§68, R51)",
    "form": "The allegation (referral form, R11)",
}  # fmt: skip


@dataclass(frozen=True)
class Spec:
    slug: str  # the flag and CSV column
    label: str  # shown in `lado show` and amendment entries
    kind: str  # text | texts (repeatable) | instant | bool | count | slug
    help: str
    panel: str
    where: str = FACT
    list_name: str | None = None  # the profile list of a slug
    foster: bool = False  # R44: only for an adult whose --employment is a foster-carer slug
    column: str = ""  # its column; default the slug with '_'

    @property
    def col(self) -> str:
        return self.column or self.slug.replace("-", "_")


SPECS: tuple[Spec, ...] = (
    Spec("first-raised", "First raised in the organisation (R42)", "instant", "When it was first raised with anyone in the organisation, if before --concern-arose; R12/R13 then run from it (R42).",
         "concern", where=CASE),
    Spec("police-referred", "Referred to police or MASH (R43)", "instant", "When the referrer referred it to the police or MASH (R43).", "concern"),
    Spec("police-referred-to", "Referred to (R43)", "text", "To whom: the force, MASH, the officer.", "concern"),
    Spec("earlier-concerns", "Earlier concerns known to the referrer (R11a)", "text", "The referrer's knowledge of earlier concerns about the adult or child.", "concern"),
    Spec("subject-sex", "Sex", "slug", "The adult's sex (`lado profile show`).", "adult", list_name="subject_sexes"),
    Spec("service-length", "Length of service", "text", "Length of service, e.g. '3 years'.", "adult"),
    Spec("own-children", "Own children at home", "bool", "The adult has children of their own at home.", "adult"),
    Spec("child-address", "Children's addresses", "texts", "That child's address or 'unknown'; one per --child-name.",
         "children", where=CHILD, column="address"),
    Spec("child-social-worker", "Children's social workers", "texts", "That child's social worker or 'unknown'; one per --child-name.",
         "children", where=CHILD, column="social_worker"),
    Spec("supervising-social-worker", "Supervising social worker (R44)", "text", "The foster carer's supervising social worker.",
         "foster", foster=True),
    Spec("placement-social-worker", "Social workers of the children in placement (R44)", "texts", "A placed child's social worker, repeatable.", "foster", foster=True, column="placement_social_workers"),
    Spec("placement-social-workers-told", "Placement social workers told (R44)", "instant", "When those social workers were told.", "foster", foster=True),
    Spec("other-setting", "Other places", "texts", "Other work or volunteering with children, or a commissioning body; repeatable.", "places", where=SETTING, column="name"),
    Spec("other-setting-kind", "Other places' kinds", "texts", "Its kind, one per place, in order (`lado profile show`).",
         "places", where=SETTING, list_name="setting_kinds", column="kind"),
    Spec("other-setting-authority", "Other places' authorities", "texts", "Its local authority, one per place; another is cross-border.",
         "places", where=SETTING, column="authority"),
    Spec("associated-with", "Associated with case", "text", "The worker's own case here (a reference).", "associated"),
    Spec("association", "Association", "slug", "How: partner, son-or-daughter... (`lado profile show`).",
         "associated", list_name="associations"),
    Spec("associated-worker", "Associated worker", "text", "The worker's name.", "associated"),
    Spec("associated-employer", "Associated worker's employer", "text", "The worker's employer.", "associated"),
    Spec("incidents", "Number of incidents", "count", "Number of incidents (1 or more).", "form"),
    Spec("place", "Where it happened", "text", "Where it happened.", "form"),
    Spec("injury", "Injury", "text", "Any injury.", "form"),
    Spec("physical-intervention", "Followed an authorised physical intervention", "bool", "It followed an authorised physical intervention.", "form"),
    Spec("others-told", "Others told", "text", "Who else has been told.", "form"),
    Spec("action-taken", "Action taken so far", "text", "What has been done so far.", "form"),
    Spec("adult-knows", "Adult knows of the allegation", "bool", "The adult knows of the allegation.", "form"),
)  # fmt: skip
BY_SLUG = {s.slug: s for s in SPECS}
FACT_SPECS = tuple(s for s in SPECS if s.where == FACT)
FOSTER_SLUGS = tuple(s.slug for s in SPECS if s.foster)
ASSOCIATED = ("associated-with", "association", "associated-worker", "associated-employer")
_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
_COUNT = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class Setting:
    """R51: another place the adult works or volunteers with children, or a commissioning body."""

    name: str
    kind: str | None
    authority: str | None

    def cross_border(self, profile: Profile) -> bool:
        return self.authority is not None and not same_authority(self.authority, profile.name)


@dataclass(frozen=True)
class Intake:
    facts: Mapping[str, Any]  # column -> value for the FACT specs (None when not given)
    settings: tuple[Setting, ...] = ()

    def any_fact(self) -> bool:
        return any(v not in (None, []) for v in self.facts.values())


NO_INTAKE = Intake({s.col: None for s in FACT_SPECS})


def is_foster_carer(employment: str | None) -> bool:
    """R44: the foster-carer bases of the profile's employment list (foster-carer, foster-carer-...)."""
    return bool(employment) and (employment == "foster-carer" or employment.startswith("foster-carer-"))


def yes_no(raw: Mapping[str, Any], slug: str) -> bool | None:
    value = raw.get(slug)
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise FieldError(slug, value, "is not yes or no", "yes or no (or blank when not known)")


def _value(spec: Spec, raw: Mapping[str, Any], profile: Profile) -> Any:
    tz = profile.calendar().tz
    if spec.kind == "bool":
        return yes_no(raw, spec.slug)
    if spec.kind == "texts":
        return f.values(raw, spec.slug)
    text = f.text(raw, spec.slug)
    if text is None:
        return None
    if spec.kind == "instant":
        return f.instant(raw, spec.slug, tz)
    if spec.kind == "count":
        if not _COUNT.fullmatch(text) or int(text) < 1:
            raise FieldError(spec.slug, text, "is not a number of incidents", "a whole number, 1 or more")
        return int(text)
    if spec.kind == "slug":
        return profile.check_slug(spec.list_name, spec.slug, text)
    return " ".join(text.split()) if spec.slug in ("police-referred-to", "associated-worker", "associated-with") else text


def validate_intake(raw: Mapping[str, Any], profile: Profile, now: datetime, *, concern_arose: datetime, employment: str,
                    children: int, happened: datetime | None = None) -> tuple[datetime | None, Intake, tuple[tuple[str | None, str | None], ...]]:  # fmt: skip
    """(first raised, the facts and settings, each child's (address, social worker)).
    Raises FieldError naming the flag and what it accepts."""
    tz = profile.calendar().tz
    first = f.instant(raw, "first-raised", tz)
    if first is not None:
        f.not_future(first, raw["first-raised"], "first-raised", now)
        if first > concern_arose:  # R42: raised inside the organisation before (or when) it reached the senior manager
            raise FieldError("first-raised", raw["first-raised"], f"is after --concern-arose ({concern_arose.astimezone(tz):%d/%m/%Y %H:%M})",
                             "a time on or before --concern-arose: when the allegation was first raised in the organisation")  # fmt: skip
        local = profile.calendar().local
        if happened is not None and local(first).date() < local(happened).date():  # by day, as --happened against --concern-arose
            raise FieldError("first-raised", raw["first-raised"], f"is before the day the behaviour happened (--happened {local(happened):%d/%m/%Y})",
                             "a time on or after the day of --happened")  # fmt: skip
    facts = {s.col: _value(s, raw, profile) for s in FACT_SPECS}
    if not is_foster_carer(employment):
        for slug in FOSTER_SLUGS:
            if facts[BY_SLUG[slug].col] not in (None, []):
                raise FieldError(slug, _shown(raw.get(slug)), f"applies only to a foster carer, and --employment is {employment}",
                                 "--employment foster-carer, or leave it out (R44)")  # fmt: skip
    raised = first or concern_arose  # R43: the immediate referral comes after the allegation was raised (by anyone), never before
    for slug in ("police-referred", "placement-social-workers-told"):
        at = facts[BY_SLUG[slug].col]
        if at is not None:
            f.not_future(at, raw[slug], slug, now)
            f.not_before(at, raw[slug], slug, raised, "the allegation was first raised" if first else "the concern arose", tz)
    if facts["police_referred_to"] and facts["police_referred"] is None:
        raise FieldError("police-referred-to", raw["police-referred-to"], "is given without --police-referred", "--police-referred DATETIME with it (R43)")
    if any(facts[BY_SLUG[s].col] for s in ASSOCIATED) and facts["association"] is None:
        given = next(s for s in ASSOCIATED if facts[BY_SLUG[s].col])
        raise FieldError("association", "", f"is missing, and --{given} is given", "how they are associated: a slug of the profile's associations")
    if facts["association"] and not (facts["associated_with"] or facts["associated_worker"]):
        raise FieldError("associated-worker", "", "is missing: whom is the adult associated with?", "--associated-worker NAME or --associated-with REF")
    if facts["associated_with"]:
        facts["associated_with"] = facts["associated_with"].upper()
    return first, Intake(facts, _settings(raw, profile)), _child_rows(raw, children)


def _shown(value: Any) -> str:
    return ";".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value or "")


def _paired(raw: Mapping[str, Any], slug: str, n: int, of: str) -> list[str | None]:
    items = raw.get(slug) or []
    if isinstance(items, str):
        items = items.split(";")
    items = [str(v).strip() for v in items]
    if not items:
        return [None] * n
    if len(items) != n:
        raise FieldError(slug, ";".join(items), f"gives {len(items)} values for {n} of --{of}", f"one --{slug} (or 'unknown') per --{of}, in the same order")
    return [None if v.lower() in ("", "unknown") else " ".join(v.split()) for v in items]


def _child_rows(raw: Mapping[str, Any], n: int) -> tuple[tuple[str | None, str | None], ...]:
    return tuple(zip(_paired(raw, "child-address", n, "child-name"), _paired(raw, "child-social-worker", n, "child-name"), strict=True))


def _settings(raw: Mapping[str, Any], profile: Profile) -> tuple[Setting, ...]:
    names = [" ".join(v.split()) for v in f.values(raw, "other-setting")]
    kinds = _paired(raw, "other-setting-kind", len(names), "other-setting")
    places = _paired(raw, "other-setting-authority", len(names), "other-setting")
    return tuple(Setting(n, k and profile.check_slug("setting_kinds", "other-setting-kind", k), a) for n, k, a in zip(names, kinds, places, strict=True))


def intake_cross_border(intake: Intake, profile: Profile) -> bool:
    """R7, R51: another place in another authority makes the case cross-border, like --works-in."""
    return any(s.cross_border(profile) for s in intake.settings)


def given(raw: Mapping[str, Any]) -> list[str]:
    """The intake flags given a value (blank and empty lists are not given)."""
    return [s.slug for s in SPECS if raw.get(s.slug) not in (None, "", [], ())]
