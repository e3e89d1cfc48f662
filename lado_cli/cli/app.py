"""The `lado` command. Only typer is imported here: each command imports what it needs
when it runs, so `lado --help` stays fast (no sqlmodel, questionary or alembic)."""

from __future__ import annotations

import os
import sys

import typer
from typer.core import TyperGroup

from lado_cli import __version__
from lado_cli.errors import LadoError


class LadoGroup(TyperGroup):
    """Maps errors to exit codes: LadoError -> one line and 1 (2 for usage), Ctrl-C -> 130.

    Nothing else escapes as a traceback: case data could be in it. LADO_DEBUG=1 shows it.
    """

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except LadoError as err:
            from lado_cli.cli.views import visible  # values quoted from input: never obeyed by the terminal

            typer.echo(f"Error: {visible(str(err))}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            typer.echo("Cancelled; nothing was saved.", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            ctx.exit(1)
        except (typer.Exit, typer.TyperException, typer.Abort):
            raise
        except Exception as err:  # noqa: BLE001 - the last line of defence
            if os.environ.get("LADO_DEBUG"):
                raise
            if type(err).__name__ == "OperationalError" and "locked" in str(err):  # SQLite busy timeout ran out
                typer.echo("Error: the database is busy (someone else is saving); nothing was saved: try again in a moment", err=True)
                ctx.exit(1)
            typer.echo(f"Error: unexpected {type(err).__name__}; nothing was saved. Run again with LADO_DEBUG=1 to see the details.", err=True)
            ctx.exit(1)


app = typer.Typer(
    name="lado",
    cls=LadoGroup,
    help="Record allegations against adults who work with children, and track every time limit of the LADO procedure in working days.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lado {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: str = typer.Option(None, "--db", envvar="LADO_DB", metavar="PATH|URL", show_envvar=True,
                           help="Database file or SQLAlchemy URL. Default: lado.db in your user data directory (`lado db path`)."),
    profile: str = typer.Option(None, "--profile", envvar="LADO_PROFILE", metavar="FILE", show_envvar=True,
                                help="Procedure profile (TOML) of your authority, merged over the built-in one (`lado profile show`)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version and exit."),
) -> None:
    from lado_cli.cli.context import AppContext

    ctx.obj = AppContext(db_option=db, profile_option=profile)
    ctx.call_on_close(ctx.obj.close)  # a server connection is closed cleanly when the command ends


def _register() -> None:
    from lado_cli.cli import cases, db, due, escalate, profile, refer, stats, transfer, workflow
    from lado_cli.cli import audit, retention
    from lado_cli.cli import match

    app.command("refer")(refer.refer)
    app.command("discuss")(workflow.discuss)
    app.command("meeting")(workflow.meeting)
    app.command("police")(workflow.police)
    app.command("done")(workflow.done)
    app.command("outcome")(workflow.outcome)
    app.command("close")(workflow.close)
    app.command("note")(workflow.note)
    app.command("import")(transfer.import_)
    app.command("export")(transfer.export)
    app.command("show")(cases.show)
    app.command("list")(cases.list_cases)
    app.command("due")(due.due)
    app.command("escalate")(escalate.escalate)
    app.command("stats")(stats.stats)
    app.command("audit")(audit.audit)
    app.command("retention")(retention.retention)
    app.command("match")(match.match)
    app.command("person")(match.person)
    app.add_typer(match.index_app, name="index")
    app.add_typer(db.app, name="db")
    app.add_typer(profile.app, name="profile")


_register()


def main() -> None:
    app(prog_name="lado")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
