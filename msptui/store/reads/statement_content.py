"""A statement as JSON and back: what a closed period keeps (`BillingPeriod.content`).

Closing a month freezes its statement as it was computed then (lines, amounts,
rates, prepaid balance, provider identity), and a closed statement is read from
this alone, so the files written again a year later say exactly what was billed.
Amounts and hours are strings of Decimal ("85.00"), durations whole
microseconds, days and instants ISO 8601.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

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
        "justifications": [{"ticket_id": j.ticket_id, "clock": j.clock, "text": j.text} for j in st.justifications],
    }


def from_content(c: dict[str, Any]) -> Statement:
    """The statement frozen by `to_content`."""
    provider = ProviderIdentity(**c["provider"]) if c.get("provider") else None
    lines = []
    for x in c["lines"]:
        b = x["billing"]
        a = x["amounts"]
        lines.append(
            StatementLine(
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
        )
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
        justifications=tuple(Justification(j["ticket_id"], j["clock"], j["text"]) for j in c["justifications"]),
    )
