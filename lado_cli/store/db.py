"""Where the database lives, how it is opened, and its migrations.

`--db` / env `LADO_DB` take a file path or an SQLAlchemy URL; without either the file
is `lado.db` in the user data directory. A new SQLite file is created private (0600:
the records are confidential, R34). Every open applies any pending migration inside one
transaction, so a schema is never half-upgraded; the common case (already current) is a
single query and does not import alembic.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from lado_cli.errors import LadoError

# The newest migration in lado_cli/store/migrations/versions (tests check they agree).
HEAD_REVISION = "0003"


def default_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("lado", appauthor=False)) / "lado.db"


def resolve_url(db: str | None) -> str:
    """The SQLAlchemy URL for a `--db` value (None: the default file)."""
    if db and "://" in db:
        try:
            make_url(db)
        except sa.exc.ArgumentError:
            raise LadoError(f"--db: '{db}' is not a database URL; expected a file path or a URL such as sqlite:///lado.db") from None
        return db
    path = Path(db).expanduser() if db else default_path()
    return f"sqlite:///{path.absolute()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or None for other backends and in-memory databases."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def display_url(url: str) -> str:
    """The URL with any password hidden."""
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def _create_private_file(path: Path) -> None:
    if path.exists():
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as err:
        raise LadoError(f"cannot create the database file {path}: {err.strerror}") from None


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that DDL
    # in migrations is transactional too (see the SQLAlchemy pysqlite notes).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA busy_timeout = 10000")  # a second writer waits up to 10 s, then a clear error
    cur.execute("PRAGMA journal_mode = WAL")  # readers never block the writer (a team on one file)
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock at once, so two writers queue (busy
    # timeout) instead of failing half way; reads stay deferred.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("lado_write") else "BEGIN")


class Database:
    """An opened, migrated database."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.path = sqlite_path(url)
        if self.path is not None:
            _create_private_file(self.path)
        try:
            self.engine: Engine = sa.create_engine(url)
        except (sa.exc.ArgumentError, ModuleNotFoundError) as err:
            raise LadoError(f"cannot open {display_url(url)}: {err}") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        migrate(self.engine)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction: committed on success, rolled back on any error."""
        with self.engine.connect() as conn:
            conn.execution_options(lado_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()


def current_revision(conn: Connection) -> str | None:
    if not sa.inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


@contextmanager
def migration_transaction(engine: Engine) -> Iterator[Connection]:
    """A write transaction for schema changes. On SQLite, foreign keys are off while tables
    are rebuilt (ALTER TABLE there copies a table) and checked before commit."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # must be set outside a transaction, so on the driver connection
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(lado_write=True).begin():
                yield conn
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise LadoError("the database upgrade would break links between records; nothing was changed")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def migrate(engine: Engine) -> None:
    """Bring the schema to HEAD_REVISION, all in one transaction."""
    try:
        with engine.connect() as conn:
            if current_revision(conn) == HEAD_REVISION:
                return
    except sa.exc.DatabaseError as err:
        raise LadoError(f"cannot read the database {display_url(str(engine.url))}: {err.orig}") from None
    from alembic import command
    from alembic.util import CommandError

    with migration_transaction(engine) as conn:
        try:
            command.upgrade(alembic_config(conn), "head")
        except CommandError as err:
            # e.g. a database written by a newer lado than this one
            raise LadoError(f"cannot upgrade the database {display_url(str(engine.url))}: {err}") from None


def alembic_config(conn: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("lado_cli.store") / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def backup(db: Database, dest: Path) -> None:
    """Copy an SQLite database, consistently, to a new private file."""
    if db.path is None:
        raise LadoError(f"lado db backup copies SQLite files only; back up {display_url(db.url)} with the server's own tools (pg_dump)")
    if dest.exists():
        raise LadoError(f"{dest} already exists; choose a new file name (backups never overwrite)")
    _create_private_file(dest)
    import sqlite3

    try:
        src = sqlite3.connect(db.path)
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
        finally:
            out.close()
            src.close()
    except sqlite3.Error as err:
        dest.unlink(missing_ok=True)
        raise LadoError(f"backup to {dest} failed: {err}") from None
