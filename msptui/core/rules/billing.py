"""What an entry costs: included, billable or surcharged, computed from the contract, never guessed.

- `decide` says which part of an entry the contract covers (`included`) and
  which part is billed (`billable`), and why, in a sentence a client can read.
  Work with no contract, or out of the contract's scope, is all billable.
  Otherwise the in-hours part is included; the out-of-hours part is billable,
  surcharged when the contract's out-of-hours service covers the ticket's
  priority, else "outside the contract" at the plain rate (see `out_of_hours`).
- `line_amounts` turns that into money for one statement line, every amount
  rounded half up to the cent on the line, so `statement_totals` (plain sums
  of the lines) equal the sum of the lines to the cent.

Money is `Decimal`; hours are shown to the hundredth (`hours_of`) and each
amount follows from the hours shown, so a client can check a line by hand.
Pure: standard library, `msptui.core.i18n` and `msptui.core.rules` only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from msptui.core.i18n import _
from msptui.core.rules.out_of_hours import OutOfHoursTerms
from msptui.core.rules.time_entries import ZERO, HoursSplit, TimeCategory, format_duration, hours_of

CENT = Decimal("0.01")
_HUNDRED = Decimal(100)
_CATEGORIES = frozenset(c.value for c in TimeCategory)


def to_cent(amount: Decimal) -> Decimal:
    """`amount` rounded half up to the cent (2.345 is 2.35), as every amount on a line is."""
    return amount.quantize(CENT, ROUND_HALF_UP)


class MissingRate(ValueError):
    """Billable time on a contract (or category) with no rate: the period cannot be closed."""

    def __init__(self, contract: str, category: str, billable: timedelta) -> None:
        self.contract, self.category, self.billable = contract, category, billable
        kind = TimeCategory(category).label.lower() if category in _CATEGORIES else category
        if contract:
            message = _(
                "Set an hourly rate on contract {contract} before closing the period:"
                " {duration} of {kind} work is billable."
            )
        else:
            message = _(
                "Set an hourly rate on the contract before closing the period: {duration} of {kind} work is billable."
            )
        super().__init__(message.format(contract=contract, duration=format_duration(billable), kind=kind))


@dataclass(frozen=True, slots=True)
class EntryBilling:
    """How an entry stands against its contract.

    `included + billable` is the entry's duration. `surcharged` and
    `outside_contract` are parts of `billable` (out-of-hours work): the first
    carries the surcharge, the second is billed at the plain rate and flagged
    for the technician (goodwill or billable extra). `reason` says why in a
    phrase a client can read on the statement: "no contract", "out of the
    contract's scope", "within the contract's scope and hours", "1 h 30 out of
    hours, surcharged +50 %", "1 h 30 out of hours, outside the contract",
    prefixed with "1 h in hours, included; " when the entry straddles the hours.
    """

    included: timedelta
    billable: timedelta
    surcharged: timedelta
    outside_contract: timedelta
    reason: str

    @property
    def total(self) -> timedelta:
        return self.included + self.billable


def decide(
    *,
    has_contract: bool,
    out_of_scope: bool,
    terms: OutOfHoursTerms,
    priority: str | None,
    split: HoursSplit,
) -> EntryBilling:
    """Which part of an entry is included, billable, surcharged or outside the contract.

    `terms` are the contract's out-of-hours terms (ignored without a contract);
    `priority` the ticket's priority (None for an engagement: never covered by
    an out-of-hours service); `split` the entry cut at the contract's business
    hours (`split_hours`).
    """
    total = split.total
    if not has_contract:
        return EntryBilling(ZERO, total, ZERO, ZERO, _("no contract"))
    if out_of_scope:
        return EntryBilling(ZERO, total, ZERO, ZERO, _("out of the contract's scope"))
    inside, outside = split.in_hours, split.out_of_hours
    if not outside:
        return EntryBilling(inside, ZERO, ZERO, ZERO, _("within the contract's scope and hours"))
    covered = priority is not None and terms.covers(priority)
    if covered and terms.surcharge_pct:
        reason = _("{duration} out of hours, surcharged +{percent} %").format(
            duration=format_duration(outside), percent=terms.surcharge_pct
        )
    elif covered:
        reason = _("{duration} out of hours, no surcharge").format(duration=format_duration(outside))
    else:
        reason = _("{duration} out of hours, outside the contract").format(duration=format_duration(outside))
    if inside:
        reason = _("{duration} in hours, included; {rest}").format(duration=format_duration(inside), rest=reason)
    return EntryBilling(
        included=inside,
        billable=outside,
        surcharged=outside if covered else ZERO,
        outside_contract=ZERO if covered else outside,
        reason=reason,
    )


@dataclass(frozen=True, slots=True)
class Rates:
    """A contract's prices: the hourly rate, a rate per category that overrides it,
    the out-of-hours surcharge in percent and the VAT rate in percent."""

    hourly: Decimal | None
    per_category: Mapping[str, Decimal] = field(default_factory=dict)
    surcharge_pct: int = 0
    vat_pct: Decimal = Decimal("20.00")
    currency: str = "EUR"

    def __post_init__(self) -> None:
        rates = [self.hourly, *self.per_category.values()]
        if any(rate is not None and rate < 0 for rate in rates):
            raise ValueError(_("A rate cannot be negative: type the price of an hour, such as 85.00."))
        if self.surcharge_pct < 0:
            raise ValueError(_("An out-of-hours surcharge cannot be negative: type a percent such as 50."))
        if not Decimal(0) <= self.vat_pct <= _HUNDRED:
            raise ValueError(_("A VAT rate is a percent between 0 and 100, such as 20."))

    def rate_for(self, category: str) -> Decimal | None:
        """The category's own rate when the contract sets one, else the hourly rate (None: no rate)."""
        own = self.per_category.get(category)
        return own if own is not None else self.hourly


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """One statement line in money, every amount to the cent.

    `hours_billed` (billable time plus included time beyond the prepaid
    hours, to the hundredth) times `rate` is the base; `surcharge` is
    `hours_surcharged` times the rate times the surcharge percent;
    `net = base + surcharge` (excluding VAT), `vat` is on `net`, `total = net + vat`.
    """

    hours_billed: Decimal
    rate: Decimal
    surcharge: Decimal
    net: Decimal
    vat: Decimal
    total: Decimal
    hours_surcharged: Decimal = Decimal("0.00")


def line_amounts(
    billing: EntryBilling,
    category: str,
    rates: Rates,
    over_prepaid: timedelta = ZERO,
    *,
    contract: str = "",
) -> LineAmounts:
    """The money of one entry, rounded half up to the cent on this line.

    `over_prepaid` is the part of the included time that no prepaid block
    covered (`prepaid.consume`): it is billed at the rate, without surcharge.
    Billable time with no rate for `category` raises `MissingRate` naming
    `contract`; an `over_prepaid` outside 0..included raises ValueError.
    """
    if not ZERO <= over_prepaid <= billing.included:
        raise ValueError(  # i18n: not shown (a programming mistake: the caller computes it)
            "The time beyond the prepaid hours is part of the included time, never more."
        )
    billed = billing.billable + over_prepaid
    rate = rates.rate_for(category)
    if rate is None:
        if billed > ZERO:
            raise MissingRate(contract, category, billed)
        rate = Decimal(0)
    rate = to_cent(rate)
    hours_billed, hours_surcharged = hours_of(billed), hours_of(billing.surcharged)
    surcharge = to_cent(hours_surcharged * rate * rates.surcharge_pct / _HUNDRED)
    net = to_cent(hours_billed * rate) + surcharge
    vat = to_cent(net * rates.vat_pct / _HUNDRED)
    return LineAmounts(hours_billed, rate, surcharge, net, vat, net + vat, hours_surcharged)


@dataclass(frozen=True, slots=True)
class Totals:
    """A statement's totals: the sums of its lines."""

    net: Decimal
    vat: Decimal
    total: Decimal


def statement_totals(lines: Iterable[LineAmounts]) -> Totals:
    """Plain sums of the lines' amounts, so the totals equal the sum of the lines to the cent
    (no rounding happens here: each line is already to the cent)."""
    net = vat = total = Decimal("0.00")
    for line in lines:
        net, vat, total = net + line.net, vat + line.vat, total + line.total
    return Totals(net, vat, total)
