"""Renewals: the light register of what expires for a client (licences, certificates,
domains, support contracts, warranties).

Each comes due at its expiry minus its notice period (`core.rules.coming_due`,
read by `store.reads.coming_due`). Marking one done records when; a renewal is a
new entry with the new expiry, the old one pointing at it (`replaced_by_id`), so
what was due stays on record and the new expiry comes due in its turn.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Renewal, saved_id
from msptui.store.schemas.common import FieldError
from msptui.store.schemas.renewals import RenewalCreate, RenewalDone, RenewalWhat

__all__ = [
    "RenewalCreate",
    "RenewalDone",
    "RenewalWhat",
    "add_renewal",
    "client_renewals",
    "mark_renewal_done",
    "open_renewals",
]


def add_renewal(engine: Engine, data: RenewalCreate, now: datetime) -> int:
    """Register something of the client's that expires; returns its id."""
    with db.write(engine) as s:
        if s.get(Client, data.client_id) is None:
            raise FieldError("client_id", _("no longer exists: pick another client"))
        row = Renewal(**{**data.model_dump(), "what": data.what.value}, created_at=now)
        s.add(row)
        s.flush()
        return saved_id(row)


def mark_renewal_done(engine: Engine, renewal_id: int, data: RenewalDone, now: datetime) -> int | None:
    """Mark a renewal done at `now`. With a new expiry it was renewed: a new entry is made
    (same provider, reference, notice, auto-renewal; the new cost when given) and its id
    returned; without one it was let go (None). Refused for an entry already done, or a
    new expiry that is not after the old one."""
    with db.write(engine) as s:
        old = s.get(Renewal, renewal_id)
        if old is None:
            raise RefusedError(_("This renewal no longer exists."))
        if old.done_at is not None:
            raise RefusedError(
                _("This renewal was already marked done on {day}.").format(day=old.done_at.date().isoformat())
            )
        old.done_at = now
        if data.new_expires_on is None:
            return None
        if data.new_expires_on <= old.expires_on:
            raise FieldError(
                "new_expires_on",
                _("must be after the current expiry ({day}): give the renewed expiry date").format(
                    day=old.expires_on.isoformat()
                ),
            )
        new = Renewal(
            client_id=old.client_id,
            what=old.what,
            provider=old.provider,
            reference=old.reference,
            expires_on=data.new_expires_on,
            auto_renew=old.auto_renew,
            cost=data.cost if data.cost is not None else old.cost,
            currency=old.currency,
            notice_days=old.notice_days,
            created_at=now,
        )
        s.add(new)
        s.flush()
        old.replaced_by_id = saved_id(new)
        return saved_id(new)


def client_renewals(engine: Engine, client_id: int, include_done: bool = False) -> list[Renewal]:
    """The client's renewals by expiry (those done too when asked, for the history)."""
    with db.read(engine) as s:
        query = select(Renewal).where(col(Renewal.client_id) == client_id)
        if not include_done:
            query = query.where(col(Renewal.done_at).is_(None))
        return list(s.scalars(query.order_by(col(Renewal.expires_on), col(Renewal.id))))


def open_renewals(s: Session) -> list[Renewal]:
    """Every renewal not done yet, in the caller's transaction."""
    return list(s.scalars(select(Renewal).where(col(Renewal.done_at).is_(None)).order_by(col(Renewal.id))))
