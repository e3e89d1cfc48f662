"""`lado send` (the referrer) and `lado import FILE.referral.json[.age]` (the LADO): issue 11
items 3 and 4, played with two databases through the CLI, on both backends.

"Now" is Wed 23/12/2026 10:00 UK time (= UTC in December). The REFERRAL's concern arose Tue
22/12/2026 16:30. By hand from the rules:
- R12 (notify-lado, 1 working day from the concern arising): due by the end of Wed 23/12/2026;
  sending the referral at --at meets it then.
- R13 (initial-discussion, 24 hours from the concern arising): due Wed 23/12/2026 16:30
  (2026-12-23T16:30:00+00:00) on the LADO's side, from the referrer's concern-arose, whatever
  the time of sending.
The referrer's database is a real referrer installation (`lado init --role referrer`): its
`lado refer` leaves R12 open until the LADO is told, here by `lado send`.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import REFERRAL, db_rows, fails, ok, with_flags

SENT = "23/12/2026 09:40"
SENT_ISO = "2026-12-23T09:40:00+00:00"
R13_DUE = "2026-12-23T16:30:00+00:00"


@pytest.fixture
def referrer(lado):
    """The referrer's database (LADO_DB, a referrer installation) with two referrals; the
    second, REF2, is the one sent (so that its reference differs from the one the LADO gives).
    R12 is open on both: the LADO has not been told."""
    ok(lado("init", "--role", "referrer", "--org", "Oak Primary School", "--authority", "Northshire Council"))
    ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Mary Major", received=None)))
    ref = ok(lado("refer", "--no-input", *with_flags(REFERRAL, received=None))).stdout.strip().splitlines()[-1]
    assert ref == "LADO-2026-0002"
    return ref


@pytest.fixture
def lado_db(new_db):
    """The LADO service's database: a second, empty one on the same backend."""
    return new_db("lado-service")


def deadline(lado, ref: str, kind: str, *db: str) -> dict:
    data = json.loads(ok(lado(*db, "show", ref, "--format", "json")).stdout)
    [d] = [d for d in data["deadlines"] if d["kind"] == kind]
    return d


def events(kind: str, db: str | None = None) -> list[tuple]:
    return db_rows("SELECT at, text FROM events WHERE kind = ? ORDER BY id", kind, db=db)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# -- sending -------------------------------------------------------------------------------


def test_send_writes_the_form_and_the_file_private_and_meets_r12_at_the_time_given(lado, referrer, tmp_path):
    due = json.loads(ok(lado("due", "--format", "json")).stdout)
    assert [(d["ref"], d["kind"]) for d in due if d["kind"] == "notify-lado"] == [("LADO-2026-0001", "notify-lado"), (referrer, "notify-lado")]
    assert deadline(lado, referrer, "notify-lado")["due"] == "2026-12-23T23:59:59+00:00"  # end of the next working day (R12)
    out = tmp_path / "outbox"
    r = ok(lado("send", referrer, "--out", str(out), "--at", SENT, "--via", "secure email"))
    form, data = out / f"{referrer}.referral.html", out / f"{referrer}.referral.json"
    assert sorted(p.name for p in out.iterdir()) == [form.name, data.name]
    assert mode(form) == mode(data) == 0o600 and mode(out) == 0o700
    assert f"Saved {referrer}: the LADO was told at Wed 23/12/2026 09:40 (secure email) (R12)." in " ".join(r.stdout.split())
    d = deadline(lado, referrer, "notify-lado")
    assert (d["status"], d["met_at"]) == ("met", SENT_ISO)
    assert deadline(lado, "LADO-2026-0001", "notify-lado")["met_at"] is None  # the other case is untouched
    assert events("told-lado") == [("2026-12-23 09:40:00.000000", "Told the LADO 23/12/2026 09:40 (secure email). notify-lado (R12) met, on time.")]
    due = json.loads(ok(lado("due", "--format", "json")).stdout)
    assert [d["ref"] for d in due if d["kind"] == "notify-lado"] == ["LADO-2026-0001"]


def test_the_json_file_keys_offsets_and_order(lado, referrer, tmp_path):
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    doc = json.loads((tmp_path / f"{referrer}.referral.json").read_text(encoding="utf-8"))
    assert list(doc) == ["format", "their_ref", "from", "sent_at", "referral"]
    assert doc["format"] == "lado-referral/1" and doc["their_ref"] == referrer
    assert doc["from"] == {"org": "Oak Primary School", "authority": "Northshire Council"}  # from `lado init --role referrer`
    assert doc["sent_at"] == SENT_ISO
    body = doc["referral"]
    assert body == {
        "subject-name": "John Smith", "subject-dob": "1980-02-01", "subject-role": "PE teacher", "employment": "paid",
        "employer": "Oak Primary School", "sector": "education", "immediate-danger": False,
        "concern-arose": "2026-12-22T16:30:00+00:00", "source": "parent-carer", "category": "physical",
        "summary": "Grabbed a pupil by the arm in a PE lesson.", "criteria": ["harm", "risk"],
        "referrer-name": "Ann Head", "referrer-role": "Head teacher", "referrer-org": "Oak Primary School",
        "referrer-contact": "01632 960001", "children": [{"name": "Amy Jones", "dob": "2016-04-03"}],
    }  # fmt: skip
    assert list(body)[:3] == ["subject-name", "subject-dob", "subject-role"]  # export column order


def test_a_lado_database_sends_without_an_organisation(lado, tmp_path):
    # Sending from a LADO's own database (no `--role referrer`): "from" says nothing it does not know.
    ref = ok(lado("refer", "--no-input", *REFERRAL)).stdout.strip().splitlines()[-1]
    ok(lado("send", ref, "--out", str(tmp_path), "--at", SENT))
    doc = json.loads((tmp_path / f"{ref}.referral.json").read_text(encoding="utf-8"))
    assert doc["from"] == {"org": None, "authority": None}


def test_at_is_checked_against_now_and_the_concern(lado, referrer, tmp_path):
    # Now is 23/12/2026 10:00 and the concern arose 22/12/2026 16:30: both ends are accepted.
    fails(lado("send", referrer, "--out", str(tmp_path / "a"), "--at", "23/12/2026 10:01"), 1, "--at", "in the future")
    fails(lado("send", referrer, "--out", str(tmp_path / "b"), "--at", "22/12/2026 16:29"), 1, "--at", "before the concern arose")
    fails(lado("send", referrer, "--out", str(tmp_path / "c"), "--at", "23/12/2026"), 1, "--at")  # a time is required
    assert not any((tmp_path / x).exists() for x in "abc") and events("told-lado") == []
    ok(lado("send", referrer, "--out", str(tmp_path / "d"), "--at", "22/12/2026 16:30"))
    assert deadline(lado, referrer, "notify-lado")["met_at"] == "2026-12-22T16:30:00+00:00"
    again = ok(lado("send", referrer, "--out", str(tmp_path / "e")))  # default: now; R12 stays met at the first sending
    assert "the LADO had been told at Tue 22/12/2026 16:30 (R12)" in " ".join(again.stdout.split())
    assert deadline(lado, referrer, "notify-lado")["met_at"] == "2026-12-22T16:30:00+00:00"
    assert [at for at, _ in events("told-lado")] == ["2026-12-22 16:30:00.000000", "2026-12-23 10:00:00.000000"]


@pytest.mark.parametrize("which", ["html", "json"])
@pytest.mark.parametrize("kind", ["existing", "symlink"])
def test_an_existing_or_symlinked_output_is_refused_and_nothing_is_written(lado, referrer, tmp_path, which, kind):
    out = tmp_path / "out"
    out.mkdir(mode=0o700)
    target = out / f"{referrer}.referral.{which}"
    victim = tmp_path / "victim"
    victim.write_text("keep me", encoding="utf-8")
    if kind == "symlink":
        target.symlink_to(victim)
    else:
        target.write_text("keep me", encoding="utf-8")
    fails(lado("send", referrer, "--out", str(out), "--at", SENT), 1, str(target), "nothing was written")
    assert [p.name for p in out.iterdir()] == [target.name]  # the other file was not written
    assert victim.read_text(encoding="utf-8") == "keep me" and events("told-lado") == []
    assert deadline(lado, referrer, "notify-lado")["met_at"] is None


def test_bad_options_are_one_line(lado, referrer, tmp_path):
    fails(lado("send", "LADO-2026-0099", "--out", str(tmp_path)), 1, "no case with reference 'LADO-2026-0099'")
    fails(lado("send", referrer, "--out", str(tmp_path), "--via", "a\nb"), 1, "--via")
    pub = tmp_path / "not-a-key.pub"
    pub.write_text("hello\n", encoding="utf-8")
    fails(lado("send", referrer, "--out", str(tmp_path / "o"), "--encrypt-to", str(pub)), 1, "--encrypt-to", "no age public key")
    pub.write_text("age1notreallyakey\n", encoding="utf-8")
    fails(lado("send", referrer, "--out", str(tmp_path / "o"), "--encrypt-to", str(pub)), 1, "--encrypt-to", "damaged")
    fails(lado("send", referrer, "--out", str(tmp_path / "o"), "--encrypt-to", str(tmp_path / "missing.pub")), 1, "--encrypt-to", "cannot read")
    assert not (tmp_path / "o").exists() and events("told-lado") == []


# -- keys ----------------------------------------------------------------------------------


def test_keys_create_is_private_exclusive_and_prints_only_the_public_key(lado, tmp_path):
    key = tmp_path / "service.key"
    r = ok(lado("keys", "create", "--out", str(key)))
    public = r.stdout.strip()
    assert public.startswith("age1") and len(public) == 62 and "AGE-SECRET-KEY" not in r.stdout + r.stderr
    assert mode(key) == 0o600 and "AGE-SECRET-KEY-1" in key.read_text(encoding="ascii")
    assert ok(lado("keys", "public", str(key))).stdout.strip() == public
    before = key.read_bytes()
    fails(lado("keys", "create", "--out", str(key)), 1, str(key), "already there")
    assert key.read_bytes() == before
    link = tmp_path / "link.key"
    link.symlink_to(tmp_path / "elsewhere.key")
    fails(lado("keys", "create", "--out", str(link)), 1, "symbolic link")
    assert not (tmp_path / "elsewhere.key").exists()
    key.chmod(0o644)  # a private key others can read is refused, as a database is
    fails(lado("keys", "public", str(key)), 1, "chmod 600")


def test_the_profile_publishes_the_public_key(lado, tmp_path):
    public = ok(lado("keys", "create", "--out", str(tmp_path / "k"))).stdout.strip()
    assert "public_key" not in json.loads(ok(lado("profile", "show", "--format", "json")).stdout)
    profile = tmp_path / "profile.toml"
    profile.write_text(f'public_key = "{public}"\n', encoding="utf-8")
    assert json.loads(ok(lado("--profile", str(profile), "profile", "show", "--format", "json")).stdout)["public_key"] == public
    assert public in ok(lado("--profile", str(profile), "profile", "show")).stdout
    profile.write_text('public_key = "AGE-SECRET-KEY-1XYZ"\n', encoding="utf-8")
    fails(lado("--profile", str(profile), "profile", "show"), 1, "public_key", "not an age public key")


# -- receiving -----------------------------------------------------------------------------


def test_the_lado_imports_the_referral_with_the_referrers_times_once(lado, referrer, lado_db, tmp_path):
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    file = str(tmp_path / f"{referrer}.referral.json")
    r = ok(lado("--db", lado_db, "import", file))
    assert " ".join(r.stdout.split()).startswith(f"Saved LADO-2026-0001: the referral from Oak Primary School (their reference {referrer}), received Wed 23/12/2026 09:40.")
    assert "No earlier records about this adult or child (R11a)." in r.stderr
    data = json.loads(ok(lado("--db", lado_db, "show", "LADO-2026-0001", "--format", "json")).stdout)
    assert (data["their_ref"], data["their_org"]) == (referrer, "Oak Primary School")
    assert (data["concern_arose"], data["received"]) == ("2026-12-22T16:30:00+00:00", SENT_ISO)
    assert data["children"] == [{"name": "Amy Jones", "dob": "2016-04-03"}] and data["criteria"] == ["harm", "risk"]
    assert f"{referrer} (Oak Primary School)" in ok(lado("--db", lado_db, "show", "LADO-2026-0001")).stdout
    # Both `lado due` reports: the referrer's R12 met; the LADO's R13 open from the concern arising.
    ok(lado("send", "LADO-2026-0001", "--out", str(tmp_path / "first"), "--at", SENT))
    referrer_due = json.loads(ok(lado("due", "--format", "json")).stdout)
    assert [d for d in referrer_due if d["kind"] == "notify-lado"] == []
    lado_due = json.loads(ok(lado("--db", lado_db, "due", "--format", "json")).stdout)
    assert [(d["ref"], d["kind"], d["rule"], d["due"], d["status"]) for d in lado_due] == [
        ("LADO-2026-0001", "initial-discussion", "R13", R13_DUE, "due-today")]
    assert deadline(lado, "LADO-2026-0001", "notify-lado", "--db", lado_db)["met_at"] == SENT_ISO
    # The same file again adds nothing, and says so.
    r = ok(lado("--db", lado_db, "import", file))
    assert f"was imported before, as LADO-2026-0001 (their reference {referrer} from Oak Primary School); nothing was added." in " ".join(r.stdout.split())
    assert db_rows("SELECT COUNT(*) FROM cases", db=lado_db) == [(1,)]
    # The referral's ref and their-ref travel in exports: CSV/JSON columns and the full export.
    [row] = json.loads(ok(lado("--db", lado_db, "export", "--format", "json")).stdout)
    assert (row["their-ref"], row["their-org"]) == (referrer, "Oak Primary School")
    full = tmp_path / "full.json"
    ok(lado("--db", lado_db, "export", "--full", "--output", str(full)))
    case = json.loads(full.read_text(encoding="utf-8"))["cases"][0]["case"]
    assert (case["their_ref"], case["their_org"]) == (referrer, "Oak Primary School")


def test_a_second_referral_about_the_same_adult_shows_the_history_check(lado, referrer, lado_db, tmp_path):
    ok(lado("--db", lado_db, "refer", "--no-input", *with_flags(REFERRAL, concern_arose="01/06/2026 10:00", received="01/06/2026 12:00")))
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    r = ok(lado("--db", lado_db, "import", str(tmp_path / f"{referrer}.referral.json")))
    assert "LADO-2026-0001" in r.stderr and "R11a" in r.stderr and "Saved LADO-2026-0002" in r.stdout
    [(text,)] = db_rows("SELECT text FROM events WHERE kind = 'history-check'", db=lado_db)
    assert text == "Earlier records about the same adult or child shown on import (R11a): LADO-2026-0001."


def test_encrypted_to_the_service_and_imported_with_its_identity(lado, referrer, lado_db, tmp_path, monkeypatch):
    key, pub = tmp_path / "service.key", tmp_path / "service.pub"
    pub.write_text(ok(lado("keys", "create", "--out", str(key))).stdout, encoding="ascii")
    out = tmp_path / "outbox"
    r = ok(lado("send", referrer, "--out", str(out), "--at", SENT, "--encrypt-to", str(pub)))
    sealed = out / f"{referrer}.referral.json.age"
    assert sorted(p.name for p in out.iterdir()) == [f"{referrer}.referral.html", sealed.name] and mode(sealed) == 0o600
    assert "encrypted" in r.stdout
    body = sealed.read_bytes()
    assert body.startswith(b"age-encryption.org/v1\n") and b"John Smith" not in body and b"lado-referral" not in body
    assert b"John Smith" in (out / f"{referrer}.referral.html").read_bytes()  # the form stays plain: for printing and signing
    fails(lado("--db", lado_db, "import", str(sealed)), 2, "is encrypted", "--identity")
    other = tmp_path / "other.key"
    ok(lado("keys", "create", "--out", str(other)))
    fails(lado("--db", lado_db, "import", str(sealed), "--identity", str(other)), 1, "not encrypted to this identity", "nothing was imported")
    assert db_rows("SELECT COUNT(*) FROM cases", db=lado_db) == [(0,)]
    monkeypatch.setenv("LADO_IDENTITY", str(key))
    ok(lado("--db", lado_db, "import", str(sealed)))
    lado_due = json.loads(ok(lado("--db", lado_db, "due", "--format", "json")).stdout)
    assert [(d["kind"], d["due"]) for d in lado_due] == [("initial-discussion", R13_DUE)]
    assert "nothing was added" in ok(lado("--db", lado_db, "import", str(sealed), "--identity", str(key))).stdout


def _flip(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1 :]


def test_tampered_or_truncated_encrypted_files_save_nothing(lado, referrer, lado_db, tmp_path):
    key, pub = tmp_path / "service.key", tmp_path / "service.pub"
    pub.write_text(ok(lado("keys", "create", "--out", str(key))).stdout, encoding="ascii")
    ok(lado("send", referrer, "--out", str(tmp_path / "o"), "--at", SENT, "--encrypt-to", str(pub)))
    body = (tmp_path / "o" / f"{referrer}.referral.json.age").read_bytes()
    for name, data, words in (
        ("payload.referral.json.age", _flip(body, len(body) - 20), ("cannot be decrypted", "tampered")),
        ("header.referral.json.age", _flip(body, 60), ("nothing was imported",)),
        ("short.referral.json.age", body[: len(body) // 2], ("cannot be decrypted",)),
        ("plain.referral.json.age", b'{"format": "lado-referral/1"}', ("not an age-encrypted file",)),
    ):
        bad = tmp_path / name
        bad.write_bytes(data)
        fails(lado("--db", lado_db, "import", str(bad), "--identity", str(key)), 1, *words)
    assert db_rows("SELECT COUNT(*) FROM cases", db=lado_db) == [(0,)]
    assert db_rows("SELECT COUNT(*) FROM events", db=lado_db) == [(0,)]


def _changed(doc: dict, path: tuple, value) -> dict:
    doc = json.loads(json.dumps(doc))
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(("path", "value", "words"), [
    (("referral", "summary"), KeyError, ("referral.summary", "is empty")),
    (("referral", "concern-arose"), "2026-02-30T10:00:00+00:00", ("referral.concern-arose", "2026-02-30T10:00:00+00:00")),
    (("referral", "concern-arose"), "2026-12-23T09:41:00+00:00", ("sent_at", "before the concern arose")),
    (("sent_at",), "2026-12-23T09:40:00", ("sent_at", "no UTC offset")),
    (("sent_at",), "2026-12-23T10:01:00+00:00", ("sent_at", "in the future")),
    (("sent_at",), "soon", ("sent_at", "soon")),
    (("format",), "lado-referral/2", ("lado-referral/2", "version", "lado-referral/1")),
    (("format",), "lado-export/1", ("not a referral file",)),
    (("their_ref",), KeyError, ("their_ref", "missing")),
    (("referral", "sector"), "banking", ("referral.sector", "banking")),
    (("referral", "salary"), "1", ("unknown field 'salary'",)),
    (("referral", "children"), [{"name": "Amy Jones", "dob": "2016-04-03", "shoe": "3"}], ("children[0]", "shoe")),
    (("referral", "criteria"), 3, ("referral.criteria", "int")),
])  # fmt: skip
def test_a_malformed_referral_file_is_one_line_and_saves_nothing(lado, referrer, lado_db, tmp_path, path, value, words):
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    doc = json.loads((tmp_path / f"{referrer}.referral.json").read_text(encoding="utf-8"))
    bad = tmp_path / "bad.referral.json"
    bad.write_text(json.dumps(_changed(doc, path, value)), encoding="utf-8")
    line = fails(lado("--db", lado_db, "import", str(bad)), 1, "bad.referral.json", *words)
    assert "nothing was imported" in line
    assert db_rows("SELECT COUNT(*) FROM cases", db=lado_db) == [(0,)]


def test_a_truncated_or_empty_plain_file_is_one_line(lado, referrer, lado_db, tmp_path):
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    data = (tmp_path / f"{referrer}.referral.json").read_bytes()
    cut = tmp_path / "cut.referral.json"
    cut.write_bytes(data[: len(data) // 2])
    fails(lado("--db", lado_db, "import", str(cut)), 1, "not valid JSON", "truncated")
    cut.write_bytes(b"")
    fails(lado("--db", lado_db, "import", str(cut)), 1, "is empty")
    fails(lado("--db", lado_db, "import", str(tmp_path / f"{referrer}.referral.json"), "--on-conflict", "update"), 2, "--on-conflict")
    assert db_rows("SELECT COUNT(*) FROM cases", db=lado_db) == [(0,)]


def test_csv_import_is_unchanged_and_refuses_identity(lado, tmp_path):
    ok(lado("refer", "--no-input", *REFERRAL))
    csv_file = tmp_path / "cases.csv"
    csv_file.write_text(ok(lado("export")).stdout, encoding="utf-8")
    fails(lado("import", str(csv_file), "--identity", str(tmp_path / "k")), 2, "--identity")
    assert "0 added, 0 updated, 1 skipped" in ok(lado("import", str(csv_file))).stdout


def test_a_dry_run_checks_the_file_and_writes_nothing(lado, referrer, lado_db, tmp_path):
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    r = ok(lado("--db", lado_db, "import", str(tmp_path / f"{referrer}.referral.json"), "--dry-run"))
    assert "all valid (--dry-run: nothing written)" in " ".join(r.stdout.split())
    assert db_rows("SELECT COUNT(*) FROM cases", db=lado_db) == [(0,)]


def test_a_referral_sent_at_the_moment_the_concern_arose_is_accepted_and_a_second_earlier_is_not(lado, referrer, lado_db, tmp_path):
    # received = sent_at; received < concern-arose is refused, equal is accepted (R12 met at once).
    ok(lado("send", referrer, "--out", str(tmp_path), "--at", SENT))
    doc = json.loads((tmp_path / f"{referrer}.referral.json").read_text(encoding="utf-8"))
    bad = tmp_path / "early.referral.json"
    bad.write_text(json.dumps(_changed(doc, ("sent_at",), "2026-12-22T16:29:59+00:00")), encoding="utf-8")
    fails(lado("--db", lado_db, "import", str(bad)), 1, "sent_at", "before the concern arose")
    same = tmp_path / "same.referral.json"
    same.write_text(json.dumps(_changed(doc, ("sent_at",), "2026-12-22T16:30:00+00:00")), encoding="utf-8")
    ok(lado("--db", lado_db, "import", str(same)))
    assert deadline(lado, "LADO-2026-0001", "notify-lado", "--db", lado_db)["met_at"] == "2026-12-22T16:30:00+00:00"
