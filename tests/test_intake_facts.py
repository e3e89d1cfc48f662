"""The intake facts of issue #10 item 1 and the referral-form fields of #11, through the CLI:
R42 first raised (the R12/R13 clocks run from it), R43 the immediate referral to police or
MASH, R44 foster carers, the child's address and social worker, R11a earlier concerns, R51
other places and an associated person, and the form fields of R11. Each is saved, shown
(table and JSON), exported and imported back, and corrected by recorded amendment (R37a).

Expected times are worked out by hand from PROCEDURE §3: "within N working days of day D"
ends at 23:59:59 on the Nth working day after D; "24 hours" is clock time. December is GMT,
so UK time and UTC agree. NOW is Wednesday 23/12/2026 10:00.
"""

from __future__ import annotations

import json

import pytest
from conftest import REFERRAL, after_first_run_notice, db_table, ok, with_flags
from terminal import interview

from lado_cli.domain.intake import same_authority

ENTER, DOWN = "\r", "\x1b[B"

FACTS = [
    "--first-raised", "22/12/2026 09:00", "--police-referred", "22/12/2026 17:00", "--police-referred-to", "MASH (PC Kay)",
    "--earlier-concerns", "A parent complained about him in 2024.",
    "--subject-sex", "male", "--service-length", "3 years", "--own-children",
    "--child-address", "1 Elm Road, Stafford", "--child-social-worker", "Sam Worker",
    "--other-setting", "Stone Scouts", "--other-setting-kind", "volunteering", "--other-setting-authority", "Northshire Council",
    "--other-setting", "Hall Academy Trust", "--other-setting-kind", "commissioner", "--other-setting-authority", "STAFFORDSHIRE council",
    "--incidents", "2", "--place", "Sports hall", "--injury", "Bruised arm", "--no-physical-intervention",
    "--others-told", "The parents", "--action-taken", "Sent home pending advice", "--adult-knows",
]  # fmt: skip


def refer(lado, *args: str) -> str:
    return ok(lado("refer", "--no-input", *args)).stdout.strip().splitlines()[-1]


def show(lado, ref: str, *more: str) -> dict:
    return json.loads(ok(lado("show", ref, "--format", "json", *more)).stdout)


def refused(r, *words: str) -> str:
    assert r.exit_code in (1, 2), (r.stdout, r.stderr)
    line = after_first_run_notice(r.stderr).strip()
    assert len(line.splitlines()) == 1, line
    for w in words:
        assert w in line, line
    return line


def limits(case: dict) -> dict[str, dict]:
    return {d["kind"]: d for d in case["deadlines"]}


# -- saved and shown ------------------------------------------------------------------------


def test_every_fact_is_saved_and_shown_in_json_and_the_table(lado, monkeypatch):
    ref = refer(lado, *REFERRAL, *FACTS)
    case = show(lado, ref)
    assert case["first_raised"] == "2026-12-22T09:00:00+00:00"
    i = case["intake"]
    assert (i["police_referred"], i["police_referred_to"]) == ("2026-12-22T17:00:00+00:00", "MASH (PC Kay)")
    assert i["earlier_concerns"] == "A parent complained about him in 2024."
    assert (i["subject_sex"], i["service_length"], i["own_children"]) == ("male", "3 years", True)
    assert i["children"] == [{"name": "Amy Jones", "address": "1 Elm Road, Stafford", "social_worker": "Sam Worker"}]
    assert case["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}]  # unchanged shape
    assert i["other_settings"] == [
        {"name": "Stone Scouts", "kind": "volunteering", "authority": "Northshire Council", "cross_border": True},
        # the profile's own authority in other letters and suffix (R7): not cross-border
        {"name": "Hall Academy Trust", "kind": "commissioner", "authority": "STAFFORDSHIRE council", "cross_border": False},
    ]  # fmt: skip
    assert case["cross_border"] is True  # R51: counted like --works-in
    assert (i["incidents"], i["place"], i["injury"], i["physical_intervention"]) == (2, "Sports hall", "Bruised arm", False)
    assert (i["others_told"], i["action_taken"], i["adult_knows"]) == ("The parents", "Sent home pending advice", True)
    assert (i["supervising_social_worker"], i["placement_social_workers"], i["placement_social_workers_told"]) == (None, [], None)
    assert (i["associated_with"], i["association"], i["associated_cases"]) == (None, None, [])
    text = case["timeline"][0]["text"]
    assert "First raised in the organisation 22/12/2026 09:00 (R42)." in text
    assert "Cross-border (R7, R51): also works with children in Stone Scouts (Northshire Council)." in text

    monkeypatch.setenv("COLUMNS", "200")  # each row on one line (the 80-column wrapping is tests/test_output_width.py's)
    table = " ".join(ok(lado("show", ref)).stdout.split())
    for shown in ("First raised (R42) Tue 22/12/2026 09:00", "Referred to police or MASH (R43) Tue 22/12/2026 17:00",
                  "Referred to (R43) MASH (PC Kay)", "Earlier concerns known to the referrer (R11a) A parent complained",
                  "Sex Male", "Length of service 3 years", "Own children at home yes", "Number of incidents 2",
                  "Where it happened Sports hall", "Injury Bruised arm", "Followed an authorised physical intervention no",
                  "Others told The parents", "Action taken so far Sent home pending advice", "Adult knows of the allegation yes",
                  "Child 1: Amy Jones address 1 Elm Road, Stafford; social worker Sam Worker",
                  "Stone Scouts (Volunteering with children, Northshire Council) (cross-border, R7)",
                  "Hall Academy Trust (Commissioning body, STAFFORDSHIRE council)"):  # fmt: skip
        assert shown in table, shown


def test_a_referral_without_the_facts_records_none_of_them(lado):
    case = show(lado, refer(lado, *REFERRAL))
    assert case["first_raised"] is None
    assert all(v in (None, []) for k, v in case["intake"].items() if k != "children")
    assert case["intake"]["children"] == [{"name": "Amy Jones", "address": None, "social_worker": None}]


def test_earlier_concerns_are_shown_at_intake_beside_the_history_check(lado):
    r = ok(lado("refer", "--no-input", *REFERRAL, "--earlier-concerns", "Moved on from his last school."))
    assert "No earlier records about this adult or child (R11a)." in r.stderr
    assert "Earlier concerns known to the referrer (R11a): Moved on from his last school." in r.stderr


# -- R42: first raised, and the clocks ------------------------------------------------------


def test_r12_r13_run_from_first_raised(lado):
    # First raised Friday 18/12 15:00; it reached the head on Tuesday 22/12 16:30.
    case = show(lado, refer(lado, *REFERRAL, "--first-raised", "18/12/2026 15:00"))
    d = limits(case)
    # R12: 1 working day after Friday 18/12 -> Monday 21/12, end of day; the aim is 24 hours: Saturday 19/12 15:00.
    assert (d["notify-lado"]["due"], d["notify-lado"]["target"]) == ("2026-12-21T23:59:59+00:00", "2026-12-19T15:00:00+00:00")
    # Received Wednesday 23/12 09:15: met, 2 working days late (Tuesday 22, Wednesday 23).
    assert (d["notify-lado"]["met_at"], d["notify-lado"]["late"]) == ("2026-12-23T09:15:00+00:00", "2 working days late")
    # R13: 24 hours from 18/12 15:00.
    assert d["initial-discussion"]["due"] == "2026-12-19T15:00:00+00:00"
    assert d["initial-discussion"]["status"] == "overdue"


def test_first_raised_equal_to_concern_arose_is_one_time(lado):
    case = show(lado, refer(lado, *REFERRAL, "--first-raised", "22/12/2026 16:30"))
    assert case["first_raised"] == case["concern_arose"] == "2026-12-22T16:30:00+00:00"
    assert limits(case)["initial-discussion"]["due"] == "2026-12-23T16:30:00+00:00"


def test_first_raised_after_concern_arose_is_refused_naming_both(lado):
    line = refused(lado("refer", "--no-input", *REFERRAL, "--first-raised", "22/12/2026 16:31"), "--first-raised", "--concern-arose", "16:30")
    assert "on or before" in line
    assert json.loads(lado("list", "--all", "--format", "json").stdout) == []


def test_first_raised_in_the_future_or_before_the_behaviour_is_refused(lado):
    refused(lado("refer", "--no-input", *REFERRAL, "--first-raised", "23/12/2026 10:01"), "--first-raised", "future")
    args = with_flags(REFERRAL, happened="21/12/2026 14:00")
    refused(lado("refer", "--no-input", *args, "--first-raised", "20/12/2026 23:59"), "--first-raised", "--happened")
    ok(lado("refer", "--no-input", *args, "--first-raised", "21/12/2026 09:00"))  # the same day as the behaviour: by day, in order


# -- R43: the immediate referral ------------------------------------------------------------


def test_police_referred_not_before_first_raised_may_be_before_the_senior_manager_knew(lado):
    base = [*REFERRAL, "--first-raised", "22/12/2026 09:00"]
    refused(lado("refer", "--no-input", *base, "--police-referred", "22/12/2026 08:59"), "--police-referred", "first raised")
    ok(lado("refer", "--no-input", *base, "--police-referred", "22/12/2026 09:00"))  # the same minute: in order
    ok(lado("refer", "--no-input", *base, "--police-referred", "22/12/2026 12:00"))  # before the concern reached the head (16:30)
    # Without --first-raised the concern arising is the earliest time.
    refused(lado("refer", "--no-input", *REFERRAL, "--police-referred", "22/12/2026 16:29"), "--police-referred", "concern arose")
    refused(lado("refer", "--no-input", *REFERRAL, "--police-referred", "23/12/2026 10:01"), "--police-referred", "future")
    refused(lado("refer", "--no-input", *REFERRAL, "--police-referred-to", "MASH"), "--police-referred-to", "--police-referred")


# -- R44: foster carers, and the children ---------------------------------------------------


FOSTER = ["--supervising-social-worker", "Pat Super", "--placement-social-worker", "Kim One", "--placement-social-worker", "Lee Two",
          "--placement-social-workers-told", "23/12/2026 09:00"]  # fmt: skip


def test_foster_carer_facts_are_saved_for_a_foster_carer(lado):
    args = with_flags(REFERRAL, employment="foster-carer", employer="Staffordshire Fostering Service", sector="fostering")
    i = show(lado, refer(lado, *args, *FOSTER))["intake"]
    assert (i["supervising_social_worker"], i["placement_social_workers"]) == ("Pat Super", ["Kim One", "Lee Two"])
    assert i["placement_social_workers_told"] == "2026-12-23T09:00:00+00:00"


@pytest.mark.parametrize("flag", ["--supervising-social-worker", "--placement-social-worker", "--placement-social-workers-told"])
def test_foster_carer_facts_for_anyone_else_are_refused(lado, flag):
    value = FOSTER[FOSTER.index(flag) + 1]
    refused(lado("refer", "--no-input", *REFERRAL, flag, value), flag, "foster carer", "--employment is paid")


def test_child_addresses_pair_with_the_children(lado):
    refused(lado("refer", "--no-input", *REFERRAL, "--child-address", "1 Road", "--child-address", "2 Road"),
            "--child-address", "2 values for 1")  # fmt: skip
    args = [*REFERRAL, "--child-name", "Ben Brown", "--child-dob", "unknown", "--child-address", "unknown", "--child-address", "2 Road"]
    i = show(lado, refer(lado, *args))["intake"]
    assert i["children"] == [{"name": "Amy Jones", "address": None, "social_worker": None},
                             {"name": "Ben Brown", "address": "2 Road", "social_worker": None}]  # fmt: skip


# -- R51: other places, associated persons --------------------------------------------------


def test_other_places_need_known_kinds_paired_in_order(lado):
    refused(lado("refer", "--no-input", *REFERRAL, "--other-setting", "Scouts", "--other-setting-kind", "hobby"), "--other-setting-kind", "volunteering")
    refused(lado("refer", "--no-input", *REFERRAL, "--other-setting-kind", "volunteering"), "--other-setting-kind", "1 values for 0")
    case = show(lado, refer(lado, *REFERRAL, "--other-setting", "Stafford Swim Club", "--other-setting-authority", "Staffordshire"))
    assert case["intake"]["other_settings"] == [{"name": "Stafford Swim Club", "kind": None, "authority": "Staffordshire", "cross_border": False}]
    assert case["cross_border"] is False


def test_same_authority_ignores_case_spacing_and_council_suffix():
    assert same_authority("Staffordshire", "STAFFORDSHIRE  County Council")
    assert same_authority("staffordshire council", "Staffordshire County Council")
    assert not same_authority("Stoke-on-Trent City Council", "Staffordshire County Council")
    assert not same_authority("North Staffordshire", "Staffordshire")


def test_an_associated_persons_case_links_both_ways(lado, monkeypatch):
    worker = refer(lado, *REFERRAL)
    refused(lado("refer", "--no-input", *REFERRAL, "--association", "partner", "--associated-with", "LADO-2026-0999"),
            "--associated-with", "LADO-2026-0999", "not a case")  # fmt: skip
    refused(lado("refer", "--no-input", *REFERRAL, "--associated-worker", "John Smith"), "--association")
    refused(lado("refer", "--no-input", *REFERRAL, "--association", "cousin", "--associated-worker", "John Smith"), "--association", "partner")
    partner = with_flags(REFERRAL, subject_name="Jane Smith", subject_dob="02/03/1982", subject_role="Volunteer", employment="volunteer")
    ref = refer(lado, *partner, "--association", "partner", "--associated-with", worker.lower(), "--associated-worker", "John Smith",
                "--associated-employer", "Oak Primary School")  # fmt: skip
    mine = show(lado, ref)
    assert (mine["intake"]["associated_with"], mine["intake"]["association"]) == (worker, "partner")
    assert "Associated person (P§68, R51): Partner or spouse of John Smith, case LADO-2026-0001." in mine["timeline"][0]["text"]
    theirs = show(lado, worker)
    assert theirs["intake"]["associated_cases"] == [{"ref": ref, "association": "partner", "subject": "Jane Smith"}]
    entry = theirs["timeline"][-1]
    assert entry["kind"] == "association"
    assert entry["text"] == f"Linked case {ref}: an allegation about Jane Smith, Partner or spouse of this case's worker (P§68, R51)."
    monkeypatch.setenv("COLUMNS", "200")
    table = " ".join(ok(lado("show", worker)).stdout.split())
    assert f"Linked case (P§68) {ref}: Jane Smith, Partner or spouse of this case's worker" in table


# -- the referral form (R11) ----------------------------------------------------------------


@pytest.mark.parametrize("value", ["0", "2.5", "two", "-1"])
def test_incidents_is_a_whole_number_of_one_or_more(lado, value):
    refused(lado("refer", "--no-input", *REFERRAL, "--incidents", value), "--incidents", "1 or more")


def test_one_incident_and_an_unknown_sex_slug(lado):
    assert show(lado, refer(lado, *REFERRAL, "--incidents", "1"))["intake"]["incidents"] == 1
    refused(lado("refer", "--no-input", *REFERRAL, "--subject-sex", "m"), "--subject-sex", "female")


# -- export and import ----------------------------------------------------------------------


def _facts(case: dict) -> dict:
    return {"first_raised": case["first_raised"], **{k: v for k, v in case["intake"].items() if k != "associated_cases"},
            "cross_border": case["cross_border"], "deadlines": [(d["kind"], d["due"], d["target"]) for d in case["deadlines"]]}  # fmt: skip


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_and_import_keep_every_fact(lado, new_db, tmp_path, fmt):
    args = with_flags(REFERRAL, employment="foster-carer", employer="Staffordshire Fostering Service", sector="fostering")
    ref = refer(lado, *args, *FACTS, *FOSTER)
    partner = refer(lado, *with_flags(REFERRAL, subject_name="Jane Smith"), "--association", "son-or-daughter",
                    "--associated-with", ref, "--associated-worker", "John Smith")  # fmt: skip
    path = tmp_path / f"out.{fmt}"
    ok(lado("export", "--format", fmt, "--output", str(path)))
    if fmt == "csv":
        header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
        for column in ("first-raised", "police-referred", "child-address", "other-setting-authority", "associated-with", "adult-knows"):
            assert column in header
    b = new_db("b")
    ok(lado("--db", b, "import", str(path)))
    def show_b(one: str) -> dict:
        return json.loads(ok(lado("--db", b, "show", one, "--format", "json")).stdout)

    for one in (ref, partner):
        assert _facts(show_b(one)) == _facts(show(lado, one))
    theirs = show_b(ref)
    assert theirs["intake"]["associated_cases"] == [{"ref": partner, "association": "son-or-daughter", "subject": "Jane Smith"}]
    assert theirs["timeline"][-1]["kind"] == "association"


def test_import_refuses_an_association_with_a_case_not_in_the_database(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL, "--association", "partner", "--associated-worker", "Jo"))
    path = tmp_path / "one.csv"
    rows = ok(lado("export")).stdout.splitlines()
    header = rows[0].split(",")
    cells = rows[1].split(",")
    cells[header.index("associated-with")] = "LADO-2019-0007"
    cells[header.index("ref")] = "LADO-2026-0050"
    path.write_text("\n".join([rows[0], ",".join(cells)]) + "\n", encoding="utf-8")
    r = lado("import", str(path))
    assert r.exit_code == 1
    assert "--associated-with" in r.stderr and "LADO-2019-0007" in r.stderr and "nothing was imported" in r.stderr
    assert [c["ref"] for c in json.loads(lado("list", "--all", "--format", "json").stdout)] == ["LADO-2026-0001"]


# -- amendments (R37a) ----------------------------------------------------------------------


def test_amending_first_raised_moves_r12_r13(lado):
    ref = refer(lado, *REFERRAL)
    before = limits(show(lado, ref))
    assert before["initial-discussion"]["due"] == "2026-12-23T16:30:00+00:00"  # 24 hours from 22/12 16:30
    r = ok(lado("amend", ref, "--first-raised", "22/12/2026 09:00", "--why", "The class teacher heard it that morning"))
    assert "First raised in the organisation (R42) 22/12/2026 09:00, was not recorded" in " ".join(r.stdout.split())
    case = show(lado, ref)
    d = limits(case)
    assert d["initial-discussion"]["due"] == "2026-12-23T09:00:00+00:00"  # now 24 hours from 09:00
    # R12: 1 working day after Tuesday 22/12 is still Wednesday 23/12; its 24-hour aim moves to 09:00.
    assert (d["notify-lado"]["due"], d["notify-lado"]["target"]) == ("2026-12-23T23:59:59+00:00", "2026-12-23T09:00:00+00:00")
    assert [(m["field"], m["old"], m["new"]) for m in case["amendments"]] == [("first-raised", None, "22/12/2026 09:00")]
    refused(lado("amend", ref, "--first-raised", "22/12/2026 16:31", "--why", "x"), "--first-raised", "--concern-arose")
    # Moving the concern later keeps the clocks on first raised.
    ok(lado("amend", ref, "--concern-arose", "22/12/2026 17:00", "--why", "The head's diary"))
    assert limits(show(lado, ref))["initial-discussion"]["due"] == "2026-12-23T09:00:00+00:00"


def test_every_other_fact_is_amended_by_a_recorded_amendment(lado):
    ref = refer(lado, *REFERRAL, *FACTS)
    r = lado("amend", ref, "--why", "Form re-read", "--incidents", "3", "--no-adult-knows", "--child-social-worker", "Jo Other",
             "--other-setting", "Stone Scouts", "--other-setting-kind", "volunteering", "--other-setting-authority", "Staffordshire",
             "--subject-sex", "not-known", "--police-referred", "22/12/2026 18:00", "--place", "Changing room")  # fmt: skip
    ok(r)
    case = show(lado, ref)
    i = case["intake"]
    assert (i["incidents"], i["adult_knows"], i["subject_sex"], i["place"]) == (3, False, "not-known", "Changing room")
    assert i["police_referred"] == "2026-12-22T18:00:00+00:00"
    assert i["children"][0] == {"name": "Amy Jones", "address": "1 Elm Road, Stafford", "social_worker": "Jo Other"}
    assert i["other_settings"] == [{"name": "Stone Scouts", "kind": "volunteering", "authority": "Staffordshire", "cross_border": False}]
    assert case["cross_border"] is False  # follows the places (R7, R51)
    changed = {m["field"]: (m["old"], m["new"]) for m in case["amendments"]}
    assert changed["incidents"] == ("2", "3")
    assert changed["adult-knows"] == ("yes", "no")
    assert changed["child-social-worker"] == ("Sam Worker", "Jo Other")
    assert changed["subject-sex"] == ("Male", "Not known")
    assert changed["police-referred"] == ("22/12/2026 17:00", "22/12/2026 18:00")
    assert changed["other-setting"][1] == "Stone Scouts, volunteering, Staffordshire"
    entry = case["timeline"][-1]
    assert entry["kind"] == "amendment" and entry["rationale"] == "Form re-read" and "no longer cross-border (R7, R51)" in entry["text"]
    refused(lado("amend", ref, "--supervising-social-worker", "Pat", "--why", "x"), "--supervising-social-worker", "foster carer")
    refused(lado("amend", ref, "--police-referred", "22/12/2026 08:00", "--why", "x"), "--police-referred")
    refused(lado("amend", ref, "--associated-with", "LADO-2026-0404", "--association", "partner", "--why", "x"), "--associated-with")
    assert len(show(lado, ref)["amendments"]) == len(case["amendments"])  # nothing saved by the refusals


# -- stats (R36, R42) -----------------------------------------------------------------------


def test_stats_delay_inside_the_organisation_in_working_days(lado):
    # Concern reached the head on Monday 21/12 10:00 (or Tuesday 22/12 16:30); first raised:
    cases = [
        (None, "22/12/2026 16:30"),                    # not recorded: one time serves -> same day
        ("22/12/2026 09:00", "22/12/2026 16:30"),      # same day: 0
        ("18/12/2026 15:00", "21/12/2026 10:00"),      # Friday -> Monday: 1 working day
        ("17/12/2026 10:00", "21/12/2026 10:00"),      # Thursday -> Monday: Fri 18, Mon 21 = 2
        ("14/12/2026 10:00", "21/12/2026 10:00"),      # Monday -> Monday: Tue 15 .. Fri 18, Mon 21 = 5
        ("11/12/2026 10:00", "21/12/2026 10:00"),      # Friday -> Monday a week later: 6
    ]  # fmt: skip
    for first, arose in cases:
        args = with_flags(REFERRAL, concern_arose=arose, subject_name=f"Adult {len(first or '')}{arose[:2]}")
        refer(lado, *args, *(["--first-raised", first] if first else []))
    report = json.loads(ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "json")).stdout)
    delay = report["delay_inside_organisation"]
    assert delay["total"] == 6
    assert {r["item"]: r["count"] for r in delay["rows"]} == {"same-day": 2, "1-working-day": 1, "2-5-working-days": 2, "over-5-working-days": 1}
    table = " ".join(ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026")).stdout.split())
    assert "Delay inside the organisation" in table and "More than 5 working days 1" in table
    rows = ok(lado("stats", "--from", "01/12/2026", "--to", "31/12/2026", "--format", "csv")).stdout
    assert "delay_inside_organisation,over-5-working-days,1," in rows


# -- the wizard -----------------------------------------------------------------------------


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.refer.can_prompt", lambda no_input: True)


def test_wizard_asks_known_as_and_the_foster_carer_questions(lado, at_terminal):
    args = with_flags(REFERRAL, employment=None, subject_name=None, employer="Staffordshire Fostering Service", sector="fostering")
    session = interview(lado, ["refer", *args, "--no-immediate-danger", "--works-in", "Staffordshire County Council", "--subject-status", "working",
                            "--happened", "22/12/2026 14:00"], [
        ("How does the adult work with children?", "Foster" + ENTER),
        ("The adult's full name:", "John Smith" + ENTER),
        ("Other names they are or were known by", "Johnny Smith; John Smyth" + ENTER),
        ("The foster carer's supervising social worker", "Pat Super" + ENTER),
        ("A social worker of a child in the placement", "Kim One" + ENTER),
        ("Another social worker of a child in the placement", ENTER),
        ("When were they told?", "23/12/2026 09:00" + ENTER),
        ("What do you know of earlier concerns", "None known" + ENTER),
        ("Save this referral?", "y"),
    ])  # fmt: skip
    result = session.result
    assert result.exit_code == 0, result.stderr
    ref = result.stdout.strip().splitlines()[-1]
    case = show(lado, ref)
    assert case["subject"]["employment"] == "foster-carer"
    i = case["intake"]
    assert (i["supervising_social_worker"], i["placement_social_workers"]) == ("Pat Super", ["Kim One"])
    assert (i["placement_social_workers_told"], i["earlier_concerns"]) == ("2026-12-23T09:00:00+00:00", "None known")
    assert [r["name"] for r in db_table("known_names")] == ["Johnny Smith", "John Smyth"]  # R11a: matched like the name


def test_wizard_does_not_ask_foster_questions_of_anyone_else(lado, at_terminal):
    args = with_flags(REFERRAL, subject_name=None)
    session = interview(lado, ["refer", *args, "--no-immediate-danger", "--works-in", "Staffordshire County Council", "--subject-status", "working",
                            "--happened", "22/12/2026 14:00"], [
        ("The adult's full name:", "John Smith" + ENTER),
        ("Other names they are or were known by", ENTER),
        ("What do you know of earlier concerns", ENTER),
        ("Save this referral?", "y"),
    ])  # fmt: skip
    assert session.result.exit_code == 0, session.result.stderr
    assert "supervising social worker" not in session.screen


def test_wizard_more_details_asks_the_form_and_r43_r51_questions(lado, at_terminal):
    args = [*with_flags(REFERRAL, summary=None), "--no-immediate-danger", "--works-in", "Staffordshire County Council",
            "--subject-status", "working", "--happened", "22/12/2026 14:00"]  # fmt: skip
    session = interview(lado, ["refer", *args], [
        ("What happened?", "Grabbed a pupil by the arm." + ENTER),
        ("Add more details", "y"),
        ("When did you refer it to the police or MASH", "22/12/2026 17:00" + ENTER),
        ("To whom", "MASH" + ENTER),
        ("Amy Jones's address", "1 Elm Road" + ENTER),
        ("Amy Jones's allocated social worker", ENTER),             # not known
        ("The adult's sex:", "fem" + ENTER),                        # typing filters the list
        ("How long have they worked there", "3 years" + ENTER),
        ("Do they have children of their own at home?", ENTER),     # Yes, the first choice
        ("Another place the adult works or volunteers", "Stone Scouts" + ENTER),
        ("What is Stone Scouts?", "volunt" + ENTER),
        ("Which local authority is Stone Scouts in?", "\x15Northshire Council" + ENTER),
        ("Another place the adult works or volunteers", ENTER),     # no more
        ("Is the adult closely associated", "n"),
        ("How many incidents", "2" + ENTER),
        ("Where did it happen?", "Sports hall" + ENTER),
        ("Any injury?", ENTER),
        ("Did it follow an authorised physical intervention", DOWN + ENTER),  # No
        ("Who else has been told?", ENTER),
        ("What has been done so far?", ENTER),
        ("Does the adult know of the allegation?", DOWN + DOWN + ENTER),    # Not known
        ("Save this referral?", "y"),
    ])  # fmt: skip
    assert session.result.exit_code == 0, session.result.stderr
    case = show(lado, session.result.stdout.strip().splitlines()[-1])
    i = case["intake"]
    assert (i["police_referred"], i["police_referred_to"]) == ("2026-12-22T17:00:00+00:00", "MASH")
    assert i["children"] == [{"name": "Amy Jones", "address": "1 Elm Road", "social_worker": None}]
    assert (i["subject_sex"], i["service_length"], i["own_children"]) == ("female", "3 years", True)
    assert i["other_settings"] == [{"name": "Stone Scouts", "kind": "volunteering", "authority": "Northshire Council", "cross_border": True}]
    assert (i["incidents"], i["place"], i["injury"], i["physical_intervention"], i["adult_knows"]) == (2, "Sports hall", None, False, None)
    assert (i["association"], i["others_told"], i["action_taken"]) == (None, None, None)
    assert case["cross_border"] is True


def test_r43_r44_times_at_their_edges(lado):
    ok(lado("refer", "--no-input", *REFERRAL, "--police-referred", "23/12/2026 10:00"))  # now itself: not in the future
    ok(lado("refer", "--no-input", *REFERRAL, "--police-referred", "22/12/2026 16:30"))  # the minute the concern arose
    foster = with_flags(REFERRAL, employment="foster-carer", employer="Staffordshire Fostering Service", sector="fostering")
    told = ["--placement-social-worker", "Kim One", "--placement-social-workers-told"]
    refused(lado("refer", "--no-input", *foster, *told, "22/12/2026 16:29"), "--placement-social-workers-told", "concern arose")
    ok(lado("refer", "--no-input", *foster, *told, "22/12/2026 16:30"))
    refused(lado("refer", "--no-input", *foster, *told, "23/12/2026 10:01"), "--placement-social-workers-told", "future")
