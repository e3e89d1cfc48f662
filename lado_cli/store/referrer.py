"""The referrer's records (issue #11): telling the LADO (R12). `lado told-lado` and `lado send`
both record it through `record_told_lado`."""

from __future__ import annotations

from datetime import datetime

from typing import TYPE_CHECKING

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from lado_cli.domain.profile import Profile


def record_told_lado(conn: Connection, ref: str, *, at: datetime, via: str | None, now: datetime, actor: str,
                     profile: Profile, sending: bool = False) -> None:  # fmt: skip
    """Record, in the caller's transaction, that the referrer told the LADO about case `ref` at
    `at` (how: `via`, e.g. "phone to the duty LADO"): meets its notify-lado limit (R12) at
    `at`, keeps `at`/`via` on the case and adds a chronology entry. Raises LadoError (nothing
    written) when `at` is in the future or before the concern arose, or when it was already
    recorded. `profile`: the one in force. `sending`: `lado send`, which may follow an
    earlier telling (then only the sending is recorded, domain/referrer.sent)."""
    from lado_cli.domain.referrer import sent, told_lado
    from lado_cli.store.workflow import apply_plan, load_state

    case = load_state(conn, ref)
    plan = (sent if sending else told_lado)(case, at=at, via=via, profile=profile, now=now)
    apply_plan(conn, case, plan, now=now, actor=actor, tz=profile.calendar().tz)


def case_count(conn: Connection) -> int:
    """How many cases the database holds (`lado init --role` refuses a change once it holds one)."""
    import sqlalchemy as sa

    from lado_cli.store.tables import cases

    return conn.execute(sa.select(sa.func.count()).select_from(cases)).scalar_one()


def newest_entry_text(conn: Connection, case_id: int) -> str:
    """The text of a case's newest chronology entry (what `lado told-lado` just wrote)."""
    import sqlalchemy as sa

    from lado_cli.store.tables import events

    return conn.execute(sa.select(events.c.text).where(events.c.case_id == case_id).order_by(events.c.id.desc()).limit(1)).scalar_one()


def outstanding_duties(conn: Connection, ref: str | None) -> list:
    """The outstanding duties of open cases (R30-R32), oldest case first (`ref`: one case)."""
    import sqlalchemy as sa

    from lado_cli.store.tables import cases, duties

    s = (sa.select(cases.c.ref, duties.c.kind, duties.c.rule, duties.c.reason)
         .join(cases, cases.c.id == duties.c.case_id)
         .where(cases.c.status == "open", duties.c.done_at.is_(None), duties.c.withdrawn_at.is_(None))
         .order_by(cases.c.ref, duties.c.id))  # fmt: skip
    if ref:
        s = s.where(sa.func.upper(cases.c.ref) == ref.strip().upper())
    return list(conn.execute(s))
