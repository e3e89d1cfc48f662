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
