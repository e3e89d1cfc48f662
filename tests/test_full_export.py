"""`lado export --full --output FILE` then `lado import FILE` (issue 13, item 4): the same
database back, table by table, surrogate ids apart; a stored case's chronology is never
merged."""

from __future__ import annotations

import json

import pytest
from test_retention import EASTER

from conftest import db_rows, db_table, fails, ok, with_flags

TABLES = ("cases", "subjects", "employers", "children", "referrers", "deadlines", "events", "discussions", "meetings",
          "police_updates", "duties", "escalations", "escalation_steps", "audit_log",
          "suspensions", "evidence_consents", "risk_assessments", "child_contacts", "subject_told", "minutes_requests", "complaints")  # fmt: skip


@pytest.fixture
def rich_db(lado, monkeypatch, tmp_path) -> list[str]:
    """Rows in every table: a case worked to its close (with a correction), an open case
    with an open escalation, action and police update, and two imported historic cases."""
    from test_transfer import EXAMPLE

    monkeypatch.setenv("LADO_NOW", "2026-04-02 17:00")
    a = ok(lado("refer", "--no-input", *EASTER)).stdout.splitlines()[-1]
    monkeypatch.setenv("LADO_NOW", "2026-04-20 12:00")
    ok(lado("discuss", a, "--no-input", "--held", "02/04/2026 15:00", "--criteria", "harm", "--rationale", "Bruise seen",
            "--route", "social-care", "--route", "police"))  # fmt: skip
    ok(lado("meeting", a, "--no-input", "--type", "strategy-meeting", "--held", "02/04/2026 16:00", "--attendee", "DS Brown; Detective; Police",
            "--action", "Interview the pupil; DS Brown; 10/04/2026", "--action", "Send the policy; Ann Head; 14/04/2026"))  # fmt: skip
    ok(lado("police", a, "--no-input", "--date", "10/04/2026 10:00", "--outcome", "no-further-action"))
    for args in (("suspension", "--decision", "suspended", "--at", "03/04/2026 09:00", "--named-contact", "HR lead", "--told-lado", "03/04/2026 09:30",
                  "--support", "Occupational health", "--updates", "Weekly call", "--union-advised"),  # R45-R50
                 ("consent", "--from", "police", "--at", "03/04/2026 10:00", "--scope", "Statements", "--by", "DS Brown"),
                 ("risk-assessment", "--commissioned", "03/04/2026 11:00", "--by", "Employer", "--assessor", "Dr Who"),
                 ("contact", "--at", "10/04/2026 11:00", "--decision", "no-contact", "--arrangements", "Different site"),
                 ("told", "--at", "10/04/2026 12:00", "--by", "Head", "--what", "NFA"),
                 ("minutes", "--at", "10/04/2026 13:00", "--by", "The adult", "--chair", "A. Chair", "--decision", "partly", "--decided", "14/04/2026"),
                 ("complaint", "--at", "10/04/2026 14:00", "--from", "The adult", "--about", "process", "--summary", "Slow", "--sent", "10/04/2026 15:00")):  # fmt: skip
        ok(lado(args[0], a, "--no-input", *args[1:]))
    ok(lado("escalate", a, "--no-input", "--ladder", "lado-to-agency", "--reason", "timescales", "--to", "Jo Bloggs", "--date", "13/04/2026 09:00"))
    ok(lado("escalate", a, "--no-input", "--resolve", "--date", "14/04/2026 09:00", "--note", "Agreed", "--response", "Will act"))
    ok(lado("outcome", a, "--no-input", "--outcome", "unfounded", "--date", "17/04/2026"))
    ok(lado("done", a, "feedback", "--at", "17/04/2026 15:00"))
    first = json.loads(ok(lado("show", a, "-f", "json")).stdout)["timeline"][0]["id"]
    ok(lado("note", a, "--text", "Feedback was by phone", "--corrects", str(first), "--why", "Detail missing"))
    monkeypatch.setenv("LADO_NOW", "2026-11-20 12:00")
    ok(lado("import", str(EXAMPLE)))
    b = ok(lado("refer", "--no-input", *with_flags(EASTER, subject_name="Bea Open"))).stdout.splitlines()[-1]
    ok(lado("escalate", b, "--no-input", "--ladder", "lado-to-agency", "--reason", "timescales", "--to", "Jo Bloggs", "--date", "19/11/2026 09:00"))
    return [a, b]


# The tamper-evident chains are recomputed in the database an export goes into (their hashes
# cover its row ids): `lado db check` verifies them there instead.
DERIVED = ("id", "hash", "prev_hash", "chain_head")


def canonical(db: str) -> dict[str, list[str]]:
    """Every table's rows with ids left out and each link written as what it points to:
    the case's ref, and the position of the linked row among its case's rows."""
    rows = {t: db_table(t, db=db) for t in TABLES}
    ref = {c["id"]: c["ref"] for c in rows["cases"]}
    pos: dict[str, dict[int, tuple]] = {}
    for t in ("meetings", "escalations", "events"):
        seen: dict[int, int] = {}
        pos[t] = {}
        for r in rows[t]:
            seen[r["case_id"]] = seen.get(r["case_id"], -1) + 1
            pos[t][r["id"]] = (ref[r["case_id"]], seen[r["case_id"]])
    links = {"case_id": lambda v: ref[v], "meeting_id": lambda v: pos["meetings"][v],
             "escalation_id": lambda v: pos["escalations"][v], "corrects_id": lambda v: pos["events"][v]}  # fmt: skip
    out = {}
    for t, table_rows in rows.items():
        out[t] = sorted(json.dumps({k: (links[k](v) if k in links and v is not None else v) for k, v in r.items() if k not in DERIVED},
                                   sort_keys=True, default=str) for r in table_rows)  # fmt: skip
    out["ref_counters"] = [json.dumps(r) for r in db_rows("SELECT year, seq FROM ref_counters ORDER BY year", db=db)]
    return out


def test_full_export_imported_into_an_empty_database_is_the_same_database(lado, rich_db, tmp_path, new_db):
    import os

    out = tmp_path / "all.json"
    r = ok(lado("export", "--full", "--output", str(out)))
    assert r.stderr.startswith("Exported 9 cases with everything recorded on them to")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["format"] == "lado-export/1" and len(doc["cases"]) == 9
    assert os.stat(out).st_mode & 0o777 == 0o600
    other = new_db("other")
    r = ok(lado("--db", str(other), "import", str(out)))
    assert "9 cases with everything recorded on them" in r.stdout
    mine, theirs = canonical(os.environ["LADO_DB"]), canonical(str(other))
    for table in (*TABLES, "ref_counters"):
        assert theirs[table] == mine[table], table
    assert all(mine[t] for t in TABLES if t != "audit_log"), "every table has rows, so each comparison can fail"
    assert "chronology chain: " in ok(lado("--db", str(other), "db", "check")).stdout  # chained anew, and whole
    # The next new case takes the next number in both databases.
    assert ok(lado("--db", str(other), "refer", "--no-input", *with_flags(EASTER, subject_name="Cy New"))).stdout.splitlines()[-1] \
        == ok(lado("refer", "--no-input", *with_flags(EASTER, subject_name="Cy New"))).stdout.splitlines()[-1]


def test_a_case_already_stored_is_refused_or_skipped_never_merged(lado, rich_db, tmp_path, new_db):
    import os

    out = tmp_path / "all.json"
    ok(lado("export", "--full", "--output", str(out)))
    before = canonical(os.environ["LADO_DB"])
    fails(lado("import", str(out)), 1, "case LADO-2025-0001 is already in this database", "nothing was imported")
    fails(lado("import", str(out), "--on-conflict", "update"), 2, "never merged")
    r = ok(lado("import", str(out), "--on-conflict", "skip"))
    assert "0 cases with everything recorded on them; skipped 9 already stored" in r.stdout
    assert canonical(os.environ["LADO_DB"]) == before
    # --dry-run into an empty database checks everything and writes nothing.
    other = new_db("other")
    r = ok(lado("--db", str(other), "import", str(out), "--dry-run"))
    assert "Checked" in r.stdout and "nothing written" in r.stdout
    assert db_rows("SELECT count(*) FROM cases", db=str(other)) == [(0,)]


@pytest.mark.parametrize(
    "change,message",
    [
        (lambda d: d.update(format="lado-export/9"), "expected 'lado-export/1'"),
        (lambda d: d["cases"][0]["case"].pop("received"), "the column received is missing"),
        (lambda d: d["cases"][0]["case"].update(received="23/12/2026"), "received '23/12/2026' is not an ISO-8601 instant with offset"),
        (lambda d: next(c for c in d["cases"] if c["deadlines"])["deadlines"][0].update(meeting=7), "meeting 7 is not the position"),
        (lambda d: d["cases"][0]["case"].update(colour="blue"), "unknown column colour"),
        (lambda d: d["cases"][0]["subject"].update(name=None), "a value does not fit the database"),
    ],
    ids=["version", "missing", "bad-instant", "bad-link", "unknown-column", "null"],
)
def test_a_damaged_file_is_refused_whole(lado, rich_db, tmp_path, new_db, change, message):
    out = tmp_path / "all.json"
    ok(lado("export", "--full", "--output", str(out)))
    doc = json.loads(out.read_text(encoding="utf-8"))
    change(doc)
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    other = new_db("other")
    fails(lado("--db", str(other), "import", str(bad)), 1, message)
    assert db_rows("SELECT count(*) FROM cases", db=str(other)) == [(0,)]
