"""The procedure profile: the rules that differ between local authorities, held as data.

PROCEDURE.md asks for contacts, working hours, time limits, option lists, escalation ladders
and the retention schedule to live in a file, so that another authority adopts `lado` by
editing TOML rather than code. This module turns that TOML into a validated, immutable
`Profile`. It is pure logic: it never opens files and never reads the clock (reading the
packaged default and user files is `lado_cli.profiles`' job). The only outside lookup is the
time-zone database, to check the `timezone` setting.

Merge rule (`parse_profile(text, source, base=...)`): a user's file is laid over the default
profile's raw data, so it need only name what it changes.

* Settings tables merge key by key, recursively: the top level, `[working_hours]`,
  `[contacts]` (per contact, and per field inside a contact), `[contact_groups]` (per group)
  and `[time_limits]` (per kind, and per field inside a kind). A contact or time limit the
  user does not mention keeps its default.
* Inside one time limit, `working_days` and `hours` are alternatives: giving `hours` drops
  the default's `working_days`, `also_hours` and `complex_working_days`; giving
  `working_days` drops the default's `hours`.
* List-like tables are replaced whole when the user gives them, so an authority can remove
  entries: every option list (`[criteria]`, `[sources]`, `[outcomes]`, ...), the
  `[retention]` schedule, and each ladder (`[ladders.lado-to-agency]` replaces that ladder,
  the other ladder keeps its default).
* Any other value (strings, numbers, arrays) given by the user replaces the default's.

Every problem is reported as one line:
``profile <source>: <dotted key>: <what is wrong>; expected <what is accepted>``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import time
from typing import Any

from lado_cli.errors import FieldError

# -- the vocabulary a profile may use ------------------------------------------------------

#: Bank-holiday regions (R9); the same names as `lado_cli.domain.calendar.REGIONS`.
REGIONS: tuple[str, ...] = ("england-wales", "scotland", "northern-ireland")

#: Weekday names of `[working_hours] days`, Monday first (Monday = 0, as `date.weekday()`).
WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

#: The time limits the tool computes (R12–R18); a profile must set every one of them.
TIME_LIMIT_KINDS: tuple[str, ...] = (
    "notify-lado",  # R12
    "initial-discussion",  # R13
    "strategy-discussion",  # R14
    "strategy-meeting",  # R15
    "employer-action",  # R16
    "disciplinary-hearing",  # R17
    "case-review",  # R18
    "police-follow-up",  # R47: discuss further action with the employer once the police conclude
)

#: What a time limit's clock may start from (`from` of a `[time_limits.<kind>]` table).
TIME_LIMIT_STARTS: tuple[str, ...] = (
    "concern-arose",  # the concern came to the referrer's notice (R12, R13)
    "social-care-referral",  # the referral to children's social care (R14, R15)
    "initial-discussion",  # the LADO's initial discussion (R16)
    "decision",  # the decision to hold a disciplinary hearing (R17)
    "previous-review",  # the last case review; the first counts from the initial discussion (R18)
    "police-outcome",  # a police outcome that concludes their part: NFA, charge, trial concluded (R47)
)

#: The escalation ladders (R39, R40); a profile must describe both.
LADDER_SLUGS: tuple[str, ...] = ("lado-to-agency", "agency-to-lado")

#: What the retention schedule does when a record's period ends (R37b). Either way the tool
#: only lists the record as due; nothing is deleted without a recorded decision.
RETENTION_ACTIONS: tuple[str, ...] = ("keep", "review")
#: What a retention period counts from: the case's closure or the referral's receipt.
RETENTION_STARTS: tuple[str, ...] = ("closure", "referral")

#: Option lists: attribute / TOML table name -> the list's name in words (for messages).
OPTION_LISTS: dict[str, str] = {
    "criteria": "harm criteria",  # R4
    "suitability_indicators": "suitability indicators",  # R5
    "sources": "referral sources",  # R6
    "categories": "abuse categories",  # R11, R36
    "employment": "employment bases",  # R2, R11
    "sectors": "employment sectors",  # R36
    "subject_statuses": "subject statuses",  # R11, P§34
    "outcomes": "allegation outcomes",  # R28
    "employment_outcomes": "employment outcomes",  # R29
    "routes": "routes",  # R22
    "escalation_reasons": "escalation reasons",  # R38
    "escalation_branches": "escalation branches",  # R39 steps 3-4
    "meeting_types": "meeting types",  # R25
    "police_outcomes": "police outcomes",  # R27
    "employer_actions": "employer actions",  # R22 (c), R16, R17
    "suspension_decisions": "suspension decisions",  # R24
    "considerations": "initial-discussion considerations",  # R23
    "subject_sexes": "sexes",  # R11 (referral forms)
    "setting_kinds": "kinds of other setting",  # R51
    "associations": "associations with a worker",  # P§68, R51
    "consent_from": "agencies consenting to share evidence",  # R46
    "contact_decisions": "decisions on contact with the child",  # R48
    "minutes_decisions": "minutes request decisions",  # R49
    "complaint_subjects": "complaint subjects",  # R50, R37
}

#: "not recorded yet", usable in a duty condition's outcomes / employment lists.
NOT_RECORDED = "none"

_SCALARS = ("name", "ref_prefix", "region", "timezone", "protective_marking", "police_follow_up")
_SETTINGS_TABLES = ("working_hours", "contact_groups", "contacts", "time_limits", "ladders", "retention", "duties", "meeting_limits",
                    "employer_action_limits", "matching", "outcome_definitions")
TOP_LEVEL_KEYS: tuple[str, ...] = _SCALARS + _SETTINGS_TABLES + tuple(OPTION_LISTS)
OPTIONAL_KEYS = ("public_key",)  # the LADO service's age public key: referral files are encrypted to it (`lado send`)


# \Z, not $: "$" also matches before a final newline, which would let a key "harm\n" pass as a slug.
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*\Z")
# Slugs and rule ids are stored in columns of at most this many characters (store/tables.py),
# which PostgreSQL enforces: a longer one is refused here, on every backend alike.
MAX_SLUG, MAX_RULE = 40, 10


# -- the profile ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """One entry of an option list: the stored slug and the label shown to people."""

    slug: str
    label: str


@dataclass(frozen=True)
class Contact:
    """A number or address to show (R8–R10)."""

    slug: str
    label: str
    value: str


@dataclass(frozen=True)
class TimeLimit:
    """One statutory time limit (R12–R18).

    Exactly one of `working_days` and `hours` is set. `also_hours` is a clock-time limit shown
    beside a working-day one (R12 asks for both); `complex_working_days` is the shorter
    interval used for complex cases (R18).
    """

    kind: str
    rule: str
    label: str
    start: str  # what the clock starts from: one of TIME_LIMIT_STARTS ("from" in the file)
    working_days: int | None = None
    hours: int | None = None
    also_hours: int | None = None
    complex_working_days: int | None = None


@dataclass(frozen=True)
class LadderStep:
    """A rung of an escalation ladder (R39, R40); `number` counts from 1."""

    number: int
    who: str
    response_working_days: int | None = None  # a reply expected from who was contacted
    #: R40 step 2: the side that escalates takes this step within N working days of the reply
    #: to the step before (a limit on the escalating side, not a reply).
    escalate_within_working_days: int | None = None
    optional: bool = False  # may be skipped with a reason (R39 step 2, the online meeting)


@dataclass(frozen=True)
class Ladder:
    """An escalation ladder. From `practice_review_from_step` on, the tool asks whether to
    refer for a Child Safeguarding Practice Review (R41); None means it never asks."""

    slug: str
    label: str
    rule: str
    steps: tuple[LadderStep, ...]
    practice_review_from_step: int | None = None
    #: From this step on the branch (profile list `escalation_branches`) is recorded (R39).
    branch_from_step: int | None = None


@dataclass(frozen=True)
class RetentionRule:
    """R37b: records with `outcome` are due for a decision `years` after `start`."""

    outcome: str
    years: int
    action: str  # one of RETENTION_ACTIONS
    start: str  # one of RETENTION_STARTS ("from" in the file)


@dataclass(frozen=True)
class DutyCondition:
    """When a duty applies: every part given must match (None: any). In `outcomes` and
    `employment`, "none" matches a case where that outcome is not recorded yet."""

    outcomes: tuple[str, ...] | None = None
    employment: tuple[str, ...] | None = None
    regulator: bool | None = None  # True: the adult has a regulator recorded (R31)
    suspension: tuple[str, ...] | None = None  # the LATEST suspension decision (R24, R45); "none": none recorded
    removed: bool | None = None  # True: the adult was suspended or on alternative duties at some time (R48)

    def matches(self, outcome: str | None, employment: str | None, has_regulator: bool,
                suspension: str | None = None, removed: bool = False) -> bool:  # fmt: skip
        if self.outcomes is not None and (outcome or NOT_RECORDED) not in self.outcomes:
            return False
        if self.employment is not None and (employment or NOT_RECORDED) not in self.employment:
            return False
        if self.suspension is not None and (suspension or NOT_RECORDED) not in self.suspension:
            return False
        if self.removed is not None and self.removed != removed:
            return False
        return self.regulator is None or self.regulator == has_regulator


@dataclass(frozen=True)
class DutyRule:
    """A duty an outcome triggers (R30-R32). A case cannot be closed while it is outstanding;
    `forceable` says whether `lado close --force` may close it anyway (never for R30)."""

    kind: str
    rule: str
    label: str
    forceable: bool
    when: tuple[DutyCondition, ...]
    needs_employment: tuple[str, ...] = ()  # with these outcomes a case is not closed before the employment outcome
    # R31: for an adult of these employment types there is no employer to carry the duty; it is
    # the LADO's, and `no_employer_label` says so in place of `label`.
    no_employer: tuple[str, ...] = ()
    no_employer_label: str | None = None

    def label_for(self, employment_type: str | None) -> str:
        """The duty as it reads for an adult of this employment type (R31: self-employed: the LADO's)."""
        if self.no_employer_label and employment_type in self.no_employer:
            return self.no_employer_label
        return self.label

    def applies(self, outcome: str | None, employment: str | None, has_regulator: bool,
                suspension: str | None = None, removed: bool = False) -> bool:  # fmt: skip
        """`suspension`: the latest suspension decision (R45); `removed`: the adult was ever
        suspended or on alternative duties (R48)."""
        return any(c.matches(outcome, employment, has_regulator, suspension, removed) for c in self.when)


@dataclass(frozen=True)
class Matching:
    """R11a matching: score thresholds of the bands, and the authority's own nickname groups."""

    strong: float
    possible: float
    nicknames: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Profile:
    """A validated procedure profile. Build it with `parse_profile`, not directly."""

    name: str
    ref_prefix: str
    protective_marking: str  # printed at the top and foot of every page (`--format html`)
    region: str
    timezone: str
    workdays: tuple[int, ...]  # Monday = 0
    day_start: time
    day_end: time
    contacts: tuple[Contact, ...]
    emergency_contacts: tuple[Contact, ...]  # R8
    out_of_hours_contacts: tuple[Contact, ...]  # R9
    time_limits: dict[str, TimeLimit]
    criteria: tuple[Option, ...]
    suitability_indicators: tuple[Option, ...]
    sources: tuple[Option, ...]
    categories: tuple[Option, ...]
    employment: tuple[Option, ...]
    sectors: tuple[Option, ...]
    subject_statuses: tuple[Option, ...]
    outcomes: tuple[Option, ...]
    employment_outcomes: tuple[Option, ...]
    routes: tuple[Option, ...]
    escalation_reasons: tuple[Option, ...]
    escalation_branches: tuple[Option, ...]
    meeting_types: tuple[Option, ...]
    police_outcomes: tuple[Option, ...]
    employer_actions: tuple[Option, ...]
    suspension_decisions: tuple[Option, ...]
    considerations: tuple[Option, ...]
    subject_sexes: tuple[Option, ...]
    setting_kinds: tuple[Option, ...]
    associations: tuple[Option, ...]
    ladders: dict[str, Ladder]
    retention: tuple[RetentionRule, ...]
    duties: dict[str, DutyRule]
    meeting_limits: dict[str, str]  # meeting type -> the time limit kind such a meeting meets (R25)
    employer_action_limits: dict[str, str]  # employer action -> the time limit kind it starts (R16, R17)
    source: str  # where the profile came from: "default" or the user's file path
    matching: Matching = None  # type: ignore[assignment]  # R11a thresholds and nickname groups
    outcome_definitions: dict[str, str] = field(default_factory=dict)  # R28, P§55: outcome slug -> what it means (`lado outcome` shows it)
    consent_from: tuple[Option, ...] = ()  # R46
    contact_decisions: tuple[Option, ...] = ()  # R48
    minutes_decisions: tuple[Option, ...] = ()  # R49
    complaint_subjects: tuple[Option, ...] = ()  # R50
    police_follow_up: tuple[str, ...] = ()  # R47: police outcomes that start police-follow-up
    public_key: str | None = None  # the LADO service's age public key (`lado keys create`), for `lado send --encrypt-to`

    # -- option lists --

    def options(self, list_name: str) -> tuple[Option, ...]:
        """The entries of an option list, in the profile's order (KeyError if no such list)."""
        if list_name not in OPTION_LISTS:
            raise KeyError(f"no option list '{list_name}'; lists are: {', '.join(OPTION_LISTS)}")
        return getattr(self, list_name)

    def slugs(self, list_name: str) -> tuple[str, ...]:
        try:
            return self._slug_index[list_name]
        except KeyError:
            self.options(list_name)  # the clear KeyError
            raise

    @functools.cached_property
    def _slug_index(self) -> dict[str, tuple[str, ...]]:
        """Every list's slugs, built once (imports check thousands of rows against them)."""
        return {name: tuple(o.slug for o in getattr(self, name)) for name in OPTION_LISTS}

    def label(self, list_name: str, slug: str) -> str:
        """The label of `slug`; a slug the profile no longer offers (an old record) is shown as is."""
        for option in self.options(list_name):
            if option.slug == slug:
                return option.label
        return slug

    def check_slug(self, list_name: str, field: str, value: object) -> str:
        """`value` as a slug of the list (case and surrounding spaces ignored), else FieldError."""
        slugs = self.slugs(list_name)
        slug = str(value).strip().lower() if value is not None else ""
        if slug in slugs:
            return slug
        raise FieldError(
            field, value, f"is not one of the profile's {OPTION_LISTS[list_name]}", "one of " + ", ".join(slugs)
        )

    # -- the rest --

    def time_limit(self, kind: str) -> TimeLimit:
        try:
            return self.time_limits[kind]
        except KeyError:
            raise KeyError(f"no time limit '{kind}'; kinds are: {', '.join(self.time_limits)}") from None

    def contact(self, slug: str) -> Contact:
        for contact in self.contacts:
            if contact.slug == slug:
                return contact
        raise KeyError(f"no contact '{slug}'")

    def ladder(self, slug: str) -> Ladder:
        return self.ladders[slug]

    def retention_for(self, outcome: str) -> RetentionRule | None:
        """The retention rule for an allegation outcome, or None if the schedule has none."""
        for rule in self.retention:
            if rule.outcome == outcome:
                return rule
        return None

    def calendar(self):  # -> lado_cli.domain.calendar.WorkingCalendar
        """The working calendar of this profile (R9; working days for R12–R18), built once."""
        return _calendar(self.region, self.timezone, self.workdays, self.day_start, self.day_end)

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-serialisable, in the shape of the TOML file (plus `source` and
        step numbers). Times are "HH:MM"; unset optional numbers are left out."""
        out: dict[str, Any] = {
            "name": self.name,
            "ref_prefix": self.ref_prefix,
            "region": self.region,
            "timezone": self.timezone,
            "protective_marking": self.protective_marking,
            "police_follow_up": list(self.police_follow_up),
            **({"public_key": self.public_key} if self.public_key else {}),  # published for `lado send --encrypt-to`
            "source": self.source,
            "working_hours": {
                "days": [WEEKDAYS[d] for d in self.workdays],
                "start": self.day_start.strftime("%H:%M"),
                "end": self.day_end.strftime("%H:%M"),
            },
            "contact_groups": {
                "emergency": [c.slug for c in self.emergency_contacts],
                "out_of_hours": [c.slug for c in self.out_of_hours_contacts],
            },
            "contacts": {c.slug: {"label": c.label, "value": c.value} for c in self.contacts},
            "time_limits": {},
        }
        for kind, limit in self.time_limits.items():
            entry: dict[str, Any] = {"rule": limit.rule, "label": limit.label, "from": limit.start}
            for key in ("working_days", "hours", "also_hours", "complex_working_days"):
                if getattr(limit, key) is not None:
                    entry[key] = getattr(limit, key)
            out["time_limits"][kind] = entry
        for list_name in OPTION_LISTS:
            out[list_name] = {o.slug: o.label for o in self.options(list_name)}
        out["ladders"] = {}
        for slug, ladder in self.ladders.items():
            steps = []
            for step in ladder.steps:
                item: dict[str, Any] = {"number": step.number, "who": step.who}
                if step.response_working_days is not None:
                    item["response_working_days"] = step.response_working_days
                if step.escalate_within_working_days is not None:
                    item["escalate_within_working_days"] = step.escalate_within_working_days
                if step.optional:
                    item["optional"] = True
                steps.append(item)
            entry = {"rule": ladder.rule, "label": ladder.label}
            if ladder.practice_review_from_step is not None:
                entry["practice_review_from_step"] = ladder.practice_review_from_step
            if ladder.branch_from_step is not None:
                entry["branch_from_step"] = ladder.branch_from_step
            entry["steps"] = steps
            out["ladders"][slug] = entry
        out["retention"] = {r.outcome: {"years": r.years, "action": r.action, "from": r.start} for r in self.retention}
        out["meeting_limits"] = dict(self.meeting_limits)
        out["outcome_definitions"] = dict(self.outcome_definitions)
        out["employer_action_limits"] = dict(self.employer_action_limits)
        if self.matching is not None:
            out["matching"] = {"strong": self.matching.strong, "possible": self.matching.possible, "nicknames": [list(g) for g in self.matching.nicknames]}
        out["duties"] = {}
        for kind, duty in self.duties.items():
            when = []
            for c in duty.when:
                cond: dict[str, Any] = {}
                if c.outcomes is not None:
                    cond["outcomes"] = list(c.outcomes)
                if c.employment is not None:
                    cond["employment"] = list(c.employment)
                if c.regulator is not None:
                    cond["regulator"] = c.regulator
                if c.suspension is not None:
                    cond["suspension"] = list(c.suspension)
                if c.removed is not None:
                    cond["removed"] = c.removed
                when.append(cond)
            out["duties"][kind] = {"rule": duty.rule, "label": duty.label, "forceable": duty.forceable, "when": when}
            if duty.needs_employment:
                out["duties"][kind]["needs_employment"] = list(duty.needs_employment)
            if duty.no_employer:
                out["duties"][kind]["no_employer"] = list(duty.no_employer)
                out["duties"][kind]["no_employer_label"] = duty.no_employer_label
        return out


@functools.lru_cache(maxsize=8)
def _calendar(region: str, timezone: str, workdays: tuple[int, ...], day_start: time, day_end: time):
    from lado_cli.domain.calendar import WorkingCalendar

    return WorkingCalendar(region=region, timezone=timezone, workdays=workdays, day_start=day_start, day_end=day_end)


from lado_cli.domain.profile_load import merge_profile, parse_profile, profile_from_dict  # noqa: E402,F401  (the loader; re-exported)
