"""Rules of the clients area: what an address must look like where the rule is simple."""

from __future__ import annotations

import re

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
        raise ValueError(f"A postcode in {country.upper()} is {digits} digits, such as {example}.")
    return value
