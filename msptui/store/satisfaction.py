"""Satisfaction: the client's score at a ticket's close or a delivery, or "not asked".

Append-only (triggers refuse UPDATE and DELETE): a correction is a new answer
that supersedes the old one (`supersedes_id`, at most one correction each); the
old one stays on record and no longer counts. "Current" answers are those no
correction supersedes. Averages, response rate and trend are the rule's
(`core.rules.satisfaction.summary`), on the client's local dates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Engine, exists, select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules.satisfaction import Answer, SatisfactionSummary, summary
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Contact, Delivery, Engagement, Satisfaction, Ticket, saved_id
from msptui.store.schemas.common import FieldError
from msptui.store.schemas.satisfaction import SatisfactionCreate

__all__ = [
    "Occasion",
    "SatisfactionCreate",
    "SatisfactionSummary",
    "client_satisfaction",
    "current_answers",
    "occasion",
    "record_satisfaction",
    "satisfaction_by_client",
    "satisfaction_in_period",
    "summary_in",
]

#: How far ahead of the clock "asked at" may be (two machines' clocks, a slow form).
FUTURE_SLACK = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Occasion:
    """What the score form says about the ticket or delivery it asks about."""

    ticket_id: int | None
    delivery_id: int | None
    client_id: int
    client_name: str
    label: str  # "#12 Printer down" or "delivery of 'Network upgrade'"
    contacts: list[str]  # the client's contacts' names, offered for "given by"


def occasion(engine: Engine, ticket_id: int | None = None, delivery_id: int | None = None) -> Occasion:
    """The ticket (or delivery) a score is about, its client and the client's contacts."""
    with db.read(engine) as s:
        if ticket_id is not None:
            ticket = s.get(Ticket, ticket_id)
            if ticket is None:
                raise RefusedError(_("There is no ticket #{number}.").format(number=ticket_id))
            client_id, label = ticket.client_id, f"#{ticket_id} {ticket.title}"
        else:
            delivery = s.get(Delivery, delivery_id) if delivery_id is not None else None
            if delivery is None:
                raise RefusedError(_("There is no delivery #{number}.").format(number=delivery_id))
            engagement = db.referenced(s, Engagement, delivery.engagement_id)
            client_id, label = engagement.client_id, _("delivery of “{title}”").format(title=engagement.title)
        client = db.referenced(s, Client, client_id)
        names = s.scalars(select(col(Contact.name)).where(col(Contact.client_id) == client_id).order_by(Contact.name))
        return Occasion(ticket_id, delivery_id, client_id, client.name, label, list(names))


def record_satisfaction(engine: Engine, data: SatisfactionCreate, now: datetime) -> int:
    """Record one answer (or "not asked") about a ticket or a delivery, for that occasion's
    client; returns its id. A correction (`supersedes_id`) must be about the same
    occasion and supersede a current answer. Refusals raise RefusedError or FieldError
    in words; nothing is written then."""
    asked_at = data.asked_at or now
    if asked_at > now + FUTURE_SLACK:
        raise FieldError("asked_at", _("The client was asked at a time still to come: check the date and time."))
    with db.write(engine) as s:
        client_id = _occasion_client(s, data)
        if data.supersedes_id is not None:
            _check_correction(s, data, client_id)
        row = Satisfaction(
            client_id=client_id,
            ticket_id=data.ticket_id,
            delivery_id=data.delivery_id,
            score=data.score,
            comment=data.comment,
            given_by=data.given_by,
            asked_at=asked_at,
            recorded_at=now,
            supersedes_id=data.supersedes_id,
        )
        s.add(row)
        s.flush()
        return saved_id(row)


def _occasion_client(s: Session, data: SatisfactionCreate) -> int:
    if data.ticket_id is not None:
        ticket = s.get(Ticket, data.ticket_id)
        if ticket is None:
            raise RefusedError(_("There is no ticket #{number}.").format(number=data.ticket_id))
        return ticket.client_id
    delivery = s.get(Delivery, data.delivery_id)
    if delivery is None:
        raise RefusedError(_("There is no delivery #{number}.").format(number=data.delivery_id))
    return db.referenced(s, Engagement, delivery.engagement_id).client_id


def _check_correction(s: Session, data: SatisfactionCreate, client_id: int) -> None:
    old = s.get(Satisfaction, data.supersedes_id)
    if old is None:
        raise RefusedError(_("There is no answer #{number} to correct.").format(number=data.supersedes_id))
    if (old.client_id, old.ticket_id, old.delivery_id) != (client_id, data.ticket_id, data.delivery_id):
        raise RefusedError(_("A correction is about the same ticket or delivery as the answer it corrects."))
    later = s.scalar(select(col(Satisfaction.id)).where(col(Satisfaction.supersedes_id) == old.id))
    if later is not None:
        raise RefusedError(
            _("Answer #{number} is already corrected by answer #{later}: correct that one.").format(
                number=old.id, later=later
            )
        )


def _current() -> ColumnElement[bool]:
    """The condition "no answer supersedes this one"."""
    newer = aliased(Satisfaction)
    return ~exists().where(col(newer.supersedes_id) == col(Satisfaction.id))


def current_answers(engine: Engine, client_id: int) -> list[Satisfaction]:
    """The client's current answers, oldest asked first."""
    with db.read(engine) as s:
        return _rows(s, client_id)


def _rows(s: Session, client_id: int, start: datetime | None = None, end: datetime | None = None) -> list[Satisfaction]:
    query = select(Satisfaction).where(col(Satisfaction.client_id) == client_id, _current())
    if start is not None:
        query = query.where(col(Satisfaction.asked_at) >= start)
    if end is not None:
        query = query.where(col(Satisfaction.asked_at) < end)
    return list(s.scalars(query.order_by(col(Satisfaction.asked_at), col(Satisfaction.id))))


def satisfaction_in_period(engine: Engine, client_id: int, start: datetime, end: datetime) -> list[Satisfaction]:
    """The client's current answers asked from `start` (included) to `end` (excluded), both
    aware instants, oldest first; a superseded answer is left out (its correction is in
    the period if it was asked in it). Score None is "not asked"."""
    with db.read(engine) as s:
        return _rows(s, client_id, start, end)


def _zone(name: str) -> tzinfo:
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):  # a bad zone in a client record must not break a summary
        return ZoneInfo("UTC")


def _summarise(rows: Iterable[Satisfaction], zone: tzinfo, now: datetime) -> SatisfactionSummary:
    answers = [Answer(r.asked_at.astimezone(zone).date(), r.score, r.comment) for r in rows]
    return summary(answers, now.astimezone(zone).date())


def summary_in(s: Session, client_id: int, now: datetime) -> SatisfactionSummary:
    """`client_satisfaction` inside a caller's transaction (the client detail's one read)."""
    client = db.referenced(s, Client, client_id)
    return _summarise(_rows(s, client_id), _zone(client.timezone), now)


def client_satisfaction(engine: Engine, client_id: int, now: datetime) -> SatisfactionSummary:
    """The client's satisfaction as of `now`: averages over the last 3 and 12 months, the
    response rate, the last comments, the trend (windows on the client's local dates)."""
    with db.read(engine) as s:
        if s.get(Client, client_id) is None:
            raise RefusedError(_("There is no client #{number}.").format(number=client_id))
        return summary_in(s, client_id, now)


def satisfaction_by_client(engine: Engine, now: datetime) -> dict[int, SatisfactionSummary]:
    """Every client with at least one answer on record: its summary as of `now`, in one
    read (the monthly review over thousands of clients)."""
    with db.read(engine) as s:
        by_client: dict[int, list[Satisfaction]] = defaultdict(list)
        zones: dict[int, str] = {}
        query = (
            select(Satisfaction, col(Client.timezone))
            .join(Client, col(Client.id) == col(Satisfaction.client_id))
            .where(_current())
            .order_by(col(Satisfaction.asked_at), col(Satisfaction.id))
        )
        for row, zone in s.execute(query).all():
            by_client[row.client_id].append(row)
            zones[row.client_id] = zone
    return {cid: _summarise(rows, _zone(zones[cid]), now) for cid, rows in by_client.items()}
