"""Billing: a contract's rates, its prepaid blocks and their alerts, and closing a client's month.

A month ("YYYY-MM", in the client's calendar) is open until it is closed; closing
it numbers its statement ("RA-2026-0001", never reused) and freezes its entries:
from then on they never change (a trigger backs the store's refusal). An
unbilled entry belongs to the month it was worked in, or, when that month is
already closed (a correction of a billed entry, time typed late), to the next
open month (`core.rules.months.billed_month`): nothing is billed twice or lost.

What is included and what is billable is the rules' decision
(`core.rules.billing.decide` on the split of `core.rules.time_entries`);
prepaid blocks are consumed by `core.rules.prepaid.consume`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from msptui.core import formats
from msptui.core.i18n import _
from msptui.core.rules.billing import Rates, decide
from msptui.core.rules.months import billed_month, month_of
from msptui.core.rules.prepaid import Block, Consumption, Use, consume, crossed
from msptui.core.rules.time_entries import format_duration, split_hours
from msptui.store import db
from msptui.store.calendars import business_calendar
from msptui.store.clients import RefusedError
from msptui.store.models import (
    BillingPeriod,
    Client,
    Contract,
    Engagement,
    PrepaidAlert,
    PrepaidBlock,
    Ticket,
    TimeEntry,
    saved_id,
)
from msptui.store.schemas.billing import PrepaidBlockCreate, RatesInput
from msptui.store.tickets import contract_terms

_MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
NUMBER_PREFIX = "RA"


# --- months --------------------------------------------------------------------------------


def month_words(month: str) -> str:
    """'2026-03' -> 'March 2026' ('mars 2026' in French)."""
    year, number = _parse_month(month)
    return formats.month_year(date(year, number, 1))


def _parse_month(month: str) -> tuple[int, int]:
    found = _MONTH_RE.match(month.strip())
    if not found:
        raise RefusedError(_("“{month}” is not a month: type it as YYYY-MM, such as 2026-03.").format(month=month))
    return int(found.group(1)), int(found.group(2))


def month_bounds(month: str, timezone: str) -> tuple[datetime, datetime]:
    """The month's first and last-plus-one instants (UTC), midnight in `timezone`."""
    year, number = _parse_month(month)
    zone = ZoneInfo(timezone)
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


# --- which entries a month bills -----------------------------------------------------------


def _client_entries(client_id: int) -> Any:
    """Entries on the client's tickets and engagements (a select to narrow further)."""
    return (
        select(TimeEntry)
        .outerjoin(Ticket, col(Ticket.id) == col(TimeEntry.ticket_id))
        .outerjoin(Engagement, col(Engagement.id) == col(TimeEntry.engagement_id))
        .where(or_(col(Ticket.client_id) == client_id, col(Engagement.client_id) == client_id))
    )


def period_entries(s: Session, client_id: int, month: str) -> list[TimeEntry]:
    """The finished entries a client's month bills, oldest first (see the module's docstring)."""
    _parse_month(month)
    client = s.get(Client, client_id)
    if client is None:
        raise RefusedError(_("There is no client {number}.").format(number=client_id))
    closed = {p.month: p for p in s.scalars(select(BillingPeriod).where(col(BillingPeriod.client_id) == client_id))}
    order = (col(TimeEntry.started_at), col(TimeEntry.id))
    if month in closed:
        query = select(TimeEntry).where(col(TimeEntry.period_id) == closed[month].id)
        return list(s.scalars(query.order_by(*order)))
    _start, end = month_bounds(month, client.timezone)
    query = _client_entries(client_id).where(
        col(TimeEntry.period_id).is_(None), col(TimeEntry.ended_at).is_not(None), col(TimeEntry.started_at) < end
    )
    zone = ZoneInfo(client.timezone)
    return [
        entry
        for entry in s.scalars(query.order_by(*order))
        if billed_month(month_of(entry.started_at, zone), closed) == month
    ]


# --- closing a month -----------------------------------------------------------------------

# (session, statement number, the entries closed) -> what the statement says.
Freeze = Callable[[Session, str, list[TimeEntry]], dict[str, Any]]


def close_period(engine: Engine, client_id: int, month: str, now: datetime, freeze: Freeze | None = None) -> str:
    """Close a client's month: its statement gets the next number ("RA-2026-0001", by
    the year of closing) and its entries are frozen. Returns the number.

    Refused with a sentence: a month already closed, a month not over yet in the
    client's calendar, a timer still running on the client's work of that month.
    `freeze`, when given, returns what the statement says (kept on the period,
    in this same transaction, so it is exactly what was closed)."""
    try:
        return _close(engine, client_id, month, now, freeze)
    except IntegrityError:
        # Another writer (a second technician, PostgreSQL) took the same number at the same
        # moment: the UNIQUE refused ours, nothing was written; once more takes the next one.
        return _close(engine, client_id, month, now, freeze)


def _close(engine: Engine, client_id: int, month: str, now: datetime, freeze: Freeze | None) -> str:
    with db.write(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError(_("There is no client {number}.").format(number=client_id))
        words = month_words(month)
        done = s.scalars(
            select(BillingPeriod).where(col(BillingPeriod.client_id) == client_id, col(BillingPeriod.month) == month)
        ).first()
        if done is not None:
            raise RefusedError(
                _("{month} is already closed for {client} (statement {number}).").format(
                    month=words, client=client.name, number=done.number
                )
            )
        _start, end = month_bounds(month, client.timezone)
        if now < end:
            opens = end.astimezone(ZoneInfo(client.timezone))
            raise RefusedError(
                _("{month} is not over yet for {client}: close it from {day}.").format(
                    month=words, client=client.name, day=formats.long_date(opens.date())
                )
            )
        running = s.scalars(
            _client_entries(client_id).where(col(TimeEntry.running) == 1, col(TimeEntry.started_at) < end)
        ).first()
        if running is not None:
            raise RefusedError(
                _("Stop the running timer (entry {number}) before closing {month}.").format(
                    number=running.id, month=words
                )
            )
        entries = period_entries(s, client_id, month)
        number = _next_number(s, now)
        # Computed before the period exists: once written, a trigger forbids changing it.
        content = freeze(s, number, entries) if freeze is not None else None
        period = BillingPeriod(client_id=client_id, month=month, closed_at=now, number=number, content=content)
        s.add(period)
        s.flush()
        for entry in entries:
            entry.period_id = period.id
            s.add(entry)
        return period.number


def _next_number(s: Session, now: datetime) -> str:
    """The year's next statement number. By the number, not the text: after RA-2026-9999
    comes RA-2026-10000 (a text max() would give 9999 again, and a clash)."""
    prefix = f"{NUMBER_PREFIX}-{now.year}-"
    taken = s.scalars(select(col(BillingPeriod.number)).where(col(BillingPeriod.number).startswith(prefix)))
    seq = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0) + 1
    return f"{prefix}{seq:04d}"


def closed_periods(engine: Engine, client_id: int) -> list[BillingPeriod]:
    """A client's closed months, newest first."""
    with db.read(engine) as s:
        query = select(BillingPeriod).where(col(BillingPeriod.client_id) == client_id)
        return list(s.scalars(query.order_by(col(BillingPeriod.month).desc())))


# --- rates ---------------------------------------------------------------------------------


def set_rates(engine: Engine, contract_id: int, data: RatesInput) -> None:
    """Set a contract's hourly rate, rates per category, VAT rate and currency.
    A closed statement keeps the rates it was closed with."""
    with db.write(engine) as s:
        contract = s.get(Contract, contract_id)
        if contract is None:
            raise RefusedError(_("There is no contract {number}.").format(number=contract_id))
        contract.hourly_rate = data.hourly_rate
        contract.category_rates = data.category_rates_stored()
        contract.vat_pct = data.vat_pct
        contract.currency = data.currency
        s.add(contract)


def rates_of(contract: Contract) -> Rates:
    """The contract's prices as the billing rule reads them."""
    return Rates(
        hourly=contract.hourly_rate,
        per_category={k: Decimal(v) for k, v in contract.category_rates.items()},
        surcharge_pct=contract.out_of_hours_surcharge_pct if contract.out_of_hours_available else 0,
        vat_pct=Decimal(contract.vat_pct),
        currency=contract.currency,
    )


# --- prepaid hours -------------------------------------------------------------------------


def add_prepaid_block(engine: Engine, data: PrepaidBlockCreate, now: datetime) -> int:
    """Record hours bought in advance on a contract; returns the block's id."""
    with db.write(engine) as s:
        if s.get(Contract, data.contract_id) is None:
            raise RefusedError(_("There is no contract {number}.").format(number=data.contract_id))
        block = PrepaidBlock(
            contract_id=data.contract_id,
            hours=data.hours,
            purchased_on=data.purchased_on,
            expires_on=data.expires_on,
            reference=data.reference,
            created_at=now,
        )
        s.add(block)
        s.flush()
        return saved_id(block)


@dataclass(frozen=True)
class PrepaidBalance:
    """A contract's prepaid hours now. `consumption` is None when it has no block
    (its included work is covered by the contract itself)."""

    contract_id: int
    consumption: Consumption | None
    blocks_key: str  # the block ids, "3,5": alerts are said once per set of blocks

    @property
    def percent_used(self) -> int:
        return self.consumption.percent_used if self.consumption else 0

    @property
    def words(self) -> str:
        """'7 h 30 left of 20 h (62 % used)', 'over by 1 h 30 (20 h bought)' or 'no prepaid hours'."""
        c = self.consumption
        if c is None:
            return _("no prepaid hours")
        bought = format_duration(c.bought)
        if c.over:
            return _("over by {over} ({bought} bought)").format(over=format_duration(c.over), bought=bought)
        return _("{left} left of {bought} ({percent} % used)").format(
            left=format_duration(c.remaining), bought=bought, percent=c.percent_used
        )


def included_uses(s: Session, contract: Contract) -> list[Use]:
    """The included time of the contract's finished entries, each on its local day and in
    the month whose statement bills it (`Use.billed_in`: the prepaid hours go in billing
    order, so work typed late never takes what a closed statement counted).

    An entry on a closed statement counts as frozen there (its included time and the part
    billed beyond the prepaid hours); a correction of billed work counts only the included
    time it adds to what was billed (or, negative, removes), never the whole entry again."""
    from msptui.store.reads.statement_content import billed_before, frozen_lines
    from msptui.store.time_entries import rows_for

    contract_id = saved_id(contract)
    query = (
        select(TimeEntry)
        .outerjoin(Ticket, col(Ticket.id) == col(TimeEntry.ticket_id))
        .outerjoin(Engagement, col(Engagement.id) == col(TimeEntry.engagement_id))
        .where(
            or_(
                and_(col(TimeEntry.ticket_id).is_not(None), col(Ticket.contract_id) == contract_id),
                and_(col(TimeEntry.engagement_id).is_not(None), col(Engagement.contract_id) == contract_id),
            ),
            col(TimeEntry.ended_at).is_not(None),
        )
        .order_by(col(TimeEntry.started_at), col(TimeEntry.id))
    )
    entries = list(s.scalars(query))
    periods = {
        saved_id(p): p
        for p in s.scalars(select(BillingPeriod).where(col(BillingPeriod.client_id) == contract.client_id))
    }
    closed = {p.month for p in periods.values()}
    frozen = frozen_lines(p.content for p in periods.values())
    calendar, terms, zone = business_calendar(contract), contract_terms(contract), ZoneInfo(contract.timezone)
    uses = []
    zero = timedelta(0)
    for row in rows_for(s, entries):
        if row.ended_at is None:  # pragma: no cover - the query keeps finished entries only
            continue
        day = row.started_at.astimezone(zone).date()
        if row.period_id is not None:
            billed_in = periods[row.period_id].month
        else:
            billed_in = billed_month(month_of(row.started_at, zone), closed)
        line = frozen.get(row.entry_id) if row.period_id is not None else None
        if line is not None:
            included, low = line.billing.included, min(zero, line.billing.included)
            over = min(max(line.over_prepaid, low), max(zero, included))
        else:
            split = split_hours(calendar, row.started_at, row.ended_at)
            included = decide(
                has_contract=True, out_of_scope=row.out_of_scope, terms=terms, priority=row.priority, split=split
            ).included
            over = zero
            old = row.corrects
            if old is not None and old.period_number is not None:
                billed = billed_before(s, old.entry_id)
                if billed is not None:
                    included -= billed.billing.included
                    # Removing included time credits first what was billed beyond the prepaid hours.
                    over = -min(-included, billed.over_prepaid) if included < zero else zero
                else:  # closed without its statement kept: the old entry as it reads now
                    old_split = split_hours(calendar, old.started_at, old.ended_at)
                    included -= decide(
                        has_contract=True,
                        out_of_scope=old.out_of_scope,
                        terms=terms,
                        priority=row.priority,
                        split=old_split,
                    ).included
        if included:
            uses.append(Use(row.entry_id, day, included, billed_in, over))
    return uses


def _balance(s: Session, contract_id: int, now: datetime) -> PrepaidBalance:
    contract = s.get(Contract, contract_id)
    if contract is None:
        raise RefusedError(_("There is no contract {number}.").format(number=contract_id))
    rows = list(
        s.scalars(
            select(PrepaidBlock).where(col(PrepaidBlock.contract_id) == contract_id).order_by(col(PrepaidBlock.id))
        )
    )
    if not rows:
        return PrepaidBalance(contract_id, None, "")
    blocks = [Block(saved_id(b), Decimal(b.hours), b.purchased_on, b.expires_on) for b in rows]
    today = now.astimezone(ZoneInfo(contract.timezone)).date()
    consumption = consume(blocks, included_uses(s, contract), today=today)
    return PrepaidBalance(contract_id, consumption, ",".join(str(b.id) for b in blocks))


def prepaid_balance(engine: Engine, contract_id: int, now: datetime) -> PrepaidBalance:
    """The contract's prepaid hours at `now`: bought, used, expired, remaining, over-consumed."""
    with db.read(engine) as s:
        return _balance(s, contract_id, now)


def due_alerts(engine: Engine, contract_id: int, now: datetime) -> list[int]:
    """The prepaid thresholds (75, 90, 100) reached and not yet said for the contract's
    present blocks; they are recorded as said, so each is returned once. A new block
    makes a new set of blocks: its thresholds are said again as they are reached."""
    with db.write(engine) as s:
        balance = _balance(s, contract_id, now)
        if balance.consumption is None:
            return []
        said = set(
            s.scalars(
                select(col(PrepaidAlert.threshold)).where(
                    col(PrepaidAlert.contract_id) == contract_id, col(PrepaidAlert.blocks) == balance.blocks_key
                )
            )
        )
        due = [t for t in crossed(0, balance.percent_used) if t not in said]
        for threshold in due:
            s.add(PrepaidAlert(contract_id=contract_id, threshold=threshold, blocks=balance.blocks_key, said_at=now))
        return due
