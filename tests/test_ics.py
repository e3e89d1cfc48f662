"""`lado due --format ics` as a calendar reads it (issue 13, item 5), parsed with icalendar.

"Now" is Wed 23/12/2026 10:00 (conftest). The REFERRAL's initial discussion (R13, 24 hours)
is due Wed 23/12/2026 16:30 (a time of day); its notify-lado limit (R12) is met on receipt,
Wed 23/12/2026 09:15. Fri 25/12 and Mon 28/12/2026 are bank holidays (England).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from conftest import REFERRAL, ok


def refer(lado) -> str:
    return ok(lado("refer", "--no-input", *REFERRAL)).stdout.strip().splitlines()[-1]


def events(lado, *args: str) -> dict[str, object]:
    from icalendar import Calendar

    r = ok(lado("due", "--format", "ics", *args))
    return {str(e["SUMMARY"]) + (" CANCELLED" if str(e.get("STATUS")) == "CANCELLED" else ""): e
            for e in Calendar.from_ical(r.stdout).walk("VEVENT")}  # fmt: skip


def with_actions(lado) -> str:
    """A case with a strategy meeting whose two actions are due Tue 29/12/2026 (end of day)."""
    ref = refer(lado)
    ok(lado("discuss", ref, "--no-input", "--held", "23/12/2026 09:30", "--criteria", "harm", "--rationale", "Bruise seen",
            "--route", "police", "--route", "employer", "--employer-action", "management"))  # fmt: skip
    ok(lado("meeting", ref, "--no-input", "--type", "strategy-meeting", "--held", "23/12/2026 09:45", "--chair", "A Officer",
            "--attendee", "DS Brown; Detective; Police", "--decisions", "Police to interview",
            "--action", "Interview the pupil; DS Brown; 29/12/2026", "--action", "Send the policy; Ann Head; 29/12/2026"))  # fmt: skip
    return ref


def test_a_timed_limit_is_a_30_minute_event_ending_when_it_falls_due(lado):
    ref = refer(lado)
    ev = events(lado)[f"{ref} initial-discussion (R13)"]
    assert ev.decoded("DTEND") == datetime(2026, 12, 23, 16, 30, tzinfo=UTC)
    assert ev.decoded("DTSTART") == datetime(2026, 12, 23, 16, 0, tzinfo=UTC)
    assert str(ev["STATUS"]) == "CONFIRMED"


def test_actions_are_all_day_events_titled_with_what_and_whose_and_alarmed_across_the_holidays(lado):
    ref = with_actions(lado)
    evs = events(lado)
    one = evs[f"{ref} action (R20): Interview the pupil [DS Brown]"]
    two = evs[f"{ref} action (R20): Send the policy [Ann Head]"]
    for ev in (one, two):
        # End of day on Tue 29/12: the whole day, not 23:59 to 00:59 across two days.
        assert ev.decoded("DTSTART") == date(2026, 12, 29) and ev.decoded("DTEND") == date(2026, 12, 30)
        [alarm] = ev.walk("VALARM")
        # The working day before Tue 29/12: Mon 28 and Fri 25 are bank holidays, 26-27 a weekend,
        # so Thu 24/12 at the start of the working day, 09:00 (GMT = UTC in December).
        assert alarm.decoded("TRIGGER") == datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
        assert str(alarm["ACTION"]) == "DISPLAY"


def test_the_reminder_of_a_limit_due_on_a_working_monday_is_the_friday_before(lado):
    from lado_cli.cli.due_views import reminder_at
    from lado_cli.domain.calendar import WorkingCalendar

    cal = WorkingCalendar()  # England, Monday to Friday, 09:00-17:00
    assert reminder_at(date(2027, 1, 11), cal) == datetime(2027, 1, 8, 9, 0, tzinfo=cal.tz)  # Mon -> Fri
    assert reminder_at(date(2027, 1, 12), cal) == datetime(2027, 1, 11, 9, 0, tzinfo=cal.tz)  # Tue -> Mon
    assert reminder_at(date(2027, 1, 4), cal) == datetime(2026, 12, 31, 9, 0, tzinfo=cal.tz)  # Fri 1/1 is a bank holiday


def test_the_timed_limit_reminds_the_working_day_before(lado):
    ref = refer(lado)
    [alarm] = events(lado)[f"{ref} initial-discussion (R13)"].walk("VALARM")
    assert alarm.decoded("TRIGGER") == datetime(2026, 12, 22, 9, 0, tzinfo=UTC)


def test_a_met_limit_is_cancelled_for_30_days_after_it_was_met_and_then_dropped(lado):
    ref = refer(lado)
    met = datetime(2026, 12, 23, 9, 15, tzinfo=UTC)  # notify-lado, met on receipt
    key = f"{ref} notify-lado (R12) CANCELLED"
    assert key in events(lado)
    ev = events(lado)[key]
    assert str(ev["UID"]).startswith("deadline-") and int(ev["SEQUENCE"]) == 1
    edge = met + timedelta(days=30)  # 22/01/2027 09:15: exactly 30 days: still published
    assert key in events(lado, "--as-of", f"{edge:%d/%m/%Y %H:%M}")
    after = edge + timedelta(minutes=1)
    assert key not in events(lado, "--as-of", f"{after:%d/%m/%Y %H:%M}")


def test_a_limit_met_by_done_turns_from_confirmed_to_cancelled_with_the_same_uid(lado):
    ref = refer(lado)
    before = events(lado)[f"{ref} initial-discussion (R13)"]
    ok(lado("discuss", ref, "--no-input", "--held", "23/12/2026 09:30", "--criteria", "harm", "--rationale", "Bruise seen",
            "--route", "police"))  # fmt: skip
    after = events(lado)
    assert f"{ref} initial-discussion (R13)" not in after
    cancelled = after[f"{ref} initial-discussion (R13) CANCELLED"]
    assert cancelled["UID"] == before["UID"]
    assert cancelled.decoded("DTEND") == before.decoded("DTEND")  # the same event, so clients match it
    assert "met Wed 23/12/2026 09:30" in str(cancelled["DESCRIPTION"])


def test_limits_set_aside_by_closing_are_cancelled_for_30_days_after_the_change(lado, monkeypatch):
    ref = refer(lado)
    ok(lado("discuss", ref, "--no-input", "--held", "23/12/2026 09:30", "--criteria", "harm", "--rationale", "Bruise seen",
            "--route", "social-care"))  # fmt: skip
    open_before = [k for k in events(lado) if not k.endswith("CANCELLED")]
    assert open_before, "the discussion started limits"
    ok(lado("outcome", ref, "--no-input", "--outcome", "unfounded", "--date", "23/12/2026"))
    monkeypatch.setenv("LADO_NOW", "2026-12-23 11:00")  # the close is recorded at 11:00 (GMT)
    ok(lado("close", ref, "--no-input", "--force", "--note", "Feedback given by phone"))
    now = events(lado)
    assert [k for k in now if not k.endswith("CANCELLED")] == []
    assert all(f"{k} CANCELLED" in now for k in open_before)
    assert all(f"{k} CANCELLED" in events(lado, "--as-of", "22/01/2027 11:00") for k in open_before)  # 30 days: still
    later = events(lado, "--as-of", "22/01/2027 11:01")
    assert not any(f"{k} CANCELLED" in later for k in open_before)
