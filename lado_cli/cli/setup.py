"""`lado init [--profile FILE]`: make the database ready and keep the authority's procedure
profile with it, so every later command (every officer's, on a team database) uses it."""

from __future__ import annotations

import typer

from lado_cli.cli.context import app_context
from lado_cli.errors import LadoError


def init(
    ctx: typer.Context,
    profile_file: str = typer.Option(
        None, "--profile", metavar="FILE",
        help="Your authority's procedure profile (TOML, laid over the built-in one): checked, then saved in the database. "
             "Later commands given no --profile (or env LADO_PROFILE) use it.",
    ),
    role: str = typer.Option(None, "--role", metavar="lado|referrer",
                             help="Who this installation serves: lado (a LADO service, the default) or referrer (a school, employer, "
                                  "club or fostering service that refers to the LADO). Fixed once the database holds a case."),
    org: str = typer.Option(None, "--org", metavar="NAME", help="Your organisation (required with --role referrer)."),
    authority: str = typer.Option(None, "--authority", metavar="NAME",
                                  help="The local authority whose LADO you refer to (referrer) or that you are (lado); default: the profile's."),
) -> None:  # fmt: skip
    """Create the database if it does not exist, and save your authority's procedure profile in it.

    Without --profile, says which profile is in force. --role referrer --org NAME sets the
    database up for a referrer (`lado init --role referrer --org "St Mary's School"`). Setting a profile again replaces the saved one; the change is recorded in the audit log (who and when)."""
    from lado_cli.profiles import DEFAULT_SOURCE, SAVED_SOURCE, read_profile
    from lado_cli.store import settings
    from lado_cli.store.db import Database, display_url

    context = app_context(ctx)
    for name, value in (("org", org), ("authority", authority)):  # checked before the database is created
        if value is not None and not value.strip():
            from lado_cli.errors import FieldError

            raise FieldError(name, value, "is blank", "a name, e.g. --org \"St Mary's School\"" if name == "org" else "a local authority's name")
    if role is not None:
        from lado_cli.domain.role import check_role

        if check_role(role) == "referrer" and org is None:  # a new database: nothing saved to fall back on
            from lado_cli.store.db import file_kind, sqlite_path

            path = sqlite_path(context.url)
            if path is not None and file_kind(path) == "new":
                from lado_cli.errors import FieldError

                raise FieldError("org", "", "is missing", "your organisation's name with --role referrer, e.g. --org \"St Mary's School\"")
    if profile_file is not None:
        profile = read_profile(profile_file)  # every problem in the file, before anything is written
        text = _read_text(profile_file)
    url = context.url
    db = Database(url)  # created when new (a private file); the notice below replaces the first-run one
    context._db = db  # closed when the command ends
    where = display_url(url)
    typer.echo(f"{'Created the database' if db.created else 'Database'}: {where}" + (" (readable by you only)." if db.created and db.path else "."))
    if role is not None or org is not None or authority is not None:
        from lado_cli.cli.referrer import save_role

        save_role(context, db, role=role, org=org, authority=authority)
        if profile_file is None:
            return
    if profile_file is not None:
        context.__dict__["profile"] = profile  # the new one (a broken saved profile must not stop its replacement)
        with db.begin() as conn:
            had = settings.get(conn, settings.PROFILE) is not None
            changed = settings.put(conn, settings.PROFILE, text, at=context.now(), actor=context.actor(),
                                   detail=f"procedure profile {'replaced' if had else 'set'}: {profile.name} (from {profile_file})")  # fmt: skip
        if not changed:
            typer.echo(f"Profile unchanged: {profile.name}'s profile from {profile_file} is already saved with the database.")
        else:
            typer.echo(f"Saved {profile.name}'s procedure profile (from {profile_file}) with the database{' in place of the previous one' if had else ''}.")
            typer.echo("Every command given no --profile (or env LADO_PROFILE) now uses it: check it with lado profile show.")
        return
    context.__dict__.pop("profile", None)  # read again, now that the database is open
    profile = context.profile
    if profile.source == DEFAULT_SOURCE:
        typer.echo(f"Procedure profile: the built-in one, {profile.name}'s (its contacts, time limits and lists).")
        typer.echo("Set your authority's with: lado init --profile FILE")
    elif profile.source == SAVED_SOURCE:
        typer.echo(f"Procedure profile: {profile.name}'s, saved with the database.")
    else:
        typer.echo(f"Procedure profile: {profile.name}'s, from {profile.source} (not saved with the database: lado init --profile FILE saves it).")


def _read_text(path: str) -> str:
    """The file's text (read_profile has already checked that it is readable UTF-8 TOML)."""
    try:
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:  # changed since it was checked
        raise LadoError(f"--profile: cannot read {path} ({err}); expected a readable TOML profile file") from None
