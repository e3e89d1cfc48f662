"""The duties an outcome triggers (R30-R32) are profile data; the default's rules."""

from __future__ import annotations

import pytest

from lado_cli.errors import LadoError
from lado_cli.profiles import default_raw, read_profile
from lado_cli.domain.profile import parse_profile


@pytest.fixture(scope="module")
def duties():
    return read_profile(None).duties


@pytest.mark.parametrize(
    "outcome,employment,regulator,expected",
    [
        ("substantiated", "dismissed", False, {"dbs-referral", "feedback", "lessons-learned"}),
        ("substantiated", "ceased-to-use", True, {"dbs-referral", "regulator-referral", "feedback", "lessons-learned"}),
        (None, "resigned", False, {"dbs-referral"}),  # R33: resigned before an outcome
        ("unsubstantiated", "resigned", True, {"dbs-referral", "regulator-referral", "feedback"}),
        ("false", "resigned", False, {"feedback"}),
        ("substantiated", "written-warning", False, {"feedback", "lessons-learned"}),
        ("unfounded", "returned-to-work", False, {"feedback", "return-to-work"}),
        ("malicious", None, True, {"feedback"}),
    ],
)
def test_default_duties(duties, outcome, employment, regulator, expected):
    assert {k for k, d in duties.items() if d.applies(outcome, employment, regulator)} == expected


def test_the_dbs_duty_cannot_be_forced(duties):
    assert duties["dbs-referral"].forceable is False and duties["dbs-referral"].rule == "R30"
    assert duties["feedback"].forceable is True


def test_a_duty_naming_an_unknown_outcome_is_refused():
    text = '[duties.dbs-referral]\nrule = "R30"\nlabel = "x"\nforceable = false\nwhen = [{ outcomes = ["proven"] }]\n'
    with pytest.raises(LadoError, match=r"duties\.dbs-referral\.\"when\[1\]\"\.outcomes: 'proven' is not one of the profile's outcomes"):
        parse_profile(text, "p.toml", base=default_raw())


def test_a_duty_needs_its_keys():
    with pytest.raises(LadoError, match=r"duties\.feedback\.forceable: missing"):
        parse_profile('[duties.feedback]\nrule = "R32"\nlabel = "x"\nwhen = [{ outcomes = ["false"] }]\n', "p.toml", base=default_raw())


def test_own_outcome_list_drops_default_conditions_it_cannot_meet():
    text = '[outcomes]\nproven = "Proven"\nnot-proven = "Not proven"\n[retention]\n'
    profile = parse_profile(text, "scot.toml", base=default_raw())
    assert not profile.duties["lessons-learned"].when  # only 'substantiated' triggered it
    assert profile.duties["dbs-referral"].applies(None, "resigned", False)


def test_needs_employment_is_data_checked_against_the_outcomes():
    """[duties.*] needs_employment: outcomes whose case waits for the employment outcome (R29, R30)."""
    assert read_profile(None).duties["dbs-referral"].needs_employment == ("substantiated",)
    assert read_profile(None).duties["feedback"].needs_employment == ()
    base = '[duties.dbs-referral]\nrule = "R30"\nlabel = "x"\nforceable = false\nwhen = [{ outcomes = ["substantiated"] }]\n'
    profile = parse_profile(base + 'needs_employment = ["substantiated", "unsubstantiated"]\n', "p.toml", base=default_raw())
    assert profile.duties["dbs-referral"].needs_employment == ("substantiated", "unsubstantiated")
    assert profile.to_dict()["duties"]["dbs-referral"]["needs_employment"] == ["substantiated", "unsubstantiated"]
    assert parse_profile(base, "p.toml", base=default_raw()).duties["dbs-referral"].needs_employment == ()  # optional
    with pytest.raises(LadoError, match=r"duties\.dbs-referral\.needs_employment: 'proven' is not one of the profile's outcomes"):
        parse_profile(base + 'needs_employment = ["proven"]\n', "p.toml", base=default_raw())
    with pytest.raises(LadoError, match=r"duties\.dbs-referral\.needs_employment: is a string; expected an array of outcome slugs"):
        parse_profile(base + 'needs_employment = "substantiated"\n', "p.toml", base=default_raw())
    # Its own outcome list: the default's needs_employment keeps only what the list still offers.
    scot = parse_profile('[outcomes]\nproven = "Proven"\n[retention]\n', "scot.toml", base=default_raw())
    assert scot.duties["dbs-referral"].needs_employment == ()
