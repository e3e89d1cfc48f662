"""A throwaway PostgreSQL server for the test suite.

`PgServer.start()` finds the server binaries, runs `initdb` into a new temporary directory
and `pg_ctl start` on a free loopback port (listening on 127.0.0.1 only, its unix socket in
that directory, trust authentication for the test role, durability off: it is thrown away),
and `stop()` stops it and removes the directory. PostgreSQL refuses to run as root, so as
root (CI) the server runs as the `postgres` OS user (Debian's package creates it) through
`runuser`, and owns the directory.

Each test gets its own new, empty database (`create_database`, ~15 ms), which lado migrates
on first open exactly as it does a new SQLite file (~70 ms); `drop_database` removes it, with
any connection to it still open.

Run it by hand: `python tests/pgserver.py` starts a server, prints its URL and waits for
Ctrl-C.
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROLE = "tester"  # the superuser the suite logs in as: on PostgreSQL the actor is the login role (conftest LADO_USER)
SERVER_USER = "postgres"  # the OS user that runs the server when the tests run as root


class NoServer(Exception):
    """The server cannot be run here; the message says why."""


def find_bindir() -> Path | None:
    """The directory holding initdb and pg_ctl: `pg_config --bindir`, else the newest
    /usr/lib/postgresql/*/bin (Debian), else PATH."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=30, check=True).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.SubprocessError):
            pass

    def version(path: str) -> tuple[int, ...]:
        part = Path(path).parent.name
        return tuple(int(x) for x in part.split(".") if x.isdigit()) or (0,)

    candidates += [Path(p) for p in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=version, reverse=True)]
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    for d in candidates:
        if (d / "initdb").is_file() and (d / "pg_ctl").is_file():
            return d
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    def __init__(self) -> None:
        self.bindir: Path | None = None
        self.base: Path | None = None
        self.port: int | None = None
        self.as_user: list[str] = []
        self._admin = None
        self._names = itertools.count(1)
        self.version = 0

    # -- running the server -----------------------------------------------------------------

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [*self.as_user, str(self.bindir / args[0]), *args[1:]]
        env = dict(os.environ, LC_ALL="C", LANG="C")
        for var in ("PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGPASSWORD", "PGSERVICE", "PGOPTIONS"):
            env.pop(var, None)
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, stdin=subprocess.DEVNULL, cwd=self.base)
        if done.returncode != 0:
            raise NoServer(f"{' '.join(cmd)} failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")
        return done

    def start(self) -> PgServer:
        self.bindir = find_bindir()
        if self.bindir is None:
            raise NoServer("no PostgreSQL server binaries (initdb, pg_ctl) found via pg_config --bindir, /usr/lib/postgresql/*/bin or PATH; "
                           "install them (Debian: apt-get install postgresql) to run the PostgreSQL variants")  # fmt: skip
        owner = None
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam(SERVER_USER)
            except KeyError:
                raise NoServer(f"running as root, and there is no '{SERVER_USER}' OS user to run PostgreSQL as (it refuses to run as root)") from None
            runuser = shutil.which("runuser")
            if runuser is None:
                raise NoServer("running as root, and there is no runuser to run PostgreSQL as the postgres user")
            self.as_user = [runuser, "-u", SERVER_USER, "--"]
        self.base = Path(tempfile.mkdtemp(prefix="lado-pg-"))
        try:
            if owner is not None:
                os.chown(self.base, owner.pw_uid, owner.pw_gid)
            data = self.base / "data"
            self._run("initdb", "-D", str(data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions")
            with open(data / "postgresql.conf", "a", encoding="utf-8") as conf:
                conf.write(
                    "\n# throwaway test server\n"
                    "listen_addresses = '127.0.0.1'\n"
                    f"unix_socket_directories = '{self.base}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                    "max_connections = 300\n"
                )
            for attempt in range(5):
                self.port = free_port()
                try:
                    self._run("pg_ctl", "start", "-D", str(data), "-l", str(self.base / "server.log"), "-w", "-t", "60",
                              "-o", f"-p {self.port}")  # fmt: skip
                    break
                except NoServer:
                    log = (self.base / "server.log").read_text(errors="replace") if (self.base / "server.log").exists() else ""
                    if attempt == 4 or "already in use" not in log:
                        raise NoServer(f"pg_ctl start failed; server log:\n{log[-2000:]}") from None
            self.version = self.admin.info.server_version
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        if self.base is None:
            return
        data = self.base / "data"
        if (data / "postmaster.pid").exists():
            try:
                self._run("pg_ctl", "stop", "-D", str(data), "-m", "immediate", "-w", "-t", "60")
            except (NoServer, subprocess.SubprocessError):
                pass
        shutil.rmtree(self.base, ignore_errors=True)
        self.base = None

    # -- databases ---------------------------------------------------------------------------

    def url(self, dbname: str, driver: str = "postgresql+psycopg") -> str:
        return f"{driver}://{ROLE}@127.0.0.1:{self.port}/{dbname}"

    def connect(self, dbname: str = "postgres"):
        """A psycopg connection (autocommit) to one of the server's databases."""
        import psycopg

        return psycopg.connect(host="127.0.0.1", port=self.port, user=ROLE, dbname=dbname, autocommit=True, connect_timeout=30)

    @property
    def admin(self):
        if self._admin is None or self._admin.closed:
            self._admin = self.connect()
        return self._admin

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        name = f"t_{next(self._names)}"
        strategy = " STRATEGY FILE_COPY" if self.version >= 150000 else ""  # no WAL copy of the template
        self.admin.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'{strategy}")
        return self.url(name)

    def connections_to(self, url: str, wait: float = 2.0) -> int:
        """How many sessions are connected to a database, after waiting up to `wait` seconds
        for closing ones to go (a server process ends just after its client closes)."""
        name = url.rsplit("/", 1)[1]
        deadline = time.monotonic() + wait
        while True:
            n = self.admin.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", (name,)).fetchone()[0]
            if n == 0 or time.monotonic() > deadline:
                return n
            time.sleep(0.01)

    def drop_database(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        force = " WITH (FORCE)" if self.version >= 130000 else ""
        self.admin.execute(f"DROP DATABASE IF EXISTS {name}{force}")


if __name__ == "__main__":
    server = PgServer().start()
    print(server.url("postgres"), flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
