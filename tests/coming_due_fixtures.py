"""Items coming due, added through the store at the frozen instant (Monday 23 November 2026,
10:00 in Paris): shared by the band's pilot tests and its snapshots."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from msptui.store.models import Contract


def contract_of(engine, client_id: int) -> int:
    from msptui.store import db

    with db.read(engine) as s:
        query = select(Contract).where(Contract.client_id == client_id).order_by(Contract.id)
        return next(c.id for c in s.exec(query))


def add_renewal(engine, clock, client_id: int, expires_on: date, notice_days: int = 30, **extra) -> int:
    from msptui.store.renewals import RenewalCreate, add_renewal

    data = RenewalCreate(client_id=client_id, what="domain", expires_on=expires_on, notice_days=notice_days, **extra)
    return add_renewal(engine, data, clock.now())


def add_breach(engine, clock, client_id: int, discovered_at: datetime, description: str) -> int:
    from msptui.store.breaches import DataBreachCreate, record_breach

    data = DataBreachCreate(
        client_id=client_id,
        contract_id=contract_of(engine, client_id),
        discovered_at=discovered_at,
        description=description,
        data_concerned="Customer names and e-mail addresses",
    )
    return record_breach(engine, data, clock.now())


def add_task(engine, clock, client_id: int, title: str, first_on: date, at_time: str, lead_days: int = 1) -> int:
    from msptui.store.recurring import RecurringTaskCreate, add_task

    data = RecurringTaskCreate(
        client_id=client_id,
        contract_id=contract_of(engine, client_id),
        title=title,
        steps=["Restore one file from last night's backup", "Check it opens"],
        schedule={"kind": "months", "interval": 1, "day_of_month": first_on.day},
        first_on=first_on,
        at_time=at_time,
        lead_days=lead_days,
    )
    return add_task(engine, data, clock.now())


def some_items(engine, clock, sample) -> dict[str, int]:
    """One of each: overdue, inside its lead time, later; a data breach counting down."""
    return {
        # Due 10 Nov 09:00 (expiry minus 30 days): overdue.
        "overdue renewal": add_renewal(
            engine, clock, sample["BOUL"], date(2026, 12, 10), provider="OVHcloud", reference="boulangerie-martin.fr"
        ),
        # Due 6 Dec 09:00, shown from 22 Nov: inside its lead time.
        "renewal in notice": add_renewal(
            engine, clock, sample["DENT"], date(2027, 1, 5), provider="Sectigo", reference="TLS cabinet-lefevre.fr"
        ),
        # Discovered yesterday 13:00 Paris; the contract says 24 hours: due today 13:00, in its last quarter.
        "breach": add_breach(
            engine, clock, sample["DENT"], datetime(2026, 11, 22, 12, 0, tzinfo=UTC), "Laptop stolen from the car"
        ),
        # Due today 16:00 Paris, shown from yesterday.
        "task": add_task(engine, clock, sample["BOUL"], "Monthly restore test", date(2026, 11, 23), "16:00"),
    }
