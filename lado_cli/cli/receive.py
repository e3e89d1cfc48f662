"""`lado import FILE.referral.json[.age]` (the LADO): a referral file made by `lado send`.

The file is read whole (a referral is small), decrypted when it is age-encrypted (the
service's identity: --identity FILE or env LADO_IDENTITY), its shape checked
(domain/sending.py), then every value checked with the rules of `lado refer`, exactly as an
import row: the referrer's times are kept (concern arose, ...), and the moment it was sent is
when the LADO received it (R12 met then; R13 runs from the concern arising). The new case
keeps the sender's reference and organisation: the same referral imported again adds nothing
(a unique pair, migration 0015). Any flaw is one line, and nothing is saved.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import typer

from lado_cli import saved
from lado_cli.errors import FieldError, LadoError

AGE_HEADER = b"age-encryption.org/"
_OFFSET = re.compile(r"(Z|[+-]\d\d:\d\d)\Z")


def is_referral_file(path: Path) -> bool:
    """A referral file: by its name (.referral.json, .age), or by its content."""
    name = path.name.lower()
    if name.endswith((".referral.json", ".age")):
        return True
    try:
        with open(path, "rb") as f:
            head = f.read(200)
    except OSError:
        return False
    return head.startswith(AGE_HEADER) or b'"format": "lado-referral/' in head or b'"format":"lado-referral/' in head


def _read(path: Path) -> bytes:
    from lado_cli.domain.sending import MAX_BYTES

    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as err:
        raise LadoError(f"cannot read {path}: {err.strerror}") from None
    if not data:
        raise LadoError(f"{path} is empty; expected a referral file made by `lado send`; nothing was imported")
    return data


def _decrypt(data: bytes, path: Path, identity_file: Path | None) -> bytes:
    import pyrage

    from lado_cli.cli.keys import IDENTITY_ENV, read_identity

    if identity_file is None and os.environ.get(IDENTITY_ENV):
        identity_file, option = Path(os.environ[IDENTITY_ENV]), IDENTITY_ENV
    else:
        option = "--identity"
    if identity_file is None:
        raise LadoError(f"{path.name} is encrypted; give the service's identity: --identity FILE (or env {IDENTITY_ENV}), made by `lado keys create`", usage=True)
    identity = read_identity(identity_file, option)
    try:
        return pyrage.decrypt(data, [identity])
    except pyrage.DecryptError as err:
        if "no matching keys" in str(err).lower():
            raise LadoError(f"{path.name} was not encrypted to this identity ({identity.to_public()}); expected a file sent to "
                            "this service's public key; nothing was imported") from None  # fmt: skip
        raise LadoError(f"{path.name} cannot be decrypted ({err}): it is damaged, truncated or tampered with; ask for it again; nothing was imported") from None


def import_referral(app, path: Path, *, identity: Path | None, dry_run: bool) -> None:
    """Create the case of the referral file `path` (see the module docstring)."""
    from lado_cli.cli import views
    from lado_cli.cli.match import hit_line, matches_for
    from lado_cli.cli.context import wrapped
    from lado_cli.cli.render import when
    from lado_cli.domain.dates import parse_instant
    from lado_cli.domain.matching import Identity
    from lado_cli.domain.referral import referral_text
    from lado_cli.domain.sending import parse
    from lado_cli.domain.transfer import check_row, import_effects
    from lado_cli.store.cases import add_event, case_row
    from lado_cli.store.transfer import insert_batch, received_case

    profile, now, actor = app.profile, app.now(), app.actor()
    tz = profile.calendar().tz
    name = path.name
    data = _read(path)
    encrypted = data.startswith(AGE_HEADER)
    if path.name.lower().endswith(".age") and not encrypted:
        raise LadoError(f"{name} is not an age-encrypted file (it does not start with the age header); nothing was imported")
    if encrypted:
        data = _decrypt(data, path, identity)
    got = parse(data, name)
    if not _OFFSET.search(got.sent_at):
        raise LadoError(f"{name}: sent_at '{got.sent_at}' has no UTC offset; expected an ISO-8601 instant such as 2026-12-23T09:15:00+00:00; nothing was imported")
    try:
        parse_instant(got.sent_at, "sent_at", tz)
    except FieldError as err:
        raise LadoError(f"{name}: sent_at '{got.sent_at}' {err.problem}; expected {err.expected}; nothing was imported") from None
    raw = dict(got.row, received=got.sent_at, **{"their-ref": got.their_ref, "their-org": got.sender})
    try:
        rec = check_row(1, raw, profile, now)
    except FieldError as err:
        where = {"received": "sent_at", "their-ref": "their_ref", "their-org": "from.org"}.get(err.field, f"referral.{err.field}")
        shown = err.value if err.field != "received" else got.sent_at
        raise LadoError(views.visible(f"{name}: {where} '{shown}' {err.problem}; expected {err.expected}; nothing was imported")) from None
    except LadoError as err:
        raise LadoError(f"{name}: {err}; nothing was imported") from None
    r = rec.referral
    with app.db.read() if dry_run else app.db.begin() as conn:
        before = received_case(conn, rec.their_org, rec.their_ref)
        if before:
            typer.echo(wrapped(views.visible(f"{name} was imported before, as {before} (their reference {rec.their_ref} from {rec.their_org}); nothing was added.")))
            return
        found, hits = matches_for(conn, profile, Identity((r.subject_name,), r.subject_dob, r.employer), [Identity((k.name,), k.dob) for k in r.children])
        if dry_run:
            typer.echo(wrapped(views.visible(f"Checked {name}: a referral from {rec.their_org} (their reference {rec.their_ref}), all valid (--dry-run: nothing written).")))
            return
        deadlines, duties, _ = import_effects(rec, profile, name)
        text = views.visible(f"Referral received as a file from {rec.their_org} (their reference {rec.their_ref}, {name}), "
                             f"sent {when(r.received, tz)}. {referral_text(r, profile)}")  # fmt: skip
        insert_batch(conn, [(rec, r.received.astimezone(tz).year, deadlines, duties, text)], prefix=profile.ref_prefix, now=now, actor=actor)
        ref = received_case(conn, rec.their_org, rec.their_ref)
        cid = case_row(conn, ref)["id"]
        if found:
            refs = ", ".join(sorted({h["ref"] for h in found}))
            add_event(conn, cid, kind="history-check", at=now, text=f"Earlier records about the same adult or child shown on import (R11a): {refs}.", now=now, actor=actor)
        if hits:
            add_event(conn, cid, kind="history-check", at=now, now=now, actor=actor,
                      text="Other authorities' indexes showed a hit on import (R11a): " + "; ".join(hit_line(h) for h in hits) + ".")  # fmt: skip
    saved.name(ref)
    notices = views.Notices(profile)
    notices("history", found)  # R11a, on stderr as at intake
    for h in hits:
        views.err(views.esc(hit_line(h)))
    typer.echo(wrapped(views.visible(f"Saved {ref}: the referral from {rec.their_org} (their reference {rec.their_ref}), received {when(r.received, tz)}.")))
    for d in deadlines:
        if d.met_at is None:
            typer.echo(f"  {d.kind} ({d.rule}) due by {when(d.due, tz)}")
