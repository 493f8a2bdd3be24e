"""The provider's identity: one row, set in the settings screen, printed on client documents."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from msptui.core.rules.provider import ProviderIdentity
from msptui.store import db
from msptui.store.models import ProviderIdentityRow
from msptui.store.schemas.provider import ProviderIdentityInput

_ROW_ID = 1  # the one row


def _identity(row: ProviderIdentityRow) -> ProviderIdentity:
    return ProviderIdentity(
        trade_name=row.trade_name,
        address=row.address,
        company_number=row.company_number,
        vat_number=row.vat_number,
        contact=row.contact,
    )


def provider_identity(engine: Engine) -> ProviderIdentity | None:
    """The provider's identity, or None until it is set."""
    with db.read(engine) as s:
        row = s.get(ProviderIdentityRow, _ROW_ID)
        return _identity(row) if row is not None else None


def set_provider_identity(engine: Engine, data: ProviderIdentityInput, now: datetime | None = None) -> ProviderIdentity:
    """Record the provider's identity (one transaction) and return it.

    Notes already issued keep the identity they were issued with (it is frozen
    in their content); later documents print this one.
    """
    at = now or datetime.now(UTC)
    with db.write(engine) as s:
        row = s.get(ProviderIdentityRow, _ROW_ID)
        if row is None:
            row = ProviderIdentityRow(id=_ROW_ID, updated_at=at, **data.model_dump())
            s.add(row)
        else:
            for key, value in data.model_dump().items():
                setattr(row, key, value)
            row.updated_at = at
        s.flush()
        return _identity(row)
