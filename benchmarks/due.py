"""How long `lado due --format json` takes on a large database, next to a reference script
that runs the same query with plain `sqlite3` after `import sqlalchemy` (the floor of any
SQLModel application: the interpreter, SQLAlchemy's import and the query itself).

Goal (issue 4): lado at most 2x the reference. Not a test: timings depend on the machine.

    python benchmarks/generate.py /tmp/lado-bench.db      # once (about half a minute)
    python benchmarks/due.py /tmp/lado-bench.db [RUNS]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import AS_OF  # noqa: E402

# The same SQL as lado_cli.store.reports.due_deadlines (without filters), as SQLAlchemy
# compiles it for SQLite, and the same JSON-ready keys. `until` is the end of the day seven
# days after AS_OF, in UTC (2027-03-08 23:59:59 GMT).
REFERENCE = '''
import json, sqlite3, sys
import sqlalchemy  # noqa: F401  (the floor of a SQLModel application)

SQL = """
SELECT deadlines.id, cases.ref, deadlines.kind, deadlines.rule, deadlines.title, deadlines.due, deadlines.target,
       deadlines.owner, deadlines.escalation_id, subjects.name AS subject, employers.name AS employer
FROM deadlines JOIN cases ON cases.id = deadlines.case_id
LEFT OUTER JOIN subjects ON subjects.case_id = cases.id
LEFT OUTER JOIN employers ON employers.case_id = cases.id
WHERE deadlines.case_id IN (SELECT cases.id FROM cases WHERE cases.status = ?)
  AND deadlines.met_at IS NULL AND deadlines.not_applicable = 0 AND deadlines.due <= ?
ORDER BY deadlines.due, deadlines.id
"""
con = sqlite3.connect(sys.argv[1])
cur = con.execute(SQL, ("open", "2027-03-08 23:59:59.000000"))
names = [c[0] for c in cur.description]
rows = [dict(zip(names, r)) for r in cur]
sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\\n")
'''


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, bytes]:
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, check=True, env=env).stdout
    return time.perf_counter() - t, out


def main() -> None:
    db = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/lado-bench.db")
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    if not db.exists():
        raise SystemExit(f"{db} does not exist; make it with: python benchmarks/generate.py {db}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LADO_")} | {"LADO_DB": str(db)}
    python = sys.executable
    with tempfile.TemporaryDirectory() as d:
        ref_script = Path(d) / "reference.py"
        ref_script.write_text(REFERENCE)
        cmds = {
            "reference (sqlite3)": [python, str(ref_script), str(db)],
            "lado due --format json": [python, "-m", "lado_cli", "due", "--format", "json", "--as-of", AS_OF],
        }
        outputs = {name: run(cmd, env)[1] for name, cmd in cmds.items()}  # warm the OS caches
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(runs):  # interleaved, so that machine load affects both alike
            for name, cmd in cmds.items():
                times[name].append(run(cmd, env)[0])
    n_ref = len(json.loads(outputs["reference (sqlite3)"]))
    n_lado = len(json.loads(outputs["lado due --format json"]))
    med = {k: statistics.median(v) for k, v in times.items()}
    for name, values in times.items():
        print(f"{name:24s} median {med[name] * 1000:7.1f} ms   min {min(values) * 1000:7.1f} ms   ({len(values)} runs)")
    print(f"rows: reference {n_ref}, lado {n_lado}" + ("" if n_ref == n_lado else "  (DIFFERENT)"))
    ratio = med["lado due --format json"] / med["reference (sqlite3)"]
    print(f"ratio lado/reference: {ratio:.2f}x (goal <= 2x)")


if __name__ == "__main__":
    main()
