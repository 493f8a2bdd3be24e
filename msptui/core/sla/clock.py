"""One SLA clock: how much business time a milestone has used, and its state.

Choices (DESIGN.md "SLA semantics" leaves them open):
- A running clock is breached from its due instant on (remaining <= 0); a
  clock stopped at or before its due instant is met, stopped later it is
  breached ("met late" is a breach, the board shows it as such). The
  comparison is between instants: a stop at 20:00 for a due instant at 18:00
  is breached although no business time passed after 18:00.
- Once a clock is breached at some instant, no later stop, pause or reopening
  makes it met: the business time counted up to that instant only grows. The
  one exception is re-targeting (a priority change, see `ticket.py`): the
  clock is then evaluated afresh against the new target over its whole
  history, so a downgrade to a longer target can turn a breached clock back
  into running or met. The ticket's log keeps the change; the board shows
  the clock as the new target says.
- Breached wins over paused: pausing a breached ticket does not hide the
  breach. A paused clock that is not breached has no due instant (due_at None).
- A stop or pause given after `now` is not known yet at `now`; it only
  bounds `valid_until`, so projections stay exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from ._instants import EPOCH, ONE_US, duration_us, to_us
from ._timeline import Timeline
from .business_calendar import BusinessCalendar

Pause = tuple[datetime, datetime | None]
_new_object = object.__new__


class ClockStatus(StrEnum):
    RUNNING = "running"
    WARNING = "warning"
    PAUSED = "paused"
    MET = "met"
    BREACHED = "breached"


_RUNNING, _WARNING, _PAUSED = ClockStatus.RUNNING, ClockStatus.WARNING, ClockStatus.PAUSED
_MET, _BREACHED = ClockStatus.MET, ClockStatus.BREACHED


@dataclass(frozen=True)
class ClockState:
    """A clock as of `as_of`.

    - status: running, warning (fraction >= warn_at, not breached), paused,
      met, or breached.
    - due_at: UTC instant the target is reached (in the past once breached);
      None while paused (not breached) or when it can never be reached.
    - elapsed: business time counted (pauses excluded), up to the stop if stopped.
    - remaining: target - elapsed, negative once breached.
    - fraction: elapsed / target (1.0 at the due instant).
    - as_of: the instant this state was computed for (UTC).
    - valid_until: until this instant (excluded) remaining changes linearly
      and status stays the same; None when nothing changes again without a
      new event (met, stopped, paused without end).
    - ticking: remaining decreases one second per second right now.
    """

    status: ClockStatus
    due_at: datetime | None
    elapsed: timedelta
    remaining: timedelta
    fraction: float
    target: timedelta
    as_of: datetime
    valid_until: datetime | None
    ticking: bool

    def at(self, now: datetime) -> ClockState | None:
        """This state projected to `now` in O(1), or None when `now` is outside
        [as_of, valid_until): then the caller must call `evaluate` again.
        Cheapest with a UTC `now` (no zone conversion)."""
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)  # then comparisons below are same-zone, cheap
        if now < self.as_of or (self.valid_until is not None and now >= self.valid_until):
            return None
        # A copy of the fields then the changes: a third of the cost of __init__
        # on a frozen dataclass, and this runs for every clock on every board tick.
        projected = _new_object(ClockState)
        fields = projected.__dict__
        fields.update(self.__dict__)
        fields["as_of"] = now
        if self.ticking:
            step = now - self.as_of
            elapsed = fields["elapsed"] = self.elapsed + step
            fields["remaining"] = self.remaining - step
            fields["fraction"] = elapsed / self.target
        return projected

    def remaining_at(self, now: datetime) -> timedelta | None:
        """Just the projected remaining time (cheapest board tick), or None
        when `now` is outside [as_of, valid_until)."""
        if now.tzinfo is not UTC:
            now = now.astimezone(UTC)
        if now < self.as_of or (self.valid_until is not None and now >= self.valid_until):
            return None
        if self.ticking:
            return self.remaining - (now - self.as_of)
        return self.remaining


@lru_cache(maxsize=256)
def _warn_threshold(target_us: int, warn_at: float) -> int:
    """Smallest elapsed (us) with elapsed / target >= warn_at, using the same
    float division as ClockState.fraction so status and fraction agree."""
    threshold = max(0, min(target_us, int(warn_at * target_us)))
    while threshold > 0 and (threshold - 1) / target_us >= warn_at:
        threshold -= 1
    while threshold / target_us < warn_at:
        threshold += 1
    return threshold


def active_segments(start: int, pauses: Iterable[tuple[int, int | None]]) -> list[tuple[int, int | None]]:
    """The complement of the pauses from `start` on: [(begin, end or None=forever)]."""
    spans = sorted(((b, e) for b, e in pauses if e is None or e > start), key=lambda p: p[0])
    segments: list[tuple[int, int | None]] = []
    cursor: int | None = start
    for begin, end in spans:
        if cursor is None:
            break
        if begin > cursor:
            segments.append((cursor, begin))
        if end is None:
            cursor = None
        elif end > cursor:
            cursor = end
    if cursor is not None:
        segments.append((cursor, None))
    return segments


def _counted(tl: Timeline, segments: list[tuple[int, int | None]], until: int) -> int:
    total = 0
    for begin, end in segments:
        if begin >= until:
            break
        total += tl.elapsed(begin, until if end is None or end > until else end)
    return total


def _reach(tl: Timeline, segments: list[tuple[int, int | None]], origin: int, amount: int) -> int | None:
    """Earliest instant at which `amount` us are counted from `origin` on
    (origin inside or before an active segment); None if never."""
    if amount <= 0:
        return origin
    for begin, end in segments:
        if end is not None and end <= origin:
            continue
        begin = max(begin, origin)
        if end is None:
            return tl.add(begin, amount)
        available = tl.elapsed(begin, end)
        if available >= amount:
            return tl.add(begin, amount)
        amount -= available
    return None


def to_pause_us(pauses: Iterable[Pause]) -> list[tuple[int, int | None]]:
    result = []
    for begin, end in pauses:
        b = to_us(begin, "pause begin")
        e = None
        if end is not None:
            e = to_us(end, "pause end")
            if e < b:
                raise ValueError(  # i18n: not shown
                    f"pause ends ({end.isoformat()}) before it begins ({begin.isoformat()})"
                )
        result.append((b, e))
    return result


def evaluate(
    cal: BusinessCalendar,
    target: timedelta,
    start: datetime,
    pauses: Iterable[Pause],
    stopped_at: datetime | None,
    now: datetime,
    warn_at: float = 0.75,
) -> ClockState:
    """The state at `now` of a clock of `target` business time on `cal`,
    started at `start`, not counting business time inside `pauses`
    ((begin, end) pairs, end None = still paused), stopped at `stopped_at`
    (None = milestone not reached). Instants are aware datetimes; results UTC.

    The board's tick: keep the state, call `state.at(now)` (or the cheaper
    `state.remaining_at(now)`) each second, and call `evaluate` again only
    when it returns None or when the ticket gets a new event.
    """
    target_us = duration_us(target, "target")
    if target_us <= 0:
        raise ValueError(f"target must be positive, not {target}")
    if not 0.0 <= warn_at <= 1.0:
        raise ValueError(f"warn_at must be between 0 and 1, not {warn_at}")
    tl = cal.timeline
    s = to_us(start, "start")
    n = to_us(now, "now")
    stop = None if stopped_at is None else to_us(stopped_at, "stopped_at")
    segments = active_segments(s, to_pause_us(pauses))
    warn_us = _warn_threshold(target_us, warn_at)

    stopped = stop is not None and stop <= n
    until = max(s, stop if stop is not None and stop <= n else n)
    elapsed = _counted(tl, segments, until)

    if elapsed >= target_us:  # the due instant lies behind: find it from the start
        due_origin, due_amount = s, target_us
    else:
        due_origin, due_amount = until, target_us - elapsed

    ticking = False
    valid_until: int | None = None
    if stopped:
        due = _reach(tl, segments, due_origin, due_amount)
        # Instants, not business time: a stop after the due instant is late even
        # when no business time passed in between (answered at 20:00 for 18:00).
        status = _MET if elapsed < target_us or (elapsed == target_us and due == stop) else _BREACHED
    else:
        current = None  # the active segment holding n, if any
        next_active = None
        for begin, end in segments:
            if begin <= n and (end is None or n < end):
                current = (begin, end)
                break
            if begin > n:
                next_active = begin
                break
        paused = n >= s and current is None
        breached = elapsed >= target_us
        if breached:
            status = _BREACHED
        elif paused:
            status = _PAUSED
        elif elapsed >= warn_us:
            status = _WARNING
        else:
            status = _RUNNING
        due = None if paused and not breached else _reach(tl, segments, due_origin, due_amount)

        bounds = []
        if stop is not None:
            bounds.append(stop)
        if n < s:
            bounds.append(s)
        elif paused:
            if next_active is not None:
                bounds.append(next_active)
        else:
            is_open, change = tl.segment(n)
            ticking = is_open
            if change is not None:
                bounds.append(change)
            assert current is not None  # not paused: an active segment holds n
            if current[1] is not None:
                bounds.append(current[1])
            if not breached:
                if due is not None:
                    bounds.append(due)
                if elapsed < warn_us:
                    warn = _reach(tl, segments, n, warn_us - elapsed)
                    if warn is not None:
                        bounds.append(warn)
        valid_until = min(bounds) if bounds else None

    return ClockState(
        status,
        None if due is None else EPOCH + ONE_US * due,
        ONE_US * elapsed,
        ONE_US * (target_us - elapsed),
        elapsed / target_us,
        target,
        EPOCH + ONE_US * n,
        None if valid_until is None else EPOCH + ONE_US * valid_until,
        ticking,
    )
