"""Safe files: the one place lado creates or vets a file it writes (issue #12, R34).

The records are confidential, and another user on the same machine may be hostile. So:

- a new file is created exclusively (O_EXCL: never over something already there, not even
  a dangling symlink), without following a symlink (O_NOFOLLOW), readable and writable by
  its owner only (0600), in a directory lado makes 0700 when it has to make it;
- an existing file lado writes into (the database and its -wal, -shm and -journal sidecars)
  must be a regular file, not a symlink, owned by the user running lado, and neither
  readable nor writable by group or others;
- its directory, and every directory above it, must not be writable by others unless the
  sticky bit is set (as on /tmp): otherwise anyone could swap the file for their own.

Each refusal is one line naming the file and the fix (e.g. "chmod 600 PATH"). Pure
standard library: imported by the store and by commands that write output files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lado_cli.errors import LadoError

PRIVATE = 0o600
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
SIDECARS = ("-wal", "-shm", "-journal")


def sidecars(path: Path) -> list[Path]:
    """The files SQLite keeps beside a database: its write-ahead log, shared memory and rollback journal."""
    return [path.with_name(path.name + suffix) for suffix in SIDECARS]


def check_dirs(path: Path) -> None:
    """Refuse a file whose directory (or one above it) others may write without the sticky bit."""
    here = Path(os.path.realpath(path.parent))
    for d in (here, *here.parents):
        try:
            st = os.stat(d)
        except FileNotFoundError:
            continue  # created below, 0700
        except OSError as err:
            raise LadoError(f"cannot check the folder {d}: {err.strerror}") from None
        if st.st_mode & stat.S_IWOTH and not st.st_mode & stat.S_ISVTX:
            raise LadoError(f"{d} can be changed by every user, so they could replace {path.name}; use a private folder (or chmod o-w {d})")


def check_existing(path: Path, what: str = "file") -> bool:
    """True when `path` exists and is safe to write into; False when it is absent. Refuses a
    symlink, a non-regular file, another user's file, or one others can read or write."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as err:
        raise LadoError(f"cannot check the {what} {path}: {err.strerror}") from None
    if stat.S_ISLNK(st.st_mode):
        target = os.path.realpath(path)
        raise LadoError(f"the {what} {path} is a symbolic link (to {target}); refused: give the real file's path, not a link")
    if not stat.S_ISREG(st.st_mode):
        raise LadoError(f"the {what} {path} is not a regular file; refused")
    if st.st_uid != os.geteuid():
        raise LadoError(f"the {what} {path} belongs to another user (uid {st.st_uid}); refused: use your own copy, or ask an administrator to chown it to you")
    if st.st_mode & 0o077:
        raise LadoError(f"the {what} {path} can be read or changed by other users (mode {stat.S_IMODE(st.st_mode):03o}); refused: run chmod 600 {path}")
    return True


def make_private_dir(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as err:
        raise LadoError(f"cannot create the folder {folder}: {err.strerror}") from None


def create_private(path: Path, what: str = "file") -> int:
    """A new private file, opened for writing: an fd the caller closes. Exclusive and
    without following symlinks; refuses when anything (a file, a link) is already there."""
    check_dirs(path)
    make_private_dir(path.parent)
    try:
        return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | NOFOLLOW | getattr(os, "O_CLOEXEC", 0), PRIVATE)
    except FileExistsError:
        kind = "a symbolic link" if path.is_symlink() else "already there"
        raise LadoError(f"{path} is {kind}; choose a new file name (lado never writes over an existing file)") from None
    except OSError as err:
        raise LadoError(f"cannot create the {what} {path}: {err.strerror}") from None


def touch_private(path: Path, what: str = "file") -> None:
    """Create `path` empty and private (see `create_private`)."""
    os.close(create_private(path, what))


def check_database(path: Path) -> bool:
    """Vet an SQLite database path before SQLite opens it: its folder, the file and each
    sidecar that exists (a -wal planted by another user would receive every record).
    True when the database file exists."""
    check_dirs(path)
    exists = check_existing(path, "database file")
    for side in sidecars(path):
        check_existing(side, "database file")
    return exists


# -- `--output FILE` of export, due, stats and audit ------------------------------------------------
#
# The option's callback (`output_option`) runs while the command line is parsed: it vets FILE,
# creates a private temporary file beside it and points stdout at it. `LadoGroup.invoke`
# (lado_cli/cli/app.py) then calls `finish_output()` when the command succeeded, which flushes
# and syncs the data and renames the temporary file onto FILE in one step, or
# `abort_output()` on any error, which removes it: FILE is never left half-written.

_pending: list[tuple[Path, Path, object, object]] = []  # (FILE, temporary file, its stream, the previous stdout)


def output_option(value: Path | None) -> Path | None:
    """typer callback of `--output FILE`."""
    import sys

    if value is None:
        return None
    path = Path(value).expanduser()
    if path.name in ("", ".", "..") or str(value).endswith(os.sep):
        raise LadoError(f"--output: '{value}' is a folder; expected a file name", usage=True)
    check_dirs(path)
    check_existing(path, "output file")  # replaced only when it is your own private regular file
    tmp = path.with_name(f".{path.name}.{os.getpid()}.partial")
    stream = open(create_private(tmp, "output file"), "w", encoding="utf-8")  # noqa: SIM115 - closed by finish/abort
    _pending.append((path, tmp, stream, sys.stdout))
    sys.stdout = stream
    return path


def finish_output() -> None:
    """The command succeeded: put its output in place (see above)."""
    import sys

    while _pending:
        path, tmp, stream, previous = _pending.pop()
        sys.stdout = previous
        try:
            stream.flush()
            os.fsync(stream.fileno())
            stream.close()
            os.replace(tmp, path)
        except OSError as err:
            _discard(stream, tmp)
            raise LadoError(f"--output: cannot write {path} ({err.strerror}); it was not written") from None


def abort_output() -> Path | None:
    """The command failed: no output file, and stdout as it was. Returns the FILE not written."""
    import sys

    aborted = None
    while _pending:
        aborted, tmp, stream, previous = _pending.pop()
        sys.stdout = previous
        _discard(stream, tmp)
    return aborted


def _discard(stream, tmp: Path) -> None:
    try:
        stream.close()
    except OSError:
        pass
    tmp.unlink(missing_ok=True)


def output_param(what: str):
    """The `--output FILE` option of a command that prints `what`."""
    import typer

    return typer.Option(
        None, "--output", metavar="FILE", callback=output_option,
        help=f"Write {what} to FILE instead of stdout: private (0600), never through a symlink, put in place only when complete.",
    )  # fmt: skip
