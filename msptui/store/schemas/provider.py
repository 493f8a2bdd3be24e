"""Input model for the provider's identity (the settings screen and `set_provider_identity`)."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

from msptui.core.i18n import _
from msptui.core.rules.provider import siret_is_valid
from msptui.store.schemas.common import Input, _line


def _company_number(value: str) -> str:
    digits = value.replace(" ", "")
    # 14 digits is a French SIRET: its last digit is a check key, so a typo is caught here.
    if digits.isdigit() and len(digits) == 14 and not siret_is_valid(digits):
        raise ValueError(_("is not a valid SIRET: its check digit does not match (look for a typo)"))
    return value


CompanyNumber = Annotated[str, _line(40, required=True), AfterValidator(_company_number)]
TradeName = Annotated[str, _line(120, required=True)]
Address = Annotated[str, _line(300, required=True)]
VatNumber = Annotated[str, _line(40)]
ContactLine = Annotated[str, _line(200, required=True)]


class ProviderIdentityInput(Input):
    """Who issues the documents a client receives. Trade name, address, company number
    and contact are required; the VAT number may be blank (e.g. a micro-entrepreneur)."""

    trade_name: TradeName
    address: Address
    company_number: CompanyNumber
    vat_number: VatNumber = ""
    contact: ContactLine
