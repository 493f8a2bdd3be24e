"""A contract's billing terms in one read: its rates, its prepaid blocks and their balance now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Engine, select
from sqlmodel import col

from msptui.core.i18n import _
from msptui.store import db
from msptui.store.billing import PrepaidBalance, _balance
from msptui.store.clients import RefusedError
from msptui.store.models import Client, Contract, PrepaidBlock, saved_id


@dataclass(frozen=True, slots=True)
class BlockRow:
    id: int
    hours: Decimal
    purchased_on: date
    expires_on: date | None
    reference: str


@dataclass(frozen=True, slots=True)
class ContractBilling:
    contract_id: int
    reference: str
    title: str
    client_id: int
    client_name: str
    hourly_rate: Decimal | None
    category_rates: dict[str, str]
    vat_pct: Decimal
    currency: str
    surcharge_pct: int  # the contract's out-of-hours surcharge (0 when it sells no such service)
    blocks: tuple[BlockRow, ...]
    balance: PrepaidBalance


def contract_billing(engine: Engine, contract_id: int, now: datetime) -> ContractBilling:
    """The contract's rates, blocks (oldest first) and prepaid balance at `now`; RefusedError if gone."""
    with db.read(engine) as s:
        contract = s.get(Contract, contract_id)
        if contract is None:
            raise RefusedError(_("This contract no longer exists."))
        client = s.get(Client, contract.client_id)
        blocks = s.scalars(
            select(PrepaidBlock)
            .where(col(PrepaidBlock.contract_id) == contract_id)
            .order_by(col(PrepaidBlock.purchased_on), col(PrepaidBlock.id))
        )
        return ContractBilling(
            contract_id=contract_id,
            reference=contract.reference,
            title=contract.title,
            client_id=contract.client_id,
            client_name=client.name if client is not None else "",
            hourly_rate=contract.hourly_rate,
            category_rates=dict(contract.category_rates or {}),
            vat_pct=Decimal(str(contract.vat_pct)),
            currency=contract.currency,
            surcharge_pct=contract.out_of_hours_surcharge_pct if contract.out_of_hours_available else 0,
            blocks=tuple(
                BlockRow(saved_id(b), Decimal(str(b.hours)), b.purchased_on, b.expires_on, b.reference) for b in blocks
            ),
            balance=_balance(s, contract_id, now),
        )
