"""Input models of the renewals area: the light register of what expires for a client
(licences, certificates, domains, support contracts, warranties), and what is asked
when one is marked done (its new expiry when it was renewed).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Optional

from pydantic import AfterValidator, BeforeValidator, Field

from msptui.core.i18n import N_, _
from msptui.store.schemas.common import BoundedDate, Input, Line, OptionalBoundedDate, Short

NOTICE_DAYS_MAX = 3650


class RenewalWhat(StrEnum):
    licence = "licence"
    certificate = "certificate"
    domain = "domain"
    support = "support"
    warranty = "warranty"
    other = "other"

    @property
    def label(self) -> str:
        """What a technician reads, in the current language."""
        return _(_WHAT_LABELS[self.value])


_WHAT_LABELS = {
    "licence": N_("Licence"),
    "certificate": N_("Certificate"),
    "domain": N_("Domain"),
    "support": N_("Support contract"),
    "warranty": N_("Warranty"),
    "other": N_("Other"),
}


def _amount(value: object) -> object:
    """Form text ("1 200,50", "", "85") to a Decimal; blank is no cost given."""
    if isinstance(value, str):
        typed = value.strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
        if not typed:
            return None
        try:
            return Decimal(typed)
        except InvalidOperation:
            raise ValueError(_("must be an amount such as 120.00")) from None
    return value


def _cost(value: Optional[Decimal]) -> Optional[Decimal]:
    if value is None:
        return None
    if not value.is_finite() or value < 0:
        raise ValueError(_("must be an amount of zero or more, such as 120.00"))
    # Size first: quantizing a number of thirty digits raises instead of answering.
    if value >= Decimal("10000000000"):
        raise ValueError(_("is too large (at most 9999999999.99)"))
    if value != value.quantize(Decimal("0.01")):
        raise ValueError(_("has more than two decimals (cents): round it"))
    return value.quantize(Decimal("0.01"))


def _currency(value: str) -> str:
    value = value.strip().upper()
    if len(value) != 3 or not value.isalpha() or not value.isascii():
        raise ValueError(_("must be a three-letter currency code such as EUR"))
    return value


Cost = Annotated[Optional[Decimal], BeforeValidator(_amount), AfterValidator(_cost)]
Currency = Annotated[str, AfterValidator(_currency)]


class RenewalCreate(Input):
    """Something of the client's that expires: it comes due `notice_days` before `expires_on`
    (a local date of the client's calendar)."""

    client_id: int
    what: RenewalWhat
    provider: Short = ""
    reference: Line = ""
    expires_on: BoundedDate
    auto_renew: bool = False
    cost: Cost = None
    currency: Currency = "EUR"
    notice_days: int = Field(default=30, ge=0, le=NOTICE_DAYS_MAX)


class RenewalDone(Input):
    """What the technician says when a renewal is done: the new expiry if it was renewed
    (a new entry then comes due in its turn), nothing if it was let go; the new cost
    when it changed (the old one is kept otherwise)."""

    new_expires_on: OptionalBoundedDate = None
    cost: Cost = None
