"""Printable pages: `lado due --format html` and `lado stats --format html`.

Both are self-contained HTML (inline CSS, no script, nothing fetched) laid out for A4
portrait. Every printed page carries the profile's protective marking at its top and foot and
its page number ("Page 2 of 5"), through CSS `@page` margin boxes: Chromium-based browsers
(Chrome, Edge; version 131 or later) print them, and tests/test_print.py checks the PDF that
headless Chromium makes. The marking is also written above and below the content itself, so
that it shows on screen, and on paper from a browser without margin boxes.
Every value from the database or the profile is HTML-escaped (and control characters made
visible); the marking, placed in a CSS string, is escaped for CSS too.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from lado_cli.cli.render import when
from lado_cli.cli.views import visible

_PAGE_CSS = """
@page {
  size: A4 portrait;
  margin: 20mm 14mm 20mm 14mm;
  @top-center { content: MARKING; font: bold 10pt Arial, sans-serif; color: #000; }
  @bottom-center { content: MARKING; font: bold 10pt Arial, sans-serif; color: #000; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt Arial, sans-serif; color: #000; }
}
html { font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Arial, sans-serif; color: #111; }
body { margin: 0 auto; max-width: 186mm; }
p.marking { text-align: center; font-weight: bold; letter-spacing: .05em; margin: .3em 0; }
@media screen { body { margin: 1.5em auto; padding: 0 1em; } }
h1 { font-size: 1.4em; margin: 0 0 .2em 0; }
h2 { font-size: 1.1em; margin: 1.2em 0 .4em 0; break-after: avoid; page-break-after: avoid; }
p.meta { color: #333; margin: .1em 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: 0 0 1em 0; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { padding: .25em .4em; text-align: left; vertical-align: top; overflow-wrap: anywhere; word-break: break-word; }
th { background: #eee; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
th.n, td.n { text-align: right; font-variant-numeric: tabular-nums; }
"""


def css_string(text: str) -> str:
    """`text` as a CSS string literal that cannot end the string or the <style> element."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " -_.,:;()/&'":
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):x} ")
    return '"' + "".join(out) + '"'


def e(value: Any) -> str:
    """A value as HTML text: escaped, control characters shown (never raw)."""
    return html.escape(visible("" if value is None else str(value)), quote=True)


def page(title: str, marking: str, css: str, body: Sequence[str]) -> str:
    """A whole A4 document: `title` in <title>, the marking on every printed page (and at the
    top and end on screen), page numbers, `css` after the shared page style."""
    style = _PAGE_CSS.replace("MARKING", css_string(marking)) + css
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en-GB">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{e(title)}</title>",
        f"<style>{style}</style>",
        "</head>",
        "<body>",
        f'<p class="marking">{e(marking)}</p>',
        *body,
        f'<p class="marking">{e(marking)}</p>',
        "</body>",
        "</html>",
    ]) + "\n"  # fmt: skip


# -- lado due --------------------------------------------------------------------------------

#: Column widths of the due tables (percent of the A4 portrait text width, 182 mm): all six
#: fit side by side, and a long value wraps inside its cell instead of running off the page.
DUE_COLUMNS = (("Ref", 15), ("Time limit", 23), ("Due", 16), ("Adult", 16), ("Employer", 16), ("Owner", 14))

_DUE_CSS = """
h2.overdue { color: #b00020; }
h2.due-today { color: #8a5a00; }
th, td { border: 1px solid #bbb; }
tr.overdue td.due { color: #b00020; font-weight: bold; }
small { color: #444; }
p.counts { font-weight: bold; }
"""


def due_html(report: Sequence[Mapping[str, Any]], now: datetime, until: datetime, authority: str, tz: ZoneInfo, marking: str) -> str:
    """The time limits as a page to print for a team meeting, one table per group."""
    from lado_cli.cli.due_views import GROUP_TITLES, _late, footer
    from lado_cli.domain.due import GROUPS, OVERDUE

    title = f"LADO time limits: {authority}"
    body = [
        f"<h1>{e(title)}</h1>",
        f'<p class="meta">As of {e(when(now, tz))}. Upcoming: due by {e(when(until, tz))}. Late is counted in working days.</p>',
        f'<p class="counts">{e(footer(report, until, tz))}</p>',
    ]
    cols = "<colgroup>" + "".join(f'<col style="width: {w}%">' for _, w in DUE_COLUMNS) + "</colgroup>"
    head = "<thead><tr>" + "".join(f"<th>{h}</th>" for h, _ in DUE_COLUMNS) + "</tr></thead>"
    for group in GROUPS:
        rows = [r for r in report if r["status"] == group]
        body.append(f'<h2 class="{group}">{GROUP_TITLES[group]} ({len(rows)})</h2>')
        if not rows:
            body.append("<p>None.</p>")
            continue
        body += [f'<table class="{group}">', cols, head, "<tbody>"]
        for r in rows:
            what = f"{e(r['kind'])} ({e(r['rule'])})" + (f"<br><small>{e(r['title'])}</small>" if r.get("title") else "")
            due = e(when(r["due"], tz)) + (f"<br>{e(_late(r))}" if group == OVERDUE else "")
            cells = [f"<td>{e(r['ref'])}</td>", f"<td>{what}</td>", f'<td class="due">{due}</td>']
            cells += [f"<td>{e(r.get(k) or '')}</td>" for k in ("subject", "employer", "owner")]
            body.append(f'<tr class="{group}" data-id="{int(r["id"])}">' + "".join(cells) + "</tr>")
        body += ["</tbody>", "</table>"]
    return page(title, marking, _DUE_CSS, body)


# -- lado stats ------------------------------------------------------------------------------

_STATS_CSS = """
table { page-break-inside: avoid; break-inside: avoid; }
caption { text-align: left; font-weight: bold; padding-bottom: .3em; }
th, td { border-bottom: 1px solid #ccc; }
col.n, col.s { width: 9%; }
col.bar { width: 30%; }
td.bar { padding-right: 0; }
.bar span { display: inline-block; height: .8em; background: #345; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
tfoot td { color: #555; font-size: .9em; border: none; }
"""


def _bar(percent: float | None) -> str:
    """A bar on the one scale of the whole page: its length is the row's percentage, the full
    column being 100% of what that table's percentages are of."""
    if not percent:
        return '<td class="bar"></td>'
    width = min(100.0, max(0.0, float(percent)))
    return f'<td class="bar"><span style="width: {width:.1f}%"></span></td>'


def _table(caption: str, headers: list[tuple[str, str]], rows: list[str], foot: str | None = None) -> str:
    """headers: (text, kind) with kind "" (text, the width left), "s" (short text), "n" (a number,
    right-aligned; the same width in every table) or "bar"."""
    cols = "<colgroup>" + "".join(f'<col class="{k}">' if k else "<col>" for _, k in headers) + "</colgroup>"
    head = "".join(f'<th class="{k}">{e(h)}</th>' if k == "n" else f"<th>{e(h)}</th>" for h, k in headers)
    tfoot = f'<tfoot><tr><td colspan="{len(headers)}">{e(foot)}</td></tr></tfoot>' if foot else ""
    return f"<table><caption>{e(caption)}</caption>{cols}<thead><tr>{head}</tr></thead>{tfoot}<tbody>{''.join(rows)}</tbody></table>"


def stats_html(report: dict[str, Any], tz: ZoneInfo, marking: str) -> str:
    """The statistics return as a page to print: every section a table, numbers right-aligned
    in columns of one width on every table, bars on one scale (percent)."""
    from lado_cli.cli.stats import SECTIONS, _heading, _of, _pct, _yes_no

    def num(value: Any) -> str:
        return f'<td class="n">{e(value)}</td>'

    def pct(value: float | None) -> str:
        return num(_pct(value))

    def breakdown(caption: str, data: dict[str, Any], of: str) -> str:
        rows = [f"<tr><td>{e(r['label'])}</td>{num(r['count'])}{pct(r['percent'])}{_bar(r['percent'])}</tr>" for r in data["rows"]]
        return _table(caption, [("", ""), ("Count", "n"), ("%", "n"), ("", "bar")], rows, f"Percentages of {_of(data['total'], of)}.")

    head, *notes = _heading(report, tz)
    body = [f"<h1>{e(head)}</h1>", *(f'<p class="meta">{e(n)}</p>' for n in notes)]
    body.append('<p class="meta">Bars: the share of what each table counts, the full width being 100%.</p>')
    for key, title, of in SECTIONS:
        body.append(breakdown(title, report[key], of))
    rows = [f"<tr><td>{e(k['kind'])}</td><td>{e(k['rule'])}</td>{num(k['met_on_time'])}{num(k['met_late'])}{num(k['open'])}"
            f"{num(k['overdue'])}{num(k['not_applicable'])}{pct(k['on_time_percent'])}</tr>"
            for k in report["timeliness"]]  # fmt: skip
    body.append(_table("Timeliness (R12-R17)", [("Time limit", ""), ("Rule", "s"), ("On time", "n"), ("Late", "n"), ("Open", "n"),
                                                ("Overdue", "n"), ("N/A", "n"), ("Rate", "n")], rows,
                       "Rate = met on time / (met on time + met late + overdue); limits still in time are left out."))  # fmt: skip
    res = report["resolution"]
    body.append(breakdown("Time from referral to outcome (R28a)", res, "referral with an outcome"))
    rows = [f"<tr><td>{e(g['label'])}</td>{num(g['cases'])}{num(g['within'])}{pct(g['percent'])}<td>{e(_yes_no(g['met']))}</td></tr>"
            for g in res["targets"]]  # fmt: skip
    body.append(_table("Resolution targets (R28a)", [("Target", ""), ("Cases", "n"), ("Within", "n"), ("%", "n"), ("Met", "s")], rows,
                       "The one-week target counts every referral with one of those outcomes."))  # fmt: skip
    body.append(breakdown(f"Open caseload at {when(report['open_at'], tz)} (R36)", report["open_longer_than"], "referral open then, whenever received"))
    rows = []
    for key, name in (("dbs_referrals", "Disclosure and Barring Service (R30)"), ("regulator_referrals", "Regulator (R31)")):
        d = report[key]
        made, outstanding = (r["count"] for r in d["rows"])
        rows.append(f"<tr><td>{e(name)}</td>{num(d['total'])}{num(made)}{num(outstanding)}</tr>")
    body.append(_table("DBS (R30) and regulator (R31) referrals", [("Referral", ""), ("Raised", "n"), ("Made", "n"), ("Not made yet", "n")], rows,
                       "Duties raised by the outcomes of the period's referrals."))  # fmt: skip
    return page(head, marking, _STATS_CSS, body)
