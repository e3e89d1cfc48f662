"""`lado rules [ID]`: the procedure rulebook shipped with lado (docs/procedure.md, in the
package as lado_cli/procedure.md), one rule by its id or the list of ids and titles."""

from __future__ import annotations

import re
from importlib import resources

import typer

from lado_cli.errors import LadoError

#: A rule's heading in docs/procedure.md: `### R12 The referrer tells the LADO`.
HEADING = re.compile(r"^### (R\d+[a-z]?) (.+)$", re.M)


def rulebook() -> str:
    return resources.files("lado_cli").joinpath("procedure.md").read_text(encoding="utf-8")


def parse_rules(text: str) -> dict[str, tuple[str, str]]:
    """{id: (title, body)} in the order of the rulebook; the body is the text up to the next heading."""
    out: dict[str, tuple[str, str]] = {}
    matches = list(HEADING.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        body = re.split(r"^#{1,3} ", text[m.end():end], flags=re.M)[0]  # stop at a section heading too
        out[m[1]] = (m[2].strip(), body.strip())
    return out


def rules(
    rule_id: str = typer.Argument(None, metavar="ID", help="A rule id such as R12 or R37a (any letter case). Without it: every id and title."),
) -> None:
    """Print a rule of the LADO procedure that lado follows (docs/procedure.md), or the list of rules."""
    rules_ = parse_rules(rulebook())
    if rule_id is None:
        width = max(len(k) for k in rules_)
        for key, (title, _) in rules_.items():
            typer.echo(f"{key:<{width}}  {title}")
        return
    wanted = rule_id.strip().upper().replace(" ", "")
    for key, (title, body) in rules_.items():
        if key.upper() == wanted:
            typer.echo(f"{key} {title}\n")
            typer.echo(rewrapped(body))
            return
    ids = list(rules_)
    raise LadoError(f"rule id: '{rule_id}' is not a rule of the procedure; expected one of {ids[0]}-{_last_plain(ids)}, " + ", ".join(k for k in ids if not k[1:].isdigit()), usage=True)


def _last_plain(ids: list[str]) -> str:
    return [k for k in ids if k[1:].isdigit()][-1]


def rewrapped(body: str) -> str:
    """The rule's paragraphs and list items wrapped to the terminal (60 to 100 columns); tables
    as written (a wrapped table row would not read as one)."""
    import shutil
    import textwrap

    width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 100)
    out = []
    for block in body.split("\n\n"):
        if block.startswith("|"):
            out.append(block)
            continue
        items = re.split(r"\n(?=\d+\. )", block)  # a numbered list: one item at a time
        out.append("\n".join(
            textwrap.fill(" ".join(item.split()), width=width, subsequent_indent="   " if re.match(r"\d+\. ", item) else "",
                          break_long_words=False, break_on_hyphens=False)
            for item in items
        ))  # fmt: skip
    return "\n\n".join(out)

