"""Clients and their contacts: create, update, archive, delete, find."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from msptui.core.i18n import _, ngettext
from msptui.store import db
from msptui.store.models import Client, Contact, Contract, Delivery, Engagement, Secret, Ticket, saved_id
from msptui.store.schemas import ClientCreate, ClientUpdate, ContactCreate, FieldError


class RefusedError(Exception):
    """The action is refused for a reason the user must read (e.g. records still reference it)."""


def _unique_violation(exc: IntegrityError) -> FieldError:
    column = db.unique_violation(exc)
    if column == "client.name":
        return FieldError("name", _("another client already has this name"))
    if column == "client.code":
        return FieldError("code", _("another client already uses this code"))
    if column == "contract.reference":
        return FieldError("reference", _("another contract already uses this reference"))
    raise exc


def create_client(engine: Engine, data: ClientCreate, now: datetime, contacts: Sequence[ContactCreate] = ()) -> int:
    """Insert a client (and its first contacts) in one transaction; returns its id."""
    try:
        with db.write(engine) as s:
            client = Client(**data.model_dump(mode="json"), created_at=now)
            s.add(client)
            s.flush()
            for c in contacts:
                s.add(Contact(client_id=saved_id(client), **c.model_dump()))
            return saved_id(client)
    except IntegrityError as exc:
        raise _unique_violation(exc) from exc


def update_client(engine: Engine, client_id: int, data: ClientUpdate) -> None:
    try:
        with db.write(engine) as s:
            client = s.get(Client, client_id)
            if client is None:
                raise RefusedError(_("This client no longer exists."))
            for key, value in data.model_dump(mode="json").items():
                setattr(client, key, value)
    except IntegrityError as exc:
        raise _unique_violation(exc) from exc


def set_archived(engine: Engine, client_id: int, archived: bool, now: datetime) -> None:
    """Archive (hide from the everyday lists, keep every record) or bring back."""
    with db.write(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError(_("This client no longer exists."))
        client.archived_at = now if archived else None


def references_to_client(engine: Engine, client_id: int) -> dict[str, int]:
    """What still points at a client: the reasons a real delete is refused."""
    with db.read(engine) as s:
        tickets = s.scalar(select(func.count()).select_from(Ticket).where(col(Ticket.client_id) == client_id))
        deliveries = s.scalar(
            select(func.count())
            .select_from(Delivery)
            .join(Engagement, col(Engagement.id) == Delivery.engagement_id)
            .where(col(Engagement.client_id) == client_id)
        )
        contracts = s.scalar(select(func.count()).select_from(Contract).where(col(Contract.client_id) == client_id))
        secrets = s.scalar(select(func.count()).select_from(Secret).where(col(Secret.client_id) == client_id))
        engagements = s.scalar(
            select(func.count()).select_from(Engagement).where(col(Engagement.client_id) == client_id)
        )
    found = (
        ("tickets", tickets),  # i18n: not shown
        ("deliveries", deliveries),  # i18n: not shown
        ("contracts", contracts),  # i18n: not shown
        ("engagements", engagements),  # i18n: not shown
        ("secrets", secrets),  # i18n: not shown
    )
    return {k: v for k, v in found if v}


def _counted(kind: str, n: int) -> str:
    """ "1 ticket", "3 deliveries": one of `references_to_client`'s kinds, counted."""
    if kind == "tickets":  # i18n: not shown
        words = ngettext("{count} ticket", "{count} tickets", n)
    elif kind == "deliveries":  # i18n: not shown
        words = ngettext("{count} delivery", "{count} deliveries", n)
    elif kind == "contracts":  # i18n: not shown
        words = ngettext("{count} contract", "{count} contracts", n)
    elif kind == "engagements":  # i18n: not shown
        words = ngettext("{count} engagement", "{count} engagements", n)
    else:
        words = ngettext("{count} secret", "{count} secrets", n)
    return words.format(count=n)


def deletion_refusal(engine: Engine, client_id: int) -> str | None:
    """Why the client cannot be deleted, in words, or None when it can: asked before
    "Delete for good?", so that a technician is never asked to confirm a refusal."""
    refs = references_to_client(engine, client_id)
    if not refs:
        return None
    what = ", ".join(_counted(k, n) for k, n in refs.items())
    return _("Cannot delete: {records} still refer to this client. Archive it instead.").format(records=what)


def delete_client(engine: Engine, client_id: int) -> None:
    """Delete for real; refused while tickets, deliveries or contracts reference the client."""
    refusal = deletion_refusal(engine, client_id)
    if refusal:
        raise RefusedError(refusal)
    try:
        with db.write(engine) as s:
            client = s.get(Client, client_id)
            if client is not None:
                s.delete(client)
    except IntegrityError as exc:
        raise RefusedError(_("Cannot delete: other records still refer to this client. Archive it instead.")) from exc


def add_contact(engine: Engine, client_id: int, data: ContactCreate) -> int:
    with db.write(engine) as s:
        if s.get(Client, client_id) is None:
            raise RefusedError(_("This client no longer exists."))
        contact = Contact(client_id=client_id, **data.model_dump())
        s.add(contact)
        s.flush()
        return saved_id(contact)


def update_contact(engine: Engine, contact_id: int, data: ContactCreate) -> None:
    with db.write(engine) as s:
        contact = s.get(Contact, contact_id)
        if contact is None:
            raise RefusedError(_("This contact no longer exists."))
        for key, value in data.model_dump().items():
            setattr(contact, key, value)


def delete_contact(engine: Engine, contact_id: int) -> None:
    with db.write(engine) as s:
        contact = s.get(Contact, contact_id)
        if contact is not None:
            s.delete(contact)


def get_client(engine: Engine, client_id: int) -> Client | None:
    with db.read(engine) as s:
        return s.get(Client, client_id)


def client_contacts(engine: Engine, client_id: int) -> list[Contact]:
    with db.read(engine) as s:
        return list(s.scalars(select(Contact).where(col(Contact.client_id) == client_id).order_by(Contact.name)))


def count_clients(engine: Engine) -> int:
    with db.read(engine) as s:
        return s.scalar(select(func.count()).select_from(Client)) or 0
