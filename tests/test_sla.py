"""The business calendar and one SLA clock, on worked cases a technician would check by hand."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from msptui.core.sla import BusinessCalendar, ClockStatus, evaluate, explain, format_duration

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")
SANTIAGO = ZoneInfo("America/Santiago")
UTC = UTC

H = timedelta(hours=1)
M = timedelta(minutes=1)
WEEKDAYS_9_18 = BusinessCalendar.weekday_hours("09:00", "18:00")


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


@pytest.fixture(scope="module")
def fr() -> BusinessCalendar:
    return BusinessCalendar.for_country("FR", hours=WEEKDAYS_9_18, tz="Europe/Paris")


# -- deadlines a technician checks by hand ----------------------------------------


def test_a_ticket_opened_friday_evening_is_due_monday_morning(fr):
    # Friday 2026-03-06, Monday 2026-03-09 is an ordinary working day in France.
    due = fr.add(paris(2026, 3, 6, 17, 45), H)
    assert due == paris(2026, 3, 9, 9, 45)
    assert due.tzinfo is UTC


def test_a_ticket_opened_at_night_counts_from_the_opening_hour(fr):
    assert fr.add(paris(2026, 3, 10, 3, 0), H) == paris(2026, 3, 10, 10, 0)


def test_adding_nothing_returns_the_start_even_when_closed(fr):
    start = paris(2026, 3, 8, 3, 0)  # a Sunday night
    assert fr.add(start, timedelta(0)) == start


def test_add_lands_on_the_end_of_the_day_rather_than_the_next_morning(fr):
    assert fr.add(paris(2026, 3, 10, 9, 0), 9 * H) == paris(2026, 3, 10, 18, 0)


def test_elapsed_counts_only_open_hours_and_is_signed(fr):
    friday, monday = paris(2026, 3, 6, 17, 0), paris(2026, 3, 9, 10, 0)
    assert fr.elapsed(friday, monday) == 2 * H
    assert fr.elapsed(monday, friday) == -2 * H


def test_next_open_is_the_instant_itself_when_open(fr):
    assert fr.next_open(paris(2026, 3, 10, 11, 0)) == paris(2026, 3, 10, 11, 0)
    assert fr.next_open(paris(2026, 3, 6, 19, 0)) == paris(2026, 3, 9, 9, 0)


def test_split_day_hours_skip_the_lunch_break():
    cal = BusinessCalendar("Europe/Paris", {d: [("09:00", "12:30"), ("13:30", "18:00")] for d in range(5)})
    assert cal.add(paris(2026, 3, 10, 12, 0), H) == paris(2026, 3, 10, 14, 0)
    assert not cal.is_open(paris(2026, 3, 10, 13, 0))
    assert cal.elapsed(paris(2026, 3, 10), paris(2026, 3, 11)) == 8 * H


def test_touching_intervals_make_one_open_stretch():
    cal = BusinessCalendar("UTC", {0: [("09:00", "12:00"), ("12:00", "14:00")]})
    assert cal.describe_hours() == ("Mon 09:00-14:00",)


def test_twenty_four_hundred_closes_the_day_and_joins_the_next():
    cal = BusinessCalendar("UTC", {0: [("20:00", "24:00")], 1: [("00:00", "02:00")]})
    start = datetime(2026, 3, 9, 23, 0, tzinfo=UTC)
    assert cal.add(start, 2 * H) == datetime(2026, 3, 10, 1, 0, tzinfo=UTC)


# -- daylight saving time -----------------------------------------------------------


def test_round_the_clock_paris_days_last_23_and_25_hours():
    cal = BusinessCalendar.always("Europe/Paris")
    assert cal.elapsed(paris(2026, 3, 29), paris(2026, 3, 30)) == 23 * H
    assert cal.elapsed(paris(2026, 10, 25), paris(2026, 10, 26)) == 25 * H


def test_round_the_clock_adds_real_hours_not_wall_clock_hours():
    # Known trap: Saturday 12:00 + 24 h across the spring change is Sunday 13:00.
    cal = BusinessCalendar.always("Europe/Paris")
    assert cal.add(paris(2026, 3, 28, 12, 0), 24 * H) == paris(2026, 3, 29, 13, 0)
    assert cal.add(paris(2026, 10, 24, 12, 0), 24 * H) == paris(2026, 10, 25, 11, 0)


@pytest.mark.parametrize(
    ("tz", "short_day", "long_day"),
    [
        (PARIS, date(2026, 3, 29), date(2026, 10, 25)),
        (NEW_YORK, date(2026, 3, 8), date(2026, 11, 1)),
        (SYDNEY, date(2026, 10, 4), date(2026, 4, 5)),
        # Santiago changes at midnight: 2026-09-06 has no 00:00, 2026-04-04 ends twice.
        (SANTIAGO, date(2026, 9, 6), date(2026, 4, 4)),
    ],
)
def test_a_calendar_open_all_day_on_the_change_days_counts_23_and_25_hours(tz, short_day, long_day):
    def week_around(day: date) -> timedelta:
        cal = BusinessCalendar(tz.key, {day.weekday(): [("00:00", "24:00")]})
        first = datetime.combine(day - timedelta(days=3), datetime.min.time(), tzinfo=tz)
        return cal.elapsed(first, first + timedelta(days=7))

    assert week_around(short_day) == 23 * H
    assert week_around(long_day) == 25 * H


def test_a_repeated_hour_counts_twice_and_a_skipped_hour_not_at_all():
    cal = BusinessCalendar("Europe/Paris", {6: [("01:00", "04:00")]})
    spring = cal.elapsed(paris(2026, 3, 29), paris(2026, 3, 30))
    autumn = cal.elapsed(paris(2026, 10, 25), paris(2026, 10, 26))
    assert (spring, autumn) == (2 * H, 4 * H)
    first, second = paris(2026, 10, 25, 2, 30), paris(2026, 10, 25, 2, 30).replace(fold=1)
    assert cal.is_open(first) and cal.is_open(second)
    assert second.astimezone(UTC) - first.astimezone(UTC) == H  # same-zone "-" is wall clock


def test_an_interval_inside_the_skipped_hour_never_opens():
    cal = BusinessCalendar("Australia/Sydney", {6: [("02:00", "03:00")]})
    sunday = datetime(2026, 10, 4, tzinfo=SYDNEY)
    assert cal.elapsed(sunday, sunday + timedelta(days=1)) == timedelta(0)
    assert cal.next_open(sunday) == datetime(2026, 10, 11, 2, 0, tzinfo=SYDNEY)


def test_sydney_repeated_hour_counts_twice():
    cal = BusinessCalendar("Australia/Sydney", {6: [("02:00", "03:00")]})
    sunday = datetime(2026, 4, 5, tzinfo=SYDNEY)
    assert cal.elapsed(sunday, sunday + timedelta(days=1)) == 2 * H


def test_weekday_hours_across_the_spring_change_paris(fr):
    # Friday 17:00 CET is 16:00 UTC; Monday 10:00 CEST is 08:00 UTC.
    due = fr.add(paris(2026, 3, 27, 17, 0), 2 * H)
    assert due == datetime(2026, 3, 30, 8, 0, tzinfo=UTC)


def test_weekday_hours_across_the_spring_change_new_york():
    cal = BusinessCalendar("America/New_York", BusinessCalendar.weekday_hours("09:00", "17:00"))
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=NEW_YORK)
    assert cal.add(friday, 2 * H) == datetime(2026, 3, 9, 14, 0, tzinfo=UTC)  # 10:00 EDT


# -- holidays --------------------------------------------------------------------------


def test_french_public_holidays_are_closed(fr):
    assert not fr.is_open(paris(2026, 5, 1, 10, 0))  # Labour Day, a Friday
    assert not fr.is_open(paris(2026, 5, 25, 10, 0))  # Whit Monday
    assert fr.add(paris(2026, 4, 30, 17, 0), 2 * H) == paris(2026, 5, 4, 10, 0)


def test_whit_monday_can_be_worked():
    cal = BusinessCalendar.for_country("FR", hours=WEEKDAYS_9_18, tz="Europe/Paris", whit_monday_worked=True)
    assert cal.is_open(paris(2026, 5, 25, 10, 0))
    assert not cal.is_open(paris(2026, 5, 14, 10, 0))  # Ascension stays closed


@pytest.mark.parametrize("subdiv", ["57", "6AE"])
def test_moselle_and_alsace_close_good_friday_and_saint_stephen(fr, subdiv):
    local = BusinessCalendar.for_country("FR", subdiv, hours=WEEKDAYS_9_18, tz="Europe/Paris")
    good_friday, st_stephen = paris(2026, 4, 3, 10, 0), paris(2025, 12, 26, 10, 0)
    assert not local.is_open(good_friday) and not local.is_open(st_stephen)
    assert fr.is_open(good_friday) and fr.is_open(st_stephen)
    # Thursday 2026-04-02 17:00 + 2 h: Friday and Easter Monday closed there.
    assert local.add(paris(2026, 4, 2, 17, 0), 2 * H) == paris(2026, 4, 7, 10, 0)
    assert fr.add(paris(2026, 4, 2, 17, 0), 2 * H) == paris(2026, 4, 3, 10, 0)


def test_contract_closed_dates_add_to_public_holidays():
    cal = BusinessCalendar.for_country(
        "FR", hours=WEEKDAYS_9_18, tz="Europe/Paris", extra_closed={date(2026, 3, 9): "inventory"}
    )
    assert cal.add(paris(2026, 3, 6, 17, 45), H) == paris(2026, 3, 10, 9, 45)
    assert cal.closed_dates(date(2026, 3, 1), date(2026, 3, 31)) == [(date(2026, 3, 9), "inventory")]


def test_explicit_holidays_without_a_country():
    cal = BusinessCalendar("Europe/Paris", WEEKDAYS_9_18, holidays={date(2026, 12, 25)})
    assert not cal.is_open(paris(2026, 12, 25, 10, 0))
    assert cal.is_open(paris(2026, 12, 24, 10, 0))


# -- bad input says what is wrong ------------------------------------------------------


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ({0: [("12:00", "11:00")]}, "Monday 12:00-11:00: end must be after start"),
        ({4: [("22:00", "02:00")]}, "Friday 22:00-02:00: end must be after start"),
        ({0: [("09:00", "09:00")]}, "empty"),
        ({0: [("09:00", "12:00"), ("11:00", "14:00")]}, "Monday 09:00-12:00 overlaps 11:00-14:00"),
        ({0: [("9:00", "12:00")]}, "expected HH:MM"),
        ({0: [("09h00", "12:00")]}, "expected HH:MM"),
        ({0: [("09:00", "25:00")]}, "not a time of day"),
        ({0: [("09:60", "12:00")]}, "not a time of day"),
        ({0: [("24:00", "24:00")]}, "24:00 can only end an interval"),
        ({7: [("09:00", "12:00")]}, "weekday 7"),
        ({0: ["09:00-12:00"]}, "pair"),
    ],
)
def test_malformed_hours_are_refused_with_a_reason(hours, message):
    with pytest.raises(ValueError, match=message):
        BusinessCalendar("Europe/Paris", hours)


def test_an_unknown_time_zone_is_named():
    with pytest.raises(ValueError, match="unknown time zone 'Europe/Pariss'"):
        BusinessCalendar("Europe/Pariss", WEEKDAYS_9_18)


def test_an_unknown_country_or_subdivision_is_named():
    with pytest.raises(ValueError, match="unknown country 'XX'"):
        BusinessCalendar.for_country("XX", hours=WEEKDAYS_9_18, tz="Europe/Paris")
    with pytest.raises(ValueError, match="unknown subdivision '99'"):
        BusinessCalendar.for_country("FR", "99", hours=WEEKDAYS_9_18, tz="Europe/Paris")


def test_naive_datetimes_are_refused(fr):
    naive = datetime(2026, 3, 10, 10, 0)
    for call in (
        lambda: fr.is_open(naive),
        lambda: fr.add(naive, H),
        lambda: fr.elapsed(naive, paris(2026, 3, 11)),
        lambda: fr.next_open(naive),
        lambda: evaluate(fr, H, naive, [], None, paris(2026, 3, 11)),
    ):
        with pytest.raises(ValueError, match="naive"):
            call()


def test_a_negative_duration_cannot_be_added(fr):
    with pytest.raises(ValueError, match="negative"):
        fr.add(paris(2026, 3, 10, 10, 0), -M)


def test_a_never_open_calendar_refuses_to_add_instead_of_looping():
    never = BusinessCalendar("Europe/Paris", {})
    with pytest.raises(ValueError, match="no open hours within two years"):
        never.add(paris(2026, 3, 10), H)
    with pytest.raises(ValueError, match="no open hours within two years"):
        never.next_open(paris(2026, 3, 10))
    assert never.add(paris(2026, 3, 10), timedelta(0)) == paris(2026, 3, 10)
    assert never.elapsed(paris(2026, 1, 1), paris(2027, 1, 1)) == timedelta(0)


def test_a_calendar_closed_for_years_refuses_to_add():
    mondays = {date(2026, 1, 5) + timedelta(weeks=k) for k in range(4 * 53)}
    cal = BusinessCalendar("Europe/Paris", {0: [("09:00", "18:00")]}, holidays=mondays)
    with pytest.raises(ValueError, match="no open hours within two years"):
        cal.add(paris(2026, 1, 1), H)


# -- one clock ---------------------------------------------------------------------------


def test_a_clock_counts_business_time_and_warns_at_three_quarters(fr):
    start = paris(2026, 3, 10, 9, 0)
    running = evaluate(fr, 4 * H, start, [], None, paris(2026, 3, 10, 11, 0))
    assert running.status is ClockStatus.RUNNING
    assert (running.elapsed, running.remaining, running.fraction) == (2 * H, 2 * H, 0.5)
    assert running.due_at == paris(2026, 3, 10, 13, 0)
    assert running.ticking
    assert running.valid_until == paris(2026, 3, 10, 12, 0)  # the warning instant
    warning = evaluate(fr, 4 * H, start, [], None, paris(2026, 3, 10, 12, 0))
    assert warning.status is ClockStatus.WARNING
    assert warning.valid_until == paris(2026, 3, 10, 13, 0)  # the due instant


def test_a_clock_is_breached_from_its_due_instant_on(fr):
    start = paris(2026, 3, 10, 9, 0)
    at_due = evaluate(fr, 4 * H, start, [], None, paris(2026, 3, 10, 13, 0))
    assert at_due.status is ClockStatus.BREACHED and at_due.remaining == timedelta(0)
    later = evaluate(fr, 4 * H, start, [], None, paris(2026, 3, 10, 13, 12))
    assert later.remaining == -12 * M and format_duration(later.remaining) == "-12m"
    assert later.due_at == paris(2026, 3, 10, 13, 0)


def test_a_clock_stopped_in_time_is_met_and_late_is_breached(fr):
    start = paris(2026, 3, 10, 9, 0)
    met = evaluate(fr, 4 * H, start, [], paris(2026, 3, 10, 13, 0), paris(2026, 3, 12))
    assert met.status is ClockStatus.MET and met.elapsed == 4 * H
    assert met.valid_until is None and not met.ticking
    late = evaluate(fr, 4 * H, start, [], paris(2026, 3, 10, 13, 1), paris(2026, 3, 12))
    assert late.status is ClockStatus.BREACHED and late.remaining == -M


def test_business_time_inside_a_pause_never_counts(fr):
    start = paris(2026, 3, 10, 9, 0)
    pause = (paris(2026, 3, 10, 10, 0), paris(2026, 3, 10, 12, 0))
    state = evaluate(fr, 4 * H, start, [pause], None, paris(2026, 3, 10, 12, 30))
    assert state.elapsed == 90 * M
    assert state.due_at == paris(2026, 3, 10, 15, 0)


def test_a_paused_clock_has_no_due_instant_and_does_not_tick(fr):
    start = paris(2026, 3, 10, 9, 0)
    state = evaluate(fr, 4 * H, start, [(paris(2026, 3, 10, 10, 0), None)], None, paris(2026, 3, 10, 15, 0))
    assert state.status is ClockStatus.PAUSED
    assert state.due_at is None and not state.ticking and state.valid_until is None
    assert state.elapsed == H


def test_a_breached_clock_stays_breached_while_paused(fr):
    start = paris(2026, 3, 10, 9, 0)
    state = evaluate(fr, H, start, [(paris(2026, 3, 10, 11, 0), None)], None, paris(2026, 3, 10, 15, 0))
    assert state.status is ClockStatus.BREACHED and state.due_at == paris(2026, 3, 10, 10, 0)


def test_a_clock_outside_business_hours_waits_for_the_next_opening(fr):
    state = evaluate(fr, 4 * H, paris(2026, 3, 10, 9, 0), [], None, paris(2026, 3, 10, 20, 0))
    assert not state.ticking
    assert state.valid_until == paris(2026, 3, 11, 9, 0)
    assert state.at(paris(2026, 3, 11, 8, 59)).remaining == state.remaining
    assert state.at(paris(2026, 3, 11, 9, 0)) is None


def test_projection_ticks_one_second_per_second_inside_its_window(fr):
    state = evaluate(fr, 4 * H, paris(2026, 3, 10, 9, 0), [], None, paris(2026, 3, 10, 10, 0))
    later = paris(2026, 3, 10, 10, 25)
    assert state.at(later) == evaluate(fr, 4 * H, paris(2026, 3, 10, 9, 0), [], None, later)
    assert state.remaining_at(later) == 3 * H - 25 * M
    assert state.at(paris(2026, 3, 10, 9, 59)) is None  # before as_of


def test_a_stop_recorded_after_now_is_not_known_yet_but_bounds_the_projection(fr):
    start, now, stop = paris(2026, 3, 10, 9, 0), paris(2026, 3, 10, 10, 0), paris(2026, 3, 10, 10, 20)
    state = evaluate(fr, 4 * H, start, [], stop, now)
    assert state.status is ClockStatus.RUNNING and state.valid_until == stop


def test_a_pause_cannot_end_before_it_begins(fr):
    pause = (paris(2026, 3, 10, 11, 0), paris(2026, 3, 10, 10, 0))
    with pytest.raises(ValueError, match="pause ends"):
        evaluate(fr, H, paris(2026, 3, 10, 9, 0), [pause], None, paris(2026, 3, 10, 12, 0))


def test_overlapping_pauses_are_not_subtracted_twice(fr):
    pauses = [
        (paris(2026, 3, 10, 10, 0), paris(2026, 3, 10, 12, 0)),
        (paris(2026, 3, 10, 11, 0), paris(2026, 3, 10, 13, 0)),
    ]
    state = evaluate(fr, 8 * H, paris(2026, 3, 10, 9, 0), pauses, None, paris(2026, 3, 10, 14, 0))
    assert state.elapsed == 2 * H


def test_a_clock_target_must_be_positive(fr):
    with pytest.raises(ValueError, match="target must be positive"):
        evaluate(fr, timedelta(0), paris(2026, 3, 10, 9, 0), [], None, paris(2026, 3, 10, 10, 0))


def test_explanation_lists_intervals_pauses_closed_dates_and_both_zones(fr):
    start = paris(2026, 4, 30, 17, 0)
    pause = (paris(2026, 5, 4, 9, 30), paris(2026, 5, 4, 10, 0))
    found = explain(fr, 3 * H, start, [pause], None, paris(2026, 5, 4, 10, 30), "America/New_York")
    assert [(i.start, i.end, i.projected) for i in found.counted] == [
        (paris(2026, 4, 30, 17, 0), paris(2026, 4, 30, 18, 0), False),
        (paris(2026, 5, 4, 9, 0), paris(2026, 5, 4, 9, 30), False),
        (paris(2026, 5, 4, 10, 0), paris(2026, 5, 4, 10, 30), False),
        (paris(2026, 5, 4, 10, 30), paris(2026, 5, 4, 11, 30), True),
    ]
    assert [c.day for c in found.calendar.closed_dates] == [date(2026, 5, 1)]
    assert found.pauses[0].excluded == 30 * M
    assert found.due_local == paris(2026, 5, 4, 11, 30) and found.due_local.tzinfo == PARIS
    assert found.due_viewer.tzinfo == NEW_YORK and found.due_viewer.hour == 5
    text = "\n".join(found.lines())
    assert "Closed Fri 2026-05-01" in text and "America/New_York" in text
    assert "Due Mon 2026-05-04 11:30 CEST" in text


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (timedelta(0), "0m"),
        (45 * M, "45m"),
        (2 * H + 5 * M + timedelta(seconds=59), "2h05"),
        (timedelta(days=3, hours=4, minutes=59), "76h"),
        (timedelta(days=150), "3600h"),
        (-12 * M, "-12m"),
        (-(2 * H + 5 * M), "-2h05"),
        (-timedelta(seconds=30), "-0m"),
        (-timedelta(days=99, hours=23), "-2399h"),
        (-timedelta(days=41666), "-999984h"),
    ],
)
def test_durations_fit_a_table_cell(duration, text):
    assert format_duration(duration) == text
    assert len(text) <= 8


@pytest.mark.slow
def test_the_engine_imports_nothing_heavy():
    # The explain view speaks the user's language: msptui.core.i18n and the cheap half of
    # msptui.core.formats (Babel is loaded on first use only, never here).
    code = (
        "import sys, msptui.core.sla\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in "
        "('textual', 'sqlmodel', 'sqlalchemy', 'holidays', 'rich', 'babel')]\n"
        "other = [m for m in sys.modules if m.startswith('msptui.') and not m.startswith('msptui.core.sla')"
        " and m not in ('msptui.core', 'msptui.core.i18n', 'msptui.core.formats')]\n"
        "print(heavy + other)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_known_holidays_are_taken_as_given_and_other_years_still_looked_up():
    from datetime import date as _date
    from datetime import datetime as _dt
    from zoneinfo import ZoneInfo

    from msptui.core.sla import BusinessCalendar as Cal

    paris = ZoneInfo("Europe/Paris")
    hours = {d: [("08:05", "17:55")] for d in range(5)}  # hours of its own: no shared timeline
    known = {2026: {_date(2026, 11, 23): "Made-up closing day"}}
    cal = Cal.for_country("FR", hours=hours, tz="Europe/Paris", known_holidays=known)
    assert not cal.is_open(_dt(2026, 11, 23, 10, 0, tzinfo=paris))  # from the given year
    assert cal.is_open(_dt(2026, 12, 25, 10, 0, tzinfo=paris))  # 2026 as given: Christmas not in it
    assert not cal.is_open(_dt(2027, 1, 1, 10, 0, tzinfo=paris))  # 2027 asked of `holidays`
    seen = cal.public_holidays_seen()
    assert seen[2026] == known[2026]
    assert _date(2027, 1, 1) in seen[2027]
