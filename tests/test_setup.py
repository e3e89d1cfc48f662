"""First run and `lado init --profile FILE` (issue 13, item 3).

The command that makes a new database says once, on stderr, which procedure profile is in
force (the built-in one is one county's) and how to set yours. `lado init --profile FILE`
checks the file and saves it in the database (table `settings`, migration 0006), so every
later command, every officer's on a team database, uses it unless given --profile or env
LADO_PROFILE. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import REFERRAL, db_rows, fails, ok

ROOT = Path(__file__).resolve().parent.parent
NORTHSHIRE = str(ROOT / "examples" / "profile-northshire.toml")
NOTICE = "New database. The procedure profile in force is the built-in one, Staffordshire County Council's"


def sqlite_file() -> Path | None:
    db = os.environ["LADO_DB"]
    return None if "://" in db else Path(db)


def profile_json(lado, *args: str) -> dict:
    return json.loads(ok(lado(*args, "profile", "show", "--format", "json")).stdout)


def test_the_first_command_on_a_new_database_says_which_profile_is_in_force_once(lado, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    first = ok(lado("list"))
    lines = first.stderr.splitlines()
    assert " ".join(lines) == (f"{NOTICE} (its contacts, time limits and lists). Set your authority's with: "
                               "lado init --profile FILE")  # fmt: skip
    assert all(len(line) <= 80 for line in lines) and len(lines) == 3  # wrapped to the terminal
    assert "New database" not in first.stdout  # stdout stays the result
    assert ok(lado("list")).stderr == ""  # once: the database exists now
    assert ok(lado("due")).stderr == ""


def test_the_notice_names_the_profile_given_when_it_is_not_the_built_in_one(lado, monkeypatch):
    monkeypatch.setenv("LADO_PROFILE", NORTHSHIRE)
    monkeypatch.setenv("COLUMNS", "200")
    r = ok(lado("refer", "--no-input", *REFERRAL))
    # (`refer` makes the database when it saves, so the notice follows the R11a check)
    assert (f"New database. The procedure profile in force is Northshire Council's, from {NORTHSHIRE}. "
            "To keep it with the database for every later command: lado init --profile FILE") in " ".join(r.stderr.splitlines())  # fmt: skip


def test_db_init_says_it_too(lado):
    r = ok(lado("db", "init"))
    assert r.stderr.startswith(NOTICE)
    assert ok(lado("list")).stderr == ""


def test_init_saves_the_profile_with_the_database_for_every_later_command(lado):
    r = ok(lado("init", "--profile", NORTHSHIRE))
    assert r.stderr == ""  # init says it all on stdout: no first-run notice about the built-in profile
    assert r.stdout.splitlines()[-2:] == [
        f"Saved Northshire Council's procedure profile (from {NORTHSHIRE}) with the database.",
        "Every command given no --profile (or env LADO_PROFILE) now uses it: check it with lado profile show.",
    ]
    data = profile_json(lado)
    assert data["name"] == "Northshire Council" and data["source"] == "saved with the database"
    ref = ok(lado("refer", "--no-input", *REFERRAL)).stdout.strip().splitlines()[-1]
    assert ref.startswith(data["ref_prefix"] + "-2026-")  # the saved profile's reference prefix
    assert db_rows("SELECT name, value, set_by FROM settings") == [("profile", Path(NORTHSHIRE).read_text(encoding="utf-8"), "tester")]
    assert db_rows("SELECT actor, action, detail FROM audit_log") == [
        ("tester", "set-profile", f"procedure profile set: Northshire Council (from {NORTHSHIRE})")]
    # Without --profile, init says which profile is in force.
    assert ok(lado("init")).stdout.splitlines()[-1] == "Procedure profile: Northshire Council's, saved with the database."


def test_an_explicit_profile_wins_over_the_saved_one(lado, tmp_path, monkeypatch):
    ok(lado("init", "--profile", NORTHSHIRE))
    own = tmp_path / "own.toml"
    own.write_text('name = "Southshire Council"\n', encoding="utf-8")
    assert profile_json(lado, "--profile", str(own))["name"] == "Southshire Council"
    monkeypatch.setenv("LADO_PROFILE", str(own))
    assert profile_json(lado)["name"] == "Southshire Council"


def test_setting_it_again_replaces_it_and_the_same_file_changes_nothing(lado, tmp_path):
    ok(lado("init", "--profile", NORTHSHIRE))
    assert ok(lado("init", "--profile", NORTHSHIRE)).stdout.splitlines()[-1] == (
        f"Profile unchanged: Northshire Council's profile from {NORTHSHIRE} is already saved with the database.")
    own = tmp_path / "own.toml"
    own.write_text('name = "Southshire Council"\n', encoding="utf-8")
    assert "in place of the previous one" in ok(lado("init", "--profile", str(own))).stdout
    assert profile_json(lado)["name"] == "Southshire Council"
    assert [r[0] for r in db_rows("SELECT detail FROM audit_log ORDER BY id")] == [
        f"procedure profile set: Northshire Council (from {NORTHSHIRE})",
        f"procedure profile replaced: Southshire Council (from {own})",
    ]


def test_a_bad_profile_file_is_refused_and_nothing_is_made_or_saved(lado, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('bogus = 1\n', encoding="utf-8")
    fails(lado("init", "--profile", str(bad)), 1, f"profile {bad}: bogus: unknown key")
    path = sqlite_file()
    if path is not None:
        assert not path.exists()
    ok(lado("init"))
    fails(lado("init", "--profile", str(tmp_path / "missing.toml")), 1, "cannot read the file")
    assert db_rows("SELECT name FROM settings") == []


def test_init_on_a_new_database_without_a_profile(lado):
    r = ok(lado("init"))
    assert r.stderr == ""
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Created the database")
    assert lines[1:] == ["Procedure profile: the built-in one, Staffordshire County Council's (its contacts, time limits and lists).",
                         "Set your authority's with: lado init --profile FILE"]  # fmt: skip
    assert ok(lado("init")).stdout.splitlines()[0].startswith("Database: ")


def test_profile_show_says_plainly_that_the_built_in_profile_is_one_countys(lado, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    ok(lado("db", "init"))
    out = ok(lado("profile", "show")).stdout
    tail = " ".join(out.splitlines()[-2:])
    assert tail == ("This is the built-in profile: Staffordshire County Council's contacts and rules, which may not be yours. "
                    "Set your authority's with: lado init --profile FILE")  # fmt: skip
    ok(lado("init", "--profile", NORTHSHIRE))
    assert "built-in" not in ok(lado("profile", "show")).stdout


def test_a_saved_profile_that_no_longer_passes_the_checks_says_how_to_replace_it(lado, tmp_path):
    from conftest import db_execute

    ok(lado("init", "--profile", NORTHSHIRE))
    db_execute("UPDATE settings SET value = ? WHERE name = 'profile'", "bogus = 1\n")  # as if a newer lado checked more
    fails(lado("list"), 1, "profile saved with the database: bogus: unknown key", "(replace it: lado init --profile FILE)")
    assert "Saved Northshire Council's procedure profile" in ok(lado("init", "--profile", NORTHSHIRE)).stdout
    assert profile_json(lado)["name"] == "Northshire Council"
