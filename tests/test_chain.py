"""Tamper evidence (issue 12, item 4): every chronology and audit-log entry is chained to
the one before by SHA-256, and `lado db check` names the first entry that was changed,
deleted or inserted out of order, by a real tampering session on either backend: sqlite3
with the guard trigger dropped; on PostgreSQL the superuser disabling the trigger."""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime, timezone

import pytest
from conftest import REFERRAL, db_execute, db_rows, fails, ok

GENESIS = "0" * 64


def utc(stored: str) -> str:
    """A stored instant (SQLite's form, naive UTC) as the chain writes it: ISO, microseconds, Z."""
    return datetime.fromisoformat(stored).replace(tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def by_hand(prev: str, fields: list) -> str:
    """The rule, written out: SHA-256 of prev_hash, a newline, and the JSON array of the fields."""
    body = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev + "\n" + body).encode("utf-8")).hexdigest()


def tamper(backend: str, *statements: str) -> None:
    """Run SQL as someone who can lift lado's guard triggers: the file's owner with sqlite3, or
    the PostgreSQL superuser, in one session."""
    if backend == "sqlite":
        for s in ("DROP TRIGGER IF EXISTS events_no_update", "DROP TRIGGER IF EXISTS events_no_delete",
                  "DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete", *statements):  # fmt: skip
            db_execute(s)
        return
    db_execute(
        "DO $$ BEGIN ALTER TABLE events DISABLE TRIGGER events_guard; ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard; "
        + " ".join(s + ";" for s in statements)
        + " ALTER TABLE events ENABLE TRIGGER events_guard; ALTER TABLE audit_log ENABLE TRIGGER audit_log_guard; END $$"
    )


@pytest.fixture
def three(lado) -> str:
    """A case with three chronology entries: #1 referral, #2 and #3 notes."""
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("note", "LADO-2026-0001", "--text", "Rang the school."))
    ok(lado("note", "LADO-2026-0001", "--text", "School rang back."))
    return "LADO-2026-0001"


def check_names(lado, *words: str) -> list[str]:
    r = lado("db", "check")
    fails(r, 1, "1 problem found")
    problems = [line for line in r.stdout.splitlines() if line.startswith("PROBLEM")]
    assert len(problems) == 1, r.stdout
    for w in words:
        assert w in problems[0], (w, problems[0])
    return problems


def test_each_entry_is_hashed_by_the_rule_and_chained_to_the_one_before(lado, three):
    rows = db_rows("SELECT id, case_id, at, recorded_at, actor, kind, text, rationale, corrects_id, prev_hash, hash FROM events ORDER BY id")
    assert [r[0] for r in rows] == [1, 2, 3]
    prev = GENESIS
    for id_, case_id, at, recorded, actor, kind, text, rationale, corrects, prev_hash, h in rows:
        assert prev_hash == prev, id_
        assert h == by_hand(prev, ["events", case_id, utc(at), utc(recorded), actor, kind, text, rationale, corrects]), id_
        prev = h
    assert db_rows("SELECT chain_head FROM cases") == [(prev,)]  # the newest entry's hash
    out = ok(lado("db", "check")).stdout
    assert "ok       chronology chain: 3 entries, each matching its hash and following the one before" in out


def test_a_changed_entry_is_named(lado, three, backend):
    tamper(backend, "UPDATE events SET text = 'Nothing happened.' WHERE id = 2")
    check_names(lado, "chronology chain: LADO-2026-0001 entry #2 was changed after it was recorded")


def test_a_changed_actor_is_named_too(lado, three, backend):
    tamper(backend, "UPDATE events SET actor = 'Head of Service' WHERE id = 1")
    check_names(lado, "entry #1 was changed")


def test_a_deleted_entry_is_named_by_the_one_after_it(lado, three, backend):
    tamper(backend, "DELETE FROM events WHERE id = 2")
    check_names(lado, "entry #3 does not follow entry #1", "deleted")


def test_a_deleted_newest_entry_is_found_from_the_case_s_chain_head(lado, three, backend):
    tamper(backend, "DELETE FROM events WHERE id = 3")
    check_names(lado, "chronology chain: LADO-2026-0001: the entry after #2, the newest, was deleted")


def test_an_entry_inserted_out_of_order_is_named(lado, three, backend):
    # A copy of entry #2 (hash and all) added after #3: its prev_hash is #1's, not #3's.
    tamper(backend, "INSERT INTO events (case_id, at, recorded_at, actor, kind, text, rationale, corrects_id, prev_hash, hash) "
                    "SELECT case_id, at, recorded_at, actor, kind, text, rationale, corrects_id, prev_hash, hash FROM events WHERE id = 2")  # fmt: skip
    check_names(lado, "entry #4 does not follow entry #3")


def test_the_audit_log_is_append_only_and_chained(lado, backend, tmp_path):
    if backend == "sqlite":
        pytest.skip("the audit log's SQLite entries come from key changes (test_encryption); here: the team's grants")
    admin = os.environ["LADO_DB"]
    ok(lado("refer", "--no-input", *REFERRAL))
    for user in ("alice", "bob"):
        ok(lado("db", "grant", user, "--role", "officer"))
    rows = db_rows("SELECT id, at, actor, action, ref, detail, prev_hash, hash FROM audit_log ORDER BY id")
    prev = GENESIS
    for id_, at, actor, action, ref, detail, prev_hash, h in rows:
        assert (prev_hash, h) == (prev, by_hand(prev, ["audit_log", utc(at), actor, action, ref, detail])), id_
        prev = h
    assert "audit log chain: 2 entries" in ok(lado("db", "check")).stdout
    # lado's own guard: even the administrator's plain UPDATE is refused...
    with pytest.raises(Exception, match="audit log cannot be changed"):
        db_execute("UPDATE audit_log SET detail = 'x'", db=admin)
    # ...and lifting it is found out.
    tamper(backend, "UPDATE audit_log SET detail = 'carol made officer (lado_officer)' WHERE id = 2")
    check_names(lado, "audit log chain: entry 2 was changed")


@pytest.mark.sqlite_only
def test_the_audit_log_refuses_changes_on_sqlite(lado, tmp_path):
    import sqlite3

    ok(lado("refer", "--no-input", *REFERRAL))
    con = sqlite3.connect(os.environ["LADO_DB"])
    con.execute("INSERT INTO audit_log (at, actor, action, ref, detail) VALUES ('2026-12-23 10:00:00.000000', 'x', 'y', NULL, 'z')")
    con.commit()
    for sql in ("UPDATE audit_log SET detail = 'rewritten'", "DELETE FROM audit_log"):
        with pytest.raises(sqlite3.DatabaseError, match="audit log cannot be changed"):
            con.execute(sql)
    con.close()
    check_names(lado, "audit log chain: entry 1 has no hash (written outside lado)")


def test_an_upgraded_database_has_its_existing_entries_chained(lado, three):
    """Migration 0009 hashes the rows an older lado wrote, exactly as the store would."""
    from alembic import command

    from lado_cli.store.db import Database, alembic_config, migration_transaction, resolve_url

    before = db_rows("SELECT prev_hash, hash FROM events ORDER BY id")
    db = Database(resolve_url(os.environ["LADO_DB"]))
    with migration_transaction(db.engine) as conn:
        command.downgrade(alembic_config(conn), "0004")
    db.dispose()
    ok(lado("list"))  # opening upgrades
    assert db_rows("SELECT prev_hash, hash FROM events ORDER BY id") == before
    assert "chronology chain: 3 entries" in ok(lado("db", "check")).stdout


def test_notes_saved_at_the_same_moment_keep_one_unbroken_chain(lado):
    """Two writers on one case: the case row (PostgreSQL: SELECT ... FOR UPDATE) or the write
    lock (SQLite) puts their entries in one order; none is refused as stale (a note)."""
    from test_team import run_at_once

    ok(lado("refer", "--no-input", *REFERRAL))
    users = [f"officer{i}" for i in range(4)]
    results = run_at_once([["note", "LADO-2026-0001", "--text", f"Note by {u}"] for u in users], users)
    for r in results:
        assert r.returncode == 0, r.stderr
    assert db_rows("SELECT count(*) FROM events") == [(5,)]
    assert "chronology chain: 5 entries, each matching" in ok(lado("db", "check")).stdout


@pytest.mark.sqlite_only
def test_the_readme_tamper_example_is_real_output(lado, three, tmp_path, monkeypatch):
    """README, Data protection: the tampering session and `lado db check`'s answer."""
    import re
    import shlex
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    body = re.search(r"<!-- not run: the tampering is real output of tests/test_chain.py -->\n```console\n(.*?)```", readme, re.S)[1]
    lines = body.splitlines()
    sql = shlex.split(lines[0])[3]
    assert lines[1] == "$ lado db check"
    tamper("sqlite", *sql.split("; ")[1:])  # (tamper drops the triggers itself)
    r = lado("db", "check")
    assert r.exit_code == 1
    assert (r.stdout + r.stderr).replace(os.environ["LADO_DB"], "lado.db").strip().splitlines() == lines[2:]
