"""`lado audit [REF]`: who did what and when (R34), corrections shown beside what they
correct (R37a), filters by case, time and person."""

from __future__ import annotations

import csv
import io
import json

import pytest

from conftest import REFERRAL, fails, ok, with_flags

OTHER = with_flags(REFERRAL, subject_name="Mary Major", employer="Elm Academy", child_name="Ben Rowe", child_dob="05/05/2015")


def audit(lado, *args: str) -> list[dict]:
    return json.loads(ok(lado("audit", "-f", "json", *args)).stdout)


@pytest.fixture
def story(lado, monkeypatch) -> dict[str, str]:
    """Two officers at work on two cases over two days:
    Wed 23/12 10:00  alice records case A (received 09:15)
    Wed 23/12 11:00  bob records case B
    Thu 24/12 09:00  bob records A's initial discussion (held 23/12 14:00)
    Thu 24/12 09:30  alice corrects A's referral entry
    """
    monkeypatch.setenv("LADO_USER", "alice")
    a = ok(lado("refer", "--no-input", *REFERRAL)).stdout.splitlines()[-1]
    monkeypatch.setenv("LADO_USER", "bob")
    monkeypatch.setenv("LADO_NOW", "2026-12-23 11:00")
    b = ok(lado("refer", "--no-input", *OTHER)).stdout.splitlines()[-1]
    monkeypatch.setenv("LADO_NOW", "2026-12-24 09:00")
    ok(lado("discuss", a, "--no-input", "--held", "23/12/2026 14:00", "--criteria", "harm", "--rationale", "Bruise seen", "--route", "police"))
    monkeypatch.setenv("LADO_USER", "alice")
    monkeypatch.setenv("LADO_NOW", "2026-12-24 09:30")
    first = json.loads(ok(lado("show", a, "-f", "json")).stdout)["timeline"][0]["id"]
    ok(lado("note", a, "--text", "The referral came by phone, not email", "--corrects", str(first), "--why", "Misheard on the day"))
    return {"a": a, "b": b, "first": first}


def test_every_entry_with_its_actor_newest_first(lado, story):
    rows = audit(lado)
    a, b = story["a"], story["b"]
    assert [(r["recorded_at"], r["actor"], r["ref"], r["kind"]) for r in rows] == [
        ("2026-12-24T09:30:00+00:00", "alice", a, "correction"),
        ("2026-12-24T09:00:00+00:00", "bob", a, "initial-discussion"),
        ("2026-12-23T11:00:00+00:00", "bob", b, "referral"),
        ("2026-12-23T10:00:00+00:00", "alice", a, "referral"),
    ]
    assert all(r["source"] == "chronology" for r in rows)
    # When it was typed in and when it happened are both kept.
    assert rows[1]["at"] == "2026-12-23T14:00:00+00:00" and rows[1]["rationale"] == "Bruise seen"
    assert rows[3]["at"] == "2026-12-23T09:15:00+00:00"


def test_a_correction_stands_beside_the_entry_it_corrects(lado, story):
    rows = audit(lado, story["a"])
    correction, original = rows[0], rows[-1]
    assert correction["kind"] == "correction" and correction["corrects_id"] == story["first"] == original["id"]
    assert correction["text"] == f"Corrects entry #{story['first']}: The referral came by phone, not email"
    assert correction["rationale"] == "Misheard on the day"
    assert original["kind"] == "referral" and original["text"].startswith("Referral from Ann Head")  # unchanged
    out = ok(lado("audit", story["a"])).stdout
    assert f"correction #{rows[0]['id']}, corrects #{story['first']}" in out and "Why: Misheard on the day" in out
    assert "never edited or deleted (R37a)" in out


@pytest.mark.parametrize("args, expected", [
    (["--actor", "bob"], [("bob", "a", "initial-discussion"), ("bob", "b", "referral")]),
    (["--actor", "ALICE"], [("alice", "a", "correction"), ("alice", "a", "referral")]),
    (["--actor", "ali"], []),  # whole names only
    (["b"], [("bob", "b", "referral")]),
    (["a", "--actor", "bob"], [("bob", "a", "initial-discussion")]),
    (["--since", "24/12/2026"], [("alice", "a", "correction"), ("bob", "a", "initial-discussion")]),
    (["--since", "2026-12-24 09:30"], [("alice", "a", "correction")]),
    (["--since", "25/12/2026"], []),
])  # fmt: skip
def test_filters(lado, story, args, expected):
    args = [story[x] if x in ("a", "b") else x for x in args]
    names = {story["a"]: "a", story["b"]: "b"}
    assert [(r["actor"], names[r["ref"]], r["kind"]) for r in audit(lado, *args)] == expected


def test_the_reference_in_any_letter_case(lado, story):
    assert audit(lado, story["a"].lower()) == audit(lado, story["a"])


def test_table_and_csv(lado, story):
    out = ok(lado("audit")).stdout
    assert out.startswith("Audit trail: 4 entries, newest first")
    assert "24/12/2026 09:00" in out and "bob" in out and "alice" in out and "happened 23/12/2026 14:00" in out
    one = ok(lado("audit", story["b"])).stdout
    assert one.startswith(f"Audit trail of {story['b']}: 1 entry, newest first")
    rows = list(csv.DictReader(io.StringIO(ok(lado("audit", "-f", "csv")).stdout)))
    assert list(rows[0]) == ["recorded_at", "at", "actor", "ref", "source", "id", "kind", "text", "rationale", "corrects_id"]
    assert [r["actor"] for r in rows] == ["alice", "bob", "bob", "alice"] and rows[0]["corrects_id"] == str(story["first"])


def test_empty(lado):
    assert audit(lado) == []
    assert ok(lado("audit", "-f", "csv")).stdout == "recorded_at,at,actor,ref,source,id,kind,text,rationale,corrects_id\n"
    assert ok(lado("audit")).stdout.startswith("Audit trail: 0 entries")


def test_the_login_name_when_lado_user_is_not_set(lado, monkeypatch):
    import getpass

    monkeypatch.delenv("LADO_USER")
    ok(lado("refer", "--no-input", *REFERRAL))
    assert [r["actor"] for r in audit(lado)] == [getpass.getuser()]


def test_bad_input(lado, story):
    fails(lado("audit", "LADO-2026-0404"), 1, "no case or audit entry with reference 'LADO-2026-0404'")
    fails(lado("audit", "--since", "yesterday"), 1, "--since", "'yesterday'")
    fails(lado("audit", "--since", "12/24/2026"), 1, "--since")  # never US style


def test_help_says_the_chronology_cannot_be_changed(lado):
    out = " ".join(ok(lado("audit", "--help")).stdout.split())
    assert "cannot be edited or deleted" in out and "R37a" in out and "--corrects ID" in out and "LADO_USER" in out
