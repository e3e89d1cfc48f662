"""Crash safety (issue 6, item 6): a `lado` process killed with SIGKILL in the middle of
writing (no handler runs, nothing is flushed or rolled back by lado) leaves the SQLite file
intact and exactly as it was before the interrupted command: real processes, real files."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest
from conftest import REFERRAL, load_make_csv, with_flags


make_csv = load_make_csv()
LADO = [sys.executable, "-m", "lado_cli"]
MB = 1 << 20


@pytest.fixture
def env() -> dict[str, str]:
    assert "://" not in os.environ["LADO_DB"], "these tests look at the SQLite file itself"
    e = dict(os.environ)
    e.pop("LADO_DEBUG", None)
    return e


def lado(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*LADO, *args], env=env, capture_output=True, text=True, timeout=120)


def ok(r: subprocess.CompletedProcess) -> str:
    assert r.returncode == 0, (r.args, r.stderr)
    return r.stdout


def start(env: dict[str, str], *args: str) -> subprocess.Popen:
    return subprocess.Popen([*LADO, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill9(p: subprocess.Popen) -> tuple[bool, str, str]:
    """SIGKILL the process if it still runs: (killed, not finished by itself; stdout; stderr)."""
    try:
        os.kill(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    out, err = p.communicate(timeout=30)
    return p.returncode == -signal.SIGKILL, out, err


def rows(db: str, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(db)) as con:
        return con.execute(sql, params).fetchall()


def write_lock_held(db: str) -> bool:
    """True while another process holds the database's write lock (a non-waiting probe)."""
    con = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        con.close()


def intact(env: dict[str, str]) -> None:
    """SQLite's own check of every page and index, and `lado db check`."""
    db = env["LADO_DB"]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert rows(db, "PRAGMA foreign_key_check") == []
    r = lado(env, "db", "check")
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines and all(line.startswith("ok ") for line in lines), r.stdout
    assert "ok       integrity_check: ok" in lines and "ok       foreign_key_check: ok" in lines, r.stdout


def state(env: dict[str, str]) -> dict:
    """Everything a user or the next command could see: every table's rows (counts, and the
    reference counters whole), and the export of every case."""
    db = env["LADO_DB"]
    tables = [t for (t,) in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    return {
        "counts": {t: rows(db, f'SELECT count(*) FROM "{t}"')[0][0] for t in tables},
        "counters": rows(db, "SELECT year, seq FROM ref_counters ORDER BY year"),
        "export": ok(lado(env, "export", "--all")),
    }


def someone(i: int) -> list[str]:
    """A referral about an adult and a child of their own (no R11a history entry)."""
    d = f"{i % 28 + 1:02d}/{i % 12 + 1:02d}"  # births far apart too: the R11a matcher (issue 14) joins names alone when births agree
    return with_flags(REFERRAL, subject_name=f"Adult Number {i}", child_name=f"Child Number {i}",
                      subject_dob=f"{d}/{1950 + i % 50}", child_dob=f"{d}/2014")  # fmt: skip


# -- an import killed mid-write -------------------------------------------------------------


@pytest.mark.parametrize("kill_at_mb", [3, 20], ids=["early", "late"])
def test_an_import_killed_mid_write_leaves_the_database_intact_and_unchanged(env, tmp_path, kill_at_mb):
    db = env["LADO_DB"]
    # A database already in use: a referral, and earlier cases imported from a spreadsheet.
    ok(lado(env, "refer", "--no-input", *REFERRAL))
    small = tmp_path / "small.csv"
    make_csv(small, 20, seed=99)
    ok(lado(env, "import", str(small)))
    before = state(env)
    assert before["counts"]["cases"] == 21 and before["counts"]["events"] == 21

    big = tmp_path / "big.csv"
    make_csv(big, 30_000)  # ~9 MB of rows, all valid and new: the import would add them all
    wal = Path(db + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0

    importer = start(env, "import", str(big))
    deadline = time.monotonic() + 60
    try:
        # Really writing: its uncommitted pages are spilling into the write-ahead log.
        while not (wal.exists() and wal.stat().st_size >= wal_before + kill_at_mb * MB):
            assert importer.poll() is None, f"the import ended before it was killed: {importer.communicate()}"
            assert time.monotonic() < deadline, "the import never wrote that much"
            time.sleep(0.002)
        assert write_lock_held(db)  # inside its one transaction
    finally:
        killed, out, err = kill9(importer)
    assert killed, f"the import finished before the kill: {out} {err}"
    assert wal.stat().st_size >= wal_before + kill_at_mb * MB  # the half-written transaction is on disk...

    intact(env)
    after = state(env)
    assert after["counts"] == before["counts"]  # ...and none of it is visible: not one row more
    assert after["counters"] == before["counters"]  # no reference numbers used up
    assert after["export"] == before["export"]
    # The file works as before: the next referral takes the next number of its year.
    assert ok(lado(env, "refer", "--no-input", *someone(2))).strip().splitlines()[-1] == "LADO-2026-0002"
    intact(env)


# -- referrals killed at random moments ----------------------------------------------------


TRIES = 20  # killed after a random delay between 0 and a typical run
AIMED = 8  # killed as soon as it is seen holding the write lock, or a random moment later


def test_referrals_killed_at_random_moments_leave_only_whole_cases_and_no_gaps(env):
    db = env["LADO_DB"]
    times = []
    for i in range(3):  # how long a referral takes on this machine (the first also creates the file)
        t0 = time.monotonic()
        ok(lado(env, "refer", "--no-input", *someone(i)))
        times.append(time.monotonic() - t0)
    typical = statistics.mean(times[1:])
    seed = random.randrange(1 << 30)
    rnd = random.Random(seed)
    reported, killed, held = ["LADO-2026-0001", "LADO-2026-0002", "LADO-2026-0003"], 0, 0

    for i in range(3, 3 + TRIES + AIMED):
        p = start(env, "refer", "--no-input", *someone(i))
        if i < 3 + TRIES:
            time.sleep(rnd.uniform(0, typical))
        else:
            deadline, seen = time.monotonic() + 3 * typical + 5, False
            while not seen and p.poll() is None and time.monotonic() < deadline:
                seen = write_lock_held(db)
                if not seen:
                    time.sleep(0.001)
            if seen and i % 2:  # later inside its write transaction (about 0.1 s here), not only at its start
                time.sleep(rnd.uniform(0, 0.1))
                seen = write_lock_held(db)
            held += seen
        was_killed, out, err = kill9(p)
        if was_killed:
            killed += 1
        else:
            assert p.returncode == 0, err
            reported.append(out.strip().splitlines()[-1])

    why = f"(seed {seed}, typical run {typical:.2f} s, {killed} killed, {held} while holding the write lock)"
    print(why)
    assert killed >= TRIES // 2, f"too few processes were killed to prove anything {why}"
    assert held >= 1, f"no process was caught inside its write transaction {why}"
    intact(env)

    cases = rows(db, """
        SELECT c.ref, c.ref_seq,
               (SELECT count(*) FROM subjects s WHERE s.case_id = c.id),
               (SELECT count(*) FROM employers e WHERE e.case_id = c.id),
               (SELECT count(*) FROM referrers r WHERE r.case_id = c.id),
               (SELECT count(*) FROM children k WHERE k.case_id = c.id),
               (SELECT count(*) FROM deadlines d WHERE d.case_id = c.id),
               (SELECT count(*) FROM events v WHERE v.case_id = c.id)
        FROM cases c ORDER BY c.ref_seq""")  # fmt: skip
    broken = [c for c in cases if c[2:] != (1, 1, 1, 1, 2, 1)]
    assert broken == [], f"half-saved cases {why}"
    # Nothing dangles either: every row belongs to a case that exists.
    for table in ("subjects", "employers", "referrers", "children", "deadlines", "events"):
        assert rows(db, f"SELECT count(*) FROM {table} WHERE case_id NOT IN (SELECT id FROM cases)") == [(0,)], table
    stored = [c[0] for c in cases]
    assert set(reported) <= set(stored), f"a reference printed as saved is missing {why}"
    # The counter moves in the same transaction as the case: no number lost, none reused.
    n = len(stored)
    assert [c[1] for c in cases] == list(range(1, n + 1)), f"gaps in the references {why}"
    assert rows(db, "SELECT seq FROM ref_counters WHERE year = 2026") == [(n,)], why
    fresh = ok(lado(env, "refer", "--no-input", *someone(999))).strip().splitlines()[-1]
    assert fresh == f"LADO-2026-{n + 1:04d}", why
    assert len(json.loads(ok(lado(env, "list", "--all", "--format", "json")))) == n + 1
    intact(env)
