"""Build a large, realistic `lado` database for benchmarks (not a test; CI does not run it).

    python benchmarks/generate.py /tmp/lado-bench.db [--cases 100000] [--open 3000] [--seed 1]

The schema comes from the migrations (`lado_cli.store.db.Database`); rows go in with
SQLAlchemy Core bulk `insert()` (executemany), a few thousand at a time, in one transaction.
Most cases are closed or advice-only; the open ones have a mix of met, overdue and coming
time limits (R12-R18), review cycles, actions with owners (R20) and some escalations
(R39-R40) waiting for a reply, around the --as-of time used by benchmarks/due.py.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

#: The moment the benchmark asks about (`lado due --as-of`): a Monday morning, UK time.
AS_OF = "2027-03-01 09:00"
_AS_OF_UTC = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

FIRST = ["John", "Sarah", "Mohammed", "Emma", "David", "Aisha", "James", "Olivia", "Daniel", "Priya", "Tom", "Grace", "Lewis", "Zara", "Ryan", "Chloe"]
LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Khan", "Davies", "Evans", "Patel", "Thomas", "Roberts", "Walker", "Wright", "Hughes", "Green"]
ROLES = ["Teacher", "Teaching assistant", "PE teacher", "Football coach", "Foster carer", "Youth worker", "Nursery practitioner", "Bus driver", "Nurse", "Care worker"]
EMPLOYERS = ["Oak Primary School", "Riverside Academy", "St Mary's C of E Primary", "Hilltop Nursery", "Northfield FC", "County Fostering Service",
             "Brook House Children's Home", "Valley Transport Ltd", "Meadow Leisure Centre", "Castle High School"]  # fmt: skip
SECTORS = ["education", "early-years", "sport", "fostering", "residential-care", "transport", "health", "social-care", "voluntary"]
SOURCES = ["child", "parent-carer", "colleague", "police", "social-care", "third-party", "anonymous", "employment", "self-disclosure"]
CATEGORIES = ["physical", "emotional", "sexual", "neglect", "conduct"]
CRITERIA = ["harm", "offence", "risk", "suitability"]
OWNERS = ["a.officer", "b.lado", "c.manager", "Ann Head", "HR team"]


def build(path: Path, n_cases: int, n_open: int, seed: int) -> dict[str, int]:
    from lado_cli.store.db import Database
    from lado_cli.store.tables import Case, Child, Deadline, Employer, Escalation, EscalationStep, Event, Referrer, Subject

    rnd = random.Random(seed)
    if path.exists():
        raise SystemExit(f"{path} exists; give a new file name")
    db = Database(f"sqlite:///{path.absolute()}")
    t_cases, t_subjects, t_employers, t_children, t_referrers = Case.__table__, Subject.__table__, Employer.__table__, Child.__table__, Referrer.__table__
    t_deadlines, t_events, t_esc, t_steps = Deadline.__table__, Event.__table__, Escalation.__table__, EscalationStep.__table__

    open_ids = set(rnd.sample(range(1, n_cases + 1), n_open))
    start = datetime(2019, 1, 1, tzinfo=UTC)
    span = (_AS_OF_UTC - timedelta(days=1) - start).total_seconds()
    seq_by_year: dict[int, int] = {}
    rows: dict[str, list[dict]] = {k: [] for k in ("cases", "subjects", "employers", "children", "referrers", "deadlines", "events", "esc", "steps")}
    counts = dict.fromkeys(rows, 0)
    esc_id = 0

    def flush(conn, force: bool = False) -> None:
        order = [("cases", t_cases), ("subjects", t_subjects), ("employers", t_employers), ("children", t_children), ("referrers", t_referrers),
                 ("esc", t_esc), ("steps", t_steps), ("deadlines", t_deadlines), ("events", t_events)]  # fmt: skip
        if not force and len(rows["cases"]) < 5000:
            return
        for key, table in order:
            if rows[key]:
                conn.execute(table.insert(), rows[key])
                counts[key] += len(rows[key])
                rows[key].clear()

    def dl(case_id, kind, rule, due, met_at=None, na=False, owner=None, title=None, created=None, esc=None):
        rows["deadlines"].append(dict(case_id=case_id, kind=kind, rule=rule, due=due, target=None, met_at=met_at, not_applicable=na,
                                      owner=owner, note=None, created_at=created or due, title=title, meeting_id=None, escalation_id=esc))  # fmt: skip

    def ev(case_id, at, kind, text, actor="a.officer"):
        rows["events"].append(dict(case_id=case_id, at=at, recorded_at=at, actor=actor, kind=kind, text=text, rationale=None, corrects_id=None))

    with db.begin() as conn:
        for cid in range(1, n_cases + 1):
            is_open = cid in open_ids
            if is_open:  # open cases are recent: the last 18 months, many in the last weeks
                back = rnd.choice([rnd.uniform(0, 40), rnd.uniform(0, 540)])
                received = _AS_OF_UTC - timedelta(days=back, hours=rnd.uniform(1, 48))
            else:
                received = start + timedelta(seconds=rnd.uniform(0, span))
            received = received.replace(microsecond=0)
            arose = received - timedelta(hours=rnd.uniform(1, 60))
            year = received.year
            seq_by_year[year] = seq_by_year.get(year, 0) + 1
            status = "open" if is_open else ("advice-only" if rnd.random() < 0.12 else "closed")
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            rows["cases"].append(dict(
                id=cid, ref=f"LADO-{year}-{seq_by_year[year]:05d}", ref_year=year, ref_seq=seq_by_year[year], status=status,
                recorded_at=received, received=received, concern_arose=arose, happened=None, source=rnd.choice(SOURCES), source_detail=None,
                category=rnd.choice(CATEGORIES), criteria=[] if status == "advice-only" else rnd.sample(CRITERIA, rnd.randint(1, 2)),
                suitability=[], summary="Concern about conduct towards a pupil during a lesson.", immediate_danger=False, out_of_hours=False,
                works_in=None, cross_border=False, closed_at=None if is_open else received + timedelta(days=rnd.uniform(5, 200)),
                version=1, complex=rnd.random() < 0.1, outcome=None, outcome_date=None, employment_outcome=None, employment_outcome_date=None,
            ))  # fmt: skip
            rows["subjects"].append(dict(case_id=cid, name=f"{first} {last}", name_key=f"{first} {last}".lower(), dob=date(1960 + cid % 40, 1 + cid % 12, 1 + cid % 28),
                                         role=rnd.choice(ROLES), employment="paid", status=None, address=None, regulator=None))  # fmt: skip
            rows["employers"].append(dict(case_id=cid, name=rnd.choice(EMPLOYERS), sector=rnd.choice(SECTORS)))
            rows["children"].append(dict(case_id=cid, position=1, name=f"Child {cid}", name_key=f"child {cid}", dob=date(2012, 1 + cid % 12, 1 + cid % 28)))
            rows["referrers"].append(dict(case_id=cid, name="Ann Head", role="Head teacher", organisation=rnd.choice(EMPLOYERS), contact="01632 960001"))
            ev(cid, received, "referral", "Referral received.")
            # R12 met on receipt; R13 24 hours from the concern arising.
            dl(cid, "notify-lado", "R12", arose + timedelta(days=1), met_at=received, created=received)
            if status == "advice-only":
                continue
            disc_due = arose + timedelta(hours=24)
            if is_open and rnd.random() < 0.08:
                dl(cid, "initial-discussion", "R13", disc_due, created=received)  # still to hold
                continue
            held = received + timedelta(hours=rnd.uniform(1, 30))
            dl(cid, "initial-discussion", "R13", disc_due, met_at=held, created=received)
            ev(cid, held, "discussion", "Initial discussion held; threshold met.")
            if rnd.random() < 0.3:  # R14/R15 after a referral to children's social care
                dl(cid, "strategy-discussion", "R14", held + timedelta(hours=24), met_at=held + timedelta(hours=rnd.uniform(2, 30)), created=held)
                dl(cid, "strategy-meeting", "R15", held + timedelta(days=9), met_at=held + timedelta(days=rnd.uniform(3, 12)), created=held)
            # R18 review cycle: every four weeks or so; the last one of an open case is open.
            review = held
            while True:
                review = review + timedelta(days=28)
                if is_open and review > _AS_OF_UTC - timedelta(days=rnd.uniform(0, 30)):
                    dl(cid, "case-review", "R18", review.replace(hour=23, minute=59, second=59), created=review - timedelta(days=28))
                    break
                if not is_open and review > received + timedelta(days=200):
                    break
                if review > _AS_OF_UTC:
                    break
                dl(cid, "case-review", "R18", review.replace(hour=23, minute=59, second=59), met_at=review - timedelta(days=rnd.uniform(0, 3)), created=review)
                ev(cid, review, "review", "Case reviewed.")
            if is_open and rnd.random() < 0.5:  # R20 actions with owners
                for _ in range(rnd.randint(1, 3)):
                    due = _AS_OF_UTC + timedelta(days=rnd.uniform(-20, 20))
                    met = due - timedelta(days=1) if rnd.random() < 0.4 else None
                    dl(cid, "action", "R20", due.replace(hour=23, minute=59, second=59, microsecond=0), met_at=met, owner=rnd.choice(OWNERS),
                       title="Send the minutes to the employer", created=held)  # fmt: skip
            if is_open and rnd.random() < 0.05:  # an escalation waiting for a reply (R39-R40)
                esc_id += 1
                at = _AS_OF_UTC - timedelta(days=rnd.uniform(0, 10))
                rows["esc"].append(dict(id=esc_id, case_id=cid, ladder="lado-to-agency", reason="timescales", opened_at=at, step=1, practice_review=None,
                                        resolved_at=None, resolution=None, recorded_at=at, actor="a.officer"))  # fmt: skip
                rows["steps"].append(dict(escalation_id=esc_id, step=1, contacted="Line manager", at=at, response=None, recorded_at=at, actor="a.officer"))
                dl(cid, "escalation-response", "R39", (at + timedelta(days=5)).replace(hour=23, minute=59, second=59), owner="Line manager",
                   title="Reply from Line manager (step 1)", created=at, esc=esc_id)  # fmt: skip
                ev(cid, at, "escalation", "Escalation opened (R39).")
            if not is_open:
                ev(cid, received + timedelta(days=150), "close", "Case closed.")
            flush(conn)
        flush(conn, force=True)
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    return counts


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("path", type=Path)
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--open", type=int, default=3_000)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    t = time.perf_counter()
    counts = build(a.path, a.cases, min(a.open, a.cases), a.seed)
    took = time.perf_counter() - t
    print(f"{a.path}: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + f" in {took:.1f} s")


if __name__ == "__main__":
    main()
