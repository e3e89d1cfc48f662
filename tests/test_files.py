"""Safe files (issue #12, item 1): every file lado writes is created exclusively, private
(0600) and without following a symlink; an existing database or sidecar that is a link,
another user's, or readable by others is refused with the fix; so is a folder others can
write without the sticky bit, and an in-memory database. Real symlinks, real chown to the
`nobody` user, and a file planted by a real second OS user when the tests run as root."""

from __future__ import annotations

import os
import pwd
import resource
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import REFERRAL

ROOT = os.geteuid() == 0
as_root = pytest.mark.skipif(not ROOT, reason="chown to another user needs root")


def nobody() -> int:
    return pwd.getpwnam("nobody").pw_uid


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "lado.db"
    monkeypatch.setenv("LADO_DB", str(path))
    return path


def one_error(r) -> str:
    assert r.exit_code == 1, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr
    return lines[0]


# -- the database file ---------------------------------------------------------------------------


def test_a_new_database_is_private(lado, db):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    assert mode(db) == 0o600


def test_a_symlink_planted_at_the_database_path_is_refused_and_its_target_never_written(lado, db, tmp_path):
    stolen = tmp_path / "attacker" / "copy.db"
    stolen.parent.mkdir()
    db.symlink_to(stolen)  # dangling: lado would have created the attacker's file
    err = one_error(lado("refer", "--no-input", *REFERRAL))
    assert f"the database file {db} is a symbolic link (to {stolen})" in err and "give the real file's path" in err
    assert not stolen.exists()
    assert one_error(lado("db", "init")).endswith(f"{db} already exists; lado db init never overwrites a database")
    assert not stolen.exists()


@pytest.fixture
def linked(lado, tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A real database with one case, and LADO_DB naming a symbolic link to it."""
    real, link = tmp_path / "real.db", tmp_path / "link.db"
    monkeypatch.setenv("LADO_DB", str(real))
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    link.symlink_to(real)
    monkeypatch.setenv("LADO_DB", str(link))
    return real, link


def test_a_symlink_to_a_real_database_is_refused_too(lado, linked):
    assert "is a symbolic link" in one_error(lado("list"))


def test_db_encrypt_through_a_symlink_refuses_and_leaves_nothing_claimed(lado, linked, monkeypatch):
    pytest.importorskip("sqlcipher3")
    real, link = linked
    monkeypatch.setenv("LADO_KEY", "correct horse battery staple")
    r = lado("db", "encrypt")
    assert "is a symbolic link" in one_error(r) and "Encrypted" not in r.stdout
    assert real.read_bytes().startswith(b"SQLite format 3\x00") and link.is_symlink()  # nothing changed, nothing claimed
    monkeypatch.setenv("LADO_DB", str(real))  # on the real file it works
    r = lado("db", "encrypt")
    assert r.exit_code == 0 and r.stdout.startswith(f"Encrypted {real}")
    assert not real.read_bytes().startswith(b"SQLite format 3\x00") and mode(real) == 0o600


@pytest.mark.parametrize("bits", [0o640, 0o604, 0o620, 0o602])
def test_a_database_others_can_read_or_write_is_refused_naming_chmod(lado, db, bits):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    db.chmod(bits)
    err = one_error(lado("list"))
    assert f"(mode {bits:03o})" in err and err.endswith(f"refused: run chmod 600 {db}")
    db.chmod(0o600)
    assert lado("list").exit_code == 0


def test_an_owner_only_read_only_mode_is_still_private(lado, db):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    db.chmod(0o400)  # no bit for group or others: private, so not refused on that ground
    assert lado("list").exit_code == 0


@as_root
def test_a_database_owned_by_another_user_is_refused(lado, db):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    os.chown(db, nobody(), -1)
    err = one_error(lado("list"))
    assert f"the database file {db} belongs to another user (uid {nobody()})" in err


@pytest.mark.parametrize("suffix", ["-wal", "-shm", "-journal"])
def test_a_planted_sidecar_is_refused(lado, db, suffix, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    side = db.with_name(db.name + suffix)
    side.unlink(missing_ok=True)
    side.touch(mode=0o644)
    side.chmod(0o644)  # world-readable: would receive every record written
    assert f"the database file {side} can be read or changed by other users (mode 644)" in one_error(lado("list"))
    side.unlink()
    elsewhere = tmp_path / "elsewhere"
    side.symlink_to(elsewhere)
    assert f"the database file {side} is a symbolic link" in one_error(lado("list"))
    assert not elsewhere.exists()


@as_root
def test_a_wal_pre_created_by_a_real_second_user_is_refused():
    """`nobody`, a real second OS user, plants lado.db-wal in a shared sticky folder before
    the first use; lado refuses rather than write records into a file nobody owns."""
    shared = Path(tempfile.mkdtemp(prefix="lado-shared-", dir="/tmp"))
    try:
        shared.chmod(0o1777)  # like /tmp: everyone may create files, only owners remove theirs
        planted = shared / "lado.db-wal"
        subprocess.run(["/bin/sh", "-c", f"umask 0; : > '{planted}'"], user="nobody", check=True)
        assert planted.stat().st_uid == nobody()
        env = dict(os.environ, LADO_DB=str(shared / "lado.db"))
        r = subprocess.run([sys.executable, "-m", "lado_cli", "refer", "--no-input", *REFERRAL], env=env, capture_output=True, text=True)
        assert r.returncode == 1 and "Saved" not in r.stdout
        assert r.stderr.startswith(f"Error: the database file {planted} belongs to another user (uid {nobody()})"), r.stderr
        assert not (shared / "lado.db").exists()
    finally:
        shutil.rmtree(shared)


def test_a_folder_others_can_write_without_the_sticky_bit_is_refused(lado, tmp_path, monkeypatch):
    open_dir = tmp_path / "open"
    open_dir.mkdir()
    open_dir.chmod(0o777)
    monkeypatch.setenv("LADO_DB", str(open_dir / "lado.db"))
    err = one_error(lado("refer", "--no-input", *REFERRAL))
    assert f"{open_dir} can be changed by every user" in err and f"chmod o-w {open_dir}" in err
    assert not (open_dir / "lado.db").exists()
    open_dir.chmod(0o1777)  # the sticky bit: others cannot remove or rename our file
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    open_dir.chmod(0o770)  # group-writable only: not "every user"
    assert lado("list").exit_code == 0


def test_a_folder_above_that_others_can_write_is_refused(lado, tmp_path, monkeypatch):
    top = tmp_path / "top"
    (top / "mine").mkdir(parents=True)
    top.chmod(0o777)  # anyone could rename `mine` away and put their own folder there
    monkeypatch.setenv("LADO_DB", str(top / "mine" / "lado.db"))
    assert f"{top} can be changed by every user" in one_error(lado("list"))


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///file::memory:?uri=true", "sqlite:///file:x?mode=memory&uri=true"])
def test_in_memory_databases_are_refused_before_anything_is_saved(lado, monkeypatch, url):
    monkeypatch.setenv("LADO_DB", url)
    r = lado("refer", "--no-input", *REFERRAL)
    assert one_error(r) == f"Error: --db: '{url}' is an in-memory database, lost when the command ends; expected a file path or a server URL"
    assert "Saved" not in r.stdout
    assert one_error(lado("db", "init")).endswith("expected a file path or a server URL")


def test_an_sqlite_uri_filename_is_vetted_as_the_file_it_names(lado, db, monkeypatch):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    db.chmod(0o644)
    monkeypatch.setenv("LADO_DB", f"sqlite:///file:{db}?mode=ro&uri=true")
    assert "chmod 600" in one_error(lado("list"))


# -- backups -------------------------------------------------------------------------------------


def test_backups_are_private_exclusive_and_never_through_a_symlink(lado, db, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    out = tmp_path / "b.db"
    assert lado("db", "backup", str(out)).exit_code == 0 and mode(out) == 0o600
    assert "already exists" in one_error(lado("db", "backup", str(out)))
    target = tmp_path / "attacker.db"
    link = tmp_path / "link.db"
    link.symlink_to(target)  # dangling: following it would create the attacker's file
    assert "already exists" in one_error(lado("db", "backup", str(link)))
    assert not target.exists()


def test_safe_create_refuses_a_dangling_symlink_even_without_the_exists_check(tmp_path):
    from lado_cli.errors import LadoError
    from lado_cli.files import create_private

    target = tmp_path / "target"
    link = tmp_path / "out"
    link.symlink_to(target)
    with pytest.raises(LadoError, match="is a symbolic link; choose a new file name"):
        create_private(link)
    assert not target.exists()
    fd = create_private(tmp_path / "new" / "file")
    os.close(fd)
    assert mode(tmp_path / "new" / "file") == 0o600 and mode(tmp_path / "new") == 0o700


# -- the README never shows a key on a command line -----------------------------------------------


def test_the_readme_never_puts_a_key_on_a_command_line():
    """A key typed on a command line lands in the shell history and in `ps` for every user:
    the README only ever clears LADO_KEY, reads it from a keyring, or writes `...`."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "LADO_KEY" in readme
    literal = re.compile(r"LADO_(?:NEW_)?KEY=(?!\s|\.\.\.|\"?\$\()\S")
    assert literal.findall(readme) == []
    assert literal.search('export LADO_KEY="hunter2"') and not literal.search("LADO_KEY= lado list")  # the check can fail
    for line in readme.splitlines():
        if line.lstrip().startswith(("$ ", "lado ")):
            assert not re.search(r"--key(?![-\w])", line) and "PRAGMA key" not in line and "pysqlcipher" not in line, line
    assert re.search(r"--key(?![-\w])", "lado db init --key secret") and not re.search(r"--key(?![-\w])", "lado index export --key-file k")


# -- `--output FILE` of export, due, stats and audit ------------------------------------------------


def run_lado(*args: str, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lado_cli", *args], capture_output=True, text=True, preexec_fn=preexec_fn, timeout=120)


@pytest.mark.parametrize("args", [["export", "--all"], ["due", "-f", "ics"], ["due", "-f", "html"], ["audit", "-f", "csv"],
                                  ["stats", "--from", "01/04/2026", "--to", "31/03/2027", "-f", "json"]])  # fmt: skip
def test_output_files_are_private_and_the_same_as_stdout(lado, db, tmp_path, args):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    out = tmp_path / "out"
    r = lado(*args, "--output", str(out))
    assert r.exit_code == 0 and r.stdout == "", r.stderr
    assert mode(out) == 0o600
    assert out.read_text(encoding="utf-8") == lado(*args).stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lado.db", "out"]  # no temporary file left


def test_an_output_file_replaces_only_your_own_private_file_and_never_follows_a_link(lado, db, tmp_path):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    out = tmp_path / "cases.csv"
    out.write_text("old\n")
    out.chmod(0o600)
    assert lado("export", "--output", str(out)).exit_code == 0 and out.read_text().startswith("ref,")  # replaced whole
    out.chmod(0o644)
    assert one_error(lado("export", "--output", str(out))).endswith(f"refused: run chmod 600 {out}")
    target = tmp_path / "attacker.csv"
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert "is a symbolic link" in one_error(lado("export", "--output", str(link)))
    assert not target.exists() and link.is_symlink()


def test_a_failed_command_leaves_no_output_file(lado, db, tmp_path):
    out = tmp_path / "due.ics"
    r = lado("due", "-f", "ics", "--within", "4000", "--output", str(out))
    assert r.exit_code == 1 and not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name != "lado.db"] == []  # no temporary file left
    out.write_text("yesterday's calendar\n")
    out.chmod(0o600)
    assert lado("due", "-f", "ics", "--case", "LADO-2026-0099", "--output", str(out)).exit_code == 1
    assert out.read_text() == "yesterday's calendar\n"  # kept as it was


def test_overdue_with_output_writes_the_report_and_exits_1(lado, db, tmp_path, monkeypatch):
    assert lado("refer", "--no-input", *REFERRAL).exit_code == 0
    monkeypatch.setenv("LADO_NOW", "2027-03-01 10:00")
    out = tmp_path / "due.json"
    r = lado("due", "-f", "json", "--fail-on-overdue", "--output", str(out))
    assert r.exit_code == 1 and "overdue (--fail-on-overdue)" in r.stderr
    assert out.read_text(encoding="utf-8") == lado("due", "-f", "json").stdout


def test_an_output_file_that_cannot_be_written_whole_is_not_written(lado, db, tmp_path):
    for i in range(150):  # an export of about 150 kB
        args = [*REFERRAL[:1], f"Adult {i}", *REFERRAL[2:]]
        assert lado("refer", "--no-input", *args, "--summary", "x" * 900).exit_code == 0
    out = tmp_path / "cases.csv"
    out.write_text("last week's export\n")
    out.chmod(0o600)

    def tiny_files() -> None:  # a real file-size limit: the write fails part way
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))  # room for SQLite's -shm (32 kB)

    r = run_lado("export", "--all", "--output", str(out), preexec_fn=tiny_files)
    assert r.returncode == 1
    assert r.stderr.startswith(f"Error: --output: cannot write {out} (File too large); it was not written")
    assert out.read_text() == "last week's export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv", "lado.db"]
