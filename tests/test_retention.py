"""`lado retention`: the records due under the profile's schedule (R37b), and deletion only by
an explicit, confirmed, recorded decision, never of a case with anything outstanding.

Historic closed cases come in through `lado import` (outcome and closed columns); one case
goes the whole way through the workflow, so that it has rows in every table before it is
deleted. "Now" is Wed 23/12/2026 10:00 (conftest) unless a test moves it.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input.defaults import create_pipe_input
from prompt_toolkit.output import DummyOutput

from conftest import REFERRAL, fails, ok, with_flags

ROOT = Path(__file__).resolve().parent.parent
ENTER, CTRL_C = "\r", "\x03"

HISTORIC = {
    "subject-role": "Teaching assistant", "employment": "paid", "employer": "Elm Academy", "sector": "education",
    "source": "parent-carer", "category": "physical", "summary": "Historic record.", "criteria": "harm",
    "child-name": "Child", "referrer-name": "Ann Head", "referrer-role": "Head teacher", "referrer-org": "Elm Academy",
    "referrer-contact": "01632 960001",
}  # fmt: skip


def historic(name: str, received: str, outcome: str | None, closed: str | None, **extra: str) -> dict:
    """A row for `lado import`: received (dd/mm/yyyy), decided and closed on `closed`."""
    year = int(received[-4:])
    row = dict(HISTORIC, **{"subject-name": name, "concern-arose": f"{received} 09:00", "received": f"{received} 10:00",
                            "child-dob": f"01/01/{year - 9}"})  # fmt: skip
    if outcome:
        row.update({"outcome": outcome, "outcome-date": closed})
    if closed:
        row["closed"] = closed
    row.update(extra)
    return row


# Closed on these dates; the default schedule: 10 years' review for unfounded, malicious and
# false, 100 years kept for substantiated and unsubstantiated, counted from closure.
ROWS = [
    historic("Una Founded", "01/02/2016", "unfounded", "10/03/2016"),  # ends 10/03/2026: due now
    historic("Sam Stantiated", "01/08/1995", "substantiated", "01/09/1995"),  # ends 01/09/2095
    historic("Una Sub", "01/06/2020", "unsubstantiated", "15/06/2020"),  # ends 15/06/2120
    historic("Mal Icious", "01/12/2016", "malicious", "20/12/2016"),  # ends 20/12/2026: due now
    historic("Fal Se", "01/12/2016", "false", "24/12/2016"),  # ends 24/12/2026: due tomorrow
    historic("Open Still", "01/12/2026", None, None),  # open: never listed
    historic("Advice Only", "01/01/2010", None, "05/01/2010", criteria="none"),  # a closed consultation (R37c)
]


def write_csv(path: Path, rows: list[dict]) -> Path:
    columns = sorted({c for r in rows for c in r})
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def js(r):
    return json.loads(ok(r).stdout)


@pytest.fixture
def refs(lado, tmp_path) -> dict[str, str]:
    """Import the historic rows; adult's name -> case reference."""
    ok(lado("import", str(write_csv(tmp_path / "historic.csv", ROWS))))
    listed = js(lado("list", "--all", "-f", "json"))
    assert len(listed) == len(ROWS)
    return {c["subject"]: c["ref"] for c in listed}


def due(lado, *args: str) -> list[dict]:
    return js(lado("retention", "-f", "json", *args))


# -- the list ----------------------------------------------------------------------------------


def test_lists_exactly_the_records_whose_period_has_ended(lado, refs):
    rows = due(lado)
    assert [r["ref"] for r in rows] == [refs["Una Founded"], refs["Mal Icious"]]  # soonest end first
    una = rows[0]
    assert una == {
        "ref": refs["Una Founded"], "outcome": "unfounded", "advice_only": False,
        "received": "2016-02-01T10:00:00+00:00", "closed_at": "2016-03-10T23:59:59+00:00",
        "from": "closure", "years": 10, "action": "review", "ends": "2026-03-10", "status": "due",
        "reason": "unfounded: review 10 years after closure (R37b)",
    }  # fmt: skip
    assert rows[1]["reason"] == "malicious: review 10 years after closure (R37b)" and rows[1]["ends"] == "2026-12-20"


def test_due_from_the_start_of_the_day_the_period_ends(lado, refs):
    assert refs["Fal Se"] not in [r["ref"] for r in due(lado, "--as-of", "23/12/2026 23:59")]
    assert refs["Fal Se"] in [r["ref"] for r in due(lado, "--as-of", "24/12/2026 00:00")]


def test_ten_and_a_hundred_years_later(lado, refs):
    ten = [r["ref"] for r in due(lado, "--as-of", "01/01/2037")]
    assert ten == [refs["Una Founded"], refs["Mal Icious"], refs["Fal Se"]]
    hundred = due(lado, "--as-of", "01/09/2095 00:00")
    assert [r["ref"] for r in hundred] == [refs["Una Founded"], refs["Mal Icious"], refs["Fal Se"], refs["Sam Stantiated"]]
    kept = hundred[-1]
    assert kept["action"] == "keep" and kept["ends"] == "2095-09-01"
    assert kept["reason"] == "substantiated: keep 100 years after closure (R37b)"
    # The day before, the substantiated case is still in its period.
    assert refs["Sam Stantiated"] not in [r["ref"] for r in due(lado, "--as-of", "31/08/2095 23:59")]


def test_all_lists_every_closed_case_and_never_an_open_one(lado, refs):
    rows = due(lado, "--all")
    by_ref = {r["ref"]: r for r in rows}
    assert refs["Open Still"] not in by_ref
    assert len(rows) == len(ROWS) - 1
    assert [r["ref"] for r in rows][-1] == refs["Advice Only"]  # no rule: kept, listed last
    assert {r["ref"]: r["status"] for r in rows} == {
        refs["Una Founded"]: "due", refs["Mal Icious"]: "due", refs["Fal Se"]: "not-due", refs["Sam Stantiated"]: "not-due",
        refs["Una Sub"]: "not-due", refs["Advice Only"]: "no-rule",
    }  # fmt: skip
    assert by_ref[refs["Una Sub"]]["ends"] == "2120-06-15"
    consultation = by_ref[refs["Advice Only"]]
    assert consultation["advice_only"] is True and consultation["outcome"] is None and consultation["ends"] is None
    assert consultation["reason"] == "advice-only consultation (R37c): the schedule has no 'advice-only' rule, so it is kept (R37b)"


def test_empty_is_an_empty_list_and_csv_has_its_header(lado):
    assert due(lado) == []
    r = ok(lado("retention", "-f", "csv"))
    assert r.stdout.splitlines() == ["ref,outcome,advice_only,received,closed_at,from,years,action,ends,status,reason"]
    assert "No records due for review or end of retention at Wed 23/12/2026 10:00 (R37b)." in ok(lado("retention")).stdout


def test_table_and_csv(lado, refs):
    out = ok(lado("retention")).stdout
    assert "Retention (R37b) at Wed 23/12/2026 10:00: 2 records due for review or end of retention" in out
    assert refs["Una Founded"] in out and "10/03/2026" in out and refs["Fal Se"] not in out
    assert "lado retention --delete REF --reason TEXT" in out
    rows = list(csv.DictReader(io.StringIO(ok(lado("retention", "-f", "csv", "--all")).stdout)))
    assert rows[0]["ref"] == refs["Una Founded"] and rows[0]["advice_only"] == "no" and rows[0]["closed_at"] == "2016-03-10T23:59:59+00:00"


def write_profile(path: Path, retention: str, outcomes_extra: str = "") -> str:
    path.write_text(
        "[outcomes]\n"
        'substantiated = "Substantiated"\nunsubstantiated = "Unsubstantiated"\nfalse = "False"\n'
        'malicious = "Malicious"\nunfounded = "Unfounded"\n' + outcomes_extra + "\n[retention]\n" + retention,
        encoding="utf-8",
    )
    return str(path)


def test_an_advice_only_rule_in_the_profile_lists_consultations(lado, refs, tmp_path, monkeypatch):
    profile = write_profile(tmp_path / "p.toml", 'advice-only = { years = 6, action = "review", from = "closure" }\n',
                            'advice-only = "Advice only (no outcome)"\n')  # fmt: skip
    monkeypatch.setenv("LADO_PROFILE", profile)
    rows = due(lado)  # the outcome rules are gone: this schedule has only the consultation rule
    assert [(r["ref"], r["ends"], r["reason"]) for r in rows] == [
        (refs["Advice Only"], "2016-01-05", "advice-only consultation (R37c): review 6 years after closure (R37b)")
    ]


def test_a_rule_counted_from_the_referral(lado, refs, tmp_path, monkeypatch):
    monkeypatch.setenv("LADO_PROFILE", write_profile(tmp_path / "p.toml", 'unfounded = { years = 10, action = "review", from = "referral" }\n'))
    rows = due(lado, "--all")
    una = next(r for r in rows if r["ref"] == refs["Una Founded"])
    assert una["ends"] == "2026-02-01" and una["reason"] == "unfounded: review 10 years after the referral (R37b)"
    assert next(r for r in rows if r["ref"] == refs["Mal Icious"])["status"] == "no-rule"


def test_bad_as_of_and_flag_mistakes(lado, refs):
    fails(lado("retention", "--as-of", "yesterday"), 1, "--as-of")
    fails(lado("retention", "--reason", "x"), 2, "--delete")
    fails(lado("retention", "--yes"), 2, "--delete")
    fails(lado("retention", "--delete", refs["Una Founded"], "--all", "--reason", "x", "--yes"), 2, "--all")
    fails(lado("retention", "--delete", refs["Una Founded"], "--as-of", "01/01/2040", "--reason", "x", "--yes"), 2, "--as-of", "present time")
    assert len(js(lado("list", "--all", "-f", "json"))) == len(ROWS)


def test_help_says_nothing_is_deleted_without_a_decision(lado):
    out = " ".join(ok(lado("retention", "--help")).stdout.split())
    assert "R37b" in out and "advice-only" in out and "--yes" in out and "audit log" in out


# -- the database, looked at directly -----------------------------------------------------------


def engine():
    from lado_cli.store.db import Database, resolve_url

    return Database(resolve_url(os.environ["LADO_DB"])).engine


def case_rows(case_id: int) -> dict[str, int]:
    """Rows of the case in every table that holds a case's rows (found from the schema, not
    from the list the deletion uses, so a table added later without its deletion fails)."""
    from lado_cli.store.tables import metadata

    out = {}
    eng = engine()
    with eng.connect() as conn:
        for t in metadata.sorted_tables:
            if t.name in ("case_views", "case_access"):  # kept / cascaded: see the test below
                continue
            if t.name == "cases":
                out[t.name] = conn.execute(sa.select(sa.func.count()).select_from(t).where(t.c.id == case_id)).scalar_one()
            elif "case_id" in t.c:
                out[t.name] = conn.execute(sa.select(sa.func.count()).select_from(t).where(t.c.case_id == case_id)).scalar_one()
            elif "escalation_id" in t.c and t.name != "deadlines":
                esc = metadata.tables["escalations"]
                ids = sa.select(esc.c.id).where(esc.c.case_id == case_id)
                out[t.name] = conn.execute(sa.select(sa.func.count()).select_from(t).where(t.c.escalation_id.in_(ids))).scalar_one()
    eng.dispose()
    return out


def case_id(ref: str) -> int:
    eng = engine()
    with eng.connect() as conn:
        found = conn.execute(sa.text("SELECT id FROM cases WHERE ref = :ref"), {"ref": ref}).scalar_one()
    eng.dispose()
    return found


def everything() -> dict[str, list]:
    """Every row of every table (to show a refusal changed nothing)."""
    from lado_cli.store.tables import metadata

    eng = engine()
    with eng.connect() as conn:
        out = {t.name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr) for t in metadata.sorted_tables}
    eng.dispose()
    return out


def test_the_deletion_covers_every_table_that_holds_a_case(lado):
    from lado_cli.domain.retention import DELETION_ORDER
    from lado_cli.store.tables import metadata

    # Not deleted row by row: case_access goes with its case (ON DELETE CASCADE); case_views is
    # the record of who opened the case (R34), kept like the audit log: a reference, no names.
    kept = {"deletion_permits", "case_access", "case_views"}
    holding = {t.name for t in metadata.sorted_tables if "case_id" in t.c and t.name not in kept}
    holding |= {t.name for t in metadata.sorted_tables if any(fk.column.table.name in holding and t.name not in holding for fk in t.foreign_keys)}
    assert holding | {"cases"} == set(DELETION_ORDER)
    assert DELETION_ORDER[-1] == "cases"


def test_nothing_else_deletes_a_case_or_its_chronology():
    """Only lado_cli/store/retention.py issues a DELETE against cases, events or the permits."""
    offenders = []
    for path in (ROOT / "lado_cli").rglob("*.py"):
        if path.name == "retention.py" and path.parent.name == "store" or "migrations" in path.parts:
            continue
        if path.name == "access.py" and path.parent.name == "store":  # grants lado_manager its privileges on the permits table
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"\.delete\(\)|DELETE\s+FROM", text.replace("case_access.delete()", ""), re.I)
            continue
        text = path.read_text(encoding="utf-8")
        deletes = re.search(r"\b(cases|events|permits)\.delete\(|DELETE\s+FROM\s+(cases|events)\b", text, re.I)
        permits = path.name != "tables.py" and re.search(r"deletion_permits|DeletionPermit", text)
        if deletes or permits:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


# -- deletion --------------------------------------------------------------------------------------

EASTER = with_flags(REFERRAL, concern_arose="02/04/2026 09:00", received="02/04/2026 09:30", child_dob="03/04/2016")


@pytest.fixture
def full_case(lado, monkeypatch) -> str:
    """A case with rows in every table, closed unfounded on 20/04/2026, every duty done."""
    monkeypatch.setenv("LADO_NOW", "2026-04-02 17:00")
    ref = ok(lado("refer", "--no-input", *EASTER, "--known-as", "Ann Earlier-Name", "--place", "The hall",
                  "--other-setting", "Youth club")).stdout.splitlines()[-1]  # intake_facts and other_settings rows (0011)
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    ok(lado("discuss", ref, "--no-input", "--held", "02/04/2026 15:00", "--criteria", "harm", "--rationale", "Bruise seen",
            "--route", "social-care", "--route", "police"))  # fmt: skip
    ok(lado("meeting", ref, "--no-input", "--type", "strategy-meeting", "--held", "02/04/2026 16:00",
            "--action", "Interview the pupil; DS Brown; 10/04/2026"))  # fmt: skip
    ok(lado("done", ref, "action", "--at", "09/04/2026 12:00"))
    ok(lado("police", ref, "--no-input", "--date", "10/04/2026 10:00", "--outcome", "no-further-action"))
    for args in (("suspension", "--decision", "suspended", "--at", "03/04/2026 09:00", "--named-contact", "HR lead"),  # R45-R50
                 ("consent", "--from", "police", "--at", "03/04/2026 10:00", "--scope", "Statements"),
                 ("risk-assessment", "--commissioned", "03/04/2026 11:00", "--by", "Employer"),
                 ("contact", "--at", "10/04/2026 11:00", "--decision", "no-contact"),
                 ("told", "--at", "10/04/2026 12:00", "--by", "Head", "--what", "NFA"),
                 ("minutes", "--at", "10/04/2026 13:00", "--by", "The adult", "--chair", "A. Chair"),
                 ("complaint", "--at", "10/04/2026 14:00", "--from", "The adult", "--about", "process", "--summary", "Slow", "--sent", "10/04/2026 15:00")):  # fmt: skip
        ok(lado(args[0], ref, "--no-input", *args[1:]))
    ok(lado("escalate", ref, "--no-input", "--ladder", "lado-to-agency", "--reason", "timescales", "--to", "Jo Bloggs", "--date", "13/04/2026 09:00"))
    ok(lado("escalate", ref, "--no-input", "--resolve", "--date", "14/04/2026 09:00", "--note", "Agreed", "--response", "Will act"))
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "17/04/2026"))
    ok(lado("done", ref, "feedback", "--at", "17/04/2026 15:00"))
    first = js(lado("show", ref, "-f", "json"))["timeline"][0]["id"]
    ok(lado("note", ref, "--text", "Feedback was by phone", "--corrects", str(first), "--why", "Detail missing"))
    ok(lado("amend", ref, "--category", "emotional", "--why", "Miskeyed"))  # a row in `amendments` too
    ok(lado("close", ref, "--no-input"))
    return ref


@pytest.fixture
def later(monkeypatch):
    """Ten years and a day after the full case closed."""
    monkeypatch.setenv("LADO_NOW", "2036-04-21 09:00")
    monkeypatch.setenv("LADO_USER", "m.manager")


def test_a_deletion_removes_every_row_and_leaves_an_audit_entry(lado, refs, full_case, later):
    cid = case_id(full_case)
    before = case_rows(cid)
    assert all(before[t] for t in before if t != "deletion_permits"), before  # the case has rows in every table
    others = {t: rows for t, rows in everything().items() if t not in ("audit_log",)}
    other_ids = {r[0] for r in others["cases"]} - {cid}

    r = ok(lado("retention", "--delete", full_case.lower(), "--reason", "Reviewed by the LADO manager: no further value", "--no-input", "--yes"))
    assert r.stdout.splitlines()[0].startswith(f"Deleted {full_case} under the retention schedule (R37b): ")
    assert f"{before['events']} chronology entries" in r.stdout

    assert set(case_rows(cid).values()) == {0}
    # A recorded deletion is not tampering: every remaining chain still verifies, and the
    # audit entry keeps the deleted chronology's last hash (store/chain.py).
    assert "chronology chain" in ok(lado("db", "check")).stdout
    after = everything()
    assert after["deletion_permits"] == []
    assert {r[0] for r in after["cases"]} == other_ids  # every other case untouched
    for table, rows in others.items():
        assert [r for r in after[table] if r not in rows] == [], table  # nothing changed, only removed

    [entry] = after["audit_log"]
    detail = entry[5]
    assert entry[2:5] == ("m.manager", "retention-delete", full_case)
    assert "unfounded: review 10 years after closure (R37b)" in detail and "ended 20/04/2036" in detail
    assert "Reason: Reviewed by the LADO manager: no further value." in detail
    assert re.search(r"Chronology chain ended with [0-9a-f]{64}\.$", detail), detail
    assert f"events {before['events']}, deadlines {before['deadlines']}, duties 1," in detail and "cases 1." in detail
    for name in ("John Smith", "Amy Jones", "Ann Head", "Oak Primary School", "DS Brown", "Jo Bloggs"):
        assert name not in detail  # counts, never names

    shown = js(lado("audit", full_case, "-f", "json"))
    assert [(e["source"], e["kind"], e["actor"], e["recorded_at"]) for e in shown] == [
        ("audit-log", "retention-delete", "m.manager", "2036-04-21T09:00:00+01:00")
    ]
    assert shown[0]["text"] == detail
    # The audit log is filtered like the chronology: by person and by time.
    assert [e["kind"] for e in js(lado("audit", "--actor", "M.Manager", "-f", "json"))] == ["retention-delete"]
    assert "retention-delete" not in [e["kind"] for e in js(lado("audit", "--actor", "tester", "-f", "json"))]
    assert [e["kind"] for e in js(lado("audit", "--since", "21/04/2036 09:00", "-f", "json"))] == ["retention-delete"]
    assert js(lado("audit", "--since", "21/04/2036 09:01", "-f", "json")) == []
    table = ok(lado("audit", full_case.lower())).stdout
    assert f"Audit trail of {full_case}: 1 entry" in table and "retention-delete audit log 1" in table
    assert full_case not in [c["ref"] for c in js(lado("list", "--all", "-f", "json"))]
    fails(lado("retention", "--delete", full_case, "--reason", "again", "--yes"), 1, "was deleted under the retention schedule", "m.manager")


def test_the_chronology_guard_still_refuses_afterwards(lado, full_case, later):
    ok(lado("retention", "--delete", full_case, "--reason", "Reviewed", "--yes"))
    ref = ok(lado("refer", "--no-input", *with_flags(REFERRAL, concern_arose="20/04/2036 09:00", received="20/04/2036 10:00",
                                                     child_dob="01/01/2030"))).stdout.splitlines()[-1]  # fmt: skip
    eng = engine()
    for sql in ("DELETE FROM events", "UPDATE events SET text = 'changed'"):
        with pytest.raises(sa.exc.DatabaseError, match="R37a"):
            with eng.begin() as conn:
                conn.execute(sa.text(sql))
    with eng.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM events")).scalar_one() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM deletion_permits")).scalar_one() == 0
    eng.dispose()
    assert js(lado("show", ref, "-f", "json"))["timeline"][0]["kind"] == "referral"


def test_refuses_an_open_case(lado, refs):
    before = everything()
    fails(lado("retention", "--delete", refs["Open Still"], "--reason", "x", "--yes"), 1, "is open", "only a closed case", "nothing was deleted")
    assert everything() == before


def test_refuses_before_the_period_ends(lado, refs, full_case, monkeypatch):
    before = everything()
    fails(lado("retention", "--delete", refs["Fal Se"], "--reason", "x", "--yes"), 1, "kept until 24/12/2026", "false: review 10 years")
    fails(lado("retention", "--delete", refs["Sam Stantiated"], "--reason", "x", "--yes"), 1, "kept until 01/09/2095", "keep 100 years")
    monkeypatch.setenv("LADO_NOW", "2036-04-19 23:59")  # the day before the tenth anniversary of the closure
    fails(lado("retention", "--delete", full_case, "--reason", "x", "--yes"), 1, "kept until 20/04/2036")
    assert everything() == before


def test_refuses_a_case_the_schedule_has_no_rule_for(lado, refs):
    before = everything()
    fails(lado("retention", "--delete", refs["Advice Only"], "--reason", "x", "--yes"), 1, "cannot be deleted: advice-only consultation (R37c)", "no 'advice-only' rule")
    assert everything() == before


def test_refuses_a_case_with_an_outstanding_duty(lado, monkeypatch):
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    ref = ok(lado("refer", "--no-input", *EASTER)).stdout.splitlines()[-1]
    ok(lado("discuss", ref, "--no-input", "--held", "02/04/2026 15:00", "--criteria", "harm", "--rationale", "r", "--route", "police"))
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "17/04/2026"))
    ok(lado("close", ref, "--no-input", "--force", "--note", "School will give feedback"))  # feedback (R32) outstanding
    monkeypatch.setenv("LADO_NOW", "2040-01-01 12:00")
    assert [r["ref"] for r in due(lado)] == [ref]  # listed as due: the refusal is the duty's
    before = everything()
    fails(lado("retention", "--delete", ref, "--reason", "x", "--yes"), 1, "outstanding duty: feedback (R32)", "cannot be deleted")
    assert everything() == before


def test_refuses_a_case_with_an_open_time_limit(lado, refs):
    """Closing sets every open limit aside, so only data from elsewhere can hold one; it is
    refused all the same."""
    cid = case_id(refs["Una Founded"])
    eng = engine()
    with eng.begin() as conn:
        conn.execute(sa.text("INSERT INTO deadlines (case_id, kind, rule, due, not_applicable, created_at) "
                             "VALUES (:c, 'action', 'R20', '2016-03-01 00:00:00', :f, '2016-02-01 00:00:00')"), {"c": cid, "f": False})  # fmt: skip
    eng.dispose()
    before = everything()
    fails(lado("retention", "--delete", refs["Una Founded"], "--reason", "x", "--yes"), 1, "open time limit: action (R20)")
    assert everything() == before


def test_refuses_without_yes_or_reason_when_nobody_is_at_a_terminal(lado, refs):
    before = everything()
    fails(lado("retention", "--delete", refs["Una Founded"], "--reason", "Reviewed", "--no-input"), 2, "--yes", "nothing was deleted")
    fails(lado("retention", "--delete", refs["Una Founded"], "--reason", "Reviewed"), 2, "--yes")  # not a terminal: same
    fails(lado("retention", "--delete", refs["Una Founded"], "--yes"), 2, "--reason")
    fails(lado("retention", "--delete", refs["Una Founded"], "--yes", "--reason", "  "), 2, "--reason")
    fails(lado("retention", "--delete", "LADO-2016-0999", "--reason", "x", "--yes"), 1, "no case with reference 'LADO-2016-0999'")
    assert everything() == before


def test_json_gives_the_audit_entry(lado, refs):
    out = js(lado("retention", "--delete", refs["Una Founded"], "--reason", "Reviewed", "--yes", "-f", "json"))
    assert out["kind"] == "retention-delete" and out["ref"] == refs["Una Founded"] and out["actor"] == "tester"
    assert out["recorded_at"] == "2026-12-23T10:00:00+00:00"
    # match_keys (R11a): 3 for the adult and 3 for the child (surname + birth, surname, given name + birth)
    assert out["deleted"] == {"amendments": 0, "events": 1, "deadlines": 0, "duties": 0, "known_names": 0, "match_keys": 6, "children": 1, "subjects": 1, "employers": 1, "referrers": 1,
                              "discussions": 0, "meetings": 0, "police_updates": 0, "escalation_steps": 0, "escalations": 0,
                              "intake_facts": 0, "other_settings": 0,
                              "suspensions": 0, "evidence_consents": 0, "risk_assessments": 0, "child_contacts": 0, "subject_told": 0,
                              "minutes_requests": 0, "complaints": 0, "cases": 1}  # fmt: skip
    assert out["text"] == js(lado("audit", refs["Una Founded"], "-f", "json"))[0]["text"]


# -- at a terminal: type the reference -------------------------------------------------------------


@pytest.fixture
def at_terminal(monkeypatch):
    monkeypatch.setattr("lado_cli.cli.retention.can_prompt", lambda no_input: not no_input)


def typed(lado, args: list[str], keys: str):
    """Run `lado retention ARGS` at a (dummy) terminal with `keys` typed ahead; the input then
    ends, so an unanswered question is end of input (exit 130), never a hang."""
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        pipe.close()
        with create_app_session(input=pipe, output=DummyOutput()):
            return lado("retention", *args)


def test_at_a_terminal_the_reference_must_be_typed(lado, refs, at_terminal):
    ref = refs["Una Founded"]
    before = everything()
    r = typed(lado, ["--delete", ref, "--reason", "Reviewed"], "LADO-2016-9999" + ENTER)
    shown = " ".join(r.stderr.split())
    assert "unfounded: review 10 years after closure (R37b); period ended 10/03/2026" in shown
    assert "removes for ever: 1 chronology entry, 6 matching keys, 1 child, 1 adult, 1 employer, 1 referrer, 1 case record." in shown
    assert r.exit_code == 1 and r.stderr.strip().splitlines()[-1] == f"Error: 'LADO-2016-9999' is not {ref}; nothing was deleted"
    r = typed(lado, ["--delete", ref, "--reason", "Reviewed"], CTRL_C)
    assert r.exit_code == 130 and "nothing was saved" in r.stderr
    assert everything() == before
    # The reason is asked for when not given; the reference may be typed in any letter case.
    ok(typed(lado, ["--delete", ref], "Reviewed at the annual check" + ENTER + ref.lower() + ENTER))
    [entry] = js(lado("audit", ref, "-f", "json"))
    assert "Reason: Reviewed at the annual check." in entry["text"]


def test_at_a_terminal_yes_skips_the_typing(lado, refs, at_terminal):
    ok(typed(lado, ["--delete", refs["Mal Icious"], "--reason", "Reviewed", "--yes"], ""))
    assert refs["Mal Icious"] not in [c["ref"] for c in js(lado("list", "--all", "-f", "json"))]


# -- the rules, without the database ---------------------------------------------------------------


def test_periods_count_in_uk_calendar_dates():
    from datetime import date, datetime, timezone

    from lado_cli.domain.retention import DUE, NOT_DUE, add_years, assess
    from lado_cli.profiles import read_profile

    assert add_years(date(2024, 2, 29), 10) == date(2034, 2, 28) and add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    profile = read_profile(None)
    # Closed at 00:30 on 1 July 2026 UK time (23:30 UTC on 30 June): the period counts from 1 July.
    case = {"ref": "LADO-2026-0009", "outcome": "false", "received": datetime(2026, 5, 1, 9, tzinfo=timezone.utc),
            "closed_at": datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc)}  # fmt: skip
    a = assess(case, profile, datetime(2036, 6, 30, 22, 59, tzinfo=timezone.utc))  # 23:59 on 30/06/2036 UK time
    assert (a.start, a.ends, a.status) == (date(2026, 7, 1), date(2036, 7, 1), NOT_DUE)
    assert assess(case, profile, datetime(2036, 6, 30, 23, 0, tzinfo=timezone.utc)).status == DUE  # 00:00 on 1/7 UK time


def test_one_year_is_singular():
    from lado_cli.domain.profile import RetentionRule
    from lado_cli.domain.retention import describe

    assert describe("malicious", RetentionRule("malicious", 1, "review", "referral")) == "malicious: review 1 year after the referral (R37b)"
    assert describe("false", None) == "false: no rule in the retention schedule, so it is kept (R37b)"


def test_a_profile_may_give_advice_only_consultations_their_own_rule(lado, tmp_path, monkeypatch):
    """R37b/R37c: `advice-only` is accepted as a [retention] key without being an outcome."""
    profile = tmp_path / "p.toml"
    profile.write_text(
        "[retention]\n"
        'substantiated = { years = 100, action = "keep", from = "closure" }\n'
        'advice-only = { years = 6, action = "review", from = "closure" }\n'
    )
    monkeypatch.setenv("LADO_PROFILE", str(profile))
    shown = json.loads(ok(lado("profile", "show", "--format", "json")).stdout)
    assert shown["retention"]["advice-only"] == {"years": 6, "action": "review", "from": "closure"}
    assert "advice-only" not in shown["outcomes"]  # not an outcome anyone can record
