"""Breach justifications: why a breached SLA clock was late, said to the client.

Append-only (triggers refuse UPDATE and DELETE): a new justification of the same
clock supersedes the previous one, which stays on record. A clock without one is
reported "not justified"; a breach is never hidden.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules.words import Word
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import BreachJustification, Ticket, saved_id
from msptui.store.schemas.common import Input, _text

TEXT_MAX = 500


class BreachClock(Word):
    """The SLA clock a justification is about."""

    response = "response"
    intervention = "intervention"
    resolution = "resolution"


def _said(value: str) -> str:
    if not value:
        raise ValueError(_("is required: say why the clock was late, as the client will read it"))
    return value


class JustificationCreate(Input):
    """A justification's text: at most 500 characters, no control characters (new lines allowed)."""

    ticket_id: int
    clock: BreachClock
    text: Annotated[str, _text(TEXT_MAX), AfterValidator(_said)]


def justify_breach(engine: Engine, ticket_id: int, clock: str, text: str, now: datetime) -> int:
    """Record why a ticket's clock ("response", "intervention", "resolution") was late;
    a previous justification of that clock is superseded (kept, no longer current).
    Returns the new justification's id. Bad input raises pydantic's ValidationError
    (`schemas.field_errors` turns it into words per field)."""
    data = JustificationCreate(ticket_id=ticket_id, clock=clock, text=text)
    with db.write(engine) as s:
        if s.get(Ticket, data.ticket_id) is None:
            raise RefusedError(_("There is no ticket #{number}.").format(number=data.ticket_id))
        current = _current(s, data.ticket_id).get(data.clock.value)
        row = BreachJustification(
            ticket_id=data.ticket_id,
            clock=data.clock.value,
            text=data.text,
            created_at=now,
            supersedes_id=current.id if current is not None else None,
        )
        s.add(row)
        s.flush()
        return saved_id(row)


def _current(s: Session, ticket_id: int) -> dict[str, BreachJustification]:
    rows = s.scalars(
        select(BreachJustification)
        .where(col(BreachJustification.ticket_id) == ticket_id)
        .order_by(col(BreachJustification.id))
    )
    latest: dict[str, BreachJustification] = {}
    for row in rows:
        latest[row.clock] = row  # ids grow: the last of a clock is the current one
    return latest


def justifications(engine: Engine, ticket_id: int) -> dict[str, str]:
    """The current justification of each of a ticket's clocks: {clock: text}; a clock
    not in it is "not justified"."""
    with db.read(engine) as s:
        return {clock: row.text for clock, row in _current(s, ticket_id).items()}


def history(engine: Engine, ticket_id: int) -> list[BreachJustification]:
    """Every justification of a ticket, oldest first, superseded ones included."""
    with db.read(engine) as s:
        query = select(BreachJustification).where(col(BreachJustification.ticket_id) == ticket_id)
        return list(s.scalars(query.order_by(col(BreachJustification.id))))
