"""From a ticket's timeline of events to its three SLA clocks.

Rules (DESIGN.md "SLA semantics"), and the choices made where it is silent:
- All clocks start at the "opened" event; time in a pausing status does not
  count for any clock.
- response stops at the first status change away from "new" (any status);
  intervention at the first "in_progress", or at resolution if the ticket was
  resolved without one (nothing was left to intervene on); resolution at
  "resolved" or "closed".
- A reopened ticket (resolved/closed -> an open status) resumes its
  resolution clock; the time it spent resolved is a pause for that clock.
- A priority change re-targets from the opening: a clock still running uses
  the current priority's target and calendar over the whole history, pauses
  still excluded. A clock already stopped keeps the priority in force when
  it stopped: escalating a ticket does not retroactively breach a response
  that was on time.
- Re-targeting is the one way a clock shown breached can stop being breached
  (see `core/clock.py`): a running clock takes the new priority's target at the
  change; a resolution clock stopped under the old priority takes the new one
  when a reopening resumes it. Under an unchanged priority, a breach stays.
- Events after `now` are ignored (not known yet). Events at the same
  instant apply in the order given, "opened" first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from msptui.core.i18n import _

from ._instants import to_us
from .business_calendar import BusinessCalendar
from .clock import ClockState, Pause, evaluate

CLOCKS = ("response", "intervention", "resolution")
STATUSES = frozenset(
    {"new", "acknowledged", "in_progress", "waiting_client", "waiting_third_party", "resolved", "closed"}
)
RESOLVED = frozenset({"resolved", "closed"})
# "note" and "assigned" (a ticket given to a technician) never move a clock.
KINDS = frozenset({"opened", "status", "priority", "note", "assigned"})


@dataclass(frozen=True)
class TicketEvent:
    """Something that happened to a ticket at an instant (aware datetime)."""

    at: datetime
    kind: str  # "opened", "status", "priority" or "note"
    status: str | None = None
    priority: str | None = None


@dataclass(frozen=True)
class SlaPolicy:
    """A contract's targets and calendars per priority ("P1".."P4").

    targets[priority][clock] is a timedelta, or None for no target (the clock
    is then omitted); calendars[priority] is the calendar that clock runs on.
    """

    targets: Mapping[str, Mapping[str, timedelta | None]]
    calendars: Mapping[str, BusinessCalendar]
    pausing_statuses: frozenset[str] = frozenset({"waiting_client"})
    warn_at: float = 0.75

    def target(self, priority: str, clock: str) -> timedelta | None:
        try:
            return self.targets[priority].get(clock)
        except KeyError:
            raise ValueError(_("no SLA targets for priority {priority}").format(priority=repr(priority))) from None

    def calendar(self, priority: str) -> BusinessCalendar:
        try:
            return self.calendars[priority]
        except KeyError:
            raise ValueError(f"no business calendar for priority {priority!r}") from None


@dataclass(frozen=True)
class PriorityChange:
    at: datetime
    old: str
    new: str


@dataclass(frozen=True)
class ClockInputs:
    """What `evaluate` needs for one clock of one ticket."""

    clock: str
    priority: str
    calendar: BusinessCalendar
    target: timedelta
    start: datetime
    pauses: tuple[Pause, ...]
    stopped_at: datetime | None


@dataclass(frozen=True)
class TicketTimeline:
    opened_at: datetime
    priority: str
    priority_changes: tuple[PriorityChange, ...]
    clocks: tuple[ClockInputs, ...] = field(default=())


def _check(event: TicketEvent, policy: SlaPolicy) -> None:
    if event.kind not in KINDS:
        raise ValueError(f"unknown ticket event kind {event.kind!r}")
    if event.status is not None and event.status not in STATUSES:
        raise ValueError(f"unknown ticket status {event.status!r}")
    if event.kind == "status" and event.status is None:
        raise ValueError("a status event needs a status")
    if event.kind in ("opened", "priority"):
        if event.priority is None:
            raise ValueError(f"an {event.kind!r} event needs a priority")
        policy.target(event.priority, "response")  # ValueError if unknown


def ticket_timeline(policy: SlaPolicy, events: Iterable[TicketEvent], now: datetime) -> TicketTimeline:
    """Replay the events known at `now` into each clock's inputs."""
    now_us = to_us(now, "now")
    known = []
    for index, event in enumerate(events):
        _check(event, policy)
        at = to_us(event.at, f"{event.kind} event")
        if at <= now_us:
            known.append((at, event.kind != "opened", index, event))
    known.sort(key=lambda item: item[:3])
    if not known or known[0][3].kind != "opened":
        raise ValueError("the ticket has no 'opened' event before the other events")  # i18n: not shown

    opening = known[0][3]
    opened_at = opening.at
    if opening.priority is None:  # `_check` refuses it first; kept for the type checker
        raise ValueError("an 'opened' event needs a priority")  # i18n: not shown
    priority: str = opening.priority
    status = "new"
    pausing = policy.pausing_statuses
    pauses: list[Pause] = []
    pause_begin: datetime | None = None
    resolved_gaps: list[Pause] = []
    stops: dict[str, tuple[datetime, str]] = {}  # clock -> (stopped at, priority then)
    changes: list[PriorityChange] = []

    def change_status(new: str, at: datetime) -> None:
        nonlocal status, pause_begin
        if new == status:
            return
        if status in pausing and new not in pausing:
            assert pause_begin is not None  # set when the pausing status began
            pauses.append((pause_begin, at))
            pause_begin = None
        elif status not in pausing and new in pausing:
            pause_begin = at
        stops.setdefault("response", (at, priority))
        if new == "in_progress" or new in RESOLVED:
            stops.setdefault("intervention", (at, priority))
        if new in RESOLVED and status not in RESOLVED:
            stops["resolution"] = (at, priority)
        elif status in RESOLVED and new not in RESOLVED:
            resolved_gaps.append((stops.pop("resolution")[0], at))
        status = new

    if opening.status is not None:
        change_status(opening.status, opened_at)
    for *__, event in known[1:]:
        if event.kind == "opened":
            raise ValueError("the ticket has two 'opened' events")  # i18n: not shown
        if event.kind == "priority" and event.priority is not None and event.priority != priority:
            changes.append(PriorityChange(event.at, priority, event.priority))
            priority = event.priority
        elif event.kind == "status" and event.status is not None:  # `_check`: a status event has one
            change_status(event.status, event.at)
    if pause_begin is not None:
        pauses.append((pause_begin, None))

    clocks = []
    for clock in CLOCKS:
        stopped_at, clock_priority = stops.get(clock, (None, priority))
        target = policy.target(clock_priority, clock)
        if target is None:
            continue
        clock_pauses = pauses + resolved_gaps if clock == "resolution" else pauses
        clocks.append(
            ClockInputs(
                clock,
                clock_priority,
                policy.calendar(clock_priority),
                target,
                opened_at,
                tuple(clock_pauses),
                stopped_at,
            )
        )
    return TicketTimeline(opened_at, priority, tuple(changes), tuple(clocks))


def ticket_clocks(policy: SlaPolicy, events: Iterable[TicketEvent], now: datetime) -> dict[str, ClockState]:
    """The ticket's clocks at `now`, keyed "response", "intervention",
    "resolution"; a clock whose target is None is omitted."""
    timeline = ticket_timeline(policy, events, now)
    return {
        c.clock: evaluate(c.calendar, c.target, c.start, c.pauses, c.stopped_at, now, policy.warn_at)
        for c in timeline.clocks
    }
