"""Parsing and describing weekly open hours ("HH:MM"-"HH:MM" per weekday)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from msptui.core.i18n import N_, _

from ._instants import HOUR_US, MINUTE_US

# In the engine's own errors, for developers (store/schemas says what a user typed wrong first).
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # i18n: not shown
# Shown in `describe_week`, translated there.
WEEKDAY_SHORT = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))

_HHMM = re.compile(r"(\d\d):(\d\d)")

# One weekday's open intervals: ((start_us, end_us), ...) from local midnight.
DayHours = tuple[tuple[int, int], ...]
WeeklyHours = tuple[DayHours, ...]  # seven entries, Monday first


def _clock_us(text: object, where: str, is_end: bool) -> int:
    """Microseconds after midnight of an "HH:MM" wall-clock time."""
    match = _HHMM.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"{where}: {text!r} is not a time of day: expected HH:MM")  # i18n: not shown
    hour, minute = int(match[1]), int(match[2])
    if hour == 24 and minute == 0:
        if not is_end:
            raise ValueError(f"{where}: 24:00 can only end an interval")  # i18n: not shown
    elif hour > 23 or minute > 59:
        raise ValueError(f"{where}: {text!r} is not a time of day: expected 00:00 to 24:00")  # i18n: not shown
    return hour * HOUR_US + minute * MINUTE_US


def parse_hours(hours: Mapping[int, Iterable[tuple[str, str]]]) -> WeeklyHours:
    """Validate weekly hours and return them as microsecond offsets.

    Keys are weekdays (Monday=0 .. Sunday=6); values are iterables of
    ("HH:MM", "HH:MM") local wall-clock intervals. An end may be "24:00";
    an interval may not cross midnight, be empty, or overlap another one of
    the same day. Touching intervals are merged. ValueError says what is
    wrong, e.g. "Monday 12:00-11:00: end must be after start".
    """
    if not isinstance(hours, Mapping):
        raise ValueError("hours must map a weekday (0=Monday .. 6=Sunday) to intervals")  # i18n: not shown
    week: list[list[tuple[int, int, str]]] = [[] for _day in range(7)]
    for day, intervals in hours.items():
        if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
            raise ValueError(f"weekday {day!r}: expected 0 (Monday) to 6 (Sunday)")  # i18n: not shown
        name = WEEKDAY_NAMES[day]
        for interval in intervals:
            if isinstance(interval, str) or len(interval) != 2:
                raise ValueError(f"{name} {interval!r}: expected a (start, end) pair of HH:MM")  # i18n: not shown
            start_text, end_text = interval
            label = f"{name} {start_text}-{end_text}"
            start = _clock_us(start_text, label, is_end=False)
            end = _clock_us(end_text, label, is_end=True)
            if end == start:
                raise ValueError(f"{label}: the interval is empty")  # i18n: not shown
            if end < start:
                raise ValueError(  # i18n: not shown
                    f"{label}: end must be after start (an interval cannot cross midnight: split it at 24:00)"
                )
            week[day].append((start, end, f"{start_text}-{end_text}"))
    result = []
    for day, spans in enumerate(week):
        spans.sort()
        merged: list[tuple[int, int]] = []
        previous = ""
        for start, end, text in spans:
            if merged and start < merged[-1][1]:
                raise ValueError(f"{WEEKDAY_NAMES[day]} {previous} overlaps {text}")  # i18n: not shown
            if merged and start == merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            else:
                merged.append((start, end))
            previous = text
        result.append(tuple(merged))
    return tuple(result)


def _clock_text(us: int) -> str:
    minutes = us // MINUTE_US
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def day_text(day: DayHours) -> str:
    """ "09:00-12:30, 13:30-18:00" for one weekday's intervals."""
    return ", ".join(f"{_clock_text(s)}-{_clock_text(e)}" for s, e in day)


def describe_week(week: WeeklyHours) -> tuple[str, ...]:
    """Human lines such as "Mon-Fri 09:00-18:00" (current language); consecutive equal days grouped."""
    if all(day == ((0, 24 * HOUR_US),) for day in week):
        return (_("round the clock, every day"),)
    lines = []
    first = 0
    for index in range(1, 8):
        if index < 7 and week[index] == week[first]:
            continue
        if week[first]:
            days = _(WEEKDAY_SHORT[first])
            if index - 1 > first:
                days += f"-{_(WEEKDAY_SHORT[index - 1])}"
            lines.append(f"{days} {day_text(week[first])}")
        first = index
    return tuple(lines) or (_("never open"),)
