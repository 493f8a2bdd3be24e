"""Compact durations for an 8-character table cell."""

from __future__ import annotations

from datetime import timedelta

from ._instants import ONE_US

_MINUTE = 60_000_000
_HOUR = 60 * _MINUTE


def format_duration(duration: timedelta) -> str:
    """Business time left (or overdue) in at most 8 characters, truncated to the
    minute (toward zero), never in days (DESIGN.md: a day of business time is not
    a calendar day; 48 business hours on a 9-hour calendar span more than five):

    - under 1 hour: minutes, "45m", "0m";
    - under 24 hours: hours and two-digit minutes, "2h05";
    - from 24 hours: whole hours, "76h" (a cell that changes once an hour).

    Negative durations (time overdue) get a leading "-": "-12m", "-2h05",
    "-76h". The widest, "-999999h", is 8 characters (over a century).
    """
    us = duration // ONE_US
    sign = "-" if us < 0 else ""
    us = abs(us)
    if us < _HOUR:
        return f"{sign}{us // _MINUTE}m"
    hours, rest = divmod(us, _HOUR)
    if hours < 24:
        return f"{sign}{hours}h{rest // _MINUTE:02d}"
    return f"{sign}{hours}h"


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
