"""A team on one database (issue 6): real `lado` processes saving referrals at the same moment,
on the SQLite file and on the PostgreSQL server alike (conftest runs each test on both).

The reference counter (`reserve_refs`: INSERT ... ON CONFLICT DO NOTHING, then an UPDATE that
locks the counter's row until commit) must hand every process its own number, with no gap,
and every referral must be saved whole.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from conftest import login_as, REFERRAL, db_rows, with_flags

from lado_cli.store.db import HEAD_REVISION

# Six people pressing Enter at the same moment, twice: the first round races to create the
# year's counter row, the second to take numbers from the existing row. (Each process costs
# ~1 s of CPU to start on the suite's 2-core machine; more processes test nothing more.)
PROCESSES, ROUNDS = 6, 2

# `python -m lado_cli ARGS` with a starting gate: the process imports everything a command
# needs, says "ready" and waits for a line on stdin, so that all of them really start the
# command at the same moment (interpreter start-up alone would spread them over a second).
GATED = (
    "import sys, runpy\n"
    "import alembic.command, sqlalchemy, sqlmodel, lado_cli.cli.app, lado_cli.cli.refer, lado_cli.store.cases, lado_cli.store.db\n"
    "try:\n    import psycopg\nexcept ImportError:\n    pass\n"
    "print('ready', flush=True)\n"
    "sys.stdin.readline()\n"
    "sys.argv = ['lado', *sys.argv[1:]]\n"
    "runpy.run_module('lado_cli', run_name='__main__')\n"
)


def env(**extra: str) -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "LADO_DEBUG"}
    e.update(extra)
    return e


def referral(round_: int, i: int) -> list[str]:
    """A referral about an adult and a child of its own (so no R11a history is involved)."""
    return with_flags(REFERRAL, subject_name=f"Adult {round_} {i}", child_name=f"Child {round_} {i}")


def run_at_once(argvs: list[list[str]], users: list[str]) -> list[subprocess.CompletedProcess]:
    """Run `lado ARGV` in one process each, all let go at the same moment; wait for all."""
    procs = [
        subprocess.Popen([sys.executable, "-c", GATED, *argv], env=env(LADO_USER=user, LADO_DB=login_as(os.environ["LADO_DB"], user)),
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for argv, user in zip(argvs, users, strict=True)
    ]  # fmt: skip
    try:
        for p in procs:
            assert p.stdout.readline() == "ready\n", p.stderr.read()
        for p in procs:  # the gate opens
            p.stdin.write("go\n")
            p.stdin.flush()
        deadline = time.monotonic() + 120
        done = []
        for p in procs:
            out, err = p.communicate(timeout=max(1.0, deadline - time.monotonic()))
            done.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
        return done
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()


def test_referrals_saved_at_the_same_moment_get_distinct_gapless_references_and_are_whole(lado):
    assert lado("list").exit_code == 0  # the database exists and is migrated: what is raced is the counter
    refs: list[str] = []
    for round_ in range(ROUNDS):
        argvs = [["refer", "--no-input", "--yes", *referral(round_, i)] for i in range(PROCESSES)]
        results = run_at_once(argvs, [f"officer{i}" for i in range(PROCESSES)])
        for r in results:
            assert r.returncode == 0, r.stderr
            assert "Error" not in r.stderr and "Traceback" not in r.stderr, r.stderr
        refs += [r.stdout.splitlines()[-1] for r in results]

    n = PROCESSES * ROUNDS
    assert len(set(refs)) == n, sorted(refs)  # nobody got somebody else's reference
    assert sorted(refs) == [f"LADO-2026-{i:04d}" for i in range(1, n + 1)]  # and none was skipped
    assert db_rows("SELECT year, seq FROM ref_counters") == [(2026, n)]

    # Every referral is whole: its case, adult, employer, referrer, child, both time limits
    # and its chronology entry, written by the process that saved it.
    whole = db_rows(
        "SELECT c.ref, s.name, e.name, r.name, "
        " (SELECT count(*) FROM children k WHERE k.case_id = c.id), "
        " (SELECT count(*) FROM deadlines d WHERE d.case_id = c.id), "
        " (SELECT count(*) FROM events v WHERE v.case_id = c.id AND v.kind = 'referral' AND v.actor = c.updated_by) "
        "FROM cases c JOIN subjects s ON s.case_id = c.id JOIN employers e ON e.case_id = c.id JOIN referrers r ON r.case_id = c.id "
        "ORDER BY c.ref"
    )
    assert [w[0] for w in whole] == sorted(refs)
    for ref, _subject, employer, referrer, kids, limits, entries in whole:
        assert (employer, referrer, kids, limits, entries) == ("Oak Primary School", "Ann Head", 1, 2, 1), ref
    # each process's reference is its own adult's case (refs are in the order processes started)
    saved = {ref: f"Adult {n // PROCESSES} {n % PROCESSES}" for n, ref in enumerate(refs)}
    assert {ref: subject for ref, subject, *_ in whole} == saved


def test_people_opening_a_new_database_at_once_all_succeed():
    """The first use of a new, empty team database by several people at once: one of them
    creates the schema, the others wait for it and then use it (not "already exists"):
    migration_transaction's BEGIN IMMEDIATE on SQLite, its advisory lock on PostgreSQL."""
    argvs = [["refer", "--no-input", "--yes", *referral(0, i)] for i in range(PROCESSES)]
    results = run_at_once(argvs, [f"officer{i}" for i in range(PROCESSES)])
    for r in results:
        assert r.returncode == 0, r.stderr
    assert sorted(r.stdout.splitlines()[-1] for r in results) == [f"LADO-2026-{i:04d}" for i in range(1, PROCESSES + 1)]
    assert db_rows("SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
