"""Hostile input (issue 6, item 7): the CSV importer, the profile loader and the date parser
fuzzed with hypothesis; names and summaries full of quotes, SQL, emoji, right-to-left text,
combining marks and control characters stored as typed, and shown safely: terminal escapes
made visible instead of obeyed, rich markup printed literally, HTML escaped."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import string
import sys
import unicodedata
from contextlib import closing
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REFERRAL, with_flags
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lado_cli.domain.dates import parse_date, parse_instant
from lado_cli.domain.profile import TIME_LIMIT_KINDS, TOP_LEVEL_KEYS, Profile, parse_profile
from lado_cli.domain.transfer import COLUMNS
from lado_cli.errors import FieldError, LadoError
from lado_cli.profiles import default_raw, read_profile

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
LONDON = ZoneInfo("Europe/London")
ROW = {  # a valid import row (LADO_NOW is 23/12/2026)
    "subject-name": "Daniel Price", "subject-dob": "14/03/1986", "subject-role": "PE teacher", "employment": "paid",
    "employer": "Oak Primary School", "sector": "education", "concern-arose": "02/11/2026 15:10", "received": "03/11/2026 09:05",
    "source": "parent-carer", "category": "physical", "summary": "Pulled a pupil by the arm.", "criteria": "harm",
    "child-name": "Oliver Hughes", "child-dob": "22/06/2017", "referrer-name": "Sarah Khan", "referrer-role": "Head teacher",
    "referrer-org": "Oak Primary School", "referrer-contact": "01632 960101",
}  # fmt: skip


def count(table: str) -> int:
    with closing(sqlite3.connect(os.environ["LADO_DB"])) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def stored() -> tuple[int, ...]:
    return tuple(count(t) for t in ("cases", "subjects", "children", "deadlines", "duties", "events", "ref_counters"))


# -- (a) the CSV importer ------------------------------------------------------------------------

# Cells a spreadsheet (or an attacker) may hold: CSV syntax, line breaks, NUL, control
# characters, formulas, a BOM, long text, anything at all.
NASTY = ['"', '""', ",", "\n", "\r\n", "\r", "\x00", "\x1b[31m", "\t", ";", "'", "=cmd|' /C calc'!A0", "\ufeff", "\u202e",
         "😀", "é", "e\u0301", "0", "-1", "31/02/2026", "2026-13-01", "00/00/0000", "9" * 40, "yes", "none", " "]  # fmt: skip
cell = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(blacklist_categories=["Cs"]), max_size=30),
    st.text(alphabet=string.digits + "/-: T+Z", max_size=20),  # date-like
    st.lists(st.sampled_from(NASTY), max_size=4).map("".join),
)


def run_import(lado, path: Path):
    """Run `lado import` on a file; check the one contract: a clean exit 0, or exit 1/2 with an
    `Error:` line, never a crash, and nothing written unless it succeeded."""
    before = stored()
    r = lado("import", str(path))  # LADO_DEBUG=1: an unexpected exception fails the test with its traceback
    after = stored()
    assert r.exit_code in (0, 1, 2), (r.exit_code, r.stdout, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr and "Error: unexpected" not in r.stderr
    assert "\x1b" not in r.stdout + r.stderr  # the file's escape sequences are not echoed raw to the terminal
    if r.exit_code == 0:
        out = r.stdout.strip()
        if "no data rows" in out:
            assert after == before
        else:
            added = int(out.split(": ", 1)[1].split(" added")[0])
            assert after[0] == before[0] + added, out
    else:
        lines = r.stderr.strip().splitlines()
        assert lines and lines[-1].startswith("Error: "), r.stderr
        assert after == before, f"a failed import wrote something: {r.stderr}"
    return r


@pytest.fixture
def fuzz_env(lado, monkeypatch):
    """A migrated database, and LADO_DEBUG=1: an unexpected exception escapes with its traceback."""
    assert lado("list").exit_code == 0
    monkeypatch.setenv("LADO_DEBUG", "1")


@FUZZ
@given(data=st.binary(max_size=3000), header=st.booleans())
@example(data=b"\x00\xff\xfe", header=False)
@example(data=b'"unterminated,\r\n', header=True)
def test_import_of_random_bytes_never_crashes(lado, fuzz_env, tmp_path, data, header):
    path = tmp_path / "bytes.csv"
    path.write_bytes((",".join(ROW) + "\r\n").encode() + data if header else data)
    run_import(lado, path)


@FUZZ
@given(
    columns=st.lists(st.one_of(st.sampled_from(COLUMNS), st.text(max_size=12).filter(lambda t: "\x00" not in t)), min_size=1, max_size=12),
    cells=st.lists(st.lists(cell, max_size=14), max_size=6),
)
@example(columns=[*ROW, "\x1b]0;pwned\x07"], cells=[list(ROW.values())])  # an unknown column is named in a warning
def test_import_of_random_rows_never_crashes(lado, fuzz_env, tmp_path, columns, cells):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    w.writerows(cells)
    path = tmp_path / "rows.csv"
    path.write_bytes(buf.getvalue().encode("utf-8", "surrogatepass"))
    run_import(lado, path)


@FUZZ
@given(
    rows=st.lists(st.dictionaries(st.sampled_from(list(ROW) + ["ref", "outcome", "outcome-date", "closed", "employment-outcome"]), cell, max_size=3),
                  min_size=1, max_size=4),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
)
@example(rows=[{"subject-dob": "\x1b[2J\x1b[31m"}], encoding="utf-8")  # a bad value is quoted in the row's problem line
@example(rows=[{}, {"subject-name": "Adult 0"}], encoding="utf-8-sig")
def test_import_of_valid_rows_with_hostile_cells_never_crashes(lado, fuzz_env, tmp_path, rows, encoding):
    """Each row a valid one with a few cells replaced: the checks after the header are reached."""
    columns = [*ROW, "ref", "outcome", "outcome-date", "closed", "employment-outcome"]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for i, change in enumerate(rows):
        w.writerow([{**ROW, "subject-name": f"Adult {i}", **change}.get(c, "") for c in columns])
    path = tmp_path / "mutated.csv"
    path.write_bytes(buf.getvalue().encode(encoding, "replace"))
    run_import(lado, path)


def test_a_ref_cannot_carry_markup_or_escapes_into_tables(lado, tmp_path):
    """An imported `ref` is shown in every table and typed in commands: one such as "A[/]" used to
    make `lado list`, `lado due` and `lado show` fail with "unexpected MarkupError"."""
    for bad in ("A[/]", "[#FF0000]X", "X\x1b[2J", "LADO 2019 1", "<b>1</b>"):
        path = tmp_path / "ref.csv"
        buf = io.StringIO()
        csv.writer(buf).writerows([["ref", *ROW], [bad, *ROW.values()]])
        path.write_text(buf.getvalue(), encoding="utf-8")
        r = lado("import", str(path))
        assert r.exit_code == 1 and "column ref:" in r.stderr and "is not usable as a case reference" in r.stderr, r.stderr
        assert "\x1b" not in r.stderr
    path.write_text(f"ref,{','.join(ROW)}\r\nold/2019.7_b,{','.join(ROW.values())}\r\n", encoding="utf-8")
    assert lado("import", str(path)).exit_code == 0
    assert "OLD/2019.7_B" in lado("list").stdout


# -- (b) the profile loader --------------------------------------------------------------------------

SUB_KEYS = sorted(
    {"days", "start", "end", "emergency", "out_of_hours", "label", "value", "rule", "from", "working_days", "hours", "also_hours",
     "complex_working_days", "steps", "who", "response_working_days", "practice_review_from_step", "years", "action", "forceable",
     "when", "outcomes", "employment", "regulator", "lado-to-agency", "agency-to-lado", "police", "harm", "substantiated",
     "dbs-referral", *TIME_LIMIT_KINDS}  # fmt: skip
)
key = st.one_of(st.sampled_from(SUB_KEYS), st.text(max_size=8))
scalar = st.one_of(
    st.booleans(), st.integers(-10, 10**20), st.floats(), st.text(st.characters(blacklist_categories=["Cs"]), max_size=20),
    st.sampled_from(["09:00", "17:30", "25:00", "mon", "sun", "R12", "R99x", "Europe/London", "Mars/Olympus", "LADO", "england-wales", ""]),
    st.dates(), st.datetimes(),
)
value = st.recursive(scalar, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(key, inner, max_size=4)), max_leaves=12)


def toml_key(k: str) -> str:
    return k if k and all(c.isascii() and (c.isalnum() or c in "_-") for c in k) else json.dumps(k, ensure_ascii=False)


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return "nan" if v != v else ("inf" if v > 0 else "-inf") if v in (float("inf"), float("-inf")) else repr(v)
    if isinstance(v, (int, date)):
        return str(v) if isinstance(v, int) else v.isoformat()
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"


def toml(d: dict) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in d.items())


def loads_or_lado_error(text: str, base=True) -> Profile | None:
    """A profile that works, or one LadoError of one line naming the file: nothing else."""
    try:
        profile = parse_profile(text, "fuzz.toml", base=default_raw() if base else None)
    except LadoError as err:
        message = str(err)
        assert message.startswith("profile fuzz.toml: ") and "\n" not in message and "\r" not in message, message
        return None
    json.dumps(profile.to_dict())  # what `lado profile show` does with it
    profile.calendar().tz  # noqa: B018 - and every date computation
    return profile


@FUZZ
@given(over=st.dictionaries(st.one_of(st.sampled_from(TOP_LEVEL_KEYS), key), value, max_size=4))
@example(over={"[": []})  # a key starting with "[" used to crash naming it (IndexError)
@example(over={"0\n": []})  # a key ending in a newline was named on two lines
@example(over={"ladders": {"agency-to-lado": {"steps": [{"[2]": 1}]}}})
def test_profile_of_random_settings_gives_a_profile_or_one_line_error(over):
    loads_or_lado_error(toml(over))


@FUZZ
@given(path=st.lists(st.integers(0, 30), min_size=1, max_size=4), new=value, drop=st.booleans())
def test_default_profile_with_one_value_changed_gives_a_profile_or_one_line_error(path, new, drop):
    """A whole profile, the default with one value anywhere replaced or removed: every check of
    the validator is reachable, not only the merge."""
    whole = default_raw()
    node = whole
    for depth, step in enumerate(path, 1):
        k = list(node)[step % len(node)] if isinstance(node, dict) else step % len(node)
        if depth < len(path) and isinstance(node[k], (dict, list)) and node[k]:
            node = node[k]  # go down a level
            continue
        if drop:
            del node[k]
        else:
            node[k] = new
        break
    changed = whole != default_raw()
    profile = loads_or_lado_error(toml(whole), base=False)
    if not changed:  # e.g. a value replaced by itself: the default written out whole is valid
        assert profile is not None
    if profile is not None:  # accepted: the same text always gives the same profile
        assert parse_profile(toml(whole), "fuzz.toml", base=None).to_dict() == profile.to_dict()


@FUZZ
@given(text=st.one_of(
    st.text(),
    st.lists(st.sampled_from(["[", "]", "[[", "]]", "=", '"', "'", '"""', "{", "}", ",", ".", "\n", " ", "#", "name", "contacts",
                              "time_limits", "notify-lado", "hours", "1", "-", "true", "1979-05-27", "x"]), max_size=40).map("".join),
))
@example(text="x = " + "[" * 3000 + "]" * 3000)  # used to escape as RecursionError
@example(text="x = " + "{a=" * 3000 + "1" + "}" * 3000)
@example(text="[" + ".".join(["a"] * 3000) + "]")
@example(text='"\\n\\r" = 1\n')
def test_profile_of_random_text_gives_a_profile_or_one_line_error(text):
    loads_or_lado_error(text)


@FUZZ
@given(data=st.binary(max_size=500))
def test_profile_file_of_random_bytes_gives_a_one_line_error(tmp_path, data):
    path = tmp_path / "p.toml"
    path.write_bytes(data)
    try:
        read_profile(path)
    except LadoError as err:
        assert "\n" not in str(err)


@pytest.mark.parametrize("text", ['[sources]\n"police\\n" = "Police"', '[working_hours]\nstart = "09:00\\n"', '[contacts.police]\nvalue = "101"\n"x\\n" = 1'])
def test_a_value_or_key_with_a_trailing_newline_is_refused(text):
    """Patterns ending in "$" also match before a final newline: the slug "police\\n" was accepted."""
    with pytest.raises(LadoError) as caught:
        parse_profile(text, "p.toml", base=default_raw())
    assert "\n" not in str(caught.value)


def test_deeply_nested_profile_is_a_clear_error_at_the_command_line(lado, tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000)
    r = lado("--profile", str(path), "list")
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: profile {path}: arrays or tables nested too deeply"), r.stderr


# -- (c) the date parser: what tests/test_dates.py does not fuzz yet ------------------------------

WALL = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 12, 31, 23, 59))


@settings(max_examples=300, deadline=None)
@given(wall=WALL.map(lambda d: d.replace(second=0, microsecond=0)), iso=st.booleans())
@example(wall=datetime(2026, 3, 29, 1, 30), iso=False)  # skipped when the clocks go forward
@example(wall=datetime(2026, 10, 25, 1, 30), iso=True)  # repeated when they go back
def test_a_uk_local_time_reads_back_as_itself_or_is_refused_at_a_clock_change(wall, iso):
    text = wall.strftime("%Y-%m-%d %H:%M" if iso else "%d/%m/%Y %H:%M")
    first, second = wall.replace(tzinfo=LONDON, fold=0), wall.replace(tzinfo=LONDON, fold=1)
    exists = first.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == wall
    try:
        instant = parse_instant(text, "f", LONDON)
    except FieldError as err:
        if not exists:
            assert "does not exist in UK time" in err.problem
        else:
            assert first.utcoffset() != second.utcoffset() and "is ambiguous in UK time" in err.problem, err
        return
    assert exists and first.utcoffset() == second.utcoffset()
    assert instant.tzinfo is not None and instant.utcoffset() == timedelta(0)
    assert instant.astimezone(LONDON).replace(tzinfo=None) == wall


@settings(max_examples=200, deadline=None)
@given(wall=WALL.map(lambda d: d.replace(microsecond=0)), minutes=st.integers(-23 * 60 - 59, 23 * 60 + 59), sep=st.sampled_from("T "))
def test_an_instant_with_its_offset_reads_back_exactly(wall, minutes, sep):
    aware = wall.replace(tzinfo=timezone(timedelta(minutes=minutes)))
    assert parse_instant(aware.isoformat(sep=sep), "f", LONDON) == aware
    assert parse_instant(aware.astimezone(UTC).strftime(f"%Y-%m-%d{sep}%H:%M:%SZ"), "f", LONDON) == aware


NON_ASCII_DIGITS = [c for c in map(chr, range(0x660, 0x1D7FF)) if unicodedata.category(c) == "Nd" and not c.isascii()]


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), where=st.integers(0, 9), digit=st.sampled_from(NON_ASCII_DIGITS))
def test_digits_of_other_scripts_are_refused(day, where, digit):
    """int() reads "٢٠٢٦" as 2026; the parser must not (a date is typed in ASCII digits)."""
    text = day.strftime("%d/%m/%Y")
    positions = [i for i, c in enumerate(text) if c.isdigit()]
    i = positions[where % len(positions)]
    text = text[:i] + digit + text[i + 1:]
    with pytest.raises(FieldError):
        parse_date(text, "f")
    with pytest.raises(FieldError):
        parse_instant(text + " 10:00", "f", LONDON)


# -- (d) names and summaries: stored faithfully, shown safely -------------------------------------

HOSTILE = {
    "quotes": "O'Brien \"Jr\" `x` \\back\\slash",
    "sql": "Robert'); DROP TABLE cases;--",
    "emoji": "Zoë 😀 Ñuñez 👩‍👧‍👦 🏳️‍🌈",
    "hebrew": "דוד כהן",
    "arabic": "محمد الأحمد",
    "rtl-override": "Ann \u202egnp.exe\u202c Smith",
    "combining": "Åsa Ze\u0301\u0300bo Z\u0336a\u0336l\u0336g\u0336o\u0336",
    "control": "Tab\there \x07bell \x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x1b[2J\x1b[H \x9b31m \x7f",
    "markup": "[bold]bold[/bold] [/] [link=https://evil.example]x[/link] [red]",
    "html": "<script>alert('x')</script> & &amp; <img src=x onerror=alert(1)>",
}
ESCAPES = ("\x1b[31m", "\x1b]0;", "\x1b[2J", "\x1b[H", "\x9b", "\x07", "\x7f")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)  # stored in NFC, one spelling of each accent (issue 12)


def name_stored(text: str) -> str:
    return nfc(" ".join(text.split()))  # names keep one spelling of their spacing (tab included)


@pytest.fixture
def hostile_cases(lado):
    """One referral per hostile text, the text in every free-text field."""
    refs = {}
    for i, (what, text) in enumerate(HOSTILE.items()):
        args = with_flags(REFERRAL, subject_name=f"{text} {i}", employer=text, subject_role=text, summary=f"{text}\nsecond line",
                          child_name=f"{text} child", referrer_name=text, referrer_org=text, referrer_contact=text)  # fmt: skip
        r = lado("refer", "--no-input", *args)
        assert r.exit_code == 0, (what, r.stderr)
        refs[what] = r.stdout.strip().splitlines()[-1]
    return refs


def test_hostile_text_is_stored_and_given_back_exactly(lado, hostile_cases):
    for i, (what, text) in enumerate(HOSTILE.items()):
        r = lado("show", hostile_cases[what], "--format", "json")
        assert r.exit_code == 0, r.stderr
        case = json.loads(r.stdout)
        assert case["subject"]["name"] == name_stored(f"{text} {i}"), what
        assert case["subject"]["role"] == nfc(text.strip()) and case["employer"]["name"] == name_stored(text), what
        assert case["summary"] == nfc(f"{text}\nsecond line".strip()), what
        assert case["children"][0]["name"] == name_stored(f"{text} child"), what
        assert case["referrer"] == {"name": name_stored(text), "role": "Head teacher", "organisation": nfc(text.strip()), "contact": nfc(text.strip())}, what
    # The SQL was data, not a statement: the tables are all there, one row per case.
    assert count("cases") == len(HOSTILE) and count("subjects") == len(HOSTILE)
    # Search by a part of a hostile name (LIKE wildcards and quotes are literal).
    r = lado("list", "--subject", "'); DROP", "-f", "json")
    assert [c["ref"] for c in json.loads(r.stdout)] == [hostile_cases["sql"]]
    assert json.loads(lado("list", "--subject", "%", "-f", "json").stdout) == []


@pytest.mark.parametrize("command", [["show", "{ref}"], ["list"], ["due"], ["refer-again"]])
def test_tables_show_control_characters_and_markup_as_text_never_obey_them(lado, hostile_cases, monkeypatch, command):
    monkeypatch.setenv("COLUMNS", "400")  # one line per row, so the text can be looked for whole
    outputs = []
    for what, ref in hostile_cases.items():
        if command == ["refer-again"]:  # the R11a history table and the "Saved" line show the earlier case
            r = lado("refer", "--no-input", *with_flags(REFERRAL, subject_name=f"{HOSTILE[what]} {list(HOSTILE).index(what)}"))
        else:
            r = lado(*[a.format(ref=ref) for a in command])
        assert r.exit_code == 0, (what, r.stderr)
        outputs.append(r.stdout + r.stderr)
        if command in (["list"], ["due"]):
            break  # one run shows them all
    out = "\n".join(outputs)
    assert not any(e in out for e in ESCAPES), [e for e in ESCAPES if e in out]
    assert "\u241b[31mRED\u241b[0m" in out and "\u241b]0;pwned\u2407" in out  # shown, as ␛ and ␇
    if command in (["show", "{ref}"], ["list"]):
        assert "[bold]bold[/bold] [/] [link=https://evil.example]x[/link] [red]" in out  # markup printed, not applied
        assert "Robert'); DROP TABLE cases;--" in out and "<script>alert('x')</script>" in out
        for what in ("emoji", "hebrew", "arabic", "combining"):
            assert nfc(HOSTILE[what]) in out, what
        assert "Ann <U+202E>gnp.exe<U+202C> Smith" in out and "\u202e" not in out  # the override shown, not obeyed


def test_a_real_terminal_gets_no_escape_from_the_data(hostile_cases, tmp_path):
    """`lado show` on a pseudo-terminal, colours on: rich's own styling only."""
    pexpect = pytest.importorskip("pexpect")
    env = dict(os.environ, TERM="xterm-256color", COLUMNS="200", LINES="50")
    env.pop("LADO_DEBUG", None)
    child = pexpect.spawn(sys.executable, ["-m", "lado_cli", "show", hostile_cases["control"]], env=env, dimensions=(50, 200), encoding="utf-8", timeout=30)
    child.expect(pexpect.EOF)
    child.close()
    screen = child.before
    assert child.exitstatus == 0, screen
    assert "\x1b[" in screen  # rich styles it: this is a colour terminal...
    assert not any(e in screen for e in ("\x1b]0;", "\x1b[2J", "\x1b[H", "\x9b", "\x07")), screen  # ...but the data's escapes are not sent
    assert "\u241b]0;pwned\u2407" in screen


def test_html_pages_escape_every_value(lado, hostile_cases, tmp_path, monkeypatch):
    ref = hostile_cases["html"]
    r = lado("meeting", ref, "--no-input", "--type", "strategy-discussion", "--held", "23/12/2026 09:45",
             "--action", "<script>alert('t')</script> & co; <b onmouseover=alert(2)>Bob</b>; 30/12/2026")  # fmt: skip
    assert r.exit_code == 0, r.stderr
    # The authority's own profile may hold markup too (its name heads both pages).
    profile = tmp_path / "profile.toml"
    profile.write_text('name = "<script>alert(3)</script> Council"\n[sources]\nparent-carer = "Parent <i>or</i> carer"\n'
                       'child = "Child"\ncolleague = "Colleague"\n', encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("LADO_PROFILE", str(profile))
    pages = {
        "due": lado("due", "--format", "html", "--within", "30"),
        "stats": lado("stats", "--format", "html", "--from", "01/12/2026", "--to", "31/12/2026"),
    }
    for name, r in pages.items():
        assert r.exit_code == 0, (name, r.stderr)
        page = r.stdout.lower()
        for tag in ("<script", "<img", "<b ", "<i>"):
            assert tag not in page, (name, tag)  # no live tag from the data (the pages have no scripts of their own)
        assert "&lt;script&gt;alert(3)&lt;/script&gt; council" in page, name
        assert not any(e in page for e in ESCAPES), name
    due = pages["due"].stdout
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &amp;amp; &lt;img src=x onerror=alert(1)&gt;" in due
    assert "&lt;script&gt;alert(&#x27;t&#x27;)&lt;/script&gt; &amp; co" in due  # an action's title...
    assert "&lt;b onmouseover=alert(2)&gt;Bob&lt;/b&gt;" in due  # ...and its owner
    assert "Parent &lt;i&gt;or&lt;/i&gt; carer" in pages["stats"].stdout
