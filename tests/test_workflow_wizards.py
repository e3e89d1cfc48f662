"""The case workflow wizards on a terminal: `lado discuss` (R21-R24), `lado meeting` (R25,
R20), `lado police` (R27, R19), `lado outcome` (R28-R30) and `lado close`, driven end to end
through the CLI with prompt_toolkit pipe input, the way a person answers them.

Each answer is typed only once its question is on the (in-memory) screen, so a test also
checks which questions were asked, and in what order. Keys: Enter "\\r", up/down arrows,
space ticks a checkbox, Ctrl-U clears a line, Ctrl-C "\\x03". Select lists start on their
default (or the first option) and filter as you type.

The case: concern arose Tue 22/12/2026 16:30, received Wed 23/12/2026 09:15; now is Wed
23/12/2026 10:00 (GMT, so UTC+00:00). Fri 25/12, Mon 28/12 and Fri 01/01 are bank holidays.
"""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL
from terminal import Session, interview

ENTER, UP, DOWN, CLEAR, CTRL_C = "\r", "\x1b[A", "\x1b[B", "\x15", "\x03"
REF = "LADO-2026-0001"

# lado discuss: the questions (a prefix is enough), in the order the wizard asks them.
HELD = "When was the initial discussion held?"
WITH = "Who took part?"
CRITERIA = "Which harm criteria are met (R4)?"
ADVICE_ONLY = "None met: record this as an advice-only consultation (R37c)?"
RATIONALE = "Rationale for the threshold decision (R21):"
ROUTES = "Which routes will run (R22)?"
S47 = "May the s47 significant-harm threshold be met"
SC_REFERRED = "When was it referred to children's social care?"
EMPLOYER_ACTION = "What will the employer do?"
POT = "Concerns remain below the s47 threshold"
CONSIDERATIONS = [  # R23, in the profile's order
    "Consideration - Suspension or alternatives",
    "Consideration - Risks to other children",
    "Consideration - Informing the child's parents",
    "Consideration - Informing the adult",
    "Consideration - Likely media interest",
    "Consideration - Timescales for the key actions",
]
SUSPENSION = "Suspension decision (R24):"
SUSPENSION_NOTE = "Alternatives considered and reasons:"
NAMED_CONTACT = "Named contact supporting the adult while suspended:"
COMPLEX = "Is the case complex"
SAVE_DISCUSSION = "Save this initial discussion?"
TRIGGERS = "Suspension (R24)"  # the panel (stderr) shown before the suspension question

CHANGE = "Which answer do you want to change?"  # after "No" at any "Save ...?"

# lado meeting
MEETING_TYPE = "Type of meeting (R25):"
MEETING_HELD = "When was it held?"
CHAIR = "Chair:"
ATTENDEE = "Attendee 'name; role; agency' (blank when done):"
CONFIDENTIALITY = "Was confidentiality separation applied?"
DECISIONS = "Decisions:"
ACTION = "Action 'what; owner; due date' (blank when done):"
MINUTES = "Minutes reference:"
NEXT_REVIEW = "Next review date"
SAVE_MEETING = "Save this meeting?"

# lado police
POLICE_DATE = "When did the police give this update?"
POLICE_OUTCOME = "Police outcome (R27):"
TRIAL_RESULT = "Result of the trial:"
UPDATE = "Update:"
POLICE_REVIEW = "Next police review target date (R19, blank if none):"
SAVE_POLICE = "Save this police update?"

# lado outcome
DECIDED = "Is the outcome of the allegation decided (R28)?"
PROVES = "Is there sufficient evidence to prove the allegation?"
OUTCOME = "Outcome of the allegation (R28):"
EMPLOYMENT = "Employment outcome (R29):"
OUTCOME_DATE = "Date of the outcome:"
OUTCOME_RATIONALE = "How the outcome was reached (R35):"
SAVE_OUTCOME = "Save this outcome?"

CLOSE = f"Close {REF}? Its open time limits become not applicable."


@pytest.fixture
def at_terminal(monkeypatch):
    """A person at a terminal: the workflow commands run their wizards unless told --no-input
    (lado_cli.cli.workflow imports can_prompt by name)."""
    monkeypatch.setattr("lado_cli.cli.workflow.can_prompt", lambda no_input: not no_input)


@pytest.fixture
def case(lado) -> str:
    """A referral saved without prompting: LADO-2026-0001, with its intake clocks."""
    r = lado("refer", "--no-input", *REFERRAL)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == REF
    return REF


def show(lado, ref: str = REF) -> dict:
    r = lado("show", ref, "--format", "json")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)


def limits(data: dict) -> dict[str, dict]:
    """The case's time limits by kind (one of each kind in these tests)."""
    kinds = [d["kind"] for d in data["deadlines"]]
    assert len(kinds) == len(set(kinds)), kinds
    return {d["kind"]: d for d in data["deadlines"]}


def words(text: str) -> str:
    """Text with rich's line wrapping undone (runs of whitespace become one space)."""
    return " ".join(text.split())


def ok(session: Session) -> Session:
    assert session.result.exit_code == 0, session.result.stderr
    return session


def run_ok(lado, *args: str):
    r = lado(*args)
    assert r.exit_code == 0, r.stderr
    return r


def skip_considerations(first: str = "") -> list[tuple[str, str]]:
    """Answer the first R23 consideration with `first` (blank: skip) and skip the rest."""
    return [(CONSIDERATIONS[0], first + ENTER)] + [(c, ENTER) for c in CONSIDERATIONS[1:]]


SOCIAL_CARE_DISCUSSION = ["discuss", REF, "--no-input", "--held", "23/12/2026 10:00", "--criteria", "harm",
                          "--rationale", "Pupil's account is consistent.", "--route", "social-care"]  # fmt: skip


# -- (a) the initial discussion, typed from nothing ------------------------------------------


def test_discuss_typed_from_nothing_saves_the_discussion_and_starts_its_clocks(lado, case, at_terminal):
    steps = [
        (HELD, ENTER),                                       # default: now, 23/12/2026 10:00
        (WITH, "Ann Head and J. Officer (LADO)" + ENTER),
        (CRITERIA, ENTER),                                   # harm and risk: ticked from the referral
        (RATIONALE, "Bruising seen by the class teacher." + ENTER),
        (ROUTES, DOWN + " " + DOWN + " " + ENTER),           # social-care and employer
        (S47, "y"),
        (SC_REFERRED, ENTER),                                # default: when the discussion was held
        (EMPLOYER_ACTION, ENTER),                            # first option: management
        *skip_considerations("Head to consider alternatives first."),
        (SUSPENSION, UP + UP + ENTER),                       # from the default (not suspended) to Suspended
        (SUSPENSION_NOTE, "Alternative duties not possible in a small school." + ENTER),
        (NAMED_CONTACT, "Mr B. Governor" + ENTER),
        (COMPLEX, "n"),
        (SAVE_DISCUSSION, "y"),
    ]  # fmt: skip
    s = ok(interview(lado, ["discuss", case], steps))
    screen, err, out = s.screen, s.result.stderr, words(s.result.stdout)

    # What the person saw: answers echoed, the POT question skipped (s47 may be met) ...
    assert "When was the initial discussion held?  (dd/mm/yyyy hh:mm, or today 09:15) 23/12/2026 10:00" in screen
    assert "What will the employer do? Management action without formal discipline" in screen
    assert "Suspension decision (R24): Suspended" in screen
    assert POT not in screen
    # ... the R24 triggers panel, shown after the considerations and before the suspension question.
    i = [question for question, _ in steps].index(SUSPENSION)
    assert TRIGGERS not in s.stderr_at[i - 1]
    assert TRIGGERS in s.stderr_at[i] and "named contact for support" in s.stderr_at[i]
    assert err.index(REF) < err.index(TRIGGERS)
    # ... and what was recorded.
    assert f"{REF} · Initial discussion held 23/12/2026 10:00 with Ann Head and J. Officer (LADO)." in out
    assert "Suspension (R24): Suspended; named contact Mr B. Governor." in out
    for kind in ("strategy-discussion", "strategy-meeting", "employer-action", "case-review"):
        assert kind in out  # the new time limits table

    data = show(lado, case)
    assert (data["status"], data["complex"]) == ("open", False)
    d = data["discussion"]
    assert d["held"] == "2026-12-23T10:00:00+00:00"
    assert d["participants"] == "Ann Head and J. Officer (LADO)"
    assert d["criteria"] == ["harm", "risk"]
    assert d["rationale"] == "Bruising seen by the class teacher."
    assert d["routes"] == ["social-care", "employer"]
    assert (d["s47"], d["social_care_referred"]) == (True, "2026-12-23T10:00:00+00:00")
    assert (d["employer_action"], d["pot_meeting"]) == ("management", False)
    assert d["considerations"] == {"suspension": "Head to consider alternatives first."}
    assert (d["suspension"], d["named_contact"]) == ("suspended", "Mr B. Governor")
    assert d["suspension_note"] == "Alternative duties not possible in a small school."

    clocks = limits(data)
    assert set(clocks) == {"notify-lado", "initial-discussion", "strategy-discussion", "strategy-meeting", "employer-action", "case-review"}
    due = {k: (v["rule"], v["due"], v["status"]) for k, v in clocks.items()}
    # R14: 24 hours from the social care referral (10:00 Wed).
    assert due["strategy-discussion"] == ("R14", "2026-12-24T10:00:00+00:00", "open")
    # R15: 7 working days: Thu 24, Tue 29, Wed 30, Thu 31, Mon 4, Tue 5, Wed 6 January.
    assert due["strategy-meeting"] == ("R15", "2027-01-06T23:59:59+00:00", "open")
    # R16: 3 working days from the discussion: Thu 24, Tue 29, Wed 30 December.
    assert due["employer-action"] == ("R16", "2026-12-30T23:59:59+00:00", "open")
    # R18: 20 working days (not complex): ... Wed 6 (7) ... Fri 22 (19), Mon 25 January (20).
    assert due["case-review"] == ("R18", "2027-01-25T23:59:59+00:00", "open")
    # R13: met by this discussion, on time.
    assert clocks["initial-discussion"]["status"] == "met"
    assert (clocks["initial-discussion"]["met_at"], clocks["initial-discussion"]["late"]) == ("2026-12-23T10:00:00+00:00", None)
    assert [e["kind"] for e in data["timeline"]] == ["referral", "initial-discussion"]
    assert data["timeline"][-1]["rationale"] == "Bruising seen by the class teacher."
    assert data["timeline"][-1]["actor"] == "tester"


# -- (b) no criterion met: advice only ------------------------------------------------------


def test_discuss_with_no_criteria_confirmed_is_advice_only_without_new_clocks(lado, case, at_terminal):
    s = ok(interview(lado, ["discuss", case], [
        (HELD, ENTER),
        (WITH, ENTER),                  # blank: not recorded
        (CRITERIA, " " + DOWN + DOWN + " " + ENTER),  # untick the referral's harm and risk
        (ADVICE_ONLY, "n"),             # not that: asked again
        (CRITERIA, ENTER),
        (ADVICE_ONLY, "y"),
        (RATIONALE, "A rough game, no harm criterion met." + ENTER),
        (SAVE_DISCUSSION, "y"),
    ]))  # fmt: skip
    for question in (ROUTES, S47, EMPLOYER_ACTION, CONSIDERATIONS[0], SUSPENSION, COMPLEX):
        assert question not in s.screen
    assert s.screen.count(CRITERIA) == 2
    assert "no harm criterion met, so this is an advice-only consultation (R4, R37c)" in words(s.result.stdout)
    assert "New time limit" not in s.result.stdout

    data = show(lado, case)
    assert data["status"] == "advice-only"
    assert (data["discussion"]["criteria"], data["discussion"]["routes"], data["discussion"]["participants"]) == ([], [], None)
    clocks = limits(data)
    assert set(clocks) == {"notify-lado", "initial-discussion"}  # nothing new
    assert clocks["initial-discussion"]["status"] == "met"


# -- (c) flags skip their questions -----------------------------------------------------------


def test_discuss_flags_skip_their_questions_and_only_the_rest_is_asked(lado, case, at_terminal):
    s = ok(interview(lado, ["discuss", case, "--held", "23/12/2026 09:30", "--criteria", "harm",
                            "--rationale", "Injury reported by the parent.", "--route", "police",
                            "--consider", "media=Local paper has asked."], [
        (WITH, "DC Green" + ENTER),
        (POT, "y"),                    # police only: no s47 threshold question, so POT is asked
        (SUSPENSION, ENTER),           # default: not suspended
        (SUSPENSION_NOTE, ENTER),
        (COMPLEX, "y"),
        (SAVE_DISCUSSION, ENTER),      # default: yes
    ]))  # fmt: skip
    for question in (HELD, CRITERIA, RATIONALE, ROUTES, S47, SC_REFERRED, EMPLOYER_ACTION, CONSIDERATIONS[0], NAMED_CONTACT):
        assert question not in s.screen
    assert TRIGGERS in s.result.stderr  # the R24 panel is still shown before the question asked

    data = show(lado, case)
    d = data["discussion"]
    assert (d["held"], d["participants"], d["criteria"], d["routes"]) == ("2026-12-23T09:30:00+00:00", "DC Green", ["harm"], ["police"])
    assert d["rationale"] == "Injury reported by the parent."
    assert (d["s47"], d["social_care_referred"], d["employer_action"]) == (None, None, None)
    assert d["pot_meeting"] is True
    assert d["considerations"] == {"media": "Local paper has asked."}
    assert (d["suspension"], d["suspension_note"], d["named_contact"]) == ("not-suspended", None, None)
    assert data["complex"] is True
    clocks = limits(data)
    assert set(clocks) == {"notify-lado", "initial-discussion", "case-review"}
    assert clocks["initial-discussion"]["met_at"] == "2026-12-23T09:30:00+00:00"
    # R18, complex: 10 working days: Thu 24, Tue 29, Wed 30, Thu 31, Mon 4 ... Fri 8, Mon 11 January.
    assert (clocks["case-review"]["rule"], clocks["case-review"]["due"]) == ("R18", "2027-01-11T23:59:59+00:00")


# -- (d) a meeting --------------------------------------------------------------------------


def test_meeting_typed_saves_attendees_and_actions_and_meets_the_strategy_meeting(lado, case, at_terminal):
    run_ok(lado, *SOCIAL_CARE_DISCUSSION)
    assert limits(show(lado, case))["strategy-meeting"]["status"] == "open"
    s = ok(interview(lado, ["meeting", case], [
        (MEETING_TYPE, UP + UP + DOWN + DOWN + ENTER),   # up to Initial discussion, back down to Strategy meeting
        (MEETING_HELD, ENTER),                           # default: now
        (CHAIR, "J. Officer (LADO)" + ENTER),
        (ATTENDEE, "Ann Head; Head teacher; Oak Primary School" + ENTER),
        (ATTENDEE, "DS Brown; Detective; Police" + ENTER),
        (ATTENDEE, ENTER),                               # blank: no more
        (CONFIDENTIALITY, "y"),
        (DECISIONS, "Police to lead; school to hold its process." + ENTER),
        (ACTION, "Interview pupil; DS Brown; 08/01/2027" + ENTER),
        (ACTION, ENTER),
        (MINUTES, "MIN-2026-77" + ENTER),
        (NEXT_REVIEW, ENTER),
        (SAVE_MEETING, "y"),
    ]))  # fmt: skip
    assert "Type of meeting (R25): Strategy meeting" in s.screen
    out = words(s.result.stdout)
    assert f"{REF} · Strategy meeting held 23/12/2026 10:00, chaired by J. Officer (LADO)." in out
    assert "Actions (R20): Interview pupil (DS Brown, by 08/01/2027)." in out
    assert "Meets the strategy-meeting time limit." in out
    assert "action: Interview pupil" in out and "DS Brown" in out  # the new time limits table

    data = show(lado, case)
    [m] = data["meetings"]
    assert (m["type"], m["held"], m["chair"]) == ("strategy-meeting", "2026-12-23T10:00:00+00:00", "J. Officer (LADO)")
    assert m["attendees"] == [{"name": "Ann Head", "role": "Head teacher", "agency": "Oak Primary School"},
                              {"name": "DS Brown", "role": "Detective", "agency": "Police"}]  # fmt: skip
    assert (m["confidentiality"], m["decisions"], m["minutes_ref"], m["next_review"]) == (
        True, "Police to lead; school to hold its process.", "MIN-2026-77", None)  # fmt: skip
    clocks = limits(data)
    action = clocks["action"]
    assert (action["rule"], action["title"], action["owner"]) == ("R20", "Interview pupil", "DS Brown")
    assert (action["due"], action["status"], action["meeting_id"]) == ("2027-01-08T23:59:59+00:00", "open", m["id"])
    assert (clocks["strategy-meeting"]["status"], clocks["strategy-meeting"]["met_at"]) == ("met", "2026-12-23T10:00:00+00:00")
    assert clocks["strategy-discussion"]["status"] == "open"  # a strategy meeting meets only its own limit
    assert data["timeline"][-1]["kind"] == "meeting"


def test_meeting_action_without_an_owner_is_refused_in_place(lado, case, at_terminal):
    s = ok(interview(lado, ["meeting", case, "--held", "23/12/2026 09:50", "--chair", "J. Officer"], [
        (MEETING_TYPE, DOWN + DOWN + ENTER),             # from Strategy meeting down to Review meeting
        (ATTENDEE, ENTER),
        (CONFIDENTIALITY, ENTER),
        (DECISIONS, ENTER),
        (ACTION, "Send minutes; ; 30/12/2026" + ENTER),  # no owner (R20)
        ("has no owner", CLEAR + "Send minutes; J. Officer; 30/12/2026" + ENTER),
        (ACTION, ENTER),
        (MINUTES, ENTER),
        (NEXT_REVIEW, ENTER),                            # blank: the usual interval
        (SAVE_MEETING, "y"),
    ]))  # fmt: skip
    assert MEETING_HELD not in s.screen and CHAIR not in s.screen
    # The refused answer did not end the question: the same prompt took the corrected answer.
    assert s.screen.count(ACTION) == 2
    data = show(lado, case)
    [m] = data["meetings"]
    assert (m["type"], m["held"], m["chair"], m["attendees"], m["confidentiality"]) == (
        "review", "2026-12-23T09:50:00+00:00", "J. Officer", [], False)  # fmt: skip
    actions = [d for d in data["deadlines"] if d["kind"] == "action"]
    assert [(a["title"], a["owner"], a["due"]) for a in actions] == [("Send minutes", "J. Officer", "2026-12-30T23:59:59+00:00")]
    # A review meeting schedules the next review (R18): 20 working days from Wed 23/12.
    assert [d["due"] for d in data["deadlines"] if d["kind"] == "case-review"] == ["2027-01-25T23:59:59+00:00"]


# -- (e) a police update ----------------------------------------------------------------------


def test_police_trial_concluded_asks_for_the_result_and_review_date_starts_police_review(lado, case, at_terminal):
    s = ok(interview(lado, ["police", case], [
        (POLICE_DATE, ENTER),                            # default: now
        (POLICE_OUTCOME, DOWN * 3 + ENTER),              # Charged, Continuing, NFA, Trial concluded
        (TRIAL_RESULT, "Acquitted" + ENTER),
        (UPDATE, "Verdict given at the Crown Court." + ENTER),
        (POLICE_REVIEW, "15/01/2027" + ENTER),
        (SAVE_POLICE, "y"),
    ]))  # fmt: skip
    assert "Police outcome (R27): Trial concluded (record the result)" in s.screen
    out = words(s.result.stdout)
    assert "Outcome (R27): Trial concluded (record the result): Acquitted." in out
    assert "Next police review (R19) by 15/01/2027." in out
    data = show(lado, case)
    [p] = data["police"]
    assert (p["at"], p["outcome"], p["result"]) == ("2026-12-23T10:00:00+00:00", "trial-concluded", "Acquitted")
    assert (p["text"], p["review_date"]) == ("Verdict given at the Crown Court.", "2027-01-15")
    review = limits(data)["police-review"]
    assert (review["rule"], review["due"], review["status"]) == ("R19", "2027-01-15T23:59:59+00:00", "open")


def test_police_update_without_an_outcome_skips_the_result(lado, case, at_terminal):
    s = ok(interview(lado, ["police", case, "--date", "23/12/2026 09:40"], [
        (POLICE_OUTCOME, DOWN * 4 + ENTER),              # No outcome yet
        (UPDATE, "Officer assigned." + ENTER),
        (POLICE_REVIEW, ENTER),
        (SAVE_POLICE, "y"),
    ]))  # fmt: skip
    assert TRIAL_RESULT not in s.screen and POLICE_DATE not in s.screen
    data = show(lado, case)
    assert [(p["outcome"], p["result"], p["text"], p["review_date"]) for p in data["police"]] == [(None, None, "Officer assigned.", None)]
    assert "police-review" not in limits(data)


# -- (f) an outcome, its duties, and closing --------------------------------------------------


def test_outcome_substantiated_and_dismissed_raises_the_dbs_referral_that_blocks_closing(lado, case, at_terminal):
    s = ok(interview(lado, ["outcome", case], [
        (DECIDED, ENTER),                                # yes
        (PROVES, "y"),                                   # R28: proved, so nothing more is asked
        (OUTCOME, ENTER),                                # the default: Substantiated, the one implied
        (EMPLOYMENT, DOWN * 4 + ENTER),                  # No action ... Dismissed
        (OUTCOME_DATE, ENTER),                           # default: today
        (OUTCOME_RATIONALE, "Admitted at the disciplinary hearing." + ENTER),
        (SAVE_OUTCOME, "y"),
    ]))  # fmt: skip
    assert "Employment outcome (R29): Dismissed" in s.screen
    out = words(s.result.stdout)
    assert "Outcome (R28): Substantiated: enough evidence to prove it, 23/12/2026." in out
    assert "Duty raised: Employer refers the adult to the Disclosure and Barring Service (R30)." in out

    data = show(lado, case)
    assert data["outcome"] == {"outcome": "substantiated", "date": "2026-12-23", "employment": "dismissed", "employment_date": "2026-12-23"}
    duties = {u["kind"]: (u["rule"], u["status"]) for u in data["duties"]}
    assert duties == {"dbs-referral": ("R30", "outstanding"), "feedback": ("R32", "outstanding"), "lessons-learned": ("R32", "outstanding")}
    assert data["timeline"][-1]["rationale"] == "Admitted at the disciplinary hearing."

    for extra in ([], ["--force", "--note", "Employer will not refer."]):  # R30: not even with --force
        refused = lado("close", case, "--no-input", *extra)
        assert refused.exit_code == 1
        assert "cannot be closed while dbs-referral (R30) is outstanding" in words(refused.stderr)
    assert show(lado, case)["status"] == "open"


# -- (g) nothing saved ----------------------------------------------------------------------


def test_declining_the_final_confirmation_saves_nothing(lado, case, at_terminal):
    before = show(lado, case)
    s = interview(lado, ["police", case, "--outcome", "charged", "--text", "Charged with assault."], [
        (POLICE_DATE, ENTER),
        (POLICE_REVIEW, ENTER),
        (SAVE_POLICE, "n"),
        (CHANGE, "None of them" + ENTER),  # discard, rather than change an answer
    ])  # fmt: skip
    assert s.result.exit_code == 0, s.result.stderr
    assert "Nothing was saved." in s.result.stderr
    assert s.result.stdout == ""
    assert show(lado, case) == before


@pytest.mark.parametrize("command, steps", [
    (["discuss"], [(HELD, ENTER), (WITH, ENTER), (CRITERIA, " " + ENTER), (RATIONALE, "Seen by staff." + ENTER),
                   (ROUTES, " " + ENTER), (POT, ENTER), (CONSIDERATIONS[0], "Not needed" + ENTER), (CONSIDERATIONS[1], CTRL_C)]),
    (["meeting"], [(MEETING_TYPE, ENTER), (MEETING_HELD, ENTER), (CHAIR, ENTER), (ATTENDEE, "Ann Head" + ENTER), (ATTENDEE, CTRL_C)]),
], ids=["discuss", "meeting"])  # fmt: skip
def test_ctrl_c_mid_wizard_exits_130_and_saves_nothing(lado, case, at_terminal, command, steps):
    before = show(lado, case)
    s = interview(lado, [*command, case], steps)
    assert s.result.exit_code == 130
    assert "Cancelled; nothing was saved." in s.result.stderr
    assert s.result.stdout == ""
    after = show(lado, case)
    assert after["timeline"] == before["timeline"]  # chronology unchanged
    assert after == before


# -- (h) closing at a terminal asks first --------------------------------------------------------


def test_close_on_a_terminal_asks_and_no_closes_nothing(lado, case, at_terminal):
    run_ok(lado, "discuss", case, "--no-input", "--held", "23/12/2026 10:00", "--no-criteria", "--rationale", "Advice only.")
    before = show(lado, case)
    assert before["status"] == "advice-only"  # closable: no outcome needed, no duties

    declined = interview(lado, ["close", case], [(CLOSE, "n")])
    assert declined.result.exit_code == 0
    assert "Close LADO-2026-0001? Its open time limits become not applicable. No" in declined.screen
    assert show(lado, case) == before

    closed = ok(interview(lado, ["close", case.lower()], [(CLOSE, "y")]))
    assert f"{REF} · Case closed 23/12/2026 10:00." in closed.result.stdout
    after = show(lado, case)
    assert (after["status"], after["closed_at"]) == ("closed", "2026-12-23T10:00:00+00:00")
    assert after["timeline"][-1]["kind"] == "closed"


# -- answers checked where they are typed -----------------------------------------------------


def test_a_future_time_is_refused_in_place(lado, case, at_terminal):
    s = ok(interview(lado, ["discuss", case, "--with", "Ann Head", "--criteria", "harm", "--rationale", "Seen by staff.",
                            "--route", "police", "--consider", "media=None expected.", "--suspension", "not-suspended",
                            "--suspension-note", "Not needed."], [
        (HELD, CLEAR + "24/12/2026 09:00" + ENTER),      # tomorrow
        ("'24/12/2026 09:00' is in the future", CLEAR + "23/12/2026 09:30" + ENTER),
        (POT, ENTER),
        (COMPLEX, ENTER),
        (SAVE_DISCUSSION, "y"),
    ]))  # fmt: skip
    assert s.screen.count(HELD) == 1  # the same question took the corrected answer
    assert show(lado, case)["discussion"]["held"] == "2026-12-23T09:30:00+00:00"


def test_flags_in_capitals_still_lead_to_the_questions_they_need(lado, case, at_terminal):
    # Slugs ignore case (the domain lowercases them): Social-Care needs s47, Employer needs
    # the employer's action, Suspended needs a named contact (R24).
    ok(interview(lado, ["discuss", case, "--held", "23/12/2026 09:30", "--with", "Ann Head", "--criteria", "harm",
                        "--rationale", "Seen by staff.", "--route", "Social-Care", "--route", "Employer",
                        "--consider", "media=None expected.", "--suspension", "Suspended"], [
        (S47, ENTER),
        (SC_REFERRED, ENTER),
        (EMPLOYER_ACTION, DOWN + DOWN + ENTER),          # Disciplinary hearing (R17)
        (SUSPENSION_NOTE, ENTER),
        (NAMED_CONTACT, "Mr B. Governor" + ENTER),
        (COMPLEX, ENTER),
        (SAVE_DISCUSSION, "y"),
    ]))  # fmt: skip
    data = show(lado, case)
    d = data["discussion"]
    assert (d["routes"], d["s47"], d["employer_action"]) == (["social-care", "employer"], True, "hearing")
    assert (d["suspension"], d["named_contact"]) == ("suspended", "Mr B. Governor")
    # R17: 15 working days from the discussion (Wed 23/12): ... Mon 11 (10), Fri 15 (14), Mon 18 January.
    assert limits(data)["disciplinary-hearing"]["due"] == "2027-01-18T23:59:59+00:00"

    s = ok(interview(lado, ["police", case, "--date", "23/12/2026 09:45", "--outcome", "Trial-Concluded"], [
        (TRIAL_RESULT, "Convicted" + ENTER),
        (UPDATE, ENTER),
        (POLICE_REVIEW, ENTER),
        (SAVE_POLICE, "y"),
    ]))  # fmt: skip
    assert [(p["outcome"], p["result"]) for p in show(lado, case)["police"]] == [("trial-concluded", "Convicted")]
    assert "Trial concluded (record the result): Convicted." in words(s.result.stdout)
