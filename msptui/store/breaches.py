"""The breach register: personal-data and security incidents, and their notification.

A breach starts a countdown at its discovery: the contract's notification delay
(`Contract.breach_notification_hours`), asked of `core.rules.coming_due.notification_due`.
No contract chosen: the shortest delay among the client's active contracts (the strictest
promise it may be bound by); a client without any: the 72 hours GDPR article 33 gives a
controller. The delay is kept on the record when recorded and copied to each superseding
record: editing the contract later moves no countdown and changes no notice already sent.
The register is append-only (triggers): recording the notification, or correcting
what was recorded, is a new record superseding the current one, which stays on file.
A breach is named by its first record's id (`first_id`), which never changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.core.i18n import _
from msptui.core.rules.coming_due import GDPR_ART33_HOURS
from msptui.store import db
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Contract, DataBreach, GdprProcessing, saved_id
from msptui.store.schemas.breaches import BreachNotification, DataBreachCorrection, DataBreachCreate
from msptui.store.schemas.common import FieldError

__all__ = [
    "GDPR_HOURS",
    "BreachNotification",
    "breach_hours",
    "BreachRecord",
    "DataBreachCorrection",
    "DataBreachCreate",
    "breach",
    "client_breaches",
    "correct_breach",
    "current_breaches",
    "record_breach",
    "record_notification",
]

#: A client without an active contract: GDPR art. 33's 72 hours (the rule's constant).
GDPR_HOURS = GDPR_ART33_HOURS
#: How far ahead of the clock a typed instant may be (two machines' clocks, a slow form).
FUTURE_SLACK = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class BreachRecord:
    """A breach as it stands now (its current record), with what the exports print."""

    id: int  # the current record
    first_id: int  # the breach's name, stable across corrections
    client_id: int
    client_name: str
    client_code: str
    timezone: str  # the client's, for dates a client reads
    contract_id: int | None
    contract: str  # the contract's reference, "" without one
    discovered_at: datetime
    description: str
    data_concerned: str
    processing_id: int | None
    processing: str  # the processing entry's purpose, "" without one
    notified_at: datetime | None
    notified_how: str
    measures: str
    notification_hours: int
    recorded_at: datetime  # when the first record was made
    corrections: int  # records after the first
    language: str = "en"  # the client's: the notice is written in it

    @property
    def notified(self) -> bool:
        return self.notified_at is not None


# --- commands -----------------------------------------------------------------------------


def record_breach(engine: Engine, data: DataBreachCreate, now: datetime) -> int:
    """Record a breach as discovered; returns its id (the breach's `first_id`)."""
    _not_future("discovered_at", data.discovered_at, now)
    with db.write(engine) as s:
        client = s.get(Client, data.client_id)
        if client is None:
            raise FieldError("client_id", _("no longer exists: pick another client"))
        _check_links(s, client, data.contract_id, data.processing_id)
        hours = _hours(s, data.client_id, data.contract_id)
        row = DataBreach(**data.model_dump(), notification_hours=hours, created_at=now)
        s.add(row)
        s.flush()
        return saved_id(row)


def correct_breach(engine: Engine, breach_id: int, data: DataBreachCorrection, now: datetime) -> int:
    """Correct what was recorded of a breach (any of its records' ids): a new record
    supersedes the current one (the notification, if recorded, is kept); returns its id."""
    _not_future("discovered_at", data.discovered_at, now)
    with db.write(engine) as s:
        current = _current(s, breach_id)
        client = db.referenced(s, Client, current.client_id)
        _check_links(s, client, current.contract_id, data.processing_id)
        if current.notified_at is not None and data.discovered_at > current.notified_at:
            raise FieldError("discovered_at", _("is after the client was notified: check the date and time"))
        return _append(s, current, now, **data.model_dump())


def record_notification(engine: Engine, breach_id: int, data: BreachNotification, now: datetime) -> int:
    """The client was told of the breach: when and how (its countdown stops); returns the
    new record's id. Refused when it was already recorded, or dated before the discovery."""
    _not_future("notified_at", data.notified_at, now)
    with db.write(engine) as s:
        current = _current(s, breach_id)
        if current.notified_at is not None:
            raise RefusedError(
                _("The client was already notified of this breach on {day}.").format(
                    day=current.notified_at.date().isoformat()
                )
            )
        if data.notified_at < current.discovered_at:
            raise FieldError("notified_at", _("is before the breach was discovered: check the date and time"))
        measures = data.measures or current.measures
        return _append(s, current, now, notified_at=data.notified_at, notified_how=data.notified_how, measures=measures)


# --- reading --------------------------------------------------------------------------------


def breach(engine: Engine, breach_id: int) -> BreachRecord:
    """A breach as it stands, by any of its records' ids."""
    with db.read(engine) as s:
        current = _current(s, breach_id)
        return _records(s, current.client_id, only=_first_of(s, current))[0]


def client_breaches(engine: Engine, client_id: int) -> list[BreachRecord]:
    """The client's breaches as they stand, most recently discovered first."""
    with db.read(engine) as s:
        return _records(s, client_id)


def current_breaches(s: Session, client_id: int | None = None) -> list[BreachRecord]:
    """Every breach as it stands (of one client when given), in the caller's transaction."""
    return _records(s, client_id)


def _records(s: Session, client_id: int | None, only: int | None = None) -> list[BreachRecord]:
    query = select(DataBreach)
    if client_id is not None:
        query = query.where(col(DataBreach.client_id) == client_id)
    rows = list(s.scalars(query.order_by(col(DataBreach.id))))
    superseded = {r.supersedes_id: r for r in rows if r.supersedes_id is not None}
    clients = {saved_id(c): c for c in s.scalars(select(Client).where(col(Client.id).in_({r.client_id for r in rows})))}
    contracts = {
        saved_id(c): c
        for c in s.scalars(select(Contract).where(col(Contract.id).in_({r.contract_id for r in rows if r.contract_id})))
    }
    processings = {
        saved_id(p): p.purpose
        for p in s.scalars(
            select(GdprProcessing).where(col(GdprProcessing.id).in_({r.processing_id for r in rows if r.processing_id}))
        )
    }
    out = []
    for first in (r for r in rows if r.supersedes_id is None):
        if only is not None and saved_id(first) != only:
            continue
        current, corrections = first, 0
        while saved_id(current) in superseded:
            current, corrections = superseded[saved_id(current)], corrections + 1
        client = clients[current.client_id]
        contract = contracts.get(current.contract_id) if current.contract_id is not None else None
        out.append(
            BreachRecord(
                id=saved_id(current),
                first_id=saved_id(first),
                client_id=current.client_id,
                client_name=client.name,
                client_code=client.code,
                timezone=client.timezone,
                contract_id=current.contract_id,
                contract=contract.reference if contract is not None else "",
                discovered_at=current.discovered_at,
                description=current.description,
                data_concerned=current.data_concerned,
                processing_id=current.processing_id,
                processing=processings.get(current.processing_id, "") if current.processing_id else "",
                notified_at=current.notified_at,
                notified_how=current.notified_how,
                measures=current.measures,
                notification_hours=current.notification_hours,
                recorded_at=first.created_at,
                corrections=corrections,
                language=client.language,
            )
        )
    out.sort(key=lambda b: (b.discovered_at, b.first_id), reverse=True)
    return out


def breach_hours(engine: Engine, client_id: int, contract_id: int | None = None) -> int:
    """The notification delay a breach of the client recorded now would get (see the module
    docstring): the form says it before the breach is recorded."""
    with db.read(engine) as s:
        return _hours(s, client_id, contract_id)


# --- inside one transaction -------------------------------------------------------------------


def _hours(s: Session, client_id: int, contract_id: int | None) -> int:
    if contract_id is not None:
        return db.referenced(s, Contract, contract_id).breach_notification_hours
    delays = s.scalars(
        select(col(Contract.breach_notification_hours)).where(
            col(Contract.client_id) == client_id, col(Contract.archived_at).is_(None)
        )
    )
    return min(delays, default=GDPR_HOURS)


def _not_future(field: str, at: datetime, now: datetime) -> None:
    if at > now + FUTURE_SLACK:
        raise FieldError(field, _("is still to come: check the date and time"))


def _check_links(s: Session, client: Client, contract_id: int | None, processing_id: int | None) -> None:
    if contract_id is not None:
        contract = s.get(Contract, contract_id)
        if contract is None or contract.client_id != client.id:
            raise FieldError("contract_id", _("is not a contract of {client}").format(client=client.name))
    if processing_id is not None:
        processing = s.get(GdprProcessing, processing_id)
        if processing is None or contract_id is None or processing.contract_id != contract_id:
            raise FieldError("processing_id", _("is not a processing entry of the breach's contract"))


def _current(s: Session, breach_id: int) -> DataBreach:
    row = s.get(DataBreach, breach_id)
    if row is None:
        raise RefusedError(_("There is no breach #{number}.").format(number=breach_id))
    while True:
        newer = s.scalar(select(DataBreach).where(col(DataBreach.supersedes_id) == saved_id(row)))
        if newer is None:
            return row
        row = newer


def _first_of(s: Session, row: DataBreach) -> int:
    while row.supersedes_id is not None:
        row = db.referenced(s, DataBreach, row.supersedes_id)
    return saved_id(row)


def _append(s: Session, current: DataBreach, now: datetime, **changes: object) -> int:
    fields = {
        name: getattr(current, name)
        for name in (
            "client_id",
            "contract_id",
            "discovered_at",
            "description",
            "data_concerned",
            "processing_id",
            "notified_at",
            "notified_how",
            "measures",
            "notification_hours",
        )
    }
    row = DataBreach(**{**fields, **changes}, created_at=now, supersedes_id=saved_id(current))
    s.add(row)
    s.flush()
    return saved_id(row)
