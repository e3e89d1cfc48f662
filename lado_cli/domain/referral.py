"""A referral: the fields of `lado refer` (= the columns of an import), their checks, and
what saving one creates. Pure: `now` and the profile are parameters.

Field slugs double as flag names (`--subject-name`) and CSV columns (`subject-name`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lado_cli.domain import deadlines as dl
from lado_cli.domain.dates import parse_instant, parse_optional_date
from lado_cli.domain.fields import name as _name
from lado_cli.domain.fields import text as _text
from lado_cli.domain.fields import values as _list
from lado_cli.domain.intake import NO_INTAKE, Intake, intake_cross_border, validate_intake
from lado_cli.domain.profile import Profile
from lado_cli.domain.text import name_key  # noqa: F401  (R11a key; re-exported for store and transfer)
from lado_cli.errors import FieldError, LadoError

NO_CRITERIA = "none"  # `--criteria none`: no R4 criterion met, an advice-only consultation (R37c)
SELF_EMPLOYED = "self-employed"  # R3: a self-employed subject may have no employer

REQUIRED = (
    "subject-name", "subject-role", "employment", "employer", "sector", "concern-arose",
    "source", "category", "summary", "criteria",
    "referrer-name", "referrer-role", "referrer-org", "referrer-contact",
)  # fmt: skip


@dataclass(frozen=True)
class ChildInfo:
    name: str
    dob: date | None
    address: str | None = None  # R11
    social_worker: str | None = None  # R44, R32: the child's allocated social worker


@dataclass(frozen=True)
class Referral:
    subject_name: str
    subject_dob: date | None
    subject_role: str
    employment: str
    employer: str | None
    sector: str
    concern_arose: datetime
    received: datetime
    source: str
    category: str
    summary: str
    criteria: tuple[str, ...]
    referrer_name: str
    referrer_role: str
    referrer_org: str
    referrer_contact: str
    happened: datetime | None = None
    children: tuple[ChildInfo, ...] = ()
    suitability: tuple[str, ...] = ()
    source_detail: str | None = None
    subject_status: str | None = None
    subject_address: str | None = None
    regulator: str | None = None
    works_in: str | None = None
    cross_border: bool = False
    immediate_danger: bool = False
    out_of_hours: bool = False
    referrer_side: bool = False  # recorded on a referrer's database (issue #11): `received` = concern_arose
    told_lado: datetime | None = None  # referrer mode: when the LADO was told (R12); None: not yet
    first_raised: datetime | None = None  # R42: first raised inside the organisation (domain/intake.py)
    intake: Intake = NO_INTAKE  # the other intake facts (domain/intake.py)

    @property
    def clock_start(self) -> datetime:
        """PROCEDURE §3, R42: the intake clocks run from when the allegation was first raised
        in the organisation when that is known, else from when the concern arose."""
        return self.first_raised or self.concern_arose

    @property
    def advice_only(self) -> bool:
        """No harm criterion met: not a LADO case, recorded as a consultation (R4, R37c)."""
        return not self.criteria


def missing_fields(raw: Mapping[str, Any]) -> list[str]:
    """Required fields with no value, in question order."""
    missing = []
    for field in REQUIRED:
        if field == "employer" and _text(raw, "employment") == SELF_EMPLOYED:
            continue
        if field == "criteria":
            if not _list(raw, field):
                missing.append(field)
        elif _text(raw, field) is None:
            missing.append(field)
    if _text(raw, "source") == "other" and _text(raw, "source-detail") is None:
        missing.append("source-detail")  # R6: another source must be named
    return missing


def is_cross_border(works_in: str | None, profile: Profile) -> bool:
    """R7: the subject works in another authority, whose LADO leads. The profile's own
    authority however it is written ("staffordshire", "Staffordshire Council") is not another
    (domain/authority.py)."""
    from lado_cli.domain.authority import same_authority

    return works_in is not None and bool(works_in.strip()) and not same_authority(works_in, profile.name)


def validate_referral(raw: Mapping[str, Any], profile: Profile, now: datetime, *, missing_checked: bool = False,
                      referrer: bool = False) -> Referral:  # fmt: skip
    """Check every field and the relations between them; raise on the first problem.
    `missing_checked`: the caller has already reported missing fields its own way.
    `referrer`: a referrer's database (issue #11). Nobody there received the referral as a
    LADO: `received` holds when the concern reached the referrer (= --concern-arose), and
    --told-lado (optional) says when the LADO was told (R12), --received being refused."""
    missing = [] if missing_checked else missing_fields(raw)
    if missing:
        flags = " ".join(f"--{f}" for f in missing)
        raise LadoError(f"missing required fields: {flags} (give them as flags, or run on a terminal without --no-input to be asked)", usage=True)
    tz = profile.calendar().tz

    def instant(field: str) -> datetime | None:
        text = _text(raw, field)
        return None if text is None else parse_instant(text, field, tz)

    concern_arose = instant("concern-arose")
    told = _told_lado(raw, referrer, concern_arose, now, tz)
    received = concern_arose if referrer else instant("received") or now
    happened = instant("happened")
    when = "a time that is not in the future"
    if concern_arose > now:
        raise FieldError("concern-arose", raw["concern-arose"], "is in the future", when)
    if received > now:
        raise FieldError("received", raw["received"], "is in the future", when)
    if received < concern_arose:
        raise FieldError("received", raw["received"], "is before the concern arose", "a time on or after --concern-arose")
    cal = profile.calendar()
    if happened is not None and happened > concern_arose:  # the behaviour comes before anyone notices it (a later hour the same day too)
        raise FieldError("happened", raw["happened"], "is after the concern arose", "a time on or before --concern-arose")

    criteria = [profile.check_slug("criteria", "criteria", c) for c in _list(raw, "criteria") if c != NO_CRITERIA]
    if NO_CRITERIA in _list(raw, "criteria") and criteria:
        raise FieldError("criteria", ";".join(_list(raw, "criteria")), "mixes 'none' with criteria", "either 'none' or criteria")
    suitability = [profile.check_slug("suitability_indicators", "suitability", s) for s in _list(raw, "suitability")]

    subject_dob = parse_optional_date(_text(raw, "subject-dob"), "subject-dob")
    if subject_dob is not None and subject_dob > cal.local(now).date():
        raise FieldError("subject-dob", raw["subject-dob"], "is in the future", "the adult's date of birth")

    children = _children(raw, cal.local(happened or concern_arose).date())
    employment = profile.check_slug("employment", "employment", _text(raw, "employment"))
    status = _text(raw, "subject-status")
    works_in = _text(raw, "works-in")
    first_raised, intake, child_rows = validate_intake(raw, profile, now, concern_arose=concern_arose, employment=employment,
                                                       children=len(children), happened=happened)  # fmt: skip
    children = tuple(ChildInfo(c.name, c.dob, a, w) for c, (a, w) in zip(children, child_rows, strict=True))
    return Referral(
        subject_name=_name(raw, "subject-name"),
        subject_dob=subject_dob,
        subject_role=_text(raw, "subject-role"),
        employment=employment,
        employer=_name(raw, "employer"),
        sector=profile.check_slug("sectors", "sector", _text(raw, "sector")),
        concern_arose=concern_arose,
        received=received,
        happened=happened,
        source=profile.check_slug("sources", "source", _text(raw, "source")),
        source_detail=_text(raw, "source-detail"),
        category=profile.check_slug("categories", "category", _text(raw, "category")),
        summary=_text(raw, "summary"),
        criteria=tuple(dict.fromkeys(criteria)),
        suitability=tuple(dict.fromkeys(suitability)),
        children=children,
        subject_status=status and profile.check_slug("subject_statuses", "subject-status", status),
        subject_address=_text(raw, "subject-address"),
        regulator=_text(raw, "regulator"),
        works_in=works_in,
        cross_border=is_cross_border(works_in, profile) or intake_cross_border(intake, profile),  # R7, R51
        immediate_danger=bool(raw.get("immediate-danger")),
        out_of_hours=not cal.is_working_time(concern_arose),
        referrer_name=_name(raw, "referrer-name"),
        referrer_role=_text(raw, "referrer-role"),
        referrer_org=_text(raw, "referrer-org"),
        referrer_contact=_text(raw, "referrer-contact"),
        first_raised=first_raised,
        intake=intake,
        referrer_side=referrer,
        told_lado=told,
    )


def _told_lado(raw: Mapping[str, Any], referrer: bool, concern_arose: datetime, now: datetime, tz) -> datetime | None:
    """--told-lado on a referrer's database: not in the future, not before the concern arose (R12)."""
    if not referrer:
        if _text(raw, "told-lado") is not None:
            raise FieldError("told-lado", raw["told-lado"], "is for a referrer's database (lado init --role referrer)",
                             "--received DATETIME, when the LADO received the referral")  # fmt: skip
        return None
    if _text(raw, "received") is not None:
        raise FieldError("received", raw["received"], "is for a LADO's database; on a referrer's the concern reached you when it arose",
                         "--told-lado DATETIME, when you told the LADO (or nothing, if not yet)")  # fmt: skip
    text = _text(raw, "told-lado")
    if text is None:
        return None
    told = parse_instant(text, "told-lado", tz)
    if told > now:
        raise FieldError("told-lado", text, "is in the future", "a time that is not in the future (leave it out if the LADO is not told yet)")
    if told < concern_arose:
        raise FieldError("told-lado", text, "is before the concern arose", "a time on or after --concern-arose")
    return told


def check_child_dob(text: str | None, at: date) -> date | None:
    """R1: a child is under 18 at the time of the behaviour (`at`)."""
    dob = parse_optional_date(text, "child-dob")
    if dob is None:
        return None
    if dob > at:
        raise FieldError("child-dob", text, f"is after the behaviour ({at:%d/%m/%Y})", "the child's date of birth")
    eighteenth = _add_years(dob, 18)
    if eighteenth <= at:
        raise FieldError(
            "child-dob", text, f"makes the person 18 or over on {at:%d/%m/%Y} (R1)",
            "a child under 18 at the time of the behaviour (--happened, else --concern-arose)",
        )  # fmt: skip
    return dob


def _add_years(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _children(raw: Mapping[str, Any], at: date) -> tuple[ChildInfo, ...]:
    names = _list(raw, "child-name")
    dobs = raw.get("child-dob") or []
    if isinstance(dobs, str):
        dobs = dobs.split(";")
    dobs = [str(d).strip() for d in dobs]
    if len(dobs) != len(names):
        raise FieldError(
            "child-dob", ";".join(dobs), f"gives {len(dobs)} dates of birth for {len(names)} children",
            "one --child-dob (a date or 'unknown') per --child-name, in the same order",
        )  # fmt: skip
    return tuple(ChildInfo(" ".join(name.split()), check_child_dob(dob, at)) for name, dob in zip(names, dobs, strict=True))


def referral_deadlines(r: Referral, profile: Profile) -> list[dl.NewDeadline]:
    """The clocks a referral starts (R12, R13), from when the allegation was first raised
    when that is known (R42, PROCEDURE §3). An advice-only consultation starts none."""
    if r.advice_only:
        return []
    return [
        # R12: the referrer informs the LADO; on a LADO's database receiving the referral is that
        # event; on a referrer's it is --told-lado, and the limit stays open until then (issue #11).
        dl.new_deadline("notify-lado", r.clock_start, profile, met_at=r.told_lado if r.referrer_side else r.received),
        # R13: the initial discussion, 24 hours from the concern arising.
        dl.new_deadline("initial-discussion", r.clock_start, profile),
    ]


def referral_text(r: Referral, profile: Profile) -> str:
    """The chronology entry for the referral (R34)."""
    kind = "Advice-only consultation (no harm criterion met, R37c)" if r.advice_only else "Referral"
    criteria = ", ".join(r.criteria) or "none"
    parts = [
        f"{kind} from {r.referrer_name} ({r.referrer_role}, {r.referrer_org}).",
        f"Category: {profile.label('categories', r.category)}; criteria: {criteria}.",
        r.summary,
    ]
    if r.first_raised is not None:
        parts.append(f"First raised in the organisation {r.first_raised.astimezone(profile.calendar().tz):%d/%m/%Y %H:%M} (R42).")
    if is_cross_border(r.works_in, profile):
        parts.append(f"Cross-border (R7): the subject works in {r.works_in}.")
    elsewhere = [f"{s.name} ({s.authority})" for s in r.intake.settings if s.cross_border(profile)]
    if elsewhere:
        parts.append(f"Cross-border (R7, R51): also works with children in {'; '.join(elsewhere)}.")
    association = r.intake.facts.get("association")
    if association:
        worker = r.intake.facts.get("associated_worker") or "a worker"
        case = r.intake.facts.get("associated_with")
        parts.append(f"Associated person (P§68, R51): {profile.label('associations', association)} of {worker}" + (f", case {case}." if case else "."))
    if r.immediate_danger:
        parts.append("Immediate danger reported (R8): police/MASH contacts shown.")
    return " ".join(parts)
