"""Input models of the billing area: a contract's rates and a prepaid block of hours.

Amounts are `Decimal` to the cent; a form may type "85,50" (French decimal comma).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Optional

from pydantic import BeforeValidator, model_validator

from msptui.core.i18n import N_, _
from msptui.core.rules.time_entries import TimeCategory
from msptui.store.schemas.common import FieldError, Input, Line

_CENT = Decimal("0.01")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _decimal(wrong: str, decimals: str, low: Decimal, high: Decimal) -> BeforeValidator:
    """A Decimal to the cent between `low` and `high`; `wrong` and `decimals` (marked N_) say
    what is expected when the text is not a number or has more than two decimals."""

    def check(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, float):
            value = repr(value)  # 85.1 typed, not 85.0999999...
        if isinstance(value, str):
            value = value.strip().replace(" ", "").replace("\u202f", "").replace(",", ".")
        try:
            amount = Decimal(value)
        except (InvalidOperation, TypeError, ValueError):
            raise ValueError(_(wrong)) from None
        if not amount.is_finite():
            raise ValueError(_(wrong))
        if not low <= amount <= high:  # first: quantizing 1e26 to the cent overflows
            raise ValueError(_("must be between {low} and {high}").format(low=low, high=high))
        if amount != amount.quantize(_CENT):
            raise ValueError(_(decimals))
        return amount.quantize(_CENT)

    return BeforeValidator(check)


Rate = Annotated[
    Optional[Decimal],
    _decimal(
        N_("is not a price per hour (type e.g. 85.00)"),
        N_("has more than two decimals (type e.g. 85.00)"),
        Decimal(0),
        Decimal(100000),
    ),
]
Percent = Annotated[
    Decimal,
    _decimal(
        N_("is not a percent (type e.g. 20 or 5.5)"),
        N_("has more than two decimals (type e.g. 20 or 5.5)"),
        Decimal(0),
        Decimal(100),
    ),
]
Hours = Annotated[
    Decimal,
    _decimal(
        N_("is not a number of hours (type e.g. 10 or 7.5)"),
        N_("has more than two decimals (type e.g. 10 or 7.5)"),
        Decimal("0.01"),
        Decimal(10000),
    ),
]


def _currency(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().upper()
        if not _CURRENCY_RE.match(value):
            raise ValueError(_("is a three-letter currency code such as EUR"))
    return value


class RatesInput(Input):
    """A contract's prices: hourly rate (None: none set), a rate per category that
    overrides it, the VAT rate in percent and the currency."""

    hourly_rate: Rate = None
    category_rates: dict[TimeCategory, Rate] = {}
    vat_pct: Percent = Decimal("20.00")
    currency: Annotated[str, BeforeValidator(_currency)] = "EUR"

    def category_rates_stored(self) -> dict[str, str]:
        """{category: "85.00"} as the contract stores it; an empty rate is no rate."""
        return {str(k.value): str(v) for k, v in self.category_rates.items() if v is not None}


class PrepaidBlockCreate(Input):
    """Hours bought in advance on a contract: how many, when, until when (None: no expiry)."""

    contract_id: int
    hours: Hours
    purchased_on: date
    expires_on: Optional[date] = None
    reference: Line = ""

    @model_validator(mode="after")
    def _dates(self) -> PrepaidBlockCreate:
        if self.expires_on is not None and self.expires_on < self.purchased_on:
            raise FieldError("expires_on", _("The expiry must be on or after the purchase date."))
        return self
