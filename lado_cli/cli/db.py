"""`lado db path` and `lado db backup FILE`."""

from __future__ import annotations

from pathlib import Path

import typer

from lado_cli.cli.context import app_context

app = typer.Typer(help="Where the database is, and backing it up.", no_args_is_help=True)


@app.command("path")
def path(ctx: typer.Context) -> None:
    """Print the database in use: a file path, or a URL with any password hidden."""
    from lado_cli.store.db import display_url

    typer.echo(display_url(app_context(ctx).url))


@app.command("backup")
def backup(
    ctx: typer.Context,
    dest: Path = typer.Argument(..., metavar="FILE", help="New file to write (never overwritten); created readable by you only."),
) -> None:
    """Copy the database, consistently even while in use, to a new private file."""
    from lado_cli.store.db import backup as do_backup

    do_backup(app_context(ctx).db, dest.expanduser())
    typer.echo(f"Backed up to {dest}")
