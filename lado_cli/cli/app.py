"""The `lado` command. Only typer is imported here: each command imports what it needs
when it runs, so `lado --help` stays fast (no sqlmodel, questionary or alembic)."""

from __future__ import annotations

import errno
import os
import sys

import typer
from typer.core import TyperCommand, TyperGroup

from lado_cli import __version__
from lado_cli.errors import LadoError


OUTPUT_ERRNOS = (errno.EPIPE, errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))


def _quiet_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush cannot fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _flush_stdout() -> None:
    """Flush now, inside the error handling: a full disk or a closed pipe is found here, not at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()


class LadoGroup(TyperGroup):
    """Maps errors to exit codes: LadoError -> one line and 1 (2 for usage), Ctrl-C -> 130.

    Nothing else escapes as a traceback: case data could be in it. LADO_DEBUG=1 shows it.
    Every message is honest about what was committed (lado_cli/saved.py): once a change is
    saved no message says "nothing was saved", and output that could not be written (a full
    disk, a closed pipe) is a non-zero exit even after a read (issue #12).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        readable_metavars(self)

    def get_help_option(self, ctx):
        option = super().get_help_option(ctx)
        if option is not None:
            option.metavar = ""  # not <bool>
        return option

    def invoke(self, ctx: typer.Context):
        from lado_cli import files, saved

        saved.reset()
        try:
            try:
                result = super().invoke(ctx)
            except typer.Exit as done:
                if done.exit_code:
                    files.abort_output()
                    raise
                files.finish_output()
                raise
            except BaseException as err:
                not_written = files.abort_output()  # `--output FILE`: never half-written
                if not_written is not None and isinstance(err, OSError) and err.errno in OUTPUT_ERRNOS:
                    raise LadoError(f"--output: cannot write {not_written} ({err.strerror}); it was not written") from None
                raise
            files.finish_output()
            _flush_stdout()
            return result
        except typer.BadParameter as err:  # one line naming the option and what it accepts, no library wording
            name = err.param.opts[0] if err.param is not None and err.param.opts else (err.param_hint or "a value")
            typer.echo(f"Error: {name}: {_plain_words(err.format_message())}", err=True)
            ctx.exit(2)
        except LadoError as err:
            from lado_cli.cli.views import visible  # values quoted from input: never obeyed by the terminal

            done = saved.phrase()
            msg = str(err) if done is None else f"{done}, but then: {err}"
            typer.echo(f"Error: {visible(msg)}", err=True)
            ctx.exit(err.exit_code)
        except KeyboardInterrupt:
            done = saved.phrase()
            typer.echo("Cancelled; nothing was saved." if done is None else f"Cancelled, but {done[0].lower()}{done[1:]} first; do not enter it again.", err=True)
            ctx.exit(130)
        except (typer.Exit, typer.TyperException, typer.Abort):
            raise
        except SystemExit as exc:  # rich's answer to a closed pipe: stdout already points at /dev/null
            done = saved.phrase()
            if done is not None and exc.code not in (0, None):
                typer.echo(f"Error: {done}, but its confirmation could not be written (Broken pipe); do not repeat it (see lado show or lado list).", err=True)
            raise
        except OSError as err:
            if err.errno not in OUTPUT_ERRNOS:
                self._unexpected(ctx, err)
            _quiet_stdout()
            done = saved.phrase()
            if done is not None:
                typer.echo(f"Error: {done}, but its confirmation could not be written ({err.strerror}); do not repeat it (see lado show or lado list).", err=True)
            elif err.errno != errno.EPIPE:  # output piped into e.g. `head`, which stopped reading: no message
                typer.echo(f"Error: the output could not be written ({err.strerror}); it is incomplete.", err=True)
            ctx.exit(1)
        except Exception as err:  # noqa: BLE001 - the last line of defence
            self._unexpected(ctx, err)

    @staticmethod
    def _unexpected(ctx: typer.Context, err: Exception):
        from lado_cli import saved

        if os.environ.get("LADO_DEBUG"):
            raise err
        done = saved.phrase()
        explained = None
        if getattr(getattr(err, "orig", None), "sqlstate", None) == "42501":  # PostgreSQL: the role lacks the privilege (R34)
            reason = " ".join(str(err.orig).split())
            explained = f"your database role may not do this ({reason}); nothing was saved. Roles: lado db grant"
        elif "sqlalchemy" in sys.modules:  # a database error the user can act on, as one line
            from lado_cli.store.waits import explain

            explained = explain(err)
        if explained is None:
            explained = f"unexpected {type(err).__name__}; nothing was saved. Run again with LADO_DEBUG=1 to see the details"
        if done is not None:
            explained = f"{done}, but then: {explained.replace('; nothing was saved', '')}"
        typer.echo(f"Error: {explained}", err=True)
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


def _plain_words(message: str) -> str:
    """A parameter error without the wording of the libraries underneath (click, pydantic)."""
    import re

    message = message.split(": ", 1)[-1].replace("Value error, ", "")
    message = re.sub(r"Input should be greater than or equal to (\S+)", r"expected \1 or more", message)
    message = re.sub(r"Input should be less than or equal to (\S+)", r"expected \1 or less", message)
    return re.sub(r"Input should be a valid (\w+).*", r"expected a whole number" if "integer" in message else r"expected a \1", message)


# Plain names for what an option takes, where no metavar was given (never <str>, <bool>...).
_METAVARS = {"str": "TEXT", "int": "N", "list[str]": "TEXT", "float": "NUMBER", "datetime": "DATETIME", "Path": "FILE"}


class LadoCommand(TyperCommand):
    """A command whose --help is plain text wrapped to the terminal (no boxed table with
    five narrow columns), and whose options all have readable metavars."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.rich_markup_mode = None
        readable_metavars(self)

    def format_options(self, ctx, formatter) -> None:
        """Options under their help panel's heading (e.g. `lado refer`'s intake facts), the rest under "Options"."""
        groups: dict[str | None, list[tuple[str, str]]] = {}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                groups.setdefault(getattr(param, "rich_help_panel", None), []).append(record)
        for panel, records in groups.items():
            with formatter.section(panel or "Options"):
                formatter.write_dl(records)


def readable_metavars(command) -> None:
    for param in command.params:
        if param.param_type_name == "argument":
            param.display_type_rich = lambda ctx=None: None  # its name (REF, FILE) says it: not "REF <str>"
            continue
        if getattr(param, "is_flag", False):
            param.metavar = ""  # a flag takes no value
            continue
        if param.metavar is None:
            shown = (param.display_type(None) or "").strip("<>")
            param.metavar = _METAVARS.get(shown, shown.upper() if "|" not in shown else f"[{shown}]")
        param._get_number_range_help_str = lambda: None  # the help says the range in words


# `lado --help` groups the commands by what they are for.
PANELS = {
    "Intake": ("refer", "told-lado", "send"),
    "Case work": ("discuss", "meeting", "police", "done", "outcome", "close", "note", "amend", "escalate"),
    "After the discussion": ("suspension", "consent", "risk-assessment", "contact", "told", "minutes", "complaint", "compromise"),
    "Reports": ("show", "list", "due", "stats", "match", "person"),
    "Records": ("import", "export", "audit", "retention", "restrict", "index"),
    "Set-up": ("init", "db", "profile", "rules", "keys"),
}


def _panels() -> None:
    panel_of = {name: panel for panel, names in PANELS.items() for name in names}
    order = list(PANELS)
    app.registered_commands.sort(key=lambda info: order.index(panel_of.get(info.name, "Set-up")))
    for info in app.registered_commands:
        info.rich_help_panel = panel_of.get(info.name)
        if info.cls in (None, TyperCommand):
            info.cls = LadoCommand
    for group in app.registered_groups:
        group.rich_help_panel = panel_of.get(group.name)
        group.cls = LadoGroup
        for info in group.typer_instance.registered_commands:
            if info.cls in (None, TyperCommand):
                info.cls = LadoCommand


def _register() -> None:
    from lado_cli.cli import cases, db, due, escalate, profile, refer, stats, transfer, workflow
    from lado_cli.cli import access, amend, audit, match, retention, rules, setup

    app.command("refer")(refer.refer)
    from lado_cli.cli import referrer

    app.command("told-lado")(referrer.told_lado)
    app.command("discuss")(workflow.discuss)
    app.command("meeting")(workflow.meeting)
    app.command("police")(workflow.police)
    app.command("done")(workflow.done)
    app.command("outcome")(workflow.outcome)
    app.command("close")(workflow.close)
    app.command("note")(workflow.note)
    app.command("amend")(amend.amend)
    app.command("import")(transfer.import_)
    app.command("export")(transfer.export)
    app.command("show")(cases.show)
    app.command("list")(cases.list_cases)
    app.command("due")(due.due)
    app.command("escalate")(escalate.escalate)
    from lado_cli.cli import casework  # R45-R50

    for name, command in (("suspension", casework.suspension), ("consent", casework.consent), ("risk-assessment", casework.risk_assessment),
                          ("contact", casework.contact), ("told", casework.told), ("minutes", casework.minutes),
                          ("complaint", casework.complaint), ("compromise", casework.compromise)):  # fmt: skip
        app.command(name)(command)
    app.command("stats")(stats.stats)
    app.command("audit")(audit.audit)
    app.command("retention")(retention.retention)
    app.command("init")(setup.init)
    app.command("rules")(rules.rules)
    app.command("restrict")(access.restrict)
    db.app.command("grant")(access.grant)
    app.command("match")(match.match)
    app.command("person")(match.person)
    from lado_cli.cli import keys, send

    app.command("send")(send.send)
    app.add_typer(keys.app, name="keys")
    app.add_typer(match.index_app, name="index")
    app.add_typer(db.app, name="db")
    app.add_typer(profile.app, name="profile")


_register()
_panels()


def main() -> None:
    app(prog_name="lado")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
