"""`lado show`: the outcome classification (R28, P§55): the evidence answers recorded with the
outcome, the outcome they imply, and the reason for an outcome chosen against them."""

from __future__ import annotations

from typing import Any

from lado_cli.domain.profile import Profile


def case_part(case: dict[str, Any], profile: Profile) -> dict[str, Any] | None:
    """The `classification` of `lado show --format json`: evidence_proves, evidence_disproves,
    deliberate_deceit, no_basis (true, false, or null when not asked), implies (the outcome
    the answers imply under this profile, null if it offers none) and why; null when no
    answers were recorded (an outcome given by --outcome alone)."""
    from lado_cli.domain.classify import recorded

    return recorded(case, profile)


def tables(data: dict[str, Any], profile: Profile) -> list:
    """The table of the classification, after the outcome's (none without answers)."""
    from rich.table import Table

    from lado_cli.cli.views import esc
    from lado_cli.domain import classify as c

    part = data.get("classification")
    if not part:
        return []
    t = Table(title="Outcome classification (R28)", title_justify="left", title_style="bold", show_header=False)
    t.add_column(style="bold")
    t.add_column()
    for flag in c.FLAGS:
        value = part[flag.replace("-", "_")]
        t.add_row(c.LABELS[flag], "not asked" if value is None else "yes" if value else "no")
    t.add_row("The answers imply", esc(profile.label("outcomes", part["implies"])) if part["implies"] else "an outcome this profile does not offer")
    if part["why"]:
        t.add_row("Chosen against the answers because", esc(part["why"]))
    return [t]
