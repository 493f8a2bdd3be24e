"""A month of work at the bakery (BOUL), recorded through the store, for the statement tests.

BOUL's contract: Mon-Fri 08:30-18:30 in Paris, out-of-hours service for P1 at +25 %.
In October 2026 (Paris is UTC+2 until the 25th):
- Monday 5, 17:00-19:30 on a P1 ticket: 1 h 30 in hours (included), 1 h out of hours (surcharged);
- Tuesday 6, 10:00-11:00 on the same ticket: 1 h in hours (included).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from msptui.store.schemas.billing import PrepaidBlockCreate, RatesInput
from msptui.store.schemas.time import TimeEntryCreate

PARIS = ZoneInfo("Europe/Paris")
MONTH = "2026-10"


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS).astimezone(UTC)


def boul_contract(engine, client_id: int) -> int:
    from sqlalchemy import select

    from msptui.store import db
    from msptui.store.models import Contract

    with db.read(engine) as s:
        return s.scalars(select(Contract.id).where(Contract.client_id == client_id)).one()


def october_work(engine, sample, clock) -> dict[str, int]:
    """The ticket, its two entries, and the contract; returns their ids."""
    from msptui.store.tickets import TicketCreate, open_ticket
    from msptui.store.time_entries import add_entry

    client = sample["BOUL"]
    contract = boul_contract(engine, client)
    ticket = open_ticket(
        engine,
        TicketCreate(client_id=client, contract_id=contract, title="Caisse enregistreuse en panne", priority="P1"),
        paris(2026, 10, 5, 16, 50),
    )
    evening = add_entry(
        engine,
        TimeEntryCreate(
            ticket_id=ticket,
            started_at=paris(2026, 10, 5, 17, 0),
            ended_at=paris(2026, 10, 5, 19, 30),
            description="Remplacement du disque de la caisse",
            category="on_site",
        ),
        clock.now(),
    )
    morning = add_entry(
        engine,
        TimeEntryCreate(
            ticket_id=ticket,
            started_at=paris(2026, 10, 6, 10, 0),
            duration="1h",
            description="Réinstallation du pilote d'imprimante à tickets, vérifié avec Mme Lefèvre",
        ),
        clock.now(),
    )
    return {"client": client, "contract": contract, "ticket": ticket, "evening": evening, "morning": morning}


def set_rate(engine, contract: int, hourly: str = "80.00", **extra) -> None:
    from msptui.store.billing import set_rates

    set_rates(engine, contract, RatesInput(hourly_rate=Decimal(hourly), **extra))


def prepaid(engine, contract: int, hours: str, clock, purchased=None, reference: str = "Bloc 2026-A") -> int:
    from datetime import date

    from msptui.store.billing import add_prepaid_block

    data = PrepaidBlockCreate(
        contract_id=contract, hours=Decimal(hours), purchased_on=purchased or date(2026, 10, 1), reference=reference
    )
    return add_prepaid_block(engine, data, clock.now())
