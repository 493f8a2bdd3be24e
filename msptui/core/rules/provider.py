"""The provider's identity, printed at the head of every document a client receives.

Pure: standard library and `msptui.core.i18n` only. Every delivery note, handover pack and client
letter carries who issued it (trade name, address, company number such as a
SIRET, VAT number, contact), so the client always knows whom to hold to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from msptui.core.i18n import _


@dataclass(frozen=True)
class ProviderIdentity:
    trade_name: str
    address: str
    company_number: str
    vat_number: str
    contact: str


def provider_lines(p: ProviderIdentity) -> list[str]:
    """The lines printed in a document header, in order, in the current language (the
    client's, inside `document_language`); a blank VAT number is left out.

    A company number of 14 digits is printed as a SIRET ("SIRET 123 456 789 00012"),
    9 digits as a SIREN; anything else as "Company number ...".
    """
    lines = [p.trade_name, *(part.strip() for part in p.address.splitlines() if part.strip())]
    lines.append(company_number_line(p.company_number))
    if p.vat_number.strip():
        lines.append(_("VAT {number}").format(number=p.vat_number.strip()))
    lines.append(p.contact)
    return lines


def company_number_line(number: str) -> str:
    digits = number.replace(" ", "")
    if digits.isdigit() and len(digits) == 14:
        return f"SIRET {digits[:3]} {digits[3:6]} {digits[6:9]} {digits[9:]}"
    if digits.isdigit() and len(digits) == 9:
        return f"SIREN {digits[:3]} {digits[3:6]} {digits[6:]}"
    return _("Company number {number}").format(number=number.strip())


#: La Poste's establishments share one SIREN whose SIRETs follow another key (sum of digits a multiple of 5).
_LA_POSTE_SIREN = "356000000"


def siret_is_valid(digits: str) -> bool:
    """True when 14 digits carry a correct SIRET key (Luhn; La Poste's own rule for its SIREN)."""
    if len(digits) != 14 or not digits.isdigit():
        return False
    if digits.startswith(_LA_POSTE_SIREN) and digits != _LA_POSTE_SIREN + "00048":
        return sum(int(c) for c in digits) % 5 == 0
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0
