"""Laws of business-time arithmetic, checked by hypothesis on several calendars.

Instants are drawn over 2025-2028 with extra weight around the DST changes
of each zone; a brute-force minute-by-minute reading of the definition
("open when the local wall-clock time is inside an interval of the local
weekday and the local date is not closed") is the independent reference.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from msptui.core.sla import BusinessCalendar, ClockStatus, evaluate

# Hundreds of drawn instants per law, each read minute by minute: `make test` runs them, not `make check`.
pytestmark = pytest.mark.slow

UTC = UTC
US = timedelta(microseconds=1)
MINUTE = timedelta(minutes=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

SPLIT = [("09:00", "12:30"), ("13:30", "18:00")]
NIGHT = {5: [("20:00", "24:00")], 6: [("00:00", "03:30"), ("22:00", "24:00")], 0: [("00:00", "02:00")]}

# name -> (zone, hours, holidays country, subdivision)
SPECS = {
    "paris 9-18 FR": ("Europe/Paris", {d: [("09:00", "18:00")] for d in range(5)}, "FR", None),
    "paris split FR-57": ("Europe/Paris", {**{d: SPLIT for d in range(5)}, 5: [("09:00", "12:00")]}, "FR", "57"),
    "new york always": ("America/New_York", {d: [("00:00", "24:00")] for d in range(7)}, None, None),
    "sydney 8-17:30 NSW": ("Australia/Sydney", {d: [("08:00", "17:30")] for d in range(5)}, "AU", "NSW"),
    "paris nights": ("Europe/Paris", NIGHT, None, None),
}


def _build(name: str) -> BusinessCalendar:
    tz, hours, country, subdiv = SPECS[name]
    if country:
        return BusinessCalendar.for_country(country, subdiv, hours=hours, tz=tz)
    return BusinessCalendar(tz, hours)


CALENDARS = {name: _build(name) for name in SPECS}

# DST changes of the zones above, in UTC: instants near them are drawn often.
CHANGES = [
    datetime(2026, 3, 29, 1, tzinfo=UTC),
    datetime(2026, 10, 25, 1, tzinfo=UTC),
    datetime(2026, 3, 8, 7, tzinfo=UTC),
    datetime(2026, 11, 1, 6, tzinfo=UTC),
    datetime(2026, 4, 4, 16, tzinfo=UTC),
    datetime(2026, 10, 3, 16, tzinfo=UTC),
]
LOW = datetime(2025, 6, 1, tzinfo=UTC)
HIGH = datetime(2028, 6, 1, tzinfo=UTC)
VIEW_ZONES = [UTC, ZoneInfo("Europe/Paris"), ZoneInfo("Asia/Tokyo"), ZoneInfo("America/New_York")]

calendars = st.sampled_from(sorted(CALENDARS))


@st.composite
def instants(draw, minute_aligned: bool = False) -> datetime:
    unit = MINUTE if minute_aligned else US
    if draw(st.booleans()):
        near = draw(st.sampled_from(CHANGES))
        offset = draw(st.integers(-3 * 24 * 60, 3 * 24 * 60)) * MINUTE
        if not minute_aligned:
            offset += draw(st.integers(0, 59_999_999)) * US
        base = near + offset
    else:
        span = (HIGH - LOW) // unit
        base = LOW + draw(st.integers(0, span)) * unit
    return base.astimezone(draw(st.sampled_from(VIEW_ZONES)))


durations = st.one_of(
    st.integers(0, 12 * 3600 * 10**6).map(lambda us: us * US),
    st.integers(0, 40 * 24 * 3600).map(lambda s: timedelta(seconds=s)),
    st.sampled_from([timedelta(0), timedelta(hours=1), timedelta(hours=4), timedelta(days=3)]),
)


# -- add and elapsed ----------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(calendars, instants(), durations)
def test_elapsed_from_start_to_the_added_instant_is_the_duration(name, start, duration):
    cal = CALENDARS[name]
    due = cal.add(start, duration)
    assert cal.elapsed(start, due) == duration
    assert due.tzinfo is UTC


@settings(max_examples=300, deadline=None)
@given(calendars, instants(), durations)
def test_add_gives_the_earliest_such_instant(name, start, duration):
    cal = CALENDARS[name]
    due = cal.add(start, duration)
    assert due >= start.astimezone(UTC)
    if duration > timedelta(0):
        assert cal.elapsed(start, due - US) == duration - US
        assert cal.is_open(due - US)


@settings(max_examples=200, deadline=None)
@given(calendars, instants())
def test_adding_zero_gives_the_start(name, start):
    # Compared in UTC: Python's == is False across zones for a repeated-hour fold=1 time.
    assert CALENDARS[name].add(start, timedelta(0)) == start.astimezone(UTC)


@settings(max_examples=300, deadline=None)
@given(calendars, instants(), durations, durations)
def test_add_is_monotonic_in_the_duration(name, start, d1, d2):
    cal = CALENDARS[name]
    short, long = sorted((d1, d2))
    assert cal.add(start, short) <= cal.add(start, long)


@settings(max_examples=300, deadline=None)
@given(calendars, instants(), instants(), instants())
def test_elapsed_is_additive_whatever_the_order(name, a, b, c):
    cal = CALENDARS[name]
    assert cal.elapsed(a, c) == cal.elapsed(a, b) + cal.elapsed(b, c)


@settings(max_examples=300, deadline=None)
@given(calendars, instants(), instants())
def test_elapsed_is_antisymmetric_and_bounded_by_real_time(name, a, b):
    cal = CALENDARS[name]
    assert cal.elapsed(a, b) == -cal.elapsed(b, a)
    # In UTC: same-zone "<" and "-" are wall clock, blind to a repeated hour's fold.
    low, high = sorted((a.astimezone(UTC), b.astimezone(UTC)))
    real = high - low
    assert timedelta(0) <= cal.elapsed(low, high) <= real


@settings(max_examples=300, deadline=None)
@given(calendars, instants(minute_aligned=True))
def test_open_exactly_when_the_next_minute_counts_in_full(name, t):
    # All intervals, zone offsets and closed dates fall on minute boundaries,
    # so openness is constant over [t, t + 1 min).
    cal = CALENDARS[name]
    t = t.astimezone(UTC)  # so that + is real time, not wall clock
    counted = cal.elapsed(t, t + MINUTE)
    assert counted in (timedelta(0), MINUTE)
    assert cal.is_open(t) == (counted == MINUTE)


@settings(max_examples=200, deadline=None)
@given(calendars, instants())
def test_next_open_is_the_first_open_instant(name, t):
    cal = CALENDARS[name]
    opening = cal.next_open(t)
    assert opening >= t.astimezone(UTC) and cal.is_open(opening)
    assert cal.elapsed(t, opening) == timedelta(0)


# -- the definition, read literally ------------------------------------------------------


@cache
def _reference_holidays(country: str, subdiv: str | None, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdiv, years=year))


def _reference_open(name: str, t: datetime) -> bool:
    tz, hours, country, subdiv = SPECS[name]
    local = t.astimezone(ZoneInfo(tz))
    if country and local.date() in _reference_holidays(country, subdiv, local.year):
        return False
    now = f"{local:%H:%M}"
    return any(start <= now < end for start, end in hours.get(local.weekday(), []))


@settings(max_examples=60, deadline=None)
@given(calendars, instants(minute_aligned=True), st.integers(1, 3 * 24 * 60))
def test_elapsed_matches_a_minute_by_minute_reading_of_the_definition(name, start, minutes):
    cal = CALENDARS[name]
    start = start.astimezone(UTC)  # so that + is real time, not wall clock
    expected = sum(_reference_open(name, start + k * MINUTE) for k in range(minutes))
    assert cal.elapsed(start, start + minutes * MINUTE) == expected * MINUTE


# -- clocks: the cheap board tick is exact ---------------------------------------------------


@st.composite
def clock_cases(draw):
    name = draw(calendars)
    start = draw(instants()).astimezone(UTC)  # arithmetic below must be in real time
    target = draw(st.sampled_from([timedelta(minutes=30), timedelta(hours=4), timedelta(hours=8), timedelta(days=3)]))
    pauses = []
    for _ in range(draw(st.integers(0, 3))):
        begin = start + draw(st.integers(-2 * 60, 6 * 24 * 60)) * MINUTE
        length = draw(st.one_of(st.none(), st.integers(0, 2 * 24 * 60)))
        pauses.append((begin, None if length is None else begin + length * MINUTE))
    stop = draw(st.one_of(st.none(), st.integers(0, 8 * 24 * 60).map(lambda m: start + m * MINUTE)))
    now = start + draw(st.integers(-60, 8 * 24 * 60)) * MINUTE + draw(st.integers(0, 59)) * timedelta(seconds=1)
    later = sorted(draw(st.lists(st.integers(0, 3 * 24 * 3600), min_size=1, max_size=6)))
    warn_at = draw(st.sampled_from([0.75, 0.5, 1.0]))
    return name, target, start, pauses, stop, now, [now + s * timedelta(seconds=1) for s in later], warn_at


@settings(max_examples=300, deadline=None)
@given(clock_cases())
def test_a_projected_clock_equals_a_fresh_evaluation(case):
    name, target, start, pauses, stop, now, later, warn_at = case
    cal = CALENDARS[name]

    def fresh(at: datetime):
        return evaluate(cal, target, start, pauses, stop, at, warn_at)

    state = fresh(now)
    checks = list(later)
    if state.valid_until is not None:
        checks += [state.valid_until - US, state.valid_until]
    for t in checks:
        projected = state.at(t)
        if projected is None:
            assert t < state.as_of or (state.valid_until is not None and t >= state.valid_until)
        else:
            assert projected == fresh(t)
            assert state.remaining_at(t) == projected.remaining


@settings(max_examples=200, deadline=None)
@given(clock_cases())
def test_the_due_instant_is_where_the_target_is_used_up(case):
    name, target, start, pauses, stop, now, _, warn_at = case
    cal = CALENDARS[name]
    state = evaluate(cal, target, start, pauses, None, now, warn_at)
    if state.due_at is None:
        return
    at_due = evaluate(cal, target, start, pauses, None, max(state.due_at, now), warn_at)
    assert at_due.status is ClockStatus.BREACHED
    if state.due_at >= now:
        assert at_due.elapsed == target
    assert (
        evaluate(cal, target, start, pauses, state.due_at, state.due_at + timedelta(days=30), warn_at).status
        is ClockStatus.MET
    )


@settings(max_examples=200, deadline=None)
@given(clock_cases())
def test_status_follows_the_fraction(case):
    name, target, start, pauses, stop, now, _, warn_at = case
    state = evaluate(CALENDARS[name], target, start, pauses, stop, now, warn_at)
    assert state.remaining == target - state.elapsed
    assert state.fraction == state.elapsed / target
    if state.status is ClockStatus.WARNING:
        assert warn_at <= state.fraction < 1
    if state.status is ClockStatus.RUNNING:
        assert state.fraction < warn_at
    if state.status is ClockStatus.MET:
        assert state.elapsed <= target
    if state.status is ClockStatus.PAUSED:
        assert state.due_at is None and not state.ticking
