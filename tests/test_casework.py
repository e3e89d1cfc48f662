"""Case work after the initial discussion (R45-R50), through the CLI on both backends.

The case (conftest REFERRAL): the concern arose Tue 22/12/2026 16:30, the referral was received
Wed 23/12/2026 09:15, and now is Wed 23/12/2026 10:00 (GMT). The initial discussion is held at
09:30. Fri 25/12, Mon 28/12 and Fri 01/01 are bank holidays. Expected values are worked out by
hand from the rules, in the comments beside them.
"""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, fails, ok, with_flags

REF = "LADO-2026-0001"
DISCUSS = ["--no-input", "--held", "23/12/2026 09:30", "--criteria", "harm", "--rationale", "Bruise seen", "--route", "police"]


@pytest.fixture
def case(lado) -> str:
    """A referral discussed at 09:30 with the adult suspended (R24)."""
    assert ok(lado("refer", "--no-input", *REFERRAL)).stdout.strip().splitlines()[-1] == REF
    ok(lado("discuss", REF, *DISCUSS, "--suspension", "suspended", "--named-contact", "Ms Patel, HR"))
    return REF


def show(lado, ref: str = REF) -> dict:
    return json.loads(ok(lado("show", ref, "--format", "json")).stdout)


def words(text: str) -> str:
    return " ".join(text.split())


def duties(data: dict) -> dict[str, str]:
    return {u["kind"]: u["status"] for u in data["duties"]}


# -- R45: suspension over time ---------------------------------------------------------------


def test_suspension_changed_is_saved_shown_and_in_the_chronology(lado, case):
    r = ok(lado("suspension", case, "--no-input", "--decision", "alternative-duties", "--at", "23/12/2026 09:40", "--told-lado", "23/12/2026 09:45",
                "--why", "Office work away from pupils", "--support", "Occupational health", "--updates", "Weekly call from HR", "--union-advised"))  # fmt: skip
    assert "Suspension (R45): Alternative duties away from children instead, decided 23/12/2026 09:40. LADO told 23/12/2026 09:45." in words(r.stdout)
    data = show(lado)
    [s] = data["casework"]["suspensions"]
    assert (s["at"], s["decision"], s["told_lado"]) == ("2026-12-23T09:40:00+00:00", "alternative-duties", "2026-12-23T09:45:00+00:00")
    assert (s["why"], s["support"], s["updates"], s["union_advised"], s["actor"]) == (
        "Office work away from pupils", "Occupational health", "Weekly call from HR", True, "tester")
    assert data["casework"]["latest_suspension"] == "alternative-duties" and data["casework"]["removed_from_duties"] is True
    event = data["timeline"][-1]
    assert event["kind"] == "suspension" and event["rationale"] == "Office work away from pupils"
    assert "Advised to contact their union or professional association." in event["text"]
    table = words(ok(lado("show", case)).stdout)
    assert "Suspension after the discussion (R45); latest: Alternative duties away from children instead" in table
    assert "Support (P§35)" in table and "Occupational" in table  # (cells wrap: single words)


def test_suspension_without_told_lado_says_so(lado, case):
    ok(lado("suspension", case, "--no-input", "--decision", "alternative-duties", "--at", "23/12/2026 09:40"))
    assert "The LADO was not recorded as told (P§34)." in show(lado)["timeline"][-1]["text"]
    assert "not recorded" in words(ok(lado("show", case)).stdout)


@pytest.mark.parametrize(("args", "code", "said"), [
    (["--decision", "sacked", "--at", "23/12/2026 09:40"], 1, "--decision"),
    (["--at", "23/12/2026 09:40"], 2, "--decision"),
    (["--decision", "alternative-duties"], 2, "--at"),
    (["--decision", "alternative-duties", "--at", "the 23rd"], 1, "--at"),  # not a date (flags are strict)
    (["--decision", "alternative-duties", "--at", "23/12/2026 09:29"], 1, "before the initial discussion"),  # one minute early
    (["--decision", "alternative-duties", "--at", "23/12/2026 10:01"], 1, "in the future"),  # a minute after now
    (["--decision", "alternative-duties", "--at", "23/12/2026 09:40", "--told-lado", "23/12/2026 09:39"], 1, ("--told-lado", "before the decision")),
    (["--decision", "suspended", "--at", "23/12/2026 09:40"], 1, "is already the latest"),  # the discussion's decision (R24) is the first
    (["--decision", "not-suspended", "--at", "23/12/2026 09:40", "--told-lado", "23/12/2026 10:01"], 1, ("--told-lado", "in the future")),
])  # fmt: skip
def test_suspension_bad_input_is_one_line_and_saves_nothing(lado, case, args, code, said):
    before = show(lado)
    fails(lado("suspension", case, "--no-input", *args), code, *((said,) if isinstance(said, str) else said))
    assert show(lado) == before


def test_suspension_edges_equal_instants_are_in_order(lado, case):
    # At the very minute of the discussion (09:30), told at that same minute, and now (10:00): all accepted.
    ok(lado("suspension", case, "--no-input", "--decision", "alternative-duties", "--at", "23/12/2026 09:30", "--told-lado", "23/12/2026 09:30"))
    ok(lado("suspension", case, "--no-input", "--decision", "lifted", "--at", "23/12/2026 10:00", "--told-lado", "23/12/2026 10:00"))
    assert [s["decision"] for s in show(lado)["casework"]["suspensions"]] == ["alternative-duties", "lifted"]


def test_a_decision_dated_before_the_latest_one_is_refused_and_a_same_instant_one_recorded_later_is_the_latest(lado, case):
    ok(lado("suspension", case, "--no-input", "--decision", "alternative-duties", "--at", "23/12/2026 09:45"))
    fails(lado("suspension", case, "--no-input", "--decision", "lifted", "--at", "23/12/2026 09:44"), 1, "--at", "before the latest suspension decision")
    ok(lado("suspension", case, "--no-input", "--decision", "lifted", "--at", "23/12/2026 09:45"))
    assert show(lado)["casework"]["latest_suspension"] == "lifted"


def test_suspended_needs_a_named_contact_and_lifted_needs_a_suspension(lado):
    ok(lado("refer", "--no-input", *REFERRAL))
    fails(lado("suspension", REF, "--no-input", "--decision", "suspended", "--at", "23/12/2026 09:40"), 1, "initial discussion", "lado discuss")
    ok(lado("discuss", REF, *DISCUSS, "--suspension", "not-suspended"))
    fails(lado("suspension", REF, "--no-input", "--decision", "lifted", "--at", "23/12/2026 09:40"), 1, "--decision", "never had")
    fails(lado("suspension", REF, "--no-input", "--decision", "suspended", "--at", "23/12/2026 09:40"), 2, "--named-contact")
    ok(lado("suspension", REF, "--no-input", "--decision", "suspended", "--at", "23/12/2026 09:40", "--named-contact", "Mr Khan"))
    assert show(lado)["casework"]["suspensions"][0]["named_contact"] == "Mr Khan"


# -- R48: the return-to-work duty follows the latest suspension decision ----------------------


def test_return_to_work_is_raised_when_a_suspension_is_lifted_before_the_outcome(lado, case):
    assert "return-to-work" not in duties(show(lado))
    r = ok(lado("suspension", case, "--no-input", "--decision", "lifted", "--at", "23/12/2026 09:50"))
    assert "Duty raised: Support for the adult's return to work after suspension or alternative duties (R48)." in words(r.stdout)
    data = show(lado)
    assert duties(data) == {"return-to-work": "outstanding"} and data["duties"][0]["rule"] == "R48"
    # An outcome that does not keep them in post does not withdraw it: they came back (R48, whatever the outcome).
    ok(lado("outcome", case, "--no-input", "--outcome", "unsubstantiated", "--date", "23/12/2026"))
    assert duties(show(lado))["return-to-work"] == "outstanding"
    # Suspended again before the duty was done: it no longer applies, and is withdrawn with why.
    r = ok(lado("suspension", case, "--no-input", "--decision", "suspended", "--at", "23/12/2026 09:55", "--named-contact", "Ms Patel"))
    assert "Duty withdrawn" in r.stdout
    data = show(lado)
    assert duties(data)["return-to-work"] == "withdrawn" and "latest suspension decision 'suspended'" in data["duties"][0]["withdrawn_reason"]


def test_return_to_work_after_alternative_duties_when_the_employment_outcome_keeps_them_in_post(lado):
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("discuss", REF, *DISCUSS, "--suspension", "alternative-duties"))
    ok(lado("outcome", REF, "--no-input", "--outcome", "unfounded", "--employment", "no-action", "--date", "23/12/2026"))
    assert duties(show(lado))["return-to-work"] == "outstanding"


def test_no_return_to_work_when_never_removed_or_dismissed(lado, new_db):
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("discuss", REF, *DISCUSS, "--suspension", "not-suspended"))
    ok(lado("outcome", REF, "--no-input", "--outcome", "unfounded", "--employment", "no-action", "--date", "23/12/2026"))
    assert "return-to-work" not in duties(show(lado))
    other = str(new_db("dismissed"))
    ok(lado("--db", other, "refer", "--no-input", *REFERRAL))
    ok(lado("--db", other, "discuss", REF, *DISCUSS, "--suspension", "suspended", "--named-contact", "HR"))
    ok(lado("--db", other, "outcome", REF, "--no-input", "--outcome", "substantiated", "--employment", "dismissed", "--date", "23/12/2026"))
    assert "return-to-work" not in duties(json.loads(ok(lado("--db", other, "show", REF, "-f", "json")).stdout))


# -- R36, R45: stats count each case by its latest suspension decision -------------------------


def test_stats_count_each_case_by_its_latest_suspension_decision(lado):
    for name, discussed, later in (
        ("Al One", "suspended", [("lifted", "23/12/2026 09:40")]),                                   # -> lifted
        ("Bo Two", "not-suspended", [("suspended", "23/12/2026 09:40")]),                            # -> suspended
        ("Cy Three", "alternative-duties", []),                                                     # -> alternative-duties (the discussion's)
        ("Di Four", "suspended", [("alternative-duties", "23/12/2026 09:45"), ("lifted", "23/12/2026 09:45")]),  # same instant: recorded later wins -> lifted
    ):  # fmt: skip
        ref = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name=name))).stdout.strip().splitlines()[-1]
        ok(lado("discuss", ref, *DISCUSS, "--suspension", discussed, "--named-contact", "HR"))
        for decision, at in later:
            ok(lado("suspension", ref, "--no-input", "--decision", decision, "--at", at, "--named-contact", "HR"))
    r = json.loads(ok(lado("stats", "--from", "23/12/2026", "--to", "23/12/2026", "-f", "json")).stdout)
    counts = {row["item"]: row["count"] for row in r["suspension"]["rows"]}
    assert counts == {"suspended": 1, "alternative-duties": 1, "not-suspended": 0, "not-applicable": 0, "lifted": 2, "not-recorded": 0}


# -- R47: the police follow-up -----------------------------------------------------------------


def test_nfa_starts_police_follow_up_due_end_of_the_fifth_working_day(lado, case, monkeypatch):
    r = ok(lado("police", case, "--no-input", "--date", "23/12/2026 09:55", "--outcome", "no-further-action"))
    # 5 working days after Wed 23/12: Thu 24 (1), [Fri 25, Mon 28 bank holidays, weekend], Tue 29 (2),
    # Wed 30 (3), Thu 31 (4), [Fri 1/1 bank holiday, weekend], Mon 4/1 (5): end of Mon 04/01/2027, GMT.
    assert "Further action to be discussed with the employer (R47) by 04/01/2027 23:59." in words(r.stdout)
    [d] = [d for d in show(lado)["deadlines"] if d["kind"] == "police-follow-up"]
    assert (d["rule"], d["due"], d["status"]) == ("R47", "2027-01-04T23:59:59+00:00", "open")
    assert "police-follow-up" in ok(lado("due", "--within", "30")).stdout
    monkeypatch.setenv("LADO_NOW", "2027-01-04T23:59:59Z")  # at the due instant: still open (overdue only after it)
    assert [d["status"] for d in show(lado)["deadlines"] if d["kind"] == "police-follow-up"] == ["open"]
    monkeypatch.setenv("LADO_NOW", "2027-01-05 00:00")
    assert [d["status"] for d in show(lado)["deadlines"] if d["kind"] == "police-follow-up"] == ["overdue"]


# Due end of Mon 04/01/2027: met in its last minute is on time; at midnight it is the next working day, Tue 05/01.
@pytest.mark.parametrize(("at", "late"), [("04/01/2027 23:59", None), ("05/01/2027 00:00", "1 working day late")])
def test_police_follow_up_met_with_done_on_time_at_the_due_day_late_after(lado, case, monkeypatch, at, late):
    ok(lado("police", case, "--no-input", "--date", "23/12/2026 09:55", "--outcome", "charged"))
    monkeypatch.setenv("LADO_NOW", "2027-01-06 09:00")
    ok(lado("done", case, "police-follow-up", "--at", at, "--note", "Employer to start its disciplinary"))
    [d] = [d for d in show(lado)["deadlines"] if d["kind"] == "police-follow-up"]
    assert (d["status"], d["late"]) == ("met", late)


def test_further_action_meeting_meets_police_follow_up_and_continuing_starts_none(lado, case):
    ok(lado("police", case, "--no-input", "--date", "23/12/2026 09:50", "--outcome", "continuing"))
    assert "police-follow-up" not in [d["kind"] for d in show(lado)["deadlines"]]
    ok(lado("police", case, "--no-input", "--date", "23/12/2026 09:55", "--outcome", "trial-concluded", "--result", "Acquitted"))
    ok(lado("meeting", case, "--no-input", "--type", "further-action", "--held", "23/12/2026 09:58", "--decisions", "No further action by the employer"))
    [d] = [d for d in show(lado)["deadlines"] if d["kind"] == "police-follow-up"]
    assert (d["status"], d["met_at"]) == ("met", "2026-12-23T09:58:00+00:00")


# -- R46 -------------------------------------------------------------------------------------------


def test_consent_and_risk_assessment_saved_and_shown(lado, case):
    ok(lado("consent", case, "--no-input", "--from", "police", "--at", "23/12/2026 09:15", "--by", "DS Brown", "--scope", "Witness statements"))
    ok(lado("risk-assessment", case, "--no-input", "--commissioned", "23/12/2026 09:50", "--by", "Oak Trust HR", "--assessor", "Dr Rao", "--note", "Boundaries"))
    cw = show(lado)["casework"]
    assert [(c["agency"], c["at"], c["given_by"], c["scope"]) for c in cw["evidence_consents"]] == [
        ("police", "2026-12-23T09:15:00+00:00", "DS Brown", "Witness statements")]
    assert [(a["at"], a["commissioned_by"], a["assessor"], a["note"]) for a in cw["risk_assessments"]] == [
        ("2026-12-23T09:50:00+00:00", "Oak Trust HR", "Dr Rao", "Boundaries")]
    table = words(ok(lado("show", case)).stdout)
    assert "Consent to share evidence with the employer (R46)" in table and "Police (DS Brown)" in table
    assert "Specialised risk assessment (R46)" in table and "Dr Rao" in table
    assert {"consent", "risk-assessment"} <= {e["kind"] for e in show(lado)["timeline"]}


@pytest.mark.parametrize(("command", "args", "code", "said"), [
    ("consent", ["--from", "employer", "--at", "23/12/2026 09:40", "--scope", "x"], 1, "--from"),
    ("consent", ["--from", "police", "--at", "23/12/2026 09:14", "--scope", "x"], 1, "before the referral was received"),  # a minute before receipt
    ("consent", ["--from", "police", "--at", "23/12/2026 09:40"], 2, "--scope"),
    ("risk-assessment", ["--commissioned", "23/12/2026 10:01", "--by", "HR"], 1, "in the future"),
    ("risk-assessment", ["--commissioned", "23/12/2026 09:40"], 2, "--by"),
    ("contact", ["--at", "23/12/2026 09:40", "--decision", "maybe"], 1, "--decision"),
    ("contact", ["--at", "23/12/2026 09:14", "--decision", "no-contact"], 1, "before the referral was received"),
    ("told", ["--at", "23/12/2026 09:40", "--by", "Head"], 2, "--what"),
    ("told", ["--at", "yesterday", "--by", "Head", "--what", "x"], 1, "--at"),
    ("minutes", ["--at", "23/12/2026 09:40", "--by", "The adult"], 2, "--chair"),
    ("minutes", ["--at", "23/12/2026 09:40", "--by", "A", "--chair", "C", "--decision", "granted"], 2, "--decided"),
    ("minutes", ["--at", "23/12/2026 09:40", "--by", "A", "--chair", "C", "--decision", "granted", "--decided", "22/12/2026"], 1, "before the request"),
    ("minutes", ["--at", "23/12/2026 09:40", "--by", "A", "--chair", "C", "--decision", "granted", "--decided", "24/12/2026"], 1, "in the future"),
    ("minutes", ["--request", "7", "--decision", "granted", "--decided", "23/12/2026"], 1, ("--request", "not a minutes request")),
    ("complaint", ["--at", "23/12/2026 09:40", "--from", "A", "--about", "everything", "--summary", "x", "--sent", "23/12/2026 09:41"], 1, "--about"),
    ("complaint", ["--at", "23/12/2026 09:40", "--from", "A", "--about", "outcome", "--summary", "x", "--sent", "23/12/2026 09:41"], 1, ("--about", "outcome")),
    ("complaint", ["--at", "23/12/2026 09:40", "--from", "A", "--about", "process", "--summary", "x", "--sent", "23/12/2026 09:39"], 1, ("--sent", "before the complaint was received")),
    ("compromise", ["--at", "23/12/2026 09:40"], 2, "--text"),
])  # fmt: skip
def test_bad_input_is_one_line_naming_the_field_and_saves_nothing(lado, case, command, args, code, said):
    before = show(lado)
    fails(lado(command, case, "--no-input", *args), code, *((said,) if isinstance(said, str) else said))
    assert show(lado) == before


# -- R48 ---------------------------------------------------------------------------------------------


def test_contact_and_what_the_adult_was_told(lado, case):
    ok(lado("contact", case, "--no-input", "--at", "23/12/2026 09:40", "--decision", "supervised", "--arrangements", "Another adult present in PE"))
    ok(lado("told", case, "--no-input", "--at", "23/12/2026 09:45", "--by", "Ann Head", "--what", "The allegation and the police's role"))
    cw = show(lado)["casework"]
    assert [(c["at"], c["decision"], c["arrangements"]) for c in cw["child_contacts"]] == [("2026-12-23T09:40:00+00:00", "supervised", "Another adult present in PE")]
    assert [(t["at"], t["told_by"], t["what"]) for t in cw["subject_told"]] == [("2026-12-23T09:45:00+00:00", "Ann Head", "The allegation and the police's role")]
    table = words(ok(lado("show", case)).stdout)
    assert "Contact with the child (R48)" in table and "Contact only when supervised" in table
    assert "What the adult was told (R48)" in table and "The allegation and the police's role" in table


# -- R49 ---------------------------------------------------------------------------------------------


def test_minutes_request_then_its_decision(lado, case):
    ok(lado("minutes", case, "--no-input", "--at", "23/12/2026 09:40", "--by", "John Smith (the adult)", "--chair", "Cath Chair",
            "--ig-advice", "Redact the pupils' names"))  # fmt: skip
    [m] = show(lado)["casework"]["minutes_requests"]
    assert (m["requested_by"], m["chair"], m["ig_advice"], m["decision"], m["decided_on"]) == ("John Smith (the adult)", "Cath Chair", "Redact the pupils' names", None, None)
    assert "to follow" in ok(lado("show", case)).stdout
    # The decision on the day of the request: in order (same day).
    ok(lado("minutes", case, "--no-input", "--request", str(m["id"]), "--decision", "partly", "--decided", "23/12/2026", "--redaction", "Pupils' names"))
    [m] = show(lado)["casework"]["minutes_requests"]
    assert (m["decision"], m["decided_on"], m["redaction"], m["ig_advice"]) == ("partly", "2026-12-23", "Pupils' names", "Redact the pupils' names")
    assert "Partly" in ok(lado("show", case)).stdout  # (cells wrap: one word)
    fails(lado("minutes", case, "--no-input", "--request", str(m["id"]), "--decision", "granted", "--decided", "23/12/2026"), 1, "already has its decision")
    kinds = [e["kind"] for e in show(lado)["timeline"]]
    assert kinds.count("minutes-request") == 2


# -- R50 ---------------------------------------------------------------------------------------------


def test_complaint_about_the_process_and_about_the_outcome(lado, case):
    ok(lado("complaint", case, "--no-input", "--at", "23/12/2026 09:40", "--from", "John Smith", "--about", "process", "--summary", "Not kept informed",
            "--sent", "23/12/2026 09:40"))  # sent at the minute it came: in order  # fmt: skip
    ok(lado("outcome", case, "--no-input", "--outcome", "unfounded", "--date", "23/12/2026"))
    ok(lado("done", case, "feedback", "--at", "23/12/2026 09:45"))
    ok(lado("close", case, "--no-input"))
    # A complaint about the outcome can come after the case closed.
    ok(lado("complaint", case, "--no-input", "--at", "23/12/2026 09:50", "--from", "Union rep", "--about", "outcome", "--summary", "Disputes the finding",
            "--sent", "23/12/2026 09:55"))  # fmt: skip
    cw = show(lado)["casework"]
    assert [(c["about"], c["complainant"], c["sent_at"]) for c in cw["complaints"]] == [
        ("process", "John Smith", "2026-12-23T09:40:00+00:00"), ("outcome", "Union rep", "2026-12-23T09:55:00+00:00")]
    table = words(ok(lado("show", case)).stdout)
    assert "Complaints (R50, R37)" in table and "The outcome of the allegation" in table and "How the LADO managed the process" in table
    # ...but a suspension cannot be recorded on a closed case.
    fails(lado("suspension", case, "--no-input", "--decision", "lifted", "--at", "23/12/2026 09:58"), 1, "closed")


def test_complaint_about_the_outcome_is_not_before_the_outcome_day(lado, case, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-12-30 10:00")
    ok(lado("outcome", case, "--no-input", "--outcome", "unfounded", "--date", "24/12/2026"))
    base = ["--from", "A", "--about", "outcome", "--summary", "x"]
    fails(lado("complaint", case, "--no-input", "--at", "23/12/2026 23:59", *base, "--sent", "24/12/2026 10:00"), 1, "--at", "before the outcome")
    ok(lado("complaint", case, "--no-input", "--at", "24/12/2026 00:00", *base, "--sent", "24/12/2026 10:00"))


def test_compromise_agreement_is_recorded_with_a_warning(lado, case):
    r = ok(lado("compromise", case, "--no-input", "--at", "23/12/2026 09:50", "--text", "The school offered an agreed reference if he resigns",
                "--response", "Told the school it must not be used"))  # fmt: skip
    assert "Warning: a compromise agreement must not be used (R33, R50, P§61)" in words(r.stderr)
    assert "Warning given: A resignation offered in return for not pursuing discipline is a compromise agreement: it must not be used" in words(r.stdout)
    event = show(lado)["timeline"][-1]
    assert event["kind"] == "compromise-agreement" and "must not be used" in event["text"] and event["rationale"] == "Told the school it must not be used"


def test_whistle_blower_is_a_source(lado):
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, source="whistle-blower")))
    assert show(lado)["source"] == "whistle-blower"
    assert "Whistle-blower: a member of staff referring directly (R50)" in words(ok(lado("show", REF)).stdout)


# -- dates stay in order after an amendment --------------------------------------------------------


def test_amending_the_discussion_after_a_suspension_decision_is_refused(lado, case):
    ok(lado("suspension", case, "--no-input", "--decision", "lifted", "--at", "23/12/2026 09:40"))
    fails(lado("amend", case, "--held", "23/12/2026 09:41", "--why", "Misread the note"), 1, "the suspension decision", "the initial discussion")
    ok(lado("amend", case, "--held", "23/12/2026 09:40", "--why", "Misread the note"))  # the same minute: in order


def test_amending_the_receipt_after_case_work_is_refused(lado, case):
    ok(lado("told", case, "--no-input", "--at", "23/12/2026 09:20", "--by", "Head", "--what", "x"))
    fails(lado("amend", case, "--received", "23/12/2026 09:21", "--why", "Typo"), 1, "what the adult was told")


# -- the profile ---------------------------------------------------------------------------------


def test_profile_show_lists_the_new_lists_and_limit(lado):
    data = json.loads(ok(lado("profile", "show", "-f", "json")).stdout)
    assert data["time_limits"]["police-follow-up"] == {"rule": "R47", "label": "LADO discusses further action with the employer after the police conclude",
                                                       "from": "police-outcome", "working_days": 5}  # fmt: skip
    assert data["police_follow_up"] == ["charged", "no-further-action", "trial-concluded"]
    for name in ("consent_from", "contact_decisions", "minutes_decisions", "complaint_subjects"):
        assert data[name], name
    assert data["suspension_decisions"]["lifted"] and data["sources"]["whistle-blower"]
    assert {"removed": True, "suspension": ["lifted"]} in data["duties"]["return-to-work"]["when"]
    assert "police-follow-up" in ok(lado("profile", "show")).stdout


def test_rules_r47(lado):
    out = words(ok(lado("rules", "R47")).stdout)
    assert "R47" in out and "5 working days" in out


# -- the team backend: an officer records case work; a restricted case's case work is hidden --------


@pytest.mark.postgresql_only
def test_an_officer_records_case_work_and_a_restricted_cases_case_work_is_hidden(lado):
    from test_roles import as_user, sql_as, team

    team(lado, alice="officer", bob="officer")
    ok(as_user("alice", "refer", "--no-input", *REFERRAL))
    ok(as_user("alice", "discuss", REF, *DISCUSS, "--suspension", "suspended", "--named-contact", "HR"))
    for args in (("suspension", "--decision", "lifted", "--at", "23/12/2026 09:40"),  # grants (store/access.py) let an officer write each table
                 ("consent", "--from", "police", "--at", "23/12/2026 09:41", "--scope", "Statements"),
                 ("risk-assessment", "--commissioned", "23/12/2026 09:42", "--by", "HR"),
                 ("contact", "--at", "23/12/2026 09:43", "--decision", "no-contact"),
                 ("told", "--at", "23/12/2026 09:44", "--by", "Head", "--what", "x"),
                 ("minutes", "--at", "23/12/2026 09:45", "--by", "A", "--chair", "C"),
                 ("complaint", "--at", "23/12/2026 09:46", "--from", "A", "--about", "process", "--summary", "x", "--sent", "23/12/2026 09:47")):  # fmt: skip
        ok(as_user("alice", args[0], REF, "--no-input", *args[1:]))
    tables = ("suspensions", "evidence_consents", "risk_assessments", "child_contacts", "subject_told", "minutes_requests", "complaints")
    assert [sql_as("bob", f"SELECT count(*) FROM {t}") for t in tables] == [[(1,)]] * 7
    ok(as_user("alice", "restrict", REF, "--allow", "alice"))
    assert [sql_as("bob", f"SELECT count(*) FROM {t}") for t in tables] == [[(0,)]] * 7  # row-level security (migration 0012)
    assert [sql_as("alice", f"SELECT count(*) FROM {t}") for t in tables] == [[(1,)]] * 7


def test_an_imported_case_of_an_adult_suspended_at_intake_who_stays_in_post_owes_the_return_to_work(lado, tmp_path):
    import csv

    from test_transfer import EXAMPLE

    with open(EXAMPLE, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    row = dict(rows[0], **{"subject-status": "suspended", "outcome": "unsubstantiated", "employment-outcome": "no-action", "outcome-date": "20/11/2026", "closed": ""})
    kept = dict(row, **{"subject-name": "Kim Kept", "subject-status": "working"})  # never removed: no duty
    path = tmp_path / "two.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows([row, kept])
    ok(lado("import", str(path)))
    refs = [c["ref"] for c in json.loads(ok(lado("list", "--all", "-f", "json")).stdout)]
    owed = {ref: duties(show(lado, ref)).get("return-to-work") for ref in refs}
    assert owed == {"LADO-2026-0001": "outstanding", "LADO-2026-0002": None}  # rows in order: the suspended adult first
