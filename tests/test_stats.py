"""`lado stats`: the statistics return (R36, R28a), checked figure by figure against a small
data set built through the real CLI and counted by hand below.

The period is June 2026, in British Summer Time, so a UTC date and a UK date differ near
midnight: the period's boundaries are UK dates (PROCEDURE §3).

Hand count (every case is recorded with its real times; "now" is the suite's 23/12/2026 10:00):

  case  received (UK)      in June?  kind          notes
  I     31/05/2026 23:30   no        referral      open; the day before the period
  N     30/05/2026 10:00   no        referral      open; exactly one month before 30/06
  L     15/04/2026 10:00   no        referral      open
  M     10/01/2026 10:00   no        referral      open
  J     10/05/2025 10:00   no        referral      open
  H     01/07/2026 00:30   no        referral      the day after the period (23:30 UTC on 30/06)
  A     01/06/2026 00:30   yes       referral      23:30 UTC on 31/05; routes police + social care (s47),
                                                   suspended, substantiated + dismissed on 01/07 (exactly one month),
                                                   DBS referral done, regulator referral raised not done; stays open
  B     03/06/2026 09:00   yes       referral      historic (happened 01/03/2025), police route, false on 10/06
                                                   (exactly 7 days), closed 11/06
  K     05/06/2026 10:00   yes       referral      police + social care without s47 + employer (management, never
                                                   done: not applicable at closure), suspended, unsubstantiated on
                                                   20/10, closed 21/10 (open at the end of June)
  C     10/06/2026 14:00   yes       referral      happened exactly 12 months before (current), employer only
                                                   (internal), R12 and R16 late, unfounded on 18/06 (8 days), closed 20/06
  D     15/06/2026 10:00   yes       referral      initial discussion exactly at its due time (24 h after the concern:
                                                   on time), employer only, disciplinary hearing (R17) due end of
                                                   07/07, open
  E     20/06/2026 11:00   yes       advice-only   at intake (--criteria none)
  F     22/06/2026 09:30   yes       advice-only   referral said "risk"; the initial discussion found none; closed
  G     30/06/2026 23:30   yes       referral      the last day of the period; no discussion yet; R13 open
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import NOW, REFERRAL, after_first_run_notice, db_execute, db_rows, new_database, with_flags
from typer.testing import CliRunner

JUNE = ["--from", "01/06/2026", "--to", "30/06/2026"]


def case(received: str, concern: str, **flags: str | None) -> list[str]:
    return with_flags(REFERRAL, received=received, concern_arose=concern, **flags)


# The referral flags of each case (the letters of the hand count above).
CASES = {
    "I": case("31/05/2026 23:30", "31/05/2026 23:00"),
    "N": case("30/05/2026 10:00", "30/05/2026 09:00"),
    "L": case("15/04/2026 10:00", "15/04/2026 09:00"),
    "M": case("10/01/2026 10:00", "10/01/2026 09:00"),
    "J": case("10/05/2025 10:00", "09/05/2025 10:00"),
    "H": case("01/07/2026 00:30", "01/07/2026 00:10"),
    "A": case("01/06/2026 00:30", "31/05/2026 20:00", regulator="Teaching Regulation Agency", criteria="harm", sector="education"),
    "B": case("03/06/2026 09:00", "02/06/2026 09:00", happened="01/03/2025 12:00", source="colleague", category="sexual",
              sector="health", criteria="offence"),  # fmt: skip
    "K": case("05/06/2026 10:00", "04/06/2026 10:00", category="sexual", sector="transport", criteria="offence") + ["--criteria", "suitability"],
    "C": case("10/06/2026 14:00", "08/06/2026 10:00", happened="10/06/2025 12:00", source="police", sector="sport", criteria="harm")
    + ["--criteria", "risk"],
    "D": case("15/06/2026 10:00", "15/06/2026 09:00", happened="01/06/2026 12:00", source="child", category="emotional", criteria="suitability"),
    "E": case("20/06/2026 11:00", "20/06/2026 10:00", source="third-party", category="conduct", sector="voluntary", criteria="none"),
    "F": case("22/06/2026 09:30", "22/06/2026 09:00", source="colleague", category="conduct", sector="faith", criteria="risk"),
    "G": case("30/06/2026 23:30", "30/06/2026 23:00", source="self-disclosure", category="neglect", sector="early-years", criteria="harm"),
}


def held(at: str, *criteria: str) -> list[str]:
    return ["--no-input", "--held", at, *[x for c in criteria for x in ("--criteria", c)], "--rationale", "Threshold decision"]


# The workflow after intake, as a LADO would record it (REF names a case above).
WORKFLOW: list[tuple[str, list[str]]] = [
    ("A", ["discuss", "A", *held("01/06/2026 10:00", "harm", "offence"), "--route", "police", "--route", "social-care",
           "--suspension", "suspended", "--named-contact", "HR: Jo Bloggs"]),
    ("A", ["done", "A", "strategy-discussion", "--at", "01/06/2026 16:00"]),
    ("A", ["meeting", "A", "--no-input", "--type", "strategy-meeting", "--held", "12/06/2026 10:00"]),
    ("A", ["outcome", "A", "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "01/07/2026"]),
    ("A", ["done", "A", "dbs-referral", "--at", "03/07/2026 12:00"]),
    ("K", ["discuss", "K", *held("05/06/2026 10:30", "offence", "suitability"), "--route", "police", "--route", "social-care", "--no-s47",
           "--route", "employer", "--employer-action", "management", "--suspension", "suspended", "--named-contact", "HR"]),
    ("K", ["outcome", "K", "--no-input", "--outcome", "unsubstantiated", "--date", "20/10/2026"]),
    ("K", ["done", "K", "feedback", "--at", "21/10/2026 09:00"]),
    ("K", ["close", "K", "--no-input", "--date", "21/10/2026 10:00"]),
    ("B", ["discuss", "B", *held("03/06/2026 11:00", "offence"), "--route", "police", "--suspension", "alternative-duties"]),
    ("B", ["outcome", "B", "--no-input", "--outcome", "false", "--date", "10/06/2026"]),
    ("B", ["done", "B", "feedback", "--at", "10/06/2026 15:00"]),
    ("B", ["close", "B", "--no-input", "--date", "11/06/2026 10:00"]),
    ("C", ["discuss", "C", *held("10/06/2026 15:00", "harm", "risk"), "--route", "employer", "--employer-action", "management"]),
    ("C", ["done", "C", "employer-action", "--at", "19/06/2026 10:00"]),
    ("C", ["outcome", "C", "--no-input", "--outcome", "unfounded", "--date", "18/06/2026"]),
    ("C", ["done", "C", "feedback", "--at", "19/06/2026 11:00"]),
    ("C", ["close", "C", "--no-input", "--date", "20/06/2026 10:00"]),
    ("D", ["discuss", "D", *held("16/06/2026 09:00", "suitability"), "--route", "employer", "--employer-action", "hearing",
           "--suspension", "not-suspended"]),
    ("F", ["discuss", "F", "--no-input", "--held", "22/06/2026 10:00", "--no-criteria", "--rationale", "Low-level concern"]),
    ("F", ["close", "F", "--no-input", "--date", "23/06/2026 10:00"]),
]  # fmt: skip


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, backend, request):
    """The database above, built once (per backend) through the real CLI; tests only read it."""
    from lado_cli.cli.app import app

    db = new_database(backend, request, tmp_path_factory.mktemp("stats"), "lado")
    env = {"LADO_DB": str(db), "LADO_NOW": NOW, "LADO_USER": "tester", "COLUMNS": "120", "TERM": "dumb",
           "LADO_PROFILE": None, "LADO_NO_INPUT": None, "LADO_DEBUG": None}  # fmt: skip
    runner, refs = CliRunner(), {}
    for name, args in CASES.items():
        r = runner.invoke(app, ["refer", "--no-input", "--yes", *args], env=env, catch_exceptions=False)
        assert r.exit_code == 0, (name, r.stderr)
        refs[name] = r.stdout.splitlines()[-1]
    for name, args in WORKFLOW:
        argv = [refs[name] if a == name and i == 1 else a for i, a in enumerate(args)]
        r = runner.invoke(app, argv, env=env, catch_exceptions=False)
        assert r.exit_code == 0, (argv, r.stderr)
    return db, refs


@pytest.fixture
def data(dataset, monkeypatch):
    monkeypatch.setenv("LADO_DB", str(dataset[0]))
    return dataset[1]


def ok(r):
    assert r.exit_code == 0, r.stderr
    return r


def report(lado, *args: str) -> dict:
    return json.loads(ok(lado("stats", *args, "--format", "json")).stdout)


def counts(section: dict) -> dict[str, int]:
    return {r["item"]: r["count"] for r in section["rows"]}


def percents(section: dict) -> dict[str, float | None]:
    return {r["item"]: r["percent"] for r in section["rows"]}


def nonzero(section: dict) -> dict[str, int]:
    return {k: v for k, v in counts(section).items() if v}


# -- every figure against the hand count ------------------------------------------------------------


def test_contacts_and_breakdowns_match_the_hand_count(lado, data):
    r = report(lado, *JUNE)
    assert r["authority"] == "Staffordshire County Council"
    assert r["period"] == {"from": "2026-06-01", "to": "2026-06-30"}
    # R36, R37c: A B C D G K are referrals; E (at intake) and F (at the discussion, then closed) are not.
    assert r["contacts"]["total"] == 8
    assert counts(r["contacts"]) == {"referrals": 6, "advice-only": 2} and percents(r["contacts"]) == {"referrals": 75.0, "advice-only": 25.0}
    # R6: F (colleague) and E (third party) are advice-only, so not counted.
    assert r["source"]["total"] == 6
    assert nonzero(r["source"]) == {"parent-carer": 2, "colleague": 1, "police": 1, "child": 1, "self-disclosure": 1}
    assert percents(r["source"])["parent-carer"] == 33.3 and percents(r["source"])["colleague"] == 16.7
    assert percents(r["source"])["third-party"] == 0.0
    assert nonzero(r["sector"]) == {"education": 2, "transport": 1, "health": 1, "sport": 1, "early-years": 1}
    assert [row["item"] for row in r["sector"]["rows"]][:3] == ["education", "early-years", "social-care"]  # the profile's order, zeros kept
    assert nonzero(r["category"]) == {"physical": 2, "sexual": 2, "emotional": 1, "neglect": 1}
    # R4/R21: the discussion's criteria win (A: harm+offence though referred as harm); G has no discussion yet.
    assert counts(r["criteria"]) == {"harm": 3, "offence": 3, "risk": 1, "suitability": 2}
    assert percents(r["criteria"]) == {"harm": 50.0, "offence": 50.0, "risk": 16.7, "suitability": 33.3}
    # R22: K's social-care route had no s47, so only A is a strategy case; C and D are employer only.
    assert counts(r["route"]) == {"police": 3, "social-care": 2, "employer": 3, "strategy": 1, "internal-only": 2, "not-yet": 1}
    # R28: D and G have no outcome yet.
    assert counts(r["outcome"]) == {"substantiated": 1, "unsubstantiated": 1, "false": 1, "malicious": 0, "unfounded": 1, "not-yet": 2}
    assert percents(r["outcome"])["not-yet"] == 33.3
    # Historic: only B; C happened exactly 12 months before it was received, which is current.
    assert counts(r["historic"]) == {"historic": 1, "current": 5}
    # R24: A and K suspended; C's discussion recorded no decision and G has had none.
    assert counts(r["suspension"]) == {"suspended": 2, "alternative-duties": 1, "not-suspended": 1, "not-applicable": 0, "lifted": 0, "not-recorded": 2}
    assert percents(r["suspension"])["suspended"] == 33.3
    # R30, R31: A's dismissal raised both; the DBS referral is done.
    assert r["dbs_referrals"]["total"] == 1 and counts(r["dbs_referrals"]) == {"done": 1, "outstanding": 0}
    assert r["regulator_referrals"]["total"] == 1 and counts(r["regulator_referrals"]) == {"done": 0, "outstanding": 1}


def _kinds(r: dict) -> dict[str, tuple]:
    keys = ("total", "met_on_time", "met_late", "open", "overdue", "not_applicable", "on_time_percent")
    return {k["kind"]: tuple(k[x] for x in keys) for k in r["timeliness"]}


def test_timeliness_r12_to_r17(lado, data):
    r = report(lado, *JUNE)
    assert [k["rule"] for k in r["timeliness"]] == ["R12", "R13", "R14", "R15", "R16", "R17"]
    assert _kinds(r) == {
        # R12: only C was received after the end of the next working day.
        "notify-lado": (6, 5, 1, 0, 0, 0, 83.3),
        # R13: A on time, and D exactly at its due time; B, C, K late; G still open and, now, overdue: 2 / (2 + 3 + 1).
        "initial-discussion": (6, 2, 3, 1, 1, 0, 33.3),
        "strategy-discussion": (1, 1, 0, 0, 0, 0, 100.0),  # R14: A, done the same afternoon
        "strategy-meeting": (1, 0, 1, 0, 0, 0, 0.0),  # R15: A's meeting on 12/06, due end of 10/06
        "employer-action": (2, 0, 1, 0, 0, 1, 0.0),  # R16: C late; K never done, not applicable once closed
        "disciplinary-hearing": (1, 0, 0, 1, 1, 0, 0.0),  # R17: D, due end of 07/07, overdue now
    }


def test_as_of_judges_overdue_and_takes_the_caseload_then(lado, data, monkeypatch):
    r = report(lado, *JUNE, "--as-of", "30/06/2026 12:00")
    assert r["as_of"] == r["open_at"] == "2026-06-30T12:00:00+01:00"
    k = _kinds(r)
    assert k["initial-discussion"] == (6, 2, 3, 1, 0, 0, 40.0)  # G's R13 is due 01/07: in time, left out of the rate
    assert k["disciplinary-hearing"] == (1, 0, 0, 1, 0, 0, None)  # nothing decided yet: no rate
    # G was not received yet at 12:00 on 30/06: 8 open, of which L, M and J for more than a month.
    assert r["open_longer_than"]["total"] == 8
    assert counts(r["open_longer_than"]) == {"1-month": 3, "3-months": 2, "12-months": 1}
    # Without --as-of, overdue is judged now: moving now to that moment gives the same report.
    monkeypatch.setenv("LADO_NOW", "2026-06-30 12:00")
    assert report(lado, *JUNE) == r


def test_open_caseload_at_the_end_of_the_period(lado, data):
    r = report(lado, *JUNE)
    assert r["as_of"] == "2026-12-23T10:00:00+00:00" and r["open_at"] == "2026-06-30T23:59:59+01:00"
    # Open then: I N L M J (before June) and A D G K (K closed in October); not B, C (closed in June),
    # not E, F (advice-only), not H (received in July).
    section = r["open_longer_than"]
    assert section["total"] == 9
    # N was received exactly one month before 30/06: not longer than a month.
    assert counts(section) == {"1-month": 3, "3-months": 2, "12-months": 1}
    assert percents(section) == {"1-month": 33.3, "3-months": 22.2, "12-months": 11.1}


def test_resolution_against_the_r28a_targets(lado, data):
    res = report(lado, *JUNE)["resolution"]
    # A: exactly one calendar month; B: exactly 7 days; C: 8 days; K: over four months.
    assert res["total"] == 4
    assert counts(res) == {"1-week": 1, "1-month": 3, "3-months": 3, "12-months": 4, "over-12-months": 0}
    assert percents(res) == {"1-week": 25.0, "1-month": 75.0, "3-months": 75.0, "12-months": 100.0, "over-12-months": 0.0}
    targets = {t["item"]: (t["cases"], t["within"], t["percent"], t["goal_percent"], t["met"]) for t in res["targets"]}
    assert targets == {
        "1-month": (4, 3, 75.0, 80.0, False),
        "3-months": (4, 3, 75.0, 90.0, False),
        "12-months": (4, 4, 100.0, 100.0, True),
        "quick-1-week": (3, 1, 33.3, 100.0, False),  # B (false) in a week; C (unfounded) and K (unsubstantiated) not
    }


def test_period_boundaries_are_uk_dates(lado, data):
    def contacts(first, last):
        return report(lado, "--from", first, "--to", last)["contacts"]["total"]

    assert contacts("30/06/2026", "30/06/2026") == 1  # G at 23:30 on the last day is in
    assert contacts("01/07/2026", "01/07/2026") == 1  # H at 00:30 the day after is not in June (though 30/06 in UTC)
    assert contacts("01/06/2026", "01/06/2026") == 1  # A at 00:30 on the first day is in (31/05 in UTC)
    assert contacts("31/05/2026", "31/05/2026") == 1  # I
    assert contacts("2026-06-01", "2026-06-30") == 8  # ISO dates too


# -- R28a and the other definitions on their edges (pure functions) ---------------------------------------


def test_resolution_spans_on_their_edges():
    from datetime import date

    from lado_cli.domain.stats import add_months, within

    assert within("1-week", date(2026, 6, 3), date(2026, 6, 10)) and not within("1-week", date(2026, 6, 3), date(2026, 6, 11))
    assert within("1-month", date(2026, 1, 15), date(2026, 2, 15)) and not within("1-month", date(2026, 1, 15), date(2026, 2, 16))
    # The end of a longer month: one month after 31 January is the last day of February.
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28) and add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)
    assert within("1-month", date(2026, 1, 31), date(2026, 2, 28)) and not within("1-month", date(2026, 1, 31), date(2026, 3, 1))
    assert within("3-months", date(2026, 11, 30), date(2027, 2, 28)) and not within("3-months", date(2026, 11, 30), date(2027, 3, 1))
    assert within("12-months", date(2024, 2, 29), date(2025, 2, 28)) and not within("12-months", date(2024, 2, 29), date(2025, 3, 1))
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28) and add_months(date(2026, 1, 10), -12) == date(2025, 1, 10)


def test_targets_are_met_on_the_exact_share_not_the_rounded_one():
    from lado_cli.domain.stats import percent, target_met

    assert target_met(8, 10, 80) is True and target_met(7, 10, 80) is False
    assert target_met(9, 10, 90) is True and target_met(899, 1000, 90) is False  # 89.9%
    assert target_met(1599, 2000, 80) is False and percent(1599, 2000) == 80.0  # 79.95% shows as 80.0% but misses 80%
    assert target_met(5, 5, 100) is True and target_met(4, 5, 100) is False
    assert target_met(0, 0, 80) is None and percent(0, 0) is None
    assert percent(1, 16) == 6.3 and percent(1, 8) == 12.5  # halves round up


def test_historic_is_more_than_twelve_months_and_unknown_is_current():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from lado_cli.domain.stats import is_historic

    london, received = ZoneInfo("Europe/London"), datetime(2026, 6, 10, 13, 0, tzinfo=UTC)
    assert not is_historic(None, received, london)
    assert not is_historic(datetime(2025, 6, 10, 11, 0, tzinfo=UTC), received, london)  # exactly 12 months
    assert is_historic(datetime(2025, 6, 9, 11, 0, tzinfo=UTC), received, london)
    # 23:30 UTC on 9 June 2025 is 00:30 on 10 June in London: the UK date decides.
    assert not is_historic(datetime(2025, 6, 9, 23, 30, tzinfo=UTC), received, london)


# -- the four formats ----------------------------------------------------------------------------------


def test_csv_rows_parse_back_and_agree_with_json(lado, data):
    r = report(lado, *JUNE)
    out = ok(lado("stats", *JUNE, "--format", "csv")).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["section", "item", "count", "percent"]
    table = {(row["section"], row["item"]): (row["count"], row["percent"]) for row in rows}
    assert table[("contacts", "total")] == ("8", "")
    assert table[("contacts", "referrals")] == ("6", "75.0")
    assert table[("source", "parent-carer")] == ("2", "33.3")
    assert table[("route", "internal-only")] == ("2", "33.3")
    assert table[("timeliness:initial-discussion", "overdue")] == ("1", "")
    assert table[("timeliness:initial-discussion", "on-time-rate")] == ("2", "33.3")
    assert table[("resolution", "1-month")] == ("3", "75.0")
    assert table[("resolution_target:12-months", "met")] == ("1", "")
    assert table[("resolution_target:1-month", "met")] == ("0", "")
    assert table[("resolution_target:1-month", "goal")] == ("", "80.0")
    assert table[("open_longer_than", "12-months")] == ("1", "11.1")
    assert table[("regulator_referrals", "outstanding")] == ("1", "100.0")
    # Every breakdown row of the JSON is a CSV row with the same figures.
    for key in ("contacts", "source", "sector", "category", "criteria", "route", "outcome", "historic", "suspension"):
        for row in r[key]["rows"]:
            pct = "" if row["percent"] is None else str(row["percent"])
            assert table[(key, row["item"])] == (str(row["count"]), pct), (key, row)
    assert len(rows) == len(table)  # no (section, item) twice


def test_json_keys_are_stable_snake_case_with_int_counts(lado, data):
    r = report(lado, *JUNE)
    assert list(r) == ["authority", "period", "as_of", "open_at", "contacts", "source", "sector", "category", "criteria", "route",
                       "outcome", "historic", "timeliness", "resolution", "open_longer_than", "suspension", "delay_inside_organisation", "dbs_referrals",
                       "regulator_referrals"]  # fmt: skip

    def walk(value):
        if isinstance(value, dict):
            for k, v in value.items():
                assert re.fullmatch(r"[a-z][a-z0-9_]*", k), k
                if k in ("count", "total", "within", "cases") or k.startswith("met_") or k in ("open", "overdue", "not_applicable"):
                    assert type(v) is int, (k, v)
                if k.endswith("percent"):
                    assert v is None or (type(v) is float and round(v, 1) == v), (k, v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(r)


def test_table_has_every_section_and_bars_scaled_to_the_largest(lado, data):
    out = ok(lado("stats", *JUNE)).stdout
    for title in ("Contacts", "Referrals by source (R6)", "Referrals by employment sector (R36)", "category of abuse", "Harm criteria",
                  "Routes (R22", "Outcomes (R28)", "Historic", "Suspension decisions (R24)", "Timeliness (R12-R17)",
                  "referral to outcome (R28a)", "Resolution targets (R28a)", "Open caseload at end of Tue 30/06/2026",
                  "DBS (R30) and regulator (R31)"):  # fmt: skip
        assert title in out, title
    assert "Staffordshire County Council" in out and "01/06/2026 to 30/06/2026" in out

    def bar_of(label):
        line = next(line for line in out.splitlines() if line.strip().startswith(label))
        return line.count("█")

    # Sources: parent-carer (2) is the largest and fills the bar; a count of 1 gets half of it.
    assert bar_of("Parent or carer") == 20 and bar_of("Police ") == 10
    assert bar_of("Referrals (a harm") == 20 and bar_of("Advice-only consultations") == 7  # 2 of 6, rounded
    # The profile's long lists show what occurred; every option is in the other formats.
    assert "Anonymous or online" not in out and "Percentages of 6 referrals. 6 with none not shown." in out  # sources: whistle-blower too (R50)
    assert "Malicious" not in out and "No outcome yet" in out
    assert "Anonymous or online" in ok(lado("stats", *JUNE, "-f", "html")).stdout


def test_bar_scaling():
    from lado_cli.cli.stats import bar

    assert bar(0, 5) == "" and bar(5, 5) == "█" * 20 and bar(1, 100) == "█" and bar(3, 0) == ""


def test_html_is_a_self_contained_page_with_every_row(lado, data):
    page = ok(lado("stats", *JUNE, "--format", "html")).stdout
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<style>" in page and "<link" not in page and "<script" not in page and "http" not in page  # nothing fetched
    assert "<title>Statistics return (R36) · Staffordshire County Council</title>" in page
    assert "Contacts received 01/06/2026 to 30/06/2026" in page
    assert re.search(r"<td>Parent or carer</td><td class=\"n\">2</td><td class=\"n\">33\.3%</td>", page)
    assert re.search(r"<td>initial-discussion</td><td>R13</td><td class=\"n\">2</td><td class=\"n\">3</td><td class=\"n\">1</td>"
                     r"<td class=\"n\">1</td><td class=\"n\">0</td><td class=\"n\">33\.3%</td>", page)  # fmt: skip
    assert re.search(r"<td>All within 12 months</td><td class=\"n\">4</td><td class=\"n\">4</td><td class=\"n\">100\.0%</td><td>yes</td>", page)
    assert page.count("<table>") == 15  # 10 breakdowns (with the delay inside the organisation, R42), timeliness, resolution, targets, caseload, referrals


HOSTILE_PROFILE = """
name = "<script>alert('x')</script> & Co"

[categories]
physical = "<img src=x onerror=alert(1)> [bold]Physical[/bold] & rough"
emotional = "Emotional"
sexual = "Sexual"
neglect = "Neglect"
conduct = "Conduct"
"""


def test_hostile_profile_text_is_escaped_in_html_and_shown_literally_in_the_table(lado, tmp_path, monkeypatch):
    profile = tmp_path / "hostile.toml"
    profile.write_text(HOSTILE_PROFILE, encoding="utf-8")
    monkeypatch.setenv("LADO_PROFILE", str(profile))
    ok(lado("refer", "--no-input", *REFERRAL))
    page = ok(lado("stats", "--from", "23/12/2026", "--to", "23/12/2026", "-f", "html")).stdout
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Co" in page
    assert "<td>&lt;img src=x onerror=alert(1)&gt; [bold]Physical[/bold] &amp; rough</td><td class=\"n\">1</td>" in page
    monkeypatch.setenv("COLUMNS", "200")
    out = ok(lado("stats", "--from", "23/12/2026", "--to", "23/12/2026")).stdout
    assert "<img src=x onerror=alert(1)> [bold]Physical[/bold] & rough" in out  # rich markup not interpreted
    assert "Statistics return (R36) · <script>alert('x')</script> & Co" in out


# -- empty periods and bad input --------------------------------------------------------------------------


def test_an_empty_period_gives_zero_counts(lado):
    r = report(lado, "--from", "01/01/2026", "--to", "31/12/2026")
    assert r["contacts"]["total"] == 0 and counts(r["contacts"]) == {"referrals": 0, "advice-only": 0}
    assert percents(r["contacts"]) == {"referrals": None, "advice-only": None}
    assert all(k["total"] == 0 and k["on_time_percent"] is None for k in r["timeliness"])
    assert all(t["met"] is None and t["percent"] is None for t in r["resolution"]["targets"])
    assert r["open_longer_than"]["total"] == 0 and r["dbs_referrals"]["total"] == 0
    assert sum(counts(r["source"]).values()) == 0 and len(r["source"]["rows"]) == 11  # every source (whistle-blower too, R50), at zero
    out = ok(lado("stats", "--from", "01/01/2026", "--to", "31/12/2026")).stdout
    assert "Referrals by source (R6): none (0 referrals)." in out and "Percentages of 0 contacts." in out
    assert ok(lado("stats", "--from", "01/01/2026", "--to", "31/12/2026", "-f", "csv")).stdout.startswith("section,item,count,percent\n")
    assert "<table>" in ok(lado("stats", "--from", "01/01/2026", "--to", "31/12/2026", "-f", "html")).stdout


BAD = [
    (["--from", "yesterday", "--to", "30/06/2026"], 1, ["--from", "'yesterday'", "not a date"]),
    (["--from", "31/06/2026", "--to", "30/07/2026"], 1, ["--from", "not a real date"]),
    (["--from", "06/30/2026", "--to", "30/07/2026"], 1, ["--from", "not a real date"]),  # no US dates
    (["--from", "01/07/2026", "--to", "30/06/2026"], 1, ["--from", "'01/07/2026'", "after --to 30/06/2026"]),
    (["--from", "01/06/2026", "--to", "30/06/26"], 1, ["--to", "two-digit year"]),
    (["--from", "01/06/2026 09:00", "--to", "30/06/2026"], 1, ["--from", "without a time"]),
    (["--to", "30/06/2026"], 2, ["missing required flags: --from"]),
    ([], 2, ["missing required flags: --from --to"]),
    ([*JUNE, "--as-of", "soon"], 1, ["--as-of", "'soon'"]),
    ([*JUNE, "--format", "pdf"], 2, ["pdf"]),
]


@pytest.mark.parametrize("args,code,words", BAD)
def test_bad_input_is_one_line(lado, args, code, words):
    r = lado("stats", *args)
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr and r.stdout == ""
    line = after_first_run_notice(r.stderr).strip()  # (on PostgreSQL the profile is looked for in the new database)
    if code == 1 or "missing" in words[0]:
        assert len(line.splitlines()) == 1 and line.startswith("Error: "), r.stderr
    for w in words:
        assert w in line, (w, line)


def test_bad_input_creates_no_database(lado, tmp_path, monkeypatch, backend):
    db = tmp_path / "never.db"
    if backend == "sqlite":
        monkeypatch.setenv("LADO_DB", str(db))
    lado("stats", "--from", "01/07/2026", "--to", "30/06/2026")
    assert not db.exists()
    if backend == "postgresql":  # the server's new, empty database stays empty (not even migrated)
        assert db_rows("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'") == [(0,)]


def test_a_closed_case_without_a_closing_time_is_not_in_the_caseload(lado):
    # Every `lado close` records when; a record left closed without a time (an older tool, a
    # hand edit) must still not count as open for ever (R36).
    ref = lado("refer", "--no-input", *REFERRAL).stdout.splitlines()[-1]
    assert report(lado, "--from", "23/12/2026", "--to", "23/12/2026")["open_longer_than"]["total"] == 1
    db_execute("UPDATE cases SET status = 'closed', closed_at = NULL WHERE ref = ?", ref)
    assert report(lado, "--from", "23/12/2026", "--to", "23/12/2026")["open_longer_than"]["total"] == 0
