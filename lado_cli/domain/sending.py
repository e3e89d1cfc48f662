"""A referral file (`lado send`, `lado import FILE.referral.json`): the format lado-referral/1.

Built from the columns of `lado export` (domain/transfer.py COLUMNS), so that a field added
to `lado refer` is carried without a change here. Left out are the columns that are the
referrer's own bookkeeping or the LADO's to decide (LOCAL): the LADO gives its own reference,
its `received` is the moment the referral was sent, and outcomes are recorded by the LADO.
The columns of a child (`child-name`, `child-dob`, ...) become one object per child.
Pure: no file, database or clock (docs/referral-format.md describes the format).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.domain.transfer import COLUMNS
from lado_cli.errors import LadoError

FORMAT = "lado-referral/1"
LOCAL = ("ref", "version", "received", "outcome", "employment-outcome", "outcome-date", "closed", "their-ref", "their-org")
CHILD = "child-"
MAX_BYTES = 1_000_000  # a referral is a few kilobytes; a bigger file is not one
_UNKNOWN_DOB = "unknown"


def referral_columns() -> tuple[str, ...]:
    """The export columns a referral file carries (children's apart), in export order."""
    return tuple(c for c in COLUMNS if c not in LOCAL and not c.startswith(CHILD))


def child_keys() -> tuple[str, ...]:
    """The keys of a child object: the child columns without 'child-' (name, dob, ...)."""
    return tuple(c[len(CHILD):] for c in COLUMNS if c.startswith(CHILD))


def instant_text(value: datetime, tz: ZoneInfo) -> str:
    """ISO-8601 to the second, with the offset of the profile's zone (2026-12-22T16:30:00+00:00)."""
    return value.astimezone(tz).isoformat(timespec="seconds")


def _value(value: Any, tz: ZoneInfo) -> Any:
    if isinstance(value, datetime):
        return instant_text(value, tz)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_value(v, tz) for v in value]
    return value


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


def build(row: Mapping[str, Any], *, their_ref: str, org: str | None, authority: str | None, sent_at: datetime, tz: ZoneInfo) -> dict[str, Any]:
    """The document for one case: `row` is its export row (transfer.export_row)."""
    referral: dict[str, Any] = {}
    for column in referral_columns():
        value = row.get(column)
        if column == "immediate-danger":
            value = value is True or str(value).lower() == "yes"
        if not _empty(value):
            referral[column] = _value(value, tz)
    kids = []
    columns = {key: row.get(CHILD + key) or [] for key in child_keys()}
    for i in range(max((len(v) for v in columns.values()), default=0)):
        kid = {}
        for key, values in columns.items():
            value = values[i] if i < len(values) else None
            if not _empty(value) and not (key == "dob" and value == _UNKNOWN_DOB):
                kid[key] = _value(value, tz)
        kids.append(kid)
    if kids:
        referral["children"] = kids
    return {"format": FORMAT, "their_ref": their_ref, "from": {"org": org, "authority": authority},
            "sent_at": instant_text(sent_at, tz), "referral": referral}  # fmt: skip


def dumps(doc: Mapping[str, Any]) -> bytes:
    """The file's bytes: UTF-8 JSON, keys in the order built, one trailing newline."""
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# -- reading ------------------------------------------------------------------------------


class Received:
    """A referral file read and shape-checked: the values still to be checked as an import row."""

    def __init__(self, their_ref: str, org: str | None, authority: str | None, sent_at: str, row: dict[str, Any]) -> None:
        self.their_ref, self.org, self.authority, self.sent_at, self.row = their_ref, org, authority, sent_at, row

    @property
    def sender(self) -> str:
        """Who sent it: the organisation named in `from`, else the referral's referrer-org."""
        return self.org or str(self.row.get("referrer-org") or "").strip()


def _bad(name: str, problem: str) -> LadoError:
    return LadoError(f"{name}: {problem}; nothing was imported")


def _text(value: Any, where: str, name: str, *, optional: bool = False, most: int = 200) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise _bad(name, f"{where} is {'missing' if value is None else 'empty' if value == '' else 'not text'}; expected text")
    if len(value) > most or not value.isprintable():
        raise _bad(name, f"{where} is not one line of at most {most} printable characters")
    return value.strip()


def _cell(value: Any, where: str, name: str) -> Any:
    """A referral value as an import cell: text, a list of texts, or yes/no for a true/false."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise _bad(name, f"{where} is {type(value).__name__}; expected text, true/false or an array of texts")


def parse(data: bytes, name: str) -> Received:
    """Read a lado-referral/1 document; any flaw is one line naming it (LadoError)."""
    if len(data) > MAX_BYTES:
        raise _bad(name, f"is {len(data)} bytes, too big for a referral file (at most {MAX_BYTES})")
    try:
        doc = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _bad(name, "is not UTF-8 text; expected a lado-referral/1 JSON file (or .age to decrypt)") from None
    except (json.JSONDecodeError, RecursionError) as err:
        where = f" (line {err.lineno}, column {err.colno}: {err.msg})" if isinstance(err, json.JSONDecodeError) else ""
        raise _bad(name, f"is not valid JSON{where}; is it truncated or damaged?") from None
    if not isinstance(doc, dict) or "format" not in doc:
        raise _bad(name, f"is not a referral file: no \"format\"; expected \"format\": \"{FORMAT}\"")
    fmt = doc["format"]
    if fmt != FORMAT:
        if isinstance(fmt, str) and fmt.startswith("lado-referral/"):
            raise _bad(name, f"is format {fmt!r}, a version this lado does not read; expected {FORMAT} (update lado?)")
        raise _bad(name, f"format {str(fmt)[:60]!r} is not a referral file's; expected {FORMAT}")
    unknown = sorted(set(doc) - {"format", "their_ref", "from", "sent_at", "referral"})
    if unknown:
        raise _bad(name, f"has unknown key {unknown[0]!r}; expected format, their_ref, from, sent_at and referral")
    their_ref = _text(doc.get("their_ref"), "their_ref", name, most=40)
    sender = doc.get("from")
    if not isinstance(sender, dict) or set(sender) - {"org", "authority"}:
        raise _bad(name, 'from is not an object of "org" and "authority"')
    org = _text(sender.get("org"), "from.org", name, optional=True)
    authority = _text(sender.get("authority"), "from.authority", name, optional=True)
    sent_at = _text(doc.get("sent_at"), "sent_at", name, most=40)
    body = doc.get("referral")
    if not isinstance(body, dict):
        raise _bad(name, "referral is missing or not an object of fields")
    allowed = set(referral_columns())
    row: dict[str, Any] = {}
    for key, value in body.items():
        if key == "children":
            continue
        if key not in allowed:
            raise _bad(name, f"referral has an unknown field {key[:60]!r}; expected the fields of {FORMAT} (docs/referral-format.md)")
        if value is not None:
            row[key] = _cell(value, f"referral.{key}", name)
    kids = body.get("children", [])
    if not isinstance(kids, list) or not all(isinstance(k, dict) for k in kids):
        raise _bad(name, "referral.children is not an array of objects")
    keys = child_keys()
    for i, kid in enumerate(kids):
        for key, value in kid.items():
            if key not in keys:
                raise _bad(name, f"referral.children[{i}] has an unknown field {key[:60]!r}; expected {', '.join(keys)}")
            if not isinstance(value, str):
                raise _bad(name, f"referral.children[{i}].{key} is not text")
    for key in keys:
        column = [kid.get(key) or (_UNKNOWN_DOB if key == "dob" else "") for kid in kids]
        if any(column):
            row[CHILD + key] = column
    return Received(their_ref, org, authority, sent_at, row)
