"""Input models of the billing area: a contract's rates and a prepaid block of hours.

Amounts are `Decimal` to the cent; a form may type "85,50" (French decimal comma).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Optional

from pydantic import BeforeValidator, model_validator

from msptui.core.rules.time_entries import TimeCategory
from msptui.store.schemas.common import FieldError, Input, Line

_CENT = Decimal("0.01")
_CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


def _decimal(what: str, example: str, low: Decimal, high: Decimal) -> BeforeValidator:
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
            raise ValueError(f"is not {what} (type e.g. {example})") from None
        if not amount.is_finite():
            raise ValueError(f"is not {what} (type e.g. {example})")
        if not low <= amount <= high:  # first: quantizing 1e26 to the cent overflows
            raise ValueError(f"must be between {low} and {high}")
        if amount != amount.quantize(_CENT):
            raise ValueError(f"has more than two decimals (type e.g. {example})")
        return amount.quantize(_CENT)

    return BeforeValidator(check)


Rate = Annotated[Optional[Decimal], _decimal("a price per hour", "85.00", Decimal(0), Decimal(100000))]
Percent = Annotated[Decimal, _decimal("a percent", "20 or 5.5", Decimal(0), Decimal(100))]
Hours = Annotated[Decimal, _decimal("a number of hours", "10 or 7.5", Decimal("0.01"), Decimal(10000))]


def _currency(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip().upper()
        if not _CURRENCY_RE.match(value):
            raise ValueError("is a three-letter currency code such as EUR")
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
            raise FieldError("expires_on", "The expiry must be on or after the purchase date.")
        return self
