"""The open instants of a calendar, as sorted UTC intervals per UTC year.

Each local date's open intervals are expanded once into UTC intervals
(exact across DST: a repeated hour is two UTC intervals, a skipped hour
none), merged, and stored per UTC year with cumulative open time. Then
`elapsed` is two bisects and a subtraction, and `add` a bisect on the
cumulative sums: the cost does not depend on the minutes crossed, and only
by one step per year on the years crossed.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date, datetime
from functools import cache
from threading import Lock
from zoneinfo import ZoneInfo

from ._closed import ClosedDates
from ._hours import WeeklyHours
from ._instants import (
    DAY_US,
    EPOCH_ORDINAL,
    MAX_YEAR,
    MIN_YEAR,
    ONE_US,
    SECOND_US,
    utc_year_of,
    year_start_us,
)

# Offsets are sampled this often to find DST transitions (then bisected to the
# second). Two transitions less than 6 hours apart do not occur in tzdata.
_SAMPLE_SECONDS = 6 * 3600

_EPOCH_YEAR = 1970
_MEAN_YEAR_US = 31_556_952 * SECOND_US  # 365.2425 days

# `add` gives up after this many consecutive UTC years without an open instant.
IDLE_YEARS = 2


@cache
def _offset_pieces(tz: ZoneInfo, year: int) -> tuple[tuple[int, int, int], ...]:
    """(utc_start_us, utc_end_us, offset_us) pieces covering UTC `year`."""
    low = year_start_us(year) // SECOND_US
    high = year_start_us(year + 1) // SECOND_US

    def offset(second: int) -> int:
        utc_offset = datetime.fromtimestamp(second, tz).utcoffset()
        assert utc_offset is not None  # an aware datetime of a real zone always has one
        return utc_offset // ONE_US

    pieces = []
    piece_start, current = low, offset(low)
    at = low
    while at < high:
        step = min(at + _SAMPLE_SECONDS, high)
        if offset(step) == current:
            at = step
            continue
        before, after = at, step  # offset(before) == current != offset(after)
        while after - before > 1:
            middle = (before + after) // 2
            if offset(middle) == current:
                before = middle
            else:
                after = middle
        pieces.append((piece_start * SECOND_US, after * SECOND_US, current))
        piece_start, current, at = after, offset(after), after
    pieces.append((piece_start * SECOND_US, high * SECOND_US, current))
    return tuple(p for p in pieces if p[0] < p[1])


_CHUNKS: dict[tuple[object, ...], Chunk] = {}
_CHUNKS_LOCK = Lock()


class Chunk:
    """Open intervals of one UTC year: starts/ends sorted, cum[i] = open time before i."""

    __slots__ = ("year", "lo", "hi", "starts", "ends", "cum", "total")

    def __init__(self, year: int, lo: int, hi: int, intervals: list[tuple[int, int]]):
        self.year = year
        self.lo = lo
        self.hi = hi
        self.starts = [s for s, _ in intervals]
        self.ends = [e for _, e in intervals]
        cum = [0]
        for s, e in intervals:
            cum.append(cum[-1] + e - s)
        self.cum = cum
        self.total = cum[-1]

    def open_before(self, t: int) -> int:
        """Open microseconds in this chunk before instant t."""
        starts = self.starts
        i = bisect_right(starts, t) - 1
        if i < 0:
            return 0
        end = self.ends[i]
        return self.cum[i] + (t if t < end else end) - starts[i]


class Timeline:
    """Lazily built chunks of one calendar definition (shared by equal calendars)."""

    __slots__ = ("tz", "week", "closed", "has_hours", "_chunks")

    def __init__(self, tz: ZoneInfo, week: WeeklyHours, closed: ClosedDates) -> None:
        self.tz = tz
        self.week = week
        self.closed = closed
        self.has_hours = any(week)
        self._chunks: dict[int, Chunk] = {}

    # -- chunks ---------------------------------------------------------------

    def chunk(self, year: int) -> Chunk:
        found = self._chunks.get(year)
        if found is None:
            if not MIN_YEAR <= year <= MAX_YEAR:
                raise ValueError(f"instant outside the supported years {MIN_YEAR}-{MAX_YEAR}")
            closed = self.closed
            first, last = date(year - 1, 12, 30), date(year + 1, 1, 2)  # see _build
            closed_dates = frozenset(
                day
                for day in closed.for_year(year - 1) | closed.for_year(year) | closed.for_year(year + 1)
                if first <= day <= last
            )
            # Calendars that differ only by closed dates of other years share
            # this year's chunk: a thousand contracts cost one chunk per year.
            key = (self.tz.key, self.week, year, closed_dates)
            with _CHUNKS_LOCK:
                found = _CHUNKS.get(key)
                if found is None:
                    found = _CHUNKS[key] = self._build(year, closed_dates)
            self._chunks[year] = found
        return found

    def chunk_at(self, t: int) -> Chunk:
        # The mean Gregorian year finds the chunk with one dict lookup; within a
        # day or two of New Year the guess can be off by one: slow path.
        found = self._chunks.get(_EPOCH_YEAR + t // _MEAN_YEAR_US)
        if found is not None and found.lo <= t < found.hi:
            return found
        return self.chunk(utc_year_of(t))

    def _build(self, year: int, closed: frozenset[date]) -> Chunk:
        lo, hi = year_start_us(year), year_start_us(year + 1)
        pieces = _offset_pieces(self.tz, year)
        week = self.week
        found: list[tuple[int, int]] = []
        # Local dates whose open hours can fall in this UTC year (offsets < 1 day).
        first, last = date(year - 1, 12, 30).toordinal(), date(year + 1, 1, 2).toordinal()
        for ordinal in range(first, last + 1):
            day_hours = week[(ordinal - 1) % 7]  # ordinal 1 is a Monday
            if not day_hours or date.fromordinal(ordinal) in closed:
                continue
            midnight = (ordinal - EPOCH_ORDINAL) * DAY_US  # local wall clock, as if UTC
            for start, end in day_hours:
                wall_start, wall_end = midnight + start, midnight + end
                # Instants u with u + offset(u) in [wall_start, wall_end), per offset piece.
                for piece_start, piece_end, offset in pieces:
                    u0, u1 = wall_start - offset, wall_end - offset
                    if u0 < piece_start:
                        u0 = piece_start
                    if u1 > piece_end:
                        u1 = piece_end
                    if u0 < u1:
                        found.append((u0, u1))
        found.sort()
        merged: list[tuple[int, int]] = []
        for s, e in found:
            if merged and s <= merged[-1][1]:
                if e > merged[-1][1]:
                    merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return Chunk(year, lo, hi, merged)

    # -- queries (integer microseconds) ----------------------------------------

    def is_open(self, t: int) -> bool:
        c = self.chunk_at(t)
        i = bisect_right(c.starts, t) - 1
        return i >= 0 and t < c.ends[i]

    def elapsed(self, a: int, b: int) -> int:
        """Open microseconds in [a, b); negative when b < a."""
        if b < a:
            return -self.elapsed(b, a)
        ca = self._chunks.get(_EPOCH_YEAR + a // _MEAN_YEAR_US)
        if ca is None or not ca.lo <= a < ca.hi:
            ca = self.chunk_at(a)
        if b < ca.hi:
            return ca.open_before(b) - ca.open_before(a)
        total = ca.total - ca.open_before(a)
        cb = self.chunk_at(b)
        for year in range(ca.year + 1, cb.year):
            total += self.chunk(year).total
        return total + cb.open_before(b)

    def add(self, s: int, d: int) -> int | None:
        """Earliest T with elapsed(s, T) == d (d >= 0); None if never open for years."""
        if d == 0:
            return s
        if not self.has_hours:
            return None
        c = self._chunks.get(_EPOCH_YEAR + s // _MEAN_YEAR_US)
        if c is None or not c.lo <= s < c.hi:
            c = self.chunk_at(s)
        # Open time to reach, counted from the chunk's start (open_before, inlined).
        starts = c.starts
        i = bisect_right(starts, s) - 1
        if i >= 0:
            end = c.ends[i]
            target = c.cum[i] + (s if s < end else end) - starts[i] + d
        else:
            target = d
        idle = 0
        while target > c.total:
            target -= c.total
            c = self.chunk(c.year + 1)
            idle = idle + 1 if c.total == 0 else 0
            if idle >= IDLE_YEARS:
                return None
        cum = c.cum
        j = bisect_left(cum, target) - 1
        return c.starts[j] + target - cum[j]

    def segment(self, t: int) -> tuple[bool, int | None]:
        """(open at t, instant the openness next changes) — None if it never does
        within the search bound."""
        c = self.chunk_at(t)
        i = bisect_right(c.starts, t) - 1
        if i >= 0 and t < c.ends[i]:
            return True, c.ends[i]
        if i + 1 < len(c.starts):
            return False, c.starts[i + 1]
        for year in range(c.year + 1, c.year + 1 + IDLE_YEARS + 1):
            if year > MAX_YEAR:
                break
            nxt = self.chunk(year)
            if nxt.starts:
                return False, nxt.starts[0]
        return False, None

    def intervals(self, a: int, b: int) -> list[tuple[int, int]]:
        """Open intervals clipped to [a, b), merged across year boundaries."""
        result: list[tuple[int, int]] = []
        if b <= a:
            return result
        c = self.chunk_at(a)
        while True:
            i = max(bisect_right(c.starts, a) - 1, 0)
            for s, e in zip(c.starts[i:], c.ends[i:]):
                if s >= b:
                    break
                s, e = max(s, a), min(e, b)
                if s >= e:
                    continue
                if result and result[-1][1] == s:
                    result[-1] = (result[-1][0], e)
                else:
                    result.append((s, e))
            if c.hi >= b:
                return result
            c = self.chunk(c.year + 1)
