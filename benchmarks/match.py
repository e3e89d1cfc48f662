"""How long R11a matching at intake takes (issue 14): 100,000 stored adults plus two other
authorities' indexes of 100,000 adults each. Goal: under 0.5 s per intake. Not a test.

    python benchmarks/match.py /tmp/lado-match.db [QUERIES]

Builds the database once (benchmarks/generate.py, then the matching keys and two imported
indexes), then times `find_matches` + `index_hits` (what `lado refer` and `lado match` run)
for QUERIES intakes: half are close variants of stored adults, half new people.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FIRST = ["john", "jon", "jonathan", "sarah", "mohammed", "emma", "david", "aisha", "james", "olivia", "daniel", "priya",
         "tom", "grace", "lewis", "zara", "ryan", "chloe", "liz", "robert", "bob", "kwame", "mei", "siobhan"]  # fmt: skip
LAST = ["smith", "smyth", "jones", "taylor", "brown", "williams", "wilson", "khan", "davies", "evans", "patel", "thomas",
        "roberts", "walker", "wright", "hughes", "green", "okafor", "nowak", "chen", "murphy", "obrien"]  # fmt: skip


def _people(rng: random.Random, n: int):
    from lado_cli.domain.matching import Identity

    for _ in range(n):
        yield Identity((f"{rng.choice(FIRST)} {rng.choice(LAST)}",), date(1955, 1, 1) + timedelta(days=rng.randrange(45 * 365)))


def build(path: Path) -> None:
    import sqlalchemy as sa
    from generate import build as build_cases

    from lado_cli.domain import matching as m
    from lado_cli.store.db import Database
    from lado_cli.store.matching import rebuild_keys, store_index
    from lado_cli.store.tables import subjects

    t0 = time.perf_counter()
    build_cases(path, 100_000, 3000, 1)
    db = Database(f"sqlite:///{path}")
    rng = random.Random(14)
    with db.begin() as conn:  # richer names than generate.py's, then the keys (as migration 0011 does)
        ids = [r[0] for r in conn.execute(sa.select(subjects.c.id))]
        rows = [{"sid": i, "n": p.names[0].title(), "d": p.dob} for i, p in zip(ids, _people(rng, len(ids)), strict=False)]
        conn.execute(subjects.update().where(subjects.c.id == sa.bindparam("sid")).values(name=sa.bindparam("n"), dob=sa.bindparam("d")), rows)
        rebuild_keys(conn)
        nick = m.default_nicknames()
        for authority in ("Northshire Council", "Southshire Council"):
            key = authority.encode() * 4
            tokens = sorted({m.hmac_token(key, t) for p in _people(rng, 100_000) for t in m.index_tokens(p, nick, variants=False)})
            store_index(conn, authority=authority, contact=f"lado@{authority.split()[0].lower()}.example", key=key, tokens=tokens,
                        now=datetime.now(UTC))  # fmt: skip
    db.dispose()
    print(f"built in {time.perf_counter() - t0:.0f} s")


def main() -> None:
    import sqlalchemy as sa

    from lado_cli.domain import matching as m
    from lado_cli.store.db import Database
    from lado_cli.store.matching import find_matches, index_hits
    from lado_cli.store.tables import index_tokens, match_keys, subjects

    path = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    if not path.exists():
        build(path)
    db = Database(f"sqlite:///{path}")
    nick, t = m.default_nicknames(), m.Thresholds()
    rng = random.Random(5)
    with db.read() as conn:
        counts = [conn.execute(sa.select(sa.func.count()).select_from(x)).scalar_one() for x in (subjects, match_keys, index_tokens)]
        print(f"{counts[0]} adults, {counts[1]} matching keys, {counts[2]} index tokens")
        stored = [m.Identity((r.name,), r.dob) for r in conn.execute(sa.select(subjects.c.name, subjects.c.dob).limit(n // 2))]
        queries = [m.Identity((f"{p.names[0].split()[0][:3]} {p.names[0].split()[-1]}",), p.dob) for p in stored] + list(_people(rng, n - len(stored)))
        times, found = [], 0
        for q in queries:
            t0 = time.perf_counter()
            hits = find_matches(conn, q, nick=nick, thresholds=t)
            index_hits(conn, q)
            times.append(time.perf_counter() - t0)
            found += bool(hits)
    print(f"{len(queries)} intakes: median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms; {found} with matches")
    db.dispose()


if __name__ == "__main__":
    main()
