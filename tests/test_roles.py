"""Who is acting (issue 12, items 3 and 6; R34), with real PostgreSQL roles and real processes.

On PostgreSQL each officer logs in as their own role (created by `lado db grant`, run here
by the suite's superuser, who owns the tables as the administrator would); the actor
recorded is that role, and a LADO_USER that disagrees is refused. Officers cannot touch the
chronology, its triggers or the policies; a restricted case is hidden from everyone else by
row-level security. On SQLite the OS login is the actor, LADO_USER beside it.
"""

from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys

import pytest
from conftest import REFERRAL, db_rows, fails, ok, pg_conninfo, with_flags
from typer.testing import CliRunner

ME = pwd.getpwuid(os.getuid()).pw_name
CASE1, CASE2 = "LADO-2026-0001", "LADO-2026-0002"


def role_url(user: str) -> str:
    """This test's database, logged in as `user` (trust authentication on the test server)."""
    scheme, rest = os.environ["LADO_DB"].split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[1]}"


def as_user(user: str, *args: str, lado_user: str | None = None):
    """`lado ARGS` run by `user`, logged in as their own role (LADO_USER: `lado_user`, default theirs)."""
    from lado_cli.cli.app import app

    env = {"LADO_DB": role_url(user), "LADO_USER": lado_user if lado_user is not None else user}
    return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)


def sql_as(user: str, statement: str):
    import psycopg

    with psycopg.connect(pg_conninfo(role_url(user)), autocommit=True) as con:
        return con.execute(statement).fetchall() if statement.lstrip().upper().startswith("SELECT") else con.execute(statement)


def team(lado, **people: str) -> None:
    for user, role in people.items():
        ok(lado("db", "grant", user, "--role", role))


def refs_seen(user: str) -> list[str]:
    return [c["ref"] for c in json.loads(ok(as_user(user, "list", "--all", "--format", "json")).stdout)]


@pytest.mark.postgresql_only
def test_an_officer_is_recorded_as_their_login_role_and_cannot_claim_another(lado):
    team(lado, alice="officer")
    ok(as_user("alice", "refer", "--no-input", *REFERRAL))
    assert db_rows("SELECT actor FROM events") == [("alice",)]
    assert db_rows("SELECT updated_by FROM cases") == [("alice",)]

    r = as_user("alice", "note", CASE1, "--text", "Approved.", lado_user="Head of Service")
    fails(r, 1, "env LADO_USER 'Head of Service' is not the PostgreSQL role you logged in as ('alice')", "nothing was saved")
    assert db_rows("SELECT count(*) FROM events") == [(1,)]
    ok(as_user("alice", "note", CASE1, "--text", "Rang the school.", lado_user=""))  # LADO_USER unset: the role
    assert db_rows("SELECT actor FROM events ORDER BY id") == [("alice",), ("alice",)]
    # The grant itself is in the audit log, by the administrator who ran it.
    assert db_rows("SELECT actor, action, detail FROM audit_log") == [("tester", "grant", "alice made officer (lado_officer)")]


@pytest.mark.postgresql_only
def test_an_officer_cannot_rewrite_the_chronology_nor_lift_its_guards(lado):
    import psycopg

    team(lado, alice="officer")
    ok(as_user("alice", "refer", "--no-input", *REFERRAL))
    for statement, why in (
        ("UPDATE events SET text = 'rewritten'", "permission denied"),
        ("DELETE FROM events", "permission denied"),
        ("TRUNCATE events", "permission denied"),
        ("UPDATE audit_log SET detail = 'x'", "permission denied"),
        ("UPDATE events SET hash = NULL", "permission denied"),
        ("ALTER TABLE events DISABLE TRIGGER events_guard", "must be owner"),
        ("DROP POLICY lado_cases ON cases", "must be owner"),
        ("ALTER TABLE cases DISABLE ROW LEVEL SECURITY", "must be owner"),
        ("SET ROLE tester", "permission denied"),
    ):
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=why):
            sql_as("alice", statement)
    assert "ok       chronology chain: 1 entry" in ok(lado("db", "check")).stdout


@pytest.mark.postgresql_only
def test_an_auditor_reads_but_cannot_write_and_a_manager_deletes_no_chronology_outside_the_schedule(lado):
    import psycopg

    team(lado, alice="officer", carol="auditor", mona="manager")
    ok(as_user("alice", "refer", "--no-input", *REFERRAL))
    assert refs_seen("carol") == [CASE1]
    fails(as_user("carol", "note", CASE1, "--text", "x"), 1, "your database role may not do this", "permission denied")
    with pytest.raises(psycopg.errors.RaiseException, match="R37a"):
        sql_as("mona", "DELETE FROM events")  # the guard still holds: deletion needs a permit (R37b)
    ok(as_user("mona", "note", CASE1, "--text", "Manager's note."))  # a manager is an officer too


@pytest.mark.postgresql_only
def test_a_restricted_case_is_hidden_from_everyone_else(lado):
    team(lado, alice="officer", bob="officer", carol="auditor")
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Jane Doe", child_name="Tom Doe")))

    r = ok(as_user("alice", "restrict", CASE1.lower(), "--allow", "alice"))
    assert r.stdout.strip() == f"{CASE1} is restricted: only alice may see it."
    for other in ("bob", "carol"):
        assert refs_seen(other) == [CASE2]
        fails(as_user(other, "show", CASE1), 1, f"no case with reference '{CASE1}'")
        assert sql_as(other, "SELECT count(*) FROM events WHERE case_id = 1") == [(0,)]
        assert sql_as(other, "SELECT count(*) FROM subjects WHERE case_id = 1") == [(0,)]
    fails(as_user("bob", "note", CASE1, "--text", "x"), 1, "no case with reference")
    assert refs_seen("alice") == [CASE1, CASE2]
    assert refs_seen("tester") == [CASE1, CASE2]  # the administrator owns the tables: no policy applies to them

    ok(as_user("alice", "restrict", CASE1, "--allow", "bob"))
    assert refs_seen("bob") == [CASE1, CASE2] and refs_seen("carol") == [CASE2]
    fails(as_user("alice", "restrict", CASE1, "--allow", "nobody"), 1, "--allow: no login role 'nobody'")
    ok(as_user("bob", "restrict", CASE1, "--lift"))
    assert refs_seen("carol") == [CASE1, CASE2]
    shown = json.loads(ok(as_user("carol", "show", CASE1, "--format", "json")).stdout)
    assert [(e["actor"], e["kind"]) for e in shown["timeline"]][-3:] == [("alice", "restricted"), ("alice", "restricted"), ("bob", "restriction-lifted")]


@pytest.mark.postgresql_only
def test_audit_views_lists_who_opened_which_case_to_those_who_may_see_it(lado):
    team(lado, alice="officer", bob="officer")
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Jane Doe", child_name="Tom Doe")))
    ok(as_user("alice", "show", CASE1))
    ok(as_user("bob", "show", CASE2, "--format", "json"))
    every = json.loads(ok(lado("audit", "--views", "--format", "json")).stdout)
    assert [(v["actor"], v["ref"]) for v in every] == [("bob", CASE2), ("alice", CASE1)]
    ok(as_user("alice", "restrict", CASE1, "--allow", "alice"))
    seen_by_bob = json.loads(ok(as_user("bob", "audit", "--views", "--format", "json")).stdout)
    assert [(v["actor"], v["ref"]) for v in seen_by_bob] == [("bob", CASE2)]
    table = ok(lado("audit", "--views", CASE1)).stdout
    assert "alice" in table and CASE1 in table and "bob" not in table


@pytest.mark.postgresql_only
def test_grant_refuses_the_administrator_and_superusers_and_one_role_replaces_another(lado):
    fails(lado("db", "grant", "tester", "--role", "officer"), 1, "tester owns the tables")
    ok(lado("db", "grant", "alice", "--role", "auditor"))
    ok(lado("db", "grant", "alice", "--role", "officer"))
    groups = db_rows("SELECT g.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
                     "WHERE u.rolname = 'alice' ORDER BY 1")  # fmt: skip
    assert groups == [("lado_officer",)]


@pytest.mark.sqlite_only
def test_on_sqlite_grant_and_restrict_refuse_in_one_line(lado):
    ok(lado("refer", "--no-input", *REFERRAL))
    fails(lado("db", "grant", "alice", "--role", "officer"), 1, "lado db grant needs the PostgreSQL team backend")
    fails(lado("restrict", CASE1, "--allow", "alice"), 1, "restricting a case needs the PostgreSQL team backend", "anyone with the file")


@pytest.mark.sqlite_only
def test_on_sqlite_the_os_login_is_the_actor_and_lado_user_is_recorded_beside_it():
    """Real processes: the login comes from the OS, never from LADO_USER alone."""
    env = {k: v for k, v in os.environ.items() if k not in ("LADO_USER", "LADO_DEBUG")}
    for lado_user, expected in ((None, ME), ("Head of Service", f"{ME} (as Head of Service)"), (ME, ME)):
        run_env = dict(env, USER="someone-else", LOGNAME="someone-else")  # getpass would believe these
        if lado_user is not None:
            run_env["LADO_USER"] = lado_user
        done = subprocess.run([sys.executable, "-m", "lado_cli", "refer", "--no-input", *REFERRAL], env=run_env,
                              capture_output=True, text=True, timeout=60)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert db_rows("SELECT actor FROM events ORDER BY id DESC LIMIT 1") == [(expected,)]
        assert db_rows("SELECT updated_by FROM cases ORDER BY id DESC LIMIT 1") == [(expected,)]


def test_two_officers_saving_the_same_initial_discussion_at_once(lado):
    """Item 6: one is saved; the other is told who changed the case, never a driver error."""
    from test_team import run_at_once

    ok(lado("refer", "--no-input", *REFERRAL))
    discuss = ["discuss", CASE1, "--no-input", "--yes", "--held", "23/12/2026 09:30", "--criteria", "harm", "--route", "police",
               "--suspension", "not-suspended", "--suspension-note", "Alternative duties", "--rationale", "Bruise seen"]  # fmt: skip
    results = run_at_once([discuss, discuss], ["officer1", "officer2"])
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 1], [(r.returncode, r.stderr) for r in results]
    [refused] = [r for r in results if r.returncode == 1]
    line = refused.stderr.strip()
    assert len(line.splitlines()) == 1 and line.startswith("Error: "), refused.stderr
    assert "IntegrityError" not in line and "unexpected" not in line, line
    assert f"{CASE1} was changed by" in line and "officer" in line or "already" in line, line
    assert db_rows("SELECT count(*) FROM discussions") == [(1,)]


@pytest.mark.sqlite_only
def test_on_sqlite_views_are_not_recorded_and_audit_views_says_why(lado):
    ok(lado("refer", "--no-input", *REFERRAL))
    ok(lado("show", CASE1))
    assert db_rows("SELECT count(*) FROM case_views") == [(0,)]  # show stays a pure reader (WAL: never waits for a writer)
    fails(lado("audit", "--views"), 1, "--views: who opened which case is recorded on the PostgreSQL team backend only")


@pytest.mark.postgresql_only
def test_show_records_the_view_and_audit_views_lists_it(lado, monkeypatch):
    ok(lado("refer", "--no-input", *REFERRAL))
    assert json.loads(ok(lado("audit", "--views", "--format", "json")).stdout) == []
    ok(lado("show", CASE1.lower()))
    monkeypatch.setenv("LADO_NOW", "2026-12-23 11:30")
    ok(lado("show", CASE1, "--format", "json"))
    views = json.loads(ok(lado("audit", "--views", CASE1, "--format", "json")).stdout)
    assert views == [
        {"at": "2026-12-23T11:30:00+00:00", "actor": "tester", "ref": CASE1},
        {"at": "2026-12-23T10:00:00+00:00", "actor": "tester", "ref": CASE1},
    ]
    assert ok(lado("audit", "--views", "--format", "csv")).stdout.splitlines()[0] == "at,actor,ref"
    assert json.loads(ok(lado("audit", "--views", "--actor", "someone", "--format", "json")).stdout) == []
    table = ok(lado("audit", "--views")).stdout
    assert "Who opened which case: 2 times, newest first" in table and "23/12/2026 11:30" in table
