"""Reading procedure profiles: the packaged default and a user's own file.

The rules themselves (shape, merge, validation) live in `lado_cli.domain.profile`; this
module only finds and reads the bytes. A user's file is merged over the packaged default, so
it need only hold what the authority changes (see examples/profile-northshire.toml).
"""

from __future__ import annotations

import copy
import os
import stat
import tomllib
from importlib import resources
from typing import Any

from lado_cli.domain.profile import Profile, parse_profile, profile_from_dict
from lado_cli.errors import LadoError

#: Resource name of the built-in profile inside this package.
DEFAULT_PROFILE = "default.toml"
#: A profile file larger than this is refused (issue #12): a real one is a few kilobytes.
MAX_PROFILE_BYTES = 1024 * 1024
#: How the default profile names itself in messages and in `Profile.source`.
DEFAULT_SOURCE = "default"
#: How a profile saved with the database (`lado init --profile FILE`) names itself.
SAVED_SOURCE = "saved with the database"

_default_raw: dict[str, Any] | None = None


def default_text() -> str:
    """The packaged default profile's TOML text (with its comments)."""
    return resources.files(__package__).joinpath(DEFAULT_PROFILE).read_text(encoding="utf-8")


def default_raw() -> dict[str, Any]:
    """The default profile as parsed TOML: read once per process, a fresh copy per call."""
    global _default_raw
    if _default_raw is None:
        _default_raw = tomllib.loads(default_text())
    return copy.deepcopy(_default_raw)


def read_profile(path: str | os.PathLike[str] | None = None) -> Profile:
    """The default profile, or the file at `path` merged over it.

    A file that is missing, unreadable or not UTF-8 text, and any problem inside it, raise a
    one-line `LadoError` naming the path.
    """
    if path is None:
        return profile_from_dict(default_raw(), DEFAULT_SOURCE)
    source = os.fspath(path)
    try:
        # O_NONBLOCK: opening a fifo must not wait for a writer; the check below refuses it.
        with os.fdopen(os.open(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # /dev/zero, a fifo, a folder
                raise LadoError(f"profile {source}: not a regular file; expected a TOML profile file")
            data = handle.read(MAX_PROFILE_BYTES + 1)  # never more: /dev/zero or a huge file cannot exhaust memory
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise LadoError(f"profile {source}: cannot read the file ({reason}); expected a readable TOML profile file") from None
    if len(data) > MAX_PROFILE_BYTES:
        raise LadoError(f"profile {source}: larger than 1 MB; expected a TOML profile file (a few kilobytes)")
    try:
        text = data.decode("utf-8-sig")  # tolerate the byte-order mark some editors add
    except UnicodeDecodeError as err:
        raise LadoError(
            f"profile {source}: byte {err.start + 1} is not UTF-8 text; expected a TOML file saved as UTF-8"
        ) from None
    return parse_profile(text, source, base=default_raw())
