"""Tickets and their append-only event log.

Every command is one transaction that appends one event to `ticket_event`
(which triggers forbid to update or delete) and updates the ticket's status
and priority mirror. The SLA clocks are never stored: they are replayed from
the log by the SLA engine (`msptui.core.sla.ticket_clocks`).

Each event is classified when it happens by `msptui.core.rules.out_of_hours`
(only the technician's work outside the contract's business hours counts:
surcharged where the contract sells out-of-hours service for the ticket's
priority, else "outside the contract" for the technician to decide), and the
answer is stored on the event with the surcharge then in force. A ticket
without a contract has no SLA and is billable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Optional, TypedDict

from pydantic import AfterValidator
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from msptui.core import sla
from msptui.core.i18n import N_, _
from msptui.core.rules.out_of_hours import (
    TECHNICIAN_WORK,
    Classification,
    HoursClass,
    OutOfHoursTerms,
    WorkKind,
    classify,
)
from msptui.core.rules.ticket_actions import REFUSALS, STATUS_AFTER, allowed
from msptui.core.vocabulary import Priority, TicketStatus
from msptui.store import db
from msptui.store.calendars import business_calendar, contract_policy
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Contract, SlaTarget, Ticket, TicketEvent, saved_id
from msptui.store.reads.board import to_sla_events
from msptui.store.schemas import FieldError, Input, Line, Name, Text

S = TicketStatus
CHANNELS = {"on_site": "on site", "remote": "remote"}

# Why an action is refused, as whole sentences (`rules.ticket_actions.REFUSALS`'s words):
# {status} is the ticket's status in words, in lower case.
_REFUSED = {
    "acknowledge": N_("Ticket #{number} ({status}) is already acknowledged."),
    "start_intervention": N_("Ticket #{number} ({status}) cannot start an intervention."),
    "wait_client": N_("Ticket #{number} ({status}) cannot wait on the client."),
    "wait_third_party": N_("Ticket #{number} ({status}) cannot wait on a third party."),
    "resume": N_("Ticket #{number} ({status}) is not waiting: nothing to resume."),
    "resolve": N_("Ticket #{number} ({status}) cannot be resolved."),
    "close": N_("Ticket #{number} ({status}) must be resolved before it is closed."),
    "reopen": N_("Ticket #{number} ({status}) is not resolved or closed: nothing to reopen."),
    "change_priority": N_("Ticket #{number} ({status}) cannot change priority."),
}


def _note(value: str) -> str:
    if not value:
        raise ValueError(_("is required: write what was done or said"))
    return value


class TicketCreate(Input):
    client_id: int
    contract_id: Optional[int] = None
    title: Name
    description: Text = ""
    priority: Priority = Priority.P3


class NoteCreate(Input):
    note: Annotated[Text, AfterValidator(_note)]


def _summary(value: str) -> str:
    if not value:
        raise ValueError(_("is required: write what fixed it"))
    return value


class ResolutionCreate(Input):
    """The one-line resolution summary asked when a ticket is resolved (at most 200 characters)."""

    summary: Annotated[Line, AfterValidator(_summary)]


@dataclass(frozen=True)
class ActionResult:
    """What a command did, for the interface to say so."""

    ticket_id: int
    status: str
    priority: str
    out_of_hours: bool  # surcharged or outside the contract
    surcharge_pct: int
    hours_class: str = HoursClass.in_hours.value

    @property
    def hours_words(self) -> str:
        """'out of hours, +25 %', 'outside the contract' or 'in hours'."""
        return Classification(HoursClass(self.hours_class), self.surcharge_pct).words


# --- commands ----------------------------------------------------------------------------


def open_ticket(engine: Engine, data: TicketCreate, now: datetime) -> int:
    """Open a ticket (its "opened" event starts every SLA clock); returns its id.

    The contract, if given, must belong to the client and be active. Without
    a contract the ticket has no SLA and is billable.
    """
    with db.write(engine) as s:
        return saved_id(open_in(s, data, now))


def acknowledge(engine: Engine, ticket_id: int, now: datetime) -> ActionResult:
    """First response: stops the response clock."""
    return _command(engine, ticket_id, "acknowledge", now)


def start_intervention(engine: Engine, ticket_id: int, channel: str, now: datetime) -> ActionResult:
    """Start of intervention, on site or remote: stops the intervention (and response) clock."""
    return _command(engine, ticket_id, "start_intervention", now, channel=channel)


def wait_on_client(engine: Engine, ticket_id: int, now: datetime) -> ActionResult:
    """Waiting on the client: pauses every running clock."""
    return _command(engine, ticket_id, "wait_client", now)


def wait_on_third_party(engine: Engine, ticket_id: int, now: datetime) -> ActionResult:
    """Waiting on a third party: pauses the clocks only if the contract says so."""
    return _command(engine, ticket_id, "wait_third_party", now)


def resume(engine: Engine, ticket_id: int, now: datetime) -> ActionResult:
    """End a wait: back to work in progress if an intervention had started, else acknowledged."""
    return _command(engine, ticket_id, "resume", now)


def resolve(engine: Engine, ticket_id: int, now: datetime, note: str = "") -> ActionResult:
    """Resolution: stops every clock (the intervention one too if it never started)."""
    return _command(engine, ticket_id, "resolve", now, note=note)


def close(engine: Engine, ticket_id: int, now: datetime) -> ActionResult:
    """Close a resolved ticket: it leaves the board."""
    return _command(engine, ticket_id, "close", now)


def reopen(engine: Engine, ticket_id: int, now: datetime) -> ActionResult:
    """Reopen a resolved or closed ticket: its resolution clock resumes (the
    time it spent resolved does not count), it does not start again."""
    return _command(engine, ticket_id, "reopen", now)


def change_priority(engine: Engine, ticket_id: int, priority: str, now: datetime) -> ActionResult:
    """Change priority: running clocks are re-targeted from the opening with the
    new priority's targets, paused time still excluded (see the SLA engine)."""
    return _command(engine, ticket_id, "change_priority", now, priority=priority)


def add_note(engine: Engine, ticket_id: int, data: NoteCreate, now: datetime) -> ActionResult:
    """Append a note (work done, what the client said); notes never change a clock."""
    return _command(engine, ticket_id, "add_note", now, note=data.note)


# --- reading ---------------------------------------------------------------------------


def ticket_events(engine: Engine, ticket_id: int) -> list[TicketEvent]:
    """The ticket's log, oldest first."""
    with db.read(engine) as s:
        return list(
            s.scalars(
                select(TicketEvent)
                .where(col(TicketEvent.ticket_id) == ticket_id)
                .order_by(col(TicketEvent.at), col(TicketEvent.id))
            )
        )


def get_ticket(engine: Engine, ticket_id: int) -> Ticket | None:
    with db.read(engine) as s:
        return s.get(Ticket, ticket_id)


def ticket_policy(engine: Engine, ticket_id: int) -> sla.SlaPolicy | None:
    """The SLA policy the ticket runs on; None for a ticket without contract."""
    with db.read(engine) as s:
        ticket = s.get(Ticket, ticket_id)
        if ticket is None or ticket.contract_id is None:
            return None
        contract = db.referenced(s, Contract, ticket.contract_id)
        targets = s.scalars(select(SlaTarget).where(col(SlaTarget.contract_id) == contract.id)).all()
        return contract_policy(contract, targets)


def clocks_from_log(engine: Engine, ticket_id: int, now: datetime) -> dict[str, sla.ClockState]:
    """The ticket's SLA clocks at `now`, replayed from its log ({} without contract)."""
    policy = ticket_policy(engine, ticket_id)
    if policy is None:
        return {}
    return sla.ticket_clocks(policy, to_sla_events(ticket_events(engine, ticket_id)), now)


# --- inside one transaction ---------------------------------------------------------------


def open_in(s: Session, data: TicketCreate, now: datetime) -> Ticket:
    """Open a ticket in the caller's transaction (see open_ticket)."""
    client = s.get(Client, data.client_id)
    if client is None:
        raise FieldError("client_id", _("no longer exists: pick another client"))
    contract = None
    if data.contract_id is not None:
        contract = s.get(Contract, data.contract_id)
        if contract is None or contract.client_id != client.id:
            raise FieldError("contract_id", _("is not a contract of {client}").format(client=client.name))
        if contract.status != "active" or contract.archived_at is not None:
            raise FieldError(
                "contract_id",
                _("{reference} is not active: choose an active contract or none").format(reference=contract.reference),
            )
    ticket = Ticket(
        client_id=saved_id(client),
        contract_id=data.contract_id,
        title=data.title,
        description=data.description,
        priority=data.priority.value,
        status=S.new.value,
        opened_at=now,
        billable=contract is None,
    )
    s.add(ticket)
    s.flush()
    # The client's opening is never the technician's work: classify says in hours.
    s.add(
        TicketEvent(
            ticket_id=saved_id(ticket),
            at=now,
            kind="opened",
            status=S.new.value,
            priority=ticket.priority,
            **_classified(contract, WorkKind.opened, ticket.priority, now),
        )
    )
    return ticket


def _command(engine: Engine, ticket_id: int, action: str, now: datetime, **extra: str) -> ActionResult:
    with db.write(engine) as s:
        return apply_action(s, ticket_id, action, now, **extra)


def apply_action(
    s: Session,
    ticket_id: int,
    action: str,
    now: datetime,
    *,
    priority: str | None = None,
    channel: str | None = None,
    note: str = "",
) -> ActionResult:
    """Check the transition, append its event, update the mirror, in the caller's transaction.

    `action` is a key of ALLOWED_FROM; `priority` is required by
    change_priority, `channel` (on_site or remote) by start_intervention.
    """
    ticket = s.get(Ticket, ticket_id)
    if ticket is None:
        raise RefusedError(_("Ticket #{number} no longer exists.").format(number=ticket_id))
    if not allowed(action, ticket.status):
        label = TicketStatus(ticket.status).label.lower()
        refusal = _REFUSED.get(action)
        if refusal is None:  # an action without its sentence: the rule's words, untranslated
            raise RefusedError(f"Ticket #{ticket_id} ({label}) {REFUSALS[action]}.")  # i18n: not shown
        raise RefusedError(_(refusal).format(number=ticket_id, status=label))
    if action == "start_intervention" and channel not in CHANNELS:
        raise FieldError("channel", _("must be on site or remote"))
    if action == "change_priority":
        priority = _new_priority(priority)
        if priority == ticket.priority:
            raise RefusedError(_("Ticket #{number} is already {priority}.").format(number=ticket_id, priority=priority))
    status = STATUS_AFTER.get(action)
    if action in ("resume", "reopen"):
        status = S.in_progress if _intervention_started(s, ticket_id) else S.acknowledged

    at = next_event_at(s, ticket_id, now)
    contract = s.get(Contract, ticket.contract_id) if ticket.contract_id is not None else None
    kind = "priority" if priority is not None else "status" if status is not None else "note"
    # The priority in force when the work is done (a priority change is not work).
    hours = _classified(contract, WorkKind(kind), ticket.priority, at)
    s.add(
        TicketEvent(
            ticket_id=ticket_id,
            at=at,
            kind=kind,
            status=None if status is None else str(status),
            priority=priority,
            channel=channel,
            note=note,
            **hours,
        )
    )
    if status is not None:
        ticket.status = str(status)
    if priority is not None:
        ticket.priority = priority
    return ActionResult(
        ticket_id,
        ticket.status,
        ticket.priority,
        hours["out_of_hours"],
        hours["surcharge_pct"],
        hours["hours_class"],
    )


def next_event_at(s: Session, ticket_id: int, now: datetime) -> datetime:
    """The instant of a new event in the ticket's log: `now`, or the last event's if later.

    The log is replayed in time order: an action never lands before the last event,
    even if this machine's clock stepped back (or a colleague's runs ahead)."""
    last = s.scalar(select(func.max(col(TicketEvent.at))).where(col(TicketEvent.ticket_id) == ticket_id))
    return max(now, last) if last is not None else now


def _new_priority(priority: str | None) -> str:
    try:
        return Priority(priority or "").value
    except ValueError:
        raise FieldError("priority", _("must be P1, P2, P3 or P4")) from None


def _intervention_started(s: Session, ticket_id: int) -> bool:
    found = s.scalar(
        select(col(TicketEvent.id))
        .where(col(TicketEvent.ticket_id) == ticket_id, col(TicketEvent.status) == S.in_progress.value)
        .limit(1)
    )
    return found is not None


def contract_terms(contract: Contract) -> OutOfHoursTerms:
    """The contract's out-of-hours terms, as the rule reads them."""
    return OutOfHoursTerms.of(
        contract.out_of_hours_available, contract.out_of_hours_surcharge_pct, contract.out_of_hours_priorities
    )


def classify_event(contract: Contract | None, kind: WorkKind, priority: str, at: datetime) -> Classification:
    """How an event of `kind` at `at` stands against the contract's hours (see rules.out_of_hours).

    Outside business hours means outside the contract's own calendar, even for
    a round-the-clock priority: the SLA runs at night, the work is still out of hours."""
    if contract is None:
        return classify(kind, False, None, priority)
    # Only the technician's work needs the calendar (building it costs the holiday lookups).
    outside = WorkKind(kind) in TECHNICIAN_WORK and not business_calendar(contract).is_open(at)
    return classify(kind, outside, contract_terms(contract), priority)


class _Hours(TypedDict):
    """The event columns that say how an action stood against the contract's hours."""

    out_of_hours: bool
    hours_class: str
    surcharge_pct: int


def _classified(contract: Contract | None, kind: WorkKind, priority: str, at: datetime) -> _Hours:
    c = classify_event(contract, kind, priority, at)
    return {"out_of_hours": c.out_of_hours, "hours_class": c.hours_class.value, "surcharge_pct": c.surcharge_pct}
