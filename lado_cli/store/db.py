"""Where the database lives, how it is opened, and its migrations.

`--db` / env `LADO_DB` take a file path or an SQLAlchemy URL; without either the file
is `lado.db` in the user data directory. A new SQLite file is created private (0600:
the records are confidential, R34). Every open applies any pending migration inside one
transaction, so a schema is never half-upgraded; the common case (already current) is a
single query and does not import alembic.

Encryption at rest (optional extra `encrypt`, the `sqlcipher3` driver): a file made by
`lado db init --encrypt` is a SQLCipher database. A plain SQLite file starts with the 16
bytes `SQLite format 3\\0`; an encrypted one starts with random bytes (its salt) and is
whole pages long. Such a file is opened with SQLCipher: each new connection is made by
`_cipher_connect`, whose first statement is `PRAGMA key`, before any pragma of ours or
SQLAlchemy's runs. The key is held only by the Database object, never put in a URL, so it
cannot appear in `display_url`, a log line or an error message.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url

from lado_cli import saved
from lado_cli.errors import LadoError
from lado_cli.files import check_database, touch_private
from lado_cli.store.waits import lock_holders, lock_timeout_ms, pg_timeouts

# The newest migration in lado_cli/store/migrations/versions (tests check they agree).
HEAD_REVISION = "0016"

SQLITE_HEADER = b"SQLite format 3\x00"
MIGRATION_LOCK = 0x6C61646F  # PostgreSQL advisory lock id ("lado") held while migrating
ENCRYPT_HINT = 'install the encryption support: pip install "lado-cli[encrypt]"'


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
    if u.database.startswith("file:") and str(u.query.get("uri", "")).lower() in ("true", "1"):  # an SQLite URI filename
        if ":memory:" in u.database or u.query.get("mode") == "memory":
            return None
        name = u.database[len("file:"):].split("?", 1)[0]
        if name.startswith("//"):  # file://localhost/path or file:///path
            name = "/" + name[2:].partition("/")[2]
        from urllib.parse import unquote

        return Path(unquote(name))
    return Path(u.database)


def refuse_memory(url: str) -> None:
    """An in-memory SQLite database vanishes when the command ends: "Saved" would be a lie."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and sqlite_path(url) is None:
        raise LadoError(f"--db: '{url}' is an in-memory database, lost when the command ends; expected a file path or a server URL")


def display_url(url: str) -> str:
    """The URL with any password hidden."""
    path = sqlite_path(url)
    return str(path) if path else make_url(url).render_as_string(hide_password=True)


def _create_private_file(path: Path) -> None:
    """A new empty private database file, unless one is already there (vetted by files.check_database)."""
    if not check_database(path):
        try:
            touch_private(path, "database file")
        except LadoError:
            if not check_database(path):  # another lado created it meanwhile: vetted like any other
                raise


def one_line(err: object) -> str:
    """A driver's message as one line (psycopg's span several)."""
    return " ".join(str(err).split())


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so that DDL
    # in migrations is transactional too (see the SQLAlchemy pysqlite notes).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute(f"PRAGMA busy_timeout = {lock_timeout_ms()}")  # a second writer waits (10 s), then a clear error
    cur.execute("PRAGMA journal_mode = WAL")  # readers never block the writer (a team on one file)
    cur.close()


def _sqlite_begin(conn: Connection) -> None:
    # A write transaction takes the write lock at once, so two writers queue (busy
    # timeout) instead of failing half way; reads stay deferred.
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("lado_write") else "BEGIN")


def file_kind(path: Path) -> str:
    """The kind of SQLite file: "new" (absent or empty), "plain" SQLite, "encrypted" (SQLCipher), or "unknown"
    (not a database at all: opened as plain, so SQLite itself says so)."""
    try:
        with open(path, "rb") as f:
            head, size = f.read(len(SQLITE_HEADER)), os.fstat(f.fileno()).st_size
    except FileNotFoundError:
        return "new"
    except OSError:
        return "unknown"  # e.g. not readable: opening it reports why
    if size == 0:
        return "new"
    if head == SQLITE_HEADER:
        return "plain"
    # SQLCipher writes whole pages (512 bytes at the least) of random-looking bytes.
    return "encrypted" if size % 512 == 0 else "unknown"


def cipher_module():
    """The SQLCipher DB-API module, or a clear error saying how to install it."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise LadoError(f"encrypted databases need SQLCipher; {ENCRYPT_HINT}") from None
    if not getattr(dbapi2, "_lado_quiet", False):
        # SQLCipher logs failed page decryptions (a wrong key) to stderr by default; our
        # error is the one line the user sees. The log level is process-wide.
        quiet = dbapi2.connect(":memory:")
        try:
            quiet.execute("PRAGMA cipher_log_level = NONE")
        finally:
            quiet.close()
        dbapi2._lado_quiet = True
    return dbapi2


def _key_pragma(name: str, key: str) -> str:
    # PRAGMA takes no bound parameters: the key is a quoted SQL string literal.
    if not key or "\x00" in key:
        raise LadoError("the key must be a non-empty text without NUL characters")
    return f"PRAGMA {name} = '{key.replace(chr(39), chr(39) * 2)}'"


def _cipher_connect(path: Path, key: str, *, check_same_thread: bool = True):
    """A DB-API connection to an encrypted file: `PRAGMA key` first, then the key is
    checked (SQLCipher derives it lazily, on the first read)."""
    dbapi2 = cipher_module()
    conn = dbapi2.connect(str(path), check_same_thread=check_same_thread)
    try:
        conn.execute(_key_pragma("key", key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except dbapi2.DatabaseError:
        conn.close()
        raise LadoError(f"wrong key for {path}: it cannot be decrypted with this key (or it is not a lado database)") from None
    except BaseException:
        conn.close()
        raise
    return conn


class Database:
    """An opened, migrated database.

    `key`: the key of an encrypted SQLite file; by default env LADO_KEY or a hidden prompt
    when the file is encrypted. Given for a new file, it creates an encrypted database.
    `upgrade=False` opens without touching the schema (`lado db check`).
    """

    def __init__(self, url: str, *, key: str | None = None, upgrade: bool = True) -> None:
        self.url = url
        self.path = sqlite_path(url)
        self.encrypted = False
        self._key: str | None = None
        if make_url(url).drivername == "sqlite+pysqlcipher":
            raise LadoError(
                "--db: give the file path, not a sqlite+pysqlcipher URL; the key comes from env LADO_KEY (a key in an argument can be seen by other users)"
            )
        refuse_memory(url)
        path = self.path
        if path is not None:
            check_database(path)  # before anything reads it: no symlink, no one else's file (issue #12)
            kind = file_kind(path)
            if kind == "encrypted" or (kind == "new" and key is not None):
                cipher_module()
                if key is None:
                    from lado_cli.wizards.key import current_key

                    key = current_key(path, check=lambda typed: _cipher_connect(path, typed).close())
                self.encrypted, self._key = True, key
            _create_private_file(path)
        try:
            if self.encrypted:
                assert path is not None and key is not None
                secret = key  # in memory only (here and self._key); never in the URL
                self.engine: Engine = sa.create_engine(
                    url,
                    module=cipher_module(),
                    creator=lambda: _cipher_connect(path, secret, check_same_thread=False),
                )
            else:
                self.engine = sa.create_engine(url)
        except (sa.exc.ArgumentError, ModuleNotFoundError) as err:
            if isinstance(err, ModuleNotFoundError) and (err.name or "").startswith("psycopg"):
                raise LadoError(f'cannot open {display_url(url)}: install the PostgreSQL driver: pip install "lado-cli[postgres]"') from None
            raise LadoError(f"cannot open {display_url(url)}: {one_line(err)}") from None
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            sa.event.listen(self.engine, "begin", _sqlite_begin)
        elif self.engine.dialect.name == "postgresql":
            sa.event.listen(self.engine, "connect", pg_timeouts)
        self.created = False  # True when this opening made the schema of an empty database (first run)
        if upgrade:
            try:
                self.created = migrate(self.engine) is None
            except BaseException:
                self.engine.dispose()  # no pooled (server) connection left open
                raise

    def raw_connection(self):
        """A new DB-API connection to the SQLite file (keyed when encrypted), outside the pool."""
        assert self.path is not None
        if self.encrypted:
            assert self._key is not None
            return _cipher_connect(self.path, self._key)
        import sqlite3

        return sqlite3.connect(self.path)

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """A connection in a transaction: committed on success, rolled back on any error."""
        try:
            with self.engine.connect() as conn:
                conn.execution_options(lado_write=True)
                with conn.begin():
                    yield conn
        except sa.exc.OperationalError as err:
            if getattr(err.orig, "sqlstate", None) == "55P03":  # lock_timeout: name who holds the lock
                who = lock_holders(self.engine)
                by = f"a change by {who}, not yet finished" if who else "another user's change"
                raise LadoError(f"busy: the database is locked by {by}; nothing was saved: try again in a moment") from None
            raise
        saved.committed()  # from here on no message may say "nothing was saved" (lado_cli/saved.py)

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
    are rebuilt (ALTER TABLE there copies a table) and checked before commit.

    One migrator at a time: on SQLite BEGIN IMMEDIATE makes the others wait; on PostgreSQL a
    transaction-scoped advisory lock does. Whoever waited then finds the schema current (the
    migration reads the revision after the lock) and changes nothing."""
    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        if sqlite:  # must be set outside a transaction, so on the driver connection
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.execution_options(lado_write=True).begin():
                if engine.dialect.name == "postgresql":
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                yield conn
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise LadoError("the database upgrade would break links between records; nothing was changed")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")


def migrate(engine: Engine) -> str | None:
    """Bring the schema to HEAD_REVISION, all in one transaction. Returns the revision found
    before (None: the database was empty, and has just been made)."""
    try:
        with engine.connect() as conn:
            before = current_revision(conn)
            if before == HEAD_REVISION:
                return before
    except sa.exc.DatabaseError as err:
        raise LadoError(f"cannot read the database {display_url(str(engine.url))}: {one_line(err.orig)}") from None
    from alembic import command
    from alembic.util import CommandError

    with migration_transaction(engine) as conn:
        before = current_revision(conn)  # read again under the lock: whoever waited finds it made
        try:
            command.upgrade(alembic_config(conn), "head")
        except CommandError as err:
            # e.g. a database written by a newer lado than this one
            raise LadoError(f"cannot upgrade the database {display_url(str(engine.url))}: {one_line(err)}") from None
    return before


def alembic_config(conn: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("lado_cli.store") / "migrations"))
    cfg.attributes["connection"] = conn
    return cfg


def session_user(db: Database) -> str:
    """The role a PostgreSQL session authenticated as (`session_user`: unchanged by SET ROLE),
    the actor lado records on the team backend (R34)."""
    if not hasattr(db, "_session_user"):
        with db.read() as conn:
            db._session_user = conn.exec_driver_sql("SELECT session_user").scalar_one()
    return db._session_user
