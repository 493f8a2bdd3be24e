"""Calendar months as statements and reports count them ("YYYY-MM"), and which month bills an entry.

An entry belongs to the month it was worked in (its start, in the client's
time zone) unless that month is already closed: then, typed late or a
correction of billed work, it goes on the next open month (`billed_month`),
so nothing is billed twice or lost. Every read that places an entry in a
month asks `billed_month`.

Pure: standard library only. Months are checked by the store (`store.billing.
month_words`), so these helpers take well-formed "YYYY-MM" strings.
"""

from __future__ import annotations

from collections.abc import Container
from datetime import datetime
from zoneinfo import ZoneInfo


def shift_month(month: str, by: int) -> str:
    """`month` moved by `by` months ("2026-01", -1 -> "2025-12")."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 + by
    return f"{index // 12}-{index % 12 + 1:02d}"


def next_month(month: str) -> str:
    """The month after `month` ("2026-12" -> "2027-01")."""
    return shift_month(month, 1)


def previous_month(month: str) -> str:
    """The month before `month` ("2027-01" -> "2026-12")."""
    return shift_month(month, -1)


def months_back(month: str, count: int) -> list[str]:
    """The `count` months ending with `month`, oldest first ("2026-11", 3 -> 2026-09..2026-11)."""
    return [shift_month(month, by) for by in range(1 - count, 1)]


def month_of(at: datetime, timezone: str | ZoneInfo) -> str:
    """The month ("YYYY-MM") holding the instant `at` in `timezone`."""
    zone = timezone if isinstance(timezone, ZoneInfo) else ZoneInfo(timezone)
    local = at.astimezone(zone)
    return f"{local.year}-{local.month:02d}"


def billed_month(worked: str, closed: Container[str]) -> str:
    """The month whose statement bills work done in `worked`: that month, or when it is
    closed, the first month after it that is not (late work, corrections of billed work)."""
    month = worked
    while month in closed:
        month = next_month(month)
    return month
