"""Shared fixtures: every test gets its own database, a fixed "now" and a fixed terminal
width, so output is the same on every machine.

Two backends. The storage and CLI tests (the modules in `BOTH_BACKENDS`) run twice: `[sqlite]`
with LADO_DB a new SQLite file, and `[postgresql]` with LADO_DB the URL of a new, empty
database on a throwaway PostgreSQL server that the suite starts itself (tests/pgserver.py;
skipped, with the reason, when the server binaries are not installed, and failed instead
when env CI is set, so CI never silently runs one backend). A test marked `sqlite_only`
(it looks at the SQLite file itself) or `postgresql_only` runs on that backend alone.
Every other module runs on SQLite only, as before.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from contextlib import closing

import pytest
from typer.testing import CliRunner

BACKENDS = ("sqlite", "postgresql")
BOTH_BACKENDS = {
    "test_store", "test_refer_cli", "test_show_list", "test_workflow", "test_transfer", "test_due", "test_escalate",
    "test_stats", "test_docs", "test_team", "test_hygiene", "test_setup", "test_match",
    "test_order", "test_amend", "test_full_export", "test_limits", "test_edges", "test_chain", "test_roles", "test_intake_facts",
    "test_rules_fixes", "test_outcome_wizard", "test_escalation_guidance", "test_referrer", "test_casework", "test_send",
}  # fmt: skip

# Wednesday 23 December 2026, 10:00 UK time: the Christmas bank holidays are two days away.
NOW = "2026-12-23 10:00"

REFERRAL = [
    "--subject-name", "John Smith", "--subject-dob", "01/02/1980", "--subject-role", "PE teacher",
    "--employment", "paid", "--employer", "Oak Primary School", "--sector", "education",
    "--concern-arose", "22/12/2026 16:30", "--received", "23/12/2026 09:15",
    "--source", "parent-carer", "--category", "physical", "--criteria", "harm", "--criteria", "risk",
    "--summary", "Grabbed a pupil by the arm in a PE lesson.",
    "--child-name", "Amy Jones", "--child-dob", "03/04/2016",
    "--referrer-name", "Ann Head", "--referrer-role", "Head teacher",
    "--referrer-org", "Oak Primary School", "--referrer-contact", "01632 960001",
]  # fmt: skip


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: looks at the SQLite file itself; run on the SQLite backend only")
    config.addinivalue_line("markers", "postgresql_only: a PostgreSQL-specific check; run on the PostgreSQL backend only")


def pytest_generate_tests(metafunc):
    if "backend" not in metafunc.fixturenames or metafunc.module.__name__.rpartition(".")[2] not in BOTH_BACKENDS:
        return
    if metafunc.definition.get_closest_marker("sqlite_only"):
        backends = ["sqlite"]
    elif metafunc.definition.get_closest_marker("postgresql_only"):
        backends = ["postgresql"]
    else:
        backends = list(BACKENDS)
    metafunc.parametrize("backend", backends, indirect=True, scope="module")


@pytest.fixture(scope="module")
def backend(request) -> str:
    """The backend of this test: sqlite or postgresql (module-scoped, so that a module's
    shared data set is built once per backend)."""
    return getattr(request, "param", "sqlite")


def _ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _no_server(reason: str) -> None:
    if _ci():
        pytest.fail(f"CI must run the PostgreSQL variants, and cannot: {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_server():
    """The throwaway PostgreSQL server, started on first use and removed at the end."""
    from pgserver import NoServer, PgServer

    try:
        import psycopg  # noqa: F401
    except ImportError:
        _no_server("the PostgreSQL driver is not installed: pip install -e '.[dev]' (psycopg)")
    server = PgServer()
    try:
        server.start()
    except NoServer as err:
        _no_server(str(err))
    yield server
    server.stop()


def new_database(backend: str, request, directory, name: str) -> str:
    """A new database for LADO_DB or --db: the file `directory/name.db`, or a new, empty
    PostgreSQL database (dropped when the requesting test or module ends)."""
    if backend == "sqlite":
        return str(directory / f"{name}.db")
    server = request.getfixturevalue("pg_server")
    url = server.create_database()

    def drop() -> None:
        # A connection left open (lado must close its connections when a command ends) is
        # reported by the test that left it, rather than by whichever later test happens to
        # garbage-collect it (psycopg then warns: an error in this suite).
        left_open = server.connections_to(url)
        server.drop_database(url)
        assert not left_open, f"{left_open} connection(s) to the test's database left open"

    request.addfinalizer(drop)
    return url


@pytest.fixture
def new_db(backend, request, tmp_path):
    """`new_db(name)`: another new database on this test's backend (a file in tmp_path on SQLite)."""
    return lambda name="other": new_database(backend, request, tmp_path, name)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch, backend, request):
    monkeypatch.setenv("LADO_DB", new_database(backend, request, tmp_path, "lado"))
    monkeypatch.setenv("LADO_NOW", NOW)
    monkeypatch.setenv("LADO_USER", "tester")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("TERM", "dumb")
    for var in ("LADO_PROFILE", "LADO_NO_INPUT", "LADO_DEBUG", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    # In-process commands run as the OS login named by LADO_USER (the people of these tests
    # stand for logins), so that what is recorded is that name alone. tests/test_roles.py
    # checks the real rule with real processes: the OS login, LADO_USER beside it.
    import lado_cli.cli.context as context

    real = context.os_user
    monkeypatch.setattr(context, "os_user", lambda: (os.environ.get("LADO_USER") or "").strip() or real())


def login_as(url: str, user: str, *, superuser: bool = True) -> str:
    """`url` (PostgreSQL) with the login role `user`, created if missing (trust auth on the
    test server); an SQLite path is returned as it is."""
    if "://" not in url:
        return url
    import psycopg
    from psycopg import sql

    with psycopg.connect(pg_conninfo(url), autocommit=True) as con:
        if con.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone() is None:
            con.execute(sql.SQL("CREATE ROLE {} LOGIN" + (" SUPERUSER" if superuser else "")).format(sql.Identifier(user)))
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[1]}"


@pytest.fixture
def lado():
    """Run `lado ARGS...` in-process; returns the click Result (exit_code, stdout, stderr)."""
    from lado_cli.cli.app import app

    runner = CliRunner()

    def run(*args: str, input: str | None = None):
        return runner.invoke(app, list(args), input=input, catch_exceptions=False)

    return run


def with_flags(base: list[str], **changes: str | None) -> list[str]:
    """`base` with some flags replaced (value None: removed). Keys use _ for -."""
    out, i = [], 0
    changes = {f"--{k.replace('_', '-')}": v for k, v in changes.items()}
    while i < len(base):
        flag, value = base[i], base[i + 1]
        if flag in changes:
            if changes[flag] is not None and flag not in out:
                out += [flag, changes[flag]]
        else:
            out += [flag, value]
        i += 2
    out += [x for k, v in changes.items() if k not in base and v is not None for x in (k, v)]
    return out


# -- Looking at the stored rows directly, on either backend ----------------------------------


def _sqlite_form(value):
    """A value read over psycopg as SQLAlchemy's SQLite dialect stores it (instants as naive
    UTC text, dates as ISO text, booleans as 0/1, JSON as its text), so one assertion checks
    both backends."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def db_rows(sql: str, *params, db: str | None = None) -> list[tuple]:
    """Rows of raw SQL (`?` placeholders) on the database `db` (default: env LADO_DB),
    bypassing lado, in SQLite's storage form on both backends."""
    db = db or os.environ["LADO_DB"]
    if "://" not in db:
        with closing(sqlite3.connect(db)) as con:
            return con.execute(sql, params).fetchall()
    import psycopg

    with psycopg.connect(pg_conninfo(db), autocommit=True) as con:
        return [tuple(_sqlite_form(v) for v in row) for row in con.execute(sql.replace("?", "%s"), params).fetchall()]


def db_table(table: str, *, db: str | None = None) -> list[dict]:
    """Every row of a table, by id, as {column: value} in SQLite's storage form."""
    db = db or os.environ["LADO_DB"]
    sql = f"SELECT * FROM {table} ORDER BY id"
    if "://" not in db:
        with closing(sqlite3.connect(db)) as con:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute(sql)]
    import psycopg
    from psycopg.rows import dict_row

    with psycopg.connect(pg_conninfo(db), autocommit=True, row_factory=dict_row) as con:
        return [{k: _sqlite_form(v) for k, v in r.items()} for r in con.execute(sql)]


def db_execute(sql: str, *params, db: str | None = None) -> None:
    """Run one raw SQL statement (`?` placeholders) and commit, bypassing lado."""
    db = db or os.environ["LADO_DB"]
    if "://" not in db:
        with closing(sqlite3.connect(db)) as con, con:
            con.execute(sql, params)
        return
    import psycopg

    with psycopg.connect(pg_conninfo(db), autocommit=True) as con:
        con.execute(sql.replace("?", "%s"), params)


def pg_conninfo(url: str) -> str:
    """The libpq URI of an SQLAlchemy postgresql+psycopg URL."""
    return "postgresql://" + url.split("://", 1)[1]


def ok(r):
    """The command succeeded (shows its output otherwise)."""
    assert r.exit_code == 0, (r.stdout, r.stderr)
    return r


def after_first_run_notice(stderr: str) -> str:
    """stderr without the notice a command gives when it made the database (tests/test_setup.py
    checks the notice itself): its lines from "New database. " to the one naming
    `lado init --profile FILE`."""
    start = stderr.find("New database. ")
    if start < 0 or (start and stderr[start - 1] != "\n"):
        return stderr
    end = stderr.find("lado init --profile FILE\n", start)
    return stderr if end < 0 else stderr[:start] + stderr[end + len("lado init --profile FILE\n"):]


def fails(r, code, *words):
    """The command failed the way users are promised: exit `code`, one `Error:` line on stderr
    holding every one of `words`, no traceback. Returns that line."""
    assert r.exit_code == code, (r.exit_code, r.stdout, r.stderr)
    line = after_first_run_notice(r.stderr).strip()
    assert len(line.splitlines()) == 1 and line.startswith("Error: "), r.stderr
    for w in words:
        assert w in line, (w, line)
    assert "Traceback" not in r.stdout + r.stderr
    return line


def load_make_csv():
    """`make_csv` of benchmarks/import_bench.py: a large, valid import file."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("import_bench", Path(__file__).resolve().parent.parent / "benchmarks" / "import_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_csv
