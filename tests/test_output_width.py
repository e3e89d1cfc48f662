"""Human output at any width from 60 columns, and piped (issue #13, item 2): nothing is cut
off (lines fit the width; long values wrap, too-wide tables are shown row by row), nothing
is padded with trailing spaces when piped, and `show` gives labels, not slugs, for every
saved fact. Widths come from COLUMNS, as on a terminal; without it the output is "piped".

NOW (conftest) is Wed 23/12/2026 10:00; the checks run at 20/01/2027, when two limits are overdue.
"""

from __future__ import annotations

import pytest
from conftest import REFERRAL, with_flags
from rich.cells import cell_len

REF = "LADO-2026-0001"
ADULT = "Samantha Carter-Wellington"
OWNER = "Christine Owner-Longname"
EMPLOYER = "St Bartholomew's Church of England Primary Academy"
LATER = "2027-01-20 10:00"
WIDTHS = [60, 80, 120]


@pytest.fixture
def busy_case(lado, monkeypatch) -> None:
    args = with_flags(REFERRAL, subject_name=ADULT, employer=EMPLOYER, subject_role="Head of Physical Education",
                      source="other", criteria="suitability")  # fmt: skip
    r = lado("refer", "--no-input", *args, "--source-detail", "Anonymous letter to the governors", "--criteria", "harm",
             "--suitability", "safe-practice", "--subject-status", "working-with-changes", "--regulator", "Teaching Regulation Agency")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    monkeypatch.setenv("LADO_NOW", LATER)
    for args in (
        ["discuss", REF, "--no-input", "--held", "05/01/2027 10:00", "--criteria", "harm", "--rationale", "Marks seen.",
         "--route", "employer", "--employer-action", "management", "--suspension", "alternative-duties"],
        ["meeting", REF, "--no-input", "--type", "review", "--held", "06/01/2027 10:00",
         "--action", f"Write to the parents about the outcome of the investigation; {OWNER}; 08/01/2027"],
    ):  # fmt: skip
        r = lado(*args)
        assert r.exit_code == 0, r.stderr


def words(text: str) -> str:
    return " ".join(text.split())


def whole_words(value: str, out: str) -> bool:
    """Every word of `value` appears whole in `out` (a table may put them on separate lines)."""
    return set(value.split()) <= set(out.split())


COMMANDS = [["due"], ["list"], ["show", REF], ["stats", "--from", "01/04/2026", "--to", "31/03/2027"], ["audit"], ["profile", "show"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_nothing_is_cut_at_any_width(lado, busy_case, monkeypatch, width, command):
    monkeypatch.setenv("COLUMNS", str(width))
    r = lado(*command)
    assert r.exit_code == 0, r.stderr
    long = [line for line in r.stdout.splitlines() if cell_len(line) > width]
    assert not long, f"lines over {width} columns:\n" + "\n".join(long)
    assert "…" not in r.stdout  # rich's ellipsis: a value cut short
    if command[0] in ("due", "list", "show"):
        assert any(REF in line for line in r.stdout.splitlines())  # the reference whole, on one line
        assert whole_words(ADULT, r.stdout)  # names wrap only between words, never mid-word
    if command[0] == "due":
        assert whole_words(OWNER, r.stdout)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_piped_output_has_whole_lines_without_padding(lado, busy_case, monkeypatch, command):
    monkeypatch.delenv("COLUMNS", raising=False)
    r = lado(*command)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert [line for line in lines if line != line.rstrip()] == []
    assert "…" not in r.stdout
    if command[0] in ("due", "list"):
        assert any(ADULT in line for line in lines)  # not wrapped: one line per value, for mail and grep


def test_show_gives_labels_and_every_saved_fact(lado, busy_case, monkeypatch):
    monkeypatch.setenv("COLUMNS", "100")
    out = words(lado("show", REF).stdout)
    for label in ("Working on alternative duties, away from children",  # subject status
                  "Went against safe-working practice guidance",        # R5 indicator
                  "Anonymous letter to the governors",                  # source detail
                  "Teaching Regulation Agency",                          # regulator (R31)
                  "Alternative duties away from children instead",      # suspension (R24)
                  "Paid employee", "Other (say which)"):                 # employment, source  # fmt: skip
        assert label in out, label
    for slug in ("working-with-changes", "alternative-duties", "safe-practice", "parent-carer"):
        assert slug not in out, slug


def test_list_calls_its_count_overdue_limits(lado, busy_case, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    out = lado("list").stdout
    assert "Overdue limits" in words(out)
    row = next(line for line in out.splitlines() if REF in line)
    assert row.split()[4] == "2"  # employer-action (R16) and the action (R20), both due 08/01/2027
