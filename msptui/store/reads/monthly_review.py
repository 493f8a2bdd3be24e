"""The monthly review: every client on one line, what slipped this month, read from the rules.

One line per client (not archived): the SLA compliance of the month and its
trend against the month before, the breaches not yet justified, the billable
time not yet billed, the prepaid hours running low, the satisfaction trend, the
conflicts of interest not yet disclosed and the deliveries still to make.

Nothing is decided here, each figure is asked where it lives:
- compliance: only the tickets that can count in the month or the month before
  (`_period_tickets`: the service report's selection, for every client at
  once: opened before the month's end, and open now or with something logged
  since the month before began), their clocks from the SLA engine through
  `core.rules.reports.clock_outcomes`, each month's rate from
  `rules.reports.monthly_series`, a breach placed in its month by
  `ClockOutcome.outcome_in`; the trend compares the month with the one before;
- billable not billed: the statement of each open month holding unbilled work
  (`store.billing.period_entries` through `store.reads.statement.statement`):
  its billable time as `rules.reports.time_figures` counts it (billable time
  and included time beyond the prepaid hours, as the statement bills them);
- prepaid: `store.billing.prepaid_balance` of each contract that has blocks;
- conflicts: `store.conflicts.list_conflicts` (status from `core.rules.conflicts`);
- deliveries: `store.reads.deliveries.deliveries_overview` (in progress, or
  accepted with none opened yet);
- satisfaction: `store.satisfaction.satisfaction_by_client` (the trend of
  `core.rules.satisfaction`), when that area is in the build.

With 10,000 clients most of them have no time, no block, no conflict: each of
those figures first finds, in one query, the few clients it concerns. Several
reads, each its own transaction (the areas' own functions are reused as they are).
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, and_, exists, or_, select
from sqlmodel import Session, col

from msptui.core import sla
from msptui.core.i18n import _
from msptui.core.rules.conflicts import ConflictStatus
from msptui.core.rules.months import billed_month, month_of
from msptui.core.rules.prepaid import ZERO
from msptui.core.rules.reports import (
    Outcome,
    Period,
    ReportTicket,
    clock_outcomes,
    monthly_series,
    months_back,
    time_figures,
)
from msptui.core.sla import SlaPolicy
from msptui.core.sla.ticket import RESOLVED
from msptui.store import db
from msptui.store.billing import month_bounds, month_words
from msptui.store.calendars import contract_policy
from msptui.store.clients import RefusedError
from msptui.store.models import (
    BreachJustification,
    Client,
    Contract,
    Engagement,
    PrepaidBlock,
    SlaTarget,
    Ticket,
    TicketEvent,
    TimeEntry,
)

#: A contract's prepaid hours are "low" once less than this share (percent) is left.
PREPAID_LOW_PCT = 25
PENDING_STAGES = ("in_progress", "to_open")


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """One client in the review. None where there is nothing to measure (no clock
    decided this month, no prepaid block, no satisfaction recorded)."""

    client_id: int
    code: str
    name: str
    compliance: Decimal | None  # this month, percent to 0.1
    previous: Decimal | None  # the month before
    trend: str | None  # "up", "down", "flat" (this month against the one before)
    breaches: int  # clocks breached this month
    unjustified: int  # of which not justified
    unbilled: timedelta | None  # billable time on no closed statement yet; None: unreadable business hours
    prepaid_left_pct: int | None  # the lowest share left among the client's contracts with blocks
    prepaid_low: int  # contracts with less than PREPAID_LOW_PCT % left (or over-consumed)
    satisfaction: str | None  # "up", "down", "flat"
    undisclosed: int
    deliveries_pending: int


@dataclass(frozen=True, slots=True)
class MonthlyReview:
    month: str  # "YYYY-MM"
    rows: tuple[ReviewRow, ...]
    satisfaction_recorded: bool  # False until the satisfaction area exists in this build


def current_month(now: datetime, timezone: str) -> str:
    """The month ("YYYY-MM") holding `now` in `timezone` (`rules.months.month_of`)."""
    return month_of(now, timezone)


def monthly_review(engine: Engine, month: str, now: datetime) -> MonthlyReview:
    """Every client not archived, with the month's figures, sorted by name.

    `month` is "YYYY-MM" in each client's own calendar; refused (RefusedError)
    when it is not a month. Figures that change with time (prepaid, conflicts,
    deliveries, satisfaction, unbilled time) are as they stand at `now`.
    """
    month_words(month)  # a clear refusal for "2026-13" before any reading
    with db.read(engine) as s:
        clients = [
            (int(cid), code, name, tz)
            for cid, code, name, tz in s.execute(
                select(col(Client.id), col(Client.code), col(Client.name), col(Client.timezone))
                .where(col(Client.archived_at).is_(None))
                .order_by(col(Client.name))
            )
        ]
    compliance = _compliance(engine, month, now, {cid: tz for cid, _c, _n, tz in clients})
    unbilled = _unbilled(engine, now)
    prepaid = _prepaid(engine, now)
    undisclosed = _undisclosed(engine)
    deliveries = _deliveries(engine)
    satisfaction, recorded = _satisfaction(engine, now)
    none = ClientCompliance(None, None, 0, 0)
    rows = []
    for cid, code, name, _tz in clients:
        c = compliance.get(cid, none)
        left, low = prepaid.get(cid, (None, 0))
        rows.append(
            ReviewRow(
                client_id=cid,
                code=code,
                name=name,
                compliance=c.rate,
                previous=c.previous_rate,
                trend=c.trend,
                breaches=c.breaches,
                unjustified=c.unjustified,
                unbilled=unbilled[cid] if cid in unbilled else ZERO,
                prepaid_left_pct=left,
                prepaid_low=low,
                satisfaction=satisfaction.get(cid),
                undisclosed=undisclosed.get(cid, 0),
                deliveries_pending=deliveries.get(cid, 0),
            )
        )
    return MonthlyReview(month, tuple(rows), recorded)


# --- SLA compliance ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClientCompliance:
    rate: Decimal | None
    previous_rate: Decimal | None
    breaches: int
    unjustified: int

    @property
    def trend(self) -> str | None:
        if self.rate is None or self.previous_rate is None:
            return None
        return "up" if self.rate > self.previous_rate else "down" if self.rate < self.previous_rate else "flat"


def _compliance(engine: Engine, month: str, now: datetime, zones: dict[int, str]) -> dict[int, ClientCompliance]:
    """Per client with a clock decided in the month or the month before: both months' compliance
    (`rules.reports.monthly_series` on the engine's clocks) and the month's breaches not justified."""
    before, _this = months_back(month, 2)
    periods = {
        tz: (Period(before, *month_bounds(before, tz)), Period(month, *month_bounds(month, tz)))
        for tz in set(zones.values())
    }
    if not periods:
        return {}
    since = min(p[0].start for p in periods.values())
    end = max(p[1].end for p in periods.values())
    with db.read(engine) as s:
        tickets = _period_tickets(s, since, end)
    out = {}
    for client_id, found in tickets.items():
        if client_id not in zones:  # an archived client
            continue
        previous, period = periods[zones[client_id]]
        outcomes, _unmeasured = clock_outcomes(found, now)
        earlier, this = monthly_series(outcomes, (previous, period), {})
        late = [c for c in outcomes if c.outcome_in(period) is Outcome.breached]
        out[client_id] = ClientCompliance(
            this.compliance, earlier.compliance, len(late), sum(1 for c in late if not c.justification)
        )
    return out


def _period_tickets(s: Session, since: datetime, end: datetime) -> dict[int, list[ReportTicket]]:
    """Every client's tickets that can count from `since` to `end`, by client: the selection of
    `store.reads.service_report` for one client, here for all at once (a few thousand of the
    100,000 tickets of three years: opened before `end`, and open now or with something
    logged since `since`), with the same events, policies and justifications. Columns, not
    rows as objects: some 30,000 events and 4,000 contracts at 10,000 clients."""
    logged_since = exists().where(and_(col(TicketEvent.ticket_id) == col(Ticket.id), col(TicketEvent.at) >= since))
    found = s.execute(
        select(col(Ticket.id), col(Ticket.client_id), col(Ticket.contract_id), col(Ticket.title), col(Ticket.opened_at))
        .where(col(Ticket.opened_at) < end, or_(col(Ticket.status).not_in(list(RESOLVED)), logged_since))
        .order_by(col(Ticket.id))
    ).all()
    # The ids, not the query again: its EXISTS probes the log of every older ticket.
    chosen = [t.id for t in found]
    # The SLA engine's events, as `store.reads.board.to_sla_events` makes them (notes left out),
    # built from plain tuples: attribute access on 40,000 result rows costs more than the engine.
    logs: dict[int, list[sla.TicketEvent]] = {}
    events = select(
        col(TicketEvent.ticket_id),
        col(TicketEvent.at),
        col(TicketEvent.kind),
        col(TicketEvent.status),
        col(TicketEvent.priority),
    ).where(col(TicketEvent.ticket_id).in_(chosen), col(TicketEvent.kind) != "note")
    order = (col(TicketEvent.ticket_id), col(TicketEvent.at), col(TicketEvent.id))
    for tid, at, kind, status, priority in s.execute(events.order_by(*order)):
        logs.setdefault(tid, []).append(sla.TicketEvent(at, kind, status, priority))
    policies, errors, references = _policies(s, {t.contract_id for t in found if t.contract_id is not None})
    said = _justifications(s, chosen)
    out: dict[int, list[ReportTicket]] = {}
    for t in found:
        k = t.contract_id
        out.setdefault(t.client_id, []).append(
            ReportTicket(
                id=t.id,
                title=t.title,
                opened_at=t.opened_at,
                events=tuple(logs.get(t.id, ())),
                policy=policies.get(k) if k is not None else None,
                contract=references.get(k, "") if k is not None else "",
                justifications=said.get(t.id, {}),
                policy_error=errors.get(k) if k is not None else None,
            )
        )
    return out


def _justifications(s: Session, chosen: Any) -> dict[int, dict[str, str]]:
    """The justification in force of each clock of the `chosen` tickets that have one
    (`store.justifications`' own reading, as the service report asks it)."""
    from msptui.store.justifications import _current

    with_one = s.scalars(
        select(col(BreachJustification.ticket_id)).where(col(BreachJustification.ticket_id).in_(chosen)).distinct()
    ).all()
    return {tid: {clock: row.text for clock, row in _current(s, tid).items()} for tid in with_one}


_POLICY_COLUMNS = (
    "id",
    "reference",
    "timezone",
    "business_hours",
    "holiday_country",
    "holiday_subdivision",
    "whit_monday_worked",
    "extra_closed_dates",
    "pause_on_third_party",
)


def _policies(s: Session, contract_ids: set[int]) -> tuple[dict[int, SlaPolicy], dict[int, str], dict[int, str]]:
    """Each contract's SLA policy (`store.calendars.contract_policy`, as the board and the
    service report build it), from the columns it needs; a calendar that cannot be read is
    named with why, as in the service report."""
    policies: dict[int, SlaPolicy] = {}
    errors: dict[int, str] = {}
    references: dict[int, str] = {}
    if not contract_ids:
        return policies, errors, references
    ids = sorted(contract_ids)
    targets: dict[int, list[Any]] = {}
    columns = [getattr(SlaTarget, name) for name in ("contract_id", *TARGET_COLUMNS)]
    for target in s.execute(select(*columns).where(col(SlaTarget.contract_id).in_(ids))):
        targets.setdefault(target.contract_id, []).append(target)
    # Thousands of contracts share a few calendars and target grids: each distinct one is built
    # once here (contract_policy's own cache still decodes and keys every row it is given).
    built: dict[tuple[Any, ...], SlaPolicy | str] = {}
    for contract in s.execute(
        select(*[getattr(Contract, n) for n in _POLICY_COLUMNS]).where(col(Contract.id).in_(ids))
    ):
        references[contract.id] = contract.reference
        grid = targets.get(contract.id, [])
        key = (*(repr(v) for v in contract[2:]), repr(sorted(tuple(t)[1:] for t in grid)))
        if key not in built:
            try:
                built[key] = contract_policy(contract, grid)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:  # ZoneInfoNotFoundError is a KeyError
                built[key] = str(exc)
        policy = built[key]
        if isinstance(policy, str):
            errors[contract.id] = _("the business hours of contract {reference} cannot be read ({error})").format(
                reference=contract.reference, error=policy
            )
        else:
            policies[contract.id] = policy
    return policies, errors, references


TARGET_COLUMNS = ("priority", "response_minutes", "intervention_minutes", "resolution_minutes", "round_the_clock")


# --- billable time not billed yet ------------------------------------------------------------


def _unbilled(engine: Engine, now: datetime) -> dict[int, timedelta | None]:
    """Per client, the billable time of finished entries on no closed statement, as each open
    month's statement bills it (billable time, and included time beyond the prepaid hours)."""
    from msptui.store.billing import closed_periods
    from msptui.store.reads.statement import statement

    with db.read(engine) as s:
        found = s.execute(
            select(col(Ticket.client_id), col(Engagement.client_id), col(Client.timezone), col(TimeEntry.started_at))
            .select_from(TimeEntry)
            .outerjoin(Ticket, col(Ticket.id) == col(TimeEntry.ticket_id))
            .outerjoin(Engagement, col(Engagement.id) == col(TimeEntry.engagement_id))
            .join(Client, or_(col(Client.id) == col(Ticket.client_id), col(Client.id) == col(Engagement.client_id)))
            .where(col(TimeEntry.period_id).is_(None), col(TimeEntry.ended_at).is_not(None))
        ).all()
    started: dict[int, set[str]] = {}
    for ticket_client, engagement_client, tz, at in found:
        client_id = int(ticket_client if ticket_client is not None else engagement_client)
        started.setdefault(client_id, set()).add(current_month(at, tz))
    out: dict[int, timedelta | None] = {}
    for client_id, months in started.items():
        closed = {p.month for p in closed_periods(engine, client_id)}
        billed_in = {billed_month(month, closed) for month in months}
        try:
            out[client_id] = sum(
                (time_figures(statement(engine, client_id, month, now).lines).billable for month in sorted(billed_in)),
                ZERO,
            )
        except RefusedError:  # a contract's business hours cannot be read: "?" on its line, not a blank review
            out[client_id] = None
    return out


# --- prepaid hours ------------------------------------------------------------------------------


def _prepaid(engine: Engine, now: datetime) -> dict[int, tuple[int, int]]:
    """Per client with prepaid blocks: (the lowest percent left, contracts under PREPAID_LOW_PCT % left)."""
    from msptui.store.billing import prepaid_balance

    with db.read(engine) as s:
        contracts = s.execute(
            select(col(Contract.id), col(Contract.client_id))
            .where(
                col(Contract.archived_at).is_(None),
                col(Contract.id).in_(select(col(PrepaidBlock.contract_id))),
            )
            .order_by(col(Contract.id))
        ).all()
    out: dict[int, tuple[int, int]] = {}
    for contract_id, client_id in contracts:
        consumption = prepaid_balance(engine, contract_id, now).consumption
        if consumption is None:  # pragma: no cover - the query keeps contracts with blocks
            continue
        left = 0 if consumption.over else 100 - consumption.percent_used
        lowest, low = out.get(client_id, (100, 0))
        out[client_id] = (min(lowest, left), low + (left < PREPAID_LOW_PCT))
    return out


# --- conflicts and deliveries -------------------------------------------------------------------


def _undisclosed(engine: Engine) -> Counter[int]:
    from msptui.store.conflicts import list_conflicts

    rows = list_conflicts(engine, include_closed=False)
    return Counter(r.conflict.client_id for r in rows if r.status is ConflictStatus.undisclosed)


def _deliveries(engine: Engine) -> Counter[int]:
    """Deliveries in progress and accepted engagements with none opened yet, per client."""
    import msptui.store.deliveries  # noqa: F401 - first: it imports reads.deliveries at its end (a cycle otherwise)
    from msptui.store.reads.deliveries import deliveries_overview

    return Counter(r.client_id for r in deliveries_overview(engine, delivered_limit=0) if r.stage in PENDING_STAGES)


# --- satisfaction (issue 17's other area; absent from builds before it) ----------------------------


def _satisfaction(engine: Engine, now: datetime) -> tuple[dict[int, str | None], bool]:
    """Per client with answers on record, the trend of its summary (`core.rules.satisfaction`,
    read by `store.satisfaction.satisfaction_by_client` in one read); (empty, False) while the
    satisfaction area is not in this build."""
    try:
        module = importlib.import_module("msptui.store.satisfaction")
    except ImportError:
        return {}, False
    by_client: Callable[..., dict[int, Any]] = module.satisfaction_by_client
    return {cid: summary.trend for cid, summary in by_client(engine, now).items()}, True
