"""Input models of the clients area: clients and their contacts."""

from __future__ import annotations

from typing import Annotated, Optional

from pydantic import model_validator

from msptui.core.rules.clients import check_document_language, check_postcode, default_document_language
from msptui.core.vocabulary import (
    ClientStatus,
)
from msptui.store.schemas.common import (
    Code,
    Country,
    Email,
    Input,
    Line,
    Name,
    Phone,
    Short,
    Text,
    TimeZone,
    _check_subdivision,
    _line,
    _wrap,
)

# --- clients -------------------------------------------------------------------


class ClientCreate(Input):
    name: Name
    code: Code
    status: ClientStatus = ClientStatus.active
    address: Line = ""
    postcode: Annotated[str, _line(12)] = ""
    city: Short = ""
    country: Country = "FR"
    subdivision: Optional[str] = None
    timezone: TimeZone = "Europe/Paris"
    notes: Text = ""
    # The language of the documents the client receives; None: from the country (French for France).
    language: Optional[str] = None

    @model_validator(mode="after")
    def _subdivision(self) -> ClientCreate:
        language = self.language
        object.__setattr__(
            self,
            "language",
            default_document_language(self.country)
            if not language
            else _wrap("language", check_document_language, language),
        )
        object.__setattr__(
            self, "subdivision", _wrap("subdivision", _check_subdivision, self.country, self.subdivision)
        )
        object.__setattr__(self, "postcode", _wrap("postcode", check_postcode, self.country, self.postcode))
        return self


class ClientUpdate(ClientCreate):
    pass


class ContactCreate(Input):
    name: Name
    role: Short = ""
    email: Email = ""
    phone: Phone = ""
