"""How long `lado --help` takes next to a bare typer app's `--help`, side by side.

Goal (issue 2): at most 1.5x the bare app. Run: python benchmarks/startup.py [RUNS]
Not a test: timings depend on the machine; CI does not run it.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BARE_APP = '''
import typer

app = typer.Typer(help="A bare typer app with one option and two commands.")


@app.callback()
def root(db: str = typer.Option(None, "--db", help="A database.")) -> None:
    """Root."""


@app.command()
def refer(name: str = typer.Option(None, help="A name.")) -> None:
    """Record something."""


@app.command()
def show(ref: str) -> None:
    """Show something."""


app()
'''


def timed(cmd: list[str], runs: int) -> list[float]:
    subprocess.run(cmd, capture_output=True, check=True)  # warm the OS caches
    out = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True)
        out.append(time.perf_counter() - t)
    return out


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    with tempfile.TemporaryDirectory() as d:
        bare = Path(d) / "bare.py"
        bare.write_text(BARE_APP)
        python = sys.executable
        results = {}
        # Interleave the two so that machine load affects both alike.
        for _ in range(runs):
            for name, cmd in (("bare typer --help", [python, str(bare), "--help"]), ("lado --help", [python, "-m", "lado_cli", "--help"])):
                results.setdefault(name, []).extend(timed(cmd, 1))
    med = {k: statistics.median(v) for k, v in results.items()}
    for name, values in results.items():
        print(f"{name:20s} median {med[name] * 1000:6.1f} ms   min {min(values) * 1000:6.1f} ms   ({len(values)} runs)")
    ratio = med["lado --help"] / med["bare typer --help"]
    print(f"ratio lado/bare: {ratio:.2f}x (goal <= 1.5x)")


if __name__ == "__main__":
    main()
