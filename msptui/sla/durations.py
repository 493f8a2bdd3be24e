"""Compact durations for an 8-character table cell."""

from __future__ import annotations

from datetime import timedelta

from ._instants import ONE_US

_MINUTE = 60_000_000
_HOUR = 60 * _MINUTE
_DAY = 24 * _HOUR


def format_duration(duration: timedelta) -> str:
    """A duration in at most 8 characters, truncated to the minute (toward zero):

    - under 1 hour: minutes, "45m", "0m";
    - under 1 day: hours and two-digit minutes, "2h05";
    - under 100 days: days and hours, "3d 4h", "12d 23h";
    - from 100 days: days only, "123d".

    Negative durations (a breach: time overdue) get a leading "-": "-12m",
    "-2h05", "-3d 4h". The widest outputs are "-99d 23h" and "-9999d"
    (8 characters and less, up to 27 years).
    """
    us = duration // ONE_US
    sign = "-" if us < 0 else ""
    us = abs(us)
    if us < _HOUR:
        return f"{sign}{us // _MINUTE}m"
    if us < _DAY:
        hours, rest = divmod(us, _HOUR)
        return f"{sign}{hours}h{rest // _MINUTE:02d}"
    days, rest = divmod(us, _DAY)
    if days < 100:
        return f"{sign}{days}d {rest // _HOUR}h"
    return f"{sign}{days}d"


def format_business_time(duration: timedelta) -> str:
    """Business time in hours and minutes, never days: "48h", "1h30", "45min",
    "-2h05". A day of business time is not a calendar day (48 business hours on
    a 09:00-18:00 calendar are more than five days), so days would mislead."""
    us = duration // ONE_US
    sign = "-" if us < 0 else ""
    minutes = abs(us) // _MINUTE
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{sign}{rest}min"
    return f"{sign}{hours}h{rest:02d}" if rest else f"{sign}{hours}h"
