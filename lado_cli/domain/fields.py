"""Reading raw answers (flags, wizard answers, CSV cells) keyed by field slug."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.domain.dates import parse_date, parse_instant
from lado_cli.domain.text import clean
from lado_cli.errors import FieldError, LadoError


def text(raw: Mapping[str, Any], field: str) -> str | None:
    """The stripped text of a field in Unicode NFC (stored as typed, one spelling of each
    accent); None when absent or blank."""
    value = raw.get(field)
    if value.__class__ is str:  # the common case, kept fast (imports call this millions of times)
        return clean(value.strip()) or None
    if value is None or isinstance(value, (list, tuple)):
        return None if not value else clean(";".join(str(v) for v in value).strip()) or None
    value = clean(str(value).strip())
    return value or None


def name(raw: Mapping[str, Any], field: str) -> str | None:
    """A name with its inner runs of spaces folded (the record keeps one spelling)."""
    value = text(raw, field)
    return value and " ".join(value.split())


def values(raw: Mapping[str, Any], field: str) -> list[str]:
    """A repeatable field: a list, or one text separated by ';'. Blanks dropped."""
    value = raw.get(field) or []
    if isinstance(value, str):
        value = value.split(";")
    return [clean(str(v).strip()) for v in value if str(v).strip()]


def instant(raw: Mapping[str, Any], field: str, tz: ZoneInfo) -> datetime | None:
    value = text(raw, field)
    return None if value is None else parse_instant(value, field, tz)


def day(raw: Mapping[str, Any], field: str) -> date | None:
    value = text(raw, field)
    return None if value is None else parse_date(value, field)


def require(raw: Mapping[str, Any], fields: list[str]) -> None:
    """Usage error naming every required field that has no value."""
    missing = [f for f in fields if text(raw, f) is None and not values(raw, f)]
    if missing:
        flags = " ".join(f"--{f}" for f in missing)
        raise LadoError(f"missing required fields: {flags} (give them as flags, or run on a terminal without --no-input to be asked)", usage=True)


def not_future(value: datetime, raw_value: Any, field: str, now: datetime) -> datetime:
    if value > now:
        raise FieldError(field, raw_value, "is in the future", "a time that is not in the future")
    return value


def not_before(value: datetime, raw_value: Any, field: str, earliest: datetime, what: str, tz: ZoneInfo) -> datetime:
    if value < earliest:
        raise FieldError(field, raw_value, f"is before {what}", f"a time on or after {earliest.astimezone(tz):%d/%m/%Y %H:%M}")
    return value
