"""Why a clock says what it says, as plain data the board can display.

Instants in an Explanation are in the calendar's local time (aware
datetimes), except `due_viewer`, in the viewer's zone. `lines()` are in the
current language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, tzinfo

from msptui.core.formats import weekday_abbr
from msptui.core.i18n import N_, _

from ._closed import CONTRACT_CLOSED
from ._instants import from_us, local, to_us, zone
from .business_calendar import BusinessCalendar
from .clock import ClockState, Pause, active_segments, evaluate, to_pause_us
from .durations import format_business_time
from .ticket import PriorityChange, SlaPolicy, TicketEvent, ticket_timeline


@dataclass(frozen=True)
class ClosedDate:
    day: date
    reason: str


@dataclass(frozen=True)
class CalendarSummary:
    zone: str
    hours: tuple[str, ...]  # e.g. ("Mon-Fri 09:00-18:00",)
    closed_source: str  # e.g. "public holidays FR-57"
    closed_dates: tuple[ClosedDate, ...]  # those met between the start and the due instant


@dataclass(frozen=True)
class CountedInterval:
    """An open interval counted by the clock (projected: from now to the due instant)."""

    start: datetime
    end: datetime
    length: timedelta
    projected: bool = False


@dataclass(frozen=True)
class PauseSpan:
    begin: datetime
    end: datetime | None
    excluded: timedelta  # business time inside the pause, not counted (up to now or the stop)


# A clock's name and state in words (the engine's identifiers stay English).
CLOCK_NAMES = {"response": N_("response"), "intervention": N_("intervention"), "resolution": N_("resolution")}
STATUS_WORDS = {
    "running": N_("running"),
    "warning": N_("warning"),
    "paused": N_("paused"),
    "met": N_("met"),
    "breached": N_("breached"),
}


def clock_name(clock: str) -> str:
    """ "response", "intervention", "resolution" in the current language."""
    words = CLOCK_NAMES.get(clock)
    return _(words) if words else clock


def status_words(status: str) -> str:
    """A clock's status ("breached"...) in the current language."""
    words = STATUS_WORDS.get(str(status))
    return _(words) if words else str(status)


def _when(t: datetime) -> str:
    return f"{weekday_abbr(t)} {t:%Y-%m-%d %H:%M} {t.tzname()}"


def _span(start: datetime, end: datetime) -> str:
    """ "Tue 2026-03-10 09:00-18:00", "... 20:00-24:00", or both dates when longer."""
    day = f"{weekday_abbr(start)} {start:%Y-%m-%d %H:%M}"
    if end.date() == start.date():
        return f"{day}-{end:%H:%M}"
    if end.time() == datetime.min.time() and (end.date() - start.date()).days == 1:
        return f"{day}-24:00"
    return f"{_when(start)} -> {_when(end)}"


@dataclass(frozen=True)
class Explanation:
    calendar: CalendarSummary
    state: ClockState
    start: datetime
    stopped_at: datetime | None
    now: datetime
    counted: tuple[CountedInterval, ...]
    pauses: tuple[PauseSpan, ...]
    due_local: datetime | None
    due_viewer: datetime | None
    viewer_zone: str
    clock: str | None = None  # "response", ... when part of a ticket
    priority: str | None = None

    def lines(self) -> list[str]:
        """Human-readable lines, oldest first, in the current language."""
        state = self.state
        target, start = format_business_time(state.target), _when(self.start)
        if self.clock:
            first = _("{clock} ({priority}): target {target} of business time from {start}").format(
                clock=clock_name(self.clock), priority=self.priority, target=target, start=start
            )
        else:
            first = _("target {target} of business time from {start}").format(target=target, start=start)
        out = [
            first,
            _("Calendar {zone}: {hours}; {closed}").format(
                zone=self.calendar.zone, hours="; ".join(self.calendar.hours), closed=self.calendar.closed_source
            ),
        ]
        for closed in self.calendar.closed_dates:
            # A holiday's name comes from `holidays`, in the country's language; a contract's own
            # date without a name says CONTRACT_CLOSED, translated here.
            reason = _(CONTRACT_CLOSED) if closed.reason == CONTRACT_CLOSED else closed.reason
            out.append(
                _("Closed {day}: {reason}").format(
                    day=f"{weekday_abbr(closed.day)} {closed.day:%Y-%m-%d}", reason=reason
                )
            )
        for pause in self.pauses:
            excluded = format_business_time(pause.excluded)
            if pause.end:
                line = _("Paused {begin} -> {end}: {excluded} of business time not counted").format(
                    begin=_when(pause.begin), end=_when(pause.end), excluded=excluded
                )
            else:
                line = _("Paused {begin} -> still paused: {excluded} of business time not counted").format(
                    begin=_when(pause.begin), excluded=excluded
                )
            out.append(line)
        for interval in self.counted:
            verb = _("Will count {span} ({length})") if interval.projected else _("Counted {span} ({length})")
            out.append(
                verb.format(span=_span(interval.start, interval.end), length=format_business_time(interval.length))
            )
        if self.stopped_at is not None:
            if state.status == "breached" and self.due_local is not None:
                # Late by instants, even with no business time after the due instant.
                stopped = _("Stopped {when}, after the due instant {due}: late").format(
                    when=_when(self.stopped_at), due=_when(self.due_local)
                )
            else:
                stopped = _("Stopped {when}").format(when=_when(self.stopped_at))
            out.append(stopped)
        out.append(
            _("Elapsed {elapsed} of {target} ({percent}%), remaining {remaining}: {status}").format(
                elapsed=format_business_time(state.elapsed),
                target=target,
                # As f"{fraction:.0%}" rounds: the double times 100, to the unit.
                percent=f"{state.fraction * 100:.0f}",
                remaining=format_business_time(state.remaining),
                status=status_words(state.status),
            )
        )
        if self.due_local is None or self.due_viewer is None:
            out.append(_("No due instant while paused") if state.status == "paused" else _("No due instant"))
        else:
            out.append(
                _("Due {due} ({zone}) = {viewer_due} ({viewer_zone})").format(
                    due=_when(self.due_local),
                    zone=self.calendar.zone,
                    viewer_due=_when(self.due_viewer),
                    viewer_zone=self.viewer_zone,
                )
            )
        return out


def explain(
    cal: BusinessCalendar,
    target: timedelta,
    start: datetime,
    pauses: Iterable[Pause],
    stopped_at: datetime | None,
    now: datetime,
    viewer_tz: str | tzinfo,
    warn_at: float = 0.75,
) -> Explanation:
    """The clock `evaluate` would give, with the intervals and pauses behind it."""
    pauses = list(pauses)
    state = evaluate(cal, target, start, pauses, stopped_at, now, warn_at)
    viewer = zone(viewer_tz)
    tz = cal.zone
    tl = cal.timeline
    s, n = to_us(start), to_us(now)
    stop = None if stopped_at is None else to_us(stopped_at)
    until = max(s, stop if stop is not None and stop <= n else n)
    pause_us = to_pause_us(pauses)
    segments = active_segments(s, pause_us)
    due = None if state.due_at is None else to_us(state.due_at)

    counted: list[CountedInterval] = []

    def count(low: int, high: int, projected: bool) -> None:
        for begin, end in segments:
            end = high if end is None else min(end, high)
            for a, b in tl.intervals(max(begin, low), end):
                counted.append(CountedInterval(local(a, tz), local(b, tz), timedelta(microseconds=b - a), projected))

    count(s, until, False)
    stopped = stop is not None and stop <= n
    if not stopped and due is not None and due > until:
        count(until, due, True)

    spans = []
    for begin, end in sorted(pause_us, key=lambda p: p[0]):
        if begin >= until:
            continue  # after the stop: it changed nothing
        high = until if end is None else min(end, until)
        excluded = tl.elapsed(max(begin, s), high) if high > max(begin, s) else 0
        spans.append(
            PauseSpan(local(begin, tz), None if end is None else local(end, tz), timedelta(microseconds=excluded))
        )

    last = max(until, due or until)
    closed = cal.closed_dates(local(s, tz).date(), local(last, tz).date())
    summary = CalendarSummary(
        cal.tz,
        cal.describe_hours(),
        cal.describe_closed(),
        tuple(ClosedDate(day, reason) for day, reason in closed),
    )
    return Explanation(
        calendar=summary,
        state=state,
        start=local(s, tz),
        stopped_at=local(stop, tz) if stop is not None and stopped else None,
        now=local(n, tz),
        counted=tuple(counted),
        pauses=tuple(spans),
        due_local=None if due is None else local(due, tz),
        due_viewer=None if due is None else from_us(due).astimezone(viewer),
        viewer_zone=viewer.key,
    )


@dataclass(frozen=True)
class TicketExplanation:
    priority: str
    priority_changes: tuple[PriorityChange, ...]
    clocks: tuple[Explanation, ...]
    viewer_zone: str

    def lines(self) -> list[str]:
        out = [_("Priority {priority}").format(priority=self.priority)]
        for change in self.priority_changes:
            at = from_us(to_us(change.at)).astimezone(zone(self.viewer_zone))
            out.append(
                _(
                    "Priority {old} -> {new} at {when}: "
                    "running clocks re-targeted from the opening, paused time still excluded"
                ).format(old=change.old, new=change.new, when=_when(at))
            )
        for kept in self.clocks:
            if kept.priority is not None and kept.priority != self.priority and kept.stopped_at is not None:
                out.append(
                    _(
                        "{clock} keeps {priority}: it stopped {when}, before the change "
                        "(a stopped clock keeps the priority it stopped under)"
                    ).format(clock=clock_name(kept.clock or ""), priority=kept.priority, when=_when(kept.stopped_at))
                )
        for explanation in self.clocks:
            out.append("")
            out.extend(explanation.lines())
        return out


def explain_ticket(
    policy: SlaPolicy, events: Iterable[TicketEvent], now: datetime, viewer_tz: str | tzinfo
) -> TicketExplanation:
    """Each clock of the ticket explained, with the priority changes."""
    timeline = ticket_timeline(policy, events, now)
    clocks = []
    for c in timeline.clocks:
        explanation = explain(c.calendar, c.target, c.start, c.pauses, c.stopped_at, now, viewer_tz, policy.warn_at)
        clocks.append(replace(explanation, clock=c.clock, priority=c.priority))
    return TicketExplanation(timeline.priority, timeline.priority_changes, tuple(clocks), zone(viewer_tz).key)
