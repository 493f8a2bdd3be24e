"""BusinessCalendar: when a contract's clock runs.

An instant is open when its local wall-clock time in the calendar's zone
lies inside an interval of its local weekday and its local date is not
closed. Business time is the measure, in real seconds, of open instants.
All results are UTC datetimes (tzinfo=timezone.utc).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from threading import Lock
from zoneinfo import ZoneInfo

from msptui.core.i18n import _

from ._closed import CONTRACT_CLOSED, ClosedDates, check_country, named_dates
from ._hours import WeeklyHours, describe_week, parse_hours
from ._instants import EPOCH, ONE_US, duration_us, from_us, to_us, zone
from ._timeline import Timeline

Hours = Mapping[int, Iterable[tuple[str, str]]]

# Equal definitions share one Timeline, so a thousand contracts on
# "Mon-Fri 09:00-18:00, Europe/Paris, FR holidays" build their cache once.
_TIMELINES: dict[tuple[object, ...], Timeline] = {}
_TIMELINES_LOCK = Lock()

ALWAYS_HOURS: Hours = {day: [("00:00", "24:00")] for day in range(7)}


def _shared_timeline(tz_name: str, week: WeeklyHours, closed: ClosedDates) -> Timeline:
    key = (tz_name, week, closed.key)
    found = _TIMELINES.get(key)
    if found is None:
        with _TIMELINES_LOCK:
            found = _TIMELINES.setdefault(key, Timeline(zone(tz_name), week, closed))
    return found


class BusinessCalendar:
    """A time zone, weekly open hours and closed dates.

    `hours` maps a weekday (Monday=0 .. Sunday=6) to local ("HH:MM", "HH:MM")
    intervals; an end may be "24:00"; no interval crosses midnight.
    `holidays` are extra closed local dates (an iterable of dates, or a
    mapping date -> reason). Bad input raises ValueError saying what is wrong.
    """

    __slots__ = ("_tz", "_week", "_tl")

    def __init__(
        self,
        tz: str,
        hours: Hours,
        holidays: Iterable[date] | Mapping[date, str] = (),
    ) -> None:
        closed = ClosedDates(None, None, False, named_dates(holidays, CONTRACT_CLOSED))
        self._setup(tz, hours, closed)

    def _setup(self, tz: str, hours: Hours, closed: ClosedDates) -> None:
        self._tz = zone(tz)
        self._week = parse_hours(hours)
        self._tl = _shared_timeline(self._tz.key, self._week, closed)

    # -- constructors ------------------------------------------------------------

    @classmethod
    def always(cls, tz: str = "UTC") -> BusinessCalendar:
        """Open round the clock, every day (typically P1 contracts)."""
        return cls(tz, ALWAYS_HOURS)

    @classmethod
    def for_country(
        cls,
        country: str,
        subdiv: str | None = None,
        *,
        hours: Hours,
        tz: str,
        whit_monday_worked: bool = False,
        extra_closed: Iterable[date] | Mapping[date, str] = (),
        known_holidays: Mapping[int, Mapping[date, str]] | None = None,
    ) -> BusinessCalendar:
        """Closed on the public holidays of `country` (and `subdiv`), per `holidays`.

        France "57" (Moselle) and "6AE" (Alsace) add Good Friday and
        26 December. `whit_monday_worked=True` keeps Whit Monday open (unless
        another holiday falls on it). `extra_closed` adds the contract's own
        closed dates. Unknown country or subdivision: ValueError.

        `known_holidays` ({year: {date: name}}, as `public_holidays_seen` gives,
        for the same country, subdivision and Whit Monday rule) saves asking
        `holidays` for those years (and checking the country, which was checked
        when they were first computed); any other year is still asked of it.
        """
        if not known_holidays:
            check_country(country, subdiv)
        closed = ClosedDates(
            country, subdiv, bool(whit_monday_worked), named_dates(extra_closed, CONTRACT_CLOSED), known_holidays
        )
        calendar = cls.__new__(cls)
        calendar._setup(tz, hours, closed)
        return calendar

    @staticmethod
    def weekday_hours(
        start: str = "09:00", end: str = "18:00", days: Iterable[int] = range(5)
    ) -> dict[int, list[tuple[str, str]]]:
        """`hours` for one interval on each given weekday (default Mon-Fri 09:00-18:00)."""
        return {day: [(start, end)] for day in days}

    def public_holidays_seen(self) -> dict[int, dict[date, str]]:
        """The country's holidays of each year this calendar has looked up so far,
        without the contract's own closed dates: what `known_holidays` takes back."""
        return self._tl.closed.public_years()

    # -- description ------------------------------------------------------------

    @property
    def tz(self) -> str:
        """IANA name of the calendar's zone."""
        return self._tz.key

    @property
    def zone(self) -> ZoneInfo:
        """The calendar's ZoneInfo."""
        return self._tz

    def describe_hours(self) -> tuple[str, ...]:
        """Weekly hours as lines, e.g. ("Mon-Fri 09:00-18:00",)."""
        return describe_week(self._week)

    def describe_closed(self) -> str:
        """Where the closed dates come from, e.g. "public holidays FR-57"."""
        return self._tl.closed.describe()

    def closed_dates(self, first: date, last: date) -> list[tuple[date, str]]:
        """Closed dates from `first` to `last` (inclusive) that would otherwise be
        open (a holiday on a Sunday of a Mon-Fri calendar is left out)."""
        result = []
        closed = self._tl.closed
        ordinal = first.toordinal()
        while ordinal <= last.toordinal():
            day = date.fromordinal(ordinal)
            if self._week[day.weekday()]:
                reason = closed.name(day)
                if reason is not None:
                    result.append((day, reason))
            ordinal += 1
        return result

    def __repr__(self) -> str:
        hours = "; ".join(self.describe_hours())
        return f"BusinessCalendar({self.tz!r}, {hours}, {self.describe_closed()})"  # i18n: not shown

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BusinessCalendar):
            return NotImplemented
        return self._tl is other._tl

    def __hash__(self) -> int:
        return id(self._tl)

    # -- queries -----------------------------------------------------------------

    def is_open(self, t: datetime) -> bool:
        """True when the clock runs at instant t (aware datetime)."""
        return self._tl.is_open(to_us(t))

    def next_open(self, t: datetime) -> datetime:
        """t itself (in UTC) if open, else the next instant the calendar opens.
        ValueError if it does not open within about two years."""
        us = to_us(t)
        is_open, change = self._tl.segment(us)
        if is_open:
            return from_us(us)
        if change is None:
            raise ValueError(
                _("this calendar has no open hours within two years of {instant}").format(instant=t.isoformat())
            )
        return from_us(change)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Earliest instant T (UTC) with elapsed(start, T) == duration.

        add(start, 0) is start. A negative duration, or a calendar with no open
        hours within two years of start, raises ValueError.
        """
        try:  # to_us and duration_us inlined: this is the hot path of the board
            s = (start - EPOCH) // ONE_US
            d = duration // ONE_US
        except TypeError:
            s, d = to_us(start, "start"), duration_us(duration)
        if d < 0:
            raise ValueError(f"cannot add a negative business time ({duration})")  # i18n: not shown
        found = self._tl.add(s, d)
        if found is None:
            raise ValueError(
                _("this calendar has no open hours within two years of {instant}").format(instant=start.isoformat())
            )
        return EPOCH + ONE_US * found

    def elapsed(self, a: datetime, b: datetime) -> timedelta:
        """Business time between a and b; negative when b < a."""
        try:
            a_us, b_us = (a - EPOCH) // ONE_US, (b - EPOCH) // ONE_US
        except TypeError:
            a_us, b_us = to_us(a), to_us(b)
        return ONE_US * self._tl.elapsed(a_us, b_us)

    # -- integer microseconds, for the rest of the engine -------------------------

    @property
    def timeline(self) -> Timeline:
        return self._tl
