"""Honest saves and clear waits (issue #12, items 2 and 7): what is committed is reported as
saved whatever happens to the output afterwards; output that cannot be written is a
non-zero exit; an import never overwrites a later change; a lock held by another user
gives one clear line; dry runs only read; every unexpected error class is one line.

Real processes writing into /dev/full and into a pipe nobody reads, a real SQLite write
lock, a real file-size limit, a real PostgreSQL session holding a lock."""

from __future__ import annotations

import csv
import io
import json
import os
import resource
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REFERRAL

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "referrals.csv"


def run(*args: str, stdout=subprocess.PIPE, env: dict | None = None, preexec_fn=None) -> subprocess.CompletedProcess:
    """`lado ARGS` as a real process (the environment of the test: LADO_DB, LADO_NOW...)."""
    return subprocess.run([sys.executable, "-m", "lado_cli", *args], stdout=stdout, stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, **(env or {})), preexec_fn=preexec_fn, timeout=120)  # fmt: skip


def refs(lado) -> list[str]:
    return [c["ref"] for c in json.loads(lado("list", "--all", "-f", "json").stdout)]


# -- item 2: honest saves -------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["due", "-f", "json"], ["due", "-f", "ics"], ["due", "-f", "html"], ["due", "-f", "csv"],
                                  ["due"], ["export"], ["export", "-f", "json"], ["list"], ["list", "-f", "json"]])  # fmt: skip
def test_a_read_into_a_full_disk_is_a_non_zero_exit(lado, args):
    assert lado("import", str(EXAMPLE)).exit_code == 0
    with open("/dev/full", "w") as full:
        r = run(*args, stdout=full)
    assert r.returncode == 1
    assert r.stderr == "Error: the output could not be written (No space left on device); it is incomplete.\n"


def test_a_referral_saved_into_a_full_stdout_says_it_was_saved(lado):
    with open("/dev/full", "w") as full:
        r = run("refer", "--no-input", *REFERRAL, stdout=full)
    assert r.returncode == 1 and "nothing was saved" not in r.stderr
    assert r.stderr.endswith(
        "Error: Saved LADO-2026-0001, but its confirmation could not be written (No space left on device); do not repeat it (see lado show or lado list).\n"
    )
    assert refs(lado) == ["LADO-2026-0001"]  # saved indeed, once


def test_a_step_saved_into_a_closed_pipe_says_it_was_saved(lado):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader went away before lado printed its confirmation
    try:
        r = run("note", "LADO-2026-0001", "--text", "Phoned the head teacher.", stdout=write_end)
    finally:
        os.close(write_end)
    assert r.returncode == 1
    assert r.stderr.startswith("Error: Saved LADO-2026-0001, but its confirmation could not be written (Broken pipe)")
    timeline = json.loads(lado("show", "LADO-2026-0001", "-f", "json").stdout)["timeline"]
    assert [e["text"] for e in timeline][-1] == "Phoned the head teacher."


def test_a_read_into_a_closed_pipe_is_a_quiet_non_zero_exit(lado):
    assert lado("import", str(EXAMPLE)).exit_code == 0
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        r = run("export", "--all", stdout=write_end)
    finally:
        os.close(write_end)
    assert r.returncode == 1 and r.stderr == ""  # like `lado export | head`: no noise, but not success


def test_ctrl_c_just_after_the_commit_does_not_say_nothing_was_saved(lado, monkeypatch):
    from lado_cli.cli import views

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt  # the user pressed Ctrl-C as the confirmation was being printed

    with monkeypatch.context() as patched:
        patched.setattr(views, "saved", interrupted)
        r = lado("refer", "--no-input", *REFERRAL)
    assert r.exit_code == 130
    assert r.stderr.strip().splitlines()[-1] == "Cancelled, but saved LADO-2026-0001 first; do not enter it again."
    r = lado("list", "--all", "-f", "json")
    assert r.exit_code == 0, r.stderr
    assert [c["ref"] for c in json.loads(r.stdout)] == ["LADO-2026-0001"]


def test_ctrl_c_before_any_commit_still_says_nothing_was_saved(lado, monkeypatch):
    from lado_cli.store import cases

    def interrupted(*_args, **_kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(cases, "insert_referral", interrupted)
    monkeypatch.setattr("lado_cli.cli.refer.insert_referral", interrupted, raising=False)
    r = lado("refer", "--no-input", *REFERRAL)
    assert r.exit_code == 130 and r.stderr.strip().splitlines()[-1] == "Cancelled; nothing was saved."


def test_an_error_after_a_commit_says_what_was_saved():
    import typer
    from typer.testing import CliRunner

    from lado_cli import saved
    from lado_cli.cli.app import LadoGroup
    from lado_cli.errors import LadoError

    app = typer.Typer(cls=LadoGroup)

    @app.command()
    def boom(commit: bool = False) -> None:
        if commit:
            saved.committed()
            saved.name("LADO-2026-0007")
        raise LadoError("the audit line could not be added; nothing was saved")

    @app.command()
    def other() -> None:
        pass

    assert CliRunner().invoke(app, ["boom"]).stderr == "Error: the audit line could not be added; nothing was saved\n"
    r = CliRunner().invoke(app, ["boom", "--commit"])
    assert r.stderr == "Error: Saved LADO-2026-0007, but then: the audit line could not be added; nothing was saved\n"
    assert CliRunner().invoke(app, ["boom"]).stderr.startswith("Error: the audit")  # reset for each command


# -- item 2: import --on-conflict update never overwrites a later change ------------------------------


def export_csv(lado) -> list[dict]:
    return list(csv.DictReader(io.StringIO(lado("export", "--all").stdout)))


def write_rows(path: Path, rows: list[dict]) -> Path:
    buf = io.StringIO()
    w = csv.DictWriter(buf, list(rows[0]), lineterminator="\r\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return path


def referral_row(**changes: str) -> dict:
    """REFERRAL (conftest) as an import row."""
    row = {k.lstrip("-"): v for k, v in zip(REFERRAL[::2], REFERRAL[1::2], strict=True) if k != "--criteria"}
    return {"ref": "", **row, "criteria": "harm;risk", **changes}


def test_an_old_export_cannot_erase_a_later_outcome(lado, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    old = write_rows(tmp_path / "old.csv", export_csv(lado))
    assert old.read_text().splitlines()[0].endswith(",closed,version") and old.read_text().splitlines()[1].endswith(",1")
    r = lado("outcome", "LADO-2026-0001", "--no-input", "--outcome", "substantiated", "--date", "23/12/2026", "--rationale", "Two witnesses.")
    assert r.exit_code == 0, r.stderr
    r = lado("import", str(old), "--on-conflict", "update")
    assert r.exit_code == 1
    assert ("row 2: case LADO-2026-0001 was changed after this file was exported (version 1 in the file, 2 stored); "
            "expected a fresh `lado export` with the change made again") in r.stderr  # fmt: skip
    assert json.loads(lado("show", "LADO-2026-0001", "-f", "json").stdout)["outcome"]["outcome"] == "substantiated"
    assert "nothing was imported" in lado("import", str(old), "--on-conflict", "update", "--dry-run").stderr


def test_an_update_without_the_version_column_is_refused(lado, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    rows = export_csv(lado)
    for row in rows:
        del row["version"]
    r = lado("import", str(write_rows(tmp_path / "hand.csv", rows)), "--on-conflict", "update")
    assert r.exit_code == 1 and "row 2: column version is empty for case LADO-2026-0001" in r.stderr
    assert lado("import", str(tmp_path / "hand.csv"), "--on-conflict", "skip").exit_code == 0  # skipping needs no version


def test_an_update_records_every_value_it_replaces(lado, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    rows = export_csv(lado)
    rows[0].update({"summary": "Grabbed a pupil by the wrist.", "subject-role": "Sports coach", "child-name": "Amy Jones;Ben Jones",
                    "child-dob": "03/04/2016;unknown"})  # fmt: skip
    r = lado("import", str(write_rows(tmp_path / "new.csv", rows)), "--on-conflict", "update")
    assert r.exit_code == 0 and "0 added, 1 updated" in r.stdout
    case = json.loads(lado("show", "LADO-2026-0001", "-f", "json").stdout)
    text = case["timeline"][-1]["text"]
    assert text.startswith("Updated from new.csv, row 2. Replaced: ")
    assert "summary was 'Grabbed a pupil by the arm in a PE lesson.', now 'Grabbed a pupil by the wrist.'" in text
    assert "adult's role was 'PE teacher', now 'Sports coach'" in text
    assert "children were 'Amy Jones (2016-04-03)'" in text
    assert "employer" not in text  # unchanged values are not listed
    assert case["summary"] == "Grabbed a pupil by the wrist."
    # the same file again: the version moved on, so it is refused
    assert "version 1 in the file, 2 stored" in lado("import", str(tmp_path / "new.csv"), "--on-conflict", "update").stderr


@pytest.mark.parametrize("ref,ok", [("LADO-2019-999999", True), ("LADO-2019-1000000", False), ("LADO-2019-999999999", False),
                                    ("LADO-2019-0000999999", True)])  # fmt: skip
def test_imported_case_numbers_are_at_most_six_digits(lado, tmp_path, ref, ok):
    r = lado("import", str(write_rows(tmp_path / "refs.csv", [referral_row(ref=ref)])))
    if ok:
        assert r.exit_code == 0, r.stderr
        assert lado("refer", "--no-input", *REFERRAL[:-2], "--referrer-contact", "x").exit_code == 0  # the year still has numbers
    else:
        assert r.exit_code == 1
        assert f"row 2, column ref: value '{ref}' has a case number over 999999; expected a reference numbered 1 to 999999" in r.stderr


# -- item 7: waiting and limits ---------------------------------------------------------------------


def test_a_dry_run_reads_only_while_another_user_holds_the_write_lock(lado):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    holder = sqlite3.connect(os.environ["LADO_DB"], isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another officer's change, not yet committed
        r = run("import", str(EXAMPLE), "--dry-run", env={"LADO_LOCK_TIMEOUT": "0.5"})
        assert r.returncode == 0 and "would add 7" in r.stdout, r.stderr
        r = run("import", str(EXAMPLE), env={"LADO_LOCK_TIMEOUT": "0.5"})
        assert r.returncode == 1
        assert r.stderr == "Error: busy: the database is locked by another user's change; nothing was saved: try again in a moment\n"
    finally:
        holder.close()
    assert len(refs(lado)) == 1


@pytest.mark.parametrize("value", ["0", "-1", "soon", "3601"])
def test_a_bad_lock_timeout_is_one_line(lado, monkeypatch, value):
    monkeypatch.setenv("LADO_LOCK_TIMEOUT", value)
    r = lado("list")
    assert r.exit_code == 1 and r.stderr.startswith(f"Error: env LADO_LOCK_TIMEOUT: '{value}' is not usable; expected seconds")


def test_a_lock_held_on_postgresql_is_a_clear_line_naming_the_holder(lado, request, monkeypatch):
    psycopg = pytest.importorskip("psycopg")
    server = request.getfixturevalue("pg_server")
    url = server.create_database()
    request.addfinalizer(lambda: server.drop_database(url))
    monkeypatch.setenv("LADO_DB", url)
    monkeypatch.setenv("LADO_LOCK_TIMEOUT", "0.5")
    assert lado("db", "init").exit_code == 0
    holder = psycopg.connect("postgresql://" + url.split("://", 1)[1])
    try:
        user = holder.execute("SELECT current_user").fetchone()[0]
        holder.execute("LOCK TABLE cases IN EXCLUSIVE MODE")  # an unfinished change by another session
        r = lado("refer", "--no-input", *REFERRAL)
        assert r.exit_code == 1
        line = r.stderr.strip().splitlines()[-1]
        assert line.startswith(f"Error: busy: the database is locked by a change by {user} (since ")
        assert line.endswith("not yet finished; nothing was saved: try again in a moment")
        assert lado("list", "-f", "json").stdout.strip() == "[]"  # reads are not blocked by it
    finally:
        holder.rollback()
        holder.close()
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0


def test_a_read_only_database_is_one_line(lado):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    r = run("note", "LADO-2026-0001", "--text", "x", env={"LADO_DB": f"sqlite:///file:{os.environ['LADO_DB']}?mode=ro&uri=true"})
    assert r.returncode == 1
    assert r.stderr == "Error: the database is read-only for you; nothing was saved: ask for write access (the file needs chmod 600 and to be yours)\n"


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MB file system (tmpfs), when this user may mount one (root in CI)."""
    where = tmp_path / "small"
    where.mkdir(mode=0o700)
    if os.geteuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(where)], capture_output=True).returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_a_full_disk_under_the_database_is_one_line(lado, tmp_path, small_disk, monkeypatch):
    monkeypatch.setenv("LADO_DB", str(small_disk / "lado.db"))
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    many = [referral_row(**{"subject-name": f"Adult {i}", "summary": "x" * 500}) for i in range(3000)]
    r = run("import", str(write_rows(tmp_path / "many.csv", many)))
    assert r.returncode == 1
    assert r.stderr == "Error: the disk holding the database is full; nothing was saved: free some space and try again\n"
    assert refs(lado) == ["LADO-2026-0001"]


def test_a_file_size_limit_under_the_database_is_one_line(lado, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    limit = Path(os.environ["LADO_DB"]).stat().st_size + 16 * 4096  # room to grow a little, not by 2,000 cases

    def file_size_limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    many = [referral_row(**{"subject-name": f"Adult {i}"}) for i in range(2000)]
    r = run("import", str(write_rows(tmp_path / "many.csv", many)), preexec_fn=file_size_limit)
    assert r.returncode == 1
    assert r.stderr == "Error: the database file could not be read or written (disk I/O error); nothing was saved: check the disk\n"
    assert refs(lado) == ["LADO-2026-0001"]


@pytest.mark.parametrize("within,ok", [("3660", True), ("3661", False), ("99999999999999999999", False)])
def test_due_within_is_at_most_ten_years(lado, within, ok):
    r = lado("due", "--within", within, "-f", "json")
    if ok:
        assert r.exit_code == 0 and r.stdout.strip() == "[]"
    else:
        assert r.exit_code == 1
        assert r.stderr == f"Error: --within: '{within}' is more than ten years ahead; expected a number of days from 0 to 3660\n"


def test_profile_files_that_are_not_small_regular_files_are_refused(lado, tmp_path):
    r = lado("--profile", "/dev/zero", "list")
    assert r.exit_code == 1 and r.stderr == "Error: profile /dev/zero: not a regular file; expected a TOML profile file\n"
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)  # opening must not wait for a writer
    assert lado("--profile", str(fifo), "list").stderr.endswith("not a regular file; expected a TOML profile file\n")
    one_mb = tmp_path / "big.toml"
    head = b'name = "Big"\n#'
    one_mb.write_bytes(head + b"x" * (1024 * 1024 - len(head) - 1) + b"\n")
    assert one_mb.stat().st_size == 1024 * 1024
    assert lado("--profile", str(one_mb), "profile", "show").exit_code == 0  # exactly 1 MB: read
    one_mb.write_bytes(one_mb.read_bytes() + b"\n")
    r = lado("--profile", str(one_mb), "list")
    assert r.exit_code == 1 and r.stderr.endswith("larger than 1 MB; expected a TOML profile file (a few kilobytes)\n")


def test_invalid_utf8_import_names_the_encoding_option(lado, tmp_path):
    data = EXAMPLE.read_bytes().replace("Daniel".encode(), "Dani\xe9l".encode("latin-1"), 1)
    path = tmp_path / "latin.csv"
    path.write_bytes(data)
    r = lado("import", str(path))
    assert r.exit_code == 1 and "is not utf-8-sig text" in r.stderr and "--encoding cp1252" in r.stderr
