"""Input model of the board's coming-due band: putting an item off, with its reason (kept)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator

from msptui.core.i18n import _
from msptui.store.schemas.common import Input, Line

KINDS = ("recurring", "renewal", "warranty", "certification", "breach")


def _kind(value: str) -> str:
    if value not in KINDS:
        raise ValueError("must be one of " + ", ".join(KINDS))  # i18n: not shown (set by the code, never typed)
    return value


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(_("needs a time zone"))
    return value.astimezone(UTC)


def _reason(value: str) -> str:
    if not value:
        raise ValueError(_("is required: say why it can wait"))
    return value


class SnoozeCreate(Input):
    """Put a coming-due item (`kind`, `ref_id` as `ComingDue` gives them) off until `until`."""

    kind: Annotated[str, AfterValidator(_kind)]
    ref_id: int
    until: Annotated[datetime, AfterValidator(_aware)]
    reason: Annotated[Line, AfterValidator(_reason)]
