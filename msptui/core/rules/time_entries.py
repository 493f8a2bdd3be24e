"""Time spent: typed durations, how they read, and the in-hours / out-of-hours split.

- `parse_duration` reads what a technician types ("1h30", "45m", "1:30",
  "1,5h"; a bare number is minutes) and refuses anything else with a sentence.
- `format_duration` writes a duration the way a statement shows it ("1 h 30").
- `split_hours` cuts an entry into the part inside the contract's business
  hours and the part outside, exactly, with the SLA engine's calendar: the
  calendar passed is the contract's business-hours calendar, never the
  round-the-clock calendar of a priority.

Pure: standard library, `msptui.core.i18n`, `msptui.core.rules.words`, and the SLA engine's
`BusinessCalendar` for typing only (the split only calls its `elapsed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from msptui.core.i18n import _
from msptui.core.rules.words import Word, as_utc

if TYPE_CHECKING:
    from datetime import datetime

    from msptui.core.sla import BusinessCalendar

#: The longest single entry: longer work is one entry per day.
MAX_ENTRY = timedelta(hours=24)

ZERO = timedelta(0)
_MINUTE = timedelta(minutes=1)
_HOUR_US = 3_600_000_000
_CENT_HOUR = Decimal("0.01")

# After lowercasing and removing spaces. Minutes after hours or a colon are 0-59.
_H_MM = re.compile(r"(?P<h>\d{1,3}):(?P<m>\d{2})")
_H_M = re.compile(r"(?P<h>\d{1,3})h(?P<m>\d{1,2})(?:m|mn|min)?")
_DECIMAL_H = re.compile(r"(?P<h>\d{1,3}(?:[.,]\d+)?)h")
_MINUTES = re.compile(r"(?P<m>\d{1,5})(?:m|mn|min)?")


class TimeCategory(Word):
    """What kind of work an entry is; a contract may price each one differently."""

    remote = "remote"
    on_site = "on_site"
    travel = "travel"


def parse_duration(text: str) -> timedelta:
    """The duration typed in `text`, in whole minutes.

    Accepted: "1h30", "2h15m", "1h", "45m", "90 min", "1:30", "1.5h" and
    "1,5h" (decimal hours, rounded to the nearest minute), and a bare number,
    read as minutes ("45"). Spaces and case do not matter, so "1 h 30" (how
    `format_duration` writes it) reads back. Refused with ValueError and a
    sentence: empty text, anything else, a negative or zero duration, and
    more than 24 hours.
    """
    typed = "".join(text.split()).lower()
    if not typed:
        raise ValueError(_("Type a duration such as 1h30 or 45m."))
    if typed.startswith("-"):
        raise ValueError(_("A duration cannot be negative. Type a duration such as 1h30 or 45m."))
    minutes = _minutes(typed)
    if minutes is None:
        raise ValueError(
            _("“{text}” is not a duration. Type a duration such as 1h30 or 45m.").format(text=text.strip())
        )
    duration = minutes * _MINUTE
    if duration <= ZERO:
        raise ValueError(_("A duration of zero records nothing. Type a duration such as 1h30 or 45m."))
    if duration > MAX_ENTRY:
        raise ValueError(
            _("A time entry lasts 24 h at most ({duration} typed): record one entry per day.").format(
                duration=format_duration(duration)
            )
        )
    return duration


def _minutes(typed: str) -> int | None:
    """Whole minutes in a lowercased, space-free `typed`; None when it is not a duration."""
    for pattern in (_H_MM, _H_M):
        found = pattern.fullmatch(typed)
        if found:
            minutes = int(found["m"])
            if minutes > 59:
                raise ValueError(
                    _("Minutes after the hours go up to 59 (“{text}”). Type a duration such as 1h30 or 45m.").format(
                        text=typed
                    )
                )
            return int(found["h"]) * 60 + minutes
    found = _DECIMAL_H.fullmatch(typed)
    if found:
        try:
            hours = Decimal(found["h"].replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            return None
        return int((hours * 60).to_integral_value(ROUND_HALF_UP))
    found = _MINUTES.fullmatch(typed)
    return int(found["m"]) if found else None


def format_duration(duration: timedelta) -> str:
    """A duration as a statement shows it, to the nearest minute: "1 h 30", "2 h",
    "1 h 05", "45 min", "0 min"; hours never become days ("26 h 10").
    A negative duration gets a leading "-" (a correction's difference)."""
    minutes = round(duration / _MINUTE)
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    if not hours:
        return f"{sign}{rest} min"
    return f"{sign}{hours} h" if not rest else f"{sign}{hours} h {rest:02d}"


def hours_of(duration: timedelta) -> Decimal:
    """A duration in hours to the hundredth, half up: 1 h 30 is 1.50, 20 min is 0.33.

    What a statement shows and what an amount is computed from, so a client can
    check a line by hand.
    """
    us = duration // timedelta(microseconds=1)
    return (Decimal(us) / _HOUR_US).quantize(_CENT_HOUR, ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class HoursSplit:
    """An entry's real duration, cut at the contract's business hours."""

    in_hours: timedelta
    out_of_hours: timedelta

    @property
    def total(self) -> timedelta:
        return self.in_hours + self.out_of_hours


def split_hours(calendar: BusinessCalendar | None, start: datetime, end: datetime) -> HoursSplit:
    """How much of the entry from `start` to `end` lies inside `calendar`'s open hours.

    Real elapsed time: an entry across the night of a DST change lasts one hour
    less (spring) or more (autumn) than its wall-clock reading, and a public
    holiday closed in the calendar is out of hours all day. `calendar` is the
    contract's business-hours calendar; None (no contract) puts it all in hours.
    `start` and `end` must be aware; an end before the start is refused with
    ValueError. The two parts always add up to `end - start`.
    """
    start_utc, end_utc = as_utc("start", start), as_utc("end", end)
    if end_utc < start_utc:
        raise ValueError(_("A time entry ends after it starts: check the start and end times."))
    total = end_utc - start_utc
    if calendar is None:
        return HoursSplit(total, ZERO)
    in_hours = calendar.elapsed(start_utc, end_utc)
    return HoursSplit(in_hours, total - in_hours)
