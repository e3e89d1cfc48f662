"""`lado db path|init|backup|check|rekey|encrypt`.

Keys of encrypted databases come from env LADO_KEY (a new key: LADO_NEW_KEY for rekey)
or a hidden prompt on a terminal; there is deliberately no option for them.
"""

from __future__ import annotations

from pathlib import Path

import typer

from lado_cli.cli.context import app_context
from lado_cli.errors import LadoError

app = typer.Typer(help="Where the database is; creating, checking, encrypting and backing it up.", no_args_is_help=True)


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database in use: a file path, or a URL with any password hidden.

    Then, on stderr, who it serves (lado init --role): a LADO service or a referrer."""
    from lado_cli.store.db import display_url

    context = app_context(ctx)
    typer.echo(display_url(context.url))
    from lado_cli.cli.referrer import role_line

    role = role_line(context)
    if role:
        typer.echo(role, err=True)


@app.command("init")
def init(
    ctx: typer.Context,
    encrypt: bool = typer.Option(
        False, "--encrypt",
        help='Encrypt the file (SQLCipher; needs pip install "lado-cli\\[encrypt]"). The key comes from env LADO_KEY, or is asked twice, hidden.',
    ),
) -> None:  # fmt: skip
    """Create a new database, readable by you only (never over an existing file)."""
    from lado_cli.store.db import HEAD_REVISION, cipher_module, display_url, sqlite_path
    from lado_cli.store.maintenance import create

    url = app_context(ctx).url
    key = None
    if encrypt:
        if sqlite_path(url) is None:
            raise LadoError(f"--encrypt is for SQLite files; protect {display_url(url)} with the server's own encryption")
        cipher_module()
        target = sqlite_path(url)
        if target is not None and target.exists():
            raise LadoError(f"{target} already exists; lado db init never overwrites a database")
        from lado_cli.wizards.key import KEY_ENV, new_key

        key = new_key(KEY_ENV, "lado db init --encrypt")
    db = create(url, key)
    context = app_context(ctx)
    context._db = db  # closed when the command ends; the profile's notice reads the new database
    if db.created:
        from lado_cli.cli.context import first_run_notice

        first_run_notice(context)
    if db.path is None:
        typer.echo(f"Database ready: {display_url(url)} (schema {HEAD_REVISION}).")
    elif db.encrypted:
        typer.echo(f"Created the encrypted database {db.path} (readable by you only).")
        typer.echo("Keep the key somewhere safe, such as your password manager: without it nobody can read these records.")
    else:
        typer.echo(f"Created the database {db.path} (readable by you only).")


@app.command("backup")
def backup(
    ctx: typer.Context,
    dest: Path = typer.Argument(..., metavar="FILE", help="New file to write (never overwritten); created readable by you only."),
) -> None:
    """Copy the database, consistently even while in use, to a new private file.

    An encrypted database is backed up encrypted, with the same key."""
    from lado_cli.store.maintenance import backup as do_backup

    db = app_context(ctx).db
    do_backup(db, dest.expanduser())
    typer.echo(f"Backed up to {dest}" + (" (encrypted with the database's key)" if db.encrypted else ""))


@app.command("check")
def check(ctx: typer.Context) -> None:
    """Check the database for damage and broken records; exit status 1 when anything is wrong.

    SQLite: PRAGMA integrity_check and foreign_key_check (and, encrypted, that every page
    decrypts and is authentic). Every backend: the schema is current and every case has its
    adult, employer and referrer. Nothing is changed, not even an older schema."""
    from lado_cli.store.db import Database, display_url, sqlite_path
    from lado_cli.store.maintenance import check as do_check

    url = app_context(ctx).url
    path_ = sqlite_path(url)
    if path_ is not None and not path_.exists():
        raise LadoError(f"there is no database at {path_} (lado db init creates one)")
    db = Database(url, upgrade=False)  # a damaged or older database is reported, not changed
    try:
        ok, problems = do_check(db)
    finally:
        db.dispose()
    for line in ok:
        typer.echo(f"ok       {line}")
    for line in problems:
        typer.echo(f"PROBLEM  {line}")
    if problems:
        n = len(problems)
        raise LadoError(f"{display_url(url)}: {n} problem{'s' if n != 1 else ''} found (listed above)")


def _audit(ctx: typer.Context, key: str, action: str, detail: str, at) -> None:
    """Record a key change in the audit log (never the key), opening the file with its new key."""
    from lado_cli.store.audit import record
    from lado_cli.store.db import Database

    context = app_context(ctx)
    db = Database(context.url, key=key)
    try:
        with db.begin() as conn:
            record(conn, at=at, actor=context.actor(), action=action, ref=None, detail=detail)
    finally:
        db.dispose()


@app.command("rekey")
def rekey(ctx: typer.Context) -> None:
    """Change the key of an encrypted database (recorded in the audit log, without the key).

    The current key comes from env LADO_KEY, the new one from env LADO_NEW_KEY; either is
    asked (hidden; the new one twice) on a terminal when not set. Backups made earlier keep
    the key they were made with."""
    from lado_cli.store.maintenance import rekey as do_rekey
    from lado_cli.wizards.key import NEW_KEY_ENV, new_key

    context = app_context(ctx)
    db = context.db
    at = context.now()  # before the key changes: the profile (for the time zone) may be saved in the database
    if not db.encrypted:
        raise LadoError(f"{db.path or 'this database'} is not encrypted; encrypt it with lado db encrypt")
    key = new_key(NEW_KEY_ENV, "lado db rekey")
    if key == db._key:
        raise LadoError("the new key is the same as the current one; nothing was changed")
    from lado_cli.store.audit import record_raw

    actor = context.actor()
    do_rekey(db, key, record=lambda conn: record_raw(conn, at=at, actor=actor, action="rekey", ref=None, detail="database key changed"))
    typer.echo(f"Changed the key of {db.path}. Use the new key from now on (set LADO_KEY to it); earlier backups keep the old key.")


@app.command("encrypt")
def encrypt(ctx: typer.Context) -> None:
    """Encrypt an existing plain SQLite database in place (recorded in the audit log).

    The key comes from env LADO_KEY, or is asked twice, hidden, on a terminal. Plain copies
    and backups made before stay plain: delete them."""
    from lado_cli.store.db import cipher_module
    from lado_cli.store.maintenance import encrypt as do_encrypt
    from lado_cli.wizards.key import KEY_ENV, new_key

    context = app_context(ctx)
    db = context.db
    at = context.now()  # before the key changes: the profile (for the time zone) may be saved in the database
    if db.path is None:
        raise LadoError("lado db encrypt is for SQLite files; protect a server database with the server's own encryption")
    if db.encrypted:
        raise LadoError(f"{db.path} is already encrypted; change its key with lado db rekey")
    cipher_module()
    key = new_key(KEY_ENV, "lado db encrypt")
    do_encrypt(db, key)
    _audit(ctx, key, "encrypt", "database encrypted with SQLCipher", at)
    typer.echo(f"Encrypted {db.path}. From now on lado needs its key (env LADO_KEY, or asked on a terminal).")
    typer.echo("Plain copies and backups made earlier are not encrypted: delete them, or make new backups.")
