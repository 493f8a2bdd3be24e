"""The SLA board's one read: the tickets on the board with what their clocks need.

Four queries whatever the number of tickets (no query per ticket), each led
by an index: tickets by `ix_ticket_status`, their events by
`ix_ticket_event_ticket_id`, their contracts and targets by primary key and
`ix_sla_target_contract_id`. With 1,000 open tickets among 100,000 only the
open ones and their events are read.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, func, select

from msptui import sla
from msptui.store import db
from msptui.store.calendars import contract_policy
from msptui.store.models import Client, ConflictDisclosure, Contract, SlaTarget, Ticket, TicketEvent
from msptui.store.tickets import BOARD_STATUSES, to_sla_events


@dataclass(frozen=True, slots=True)
class BoardTicket:
    """One ticket as the board shows it. `events` are the SLA engine's events
    (notes left out); `version` changes whenever the log grows."""

    id: int
    client_id: int
    client_name: str
    client_tz: str
    contract_id: int | None
    contract_reference: str | None
    title: str
    priority: str
    status: str
    opened_at: datetime
    billable: bool
    channel: str | None  # of the last start of intervention
    out_of_hours: int  # actions flagged outside the contract's business hours
    surcharge_pct: int
    events: tuple[sla.TicketEvent, ...]
    version: tuple[int, int]  # (last event id, number of events)


@dataclass
class BoardData:
    tickets: list[BoardTicket] = field(default_factory=list)
    policies: dict[int, sla.SlaPolicy] = field(default_factory=dict)  # by contract id
    undisclosed_conflicts: int = 0
    version: tuple[int, int] = (0, 0)  # see board_version

    def policy(self, ticket: BoardTicket) -> sla.SlaPolicy | None:
        return None if ticket.contract_id is None else self.policies.get(ticket.contract_id)


BOARD_STATUS_VALUES = tuple(sorted(str(s) for s in BOARD_STATUSES))
CALENDAR_COLUMNS = (
    Contract.id, Contract.timezone, Contract.business_hours, Contract.holiday_country, Contract.holiday_subdivision,
    Contract.whit_monday_worked, Contract.extra_closed_dates, Contract.pause_on_third_party,
)
TARGET_COLUMNS = (
    SlaTarget.contract_id, SlaTarget.priority, SlaTarget.response_minutes, SlaTarget.intervention_minutes,
    SlaTarget.resolution_minutes, SlaTarget.round_the_clock,
)


def load_board(engine: Engine, ticket_ids: Collection[int] | None = None) -> BoardData:
    """Every ticket on the board (open, or resolved and not yet closed), or only
    those of `ticket_ids` that are still on it, with their contracts' SLA
    policies and the number of conflicts of interest not yet disclosed."""
    on_board = Ticket.status.in_(BOARD_STATUS_VALUES)
    if ticket_ids is not None:
        on_board = on_board & Ticket.id.in_(list(ticket_ids))
    data = BoardData()
    with db.read(engine) as s:
        rows = s.execute(
            select(
                Ticket.id, Ticket.client_id, Client.name, Client.timezone, Ticket.contract_id, Contract.reference,
                Ticket.title, Ticket.priority, Ticket.status, Ticket.opened_at, Ticket.billable,
                Contract.out_of_hours_surcharge_pct,
            )
            .join(Client, Client.id == Ticket.client_id)
            .outerjoin(Contract, Contract.id == Ticket.contract_id)
            .where(on_board)
            .order_by(Ticket.id)
        ).all()
        ids_on_board = select(Ticket.id).where(on_board).scalar_subquery()
        logs: dict[int, list] = {}
        for event in s.execute(
            select(
                TicketEvent.ticket_id, TicketEvent.id, TicketEvent.at, TicketEvent.kind, TicketEvent.status,
                TicketEvent.priority, TicketEvent.channel, TicketEvent.out_of_hours,
            )
            .where(TicketEvent.ticket_id.in_(ids_on_board))
            .order_by(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.id)
        ):
            logs.setdefault(event.ticket_id, []).append(event)

        contract_ids = {row.contract_id for row in rows if row.contract_id is not None}
        if contract_ids:
            # Only the columns a policy is built from: whole contracts would decode every JSON column.
            contracts = s.execute(select(*CALENDAR_COLUMNS).where(Contract.id.in_(contract_ids))).all()
            targets: dict[int, list] = {}
            for target in s.execute(select(*TARGET_COLUMNS).where(SlaTarget.contract_id.in_(contract_ids))):
                targets.setdefault(target.contract_id, []).append(target)
            for contract in contracts:
                data.policies[contract.id] = contract_policy(contract, targets.get(contract.id, []))

        data.version = _version(s)
        data.undisclosed_conflicts = data.version[1]

    for row in rows:
        log = logs.get(row.id, [])
        channel = next((e.channel for e in reversed(log) if e.channel), None)
        data.tickets.append(
            BoardTicket(
                id=row.id, client_id=row.client_id, client_name=row.name, client_tz=row.timezone,
                contract_id=row.contract_id, contract_reference=row.reference, title=row.title,
                priority=row.priority, status=row.status, opened_at=row.opened_at, billable=row.billable,
                channel=channel,
                out_of_hours=sum(1 for e in log if e.out_of_hours),
                surcharge_pct=row.out_of_hours_surcharge_pct or 0,
                events=tuple(to_sla_events(log)),
                version=(log[-1].id if log else 0, len(log)),
            )
        )
    return data


def board_version(engine: Engine) -> tuple[int, int]:
    """(last ticket event id, undisclosed conflicts): changes whenever the board
    would; two index lookups, cheap enough to poll every few seconds."""
    with db.read(engine) as s:
        return _version(s)


def _version(s) -> tuple[int, int]:  # noqa: ANN001
    last_event = s.scalar(select(func.max(TicketEvent.id))) or 0
    conflicts = s.scalar(
        select(func.count())
        .select_from(ConflictDisclosure)
        .where(
            ConflictDisclosure.disclosed_at.is_(None),
            ConflictDisclosure.closed_at.is_(None),
            ConflictDisclosure.kind != "gift_or_bribe",
        )
    ) or 0
    return last_event, conflicts
