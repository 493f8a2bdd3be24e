"""The figures of a client's service report for a period, from plain inputs.

What a client reads each month: tickets opened, resolved and still open; for
each SLA clock (response, intervention, resolution) and priority, how many were
met, breached or still pending, and the compliance rate; each breach with its
justification or "not justified"; the time spent, included and billable; and
the same compliance and hours month by month for the plots.

- A clock's state is the SLA engine's (`msptui.core.sla.ticket_clocks` at
  `now`, as the board and the explain view ask it), never re-derived here: a
  priority change counts under the priority the engine gives the clock (a
  stopped clock keeps the one in force when it stopped), and a reopened
  ticket's resolution clock is the one clock it always was.
- A clock counts in the period its outcome fell in: a met clock in the period
  of its stop, a breached one in the period of its due instant (when it became
  late, as the board says "late since"). A clock of a ticket opened before the
  period's end whose outcome is not known by then is pending.
- A ticket counts once in each figure, however often it was reopened.
  "Resolved" is a ticket resolved (or closed) at the period's end whose last
  resolution fell in the period; "still open" is one opened by then and not
  resolved at its end.
- The compliance rate is met / (met + breached), in percent to 0.1, never
  rounded to 100.0 while a clock is breached (nor to 0.0 while one is met).
- The time comes from the statement's lines (`time_figures`: each entry's
  billing decision and its part beyond the prepaid hours), so the report, the
  monthly review and the statement say the same: "included" is the time the
  contract or its prepaid hours cover, "billable" every hour the statement
  bills, of which `over_prepaid` is included work beyond the prepaid hours.

Pure: the standard library, `msptui.core.sla` and `msptui.core.rules` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Protocol

from msptui.core.i18n import N_, _
from msptui.core.rules.billing import EntryBilling
from msptui.core.rules.months import months_back as months_back
from msptui.core.rules.time_entries import ZERO, hours_of
from msptui.core.sla import ClockStatus, SlaPolicy, TicketEvent, ticket_clocks, ticket_timeline
from msptui.core.sla.ticket import CLOCKS, RESOLVED

# Marked for the catalogue: `Breach.words` translates it (compare with `Breach.justified`, not with this).
NOT_JUSTIFIED = N_("not justified")
_TENTH = Decimal("0.1")
_HUNDRED = Decimal(100)
_ALL = "all"


class Outcome(StrEnum):
    met = "met"
    breached = "breached"
    pending = "pending"


@dataclass(frozen=True, slots=True)
class Period:
    """A report's period: `month` ("2026-11") from `start` to `end` (excluded), UTC
    instants of the client's local midnights."""

    month: str
    start: datetime
    end: datetime

    def holds(self, at: datetime) -> bool:
        return self.start <= at < self.end


@dataclass(frozen=True, slots=True)
class ReportTicket:
    """One ticket of the client as the report reads it.

    `events` are the SLA engine's (notes left out); `policy` is None for a ticket
    with no contract (no SLA: billable) or whose contract's calendar cannot be
    read (`policy_error` says why); `justifications` the current one per breached
    clock ({clock: text})."""

    id: int
    title: str
    opened_at: datetime
    events: tuple[TicketEvent, ...]
    policy: SlaPolicy | None
    contract: str = ""
    justifications: Mapping[str, str] = field(default_factory=dict)
    policy_error: str | None = None


@dataclass(frozen=True, slots=True)
class ClockOutcome:
    """One clock of one ticket as the SLA engine reports it at `now`.

    `decided_at` is when its outcome fell: the stop of a met clock, the due
    instant of a breached one; None while it runs or is paused."""

    ticket_id: int
    title: str
    clock: str
    priority: str
    target: timedelta
    status: ClockStatus
    opened_at: datetime
    due_at: datetime | None
    stopped_at: datetime | None
    justification: str | None

    @property
    def decided_at(self) -> datetime | None:
        if self.status is ClockStatus.BREACHED:
            return self.due_at or self.stopped_at or self.opened_at
        if self.status is ClockStatus.MET:
            return self.stopped_at
        return None

    def outcome_in(self, period: Period) -> Outcome | None:
        """How this clock counts in `period`, or None when it belongs to another one."""
        decided = self.decided_at
        if decided is not None and period.holds(decided):
            return Outcome.breached if self.status is ClockStatus.BREACHED else Outcome.met
        if self.opened_at < period.end and (decided is None or decided >= period.end):
            return Outcome.pending
        return None


def compliance_rate(met: int, breached: int) -> Decimal | None:
    """met / (met + breached) in percent, to 0.1 (half up); None when no clock was decided.

    A breach is never rounded away: 1,999 met and 1 breached is 99.9, not 100.0."""
    decided = met + breached
    if decided == 0:
        return None
    rate = (Decimal(met) * _HUNDRED / decided).quantize(_TENTH, ROUND_HALF_UP)
    if breached and rate == _HUNDRED:
        return _HUNDRED - _TENTH
    if met and rate == 0:
        return _TENTH
    return rate


@dataclass(frozen=True, slots=True)
class Compliance:
    """Met / breached / pending clocks of one clock kind and priority ("all" for every one)."""

    clock: str
    priority: str
    met: int = 0
    breached: int = 0
    pending: int = 0
    targets: tuple[timedelta, ...] = ()  # the distinct targets of its clocks (several contracts may differ)

    @property
    def rate(self) -> Decimal | None:
        return compliance_rate(self.met, self.breached)

    @property
    def count(self) -> int:
        return self.met + self.breached + self.pending


@dataclass(frozen=True, slots=True)
class Breach:
    """A clock that was late in the period, with what the client reads about it."""

    ticket_id: int
    title: str
    clock: str
    priority: str
    late_since: datetime
    stopped_at: datetime | None  # None: still late now
    justification: str | None

    @property
    def justified(self) -> bool:
        return bool(self.justification)

    @property
    def words(self) -> str:
        """The justification, or "not justified" (in the current language)."""
        return self.justification or _(NOT_JUSTIFIED)


@dataclass(frozen=True, slots=True)
class TicketCounts:
    opened: int = 0
    resolved: int = 0
    still_open: int = 0
    reopened: int = 0
    without_contract: int = 0  # opened in the period with no contract: no SLA, billable


@dataclass(frozen=True, slots=True)
class SlaFigures:
    rows: tuple[Compliance, ...]  # per clock and priority, those with a clock in the period
    clocks: tuple[Compliance, ...]  # per clock, every priority together
    overall: Compliance
    breaches: tuple[Breach, ...]
    unmeasured: tuple[tuple[int, str], ...] = ()  # (ticket, why) whose clocks cannot be computed

    @property
    def not_justified(self) -> int:
        return sum(1 for b in self.breaches if not b.justified)


@dataclass(frozen=True, slots=True)
class TimeFigures:
    """A period's time as its statement bills it: `spent = included + billable`."""

    spent: timedelta = ZERO
    included: timedelta = ZERO  # covered by the contract or its prepaid hours: not billed
    billable: timedelta = ZERO  # every hour the statement bills
    surcharged: timedelta = ZERO  # part of billable: out of hours, sold with a surcharge
    outside_contract: timedelta = ZERO  # part of billable: out of hours, not sold by the contract
    over_prepaid: timedelta = ZERO  # part of billable: in the contract, beyond the prepaid hours


class BilledTime(Protocol):
    """A statement line as `time_figures` reads it."""

    @property
    def billing(self) -> EntryBilling: ...

    @property
    def over_prepaid(self) -> timedelta: ...


@dataclass(frozen=True, slots=True)
class MonthPoint:
    """One month of the plots: its compliance and its hours (to the hundredth)."""

    month: str
    met: int
    breached: int
    hours: Decimal
    included: Decimal
    billable: Decimal

    @property
    def compliance(self) -> Decimal | None:
        return compliance_rate(self.met, self.breached)


# --- the SLA clocks -----------------------------------------------------------------------------


def clock_outcomes(tickets: Iterable[ReportTicket], now: datetime) -> tuple[list[ClockOutcome], list[tuple[int, str]]]:
    """Every clock of every ticket with a contract, as the engine reports it at `now`;
    and the tickets whose clocks cannot be computed, with why (never silently dropped)."""
    outcomes: list[ClockOutcome] = []
    unmeasured: list[tuple[int, str]] = []
    for ticket in tickets:
        if ticket.opened_at > now:
            continue  # not known yet at `now`
        if ticket.policy is None:
            if ticket.policy_error:
                unmeasured.append((ticket.id, ticket.policy_error))
            continue
        try:
            timeline = ticket_timeline(ticket.policy, ticket.events, now)
            states = ticket_clocks(ticket.policy, ticket.events, now)
        except ValueError as exc:
            unmeasured.append((ticket.id, str(exc)))
            continue
        for inputs in timeline.clocks:
            state = states[inputs.clock]
            breached = state.status is ClockStatus.BREACHED
            outcomes.append(
                ClockOutcome(
                    ticket_id=ticket.id,
                    title=ticket.title,
                    clock=inputs.clock,
                    priority=inputs.priority,
                    target=inputs.target,
                    status=state.status,
                    opened_at=ticket.opened_at,
                    due_at=state.due_at,
                    stopped_at=inputs.stopped_at,
                    justification=ticket.justifications.get(inputs.clock) if breached else None,
                )
            )
    return outcomes, unmeasured


def _tally(clock: str, priority: str, found: list[tuple[ClockOutcome, Outcome]]) -> Compliance:
    counts = {o: sum(1 for _c, seen in found if seen is o) for o in Outcome}
    targets = tuple(sorted({c.target for c, _seen in found}))
    return Compliance(clock, priority, counts[Outcome.met], counts[Outcome.breached], counts[Outcome.pending], targets)


def sla_figures(
    outcomes: Iterable[ClockOutcome], period: Period, unmeasured: Sequence[tuple[int, str]] = ()
) -> SlaFigures:
    """The period's compliance per clock and priority, per clock, overall, and its breaches."""
    counted = [(c, seen) for c in outcomes if (seen := c.outcome_in(period)) is not None]
    order = {name: i for i, name in enumerate(CLOCKS)}
    keys = sorted({(c.clock, c.priority) for c, _seen in counted}, key=lambda k: (order[k[0]], k[1]))
    rows = tuple(_tally(k, p, [(c, s) for c, s in counted if (c.clock, c.priority) == (k, p)]) for k, p in keys)
    clocks = tuple(_tally(k, _ALL, [(c, s) for c, s in counted if c.clock == k]) for k in CLOCKS)
    breaches = breaches_of(c for c, seen in counted if seen is Outcome.breached)
    return SlaFigures(rows, clocks, _tally(_ALL, _ALL, counted), breaches, tuple(unmeasured))


def breaches_of(outcomes: Iterable[ClockOutcome]) -> tuple[Breach, ...]:
    """The breached clocks among `outcomes`, with their justification or none, by the
    instant they became late (what a report and a statement list as missed)."""
    order = {name: i for i, name in enumerate(CLOCKS)}
    found = (
        Breach(c.ticket_id, c.title, c.clock, c.priority, c.decided_at or c.opened_at, c.stopped_at, c.justification)
        for c in outcomes
        if c.status is ClockStatus.BREACHED
    )
    return tuple(sorted(found, key=lambda b: (b.late_since, b.ticket_id, order[b.clock])))


# --- the tickets --------------------------------------------------------------------------------


def _status_changes(ticket: ReportTicket, until: datetime) -> list[tuple[datetime, str, str]]:
    """(at, from, to) of each status change known before `until`, in the engine's order."""
    known = sorted(
        ((e.at, e.kind != "opened", i, e) for i, e in enumerate(ticket.events) if e.at < until),
        key=lambda item: item[:3],
    )
    status, changes = "new", []
    for at, _later, _i, event in known:
        if event.status is not None and event.status != status:
            changes.append((at, status, event.status))
            status = event.status
    return changes


def ticket_counts(tickets: Iterable[ReportTicket], period: Period, now: datetime) -> TicketCounts:
    """Tickets opened, resolved, still open and reopened in `period`, each counted once."""
    opened = resolved = still_open = reopened = without_contract = 0
    until = min(period.end, now + timedelta(microseconds=1))  # what is known at `now`
    for ticket in tickets:
        if ticket.opened_at >= period.end or ticket.opened_at > now:
            continue
        changes = _status_changes(ticket, until)
        status = changes[-1][2] if changes else "new"
        if period.holds(ticket.opened_at):
            opened += 1
            without_contract += not ticket.contract
        if status in RESOLVED:
            last = max((at for at, old, new in changes if new in RESOLVED and old not in RESOLVED), default=None)
            resolved += last is not None and period.holds(last)
        else:
            still_open += 1
        reopened += any(period.holds(at) and old in RESOLVED and new not in RESOLVED for at, old, new in changes)
    return TicketCounts(opened, resolved, still_open, reopened, without_contract)


# --- time, and month by month -------------------------------------------------------------------


def time_figures(lines: Iterable[BilledTime | EntryBilling]) -> TimeFigures:
    """The period's time from its statement's lines (an `EntryBilling` alone counts as a
    line with nothing beyond the prepaid hours): what the report, the monthly review and
    the statement's totals all say."""
    spent = included = billable = surcharged = outside = over = ZERO
    for line in lines:
        b, beyond = (line, ZERO) if isinstance(line, EntryBilling) else (line.billing, line.over_prepaid)
        spent += b.total
        included += b.included - beyond
        billable += b.billable + beyond
        surcharged += b.surcharged
        outside += b.outside_contract
        over += beyond
    return TimeFigures(spent, included, billable, surcharged, outside, over)


def monthly_series(
    outcomes: Sequence[ClockOutcome], periods: Sequence[Period], time: Mapping[str, TimeFigures]
) -> tuple[MonthPoint, ...]:
    """Compliance (every clock and priority together) and hours for each period, in order."""
    points = []
    for period in periods:
        seen = [o for c in outcomes if (o := c.outcome_in(period)) in (Outcome.met, Outcome.breached)]
        spent = time.get(period.month, TimeFigures())
        points.append(
            MonthPoint(
                period.month,
                met=seen.count(Outcome.met),
                breached=seen.count(Outcome.breached),
                hours=hours_of(spent.spent),
                included=hours_of(spent.included),
                billable=hours_of(spent.billable),
            )
        )
    return tuple(points)
