"""Import and export of cases as rows: the columns, reading a row into a checked record,
and writing a case back out. Pure: the file, the database and the clock are elsewhere.

The columns are the flag names of `lado refer` plus `ref` and the historic-case columns;
a cell holding several values (criteria, children) separates them with ';'.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from lado_cli.domain.csvsafe import neutralise, unneutralise  # noqa: F401  (export and import: one rule)
from lado_cli.domain.dates import parse_date
from lado_cli.domain.intake import FACT_SPECS as INTAKE_FACTS
from lado_cli.domain.intake import SPECS as INTAKE_SPECS
from lado_cli.domain.profile import Profile
from lado_cli.domain.referral import NO_CRITERIA, REQUIRED, Referral, missing_fields, name_key, validate_referral
from lado_cli.domain.text import REDACTED, redact as redact_names
from lado_cli.errors import FieldError, LadoError

COLUMNS = (
    "ref", "subject-name", "subject-dob", "subject-role", "subject-status", "subject-address", "regulator",
    "employment", "employer", "sector", "works-in", "immediate-danger",
    "happened", "concern-arose", "received", "source", "source-detail", "category", "summary", "criteria", "suitability",
    "child-name", "child-dob", "referrer-name", "referrer-role", "referrer-org", "referrer-contact", "their-ref", "their-org",
    *(s.slug for s in INTAKE_SPECS),  # R42-R44, R51, the referral-form fields (domain/intake.py)
    "outcome", "employment-outcome", "outcome-date", "closed", "version",
)  # fmt: skip
MULTI = ("criteria", "suitability", "child-name", "child-dob", *(s.slug for s in INTAKE_SPECS if s.kind == "texts"))
REQUIRED_COLUMNS = REQUIRED  # every required field of `lado refer` (employer may be blank for the self-employed)
_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0", "")
# A kept reference is typed in commands and shown in tables: letters, digits and - / . _ only
# (no spaces, markup such as "[/]", or control characters that would drive a terminal).
_REF_TEXT = re.compile(r"[A-Z0-9][A-Z0-9/._-]{0,39}", re.ASCII)
REF_EXPECTED = "a case reference of letters, digits and - / . _ (at most 40), e.g. LADO-2019-0042"
# A kept PREFIX-YEAR-NUMBER reference moves that year's counter past NUMBER, so one huge
# number would leave no reference for any later referral of the year: at most 6 digits.
MAX_REF_SEQ = 999_999
_REF_SEQ = re.compile(r"[A-Z][A-Z0-9]*-\d{4}-(\d+)", re.ASCII)


def column_name(header: str) -> str:
    """A header cell as a column slug: case, spaces, '_' and surrounding blanks ignored."""
    return re.sub(r"[\s_]+", "-", header.strip().lstrip("\ufeff").strip().lower())


@dataclass(frozen=True)
class Header:
    columns: tuple[str, ...]  # slug per position ('' for an ignored column)
    unknown: tuple[str, ...]  # header cells that are not columns (warned about, ignored)


def read_header(cells: Sequence[str]) -> Header:
    seen: dict[str, int] = {}
    slugs, unknown = [], []
    for i, cell in enumerate(cells, 1):
        slug = column_name(cell)
        if slug in COLUMNS:
            if slug in seen:
                raise LadoError(f"row 1: column {slug} appears twice (columns {seen[slug]} and {i}); expected each column once")
            seen[slug] = i
            slugs.append(slug)
        else:
            if cell.strip():
                unknown.append(cell.strip())
            slugs.append("")
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise LadoError(f"row 1: missing required column{'s' if len(missing) > 1 else ''} {', '.join(missing)}; "
                        "`lado import --template` prints the header")  # fmt: skip
    return Header(tuple(slugs), tuple(unknown))


def row_values(header: Header, cells: Sequence[str]) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for slug, cell in zip(header.columns, cells, strict=False):
        if not slug or not cell:
            continue
        if cell[0] == "'":
            cell = unneutralise(cell)
        raw[slug] = [v.strip() for v in cell.split(";")] if slug in MULTI and cell.strip() else cell
    return raw


@dataclass(frozen=True)
class ImportRecord:
    row: int
    referral: Referral
    ref: str | None
    outcome: str | None
    employment_outcome: str | None
    outcome_date: date | None
    closed: date | None
    closed_at: datetime | None = None  # the end of the `closed` day, UK time
    version: int | None = None  # the case's version when exported: `--on-conflict update` needs it to match
    their_ref: str | None = None  # a referral received as a file: the referrer's reference ...
    their_org: str | None = None  # ... and organisation (one case per pair)

    @property
    def match_key(self) -> tuple[str, date | None, datetime]:
        """Same adult (name folded, date of birth) and same moment the concern arose: same case."""
        r = self.referral
        return (name_key(r.subject_name), r.subject_dob, r.concern_arose)

    @property
    def status(self) -> str:
        if self.closed:
            return "closed"
        return "advice-only" if self.referral.advice_only else "open"


def _flag(raw: Mapping[str, Any], field: str) -> bool:
    value = str(raw.get(field) or "").strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise FieldError(field, raw.get(field), "is not yes or no", "yes or no (or blank for no)")


def check_row(row: int, raw: dict[str, Any], profile: Profile, now: datetime) -> ImportRecord:
    """One data row checked with the rules of `lado refer`, plus the historic columns."""
    for field in missing_fields(raw):
        raise FieldError(field, "", "is empty", "a value: the column is required")
    raw = dict(raw, **{"immediate-danger": _flag(raw, "immediate-danger")})
    r = validate_referral(raw, profile, now, missing_checked=True)
    cal = profile.calendar()
    received_day, today = cal.local(r.received).date(), cal.local(now).date()

    def day(field: str) -> date | None:
        text = str(raw.get(field) or "").strip()
        if not text:
            return None
        value = parse_date(text, field)
        if value < received_day:
            raise FieldError(field, text, "is before the referral was received", f"a date on or after {received_day:%d/%m/%Y}")
        if value > today:
            raise FieldError(field, text, "is in the future", "a date that is not in the future")
        return value

    outcome = str(raw.get("outcome") or "").strip() or None
    employment = str(raw.get("employment-outcome") or "").strip() or None
    if outcome:
        outcome = profile.check_slug("outcomes", "outcome", outcome)
    if employment:
        employment = profile.check_slug("employment_outcomes", "employment-outcome", employment)
    outcome_date, closed = day("outcome-date"), day("closed")
    if (outcome or employment) and outcome_date is None:
        raise FieldError("outcome-date", "", "is empty", "the date of the outcome, given with outcome or employment-outcome")
    if outcome_date and not (outcome or employment):
        raise FieldError("outcome-date", raw["outcome-date"], "is given without an outcome", "outcome and/or employment-outcome with it")
    if r.advice_only and (outcome or employment):
        raise FieldError("outcome", outcome or employment, "is given for an advice-only consultation (criteria none)", "no outcome (R37c)")
    if closed and not r.advice_only and not outcome:  # R28, R33: closing needs the outcome
        raise FieldError("closed", raw["closed"], "closes a referral with no outcome", "an outcome column for a closed referral (R28)")
    if closed and outcome_date and closed < outcome_date:
        raise FieldError("closed", raw["closed"], "is before the outcome date", f"a date on or after {outcome_date:%d/%m/%Y}")
    ref = str(raw.get("ref") or "").strip().upper() or None
    if ref and not _REF_TEXT.fullmatch(ref):
        raise FieldError("ref", raw["ref"], "is not usable as a case reference", REF_EXPECTED)
    if ref and (m := _REF_SEQ.fullmatch(ref)) and int(m[1]) > MAX_REF_SEQ:
        raise FieldError("ref", raw["ref"], "has a case number over 999999", "a reference numbered 1 to 999999, e.g. LADO-2019-0042")
    version_text = str(raw.get("version") or "").strip()
    version = None
    if version_text:
        if not re.fullmatch(r"[0-9]{1,9}", version_text) or int(version_text) < 1:
            raise FieldError("version", version_text, "is not a case version", "the whole number `lado export` wrote (or blank)")
        version = int(version_text)
    their_ref, their_org = _their(raw, "their-ref", 40), _their(raw, "their-org", 200)
    if bool(their_ref) != bool(their_org):
        given, other = ("their-ref", "their-org") if their_ref else ("their-org", "their-ref")
        raise FieldError(other, "", f"is empty while {given} is given", f"both {given} and {other} (a referral file's sender), or neither")
    return ImportRecord(row, r, ref, outcome, employment, outcome_date, closed, closed and cal.end_of_day(closed), version, their_ref, their_org)


def _their(raw: Mapping[str, Any], field: str, most: int) -> str | None:
    """The sender's reference or organisation of a referral received as a file: one line of text."""
    text = str(raw.get(field) or "").strip()
    if not text:
        return None
    if len(text) > most or any(not ch.isprintable() for ch in text):
        raise FieldError(field, text, "is not one line of printable text", f"at most {most} printable characters")
    return text


# Free text that may name a child or a third party in passing: `--redact` takes the names out
# (R26). The adult's own name column is kept: the record is about them.
FREE_TEXT = ("summary", "subject-role", "subject-address", "employer", "works-in", "source-detail", "referrer-role", "referrer-org")
# Fields whose checks depend on each other: when one of a group is wrong, the group's
# relations are not checked (they would report knock-on problems of the first).
_RELATED = (("outcome", "employment-outcome", "outcome-date", "closed"), ("happened", "child-dob", "child-name", "child-address", "child-social-worker"),
            ("other-setting", "other-setting-kind", "other-setting-authority"), ("first-raised", "police-referred", "police-referred-to"),
            ("association", "associated-with", "associated-worker", "associated-employer"))  # fmt: skip
_SLUGS = (("employment", "employment"), ("sector", "sectors"), ("source", "sources"), ("category", "categories"),
          ("subject-status", "subject_statuses"), ("outcome", "outcomes"), ("employment-outcome", "employment_outcomes"))  # fmt: skip


def _field_problems(raw: Mapping[str, Any], profile: Profile, today: date) -> list[FieldError]:
    """Every problem of a single cell, each cell checked on its own (shape, known value)."""
    from lado_cli.domain.dates import parse_instant, parse_optional_date
    from lado_cli.domain.referral import missing_fields

    tz = profile.calendar().tz
    found: list[FieldError] = [FieldError(f, "", "is empty", "a value: the column is required") for f in missing_fields(raw)]

    def cell(field: str) -> str:
        value = raw.get(field)
        return ";".join(str(v) for v in value) if isinstance(value, list) else str(value or "").strip()

    def attempt(check, *args) -> None:
        try:
            check(*args)
        except FieldError as err:
            found.append(err)

    attempt(_flag, raw, "immediate-danger")
    for field in ("concern-arose", "received", "happened"):
        if cell(field):
            attempt(parse_instant, cell(field), field, tz)
    def birth(text: str, field: str) -> None:
        dob = parse_optional_date(text, field)
        if dob is not None and dob > today:
            raise FieldError(field, text, "is in the future", "a date of birth")

    attempt(birth, cell("subject-dob"), "subject-dob")
    for field in ("outcome-date", "closed"):
        if cell(field):
            attempt(parse_date, cell(field), field)
    dobs = raw.get("child-dob") or []
    for dob in [dobs] if isinstance(dobs, str) else dobs:
        attempt(birth, str(dob), "child-dob")
    for field, list_name in _SLUGS:
        if cell(field):
            attempt(profile.check_slug, list_name, field, cell(field))
    for field, list_name in (("criteria", "criteria"), ("suitability", "suitability_indicators")):
        values = raw.get(field) or []
        for value in [values] if isinstance(values, str) else values:
            if value and value != NO_CRITERIA:
                attempt(profile.check_slug, list_name, field, value)
    ref = cell("ref").upper()
    if ref and not _REF_TEXT.fullmatch(ref):
        found.append(FieldError("ref", raw["ref"], "is not usable as a case reference", REF_EXPECTED))
    return found


def row_problems(row: int, raw: dict[str, Any], profile: Profile, now: datetime) -> ImportRecord | list[FieldError]:
    """The checked record, or every problem of the row (not only the first): each cell on its
    own first, then the relations between cells (`check_row`), leaving out of those the
    optional cells already found wrong, and their related cells, so that no problem is a
    knock-on effect of another. A wrong required cell stops the relation checks (they need it)."""
    try:  # the usual case, a good row, checked once (check_row covers every cell check below)
        return check_row(row, raw, profile, now)
    except FieldError:
        pass
    found = _field_problems(raw, profile, profile.calendar().local(now).date())
    bad = {e.field for e in found}
    if bad & set(REQUIRED_COLUMNS) or bad & {"concern-arose", "received", "immediate-danger"}:
        return found
    raw = dict(raw)
    for _ in range(len(COLUMNS)):
        for field in list(bad):
            for group in _RELATED:
                if field in group:
                    bad.update(group)
        for field in bad:
            raw.pop(field, None)
        try:
            rec = check_row(row, raw, profile, now)
        except FieldError as err:
            if err.field in bad:
                break
            found.append(err)
            bad.add(err.field)
            if err.field in REQUIRED_COLUMNS or err.field in ("received", "concern-arose"):
                break
            continue
        return found or rec
    return found



def export_row(case: Mapping[str, Any], profile: Profile, *, redact: bool = False) -> dict[str, Any]:
    """A case as an import row (instants ISO-8601 with offset; lists kept as lists)."""
    closed = case["closed_at"] and profile.calendar().local(case["closed_at"]).date()
    kids = case["children"]
    names = [c["name"] for c in kids]
    row = {
        "ref": case["ref"],
        "subject-name": case["subject_name"], "subject-dob": case["subject_dob"], "subject-role": case["subject_role"],
        "subject-status": case["subject_status"], "subject-address": case["subject_address"], "regulator": case["regulator"],
        "employment": case["employment"], "employer": case["employer"], "sector": case["sector"], "works-in": case["works_in"],
        "immediate-danger": "yes" if case["immediate_danger"] else "no",
        "happened": case["happened"], "concern-arose": case["concern_arose"], "received": case["received"],
        "source": case["source"], "source-detail": case["source_detail"], "category": case["category"],
        "summary": case["summary"], "criteria": list(case["criteria"]) or [NO_CRITERIA], "suitability": list(case["suitability"]),
        "child-name": names, "child-dob": [c["dob"] or "unknown" for c in kids],
        "referrer-name": case["referrer_name"], "referrer-role": case["referrer_role"],
        "referrer-org": case["referrer_org"], "referrer-contact": case["referrer_contact"],
        "outcome": case["outcome"], "employment-outcome": case["employment_outcome"],
        "outcome-date": case["outcome_date"] or case["employment_outcome_date"], "closed": closed,
        "version": case["version"], "their-ref": case.get("their_ref"), "their-org": case.get("their_org"),
        **intake_row(case),
    }  # fmt: skip
    if redact:  # R26: children and third parties (the referrer) are not named, nor reachable
        hidden = [n for n in [*names, case["referrer_name"]] if n]
        contact = (case["referrer_contact"] or "").strip()
        for field in FREE_TEXT:
            if row[field]:  # the contact first: a name inside an e-mail address would leave the rest of it
                text = re.sub(re.escape(contact), REDACTED, row[field], flags=re.IGNORECASE) if contact else row[field]
                row[field] = redact_names(text, hidden)
        row["child-name"] = [REDACTED for _ in names]
        row["child-dob"] = [REDACTED for _ in names]
        row["referrer-name"] = REDACTED
        row["referrer-contact"] = REDACTED
        for field in ("child-address", "child-social-worker", "placement-social-worker"):  # children and third parties
            row[field] = [REDACTED for _ in row[field]]
        for field in ("supervising-social-worker", "associated-worker"):
            row[field] = row[field] and REDACTED
        for field in ("earlier-concerns", "place", "injury", "others-told", "action-taken", "police-referred-to"):
            if row[field]:
                row[field] = redact_names(row[field], hidden)
    return row


def intake_row(case: Mapping[str, Any]) -> dict[str, Any]:
    """The intake columns of a case as `export_cases` reads it (domain/intake.py)."""
    facts = case.get("intake_facts") or {}
    row: dict[str, Any] = {"first-raised": case.get("first_raised")}
    for s in INTAKE_FACTS:
        v = facts.get(s.col)
        row[s.slug] = ("yes" if v else "no") if s.kind == "bool" and v is not None else list(v or []) if s.kind == "texts" else v
    kids, places = case["children"], case.get("other_settings") or []
    known = lambda v: v or "unknown"  # noqa: E731
    row["child-address"] = [known(c.get("address")) for c in kids] if any(c.get("address") for c in kids) else []
    row["child-social-worker"] = [known(c.get("social_worker")) for c in kids] if any(c.get("social_worker") for c in kids) else []
    row["other-setting"] = [p["name"] for p in places]
    row["other-setting-kind"] = [known(p["kind"]) for p in places] if any(p["kind"] for p in places) else []
    row["other-setting-authority"] = [known(p["authority"]) for p in places] if any(p["authority"] for p in places) else []
    return row


def import_effects(rec: ImportRecord, profile: Profile, source: str) -> tuple[list, list, str]:
    """(time limits, duties, chronology text) for a new imported case. An open case gets its
    limits exactly as `lado refer` would, and the duties its outcome calls for (R30-R32);
    a closed historic case gets neither."""
    from lado_cli.domain.referral import referral_deadlines, referral_text
    from lado_cli.domain.casework import REMOVED_STATUSES
    from lado_cli.domain.workflow import NewDuty

    r = rec.referral
    text = f"Imported from {source}, row {rec.row}. {referral_text(r, profile)}"
    if rec.outcome or rec.employment_outcome:
        parts = [profile.label("outcomes", rec.outcome) if rec.outcome else None,
                 profile.label("employment_outcomes", rec.employment_outcome) if rec.employment_outcome else None]  # fmt: skip
        text += f" Outcome ({rec.outcome_date:%d/%m/%Y}): " + "; ".join(p for p in parts if p) + "."
    if rec.closed:
        return [], [], text + f" Closed {rec.closed:%d/%m/%Y}."
    new_duties = [
        NewDuty(kind, rule.rule, rule.label_for(r.employment))  # R31: the LADO's for a self-employed adult
        for kind, rule in profile.duties.items()
        if (rec.outcome or rec.employment_outcome)
        and rule.applies(rec.outcome, rec.employment_outcome, bool(r.regulator), None, r.subject_status in REMOVED_STATUSES)  # R48: as at intake
    ]
    return referral_deadlines(r, profile), new_duties, text
