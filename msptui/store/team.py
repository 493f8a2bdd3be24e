"""Who did what: the technician acting in this process, stamped on every new record; assignment.

The app and the CLI set the acting technician once, at start, from this machine's settings
(`set_acting`). Every new row of a table with a `technician` column (ticket events, time
entries, checks, disclosures, delivery notes and their voids, breach justifications,
billing periods, satisfaction scores) gets that name when it is flushed, in this one
place (`_stamp`, a Session `before_flush` listener), so no command can forget it. A row
that already names someone keeps it (an import copies what was recorded), and rows
already in the database are never touched: several tables are append-only. Before a
name is set, rows keep '' (read as "before team mode").

A ticket is assigned to a technician or to nobody (`assign`): the ticket's `assignee`
and an "assigned" event (its note holds the assignee, '' for unassigned, so the log
says it) are written in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, select, union
from sqlalchemy.orm import Session
from sqlmodel import col

from msptui.core.rules.team import assignment_problem, technician_problem
from msptui.store.models import Ticket, TicketEvent, TimeEntry

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: The kind of the ticket event an assignment appends (never an SLA clock's business).
ASSIGNED = "assigned"

_acting = ""


def set_acting(name: str) -> None:
    """The technician whose name this process stamps on what it records ('' for none).
    ValueError on a name that is not valid (see msptui.core.rules.team)."""
    global _acting
    if name and (problem := technician_problem(name)) is not None:
        raise ValueError(problem)
    _acting = name


def acting() -> str:
    """The technician acting in this process ('' before a name is set)."""
    return _acting


@event.listens_for(Session, "before_flush")
def _stamp(session: Session, _context: Any, _instances: Any) -> None:
    name = _acting
    if not name:
        return
    for row in session.new:
        # Only models with the column; a name already given (an import, a test) is kept.
        if getattr(row, "technician", None) == "" and "technician" in type(row).__table__.columns:
            row.technician = name


# --- assignment ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    """What an assignment did, for the interface to say so."""

    ticket_id: int
    assignee: str | None  # None: unassigned
    previous: str | None


def assign(engine: Engine, ticket_id: int, assignee: str | None, now: datetime) -> Assignment:
    """Assign the ticket to `assignee` (None: unassign it), with an "assigned" event in its log,
    in one transaction. Refused (RefusedError) when it would change nothing, the ticket is
    closed or gone, or the name is not valid."""
    from msptui.core.i18n import _
    from msptui.store import db
    from msptui.store.clients import RefusedError
    from msptui.store.tickets import next_event_at

    assignee = assignee.strip() if assignee is not None else None
    with db.write(engine) as s:
        ticket = s.get(Ticket, ticket_id)
        if ticket is None:
            raise RefusedError(_("Ticket #{number} no longer exists.").format(number=ticket_id))
        previous = ticket.assignee or None
        problem = assignment_problem(ticket.status, previous, assignee or None)
        if problem is not None:
            raise RefusedError(problem)
        at = next_event_at(s, ticket_id, now)  # in the log's order, as every action
        s.add(TicketEvent(ticket_id=ticket_id, at=at, kind=ASSIGNED, note=assignee or ""))
        ticket.assignee = assignee or None
        return Assignment(ticket_id, assignee or None, previous)


def known_technicians(engine: Engine) -> list[str]:
    """Every technician name seen in this database (who acted, who was assigned), sorted,
    the acting technician included: the choices offered when assigning."""
    from msptui.store import db

    with db.read(engine) as s:
        seen: Any = union(
            select(col(TicketEvent.technician)).distinct(),
            select(col(TimeEntry.technician)).distinct(),
            select(col(Ticket.assignee)).where(col(Ticket.assignee).is_not(None)).distinct(),
        )
        names = {name for (name,) in s.execute(seen) if name}
    if _acting:
        names.add(_acting)
    return sorted(names, key=str.casefold)
