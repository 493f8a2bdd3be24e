"""A client's service report for one month: what the Reports screen, the files and `msptui report` show.

Every figure is asked of the one place that decides it:
- the SLA clocks of the client's tickets from the SLA engine, with the same
  events and the same contract policy as the board and the explain view
  (`store.reads.board.to_sla_events`, `store.calendars.contract_policy`), and
  each breach's justification in force (`store.justifications`); the counting
  is `core.rules.reports`;
- the time spent, included and billable, and the prepaid hours, from the
  month's statement of activity (`store.reads.statement.statement`: the same
  entries, split and billing decision, a closed month as it was closed);
- the deliveries made (a delivery marked delivered in the month, with its
  note), the conflicts of interest disclosed in the month, the provider's
  identity, and the client's satisfaction once it is recorded
  (`store.satisfaction`, read when present).

The month is the client's calendar month ("YYYY-MM", midnight to midnight in
the client's zone). Clocks are as the engine reports them at `now`; the plots
cover the twelve months ending with the report's month.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, exists, or_, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules.provider import ProviderIdentity, provider_lines
from msptui.core.rules.reports import (
    MonthPoint,
    Period,
    ReportTicket,
    SlaFigures,
    TicketCounts,
    TimeFigures,
    clock_outcomes,
    monthly_series,
    months_back,
    sla_figures,
    ticket_counts,
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
    ConflictDisclosure,
    Contract,
    Delivery,
    Engagement,
    SlaTarget,
    Ticket,
    TicketEvent,
    saved_id,
)
from msptui.store.reads.board import to_sla_events
from msptui.store.reads.coming_due_period import (  # issue 18
    BreachNotified,
    RecurringInPeriod,
    breaches_notified,
    recurring_in_period,
)
from msptui.store.reads.statement import PrepaidState, statement

SERIES_MONTHS = 12


@dataclass(frozen=True, slots=True)
class DeliveryMade:
    day: date  # in the client's zone
    engagement: str
    note_number: str | None
    signatory: str


@dataclass(frozen=True, slots=True)
class ConflictDisclosed:
    day: date  # disclosed on, in the client's zone
    kind: str  # in words ("Vendor incentive")
    description: str
    disclosed_to: str
    disclosed_how: str
    answer: str  # the client's answer in words, "" while awaited


@dataclass(frozen=True, slots=True)
class ServiceReport:
    provider: ProviderIdentity | None
    client_id: int
    client_name: str
    client_code: str
    client_address: str
    timezone: str
    month: str
    first_day: date
    last_day: date
    as_of: datetime  # the instant the clocks were read (UTC)
    tickets: TicketCounts
    sla: SlaFigures
    time: TimeFigures
    prepaid: tuple[PrepaidState, ...]
    statement_number: str | None  # the month's statement once closed
    deliveries: tuple[DeliveryMade, ...]
    conflicts: tuple[ConflictDisclosed, ...]
    series: tuple[MonthPoint, ...]  # the twelve months ending with `month`, oldest first
    satisfaction: Any | None  # core.rules.satisfaction.SatisfactionSummary; None: not recorded yet
    satisfaction_answers: int = 0  # answers recorded in the month
    undisclosed_conflicts: int = 0  # for the technician (the review screen), not printed for the client
    # Issue 18 (`store.reads.coming_due_period`): recurring occurrences due in the month, done
    # (ticket resolved) or missed (ticket open, or none made), and breaches notified in the month.
    recurring_done: tuple[RecurringInPeriod, ...] = ()
    recurring_missed: tuple[RecurringInPeriod, ...] = ()
    breaches_notified: tuple[BreachNotified, ...] = ()
    language: str = "en"  # the client's, which its files are written in

    @property
    def period(self) -> str:
        return month_words(self.month)

    @property
    def provider_lines(self) -> list[str]:
        return provider_lines(self.provider) if self.provider is not None else []


def service_report(engine: Engine, client_id: int, month: str, now: datetime) -> ServiceReport:
    """The service report of `client_id` for `month` ("YYYY-MM") as of `now`.

    Refused (RefusedError, a sentence) for a client that no longer exists, a month
    that is not YYYY-MM, or a month not begun yet in the client's calendar."""
    months = months_back(_checked(month), SERIES_MONTHS)
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError(_("This client no longer exists."))
        periods = [Period(m, *month_bounds(m, client.timezone)) for m in months]
        period = periods[-1]
        if period.start > now:
            raise RefusedError(
                _("{month} has not begun yet for {client}: there is nothing to report.").format(
                    month=month_words(month), client=client.name
                )
            )
        tickets = _tickets(s, client_id, periods[0].start, period.end)
        deliveries = _deliveries(s, client_id, period, ZoneInfo(client.timezone))
        conflicts, undisclosed = _conflicts(s, client_id, period, ZoneInfo(client.timezone))
        # --- issue 18: recurring tasks and breaches of the month ---
        zone = ZoneInfo(client.timezone)
        days = period.start.astimezone(zone).date(), (period.end - timedelta(microseconds=1)).astimezone(zone).date()
        recurring_done, recurring_missed = recurring_in_period(s, client_id, *days, zone, now)
        notified = breaches_notified(s, client_id, period.start, period.end)
        # --- end issue 18 ---
    outcomes, unmeasured = clock_outcomes(tickets, now)
    statements = {m: statement(engine, client_id, m, now) for m in months if _started(periods, m, now)}
    times = {m: time_figures(st.lines) for m, st in statements.items()}
    this = statements[month]
    satisfaction, answers = _satisfaction(engine, client_id, period, now)
    return ServiceReport(
        provider=this.provider,
        client_id=client_id,
        client_name=this.client_name,
        client_code=this.client_code,
        client_address=this.client_address,
        timezone=client.timezone,
        month=month,
        first_day=this.first_day,
        last_day=this.last_day,
        as_of=now,
        tickets=ticket_counts(tickets, period, now),
        sla=sla_figures(outcomes, period, unmeasured),
        time=times[month],
        prepaid=this.prepaid,
        statement_number=this.number,
        deliveries=deliveries,
        conflicts=conflicts,
        series=monthly_series(outcomes, periods, times),
        satisfaction=satisfaction,
        satisfaction_answers=answers,
        undisclosed_conflicts=undisclosed,
        recurring_done=recurring_done,
        recurring_missed=recurring_missed,
        breaches_notified=notified,
        language=client.language,
    )


def _checked(month: str) -> str:
    month = month.strip()
    month_words(month)  # RefusedError with a sentence when it is not YYYY-MM
    return month


def _started(periods: list[Period], month: str, now: datetime) -> bool:
    return next(p for p in periods if p.month == month).start <= now


# --- tickets and their clocks ---------------------------------------------------------------------


def _tickets(s: Session, client_id: int, since: datetime, end: datetime) -> list[ReportTicket]:
    """The client's tickets that can count from `since` to `end`: opened before `end`, and
    open now or with something logged since `since` (a clock can only stop or fall due
    while the ticket is open, so a ticket closed before `since` has nothing left to count)."""
    logged_since = exists().where(and_(col(TicketEvent.ticket_id) == col(Ticket.id), col(TicketEvent.at) >= since))
    found = list(
        s.scalars(
            select(Ticket)
            .where(
                col(Ticket.client_id) == client_id,
                col(Ticket.opened_at) < end,
                or_(col(Ticket.status).not_in(list(RESOLVED)), logged_since),
            )
            .order_by(col(Ticket.id))
        )
    )
    ids = [saved_id(t) for t in found]
    logs: dict[int, list[TicketEvent]] = {}
    if ids:
        query = select(TicketEvent).where(col(TicketEvent.ticket_id).in_(ids))
        for event in s.scalars(query.order_by(col(TicketEvent.at), col(TicketEvent.id))):
            logs.setdefault(event.ticket_id, []).append(event)
    policies, errors, references = _policies(s, {t.contract_id for t in found if t.contract_id is not None})
    said = _justifications(s, ids)
    return [
        ReportTicket(
            id=saved_id(t),
            title=t.title,
            opened_at=t.opened_at,
            events=tuple(to_sla_events(logs.get(saved_id(t), []))),
            policy=policies.get(t.contract_id) if t.contract_id is not None else None,
            contract=references.get(t.contract_id, "") if t.contract_id is not None else "",
            justifications=said.get(saved_id(t), {}),
            policy_error=errors.get(t.contract_id) if t.contract_id is not None else None,
        )
        for t in found
    ]


def _policies(s: Session, contract_ids: set[int]) -> tuple[dict[int, SlaPolicy], dict[int, str], dict[int, str]]:
    """Each contract's SLA policy as the board builds it; a calendar that cannot be read is
    named with why (its tickets are then reported unmeasured, never dropped)."""
    policies: dict[int, SlaPolicy] = {}
    errors: dict[int, str] = {}
    references: dict[int, str] = {}
    if not contract_ids:
        return policies, errors, references
    targets: dict[int, list[SlaTarget]] = {}
    for target in s.scalars(select(SlaTarget).where(col(SlaTarget.contract_id).in_(sorted(contract_ids)))):
        targets.setdefault(target.contract_id, []).append(target)
    for contract in s.scalars(select(Contract).where(col(Contract.id).in_(sorted(contract_ids)))):
        cid = saved_id(contract)
        references[cid] = contract.reference
        try:
            policies[cid] = contract_policy(contract, targets.get(cid, []))
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
        ) as exc:  # as the board: ZoneInfoNotFoundError is a KeyError
            errors[cid] = _("the business hours of contract {reference} cannot be read ({error})").format(
                reference=contract.reference, error=exc
            )
    return policies, errors, references


def _justifications(s: Session, ticket_ids: list[int]) -> dict[int, dict[str, str]]:
    """The justification in force of each clock of the tickets that have one
    (`store.justifications`' own reading, asked only of tickets with a justification)."""
    from msptui.store.justifications import _current

    if not ticket_ids:
        return {}
    with_one = s.scalars(
        select(col(BreachJustification.ticket_id)).where(col(BreachJustification.ticket_id).in_(ticket_ids)).distinct()
    )
    return {tid: {clock: row.text for clock, row in _current(s, tid).items()} for tid in with_one}


# --- deliveries and conflicts -------------------------------------------------------------------------


def _deliveries(s: Session, client_id: int, period: Period, zone: ZoneInfo) -> tuple[DeliveryMade, ...]:
    from msptui.store.deliveries import _note_of

    query = (
        select(Delivery, col(Engagement.title))
        .join(Engagement, col(Engagement.id) == col(Delivery.engagement_id))
        .where(
            col(Engagement.client_id) == client_id,
            col(Delivery.delivered_at) >= period.start,
            col(Delivery.delivered_at) < period.end,
        )
        .order_by(col(Delivery.delivered_at), col(Delivery.id))
    )
    made = []
    for delivery, title in s.execute(query):
        note = _note_of(s, saved_id(delivery))
        assert delivery.delivered_at is not None  # the query keeps delivered ones only
        made.append(
            DeliveryMade(
                day=delivery.delivered_at.astimezone(zone).date(),
                engagement=title,
                note_number=note.number if note is not None else None,
                signatory=(note.signatory if note is not None else delivery.signatory) or "",
            )
        )
    return tuple(made)


def _conflicts(s: Session, client_id: int, period: Period, zone: ZoneInfo) -> tuple[tuple[ConflictDisclosed, ...], int]:
    """The conflicts disclosed to the client in the month, and how many of the client's are
    still undisclosed now (`store.conflicts`' status, for the technician)."""
    from msptui.core.rules import ClientAnswer, ConflictKind, ConflictStatus
    from msptui.store.conflicts import status_of

    rows = list(s.scalars(select(ConflictDisclosure).where(col(ConflictDisclosure.client_id) == client_id)))
    disclosed = sorted(
        (c for c in rows if c.disclosed_at is not None and period.start <= c.disclosed_at < period.end),
        key=lambda c: (c.disclosed_at, c.id),
    )
    out = []
    for c in disclosed:
        assert c.disclosed_at is not None  # kept by the filter above
        out.append(
            ConflictDisclosed(
                day=c.disclosed_at.astimezone(zone).date(),
                kind=_label(ConflictKind, c.kind),
                description=c.description,
                disclosed_to=c.disclosed_to,
                disclosed_how=c.disclosed_how,
                answer=_label(ClientAnswer, c.client_answer) if c.client_answer else "",
            )
        )
    undisclosed = sum(1 for c in rows if status_of(c) is ConflictStatus.undisclosed)
    return tuple(out), undisclosed


def _label(kind: Any, value: str | None) -> str:
    try:
        return str(kind(value).label)
    except ValueError:
        return str(value or "")


# --- satisfaction (issue 17, recorded by store.satisfaction once it exists) ---------------------------


def _satisfaction(engine: Engine, client_id: int, period: Period, now: datetime) -> tuple[Any | None, int]:
    """The client's satisfaction summary as of the month's end (or `now`), and the number
    of answers recorded in the month; (None, 0) until satisfaction is recorded at all."""
    try:
        module = importlib.import_module("msptui.store.satisfaction")
    except ImportError:
        return None, 0
    as_of = min(now, period.end - timedelta(microseconds=1))
    summary = module.client_satisfaction(engine, client_id, as_of)
    answers = module.satisfaction_in_period(engine, client_id, period.start, period.end)
    asked = [a for a in answers if getattr(a, "score", None) is not None]
    if not getattr(summary, "count_12m", 0) and not getattr(summary, "occasions_12m", 0) and not answers:
        return None, 0
    return summary, len(asked)
