"""`lado match`, `lado person` and `lado index`: the same adult across records (R11a)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import typer

from lado_cli.cli.context import app_context
from lado_cli.cli.render import Format, format_option
from lado_cli.errors import FieldError, LadoError

index_app = typer.Typer(help="Pseudonymous indexes shared between authorities (R11a): keyed hashes, no names.", no_args_is_help=True)

INDEX_FORMAT = "lado-index/1"


def nicknames(profile):
    from lado_cli.domain.matching import default_nicknames

    return default_nicknames(profile.matching.nicknames)


def thresholds(profile):
    from lado_cli.domain.matching import Thresholds

    return Thresholds(profile.matching.strong, profile.matching.possible)


def matches_for(conn, profile, subject, kids=(), exclude_case=None) -> tuple[list[dict], list[dict]]:
    """R11a matches in this database and hits in other authorities' indexes."""
    from lado_cli.store.matching import find_matches, index_hits

    found = find_matches(conn, subject, kids, nick=nicknames(profile), thresholds=thresholds(profile), exclude_case=exclude_case)
    return found, index_hits(conn, subject)


def hit_line(h: dict) -> str:
    return f"records about an adult with the same identity may be held by {h['authority']}: contact {h['contact']}"


def history_summary(hits: list[dict], listed: int = 10) -> str:
    """The R11a history check of an import in one sentence: how many added cases have earlier
    records about the same adult or child, and which (the first `listed` refs)."""
    refs = sorted({h["ref"] for h in hits})
    if not refs:
        return "History check (R11a): no added case matches an earlier record."
    more = f" and {len(refs) - listed} more" if len(refs) > listed else ""
    return (f"History check (R11a): {len(refs)} added case{'s' if len(refs) != 1 else ''} "
            f"{'match' if len(refs) != 1 else 'matches'} earlier records: {', '.join(refs[:listed])}{more}.")  # fmt: skip


def report_import_matches(hits: list[dict], listed: int = 20) -> None:
    """After an import: each added case's match with an earlier case (R11a) and why, on stderr."""
    from lado_cli.cli.views import err, esc

    if not hits:
        return
    err(f"R11a: {len(hits)} match{'es' if len(hits) != 1 else ''} between imported cases and earlier ones (record a decision: `lado match REF --decide REF2`):")
    for h in hits[:listed]:
        about = "" if h["match"] == "subject" else " (a child)"
        err(esc(f"  {h['ref']} ~ {h['other']}{about}: {h['band']} ({h['score']:.2f}); {'; '.join(h['reasons'])}"))
    if len(hits) > listed:
        err(f"  ({len(hits) - listed} more not listed)")


def _table(found: list[dict], hits: list[dict], profile):
    """Each match as a heading line and its reasons, indented: wraps at any width, never crops."""
    from rich.console import Group
    from rich.padding import Padding

    from lado_cli.cli.views import esc, when

    tz = profile.calendar().tz
    parts: list[Any] = []
    if found:
        parts.append(f"Earlier records about the same adult or child (R11a): {len(found)}")
        for h in found:
            about = "the adult" if h["match"] == "subject" else "a child"
            decided = f", {h['decision']}" if h.get("decision") else ""
            parts.append(f"[bold]{esc(h['ref'])}[/] · {about} · {h['band']} ({h['score']:.2f}{decided}) · {esc(h['name'])}, "
                         f"born {when(h['dob'], tz) or 'not known'} · received {when(h['received'], tz)}")  # fmt: skip
            parts.append(Padding(esc("; ".join(h["reasons"])), (0, 0, 0, 4)))
    else:
        parts.append("No earlier records about this adult or child (R11a).")
    parts += [esc(hit_line(h)) for h in hits]
    return Group(*parts)


def match(
    ctx: typer.Context,
    ref: str = typer.Argument(None, help="A case reference: find other records about its adult and children."),
    name: str = typer.Option(None, "--name", help="Find records about this name (with --dob)."),
    dob: str = typer.Option(None, "--dob", metavar="DATE", help="Date of birth for --name (dd/mm/yyyy or ISO), or 'unknown'."),
    employer: str = typer.Option(None, "--employer", help="Employer for --name: the same employer adds to the score."),
    known_as: list[str] = typer.Option(None, "--known-as", help="Another name the adult is known by, repeatable. With REF: recorded on that case (in its chronology), then matched."),
    decide: str = typer.Option(None, "--decide", metavar="REF2", help="Record a decision on the pair REF and REF2 (with --same or --different, and --why) so it is not asked again."),
    same: bool = typer.Option(None, "--same/--different", help="With --decide: the two cases are (not) about the same adult."),
    why: str = typer.Option(None, "--why", help="With --decide: the reasons for the decision (kept in both chronologies)."),
    fmt: Format = format_option(),
) -> None:
    """List records about the same adult (or child): strong and possible matches with the reasons (R11a).

    Names are compared with short forms (Jon, Jonathan), spellings that sound alike, known-as
    names, a date of birth with day and month swapped or a year off; other authorities'
    indexes (`lado index import`) are checked too.
    """
    from lado_cli.cli.render import emit
    from lado_cli.domain.dates import parse_optional_date
    from lado_cli.domain.matching import Identity

    app = app_context(ctx)
    profile = app.profile
    if decide is not None:
        app.lado_only("lado match --decide")  # issue #11: deciding two records are one person is the LADO's (R11a)
        if ref is None:
            raise FieldError("decide", decide, "needs the first case reference", "lado match REF --decide REF2 --same|--different --why TEXT")
        if same is None:
            raise FieldError("same", "", "is missing", "--same or --different with --decide")
        if not why or not why.strip():
            raise FieldError("why", why, "is missing", "the reasons for the decision, with --decide")
        from lado_cli.store.matching import record_decision

        with app.db.begin() as conn:
            a, b = record_decision(conn, ref, decide, same=same, why=why.strip(), now=app.now(), actor=app.actor())
        typer.echo(f"Decision saved: {a} and {b} are {'the same adult' if same else 'not the same adult'}; in both chronologies (R11a).")
        return
    if (ref is None) == (name is None):
        raise LadoError("give a case reference or --name (with --dob), not both", usage=True) if ref else LadoError("give a case reference or --name NAME --dob DATE", usage=True)
    if ref and known_as:  # recorded by an entry in the chronology (R34), never by changing the adult's name
        from lado_cli.store.cases import add_event, case_row
        from lado_cli.store.matching import add_known_names

        with app.db.begin() as conn:
            case = case_row(conn, ref)
            added = add_known_names(conn, case["id"], known_as, now=app.now())
            if added:
                add_event(conn, case["id"], kind="known-as", at=app.now(), now=app.now(), actor=app.actor(),
                          text="R11a: the adult is also known as " + "; ".join(added) + ".")  # fmt: skip
        from lado_cli.cli.views import err, esc

        err(esc(f"Known-as name{'s' if len(added) != 1 else ''} saved on {case['ref']}: {'; '.join(added)}.") if added else "Those names were already recorded.")
    with app.db.read() as conn:
        if ref:
            from lado_cli.store.matching import decisions_for, identity_of

            cid, ref, subject, kids = identity_of(conn, ref)
            found, hits = matches_for(conn, profile, subject, kids, exclude_case=cid)
            decided = decisions_for(conn, ref)
            for h in found:
                d = decided.get(h["ref"])
                if d:
                    h["decision"] = "decided: same adult" if d["same"] else "decided: not the same"
            found = [h for h in found if not (h["ref"] in decided and not decided[h["ref"]]["same"] and h["match"] == "subject")]
        else:
            if not name.strip():
                raise FieldError("name", name, "is empty", "the adult's name")
            subject = Identity((name, *(known_as or [])), parse_optional_date(dob, "dob"), employer)
            found, hits = matches_for(conn, profile, subject)
    tz = profile.calendar().tz
    cols = ["ref", "match", "band", "score", "name", "dob", "received", "status", "category", "employer", "reasons"]
    emit(fmt, {"matches": found, "other_authorities": hits}, tz=tz, columns=cols,
         rows=lambda: [dict((k, h.get(k)) for k in cols) | {"reasons": "; ".join(h["reasons"])} for h in found],
         table=lambda: _table(found, hits, profile))  # fmt: skip


def person(
    ctx: typer.Context,
    who: str = typer.Argument(..., metavar="REF|NAME", help="A case reference, or the adult's name."),
    fmt: Format = format_option(),
) -> None:
    """One adult's cases and consultations as one timeline (R11a, R37c).

    With the employers and sectors they moved between: cases decided to be theirs, and strong
    matches."""
    import re

    from lado_cli.cli.render import emit
    from lado_cli.cli.views import esc, when
    from lado_cli.store.matching import find_matches, identity_of, linked_refs

    app = app_context(ctx)
    profile = app.profile
    with app.db.read() as conn:
        if re.fullmatch(r"[A-Za-z][A-Za-z0-9]*-\d{4}-\d+", who.strip()):
            cid, ref, ident, _ = identity_of(conn, who)
        else:
            from lado_cli.domain.matching import Identity

            ident, ref, cid = Identity((who,)), None, None
        refs = set(linked_refs(conn, ref)) if ref else set()
        for h in find_matches(conn, ident, nick=nicknames(profile), thresholds=thresholds(profile), exclude_case=cid):
            if h["band"] == "strong" or (ref is None and h["score"] >= profile.matching.possible):
                refs.add(h["ref"])
        if ref:
            from lado_cli.store.matching import decisions_for

            refs -= {o for o, d in decisions_for(conn, ref).items() if not d["same"]}
        if not refs:
            raise LadoError(f"no case about '{who}'; `lado list --subject NAME` searches by name")
        from lado_cli.store.matching import person_cases

        rows = person_cases(conn, sorted(refs))
    moves, last = [], None
    for r in rows:
        r["kind"] = "consultation (R37c)" if r["status"] == "advice-only" else "case"
        place = (r["employer"], r["sector"])
        if place != last:
            moves.append({"employer": r["employer"], "sector": r["sector"], "from": r["received"], "ref": r["ref"]})
            last = place
    tz = profile.calendar().tz

    def table():
        """One line a record (wraps at any width, never crops), then the employers in order."""
        from rich.console import Group

        lines: list[Any] = [f"One adult, every record ({len(rows)}), oldest first (R11a)"]
        for r in rows:
            lines.append(f"{when(r['received'], tz)} · [bold]{esc(r['ref'])}[/] · {r['kind']} · {esc(r['name'])}"
                         f"{', ' + esc(r['role']) if r['role'] else ''} · {esc(r['employer'] or 'no employer')} "
                         f"({profile.label('sectors', r['sector'])}) · {profile.label('categories', r['category'])} · {r['status']}")  # fmt: skip
        path = " -> ".join(f"{esc(mv['employer'] or 'none')} ({profile.label('sectors', mv['sector'])})" for mv in moves)
        return Group(*lines, f"Employers and sectors, in order: {path}")

    cols = ["received", "ref", "kind", "name", "role", "employer", "sector", "category", "status", "outcome"]
    emit(fmt, {"timeline": rows, "employers": moves}, tz=tz, columns=cols, rows=lambda: rows, table=table)


# -- lado index ------------------------------------------------------------------------------


def _create_private(path: Path, data: bytes) -> None:
    """Write a new file: exclusive (never replaces), 0600, never through a symlink."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise FieldError("output", path, "already exists", "a new file name (a file is never replaced)") from None
    except OSError as e:
        raise FieldError("output", path, f"cannot be created ({e.strerror})", "a new file in a directory you can write, not a symlink") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as e:
        path.unlink(missing_ok=True)
        raise LadoError(f"cannot write {path}: {e.strerror}; nothing was written") from None


def _read_key(path: Path) -> bytes:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as f:
            key = f.read(4096)
    except OSError as e:
        raise FieldError("key-file", path, f"cannot be read ({e.strerror})", "the file `lado index key` made (not a symlink)") from None
    if len(key) < 32:
        raise FieldError("key-file", path, f"holds {len(key)} bytes", "a file of at least 32 random bytes (`lado index key`)")
    return key


@index_app.command("key")
def index_key(output: Path = typer.Option(..., "--output", "-o", help="The new key file (created 0600; never replaces a file).")) -> None:
    """Make a new shared key: 32 random bytes. Give it to the neighbouring LADO services by a secure route."""
    import secrets

    _create_private(output, secrets.token_bytes(32))
    typer.echo(f"Key saved to {output} (32 random bytes, readable only by you).")


@index_app.command("export")
def index_export(
    ctx: typer.Context,
    key_file: Path = typer.Option(..., "--key-file", help="The shared key file."),
    output: Path = typer.Option(..., "--output", "-o", help="The index file to write (created 0600; never replaces a file)."),
) -> None:
    """Write this service's pseudonymous index: keyed hashes of identity tokens, the authority's
    name and LADO contact; no names, dates or details."""
    import json

    from lado_cli.domain.matching import key_id
    from lado_cli.store.matching import own_index_tokens

    app = app_context(ctx)
    app.lado_only("lado index")  # issue #11: indexes are exchanged between LADO services (R11a)
    key = _read_key(key_file)
    with app.db.read() as conn:
        tokens = own_index_tokens(conn, key)
    p = app.profile
    contact = next((c.value for c in p.contacts if c.slug == "lado-email"), p.contacts[0].value if p.contacts else "")
    doc = {"format": INDEX_FORMAT, "authority": p.name, "contact": contact, "key_id": key_id(key), "tokens": tokens}
    _create_private(output, (json.dumps(doc, indent=0) + "\n").encode())
    typer.echo(f"Index saved to {output}: {len(tokens)} tokens for {p.name}.")


@index_app.command("import")
def index_import(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Another authority's index file (`lado index export`)."),
    key_file: Path = typer.Option(..., "--key-file", envvar="LADO_INDEX_KEY", help="The key shared with that authority (env LADO_INDEX_KEY)."),
) -> None:
    """Store another authority's index, replacing the one it sent before."""
    import json
    import re

    from lado_cli.domain.matching import key_id

    app = app_context(ctx)
    app.lado_only("lado index")  # issue #11: indexes are exchanged between LADO services (R11a)
    key = _read_key(key_file)
    try:
        doc = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise FieldError("file", file, f"cannot be read as an index file ({e.__class__.__name__})", "a file `lado index export` wrote") from None
    if not isinstance(doc, dict) or doc.get("format") != INDEX_FORMAT:
        raise FieldError("file", file, "is not a lado index file", f"a file of format {INDEX_FORMAT} (`lado index export`)")
    authority, contact, tokens = doc.get("authority"), doc.get("contact"), doc.get("tokens")
    if not isinstance(authority, str) or not authority.strip() or not isinstance(contact, str):
        raise FieldError("file", file, "names no authority and contact", "a file `lado index export` wrote")
    if len(authority) > 200 or len(contact) > 200 or any(ch < " " for ch in authority + contact):
        raise FieldError("file", file, "has an authority or contact that is not one line of at most 200 characters", "a file `lado index export` wrote")
    if authority == app.profile.name:
        raise FieldError("file", file, f"is this authority's own index ({authority})", "another authority's index")
    if doc.get("key_id") != key_id(key):
        raise FieldError("key-file", key_file, f"is not the key {file} was made with", f"the key shared with {authority}")
    if not isinstance(tokens, list) or not all(isinstance(t, str) and re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens):
        raise FieldError("file", file, "holds tokens that are not 32 hexadecimal characters", "a file `lado index export` wrote")
    from lado_cli.store.matching import store_index

    with app.db.begin() as conn:
        replaced = store_index(conn, authority=authority, contact=contact, key=key, tokens=sorted(set(tokens)), now=app.now())
    typer.echo(f"Index of {authority} saved: {len(set(tokens))} tokens" + (" (it replaces the earlier one)." if replaced else "."))
