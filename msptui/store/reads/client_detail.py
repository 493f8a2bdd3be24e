"""The client browser's detail pane in one read: the client, its contacts, its
contracts, its tickets still on the board and the last ones closed, and its
satisfaction.

One transaction, so the pane never shows a contract list from before a change
beside a ticket list from after it. The open tickets' SLA state is the SLA
engine's (`core.sla.ticket_clocks`), fed by the board's own read, never
re-derived here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlmodel import col

from msptui.core import sla
from msptui.core.rules.satisfaction import SatisfactionSummary
from msptui.core.vocabulary import BOARD_STATUSES, TicketStatus
from msptui.store import db
from msptui.store.models import Client, Contact, Contract, Ticket, TicketEvent, saved_id
from msptui.store.reads.board import BoardData, BoardTicket, read_board
from msptui.store.satisfaction import summary_in
from msptui.store.types import UTCDateTime

# The last closed tickets shown: enough to answer "didn't we fix this last month?".
RECENT_CLOSED = 5

# Worst first: the one state a technician on a call must see for the ticket.
_WORST_FIRST = (
    sla.ClockStatus.BREACHED,
    sla.ClockStatus.WARNING,
    sla.ClockStatus.RUNNING,
    sla.ClockStatus.PAUSED,
    sla.ClockStatus.MET,
)


@dataclass(frozen=True, slots=True)
class ClientTicket:
    """One of the client's tickets as the detail pane lists it.

    sla: the worst state of its SLA clocks now ("breached", "warning",
    "running", "paused", "met"), "no SLA" without contract or target,
    "calendar error" when its contract's calendar cannot be built, and ""
    for a closed ticket. `when`: opened (still open) or closed (UTC).
    """

    id: int
    title: str
    priority: str
    status: str
    when: datetime
    sla: str = ""

    @property
    def status_label(self) -> str:
        return TicketStatus(self.status).label


@dataclass(frozen=True, slots=True)
class ClientDetail:
    client: Client
    contacts: list[Contact]
    contracts: list[Contract]
    open_tickets: list[ClientTicket]  # on the board (open, or resolved not yet closed), oldest first
    closed_tickets: list[ClientTicket]  # the last RECENT_CLOSED closed, last closed first
    # Issue 17: the client's answers as of `now` (store.satisfaction, the same transaction).
    satisfaction: SatisfactionSummary | None = None


def client_detail(
    engine: Engine, client_id: int, now: datetime, closed_limit: int = RECENT_CLOSED
) -> ClientDetail | None:
    """Everything the detail pane shows of a client at `now` (UTC), or None when it is gone."""
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            return None
        contacts = list(s.scalars(select(Contact).where(col(Contact.client_id) == client_id).order_by(Contact.name)))
        contracts = list(
            s.scalars(
                select(Contract).where(col(Contract.client_id) == client_id).order_by(col(Contract.start_date).desc())
            )
        )
        open_ids = [
            ticket_id
            for ticket_id in s.scalars(
                select(col(Ticket.id)).where(
                    col(Ticket.client_id) == client_id, col(Ticket.status).in_([str(x) for x in BOARD_STATUSES])
                )
            )
            if ticket_id is not None
        ]
        open_tickets: list[ClientTicket] = []
        if open_ids:
            connection = s.connection()
            board = read_board(lambda sql: connection.exec_driver_sql(sql).all(), open_ids)
            open_tickets = [_open_ticket(board, t, now) for t in board.tickets]
        # Typed, so that the aggregate comes back aware in UTC like the column itself.
        closed_at = func.max(col(TicketEvent.at), type_=UTCDateTime).label("closed_at")
        closed_rows = s.execute(
            select(Ticket, closed_at)
            .join(TicketEvent, col(TicketEvent.ticket_id) == Ticket.id)
            .where(
                col(Ticket.client_id) == client_id,
                col(Ticket.status) == TicketStatus.closed,
                col(TicketEvent.status) == TicketStatus.closed,
            )
            .group_by(col(Ticket.id))
            .order_by(closed_at.desc(), col(Ticket.id).desc())
            .limit(closed_limit)
        ).all()
        closed_tickets = [ClientTicket(saved_id(t), t.title, t.priority, t.status, at) for t, at in closed_rows]
        satisfaction = summary_in(s, client_id, now)
    return ClientDetail(client, contacts, contracts, open_tickets, closed_tickets, satisfaction)


def _open_ticket(board: BoardData, ticket: BoardTicket, now: datetime) -> ClientTicket:
    return ClientTicket(
        ticket.id, ticket.title, ticket.priority, ticket.status, ticket.opened_at, _sla_word(board, ticket, now)
    )


def _sla_word(board: BoardData, ticket: BoardTicket, now: datetime) -> str:
    if board.calendar_error(ticket):
        return "calendar error"  # i18n: not shown (a key: the detail pane says it in words)
    policy = board.policy(ticket)
    if policy is None:
        return "no SLA"  # i18n: not shown (a key)
    clocks = sla.ticket_clocks(policy, ticket.events, now)
    states = {clock.status for clock in clocks.values()}
    return next((str(s) for s in _WORST_FIRST if s in states), "no SLA")  # i18n: not shown (a key)
