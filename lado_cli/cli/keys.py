"""`lado keys create|public` (the LADO service): the age key pair that referral files are
encrypted to (`lado send --encrypt-to`, `lado import FILE.referral.json.age`).

The identity (private key) is a new file, 0600, created exclusively and never through a
symlink (lado_cli/files.py); it is never printed. The public key ("age1...") is printed,
to publish in the authority's profile (`public_key`, shown by `lado profile show`) or to
give to referrers as a file.
"""

from __future__ import annotations

import os
from pathlib import Path

import typer

from lado_cli.errors import LadoError

app = typer.Typer(help="The LADO service's key pair for encrypted referral files (age).", no_args_is_help=True)

IDENTITY_ENV = "LADO_IDENTITY"


def write_new(path: Path, data: bytes, what: str) -> None:
    """A new private file holding `data` (lado_cli/files.py); removed again if the write fails."""
    from lado_cli.files import create_private

    fd = create_private(path, what)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as err:
        path.unlink(missing_ok=True)
        raise LadoError(f"cannot write the {what} {path} ({err.strerror}); it was not written") from None


def _lines(path: Path, what: str, option: str) -> list[str]:
    from lado_cli.files import NOFOLLOW

    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            data = f.read(65536)
    except OSError as err:
        raise LadoError(f"{option}: cannot read the {what} {path} ({err.strerror or err}); expected a readable file, not a symbolic link") from None
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        raise LadoError(f"{option}: {path} is not a text key file; expected the {what}") from None
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def read_identity(path: Path, option: str = "--identity"):
    """The age identity in `path` (the file must be private: it holds the private key)."""
    from pyrage import IdentityError, x25519

    from lado_cli.files import check_existing

    if not check_existing(path, "identity file"):
        raise LadoError(f"{option}: {path} does not exist; expected the identity file `lado keys create` made")
    keys = [line for line in _lines(path, "identity file", option) if line.startswith("AGE-SECRET-KEY-")]
    if not keys:
        raise LadoError(f"{option}: {path} holds no age identity; expected the file `lado keys create` made")
    try:
        return x25519.Identity.from_str(keys[0])
    except IdentityError:
        raise LadoError(f"{option}: the identity in {path} is damaged; expected the file `lado keys create` made") from None


def read_recipient(path: Path, option: str = "--encrypt-to"):
    """The age public key in `path`: its first line starting "age1" (comments '#' skipped)."""
    from pyrage import RecipientError, x25519

    keys = [line for line in _lines(path, "LADO service's public key", option) if line.startswith("age1")]
    if not keys:
        raise LadoError(f"{option}: {path} holds no age public key; expected a file with the line starting age1 that `lado keys public` prints")
    try:
        return x25519.Recipient.from_str(keys[0])
    except RecipientError:
        raise LadoError(f"{option}: the public key in {path} is damaged; expected the line starting age1 that `lado keys public` prints") from None


@app.command("create")
def create(out: Path = typer.Option(..., "--out", metavar="FILE", help="The new identity (private key) file: created 0600, never over an existing file.")) -> None:
    """Create the service's age key pair: the private key into FILE, the public key printed.

    Keep FILE private and backed up: without it, files encrypted to the public key cannot be
    read. Publish the public key (profile key public_key) for referrers to encrypt to.
    """
    from pyrage import x25519

    identity = x25519.Identity.generate()
    public = str(identity.to_public())
    write_new(out, f"# lado: the LADO service's age identity (private key): keep it private\n# public key: {public}\n{identity}\n".encode("ascii"),
              "identity file")  # fmt: skip
    from lado_cli.cli.context import wrapped

    typer.echo(wrapped(f"Created {out} (the private key, readable only by you). The public key, to publish in the profile as public_key:"), err=True)
    typer.echo(public)


@app.command("public")
def public(file: Path = typer.Argument(..., metavar="FILE", help="The identity file `lado keys create` made.")) -> None:
    """Print the public key of an identity file again (never the private key)."""
    typer.echo(str(read_identity(file, "FILE").to_public()))
