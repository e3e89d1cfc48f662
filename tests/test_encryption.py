"""Encryption at rest (issue 6, item 4): `lado db init --encrypt`, opening an encrypted file
with env LADO_KEY (or a hidden prompt), wrong and missing keys, `lado db rekey`,
`lado db encrypt`, encrypted backups. Real SQLCipher files throughout, read back as bytes."""

from __future__ import annotations

import os
import shutil
import stat
import sys

import pytest
from conftest import NOW, REFERRAL, with_flags
from typer.testing import CliRunner

pytest.importorskip("sqlcipher3")

from lado_cli.store.db import SQLITE_HEADER, Database, resolve_url  # noqa: E402

KEY = "correct horse battery staple"
NEW_KEY = "a different, longer passphrase"
NAME = "Persephone Quackenbush"  # appears nowhere else, so a byte search is meaningful
SUMMARY = "Shouted at a pupil during the swimming gala."
SECRET_REFERRAL = with_flags(REFERRAL, subject_name=NAME, summary=SUMMARY)


@pytest.fixture
def db_file(tmp_path):
    return tmp_path / "lado.db"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """An encrypted database with one referral, made once (each open derives the key from
    the passphrase, deliberately slow): `lado db init --encrypt`, `lado refer`, then a
    `lado db backup` so that it is one complete file."""
    from lado_cli.cli.app import app

    folder = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        for var, value in {"LADO_DB": str(folder / "lado.db"), "LADO_KEY": KEY, "LADO_NOW": NOW, "LADO_USER": "tester"}.items():
            mp.setenv(var, value)
        for args in (["db", "init", "--encrypt"], ["refer", "--no-input", *SECRET_REFERRAL], ["db", "backup", str(folder / "template.db")]):
            r = CliRunner().invoke(app, args, catch_exceptions=False)
            assert r.exit_code == 0, r.stderr
    return folder / "template.db"


@pytest.fixture
def encrypted(template, monkeypatch, db_file):
    """This test's database: a copy of the template (mode 0600 kept), and LADO_KEY its key."""
    shutil.copy2(template, db_file)
    monkeypatch.setenv("LADO_KEY", KEY)
    return db_file


def leaks(path) -> list[str]:
    """Which of the referral's texts (or the keys) appear in the file's bytes."""
    data = path.read_bytes()
    return [text for text in (NAME, SUMMARY, "Oak Primary School", KEY, NEW_KEY) if text.encode() in data]


def triggers(path, key: str) -> list[str]:
    """The chronology's guard triggers (R37a) in the file: a copy must keep them."""
    db = Database(resolve_url(str(path)), key=key)
    with db.read() as conn:
        names = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").scalars().all()
    db.dispose()
    return names


GUARDS = ["audit_log_no_delete", "audit_log_no_update", "events_no_delete", "events_no_update"]  # R37a, and the audit log (0007)


def one_line_error(r) -> str:
    assert r.exit_code == 1, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in r.stderr, r.stderr
    assert KEY not in r.stderr and NEW_KEY not in r.stderr
    return lines[0]


def test_init_encrypt_makes_a_private_file_that_shows_nothing_in_plain(lado, monkeypatch, db_file):
    monkeypatch.setenv("LADO_KEY", KEY)
    r = lado("db", "init", "--encrypt")
    assert r.exit_code == 0 and "encrypted" in r.stdout, r.stderr
    assert lado("refer", "--no-input", *SECRET_REFERRAL).exit_code == 0
    assert stat.S_IMODE(os.stat(db_file).st_mode) == 0o600
    assert db_file.read_bytes()[:16] != SQLITE_HEADER
    assert leaks(db_file) == []
    # Every command has ended, so the write-ahead log was folded into the file and removed
    # (test_the_write_ahead_log_is_encrypted_too looks at one held open).
    assert not db_file.with_name("lado.db-wal").exists()
    case = lado("show", "LADO-2026-0001")
    assert case.exit_code == 0 and NAME in case.stdout
    assert "LADO-2026-0001" in lado("list").stdout


def test_the_write_ahead_log_is_encrypted_too(lado, encrypted):
    # A connection held open keeps the -wal file: the next referral's pages are written there.
    db = Database(resolve_url(str(encrypted)))
    with db.read() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM cases").scalar()
        assert lado("refer", "--no-input", *SECRET_REFERRAL).exit_code == 0
        wal = encrypted.with_name("lado.db-wal")
        assert wal.exists() and wal.stat().st_size > 0
        assert stat.S_IMODE(os.stat(wal).st_mode) == 0o600
        assert leaks(wal) == [] and leaks(encrypted) == []
    db.dispose()


def test_a_wrong_key_is_one_line(lado, encrypted, monkeypatch):
    monkeypatch.setenv("LADO_KEY", "not the right key at all")
    line = one_line_error(lado("list"))
    assert line.startswith(f"Error: wrong key for {encrypted}")


def test_no_key_and_no_terminal_names_lado_key(lado, encrypted, monkeypatch):
    monkeypatch.delenv("LADO_KEY")
    line = one_line_error(lado("show", "LADO-2026-0001"))
    assert f"{encrypted} is encrypted" in line and "LADO_KEY" in line


def test_the_key_is_never_an_option(lado, monkeypatch):
    for args in (("db", "init", "--encrypt", "--key", KEY), ("db", "rekey", "--key", KEY), ("--key", KEY, "list")):
        r = lado(*args)
        assert r.exit_code == 2 and "No such option" in r.stderr, args
    r = lado("--db", f"sqlite+pysqlcipher://:{KEY}@/x.db", "list")
    one_line_error(r)


def test_rekey_changes_the_key_and_is_audited(lado, encrypted, monkeypatch):
    monkeypatch.setenv("LADO_NEW_KEY", NEW_KEY)
    r = lado("db", "rekey")
    assert r.exit_code == 0, r.stderr
    assert one_line_error(lado("list")).startswith("Error: wrong key for")  # LADO_KEY is still the old key
    monkeypatch.setenv("LADO_KEY", NEW_KEY)
    assert NAME in lado("show", "LADO-2026-0001").stdout
    assert leaks(encrypted) == []
    db = Database(resolve_url(str(encrypted)))
    with db.read() as conn:
        rows = conn.exec_driver_sql("SELECT actor, action, ref, detail FROM audit_log WHERE action = 'rekey'").all()
    db.dispose()
    assert len(rows) == 1 and rows[0][:3] == ("tester", "rekey", None)
    assert KEY not in rows[0][3] and NEW_KEY not in rows[0][3]
    assert "ok       audit log chain: 1 entry" in lado("db", "check").stdout  # chained like every entry


def test_a_key_change_and_its_audit_entry_are_saved_together(lado, encrypted, monkeypatch):
    """Issue 12, item 6: when the audit entry cannot be written, the key is not changed."""
    db = Database(resolve_url(str(encrypted)))
    with db.begin() as conn:  # a real failure of the entry's INSERT, inside the rekey's transaction
        conn.exec_driver_sql("CREATE TRIGGER no_entries BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'disk says no'); END")
    db.dispose()
    monkeypatch.setenv("LADO_NEW_KEY", NEW_KEY)
    r = lado("db", "rekey")
    assert r.exit_code == 1 and "disk says no" in r.stderr and "old key still works" in r.stderr, r.stderr
    assert NAME in lado("show", "LADO-2026-0001").stdout  # LADO_KEY, the old key, still opens it
    db = Database(resolve_url(str(encrypted)))
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM audit_log").scalar() == 0
    db.dispose()


def test_rekey_needs_a_new_key_from_env_or_a_terminal(lado, encrypted, monkeypatch):
    monkeypatch.delenv("LADO_NEW_KEY", raising=False)
    assert "LADO_NEW_KEY" in one_line_error(lado("db", "rekey"))
    monkeypatch.setenv("LADO_NEW_KEY", "short")
    assert "at least 12 characters" in one_line_error(lado("db", "rekey"))
    monkeypatch.setenv("LADO_NEW_KEY", KEY)
    assert "same as the current one" in one_line_error(lado("db", "rekey"))
    assert NAME in lado("show", "LADO-2026-0001").stdout  # the old key still works


def test_rekey_of_a_plain_database_says_how_to_encrypt(lado, monkeypatch):
    lado("db", "init")
    monkeypatch.setenv("LADO_NEW_KEY", NEW_KEY)
    assert "lado db encrypt" in one_line_error(lado("db", "rekey"))


def test_an_encrypted_backup_opens_only_with_the_key(lado, encrypted, monkeypatch, tmp_path):
    dest = tmp_path / "backups" / "b.db"
    dest.parent.mkdir()
    r = lado("db", "backup", str(dest))
    assert r.exit_code == 0 and "encrypted" in r.stdout
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert dest.read_bytes()[:16] != SQLITE_HEADER and leaks(dest) == []
    assert NAME in lado("--db", str(dest), "show", "LADO-2026-0001").stdout
    assert triggers(dest, KEY) == GUARDS
    monkeypatch.setenv("LADO_KEY", NEW_KEY)
    assert one_line_error(lado("--db", str(dest), "list")).startswith("Error: wrong key for")
    monkeypatch.delenv("LADO_KEY")
    assert "is encrypted" in one_line_error(lado("--db", str(dest), "list"))


def test_init_never_overwrites_and_without_encrypt_makes_a_plain_private_file(lado, db_file, tmp_path):
    r = lado("db", "init")
    assert r.exit_code == 0 and db_file.read_bytes()[:16] == SQLITE_HEADER
    assert stat.S_IMODE(os.stat(db_file).st_mode) == 0o600
    before = db_file.read_bytes()
    assert "already exists" in one_line_error(lado("db", "init"))
    assert "already exists" in one_line_error(lado("db", "init", "--encrypt"))
    assert db_file.read_bytes() == before


def test_init_encrypt_needs_a_good_new_key(lado, monkeypatch, db_file):
    assert "LADO_KEY" in one_line_error(lado("db", "init", "--encrypt"))
    monkeypatch.setenv("LADO_KEY", "short")
    assert "at least 12 characters" in one_line_error(lado("db", "init", "--encrypt"))
    assert not db_file.exists()


def test_encrypt_without_the_extra_says_what_to_install(lado, monkeypatch, db_file):
    monkeypatch.setitem(sys.modules, "sqlcipher3", None)  # as if `lado-cli[encrypt]` were not installed
    monkeypatch.setenv("LADO_KEY", KEY)
    line = one_line_error(lado("db", "init", "--encrypt"))
    assert 'pip install "lado-cli[encrypt]"' in line
    assert not db_file.exists()


def test_encrypt_an_existing_plain_database(lado, monkeypatch, db_file, tmp_path):
    assert lado("refer", "--no-input", *SECRET_REFERRAL).exit_code == 0
    assert NAME.encode() in db_file.read_bytes() or NAME.encode() in db_file.with_name("lado.db-wal").read_bytes()
    monkeypatch.setenv("LADO_KEY", KEY)
    r = lado("db", "encrypt")
    assert r.exit_code == 0, r.stderr
    assert db_file.read_bytes()[:16] != SQLITE_HEADER and leaks(db_file) == []
    assert stat.S_IMODE(os.stat(db_file).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".lado", "lado"))) == ["lado.db"]  # no copy left behind
    assert NAME in lado("show", "LADO-2026-0001").stdout
    assert triggers(db_file, KEY) == GUARDS
    assert "already encrypted" in one_line_error(lado("db", "encrypt"))
    db = Database(resolve_url(str(db_file)))
    with db.read() as conn:
        assert conn.exec_driver_sql("SELECT action FROM audit_log").scalars().all() == ["encrypt"]
    db.dispose()
    monkeypatch.delenv("LADO_KEY")
    assert "is encrypted" in one_line_error(lado("list"))


def test_at_a_terminal_the_key_is_asked_hidden(tmp_path):
    """The real program in a pseudo-terminal: a new key is asked twice (a mismatch asks
    again), and the key of an encrypted file is asked when LADO_KEY is not set; what is
    typed is never shown."""
    import io
    from pathlib import Path

    pexpect = pytest.importorskip("pexpect")
    script = Path(sys.executable).parent / "lado"
    program = [str(script)] if script.exists() else [sys.executable, "-m", "lado_cli"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("LADO_")}
    env.update(LADO_DB=str(tmp_path / "lado.db"), LADO_NOW=NOW, LADO_USER="tester", TERM="xterm", COLUMNS="120", LINES="40")

    def run(args: list[str], answers: list[tuple[str, str]]) -> tuple[int, str]:
        screen = io.StringIO()
        child = pexpect.spawn(program[0], [*program[1:], *args], env=env, dimensions=(40, 120), encoding="utf-8", timeout=20)
        child.logfile_read = screen
        try:
            for question, keys in [*answers, (pexpect.EOF, "")]:
                while child.expect([question, "\x1b\\[6n"] if question is not pexpect.EOF else [pexpect.EOF, "\x1b\\[6n"]) == 1:
                    child.send("\x1b[1;1R")  # answer "where is the cursor?"
                child.send(keys)
        finally:
            child.close()
        return child.exitstatus, screen.getvalue()

    status, screen = run(
        ["db", "init", "--encrypt"],
        [("New key", KEY + "\r"), ("The same key again", "not the same key\r"), ("differ", ""),
         ("New key", KEY + "\r"), ("The same key again", KEY + "\r")],
    )  # fmt: skip
    assert status == 0 and "Created the encrypted database" in screen, screen
    assert KEY not in screen and "not the same key" not in screen
    status, screen = run(["list"], [("Key for", "a wrong key\r"), ("Wrong key; try again", ""), ("Key for", KEY + "\r")])
    assert status == 0 and "0 cases" in screen and KEY not in screen and "a wrong key" not in screen, screen
