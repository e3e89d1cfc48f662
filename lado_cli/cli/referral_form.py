"""The referral as a printable A4 form (`lado send`: REF.referral.html).

The layout of cli/printing.py (protective marking at the top and foot of every page, "Page i
of n"); every field of the referral file with its label, slugs shown as the profile's labels,
instants in UK time; the referrer's signature block last. Every value is HTML-escaped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lado_cli.cli.printing import e, page
from lado_cli.domain.profile import Profile
from lado_cli.errors import LadoError

# Labels of the export columns; a column added later without one here is labelled from its
# name ("works-in" would read "Works in"), so it still prints with words, not a slug.
LABELS = {
    "subject-name": "Adult's full name", "subject-dob": "Adult's date of birth", "subject-role": "Role or job title",
    "subject-status": "Working now", "subject-address": "Home address", "regulator": "Regulator (R31)",
    "employment": "Works with children as (R2)", "employer": "Employer or organisation (R3)", "sector": "Employer's sector",
    "works-in": "Local authority where they work (R7)", "immediate-danger": "A child in immediate danger (R8)",
    "happened": "When it happened", "concern-arose": "When the concern arose", "source": "How the concern arose (R6)",
    "source-detail": "Source in detail", "category": "Category", "summary": "What happened", "criteria": "Harm criteria (R4)",
    "suitability": "Suitability indicators (R5)", "referrer-name": "Name", "referrer-role": "Role",
    "referrer-org": "Organisation", "referrer-contact": "Phone or email",
    "child-name": "Name", "child-dob": "Date of birth",
}  # fmt: skip
# Columns holding a slug of a profile list: printed as that list's label.
LISTS = {"employment": "employment", "sector": "sectors", "source": "sources", "category": "categories",
         "subject-status": "subject_statuses", "criteria": "criteria", "suitability": "suitability_indicators"}  # fmt: skip
SECTIONS = (("The adult", ("subject-", "regulator", "employment", "employer", "sector", "works-in")),
            ("The referrer", ("referrer-",)), ("The concern", ("",)))  # fmt: skip

_CSS = """
table.fields { margin-bottom: .8em; }
table.fields th { width: 34%; font-weight: bold; background: #f2f2f2; }
table.fields th, table.fields td { border: 1px solid #999; }
table.sign { break-inside: avoid; page-break-inside: avoid; }
table.sign td { border: 1px solid #999; height: 2.4em; }
table.sign th { width: 34%; border: 1px solid #999; }
p.note { font-size: .9em; color: #333; }
"""


def label(column: str) -> str:
    return LABELS.get(column) or column.replace("-", " ").capitalize()


def _shown(column: str, value: Any, profile: Profile) -> str:
    from datetime import datetime

    from lado_cli.domain.dates import parse_instant

    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(_shown(column, v, profile) for v in value)
    text = str(value)
    if column in LISTS:
        if column == "criteria" and text == "none":
            return "none (advice-only consultation, R37c)"
        try:
            return profile.label(LISTS[column], text)
        except (KeyError, ValueError):
            return text
    if len(text) > 10 and "T" in text:  # an instant of the file (ISO with offset): UK time as people write it
        try:
            at: datetime = parse_instant(text, column, profile.calendar().tz)
            return profile.calendar().local(at).strftime("%d/%m/%Y %H:%M")
        except LadoError:
            return text
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{text[8:]}/{text[5:7]}/{text[:4]}"
    return text


def _section(column: str) -> str:
    for title, prefixes in SECTIONS:
        if any(column == p or (p.endswith("-") or p == "") and column.startswith(p) for p in prefixes):
            return title
    return SECTIONS[-1][0]


def _rows(pairs: list[tuple[str, str]]) -> list[str]:
    return ['<table class="fields">', "<tbody>", *(f"<tr><th>{e(k)}</th><td>{e(v)}</td></tr>" for k, v in pairs), "</tbody>", "</table>"]


def form_html(doc: Mapping[str, Any], profile: Profile, *, sent_at_text: str) -> str:
    """The referral document `doc` (domain/sending.build) as an A4 form."""
    referral = doc["referral"]
    sender = doc["from"]
    title = f"Referral to the LADO: {doc['their_ref']}"
    body = [
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">To the LADO of {e(sender.get("authority") or profile.name)}. '
        f"From {e(sender.get('org') or referral.get('referrer-org') or 'the referrer')}, "
        f"their reference {e(doc['their_ref'])}. Sent {e(sent_at_text)}.</p>",
        '<p class="note">The same referral is in the data file sent with this form (lado-referral/1), '
        "for the LADO to import without retyping.</p>",
    ]
    grouped: dict[str, list[tuple[str, str]]] = {title: [] for title, _ in SECTIONS}
    for column, value in referral.items():
        if column != "children":
            grouped[_section(column)].append((label(column), _shown(column, value, profile)))
    for heading in ("The adult", "The concern", "The referrer"):
        if grouped[heading]:
            body += [f"<h2>{e(heading)}</h2>", *_rows(grouped[heading])]
    kids = referral.get("children") or []
    body.append(f"<h2>Children ({len(kids)})</h2>")
    if not kids:
        body.append("<p>None identified.</p>")
    for i, kid in enumerate(kids, 1):
        pairs = [(f"Child {i}: {label('child-' + k).lower()}", _shown("child-" + k, v, profile)) for k, v in kid.items()]
        body += _rows(pairs)
    body += [
        '<h2 class="sign">Signed by the referrer</h2>',
        '<table class="sign"><tbody>',
        f"<tr><th>Name</th><td>{e(referral.get('referrer-name'))}</td></tr>",
        f"<tr><th>Role</th><td>{e(referral.get('referrer-role'))}</td></tr>",
        "<tr><th>Signature</th><td></td></tr>",
        "<tr><th>Date</th><td></td></tr>",
        "</tbody></table>",
    ]
    return page(title, profile.protective_marking, _CSS, body)
