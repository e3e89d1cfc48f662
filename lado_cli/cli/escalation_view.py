"""The escalations of `lado show` (R38-R41), one table each: who escalates, every step with
who was contacted, its branch (R39 steps 3-4) and its reply, or that none came, or that the
step was skipped and why; the practice-review decision and the status. The JSON of `show`
carries the same facts (every column of `escalations` and `escalation_steps`)."""

from __future__ import annotations

from typing import Any

from lado_cli.cli.render import when
from lado_cli.domain.profile import Profile


def escalation_tables(data: dict[str, Any], profile: Profile) -> list:
    from lado_cli.cli.views import _detail_table, _labeller, esc

    tz = profile.calendar().tz
    lab = _labeller(profile)
    tables = []
    for e in data["escalations"]:
        ladder = profile.ladders.get(e["ladder"])
        t = _detail_table(f"Escalation ({esc(ladder.label) if ladder else e['ladder']}; {lab('escalation_reasons', e['reason'])})")
        if e.get("raised_by"):
            t.add_row("Raised by", esc(e["raised_by"]))
        for st in e["steps"]:
            t.add_row(f"Step {st['step']}", _step(st, ladder, lab, tz))
        if e["practice_review"]:
            t.add_row("Practice review (R41)", esc(e["practice_review"]))
        t.add_row("Status", f"resolved {when(e['resolved_at'], tz)}: {esc(e['resolution'] or '')}" if e["resolved_at"] else f"[yellow]open at step {e['step']}[/]")
        tables.append(t)
    return tables


def _step(st: dict[str, Any], ladder, lab, tz) -> str:
    from lado_cli.cli.views import esc

    if st.get("skip_reason") is not None:
        return f"[dim]skipped {when(st['at'], tz)}: {esc(st['skip_reason'])}[/]"
    out = f"{when(st['at'], tz)}: {esc(st['contacted'] or '')}"
    if st.get("branch"):
        out += f"; branch: {lab('escalation_branches', st['branch'])}"
    if st["response"]:
        got = f" {when(st['replied_at'], tz)}" if st.get("replied_at") else ""
        out += f"; reply{got}: {esc(st['response'])}"
    elif st.get("no_reply"):
        out += "; [bold yellow]no reply came[/] (its time limit stays unmet)"
    return out
