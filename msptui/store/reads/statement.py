"""A client's statement of activity for one month, read in one transaction.

What the preview screen, the Markdown/PDF/CSV files and the period close all
show: the provider's identity, the client, the month, one line per time entry
(its split in and out of the contract's business hours, what the contract
covers, the rate, the surcharge, the amounts), the prepaid blocks consumed and
remaining, the totals and whether the period is closed. Every number comes from
`msptui.core.rules` (time_entries, billing, prepaid); which entries a month
bills is `msptui.store.billing.period_entries`; nothing is decided here.

- An open month is computed afresh at each read. A closed month is read from
  the content frozen when it closed (`close_statement`), so a later change of
  rates, calendar or provider never changes what was billed.
- A correction of an entry billed in a closed period shows the difference
  (new minus old, in time and money), so the client is never billed twice.
- Prepaid hours are consumed by the contract's included work up to the end of
  the month, oldest block first (`store.billing.included_uses`,
  `rules.prepaid.consume`); a contract with no block has no prepaid hours.
- A line whose contract has no rate for billable time has no amounts and says
  why (`Statement.missing_rates`); the totals are those of the priced lines,
  and the period cannot be closed until the rate is set.
- Work with no contract is priced at the client's current contract's rates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from msptui.core.rules.billing import (
    EntryBilling,
    LineAmounts,
    MissingRate,
    Rates,
    Totals,
    decide,
    line_amounts,
    statement_totals,
)
from msptui.core.rules.out_of_hours import OutOfHoursTerms
from msptui.core.rules.prepaid import Block, Consumption, consume
from msptui.core.rules.provider import ProviderIdentity, provider_lines
from msptui.core.rules.time_entries import ZERO, HoursSplit, split_hours
from msptui.core.sla import BusinessCalendar
from msptui.store import db
from msptui.store.billing import close_period, included_uses, month_bounds, month_words, period_entries, rates_of
from msptui.store.calendars import business_calendar
from msptui.store.clients import RefusedError
from msptui.store.models import BillingPeriod, BreachJustification, Client, Contract, PrepaidBlock, TimeEntry, saved_id
from msptui.store.tickets import contract_terms
from msptui.store.time_entries import EntryRow, rows_for

_NO_TERMS = OutOfHoursTerms(False)


# --- the read model ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One entry on the statement. `amounts` is None when its contract has no rate
    for billable time (`missing_rate` says so). For the correction of an entry
    billed in a closed period, durations and amounts are the difference (new - old)."""

    entry_id: int
    day: date  # the day the work started, in the client's time zone
    reference: str  # "#123" for a ticket, "project" for an engagement
    title: str
    description: str
    category: str
    contract: str  # the contract's reference, "" without one
    in_hours: timedelta
    out_of_hours: timedelta
    billing: EntryBilling
    over_prepaid: timedelta
    amounts: LineAmounts | None
    missing_rate: str | None = None
    corrects: str | None = None  # "corrects the entry of 2026-10-05 (RA-2026-0001)"
    ticket_id: int | None = None

    @property
    def duration(self) -> timedelta:
        return self.in_hours + self.out_of_hours

    @property
    def prepaid(self) -> timedelta:
        """Included time taken from the prepaid hours."""
        return self.billing.included - self.over_prepaid if self.over_prepaid <= self.billing.included else ZERO


@dataclass(frozen=True, slots=True)
class PrepaidBlockLine:
    reference: str
    hours: Decimal
    purchased: date
    expires: date | None
    used: timedelta
    remaining: timedelta
    expired: timedelta


@dataclass(frozen=True, slots=True)
class PrepaidState:
    """A contract's prepaid hours at the end of the month."""

    contract: str
    blocks: tuple[PrepaidBlockLine, ...]
    used_this_month: timedelta
    bought: timedelta
    used: timedelta
    remaining: timedelta
    over: timedelta  # included work no block covered: billed at the rate, shown, never hidden
    percent_used: int


@dataclass(frozen=True, slots=True)
class Justification:
    """Why a breached clock was late, as written for the client."""

    ticket_id: int
    clock: str
    text: str


@dataclass(frozen=True, slots=True)
class Statement:
    provider: ProviderIdentity | None
    client_id: int
    client_name: str
    client_code: str
    client_address: str
    month: str
    first_day: date
    last_day: date
    currency: str
    lines: tuple[StatementLine, ...]
    totals: Totals
    prepaid: tuple[PrepaidState, ...]
    number: str | None  # the statement's number once the period is closed
    closed_at: datetime | None
    missing_rates: tuple[str, ...] = ()
    justifications: tuple[Justification, ...] = field(default=())

    @property
    def closed(self) -> bool:
        return self.number is not None

    @property
    def period(self) -> str:
        return month_words(self.month)

    @property
    def provider_lines(self) -> list[str]:
        return provider_lines(self.provider) if self.provider is not None else []

    @property
    def status(self) -> str:
        """'closed RA-2026-0001' or 'open'."""
        return f"closed {self.number}" if self.number else "open"


# --- reading -------------------------------------------------------------------------------------


def statement(engine: Engine, client_id: int, month: str, now: datetime) -> Statement:
    """The statement of `client_id` for `month` ("YYYY-MM", the client's calendar) at `now`.

    Refused (RefusedError, a sentence) for a client that no longer exists or a
    month that is not YYYY-MM. A closed month reads as it was closed.
    """
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError("This client no longer exists.")
        period = s.scalar(
            select(BillingPeriod).where(col(BillingPeriod.client_id) == client_id, col(BillingPeriod.month) == month)
        )
        if period is not None and period.content is not None:
            from msptui.store.reads.statement_content import from_content

            return from_content(period.content)
        entries = period_entries(s, client_id, month)
        closed_at = period.closed_at if period is not None else None
        return build(s, client, month, entries, period.number if period is not None else None, closed_at)


def close_statement(engine: Engine, client_id: int, month: str, now: datetime) -> str:
    """Close the client's month (`store.billing.close_period`) with its statement frozen
    in the period; returns the statement's number. Refused with a sentence (nothing
    written) when a line has billable time and no rate, besides close_period's refusals."""
    from msptui.store.reads.statement_content import to_content

    def freeze(s: Session, number: str, entries: list[TimeEntry]) -> dict[str, Any]:
        client = s.get(Client, client_id)
        if client is None:  # pragma: no cover - close_period checked it in this transaction
            raise RefusedError("This client no longer exists.")
        frozen = build(s, client, month, entries, number, now)
        if frozen.missing_rates:
            raise RefusedError(frozen.missing_rates[0])
        return to_content(frozen)

    return close_period(engine, client_id, month, now, freeze=freeze)


def build(
    s: Session,
    client: Client,
    month: str,
    entries: list[TimeEntry],
    number: str | None = None,
    closed_at: datetime | None = None,
) -> Statement:
    """The statement of `entries` (a month's, from `period_entries`), read in session `s`."""
    zone = ZoneInfo(client.timezone)
    start, end = month_bounds(month, client.timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date() - timedelta(days=1)
    client_id = saved_id(client)
    contracts = {saved_id(k): k for k in s.scalars(select(Contract).where(col(Contract.client_id) == client_id))}
    rows = rows_for(s, entries)
    chosen = {r.entry_id for r in rows}
    prepaid, consumption = _prepaid(s, contracts, chosen, last)
    fallback = _current_contract(contracts.values(), first)
    lines: list[StatementLine] = []
    missing: list[str] = []
    for row in sorted(rows, key=lambda r: (r.started_at, r.entry_id)):
        line = _line(row, contracts.get(row.contract_id) if row.contract_id else None, fallback, consumption, zone)
        lines.append(line)
        if line.missing_rate and line.missing_rate not in missing:
            missing.append(line.missing_rate)
    tickets = sorted({line.ticket_id for line in lines if line.ticket_id is not None})
    return Statement(
        provider=_provider(s),
        client_id=client_id,
        client_name=client.name,
        client_code=client.code,
        client_address=_address(client),
        month=month,
        first_day=first,
        last_day=last,
        currency=fallback.currency if fallback is not None else "EUR",
        lines=tuple(lines),
        totals=statement_totals(line.amounts for line in lines if line.amounts is not None),
        prepaid=tuple(prepaid),
        number=number,
        closed_at=closed_at,
        missing_rates=tuple(missing),
        justifications=tuple(_justifications(s, tickets)),
    )


def _provider(s: Session) -> ProviderIdentity | None:
    from msptui.store.models import ProviderIdentityRow
    from msptui.store.provider import _identity

    row = s.get(ProviderIdentityRow, 1)
    return _identity(row) if row is not None else None


def _address(client: Client) -> str:
    town = " ".join(part for part in (client.postcode, client.city) if part)
    return ", ".join(part for part in (client.address, town) if part)


def _current_contract(contracts: Iterable[Contract], first: date) -> Contract | None:
    """The contract whose rates price work done outside any contract: the latest one
    started by the month and not archived (else the latest one at all)."""
    ordered = sorted(contracts, key=lambda k: (k.archived_at is None, k.start_date <= first, k.start_date))
    return ordered[-1] if ordered else None


def _calendar(contract: Contract | None) -> BusinessCalendar | None:
    if contract is None:
        return None
    try:
        return business_calendar(contract)
    except ValueError as exc:
        raise RefusedError(
            f"The business hours of contract {contract.reference} cannot be read ({exc}); fix them first."
        ) from exc


def _billing(
    contract: Contract | None, priority: str | None, out_of_scope: bool, start: datetime, end: datetime
) -> tuple[HoursSplit, EntryBilling]:
    split = split_hours(_calendar(contract), start, end)
    terms = contract_terms(contract) if contract is not None else _NO_TERMS
    return split, decide(
        has_contract=contract is not None, out_of_scope=out_of_scope, terms=terms, priority=priority, split=split
    )


def _amounts(
    billing: EntryBilling, category: str, over: timedelta, rates: Rates, reference: str
) -> tuple[LineAmounts | None, str | None]:
    try:
        return line_amounts(billing, category, rates, over, contract=reference), None
    except MissingRate as missing:
        return None, str(missing)


def _line(
    row: EntryRow,
    contract: Contract | None,
    fallback: Contract | None,
    consumption: dict[int, Consumption],
    zone: ZoneInfo,
) -> StatementLine:
    if row.ended_at is None:  # pragma: no cover - a month bills finished entries only
        raise RefusedError(f"Entry {row.entry_id} is still running.")
    priced_by = contract or fallback
    reference = priced_by.reference if priced_by is not None else ""
    rates = rates_of(priced_by) if priced_by is not None else Rates(hourly=None)
    split, billing = _billing(contract, row.priority, row.out_of_scope, row.started_at, row.ended_at)
    eaten = consumption.get(saved_id(contract)) if contract is not None else None
    over = eaten.over_for(row.entry_id) if eaten is not None else ZERO
    amounts, missing = _amounts(billing, row.category, over, rates, reference)
    if priced_by is None and missing:
        missing = (
            f"{row.reference} has no contract and the client has none to price it: "
            "add a contract with an hourly rate before closing the period."
        )
    corrects = None
    old = row.corrects
    if old is not None and old.period_number is not None:
        # Billed already in a closed period: this line carries only the difference.
        old_split, old_billing = _billing(contract, row.priority, old.out_of_scope, old.started_at, old.ended_at)
        old_over = min(over, old_billing.included)
        old_amounts, old_missing = _amounts(old_billing, old.category, old_over, rates, reference)
        amounts = _difference(amounts, old_amounts)
        missing = missing or old_missing
        split, billing, over = _less_split(split, old_split), _less(billing, old_billing), over - old_over
        day = old.started_at.astimezone(zone).date().isoformat()
        corrects = f"corrects the entry of {day} ({old.period_number})"
    return StatementLine(
        entry_id=row.entry_id,
        day=row.started_at.astimezone(zone).date(),
        reference=row.reference,
        title=row.title,
        description=row.description,
        category=row.category,
        contract=contract.reference if contract is not None else "",
        in_hours=split.in_hours,
        out_of_hours=split.out_of_hours,
        billing=billing,
        over_prepaid=over,
        amounts=amounts,
        missing_rate=missing,
        corrects=corrects,
        ticket_id=row.ticket_id,
    )


def _difference(new: LineAmounts | None, old: LineAmounts | None) -> LineAmounts | None:
    if new is None or old is None:
        return None
    return LineAmounts(
        hours_billed=new.hours_billed - old.hours_billed,
        rate=new.rate,
        surcharge=new.surcharge - old.surcharge,
        net=new.net - old.net,
        vat=new.vat - old.vat,
        total=new.total - old.total,
        hours_surcharged=new.hours_surcharged - old.hours_surcharged,
    )


def _less(new: EntryBilling, old: EntryBilling) -> EntryBilling:
    return EntryBilling(
        included=new.included - old.included,
        billable=new.billable - old.billable,
        surcharged=new.surcharged - old.surcharged,
        outside_contract=new.outside_contract - old.outside_contract,
        reason=f"correction: {new.reason}",
    )


def _less_split(new: HoursSplit, old: HoursSplit) -> HoursSplit:
    return HoursSplit(new.in_hours - old.in_hours, new.out_of_hours - old.out_of_hours)


# --- prepaid hours ----------------------------------------------------------------------------------


def _prepaid(
    s: Session, contracts: dict[int, Contract], chosen: set[int], last: date
) -> tuple[list[PrepaidState], dict[int, Consumption]]:
    """Each contract's blocks consumed by its included work up to the month's last day."""
    rows = s.scalars(
        select(PrepaidBlock)
        .where(col(PrepaidBlock.contract_id).in_(list(contracts)))
        .order_by(col(PrepaidBlock.purchased_on), col(PrepaidBlock.id))
    ).all()
    by_contract: dict[int, list[PrepaidBlock]] = {}
    for block in rows:
        by_contract.setdefault(block.contract_id, []).append(block)
    states: list[PrepaidState] = []
    eaten: dict[int, Consumption] = {}
    for contract_id, blocks in by_contract.items():
        uses = [u for u in included_uses(s, contracts[contract_id]) if u.day <= last]
        found = [Block(saved_id(b), Decimal(str(b.hours)), b.purchased_on, b.expires_on) for b in blocks]
        consumption = eaten[contract_id] = consume(found, uses, today=last + timedelta(days=1))
        refs = {saved_id(b): b.reference for b in blocks}
        this_month = sum((a.use.duration - a.over for a in consumption.allocations if a.use.entry_id in chosen), ZERO)
        states.append(
            PrepaidState(
                contract=contracts[contract_id].reference,
                blocks=tuple(
                    PrepaidBlockLine(
                        refs.get(b.block.id, ""),
                        b.block.hours,
                        b.block.purchased,
                        b.block.expires,
                        b.used,
                        b.remaining,
                        b.expired,
                    )
                    for b in consumption.blocks
                ),
                used_this_month=this_month,
                bought=consumption.bought,
                used=consumption.used,
                remaining=consumption.remaining,
                over=consumption.over,
                percent_used=consumption.percent_used,
            )
        )
    return states, eaten


def prepaid_line(engine: Engine, contract_id: int, now: datetime) -> str | None:
    """The contract's prepaid hours in one line for the board's detail line
    ("Prepaid: 7 h 30 left of 20 h (62 % used)", "Prepaid: over by 2 h 30 (20 h bought)"),
    None when the contract has no prepaid block."""
    from msptui.store.billing import prepaid_balance

    balance = prepaid_balance(engine, contract_id, now)
    return None if balance.consumption is None else f"Prepaid: {balance.words}"


# --- breach justifications (item 7) -----------------------------------------------------------------


def _justifications(s: Session, tickets: list[int]) -> list[Justification]:
    """The justifications in force (not superseded) of the tickets' breached clocks."""
    if not tickets:
        return []
    superseded = select(col(BreachJustification.supersedes_id)).where(
        col(BreachJustification.supersedes_id).is_not(None)
    )
    found = s.scalars(
        select(BreachJustification)
        .where(col(BreachJustification.ticket_id).in_(tickets), col(BreachJustification.id).not_in(superseded))
        .order_by(col(BreachJustification.ticket_id), col(BreachJustification.created_at))
    )
    return [Justification(j.ticket_id, j.clock, j.text) for j in found]


def previous_month(engine: Engine, client_id: int, now: datetime) -> str:
    """The month before `now` in the client's calendar ("YYYY-MM"): the one a statement is usually for."""
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError("This client no longer exists.")
        local = now.astimezone(ZoneInfo(client.timezone))
    return f"{local.year - (local.month == 1)}-{(local.month - 2) % 12 + 1:02d}"


def shift_month(month: str, by: int) -> str:
    """`month` moved by `by` months ("2026-01", -1 -> "2025-12")."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1 + by
    return f"{index // 12}-{index % 12 + 1:02d}"
