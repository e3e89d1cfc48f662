"""`lado match`, `lado person`, `lado index` and R11a at intake (issue #14), on both backends."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import REFERRAL, db_rows, fails, ok, with_flags

ROOT = Path(__file__).resolve().parent.parent
NORTHSHIRE = ROOT / "examples" / "profile-northshire.toml"


def refer(lado, *extra, **changes) -> str:
    return ok(lado("refer", "--no-input", *with_flags(REFERRAL, **changes), *extra)).stdout.strip().splitlines()[-1]


def flat(text: str) -> str:
    """Letters and digits only: table cells wrap, borders come between words."""
    return "".join(c for c in text if c.isalnum())


def js(r):
    return json.loads(ok(r).stdout)


def test_match_by_name_gives_band_and_reasons_in_words(lado):
    first = refer(lado, subject_name="Jonathan Smith", subject_dob="01/02/1980")
    out = js(lado("match", "--name", "Jon Smyth", "--dob", "02/01/1980", "-f", "json"))
    (hit,) = out["matches"]
    # day/month swapped 0.20 + Smyth ~ Smith 0.30 + Jon a short form 0.25 = 0.75: possible (strong from 0.80)
    assert hit["ref"] == first and hit["match"] == "subject" and hit["score"] == 0.75 and hit["band"] == "possible"
    assert hit["reasons"] == ["date of birth with day and month swapped", "surname Smyth ~ Smith", "first name Jon is a short form of Jonathan"]
    assert out["other_authorities"] == []


def test_match_table_and_csv(lado):
    first = refer(lado, subject_name="Jonathan Smith", subject_dob="01/02/1980")
    r = ok(lado("match", "--name", "Jon Smith", "--dob", "01/02/1980"))
    assert first in r.stdout and "firstnameJonisashortformofJonathan" in flat(r.stdout)
    rows = ok(lado("match", "--name", "Jon Smith", "--dob", "01/02/1980", "-f", "csv")).stdout.splitlines()
    assert rows[0] == "ref,match,band,score,name,dob,received,status,category,employer,reasons"
    # same surname 0.40 + Jon a short form 0.25 + same birth 0.30 = 0.95
    assert rows[1].startswith(f"{first},subject,strong,0.95,Jonathan Smith,1980-02-01,")


def test_no_match_says_so_and_bad_input_is_one_line(lado):
    refer(lado)
    assert "No earlier records" in ok(lado("match", "--name", "Priya Patel", "--dob", "01/02/1980")).stdout
    fails(lado("match", "--name", "Priya Patel", "--dob", "31/02/1980"), 1, "--dob")
    fails(lado("match"), 2, "case reference or --name")


def test_known_as_recorded_at_intake_finds_a_changed_surname(lado):
    first = refer(lado, "--known-as", "Sarah Jones", subject_name="Sarah Patel", subject_dob="05/06/1985")
    assert db_rows("SELECT name FROM known_names") == [("Sarah Jones",)]
    r = ok(lado("refer", "--no-input", *with_flags(REFERRAL, subject_name="Sarah Jones", subject_dob="05/06/1985", child_name="Zoe Roe")))
    assert first in r.stderr and "throughtheknownasnameSarahJones" in flat(r.stderr)
    assert "R11a" in json.dumps(js(lado("show", r.stdout.strip().splitlines()[-1], "-f", "json")))


def test_decision_on_a_pair_is_in_both_chronologies_and_not_asked_again(lado):
    a = refer(lado, subject_name="John Smith", subject_dob="01/02/1980")
    b = refer(lado, subject_name="John Smith", subject_dob="01/02/1981", child_name="Zoe Roe")
    assert [h["ref"] for h in js(lado("match", a, "-f", "json"))["matches"]] == [b]
    fails(lado("match", a, "--decide", b, "--different"), 1, "--why")
    fails(lado("match", a, "--decide", b, "--why", "x"), 1, "--same")
    ok(lado("match", a, "--decide", b, "--different", "--why", "Different National Insurance numbers"))
    assert js(lado("match", a, "-f", "json"))["matches"] == []
    for ref, other in ((a, b), (b, a)):
        timeline = js(lado("show", ref, "-f", "json"))["timeline"]
        entry = [e for e in timeline if e["kind"] == "match-decision"]
        assert len(entry) == 1 and other in entry[0]["text"] and "not the same adult" in entry[0]["text"]


def test_person_joins_cases_decided_the_same_with_the_employers_moved_between(lado, monkeypatch):
    a = refer(lado, subject_name="John Smith", subject_dob="01/02/1980")
    b = refer(lado, subject_name="Jon Smith", subject_dob="01/02/1980", employer="Lakeside Swimming Club", sector="sport", child_name="Zoe Roe")
    c = refer(lado, criteria="none", subject_name="J Smyth", subject_dob="01/02/1980", employer="Hill Academy", child_name="Ben Cole")
    refer(lado, subject_name="Amy Smith", subject_dob="01/02/1980", child_name="Eve Doe")  # a twin: not theirs
    ok(lado("match", a, "--decide", c, "--same", "--why", "Same address and employer history"))
    out = js(lado("person", a, "-f", "json"))
    assert [r["ref"] for r in out["timeline"]] == [a, b, c]
    assert [r["kind"] for r in out["timeline"]] == ["case", "case", "consultation (R37c)"]
    assert [(e["employer"], e["sector"]) for e in out["employers"]] == [
        ("Oak Primary School", "education"), ("Lakeside Swimming Club", "sport"), ("Hill Academy", "education")]
    text = flat(ok(lado("person", a)).stdout)
    assert "OakPrimarySchooleducationLakesideSwimmingClubSportHillAcademyeducation".lower() in text.lower()
    fails(lado("person", "Nobody Known"), 1, "no case about")


def test_index_key_file_is_private_exclusive_and_never_through_a_symlink(lado, tmp_path):
    key = tmp_path / "shared.key"
    ok(lado("index", "key", "--output", str(key)))
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600 and len(key.read_bytes()) == 32
    before = key.read_bytes()
    fails(lado("index", "key", "--output", str(key)), 1, "--output", "already exists")
    assert key.read_bytes() == before
    target = tmp_path / "target"
    (tmp_path / "link").symlink_to(target)
    fails(lado("index", "key", "--output", str(tmp_path / "link")), 1, "--output")
    assert not target.exists()
    short = tmp_path / "short.key"
    short.write_bytes(b"x" * 31)
    fails(lado("index", "export", "--key-file", str(short), "--output", str(tmp_path / "i.json")), 1, "--key-file", "31 bytes")


def test_two_authorities_exchange_indexes_and_see_each_others_hits(lado, new_db, tmp_path, monkeypatch):
    key = tmp_path / "shared.key"
    ok(lado("index", "key", "--output", str(key)))
    north_db = new_db("north")
    # Staffordshire (the default profile) holds Jonathan Smith; Northshire holds Priya Patel.
    refer(lado, subject_name="Jonathan Smith", subject_dob="01/02/1980")
    ok(lado("--db", north_db, "--profile", str(NORTHSHIRE), "refer", "--no-input",
            *with_flags(REFERRAL, subject_name="Priya Patel", subject_dob="07/08/1990")))  # fmt: skip
    staffs_index, north_index = tmp_path / "staffs.json", tmp_path / "north.json"
    ok(lado("index", "export", "--key-file", str(key), "--output", str(staffs_index)))
    ok(lado("--db", north_db, "--profile", str(NORTHSHIRE), "index", "export", "--key-file", str(key), "--output", str(north_index)))
    assert stat.S_IMODE(os.stat(staffs_index).st_mode) == 0o600
    text = staffs_index.read_text()
    assert "Jonathan" not in text and "Smith" not in text and "1980" not in text and "Staffordshire" in text
    ok(lado("index", "import", str(north_index), "--key-file", str(key)))
    ok(lado("--db", north_db, "--profile", str(NORTHSHIRE), "index", "import", str(staffs_index), "--key-file", str(key)))
    # Northshire, at intake: a short form and a day/month swap of Staffordshire's adult.
    r = ok(lado("--db", north_db, "--profile", str(NORTHSHIRE), "refer", "--no-input",
                *with_flags(REFERRAL, subject_name="Jon Smith", subject_dob="02/01/1980")))  # fmt: skip
    line = ("records about an adult with the same identity may be held by Staffordshire County Council: "
            "contact staffordshire.lado@staffordshire.gov.uk")  # fmt: skip
    assert line in " ".join(r.stderr.split())
    # Staffordshire, on demand: Northshire's adult; nothing for someone else.
    out = js(lado("match", "--name", "Priya Patel", "--dob", "07/08/1990", "-f", "json"))
    assert out == {"matches": [], "other_authorities": [{"authority": "Northshire Council", "contact": "lado@northshire.example.org"}]}
    assert js(lado("match", "--name", "Amy Patel", "--dob", "07/08/1990", "-f", "json"))["other_authorities"] == []
    # A new index replaces the earlier one; another key is refused; nothing half-written.
    ok(lado("index", "import", str(north_index), "--key-file", str(key)))
    assert db_rows("SELECT count(*) FROM index_sources") == [(1,)]
    other = tmp_path / "other.key"
    ok(lado("index", "key", "--output", str(other)))
    fails(lado("index", "import", str(north_index), "--key-file", str(other)), 1, "--key-file", "Northshire Council")
    fails(lado("index", "import", str(staffs_index), "--key-file", str(key)), 1, "own index")


@pytest.mark.parametrize("bad", ['{"format": "x"}', "not json", '{"format": "lado-index/1", "authority": "A", "contact": "c", "key_id": "", "tokens": ["zz"]}'])
def test_a_bad_index_file_is_one_line(lado, tmp_path, bad):
    refer(lado)
    key = tmp_path / "k"
    ok(lado("index", "key", "--output", str(key)))
    f = tmp_path / "bad.json"
    f.write_text(bad)
    fails(lado("index", "import", str(f), "--key-file", str(key)), 1)
    assert db_rows("SELECT count(*) FROM index_sources") == [(0,)]


def test_another_authoritys_text_is_shown_never_obeyed(lado, new_db, tmp_path):
    key = tmp_path / "k"
    ok(lado("index", "key", "--output", str(key)))
    north = new_db("north")
    ok(lado("--db", north, "--profile", str(NORTHSHIRE), "refer", "--no-input", *REFERRAL))
    f = tmp_path / "north.json"
    ok(lado("--db", north, "--profile", str(NORTHSHIRE), "index", "export", "--key-file", str(key), "--output", str(f)))
    doc = json.loads(f.read_text())
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(dict(doc, authority="Evil\nCouncil")))
    fails(lado("index", "import", str(bad), "--key-file", str(key)), 1, "one line")
    fine = tmp_path / "fine.json"
    fine.write_text(json.dumps(dict(doc, authority="[bold]North[/bold]", contact="x\u202ey")))
    ok(lado("index", "import", str(fine), "--key-file", str(key)))
    r = ok(lado("refer", "--no-input", *REFERRAL))
    assert "held by [bold]North[/bold]: contact x<U+202E>y" in " ".join(r.stderr.split())


def test_import_reports_matches_of_the_added_adults(lado, tmp_path):
    """R11a on import: Dan Pryce born 14/03/1987 at Oak Primary School is Daniel Price born
    14/03/1986 there: year off 0.15 + Pryce ~ Price 0.30 + Dan a short form 0.25 + employer 0.10 = 0.80, strong."""
    src = ROOT / "examples" / "referrals.csv"
    ok(lado("import", str(src)))
    changed = tmp_path / "again.csv"
    changed.write_text(src.read_text(encoding="utf-8-sig").replace("Daniel Price,14/03/1986", "Dan Pryce,14/03/1987"), encoding="utf-8")
    r = ok(lado("import", str(changed), "--on-conflict", "skip"))
    assert "1 added" in r.stdout
    shown = " ".join(r.stderr.split())
    assert "R11a: 2 matches between imported cases and earlier ones" in shown  # the adult, and the same child (Oliver Hughes)
    assert "History check (R11a): 1 added case matches earlier records: LADO-2026-0006." in r.stdout
    assert ("LADO-2026-0006 ~ LADO-2026-0001: strong (0.80); date of birth a year apart, same day and month; "
            "surname Pryce ~ Price; first name Dan is a short form of Daniel; same employer "
            "LADO-2026-0006 ~ LADO-2026-0001 (a child): strong (1.00); same date of birth; same surname; same first name") in shown  # fmt: skip
    [entry] = [e for e in js(lado("show", "LADO-2026-0006", "-f", "json"))["timeline"] if e["kind"] == "history-check"]
    assert entry["text"] == ("Earlier records about the same adult or child found at import (R11a): "
                             "LADO-2026-0001 (the adult, strong 0.80); LADO-2026-0001 (a child, strong 1.00).")  # fmt: skip


def test_known_as_added_later_is_in_the_chronology_and_matched(lado):
    a = refer(lado, subject_name="Sarah Patel", subject_dob="05/06/1985")
    b = refer(lado, subject_name="Sarah Jones", subject_dob="05/06/1985", employer="Hill Academy", child_name="Zoe Roe")
    # without it: surname differs 0 + same first name 0.30 + same birth 0.30 = 0.60, possible
    assert [(h["ref"], h["score"]) for h in js(lado("match", a, "-f", "json"))["matches"]] == [(b, 0.6)]
    r = ok(lado("match", a, "--known-as", "Sarah Jones", "-f", "json"))
    assert "Known-as name saved on" in r.stderr
    # with it: same surname 0.40 + same first 0.30 + same birth 0.30 = 1.00, strong
    assert [(h["ref"], h["score"], h["band"]) for h in json.loads(r.stdout)["matches"]] == [(b, 1.0, "strong")]
    entries = [e for e in js(lado("show", a, "-f", "json"))["timeline"] if e["kind"] == "known-as"]
    assert len(entries) == 1 and "Sarah Jones" in entries[0]["text"]
    assert "already recorded" in ok(lado("match", a, "--known-as", "sarah  JONES")).stderr
    assert db_rows("SELECT count(*) FROM known_names") == [(1,)]
