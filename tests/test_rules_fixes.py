"""Rules that read wrongly before issue #10 item 5, each through the CLI with its bad input:
the profile's own authority is not cross-border (R7), a self-employed adult's regulator
referral is the LADO's (R31), `lado import` runs the history check (R11a), and
`--immediate-danger` shows the danger contacts before a missing-fields error (R8)."""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, after_first_run_notice, fails, ok, with_flags

from lado_cli.domain.authority import authority_key, same_authority
from lado_cli.domain.profile import parse_profile
from lado_cli.errors import LadoError
from lado_cli.profiles import default_raw


def show(lado, ref):
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


def refer(lado, *args):
    return ok(lado("refer", "--no-input", *args)).stdout.splitlines()[-1]


# -- R7: "is this authority ours" (domain/authority.py) ------------------------------------


@pytest.mark.parametrize(
    "name",
    ["Staffordshire County Council", "staffordshire", "STAFFORDSHIRE", "Staffordshire Council", "  staffordshire   county council ",
     "The Staffordshire County Council", "the staffordshire council", "Staffordshire City Council", "Staffordshire Borough Council",
     "staffordshire county  council."],
)  # fmt: skip
def test_our_own_authority_in_any_spelling_is_ours(name):
    assert same_authority(name, "Staffordshire County Council")
    assert same_authority("Staffordshire County Council", name)  # symmetric


@pytest.mark.parametrize(
    "name",
    ["Staffordshire Moorlands District Council", "Stoke-on-Trent City Council", "Shropshire Council", "Staffs", "Council",
     "Staffordshire County", "North Staffordshire", "", "   "],
)  # fmt: skip
def test_other_authorities_are_not_ours(name):
    assert not same_authority(name, "Staffordshire County Council")


def test_the_key_keeps_a_bare_council_word():
    assert authority_key("Council") == "council"  # a suffix is only dropped after a name
    assert authority_key("The Wrekin Council") == "wrekin"
    assert not same_authority(None, "Staffordshire County Council")


@pytest.mark.parametrize("works_in", ["staffordshire", "STAFFORDSHIRE COUNTY COUNCIL", "the Staffordshire Council", " Staffordshire "])
def test_works_in_our_own_authority_is_not_cross_border(lado, works_in):
    r = lado("refer", "--no-input", *REFERRAL, "--works-in", works_in)
    ok(r)
    assert "Cross-border" not in r.stderr
    case = show(lado, r.stdout.splitlines()[-1])
    assert case["cross_border"] is False and case["works_in"] == works_in.strip()


def test_works_in_another_authority_is_cross_border(lado):
    r = ok(lado("refer", "--no-input", *REFERRAL, "--works-in", "Stoke-on-Trent City Council"))
    assert "Cross-border (R7)" in r.stderr
    assert show(lado, r.stdout.splitlines()[-1])["cross_border"] is True


# -- R31: a self-employed adult's regulator referral is the LADO's ----------------------------

SELF_EMPLOYED = with_flags(REFERRAL, employment="self-employed", employer=None, sector="health",
                           concern_arose="02/04/2026 09:00", received="02/04/2026 09:30", child_dob="03/04/2016") + [
    "--regulator", "Health and Care Professions Council"]  # fmt: skip
DISCUSS = ["--no-input", "--held", "02/04/2026 15:00", "--criteria", "harm", "--rationale", "Seen by the parent", "--route", "police"]


def test_regulator_referral_of_a_self_employed_adult_is_the_lados(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    ref = refer(lado, *SELF_EMPLOYED)
    ok(lado("discuss", ref, *DISCUSS))
    r = ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--employment", "ceased-to-use", "--date", "17/04/2026"))
    assert "The LADO refers the adult to their regulator" in r.stdout
    case = show(lado, ref)
    [duty] = [u for u in case["duties"] if u["kind"] == "regulator-referral"]
    assert duty["rule"] == "R31" and duty["status"] == "outstanding"
    assert duty["reason"].startswith("The LADO refers the adult to their regulator (self-employed")
    table = ok(lado("show", ref)).stdout
    assert "The LADO refers the adult to their" in table and "Employer refers the adult to their regulator" not in table
    assert "The LADO refers" in case["timeline"][-1]["text"]  # the chronology entry says so too


def test_regulator_referral_of_an_employee_stays_the_employers(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    args = with_flags(SELF_EMPLOYED, employment="paid", employer="Oak Surgery")
    ref = refer(lado, *args)
    ok(lado("discuss", ref, *DISCUSS))
    ok(lado("outcome", ref, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "17/04/2026"))
    [duty] = [u for u in show(lado, ref)["duties"] if u["kind"] == "regulator-referral"]
    assert duty["reason"].startswith("Employer refers the adult to their regulator")


def test_profile_no_employer_must_name_employment_bases():
    base = '[duties.regulator-referral]\nrule = "R31"\nlabel = "x"\nforceable = true\nwhen = [{ regulator = true }]\n'
    with pytest.raises(LadoError, match=r"no_employer: 'freelance' is not one of the profile's employment bases"):
        parse_profile(base + 'no_employer = ["freelance"]\nno_employer_label = "The LADO refers"\n', "p.toml", base=default_raw())
    with pytest.raises(LadoError, match=r"no_employer_label: is missing"):
        parse_profile(base + 'no_employer = ["self-employed"]\n', "p.toml", base=default_raw())
    own = parse_profile(base + 'no_employer = ["self-employed"]\nno_employer_label = "The LADO refers"\n', "p.toml", base=default_raw())
    rule = own.duties["regulator-referral"]
    assert rule.label_for("self-employed") == "The LADO refers" and rule.label_for("paid") == "x" and rule.label_for(None) == "x"
    assert parse_profile(base, "p.toml", base=default_raw()).duties["regulator-referral"].label_for("self-employed") == "x"  # optional


def test_profile_show_lists_the_no_employer_rule(lado):
    shown = json.loads(ok(lado("profile", "show", "--format", "json")).stdout)
    assert shown["duties"]["regulator-referral"]["no_employer"] == ["self-employed"]
    assert shown["duties"]["regulator-referral"]["no_employer_label"].startswith("The LADO refers")


# -- R8: the danger contacts before a missing-fields error -----------------------------------


def test_immediate_danger_shows_the_contacts_before_the_missing_fields_error(lado):
    r = lado("refer", "--no-input", "--immediate-danger", "--subject-name", "John Smith")
    assert r.exit_code == 2
    err = after_first_run_notice(r.stderr)
    danger, missing = err.find("Immediate danger (R8)"), err.find("Error: missing required fields")
    assert 0 <= danger < missing, err
    assert "999" in err[:missing]  # the police contact itself, not only the heading
    assert "--subject-role" in err[missing:]
    assert not json.loads(ok(lado("list", "--all", "--format", "json")).stdout)  # nothing saved


def test_no_danger_no_contacts_before_the_error(lado):
    for flags in ([], ["--no-immediate-danger"]):
        r = lado("refer", "--no-input", *flags, "--subject-name", "John Smith")
        fails(r, 2, "missing required fields")
        assert "Immediate danger" not in r.stderr


def test_immediate_danger_contacts_shown_once_on_a_full_referral(lado):
    r = ok(lado("refer", "--no-input", "--immediate-danger", *REFERRAL))
    assert after_first_run_notice(r.stderr).count("Immediate danger (R8)") == 1


# -- R11a: `lado import` runs the history check on every row ----------------------------------

ROW = {"subject-role": "Teacher", "employment": "paid", "employer": "Oak Primary School", "sector": "education",
       "concern-arose": "20/12/2026 10:00", "received": "21/12/2026 09:00", "source": "parent-carer", "category": "physical",
       "summary": "Pushed a pupil.", "criteria": "harm", "referrer-name": "Ann Head", "referrer-role": "Head teacher",
       "referrer-org": "Oak Primary School", "referrer-contact": "01632 960001"}  # fmt: skip


def write_csv(path, rows):
    import csv

    cols = list(ROW) + ["subject-name", "subject-dob", "child-name", "child-dob"]
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, cols)
        w.writeheader()
        for r in rows:
            w.writerow({**ROW, **r})
    return path


def history_entries(lado, ref):
    return [e["text"] for e in show(lado, ref)["timeline"] if e["kind"] == "history-check"]


def test_import_checks_each_row_against_stored_cases_and_earlier_rows(lado, tmp_path):
    stored = refer(lado, *REFERRAL)  # John Smith, born 01/02/1980; child Amy Jones, born 03/04/2016
    rows = [
        # 1: the stored adult again (same name and birth: 0.40 + 0.30 + 0.30, same employer +0.10 = 1.10, strong)
        {"subject-name": "John Smith", "subject-dob": "01/02/1980", "child-name": "Ben Cole", "child-dob": "05/05/2015"},
        # 2: nobody seen before
        {"subject-name": "Priya Patel", "subject-dob": "09/09/1990", "child-name": "Cara Dunn", "child-dob": "06/06/2014"},
        # 3: the adult of row 2 (an earlier row of the same file) and the child of the stored case
        {"subject-name": "Priya Patel", "subject-dob": "09/09/1990", "child-name": "Amy Jones", "child-dob": "03/04/2016",
         "concern-arose": "21/12/2026 08:00"},
        # 4: no date of birth: a surname alone is not reported on import
        {"subject-name": "John Smith", "subject-dob": "", "child-name": "", "child-dob": ""},
    ]
    r = ok(lado("import", str(write_csv(tmp_path / "in.csv", rows))))
    summary = r.stdout.strip().splitlines()[-1]
    assert summary.endswith("4 added, 0 updated, 0 skipped. History check (R11a): 2 added cases match earlier records: LADO-2026-0002, LADO-2026-0004."), summary
    assert history_entries(lado, "LADO-2026-0002") == [
        f"Earlier records about the same adult or child found at import (R11a): {stored} (the adult, strong 1.10)."]
    assert history_entries(lado, "LADO-2026-0004") == [
        "Earlier records about the same adult or child found at import (R11a): LADO-2026-0003 (the adult, strong 1.10); "
        f"{stored} (a child, strong 1.00)."]  # fmt: skip
    assert history_entries(lado, "LADO-2026-0003") == []  # row 2 was checked before row 3 existed: a match is on the later case
    assert history_entries(lado, "LADO-2026-0005") == [] and history_entries(lado, stored) == []
    shown = " ".join(r.stderr.split())
    assert "R11a: 3 matches between imported cases and earlier ones" in shown
    assert f"LADO-2026-0004 ~ {stored} (a child): strong (1.00)" in shown
    chain = ok(lado("db", "check"))  # the entries are chained like every other (store/chain.py)
    assert chain.exit_code == 0


def test_import_without_matches_says_so(lado, tmp_path):
    r = ok(lado("import", str(write_csv(tmp_path / "in.csv", [{"subject-name": "Priya Patel", "subject-dob": "09/09/1990"}]))))
    assert r.stdout.strip().endswith("1 added, 0 updated, 0 skipped. History check (R11a): no added case matches an earlier record.")
    assert history_entries(lado, "LADO-2026-0001") == []


def test_import_with_a_bad_row_writes_no_history_entry(lado, tmp_path):
    refer(lado, *REFERRAL)
    rows = [{"subject-name": "John Smith", "subject-dob": "01/02/1980"}, {"subject-name": "Ann Lee", "subject-dob": "31/02/1990"}]
    r = lado("import", str(write_csv(tmp_path / "bad.csv", rows)))
    assert r.exit_code == 1 and "row 3, column subject-dob" in r.stderr and "nothing was imported" in r.stderr
    assert [c["ref"] for c in json.loads(ok(lado("list", "--all", "--format", "json")).stdout)] == ["LADO-2026-0001"]
    assert history_entries(lado, "LADO-2026-0001") == []
    r = ok(lado("import", "--dry-run", str(write_csv(tmp_path / "ok.csv", rows[:1]))))
    assert "History check" not in r.stdout and "would add 1" in r.stdout  # a dry run writes nothing, so records nothing
