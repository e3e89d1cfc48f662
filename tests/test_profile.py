"""The procedure profile: the default's contents, the example, the merge rule, validation.

Rule ids refer to /work/shared/PROCEDURE.md.
"""

from __future__ import annotations

import json
import re
from datetime import time
from pathlib import Path

import pytest

from lado_cli.domain.profile import (
    OPTION_LISTS,
    REGIONS,
    TIME_LIMIT_KINDS,
    Contact,
    Option,
    parse_profile,
)
from lado_cli.errors import FieldError, LadoError
from lado_cli.profiles import DEFAULT_PROFILE, default_raw, default_text, read_profile

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "profile-northshire.toml"


def load(text: str):
    """A user's profile text merged over the default, as `read_profile` does."""
    return parse_profile(text, "test.toml", base=default_raw())


def error(text: str, *, base: bool = True) -> str:
    with pytest.raises(LadoError) as caught:
        parse_profile(text, "test.toml", base=default_raw() if base else None)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("profile test.toml: ")
    return message


def default_without(pattern: str) -> str:
    """The default profile's text with the lines matching `pattern` removed."""
    text = default_text()
    stripped = re.sub(pattern, "", text, flags=re.MULTILINE)
    assert stripped != text
    return stripped


@pytest.fixture(scope="module")
def profile():
    return read_profile()


# -- the default profile ---------------------------------------------------------------------


def test_default_identity(profile):
    assert DEFAULT_PROFILE == "default.toml"
    assert profile.name == "Staffordshire County Council"
    assert profile.ref_prefix == "LADO"
    assert profile.region == "england-wales"
    assert profile.timezone == "Europe/London"
    assert profile.source == "default"


def test_default_working_hours_r9(profile):
    assert profile.workdays == (0, 1, 2, 3, 4)
    assert profile.day_start == time(9, 0)
    assert profile.day_end == time(17, 0)


def test_default_contacts_r8_r9_r10(profile):
    values = {c.slug: c.value for c in profile.contacts}
    assert values == {
        "duty-lado": "0300 111 8007",
        "lado-email": "staffordshire.lado@staffordshire.gov.uk",
        "mash": "0300 111 8007",
        "emergency-duty": "0345 6042 886",
        "police-emergency": "999",
        "police": "101",
    }
    assert [c.slug for c in profile.emergency_contacts] == ["police-emergency", "mash"]
    assert [c.slug for c in profile.out_of_hours_contacts] == ["emergency-duty", "police-emergency", "police"]
    assert profile.contact("police") == Contact("police", profile.contact("police").label, "101")


@pytest.mark.parametrize(
    "kind, rule, start, working_days, hours, also_hours, complex_days",
    [
        ("notify-lado", "R12", "concern-arose", 1, None, 24, None),
        ("initial-discussion", "R13", "concern-arose", None, 24, None, None),
        ("strategy-discussion", "R14", "social-care-referral", None, 24, None, None),
        ("strategy-meeting", "R15", "social-care-referral", 7, None, None, None),
        ("employer-action", "R16", "initial-discussion", 3, None, None, None),
        ("disciplinary-hearing", "R17", "decision", 15, None, None, None),
        ("case-review", "R18", "previous-review", 20, None, None, 10),
    ],
)
def test_default_time_limits_r12_to_r18(profile, kind, rule, start, working_days, hours, also_hours, complex_days):
    limit = profile.time_limit(kind)
    assert (limit.kind, limit.rule, limit.start) == (kind, rule, start)
    assert (limit.working_days, limit.hours) == (working_days, hours)
    assert (limit.also_hours, limit.complex_working_days) == (also_hours, complex_days)
    assert limit.label


def test_default_has_exactly_the_required_time_limits(profile):
    assert tuple(profile.time_limits) == TIME_LIMIT_KINDS
    with pytest.raises(KeyError):
        profile.time_limit("no-such-kind")


EXPECTED_SLUGS = {
    "criteria": ("harm", "offence", "risk", "suitability"),  # R4
    "sources": (  # R6
        "child", "parent-carer", "colleague", "police", "social-care", "third-party",
        "anonymous", "employment", "self-disclosure", "whistle-blower", "other",  # whistle-blower: R50
    ),
    "categories": ("physical", "emotional", "sexual", "neglect", "conduct"),  # R11, R36
    "employment": (  # R2, R11
        "paid", "temporary", "casual", "agency", "volunteer", "self-employed", "contractor",
        "foster-carer", "prospective-adopter", "household-member", "other",
    ),
    "sectors": (  # R36
        "education", "early-years", "social-care", "health", "police", "youth-offending",
        "probation", "cafcass", "secure-estate", "voluntary", "faith", "sport", "transport",
        "fostering", "adoption", "residential-care", "armed-forces", "other",
    ),
    "subject_statuses": ("working", "working-with-changes", "suspended", "not-working", "left", "unknown"),
    "outcomes": ("substantiated", "unsubstantiated", "false", "malicious", "unfounded"),  # R28
    "employment_outcomes": (  # R29
        "no-action", "management-advice", "written-warning", "final-warning", "dismissed",
        "ceased-to-use", "resigned", "retired", "contract-ended", "returned-to-work", "other",
    ),
    "routes": ("police", "social-care", "employer"),  # R22
    "escalation_reasons": (  # R38
        "timescales", "advice-not-followed", "risk-not-addressed", "unsafe-practice", "legislation",
        "threshold-decision",  # R40 on an advice-only consultation (R37c)
    ),
    "escalation_branches": ("wider-workforce", "childrens-services"),  # R39 steps 3-4
    "meeting_types": (  # R25
        "initial-discussion", "strategy-discussion", "strategy-meeting", "pot-meeting", "review",
        "escalation", "disciplinary-hearing", "further-action", "other",  # further-action: R47
    ),
    "police_outcomes": ("charged", "continuing", "no-further-action", "trial-concluded"),  # R27
    "suspension_decisions": ("suspended", "alternative-duties", "not-suspended", "not-applicable", "lifted"),  # R24, R45
    "consent_from": ("police", "social-care"),  # R46
    "contact_decisions": ("no-contact", "supervised", "managed", "unrestricted"),  # R48
    "minutes_decisions": ("granted", "partly", "refused"),  # R49
    "complaint_subjects": ("outcome", "process"),  # R50
}


@pytest.mark.parametrize("list_name", sorted(EXPECTED_SLUGS))
def test_default_option_lists(profile, list_name):
    assert profile.slugs(list_name) == EXPECTED_SLUGS[list_name]
    assert all(o.label.strip() for o in profile.options(list_name))


def test_default_suitability_indicators_r5(profile):
    slugs = profile.slugs("suitability_indicators")
    assert len(slugs) == 10
    assert {"boundaries", "personal-life", "child-protection-enquiries", "abuse-of-power"} <= set(slugs)


def test_every_option_list_is_an_attribute(profile):
    for list_name in OPTION_LISTS:
        assert getattr(profile, list_name) == profile.options(list_name)
        assert all(isinstance(o, Option) for o in profile.options(list_name))


def test_default_ladders_r39_r40_r41(profile):
    down = profile.ladder("lado-to-agency")
    assert down.rule == "R39"
    assert [s.number for s in down.steps] == [1, 2, 3, 4]
    assert [s.response_working_days for s in down.steps] == [3, None, 5, None]
    assert down.practice_review_from_step == 3
    assert [s.optional for s in down.steps] == [False, True, False, False]  # R39 step 2: the meeting "may" be needed
    assert down.branch_from_step == 3  # R39 steps 3-4: wider workforce or children's services
    up = profile.ladder("agency-to-lado")
    assert up.rule == "R40"
    assert [s.response_working_days for s in up.steps] == [3, None, None]
    # R40 step 2: a limit on the referrer who escalates (from the LADO's reply), not a reply.
    assert [s.escalate_within_working_days for s in up.steps] == [None, 5, None]
    assert up.practice_review_from_step == 3 and up.branch_from_step is None
    assert all(s.who for s in down.steps + up.steps)


def test_default_retention_r37b(profile):
    schedule = {r.outcome: (r.years, r.action, r.start) for r in profile.retention}
    assert schedule == {
        "substantiated": (100, "keep", "closure"),
        "unsubstantiated": (100, "keep", "closure"),
        "false": (10, "review", "closure"),
        "malicious": (10, "review", "closure"),
        "unfounded": (10, "review", "closure"),
    }
    assert profile.retention_for("malicious").years == 10
    assert profile.retention_for("nothing") is None


def test_regions_agree_with_the_calendar():
    from lado_cli.domain.calendar import REGIONS as CALENDAR_REGIONS

    assert set(REGIONS) == set(CALENDAR_REGIONS)


def test_calendar_carries_the_profile_settings(profile):
    cal = profile.calendar()
    assert (cal.region, cal.timezone) == ("england-wales", "Europe/London")
    assert cal.workdays == (0, 1, 2, 3, 4)
    assert (cal.day_start, cal.day_end) == (time(9, 0), time(17, 0))
    weekend = load('[working_hours]\ndays = ["sat", "sun"]\nstart = "10:00"\n').calendar()
    assert weekend.workdays == (5, 6)
    assert weekend.day_start == time(10, 0)


# -- lookups ---------------------------------------------------------------------------------


def test_label_and_slugs(profile):
    assert profile.label("routes", "police") == "Police investigation"
    assert profile.label("routes", "retired-route") == "retired-route"  # an old record's slug
    with pytest.raises(KeyError, match="no option list 'route'"):
        profile.options("route")


def test_check_slug_accepts_a_slug(profile):
    assert profile.check_slug("sources", "source", "parent-carer") == "parent-carer"
    assert profile.check_slug("sources", "source", " Police ") == "police"


def test_check_slug_refuses_with_a_field_error(profile):
    with pytest.raises(FieldError) as caught:
        profile.check_slug("sources", "source", "neighbour")
    err = caught.value
    assert (err.field, err.value) == ("source", "neighbour")
    assert err.problem == "is not one of the profile's referral sources"
    assert err.expected == "one of " + ", ".join(EXPECTED_SLUGS["sources"])
    assert str(err).startswith("--source: 'neighbour' is not one of the profile's referral sources; expected one of child, ")


def test_check_slug_names_the_list_in_words(profile):
    with pytest.raises(FieldError, match="is not one of the profile's employment outcomes"):
        profile.check_slug("employment_outcomes", "employment-outcome", "sacked")
    with pytest.raises(FieldError):
        profile.check_slug("outcomes", "outcome", None)


def test_to_dict_is_json_and_mirrors_the_file(profile):
    data = profile.to_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["working_hours"] == {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "09:00", "end": "17:00"}
    assert data["source"] == "default"
    assert list(data["sources"]) == list(EXPECTED_SLUGS["sources"])  # order kept
    # Apart from `source` and step numbers, it is the default file's data.
    del data["source"]
    for ladder in data["ladders"].values():
        for number, step in enumerate(ladder["steps"], start=1):
            assert step.pop("number") == number
    assert data == default_raw()


# -- the example profile ---------------------------------------------------------------------


def test_example_profile_loads_and_overrides():
    northshire = read_profile(EXAMPLE)
    assert northshire.source == str(EXAMPLE)
    assert northshire.name == "Northshire Council"
    assert northshire.ref_prefix == "NLADO"
    assert northshire.region == "england-wales"
    assert northshire.day_start == time(8, 30)
    assert northshire.day_end == time(17, 0)  # not given: the default's
    review = northshire.time_limit("case-review")
    assert (review.working_days, review.complex_working_days, review.rule) == (15, 10, "R18")
    assert northshire.time_limit("strategy-meeting").working_days == 7  # untouched
    assert northshire.contact("duty-lado").value == "01632 960111"
    assert northshire.contact("lado-manager").value.endswith("@northshire.example.org")
    assert northshire.contact("police").value == "101"  # not given: the default's
    assert [c.slug for c in northshire.emergency_contacts] == ["police-emergency", "mash"]
    assert northshire.out_of_hours_contacts[-1].slug == "lado-email"
    assert "armed-forces" not in northshire.slugs("sectors")  # the list was replaced
    assert northshire.label("sectors", "transport") == "School transport"
    assert northshire.slugs("sources") == EXPECTED_SLUGS["sources"]  # not given: the default's
    assert json.dumps(northshire.to_dict())
    assert northshire.calendar().day_start == time(8, 30)


def test_example_uses_only_drama_numbers_and_example_addresses():
    northshire = read_profile(EXAMPLE)
    default_values = {c.value for c in read_profile().contacts} - {"999", "101"}
    for contact in northshire.contacts:
        assert contact.value not in default_values or contact.slug in {"police", "police-emergency"}
        if "@" in contact.value:
            assert contact.value.endswith("example.org")


# -- the merge rule --------------------------------------------------------------------------


def test_merge_contact_field_by_field():
    merged = load('[contacts.duty-lado]\nvalue = "01632 960999"\n')
    contact = merged.contact("duty-lado")
    assert contact.value == "01632 960999"
    assert contact.label == "Duty LADO and children's advice service"
    assert len(merged.contacts) == 6


def test_merge_time_limit_switching_to_hours_drops_working_day_settings():
    merged = load("[time_limits.case-review]\nhours = 72\n")
    review = merged.time_limit("case-review")
    assert (review.hours, review.working_days, review.complex_working_days) == (72, None, None)
    assert review.rule == "R18"
    notify = load("[time_limits.notify-lado]\nhours = 12\n").time_limit("notify-lado")
    assert (notify.hours, notify.working_days, notify.also_hours) == (12, None, None)


def test_merge_time_limit_switching_to_working_days_drops_hours():
    discussion = load("[time_limits.initial-discussion]\nworking_days = 1\n").time_limit("initial-discussion")
    assert (discussion.working_days, discussion.hours) == (1, None)


def test_merge_option_list_is_replaced_whole():
    merged = load('[sources]\nchild = "A child"\nhelpline = "A helpline"\n')
    assert merged.slugs("sources") == ("child", "helpline")
    assert merged.label("sources", "child") == "A child"
    assert merged.slugs("routes") == EXPECTED_SLUGS["routes"]


def test_merge_arrays_are_replaced():
    merged = load('[working_hours]\ndays = ["mon", "wed"]\n')
    assert merged.workdays == (0, 2)
    assert merged.day_start == time(9, 0)


def test_merge_each_ladder_is_replaced_whole():
    merged = load('[ladders.agency-to-lado]\nrule = "R40"\nlabel = "Ours"\n[[ladders.agency-to-lado.steps]]\nwho = "The LADO"\n')
    up = merged.ladder("agency-to-lado")
    assert [s.who for s in up.steps] == ["The LADO"]
    assert up.practice_review_from_step is None  # not carried over from the default
    assert len(merged.ladder("lado-to-agency").steps) == 4


def test_merge_retention_is_replaced_whole():
    merged = load('[retention]\nsubstantiated = { years = 50, action = "keep", from = "referral" }\n')
    assert [(r.outcome, r.years, r.start) for r in merged.retention] == [("substantiated", 50, "referral")]


def test_merge_leaves_the_cached_default_alone():
    load('name = "Other"\n[contacts.police]\nvalue = "112"\n[sources]\nchild = "A child"\n')
    assert read_profile().name == "Staffordshire County Council"
    assert read_profile().contact("police").value == "101"
    assert len(read_profile().sources) == 11  # ten, and whistle-blower (R50)


def test_an_empty_user_file_is_the_default():
    assert load("").to_dict() | {"source": "default"} == read_profile().to_dict()


def test_a_whole_profile_parses_without_a_base():
    assert parse_profile(default_text(), "copy.toml").to_dict() | {"source": "default"} == read_profile().to_dict()


# -- validation: one test per kind of error ----------------------------------------------------


def test_toml_syntax_error_names_the_line():
    message = error('name = "x"\nref_prefix = \n')
    assert "line 2" in message and "not valid TOML" in message


def test_unknown_top_level_key():
    message = error('[time_limit.case-review]\nworking_days = 5\n')
    assert message.startswith("profile test.toml: time_limit: unknown key; expected one of ")
    assert "time_limits" in message


def test_unknown_key_in_a_time_limit():
    message = error("[time_limits.case-review]\nworkdays = 5\n")
    assert "time_limits.case-review.workdays: unknown key; expected one of rule, label, from, working_days" in message


def test_unknown_time_limit_kind():
    message = error("[time_limits.case-reveiw]\nworking_days = 5\n")
    assert "time_limits.case-reveiw: unknown key; expected one of notify-lado, " in message


def test_unknown_key_in_a_contact():
    assert "contacts.police.number: unknown key; expected one of label, value" in error('[contacts.police]\nnumber = "1"\n')


def test_unknown_key_in_a_ladder_step():
    text = '[ladders.agency-to-lado]\nrule = "R40"\nlabel = "x"\n[[ladders.agency-to-lado.steps]]\nwho = "LADO"\ndays = 3\n'
    assert "ladders.agency-to-lado.steps[1].days: unknown key; expected one of who, response_working_days" in error(text)


def test_unknown_working_hours_key():
    assert "working_hours.begin: unknown key" in error('[working_hours]\nbegin = "08:00"\n')


def test_missing_top_level_key_without_a_base():
    message = error(default_without(r"^ref_prefix = .*$"), base=False)
    assert "ref_prefix: missing; expected the case reference prefix" in message


def test_wrong_type_of_text():
    assert "name: is a whole number; expected " in error("name = 3\n")


def test_wrong_type_of_number():
    message = error('[time_limits.case-review]\nworking_days = "20"\n')
    assert "time_limits.case-review.working_days: is a string; expected a whole number of working days greater than 0" in message
    assert "time_limits.case-review.working_days: is a boolean" in error("[time_limits.case-review]\nworking_days = true\n")


def test_wrong_type_of_table():
    assert "working_hours: is a string; expected a [working_hours] table" in error('working_hours = "9-5"\n')
    assert "sources: is an array; expected a [sources] table" in error('sources = ["child"]\n')


def test_bad_option_slug():
    message = error('[sources]\n"Bad Slug" = "x"\n')
    assert 'sources."Bad Slug": is not a valid slug; expected lowercase letters' in message
    assert "sources.social_care: is not a valid slug" in error('[sources]\nsocial_care = "x"\n')


def test_bad_contact_slug():
    assert "contacts.Duty-LADO: is not a valid slug" in error('[contacts.Duty-LADO]\nlabel = "x"\nvalue = "1"\n')


def test_empty_label():
    assert "routes.police: '' is empty or spans lines" in error('[routes]\npolice = ""\n')


def test_empty_option_list():
    assert "categories: is empty; expected at least one" in error("[categories]\n")


def test_unknown_region():
    message = error('region = "wales"\n')
    assert "region: 'wales' is not a known bank-holiday region; expected one of england-wales, scotland, northern-ireland" in message


def test_unknown_time_zone():
    assert "timezone: 'Europe/Londn' is not a known time zone" in error('timezone = "Europe/Londn"\n')


def test_bad_ref_prefix():
    assert "ref_prefix: 'lado-x' is not usable in a case reference" in error('ref_prefix = "lado-x"\n')


def test_working_hours_not_hh_mm():
    assert "working_hours.start: '9am' is not a time; expected a 24-hour time" in error('[working_hours]\nstart = "9am"\n')
    assert "working_hours.end: '24:00' is not a time" in error('[working_hours]\nend = "24:00"\n')


def test_working_hours_start_after_end():
    message = error('[working_hours]\nstart = "18:00"\n')
    assert "working_hours.end: '17:00' is not after start '18:00'" in message


def test_unknown_weekday():
    assert "working_hours.days: 'monday' is not a weekday name; expected names among mon, " in error('[working_hours]\ndays = ["monday"]\n')
    assert "working_hours.days: 'mon' is listed twice" in error('[working_hours]\ndays = ["mon", "mon"]\n')
    assert "working_hours.days: is empty" in error("[working_hours]\ndays = []\n")


def test_time_limit_with_both_working_days_and_hours():
    message = error("[time_limits.strategy-meeting]\nworking_days = 7\nhours = 24\n")
    assert "time_limits.strategy-meeting: sets both working_days and hours; expected exactly one of working_days or hours" in message


def test_time_limit_with_neither_working_days_nor_hours():
    message = error(default_without(r"^working_days = 15\n"), base=False)
    assert "time_limits.disciplinary-hearing: sets neither working_days nor hours" in message


def test_time_limit_with_a_non_positive_number():
    assert "time_limits.employer-action.working_days: 0 is not greater than 0" in error("[time_limits.employer-action]\nworking_days = 0\n")
    assert "time_limits.strategy-discussion.hours: -1 is not greater than 0" in error("[time_limits.strategy-discussion]\nhours = -1\n")


def test_also_hours_needs_working_days():
    message = error("[time_limits.initial-discussion]\nalso_hours = 12\n")
    assert "time_limits.initial-discussion.also_hours: only applies to a limit counted in working days" in message


def test_time_limit_from_unknown_start():
    message = error('[time_limits.strategy-meeting]\nfrom = "referral"\n')
    assert "time_limits.strategy-meeting.from: 'referral' is not a known starting point; expected one of concern-arose, " in message


def test_time_limit_bad_rule_id():
    assert "time_limits.case-review.rule: 'rule 18' is not a rule id" in error('[time_limits.case-review]\nrule = "rule 18"\n')


def test_required_time_limit_missing():
    text = default_without(r"^\[time_limits\.case-review\]\n(.+\n)+")
    message = error(text, base=False)
    assert "time_limits.case-review: missing; expected a table for every kind: notify-lado, " in message


def test_contact_group_names_an_unknown_contact():
    message = error('[contact_groups]\nemergency = ["police-emergncy"]\n')
    assert "contact_groups.emergency: 'police-emergncy' is not a contact of [contacts]; expected one of duty-lado, " in message


def test_contact_group_empty_or_unknown():
    assert "contact_groups.out_of_hours: is empty" in error("[contact_groups]\nout_of_hours = []\n")
    assert "contact_groups.daytime: unknown key; expected one of emergency, out_of_hours" in error('[contact_groups]\ndaytime = ["police"]\n')


def test_ladder_with_no_steps():
    message = error('[ladders.agency-to-lado]\nrule = "R40"\nlabel = "x"\nsteps = []\n')
    assert "ladders.agency-to-lado.steps: is empty; expected one or more" in message


def test_ladder_step_with_non_positive_response_days():
    text = '[ladders.agency-to-lado]\nrule = "R40"\nlabel = "x"\n[[ladders.agency-to-lado.steps]]\nwho = "LADO"\nresponse_working_days = 0\n'
    assert "ladders.agency-to-lado.steps[1].response_working_days: 0 is not greater than 0" in error(text)


def test_ladder_practice_review_step_out_of_range():
    text = '[ladders.agency-to-lado]\nrule = "R40"\nlabel = "x"\npractice_review_from_step = 2\n[[ladders.agency-to-lado.steps]]\nwho = "LADO"\n'
    assert "ladders.agency-to-lado.practice_review_from_step: 2 is not a step of this ladder; expected a step number from 1 to 1" in error(text)


def test_unknown_ladder():
    assert "ladders.lado-to-school: unknown key; expected one of lado-to-agency, agency-to-lado" in error('[ladders.lado-to-school]\nrule = "R39"\n')


def test_retention_outcome_not_in_outcomes():
    message = error('[retention]\ndismissed = { years = 5, action = "keep", from = "closure" }\n')
    assert "retention.dismissed: is not one of the profile's outcomes; expected an outcome of [outcomes]: substantiated, " in message


def test_removing_an_outcome_points_at_the_default_schedule():
    text = '[outcomes]\nsubstantiated = "S"\nunsubstantiated = "U"\nfalse = "F"\nmalicious = "M"\n'
    message = error(text)
    assert "retention.unfounded: is not one of the profile's outcomes" in message
    assert "give your own [retention] table" in message
    fixed = load(text + '[retention]\nsubstantiated = { years = 100, action = "keep", from = "closure" }\n')
    assert "unfounded" not in fixed.slugs("outcomes")


def test_retention_bad_action_and_years():
    assert "retention.substantiated.action: 'delete' is not a retention action; expected one of keep, review" in error(
        '[retention]\nsubstantiated = { years = 5, action = "delete", from = "closure" }\n'
    )
    assert "retention.false.years: 0 is not greater than 0" in error('[retention]\nfalse = { years = 0, action = "review", from = "closure" }\n')
    assert "retention.false.from: missing" in error('[retention]\nfalse = { years = 1, action = "review" }\n')


def test_values_in_messages_stay_on_one_line():
    message = error('region = """england\nwales"""\n')
    assert "'england\\nwales'" in message


# -- reading files ---------------------------------------------------------------------------


def test_read_profile_missing_file(tmp_path):
    path = tmp_path / "nope.toml"
    with pytest.raises(LadoError, match=rf"^profile {re.escape(str(path))}: cannot read the file \(No such file or directory\)"):
        read_profile(path)


def test_read_profile_directory(tmp_path):
    with pytest.raises(LadoError, match=rf"^profile {re.escape(str(tmp_path))}: cannot read the file"):
        read_profile(tmp_path)


def test_read_profile_not_utf8(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes('name = "Caf\xe9 Council"\n'.encode("latin-1"))
    with pytest.raises(LadoError, match=rf"^profile {re.escape(str(path))}: byte 12 is not UTF-8 text"):
        read_profile(path)


def test_read_profile_from_a_file_merges_and_names_it(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text('\ufeffname = "Mine"\n[time_limits.strategy-meeting]\nworking_days = 5\n', encoding="utf-8")
    mine = read_profile(str(path))
    assert (mine.name, mine.source) == ("Mine", str(path))
    assert mine.time_limit("strategy-meeting").working_days == 5
    path.write_text("[time_limits.strategy-meeting]\nworking_days = -5\n", encoding="utf-8")
    with pytest.raises(LadoError, match=rf"^profile {re.escape(str(path))}: time_limits.strategy-meeting.working_days: "):
        read_profile(path)


def test_missing_fields_say_what_belongs_there():
    assert "contacts.pastoral.value: missing; expected both a label and a value" in error('[contacts.pastoral]\nlabel = "Pastoral lead"\n')
    message = error('[ladders.agency-to-lado]\nlabel = "Ours"\n')
    assert "ladders.agency-to-lado.rule: missing; expected a whole ladder" in message


def test_keys_in_messages_stay_on_one_line():
    assert 'sources."two\\nlines": is not a valid slug' in error('[sources]\n"two\\nlines" = "x"\n')


def test_meeting_and_employer_action_limits_are_profile_data():
    from lado_cli.profiles import default_raw

    p = parse_profile("", "default", base=default_raw())
    assert p.meeting_limits["strategy-meeting"] == "strategy-meeting" and p.meeting_limits["review"] == "case-review"  # R25, R18
    assert p.employer_action_limits == {"management": "employer-action", "hearing": "disciplinary-hearing"}  # R16, R17
    own = parse_profile('[meeting_limits]\npot-meeting = "strategy-meeting"\n', "p.toml", base=default_raw())
    assert own.meeting_limits["pot-meeting"] == "strategy-meeting" and own.meeting_limits["review"] == "case-review"
    with pytest.raises(LadoError, match=r"meeting_limits\.coffee: is not one of the profile's options"):
        parse_profile('[meeting_limits]\ncoffee = "case-review"\n', "p.toml", base=default_raw())
    with pytest.raises(LadoError, match=r"employer_action_limits\.management: 'lunch' is not a time limit kind"):
        parse_profile('[employer_action_limits]\nmanagement = "lunch"\n', "p.toml", base=default_raw())
