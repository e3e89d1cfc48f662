"""`lado import` of a large spreadsheet against a plain-sqlite3 reference, side by side.

Goal (issue 5): lado at most 3x the reference's time, with peak memory under 300 MB.
The reference parses the same CSV with `csv`, converts the dates, and writes the same rows
(case, adult, employer, referrer, children, time limits, chronology) into the same schema
with `sqlite3.executemany` in one transaction: the floor for this work in Python.

Run: python benchmarks/import_bench.py [ROWS]   (default 100000). Not a test; CI skips it.
"""

from __future__ import annotations

import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COLUMNS = ["subject-name", "subject-dob", "subject-role", "employment", "employer", "sector", "concern-arose", "received",
           "source", "category", "summary", "criteria", "child-name", "child-dob", "referrer-name", "referrer-role",
           "referrer-org", "referrer-contact", "outcome", "employment-outcome", "outcome-date", "closed"]  # fmt: skip
FIRST = ["Daniel", "Sarah", "Gareth", "Aisha", "Peter", "Lucy", "Mark", "Karen", "Tom", "Priya", "James", "Emma"]
LAST = ["Price", "Khan", "Lloyd", "Rahman", "Walsh", "Hart", "Bennett", "Doyle", "Evans", "Patel", "Jones", "Smith"]
SECTORS = ["education", "early-years", "sport", "health", "residential-care", "fostering", "faith", "transport"]
SOURCES = ["child", "parent-carer", "colleague", "police", "social-care", "third-party"]
CATEGORIES = ["physical", "emotional", "sexual", "neglect", "conduct"]
KIDS = ["Oliver", "Amelia", "Noah", "Isla", "Leo", "Ava", "Arthur", "Mia", "Harry", "Ivy", "Oscar", "Freya"]


def tag(i: int) -> str:
    """Letters that make row i's surname its own ("Price" + "bcd"): the adults and children of a
    file are different people, as in a real one. (Numbers as names, "Child 123", made every two
    people born the same day with the same first name a possible R11a match, which the history
    check of an import then reports: no real file is like that.)"""
    out = ""
    while True:
        i, r = divmod(i, 26)
        out += "abcdefghijklmnopqrstuvwxyz"[r]
        if not i:
            return out


def make_csv(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(COLUMNS)
        for i in range(rows):
            day, month, year = rnd.randint(1, 28), rnd.randint(1, 12), rnd.choice([2020, 2021, 2022, 2023, 2024])
            historic = rnd.random() < 0.95  # most cases closed, a few thousand open
            w.writerow([
                f"{rnd.choice(FIRST)} {rnd.choice(LAST)}{tag(i)}", f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1955, 2000)}",
                "Teacher", "paid", f"School {i % 500}", rnd.choice(SECTORS),
                f"{day:02d}/{month:02d}/{year} 10:{rnd.randint(10, 59)}", f"{day:02d}/{month:02d}/{year} 16:05",
                rnd.choice(SOURCES), rnd.choice(CATEGORIES), "A concern was raised, with details, commas, and \"quotes\".",
                "harm;risk", f"{rnd.choice(KIDS)} {rnd.choice(LAST)}{tag(i + 7)}", f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{year - rnd.randint(5, 15)}",
                "A Referrer", "Head teacher", f"School {i % 500}", "01632 960000",
                "unsubstantiated" if historic else "", "no-action" if historic else "",
                f"{day:02d}/{month:02d}/{year + 1}" if historic else "", f"{day:02d}/{month:02d}/{year + 1}" if historic else "",
            ])  # fmt: skip


REFERENCE = r'''
import csv, sqlite3, sys, json
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo
tz = ZoneInfo("Europe/London")
def instant(text):
    return datetime.strptime(text, "%d/%m/%Y %H:%M").replace(tzinfo=tz).astimezone(timezone.utc).replace(tzinfo=None)
def day(text):
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None
con = sqlite3.connect(sys.argv[2], isolation_level=None)
con.execute("BEGIN")
now = datetime.now(timezone.utc).replace(tzinfo=None)
with open(sys.argv[1], encoding="utf-8-sig", newline="") as f:
    r = csv.DictReader(f)
    batch = []
    cid = 0
    def flush(batch):
        con.executemany("INSERT INTO cases (id, ref, ref_year, ref_seq, status, recorded_at, received, concern_arose, source, category, criteria, suitability, summary, immediate_danger, out_of_hours, cross_border, version, complex, outcome, outcome_date, employment_outcome, employment_outcome_date, closed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,0,0,0,1,0,?,?,?,?,?)", [b[0] for b in batch])
        con.executemany("INSERT INTO subjects (case_id, name, name_key, dob, role, employment) VALUES (?,?,?,?,?,?)", [b[1] for b in batch])
        con.executemany("INSERT INTO employers (case_id, name, sector) VALUES (?,?,?)", [b[2] for b in batch])
        con.executemany("INSERT INTO referrers (case_id, name, role, organisation, contact) VALUES (?,?,?,?,?)", [b[3] for b in batch])
        con.executemany("INSERT INTO children (case_id, position, name, name_key, dob) VALUES (?,1,?,?,?)", [b[4] for b in batch])
        con.executemany("INSERT INTO deadlines (case_id, kind, rule, due, not_applicable, created_at) VALUES (?,?,?,?,0,?)", [d for b in batch for d in b[5]])
        con.executemany("INSERT INTO events (case_id, at, recorded_at, actor, kind, text) VALUES (?,?,?,?,?,?)", [b[6] for b in batch])
    for row in r:
        cid += 1
        received, arose = instant(row["received"]), instant(row["concern-arose"])
        closed = day(row["closed"])
        deadlines = [] if closed else [(cid, "notify-lado", "R12", arose + timedelta(days=1), now), (cid, "initial-discussion", "R13", arose + timedelta(hours=24), now)]
        batch.append((
            (cid, f"LADO-{received.year}-{cid:06d}", received.year, cid, "closed" if closed else "open", now, received, arose, row["source"], row["category"],
             json.dumps(row["criteria"].split(";")), "[]", row["summary"], row["outcome"] or None, day(row["outcome-date"]), row["employment-outcome"] or None, day(row["outcome-date"]), closed),
            (cid, row["subject-name"], " ".join(row["subject-name"].casefold().split()), day(row["subject-dob"]), row["subject-role"], row["employment"]),
            (cid, row["employer"], row["sector"]),
            (cid, row["referrer-name"], row["referrer-role"], row["referrer-org"], row["referrer-contact"]),
            (cid, row["child-name"], row["child-name"].casefold(), day(row["child-dob"])),
            deadlines,
            (cid, received, now, "bench", "import", "Imported: " + row["summary"]),
        ))
        if len(batch) >= 2000:
            flush(batch); batch = []
    flush(batch)
con.execute("COMMIT")
'''

MEASURE = "import resource, subprocess, sys, time; t = time.perf_counter(); p = subprocess.run(sys.argv[1:], capture_output=True); dt = time.perf_counter() - t; assert p.returncode == 0, p.stderr.decode()[-2000:]; print(dt, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"


def measure(cmd: list[str], env: dict) -> tuple[float, float]:
    p = subprocess.run([sys.executable, "-c", MEASURE, *cmd], env=env, capture_output=True, text=True)
    if p.returncode:
        raise SystemExit(f"{' '.join(cmd[:3])} failed:\n{p.stderr[-3000:]}")
    out = p.stdout.split()
    return float(out[0]), int(out[1]) / 1024  # seconds, MB


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        data = tmp / "cases.csv"
        make_csv(data, rows)
        env = dict(os.environ, LADO_NOW="2026-11-20 12:00", LADO_USER="bench", LADO_NO_INPUT="1")
        env.pop("LADO_PROFILE", None)
        # Both start from an empty database with lado's schema (creating it is not timed).
        for name in ("ref.db", "lado.db"):
            p = subprocess.run([sys.executable, "-m", "lado_cli", "--db", str(tmp / name), "list"], env=env, capture_output=True, text=True)
            assert p.returncode == 0, p.stderr
        ref_script = tmp / "reference.py"
        ref_script.write_text(REFERENCE)
        ref_t, ref_mb = measure([sys.executable, str(ref_script), str(data), str(tmp / "ref.db")], env)
        lado_t, lado_mb = measure([sys.executable, "-m", "lado_cli", "--db", str(tmp / "lado.db"), "import", str(data)], env)
        print(f"rows: {rows:,} ({data.stat().st_size / 1e6:.1f} MB CSV)")
        print(f"reference (csv + sqlite3.executemany): {ref_t:6.2f} s, peak {ref_mb:6.1f} MB")
        print(f"lado import:                           {lado_t:6.2f} s, peak {lado_mb:6.1f} MB")
        print(f"ratio lado/reference: {lado_t / ref_t:.2f}x (goal <= 3x); peak memory goal < 300 MB")


if __name__ == "__main__":
    start = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - start:.0f} s)")
