"""Several people on one SQLite file at once (issue 6, item 2), with real `lado` processes:
writers queue on the busy timeout instead of failing, references are handed out without
clashes or gaps, a change made while someone else was typing is refused with that person's
name, and readers are never blocked by a writer (WAL)."""

from __future__ import annotations

import json
import os
import pwd
import re
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import REFERRAL, load_make_csv, with_flags


make_csv = load_make_csv()
LADO = [sys.executable, "-m", "lado_cli"]
REF = re.compile(r"^LADO-2026-(\d{4})$")
CPR = "\x1b[6n"  # "where is the cursor?": a terminal answers at once (prompt_toolkit waits for it)


@pytest.fixture
def env() -> dict[str, str]:
    """The environment of a real `lado` process: this test's database file (from conftest)."""
    assert "://" not in os.environ["LADO_DB"], "these tests look at the SQLite file itself"
    e = dict(os.environ)
    e.pop("LADO_DEBUG", None)
    return e


def lado(env: dict[str, str], *args: str, user: str = "tester", timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*LADO, *args], env=dict(env, LADO_USER=user), capture_output=True, text=True, timeout=timeout)


def start(env: dict[str, str], *args: str, user: str = "tester") -> subprocess.Popen:
    return subprocess.Popen([*LADO, *args], env=dict(env, LADO_USER=user), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


ME = pwd.getpwuid(os.getuid()).pw_name  # the OS login these processes run as: the actor on SQLite (R34)


def who(user: str) -> str:
    """How a change by a process with LADO_USER=user is recorded: the OS login, the name beside it."""
    return user if user == ME else f"{ME} (as {user})"


def rows(db: str, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(db)) as con:
        return con.execute(sql, params).fetchall()


# -- (a) writers at the same moment ------------------------------------------------------------

WRITERS, ROUNDS = 4, 4


def someone(round_: int, i: int) -> list[str]:
    """A referral about an adult and a child of their own (so no R11a history entry is added)."""
    k = round_ * WRITERS + i  # dates of birth far apart too: the R11a matcher (issue 14) joins names alone when births agree
    return with_flags(REFERRAL, subject_name=f"Adult {round_} {i}", child_name=f"Child {round_} {i}",
                      subject_dob=f"{k + 1:02d}/01/{1960 + k}", child_dob=f"{k + 1:02d}/01/2015")  # fmt: skip


def test_referrals_saved_at_the_same_moment_all_succeed_with_distinct_gapless_references(env):
    db = env["LADO_DB"]
    assert not Path(db).exists()  # the first round also races to create and migrate the file
    refs: list[str] = []
    for round_ in range(ROUNDS):
        # Started together: same interpreter start-up, so their writes land at the same time.
        procs = [start(env, "refer", "--no-input", *someone(round_, i), user=f"officer{i}") for i in range(WRITERS)]
        for i, p in enumerate(procs):
            out, err = p.communicate(timeout=60)
            assert p.returncode == 0, f"round {round_}, writer {i}: exit {p.returncode}\n{err}"
            assert "locked" not in err.lower() and "unexpected" not in err, err
            refs.append(out.strip().splitlines()[-1])

    n = WRITERS * ROUNDS
    assert all(REF.match(r) for r in refs), refs
    assert len(set(refs)) == n, f"a reference was given twice: {sorted(refs)}"
    assert sorted(int(REF.match(r)[1]) for r in refs) == list(range(1, n + 1)), "gaps in the sequence"
    assert rows(db, "SELECT seq FROM ref_counters WHERE year = 2026") == [(n,)]

    # Every case is whole: adult, employer, referrer, child, two time limits, one chronology entry.
    complete = rows(db, """
        SELECT c.ref,
               (SELECT count(*) FROM subjects s WHERE s.case_id = c.id),
               (SELECT count(*) FROM employers e WHERE e.case_id = c.id),
               (SELECT count(*) FROM referrers r WHERE r.case_id = c.id),
               (SELECT count(*) FROM children k WHERE k.case_id = c.id),
               (SELECT count(*) FROM deadlines d WHERE d.case_id = c.id),
               (SELECT count(*) FROM events v WHERE v.case_id = c.id)
        FROM cases c ORDER BY c.ref_seq""")  # fmt: skip
    assert [r[0] for r in complete] == sorted(refs)
    assert all(r[1:] == (1, 1, 1, 1, 2, 1) for r in complete), [r for r in complete if r[1:] != (1, 1, 1, 1, 2, 1)]
    # ...and each was recorded by the officer who saved it (one writer per process).
    actors = rows(db, "SELECT c.ref, c.updated_by, v.actor FROM cases c JOIN events v ON v.case_id = c.id")
    assert all(a == b and a.startswith(who("officer")[:-1]) for _, a, b in actors)
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    listed = lado(env, "list", "--all", "--format", "json")
    assert listed.returncode == 0 and len(json.loads(listed.stdout)) == n


# -- (b) a stale edit, as a person meets it --------------------------------------------------------

DISCUSS = [  # everything but the rationale, the POT meeting and "complex": those are asked
    "--held", "23/12/2026 09:30", "--with", "Ann Head", "--criteria", "harm", "--route", "police",
    "--consider", "parents=Mother told on 23/12", "--suspension", "not-suspended", "--suspension-note", "Alternative duties",
]  # fmt: skip
MEANWHILE = {
    "note": ["note", "{ref}", "--text", "Police called back: strategy discussion booked."],
    "meeting": ["meeting", "{ref}", "--no-input", "--type", "strategy-discussion", "--held", "23/12/2026 09:45", "--chair", "Bob Lado"],
}


def wait_for(child, what) -> None:
    """Read the screen up to `what` (text or pexpect.EOF), answering cursor-position requests."""
    while child.expect_exact([what, CPR]) == 1:
        child.send("\x1b[1;1R")


def test_a_change_saved_while_another_user_is_typing_is_not_overwritten(env):
    """Bob records a strategy discussion (it meets a time limit) while Alice types the initial
    discussion: hers is refused with his name, never written over his."""
    pexpect = pytest.importorskip("pexpect")
    ref, alice = _alice_types_while_bob_saves(env, pexpect, "meeting")
    assert alice.exitstatus == 1, alice.before
    screen = alice.before.replace("\r\n", "\n")
    errors = [line for line in screen.splitlines() if "Error:" in line]
    assert len(errors) == 1, screen[-2000:]
    line = errors[0][errors[0].index("Error:") :]
    assert re.fullmatch(
        rf"Error: {ref} was changed by {re.escape(who('bob'))} at \D*23/12/2026 10:00\D* while you worked; nothing was saved: "
        rf"reload it \(`lado show {ref}`\) and run the command again",
        line.strip(),
    ), line
    assert "Traceback" not in screen and "unexpected" not in screen

    case = json.loads(lado(env, "show", ref, "--format", "json").stdout)
    assert case["discussion"] is None  # Alice's discussion was not saved...
    assert "initial-discussion" not in [d["kind"] for d in case["deadlines"] if d["status"] == "met"]
    assert "case-review" not in [d["kind"] for d in case["deadlines"]]
    timeline = [(e["actor"], e["kind"]) for e in case["timeline"]]
    assert (who("bob"), "meeting") in timeline  # ...and Bob's change stands
    assert who("alice") not in [actor for actor, _ in timeline]
    assert [m["chair"] for m in case["meetings"]] == ["Bob Lado"]

    # Alice reloads and runs it again: now it is saved, in her name.
    again = lado(env, "discuss", ref, "--no-input", *DISCUSS, "--rationale", "Bruise seen by the parent", user="alice")
    assert again.returncode == 0, again.stderr
    case = json.loads(lado(env, "show", ref, "--format", "json").stdout)
    assert case["discussion"]["rationale"] == "Bruise seen by the parent"
    assert (who("alice"), "initial-discussion") in [(e["actor"], e["kind"]) for e in case["timeline"]]


def test_a_note_saved_while_another_user_is_typing_does_not_make_theirs_stale(env):
    """A note changes nothing another change depends on (issue 12, item 6): Alice's
    discussion, typed while Bob added a note, is saved, and both stand."""
    pexpect = pytest.importorskip("pexpect")
    ref, alice = _alice_types_while_bob_saves(env, pexpect, "note")
    assert alice.exitstatus == 0, alice.before
    case = json.loads(lado(env, "show", ref, "--format", "json").stdout)
    assert case["discussion"]["rationale"] == "Bruise seen by the parent"
    timeline = [(e["actor"], e["kind"]) for e in case["timeline"]]
    assert (who("bob"), "note") in timeline and (who("alice"), "initial-discussion") in timeline


def _alice_types_while_bob_saves(env, pexpect, change):
    made = lado(env, "refer", "--no-input", *REFERRAL)
    assert made.returncode == 0, made.stderr
    ref = made.stdout.strip().splitlines()[-1]

    # Alice starts the initial discussion on her terminal and is thinking about the rationale.
    alice_env = dict(env, LADO_USER="alice", TERM="xterm", COLUMNS="120", LINES="40")
    alice = pexpect.spawn(LADO[0], [*LADO[1:], "discuss", ref, *DISCUSS], env=alice_env, dimensions=(40, 120), encoding="utf-8", timeout=30)
    try:
        wait_for(alice, "Rationale for the threshold decision")
        # Meanwhile Bob, at his own desk, records something on the same case.
        bob = lado(env, *[a.format(ref=ref) for a in MEANWHILE[change]], user="bob")
        assert bob.returncode == 0, bob.stderr
        # Alice finishes and confirms.
        alice.send("Bruise seen by the parent\r")
        wait_for(alice, "position of trust meeting")
        alice.send("n")
        wait_for(alice, "Is the case complex")
        alice.send("n")
        wait_for(alice, "Save this initial discussion?")
        alice.send("y")
        wait_for(alice, pexpect.EOF)
    finally:
        alice.close()
    return ref, alice


# -- (c) readers while a long import holds the write lock -----------------------------------------


def write_lock_held(db: str) -> bool:
    """True while another connection holds the database's write lock (a non-waiting probe)."""
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as err:
        assert "locked" in str(err), err
        return True
    finally:
        con.close()


def test_list_and_due_answer_at_once_while_an_import_holds_the_write_lock(env, tmp_path):
    made = lado(env, "refer", "--no-input", *REFERRAL)
    assert made.returncode == 0, made.stderr
    ref = made.stdout.strip().splitlines()[-1]
    before_list = lado(env, "list", "--all", "--format", "json").stdout
    before_due = lado(env, "due", "--format", "json").stdout
    big = tmp_path / "big.csv"
    make_csv(big, 60_000)

    importer = start(env, "import", str(big), user="importer")
    try:
        deadline = time.monotonic() + 30
        while not write_lock_held(env["LADO_DB"]):
            assert importer.poll() is None, f"the import ended before it was seen writing: {importer.communicate()}"
            assert time.monotonic() < deadline, "the import never took the write lock"
            time.sleep(0.01)
        for args in (["list", "--all", "--format", "json"], ["due", "--format", "json"], ["show", ref, "--format", "json"], ["list"]):
            r = lado(env, *args, timeout=60)
            assert r.returncode == 0, (args, r.stderr)
            # Answered while the import still held the write lock: the reader did not wait for
            # the writer (no timing: a loaded machine cannot make this fail or pass wrongly).
            assert importer.poll() is None and write_lock_held(env["LADO_DB"]), f"lado {' '.join(args)} answered only after the import"
            if args[0] == "list" and "json" in args:
                assert r.stdout == before_list  # the last committed state, not half an import
            elif args[0] == "due":
                assert r.stdout == before_due
        # The readers really ran while the import was writing (else this test proved nothing).
        assert importer.poll() is None and write_lock_held(env["LADO_DB"]), "the import finished too soon; use a bigger file"
        out, err = importer.communicate(timeout=120)
    finally:
        if importer.poll() is None:
            importer.kill()
            importer.communicate()
    assert importer.returncode == 0, err
    assert "60000 added" in out
    assert rows(env["LADO_DB"], "SELECT count(*) FROM cases") == [(60_001,)]
