"""Waiting for other users, and database errors a user can act on (issue #12, item 7).

A change waits for another user's unfinished change at most `lock_timeout_ms()` (env
LADO_LOCK_TIMEOUT seconds, default 10): SQLite's busy_timeout, PostgreSQL's lock_timeout.
On PostgreSQL no statement runs longer than STATEMENT_TIMEOUT_MS. `explain` turns the
database errors a user can do something about into one line.
"""

from __future__ import annotations

import os

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from lado_cli.errors import LadoError


def lock_timeout_ms() -> int:
    """How long a change waits for another user's change to finish: env LADO_LOCK_TIMEOUT
    seconds (default 10), on SQLite (busy_timeout) and PostgreSQL (lock_timeout) alike."""
    text = os.environ.get("LADO_LOCK_TIMEOUT", "").strip()
    if not text:
        return 10_000
    try:
        seconds = float(text)
        if not 0 < seconds <= 3600:
            raise ValueError
    except ValueError:
        raise LadoError(f"env LADO_LOCK_TIMEOUT: '{text}' is not usable; expected seconds, more than 0 and at most 3600") from None
    return max(1, round(seconds * 1000))


STATEMENT_TIMEOUT_MS = 300_000  # PostgreSQL: no single statement runs longer than 5 minutes


def pg_timeouts(dbapi_conn, _record) -> None:
    # Per connection, so a lock held by another officer's unfinished change makes this one
    # fail with a clear line after the wait instead of hanging (issue #12).
    cur = dbapi_conn.cursor()
    cur.execute(f"SET lock_timeout = {lock_timeout_ms()}")
    cur.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
    cur.close()
    dbapi_conn.commit()


def lock_holders(engine: Engine) -> str:
    """Who holds locks in this database with a transaction open (pg_locks, pg_stat_activity)."""
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT DISTINCT a.usename, a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.granted AND l.pid <> pg_backend_pid() AND a.datname = current_database() "
                "AND a.xact_start IS NOT NULL AND l.mode <> 'AccessShareLock' ORDER BY a.xact_start"
            ).all()
    except sa.exc.SQLAlchemyError:
        return ""
    return ", ".join(f"{user} (since {start:%H:%M:%S %Z})" for user, start in rows[:3])


def explain(err: BaseException) -> str | None:
    """A database error the user can act on, as one line; None for anything else."""
    if not isinstance(err, sa.exc.DBAPIError):
        return None
    orig = err.orig
    code = getattr(orig, "sqlstate", None)
    text = str(orig).lower()
    if code == "55P03" or "database is locked" in text or "database table is locked" in text:
        return "busy: the database is locked by another user's change; nothing was saved: try again in a moment"
    if code == "57014":
        return f"the database did not answer within {STATEMENT_TIMEOUT_MS // 1000} s (statement_timeout); nothing was saved: try again, or ask its administrator"
    if "readonly database" in text or code == "25006":
        return "the database is read-only for you; nothing was saved: ask for write access (the file needs chmod 600 and to be yours)"
    if "database or disk is full" in text or code == "53100":
        return "the disk holding the database is full; nothing was saved: free some space and try again"
    if "disk i/o error" in text:
        return "the database file could not be read or written (disk I/O error); nothing was saved: check the disk"
    if "unable to open database file" in text:
        return "the database file cannot be opened (its folder may be missing or not writable by you); nothing was saved"
    return None
