"""Input models of the breaches area: a personal-data or security incident as discovered,
its notification to the client, and corrections (each a new record superseding the old).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Optional

from pydantic import AfterValidator

from msptui.core.i18n import _
from msptui.store.schemas.common import Input, Line, _text

DESCRIPTION_MAX = 5000


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("needs a time zone"))
    return value.astimezone(UTC)


def _required(value: str) -> str:
    if not value:
        raise ValueError(_("is required: say what happened"))
    return value


def _how(value: str) -> str:
    if not value:
        raise ValueError(_("is required: say how the client was told (email, phone, letter)"))
    return value


Instant = Annotated[datetime, AfterValidator(_aware)]
Description = Annotated[str, _text(DESCRIPTION_MAX), AfterValidator(_required)]
Details = Annotated[str, _text(DESCRIPTION_MAX)]


class DataBreachCreate(Input):
    """A breach as discovered: when (the notification countdown starts then), what happened,
    which data and which of the contract's processing entries, what was done so far."""

    client_id: int
    contract_id: Optional[int] = None
    discovered_at: Instant
    description: Description
    data_concerned: Details = ""
    processing_id: Optional[int] = None
    measures: Details = ""


class DataBreachCorrection(Input):
    """A correction of what was recorded (a new record; the old one stays on file)."""

    discovered_at: Instant
    description: Description
    data_concerned: Details = ""
    processing_id: Optional[int] = None
    measures: Details = ""


class BreachNotification(Input):
    """The client was told: when and how; the measures taken, when given, replace the
    recorded ones (left blank, they stay as recorded)."""

    notified_at: Instant
    notified_how: Annotated[Line, AfterValidator(_how)]
    measures: Details = ""
