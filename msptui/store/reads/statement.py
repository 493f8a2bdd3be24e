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
  (new minus what the closed statements billed for it, in time and money:
  their frozen lines, never recomputed at today's rates), so the client is
  never billed twice.
- Prepaid hours are consumed by the contract's included work billed up to
  this month, in billing order, oldest block first (`store.billing.included_uses`,
  `rules.prepaid.consume`): what a closed statement counted stays counted; a
  contract with no block has no prepaid hours.
- "Service levels missed, and why" lists every breached clock of the
  statement's tickets, as the service report finds them (`rules.reports.
  breaches_of` on the SLA engine's clocks), with its justification or "not
  justified".
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

from msptui.core.formats import join_words
from msptui.core.i18n import _, current_language, document_language
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
from msptui.core.rules.months import month_of
from msptui.core.rules.months import previous_month as _month_before
from msptui.core.rules.months import shift_month as shift_month
from msptui.core.rules.out_of_hours import OutOfHoursTerms
from msptui.core.rules.prepaid import Block, Consumption, consume
from msptui.core.rules.provider import ProviderIdentity, provider_lines
from msptui.core.rules.time_entries import ZERO, HoursSplit, split_hours
from msptui.core.sla import BusinessCalendar
from msptui.store import db
from msptui.store.billing import close_period, included_uses, month_bounds, month_words, period_entries, rates_of
from msptui.store.calendars import business_calendar
from msptui.store.clients import RefusedError
from msptui.store.models import BillingPeriod, Client, Contract, PrepaidBlock, TimeEntry, saved_id
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
        """Included time taken from the prepaid hours (negative: a correction giving some back)."""
        return max(self.billing.included - self.over_prepaid, min(ZERO, self.billing.included))


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
    """A breached clock of the statement's tickets and why it was late, as written for
    the client ("not justified" when nothing was written)."""

    ticket_id: int
    clock: str
    text: str
    justified: bool = True


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
    # The language its files are written in: the client's ("en", "fr"); a closed month's is the
    # one it was closed in, since its frozen sentences are in it (English before issue 19).
    language: str = "en"

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
        return _("closed {number}").format(number=self.number) if self.number else _("open")


# --- reading -------------------------------------------------------------------------------------


def statement(engine: Engine, client_id: int, month: str, now: datetime) -> Statement:
    """The statement of `client_id` for `month` ("YYYY-MM", the client's calendar) at `now`.

    Refused (RefusedError, a sentence) for a client that no longer exists or a
    month that is not YYYY-MM. A closed month reads as it was closed.
    """
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError(_("This client no longer exists."))
        period = s.scalar(
            select(BillingPeriod).where(col(BillingPeriod.client_id) == client_id, col(BillingPeriod.month) == month)
        )
        if period is not None and period.content is not None:
            from msptui.store.reads.statement_content import from_content

            return from_content(period.content)
        entries = period_entries(s, client_id, month)
        closed_at = period.closed_at if period is not None else None
        return build(s, client, month, entries, now, period.number if period is not None else None, closed_at)


def close_statement(engine: Engine, client_id: int, month: str, now: datetime) -> str:
    """Close the client's month (`store.billing.close_period`) with its statement frozen
    in the period; returns the statement's number. Refused with a sentence (nothing
    written) when a line has billable time and no rate, besides close_period's refusals."""
    from msptui.store.reads.statement_content import to_content

    def freeze(s: Session, number: str, entries: list[TimeEntry]) -> dict[str, Any]:
        client = s.get(Client, client_id)
        if client is None:  # pragma: no cover - close_period checked it in this transaction
            raise RefusedError(_("This client no longer exists."))
        frozen = build(s, client, month, entries, now, number, now)
        if frozen.missing_rates:
            raise RefusedError(frozen.missing_rates[0])
        if client.language != current_language():  # frozen in the client's language, as its files print it
            with document_language(client.language):
                frozen = build(s, client, month, entries, now, number, now)
        return to_content(frozen)

    return close_period(engine, client_id, month, now, freeze=freeze)


def build(
    s: Session,
    client: Client,
    month: str,
    entries: list[TimeEntry],
    now: datetime,
    number: str | None = None,
    closed_at: datetime | None = None,
) -> Statement:
    """The statement of `entries` (a month's, from `period_entries`), read in session `s`;
    the SLA clocks are as they stand at `now`."""
    zone = ZoneInfo(client.timezone)
    start, end = month_bounds(month, client.timezone)
    first, last = start.astimezone(zone).date(), end.astimezone(zone).date() - timedelta(days=1)
    client_id = saved_id(client)
    contracts = {saved_id(k): k for k in s.scalars(select(Contract).where(col(Contract.client_id) == client_id))}
    rows = rows_for(s, entries)
    chosen = {r.entry_id for r in rows}
    prepaid, consumption = _prepaid(s, contracts, chosen, month, last)
    fallback = _current_contract(contracts.values(), first)
    lines: list[StatementLine] = []
    missing: list[str] = []
    currencies: set[str] = set()
    for row in sorted(rows, key=lambda r: (r.started_at, r.entry_id)):
        contract = contracts.get(row.contract_id) if row.contract_id else None
        line = _line(s, row, contract, fallback, consumption, zone)
        lines.append(line)
        if line.missing_rate and line.missing_rate not in missing:
            missing.append(line.missing_rate)
        priced_by = contract or fallback
        if line.amounts is not None and priced_by is not None:
            currencies.add(priced_by.currency)
    if len(currencies) > 1:  # one total in one currency: never EUR and CHF added together
        missing.append(
            _(
                "This month's lines are priced in {currencies}: a statement totals one "
                "currency. Give the contracts the same currency before closing."
            ).format(currencies=join_words(sorted(currencies)))
        )
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
        justifications=tuple(_breaches(s, tickets, now)),
        language=client.language,
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
            _("The business hours of contract {reference} cannot be read ({error}); fix them first.").format(
                reference=contract.reference, error=exc
            )
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
    s: Session,
    row: EntryRow,
    contract: Contract | None,
    fallback: Contract | None,
    consumption: dict[int, Consumption],
    zone: ZoneInfo,
) -> StatementLine:
    if row.ended_at is None:  # pragma: no cover - a month bills finished entries only
        raise RefusedError(_("Entry {number} is still running.").format(number=row.entry_id))
    priced_by = contract or fallback
    reference = priced_by.reference if priced_by is not None else ""
    rates = rates_of(priced_by) if priced_by is not None else Rates(hourly=None)
    split, billing = _billing(contract, row.priority, row.out_of_scope, row.started_at, row.ended_at)
    eaten = consumption.get(saved_id(contract)) if contract is not None else None
    over = eaten.over_for(row.entry_id) if eaten is not None else ZERO
    billed, old_missing = None, None
    old = row.corrects
    if old is not None and old.period_number is not None:
        # Billed already in a closed period: this line carries only the difference from what
        # the closed statements billed (their frozen lines, at the rates of their day).
        from msptui.store.reads.statement_content import Billed, billed_before

        billed = billed_before(s, old.entry_id)
        if billed is None:  # closed without its statement kept: the old entry as it reads now
            old_split, old_billing = _billing(contract, row.priority, old.out_of_scope, old.started_at, old.ended_at)
            old_over = min(eaten.over_for(old.entry_id) if eaten is not None else ZERO, old_billing.included)
            old_amounts, old_missing = _amounts(old_billing, old.category, old_over, rates, reference)
            billed = Billed(old_split.in_hours, old_split.out_of_hours, old_billing, old_over, old_amounts)
        # This entry's use is only what it adds to (or removes from) the included time billed;
        # the whole entry is beyond the prepaid hours by what was billed so, plus (or minus) that.
        over = min(max(billed.over_prepaid + over, ZERO), billing.included)
    amounts, missing = _amounts(billing, row.category, over, rates, reference)
    if priced_by is None and missing:
        missing = _(
            "{reference} has no contract and the client has none to price it: "
            "add a contract with an hourly rate before closing the period."
        ).format(reference=row.reference)
    corrects = None
    if old is not None and billed is not None:
        amounts, missing = _difference(amounts, billed.amounts), missing or old_missing
        split = HoursSplit(split.in_hours - billed.in_hours, split.out_of_hours - billed.out_of_hours)
        billing, over = _less(billing, billed.billing), over - billed.over_prepaid
        day = old.started_at.astimezone(zone).date().isoformat()
        corrects = _("corrects the entry of {day} ({number})").format(day=day, number=old.period_number)
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
        reason=_("correction: {reason}").format(reason=new.reason),
    )


# --- prepaid hours ----------------------------------------------------------------------------------


def _prepaid(
    s: Session, contracts: dict[int, Contract], chosen: set[int], month: str, last: date
) -> tuple[list[PrepaidState], dict[int, Consumption]]:
    """Each contract's blocks consumed by its included work billed up to `month`, in billing
    order (work typed late never takes what a closed statement counted), as of the month's end."""
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
        uses = [u for u in included_uses(s, contracts[contract_id]) if u.billed_in <= month]
        found = [Block(saved_id(b), Decimal(str(b.hours)), b.purchased_on, b.expires_on) for b in blocks]
        consumption = eaten[contract_id] = consume(found, uses, today=last + timedelta(days=1))
        refs = {saved_id(b): b.reference for b in blocks}
        this_month = sum(
            (taken for a in consumption.allocations if a.use.entry_id in chosen for _block, taken in a.taken), ZERO
        )
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
    return None if balance.consumption is None else _("Prepaid: {balance}").format(balance=balance.words)


# --- service levels missed ------------------------------------------------------------------------


def _breaches(s: Session, tickets: list[int], now: datetime) -> list[Justification]:
    """Every breached clock of the tickets at `now`, as the service report finds them (the SLA
    engine's clocks with the board's events and the contract's policy, `rules.reports`), each
    with its justification in force or "not justified"."""
    if not tickets:
        return []
    from msptui.core.rules.reports import ReportTicket, breaches_of, clock_outcomes
    from msptui.store.models import Ticket, TicketEvent
    from msptui.store.reads.board import to_sla_events
    from msptui.store.reads.service_report import _justifications, _policies

    found = list(s.scalars(select(Ticket).where(col(Ticket.id).in_(tickets)).order_by(col(Ticket.id))))
    logs: dict[int, list[TicketEvent]] = {}
    query = select(TicketEvent).where(col(TicketEvent.ticket_id).in_(tickets))
    for event in s.scalars(query.order_by(col(TicketEvent.at), col(TicketEvent.id))):
        logs.setdefault(event.ticket_id, []).append(event)
    policies, errors, _references = _policies(s, {t.contract_id for t in found if t.contract_id is not None})
    said = _justifications(s, tickets)
    report_tickets = [
        ReportTicket(
            id=saved_id(t),
            title=t.title,
            opened_at=t.opened_at,
            events=tuple(to_sla_events(logs.get(saved_id(t), []))),
            policy=policies.get(t.contract_id) if t.contract_id is not None else None,
            justifications=said.get(saved_id(t), {}),
            policy_error=errors.get(t.contract_id) if t.contract_id is not None else None,
        )
        for t in found
    ]
    outcomes, _unmeasured = clock_outcomes(report_tickets, now)
    return [Justification(b.ticket_id, b.clock, b.words, b.justified) for b in breaches_of(outcomes)]


def previous_month(engine: Engine, client_id: int, now: datetime) -> str:
    """The month before `now` in the client's calendar ("YYYY-MM"): the one a statement is usually for."""
    with db.read(engine) as s:
        client = s.get(Client, client_id)
        if client is None:
            raise RefusedError(_("This client no longer exists."))
        timezone = client.timezone
    return _month_before(month_of(now, timezone))
