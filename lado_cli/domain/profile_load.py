"""Reading a procedure profile: merging a user's TOML over the default, and checking every
value into the immutable `Profile` of `lado_cli.domain.profile` (the merge rule and the
one-line message format are described there). Pure: no files, no clock."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from datetime import time
from typing import Any, NoReturn

from lado_cli.domain.profile import (
    LADDER_SLUGS,
    MAX_RULE,
    MAX_SLUG,
    NOT_RECORDED,
    OPTION_LISTS,
    OPTIONAL_KEYS,
    REGIONS,
    RETENTION_ACTIONS,
    RETENTION_STARTS,
    SLUG_RE,
    TIME_LIMIT_KINDS,
    TIME_LIMIT_STARTS,
    TOP_LEVEL_KEYS,
    WEEKDAYS,
    Contact,
    DutyCondition,
    DutyRule,
    Ladder,
    LadderStep,
    Matching,
    Option,
    Profile,
    RetentionRule,
    TimeLimit,
)
from lado_cli.errors import LadoError

_AGE_RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")  # bech32, as `lado keys create` prints it


_WORKING_HOURS_KEYS = ("days", "start", "end")


_CONTACT_KEYS = ("label", "value")


_CONTACT_GROUPS = ("emergency", "out_of_hours")


_TIME_LIMIT_KEYS = ("rule", "label", "from", "working_days", "hours", "also_hours", "complex_working_days")


_LADDER_KEYS = ("rule", "label", "steps", "practice_review_from_step", "branch_from_step")


_STEP_KEYS = ("who", "response_working_days", "escalate_within_working_days", "optional")


_RETENTION_KEYS = ("years", "action", "from")


_DUTY_KEYS = ("rule", "label", "forceable", "when")


_DUTY_OPTIONAL_KEYS = ("needs_employment", "no_employer", "no_employer_label")  # R29-R31


_CONDITION_KEYS = ("outcomes", "employment", "regulator", "suspension", "removed")


_RULE_RE = re.compile(r"^R[0-9]+[a-z]?\Z")


_PREFIX_RE = re.compile(r"^[A-Z][A-Z0-9]{0,11}\Z")


_HHMM_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])\Z")


_BARE_KEY_RE = re.compile(r"^[A-Za-z0-9_-]+\Z")


def _check_matching(ck: _Checker, raw: dict) -> Matching:
    """[matching]: 0 < possible <= strong <= 1.2 (the highest score is 1.1); nicknames an array of arrays of names."""
    t = ck.table(ck.sub_table(raw, ("matching",), "a [matching] table with strong, possible and nicknames"), ("matching",),
                 ("strong", "possible", "nicknames"), ("strong", "possible"))  # fmt: skip
    vals = {}
    for k in ("strong", "possible"):
        v = t[k]
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v <= 1.2:
            ck.fail(("matching", k), f"is {_show(v)}", "a number above 0 and at most 1.2, e.g. 0.8")
        vals[k] = float(v)
    if vals["possible"] > vals["strong"]:
        ck.fail(("matching", "possible"), f"{_show(t['possible'])} is above strong {_show(t['strong'])}", "a threshold at most the strong one")
    groups = []
    for i, g in enumerate(t.get("nicknames", [])):
        if not isinstance(g, list) or len(g) < 2 or not all(isinstance(n, str) and n.strip() for n in g):
            ck.fail(("matching", "nicknames", _Index(f"[{i}]")), f"is {_show(g)}", 'an array of two or more names, the full name first, e.g. ["Jonathan", "Jon"]')
        groups.append(tuple(g))
    return Matching(vals["strong"], vals["possible"], tuple(groups))


# -- merging -------------------------------------------------------------------------------

_REPLACED_WHOLE = frozenset(OPTION_LISTS) | {"retention"}


def _merge_tables(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Recursive key-by-key merge: tables merge, anything else from `over` wins."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge_tables(out[key], value)
        else:
            out[key] = value
    return out


def merge_profile(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Lay a user's raw profile over the default's (the merge rule in the module docstring)."""
    out = dict(base)
    for key, value in over.items():
        old = out.get(key)
        if not (isinstance(value, dict) and isinstance(old, dict)) or key in _REPLACED_WHOLE:
            out[key] = value
        elif key in ("ladders", "duties"):
            out[key] = {**old, **value}  # each ladder / duty replaced whole
        elif key == "time_limits":
            merged = dict(old)
            for kind, limit in value.items():
                old_limit = merged.get(kind)
                if isinstance(limit, dict) and isinstance(old_limit, dict):
                    old_limit = dict(old_limit)
                    if "hours" in limit:  # switching to clock hours: the working-day settings go
                        for gone in ("working_days", "also_hours", "complex_working_days"):
                            old_limit.pop(gone, None)
                    if "working_days" in limit:
                        old_limit.pop("hours", None)
                    merged[kind] = _merge_tables(old_limit, limit)
                else:
                    merged[kind] = limit
            out[key] = merged
        else:
            out[key] = _merge_tables(old, value)
    return out


# -- validation ----------------------------------------------------------------------------


class _Index(str):
    """An array index in a key path, already formatted ("[2]"): not a key the user wrote,
    which may itself start with "[" (`"[" = 1` is a valid TOML key)."""


def _dotted(path: tuple[str, ...]) -> str:
    parts = []
    for part in path:
        if isinstance(part, _Index) and parts:
            parts[-1] += part
        elif _BARE_KEY_RE.match(part):
            parts.append(part)
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
            parts.append(f'"{escaped}"')
    return ".".join(parts)


def _show(value: Any) -> str:
    """A value quoted for a one-line message (newlines escaped, long text cut)."""
    text = value if isinstance(value, str) else repr(value)
    text = text.replace("\r", "\\r").replace("\n", "\\n")
    if len(text) > 40:
        text = text[:37] + "..."
    return f"'{text}'"


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return "a date/time"


class _Checker:
    """Reads a raw TOML dict, raising one-line LadoErrors that name the dotted key."""

    def __init__(self, source: str, hint: dict[str, str] | None = None) -> None:
        self.source = source
        self.hint = hint or {}

    def fail(self, path: tuple[str, ...], problem: str, expected: str) -> NoReturn:
        raise LadoError(f"profile {self.source}: {_dotted(path)}: {problem}; expected {expected}")

    def table(
        self, raw: dict, path: tuple[str, ...], allowed: tuple[str, ...] | None, required: tuple[str, ...], missing: str | None = None
    ) -> dict:
        """Check a table's keys; `missing` is what a missing required key should hold."""
        # Unknown keys first: a misspelt key is the likelier cause of a missing one.
        if allowed is not None:
            for key in raw:
                if key not in allowed:
                    self.fail(path + (key,), "unknown key", "one of " + ", ".join(allowed))
        for key in required:
            if key not in raw:
                what = missing or self.hint.get(".".join(path + (key,)), f"a {key} setting, as in the default profile")
                self.fail(path + (key,), "missing", what)
        return raw

    def sub_table(self, raw: dict, path: tuple[str, ...], what: str) -> dict:
        value = raw[path[-1]]
        if not isinstance(value, dict):
            self.fail(path, f"is {_kind_of(value)}", what)
        return value

    def text(self, value: Any, path: tuple[str, ...], what: str = "non-empty text on one line") -> str:
        if not isinstance(value, str):
            self.fail(path, f"is {_kind_of(value)}", what)
        if not value.strip() or "\n" in value or "\r" in value:
            self.fail(path, f"{_show(value)} is empty or spans lines", what)
        return value.strip()

    def choice(self, value: Any, path: tuple[str, ...], accepted: tuple[str, ...], problem: str) -> str:
        if not isinstance(value, str):
            self.fail(path, f"is {_kind_of(value)}", "one of " + ", ".join(accepted))
        if value not in accepted:
            self.fail(path, f"{_show(value)} {problem}", "one of " + ", ".join(accepted))
        return value

    def positive(self, value: Any, path: tuple[str, ...], unit: str) -> int:
        expected = f"a whole number of {unit} greater than 0"
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"is {_kind_of(value)}", expected)
        if value <= 0:
            self.fail(path, f"{value} is not greater than 0", expected)
        return value

    def slug(self, key: str, path: tuple[str, ...]) -> str:
        if not SLUG_RE.match(key):
            self.fail(path, "is not a valid slug", "lowercase letters and digits in words joined by '-', e.g. 'social-care'")
        if len(key) > MAX_SLUG:  # the narrowest column a slug is stored in (PostgreSQL enforces it)
            self.fail(path, f"is {len(key)} characters long", f"a slug of at most {MAX_SLUG} characters")
        return key

    def rule(self, value: Any, path: tuple[str, ...]) -> str:
        value = self.text(value, path, "a rule id such as 'R12'")
        if not _RULE_RE.match(value) or len(value) > MAX_RULE:  # (stored in a column of MAX_RULE characters)
            self.fail(path, f"{_show(value)} is not a rule id", "a rule id of PROCEDURE.md such as 'R12' or 'R37b'")
        return value

    def hhmm(self, value: Any, path: tuple[str, ...]) -> time:
        expected = "a 24-hour time \"HH:MM\" such as \"09:00\""
        if not isinstance(value, str):
            self.fail(path, f"is {_kind_of(value)}", expected)
        match = _HHMM_RE.match(value)
        if not match:
            self.fail(path, f"{_show(value)} is not a time", expected)
        return time(int(match.group(1)), int(match.group(2)))


_HINTS = {
    "name": "the authority's name, e.g. name = \"Northshire Council\"",
    "ref_prefix": "the case reference prefix, e.g. ref_prefix = \"LADO\"",
    "region": "one of " + ", ".join(REGIONS),
    "timezone": "an IANA time zone, e.g. timezone = \"Europe/London\"",
    "protective_marking": "the marking printed on every page, e.g. protective_marking = \"OFFICIAL-SENSITIVE\"",
    "working_hours": "a [working_hours] table with days, start and end",
    "working_hours.days": "an array of weekday names, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]",
    "working_hours.start": "a 24-hour time \"HH:MM\"",
    "working_hours.end": "a 24-hour time \"HH:MM\"",
    "contacts": "a [contacts] table of slug = { label = \"...\", value = \"...\" }",
    "contact_groups": "a [contact_groups] table with emergency and out_of_hours arrays",
    "contact_groups.emergency": "an array of contact slugs",
    "contact_groups.out_of_hours": "an array of contact slugs",
    "time_limits": "a [time_limits] table with one table per kind",
    "ladders": "a [ladders] table with " + " and ".join(LADDER_SLUGS),
    "meeting_limits": "a [meeting_limits] table of meeting-type = \"time-limit-kind\"",
    "employer_action_limits": "an [employer_action_limits] table of employer-action = \"time-limit-kind\"",
    "retention": "a [retention] table (it may be empty)",
    "duties": "a [duties] table with one table per duty (it may be empty)",
    "outcome_definitions": "an [outcome_definitions] table of outcome = \"what it means\"",
    "police_follow_up": "an array of police outcome slugs, e.g. [\"charged\", \"no-further-action\"]",
}


def _check_options(ck: _Checker, raw: dict, list_name: str) -> tuple[Option, ...]:
    path = (list_name,)
    table = ck.sub_table(raw, path, f"a [{list_name}] table of slug = \"Label\" entries")
    if not table:
        ck.fail(path, "is empty", "at least one slug = \"Label\" entry")
    options = []
    for slug, label in table.items():
        ck.slug(slug, path + (slug,))
        options.append(Option(slug, ck.text(label, path + (slug,), "a label: non-empty text on one line")))
    return tuple(options)


def _check_contacts(ck: _Checker, raw: dict) -> tuple[tuple[Contact, ...], tuple[Contact, ...], tuple[Contact, ...]]:
    table = ck.sub_table(raw, ("contacts",), _HINTS["contacts"])
    if not table:
        ck.fail(("contacts",), "is empty", "at least one slug = { label = \"...\", value = \"...\" } entry")
    contacts = []
    for slug, entry in table.items():
        path = ("contacts", slug)
        ck.slug(slug, path)
        if not isinstance(entry, dict):
            ck.fail(path, f"is {_kind_of(entry)}", "a table { label = \"...\", value = \"...\" }")
        ck.table(entry, path, _CONTACT_KEYS, _CONTACT_KEYS, "both a label and a value")
        contacts.append(Contact(slug, ck.text(entry["label"], path + ("label",)), ck.text(entry["value"], path + ("value",))))
    by_slug = {c.slug: c for c in contacts}

    groups_raw = ck.table(ck.sub_table(raw, ("contact_groups",), _HINTS["contact_groups"]), ("contact_groups",), _CONTACT_GROUPS, _CONTACT_GROUPS)
    groups = []
    for group in _CONTACT_GROUPS:
        path = ("contact_groups", group)
        slugs = groups_raw[group]
        expected = "a non-empty array of contact slugs: " + ", ".join(by_slug)
        if not isinstance(slugs, list) or not slugs:
            ck.fail(path, "is empty" if slugs == [] else f"is {_kind_of(slugs)}", expected)
        seen: list[Contact] = []
        for slug in slugs:
            if not isinstance(slug, str) or slug not in by_slug:
                ck.fail(path, f"{_show(slug)} is not a contact of [contacts]", "one of " + ", ".join(by_slug))
            if by_slug[slug] in seen:
                ck.fail(path, f"{_show(slug)} is listed twice", "each contact once")
            seen.append(by_slug[slug])
        groups.append(tuple(seen))
    return tuple(contacts), groups[0], groups[1]


def _check_time_limits(ck: _Checker, raw: dict) -> dict[str, TimeLimit]:
    table = ck.sub_table(raw, ("time_limits",), _HINTS["time_limits"])
    ck.table(table, ("time_limits",), TIME_LIMIT_KINDS, ())
    for kind in TIME_LIMIT_KINDS:
        if kind not in table:
            ck.fail(("time_limits", kind), "missing", "a table for every kind: " + ", ".join(TIME_LIMIT_KINDS))
    limits = {}
    for kind in TIME_LIMIT_KINDS:
        path = ("time_limits", kind)
        entry = table[kind]
        if not isinstance(entry, dict):
            ck.fail(path, f"is {_kind_of(entry)}", "a table with rule, label, from and working_days or hours")
        ck.table(entry, path, _TIME_LIMIT_KEYS, ())
        for key in ("rule", "label", "from"):
            if key not in entry:
                ck.fail(path + (key,), "missing", {"rule": "a rule id such as 'R12'", "label": "a label", "from": "one of " + ", ".join(TIME_LIMIT_STARTS)}[key])
        has_days, has_hours = "working_days" in entry, "hours" in entry
        if has_days == has_hours:
            ck.fail(path, "sets both working_days and hours" if has_days else "sets neither working_days nor hours", "exactly one of working_days or hours")
        if not has_days:
            for key in ("also_hours", "complex_working_days"):
                if key in entry:
                    ck.fail(path + (key,), "only applies to a limit counted in working days", "working_days alongside it, or no " + key)
        limits[kind] = TimeLimit(
            kind=kind,
            rule=ck.rule(entry["rule"], path + ("rule",)),
            label=ck.text(entry["label"], path + ("label",)),
            start=ck.choice(entry["from"], path + ("from",), TIME_LIMIT_STARTS, "is not a known starting point"),
            working_days=ck.positive(entry["working_days"], path + ("working_days",), "working days") if has_days else None,
            hours=ck.positive(entry["hours"], path + ("hours",), "hours") if has_hours else None,
            also_hours=ck.positive(entry["also_hours"], path + ("also_hours",), "hours") if "also_hours" in entry else None,
            complex_working_days=(
                ck.positive(entry["complex_working_days"], path + ("complex_working_days",), "working days")
                if "complex_working_days" in entry
                else None
            ),
        )
    return limits


def _check_ladders(ck: _Checker, raw: dict) -> dict[str, Ladder]:
    table = ck.sub_table(raw, ("ladders",), _HINTS["ladders"])
    ck.table(table, ("ladders",), LADDER_SLUGS, ())
    for slug in LADDER_SLUGS:
        if slug not in table:
            ck.fail(("ladders", slug), "missing", "a ladder for each of " + ", ".join(LADDER_SLUGS))
    ladders = {}
    for slug in LADDER_SLUGS:
        path = ("ladders", slug)
        entry = table[slug]
        if not isinstance(entry, dict):
            ck.fail(path, f"is {_kind_of(entry)}", "a table with rule, label and [[steps]]")
        ck.table(entry, path, _LADDER_KEYS, ("rule", "label", "steps"), "a whole ladder: rule, label and [[steps]] (a ladder you give replaces the default's)")
        steps_raw = entry["steps"]
        step_expected = "one or more [[ladders." + slug + ".steps]] tables with who (and optionally response_working_days)"
        if not isinstance(steps_raw, list):
            ck.fail(path + ("steps",), f"is {_kind_of(steps_raw)}", step_expected)
        if not steps_raw:
            ck.fail(path + ("steps",), "is empty", step_expected)
        steps = []
        for number, step in enumerate(steps_raw, start=1):
            spath = path + ("steps", _Index(f"[{number}]"))  # numbered from 1, like the ladder's steps
            if not isinstance(step, dict):
                ck.fail(spath, f"is {_kind_of(step)}", "a table with who (and optionally response_working_days)")
            ck.table(step, spath, _STEP_KEYS, ("who",), "who is involved at this step")
            days = step.get("response_working_days")
            within = step.get("escalate_within_working_days")
            optional = step.get("optional", False)
            if not isinstance(optional, bool):
                ck.fail(spath + ("optional",), f"is {_kind_of(optional)}", "true or false")
            if optional and number == 1:
                ck.fail(spath + ("optional",), "is true on the first step", "false: an escalation starts at step 1")
            if within is not None and number == 1:
                ck.fail(spath + ("escalate_within_working_days",), "is given on the first step", "a limit from the reply to the step before (step 2 on)")
            steps.append(
                LadderStep(
                    number=number,
                    who=ck.text(step["who"], spath + ("who",)),
                    response_working_days=None if days is None else ck.positive(days, spath + ("response_working_days",), "working days"),
                    escalate_within_working_days=None if within is None else ck.positive(within, spath + ("escalate_within_working_days",), "working days"),
                    optional=optional,
                )
            )
        from_steps = {}
        for key in ("practice_review_from_step", "branch_from_step"):
            value = from_steps[key] = entry.get(key)
            if value is not None:
                expected = f"a step number from 1 to {len(steps)}"
                rpath = path + (key,)
                if isinstance(value, bool) or not isinstance(value, int):
                    ck.fail(rpath, f"is {_kind_of(value)}", expected)
                if not 1 <= value <= len(steps):
                    ck.fail(rpath, f"{value} is not a step of this ladder", expected)
        ladders[slug] = Ladder(
            slug=slug,
            label=ck.text(entry["label"], path + ("label",)),
            rule=ck.rule(entry["rule"], path + ("rule",)),
            steps=tuple(steps),
            practice_review_from_step=from_steps["practice_review_from_step"],
            branch_from_step=from_steps["branch_from_step"],
        )
    return ladders


def _check_retention(ck: _Checker, raw: dict, outcomes: tuple[Option, ...], own_schedule: bool) -> tuple[RetentionRule, ...]:
    table = ck.sub_table(raw, ("retention",), _HINTS["retention"])
    # "advice-only": the rule for advice-only consultations (R37c), which have no outcome.
    outcome_slugs = tuple(o.slug for o in outcomes) + ("advice-only",)
    rules = []
    for outcome, entry in table.items():
        path = ("retention", outcome)
        if outcome not in outcome_slugs:
            expected = "an outcome of [outcomes]: " + ", ".join(outcome_slugs)
            if not own_schedule:
                expected += " (the default schedule applies until you give your own [retention] table)"
            ck.fail(path, "is not one of the profile's outcomes", expected)
        if not isinstance(entry, dict):
            ck.fail(path, f"is {_kind_of(entry)}", "a table { years = N, action = \"keep\" or \"review\", from = \"closure\" }")
        ck.table(entry, path, _RETENTION_KEYS, _RETENTION_KEYS, "years, action and from, e.g. { years = 10, action = \"review\", from = \"closure\" }")
        rules.append(
            RetentionRule(
                outcome=outcome,
                years=ck.positive(entry["years"], path + ("years",), "years"),
                action=ck.choice(entry["action"], path + ("action",), RETENTION_ACTIONS, "is not a retention action"),
                start=ck.choice(entry["from"], path + ("from",), RETENTION_STARTS, "is not a starting point"),
            )
        )
    return tuple(rules)


def _check_duties(ck: _Checker, raw: dict, outcomes: tuple[Option, ...], employment: tuple[Option, ...], strict: bool,
                  bases: tuple[Option, ...] = (), suspensions: tuple[Option, ...] = ()) -> dict[str, DutyRule]:  # fmt: skip
    """`strict` False (the duties are the default's, the lists the user's): values the user's
    lists no longer offer are dropped, since a condition on them could never match."""
    table = ck.sub_table(raw, ("duties",), _HINTS["duties"])
    lists = {
        "outcomes": tuple(o.slug for o in outcomes) + (NOT_RECORDED,),
        "employment": tuple(o.slug for o in employment) + (NOT_RECORDED,),
        "suspension": tuple(o.slug for o in suspensions) + (NOT_RECORDED,),  # R45, R48
    }
    duties = {}
    for kind, entry in table.items():
        path = ("duties", ck.slug(kind, ("duties", kind)))
        expected = "a table with rule, label, forceable and when = [ { outcomes = [...], employment = [...], regulator = true } ]"
        if not isinstance(entry, dict):
            ck.fail(path, f"is {_kind_of(entry)}", expected)
        ck.table(entry, path, _DUTY_KEYS + _DUTY_OPTIONAL_KEYS, _DUTY_KEYS, expected)
        needs = entry.get("needs_employment", [])
        if not isinstance(needs, list):
            ck.fail(path + ("needs_employment",), f"is {_kind_of(needs)}", "an array of outcome slugs")
        if not strict:
            needs = [v for v in needs if v in lists["outcomes"]]
        for value in needs:
            ck.choice(value, path + ("needs_employment",), lists["outcomes"][:-1], "is not one of the profile's outcomes")
        forceable = entry["forceable"]
        if not isinstance(forceable, bool):
            ck.fail(path + ("forceable",), f"is {_kind_of(forceable)}", "true or false")
        when = entry["when"]
        if not isinstance(when, list) or not when:
            ck.fail(path + ("when",), "is empty" if when == [] else f"is {_kind_of(when)}", "an array of one or more condition tables")
        conditions = []
        for i, cond in enumerate(when, 1):
            cpath = path + (f"when[{i}]",)
            if not isinstance(cond, dict) or not cond:
                ck.fail(cpath, f"is {_kind_of(cond)}", "a table with outcomes, employment and/or regulator")
            ck.table(cond, cpath, _CONDITION_KEYS, ())
            parts: dict[str, Any] = {}
            for key, accepted in lists.items():
                if key in cond:
                    values = cond[key]
                    if not isinstance(values, list) or not values:
                        ck.fail(cpath + (key,), f"is {_kind_of(values)}", "a non-empty array of slugs")
                    if not strict:
                        values = [v for v in values if v in accepted]
                    for value in values:
                        ck.choice(value, cpath + (key,), accepted, f"is not one of the profile's {key}")
                    parts[key] = tuple(values)
            if any(v == () for v in parts.values()):
                continue  # (lenient only) nothing left that could match
            if "regulator" in cond:
                if not isinstance(cond["regulator"], bool):
                    ck.fail(cpath + ("regulator",), f"is {_kind_of(cond['regulator'])}", "true or false")
                parts["regulator"] = cond["regulator"]
            if "removed" in cond:  # R48
                if not isinstance(cond["removed"], bool):
                    ck.fail(cpath + ("removed",), f"is {_kind_of(cond['removed'])}", "true or false")
                parts["removed"] = cond["removed"]
            conditions.append(DutyCondition(**parts))
        no_employer = entry.get("no_employer", [])  # R31: employment bases with no employer to carry the duty
        if not isinstance(no_employer, list):
            ck.fail(path + ("no_employer",), f"is {_kind_of(no_employer)}", "an array of employment slugs")
        base_slugs = tuple(o.slug for o in bases)
        if not strict:
            no_employer = [v for v in no_employer if v in base_slugs]
        for value in no_employer:
            ck.choice(value, path + ("no_employer",), base_slugs, "is not one of the profile's employment bases")
        no_employer_label = entry.get("no_employer_label")
        if no_employer_label is not None:
            no_employer_label = ck.text(no_employer_label, path + ("no_employer_label",))
        if no_employer and no_employer_label is None:
            ck.fail(path + ("no_employer_label",), "is missing", "the duty's text when it is the LADO's (given with no_employer)")
        duties[kind] = DutyRule(
            kind=kind, rule=ck.rule(entry["rule"], path + ("rule",)), label=ck.text(entry["label"], path + ("label",)),
            forceable=forceable, when=tuple(conditions), needs_employment=tuple(dict.fromkeys(needs)),
            no_employer=tuple(dict.fromkeys(no_employer)), no_employer_label=no_employer_label,
        )  # fmt: skip
    return duties


def _check_mapping(ck: _Checker, raw: dict, name: str, keys: tuple[Option, ...], strict: bool) -> dict[str, str]:
    """A table of option slug -> time limit kind. `strict` False (the default's table over the
    user's own option list): entries for options the user no longer has are dropped."""
    table = ck.sub_table(raw, (name,), _HINTS[name])
    slugs = tuple(o.slug for o in keys)
    out = {}
    for key, kind in table.items():
        if key not in slugs:
            if not strict:
                continue
            ck.fail((name, key), "is not one of the profile's options for it", "one of " + ", ".join(slugs))
        out[key] = ck.choice(kind, (name, key), TIME_LIMIT_KINDS, "is not a time limit kind")
    return out


def _check_definitions(ck: _Checker, raw: dict, outcomes: tuple[Option, ...], strict: bool) -> dict[str, str]:
    """R28, P§55: [outcome_definitions], outcome slug -> its definition, shown when `lado
    outcome` walks the evidence questions. `strict` False (the default's definitions over the
    user's own outcome list): definitions of outcomes the user no longer has are dropped."""
    table = ck.sub_table(raw, ("outcome_definitions",), _HINTS["outcome_definitions"]) if "outcome_definitions" in raw else {}
    slugs = tuple(o.slug for o in outcomes)
    out = {}
    for key, text in table.items():
        if key not in slugs:
            if not strict:
                continue
            ck.fail(("outcome_definitions", key), "is not one of the profile's outcomes", "one of " + ", ".join(slugs))
        out[key] = ck.text(text, ("outcome_definitions", key))
    return out


def _check_police_follow_up(ck: _Checker, raw: dict, outcomes: tuple[Option, ...], strict: bool) -> tuple[str, ...]:
    """R47: `police_follow_up`, an array of police outcome slugs (it may be empty). `strict`
    False (the default's array over the user's own police outcomes): slugs they no longer offer are dropped."""
    value, slugs = raw["police_follow_up"], tuple(o.slug for o in outcomes)
    if not isinstance(value, list):
        ck.fail(("police_follow_up",), f"is {_kind_of(value)}", _HINTS["police_follow_up"])
    if not strict:
        value = [v for v in value if v in slugs]
    return tuple(dict.fromkeys(ck.choice(v, ("police_follow_up",), slugs, "is not one of the profile's police outcomes") for v in value))


def _check_timezone(ck: _Checker, value: Any) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    name = ck.text(value, ("timezone",), _HINTS["timezone"])
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        ck.fail(("timezone",), f"{_show(name)} is not a known time zone", _HINTS["timezone"])
    return name


def _syntax_error(source: str, err: tomllib.TOMLDecodeError) -> LadoError:
    message = str(err)
    where = "syntax"
    match = re.match(r"^(.*) \(at line (\d+), column (\d+)\)$", message)
    if match:
        message, where = match.group(1), f"line {match.group(2)}, column {match.group(3)}"
    elif message.endswith(" (at end of document)"):
        message, where = message[: -len(" (at end of document)")], "end of file"
    return LadoError(f"profile {source}: {where}: not valid TOML ({message}); expected TOML syntax, see https://toml.io")


def profile_from_dict(raw: Mapping[str, Any], source: str, *, user_keys: frozenset[str] | None = None) -> Profile:
    """Validate a raw (already merged) profile dict. `user_keys`: the top-level keys the user's
    file gave, used only to word hints; None means the dict is a whole profile."""
    ck = _Checker(source, _HINTS)
    raw = dict(raw)
    ck.table(raw, (), TOP_LEVEL_KEYS + OPTIONAL_KEYS, TOP_LEVEL_KEYS)
    public_key = raw.get("public_key", "")
    if not isinstance(public_key, str) or public_key and not _AGE_RECIPIENT.fullmatch(public_key):
        ck.fail(("public_key",), f"{_show(public_key)} is not an age public key", 'the line `lado keys create` printed, "age1" and 58 letters and digits (or "" for none)')

    name = ck.text(raw["name"], ("name",), _HINTS["name"])
    prefix = ck.text(raw["ref_prefix"], ("ref_prefix",), _HINTS["ref_prefix"])
    if not _PREFIX_RE.match(prefix):
        ck.fail(("ref_prefix",), f"{_show(prefix)} is not usable in a case reference", "1 to 12 capital letters or digits starting with a letter, e.g. \"LADO\"")
    region = ck.choice(raw["region"], ("region",), REGIONS, "is not a known bank-holiday region")
    timezone = _check_timezone(ck, raw["timezone"])
    marking = ck.text(raw["protective_marking"], ("protective_marking",), _HINTS["protective_marking"])
    if len(marking) > 60 or not marking.isprintable():
        ck.fail(("protective_marking",), f"{_show(marking)} is not a short printable marking", "one line of at most 60 printable characters")

    hours = ck.table(ck.sub_table(raw, ("working_hours",), _HINTS["working_hours"]), ("working_hours",), _WORKING_HOURS_KEYS, _WORKING_HOURS_KEYS)
    days_raw = hours["days"]
    days_expected = "a non-empty array of " + ", ".join(WEEKDAYS)
    if not isinstance(days_raw, list) or not days_raw:
        ck.fail(("working_hours", "days"), "is empty" if days_raw == [] else f"is {_kind_of(days_raw)}", days_expected)
    workdays: list[int] = []
    for day in days_raw:
        if not isinstance(day, str) or day not in WEEKDAYS:
            ck.fail(("working_hours", "days"), f"{_show(day)} is not a weekday name", "names among " + ", ".join(WEEKDAYS))
        if WEEKDAYS.index(day) in workdays:
            ck.fail(("working_hours", "days"), f"{_show(day)} is listed twice", "each weekday once")
        workdays.append(WEEKDAYS.index(day))
    day_start = ck.hhmm(hours["start"], ("working_hours", "start"))
    day_end = ck.hhmm(hours["end"], ("working_hours", "end"))
    if not day_start < day_end:
        ck.fail(("working_hours", "end"), f"{_show(hours['end'])} is not after start {_show(hours['start'])}", "an end time later than the start time on the same day")

    contacts, emergency, out_of_hours = _check_contacts(ck, raw)
    limits = _check_time_limits(ck, raw)
    options = {list_name: _check_options(ck, raw, list_name) for list_name in OPTION_LISTS}
    ladders = _check_ladders(ck, raw)
    meeting_limits = _check_mapping(ck, raw, "meeting_limits", options["meeting_types"], user_keys is None or "meeting_limits" in user_keys)
    employer_action_limits = _check_mapping(ck, raw, "employer_action_limits", options["employer_actions"],
                                            user_keys is None or "employer_action_limits" in user_keys)  # fmt: skip
    own_schedule = user_keys is None or "retention" in user_keys
    retention = _check_retention(ck, raw, options["outcomes"], own_schedule)
    duties = _check_duties(ck, raw, options["outcomes"], options["employment_outcomes"], strict=user_keys is None or "duties" in user_keys,
                           bases=options["employment"], suspensions=options["suspension_decisions"])  # fmt: skip
    definitions = _check_definitions(ck, raw, options["outcomes"], user_keys is None or "outcome_definitions" in user_keys)
    follow_up = _check_police_follow_up(ck, raw, options["police_outcomes"], user_keys is None or "police_follow_up" in user_keys)

    return Profile(
        name=name,
        ref_prefix=prefix,
        region=region,
        timezone=timezone,
        protective_marking=marking,
        workdays=tuple(sorted(workdays)),
        day_start=day_start,
        day_end=day_end,
        contacts=contacts,
        emergency_contacts=emergency,
        out_of_hours_contacts=out_of_hours,
        time_limits=limits,
        ladders=ladders,
        retention=retention,
        duties=duties,
        meeting_limits=meeting_limits,
        employer_action_limits=employer_action_limits,
        outcome_definitions=definitions,
        source=source,
        matching=_check_matching(ck, raw),
        police_follow_up=follow_up,
        public_key=public_key or None,
        **options,
    )


def parse_profile(text: str, source: str, base: Mapping[str, Any] | None = None) -> Profile:
    """Parse and validate a profile's TOML `text`; `source` names it in messages.

    With `base` (the default profile's raw dict) the text is merged over it first (see the
    module docstring); without it the text must be a whole profile.
    """
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise _syntax_error(source, err) from None
    except RecursionError:  # tomllib recurses once per level of nested arrays / inline tables
        raise LadoError(f"profile {source}: arrays or tables nested too deeply to read; expected a profile shaped like the default one") from None
    user_keys = frozenset(raw)
    if base is not None:
        raw = merge_profile(base, raw)
    return profile_from_dict(raw, source, user_keys=user_keys if base is not None else None)
