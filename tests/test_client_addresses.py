"""A client's address: a postcode that cannot be one is refused next to its field."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from msptui.store.schemas import ClientCreate, field_errors


@pytest.mark.parametrize(
    ("country", "postcode", "message"),
    [
        ("FR", "ABCDE", "A postcode in FR is 5 digits, such as 75011."),
        ("FR", "7501", "A postcode in FR is 5 digits, such as 75011."),
        ("BE", "10000", "A postcode in BE is 4 digits, such as 1000."),
    ],
)
def test_a_postcode_of_the_wrong_shape_is_refused_under_its_field(country, postcode, message):
    with pytest.raises(ValidationError) as refused:
        ClientCreate(name="Chez Zoé", code="ZOE", country=country, postcode=postcode)
    assert field_errors(refused.value) == {"postcode": message}


@pytest.mark.parametrize(("country", "postcode"), [("FR", " 75011 "), ("FR", ""), ("BE", "1000"), ("GB", "SW1A 1AA")])
def test_a_postcode_that_can_be_one_is_kept_trimmed(country, postcode):
    assert ClientCreate(name="Chez Zoé", code="ZOE", country=country, postcode=postcode).postcode == postcode.strip()
