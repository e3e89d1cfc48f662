"""What every command shares: the database, the profile, now, the actor, prompting."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING

import typer

from lado_cli.errors import LadoError

if TYPE_CHECKING:
    from lado_cli.domain.profile import Profile
    from lado_cli.domain.role import Installation
    from lado_cli.store.db import Database


@dataclass
class AppContext:
    db_option: str | None = None
    profile_option: str | None = None
    _db: Database | None = field(default=None, repr=False)

    @cached_property
    def profile(self) -> Profile:
        """--profile / env LADO_PROFILE, else the profile saved with the database (`lado init
        --profile FILE`), else the built-in one."""
        from lado_cli.profiles import read_profile

        if self.profile_option:
            return read_profile(self.profile_option)
        saved = self._saved_profile()
        if saved is not None:
            from lado_cli.profiles import SAVED_SOURCE, default_raw
            from lado_cli.domain.profile import parse_profile

            try:
                return parse_profile(saved, SAVED_SOURCE, base=default_raw())
            except LadoError as err:  # e.g. a rule a newer lado checks: say how to put it right
                raise LadoError(f"{err} (replace it: lado init --profile FILE)") from None
        return read_profile(None)

    def _saved_profile(self) -> str | None:
        """The profile TOML saved with the database, if any. A SQLite file that does not exist
        yet holds none, and is not created just to find that out."""
        if self._db is None:
            from lado_cli.store.db import file_kind, sqlite_path

            path = sqlite_path(self.url)
            if path is not None and file_kind(path) == "new":
                return None
        from lado_cli.store import settings

        with self.db.read() as conn:
            return settings.get(conn, settings.PROFILE)

    @cached_property
    def installation(self) -> Installation:
        """Who this installation serves (`lado init --role`): a LADO service (the default) or a
        referrer's organisation. The one place every command reads it from (issue #11)."""
        from lado_cli.domain.role import Installation

        if self._db is None:
            from lado_cli.store.db import file_kind, sqlite_path

            path = sqlite_path(self.url)
            if path is not None and file_kind(path) == "new":
                return Installation()
        from lado_cli.store import settings

        with self.db.read() as conn:
            found = settings.all_settings(conn, (settings.ROLE, settings.ORG, settings.AUTHORITY))
        return Installation(role=found.get(settings.ROLE) or Installation.role, org=found.get(settings.ORG),
                            authority=found.get(settings.AUTHORITY))  # fmt: skip

    def lado_only(self, what: str) -> None:
        """Refuse `what` (e.g. "lado meeting") on a referrer's database: it is a LADO's work."""
        self.installation.refuse(what)

    @property
    def url(self) -> str:
        from lado_cli.store.db import resolve_url

        return resolve_url(self.db_option)

    @property
    def db(self) -> Database:
        """The database, opened (and migrated) on first use."""
        if self._db is None:
            from lado_cli.store.db import Database

            self._db = Database(self.url)
            if self._db.created:
                first_run_notice(self)
        return self._db

    def close(self) -> None:
        """Close the database's connections (a PostgreSQL server's too), if it was opened."""
        if self._db is not None:
            self._db.dispose()
            self._db = None

    def now(self) -> datetime:
        """Now, or env LADO_NOW (for tests and scripts), as an aware UTC instant."""
        fixed = os.environ.get("LADO_NOW")
        if not fixed:
            return datetime.now(timezone.utc)
        from lado_cli.domain.dates import parse_instant
        from lado_cli.errors import FieldError

        try:
            return parse_instant(fixed, "LADO_NOW", self.profile.calendar().tz)
        except FieldError as err:
            raise LadoError(f"env LADO_NOW: '{fixed}' {err.problem}; expected {err.expected}") from None

    def actor(self) -> str:
        """Who is making the change (R34), as recorded.

        PostgreSQL (the team backend): the role the session logged in as, authenticated by
        the server; env LADO_USER, when set, must name that same role, or the command is
        refused. SQLite (one person's file): the OS login the process runs as; a LADO_USER
        that differs is recorded beside it, never instead: "alice (as Head of Service)"."""
        named = (os.environ.get("LADO_USER") or "").strip()
        if self.db.engine.dialect.name == "postgresql":
            from lado_cli.store.db import session_user

            role = session_user(self.db)
            if named and named != role:
                raise LadoError(f"env LADO_USER '{named}' is not the PostgreSQL role you logged in as ('{role}'); "
                                "the actor is the login role: unset LADO_USER, or log in as that role; nothing was saved")  # fmt: skip
            return role
        login = os_user()
        return login if not named or named == login else f"{login} (as {named})"


def os_user() -> str:
    """The OS account this process runs as (from the OS, not from environment variables)."""
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError, OSError):  # no pwd module (Windows), or no passwd entry
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"


def app_context(ctx: typer.Context) -> AppContext:
    obj = ctx.find_root().obj
    return obj if isinstance(obj, AppContext) else AppContext()


def no_input_env() -> bool:
    return os.environ.get("LADO_NO_INPUT", "").strip().lower() not in ("", "0", "false", "no")


def can_prompt(no_input: bool) -> bool:
    """Prompt only when a person is at a terminal and has not said --no-input."""
    if no_input or no_input_env():
        return False
    return sys.stdin.isatty() and sys.stdout.isatty()


def first_run_notice(context: AppContext) -> None:
    """Said once, on stderr, by the command that made a new database: which procedure profile
    is in force (the built-in one is one county's) and how to set yours."""
    from lado_cli.profiles import DEFAULT_SOURCE

    profile = context.profile
    if profile.source == DEFAULT_SOURCE:
        text = (f"New database. The procedure profile in force is the built-in one, {profile.name}'s "
                "(its contacts, time limits and lists). Set your authority's with: lado init --profile FILE")  # fmt: skip
    else:
        text = (f"New database. The procedure profile in force is {profile.name}'s, from {profile.source}. "
                "To keep it with the database for every later command: lado init --profile FILE")  # fmt: skip
    typer.echo(wrapped(text), err=True)


def wrapped(text: str) -> str:
    """`text` wrapped to the terminal's width (env COLUMNS; at least 60, at most 100 columns)."""
    import shutil
    import textwrap

    width = min(max(shutil.get_terminal_size((80, 24)).columns, 60), 100)
    return textwrap.fill(text, width=width, break_on_hyphens=False, break_long_words=False)

