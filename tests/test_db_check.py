"""`lado db check` (issue 6, item 6): SQLite's integrity and foreign-key checks, every
page of an encrypted file, the schema revision, every case complete; real files damaged
on purpose, and a real PostgreSQL server when one can be run."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest
from conftest import REFERRAL

from lado_cli.store.db import HEAD_REVISION, Database, alembic_config, current_revision, migration_transaction, resolve_url

PAGE = 4096  # SQLite's and SQLCipher's default page size


def ok_lines(r) -> list[str]:
    return [line for line in r.stdout.splitlines() if line.startswith("ok")]


def problems(r) -> list[str]:
    """The problem lines of a failed check: a short list, and one error line."""
    assert r.exit_code == 1, (r.stdout, r.stderr)
    err = r.stderr.strip().splitlines()
    assert len(err) == 1 and "problem" in err[0] and "Traceback" not in r.stderr, r.stderr
    found = [line for line in r.stdout.splitlines() if line.startswith("PROBLEM")]
    assert 1 <= len(found) <= 10, r.stdout
    return found


def test_a_fresh_database_is_ok(lado, tmp_path):
    assert lado("db", "init").exit_code == 0
    r = lado("db", "check")
    assert r.exit_code == 0, r.stderr
    assert ok_lines(r) == [
        "ok       integrity_check: ok",
        "ok       foreign_key_check: ok",
        f"ok       schema: at revision {HEAD_REVISION}",
        "ok       cases: 0, each with its adult, employer and referrer",
        "ok       chronology chain: 0 entries, each matching its hash and following the one before",
        "ok       audit log chain: 0 entries, each matching its hash and following the one before",
    ]
    lado("refer", "--no-input", *REFERRAL)
    assert "ok       cases: 1, each with its adult, employer and referrer" in lado("db", "check").stdout


def test_there_is_no_database_to_check(lado, tmp_path):
    r = lado("db", "check")
    assert r.exit_code == 1 and "there is no database" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "lado.db").exists()  # the check creates nothing


def damaged_copy(lado, tmp_path, name: str, table: str = "subjects"):
    """A consistent copy of the database (`lado db backup`) with the page that holds
    `table` overwritten by garbage from its b-tree header into the middle of the page."""
    copy = tmp_path / name
    assert lado("db", "backup", str(copy)).exit_code == 0
    with closing(sqlite3.connect(tmp_path / "lado.db")) as con:
        page = con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    with open(copy, "r+b") as f:
        f.seek((page - 1) * PAGE)
        f.write(b"\xa5" * (PAGE // 2))
    return copy


def test_a_damaged_file_fails_the_check(lado, tmp_path):
    lado("refer", "--no-input", *REFERRAL)
    copy = damaged_copy(lado, tmp_path, "damaged.db")
    before = copy.read_bytes()
    found = problems(lado("--db", str(copy), "db", "check"))
    assert any(line.startswith("PROBLEM  integrity_check:") for line in found), found
    assert copy.read_bytes() == before  # a check changes nothing
    assert lado("db", "check").exit_code == 0  # the original is fine


def test_broken_links_and_incomplete_cases_are_listed(lado, tmp_path):
    lado("refer", "--no-input", *REFERRAL)
    with closing(sqlite3.connect(tmp_path / "lado.db")) as con, con:  # foreign keys are off by default here
        con.execute("DELETE FROM employers")
        con.execute("INSERT INTO children (case_id, position, name, name_key) VALUES (999, 1, 'Sam Roe', 'sam roe')")
    found = problems(lado("db", "check"))
    assert "PROBLEM  cases: LADO-2026-0001 has no employer record" in found
    assert any(line.startswith("PROBLEM  foreign_key_check: children row") and "missing cases" in line for line in found), found


def test_an_older_schema_is_reported_not_upgraded(lado, tmp_path):
    from alembic import command

    lado("db", "init")
    db = Database(resolve_url(str(tmp_path / "lado.db")))
    with migration_transaction(db.engine) as conn:
        command.downgrade(alembic_config(conn), "0002")
    db.dispose()
    assert f"PROBLEM  schema: at revision 0002, expected {HEAD_REVISION} (any lado command upgrades an older one)" in problems(lado("db", "check"))
    with closing(sqlite3.connect(tmp_path / "lado.db")) as con:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0002"


def test_an_encrypted_file_is_checked_page_by_page(lado, tmp_path, monkeypatch):
    pytest.importorskip("sqlcipher3")
    monkeypatch.setenv("LADO_KEY", "correct horse battery staple")
    assert lado("db", "init", "--encrypt").exit_code == 0
    lado("refer", "--no-input", *REFERRAL)
    r = lado("db", "check")
    assert r.exit_code == 0, r.stderr
    assert ok_lines(r)[0] == "ok       cipher_integrity_check: every page decrypts and is authentic"
    copy = tmp_path / "damaged.db"
    assert lado("db", "backup", str(copy)).exit_code == 0
    with open(copy, "r+b") as f:  # the middle of page 3
        f.seek(2 * PAGE + PAGE // 2)
        f.write(b"\xa5" * 64)
    found = problems(lado("--db", str(copy), "db", "check"))
    assert found[0] == "PROBLEM  cipher_integrity_check: HMAC verification failed for page 3"
    monkeypatch.setenv("LADO_KEY", "not the right key at all")
    r = lado("db", "check")
    assert r.exit_code == 1 and r.stderr.startswith("Error: wrong key for") and len(r.stderr.strip().splitlines()) == 1


def test_on_postgresql_the_schema_and_every_case_are_checked(lado, request):
    pytest.importorskip("psycopg")
    server = request.getfixturevalue("pg_server")  # skips when no server can be run here
    url = server.create_database()
    request.addfinalizer(lambda: server.drop_database(url))
    r = lado("--db", url, "db", "init")
    assert r.exit_code == 0 and r.stdout.startswith("Database ready"), r.stdout
    assert "--encrypt is for SQLite files" in lado("--db", url, "db", "init", "--encrypt").stderr
    assert lado("--db", url, "refer", "--no-input", *REFERRAL).exit_code == 0
    r = lado("--db", url, "db", "check")
    assert r.exit_code == 0, r.stderr
    assert ok_lines(r) == [f"ok       schema: at revision {HEAD_REVISION}", "ok       cases: 1, each with its adult, employer and referrer",
                           "ok       chronology chain: 1 entry, each matching its hash and following the one before",
                           "ok       audit log chain: 0 entries, each matching its hash and following the one before"]
    db = Database(url)
    with db.begin() as conn:
        assert current_revision(conn) == HEAD_REVISION
        conn.exec_driver_sql("DELETE FROM referrers")
    db.dispose()
    assert problems(lado("--db", url, "db", "check")) == ["PROBLEM  cases: LADO-2026-0001 has no referrer record"]
