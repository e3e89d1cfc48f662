"""`lado send REF --out DIR` (the referrer): the referral as two files for the LADO, and the
sending recorded (R12).

DIR/REF.referral.html is the printable A4 form (to print, sign, or attach); it stays plain
text even with --encrypt-to, because it is made for printing and signing on the referrer's
side. DIR/REF.referral.json (lado-referral/1, domain/sending.py) is the same referral for the
LADO to import; with --encrypt-to it is DIR/REF.referral.json.age, encrypted (age, X25519) to
the LADO service's public key so it can go by ordinary email. Both files are new and private
(lado_cli/files.py): both are written or neither, and the sending is recorded only once both
are written (if recording fails, the files are removed again).
"""

from __future__ import annotations

from pathlib import Path

import typer

from lado_cli import saved
from lado_cli.cli.context import app_context
from lado_cli.errors import FieldError, LadoError


def file_names(ref: str, encrypted: bool) -> tuple[str, str]:
    """(form, data) file names for a case reference ('/' in a kept reference becomes '_')."""
    stem = ref.replace("/", "_")
    return f"{stem}.referral.html", f"{stem}.referral.json" + (".age" if encrypted else "")


def _via(text: str | None) -> str | None:
    if text is None:
        return None
    value = text.strip()
    if not value or len(value) > 200 or not value.isprintable():
        raise FieldError("via", repr(text)[1:-1][:80], "is not one line of text", "how it was sent, e.g. 'email to lado@example.gov.uk' (at most 200 characters)")
    return value


def send(
    ctx: typer.Context,
    ref: str = typer.Argument(..., metavar="REF", help="The case to send."),
    out: Path = typer.Option(..., "--out", metavar="DIR", help="The folder for the two files (made 0700 if missing). Existing files there are never replaced."),
    at: str = typer.Option(None, "--at", metavar="DATETIME", help="When it was sent to the LADO (default: now): meets R12. Not in the future, not before the concern arose. Date and time, dd/mm/yyyy hh:mm or ISO (UK time)."),
    via: str = typer.Option(None, "--via", metavar="TEXT", help="How it was sent, recorded with it, e.g. 'secure email'."),
    encrypt_to: Path = typer.Option(None, "--encrypt-to", metavar="PUBKEYFILE", help="Encrypt the data file to the LADO service's age public key (a file holding the age1... line of `lado keys public`, or of the profile's public_key): writes REF.referral.json.age. The HTML form stays plain: it is for printing and signing."),
) -> None:
    """Write the referral for the LADO (a printable form and a data file) and record the sending.

    Writes DIR/REF.referral.html, the A4 form with the protective marking and a signature
    block, and DIR/REF.referral.json (lado-referral/1), which the LADO imports with
    `lado import` instead of retyping. Then records that the LADO was told at --at (R12).
    """
    from lado_cli.cli.keys import read_recipient, write_new
    from lado_cli.cli.referral_form import form_html
    from lado_cli.cli.render import when
    from lado_cli.domain import sending
    from lado_cli.domain.dates import parse_instant
    from lado_cli.domain.transfer import export_row
    from lado_cli.store import settings
    from lado_cli.store.cases import case_row
    from lado_cli.store.referrer import record_told_lado
    from lado_cli.store.transfer import export_cases

    app = app_context(ctx)
    profile, now = app.profile, app.now()
    tz = profile.calendar().tz
    sent_at = now if at is None else parse_instant(at, "at", tz)
    if at is not None and ":" not in at:  # the moment R12 is met: a bare date (midnight) would be a guess
        raise FieldError("at", at, "has no time", "a date and time such as 23/12/2026 09:40 (UK time)")
    if sent_at > now:
        raise FieldError("at", at, "is in the future", "a time that is not in the future")
    how = _via(via)
    recipient = read_recipient(encrypt_to) if encrypt_to is not None else None
    with app.db.read() as conn:
        case = case_row(conn, ref)
        row = export_row(next(export_cases(conn, None, ref=case["ref"])), profile)
        org, authority = settings.get(conn, "org"), settings.get(conn, "authority")
    if sent_at < case["concern_arose"]:
        raise FieldError("at", at, "is before the concern arose", f"a time on or after {when(case['concern_arose'], tz)}")
    doc = sending.build(row, their_ref=case["ref"], org=org, authority=authority, sent_at=sent_at, tz=tz)
    form = form_html(doc, profile, sent_at_text=when(sent_at, tz)).encode("utf-8")
    data = sending.dumps(doc)
    if recipient is not None:
        import pyrage

        data = pyrage.encrypt(data, [recipient])
    form_name, data_name = file_names(case["ref"], recipient is not None)
    form_path, data_path = out / form_name, out / data_name
    for path in (form_path, data_path):  # both or neither: refuse before writing either
        if path.exists() or path.is_symlink():
            kind = "a symbolic link" if path.is_symlink() else "already there"
            raise LadoError(f"{path} is {kind}; nothing was written (lado never writes over an existing file: choose another --out)")
    write_new(form_path, form, "referral form")
    written = [form_path]
    try:
        write_new(data_path, data, "referral file")
        written.append(data_path)
        with app.db.begin() as conn:
            record_told_lado(conn, case["ref"], at=sent_at, via=how, now=now, actor=app.actor(), profile=app.profile, sending=True)
    except BaseException:
        if not saved.any_saved():  # only the files this command created
            for path in written:
                _remove_own(path)
        raise
    saved.name(case["ref"])
    from lado_cli.cli.context import wrapped
    from lado_cli.cli.views import visible

    typer.echo(wrapped(visible(f"Wrote {form_path} (the form to print and sign; plain, not encrypted).")))
    typer.echo(wrapped(visible(f"Wrote {data_path} ({'encrypted to the LADO service key' if recipient else 'the referral for the LADO to import'}).")))
    told = case.get("told_lado")
    if told is None:
        typer.echo(wrapped(f"Saved {case['ref']}: the LADO was told at {when(sent_at, tz)}{f' ({how})' if how else ''} (R12)."))
    else:  # told before (by phone, or an earlier sending): R12 stays met then
        typer.echo(wrapped(f"Saved {case['ref']}: the referral was sent at {when(sent_at, tz)}{f' ({how})' if how else ''}; the LADO had been told at {when(told, tz)} (R12)."))


def _remove_own(path: Path) -> None:
    """Remove a file this command created (a regular file, never a link put there since)."""
    import os
    import stat

    try:
        if stat.S_ISREG(os.lstat(path).st_mode):
            path.unlink()
    except FileNotFoundError:
        pass
