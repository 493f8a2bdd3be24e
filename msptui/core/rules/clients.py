"""Rules of the clients area: what an address must look like where the rule is simple, and which
language a client's documents are written in."""

from __future__ import annotations

import re

from msptui.core.i18n import _

# Countries whose postcodes are a fixed number of digits (the cases a technician meets
# in a French MSP's client list); elsewhere any text up to the field's length is taken.
DIGITS = {"FR": 5, "DE": 5, "ES": 5, "IT": 5, "MC": 5, "BE": 4, "CH": 4, "LU": 4, "AT": 4}


def check_postcode(country: str, postcode: str) -> str:
    """The postcode, trimmed; ValueError in words when it cannot be one of `country`'s
    (FR: five digits, "75011"). An empty postcode is allowed (not known yet)."""
    value = postcode.strip()
    digits = DIGITS.get(country.upper())
    if value and digits is not None and not re.fullmatch(rf"\d{{{digits}}}", value):
        example = "75011"[:digits] if digits == 5 else "1000"
        raise ValueError(
            _("A postcode in {country} is {digits} digits, such as {example}.").format(
                country=country.upper(), digits=digits, example=example
            )
        )
    return value


# Where a client's documents default to French: France, Monaco and the French overseas
# departments and territories. Belgium, Switzerland, Luxembourg and Canada have several
# languages: the technician chooses.
FRENCH_BY_DEFAULT = frozenset({"FR", "MC", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "TF"})
DOCUMENT_LANGUAGES = ("en", "fr")


def default_document_language(country: str) -> str:
    """The language of a client's delivery notes, statements and reports when none is chosen."""
    return "fr" if country.strip().upper() in FRENCH_BY_DEFAULT else "en"


def check_document_language(language: str) -> str:
    value = language.strip().lower()
    if value not in DOCUMENT_LANGUAGES:
        raise ValueError(_("Documents are written in English (en) or French (fr)."))
    return value
