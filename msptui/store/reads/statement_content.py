"""A statement as JSON and back: what a closed period keeps (`BillingPeriod.content`).

Closing a month freezes its statement as it was computed then (lines, amounts,
rates, prepaid balance, provider identity), and a closed statement is read from
this alone, so the files written again a year later say exactly what was billed.
Amounts and hours are strings of Decimal ("85.00"), durations whole
microseconds, days and instants ISO 8601.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from msptui.core.rules.billing import EntryBilling, LineAmounts, Totals
from msptui.core.rules.provider import ProviderIdentity
from msptui.store.reads.statement import (
    Justification,
    PrepaidBlockLine,
    PrepaidState,
    Statement,
    StatementLine,
)

VERSION = 1
_US = timedelta(microseconds=1)


def _d(value: timedelta) -> int:
    return value // _US


def _t(value: Any) -> timedelta:
    return int(value) * _US


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if value else None


def _amounts(a: LineAmounts | None) -> dict[str, str] | None:
    if a is None:
        return None
    return {
        k: str(getattr(a, k)) for k in ("hours_billed", "rate", "surcharge", "net", "vat", "total", "hours_surcharged")
    }


def _billing(b: EntryBilling) -> dict[str, Any]:
    return {
        "included": _d(b.included),
        "billable": _d(b.billable),
        "surcharged": _d(b.surcharged),
        "outside_contract": _d(b.outside_contract),
        "reason": b.reason,
    }


def _line(line: StatementLine) -> dict[str, Any]:
    return {
        "entry_id": line.entry_id,
        "day": line.day.isoformat(),
        "reference": line.reference,
        "title": line.title,
        "description": line.description,
        "category": line.category,
        "contract": line.contract,
        "in_hours": _d(line.in_hours),
        "out_of_hours": _d(line.out_of_hours),
        "billing": _billing(line.billing),
        "over_prepaid": _d(line.over_prepaid),
        "amounts": _amounts(line.amounts),
        "missing_rate": line.missing_rate,
        "corrects": line.corrects,
        "ticket_id": line.ticket_id,
    }


def _prepaid(p: PrepaidState) -> dict[str, Any]:
    return {
        "contract": p.contract,
        "blocks": [
            {
                "reference": b.reference,
                "hours": str(b.hours),
                "purchased": b.purchased.isoformat(),
                "expires": b.expires.isoformat() if b.expires else None,
                "used": _d(b.used),
                "remaining": _d(b.remaining),
                "expired": _d(b.expired),
            }
            for b in p.blocks
        ],
        "used_this_month": _d(p.used_this_month),
        "bought": _d(p.bought),
        "used": _d(p.used),
        "remaining": _d(p.remaining),
        "over": _d(p.over),
        "percent_used": p.percent_used,
    }


def to_content(st: Statement) -> dict[str, Any]:
    """The statement as JSON-ready values (what `from_content` reads back, equal)."""
    p = st.provider
    return {
        "version": VERSION,
        "provider": None if p is None else {k: getattr(p, k) for k in ProviderIdentity.__dataclass_fields__},
        "client_id": st.client_id,
        "client_name": st.client_name,
        "client_code": st.client_code,
        "client_address": st.client_address,
        "month": st.month,
        "first_day": st.first_day.isoformat(),
        "last_day": st.last_day.isoformat(),
        "currency": st.currency,
        "lines": [_line(line) for line in st.lines],
        "totals": {"net": str(st.totals.net), "vat": str(st.totals.vat), "total": str(st.totals.total)},
        "prepaid": [_prepaid(p) for p in st.prepaid],
        "number": st.number,
        "closed_at": st.closed_at.isoformat() if st.closed_at else None,
        "missing_rates": list(st.missing_rates),
        "justifications": [
            {"ticket_id": j.ticket_id, "clock": j.clock, "text": j.text, "justified": j.justified}
            for j in st.justifications
        ],
        "language": st.language,
    }


def _read_line(x: Mapping[str, Any]) -> StatementLine:
    b = x["billing"]
    a = x["amounts"]
    return StatementLine(
        entry_id=x["entry_id"],
        day=date.fromisoformat(x["day"]),
        reference=x["reference"],
        title=x["title"],
        description=x["description"],
        category=x["category"],
        contract=x["contract"],
        in_hours=_t(x["in_hours"]),
        out_of_hours=_t(x["out_of_hours"]),
        billing=EntryBilling(
            _t(b["included"]), _t(b["billable"]), _t(b["surcharged"]), _t(b["outside_contract"]), b["reason"]
        ),
        over_prepaid=_t(x["over_prepaid"]),
        amounts=None if a is None else LineAmounts(**{k: Decimal(v) for k, v in a.items()}),
        missing_rate=x["missing_rate"],
        corrects=x["corrects"],
        ticket_id=x["ticket_id"],
    )


def from_content(c: dict[str, Any]) -> Statement:
    """The statement frozen by `to_content`."""
    provider = ProviderIdentity(**c["provider"]) if c.get("provider") else None
    lines = [_read_line(x) for x in c["lines"]]
    prepaid = [
        PrepaidState(
            contract=p["contract"],
            blocks=tuple(
                PrepaidBlockLine(
                    b["reference"],
                    Decimal(b["hours"]),
                    date.fromisoformat(b["purchased"]),
                    _day(b["expires"]),
                    _t(b["used"]),
                    _t(b["remaining"]),
                    _t(b["expired"]),
                )
                for b in p["blocks"]
            ),
            used_this_month=_t(p["used_this_month"]),
            bought=_t(p["bought"]),
            used=_t(p["used"]),
            remaining=_t(p["remaining"]),
            over=_t(p["over"]),
            percent_used=p["percent_used"],
        )
        for p in c["prepaid"]
    ]
    t = c["totals"]
    return Statement(
        provider=provider,
        client_id=c["client_id"],
        client_name=c["client_name"],
        client_code=c["client_code"],
        client_address=c["client_address"],
        month=c["month"],
        first_day=date.fromisoformat(c["first_day"]),
        last_day=date.fromisoformat(c["last_day"]),
        currency=c["currency"],
        lines=tuple(lines),
        totals=Totals(Decimal(t["net"]), Decimal(t["vat"]), Decimal(t["total"])),
        prepaid=tuple(prepaid),
        number=c["number"],
        closed_at=datetime.fromisoformat(c["closed_at"]) if c["closed_at"] else None,
        missing_rates=tuple(c["missing_rates"]),
        justifications=tuple(
            Justification(j["ticket_id"], j["clock"], j["text"], j.get("justified", True)) for j in c["justifications"]
        ),
        # Closed before issue 19: its sentences were written in English.
        language=c.get("language", "en"),
    )


# --- what closed statements billed, line by line ---------------------------------------------------


def frozen_lines(contents: Iterable[dict[str, Any] | None]) -> dict[int, StatementLine]:
    """The lines of closed statements (`BillingPeriod.content`), by entry id; a period
    closed without its statement kept (None) gives none."""
    return {x["entry_id"]: _read_line(x) for c in contents if c for x in c["lines"]}


@dataclass(frozen=True, slots=True)
class Billed:
    """What closed statements billed for one piece of work: the sum of the frozen lines of
    an entry and of the entries it corrects (each correction's line is a difference, so
    the sum is the work as last billed)."""

    in_hours: timedelta
    out_of_hours: timedelta
    billing: EntryBilling
    over_prepaid: timedelta
    amounts: LineAmounts | None  # None when a line on the way had no rate


def billed_before(s: Session, entry_id: int) -> Billed | None:
    """What closed statements billed for the billed entry `entry_id` and the entries it
    corrects, read from their frozen lines; None when one of them is on a period closed
    without its statement kept (then nothing frozen can be trusted)."""
    from msptui.store.models import BillingPeriod, TimeEntry

    found: list[StatementLine] = []
    current: int | None = entry_id
    while current is not None:
        entry = s.get(TimeEntry, current)
        if entry is None or entry.period_id is None:
            break
        period = s.get(BillingPeriod, entry.period_id)
        content = period.content if period is not None else None
        raw = next((x for x in (content or {}).get("lines", []) if x["entry_id"] == current), None)
        if raw is None:
            return None
        found.append(_read_line(raw))
        current = entry.corrects_id
    if not found:
        return None
    zero = timedelta(0)
    amounts: LineAmounts | None = None
    if all(line.amounts is not None for line in found):
        parts = [line.amounts for line in found if line.amounts is not None]
        amounts = LineAmounts(
            hours_billed=sum((a.hours_billed for a in parts), Decimal("0.00")),
            rate=parts[0].rate,
            surcharge=sum((a.surcharge for a in parts), Decimal("0.00")),
            net=sum((a.net for a in parts), Decimal("0.00")),
            vat=sum((a.vat for a in parts), Decimal("0.00")),
            total=sum((a.total for a in parts), Decimal("0.00")),
            hours_surcharged=sum((a.hours_surcharged for a in parts), Decimal("0.00")),
        )
    return Billed(
        in_hours=sum((line.in_hours for line in found), zero),
        out_of_hours=sum((line.out_of_hours for line in found), zero),
        billing=EntryBilling(
            included=sum((line.billing.included for line in found), zero),
            billable=sum((line.billing.billable for line in found), zero),
            surcharged=sum((line.billing.surcharged for line in found), zero),
            outside_contract=sum((line.billing.outside_contract for line in found), zero),
            reason=found[0].billing.reason,
        ),
        over_prepaid=sum((line.over_prepaid for line in found), zero),
        amounts=amounts,
    )
