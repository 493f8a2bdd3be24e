"""Contracts with their scope, third parties, SLA targets and GDPR processing."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped
from sqlmodel import Session, col

from msptui.core.i18n import _, ngettext
from msptui.store import db
from msptui.store.clients import RefusedError, _unique_violation
from msptui.store.models import (
    Client,
    Contract,
    CoveredAsset,
    Engagement,
    GdprProcessing,
    SlaTarget,
    ThirdParty,
    Ticket,
    saved_id,
)
from msptui.store.schemas import (
    ContractCreate,
    ContractUpdate,
    CoveredAssetCreate,
    GdprProcessingCreate,
    SlaTargetInput,
    ThirdPartyCreate,
)

# The tables that hang off a contract by `contract_id`.
_Part = TypeVar("_Part", CoveredAsset, ThirdParty, SlaTarget, GdprProcessing)


@dataclass
class ContractDetail:
    """A contract and everything that hangs off it, read in one transaction."""

    contract: Contract
    client: Client
    assets: list[CoveredAsset] = field(default_factory=list)
    third_parties: list[ThirdParty] = field(default_factory=list)
    targets: list[SlaTarget] = field(default_factory=list)
    processing: list[GdprProcessing] = field(default_factory=list)

    def target_for(self, priority: str) -> SlaTarget | None:
        return next((t for t in self.targets if t.priority == priority), None)


def _contract_values(data: ContractCreate) -> dict[str, Any]:
    """Column values: real dates for date columns, plain strings inside the JSON columns."""
    values = data.model_dump()
    values["service_lines"] = [str(s) for s in data.service_lines]
    values["extra_closed_dates"] = sorted({d.isoformat() for d in data.extra_closed_dates})
    values["status"] = str(data.status)
    values["out_of_hours_priorities"] = [str(p) for p in data.out_of_hours_priorities or []]
    return values


def create_contract(
    engine: Engine,
    data: ContractCreate,
    now: datetime,
    *,
    assets: Sequence[CoveredAssetCreate] = (),
    third_parties: Sequence[ThirdPartyCreate] = (),
    targets: Sequence[SlaTargetInput] = (),
    processing: Sequence[GdprProcessingCreate] = (),
) -> int:
    """Insert a contract and its parts in one transaction; returns its id."""
    try:
        with db.write(engine) as s:
            if s.get(Client, data.client_id) is None:
                raise RefusedError(_("The client of this contract no longer exists."))
            contract = Contract(**_contract_values(data), created_at=now)
            s.add(contract)
            s.flush()
            _add_parts(s, saved_id(contract), assets, third_parties, targets, processing)
            return saved_id(contract)
    except IntegrityError as exc:
        raise _unique_violation(exc) from exc


def _add_parts(
    s: Session,
    contract_id: int,
    assets: Iterable[CoveredAssetCreate],
    third_parties: Iterable[ThirdPartyCreate],
    targets: Iterable[SlaTargetInput],
    processing: Iterable[GdprProcessingCreate],
) -> None:
    for a in assets:
        s.add(CoveredAsset(contract_id=contract_id, **a.model_dump(mode="json")))
    for t in third_parties:
        s.add(ThirdParty(contract_id=contract_id, **t.model_dump(mode="json")))
    for target in targets:
        s.add(SlaTarget(contract_id=contract_id, **target.model_dump(mode="json")))
    for p in processing:
        s.add(GdprProcessing(contract_id=contract_id, **p.model_dump(mode="json")))


def update_contract(engine: Engine, contract_id: int, data: ContractUpdate) -> None:
    try:
        with db.write(engine) as s:
            contract = s.get(Contract, contract_id)
            if contract is None:
                raise RefusedError(_("This contract no longer exists."))
            for key, value in _contract_values(data).items():
                setattr(contract, key, value)
    except IntegrityError as exc:
        raise _unique_violation(exc) from exc


def set_targets(engine: Engine, contract_id: int, targets: list[SlaTargetInput]) -> None:
    """Replace the SLA targets of a contract (one row per priority) in one transaction."""
    with db.write(engine) as s:
        if s.get(Contract, contract_id) is None:
            raise RefusedError(_("This contract no longer exists."))
        s.execute(delete(SlaTarget).where(col(SlaTarget.contract_id) == contract_id))
        _add_parts(s, contract_id, (), (), targets, ())


def add_third_party(engine: Engine, contract_id: int, data: ThirdPartyCreate) -> int:
    with db.write(engine) as s:
        if s.get(Contract, contract_id) is None:
            raise RefusedError(_("This contract no longer exists."))
        row = ThirdParty(contract_id=contract_id, **data.model_dump(mode="json"))
        s.add(row)
        s.flush()
        return saved_id(row)


def update_third_party(engine: Engine, third_party_id: int, data: ThirdPartyCreate) -> None:
    with db.write(engine) as s:
        row = s.get(ThirdParty, third_party_id)
        if row is None:
            raise RefusedError(_("This third party no longer exists."))
        for key, value in data.model_dump(mode="json").items():
            setattr(row, key, value)


def delete_third_party(engine: Engine, third_party_id: int) -> None:
    with db.write(engine) as s:
        row = s.get(ThirdParty, third_party_id)
        if row is not None:
            s.delete(row)


def add_asset(engine: Engine, contract_id: int, data: CoveredAssetCreate) -> int:
    with db.write(engine) as s:
        row = CoveredAsset(contract_id=contract_id, **data.model_dump(mode="json"))
        s.add(row)
        s.flush()
        return saved_id(row)


def add_processing(engine: Engine, contract_id: int, data: GdprProcessingCreate) -> int:
    with db.write(engine) as s:
        row = GdprProcessing(contract_id=contract_id, **data.model_dump(mode="json"))
        s.add(row)
        s.flush()
        return saved_id(row)


def set_archived(engine: Engine, contract_id: int, archived: bool, now: datetime) -> None:
    with db.write(engine) as s:
        contract = s.get(Contract, contract_id)
        if contract is None:
            raise RefusedError(_("This contract no longer exists."))
        contract.archived_at = now if archived else None


def delete_contract(engine: Engine, contract_id: int) -> None:
    """Delete for real; refused, with what refers to it, while records of its own life do
    (tickets, engagements, prepaid hours, recurring tasks, data breaches): archive it instead."""
    from msptui.store.models import DataBreach, PrepaidAlert, PrepaidBlock, RecurringTask

    referring: list[tuple[Any, Callable[[int], str]]] = [
        (Ticket, lambda n: ngettext("{count} ticket", "{count} tickets", n)),
        (Engagement, lambda n: ngettext("{count} engagement", "{count} engagements", n)),
        (PrepaidBlock, lambda n: ngettext("{count} prepaid block", "{count} prepaid blocks", n)),
        (PrepaidAlert, lambda n: ngettext("{count} prepaid alert", "{count} prepaid alerts", n)),
        (RecurringTask, lambda n: ngettext("{count} recurring task", "{count} recurring tasks", n)),
        (DataBreach, lambda n: ngettext("{count} data breach record", "{count} data breach records", n)),
    ]
    with db.write(engine) as s:
        counts = [
            (s.scalar(select(func.count()).select_from(model).where(col(model.contract_id) == contract_id)), words)
            for model, words in referring
        ]
        parts = [words(n).format(count=n) for n, words in counts if n]
        if parts:
            raise RefusedError(
                _("Cannot delete: {records} still refer to this contract. Archive it instead.").format(
                    records=", ".join(parts)
                )
            )
        contract = s.get(Contract, contract_id)
        if contract is not None:
            s.delete(contract)


def client_contracts(engine: Engine, client_id: int, include_archived: bool = True) -> list[Contract]:
    with db.read(engine) as s:
        q = select(Contract).where(col(Contract.client_id) == client_id)
        if not include_archived:
            q = q.where(col(Contract.archived_at).is_(None))
        return list(s.scalars(q.order_by(col(Contract.start_date).desc())))


def contract_detail(engine: Engine, contract_id: int) -> ContractDetail | None:
    with db.read(engine) as s:
        contract = s.get(Contract, contract_id)
        if contract is None:
            return None

        def rows(model: type[_Part], order: Mapped[Any]) -> list[_Part]:
            return list(s.scalars(select(model).where(col(model.contract_id) == contract_id).order_by(order)))

        return ContractDetail(
            contract=contract,
            client=db.referenced(s, Client, contract.client_id),
            assets=rows(CoveredAsset, col(CoveredAsset.kind)),
            third_parties=rows(ThirdParty, col(ThirdParty.name)),
            targets=rows(SlaTarget, col(SlaTarget.priority)),
            processing=rows(GdprProcessing, col(GdprProcessing.id)),
        )
