"""What comes due beside the tickets: states at the edges, renewals, breach countdowns,
and recurring occurrences created exactly once however msptui is started and stopped."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msptui.core.rules.coming_due import (
    GDPR_ART33_HOURS,
    ComingDue,
    DueKind,
    DueState,
    Occurrence,
    breach_countdown_words,
    breach_lead,
    by_due_instant,
    countdown_words,
    missed_occurrences,
    notification_due,
    occurrences_to_create,
    renewal_due,
    state,
)
from msptui.core.rules.recurrence import Schedule, ScheduleKind, due_instant, occurrences

PARIS = ZoneInfo("Europe/Paris")
DUE = datetime(2026, 4, 1, 7, 0, tzinfo=UTC)


def item(due_at: datetime = DUE, lead: timedelta = timedelta(days=3), kind: str = "renewal") -> ComingDue:
    return ComingDue(DueKind(kind), 7, "Domain acme.fr", "ACME", due_at, lead)


# --- later, warning, overdue at the edges -------------------------------------------------------


def test_later_until_the_lead_time_opens_warning_inside_it_overdue_from_the_due_instant():
    renewal = item()
    us = timedelta(microseconds=1)
    assert state(renewal, DUE - timedelta(days=3) - us) is DueState.later
    assert state(renewal, DUE - timedelta(days=3)) is DueState.warning
    assert state(renewal, DUE - us) is DueState.warning
    assert state(renewal, DUE) is DueState.overdue
    assert state(renewal, DUE + timedelta(days=400)) is DueState.overdue


def test_without_a_lead_time_an_item_goes_straight_from_later_to_overdue():
    renewal = item(lead=timedelta(0))
    assert state(renewal, DUE - timedelta(microseconds=1)) is DueState.later
    assert state(renewal, DUE) is DueState.overdue


def test_the_state_is_the_same_whatever_the_zone_now_is_written_in():
    renewal = item(due_at=DUE.astimezone(PARIS))
    assert renewal.due_at.tzinfo is UTC
    assert state(renewal, datetime(2026, 4, 1, 8, 59, tzinfo=PARIS)) is DueState.warning  # 06:59 UTC
    assert state(renewal, datetime(2026, 4, 1, 9, 0, tzinfo=PARIS)) is DueState.overdue


def test_an_item_refuses_a_naive_due_instant_a_negative_lead_and_an_unknown_kind():
    with pytest.raises(ValueError, match="timezone-aware"):
        item(due_at=datetime(2026, 4, 1, 7, 0))
    with pytest.raises(ValueError, match="negative"):
        item(lead=timedelta(hours=-1))
    with pytest.raises(ValueError):
        item(kind="birthday")
    with pytest.raises(ValueError, match="timezone-aware"):
        state(item(), datetime(2026, 4, 1, 7, 0))


def test_the_band_lists_the_soonest_due_first():
    a, b, c = item(DUE + timedelta(hours=1)), item(DUE, kind="breach"), item(DUE - timedelta(days=2), kind="warranty")
    assert by_due_instant([a, b, c]) == [c, b, a]
    assert [k.label for k in DueKind] == ["Recurring task", "Renewal", "Warranty end", "Certification", "Data breach"]


# --- renewals ----------------------------------------------------------------------------------


def test_a_renewal_comes_due_at_expiry_minus_its_notice_at_nine_local():
    # Expires 30 April; 30 days' notice: due 31 March at 09:00 in Paris (CEST since the 29th).
    assert renewal_due(date(2026, 4, 30), 30, PARIS) == datetime(2026, 3, 31, 7, 0, tzinfo=UTC)
    # Winter time: 09:00 CET is 08:00 UTC.
    assert renewal_due(date(2026, 12, 31), 0, "Europe/Paris") == datetime(2026, 12, 31, 8, 0, tzinfo=UTC)
    # 60 days before 1 March 2028 crosses the leap day.
    assert renewal_due(date(2028, 3, 1), 60, "UTC") == datetime(2028, 1, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("notice", [-1, 1.5, True])
def test_a_renewal_notice_is_whole_days_zero_or_more(notice):
    with pytest.raises(ValueError, match="notice period"):
        renewal_due(date(2026, 4, 30), notice, PARIS)


# --- breach notification countdown ---------------------------------------------------------


DISCOVERED = datetime(2026, 3, 28, 22, 15, tzinfo=PARIS)  # a Saturday night, 21:15 UTC
# Arithmetic on an aware datetime is wall-clock in its own zone: count real hours from UTC.
DISCOVERED_UTC = DISCOVERED.astimezone(UTC)


def test_the_notification_is_due_the_contracts_hours_after_discovery_in_real_hours():
    assert notification_due(DISCOVERED, GDPR_ART33_HOURS) == datetime(2026, 3, 31, 21, 15, tzinfo=UTC)
    # Across the spring DST change, 24 real hours are 23:15 -> 23:15 local plus one hour.
    assert notification_due(DISCOVERED, 24).astimezone(PARIS) == datetime(2026, 3, 29, 23, 15, tzinfo=PARIS)
    with pytest.raises(ValueError, match="1 or more"):
        notification_due(DISCOVERED, 0)
    with pytest.raises(ValueError, match="timezone-aware"):
        notification_due(datetime(2026, 3, 28, 22, 15), 72)


def test_the_breach_countdown_in_words_from_discovery_to_notification():
    due = notification_due(DISCOVERED, 72)
    words = lambda now, notified=None: breach_countdown_words(DISCOVERED, 72, now, PARIS, notified)
    assert words(DISCOVERED) == "notify the client within 3 d"
    assert words(DISCOVERED_UTC + timedelta(hours=1, minutes=50)) == "notify the client within 2 d 22 h"
    assert words(due - timedelta(hours=5, minutes=20)) == "notify the client within 5 h 20 min"
    assert words(due - timedelta(seconds=30)) == "notify the client within under a minute"
    assert words(due) == "notification late since Tue 23:15"
    assert words(due + timedelta(days=10)) == "notification late since 31 Mar 2026 23:15"
    assert words(due, DISCOVERED_UTC + timedelta(hours=30)) == "client notified 1 d 6 h after discovery"
    assert (
        words(due + timedelta(hours=9), due + timedelta(hours=8)) == "client notified 3 d 8 h after discovery, 8 h late"
    )


def test_a_breach_turns_to_warning_in_the_last_quarter_of_its_delay_as_an_sla_clock():
    due = notification_due(DISCOVERED, 72)
    breach = ComingDue(DueKind.breach, 3, "Stolen laptop", "ACME", due, breach_lead(72))
    assert state(breach, due - timedelta(hours=18, seconds=1)) is DueState.later
    assert state(breach, due - timedelta(hours=18)) is DueState.warning
    assert state(breach, due) is DueState.overdue


def test_countdown_words_for_any_item():
    assert countdown_words(DUE, DUE - timedelta(days=2, hours=3, minutes=59), PARIS) == "due in 2 d 3 h"
    assert countdown_words(DUE, DUE - timedelta(minutes=12), PARIS) == "due in 12 min"
    assert countdown_words(DUE, DUE + timedelta(hours=2), PARIS) == "late since Wed 09:00"


# Discovery dates within the years the store accepts (schemas.common.BoundedDate: 1900-2199).
@given(
    st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2199, 12, 31), timezones=st.just(UTC)),
    st.integers(1, 24 * 365),
    st.integers(-(10**6), 10**6),
)
def test_the_breach_countdown_is_late_exactly_from_the_notification_due_instant(discovered, hours, seconds):
    now = discovered + timedelta(hours=hours, seconds=seconds)
    words = breach_countdown_words(discovered, hours, now, "UTC")
    assert words.startswith("notification late") is (seconds >= 0)


# --- recurring occurrences: what a start creates ---------------------------------------------------


def test_occurrences_missed_while_msptui_was_not_run_are_created_once_and_say_late():
    due_dates = [date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30)]
    assert missed_occurrences(date(2026, 1, 31), due_dates, date(2026, 3, 31)) == [
        Occurrence(date(2026, 2, 28), late=True),
        Occurrence(date(2026, 3, 31), late=False),
    ]
    assert missed_occurrences(None, due_dates[:1] * 2, date(2026, 1, 31)) == [Occurrence(date(2026, 1, 31), False)]
    assert missed_occurrences(date(2026, 3, 31), due_dates, date(2026, 3, 31)) == []


def test_todays_occurrence_waits_for_its_time_of_day():
    monthly_31 = Schedule(ScheduleKind.months, day_of_month=31)
    first = date(2026, 1, 31)
    run = lambda now: occurrences_to_create(monthly_31, first, time(9), PARIS, date(2026, 1, 31), now)
    assert run(datetime(2026, 2, 28, 7, 59, tzinfo=UTC)) == []  # 08:59 in Paris
    assert run(datetime(2026, 2, 28, 8, 0, tzinfo=UTC)) == [Occurrence(date(2026, 2, 28), late=False)]
    assert run(datetime(2026, 3, 1, 8, 0, tzinfo=UTC)) == [Occurrence(date(2026, 2, 28), late=True)]


def test_the_local_date_decides_late_not_the_utc_one():
    daily = Schedule(ScheduleKind.days)
    # 23:30 UTC on 1 March is already 2 March in Paris: the task of the 1st is late.
    got = occurrences_to_create(daily, date(2026, 3, 1), time(8), PARIS, None, datetime(2026, 3, 1, 23, 30, tzinfo=UTC))
    assert got == [Occurrence(date(2026, 3, 1), late=True)]


schedules = st.one_of(
    st.builds(Schedule, st.just(ScheduleKind.days), interval=st.integers(1, 10)),
    st.builds(
        Schedule,
        st.just(ScheduleKind.weeks),
        interval=st.integers(1, 3),
        weekdays=st.lists(st.integers(0, 6), max_size=3).map(tuple),
    ),
    st.builds(
        Schedule, st.just(ScheduleKind.months), interval=st.integers(1, 3), day_of_month=st.none() | st.integers(28, 31)
    ),
    st.sampled_from(["FREQ=MONTHLY;BYMONTHDAY=-1", "FREQ=WEEKLY;BYDAY=MO,FR", "FREQ=DAILY;COUNT=20"]).map(
        lambda rule: Schedule(ScheduleKind.rrule, rrule=rule)
    ),
)
# A run: how long after the previous one msptui starts, and how many of its tickets it
# creates before it is killed (None: it finishes).
runs = st.lists(
    st.tuples(
        st.timedeltas(min_value=timedelta(minutes=1), max_value=timedelta(days=75)), st.none() | st.integers(0, 3)
    ),
    min_size=1,
    max_size=25,
)


@given(
    schedules,
    st.dates(min_value=date(2027, 10, 1), max_value=date(2028, 4, 30)),
    st.times(),
    st.sampled_from(["Europe/Paris", "America/New_York", "UTC", "Pacific/Chatham"]),
    st.timedeltas(min_value=timedelta(days=-20), max_value=timedelta(days=20)),
    runs,
)
def test_each_occurrence_is_created_exactly_once_however_msptui_is_started_and_stopped(
    schedule, first, at, tz, start_gap, runs
):
    """The app runs on some days (possibly killed half-way through); each run creates what is
    due and the store remembers the newest date created. No date twice, none missed, and each
    says late exactly when it was created on a later local day than its own."""
    zone = ZoneInfo(tz)
    now = due_instant(first, at, tz) + start_gap
    created: list[Occurrence] = []
    created_on: dict[date, date] = {}
    last_created: date | None = None
    for gap, killed_after in runs:
        now += gap
        todo = occurrences_to_create(schedule, first, at, tz, last_created, now)
        done = todo if killed_after is None else todo[:killed_after]
        for occurrence in done:
            created.append(occurrence)
            created_on[occurrence.due_on] = now.astimezone(zone).date()
        if done:
            last_created = done[-1].due_on
    # A last, complete run: whatever was due by then exists.
    now += timedelta(minutes=1)
    for occurrence in occurrences_to_create(schedule, first, at, tz, last_created, now):
        created.append(occurrence)
        created_on[occurrence.due_on] = now.astimezone(zone).date()

    dates = [o.due_on for o in created]
    assert len(dates) == len(set(dates)), "an occurrence was created twice"
    expected = [
        d for d in occurrences(schedule, first, None, now.astimezone(zone).date()) if due_instant(d, at, tz) <= now
    ]
    assert dates == expected, "an occurrence was missed"
    for occurrence in created:
        assert occurrence.late is (occurrence.due_on < created_on[occurrence.due_on])
