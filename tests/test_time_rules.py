"""Time spent: what a technician may type as a duration, and the exact in-hours / out-of-hours split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msptui.core.rules.time_entries import (
    HoursSplit,
    TimeCategory,
    format_duration,
    hours_of,
    parse_duration,
    split_hours,
)
from msptui.core.sla import BusinessCalendar

PARIS = ZoneInfo("Europe/Paris")
H = timedelta(hours=1)
M = timedelta(minutes=1)
WEEKDAYS_9_18 = BusinessCalendar.weekday_hours("09:00", "18:00")


def paris(*args: int, fold: int = 0) -> datetime:
    return datetime(*args, tzinfo=PARIS, fold=fold)


@pytest.fixture(scope="module")
def fr() -> BusinessCalendar:
    """Mon-Fri 09:00-18:00 in Paris, closed on French public holidays."""
    return BusinessCalendar.for_country("FR", hours=WEEKDAYS_9_18, tz="Europe/Paris")


# -- typing a duration ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("1h30", 90),
        ("1h", 60),
        ("45m", 45),
        ("90m", 90),
        ("1:30", 90),
        ("2h15m", 135),
        ("1.5h", 90),
        ("1,5h", 90),  # the French decimal comma
        ("0,25h", 15),
        ("45", 45),  # a bare number is minutes
        ("  1 H 05 ", 65),
        ("1 h 30", 90),  # how format_duration writes it reads back
        ("45 min", 45),
        ("24h", 24 * 60),
        ("0:01", 1),
    ],
)
def test_a_technician_types_a_duration_the_way_they_say_it(typed, minutes):
    assert parse_duration(typed) == timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Type a duration such as 1h30 or 45m."),
        ("   ", "Type a duration such as 1h30 or 45m."),
        ("0", "A duration of zero records nothing."),
        ("0h", "A duration of zero records nothing."),
        ("0:00", "A duration of zero records nothing."),
        ("-30m", "A duration cannot be negative."),
        ("-1h", "A duration cannot be negative."),
        ("25h", "A time entry lasts 24 h at most"),
        ("24h01", "A time entry lasts 24 h at most"),
        ("2000", "A time entry lasts 24 h at most"),
        ("abc", "“abc” is not a duration."),
        ("1h30x", "is not a duration."),
        ("1.5", "is not a duration."),  # a bare number is minutes, and minutes are whole
        ("1:5", "is not a duration."),
        ("h", "is not a duration."),
        ("1h75", "Minutes after the hours go up to 59"),
        ("1:60", "Minutes after the hours go up to 59"),
    ],
)
def test_what_is_not_a_duration_is_refused_with_a_sentence_saying_what_to_type(typed, says):
    with pytest.raises(ValueError) as refused:
        parse_duration(typed)
    message = str(refused.value)
    assert says in message
    assert message.endswith(".") and (message[0].isupper() or message.startswith("“"))


@pytest.mark.parametrize(
    ("duration", "reads"),
    [
        (90 * M, "1 h 30"),
        (45 * M, "45 min"),
        (timedelta(0), "0 min"),
        (2 * H, "2 h"),
        (65 * M, "1 h 05"),
        (26 * H + 10 * M, "26 h 10"),
        (29 * M + timedelta(seconds=31), "30 min"),  # to the nearest minute
        (timedelta(seconds=29), "0 min"),
        (-90 * M, "-1 h 30"),
    ],
)
def test_a_duration_reads_as_on_a_statement(duration, reads):
    assert format_duration(duration) == reads


@given(st.integers(min_value=1, max_value=24 * 60))
def test_every_formatted_duration_reads_back_as_itself(minutes):
    duration = timedelta(minutes=minutes)
    assert parse_duration(format_duration(duration)) == duration


def test_hours_are_shown_to_the_hundredth_rounded_half_up():
    assert str(hours_of(90 * M)) == "1.50"
    assert str(hours_of(20 * M)) == "0.33"
    assert str(hours_of(timedelta(seconds=18))) == "0.01"  # 0.005 h rounds up
    assert str(hours_of(timedelta(seconds=17))) == "0.00"


def test_the_categories_of_work_read_as_words():
    assert TimeCategory.choices() == [("Remote", "remote"), ("On site", "on_site"), ("Travel", "travel")]


# -- the in-hours / out-of-hours split -----------------------------------------------------


def test_an_entry_from_17_00_to_19_30_is_one_hour_in_hours_and_one_and_a_half_out(fr):
    tuesday = (2026, 3, 10)
    split = split_hours(fr, paris(*tuesday, 17, 0), paris(*tuesday, 19, 30))
    assert split == HoursSplit(in_hours=H, out_of_hours=H + 30 * M)


def test_work_inside_the_hours_is_all_in_hours_and_at_night_all_out(fr):
    assert split_hours(fr, paris(2026, 3, 10, 10, 0), paris(2026, 3, 10, 12, 0)) == HoursSplit(2 * H, timedelta(0))
    assert split_hours(fr, paris(2026, 3, 10, 22, 0), paris(2026, 3, 11, 1, 0)) == HoursSplit(timedelta(0), 3 * H)


def test_a_public_holiday_is_out_of_hours_all_day(fr):
    # 14 July 2026 is a Tuesday, Bastille Day: the calendar is closed.
    assert split_hours(fr, paris(2026, 7, 14, 10, 0), paris(2026, 7, 14, 12, 30)) == HoursSplit(
        timedelta(0), 2 * H + 30 * M
    )
    # The same hours a week later are in hours.
    assert split_hours(fr, paris(2026, 7, 21, 10, 0), paris(2026, 7, 21, 12, 30)).out_of_hours == timedelta(0)


def test_the_night_of_the_spring_change_lasts_an_hour_less_than_the_wall_clock_says(fr):
    # Saturday 28 March 2026 22:00 to Sunday 06:00: the clocks skip 02:00-03:00.
    split = split_hours(fr, paris(2026, 3, 28, 22, 0), paris(2026, 3, 29, 6, 0))
    assert split == HoursSplit(timedelta(0), 7 * H)


def test_the_night_of_the_autumn_change_lasts_an_hour_more_than_the_wall_clock_says(fr):
    split = split_hours(fr, paris(2026, 10, 24, 22, 0), paris(2026, 10, 25, 6, 0))
    assert split == HoursSplit(timedelta(0), 9 * H)


def test_on_call_hours_on_the_change_nights_count_the_real_hours_in_and_out():
    # An on-call contract open on Sundays 01:00-04:00 local time.
    on_call = BusinessCalendar("Europe/Paris", {6: [("01:00", "04:00")]})
    spring = split_hours(on_call, paris(2026, 3, 29, 0, 0), paris(2026, 3, 29, 5, 0))
    autumn = split_hours(on_call, paris(2026, 10, 25, 0, 0), paris(2026, 10, 25, 5, 0))
    assert spring == HoursSplit(2 * H, 2 * H)  # 02:00-03:00 never happens
    assert autumn == HoursSplit(4 * H, 2 * H)  # 02:00-03:00 happens twice, both in hours


def test_an_entry_inside_the_repeated_hour_is_measured_in_real_time():
    on_call = BusinessCalendar("Europe/Paris", {6: [("01:00", "04:00")]})
    first, second = paris(2026, 10, 25, 2, 30), paris(2026, 10, 25, 2, 30, fold=1)
    assert split_hours(on_call, first, second) == HoursSplit(H, timedelta(0))


def test_without_a_contract_everything_is_in_hours():
    start = paris(2026, 7, 14, 22, 0)
    assert split_hours(None, start, start + 3 * H) == HoursSplit(3 * H, timedelta(0))


def test_an_entry_ending_before_it_starts_or_without_a_time_zone_is_refused(fr):
    with pytest.raises(ValueError, match="ends after it starts"):
        split_hours(fr, paris(2026, 3, 10, 12, 0), paris(2026, 3, 10, 11, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        split_hours(fr, datetime(2026, 3, 10, 9, 0), paris(2026, 3, 10, 11, 0))


def test_the_split_is_given_in_real_time_whatever_zone_the_instants_are_in(fr):
    start = paris(2026, 3, 10, 17, 0)
    in_utc = split_hours(fr, start.astimezone(UTC), (start + 150 * M).astimezone(UTC))
    assert in_utc == HoursSplit(H, H + 30 * M)


# -- laws ----------------------------------------------------------------------------------

# 2026, weighted toward the DST nights and 14 July by drawing from a few weeks around them.
_AROUND = [datetime(2026, 3, 25, tzinfo=UTC), datetime(2026, 7, 10, tzinfo=UTC), datetime(2026, 10, 21, tzinfo=UTC)]
instants = st.builds(
    lambda base, minutes: base + timedelta(minutes=minutes),
    st.sampled_from(_AROUND),
    st.integers(min_value=0, max_value=10 * 24 * 60),
)
lengths = st.integers(min_value=0, max_value=36 * 60).map(lambda m: timedelta(minutes=m))


@settings(max_examples=150, deadline=None)
@given(start=instants, length=lengths, seconds=st.integers(min_value=0, max_value=59))
def test_the_parts_of_a_split_always_add_up_to_the_entry(fr, start, length, seconds):
    start = start + timedelta(seconds=seconds)  # a timer stops at any second
    split = split_hours(fr, start, start + length)
    assert split.in_hours + split.out_of_hours == length
    assert timedelta(0) <= split.in_hours <= length


@settings(max_examples=60, deadline=None)
@given(start=instants, length=lengths)
def test_the_in_hours_part_is_the_minutes_the_contract_is_open(fr, start, length):
    # Independent reference: the calendar read minute by minute (its hours change on whole minutes).
    open_minutes = sum(1 for k in range(length // M) if fr.is_open(start + k * M))
    assert split_hours(fr, start, start + length).in_hours == open_minutes * M
