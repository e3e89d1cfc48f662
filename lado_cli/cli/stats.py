"""`lado stats`: the statistics return (R36, R28a) for the contacts received in a period.

The command parses the period, has `lado_cli.store.stats` count and `lado_cli.domain.stats`
work the figures out, and prints the one report object as tables with bar charts, JSON,
CSV rows (`section,item,count,percent`) or a printable HTML page.
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer

from lado_cli.cli.context import app_context
from lado_cli.files import output_param

#: `--format csv`: the columns (a stable interface for scripts).
CSV_COLUMNS: list[str] = ["section", "item", "count", "percent"]

#: The breakdown sections in the order shown: key, title, what the percentages are of (one).
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("contacts", "Contacts: referrals and advice-only consultations (R36, R37c)", "contact"),
    ("source", "Referrals by source (R6)", "referral"),
    ("sector", "Referrals by employment sector (R36)", "referral"),
    ("category", "Referrals by category of abuse (R36)", "referral"),
    ("criteria", "Harm criteria met (R4, R21; a referral may meet several)", "referral"),
    ("route", "Routes (R22; a referral may take several)", "referral"),
    ("outcome", "Outcomes (R28)", "referral"),
    ("historic", "Historic and current allegations (R36)", "referral"),
    ("suspension", "Suspension decisions (R24)", "referral"),
    ("delay_inside_organisation", "Delay inside the organisation: first raised to the senior manager (R36, R42)", "referral"),
)
#: Sections listing a profile's options: the terminal shows only the options that occurred.
PROFILE_LISTS = frozenset({"source", "sector", "category", "criteria", "route", "outcome", "suspension"})
BAR_WIDTH = 20
BLOCK = "█"


class StatsFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    html = "html"


def stats(
    ctx: typer.Context,
    from_: str = typer.Option(None, "--from", metavar="DATE", help="First day of the period (UK date, e.g. 01/04/2026); contacts are counted by the day they were received."),
    to: str = typer.Option(None, "--to", metavar="DATE", help="Last day of the period, included (e.g. 31/03/2027)."),
    as_of: str = typer.Option(None, "--as-of", metavar="DATETIME",
                              help="Judge open time limits overdue, and take the open caseload, at this time (UK time). "
                                   "Default: overdue now; caseload at the end of the period (or now, if sooner)."),  # fmt: skip
    fmt: StatsFormat = typer.Option(StatsFormat.table, "--format", "-f", case_sensitive=False,
                                    help="table (with bar charts) for people; json or csv (section,item,count,percent) for scripts; html to print."),  # fmt: skip
    output: Path = output_param("the report"),  # noqa: ARG001 - handled by its callback and LadoGroup
) -> None:
    """The statistics return (R36) for the contacts received in a period.

    Referrals and advice-only consultations; referrals by source, sector, category, criteria,
    route and outcome; historic allegations; timeliness against R12-R17; time to outcome
    against the R28a targets; cases open longer than 1, 3 and 12 months; suspensions, DBS and
    regulator referrals. An empty period gives zero counts.
    """
    from lado_cli.domain import stats as figures
    from lado_cli.domain.dates import parse_instant
    from lado_cli.store.stats import count_return

    app = app_context(ctx)
    period = figures.parse_period(from_, to)
    profile = app.profile
    tz = profile.calendar().tz
    at = parse_instant(as_of, "as-of", tz) if as_of is not None else None
    app.lado_only("lado stats")  # issue #11: the data returns are the LADO service's (R36); after the checks of the input, which open nothing
    overdue_at, open_at = figures.moments(period, tz, app.now(), at)
    start, end = period.bounds(tz)
    with app.db.read() as conn:
        counts = count_return(conn, start=start, end=end, overdue_at=overdue_at, open_at=open_at,
                              open_cutoffs=figures.open_cutoffs(open_at, tz), kinds=figures.TIMELINESS_KINDS)  # fmt: skip
    report = figures.build_report(profile, period, overdue_at=overdue_at, open_at=open_at, counts=counts)

    if fmt is StatsFormat.json:
        from lado_cli.cli.render import print_json

        print_json(report, tz)
    elif fmt is StatsFormat.csv:
        from lado_cli.cli.render import print_csv

        print_csv(csv_rows(report), CSV_COLUMNS, tz)
    elif fmt is StatsFormat.html:
        from lado_cli.cli.printing import stats_html

        sys.stdout.write(stats_html(report, tz, profile.protective_marking))
    else:
        from lado_cli.cli.render import console

        console().print(stats_view(report, tz))


# -- CSV ---------------------------------------------------------------------------------------


def csv_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every figure as `section,item,count,percent`. A breakdown gives a `total` row (what its
    percentages are of) then its rows; a time limit kind is section `timeliness:KIND`; a
    resolution target is section `resolution_target:ITEM` (met: 1 yes, 0 no, empty: nothing to measure)."""
    out: list[dict[str, Any]] = []

    def breakdown(section: str, data: dict[str, Any]) -> None:
        out.append({"section": section, "item": "total", "count": data["total"]})
        out.extend({"section": section, "item": r["item"], "count": r["count"], "percent": r["percent"]} for r in data["rows"])

    for key, _title, _of in SECTIONS:
        breakdown(key, report[key])
    for t in report["timeliness"]:
        section = f"timeliness:{t['kind']}"
        out += [{"section": section, "item": item.replace("_", "-"), "count": t[item]}
                for item in ("total", "met_on_time", "met_late", "open", "overdue", "not_applicable")]  # fmt: skip
        out.append({"section": section, "item": "on-time-rate", "count": t["met_on_time"], "percent": t["on_time_percent"]})
    breakdown("resolution", report["resolution"])
    for t in report["resolution"]["targets"]:
        section = f"resolution_target:{t['item']}"
        met = None if t["met"] is None else int(t["met"])
        out += [{"section": section, "item": "cases", "count": t["cases"]},
                {"section": section, "item": "within", "count": t["within"], "percent": t["percent"]},
                {"section": section, "item": "goal", "percent": t["goal_percent"]},
                {"section": section, "item": "met", "count": met}]  # fmt: skip
    for key in ("open_longer_than", "dbs_referrals", "regulator_referrals"):
        breakdown(key, report[key])
    return out


# -- the terminal ---------------------------------------------------------------------------


def _of(count: int, one: str) -> str:
    """'1 referral with an outcome', '2 referrals with an outcome' (the first word takes the plural)."""
    first, _, rest = one.partition(" ")
    return f"{count} {first}{'' if count == 1 else 's'}" + (f" {rest}" if rest else "")


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def bar(count: int, largest: int, width: int = BAR_WIDTH) -> str:
    """`count` as a row of blocks, the largest count of its table filling `width`; any count
    above zero shows at least one block."""
    if count <= 0 or largest <= 0:
        return ""
    return BLOCK * max(1, round(width * count / largest))


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def _heading(report: dict[str, Any], tz) -> list[str]:
    from lado_cli.cli.render import when

    period = report["period"]
    return [
        f"Statistics return (R36) · {report['authority']}",
        f"Contacts received {period['from']:%d/%m/%Y} to {period['to']:%d/%m/%Y} (both included).",
        f"Time limits judged overdue at {when(report['as_of'], tz)}.",
        f"Open caseload taken at {when(report['open_at'], tz)}.",
    ]


def stats_view(report: dict[str, Any], tz):
    """The return as rich tables, each breakdown with a bar chart."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from lado_cli.cli.render import when
    from lado_cli.cli.views import esc, visible

    def table(title: str, caption: str | None = None, min_width: int = 0) -> Table:
        return Table(title=esc(title), title_justify="left", title_style="bold", caption=caption and esc(caption), caption_justify="left",
                     box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, min_width=max(len(title), min_width))  # fmt: skip

    def breakdown(title: str, data: dict[str, Any], of: str, hide_zeros: bool = False) -> Table | Text:
        rows = [r for r in data["rows"] if r["count"] or not hide_zeros]
        if not rows:
            return Text.assemble((title, "bold"), f": none ({_of(data['total'], of)}).")
        hidden = len(data["rows"]) - len(rows)
        caption = f"Percentages of {_of(data['total'], of)}." + (f" {hidden} with none not shown." if hidden else "")
        t = table(title, caption, min_width=len(caption))
        t.add_column("")
        t.add_column("Count", justify="right")
        t.add_column("%", justify="right")
        t.add_column("", no_wrap=True, min_width=BAR_WIDTH)
        largest = max((r["count"] for r in rows), default=0)
        for r in rows:
            t.add_row(esc(r["label"]), str(r["count"]), _pct(r["percent"]), bar(r["count"], largest))
        return t

    head, *notes = _heading(report, tz)
    parts: list[Any] = [Text(visible(head), style="bold"), *(Text(visible(n)) for n in notes)]
    for key, title, of in SECTIONS:  # the profile's long lists: only what occurred
        parts.append(breakdown(title, report[key], of, hide_zeros=key in PROFILE_LISTS))

    t = table("Timeliness (R12-R17)", "Rate = met on time / (met on time + met late + overdue); limits still in time are left out.")
    t.add_column("Time limit", no_wrap=True, min_width=max(len(k["kind"]) for k in report["timeliness"]))
    for col in ("Rule", "On time", "Late", "Open", "Overdue", "N/A", "Rate"):
        t.add_column(col, justify="left" if col == "Rule" else "right")
    t.add_column("", no_wrap=True, min_width=BAR_WIDTH // 2)
    for k in report["timeliness"]:
        p = k["on_time_percent"]
        t.add_row(k["kind"], k["rule"], str(k["met_on_time"]), str(k["met_late"]), str(k["open"]), str(k["overdue"]),
                  str(k["not_applicable"]), _pct(p), bar(round(p or 0), 100, BAR_WIDTH // 2))  # fmt: skip
    parts.append(t)

    res = report["resolution"]
    parts.append(breakdown("Time from referral to outcome (R28a)", res, "referral with an outcome"))
    t = table("Resolution targets (R28a)", "The one-week target counts every referral with one of those outcomes.")
    for col, just in (("Target", "left"), ("Cases", "right"), ("Within", "right"), ("%", "right"), ("Met", "left")):
        t.add_column(col, justify=just)
    for g in res["targets"]:
        t.add_row(esc(g["label"]), str(g["cases"]), str(g["within"]), _pct(g["percent"]), _yes_no(g["met"]))
    parts.append(t)

    parts.append(breakdown(f"Open caseload at {when(report['open_at'], tz)} (R36)", report["open_longer_than"], "referral open then, whenever received"))
    t = table("DBS (R30) and regulator (R31) referrals", "Duties raised by the outcomes of the period's referrals.")
    for col in ("Referral", "Raised", "Made", "Not made yet"):
        t.add_column(col, justify="left" if col == "Referral" else "right")
    for key, name in (("dbs_referrals", "Disclosure and Barring Service (R30)"), ("regulator_referrals", "Regulator (R31)")):
        d = report[key]
        made, outstanding = (r["count"] for r in d["rows"])
        t.add_row(name, str(d["total"]), str(made), str(outstanding))
    parts.append(t)
    spaced: list[Any] = []
    for i, part in enumerate(parts):  # a blank line before each section
        spaced += [Text(""), part] if i > len(notes) else [part]
    return Group(*spaced)
