"""Instants as integer microseconds since the Unix epoch (UTC).

The engine computes on plain ints: exact (no float rounding, so
`elapsed(a, add(a, d)) == d` holds to the microsecond) and cheap (no
datetime objects in inner loops). Datetimes only appear at the API edge.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

UTC = UTC
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
ONE_US = timedelta(microseconds=1)

SECOND_US = 1_000_000
MINUTE_US = 60 * SECOND_US
HOUR_US = 60 * MINUTE_US
DAY_US = 24 * HOUR_US

# Years the engine will compute in. Wide enough for any ticket; narrow enough
# that a bad instant (year 9999) fails clearly instead of building calendars.
MIN_YEAR = 1900
MAX_YEAR = 2999


def to_us(instant: datetime, what: str = "instant") -> int:
    """Microseconds since the epoch of an aware datetime; ValueError if naive."""
    try:
        return (instant - EPOCH) // ONE_US
    except TypeError:
        if isinstance(instant, datetime):
            raise ValueError(  # i18n: not shown
                f"{what} {instant.isoformat()} is a naive datetime: an aware datetime (with tzinfo) is required"
            ) from None
        raise ValueError(f"{what} must be an aware datetime, not {type(instant).__name__}") from None


def from_us(us: int) -> datetime:
    """The UTC datetime (tzinfo=timezone.utc) of microseconds since the epoch."""
    return EPOCH + ONE_US * us  # int * timedelta: the cheapest way to build it


def duration_us(duration: timedelta, what: str = "duration") -> int:
    """Microseconds in a timedelta; ValueError for anything else."""
    try:
        return duration // ONE_US
    except TypeError:
        raise ValueError(f"{what} must be a timedelta, not {type(duration).__name__}") from None


def year_start_us(year: int) -> int:
    """First microsecond of 1 January of `year`, UTC."""
    return (date(year, 1, 1).toordinal() - EPOCH_ORDINAL) * DAY_US


def utc_year_of(us: int) -> int:
    """UTC calendar year of an instant; ValueError outside the supported years."""
    day = us // DAY_US + EPOCH_ORDINAL
    if day < date(MIN_YEAR, 1, 1).toordinal() or day > date(MAX_YEAR, 12, 31).toordinal():
        raise ValueError(f"instant outside the supported years {MIN_YEAR}-{MAX_YEAR}")
    return date.fromordinal(day).year


def zone(name: str | tzinfo) -> ZoneInfo:
    """The IANA zone called `name`; ValueError naming it when unknown."""
    if isinstance(name, ZoneInfo):
        return name
    if not isinstance(name, str) or not name:
        raise ValueError(f"unknown time zone {name!r}")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError(f"unknown time zone {name!r}") from None


def local(us: int, tz: tzinfo) -> datetime:
    """The instant as an aware datetime in `tz` (fold set right in repeated hours)."""
    return from_us(us).astimezone(tz)
