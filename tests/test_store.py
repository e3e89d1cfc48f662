"""The database: where it is, that it is private, migrations from empty, backups.

Run on both backends (conftest); `sqlite_only` tests look at the SQLite file itself, and
`postgresql_only` ones check the same guarantees on the server.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys

import pytest
import sqlalchemy as sa
from conftest import REFERRAL, db_execute, ok, pg_conninfo

from lado_cli.store.db import HEAD_REVISION, Database, alembic_config, current_revision, migration_transaction, resolve_url


@pytest.mark.sqlite_only
def test_new_database_file_is_private(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL))
    mode = stat.S_IMODE(os.stat(tmp_path / "lado.db").st_mode)
    assert mode == 0o600  # R34: records are confidential


@pytest.mark.sqlite_only  # file paths (a server URL: test_db_accepts_an_sqlalchemy_url)
def test_db_option_overrides_env_and_creates_parent_dirs(lado, tmp_path):
    target = tmp_path / "team" / "cases.db"
    r = lado("--db", str(target), "refer", "--no-input", *REFERRAL)
    assert r.exit_code == 0
    assert target.exists() and not (tmp_path / "lado.db").exists()
    assert lado("--db", str(target), "db", "path").stdout.strip() == str(target)


def test_db_accepts_an_sqlalchemy_url(lado, tmp_path, backend, new_db):
    url = f"sqlite:///{tmp_path / 'u.db'}" if backend == "sqlite" else new_db("u")
    assert lado("--db", url, "refer", "--no-input", *REFERRAL).exit_code == 0
    assert json.loads(lado("--db", url, "list", "--format", "json").stdout)[0]["ref"] == "LADO-2026-0001"


def test_db_path_defaults_to_the_user_data_dir(lado, monkeypatch, tmp_path):
    monkeypatch.delenv("LADO_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    out = lado("db", "path").stdout.strip()
    assert out == str(tmp_path / "xdg" / "lado" / "lado.db")


def test_db_path_hides_passwords(lado):
    out = lado("--db", "postgresql+psycopg://lado:secret@localhost/lado", "db", "path").stdout
    assert "secret" not in out and "***" in out


def test_bad_url_is_one_line(lado):
    r = lado("--db", "nosuchdriver://x", "list")
    assert r.exit_code == 1 and len(r.stderr.strip().splitlines()) == 1


def test_migrations_from_empty_match_the_tables(new_db):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from lado_cli.store.tables import metadata

    db = Database(resolve_url(new_db("m")))
    with db.read() as conn:
        assert current_revision(conn) == HEAD_REVISION
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata)
    db.dispose()
    assert diff == []


def test_head_revision_constant_is_the_newest_migration():
    from alembic.script import ScriptDirectory

    assert ScriptDirectory.from_config(alembic_config(None)).get_current_head() == HEAD_REVISION


def test_a_newer_schema_is_refused_clearly(lado):
    Database(resolve_url(os.environ["LADO_DB"])).dispose()
    db_execute("UPDATE alembic_version SET version_num = '9999'")
    r = lado("list")
    assert r.exit_code == 1 and "cannot upgrade the database" in r.stderr


@pytest.mark.sqlite_only  # on a server: test_an_unreachable_server_is_one_line
def test_not_a_database_is_one_line(lado, tmp_path):
    (tmp_path / "lado.db").write_text("this is a spreadsheet, not a database\n" * 100)
    (tmp_path / "lado.db").chmod(0o600)  # private, so it is opened (and found not to be a database)
    r = lado("list")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot read the database") and "Traceback" not in r.stderr


@pytest.mark.sqlite_only  # a server is backed up with pg_dump: test_backup_of_a_server_names_pg_dump
def test_backup_is_a_private_consistent_copy(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL))
    dest = tmp_path / "backups" / "b.db"
    dest.parent.mkdir()
    r = lado("db", "backup", str(dest))
    assert r.exit_code == 0
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    rows = json.loads(lado("--db", str(dest), "list", "--format", "json").stdout)
    assert [row["ref"] for row in rows] == ["LADO-2026-0001"]
    again = lado("db", "backup", str(dest))
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_a_failed_save_leaves_nothing_half_written(new_db):
    # A referral whose last insert fails must leave no case behind (one transaction).
    from datetime import datetime, timezone

    from lado_cli.domain.referral import validate_referral
    from lado_cli.profiles import read_profile
    from lado_cli.store.cases import insert_referral

    profile = read_profile(None)
    now = datetime(2026, 12, 23, 10, tzinfo=timezone.utc)
    raw = {REFERRAL[i][2:]: REFERRAL[i + 1] for i in range(0, len(REFERRAL), 2)}
    raw["criteria"] = ["harm"]
    r = validate_referral(raw, profile, now)
    db = Database(resolve_url(new_db("t")))
    try:
        with db.begin() as conn:
            insert_referral(conn, r, ref_prefix="LADO", year=2026, new_deadlines=[], now=now, actor="t",
                            chronology=[("referral", None, "at is missing: NOT NULL fails")])  # fmt: skip
    except sa.exc.IntegrityError:
        pass
    with db.read() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM cases")).scalar() == 0
        assert conn.execute(sa.text("SELECT count(*) FROM subjects")).scalar() == 0
    db.dispose()


def test_help_imports_no_heavy_module(tmp_path):
    # `lado --help` must stay fast: no sqlmodel, sqlalchemy, questionary, alembic or holidays.
    code = (
        "import sys\n"
        "from lado_cli.cli.app import app\n"
        "try:\n    app(['--help'], prog_name='lado')\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sqlmodel', 'sqlalchemy', 'questionary', 'alembic', 'holidays', 'dateutil', 'openpyxl', 'icalendar') if m in sys.modules]\n"
        "print('HEAVY', heavy, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stderr


def test_upgrade_from_each_earlier_schema_keeps_the_data(lado):
    """A database written by an older lado (revision 0001) is upgraded in place on open."""
    from alembic import command

    url = resolve_url(os.environ["LADO_DB"])
    ok(lado("refer", "--no-input", *REFERRAL))
    db = Database(url)
    with migration_transaction(db.engine) as conn:
        command.downgrade(alembic_config(conn), "0001")
    with db.read() as conn:
        assert current_revision(conn) == "0001"
        assert "complex" not in {c["name"] for c in sa.inspect(conn).get_columns("cases")}
    db.dispose()
    case = json.loads(lado("show", "LADO-2026-0001", "--format", "json").stdout)  # opening upgrades
    assert case["subject"]["name"] == "John Smith"
    db = Database(url)
    with db.read() as conn:
        assert current_revision(conn) == HEAD_REVISION
        assert conn.execute(sa.text("SELECT complex FROM cases")).scalar() in (0, False)
    db.dispose()


@pytest.mark.sqlite_only
def test_sqlite_runs_in_wal_mode_and_its_files_stay_private(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL))
    with sqlite3.connect(tmp_path / "lado.db") as c:
        assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db = Database(resolve_url(str(tmp_path / "lado.db")))
    with db.read() as conn:  # an open connection keeps the -wal/-shm files
        conn.execute(sa.text("SELECT 1"))
        for extra in ("lado.db-wal", "lado.db-shm"):
            assert (tmp_path / extra).exists(), extra  # WAL mode: both exist while a connection is open
            assert stat.S_IMODE(os.stat(tmp_path / extra).st_mode) == 0o600, extra
    db.dispose()


@pytest.mark.sqlite_only  # on a server: test_the_chronology_cannot_be_changed_even_with_sql_on_the_server
def test_the_chronology_cannot_be_changed_even_with_sql(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL))
    con = sqlite3.connect(tmp_path / "lado.db")
    for sql in ("UPDATE events SET text = 'rewritten'", "DELETE FROM events"):
        try:
            con.execute(sql)
        except sqlite3.DatabaseError as err:
            assert "R37a" in str(err)
        else:
            raise AssertionError(f"{sql} was allowed")
    con.close()
    assert json.loads(lado("show", "LADO-2026-0001", "-f", "json").stdout)["timeline"][0]["kind"] == "referral"


def test_reference_numbers_continue_after_kept_ones(lado, tmp_path):
    from test_transfer import ROW, write_csv

    ok(lado("refer", "--no-input", *REFERRAL))  # LADO-2026-0001
    path = write_csv(tmp_path / "r.csv", [dict(ROW, ref="LADO-2026-0100")], ["ref", *ROW])
    assert lado("import", str(path)).exit_code == 0
    r = ok(lado("refer", "--no-input", *REFERRAL))
    assert r.stdout.splitlines()[-1] == "LADO-2026-0101"


def test_a_change_made_meanwhile_is_not_overwritten(lado, tmp_path):
    """Optimistic check: a step prepared on an old read of the case is refused, naming who."""
    from datetime import datetime, timezone

    from lado_cli.domain.workflow import Plan
    from lado_cli.store.workflow import apply_plan, load_state

    ok(lado("refer", "--no-input", *REFERRAL))
    db = Database(resolve_url(os.environ["LADO_DB"]))
    with db.read() as conn:
        stale = load_state(conn, "LADO-2026-0001")
    r = lado("note", "LADO-2026-0001", "--text", "Phoned the school")  # someone else, in between:
    assert r.exit_code == 0  # a note changes nothing a step depends on (issue 12, item 6)...
    now = datetime(2026, 12, 23, 10, 30, tzinfo=timezone.utc)
    with db.begin() as conn:
        apply_plan(conn, stale, Plan(case_updates={"complex": True}), now=now, actor="other")  # ...so this is not stale
    r = lado("meeting", "LADO-2026-0001", "--no-input", "--type", "strategy-discussion", "--held", "23/12/2026 09:45", "--chair", "Bob")
    assert r.exit_code == 0, r.stderr  # ...but a meeting meets a time limit: now it is
    try:
        with db.begin() as conn:
            apply_plan(conn, stale, Plan(case_updates={"complex": True}), now=now, actor="other")
    except Exception as err:  # noqa: BLE001
        assert "was changed by tester at 23/12/2026 10:00 UTC while you worked; nothing was saved" in str(err)
    else:
        raise AssertionError("a stale write went through")
    db.dispose()


# -- PostgreSQL: the same guarantees on the server ----------------------------------------------


@pytest.mark.postgresql_only
def test_the_chronology_cannot_be_changed_even_with_sql_on_the_server(lado):
    """The trigger of migration 0003 (R37a): no UPDATE or DELETE of `events` over a plain
    psycopg connection, unless a deletion permit for that case exists in the same transaction
    (a recorded retention decision, R37b); an UPDATE never."""
    import psycopg

    ok(lado("refer", "--no-input", *REFERRAL))
    with psycopg.connect(pg_conninfo(os.environ["LADO_DB"])) as con:
        for sql in ("UPDATE events SET text = 'rewritten'", "DELETE FROM events", "TRUNCATE events"):  # TRUNCATE: migration 0004
            with pytest.raises(psycopg.errors.RaiseException, match="R37a"):
                con.execute(sql)
            con.rollback()
        case_id = con.execute("SELECT id FROM cases").fetchone()[0]
        con.execute("INSERT INTO deletion_permits (case_id) VALUES (%s)", (case_id,))
        with pytest.raises(psycopg.errors.RaiseException, match="R37a"):
            con.execute("UPDATE events SET text = 'rewritten'")
        con.rollback()
        con.execute("INSERT INTO deletion_permits (case_id) VALUES (%s)", (case_id,))
        assert con.execute("DELETE FROM events WHERE case_id = %s", (case_id,)).rowcount == 1  # permitted
        con.rollback()  # ...but this test decides nothing: undone
    assert json.loads(lado("show", "LADO-2026-0001", "-f", "json").stdout)["timeline"][0]["kind"] == "referral"


@pytest.mark.postgresql_only
def test_an_unreachable_server_is_one_line(lado, monkeypatch):
    from pgserver import free_port

    monkeypatch.setenv("LADO_DB", f"postgresql+psycopg://lado:secret@127.0.0.1:{free_port()}/lado")
    r = lado("list")
    assert r.exit_code == 1
    assert r.stderr.startswith("Error: cannot read the database") and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "secret" not in r.stderr and "Traceback" not in r.stderr


@pytest.mark.postgresql_only
def test_backup_of_a_server_names_pg_dump(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL))
    r = lado("db", "backup", str(tmp_path / "b.db"))
    assert r.exit_code == 1 and "pg_dump" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "b.db").exists()
