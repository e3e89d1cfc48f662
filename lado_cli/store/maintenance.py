"""The `lado db` operations on a whole database: backup, create, rekey, encrypt and check
(integrity, schema, complete cases and the tamper-evident chains). Opening a database and its
migrations are in `lado_cli.store.db`."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

from lado_cli import saved
from lado_cli.errors import LadoError
from lado_cli.files import create_private, sidecars, touch_private
from lado_cli.store.db import (
    HEAD_REVISION, Database, _cipher_connect, _key_pragma, cipher_module, current_revision, display_url, one_line,
    refuse_memory, sqlite_path,
)  # fmt: skip


def backup(db: Database, dest: Path) -> None:
    """Copy an SQLite database, consistently, to a new private file. An encrypted database
    is backed up encrypted, with the same key."""
    if db.path is None:
        raise LadoError(f"lado db backup copies SQLite files only; back up {display_url(db.url)} with the server's own tools (pg_dump)")
    if dest.exists() or dest.is_symlink():
        raise LadoError(f"{dest} already exists; choose a new file name (backups never overwrite)")
    touch_private(dest, "backup file")  # exclusive, no symlink followed, 0600
    if db.encrypted:
        assert db._key is not None
        dbapi2 = cipher_module()
        try:
            src = db.raw_connection()
            try:
                src.isolation_level = None
                src.execute("PRAGMA busy_timeout = 10000")
                src.execute("ATTACH DATABASE ? AS lado_backup KEY ?", (str(dest), db._key))
                src.execute("BEGIN")  # one read transaction: a consistent copy
                src.execute("SELECT sqlcipher_export('lado_backup')").fetchall()
                src.execute("COMMIT")
                src.execute("DETACH DATABASE lado_backup")
            finally:
                src.close()
        except dbapi2.Error as err:
            dest.unlink(missing_ok=True)
            raise LadoError(f"backup to {dest} failed: {one_line(err)}") from None
        return
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
        raise LadoError(f"backup to {dest} failed: {one_line(err)}") from None


_sidecars = sidecars


def create(url: str, key: str | None) -> Database:
    """Create a new database (`lado db init`): a new private SQLite file, encrypted when a
    key is given, migrated to HEAD_REVISION. Never touches an existing file."""
    path = sqlite_path(url)
    if path is None:
        if key is not None:
            raise LadoError(f"--encrypt is for SQLite files; protect {display_url(url)} with the server's own encryption")
        return Database(url)  # a server database: created by its administrator, migrated here
    refuse_memory(url)
    for p in (path, *_sidecars(path)):
        if p.exists() or p.is_symlink():
            raise LadoError(f"{p} already exists; lado db init never overwrites a database")
    if key is not None:
        cipher_module()
    os.close(create_private(path, "database file"))
    try:
        return Database(url, key=key)
    except BaseException:
        for p in (path, *_sidecars(path)):
            p.unlink(missing_ok=True)
        raise


def rekey(db: Database, new_key: str, record=None) -> None:
    """Change the key of an encrypted database in place (SQLCipher re-encrypts every page in
    one transaction), then drop the write-ahead log written with the old key. `record(conn)`
    writes the audit entry in that same transaction: PRAGMA rekey commits it, so the key
    change and its entry are saved together or not at all (issue 12, item 6)."""
    if not db.encrypted:
        raise LadoError(f"{db.path} is not encrypted; encrypt it with lado db encrypt")
    dbapi2 = cipher_module()
    db.dispose()  # no pooled connection keeps the old key
    conn = db.raw_connection()
    try:
        conn.isolation_level = None
        conn.execute("PRAGMA busy_timeout = 10000")
        if record is not None:
            conn.execute("BEGIN IMMEDIATE")
            try:
                record(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        conn.execute(_key_pragma("rekey", new_key))
        if conn.in_transaction:
            conn.execute("COMMIT")
        saved.committed()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except dbapi2.Error as err:
        raise LadoError(f"cannot change the key of {db.path}: {one_line(err)}; the old key still works") from None
    finally:
        conn.close()


def encrypt(db: Database, key: str) -> None:
    """Encrypt a plain SQLite database: copy it with sqlcipher_export into a new private file
    beside it, then replace the plain file by it atomically. The plain file is locked while
    it is copied and until it is replaced, so no write is lost."""
    if db.path is None:
        raise LadoError(f"lado db encrypt is for SQLite files; protect {display_url(db.url)} with the server's own encryption")
    if db.encrypted:
        raise LadoError(f"{db.path} is already encrypted; change its key with lado db rekey")
    dbapi2 = cipher_module()
    import tempfile

    path = db.path
    db.dispose()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".encrypting", dir=path.parent)  # mode 0600
    os.close(fd)
    tmp = Path(tmp_name)
    replaced = False
    try:
        src = dbapi2.connect(str(path), isolation_level=None)
        try:
            src.execute("PRAGMA busy_timeout = 10000")
            # Leave WAL mode first: a -wal file left beside the new file would be read as its own.
            if src.execute("PRAGMA journal_mode = DELETE").fetchone()[0].lower() != "delete" or (_sidecars(path)[0]).exists():
                raise LadoError(f"{path} is in use; close every other lado command on it and try again; nothing was changed")
            src.execute("PRAGMA main.locking_mode = EXCLUSIVE")  # kept until closed, past COMMIT
            src.execute("ATTACH DATABASE ? AS lado_encrypted KEY ?", (str(tmp), key))
            src.execute("BEGIN IMMEDIATE")
            src.execute("SELECT sqlcipher_export('lado_encrypted')").fetchall()
            src.execute("COMMIT")
            src.execute("DETACH DATABASE lado_encrypted")
            _cipher_connect(tmp, key).close()  # it opens with the key
            os.replace(tmp, path)
            replaced = True
            saved.committed()
        finally:
            src.close()
    except dbapi2.Error as err:
        raise LadoError(f"cannot encrypt {path}: {one_line(err)}; nothing was changed") from None
    finally:
        if not replaced:
            tmp.unlink(missing_ok=True)
            for p in _sidecars(tmp):
                p.unlink(missing_ok=True)


def check(db: Database) -> tuple[list[str], list[str]]:
    """`lado db check`: (what is fine, the problems found). SQLite: PRAGMA integrity_check
    and foreign_key_check (and, encrypted, cipher_integrity_check: every page's HMAC). Every
    backend: the schema is at HEAD_REVISION and every case has its adult, employer and
    referrer rows."""
    ok: list[str] = []
    problems: list[str] = []
    limit = 20

    def listed(what: str, rows: list[str]) -> None:
        problems.extend(f"{what}: {row}" for row in rows[:limit])
        if len(rows) > limit:
            problems.append(f"{what}: ... and {len(rows) - limit} more")

    def step(name: str, run) -> bool:
        try:
            run()
            return True
        except sa.exc.DBAPIError as err:
            problems.append(f"{name}: {one_line(err.orig)}")
        except sa.exc.SQLAlchemyError as err:
            problems.append(f"{name}: {one_line(err)}")
        return False

    try:
        conn = db.engine.connect()
    except sa.exc.DBAPIError as err:
        return ok, [f"cannot read the database: {one_line(err.orig)}"]
    with conn:
        if db.engine.dialect.name == "sqlite":
            if db.encrypted:

                def cipher() -> None:
                    rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA cipher_integrity_check")]
                    if rows:
                        listed("cipher_integrity_check", rows)
                    else:
                        ok.append("cipher_integrity_check: every page decrypts and is authentic")

                step("cipher_integrity_check", cipher)

            def integrity() -> None:
                rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                if rows == ["ok"]:
                    ok.append("integrity_check: ok")
                else:
                    listed("integrity_check", rows)

            def foreign_keys() -> None:
                rows = [f"{r[0]} row {r[1]} refers to a missing {r[2]}" for r in conn.exec_driver_sql("PRAGMA foreign_key_check")]
                if rows:
                    listed("foreign_key_check", rows)
                else:
                    ok.append("foreign_key_check: ok")

            step("integrity_check", integrity)
            step("foreign_key_check", foreign_keys)

        def schema() -> None:
            rev = current_revision(conn)
            if rev == HEAD_REVISION:
                ok.append(f"schema: at revision {HEAD_REVISION}")
            elif rev is None:
                problems.append("schema: no lado tables (lado db init creates them)")
            else:
                problems.append(f"schema: at revision {rev}, expected {HEAD_REVISION} (any lado command upgrades an older one)")

        def complete() -> None:
            rows = conn.execute(
                sa.text(
                    "SELECT c.id, c.ref, s.id IS NULL, e.id IS NULL, r.id IS NULL FROM cases c "
                    "LEFT JOIN subjects s ON s.case_id = c.id LEFT JOIN employers e ON e.case_id = c.id "
                    "LEFT JOIN referrers r ON r.case_id = c.id ORDER BY c.id"
                )
            ).all()
            missing = []
            for _id, ref, *gaps in rows:
                lacks = [name for name, gap in zip(("adult", "employer", "referrer"), gaps, strict=True) if gap]
                if lacks:
                    missing.append(f"{ref} has no {' or '.join(lacks)} record")
            if missing:
                listed("cases", missing)
            else:
                ok.append(f"cases: {len(rows)}, each with its adult, employer and referrer")

        def chains() -> None:
            from lado_cli.store.chain import verify_audit_log, verify_events

            # Tamper evidence (store/chain.py): the first broken entry of each chain is named.
            for name, verify in (("chronology chain", verify_events), ("audit log chain", verify_audit_log)):
                n, broken = verify(conn)
                if broken:
                    listed(name, broken)
                else:
                    ok.append(f"{name}: {n} entr{'y' if n == 1 else 'ies'}, each matching its hash and following the one before")

        if step("schema", schema) and current_revision(conn) is not None:
            step("cases", complete)
            if current_revision(conn) == HEAD_REVISION:
                step("chains", chains)
    return ok, problems
