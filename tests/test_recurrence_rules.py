"""A recurring task's schedule: the local dates it comes due on, and the instant of each."""

from __future__ import annotations

import calendar
import time as wall
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.recurrence import (
    Schedule,
    ScheduleKind,
    due_instant,
    next_occurrence,
    occurrences,
    opens_at,
)

PARIS = ZoneInfo("Europe/Paris")


def monthly(day: int | None = None, every: int = 1) -> Schedule:
    return Schedule(ScheduleKind.months, interval=every, day_of_month=day)


# --- month ends and leap years -------------------------------------------------------------


def test_a_monthly_task_on_the_31st_falls_on_the_last_day_of_shorter_months_never_skipped():
    dates = occurrences(monthly(31), date(2027, 1, 31), None, date(2027, 12, 31))
    assert dates == [date(2027, m, calendar.monthrange(2027, m)[1]) for m in range(1, 13)]
    assert date(2027, 2, 28) in dates and date(2027, 4, 30) in dates


def test_february_29th_in_a_leap_year_and_the_28th_otherwise():
    dates = occurrences(monthly(30), date(2027, 12, 30), None, date(2029, 3, 31))
    feb = [d for d in dates if d.month == 2]
    assert feb == [date(2028, 2, 29), date(2029, 2, 28)]


def test_a_yearly_task_from_29_february_comes_on_28_february_in_common_years():
    dates = occurrences(monthly(every=12), date(2028, 2, 29), None, date(2032, 12, 31))
    assert dates == [date(2028, 2, 29), date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29)]


def test_every_two_days_steps_over_29_february():
    assert occurrences(Schedule(ScheduleKind.days, interval=2), date(2028, 2, 27), None, date(2028, 3, 4)) == [
        date(2028, 2, 27),
        date(2028, 2, 29),
        date(2028, 3, 2),
        date(2028, 3, 4),
    ]


def test_the_first_date_is_never_preceded_by_an_occurrence():
    # Started on 15 March for "the 10th of each month": the first one is 10 April.
    assert occurrences(monthly(10), date(2026, 3, 15), None, date(2026, 5, 31)) == [
        date(2026, 4, 10),
        date(2026, 5, 10),
    ]


def test_a_quarterly_task_counts_its_quarters_from_the_first_date():
    dates = occurrences(monthly(1, every=3), date(2026, 2, 1), date(2026, 6, 1), date(2027, 3, 1))
    assert dates == [date(2026, 8, 1), date(2026, 11, 1), date(2027, 2, 1)]


def test_every_second_week_on_monday_and_thursday():
    schedule = Schedule(ScheduleKind.weeks, interval=2, weekdays=(3, 0))
    # 2026-03-04 is a Wednesday: its Monday has passed, its Thursday has not.
    assert occurrences(schedule, date(2026, 3, 4), None, date(2026, 3, 31)) == [
        date(2026, 3, 5),
        date(2026, 3, 16),
        date(2026, 3, 19),
        date(2026, 3, 30),
    ]
    assert schedule.describe() == "every 2 weeks on Mon, Thu"


def test_after_is_excluded_and_until_included():
    daily = Schedule(ScheduleKind.days)
    assert occurrences(daily, date(2026, 1, 1), date(2026, 1, 5), date(2026, 1, 7)) == [
        date(2026, 1, 6),
        date(2026, 1, 7),
    ]
    assert occurrences(daily, date(2026, 1, 1), date(2026, 1, 7), date(2026, 1, 7)) == []


def test_the_next_occurrence_after_the_last_created():
    assert next_occurrence(monthly(31), date(2026, 1, 31), date(2026, 1, 31)) == date(2026, 2, 28)
    assert (
        next_occurrence(Schedule(ScheduleKind.rrule, rrule="FREQ=DAILY;COUNT=2"), date(2026, 1, 1), date(2026, 1, 2))
        is None
    )


# --- DST days in Europe/Paris ----------------------------------------------------------------


def test_a_daily_task_comes_once_on_each_dst_day_at_its_local_time():
    days = occurrences(Schedule(ScheduleKind.days), date(2026, 3, 28), None, date(2026, 3, 30))
    assert days == [date(2026, 3, 28), date(2026, 3, 29), date(2026, 3, 30)]
    instants = [due_instant(d, time(9, 0), PARIS) for d in days]
    assert instants == [
        datetime(2026, 3, 28, 8, 0, tzinfo=UTC),  # CET, UTC+1
        datetime(2026, 3, 29, 7, 0, tzinfo=UTC),  # CEST from this morning, UTC+2
        datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]
    assert instants[1] - instants[0] == timedelta(hours=23)


def test_a_time_in_the_spring_gap_moves_forward_by_the_gap():
    due = due_instant(date(2026, 3, 29), time(2, 30), "Europe/Paris")
    assert due == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert due.astimezone(PARIS).strftime("%H:%M %Z") == "03:30 CEST"


def test_a_time_repeated_in_autumn_is_the_first_of_the_two():
    due = due_instant(date(2026, 10, 25), time(2, 30, fold=1), PARIS)
    assert due == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert due.astimezone(PARIS).strftime("%H:%M %Z") == "02:30 CEST"


def test_an_unknown_time_zone_is_refused_in_words():
    with pytest.raises(ValueError, match="Unknown time zone 'Europe/Pariss'"):
        due_instant(date(2026, 1, 1), time(9), "Europe/Pariss")


def test_a_lead_time_opens_the_warning_before_the_due_instant():
    due = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)
    assert opens_at(due, timedelta(days=3)) == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)
    with pytest.raises(ValueError):
        opens_at(due, timedelta(days=-1))


# --- RRULE schedules --------------------------------------------------------------------------


def test_an_rrule_for_the_last_day_of_each_month():
    schedule = Schedule(ScheduleKind.rrule, rrule="rrule:freq=monthly;bymonthday=-1")
    assert schedule.rrule == "FREQ=MONTHLY;BYMONTHDAY=-1"
    assert occurrences(schedule, date(2028, 1, 10), None, date(2028, 4, 30)) == [
        date(2028, 1, 31),
        date(2028, 2, 29),
        date(2028, 3, 31),
        date(2028, 4, 30),
    ]


def test_an_rrule_for_the_first_monday_of_each_quarter_with_an_end():
    schedule = Schedule(ScheduleKind.rrule, rrule="FREQ=MONTHLY;INTERVAL=3;BYDAY=1MO;UNTIL=20261231T235959Z")
    assert occurrences(schedule, date(2026, 1, 1), None, date(2028, 1, 1)) == [
        date(2026, 1, 5),
        date(2026, 4, 6),
        date(2026, 7, 6),
        date(2026, 10, 5),
    ]


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=DAILY;BYSETPOS=2",
        "FREQ=SECONDLY;COUNT=1;BYSETPOS=2",
        "FREQ=HOURLY;INTERVAL=12;COUNT=5",
        "FREQ=WEEKLY;BYDAY=MO,TU;BYSETPOS=3",
        "FREQ=MONTHLY;BYDAY=6FR",
        "FREQ=MONTHLY;BYDAY=5FR;BYMONTH=2;BYSETPOS=2",
        "FREQ=YEARLY;BYDAY=54MO",
        "FREQ=MONTHLY;INTERVAL=12;BYMONTH=3",
        "FREQ=DAILY;INTERVAL=7;BYDAY=TU",
        "FREQ=DAILY;UNTIL=19990101",
    ],
)
def test_an_rrule_that_never_gives_a_date_is_refused_at_once(rule):
    started = wall.monotonic()
    with pytest.raises(ValueError, match="never happens|finer than a day|MONTHLY or YEARLY"):
        Schedule(ScheduleKind.rrule, rrule=rule)
    assert wall.monotonic() - started < 0.2  # before: 8 to 20 s of dateutil searching to the year 9999


def test_a_rare_rule_that_does_happen_is_kept_and_checked_quickly():
    started = wall.monotonic()
    schedule = Schedule(ScheduleKind.rrule, rrule="FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO")
    assert occurrences(schedule, date(2026, 1, 1), None, date(2060, 1, 1)) == [date(2044, 2, 29)]
    assert wall.monotonic() - started < 0.2


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        ("FREQ=HOURLY", "finer than a day"),
        ("FREQ=MINUTELY;INTERVAL=5", "finer than a day"),
        ("garbage", "not NAME=VALUE"),
        ("FREQ=FORTNIGHTLY", "not a frequency"),
        ("BYMONTHDAY=1", "needs a FREQ"),
        ("FREQ=DAILY;BYHOUR=9", "BYHOUR is not taken"),
        ("DTSTART:20260101T000000\nRRULE:FREQ=DAILY", "one RRULE line"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "never happens"),
        ("FREQ=DAILY;BYMONTH=4,6;BYMONTHDAY=31,-31", "never happens"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "1 to 31"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "COUNT or UNTIL"),
        ("FREQ=DAILY;UNTIL=tomorrow", "not a date"),
        ("FREQ=WEEKLY;BYDAY=XX", "cannot be read"),
        ("FREQ=DAILY;FREQ=WEEKLY", "twice"),
        ("   ", "needs its rule"),
    ],
)
def test_an_rrule_that_cannot_be_a_task_schedule_is_refused_with_a_sentence(rule, words):
    started = wall.monotonic()
    with pytest.raises(ValueError, match=words):
        Schedule(ScheduleKind.rrule, rrule=rule)
    assert wall.monotonic() - started < 0.5  # refused from the text, not after a search to the year 9999


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"kind": "fortnights"}, "days, weeks, months or by an RRULE"),
        ({"kind": "days", "interval": 0}, "1 to 999"),
        ({"kind": "days", "interval": 2.5}, "whole number"),
        ({"kind": "days", "weekdays": (1,)}, "weekly schedule only"),
        ({"kind": "weeks", "weekdays": (7,)}, "0 \\(Monday\\) to 6"),
        ({"kind": "months", "day_of_month": 32}, "1 to 31"),
        ({"kind": "weeks", "day_of_month": 3}, "monthly schedule only"),
        ({"kind": "days", "rrule": "FREQ=DAILY"}, "RRULE schedule only"),
        ({"kind": "rrule", "rrule": "FREQ=DAILY", "interval": 2}, "inside the rule"),
    ],
)
def test_a_schedule_that_makes_no_sense_is_refused_with_a_sentence(fields, words):
    with pytest.raises(ValueError, match=words):
        Schedule(**fields)


def test_a_schedule_reads_back_from_its_stored_form():
    for schedule in [
        Schedule(ScheduleKind.weeks, interval=2, weekdays=(4, 0)),
        monthly(31, every=3),
        Schedule(ScheduleKind.rrule, rrule="FREQ=MONTHLY;BYMONTHDAY=-1"),
        Schedule(ScheduleKind.days, interval=7),
    ]:
        assert Schedule.from_json(schedule.to_json()) == schedule
    assert Schedule.from_json({"kind": "weeks", "weekdays": [2, 0]}).weekdays == (0, 2)
    with pytest.raises(ValueError, match="damaged"):
        Schedule.from_json({"kind": "days", "interval": "2"})


def test_schedules_in_words():
    assert Schedule(ScheduleKind.days).describe() == "every day"
    assert Schedule(ScheduleKind.days, interval=3).describe() == "every 3 days"
    assert monthly(31).describe() == "every month on the 31st (or the last day)"
    assert monthly(2, every=3).describe() == "every 3 months on the 2nd"
    assert Schedule(ScheduleKind.rrule, rrule="FREQ=YEARLY").describe() == "RRULE FREQ=YEARLY"


# --- the expansion agrees with a day-by-day reading of the schedule ------------------------

schedules = st.one_of(
    st.builds(Schedule, st.just(ScheduleKind.days), interval=st.integers(1, 40)),
    st.builds(
        Schedule,
        st.just(ScheduleKind.weeks),
        interval=st.integers(1, 5),
        weekdays=st.lists(st.integers(0, 6), max_size=7).map(tuple),
    ),
    st.builds(
        Schedule,
        st.just(ScheduleKind.months),
        interval=st.integers(1, 14),
        day_of_month=st.none() | st.integers(1, 31),
    ),
)
firsts = st.dates(min_value=date(2023, 1, 1), max_value=date(2030, 12, 31))


def is_due(schedule: Schedule, first: date, day: date) -> bool:
    """The schedule read literally, one day at a time: the oracle."""
    if day < first:
        return False
    if schedule.kind is ScheduleKind.days:
        return (day - first).days % schedule.interval == 0
    if schedule.kind is ScheduleKind.weeks:
        week = (day - first).days + first.weekday()
        return week // 7 % schedule.interval == 0 and day.weekday() in (schedule.weekdays or (first.weekday(),))
    months = (day.year - first.year) * 12 + day.month - first.month
    wanted = min(schedule.day_of_month or first.day, calendar.monthrange(day.year, day.month)[1])
    return months % schedule.interval == 0 and day.day == wanted


@given(schedules, firsts, st.integers(-40, 400), st.integers(0, 500))
def test_occurrences_are_exactly_the_days_the_schedule_names(schedule, first, after_offset, span):
    after = first + timedelta(days=after_offset)
    until = after + timedelta(days=span)
    got = occurrences(schedule, first, after, until)
    window = [after + timedelta(days=i) for i in range(1, span + 1)]
    assert got == [d for d in window if is_due(schedule, first, d)]


@given(schedules, firsts, st.integers(0, 800), st.integers(0, 800))
def test_two_windows_side_by_side_give_the_dates_of_the_whole(schedule, first, cut, span):
    until = first + timedelta(days=cut + span)
    middle = first + timedelta(days=cut)
    whole = occurrences(schedule, first, None, until)
    assert occurrences(schedule, first, None, middle) + occurrences(schedule, first, middle, until) == whole
    assert len(set(whole)) == len(whole)


@given(st.integers(1, 31), firsts, st.integers(1, 6))
def test_a_monthly_schedule_comes_once_every_interval_of_months_whatever_the_day(day, first, every):
    dates = occurrences(monthly(day, every), first, None, first + timedelta(days=3 * 366))
    months = [d.year * 12 + d.month for d in dates]
    assert all(b - a == every for a, b in zip(months, months[1:]))
    assert all(d.day == min(day, calendar.monthrange(d.year, d.month)[1]) for d in dates)
