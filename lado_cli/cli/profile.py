"""`lado profile show`: the procedure profile in force."""

from __future__ import annotations

import typer

from lado_cli.cli.context import app_context
from lado_cli.cli.render import Format, format_option

app = typer.Typer(help="The procedure profile: your authority's contacts, time limits and lists.", no_args_is_help=True)


@app.command("show")
def show(ctx: typer.Context, fmt: Format = format_option(" CSV gives section,key,value rows.")) -> None:
    """Print the profile in force (built-in, or --profile / env LADO_PROFILE merged over it)."""
    from lado_cli.cli.render import emit
    from lado_cli.cli.views import profile_rows, profile_view

    from lado_cli.profiles import DEFAULT_SOURCE

    profile = app_context(ctx).profile
    data = profile.to_dict()
    emit(fmt, data, tz=profile.calendar().tz, columns=["section", "key", "value"], rows=lambda: profile_rows(data),
         table=lambda: profile_view(profile))  # fmt: skip
    if fmt is Format.table:  # issue #11: who this installation serves
        from lado_cli.cli.referrer import role_line

        typer.echo(role_line(app_context(ctx)) or "Role: not known (the database was not opened)")
    if fmt is Format.table and profile.source == DEFAULT_SOURCE:  # said plainly: its contacts are one county's
        from lado_cli.cli.context import wrapped

        typer.echo(wrapped(f"This is the built-in profile: {profile.name}'s contacts and rules, which may not be yours. "
                           "Set your authority's with: lado init --profile FILE"))  # fmt: skip
